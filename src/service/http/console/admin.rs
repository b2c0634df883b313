//! Screen groups and their playlists, screens and their tokens, users and their roles.

use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use maud::{Markup, html};
use serde::Deserialize;

use axum::response::IntoResponse;

use super::form::{Fields, zh_reason};
use super::playlist_form;
use super::views::{error_page, layout, problems, screens_table};
use super::{kind_label, page, role_label, see, when};
use crate::service::domain::accounts::{self, Role};
use crate::service::domain::error::ServiceError;
use crate::service::domain::{limits, passwords};
use crate::service::http::guard::{AppState, Session};
use crate::service::{domain::groups, domain::policy, domain::screens};

pub async fn groups(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
) -> Response {
    let list = match service.read(|conn, _| groups::list(conn)) {
        Ok(l) => l,
        Err(e) => return error_page(&session.user, &session.csrf, e),
    };
    let body = html! {
        table {
            thead { tr { th { "屏幕组" } th { "类型" } th { "名称（屏幕页眉）" } th.num { "屏幕数" } th { "播放列表修改于" } } }
            tbody {
                @for g in &list {
                    tr {
                        td { a href=(format!("/console/groups/{}", g.name)) { (g.name) } }
                        td { (kind_label(&g.kind)) } td { (g.title) } td.num { (g.screens) } td { (when(&g.updated_at)) }
                    }
                }
            }
        }
        @if session.user.role == Role::Secadmin {
            h2 { "预警信息来源" }
            p.hint { "预警发布系统以来源的令牌调用 " code { "POST /api/alerts" } "（CAP 1.2 或 GB/T 35965.1）。新增来源由信息管理员在服务器上执行：" code { "noticecast source add --data 数据目录 名称 --publish direct|review --areas 行政区划代码…" } "；来源只能发布其辖区（所列代码及其下级区域）内的预警，辖区由 " code { "noticecast source areas" } " 修改。未设辖区的来源，其预警一律拒收。" }
            @let sources = service.read(|conn, _| crate::service::domain::alerts::list_sources(conn)).unwrap_or_default();
            @if sources.is_empty() {
                p { "尚无预警信息来源。" }
            } @else {
                table {
                    thead { tr { th { "来源" } th { "发布方式" } th { "辖区" } th.num { "已收预警" } th { "最近一次" } } }
                    tbody {
                        @for src in &sources {
                            tr {
                                td { (src.name) }
                                td { @if src.publish == crate::service::domain::alerts::Publish::Direct { "直接发布（来源为权威）" } @else { "须一人审核" } }
                                td { @if src.areas.is_empty() { strong { "未设辖区：预警一律拒收" } } @else { (src.areas.join("、")) } }
                                td.num { (src.alerts) }
                                td { @if let Some(t) = &src.last_alert { (when(t)) } @else { "—" } }
                            }
                        }
                    }
                }
            }
            h2 { "新建屏幕组" }
            form method="post" action="/console/groups" {
                input type="hidden" name="csrf" value=(session.csrf);
                label { "名称（小写字母、数字、- 和 _）" input name="name" pattern="[a-z0-9_][a-z0-9_-]*" required; }
                label { "播放列表原文（格式见 " code { "docs/feed.md" } "，其中 " code { "group" } " 须与名称相同）"
                    textarea.code name="playlist" rows="16" required {} }
                button type="submit" { "新建" }
            }
        }
    };
    page(
        StatusCode::OK,
        layout(Some(&session.user), Some(&session.csrf), "屏幕组", body),
    )
}

pub async fn create_group(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    body: Bytes,
) -> Response {
    let f = Fields::parse(&body);
    let (name, text) = (
        f.get("name").trim().to_string(),
        f.get("playlist").replace("\r\n", "\n"),
    );
    match service.change(|conn, now| groups::create(conn, &session.user, &name, &text, now)) {
        Ok(groups::PlaylistOutcome::Applied) => see(&format!("/console/groups/{name}")),
        Ok(groups::PlaylistOutcome::Pending(id)) => {
            see(&format!("/console/groups/{name}?pending={id}"))
        }
        Err(e) => error_page(&session.user, &session.csrf, e),
    }
}

#[derive(Deserialize)]
pub struct Saved {
    saved: Option<u8>,
    /// The edit waits for review (its id).
    pending: Option<i64>,
}

fn saved_url(name: &str, outcome: groups::PlaylistOutcome) -> String {
    match outcome {
        groups::PlaylistOutcome::Applied => format!("/console/groups/{name}?saved=1"),
        groups::PlaylistOutcome::Pending(id) => format!("/console/groups/{name}?pending={id}"),
    }
}

/// The group's warning areas and standby state, for its page.
struct GroupState {
    /// This page follows a save that waits for review.
    pending: Option<i64>,
    areas: Vec<String>,
    blackout: Option<crate::model::Timestamp>,
    policy: policy::ReviewPolicy,
}

fn group_state(service: &AppState, name: &str) -> GroupState {
    service
        .read(|conn, _| {
            Ok(GroupState {
                pending: None,
                areas: groups::areas(conn, name).unwrap_or_default(),
                blackout: groups::blackout(conn, name).ok().flatten(),
                policy: policy::get(conn, name).unwrap_or_default(),
            })
        })
        .unwrap_or(GroupState {
            pending: None,
            areas: Vec::new(),
            blackout: None,
            policy: policy::ReviewPolicy::default(),
        })
}

#[allow(clippy::too_many_arguments)]
fn group_page(
    session: &Session,
    name: &str,
    text: &str,
    errors: &[crate::model::Problem],
    saved: bool,
    raw: bool,
    state: &GroupState,
) -> Markup {
    let admin = session.user.role == Role::Sysadmin;
    let editor = session.user.role == Role::Editor;
    let body = html! {
        @if let Some(since) = state.blackout {
            p.notice { "本组屏幕自 " (when(&since.to_rfc3339())) " 起暂停播放，只显示中性待机页面。" }
        }
        h2 { "播放列表" }
        @if saved { p.ok-box { "已保存。屏幕组的信息流已更新，屏幕在下次获取时使用新的播放列表。" } }
        @if state.pending.is_some() {
            p.notice role="status" {
                "已提交审核：这次修改改变了居民看到的文字（屏幕标题、滚动字幕或手机阅读网址），"
                "须由另一位审核人在“待审核”中批准后才会发布；在此之前屏幕继续使用原来的播放列表。"
            }
        }
        @if !errors.is_empty() {
            (problems(&playlist_form::unplaced(text, errors)))
            p.notice role="alert" { "这次修改未保存，屏幕继续使用上一个有效的播放列表。请按各项旁边的提示修改。" }
        }
        div.editor {
            form #playlist-form method="post" action=(format!("/console/groups/{name}/form"))
                data-preview=(format!("/console/groups/{name}/preview")) {
                input type="hidden" name="csrf" value=(session.csrf);
                (playlist_form::fields(text, errors, editor || admin, admin))
                @if editor || admin { button.primary type="submit" { "检查并保存" } }
            }
            aside.live-preview {
                h3 { "屏幕预览" }
                p.hint #preview-status { "修改后自动生成：本组屏幕此刻将显示的画面。" }
                img #preview-image alt="屏幕预览" src=(format!("/console/groups/{name}/now.png"));
            }
        }
        details.advanced open[raw] {
            summary { "高级：播放列表原文（信息管理员）" }
            p.hint { "与上面的表单是同一份播放列表；格式说明见 docs/feed.md。保存前同样检查，有误不会替换上一个有效的播放列表。" }
            @if admin {
                form method="post" action=(format!("/console/groups/{name}")) {
                    input type="hidden" name="csrf" value=(session.csrf);
                    textarea.code name="playlist" rows="30" spellcheck="false" { (text) }
                    button type="submit" { "检查并保存原文" }
                }
            } @else {
                pre.code { (text) }
            }
        }
        h2 { "审核策略（提级审核）" }
        @let p = &state.policy;
        p {
            @if p.reviews < 2 { "一名审核人员批准即可发布（四眼原则）。" }
            @else {
                "须两名不同的审核人员（均非作者）各自完成保密审查并批准后才发布"
                @if !p.periods.is_empty() {
                    "，适用于在以下期间显示的公告："
                    @for (i, period) in p.periods.iter().enumerate() {
                        @if i > 0 { "、" }
                        (period.from.format("%Y-%m-%d")) " 至 " (period.to.format("%Y-%m-%d"))
                    }
                }
                @if !p.categories.is_empty() {
                    "，适用类别："
                    @for (i, c) in p.categories.iter().enumerate() {
                        @if i > 0 { "、" }
                        (c.label())
                    }
                }
                "。"
            }
        }
        @if session.user.role == Role::Secadmin {
            form method="post" action=(format!("/console/groups/{name}/policy")) {
                input type="hidden" name="csrf" value=(session.csrf);
                label { "审核人数"
                    select name="reviews" {
                        option value="1" selected[p.reviews < 2] { "1 人" }
                        option value="2" selected[p.reviews == 2] { "2 人（提级审核）" }
                    }
                }
                @let first = p.periods.first();
                label { "重大活动开始日期（不填则一直适用）" input type="date" name="from" value=(first.map(|x| x.from.to_string()).unwrap_or_default()); }
                label { "结束日期" input type="date" name="to" value=(first.map(|x| x.to.to_string()).unwrap_or_default()); }
                fieldset {
                    legend { "只适用于这些类别（不选则全部类别）" }
                    @for c in crate::model::Category::ALL {
                        label.check { input type="checkbox" name="category" value=(c.as_str()) checked[p.categories.contains(&c)]; (c.label()) }
                    }
                }
                button type="submit" { "保存审核策略" }
            }
        }
        h2 { "预警区域" }
        p.hint { "行政区划代码（六位）。预警信息的发布区域等于或包含这些区域时，本组屏幕显示该预警（330000 包含 330100，330100 包含 330102）。" }
        @if admin {
            form method="post" action=(format!("/console/groups/{name}/areas")) {
                input type="hidden" name="csrf" value=(session.csrf);
                label { "区划代码（空格分隔）" input name="codes" value=(state.areas.join(" ")) placeholder="330102 330105"; }
                button type="submit" { "保存预警区域" }
            }
            h2 { "暂停播放" }
            form method="post" action=(format!("/console/groups/{name}/blackout")) {
                input type="hidden" name="csrf" value=(session.csrf);
                @if state.blackout.is_some() {
                    input type="hidden" name="on" value="0";
                    label { "恢复原因" input name="reason" required; }
                    button.primary type="submit" { "恢复播放" }
                } @else {
                    input type="hidden" name="on" value="1";
                    label { "暂停原因（如屏幕被篡改、故障、活动需要）" input name="reason" required; }
                    button.danger type="submit" { "立即暂停本组全部屏幕" }
                }
            }
        } @else {
            p { @if state.areas.is_empty() { "未设置" } @else { (state.areas.join(" ")) } }
        }
    };
    layout(
        Some(&session.user),
        Some(&session.csrf),
        &format!("屏幕组 {name} 的播放列表"),
        body,
    )
}

pub async fn group(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    Path(name): Path<String>,
    Query(q): Query<Saved>,
) -> Response {
    // The database guard must be gone before `group_state` takes it again.
    let text = service.read(|conn, _| groups::playlist_text(conn, &name));
    match text {
        Ok(text) => page(
            StatusCode::OK,
            group_page(
                &session,
                &name,
                &text,
                &[],
                q.saved.is_some(),
                false,
                &GroupState {
                    pending: q.pending,
                    ..group_state(&service, &name)
                },
            ),
        ),
        Err(e) => error_page(&session.user, &session.csrf, e),
    }
}

pub async fn save_playlist(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    Path(name): Path<String>,
    body: Bytes,
) -> Response {
    let text = Fields::parse(&body).get("playlist").replace("\r\n", "\n");
    match service.change(|conn, now| groups::put_playlist(conn, &session.user, &name, &text, now)) {
        Ok(outcome) => see(&saved_url(&name, outcome)),
        // The edit is shown again with its problems; the stored playlist is untouched.
        Err(ServiceError::Invalid(errors)) => page(
            StatusCode::UNPROCESSABLE_ENTITY,
            group_page(
                &session,
                &name,
                &text,
                &errors,
                false,
                true,
                &group_state(&service, &name),
            ),
        ),
        Err(e) => error_page(&session.user, &session.csrf, e),
    }
}

/// The group's stored playlist with the posted form written into it, and the form's problems.
fn edited(
    service: &AppState,
    name: &str,
    body: &[u8],
) -> Result<(String, Vec<crate::model::Problem>), ServiceError> {
    let stored = service.read(|conn, _| groups::playlist_text(conn, name))?;
    Ok(playlist_form::apply(&stored, &Fields::parse(body)))
}

/// The playlist form saved: its fields written into the stored text, validated as a raw edit is.
pub async fn save_form(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    Path(name): Path<String>,
    body: Bytes,
) -> Response {
    let (text, mut errors) = match edited(&service, &name, &body) {
        Ok(edited) => edited,
        Err(e) => return error_page(&session.user, &session.csrf, e),
    };
    if errors.is_empty() {
        match service
            .change(|conn, now| groups::put_playlist(conn, &session.user, &name, &text, now))
        {
            Ok(outcome) => return see(&saved_url(&name, outcome)),
            Err(ServiceError::Invalid(e)) => errors = e,
            Err(e) => return error_page(&session.user, &session.csrf, e),
        }
    }
    // The form is shown again as typed, each problem beside its field; nothing was stored.
    page(
        StatusCode::UNPROCESSABLE_ENTITY,
        group_page(
            &session,
            &name,
            &text,
            &errors,
            false,
            false,
            &group_state(&service, &name),
        ),
    )
}

/// What the group's screen shows now with the playlist as the form stands: the live preview.
pub async fn playlist_preview(
    State(service): State<AppState>,
    Path(name): Path<String>,
    body: Bytes,
) -> Response {
    let (text, mut errors) = match edited(&service, &name, &body) {
        Ok(edited) => edited,
        Err(e) => return (e.status(), e.to_string()).into_response(),
    };
    let playlist = match crate::model::Playlist::from_toml(&text, "播放列表") {
        Ok(p) if errors.is_empty() => Some(p),
        Ok(_) => None,
        Err(p) => {
            errors.extend(p.list().iter().cloned());
            None
        }
    };
    let Some(playlist) = playlist else {
        let why: Vec<String> = errors
            .iter()
            .map(|p| {
                format!(
                    "{}：{}",
                    playlist_form::label_of(&p.path),
                    zh_reason(&p.reason)
                )
            })
            .collect();
        return (StatusCode::UNPROCESSABLE_ENTITY, why.join("；")).into_response();
    };
    now_png(&service, &name, Some(playlist)).await
}

/// The group's screen now, with its stored playlist (or `playlist`), as the wall shows it.
async fn now_png(
    service: &AppState,
    name: &str,
    playlist: Option<crate::model::Playlist>,
) -> Response {
    let published = match service.feed(name) {
        Ok(p) => p,
        Err(e) => return (e.status(), e.to_string()).into_response(),
    };
    let doc: crate::model::FeedDocument = match serde_json::from_slice(&published.payload) {
        Ok(d) => d,
        Err(e) => return (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
    };
    let edited = playlist.is_some();
    let Some(playlist) = playlist.or_else(|| doc.playlist.clone()) else {
        return (StatusCode::NOT_FOUND, "本组没有播放列表").into_response();
    };
    // The wall's frame changes only with the feed (which carries the playlist) and the page
    // the rotation is on; cached per group and sequence for a minute of rotation.
    let now = service.now();
    let key = (name.to_string(), published.sequence, now.timestamp() / 60);
    if !edited && let Some(png) = service.wall.get(&key) {
        return png_response(png);
    }
    // The wall's frames are cached per minute; none replaces another (a wall asks for every
    // group at once). Abandoned ones are still dropped unseen (`preview::Queue`).
    match service.previews.now(None, doc, playlist, now).await {
        Ok(png) => {
            if !edited {
                service.wall.put(key, png.clone());
            }
            png_response(png)
        }
        Err(why) => (
            StatusCode::SERVICE_UNAVAILABLE,
            super::form::zh_reason(&why),
        )
            .into_response(),
    }
}

fn png_response(png: Vec<u8>) -> Response {
    (
        [
            (axum::http::header::CONTENT_TYPE, "image/png"),
            (axum::http::header::CACHE_CONTROL, "no-store"),
        ],
        png,
    )
        .into_response()
}

/// What the group's screens show now (the dashboard's wall, the group page's first picture).
pub async fn group_now(State(service): State<AppState>, Path(name): Path<String>) -> Response {
    now_png(&service, &name, None).await
}

pub async fn save_policy(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    Path(name): Path<String>,
    body: Bytes,
) -> Response {
    let f = Fields::parse(&body);
    let date = |field: &str| {
        let text = f.get(field).trim();
        (!text.is_empty())
            .then(|| {
                text.parse::<chrono::NaiveDate>().map_err(|_| {
                    ServiceError::invalid(
                        field,
                        format!("“{text}”不是日期，请按 2026-12-01 的格式填写"),
                    )
                })
            })
            .transpose()
    };
    let built = (|| {
        if f.get("reviews") != "2" {
            // Back to the usual four eyes: dates and categories left in the form mean nothing.
            return Ok(policy::ReviewPolicy::default());
        }
        let periods = match (date("from")?, date("to")?) {
            (Some(from), Some(to)) => vec![policy::Period { from, to }],
            (None, None) => Vec::new(),
            _ => {
                return Err(ServiceError::invalid(
                    "to",
                    "请同时填写重大活动的开始和结束日期，或两项都不填",
                ));
            }
        };
        let categories = f
            .all("category")
            .iter()
            .filter_map(|c| crate::model::Category::parse(c))
            .collect();
        Ok(policy::ReviewPolicy {
            reviews: 2,
            periods,
            categories,
        })
    })();
    let result = built.and_then(|new| {
        service.record(|conn, now| policy::set(conn, &session.user, &name, &new, now))
    });
    match result {
        Ok(()) => see(&format!("/console/groups/{name}")),
        Err(e) => error_page(&session.user, &session.csrf, e),
    }
}

pub async fn save_areas(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    Path(name): Path<String>,
    body: Bytes,
) -> Response {
    let codes: Vec<String> = Fields::parse(&body)
        .get("codes")
        .split([' ', ',', '，', '、'])
        .filter(|c| !c.is_empty())
        .map(str::to_string)
        .collect();
    match service.change(|conn, now| groups::set_areas(conn, &session.user, &name, &codes, now)) {
        Ok(()) => see(&format!("/console/groups/{name}")),
        Err(e) => error_page(&session.user, &session.csrf, e),
    }
}

pub async fn blackout(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    Path(name): Path<String>,
    body: Bytes,
) -> Response {
    let fields = Fields::parse(&body);
    let on = fields.get("on") == "1";
    let reason = fields.get("reason").to_string();
    match service
        .change(|conn, now| groups::set_blackout(conn, &session.user, &name, on, &reason, now))
    {
        Ok(()) => see(&format!("/console/groups/{name}")),
        Err(e) => error_page(&session.user, &session.csrf, e),
    }
}

fn screens_page(service: &AppState, session: &Session, token: Option<(&str, &str)>) -> Response {
    screens_page_saying(service, session, token, None)
}

fn screens_page_saying(
    service: &AppState,
    session: &Session,
    token: Option<(&str, &str)>,
    said: Option<String>,
) -> Response {
    let _now = service.now();
    let loaded = service
        .read(|conn, now| screens::list(conn, now).and_then(|s| Ok((s, groups::names(conn)?))));
    let (list, group_names) = match loaded {
        Ok(x) => x,
        Err(e) => return error_page(&session.user, &session.csrf, e),
    };
    let admin = session.user.role == Role::Sysadmin;
    let body = html! {
        @if let Some(said) = said {
            div.ok-box { p { (said) } }
        }
        @if let Some((id, token)) = token {
            div.ok-box {
                p { "屏幕 " strong { (id) } " 的令牌（只显示这一次，请复制到该屏幕的 player.toml 的 token 项）：" }
                pre.token { (token) }
            }
        }
        (screens_table(&list, &session.csrf))
        @if session.user.role == Role::Secadmin {
            h2 { "确认设备密钥" }
            p.hint {
                "屏幕上按 F12 显示的“设备密钥”编号（或播放器日志中的编号）与下列编号一致时才确认。"
                "确认后，该屏幕签名的播放记录才计入统计和公示证明；同一台屏幕出现多个待确认密钥时，"
                "说明令牌可能被复制，只确认屏幕上显示的那一个。"
            }
            @for s in list.iter().filter(|s| !s.device_key_candidates.is_empty()) {
                @for k in &s.device_key_candidates {
                    form.inline method="post" action=(format!("/console/screens/{}/device-key", s.id)) {
                        input type="hidden" name="csrf" value=(session.csrf);
                        input type="hidden" name="key_id" value=(k);
                        span { (s.id) "：" code { (k) } }
                        button type="submit" { "与屏幕显示一致，确认" }
                    }
                }
            }
            @if list.iter().all(|s| s.device_key_candidates.is_empty()) {
                p { "没有待确认的设备密钥。" }
            }
            // When someone holding a copied token fills the list, or before the screen's
            // first heartbeat: the id read off the screen is confirmed when the screen brings it.
            @for s in list.iter().filter(|s| s.device_key_id.is_none()) {
                form.inline method="post" action=(format!("/console/screens/{}/device-key", s.id)) {
                    input type="hidden" name="csrf" value=(session.csrf);
                    label { (s.id) "：屏幕显示的设备密钥编号"
                        input name="key_id" pattern="[0-9a-fA-F]{16}" placeholder="16 位编号" required; }
                    button type="submit" { "按编号确认" }
                }
            }
        }
        @if admin {
            h2 { "登记屏幕" }
            form.inline method="post" action="/console/screens" {
                input type="hidden" name="csrf" value=(session.csrf);
                label { "屏幕编号" input name="id" pattern="[a-z0-9_][a-z0-9_-]*" placeholder="chengguan-plaza-01" required; }
                label { "屏幕组" select name="group" { @for g in &group_names { option value=(g) { (g) } } } }
                button type="submit" { "登记并生成令牌" }
            }
            h2 { "更换令牌" }
            p.hint { "屏幕更换主机或令牌泄露时使用；旧令牌立即失效。" }
            @for s in &list {
                form.inline method="post" action=(format!("/console/screens/{}/token", s.id)) {
                    input type="hidden" name="csrf" value=(session.csrf);
                    span { (s.id) } button type="submit" { "更换" }
                }
            }
        }
    };
    page(
        StatusCode::OK,
        layout(Some(&session.user), Some(&session.csrf), "屏幕", body),
    )
}

pub async fn screens(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
) -> Response {
    screens_page(&service, &session, None)
}

/// Asks a screen what it shows; the picture arrives after its next heartbeat.
pub async fn request_screenshot(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    Path(id): Path<String>,
) -> Response {
    let now = service.now();
    match service.record(|conn, _| screens::request_screenshot(conn, &session.user, &id, now)) {
        Ok(()) => see("/console/screens"),
        Err(e) => error_page(&session.user, &session.csrf, e),
    }
}

pub async fn add_screen(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    body: Bytes,
) -> Response {
    let f = Fields::parse(&body);
    let (id, group) = (f.get("id").trim().to_string(), f.get("group").to_string());
    match service.change(|conn, now| screens::add(conn, &session.user.name, &id, &group, now)) {
        Ok(token) => screens_page(&service, &session, Some((&id, &token))),
        Err(e) => error_page(&session.user, &session.csrf, e),
    }
}

/// The security administrator confirms the device key whose id the screen shows.
pub async fn confirm_device_key(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let f = Fields::parse(&body);
    let key_id = f.get("key_id").to_string();
    let confirmed = service
        .record(|conn, now| screens::confirm_device_key(conn, &session.user, &id, &key_id, now));
    match confirmed {
        Ok(screens::Confirmation::Confirmed) => see("/console/screens"),
        Ok(screens::Confirmation::Awaited) => screens_page_saying(
            &service,
            &session,
            None,
            Some(format!(
                "屏幕 {id} 尚未发来编号为 {} 的设备密钥；它下次联系时（约一分钟内）若发来该密钥，即自动确认。",
                key_id.trim()
            )),
        ),
        Err(e) => error_page(&session.user, &session.csrf, e),
    }
}

pub async fn screen_token(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    Path(id): Path<String>,
) -> Response {
    let now = service.now();
    let issued = service.record(|conn, _| screens::new_token(conn, &session.user, &id, now));
    match issued {
        Ok(token) => screens_page(&service, &session, Some((&id, &token))),
        Err(e) => error_page(&session.user, &session.csrf, e),
    }
}

/// The users page, with the one-time code just given to `code.0` (shown only this once).
fn users_page(service: &AppState, session: &Session, code: Option<(&str, &str)>) -> Response {
    let listed = service.read(|conn, _now| {
        let list = accounts::list_users(conn)?;
        let handovers = list
            .iter()
            .map(|u| accounts::handover(conn, u))
            .collect::<Result<Vec<_>, _>>()?;
        Ok((list, accounts::disabled_users(conn)?, handovers))
    });
    let (list, disabled, handovers) = match listed {
        Ok(l) => l,
        Err(e) => return error_page(&session.user, &session.csrf, e),
    };
    let role_select = |current: Role, roles: &[Role]| {
        html! {
            select name="role" {
                @if !roles.contains(&current) { option value="" selected { (role_label(current)) } }
                @for r in roles { option value=(r.as_str()) selected[current == *r] { (role_label(*r)) } }
            }
        }
    };
    let me = &session.user;
    // What this administrator may change on each account: the same rule the change is checked by.
    let may = |target: &accounts::User, change: accounts::AccountChange| {
        accounts::may_change(me, target, change).is_ok()
    };
    let body = html! {
        @if let Some((name, code)) = code {
            div.ok-box {
                p { "用户 " strong { (name) } " 的一次性密码（只显示这一次）：" }
                pre.token { (code) }
                p.hint { "请当面或通过可靠渠道交给本人。本人用它登录后必须立即设置自己的密码；在此之前不能办理任何事项。新账号和重置过密码的账号没有角色，须由安全管理员在本人设置密码后授予。" }
            }
        }
        p.hint { "三员分立：系统管理员新建账号（没有角色、只有一次性密码）、为编辑和审核重置密码（账号的角色随之暂停）或停用账号；安全管理员为已设置自己密码的账号授予编辑或审核角色（不能给自己）；系统管理员、安全管理员、安全审计员的角色授予、密码重置和账号停用只能由服务器管理员在服务器的命令行上办理（见部署说明）。任何人都只能通过“修改密码”设置自己的密码。" }
        table {
            thead { tr { th { "用户" } th { "角色" } th { "状态" } th { "修改" } } }
            tbody {
                @for (u, handover) in list.iter().zip(&handovers) {
                    @let off = disabled.contains(&u.name);
                    @let role_ok = may(u, accounts::AccountChange { role: Some(Role::Editor), ..Default::default() }) && !u.must_change_password;
                    @let reset_ok = may(u, accounts::AccountChange { reset: true, ..Default::default() });
                    @let state_ok = may(u, accounts::AccountChange { state: true, ..Default::default() });
                    tr {
                        td { (u.name) }
                        td {
                            (role_label(u.role))
                            @if u.must_change_password { br; span.hint { "待本人用一次性密码登录并设置密码" } }
                            @if let Some(h) = handover {
                                br;
                                span.hint {
                                    (h.by) (if h.action == "user.add" { " 新建于 " } else { " 重置密码于 " }) (h.at)
                                    @if let (Some(at), Some(from)) = (&h.replaced_at, &h.replaced_from) {
                                        "；一次性密码于 " (at) " 从 " (from) " 被替换"
                                    }
                                }
                                @if h.from_administrators_address {
                                    br;
                                    span.bad { "注意：替换一次性密码的地址是 " (h.by) " 登录过的地址，可能是管理员本人设置了密码。授予角色前请当面向本人确认密码是本人设置的。" }
                                }
                            }
                        }
                        td { @if off { span.bad { "已停用" } } @else { "在用" } }
                        td {
                            @if role_ok || reset_ok || state_ok {
                                form.inline method="post" action=(format!("/console/users/{}", u.name)) {
                                    input type="hidden" name="csrf" value=(session.csrf);
                                    @if role_ok { (role_select(u.role, &Role::GRANTED_ONLINE)) }
                                    @if state_ok {
                                        select name="state" {
                                            option value="active" selected[!off] { "在用" }
                                            option value="disabled" selected[off] { "停用（离职、调岗）" }
                                        }
                                    }
                                    @if reset_ok {
                                        label { input type="checkbox" name="reset" value="1"; "重置密码（生成一次性密码，角色暂停）" }
                                    }
                                    button type="submit" { "保存" }
                                }
                            } @else if u.id == me.id {
                                span.hint { "自己的账号：请用“修改密码”" }
                            } @else if u.role.is_administrator() {
                                span.hint { "管理员账号只能在服务器上管理" }
                            } @else if me.role == Role::Secadmin && u.must_change_password {
                                span.hint { "待本人设置密码后再授予角色" }
                            } @else {
                                span.hint { "由系统管理员管理" }
                            }
                        }
                    }
                }
            }
        }
        @if me.role == Role::Sysadmin {
            h2 { "新建用户" }
            p.hint { "新账号没有角色，只有一个一次性密码（保存后显示一次）。本人登录并设置自己的密码后，由安全管理员授予编辑或审核角色。" }
            form.inline method="post" action="/console/users" {
                input type="hidden" name="csrf" value=(session.csrf);
                label { "用户名" input name="name" required; }
                button type="submit" { "新建" }
            }
        }
    };
    page(
        StatusCode::OK,
        layout(Some(&session.user), Some(&session.csrf), "用户", body),
    )
}

pub async fn users(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
) -> Response {
    users_page(&service, &session, None)
}

pub async fn add_user(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    body: Bytes,
) -> Response {
    let f = Fields::parse(&body);
    let name = f.get("name").trim().to_string();
    let result = service.change(|conn, now| accounts::add_account(conn, &session.user, &name, now));
    match result {
        Ok((user, code)) => users_page(&service, &session, Some((&user.name, &code))),
        Err(e) => error_page(&session.user, &session.csrf, e),
    }
}

pub async fn change_user(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    Path(name): Path<String>,
    body: Bytes,
) -> Response {
    let f = Fields::parse(&body);
    let role = Role::parse(f.get("role"));
    let reset = f.get("reset") == "1";
    let disabled = match f.get("state") {
        "disabled" => Some(true),
        "active" => Some(false),
        _ => None,
    };
    let result = service.change(|conn, now| {
        accounts::change_account(conn, &session.user, &name, role, reset, disabled, now)
    });
    match result {
        Ok((user, Some(code))) => users_page(&service, &session, Some((&user.name, &code))),
        Ok((_, None)) => see("/console/users"),
        Err(e) => error_page(&session.user, &session.csrf, e),
    }
}

/// 修改密码: everyone's own, and the first thing an account with a one-time code does.
fn password_form(session: &Session, problem: Option<&str>, done: bool) -> Response {
    let user = &session.user;
    let body = html! {
        @if user.must_change_password {
            p.notice { "您现在使用的是一次性密码。请先设置您自己的密码；设置之前不能办理其他事项。" }
        } @else if user.role == Role::Unassigned {
            p.notice { "您的账号还没有角色。安全管理员为您授予角色后，才能办理业务。" }
        }
        @if done { div.ok-box { p { "密码已修改。您在其他地方的登录已全部退出。" } } }
        @if let Some(problem) = problem { div.error role="alert" { p { (problem) } } }
        form method="post" action="/console/password" {
            input type="hidden" name="csrf" value=(session.csrf);
            label { "当前密码（或一次性密码）" input name="current" type="password" autocomplete="current-password" required; }
            label { "新密码（至少 " (passwords::MIN_PASSWORD_CHARS) " 个字符，不能包含用户名）" input name="new" type="password" minlength=(passwords::MIN_PASSWORD_CHARS) autocomplete="new-password" required; }
            label { "再输入一次新密码" input name="again" type="password" autocomplete="new-password" required; }
            button type="submit" { "修改密码" }
        }
    };
    let status = if problem.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    page(
        status,
        layout(Some(user), Some(&session.csrf), "修改密码", body),
    )
}

pub async fn password_page(Extension(session): Extension<Session>) -> Response {
    password_form(&session, None, false)
}

pub async fn change_password(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    headers: axum::http::HeaderMap,
    body: Bytes,
) -> Response {
    let f = Fields::parse(&body);
    let (current, new) = (f.get("current").to_string(), f.get("new").to_string());
    if new != f.get("again") {
        return password_form(&session, Some("两次输入的新密码不一致。"), false);
    }
    // The current password through the login's gate and limit, counted against this session
    // alone (see the API's twin).
    let client = Some(limits::session_limit_key(&session.csrf));
    match service
        .login(
            &session.user.name,
            current.clone(),
            client,
            None,
            "password change",
        )
        .await
    {
        Ok(user) if user.id == session.user.id => {}
        Ok(_) | Err(ServiceError::Unauthenticated(_)) => {
            return password_form(&session, Some("当前密码（或一次性密码）不正确。"), false);
        }
        Err(ServiceError::TooManyRequests { retry_after_s }) => {
            let wait = format!("{} 秒", retry_after_s);
            return password_form(
                &session,
                Some(&format!("密码错误次数过多，请 {wait}后再试。")),
                false,
            );
        }
        Err(e) => return error_page(&session.user, &session.csrf, e),
    }
    let keep =
        crate::service::http::guard::cookie(&headers, crate::service::http::guard::SESSION_COOKIE);
    let changed = service.record(|conn, now| {
        accounts::set_own_password(conn, &session.user, &current, &new, keep.as_deref(), now)
    });
    match changed {
        Ok(()) => {
            let session = Session {
                user: accounts::User {
                    must_change_password: false,
                    ..session.user.clone()
                },
                csrf: session.csrf.clone(),
            };
            password_form(&session, None, true)
        }
        Err(ServiceError::Invalid(list)) => {
            let why: Vec<String> = list
                .iter()
                .map(|p| format!("新密码{}", zh_reason(&p.reason)))
                .collect();
            password_form(&session, Some(&format!("{}。", why.join("；"))), false)
        }
        Err(e) => error_page(&session.user, &session.csrf, e),
    }
}
