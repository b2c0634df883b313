//! The office's feed signing keys: created on first start in the data folder, readable by the
//! service's user only, of the suite `serve --suite` names (Ed25519 by default, or SM2; a key
//! that exists keeps its suite, and a rotation keeps it too). Screens trust their public halves
//! (`GET /feed/keys`, `trusted_keys` in player.toml, and the keys a trusted feed announces).
//!
//! Rotation (`noticecast key rotate`, docs/DEPLOY.md): a new key becomes `signing.key`; the old
//! one stays as `signing.previous.key` until the time in `signing.previous.until`. Until then
//! every feed is signed by both and announces both (`signing_keys`), so a screen that trusts
//! only the old key accepts the feed, learns the new key from it, and keeps accepting feeds when
//! the old key's signature stops: no screen is orphaned and nobody visits one.
//!
//! The database records which key ids are current and previous and until when (`Recorded`,
//! table `feed_keys`), written when a key is made and by `key rotate` (audited); at every start
//! the files must hold the recorded keys, or the service refuses to start naming the file. A key
//! planted as `signing.previous.key` was once announced to every screen, and an edited
//! `signing.previous.until` kept an old key signing, silently.

use std::fs;
use std::path::Path;
use std::sync::Arc;

use crate::feed::keyfile;
use crate::feed::suite::{SecretKey, Signer, Suite};
use crate::service::domain::error::Error;
use crate::service::domain::storage::Conn;
use crate::service::domain::storage::keys as store;

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
    #[error("the feed keys' record in the database: {0}")]
    Database(String),
}

impl From<Error> for KeyError {
    /// A storage failure, worded as before storage had its own module: the database's message
    /// without the domain's `database: ` before it.
    fn from(e: Error) -> KeyError {
        match e {
            Error::Internal(m) => match m.strip_prefix("database: ") {
                Some(rest) => KeyError::Database(rest.to_string()),
                None => KeyError::Database(m),
            },
            other => KeyError::Database(other.to_string()),
        }
    }
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

/// `noticecast key rotate`, first step: a new key of the same suite, staged as
/// `signing.key.new`, and the record that makes it current with the old key signing beside it
/// until `now + overlap`. Refused while an earlier rotation's period runs (a screen that learned
/// only the middle key would be orphaned) and where the files do not match `record`. The caller
/// writes the record (with its audit entry) and then `complete_rotation`: a crash between the
/// two leaves a record that the next start completes. The service takes the new keys at its
/// next start.
pub fn stage_rotation(
    dir: &Path,
    record: Option<&Recorded>,
    now: Timestamp,
    overlap: chrono::Duration,
) -> Result<(SecretKey, Timestamp, Recorded), KeyError> {
    let current_path = dir.join(KEY_FILE);
    let current = keyfile::read(&current_path)?.ok_or_else(|| KeyError::Bad {
        path: current_path.display().to_string(),
        reason: "no key to rotate: is this the service's data folder?".into(),
    })?;
    let ring = Keyring::load(dir, current.suite())?;
    let record = match record {
        Some(r) if r.current.is_some() => {
            check(dir, &ring, r, now)?;
            r.clone()
        }
        // Never recorded (a data folder from before records): the files as they are.
        _ => record_of(&ring, false),
    };
    if let Some((_, until)) = record.previous.as_ref().filter(|(_, u)| now < *u) {
        return Err(KeyError::Bad {
            path: dir.join(PREVIOUS_KEY_FILE).display().to_string(),
            reason: format!(
                "the previous rotation's key still signs until {}: rotate again after that",
                until.to_rfc3339()
            ),
        });
    }
    let until = now + overlap;
    let new = keyfile::generate(&current_path, current.suite())?;
    keyfile::write_private(&dir.join(STAGED_KEY_FILE), &new.to_text())?;
    let record = Recorded {
        current: Some(new.public_key().key_id()),
        implicit: false,
        previous: Some((current.public_key().key_id(), until)),
    };
    Ok((new, until, record))
}

/// `noticecast key rotate`: a new `signing.key` of the same suite; the old one signs beside it
/// until `now + overlap`. The rotation is recorded in the data folder's database with its audit
/// entry, in one transaction, between staging the new key and putting it in place
/// (`stage_rotation`, `complete_rotation`). Returns the new key and the end of the period. The
/// service may be running (SQLite waits for its lock); it takes the new keys at its next start.
pub fn rotate(
    dir: &Path,
    database: Option<(&str, &str)>,
    now: Timestamp,
    overlap: chrono::Duration,
) -> Result<(SecretKey, Timestamp), KeyError> {
    use crate::service::domain::storage;
    // The database the keys are recorded in: PostgreSQL's (URL, schema), or the folder's file.
    let mut conn = match database {
        Some((url, schema)) => storage::open_url(url, schema),
        None => storage::open(&dir.join(storage::DB_FILE)),
    }
    .map_err(|e| KeyError::Database(e.to_string()))?;
    let record = recorded(&conn)?;
    let (new, until, record) = stage_rotation(dir, record.as_ref(), now, overlap)?;
    store::in_transaction(&mut conn, |tx| {
        write_record(tx, &record, now)?;
        let audited = crate::service::domain::audit::set_source(tx, "host").and_then(|()| {
            crate::service::domain::audit::record(
                tx,
                now,
                "command line",
                crate::service::domain::audit::Action::KeyRotate,
                &format!("feed key {}", record.current.as_deref().unwrap_or("")),
                &format!(
                    "{}; the old key {} signs beside it until {}",
                    new.suite(),
                    record.previous.as_ref().map_or("", |(id, _)| id.as_str()),
                    until.to_rfc3339()
                ),
            )
        });
        audited.map_err(|e| KeyError::Database(e.to_string()))
    })?;
    complete_rotation(dir, &record)?;
    Ok((new, until))
}

/// The staged new key of a rotation, renamed to `signing.key` once the database records it.
pub const STAGED_KEY_FILE: &str = "signing.key.new";

/// What the database records of the feed keys (`feed_keys`).
#[derive(Debug, Clone, PartialEq)]
pub struct Recorded {
    /// The current key's id; `None` for a database whose feeds were signed before keys were
    /// recorded (the file's id is recorded at the next start).
    pub current: Option<String>,
    /// Made by a command that publishes nothing (`user add` before the first `serve`): `serve
    /// --suite` may still replace it.
    pub implicit: bool,
    /// The previous key's id and until when it signs.
    pub previous: Option<(String, Timestamp)>,
}

/// The record, or `None` where no key was ever recorded (a new data folder).
pub fn recorded(conn: &Conn) -> Result<Option<Recorded>, KeyError> {
    let current = store::select_current(conn)?;
    let Some((current, implicit)) = current else {
        return Ok(None);
    };
    let previous = store::select_previous(conn)?;
    let previous = match previous {
        None => None,
        Some((id, until)) => Some((
            id,
            Timestamp::parse_from_rfc3339(&until).map_err(|e| KeyError::Bad {
                path: "feed_keys".into(),
                reason: format!("the previous key's end {until:?}: {e}"),
            })?,
        )),
    };
    Ok(Some(Recorded {
        current,
        implicit,
        previous,
    }))
}

/// Writes the record (replacing it).
pub fn write_record(conn: &Conn, record: &Recorded, now: Timestamp) -> Result<(), KeyError> {
    let until = record.previous.as_ref().map(|(id, u)| (id, u.to_rfc3339()));
    store::replace_record(
        conn,
        record.current.as_deref(),
        record.implicit,
        until.as_ref().map(|(id, u)| (id.as_str(), u.as_str())),
        &now.to_rfc3339(),
    )?;
    Ok(())
}

/// What the key files hold, as a record (to record a data folder's keys for the first time).
pub fn record_of(ring: &Keyring, implicit: bool) -> Recorded {
    Recorded {
        current: Some(ring.current.public_key().key_id()),
        implicit,
        previous: ring
            .previous
            .as_ref()
            .map(|(k, until)| (k.public_key().key_id(), *until)),
    }
}

/// The key files against the record: `signing.key` must hold the recorded current key, and
/// `signing.previous.key` and `signing.previous.until` the recorded previous key and its end
/// (a previous key whose time is over may be gone). Any other key is refused, naming the file.
pub fn check(
    dir: &Path,
    ring: &Keyring,
    record: &Recorded,
    now: Timestamp,
) -> Result<(), KeyError> {
    let bad = |file: &str, reason: String| KeyError::Bad {
        path: dir.join(file).display().to_string(),
        reason,
    };
    let restore = "restore the data folder's key files from its backup; keys change only \
                   through `noticecast key rotate`";
    if let Some(id) = &record.current {
        let file = ring.current.public_key().key_id();
        if &file != id {
            return Err(bad(
                KEY_FILE,
                format!(
                    "holds key {file}, but the database records {id} as the current feed key: \
                     {restore}"
                ),
            ));
        }
    }
    match (&ring.previous, &record.previous) {
        (None, None) => Ok(()),
        (None, Some((_, until))) if *until <= now => Ok(()),
        (None, Some((id, until))) => Err(bad(
            PREVIOUS_KEY_FILE,
            format!(
                "is missing, but the database records {id} as the previous key, signing until \
                 {}: {restore}",
                until.to_rfc3339()
            ),
        )),
        (Some((key, _)), None) => Err(bad(
            PREVIOUS_KEY_FILE,
            format!(
                "holds key {}, which no rotation recorded: it would be announced to every \
                 screen. Remove it, or {restore}",
                key.public_key().key_id()
            ),
        )),
        (Some((key, file_until)), Some((id, until))) => {
            let file = key.public_key().key_id();
            if &file != id {
                return Err(bad(
                    PREVIOUS_KEY_FILE,
                    format!(
                        "holds key {file}, but the database records {id} as the previous key: \
                         {restore}"
                    ),
                ));
            }
            if file_until != until {
                return Err(bad(
                    PREVIOUS_UNTIL_FILE,
                    format!(
                        "says {}, but the database records that the previous key signs until \
                         {}: {restore}",
                        file_until.to_rfc3339(),
                        until.to_rfc3339()
                    ),
                ));
            }
            Ok(())
        }
    }
}

/// Finishes a rotation the database has recorded but the files do not show yet (the new key
/// still staged): the old key becomes the previous one with the recorded end, the staged key
/// `signing.key`. Nothing to do otherwise. `key rotate` ends with this, and a start after a
/// rotation interrupted between the two steps finishes it.
pub fn complete_rotation(dir: &Path, record: &Recorded) -> Result<(), KeyError> {
    let staged_path = dir.join(STAGED_KEY_FILE);
    let Some(staged) = keyfile::read(&staged_path)? else {
        return Ok(());
    };
    if record.current.as_deref() != Some(staged.public_key().key_id().as_str()) {
        // A rotation that never reached the database: the staged key was never anyone's.
        fs::remove_file(&staged_path).map_err(|source| KeyError::Io {
            path: staged_path.display().to_string(),
            source,
        })?;
        return Ok(());
    }
    let current_path = dir.join(KEY_FILE);
    if let (Some(current), Some((id, until))) = (keyfile::read(&current_path)?, &record.previous)
        && &current.public_key().key_id() == id
    {
        keyfile::write_private(&dir.join(PREVIOUS_KEY_FILE), &current.to_text())?;
        keyfile::write_private(&dir.join(PREVIOUS_UNTIL_FILE), &until.to_rfc3339())?;
    }
    fs::rename(&staged_path, &current_path).map_err(|source| KeyError::Io {
        path: current_path.display().to_string(),
        source,
    })?;
    if let Ok(folder) = fs::File::open(dir) {
        let _ = folder.sync_all();
    }
    Ok(())
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
            let (new, until) = rotate(dir.path(), None, now, chrono::Duration::days(30)).unwrap();
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
            let err = rotate(dir.path(), None, now, chrono::Duration::days(30)).unwrap_err();
            assert!(err.to_string().contains("still signs until"), "{err}");
            let (newer, _) = rotate(dir.path(), None, until, chrono::Duration::days(30)).unwrap();
            let ring = Keyring::load(dir.path(), Suite::Ed25519).unwrap();
            assert_eq!(ring.current.public_key(), newer.public_key());
            assert_eq!(ring.previous.unwrap().0.public_key(), new);
        }
    }

    use chrono::TimeZone;
}
