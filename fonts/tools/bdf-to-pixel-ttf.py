#!/usr/bin/env python3
"""A BDF bitmap font as a TrueType font whose glyphs are the bitmap's pixels, as squares.

Drawn at its pixel size on whole-pixel positions, every square covers whole pixels: the outline
rasteriser the player uses (swash, through glyphon) then gives exactly the bitmap, with no grey
edges, which is what single-colour LED modules need (fonts/README.md). One pixel is 64 units;
unitsPerEm is the pixel size times 64.

Usage: bdf-to-pixel-ttf.py FONT.bdf OUT.ttf FAMILY
Keeps ASCII, GB 2312 (the 6,763 hanzi and the symbols) and the fullwidth forms; other characters
fall back to the outline font at render time. Needs fontTools (pip install fonttools).
"""
import sys

from fontTools.fontBuilder import FontBuilder
from fontTools.pens.ttGlyphPen import TTGlyphPen

UNIT = 64


def wanted(cp):
    if 0x20 <= cp < 0x7F or 0xFF00 <= cp <= 0xFFEF or cp == 0x3013:
        return True
    try:
        chr(cp).encode("gb2312")
        return cp > 0x7F
    except UnicodeEncodeError:
        return False


def read_bdf(path):
    props, glyphs, g = {}, {}, None
    with open(path, encoding="latin-1") as f:
        lines = iter(f.read().splitlines())
    for line in lines:
        key, _, rest = line.partition(" ")
        if g is None and key in ("FONT_ASCENT", "FONT_DESCENT", "PIXEL_SIZE"):
            props[key] = int(rest)
        elif key == "STARTCHAR":
            g = {}
        elif key == "ENCODING":
            g["cp"] = int(rest.split()[0])
        elif key == "DWIDTH":
            g["advance"] = int(rest.split()[0])
        elif key == "BBX":
            g["w"], g["h"], g["x"], g["y"] = map(int, rest.split())
        elif key == "BITMAP":
            rows = []
            for row in lines:
                if row == "ENDCHAR":
                    break
                rows.append(int(row, 16) if row else 0)
            g["rows"] = rows
            if g.get("cp", -1) >= 0 and wanted(g["cp"]):
                glyphs[g["cp"]] = g
            g = None
    return props, glyphs


def rectangles(g):
    """Runs of set pixels per row, merged downwards while the same columns stay set."""
    width_bits = ((g["w"] + 7) // 8) * 8
    open_runs, done = {}, []
    for r, bits in enumerate(g["rows"]):
        runs, c = [], 0
        while c < g["w"]:
            if bits >> (width_bits - 1 - c) & 1:
                start = c
                while c < g["w"] and bits >> (width_bits - 1 - c) & 1:
                    c += 1
                runs.append((start, c))
            else:
                c += 1
        next_open = {}
        for run in runs:
            next_open[run] = (open_runs.pop(run)[0], r) if run in open_runs else (r, r)
        done += [(run, rows) for run, rows in open_runs.items()]
        open_runs = next_open
    done += [(run, rows) for run, rows in open_runs.items()]
    # Rows count down from the top of the box; font units go up from the baseline.
    top = g["y"] + g["h"]
    return [
        (g["x"] + c0, top - r1 - 1, g["x"] + c1, top - r0) for (c0, c1), (r0, r1) in done
    ]


def main(src, out, family):
    props, glyphs = read_bdf(src)
    size = props["PIXEL_SIZE"]
    order = [".notdef"] + [f"uni{cp:04X}" if cp <= 0xFFFF else f"u{cp:05X}" for cp in sorted(glyphs)]
    fb = FontBuilder(size * UNIT, isTTF=True)
    fb.setupGlyphOrder(order)
    fb.setupCharacterMap({cp: order[i + 1] for i, cp in enumerate(sorted(glyphs))})
    outlines, metrics = {".notdef": TTGlyphPen(None).glyph()}, {".notdef": (size * UNIT // 2, 0)}
    for i, cp in enumerate(sorted(glyphs)):
        g, pen = glyphs[cp], TTGlyphPen(None)
        boxes = rectangles(g)
        for x0, y0, x1, y1 in boxes:
            # Clockwise: an outer contour in TrueType.
            pen.moveTo((x0 * UNIT, y0 * UNIT))
            pen.lineTo((x0 * UNIT, y1 * UNIT))
            pen.lineTo((x1 * UNIT, y1 * UNIT))
            pen.lineTo((x1 * UNIT, y0 * UNIT))
            pen.closePath()
        name = order[i + 1]
        outlines[name] = pen.glyph()
        metrics[name] = (g["advance"] * UNIT, min((b[0] for b in boxes), default=0) * UNIT)
    fb.setupGlyf(outlines)
    fb.setupHorizontalMetrics(metrics)
    ascent, descent = props["FONT_ASCENT"] * UNIT, props["FONT_DESCENT"] * UNIT
    fb.setupHorizontalHeader(ascent=ascent, descent=-descent)
    # fontdb (the player's font database) skips a face without a PostScript name.
    fb.setupNameTable(
        {"familyName": family, "styleName": "Regular", "psName": family.replace(" ", "")}
    )
    fb.setupOS2(
        sTypoAscender=ascent, sTypoDescender=-descent, sTypoLineGap=0,
        usWinAscent=ascent, usWinDescent=descent,
    )
    fb.setupPost()
    fb.save(out)


if __name__ == "__main__":
    main(*sys.argv[1:4])
