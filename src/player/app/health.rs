//! The player's health: failed frames in a row, the one rebuild of the renderer, the error that
//! ends the loop, and systemd's notifications, with its watchdog fed only while frames succeed.

use std::time::{Duration, Instant};

use crate::player::PlayerError;
use crate::player::notify::Notifier;

/// Consecutive failed frames before the renderer is rebuilt, and again before giving up.
const MAX_FAILURES: u32 = 3;

/// What a failed frame calls for.
pub(super) enum Failing {
    /// Nothing yet: the next frame may succeed.
    Retry,
    /// Rebuild the renderer, once.
    Rebuild,
    /// Leave the loop: the error is set, the supervisor restarts the player.
    GiveUp,
}

pub(super) struct Health {
    failures: u32,
    rebuilt: bool,
    /// The error that ended the loop.
    error: Option<PlayerError>,
    /// systemd's supervisor, when it started us.
    notifier: Option<Notifier>,
    /// The last present (or attempt) succeeded: only then is the watchdog fed.
    healthy: bool,
    last_ping: Option<Instant>,
}

impl Health {
    pub(super) fn new(notifier: Option<Notifier>) -> Health {
        Health {
            failures: 0,
            rebuilt: false,
            error: None,
            notifier,
            healthy: false,
            last_ping: None,
        }
    }

    /// Tells systemd, if it started us; best effort.
    pub(super) fn notify(&self, message: &str) {
        if let Some(n) = &self.notifier {
            n.send(message);
        }
    }

    pub(super) fn presented(&mut self) {
        self.failures = 0;
        self.healthy = true;
    }

    /// Counts a failed frame: after `MAX_FAILURES` in a row the renderer is rebuilt once; if
    /// that fails as often, the player gives up so its supervisor restarts it.
    pub(super) fn failed(&mut self) -> Failing {
        self.healthy = false;
        self.failures += 1;
        if self.failures < MAX_FAILURES {
            return Failing::Retry;
        }
        if self.rebuilt {
            self.give_up();
            return Failing::GiveUp;
        }
        tracing::warn!("{} failed frames: rebuilding the renderer", self.failures);
        self.failures = 0;
        Failing::Rebuild
    }

    /// The renderer is being rebuilt: the next run of failures gives up.
    pub(super) fn rebuilding(&mut self) {
        self.rebuilt = true;
    }

    /// Rendering keeps failing: the loop ends with that.
    pub(super) fn give_up(&mut self) {
        self.error = Some(PlayerError::Failing(self.failures));
    }

    /// The loop ends with `error`.
    pub(super) fn end(&mut self, error: PlayerError) {
        self.error = Some(error);
    }

    /// Feeds systemd's watchdog, at most every half period, only while frames succeed; returns
    /// when the loop must wake next to do so (even on a still page).
    pub(super) fn feed_watchdog(
        &mut self,
        now: Instant,
        first_frame: Option<Duration>,
    ) -> Option<Instant> {
        let notifier = self.notifier.as_ref()?;
        let every = notifier.ping_every?;
        // Nothing before the first frame: systemd's start timeout covers start-up.
        first_frame?;
        let due = self
            .last_ping
            .is_none_or(|t| now.duration_since(t) >= every);
        if due && self.healthy {
            notifier.send("WATCHDOG=1");
            self.last_ping = Some(now);
        }
        Some(self.last_ping.unwrap_or(now) + every)
    }

    /// After the loop: the error that ended it.
    pub(super) fn finish(self) -> Result<(), PlayerError> {
        match self.error {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }
}
