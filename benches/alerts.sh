#!/usr/bin/env bash
# Warning figures (docs/PERFORMANCE.md), on the demo office (`demo-seed`, areas 330102/330105)
# with a direct alert source:
#   1. SCREENS simulated screens (default 2000) long-poll plaza-tv's feed; a CAP alert is posted;
#      each screen's time from the POST to holding the new feed, signature verified
#      (`noticecast loadgen --waiters`): p50 / p99 / max, ROUNDS rounds (default 3);
#   2. a real player under Xvfb on the demo plaza screen's configuration: from the POST to the
#      player's log line that the warning is on screen (composed; it is presented within the same
#      refresh), ROUNDS rounds, each warning cancelled before the next.
# The service is pinned to core 0, the screens to the others where there are two or more.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked
bin=target/release/noticecast
port=${PORT:-18090}
screens=${SCREENS:-2000}
rounds=${ROUNDS:-3}
work=$(mktemp -d)
export XDG_RUNTIME_DIR="$work"
chmod 700 "$work"
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"' EXIT
# Two file descriptors per waiting screen (its end and the service's).
ulimit -n $((4 * screens + 1024))

"$bin" demo-seed --data "$work/svc" --listen "127.0.0.1:$port" >/dev/null 2>&1
token=$("$bin" source add --data "$work/svc" bench-qxt --publish direct --areas 330100 2>/dev/null)
serve_pin=(); load_pin=()
if [ "$(nproc)" -ge 2 ] && command -v taskset >/dev/null; then
  serve_pin=(taskset -c 0); load_pin=(taskset -c "1-$(($(nproc) - 1))")
fi
NOTICECAST_LOG=warn "${serve_pin[@]}" "$bin" serve --data "$work/svc" --listen "127.0.0.1:$port" &
pids+=($!)
for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"

# alert KIND ID [REFERENCES] and post FILE.
source benches/alert-messages.sh

echo "1. $screens screens long-polling /feed/plaza-tv, one alert posted, $rounds rounds"
for r in $(seq "$rounds"); do
  alert alert "bench-load-$r" > "$work/a.xml"
  "${load_pin[@]}" "$bin" loadgen "http://127.0.0.1:$port/feed/plaza-tv" --waiters "$screens" \
    --alert "$work/a.xml" --token "$token"
  alert cancel "bench-load-$r-cancel" "bench-load-$r" > "$work/c.xml"
  [ "$(post "$work/c.xml")" = 200 ] || { echo "cancel refused"; exit 1; }
done

echo "2. a player under Xvfb (demo-plaza), from the POST to the warning on its screen"
Xvfb :58 -screen 0 1920x1080x24 -nolisten tcp >/dev/null 2>&1 &
pids+=($!)
sleep 1
DISPLAY=:58 NOTICECAST_LOG=info "${load_pin[@]}" "$bin" play --config "$work/svc/demo-plaza.toml" \
  2> "$work/player.log" &
pids+=($!)
for _ in $(seq 300); do grep -q "feed reloaded" "$work/player.log" 2>/dev/null && break; sleep 0.1; done
grep -q "feed reloaded" "$work/player.log" || { echo "the player got no feed"; tail "$work/player.log"; exit 1; }
sleep 3
for r in $(seq "$rounds"); do
  alert alert "bench-player-$r" > "$work/a.xml"
  lines=$(wc -l < "$work/player.log")
  t0=$(date +%s.%N)
  answer=$(curl -s -X POST "http://127.0.0.1:$port/api/alerts" -H "Authorization: Bearer $token" \
    -H 'Content-Type: application/cap+xml' --data-binary @"$work/a.xml")
  id=$(echo "$answer" | python3 -c 'import json,sys; print(json.load(sys.stdin)["notice"])')
  t1=""
  for _ in $(seq 1000); do
    if tail -n +"$((lines + 1))" "$work/player.log" | grep -q "showing notice $id "; then
      t1=$(date +%s.%N); break
    fi
    sleep 0.01
  done
  [ -n "$t1" ] || { echo "round $r: the warning never showed"; tail "$work/player.log"; exit 1; }
  awk -v a="$t0" -v b="$t1" -v r="$r" -v id="$id" \
    'BEGIN { printf "  round %d: notice %s on screen %.2f s after the POST\n", r, id, b - a }'
  # The screen really is orange once the page's fade is over: its most common colour, read off
  # the X server.
  sleep 1
  import -display :58 -window root "$work/shot.png" 2>/dev/null &&
    python3 - "$work/shot.png" <<'PY' || true
import subprocess, sys
out = subprocess.run(["convert", sys.argv[1], "-scale", "64x36!", "-format", "%c", "histogram:info:-"],
                     capture_output=True, text=True).stdout
top = max((l for l in out.splitlines() if ":" in l), key=lambda l: int(l.split(":")[0]))
print("    most common colour on screen:", top.split("#")[1].split()[0] if "#" in top else top)
PY
  alert cancel "bench-player-$r-cancel" "bench-player-$r" > "$work/c.xml"
  [ "$(post "$work/c.xml")" = 200 ] || { echo "cancel refused"; exit 1; }
  sleep 3
done
