//! The LED marquee's summary of a notice: built from what the notice is made of (sentences,
//! list items, a 公示's period, its phones and names), never a cut through a number, a name or
//! a phone.
//!
//! A strip runs one line of about 240 characters; a notice is often ten times that. Cutting it
//! at a character count threw away what residents stop for: a 低保 公示 showed its preamble and
//! none of the names, the 公示期 or the 监督电话; an amount came out as `5……`. Here the body is
//! read into units (a sentence, a list item, a line of names) and a unit is kept whole or not at
//! all:
//!
//! - skipped: the 主送机关 line, formulae that say nothing (现将有关事项通知如下, 特此公告), the
//!   落款 (issuer and date) and the 附件 list, which no strip can show;
//! - always kept, whatever the budget: the sentences with a phone number or a 公示期, the facts
//!   a resident acts on;
//! - for a 公示: its names (a line of names, or the name column of a table) when they fit, else
//!   how many there are (`共 N 人`), and its 公示期 from `notice_period` when the body never
//!   says it;
//! - then the other sentences in reading order, as many as the budget takes; the first that does
//!   not fit ends them, so the text never skips a step of an argument or an item of a list.
//!
//! Sentences end at 。！？；, and at a half-width `.` `;` `!` `?` typed after hanzi, never at
//! the `.` inside 12.8亿元. "全文详见…" ends the summary only when something was left out and
//! the notice has a web address to read it at; otherwise the summary ends at a whole sentence.
//!
//! Pure: no fonts, no playlist. The LED template replaces what the fonts lack afterwards (one
//! character for one, so the budget holds).

use super::body::{is_addressee, is_date};
use super::linebreak::is_cjk;
use crate::model::table::{self, Block, Table};
use crate::model::{Notice, NoticePeriod, beijing};

/// Where the full text is, when the notice has a web address: the site's host, short enough to
/// read from a strip and type into a phone (the whole URL rarely is).
pub fn more(notice: &Notice) -> Option<String> {
    let url = notice.url.as_deref()?;
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    Some(if host.is_empty() || host.chars().count() > 30 {
        "（全文详见政务公开网站）".to_string()
    } else {
        format!("（全文详见政务公开网站 {host}）")
    })
}

/// Whether the notice is a 公示: it has a 公示期, or says so in its title.
pub fn is_gongshi(notice: &Notice) -> bool {
    notice.notice_period.is_some() || notice.title.contains("公示")
}

/// The notice's body summarised for a marquee of about `budget` characters (the facts may take
/// more: they are never cut), with a pointer to the full text where there is one.
pub fn summarise(notice: &Notice, budget: usize) -> String {
    let units = read(notice);
    let (mut text, omitted) = select(&units, budget);
    if omitted && let Some(more) = more(notice) {
        text.push_str(&more);
    }
    text
}

/// What a unit is to the summary.
#[derive(Debug, Clone, PartialEq)]
enum Kind {
    /// Read, but nothing a resident needs on a strip: the 主送机关, a formula, the 落款.
    Skip,
    /// Dropped, though it says something: an 附件 list. Counts as left out.
    Unshown,
    /// A phone number or a 公示期: always kept.
    Fact,
    /// A 公示's names: the unit's text when it fits, else how many (`{label}共 {n} {unit}。`).
    Names {
        label: String,
        n: usize,
        unit: &'static str,
    },
    /// Any other sentence or item, kept while the budget lasts.
    Text,
}

#[derive(Debug, Clone, PartialEq)]
struct Unit {
    text: String,
    kind: Kind,
    /// The unit follows the one before on the same line: joined without a space.
    run_on: bool,
}

impl Unit {
    fn new(text: impl Into<String>, kind: Kind) -> Unit {
        Unit {
            text: text.into(),
            kind,
            run_on: false,
        }
    }
}

/// The body's units in reading order.
fn read(notice: &Notice) -> Vec<Unit> {
    let gongshi = is_gongshi(notice);
    let blocks = table::blocks(&notice.body);
    let mut units: Vec<Unit> = Vec::new();
    let mut first_line = true;
    for (b, block) in blocks.iter().enumerate() {
        match block {
            Block::Text(text) => {
                let lines: Vec<&str> = text
                    .split('\n')
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .collect();
                let last_block = blocks[b + 1..].iter().all(|b| !matches!(b, Block::Text(_)));
                let closing = if last_block { closing_lines(&lines) } else { 0 };
                let table_next = matches!(blocks.get(b + 1), Some(Block::Table(_)));
                // The 附件 list, its items on lines of their own: no strip shows them.
                let mut attachments = false;
                for (i, line) in lines.iter().enumerate() {
                    let first = std::mem::take(&mut first_line);
                    attachments = line.starts_with("附件")
                        || (attachments && line.starts_with(|c: char| is_digit(c)));
                    let kind = if (first && is_addressee(line)) || i >= lines.len() - closing {
                        Kind::Skip
                    } else if i + 1 == lines.len() && table_next && table_label(line).is_some() {
                        // The short line leading into a table (名单如下：) is the table's label.
                        Kind::Skip
                    } else if attachments {
                        Kind::Unshown
                    } else if let Some(names) = gongshi.then(|| names_line(line)).flatten() {
                        push_names(&mut units, line, names);
                        continue;
                    } else {
                        for (k, s) in sentences(line).into_iter().enumerate() {
                            let mut unit = Unit::new(s, classify(s));
                            unit.run_on = k > 0;
                            units.push(unit);
                        }
                        continue;
                    };
                    units.push(Unit::new(*line, kind));
                }
            }
            Block::Table(t) if gongshi => {
                let lead = match b.checked_sub(1).map(|p| &blocks[p]) {
                    Some(Block::Text(text)) => text
                        .split('\n')
                        .map(str::trim)
                        .rfind(|l| !l.is_empty())
                        .and_then(table_label),
                    _ => None,
                };
                if let Some(unit) = table_names(t, lead) {
                    units.push(unit);
                }
            }
            // A table runs on pages of its own after the marquee.
            Block::Table(_) => {}
        }
    }
    if gongshi
        && let Some(period) = &notice.notice_period
        && !units.iter().any(|u| says_period(&u.text))
    {
        units.push(Unit::new(period_sentence(period), Kind::Fact));
    }
    units
}

/// The kept units joined, and whether anything that says something was left out.
fn select(units: &[Unit], budget: usize) -> (String, bool) {
    let len = |s: &str| s.chars().count();
    let mut keep: Vec<Option<String>> = vec![None; units.len()];
    let mut used = 0;
    // The facts first, whatever they cost.
    for (i, u) in units.iter().enumerate() {
        if u.kind == Kind::Fact {
            keep[i] = Some(u.text.clone());
            used += len(&u.text) + 1;
        }
    }
    // Then a 公示's names, whole if they fit, else their count.
    for (i, u) in units.iter().enumerate() {
        if let Kind::Names { label, n, unit } = &u.kind {
            let text = if used + len(&u.text) <= budget {
                u.text.clone()
            } else {
                format!("{label}共 {n} {unit}。")
            };
            used += len(&text) + 1;
            keep[i] = Some(text);
        }
    }
    // Then the text in reading order, until a sentence does not fit.
    let mut omitted = units.iter().any(|u| u.kind == Kind::Unshown)
        || units
            .iter()
            .zip(&keep)
            .any(|(u, k)| matches!(u.kind, Kind::Names { .. }) && k.as_deref() != Some(&u.text));
    let mut full = false;
    for (i, u) in units.iter().enumerate() {
        if u.kind != Kind::Text {
            continue;
        }
        if !full && used + len(&u.text) <= budget {
            used += len(&u.text) + usize::from(!u.run_on);
            keep[i] = Some(u.text.clone());
        } else {
            full = true;
            omitted = true;
        }
    }
    // Nothing at all fits (one sentence longer than the budget, and no fact): its clauses up to
    // the budget, marked as cut. A clause never ends inside a number.
    if keep.iter().all(Option::is_none)
        && let Some((i, u)) = units.iter().enumerate().find(|(_, u)| u.kind == Kind::Text)
    {
        keep[i] = Some(clauses_within(&u.text, budget));
    }
    let mut out = String::new();
    let mut prev: Option<usize> = None;
    for (i, text) in keep.iter().enumerate() {
        let Some(text) = text else { continue };
        if prev.is_some() && !(units[i].run_on && prev == Some(i - 1)) {
            out.push('　');
        }
        out.push_str(text);
        prev = Some(i);
    }
    (out, omitted)
}

/// The longest run of whole clauses of `sentence` within `budget` characters, then ……; the
/// whole sentence when not even its first clause fits (a fact is never cut).
fn clauses_within(sentence: &str, budget: usize) -> String {
    let chars: Vec<char> = sentence.chars().collect();
    let cut = (1..chars.len().min(budget.saturating_sub(2)))
        .rev()
        .find(|&i| matches!(chars[i - 1], '，' | '、' | '：' | ',' | ':') && !in_number(&chars, i));
    match cut {
        Some(i) if !says_fact(sentence) => {
            let head: String = chars[..i - 1].iter().collect();
            format!("{head}……")
        }
        _ => sentence.to_string(),
    }
}

/// Whether a cut before `chars[i]` would part a number (53,000 or 9:30).
fn in_number(chars: &[char], i: usize) -> bool {
    i >= 2 && is_digit(chars[i - 2]) && chars.get(i).copied().is_some_and(is_digit)
}

fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

/// How many of the body's last lines are its 落款: a closing date, and up to three issuer lines
/// just before it (short, no sentence punctuation). Without a date there is none.
fn closing_lines(lines: &[&str]) -> usize {
    let Some(last) = lines.last() else { return 0 };
    if !is_date(last) {
        return 0;
    }
    let issuers = lines[..lines.len() - 1]
        .iter()
        .rev()
        .take(3)
        .take_while(|l| {
            let n = l.chars().count();
            (2..=30).contains(&n)
                && !l.contains(['。', '，', '；', '：', '！', '？', ':', ','])
                && !has_phone(l)
        })
        .count();
    issuers + 1
}

/// A short line leading into a table or list (拟保对象名单：), without its colon.
fn table_label(line: &str) -> Option<&str> {
    let label = line.strip_suffix(['：', ':'])?;
    (label.chars().count() <= 20 && !label.contains(['。', '；', '，'])).then_some(label)
}

/// The unit of a count: households where the list is of them.
fn counted(header_or_label: &str) -> &'static str {
    if header_or_label.contains('户') {
        "户"
    } else {
        "人"
    }
}

/// A table of a 公示 with a name column: its names, whole or counted.
fn table_names(t: &Table, lead: Option<&str>) -> Option<Unit> {
    const NAME_HEADERS: [&str; 6] = ["姓名", "户主", "申请人", "名字", "户名", "对象"];
    let col = t
        .header
        .iter()
        .position(|h| NAME_HEADERS.iter().any(|n| h.contains(n)))?;
    let names: Vec<&str> = t
        .rows
        .iter()
        .filter_map(|r| r.get(col).map(|c| c.trim()))
        .filter(|c| !c.is_empty())
        .collect();
    if names.is_empty() {
        return None;
    }
    let label = lead.unwrap_or("名单");
    Some(Unit::new(
        format!("{label}：{}。", names.join("、")),
        Kind::Names {
            label: label.to_string(),
            n: names.len(),
            unit: counted(&t.header[col]),
        },
    ))
}

/// A line that is a list of names: an optional label (拟保对象：), then three or more names of
/// two to four hanzi (longer with a 间隔号) between 、，or spaces. Its label and how many.
fn names_line(line: &str) -> Option<(Option<&str>, usize)> {
    let (label, rest) = match line.split_once(['：', ':']) {
        Some((l, r)) if l.chars().count() <= 20 && !l.contains(['。', '，', '；']) => {
            (Some(l), r)
        }
        _ => (None, line),
    };
    let rest = rest.trim().trim_end_matches(['。', '；', ';', '.', '等']);
    let names: Vec<&str> = rest
        .split(['、', '，', ',', ' ', '\u{3000}'])
        .filter(|n| !n.is_empty())
        .collect();
    let dot = |c: char| matches!(c, '·' | '・' | '•' | '‧' | '･');
    let is_name = |n: &&str| {
        let count = n.chars().count();
        // 阿卜杜热合曼·吐尔逊: a name with a 间隔号 runs longer. Without one, four at most
        // (欧阳明华): 涉及教育、卫生、交通等领域 is not a list of names.
        let longest = if n.contains(dot) { 16 } else { 4 };
        (2..=longest).contains(&count)
            && n.chars().all(|c| {
                (is_cjk(c) && !matches!(c as u32, 0x3000..=0x303F | 0xFF00..=0xFFEF)) || dot(c)
            })
    };
    (names.len() >= 3 && names.iter().all(is_name)).then_some((label, names.len()))
}

/// A line of names, added to the names just before it when the list runs over several lines.
fn push_names(units: &mut Vec<Unit>, line: &str, (label, n): (Option<&str>, usize)) {
    if label.is_none()
        && let Some(prev) = units.last_mut()
        && let Kind::Names { n: before, .. } = &mut prev.kind
    {
        *before += n;
        prev.text.push('　');
        prev.text.push_str(line);
        return;
    }
    // The names under a line of their own that leads into them (拟保对象名单：).
    let mut text = line.to_string();
    let mut label = label.map(str::to_string);
    if label.is_none()
        && let Some(prev) = units.last_mut()
        && prev.kind == Kind::Text
        && let Some(lead) = table_label(&prev.text)
    {
        label = Some(lead.to_string());
        text = format!("{}{line}", prev.text);
        prev.kind = Kind::Skip;
    }
    let label = label.as_deref().unwrap_or("名单");
    units.push(Unit::new(
        text,
        Kind::Names {
            label: label.to_string(),
            n,
            unit: counted(label),
        },
    ));
}

/// What a sentence is to the summary.
fn classify(sentence: &str) -> Kind {
    if says_fact(sentence) {
        Kind::Fact
    } else if is_formula(sentence) {
        Kind::Skip
    } else {
        Kind::Text
    }
}

/// A sentence that only announces or closes: 现将有关事项通知如下。特此公告。
fn is_formula(sentence: &str) -> bool {
    let s = sentence.trim_end_matches(['。', '：', ':', '！', '.', '；', ';', ' ']);
    const CLOSES: [&str; 7] = [
        "特此",
        "此复",
        "望周知",
        "请周知",
        "请相互转告",
        "此告",
        "专此",
    ];
    let n = s.chars().count();
    if n <= 12 && CLOSES.iter().any(|c| s.starts_with(c) || s.ends_with(c)) {
        return true;
    }
    // 现将有关事项通知如下 / 现公告如下 / 现予以公示: the whole sentence, nothing before it.
    let announces = s.ends_with("如下") || s.ends_with("予以公示") || s.ends_with("予以公告");
    announces && n <= 16 && (s.starts_with('现') || s.starts_with("兹") || s.starts_with("特"))
}

/// A sentence with a phone number or a 公示期 in it.
fn says_fact(sentence: &str) -> bool {
    says_period(sentence) || has_phone(sentence)
}

/// 公示期、公示时间: the period a 公示 runs, or a sentence giving it as a range of dates.
fn says_period(s: &str) -> bool {
    const WORDS: [&str; 5] = ["公示期", "公示时间", "公示日期", "公示时限", "公示期限"];
    // 公示期间，如有异议… names the period without giving it.
    let gives = s.chars().any(is_digit) || s.contains("工作日") || s.contains('天');
    (WORDS.iter().any(|w| s.contains(w)) && gives)
        || (s.contains("公示") && s.contains('至') && s.contains('日') && s.chars().any(is_digit))
}

/// Whether the text has a phone number: a landline with its area code (0871-12345678), a
/// mobile, or digits after a word that says a phone follows (热线96111, 拨打12345, 火警119).
/// A number followed by a unit (2026年, 400元) is not one.
fn has_phone(s: &str) -> bool {
    const SAYS: [&str; 11] = [
        "电话", "热线", "举报", "监督", "咨询", "联系", "拨打", "报警", "火警", "急救", "传真",
    ];
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if !is_digit(chars[i]) {
            i += 1;
            continue;
        }
        // The run: digits, with single - or spaces between groups (0871-6000 1234).
        let start = i;
        let mut digits = 0;
        while i < chars.len() {
            if is_digit(chars[i]) {
                digits += 1;
                i += 1;
            } else if matches!(chars[i], '-' | '－' | ' ' | '—')
                && chars.get(i + 1).copied().is_some_and(is_digit)
            {
                i += 1;
            } else {
                break;
            }
        }
        let next = chars.get(i).copied();
        // The digits after 53, or 9: are the rest of a number.
        let glued = start > 1
            && matches!(chars[start - 1], '.' | ',' | '/' | ':')
            && is_digit(chars[start - 2]);
        let unit_after = next.is_some_and(|c| {
            "年月日号时分秒元万亿千百%％人户个天条项次米吨度岁名家辆座所套亩斤公里克".contains(c)
                || matches!(c, '.' | ',' | ':' | '/' | '℃')
        });
        if glued || unit_after {
            continue;
        }
        let first = chars[start];
        let landline = first == '0' && (10..=12).contains(&digits);
        let mobile = first == '1' && digits == 11;
        let before: String = chars[start.saturating_sub(10)..start].iter().collect();
        let said = (3..=12).contains(&digits) && SAYS.iter().any(|w| before.contains(w));
        if landline || mobile || said {
            return true;
        }
    }
    false
}

/// 公示期：2026年11月28日至2026年12月4日。 from the notice's structured period.
fn period_sentence(p: &NoticePeriod) -> String {
    let date = |t| {
        let d = beijing(t).date_naive();
        format!(
            "{}年{}月{}日",
            chrono::Datelike::year(&d),
            chrono::Datelike::month(&d),
            chrono::Datelike::day(&d)
        )
    };
    match (p.working_days, p.end) {
        (Some(n), _) => format!("公示期：自{}起{n}个工作日。", date(p.start)),
        (None, Some(end)) => {
            // An end at midnight closes the day before.
            let last = if beijing(end).time() == chrono::NaiveTime::MIN {
                end - chrono::TimeDelta::days(1)
            } else {
                end
            };
            format!("公示期：{}至{}。", date(p.start), date(last))
        }
        (None, None) => format!("公示期：自{}起。", date(p.start)),
    }
}

/// A line's sentences, each with its closing marks: at 。！？；, and at a half-width `.` `;`
/// `!` `?` typed after hanzi (never the `.` of 12.8 or of the list number `1.`).
fn sentences(line: &str) -> Vec<&str> {
    let chars: Vec<(usize, char)> = line.char_indices().collect();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < chars.len() {
        let prev = i.checked_sub(1).map(|j| chars[j].1);
        let next = chars.get(i + 1).map(|x| x.1);
        if ends_sentence(chars[i].1, prev, next) {
            let mut j = i + 1;
            while j < chars.len() && closes(chars[j].1) {
                j += 1;
            }
            let end = chars.get(j).map_or(line.len(), |x| x.0);
            let s = line[start..end].trim();
            if !s.is_empty() {
                out.push(s);
            }
            start = end;
            i = j;
        } else {
            i += 1;
        }
    }
    let s = line[start..].trim();
    if !s.is_empty() {
        out.push(s);
    }
    out
}

fn ends_sentence(c: char, prev: Option<char>, next: Option<char>) -> bool {
    let after_hanzi = prev.is_some_and(is_cjk);
    let next_free = next.is_none_or(|n| !n.is_ascii_alphanumeric());
    match c {
        '。' | '！' | '？' | '；' => true,
        '.' => after_hanzi && next.is_none_or(|n| !is_digit(n)),
        ';' | '!' | '?' => (after_hanzi || prev.is_some_and(is_digit)) && next_free,
        _ => false,
    }
}

/// What stays with the end of a sentence: closing quotes and brackets, more of its marks.
fn closes(c: char) -> bool {
    matches!(
        c,
        '”' | '’'
            | '」'
            | '』'
            | '）'
            | ')'
            | '】'
            | '》'
            | '。'
            | '！'
            | '？'
            | '!'
            | '?'
            | '…'
    )
}

#[cfg(test)]
mod tests;
