//! The body of a notice set as a printed government notice is (GB/T 9704, clreq), then packed
//! into pages:
//!
//! - the 主送机关 line (a short first paragraph ending in ：) flush left;
//! - headings (`一、` `（一）` `1.`) recognised, `一、` set bold, every heading kept with the
//!   line after it;
//! - the 落款 (a closing date, and the issuer just before it) as a block at the right: the date
//!   two characters in from the right, the issuer centred over it; kept with the end of the text,
//!   so a page never holds only the signature;
//! - a paragraph's first line never alone at the bottom of a page, its last line never alone at
//!   the top (no orphans, no widows), where the page has room to give;
//! - lines after a forced break (`\n`) inside a list item aligned under the item's text.
//!
//! Pure apart from measuring text with the bundled fonts.

use super::linebreak;
use super::page::Typesetter;

/// What a body line is, for its look and for `--lines-json`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    Text,
    /// 主送机关: to whom the notice is addressed.
    Addressee,
    /// A heading; `level` 1 is `一、`, 2 `（一）`, 3 `1.`.
    Heading {
        level: u8,
    },
    /// 落款: the issuer and the date at the end.
    Signature,
}

/// One laid-out line of body text, relative to the top-left of the body area.
#[derive(Debug, Clone, PartialEq)]
pub struct BodyLine {
    pub text: String,
    pub dx: f32,
    pub dy: f32,
    pub justify_px: f32,
    pub kind: LineKind,
}

const NUMERALS: &str = "一二三四五六七八九十";

/// The numbering a paragraph starts with, the 公文 way: its level (1 `一、`, 2 `（一）`, 3 `1.`)
/// and its length in bytes.
fn numbering(text: &str) -> Option<(u8, usize)> {
    let chars: Vec<char> = text.chars().collect();
    let numeral = |c: &char| NUMERALS.contains(*c);
    let bytes = |n: usize| chars[..n].iter().map(|c| c.len_utf8()).sum::<usize>();
    let n = chars.iter().take_while(|c| numeral(c)).count();
    if (1..=3).contains(&n) && chars.get(n) == Some(&'、') {
        return Some((1, bytes(n + 1)));
    }
    if chars.first() == Some(&'（') {
        let n = chars[1..].iter().take_while(|c| numeral(c)).count();
        if (1..=3).contains(&n) && chars.get(n + 1) == Some(&'）') {
            return Some((2, bytes(n + 2)));
        }
    }
    let d = chars.iter().take_while(|c| c.is_ascii_digit()).count();
    if (1..=2).contains(&d)
        && matches!(chars.get(d), Some('.' | '．'))
        && chars.get(d + 1).is_some_and(|c| !c.is_ascii_digit())
    {
        return Some((3, bytes(d + 1)));
    }
    None
}

/// The heading level of a paragraph, if it is one: short, one line, numbered the 公文 way.
pub fn heading_level(paragraph: &str) -> Option<u8> {
    // A list (forced breaks) or a clause that runs on is not a heading.
    if paragraph.chars().count() > 40
        || paragraph.contains('\n')
        || paragraph.ends_with(['，', '；', '、'])
    {
        return None;
    }
    numbering(paragraph).map(|(level, _)| level)
}

/// 主送机关: a short first paragraph ending in a colon, without a full stop, that names
/// addressees: several (、 or ，) or one by what addressees are called. A lead-in such as
/// 经区人民政府研究决定： or 现将有关事项通知如下： is not one.
pub fn is_addressee(paragraph: &str) -> bool {
    let Some(names) = paragraph
        .strip_suffix('：')
        .or_else(|| paragraph.strip_suffix(':'))
    else {
        return false;
    };
    const ADDRESSEES: [&str; 12] = [
        "单位",
        "政府",
        "部门",
        "机构",
        "机关",
        "办事处",
        "委员会",
        "村民",
        "居民",
        "群众",
        "同志",
        "社区",
    ];
    paragraph.chars().count() <= 40
        && !paragraph.contains(['。', '\n'])
        && (names.contains(['、', '，']) || ADDRESSEES.iter().any(|a| names.ends_with(a)))
}

/// A 成文日期 alone on its paragraph: 2026年11月27日 (or in Chinese numerals, 二〇二六年…).
pub fn is_date(paragraph: &str) -> bool {
    let p = paragraph.trim();
    let Some(rest) = p.strip_suffix('日') else {
        return false;
    };
    let parts: Vec<&str> = rest.split(['年', '月']).collect();
    parts.len() == 3
        && parts.iter().all(|s| {
            !s.is_empty()
                && s.chars().count() <= 4
                && s.chars()
                    .all(|c| c.is_ascii_digit() || "〇零一二三四五六七八九十".contains(c))
        })
}

/// A line that may stand as the issuer over a date: short, no sentence punctuation.
fn is_issuer(paragraph: &str) -> bool {
    let n = paragraph.chars().count();
    (2..=30).contains(&n) && !paragraph.contains(['。', '，', '；', '：', '！', '？', '\n'])
}

/// One line before packing: what to draw and what may not be parted from what.
struct Item {
    line: BodyLine,
    /// Space above it, unless it opens a page.
    gap: f32,
    /// It may not end a page (a heading, a paragraph's first line, the line before a widow or
    /// before the signature).
    keep_with_next: bool,
}

impl Typesetter {
    /// Breaks a notice's body into lines of `width` pixels at `px` and packs them into pages
    /// `height` pixels tall: paragraphs (blank lines) with a gap and a two-character first-line
    /// indent, single newlines as forced breaks, the conventions above.
    pub(super) fn pack_body(
        &mut self,
        body: &str,
        px: f32,
        line_px: f32,
        width: f32,
        height: f32,
    ) -> Vec<Vec<BodyLine>> {
        let para_gap = (line_px * 0.4).round();
        let indent = 2.0 * px; // 首行缩进两字
        let body = self.printable(body);
        let paragraphs: Vec<&str> = body
            .split("\n\n")
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .collect();
        // The 落款: a closing date, with the issuer before it if there is one.
        let mut signature_from = paragraphs.len();
        if paragraphs.len() >= 2 && is_date(paragraphs[paragraphs.len() - 1]) {
            signature_from -= 1;
            if paragraphs.len() >= 3 && is_issuer(paragraphs[paragraphs.len() - 2]) {
                signature_from -= 1;
            }
        }
        let mut items: Vec<Item> = Vec::new();
        for (p, paragraph) in paragraphs.iter().enumerate() {
            let gap = if p > 0 { para_gap } else { 0.0 };
            if p >= signature_from {
                continue;
            }
            let kind = if p == 0 && is_addressee(paragraph) {
                LineKind::Addressee
            } else if let Some(level) = heading_level(paragraph) {
                LineKind::Heading { level }
            } else {
                LineKind::Text
            };
            let bold = kind == LineKind::Heading { level: 1 };
            let first = items.len();
            // A single newline is a forced break. After it, a list item's lines align under its
            // text (the width of its number); other pieces start flush left.
            for (k, piece) in paragraph.split('\n').map(str::trim).enumerate() {
                // A list item after a forced break starts where the paragraph did, and its
                // further lines align under its text, past its number.
                let item = numbering(piece).filter(|_| k > 0);
                let first_indent = match (kind, k) {
                    (LineKind::Addressee, _) => 0.0,
                    (_, 0) => indent,
                    _ if item.is_some() => indent,
                    _ => 0.0,
                };
                let hang = match item {
                    Some((_, end)) => first_indent + self.fonts().width(&piece[..end], px, bold),
                    None => 0.0,
                };
                let (chars, lines) =
                    self.break_lines(piece, px, bold, width - hang, first_indent - hang);
                for (i, line) in lines.iter().enumerate() {
                    let dx = if i == 0 { first_indent } else { hang };
                    let justify_px =
                        linebreak::justify(&chars, line, width - dx, px).unwrap_or(0.0);
                    items.push(Item {
                        line: BodyLine {
                            text: chars[line.range.clone()].iter().collect(),
                            dx,
                            dy: 0.0,
                            justify_px,
                            kind,
                        },
                        gap: if items.len() == first { gap } else { 0.0 },
                        keep_with_next: false,
                    });
                }
            }
            let n = items.len() - first;
            if matches!(kind, LineKind::Heading { .. }) || n >= 2 {
                // A heading stays with what follows it; a paragraph's first line does not stay
                // behind alone (orphan)...
                items[first].keep_with_next = true;
            }
            if n >= 2 {
                // ...nor does its last line go on alone (widow).
                items[first + n - 2].keep_with_next = true;
            }
        }
        if signature_from < paragraphs.len() {
            if let Some(last) = items.last_mut() {
                last.keep_with_next = true;
            }
            // The date two characters in from the right, the issuer centred over it.
            let date = paragraphs[paragraphs.len() - 1];
            let date_w = self.fonts().width(date, px, false);
            let date_x = (width - 2.0 * px - date_w).max(0.0);
            for (k, p) in paragraphs[signature_from..].iter().enumerate() {
                let w = self.fonts().width(p, px, false);
                let dx = if p == &date {
                    date_x
                } else {
                    (date_x + (date_w - w) / 2.0).clamp(0.0, (width - w).max(0.0))
                };
                let last = signature_from + k + 1 == paragraphs.len();
                items.push(Item {
                    line: BodyLine {
                        text: p.to_string(),
                        dx: dx.round(),
                        dy: 0.0,
                        justify_px: 0.0,
                        kind: LineKind::Signature,
                    },
                    gap: if k == 0 { para_gap * 2.0 } else { 0.0 },
                    keep_with_next: !last,
                });
            }
        }
        pack(items, line_px, height)
    }
}

/// Pages from items: a page ends where the next line does not fit; the lines that may not end a
/// page go on to the next one with it, as long as the page keeps at least one line of its own.
fn pack(items: Vec<Item>, line_px: f32, height: f32) -> Vec<Vec<BodyLine>> {
    let mut pages: Vec<Vec<Item>> = vec![Vec::new()];
    let mut y = 0.0f32;
    for mut item in items {
        let page = pages.last_mut().expect("one page at least");
        let gap = if page.is_empty() { 0.0 } else { item.gap };
        if y + gap + line_px > height && !page.is_empty() {
            // The height of lines opening a page: the first one's gap falls away.
            let opening = |lines: &[&Item]| -> f32 {
                lines
                    .iter()
                    .enumerate()
                    .map(|(k, i)| line_px + if k > 0 { i.gap } else { 0.0 })
                    .sum()
            };
            let mut carried: Vec<Item> = Vec::new();
            // Never carry so much that the next page overflows too.
            while page.len() > 1 && page.last().is_some_and(|i| i.keep_with_next) {
                let candidate = page.last().expect("checked");
                let mut next: Vec<&Item> = vec![candidate];
                next.extend(carried.iter().rev());
                next.push(&item);
                if opening(&next) > height {
                    break;
                }
                carried.push(page.pop().expect("checked"));
            }
            carried.reverse();
            pages.push(Vec::new());
            let page = pages.last_mut().expect("just pushed");
            y = 0.0;
            for (k, mut c) in carried.into_iter().enumerate() {
                if k > 0 {
                    y += c.gap;
                }
                c.line.dy = y;
                y += line_px;
                page.push(c);
            }
            let gap = if page.is_empty() { 0.0 } else { item.gap };
            y += gap;
            item.line.dy = y;
            y += line_px;
            page.push(item);
            continue;
        }
        y += gap;
        item.line.dy = y;
        y += line_px;
        page.push(item);
    }
    pages
        .into_iter()
        .map(|p| p.into_iter().map(|i| i.line).collect())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_addressees_and_dates_are_recognised() {
        assert_eq!(heading_level("一、总体要求"), Some(1));
        assert_eq!(heading_level("十二、附则"), Some(1));
        assert_eq!(heading_level("（三）工作任务"), Some(2));
        assert_eq!(heading_level("2. 加强组织领导"), Some(3));
        assert_eq!(heading_level("2．加强组织领导"), Some(3));
        assert_eq!(heading_level("3.14 是圆周率"), None);
        assert_eq!(heading_level("一是加强领导，二是落实责任。"), None);
        assert_eq!(
            heading_level("1. 重点时段加密巡查频次，\n2. 重点区域设立检查站。"),
            None
        );
        assert!(is_addressee("各镇人民政府，区直各单位："));
        assert!(is_addressee("广大村民："));
        assert!(!is_addressee("现将有关事项通知如下："));
        assert!(!is_addressee("经区人民政府研究决定："));
        assert!(is_date("2026年11月27日"));
        assert!(is_date("二〇二六年十一月二十七日"));
        assert!(!is_date("2026年11月27日起施行"));
        assert!(is_issuer("云岭区人民政府办公室"));
        assert!(!is_issuer("特此通知。"));
    }

    fn item(keep: bool) -> Item {
        Item {
            line: BodyLine {
                text: "字".into(),
                dx: 0.0,
                dy: 0.0,
                justify_px: 0.0,
                kind: LineKind::Text,
            },
            gap: 0.0,
            keep_with_next: keep,
        }
    }

    #[test]
    fn lines_that_may_not_end_a_page_go_on_with_the_next() {
        // Room for three lines; the third may not end the page: it opens the second.
        let pages = pack(
            vec![item(false), item(false), item(true), item(false)],
            10.0,
            30.0,
        );
        let sizes: Vec<usize> = pages.iter().map(Vec::len).collect();
        assert_eq!(sizes, [2, 2]);
        assert_eq!(pages[1][0].dy, 0.0);
        // A page of nothing but kept lines keeps one of its own: no endless carrying.
        let pages = pack(
            vec![item(true), item(true), item(true), item(false)],
            10.0,
            30.0,
        );
        let sizes: Vec<usize> = pages.iter().map(Vec::len).collect();
        assert_eq!(sizes, [1, 3]);
    }
}
