//! What a group's screens show now, as a picture: the dashboard's wall, the group page's
//! preview and the playlist form's live preview. In the off-hours the picture is the last page
//! shown before the screens went off, dimmed, and the page writes 关屏时段，06:30 开屏 over it
//! (`domain::wall`): the words are HTML, not pixels, so the screens' layout and renderer stay as
//! they are.

use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};

use super::error::TextError;
use crate::model::{FeedDocument, Playlist};
use crate::service::domain::wall;
use crate::service::http::guard::AppState;

/// Carries the off-hours words with a picture, for the playlist form's script (it replaces the
/// picture without a new page). Percent-encoded UTF-8: a header's value is ASCII.
pub const OFF_HEADER: &str = "x-noticecast-off";

/// The group's screen now, with its stored playlist (or `playlist`), as the wall shows it.
pub async fn now_png(
    service: &AppState,
    name: &str,
    playlist: Option<Playlist>,
) -> Result<Response, TextError> {
    let published = service.feed(name)?;
    let doc: FeedDocument = match serde_json::from_slice(&published.payload) {
        Ok(d) => d,
        Err(e) => return Ok((StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response()),
    };
    let edited = playlist.is_some();
    let Some(playlist) = playlist.or_else(|| doc.playlist.clone()) else {
        return Ok((StatusCode::NOT_FOUND, "本组没有播放列表").into_response());
    };
    let now = service.now();
    let off = wall::off_hours(&playlist, &doc.notices, now);
    let label = off.map(|o| o.label(now));
    // The wall's frame changes only with the feed (which carries the playlist) and the page
    // the rotation is on; cached per group and sequence for a minute of rotation.
    let key = (name.to_string(), published.sequence, now.timestamp() / 60);
    if !edited && let Some(png) = service.wall.get(&key) {
        return Ok(png_response(png, label.as_deref()));
    }
    let at = off.map_or(now, |o| o.last_on());
    // The wall's frames are cached per minute; none replaces another (a wall asks for every
    // group at once). Abandoned ones are still dropped unseen (`preview::Queue`).
    let drawn = service
        .previews
        .now(None, doc, playlist, at, off.is_some())
        .await;
    Ok(match drawn {
        Ok(png) => {
            if !edited {
                service.wall.put(key, png.clone());
            }
            png_response(png, label.as_deref())
        }
        Err(why) => (StatusCode::SERVICE_UNAVAILABLE, why.to_string()).into_response(),
    })
}

fn png_response(png: Vec<u8>, off: Option<&str>) -> Response {
    let mut response = (
        [
            (header::CONTENT_TYPE, "image/png"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        png,
    )
        .into_response();
    if let Some(off) = off {
        let encoded: String = off.bytes().map(|b| format!("%{b:02X}")).collect();
        if let Ok(value) = HeaderValue::from_str(&encoded) {
            response.headers_mut().insert(OFF_HEADER, value);
        }
    }
    response
}

/// What the group's screens show now (the dashboard's wall, the group page's first picture).
pub async fn group_now(
    State(service): State<AppState>,
    Path(name): Path<String>,
) -> Result<Response, TextError> {
    now_png(&service, &name, None).await
}

/// The words over the group's picture while its screens are off, from its published feed and
/// playlist; `None` while they are on (or without a feed, when there is no picture either).
pub fn off_label(service: &AppState, group: &str) -> Option<String> {
    let published = service.feed(group).ok()?;
    let doc: FeedDocument = serde_json::from_slice(&published.payload).ok()?;
    let now = service.now();
    wall::off_hours(doc.playlist.as_ref()?, &doc.notices, now).map(|o| o.label(now))
}

/// The group's picture `img` with the off-hours words over it (`id` for the one the playlist
/// form's script updates); dimmed by the server, the picture alone would not say why.
pub fn framed(img: Markup, off: Option<&str>, id: Option<&str>) -> Markup {
    html! {
        div.screen-frame {
            (img)
            span.off-label id=[id] hidden[off.is_none()] { (off.unwrap_or_default()) }
        }
    }
}
