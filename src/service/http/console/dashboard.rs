//! The console's first page: what the screens show now, the feeds' sizes and every screen's state.

use super::error::Page;
use super::frame::layout;
use super::{kind_label, page, when};
use crate::service::http::guard::{AppState, Session};
use crate::service::{domain::notices, domain::screens};
use axum::Extension;
use axum::extract::State;
use axum::http::StatusCode;
use maud::{Markup, html};

pub fn screens_table(list: &[screens::ScreenInfo], csrf: &str) -> Markup {
    html! {
        table {
            thead { tr {
                th { "屏幕" } th { "屏幕组" } th { "状态" } th { "最后联系" } th { "内容版本" }
                th { "显示器" } th { "显卡" } th { "最近错误" } th { "播放记录" } th { "设备密钥" }
                th { "当前画面" }
            } }
            tbody {
                @for s in list {
                    tr {
                        // The name staff read; the id (in player.toml) for the IT person.
                        td { (s.label.as_deref().unwrap_or(&s.id))
                            @if s.label.is_some() { br; small.id { "编号 " (s.id) } } }
                        td { a href=(format!("/console/groups/{}", s.group)) { (s.group_label) }
                            " " small { (kind_label(&s.kind)) } }
                        td {
                            @if s.online { span.ok { "在线" } } @else { span.bad { "离线" } }
                            @if s.clock.as_deref() == Some("unsynced") {
                                br;
                                span.bad { "时钟未同步" }
                            }
                        }
                        td { (s.last_seen.as_deref().map(when).unwrap_or_else(|| "从未".into())) }
                        td {
                            (s.sequence.map(|n| n.to_string()).unwrap_or_else(|| "—".into()))
                            @if let (Some(a), Some(b)) = (s.sequence, s.feed_sequence) {
                                @if a < b { " " span.bad { "（最新 " (b) "）" } }
                            }
                        }
                        td {
                            (match s.power.as_deref() {
                                Some("on") => "开",
                                Some("standby") => "待机",
                                _ => "未知",
                            })
                        }
                        // As the screen reports them, for the IT person.
                        td { @if let Some(a) = &s.adapter { code { (a) } } @else { "—" } }
                        td { @if let Some(e) = &s.last_error { code { (e) } } }
                        td {
                            @if s.dropped == 0 && s.refused == 0 { "正常" }
                            @if s.dropped > 0 { "离线时丢失 " (s.dropped) " 条" br; }
                            @if s.refused > 0 { span.bad { "不可信、未计入 " (s.refused) " 条" } }
                        }
                        // The key its play records are signed with (公示证明), once a security
                        // administrator confirmed it against the id the screen shows.
                        td {
                            @if let Some(k) = &s.device_key_id {
                                code { (k) }
                                @if let Some(by) = &s.device_key_confirmed_by { br;
                                    small { "由 " (by) " 确认" } }
                            } @else if s.device_key_candidates.is_empty() {
                                "未登记"
                            } @else {
                                span.bad { "待确认：" }
                                @for k in &s.device_key_candidates { br; code { (k) } }
                            }
                        }
                        td {
                            @if let Some(at) = &s.screenshot_at {
                                a href=(format!("/api/screens/{}/screenshot", s.id)) {
                                    img.thumb src=(format!("/api/screens/{}/screenshot",
                                        s.id)) alt=(format!("{} 的画面", s.id));
                                }
                                br; small { (when(at)) }
                            }
                            @if s.screenshot_requested {
                                p.hint { "已请求，屏幕下次联系时发送（约一分钟内）。" }
                            } @else {
                                form method="post" action=(format!("/console/screens/{}/screenshot",
                                    s.id)) {
                                    input type="hidden" name="csrf" value=(csrf);
                                    button type="submit" { "查看当前画面" }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

pub async fn dashboard(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
) -> Page {
    let _now = service.now();
    let loaded = service.read(|conn, now| {
        screens::list(conn, now).and_then(|s| {
            Ok((
                s,
                notices::list(conn, None, now)?,
                crate::service::domain::groups::names(conn)?,
                crate::service::domain::groups::labels(conn)?,
            ))
        })
    });
    let (screen_list, notice_list, groups, labels) = loaded?;
    let online = screen_list.iter().filter(|s| s.online).count();
    let count = |state: &str| notice_list.iter().filter(|n| n.state == state).count();
    let on_screens = notice_list.iter().filter(|n| n.on_screens).count();
    let body = html! {
        section.cards {
            div.card { strong { (online) " / " (screen_list.len()) } span { "屏幕在线" } }
            div.card { strong { (on_screens) } span { "条公告正在发布" } }
            a.card href="/console/notices?state=submitted" { strong { (count("submitted")) }
                span { "条待审核" } }
            a.card href="/console/notices?state=rejected" { strong { (count("rejected")) }
                span { "条被退回" } }
            a.card href="/console/notices?state=draft" { strong { (count("draft")) }
                span { "条草稿" } }
        }
        h2 { "屏幕现在显示什么" }
        p.hint {
            "每个屏幕组此刻的画面，由屏幕自己的排版和绘制程序生成；"
            "下面是各屏幕最近上传的截图。点击进入该屏幕组。"
        }
        div.wall {
            @for group in &groups {
                @let members: Vec<&screens::ScreenInfo> = screen_list.iter().filter(|s| &s.group ==
                    group).collect();
                figure {
                    a href=(format!("/console/groups/{group}")) {
                        (super::wall::framed(html! { img
                            src=(format!("/console/groups/{group}/now.png"))
                            alt=(format!("{} 此刻的画面", labels.of(group))) loading="lazy"; },
                            super::wall::off_label(&service, group).as_deref(), None))
                        figcaption {
                            strong { (labels.of(group)) }
                            span { (members.iter().filter(|s| s.online).count()) " / "
                                (members.len()) " 台在线" }
                        }
                        @if let Ok(feed) = service.feed(group) {
                            @let budget =
                                service.options.feed_budget.unwrap_or(crate::service::FEED_BUDGET);
                            @let used = feed.body.len();
                            p.hint.feed-size {
                                "信息流 " (format!("{:.2}", used as f64 / 1048576.0)) " MB / 上限 "
                                (format!("{:.0}", budget as f64 / 1048576.0)) " MB"
                                @if used * 10 > budget * 8 {
                                    " " strong.bad { "接近上限，请撤回过期公告" }
                                }
                            }
                        }
                    }
                    @let shots: Vec<&&screens::ScreenInfo> = members.iter().filter(|s|
                        s.screenshot_at.is_some()).collect();
                    @if !shots.is_empty() {
                        div.shots {
                            @for s in shots {
                                a href=(format!("/api/screens/{}/screenshot",
                                    s.id)) title=(format!("{} 的截图", s.id)) {
                                    img src=(format!("/api/screens/{}/screenshot",
                                        s.id)) alt=(format!("{} 的截图", s.id)) loading="lazy";
                                }
                            }
                        }
                    }
                }
            }
        }
        h2 { "屏幕状态" }
        p.hint { "三分钟内有联系的屏幕为在线。" }
        (screens_table(&screen_list, &session.csrf))
    };
    Ok(page(
        StatusCode::OK,
        layout(Some(&session.user), Some(&session.csrf), "首页", body),
    ))
}
