//! The office's feed signing keys: created on first start in the data folder, readable by the
//! service's user only. Screens trust their public halves (`GET /feed/keys`, `trusted_keys` in
//! player.toml, and the keys a trusted feed announces).
//!
//! Rotation (`noticecast key rotate`, docs/DEPLOY.md): a new key becomes `signing.key`; the old
//! one stays as `signing.previous.key` until the time in `signing.previous.until`. Until then
//! every feed is signed by both and announces both (`signing_keys`), so a screen that trusts
//! only the old key accepts the feed, learns the new key from it, and keeps accepting feeds when
//! the old key's signature stops: no screen is orphaned and nobody visits one.

use std::fs;
use std::path::Path;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use ed25519_dalek::SigningKey;

use crate::feed::keyfile;

use crate::model::Timestamp;

pub const KEY_FILE: &str = "signing.key";
pub const PREVIOUS_KEY_FILE: &str = "signing.previous.key";
pub const PREVIOUS_UNTIL_FILE: &str = "signing.previous.until";

/// How long the old key still signs after a rotation, by default: screens that were off for
/// up to this long still learn the new key from a feed the old key signed.
pub const OVERLAP_DAYS: i64 = 90;

#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct PublicKey {
    pub key_id: String,
    /// Base64 of the 32 raw bytes of the Ed25519 public key.
    pub public_key: String,
    /// For the previous key during a rotation: when feeds stop carrying its signature.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retires_at: Option<String>,
}

#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Keys {
    /// The current key first.
    pub keys: Vec<PublicKey>,
}

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error(transparent)]
    File(#[from] keyfile::KeyFileError),
    #[error("{path}: {reason}")]
    Bad { path: String, reason: String },
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
}

/// The keys feeds are signed with.
#[derive(Debug, Clone)]
pub struct Keyring {
    pub current: SigningKey,
    /// The key before the last rotation, and until when it still signs.
    pub previous: Option<(SigningKey, Timestamp)>,
}

impl Keyring {
    pub fn single(current: SigningKey) -> Keyring {
        Keyring {
            current,
            previous: None,
        }
    }

    /// The data folder's keys: `signing.key` (created if absent) and a previous key if a
    /// rotation left one.
    pub fn load(dir: &Path) -> Result<Keyring, KeyError> {
        let current = load_or_create(dir)?;
        let previous_path = dir.join(PREVIOUS_KEY_FILE);
        let previous = match keyfile::read(&previous_path)? {
            None => None,
            Some(key) => {
                let until_path = dir.join(PREVIOUS_UNTIL_FILE);
                let name = until_path.display().to_string();
                let text = fs::read_to_string(&until_path).map_err(|source| KeyError::Io {
                    path: name.clone(),
                    source,
                })?;
                let until =
                    Timestamp::parse_from_rfc3339(text.trim()).map_err(|e| KeyError::Bad {
                        path: name,
                        reason: format!("not an RFC 3339 time: {e}"),
                    })?;
                Some((key, until))
            }
        };
        Ok(Keyring { current, previous })
    }

    /// The keys that sign a feed made at `now`: the current one, and the previous one until
    /// its time is up.
    pub fn signers(&self, now: Timestamp) -> Vec<&SigningKey> {
        let mut keys = vec![&self.current];
        if let Some((previous, until)) = &self.previous
            && now < *until
        {
            keys.push(previous);
        }
        keys
    }

    /// When the set of signers changes next (a feed signed before must be signed again then).
    pub fn changes_at(&self, now: Timestamp) -> Option<Timestamp> {
        self.previous
            .as_ref()
            .map(|(_, until)| *until)
            .filter(|until| now < *until)
    }

    /// The public keys to publish at `now` (`GET /feed/keys`).
    pub fn published(&self, now: Timestamp) -> Keys {
        let mut keys = vec![public_key(&self.current, None)];
        if let Some((previous, until)) = &self.previous
            && now < *until
        {
            keys.push(public_key(previous, Some(until.to_rfc3339())));
        }
        Keys { keys }
    }
}

fn public_key(key: &SigningKey, retires_at: Option<String>) -> PublicKey {
    let public = key.verifying_key();
    PublicKey {
        key_id: crate::feed::envelope::key_id(&public),
        public_key: BASE64.encode(public.as_bytes()),
        retires_at,
    }
}

/// `noticecast key rotate`: a new `signing.key`; the old one signs beside it until `now +
/// overlap`. Refused while an earlier rotation's period runs (a screen that learned only the
/// middle key would be orphaned). Returns the new key and the end of the period. The service
/// takes the new keys at its next start.
pub fn rotate(
    dir: &Path,
    now: Timestamp,
    overlap: chrono::Duration,
) -> Result<(SigningKey, Timestamp), KeyError> {
    let ring = Keyring::load(dir)?;
    if let Some(until) = ring.changes_at(now) {
        return Err(KeyError::Bad {
            path: dir.join(PREVIOUS_KEY_FILE).display().to_string(),
            reason: format!(
                "the previous rotation's key still signs until {}: rotate again after that",
                until.to_rfc3339()
            ),
        });
    }
    let until = now + overlap;
    // In an order that a crash at any step leaves a working folder: the old key is copied to
    // the previous key's place first, the new key replaces `signing.key` last, in one rename.
    keyfile::write_private(
        &dir.join(PREVIOUS_KEY_FILE),
        &keyfile::encode(&ring.current.to_bytes()),
    )?;
    keyfile::write_private(&dir.join(PREVIOUS_UNTIL_FILE), &until.to_rfc3339())?;
    let seed = keyfile::random_seed(&dir.join(KEY_FILE))?;
    let staged = dir.join("signing.key.new");
    keyfile::write_private(&staged, &keyfile::encode(&seed))?;
    fs::rename(&staged, dir.join(KEY_FILE)).map_err(|source| KeyError::Io {
        path: dir.join(KEY_FILE).display().to_string(),
        source,
    })?;
    if let Ok(folder) = fs::File::open(dir) {
        let _ = folder.sync_all();
    }
    Ok((SigningKey::from_bytes(&seed), until))
}

/// Loads `DIR/signing.key`, creating it if absent.
pub fn load_or_create(dir: &Path) -> Result<SigningKey, KeyError> {
    Ok(keyfile::load_or_create(&dir.join(KEY_FILE))?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn created_once_private_and_reloaded() {
        let dir = tempfile::tempdir().unwrap();
        let key = load_or_create(dir.path()).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(dir.path().join(KEY_FILE))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let again = load_or_create(dir.path()).unwrap();
        assert_eq!(key.to_bytes(), again.to_bytes());
        fs::write(dir.path().join(KEY_FILE), "c2hvcnQ=\n").unwrap();
        let err = load_or_create(dir.path()).unwrap_err().to_string();
        assert!(
            err.contains("signing.key") && err.contains("5 bytes"),
            "{err}"
        );
    }

    #[test]
    fn a_rotation_keeps_the_old_key_signing_for_its_period_and_one_at_a_time() {
        let dir = tempfile::tempdir().unwrap();
        let old = load_or_create(dir.path()).unwrap();
        let now = crate::model::beijing_offset()
            .with_ymd_and_hms(2026, 12, 1, 9, 0, 0)
            .unwrap();
        let (new, until) = rotate(dir.path(), now, chrono::Duration::days(30)).unwrap();
        let ring = Keyring::load(dir.path()).unwrap();
        assert_eq!(ring.current.to_bytes(), new.to_bytes());
        assert_eq!(ring.signers(now).len(), 2);
        assert_eq!(ring.signers(now)[1].to_bytes(), old.to_bytes());
        assert_eq!(ring.changes_at(now), Some(until));
        assert_eq!(ring.published(now).keys.len(), 2);
        assert_eq!(ring.signers(until).len(), 1);
        assert_eq!(ring.published(until).keys.len(), 1);
        assert_eq!(ring.changes_at(until), None);
        // A second rotation inside the period is refused; after it, allowed.
        let err = rotate(dir.path(), now, chrono::Duration::days(30)).unwrap_err();
        assert!(err.to_string().contains("still signs until"), "{err}");
        let (newer, _) = rotate(dir.path(), until, chrono::Duration::days(30)).unwrap();
        let ring = Keyring::load(dir.path()).unwrap();
        assert_eq!(ring.current.to_bytes(), newer.to_bytes());
        assert_eq!(ring.previous.unwrap().0.to_bytes(), new.to_bytes());
    }

    use chrono::TimeZone;
}
