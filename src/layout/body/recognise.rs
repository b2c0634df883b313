//! What each paragraph of a body is, before any line is set: the 主送机关, numbered paragraphs
//! judged with their siblings (`headings`), the 附件 list, the title of a document an 印发 notice
//! carries, the 落款 (`closing`) that closes the notice's own text.

use super::closing;
use super::headings::{self, Style, numbering};
use crate::model::table::{Block, Table};

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

/// What 附件说明 starts with (GB/T 9704 7.3.4): the list of attachments under the text.
pub(super) const ATTACHMENTS: [&str; 2] = ["附件：", "附件:"];

/// The number an item of the 附件 list starts with, and its length in bytes with the spaces
/// after it: what `numbering` reads at levels 3 and 4 (`2.` `2、` `（2）`), and a number followed
/// by digits (`1.2027年度…`, which `numbering` leaves as a decimal) where it is the number
/// `expected` (any, when `None`): in a list a number in its place opens an item, and a title
/// opens with a year more often than with a decimal.
pub(super) fn item_number(item: &str, expected: Option<usize>) -> Option<usize> {
    if let Some((level, end)) = numbering(item)
        && level >= 3
    {
        return Some(end);
    }
    let digit = |c: char| {
        c.to_digit(10)
            .or_else(|| ('０'..='９').contains(&c).then(|| c as u32 - '０' as u32))
    };
    let (mut n, mut count) = (0, 0);
    let at = item.char_indices().find(|&(_, c)| match digit(c) {
        Some(d) if count < 2 => {
            (n, count) = (n * 10 + d as usize, count + 1);
            false
        }
        _ => true,
    })?;
    if count == 0 || !matches!(at.1, '.' | '．' | '、') || expected.is_some_and(|e| e != n) {
        return None;
    }
    let end = at.0 + at.1.len_utf8();
    Some(end + item[end..].len() - item[end..].trim_start_matches(' ').len())
}

/// The end in bytes of the label a line opens with (村名：, 联系电话：): up to eight characters
/// with no sentence punctuation, then a colon, then a value.
pub(super) fn label_end(line: &str) -> Option<usize> {
    let (at, colon) = line
        .char_indices()
        .take(9)
        .find(|(_, c)| matches!(c, '：' | ':'))?;
    let label = &line[..at];
    let value = line[at + colon.len_utf8()..].trim();
    let clean = !label.contains(['，', '。', '；', '、', '！', '？', ',', ' ', '\u{3000}']);
    // A half-width colon before a digit is a time's (8:30), before a slash a URL's.
    let time = colon == ':' && value.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '/');
    (at > 0 && clean && !value.is_empty() && !time).then_some(at + colon.len_utf8())
}

/// A paragraph of lines after forced breaks that each open with a label (石桥村：… 河湾村：…):
/// a list whose lines are set alike. Lines aligned with typed spaces keep their staff's
/// alignment, numbered lines are items, not labels.
pub(super) fn is_label_list(paragraph: &str) -> bool {
    let lines: Vec<&str> = paragraph
        .split('\n')
        .map(str::trim_end)
        .filter(|l| !l.is_empty())
        .collect();
    lines.len() >= 2
        && lines.iter().all(|l| {
            !l.starts_with([' ', '\u{3000}']) && numbering(l).is_none() && label_end(l).is_some()
        })
}

/// The labels the lines of a label list open with.
pub(super) fn labels(paragraph: &str) -> Vec<&str> {
    paragraph
        .split('\n')
        .filter_map(|l| label_end(l).map(|end| &l[..end]))
        .collect()
}

/// How one paragraph is set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(in crate::layout) enum Look {
    Text,
    Addressee,
    Heading(u8),
    /// A sentence with a bold lead-in of `end` bytes.
    Lead {
        level: u8,
        end: usize,
    },
    /// 附件：1. …, its items (on forced-break lines) under its first.
    Attachments,
    /// An item of the 附件 list typed as a paragraph of its own (2. …).
    Attachment,
    /// Lines after forced breaks each opening with a label (`is_label_list`): each at the
    /// paragraph's indent, their wraps at one place.
    Labels,
    /// The title of a document an 印发 or 转发 notice carries: centred and bold.
    DocumentTitle,
}

/// What the body is, in reading order, before any line is set.
pub(in crate::layout) enum Part<'a> {
    Table(&'a Table),
    Paragraph(&'a str, Look),
    /// 落款: its lines as set.
    Closing(Vec<String>),
}

/// A body's paragraphs: split at blank lines (a line of spaces is blank too), trimmed; a
/// paragraph's first-line indent typed as spaces goes (the layout indents), the spaces typed
/// after a forced break to align a line stay.
fn paragraphs(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut end = 0;
    let mut at = 0;
    for line in text.split('\n') {
        if line.trim().is_empty() {
            if let Some(s) = start.take() {
                out.push(text[s..end].trim());
            }
        } else {
            start.get_or_insert(at);
            end = at + line.len();
        }
        at += line.len() + 1;
    }
    if let Some(s) = start {
        out.push(text[s..end].trim());
    }
    out
}

/// The titles an 印发 or 转发 sentence names: 现将《云岭区…方案》印发给你们.
fn forwarded_titles<'a>(paragraphs: &[&'a str]) -> Vec<&'a str> {
    const VERBS: [&str; 5] = ["印发", "转发", "发布", "下发", "公布"];
    let mut out = Vec::new();
    for p in paragraphs
        .iter()
        .filter(|p| VERBS.iter().any(|v| p.contains(v)))
    {
        let mut rest = *p;
        while let Some(open) = rest.find('《') {
            let after = &rest[open + '《'.len_utf8()..];
            let Some(close) = after.find('》') else {
                break;
            };
            out.push(&after[..close]);
            rest = &after[close..];
        }
    }
    out
}

/// A paragraph that is only the title of a document: 《…》 alone, or a title an 印发 sentence
/// named, repeated where the document begins.
fn is_document_title(paragraph: &str, forwarded: &[&str]) -> bool {
    if paragraph.contains('\n') || paragraph.chars().count() > 80 {
        return false;
    }
    let whole = paragraph
        .strip_prefix('《')
        .and_then(|p| p.strip_suffix('》'))
        .is_some_and(|inner| !inner.contains(['《', '》']));
    whole || forwarded.contains(&paragraph)
}

/// The body in reading order, each paragraph with its look and the 落款 found.
pub(in crate::layout) fn parts<'a>(
    blocks: &'a [Block],
    texts: &'a [String],
    names: &[&str],
) -> Vec<Part<'a>> {
    // Paragraphs and tables, tables as `None` among the paragraphs.
    let mut flow: Vec<Result<&'a str, &'a Table>> = Vec::new();
    let mut text = texts.iter();
    for block in blocks {
        match block {
            Block::Table(t) => flow.push(Err(t)),
            Block::Text(_) => {
                let t = text.next().expect("one printable text per text block");
                flow.extend(paragraphs(t).into_iter().map(Ok));
            }
        }
    }
    let all: Vec<&str> = flow.iter().filter_map(|p| p.ok()).collect();
    let forwarded = forwarded_titles(&all);
    let mut looks: Vec<Option<Look>> = flow
        .iter()
        .map(|p| {
            p.ok()
                .filter(|p| is_document_title(p, &forwarded))
                .map(|_| Look::DocumentTitle)
        })
        .collect();
    // The 附件 list, its items typed as paragraphs after it when it opens a numbered list
    // (附件：1. …, or 附件： alone), not after a single attachment (附件：…名单).
    let mut i = 0;
    while i < flow.len() {
        let list = flow[i]
            .ok()
            .filter(|_| looks[i].is_none())
            .and_then(|p| ATTACHMENTS.iter().find_map(|a| p.strip_prefix(a)));
        if let Some(first) = list {
            looks[i] = Some(Look::Attachments);
            let first = first.trim_start();
            // Items on forced-break lines of the list's paragraph, then paragraphs of their own.
            let mut items = first.split('\n').filter(|l| !l.trim().is_empty()).count();
            let second = first
                .split('\n')
                .nth(1)
                .or_else(|| flow.get(i + 1).and_then(|p| p.ok()));
            let numbered = first.is_empty()
                || numbering(first).is_some()
                || item_number(first, Some(1)).is_some()
                    && second.is_some_and(|s| item_number(s.trim_start(), Some(2)).is_some());
            while numbered
                && let Some(Ok(next)) = flow.get(i + 1)
                && item_number(next, Some(items + 1)).is_some()
            {
                i += 1;
                items += 1;
                looks[i] = Some(Look::Attachment);
            }
        }
        i += 1;
    }
    let titles: Vec<bool> = looks
        .iter()
        .map(|l| *l == Some(Look::DocumentTitle))
        .collect();
    let title = |i: usize| titles[i];
    // Runs of paragraphs between tables and an embedded document's title: the one before a
    // title or at the end may close with a 落款.
    let mut closings: Vec<(usize, usize, closing::Closing)> = Vec::new();
    let mut start = 0;
    while start < flow.len() {
        let mut end = start;
        while end < flow.len() && flow[end].is_ok() && !title(end) {
            end += 1;
        }
        let run: Vec<&str> = flow[start..end].iter().filter_map(|p| p.ok()).collect();
        let closes = end == flow.len() || title(end);
        if closes && let Some(c) = closing::find(&run, names, start == 0) {
            closings.push((start, end, c));
        }
        start = end.max(start + 1);
    }
    // Headings are siblings across tables, not across the title of a document the notice
    // carries: that document numbers its own.
    let signed = |i: usize| {
        closings
            .iter()
            .any(|(start, end, c)| (start + c.paragraph..end - c.notes).contains(&i))
    };
    let mut start = 0;
    while start < flow.len() {
        let end = (start + 1..flow.len())
            .find(|&i| title(i))
            .unwrap_or(flow.len());
        let free: Vec<&str> = (start..end)
            .map(|i| match flow[i] {
                Ok(p) if looks[i].is_none() && !signed(i) => p,
                _ => "",
            })
            .collect();
        for (k, style) in headings::styles(&free).into_iter().enumerate() {
            if looks[start + k].is_none() {
                looks[start + k] = Some(match style {
                    Style::Text => Look::Text,
                    Style::Heading(level) => Look::Heading(level),
                    Style::Lead { level, end } => Look::Lead { level, end },
                });
            }
        }
        start = end;
    }
    for (look, part) in looks.iter_mut().zip(&flow) {
        if *look == Some(Look::Text) && part.is_ok_and(is_label_list) {
            *look = Some(Look::Labels);
        }
    }
    if matches!(flow.first(), Some(Ok(p)) if is_addressee(p)) {
        looks[0] = Some(Look::Addressee);
    }
    let mut out = Vec::new();
    let mut closings = closings.into_iter().peekable();
    let mut skip_to = 0;
    for (i, (part, look)) in flow.into_iter().zip(looks).enumerate() {
        if i < skip_to {
            continue;
        }
        let p = match part {
            Err(t) => {
                out.push(Part::Table(t));
                continue;
            }
            Ok(p) => p,
        };
        let look = look.unwrap_or(Look::Text);
        let Some((start, end, c)) = closings.next_if(|(start, _, c)| start + c.paragraph == i)
        else {
            out.push(Part::Paragraph(p, look));
            continue;
        };
        // Lines of this paragraph before the 落款 stay text.
        let before = p
            .split('\n')
            .take(c.line)
            .map(|l| l.len() + 1)
            .sum::<usize>();
        if before > 0 {
            out.push(Part::Paragraph(p[..before - 1].trim_end(), look));
        }
        out.push(Part::Closing(c.lines));
        // Its other paragraphs are done; the 附注 after it are text.
        skip_to = end - c.notes;
        debug_assert!(skip_to > start);
    }
    out
}
