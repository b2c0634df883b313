//! The SQL of `state`: what the service does to the database as it starts.

use super::Conn;
use crate::service::domain::error::Error;

/// Forgets every feed's content hash, so that the next refresh signs every feed anew.
pub(in crate::service::domain) fn forget_feed_hashes(conn: &Conn) -> Result<(), Error> {
    conn.execute("UPDATE feeds SET content_hash = ''", [])?;
    Ok(())
}
