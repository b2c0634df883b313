#!/usr/bin/env bash
# A change's cost, measured in one run on one machine: `noticecast bench` of two builds, taken in
# turns (before, after, before, after, ...) so that whatever else the machine does weighs on both,
# then the service figures of each (benches/service.sh with BIN). Prints, per figure, the median
# of each build's medians and their ratio (after / before; above 1 is slower).
#
#   benches/before-after.sh BEFORE_BINARY [AFTER_BINARY]   (default after: this tree's release build)
#
# Environment: ROUNDS (turns, default 5), SERVICE=0 to skip the service figures, and service.sh's
# own (RUN_S, SCREENS, SCREENS_S).
set -euo pipefail
cd "$(dirname "$0")/.."
before=$(realpath "$1")
if [ -n "${2:-}" ]; then
  after=$(realpath "$2")
else
  cargo build --release --locked
  after=$PWD/target/release/noticecast
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

for round in $(seq "${ROUNDS:-5}"); do
  for side in before after; do
    bin=${!side}
    "$bin" bench --runs 21 >>"$out/$side.txt" 2>&1
  done
  echo "round $round done"
done

# "label: median  11.66 ms ..." or "label: 77.2 ms" → label<TAB>value
figures() {
  sed -nE 's/^(.*): (median +)?([0-9.]+) ms.*/\1\t\3/p' "$1"
}
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
grep -m1 adapter "$out/after.txt" || true
printf '%-70s %10s %10s %7s\n' "figure (median of ${ROUNDS:-5} medians, ms)" before after ratio
figures "$out/before.txt" | cut -f1 | awk '!seen[$0]++' | while IFS= read -r label; do
  b=$(figures "$out/before.txt" | awk -F'\t' -v l="$label" '$1 == l {print $2}' | median)
  a=$(figures "$out/after.txt" | awk -F'\t' -v l="$label" '$1 == l {print $2}' | median)
  printf '%-70.70s %10s %10s %7s\n' "$label" "$b" "$a" "$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2f", a / b }')"
done

if [ "${SERVICE:-1}" != 0 ]; then
  for side in before after; do
    echo
    echo "== service, $side"
    BIN=${!side} benches/service.sh
  done
fi
