//! The show clock: the player's clock, run ahead of a clock found behind the signed feed, so a
//! box without a real-time clock that booted in 1970 still shows current notices.

use std::time::Instant;

use chrono::TimeDelta;

use crate::model::Timestamp;
use crate::player::Clock;

pub(super) struct ShowClock {
    clock: Clock,
    /// How far the show clock runs ahead of a clock found to be behind the feed.
    skew: TimeDelta,
}

impl ShowClock {
    pub(super) fn new(clock: Clock) -> ShowClock {
        ShowClock {
            clock,
            skew: TimeDelta::zero(),
        }
    }

    /// The show clock's now; on the signed feed never earlier than the newest feed accepted.
    pub(super) fn now(&self) -> Timestamp {
        self.clock.now() + self.skew
    }

    /// When the show clock will show `t`; `None` if never (frozen, or already past).
    pub(super) fn when(&self, t: Timestamp) -> Option<Instant> {
        self.clock.when(t - self.skew)
    }

    pub(super) fn frozen(&self) -> bool {
        self.clock.frozen()
    }

    /// If the clock is behind the newest feed's `generated_at`, it runs that much ahead from now
    /// on (it still advances: the rotation must not stand still). `synchronised`: whether the
    /// clock itself can be trusted (a synchronised system clock, or one a test set).
    pub(super) fn follow(&mut self, generated_at: Timestamp, synchronised: bool) {
        let behind = generated_at - self.clock.now();
        if !synchronised {
            // An untrusted clock may be ahead as well as behind: go by the feed's signed time,
            // so nothing expires early; the offset is set again with every feed.
            if behind != self.skew {
                tracing::warn!(
                    "the clock is not synchronised: showing by the feed's time ({} s off)",
                    behind.num_seconds()
                );
            }
            self.skew = behind;
            return;
        }
        if self.skew < TimeDelta::zero() {
            // The clock was untrusted and ahead; now synchronised, it is right again.
            self.skew = TimeDelta::zero();
        }
        if behind > self.skew {
            tracing::warn!(
                "the clock is {} s behind the feed: showing by the feed's time",
                behind.num_seconds()
            );
            self.skew = behind;
        }
    }
}
