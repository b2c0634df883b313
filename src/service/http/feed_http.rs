//! The machine endpoints without credentials: the signed feeds screens poll (`/feed/{group}`,
//! long-polled with `?wait=`), the keys they trust (`/feed/keys`), the images feeds list
//! (`/assets/{sha256}`) and `/healthz`.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use utoipa_axum::routes;

use crate::service::domain::error::Error;
use crate::service::domain::keys;
use crate::service::http::error::ErrorBody;
use crate::service::http::guard::{Access, Answer, AppState, Route};

pub fn routes() -> Vec<Route> {
    vec![
        Route::documented(Access::Public, routes!(healthz)),
        Route::documented(Access::Public, routes!(feed_keys)),
        Route::documented(Access::Public, routes!(feed)),
        Route::documented(Access::Public, routes!(asset)),
    ]
}

/// Nothing to guard: every route here is public.
pub fn router() -> Router<AppState> {
    crate::service::http::guard::unguarded(routes())
}

#[utoipa::path(get, path = "/healthz", tag = "service",
    responses((status = 200, description = "The service runs", body = String)))]
async fn healthz() -> &'static str {
    "ok"
}

#[utoipa::path(get, path = "/feed/keys", tag = "feeds",
    responses((status = 200, description = "The keys feeds are signed with", body = keys::Keys)))]
async fn feed_keys(State(service): State<AppState>) -> axum::Json<keys::Keys> {
    axum::Json(service.public_keys())
}

/// `?wait=SEQ`: hold the request until the group's feed passes sequence SEQ.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FeedWait {
    /// The sequence the screen has: the answer comes when a newer feed exists (200), or after
    /// the long-poll time with 304.
    pub wait: Option<u64>,
}

/// Says that this server holds `?wait=` requests, and for how many seconds: a screen long-polls
/// only where it sees this (a static mirror ignores the query).
pub const LONG_POLL_HEADER: &str = "x-noticecast-long-poll";

#[utoipa::path(get, path = "/feed/{group}", tag = "feeds",
    params(("group" = String, Path, description = "The screen group"), FeedWait),
    responses(
        (status = 200, description = "The signed DSSE envelope of the group's feed (docs/feed.md)"),
        (status = 304, description =
            "Unchanged since the ETag sent in If-None-Match, or no newer feed than `wait` within th\
            e long-poll time"),
        (status = 404, description = "No such group", body = ErrorBody),
        (status = 503, description =
            "`wait` given and the most long polls the service holds are held (`serve --max-waiters`\
            ): ask again after Retry-After seconds", body = ErrorBody)))]
async fn feed(
    State(service): State<AppState>,
    Path(group): Path<String>,
    Query(wait): Query<FeedWait>,
    headers: HeaderMap,
) -> Answer<Response> {
    let long_poll = HeaderValue::from(
        service
            .options
            .long_poll
            .unwrap_or(crate::service::domain::state::LONG_POLL)
            .as_secs(),
    );
    let published = match wait.wait {
        None => service.feed(&group)?,
        Some(seen) => {
            let current = service.feed(&group)?;
            if current.sequence > seen {
                // Newer already: answered at once, no wait to hold.
                current
            } else {
                // Held from here: a slot while it waits, or 503 past the cap, so that waiting
                // screens never take the descriptors the console, the API and the warning
                // system need. The 503 carries no long-poll header: a screen asks next time
                // with a plain poll, after its backoff (docs/service.md).
                let Some(_slot) = service.waiters.enter() else {
                    tracing::debug!(
                        "long poll for {group} refused: {} held",
                        service.waiters.held()
                    );
                    return Err(Error::Busy {
                        retry_after_s: crate::service::http::capacity::RETRY_AFTER_S,
                    }
                    .into());
                };
                match service.newer_feed(&group, seen).await? {
                    Some(published) => published,
                    None => {
                        let published = service.feed(&group)?;
                        let etag = HeaderValue::from_str(&published.etag)
                            .map_err(|e| Error::Internal(format!("etag: {e}")))?;
                        return Ok((
                            StatusCode::NOT_MODIFIED,
                            [
                                (header::ETAG, etag),
                                (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
                                (header::HeaderName::from_static(LONG_POLL_HEADER), long_poll),
                            ],
                        )
                            .into_response());
                    }
                }
            }
        }
    };
    let etag = HeaderValue::from_str(&published.etag)
        .map_err(|e| Error::Internal(format!("etag: {e}")))?;
    let matches = headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|tag| {
            let tag = tag.trim();
            tag == "*" || tag == published.etag
        });
    let cache = HeaderValue::from_static("no-cache");
    let long_poll_name = header::HeaderName::from_static(LONG_POLL_HEADER);
    if matches && wait.wait.is_none() {
        return Ok((
            StatusCode::NOT_MODIFIED,
            [
                (header::ETAG, etag),
                (header::CACHE_CONTROL, cache),
                (long_poll_name, long_poll),
            ],
        )
            .into_response());
    }
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            ),
            (header::ETAG, etag),
            (header::CACHE_CONTROL, cache),
            (long_poll_name, long_poll),
        ],
        published.body.clone(),
    )
        .into_response())
}

#[utoipa::path(get, path = "/assets/{sha256}", tag = "feeds",
    params(("sha256" = String, Path, description = "The SHA-256 of the file (64 lowercase hex)")),
    responses(
        (status = 200, description = "The file, as feeds list it (image/png or image/jpeg); the \
            same name is always the same bytes, so it is cached for a year. A file no current \
            feed lists (a draft's figure) is served only to staff with a session, not cached"),
        (status = 404, description = "No such asset, or none a feed lists", body = ErrorBody)))]
async fn asset(
    State(service): State<AppState>,
    Path(sha256): Path<String>,
    headers: axum::http::HeaderMap,
) -> Answer<Response> {
    let missing = |sha256: String| Error::NotFound(crate::model::Reason::NoSuchAsset { sha256 });
    if !crate::model::is_sha256_hex(&sha256) {
        return Err(missing(sha256).into());
    }
    // A file a feed lists is anyone's (screens fetch it without a session); any other only
    // staff's, and never cached on the way.
    let public = service.public_asset(&sha256)?;
    if !public && crate::service::http::guard::resume(&service, &headers)?.is_none() {
        return Err(missing(sha256).into());
    }
    let cache = if public {
        "public, max-age=31536000, immutable"
    } else {
        "private, no-store"
    };
    let (media_type, bytes) =
        service.read(|conn, _| crate::service::domain::assets::bytes(conn, &sha256))?;
    let media_type =
        HeaderValue::from_str(&media_type).map_err(|e| Error::Internal(format!("header: {e}")))?;
    Ok((
        [
            (header::CONTENT_TYPE, media_type),
            (header::CACHE_CONTROL, HeaderValue::from_static(cache)),
            (
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            ),
        ],
        bytes,
    )
        .into_response())
}
