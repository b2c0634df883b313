//! The screen registry's SQL (`screens`): enrolment and tokens, heartbeats, device keys and
//! their candidates, screenshots, and the list of screens.

use super::sql::{OptionalExtension, params};

use super::Conn;
use crate::model::Timestamp;
use crate::service::domain::error::Error;

/// What a heartbeat writes of a screen's state (clipped by the domain).
#[derive(Debug, Clone, Copy)]
pub(in crate::service::domain) struct BeatRow<'a> {
    pub sequence: Option<i64>,
    pub uptime_s: Option<i64>,
    pub adapter: Option<&'a str>,
    pub last_error: Option<&'a str>,
    pub power: Option<&'a str>,
    pub clock: Option<&'a str>,
}

/// A screen as `list` reads it, before the domain derives what it shows.
#[derive(Debug, Clone)]
pub(in crate::service::domain) struct ScreenRow {
    pub id: String,
    pub group: String,
    pub kind: String,
    pub created_at: String,
    pub last_seen: Option<String>,
    pub sequence: Option<i64>,
    pub feed_sequence: Option<i64>,
    pub uptime_s: Option<i64>,
    pub adapter: Option<String>,
    pub last_error: Option<String>,
    pub dropped: i64,
    pub screenshot_requested: bool,
    pub screenshot_at: Option<String>,
    pub power: Option<String>,
    pub clock: Option<String>,
    pub refused: i64,
    /// The confirmed device key as stored (its text form).
    pub device_key: Option<String>,
    pub device_key_confirmed_by: Option<String>,
    /// The screen's name for staff (溪口村委会门口), if given one.
    pub label: Option<String>,
}

pub(in crate::service::domain) fn screen_exists(conn: &Conn, id: &str) -> Result<bool, Error> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM screens WHERE id = ?1)",
        [id],
        |r| r.get(0),
    )?)
}

pub(in crate::service::domain) fn insert_screen(
    conn: &Conn,
    id: &str,
    group: &str,
    token_hash: &str,
    now: Timestamp,
) -> Result<(), Error> {
    conn.execute(
        "INSERT INTO screens (id, group_name, token_hash, created_at) VALUES (?1, ?2, ?3, ?4)",
        params![id, group, token_hash, now.to_rfc3339()],
    )?;
    Ok(())
}

/// Names screen `id` for staff; returns the rows changed (0: no such screen).
pub(in crate::service::domain) fn set_screen_label(
    conn: &Conn,
    id: &str,
    label: &str,
) -> Result<usize, Error> {
    Ok(conn.execute(
        "UPDATE screens SET label = ?2 WHERE id = ?1",
        params![id, label],
    )?)
}

/// Replaces screen `id`'s token hash; returns the rows changed (0: no such screen).
pub(in crate::service::domain) fn set_token_hash(
    conn: &Conn,
    id: &str,
    token_hash: &str,
) -> Result<usize, Error> {
    Ok(conn.execute(
        "UPDATE screens SET token_hash = ?1 WHERE id = ?2",
        params![token_hash, id],
    )?)
}

/// The screen whose token has this hash, if any.
pub(in crate::service::domain) fn screen_of_token(
    conn: &Conn,
    token_hash: &str,
) -> Result<Option<String>, Error> {
    Ok(conn
        .query_row(
            "SELECT id FROM screens WHERE token_hash = ?1",
            [token_hash],
            |r| r.get(0),
        )
        .optional()?)
}

/// Records a heartbeat's state on screen `id`, seen `now`.
pub(in crate::service::domain) fn update_heartbeat(
    conn: &Conn,
    id: &str,
    beat: BeatRow,
    now: Timestamp,
) -> Result<(), Error> {
    conn.execute(
        "UPDATE screens SET last_seen = ?1, sequence = ?2, uptime_s = ?3, adapter = ?4,
                last_error = ?5, power = ?6, clock = ?7
         WHERE id = ?8",
        params![
            now.to_rfc3339(),
            beat.sequence,
            beat.uptime_s,
            beat.adapter,
            beat.last_error,
            beat.power,
            beat.clock,
            id
        ],
    )?;
    Ok(())
}

/// Whether staff asked screen `id` for a screenshot (an error if there is no such screen).
pub(in crate::service::domain) fn screenshot_requested(
    conn: &Conn,
    id: &str,
) -> Result<bool, Error> {
    Ok(conn.query_row(
        "SELECT screenshot_requested FROM screens WHERE id = ?1",
        [id],
        |r| r.get::<_, bool>(0),
    )?)
}

/// Whether staff asked screen `id` for a screenshot; `None` if there is no such screen.
pub(in crate::service::domain) fn find_screenshot_requested(
    conn: &Conn,
    id: &str,
) -> Result<Option<bool>, Error> {
    Ok(conn
        .query_row(
            "SELECT screenshot_requested FROM screens WHERE id = ?1",
            [id],
            |r| r.get(0),
        )
        .optional()?)
}

/// Screen `id`'s confirmed device key (text form): `None` if there is no such screen,
/// `Some(None)` if no key is confirmed.
pub(in crate::service::domain) fn device_key(
    conn: &Conn,
    id: &str,
) -> Result<Option<Option<String>>, Error> {
    Ok(conn
        .query_row("SELECT device_key FROM screens WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .optional()?)
}

/// Forgets screen `id`'s device key: its confirmation and expectation, its error, its
/// candidates; the confirmed key is retired `now`.
pub(in crate::service::domain) fn reset_device_key(
    conn: &Conn,
    id: &str,
    now: Timestamp,
) -> Result<(), Error> {
    conn.execute(
        "UPDATE screens SET device_key = NULL, device_key_pinned_at = NULL,
                device_key_confirmed_by = NULL, device_key_expected = NULL,
                device_key_expected_by = NULL, last_error = NULL
         WHERE id = ?1",
        [id],
    )?;
    conn.execute(
        "UPDATE device_keys SET retired_at = ?2 WHERE screen_id = ?1 AND retired_at IS NULL",
        params![id, now.to_rfc3339()],
    )?;
    conn.execute(
        "DELETE FROM device_key_candidates WHERE screen_id = ?1",
        [id],
    )?;
    Ok(())
}

/// Screen `id`'s confirmed key, the key id expected for it, and who expects it.
#[allow(clippy::type_complexity)]
pub(in crate::service::domain) fn key_state(
    conn: &Conn,
    id: &str,
) -> Result<(Option<String>, Option<String>, Option<String>), Error> {
    Ok(conn.query_row(
        "SELECT device_key, device_key_expected, device_key_expected_by FROM screens
             WHERE id = ?1",
        [id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?)
}

/// Whether screen `id` presented `key` (text form) before and it awaits confirmation.
pub(in crate::service::domain) fn is_candidate(
    conn: &Conn,
    id: &str,
    key: &str,
) -> Result<bool, Error> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM device_key_candidates WHERE screen_id = ?1 AND key = ?2)",
        params![id, key],
        |r| r.get(0),
    )?)
}

pub(in crate::service::domain) fn touch_candidate(
    conn: &Conn,
    id: &str,
    key: &str,
    now: Timestamp,
) -> Result<(), Error> {
    conn.execute(
        "UPDATE device_key_candidates SET last_seen = ?3 WHERE screen_id = ?1 AND key = ?2",
        params![id, key, now.to_rfc3339()],
    )?;
    Ok(())
}

pub(in crate::service::domain) fn count_candidates(conn: &Conn, id: &str) -> Result<i64, Error> {
    Ok(conn.query_row(
        "SELECT COUNT(*) FROM device_key_candidates WHERE screen_id = ?1",
        [id],
        |r| r.get(0),
    )?)
}

pub(in crate::service::domain) fn insert_candidate(
    conn: &Conn,
    id: &str,
    key: &str,
    now: Timestamp,
) -> Result<(), Error> {
    conn.execute(
        "INSERT INTO device_key_candidates (screen_id, key, first_seen, last_seen)
             VALUES (?1, ?2, ?3, ?3)",
        params![id, key, now.to_rfc3339()],
    )?;
    Ok(())
}

/// Records that the key with id `key_id` is confirmed, as `by` confirmed it, when screen `id`
/// presents it.
pub(in crate::service::domain) fn expect_key(
    conn: &Conn,
    id: &str,
    key_id: &str,
    by: &str,
) -> Result<(), Error> {
    conn.execute(
        "UPDATE screens SET device_key_expected = ?1, device_key_expected_by = ?2 WHERE id = ?3",
        params![key_id, by, id],
    )?;
    Ok(())
}

/// Makes `key` (text form) screen `id`'s confirmed device key, as `by` confirmed it: its
/// candidates go, and the key is kept among the screen's device keys.
pub(in crate::service::domain) fn pin_key(
    conn: &Conn,
    id: &str,
    key: &str,
    by: &str,
    now: Timestamp,
) -> Result<(), Error> {
    conn.execute(
        "UPDATE screens SET device_key = ?1, device_key_pinned_at = ?2,
                device_key_confirmed_by = ?3, device_key_expected = NULL,
                device_key_expected_by = NULL, last_error = NULL
         WHERE id = ?4",
        params![key, now.to_rfc3339(), by, id],
    )?;
    conn.execute(
        "DELETE FROM device_key_candidates WHERE screen_id = ?1",
        [id],
    )?;
    conn.execute(
        "INSERT INTO device_keys (screen_id, key, confirmed_by, confirmed_at)
         VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (screen_id, key) DO UPDATE SET confirmed_by = excluded.confirmed_by,
             confirmed_at = excluded.confirmed_at, retired_at = NULL",
        params![id, key, by, now.to_rfc3339()],
    )?;
    Ok(())
}

/// The device keys (text form) screen `id` presented that await confirmation, oldest first.
pub(in crate::service::domain) fn candidate_keys(
    conn: &Conn,
    id: &str,
) -> Result<Vec<String>, Error> {
    let mut stmt = conn.prepare(
        "SELECT key FROM device_key_candidates WHERE screen_id = ?1 ORDER BY first_seen, key",
    )?;
    let keys = stmt
        .query_map([id], |r| r.get::<_, String>(0))?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(keys)
}

/// Asks screen `id` for a screenshot; returns the rows changed (0: no such screen).
pub(in crate::service::domain) fn request_screenshot(
    conn: &Conn,
    id: &str,
) -> Result<usize, Error> {
    Ok(conn.execute(
        "UPDATE screens SET screenshot_requested = 1 WHERE id = ?1",
        [id],
    )?)
}

/// Keeps `png` as screen `id`'s latest screenshot and clears the request.
pub(in crate::service::domain) fn store_screenshot(
    conn: &Conn,
    id: &str,
    png: &[u8],
    now: Timestamp,
) -> Result<(), Error> {
    conn.execute(
        "INSERT INTO screenshots (screen_id, taken_at, png) VALUES (?1, ?2, ?3)
         ON CONFLICT (screen_id) DO UPDATE SET taken_at = excluded.taken_at, png = excluded.png",
        params![id, now.to_rfc3339(), png],
    )?;
    conn.execute(
        "UPDATE screens SET screenshot_requested = 0 WHERE id = ?1",
        [id],
    )?;
    Ok(())
}

/// The latest screenshot of screen `id` and when it arrived, if any.
pub(in crate::service::domain) fn screenshot(
    conn: &Conn,
    id: &str,
) -> Result<Option<(String, Vec<u8>)>, Error> {
    Ok(conn
        .query_row(
            "SELECT taken_at, png FROM screenshots WHERE screen_id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}

/// Every screen with its group's kind and feed sequence and its latest screenshot's time, by
/// group and id.
pub(in crate::service::domain) fn list(conn: &Conn) -> Result<Vec<ScreenRow>, Error> {
    let mut stmt = conn.prepare(
        "SELECT s.id, s.group_name, g.kind, s.created_at, s.last_seen, s.sequence,
                f.sequence, s.uptime_s, s.adapter, s.last_error, s.dropped,
                s.screenshot_requested, p.taken_at, s.power, s.clock, s.refused, s.device_key,
                s.device_key_confirmed_by, s.label
         FROM screens s JOIN groups g ON g.name = s.group_name
         LEFT JOIN feeds f ON f.group_name = s.group_name
         LEFT JOIN screenshots p ON p.screen_id = s.id
         ORDER BY s.group_name, s.id",
    )?;
    let rows = stmt
        .query_map([], |r| {
            Ok(ScreenRow {
                id: r.get(0)?,
                group: r.get(1)?,
                kind: r.get(2)?,
                created_at: r.get(3)?,
                last_seen: r.get(4)?,
                sequence: r.get(5)?,
                feed_sequence: r.get(6)?,
                uptime_s: r.get(7)?,
                adapter: r.get(8)?,
                last_error: r.get(9)?,
                dropped: r.get(10)?,
                screenshot_requested: r.get(11)?,
                screenshot_at: r.get(12)?,
                power: r.get(13)?,
                clock: r.get(14)?,
                refused: r.get(15)?,
                device_key: r.get(16)?,
                device_key_confirmed_by: r.get(17)?,
                label: r.get(18)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}
