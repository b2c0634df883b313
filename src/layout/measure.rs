//! Measuring with the bundled fonts, the one context every layout phase shares: what the fonts
//! can draw, where a paragraph breaks, which of several wordings fits.
//!
//! Free functions over `&mut Fonts` rather than methods of a handle: a phase borrows the fonts
//! for as long as it measures, and holds no other state that a later phase could inherit.

use super::fonts::Fonts;
use super::linebreak::{self, Line};

/// Drawn in place of a character that no bundled font has: the geta mark, the typesetter's
/// traditional sign for a missing character, rather than an invisible box.
pub const MISSING: char = '〓';

/// The face a line is drawn in. Single-colour LED modules are the only screens that use the
/// bitmap face, so the LED template passes it to the lines it draws; it is never a mode that
/// outlives the frame it was meant for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Face {
    /// Noto Sans SC, as everywhere else.
    Outline,
    /// The bundled bitmap face of the line's size, where there is one (`Fonts::bitmap_family`).
    Bitmap,
}

impl Face {
    pub fn is_bitmap(self) -> bool {
        self == Face::Bitmap
    }
}

/// `text` with every character the fonts lack replaced by `MISSING`.
pub(super) fn printable(fonts: &mut Fonts, text: &str) -> String {
    text.chars()
        .map(|c| if fonts.covers(c) { c } else { MISSING })
        .collect()
}

/// Breaks `text` (one paragraph) into lines of at most `width` pixels.
pub(super) fn break_lines(
    fonts: &mut Fonts,
    text: &str,
    px: f32,
    bold: bool,
    width: f32,
    indent: f32,
) -> (Vec<char>, Vec<Line>) {
    let chars: Vec<char> = text.chars().collect();
    let advances = fonts.advances(text, px, bold);
    // Measured with punctuation compressed, as drawn.
    let lines = linebreak::fill(&chars, &advances, width, indent);
    (chars, lines)
}

/// Lines of about equal length, as few as at full width: a centred title should not end
/// with one lonely character on its last line.
///
/// Lines break only between words (`words::title_atoms`); `names` (the issuer, the place)
/// are words too.
pub(super) fn balanced_lines(
    fonts: &mut Fonts,
    text: &str,
    names: &[&str],
    px: f32,
    bold: bool,
    width: f32,
) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let advances = fonts.advances(text, px, bold);
    let first = super::words::fill_words(&chars, &advances, names, width, 0.0);
    if first.len() <= 1 {
        return first
            .into_iter()
            .map(|l| chars[l.range].iter().collect())
            .collect();
    }
    let atoms = super::words::title_atoms(&chars, names);
    let fill = |w: f32| linebreak::fill_atoms(&chars, &atoms, &advances, w, 0.0);
    let count = |w: f32| fill(w).len();
    let n = first.len();
    let (mut lo, mut hi) = (width / n as f32, width);
    if n > 1 {
        for _ in 0..16 {
            let mid = (lo + hi) / 2.0;
            if count(mid) > n { lo = mid } else { hi = mid }
        }
    }
    fill(hi)
        .into_iter()
        .map(|l| chars[l.range].iter().collect())
        .collect()
}

/// The first of `candidates` that fits in `width`, else the last one.
pub(super) fn first_fitting(
    fonts: &mut Fonts,
    candidates: &[String],
    px: f32,
    bold: bool,
    width: f32,
) -> String {
    for c in candidates {
        if fonts.width(c, px, bold) <= width {
            return c.clone();
        }
    }
    candidates.last().cloned().unwrap_or_default()
}
