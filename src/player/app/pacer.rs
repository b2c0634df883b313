//! When the loop wakes next (`App::next_wake`): the next frame of running text or a transition,
//! the end of the page, the touch session's next change, a scripted step, the watchdog; never
//! later than `MAX_SLEEP`, and no busy redraw on a still page.

use std::time::{Duration, Instant};

use winit::event_loop::ActiveEventLoop;

use super::App;

/// Even on a still page the loop wakes this often (a later watchdog needs it).
const MAX_SLEEP: Duration = Duration::from_secs(30);

/// When frames were presented: the next one is paced from there.
#[derive(Default)]
pub(super) struct Pacer {
    last_present: Option<Instant>,
}

impl Pacer {
    /// A frame begun at `began` is on screen. Frames are paced from when they began, so drawing
    /// time does not stretch the interval.
    pub(super) fn presented(&mut self, began: Instant) {
        self.last_present = Some(began);
    }

    /// A present timed out or the window is occluded: again at the next frame time.
    pub(super) fn later(&mut self) {
        self.last_present = Some(Instant::now());
    }

    /// The next frame, `interval` after the last.
    fn after(&self, interval: Duration) -> Instant {
        self.last_present
            .map_or_else(Instant::now, |t| t + interval)
    }
}

/// The earliest of the deadlines it is given.
struct Wake(Instant);

impl Wake {
    fn by(&mut self, at: Option<Instant>) {
        if let Some(at) = at {
            self.0 = self.0.min(at);
        }
    }
}

impl App {
    /// When the next frame is wanted, if anything moves; `None` on a still page.
    pub(super) fn next_frame_at(&self) -> Option<Instant> {
        let current = self.stage.current.as_ref()?;
        let moving = current.frame.is_moving() && !self.clock.frozen();
        let transition = self.stage.transition.is_some();
        if !moving && !transition {
            // A still page not presented yet (a present timed out): again a little later.
            return self
                .stage
                .unpresented
                .then(|| self.pacer.after(Duration::from_millis(100)));
        }
        // One frame per step of the running text (`layout::Step`: whole pixels every n
        // refreshes of the display), one per refresh during a transition.
        let step = crate::layout::templates::running_step(self.show.playlist());
        let interval = match step {
            Some(step) if !transition => Duration::from_secs_f64(step.interval_s()),
            _ => Duration::from_secs_f64(1.0 / self.show.playlist().screen.refresh_hz as f64),
        };
        Some(self.pacer.after(interval))
    }

    /// Whether a redraw is due now.
    pub(super) fn due(&self) -> bool {
        let Some(current) = &self.stage.current else {
            return true;
        };
        let now = self.clock.now();
        now >= current.slot.until
            || self.stage.content_changed
            || self.stage.unpresented
            || self.stage.overlay
            || self.next_frame_at().is_some_and(|t| t <= Instant::now())
    }

    /// Runs what is due by `now` (the touch session's clock, one scripted step) and returns
    /// when the loop must wake next.
    pub(super) fn next_wake(&mut self, now: Instant, event_loop: &ActiveEventLoop) -> Instant {
        let started = self.meter.started();
        let mut wake = Wake(now + MAX_SLEEP);
        wake.by(self.tick_terminal(now));
        wake.by(self.script_step(now, event_loop));
        wake.by(self.health.feed_watchdog(now, self.meter.first_frame()));
        wake.by(self.hooks.as_ref().and_then(|h| h.wake_at(started)));
        if let Some(current) = &self.stage.current {
            wake.by(self.clock.when(current.slot.until));
        }
        wake.by(self.next_frame_at());
        if self.stage.overlay {
            wake.by(Some(now + Duration::from_secs(1)));
        }
        if let Some(limit) = self.options.exit_after {
            wake.by(Some(started + Duration::from_secs_f64(limit)));
        }
        wake.0
    }
}
