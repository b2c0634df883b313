//! The console's notice lists, the review queue, and the notice form for writing and editing.

use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use maud::{Markup, html};
use serde::Deserialize;

use super::error::Page;
use super::form::{Fields, FigureForm, NoticeForm, field_label, priority_label};
use super::frame::{layout, problems};
use super::{kind_label, page, see, state_label, when};
use crate::model::{Category, Level, Problem, Timestamp};
use crate::service::domain::assets;
use crate::service::domain::error::Error;
use crate::service::domain::imports;
use crate::service::domain::notices::{self, ALL_GROUPS, NoticeInput, PunctuationWarning};
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
) -> Page {
    let now = service.now();
    let state = q.state.filter(|s| !s.is_empty());
    let all = service.read(|conn, _| notices::list(conn, state.as_deref(), now))?;
    let pages = all.len().div_ceil(notices::PAGE).max(1);
    let at = q.page.unwrap_or(1).clamp(1, pages);
    let list = notices::page(all, Some((at - 1) * notices::PAGE), None);
    let link = |p: usize| match &state {
        Some(s) => format!("/console/notices?state={s}&page={p}"),
        None => format!("/console/notices?page={p}"),
    };
    let body = html! {
        nav.filters {
            a href="/console/notices" { "全部" }
            @for s in notices::NoticeState::LISTED {
                a href=(format!("/console/notices?state={}", s.as_str())) { (s.zh()) }
            }
        }
        (notice_table(&list, &off_now(&service)))
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
    Ok(page(
        StatusCode::OK,
        layout(Some(&session.user), Some(&session.csrf), &title, body),
    ))
}

/// The groups whose screens are off now (their hours), with when they come on, of how many.
struct OffNow {
    off: std::collections::HashMap<String, String>,
    groups: usize,
}

fn off_now(service: &AppState) -> OffNow {
    let names = service
        .read(|conn, _| groups::names(conn))
        .unwrap_or_default();
    OffNow {
        groups: names.len(),
        off: names
            .into_iter()
            .filter_map(|g| super::wall::off_label(service, &g).map(|label| (g, label)))
            .collect(),
    }
}

/// Where a notice stands on the screens: its validity, and its groups' hours (`now`: the groups
/// off now): 未开始（12月8日起）, 正在显示, 有效；关屏时段，06:30 开屏 (every screen it is for is
/// off, so a notice approved at night does not read as on the screens), 已结束.
fn screens_label(n: &notices::NoticeSummary, now: &OffNow) -> Markup {
    let targets_off = if n.groups.iter().any(|g| g == ALL_GROUPS) {
        now.off.len() == now.groups
    } else {
        n.groups.iter().all(|g| now.off.contains_key(g))
    };
    let all_off = !now.off.is_empty() && !n.groups.is_empty() && targets_off;
    let off_label = n
        .groups
        .iter()
        .find_map(|g| now.off.get(g))
        .or_else(|| now.off.values().next());
    let from = n
        .valid_from
        .as_deref()
        .and_then(|t| crate::model::Timestamp::parse_from_rfc3339(t).ok())
        .map(|t| {
            let t = crate::model::beijing(t);
            format!("{}起", t.format("%-m月%-d日 %H:%M"))
        });
    html! {
        @match n.screens.as_str() {
            "not_yet" => span.hint { "未开始" @if let Some(from) = from { "（" (from) "）" } },
            "showing" if all_off => span.hint { "有效；" (off_label.cloned().unwrap_or_default()) },
            "showing" => span.ok { "正在显示" },
            "ended" => span.hint { "已结束" },
            _ => "",
        }
    }
}

fn notice_table(list: &[notices::NoticeSummary], off: &OffNow) -> Markup {
    html! {
        @if list.is_empty() { p.hint { "没有公告。" } }
        @else {
            table {
                thead { tr { th { "编号" } th { "标题" } th { "类别" } th { "状态" } th { "屏幕上" }
                    th { "最后修改" } th { "修改人" } } }
                tbody {
                    @for n in list {
                        tr {
                            td { a href=(format!("/console/notices/{}", n.id)) { (n.id) } }
                            td { a href=(format!("/console/notices/{}", n.id)) { (n.title) }
                                @if let Some(period) = &n.period {
                                    br; span.hint { "公示期：" (period) } } }
                            td { (n.category.label()) }
                            td {
                                span class=(format!("state {}", n.state)) { (state_label(&n.state))
                                    }
                                @if let Some((done, of)) = n.approvals {
                                    " "
                                    span.hint title="提级审核：须两名审核人员批准" {
                                        "已批准 " (done) "/" (of)
                                    }
                                }
                            }
                            td { (screens_label(n, off)) }
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
) -> Page {
    let _now = service.now();
    let loaded = service.read(|conn, now| {
        notices::list(conn, Some("submitted"), now)
            .and_then(|l| Ok((l, groups::pending_playlists(conn)?, groups::labels(conn)?)))
    });
    let (list, playlists, labels) = loaded?;
    let field = |f: &str| match f {
        "name" => "屏幕标题",
        "ticker.text" => "滚动字幕文字",
        _ => "手机阅读网址",
    };
    let body = html! {
        p.hint { "打开公告，核对内容和修改之处，完成保密审查后批准，或写明原因退回。" }
        (notice_table(&list, &off_now(&service)))
        @if !playlists.is_empty() {
            h2 { "播放列表的修改" }
            p.hint {
                "这些修改改变了居民在屏幕上看到或扫到的内容，须由修改人以外的人批准后才发布。"
            }
            @for c in &playlists {
                section.playlist-change {
                    h3 {
                        (labels.of(&c.group)) "：" (c.author)
                        " 于 " (super::when(&c.created_at)) " 提交"
                    }
                    table {
                        thead { tr { th { "项目" } th { "现在" } th { "修改后" } } }
                        tbody {
                            @for (f, before, after) in &c.changes {
                                tr { td { (field(f)) } td { del { (before) } } td { ins { (after) }
                                    } }
                            }
                        }
                    }
                    div.actions {
                        form.approve-playlist method="post"
                            action=(format!("/console/playlist-changes/{}/review", c.id)) {
                            input type="hidden" name="csrf" value=(session.csrf);
                            input type="hidden" name="approve" value="1";
                            button.primary type="submit" { "批准发布" }
                        }
                        form.reject-playlist method="post"
                            action=(format!("/console/playlist-changes/{}/review", c.id)) {
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
    Ok(page(
        StatusCode::OK,
        layout(Some(&session.user), Some(&session.csrf), "待审核", body),
    ))
}

/// The notice form, with the live preview panel beside it.
pub(super) fn notice_form(
    service: &Service,
    action: &str,
    form: &NoticeForm,
    csrf: &str,
    errors: &[Problem],
) -> Markup {
    let group_list: Vec<(String, String, String)> = service
        .read(|conn, _| groups::list(conn))
        .unwrap_or_default()
        .into_iter()
        .map(|g| (g.name, g.kind, g.label))
        .collect();
    let checked = |g: &str| form.groups.iter().any(|x| x == g);
    html! {
        (problems(errors))
        div.editor {
            form id="notice-form" method="post" action=(action) enctype="multipart/form-data" {
                input type="hidden" name="csrf" value=(csrf);
                // The default button (Enter in a field) saves; the figures' buttons come later.
                // A button submits without a `type`; leaving it out of this hidden one and the
                // figures' buttons keeps `button[type=submit]` to 保存草稿, the one scripts and
                // tests take for saving.
                button.default-action name="action" value="save" tabindex="-1"
                    aria-hidden="true" { "保存草稿" }
                (punctuation_warnings(&form.punctuation()))
                label { "标题" input name="title" value=(form.title) maxlength="200" required; }
                label { "正文" span.hint { "段落之间空一行。" }
                    textarea name="body" rows="14" required { (form.body) } }
                div.row {
                    label { "类别"
                        select name="category" required {
                            option value="" { "请选择" }
                            @for c in Category::ALL {
                                option value=(c.as_str()) selected[form.category == c.as_str()] {
                                    (c.full_name()) }
                            }
                        }
                    }
                    label { "优先级"
                        select name="priority" {
                            @for p in ["normal", "urgent", "emergency"] {
                                option value=(p) selected[form.priority == p ||
                                    (form.priority.is_empty() && p == "normal")] {
                                    (priority_label(p)) }
                            }
                        }
                    }
                }
                div.row {
                    label { "发布单位" input name="issuer" value=(form.issuer) required; }
                    label { "文号（可选）" input name="doc_number" value=(form.doc_number); }
                }
                div.row {
                    label { "生效时间（北京时间）" input name="valid_from" type="datetime-local"
                        value=(form.valid_from) required; }
                    label { "截止时间（可选，不填为长期）"
                        input name="valid_until" type="datetime-local" value=(form.valid_until); }
                }
                label { "全文链接（可选，屏幕上显示为二维码）"
                    input name="url" type="url" value=(form.url) placeholder="https://"; }
                label { "防御指南（可选，告诉群众怎么做，屏幕上完整显示、不截断）"
                    textarea name="instruction" rows="3" maxlength="300" { (form.instruction) } }
                label { "联系方式（可选，电话、地点，屏幕上完整显示、不截断）"
                    input name="contact" value=(form.contact) maxlength="120"
                        placeholder="值班电话 0571-00000000；报警 110，火警 119，急救 120"; }
                label { "预警级别（仅紧急公告，决定整屏颜色）"
                    select name="level" {
                        option value="" selected[form.level.is_empty()] { "无（紧急通知，红色）" }
                        @for l in Level::ALL {
                            option value=(l.as_str()) selected[form.level == l.as_str()] {
                                (l.label()) }
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
                        label { "公示开始（北京时间）"
                            input name="period_start" type="datetime-local"
                            value=(form.period_start); }
                        label { "公示工作日数" input name="period_days" type="number" min="1"
                            max=(crate::model::MAX_PERIOD_WORKING_DAYS) value=(form.period_days)
                            placeholder="例如 7"; }
                        label { "或公示结束（北京时间）"
                            input name="period_end" type="datetime-local"
                            value=(form.period_end); }
                    }
                    p.hint {
                        "工作日按国务院节假日安排计算（含调休上班日）；工作日数与结束时间二选一。"
                    }
                }
                fieldset {
                    legend { "发布到" }
                    label.check { input type="checkbox" name="groups" value=(ALL_GROUPS)
                        checked[checked(ALL_GROUPS)]; "全部屏幕组" }
                    @for (name, kind, label) in &group_list {
                        label.check { input type="checkbox" name="groups" value=(name)
                            checked[checked(name)]; (label) " " small { (kind_label(kind)) } }
                    }
                }
                (figure_rows(form))
                button type="submit" name="action" value="save" { "保存草稿" }
            }
            aside.live-preview {
                h2 { "预览" }
                label { "屏幕组"
                    select id="preview-group" {
                        @for (name, kind, label) in &group_list { option value=(name) { (label) "（"
                            (kind_label(kind)) "）" } }
                    }
                }
                p.hint id="preview-status" { "填写内容后自动生成预览。" }
                img id="preview-image" alt="屏幕预览";
            }
        }
    }
}

/// What the button 全部改为全角标点 sends as the form's `action` (`read_form`).
const FULL_WIDTH: &str = "full-width";

/// The half-width punctuation and foreign middle dots in the form as typed, each by field, line
/// and character, and the button that converts them all. It sits at the top of the form, after
/// the hidden default button (Enter still saves) and, like the figures' buttons, without a
/// `type`, so the form's `button[type=submit]` stays 保存草稿.
fn punctuation_warnings(warnings: &[PunctuationWarning]) -> Markup {
    html! {
        @if !warnings.is_empty() {
            div.warn role="alert" id="punctuation" {
                p { "以下标点是半角（英文）标点或不规范的间隔号，中文里应使用全角标点（共 "
                    (warnings.len()) " 处）：" }
                ul { @for w in warnings { li { (field_label(&w.field)) " " (w.reason_zh) } } }
                button name="action" value=(FULL_WIDTH) formnovalidate { "全部改为全角标点" }
                " "
                span.hint { "只改上面列出的标点，数字、网址和邮箱不变；改后请核对，再保存草稿。" }
            }
        }
    }
}

/// Where the import form posts.
pub const IMPORT_PATH: &str = "/console/notices/import";

/// The import form, above the notice form on the 写公告 page (`import_page` answers it).
pub(super) fn import_form(csrf: &str) -> Markup {
    html! {
        form.import method="post" action=(IMPORT_PATH) enctype="multipart/form-data" {
            input type="hidden" name="csrf" value=(csrf);
            label { "导入文件（Word .docx、Excel .xlsx、CSV、PDF、OFD，至多 "
                (imports::MAX_IMPORT_BYTES / 1024 / 1024) " MB）"
                input type="file" name="file" accept=(imports::ACCEPT) required; }
            button type="submit" { "导入文件" }
            p.hint { "从文件读出标题、正文、表格、发布单位、文号和图片，填入下面的表单；"
                "请核对后再保存，保存之前不会存为公告。旧版 .doc、.wps 请先另存为 .docx。" }
        }
    }
}

/// The figures of the form: each with its thumbnail, caption, alternative text and a button
/// that takes it out; then a file input for one more, sent with the button that uploads it
/// (or with saving). No script: each button posts the whole form, which comes back as typed.
fn figure_rows(form: &NoticeForm) -> Markup {
    html! {
        fieldset.figures {
            legend { "图片（可选，至多 " (crate::model::MAX_FIGURES) " 张）" }
            @for (i, f) in form.figures.iter().enumerate() {
                div.figure-row {
                    img.thumb src=(format!("/assets/{}", f.asset)) alt=(f.alt);
                    input type="hidden" name="figure_asset" value=(f.asset);
                    label { "图注" input name="figure_caption" value=(f.caption)
                        maxlength=(crate::model::MAX_CAPTION_CHARS); }
                    label { "替代文字（说明图片内容）" input name="figure_alt" value=(f.alt)
                        maxlength=(crate::model::MAX_ALT_CHARS); }
                    button name="action" value=(format!("remove:{i}"))
                        formnovalidate { "删除此图" }
                }
            }
            div.row {
                label { "添加图片（手机照片、截图或扫描的图纸，至多 "
                    (crate::service::domain::assets::MAX_UPLOAD_BYTES / 1024 / 1024) " MB）"
                    input type="file" name="figure_file"
                        accept=(crate::service::domain::assets::MEDIA_TYPES.join(",")); }
                label { "图注"
                    input name="new_caption" value=(form.new_caption)
                        maxlength=(crate::model::MAX_CAPTION_CHARS); }
                label { "替代文字" input name="new_alt" value=(form.new_alt)
                    maxlength=(crate::model::MAX_ALT_CHARS); }
            }
            p.hint { "上传时去除照片中的拍摄地点等信息。" }
            button name="action" value="upload" formnovalidate { "上传图片" }
        }
    }
}

pub async fn new(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
) -> Response {
    let form = blank_form(service.now());
    let body = html! {
        (import_form(&session.csrf))
        (notice_form(&service, "/console/notices", &form, &session.csrf, &[]))
    };
    page(
        StatusCode::OK,
        layout(Some(&session.user), Some(&session.csrf), "写公告", body),
    )
}

/// A new notice's form: in force from now, normal priority, the rest empty.
pub(super) fn blank_form(now: Timestamp) -> NoticeForm {
    NoticeForm {
        valid_from: NoticeForm::from_input(&blank_input(now)).valid_from,
        priority: "normal".into(),
        ..NoticeForm::default()
    }
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
        figures: Vec::new(),
        groups: Vec::new(),
    }
}

/// The form's input, or the form again with its problems (422, `Ok(Err(page))`). The image
/// the form carries is kept first and becomes its last figure; a form posted by a figure's
/// button comes back to go on writing, unsaved.
fn read_form(
    service: &Service,
    session: &Session,
    action: &str,
    title: &str,
    (fields, upload): Posted,
) -> Page<Result<NoticeInput, Response>> {
    let mut form = NoticeForm::from_fields(&fields);
    let again = |form: &NoticeForm, status: StatusCode, errors: Vec<Problem>| {
        page(
            status,
            layout(
                Some(&session.user),
                Some(&session.csrf),
                title,
                notice_form(service, action, form, &session.csrf, &errors),
            ),
        )
    };
    let button = fields.get("action");
    if let Some(i) = button
        .strip_prefix("remove:")
        .and_then(|i| i.parse::<usize>().ok())
    {
        if i < form.figures.len() {
            form.figures.remove(i);
        }
        return Ok(Err(again(&form, StatusCode::OK, Vec::new())));
    }
    if let Some(cleaned) = upload {
        let kept = cleaned.and_then(|cleaned| {
            service.record(|conn, now| {
                assets::keep(
                    conn,
                    &session.user,
                    cleaned,
                    |sha| service.asset_url(sha),
                    now,
                )
            })
        });
        match kept {
            Ok(asset) => {
                let caption = std::mem::take(&mut form.new_caption);
                let alt = std::mem::take(&mut form.new_alt);
                form.figures.push(FigureForm {
                    asset: asset.sha256,
                    caption,
                    alt,
                });
            }
            Err(Error::Invalid(errors)) => {
                let errors = errors
                    .into_iter()
                    .map(|p| Problem::new("form", "figure_file", p.reason))
                    .collect();
                return Ok(Err(again(&form, StatusCode::UNPROCESSABLE_ENTITY, errors)));
            }
            Err(e) => return Err(e.into()),
        }
    }
    if button == "upload" {
        return Ok(Err(again(&form, StatusCode::OK, Vec::new())));
    }
    if button == FULL_WIDTH {
        // Converted, not saved: the editor sees the text first.
        form.make_full_width();
        let body = html! {
            p.notice role="status" { "已改为全角标点，尚未保存：请核对后保存草稿。" }
            (notice_form(service, action, &form, &session.csrf, &[]))
        };
        return Ok(Err(page(
            StatusCode::OK,
            layout(Some(&session.user), Some(&session.csrf), title, body),
        )));
    }
    let input = match form.to_input() {
        Ok(input) => input,
        Err(e) => return Ok(Err(again(&form, StatusCode::UNPROCESSABLE_ENTITY, e))),
    };
    // The database lock is released before the form is drawn again (it reads the groups).
    let checked = service.read(|conn, _| notices::validate(conn, &input, service.now()));
    match checked {
        Ok(()) => Ok(Ok(input)),
        Err(Error::Invalid(errors)) => {
            Ok(Err(again(&form, StatusCode::UNPROCESSABLE_ENTITY, errors)))
        }
        Err(e) => Err(e.into()),
    }
}

/// A posted notice form, and the image it carries made ready to keep (`assets::clean`).
type Posted = (Fields, Option<Result<assets::Cleaned, Error>>);

/// Reads the posted form; its image is decoded and encoded again on a blocking thread, before
/// any lock is taken (a 40 MP photo takes a while).
async fn posted(headers: &HeaderMap, body: Bytes) -> Result<Posted, Error> {
    let content_type = headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    let (fields, upload) = Fields::read(content_type, &body)
        .map_err(|e| Error::Malformed(format!("the form: {e}")))?;
    let cleaned = match upload {
        None => None,
        Some(upload) => Some(
            tokio::task::spawn_blocking(move || assets::clean(&upload.media_type, &upload.bytes))
                .await
                .map_err(|e| Error::Internal(format!("decoding the form's image: {e}")))?,
        ),
    };
    Ok((fields, cleaned))
}

pub async fn create(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    headers: HeaderMap,
    body: Bytes,
) -> Page {
    let form = posted(&headers, body).await?;
    let input = match read_form(&service, &session, "/console/notices", "写公告", form)? {
        Ok(i) => i,
        Err(again) => return Ok(again),
    };
    let id = service.change(|conn, now| notices::create(conn, &session.user, &input, now))?;
    Ok(see(&format!("/console/notices/{id}")))
}

pub async fn edit(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    Path(id): Path<String>,
) -> Page {
    let notice = service.read(|conn, _| notices::get(conn, &id))?;
    let form = NoticeForm::from_input(&notice.latest().content);
    let body = html! {
        @if notice.live_revision.is_some() {
            p.notice { "此公告已发布。修改后需重新审核，批准前屏幕继续显示已批准的版本。" }
        }
        (notice_form(&service, &format!("/console/notices/{id}"), &form, &session.csrf, &[]))
    };
    Ok(page(
        StatusCode::OK,
        layout(
            Some(&session.user),
            Some(&session.csrf),
            &format!("修改公告 {id}"),
            body,
        ),
    ))
}

pub async fn save(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Page {
    let action = format!("/console/notices/{id}");
    let title = format!("修改公告 {id}");
    let form = posted(&headers, body).await?;
    let input = match read_form(&service, &session, &action, &title, form)? {
        Ok(i) => i,
        Err(again) => return Ok(again),
    };
    service.change(|conn, now| notices::edit(conn, &session.user, &id, &input, now))?;
    Ok(see(&action))
}
