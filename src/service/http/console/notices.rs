//! Writing, reviewing and previewing notices in the console.

use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use serde::Deserialize;

use super::form::{Fields, NoticeForm, priority_label, priority_str};
use super::views::{error_page, layout, problems};
use super::{kind_label, page, see, state_label, when};
use crate::model::{Category, Level, Notice, Problem, Timestamp};
use crate::service::domain::accounts::Role;
use crate::service::domain::error::ServiceError;
use crate::service::domain::notices::{self as workflow, ALL_GROUPS, NoticeDetail, NoticeInput};
use crate::service::domain::preview::Asker;
use crate::service::http::guard::{AppState, Session};
use crate::service::{Service, domain::groups};

#[derive(Deserialize)]
pub struct ListQuery {
    state: Option<String>,
    /// The page, from 1.
    page: Option<usize>,
}

pub async fn list(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    Query(q): Query<ListQuery>,
) -> Response {
    let now = service.now();
    let state = q.state.filter(|s| !s.is_empty());
    let all = match service.read(|conn, _| workflow::list(conn, state.as_deref(), now)) {
        Ok(l) => l,
        Err(e) => return error_page(&session.user, &session.csrf, e),
    };
    let pages = all.len().div_ceil(workflow::PAGE).max(1);
    let at = q.page.unwrap_or(1).clamp(1, pages);
    let list = workflow::page(all, Some((at - 1) * workflow::PAGE), None);
    let link = |p: usize| match &state {
        Some(s) => format!("/console/notices?state={s}&page={p}"),
        None => format!("/console/notices?page={p}"),
    };
    let body = html! {
        nav.filters {
            a href="/console/notices" { "全部" }
            @for s in ["draft", "submitted", "approved", "rejected", "withdrawn"] {
                a href=(format!("/console/notices?state={s}")) { (state_label(s)) }
            }
        }
        (notice_table(&list))
        @if pages > 1 {
            nav.pager {
                @if at > 1 { a href=(link(at - 1)) { "← 上一页" } " " }
                "第 " (at) " 页，共 " (pages) " 页"
                @if at < pages { " " a href=(link(at + 1)) { "下一页 →" } }
            }
        }
    };
    let title = match &state {
        Some(s) => format!("公告：{}", state_label(s)),
        None => "公告".to_string(),
    };
    page(
        StatusCode::OK,
        layout(Some(&session.user), Some(&session.csrf), &title, body),
    )
}

fn notice_table(list: &[workflow::NoticeSummary]) -> Markup {
    html! {
        @if list.is_empty() { p.hint { "没有公告。" } }
        @else {
            table {
                thead { tr { th { "编号" } th { "标题" } th { "类别" } th { "状态" } th { "屏幕上" } th { "最后修改" } th { "修改人" } } }
                tbody {
                    @for n in list {
                        tr {
                            td { a href=(format!("/console/notices/{}", n.id)) { (n.id) } }
                            td { a href=(format!("/console/notices/{}", n.id)) { (n.title) } }
                            td { (n.category.label()) }
                            td {
                                span class=(format!("state {}", n.state)) { (state_label(&n.state)) }
                                @if let Some((done, of)) = n.approvals {
                                    " " span.hint title="提级审核：须两名审核人员批准" { "已批准 " (done) "/" (of) }
                                }
                            }
                            td { @if n.on_screens { span.ok { "发布中" } } }
                            td { (when(&n.updated_at)) }
                            td { (n.latest_author) }
                        }
                    }
                }
            }
        }
    }
}

pub async fn queue(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
) -> Response {
    let _now = service.now();
    let loaded = service.read(|conn, now| {
        workflow::list(conn, Some("submitted"), now)
            .and_then(|l| Ok((l, crate::service::domain::groups::pending_playlists(conn)?)))
    });
    let (list, playlists) = match loaded {
        Ok(l) => l,
        Err(e) => return error_page(&session.user, &session.csrf, e),
    };
    let field = |f: &str| match f {
        "name" => "屏幕标题",
        "ticker.text" => "滚动字幕文字",
        _ => "手机阅读网址",
    };
    let body = html! {
        p.hint { "打开公告，核对内容和修改之处，完成保密审查后批准，或写明原因退回。" }
        (notice_table(&list))
        @if !playlists.is_empty() {
            h2 { "播放列表的修改" }
            p.hint { "这些修改改变了居民在屏幕上看到或扫到的内容，须由修改人以外的人批准后才发布。" }
            @for c in &playlists {
                section.playlist-change {
                    h3 { "屏幕组 " (c.group) "：" (c.author) " 于 " (super::when(&c.created_at)) " 提交" }
                    table {
                        thead { tr { th { "项目" } th { "现在" } th { "修改后" } } }
                        tbody {
                            @for (f, before, after) in &c.changes {
                                tr { td { (field(f)) } td { del { (before) } } td { ins { (after) } } }
                            }
                        }
                    }
                    div.actions {
                        form.approve-playlist method="post" action=(format!("/console/playlist-changes/{}/review", c.id)) {
                            input type="hidden" name="csrf" value=(session.csrf);
                            input type="hidden" name="approve" value="1";
                            button.primary type="submit" { "批准发布" }
                        }
                        form.reject-playlist method="post" action=(format!("/console/playlist-changes/{}/review", c.id)) {
                            input type="hidden" name="csrf" value=(session.csrf);
                            input type="hidden" name="approve" value="0";
                            input name="reason" placeholder="退回原因" required;
                            button type="submit" { "退回" }
                        }
                    }
                }
            }
        }
    };
    page(
        StatusCode::OK,
        layout(Some(&session.user), Some(&session.csrf), "待审核", body),
    )
}

/// The notice form, with the live preview panel beside it.
fn notice_form(
    service: &Service,
    action: &str,
    form: &NoticeForm,
    csrf: &str,
    errors: &[Problem],
) -> Markup {
    let group_list: Vec<(String, String)> = service
        .read(|conn, _| groups::list(conn))
        .unwrap_or_default()
        .into_iter()
        .map(|g| (g.name, g.kind))
        .collect();
    let checked = |g: &str| form.groups.iter().any(|x| x == g);
    html! {
        (problems(errors))
        div.editor {
            form id="notice-form" method="post" action=(action) {
                input type="hidden" name="csrf" value=(csrf);
                label { "标题" input name="title" value=(form.title) maxlength="200" required; }
                label { "正文" span.hint { "段落之间空一行。" }
                    textarea name="body" rows="14" required { (form.body) } }
                div.row {
                    label { "类别"
                        select name="category" required {
                            option value="" { "请选择" }
                            @for c in Category::ALL {
                                option value=(c.as_str()) selected[form.category == c.as_str()] { (c.full_name()) }
                            }
                        }
                    }
                    label { "优先级"
                        select name="priority" {
                            @for p in ["normal", "urgent", "emergency"] {
                                option value=(p) selected[form.priority == p || (form.priority.is_empty() && p == "normal")] { (priority_label(p)) }
                            }
                        }
                    }
                }
                div.row {
                    label { "发布单位" input name="issuer" value=(form.issuer) required; }
                    label { "文号（可选）" input name="doc_number" value=(form.doc_number); }
                }
                div.row {
                    label { "生效时间（北京时间）" input name="valid_from" type="datetime-local" value=(form.valid_from) required; }
                    label { "截止时间（可选，不填为长期）" input name="valid_until" type="datetime-local" value=(form.valid_until); }
                }
                label { "全文链接（可选，屏幕上显示为二维码）" input name="url" type="url" value=(form.url) placeholder="https://"; }
                label { "防御指南（可选，告诉群众怎么做，屏幕上完整显示、不截断）"
                    textarea name="instruction" rows="3" maxlength="300" { (form.instruction) } }
                label { "联系方式（可选，电话、地点，屏幕上完整显示、不截断）"
                    input name="contact" value=(form.contact) maxlength="120" placeholder="值班电话 0571-00000000；报警 110，火警 119，急救 120"; }
                label { "预警级别（仅紧急公告，决定整屏颜色）"
                    select name="level" {
                        option value="" selected[form.level.is_empty()] { "无（紧急通知，红色）" }
                        @for l in Level::ALL {
                            option value=(l.as_str()) selected[form.level == l.as_str()] { (l.label()) }
                        }
                    }
                }
                @if !form.alert_id.is_empty() {
                    p.hint { "预警编号：" (form.alert_id) }
                    input type="hidden" name="alert_id" value=(form.alert_id);
                }
                fieldset {
                    legend { "公示期（可选，需要公示证明的公示类公告填写）" }
                    div.row {
                        label { "公示开始（北京时间）" input name="period_start" type="datetime-local" value=(form.period_start); }
                        label { "公示工作日数" input name="period_days" type="number" min="1" max=(crate::model::MAX_PERIOD_WORKING_DAYS) value=(form.period_days) placeholder="例如 7"; }
                        label { "或公示结束（北京时间）" input name="period_end" type="datetime-local" value=(form.period_end); }
                    }
                    p.hint { "工作日按国务院节假日安排计算（含调休上班日）；工作日数与结束时间二选一。" }
                }
                fieldset {
                    legend { "发布到" }
                    label.check { input type="checkbox" name="groups" value=(ALL_GROUPS) checked[checked(ALL_GROUPS)]; "全部屏幕组" }
                    @for (name, kind) in &group_list {
                        label.check { input type="checkbox" name="groups" value=(name) checked[checked(name)]; (name) " " small { (kind_label(kind)) } }
                    }
                }
                button type="submit" { "保存草稿" }
            }
            aside.live-preview {
                h2 { "预览" }
                label { "屏幕组"
                    select id="preview-group" {
                        @for (name, kind) in &group_list { option value=(name) { (name) "（" (kind_label(kind)) "）" } }
                    }
                }
                p.hint id="preview-status" { "填写内容后自动生成预览。" }
                img id="preview-image" alt="屏幕预览";
            }
        }
    }
}

pub async fn new(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
) -> Response {
    let form = NoticeForm {
        valid_from: super::form::NoticeForm::from_input(&blank_input(service.now())).valid_from,
        priority: "normal".into(),
        ..NoticeForm::default()
    };
    let body = notice_form(&service, "/console/notices", &form, &session.csrf, &[]);
    page(
        StatusCode::OK,
        layout(Some(&session.user), Some(&session.csrf), "写公告", body),
    )
}

fn blank_input(now: Timestamp) -> NoticeInput {
    NoticeInput {
        title: String::new(),
        body: String::new(),
        category: Category::Services,
        priority: crate::model::Priority::Normal,
        issuer: String::new(),
        doc_number: None,
        valid_from: now,
        valid_until: None,
        url: None,
        level: None,
        instruction: None,
        contact: None,
        alert_id: None,
        notice_period: None,
        groups: Vec::new(),
    }
}

/// The form's input, or the form again with its problems (422).
fn read_form(
    service: &Service,
    session: &Session,
    action: &str,
    title: &str,
    body: &[u8],
) -> Result<NoticeInput, Box<Response>> {
    let form = NoticeForm::from_fields(&Fields::parse(body));
    let again = |errors: Vec<Problem>| {
        page(
            StatusCode::UNPROCESSABLE_ENTITY,
            layout(
                Some(&session.user),
                Some(&session.csrf),
                title,
                notice_form(service, action, &form, &session.csrf, &errors),
            ),
        )
    };
    let input = form.to_input().map_err(|e| Box::new(again(e)))?;
    // The database lock is released before the form is drawn again (it reads the groups).
    let checked = service.read(|conn, _| workflow::validate(conn, &input, service.now()));
    match checked {
        Ok(()) => Ok(input),
        Err(ServiceError::Invalid(errors)) => Err(Box::new(again(errors))),
        Err(e) => Err(Box::new(error_page(&session.user, &session.csrf, e))),
    }
}

pub async fn create(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    body: Bytes,
) -> Response {
    let input = match read_form(&service, &session, "/console/notices", "写公告", &body) {
        Ok(i) => i,
        Err(r) => return *r,
    };
    match service.change(|conn, now| workflow::create(conn, &session.user, &input, now)) {
        Ok(id) => see(&format!("/console/notices/{id}")),
        Err(e) => error_page(&session.user, &session.csrf, e),
    }
}

pub async fn edit(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    Path(id): Path<String>,
) -> Response {
    let notice = match service.read(|conn, _| workflow::get(conn, &id)) {
        Ok(n) => n,
        Err(e) => return error_page(&session.user, &session.csrf, e),
    };
    let form = NoticeForm::from_input(&notice.latest().content);
    let body = html! {
        @if notice.live_revision.is_some() {
            p.notice { "此公告已发布。修改后需重新审核，批准前屏幕继续显示已批准的版本。" }
        }
        (notice_form(&service, &format!("/console/notices/{id}"), &form, &session.csrf, &[]))
    };
    page(
        StatusCode::OK,
        layout(
            Some(&session.user),
            Some(&session.csrf),
            &format!("修改公告 {id}"),
            body,
        ),
    )
}

pub async fn save(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let action = format!("/console/notices/{id}");
    let title = format!("修改公告 {id}");
    let input = match read_form(&service, &session, &action, &title, &body) {
        Ok(i) => i,
        Err(r) => return *r,
    };
    match service.change(|conn, now| workflow::edit(conn, &session.user, &id, &input, now)) {
        Ok(_) => see(&action),
        Err(e) => error_page(&session.user, &session.csrf, e),
    }
}

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

fn preview_notice(id: &str, input: &NoticeInput, now: Timestamp) -> Notice {
    input.to_notice(id, now)
}

pub async fn detail(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    Path(id): Path<String>,
    Query(q): Query<DetailQuery>,
) -> Response {
    let notice = match service.read(|conn, _| workflow::get(conn, &id)) {
        Ok(n) => n,
        Err(e) => return error_page(&session.user, &session.csrf, e),
    };
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
    let body = html! {
        p {
            span class=(format!("state {}", notice.state)) { (state_label(&notice.state)) }
            " 第 " (latest.number) " 版，" (latest.author) " 于 " (when(&latest.created_at)) " 编写"
            @if let Some(live) = notice.live_revision {
                @if live == latest.number && !withdrawn { "；屏幕上正在显示此版本" }
                @else if !withdrawn { "；屏幕上显示第 " (live) " 版，直到新版本被批准" }
            }
        }
        @if let (workflow::RevisionStatus::Rejected, Some(reason)) = (latest.status, &latest.reject_reason) {
            div.error role="alert" { p { strong { "退回原因：" } (reason) } p { "审核人：" (latest.reviewer.as_deref().unwrap_or("")) } }
        }
        @if !warnings.is_empty() {
            div.warn role="alert" {
                p { "以下字符屏幕无法显示（将显示为〓），请改用常用字或说明：" }
                ul { @for w in &warnings { li { (super::form::field_label(&w.field)) "：" (w.chars.join(" ")) } } }
            }
        }
        (content_table(&latest.content))
        @if latest.content.notice_period.is_some() {
            p { a href=(format!("/console/notices/{id}/proof")) { "公示证明" } "：公示期内各屏幕的显示记录与结论（可打印）。" }
        }
        h2 { "屏幕预览" }
        div.previews {
            @for (group, kind, pages) in &previews {
                figure {
                    @match pages {
                        Ok(pages) => {
                            @let p = want_page.min(*pages).max(1);
                            img.preview src=(format!("/console/notices/{id}/revisions/{}/preview/{group}?page={p}", latest.number))
                                alt=(format!("{group} 预览，第 {p} 页"));
                            figcaption {
                                (group) "（" (kind_label(kind)) "） 第 " (p) " / " (pages) " 页 "
                                @if p > 1 { a href=(format!("/console/notices/{id}?page={}", p - 1)) { "上一页" } " " }
                                @if p < *pages { a href=(format!("/console/notices/{id}?page={}", p + 1)) { "下一页" } }
                            }
                        }
                        Err(e) => { p.error { (group) "：无法生成预览：" (e) } }
                    }
                }
            }
        }
        @if is_reviewer && latest.status == workflow::RevisionStatus::Submitted && !withdrawn {
            h2 { "审核" }
            (changes(&notice))
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
                @if latest.status == workflow::RevisionStatus::Draft {
                    form method="post" action=(format!("/console/notices/{id}/submit")) {
                        input type="hidden" name="csrf" value=(csrf);
                        button.primary type="submit" { "提交审核" }
                    }
                }
            }
            @if (is_editor || is_reviewer) && !withdrawn {
                form.withdraw method="post" action=(format!("/console/notices/{id}/withdraw")) {
                    input type="hidden" name="csrf" value=(csrf);
                    input name="reason" placeholder="撤回原因（可选）";
                    button.danger type="submit" { "撤回（从所有屏幕撤下）" }
                }
            }
        }
        h2 { "版本记录" }
        table {
            thead { tr { th { "版本" } th { "编写人" } th { "时间" } th { "状态" } th { "审核人" } th { "审核时间" } th { "退回原因" } } }
            tbody {
                @for r in &notice.revisions {
                    tr {
                        td { (r.number) } td { (r.author) } td { (when(&r.created_at)) }
                        td { (state_label(status_str(r.status))) }
                        td { (r.reviewer.as_deref().unwrap_or("")) }
                        td { (r.reviewed_at.as_deref().map(when).unwrap_or_default()) }
                        td { (r.reject_reason.as_deref().unwrap_or("")) }
                    }
                }
            }
        }
    };
    page(
        StatusCode::OK,
        layout(
            Some(user),
            Some(csrf),
            &format!("{} {}", id, latest.content.title),
            body,
        ),
    )
}

fn status_str(s: workflow::RevisionStatus) -> &'static str {
    match s {
        workflow::RevisionStatus::Draft => "draft",
        workflow::RevisionStatus::Submitted => "submitted",
        workflow::RevisionStatus::Approved => "approved",
        workflow::RevisionStatus::Rejected => "rejected",
        workflow::RevisionStatus::Superseded => "superseded",
    }
}

fn fields(input: &NoticeInput) -> Vec<(&'static str, String)> {
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
                        g.clone()
                    }
                })
                .collect::<Vec<_>>()
                .join("、"),
        ),
        ("正文", input.body.clone()),
    ]
}

fn content_table(input: &NoticeInput) -> Markup {
    html! {
        table.fields {
            @for (label, value) in fields(input) {
                tr { th { (label) } td { @if label == "正文" { div.body { (value) } } @else { (value) } } }
            }
        }
    }
}

/// What the reviewer must look at: the revision under review against the one on screens now,
/// field by field, the body character by character.
fn changes(notice: &NoticeDetail) -> Markup {
    let latest = notice.latest();
    let Some(live) = notice.live() else {
        return html! { p.notice { "这是首次发布，请审核全部内容。" } };
    };
    let (old, new) = (fields(&live.content), fields(&latest.content));
    html! {
        p.notice { "与屏幕上正在显示的第 " (live.number) " 版相比的修改（" del { "删除" } "、" ins { "新增" } "）：" }
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

fn decide(
    service: &Service,
    session: &Session,
    id: &str,
    result: Result<(), ServiceError>,
) -> Response {
    let _ = service;
    match result {
        Ok(()) => see(&format!("/console/notices/{id}")),
        Err(e) => error_page(&session.user, &session.csrf, e),
    }
}

pub async fn submit(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    Path(id): Path<String>,
) -> Response {
    let result = service
        .change(|conn, now| workflow::submit(conn, &session.user, &id, now))
        .map(|_| ());
    decide(&service, &session, &id, result)
}

/// The revision a reviewer decided on (the form says which: it must still be the newest).
fn revision_of(f: &Fields) -> Result<i64, ServiceError> {
    f.get("revision")
        .parse()
        .map_err(|_| ServiceError::invalid("revision", "is missing or not a number"))
}

pub async fn approve(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let f = Fields::parse(&body);
    let revision = match revision_of(&f) {
        Ok(n) => n,
        Err(e) => return error_page(&session.user, &session.csrf, e),
    };
    let confirmed = f.get("confidentiality_confirmed") == "yes";
    let result = service.approve(&session.user, &id, revision, confirmed);
    decide(&service, &session, &id, result)
}

pub async fn reject(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let f = Fields::parse(&body);
    let revision = match revision_of(&f) {
        Ok(n) => n,
        Err(e) => return error_page(&session.user, &session.csrf, e),
    };
    let reason = f.get("reason").to_string();
    let result = service
        .change(|conn, now| workflow::reject(conn, &session.user, &id, revision, &reason, now));
    decide(&service, &session, &id, result)
}

pub async fn withdraw(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let reason = Fields::parse(&body).get("reason").to_string();
    let result =
        service.change(|conn, now| workflow::withdraw(conn, &session.user, &id, &reason, now));
    decide(&service, &session, &id, result)
}

fn png(preview: crate::service::domain::preview::Preview) -> Response {
    let mut response = (
        [(header::CONTENT_TYPE, HeaderValue::from_static("image/png"))],
        preview.png,
    )
        .into_response();
    let h = response.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert("x-noticecast-page", HeaderValue::from(preview.page));
    h.insert("x-noticecast-pages", HeaderValue::from(preview.pages));
    response
}

fn no_preview(why: String) -> Response {
    (StatusCode::SERVICE_UNAVAILABLE, why).into_response()
}

#[derive(Deserialize)]
pub struct PreviewQuery {
    page: Option<usize>,
}

pub async fn revision_preview(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    Path((id, number, group)): Path<(String, i64, String)>,
    Query(q): Query<PreviewQuery>,
) -> Response {
    let loaded = service.read(|conn, _now| {
        workflow::get(conn, &id).and_then(|n| Ok((n, groups::playlist(conn, &group)?)))
    });
    let (notice, playlist) = match loaded {
        Ok(x) => x,
        Err(e) => return e.into_response(),
    };
    let Some(revision) = notice.revisions.iter().find(|r| r.number == number) else {
        return ServiceError::NotFound(format!("notice {id} has no revision {number}"))
            .into_response();
    };
    let at = revision
        .reviewed_at
        .as_deref()
        .and_then(|t| Timestamp::parse_from_rfc3339(t).ok())
        .unwrap_or_else(|| service.now());
    let asker = Asker {
        user: session.user.id,
        view: format!("revision:{id}:{number}:{group}"),
    };
    match service
        .previews
        .render(
            Some(asker),
            preview_notice(&id, &revision.content, at),
            playlist,
            q.page.unwrap_or(1),
        )
        .await
    {
        Ok(p) => png(p),
        Err(why) => no_preview(why),
    }
}

/// The live preview while writing: the form as it stands, on one group's screen.
pub async fn live_preview(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    body: Bytes,
) -> Response {
    let fields = Fields::parse(&body);
    let group = fields.get("preview_group").to_string();
    let page = fields.get("page").parse().unwrap_or(1);
    let form = NoticeForm::from_fields(&fields);
    let mut input = match form.to_input() {
        Ok(i) => i,
        Err(problems) => return unpreviewable(&problems),
    };
    // Previewed on the chosen group whatever the targets say; targets are checked on saving.
    input.groups = vec![group.clone()];
    let now = service.now();
    let checked = service.read(|conn, _| workflow::validate(conn, &input, now));
    if let Err(e) = checked {
        return match e {
            ServiceError::Invalid(problems) => unpreviewable(&problems),
            other => other.into_response(),
        };
    }
    let playlist = match service.read(|conn, _| groups::playlist(conn, &group)) {
        Ok(p) => p,
        Err(e) => return e.into_response(),
    };
    // Each keystroke's preview replaces the one before while it waits (`preview::Queue`).
    let asker = Asker {
        user: session.user.id,
        view: "live".into(),
    };
    match service
        .previews
        .render(
            Some(asker),
            preview_notice("preview", &input, now),
            playlist,
            page,
        )
        .await
    {
        Ok(p) => png(p),
        Err(why) => no_preview(why),
    }
}

fn unpreviewable(problems: &[Problem]) -> Response {
    let lines: Vec<String> = problems
        .iter()
        .map(|p| {
            // Staff read the field's name and the reason in Chinese; the path only where the form
            // has no name for it.
            let label = super::form::field_label(&p.path);
            let field = if label.is_empty() {
                p.path.as_str()
            } else {
                label
            };
            format!("{field}：{}", super::form::zh_reason(&p.reason))
        })
        .collect();
    (
        StatusCode::UNPROCESSABLE_ENTITY,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; charset=utf-8"),
        )],
        lines.join("\n"),
    )
        .into_response()
}

/// A reviewer (or an admin other than its author) approves or rejects a playlist edit.
pub async fn review_playlist(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    Path(id): Path<i64>,
    body: Bytes,
) -> Response {
    let f = Fields::parse(&body);
    let approve = f.get("approve") == "1";
    let reason = f.get("reason").trim().to_string();
    let result = service.change(|conn, now| {
        crate::service::domain::groups::review_playlist(
            conn,
            &session.user,
            id,
            approve,
            &reason,
            now,
        )
    });
    match result {
        Ok(()) => see("/console/review"),
        Err(e) => error_page(&session.user, &session.csrf, e),
    }
}

/// 公示证明, printable: the certificate computed from the signed evidence, with where to get the
/// evidence and how anyone checks it.
pub async fn proof(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    Path(id): Path<String>,
) -> Response {
    // The key that signs the certificate: an outside auditor checks the bundle against it,
    // obtained from the office (this page, /feed/keys), never from the bundle.
    let certified = service.proof_bundle(&id).and_then(|b| {
        let c = crate::proof::certify(&b).map_err(ServiceError::Internal)?;
        Ok((c, b.feed_keys.first().cloned().unwrap_or_default()))
    });
    let (c, office_key) = match certified {
        Ok(c) => c,
        Err(e) => return error_page(&session.user, &session.csrf, e),
    };
    let verdict = |v: &str| match v {
        "met" => "已满足",
        "not met" => "未满足",
        "in progress" => "公示中",
        _ => "待定",
    };
    let day_status = |v: &str| match v {
        "met" => "满足",
        "not met" => "不满足",
        _ => "待定",
    };
    let t = |t: &Timestamp| {
        crate::model::beijing(*t)
            .format("%Y-%m-%d %H:%M")
            .to_string()
    };
    let body = html! {
        div.certificate {
            p { "公告：" strong { (c.title) } "（" (c.notice_id) "），发布单位：" (c.issuer) }
            p { "公示期：" (t(&c.period.start)) " 至 " (t(&c.period.end)) "，共 " (c.period.working_days.len()) " 个工作日。" }
            p.hint { "工作日依据：" (c.period.calendar.join("；")) }
            p { "结论：" strong { (verdict(&c.verdict)) } "（截至 " (t(&c.as_of)) "；每个工作日至少有一块本组屏幕显示 " (c.min_daily_minutes) " 分钟即为满足）" }
            @for g in &c.groups {
                h2 { "屏幕组 " (g.group) "：" (verdict(&g.verdict)) }
                @if !g.failing_days.is_empty() {
                    p.error { "未满足的工作日：" (g.failing_days.iter().map(|d| d.to_string()).collect::<Vec<_>>().join("、")) }
                }
                table {
                    thead { tr { th { "工作日" } th { "最长显示（小时）" } th { "结论" } } }
                    tbody {
                        @for d in &g.days { tr { td { (d.day) } td { (format!("{:.2}", d.hours)) } td { (day_status(&d.status)) } } }
                    }
                }
                @for s in &g.screens {
                    h3 { "屏幕 " code { (s.id) } }
                    p { "每日显示（小时）："
                        (s.hours_per_day.iter().map(|(d, h)| format!("{d} {h:.2}")).collect::<Vec<_>>().join("；")) }
                    p { "显示时段 " (s.intervals.len()) " 段"
                        @if !s.gaps.is_empty() {
                            "；开机时间内较长的未显示时段："
                            (s.gaps.iter().map(|(a, b)| format!("{} 至 {}", t(a), t(b))).collect::<Vec<_>>().join("；"))
                        }
                    }
                }
            }
            @if !c.not_counted.is_empty() {
                h2 { "未计入的记录" }
                p { (c.not_counted.len()) " 条（文字与签名发布的不一致，或不在本组的发布记录中）。" }
            }
            h2 { "核验" }
            p { "证据包（签名的发布记录、各屏幕签名的显示记录、节假日安排）可在 "
                a href=(format!("/api/notices/{id}/proof/bundle")) { "此处下载" }
                "，任何人都可以用本单位的公钥离线核验（公钥应从本单位取得，不能取自证据包本身）：" }
            pre.token { "noticecast proof verify 证据包.json --key " (office_key) }
            p.hint { "公告文字摘要（SHA-256）：" @for h in &c.notice_sha256 { code { (h) } " " } }
        }
    };
    super::page(
        StatusCode::OK,
        layout(Some(&session.user), Some(&session.csrf), "公示证明", body),
    )
}
