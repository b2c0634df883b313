//! The staff web console: server-rendered Chinese pages (maud) over the same workflow functions
//! as the JSON API, for office staff on whatever browser the office PC has. Every form carries
//! the session's CSRF token; no page needs JavaScript except the live preview while writing.
//!
//! A file per concern: `frame` (the page's frame, problems, static files) and `error` (every
//! error as a Chinese page); `login`, `dashboard`, `notice_pages` (lists, the form, the review
//! queue), `review_pages` (a notice and the decisions on it), `previews`, `proof_page`,
//! `group_pages` (groups and playlists), `wall` (what a group's screens show now, as a
//! picture), `screen_pages`, `source_pages` (the security administrator's alert sources),
//! `user_pages`, `audit_page`, `report_page`, `import_page` (导入文件 on the 写公告 page); `form`
//! and `playlist_form` read the posted forms.

mod audit_page;
mod dashboard;
mod error;
mod form;
mod frame;
mod group_pages;
mod held;
mod import_page;
mod login;
mod multipart;
mod notice_pages;
mod playlist_form;
mod previews;
mod proof_page;
mod report_page;
mod review_pages;
mod screen_pages;
mod source_pages;
mod user_pages;
mod wall;

use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use maud::Markup;

use crate::service::domain::accounts::{Role, User};
use crate::service::domain::error::Error;
use crate::service::domain::passwords;
use crate::service::http::error::HttpError;
use crate::service::http::guard::{
    ACCOUNT_ADMINS, ANY_STAFF, AUDITORS, Access, AppState, BODY_LIMIT, EDITORS,
    EDITORS_AND_REVIEWERS, EDITORS_AND_SYSADMINS, Hold, OWN_ACCOUNT, REVIEWERS,
    REVIEWERS_AND_SYSADMINS, Route, SECADMINS, SYSADMINS, Session, csrf_header, guard, held_back,
    resume,
};

/// The notice form with an image for a figure (multipart): the largest image and the rest.
const FORM_WITH_IMAGE: usize = crate::service::domain::assets::MAX_UPLOAD_BYTES + BODY_LIMIT;
/// The import form (`import_page`): the largest file an import takes and the rest.
const FORM_WITH_DOCUMENT: usize = crate::service::domain::imports::MAX_IMPORT_BYTES + BODY_LIMIT;

/// The console's routes with who may call them.
pub fn routes() -> Vec<Route> {
    use Access::*;
    let r = Route::new;
    const STAFF: Access = Console(ANY_STAFF);
    vec![
        r(
            Method::GET,
            "/",
            Public,
            get(|| async { Redirect::to("/console") }),
        ),
        r(
            Method::GET,
            "/console/static/app.css",
            Public,
            get(frame::css),
        ),
        r(
            Method::GET,
            "/console/static/app.js",
            Public,
            get(frame::js),
        ),
        r(
            Method::GET,
            "/console/static/font.ttf",
            Public,
            get(frame::font),
        ),
        r(
            Method::GET,
            "/console/login",
            Public,
            get(login::login_page),
        ),
        r(Method::POST, "/console/login", Public, post(login::login)),
        r(
            Method::POST,
            "/console/logout",
            Console(OWN_ACCOUNT),
            post(login::logout),
        ),
        r(
            Method::GET,
            "/console/password",
            Console(OWN_ACCOUNT),
            get(user_pages::password_page),
        ),
        r(
            Method::POST,
            "/console/password",
            Console(OWN_ACCOUNT),
            post(user_pages::change_password),
        ),
        r(Method::GET, "/console", STAFF, get(dashboard::dashboard)),
        r(
            Method::GET,
            "/console/audit",
            Console(AUDITORS),
            get(audit_page::audit),
        ),
        r(
            Method::GET,
            "/console/report",
            STAFF,
            get(report_page::report),
        ),
        r(
            Method::GET,
            "/console/notices",
            STAFF,
            get(notice_pages::list),
        ),
        r(
            Method::GET,
            "/console/notices/held",
            Console(EDITORS),
            get(held::held),
        ),
        r(
            Method::GET,
            "/console/notices/new",
            Console(EDITORS),
            get(notice_pages::new),
        ),
        r(
            Method::POST,
            "/console/notices",
            Console(EDITORS),
            post(notice_pages::create),
        )
        .body_limit(FORM_WITH_IMAGE),
        r(
            Method::POST,
            notice_pages::IMPORT_PATH,
            Console(EDITORS),
            post(import_page::import),
        )
        .body_limit(FORM_WITH_DOCUMENT),
        r(
            Method::POST,
            "/console/preview",
            Console(EDITORS),
            post(previews::live_preview),
        ),
        r(
            Method::GET,
            "/console/review",
            Console(REVIEWERS_AND_SYSADMINS),
            get(notice_pages::queue),
        ),
        r(
            Method::POST,
            "/console/playlist-changes/{id}/review",
            Console(REVIEWERS_AND_SYSADMINS),
            post(review_pages::review_playlist),
        ),
        r(
            Method::GET,
            "/console/notices/{id}",
            STAFF,
            get(review_pages::detail),
        ),
        r(
            Method::GET,
            "/console/notices/{id}/proof",
            STAFF,
            get(proof_page::proof),
        ),
        r(
            Method::GET,
            "/console/notices/{id}/edit",
            Console(EDITORS),
            get(notice_pages::edit),
        ),
        r(
            Method::POST,
            "/console/notices/{id}",
            Console(EDITORS),
            post(notice_pages::save),
        )
        .body_limit(FORM_WITH_IMAGE),
        r(
            Method::POST,
            "/console/notices/{id}/submit",
            Console(EDITORS),
            post(review_pages::submit),
        ),
        r(
            Method::POST,
            "/console/notices/{id}/approve",
            Console(REVIEWERS),
            post(review_pages::approve),
        ),
        r(
            Method::POST,
            "/console/notices/{id}/reject",
            Console(REVIEWERS),
            post(review_pages::reject),
        ),
        r(
            Method::GET,
            "/console/notices/{id}/withdraw",
            Console(EDITORS_AND_REVIEWERS),
            get(review_pages::confirm_withdraw),
        ),
        r(
            Method::POST,
            "/console/notices/{id}/withdraw",
            Console(EDITORS_AND_REVIEWERS),
            post(review_pages::withdraw),
        ),
        r(
            Method::GET,
            "/console/notices/{id}/revisions/{number}/preview/{group}",
            STAFF,
            get(previews::revision_preview),
        ),
        r(
            Method::GET,
            "/console/groups",
            STAFF,
            get(group_pages::groups),
        ),
        r(
            Method::POST,
            "/console/groups",
            Console(SYSADMINS),
            post(group_pages::create_group),
        ),
        r(
            Method::GET,
            "/console/groups/{group}",
            STAFF,
            get(group_pages::group),
        ),
        r(
            Method::POST,
            "/console/groups/{group}",
            Console(SYSADMINS),
            post(group_pages::save_playlist),
        ),
        r(
            Method::POST,
            "/console/groups/{group}/form",
            Console(EDITORS_AND_SYSADMINS),
            post(group_pages::save_form),
        ),
        r(
            Method::POST,
            "/console/groups/{group}/preview",
            Console(EDITORS_AND_SYSADMINS),
            post(group_pages::playlist_preview),
        ),
        r(
            Method::GET,
            "/console/groups/{group}/now.png",
            STAFF,
            get(wall::group_now),
        ),
        r(
            Method::POST,
            "/console/groups/{group}/label",
            Console(SYSADMINS),
            post(group_pages::label_group),
        ),
        r(
            Method::POST,
            "/console/groups/{group}/areas",
            Console(SYSADMINS),
            post(group_pages::save_areas),
        ),
        r(
            Method::POST,
            "/console/groups/{group}/blackout",
            Console(SYSADMINS),
            post(group_pages::blackout),
        ),
        r(
            Method::POST,
            "/console/groups/{group}/policy",
            Console(SECADMINS),
            post(group_pages::save_policy),
        ),
        r(
            Method::GET,
            "/console/screens",
            STAFF,
            get(screen_pages::screens),
        ),
        r(
            Method::POST,
            "/console/screens",
            Console(SYSADMINS),
            post(screen_pages::add_screen),
        ),
        r(
            Method::POST,
            "/console/screens/{id}/token",
            Console(SYSADMINS),
            post(screen_pages::screen_token),
        ),
        r(
            Method::POST,
            "/console/screens/{id}/label",
            Console(SYSADMINS),
            post(screen_pages::label_screen),
        ),
        r(
            Method::POST,
            "/console/screens/{id}/device-key",
            Console(SECADMINS),
            post(screen_pages::confirm_device_key),
        ),
        r(
            Method::GET,
            "/console/screens/{id}/device-key/reset",
            Console(SECADMINS),
            get(screen_pages::confirm_reset_device_key),
        ),
        r(
            Method::POST,
            "/console/screens/{id}/device-key/reset",
            Console(SECADMINS),
            post(screen_pages::reset_device_key),
        ),
        r(
            Method::POST,
            "/console/screens/{id}/screenshot",
            STAFF,
            post(screen_pages::request_screenshot),
        ),
        r(
            Method::GET,
            "/console/sources",
            Console(SECADMINS),
            get(source_pages::sources),
        ),
        r(
            Method::POST,
            "/console/sources",
            Console(SECADMINS),
            post(source_pages::add_source),
        ),
        r(
            Method::POST,
            "/console/sources/{name}/areas",
            Console(SECADMINS),
            post(source_pages::save_areas),
        ),
        r(
            Method::GET,
            "/console/sources/{name}/revoke",
            Console(SECADMINS),
            get(source_pages::confirm_revoke),
        ),
        r(
            Method::POST,
            "/console/sources/{name}/revoke",
            Console(SECADMINS),
            post(source_pages::revoke),
        ),
        r(
            Method::GET,
            "/console/users",
            Console(ACCOUNT_ADMINS),
            get(user_pages::users),
        ),
        r(
            Method::POST,
            "/console/users",
            Console(SYSADMINS),
            post(user_pages::add_user),
        ),
        r(
            Method::POST,
            "/console/users/{name}",
            Console(ACCOUNT_ADMINS),
            post(user_pages::change_user),
        ),
    ]
}

pub fn router(service: &AppState) -> Router<AppState> {
    guard(service, routes(), gate)
}

/// The console's access check: without a session, to the login page; a role that may not,
/// a page that says which may; a form (any change) must carry the session's CSRF token, as the
/// `csrf` field or the header.
async fn gate(service: AppState, access: Access, mut request: Request, next: Next) -> Response {
    let roles = match access {
        Access::Public => return next.run(request).await,
        Access::Console(roles) => roles,
        other => {
            return HttpError::from(Error::Internal(format!(
                "a {other:?} route among the console's"
            )))
            .into_response();
        }
    };
    let (user, csrf) = match resume(&service, request.headers()) {
        Ok(Some(s)) => s,
        Ok(None) => return held::hold_or_login(&service, request).await,
        Err(e) => return HttpError::from(e).into_response(),
    };
    let route = crate::service::http::guard::route_of(&request);
    if let Some(hold) = held_back(&user, roles) {
        crate::service::http::guard::refused(
            &service,
            &user,
            request.method(),
            &route,
            &hold.explain(&user),
        );
        return match hold {
            // The page says why: the password is a one-time code.
            Hold::ChangePassword => Redirect::to("/console/password").into_response(),
            Hold::NoRole => no_role(&user, &csrf),
        };
    }
    if !roles.contains(&user.role) {
        let why = crate::service::http::guard::needs(&user, roles);
        crate::service::http::guard::refused(&service, &user, request.method(), &route, &why);
        return forbidden(&user, roles);
    }
    if !matches!(*request.method(), Method::GET | Method::HEAD) {
        let (parts, body) = request.into_parts();
        let content_type = parts
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        // A form with a file (the notice form's image) may carry an image of the largest size
        // an upload may have.
        // The import form's file may be larger.
        let limit = match content_type.as_deref().and_then(multipart::boundary) {
            Some(_) if route == notice_pages::IMPORT_PATH => FORM_WITH_DOCUMENT,
            Some(_) => FORM_WITH_IMAGE,
            None => BODY_LIMIT,
        };
        let Ok(bytes) = axum::body::to_bytes(body, limit).await else {
            return HttpError::PayloadTooLarge(format!("the form is over {limit} bytes"))
                .into_response();
        };
        let header = csrf_header(&parts.headers).map(str::to_string);
        let field = form::Fields::read(content_type.as_deref(), &bytes)
            .ok()
            .map(|(fields, _)| fields.get("csrf").to_string());
        let sent = header.or(field).unwrap_or_default();
        if !passwords::same_secret(&sent, &csrf) {
            crate::service::http::guard::refused(
                &service,
                &user,
                &parts.method,
                &route,
                "missing or wrong csrf field (a stale or forged form)",
            );
            return stale_form(&user, &csrf);
        }
        request = Request::from_parts(parts, axum::body::Body::from(bytes));
    }
    let method = request.method().clone();
    let session = Session {
        user: user.clone(),
        csrf,
    };
    request.extensions_mut().insert(session.clone());
    // A handler's error page, drawn again in the frame of this session (`error::in_session`).
    let response = error::in_session(next.run(request).await, &session);
    crate::service::http::guard::audit_refusal(&service, &user, &method, &route, &response);
    response
}

/// A page: HTML that no cache keeps (it may show unapproved text).
pub(crate) fn page(status: StatusCode, markup: Markup) -> Response {
    let mut response = (status, axum::response::Html(markup.into_string())).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// After a successful change: to the page that shows its result (POST, redirect, GET).
pub(crate) fn see(location: &str) -> Response {
    Redirect::to(location).into_response()
}

fn forbidden(user: &User, roles: &[Role]) -> Response {
    let needs: Vec<&str> = roles.iter().map(|r| role_label(*r)).collect();
    page(
        StatusCode::FORBIDDEN,
        frame::message(
            Some(user),
            None,
            "没有权限",
            &format!(
                "此页面需要{}权限，您的角色是{}。",
                needs.join("或"),
                role_label(user.role)
            ),
        ),
    )
}

/// An account without a role: nothing to see until the security administrator grants one.
fn no_role(user: &User, csrf: &str) -> Response {
    page(
        StatusCode::FORBIDDEN,
        frame::layout(
            Some(user),
            Some(csrf),
            "尚未分配角色",
            maud::html! {
                p.notice {
                    "您的账号还没有角色，暂时不能查看或办理任何事项。"
                    "请联系安全管理员为您授予角色。"
                }
                p { a href="/console/password" { "修改密码" } }
            },
        ),
    )
}

/// A form whose CSRF token does not match the session (an old tab, or another site's form).
fn stale_form(user: &User, csrf: &str) -> Response {
    page(
        StatusCode::FORBIDDEN,
        frame::message(
            Some(user),
            Some(csrf),
            "表单已过期",
            "这个表单来自已结束的登录或其他网站，未做任何更改。请返回，刷新页面后重新提交。",
        ),
    )
}

pub(crate) fn role_label(role: Role) -> &'static str {
    match role {
        Role::Editor => "编辑",
        Role::Reviewer => "审核",
        Role::Sysadmin => "系统管理员",
        Role::Secadmin => "安全管理员",
        Role::Auditor => "安全审计员",
        Role::Unassigned => "尚无角色",
    }
}

pub(crate) fn state_label(state: &str) -> &'static str {
    crate::service::domain::notices::NoticeState::parse(state).map_or("未知", |s| s.zh())
}

pub(crate) fn kind_label(kind: &str) -> &'static str {
    crate::model::ScreenKind::parse(kind).map_or("屏幕", crate::model::ScreenKind::zh)
}

/// An RFC 3339 instant as staff read it: Beijing time, to the minute.
pub(crate) fn when(t: &str) -> String {
    crate::model::Timestamp::parse_from_rfc3339(t)
        .map(|t| {
            crate::model::beijing(t)
                .format("%Y-%m-%d %H:%M")
                .to_string()
        })
        .unwrap_or_else(|_| t.to_string())
}
