//! From a notice's body to the summary's units: the parts the page sets (`body::parts`), split
//! into sentences and lines of names, each classified and numbered into the item it belongs
//! to. Kept apart from the choosing (in `summary`) so that what a notice says is decided once,
//! before any budget is spent, and the two can be read and tested on their own.

use super::facts::{classify, is_digit, period_sentence, says_count, says_period};
use super::{Kind, LABEL, Unit, is_gongshi};
use crate::layout::body::{Look, Part, numbering, parts};
use crate::layout::linebreak::is_cjk;
use crate::model::Notice;
use crate::model::table::{self, Block, Table};

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
pub(super) fn read(notice: &Notice) -> Vec<Unit> {
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
pub(super) fn names_line(line: &str) -> Option<(Option<&str>, usize)> {
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

/// A line's sentences, each with its closing marks: at 。！？；, and at a half-width `.` `;`
/// `!` `?` typed after hanzi or after a number before hanzi (never the `.` of 12.8 or of the
/// list number `1.`).
pub(super) fn sentences(line: &str) -> Vec<&str> {
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
