//! The evidence of a 公示 gathered from the database (`proof::Bundle`): the signed feeds that
//! carried the notice (`feed_history`), the screens of their groups with their pinned device
//! keys, and the screens' signed play uploads that recorded it (`play_envelopes`), kept as
//! received. The certificate is computed from this bundle alone (`crate::proof::certify`).

use base64::Engine;

use crate::feed::envelope::{self, Envelope};
use crate::model::{FeedDocument, Timestamp};
use crate::proof::{
    BUNDLE_FORMAT, Bundle, CERTIFICATE_PAYLOAD_TYPE, FormerKey, PlaysEntry, ScreenEntry,
};
use crate::service::domain::error::Error;
use crate::service::domain::keys::Keyring;
use crate::service::domain::storage::{self, Conn};

/// The notice's evidence as of `now`, with the certificate computed from it and signed.
pub fn bundle(conn: &Conn, keys: &Keyring, id: &str, now: Timestamp) -> Result<Bundle, Error> {
    // The notice must exist (404 otherwise).
    crate::service::domain::notices::get(conn, id)?;
    let mut feeds = Vec::new();
    let mut groups = std::collections::BTreeSet::new();
    for (group, text) in storage::proof::feed_history(conn)? {
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
    if feeds.is_empty() {
        return Err(Error::NotFound(crate::model::Reason::Detail(format!(
            "no signed feed has carried notice {id} with a 公示期 yet"
        ))));
    }
    let mut screens: Vec<ScreenEntry> = storage::proof::screens_of_groups(conn, &groups)?
        .into_iter()
        .map(|(id, group, device_key)| ScreenEntry {
            id,
            group,
            device_key,
            former_keys: Vec::new(),
        })
        .collect();
    // The keys a screen had before it was replaced: its evidence up to then.
    for screen in &mut screens {
        for (key, until) in storage::proof::retired_keys(conn, &screen.id)? {
            let until = Timestamp::parse_from_rfc3339(&until)
                .map_err(|e| Error::Internal(format!("device_keys: {e}")))?;
            screen.former_keys.push(FormerKey { key, until });
        }
    }
    let mut plays = Vec::new();
    for upload in storage::proof::play_uploads(conn, id)? {
        let envelope = Envelope::from_json(upload.envelope.as_bytes())
            .map_err(|e| Error::Internal(format!("play envelope: {e}")))?;
        plays.push(PlaysEntry {
            screen_id: upload.screen_id,
            received_at: upload.received_at,
            envelope,
            accepted: upload.accepted,
        });
    }
    // The current key first (it signs the certificate), then every key that signed a kept
    // feed: after two rotations the first key's feeds still verify.
    let mut feed_keys = vec![keys.current.public_key().to_text()];
    if let Some((previous, _)) = &keys.previous {
        feed_keys.push(previous.public_key().to_text());
    }
    for key in storage::proof::feed_public_keys(conn)? {
        if !feed_keys.contains(&key) {
            feed_keys.push(key);
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
