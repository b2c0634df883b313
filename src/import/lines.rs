//! Text placed on a page (a PDF's glyphs, an OFD's text codes) back into paragraphs: glyphs on
//! one baseline make a line, read left to right; a line starts a paragraph after a wider gap, at
//! a first-line indent, after a short last line, or where the alignment or size changes. A
//! line's alignment (centred, right) comes from where it sits on the page, for the title and
//! the 落款. Page numbers (`— 3 —`) are dropped.

use super::gongwen::{Align, Para};

/// One character (or a short run) where it is drawn; y grows downwards, all in one unit.
#[derive(Debug, Clone)]
pub(crate) struct Glyph {
    pub x: f32,
    /// The baseline.
    pub y: f32,
    pub size: f32,
    /// The advance to the next glyph.
    pub width: f32,
    pub text: String,
}

struct Line {
    y: f32,
    size: f32,
    x0: f32,
    x1: f32,
    text: String,
}

/// The paragraphs of one page `page_width` wide.
pub(crate) fn paragraphs(mut glyphs: Vec<Glyph>, page_width: f32) -> Vec<Para> {
    glyphs.retain(|g| g.x.is_finite() && g.y.is_finite() && g.size.is_finite() && g.size > 0.0);
    glyphs.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x.total_cmp(&b.x)));
    let mut groups: Vec<Vec<Glyph>> = Vec::new();
    for g in glyphs {
        match groups.last_mut() {
            Some(line) if (g.y - line[0].y).abs() < 0.4 * g.size.max(line[0].size) => line.push(g),
            _ => groups.push(vec![g]),
        }
    }
    let mut lines: Vec<Line> = groups.into_iter().filter_map(line).collect();
    // A page number alone at the foot of the page.
    if lines.last().is_some_and(|l| is_page_number(&l.text)) {
        lines.pop();
    }
    if lines.is_empty() {
        return Vec::new();
    }
    let margin = lines.iter().map(|l| l.x0).fold(f32::MAX, f32::min);
    let right = lines.iter().map(|l| l.x1).fold(f32::MIN, f32::max);
    let mut gaps: Vec<f32> = lines.windows(2).map(|w| w[1].y - w[0].y).collect();
    gaps.sort_by(f32::total_cmp);
    let spacing = gaps.get(gaps.len() / 2).copied().unwrap_or(0.0);

    let align = |l: &Line| {
        let centre = (l.x0 + l.x1) / 2.0;
        // More than a 公文's two-character first-line indent.
        let indented = l.x0 - margin > 3.0 * l.size;
        if indented && (centre - page_width / 2.0).abs() < 0.04 * page_width {
            Align::Center
        } else if indented && l.x0 > page_width / 2.0 {
            Align::Right
        } else {
            Align::Left
        }
    };
    let mut out: Vec<Para> = Vec::new();
    let mut prev: Option<&Line> = None;
    for l in &lines {
        let a = align(l);
        let starts = match prev {
            None => true,
            Some(p) => {
                let p_align = align(p);
                (l.y - p.y) > 1.6 * spacing.max(l.size)
                    || a != Align::Left
                    || p_align != Align::Left
                    || l.x0 - margin > 1.2 * l.size
                    || p.x1 < right - 2.0 * p.size
                    || (l.size - p.size).abs() > 1.0
            }
        };
        if starts {
            out.push(Para {
                text: l.text.clone(),
                align: a,
                size: l.size,
                ..Para::default()
            });
        } else if let Some(para) = out.last_mut() {
            let glue = para.text.ends_with(|c: char| c.is_ascii_alphanumeric())
                && l.text.starts_with(|c: char| c.is_ascii_alphanumeric());
            if glue {
                para.text.push(' ');
            }
            para.text.push_str(&l.text);
        }
        prev = Some(l);
    }
    out
}

/// One line's text from its glyphs, left to right: a space where Latin words part, or where a
/// gap is wider than a character.
fn line(mut glyphs: Vec<Glyph>) -> Option<Line> {
    glyphs.sort_by(|a, b| a.x.total_cmp(&b.x));
    let first = glyphs.first()?;
    let (y, x0) = (first.y, first.x);
    let size = glyphs.iter().map(|g| g.size).fold(0.0, f32::max);
    let mut text = String::new();
    let mut end: Option<f32> = None;
    for g in &glyphs {
        if let Some(end) = end {
            let gap = g.x - end;
            let latin = text.ends_with(|c: char| c.is_ascii_alphanumeric())
                && g.text.starts_with(|c: char| c.is_ascii_alphanumeric());
            if (latin && gap > 0.2 * g.size) || gap > 1.5 * g.size && !text.ends_with(' ') {
                text.push(' ');
            }
        }
        text.push_str(&g.text);
        end = Some(g.x + g.width);
    }
    let x1 = end.unwrap_or(x0);
    let text = text.trim().to_string();
    (!text.is_empty()).then_some(Line {
        y,
        size,
        x0,
        x1,
        text,
    })
}

/// `3`, `- 3 -`, `— 3 —`.
fn is_page_number(text: &str) -> bool {
    let core = text.trim_matches(|c: char| c.is_whitespace() || "-—–－".contains(c));
    !core.is_empty() && core.len() <= 4 && core.chars().all(|c| c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str, x: f32, y: f32, size: f32) -> Vec<Glyph> {
        let mut x = x;
        text.chars()
            .map(|c| {
                let width = if c.is_ascii() { size / 2.0 } else { size };
                let g = Glyph {
                    x,
                    y,
                    size,
                    width,
                    text: c.to_string(),
                };
                x += width;
                g
            })
            .collect()
    }

    #[test]
    fn lines_become_paragraphs_with_their_alignment() {
        // A4 in points: 595 wide, text from 90 to 505.
        let mut glyphs = Vec::new();
        glyphs.extend(run("关于元旦放假的通知", 215.0, 100.0, 18.0));
        glyphs.extend(run("各村（社区）：", 90.0, 150.0, 16.0));
        let long = "经研究，现将元旦放假安排通知如下，请各单位认真做好值班值守工作。";
        glyphs.extend(run(
            &long.chars().take(24).collect::<String>(),
            122.0,
            180.0,
            16.0,
        ));
        glyphs.extend(run(
            &long.chars().skip(24).collect::<String>(),
            90.0,
            208.0,
            16.0,
        ));
        glyphs.extend(run("某某镇人民政府", 380.0, 300.0, 16.0));
        glyphs.extend(run("— 1 —", 280.0, 800.0, 12.0));
        let paras = paragraphs(glyphs, 595.0);
        let texts: Vec<(&str, Align)> = paras.iter().map(|p| (p.text.as_str(), p.align)).collect();
        assert_eq!(
            texts,
            vec![
                ("关于元旦放假的通知", Align::Center),
                ("各村（社区）：", Align::Left),
                (long, Align::Left),
                ("某某镇人民政府", Align::Right),
            ]
        );
    }

    #[test]
    fn latin_words_keep_their_spaces() {
        let mut glyphs = run("Hello", 90.0, 100.0, 12.0);
        glyphs.extend(run("world", 90.0 + 5.0 * 6.0 + 3.0, 100.0, 12.0));
        assert_eq!(paragraphs(glyphs, 595.0)[0].text, "Hello world");
    }
}
