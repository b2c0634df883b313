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
//! - lines after a forced break (`\n`) inside a list item aligned under the item's text.
//!
//! In two phases, as typst lays out a flow: `collect` sets every line and marks what may not be
//! parted from what; `distribute` cuts the lines into pages. Pure apart from measuring text with
//! the bundled fonts.

mod collect;
mod distribute;

use super::fonts::Fonts;

pub use collect::{heading_level, is_addressee, is_date};

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
}

/// One laid-out line of body text, relative to the top-left of the body area.
#[derive(Debug, Clone, PartialEq)]
pub struct BodyLine {
    pub text: String,
    pub dx: f32,
    pub dy: f32,
    pub justify_px: f32,
    pub kind: LineKind,
}

/// One line before packing: what to draw and what may not be parted from what.
struct Item {
    line: BodyLine,
    /// Space above it, unless it opens a page.
    gap: f32,
    /// It may not end a page (a heading, a paragraph's first line, the line before a widow or
    /// before the signature).
    keep_with_next: bool,
}

/// Breaks a notice's body into lines of `width` pixels at `px` and packs them into pages
/// `height` pixels tall: paragraphs (blank lines) with a gap and a two-character first-line
/// indent, single newlines as forced breaks, the conventions above.
pub(super) fn pack_body(
    fonts: &mut Fonts,
    body: &str,
    px: f32,
    line_px: f32,
    width: f32,
    height: f32,
) -> Vec<Vec<BodyLine>> {
    let items = collect::collect(fonts, body, px, line_px, width);
    distribute::pack(items, line_px, height)
}
