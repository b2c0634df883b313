//! The screen's own key (公示证明): a key (Ed25519 unless the file holds an SM2 key) made at the
//! first start in the cache folder,
//! readable by the player's user only. Its public half goes with every heartbeat (the service
//! pins it at the first one); every upload of play records is signed with it, so a record of what
//! the screen showed is the screen's word, not the service's.

use std::fs;
use std::path::Path;

use super::keyfile::KeyFileError;
use super::suite::{SecretKey, Signer, Suite};

pub const DEVICE_KEY_FILE: &str = "device.key";

/// Why the device key could not be loaded or made.
#[derive(Debug, thiserror::Error)]
pub enum DeviceKeyError {
    #[error("{dir}: {reason}")]
    Folder { dir: String, reason: std::io::Error },
    #[error(transparent)]
    File(#[from] KeyFileError),
}

/// `DIR/device.key`, created if absent.
pub fn load_or_create(dir: &Path) -> Result<SecretKey, DeviceKeyError> {
    fs::create_dir_all(dir).map_err(|reason| DeviceKeyError::Folder {
        dir: dir.display().to_string(),
        reason,
    })?;
    Ok(super::keyfile::load_or_create(
        &dir.join(DEVICE_KEY_FILE),
        Suite::Ed25519,
    )?)
}

/// The public key as the heartbeat sends it: its text (`suite::PublicKey::to_text`).
pub fn public_text(key: &SecretKey) -> String {
    key.public_key().to_text()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn made_once_private_and_reloaded() {
        let dir = tempfile::tempdir().unwrap();
        let key = load_or_create(dir.path()).unwrap();
        let again = load_or_create(dir.path()).unwrap();
        assert_eq!(key.to_bytes(), again.to_bytes());
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(dir.path().join(DEVICE_KEY_FILE))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}
