//! Notices: writing (editors), the four-eyes review (reviewers), withdrawal.

use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::service::domain::error::Error;
use crate::service::domain::notices::{
    self, GlyphWarning, NoticeDetail, NoticeInput, NoticeSummary, PersonalWarning,
    PunctuationWarning,
};
use crate::service::http::error::ErrorBody;
use crate::service::http::guard::{Answer, AppState, Body, Session};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NoticeFilter {
    /// `draft`, `submitted` (the review queue), `approved`, `rejected` or `withdrawn`.
    pub state: Option<String>,
    /// At most this many (default and most: `notices::PAGE`, 100).
    pub limit: Option<usize>,
    /// Skip this many first (the next page: `offset` + `limit`).
    pub offset: Option<usize>,
}

#[utoipa::path(get, path = "/api/notices", tag = "notices", params(NoticeFilter),
    responses((status = 200, description =
        "Notices, emergencies first, then newest first; one page of them (`X-Total-Count` says how \
        many there are)", body = [NoticeSummary])),
    security(("session" = [])))]
pub async fn list_notices(
    State(service): State<AppState>,
    Query(filter): Query<NoticeFilter>,
) -> Answer<Response> {
    let now = service.now();
    let all = service.read(|conn, _| notices::list(conn, filter.state.as_deref(), now))?;
    let total = all.len();
    let page = notices::page(all, filter.offset, filter.limit);
    Ok(([("x-total-count", total.to_string())], axum::Json(page)).into_response())
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Saved {
    pub id: String,
    pub revision: i64,
    /// Characters the screens cannot display (shown there as 〓).
    pub warnings: Vec<GlyphWarning>,
    /// Private mobile numbers in the text: to mask unless they are the office's own (ID and
    /// bank card numbers are refused at submitting).
    pub personal: Vec<PersonalWarning>,
    /// Half-width punctuation typed in Chinese text (`,` for `，`) and middle dots in names
    /// other than `·` (U+00B7), each with its field, line and character: warnings only.
    pub punctuation: Vec<PunctuationWarning>,
}

#[utoipa::path(post, path = "/api/notices", tag = "notices", request_body = NoticeInput,
    responses(
        (status = 201, description = "Created as a draft", body = Saved),
        (status = 422, description = "Invalid content; each problem names its field",
            body = ErrorBody)),
    security(("session" = [])))]
pub async fn create_notice(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    Body(input): Body<NoticeInput>,
) -> Answer<(StatusCode, axum::Json<Saved>)> {
    let id = service.change(|conn, now| notices::create(conn, &session.user, &input, now))?;
    let warnings = service.glyph_warnings(&input)?;
    Ok((
        StatusCode::CREATED,
        axum::Json(Saved {
            id,
            revision: 1,
            warnings,
            personal: notices::mobile_numbers(&input),
            punctuation: notices::punctuation(&input),
        }),
    ))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CheckAnswer {
    pub warnings: Vec<GlyphWarning>,
    /// Private mobile numbers in the text, as in `Saved`.
    pub personal: Vec<PersonalWarning>,
    /// Half-width punctuation and foreign middle dots, as in `Saved`.
    pub punctuation: Vec<PunctuationWarning>,
}

#[utoipa::path(post, path = "/api/notices/check", tag = "notices", request_body = NoticeInput,
    responses(
        (status = 200, description = "Valid; characters the screens cannot display",
            body = CheckAnswer),
        (status = 422, description = "Invalid content", body = ErrorBody)),
    security(("session" = [])))]
pub async fn check_notice(
    State(service): State<AppState>,
    Body(input): Body<NoticeInput>,
) -> Answer<axum::Json<CheckAnswer>> {
    let now = service.now();
    service.read(|conn, _| notices::validate(conn, &input, now))?;
    Ok(axum::Json(CheckAnswer {
        warnings: service.glyph_warnings(&input)?,
        personal: notices::mobile_numbers(&input),
        punctuation: notices::punctuation(&input),
    }))
}

#[utoipa::path(get, path = "/api/notices/{id}", tag = "notices",
    params(("id" = String, Path, description = "e.g. 2026-0007")),
    responses(
        (status = 200, description = "The notice with all its revisions", body = NoticeDetail),
        (status = 404, description = "No such notice", body = ErrorBody)),
    security(("session" = [])))]
pub async fn get_notice(
    State(service): State<AppState>,
    Path(id): Path<String>,
) -> Answer<axum::Json<NoticeDetail>> {
    Ok(axum::Json(service.read(|conn, _| notices::get(conn, &id))?))
}

#[utoipa::path(put, path = "/api/notices/{id}", tag = "notices", request_body = NoticeInput,
    params(("id" = String, Path)),
    responses(
        (status = 200, description = "A new revision, a draft; the live one stays on screens",
            body = Saved),
        (status = 409, description = "The notice was withdrawn", body = ErrorBody),
        (status = 422, description = "Invalid content", body = ErrorBody)),
    security(("session" = [])))]
pub async fn edit_notice(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    Path(id): Path<String>,
    Body(input): Body<NoticeInput>,
) -> Answer<axum::Json<Saved>> {
    let revision =
        service.change(|conn, now| notices::edit(conn, &session.user, &id, &input, now))?;
    let warnings = service.glyph_warnings(&input)?;
    Ok(axum::Json(Saved {
        id,
        revision,
        warnings,
        personal: notices::mobile_numbers(&input),
        punctuation: notices::punctuation(&input),
    }))
}

#[utoipa::path(post, path = "/api/notices/{id}/submit", tag = "notices",
    params(("id" = String, Path)),
    responses(
        (status = 200, description =
            "Submitted for review, with any characters the screens cannot display", body = Saved),
        (status = 409, description = "The newest revision is not a draft", body = ErrorBody)),
    security(("session" = [])))]
pub async fn submit_notice(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    Path(id): Path<String>,
) -> Answer<axum::Json<Saved>> {
    let revision = service.change(|conn, now| notices::submit(conn, &session.user, &id, now))?;
    let detail = service.read(|conn, _| notices::get(conn, &id))?;
    let warnings = service.glyph_warnings(&detail.latest().content)?;
    Ok(axum::Json(Saved {
        id,
        revision,
        warnings,
        personal: notices::mobile_numbers(&detail.latest().content),
        punctuation: notices::punctuation(&detail.latest().content),
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct Approval {
    /// The revision reviewed; it must still be the newest.
    pub revision: i64,
    /// The reviewer confirms the confidentiality review (保密审查): must be true.
    pub confidentiality_confirmed: bool,
}

#[utoipa::path(post, path = "/api/notices/{id}/approve", tag = "review", request_body = Approval,
    params(("id" = String, Path)),
    responses(
        (status = 200, description = "Approved: it is in its groups' feeds", body = NoticeDetail),
        (status = 403, description = "The reviewer wrote this revision", body = ErrorBody),
        (status = 409, description = "Not submitted, or not the newest revision", body = ErrorBody),
        (status = 422, description = "The confidentiality review was not confirmed",
            body = ErrorBody)),
    security(("session" = [])))]
pub async fn approve_notice(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    Path(id): Path<String>,
    Body(approval): Body<Approval>,
) -> Answer<axum::Json<NoticeDetail>> {
    service.approve(
        &session.user,
        &id,
        approval.revision,
        approval.confidentiality_confirmed,
    )?;
    Ok(axum::Json(service.read(|conn, _| notices::get(conn, &id))?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct Rejection {
    pub revision: i64,
    /// What the editor should change.
    pub reason: String,
}

#[utoipa::path(post, path = "/api/notices/{id}/reject", tag = "review", request_body = Rejection,
    params(("id" = String, Path)),
    responses(
        (status = 200, description = "Rejected with the reason", body = NoticeDetail),
        (status = 409, description = "Not submitted, or not the newest revision", body = ErrorBody),
        (status = 422, description = "No reason given", body = ErrorBody)),
    security(("session" = [])))]
pub async fn reject_notice(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    Path(id): Path<String>,
    Body(rejection): Body<Rejection>,
) -> Answer<axum::Json<NoticeDetail>> {
    service.change(|conn, now| {
        notices::reject(
            conn,
            &session.user,
            &id,
            rejection.revision,
            &rejection.reason,
            now,
        )
    })?;
    Ok(axum::Json(service.read(|conn, _| notices::get(conn, &id))?))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct Withdrawal {
    /// Why the notice is taken off the screens (required): kept with the notice and in the
    /// audit log.
    #[serde(default)]
    pub reason: String,
}

#[utoipa::path(post, path = "/api/notices/{id}/withdraw", tag = "notices",
    request_body = Withdrawal,
    params(("id" = String, Path)),
    responses(
        (status = 200, description = "Withdrawn: gone from every feed", body = NoticeDetail),
        (status = 409, description = "Already withdrawn", body = ErrorBody),
        (status = 422, description = "No reason given: a withdrawal says why", body = ErrorBody)),
    security(("session" = [])))]
pub async fn withdraw_notice(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    Path(id): Path<String>,
    Body(withdrawal): Body<Withdrawal>,
) -> Answer<axum::Json<NoticeDetail>> {
    service
        .change(|conn, now| notices::withdraw(conn, &session.user, &id, &withdrawal.reason, now))?;
    Ok(axum::Json(service.read(|conn, _| notices::get(conn, &id))?))
}

#[utoipa::path(get, path = "/api/notices/{id}/proof", tag = "notices",
    params(("id" = String, Path)),
    responses(
        (status = 200, description =
            "公示证明: per target group, when the notice was displayed in its 公示期, \
            per working day, the gaps, and whether the period was met (docs/proof.md)",
            body = Object),
        (status = 404, description = "No such notice, or no signed feed carried it with a 公示期",
            body = ErrorBody)),
    security(("session" = [])))]
pub async fn notice_proof(
    State(service): State<AppState>,
    Path(id): Path<String>,
) -> Answer<axum::Json<crate::proof::Certificate>> {
    let bundle = service.proof_bundle(&id)?;
    let certificate = crate::proof::certify(&bundle).map_err(|e| Error::Internal(e.to_string()))?;
    Ok(axum::Json(certificate))
}

#[utoipa::path(get, path = "/api/notices/{id}/proof/bundle", tag = "notices",
    params(("id" = String, Path)),
    responses(
        (status = 200, description =
            "The evidence: the signed feeds, the screens' device keys and signed plays, the calenda\
            r and the signed certificate; `noticecast proof verify` checks it offlin\
            e", body = Object),
        (status = 404, description = "No such notice, or no signed feed carried it with a 公示期",
            body = ErrorBody)),
    security(("session" = [])))]
pub async fn notice_proof_bundle(
    State(service): State<AppState>,
    Path(id): Path<String>,
) -> Answer<Response> {
    let bundle = service.proof_bundle(&id)?;
    let disposition = HeaderValue::from_str(&format!(
        "attachment; filename=\"proof-{}.json\"",
        id.replace(|c: char| !c.is_ascii_alphanumeric() && c != '-', "_")
    ))
    .map_err(|e| Error::Internal(format!("header: {e}")))?;
    Ok((
        [(header::CONTENT_DISPOSITION, disposition)],
        axum::Json(bundle),
    )
        .into_response())
}
