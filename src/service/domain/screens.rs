//! The screen registry: enrolment with a bearer token, device keys and their confirmation,
//! heartbeats, screenshots, and the list of screens with their state.
//!
//! A token speaks only for its own screen. What a screen shows is counted in `plays`.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::model::Timestamp;
use crate::service::domain::accounts::{Role, User};
use crate::service::domain::audit;
use crate::service::domain::error::Error;
use crate::service::domain::groups;
use crate::service::domain::passwords;
use crate::service::domain::storage::Conn;
use crate::service::domain::storage::screens::{self as store, BeatRow};

/// A screen counts as online when it was heard from within this span.
pub const ONLINE_WITHIN: chrono::Duration = chrono::Duration::minutes(3);

/// The largest count a screen's numbers may add up to (storage's bound, named here too).
pub use crate::service::domain::storage::MAX_COUNT;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ScreenInfo {
    pub id: String,
    /// The screen's name for staff (溪口村委会门口), if given one; pages fall back to the id.
    pub label: Option<String>,
    /// Its group's name for staff ([`groups::Labels`]).
    pub group_label: String,
    pub group: String,
    pub kind: String,
    pub created_at: String,
    pub last_seen: Option<String>,
    pub online: bool,
    /// The feed sequence the screen last reported showing.
    pub sequence: Option<i64>,
    /// The group's current feed sequence, to compare.
    pub feed_sequence: Option<i64>,
    pub uptime_s: Option<i64>,
    pub adapter: Option<String>,
    pub last_error: Option<String>,
    /// Play records the screen had to drop while offline (its queue is bounded).
    pub dropped: i64,
    /// Play records refused as implausible (`record_plays`): a faulty clock, or a screen
    /// inflating its counts.
    pub refused: i64,
    /// A screenshot was asked for and has not arrived yet.
    pub screenshot_requested: bool,
    /// When the latest screenshot arrived.
    pub screenshot_at: Option<String>,
    /// The display's power as last reported: "on", "standby" or "unknown".
    pub power: Option<String>,
    /// "unsynced" while the screen's clock is not synchronised.
    pub clock: Option<String>,
    /// The key id (16 hex digits) of the screen's confirmed device key: the key its play records
    /// are signed with (公示证明).
    pub device_key_id: Option<String>,
    /// Who confirmed that key (a security administrator).
    pub device_key_confirmed_by: Option<String>,
    /// The key ids of the device keys the screen presented that await confirmation.
    pub device_key_candidates: Vec<String>,
}

/// What a screen says in its heartbeat (see the feed client).
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct Heartbeat {
    pub screen_id: String,
    pub sequence: Option<i64>,
    pub uptime_s: Option<i64>,
    pub adapter: Option<String>,
    pub last_error: Option<String>,
    /// The display's power over HDMI-CEC: "on", "standby" or "unknown".
    #[serde(default)]
    pub power: Option<String>,
    /// "synced", or "unsynced" while the screen's clock is untrusted.
    #[serde(default)]
    pub clock: Option<String>,
    /// The screen's device key (`sm2:BASE64` or an Ed25519 key's base64): a candidate until a
    /// security administrator confirms it, then its play uploads must be signed by it.
    #[serde(default)]
    pub device_key: Option<String>,
}

/// Device keys a screen may present while none is confirmed: a real screen has one, a copied
/// token one more; beyond this a screen is refused rather than filling the table.
const MAX_KEY_CANDIDATES: i64 = 8;

/// Enrols a screen; returns its bearer token, which is shown this once (only its hash is kept).
pub fn add(
    conn: &Conn,
    actor: &str,
    id: &str,
    group: &str,
    now: Timestamp,
) -> Result<String, Error> {
    if !crate::model::is_slug(id) {
        return Err(Error::invalid(
            "id",
            crate::model::Reason::NotAName {
                text: id.to_string(),
                kind: crate::model::NameKind::Screen,
            },
        ));
    }
    if !groups::exists(conn, group)? {
        return Err(Error::invalid(
            "group",
            crate::model::Reason::NoSuchGroup {
                name: group.to_string(),
            },
        ));
    }
    if store::screen_exists(conn, id)? {
        return Err(Error::Conflict(crate::model::Reason::ScreenEnrolled {
            id: id.to_string(),
        }));
    }
    let token = format!("nct_{}", passwords::random_token()?);
    store::insert_screen(conn, id, group, &passwords::token_hash(&token), now)?;
    audit::record(
        conn,
        now,
        actor,
        audit::Action::ScreenAdd,
        &format!("screen {id}"),
        &format!("group {group}"),
    )?;
    Ok(token)
}

/// Names an enrolled screen for staff (2 to 30 characters, as a group's label). `actor` as for
/// [`add`]: the command line, or a sysadmin the HTTP layer let through.
pub fn set_label(
    conn: &Conn,
    actor: &str,
    id: &str,
    label: &str,
    now: Timestamp,
) -> Result<(), Error> {
    let label = groups::checked_label(label)?;
    if store::set_screen_label(conn, id, &label)? == 0 {
        return Err(Error::NotFound(crate::model::Reason::NoScreen {
            id: id.to_string(),
        }));
    }
    audit::record(
        conn,
        now,
        actor,
        audit::Action::ScreenLabel,
        &format!("screen {id}"),
        &label,
    )
}

/// A new token for an enrolled screen (a replaced box, a leaked token); the old one stops working.
pub fn new_token(conn: &Conn, actor: &User, id: &str, now: Timestamp) -> Result<String, Error> {
    actor.require(&[Role::Sysadmin], "issue screen tokens")?;
    let token = format!("nct_{}", passwords::random_token()?);
    let changed = store::set_token_hash(conn, id, &passwords::token_hash(&token))?;
    if changed == 0 {
        return Err(Error::NotFound(crate::model::Reason::NoScreen {
            id: id.to_string(),
        }));
    }
    audit::record(
        conn,
        now,
        &actor.name,
        audit::Action::ScreenToken,
        &format!("screen {id}"),
        "new token issued",
    )?;
    Ok(token)
}

/// The screen a bearer token belongs to, which must be `id`.
pub fn authenticate(conn: &Conn, token: &str, id: &str) -> Result<(), Error> {
    let owner = store::screen_of_token(conn, &passwords::token_hash(token))?;
    match owner {
        None => Err(Error::Unauthenticated("unknown screen token".into())),
        Some(owner) if owner != id => Err(Error::Forbidden(crate::model::Reason::Detail(format!(
            "this token belongs to screen {owner:?}, not {id:?}"
        )))),
        Some(_) => Ok(()),
    }
}

/// Records a heartbeat; answers whether staff asked for a screenshot.
pub fn heartbeat(conn: &Conn, id: &str, beat: &Heartbeat, now: Timestamp) -> Result<bool, Error> {
    if beat.screen_id != id {
        return Err(Error::invalid(
            "screen_id",
            crate::model::Reason::ScreenDiffers {
                got: beat.screen_id.clone(),
                want: id.to_string(),
            },
        ));
    }
    if beat.sequence.is_some_and(|s| s < 0) {
        return Err(Error::invalid("sequence", crate::model::Reason::Negative));
    }
    // Ten years of uptime is already implausible; more is a broken or hostile screen.
    if beat
        .uptime_s
        .is_some_and(|u| !(0..=10 * 366 * 86_400).contains(&u))
    {
        return Err(Error::invalid(
            "uptime_s",
            crate::model::Reason::UptimeOutOfRange,
        ));
    }
    let clip = |s: &Option<String>| s.as_ref().map(|s| s.chars().take(500).collect::<String>());
    let mut last_error = clip(&beat.last_error);
    if let Some(key) = &beat.device_key {
        let key = crate::feed::TrustedKey::parse(key).map_err(|e| {
            Error::invalid("device_key", crate::model::Reason::NotAKey(e.to_string()))
        })?;
        if let Some(why) = present_key(conn, id, &key, now)? {
            last_error = last_error.or(Some(why));
        }
    }
    let (adapter, power, clock) = (clip(&beat.adapter), clip(&beat.power), clip(&beat.clock));
    let row = BeatRow {
        sequence: beat.sequence,
        uptime_s: beat.uptime_s,
        adapter: adapter.as_deref(),
        last_error: last_error.as_deref(),
        power: power.as_deref(),
        clock: clock.as_deref(),
    };
    store::update_heartbeat(conn, id, row, now)?;
    store::screenshot_requested(conn, id)
}

/// Forgets screen `id`'s device key (a replaced screen): its next heartbeat pins the new one.
/// Audited: from then on plays signed by the new key count for it.
pub fn reset_device_key(conn: &Conn, admin: &User, id: &str, now: Timestamp) -> Result<(), Error> {
    admin.require(&[Role::Secadmin], "reset screens' device keys")?;
    let old: Option<String> = store::device_key(conn, id)?
        .ok_or_else(|| Error::NotFound(crate::model::Reason::NoScreen { id: id.to_string() }))?;
    let old_id = old
        .and_then(|k| crate::feed::TrustedKey::parse(&k).ok())
        .map(|k| k.id)
        .unwrap_or_default();
    store::reset_device_key(conn, id, now)?;
    crate::service::domain::audit::record(
        conn,
        now,
        &admin.name,
        crate::service::domain::audit::Action::ScreenDeviceKeyReset,
        &format!("screen {id}"),
        &old_id,
    )?;
    Ok(())
}

/// A device key a screen's heartbeat presents. Not pinned by whoever comes first (a copied
/// token would win): while none is confirmed, every key is a candidate until a security
/// administrator confirms the one the screen itself shows (`confirm_device_key`), or the key
/// whose id they read off the screen beforehand arrives. Returns what staff should know.
fn present_key(
    conn: &Conn,
    id: &str,
    key: &crate::feed::TrustedKey,
    now: Timestamp,
) -> Result<Option<String>, Error> {
    let (confirmed, expected, expected_by) = store::key_state(conn, id)?;
    if let Some(confirmed) = confirmed {
        // A replaced screen, or a copied token: its plays are refused until the key is reset
        // and the new one confirmed, and staff see why.
        return Ok((confirmed != key.to_text()).then(|| {
            format!(
                "device key {} differs from the confirmed one: a security administrator resets \
                 it after a screen was replaced",
                key.id
            )
        }));
    }
    if let (Some(expected), Some(by)) = (expected, expected_by)
        && expected == key.id
    {
        pin(conn, id, key, &by, now)?;
        return Ok(None);
    }
    if store::is_candidate(conn, id, &key.to_text())? {
        store::touch_candidate(conn, id, &key.to_text(), now)?;
    } else {
        let count = store::count_candidates(conn, id)?;
        if count >= MAX_KEY_CANDIDATES {
            // Someone with the token fills the list: the real screen is still confirmed by the
            // id it shows (`confirm_device_key` waits for it), and its heartbeats go on.
            return Ok(Some(format!(
                "{count} device keys were presented for this screen: a copied token? confirm \
                 the key id the screen shows (F12)"
            )));
        }
        store::insert_candidate(conn, id, &key.to_text(), now)?;
        crate::service::domain::audit::record(
            conn,
            now,
            id,
            crate::service::domain::audit::Action::ScreenDeviceKeyCandidate,
            &format!("screen {id}"),
            &key.id,
        )?;
    }
    Ok(Some(format!(
        "device key {} awaits confirmation: a security administrator compares it with the key \
         id the screen shows (F12) and confirms it",
        key.id
    )))
}

/// What confirming a key id did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Confirmation {
    /// The screen had presented that key: its plays count from now on.
    Confirmed,
    /// Not presented yet: the key with that id is confirmed when the screen's heartbeat brings
    /// it (a candidate list filled by someone else does not stand in the way).
    Awaited,
}

/// Confirms the device key of screen `id` whose key id is `key_id`: the security administrator
/// read that id off the screen itself (the F12 overlay, or the player's log), so the key is the
/// real screen's and not a copied token's. From then on plays signed by it count (公示证明, the
/// report). The screen's enrolment and tokens belong to the system administrator: one person
/// alone can no longer enrol a screen that never existed and make its evidence.
pub fn confirm_device_key(
    conn: &Conn,
    admin: &User,
    id: &str,
    key_id: &str,
    now: Timestamp,
) -> Result<Confirmation, Error> {
    admin.require(&[Role::Secadmin], "confirm screens' device keys")?;
    let key_id = key_id.trim().to_ascii_lowercase();
    if key_id.len() != 16 || !key_id.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(Error::invalid(
            "key_id",
            crate::model::Reason::NotAKeyId {
                text: key_id.to_string(),
            },
        ));
    }
    let confirmed: Option<String> = store::device_key(conn, id)?
        .ok_or_else(|| Error::NotFound(crate::model::Reason::NoScreen { id: id.to_string() }))?;
    if let Some(confirmed) = confirmed {
        let current = crate::feed::TrustedKey::parse(&confirmed)
            .map(|k| k.id)
            .unwrap_or_default();
        if current == key_id {
            return Ok(Confirmation::Confirmed);
        }
        return Err(Error::Conflict(crate::model::Reason::KeyAlreadyConfirmed {
            id: id.to_string(),
            key: current,
        }));
    }
    if let Some(key) = candidates(conn, id)?.into_iter().find(|c| c.id == key_id) {
        pin(conn, id, &key, &admin.name, now)?;
        return Ok(Confirmation::Confirmed);
    }
    store::expect_key(conn, id, &key_id, &admin.name)?;
    crate::service::domain::audit::record(
        conn,
        now,
        &admin.name,
        crate::service::domain::audit::Action::ScreenDeviceKeyExpect,
        &format!("screen {id}"),
        &key_id,
    )?;
    Ok(Confirmation::Awaited)
}

/// Makes `key` screen `id`'s confirmed device key, as `by` confirmed it.
fn pin(
    conn: &Conn,
    id: &str,
    key: &crate::feed::TrustedKey,
    by: &str,
    now: Timestamp,
) -> Result<(), Error> {
    store::pin_key(conn, id, &key.to_text(), by, now)?;
    crate::service::domain::audit::record(
        conn,
        now,
        by,
        crate::service::domain::audit::Action::ScreenDeviceKeyConfirm,
        &format!("screen {id}"),
        &key.id,
    )
}

/// The device keys screen `id` presented that await confirmation, oldest first.
pub fn candidates(conn: &Conn, id: &str) -> Result<Vec<crate::feed::TrustedKey>, Error> {
    let keys = store::candidate_keys(conn, id)?;
    Ok(keys
        .iter()
        .filter_map(|k| crate::feed::TrustedKey::parse(k).ok())
        .collect())
}

/// The largest screenshot accepted: a 2160x3840 terminal page compresses far below this.
pub const MAX_SCREENSHOT: usize = 16 * 1024 * 1024;

/// A screenshot must be a whole PNG of a screen's size: decoded here (within a memory limit)
/// before it is kept and shown to staff.
pub fn check_png(bytes: &[u8]) -> Result<(), Error> {
    let bad = |why: crate::model::Reason| Error::invalid("body", why);
    let mut decoder = png::Decoder::new_with_limits(
        std::io::Cursor::new(bytes),
        png::Limits {
            bytes: 4 * crate::model::MAX_PIXELS as usize + 1024,
        },
    );
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = decoder
        .read_info()
        .map_err(|e| bad(crate::model::Reason::NotAPng(e.to_string())))?;
    let (w, h) = (reader.info().width, reader.info().height);
    if w > crate::model::MAX_SIDE
        || h > crate::model::MAX_SIDE
        || (w as u64) * (h as u64) > crate::model::MAX_PIXELS
    {
        return Err(bad(crate::model::Reason::ImageTooLarge {
            width: w,
            height: h,
        }));
    }
    let mut buffer = vec![0; reader.output_buffer_size().unwrap_or(0)];
    reader
        .next_frame(&mut buffer)
        .map_err(|e| bad(crate::model::Reason::NotAWholePng(e.to_string())))?;
    Ok(())
}

/// Staff ask for what a screen shows now; its next heartbeat answer passes the request on.
pub fn request_screenshot(
    conn: &Conn,
    actor: &User,
    id: &str,
    now: Timestamp,
) -> Result<(), Error> {
    let changed = store::request_screenshot(conn, id)?;
    if changed == 0 {
        return Err(Error::NotFound(crate::model::Reason::NoScreen {
            id: id.to_string(),
        }));
    }
    audit::record(
        conn,
        now,
        &actor.name,
        audit::Action::ScreenScreenshot,
        &format!("screen {id}"),
        "requested",
    )
}

pub fn store_screenshot(conn: &Conn, id: &str, png: &[u8], now: Timestamp) -> Result<(), Error> {
    let requested: bool = store::find_screenshot_requested(conn, id)?
        .ok_or_else(|| Error::NotFound(crate::model::Reason::NoScreen { id: id.to_string() }))?;
    if !requested {
        return Err(Error::Conflict(crate::model::Reason::Detail(
            "no screenshot was asked for: staff ask first".into(),
        )));
    }
    check_png(png)?;
    store::store_screenshot(conn, id, png, now)
}

/// The latest screenshot of a screen and when it arrived.
pub fn screenshot(conn: &Conn, id: &str) -> Result<(String, Vec<u8>), Error> {
    store::screenshot(conn, id)?
        .ok_or_else(|| Error::NotFound(crate::model::Reason::NoScreenshot { id: id.to_string() }))
}

pub fn list(conn: &Conn, now: Timestamp) -> Result<Vec<ScreenInfo>, Error> {
    let mut rows = Vec::new();
    for r in store::list(conn)? {
        let online = r
            .last_seen
            .as_deref()
            .and_then(|t| Timestamp::parse_from_rfc3339(t).ok())
            .is_some_and(|t| now - t <= ONLINE_WITHIN && t <= now + ONLINE_WITHIN);
        rows.push(ScreenInfo {
            id: r.id,
            group: r.group,
            kind: r.kind,
            created_at: r.created_at,
            last_seen: r.last_seen,
            online,
            sequence: r.sequence,
            feed_sequence: r.feed_sequence,
            uptime_s: r.uptime_s,
            adapter: r.adapter,
            last_error: r.last_error,
            dropped: r.dropped,
            screenshot_requested: r.screenshot_requested,
            screenshot_at: r.screenshot_at,
            power: r.power,
            clock: r.clock,
            refused: r.refused,
            device_key_id: r
                .device_key
                .and_then(|k| crate::feed::TrustedKey::parse(&k).ok())
                .map(|k| k.id),
            device_key_confirmed_by: r.device_key_confirmed_by,
            device_key_candidates: Vec::new(),
            label: r.label,
            group_label: String::new(),
        });
    }
    let labels = groups::labels(conn)?;
    for row in &mut rows {
        row.group_label = labels.of(&row.group).to_string();
        row.device_key_candidates = candidates(conn, &row.id)?
            .into_iter()
            .map(|k| k.id)
            .collect();
    }
    Ok(rows)
}
