//! Key files, the office's feed keys and a screen's device key alike: the base64 of the 32
//! secret bytes on one line (`sm2:` before an SM2 key; a bare key is an Ed25519 seed), readable
//! by the owner only, written whole (flushed before use).

use std::fs;
use std::io::Write;
use std::path::Path;

use super::suite::{SecretKey, Suite};

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
pub fn read(path: &Path) -> Result<Option<SecretKey>, KeyFileError> {
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
    SecretKey::parse(&text)
        .map(Some)
        .map_err(|reason| error(path, reason))
}

/// A new random key of `suite` (`path` names the key it is for, in the error).
pub fn generate(path: &Path, suite: Suite) -> Result<SecretKey, KeyFileError> {
    SecretKey::generate(suite, |bytes| getrandom::fill(bytes))
        .map_err(|e| error(path, format!("no random numbers: {e}")))
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

/// The key in `path`, made (and logged) as a `suite` key if there is none; a key that is there
/// keeps its own suite.
pub fn load_or_create(path: &Path, suite: Suite) -> Result<SecretKey, KeyFileError> {
    if let Some(key) = read(path)? {
        return Ok(key);
    }
    let key = generate(path, suite)?;
    write_private(path, &key.to_text())?;
    tracing::info!("created the {suite} key {}", path.display());
    Ok(key)
}
