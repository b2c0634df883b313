//! A notice's 公示期: when it starts, how long it runs (working days by the holiday calendar, or
//! to an end), and how people write it (11月30日至12月4日).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::reason::Reason;
use super::time::Timestamp;

/// A 公示期: from `start`, for a number of working days (公示 7 个工作日, counted with the
/// holiday calendar from the start's day) or until `end`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NoticePeriod {
    pub start: Timestamp,
    /// The period in working days, the start's day counting when it is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub working_days: Option<u32>,
    /// Or the instant the period ends.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<Timestamp>,
}

/// The longest 公示期 in working days (a quarter of a year).
pub const MAX_PERIOD_WORKING_DAYS: u32 = 60;

impl NoticePeriod {
    /// What is wrong with the period, as (field, reason).
    pub fn problems(&self) -> Vec<(&'static str, Reason)> {
        let mut out = Vec::new();
        match (self.working_days, self.end) {
            (Some(_), Some(_)) | (None, None) => {
                out.push(("notice_period", Reason::PeriodEitherOr))
            }
            (Some(n), None) if !(1..=MAX_PERIOD_WORKING_DAYS).contains(&n) => out.push((
                "notice_period.working_days",
                Reason::PeriodDaysOutOfRange {
                    days: n,
                    max: MAX_PERIOD_WORKING_DAYS,
                },
            )),
            (None, Some(end)) if end <= self.start => out.push((
                "notice_period.end",
                Reason::PeriodEndNotAfterStart {
                    end,
                    start: self.start,
                },
            )),
            (None, Some(end)) if (end - self.start).num_days() > 366 => {
                out.push(("notice_period.end", Reason::PeriodOverAYear))
            }
            _ => {}
        }
        out
    }

    /// The working days of the period (Beijing dates).
    pub fn working_days(&self, calendar: &super::calendar::Calendar) -> Vec<chrono::NaiveDate> {
        let first = super::beijing(self.start).date_naive();
        match (self.working_days, self.end) {
            (Some(n), _) => calendar.working_days_from(first, n),
            (None, Some(end)) => {
                let last = super::beijing(end).date_naive();
                let mut days = Vec::new();
                let mut d = first;
                while d <= last {
                    if calendar.is_working_day(d).0 {
                        days.push(d);
                    }
                    d = d.succ_opt().expect("a date in range");
                }
                days
            }
            (None, None) => Vec::new(),
        }
    }

    /// When the period ends: `end`, or midnight after its last working day.
    pub fn ends_at(&self, calendar: &super::calendar::Calendar) -> Timestamp {
        if let Some(end) = self.end {
            return end;
        }
        match self.working_days(calendar).last() {
            Some(last) => {
                let next = last.succ_opt().expect("a date in range");
                chrono::TimeZone::from_local_datetime(
                    &super::beijing_offset(),
                    &next.and_hms_opt(0, 0, 0).expect("midnight"),
                )
                .single()
                .expect("a fixed offset")
            }
            None => self.start,
        }
    }

    /// The period's last day (Beijing): its last working day, or the day of `end` (the day
    /// before, where `end` is the midnight that closes it).
    pub fn last_day(&self, calendar: &super::calendar::Calendar) -> chrono::NaiveDate {
        let end = super::beijing(self.ends_at(calendar));
        let day = end.date_naive();
        let midnight = chrono::Timelike::num_seconds_from_midnight(&end) == 0;
        let first = super::beijing(self.start).date_naive();
        if midnight && day > first {
            day.pred_opt().expect("a date in range")
        } else {
            day
        }
    }

    /// The period as people write it: `11月30日至12月4日`; with the years where it crosses
    /// one (`2026年12月29日至2027年1月5日`).
    pub fn describe_zh(&self, calendar: &super::calendar::Calendar) -> String {
        use chrono::Datelike;
        let first = super::beijing(self.start).date_naive();
        let last = self.last_day(calendar);
        let day = |d: chrono::NaiveDate, year: bool| {
            if year {
                format!("{}年{}月{}日", d.year(), d.month(), d.day())
            } else {
                format!("{}月{}日", d.month(), d.day())
            }
        };
        let years = first.year() != last.year();
        if first == last {
            day(first, years)
        } else {
            format!("{}至{}", day(first, years), day(last, years))
        }
    }
}
