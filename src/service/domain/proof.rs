//! The evidence of a 公示 gathered from the database (`proof::Bundle`): the signed feeds that
//! carried the notice (`feed_history`), the screens of their groups with their pinned device
//! keys, and the screens' signed play uploads that recorded it (`play_envelopes`), kept as
//! received. The certificate is computed from this bundle alone (`crate::proof::certify`).

use base64::Engine;
use rusqlite::params;

use crate::feed::envelope::{self, Envelope};
use crate::model::{FeedDocument, Timestamp};
use crate::proof::{
    BUNDLE_FORMAT, Bundle, CERTIFICATE_PAYLOAD_TYPE, FormerKey, PlaysEntry, ScreenEntry,
};
use crate::service::domain::error::Error;
use crate::service::domain::keys::Keyring;
use crate::service::domain::storage::Conn;

/// The notice's evidence as of `now`, with the certificate computed from it and signed.
pub fn bundle(conn: &Conn, keys: &Keyring, id: &str, now: Timestamp) -> Result<Bundle, Error> {
    // The notice must exist (404 otherwise).
    crate::service::domain::notices::get(conn, id)?;
    let mut feeds = Vec::new();
    let mut groups = std::collections::BTreeSet::new();
    {
        let mut stmt = conn.prepare(
            "SELECT group_name, envelope FROM feed_history ORDER BY group_name, sequence",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        for row in rows {
            let (group, text) = row?;
            let envelope = Envelope::from_json(text.as_bytes())
                .map_err(|e| Error::Internal(format!("feed_history {group}: {e}")))?;
            let payload = base64::engine::general_purpose::STANDARD
                .decode(&envelope.payload)
                .map_err(|e| Error::Internal(format!("feed_history {group}: {e}")))?;
            let doc: FeedDocument = serde_json::from_slice(&payload)
                .map_err(|e| Error::Internal(format!("feed_history {group}: {e}")))?;
            if doc.notices.iter().any(|n| n.id == id) {
                groups.insert(group);
                feeds.push(envelope);
            }
        }
    }
    if feeds.is_empty() {
        return Err(Error::NotFound(crate::model::Reason::Detail(format!(
            "no signed feed has carried notice {id} with a 公示期 yet"
        ))));
    }
    let mut screens = Vec::new();
    {
        let mut stmt = conn.prepare(
            "SELECT id, group_name, device_key FROM screens WHERE group_name = ?1 ORDER BY id",
        )?;
        for group in &groups {
            let rows = stmt.query_map([group], |r| {
                Ok(ScreenEntry {
                    id: r.get(0)?,
                    group: r.get(1)?,
                    device_key: r.get(2)?,
                    former_keys: Vec::new(),
                })
            })?;
            for row in rows {
                screens.push(row?);
            }
        }
    }
    // The keys a screen had before it was replaced: its evidence up to then.
    {
        let mut stmt = conn.prepare(
            "SELECT key, retired_at FROM device_keys
             WHERE screen_id = ?1 AND retired_at IS NOT NULL ORDER BY confirmed_at",
        )?;
        for screen in &mut screens {
            let rows = stmt.query_map([&screen.id], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
            })?;
            for row in rows {
                let (key, until) = row?;
                let until = Timestamp::parse_from_rfc3339(&until)
                    .map_err(|e| Error::Internal(format!("device_keys: {e}")))?;
                screen.former_keys.push(FormerKey { key, until });
            }
        }
    }
    let mut plays = Vec::new();
    {
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
        for row in rows {
            let (envelope_id, screen_id, received_at, text) = row?;
            let envelope = Envelope::from_json(text.as_bytes())
                .map_err(|e| Error::Internal(format!("play envelope: {e}")))?;
            let accepted = accepted
                .query_map(params![envelope_id, id], |r| r.get::<_, String>(0))?
                .collect::<Result<Vec<_>, _>>()?;
            plays.push(PlaysEntry {
                screen_id,
                received_at,
                envelope,
                accepted,
            });
        }
    }
    // The current key first (it signs the certificate), then every key that signed a kept
    // feed: after two rotations the first key's feeds still verify.
    let mut feed_keys = vec![keys.current.public_key().to_text()];
    if let Some((previous, _)) = &keys.previous {
        feed_keys.push(previous.public_key().to_text());
    }
    {
        let mut stmt =
            conn.prepare("SELECT public_key FROM feed_public_keys ORDER BY first_used, key_id")?;
        for key in stmt.query_map([], |r| r.get::<_, String>(0))? {
            let key = key?;
            if !feed_keys.contains(&key) {
                feed_keys.push(key);
            }
        }
    }
    let mut bundle = Bundle {
        format: BUNDLE_FORMAT.into(),
        notice_id: id.to_string(),
        generated_at: now,
        feed_keys,
        feeds,
        screens,
        plays,
        calendar: crate::service::domain::calendar::calendar(conn)?,
        certificate: None,
    };
    let certificate = crate::proof::certify(&bundle).map_err(|e| Error::Internal(e.to_string()))?;
    let payload = serde_json::to_vec(&certificate)
        .map_err(|e| Error::Internal(format!("certificate: {e}")))?;
    bundle.certificate = Some(envelope::sign_as(
        CERTIFICATE_PAYLOAD_TYPE,
        &payload,
        &[keys.current.as_ref()],
    )?);
    Ok(bundle)
}
