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
    let body = html! {
        table {
            thead { tr { th { "屏幕组" } th { "类型" } th { "名称（屏幕页眉）" } th.num { "屏幕数" }
                th { "播放列表修改于" } } }
            tbody {
                @for g in &list {
                    tr {
                        td { a href=(format!("/console/groups/{}", g.name)) { (g.name) } }
                        td { (kind_label(&g.kind)) } td { (g.title) } td.num { (g.screens) }
                            td { (when(&g.updated_at)) }
                    }
                }
            }
        }
        // Only the system administrator creates groups (`groups::create`).
        @if session.user.role == Role::Sysadmin {
            h2 { "新建屏幕组" }
            form method="post" action="/console/groups" {
                input type="hidden" name="csrf" value=(session.csrf);
                label { "名称（小写字母、数字、- 和 _）"
                    input name="name" pattern="[a-z0-9_][a-z0-9_-]*" required; }
                label { "播放列表原文（格式见 " code { "docs/feed.md" }
                    "，其中 " code { "group" } " 须与名称相同）"
                    textarea.code name="playlist" rows="16" required {} }
                button type="submit" { "新建" }
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
    let (name, text) = (
        f.get("name").trim().to_string(),
        f.get("playlist").replace("\r\n", "\n"),
    );
    Ok(
        match service.change(|conn, now| groups::create(conn, &session.user, &name, &text, now))? {
            groups::PlaylistOutcome::Applied => see(&format!("/console/groups/{name}")),
            groups::PlaylistOutcome::Pending(id) => {
                see(&format!("/console/groups/{name}?pending={id}"))
            }
        },
    )
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
            p.notice { "本组屏幕自 " (when(&since.to_rfc3339()))
                " 起暂停播放，只显示中性待机页面。" }
        }
        h2 { "播放列表" }
        @if saved {
            p.ok-box { "已保存。屏幕组的信息流已更新，屏幕在下次获取时使用新的播放列表。" }
        }
        @if state.pending.is_some() {
            p.notice role="status" {
                "已提交审核：这次修改改变了居民看到的文字（屏幕标题、滚动字幕或手机阅读网址），"
                "须由另一位审核人在“待审核”中批准后才会发布；在此之前屏幕继续使用原来的播放列表。"
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
                img #preview-image alt="屏幕预览" src=(format!("/console/groups/{name}/now.png"));
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
        &format!("屏幕组 {name} 的播放列表"),
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
                pending: q.pending,
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
    now_png(&service, &name, Some(playlist)).await
}

/// The group's screen now, with its stored playlist (or `playlist`), as the wall shows it.
async fn now_png(
    service: &AppState,
    name: &str,
    playlist: Option<crate::model::Playlist>,
) -> Result<Response, TextError> {
    let published = service.feed(name)?;
    let doc: crate::model::FeedDocument = match serde_json::from_slice(&published.payload) {
        Ok(d) => d,
        Err(e) => return Ok((StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response()),
    };
    let edited = playlist.is_some();
    let Some(playlist) = playlist.or_else(|| doc.playlist.clone()) else {
        return Ok((StatusCode::NOT_FOUND, "本组没有播放列表").into_response());
    };
    // The wall's frame changes only with the feed (which carries the playlist) and the page
    // the rotation is on; cached per group and sequence for a minute of rotation.
    let now = service.now();
    let key = (name.to_string(), published.sequence, now.timestamp() / 60);
    if !edited && let Some(png) = service.wall.get(&key) {
        return Ok(png_response(png));
    }
    // The wall's frames are cached per minute; none replaces another (a wall asks for every
    // group at once). Abandoned ones are still dropped unseen (`preview::Queue`).
    Ok(match service.previews.now(None, doc, playlist, now).await {
        Ok(png) => {
            if !edited {
                service.wall.put(key, png.clone());
            }
            png_response(png)
        }
        Err(why) => (StatusCode::SERVICE_UNAVAILABLE, why.to_string()).into_response(),
    })
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
pub async fn group_now(
    State(service): State<AppState>,
    Path(name): Path<String>,
) -> Result<Response, TextError> {
    now_png(&service, &name, None).await
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
    Ok(see(&format!("/console/groups/{name}")))
}

pub async fn save_areas(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    Path(name): Path<String>,
    body: Bytes,
) -> Page {
    let codes = Fields::parse(&body).codes("codes");
    service.change(|conn, now| groups::set_areas(conn, &session.user, &name, &codes, now))?;
    Ok(see(&format!("/console/groups/{name}")))
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
    Ok(see(&format!("/console/groups/{name}")))
}
