//! The first phase of the body: paragraphs recognised (主送机关, headings, 落款), broken into
//! lines, and each line marked with the space above it and whether it may end a page.

use super::{BodyLine, Item, LineKind};
use crate::layout::fonts::Fonts;
use crate::layout::linebreak;
use crate::layout::measure::{break_lines, printable};
use crate::model::table::{self, Block};

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
    // A lead-in names no one: 经研究、讨论， 根据…，现…
    const LEAD_INS: [&str; 8] = ["经", "现", "根据", "按照", "依据", "依照", "为", "鉴于"];
    paragraph.chars().count() <= 40
        && !LEAD_INS.iter().any(|l| paragraph.starts_with(l))
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

/// The lines of `body` at `px` in a column `width` pixels wide, in reading order, before any
/// page is cut; and the header rows of its tables, which open every page a table goes on to.
pub(super) fn collect(
    fonts: &mut Fonts,
    body: &str,
    px: f32,
    line_px: f32,
    width: f32,
) -> (Vec<Item>, Vec<Item>) {
    let para_gap = (line_px * 0.4).round();
    let blocks = table::blocks(body);
    let mut items: Vec<Item> = Vec::new();
    let mut headers: Vec<Item> = Vec::new();
    let mut tables = 0;
    for (b, block) in blocks.iter().enumerate() {
        let text = match block {
            Block::Table(t) => {
                let gap = if items.is_empty() { 0.0 } else { para_gap };
                // What leads into a table (名单如下：) stays with its first rows.
                if let Some(last) = items.last_mut() {
                    last.keep_with_next = true;
                }
                let at = (tables, px, line_px, width, gap);
                super::table::items(fonts, t, at, &mut items, &mut headers);
                tables += 1;
                continue;
            }
            Block::Text(text) => printable(fonts, text),
        };
        let paragraphs: Vec<&str> = text
            .split("\n\n")
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .collect();
        // The 落款 closes the body: only the text after the last table has one.
        let signature_from = if b + 1 == blocks.len() {
            signature_from(&paragraphs, !items.is_empty())
        } else {
            paragraphs.len()
        };
        for paragraph in &paragraphs[..signature_from] {
            let gap = if items.is_empty() { 0.0 } else { para_gap };
            let kind = if items.is_empty() && is_addressee(paragraph) {
                LineKind::Addressee
            } else if let Some(level) = heading_level(paragraph) {
                LineKind::Heading { level }
            } else {
                LineKind::Text
            };
            let at = (px, line_px, width, gap);
            paragraph_items(fonts, paragraph, kind, at, &mut items);
        }
        if signature_from < paragraphs.len() {
            if let Some(last) = items.last_mut() {
                last.keep_with_next = true;
            }
            signature_items(
                fonts,
                &paragraphs[signature_from..],
                (px, line_px, width, para_gap),
                &mut items,
            );
        }
    }
    (items, headers)
}

/// Where the 落款 starts: a closing date, with the issuer before it if there is one; the
/// number of paragraphs when there is none.
/// `text_before`: the body has text before these paragraphs (a table), so all of them may be
/// the 落款; else one stays the text it signs.
fn signature_from(paragraphs: &[&str], text_before: bool) -> usize {
    let keep = usize::from(!text_before);
    let n = paragraphs.len();
    let mut from = n;
    if n > keep && is_date(paragraphs[n - 1]) {
        from -= 1;
        if n > keep + 1 && is_issuer(paragraphs[n - 2]) {
            from -= 1;
        }
    }
    from
}

/// The lines of one paragraph of `kind`, the first `gap` below what comes before, pushed onto
/// `items` and kept together as the conventions ask.
fn paragraph_items(
    fonts: &mut Fonts,
    paragraph: &str,
    kind: LineKind,
    (px, line_px, width, gap): (f32, f32, f32, f32),
    items: &mut Vec<Item>,
) {
    let indent = 2.0 * px; // 首行缩进两字
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
            Some((_, end)) => first_indent + fonts.width(&piece[..end], px, bold),
            None => 0.0,
        };
        let (chars, lines) = break_lines(fonts, piece, px, bold, width - hang, first_indent - hang);
        for (i, line) in lines.iter().enumerate() {
            let dx = if i == 0 { first_indent } else { hang };
            let justify_px = linebreak::justify(&chars, line, width - dx, px).unwrap_or(0.0);
            let text = chars[line.range.clone()].iter().collect();
            let gap = if items.len() == first { gap } else { 0.0 };
            items.push(Item::line(
                BodyLine::text(text, dx, justify_px, kind),
                line_px,
                gap,
            ));
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

/// The 落款 (`signature`: the issuer if any, then the date), twice `para_gap` below the text:
/// the date two characters in from the right, the issuer centred over it, all kept together.
fn signature_items(
    fonts: &mut Fonts,
    signature: &[&str],
    (px, line_px, width, para_gap): (f32, f32, f32, f32),
    items: &mut Vec<Item>,
) {
    let date = signature[signature.len() - 1];
    let date_w = fonts.width(date, px, false);
    let date_x = (width - 2.0 * px - date_w).max(0.0);
    for (k, p) in signature.iter().enumerate() {
        let w = fonts.width(p, px, false);
        let dx = if p == &date {
            date_x
        } else {
            (date_x + (date_w - w) / 2.0).clamp(0.0, (width - w).max(0.0))
        };
        let last = k + 1 == signature.len();
        let line = BodyLine::text(p.to_string(), dx.round(), 0.0, LineKind::Signature);
        let gap = if k == 0 { para_gap * 2.0 } else { 0.0 };
        items.push(Item {
            keep_with_next: !last,
            ..Item::line(line, line_px, gap)
        });
    }
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
        assert!(!is_addressee("经笔试、面试、体检和考察，拟录用以下人员："));
        assert!(is_date("2026年11月27日"));
        assert!(is_date("二〇二六年十一月二十七日"));
        assert!(!is_date("2026年11月27日起施行"));
        assert!(is_issuer("云岭区人民政府办公室"));
        assert!(!is_issuer("特此通知。"));
    }
}
