//! Proof of play's SQL (`plays`): the signed uploads kept as received, the checks that refuse
//! records that cannot have happened, and the play, open and refused records written in one
//! transaction per upload.

use super::sql::{Dialect, OptionalExtension, Stmt as Statement, params};

use super::{Conn, MAX_COUNT};
use crate::model::Timestamp;
use crate::service::domain::error::Error;

/// A page shown, as `Recorder::insert_play` keeps it.
#[derive(Debug, Clone, Copy)]
pub(in crate::service::domain) struct PlayRow<'a> {
    pub screen_id: &'a str,
    pub record_id: &'a str,
    pub group: &'a str,
    pub kind: &'a str,
    pub notice_id: &'a str,
    pub category: &'a str,
    pub page: u32,
    /// RFC 3339.
    pub start: &'a str,
    pub year: i32,
    pub duration_s: f64,
    pub sequence: i64,
    pub start_ms: i64,
    pub end_ms: i64,
    pub notice_sha256: Option<&'a str>,
    pub envelope_id: i64,
    pub frame_sha256: Option<&'a str>,
}

/// A notice a resident opened, as `Recorder::insert_open` keeps it.
#[derive(Debug, Clone, Copy)]
pub(in crate::service::domain) struct OpenRow<'a> {
    pub screen_id: &'a str,
    pub record_id: &'a str,
    pub group: &'a str,
    pub kind: &'a str,
    pub notice_id: &'a str,
    pub category: &'a str,
    /// `YYYY-MM-DD`, Beijing time.
    pub day: &'a str,
    pub year: i32,
}

/// A record refused as implausible, as `Recorder::insert_refused` keeps it.
#[derive(Debug, Clone, Copy)]
pub(in crate::service::domain) struct RefusedRow<'a> {
    pub screen_id: &'a str,
    pub record_id: &'a str,
    pub notice_id: &'a str,
    /// RFC 3339.
    pub start: &'a str,
    pub duration_s: f64,
    pub opened: bool,
    pub reason: &'a str,
    pub received_at: Timestamp,
}

/// Screen `id`'s confirmed device key (text form), if one is (an error if there is no such
/// screen).
pub(in crate::service::domain) fn device_key(
    conn: &Conn,
    id: &str,
) -> Result<Option<String>, Error> {
    Ok(
        conn.query_row("SELECT device_key FROM screens WHERE id = ?1", [id], |r| {
            r.get(0)
        })?,
    )
}

/// Keeps a signed plays upload as received; returns its id.
pub(in crate::service::domain) fn insert_envelope(
    conn: &Conn,
    id: &str,
    envelope: &str,
    now: Timestamp,
) -> Result<i64, Error> {
    Ok(conn.query_row(
        "INSERT INTO play_envelopes (screen_id, received_at, envelope)
         VALUES (?1, ?2, ?3) RETURNING id",
        params![id, now.to_rfc3339(), envelope],
        |r| r.get(0),
    )?)
}

/// Whether notice `notice_id` had an approved revision for `group` (or all groups), reviewed by
/// `reviewed_by` and not withdrawn by `withdrawn_after` (both RFC 3339, Beijing time).
pub(in crate::service::domain) fn approved_for_group(
    conn: &Conn,
    notice_id: &str,
    reviewed_by: &str,
    withdrawn_after: &str,
    group: &str,
) -> Result<bool, Error> {
    // The revision's target groups, a JSON list: each engine has its own way to walk one.
    let groups = match conn.dialect() {
        Dialect::Sqlite => "SELECT g.value FROM json_each(rv.content, '$.groups') g",
        Dialect::Postgres => {
            "SELECT g FROM jsonb_array_elements_text(CAST(rv.content AS jsonb) -> 'groups') g"
        }
    };
    let sql = format!(
        "SELECT EXISTS (SELECT 1 FROM revisions rv JOIN notices n ON n.id = rv.notice_id
             WHERE rv.notice_id = ?1 AND rv.status IN ('approved', 'superseded')
               AND rv.reviewed_at IS NOT NULL AND rv.reviewed_at <= ?2
               AND (n.withdrawn_at IS NULL OR n.withdrawn_at > ?3)
               AND (CAST(?4 AS TEXT) IN ({groups}) OR '*' IN ({groups})))"
    );
    Ok(conn.query_row(
        &sql,
        params![notice_id, reviewed_by, withdrawn_after, group],
        |row| row.get(0),
    )?)
}

/// Whether `group` ever had a signed feed with this sequence.
pub(in crate::service::domain) fn group_had_sequence(
    conn: &Conn,
    group: &str,
    sequence: i64,
) -> Result<bool, Error> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM feed_sequences WHERE group_name = ?1 AND sequence = ?2)",
        params![group, sequence],
        |row| row.get(0),
    )?)
}

/// Whether `group` stood by at some time between `start_ms` and `end_ms`, or in feed
/// `sequence`.
pub(in crate::service::domain) fn group_on_standby(
    conn: &Conn,
    group: &str,
    start_ms: i64,
    end_ms: i64,
    sequence: i64,
) -> Result<bool, Error> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM feed_sequences f
                 WHERE f.group_name = ?1 AND f.blackout_ms IS NOT NULL AND f.generated_ms < ?3
                   AND (f.generated_ms >= ?2 OR f.sequence = ?4 OR f.generated_ms =
                        (SELECT MAX(generated_ms) FROM feed_sequences
                         WHERE group_name = ?1 AND generated_ms <= ?2)))",
        params![group, start_ms, end_ms, sequence],
        |row| row.get(0),
    )?)
}

/// Whether a page kept for screen `id` overlaps `start_ms`..`end_ms` by more than `slack_ms`.
pub(in crate::service::domain) fn overlaps_play(
    conn: &Conn,
    id: &str,
    start_ms: i64,
    end_ms: i64,
    slack_ms: i64,
) -> Result<bool, Error> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM plays WHERE screen_id = ?1
                 AND start_ms < CAST(?3 AS BIGINT) - ?4 AND end_ms > CAST(?2 AS BIGINT) + ?4)",
        params![id, start_ms, end_ms, slack_ms],
        |row| row.get(0),
    )?)
}

/// The content (JSON) of notice `notice_id`'s live revision, else its newest approved one.
pub(in crate::service::domain) fn approved_content(
    conn: &Conn,
    notice_id: &str,
) -> Result<Option<String>, Error> {
    Ok(conn
        .query_row(
            "SELECT r.content FROM revisions r JOIN notices n ON n.id = r.notice_id
             WHERE r.notice_id = ?1 AND r.status = 'approved'
             ORDER BY (r.number = n.live_revision) DESC, r.number DESC LIMIT 1",
            [notice_id],
            |r| r.get(0),
        )
        .optional()?)
}

/// Screen `id`'s group, the group's kind, and when the screen was enrolled (RFC 3339).
pub(in crate::service::domain) fn channel(
    conn: &Conn,
    id: &str,
) -> Result<(String, String, String), Error> {
    Ok(conn.query_row(
        "SELECT s.group_name, g.kind, s.created_at FROM screens s
         JOIN groups g ON g.name = s.group_name WHERE s.id = ?1",
        [id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?)
}

/// Refused records kept for screen `id`.
pub(in crate::service::domain) fn count_refused(conn: &Conn, id: &str) -> Result<i64, Error> {
    Ok(conn.query_row(
        "SELECT COUNT(*) FROM plays_refused WHERE screen_id = ?1",
        [id],
        |row| row.get(0),
    )?)
}

/// Adds `dropped` to screen `id`'s dropped records, saturating at `MAX_COUNT`.
pub(in crate::service::domain) fn add_dropped(
    conn: &Conn,
    id: &str,
    dropped: i64,
) -> Result<(), Error> {
    conn.execute(
        "UPDATE screens SET dropped = CASE WHEN dropped < CAST(?3 AS BIGINT) - ?1 THEN dropped
                                           ELSE CAST(?3 AS BIGINT) - ?1 END + ?1
         WHERE id = ?2",
        params![dropped, id, MAX_COUNT],
    )?;
    Ok(())
}

/// Screen `id` was heard from `now` and had `refused` more records refused (saturating).
pub(in crate::service::domain) fn seen_with_refused(
    conn: &Conn,
    id: &str,
    refused: i64,
    now: Timestamp,
) -> Result<(), Error> {
    conn.execute(
        "UPDATE screens SET last_seen = ?1,
             refused = CASE WHEN refused < CAST(?3 AS BIGINT) - ?4 THEN refused
                            ELSE CAST(?3 AS BIGINT) - ?4 END + ?4
         WHERE id = ?2",
        params![now.to_rfc3339(), id, MAX_COUNT, refused],
    )?;
    Ok(())
}

/// One upload's writes, inside its transaction: the statements every record uses, prepared
/// once.
pub(in crate::service::domain) struct Recorder<'t> {
    conn: &'t Conn,
    insert: Statement<'t>,
    open: Statement<'t>,
    known: Statement<'t>,
    refuse: Statement<'t>,
}

impl<'t> Recorder<'t> {
    /// The transaction, for the reads and writes that are not per record.
    pub(in crate::service::domain) fn conn(&self) -> &'t Conn {
        self.conn
    }

    /// Whether screen `id` sent record `record_id` before (kept, opened or refused).
    pub(in crate::service::domain) fn known(
        &mut self,
        id: &str,
        record_id: &str,
    ) -> Result<bool, Error> {
        Ok(self
            .known
            .query_row(params![id, record_id], |row| row.get::<_, bool>(0))?)
    }

    /// Keeps a refused record; returns the rows written (0: it was there).
    pub(in crate::service::domain) fn insert_refused(
        &mut self,
        r: RefusedRow,
    ) -> Result<usize, Error> {
        Ok(self.refuse.execute(params![
            r.screen_id,
            r.record_id,
            r.notice_id,
            r.start,
            r.duration_s,
            r.opened,
            r.reason,
            r.received_at.to_rfc3339()
        ])?)
    }

    /// Keeps a notice opened; returns the rows written (0: it was there).
    pub(in crate::service::domain) fn insert_open(&mut self, r: OpenRow) -> Result<usize, Error> {
        Ok(self.open.execute(params![
            r.screen_id,
            r.record_id,
            r.group,
            r.kind,
            r.notice_id,
            r.category,
            r.day,
            r.year
        ])?)
    }

    /// Keeps a page shown; returns the rows written (0: it was there).
    pub(in crate::service::domain) fn insert_play(&mut self, r: PlayRow) -> Result<usize, Error> {
        Ok(self.insert.execute(params![
            r.screen_id,
            r.record_id,
            r.group,
            r.kind,
            r.notice_id,
            r.category,
            r.page,
            r.start,
            r.year,
            r.duration_s,
            r.sequence,
            r.start_ms,
            r.end_ms,
            r.notice_sha256,
            r.envelope_id,
            r.frame_sha256
        ])?)
    }
}

/// Runs `work` on an upload's `Recorder` in one transaction, committed when `work` succeeds.
pub(in crate::service::domain) fn record<T>(
    conn: &mut Conn,
    work: impl FnOnce(&mut Recorder<'_>) -> Result<T, Error>,
) -> Result<T, Error> {
    let tx = conn.transaction()?;
    let out = {
        let mut recorder = Recorder {
            conn: &tx,
            insert: tx.prepare(
                "INSERT INTO plays (screen_id, record_id, group_name, kind, notice_id,
                 category, page, start, year, duration_s, sequence, start_ms, end_ms,
                 notice_sha256, envelope_id, frame_sha256)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)
             ON CONFLICT DO NOTHING",
            )?,
            open: tx.prepare(
                "INSERT INTO opens (screen_id, record_id, group_name, kind, notice_id,
                 category, day, year)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
             ON CONFLICT DO NOTHING",
            )?,
            known: tx.prepare(
                "SELECT EXISTS (SELECT 1 FROM plays WHERE screen_id = ?1 AND record_id = ?2)
                 OR EXISTS (SELECT 1 FROM opens WHERE screen_id = ?1 AND record_id = ?2)
                 OR EXISTS (SELECT 1 FROM plays_refused WHERE screen_id = ?1 AND record_id = ?2)",
            )?,
            refuse: tx.prepare(
                "INSERT INTO plays_refused (screen_id, record_id, notice_id, start,
                 duration_s, opened, reason, received_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
             ON CONFLICT DO NOTHING",
            )?,
        };
        work(&mut recorder)?
    };
    tx.commit()?;
    Ok(out)
}
