//! A notice's page and the decisions on it: the revision with its previews, what changed since the
//! one on screens, submitting, approving, rejecting, withdrawing; and reviewing playlist edits.

use super::error::Page;
use super::form::{Fields, priority_label, priority_str};
use super::frame::layout;
use super::previews::preview_notice;
use super::{kind_label, page, see, state_label, when};
use crate::service::domain::accounts::Role;
use crate::service::domain::error::Error;
use crate::service::domain::notices::{self, ALL_GROUPS, NoticeDetail, NoticeInput};
use crate::service::domain::preview::Asker;
use crate::service::http::guard::{AppState, Session};
use crate::service::{Service, domain::groups};
use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use maud::{Markup, html};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct DetailQuery {
    page: Option<usize>,
}

/// The groups a revision shows on.
fn target_groups(service: &Service, input: &NoticeInput) -> Vec<String> {
    let all = service
        .read(|conn, _| groups::names(conn))
        .unwrap_or_default();
    if input.groups.iter().any(|g| g == ALL_GROUPS) {
        all
    } else {
        input
            .groups
            .iter()
            .filter(|g| all.contains(g))
            .cloned()
            .collect()
    }
}

pub async fn detail(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    Path(id): Path<String>,
    Query(q): Query<DetailQuery>,
) -> Page {
    let notice = service.read(|conn, _| notices::get(conn, &id))?;
    let labels = service.read(|conn, _| groups::labels(conn))?;
    let latest = notice.latest().clone();
    let warnings = service.glyph_warnings(&latest.content).unwrap_or_default();
    let want_page = q.page.unwrap_or(1).max(1);
    let mut previews = Vec::new();
    for group in target_groups(&service, &latest.content) {
        let playlist = service.read(|conn, _| groups::playlist(conn, &group));
        let kind = playlist.as_ref().map(|p| p.kind.as_str()).unwrap_or("tv");
        let pages = match &playlist {
            Ok(p) => service
                .previews
                .pages(
                    Some(Asker {
                        user: session.user.id,
                        view: format!("pages:{id}:{group}"),
                    }),
                    preview_notice(&id, &latest.content, service.now()),
                    p.clone(),
                )
                .await
                .map_err(|e| e.to_string()),
            Err(e) => Err(e.to_string()),
        };
        previews.push((group.clone(), kind.to_string(), pages));
    }
    let user = &session.user;
    let csrf = &session.csrf;
    let is_editor = user.role == Role::Editor;
    let is_reviewer = user.role == Role::Reviewer;
    let withdrawn = notice.withdrawn_at.is_some();
    // Where the live revision stands against its validity (a notice valid from next week is
    // not on the screens yet).
    let now = service.now();
    let showing = match notice.live() {
        Some(l) if now < l.content.valid_from => format!(
            "屏幕上尚未开始显示（{}起显示）",
            when(&l.content.valid_from.to_rfc3339())
        ),
        Some(l) if l.content.valid_until.is_some_and(|u| u <= now) => {
            "屏幕上已结束显示".to_string()
        }
        _ => "屏幕上正在显示".to_string(),
    };
    let calendar = service.read(|conn, _| crate::service::domain::calendar::calendar(conn))?;
    let period = notice
        .live()
        .unwrap_or(&latest)
        .content
        .notice_period
        .as_ref()
        .map(|p| p.describe_zh(&calendar));
    // How many reviewers the newest revision needs, as the group's policy says now (the revision
    // records it once a reviewer approved), so the editor knows before sending it.
    let needed = {
        let c = &latest.content;
        let groups = (!c.groups.iter().any(|g| g == ALL_GROUPS)).then_some(c.groups.as_slice());
        let policy = service.read(|conn, _| {
            crate::service::domain::policy::reviews_required(
                conn,
                groups,
                c.category,
                c.valid_from,
                c.valid_until,
            )
        });
        policy.unwrap_or(1).max(latest.reviews_required)
    };
    let body = html! {
        (review_progress(&latest, needed, withdrawn))
        p {
            span class=(format!("state {}", notice.state)) { (state_label(&notice.state)) }
            " 第 " (latest.number) " 版，" (latest.author) " 于 " (when(&latest.created_at)) " 编写"
            @if let Some(live) = notice.live_revision {
                @if live == latest.number && !withdrawn { "；" (showing) "此版本" }
                @else if !withdrawn { "；" (showing) "第 " (live) " 版，直到新版本被批准" }
            }
        }
        @if let Some(period) = &period {
            p { "公示期：" strong { (period) } }
        }
        @if withdrawn {
            div.error role="status" {
                p { strong { "已撤回" } "：" (notice.withdrawn_at.as_deref().map(when)
                    .unwrap_or_default()) "，由 " (notice.withdrawn_by.as_deref().unwrap_or("—"))
                    " 撤回，已从所有屏幕撤下。" }
                p { strong { "撤回原因：" }
                    (notice.withdrawn_reason.as_deref().unwrap_or("（未记录）")) }
            }
        }
        @if let (notices::RevisionStatus::Rejected, Some(reason)) = (latest.status,
            &latest.reject_reason) {
            div.error role="alert" { p { strong { "退回原因：" } (reason) }
                p { "审核人：" (latest.reviewer.as_deref().unwrap_or("")) } }
        }
        @let mobiles = notices::mobile_numbers(&latest.content);
        @if !mobiles.is_empty() {
            div.warn role="alert" {
                p { "以下是手机号码：除本单位公开的办公号码外，个人手机号码不应上公开屏幕，"
                    "请改为遮盖形式：" }
                ul { @for m in &mobiles { li { (super::form::field_label(&m.field))
                    "：第 " (m.at) " 个字起，" (m.masked) } } }
            }
        }
        @let punctuation = notices::punctuation(&latest.content);
        @if !punctuation.is_empty() {
            div.warn role="alert" id="punctuation" {
                p { "以下标点是半角（英文）标点或不规范的间隔号，中文里应使用全角标点"
                    @if is_editor { "（在修改页面可一键全部改为全角标点）" } "：" }
                ul { @for w in &punctuation { li { (super::form::field_label(&w.field)) " "
                    (w.reason_zh) } } }
            }
        }
        @if !warnings.is_empty() {
            div.warn role="alert" {
                p { "以下字符屏幕无法显示（将显示为〓），请改用常用字或说明：" }
                ul { @for w in &warnings { li { (super::form::field_label(&w.field)) "："
                    (w.chars.join(" ")) } } }
            }
        }
        (content_table(&latest.content, &labels))
        @if latest.content.notice_period.is_some() {
            p { a href=(format!("/console/notices/{id}/proof")) { "公示证明" }
                "：公示期内各屏幕的显示记录与结论（可打印）。" }
        }
        h2 { "屏幕预览" }
        div.previews {
            @for (group, kind, pages) in &previews {
                figure {
                    @match pages {
                        Ok(pages) => {
                            @let p = want_page.min(*pages).max(1);
                            img.preview
                                src=(format!("/console/notices/{id}/revisions/{}/preview/{group}?pa\
                                ge={p}", latest.number))
                                alt=(format!("{} 预览，第 {p} 页", labels.of(group)));
                            figcaption {
                                (labels.of(group)) "（" (kind_label(kind)) "） 第 " (p) " / "
                                (pages) " 页 "
                                @if p > 1 { a href=(format!("/console/notices/{id}?page={}",
                                    p - 1)) { "上一页" } " " }
                                @if p < *pages { a href=(format!("/console/notices/{id}?page={}",
                                    p + 1)) { "下一页" } }
                            }
                        }
                        Err(e) => { p.error { (labels.of(group)) "：无法生成预览：" (e) } }
                    }
                }
            }
        }
        @if is_reviewer && latest.status == notices::RevisionStatus::Submitted && !withdrawn {
            h2 { "审核" }
            (changes(&notice, &labels))
            div.decide {
                form.approve method="post" action=(format!("/console/notices/{id}/approve")) {
                    input type="hidden" name="csrf" value=(csrf);
                    input type="hidden" name="revision" value=(latest.number);
                    label.check.confirm {
                        input type="checkbox" name="confidentiality_confirmed" value="yes" required;
                        "我已完成保密审查：内容不含涉密信息，可以在公共屏幕上公开。"
                    }
                    button.primary type="submit" { "批准发布" }
                }
                form.reject method="post" action=(format!("/console/notices/{id}/reject")) {
                    input type="hidden" name="csrf" value=(csrf);
                    input type="hidden" name="revision" value=(latest.number);
                    label { "退回原因" textarea name="reason" rows="3" required {} }
                    button type="submit" { "退回修改" }
                }
            }
        }
        div.actions {
            @if is_editor && !withdrawn {
                a.button href=(format!("/console/notices/{id}/edit")) { "修改" }
                @if latest.status == notices::RevisionStatus::Draft {
                    form method="post" action=(format!("/console/notices/{id}/submit")) {
                        input type="hidden" name="csrf" value=(csrf);
                        button.primary type="submit" { "提交审核" }
                    }
                }
            }
            @if (is_editor || is_reviewer) && !withdrawn {
                // Not a button beside 提交审核: a page that says what it does and asks why.
                a.button.danger href=(format!("/console/notices/{id}/withdraw")) {
                    "撤回（从所有屏幕撤下）…" }
            }
        }
        h2 { "版本记录" }
        table {
            thead { tr { th { "版本" } th { "编写人" } th { "时间" } th { "状态" } th { "审核人" }
                th { "审核时间" } th { "退回原因" } } }
            tbody {
                @for r in &notice.revisions {
                    tr {
                        td { (r.number) } td { (r.author) } td { (when(&r.created_at)) }
                        td { (r.status.zh()) }
                        td { (r.reviewer.as_deref().unwrap_or("")) }
                        td { (r.reviewed_at.as_deref().map(when).unwrap_or_default()) }
                        td { (r.reject_reason.as_deref().unwrap_or("")) }
                    }
                }
            }
        }
    };
    Ok(page(
        StatusCode::OK,
        layout(
            Some(user),
            Some(csrf),
            &format!("{} {}", id, latest.content.title),
            body,
        ),
    ))
}

/// Where the newest revision stands in review, in a clerk's words: 需两人审核，已批准 1/2.
fn review_progress(latest: &notices::Revision, needed: u8, withdrawn: bool) -> Markup {
    let how = if needed >= 2 {
        "需两人审核（提级审核：两名不同的审核人员各自批准）"
    } else {
        "需一人审核"
    };
    let done = latest.approvals.len();
    html! {
        @if !withdrawn {
            @match latest.status {
                notices::RevisionStatus::Draft => {
                    p.hint role="status" { "草稿，尚未提交。提交后" (how) "。" }
                }
                notices::RevisionStatus::Submitted => {
                    p.notice role="status" {
                        "审核进度：" (how)
                        @if needed >= 2 {
                            "，已批准 " (done) "/" (needed)
                            @if done > 0 { "（" (latest.approvals.join("、")) " 已批准）" }
                        }
                        @if done == 0 { "，等待审核。" }
                        @else { "，还需另一位审核人批准后才发布。" }
                    }
                }
                _ => {}
            }
        }
    }
}

fn fields(input: &NoticeInput, labels: &groups::Labels) -> Vec<(&'static str, String)> {
    vec![
        ("标题", input.title.clone()),
        ("类别", input.category.full_name().to_string()),
        (
            "优先级",
            priority_label(priority_str(input.priority)).to_string(),
        ),
        ("发布单位", input.issuer.clone()),
        ("文号", input.doc_number.clone().unwrap_or_default()),
        ("生效时间", when(&input.valid_from.to_rfc3339())),
        (
            "截止时间",
            input
                .valid_until
                .map(|t| when(&t.to_rfc3339()))
                .unwrap_or_else(|| "长期".into()),
        ),
        ("全文链接", input.url.clone().unwrap_or_default()),
        (
            "公示期",
            match &input.notice_period {
                None => String::new(),
                Some(p) => match (p.working_days, p.end) {
                    (Some(n), _) => format!("{} 起 {n} 个工作日", when(&p.start.to_rfc3339())),
                    (None, Some(end)) => format!(
                        "{} 至 {}",
                        when(&p.start.to_rfc3339()),
                        when(&end.to_rfc3339())
                    ),
                    (None, None) => String::new(),
                },
            },
        ),
        (
            "发布到",
            input
                .groups
                .iter()
                .map(|g| {
                    if g == ALL_GROUPS {
                        "全部屏幕组".to_string()
                    } else {
                        labels.of(g).to_string()
                    }
                })
                .collect::<Vec<_>>()
                .join("、"),
        ),
        ("正文", input.body.clone()),
        ("图片", figures_text(input)),
    ]
}

/// The figures as a reviewer compares them: each on a line with its image's hash, so a
/// replaced image shows as a change even when its caption stays.
fn figures_text(input: &NoticeInput) -> String {
    input
        .figures
        .iter()
        .enumerate()
        .map(|(i, f)| {
            format!(
                "图{} {}… 图注：{} 替代文字：{}",
                i + 1,
                f.asset.get(..12).unwrap_or(&f.asset),
                f.caption.as_deref().unwrap_or("（无）"),
                f.alt.as_deref().unwrap_or("（无）")
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The figures as thumbnails, each with its caption; the image's alternative text as `alt`.
fn thumbnails(input: &NoticeInput) -> Markup {
    html! {
        div.figures {
            @for f in &input.figures {
                figure {
                    img.thumb src=(format!("/assets/{}", f.asset))
                        alt=(f.alt.as_deref().unwrap_or(""));
                    @if let Some(caption) = &f.caption { figcaption { (caption) } }
                }
            }
        }
    }
}

fn content_table(input: &NoticeInput, labels: &groups::Labels) -> Markup {
    html! {
        table.fields {
            @for (label, value) in fields(input, labels) {
                @if label == "图片" {
                    @if !input.figures.is_empty() {
                        tr { th { (label) } td { (thumbnails(input)) } }
                    }
                } @else {
                    tr { th { (label) } td { @if label == "正文" { div.body { (value) } }
                        @else { (value) } } }
                }
            }
        }
    }
}

/// What the reviewer must look at: the revision under review against the one on screens now,
/// field by field, the body character by character.
fn changes(notice: &NoticeDetail, labels: &groups::Labels) -> Markup {
    let latest = notice.latest();
    let Some(live) = notice.live() else {
        return html! { p.notice { "这是首次发布，请审核全部内容。" } };
    };
    let (old, new) = (
        fields(&live.content, labels),
        fields(&latest.content, labels),
    );
    html! {
        p.notice { "与屏幕上正在显示的第 " (live.number) " 版相比的修改（"
            del { "删除" } "、" ins { "新增" } "）：" }
        table.fields.diff {
            @for ((label, a), (_, b)) in old.iter().zip(new.iter()) {
                @if a != b {
                    tr { th { (label) } td { div.body { (diff(a, b)) } } }
                }
            }
        }
    }
}

fn diff(old: &str, new: &str) -> Markup {
    let diff = similar::TextDiff::configure()
        .timeout(std::time::Duration::from_millis(200))
        .diff_chars(old, new);
    // Runs of one kind of change, so a changed word reads as one mark, not one per character.
    let mut runs: Vec<(similar::ChangeTag, String)> = Vec::new();
    for change in diff.iter_all_changes() {
        match runs.last_mut() {
            Some((tag, text)) if *tag == change.tag() => text.push_str(change.value()),
            _ => runs.push((change.tag(), change.value().to_string())),
        }
    }
    html! {
        @for (tag, text) in &runs {
            @match tag {
                similar::ChangeTag::Equal => (text),
                similar::ChangeTag::Delete => del { (text) },
                similar::ChangeTag::Insert => ins { (text) },
            }
        }
    }
}

pub async fn submit(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    Path(id): Path<String>,
) -> Page {
    service.change(|conn, now| notices::submit(conn, &session.user, &id, now))?;
    Ok(see(&format!("/console/notices/{id}")))
}

/// The revision a reviewer decided on (the form says which: it must still be the newest).
fn revision_of(f: &Fields) -> Result<i64, Error> {
    f.get("revision")
        .parse()
        .map_err(|_| Error::invalid("revision", crate::model::Reason::NotARevision))
}

pub async fn approve(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    Path(id): Path<String>,
    body: Bytes,
) -> Page {
    let f = Fields::parse(&body);
    let revision = revision_of(&f)?;
    let confirmed = f.get("confidentiality_confirmed") == "yes";
    service.approve(&session.user, &id, revision, confirmed)?;
    Ok(see(&format!("/console/notices/{id}")))
}

pub async fn reject(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    Path(id): Path<String>,
    body: Bytes,
) -> Page {
    let f = Fields::parse(&body);
    let revision = revision_of(&f)?;
    let reason = f.get("reason").to_string();
    service
        .change(|conn, now| notices::reject(conn, &session.user, &id, revision, &reason, now))?;
    Ok(see(&format!("/console/notices/{id}")))
}

/// The confirmation before a withdrawal: what it does, the 公示期 it cuts short, and a reason
/// (required, kept with the notice and in the audit log).
pub async fn confirm_withdraw(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    Path(id): Path<String>,
) -> Page {
    let notice = service.read(|conn, _| notices::get(conn, &id))?;
    let shown = notice.live().unwrap_or(notice.latest()).content.clone();
    let now = service.now();
    let calendar = service.read(|conn, _| crate::service::domain::calendar::calendar(conn))?;
    let period = shown
        .notice_period
        .as_ref()
        .filter(|p| notice.live().is_some() && p.ends_at(&calendar) > now);
    let period_end = period.map(|p| p.describe_zh(&calendar));
    let body = html! {
        @if notice.withdrawn_at.is_some() {
            p { "这条公告已经撤回。" }
        } @else {
            div.warn role="alert" {
                p { "撤回后，这条公告会在几秒内从所有屏幕撤下，且不能恢复"
                    "（如需再发布，请重新编写并送审）。" }
                @if let Some(period) = period_end {
                    p { strong { "这是一条公示，公示期为 " (period) "，还没有结束。" }
                        "公示期内撤下会中断公示，请在下面写明原因。" }
                }
            }
            form.withdraw method="post" action=(format!("/console/notices/{id}/withdraw")) {
                input type="hidden" name="csrf" value=(session.csrf);
                label for="reason" { "撤回原因（必填，记入公告记录和审计日志）" }
                textarea id="reason" name="reason" required rows="3" maxlength="500" {}
                button.danger type="submit" { "确认撤回" }
                " "
                a.button href=(format!("/console/notices/{id}")) { "取消，返回公告" }
            }
        }
    };
    Ok(page(
        StatusCode::OK,
        layout(
            Some(&session.user),
            Some(&session.csrf),
            &format!("撤回公告 {} {}", id, shown.title),
            body,
        ),
    ))
}

pub async fn withdraw(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    Path(id): Path<String>,
    body: Bytes,
) -> Page {
    let reason = Fields::parse(&body).get("reason").to_string();
    service.change(|conn, now| notices::withdraw(conn, &session.user, &id, &reason, now))?;
    Ok(see(&format!("/console/notices/{id}")))
}

/// A reviewer (or an admin other than its author) approves or rejects a playlist edit.
pub async fn review_playlist(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    Path(id): Path<i64>,
    body: Bytes,
) -> Page {
    let f = Fields::parse(&body);
    let approve = f.get("approve") == "1";
    let reason = f.get("reason").trim().to_string();
    service.change(|conn, now| {
        groups::review_playlist(conn, &session.user, id, approve, &reason, now)
    })?;
    Ok(see("/console/review"))
}
