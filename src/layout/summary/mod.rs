//! The LED marquee's summary of a notice: built from what the notice is made of (sentences,
//! list items, a 公示's period, its phones and names), never a cut through a number, a name or
//! a phone.
//!
//! A strip runs one line of about 240 characters; a notice is often ten times that. Cutting it
//! at a character count threw away what residents stop for: a 低保 公示 showed its preamble and
//! none of the names, the 公示期 or the 监督电话; an amount came out as `5……`. Here the body is
//! read as the page sets it (`body::parts`: the 主送机关, headings, the 附件 list, an embedded
//! document's title, the 落款) and then into units (a sentence, a line of names) grouped into
//! items (a numbered item with its lines, a list of amounts with its total), and an item is
//! kept whole or not at all:
//!
//! - skipped: the 主送机关, the formulae that introduce or close (现将有关事项通知如下：,
//!   特此公告), the 落款 in any of its forms, a 附注 after it, the title of a document an 印发
//!   notice carries (the notice's title names it), and the 附件 list, which no strip can show;
//! - always kept, whatever the budget: the sentences with a phone number, a 公示期 or a count
//!   of people or households (共14户21人), the facts a resident acts on;
//! - for a 公示: its names (a line of names, or the name column of a table) when they fit, else
//!   how many there are (`共 N 人`, unless the notice says the count itself), and its 公示期
//!   from `notice_period` when the body never says it;
//! - then the other items in reading order, as many as the budget takes; the first that does
//!   not fit ends them, so the text never skips a step of an argument or an item of a list. A
//!   heading is kept only with the first item of its section after it.
//!
//! Sentences end at 。！？；, and at a half-width `.` `;` `!` `?` typed after hanzi or after a
//! number before hanzi (`0839-5520 8123.也可以`), never at the `.` inside 12.8亿元 or of a list
//! number (`1.停止`). When something that says something was left out, the summary says so:
//! "全文详见…" where the notice has a web address, else where it is posted in full (the 公示栏,
//! 村务公开栏 or 政务公开栏 of the office), and a warning `（摘要）`.
//!
//! Pure: no fonts, no playlist. The LED template replaces what the fonts lack afterwards (one
//! character for one, so the budget holds).
//!
//! The work is split by concern. `facts` knows what a sentence says (a phone, a 公示期, a
//! count, a formula) from its text alone; `read` turns the body into units, asking `facts` what
//! each one says; this module holds what both share (`Unit`, `Kind`) and chooses among the
//! units for the budget, then says where the rest is. `facts` knows nothing of `read`, so each
//! fact can be tested one sentence at a time.

mod facts;
mod read;

use crate::model::{Notice, Priority};
use facts::{is_digit, says_fact};
use read::read;

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

/// What ends a summary that left something out of a notice without a web address: true for a
/// notice board, where the office posts it in full (a 公示 on its 公示栏, a village's accounts
/// on the 村务公开栏, anything else of a government on its 政务公开栏). A warning is not
/// posted anywhere a resident goes: it only says it is a summary.
fn omission_marker(notice: &Notice) -> &'static str {
    if notice.level.is_some() || notice.priority == Priority::Emergency {
        "（摘要）"
    } else if is_gongshi(notice) {
        "（摘要，全文见公示栏）"
    } else if is_village(&notice.issuer) || notice.title.contains("村务") {
        "（摘要，全文见村务公开栏）"
    } else {
        "（摘要，全文见政务公开栏）"
    }
}

/// A village's or a residents' committee: its notices go on the 村务公开栏.
fn is_village(issuer: &str) -> bool {
    [
        "村民委员会",
        "村委会",
        "村务监督委员会",
        "居民委员会",
        "居委会",
    ]
    .iter()
    .any(|o| issuer.ends_with(o))
        || (issuer.ends_with('村') && issuer.chars().count() <= 12)
}

/// Whether the notice is a 公示: it has a 公示期, or says so in its title.
pub fn is_gongshi(notice: &Notice) -> bool {
    notice.notice_period.is_some() || notice.title.contains("公示")
}

/// The notice's body summarised for a marquee of about `budget` characters (the facts may take
/// more: they are never cut), saying so where something was left out.
pub fn summarise(notice: &Notice, budget: usize) -> String {
    let units = read(notice);
    let (mut text, omitted) = select(&units, budget);
    if omitted {
        if let Some(more) = more(notice) {
            text.push_str(&more);
        } else if !text.ends_with('…') {
            // A sentence cut at a clause already ends in …….
            text.push_str(omission_marker(notice));
        }
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
    /// A phone number, a 公示期 or a count of people: always kept.
    Fact,
    /// A 公示's names: the unit's text when it fits, else how many (`{label}共 {n} {unit}。`),
    /// or nothing when the notice said how many just before (`said`).
    Names {
        label: String,
        n: usize,
        unit: &'static str,
        said: bool,
    },
    /// A heading line (`一、总体目标`, or a label line `奖补对象：` at level 9): kept only with
    /// what follows it.
    Heading(u8),
    /// Any other sentence or line, kept with its item while the budget lasts.
    Text,
}

#[derive(Debug, Clone, PartialEq)]
struct Unit {
    text: String,
    kind: Kind,
    /// The unit follows the one before on the same line: joined without a space.
    run_on: bool,
    /// The item it belongs to (a numbered item, a list under its total, one sentence): an
    /// item's text is kept whole or not at all.
    item: usize,
}

/// The heading level a label line leading into what follows gets: below every numbered one.
const LABEL: u8 = 9;

/// The kept units joined, and whether anything that says something was left out.
fn select(units: &[Unit], budget: usize) -> (String, bool) {
    let len = |s: &str| s.chars().count();
    let mut keep: Vec<Option<String>> = vec![None; units.len()];
    let mut used = 0;
    let mut omitted = units.iter().any(|u| u.kind == Kind::Unshown);
    // The facts first, whatever they cost.
    for (i, u) in units.iter().enumerate() {
        if u.kind == Kind::Fact {
            keep[i] = Some(u.text.clone());
            used += len(&u.text) + 1;
        }
    }
    // Then a 公示's names, whole if they fit, else their count (unless the notice gave it).
    for (i, u) in units.iter().enumerate() {
        if let Kind::Names {
            label,
            n,
            unit,
            said,
        } = &u.kind
        {
            let text = if used + len(&u.text) <= budget {
                u.text.clone()
            } else {
                omitted = true;
                if *said {
                    continue;
                }
                format!("{label}共 {n} {unit}。")
            };
            used += len(&text) + 1;
            keep[i] = Some(text);
        }
    }
    // Then the items in reading order, each with the headings just before it, until one does
    // not fit.
    let mut full = false;
    let mut i = 0;
    while i < units.len() {
        let (step, next) = step_at(units, i);
        i = next;
        if step.is_empty() {
            continue;
        }
        let says = step.iter().any(|&k| units[k].kind == Kind::Text);
        let cost: usize = step
            .iter()
            .filter(|&&k| keep[k].is_none())
            .map(|&k| len(&units[k].text) + usize::from(!units[k].run_on))
            .sum();
        if !full && used + cost <= budget + 1 {
            for &k in &step {
                keep[k].get_or_insert_with(|| units[k].text.clone());
            }
            used += cost;
        } else {
            full = true;
            omitted |= says;
        }
    }
    // Nothing at all fits (one sentence longer than the budget, and no fact): its clauses up to
    // the budget, marked as cut, where that sentence stands alone (an item of several is whole
    // or absent). A clause never ends inside a number.
    if keep.iter().all(Option::is_none)
        && let Some(i) = units.iter().position(|u| u.kind == Kind::Text)
        && step_at(units, i).0 == [i]
    {
        keep[i] = Some(clauses_within(&units[i].text, budget));
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

/// The units kept or dropped together from `i`: an item's text, or the headings before an
/// item with the item (a heading alone says nothing; one whose section is empty is dropped).
/// With where the next step starts.
fn step_at(units: &[Unit], i: usize) -> (Vec<usize>, usize) {
    let item = |from: usize| {
        let mut to = from;
        while to < units.len() && units[to].item == units[from].item {
            to += 1;
        }
        (from..to)
            .filter(|&k| matches!(units[k].kind, Kind::Text | Kind::Fact))
            .collect::<Vec<_>>()
    };
    match units[i].kind {
        Kind::Text => {
            let step = item(i);
            let next = i
                + (units[i..]
                    .iter()
                    .take_while(|u| u.item == units[i].item)
                    .count());
            (step, next)
        }
        Kind::Heading(_) => {
            let mut heads: Vec<usize> = Vec::new();
            let mut j = i;
            while j < units.len() {
                match units[j].kind {
                    Kind::Heading(level) => {
                        // A heading of its level or higher closes the sections before it.
                        heads.retain(|&h| matches!(units[h].kind, Kind::Heading(l) if l < level));
                        heads.push(j);
                    }
                    Kind::Skip => {}
                    _ => break,
                }
                j += 1;
            }
            match units.get(j).map(|u| &u.kind) {
                // Its first item's text: kept together or not at all.
                Some(Kind::Text) => {
                    heads.extend(item(j));
                    let next = j + units[j..]
                        .iter()
                        .take_while(|u| u.item == units[j].item)
                        .count();
                    (heads, next)
                }
                // A fact or the names, kept on their own: the headings cost only themselves.
                Some(Kind::Fact | Kind::Names { .. }) => (heads, j),
                _ => (Vec::new(), j),
            }
        }
        _ => (Vec::new(), i + 1),
    }
}

/// The longest run of whole clauses of `sentence` within `budget` characters, then ……; the
/// whole sentence when not even its first clause fits (a fact is never cut).
fn clauses_within(sentence: &str, budget: usize) -> String {
    let chars: Vec<char> = sentence.chars().collect();
    let cut = (1..chars.len().min(budget.saturating_sub(2)))
        .rev()
        .find(|&i| matches!(chars[i - 1], '，' | '；' | ',' | ';') && !in_number(&chars, i));
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

#[cfg(test)]
mod tests;
