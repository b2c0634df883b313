//! The printable 公示证明 of a notice: the certificate computed from the signed evidence, with
//! where to get the evidence and how anyone checks it, signed off for the file: who wrote and
//! who approved the notice, the date printed and a place for the office's seal. Printed, the
//! style sheet's print rules leave out the console's frame (`static/app.css`, `@media print`).

use super::error::Page;
use super::frame::document;
use crate::model::Timestamp;
use crate::service::domain::error::Error;
use crate::service::domain::notices;
use crate::service::http::guard::{AppState, Session};
use axum::Extension;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use maud::html;

/// 公示证明, printable: the certificate computed from the signed evidence, with where to get the
/// evidence and how anyone checks it.
pub async fn proof(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    Path(id): Path<String>,
) -> Page {
    // The key that signs the certificate: an outside auditor checks the bundle against it,
    // obtained from the office (this page, /feed/keys), never from the bundle.
    let certified = service.proof_bundle(&id).and_then(|b| {
        let c = crate::proof::certify(&b).map_err(|e| Error::Internal(e.to_string()))?;
        Ok((c, b.feed_keys.first().cloned().unwrap_or_default()))
    });
    let (c, office_key) = certified?;
    let (authors, reviewers) = service
        .read(|conn, _| notices::get(conn, &id))?
        .responsible();
    let printed = crate::model::beijing(service.now())
        .format("%Y年%-m月%-d日")
        .to_string();
    let labels = service.read(|conn, _| crate::service::domain::groups::labels(conn))?;
    // Before the 公示期 starts nothing is being proved yet: 未开始, not 公示中.
    let not_started = c.as_of < c.period.start;
    let verdict = |v: &crate::proof::Verdict| {
        if not_started && *v == crate::proof::Verdict::InProgress {
            "未开始"
        } else {
            v.zh()
        }
    };
    let day_status = |v: &crate::proof::DayStatus| v.zh();
    let t = |t: &Timestamp| {
        crate::model::beijing(*t)
            .format("%Y-%m-%d %H:%M")
            .to_string()
    };
    // As people write it: 11月30日至12月4日, not the midnight that closes the last day.
    let period = crate::model::NoticePeriod {
        start: c.period.start,
        working_days: None,
        end: Some(c.period.end),
    }
    .describe_zh(&crate::model::calendar::Calendar::default());
    let body = html! {
        // The console's strict policy allows no inline script: app.js gives the button its click.
        div.actions.no-print {
            button.primary type="button" data-print { "打印" }
            span.hint { "请用A4纸打印，并在打印设置中取消“页眉和页脚”。" }
        }
        div.certificate {
            // The office whose proof it is, above the title. The service has no setting for its
            // own name: a group's playlist `name` is the header of that group's screens (one per
            // group, and they differ), so the notice's 落款 (its issuer), whose 公示 this
            // proves, stands there.
            p.office { (c.issuer) }
            h1 { "公示证明" }
            p { "公告：" strong { (c.title) } "（" (c.notice_id) "），发布单位：" (c.issuer) }
            p { "公示期：" strong { (period) } "，共 " (c.period.working_days.len()) " 个工作日（"
                (t(&c.period.start)) " 起）。" }
            p.hint { "工作日依据：" (c.period.calendar.join("；")) }
            p { "结论：" strong { (verdict(&c.verdict)) }
                "（截至 " (t(&c.as_of)) "；每个工作日至少有一块本组屏幕显示 "
                (c.min_daily_minutes) " 分钟即为满足）" }
            @for g in &c.groups {
                h2 { (labels.of(&g.group)) "：" (verdict(&g.verdict)) }
                @if !g.failing_days.is_empty() {
                    p.error { "未满足的工作日：" (g.failing_days.iter().map(|d|
                        d.to_string()).collect::<Vec<_>>().join("、")) }
                }
                table {
                    thead { tr { th { "工作日" } th { "最长显示（小时）" } th { "结论" } } }
                    tbody {
                        @for d in &g.days { tr { td { (d.day) } td { (format!("{:.2}", d.hours)) }
                            td { (day_status(&d.status)) } } }
                    }
                }
                @for s in &g.screens {
                    h3 { "屏幕 " code { (s.id) } }
                    p { "每日显示（小时）："
                        (s.hours_per_day.iter().map(|(d, h)|
                            format!("{d} {h:.2}")).collect::<Vec<_>>().join("；")) }
                    p { "显示时段 " (s.intervals.len()) " 段"
                        @if !s.gaps.is_empty() {
                            "；开机时间内较长的未显示时段："
                            (s.gaps.iter().map(|(a, b)| format!("{} 至 {}", t(a),
                                t(b))).collect::<Vec<_>>().join("；"))
                        }
                    }
                }
            }
            @if !c.not_counted.is_empty() {
                h2 { "未计入的记录" }
                p { (c.not_counted.len())
                    " 条（文字与签名发布的不一致，或不在本组的发布记录中）。" }
            }
            h2 { "核验" }
            @let bundle = format!("/api/notices/{id}/proof/bundle");
            // The address written out: on paper a link's words lead nowhere.
            p { "证据包（签名的发布记录、各屏幕签名的显示记录、节假日安排）可在本平台下载（"
                a href=(bundle) { code { (bundle) } }
                "），任何人都可以用本单位的公钥离线核验"
                "（公钥应从本单位取得，不能取自证据包本身）：" }
            pre.token { "noticecast proof verify 证据包.json --key " (office_key) }
            p.hint { "公告文字摘要（SHA-256）：" @for h in &c.notice_sha256 { code { (h) } " " } }
            // Signed off by hand on paper: the names are printed, the lines take the signatures.
            div.sign-off {
                div.people {
                    p { "经办人：" span.sign-line { (authors.join("、")) } }
                    p { "审核人：" span.sign-line { (reviewers.join("、")) } }
                    p { "打印日期：" (printed) }
                }
                div.seal-area {
                    div.seal { "盖章处" }
                    p { (c.issuer) }
                }
            }
        }
    };
    Ok(super::page(
        StatusCode::OK,
        document(Some(&session.user), Some(&session.csrf), "公示证明", body),
    ))
}
