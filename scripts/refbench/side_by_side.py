"""Prints the side-by-side table of scripts/bench-vs-upstream.sh from its JSON lines (one per run)."""
import json
import statistics
import sys

runs = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
cpu, threads = sys.argv[2], sys.argv[3]
configs = list(dict.fromkeys(r["config"] for r in runs))
PHASES = ["synth", "cutouts", "clip", "backward", "step"]


def side(config, name):
    got = [r["run"] for r in runs if r["config"] == config and r["side"] == name]
    if not got:
        sys.exit(f"bench-vs-upstream: no {name} result for {config}; run that side alone to see its error")
    med = statistics.median(g["median_s_per_iter"] for g in got)
    rss = statistics.median(g["peak_rss_mib"] for g in got)
    phases = {p: statistics.median(g["phase_medians_s"].get(p, float("nan")) for g in got) for p in PHASES}
    return med, rss, phases, len(got)


print(f"CPU: {cpu}, {threads} threads; medians over runs of each run's median s/iter; ratio = vqclip / upstream")
print(f"{'config':<12} {'upstream s/it':>13} {'vqclip s/it':>11} {'time ratio':>10} "
      f"{'upstream RSS':>12} {'vqclip RSS':>10} {'RSS ratio':>9} {'runs':>4}")
rows = []
for c in configs:
    um, ur, up, n = side(c, "upstream")
    vm, vr, vp, _ = side(c, "vqclip")
    rows.append((c, up, vp))
    print(f"{c:<12} {um:>13.3f} {vm:>11.3f} {vm / um:>10.2f} {ur:>9.0f} MiB {vr:>6.0f} MiB {vr / ur:>9.2f} {n:>4}")
print()
print("phase medians, s (upstream / vqclip)")
print(f"{'config':<12} " + " ".join(f"{p:>15}" for p in PHASES))
for c, up, vp in rows:
    print(f"{c:<12} " + " ".join(f"{up[p]:>6.3f} / {vp[p]:<6.3f}" for p in PHASES))
