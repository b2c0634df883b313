//! Images for notices' figures: uploaded by editors, kept by the hash of what the service made
//! of them (`domain::assets`).

use axum::Extension;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};

use crate::service::domain::assets::{self, AssetInfo};
use crate::service::http::error::ErrorBody;
use crate::service::http::guard::{Answer, AppState, Session};

#[utoipa::path(post, path = "/api/assets", tag = "notices",
    request_body(content = Vec<u8>, content_type = "image/png",
        description = "The image: PNG, JPEG or WebP (Content-Type image/png, image/jpeg or \
            image/webp), at most 20 MiB and 40 megapixels"),
    responses(
        (status = 201, description = "Kept: decoded and encoded again from its pixels (EXIF, GPS \
            and every other metadata left behind; a JPEG stays JPEG, the rest becomes PNG), named \
            by the SHA-256 of the bytes kept. The same image again gives the same answer",
            body = AssetInfo),
        (status = 413, description = "Over 20 MiB", body = ErrorBody),
        (status = 422, description = "Not an image type taken, broken, or more pixels than 40 \
            million (checked from the header before decoding): the problem names the reason",
            body = ErrorBody)),
    security(("session" = [])))]
pub async fn upload_asset(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Answer<(StatusCode, axum::Json<AssetInfo>)> {
    let media_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    // Decoding a large image takes a while: off the runtime's threads, without the lock.
    let cleaned = tokio::task::spawn_blocking(move || assets::clean(&media_type, &body))
        .await
        .map_err(|e| crate::service::domain::error::Error::Internal(e.to_string()))??;
    let info = service.record(|conn, now| {
        assets::keep(
            conn,
            &session.user,
            cleaned,
            |sha| service.asset_url(sha),
            now,
        )
    })?;
    Ok((StatusCode::CREATED, axum::Json(info)))
}
