//! The window loop: the player's parts put together, and winit's events dispatched to them.
//!
//! As in alacritty's window context, each part owns one concern: the stage (window, renderer
//! and what they show), the show clock, the pacer (when to wake), the meter (frame figures and
//! the report), the health (failures, rebuilds, systemd's watchdog) and the touch terminal. A
//! test's injected faults sit beside them in `TestHooks`, which production never builds.

use std::sync::atomic::Ordering;
use std::time::Instant;

use winit::application::ApplicationHandler;
use winit::event::{ElementState, MouseButton, StartCause, TouchPhase, WindowEvent};
use winit::event_loop::{ActiveEventLoop, ControlFlow};
use winit::keyboard::{Key, NamedKey};
use winit::window::WindowId;

use super::clock::Clock;
use super::gfx::Gfx;
use super::hooks::TestHooks;
use super::notify::Notifier;
use super::present::Transition;
use super::{PlayOptions, PlayerError, PlayerEvent};
use crate::model::Playlist;
use crate::show::Show;
use crate::touch::input::Raw;
use crate::touch::script::Chord;

mod draw;
mod health;
mod meter;
mod pacer;
mod page;
mod skew;
mod touching;
mod window;

use health::Health;
use meter::Meter;
use pacer::Pacer;
use page::Current;
use skew::ShowClock;
use touching::Touching;

/// The window, its renderer, and what they show.
struct Stage {
    gfx: Option<Gfx>,
    /// The rotation's page on screen, once there is one.
    current: Option<Current>,
    /// The page texture must be drawn whole (new page, new content, resize).
    page_dirty: bool,
    /// The window does not show the page texture as it is now (a new page, a surface configured
    /// anew, a present that timed out, a new band subsurface that the window's next commit
    /// places): it is presented on a still page too.
    unpresented: bool,
    /// A new feed or a new output size: the page is picked and laid out again.
    content_changed: bool,
    transition: Option<Transition>,
    /// The staff overlay shows (F12).
    overlay: bool,
    /// A playlist that came with a feed, waiting for the next page change.
    pending_playlist: Option<Playlist>,
}

impl Stage {
    fn request_redraw(&self) {
        if let Some(g) = &self.gfx {
            g.window.request_redraw();
        }
    }
}

pub struct App {
    options: PlayOptions,
    show: Show,
    clock: ShowClock,
    stage: Stage,
    pacer: Pacer,
    meter: Meter,
    health: Health,
    touch: Touching,
    /// Only when a test injects a fault.
    hooks: Option<TestHooks>,
}

impl App {
    pub fn new(
        show: Show,
        options: PlayOptions,
        notifier: Option<Notifier>,
        hooks: Option<TestHooks>,
    ) -> App {
        App {
            clock: ShowClock::new(Clock::new(options.start_at, options.clock_speed)),
            stage: Stage {
                gfx: None,
                current: None,
                page_dirty: true,
                unpresented: true,
                content_changed: false,
                transition: None,
                overlay: options.overlay,
                pending_playlist: None,
            },
            pacer: Pacer::default(),
            meter: Meter::new(options.started),
            health: Health::new(notifier),
            touch: Touching::new(&show, &options.input_script),
            hooks,
            options,
            show,
        }
    }

    /// After the loop: the error that ended it, and the report if one was asked for.
    pub fn finish(self) -> Result<(), PlayerError> {
        self.health.notify("STOPPING=1");
        if let Some(path) = &self.options.report {
            let adapter = self
                .stage
                .gfx
                .as_ref()
                .map(|g| g.renderer.gpu().adapter_name());
            self.meter.write_report(path, adapter);
        }
        self.health.finish()
    }

    /// On the signed feed the show clock is never earlier than the newest feed accepted.
    fn update_skew(&mut self) {
        if self.options.reporting.is_none() || self.show.feed().sequence == 0 {
            return;
        }
        // A clock a test set is trusted; otherwise only a synchronised one.
        let synchronised = self.options.start_at.is_some()
            || crate::feed::timesync::synchronized_at(&crate::feed::timesync::marker());
        self.clock
            .follow(self.show.feed().generated_at, synchronised);
    }
}

impl ApplicationHandler<PlayerEvent> for App {
    fn resumed(&mut self, event_loop: &ActiveEventLoop) {
        self.update_skew();
        if self.stage.gfx.is_none() {
            self.open(event_loop);
        }
    }

    fn new_events(&mut self, _event_loop: &ActiveEventLoop, cause: StartCause) {
        if matches!(cause, StartCause::ResumeTimeReached { .. }) && self.due() {
            self.stage.request_redraw();
        }
    }

    fn user_event(&mut self, _event_loop: &ActiveEventLoop, event: PlayerEvent) {
        match event {
            // Taken in about_to_wait, after any redraw this round of events asked for.
            PlayerEvent::Screenshot => self.stage.request_redraw(),
            PlayerEvent::Feed(result) => match *result {
                Ok(feed) => {
                    if self.options.follow_feed_playlist
                        && let Some(playlist) = feed.playlist.clone()
                        && &playlist != self.show.written_playlist()
                    {
                        // Applied at the next page change: the page on screen is not laid
                        // out again under the reader's eyes.
                        tracing::info!(
                            "playlist updated from the feed; it applies at the next page change"
                        );
                        self.stage.pending_playlist = Some(playlist);
                    }
                    tracing::info!(
                        "feed reloaded: group {}, sequence {}, {} notices",
                        feed.group,
                        feed.sequence,
                        feed.notices.len()
                    );
                    // A screen still waiting for its first feed shows nobody's page: its
                    // playlist (kind, size, touch) applies at once.
                    let waiting = self.show.feed().sequence == 0;
                    self.show.set_feed(feed);
                    if waiting && let Some(playlist) = self.stage.pending_playlist.take() {
                        tracing::info!("first feed: its playlist applies now");
                        self.show.set_playlist(playlist);
                    }
                    for warning in self.show.warnings() {
                        tracing::warn!("{warning}");
                    }
                    // The terminal lays the new notices out now; a reader whose notice went
                    // goes home.
                    self.sync_terminal();
                    self.update_skew();
                    self.stage.content_changed = true;
                    if self.touch.frame.is_some() {
                        self.touch.dirty = true;
                    }
                    self.meter.feed_changed();
                    self.stage.request_redraw();
                }
                // The last good feed stays on screen.
                Err(problems) => {
                    tracing::warn!("feed refused, keeping the last good one: {problems}")
                }
            },
        }
    }

    fn window_event(&mut self, event_loop: &ActiveEventLoop, _id: WindowId, event: WindowEvent) {
        match event {
            WindowEvent::CloseRequested if self.options.windowed => event_loop.exit(),
            WindowEvent::CloseRequested => tracing::info!("close request ignored: this is a kiosk"),
            WindowEvent::Resized(size) => {
                if let Some(gfx) = self.stage.gfx.as_mut() {
                    gfx.resize(size.width, size.height);
                    tracing::info!("window resized to {}x{}", size.width, size.height);
                }
                // A configured surface holds nothing yet: the page is drawn whole and presented,
                // on a still page too (under a Wayland compositor it stayed black otherwise).
                self.fit_output();
                self.stage.page_dirty = true;
                self.stage.request_redraw();
            }
            WindowEvent::ScaleFactorChanged { .. } | WindowEvent::Occluded(false) => {
                // Layout is in physical pixels; a Resized follows if the size changed.
                self.stage.page_dirty = true;
                self.stage.request_redraw();
            }
            WindowEvent::ModifiersChanged(m) => self.touch.modifiers = m.state(),
            WindowEvent::KeyboardInput { event, .. } if event.state == ElementState::Pressed => {
                let key = match &event.logical_key {
                    // A modifier alone is half a chord: the chord comes with the next key.
                    Key::Named(
                        NamedKey::Alt
                        | NamedKey::Control
                        | NamedKey::Shift
                        | NamedKey::Super
                        | NamedKey::Meta
                        | NamedKey::AltGraph,
                    ) => return,
                    Key::Named(NamedKey::Space) => "Space".to_string(),
                    Key::Named(named) => format!("{named:?}"),
                    Key::Character(c) => c.to_lowercase(),
                    _ => return,
                };
                let m = self.touch.modifiers;
                let chord = Chord {
                    ctrl: m.control_key(),
                    alt: m.alt_key(),
                    shift: m.shift_key(),
                    super_key: m.super_key(),
                    key,
                };
                // Alt+F4, Ctrl+Q and friends do nothing in the kiosk: see `key`.
                self.key(&chord, event_loop);
            }
            WindowEvent::Touch(t) => {
                let at = (t.location.x as f32, t.location.y as f32);
                let finger = t.id;
                self.pointer(match t.phase {
                    TouchPhase::Started => Raw::TouchStart { finger, at },
                    TouchPhase::Moved => Raw::TouchMove { finger, at },
                    TouchPhase::Ended => Raw::TouchEnd { finger, at },
                    TouchPhase::Cancelled => Raw::TouchCancel { finger },
                });
            }
            WindowEvent::CursorMoved { position, .. } => self.pointer(Raw::MouseMove {
                at: (position.x as f32, position.y as f32),
            }),
            WindowEvent::MouseInput {
                state,
                button: MouseButton::Left,
                ..
            } => self.pointer(match state {
                ElementState::Pressed => Raw::MouseDown,
                ElementState::Released => Raw::MouseUp,
            }),
            WindowEvent::RedrawRequested => self.redraw(event_loop),
            _ => {}
        }
    }

    fn about_to_wait(&mut self, event_loop: &ActiveEventLoop) {
        if let Some(hooks) = &self.hooks {
            hooks.stall_if_due(self.meter.started());
        }
        if let Some(limit) = self.options.exit_after
            && self.meter.started().elapsed().as_secs_f64() >= limit
        {
            event_loop.exit();
            return;
        }
        if self
            .options
            .reporting
            .as_ref()
            .is_some_and(|r| r.screenshot.wanted.load(Ordering::SeqCst))
        {
            self.screenshot();
        }
        let now = Instant::now();
        let wake = self.next_wake(now, event_loop);
        if wake <= now && self.due() {
            self.stage.request_redraw();
        }
        event_loop.set_control_flow(ControlFlow::WaitUntil(wake.max(now)));
    }
}
