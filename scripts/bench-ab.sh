#!/usr/bin/env bash
# Times `./vqclip bench` under two settings on the same host, one process after the other, alternating which goes
# first, and prints each side's median s/iter and peak RSS (median and range over the runs) per config.
# A setting is a string of words: NAME=value words are environment variables, @DIR runs DIR's launcher (another
# checkout, e.g. a git worktree of an older revision), the rest are bench flags, e.g.
#   scripts/bench-ab.sh 'VQCLIP_ALLOCATOR=glibc' 'VQCLIP_ALLOCATOR=jemalloc' --config 256x256/32 --rounds 3
#   scripts/bench-ab.sh '' '--checkpoint-decoder'
#   scripts/bench-ab.sh '@../old --cut-method latest' '--cut-method latest'
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

usage() {
  cat <<'TXT'
usage: scripts/bench-ab.sh SETTING_A SETTING_B [--config WxH/CUTN]... [--rounds N] [--warmup N] [--iters N]

  SETTING          words: NAME=value sets an environment variable for that side's run, @DIR runs DIR/vqclip
                   instead of this checkout's (built first if it has no jar), anything else is a bench flag
  --config C       size/cutn, repeatable (default 128x128/16 and 256x256/32)
  --rounds N       runs of each side per config, alternating which side goes first (default 3)
  --warmup N       unmeasured warm-up iterations per run (default 1)
  --iters N        measured iterations per run (default 3)
Run it on an otherwise idle machine: anything else running shows up in both columns.
TXT
}

[ $# -ge 2 ] || { usage >&2; exit 2; }
settings=("$1" "$2"); shift 2
configs=(); rounds=3; warmup=1; iters=3
while [ $# -gt 0 ]; do
  case "$1" in
    --config) configs+=("$2"); shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --iters|--iterations) iters="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "bench-ab: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
[ ${#configs[@]} -gt 0 ] || configs=(128x128/16 256x256/32)
for n in "$rounds" "$warmup" "$iters"; do
  [[ "$n" =~ ^[0-9]+$ ]] || { echo "bench-ab: --rounds, --warmup and --iters take whole numbers, got '$n'" >&2; exit 2; }
done

runs="$(mktemp)"; trap 'rm -f "$runs"' EXIT
side() {  # INDEX SIZE CUTN
  local env=() flags=() w launcher="$here/vqclip"
  for w in ${settings[$1]}; do
    if [[ "$w" =~ ^[A-Za-z_][A-Za-z0-9_]*= ]]; then env+=("$w"); elif [[ "$w" == @* ]]; then launcher="${w#@}/vqclip"
    else flags+=("$w"); fi
  done
  env ${env[@]+"${env[@]}"} "$launcher" bench --size "$2" --cutn "$3" --warmup "$warmup" --iterations "$iters" \
    ${flags[@]+"${flags[@]}"} 2>/dev/null | tail -1 | sed 's/^/{"side":'"$1"',"config":"'"$2\/$3"'","run":/; s/$/}/' >>"$runs"
}
for tree in "$here" $(printf '%s\n' ${settings[0]} ${settings[1]} | sed -n 's/^@//p'); do
  [ -x "$tree/vqclip" ] || { echo "bench-ab: @$tree has no vqclip launcher" >&2; exit 2; }
  [ -f "$tree/target/vqclip.jar" ] || (cd "$tree" && mvn -q -B -DskipTests package) >&2
done
for c in "${configs[@]}"; do
  [[ "$c" =~ ^([0-9]+)x([0-9]+)/([0-9]+)$ ]] || { echo "bench-ab: --config takes WxH/CUTN, got '$c'" >&2; exit 2; }
  size="${BASH_REMATCH[1]}x${BASH_REMATCH[2]}"; cutn="${BASH_REMATCH[3]}"
  for ((r = 1; r <= rounds; r++)); do
    echo "bench-ab: $c round $r/$rounds" >&2
    if ((r % 2)); then side 0 "$size" "$cutn"; side 1 "$size" "$cutn"; else side 1 "$size" "$cutn"; side 0 "$size" "$cutn"; fi
  done
done
python3 - "$runs" "${settings[0]}" "${settings[1]}" <<'PY'
import json, statistics, sys
runs = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
names = [sys.argv[2] or '(default)', sys.argv[3] or '(default)']
print(f'A = {names[0]}\nB = {names[1]}\nmedian over runs of each run\'s median s/iter; peak RSS median [min-max]')
print(f'{"config":<12} {"A s/iter":>9} {"B s/iter":>9} {"B/A":>6} {"A peak RSS MiB":>22} {"B peak RSS MiB":>22} {"runs":>5}')
for c in dict.fromkeys(r['config'] for r in runs):
    cols = []
    for k in (0, 1):
        got = [r['run'] for r in runs if r['config'] == c and r['side'] == k]
        if not got:
            sys.exit(f'bench-ab: side {"AB"[k]} printed no result for {c}; run it alone to see its error')
        rss = [g['peak_rss_mib'] for g in got]
        cols.append((statistics.median(g['median_s_per_iter'] for g in got),
                     f'{statistics.median(rss):.0f} [{min(rss)}-{max(rss)}]', len(got)))
    print(f'{c:<12} {cols[0][0]:>9.3f} {cols[1][0]:>9.3f} {cols[1][0] / cols[0][0]:>6.2f} {cols[0][1]:>22} {cols[1][1]:>22} {cols[0][2]:>5}')
PY
