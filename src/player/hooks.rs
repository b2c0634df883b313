//! Faults the tests inject to check that the player recovers, or gives up, as it should: one
//! optional struct that the window loop asks at three points, built only for `--fault`.
//!
//! Production never builds `TestHooks`, so the frame path there has no fault branch at all; a
//! test of the recovery paths drives the same loop with hooks in place.

use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use super::gfx::Gfx;

/// Faults the tests inject to check that the player recovers, or gives up, as it should.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Destroy the GPU device after this many frames: the player must rebuild and go on.
    LoseDevice(u64),
    /// Fail every frame from this many frames on: the player must rebuild, then exit non-zero.
    FailFrames(u64),
    /// Stop the event loop dead this many seconds after start, as a hung driver would: the
    /// watchdog pings must stop.
    Stall(u64),
}

// A clap value parser: clap shows the message under the option's name.
impl std::str::FromStr for Fault {
    type Err = String;
    fn from_str(s: &str) -> Result<Fault, String> {
        let bad = || format!("{s:?}: expected lose-device:N, fail-frames:N or stall:SECONDS");
        let (kind, n) = s.split_once(':').ok_or_else(bad)?;
        let n: u64 = n.parse().map_err(|_| bad())?;
        match kind {
            "lose-device" => Ok(Fault::LoseDevice(n)),
            "fail-frames" => Ok(Fault::FailFrames(n)),
            "stall" => Ok(Fault::Stall(n)),
            _ => Err(bad()),
        }
    }
}

/// What a hook did in place of drawing a frame.
pub(super) enum Injected {
    /// The frame counts as failed.
    Failed,
    /// The GPU device was destroyed: the frame counts, and the loop asks for another.
    DeviceLost,
}

/// The hooks of a test run; `None` in production.
#[derive(Debug, Clone)]
pub struct TestHooks {
    fault: Fault,
}

impl TestHooks {
    pub fn new(fault: Fault) -> TestHooks {
        TestHooks { fault }
    }

    /// Before frame number `frames` (counting from 0) is drawn: a fault in its place, if due.
    pub(super) fn instead_of_drawing(&self, frames: u64, gfx: Option<&Gfx>) -> Option<Injected> {
        match self.fault {
            Fault::FailFrames(after) if frames >= after => Some(Injected::Failed),
            Fault::LoseDevice(after) if frames == after => {
                if let Some(gfx) = gfx {
                    tracing::warn!("injected fault: destroying the GPU device");
                    gfx.renderer.gpu().device.destroy();
                    gfx.lost.store(true, Ordering::SeqCst);
                }
                Some(Injected::DeviceLost)
            }
            _ => None,
        }
    }

    /// When a stall is due, the loop must wake for it.
    pub(super) fn wake_at(&self, started: Instant) -> Option<Instant> {
        match self.fault {
            Fault::Stall(after) => Some(started + Duration::from_secs(after)),
            _ => None,
        }
    }

    /// Once the stall is due, the event loop stops here for good, as on a hung driver.
    pub(super) fn stall_if_due(&self, started: Instant) {
        if let Fault::Stall(after) = self.fault
            && started.elapsed() >= Duration::from_secs(after)
        {
            tracing::warn!("injected fault: the event loop stops here");
            loop {
                std::thread::sleep(Duration::from_secs(3600));
            }
        }
    }
}
