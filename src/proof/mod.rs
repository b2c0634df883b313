//! 公示证明: whether a notice was on public display for its whole 公示期, computed from evidence
//! that anyone can check without trusting the service: the signed feeds that carried the notice
//! (the office's key), the play records the screens signed (each screen's device key), and the
//! holiday calendar. The service computes the certificate with `certify` from the same bundle
//! it hands out, signs it, and `noticecast proof verify --key KEY` recomputes it offline
//! (`verify`). The keys a bundle lists prove nothing by themselves (anyone can make a bundle
//! with keys of their own): only a certificate signed by the office's key, given from outside,
//! makes it evidence, and that certificate names everything the verdict depends on (the feed
//! keys, each screen's device key, the calendar of every year used), so nothing in the bundle
//! can be swapped under it.
//!
//! Rules, documented in docs/proof.md:
//! - a play counts if its screen's device key signed it, its notice text (SHA-256) is the text a
//!   signed feed of the screen's group carried, and that feed's sequence is the one it names;
//! - nothing counts from a feed that put the group on standby, nor while a standby was in force;
//! - a working day of the period is met for a group when some screen of the group showed the
//!   notice for at least `MIN_DAILY_MINUTES` that day;
//! - a gap is a stretch of a working day's on-hours, longer than `gap_minutes` (the rotation's
//!   length could not explain it), in which a screen did not show the notice.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{NaiveDate, TimeDelta};
use serde::{Deserialize, Serialize};

use crate::feed::envelope::{Envelope, PLAYS_PAYLOAD_TYPE, TrustedKey};
use crate::feed::plays::{PlayRecord, notice_hash};
use crate::model::calendar::Calendar;
use crate::model::{Feed, Notice, NoticePeriod, Timestamp, beijing};

/// The payload type of a signed certificate.
pub const CERTIFICATE_PAYLOAD_TYPE: &str = "application/vnd.noticecast.proof+json";
pub const BUNDLE_FORMAT: &str = "noticecast-proof-bundle/2";
/// A working day counts as displayed when a screen of the group showed the notice this long.
pub const MIN_DAILY_MINUTES: i64 = 10;
/// The shortest gap reported, whatever the rotation.
pub const MIN_GAP_MINUTES: i64 = 30;

/// Everything a certificate is computed from.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bundle {
    pub format: String,
    pub notice_id: String,
    /// When the bundle was made: days after it are "pending".
    pub generated_at: Timestamp,
    /// The office's feed signing keys (base64).
    pub feed_keys: Vec<String>,
    /// Every signed feed that carried the notice, with its group.
    pub feeds: Vec<Envelope>,
    /// The screens of the groups those feeds were for, with their pinned device keys.
    pub screens: Vec<ScreenEntry>,
    /// The screens' signed play uploads that contain a record of the notice, as received.
    pub plays: Vec<PlaysEntry>,
    /// The working-day calendars of the period's years.
    pub calendar: Calendar,
    /// The certificate the service computed, signed with its feed key.
    pub certificate: Option<Envelope>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScreenEntry {
    pub id: String,
    pub group: String,
    /// The screen's confirmed device key (as `TrustedKey::parse` reads it); none: none is
    /// confirmed (its plays do not count).
    pub device_key: Option<String>,
    /// Keys the screen had before it was replaced: each signs for records up to `until`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub former_keys: Vec<FormerKey>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FormerKey {
    pub key: String,
    /// When the key was reset (the box replaced): nothing it signs counts from then.
    pub until: Timestamp,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlaysEntry {
    pub screen_id: String,
    pub received_at: String,
    pub envelope: Envelope,
    /// The ids of the envelope's records the service found plausible when they arrived (not
    /// before the screen's enrolment, not in the future, not overlapping, the notice approved
    /// for the group then): only these can count. Signed into the certificate with the rest.
    pub accepted: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Certificate {
    pub notice_id: String,
    pub title: String,
    pub issuer: String,
    /// The SHA-256 of each text of the notice the feeds carried (a revision, an edit).
    pub notice_sha256: Vec<String>,
    /// The ids of the office's feed keys the evidence was checked with.
    pub feed_key_ids: Vec<String>,
    pub period: PeriodInfo,
    pub groups: Vec<GroupResult>,
    /// Records that did not count, and why.
    pub not_counted: Vec<NotCounted>,
    pub min_daily_minutes: i64,
    pub as_of: Timestamp,
    /// "met", "not met", or "in progress" (the period has not ended as of `as_of`).
    pub verdict: Verdict,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PeriodInfo {
    pub start: Timestamp,
    pub end: Timestamp,
    pub working_days: Vec<NaiveDate>,
    /// The calendar's source per year, or that a year had none (Monday to Friday counted).
    pub calendar: Vec<String>,
    /// Per year used, the SHA-256 of its calendar as the bundle carries it (JSON): a holiday
    /// added afterwards changes it.
    pub calendar_sha256: Vec<(i32, String)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupResult {
    pub group: String,
    pub screens: Vec<ScreenResult>,
    /// Per working day: the most any screen of the group showed the notice, in hours.
    pub days: Vec<DayResult>,
    /// "met", "not met" or "in progress".
    pub verdict: Verdict,
    pub failing_days: Vec<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScreenResult {
    pub id: String,
    /// The key id of the screen's confirmed device key, whose signatures its plays carry.
    pub device_key_id: Option<String>,
    /// The key ids of the keys it had before, each counted up to its reset.
    #[serde(default)]
    pub former_key_ids: Vec<String>,
    /// When the notice was displayed (merged, within the period).
    pub intervals: Vec<(Timestamp, Timestamp)>,
    pub hours_per_day: Vec<(NaiveDate, f64)>,
    /// Stretches of on-hours without the notice, longer than the rotation explains.
    pub gaps: Vec<(Timestamp, Timestamp)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DayResult {
    pub day: NaiveDate,
    pub hours: f64,
    /// "met", "not met" or "pending".
    pub status: DayStatus,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NotCounted {
    pub screen_id: String,
    pub record_id: String,
    pub reason: String,
}

/// One signed feed that carried the notice.
struct Carried {
    group: String,
    sequence: u64,
    notice: Notice,
    hash: String,
    feed: Feed,
}

/// Why a bundle gives no certificate, or its signed certificate is refused.
#[derive(Debug, thiserror::Error)]
pub enum ProofError {
    #[error("format {0:?} is not {BUNDLE_FORMAT}")]
    Format(String),
    /// A piece of evidence (`feeds[2]`, `plays[0]`, `feed_keys`) that does not check.
    #[error("{at}: {why}")]
    Evidence { at: String, why: String },
    #[error(transparent)]
    Feed(Box<crate::model::Problems>),
    #[error("feeds[{feed}] does not carry notice {notice}")]
    NotCarried { feed: usize, notice: String },
    #[error("no signed feed carried notice {0}")]
    NoFeed(String),
    #[error("notice {0} has no 公示期")]
    NoPeriod(String),
    #[error("notice {0}: the 公示期 has no working day")]
    NoWorkingDay(String),
    #[error("the bundle carries no signed certificate")]
    Unsigned,
    #[error("certificate: not signed by key {key}: {why}")]
    NotSignedBy { key: String, why: String },
    #[error("certificate: {0}")]
    Certificate(String),
    #[error("the signed certificate does not match its evidence: {0}")]
    Mismatch(String),
}

impl ProofError {
    fn evidence(at: impl Into<String>, why: impl std::fmt::Display) -> ProofError {
        ProofError::Evidence {
            at: at.into(),
            why: why.to_string(),
        }
    }
}

/// Checks every signature of the bundle's evidence and computes the certificate from it.
pub fn certify(bundle: &Bundle) -> Result<Certificate, ProofError> {
    if bundle.format != BUNDLE_FORMAT {
        return Err(ProofError::Format(bundle.format.clone()));
    }
    let feed_keys = keys(&bundle.feed_keys, "feed_keys")?;
    let feed_key_ids: Vec<String> = feed_keys.iter().map(|k| k.id.clone()).collect();
    let mut carried = Vec::new();
    for (i, envelope) in bundle.feeds.iter().enumerate() {
        let payload = envelope
            .verify(&feed_keys)
            .map_err(|e| ProofError::evidence(format!("feeds[{i}]"), e))?;
        let text = String::from_utf8(payload)
            .map_err(|_| ProofError::evidence(format!("feeds[{i}]"), "not UTF-8"))?;
        let feed = Feed::from_json(&text, &format!("feeds[{i}]"))
            .map_err(|p| ProofError::Feed(Box::new(p)))?;
        let Some(notice) = feed.notice(&bundle.notice_id).cloned() else {
            return Err(ProofError::NotCarried {
                feed: i,
                notice: bundle.notice_id.clone(),
            });
        };
        carried.push(Carried {
            group: feed.group.clone(),
            sequence: feed.sequence,
            hash: notice_hash(&notice),
            notice,
            feed,
        });
    }
    carried.sort_by_key(|c| (c.group.clone(), c.sequence));
    let Some(last) = carried.last() else {
        return Err(ProofError::NoFeed(bundle.notice_id.clone()));
    };
    let period: NoticePeriod = last
        .notice
        .notice_period
        .clone()
        .ok_or_else(|| ProofError::NoPeriod(bundle.notice_id.clone()))?;
    let calendar = &bundle.calendar;
    let days = period.working_days(calendar);
    let end = period.ends_at(calendar);
    if days.is_empty() {
        // Nothing to show for: such a period is refused when the notice is submitted, and a
        // certificate over it would be "met" with no play at all.
        return Err(ProofError::NoWorkingDay(bundle.notice_id.clone()));
    }
    let years: BTreeSet<i32> = days.iter().map(chrono::Datelike::year).collect();
    let calendar_sha256 = years
        .iter()
        .map(|y| {
            let text = serde_json::to_vec(&calendar.years.get(y)).unwrap_or_default();
            (*y, crate::feed::assets::sha256_hex(&text))
        })
        .collect();
    let mut calendar_note: Vec<String> = years
        .iter()
        .map(|y| match calendar.years.get(y) {
            Some(year) => format!("{y}: {}", year.source),
            None => format!("{y}: 无节假日安排，按周一至周五计算"),
        })
        .collect();
    calendar_note.dedup();

    // The plays, each checked against its screen's key and the feeds of its group.
    let screens: BTreeMap<&str, &ScreenEntry> =
        bundle.screens.iter().map(|s| (s.id.as_str(), s)).collect();
    let mut not_counted = Vec::new();
    let mut shown: BTreeMap<String, Vec<(Timestamp, Timestamp)>> = BTreeMap::new();
    for (i, entry) in bundle.plays.iter().enumerate() {
        // An upload that does not count as a whole (a screen not listed, a key not confirmed
        // or since replaced) is named, not fatal: the signed certificate lists it, so leaving
        // it out or putting it back changes what the office signed.
        let whole = |reason: &str| NotCounted {
            screen_id: entry.screen_id.clone(),
            record_id: format!("plays[{i}]"),
            reason: reason.to_string(),
        };
        let Some(screen) = screens.get(entry.screen_id.as_str()) else {
            not_counted.push(whole("the screen is not one of the groups' screens"));
            continue;
        };
        // The current key signs for any time; a former key up to its reset.
        let mut signed_by = None;
        if let Some(key) = &screen.device_key {
            let key = keys(std::slice::from_ref(key), &format!("screens {}", screen.id))?;
            if let Ok(payload) = entry.envelope.verify_as(PLAYS_PAYLOAD_TYPE, &key) {
                signed_by = Some((payload, None));
            }
        }
        for former in &screen.former_keys {
            if signed_by.is_some() {
                break;
            }
            let key = keys(
                std::slice::from_ref(&former.key),
                &format!("screens {} former_keys", screen.id),
            )?;
            if let Ok(payload) = entry.envelope.verify_as(PLAYS_PAYLOAD_TYPE, &key) {
                signed_by = Some((payload, Some(former.until)));
            }
        }
        let Some((payload, until)) = signed_by else {
            not_counted.push(whole("not signed by a device key confirmed for the screen"));
            continue;
        };
        #[derive(Deserialize)]
        struct Upload {
            records: Vec<PlayRecord>,
        }
        let upload: Upload = serde_json::from_slice(&payload).map_err(|e| {
            ProofError::evidence(format!("plays[{i}]"), format!("not a plays upload: {e}"))
        })?;
        for r in upload.records {
            if r.notice_id != bundle.notice_id || r.opened {
                continue;
            }
            if !entry.accepted.contains(&r.id) {
                not_counted.push(NotCounted {
                    screen_id: screen.id.clone(),
                    record_id: r.id.clone(),
                    reason: "refused by the service as implausible when it arrived".into(),
                });
                continue;
            }
            let refuse = |reason: &str| NotCounted {
                screen_id: screen.id.clone(),
                record_id: r.id.clone(),
                reason: reason.to_string(),
            };
            let feed = carried
                .iter()
                .find(|c| c.group == screen.group && c.sequence == r.sequence);
            let Some(feed) = feed else {
                not_counted.push(refuse(
                    "no signed feed of the screen's group with that sequence carried the notice",
                ));
                continue;
            };
            if until.is_some_and(|until| r.start >= until) {
                not_counted.push(refuse("signed by a key reset before it started"));
                continue;
            }
            if feed.feed.blackout.is_some() {
                not_counted.push(refuse("the feed it names held the group on standby"));
                continue;
            }
            if r.notice_sha256.as_deref() != Some(feed.hash.as_str()) {
                not_counted.push(refuse("the text shown is not the text the feed carried"));
                continue;
            }
            if !(r.duration_s.is_finite() && (0.0..=86_400.0).contains(&r.duration_s)) {
                not_counted.push(refuse("an impossible duration"));
                continue;
            }
            let from = r.start.max(period.start);
            let to = (r.start + TimeDelta::milliseconds((r.duration_s * 1000.0) as i64)).min(end);
            if to <= from {
                continue;
            }
            // Nothing before the feed it names was signed, nothing after that feed expired, after
            // its key was reset, or after the bundle was made.
            let from = from.max(feed.feed.generated_at);
            let to = to.min(feed.feed.expires_at).min(bundle.generated_at);
            let to = until.map_or(to, |until| to.min(until));
            if to > from {
                shown.entry(screen.id.clone()).or_default().push((from, to));
            }
        }
    }

    let groups: BTreeSet<&str> = carried.iter().map(|c| c.group.as_str()).collect();
    // While a group stood by, its screens showed the standby page, whatever they report.
    for screen in &bundle.screens {
        if let Some(intervals) = shown.get_mut(&screen.id) {
            let windows = standby_windows(&carried, &screen.group);
            *intervals = subtract(std::mem::take(intervals), &windows);
        }
    }
    let min_daily = TimeDelta::minutes(MIN_DAILY_MINUTES);
    let mut results = Vec::new();
    for group in groups {
        // The group's newest feed that carried the notice: its playlist and rotation.
        let newest = carried
            .iter()
            .rev()
            .find(|c| c.group == group)
            .expect("the group comes from a carried feed");
        let playlist = newest.feed.playlist.clone();
        // A rotation shows every notice within (notices × the longest dwell × pages): a stretch
        // longer than twice that, and than MIN_GAP_MINUTES, is a gap.
        let rotation_s = newest.feed.notices.len() as f64
            * playlist.as_ref().map_or(60.0, |p| p.dwell.max_s)
            * 3.0;
        let gap =
            TimeDelta::seconds((2.0 * rotation_s) as i64).max(TimeDelta::minutes(MIN_GAP_MINUTES));
        let mut screen_results = Vec::new();
        let mut best: BTreeMap<NaiveDate, TimeDelta> =
            days.iter().map(|d| (*d, TimeDelta::zero())).collect();
        for screen in bundle.screens.iter().filter(|s| s.group == group) {
            let intervals = merge(shown.remove(&screen.id).unwrap_or_default());
            let mut per_day: BTreeMap<NaiveDate, TimeDelta> = BTreeMap::new();
            for (from, to) in &intervals {
                // Split at Beijing midnights.
                let mut a = *from;
                while a < *to {
                    let day = beijing(a).date_naive();
                    let midnight = day_start(day.succ_opt().expect("a date"));
                    let b = (*to).min(midnight);
                    *per_day.entry(day).or_insert(TimeDelta::zero()) += b - a;
                    a = b;
                }
            }
            for (day, shown) in &per_day {
                if let Some(b) = best.get_mut(day) {
                    *b = (*b).max(*shown);
                }
            }
            let mut gaps = Vec::new();
            for day in &days {
                let (on, off) = on_hours(playlist.as_ref(), *day);
                let on = on.max(period.start);
                let off = off.min(end).min(bundle.generated_at);
                if off <= on {
                    continue;
                }
                let mut cursor = on;
                for (from, to) in intervals.iter().filter(|(f, t)| *t > on && *f < off) {
                    if *from - cursor > gap {
                        gaps.push((cursor, *from));
                    }
                    cursor = cursor.max(*to);
                }
                if off - cursor > gap {
                    gaps.push((cursor, off));
                }
            }
            screen_results.push(ScreenResult {
                id: screen.id.clone(),
                device_key_id: screen
                    .device_key
                    .as_deref()
                    .and_then(|k| TrustedKey::parse(k).ok())
                    .map(|k| k.id),
                former_key_ids: screen
                    .former_keys
                    .iter()
                    .filter_map(|k| TrustedKey::parse(&k.key).ok())
                    .map(|k| k.id)
                    .collect(),
                hours_per_day: days
                    .iter()
                    .map(|d| (*d, hours(per_day.get(d).copied().unwrap_or_default())))
                    .collect(),
                intervals,
                gaps,
            });
        }
        let mut day_results = Vec::new();
        let mut failing = Vec::new();
        let mut pending = false;
        for day in &days {
            let shown = best[day];
            let status = if shown >= min_daily {
                DayStatus::Met
            } else if day_start(*day) + TimeDelta::days(1) > bundle.generated_at {
                pending = true;
                DayStatus::Pending
            } else {
                failing.push(*day);
                DayStatus::NotMet
            };
            day_results.push(DayResult {
                day: *day,
                hours: hours(shown),
                status,
            });
        }
        let verdict = if !failing.is_empty() {
            Verdict::NotMet
        } else if pending {
            Verdict::InProgress
        } else {
            Verdict::Met
        };
        results.push(GroupResult {
            group: group.to_string(),
            screens: screen_results,
            days: day_results,
            verdict,
            failing_days: failing,
        });
    }
    let verdict = if results.iter().any(|g| g.verdict == Verdict::NotMet) {
        Verdict::NotMet
    } else if results.iter().any(|g| g.verdict == Verdict::InProgress) {
        Verdict::InProgress
    } else {
        Verdict::Met
    };
    let hashes: BTreeSet<String> = carried.iter().map(|c| c.hash.clone()).collect();
    Ok(Certificate {
        notice_id: bundle.notice_id.clone(),
        title: last.notice.title.clone(),
        issuer: last.notice.issuer.clone(),
        notice_sha256: hashes.into_iter().collect(),
        feed_key_ids,
        period: PeriodInfo {
            start: period.start,
            end,
            working_days: days,
            calendar: calendar_note,
            calendar_sha256,
        },
        groups: results,
        not_counted,
        min_daily_minutes: MIN_DAILY_MINUTES,
        as_of: bundle.generated_at,
        verdict,
    })
}

/// `noticecast proof verify --key KEY`: the bundle's signatures, its certificate signed by
/// `office` (the office's public key, known from outside the bundle), and that certificate
/// against the one recomputed from the evidence.
pub fn verify(bundle: &Bundle, office: &TrustedKey) -> Result<Certificate, ProofError> {
    let recomputed = certify(bundle)?;
    let Some(signed) = &bundle.certificate else {
        return Err(ProofError::Unsigned);
    };
    let payload = signed
        .verify_as(CERTIFICATE_PAYLOAD_TYPE, std::slice::from_ref(office))
        .map_err(|e| ProofError::NotSignedBy {
            key: office.id.clone(),
            why: e.to_string(),
        })?;
    let claimed: Certificate =
        serde_json::from_slice(&payload).map_err(|e| ProofError::Certificate(e.to_string()))?;
    if claimed != recomputed {
        return Err(ProofError::Mismatch(first_difference(
            &claimed,
            &recomputed,
        )));
    }
    Ok(recomputed)
}

fn first_difference(a: &Certificate, b: &Certificate) -> String {
    let a = serde_json::to_value(a).unwrap_or_default();
    let b = serde_json::to_value(b).unwrap_or_default();
    fn walk(a: &serde_json::Value, b: &serde_json::Value, path: String) -> Option<String> {
        if a == b {
            return None;
        }
        match (a, b) {
            (serde_json::Value::Object(x), serde_json::Value::Object(y)) => {
                x.iter().find_map(|(k, v)| {
                    walk(
                        v,
                        y.get(k).unwrap_or(&serde_json::Value::Null),
                        format!("{path}.{k}"),
                    )
                })
            }
            (serde_json::Value::Array(x), serde_json::Value::Array(y)) if x.len() == y.len() => x
                .iter()
                .zip(y)
                .enumerate()
                .find_map(|(i, (v, w))| walk(v, w, format!("{path}[{i}]"))),
            _ => Some(format!("{path}: signed {a}, evidence gives {b}")),
        }
    }
    walk(&a, &b, "certificate".into()).unwrap_or_default()
}

fn keys(list: &[String], what: &str) -> Result<Vec<TrustedKey>, ProofError> {
    list.iter()
        .map(|k| TrustedKey::parse(k).map_err(|e| ProofError::evidence(what, e)))
        .collect()
}

/// When `group` stood by, from the feeds that carried the notice: from a standby's start to the
/// next feed of the group without one (or for ever).
fn standby_windows(carried: &[Carried], group: &str) -> Vec<(Timestamp, Timestamp)> {
    let mut windows: Vec<(Timestamp, Timestamp)> = Vec::new();
    let mut open: Option<Timestamp> = None;
    for c in carried.iter().filter(|c| c.group == group) {
        match (&c.feed.blackout, open) {
            (Some(b), None) => open = Some(b.since.min(c.feed.generated_at)),
            (None, Some(since)) => {
                windows.push((since, c.feed.generated_at));
                open = None;
            }
            _ => {}
        }
    }
    if let Some(since) = open {
        windows.push((
            since,
            chrono::DateTime::<chrono::Utc>::MAX_UTC.fixed_offset(),
        ));
    }
    windows
}

/// `intervals` without the parts inside `windows`.
fn subtract(
    intervals: Vec<(Timestamp, Timestamp)>,
    windows: &[(Timestamp, Timestamp)],
) -> Vec<(Timestamp, Timestamp)> {
    let mut out = intervals;
    for &(w0, w1) in windows {
        out = out
            .into_iter()
            .flat_map(|(a, b)| {
                let mut parts = Vec::new();
                if a < w0 {
                    parts.push((a, b.min(w0)));
                }
                if b > w1 {
                    parts.push((a.max(w1), b));
                }
                parts
            })
            .filter(|(a, b)| a < b)
            .collect();
    }
    out
}

fn merge(mut intervals: Vec<(Timestamp, Timestamp)>) -> Vec<(Timestamp, Timestamp)> {
    intervals.sort();
    let mut out: Vec<(Timestamp, Timestamp)> = Vec::new();
    for (a, b) in intervals {
        match out.last_mut() {
            // Pages of one showing follow each other within a second.
            Some(last) if a <= last.1 + TimeDelta::seconds(1) => last.1 = last.1.max(b),
            _ => out.push((a, b)),
        }
    }
    out
}

fn day_start(day: NaiveDate) -> Timestamp {
    chrono::TimeZone::from_local_datetime(
        &crate::model::beijing_offset(),
        &day.and_hms_opt(0, 0, 0).expect("midnight"),
    )
    .single()
    .expect("a fixed offset")
}

/// A day's on-hours (the whole day without `hours`; an overnight span is taken from `on` to
/// midnight, the morning part belonging to the day before's showing).
fn on_hours(playlist: Option<&crate::model::Playlist>, day: NaiveDate) -> (Timestamp, Timestamp) {
    let start = day_start(day);
    match playlist.and_then(|p| p.hours.as_ref()) {
        Some(h) if h.on.0 < h.off.0 => (
            start + TimeDelta::minutes(h.on.0 as i64),
            start + TimeDelta::minutes(h.off.0 as i64),
        ),
        Some(h) => (
            start + TimeDelta::minutes(h.on.0 as i64),
            start + TimeDelta::days(1),
        ),
        None => (start, start + TimeDelta::days(1)),
    }
}

fn hours(d: TimeDelta) -> f64 {
    (d.num_seconds() as f64 / 36.0).round() / 100.0
}

/// Whether a notice was shown for its whole 公示期: the certificate's conclusion, per group and
/// over all. Serialised as before (`"met"`, `"not met"`, `"in progress"`): certificates are signed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Verdict {
    #[serde(rename = "met")]
    Met,
    #[serde(rename = "not met")]
    NotMet,
    /// The period has not ended as of the certificate's time.
    #[serde(rename = "in progress")]
    InProgress,
}

impl Verdict {
    pub const ALL: [Verdict; 3] = [Verdict::Met, Verdict::NotMet, Verdict::InProgress];

    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Met => "met",
            Verdict::NotMet => "not met",
            Verdict::InProgress => "in progress",
        }
    }

    /// As the console's certificate page says it.
    pub fn zh(self) -> &'static str {
        match self {
            Verdict::Met => "已满足",
            Verdict::NotMet => "未满足",
            Verdict::InProgress => "公示中",
        }
    }
}

impl std::fmt::Display for Verdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<&str> for Verdict {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// One working day of a group: shown long enough, not, or not over yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DayStatus {
    #[serde(rename = "met")]
    Met,
    #[serde(rename = "not met")]
    NotMet,
    #[serde(rename = "pending")]
    Pending,
}

impl DayStatus {
    pub const ALL: [DayStatus; 3] = [DayStatus::Met, DayStatus::NotMet, DayStatus::Pending];

    pub fn as_str(self) -> &'static str {
        match self {
            DayStatus::Met => "met",
            DayStatus::NotMet => "not met",
            DayStatus::Pending => "pending",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            DayStatus::Met => "满足",
            DayStatus::NotMet => "不满足",
            DayStatus::Pending => "待定",
        }
    }
}

impl std::fmt::Display for DayStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
