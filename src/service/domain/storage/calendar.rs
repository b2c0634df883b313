//! The working-day calendars' SQL (`calendar`): the years an admin replaced or added.

use super::sql::params;

use super::Conn;
use crate::service::domain::error::Error;

/// The stored calendars: year and TOML text, by year.
pub(in crate::service::domain) fn select_calendars(
    conn: &Conn,
) -> Result<Vec<(i32, String)>, Error> {
    let mut stmt = conn.prepare("SELECT year, text FROM calendars ORDER BY year")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, i32>(0)?, r.get::<_, String>(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The years an admin replaced or added.
pub(in crate::service::domain) fn replaced_years(conn: &Conn) -> Result<Vec<i32>, Error> {
    let mut stmt = conn.prepare("SELECT year FROM calendars")?;
    let rows = stmt.query_map([], |r| r.get::<_, i32>(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Inserts or replaces `year`'s calendar with `text`.
pub(in crate::service::domain) fn upsert_calendar(
    conn: &Conn,
    year: i32,
    text: &str,
    updated_by: &str,
    updated_at: &str,
) -> Result<(), Error> {
    conn.execute(
        "INSERT INTO calendars (year, text, updated_by, updated_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (year) DO UPDATE SET text = excluded.text,
             updated_by = excluded.updated_by, updated_at = excluded.updated_at",
        params![year, text, updated_by, updated_at],
    )?;
    Ok(())
}
