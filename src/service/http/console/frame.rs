//! The console's frame (header, navigation, who is logged in), its message and problems boxes,
//! and its static files (style sheet, script, font).

use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use maud::{DOCTYPE, Markup, html};

use super::role_label;
use crate::service::domain::accounts::{Role, User};
use crate::service::domain::error::Error;
use crate::service::http::error::HttpError;
use crate::service::http::guard::AppState;

pub async fn css() -> Response {
    static_file("text/css; charset=utf-8", include_str!("static/app.css"))
}

pub async fn js() -> Response {
    static_file(
        "text/javascript; charset=utf-8",
        include_str!("static/app.js"),
    )
}

/// The bundled regular font, for a browser without a Chinese font of its own (the style sheet
/// names it last, so a PC with one never downloads it).
pub async fn font(State(service): State<AppState>) -> Result<Response, HttpError> {
    let dir = crate::layout::Fonts::locate(service.options.fonts.as_deref());
    let bytes = dir.and_then(|d| {
        std::fs::read(d.join("NotoSansSC-Regular.ttf"))
            .map_err(|e| crate::layout::FontError::ReadDir(d, e))
    });
    match bytes {
        Ok(bytes) => Ok((
            [
                (header::CONTENT_TYPE, HeaderValue::from_static("font/ttf")),
                (
                    header::CACHE_CONTROL,
                    HeaderValue::from_static("max-age=604800"),
                ),
            ],
            bytes,
        )
            .into_response()),
        Err(e) => {
            Err(Error::NotFound(crate::model::Reason::Detail(format!("no font: {e}"))).into())
        }
    }
}

fn static_file(content_type: &'static str, text: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("max-age=300"),
            ),
        ],
        text,
    )
        .into_response()
}

/// Every page: the header with the navigation for the user's role, then `body`.
pub fn layout(user: Option<&User>, csrf: Option<&str>, title: &str, body: Markup) -> Markup {
    document(user, csrf, title, html! { h1 { (title) } (body) })
}

/// A page that heads itself: the 公示证明, whose heading (the office's name over the title)
/// prints as part of the one document.
pub fn document(user: Option<&User>, csrf: Option<&str>, title: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="zh-CN" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · 政务公开屏发布平台" }
                link rel="stylesheet" href="/console/static/app.css";
                script src="/console/static/app.js" defer {}
            }
            body {
                header.top {
                    a.brand href="/console" { "政务公开屏发布平台" }
                    @if let Some(user) = user {
                        // Held back (a one-time code, no role yet): no links it may not follow.
                        @let held = user.must_change_password || user.role == Role::Unassigned;
                        @if !held { nav {
                            a href="/console" { "首页" }
                            a href="/console/notices" { "公告" }
                            @if user.role == Role::Editor {
                                a href="/console/notices/new" { "写公告" }
                            }
                            @if matches!(user.role, Role::Reviewer | Role::Sysadmin) { a
                                href="/console/review" { "待审核" } }
                            a href="/console/screens" { "屏幕" }
                            a href="/console/groups" { "屏幕组" }
                            @if matches!(user.role, Role::Sysadmin | Role::Secadmin) { a
                                href="/console/users" { "用户" } }
                            @if user.role == Role::Secadmin {
                                a href="/console/sources" { "预警来源" }
                            }
                            a href="/console/report" { "年度报表" }
                            @if user.role == Role::Auditor {
                                a href="/console/audit" { "操作记录" }
                            }
                        } }
                        div.who {
                            span { (user.name) "（" (role_label(user.role)) "）" }
                            a href="/console/password" { "修改密码" }
                            @if let Some(csrf) = csrf {
                                form method="post" action="/console/logout" {
                                    input type="hidden" name="csrf" value=(csrf);
                                    button.link type="submit" { "退出" }
                                }
                            }
                        }
                    }
                }
                main { (body) }
            }
        }
    }
}

pub fn message(user: Option<&User>, csrf: Option<&str>, title: &str, text: &str) -> Markup {
    layout(
        user,
        csrf,
        title,
        html! { p.notice { (text) } p { a href="/console" { "返回首页" } } },
    )
}

/// Problems as staff read them: the field's name, then the reason.
pub fn problems(list: &[crate::model::Problem]) -> Markup {
    html! {
        @if !list.is_empty() {
            div.error role="alert" {
                p { "未保存，请修改以下内容：" }
                ul {
                    @for p in list {
                        li {
                            @let label = super::form::field_label(&p.path);
                            @if !label.is_empty() { strong { (label) } " " }
                            code { (p.path) } "：" (p.reason.zh())
                        }
                    }
                }
            }
        }
    }
}
