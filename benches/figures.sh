#!/usr/bin/env bash
# Issue 27's memory figure: the player's peak resident memory showing a feed whose notice has 20
# figures (1600x1200 PNGs, each page shown in turn), against the same feed without them, in the
# same run. Figures are decoded when their page comes up and only the last three are kept.
# Usage: [SPEED=30] benches/figures.sh [SECONDS]   (default 40 s at 30 times the clock; needs
# Xvfb and a release build)
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-40}"
bin=target/release/noticecast
[ -x "$bin" ] || cargo build --release --locked
work="$(mktemp -d)"
export XDG_RUNTIME_DIR="$work"
chmod 700 "$work"
at=2026-11-27T10:00:00+08:00

Xvfb :58 -screen 0 1920x1080x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
trap 'kill $xvfb 2>/dev/null || true; rm -rf "$work"' EXIT
sleep 1
export DISPLAY=:58

# Two feeds beside their assets: the demo's notices, plus one 规划公示 with or without 20 figures.
python3 - "$work" <<'PY'
import hashlib, json, os, struct, sys, zlib
work = sys.argv[1]

def png(w, h, seed):
    # A pattern that changes along each row and shifts from row to row: not a flat colour
    # that compresses to nothing, and different for every seed.
    base = bytearray()
    for x in range(w + h):
        v = (x * (seed + 3) + (x // 37) * seed * 11) & 0xFF
        base += bytes((v, (v * 5 + seed) & 0xFF, (255 - v) & 0xFF))
    rows = bytearray()
    for y in range(h):
        rows.append(0)
        rows += base[3 * y:3 * (y + w)]
    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    ihdr = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
            + chunk(b"IDAT", zlib.compress(bytes(rows), 6)) + chunk(b"IEND", b""))

demo = json.load(open("deploy/demo/feed.json"))
for name, count in (("without", 0), ("with", 20)):
    folder = os.path.join(work, name)
    os.makedirs(os.path.join(folder, "assets"))
    feed = json.loads(json.dumps(demo))
    notice = json.loads(json.dumps(feed["notices"][3]))
    notice["id"] = "2026-F20"
    notice["title"] = "城南片区控制性详细规划（修编）批前公示"
    notice["body"] = "现将规划图纸予以公示，公示期三十日。"
    figures, assets = [], []
    for i in range(count):
        data = png(1600, 1200, i + 1)
        sha = hashlib.sha256(data).hexdigest()
        open(os.path.join(folder, "assets", sha), "wb").write(data)
        figures.append({"asset": sha, "caption": f"图{i + 1}　规划图纸"})
        assets.append({"sha256": sha, "url": f"https://www.example.gov.cn/assets/{sha}",
                       "media_type": "image/png"})
    if figures:
        notice["figures"] = figures
        feed["assets"] = assets
    # Only this notice plays, so the run goes through its pages.
    feed["notices"] = [notice]
    json.dump(feed, open(os.path.join(folder, "feed.json"), "w"), ensure_ascii=False)
PY

for name in without with; do
  "$bin" play --feed "$work/$name/feed.json" --playlist playlists/plaza-tv.toml --start-at "$at" \
    --clock-speed "${SPEED:-30}" --exit-after "$secs" --report "$work/$name.json" 2>/dev/null
  python3 - "$work/$name.json" "$name" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
print(f"20 figures {sys.argv[2]:8} first frame {r['first_frame_ms']:7.1f} ms | frames "
      f"{r['frames']:5d} | frame median {r['frame_ms_median'] or 0:6.2f} ms | peak RSS "
      f"{r['peak_rss_kb'] / 1024:6.1f} MiB | {r['adapter']}")
PY
done
