//! Files a feed refers to, stored by content hash: `cache_dir/assets/<sha256>`. A file is kept
//! only after its SHA-256 matched, so whatever is in the store can be used as it is.

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

/// Hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Why an asset was not kept.
#[derive(Debug, thiserror::Error)]
pub enum AssetError {
    /// What the server sent is not what the signed feed lists.
    #[error("content hash {got} differs from the feed's {want}")]
    Mismatch { got: String, want: String },
    #[error("{dir}: {reason}")]
    Write { dir: String, reason: std::io::Error },
}

pub struct AssetStore {
    dir: PathBuf,
}

impl AssetStore {
    pub fn open(cache_dir: &Path) -> std::io::Result<AssetStore> {
        let dir = cache_dir.join("assets");
        fs::create_dir_all(&dir)?;
        Ok(AssetStore { dir })
    }

    pub fn path(&self, sha256: &str) -> PathBuf {
        self.dir.join(sha256)
    }

    /// Whether a verified copy is here.
    pub fn has(&self, sha256: &str) -> bool {
        self.size(sha256).is_some()
    }

    /// The size of the verified copy, if one is here.
    pub fn size(&self, sha256: &str) -> Option<u64> {
        let bytes = fs::read(self.path(sha256)).ok()?;
        (sha256_hex(&bytes) == sha256).then_some(bytes.len() as u64)
    }

    /// Keeps `bytes` if their hash is `sha256`; an error names both hashes otherwise.
    pub fn store(&self, sha256: &str, bytes: &[u8]) -> Result<(), AssetError> {
        let got = sha256_hex(bytes);
        if got != sha256 {
            return Err(AssetError::Mismatch {
                got,
                want: sha256.to_string(),
            });
        }
        let tmp = self.dir.join(format!("{sha256}.tmp"));
        let write = || -> std::io::Result<()> {
            let mut file = File::create(&tmp)?;
            file.write_all(bytes)?;
            file.sync_all()?;
            fs::rename(&tmp, self.path(sha256))?;
            File::open(&self.dir)?.sync_all()
        };
        write().map_err(|reason| AssetError::Write {
            dir: self.dir.display().to_string(),
            reason,
        })
    }

    /// Removes files no listed feed refers to, so the store does not grow with the years.
    pub fn prune(&self, keep: &[&str]) {
        let Ok(entries) = fs::read_dir(&self.dir) else {
            return;
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if !keep.contains(&name.as_str()) {
                let _ = fs::remove_file(entry.path());
            }
        }
    }
}
