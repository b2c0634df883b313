//! The audit log as staff read it: who did what to which, from where, in Chinese, filtered by
//! person, action, result and days; the record word for word.

use super::error::Page;
use super::frame::layout;
use super::{page, when};
use crate::service::domain::audit::{self, Action, Filter};
use crate::service::http::guard::{AppState, Session};
use axum::Extension;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use maud::{Markup, html};
use serde::Deserialize;

/// The page's query: paging and the filters, as the filter form sends them (empty fields are
/// no filter).
#[derive(Deserialize, Default)]
pub struct AuditQuery {
    before: Option<i64>,
    #[serde(default)]
    actor: String,
    #[serde(default)]
    action: String,
    #[serde(default)]
    result: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

impl AuditQuery {
    fn filter(&self) -> Filter {
        let some = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        let date = |s: &str| chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok();
        Filter {
            actor: some(&self.actor),
            action: some(&self.action),
            result: some(&self.result),
            from: date(&self.from),
            to: date(&self.to),
        }
    }

    /// The filters as a query string, for the next page's link.
    fn filters(&self) -> String {
        form_urlencoded::Serializer::new(String::new())
            .extend_pairs([
                ("actor", &self.actor),
                ("action", &self.action),
                ("result", &self.result),
                ("from", &self.from),
                ("to", &self.to),
            ])
            .finish()
    }
}

const PAGE: u32 = 100;

pub async fn audit(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    Query(q): Query<AuditQuery>,
) -> Page {
    let filter = q.filter();
    let entries = service.read(|conn, _| audit::search(conn, &filter, q.before, PAGE))?;
    let body = html! {
        p.hint { "所有操作都记录在此，记录不能修改，至少保存 180 天。导出存档："
            a href="/api/audit/export?format=csv" { "表格文件（CSV，北京时间）" }
            "、" a href="/api/audit/export" { "带签名的存档文件" }
            "（可用 " code { "noticecast audit verify" } " 核验）。" }
        (filter_form(&q))
        @if entries.is_empty() {
            p role="status" { @if filter.is_empty() { "还没有记录。" }
                @else { "没有符合条件的记录。" } }
        } @else {
            table.log {
                thead { tr { th { "时间" } th { "操作人" } th { "来源地址" } th { "操作" }
                    th { "结果" } th { "对象" } th { "说明" } } }
                tbody {
                    @for e in &entries {
                        tr {
                            td { (when(&e.at)) }
                            td { (audit::actor_zh(&e.actor)) }
                            td { @match e.source.as_str() { "host" => "服务器本机", "" => "",
                                s => code { (s) } } }
                            td { (audit::action_zh(&e.action)) }
                            td { @match e.result.as_str() { "failure" => span.bad { "失败" },
                                r => (audit::result_zh(r)) } }
                            // What it was done to in words, its id as the IT person reads it.
                            @let subject = audit::subject_zh(&e.subject);
                            td { @match subject.split_once(' ') {
                                Some((what, rest)) => {
                                    @let (id, more) = rest.split_once(' ').unwrap_or((rest, ""));
                                    (what) " " code { (id) } " " (more)
                                }
                                None => (subject),
                            } }
                            // The record as stored, word for word: evidence is not translated.
                            td {
                                @if let Some(words) = audit::detail_zh(&e.action, &e.detail) {
                                    (words) br;
                                }
                                @if !e.detail.is_empty() { code.record { (e.detail) } }
                            }
                        }
                    }
                }
            }
        }
        @if entries.len() == PAGE as usize {
            @if let Some(last) = entries.last() {
                p { a href=(format!("/console/audit?before={}&{}", last.id, q.filters())) {
                    "更早的记录 →" } }
            }
        }
    };
    Ok(page(
        StatusCode::OK,
        layout(Some(&session.user), Some(&session.csrf), "操作记录", body),
    ))
}

/// 按人员、操作、结果和日期筛选: a GET form, so a filtered view is a link an auditor can keep.
fn filter_form(q: &AuditQuery) -> Markup {
    html! {
        form.filters method="get" action="/console/audit" role="search" {
            label { "操作人" input name="actor" value=(q.actor) size="10"; }
            label { "操作"
                select name="action" {
                    option value="" selected[q.action.is_empty()] { "全部" }
                    @for a in Action::ALL {
                        option value=(a.as_str()) selected[q.action == a.as_str()] { (a.zh()) }
                    }
                }
            }
            label { "结果"
                select name="result" {
                    option value="" selected[q.result.is_empty()] { "全部" }
                    option value="success" selected[q.result == "success"] { "成功" }
                    option value="failure" selected[q.result == "failure"] { "失败" }
                }
            }
            label { "从" input type="date" name="from" value=(q.from); }
            label { "到" input type="date" name="to" value=(q.to); }
            button type="submit" { "筛选" }
            " " a href="/console/audit" { "清除条件" }
        }
    }
}
