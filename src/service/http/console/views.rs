//! The console's frame (header, navigation, who is logged in) and its read-only pages: login,
//! dashboard, audit log, disclosure report.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{Extension, body::Bytes};
use maud::{DOCTYPE, Markup, html};
use serde::Deserialize;

use super::form::Fields;
use super::{kind_label, page, role_label, see, when};
use crate::service::domain::accounts::{Role, User};
use crate::service::domain::error::ServiceError;
use crate::service::domain::sessions;
use crate::service::http::guard::{AppState, SESSION_COOKIE, Session};
use crate::service::{domain::audit, domain::notices, domain::report, domain::screens};

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
pub async fn font(State(service): State<AppState>) -> Response {
    let dir = crate::layout::Fonts::locate(service.options.fonts.as_deref());
    let bytes = dir.and_then(|d| {
        std::fs::read(d.join("NotoSansSC-Regular.ttf"))
            .map_err(|e| crate::layout::FontError::ReadDir(d, e))
    });
    match bytes {
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, HeaderValue::from_static("font/ttf")),
                (
                    header::CACHE_CONTROL,
                    HeaderValue::from_static("max-age=604800"),
                ),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => ServiceError::NotFound(format!("no font: {e}")).into_response(),
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
                            @if user.role == Role::Editor { a href="/console/notices/new" { "写公告" } }
                            @if matches!(user.role, Role::Reviewer | Role::Sysadmin) { a href="/console/review" { "待审核" } }
                            a href="/console/screens" { "屏幕" }
                            a href="/console/groups" { "屏幕组" }
                            @if matches!(user.role, Role::Sysadmin | Role::Secadmin) { a href="/console/users" { "用户" } }
                            a href="/console/report" { "年度报表" }
                            @if user.role == Role::Auditor { a href="/console/audit" { "操作记录" } }
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
                main {
                    h1 { (title) }
                    (body)
                }
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
                            code { (p.path) } "：" (super::form::zh_reason(&p.reason))
                        }
                    }
                }
            }
        }
    }
}

/// A workflow error shown on a page: 4xx with the reason, or the generic internal message.
pub fn error_page(user: &User, csrf: &str, error: ServiceError) -> Response {
    let status = error.status();
    match error {
        ServiceError::Internal(detail) => {
            tracing::error!("{detail}");
            page(
                status,
                message(
                    Some(user),
                    Some(csrf),
                    "出错了",
                    "服务器内部错误，详细信息已记入日志。",
                ),
            )
        }
        ServiceError::Invalid(list) => page(
            status,
            layout(
                Some(user),
                Some(csrf),
                "未保存",
                html! { (problems(&list)) p.hint { "请用浏览器的“后退”返回修改。" } },
            ),
        ),
        other => {
            let detail = other.to_string();
            let refusal = match &other {
                ServiceError::Forbidden(why) => {
                    Some(crate::service::domain::error::Refusal(why.clone()))
                }
                _ => None,
            };
            let zh = super::form::zh_reason(&detail);
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
            let mut response = page(status, layout(Some(user), Some(csrf), "未完成", body));
            if let Some(refusal) = refusal {
                response.extensions_mut().insert(refusal);
            }
            response
        }
    }
}

#[derive(Deserialize)]
pub struct LoginQuery {
    #[serde(default)]
    bye: Option<u8>,
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
                label { "密码" input name="password" type="password" autocomplete="current-password" required; }
                button type="submit" { "登录" }
            }
        },
    )
}

pub async fn login_page(Query(q): Query<LoginQuery>) -> Response {
    let note = q.bye.map(|_| "您已退出登录。");
    page(StatusCode::OK, login_form_with(None, note))
}

pub async fn login(
    State(service): State<AppState>,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let fields = Fields::parse(&body);
    let (name, password) = (
        fields.get("name").trim().to_string(),
        fields.get("password").to_string(),
    );
    if crate::service::http::guard::same_origin(&headers).is_err() {
        return page(
            StatusCode::FORBIDDEN,
            login_form(Some("请从本系统的登录页面登录。")),
        );
    }
    let client = crate::service::http::guard::client_key(
        peer.map(|Extension(ConnectInfo(a))| a),
        &headers,
        service.options.trusted_proxy,
    );
    let (device, new_device) = match crate::service::http::guard::device_cookie(&headers) {
        Ok(d) => d,
        Err(e) => return e.into_response(),
    };
    let user = match service
        .login(&name, password, client, Some(&device), "console")
        .await
    {
        Ok(user) => user,
        Err(ServiceError::TooManyRequests { retry_after_s }) => {
            let wait = if retry_after_s < 60 {
                format!("{retry_after_s} 秒")
            } else {
                format!("{} 分钟", retry_after_s.div_ceil(60))
            };
            return page(
                StatusCode::TOO_MANY_REQUESTS,
                login_form(Some(&format!("登录失败次数过多，请 {wait}后再试。"))),
            );
        }
        Err(ServiceError::Busy { .. }) => {
            return page(
                StatusCode::SERVICE_UNAVAILABLE,
                login_form(Some("登录的人太多，请稍等几秒再试。")),
            );
        }
        Err(ServiceError::Unauthenticated(_)) => {
            return page(
                StatusCode::UNAUTHORIZED,
                login_form(Some("用户名或密码不正确。")),
            );
        }
        Err(e) => return e.into_response(),
    };
    let _now = service.now();
    let started = service.record(|conn, now| {
        sessions::start_session(conn, &user, now)
            .and_then(|s| audit::record(conn, now, &user.name, "login", "console", "").map(|()| s))
    });
    let (token, _) = match started {
        Ok(s) => s,
        Err(e) => return e.into_response(),
    };
    let mut cookie = format!(
        "{SESSION_COOKIE}={token}; HttpOnly; SameSite=Strict; Path=/; Max-Age={}",
        sessions::SESSION_MAX.num_seconds()
    );
    if service.options.secure_cookies {
        cookie.push_str("; Secure");
    }
    // A one-time code is replaced first; an account without a role can do nothing else.
    let first = if user.must_change_password || user.role == Role::Unassigned {
        "/console/password"
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
    response
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
        let _ = service.record(|conn, now| sessions::end_session(conn, &token, now));
    }
    let mut response = see("/console/login?bye=1");
    response.headers_mut().insert(
        header::SET_COOKIE,
        HeaderValue::from_static("nc_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0"),
    );
    response
}

pub fn screens_table(list: &[screens::ScreenInfo], csrf: &str) -> Markup {
    html! {
        table {
            thead { tr { th { "屏幕" } th { "屏幕组" } th { "状态" } th { "最后联系" } th { "内容版本" } th { "显示器" } th { "显卡" } th { "最近错误" } th { "播放记录" } th { "设备密钥" } th { "当前画面" } } }
            tbody {
                @for s in list {
                    tr {
                        td { (s.id) }
                        td { a href=(format!("/console/groups/{}", s.group)) { (s.group) } " " small { (kind_label(&s.kind)) } }
                        td {
                            @if s.online { span.ok { "在线" } } @else { span.bad { "离线" } }
                            @if s.clock.as_deref() == Some("unsynced") { br; span.bad { "时钟未同步" } }
                        }
                        td { (s.last_seen.as_deref().map(when).unwrap_or_else(|| "从未".into())) }
                        td {
                            (s.sequence.map(|n| n.to_string()).unwrap_or_else(|| "—".into()))
                            @if let (Some(a), Some(b)) = (s.sequence, s.feed_sequence) {
                                @if a < b { " " span.bad { "（最新 " (b) "）" } }
                            }
                        }
                        td {
                            (match s.power.as_deref() {
                                Some("on") => "开",
                                Some("standby") => "待机",
                                _ => "未知",
                            })
                        }
                        // As the screen reports them, for the IT person.
                        td { @if let Some(a) = &s.adapter { code { (a) } } @else { "—" } }
                        td { @if let Some(e) = &s.last_error { code { (e) } } }
                        td {
                            @if s.dropped == 0 && s.refused == 0 { "正常" }
                            @if s.dropped > 0 { "离线时丢失 " (s.dropped) " 条" br; }
                            @if s.refused > 0 { span.bad { "不可信、未计入 " (s.refused) " 条" } }
                        }
                        // The key its play records are signed with (公示证明), once a security
                        // administrator confirmed it against the id the screen shows.
                        td {
                            @if let Some(k) = &s.device_key_id {
                                code { (k) }
                                @if let Some(by) = &s.device_key_confirmed_by { br; small { "由 " (by) " 确认" } }
                            } @else if s.device_key_candidates.is_empty() {
                                "未登记"
                            } @else {
                                span.bad { "待确认：" }
                                @for k in &s.device_key_candidates { br; code { (k) } }
                            }
                        }
                        td {
                            @if let Some(at) = &s.screenshot_at {
                                a href=(format!("/api/screens/{}/screenshot", s.id)) {
                                    img.thumb src=(format!("/api/screens/{}/screenshot", s.id)) alt=(format!("{} 的画面", s.id));
                                }
                                br; small { (when(at)) }
                            }
                            @if s.screenshot_requested {
                                p.hint { "已请求，屏幕下次联系时发送（约一分钟内）。" }
                            } @else {
                                form method="post" action=(format!("/console/screens/{}/screenshot", s.id)) {
                                    input type="hidden" name="csrf" value=(csrf);
                                    button type="submit" { "查看当前画面" }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

pub async fn dashboard(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
) -> Response {
    let _now = service.now();
    let loaded = service.read(|conn, now| {
        screens::list(conn, now).and_then(|s| {
            Ok((
                s,
                notices::list(conn, None, now)?,
                crate::service::domain::groups::names(conn)?,
            ))
        })
    });
    let (screen_list, notice_list, groups) = match loaded {
        Ok(x) => x,
        Err(e) => return error_page(&session.user, &session.csrf, e),
    };
    let online = screen_list.iter().filter(|s| s.online).count();
    let count = |state: &str| notice_list.iter().filter(|n| n.state == state).count();
    let on_screens = notice_list.iter().filter(|n| n.on_screens).count();
    let body = html! {
        section.cards {
            div.card { strong { (online) " / " (screen_list.len()) } span { "屏幕在线" } }
            div.card { strong { (on_screens) } span { "条公告正在发布" } }
            a.card href="/console/notices?state=submitted" { strong { (count("submitted")) } span { "条待审核" } }
            a.card href="/console/notices?state=rejected" { strong { (count("rejected")) } span { "条被退回" } }
            a.card href="/console/notices?state=draft" { strong { (count("draft")) } span { "条草稿" } }
        }
        h2 { "屏幕现在显示什么" }
        p.hint { "每个屏幕组此刻的画面，由屏幕自己的排版和绘制程序生成；下面是各屏幕最近上传的截图。点击进入该屏幕组。" }
        div.wall {
            @for group in &groups {
                @let members: Vec<&screens::ScreenInfo> = screen_list.iter().filter(|s| &s.group == group).collect();
                figure {
                    a href=(format!("/console/groups/{group}")) {
                        img src=(format!("/console/groups/{group}/now.png")) alt=(format!("屏幕组 {group} 此刻的画面")) loading="lazy";
                        figcaption {
                            strong { (group) }
                            span { (members.iter().filter(|s| s.online).count()) " / " (members.len()) " 台在线" }
                        }
                        @if let Ok(feed) = service.feed(group) {
                            @let budget = service.options.feed_budget.unwrap_or(crate::service::FEED_BUDGET);
                            @let used = feed.body.len();
                            p.hint.feed-size {
                                "信息流 " (format!("{:.2}", used as f64 / 1048576.0)) " MB / 上限 "
                                (format!("{:.0}", budget as f64 / 1048576.0)) " MB"
                                @if used * 10 > budget * 8 { " " strong.bad { "接近上限，请撤回过期公告" } }
                            }
                        }
                    }
                    @let shots: Vec<&&screens::ScreenInfo> = members.iter().filter(|s| s.screenshot_at.is_some()).collect();
                    @if !shots.is_empty() {
                        div.shots {
                            @for s in shots {
                                a href=(format!("/api/screens/{}/screenshot", s.id)) title=(format!("{} 的截图", s.id)) {
                                    img src=(format!("/api/screens/{}/screenshot", s.id)) alt=(format!("{} 的截图", s.id)) loading="lazy";
                                }
                            }
                        }
                    }
                }
            }
        }
        h2 { "屏幕状态" }
        p.hint { "三分钟内有联系的屏幕为在线。" }
        (screens_table(&screen_list, &session.csrf))
    };
    page(
        StatusCode::OK,
        layout(Some(&session.user), Some(&session.csrf), "首页", body),
    )
}

#[derive(Deserialize)]
pub struct AuditQuery {
    before: Option<i64>,
}

pub async fn audit(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    Query(q): Query<AuditQuery>,
) -> Response {
    let entries = match service.read(|conn, _| audit::list(conn, q.before, 100)) {
        Ok(e) => e,
        Err(e) => return error_page(&session.user, &session.csrf, e),
    };
    let body = html! {
        p.hint { "所有操作都记录在此，记录不能修改，至少保存 180 天。导出存档：" a href="/api/audit/export?format=csv" { "CSV" } "、" a href="/api/audit/export" { "带签名的存档文件" } "（可用 " code { "noticecast audit verify" } " 核验）。" }
        table {
            thead { tr { th { "时间" } th { "操作人" } th { "来源地址" } th { "操作" } th { "结果" } th { "对象" } th { "说明" } } }
            tbody {
                @for e in &entries {
                    tr {
                        td { (when(&e.at)) }
                        td { (actor_label(&e.actor)) }
                        td { @match e.source.as_str() { "host" => "服务器本机", "" => "", s => code { (s) } } }
                        td { (action_label(&e.action)) }
                        td { @match e.result.as_str() { "success" => "成功", "failure" => span.bad { "失败" }, other => (other) } }
                        td { (subject_label(&e.subject)) }
                        // The record as stored, word for word: evidence is not translated.
                        td { @if !e.detail.is_empty() { code.record { (e.detail) } } }
                    }
                }
            }
        }
        @if entries.len() == 100 {
            @if let Some(last) = entries.last() {
                p { a href=(format!("/console/audit?before={}", last.id)) { "更早的记录 →" } }
            }
        }
    };
    page(
        StatusCode::OK,
        layout(Some(&session.user), Some(&session.csrf), "操作记录", body),
    )
}

/// Who did it: a user's name, or the service itself, or an admin at the server's command line.
fn actor_label(actor: &str) -> Markup {
    match actor {
        "system" => html! { "系统" },
        "command line" => html! { "服务器命令行" },
        name => html! { (name) },
    }
}

/// What it was done to: `notice 2026-0001 revision 2` reads 公告 2026-0001 第 2 版.
fn subject_label(subject: &str) -> Markup {
    let (kind, rest) = subject.split_once(' ').unwrap_or((subject, ""));
    let kind = match kind {
        "notice" => "公告",
        "group" => "屏幕组",
        "user" => "用户",
        "screen" => "屏幕",
        "source" => "预警来源",
        "alert" => "预警",
        "console" => "控制台",
        "session" => "接口",
        other => return html! { code { (other) " " (rest) } },
    };
    let (id, revision) = match rest.split_once(" revision ") {
        Some((id, n)) => (id, Some(n)),
        None => (rest, None),
    };
    html! {
        (kind)
        @if !id.is_empty() { " " code { (id) } }
        @if let Some(n) = revision { " 第 " (n) " 版" }
    }
}

fn action_label(action: &str) -> String {
    let label = match action {
        "notice.create" => "新建公告",
        "notice.edit" => "修改公告",
        "notice.submit" => "提交审核",
        "notice.approve" => "批准发布",
        "notice.reject" => "退回",
        "notice.withdraw" => "撤回",
        "login" => "登录",
        "login.failed" => "登录失败",
        "group.create" => "新建屏幕组",
        "group.playlist" => "修改播放列表",
        "screen.add" => "登记屏幕",
        "screen.token" => "更换屏幕令牌",
        "user.add" => "新建用户",
        "user.change" => "修改用户",
        "user.reset" => "重置密码（一次性密码）",
        "user.password" => "本人修改密码",
        "group.areas" => "设置预警区域",
        "group.blackout" => "暂停或恢复播放",
        "screen.screenshot" => "请求屏幕截图",
        "source.add" => "新增预警来源",
        "logout" => "退出",
        "access.denied" => "越权访问被拒绝",
        "user.role" => "修改角色",
        "group.policy" => "设置审核策略",
        "key.create" => "生成签名密钥",
        "key.rotate" => "更换签名密钥",
        "audit.prune" => "清理过期记录",
        "audit.export" => "导出操作记录",
        a if a.starts_with("alert.") => "接收预警",
        _ => return action.to_string(),
    };
    label.to_string()
}

#[derive(Deserialize)]
pub struct ReportQuery {
    year: Option<i32>,
}

pub async fn report(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    Query(q): Query<ReportQuery>,
) -> Response {
    let this_year: i32 = crate::model::beijing(service.now())
        .format("%Y")
        .to_string()
        .parse()
        .unwrap_or(2026);
    let year = q.year.unwrap_or(this_year);
    // One lock for both: the database's mutex is not re-entrant.
    let both = service.read(|db, _now| {
        report::disclosure(db, year)
            .and_then(|r| Ok((r, report::opens(db, year)?, report::monthly(db, year)?)))
    });
    let (report, opens, months) = match both {
        Ok(r) => r,
        Err(e) => return error_page(&session.user, &session.csrf, e),
    };
    let body = html! {
        form.inline method="get" action="/console/report" {
            label { "年度" input name="year" type="number" min="2000" max="2200" value=(year); }
            button type="submit" { "查看" }
            a.button href=(format!("/api/reports/disclosure?year={year}&format=csv")) { "下载 CSV" }
        }
        h2 { "各频道每月发布与播放" }
        p.hint { "每个频道一张图：上排为当月显示过的公告条数，下排为播放次数（每显示一页计一次），数字与下表同源。" }
        @for group in months.iter().map(|m| &m.group).collect::<std::collections::BTreeSet<_>>() {
            (chart(group, &months.iter().filter(|m| &m.group == group).collect::<Vec<_>>()))
        }
        h2 { "年度报告用语" }
        p.hint { "可直接复制到政府信息公开工作年度报告中（数字与下表同源）。" }
        textarea.report-paragraph id="report-paragraph" readonly rows="3" { (report.paragraph) }
        button type="button" data-copy="report-paragraph" { "复制" }
                p.hint { "按频道（屏幕组）和类别统计：发布的公告条数、播放次数（每显示一页计一次）、屏幕小时，以及居民在触摸屏上查阅的次数。" }
        table {
            thead { tr { th { "频道" } th { "屏幕类型" } th { "类别" } th.num { "公告条数" } th.num { "播放次数" } th.num { "屏幕小时" } th.num { "触屏查阅" } } }
            tbody {
                @for r in &report.rows {
                    tr {
                        td { (r.group) } td { (kind_label(&r.kind)) } td { (r.category_name) }
                        td.num { (r.notices) } td.num { (r.plays) } td.num { (format!("{:.2}", r.screen_hours)) } td.num { (r.opens) }
                    }
                }
            }
        }
        h2 { "居民在触摸屏上查阅的公告" }
        @if opens.rows.is_empty() {
            p.hint { "本年度还没有居民在触摸屏上打开过公告。" }
        } @else {
            p.hint { "每天每条公告被打开的次数（只记日期和公告，不记录任何个人信息）。" }
            table {
                thead { tr { th { "日期" } th { "公告" } th { "频道" } th.num { "打开次数" } } }
                tbody {
                    @for r in &opens.rows {
                        tr {
                            td { (r.day) }
                            td { @if r.title.is_empty() { (r.notice_id) } @else { (r.title) } }
                            td { (r.group) } td.num { (r.opens) }
                        }
                    }
                }
            }
        }
    };
    page(
        StatusCode::OK,
        layout(
            Some(&session.user),
            Some(&session.csrf),
            &format!("{year} 年度政务公开屏发布统计"),
            body,
        ),
    )
}

/// One channel's year as a server-drawn SVG: notices (top row) and plays (bottom row) per month,
/// each row scaled to its own largest month, the number above every bar.
fn chart(group: &str, months: &[&report::MonthRow]) -> Markup {
    const W: f32 = 900.0;
    const ROW: f32 = 110.0;
    const LEFT: f32 = 90.0;
    let col = (W - LEFT - 10.0) / 12.0;
    let rows: [(&str, Vec<i64>, &str); 2] = [
        (
            "公告条数",
            months.iter().map(|m| m.notices).collect(),
            "#8e1c1c",
        ),
        (
            "播放次数",
            months.iter().map(|m| m.plays).collect(),
            "#0b4f9c",
        ),
    ];
    let height = 40.0 + 2.0 * ROW + 24.0;
    html! {
        svg.chart xmlns="http://www.w3.org/2000/svg" viewBox=(format!("0 0 {W} {height}")) role="img"
            aria-label=(format!("{group} 每月公告条数和播放次数")) {
            text x="10" y="24" font-size="18" font-weight="bold" { (group) }
            @for (r, (label, values, colour)) in rows.iter().enumerate() {
                @let top = 40.0 + r as f32 * ROW;
                @let max = values.iter().copied().max().unwrap_or(0).max(1) as f32;
                text x="10" y=(top + ROW / 2.0) font-size="15" { (label) }
                line x1=(LEFT) x2=(W - 10.0) y1=(top + ROW - 10.0) y2=(top + ROW - 10.0) stroke="#999" {}
                @for (i, v) in values.iter().enumerate() {
                    @let h = (ROW - 40.0) * *v as f32 / max;
                    @let x = LEFT + i as f32 * col + col * 0.15;
                    rect x=(x) y=(top + ROW - 10.0 - h) width=(col * 0.7) height=(h) fill=(colour) {}
                    text x=(x + col * 0.35) y=(top + ROW - 14.0 - h) font-size="13" text-anchor="middle" { (v) }
                }
            }
            @for i in 0..12 {
                text x=(LEFT + i as f32 * col + col * 0.5) y=(height - 6.0) font-size="13" text-anchor="middle" { (i + 1) "月" }
            }
        }
    }
}
