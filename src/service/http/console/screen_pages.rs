//! The console's screens page: the registry's state, enrolling a screen, its token, its device key
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
use axum::extract::{Path, State};
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

pub async fn screens(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
) -> Page {
    screens_page(&service, &session, None)
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
