//! The yearly disclosure report (年度报表): the table, the paragraph for the annual report, the
//! monthly charts and the touch terminals' opens.

use super::error::Page;
use super::frame::layout;
use super::{kind_label, page};
use crate::service::domain::report;
use crate::service::http::guard::{AppState, Session};
use axum::Extension;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use maud::{Markup, html};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct ReportQuery {
    year: Option<i32>,
}

pub async fn report(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    Query(q): Query<ReportQuery>,
) -> Page {
    let this_year: i32 = crate::model::beijing(service.now())
        .format("%Y")
        .to_string()
        .parse()
        .unwrap_or(2026);
    let year = q.year.unwrap_or(this_year);
    // One lock for both: the database's mutex is not re-entrant.
    let both = service.read(|db, _now| {
        report::disclosure(db, year).and_then(|r| {
            Ok((
                r,
                report::opens(db, year)?,
                report::monthly(db, year)?,
                crate::service::domain::groups::labels(db)?,
            ))
        })
    });
    let (report, opens, months, labels) = both?;
    let body = html! {
        form.inline method="get" action="/console/report" {
            label { "年度" input name="year" type="number" min="2000" max="2200" value=(year); }
            button type="submit" { "查看" }
            a.button href=(format!("/api/reports/disclosure?year={year}&format=csv")) { "下载 CSV" }
        }
        h2 { "各频道每月发布与播放" }
        p.hint {
            "每个频道一张图：上排为当月显示过的公告条数，下排为播放次数（每显示一页计一次），"
            "数字与下表同源。"
        }
        @for group in months.iter().map(|m| &m.group).collect::<std::collections::BTreeSet<_>>() {
            @let rows: Vec<_> = months.iter().filter(|m| &m.group == group).collect();
            (chart(labels.of(group), &rows))
        }
        h2 { "年度报告用语" }
        p.hint { "可直接复制到政府信息公开工作年度报告中（数字与下表同源）。" }
        textarea.report-paragraph id="report-paragraph" readonly rows="3"
            aria-label="年度报告中的文字（可复制）" { (report.paragraph) }
        button type="button" data-copy="report-paragraph" { "复制" }
                p.hint {
                    "按频道（屏幕组）和类别统计：发布的公告条数、播放次数（每显示一页计一次）、"
                    "屏幕小时，以及居民在触摸屏上查阅的次数。"
                }
        table {
            thead { tr { th { "频道" } th { "屏幕类型" } th { "类别" } th.num { "公告条数" }
                th.num { "播放次数" } th.num { "屏幕小时" } th.num { "触屏查阅" } } }
            tbody {
                @for r in &report.rows {
                    tr {
                        td { (labels.of(&r.group)) } td { (kind_label(&r.kind)) }
                        td { (r.category_name) }
                        td.num { (r.notices) } td.num { (r.plays) } td.num { (format!("{:.2}",
                            r.screen_hours)) } td.num { (r.opens) }
                    }
                }
            }
        }
        h2 { "居民在触摸屏上查阅的公告" }
        @if opens.rows.is_empty() {
            p.hint { "本年度还没有居民在触摸屏上打开过公告。" }
        } @else {
            p.hint { "每天每条公告被打开的次数（只记日期和公告，不记录任何个人信息）。" }
            table {
                thead { tr { th { "日期" } th { "公告" } th { "频道" } th.num { "打开次数" } } }
                tbody {
                    @for r in &opens.rows {
                        tr {
                            td { (r.day) }
                            td { @if r.title.is_empty() { (r.notice_id) } @else { (r.title) } }
                            td { (labels.of(&r.group)) } td.num { (r.opens) }
                        }
                    }
                }
            }
        }
    };
    Ok(page(
        StatusCode::OK,
        layout(
            Some(&session.user),
            Some(&session.csrf),
            &format!("{year} 年度政务公开屏发布统计"),
            body,
        ),
    ))
}

/// One channel's year as a server-drawn SVG: notices (top row) and plays (bottom row) per month,
/// each row scaled to its own largest month, the number above every bar.
fn chart(group: &str, months: &[&report::MonthRow]) -> Markup {
    const W: f32 = 900.0;
    const ROW: f32 = 110.0;
    const LEFT: f32 = 90.0;
    let col = (W - LEFT - 10.0) / 12.0;
    let rows: [(&str, Vec<i64>, &str); 2] = [
        (
            "公告条数",
            months.iter().map(|m| m.notices).collect(),
            "#8e1c1c",
        ),
        (
            "播放次数",
            months.iter().map(|m| m.plays).collect(),
            "#0b4f9c",
        ),
    ];
    let height = 40.0 + 2.0 * ROW + 24.0;
    html! {
        svg.chart xmlns="http://www.w3.org/2000/svg" viewBox=(format!("0 0 {W} {height}"))
            role="img"
            aria-label=(format!("{group} 每月公告条数和播放次数")) {
            text x="10" y="24" font-size="18" font-weight="bold" { (group) }
            @for (r, (label, values, colour)) in rows.iter().enumerate() {
                @let top = 40.0 + r as f32 * ROW;
                @let max = values.iter().copied().max().unwrap_or(0).max(1) as f32;
                text x="10" y=(top + ROW / 2.0) font-size="15" { (label) }
                line x1=(LEFT) x2=(W - 10.0) y1=(top + ROW - 10.0) y2=(top + ROW - 10.0)
                    stroke="#999" {}
                @for (i, v) in values.iter().enumerate() {
                    @let h = (ROW - 40.0) * *v as f32 / max;
                    @let x = LEFT + i as f32 * col + col * 0.15;
                    rect x=(x) y=(top + ROW - 10.0 - h) width=(col * 0.7) height=(h) fill=(colour)
                        {}
                    text x=(x + col * 0.35) y=(top + ROW - 14.0 - h) font-size="13"
                        text-anchor="middle" { (v) }
                }
            }
            @for i in 0..12 {
                text x=(LEFT + i as f32 * col + col * 0.5) y=(height - 6.0) font-size="13"
                    text-anchor="middle" { (i + 1) "月" }
            }
        }
    }
}
