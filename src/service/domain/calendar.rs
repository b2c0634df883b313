//! The working-day calendars the service counts a 公示期 with: the compiled-in ones
//! (`deploy/calendar/YEAR.toml`), and a year an admin replaced or added (the State Council
//! publishes the next year's holidays each November). Each replacement is audited.

use serde::Serialize;
use utoipa::ToSchema;

use crate::model::Timestamp;
use crate::model::calendar::{Calendar, Year};
use crate::service::domain::accounts::User;
use crate::service::domain::error::Error;
use crate::service::domain::storage::Conn;
use crate::service::domain::storage::calendar as store;

/// The calendars in force: the bundled years, replaced by the office's own.
pub fn calendar(conn: &Conn) -> Result<Calendar, Error> {
    let mut calendar = Calendar::bundled();
    for (year, text) in store::select_calendars(conn)? {
        let parsed = Year::from_toml(&text, &format!("calendar {year}"))
            .map_err(|p| Error::Internal(format!("stored calendar {year}: {p}")))?;
        calendar.years.insert(year, parsed);
    }
    Ok(calendar)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct YearInfo {
    pub year: i32,
    pub source: String,
    pub holidays: usize,
    pub workdays: usize,
    /// Replaced by an admin (else compiled in).
    pub replaced: bool,
}

pub fn list(conn: &Conn) -> Result<Vec<YearInfo>, Error> {
    let calendar = calendar(conn)?;
    let replaced: std::collections::BTreeSet<i32> =
        store::replaced_years(conn)?.into_iter().collect();
    Ok(calendar
        .years
        .values()
        .map(|y| YearInfo {
            year: y.year,
            source: y.source.clone(),
            holidays: y.holidays.len(),
            workdays: y.workdays.len(),
            replaced: replaced.contains(&y.year),
        })
        .collect())
}

/// Replaces (or adds) `year`'s calendar with `text` (TOML as in `deploy/calendar/`). A bad file
/// is refused with its problems; the calendar in force stays.
pub fn put(conn: &Conn, admin: &User, year: i32, text: &str, now: Timestamp) -> Result<(), Error> {
    let parsed = Year::from_toml(text, &format!("calendar {year}"))
        .map_err(|p| Error::Invalid(p.list().to_vec()))?;
    if parsed.year != year {
        return Err(Error::invalid(
            "year",
            crate::model::Reason::WrongYear {
                file: parsed.year,
                year,
            },
        ));
    }
    // The past is evidence: a day before today that becomes a holiday (or a working day)
    // afterwards would change a 公示期 already counted (in progress → met at once). Only
    // today and the days after it may change.
    let today = crate::model::beijing(now).date_naive();
    let before = calendar(conn)?.years.get(&year).cloned();
    let changed: Vec<chrono::NaiveDate> = match &before {
        Some(old) => old
            .holidays
            .symmetric_difference(&parsed.holidays)
            .chain(old.workdays.symmetric_difference(&parsed.workdays))
            .copied()
            .filter(|d| *d < today)
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect(),
        // A year not known before counted Monday to Friday: any difference from that in the
        // past changes what was counted.
        None => {
            let weekend = |d: &chrono::NaiveDate| {
                matches!(
                    chrono::Datelike::weekday(d),
                    chrono::Weekday::Sat | chrono::Weekday::Sun
                )
            };
            parsed
                .holidays
                .iter()
                .filter(|d| !weekend(d))
                .chain(parsed.workdays.iter().filter(|d| weekend(d)))
                .copied()
                .filter(|d| *d < today)
                .collect()
        }
    };
    if !changed.is_empty() {
        return Err(Error::invalid(
            "calendar",
            crate::model::Reason::ChangesPast {
                days: changed
                    .iter()
                    .map(|d| d.to_string())
                    .collect::<Vec<_>>()
                    .join(", "),
            },
        ));
    }
    store::upsert_calendar(conn, year, text, &admin.name, &now.to_rfc3339())?;
    crate::service::domain::audit::record(
        conn,
        now,
        &admin.name,
        crate::service::domain::audit::Action::CalendarPut,
        &year.to_string(),
        &parsed.source,
    )?;
    Ok(())
}
