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
//! - lines after a forced break (`\n`) inside a list item aligned under the item's text;
//! - tables (tab-separated lines, `model::table`) in columns sized by their content, numbers
//!   flush right, the header on every page, a row never split, alternate rows shaded; a table
//!   too wide for the column becomes one card per row (`table`).
//!
//! In two phases, as typst lays out a flow: `collect` sets every line and marks what may not be
//! parted from what; `distribute` cuts the lines into pages. Pure apart from measuring text with
//! the bundled fonts.

mod collect;
mod distribute;
mod table;

use super::fonts::Fonts;
pub use super::frame::Cell;

pub use collect::{heading_level, is_addressee, is_date};
pub use distribute::Heights;

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
    /// A line of a table's header row.
    TableHeader,
    /// A line of a table's cell, or of a row set as a card.
    TableCell,
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
        Item {
            lines: vec![line],
            shades: Vec::new(),
            height: line_px,
            gap,
            keep_with_next: false,
            header: None,
        }
    }
}

/// Breaks a notice's body into lines of `width` pixels at `px` and packs them into pages
/// `heights` pixels tall (the first page's, the following pages', the last's): paragraphs (blank lines) with a gap and a two-character first-line
/// indent, single newlines as forced breaks, the conventions above.
pub(super) fn pack_body(
    fonts: &mut Fonts,
    body: &str,
    px: f32,
    line_px: f32,
    width: f32,
    heights: Heights,
) -> Vec<BodyPage> {
    let (items, headers) = collect::collect(fonts, body, px, line_px, width);
    distribute::pack(items, &headers, line_px, heights)
}
