#!/usr/bin/env bash
# Per-stage timings of the VQGAN decoder, upstream taming (scripts/refbench/upstream_decoder_profile.py) and
# `./vqclip bench --profile-decoder`, on the same host, one process after the other, alternating which goes first;
# prints one row per stage with both sides' forward and backward medians and the ratios (vqclip / upstream).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

usage() {
  cat <<'TXT'
usage: scripts/decoder-vs-upstream.sh --refsrc DIR [--size WxH] [--repeats N] [--rounds N] [--python PATH] [-- BENCH_FLAGS...]

  --refsrc DIR   upstream sources laid out by scripts/refbench/setup_refsrc.sh (also $REFSRC)
  --size WxH     output size (default 256x256)
  --repeats N    measured repeats per stage and run, after one warm-up (default 5)
  --rounds N     runs of each side, alternating which goes first; the table shows the median over runs (default 2)
  --python PATH  the interpreter that has Debian's python3-torch (default /usr/bin/python3)
  -- FLAGS       extra flags for ./vqclip bench
Needs what scripts/bench-vs-upstream.sh needs. Run it on an otherwise idle machine.
TXT
}

refsrc="${REFSRC:-}"; size=256x256; repeats=5; rounds=2; python=/usr/bin/python3; extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --refsrc) refsrc="$2"; shift 2 ;;
    --size) size="$2"; shift 2 ;;
    --repeats) repeats="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --python) python="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    --) shift; extra=("$@"); break ;;
    *) echo "decoder-vs-upstream: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
[ -n "$refsrc" ] || { echo "decoder-vs-upstream: give --refsrc DIR (upstream sources, see --help)" >&2; exit 2; }
[ -e "$refsrc/taming-transformers/taming/modules/diffusionmodules/model.py" ] \
  || { echo "decoder-vs-upstream: missing $refsrc/taming-transformers; lay out the sources with scripts/refbench/setup_refsrc.sh" >&2; exit 2; }
[[ "$size" =~ ^[0-9]+x[0-9]+$ ]] || { echo "decoder-vs-upstream: --size takes WxH, got '$size'" >&2; exit 2; }
for n in "$repeats" "$rounds"; do
  [[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "decoder-vs-upstream: --repeats and --rounds take whole numbers >= 1, got '$n'" >&2; exit 2; }
done
"$python" -c 'import torch' 2>/dev/null || { echo "decoder-vs-upstream: $python has no torch; install Debian's python3-torch" >&2; exit 2; }
threads="${VQCLIP_THREADS:-$(nproc)}"

runs="$(mktemp)"; trap 'rm -f "$runs"' EXIT
upstream() {
  env -u MALLOC_MMAP_THRESHOLD_ -u MALLOC_TRIM_THRESHOLD_ "$python" "$here/scripts/refbench/upstream_decoder_profile.py" \
    --refsrc "$refsrc" --size "$size" --repeats "$repeats" --threads "$threads" 2>/dev/null | tail -1 >>"$runs"
}
vqclip() {
  VQCLIP_THREADS="$threads" "$here/vqclip" bench --profile-decoder --size "$size" --iterations "$repeats" \
    ${extra[@]+"${extra[@]}"} 2>/dev/null | tail -1 >>"$runs"
}
[ -f "$here/target/vqclip.jar" ] || (cd "$here" && mvn -q -B -DskipTests package) >&2
for ((r = 1; r <= rounds; r++)); do
  echo "decoder-vs-upstream: $size round $r/$rounds" >&2
  if ((r % 2)); then upstream; vqclip; else vqclip; upstream; fi
done
"$python" - "$runs" "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | xargs)" "$threads" <<'PY'
import json, statistics, sys
runs = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
side = {k: [r for r in runs if r['impl'].startswith(k)] for k in ('upstream', 'vqclip')}
for k, v in side.items():
    if not v:
        sys.exit(f'decoder-vs-upstream: no {k} result; run that side alone to see its error')
def med(k, stage, field):
    return statistics.median(next(s for s in r['stages'] if s['stage'] == stage)[field] for r in side[k])
print(f'CPU: {sys.argv[2]}, {sys.argv[3]} threads, {runs[0]["size"]}; medians over {len(side["vqclip"])} runs '
      f'(each the median of its repeats), ms; ratio = vqclip / upstream')
print(f'{"stage":<20} {"output":<20} {"fwd up":>8} {"fwd vq":>8} {"ratio":>6} {"bwd up":>8} {"bwd vq":>8} {"ratio":>6}')
tot = [0.0] * 4
for s in side['vqclip'][0]['stages']:
    n = s['stage']
    v = [med('upstream', n, 'forward_ms'), med('vqclip', n, 'forward_ms'),
         med('upstream', n, 'backward_ms'), med('vqclip', n, 'backward_ms')]
    tot = [a + b for a, b in zip(tot, v)]
    print(f'{n:<20} {s["shape"]:<20} {v[0]:>8.1f} {v[1]:>8.1f} {v[1] / v[0]:>6.2f} {v[2]:>8.1f} {v[3]:>8.1f} {v[3] / v[2]:>6.2f}')
print(f'{"total":<20} {"":<20} {tot[0]:>8.1f} {tot[1]:>8.1f} {tot[1] / tot[0]:>6.2f} {tot[2]:>8.1f} {tot[3]:>8.1f} {tot[3] / tot[2]:>6.2f}')
PY
