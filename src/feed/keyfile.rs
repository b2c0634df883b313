//! Ed25519 key files, the office's feed keys and a screen's device key alike: the base64 of the
//! 32-byte seed on one line, readable by the owner only, written whole (flushed before use).

use std::fs;
use std::io::Write;
use std::path::Path;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use ed25519_dalek::SigningKey;

#[derive(Debug, thiserror::Error)]
#[error("{path}: {reason}")]
pub struct KeyFileError {
    pub path: String,
    pub reason: String,
}

fn error(path: &Path, reason: impl std::fmt::Display) -> KeyFileError {
    KeyFileError {
        path: path.display().to_string(),
        reason: reason.to_string(),
    }
}

/// The key in `path`, or `None` if there is no such file. A file others can read is refused:
/// others may have copied the key.
pub fn read(path: &Path) -> Result<Option<SigningKey>, KeyFileError> {
    let text = match fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(error(path, e)),
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(path)
            .map_err(|e| error(path, e))?
            .permissions()
            .mode();
        if mode & 0o077 != 0 {
            return Err(error(
                path,
                format!(
                    "readable by others (mode {:o}): chmod 600 it, and rotate it if it may have \
                     been copied",
                    mode & 0o777
                ),
            ));
        }
    }
    let bytes = BASE64
        .decode(text.trim())
        .map_err(|e| error(path, format!("not base64: {e}")))?;
    let seed: [u8; 32] = bytes
        .try_into()
        .map_err(|b: Vec<u8>| error(path, format!("{} bytes, an Ed25519 seed has 32", b.len())))?;
    Ok(Some(SigningKey::from_bytes(&seed)))
}

/// A new random seed (`path` names the key it is for, in the error).
pub fn random_seed(path: &Path) -> Result<[u8; 32], KeyFileError> {
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).map_err(|e| error(path, format!("no random numbers: {e}")))?;
    Ok(seed)
}

/// Writes `text` and a newline to `path`, replacing it, mode 600, flushed to disk.
pub fn write_private(path: &Path, text: &str) -> Result<(), KeyFileError> {
    let _ = fs::remove_file(path);
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path).map_err(|e| error(path, e))?;
    file.write_all(format!("{text}\n").as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(|e| error(path, e))
}

/// `seed` as a key file's text.
pub fn encode(seed: &[u8; 32]) -> String {
    BASE64.encode(seed)
}

/// The key in `path`, made (and logged) if there is none.
pub fn load_or_create(path: &Path) -> Result<SigningKey, KeyFileError> {
    if let Some(key) = read(path)? {
        return Ok(key);
    }
    let seed = random_seed(path)?;
    write_private(path, &encode(&seed))?;
    tracing::info!("created the key {}", path.display());
    Ok(SigningKey::from_bytes(&seed))
}
