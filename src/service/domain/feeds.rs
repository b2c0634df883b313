//! Per-group signed feeds. A group's feed is a pure function of the database and the time: the
//! live revisions that target the group and are valid now or within `HORIZON`, and the group's
//! playlist. When that content changes (or the feed nears its expiry) a new feed is signed with
//! the next sequence number and stored; otherwise the stored one is served unchanged, so the
//! sequence and the ETag move exactly when the feed does.
//!
//! A warning always fits: where a feed with a warning (an emergency notice) would be over the
//! size budget, routine notices give way, lowest priority and oldest first, and come back when
//! the warning ends. A warning was once refused because routine notices filled its feed.

use std::collections::HashMap;

use chrono::Duration as Span;
use serde::Serialize;

use crate::feed::assets::sha256_hex;
use crate::feed::envelope;
use crate::model::{
    Asset, Blackout, Feed, FeedDocument, FeedFormat, Notice, Playlist, Priority, Timestamp,
};
use crate::service::domain::error::Error;
use crate::service::domain::keys::Keyring;
use crate::service::domain::storage::Conn;
use crate::service::domain::storage::feeds as store;
use crate::service::{domain::assets, domain::groups, domain::notices};

/// Notices valid from within this span are sent ahead, so screens have them on time even offline.
pub const HORIZON: Span = Span::days(7);
/// Screens refuse a feed this long after it was signed...
pub const LIFETIME: Span = Span::days(30);
/// ...so an unchanged feed is signed anew (next sequence) after this long.
pub const RENEW_AFTER: Span = Span::days(7);

/// A feed as served: the signed envelope and what HTTP needs to know of it.
#[derive(Debug, Clone)]
pub struct Published {
    pub group: String,
    pub sequence: u64,
    /// Strong, quoted: the SHA-256 of the payload.
    pub etag: String,
    /// The envelope JSON.
    pub body: bytes::Bytes,
    /// The signed feed document's JSON (the envelope's payload), for the residents' pages.
    pub payload: bytes::Bytes,
    pub generated_at: Timestamp,
    /// Until this instant (or a write to the database) the feed cannot change.
    pub fresh_until: Timestamp,
    /// Routine notices left out so that the feed's warnings fit its budget.
    pub gave_way: Vec<String>,
    /// The files the feed lists (SHA-256): what `GET /assets/{sha256}` serves to anyone.
    pub assets: Vec<String>,
}

/// What an envelope adds to its payload besides base64's third: the payload type, the key ids
/// and signatures (an SM2 signature is the longest), the JSON around them.
const ENVELOPE_OVERHEAD: usize = 4096;

/// The notices that give way so that a feed with a warning fits `budget` envelope bytes: none
/// without a warning or within the budget; else routine notices, lowest priority first and of
/// those the oldest, until the estimate fits. `base` is the payload's size without notices.
fn giving_way(notices: &[Notice], base: usize, budget: usize) -> Vec<String> {
    use crate::model::Priority;
    if !notices.iter().any(|n| n.priority == Priority::Emergency) {
        return Vec::new();
    }
    let size = |n: &Notice| serde_json::to_vec(n).map_or(0, |v| v.len() + 1);
    let payload_budget = budget.saturating_sub(ENVELOPE_OVERHEAD) / 4 * 3;
    let mut payload: usize = base + notices.iter().map(size).sum::<usize>();
    let mut routine: Vec<&Notice> = notices
        .iter()
        .filter(|n| n.priority != Priority::Emergency)
        .collect();
    routine.sort_by(|a, b| {
        (a.priority, a.published_at, &a.id).cmp(&(b.priority, b.published_at, &b.id))
    });
    let mut out = Vec::new();
    for n in routine {
        if payload <= payload_budget {
            break;
        }
        payload -= size(n);
        out.push(n.id.clone());
    }
    out
}

/// What goes into a feed besides its sequence and times.
#[derive(Serialize)]
struct Content<'a> {
    group: &'a str,
    playlist: &'a Playlist,
    notices: &'a [Notice],
    blackout: &'a Option<Blackout>,
    /// The signing keys: when a rotation's old key stops signing, the feed is signed again.
    signing_keys: &'a [String],
    /// The figures' files with their addresses: a new `--public-url` signs the feed again.
    assets: &'a [Asset],
}

/// The group's notices at `now`, and the next instant at which time alone changes them.
fn compose(
    conn: &Conn,
    group: &str,
    now: Timestamp,
) -> Result<(Playlist, Vec<Notice>, Option<Timestamp>), Error> {
    let playlist = groups::playlist(conn, group)?;
    let mut chosen = Vec::new();
    let mut next_change: Option<Timestamp> = None;
    let mut note = |t: Timestamp| {
        if t > now {
            next_change = Some(next_change.map_or(t, |n| n.min(t)));
        }
    };
    for (id, reviewed_at, input) in notices::live(conn)? {
        if !input.targets(group) {
            continue;
        }
        if input.valid_until.is_some_and(|until| until <= now) {
            continue;
        }
        if input.valid_from > now + HORIZON {
            note(input.valid_from - HORIZON);
            continue;
        }
        if let Some(until) = input.valid_until {
            note(until);
        }
        let published_at = Timestamp::parse_from_rfc3339(&reviewed_at)
            .map_err(|e| Error::Internal(format!("notice {id} reviewed_at: {e}")))?;
        chosen.push(input.to_notice(&id, published_at));
    }
    Ok((playlist, chosen, next_change))
}

/// The files the notices' figures name, each once, as the feed lists them: the address
/// screens fetch each from (`{public_url}/assets/{sha256}`) and its media type as stored.
fn assets_of(conn: &Conn, notices: &[Notice], public_url: &str) -> Result<Vec<Asset>, Error> {
    let base = public_url.trim_end_matches('/');
    let mut out = Vec::new();
    for sha256 in crate::model::assets_named(notices.iter().flat_map(|n| &n.figures)) {
        let url_of = |sha: &str| format!("{base}/assets/{sha}");
        // Checked when the revision was written and never deleted: a missing one is a
        // database edited by hand, and the feed would be one screens cannot complete.
        let asset = assets::find(conn, sha256, url_of)?.ok_or_else(|| {
            Error::Internal(format!(
                "a live notice's figure names asset {sha256}, not stored"
            ))
        })?;
        out.push(Asset {
            sha256: asset.sha256,
            url: asset.url,
            media_type: asset.media_type,
        });
    }
    Ok(out)
}

/// Below the screens' limit on how far a sequence may run ahead of its signing time (30 days).
const SEQUENCE_AHEAD_RESET_MS: u64 = 29 * 86_400_000;

/// The group's current feed, signing a new one if its content changed or it is due for renewal.
///
/// `budget`: the largest envelope a feed with a warning may be; routine notices give way to fit.
/// `public_url`: where screens reach this service, for the assets' addresses.
pub fn refresh(
    conn: &Conn,
    keys: &Keyring,
    group: &str,
    now: Timestamp,
    budget: usize,
    public_url: &str,
) -> Result<Published, Error> {
    let (playlist, mut notices, next_change) = compose(conn, group, now)?;
    let blackout = groups::blackout(conn, group)?.map(|since| Blackout { since });
    // The payload without notices: the playlist, the group, the times, the keys.
    let base = serde_json::to_vec(&Content {
        group,
        playlist: &playlist,
        notices: &[],
        blackout: &blackout,
        signing_keys: &[],
        assets: &[],
    })
    .map_or(0, |v| v.len())
        + 1024;
    let mut gave_way = giving_way(&notices, base, budget);
    if !gave_way.is_empty() {
        notices.retain(|n| !gave_way.contains(&n.id));
    }
    let mut assets = assets_of(conn, &notices, public_url)?;
    // The screens' limits on a feed's files, their number and the bytes their cache holds: a
    // feed past either is one no screen takes (and one `Feed::validate` refuses), so routine
    // notices with figures give way, the newest first; an approval that would push one out is
    // refused as over the budget (`Service::change_within`).
    while assets.len() > crate::model::MAX_ASSETS
        || assets::total_bytes(conn, &assets)? > crate::feed::client::MAX_ASSET_CACHE
    {
        let newest = notices
            .iter()
            .enumerate()
            .filter(|(_, n)| n.priority != Priority::Emergency && !n.figures.is_empty())
            .max_by_key(|(_, n)| n.published_at)
            .map(|(i, _)| i);
        let Some(i) = newest else { break };
        gave_way.push(notices.remove(i).id);
        assets = assets_of(conn, &notices, public_url)?;
    }
    let signers = keys.signers(now);
    // Announced only during a rotation: players older than the announcement refuse a field
    // they do not know (docs/DEPLOY.md says to update them before rotating).
    let signing_keys: Vec<String> = if signers.len() > 1 {
        keys.published(now)
            .keys
            .into_iter()
            .map(|k| k.text())
            .collect()
    } else {
        Vec::new()
    };
    // Time alone changes the feed at the next notice boundary or when a rotation's old key
    // retires.
    let next_change = match (next_change, keys.changes_at(now)) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    let content = serde_json::to_vec(&Content {
        group,
        playlist: &playlist,
        notices: &notices,
        blackout: &blackout,
        signing_keys: &signing_keys,
        assets: &assets,
    })
    .map_err(|e| Error::Internal(format!("feed content: {e}")))?;
    let content_hash = sha256_hex(&content);
    let stored = store::select_feed(conn, group)?;
    // Sequences never go back, even when the database does (restored from a backup, or lost):
    // a new feed's sequence is at least the time in milliseconds, so it passes every sequence
    // signed before that instant, whatever the database remembers.
    let floor = now.timestamp_millis().max(0) as u64;
    let mut sequence = floor;
    if let Some((seq, hash, generated_at, payload, envelope)) = stored {
        let generated_at = Timestamp::parse_from_rfc3339(&generated_at)
            .map_err(|e| Error::Internal(format!("feed {group} generated_at: {e}")))?;
        let renew_at = generated_at + RENEW_AFTER;
        if hash == content_hash && now < renew_at && now >= generated_at {
            return Ok(Published {
                group: group.to_string(),
                sequence: seq as u64,
                etag: etag(payload.as_bytes()),
                body: envelope.into(),
                payload: payload.into(),
                generated_at,
                fresh_until: next_change.map_or(renew_at, |t| t.min(renew_at)),
                gave_way,
                assets: assets.iter().map(|a| a.sha256.clone()).collect(),
            });
        }
        sequence = (seq as u64 + 1).max(floor);
        // A sequence signed while the service's clock ran weeks ahead: screens refuse one far
        // beyond its signing time (`feed::trust`), so going on from it would refuse every feed
        // until real time catches up. Start again from now instead, and say so.
        if sequence > floor.saturating_add(SEQUENCE_AHEAD_RESET_MS) {
            tracing::error!(
                "feed {group}: stored sequence {seq} is far ahead of the clock ({floor} ms): a \
                 clock that ran ahead; signing from the clock again"
            );
            sequence = floor;
        }
    }
    let generated_at = now;
    let listed: Vec<String> = assets.iter().map(|a| a.sha256.clone()).collect();
    let doc = FeedDocument {
        format: FeedFormat::V1,
        group: group.to_string(),
        sequence,
        generated_at,
        expires_at: generated_at + LIFETIME,
        playlist: Some(playlist),
        notices,
        assets,
        blackout,
        signing_keys,
    };
    // The screens' own rules, applied before signing: the service never publishes a feed that a
    // screen would refuse.
    let feed = Feed::validate(doc, &format!("feed {group}"))
        .map_err(|p| Error::Internal(format!("composed an invalid feed: {p}")))?;
    let payload = serde_json::to_string(feed.document())
        .map_err(|e| Error::Internal(format!("feed payload: {e}")))?;
    let envelope = envelope::sign_all(payload.as_bytes(), &signers)?.to_json();
    store::upsert_feed(
        conn,
        group,
        sequence as i64,
        &content_hash,
        &generated_at.to_rfc3339(),
        &payload,
        &envelope,
    )?;
    // Every sequence signed for the group, with its standby: a play record naming a sequence
    // the group never had, or shown while it stood by, is not counted (`plays::implausible`).
    store::insert_sequence(
        conn,
        group,
        sequence as i64,
        generated_at.timestamp_millis(),
        feed.blackout.as_ref().map(|b| b.since.timestamp_millis()),
    )?;
    // The evidence of a 公示: every signed feed that carried a notice with a 公示期 is kept, so
    // its 公示证明 can show what was published when, signed (`proof`).
    if feed.notices.iter().any(|n| n.notice_period.is_some()) {
        store::insert_history(
            conn,
            group,
            sequence as i64,
            &generated_at.to_rfc3339(),
            &envelope,
        )?;
        for signer in &signers {
            let public = signer.public_key();
            store::insert_public_key(
                conn,
                &public.key_id(),
                &public.to_text(),
                &generated_at.to_rfc3339(),
            )?;
        }
    }
    if !gave_way.is_empty() {
        tracing::warn!(
            "feed {group} (sequence {sequence}): routine notices {} left out so that it fits \
             (its warning in the budget of {budget} bytes, or its figures in what screens take)",
            gave_way.join(" ")
        );
    }
    let renew_at = generated_at + RENEW_AFTER;
    Ok(Published {
        group: group.to_string(),
        sequence,
        etag: etag(payload.as_bytes()),
        body: envelope.into(),
        payload: payload.into(),
        generated_at,
        fresh_until: next_change.map_or(renew_at, |t| t.min(renew_at)),
        gave_way,
        assets: listed,
    })
}

fn etag(payload: &[u8]) -> String {
    format!("\"{}\"", sha256_hex(payload))
}

/// Every group's feed brought up to date.
pub fn refresh_all(
    conn: &Conn,
    keys: &Keyring,
    now: Timestamp,
    budget: usize,
    public_url: &str,
) -> Result<HashMap<String, Published>, Error> {
    let mut out = HashMap::new();
    for group in groups::names(conn)? {
        let published = refresh(conn, keys, &group, now, budget, public_url)?;
        out.insert(group, published);
    }
    Ok(out)
}

/// The warnings (emergency notices) a signed feed document carries, as they are: whether a change
/// brought or changed one.
fn warnings(payload: &[u8]) -> Vec<String> {
    let Ok(doc) = serde_json::from_slice::<FeedDocument>(payload) else {
        return Vec::new();
    };
    doc.notices
        .iter()
        .filter(|n| n.priority == crate::model::Priority::Emergency)
        .filter_map(|n| serde_json::to_string(n).ok())
        .collect()
}

/// Why a change's feeds may not be signed, if they may not: a group's feed grown past the
/// budget (screens would refuse it and freeze on old content; a change that does not grow an
/// oversized feed, a withdrawal, goes through; a feed with a warning fits, routine notices give
/// way in it), or routine notices pushed out of a feed without a warning brought or changed
/// there (routine notices give way to a warning, not to each other).
pub fn budget_problems(
    published: &HashMap<String, Published>,
    before: &HashMap<String, std::sync::Arc<Published>>,
    budget: usize,
) -> Vec<crate::model::Problem> {
    let over: Vec<crate::model::Problem> = published
        .iter()
        .filter(|(g, p)| {
            p.body.len() > budget
                && p.body.len() > before.get(g.as_str()).map_or(0, |old| old.body.len())
        })
        .map(|(g, p)| {
            crate::model::Problem::new(
                "request",
                "groups",
                crate::model::Reason::OverBudget {
                    group: g.to_string(),
                    bytes: p.body.len(),
                    budget,
                    max: crate::feed::client::MAX_BODY,
                },
            )
        })
        .collect();
    if !over.is_empty() {
        return over;
    }
    // Routine notices give way to a warning, not to each other: a change that pushes more of
    // them out of a feed without bringing or changing a warning there (a routine approval
    // into a full feed while a warning is in force) is refused as if over the budget.
    published
        .iter()
        .filter_map(|(g, p)| {
            let old = before.get(g.as_str())?;
            let newly: Vec<&String> = p
                .gave_way
                .iter()
                .filter(|id| !old.gave_way.contains(id))
                .collect();
            if newly.is_empty() || warnings(&p.payload) != warnings(&old.payload) {
                return None;
            }
            Some(crate::model::Problem::new(
                "request",
                "groups",
                crate::model::Reason::PushesOut {
                    group: g.to_string(),
                    budget,
                    notices: newly
                        .iter()
                        .map(|s| s.as_str())
                        .collect::<Vec<_>>()
                        .join(" "),
                },
            ))
        })
        .collect()
}
