//! Working days (工作日) for a 公示期 counted in them: a year's calendar lists the State
//! Council's holidays and the weekend days worked instead (`deploy/calendar/YEAR.toml`, compiled
//! in; admins may replace a year). A year without a calendar counts Monday to Friday, and says so.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

use super::{Problem, Problems, Reason};

/// The calendars shipped with noticecast.
const BUNDLED: &[(&str, &str)] = &[(
    "deploy/calendar/2026.toml",
    include_str!("../../deploy/calendar/2026.toml"),
)];

/// One year's holidays and worked weekend days.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Year {
    pub year: i32,
    /// Where the dates come from (the State Council's notice).
    pub source: String,
    pub holidays: BTreeSet<NaiveDate>,
    /// Weekend days that are working days (调休上班).
    pub workdays: BTreeSet<NaiveDate>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawYear {
    year: i32,
    source: String,
    #[serde(default)]
    workdays: Vec<String>,
    #[serde(default)]
    holiday: Vec<RawHoliday>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHoliday {
    name: String,
    from: String,
    to: String,
}

impl Year {
    /// A calendar file: every problem names its field.
    pub fn from_toml(text: &str, source: &str) -> Result<Year, Problems> {
        let raw: RawYear = toml::from_str(text).map_err(|e| {
            Problems::one(Problem::new(source, "", Reason::Syntax(e.message().into())))
        })?;
        let mut problems = Vec::new();
        let year = raw.year;
        let parse = |path: String, text: &str| -> Result<NaiveDate, Problem> {
            match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
                Ok(d) if d.year() == year => Ok(d),
                Ok(d) => Err(Problem::new(
                    source,
                    path,
                    Reason::NotInYear { date: d, year },
                )),
                Err(_) => Err(Problem::new(
                    source,
                    path,
                    Reason::NotACalendarDate { text: text.into() },
                )),
            }
        };
        let date = |path: String, text: &str, problems: &mut Vec<Problem>| {
            parse(path, text).map_err(|p| problems.push(p)).ok()
        };
        let mut holidays = BTreeSet::new();
        for (i, h) in raw.holiday.iter().enumerate() {
            let from = date(format!("holiday[{i}].from"), &h.from, &mut problems);
            let to = date(format!("holiday[{i}].to"), &h.to, &mut problems);
            if let (Some(from), Some(to)) = (from, to) {
                if to < from || (to - from).num_days() > 15 {
                    problems.push(Problem::new(
                        source,
                        format!("holiday[{i}]"),
                        Reason::NotAHolidayPeriod {
                            name: h.name.clone(),
                            from,
                            to,
                        },
                    ));
                }
                let mut d = from;
                while d <= to {
                    holidays.insert(d);
                    d = d.succ_opt().expect("a date in range");
                }
            }
        }
        let mut workdays = BTreeSet::new();
        for (i, w) in raw.workdays.iter().enumerate() {
            if let Some(d) = date(format!("workdays[{i}]"), w, &mut problems) {
                if !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
                    problems.push(Problem::new(
                        source,
                        format!("workdays[{i}]"),
                        Reason::NotAWeekend { date: d },
                    ));
                }
                workdays.insert(d);
            }
        }
        if let Some(both) = holidays.intersection(&workdays).next() {
            problems.push(Problem::new(
                source,
                "workdays",
                Reason::HolidayAndWorkday { date: *both },
            ));
        }
        Problems::check(problems)?;
        Ok(Year {
            year: raw.year,
            source: raw.source,
            holidays,
            workdays,
        })
    }
}

/// The calendars known: the bundled ones, replaced or added to by an office's own.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Calendar {
    pub years: BTreeMap<i32, Year>,
}

impl Calendar {
    pub fn bundled() -> Calendar {
        let mut calendar = Calendar::default();
        for (source, text) in BUNDLED {
            let year = Year::from_toml(text, source).expect("the bundled calendars are valid");
            calendar.years.insert(year.year, year);
        }
        calendar
    }

    /// Whether `day` is a working day; the second value is false when its year has no calendar
    /// (then Monday to Friday count).
    pub fn is_working_day(&self, day: NaiveDate) -> (bool, bool) {
        let weekend = matches!(day.weekday(), Weekday::Sat | Weekday::Sun);
        match self.years.get(&day.year()) {
            Some(year) => (
                year.workdays.contains(&day) || (!weekend && !year.holidays.contains(&day)),
                true,
            ),
            None => (!weekend, false),
        }
    }

    /// The first `n` working days on or after `start`.
    pub fn working_days_from(&self, start: NaiveDate, n: u32) -> Vec<NaiveDate> {
        let mut days = Vec::new();
        let mut d = start;
        // A year has at most about 120 days off: 4n + 60 days always hold n working days.
        for _ in 0..(n as usize * 4 + 60) {
            if days.len() == n as usize {
                break;
            }
            if self.is_working_day(d).0 {
                days.push(d);
            }
            d = d.succ_opt().expect("a date in range");
        }
        days
    }

    /// The years in `days` that have no calendar.
    pub fn unknown_years(&self, days: &[NaiveDate]) -> Vec<i32> {
        let years: BTreeSet<i32> = days
            .iter()
            .map(|d| d.year())
            .filter(|y| !self.years.contains_key(y))
            .collect();
        years.into_iter().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn the_2026_holidays_and_their_swapped_weekend_days() {
        let c = Calendar::bundled();
        // 国庆: 10-01..10-07 off; Sunday 09-20 and Saturday 10-10 worked.
        assert_eq!(c.is_working_day(d("2026-10-01")), (false, true));
        assert_eq!(c.is_working_day(d("2026-10-07")), (false, true));
        assert_eq!(c.is_working_day(d("2026-10-08")), (true, true));
        assert_eq!(c.is_working_day(d("2026-10-10")), (true, true));
        assert_eq!(c.is_working_day(d("2026-09-20")), (true, true));
        assert_eq!(c.is_working_day(d("2026-10-11")), (false, true));
        // 春节: 02-15..02-23 off (a Monday among them); Saturdays 02-14 and 02-28 worked.
        assert_eq!(c.is_working_day(d("2026-02-23")), (false, true));
        assert_eq!(c.is_working_day(d("2026-02-14")), (true, true));
        assert_eq!(c.is_working_day(d("2026-02-28")), (true, true));
        // An ordinary Wednesday and Saturday.
        assert_eq!(c.is_working_day(d("2026-03-04")), (true, true));
        assert_eq!(c.is_working_day(d("2026-03-07")), (false, true));
    }

    #[test]
    fn seven_working_days_across_national_day() {
        let c = Calendar::bundled();
        // 公示 7 个工作日 from Monday 2026-09-28: 09-28, 09-29, 09-30, then the holiday, then
        // 10-08, 10-09, Saturday 10-10 (worked), 10-12.
        let days = c.working_days_from(d("2026-09-28"), 7);
        let want: Vec<NaiveDate> = [
            "2026-09-28",
            "2026-09-29",
            "2026-09-30",
            "2026-10-08",
            "2026-10-09",
            "2026-10-10",
            "2026-10-12",
        ]
        .iter()
        .map(|s| d(s))
        .collect();
        assert_eq!(days, want);
        // Across the new year into 2027, which has no calendar yet: Monday to Friday, said so.
        let days = c.working_days_from(d("2026-12-30"), 4);
        assert_eq!(days.last(), Some(&d("2027-01-04")));
        assert_eq!(c.unknown_years(&days), vec![2027]);
    }

    /// A 公示期 as people write it (issue 29): by its last working day, or the day its end
    /// closes (a midnight end is the day before's), with years only across a new year.
    #[test]
    fn a_period_is_written_as_people_write_it() {
        use crate::model::{NoticePeriod, Timestamp};
        let c = Calendar::bundled();
        let t = |s: &str| Timestamp::parse_from_rfc3339(s).unwrap();
        let days = |start: &str, n: u32| NoticePeriod {
            start: t(start),
            working_days: Some(n),
            end: None,
        };
        let until = |start: &str, end: &str| NoticePeriod {
            start: t(start),
            working_days: None,
            end: Some(t(end)),
        };
        let p = days("2026-09-28T09:00:00+08:00", 7);
        assert_eq!(p.describe_zh(&c), "9月28日至10月12日");
        let p = days("2026-11-30T09:00:00+08:00", 5);
        assert_eq!(p.describe_zh(&c), "11月30日至12月4日");
        // Ending at the midnight after 12-11: the 11th is its last day, not 12-12 00:00.
        let p = until("2026-12-07T09:00:00+08:00", "2026-12-12T00:00:00+08:00");
        assert_eq!(p.describe_zh(&c), "12月7日至12月11日");
        let p = until("2026-12-07T09:00:00+08:00", "2026-12-11T17:30:00+08:00");
        assert_eq!(p.describe_zh(&c), "12月7日至12月11日");
        let p = days("2026-12-30T09:00:00+08:00", 4);
        assert_eq!(p.describe_zh(&c), "2026年12月30日至2027年1月4日");
        let p = until("2026-12-07T09:00:00+08:00", "2026-12-07T18:00:00+08:00");
        assert_eq!(p.describe_zh(&c), "12月7日");
    }

    #[test]
    fn a_bad_calendar_names_the_field() {
        let err = Year::from_toml(
            "year = 2026\nsource = \"x\"\nworkdays = [\"2026-10-12\"]\n",
            "2026.toml",
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("workdays[0]") && err.contains("weekend"),
            "{err}"
        );
        let err = Year::from_toml(
            "year = 2026\nsource = \"x\"\n[[holiday]]\nname = \"a\"\n\
             from = \"2027-01-01\"\nto = \"2027-01-02\"\n",
            "2026.toml",
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("holiday[0].from") && err.contains("not in 2026"),
            "{err}"
        );
    }
}
