//! The body of a notice set as a printed government notice is (GB/T 9704, clreq), then packed
//! into pages:
//!
//! - the 主送机关 line (a short first paragraph ending in ：) flush left;
//! - numbered paragraphs (`一、` `（一）` `1.` `（1）`) classified with their siblings
//!   (`headings`): title-like ones are heading lines (`一、` and `（一）` bold), and where a level
//!   holds sentences each sentence opens with a bold lead-in up to its first ：or 。 (or, where
//!   one sibling opens with a long clause, each only its number); a heading kept with the line
//!   after it and never wrapped to leave one character alone;
//! - the 落款 (`closing`: the issuers, one line each, and the date, in the forms offices type
//!   them) as GB/T 9704 §7.3.5.1 sets it: the date four characters in from the right, the issuers
//!   centred over it; kept with the end of the text, so a page never holds only the signature;
//! - the 附件 list: items under the first item, past 附件：, each wrapped under its own text and
//!   broken between words;
//! - lines after forced breaks that each open with a label (石桥村：…) at the paragraph's indent,
//!   their values in one column;
//! - the title of a document an 印发 or 转发 notice carries, centred and bold;
//! - a paragraph's first line never alone at the bottom of a page, its last line never alone at
//!   the top (no orphans, no widows), where the page has room to give; a line ending in a label
//!   (联系电话：) never ends a page;
//! - lines after a forced break (`\n`) inside a list item aligned under the item's text, and
//!   the full-width spaces typed before such a line to align it kept;
//! - tables (tab-separated lines, `model::table`) in columns sized by their content, numbers
//!   flush right, the header on every page, a row never split, alternate rows shaded; a table
//!   too wide for the column becomes one card per row (`table`).
//!
//! In two phases, as typst lays out a flow: `collect` sets every line of the parts `recognise`
//! found and marks what may not be parted from what; `distribute` cuts the lines into pages.
//! Pure apart from measuring text with the bundled fonts.

mod closing;
mod collect;
mod distribute;
mod headings;
mod recognise;
mod table;
#[cfg(test)]
mod tests;

use super::fonts::Fonts;
pub use super::frame::Cell;

pub use closing::is_date;
pub use distribute::Heights;
pub use headings::heading_level;
/// What each paragraph is, for the LED summary too (`layout::summary`).
pub(in crate::layout) use headings::numbering;
pub use recognise::is_addressee;
pub(in crate::layout) use recognise::{Look, Part, parts};

/// What a body line is, for its look and for `--lines-json`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    Text,
    /// 主送机关: to whom the notice is addressed.
    Addressee,
    /// A heading line; `level` 1 is `一、`, 2 `（一）`, 3 `1.`, 4 `（1）`.
    Heading {
        level: u8,
    },
    /// The bold lead-in of a numbered sentence of `level` (一、认证对象：), the rest of its line
    /// a `Text` line beside it.
    Lead {
        level: u8,
    },
    /// The title of a document an 印发 or 转发 notice carries, centred.
    DocumentTitle,
    /// 落款: the issuer and the date at the end.
    Signature,
    /// A line of a table's header row.
    TableHeader,
    /// A line of a table's cell, or of a row set as a card.
    TableCell,
}

impl LineKind {
    /// Whether it is set bold: the headings of the two upper levels (GB/T 9704 sets them in 黑体
    /// and 楷体, faces apart from the body's 仿宋; the bundled family has two weights, so both
    /// take the bold one), lead-ins, an embedded document's title and a table's header. The
    /// lower levels are set in the body's weight, as GB/T 9704 sets them in 仿宋.
    pub fn bold(self) -> bool {
        match self {
            LineKind::Heading { level } => level <= 2,
            LineKind::Lead { .. } | LineKind::DocumentTitle | LineKind::TableHeader => true,
            LineKind::Text | LineKind::Addressee | LineKind::Signature | LineKind::TableCell => {
                false
            }
        }
    }
}

/// One laid-out line of body text, relative to the top-left of the body area.
#[derive(Debug, Clone, PartialEq)]
pub struct BodyLine {
    pub text: String,
    pub dx: f32,
    pub dy: f32,
    pub justify_px: f32,
    pub kind: LineKind,
    /// The table cell it is in, if any.
    pub cell: Option<Cell>,
}

impl BodyLine {
    fn text(text: String, dx: f32, justify_px: f32, kind: LineKind) -> BodyLine {
        BodyLine {
            text,
            dx,
            dy: 0.0,
            justify_px,
            kind,
            cell: None,
        }
    }
}

/// A shaded rectangle under body text, relative to the body's top-left: a table's header band,
/// every other row, a card.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Shade {
    pub dx: f32,
    pub dy: f32,
    pub w: f32,
    pub h: f32,
    pub kind: ShadeKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShadeKind {
    /// Under a table's header row.
    Header,
    /// Under every other row of a table: the eye keeps to its row across wide columns.
    Stripe,
    /// Under a row set as a card.
    Card,
}

/// One page of a body: its lines and what is shaded under them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BodyPage {
    pub lines: Vec<BodyLine>,
    pub shades: Vec<Shade>,
    /// A page that shows the notice's figure of this index instead of text (the touch reader's
    /// pages end with them).
    pub figure: Option<usize>,
}

/// What packing moves as one: a line of text, a table row (its cells' lines side by side), a
/// card. Lines and shades are relative to the item's top.
#[derive(Clone)]
struct Item {
    lines: Vec<BodyLine>,
    shades: Vec<Shade>,
    height: f32,
    /// Space above it, unless it opens a page.
    gap: f32,
    /// It may not end a page (a heading, a paragraph's first line, the line before a widow or
    /// before the signature, a table's header).
    keep_with_next: bool,
    /// A table row: the header row (an index into the headers) that opens a page this row
    /// opens.
    header: Option<usize>,
}

impl Item {
    /// One line of text, `line_px` tall.
    fn line(line: BodyLine, line_px: f32, gap: f32) -> Item {
        Item::segments(vec![line], line_px, gap)
    }

    /// One line of text set in pieces side by side (a bold lead-in and the rest).
    fn segments(lines: Vec<BodyLine>, line_px: f32, gap: f32) -> Item {
        Item {
            lines,
            shades: Vec::new(),
            height: line_px,
            gap,
            keep_with_next: false,
            header: None,
        }
    }
}

/// What a body is set from.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Source<'a> {
    /// The notice's body, as the feed has it.
    pub body: &'a str,
    /// The notice's issuer: its 落款 names it, whatever the name ends in.
    pub issuer: &'a str,
    /// Paragraphs set as plain text before and after the body (the touch reader's 防御指南 and
    /// 联系方式), outside its conventions: the 落款 is still found at the body's end.
    pub before: &'a [String],
    pub after: &'a [String],
}

/// Breaks a notice's body into lines of `width` pixels at `px` and packs them into pages
/// `heights` pixels tall (the first page's, the following pages', the last's): paragraphs
/// (blank lines) with a gap and a two-character first-line
/// indent, single newlines as forced breaks, the conventions above.
pub(super) fn pack_body(
    fonts: &mut Fonts,
    source: &Source,
    px: f32,
    line_px: f32,
    width: f32,
    heights: Heights,
) -> Vec<BodyPage> {
    let (items, headers) = collect::collect(fonts, source, px, line_px, width);
    distribute::pack(items, &headers, line_px, heights)
}
