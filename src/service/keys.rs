//! The office's feed signing key: created on first start in the data folder, readable by the
//! service's user only. Screens trust its public half (GET /feed/keys).

use std::fs;
use std::io::Write;
use std::path::Path;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use ed25519_dalek::SigningKey;

pub const KEY_FILE: &str = "signing.key";

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("{path}: {reason}")]
    Bad { path: String, reason: String },
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
}

/// Loads `DIR/signing.key` (base64 of the 32-byte Ed25519 seed), creating it if absent.
pub fn load_or_create(dir: &Path) -> Result<SigningKey, KeyError> {
    let path = dir.join(KEY_FILE);
    let name = path.display().to_string();
    let io = |source| KeyError::Io {
        path: name.clone(),
        source,
    };
    match fs::read_to_string(&path) {
        Ok(text) => {
            let bad = |reason: String| KeyError::Bad {
                path: name.clone(),
                reason,
            };
            // A key others can read is a key others may have copied.
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                let mode = fs::metadata(&path).map_err(io)?.permissions().mode();
                if mode & 0o077 != 0 {
                    return Err(bad(format!(
                        "readable by others (mode {:o}): chmod 600 it, and rotate it if it may \
                         have been copied",
                        mode & 0o777
                    )));
                }
            }
            let bytes = BASE64
                .decode(text.trim())
                .map_err(|e| bad(format!("not base64: {e}")))?;
            let seed: [u8; 32] = bytes
                .try_into()
                .map_err(|b: Vec<u8>| bad(format!("{} bytes, an Ed25519 seed has 32", b.len())))?;
            Ok(SigningKey::from_bytes(&seed))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let mut seed = [0u8; 32];
            getrandom::fill(&mut seed).map_err(|e| KeyError::Bad {
                path: name.clone(),
                reason: format!("no random numbers: {e}"),
            })?;
            let mut options = fs::OpenOptions::new();
            options.write(true).create_new(true);
            #[cfg(unix)]
            {
                use std::os::unix::fs::OpenOptionsExt;
                options.mode(0o600);
            }
            let mut file = options.open(&path).map_err(io)?;
            file.write_all(format!("{}\n", BASE64.encode(seed)).as_bytes())
                .and_then(|()| file.sync_all())
                .map_err(io)?;
            tracing::info!("created the feed signing key {name}");
            Ok(SigningKey::from_bytes(&seed))
        }
        Err(e) => Err(io(e)),
    }
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
}
