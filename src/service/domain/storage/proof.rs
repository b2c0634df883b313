//! The SQL of `proof`: what a 公示's evidence bundle reads (kept feeds, the screens of their
//! groups and their former device keys, the play uploads that recorded the notice, the feed
//! keys ever used).

use super::sql::params;

use super::Conn;
use crate::service::domain::error::Error;

/// Every kept signed feed as `(group, envelope JSON)`, by group and sequence.
pub(in crate::service::domain) fn feed_history(
    conn: &Conn,
) -> Result<Vec<(String, String)>, Error> {
    let mut stmt = conn
        .prepare("SELECT group_name, envelope FROM feed_history ORDER BY group_name, sequence")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

/// The screens of each group in `groups` as `(id, group, device key)`, group by group, by id.
pub(in crate::service::domain) fn screens_of_groups<'a>(
    conn: &Conn,
    groups: impl IntoIterator<Item = &'a String>,
) -> Result<Vec<(String, String, Option<String>)>, Error> {
    let mut stmt = conn.prepare(
        "SELECT id, group_name, device_key FROM screens WHERE group_name = ?1 ORDER BY id",
    )?;
    let mut screens = Vec::new();
    for group in groups {
        let rows = stmt.query_map([group], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        for row in rows {
            screens.push(row?);
        }
    }
    Ok(screens)
}

/// The screen's retired device keys as `(key, retired_at)`, by when they were confirmed.
pub(in crate::service::domain) fn retired_keys(
    conn: &Conn,
    screen_id: &str,
) -> Result<Vec<(String, String)>, Error> {
    let mut stmt = conn.prepare(
        "SELECT key, retired_at FROM device_keys
             WHERE screen_id = ?1 AND retired_at IS NOT NULL ORDER BY confirmed_at",
    )?;
    let rows = stmt.query_map([screen_id], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
    })?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

/// A play upload that recorded the notice, as received, with the record ids accepted for it.
pub(in crate::service::domain) struct PlayUpload {
    pub screen_id: String,
    pub received_at: String,
    pub envelope: String,
    pub accepted: Vec<String>,
}

/// The play uploads that recorded notice `id`, by upload id.
pub(in crate::service::domain) fn play_uploads(
    conn: &Conn,
    id: &str,
) -> Result<Vec<PlayUpload>, Error> {
    let mut stmt = conn.prepare(
        "SELECT e.id, e.screen_id, e.received_at, e.envelope FROM play_envelopes e
             WHERE e.id IN (SELECT envelope_id FROM plays WHERE notice_id = ?1)
             ORDER BY e.id",
    )?;
    let rows = stmt.query_map(params![id], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
        ))
    })?;
    let mut accepted = conn.prepare(
        "SELECT record_id FROM plays WHERE envelope_id = ?1 AND notice_id = ?2
             ORDER BY record_id",
    )?;
    let mut uploads = Vec::new();
    for row in rows {
        let (envelope_id, screen_id, received_at, envelope) = row?;
        let accepted = accepted
            .query_map(params![envelope_id, id], |r| r.get::<_, String>(0))?
            .collect::<Result<Vec<_>, _>>()?;
        uploads.push(PlayUpload {
            screen_id,
            received_at,
            envelope,
            accepted,
        });
    }
    Ok(uploads)
}

/// Every public key that has signed a feed, by first use.
pub(in crate::service::domain) fn feed_public_keys(conn: &Conn) -> Result<Vec<String>, Error> {
    let mut stmt =
        conn.prepare("SELECT public_key FROM feed_public_keys ORDER BY first_used, key_id")?;
    let keys = stmt.query_map([], |r| r.get::<_, String>(0))?;
    Ok(keys.collect::<Result<Vec<_>, _>>()?)
}
