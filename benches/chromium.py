#!/usr/bin/env python3
"""The same notice typeset by Chromium and by noticecast, with the differences counted.

Chromium gets the body as paragraphs in a box as wide as noticecast's body area, in the same
font file at the same size, with `text-align: justify; line-break: strict; text-spacing-trim:
normal` and a two-character first-line indent; a script reads back where each line breaks and
how wide each character was drawn. noticecast's lines come from `render --lines-json`, every
page. Both are counted the same way:

  lines      how many lines the body takes
  clreq      line starts with a mark that may not start a line (、。，）》” …) or ends with one
             that may not end it (（《“ …)
  split      a number, a Latin word or a URL broken across two lines
  pairs      adjacent full-width marks on one line (。” ）、 ：“ 》《 …)
  compressed of those pairs, how many were set with one blank half taken out
  overflow   lines wider than the measure
  dash       lines starting with a dash (a range 2026—2028年 broken before its dash)
  kept       breaks inside a name (间隔号, a short name between 、), a number and its unit, a range
  widow      paragraphs whose last line holds one character

Usage: benches/chromium.py [--binary target/release/noticecast] [--out docs/typesetting-vs-chromium.md]
Needs Debian's chromium and a Vulkan (lavapipe) for `render`.
"""

import argparse
import json
import os
import pathlib
import subprocess
import sys
import tempfile
import tomllib

ROOT = pathlib.Path(__file__).resolve().parent.parent

PARAGRAPHS = [
    "为贯彻落实《中华人民共和国政府信息公开条例》（国务院令第711号）和《云岭区数字乡村建设三年行动方案（2026—2028年）》，进一步做好“数字乡村”建设试点工作，经区人民政府同意，现就2026年度试点申报、评审和资金拨付有关事项通知如下。",
    "申报对象为全区各镇（街道）所辖行政村（社区），每个镇（街道）推荐不超过3个。申报材料包括：《试点申报表》（附件1）、《建设方案》（附件2）和“一村一档”资料清单，于2026年12月31日17:00前报送区农业农村局（地址：城关镇人民路128号，电话：0871-6000 1234）。",
    "评审采取“材料审查＋实地核查＋集中评议”方式进行。评审结果在区政府门户网站（https://www.example.gov.cn/yunling/2026/1127/notice-0153.html）和各村务公开栏公示，公示期为7个工作日。对公示结果有异议的，可在公示期内以书面形式向区农业农村局反映。",
    "试点村按照“先建后补、以奖代补”原则，每村补助资金不超过50万元，主要用于：益农信息社、5G基站配套、WiFi覆盖和“雪亮工程”视频监控等。资金使用情况接受审计、纪检监察部门监督，严禁截留、挤占、挪用。",
    "各镇（街道）要高度重视，明确分管领导和具体联系人；区有关部门要加强指导，及时协调解决试点中遇到的问题。联系人：李明，电话：0871-6000 5678；邮箱：szxc@example.gov.cn。",
    # Issue 28's rules: names in a list and with a 间隔号, ranges, amounts with their units,
    # an address after its label.
    "经村民代表会议评议，拟推荐张伟、李娜、王芳、刘洋、陈静、杨磊、赵敏、黄勇、周杰、吴霞、热依拉·艾买提、阿卜杜拉·买买提、古丽娜尔·吐尔逊等13名同志为2026—2027年度“数字乡村带头人”，每人补助3,600.00元，合计46,800.00元。",
    "全区2026年1—10月完成数字乡村建设投资12.8亿元，同比增长15.6%，覆盖行政村186个、农户3.2万户。试点期为2026年12月1日至2028年11月30日，实施方案全文见https://www.example.gov.cn/yunling/szxc/2026/fangan-2026-2028.html，意见请发送至电子邮箱：szxc-yijian@example.gov.cn。",
]

NO_START = set("、。，．：；？！）》」』】〕〉”’…—·%‰ー々〻ゝゞ々")
NO_END = set("（《「『【〔〈“‘")
FULLWIDTH = set("、。，．：；？！（）《》「」『』【】〔〕〈〉“”‘’")


def is_word(c):
    return c.isascii() and (c.isalnum() or c in "./:-_@%#?=&")


def count(lines, measure, px):
    """lines: [(text, width, [per-char widths] or None, compressed or None)]"""
    out = dict(lines=len(lines), clreq=0, split=0, pairs=0, compressed=0, overflow=0)
    for i, (text, width, widths, compressed) in enumerate(lines):
        if text and text[0] in NO_START:
            out["clreq"] += 1
        if text and text[-1] in NO_END:
            out["clreq"] += 1
        if i + 1 < len(lines) and text and lines[i + 1][0]:
            if is_word(text[-1]) and is_word(lines[i + 1][0][0]):
                out["split"] += 1
        if width > measure + 0.5:
            out["overflow"] += 1
        pairs = [j for j in range(len(text) - 1) if text[j] in FULLWIDTH and text[j + 1] in FULLWIDTH]
        out["pairs"] += len(pairs)
        if widths is not None:
            # A pair set whole is two em wide; one blank half taken out leaves 1.5 em.
            out["compressed"] += sum(1 for j in pairs if widths[j] + widths[j + 1] < 1.75 * px)
        else:
            out["compressed"] += min(compressed, len(pairs))
    return out


UNITS = set("年月日元万亿%‰个人户名项次件天岁米吨亩")
DIGIT = set("0123456789")


def protected(text):
    """Ranges of `text` a line must not break inside (issue 28): a name with a 间隔号, a short
    name between 、, a number with its unit, a range like 2026—2028年."""
    import re
    out = []
    for m in re.finditer(r"[\u4e00-\u9fff]{1,6}[·・•‧][\u4e00-\u9fff]{1,6}", text):
        out.append((m.start(), m.end()))
    for m in re.finditer(r"(?<=[、：，])[\u4e00-\u9fff]{2,3}(?=[、等])", text):
        out.append((m.start(), m.end()))
    for m in re.finditer(r"[0-9][0-9,.]*[%‰]?(?:[年月日元个人户名项次件天岁米吨亩]|万元|亿元|万户)?", text):
        out.append((m.start(), m.end()))
    for m in re.finditer(r"[0-9]+年?—[0-9]+年", text):
        out.append((m.start(), m.end()))
    return out


def rule_counts(lines):
    """Issue 28's counts over the body's lines, in order: `dash` lines starting with —, `kept`
    breaks inside a protected range (names, numbers with units, ranges), `widow` paragraphs whose
    last line holds one character."""
    text = "".join(PARAGRAPHS)
    # Where each line break falls in the paragraphs' text (spaces at a break are dropped).
    breaks, ends, pos = [], set(), 0
    para_ends, acc = set(), 0
    for p in PARAGRAPHS:
        acc += len(p)
        para_ends.add(acc)
    out = dict(dash=0, kept=0, widow=0)
    for i, (line, _, _, _) in enumerate(lines):
        if line.startswith("—"):
            out["dash"] += 1
        k = 0
        while k < len(line) and pos < len(text):
            if text[pos] == line[k]:
                k += 1
            pos += 1
        while pos < len(text) and text[pos] == " ":
            pos += 1
        breaks.append(pos)
        if pos in para_ends and len(line.rstrip("。，；：”）")) <= 1:
            out["widow"] += 1
    spans = protected(text)
    out["kept"] = sum(1 for b in breaks if any(s < b < e for s, e in spans))
    return out


def noticecast_lines(binary, workdir):
    feed = json.loads((ROOT / "deploy/demo/feed.json").read_text())
    notice = {
        "id": "cmp-1",
        "category": "policy",
        "priority": "normal",
        "title": "关于做好2026年度数字乡村建设试点工作的通知",
        "body": "\n\n".join(PARAGRAPHS),
        "issuer": "云岭区人民政府办公室",
        "published_at": "2026-11-27T09:00:00+08:00",
        "valid_from": "2026-11-27T09:00:00+08:00",
    }
    feed["notices"] = [notice]
    feed.pop("playlist", None)
    feed_path = workdir / "feed.json"
    feed_path.write_text(json.dumps(feed, ensure_ascii=False))
    # Every page of the body: without the residents' page (`public_url`) the TV sets the whole
    # notice rather than its first pages and a closing code.
    playlist = workdir / "plaza-tv.toml"
    playlist.write_text("".join(
        l for l in (ROOT / "playlists/plaza-tv.toml").read_text().splitlines(keepends=True)
        if not l.startswith("public_url")))
    lines, area = [], None
    page = 1
    while True:
        out = workdir / f"page{page}.json"
        r = subprocess.run(
            [binary, "render", "--feed", str(feed_path), "--playlist", str(playlist),
             "--notice", "cmp-1", "--page", str(page), "--out", str(workdir / f"page{page}.png"),
             "--lines-json", str(out)],
            capture_output=True, text=True)
        if r.returncode != 0:
            if page == 1:
                sys.exit(f"render failed: {r.stderr}")
            break
        data = json.loads(out.read_text())
        if "body" not in data["areas"]:
            break  # a closing page: its code, no body
        area = data["areas"]["body"]
        for block in data["blocks"]:
            if block["role"] == "body":
                for l in block["lines"]:
                    lines.append((l["text"], l["w"] + (l["x"] - area["x"]), None, l.get("compressed", 0)))
        page += 1
    return lines, area


def chromium_lines(measure, px, line_height, workdir):
    font = ROOT / "fonts/NotoSansSC-Regular.ttf"
    paras = "\n".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    html = f"""<!doctype html><meta charset=utf-8>
<style>
@font-face {{ font-family: NC; src: url("{font.as_uri()}"); }}
body {{ margin: 0; }}
#box {{ width: {measure}px; font: {px}px/{line_height} NC; text-align: justify; line-break: strict;
       text-spacing-trim: normal; }}
p {{ margin: 0 0 {px * 0.5}px; text-indent: 2em; }}
</style>
<div id=box>{paras}</div><pre id=out></pre>
<script>
document.fonts.ready.then(() => {{
  const lines = [];
  for (const p of document.querySelectorAll('#box p')) {{
    const node = p.firstChild, text = node.data;
    let cur = null;
    for (let i = 0; i < text.length; i++) {{
      const r = document.createRange(); r.setStart(node, i); r.setEnd(node, i + 1);
      const b = r.getBoundingClientRect();
      if (!cur || Math.abs(b.top - cur.top) > {px} / 2) {{
        cur = {{top: b.top, text: '', widths: [], right: 0}}; lines.push(cur);
      }}
      cur.text += text[i]; cur.widths.push(b.width); cur.right = Math.max(cur.right, b.right);
    }}
  }}
  document.getElementById('out').textContent = JSON.stringify(lines);
}});
</script>"""
    page = workdir / "chromium.html"
    page.write_text(html)
    dom = subprocess.check_output(
        ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--allow-file-access-from-files",
         "--virtual-time-budget=10000", "--dump-dom", page.as_uri()],
        text=True, stderr=subprocess.DEVNULL)
    start = dom.index('<pre id="out">') + len('<pre id="out">')
    raw = dom[start:dom.index("</pre>", start)]
    import html as h
    data = json.loads(h.unescape(raw))
    out = []
    for l in data:
        # Spaces at a line's end hang in the margin, as in noticecast.
        text = l["text"].rstrip(" ")
        widths = l["widths"][: len(text)]
        out.append((text.lstrip(" "), l["right"], widths[len(text) - len(text.lstrip(' ')):], None))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", default=str(ROOT / "target/release/noticecast"))
    ap.add_argument("--out")
    args = ap.parse_args()
    playlist = tomllib.loads((ROOT / "playlists/plaza-tv.toml").read_text())
    px, lh = playlist["type"]["body_px"], playlist["type"]["line_height"]
    with tempfile.TemporaryDirectory() as d:
        d = pathlib.Path(d)
        ours, area = noticecast_lines(args.binary, d)
        theirs = chromium_lines(area["w"], px, lh, d)
    a, b = count(ours, area["w"], px), count(theirs, area["w"], px)
    a.update(rule_counts(ours))
    b.update(rule_counts(theirs))
    rows = [
        ("lines", "how many lines the body takes"),
        ("clreq", "lines starting or ending with a forbidden mark (fewer is better)"),
        ("split", "numbers, Latin words, URLs broken across lines (fewer is better)"),
        ("pairs", "adjacent full-width marks on one line"),
        ("compressed", "of those, set with a blank half taken out (more is better)"),
        ("overflow", "lines wider than the measure (fewer is better)"),
        ("dash", "lines starting with — (fewer is better)"),
        ("kept", "breaks inside a name, a number and its unit, a range (fewer is better)"),
        ("widow", "paragraphs ending in a line of one character (fewer is better)"),
    ]
    better = {"clreq": -1, "split": -1, "compressed": 1, "overflow": -1, "dash": -1, "kept": -1,
              "widow": -1}
    report = [f"Body measure {area['w']:.0f} px, {px} px Noto Sans SC, plaza-tv playlist; "
              f"Chromium `{subprocess.check_output(['chromium', '--version'], text=True).strip()}`.", "",
              "| count | noticecast | Chromium | meaning |", "|---|---|---|---|"]
    ok = True
    for key, meaning in rows:
        report.append(f"| {key} | {a[key]} | {b[key]} | {meaning} |")
        if key in better and (a[key] - b[key]) * better[key] < 0:
            ok = False
    same = sum(1 for x, y in zip(ours, theirs) if x[0] == y[0])
    report += ["", f"Lines broken at the same place: {same} of {len(ours)}.", "",
               "Differing lines (noticecast / Chromium):", ""]
    for x, y in zip(ours, theirs):
        if x[0] != y[0]:
            report.append(f"- `{x[0]}`\n  `{y[0]}`")
    text = "\n".join(report)
    print(text)
    if args.out:
        pathlib.Path(args.out).write_text(text + "\n")
    if not ok:
        sys.exit("noticecast does worse than Chromium on a count")


if __name__ == "__main__":
    main()
