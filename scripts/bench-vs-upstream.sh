#!/usr/bin/env bash
# Times the upstream PyTorch VQGAN+CLIP loop (scripts/refbench/upstream_bench.py over the upstream sources) and
# `./vqclip bench` at the same sizes on the same host, alternating which goes first, each in its own process, and
# prints both medians, both peak RSS and the ratios (vqclip / upstream). Nothing is compared with figures from
# another machine.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

usage() {
  cat <<'TXT'
usage: scripts/bench-vs-upstream.sh --refsrc DIR [--config WxH/CUTN]... [--rounds N] [--warmup N] [--iters N]
                                    [--python PATH] [--json FILE] [-- BENCH_FLAGS...]

  --refsrc DIR     upstream sources laid out by scripts/refbench/setup_refsrc.sh (also $REFSRC)
  --config C       size/cutn, repeatable (default 128x128/16 and 256x256/32)
  --rounds N       runs of each side per config, alternating which side goes first (default 1)
  --warmup N       unmeasured warm-up iterations per run (default 2)
  --iters N        measured iterations per run (default 5)
  --python PATH    the interpreter that has Debian's python3-torch (default /usr/bin/python3)
  --json FILE      also write every run's JSON line to FILE
  -- FLAGS         extra flags for ./vqclip bench (e.g. --checkpoint-decoder, --clip-batch 0)

The upstream side needs Debian's python3-torch, libopenblas0-openmp and python3-numpy (python3-regex optional),
and the three upstream repositories at the commits pinned in scripts/refbench/setup_refsrc.sh.
Run it on an otherwise idle machine: anything else running shows up in both columns.
TXT
}

refsrc="${REFSRC:-}"; configs=(); rounds=1; warmup=2; iters=5; python=/usr/bin/python3; json_out=""; extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --refsrc) refsrc="$2"; shift 2 ;;
    --config) configs+=("$2"); shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --iters|--iterations) iters="$2"; shift 2 ;;
    --python) python="$2"; shift 2 ;;
    --json) json_out="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    --) shift; extra=("$@"); break ;;
    *) echo "bench-vs-upstream: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
[ ${#configs[@]} -gt 0 ] || configs=(128x128/16 256x256/32)
[ -n "$refsrc" ] || { echo "bench-vs-upstream: give --refsrc DIR (upstream sources, see --help)" >&2; exit 2; }
for d in taming-transformers/taming CLIP/clip VQGAN-CLIP/generate.py; do
  [ -e "$refsrc/$d" ] || { echo "bench-vs-upstream: missing $refsrc/$d; lay out the sources with scripts/refbench/setup_refsrc.sh" >&2; exit 2; }
done
for n in "$rounds" "$warmup" "$iters"; do
  [[ "$n" =~ ^[0-9]+$ ]] || { echo "bench-vs-upstream: --rounds, --warmup and --iters take whole numbers, got '$n'" >&2; exit 2; }
done
"$python" -c 'import torch' 2>/dev/null || { echo "bench-vs-upstream: $python has no torch; install Debian's python3-torch" >&2; exit 2; }
threads="${VQCLIP_THREADS:-$(nproc)}"

runs="$(mktemp)"; trap 'rm -f "$runs"' EXIT
upstream() {  # SIZE CUTN
  # Plain glibc malloc for the upstream side, as its users run it (the launcher's MALLOC_* are vqclip's own).
  env -u MALLOC_MMAP_THRESHOLD_ -u MALLOC_TRIM_THRESHOLD_ "$python" "$here/scripts/refbench/upstream_bench.py" \
    --refsrc "$refsrc" --size "$1" --cutn "$2" --warmup "$warmup" --iters "$iters" --threads "$threads" 2>/dev/null \
    | tail -1 | sed 's/^/{"side":"upstream",'"\"config\":\"$1\/$2\""',"run":/; s/$/}/'
}
vqclip() {  # SIZE CUTN
  VQCLIP_THREADS="$threads" "$here/vqclip" bench --size "$1" --cutn "$2" --warmup "$warmup" --iterations "$iters" \
    ${extra[@]+"${extra[@]}"} 2>/dev/null \
    | tail -1 | sed 's/^/{"side":"vqclip",'"\"config\":\"$1\/$2\""',"run":/; s/$/}/'
}
[ -f "$here/target/vqclip.jar" ] || (cd "$here" && mvn -q -B -DskipTests package) >&2
for c in "${configs[@]}"; do
  [[ "$c" =~ ^([0-9]+)x([0-9]+)/([0-9]+)$ ]] || { echo "bench-vs-upstream: --config takes WxH/CUTN, got '$c'" >&2; exit 2; }
  size="${BASH_REMATCH[1]}x${BASH_REMATCH[2]}"; cutn="${BASH_REMATCH[3]}"
  for ((r = 1; r <= rounds; r++)); do
    echo "bench-vs-upstream: $c round $r/$rounds" >&2
    if ((r % 2)); then upstream "$size" "$cutn" >>"$runs"; vqclip "$size" "$cutn" >>"$runs"
    else vqclip "$size" "$cutn" >>"$runs"; upstream "$size" "$cutn" >>"$runs"; fi
  done
done
[ -z "$json_out" ] || cp "$runs" "$json_out"
"$python" "$here/scripts/refbench/side_by_side.py" "$runs" "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | xargs)" "$threads"
