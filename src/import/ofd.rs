//! OFD (GB/T 33190): a zip whose `OFD.xml` names the document (`DocBody/DocRoot`), whose
//! `Document.xml` lists the pages (`Pages/Page@BaseLoc`) and resources (`CommonData/PublicRes`,
//! `DocumentRes`); each page's `Content.xml` holds `TextObject`s (their `TextCode`s placed by
//! `X`, `Y`, `DeltaX`) and `ImageObject`s (by `ResourceID` to a `MultiMedia`'s `MediaFile`).
//!
//! The text is read in page order and set back into paragraphs by where it sits (`lines`), the
//! images kept; no pure-Rust OFD rasteriser fit to use exists (docs/import.md), so the page
//! layout is not kept, and every draft says so in a warning. Templates, annotations and
//! signatures are not read; an encrypted package is refused.

use std::collections::HashMap;

use roxmltree::Node;

use super::error::{Defect, Format, ImportError, ImportWarning, Limit};
use super::gongwen::{self, Block};
use super::lines::{self, Glyph};
use super::package::{Package, folder, join, parse_xml};
use super::{Limits, Read, images};

const FORMAT: Format = Format::Ofd;

pub(crate) fn read(bytes: &[u8], limits: &Limits) -> Result<Read, ImportError> {
    let mut zip = Package::open(bytes, FORMAT, limits.unpacked_bytes)?;
    let root_text = zip.read_text_required("OFD.xml")?;
    let root = parse_xml(&root_text, "OFD.xml", FORMAT)?;
    if zip.has("Encryptions.xml") || root.descendants().any(|n| local(&n, "Encryptions")) {
        return Err(ImportError::Encrypted { format: FORMAT });
    }
    let doc_root = root
        .descendants()
        .find(|n| local(n, "DocRoot"))
        .and_then(|n| n.text())
        .map(|t| join("", t.trim()))
        .ok_or_else(|| missing("OFD.xml: DocBody/DocRoot"))?;
    let doc_text = zip.read_text_required(&doc_root)?;
    let doc = parse_xml(&doc_text, &doc_root, FORMAT)?;
    let doc_dir = folder(&doc_root).to_string();

    // Images by resource id, from every resource file the document names.
    let mut media: HashMap<String, String> = HashMap::new();
    let res_files: Vec<String> = doc
        .descendants()
        .filter(|n| local(n, "PublicRes") || local(n, "DocumentRes"))
        .filter_map(|n| n.text())
        .map(|t| join(&doc_dir, t.trim()))
        .collect();
    for res in res_files {
        let Some(text) = zip.read_text(&res)? else {
            continue;
        };
        let xml = parse_xml(&text, &res, FORMAT)?;
        let base = xml.root_element().attribute("BaseLoc").unwrap_or("");
        let base = join(folder(&res), base);
        for m in xml.descendants().filter(|n| local(n, "MultiMedia")) {
            let file = m
                .children()
                .find(|n| local(n, "MediaFile"))
                .and_then(|n| n.text());
            if let (Some(id), Some(file)) = (m.attribute("ID"), file) {
                media.insert(id.to_string(), join(&base, file.trim()));
            }
        }
    }

    let width = doc
        .descendants()
        .find(|n| local(n, "PhysicalBox"))
        .and_then(|n| n.text())
        .and_then(|t| numbers(t).get(2).copied())
        .unwrap_or(210.0);
    let pages: Vec<String> = doc
        .descendants()
        .filter(|n| local(n, "Page"))
        .filter_map(|n| n.attribute("BaseLoc"))
        .map(|loc| join(&doc_dir, loc))
        .collect();
    if pages.is_empty() {
        return Err(missing(&format!("{doc_root}: Pages/Page")));
    }
    if pages.len() > limits.pages {
        return Err(ImportError::TooLarge(Limit::Pages {
            pages: pages.len(),
            max: limits.pages,
        }));
    }

    let mut blocks = Vec::new();
    let mut images = Vec::new();
    let mut warnings = vec![ImportWarning::LayoutNotKept];
    let mut chars = 0usize;
    for page in pages {
        let text = zip.read_text_required(&page)?;
        let xml = parse_xml(&text, &page, FORMAT)?;
        let mut glyphs = Vec::new();
        for node in xml.descendants() {
            if local(&node, "TextObject") {
                text_object(node, &mut glyphs);
            } else if local(&node, "ImageObject") {
                let Some(path) = node.attribute("ResourceID").and_then(|id| media.get(id)) else {
                    continue;
                };
                let Some(bytes) = zip.read(path)? else {
                    continue;
                };
                let name = path.rsplit('/').next().unwrap_or(path);
                let kept = images::keep(
                    name,
                    bytes,
                    String::new(),
                    limits,
                    &mut images,
                    &mut warnings,
                );
                if let Some(index) = kept {
                    blocks.push(Block::Image(index));
                }
            }
        }
        chars += glyphs.iter().map(|g| g.text.chars().count()).sum::<usize>();
        if chars > limits.text_chars {
            return Err(ImportError::TooLarge(Limit::Text {
                max: limits.text_chars,
            }));
        }
        blocks.extend(
            lines::paragraphs(glyphs, width)
                .into_iter()
                .map(Block::Para),
        );
    }
    Ok(Read {
        format: FORMAT,
        shaped: gongwen::shape(blocks),
        images,
        warnings,
    })
}

fn missing(what: &str) -> ImportError {
    ImportError::Damaged {
        format: FORMAT,
        defect: Defect::MissingPart(what.to_string()),
    }
}

fn local(node: &Node, name: &str) -> bool {
    node.is_element() && node.tag_name().name() == name
}

/// The numbers of an attribute like `Boundary="10 20 100 8"` or `DeltaX="g 3 4.2 5"`.
fn numbers(text: &str) -> Vec<f32> {
    text.split_whitespace()
        .filter_map(|t| t.parse().ok())
        .collect()
}

/// A `DeltaX`/`DeltaY` list expanded: `g 3 4.2` is 4.2 three times.
fn deltas(text: &str, max: usize) -> Vec<f32> {
    let mut out = Vec::new();
    let mut tokens = text.split_whitespace();
    while let Some(token) = tokens.next() {
        if out.len() >= max {
            break;
        }
        if token == "g" {
            let count = tokens
                .next()
                .and_then(|t| t.parse::<usize>().ok())
                .unwrap_or(0);
            let value = tokens
                .next()
                .and_then(|t| t.parse::<f32>().ok())
                .unwrap_or(0.0);
            let count = count.min(max - out.len());
            out.extend(std::iter::repeat_n(value, count));
        } else if let Ok(v) = token.parse() {
            out.push(v);
        }
    }
    out
}

/// A text object's characters placed on the page (in millimetres, y downwards as OFD has it).
fn text_object(object: Node, glyphs: &mut Vec<Glyph>) {
    let boundary = object
        .attribute("Boundary")
        .map(numbers)
        .unwrap_or_default();
    let (bx, by) = (
        boundary.first().copied().unwrap_or(0.0),
        boundary.get(1).copied().unwrap_or(0.0),
    );
    let size = object
        .attribute("Size")
        .and_then(|s| s.trim().parse::<f32>().ok())
        .unwrap_or(3.5);
    // A text object's own transform (`CTM`) scales its type; only the scale is taken.
    let scale = object
        .attribute("CTM")
        .map(numbers)
        .filter(|m| m.len() == 6)
        .map_or(1.0, |m| (m[0] * m[3] - m[1] * m[2]).abs().sqrt());
    let size = (size * scale).max(0.1);
    let (mut x, mut y) = (0.0f32, 0.0f32);
    for code in object.children().filter(|n| local(n, "TextCode")) {
        let text = code.text().unwrap_or("");
        if let Some(v) = code.attribute("X").and_then(|v| v.trim().parse().ok()) {
            x = v;
        }
        if let Some(v) = code.attribute("Y").and_then(|v| v.trim().parse().ok()) {
            y = v;
        }
        let n = text.chars().count();
        let dx = code
            .attribute("DeltaX")
            .map(|d| deltas(d, n))
            .unwrap_or_default();
        let dy = code
            .attribute("DeltaY")
            .map(|d| deltas(d, n))
            .unwrap_or_default();
        let (mut cx, mut cy) = (x, y);
        for (i, c) in text.chars().enumerate() {
            let advance =
                dx.get(i)
                    .copied()
                    .unwrap_or(if c.is_ascii() { size / 2.0 } else { size });
            glyphs.push(Glyph {
                x: bx + cx * scale,
                y: by + cy * scale,
                size,
                width: advance * scale,
                text: c.to_string(),
            });
            cx += advance;
            cy += dy.get(i).copied().unwrap_or(0.0);
        }
        (x, y) = (cx, cy);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delta_lists_expand_their_repeats_and_stop_at_the_text_length() {
        assert_eq!(deltas("g 3 4.2 5", 10), vec![4.2, 4.2, 4.2, 5.0]);
        assert_eq!(deltas("g 4000000000 1", 3), vec![1.0, 1.0, 1.0]);
        assert_eq!(deltas("x 1", 5), vec![1.0]);
    }
}
