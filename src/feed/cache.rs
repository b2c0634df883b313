//! The on-disk cache of the last accepted envelope, and the one before it.
//!
//! A power cut at any instant leaves a valid cache: the new envelope is written to a temporary
//! file in the same folder and flushed, the current file becomes the previous one, the temporary
//! file becomes the current one, and the folder is flushed after each rename. Loading verifies
//! each generation (signature, payload, group) and falls back to the previous one.

use std::fs::{self, File};

use super::config::PlayerConfig;
use super::envelope::TrustedKey;
use super::trust::{Accepted, KeyState, accept};
use crate::model::{Feed, Timestamp};
use std::io::Write;
use std::path::{Path, PathBuf};

const CURRENT: &str = "feed.envelope.json";
const PREVIOUS: &str = "feed.envelope.prev.json";
const TEMPORARY: &str = "feed.envelope.json.tmp";
/// The signing keys the last accepted feed announced (one key a line, as `trusted_keys` writes it).
const LEARNED_KEYS: &str = "learned-keys.txt";
/// A line of `LEARNED_KEYS` naming a key a finished rotation retired.
const RETIRED: &str = "retired ";

pub struct Cache {
    dir: PathBuf,
}

fn sync_dir(dir: &Path) -> std::io::Result<()> {
    File::open(dir)?.sync_all()
}

impl Cache {
    pub fn open(dir: &Path) -> std::io::Result<Cache> {
        fs::create_dir_all(dir)?;
        Ok(Cache {
            dir: dir.to_path_buf(),
        })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Stores `envelope` as the current generation, keeping the last one as the previous.
    pub fn store(&self, envelope: &[u8]) -> std::io::Result<()> {
        let (tmp, current, previous) = (
            self.dir.join(TEMPORARY),
            self.dir.join(CURRENT),
            self.dir.join(PREVIOUS),
        );
        {
            let mut file = File::create(&tmp)?;
            file.write_all(envelope)?;
            file.sync_all()?;
        }
        if current.exists() {
            fs::rename(&current, &previous)?;
            sync_dir(&self.dir)?;
        }
        fs::rename(&tmp, &current)?;
        sync_dir(&self.dir)
    }

    /// The newest generation that `check` accepts: the current one, else the previous one.
    /// What each refused generation was refused for is logged.
    pub fn load<T, E: std::fmt::Display>(
        &self,
        mut check: impl FnMut(&[u8], &str) -> Result<T, E>,
    ) -> Option<T> {
        for name in [CURRENT, PREVIOUS] {
            let path = self.dir.join(name);
            let Ok(bytes) = fs::read(&path) else { continue };
            match check(&bytes, &path.display().to_string()) {
                Ok(value) => return Some(value),
                Err(e) => tracing::warn!("{}: cached feed refused: {e}", path.display()),
            }
        }
        None
    }

    /// The newest cached feed that still passes the trust rules of `config` (and the keys
    /// learned from accepted feeds) at `now`.
    pub fn load_feed(&self, config: &PlayerConfig, now: Timestamp) -> Option<Feed> {
        let trusted = self.key_state().trusted(&config.trusted_keys);
        self.load(|bytes: &[u8], source: &str| {
            accept(
                bytes,
                source,
                &trusted,
                &config.group,
                &Accepted::default(),
                now,
            )
        })
    }

    /// What the screen learned of the office's keys: announced and retired.
    pub fn key_state(&self) -> KeyState {
        let path = self.dir.join(LEARNED_KEYS);
        let retired = fs::read_to_string(&path)
            .unwrap_or_default()
            .lines()
            .filter_map(|l| l.trim().strip_prefix(RETIRED))
            .map(|id| id.trim().to_string())
            .collect();
        KeyState {
            learned: self.learned_keys(),
            retired,
        }
    }

    /// The keys the last accepted feed announced; none if the file is missing or unreadable
    /// (the configured keys still hold).
    pub fn learned_keys(&self) -> Vec<TrustedKey> {
        let path = self.dir.join(LEARNED_KEYS);
        let Ok(text) = fs::read_to_string(&path) else {
            return Vec::new();
        };
        text.lines()
            .filter(|l| !l.trim().is_empty() && !l.trim().starts_with(RETIRED))
            .take(2)
            .filter_map(|l| match TrustedKey::parse(l) {
                Ok(k) => Some(k),
                Err(e) => {
                    tracing::warn!("{}: {e}", path.display());
                    None
                }
            })
            .collect()
    }

    /// Remembers the keys an accepted feed announced, written as the feed is: a temporary
    /// file, flushed, renamed.
    pub fn store_learned_keys(&self, keys: &[TrustedKey]) -> std::io::Result<()> {
        let retired = self.key_state().retired;
        self.store_key_state(&KeyState {
            learned: keys.to_vec(),
            retired,
        })
    }

    /// Remembers the learned keys and the retired key ids (`retired ID` lines), as above.
    pub fn store_key_state(&self, state: &KeyState) -> std::io::Result<()> {
        let path = self.dir.join(LEARNED_KEYS);
        let tmp = self.dir.join(format!("{LEARNED_KEYS}.tmp"));
        {
            let mut file = File::create(&tmp)?;
            for key in &state.learned {
                writeln!(file, "{}", key.to_text())?;
            }
            for id in &state.retired {
                writeln!(file, "{RETIRED}{id}")?;
            }
            file.sync_all()?;
        }
        fs::rename(&tmp, &path)?;
        sync_dir(&self.dir)
    }
}
