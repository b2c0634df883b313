//! Every error a console page meets, as a Chinese page: the domain's errors (`domain::Error`) and
//! the shell's own, mapped in one place so that the console's handlers end in `?`.
//!
//! The page's frame names the logged-in staff member and carries the session's CSRF token for
//! the logout button, which only the console's gate knows: a handler's `ConsoleError` answers
//! with the page in a frame without them, and the gate draws it again in the session's frame
//! (`in_session`). The statuses are the API's (`HttpError::status`).

use std::sync::Arc;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::html;

use super::frame::{layout, message, problems};
use super::page;
use crate::service::domain::auth::User;
use crate::service::domain::error::Error;
use crate::service::http::error::HttpError;
use crate::service::http::guard::Session;

/// What a console page's handler returns: the page, or the error that the page says instead.
pub type Page<T = Response> = Result<T, ConsoleError>;

/// An error a console page answers with (see the module's comment).
#[derive(Debug)]
pub struct ConsoleError(pub HttpError);

impl From<Error> for ConsoleError {
    fn from(e: Error) -> ConsoleError {
        ConsoleError(HttpError::Domain(e))
    }
}

impl From<HttpError> for ConsoleError {
    fn from(e: HttpError) -> ConsoleError {
        ConsoleError(e)
    }
}

/// The error of a page not yet drawn in the session's frame: taken out by the gate.
#[derive(Clone)]
struct Unframed(Arc<HttpError>);

impl IntoResponse for ConsoleError {
    fn into_response(self) -> Response {
        if let HttpError::Domain(Error::Internal(detail)) = &self.0 {
            tracing::error!("{detail}");
        }
        let mut response = error_page(None, &self.0);
        response.extensions_mut().insert(Unframed(Arc::new(self.0)));
        response
    }
}

/// A console error's page drawn again in the frame of the session that asked for it (the
/// console's gate calls this on every answer); any other answer is left as it is.
pub fn in_session(mut response: Response, session: &Session) -> Response {
    match response.extensions_mut().remove::<Unframed>() {
        Some(Unframed(error)) => error_page(Some((&session.user, &session.csrf)), &error),
        None => response,
    }
}

/// An error shown on a page: 4xx with the reason, or the generic internal message.
fn error_page(session: Option<(&User, &str)>, error: &HttpError) -> Response {
    let (user, csrf) = match session {
        Some((user, csrf)) => (Some(user), Some(csrf)),
        None => (None, None),
    };
    let status = error.status();
    match error {
        HttpError::Domain(Error::Internal(_)) => page(
            status,
            message(user, csrf, "出错了", "服务器内部错误，详细信息已记入日志。"),
        ),
        HttpError::Domain(Error::Invalid(list)) => page(
            status,
            layout(
                user,
                csrf,
                "未保存",
                html! { (problems(list)) p.hint { "请用浏览器的“后退”返回修改。" } },
            ),
        ),
        other => {
            let detail = other.to_string();
            let zh = zh_error(&detail);
            let headline = match status {
                StatusCode::NOT_FOUND => "找不到要访问的页面或对象。",
                StatusCode::FORBIDDEN => "您的账号没有进行此操作的权限。",
                StatusCode::CONFLICT => "当前状态下不能进行此操作。",
                StatusCode::TOO_MANY_REQUESTS => "尝试次数过多，请稍后再试。",
                StatusCode::PAYLOAD_TOO_LARGE => "提交的内容过大。",
                _ => "请求未能完成。",
            };
            let body = html! {
                p.notice { (headline) }
                @if zh != detail {
                    p { (zh) }
                } @else {
                    // For the IT person; staff have the sentence above.
                    p.hint { "详细信息：" code { (detail) } }
                }
                p { a href="/console" { "返回首页" } }
            };
            let mut response = page(status, layout(user, csrf, "未完成", body));
            if let Some(refusal) = other.refusal() {
                response.extensions_mut().insert(refusal);
            }
            response
        }
    }
}

/// The text of an error for a picture's request (a preview, the wall): the live preview shows
/// it under the picture, in place of a page.
pub struct TextError(pub HttpError);

impl From<Error> for TextError {
    fn from(e: Error) -> TextError {
        TextError(HttpError::Domain(e))
    }
}

impl IntoResponse for TextError {
    fn into_response(self) -> Response {
        (self.0.status(), self.0.to_string()).into_response()
    }
}
/// A refusal's message (404, 403, 409) as office staff read it; one without a known form stays as
/// it is. Problems (422) carry a typed `Reason` and need none of this.
fn zh_error(detail: &str) -> String {
    let r = detail.trim();
    if r.starts_with("no notice ") {
        return "没有这条公告".into();
    }
    if r.starts_with("no screen group named") || r.starts_with("there is no screen group") {
        return "没有这个屏幕组".into();
    }
    if r.starts_with("no user named") {
        return "没有这个用户".into();
    }
    if r.contains("is granted only on the host") || r.contains("role is changed only on the host") {
        return "管理员角色只能由服务器管理员在服务器上用 noticecast user grant 授予或更改".into();
    }
    if r.contains("password is reset and an administrator's account disabled only on the host") {
        return "管理员的密码只能在服务器上用 noticecast user reset 重置，\
                管理员账号只能在服务器上停用"
            .into();
    }
    if r.contains("has not replaced its one-time code yet") {
        return "该账号的主人还没有用一次性密码登录并设置自己的密码，请在其设置密码后再授予角色"
            .into();
    }
    if r.contains("nobody grants a role to themselves") {
        return "不能给自己授予角色".into();
    }
    if r.contains("roles are granted by the security administrator") {
        return "角色由安全管理员授予".into();
    }
    if r.contains("the system administrator keeps editors' and reviewers' accounts") {
        return "编辑和审核账号的密码重置、停用由系统管理员办理".into();
    }
    if r.starts_with("no screenshot of screen") {
        return "这台屏幕还没有上传截图".into();
    }
    if r.starts_with("no screen ") {
        return "没有这台屏幕".into();
    }
    if r == "no such page" {
        return "没有这个页面".into();
    }
    detail.to_string()
}
