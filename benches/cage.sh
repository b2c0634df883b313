#!/usr/bin/env bash
# The kiosk as deployed, for docs/PERFORMANCE.md: CPU of the whole kiosk (cage, Xwayland and the
# player: every process under cage) while the plaza TV's ticker runs, under cage's headless
# backend with the pixman renderer, started by the kiosk unit's own command line; and, in the
# same run, Chromium in kiosk mode (--ozone-platform=wayland --kiosk) showing a CSS ticker of the
# same band, type size and speed under the same cage. Then the same player under Xvfb, and the
# hall's single-colour LED strip (384x96 on the 1280x720 output) under cage.
# Usage: benches/cage.sh [SECONDS] [ROUNDS]  (default 30 s, 3 rounds; as root or a user
# that may run cage; needs cage, grim, chromium, Xvfb: deploy/install-deps --tests)
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-30}"
rounds="${2:-3}"
bin=target/release/noticecast
[ -x "$bin" ] || cargo build --release --locked
at=2026-11-27T10:00:00+08:00

# cage refuses root: as root, the kiosk runs as a user of its own, like the unit's.
user=""
if [ "$(id -u)" -eq 0 ]; then
  user=noticecast-test
  id "$user" >/dev/null 2>&1 || useradd --system -M -s /usr/sbin/nologin "$user"
fi
as_user() { if [ -n "$user" ]; then runuser -u "$user" -- "$@"; else "$@"; fi; }

stage="$(mktemp -d)"
trap 'pkill -u "${user:-$(id -un)}" -x cage 2>/dev/null || true; rm -rf "$stage"' EXIT
chmod 755 "$stage"
cp "$bin" deploy/demo/feed.json playlists/plaza-tv.toml playlists/service-hall-led.toml "$stage/"
cp -r fonts "$stage/fonts"
# Chromium finds the same font through fontconfig in the kiosk user's home.
mkdir -p "$stage/home/.fonts" "$stage/run"
cp fonts/NotoSansSC-*.ttf "$stage/home/.fonts/"
chmod -R a+rX "$stage"
[ -z "$user" ] || chown -R "$user" "$stage/home" "$stage/run"
chmod 700 "$stage/run"

# The band as the player lays it out on this output, and the speed it runs at there.
out=1280x720
speed=$(NOTICECAST_LOG=info "$bin" render --feed deploy/demo/feed.json \
  --playlist playlists/plaza-tv.toml --at "$at" --output "$out" --out "$stage/frame.png" 2>&1 \
  | sed 's/\x1b\[[0-9;]*m//g' | sed -n 's/.*running text at \([0-9.]*\) px\/s.*/\1/p')
ticker_px=$(python3 -c "
import tomllib; p = tomllib.load(open('playlists/plaza-tv.toml', 'rb'))
print(round(p['type'].get('ticker_px', round(p['type']['body_px'] * 0.85)) * 720 / p['screen']['height']))")
text=$(python3 -c "import tomllib; print(tomllib.load(open('playlists/plaza-tv.toml', 'rb'))['ticker']['text'])")
band_h=$(( ticker_px * 17 / 10 ))
cat > "$stage/ticker.html" <<HTML
<!doctype html><html><head><meta charset="utf-8"><style>
html,body{margin:0;height:100%;background:#f8f5ee;overflow:hidden;font-family:"Noto Sans SC"}
#band{position:absolute;left:0;right:0;bottom:0;height:${band_h}px;background:#1f3a5f;overflow:hidden}
#run{position:absolute;left:100%;white-space:nowrap;color:#fff;font-size:${ticker_px}px;
     line-height:${band_h}px;animation:go 40s linear infinite}
@keyframes go{from{transform:translateX(0)}to{transform:translateX(-$(( 40 * ${speed%.*} ))px)}}
</style></head><body><div id="band"><div id="run">${text}</div></div></body></html>
HTML
chmod 644 "$stage/ticker.html"

# The kiosk unit's command line: cage and its options, then the player.
cage_opts=$(sed -n 's|^ExecStart=/usr/bin/cage \(.*\) -- .*|\1|p' deploy/systemd/noticecast-player.service)

# CPU seconds (user + system) of a process and all its descendants.
tree_cpu() {
  python3 - "$1" <<'PY'
import os, sys
root = int(sys.argv[1]); kids = {}; cpu = {}
for p in os.listdir('/proc'):
    if not p.isdigit(): continue
    try: f = open(f'/proc/{p}/stat').read().rsplit(')', 1)[1].split()
    except OSError: continue
    kids.setdefault(int(f[1]), []).append(int(p)); cpu[int(p)] = int(f[11]) + int(f[12])
total, todo = 0, [root]
while todo:
    p = todo.pop(); total += cpu.get(p, 0); todo += kids.get(p, [])
print(total)
PY
}

# kiosk NAME COMMAND...: COMMAND under headless cage; CPU of the whole tree over $secs s.
kiosk() {
  local name=$1; shift
  as_user env -u DISPLAY -u WAYLAND_DISPLAY HOME="$stage/home" XDG_RUNTIME_DIR="$stage/run" \
    WLR_BACKENDS=headless WLR_RENDERER=pixman WLR_LIBINPUT_NO_DEVICES=1 \
    NOTICECAST_FONTS="$stage/fonts" NOTICECAST_LOG=warn \
    cage $cage_opts -- "$@" >/dev/null 2>&1 &
  local launcher=$!
  sleep 8   # start-up, shader and glyph caches, Chromium's first paint
  local a; a=$(tree_cpu $launcher)
  sleep "$secs"
  local b; b=$(tree_cpu $launcher)
  printf '%-34s %6.1f%% of a core\n' "$name" "$(echo "($b - $a) / $secs" | bc -l)"
  pkill -u "${user:-$(id -un)}" -x cage 2>/dev/null || true
  wait $launcher 2>/dev/null || true
  sleep 2
}

# xvfb NAME: the same player under Xvfb of the same size; the player and the X server.
xvfb() {
  Xvfb :58 -screen 0 ${out}x24 -nolisten tcp >/dev/null 2>&1 &
  local x=$!
  sleep 1
  DISPLAY=:58 XDG_RUNTIME_DIR="$stage/xrun" NOTICECAST_FONTS=fonts NOTICECAST_LOG=warn \
    "$bin" play --feed deploy/demo/feed.json --playlist playlists/plaza-tv.toml --start-at "$at" \
    >/dev/null 2>&1 &
  local player=$!
  sleep 8
  local a; a=$(( $(tree_cpu $player) + $(tree_cpu $x) ))
  sleep "$secs"
  local b; b=$(( $(tree_cpu $player) + $(tree_cpu $x) ))
  printf '%-34s %6.1f%% of a core\n' "$1" "$(echo "($b - $a) / $secs" | bc -l)"
  kill $player $x 2>/dev/null || true
  wait $player $x 2>/dev/null || true
}
mkdir -p "$stage/xrun"; chmod 700 "$stage/xrun"

echo "output $out, ticker ${ticker_px} px at ${speed} px/s, ${secs} s a run, $(nproc) cores"
for round in $(seq "$rounds"); do
  echo "round $round"
  kiosk "  player under cage (TV ticker)" "$stage/noticecast" play --feed "$stage/feed.json" \
    --playlist "$stage/plaza-tv.toml" --start-at "$at"
  kiosk "  chromium --kiosk under cage (CSS)" chromium --ozone-platform=wayland --kiosk \
    --no-first-run --noerrdialogs --disable-gpu --user-data-dir="$stage/home/chromium" \
    "file://$stage/ticker.html"
  xvfb "  player under Xvfb (+ X server)"
  kiosk "  player under cage (LED marquee)" "$stage/noticecast" play --feed "$stage/feed.json" \
    --playlist "$stage/service-hall-led.toml" --start-at "$at"
done
