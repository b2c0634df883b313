//! The second phase of the body: its lines cut into pages, moving the lines that may not end a
//! page on to the next one.

use super::{BodyPage, Item};

/// The body's height on each page: the first (under the whole title), those after it (under a
/// one-line running title), and the last (where a terminal shows the QR code again).
#[derive(Debug, Clone, Copy)]
pub struct Heights {
    pub first: f32,
    pub rest: f32,
    pub last: f32,
}

impl Heights {
    /// The same height on every page.
    pub fn all(height: f32) -> Heights {
        Heights {
            first: height,
            rest: height,
            last: height,
        }
    }

    fn least(&self) -> f32 {
        self.first.min(self.rest).min(self.last)
    }
}

/// Pages from items: a page ends where the next item does not fit; the items that may not end a
/// page go on to the next one with it, as long as the page keeps at least one of its own. A
/// page that opens on a table's row opens with the table's header row. Packed once with the
/// first and the following pages' heights; where what falls on the last page is taller than
/// the last page's room, packed again with that room from the last page on.
pub(super) fn pack(
    items: Vec<Item>,
    headers: &[Item],
    line_px: f32,
    heights: Heights,
) -> Vec<BodyPage> {
    let least = heights.least();
    // A header taller than half a page (a long 表头 in narrow columns) is not repeated: it
    // would leave no room for the rows it heads.
    let repeated = |item: &Item| item.header.filter(|&h| headers[h].height <= least / 2.0);
    let header_h = |item: &Item| repeated(item).map_or(0.0, |h| headers[h].height);
    let items = items
        .into_iter()
        .flat_map(|item| {
            let room = least - header_h(&item);
            split_tall(item, line_px, room)
        })
        .collect::<Vec<_>>();
    let room = |k: usize| if k == 0 { heights.first } else { heights.rest };
    let mut pages = pages_of(items.clone(), headers, &repeated, &room);
    let used = |page: &[(f32, Item)]| page.last().map_or(0.0, |(y, i)| y + i.height);
    let n = pages.len();
    if n > 1 && used(&pages[n - 1]) > heights.last {
        let room = |k: usize| match k {
            0 => heights.first,
            k if k + 1 < n => heights.rest,
            _ => heights.last,
        };
        pages = pages_of(items, headers, &repeated, &room);
    }
    pages
        .into_iter()
        .map(|page| {
            let mut out = BodyPage::default();
            for (top, item) in page {
                out.lines.extend(item.lines.into_iter().map(|mut l| {
                    l.dy += top;
                    l
                }));
                out.shades.extend(item.shades.into_iter().map(|mut s| {
                    s.dy += top;
                    s
                }));
            }
            out
        })
        .collect()
}

/// The greedy packing itself, page `k` holding `room(k)`: each item with its top on its page.
fn pages_of(
    items: Vec<Item>,
    headers: &[Item],
    repeated: &dyn Fn(&Item) -> Option<usize>,
    room: &dyn Fn(usize) -> f32,
) -> Vec<Vec<(f32, Item)>> {
    let header_h = |item: &Item| repeated(item).map_or(0.0, |h| headers[h].height);
    // The height of items opening a page: the first one's gap falls away, its header comes.
    let opening = |items: &[&Item]| -> f32 {
        let header = items.first().map_or(0.0, |i| header_h(i));
        header
            + items
                .iter()
                .enumerate()
                .map(|(k, i)| i.height + if k > 0 { i.gap } else { 0.0 })
                .sum::<f32>()
    };
    let mut pages: Vec<Vec<(f32, Item)>> = vec![Vec::new()];
    let mut y = 0.0f32;
    for item in items {
        let height = room(pages.len() - 1);
        let next_height = room(pages.len());
        let page = pages.last_mut().expect("one page at least");
        let gap = if page.is_empty() { 0.0 } else { item.gap };
        if y + gap + item.height <= height || page.is_empty() {
            y += gap;
            page.push((y, item));
            y += page.last().expect("just pushed").1.height;
            continue;
        }
        let mut carried: Vec<Item> = Vec::new();
        // Never carry so much that the next page overflows too.
        while page.len() > 1 && page.last().is_some_and(|(_, i)| i.keep_with_next) {
            let candidate = &page.last().expect("checked").1;
            let mut next: Vec<&Item> = vec![candidate];
            next.extend(carried.iter().rev());
            next.push(&item);
            if opening(&next) > next_height {
                break;
            }
            carried.push(page.pop().expect("checked").1);
        }
        carried.reverse();
        carried.push(item);
        if let Some(h) = repeated(&carried[0]) {
            carried.insert(0, headers[h].clone());
        }
        let mut page = Vec::new();
        y = 0.0;
        for (k, item) in carried.into_iter().enumerate() {
            if k > 0 {
                y += item.gap;
            }
            let h = item.height;
            page.push((y, item));
            y += h;
        }
        pages.push(page);
    }
    pages
}

/// An item taller than `room` (a table row of a very long cell, a card of many fields) cut into
/// pieces that fit, each with its own share of the shading: the one case where a row is split.
fn split_tall(item: Item, line_px: f32, room: f32) -> Vec<Item> {
    if item.height <= room || item.lines.len() < 2 {
        return vec![item];
    }
    let top = item.lines.iter().map(|l| l.dy).fold(f32::MAX, f32::min);
    let pad = top.max(0.0);
    let per = (((room - 2.0 * pad) / line_px).floor() as usize).max(1);
    let index = |dy: f32| ((dy - top) / line_px).round().max(0.0) as usize;
    let count = item.lines.iter().map(|l| index(l.dy)).max().unwrap_or(0) + 1;
    (0..count.div_ceil(per))
        .map(|k| {
            let lines: Vec<_> = item
                .lines
                .iter()
                .filter(|l| index(l.dy) / per == k)
                .map(|l| super::BodyLine {
                    dy: pad + (index(l.dy) - k * per) as f32 * line_px,
                    ..l.clone()
                })
                .collect();
            let rows = per.min(count - k * per);
            let height = rows as f32 * line_px + 2.0 * pad;
            let shades = item
                .shades
                .iter()
                .map(|s| super::Shade {
                    dy: 0.0,
                    h: height,
                    ..*s
                })
                .collect();
            Item {
                lines,
                shades,
                height,
                gap: if k == 0 { item.gap } else { 0.0 },
                keep_with_next: item.keep_with_next,
                header: item.header,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::body::{BodyLine, LineKind};

    fn item(keep: bool) -> Item {
        let line = BodyLine::text("字".into(), 0.0, 0.0, LineKind::Text);
        Item {
            keep_with_next: keep,
            ..Item::line(line, 10.0, 0.0)
        }
    }

    #[test]
    fn lines_that_may_not_end_a_page_go_on_with_the_next() {
        // Room for three lines; the third may not end the page: it opens the second.
        let pages = pack(
            vec![item(false), item(false), item(true), item(false)],
            &[],
            10.0,
            Heights::all(30.0),
        );
        let sizes: Vec<usize> = pages.iter().map(|p| p.lines.len()).collect();
        assert_eq!(sizes, [2, 2]);
        assert_eq!(pages[1].lines[0].dy, 0.0);
        // A page of nothing but kept lines keeps one of its own: no endless carrying.
        let pages = pack(
            vec![item(true), item(true), item(true), item(false)],
            &[],
            10.0,
            Heights::all(30.0),
        );
        let sizes: Vec<usize> = pages.iter().map(|p| p.lines.len()).collect();
        assert_eq!(sizes, [1, 3]);
    }
}
