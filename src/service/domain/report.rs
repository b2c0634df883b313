//! The annual disclosure report: per channel (screen group and its kind) and category, how many
//! distinct notices were shown, how many times pages were shown, and the screen-hours they took;
//! and what residents opened on touch terminals, per day and notice.

use std::collections::BTreeMap;

use serde::Serialize;
use utoipa::ToSchema;

use crate::model::Category;
use crate::service::domain::error::Error;
use crate::service::domain::groups;
use crate::service::domain::storage::{self, Conn};

/// What residents opened on touch terminals: per day, notice and channel.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Opens {
    pub year: i32,
    pub rows: Vec<OpensRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct OpensRow {
    /// Beijing-time day, `YYYY-MM-DD`.
    pub day: String,
    pub notice_id: String,
    /// The notice's title as on screens now (empty for a notice this service does not know).
    pub title: String,
    pub group: String,
    pub category: String,
    pub opens: i64,
}

/// Opens of `year`, by day, notice and channel.
pub fn opens(conn: &Conn, year: i32) -> Result<Opens, Error> {
    if !(2000..=2200).contains(&year) {
        return Err(Error::invalid(
            "year",
            crate::model::Reason::NotAYear { year },
        ));
    }
    let rows = storage::report::opens(conn, year)?
        .into_iter()
        .map(|(day, notice_id, title, group, category, opens)| OpensRow {
            day,
            notice_id,
            title,
            group,
            category,
            opens,
        })
        .collect();
    Ok(Opens { year, rows })
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Disclosure {
    pub year: i32,
    pub rows: Vec<DisclosureRow>,
    /// The paragraph for the 政府信息公开工作年度报告, from the same counts (`paragraph`).
    pub paragraph: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct DisclosureRow {
    pub group: String,
    /// `led`, `tv` or `terminal`.
    pub kind: String,
    /// e.g. `policy`, or `unknown` for notices that did not come from this service.
    pub category: String,
    /// The category's name in the disclosure report, e.g. 政策及规范性文件.
    pub category_name: String,
    /// Distinct notices shown.
    pub notices: i64,
    /// Pages shown (each page shown once is one play).
    pub plays: i64,
    /// Hours of screen time, summed over screens.
    pub screen_hours: f64,
    /// Times residents opened a notice on a touch terminal.
    pub opens: i64,
}

fn category_name(category: &str) -> String {
    Category::parse(category)
        .map_or("未分类", |c| c.full_name())
        .to_string()
}

/// Every current group with every category (zeros included: the report lists them), plus any
/// channel or category that only the records know of.
pub fn disclosure(conn: &Conn, year: i32) -> Result<Disclosure, Error> {
    if !(2000..=2200).contains(&year) {
        return Err(Error::invalid(
            "year",
            crate::model::Reason::NotAYear { year },
        ));
    }
    // (group, kind, category) → (notices, plays, hours, opens)
    type Key = (String, String, String);
    let mut table: BTreeMap<Key, (i64, i64, f64, i64)> = BTreeMap::new();
    for group in groups::list(conn)? {
        for c in Category::ALL {
            table.insert(
                (
                    group.name.clone(),
                    group.kind.clone(),
                    c.as_str().to_string(),
                ),
                (0, 0, 0.0, 0),
            );
        }
    }
    for (key, (notices, plays, hours)) in storage::report::plays_by_channel(conn, year)? {
        let entry = table.entry(key).or_insert((0, 0, 0.0, 0));
        (entry.0, entry.1, entry.2) = (notices, plays, hours);
    }
    for (key, opens) in storage::report::opens_by_channel(conn, year)? {
        table.entry(key).or_insert((0, 0, 0.0, 0)).3 = opens;
    }
    let rows = table
        .into_iter()
        .map(
            |((group, kind, category), (notices, plays, hours, opens))| DisclosureRow {
                group,
                kind,
                category_name: category_name(&category),
                category,
                notices,
                plays,
                screen_hours: (hours * 100.0).round() / 100.0,
                opens,
            },
        )
        .collect();
    let mut report = Disclosure {
        year,
        rows,
        paragraph: String::new(),
    };
    report.paragraph = paragraph(conn, &report)?;
    Ok(report)
}

/// One channel's month: distinct notices shown and pages played.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct MonthRow {
    pub group: String,
    /// 1 to 12, in Beijing time.
    pub month: u32,
    pub notices: i64,
    pub plays: i64,
}

/// Notices and plays per channel and month of `year` (Beijing time), from the same play records
/// as the table: every current group, every month, zeros included.
pub fn monthly(conn: &Conn, year: i32) -> Result<Vec<MonthRow>, Error> {
    let mut table: BTreeMap<(String, u32), (i64, i64)> = BTreeMap::new();
    for group in groups::list(conn)? {
        for m in 1..=12 {
            table.insert((group.name.clone(), m), (0, 0));
        }
    }
    for (group, month, notices, plays) in storage::report::plays_by_month(conn, year)? {
        if let Some(m) = month.filter(|m| (1..=12).contains(m)) {
            table.insert((group, m), (notices, plays));
        }
    }
    Ok(table
        .into_iter()
        .map(|((group, month), (notices, plays))| MonthRow {
            group,
            month,
            notices,
            plays,
        })
        .collect())
}

/// The paragraph the office pastes into its 政府信息公开工作年度报告, in that report's style,
/// from the same counts as the table: what the screens (LED and TV) published and played, what
/// the village terminals published and how often residents opened a notice on them. Notices are
/// counted once per kind of channel even when several groups showed them.
pub fn paragraph(conn: &Conn, report: &Disclosure) -> Result<String, Error> {
    let distinct = |kinds: &[&str]| -> Result<i64, Error> {
        storage::report::distinct_notices_played(conn, report.year, kinds)
    };
    let sum = |kinds: &[&str], f: fn(&DisclosureRow) -> i64| -> i64 {
        report
            .rows
            .iter()
            .filter(|r| kinds.contains(&r.kind.as_str()))
            .map(f)
            .sum()
    };
    let has = |kind: &str| report.rows.iter().any(|r| r.kind == kind);
    let mut parts = Vec::new();
    let screens: Vec<&str> = ["led", "tv"].into_iter().filter(|k| has(k)).collect();
    if !screens.is_empty() {
        let names: Vec<&str> = screens
            .iter()
            .map(|k| {
                if *k == "led" {
                    "LED显示屏"
                } else {
                    "电视屏"
                }
            })
            .collect();
        parts.push(format!(
            "通过{}发布政府信息{}条，播放{}次",
            names.join("、"),
            distinct(&screens)?,
            sum(&screens, |r| r.plays)
        ));
    }
    if has("terminal") {
        parts.push(format!(
            "通过村务公开栏触摸屏发布政府信息{}条，群众触屏查阅{}次",
            distinct(&["terminal"])?,
            sum(&["terminal"], |r| r.opens)
        ));
    }
    if parts.is_empty() {
        return Ok(format!("{}年未通过公开屏幕发布政府信息。", report.year));
    }
    Ok(format!("{}年，{}。", report.year, parts.join("；")))
}

/// The report as CSV for a spreadsheet: UTF-8 with a byte-order mark (so Excel and WPS read the
/// Chinese headers right), fields quoted where needed.
pub fn to_csv(report: &Disclosure) -> String {
    let mut out = String::from("\u{feff}");
    out.push_str(
        "年度,频道,屏幕类型,类别代码,类别,公开信息条数,播放次数,屏幕小时,触屏查阅次数\r\n",
    );
    for r in &report.rows {
        let fields = [
            report.year.to_string(),
            r.group.clone(),
            r.kind.clone(),
            r.category.clone(),
            r.category_name.clone(),
            r.notices.to_string(),
            r.plays.to_string(),
            format!("{:.2}", r.screen_hours),
            r.opens.to_string(),
        ];
        let line: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
    // The report's paragraph on the last line, in the first cell.
    out.push_str(&csv_field(&report.paragraph));
    out.push_str("\r\n");
    out
}

fn csv_field(s: &str) -> String {
    // A leading = + - @ (or tab, CR) would be a formula to a spreadsheet: `csv_cell` neutralises
    // it, as in every CSV the service writes.
    let s = crate::service::domain::audit::csv_cell(s);
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.into_owned()
    }
}
