//! Staff users (administrators) and the audit log.

use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::service::domain::accounts::{self, Role, User};
use crate::service::domain::audit::{self, AuditEntry};
use crate::service::domain::error::Error;
use crate::service::http::error::ErrorBody;
use crate::service::http::guard::{Answer, AppState, Body, Session};

/// A staff user as listed: an account waiting for a role says who gave it its one-time code
/// and when and from where the code was replaced, for the security administrator's grant.
#[derive(Debug, Serialize, ToSchema)]
pub struct ListedUser {
    #[serde(flatten)]
    pub user: User,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub handover: Option<accounts::Handover>,
}

#[utoipa::path(get, path = "/api/users", tag = "users",
    responses((status = 200, description = "Staff users", body = [ListedUser])),
    security(("session" = [])))]
pub async fn list_users(State(service): State<AppState>) -> Answer<axum::Json<Vec<ListedUser>>> {
    Ok(axum::Json(service.read(|conn, _| {
        accounts::list_users(conn)?
            .into_iter()
            .map(|user| {
                Ok(ListedUser {
                    handover: accounts::handover(conn, &user)?,
                    user,
                })
            })
            .collect::<Result<Vec<_>, Error>>()
    })?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct NewUser {
    pub name: String,
    /// Refused: a new account has no role until the security administrator grants one
    /// (`PUT /api/users/{name}` with `role`).
    pub role: Option<Role>,
    /// Refused: the account gets a one-time code, which its owner replaces at the first login.
    pub password: Option<String>,
}

/// An account with the one-time code it was just given (shown only this once).
#[derive(Debug, Serialize, ToSchema)]
pub struct AccountWithCode {
    #[serde(flatten)]
    pub user: User,
    /// Hand it to the account's owner: it logs in once, and only to choose a password
    /// (`PUT /api/me/password`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub one_time_code: Option<String>,
}

/// What an administrator may not choose in an account, refused by name: an old client that
/// sends a role or a password learns why instead of getting an account it did not expect.
fn refuse_chosen(role: bool, password: bool) -> Result<(), Error> {
    if role {
        return Err(Error::invalid(
            "role",
            crate::model::Reason::RoleNotAtCreation,
        ));
    }
    if password {
        return Err(Error::invalid(
            "password",
            crate::model::Reason::PasswordNotChosen,
        ));
    }
    Ok(())
}

#[utoipa::path(post, path = "/api/users", tag = "users", request_body = NewUser,
    responses(
        (status = 201, description = "Created, with no role and a one-time code",
            body = AccountWithCode),
        (status = 409, description = "The name is taken", body = ErrorBody),
        (status = 422, description = "An invalid name, or a role or password sent",
            body = ErrorBody)),
    security(("session" = [])))]
pub async fn add_user(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    Body(new): Body<NewUser>,
) -> Answer<(StatusCode, axum::Json<AccountWithCode>)> {
    refuse_chosen(new.role.is_some(), new.password.is_some())?;
    let (user, code) =
        service.change(|conn, now| accounts::add_account(conn, &session.user, &new.name, now))?;
    Ok((
        StatusCode::CREATED,
        axum::Json(AccountWithCode {
            user,
            one_time_code: Some(code),
        }),
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct UserChange {
    /// editor or reviewer, granted by the security administrator (administrators' roles only on
    /// the host: `noticecast user grant`).
    pub role: Option<Role>,
    /// Refused: see `reset_password`.
    pub password: Option<String>,
    /// `true`: the password becomes a one-time code (in the answer) and the role is suspended
    /// until the security administrator grants it again; the user's sessions end. Editors and
    /// reviewers only (administrators: `noticecast user reset` on the host).
    pub reset_password: Option<bool>,
    /// `true` disables the account (it can no longer log in; its sessions end), `false` enables
    /// it again.
    pub disabled: Option<bool>,
}

#[utoipa::path(put, path = "/api/users/{name}", tag = "users", request_body = UserChange,
    params(("name" = String, Path)),
    responses(
        (status = 200, description = "Changed (with the one-time code after a reset)",
            body = AccountWithCode),
        (status = 403, description = "Not this administrator's to change", body = ErrorBody),
        (status = 404, description = "No such user", body = ErrorBody)),
    security(("session" = [])))]
pub async fn update_user(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    Path(name): Path<String>,
    Body(change): Body<UserChange>,
) -> Answer<axum::Json<AccountWithCode>> {
    refuse_chosen(false, change.password.is_some())?;
    let (user, code) = service.change(|conn, now| {
        accounts::change_account(
            conn,
            &session.user,
            &name,
            change.role,
            change.reset_password.unwrap_or(false),
            change.disabled,
            now,
        )
    })?;
    Ok(axum::Json(AccountWithCode {
        user,
        one_time_code: code,
    }))
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
        (status = 200, description =
            "The audit log for archiving, oldest first: JSON signed with the service's key (`notice\
            cast audit verify FILE --key KEY` checks it), or CSV"),
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
        return Err(Error::invalid(
            "since",
            crate::model::Reason::NotRfc3339 {
                text: since.clone(),
            },
        )
        .into());
    }
    let export = service.record(|conn, now| {
        let export = audit::export(conn, query.since.as_deref(), now)?;
        // Exporting is itself audited (after the export: it is in the next one).
        audit::record(
            conn,
            now,
            &session.user.name,
            audit::Action::AuditExport,
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
        .map_err(|e| Error::Internal(format!("header: {e}")))
    };
    match query.format.as_deref() {
        None | Some("json") => {
            let payload =
                serde_json::to_vec(&export).map_err(|e| Error::Internal(format!("export: {e}")))?;
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
        Some(other) => Err(Error::invalid(
            "format",
            crate::model::Reason::NeitherJsonNorCsv {
                text: other.to_string(),
            },
        )
        .into()),
    }
}
