//! The console's screens page: the registry's state, enrolling a screen, its token, its device key
//! (confirming one, and resetting it after a page that shows the key to compare with the screen)
//! and asking it for a screenshot.

use super::dashboard::screens_table;
use super::error::Page;
use super::form::Fields;
use super::frame::layout;
use super::{page, see};
use crate::service::domain::accounts::Role;
use crate::service::http::guard::{AppState, Session};
use crate::service::{domain::groups, domain::screens};
use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use maud::html;

fn screens_page(service: &AppState, session: &Session, token: Option<(&str, &str)>) -> Page {
    screens_page_saying(service, session, token, None)
}

fn screens_page_saying(
    service: &AppState,
    session: &Session,
    token: Option<(&str, &str)>,
    said: Option<String>,
) -> Page {
    let _now = service.now();
    let loaded = service
        .read(|conn, now| screens::list(conn, now).and_then(|s| Ok((s, groups::list(conn)?))));
    let (list, group_list) = loaded?;
    let admin = session.user.role == Role::Sysadmin;
    let body = html! {
        @if let Some(said) = said {
            div.ok-box { p { (said) } }
        }
        @if let Some((id, token)) = token {
            div.ok-box {
                p { "屏幕 " strong { (id) }
                    " 的令牌（只显示这一次，请复制到该屏幕的 player.toml 的 token 项）：" }
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
                    form.inline method="post" action=(format!("/console/screens/{}/device-key",
                        s.id)) {
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
                        input name="key_id" pattern="[0-9a-fA-F]{16}" placeholder="16 位编号"
                            required; }
                    button type="submit" { "按编号确认" }
                }
            }
            h2 { "重置设备密钥" }
            p.hint {
                "屏幕更换主机或重装系统后，它的设备密钥与已确认的不同，播放记录不再计入。"
                "先在这里重置，再确认它报来的新密钥。"
            }
            @for s in list.iter().filter(|s| s.device_key_id.is_some()) {
                p { a href=(format!("/console/screens/{}/device-key/reset", s.id)) {
                    "重置 " (s.id) " 的设备密钥…" } }
            }
            @if list.iter().all(|s| s.device_key_id.is_none()) {
                p { "还没有已确认设备密钥的屏幕。" }
            }
        }
        @if admin {
            h2 { "登记屏幕" }
            form.inline method="post" action="/console/screens" {
                input type="hidden" name="csrf" value=(session.csrf);
                label { "屏幕名称" input name="label" minlength="2" maxlength="30"
                    placeholder="城关镇广场东侧大屏" required; }
                label { "屏幕编号（小写字母、数字、- 和 _，写入播放器配置）"
                    input name="id" pattern="[a-z0-9_][a-z0-9_-]*"
                    placeholder="chengguan-plaza-01" required; }
                label { "屏幕组" select name="group" {
                    @for g in &group_list { option value=(g.name) { (g.label) } } } }
                button type="submit" { "登记并生成令牌" }
            }
            h2 { "屏幕名称" }
            p.hint { "工作人员在控制台看到的名称；屏幕编号不变。" }
            @for s in &list {
                form.inline method="post" action=(format!("/console/screens/{}/label", s.id)) {
                    input type="hidden" name="csrf" value=(session.csrf);
                    label { small.id { "编号 " (s.id) } " 名称"
                        input name="label" minlength="2" maxlength="30" required
                            value=(s.label.as_deref().unwrap_or_default()); }
                    button type="submit" { "改名" }
                }
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
    Ok(page(
        StatusCode::OK,
        layout(Some(&session.user), Some(&session.csrf), "屏幕", body),
    ))
}

/// The screens page after a reset (POST, redirect, GET): the screen it names.
#[derive(serde::Deserialize)]
pub struct Done {
    key_reset: Option<String>,
}

pub async fn screens(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    Query(q): Query<Done>,
) -> Page {
    // Said only of a screen without a confirmed key: the address alone cannot make it claim so.
    let reset = match q.key_reset {
        Some(id) => {
            let list = service.read(screens::list)?;
            list.into_iter()
                .find(|s| s.id == id && s.device_key_id.is_none())
                .map(|s| s.id)
        }
        None => None,
    };
    let said = reset.map(|id| {
        format!("屏幕 {id} 的设备密钥已重置。它下次联系时（约一分钟内）报来的新密钥会出现在下面的")
            + "“确认设备密钥”中：在屏幕上按 F12 核对编号一致后再确认。"
    });
    screens_page_saying(&service, &session, None, said)
}

/// Before resetting a screen's device key: the key id now confirmed, to compare with the one the
/// screen shows (the same: nothing to reset), and what happens after.
pub async fn confirm_reset_device_key(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    Path(id): Path<String>,
) -> Page {
    let list = service.read(screens::list)?;
    let Some(s) = list.into_iter().find(|s| s.id == id) else {
        return Err(crate::service::domain::error::Error::NotFound(
            crate::model::Reason::NoScreen { id },
        )
        .into());
    };
    let body = html! {
        p { "屏幕组：" (s.group) }
        @if let Some(key) = &s.device_key_id {
            p { "当前已确认的设备密钥编号：" code.key { (key) }
                @if let Some(by) = &s.device_key_confirmed_by { "（由 " (by) " 确认）" } }
        } @else {
            p { "这台屏幕还没有已确认的设备密钥；重置只会清除待确认的密钥。" }
        }
        @if !s.device_key_candidates.is_empty() {
            p { "待确认的编号：" @for k in &s.device_key_candidates { code { (k) } " " } }
        }
        @if let Some(e) = &s.last_error {
            p.hint { "屏幕最近报告：" code { (e) } }
        }
        h2 { "请先核对" }
        p { "在屏幕上按 F12，看它显示的“设备密钥”编号（或看播放器日志中的编号）。"
            "与上面的编号一致时，屏幕仍在使用原来的密钥，不需要重置；"
            "屏幕更换了主机或重装了系统、编号不同时才重置。" }
        h2 { "重置后会怎样" }
        ul {
            li { "原来的设备密钥立即作废：此后用它签名的播放记录不再计入统计和公示证明；"
                "已经计入的记录不变。" }
            li { "屏幕下次联系时（约一分钟内）报来它现在的设备密钥，出现在“屏幕”页的"
                "“确认设备密钥”中。" }
            li { "再在屏幕上按 F12 核对编号，一致后点“与屏幕显示一致，确认”。确认之前，屏幕的"
                "播放记录暂存在屏幕上，确认后补传计入。" }
        }
        form method="post" action=(format!("/console/screens/{id}/device-key/reset")) {
            input type="hidden" name="csrf" value=(session.csrf);
            button.danger type="submit" { "重置设备密钥" }
            " "
            a.button href="/console/screens" { "取消，返回" }
        }
    };
    Ok(page(
        StatusCode::OK,
        layout(
            Some(&session.user),
            Some(&session.csrf),
            &format!("重置屏幕 {id} 的设备密钥"),
            body,
        ),
    ))
}

pub async fn reset_device_key(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    Path(id): Path<String>,
) -> Page {
    service.record(|conn, now| screens::reset_device_key(conn, &session.user, &id, now))?;
    Ok(see(&format!("/console/screens?key_reset={id}")))
}

/// Asks a screen what it shows; the picture arrives after its next heartbeat.
pub async fn request_screenshot(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    Path(id): Path<String>,
) -> Page {
    let now = service.now();
    service.record(|conn, _| screens::request_screenshot(conn, &session.user, &id, now))?;
    Ok(see("/console/screens"))
}

pub async fn add_screen(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    body: Bytes,
) -> Page {
    let f = Fields::parse(&body);
    let (id, group) = (f.get("id").trim().to_string(), f.get("group").to_string());
    let label = f.get("label").trim().to_string();
    let token = service.change(|conn, now| {
        let token = screens::add(conn, &session.user.name, &id, &group, now)?;
        if !label.is_empty() {
            screens::set_label(conn, &session.user.name, &id, &label, now)?;
        }
        Ok(token)
    })?;
    screens_page(&service, &session, Some((&id, &token)))
}

/// Renames a screen for staff; its id (in its player.toml) stays.
pub async fn label_screen(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    Path(id): Path<String>,
    body: Bytes,
) -> Page {
    let label = Fields::parse(&body).get("label").trim().to_string();
    service.record(|conn, now| screens::set_label(conn, &session.user.name, &id, &label, now))?;
    screens_page_saying(
        &service,
        &session,
        None,
        Some(format!("屏幕 {id} 已改名为「{label}」。")),
    )
}

/// The security administrator confirms the device key whose id the screen shows.
pub async fn confirm_device_key(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    Path(id): Path<String>,
    body: Bytes,
) -> Page {
    let f = Fields::parse(&body);
    let key_id = f.get("key_id").to_string();
    let confirmed = service
        .record(|conn, now| screens::confirm_device_key(conn, &session.user, &id, &key_id, now));
    Ok(match confirmed? {
        screens::Confirmation::Confirmed => see("/console/screens"),
        screens::Confirmation::Awaited => screens_page_saying(
            &service,
            &session,
            None,
            Some(format!(
                "屏幕 {id} 尚未发来编号为 {} 的设备密钥；\
                 它下次联系时（约一分钟内）若发来该密钥，即自动确认。",
                key_id.trim()
            )),
        )?,
    })
}

pub async fn screen_token(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    Path(id): Path<String>,
) -> Page {
    let now = service.now();
    let token = service.record(|conn, _| screens::new_token(conn, &session.user, &id, now))?;
    screens_page(&service, &session, Some((&id, &token)))
}
