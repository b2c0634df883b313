//! The SQL of `report`: the annual disclosure report's counts of play records and touch
//! terminal opens.

use super::sql::{Value, params, params_from_iter};

use super::Conn;
use crate::service::domain::error::Error;

/// One row of opens: day, notice, its live title (empty if unknown), group, category, count.
pub(in crate::service::domain) type OpensCount = (String, String, String, String, String, i64);

/// Opens of `year` by day, notice and channel, in that order.
pub(in crate::service::domain) fn opens(conn: &Conn, year: i32) -> Result<Vec<OpensCount>, Error> {
    let title = match conn.dialect() {
        super::Dialect::Sqlite => "json_extract(r.content, '$.title')",
        super::Dialect::Postgres => "CAST(r.content AS jsonb) ->> 'title'",
    };
    let mut stmt = conn.prepare(&format!(
        "SELECT o.day, o.notice_id, MAX(COALESCE({title}, '')),
                o.group_name, o.category, COUNT(*)
         FROM opens o
         LEFT JOIN notices n ON n.id = o.notice_id
         LEFT JOIN revisions r ON r.notice_id = n.id AND r.number = n.live_revision
         WHERE o.year = ?1
         GROUP BY o.day, o.notice_id, o.group_name, o.category
         ORDER BY o.day, o.notice_id, o.group_name"
    ))?;
    let rows = stmt
        .query_map(params![year], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
            ))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// A channel and category: `(group, kind, category)`.
pub(in crate::service::domain) type Channel = (String, String, String);

/// A channel's plays: distinct notices, plays, hours of screen time.
pub(in crate::service::domain) type PlaysCount = (Channel, (i64, i64, f64));

/// Plays of `year` per channel and category.
pub(in crate::service::domain) fn plays_by_channel(
    conn: &Conn,
    year: i32,
) -> Result<Vec<PlaysCount>, Error> {
    let mut stmt = conn.prepare(
        "SELECT group_name, kind, category, COUNT(DISTINCT notice_id), COUNT(*), SUM(duration_s)
         FROM plays WHERE year = ?1 GROUP BY group_name, kind, category",
    )?;
    let rows = stmt.query_map(params![year], |r| {
        Ok((
            (r.get(0)?, r.get(1)?, r.get(2)?),
            (r.get(3)?, r.get(4)?, r.get::<_, f64>(5)? / 3600.0),
        ))
    })?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

/// Opens of `year` per channel and category.
pub(in crate::service::domain) fn opens_by_channel(
    conn: &Conn,
    year: i32,
) -> Result<Vec<(Channel, i64)>, Error> {
    let mut stmt = conn.prepare(
        "SELECT group_name, kind, category, COUNT(*)
         FROM opens WHERE year = ?1 GROUP BY group_name, kind, category",
    )?;
    let rows = stmt.query_map(params![year], |r| {
        Ok(((r.get(0)?, r.get(1)?, r.get(2)?), r.get::<_, i64>(3)?))
    })?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

/// A group's month (Beijing time; None if the start is unreadable): distinct notices, plays.
pub(in crate::service::domain) type MonthCount = (String, Option<u32>, i64, i64);

/// Plays of `year` per group and month.
pub(in crate::service::domain) fn plays_by_month(
    conn: &Conn,
    year: i32,
) -> Result<Vec<MonthCount>, Error> {
    // The month in Beijing of each play's start (RFC 3339 text).
    let month = match conn.dialect() {
        super::Dialect::Sqlite => "CAST(strftime('%m', start, '+8 hours') AS INTEGER)",
        super::Dialect::Postgres => {
            "CAST(EXTRACT(MONTH FROM (CAST(start AS timestamptz) AT TIME ZONE 'UTC')
                                    + INTERVAL '8 hours') AS BIGINT)"
        }
    };
    let mut stmt = conn.prepare(&format!(
        "SELECT group_name, {month} AS m,
                COUNT(DISTINCT notice_id), COUNT(*)
         FROM plays WHERE year = ?1 GROUP BY group_name, m"
    ))?;
    let rows = stmt.query_map(params![year], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, Option<u32>>(1)?,
            r.get::<_, i64>(2)?,
            r.get::<_, i64>(3)?,
        ))
    })?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

/// Distinct notices played in `year` on channels of any of `kinds`.
pub(in crate::service::domain) fn distinct_notices_played(
    conn: &Conn,
    year: i32,
    kinds: &[&str],
) -> Result<i64, Error> {
    let placeholders = vec!["?"; kinds.len()].join(", ");
    let sql = format!(
        "SELECT COUNT(DISTINCT notice_id) FROM plays
             WHERE year = ? AND kind IN ({placeholders})"
    );
    let mut values: Vec<Value> = vec![Value::Integer(year as i64)];
    values.extend(kinds.iter().map(|k| Value::Text(k.to_string())));
    Ok(conn.query_row(&sql, params_from_iter(values), |r| r.get(0))?)
}
