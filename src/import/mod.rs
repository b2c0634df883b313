//! Import: a file staff already have (Word .docx, Excel .xlsx, CSV, PDF, OFD) becomes a
//! notice draft: title, body in the notice's body format, issuer, 文号, date, images, warnings.
//!
//! Pure: bytes in, a draft out; no database, no HTTP, no file system. The draft is a proposal:
//! it goes through the notices door like any other input. Every reader treats its input as
//! hostile: zip parts are inflated under a cap, XML is parsed without DTDs and walked without
//! recursion, pages, tables, images and text are counted against `Limits`, and a damaged file
//! is an `ImportError`, never a panic. docs/import.md says what each format yields.
//!
//! The body format: paragraphs separated by a blank line, a single newline a forced line break;
//! a table is consecutive lines of tab-separated cells (the first row its header), set apart from
//! paragraphs by blank lines.

mod docx;
mod error;
mod gongwen;
mod images;
mod lines;
mod ofd;
mod package;
mod pdf;
mod pdf_guard;
mod sheet;
mod text;

use std::sync::Arc;

use chrono::NaiveDate;

pub use error::{ACCEPTED_ZH, Defect, Field, Format, ImportError, ImportWarning, Limit};

use crate::model::personal;
use gongwen::Shaped;

/// A notice draft read from a file.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    /// What the file was read as.
    pub format: Format,
    pub title: String,
    /// In the notice's body format (see the module's documentation).
    pub body: String,
    /// The issuing office from the 落款 (or the 版头); empty where none was found.
    pub issuer: String,
    /// The 文号, as written (`某政办〔2026〕12号`).
    pub doc_number: Option<String>,
    /// The date of the 落款.
    pub date: Option<NaiveDate>,
    pub images: Vec<DraftImage>,
    pub warnings: Vec<ImportWarning>,
}

/// An image for the notice's assets.
#[derive(Debug, Clone, PartialEq)]
pub struct DraftImage {
    /// PNG, JPEG or WebP as found in the file, or PNG for a rasterised PDF page.
    pub bytes: Vec<u8>,
    pub media_type: String,
    /// The caption paragraph that followed it, its alternative text, or `第 N 页`.
    pub caption: String,
}

/// What an import accepts at most.
#[derive(Debug, Clone, PartialEq)]
pub struct Limits {
    /// Bytes inflated from a zip package's parts, all parts together.
    pub unpacked_bytes: u64,
    /// A PDF's pages.
    pub pages: usize,
    /// A rasterised page's longer side, in pixels.
    pub page_long_side: u32,
    /// An image's longer side, in pixels.
    pub image_side: u32,
    /// Images kept (the feed carries at most 64 assets a notice).
    pub images: usize,
    /// A table's rows and columns.
    pub rows: usize,
    pub columns: usize,
    /// Characters of text read.
    pub text_chars: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            unpacked_bytes: 256 * 1024 * 1024,
            pages: 60,
            page_long_side: 1600,
            image_side: 12_000,
            images: 64,
            rows: 5_000,
            columns: 64,
            text_chars: 400_000,
        }
    }
}

/// How to import.
#[derive(Clone, Default)]
pub struct Options {
    pub limits: Limits,
    /// A CJK font (TrueType or OpenType bytes, `fonts/NotoSansSC-Regular.ttf`) drawn where a PDF
    /// uses a font it does not embed; without one those characters are blank on the page images
    /// (and named in a warning either way).
    pub fallback_font: Option<Arc<Vec<u8>>>,
}

/// Imports with the default limits and no fallback font.
pub fn import(
    file_name: &str,
    media_type: Option<&str>,
    bytes: &[u8],
) -> Result<Draft, ImportError> {
    import_with(&Options::default(), file_name, media_type, bytes)
}

/// Reads `bytes` by what they are (their first bytes, then the file name's extension, then the
/// media type) into a draft.
pub fn import_with(
    options: &Options,
    file_name: &str,
    media_type: Option<&str>,
    bytes: &[u8],
) -> Result<Draft, ImportError> {
    let kind = detect(file_name, media_type, bytes)?;
    let limits = &options.limits;
    let read = match kind {
        Kind::Docx => docx::read(bytes, limits)?,
        Kind::Xlsx => sheet::read_xlsx(bytes, limits)?,
        Kind::Csv => sheet::read_csv(bytes, limits)?,
        Kind::Pdf => pdf::read(bytes, options)?,
        Kind::Ofd => ofd::read(bytes, limits)?,
    };
    finish(file_name, read, limits)
}

/// What the readers hand back.
pub(crate) struct Read {
    pub format: Format,
    pub shaped: Shaped,
    pub images: Vec<DraftImage>,
    pub warnings: Vec<ImportWarning>,
}

fn finish(file_name: &str, read: Read, limits: &Limits) -> Result<Draft, ImportError> {
    let Read {
        format,
        shaped,
        mut images,
        mut warnings,
    } = read;
    let body = shaped.body;
    if body.chars().count() > limits.text_chars {
        return Err(ImportError::TooLarge(Limit::Text {
            max: limits.text_chars,
        }));
    }
    // A last guard whatever the reader: the body holds no control character but \n and \t.
    let body: String = body
        .chars()
        .filter(|&c| c == '\n' || c == '\t' || !c.is_control())
        .collect();
    let title = shaped
        .title
        .map(|t| text::field_text(&t))
        .filter(|t| !t.is_empty());
    if title.is_none() && body.trim().is_empty() && images.is_empty() {
        return Err(ImportError::Empty { format });
    }
    let title = title.unwrap_or_else(|| {
        warnings.push(ImportWarning::TitleFromFileName);
        text::field_text(stem(file_name))
    });
    let issuer = shaped
        .issuer
        .map(|t| text::field_text(&t))
        .unwrap_or_default();
    if issuer.is_empty() {
        warnings.push(ImportWarning::NoIssuer);
    }
    for (index, caption) in shaped.captions {
        if let Some(image) = images.get_mut(index) {
            image.caption = text::field_text(&caption);
        }
    }
    for (field, text) in [
        (Field::Title, &title),
        (Field::Body, &body),
        (Field::Issuer, &issuer),
    ] {
        for found in personal::find(text) {
            warnings.push(ImportWarning::Personal {
                kind: found.kind,
                field,
                at: found.at,
                masked: found.masked,
            });
        }
    }
    Ok(Draft {
        format,
        title,
        body,
        issuer,
        doc_number: shaped.doc_number.map(|d| text::field_text(&d)),
        date: shaped.date,
        images,
        warnings,
    })
}

/// The file name without its folder and extension.
fn stem(file_name: &str) -> &str {
    let name = file_name.rsplit(['/', '\\']).next().unwrap_or(file_name);
    match name.rfind('.') {
        Some(i) if i > 0 => &name[..i],
        _ => name,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Docx,
    /// .xlsx, .xlsm.
    Xlsx,
    Csv,
    Pdf,
    Ofd,
}

/// What the file is. Its first bytes decide where they can (a renamed file is read as what it
/// is); a zip is told apart by its parts; an OLE compound file (legacy Office, WPS, and Office's
/// encrypted .docx/.xlsx) by its extension; text by its extension or media type.
fn detect(file_name: &str, media_type: Option<&str>, bytes: &[u8]) -> Result<Kind, ImportError> {
    let lower = file_name.to_lowercase();
    let ext = lower.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    let media = media_type.unwrap_or("").to_lowercase();
    let media = media.split(';').next().unwrap_or("").trim();
    let unknown = || ImportError::UnknownType {
        name: file_name.to_string(),
    };

    if bytes.starts_with(b"%PDF-") || (ext == "pdf" && find(bytes, b"%PDF-", 1024)) {
        return Ok(Kind::Pdf);
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        // Office encrypts a .docx or .xlsx into an OLE file holding an `EncryptedPackage`.
        let encrypted: Vec<u8> = "EncryptedPackage"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        if find(bytes, &encrypted, bytes.len()) {
            let format = if ext.starts_with("xls") {
                Format::Spreadsheet
            } else {
                Format::Docx
            };
            return Err(ImportError::Encrypted { format });
        }
        return match ext {
            "xls" | "xlsx" | "et" | "ett" => Err(ImportError::LegacySheet),
            "ppt" | "pptx" | "dps" => Err(unknown()),
            _ if media == "application/vnd.ms-excel" => Err(ImportError::LegacySheet),
            _ => Err(ImportError::LegacyWord),
        };
    }
    if bytes.starts_with(b"PK\x03\x04") {
        // The parts that name each kind of package; a look at the central directory only.
        let guess = match ext {
            "xlsx" | "xlsm" => Format::Spreadsheet,
            "ofd" => Format::Ofd,
            _ => Format::Docx,
        };
        let zip = package::Package::open(bytes, guess, 0)?;
        if zip.has("word/document.xml") {
            return Ok(Kind::Docx);
        }
        if zip.has("xl/workbook.xml") {
            return Ok(Kind::Xlsx);
        }
        if zip.has("OFD.xml") {
            return Ok(Kind::Ofd);
        }
        return Err(match ext {
            "docx" | "docm" => ImportError::Damaged {
                format: Format::Docx,
                defect: Defect::MissingPart("word/document.xml".into()),
            },
            "xlsx" | "xlsm" => ImportError::Damaged {
                format: Format::Spreadsheet,
                defect: Defect::MissingPart("xl/workbook.xml".into()),
            },
            "ofd" => ImportError::Damaged {
                format: Format::Ofd,
                defect: Defect::MissingPart("OFD.xml".into()),
            },
            _ => unknown(),
        });
    }
    match ext {
        "doc" | "wps" | "wpt" | "dot" => return Err(ImportError::LegacyWord),
        "et" | "ett" | "xls" => return Err(ImportError::LegacySheet),
        "csv" => return Ok(Kind::Csv),
        "docx" | "docm" => {
            return Err(ImportError::Damaged {
                format: Format::Docx,
                defect: Defect::NotZip,
            });
        }
        "xlsx" | "xlsm" => {
            return Err(ImportError::Damaged {
                format: Format::Spreadsheet,
                defect: Defect::NotZip,
            });
        }
        "ofd" => {
            return Err(ImportError::Damaged {
                format: Format::Ofd,
                defect: Defect::NotZip,
            });
        }
        "pdf" => return Err(ImportError::damaged(Format::Pdf, "no %PDF header")),
        _ => {}
    }
    match media {
        "text/csv" | "application/csv" => Ok(Kind::Csv),
        "application/msword" => Err(ImportError::LegacyWord),
        _ => Err(unknown()),
    }
}

/// Whether `needle` occurs in the first `within` bytes of `haystack`.
fn find(haystack: &[u8], needle: &[u8], within: usize) -> bool {
    let end = haystack.len().min(within.saturating_add(needle.len()));
    haystack[..end].windows(needle.len()).any(|w| w == needle)
}
