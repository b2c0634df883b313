//! The office's feed signing keys: created on first start in the data folder, readable by the
//! service's user only, of the suite `serve --suite` names (Ed25519 by default, or SM2; a key
//! that exists keeps its suite, and a rotation keeps it too). Screens trust their public halves (`GET /feed/keys`, `trusted_keys` in
//! player.toml, and the keys a trusted feed announces).
//!
//! Rotation (`noticecast key rotate`, docs/DEPLOY.md): a new key becomes `signing.key`; the old
//! one stays as `signing.previous.key` until the time in `signing.previous.until`. Until then
//! every feed is signed by both and announces both (`signing_keys`), so a screen that trusts
//! only the old key accepts the feed, learns the new key from it, and keeps accepting feeds when
//! the old key's signature stops: no screen is orphaned and nobody visits one.

use std::fs;
use std::path::Path;
use std::sync::Arc;

use crate::feed::keyfile;
use crate::feed::suite::{SecretKey, Signer, Suite};

use crate::model::Timestamp;

pub const KEY_FILE: &str = "signing.key";
pub const PREVIOUS_KEY_FILE: &str = "signing.previous.key";
pub const PREVIOUS_UNTIL_FILE: &str = "signing.previous.until";

/// How long the old key still signs after a rotation, by default: screens that were off for
/// up to this long still learn the new key from a feed the old key signed.
pub const OVERLAP_DAYS: i64 = 90;

#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct PublishedKey {
    pub key_id: String,
    /// `ed25519` or `sm2` (SM2 with SM3, user id 1234567812345678).
    #[schema(value_type = String, example = "ed25519")]
    pub algorithm: Suite,
    /// Base64 of the raw public key: Ed25519's 32 bytes, or SM2's 65-byte uncompressed point.
    /// In a screen's `trusted_keys` an SM2 key is written `sm2:` and this.
    pub public_key: String,
    /// For the previous key during a rotation: when feeds stop carrying its signature.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retires_at: Option<String>,
}

#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Keys {
    /// The current key first.
    pub keys: Vec<PublishedKey>,
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

impl PublishedKey {
    /// The key as a screen's `trusted_keys` writes it (`sm2:` before an SM2 key).
    pub fn text(&self) -> String {
        match self.algorithm {
            Suite::Ed25519 => self.public_key.clone(),
            Suite::Sm2 => format!("sm2:{}", self.public_key),
        }
    }
}

/// The keys feeds are signed with. Each is a `Signer`: a key file's key today; a key in a
/// hardware token needs only another way to fill this (docs/crypto.md).
#[derive(Clone)]
pub struct Keyring {
    pub current: Arc<dyn Signer>,
    /// The key before the last rotation, and until when it still signs.
    pub previous: Option<(Arc<dyn Signer>, Timestamp)>,
}

impl std::fmt::Debug for Keyring {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Keyring")
            .field("current", &self.current.public_key())
            .field(
                "previous",
                &self
                    .previous
                    .as_ref()
                    .map(|(k, until)| (k.public_key(), until)),
            )
            .finish()
    }
}

impl Keyring {
    pub fn single(current: impl Signer + 'static) -> Keyring {
        Keyring {
            current: Arc::new(current),
            previous: None,
        }
    }

    /// The suite feeds are signed with.
    pub fn suite(&self) -> Suite {
        self.current.public_key().suite()
    }

    /// The data folder's keys: `signing.key` (created as a `suite` key if absent) and a
    /// previous key if a rotation left one.
    pub fn load(dir: &Path, suite: Suite) -> Result<Keyring, KeyError> {
        let current: Arc<dyn Signer> = Arc::new(load_or_create(dir, suite)?);
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
                Some((Arc::new(key) as Arc<dyn Signer>, until))
            }
        };
        Ok(Keyring { current, previous })
    }

    /// The keys that sign a feed made at `now`: the current one, and the previous one until
    /// its time is up.
    pub fn signers(&self, now: Timestamp) -> Vec<&dyn Signer> {
        let mut keys = vec![self.current.as_ref()];
        if let Some((previous, until)) = &self.previous
            && now < *until
        {
            keys.push(previous.as_ref());
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
        let mut keys = vec![published(self.current.as_ref(), None)];
        if let Some((previous, until)) = &self.previous
            && now < *until
        {
            keys.push(published(previous.as_ref(), Some(until.to_rfc3339())));
        }
        Keys { keys }
    }
}

fn published(key: &dyn Signer, retires_at: Option<String>) -> PublishedKey {
    let public = key.public_key();
    PublishedKey {
        key_id: public.key_id(),
        algorithm: public.suite(),
        public_key: public.to_base64(),
        retires_at,
    }
}

/// `noticecast key rotate`: a new `signing.key` of the same suite; the old one signs beside it
/// until `now + overlap`. Refused while an earlier rotation's period runs (a screen that learned only the
/// middle key would be orphaned). Returns the new key and the end of the period. The service
/// takes the new keys at its next start.
pub fn rotate(
    dir: &Path,
    now: Timestamp,
    overlap: chrono::Duration,
) -> Result<(SecretKey, Timestamp), KeyError> {
    let current_path = dir.join(KEY_FILE);
    let current = keyfile::read(&current_path)?.ok_or_else(|| KeyError::Bad {
        path: current_path.display().to_string(),
        reason: "no key to rotate: is this the service's data folder?".into(),
    })?;
    let ring = Keyring::load(dir, current.suite())?;
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
    keyfile::write_private(&dir.join(PREVIOUS_KEY_FILE), &current.to_text())?;
    keyfile::write_private(&dir.join(PREVIOUS_UNTIL_FILE), &until.to_rfc3339())?;
    let new = keyfile::generate(&current_path, current.suite())?;
    let staged = dir.join("signing.key.new");
    keyfile::write_private(&staged, &new.to_text())?;
    fs::rename(&staged, dir.join(KEY_FILE)).map_err(|source| KeyError::Io {
        path: dir.join(KEY_FILE).display().to_string(),
        source,
    })?;
    if let Ok(folder) = fs::File::open(dir) {
        let _ = folder.sync_all();
    }
    Ok((new, until))
}

/// Loads `DIR/signing.key`, creating a `suite` key if absent.
pub fn load_or_create(dir: &Path, suite: Suite) -> Result<SecretKey, KeyError> {
    Ok(keyfile::load_or_create(&dir.join(KEY_FILE), suite)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn created_once_private_and_reloaded() {
        let dir = tempfile::tempdir().unwrap();
        let key = load_or_create(dir.path(), Suite::Ed25519).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(dir.path().join(KEY_FILE))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        // An existing key keeps its suite, whatever is asked for.
        let again = load_or_create(dir.path(), Suite::Sm2).unwrap();
        assert_eq!(key.to_bytes(), again.to_bytes());
        assert_eq!(again.suite(), Suite::Ed25519);
        fs::write(dir.path().join(KEY_FILE), "c2hvcnQ=\n").unwrap();
        let err = load_or_create(dir.path(), Suite::Ed25519)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("signing.key") && err.contains("5 bytes"),
            "{err}"
        );
    }

    #[test]
    fn a_rotation_keeps_the_old_key_signing_for_its_period_and_one_at_a_time() {
        for suite in [Suite::Ed25519, Suite::Sm2] {
            let dir = tempfile::tempdir().unwrap();
            let old = load_or_create(dir.path(), suite).unwrap().public_key();
            let now = crate::model::beijing_offset()
                .with_ymd_and_hms(2026, 12, 1, 9, 0, 0)
                .unwrap();
            let (new, until) = rotate(dir.path(), now, chrono::Duration::days(30)).unwrap();
            assert_eq!(new.suite(), suite, "a rotation keeps the suite");
            let new = new.public_key();
            let ring = Keyring::load(dir.path(), Suite::Ed25519).unwrap();
            assert_eq!(ring.suite(), suite);
            assert_eq!(ring.current.public_key(), new);
            assert_eq!(ring.signers(now).len(), 2);
            assert_eq!(ring.signers(now)[1].public_key(), old);
            assert_eq!(ring.changes_at(now), Some(until));
            let published = ring.published(now).keys;
            assert_eq!(published.len(), 2);
            assert_eq!(published[0].algorithm, suite);
            assert_eq!(published[0].text(), new.to_text());
            assert_eq!(ring.signers(until).len(), 1);
            assert_eq!(ring.published(until).keys.len(), 1);
            assert_eq!(ring.changes_at(until), None);
            // A second rotation inside the period is refused; after it, allowed.
            let err = rotate(dir.path(), now, chrono::Duration::days(30)).unwrap_err();
            assert!(err.to_string().contains("still signs until"), "{err}");
            let (newer, _) = rotate(dir.path(), until, chrono::Duration::days(30)).unwrap();
            let ring = Keyring::load(dir.path(), Suite::Ed25519).unwrap();
            assert_eq!(ring.current.public_key(), newer.public_key());
            assert_eq!(ring.previous.unwrap().0.public_key(), new);
        }
    }

    use chrono::TimeZone;
}
