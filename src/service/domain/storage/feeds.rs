//! The signed feeds' SQL (`feeds`): each group's current feed, every sequence signed for it, and
//! the evidence of a 公示 (the feeds that carried one, and the keys that signed them).

use super::sql::{OptionalExtension, params};

use super::Conn;
use crate::service::domain::error::Error;

/// A stored feed: sequence, content hash, generated at, payload and envelope.
pub(in crate::service::domain) type FeedRow = (i64, String, String, String, String);

/// Group `group`'s stored feed, if one was signed.
pub(in crate::service::domain) fn select_feed(
    conn: &Conn,
    group: &str,
) -> Result<Option<FeedRow>, Error> {
    Ok(conn
        .query_row(
            "SELECT sequence, content_hash, generated_at, payload, envelope FROM feeds
             WHERE group_name = ?1",
            [group],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .optional()?)
}

/// Stores group `group`'s feed, replacing the one before.
pub(in crate::service::domain) fn upsert_feed(
    conn: &Conn,
    group: &str,
    sequence: i64,
    content_hash: &str,
    generated_at: &str,
    payload: &str,
    envelope: &str,
) -> Result<(), Error> {
    conn.execute(
        "INSERT INTO feeds (group_name, sequence, content_hash, generated_at, payload, envelope)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (group_name) DO UPDATE SET sequence = excluded.sequence,
             content_hash = excluded.content_hash, generated_at = excluded.generated_at,
             payload = excluded.payload, envelope = excluded.envelope",
        params![
            group,
            sequence,
            content_hash,
            generated_at,
            payload,
            envelope
        ],
    )?;
    Ok(())
}

/// Records a sequence signed for group `group`, with its standby's start (milliseconds).
pub(in crate::service::domain) fn insert_sequence(
    conn: &Conn,
    group: &str,
    sequence: i64,
    generated_ms: i64,
    blackout_ms: Option<i64>,
) -> Result<(), Error> {
    conn.execute(
        "INSERT INTO feed_sequences (group_name, sequence, generated_ms, blackout_ms)
         VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT DO NOTHING",
        params![group, sequence, generated_ms, blackout_ms],
    )?;
    Ok(())
}

/// Keeps a signed feed that carried a 公示期 notice.
pub(in crate::service::domain) fn insert_history(
    conn: &Conn,
    group: &str,
    sequence: i64,
    generated_at: &str,
    envelope: &str,
) -> Result<(), Error> {
    conn.execute(
        "INSERT INTO feed_history (group_name, sequence, generated_at, envelope)
         VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT DO NOTHING",
        params![group, sequence, generated_at, envelope],
    )?;
    Ok(())
}

/// Keeps a public key that signed such a feed, first used at `first_used`.
pub(in crate::service::domain) fn insert_public_key(
    conn: &Conn,
    key_id: &str,
    public_key: &str,
    first_used: &str,
) -> Result<(), Error> {
    conn.execute(
        "INSERT INTO feed_public_keys (key_id, public_key, first_used)
         VALUES (?1, ?2, ?3)
             ON CONFLICT DO NOTHING",
        params![key_id, public_key, first_used],
    )?;
    Ok(())
}
