//! The second phase of the body: its lines cut into pages, moving the lines that may not end a
//! page on to the next one.

use super::{BodyLine, Item};

/// Pages from items: a page ends where the next line does not fit; the lines that may not end a
/// page go on to the next one with it, as long as the page keeps at least one line of its own.
pub(super) fn pack(items: Vec<Item>, line_px: f32, height: f32) -> Vec<Vec<BodyLine>> {
    let mut pages: Vec<Vec<Item>> = vec![Vec::new()];
    let mut y = 0.0f32;
    for mut item in items {
        let page = pages.last_mut().expect("one page at least");
        let gap = if page.is_empty() { 0.0 } else { item.gap };
        if y + gap + line_px > height && !page.is_empty() {
            // The height of lines opening a page: the first one's gap falls away.
            let opening = |lines: &[&Item]| -> f32 {
                lines
                    .iter()
                    .enumerate()
                    .map(|(k, i)| line_px + if k > 0 { i.gap } else { 0.0 })
                    .sum()
            };
            let mut carried: Vec<Item> = Vec::new();
            // Never carry so much that the next page overflows too.
            while page.len() > 1 && page.last().is_some_and(|i| i.keep_with_next) {
                let candidate = page.last().expect("checked");
                let mut next: Vec<&Item> = vec![candidate];
                next.extend(carried.iter().rev());
                next.push(&item);
                if opening(&next) > height {
                    break;
                }
                carried.push(page.pop().expect("checked"));
            }
            carried.reverse();
            pages.push(Vec::new());
            let page = pages.last_mut().expect("just pushed");
            y = 0.0;
            for (k, mut c) in carried.into_iter().enumerate() {
                if k > 0 {
                    y += c.gap;
                }
                c.line.dy = y;
                y += line_px;
                page.push(c);
            }
            let gap = if page.is_empty() { 0.0 } else { item.gap };
            y += gap;
            item.line.dy = y;
            y += line_px;
            page.push(item);
            continue;
        }
        y += gap;
        item.line.dy = y;
        y += line_px;
        page.push(item);
    }
    pages
        .into_iter()
        .map(|p| p.into_iter().map(|i| i.line).collect())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::body::LineKind;

    fn item(keep: bool) -> Item {
        Item {
            line: BodyLine {
                text: "字".into(),
                dx: 0.0,
                dy: 0.0,
                justify_px: 0.0,
                kind: LineKind::Text,
            },
            gap: 0.0,
            keep_with_next: keep,
        }
    }

    #[test]
    fn lines_that_may_not_end_a_page_go_on_with_the_next() {
        // Room for three lines; the third may not end the page: it opens the second.
        let pages = pack(
            vec![item(false), item(false), item(true), item(false)],
            10.0,
            30.0,
        );
        let sizes: Vec<usize> = pages.iter().map(Vec::len).collect();
        assert_eq!(sizes, [2, 2]);
        assert_eq!(pages[1][0].dy, 0.0);
        // A page of nothing but kept lines keeps one of its own: no endless carrying.
        let pages = pack(
            vec![item(true), item(true), item(true), item(false)],
            10.0,
            30.0,
        );
        let sizes: Vec<usize> = pages.iter().map(Vec::len).collect();
        assert_eq!(sizes, [1, 3]);
    }
}
