//! The audit log as staff read it: who did what to which, from where, in Chinese; the record word
//! for word.

use super::error::Page;
use super::frame::layout;
use super::{page, when};
use crate::service::domain::audit;
use crate::service::http::guard::{AppState, Session};
use axum::Extension;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use maud::{Markup, html};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct AuditQuery {
    before: Option<i64>,
}

pub async fn audit(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    Query(q): Query<AuditQuery>,
) -> Page {
    let entries = service.read(|conn, _| audit::list(conn, q.before, 100))?;
    let body = html! {
        p.hint { "所有操作都记录在此，记录不能修改，至少保存 180 天。导出存档："
            a href="/api/audit/export?format=csv" { "CSV" }
            "、" a href="/api/audit/export" { "带签名的存档文件" }
            "（可用 " code { "noticecast audit verify" } " 核验）。" }
        table {
            thead { tr { th { "时间" } th { "操作人" } th { "来源地址" } th { "操作" } th { "结果" }
                th { "对象" } th { "说明" } } }
            tbody {
                @for e in &entries {
                    tr {
                        td { (when(&e.at)) }
                        td { (actor_label(&e.actor)) }
                        td { @match e.source.as_str() { "host" => "服务器本机", "" => "",
                            s => code { (s) } } }
                        td { (action_label(&e.action)) }
                        td { @match e.result.as_str() { "success" => "成功",
                            "failure" => span.bad { "失败" }, other => (other) } }
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
    Ok(page(
        StatusCode::OK,
        layout(Some(&session.user), Some(&session.csrf), "操作记录", body),
    ))
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
    // An action this build does not know (none should be) is shown as stored.
    action
        .parse::<crate::service::domain::audit::Action>()
        .map_or_else(|_| action.to_string(), |a| a.zh().to_string())
}
