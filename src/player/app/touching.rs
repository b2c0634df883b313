//! The window loop's side of the touch terminal: pointer events through the turn and the input
//! layer to the session, the touch screen composed in place of the rotation, scripted input,
//! target dumps, and the keys the kiosk ignores.

use std::collections::VecDeque;
use std::time::Instant;

use winit::event_loop::ActiveEventLoop;
use winit::keyboard::ModifiersState;

use super::App;
use crate::layout::Frame;
use crate::show::Show;
use crate::touch::input::{Pointer, Raw};
use crate::touch::script::{Action, Chord, Step};
use crate::touch::transform::{output_size, to_page, to_window};
use crate::touch::{Phase, Terminal, View};

/// The touch terminal's state in the window loop, and the input scripted for it.
pub(super) struct Touching {
    /// A touch terminal's browsing, if the playlist has `[touch]`.
    pub(super) terminal: Option<Terminal>,
    /// The touch screen on display; `None` while the rotation shows (attract).
    pub(super) frame: Option<Frame>,
    /// The touch screen must be composed again (a tap, a countdown second, a new feed).
    pub(super) dirty: bool,
    /// The session's phase when the touch screen was composed.
    phase: Phase,
    script: VecDeque<Step>,
    /// Scripted input is timed from the first frame.
    pub(super) script_base: Option<Instant>,
    pub(super) modifiers: ModifiersState,
}

impl Touching {
    pub(super) fn new(show: &Show, script: &[Step]) -> Touching {
        let screen = &show.playlist().screen;
        let terminal = show
            .playlist()
            .touch
            .as_ref()
            .map(|t| Terminal::new(t, (screen.width, screen.height)));
        Touching {
            terminal,
            frame: None,
            dirty: false,
            phase: Phase::Attract,
            script: script.iter().cloned().collect(),
            script_base: None,
            modifiers: ModifiersState::empty(),
        }
    }
}

impl App {
    /// Runs the session's clock (countdown, return to attract); when it changes next.
    pub(super) fn tick_terminal(&mut self, now: Instant) -> Option<Instant> {
        let terminal = self.touch.terminal.as_mut()?;
        terminal.session.tick(now);
        let phase = terminal.session.phase(now);
        if phase != self.touch.phase {
            self.touch.dirty = true;
            self.stage.request_redraw();
        }
        terminal.session.next_change(now)
    }

    /// One scripted step per round, once the screen it aims at has been drawn; when the next
    /// one is due.
    pub(super) fn script_step(
        &mut self,
        now: Instant,
        event_loop: &ActiveEventLoop,
    ) -> Option<Instant> {
        let base = self.touch.script_base?;
        if self.touch.dirty || self.stage.page_dirty {
            return None;
        }
        let step = self.touch.script.front()?;
        if now < base + step.at {
            return Some(base + step.at);
        }
        let step = self.touch.script.pop_front().expect("a step");
        self.scripted(step, event_loop);
        Some(now)
    }

    /// Follows the show's playlist and feed: a terminal appears with a `[touch]` section (a
    /// screen that started without a feed learns its playlist from the first one), goes with
    /// it, and lays out new content.
    pub(super) fn sync_terminal(&mut self) {
        let show_now = self.clock.now();
        let screen = self.show.playlist().screen.clone();
        match (
            self.show.playlist().touch.clone(),
            self.touch.terminal.as_mut(),
        ) {
            (Some(touch), None) => {
                tracing::info!("touch input on: residents may browse");
                let mut terminal = Terminal::new(&touch, (screen.width, screen.height));
                terminal.content_changed(&mut self.show, show_now);
                self.touch.terminal = Some(terminal);
            }
            (None, Some(_)) => {
                tracing::info!("touch input off: the playlist has no [touch]");
                self.touch.terminal = None;
                if self.touch.frame.take().is_some() {
                    self.stage.page_dirty = true;
                }
            }
            (Some(_), Some(terminal)) => terminal.content_changed(&mut self.show, show_now),
            (None, None) => {}
        }
    }

    /// The output's size and the page's, and the turn between them.
    pub(super) fn geometry(&self) -> ((u32, u32), (u32, u32), u16) {
        let screen = &self.show.playlist().screen;
        let page = (screen.width, screen.height);
        let window = self
            .stage
            .gfx
            .as_ref()
            .map_or(output_size(page, screen.rotation), |g| g.size());
        (window, page, screen.rotation)
    }

    /// A raw pointer event in window pixels: through the turn, the input layer and, if it makes
    /// a tap, to the session.
    pub(super) fn pointer(&mut self, raw: Raw) {
        let (window, page, rotation) = self.geometry();
        let turn = |at: (f32, f32)| to_page(at, window, page, rotation);
        let raw = match raw {
            Raw::TouchStart { finger, at } => Raw::TouchStart {
                finger,
                at: turn(at),
            },
            Raw::TouchMove { finger, at } => Raw::TouchMove {
                finger,
                at: turn(at),
            },
            Raw::TouchEnd { finger, at } => Raw::TouchEnd {
                finger,
                at: turn(at),
            },
            Raw::MouseMove { at } => Raw::MouseMove { at: turn(at) },
            other => other,
        };
        let Some(terminal) = self.touch.terminal.as_mut() else {
            return;
        };
        if matches!(raw, Raw::TouchStart { .. })
            && let Some(gfx) = &self.stage.gfx
        {
            gfx.window.set_cursor_visible(self.options.windowed);
        }
        match terminal.input.event(raw, Instant::now()) {
            Some(Pointer::Tap { down, up }) => {
                let pressed = terminal.target_at(down).cloned();
                // Released outside the target it was pressed on: a touch, but no activation.
                let target = pressed.filter(|p| terminal.target_at(up) == Some(p));
                self.touch_tap(target);
            }
            Some(Pointer::MouseMoved) => {
                if let Some(gfx) = &self.stage.gfx {
                    gfx.window.set_cursor_visible(true);
                }
            }
            None => {}
        }
    }

    /// A tap on `target` (or on no target) reaches the session.
    pub(super) fn touch_tap(&mut self, target: Option<crate::layout::touch::TargetName>) {
        let show_now = self.clock.now();
        let Some(terminal) = self.touch.terminal.as_mut() else {
            return;
        };
        let was_attract = terminal.session.view() == &View::Attract;
        let name = target.as_ref().map(ToString::to_string);
        let outcome = terminal.tap(&mut self.show, target, Instant::now(), show_now);
        tracing::info!(
            "tap on {}: {}",
            name.as_deref().unwrap_or("no target"),
            terminal.screen_name()
        );
        if let (Some(id), Some(reporting)) = (&outcome.opened, &self.options.reporting) {
            let record =
                crate::feed::plays::PlayRecord::opened(id, show_now, self.show.feed().sequence);
            if let Err(e) = reporting.plays.push(record) {
                tracing::error!("open record not saved: {e}");
            }
        }
        if was_attract && terminal.session.view() != &View::Attract {
            // The rotation leaves the screen: its page's play ends here.
            if let Some(old) = self.stage.current.take() {
                self.record_play(&old, show_now);
            }
            self.stage.transition = None;
        }
        if outcome.changed {
            self.touch.dirty = true;
            self.meter.tapped();
            self.stage.request_redraw();
        }
    }

    /// Composes the touch screen if it changed; whether a touch screen (not the rotation) shows.
    pub(super) fn update_touch(&mut self) -> bool {
        let show_now = self.clock.now();
        let Some(terminal) = self.touch.terminal.as_mut() else {
            return false;
        };
        if !self.touch.dirty {
            return self.touch.frame.is_some();
        }
        self.touch.dirty = false;
        let now = Instant::now();
        let frame = terminal.frame(&mut self.show, now, show_now);
        let phase = terminal.session.phase(now);
        if matches!(phase, Phase::Countdown(_)) && !matches!(self.touch.phase, Phase::Countdown(_))
        {
            tracing::info!("touch: no touch for a while, counting down to the rotation");
        }
        self.touch.phase = phase;
        let shown = frame.is_some();
        match frame {
            Some(frame) => {
                self.touch.frame = Some(frame);
                self.stage.content_changed = false;
            }
            None => {
                if self.touch.frame.take().is_some() {
                    tracing::info!("touch: idle, back to the rotation");
                    // A technician's mouse showed the cursor; the rotation hides it again.
                    if let (Some(gfx), false) = (&self.stage.gfx, self.options.windowed) {
                        gfx.window.set_cursor_visible(false);
                    }
                }
            }
        }
        self.stage.page_dirty = true;
        self.dump_targets();
        shown
    }

    /// `--dump-targets`: the screen's targets in page pixels, output pixels and millimetres.
    pub(super) fn dump_targets(&self) {
        let (Some(path), Some(terminal)) = (&self.options.dump_targets, &self.touch.terminal)
        else {
            return;
        };
        let Some(touch) = &self.show.playlist().touch else {
            return;
        };
        let (window, page, rotation) = self.geometry();
        let mm = touch.px_per_mm(page.0, page.1);
        let targets: Vec<serde_json::Value> = terminal
            .targets()
            .iter()
            .map(|t| {
                let r = t.rect;
                let a = to_window((r.x, r.y), window, page, rotation);
                let b = to_window((r.right(), r.bottom()), window, page, rotation);
                serde_json::json!({
                    "name": t.name.to_string(),
                    "px": {"x": r.x, "y": r.y, "w": r.w, "h": r.h},
                    "mm": {"x": r.x / mm, "y": r.y / mm, "w": r.w / mm, "h": r.h / mm},
                    "window_px": {
                        "x": a.0.min(b.0), "y": a.1.min(b.1),
                        "w": (a.0 - b.0).abs(), "h": (a.1 - b.1).abs(),
                    },
                })
            })
            .collect();
        let large = terminal.session.large();
        let metrics = crate::layout::touch::Metrics::new(self.show.playlist(), touch, large);
        let dump = serde_json::json!({
            "screen": terminal.screen_name(),
            "large": large,
            "body_px": metrics.body_px,
            "body_mm": metrics.body_px / mm,
            "page": [page.0, page.1],
            "window": [window.0, window.1],
            "rotation": rotation,
            "px_per_mm": mm,
            "targets": targets,
        });
        let tmp = path.with_extension("json.tmp");
        let written =
            std::fs::write(&tmp, dump.to_string()).and_then(|_| std::fs::rename(&tmp, path));
        if let Err(e) = written {
            tracing::warn!("{}: cannot write the targets: {e}", path.display());
        }
    }

    /// One step of `--input-script`.
    pub(super) fn scripted(&mut self, step: Step, event_loop: &ActiveEventLoop) {
        let (window, page, rotation) = self.geometry();
        let at = match &step.action {
            Action::Key(chord) => {
                tracing::info!("script: key {chord}");
                self.key(chord, event_loop);
                return;
            }
            Action::TapXy(x, y) => (*x, *y),
            Action::Tap(name) => {
                let Some(terminal) = &self.touch.terminal else {
                    tracing::warn!("script: tap {name}: this screen has no [touch]");
                    return;
                };
                let centre = if terminal.session.view() == &View::Attract {
                    (page.0 as f32 / 2.0, page.1 as f32 / 2.0)
                } else if let Some(r) = terminal.target_rect(name) {
                    (r.x + r.w / 2.0, r.y + r.h / 2.0)
                } else {
                    tracing::warn!(
                        "script: tap {name}: no such target on {}",
                        terminal.screen_name()
                    );
                    return;
                };
                // Where a finger would touch the output: the tap takes the turn back, as real
                // touches do.
                to_window(centre, window, page, rotation)
            }
        };
        tracing::info!("script: tap at output pixel ({:.0}, {:.0})", at.0, at.1);
        let page_at = to_page(at, window, page, rotation);
        let target = self
            .touch
            .terminal
            .as_ref()
            .and_then(|t| t.target_at(page_at).cloned());
        self.touch_tap(target);
    }

    /// A key or chord, from the keyboard or a script. The kiosk ignores all but F12 (the staff
    /// overlay) and, in a development window, Escape.
    pub(super) fn key(&mut self, chord: &Chord, event_loop: &ActiveEventLoop) {
        let plain = !(chord.ctrl || chord.alt || chord.shift || chord.super_key);
        match chord.key.as_str() {
            "F12" if plain => {
                self.stage.overlay = !self.stage.overlay;
                self.stage.page_dirty = true;
                self.stage.request_redraw();
            }
            "Escape" if plain && self.options.windowed => event_loop.exit(),
            _ => tracing::info!("key {chord} ignored: this is a kiosk"),
        }
    }
}
