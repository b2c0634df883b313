//! Chinese line breaking (W3C clreq, basic level), as a pure function of characters and widths.
//!
//! cosmic-text wraps by UAX #14, which lets a line start with `·` or end with an opening quote in
//! some contexts and knows nothing of clreq's rules for `——` and `……`. We break lines ourselves:
//! the paragraph is cut into unbreakable *atoms* (`atoms.rs`: one hanzi; one Latin word or
//! number; a run of dashes or ellipses; punctuation that may not start a line glued to the atom
//! before it and punctuation that may not end a line to the atom after it; numbers with their
//! units, names, short labels with their values), then atoms fill lines greedily, and a last
//! line of one character takes one more from the line above. The widths come from shaping the
//! whole paragraph once (see `Fonts::advances`).

use std::ops::Range;

mod atoms;

pub use atoms::{atoms, heading_atoms, is_name_dot};

use atoms::Rank;

/// May not start a line: closing brackets and quotes, pause and stop marks, `…`, `·` (and the
/// marks typed in its place), dashes (`——` and a range's `—`, clreq's 破折号 and 连接号).
pub fn no_line_start(c: char) -> bool {
    matches!(
        c,
        '、' | '，'
            | '。'
            | '．'
            | '；'
            | '：'
            | '！'
            | '？'
            | '）'
            | '》'
            | '」'
            | '』'
            | '】'
            | '〕'
            | '〉'
            | '〗'
            | '〙'
            | '〛'
            | '］'
            | '｝'
            | '＞'
            | '’'
            | '”'
            | '…'
            | '‥'
            | '·'
            | '・'
            | '･'
            | '•'
            | '‧'
            | '—'
            | '–'
            | '～'
            | '〜'
            | '％'
            | '‰'
            | ','
            | '.'
            | ';'
            | ':'
            | '!'
            | '?'
            | ')'
            | ']'
            | '}'
    )
}

/// May not end a line: opening brackets and quotes.
pub fn no_line_end(c: char) -> bool {
    matches!(
        c,
        '（' | '《'
            | '「'
            | '『'
            | '【'
            | '〔'
            | '〈'
            | '〖'
            | '〘'
            | '〚'
            | '［'
            | '｛'
            | '＜'
            | '‘'
            | '“'
            | '('
            | '['
            | '{'
    )
}

/// Hanzi, kana, hangul, CJK symbols and full-width forms: each is an atom of its own, and a line
/// may break on either side of it (subject to the punctuation rules).
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x2FDF       // radicals
        | 0x3000..=0x303F     // CJK symbols and punctuation
        | 0x3040..=0x30FF     // kana
        | 0x3100..=0x312F     // bopomofo
        | 0x3190..=0x31FF
        | 0x3200..=0x33FF     // enclosed, compatibility
        | 0x3400..=0x4DBF     // extension A
        | 0x4E00..=0x9FFF     // unified ideographs
        | 0xAC00..=0xD7AF     // hangul
        | 0xF900..=0xFAFF     // compatibility ideographs
        | 0xFE30..=0xFE4F     // compatibility forms
        | 0xFF00..=0xFFEF     // full-width forms
        | 0x20000..=0x3FFFF   // extensions B and later
    )
}

fn is_space(c: char) -> bool {
    c == ' ' || c == '\t' || c == '\u{3000}'
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Space,
    Cjk,
    /// Latin letters, digits and the other characters that stick together into words.
    Word,
}

fn class(c: char) -> Class {
    if is_space(c) {
        Class::Space
    } else if ('０'..='９').contains(&c) {
        Class::Word // full-width digits make a number like ASCII ones
    } else if is_cjk(c) {
        Class::Cjk
    } else {
        Class::Word
    }
}

/// Whether the atom is only spaces (dropped at the start and end of lines).
fn all_space(chars: &[char], r: &Range<usize>) -> bool {
    chars[r.clone()].iter().all(|&c| is_space(c))
}

/// A line of a paragraph: a char range (without leading or trailing spaces) and its width.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub range: Range<usize>,
    pub width: f32,
    /// The paragraph's last line, which is never justified.
    pub last: bool,
}

/// Breaks one paragraph into lines no wider than `max_width`. `advances[i]` is the width of
/// `chars[i]`; the first line starts `first_indent` in. An atom wider than a whole line (a long
/// URL on a small LED) is the one case where a line breaks inside an atom.
pub fn fill(chars: &[char], advances: &[f32], max_width: f32, first_indent: f32) -> Vec<Line> {
    fill_atoms(chars, &atoms(chars), advances, max_width, first_indent)
}

/// [`fill`] over given atoms (ranges that tile the paragraph): a title's words, say.
pub fn fill_atoms(
    chars: &[char],
    atoms: &[Range<usize>],
    advances: &[f32],
    max_width: f32,
    first_indent: f32,
) -> Vec<Line> {
    debug_assert_eq!(chars.len(), advances.len());
    let w = |r: &Range<usize>| -> f32 { advances[r.clone()].iter().sum() };
    let trim = |s: usize, e: usize| trimmed(chars, advances, s..e);
    let mut lines: Vec<Line> = Vec::new();
    let mut start: Option<usize> = None; // first char of the current line
    let mut end = 0; // end of the last non-space atom on the current line
    let mut width = 0.0f32; // width up to `end`
    let mut pending = 0.0f32; // spaces after `end`, counted only if more text follows
    let mut soft: Option<Vec<Rank>> = None; // where an atom wider than a line breaks
    let avail = |lines: &Vec<Line>| {
        if lines.is_empty() {
            max_width - first_indent
        } else {
            max_width
        }
    };

    for atom in atoms.iter().cloned() {
        if all_space(chars, &atom) {
            if start.is_some() {
                pending += w(&atom);
            }
            continue;
        }
        let aw = w(&atom);
        let allowed =
            |i: usize| i > atom.start && !no_line_start(chars[i]) && !no_line_end(chars[i - 1]);
        // An atom wider than any line is broken anyway: when its first piece (to where the
        // rules bound it: an address's first label) fits on this line, it starts here, rather
        // than leave this line short and the piece alone on the next.
        let starts_here = |start: usize, width: f32, soft: &mut Option<Vec<Rank>>| {
            if aw - trim(atom.start, atom.end) <= max_width {
                return false;
            }
            let soft = soft.get_or_insert_with(|| atoms::soft_breaks(chars));
            (atom.start + 1..atom.end)
                .find(|&j| allowed(j) && soft[j] >= Rank::Weak && !is_space(chars[j]))
                .is_some_and(|j| {
                    width + pending + w(&(atom.start..j)) - trim(start, j) <= avail(&lines)
                })
        };
        if let Some(s) = start
            && width + pending + aw - trim(s, atom.end) > avail(&lines)
            && !starts_here(s, width, &mut soft)
        {
            // An address that would break after its `-` breaks after an earlier `.` or `/` on
            // the line instead, when the rest still fits a line: a break after `-` reads like
            // hyphenation.
            let cut = address_break(chars, atoms, s, end)
                .filter(|&c| w(&(c..atom.end)) - trim(c, atom.end) <= max_width)
                .unwrap_or(end);
            lines.push(Line {
                range: s..cut,
                width: w(&(s..cut)) - trim(s, cut),
                last: false,
            });
            start = None;
            if cut < end {
                start = Some(cut);
                width = w(&(cut..end));
                pending = 0.0;
            }
        }
        if start.is_none() {
            start = Some(atom.start);
            width = 0.0;
            pending = 0.0;
        }
        if width + pending + aw - trim(start.unwrap_or(atom.start), atom.end) <= avail(&lines) {
            width += pending + aw;
            end = atom.end;
            pending = 0.0;
            continue;
        }
        width += pending;
        pending = 0.0;
        // Alone on its line and still too wide: break it where the rules that bound it would
        // have broken it (a label from its value, between the hanzi of a name, after an
        // address's `/`), else between characters.
        let soft = soft.get_or_insert_with(|| atoms::soft_breaks(chars));
        let mut i = atom.start;
        while i < atom.end {
            let cw = advances[i];
            // A space may hang past the margin: the break after it is taken at the next mark.
            if width > 0.0 && !is_space(chars[i]) && width + cw > avail(&lines) {
                // The best-ranked break that fits, the latest of its rank (an address after a
                // `.` rather than its `-`). Even here, punctuation keeps its rules: a mark that
                // may not start a line takes the character before it along (推入), so nothing
                // hangs past the margin.
                let line_start = start.unwrap_or(atom.start);
                let from = line_start.max(atom.start) + 1;
                let at = (from..=i)
                    .filter(|&j| allowed(j) && soft[j] > Rank::None && !is_space(chars[j]))
                    .max_by_key(|&j| (soft[j], j))
                    .or_else(|| (from..=i).rev().find(|&j| allowed(j)));
                if let Some(j) = at {
                    let carried: f32 = advances[j..i].iter().sum();
                    // Spaces before the break stay off the line's end.
                    let e = (line_start..j)
                        .rev()
                        .find(|&k| !is_space(chars[k]))
                        .map_or(j, |k| k + 1);
                    let spaces: f32 = advances[e..j].iter().sum();
                    lines.push(Line {
                        range: line_start..e,
                        width: width - carried - spaces - trim(line_start, e),
                        last: false,
                    });
                    start = Some(j);
                    width = carried;
                }
            }
            width += cw;
            i += 1;
        }
        end = atom.end;
    }
    if let Some(s) = start {
        lines.push(Line {
            range: s..end,
            width: width - trim(s, end),
            last: true,
        });
    }
    take_widow(chars, atoms, advances, max_width, &mut lines);
    lines
}

/// Where a line `start..end` that ends after an address's `-` (`…/notice-` / `0153.html`)
/// breaks instead: after the latest `/` or `.` of the same address on the line, if any.
/// Inside a run of word characters, only an address has breaks between `atoms`.
fn address_break(
    chars: &[char],
    atoms: &[Range<usize>],
    start: usize,
    end: usize,
) -> Option<usize> {
    let word = |i: usize| class(chars[i]) == Class::Word;
    let inside = end < chars.len() && word(end) && word(end - 1);
    if !inside || chars[end - 1] != '-' {
        return None;
    }
    (start + 1..end - 1)
        .rev()
        .take_while(|&i| word(i))
        .find(|&i| {
            matches!(chars[i - 1], '/' | '.')
                && word(i - 1)
                && atoms.binary_search_by_key(&i, |a| a.start).is_ok()
        })
}

/// What punctuation compression takes from `chars[range]` set as one line: lines are measured
/// compressed, so a pair like 》（ or a comma at the line's end (set on its ink) makes room.
fn trimmed(chars: &[char], advances: &[f32], range: Range<usize>) -> f32 {
    let e = range.end;
    range
        .filter(|&i| half_at(chars[i], (i + 1 < e).then(|| chars[i + 1])))
        .map(|i| advances[i] * 0.5)
        .sum()
}

/// A paragraph's last line of one character (`…安全责` / `任`, or `任。`) reads as a mistake:
/// the line above gives it its last atom, when it has another to keep and the two still fit.
/// The line above is then set a little looser (or ragged, past what `justify` allows).
fn take_widow(
    chars: &[char],
    atoms: &[Range<usize>],
    advances: &[f32],
    max_width: f32,
    lines: &mut [Line],
) {
    let [.., above, last] = lines else { return };
    let letters = chars[last.range.clone()]
        .iter()
        .filter(|&&c| atoms::is_han(c) || c.is_alphanumeric())
        .count();
    if letters != 1 {
        return;
    }
    // The last atom on the line above, whole (not a piece of an atom broken for being wider
    // than a line), and not the only one there.
    let Some(given) = atoms
        .iter()
        .find(|a| a.end == above.range.end && a.start > above.range.start)
    else {
        return;
    };
    let keep_end = (above.range.start..given.start)
        .rev()
        .find(|&i| !is_space(chars[i]))
        .map_or(above.range.start, |i| i + 1);
    if keep_end == above.range.start {
        return;
    }
    let width =
        |r: Range<usize>| advances[r.clone()].iter().sum::<f32>() - trimmed(chars, advances, r);
    let new_last = given.start..last.range.end;
    let new_width = width(new_last.clone());
    if new_width > max_width {
        return;
    }
    above.range.end = keep_end;
    above.width = width(above.range.clone());
    last.range = new_last;
    last.width = new_width;
}

/// Where extra space goes when a line is justified: after character `i` when the gap between it
/// and the next character borders a hanzi or a space (never inside a Latin word or number, never
/// inside `——` or `……`).
pub fn stretch_points(line: &[char]) -> Vec<usize> {
    (0..line.len().saturating_sub(1))
        .filter(|&i| {
            let (a, b) = (class(line[i]), class(line[i + 1]));
            a != Class::Word || b != Class::Word
        })
        .collect()
}

/// Full-width punctuation whose ink sits in its left half (the right half is blank): the closing
/// marks, and in the mainland style the full stop, comma and enumeration comma.
fn ink_left(c: char) -> bool {
    matches!(
        c,
        '，' | '。' | '、' | '”' | '’' | '）' | '》' | '〉' | '」' | '』' | '】' | '〕' | '〗'
    )
}

/// Full-width punctuation whose ink sits in its right half: the opening marks.
fn ink_right(c: char) -> bool {
    matches!(
        c,
        '“' | '‘' | '（' | '《' | '〈' | '「' | '『' | '【' | '〔' | '〖'
    )
}

fn is_fullwidth_punct(c: char) -> bool {
    ink_left(c) || ink_right(c) || matches!(c, '；' | '：' | '！' | '？' | '·' | '・')
}

/// Punctuation compression (clreq 3.1.6, GB/T 15834): in a pair of adjacent full-width marks one
/// blank half-em goes, so 。” or ：“ do not open a full em of white; and a line that ends in a
/// closing mark or 。，、 ends on its ink, the blank right half hanging in the margin. `true` at
/// `i` when `line[i]` is set half an em narrower: when its own right half is blank and a mark
/// follows or the line ends, or when the next mark opens (the next mark then moves into its
/// place). Lines are measured this way when they are broken (`fill`), and drawn this way.
pub fn compressed(line: &[char]) -> Vec<bool> {
    (0..line.len())
        .map(|i| half_at(line[i], line.get(i + 1).copied()))
        .collect()
}

/// Whether `c`, followed on its line by `next` (or ending it), is set half-width.
fn half_at(c: char, next: Option<char>) -> bool {
    match next {
        Some(b) => is_fullwidth_punct(c) && is_fullwidth_punct(b) && (ink_left(c) || ink_right(b)),
        None => ink_left(c),
    }
}

/// The most justification adds between two characters, in ems.
pub const MAX_STRETCH: f32 = 0.15;

/// Extra space per stretch point, in pixels, to make a line `target` wide; `None` when the line
/// should stay ragged (the last line of a paragraph, or a gap so wide it would look broken).
pub fn justify(chars: &[char], line: &Line, target: f32, px: f32) -> Option<f32> {
    if line.last {
        return None;
    }
    let points = stretch_points(&chars[line.range.clone()]).len();
    let extra = target - line.width;
    if points == 0 || extra <= 0.01 {
        return None;
    }
    let per = extra / points as f32;
    // More than a sixth of an em or so between characters reads as a gap, not as
    // justification: such a line (before a long phone number or address that moved down
    // whole) is better left ragged than stretched.
    (per <= px * MAX_STRETCH).then_some(per)
}

#[cfg(test)]
mod compression_tests;

#[cfg(test)]
mod tests;
