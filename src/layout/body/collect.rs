//! The first phase of the body: its parts, as `recognise` found them, broken into lines, and
//! each line marked with the space above it and whether it may end a page.

use super::headings::numbering;
use super::recognise::{ATTACHMENTS, Look, Part, item_number, label_end, labels, parts};
use super::{BodyLine, Item, LineKind, Source, closing};
use crate::layout::fonts::Fonts;
use crate::layout::linebreak::{self, Line};
use crate::layout::measure::{balanced_lines, break_lines, printable};
use crate::layout::words::{fill_words, title_atoms};
use crate::model::table::{self, Block, Table};

/// The lines of `source` at `px` in a column `width` pixels wide, in reading order, before any
/// page is cut; and the header rows of its tables, which open every page a table goes on to.
pub(super) fn collect(
    fonts: &mut Fonts,
    source: &Source,
    px: f32,
    line_px: f32,
    width: f32,
) -> (Vec<Item>, Vec<Item>) {
    let blocks = table::blocks(source.body);
    let texts: Vec<String> = blocks
        .iter()
        .filter_map(|b| match b {
            Block::Text(t) => Some(printable(fonts, t)),
            Block::Table(_) => None,
        })
        .collect();
    let names = [source.issuer];
    let mut set = Setter {
        fonts,
        names: &names,
        px,
        line_px,
        width,
        para_gap: (line_px * 0.4).round(),
        items: Vec::new(),
        headers: Vec::new(),
        tables: 0,
    };
    for p in source.before {
        let p = printable(set.fonts, p);
        set.paragraph(&p, Look::Text);
    }
    for part in parts(&blocks, &texts, &names) {
        match part {
            Part::Table(t) => set.table(t),
            Part::Paragraph(p, look) => set.paragraph(p, look),
            Part::Closing(lines) => set.closing(&lines),
        }
    }
    for p in source.after {
        let p = printable(set.fonts, p);
        set.paragraph(&p, Look::Text);
    }
    // A label at the end of a line stays with its value: 联系电话： on one page and the number
    // on the next is a number nobody finds.
    for item in &mut set.items {
        let label = item.lines.iter().max_by(|a, b| a.dx.total_cmp(&b.dx));
        if item.header.is_none() && label.is_some_and(|l| l.text.ends_with(['：', ':'])) {
            item.keep_with_next = true;
        }
    }
    (set.items, set.headers)
}

/// What sets the body's parts into items, and the items set so far.
struct Setter<'a> {
    fonts: &'a mut Fonts,
    /// Names that are one word (the issuer), for balancing a title's lines.
    names: &'a [&'a str],
    px: f32,
    line_px: f32,
    width: f32,
    para_gap: f32,
    items: Vec<Item>,
    headers: Vec<Item>,
    tables: usize,
}

impl Setter<'_> {
    /// The gap above what comes next: none at the top.
    fn gap(&self) -> f32 {
        if self.items.is_empty() {
            0.0
        } else {
            self.para_gap
        }
    }

    fn table(&mut self, t: &Table) {
        let gap = self.gap();
        // What leads into a table (名单如下：) stays with its first rows.
        if let Some(last) = self.items.last_mut() {
            last.keep_with_next = true;
        }
        let at = (self.tables, self.px, self.line_px, self.width, gap);
        super::table::items(self.fonts, t, at, &mut self.items, &mut self.headers);
        self.tables += 1;
    }

    /// The 落款, kept with the end of the text it signs: a page never holds only the signature.
    fn closing(&mut self, lines: &[String]) {
        if let Some(last) = self.items.last_mut() {
            last.keep_with_next = true;
        }
        let at = (self.px, self.line_px, self.width, self.para_gap);
        closing::items(self.fonts, lines, at, &mut self.items);
    }

    /// The title of a document the notice carries: bold, centred, its lines balanced, kept with
    /// what follows it.
    fn document_title(&mut self, p: &str) {
        let gap = if self.items.is_empty() {
            0.0
        } else {
            self.para_gap * 2.0
        };
        let (px, width) = (self.px, self.width);
        let lines = balanced_lines(self.fonts, p, self.names, px, true, width - 4.0 * px);
        for (k, text) in lines.into_iter().enumerate() {
            let w = self.fonts.width(&text, px, true);
            let dx = ((width - w) / 2.0).max(0.0).round();
            let line = BodyLine::text(text, dx, 0.0, LineKind::DocumentTitle);
            let gap = if k == 0 { gap } else { 0.0 };
            self.items.push(Item {
                keep_with_next: true,
                ..Item::line(line, self.line_px, gap)
            });
        }
    }

    /// The lines of one paragraph, the first a gap below what comes before, kept together as
    /// the conventions ask.
    fn paragraph(&mut self, paragraph: &str, look: Look) {
        if look == Look::DocumentTitle {
            return self.document_title(paragraph);
        }
        let px = self.px;
        let indent = 2.0 * px; // 首行缩进两字
        let kind = match look {
            Look::Addressee => LineKind::Addressee,
            Look::Heading(level) => LineKind::Heading { level },
            _ => LineKind::Text,
        };
        let bold = kind.bold();
        // The items of an 附件 list start where its first item does, past 附件：.
        let items_x = indent + self.fonts.width(ATTACHMENTS[0], px, false);
        let attachment = matches!(look, Look::Attachments | Look::Attachment);
        let mut next_item = 1;
        // A label list's values start in one column past its widest label, and wrap under it,
        // as staff align them with spaces on paper; where that column would leave less than
        // half the line, each line follows its label and wraps flush left, as a paragraph's do.
        let value_x = match look {
            Look::Labels => {
                let widest = labels(paragraph)
                    .into_iter()
                    .map(|l| self.fonts.width(l, px, false))
                    .fold(0.0, f32::max);
                Some(indent + widest).filter(|&x| x <= self.width / 2.0)
            }
            _ => None,
        };
        let first = self.items.len();
        // Where the last list item's text starts, for a line that continues it.
        let mut text_x = 0.0;
        for (k, raw) in paragraph.split('\n').enumerate() {
            let raw = raw.trim_end();
            let piece = raw.trim_start_matches([' ', '\u{3000}']);
            if piece.is_empty() {
                continue;
            }
            // Spaces typed after a forced break align the line: they stay, as room before it.
            let typed = &raw[..raw.len() - piece.len()];
            let number = numbering(piece);
            let number_w = number.map_or(0.0, |(_, end)| self.fonts.width(&piece[..end], px, bold));
            // An 附件 item's number, the one expected next in the list (any, on an item typed as
            // a paragraph of its own), and the item's text past it.
            let label = ATTACHMENTS.iter().find_map(|a| piece.strip_prefix(*a));
            let item = match (look, k, label) {
                (Look::Attachments, 0, Some(label)) => {
                    let text = label.trim_start_matches([' ', '\u{3000}']);
                    item_number(text, Some(next_item)).map(|end| piece.len() - text.len() + end)
                }
                (Look::Attachments, _, _) => item_number(piece, Some(next_item)),
                (Look::Attachment, _, _) => item_number(piece, None),
                _ => None,
            };
            if item.is_some() {
                next_item += 1;
            }
            let item_w = |fonts: &mut Fonts, end: usize| fonts.width(&piece[..end], px, false);
            let (x, hang) = match (look, k) {
                (Look::Addressee, _) => (0.0, 0.0),
                (Look::Attachments, 0) => {
                    // Past 附件： and the first item's number.
                    let hang = item.map_or(items_x, |end| indent + item_w(self.fonts, end));
                    (indent, hang)
                }
                (Look::Attachments | Look::Attachment, _) if item.is_some() => {
                    let end = item.unwrap_or(0);
                    (items_x, items_x + item_w(self.fonts, end))
                }
                (Look::Attachments, _) => (text_x, text_x),
                (Look::Labels, _) => (indent, 0.0),
                (_, 0) => (indent, 0.0),
                _ if !typed.is_empty() => {
                    let x = self.fonts.width(typed, px, false);
                    (x, x + number_w)
                }
                _ if number.is_some() => (indent, indent + number_w),
                _ => (0.0, 0.0),
            };
            text_x = hang;
            let lead = match look {
                Look::Lead { level, end } if k == 0 => Some((level, end)),
                _ => None,
            };
            let gap = match (self.items.len() == first, look) {
                (false, _) => 0.0,
                (true, Look::Attachment) => 0.0,
                (true, _) => self.gap(),
            };
            if let (Some(value_x), Some(end)) = (value_x, label_end(piece)) {
                // The label at the indent, its value in the column.
                let value = piece[end..].trim_start_matches([' ', '\u{3000}']);
                let at = self.items.len();
                self.piece(value, kind, (value_x, value_x), None, gap, false);
                let label = BodyLine::text(piece[..end].to_string(), x, 0.0, kind);
                self.items[at].lines.insert(0, label);
                continue;
            }
            // An 附件 item is a document's title: broken between words, as titles are.
            self.piece(piece, kind, (x, hang), lead, gap, attachment);
        }
        let n = self.items.len() - first;
        // The 附件 list is short and read as one: kept whole, its items typed as paragraphs
        // of their own too.
        if matches!(look, Look::Attachments | Look::Attachment) {
            let from = match look {
                Look::Attachment => first.saturating_sub(1),
                _ => first,
            };
            let to = (first + n).saturating_sub(1).max(from);
            for item in &mut self.items[from..to] {
                item.keep_with_next = true;
            }
        }
        if matches!(kind, LineKind::Heading { .. }) || n >= 2 {
            // A heading stays with what follows it; a paragraph's first line does not stay
            // behind alone (orphan)...
            self.items[first].keep_with_next = true;
        }
        if n >= 2 {
            // ...nor does its last line go on alone (widow).
            self.items[first + n - 2].keep_with_next = true;
        }
    }

    /// One line of a paragraph between forced breaks, broken into lines: the first at `x`, the
    /// others at `hang`; `lead`, the level and length in bytes of a bold lead-in; `by_words`,
    /// broken only between words.
    fn piece(
        &mut self,
        piece: &str,
        kind: LineKind,
        (x, hang): (f32, f32),
        lead: Option<(u8, usize)>,
        gap: f32,
        by_words: bool,
    ) {
        let (px, width) = (self.px, self.width);
        let bold = kind.bold();
        // Lines are drawn at whole pixels (`parts` rounds each line's x: text at a fraction of a
        // pixel blurs), so they are broken and justified from where they will be drawn.
        let (x, hang) = (x.round(), hang.round());
        // A lead-in is bold: wider where it holds Latin letters or digits (1. ), it moves what
        // follows it on its line, so the line is broken with room for it.
        let (lead_chars, (lead_advances, extra)) = match lead {
            Some((_, end)) => {
                let regular = self.fonts.advances(&piece[..end], px, false);
                let bold = self.fonts.advances(&piece[..end], px, true);
                let extra: Vec<f32> = bold.iter().zip(&regular).map(|(b, r)| b - r).collect();
                (piece[..end].chars().count(), (bold, extra))
            }
            None => (0, (Vec::new(), Vec::new())),
        };
        let room = extra.iter().sum::<f32>().max(0.0);
        let (chars, mut lines) = if by_words {
            let chars: Vec<char> = piece.chars().collect();
            let advances = self.fonts.advances(piece, px, bold);
            let lines = fill_words(&chars, &advances, self.names, width - hang, x - hang + room);
            (chars, lines)
        } else {
            break_lines(self.fonts, piece, px, bold, width - hang, x - hang + room)
        };
        if matches!(kind, LineKind::Heading { .. }) {
            lines = self.no_lonely_character(&chars, lines, bold, (x, hang));
        }
        for (i, line) in lines.iter().enumerate() {
            let dx = if i == 0 { x } else { hang };
            let r = line.range.clone();
            let in_lead = r.start.min(lead_chars)..r.end.min(lead_chars);
            // Empty when the lead-in runs on past the line.
            let rest = r.start.max(lead_chars).min(r.end)..r.end;
            let rest_text: String = chars[rest.clone()].iter().collect();
            let rest_kind = if lead.is_some() { LineKind::Text } else { kind };
            // The lead-in as drawn within the whole line: its marks compressed as the line's
            // are, and the stretch points up to the rest (the one between them included).
            let line_chars = &chars[r.clone()];
            let k = in_lead.len();
            let compressed = linebreak::compressed(line_chars);
            let lead_w: f32 = (0..k)
                .map(|j| lead_advances[r.start + j] * if compressed[j] { 0.5 } else { 1.0 })
                .sum();
            let gaps = linebreak::stretch_points(line_chars)
                .iter()
                .filter(|&&p| p < k)
                .count() as f32;
            // The rest as the renderer draws it: shaped on its own. The breaker sums advances
            // shaped over the whole paragraph, where the last glyph before a break inside a
            // word (an address broken after its `.`) is kerned with the first glyph of the next
            // line: `.c` is 0.85 px narrower at 53 px than `.` ending a line, and a line
            // justified from the breaker's width ended that much past the margin.
            let rest_w = if rest.is_empty() {
                0.0
            } else {
                self.fonts.width(&rest_text, px, rest_kind.bold())
            };
            let drawn = Line {
                width: lead_w + rest_w,
                ..line.clone()
            };
            let justify_px = linebreak::justify(&chars, &drawn, width - dx, px).unwrap_or(0.0);
            let mut segments = Vec::new();
            let mut rest_x = dx;
            let mut rest_justify = justify_px;
            if let (false, Some((level, _))) = (in_lead.is_empty(), lead) {
                let text: String = chars[in_lead.clone()].iter().collect();
                let kind = LineKind::Lead { level };
                segments.push(BodyLine::text(text, dx, justify_px, kind));
                // The rest at a whole pixel too, never right of where the line puts it; on a
                // justified line its own stretch then takes it to the margin exactly.
                rest_x = (dx + lead_w + justify_px * gaps).floor();
                let points = linebreak::stretch_points(&chars[rest.clone()]).len() as f32;
                if justify_px > 0.0 && points > 0.0 {
                    rest_justify = (width - rest_x - rest_w) / points;
                }
            }
            if !rest.is_empty() {
                segments.push(BodyLine::text(rest_text, rest_x, rest_justify, rest_kind));
            }
            let gap = if i == 0 { gap } else { 0.0 };
            self.items.push(Item::segments(segments, self.line_px, gap));
        }
    }

    /// A heading's lines without a last line of one character (…安全责 / 任): broken between
    /// words and narrowed an em at a time until its last line has two, in as many lines.
    fn no_lonely_character(
        &mut self,
        chars: &[char],
        lines: Vec<Line>,
        bold: bool,
        (x, hang): (f32, f32),
    ) -> Vec<Line> {
        let lonely = |lines: &[Line]| {
            lines.len() >= 2
                && lines.last().is_some_and(|l| {
                    chars[l.range.clone()]
                        .iter()
                        .filter(|c| c.is_alphanumeric())
                        .count()
                        <= 1
                })
        };
        if !lonely(&lines) {
            return lines;
        }
        let text: String = chars.iter().collect();
        let advances = self.fonts.advances(&text, self.px, bold);
        let atoms = title_atoms(chars, self.names);
        let full = self.width - hang;
        for k in 0..chars.len() {
            let w = full - k as f32 * self.px;
            if w < 4.0 * self.px {
                break;
            }
            let tried = linebreak::fill_atoms(chars, &atoms, &advances, w, x - hang);
            if tried.len() > lines.len() {
                break;
            }
            if !lonely(&tried) {
                return tried;
            }
        }
        lines
    }
}
