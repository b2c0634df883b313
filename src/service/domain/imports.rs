//! A file staff already have (Word .docx, Excel .xlsx, CSV, PDF, OFD) read into a draft for the
//! notice form: `crate::import` reads it on a blocking thread within a time limit, each image it
//! yields is cleaned and kept like an upload (`assets::clean`, `assets::keep`) and named as a
//! figure, and the import is audited. Nothing here writes a notice: the draft goes back to the
//! editor, who saves it through the notices door like anything typed.
//!
//! The file is read with no database lock held (a PDF's pages are rasterised, which takes
//! seconds); the lock is taken only to keep the images and write the audit entry.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;

use crate::import::{self, Draft, Field, Format, ImportError, ImportWarning};
use crate::layout::Fonts;
use crate::model::personal::PersonalKind;
use crate::model::{MAX_ALT_CHARS, MAX_CAPTION_CHARS, MAX_FIGURES, Reason, Timestamp};
use crate::service::domain::accounts::{Role, User};
use crate::service::domain::assets::{self, Cleaned};
use crate::service::domain::audit;
use crate::service::domain::error::Error;
use crate::service::domain::state::Service;
use crate::service::domain::storage::Conn;

/// The largest file taken: a 公文 with photographs, or a PDF of 60 scanned pages.
pub const MAX_IMPORT_BYTES: usize = 50 * 1024 * 1024;
/// How long reading one file may take; past it the editor is told to split the file. The
/// blocking thread cannot be stopped and finishes on its own; its result is dropped.
pub const TIME_LIMIT: Duration = Duration::from_secs(60);
/// Files read at once; more wait their turn (for as long as one may take to read). Reading a
/// hostile PDF is seconds of a core's work, and a read past its time limit cannot be stopped:
/// its permit is held by the blocking thread until it ends, so such files never take more than
/// this many of the runtime's blocking threads.
pub const AT_ONCE: usize = 2;
static READING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(AT_ONCE);
/// The file types a file input offers (the importer decides by the bytes either way).
pub const ACCEPT: &str = ".docx,.xlsx,.csv,.pdf,.ofd";
/// The font drawn where a PDF does not embed its Chinese font.
const FALLBACK_FONT: &str = "NotoSansSC-Regular.ttf";

/// A draft for the notice form: never a notice, never published.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct ImportedDraft {
    /// What the file was read as: `docx`, `xlsx`, `csv`, `pdf` or `ofd`.
    pub format: String,
    pub title: String,
    /// In the notice's body format: paragraphs separated by a blank line; a table is
    /// consecutive lines of tab-separated cells, its first row the header.
    pub body: String,
    /// The issuing office from the 落款; empty where none was found (a warning says so).
    pub issuer: String,
    /// The 文号 as written.
    pub doc_number: Option<String>,
    /// The date of the 落款 (YYYY-MM-DD).
    #[schema(value_type = Option<String>, format = Date)]
    pub date: Option<NaiveDate>,
    /// The file's images, each kept as an asset (`GET /assets/{sha256}`), in order: what a
    /// notice's `figures` takes as it is.
    pub figures: Vec<DraftFigure>,
    /// What the editor must look at before saving, in Chinese.
    pub warnings: Vec<DraftWarning>,
}

/// An image of the file, kept as an asset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct DraftFigure {
    /// The SHA-256 of the asset kept.
    pub asset: String,
    /// The caption paragraph that followed it, its alternative text, or `第 N 页`.
    pub caption: Option<String>,
    /// The caption again: the editor should describe the picture better.
    pub alt: Option<String>,
}

/// Something the import did only in part, or found that staff must look at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct DraftWarning {
    /// `personal`, `fonts_not_embedded`, `no_text`, `page_not_drawn`, `layout_not_kept`,
    /// `image_skipped`, `title_from_file_name`, `no_issuer`, `other_sheets`, `too_many_figures`.
    pub kind: String,
    /// The sentence shown to the editor.
    pub message: String,
    /// The field it is about: `title`, `body` or `issuer`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// For a personal number: where it starts, in characters from 1.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at: Option<usize>,
    /// For a personal number: the number as a 公示 may show it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub masked: Option<String>,
    /// For a personal number: `id_number`, `bank_card` or `mobile`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
}

impl DraftWarning {
    fn new(kind: &str, message: String) -> DraftWarning {
        DraftWarning {
            kind: kind.into(),
            message,
            field: None,
            at: None,
            masked: None,
            number: None,
        }
    }
}

/// A file as the editor sent it.
pub struct Upload<B> {
    /// As the browser or client named it; decides where the first bytes cannot.
    pub file_name: String,
    /// As sent (`Content-Type`); the last thing that decides.
    pub media_type: Option<String>,
    pub bytes: B,
}

/// Reads `upload` into a draft for `actor`, who writes notices: its images kept as assets.
pub async fn import<B>(
    service: &Service,
    actor: &User,
    upload: Upload<B>,
) -> Result<ImportedDraft, Error>
where
    B: AsRef<[u8]> + Send + 'static,
{
    actor.require(&[Role::Editor], "import files for notices")?;
    let size = upload.bytes.as_ref().len();
    if size > MAX_IMPORT_BYTES {
        return Err(too_large(size));
    }
    let options = import::Options {
        fallback_font: fallback_font(service.options.fonts.as_deref()),
        ..import::Options::default()
    };
    let limit = service.options.import_time_limit.unwrap_or(TIME_LIMIT);
    let too_slow = || {
        Error::invalid(
            "file",
            Reason::ImportTooSlow {
                seconds: limit.as_secs(),
            },
        )
    };
    let busy = Error::Busy { retry_after_s: 10 };
    // A district's share first (one), then the process's.
    let here = match &service.importing {
        Some(share) => match tokio::time::timeout(limit, share.clone().acquire_owned()).await {
            Ok(Ok(permit)) => Some(permit),
            Ok(Err(_)) | Err(_) => return Err(busy),
        },
        None => None,
    };
    let permit = match tokio::time::timeout(limit, READING.acquire()).await {
        Ok(Ok(permit)) => permit,
        Ok(Err(_)) | Err(_) => return Err(Error::Busy { retry_after_s: 10 }),
    };
    let name = upload.file_name.clone();
    let work = tokio::task::spawn_blocking(move || {
        let _reading = (permit, here);
        read(&options, &upload)
    });
    let (draft, cleaned) = match tokio::time::timeout(limit, work).await {
        Err(_) => return Err(too_slow()),
        Ok(joined) => joined.map_err(|e| Error::Internal(format!("reading {name:?}: {e}")))??,
    };
    service.record(|conn, now| {
        keep(
            conn,
            actor,
            (&name, size),
            draft,
            cleaned,
            |sha| service.asset_url(sha),
            now,
        )
    })
}

/// The draft and each of its images cleaned (or why not): the work with no lock held.
fn read<B: AsRef<[u8]>>(
    options: &import::Options,
    upload: &Upload<B>,
) -> Result<(Draft, Vec<Result<Cleaned, Error>>), Error> {
    let draft = import::import_with(
        options,
        &upload.file_name,
        upload.media_type.as_deref(),
        upload.bytes.as_ref(),
    )
    .map_err(|e| refused(&e))?;
    let cleaned = draft
        .images
        .iter()
        .take(MAX_FIGURES)
        .map(|image| assets::clean(&image.media_type, &image.bytes))
        .collect();
    Ok((draft, cleaned))
}

fn refused(e: &ImportError) -> Error {
    Error::invalid(
        "file",
        Reason::ImportRefused {
            en: e.to_string(),
            zh: e.zh(),
        },
    )
}

/// A file over `MAX_IMPORT_BYTES` (one the edges' body limits let through).
fn too_large(size: usize) -> Error {
    const MB: usize = 1024 * 1024;
    Error::invalid(
        "file",
        Reason::ImportRefused {
            en: format!("the file has {size} bytes, more than the {MAX_IMPORT_BYTES} taken"),
            zh: format!(
                "文件有 {:.1} MB，超过 {} MB 的导入上限；请删去大图片或拆分文件后再导入",
                size as f64 / MB as f64,
                MAX_IMPORT_BYTES / MB
            ),
        },
    )
}

/// Keeps the draft's images as assets (each audited as an upload when new), names them as
/// figures, and audits the import.
fn keep(
    conn: &Conn,
    actor: &User,
    (name, size): (&str, usize),
    draft: Draft,
    cleaned: Vec<Result<Cleaned, Error>>,
    url_of: impl Fn(&str) -> String,
    now: Timestamp,
) -> Result<ImportedDraft, Error> {
    let mut warnings: Vec<DraftWarning> = draft.warnings.iter().map(warning).collect();
    let mut figures = Vec::new();
    for (n, (image, cleaned)) in draft.images.iter().zip(cleaned).enumerate() {
        match cleaned {
            Ok(cleaned) => {
                let kept = assets::keep(conn, actor, cleaned, &url_of, now)?;
                let caption = clip(&image.caption, MAX_CAPTION_CHARS);
                let alt = clip(&image.caption, MAX_ALT_CHARS);
                figures.push(DraftFigure {
                    asset: kept.sha256,
                    caption,
                    alt,
                });
            }
            Err(Error::Invalid(problems)) => {
                let why: Vec<String> = problems.iter().map(|p| p.reason.zh()).collect();
                let what = match image.caption.as_str() {
                    "" => format!("第 {} 张图片", n + 1),
                    caption => format!("“{caption}”"),
                };
                warnings.push(DraftWarning::new(
                    "image_skipped",
                    format!("{what}未导入：{}", why.join("；")),
                ));
            }
            Err(e) => return Err(e),
        }
    }
    if draft.images.len() > MAX_FIGURES {
        warnings.push(DraftWarning::new(
            "too_many_figures",
            format!(
                "文件中有 {} 张图片，每条公告至多 {MAX_FIGURES} 张，只导入了前 {MAX_FIGURES} 张",
                draft.images.len()
            ),
        ));
    }
    let format = format_name(draft.format);
    let shown: String = name.chars().take(200).collect();
    audit::record(
        conn,
        now,
        &actor.name,
        audit::Action::DocumentImport,
        &format!("file {shown}"),
        &format!(
            "{format}, {size} bytes: {} figures, {} warnings",
            figures.len(),
            warnings.len()
        ),
    )?;
    Ok(ImportedDraft {
        format: format.into(),
        title: draft.title,
        body: draft.body,
        issuer: draft.issuer,
        doc_number: draft.doc_number,
        date: draft.date,
        figures,
        warnings,
    })
}

/// The text within `max` characters; none if empty.
fn clip(text: &str, max: usize) -> Option<String> {
    let text: String = text.trim().chars().take(max).collect();
    (!text.is_empty()).then_some(text)
}

fn format_name(format: Format) -> &'static str {
    match format {
        Format::Docx => "docx",
        Format::Spreadsheet => "xlsx",
        Format::Csv => "csv",
        Format::Pdf => "pdf",
        Format::Ofd => "ofd",
    }
}

fn field_name(field: Field) -> &'static str {
    match field {
        Field::Title => "title",
        Field::Body => "body",
        Field::Issuer => "issuer",
    }
}

/// An importer's warning as the API and the console give it.
pub fn warning(w: &ImportWarning) -> DraftWarning {
    let kind = match w {
        ImportWarning::Personal { .. } => "personal",
        ImportWarning::FontsNotEmbedded { .. } => "fonts_not_embedded",
        ImportWarning::NoText => "no_text",
        ImportWarning::PageNotDrawn { .. } => "page_not_drawn",
        ImportWarning::LayoutNotKept => "layout_not_kept",
        ImportWarning::ImageSkipped { .. } => "image_skipped",
        ImportWarning::TitleFromFileName => "title_from_file_name",
        ImportWarning::NoIssuer => "no_issuer",
        ImportWarning::OtherSheets { .. } => "other_sheets",
    };
    let mut out = DraftWarning::new(kind, w.zh());
    if let ImportWarning::Personal {
        kind,
        field,
        at,
        masked,
    } = w
    {
        out.field = Some(field_name(*field).into());
        out.at = Some(*at);
        out.masked = Some(masked.clone());
        out.number = Some(
            match kind {
                PersonalKind::IdNumber => "id_number",
                PersonalKind::BankCard => "bank_card",
                PersonalKind::Mobile => "mobile",
            }
            .into(),
        );
    }
    out
}

/// The bundled CJK font, read once per font folder: drawn where a PDF does not embed its font.
/// Without it the import still works; those characters are blank on the page images (and the
/// warning says so).
fn fallback_font(dir: Option<&std::path::Path>) -> Option<Arc<Vec<u8>>> {
    static CACHE: Mutex<Option<(PathBuf, Arc<Vec<u8>>)>> = Mutex::new(None);
    let path = match Fonts::locate(dir) {
        Ok(dir) => dir.join(FALLBACK_FONT),
        Err(e) => {
            tracing::warn!("import: no fallback font: {e}");
            return None;
        }
    };
    let mut cache = CACHE.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((cached, bytes)) = cache.as_ref()
        && *cached == path
    {
        return Some(bytes.clone());
    }
    match std::fs::read(&path) {
        Ok(bytes) => {
            let bytes = Arc::new(bytes);
            *cache = Some((path, bytes.clone()));
            Some(bytes)
        }
        Err(e) => {
            tracing::warn!("import: no fallback font {}: {e}", path.display());
            None
        }
    }
}
