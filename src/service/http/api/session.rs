//! Logging in and out with the JSON API: the session cookie and its CSRF token.

use axum::Extension;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::service::domain::accounts::User;
use crate::service::domain::error::Error;
use crate::service::domain::{limits, sessions};
use crate::service::http::error::ErrorBody;
use crate::service::http::guard::{Answer, AppState, Body, Session};
use crate::service::http::guard::{SESSION_COOKIE, client_key, cookie, same_origin};
use crate::service::{domain::accounts, domain::audit};
use axum::extract::ConnectInfo;
use std::net::SocketAddr;

#[derive(Debug, Deserialize, ToSchema)]
pub struct LoginRequest {
    pub name: String,
    pub password: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SessionInfo {
    pub user: User,
    /// Send this as the `X-CSRF-Token` header with every request that changes something.
    pub csrf_token: String,
}

#[utoipa::path(post, path = "/api/login", tag = "session", request_body = LoginRequest,
    responses(
        (status = 200, description = "Logged in; the session cookie is set", body = SessionInfo),
        (status = 401, description = "Wrong name or password", body = ErrorBody),
        (status = 429, description = "Too many failed attempts", body = ErrorBody),
        (status = 503, description = "Too many password checks at once; retry after Retry-After",
            body = ErrorBody)))]
pub async fn login(
    State(service): State<AppState>,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    Body(request): Body<LoginRequest>,
) -> Answer<Response> {
    same_origin(&headers)?;
    let client = client_key(
        peer.map(|Extension(ConnectInfo(a))| a),
        &headers,
        service.options.trusted_proxy,
    );
    let (device, new_device) = crate::service::http::guard::device_cookie(&headers)?;
    let user = service
        .login(
            &request.name,
            request.password,
            client,
            Some(&device),
            "session",
        )
        .await?;
    let (token, csrf) = service.record(|conn, now| {
        let started = sessions::start_session(conn, &user, now)?;
        audit::record(conn, now, &user.name, audit::Action::Login, "session", "")?;
        Ok(started)
    })?;
    let mut cookie = format!(
        "{SESSION_COOKIE}={token}; HttpOnly; SameSite=Strict; Path=/; Max-Age={}",
        sessions::SESSION_MAX.num_seconds()
    );
    if service.options.secure_cookies {
        cookie.push_str("; Secure");
    }
    let cookie =
        HeaderValue::from_str(&cookie).map_err(|e| Error::Internal(format!("cookie: {e}")))?;
    let mut response = (
        [(header::SET_COOKIE, cookie)],
        axum::Json(SessionInfo {
            user,
            csrf_token: csrf,
        }),
    )
        .into_response();
    if new_device
        && let Some(value) =
            crate::service::http::guard::device_set_cookie(&device, service.options.secure_cookies)
    {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    Ok(response)
}

#[utoipa::path(get, path = "/api/session", tag = "session",
    responses((status = 200, description = "Who is logged in, and the CSRF token",
        body = SessionInfo)),
    security(("session" = [])))]
pub async fn session(Extension(session): Extension<Session>) -> axum::Json<SessionInfo> {
    axum::Json(SessionInfo {
        user: session.user,
        csrf_token: session.csrf,
    })
}

#[utoipa::path(post, path = "/api/logout", tag = "session",
    responses((status = 204, description = "Logged out")),
    security(("session" = [])))]
pub async fn logout(State(service): State<AppState>, headers: HeaderMap) -> Answer<Response> {
    if let Some(token) = cookie(&headers, SESSION_COOKIE) {
        service.record(|conn, now| sessions::end_session(conn, &token, now))?;
    }
    let clear = format!("{SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0");
    let clear =
        HeaderValue::from_str(&clear).map_err(|e| Error::Internal(format!("cookie: {e}")))?;
    Ok((StatusCode::NO_CONTENT, [(header::SET_COOKIE, clear)]).into_response())
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct PasswordChange {
    /// The password (or one-time code) now.
    pub current: String,
    /// At least 10 characters, not the user's name, not the current one.
    pub new: String,
}

#[utoipa::path(put, path = "/api/me/password", tag = "session", request_body = PasswordChange,
    responses(
        (status = 204, description = "Changed; the user's other sessions have ended"),
        (status = 422, description =
            "The current password is wrong, or the new one breaks the password rules",
            body = ErrorBody),
        (status = 429, description = "Too many wrong passwords", body = ErrorBody)),
    security(("session" = [])))]
pub async fn change_own_password(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    headers: HeaderMap,
    Body(change): Body<PasswordChange>,
) -> Answer<StatusCode> {
    // The current password through the same gate and limit as a login, counted against this
    // session alone: a stolen session cannot guess it faster than a login could, nor take the
    // account over without it, and nobody else's wrong passwords keep the owner from changing it.
    let client = Some(limits::session_limit_key(&session.csrf));
    let checked = service
        .login(
            &session.user.name,
            change.current.clone(),
            client,
            None,
            "password change",
        )
        .await;
    match checked {
        Ok(user) if user.id == session.user.id => {}
        Ok(_) | Err(Error::Unauthenticated(_)) => {
            return Err(Error::invalid("current", crate::model::Reason::NotCurrentPassword).into());
        }
        Err(e) => return Err(e.into()),
    }
    let keep = cookie(&headers, SESSION_COOKIE);
    service.record(|conn, now| {
        accounts::set_own_password(
            conn,
            &session.user,
            &change.current,
            &change.new,
            keep.as_deref(),
            now,
        )
    })?;
    Ok(StatusCode::NO_CONTENT)
}
