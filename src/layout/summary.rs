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

use super::body::{Look, Part, numbering, parts};
use super::linebreak::is_cjk;
use crate::model::table::{self, Block, Table};
use crate::model::{Notice, NoticePeriod, Priority, beijing};

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

/// Reads the body's parts into units, numbering items as it goes.
struct Reader {
    units: Vec<Unit>,
    items: usize,
    gongshi: bool,
}

impl Reader {
    fn push(&mut self, text: &str, kind: Kind, run_on: bool, new_item: bool) {
        if new_item {
            self.items += 1;
        }
        self.units.push(Unit {
            text: text.to_string(),
            kind,
            run_on,
            item: self.items,
        });
    }

    fn paragraph(&mut self, p: &str, look: Look, after_closing: bool, table_next: bool) {
        match look {
            Look::Addressee | Look::DocumentTitle => return self.push(p, Kind::Skip, false, true),
            Look::Attachments | Look::Attachment => {
                return self.push(p, Kind::Unshown, false, true);
            }
            Look::Heading(level) => {
                let kind = match classify(p) {
                    Kind::Text => Kind::Heading(level),
                    other => other,
                };
                return self.push(p, kind, false, true);
            }
            _ => {}
        }
        // A 附注 after the 落款: （此件公开发布）.
        let bracketed =
            (p.starts_with('（') && p.ends_with('）')) || (p.starts_with('(') && p.ends_with(')'));
        if after_closing && bracketed {
            return self.push(p, Kind::Skip, false, true);
        }
        let lines: Vec<(usize, &str)> = p
            .split('\n')
            .map(str::trim)
            .enumerate()
            .filter(|(_, l)| !l.is_empty())
            .collect();
        // A line that leads into what follows (奖补对象：), alone in its paragraph.
        if let [(_, line)] = lines[..]
            && classify(line) == Kind::Text
            && table_label(line).is_some()
        {
            let kind = if table_next {
                Kind::Skip
            } else {
                Kind::Heading(LABEL)
            };
            return self.push(line, kind, false, true);
        }
        // The level of the line that opened the item the next lines join: a numbered line
        // (一、收入合计：… with its amounts under it), or a line ending in a colon (0).
        let mut open: Option<u8> = None;
        let mut attachments = false;
        for (i, line) in lines {
            attachments = line.starts_with("附件")
                || (attachments && line.starts_with(|c: char| is_digit(c)));
            if attachments {
                self.push(line, Kind::Unshown, false, true);
                open = None;
                continue;
            }
            if self.gongshi
                && let Some(names) = names_line(line)
            {
                self.names(line, names);
                open = None;
                continue;
            }
            if i + 1 == p.split('\n').count() && table_next && table_label(line).is_some() {
                // The short line leading into a table (名单如下：) is the table's label.
                self.push(line, Kind::Skip, false, true);
                continue;
            }
            let level = numbering(line).map(|(level, _)| level);
            let join = match (level, open) {
                (Some(l), Some(o)) => l > o,
                (Some(_), None) => false,
                (None, o) => o.is_some(),
            };
            if !join {
                open = level;
            }
            let ss = sentences(line);
            let formula = ss.len() == 1 && classify(line) == Kind::Skip;
            if !join && level.is_none() && !formula && line.ends_with(['：', ':']) {
                open = Some(0);
            }
            for (k, s) in ss.into_iter().enumerate() {
                // Every sentence of an item joins it; outside one, a sentence is an item.
                let new_item = if k == 0 { !join } else { open.is_none() };
                self.push(s, classify(s), k > 0, new_item);
            }
        }
    }

    /// A line of names, added to the names just before it when the list runs over several lines.
    fn names(&mut self, line: &str, (label, n): (Option<&str>, usize)) {
        if label.is_none()
            && let Some(prev) = self.units.last_mut()
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
            && let Some(prev) = self.units.last_mut()
            && matches!(prev.kind, Kind::Text | Kind::Heading(_) | Kind::Skip)
            && let Some(lead) = table_label(&prev.text)
        {
            label = Some(lead.to_string());
            text = format!("{lead}：{line}");
            prev.kind = Kind::Skip;
        }
        let label = label.unwrap_or_else(|| "名单".to_string());
        let said = self.count_said();
        let unit = counted(&label);
        self.push(
            &text,
            Kind::Names {
                label,
                n,
                unit,
                said,
            },
            false,
            true,
        );
    }

    /// Whether the last thing read before a list of names says how many they are
    /// (一、拟新增对象（共14户21人））.
    fn count_said(&self) -> bool {
        self.units
            .iter()
            .rev()
            .find(|u| u.kind != Kind::Skip)
            .is_some_and(|u| match &u.kind {
                Kind::Fact => says_count(&u.text),
                // The lines of one list, each under its own label (石桥村：…, 河湾村：…).
                Kind::Names { said, .. } => *said,
                _ => false,
            })
    }

    /// A table of a 公示: its names, led by the label line before it, which is not read again.
    fn table(&mut self, t: &Table, lead: Option<&str>) {
        if !self.gongshi {
            return;
        }
        let said = self.count_said();
        if let Some((text, label, n, unit)) = table_names(t, lead) {
            self.push(
                &text,
                Kind::Names {
                    label,
                    n,
                    unit,
                    said,
                },
                false,
                true,
            );
        }
    }
}

/// The body's units in reading order.
fn read(notice: &Notice) -> Vec<Unit> {
    let gongshi = is_gongshi(notice);
    let blocks = table::blocks(&notice.body);
    let texts: Vec<String> = blocks
        .iter()
        .filter_map(|b| match b {
            Block::Text(t) => Some(t.clone()),
            Block::Table(_) => None,
        })
        .collect();
    let names = [notice.issuer.as_str()];
    let all = parts(&blocks, &texts, &names);
    let mut reader = Reader {
        units: Vec::new(),
        items: 0,
        gongshi,
    };
    let mut after_closing = false;
    let mut lead: Option<&str> = None;
    for (i, part) in all.iter().enumerate() {
        match part {
            Part::Paragraph(p, look) => {
                let table_next =
                    gongshi && matches!(all.get(i + 1), Some(Part::Table(t)) if has_names(t));
                reader.paragraph(p, *look, after_closing, table_next);
                lead = p
                    .split('\n')
                    .map(str::trim)
                    .rfind(|l| !l.is_empty())
                    .and_then(table_label);
                after_closing = false;
            }
            Part::Closing(_) => after_closing = true,
            Part::Table(t) => {
                reader.table(t, lead.take());
                after_closing = false;
            }
        }
    }
    let mut units = reader.units;
    if gongshi
        && let Some(period) = &notice.notice_period
        && !units.iter().any(|u| says_period(&u.text))
    {
        let item = units.last().map_or(0, |u| u.item) + 1;
        units.push(Unit {
            text: period_sentence(period),
            kind: Kind::Fact,
            run_on: false,
            item,
        });
    }
    units
}

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

fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

/// A short line leading into a table or list (拟保对象名单：), without its colon.
fn table_label(line: &str) -> Option<&str> {
    let label = line.strip_suffix(['：', ':'])?;
    let label = label.strip_suffix("如下").unwrap_or(label);
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

/// The column of a table that holds names (户主姓名, 申请人).
fn name_column(t: &Table) -> Option<usize> {
    const NAME_HEADERS: [&str; 6] = ["姓名", "户主", "申请人", "名字", "户名", "对象"];
    t.header
        .iter()
        .position(|h| NAME_HEADERS.iter().any(|n| h.contains(n)))
}

fn has_names(t: &Table) -> bool {
    table_names(t, None).is_some()
}

/// A table of a 公示 with a name column: its names as a sentence, with the label, how many and
/// what they count.
fn table_names(t: &Table, lead: Option<&str>) -> Option<(String, String, usize, &'static str)> {
    let col = name_column(t)?;
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
    Some((
        format!("{label}：{}。", names.join("、")),
        label.to_string(),
        names.len(),
        counted(&t.header[col]),
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

/// A sentence that only introduces the content or closes: 现将有关事项通知如下：, …现就有关事
/// 项公告如下。, 特此公告。 What leads into the content (为…，根据…，) goes with it: the title
/// says what the notice is about, and the strip has no room to say it twice.
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
    // …通知如下 / …公示如下 / 具体如下, whatever leads up to it; 现予以公示 alone.
    let announces = s.ends_with("予以公示") || s.ends_with("予以公告");
    s.ends_with("如下")
        || (announces
            && n <= 16
            && (s.starts_with('现') || s.starts_with("兹") || s.starts_with("特")))
}

/// A sentence with a phone number, a 公示期 or a count of people in it.
fn says_fact(sentence: &str) -> bool {
    says_period(sentence) || has_phone(sentence) || says_count(sentence)
}

/// A count of people or households: 共14户21人, 共计1,286人, 合计 32 名. What a 公示 says of its
/// names when they do not fit.
fn says_count(s: &str) -> bool {
    let chars: Vec<char> = s.chars().collect();
    ["共", "合计", "总计"].iter().any(|word| {
        let word: Vec<char> = word.chars().collect();
        (0..chars.len()).any(|i| {
            if !chars[i..].starts_with(&word) {
                return false;
            }
            let mut k = i + word.len();
            if chars.get(k) == Some(&'计') {
                k += 1;
            }
            while chars.get(k) == Some(&' ') {
                k += 1;
            }
            let from = k;
            while chars.get(k).is_some_and(|&c| is_digit(c) || c == ',') {
                k += 1;
            }
            while chars.get(k) == Some(&' ') {
                k += 1;
            }
            k > from && chars.get(k).is_some_and(|c| "户人名位家".contains(*c))
        })
    })
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
        // A mark then a digit goes on with the number (53,000 · 12.8 · 9:30); before hanzi or
        // at the end it ends the sentence or the clause (拨打 0839-5520 8123.也可以).
        let unit_after = next.is_some_and(|c| {
            "年月日号时分秒元万亿千百%％人户个天条项次米吨度岁名家辆座所套亩斤公里克".contains(c)
                || c == '℃'
                || (matches!(c, '.' | ',' | ':' | '/')
                    && chars.get(i + 1).copied().is_some_and(is_digit))
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
/// `!` `?` typed after hanzi or after a number before hanzi (never the `.` of 12.8 or of the
/// list number `1.`).
fn sentences(line: &str) -> Vec<&str> {
    let chars: Vec<(usize, char)> = line.char_indices().collect();
    let cs: Vec<char> = chars.iter().map(|x| x.1).collect();
    let mut out = Vec::new();
    let mut start = 0;
    let mut first = 0;
    let mut i = 0;
    while i < chars.len() {
        if ends_sentence(&cs, i, first) {
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
            first = j;
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

/// Whether `cs[i]` ends a sentence that starts at `first`.
fn ends_sentence(cs: &[char], i: usize, first: usize) -> bool {
    let prev = i.checked_sub(1).map(|j| cs[j]);
    let next = cs.get(i + 1).copied();
    let after_hanzi = prev.is_some_and(is_cjk);
    let hanzi_next = next.is_some_and(|n| is_cjk(n) && !matches!(n as u32, 0x3000..=0x303F));
    let after_number = prev.is_some_and(|p| is_digit(p) || matches!(p, '%' | '％'));
    match cs[i] {
        '。' | '！' | '？' | '；' => true,
        '.' if next.is_some_and(is_digit) => false,
        '.' => after_hanzi || (after_number && hanzi_next && !list_number(cs, i, first)),
        ';' | '!' | '?' => {
            (after_hanzi || after_number) && next.is_none_or(|n| !n.is_ascii_alphanumeric())
        }
        _ => false,
    }
}

/// Whether the digits before `cs[dot]` are a list number (`1.停止` at the start, `；2.河道`,
/// `：1.登录`), not the end of a number that ends a sentence (`0839-5520 8123.也可以`).
fn list_number(cs: &[char], dot: usize, first: usize) -> bool {
    let digits = cs[..dot].iter().rev().take_while(|&&c| is_digit(c)).count();
    let from = dot - digits;
    let before = cs[first..from].iter().rev().find(|c| !c.is_whitespace());
    (1..=2).contains(&digits)
        && before
            .is_none_or(|&c| matches!(c, '：' | ':' | '，' | ',' | '、' | '；' | ';' | '（' | '('))
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
