#!/usr/bin/env bash
# Two builds' services up at once on the demo office, closed-loop feed requests taken in turns
# (304s, then full bodies), so the contention of the moment weighs on both; prints per run:
# build (1 = first, 2 = second), mode, requests per second, p50 ms.
#
#   benches/service-before-after.sh BEFORE_BINARY AFTER_BINARY     (ROUNDS, default 5)
set -euo pipefail
cd "$(dirname "$0")/.."
a=$(realpath "$1"); b=$(realpath "$2"); rounds=${ROUNDS:-5}
d=$(mktemp -d); pids=()
trap 'kill ${pids[@]} 2>/dev/null; rm -rf "$d"' EXIT
i=0
for bin in "$a" "$b"; do
  port=$((18100 + i)); i=$((i + 1))
  "$bin" demo-seed --data "$d/$i" --listen "127.0.0.1:$port" >/dev/null 2>&1
  NOTICECAST_LOG=warn taskset -c 0 "$bin" serve --data "$d/$i" --listen "127.0.0.1:$port" & pids+=($!)
done
sleep 2
for r in $(seq "$rounds"); do
  for mode in --conditional ""; do
    i=0
    for bin in "$a" "$b"; do
      port=$((18100 + i)); i=$((i + 1))
      line=$(taskset -c 1 "$a" loadgen "http://127.0.0.1:$port/feed/plaza-tv" --connections 16 --duration-s 3 $mode)
      echo "$i ${mode:-full} $(echo "$line" | grep -o '"per_second":[0-9.]*' | cut -d: -f2) $(echo "$line" | grep -o '"p50_ms":[0-9.]*' | cut -d: -f2)"
    done
  done
done
