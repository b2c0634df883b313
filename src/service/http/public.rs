//! Pages for residents: `GET /n/{id}` shows a notice on a phone, for the QR code that a touch
//! terminal's 手机看 shows when the notice has no URL of its own.
//!
//! Only what the screens already show is shown here: the notice is looked up in the groups'
//! current signed feeds (the same bytes the screens get, indexed once per feed by
//! `Service::public_notice`), never in the database, so a draft, an
//! unapproved edit, a withdrawn or an expired notice cannot reach a phone by this route.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use maud::{DOCTYPE, Markup, html};

use crate::model::beijing;
use crate::service::domain::error::ServiceError;
use crate::service::http::guard::{Access, AppState, Route};

pub fn routes() -> Vec<Route> {
    vec![Route::new(
        Method::GET,
        "/n/{id}",
        Access::Public,
        get(notice_page),
    )]
}

/// Nothing to guard: residents need no account.
pub fn router() -> Router<AppState> {
    crate::service::http::guard::unguarded(routes())
}

fn shell(title: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="zh-CN" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) }
                link rel="stylesheet" href="/console/static/app.css";
            }
            body.public { main { (body) } }
        }
    }
}

async fn notice_page(State(service): State<AppState>, Path(id): Path<String>) -> Response {
    let found = tokio::task::spawn_blocking({
        let service = service.clone();
        move || service.public_notice(&id)
    })
    .await;
    let found = found
        .map_err(|e| ServiceError::Internal(e.to_string()))
        .and_then(|r| r);
    let page = match found {
        Ok(Some(n)) => {
            let date = beijing(n.published_at).format("%Y年%m月%d日").to_string();
            let body = html! {
                article.notice {
                    h1 { (n.title) }
                    p.meta { (n.issuer) @if let Some(d) = &n.doc_number { "　" (d) } "　" (date) }
                    @for paragraph in n.body.split("\n\n").map(str::trim).filter(|p| !p.is_empty()) {
                        p { @for (i, line) in paragraph.split('\n').enumerate() { @if i > 0 { br; } (line) } }
                    }
                }
            };
            (StatusCode::OK, shell(&n.title, body))
        }
        Ok(None) => {
            let body = html! {
                h1 { "未找到该公告" }
                p { "该公告不存在，或已不在公示期内。" }
            };
            (StatusCode::NOT_FOUND, shell("未找到该公告", body))
        }
        Err(e) => {
            tracing::error!("public notice page: {e}");
            let body = html! { h1 { "暂时无法显示" } p { "请稍后再试。" } };
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                shell("暂时无法显示", body),
            )
        }
    };
    let (status, markup) = page;
    let mut response = (status, axum::response::Html(markup.into_string())).into_response();
    // Phones may keep it a minute; a withdrawn notice leaves their caches soon after.
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=60"),
    );
    response
}
