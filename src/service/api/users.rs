//! Staff users (administrators) and the audit log.

use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use crate::service::audit::{self, AuditEntry};
use crate::service::auth::{self, Role, User};
use crate::service::error::{ErrorBody, ServiceError};
use crate::service::http::{Answer, AppState, Body, Session};

#[utoipa::path(get, path = "/api/users", tag = "users",
    responses((status = 200, description = "Staff users", body = [User])),
    security(("session" = [])))]
pub async fn list_users(State(service): State<AppState>) -> Answer<axum::Json<Vec<User>>> {
    Ok(axum::Json(service.read(|conn, _| auth::list_users(conn))?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct NewUser {
    pub name: String,
    pub role: Role,
    /// At least 10 characters.
    pub password: String,
}

#[utoipa::path(post, path = "/api/users", tag = "users", request_body = NewUser,
    responses(
        (status = 201, description = "Created", body = User),
        (status = 409, description = "The name is taken", body = ErrorBody),
        (status = 422, description = "Invalid name or password", body = ErrorBody)),
    security(("session" = [])))]
pub async fn add_user(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    Body(new): Body<NewUser>,
) -> Answer<(StatusCode, axum::Json<User>)> {
    let user = service.change(|conn, now| {
        auth::add_account(conn, &session.user, &new.name, new.role, &new.password, now)
    })?;
    Ok((StatusCode::CREATED, axum::Json(user)))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct UserChange {
    pub role: Option<Role>,
    /// A new password; ends the user's sessions.
    pub password: Option<String>,
    /// `true` disables the account (it can no longer log in; its sessions end), `false` enables
    /// it again.
    pub disabled: Option<bool>,
}

#[utoipa::path(put, path = "/api/users/{name}", tag = "users", request_body = UserChange,
    params(("name" = String, Path)),
    responses(
        (status = 200, description = "Changed", body = User),
        (status = 404, description = "No such user", body = ErrorBody)),
    security(("session" = [])))]
pub async fn update_user(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    Path(name): Path<String>,
    Body(change): Body<UserChange>,
) -> Answer<axum::Json<User>> {
    let user = service.change(|conn, now| {
        let password = change.password.as_deref();
        auth::change_account(
            conn,
            &session.user,
            &name,
            change.role,
            password,
            change.disabled,
            now,
        )
    })?;
    Ok(axum::Json(user))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditPage {
    /// Entries before this id (the smallest id of the previous page).
    pub before: Option<i64>,
    /// At most 1000; default 100.
    pub limit: Option<u32>,
}

#[utoipa::path(get, path = "/api/audit", tag = "audit", params(AuditPage),
    responses((status = 200, description = "The audit log, newest first", body = [AuditEntry])),
    security(("session" = [])))]
pub async fn audit_log(
    State(service): State<AppState>,
    Query(page): Query<AuditPage>,
) -> Answer<axum::Json<Vec<AuditEntry>>> {
    let limit = page.limit.unwrap_or(100);
    Ok(axum::Json(
        service.read(|conn, _| audit::list(conn, page.before, limit))?,
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportQuery {
    /// `json` (default: a DSSE envelope signed with the service's key) or `csv`.
    pub format: Option<String>,
    /// Entries from this instant on (RFC 3339); all without.
    pub since: Option<String>,
}

#[utoipa::path(get, path = "/api/audit/export", tag = "audit", params(ExportQuery),
    responses(
        (status = 200, description = "The audit log for archiving, oldest first: JSON signed with the service's key (`noticecast audit verify FILE --key KEY` checks it), or CSV"),
        (status = 422, description = "A bad format or time", body = ErrorBody)),
    security(("session" = [])))]
pub async fn audit_export(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    Query(query): Query<ExportQuery>,
) -> Answer<Response> {
    if let Some(since) = &query.since
        && crate::model::Timestamp::parse_from_rfc3339(since).is_err()
    {
        return Err(ServiceError::invalid(
            "since",
            format!("{since:?} is not an RFC 3339 time"),
        ));
    }
    let export = service.record(|conn, now| {
        let export = audit::export(conn, query.since.as_deref(), now)?;
        // Exporting is itself audited (after the export: it is in the next one).
        audit::record(
            conn,
            now,
            &session.user.name,
            "audit.export",
            &format!("{}..{}", export.from_id, export.to_id),
            query.format.as_deref().unwrap_or("json"),
        )?;
        Ok(export)
    })?;
    let name = |ext: &str| {
        HeaderValue::from_str(&format!(
            "attachment; filename=\"audit-{}-{}.{ext}\"",
            export.from_id, export.to_id
        ))
        .map_err(|e| ServiceError::Internal(format!("header: {e}")))
    };
    match query.format.as_deref() {
        None | Some("json") => {
            let payload = serde_json::to_vec(&export)
                .map_err(|e| ServiceError::Internal(format!("export: {e}")))?;
            let envelope = service.sign(audit::EXPORT_PAYLOAD_TYPE, &payload)?;
            Ok((
                [(header::CONTENT_DISPOSITION, name("json")?)],
                axum::Json(envelope),
            )
                .into_response())
        }
        Some("csv") => Ok((
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("text/csv; charset=utf-8"),
                ),
                (header::CONTENT_DISPOSITION, name("csv")?),
            ],
            audit::to_csv(&export),
        )
            .into_response()),
        Some(other) => Err(ServiceError::invalid(
            "format",
            format!("{other:?} is neither json nor csv"),
        )),
    }
}
