//! The feed keys' SQL (`keys`): the record of the current signing key and of the previous one
//! during a rotation (`feed_keys`), and the transaction a rotation is recorded in.

use super::sql::{OptionalExtension, params};

use super::Conn;
use crate::service::domain::error::Error;

/// The current key's record: its id (none for a database from before records) and whether a
/// command that publishes nothing made it.
pub(in crate::service::domain) fn select_current(
    conn: &Conn,
) -> Result<Option<(Option<String>, bool)>, Error> {
    Ok(conn
        .query_row(
            "SELECT key_id, implicit FROM feed_keys WHERE role = 'current'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}

/// The previous key's record: its id and until when it signs (RFC 3339), if any.
pub(in crate::service::domain) fn select_previous(
    conn: &Conn,
) -> Result<Option<(String, String)>, Error> {
    Ok(conn
        .query_row(
            "SELECT key_id, until FROM feed_keys WHERE role = 'previous'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}

/// Replaces the record: the current key, and the previous one with its end (RFC 3339) if any.
pub(in crate::service::domain) fn replace_record(
    conn: &Conn,
    current: Option<&str>,
    implicit: bool,
    previous: Option<(&str, &str)>,
    recorded_at: &str,
) -> Result<(), Error> {
    conn.execute("DELETE FROM feed_keys", [])?;
    conn.execute(
        "INSERT INTO feed_keys (role, key_id, implicit, recorded_at)
         VALUES ('current', ?1, ?2, ?3)",
        params![current, implicit, recorded_at],
    )?;
    if let Some((id, until)) = previous {
        conn.execute(
            "INSERT INTO feed_keys (role, key_id, until, recorded_at)
             VALUES ('previous', ?1, ?2, ?3)",
            params![id, until, recorded_at],
        )?;
    }
    Ok(())
}

/// Runs `work` in one transaction: committed if it succeeds, rolled back if it fails.
pub(in crate::service::domain) fn in_transaction<T, E: From<Error>>(
    conn: &mut Conn,
    work: impl FnOnce(&Conn) -> Result<T, E>,
) -> Result<T, E> {
    let tx = conn.transaction().map_err(Error::from)?;
    let out = work(&tx)?;
    tx.commit().map_err(Error::from)?;
    Ok(out)
}
