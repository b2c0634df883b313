//! The 落款 (GB/T 9704 7.3.5): the issuer's name (发文机关署名, one line per office when several
//! sign) and the date (成文日期) that close a notice, found in the forms offices type them, and
//! set as one block at the right.
//!
//! Forms met in practice: the issuer and the date each a paragraph or lines of one paragraph;
//! several issuers; the date alone; the issuer and the date on one line
//! (云岭区民政局　2026年11月28日); the date in 汉字 (二〇二六年十一月二十八日, with 〇, ○ or 零)
//! or in Arabic numerals (2026年11月28日, 2026.11.28); either marked （盖章） where the seal
//! goes. After it may come a 附注 in brackets (（此件公开发布）), which is not part of it.

use super::{BodyLine, Item, LineKind};
use crate::layout::fonts::Fonts;
use crate::layout::measure::break_lines;

/// The 落款 found at the end of some paragraphs: it starts at line `line` (counting forced
/// breaks) of paragraph `paragraph`, is set as `lines`, and is followed by `notes` paragraphs
/// (附注) that are not part of it.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Closing {
    pub paragraph: usize,
    pub line: usize,
    pub lines: Vec<String>,
    pub notes: usize,
}

/// The most offices that sign one notice together, one line each.
const MAX_ISSUERS: usize = 6;

/// What office names end with: a government, its departments, a Party branch, a village's
/// committee, a school, a company.
const OFFICES: [&str; 41] = [
    "政府",
    "委员会",
    "办公室",
    "办事处",
    "指挥部",
    "领导小组",
    "支部",
    "总支",
    "党委",
    "党组",
    "工委",
    "纪委",
    "社区",
    "街道",
    "中心",
    "公司",
    "集团",
    "学校",
    "小学",
    "中学",
    "大学",
    "学院",
    "幼儿园",
    "医院",
    "卫生院",
    "合作社",
    "协会",
    "联合会",
    "工会",
    "妇联",
    "团委",
    "局",
    "厅",
    "院",
    "所",
    "站",
    "队",
    "处",
    "村",
    "镇",
    "乡",
];

/// `text` without a trailing mark of where the seal goes: （盖章）, (印章), （公章）.
fn unsealed(text: &str) -> &str {
    let t = text.trim_end();
    for (open, close) in [('（', '）'), ('(', ')')] {
        if let Some(inner) = t.strip_suffix(close)
            && let Some(at) = inner.rfind(open)
        {
            let mark = &inner[at + open.len_utf8()..];
            if mark.ends_with('章') && mark.chars().count() <= 4 {
                return t[..at].trim_end();
            }
        }
    }
    t
}

/// A 成文日期 alone on its paragraph: 2026年11月27日, 二〇二六年十一月二十七日, 2026.11.27 (or with
/// - or /), perhaps marked （盖章）.
pub fn is_date(paragraph: &str) -> bool {
    let p: String = unsealed(paragraph.trim())
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let digit = |c: char| c.is_ascii_digit() || ('０'..='９').contains(&c);
    let hanzi = |c: char| "〇○零OＯ一二三四五六七八九十".contains(c);
    let number = |s: &str, most: usize| {
        let n = s.chars().count();
        (1..=most).contains(&n) && (s.chars().all(digit) || s.chars().all(hanzi))
    };
    let year = |s: &str| s.chars().count() == 4 && number(s, 4);
    if let Some(rest) = p.strip_suffix('日') {
        let parts: Vec<&str> = rest.split(['年', '月']).collect();
        return parts.len() == 3 && year(parts[0]) && number(parts[1], 2) && number(parts[2], 3);
    }
    let p = p.strip_suffix(['.', '。']).unwrap_or(&p);
    ['.', '-', '/', '．'].iter().any(|&sep| {
        let parts: Vec<&str> = p.split(sep).collect();
        parts.len() == 3
            && year(parts[0])
            && parts[1..]
                .iter()
                .all(|s| s.chars().all(digit) && number(s, 2))
    })
}

/// A line that may be the issuer: an office's name (or one of `names`, the notice's issuer),
/// perhaps marked （盖章）, with no sentence punctuation.
fn is_issuer(line: &str, names: &[&str]) -> bool {
    let name = unsealed(line.trim());
    let n = name.chars().count();
    (2..=40).contains(&n)
        && !name.contains(['。', '，', '；', '：', ':', '！', '？', '、', ','])
        && (names.iter().any(|s| !s.is_empty() && name.contains(s))
            || OFFICES.iter().any(|o| name.ends_with(o)))
}

/// A 附注 after the date: a paragraph wholly in brackets, (此件公开发布).
fn is_note(line: &str) -> bool {
    let l = line.trim();
    (l.starts_with('（') && l.ends_with('）') || l.starts_with('(') && l.ends_with(')'))
        && unsealed(l).len() == l.len()
}

/// A line that is the issuer and the date together, split in two: 云岭区民政局 2026年11月28日.
fn issuer_and_date(line: &str, names: &[&str]) -> Option<(String, String)> {
    let line = line.trim();
    line.char_indices().skip(2).find_map(|(at, _)| {
        let (issuer, date) = line.split_at(at);
        (is_date(date) && is_issuer(issuer, names))
            .then(|| (issuer.trim().to_string(), date.trim().to_string()))
    })
}

/// The 落款 closing `paragraphs`, if they end in one. `names` are the notice's issuer (a name
/// the office list may not know); `keep_one`: one paragraph must stay the text it signs.
pub(super) fn find(paragraphs: &[&str], names: &[&str], keep_one: bool) -> Option<Closing> {
    // Every line, forced breaks included, with where it is.
    let lines: Vec<(usize, usize, &str)> = paragraphs
        .iter()
        .enumerate()
        .flat_map(|(p, text)| {
            text.split('\n')
                .enumerate()
                .map(move |(l, line)| (p, l, line.trim()))
        })
        .filter(|(_, _, line)| !line.is_empty())
        .collect();
    let mut k = lines.len();
    // 附注 after the date, each a paragraph of its own.
    let mut notes = 0;
    while k > 0 && notes < 2 && lines[k - 1].1 == 0 && is_note(lines[k - 1].2) {
        let p = lines[k - 1].0;
        if paragraphs[p].contains('\n') {
            break;
        }
        k -= 1;
        notes += 1;
    }
    let date = k.checked_sub(1)?;
    let last = lines[date].2;
    let dated = if is_date(last) {
        vec![last.to_string()]
    } else {
        let (issuer, date) = issuer_and_date(last, names)?;
        vec![issuer, date]
    };
    let mut from = date;
    while from > 0 && date - from < MAX_ISSUERS && is_issuer(lines[from - 1].2, names) {
        from -= 1;
    }
    // Something must be left to sign: the first line stays text.
    if keep_one && (lines[from].0, lines[from].1) == (0, 0) {
        if from == date {
            return None;
        }
        from += 1;
    }
    let mut set: Vec<String> = lines[from..date].iter().map(|l| l.2.to_string()).collect();
    set.extend(dated);
    Some(Closing {
        paragraph: lines[from].0,
        line: lines[from].1,
        lines: set,
        notes,
    })
}

/// The 落款's lines, twice `para_gap` below the text, as GB/T 9704-2012 §7.3.5.1 sets a sealed
/// 公文: the date (the last line) four characters in from the right, each issuer centred over
/// it; all kept together, never split over a page. The screens draw no seal, but the notice they
/// show was sealed when it was issued, and residents know its 落款 in this form from the paper
/// on the notice board (§7.3.5.2 is for documents issued without one). Where the column is too
/// narrow for four characters' space, the date takes two, then none.
pub(super) fn items(
    fonts: &mut Fonts,
    closing: &[String],
    (px, line_px, width, para_gap): (f32, f32, f32, f32),
    items: &mut Vec<Item>,
) {
    // A name wider than the column (rare: a long joint office name on a narrow page) wraps.
    let mut lines: Vec<String> = Vec::new();
    for line in closing {
        if fonts.width(line, px, false) <= width {
            lines.push(line.clone());
            continue;
        }
        let (chars, broken) = break_lines(fonts, line, px, false, width, 0.0);
        lines.extend(
            broken
                .iter()
                .map(|l| chars[l.range.clone()].iter().collect()),
        );
    }
    let widths: Vec<f32> = lines.iter().map(|l| fonts.width(l, px, false)).collect();
    let date = widths.last().copied().unwrap_or(0.0);
    let space = [4.0, 2.0, 0.0]
        .into_iter()
        .find(|&ems| date + ems * px <= width)
        .unwrap_or(0.0);
    let centre = width - space * px - date / 2.0;
    let n = lines.len();
    for (k, (text, w)) in lines.into_iter().zip(widths).enumerate() {
        let dx = (centre - w / 2.0).clamp(0.0, (width - w).max(0.0));
        let line = BodyLine::text(text, dx.round(), 0.0, LineKind::Signature);
        let gap = if k == 0 { para_gap * 2.0 } else { 0.0 };
        items.push(Item {
            keep_with_next: k + 1 < n,
            ..Item::line(line, line_px, gap)
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_the_forms_offices_type() {
        for date in [
            "2026年11月27日",
            "2026年1月5日",
            "二〇二六年十一月二十七日",
            "二○二六年十一月二十八日",
            "二零二六年十一月二十八日",
            "二O二六年一月八日",
            "２０２６年１１月２８日",
            "2026.11.28",
            "2026-11-28",
            "2026/11/28",
            "2026年11月28日（盖章）",
            "2026年11月28日(印章)",
            " 2026 年 11 月 28 日 ",
        ] {
            assert!(is_date(date), "{date}");
        }
        for not in [
            "2026年11月27日起施行",
            "截至2026年11月27日",
            "026年11月27日",
            "2026年11月",
            "3.14.15",
            "2026.11",
            "2026年11月28日（星期六）",
        ] {
            assert!(!is_date(not), "{not}");
        }
    }

    #[test]
    fn issuers_are_office_names() {
        for issuer in [
            "云岭区人民政府办公室",
            "云岭区民政局",
            "新华村村民委员会",
            "中共新华村党支部",
            "云岭区森林防灭火指挥部",
            "云岭镇人民政府（盖章）",
            "云岭区应急管理局 云岭区气象局",
        ] {
            assert!(is_issuer(issuer, &[]), "{issuer}");
        }
        assert!(is_issuer("云岭种植专业户协作组", &["云岭种植专业户协作组"]));
        for not in [
            "特此通知。",
            "特此通知",
            "联系人：张三",
            "欢迎广大村民积极参与",
        ] {
            assert!(!is_issuer(not, &[]), "{not}");
        }
    }

    fn found(body: &str) -> Option<(usize, usize, Vec<String>, usize)> {
        let paragraphs: Vec<&str> = body.split("\n\n").collect();
        find(&paragraphs, &["云岭区民政局"], true).map(|c| (c.paragraph, c.line, c.lines, c.notes))
    }

    #[test]
    fn the_closing_is_found_in_its_usual_forms() {
        let text = "特此通知。";
        // (body, (paragraph, line, lines, notes))
        type Case<'a> = (String, (usize, usize, &'a [&'a str], usize));
        let cases: [Case; 8] = [
            (
                format!("{text}\n\n云岭区人民政府办公室\n\n2026年11月27日"),
                (1, 0, &["云岭区人民政府办公室", "2026年11月27日"], 0),
            ),
            (
                format!("{text}\n\n云岭区农业农村局\n云岭区财政局\n\n二〇二六年十一月二十八日"),
                (
                    1,
                    0,
                    &[
                        "云岭区农业农村局",
                        "云岭区财政局",
                        "二〇二六年十一月二十八日",
                    ],
                    0,
                ),
            ),
            (
                format!("{text}\n\n2026年11月28日"),
                (1, 0, &["2026年11月28日"], 0),
            ),
            (
                format!("{text}\n\n云岭区民政局　　2026年11月28日"),
                (1, 0, &["云岭区民政局", "2026年11月28日"], 0),
            ),
            (
                format!("{text}\n云岭区民政局（盖章）\n2026.11.28"),
                (0, 1, &["云岭区民政局（盖章）", "2026.11.28"], 0),
            ),
            (
                format!(
                    "{text}\n\n新华村村民委员会\n\n二○二六年十一月二十八日\n\n（此件公开发布）"
                ),
                (1, 0, &["新华村村民委员会", "二○二六年十一月二十八日"], 1),
            ),
            (
                format!("{text}\n\n　　　　　　云岭区民政局\n　　　　　　2026年11月28日"),
                (1, 0, &["云岭区民政局", "2026年11月28日"], 0),
            ),
            // The notice's own issuer, whatever its name ends in.
            (
                format!("{text}\n\n云岭区民政局城乡低保工作专班\n\n2026年11月28日"),
                (1, 0, &["云岭区民政局城乡低保工作专班", "2026年11月28日"], 0),
            ),
        ];
        for (body, (p, l, lines, notes)) in cases {
            let lines: Vec<String> = lines.iter().map(|s| s.to_string()).collect();
            assert_eq!(found(&body), Some((p, l, lines, notes)), "{body}");
        }
    }

    #[test]
    fn a_body_without_a_closing_has_none() {
        assert_eq!(found("特此通知。"), None);
        assert_eq!(
            found("2026年11月28日"),
            None,
            "one paragraph stays the text"
        );
        assert_eq!(found("请于2026年11月28日前报送。"), None);
        assert_eq!(
            found("特此通知。\n\n三、工作要求\n\n各村要高度重视。"),
            None
        );
        // Text that only ends in a date: 特此通知 is no office.
        assert_eq!(
            found("特此通知\n\n2026年11月28日"),
            Some((1, 0, vec!["2026年11月28日".into()], 0))
        );
    }
}
