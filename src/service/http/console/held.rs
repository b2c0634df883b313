//! No lost work: a notice form sent after its session ended (30 minutes idle, or 10 hours after
//! login) is kept by the service for the clerk who sent it, and given back in the form after
//! they log in again, unsaved, for them to check and save.
//!
//! Only what the clerk could have saved is kept: the form of a session that really was theirs
//! (ended within `sessions::ENDED_KEPT`), carrying that session's CSRF token, from an editor, to
//! the notice form's own addresses. It is never saved for them: they see it and decide.

use axum::Extension;
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use maud::html;

use super::error::Page;
use super::form::{Fields, NoticeForm};
use super::frame::layout;
use super::notice_pages::notice_form;
use super::{FORM_WITH_IMAGE, page, see};
use crate::service::domain::accounts::Role;
use crate::service::domain::passwords;
use crate::service::domain::sessions;
use crate::service::http::guard::{AppState, SESSION_COOKIE, Session, cookie, route_of};

/// The notice form's addresses: a new notice, and a saved one's.
const FORM_ROUTES: &[&str] = &["/console/notices", "/console/notices/{id}"];

/// Where the console sends a request without a live session: to the login page, keeping the
/// notice form it carries when its session has just ended.
pub async fn hold_or_login(service: &AppState, request: Request) -> Response {
    let login = || Redirect::to("/console/login").into_response();
    if request.method() != Method::POST || !FORM_ROUTES.contains(&route_of(&request).as_str()) {
        return login();
    }
    let Some(token) = cookie(request.headers(), SESSION_COOKIE) else {
        return login();
    };
    let Ok(Some((user, csrf))) =
        service.read(|conn, now| sessions::ended_session(conn, &token, now))
    else {
        return login();
    };
    if user.role != Role::Editor {
        return login();
    }
    let path = request.uri().path().to_string();
    let (parts, body) = request.into_parts();
    let content_type = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let Ok(bytes) = axum::body::to_bytes(body, FORM_WITH_IMAGE).await else {
        return login();
    };
    // The session's own form, not one another site made the browser send.
    let sent = Fields::read(Some(&content_type), &bytes)
        .map(|(fields, _)| fields.get("csrf").to_string())
        .unwrap_or_default();
    if !passwords::same_secret(&sent, &csrf) {
        return login();
    }
    let held = service.record(|conn, now| {
        sessions::hold_form(conn, &user, &token, (&path, &content_type, &bytes), now)
    });
    match held {
        Ok(()) => Redirect::to("/console/login?held=1").into_response(),
        Err(e) => {
            tracing::error!("keeping {}'s form: {e}", user.name);
            login()
        }
    }
}

/// The form kept for the user, given back unsaved (once); none: a new notice's form.
pub async fn held(State(service): State<AppState>, Extension(session): Extension<Session>) -> Page {
    let taken = service.record(|conn, now| sessions::take_held_form(conn, &session.user, now))?;
    let Some((path, content_type, body)) = taken else {
        return Ok(see("/console/notices/new"));
    };
    let (fields, upload) = Fields::read(Some(&content_type), &body)
        .map_err(|e| crate::service::domain::error::Error::Malformed(format!("the form: {e}")))?;
    let form = NoticeForm::from_fields(&fields);
    let title = if path == "/console/notices" {
        "写公告"
    } else {
        "修改公告"
    };
    let body = html! {
        p.notice role="status" {
            "登录超时后提交的内容已恢复，尚未保存：请核对后保存草稿。"
            @if upload.is_some() { "当时选择的图片未能保留，请重新选择。" }
        }
        (notice_form(&service, &path, &form, &session.csrf, &[]))
    };
    Ok(page(
        StatusCode::OK,
        layout(Some(&session.user), Some(&session.csrf), title, body),
    ))
}

/// Where the login page sends a user on: to their kept form, if one waits.
pub fn after_login(service: &AppState, user: &crate::service::domain::accounts::User) -> bool {
    service
        .read(|conn, now| sessions::has_held_form(conn, user, now))
        .unwrap_or(false)
}
