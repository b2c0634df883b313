//! The screen's own key (公示证明): an Ed25519 key made at the first start in the cache folder,
//! readable by the player's user only. Its public half goes with every heartbeat (the service
//! pins it at the first one); every upload of play records is signed with it, so a record of what
//! the screen showed is the screen's word, not the service's.

use std::fs;
use std::io::Write;
use std::path::Path;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use ed25519_dalek::SigningKey;

pub const DEVICE_KEY_FILE: &str = "device.key";

/// `DIR/device.key` (base64 of the 32-byte seed), created if absent.
pub fn load_or_create(dir: &Path) -> Result<SigningKey, String> {
    let path = dir.join(DEVICE_KEY_FILE);
    let name = path.display().to_string();
    match fs::read_to_string(&path) {
        Ok(text) => {
            let bytes = BASE64
                .decode(text.trim())
                .map_err(|e| format!("{name}: not base64: {e}"))?;
            let seed: [u8; 32] = bytes
                .try_into()
                .map_err(|b: Vec<u8>| format!("{name}: {} bytes, a seed has 32", b.len()))?;
            Ok(SigningKey::from_bytes(&seed))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
            let mut seed = [0u8; 32];
            getrandom::fill(&mut seed).map_err(|e| format!("{name}: no random numbers: {e}"))?;
            let mut options = fs::OpenOptions::new();
            options.write(true).create_new(true);
            #[cfg(unix)]
            {
                use std::os::unix::fs::OpenOptionsExt;
                options.mode(0o600);
            }
            let mut file = options.open(&path).map_err(|e| format!("{name}: {e}"))?;
            file.write_all(format!("{}\n", BASE64.encode(seed)).as_bytes())
                .and_then(|()| file.sync_all())
                .map_err(|e| format!("{name}: {e}"))?;
            tracing::info!("created the screen's device key {name}");
            Ok(SigningKey::from_bytes(&seed))
        }
        Err(e) => Err(format!("{name}: {e}")),
    }
}

/// The public key as the heartbeat sends it: base64 of its 32 raw bytes.
pub fn public_base64(key: &SigningKey) -> String {
    BASE64.encode(key.verifying_key().as_bytes())
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
