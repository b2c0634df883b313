//! The warning system's door: alerts from registered sources (CAP 1.2, GB/T 35965.1).

use axum::Extension;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};

use crate::service::domain::alerts::{self, Outcome, SourceInfo};
use crate::service::http::error::{ErrorBody, HttpError};
use crate::service::http::guard::{Answer, AppState, text_body};

#[utoipa::path(post, path = "/api/alerts", tag = "alerts",
    request_body(content = String, content_type = "application/cap+xml",
        description =
            "A CAP 1.2 alert (urn:oasis:names:tc:emergency:cap:1.2) or a GB/T 35965.1 message"),
    responses(
        (status = 201, description =
            "A new warning: published (a direct source; `held` where every group it is for is on st\
            andby) or submitted for review", body = Outcome),
        (status = 200, description =
            "Updated, cancelled, a duplicate identifier (nothing changes) or ignored (not an Actua\
            l message)", body = Outcome),
        (status = 400, description =
            "Not XML, not an alert, or a required element missing; the reason names it",
            body = ErrorBody),
        (status = 401, description = "Missing or unknown source token", body = ErrorBody),
        (status = 403, description =
            "An area outside the source's remit (the codes are named), or a source without a remit",
            body = ErrorBody),
        (status = 422, description =
            "No group covers the alert's areas (the codes are named), an Update/Cancel references n\
            o known alert, or the scope is not Public", body = ErrorBody)),
    security(("source" = [])))]
pub async fn post_alert(
    State(service): State<AppState>,
    Extension(source): Extension<alerts::Source>,
    request: Request,
) -> Answer<(StatusCode, axum::Json<Outcome>)> {
    let kind = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if !matches!(
        kind.as_str(),
        "application/cap+xml" | "application/xml" | "text/xml"
    ) {
        return Err(HttpError::BadRequest(format!(
            "send the alert as application/cap+xml (or application/xml), not {kind:?}"
        )));
    }
    let text = text_body(request).await?;
    let alert = alerts::parse(&text)?;
    let hours = service
        .options
        .alert_default_hours
        .unwrap_or(alerts::DEFAULT_HOURS);
    let span = chrono::Duration::hours(i64::from(hours));
    let mut outcome =
        service.change(|conn, now| alerts::receive(conn, &source, &alert, span, now))?;
    // Routine notices that gave way in the feeds the warning went into (`feeds::refresh`).
    use alerts::Disposition::{Held, Published, Submitted, Updated};
    if matches!(outcome.disposition(), Some(Published | Held | Updated)) {
        for group in &outcome.groups {
            let published = service.feed(group)?;
            if !published.gave_way.is_empty() {
                outcome.notes.push(format!(
                    "group {group}: routine notices {} left out of the feed so that the warning \
                     fits its size budget; they return when the warning ends",
                    published.gave_way.join(" ")
                ));
                outcome.gave_way.push(alerts::GaveWay {
                    group: group.clone(),
                    notices: published.gave_way.clone(),
                });
            }
        }
    }
    let status = match outcome.disposition() {
        Some(Published | Held | Submitted) => StatusCode::CREATED,
        _ => StatusCode::OK,
    };
    tracing::info!(
        source = %source.name,
        identifier = %alert.identifier,
        result = %outcome.result,
        notice = ?outcome.notice,
        "alert received"
    );
    Ok((status, axum::Json(outcome)))
}

#[utoipa::path(get, path = "/api/sources", tag = "alerts",
    responses((status = 200, description =
        "Alert sources: how each publishes, how many alerts it sent", body = [SourceInfo])),
    security(("session" = [])))]
pub async fn list_sources(State(service): State<AppState>) -> Answer<axum::Json<Vec<SourceInfo>>> {
    Ok(axum::Json(
        service.read(|conn, _| alerts::list_sources(conn))?,
    ))
}
