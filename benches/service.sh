#!/usr/bin/env bash
# Central service figures (docs/PERFORMANCE.md):
#   1. conditional GETs of a feed answered per second on loopback, 304s and full bodies
#      (closed loop, 3 runs each, medians);
#   2. the latency at 10,000 simulated screens polling every minute (open loop, ±20% jitter,
#      5% of polls without the ETag), measured from the moment each poll was due.
# The service and the load generator (`noticecast loadgen`) are separate processes, pinned to
# separate cores where there are two or more. The data is the demo office (`demo-seed`).
# Environment: RUN_S (seconds per closed-loop run, default 5), CONNECTIONS (default 16),
# SCREENS (default 10000), SCREENS_S (seconds of the open-loop run, default 120), BIN (a built
# binary to measure instead of building this tree's, e.g. the one before a change).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${BIN:-}" ]; then cargo build --release --locked; fi
bin=${BIN:-target/release/noticecast}
port=${PORT:-18080}
data=$(mktemp -d)
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$data"' EXIT

"$bin" demo-seed --data "$data/svc" --listen "127.0.0.1:$port" >/dev/null 2>&1
serve_pin=(); load_pin=()
if [ "$(nproc)" -ge 2 ] && command -v taskset >/dev/null; then
  serve_pin=(taskset -c 0); load_pin=(taskset -c "1-$(($(nproc) - 1))")
fi
NOTICECAST_LOG=warn "${serve_pin[@]}" "$bin" serve --data "$data/svc" --listen "127.0.0.1:$port" &
pid=$!
for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
url="http://127.0.0.1:$port/feed/plaza-tv"
bytes=$(exec 3<>"/dev/tcp/127.0.0.1/$port"; printf 'GET /feed/plaza-tv HTTP/1.0\r\n\r\n' >&3; cat <&3 | wc -c)
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "feed: $url, about $bytes bytes with headers (the demo's 8 notices)"

field() { grep -o "\"$1\":[0-9.]*" | cut -d: -f2; }
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
closed() {
  local label=$1; shift
  local rates=()
  for _ in 1 2 3; do
    line=$("${load_pin[@]}" "$bin" loadgen "$url" --connections "${CONNECTIONS:-16}" --duration-s "${RUN_S:-5}" "$@")
    echo "  $line"
    rates+=("$(echo "$line" | field per_second)")
  done
  printf '%s: median %.0f requests/s\n' "$label" "$(printf '%s\n' "${rates[@]}" | median)"
}
closed "304 Not Modified (If-None-Match with the current ETag)" --conditional
closed "200 full bodies (no ETag)"
# The service's CPU time (user + system, in clock ticks) from /proc.
ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
echo "open loop: ${SCREENS:-10000} screens polling every 60 s for ${SCREENS_S:-120} s"
before=$(ticks); started=$(date +%s.%N)
"${load_pin[@]}" "$bin" loadgen "$url" --screens "${SCREENS:-10000}" --interval-s 60 \
  --duration-s "${SCREENS_S:-120}" --conditional --stale 0.05
after=$(ticks); ended=$(date +%s.%N)
awk -v t="$((after - before))" -v hz="$(getconf CLK_TCK)" -v s="$started" -v e="$ended" \
  'BEGIN { printf "service CPU during the open loop: %.1f%% of one core\n", 100 * t / hz / (e - s) }'
echo "service peak RSS: $(awk '/VmHWM/ {print $2, $3}' "/proc/$pid/status")"
