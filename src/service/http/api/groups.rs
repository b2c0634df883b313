//! Screen groups: their playlists (edits that change what residents read wait for review),
//! warning areas and the blackout switch.

use axum::Extension;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::service::domain::calendar;
use crate::service::domain::error::Error;
use crate::service::domain::groups::{self, GroupInfo};
use crate::service::domain::policy::{self, ReviewPolicy};
use crate::service::http::error::ErrorBody;
use crate::service::http::guard::{Answer, AppState, Body, Session, text_body};

#[utoipa::path(get, path = "/api/groups", tag = "groups",
    responses((status = 200, description = "Screen groups", body = [GroupInfo])),
    security(("session" = [])))]
pub async fn list_groups(State(service): State<AppState>) -> Answer<axum::Json<Vec<GroupInfo>>> {
    Ok(axum::Json(service.read(|conn, _| groups::list(conn))?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct NewGroup {
    pub name: String,
    /// The playlist, TOML as in `playlists/` (docs/feed.md).
    pub playlist: String,
}

#[utoipa::path(post, path = "/api/groups", tag = "groups", request_body = NewGroup,
    responses(
        (status = 201, description =
            "Created with a neutral header and no text of its own; `pending` names the change that \
            holds the playlist's name, ticker text and QR address until a second person approves i\
            t (null when it has none)", body = Object),
        (status = 422, description = "Invalid name or playlist; each problem names its field",
            body = ErrorBody)),
    security(("session" = [])))]
pub async fn create_group(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    Body(group): Body<NewGroup>,
) -> Answer<(StatusCode, axum::Json<serde_json::Value>)> {
    let outcome = service.change(|conn, now| {
        groups::create(conn, &session.user, &group.name, &group.playlist, now)
    })?;
    let pending = match outcome {
        groups::PlaylistOutcome::Pending(id) => Some(id),
        groups::PlaylistOutcome::Applied => None,
    };
    Ok((
        StatusCode::CREATED,
        axum::Json(serde_json::json!({ "pending": pending })),
    ))
}

#[utoipa::path(get, path = "/api/groups/{group}/playlist", tag = "groups",
    params(("group" = String, Path)),
    responses((status = 200, description = "The playlist TOML", body = String,
        content_type = "application/toml")),
    security(("session" = [])))]
pub async fn get_playlist(
    State(service): State<AppState>,
    Path(group): Path<String>,
) -> Answer<Response> {
    let text = service.read(|conn, _| groups::playlist_text(conn, &group))?;
    Ok((
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/toml; charset=utf-8"),
        )],
        text,
    )
        .into_response())
}

#[utoipa::path(put, path = "/api/groups/{group}/playlist", tag = "groups",
    params(("group" = String, Path)),
    request_body(content = String, content_type = "application/toml",
        description = "The new playlist"),
    responses(
        (status = 204, description = "Replaced; the group's feed carries it"),
        (status = 202, description =
            "It changes what residents read or scan (name, ticker text, public_url): waits for a se\
            cond person", body = groups::PlaylistOutcome),
        (status = 422, description = "Invalid: refused, the last good playlist stays",
            body = ErrorBody)),
    security(("session" = [])))]
pub async fn put_playlist(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    Path(group): Path<String>,
    request: Request,
) -> Answer<Response> {
    let text = text_body(request).await?;
    let outcome = service
        .change(|conn, now| groups::put_playlist(conn, &session.user, &group, &text, now))?;
    Ok(match outcome {
        groups::PlaylistOutcome::Applied => StatusCode::NO_CONTENT.into_response(),
        pending => (StatusCode::ACCEPTED, axum::Json(pending)).into_response(),
    })
}

#[utoipa::path(get, path = "/api/playlist-changes", tag = "groups",
    responses((status = 200, description = "Playlist edits waiting for a second person",
        body = [groups::PlaylistChange])),
    security(("session" = [])))]
pub async fn list_playlist_changes(
    State(service): State<AppState>,
) -> Answer<axum::Json<Vec<groups::PlaylistChange>>> {
    Ok(axum::Json(
        service.read(|conn, _| groups::pending_playlists(conn))?,
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct PlaylistReview {
    /// `true` to approve (the edit is applied), `false` to reject.
    pub approve: bool,
    /// Why, for a rejection (kept in the audit log).
    #[serde(default)]
    pub reason: String,
}

#[utoipa::path(post, path = "/api/playlist-changes/{id}/review", tag = "groups",
    params(("id" = i64, Path)), request_body = PlaylistReview,
    responses(
        (status = 204, description = "Approved (applied) or rejected"),
        (status = 403, description = "The edit's own author", body = ErrorBody),
        (status = 409, description = "Not waiting for review", body = ErrorBody)),
    security(("session" = [])))]
pub async fn review_playlist_change(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    Path(id): Path<i64>,
    Body(review): Body<PlaylistReview>,
) -> Answer<StatusCode> {
    service.change(|conn, now| {
        groups::review_playlist(conn, &session.user, id, review.approve, &review.reason, now)
    })?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Areas {
    /// Six-digit administrative area codes (行政区划代码), e.g. 330102.
    pub codes: Vec<String>,
}

#[utoipa::path(get, path = "/api/groups/{group}/areas", tag = "groups",
    params(("group" = String, Path)),
    responses((status = 200, description = "The group's area codes", body = Areas)),
    security(("session" = [])))]
pub async fn get_areas(
    State(service): State<AppState>,
    Path(group): Path<String>,
) -> Answer<axum::Json<Areas>> {
    let codes = service.read(|conn, _| {
        if !groups::exists(conn, &group)? {
            return Err(Error::NotFound(crate::model::Reason::NoGroupNamed {
                name: group.to_string(),
            }));
        }
        groups::areas(conn, &group)
    })?;
    Ok(axum::Json(Areas { codes }))
}

#[utoipa::path(put, path = "/api/groups/{group}/areas", tag = "groups", request_body = Areas,
    params(("group" = String, Path)),
    responses(
        (status = 204, description = "Replaced"),
        (status = 422, description = "A code is not six digits", body = ErrorBody)),
    security(("session" = [])))]
pub async fn put_areas(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    Path(group): Path<String>,
    Body(areas): Body<Areas>,
) -> Answer<StatusCode> {
    service
        .change(|conn, now| groups::set_areas(conn, &session.user, &group, &areas.codes, now))?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/api/groups/{group}/policy", tag = "groups",
    params(("group" = String, Path)),
    responses(
        (status = 200, description = "The group's review policy (提级审核)", body = ReviewPolicy),
        (status = 404, description = "No such group", body = ErrorBody)),
    security(("session" = [])))]
pub async fn get_policy(
    State(service): State<AppState>,
    Path(group): Path<String>,
) -> Answer<axum::Json<ReviewPolicy>> {
    let policy = service.read(|conn, _| {
        if !groups::exists(conn, &group)? {
            return Err(Error::NotFound(crate::model::Reason::NoGroupNamed {
                name: group.to_string(),
            }));
        }
        policy::get(conn, &group)
    })?;
    Ok(axum::Json(policy))
}

#[utoipa::path(put, path = "/api/groups/{group}/policy", tag = "groups",
    request_body = ReviewPolicy,
    params(("group" = String, Path)),
    responses(
        (status = 204, description = "Set; applies to every approval from now on"),
        (status = 422, description = "Reviews not 1 or 2, or a period ending before it starts",
            body = ErrorBody)),
    security(("session" = [])))]
pub async fn put_policy(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    Path(group): Path<String>,
    Body(new): Body<ReviewPolicy>,
) -> Answer<StatusCode> {
    // No feed changes: what waits for review waits for the policy's reviewers.
    service.record(|conn, now| policy::set(conn, &session.user, &group, &new, now))?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct BlackoutRequest {
    /// `true` puts the group's screens on the neutral standby page, `false` lifts it.
    pub on: bool,
    #[serde(default)]
    pub reason: String,
}

#[utoipa::path(post, path = "/api/groups/{group}/blackout", tag = "groups",
    request_body = BlackoutRequest, params(("group" = String, Path)),
    responses(
        (status = 204, description = "Done; the screens follow within seconds (long poll)"),
        (status = 409, description = "Already in that state", body = ErrorBody)),
    security(("session" = [])))]
pub async fn blackout(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    Path(group): Path<String>,
    Body(request): Body<BlackoutRequest>,
) -> Answer<StatusCode> {
    service.change(|conn, now| {
        groups::set_blackout(
            conn,
            &session.user,
            &group,
            request.on,
            &request.reason,
            now,
        )
    })?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/api/calendar", tag = "groups",
    responses((status = 200, description = "The working-day calendars a 公示期 is counted with",
        body = [calendar::YearInfo])),
    security(("session" = [])))]
pub async fn list_calendars(
    State(service): State<AppState>,
) -> Answer<axum::Json<Vec<calendar::YearInfo>>> {
    Ok(axum::Json(service.read(|conn, _| calendar::list(conn))?))
}

#[utoipa::path(put, path = "/api/calendar/{year}", tag = "groups",
    params(("year" = i32, Path)),
    request_body(content = String, content_type = "application/toml",
        description = "The year's holidays and worked weekend days, as in deploy/calendar/"),
    responses(
        (status = 204, description = "Replaced; audited"),
        (status = 422, description = "Invalid: refused, the calendar in force stays",
            body = ErrorBody)),
    security(("session" = [])))]
pub async fn put_calendar(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    Path(year): Path<i32>,
    request: Request,
) -> Answer<StatusCode> {
    let text = text_body(request).await?;
    service.record(|conn, now| calendar::put(conn, &session.user, year, &text, now))?;
    Ok(StatusCode::NO_CONTENT)
}
