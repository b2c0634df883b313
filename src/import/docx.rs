//! Word (.docx): `word/document.xml` read with roxmltree into blocks (paragraphs with their style,
//! alignment, boldness and size; tables; images from `w:drawing`/`w:pict` through the part's
//! relationships to `word/media/…`), then shaped as a 公文 (`gongwen`).
//!
//! Merged table cells: the text stays in the first cell of a merge, the cells it covers are left
//! empty (a screen then shows it once, as Word does). Text boxes and deleted revisions are not
//! read; of `mc:AlternateContent` only the first choice is.

use std::collections::HashMap;

use roxmltree::Node;

use super::error::{Format, ImportError, ImportWarning, Limit};
use super::gongwen::{self, Align, Block, Para};
use super::package::{Package, folder, join, parse_xml};
use super::{DraftImage, Limits, Read, images};

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const DOCUMENT: &str = "word/document.xml";

/// A paragraph style's part in the title and the 落款.
#[derive(Default, Clone)]
struct Style {
    heading: bool,
    align: Option<Align>,
    bold: bool,
    size: f32,
}

pub(crate) fn read(bytes: &[u8], limits: &Limits) -> Result<Read, ImportError> {
    let format = Format::Docx;
    let mut zip = Package::open(bytes, format, limits.unpacked_bytes)?;
    let document = zip.read_text_required(DOCUMENT)?;
    let styles = match zip.read_text("word/styles.xml")? {
        Some(text) => read_styles(&parse_xml(&text, "word/styles.xml", format)?),
        None => HashMap::new(),
    };
    let rels_part = "word/_rels/document.xml.rels";
    let rels = match zip.read_text(rels_part)? {
        Some(text) => read_rels(&parse_xml(&text, rels_part, format)?, folder(DOCUMENT)),
        None => HashMap::new(),
    };
    let doc = parse_xml(&document, DOCUMENT, format)?;
    let body = doc
        .root_element()
        .children()
        .find(|n| is(n, "body"))
        .ok_or_else(|| ImportError::damaged(format, "word/document.xml has no w:body"))?;

    let mut reader = Reader {
        zip,
        styles,
        rels,
        limits,
        images: Vec::new(),
        warnings: Vec::new(),
        blocks: Vec::new(),
        chars: 0,
    };
    // The body's blocks, content controls (`w:sdt`) opened in place, without recursion.
    let mut stack: Vec<Node> = body.children().rev().collect();
    while let Some(node) = stack.pop() {
        if is(&node, "p") {
            reader.paragraph(node)?;
        } else if is(&node, "tbl") {
            reader.table(node)?;
        } else if is(&node, "sdt") || is(&node, "sdtContent") || is(&node, "customXml") {
            stack.extend(node.children().rev());
        }
    }
    let Reader {
        blocks,
        images,
        warnings,
        ..
    } = reader;
    Ok(Read {
        format,
        shaped: gongwen::shape(blocks),
        images,
        warnings,
    })
}

fn is(node: &Node, name: &str) -> bool {
    node.is_element() && node.tag_name().name() == name && node.tag_name().namespace() == Some(W)
}

fn attr<'a>(node: &Node<'a, '_>, name: &str) -> Option<&'a str> {
    node.attribute((W, name))
}

fn child<'a, 'i>(node: &Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    node.children().find(|n| is(n, name))
}

/// A `w:b`-like toggle: present and not `0`/`false`.
fn on(node: Option<Node>) -> bool {
    node.is_some_and(|n| !matches!(attr(&n, "val"), Some("0" | "false" | "off")))
}

fn align_of(ppr: Option<Node>) -> Option<Align> {
    match attr(&child(&ppr?, "jc")?, "val")? {
        "center" => Some(Align::Center),
        "right" | "end" => Some(Align::Right),
        _ => Some(Align::Left),
    }
}

fn size_of(rpr: Option<Node>) -> f32 {
    rpr.and_then(|r| child(&r, "sz"))
        .and_then(|s| attr(&s, "val"))
        .and_then(|v| v.parse::<f32>().ok())
        .map_or(0.0, |half_points| half_points / 2.0)
}

/// Paragraph styles by id: Word names its built-in styles in English (`heading 1`, `Title`)
/// whatever the language, while the ids are localised (`1`, `a3`).
fn read_styles(doc: &roxmltree::Document) -> HashMap<String, Style> {
    let mut out = HashMap::new();
    for style in doc.root_element().children().filter(|n| is(n, "style")) {
        let Some(id) = attr(&style, "styleId") else {
            continue;
        };
        let name = child(&style, "name")
            .and_then(|n| attr(&n, "val"))
            .unwrap_or("")
            .to_lowercase();
        let ppr = child(&style, "pPr");
        let rpr = child(&style, "rPr");
        let outline = ppr.and_then(|p| child(&p, "outlineLvl")).is_some();
        out.insert(
            id.to_string(),
            Style {
                heading: name == "title" || name.starts_with("heading") || outline,
                align: align_of(ppr),
                bold: on(rpr.and_then(|r| child(&r, "b"))),
                size: size_of(rpr),
            },
        );
    }
    out
}

/// Image relationships: id → part path.
fn read_rels(doc: &roxmltree::Document, base: &str) -> HashMap<String, String> {
    doc.root_element()
        .children()
        .filter(|n| n.is_element() && n.tag_name().name() == "Relationship")
        .filter(|n| n.attribute("TargetMode") != Some("External"))
        .filter_map(|n| {
            Some((
                n.attribute("Id")?.to_string(),
                join(base, n.attribute("Target")?),
            ))
        })
        .collect()
}

struct Reader<'a, 'l> {
    zip: Package<'a>,
    styles: HashMap<String, Style>,
    rels: HashMap<String, String>,
    limits: &'l Limits,
    images: Vec<DraftImage>,
    warnings: Vec<ImportWarning>,
    blocks: Vec<Block>,
    chars: usize,
}

/// What one paragraph's runs hold.
#[derive(Default)]
struct Runs {
    text: String,
    all_bold: bool,
    any_text: bool,
    size: f32,
    /// (relationship id, alternative text) of each picture, in order.
    pictures: Vec<(String, String)>,
}

impl Reader<'_, '_> {
    fn count(&mut self, text: &str) -> Result<(), ImportError> {
        self.chars += text.chars().count();
        if self.chars > self.limits.text_chars {
            return Err(ImportError::TooLarge(Limit::Text {
                max: self.limits.text_chars,
            }));
        }
        Ok(())
    }

    fn paragraph(&mut self, p: Node) -> Result<(), ImportError> {
        let ppr = child(&p, "pPr");
        let style_id = ppr
            .and_then(|n| child(&n, "pStyle"))
            .and_then(|n| attr(&n, "val"));
        let style = style_id
            .and_then(|id| self.styles.get(id))
            .cloned()
            .unwrap_or_default();
        let outline = ppr.and_then(|n| child(&n, "outlineLvl")).is_some();
        let runs = runs(p, &style);
        self.count(&runs.text)?;
        for (id, alt) in &runs.pictures {
            self.picture(id, alt)?;
        }
        self.blocks.push(Block::Para(Para {
            align: align_of(ppr).or(style.align).unwrap_or_default(),
            heading: style.heading || outline,
            bold: runs.any_text && runs.all_bold,
            size: runs.size.max(style.size),
            text: runs.text,
        }));
        Ok(())
    }

    fn picture(&mut self, id: &str, alt: &str) -> Result<(), ImportError> {
        let Some(path) = self.rels.get(id).cloned() else {
            return Ok(());
        };
        let Some(bytes) = self.zip.read(&path)? else {
            self.warnings.push(ImportWarning::ImageSkipped {
                name: path,
                why: "文件中缺少这张图片".into(),
            });
            return Ok(());
        };
        let name = path.rsplit('/').next().unwrap_or(&path).to_string();
        let caption = super::text::field_text(alt);
        if let Some(index) = images::keep(
            &name,
            bytes,
            caption,
            self.limits,
            &mut self.images,
            &mut self.warnings,
        ) {
            self.blocks.push(Block::Image(index));
        }
        Ok(())
    }

    /// A table: rows of cells, each cell's paragraphs (and nested tables' text) joined by a
    /// space; a horizontal merge (`gridSpan`) followed by empty cells, a vertical merge's
    /// continuation (`vMerge` without `restart`) empty.
    fn table(&mut self, tbl: Node) -> Result<(), ImportError> {
        let mut rows = Vec::new();
        for tr in tbl.children().filter(|n| is(n, "tr")) {
            let mut row = Vec::new();
            for tc in tr.children().filter(|n| is(n, "tc")) {
                let tcpr = child(&tc, "tcPr");
                let span = tcpr
                    .and_then(|t| child(&t, "gridSpan"))
                    .and_then(|g| attr(&g, "val"))
                    .and_then(|v| v.parse::<usize>().ok())
                    .unwrap_or(1)
                    .clamp(1, self.limits.columns);
                let continued = tcpr
                    .and_then(|t| child(&t, "vMerge"))
                    .is_some_and(|v| attr(&v, "val") != Some("restart"));
                let text = if continued {
                    String::new()
                } else {
                    let parts: Vec<String> = tc
                        .descendants()
                        .filter(|n| is(n, "p"))
                        .map(|p| runs(p, &Style::default()).text)
                        .collect();
                    parts.join(" ")
                };
                self.count(&text)?;
                row.push(text);
                row.extend(std::iter::repeat_n(String::new(), span - 1));
            }
            if row.len() > self.limits.columns || rows.len() >= self.limits.rows {
                return Err(ImportError::TooLarge(Limit::Table {
                    rows: rows.len() + 1,
                    columns: row.len(),
                    max_rows: self.limits.rows,
                    max_columns: self.limits.columns,
                }));
            }
            rows.push(row);
        }
        // Pictures in cells are images of the notice too.
        let pictures: Vec<(String, String)> = tbl
            .descendants()
            .filter(|n| is(n, "drawing") || is(n, "pict"))
            .filter_map(picture_ref)
            .collect();
        self.blocks.push(Block::Table(rows));
        for (id, alt) in pictures {
            self.picture(&id, &alt)?;
        }
        Ok(())
    }
}

/// A paragraph's text and pictures, walking its runs in order without recursion: `w:t` text,
/// `w:tab` a space, `w:br`/`w:cr` a line break; deleted text, field codes and text boxes are
/// skipped, and of alternative content only the first choice is read.
fn runs(p: Node, style: &Style) -> Runs {
    let mut out = Runs {
        all_bold: true,
        ..Runs::default()
    };
    let mut stack: Vec<Node> = p.children().rev().collect();
    while let Some(node) = stack.pop() {
        if !node.is_element() {
            continue;
        }
        let name = node.tag_name().name();
        let in_w = node.tag_name().namespace() == Some(W);
        match name {
            "t" if in_w => {
                let text = node.text().unwrap_or("");
                if !text.trim().is_empty() {
                    out.any_text = true;
                    let rpr = node.parent().and_then(|r| child(&r, "rPr"));
                    let bold = match rpr.and_then(|r| child(&r, "b")) {
                        Some(b) => on(Some(b)),
                        None => style.bold,
                    };
                    out.all_bold &= bold;
                    out.size = out.size.max(size_of(rpr));
                }
                out.text.push_str(text);
            }
            "tab" if in_w => out.text.push(' '),
            "br" | "cr" if in_w => out.text.push('\n'),
            "noBreakHyphen" if in_w => out.text.push('-'),
            "drawing" | "pict" if in_w => out.pictures.extend(picture_ref(node)),
            "del" | "delText" | "instrText" | "txbxContent" | "pPr" | "rPr" if in_w => {}
            "Fallback" => {}
            "AlternateContent" => {
                if let Some(choice) = node.children().find(|n| n.tag_name().name() == "Choice") {
                    stack.push(choice);
                }
            }
            _ => stack.extend(node.children().rev()),
        }
    }
    out
}

/// The relationship id and alternative text of a `w:drawing` (`a:blip r:embed`) or a VML
/// `w:pict` (`v:imagedata r:id`).
fn picture_ref(node: Node) -> Option<(String, String)> {
    let id = node.descendants().find_map(|n| match n.tag_name().name() {
        "blip" => n.attribute((R, "embed")),
        "imagedata" => n.attribute((R, "id")),
        _ => None,
    })?;
    let alt = node
        .descendants()
        .find(|n| n.tag_name().name() == "docPr")
        .and_then(|n| n.attribute("descr"))
        .unwrap_or("");
    Some((id.to_string(), alt.to_string()))
}
