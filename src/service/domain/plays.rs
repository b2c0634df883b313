//! Proof of play: a screen's signed plays uploads, the checks that refuse records that cannot
//! have happened, and the play and open records the statistics and the report count.
//!
//! Play records are keyed by (screen, record id), so an upload retried after a lost answer is
//! counted once. Each record keeps the channel (group and kind) and category it was shown under,
//! so moving a screen or re-categorising a notice later does not rewrite last year's report.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::model::{Timestamp, beijing};
use crate::service::domain::error::Error;
use crate::service::domain::storage::Conn;
use crate::service::domain::storage::plays::{self as store, OpenRow, PlayRow, RefusedRow};

/// The most records one upload may carry (the player sends 500 at a time).
pub const MAX_RECORDS: usize = 2000;
/// The most records a screen may say it dropped in one upload: its queue holds far fewer.
pub const MAX_DROPPED: i64 = 10_000_000;

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct PlayUpload {
    pub records: Vec<PlayRecordIn>,
    /// Records the screen dropped since its last acknowledged upload.
    #[serde(default)]
    pub dropped: i64,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct PlayRecordIn {
    pub id: String,
    pub notice_id: String,
    pub page: u32,
    #[schema(value_type = String)]
    pub start: Timestamp,
    pub duration_s: f64,
    pub sequence: u64,
    /// A notice a resident opened on a touch terminal (`start` is the day), not a page shown.
    #[serde(default)]
    pub opened: bool,
    /// The SHA-256 (hex) of the notice as the signed feed carried it.
    #[serde(default)]
    pub notice_sha256: Option<String>,
    /// The SHA-256 (hex) of the page as laid out (`render --lines-json`).
    #[serde(default)]
    pub frame_sha256: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PlayAnswer {
    /// New records counted.
    pub accepted: usize,
    /// Records seen before (a retried upload), not counted again.
    pub duplicates: usize,
    /// Records that cannot have happened, kept apart with the reason and not counted (a screen
    /// should not send them again).
    pub refused: usize,
}

/// Plays uploads a screen may make within a minute (the player sends one batch a minute, and
/// back to back while it catches up after an outage).
pub const UPLOADS_PER_MINUTE: usize = 20;
/// Refused records kept per screen for inspection; beyond this they are only counted.
pub const MAX_REFUSED_KEPT: i64 = 10_000;
/// A page shown for less than this is not a page read.
const MIN_PLAY_S: f64 = 0.5;

/// Uploads per screen within the last minute.
#[derive(Default)]
pub struct UploadLimiter {
    recent: std::collections::HashMap<String, Vec<std::time::Instant>>,
}

impl UploadLimiter {
    /// Counts an upload by `screen`; `TooManyAttempts` beyond `UPLOADS_PER_MINUTE`.
    pub fn admit(&mut self, screen: &str, now: std::time::Instant) -> Result<(), Error> {
        const WINDOW: std::time::Duration = std::time::Duration::from_secs(60);
        let list = self.recent.entry(screen.to_string()).or_default();
        list.retain(|t| now.duration_since(*t) < WINDOW);
        if list.len() >= UPLOADS_PER_MINUTE {
            let wait = WINDOW - now.duration_since(list[0]);
            return Err(Error::TooManyAttempts {
                retry_after_s: wait.as_secs().max(1),
            });
        }
        list.push(now);
        Ok(())
    }
}

/// How far a screen's clock may run ahead of the service's.
const SKEW: chrono::TimeDelta = chrono::TimeDelta::minutes(5);
/// Consecutive pages may touch, by rounding, for this long without counting as an overlap.
const OVERLAP_SLACK_MS: i64 = 1_000;

/// Why a record cannot have happened on screen `id` of `group` (`kind`), if it cannot. A page
/// shown is plausible when it ends by now, starts after the screen was enrolled, overlaps no
/// other page of the screen, and its notice had been approved for the group (and not
/// withdrawn) when it started; a notice opened by a resident, only on a touch terminal.
#[allow(clippy::too_many_arguments)]
fn implausible(
    tx: &Conn,
    id: &str,
    group: &str,
    kind: &str,
    enrolled: Timestamp,
    r: &PlayRecordIn,
    now: Timestamp,
) -> Result<Option<&'static str>, Error> {
    let start = r.start;
    // A notice opened is dated by its day only (nothing of the resident's time is kept): it is
    // plausible anywhere in that day.
    let end = if r.opened {
        start + chrono::TimeDelta::days(1)
    } else {
        start + chrono::TimeDelta::milliseconds((r.duration_s * 1000.0) as i64)
    };
    if (!r.opened && end > now + SKEW) || start > now + SKEW {
        return Ok(Some("in the future"));
    }
    if end < enrolled - SKEW {
        return Ok(Some("before the screen was enrolled"));
    }
    if !r.opened && r.duration_s < MIN_PLAY_S {
        return Ok(Some("shorter than half a second"));
    }
    if r.opened && kind != "terminal" {
        return Ok(Some("opened on a screen without touch"));
    }
    let withdrawn_after = beijing(start).to_rfc3339();
    let approved = store::approved_for_group(
        tx,
        &r.notice_id,
        &beijing(if r.opened { end } else { start + SKEW }).to_rfc3339(),
        &withdrawn_after,
        group,
    )?;
    if !approved {
        return Ok(Some("the notice was not in the group's feed then"));
    }
    if !r.opened {
        // Only what a signed feed of this group carried can have been on screen, and nothing
        // while the group stood by (its screens show the neutral standby page).
        let had = store::group_had_sequence(tx, group, r.sequence as i64)?;
        if !had {
            return Ok(Some("a feed sequence the screen's group never had"));
        }
        let standby = store::group_on_standby(
            tx,
            group,
            start.timestamp_millis(),
            end.timestamp_millis(),
            r.sequence as i64,
        )?;
        if standby {
            return Ok(Some("the group was on standby then"));
        }
        let overlaps = store::overlaps_play(
            tx,
            id,
            start.timestamp_millis(),
            end.timestamp_millis(),
            OVERLAP_SLACK_MS,
        )?;
        if overlaps {
            return Ok(Some("overlaps another page shown on this screen"));
        }
    }
    Ok(None)
}

/// The category a notice is counted under: that of its live revision, else its newest approved
/// one, else `unknown` (a notice from another source, e.g. a local demo feed).
fn category_of(conn: &Conn, notice_id: &str) -> Result<String, Error> {
    let content = store::approved_content(conn, notice_id)?;
    Ok(content
        .and_then(|c| serde_json::from_str::<serde_json::Value>(&c).ok())
        .and_then(|v| v.get("category")?.as_str().map(str::to_string))
        .unwrap_or_else(|| "unknown".into()))
}

/// A plays upload as it arrives: a DSSE envelope signed by the screen's confirmed device key,
/// kept as received, the records derived from it. Unsigned uploads, uploads before a key is
/// confirmed and uploads signed by another key are refused (the screen keeps them queued).
pub fn receive_plays(
    conn: &mut Conn,
    id: &str,
    body: &serde_json::Value,
    now: Timestamp,
) -> Result<PlayAnswer, Error> {
    let pinned = store::device_key(conn, id)?;
    let parse = |value: serde_json::Value| {
        serde_json::from_value::<PlayUpload>(value)
            .map_err(|e| Error::Malformed(format!("not a plays upload: {e}")))
    };
    if body.get("payloadType").is_none() {
        // Anyone holding a screen's token (the administrator who enrolled it, a copy) could
        // otherwise make its records: only the confirmed device key's signature counts.
        return Err(Error::Malformed(format!(
            "screen {id}: play records are signed with the screen's confirmed device key (a \
             DSSE envelope); an unsigned upload is refused"
        )));
    }
    let Some(pinned) = pinned else {
        // The screen keeps the records until they are acknowledged: they count once its key
        // is confirmed.
        return Err(Error::Forbidden(crate::model::Reason::Detail(format!(
            "screen {id}'s device key awaits a security administrator's confirmation: play \
             records are taken once it is confirmed"
        ))));
    };
    let key = crate::feed::TrustedKey::parse(&pinned)
        .map_err(|e| Error::Internal(format!("screen {id} device key: {e}")))?;
    let envelope: crate::feed::Envelope = serde_json::from_value(body.clone())
        .map_err(|e| Error::Malformed(format!("not a DSSE envelope: {e}")))?;
    let payload = envelope
        .verify_as(crate::feed::envelope::PLAYS_PAYLOAD_TYPE, &[key])
        .map_err(|e| {
            Error::Forbidden(crate::model::Reason::Detail(format!(
                "screen {id}'s plays: {e}"
            )))
        })?;
    let upload: serde_json::Value = serde_json::from_slice(&payload)
        .map_err(|e| Error::Malformed(format!("the signed payload: {e}")))?;
    let upload = parse(upload)?;
    let envelope_id = store::insert_envelope(conn, id, &envelope.to_json(), now)?;
    record_plays(conn, id, &upload, envelope_id, now)
}

/// Counts the plausible records of an upload (`envelope_id`: the signed upload they came in).
fn record_plays(
    conn: &mut Conn,
    id: &str,
    upload: &PlayUpload,
    envelope_id: i64,
    now: Timestamp,
) -> Result<PlayAnswer, Error> {
    if upload.records.len() > MAX_RECORDS {
        return Err(Error::invalid(
            "records",
            crate::model::Reason::TooManyRecords {
                count: upload.records.len(),
                max: MAX_RECORDS,
            },
        ));
    }
    if !(0..=MAX_DROPPED).contains(&upload.dropped) {
        return Err(Error::invalid(
            "dropped",
            crate::model::Reason::DroppedOutOfRange {
                dropped: upload.dropped,
                max: MAX_DROPPED,
            },
        ));
    }
    for (i, r) in upload.records.iter().enumerate() {
        if r.sequence > i64::MAX as u64 {
            return Err(Error::invalid(
                &format!("records[{i}].sequence"),
                crate::model::Reason::SequenceTooLarge,
            ));
        }
        if r.id.is_empty() || r.id.len() > 200 || r.notice_id.is_empty() || r.notice_id.len() > 64 {
            return Err(Error::invalid(
                &format!("records[{i}]"),
                crate::model::Reason::RecordIdLengths,
            ));
        }
        for (field, hash) in [
            ("notice_sha256", &r.notice_sha256),
            ("frame_sha256", &r.frame_sha256),
        ] {
            if hash
                .as_ref()
                .is_some_and(|h| h.len() != 64 || !h.bytes().all(|b| b.is_ascii_hexdigit()))
            {
                return Err(Error::invalid(
                    &format!("records[{i}].{field}"),
                    crate::model::Reason::NotHex64,
                ));
            }
        }
        if !(r.duration_s.is_finite() && (0.0..=86_400.0).contains(&r.duration_s)) {
            return Err(Error::invalid(
                &format!("records[{i}].duration_s"),
                crate::model::Reason::DurationOutOfRange {
                    seconds: r.duration_s.to_string(),
                },
            ));
        }
    }
    let (accepted, seen, refused) = store::record(conn, |rec| {
        let (group, kind, enrolled) = store::channel(rec.conn(), id)?;
        let enrolled = Timestamp::parse_from_rfc3339(&enrolled)
            .map_err(|e| Error::Internal(format!("screen {id} created_at: {e}")))?;
        let mut accepted = 0;
        let mut seen = 0;
        let mut refused = 0;
        let mut kept_refused = store::count_refused(rec.conn(), id)?;
        for r in &upload.records {
            if rec.known(id, &r.id)? {
                seen += 1;
                continue;
            }
            if let Some(reason) = implausible(rec.conn(), id, &group, &kind, enrolled, r, now)? {
                refused += 1;
                if kept_refused >= MAX_REFUSED_KEPT {
                    continue;
                }
                kept_refused += rec.insert_refused(RefusedRow {
                    screen_id: id,
                    record_id: &r.id,
                    notice_id: &r.notice_id,
                    start: &r.start.to_rfc3339(),
                    duration_s: r.duration_s,
                    opened: r.opened,
                    reason,
                    received_at: now,
                })? as i64;
                continue;
            }
            let category = category_of(rec.conn(), &r.notice_id)?;
            let year: i32 = beijing(r.start)
                .format("%Y")
                .to_string()
                .parse()
                .unwrap_or(0);
            if r.opened {
                let day = beijing(r.start).format("%Y-%m-%d").to_string();
                accepted += rec.insert_open(OpenRow {
                    screen_id: id,
                    record_id: &r.id,
                    group: &group,
                    kind: &kind,
                    notice_id: &r.notice_id,
                    category: &category,
                    day: &day,
                    year,
                })?;
                continue;
            }
            let end = r.start + chrono::TimeDelta::milliseconds((r.duration_s * 1000.0) as i64);
            accepted += rec.insert_play(PlayRow {
                screen_id: id,
                record_id: &r.id,
                group: &group,
                kind: &kind,
                notice_id: &r.notice_id,
                category: &category,
                page: r.page,
                start: &r.start.to_rfc3339(),
                year,
                duration_s: r.duration_s,
                sequence: r.sequence as i64,
                start_ms: r.start.timestamp_millis(),
                end_ms: end.timestamp_millis(),
                notice_sha256: r.notice_sha256.as_deref(),
                envelope_id,
                frame_sha256: r.frame_sha256.as_deref(),
            })?;
        }
        if upload.dropped > 0 {
            store::add_dropped(rec.conn(), id, upload.dropped)?;
        }
        store::seen_with_refused(rec.conn(), id, refused as i64, now)?;
        Ok((accepted, seen, refused))
    })?;
    Ok(PlayAnswer {
        accepted,
        duplicates: seen + (upload.records.len() - seen - refused - accepted),
        refused,
    })
}
