//! The SQL of `state`: what the service does to the database as it starts.

use super::sql::OptionalExtension;

use super::Conn;
use crate::service::domain::error::Error;

/// Forgets every feed's content hash, so that the next refresh signs every feed anew.
pub(in crate::service::domain) fn forget_feed_hashes(conn: &Conn) -> Result<(), Error> {
    conn.execute("UPDATE feeds SET content_hash = ''", [])?;
    Ok(())
}

/// Records the service's address for screens (`serve --public-url`).
pub(in crate::service::domain) fn set_public_url(conn: &Conn, url: &str) -> Result<(), Error> {
    conn.execute(
        "INSERT INTO settings (name, value) VALUES ('public_url', ?1)
         ON CONFLICT (name) DO UPDATE SET value = excluded.value",
        [url],
    )?;
    Ok(())
}

/// The service's address for screens as `serve` last recorded it.
pub(in crate::service::domain) fn public_url(conn: &Conn) -> Result<Option<String>, Error> {
    Ok(conn
        .query_row(
            "SELECT value FROM settings WHERE name = 'public_url'",
            [],
            |r| r.get(0),
        )
        .optional()?)
}

/// Word to the other nodes on the same PostgreSQL database that this tenant's feeds changed,
/// delivered when the transaction commits (`nodes`); SQLite has no other nodes.
pub(in crate::service::domain) fn notify_feeds(conn: &Conn) -> Result<(), Error> {
    if let Some(pg) = conn.pg() {
        super::pg::notify_feeds(pg)?;
    }
    Ok(())
}
