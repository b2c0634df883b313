//! The screen registry, and what screens send: heartbeats, plays, screenshots.

use axum::Extension;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::service::domain::error::Error;
use crate::service::domain::plays::{self, PlayAnswer, PlayUpload};
use crate::service::domain::screens::{self, Heartbeat, ScreenInfo};
use crate::service::http::error::ErrorBody;
use crate::service::http::guard::{Answer, AppState, Body, Session};

#[utoipa::path(get, path = "/api/screens", tag = "screens",
    responses((status = 200, description = "Every screen, online when heard from within 3 minutes",
        body = [ScreenInfo])),
    security(("session" = [])))]
pub async fn list_screens(State(service): State<AppState>) -> Answer<axum::Json<Vec<ScreenInfo>>> {
    let now = service.now();
    Ok(axum::Json(
        service.read(|conn, _| screens::list(conn, now))?,
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct NewScreen {
    pub id: String,
    pub group: String,
    /// The screen's name for staff, in Chinese (溪口村委会门口触摸屏).
    #[serde(default)]
    pub label: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ScreenToken {
    pub id: String,
    /// Shown this once: put it in the screen's player.toml.
    pub token: String,
}

#[utoipa::path(post, path = "/api/screens", tag = "screens", request_body = NewScreen,
    responses(
        (status = 201, description = "Enrolled", body = ScreenToken),
        (status = 409, description = "Already enrolled", body = ErrorBody)),
    security(("session" = [])))]
pub async fn add_screen(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    Body(screen): Body<NewScreen>,
) -> Answer<(StatusCode, axum::Json<ScreenToken>)> {
    let token = service.change(|conn, now| {
        let token = screens::add(conn, &session.user.name, &screen.id, &screen.group, now)?;
        if let Some(label) = &screen.label {
            screens::set_label(conn, &session.user.name, &screen.id, label, now)?;
        }
        Ok(token)
    })?;
    Ok((
        StatusCode::CREATED,
        axum::Json(ScreenToken {
            id: screen.id,
            token,
        }),
    ))
}

#[utoipa::path(post, path = "/api/screens/{id}/token", tag = "screens",
    params(("id" = String, Path)),
    responses((status = 200, description = "A new token; the old one no longer works",
        body = ScreenToken)),
    security(("session" = [])))]
pub async fn screen_token(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    Path(id): Path<String>,
) -> Answer<axum::Json<ScreenToken>> {
    let now = service.now();
    let token = service.record(|conn, _| screens::new_token(conn, &session.user, &id, now))?;
    Ok(axum::Json(ScreenToken { id, token }))
}

#[utoipa::path(post, path = "/api/screens/{id}/heartbeat", tag = "screens",
    request_body = Heartbeat,
    params(("id" = String, Path)),
    responses(
        (status = 200, description = "Recorded", body = HeartbeatAnswer),
        (status = 401, description = "No or unknown token", body = ErrorBody),
        (status = 403, description = "The token is another screen's", body = ErrorBody)),
    security(("screen" = [])))]
pub async fn heartbeat(
    State(service): State<AppState>,
    Path(id): Path<String>,
    Body(beat): Body<Heartbeat>,
) -> Answer<axum::Json<HeartbeatAnswer>> {
    let now = service.now();
    let screenshot = service.record(|conn, _| screens::heartbeat(conn, &id, &beat, now))?;
    Ok(axum::Json(HeartbeatAnswer {
        ok: true,
        screenshot,
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HeartbeatAnswer {
    pub ok: bool,
    /// Staff asked what the screen shows: upload a screenshot (`POST .../screenshot`).
    pub screenshot: bool,
}

#[utoipa::path(post, path = "/api/screens/{id}/screenshot", tag = "screens",
    params(("id" = String, Path)),
    request_body(content = Vec<u8>, content_type = "image/png",
        description = "What the screen shows now"),
    responses(
        (status = 204, description = "Stored as the screen's latest screenshot"),
        (status = 422, description = "Not a PNG", body = ErrorBody)),
    security(("screen" = [])))]
pub async fn upload_screenshot(
    State(service): State<AppState>,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> Answer<StatusCode> {
    let now = service.now();
    service.record(|conn, _| screens::store_screenshot(conn, &id, &body, now))?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/screens/{id}/screenshot/request", tag = "screens",
    params(("id" = String, Path)),
    responses(
        (status = 202, description =
            "Asked; the screen sends one after its next heartbeat (within about a minute)"),
        (status = 404, description = "No such screen", body = ErrorBody)),
    security(("session" = [])))]
pub async fn request_screenshot(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    Path(id): Path<String>,
) -> Answer<StatusCode> {
    let now = service.now();
    service.record(|conn, _| screens::request_screenshot(conn, &session.user, &id, now))?;
    Ok(StatusCode::ACCEPTED)
}

#[utoipa::path(get, path = "/api/screens/{id}/screenshot", tag = "screens",
    params(("id" = String, Path)),
    responses(
        (status = 200, description = "The latest screenshot (PNG); X-Taken-At says when it arrived",
            content_type = "image/png"),
        (status = 404, description = "None yet", body = ErrorBody)),
    security(("session" = [])))]
pub async fn get_screenshot(
    State(service): State<AppState>,
    Path(id): Path<String>,
) -> Answer<Response> {
    let (taken_at, png) = service.read(|conn, _| screens::screenshot(conn, &id))?;
    let taken =
        HeaderValue::from_str(&taken_at).map_err(|e| Error::Internal(format!("header: {e}")))?;
    Ok((
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("image/png")),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        [("x-taken-at", taken)],
        png,
    )
        .into_response())
}

#[utoipa::path(post, path = "/api/screens/{id}/plays", tag = "screens",
    request_body(content = PlayUpload, description =
        "The records, or (a screen with a device key) a DSSE envelope of them signed by it, payload\
        Type application/vnd.noticecast.plays+json"),
    params(("id" = String, Path)),
    responses(
        (status = 200, description = "Counted; records seen before are not counted again",
            body = PlayAnswer),
        (status = 401, description = "No or unknown token", body = ErrorBody),
        (status = 403, description =
            "The token is another screen's, or the upload is not signed by the screen's pinned devi\
            ce key", body = ErrorBody)),
    security(("screen" = [])))]
pub async fn plays(
    State(service): State<AppState>,
    Path(id): Path<String>,
    Body(upload): Body<serde_json::Value>,
) -> Answer<axum::Json<PlayAnswer>> {
    // Per screen: a screen uploads a batch a minute, more while it catches up after being
    // offline; a flood (30,000 rows a second was seen) is turned away before the database.
    service.admit_upload(&id)?;
    let answer = service.record(|conn, now| plays::receive_plays(conn, &id, &upload, now))?;
    Ok(axum::Json(answer))
}

/// The device key a security administrator confirms, by its id as the screen shows it.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ConfirmKey {
    pub key_id: String,
}

#[utoipa::path(post, path = "/api/screens/{id}/device-key/confirm", tag = "screens",
    params(("id" = String, Path)),
    request_body = ConfirmKey,
    responses(
        (status = 204, description =
            "Confirmed: plays signed by this key count from now on; audited"),
        (status = 202, description =
            "The screen has not presented that key yet: it is confirmed when its heartbeat brings i\
            t; audited"),
        (status = 422, description = "Not a key id (16 hex digits)", body = ErrorBody),
        (status = 404, description = "No such screen", body = ErrorBody),
        (status = 409, description = "Another key is confirmed: reset it first", body = ErrorBody)),
    security(("session" = [])))]
pub async fn confirm_device_key(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    Path(id): Path<String>,
    Body(body): Body<ConfirmKey>,
) -> Answer<StatusCode> {
    let confirmed = service.record(|conn, now| {
        screens::confirm_device_key(conn, &session.user, &id, &body.key_id, now)
    })?;
    Ok(match confirmed {
        screens::Confirmation::Confirmed => StatusCode::NO_CONTENT,
        screens::Confirmation::Awaited => StatusCode::ACCEPTED,
    })
}

#[utoipa::path(post, path = "/api/screens/{id}/device-key/reset", tag = "screens",
    params(("id" = String, Path)),
    responses(
        (status = 204, description =
            "Forgotten with the keys awaiting confirmation: the screen's next heartbeat presents it\
            s (new) device key for confirmation; audited"),
        (status = 404, description = "No such screen", body = ErrorBody)),
    security(("session" = [])))]
pub async fn reset_device_key(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    Path(id): Path<String>,
) -> Answer<StatusCode> {
    service.record(|conn, now| screens::reset_device_key(conn, &session.user, &id, now))?;
    Ok(StatusCode::NO_CONTENT)
}
