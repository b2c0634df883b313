//! Whether the system clock can be trusted yet. A screen box without a battery-backed clock
//! boots in the past (or, with a bad RTC, in the future) until systemd-timesyncd has reached a
//! time server; timesyncd then creates `/run/systemd/timesync/synchronized`. Until then the
//! clock is untrusted: nothing is expired by it (feeds, cached feeds, notices), the screen goes
//! by its newest feed's signed time, and the heartbeat says `"clock": "unsynced"`.
//!
//! Without timesyncd (no `/run/systemd/timesync`: a development machine, or a box that keeps time
//! otherwise) the clock is trusted.

use std::path::{Path, PathBuf};

use crate::model::Timestamp;

pub const MARKER: &str = "/run/systemd/timesync/synchronized";

/// Where to look: `$NOTICECAST_TIMESYNC_MARKER` (tests), else timesyncd's marker.
pub fn marker() -> PathBuf {
    std::env::var_os("NOTICECAST_TIMESYNC_MARKER")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(MARKER))
}

pub fn synchronized_at(marker: &Path) -> bool {
    match marker.parent() {
        Some(dir) if dir.is_dir() => marker.exists(),
        _ => true,
    }
}

/// The instant to judge expiry by: the clock when it is trusted, otherwise one so early that only
/// the newest accepted feed's time counts (see `Accepted::floor`).
pub fn judging_clock(clock: Timestamp, synced: bool) -> Timestamp {
    if synced {
        clock
    } else {
        chrono::DateTime::UNIX_EPOCH.fixed_offset()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn untrusted_only_while_timesyncd_has_not_synchronised() {
        let dir = tempfile::tempdir().unwrap();
        let marker = dir.path().join("timesync/synchronized");
        // No timesyncd directory at all: trusted.
        assert!(synchronized_at(&marker));
        std::fs::create_dir_all(marker.parent().unwrap()).unwrap();
        assert!(!synchronized_at(&marker));
        std::fs::write(&marker, "").unwrap();
        assert!(synchronized_at(&marker));
    }
}
