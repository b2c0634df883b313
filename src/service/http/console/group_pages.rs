//! The console's screen groups: the list, a group's playlist (the form, the raw text, the live
//! preview, what its screens show now), its review policy, warning areas and standby.

use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use maud::{Markup, html};
use serde::Deserialize;

use axum::response::IntoResponse;

use super::error::{Page, TextError};
use super::form::Fields;
use super::frame::{layout, problems};
use super::playlist_form;
use super::{kind_label, page, see, when};
use crate::service::domain::accounts::Role;
use crate::service::domain::error::Error;
use crate::service::http::guard::{AppState, Session};
use crate::service::{domain::groups, domain::policy};

pub async fn groups(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
) -> Page {
    let list = service.read(|conn, _| groups::list(conn))?;
    let admin = session.user.role == Role::Sysadmin;
    let body = html! {
        table {
            thead { tr { th { "屏幕组" } th { "类型" } th { "屏幕页眉" } th.num { "屏幕数" }
                th { "播放列表修改于" } } }
            tbody {
                @for g in &list {
                    tr {
                        td { a href=(format!("/console/groups/{}", g.name)) { (g.label) }
                            @if admin { br; small.id { "编号 " (g.name) } } }
                        td { (kind_label(&g.kind)) } td { (g.title) } td.num { (g.screens) }
                            td { (when(&g.updated_at)) }
                    }
                }
            }
        }
        // Only the system administrator creates groups (`groups::create`).
        @if admin {
            h2 { "新建屏幕组" }
            p.hint { "按屏幕类型从样板开始，新建后在本组页面的表单中修改播放设置。"
                "屏幕页眉、滚动字幕等居民看到的文字须经另一人审核后才显示。" }
            form method="post" action="/console/groups" {
                input type="hidden" name="csrf" value=(session.csrf);
                label { "名称（工作人员看到的名称）"
                    input name="label" minlength="2" maxlength="30" required
                        placeholder="城关镇广场大屏"; }
                label { "屏幕类型" select name="kind" {
                    option value="tv" { (kind_label("tv")) "（横屏，1920×1080）" }
                    option value="led" { (kind_label("led")) "（单色条屏）" }
                    option value="terminal" { (kind_label("terminal")) "（竖屏，可触摸）" }
                } }
                label { "编号（小写字母、数字、- 和 _，写入屏幕配置和信息流地址，不能修改）"
                    input name="name" pattern="[a-z0-9_][a-z0-9_-]*" required
                        placeholder="chengguan-plaza"; }
                button type="submit" { "新建" }
            }
            details.advanced {
                summary { "高级：从播放列表原文新建" }
                form method="post" action="/console/groups" {
                    input type="hidden" name="csrf" value=(session.csrf);
                    label { "名称（工作人员看到的名称）"
                        input name="label" minlength="2" maxlength="30" required; }
                    label { "编号（小写字母、数字、- 和 _）"
                        input name="name" pattern="[a-z0-9_][a-z0-9_-]*" required; }
                    label { "播放列表原文（格式见 " code { "docs/feed.md" }
                        "，其中 " code { "group" } " 须与编号相同）"
                        textarea.code name="playlist" rows="16" required {} }
                    button type="submit" { "新建" }
                }
            }
        }
    };
    Ok(page(
        StatusCode::OK,
        layout(Some(&session.user), Some(&session.csrf), "屏幕组", body),
    ))
}

pub async fn create_group(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    body: Bytes,
) -> Page {
    let f = Fields::parse(&body);
    let name = f.get("name").trim().to_string();
    let label = f.get("label").to_string();
    // From the kind's template, or (advanced) from a playlist as written.
    let text = match f.get("playlist") {
        "" => groups::template(f.get("kind"), &name)?,
        text => text.replace("\r\n", "\n"),
    };
    service.change(|conn, now| {
        // The label is checked first: a bad one creates nothing.
        groups::checked_label(&label)?;
        groups::create(conn, &session.user, &name, &text, now)?;
        groups::set_label(conn, &session.user, &name, &label, now)
    })?;
    Ok(see(&format!("/console/groups/{name}")))
}

#[derive(Deserialize)]
pub struct Saved {
    saved: Option<u8>,
    /// What was just done on the page ([`done_message`]).
    done: Option<String>,
}

/// What the page says after a change made on it, so every action is answered.
fn done_message(done: &str) -> Option<&'static str> {
    Some(match done {
        "label" => "名称已保存。",
        "policy" => "审核策略已保存，此后提交的公告按新策略审核。",
        "areas" => "预警区域已保存，此后发布的预警按新区域分发到本组屏幕。",
        "blackout" => "本组屏幕已暂停播放，下次获取信息流时（约一分钟内）改为待机页面。",
        "resumed" => "本组屏幕已恢复播放，下次获取信息流时（约一分钟内）恢复正常轮播。",
        _ => return None,
    })
}

fn saved_url(name: &str, outcome: groups::PlaylistOutcome) -> String {
    match outcome {
        groups::PlaylistOutcome::Applied => format!("/console/groups/{name}?saved=1"),
        groups::PlaylistOutcome::Pending(id) => format!("/console/groups/{name}?pending={id}"),
    }
}

/// The group's warning areas and standby state, for its page.
struct GroupState {
    /// The name staff read (城关镇广场大屏).
    label: String,
    /// An edit of this group's playlist that waits for review: who sent it and when.
    pending: Option<(String, String)>,
    /// What was just done ([`done_message`]).
    done: Option<&'static str>,
    areas: Vec<String>,
    blackout: Option<crate::model::Timestamp>,
    policy: policy::ReviewPolicy,
    /// The words over the preview while the screens are off (关屏时段).
    off: Option<String>,
}

fn group_state(service: &AppState, name: &str) -> GroupState {
    let mut state = service
        .read(|conn, _| {
            let labels = groups::labels(conn)?;
            let pending = groups::pending_playlists(conn)?
                .into_iter()
                .find(|c| c.group == name)
                .map(|c| (c.author, c.created_at));
            Ok(GroupState {
                label: labels.of(name).to_string(),
                pending,
                done: None,
                areas: groups::areas(conn, name).unwrap_or_default(),
                blackout: groups::blackout(conn, name).ok().flatten(),
                policy: policy::get(conn, name).unwrap_or_default(),
                off: None,
            })
        })
        .unwrap_or(GroupState {
            label: name.to_string(),
            pending: None,
            done: None,
            areas: Vec::new(),
            blackout: None,
            policy: policy::ReviewPolicy::default(),
            off: None,
        });
    // Outside the read: the feed takes the database's lock itself.
    state.off = super::wall::off_label(service, name);
    state
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
            p.notice { "本组屏幕自 " (when(&since.to_rfc3339()))
                " 起暂停播放，只显示中性待机页面。" }
        }
        @if let Some(done) = state.done {
            p.ok-box role="status" { (done) }
        }
        @if admin {
            form.inline method="post" action=(format!("/console/groups/{name}/label")) {
                input type="hidden" name="csrf" value=(session.csrf);
                label { "屏幕组名称（工作人员看到的名称）"
                    input name="label" minlength="2" maxlength="30" required value=(state.label); }
                button type="submit" { "改名" }
            }
        }
        details.ids {
            summary { "技术信息（信息管理员）" }
            p { "屏幕组编号 " code { (name) } "：写在屏幕的 player.toml 和信息流地址 "
                code { "/feed/" (name) } " 中，不能修改。" }
        }
        h2 { "播放列表" }
        @if saved {
            p.ok-box { "已保存。屏幕组的信息流已更新，屏幕在下次获取时使用新的播放列表。" }
        }
        @if let Some((author, at)) = &state.pending {
            p.notice role="status" {
                (author) " 于 " (when(at)) " 提交的修改待审核：它改变了居民看到的文字"
                "（屏幕标题、滚动字幕或手机阅读网址），须由另一位审核人在“待审核”中批准后才会发布；"
                "在此之前屏幕继续使用原来的播放列表。"
            }
        }
        @if !errors.is_empty() {
            (problems(&playlist_form::unplaced(text, errors)))
            p.notice role="alert" {
                "这次修改未保存，屏幕继续使用上一个有效的播放列表。请按各项旁边的提示修改。"
            }
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
                (super::wall::framed(html! { img #preview-image alt="屏幕预览"
                    src=(format!("/console/groups/{name}/now.png")); }, state.off.as_deref(),
                    Some("preview-off")))
            }
        }
        details.advanced open[raw] {
            summary { "高级：播放列表原文（信息管理员）" }
            p.hint {
                "与上面的表单是同一份播放列表；格式说明见 docs/feed.md。"
                "保存前同样检查，有误不会替换上一个有效的播放列表。"
            }
            @if admin {
                form method="post" action=(format!("/console/groups/{name}")) {
                    input type="hidden" name="csrf" value=(session.csrf);
                    textarea.code name="playlist" rows="30" spellcheck="false"
                        aria-label="播放列表原文" { (text) }
                    button type="submit" { "检查并保存原文" }
                }
            } @else {
                // Scrolls sideways: reachable by keyboard.
                pre.code tabindex="0" aria-label="播放列表原文" { (text) }
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
                label { "重大活动开始日期（不填则一直适用）"
                    input type="date" name="from"
                        value=(first.map(|x| x.from.to_string()).unwrap_or_default()); }
                label { "结束日期" input type="date" name="to" value=(first.map(|x|
                    x.to.to_string()).unwrap_or_default()); }
                fieldset {
                    legend { "只适用于这些类别（不选则全部类别）" }
                    @for c in crate::model::Category::ALL {
                        label.check { input type="checkbox" name="category" value=(c.as_str())
                            checked[p.categories.contains(&c)]; (c.label()) }
                    }
                }
                button type="submit" { "保存审核策略" }
            }
        }
        h2 { "预警区域" }
        p.hint {
            "行政区划代码（六位）。预警信息的发布区域等于或包含这些区域时，本组屏幕显示该预警"
            "（330000 包含 330100，330100 包含 330102）。"
        }
        @if admin {
            form method="post" action=(format!("/console/groups/{name}/areas")) {
                input type="hidden" name="csrf" value=(session.csrf);
                label { "区划代码（空格分隔）" input name="codes" value=(state.areas.join(" "))
                    placeholder="330102 330105"; }
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
                    label { "暂停原因（如屏幕被篡改、故障、活动需要）"
                        input name="reason" required; }
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
        &format!("{} 的播放列表", state.label),
        body,
    )
}

pub async fn group(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    Path(name): Path<String>,
    Query(q): Query<Saved>,
) -> Page {
    // The database guard must be gone before `group_state` takes it again.
    let text = service.read(|conn, _| groups::playlist_text(conn, &name))?;
    Ok(page(
        StatusCode::OK,
        group_page(
            &session,
            &name,
            &text,
            &[],
            q.saved.is_some(),
            false,
            &GroupState {
                done: q.done.as_deref().and_then(done_message),
                ..group_state(&service, &name)
            },
        ),
    ))
}

pub async fn save_playlist(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    Path(name): Path<String>,
    body: Bytes,
) -> Page {
    let text = Fields::parse(&body).get("playlist").replace("\r\n", "\n");
    match service.change(|conn, now| groups::put_playlist(conn, &session.user, &name, &text, now)) {
        Ok(outcome) => Ok(see(&saved_url(&name, outcome))),
        // The edit is shown again with its problems; the stored playlist is untouched.
        Err(Error::Invalid(errors)) => Ok(page(
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
        )),
        Err(e) => Err(e.into()),
    }
}

/// The group's stored playlist with the posted form written into it, and the form's problems.
fn edited(
    service: &AppState,
    name: &str,
    body: &[u8],
) -> Result<(String, Vec<crate::model::Problem>), Error> {
    let stored = service.read(|conn, _| groups::playlist_text(conn, name))?;
    Ok(playlist_form::apply(&stored, &Fields::parse(body)))
}

/// The playlist form saved: its fields written into the stored text, validated as a raw edit is.
pub async fn save_form(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    Path(name): Path<String>,
    body: Bytes,
) -> Page {
    let (text, mut errors) = edited(&service, &name, &body)?;
    if errors.is_empty() {
        match service
            .change(|conn, now| groups::put_playlist(conn, &session.user, &name, &text, now))
        {
            Ok(outcome) => return Ok(see(&saved_url(&name, outcome))),
            Err(Error::Invalid(e)) => errors = e,
            Err(e) => return Err(e.into()),
        }
    }
    // The form is shown again as typed, each problem beside its field; nothing was stored.
    Ok(page(
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
    ))
}

/// What the group's screen shows now with the playlist as the form stands: the live preview.
pub async fn playlist_preview(
    State(service): State<AppState>,
    Path(name): Path<String>,
    body: Bytes,
) -> Result<Response, TextError> {
    let (text, mut errors) = edited(&service, &name, &body)?;
    let playlist = match crate::model::Playlist::from_toml(&text, "播放列表") {
        Ok(p) if errors.is_empty() => Some(p),
        Ok(_) => None,
        // The form's own problems say it in its terms (a time of day); the parser's would
        // repeat them about the stored text.
        Err(p) => {
            if errors.is_empty() {
                errors.extend(p.list().iter().cloned());
            }
            None
        }
    };
    let Some(playlist) = playlist else {
        let why: Vec<String> = errors
            .iter()
            .map(|p| format!("{}：{}", playlist_form::label_of(&p.path), p.reason.zh()))
            .collect();
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, why.join("；")).into_response());
    };
    super::wall::now_png(&service, &name, Some(playlist)).await
}

pub async fn save_policy(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    Path(name): Path<String>,
    body: Bytes,
) -> Page {
    let f = Fields::parse(&body);
    let date = |field: &str| {
        let text = f.get(field).trim();
        (!text.is_empty())
            .then(|| {
                text.parse::<chrono::NaiveDate>().map_err(|_| {
                    Error::invalid(
                        field,
                        crate::model::Reason::NotADate {
                            text: text.to_string(),
                        },
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
                return Err(Error::invalid("to", crate::model::Reason::EventHalfGiven));
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
    let new = built?;
    service.record(|conn, now| policy::set(conn, &session.user, &name, &new, now))?;
    Ok(see(&format!("/console/groups/{name}?done=policy")))
}

pub async fn save_areas(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    Path(name): Path<String>,
    body: Bytes,
) -> Page {
    let codes = Fields::parse(&body).codes("codes");
    service.change(|conn, now| groups::set_areas(conn, &session.user, &name, &codes, now))?;
    Ok(see(&format!("/console/groups/{name}?done=areas")))
}

pub async fn blackout(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    Path(name): Path<String>,
    body: Bytes,
) -> Page {
    let fields = Fields::parse(&body);
    let on = fields.get("on") == "1";
    let reason = fields.get("reason").to_string();
    service
        .change(|conn, now| groups::set_blackout(conn, &session.user, &name, on, &reason, now))?;
    let done = if on { "blackout" } else { "resumed" };
    Ok(see(&format!("/console/groups/{name}?done={done}")))
}

/// Renames a group for staff (the label only: its id stays in feeds and players).
pub async fn label_group(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    Path(name): Path<String>,
    body: Bytes,
) -> Page {
    let label = Fields::parse(&body).get("label").to_string();
    service.record(|conn, now| groups::set_label(conn, &session.user, &name, &label, now))?;
    Ok(see(&format!("/console/groups/{name}?done=label")))
}
