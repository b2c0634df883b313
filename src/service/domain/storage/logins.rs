//! The SQL of the login limiter's shared record (`limits::shared`): failed logins by key, as
//! milliseconds since the epoch.

use super::Conn;
use super::sql::params;
use crate::service::domain::error::Error;

/// The failures of `keys` since `since_ms`: (key, at_ms), oldest first.
pub(in crate::service::domain) fn recent(
    conn: &Conn,
    keys: &[String],
    since_ms: i64,
) -> Result<Vec<(String, i64)>, Error> {
    let mut out = Vec::new();
    for key in keys {
        out.extend(conn.query_all(
            "SELECT key, at_ms FROM login_failures WHERE key = ?1 AND at_ms > ?2 ORDER BY at_ms",
            params![key, since_ms],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?);
    }
    Ok(out)
}

/// Records a failure (an attempt begun) of each of `keys` at `at_ms`, and lets go of what is
/// older than `before_ms`.
pub(in crate::service::domain) fn add(
    conn: &Conn,
    keys: &[String],
    at_ms: i64,
    before_ms: i64,
) -> Result<(), Error> {
    for key in keys {
        conn.execute(
            "INSERT INTO login_failures (key, at_ms) VALUES (?1, ?2)",
            params![key, at_ms],
        )?;
    }
    conn.execute(
        "DELETE FROM login_failures WHERE at_ms < ?1",
        params![before_ms],
    )?;
    Ok(())
}

/// Replaces `key`'s failures with `at_ms` (after a login that succeeded took some away).
pub(in crate::service::domain) fn replace(
    conn: &Conn,
    key: &str,
    at_ms: &[i64],
) -> Result<(), Error> {
    conn.execute("DELETE FROM login_failures WHERE key = ?1", [key])?;
    for at in at_ms {
        conn.execute(
            "INSERT INTO login_failures (key, at_ms) VALUES (?1, ?2)",
            params![key, at],
        )?;
    }
    Ok(())
}
