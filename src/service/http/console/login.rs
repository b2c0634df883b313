//! Logging in and out of the console: the login page and form, the session and device cookies.

use super::form::Fields;
use super::frame::layout;
use super::{page, see};
use crate::service::domain::accounts::Role;
use crate::service::domain::audit;
use crate::service::domain::error::Error;
use crate::service::http::error::HttpError;
use crate::service::http::guard::{AppState, SESSION_COOKIE};
use axum::extract::{ConnectInfo, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use axum::{Extension, body::Bytes};
use maud::{Markup, html};
use serde::Deserialize;
use std::net::SocketAddr;

#[derive(Deserialize)]
pub struct LoginQuery {
    #[serde(default)]
    bye: Option<u8>,
    /// A form sent after the session ended was kept (`held`).
    #[serde(default)]
    held: Option<u8>,
}

fn login_form(error: Option<&str>) -> Markup {
    login_form_with(error, None)
}

fn login_form_with(error: Option<&str>, note: Option<&str>) -> Markup {
    layout(
        None,
        None,
        "登录",
        html! {
            @if let Some(error) = error { div.error role="alert" { p { (error) } } }
            @if let Some(note) = note { p.ok-box { (note) } }
            form.login method="post" action="/console/login" {
                label { "用户名" input name="name" autocomplete="username" required autofocus; }
                label { "密码" input name="password" type="password" autocomplete="current-password"
                    required; }
                button type="submit" { "登录" }
            }
        },
    )
}

pub async fn login_page(Query(q): Query<LoginQuery>) -> Response {
    let note = match (q.bye, q.held) {
        (_, Some(_)) => Some(
            "登录已超时（30 分钟未操作）。您刚才提交的内容已由系统保存，重新登录后将回到表单，\
             核对后再保存。",
        ),
        (Some(_), None) => Some("您已退出登录。"),
        (None, None) => None,
    };
    page(StatusCode::OK, login_form_with(None, note))
}

pub async fn login(
    State(service): State<AppState>,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, HttpError> {
    let fields = Fields::parse(&body);
    let (name, password) = (
        fields.get("name").trim().to_string(),
        fields.get("password").to_string(),
    );
    if crate::service::http::guard::same_origin(&headers).is_err() {
        return Ok(page(
            StatusCode::FORBIDDEN,
            login_form(Some("请从本系统的登录页面登录。")),
        ));
    }
    let client = crate::service::http::guard::client_key(
        peer.map(|Extension(ConnectInfo(a))| a),
        &headers,
        service.options.trusted_proxy,
    );
    let (device, new_device) = crate::service::http::guard::device_cookie(&headers)?;
    let user = match service
        .login(&name, password, client, Some(&device), "console")
        .await
    {
        Ok(user) => user,
        Err(Error::TooManyAttempts { retry_after_s }) => {
            let wait = if retry_after_s < 60 {
                format!("{retry_after_s} 秒")
            } else {
                format!("{} 分钟", retry_after_s.div_ceil(60))
            };
            return Ok(page(
                StatusCode::TOO_MANY_REQUESTS,
                login_form(Some(&format!("登录失败次数过多，请 {wait}后再试。"))),
            ));
        }
        Err(Error::Busy { .. }) => {
            return Ok(page(
                StatusCode::SERVICE_UNAVAILABLE,
                login_form(Some("登录的人太多，请稍等几秒再试。")),
            ));
        }
        Err(Error::Unauthenticated(_)) => {
            return Ok(page(
                StatusCode::UNAUTHORIZED,
                login_form(Some("用户名或密码不正确。")),
            ));
        }
        Err(e) => return Err(e.into()),
    };
    let _now = service.now();
    let started = service.record(|conn, now| {
        crate::service::domain::sessions::start_session(conn, &user, now).and_then(|s| {
            audit::record(conn, now, &user.name, audit::Action::Login, "console", "").map(|()| s)
        })
    });
    let (token, _) = started?;
    let mut cookie = format!(
        "{SESSION_COOKIE}={token}; HttpOnly; SameSite=Strict; Path=/; Max-Age={}",
        crate::service::domain::sessions::SESSION_MAX.num_seconds()
    );
    if service.options.secure_cookies {
        cookie.push_str("; Secure");
    }
    // A one-time code is replaced first; an account without a role can do nothing else.
    let first = if user.must_change_password || user.role == Role::Unassigned {
        "/console/password"
    } else if super::held::after_login(&service, &user) {
        // The form they sent after their last session ended waits for them.
        "/console/notices/held"
    } else {
        "/console"
    };
    let mut response = see(first);
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    if new_device
        && let Some(value) =
            crate::service::http::guard::device_set_cookie(&device, service.options.secure_cookies)
    {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    Ok(response)
}

pub async fn logout(State(service): State<AppState>, headers: HeaderMap) -> Response {
    let token = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|p| p.trim().split_once('='))
        .find(|(k, _)| *k == SESSION_COOKIE)
        .map(|(_, v)| v.to_string());
    if let Some(token) = token {
        let _ = service
            .record(|conn, now| crate::service::domain::sessions::end_session(conn, &token, now));
    }
    let mut response = see("/console/login?bye=1");
    response.headers_mut().insert(
        header::SET_COOKIE,
        HeaderValue::from_static("nc_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0"),
    );
    response
}
