//! A table of the body (`model::table`) set for the column it is given: in columns sized by
//! their content when they fit, one card per row (姓名：张三) when they do not.
//!
//! Columns are sized the way a browser sizes an automatic table: each has a natural width (its
//! widest cell on one line) and a narrowest one (four characters, or less when all its cells
//! are shorter); when the natural widths fit they are widened in proportion to fill the column,
//! else every column gets its narrowest width plus a share of what is left in proportion to how
//! much it wanted. A cell's text wraps inside its cell between words, a number column is set
//! flush right, and a row is one item for packing: it is never split over two pages.

use super::{BodyLine, Cell, Item, LineKind, Shade, ShadeKind};
use crate::layout::fonts::Fonts;
use crate::layout::measure::printable;
use crate::layout::words::fill_words;
use crate::model::table::Table;

/// The narrowest a column is made, in characters of the body's size, unless every cell of it
/// is shorter: 云南大学 stays on one line.
const MIN_COLUMN_CHARS: f32 = 4.0;

/// Room left and right of a cell's text, and above and below a row's, in parts of the type.
const PAD_X: f32 = 0.4;
const PAD_Y: f32 = 0.15;

/// The items of table number `index` (from 0), the first `gap` below what precedes it, pushed
/// onto `items`; its header row, if it is set in columns, pushed onto `headers` too.
pub(super) fn items(
    fonts: &mut Fonts,
    table: &Table,
    (index, px, line_px, width, gap): (usize, f32, f32, f32, f32),
    items: &mut Vec<Item>,
    headers: &mut Vec<Item>,
) {
    let header: Vec<String> = table.header.iter().map(|c| printable(fonts, c)).collect();
    let rows: Vec<Vec<String>> = table
        .rows
        .iter()
        .map(|r| r.iter().map(|c| printable(fonts, c)).collect())
        .collect();
    let set = Set {
        index,
        px,
        line_px,
        pad_x: (px * PAD_X).round(),
        pad_y: (line_px * PAD_Y).round(),
    };
    match column_widths(fonts, &set, &header, &rows, width) {
        Some(widths) => {
            let right: Vec<bool> = (0..header.len()).map(|c| table.is_numeric(c)).collect();
            let columns = Columns {
                widths: &widths,
                right: &right,
            };
            let mut head = set.row(fonts, &columns, &header, 0);
            head.gap = gap;
            head.keep_with_next = true;
            headers.push(Item {
                gap: 0.0,
                ..head.clone()
            });
            let h = headers.len() - 1;
            items.push(head);
            for (r, row) in rows.iter().enumerate() {
                let mut item = set.row(fonts, &columns, row, r + 1);
                item.header = Some(h);
                items.push(item);
            }
        }
        None => {
            let card_gap = (line_px * 0.3).round();
            let mut first = true;
            for (r, row) in rows.iter().enumerate() {
                if let Some(mut card) = set.card(fonts, &header, row, r + 1, width) {
                    card.gap = if first { gap } else { card_gap };
                    first = false;
                    items.push(card);
                }
            }
        }
    }
}

/// How the table is set: which table it is, the type, the room around text.
struct Set {
    index: usize,
    px: f32,
    line_px: f32,
    pad_x: f32,
    pad_y: f32,
}

/// The columns' widths and which are flush right.
struct Columns<'a> {
    widths: &'a [f32],
    right: &'a [bool],
}

/// The width of each column, or `None` when even the narrowest do not fit in `width`.
fn column_widths(
    fonts: &mut Fonts,
    set: &Set,
    header: &[String],
    rows: &[Vec<String>],
    width: f32,
) -> Option<Vec<f32>> {
    let pads = 2.0 * set.pad_x;
    let natural: Vec<f32> = (0..header.len())
        .map(|c| {
            let mut widest = fonts.width(&header[c], set.px, true);
            for row in rows {
                widest = widest.max(fonts.width(&row[c], set.px, false));
            }
            widest.ceil() + pads
        })
        .collect();
    let least: Vec<f32> = natural
        .iter()
        .map(|n| n.min(MIN_COLUMN_CHARS * set.px + pads))
        .collect();
    let (sum_natural, sum_least): (f32, f32) = (natural.iter().sum(), least.iter().sum());
    if sum_least > width {
        return None;
    }
    let widths = if sum_natural <= width {
        let scale = width / sum_natural.max(1.0);
        natural.iter().map(|n| (n * scale).floor()).collect()
    } else {
        let wanted = (sum_natural - sum_least).max(1.0);
        let spare = width - sum_least;
        natural
            .iter()
            .zip(&least)
            .map(|(n, l)| (l + spare * (n - l) / wanted).floor())
            .collect()
    };
    Some(widths)
}

impl Set {
    /// Row `row` (0 the header) in columns: each cell's lines inside its column, the row as
    /// tall as its tallest cell.
    fn row(&self, fonts: &mut Fonts, columns: &Columns, cells: &[String], row: usize) -> Item {
        let bold = row == 0;
        let kind = if bold {
            LineKind::TableHeader
        } else {
            LineKind::TableCell
        };
        let mut lines = Vec::new();
        let mut x = 0.0;
        let mut tallest = 1;
        for (col, text) in cells.iter().enumerate() {
            let inner = columns.widths[col] - 2.0 * self.pad_x;
            let broken = self.wrap(fonts, text, bold, inner, 0.0);
            tallest = tallest.max(broken.len());
            for (i, piece) in broken.into_iter().enumerate() {
                let shift = if columns.right[col] {
                    (inner - fonts.width(&piece, self.px, bold)).max(0.0)
                } else {
                    0.0
                };
                lines.push(BodyLine {
                    text: piece,
                    dx: (x + self.pad_x + shift).round(),
                    dy: self.pad_y + i as f32 * self.line_px,
                    justify_px: 0.0,
                    kind,
                    cell: Some(self.cell(row, col)),
                });
            }
            x += columns.widths[col];
        }
        let height = tallest as f32 * self.line_px + 2.0 * self.pad_y;
        // The header on its band; every other row shaded, the eye keeps to its row.
        let shade = match row {
            0 => Some(ShadeKind::Header),
            r if r % 2 == 0 => Some(ShadeKind::Stripe),
            _ => None,
        };
        let shades = shade
            .map(|kind| Shade {
                dx: 0.0,
                dy: 0.0,
                w: x,
                h: height,
                kind,
            })
            .into_iter()
            .collect();
        Item {
            lines,
            shades,
            height,
            gap: 0.0,
            keep_with_next: false,
            header: None,
        }
    }

    /// Row `row` as a card: 表头：值 for each cell with text, side by side while they fit (姓名：
    /// 张三　性别：男), a pair too long for a line on lines of its own, its further lines under
    /// its value. `None` for a row without any text.
    fn card(
        &self,
        fonts: &mut Fonts,
        header: &[String],
        cells: &[String],
        row: usize,
        width: f32,
    ) -> Option<Item> {
        let inner = width - 2.0 * self.pad_x;
        let space = 1.5 * self.px;
        let mut lines = Vec::new();
        // Where the next pair goes: the line (from 0) and x on it; None at a line's start.
        let (mut line, mut x): (usize, Option<f32>) = (0, None);
        for (col, (name, value)) in header.iter().zip(cells).enumerate() {
            if value.is_empty() {
                continue;
            }
            let label = if name.is_empty() {
                String::new()
            } else {
                format!("{name}：")
            };
            let text = format!("{label}{value}");
            let w = fonts.width(&text, self.px, false);
            let at = |line: usize| self.pad_y + line as f32 * self.line_px;
            match x {
                Some(end) if end + space + w <= inner => {
                    lines.push(self.card_line(text, end + space, at(line), (row, col)));
                    x = Some(end + space + w);
                    continue;
                }
                Some(_) => line += 1,
                None => {}
            }
            if w <= inner {
                lines.push(self.card_line(text, 0.0, at(line), (row, col)));
                x = Some(w);
                continue;
            }
            // The value's further lines hang under its first, unless the label is long.
            let hang = fonts.width(&label, self.px, false).min(inner / 3.0);
            let broken = self.wrap(fonts, &text, false, inner - hang, -hang);
            let n = broken.len();
            for (i, piece) in broken.into_iter().enumerate() {
                let dx = if i == 0 { 0.0 } else { hang };
                lines.push(self.card_line(piece, dx, at(line + i), (row, col)));
            }
            line += n;
            x = None;
        }
        if lines.is_empty() {
            return None;
        }
        let count = line + usize::from(x.is_some());
        let height = count as f32 * self.line_px + 2.0 * self.pad_y;
        Some(Item {
            lines,
            shades: vec![Shade {
                dx: 0.0,
                dy: 0.0,
                w: width,
                h: height,
                kind: ShadeKind::Card,
            }],
            height,
            gap: 0.0,
            keep_with_next: false,
            header: None,
        })
    }

    fn card_line(&self, text: String, dx: f32, dy: f32, (row, col): (usize, usize)) -> BodyLine {
        BodyLine {
            text,
            dx: (self.pad_x + dx).round(),
            dy,
            justify_px: 0.0,
            kind: LineKind::TableCell,
            cell: Some(self.cell(row, col)),
        }
    }

    fn cell(&self, row: usize, col: usize) -> Cell {
        Cell {
            table: self.index,
            row,
            col,
        }
    }

    /// `text` in lines of `width` between words (`first_indent` for the first line, negative
    /// to give it more room).
    fn wrap(
        &self,
        fonts: &mut Fonts,
        text: &str,
        bold: bool,
        width: f32,
        first_indent: f32,
    ) -> Vec<String> {
        if text.is_empty() {
            return Vec::new();
        }
        let chars: Vec<char> = text.chars().collect();
        let advances = fonts.advances(text, self.px, bold);
        fill_words(&chars, &advances, &[], width, first_indent)
            .into_iter()
            .map(|l| chars[l.range].iter().collect())
            .collect()
    }
}
