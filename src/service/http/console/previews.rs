//! The console's preview pictures: a revision on a group's screen, and the live preview of the
//! notice form as it is being written.

use super::form::{Fields, NoticeForm};
use crate::model::{Notice, Problem, Timestamp};
use crate::service::domain::error::Error;
use crate::service::domain::notices::{self, NoticeInput};
use crate::service::domain::preview::Asker;
use crate::service::domain::{assets, groups};
use crate::service::http::error::HttpError;
use crate::service::http::guard::{AppState, Session};
use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

pub(super) fn preview_notice(id: &str, input: &NoticeInput, now: Timestamp) -> Notice {
    input.to_notice(id, now)
}

fn png(preview: crate::service::domain::preview::Preview) -> Response {
    let mut response = (
        [(header::CONTENT_TYPE, HeaderValue::from_static("image/png"))],
        preview.png,
    )
        .into_response();
    let h = response.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert("x-noticecast-page", HeaderValue::from(preview.page));
    h.insert("x-noticecast-pages", HeaderValue::from(preview.pages));
    response
}

fn no_preview(why: String) -> Response {
    (StatusCode::SERVICE_UNAVAILABLE, why).into_response()
}

#[derive(Deserialize)]
pub struct PreviewQuery {
    page: Option<usize>,
}

pub async fn revision_preview(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    Path((id, number, group)): Path<(String, i64, String)>,
    Query(q): Query<PreviewQuery>,
) -> Result<Response, HttpError> {
    let (notice, playlist) = service.read(|conn, _now| {
        notices::get(conn, &id).and_then(|n| Ok((n, groups::playlist(conn, &group)?)))
    })?;
    let Some(revision) = notice.revisions.iter().find(|r| r.number == number) else {
        return Err(Error::NotFound(crate::model::Reason::Detail(format!(
            "notice {id} has no revision {number}"
        )))
        .into());
    };
    let at = revision
        .reviewed_at
        .as_deref()
        .and_then(|t| Timestamp::parse_from_rfc3339(t).ok())
        .unwrap_or_else(|| service.now());
    let asker = Asker {
        user: session.user.id,
        view: format!("revision:{id}:{number}:{group}"),
    };
    let notice = preview_notice(&id, &revision.content, at);
    let figures = service.read(|conn, _| assets::figure_files(conn, &notice.figures))?;
    match service
        .previews
        .render(Some(asker), notice, playlist, q.page.unwrap_or(1), figures)
        .await
    {
        Ok(p) => Ok(png(p)),
        Err(why) => Ok(no_preview(why.to_string())),
    }
}

/// The live preview while writing: the form as it stands, on one group's screen.
pub async fn live_preview(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    body: Bytes,
) -> Result<Response, HttpError> {
    let fields = Fields::parse(&body);
    let group = fields.get("preview_group").to_string();
    let page = fields.get("page").parse().unwrap_or(1);
    let form = NoticeForm::from_fields(&fields);
    let mut input = match form.to_input() {
        Ok(i) => i,
        Err(problems) => return Ok(unpreviewable(&problems)),
    };
    // Previewed on the chosen group whatever the targets say; targets are checked on saving.
    input.groups = vec![group.clone()];
    let now = service.now();
    let checked = service.read(|conn, _| notices::validate(conn, &input, now));
    if let Err(e) = checked {
        return match e {
            Error::Invalid(problems) => Ok(unpreviewable(&problems)),
            other => Err(other.into()),
        };
    }
    let playlist = service.read(|conn, _| groups::playlist(conn, &group))?;
    // Each keystroke's preview replaces the one before while it waits (`preview::Queue`).
    let asker = Asker {
        user: session.user.id,
        view: "live".into(),
    };
    let notice = preview_notice("preview", &input, now);
    let figures = service.read(|conn, _| assets::figure_files(conn, &notice.figures))?;
    match service
        .previews
        .render(Some(asker), notice, playlist, page, figures)
        .await
    {
        Ok(p) => Ok(png(p)),
        Err(why) => Ok(no_preview(why.to_string())),
    }
}

fn unpreviewable(problems: &[Problem]) -> Response {
    let lines: Vec<String> = problems
        .iter()
        .map(|p| {
            // Staff read the field's name and the reason in Chinese; the path only where the form
            // has no name for it.
            let label = super::form::field_label(&p.path);
            let field = if label.is_empty() {
                p.path.as_str()
            } else {
                label
            };
            format!("{field}：{}", p.reason.zh())
        })
        .collect();
    (
        StatusCode::UNPROCESSABLE_ENTITY,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; charset=utf-8"),
        )],
        lines.join("\n"),
    )
        .into_response()
}
