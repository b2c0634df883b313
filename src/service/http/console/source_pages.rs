//! The security administrator's alert sources (预警信息来源): the warning systems that post CAP
//! 1.2 or GB/T 35965.1 warnings to `POST /api/alerts` with a token of their own. The list with
//! each source's remit (辖区) and a form to change it; adding a source, whose token the answer
//! shows this once; revoking one, after a page that says what revoking does.

use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use maud::{Markup, html};
use serde::Deserialize;

use super::error::Page;
use super::form::Fields;
use super::frame::{layout, problems};
use super::{page, see, when};
use crate::model::{Problem, Reason};
use crate::service::domain::alerts::{self, Publish, SourceInfo};
use crate::service::domain::error::Error;
use crate::service::http::guard::{AppState, Session};

/// What the page says besides the list: a source just added with its token, the add form as
/// typed with its problems, or what was just done.
#[derive(Default)]
struct Said {
    /// The source just added and its token, shown this once.
    token: Option<(String, String)>,
    /// The add form as typed (name, publish, areas), shown again with its problems.
    typed: Option<(String, Publish, String)>,
    problems: Vec<Problem>,
    /// The source whose new remit was refused for `problems` (not the add form's).
    areas_of: Option<String>,
    done: Option<String>,
}

fn publish_label(publish: Publish) -> &'static str {
    match publish {
        Publish::Direct => "直接发布（来源为权威，不经审核）",
        Publish::Review => "须一人审核",
    }
}

fn sources_page(service: &AppState, session: &Session, said: Said, status: StatusCode) -> Page {
    let list = service.read(|conn, _| alerts::list_sources(conn))?;
    let (name, publish, areas) =
        said.typed
            .clone()
            .unwrap_or((String::new(), Publish::Review, String::new()));
    let body = html! {
        p.hint {
            "预警发布系统以来源的令牌调用 " code { "POST /api/alerts" }
            "（CAP 1.2 或 GB/T 35965.1）。来源只能发布其辖区（所列行政区划代码及其下级区域）"
            "内的预警；未设辖区的来源，其预警一律拒收。"
        }
        @if let Some((name, token)) = &said.token {
            div.ok-box role="status" {
                p { "已新增预警来源 " strong { (name) } "。它的令牌只显示这一次，"
                    "请复制后交给预警发布系统的管理员，配置为请求头 "
                    code { "Authorization: Bearer" } " 后的令牌：" }
                pre.token { (token) }
                p { "离开本页后无法再查看令牌；令牌遗失或泄露时，撤销这个来源，再新增一个。" }
            }
        }
        @if let Some(done) = &said.done {
            div.ok-box role="status" { p { (done) } }
        }
        @if let Some(name) = &said.areas_of {
            p.notice role="alert" { "预警来源 " (name) " 的辖区未保存，仍为原来的辖区。" }
            (problems(&said.problems))
        }
        @if list.is_empty() {
            p { "尚无预警信息来源。" }
        } @else {
            table {
                thead { tr { th { "来源" } th { "发布方式" } th { "辖区（行政区划代码）" }
                    th.num { "已收预警" } th { "最近一次" } th { "状态" } } }
                tbody { @for src in &list { (source_row(session, src)) } }
            }
        }
        h2 { "新增预警来源" }
        @if said.areas_of.is_none() { (problems(&said.problems)) }
        form method="post" action="/console/sources" {
            input type="hidden" name="csrf" value=(session.csrf);
            label { "名称（小写字母、数字、- 和 _，如 qxj）"
                input name="name" value=(name) pattern="[a-z0-9_][a-z0-9_-]*" maxlength="64"
                    title="只能用小写字母、数字、- 和 _" required; }
            fieldset {
                legend { "发布方式" }
                label.check { input type="radio" name="publish" value="review"
                    checked[publish == Publish::Review];
                    "须一人审核：预警排在“待审核”最前面，一名审核人员批准后上屏" }
                label.check { input type="radio" name="publish" value="direct"
                    checked[publish == Publish::Direct];
                    "直接发布：来源为权威（如气象台的预警发布系统），预警立即上屏，不经审核" }
            }
            label { "辖区：可发布预警的行政区划代码，六位，空格分隔（330100 含其下各区县）"
                input name="areas" value=(areas) placeholder="330102 330105" required; }
            button.primary type="submit" { "新增并生成令牌" }
        }
    };
    Ok(page(
        status,
        layout(
            Some(&session.user),
            Some(&session.csrf),
            "预警信息来源",
            body,
        ),
    ))
}

/// One source in the list: in use, its remit's form and the way to revoke it; revoked, when and
/// by whom.
fn source_row(session: &Session, src: &SourceInfo) -> Markup {
    html! {
        tr {
            td { (src.name) }
            td { (publish_label(src.publish)) }
            td {
                @if src.revoked_at.is_some() {
                    (src.areas.join(" "))
                } @else {
                    @if src.areas.is_empty() { strong { "未设辖区：预警一律拒收" } }
                    form.inline method="post"
                        action=(format!("/console/sources/{}/areas", src.name)) {
                        input type="hidden" name="csrf" value=(session.csrf);
                        input name="codes" value=(src.areas.join(" ")) aria-label="辖区"
                            required;
                        button type="submit" { "保存辖区" }
                    }
                }
            }
            td.num { (src.alerts) }
            td { @if let Some(t) = &src.last_alert { (when(t)) } @else { "—" } }
            td {
                @if let Some(at) = &src.revoked_at {
                    "已撤销（" (when(at))
                    @if let Some(by) = &src.revoked_by { "，" (by) }
                    "），令牌拒收"
                } @else {
                    "使用中 "
                    a href=(format!("/console/sources/{}/revoke", src.name)) { "撤销…" }
                }
            }
        }
    }
}

/// What the list says after a change (POST, redirect, GET): the source it names.
#[derive(Deserialize)]
pub struct Done {
    saved: Option<String>,
    revoked: Option<String>,
}

pub async fn sources(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    Query(q): Query<Done>,
) -> Page {
    // Said only of a source that is so: the address alone cannot make the page claim it.
    let list = service.read(|conn, _| alerts::list_sources(conn))?;
    let named = |name: &Option<String>, revoked: bool| {
        name.as_ref()
            .filter(|n| {
                list.iter()
                    .any(|s| &s.name == *n && s.revoked_at.is_some() == revoked)
            })
            .cloned()
    };
    let done = if let Some(name) = named(&q.revoked, true) {
        Some(format!(
            "预警来源 {name} 已撤销：它的令牌自此拒收。已收到的预警按原定时间结束。"
        ))
    } else {
        named(&q.saved, false).map(|name| format!("预警来源 {name} 的辖区已保存。"))
    };
    let said = Said {
        done,
        ..Said::default()
    };
    sources_page(&service, &session, said, StatusCode::OK)
}

pub async fn add_source(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    body: Bytes,
) -> Page {
    let f = Fields::parse(&body);
    let name = f.get("name").trim().to_string();
    // Only the form's two choices: anything else is taken as the one that needs a reviewer.
    let publish = match f.get("publish") {
        "direct" => Publish::Direct,
        _ => Publish::Review,
    };
    let areas = f.codes("areas");
    let added = service
        .change(|conn, now| alerts::add_source(conn, &session.user, &name, publish, &areas, now));
    match added {
        Ok(token) => sources_page(
            &service,
            &session,
            Said {
                token: Some((name, token)),
                ..Said::default()
            },
            StatusCode::OK,
        ),
        // The form again as typed, its problems above it; nothing was stored.
        Err(Error::Invalid(problems)) => sources_page(
            &service,
            &session,
            Said {
                typed: Some((name, publish, f.get("areas").to_string())),
                problems,
                ..Said::default()
            },
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        Err(e) => Err(e.into()),
    }
}

pub async fn save_areas(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    Path(name): Path<String>,
    body: Bytes,
) -> Page {
    let codes = Fields::parse(&body).codes("codes");
    match service
        .change(|conn, now| alerts::set_source_areas(conn, &session.user, &name, &codes, now))
    {
        Ok(()) => Ok(see(&format!("/console/sources?saved={name}"))),
        Err(Error::Invalid(problems)) => sources_page(
            &service,
            &session,
            Said {
                problems,
                areas_of: Some(name),
                ..Said::default()
            },
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        Err(e) => Err(e.into()),
    }
}

/// The source `name` as listed, in use: the revoke page is for such a one.
fn in_use(service: &AppState, name: &str) -> Page<SourceInfo> {
    let list = service.read(|conn, _| alerts::list_sources(conn))?;
    let Some(src) = list.into_iter().find(|s| s.name == name) else {
        return Err(Error::NotFound(Reason::NoSource {
            name: name.to_string(),
        })
        .into());
    };
    if src.revoked_at.is_some() {
        return Err(Error::Conflict(Reason::SourceRevoked {
            name: name.to_string(),
        })
        .into());
    }
    Ok(src)
}

/// Before revoking: what the source is and what revoking does, then the form with its reason.
pub async fn confirm_revoke(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    Path(name): Path<String>,
) -> Page {
    let src = in_use(&service, &name)?;
    let body = html! {
        table {
            tbody {
                tr { th { "发布方式" } td { (publish_label(src.publish)) } }
                tr { th { "辖区" } td { (src.areas.join(" ")) } }
                tr { th { "新增于" } td { (when(&src.created_at)) } }
                tr { th { "已收预警" } td { (src.alerts) " 条"
                    @if let Some(t) = &src.last_alert { "，最近一次 " (when(t)) } } }
            }
        }
        div.warn role="alert" {
            p { "撤销后，这个来源的令牌立即失效：预警发布系统再发来的任何消息（新预警、更新和解除）"
                "都将被拒收。撤销不能恢复。" }
            p { "已经收到的预警不受影响，按原定时间结束；需要提前撤下的，由编辑或审核人员在该公告"
                "页面撤回。" }
            p { "来源名称仍留在公告和操作记录中，不能再用于新的来源；需要继续接收时，请新增一个来源"
                "（新的名称和令牌）。" }
        }
        form method="post" action=(format!("/console/sources/{name}/revoke")) {
            input type="hidden" name="csrf" value=(session.csrf);
            label { "撤销原因（必填，记入操作记录，如：令牌泄露、系统停用）"
                input name="reason" maxlength="500" required; }
            button.danger type="submit" { "确认撤销" }
            " "
            a.button href="/console/sources" { "取消，返回" }
        }
    };
    Ok(page(
        StatusCode::OK,
        layout(
            Some(&session.user),
            Some(&session.csrf),
            &format!("撤销预警来源 {name}"),
            body,
        ),
    ))
}

pub async fn revoke(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    Path(name): Path<String>,
    body: Bytes,
) -> Page {
    let reason = Fields::parse(&body).get("reason").to_string();
    service.change(|conn, now| alerts::revoke_source(conn, &session.user, &name, &reason, now))?;
    Ok(see(&format!("/console/sources?revoked={name}")))
}
