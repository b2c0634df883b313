#!/usr/bin/env bash
# Player figures for docs/PERFORMANCE.md: first frame, frame times while something runs, CPU of
# the player and of the X server, and peak memory after an hour of accelerated rotation.
# Usage: benches/player.sh [SECONDS]   (default 30; needs Xvfb and a release build)
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-30}"
bin=target/release/noticecast
[ -x "$bin" ] || cargo build --release --locked
work="$(mktemp -d)"
export XDG_RUNTIME_DIR="$work"
at=2026-11-27T10:00:00+08:00

Xvfb :57 -screen 0 1920x1080x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
trap 'kill $xvfb 2>/dev/null || true; rm -rf "$work"' EXIT
sleep 1
export DISPLAY=:57

ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

# run NAME PLAYLIST SPEED SECONDS: one player run, its report, and the X server's CPU meanwhile.
run() {
  local name=$1 playlist=$2 speed=$3 seconds=$4
  local x0; x0=$(ticks $xvfb)
  "$bin" play --feed deploy/demo/feed.json --playlist "$playlist" --start-at "$at" \
    --clock-speed "$speed" --exit-after "$seconds" --report "$work/$name.json" 2>/dev/null
  local x1; x1=$(ticks $xvfb)
  python3 - "$work/$name.json" "$name" "$seconds" "$(( x1 - x0 ))" <<'PY'
import json, sys
r = json.load(open(sys.argv[1])); name, secs, xticks = sys.argv[2], float(sys.argv[3]), int(sys.argv[4])
print(f"{name:28} first frame {r['first_frame_ms']:7.1f} ms | frames {r['frames']:5d} | "
      f"frame median {r['frame_ms_median'] or 0:6.2f} ms p99 {r['frame_ms_p99'] or 0:6.2f} ms | "
      f"player CPU {100 * r['cpu_s'] / r['run_s']:5.1f}% | X server CPU {xticks / secs:5.1f}% | "
      f"peak RSS {r['peak_rss_kb'] / 1024:6.1f} MiB | {r['adapter']}")
PY
}

still="$work/still.toml"
sed '/^\[ticker\]/,/^$/d' playlists/plaza-tv.toml > "$still"
[ -n "${ONLY_TICKER:-}" ] || run "tv still page" "$still" 1 "$secs"
run "tv ticker running" playlists/plaza-tv.toml 1 "$secs"
[ -n "${ONLY_TICKER:-}" ] || run "led marquee running" playlists/service-hall-led.toml 1 "$secs"
[ -n "${ONLY_TICKER:-}" ] || run "tv 1 minute at 1x" playlists/plaza-tv.toml 1 60
[ -n "${ONLY_TICKER:-}" ] || run "tv 1 hour at 60x" playlists/plaza-tv.toml 60 60

# The touch terminal, on a panel mounted on its side: 30 scripted taps (category, notice, page
# forward twice, home; again and again), each timed from the tap to its screen presented.
turned="$work/turned.toml"
sed 's/^palette = "full"/palette = "full"\nrotation = 90/' playlists/village-terminal.toml > "$turned"
script="$work/taps.jsonl"
python3 - "$script" <<'PY'
import json, sys
steps = ['category:policy', 'notice:2026-0153', 'button:next', 'button:next', 'button:home']
with open(sys.argv[1], 'w') as f:
    f.write(json.dumps({"t_ms": 1000, "tap_xy": [960, 540]}) + "\n")
    for i in range(30):
        f.write(json.dumps({"t_ms": 2000 + 700 * i, "tap": steps[i % len(steps)]}) + "\n")
PY
"$bin" play --feed deploy/demo/feed.json --playlist "$turned" --start-at "$at" --clock-speed 0 \
  --input-script "$script" --exit-after 25 --report "$work/touch.json" 2>/dev/null
python3 - "$work/touch.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
print(f"{'terminal taps (turned 90)':28} taps {r['taps']:3d} | tap to screen presented median "
      f"{r['tap_to_present_ms_median']:6.2f} ms max {r['tap_to_present_ms_max']:6.2f} ms | "
      f"frame median {r['frame_ms_median'] or 0:6.2f} ms | {r['adapter']}")
PY
