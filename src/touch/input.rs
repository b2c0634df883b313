//! One input layer: touch and mouse events (already in page pixels) become taps.
//!
//! - A tap is a press and a release by the same finger (or the mouse button); the caller
//!   activates it only if both fall inside the same target.
//! - More than 10 mm of travel while pressed is not a tap (a swipe, a palm, a leaning elbow).
//! - Presses shorter than 30 ms are ignored: infrared frames report ghost touches that short.
//! - A cancelled touch never activates anything.
//! - Only the first finger counts; a second finger while one is down is ignored.
//! - X11 sends an emulated mouse press alongside each touch: mouse events while a finger is down
//!   and for a moment after are ignored, so one touch is never two taps.

use std::time::{Duration, Instant};

/// Travel beyond which a press is no longer a tap, in millimetres.
pub const MAX_TRAVEL_MM: f32 = 10.0;
/// Presses shorter than this are ghosts.
pub const MIN_PRESS: Duration = Duration::from_millis(30);
/// Mouse events this soon after a touch are the touch's emulation.
pub const MOUSE_AFTER_TOUCH: Duration = Duration::from_millis(800);
/// A press held this long lost its release (a finger lifted outside the window, an event the
/// driver dropped): the next press replaces it, so the screen never stops answering.
pub const STUCK: Duration = Duration::from_secs(10);

/// A raw pointer event, in page pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Raw {
    TouchStart { finger: u64, at: (f32, f32) },
    TouchMove { finger: u64, at: (f32, f32) },
    TouchEnd { finger: u64, at: (f32, f32) },
    TouchCancel { finger: u64 },
    MouseMove { at: (f32, f32) },
    MouseDown,
    MouseUp,
}

/// What came of an event.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Pointer {
    /// Pressed at `down`, released at `up`: a tap if both are in the same target.
    Tap { down: (f32, f32), up: (f32, f32) },
    /// A real mouse moved: show the cursor.
    MouseMoved,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Source {
    Finger(u64),
    Mouse,
}

#[derive(Debug, Clone, Copy)]
struct Press {
    source: Source,
    since: Instant,
    down: (f32, f32),
    travel: f32,
}

#[derive(Debug)]
pub struct Input {
    px_per_mm: f32,
    press: Option<Press>,
    /// When the last finger went down or up.
    last_touch: Option<Instant>,
    cursor: Option<(f32, f32)>,
}

fn distance(a: (f32, f32), b: (f32, f32)) -> f32 {
    (a.0 - b.0).hypot(a.1 - b.1)
}

impl Input {
    pub fn new(px_per_mm: f32) -> Input {
        Input {
            px_per_mm,
            press: None,
            last_touch: None,
            cursor: None,
        }
    }

    fn touch_recent(&self, now: Instant) -> bool {
        let finger_down = matches!(
            self.press,
            Some(Press {
                source: Source::Finger(_),
                ..
            })
        );
        finger_down
            || self
                .last_touch
                .is_some_and(|t| now.saturating_duration_since(t) < MOUSE_AFTER_TOUCH)
    }

    /// Whether a new press may start: none is held, or the one held is stuck.
    fn free(&self, now: Instant) -> bool {
        self.press
            .is_none_or(|p| now.saturating_duration_since(p.since) >= STUCK)
    }

    fn moved(&mut self, source: Source, at: (f32, f32)) {
        if let Some(p) = self.press.as_mut().filter(|p| p.source == source) {
            p.travel = p.travel.max(distance(p.down, at));
        }
    }

    fn release(&mut self, source: Source, at: (f32, f32), now: Instant) -> Option<Pointer> {
        let p = self.press.filter(|p| p.source == source)?;
        self.press = None;
        let travel = p.travel.max(distance(p.down, at));
        let held = now.saturating_duration_since(p.since);
        if held < MIN_PRESS || travel > MAX_TRAVEL_MM * self.px_per_mm {
            return None;
        }
        Some(Pointer::Tap {
            down: p.down,
            up: at,
        })
    }

    pub fn event(&mut self, raw: Raw, now: Instant) -> Option<Pointer> {
        match raw {
            Raw::TouchStart { finger, at } => {
                self.last_touch = Some(now);
                if self.free(now) {
                    self.press = Some(Press {
                        source: Source::Finger(finger),
                        since: now,
                        down: at,
                        travel: 0.0,
                    });
                }
                None
            }
            Raw::TouchMove { finger, at } => {
                self.last_touch = Some(now);
                self.moved(Source::Finger(finger), at);
                None
            }
            Raw::TouchEnd { finger, at } => {
                self.last_touch = Some(now);
                self.release(Source::Finger(finger), at, now)
            }
            Raw::TouchCancel { finger } => {
                self.last_touch = Some(now);
                if self
                    .press
                    .is_some_and(|p| p.source == Source::Finger(finger))
                {
                    self.press = None;
                }
                None
            }
            Raw::MouseMove { at } => {
                let before = self.cursor.replace(at);
                if self.touch_recent(now) {
                    return None;
                }
                self.moved(Source::Mouse, at);
                // Only a move that goes somewhere: a window opening under a still mouse sends one.
                before
                    .is_some_and(|b| distance(b, at) >= 1.0)
                    .then_some(Pointer::MouseMoved)
            }
            Raw::MouseDown => {
                let touched = self
                    .last_touch
                    .is_some_and(|t| now.saturating_duration_since(t) < MOUSE_AFTER_TOUCH);
                // A held press (finger or mouse) that is not stuck, or a touch just now: this
                // press is the touch's emulation, or a second pointer.
                if !self.free(now) || touched {
                    return None;
                }
                let at = self.cursor?;
                self.press = Some(Press {
                    source: Source::Mouse,
                    since: now,
                    down: at,
                    travel: 0.0,
                });
                None
            }
            Raw::MouseUp => {
                let at = self.cursor?;
                self.release(Source::Mouse, at, now)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MM: f32 = 4.0; // 4 px a millimetre: 10 mm is 40 px

    fn ms(t0: Instant, n: u64) -> Instant {
        t0 + Duration::from_millis(n)
    }

    #[test]
    fn a_touch_and_release_is_a_tap() {
        let t0 = Instant::now();
        let mut input = Input::new(MM);
        let at = (100.0, 200.0);
        assert_eq!(input.event(Raw::TouchStart { finger: 1, at }, t0), None);
        let up = (130.0, 200.0);
        input.event(Raw::TouchMove { finger: 1, at: up }, ms(t0, 50));
        assert_eq!(
            input.event(Raw::TouchEnd { finger: 1, at: up }, ms(t0, 120)),
            Some(Pointer::Tap { down: at, up })
        );
    }

    #[test]
    fn ghosts_swipes_and_cancelled_touches_are_not_taps() {
        let t0 = Instant::now();
        let mut input = Input::new(MM);
        let at = (100.0, 200.0);
        // 20 ms: a ghost on an infrared frame.
        input.event(Raw::TouchStart { finger: 1, at }, t0);
        assert_eq!(
            input.event(Raw::TouchEnd { finger: 1, at }, ms(t0, 20)),
            None
        );
        // Out 60 px (15 mm) and back: travel counts, not where it ends.
        input.event(Raw::TouchStart { finger: 2, at }, ms(t0, 1000));
        let far = (160.0, 200.0);
        input.event(Raw::TouchMove { finger: 2, at: far }, ms(t0, 1050));
        assert_eq!(
            input.event(Raw::TouchEnd { finger: 2, at }, ms(t0, 1100)),
            None
        );
        // Cancelled (the system took the touch): nothing, even when an end follows.
        input.event(Raw::TouchStart { finger: 3, at }, ms(t0, 2000));
        input.event(Raw::TouchCancel { finger: 3 }, ms(t0, 2100));
        assert_eq!(
            input.event(Raw::TouchEnd { finger: 3, at }, ms(t0, 2200)),
            None
        );
    }

    #[test]
    fn second_fingers_are_ignored() {
        let t0 = Instant::now();
        let mut input = Input::new(MM);
        let a = (100.0, 200.0);
        let b = (500.0, 900.0);
        input.event(Raw::TouchStart { finger: 1, at: a }, t0);
        input.event(Raw::TouchStart { finger: 2, at: b }, ms(t0, 40));
        assert_eq!(
            input.event(Raw::TouchEnd { finger: 2, at: b }, ms(t0, 90)),
            None
        );
        assert_eq!(
            input.event(Raw::TouchEnd { finger: 1, at: a }, ms(t0, 100)),
            Some(Pointer::Tap { down: a, up: a })
        );
    }

    #[test]
    fn a_press_that_lost_its_release_does_not_block_the_screen() {
        let t0 = Instant::now();
        let mut input = Input::new(MM);
        let a = (100.0, 200.0);
        // Finger 1 goes down and its end never comes.
        input.event(Raw::TouchStart { finger: 1, at: a }, t0);
        let b = (500.0, 900.0);
        let later = t0 + STUCK;
        input.event(Raw::TouchStart { finger: 2, at: b }, later);
        assert_eq!(
            input.event(
                Raw::TouchEnd { finger: 2, at: b },
                later + Duration::from_millis(80)
            ),
            Some(Pointer::Tap { down: b, up: b })
        );
    }

    #[test]
    fn the_mouse_that_x11_sends_with_a_touch_is_not_a_second_tap() {
        let t0 = Instant::now();
        let mut input = Input::new(MM);
        let at = (100.0, 200.0);
        input.event(Raw::TouchStart { finger: 1, at }, t0);
        input.event(Raw::MouseMove { at }, ms(t0, 1));
        input.event(Raw::MouseDown, ms(t0, 1));
        let tap = input.event(Raw::TouchEnd { finger: 1, at }, ms(t0, 100));
        assert!(tap.is_some());
        assert_eq!(input.event(Raw::MouseUp, ms(t0, 101)), None);
        assert_eq!(
            input.event(Raw::MouseMove { at: (300.0, 300.0) }, ms(t0, 300)),
            None
        );
        // A real mouse, later, clicks and shows the cursor.
        let later = ms(t0, 5000);
        assert_eq!(
            input.event(Raw::MouseMove { at: (310.0, 300.0) }, later),
            Some(Pointer::MouseMoved)
        );
        input.event(Raw::MouseDown, later);
        assert_eq!(
            input.event(Raw::MouseUp, ms(t0, 5080)),
            Some(Pointer::Tap {
                down: (310.0, 300.0),
                up: (310.0, 300.0)
            })
        );
    }
}
