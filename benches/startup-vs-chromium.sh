#!/usr/bin/env bash
# Start to PNG: `noticecast render --at` of the demo feed on the plaza TV against Chromium drawing
# the same page (the notice on screen at that instant, as HTML in the same bundled font at the
# same sizes) with `--headless --screenshot`, taken in turns so whatever else the machine does
# weighs on both. Prints each side's median and the ratio (Chromium / noticecast).
#
#   benches/startup-vs-chromium.sh [BINARY]      (default: target/release/noticecast)
#
# Environment: ROUNDS (turns, default 9). Needs Debian's chromium and a Vulkan (lavapipe).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(realpath "${1:-target/release/noticecast}")
rounds=${ROUNDS:-9}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-$out/xdg}
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"

at=2026-11-27T10:00:00+08:00
feed=deploy/demo/feed.json
playlist=playlists/plaza-tv.toml
"$bin" render --feed "$feed" --playlist "$playlist" --at "$at" --out "$out/nc.png" \
  --lines-json "$out/nc.json" 2>/dev/null

# The same page as HTML: each line where noticecast put it, so Chromium shapes and draws the
# same text in the same font at the same sizes (its own layout engine is not the question here;
# start-up, shaping and drawing are).
python3 - "$out/nc.json" "$out/page.html" "$PWD/fonts" <<'EOF'
import html, json, pathlib, sys
data = json.loads(pathlib.Path(sys.argv[1]).read_text())
fonts = pathlib.Path(sys.argv[3])
spans = []
for block in data["blocks"]:
    bold = "700" if block.get("bold") else "400"
    px = block.get("px", 40)
    for l in block["lines"]:
        spans.append(
            f'<div style="position:absolute;left:{l["x"]}px;top:{l["y"]}px;font-size:{px}px;'
            f'font-weight:{bold};white-space:pre">{html.escape(l["text"])}</div>')
page = f"""<!doctype html><meta charset=utf-8><style>
@font-face {{ font-family: NC; src: url("{(fonts / 'NotoSansSC-Regular.ttf').as_uri()}"); font-weight: 400; }}
@font-face {{ font-family: NC; src: url("{(fonts / 'NotoSansSC-Bold.ttf').as_uri()}"); font-weight: 700; }}
body {{ margin: 0; width: 1920px; height: 1080px; background: #faf7f0; font-family: NC; }}
</style>{''.join(spans)}"""
pathlib.Path(sys.argv[2]).write_text(page)
EOF

# Clock reads in the shell itself (GNU date, nanoseconds): a python start-up on each read would
# add tens of milliseconds to both sides.
now() { date +%s%N; }
ms() { local end; end=$(date +%s%N); awk -v d=$((end - $1)) 'BEGIN { printf "%.1f\n", d / 1e6 }'; }
for round in $(seq "$rounds"); do
  t=$(now)
  "$bin" render --feed "$feed" --playlist "$playlist" --at "$at" --out "$out/nc.png" 2>/dev/null
  echo "noticecast $(ms "$t")" >>"$out/times"
  t=$(now)
  chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1920,1080 \
    --user-data-dir="$out/profile" --screenshot="$out/chromium.png" "file://$out/page.html" \
    >/dev/null 2>&1
  echo "chromium $(ms "$t")" >>"$out/times"
done
python3 - "$out/times" <<'EOF'
import statistics, sys
times = {}
for line in open(sys.argv[1]):
    side, ms = line.split()
    times.setdefault(side, []).append(float(ms))
nc, cr = statistics.median(times["noticecast"]), statistics.median(times["chromium"])
print(f"noticecast render --at, start to PNG: median {nc:.1f} ms ({len(times['noticecast'])} runs)")
print(f"chromium --headless --screenshot, start to PNG: median {cr:.1f} ms")
print(f"ratio (chromium / noticecast): {cr / nc:.1f}")
EOF
