//! 导入文件 on the 写公告 page: a file input that posts the file (no script), answered with the
//! notice form filled from the draft (`domain::imports`) and the import's warnings above it.
//! Nothing is saved but the file's images: the editor checks the form and saves it as usual.

use axum::Extension;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use maud::{Markup, html};

use super::error::Page;
use super::form::{Fields, FigureForm, NoticeForm};
use super::frame::layout;
use super::notice_pages::{blank_form, import_form, notice_form};
use super::page;
use crate::model::Reason;
use crate::service::domain::error::Error;
use crate::service::domain::imports::{self, ImportedDraft, Upload};
use crate::service::http::guard::{AppState, Session};

const TITLE: &str = "写公告";

pub async fn import(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    headers: HeaderMap,
    body: Bytes,
) -> Page {
    let content_type = headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    let (_, upload) = Fields::read(content_type, &body)
        .map_err(|e| Error::Malformed(format!("the form: {e}")))?;
    let blank = blank_form(service.now());
    let Some(upload) = upload else {
        let refused = refusal(&Reason::ImportRefused {
            en: "no file was chosen".into(),
            zh: "请先选择要导入的文件".into(),
        });
        return Ok(answer(
            &service,
            &session,
            StatusCode::UNPROCESSABLE_ENTITY,
            refused,
            &blank,
        ));
    };
    let file_name = upload.file_name.clone();
    let upload = Upload {
        file_name: upload.file_name,
        media_type: Some(upload.media_type).filter(|m| !m.is_empty()),
        bytes: upload.bytes,
    };
    match imports::import(&service, &session.user, upload).await {
        Ok(draft) => {
            let form = filled(blank, &draft);
            let told = told(&file_name, &draft);
            Ok(answer(&service, &session, StatusCode::OK, told, &form))
        }
        Err(Error::Invalid(problems)) => {
            let refused = html! { @for p in &problems { (refusal(&p.reason)) } };
            Ok(answer(
                &service,
                &session,
                StatusCode::UNPROCESSABLE_ENTITY,
                refused,
                &blank,
            ))
        }
        Err(e) => Err(e.into()),
    }
}

/// The 写公告 page: the import form, what the import said, and the notice form.
fn answer(
    service: &AppState,
    session: &Session,
    status: StatusCode,
    said: Markup,
    form: &NoticeForm,
) -> axum::response::Response {
    let body = html! {
        (import_form(&session.csrf))
        (said)
        (notice_form(service, "/console/notices", form, &session.csrf, &[]))
    };
    page(
        status,
        layout(Some(&session.user), Some(&session.csrf), TITLE, body),
    )
}

/// The blank form with the draft's fields: the rest (category, groups, times) is the editor's.
fn filled(blank: NoticeForm, draft: &ImportedDraft) -> NoticeForm {
    NoticeForm {
        title: draft.title.clone(),
        body: draft.body.clone(),
        issuer: draft.issuer.clone(),
        doc_number: draft.doc_number.clone().unwrap_or_default(),
        figures: draft
            .figures
            .iter()
            .map(|f| FigureForm::of(&f.asset, &f.caption, &f.alt))
            .collect(),
        ..blank
    }
}

/// What the import read, and its warnings: shown above the form until it is saved.
fn told(file_name: &str, draft: &ImportedDraft) -> Markup {
    let class = if draft.warnings.is_empty() {
        "notice import-result"
    } else {
        "warn import-result"
    };
    html! {
        div class=(class) role="status" {
            p {
                "已导入“" (file_name) "”：" (draft.figures.len()) " 张图片。"
                "请核对下面的内容，选择类别、生效时间和发布到的屏幕组后保存；保存之前不会存为公告。"
            }
            @if let Some(date) = draft.date {
                p { "文件的落款日期：" (date.format("%Y年%-m月%-d日")) }
            }
            @if !draft.warnings.is_empty() {
                p { strong { "请注意：" } }
                ul {
                    @for w in &draft.warnings {
                        li.import-warning data-kind=(w.kind) { (w.message) }
                    }
                }
            }
        }
    }
}

/// Why a file was not imported, in Chinese.
fn refusal(reason: &Reason) -> Markup {
    html! {
        div.error role="alert" {
            p { strong { "文件未能导入：" } (reason.zh()) }
        }
    }
}
