//! The window loop: what to draw when, and every surface and device state.

use std::collections::VecDeque;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use winit::application::ApplicationHandler;
use winit::dpi::{PhysicalPosition, PhysicalSize};
use winit::event::{ElementState, MouseButton, StartCause, TouchPhase, WindowEvent};
use winit::event_loop::{ActiveEventLoop, ControlFlow};
use winit::keyboard::{Key, ModifiersState, NamedKey};
use winit::window::{Fullscreen, Window, WindowId, WindowLevel};

use super::clock::Clock;
use super::gfx::Gfx;
use super::notify::Notifier;
use super::present::{Outcome, Transition, present_band, present_page};
use super::{Fault, PlayOptions, PlayerError, PlayerEvent};
use crate::layout::templates;
use crate::layout::{Fill, Frame, Rect, Rgba, Role, TextBlock, TextLine};
use crate::model::TransitionKind;
use crate::schedule::{Showing, Slot};
use crate::show::Show;
use crate::touch::input::Raw;
use crate::touch::script::{Chord, Step};
use crate::touch::transform::output_size;
use crate::touch::{Phase, Terminal};

mod touching;

/// Consecutive failed frames before the renderer is rebuilt, and again before giving up.
const MAX_FAILURES: u32 = 3;
/// Even on a still page the loop wakes this often (a later watchdog needs it).
const MAX_SLEEP: Duration = Duration::from_secs(30);

/// Which page is on screen: a change of it is a page change (logged, with a transition).
#[derive(Debug, Clone, PartialEq)]
struct PageKey {
    showing: Showing,
    notice: Option<String>,
}

struct Current {
    slot: Slot,
    key: PageKey,
    frame: Frame,
    /// When this page came on screen (show clock): its play record starts here.
    since: crate::model::Timestamp,
    /// The SHA-256 of the page as laid out (`render --lines-json`), for its play record: what
    /// was drawn, reproducible with `render --at` (公示证明). Only for a notice's page.
    frame_sha256: Option<String>,
    /// The feed the page came from and the notice's text in it, for its play record: a newer
    /// feed arriving while the page stays (a standby, an edit) did not put it on screen.
    sequence: u64,
    notice_sha256: Option<String>,
}

pub struct App {
    options: PlayOptions,
    show: Show,
    clock: Clock,
    gfx: Option<Gfx>,
    current: Option<Current>,
    /// The page texture must be drawn whole (new page, new content, resize).
    page_dirty: bool,
    /// The window does not show the page texture as it is now (a new page, a surface configured
    /// anew, a present that timed out, a new band subsurface that the window's next commit
    /// places): it is presented on a still page too.
    unpresented: bool,
    content_changed: bool,
    transition: Option<Transition>,
    last_present: Option<Instant>,
    failures: u32,
    rebuilt: bool,
    error: Option<PlayerError>,
    overlay: bool,
    started: Instant,
    first_frame: Option<Duration>,
    frame_times: VecDeque<Duration>,
    /// When the tap that changed the touch screen came, until that screen is presented.
    tap_pending: Option<Instant>,
    /// From a tap to its screen presented, for the report.
    tap_latencies: Vec<Duration>,
    frames: u64,
    /// A playlist that came with a feed, waiting for the next page change.
    pending_playlist: Option<crate::model::Playlist>,
    /// How far the show clock runs ahead of a clock found to be behind the feed.
    skew: chrono::TimeDelta,
    feed_changed_at: Instant,
    /// systemd's supervisor, when it started us.
    notifier: Option<Notifier>,
    /// The last present (or attempt) succeeded: only then is the watchdog fed.
    healthy: bool,
    last_ping: Option<Instant>,
    /// A touch terminal's browsing, if the playlist has `[touch]`.
    terminal: Option<Terminal>,
    /// The touch screen on display; `None` while the rotation shows (attract).
    touch_frame: Option<Frame>,
    /// The touch screen must be composed again (a tap, a countdown second, a new feed).
    touch_dirty: bool,
    /// The session's phase when the touch screen was composed.
    touch_phase: Phase,
    script: VecDeque<Step>,
    /// Scripted input is timed from the first frame.
    script_base: Option<Instant>,
    modifiers: ModifiersState,
}

impl App {
    pub fn new(show: Show, options: PlayOptions, notifier: Option<Notifier>) -> App {
        let clock = Clock::new(options.start_at, options.clock_speed);
        let screen = &show.playlist().screen;
        let terminal = show
            .playlist()
            .touch
            .as_ref()
            .map(|t| Terminal::new(t, (screen.width, screen.height)));
        App {
            terminal,
            touch_frame: None,
            touch_dirty: false,
            touch_phase: Phase::Attract,
            script: options.input_script.iter().cloned().collect(),
            script_base: None,
            modifiers: ModifiersState::empty(),
            overlay: options.overlay,
            started: options.started,
            options,
            show,
            clock,
            gfx: None,
            current: None,
            page_dirty: true,
            unpresented: true,
            content_changed: false,
            transition: None,
            last_present: None,
            failures: 0,
            rebuilt: false,
            error: None,
            first_frame: None,
            frame_times: VecDeque::new(),
            tap_pending: None,
            tap_latencies: Vec::new(),
            frames: 0,
            skew: chrono::TimeDelta::zero(),
            pending_playlist: None,
            feed_changed_at: Instant::now(),
            notifier,
            healthy: false,
            last_ping: None,
        }
    }

    /// What the screen shows now (the page; on an LED, the capture rectangle), as a PNG for the
    /// service, when it asked for one.
    fn screenshot(&mut self) {
        let Some(reporting) = &self.options.reporting else {
            return;
        };
        let slot = &reporting.screenshot;
        if !slot.wanted.load(Ordering::SeqCst) {
            return;
        }
        // No window or no page yet, or a new page not drawn yet: taken on a later round.
        if (self.current.is_none() && self.touch_frame.is_none())
            || self.page_dirty
            || self.content_changed
        {
            return;
        }
        let Some(gfx) = &self.gfx else {
            return;
        };
        // An LED strip placed on a larger output: what its sending card captures.
        let screen = &self.show.playlist().screen;
        let strip = templates::for_kind(self.show.playlist().kind)
            .placed()
            .then(|| {
                (
                    (screen.x.max(0) as u32, screen.y.max(0) as u32),
                    (screen.width, screen.height),
                )
            });
        let png = gfx
            .renderer
            .read_back(&gfx.page.texture)
            .map(|pixels| match strip {
                Some((at, size)) if (pixels.width, pixels.height) != size => pixels.crop(at, size),
                _ => pixels,
            })
            .and_then(|pixels| crate::render::png_bytes(&pixels));
        match png {
            Ok(png) => {
                *slot.png.lock().expect("png lock") = Some(png);
                slot.wanted.store(false, Ordering::SeqCst);
                tracing::info!("screenshot taken for the service");
            }
            Err(e) => tracing::warn!("screenshot: {e}"),
        }
    }

    /// Feeds systemd's watchdog, at most every half period, only while frames succeed; returns
    /// when the loop must wake next to do so (even on a still page).
    fn feed_watchdog(&mut self, now: Instant) -> Option<Instant> {
        let notifier = self.notifier.as_ref()?;
        let every = notifier.ping_every?;
        // Nothing before the first frame: systemd's start timeout covers start-up.
        self.first_frame?;
        let due = self
            .last_ping
            .is_none_or(|t| now.duration_since(t) >= every);
        if due && self.healthy {
            notifier.send("WATCHDOG=1");
            self.last_ping = Some(now);
        }
        Some(self.last_ping.unwrap_or(now) + every)
    }

    /// After the loop: the error that ended it, and the report if one was asked for.
    pub fn finish(self) -> Result<(), PlayerError> {
        if let Some(n) = &self.notifier {
            n.send("STOPPING=1");
        }
        if let Some(path) = &self.options.report {
            let mut times: Vec<f64> = self
                .frame_times
                .iter()
                .map(|d| d.as_secs_f64() * 1000.0)
                .collect();
            times.sort_by(f64::total_cmp);
            let pick = |q: f64| {
                times
                    .get(((times.len().max(1) - 1) as f64 * q).round() as usize)
                    .copied()
            };
            let mut taps: Vec<f64> = self
                .tap_latencies
                .iter()
                .map(|d| d.as_secs_f64() * 1000.0)
                .collect();
            taps.sort_by(f64::total_cmp);
            let tap_median = taps.get(taps.len() / 2).copied();
            let report = serde_json::json!({
                "first_frame_ms": self.first_frame.map(|d| d.as_secs_f64() * 1000.0),
                "taps": taps.len(),
                "tap_to_present_ms_median": tap_median,
                "tap_to_present_ms_max": taps.last().copied(),
                "frames": self.frames,
                "frame_ms_median": pick(0.5),
                "frame_ms_p99": pick(0.99),
                "adapter": self.gfx.as_ref().map(|g| g.renderer.gpu().adapter_name()),
                "run_s": self.started.elapsed().as_secs_f64(),
                "cpu_s": own_cpu_seconds(),
                "peak_rss_kb": own_peak_rss_kb(),
            });
            if let Err(e) = std::fs::write(path, report.to_string()) {
                tracing::error!("{}: cannot write the report: {e}", path.display());
            }
        }
        match self.error {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    fn window_attributes(&self, event_loop: &ActiveEventLoop) -> winit::window::WindowAttributes {
        let playlist = self.show.written_playlist();
        let (w, h) = output_size(
            (playlist.screen.width, playlist.screen.height),
            playlist.screen.rotation,
        );
        let attrs =
            Window::default_attributes().with_title(format!("noticecast: {}", playlist.name));
        if self.options.windowed {
            return attrs.with_inner_size(PhysicalSize::new(w, h));
        }
        match templates::for_kind(playlist.kind).placed() {
            // An LED sending card captures exactly this rectangle of the desktop, pixel for pixel.
            true => attrs
                .with_decorations(false)
                .with_resizable(false)
                .with_position(PhysicalPosition::new(playlist.screen.x, playlist.screen.y))
                .with_inner_size(PhysicalSize::new(w, h))
                .with_window_level(WindowLevel::AlwaysOnTop),
            false => {
                let monitor = event_loop.available_monitors().next();
                let size = monitor
                    .as_ref()
                    .map_or(PhysicalSize::new(w, h), |m| m.size());
                // Without a window manager no Resized arrives: ask for the monitor's size too.
                attrs
                    .with_decorations(false)
                    .with_inner_size(size)
                    .with_fullscreen(Some(Fullscreen::Borderless(monitor)))
            }
        }
    }

    fn open(&mut self, event_loop: &ActiveEventLoop) {
        let window = match event_loop.create_window(self.window_attributes(event_loop)) {
            Ok(w) => Arc::new(w),
            Err(e) => {
                self.error = Some(PlayerError::EventLoop(e.to_string()));
                event_loop.exit();
                return;
            }
        };
        if !self.options.windowed {
            window.set_cursor_visible(false);
        }
        match Gfx::new(event_loop, window.clone()) {
            Ok(gfx) => {
                let size = window.inner_size();
                let pos = window.outer_position().ok();
                tracing::info!(
                    "window {}x{} at {:?}, adapter {}, {:?}",
                    size.width,
                    size.height,
                    pos.map(|p| (p.x, p.y)),
                    gfx.renderer.gpu().adapter_name(),
                    gfx.config.format
                );
                if let Some(reporting) = &self.options.reporting {
                    reporting.status.lock().expect("status lock").adapter =
                        Some(gfx.renderer.gpu().adapter_name());
                }
                self.gfx = Some(gfx);
                self.fit_output();
                self.page_dirty = true;
                window.request_redraw();
            }
            Err(e) => {
                tracing::error!("renderer: {e}");
                self.fail(event_loop);
            }
        }
    }

    /// Lays the show out for the window's real size (TV, terminal) or places the LED strip on
    /// it: whatever size the compositor gives the window, nothing is stretched.
    fn fit_output(&mut self) {
        let Some(gfx) = &self.gfx else { return };
        let rotation = self.show.written_playlist().screen.rotation;
        let picture = output_size(gfx.size(), rotation);
        if self.show.set_output(picture) {
            let playlist = self.show.playlist();
            if let Some(step) = crate::layout::templates::running_step(playlist) {
                tracing::info!("running text at {}", step.describe());
            }
            let hz = playlist.screen.refresh_hz;
            if let Some(mhz) = gfx
                .window
                .current_monitor()
                .and_then(|m| m.refresh_rate_millihertz())
                && (mhz as f32 / 1000.0 - hz).abs() > 0.5
            {
                tracing::warn!(
                    "the monitor refreshes at {:.2} Hz, the playlist says screen.refresh_hz = {hz}: running text may judder",
                    mhz as f32 / 1000.0
                );
            }
            let screen = &playlist.screen;
            match templates::for_kind(playlist.kind).placed() {
                true if picture != (screen.width, screen.height) => tracing::info!(
                    "LED strip {}x{} at {},{} of a {}x{} output, not scaled",
                    screen.width,
                    screen.height,
                    screen.x,
                    screen.y,
                    picture.0,
                    picture.1
                ),
                _ => tracing::info!(
                    "pages laid out for {}x{} (body {} px)",
                    screen.width,
                    screen.height,
                    playlist.typography.body_px
                ),
            }
            self.sync_terminal();
            if self.touch_frame.is_some() {
                self.touch_dirty = true;
            }
            self.content_changed = true;
        }
    }

    /// Counts a failed frame: after `MAX_FAILURES` in a row the renderer is rebuilt once; if that
    /// fails as often, the player exits non-zero so its supervisor restarts it.
    fn fail(&mut self, event_loop: &ActiveEventLoop) {
        self.failures += 1;
        if self.failures < MAX_FAILURES {
            return;
        }
        if self.rebuilt {
            self.error = Some(PlayerError::Failing(self.failures));
            event_loop.exit();
            return;
        }
        tracing::warn!("{} failed frames: rebuilding the renderer", self.failures);
        self.failures = 0;
        self.rebuild(event_loop);
    }

    fn rebuild(&mut self, event_loop: &ActiveEventLoop) {
        self.rebuilt = true;
        let Some(old) = self.gfx.take() else { return };
        let window = old.window.clone();
        drop(old);
        match Gfx::new(event_loop, window.clone()) {
            Ok(gfx) => {
                self.gfx = Some(gfx);
                self.fit_output();
                self.page_dirty = true;
                window.request_redraw();
            }
            Err(e) => {
                tracing::error!("rebuilding the renderer: {e}");
                self.error = Some(PlayerError::Failing(self.failures));
                event_loop.exit();
            }
        }
    }

    /// The show clock; on the signed feed never earlier than the newest feed accepted, so a box
    /// without a real-time clock that booted in 1970 still shows current notices.
    fn now(&self) -> crate::model::Timestamp {
        self.clock.now() + self.skew
    }

    /// If the clock is behind the newest feed's `generated_at`, it runs that much ahead from now
    /// on (it still advances: the rotation must not stand still).
    fn update_skew(&mut self) {
        if self.options.reporting.is_none() || self.show.feed().sequence == 0 {
            return;
        }
        let behind = self.show.feed().generated_at - self.clock.now();
        if self.options.start_at.is_none()
            && !crate::feed::timesync::synchronized_at(&crate::feed::timesync::marker())
        {
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
        if self.skew < chrono::TimeDelta::zero() {
            // The clock was untrusted and ahead; now synchronised, it is right again.
            self.skew = chrono::TimeDelta::zero();
        }
        if behind > self.skew {
            tracing::warn!(
                "the clock is {} s behind the feed: showing by the feed's time",
                behind.num_seconds()
            );
            self.skew = behind;
        }
    }

    fn page_key(&self, slot: &Slot) -> PageKey {
        PageKey {
            showing: slot.showing,
            notice: self.show.notice_of(slot).map(|n| n.id.clone()),
        }
    }

    /// Picks the page for now: a new slot, or new content for the same slot.
    fn update_page(&mut self) {
        let now = self.now();
        let due = match &self.current {
            None => true,
            Some(c) => self.content_changed || now >= c.slot.until || now < c.slot.start,
        };
        if !due {
            return;
        }
        let page_over = self
            .current
            .as_ref()
            .is_none_or(|c| now >= c.slot.until || now < c.slot.start);
        if page_over && let Some(playlist) = self.pending_playlist.take() {
            self.show.set_playlist(playlist);
            self.sync_terminal();
        }
        self.content_changed = false;
        let (slot, mut frame) = self.show.frame_at(now);
        let key = self.page_key(&slot);
        match &self.current {
            Some(old) if old.key == key => {
                // The same page again in a new slot (a notice shown alone comes back every
                // dwell): its showing so far becomes a record now, so a page that never leaves
                // the screen still has its plays (公示证明, the report).
                if old.slot.start != slot.start {
                    self.record_play(old, now);
                }
                // Same page, new content: running lines carry on from where they are.
                for (new, old) in frame.blocks.iter_mut().zip(&old.frame.blocks) {
                    if let (Some(n), Some(o)) = (new.motion, old.motion)
                        && new.role == old.role
                    {
                        new.motion = Some(o.continued(now, n));
                    }
                }
            }
            old => {
                if let Some(old) = old {
                    self.record_play(old, now);
                }
                let standby = matches!(slot.showing, Showing::Standby);
                let was_standby = old
                    .as_ref()
                    .is_some_and(|o| matches!(o.key.showing, Showing::Standby));
                if let Some(display) = &self.options.display
                    && (standby != was_standby || old.is_none())
                {
                    // Off-hours: the black frame stays, nothing is drawn, and the display
                    // sleeps; at the end of them it wakes.
                    display.switch(!standby);
                }
                let what = match (&key.notice, slot.showing) {
                    (Some(id), Showing::Page { page, pages, .. }) => {
                        format!("notice {id} page {}/{pages}", page + 1)
                    }
                    _ => format!("{:?}", slot.showing),
                };
                tracing::info!("showing {what} until {}", slot.until);
                let transition = self.show.playlist().transition.clone();
                if let (Some(_), Some(t), Some(gfx)) = (old, transition, &self.gfx)
                    && t.kind != TransitionKind::Cut
                    && t.duration_ms > 0
                {
                    gfx.keep_previous();
                    self.transition = Some(Transition {
                        kind: t.kind,
                        started: Instant::now(),
                        duration: Duration::from_millis(t.duration_ms as u64),
                    });
                }
            }
        }
        let (since, sequence, notice_sha256) = match &self.current {
            Some(old) if old.key == key && old.slot.start == slot.start => {
                (old.since, old.sequence, old.notice_sha256.clone())
            }
            _ => {
                let feed = self.show.feed();
                let hash = key
                    .notice
                    .as_ref()
                    .filter(|_| self.options.reporting.is_some())
                    .and_then(|id| feed.notice(id))
                    .map(crate::feed::plays::notice_hash);
                (now, feed.sequence, hash)
            }
        };
        let frame_sha256 = (key.notice.is_some() && self.options.reporting.is_some()).then(|| {
            let fonts = self.show.typesetter().fonts();
            let lines =
                frame.lines_json(|text, px, bold, bitmap| fonts.width_for(text, px, bold, bitmap));
            crate::feed::assets::sha256_hex(lines.to_string().as_bytes())
        });
        self.current = Some(Current {
            slot,
            key,
            frame,
            since,
            frame_sha256,
            sequence,
            notice_sha256,
        });
        self.page_dirty = true;
    }

    /// A page that left the screen becomes a play record.
    fn record_play(&self, old: &Current, now: crate::model::Timestamp) {
        if let (Some(reporting), Some(id), Showing::Page { page, .. }) =
            (&self.options.reporting, &old.key.notice, old.key.showing)
        {
            let seconds = (now - old.since).num_milliseconds() as f64 / 1000.0;
            // A page gone within half a second was not read (and the service does not count
            // it): not worth a record.
            if seconds < 0.5 {
                return;
            }
            let mut record = crate::feed::plays::PlayRecord::new(
                id,
                page as u32 + 1,
                old.since,
                seconds,
                old.sequence,
            );
            record.notice_sha256 = old.notice_sha256.clone();
            record.frame_sha256 = old.frame_sha256.clone();
            if let Err(e) = reporting.plays.push(record) {
                tracing::error!("play record not saved: {e}");
            }
        }
    }

    /// The staff overlay: group, feed, adapter, frame time, uptime.
    fn overlay_blocks(&self, frame: &mut Frame) {
        let Some(gfx) = &self.gfx else { return };
        let feed = self.show.feed();
        let mut times: Vec<Duration> = self.frame_times.iter().copied().collect();
        times.sort();
        let median = times
            .get(times.len() / 2)
            .map_or(0.0, |d| d.as_secs_f64() * 1000.0);
        let lines = [
            format!("group {}  feed sequence {}", feed.group, feed.sequence),
            format!(
                "feed generated {}  changed {:.0} s ago",
                feed.generated_at,
                self.feed_changed_at.elapsed().as_secs_f64()
            ),
            format!("adapter {}", gfx.renderer.gpu().adapter_name()),
            // What a security administrator compares before confirming this screen's key.
            format!(
                "device key {}",
                self.options
                    .reporting
                    .as_ref()
                    .and_then(|r| r.device_key_id.as_deref())
                    .unwrap_or("none")
            ),
            format!(
                "frame {median:.1} ms  uptime {:.0} s",
                self.started.elapsed().as_secs_f64()
            ),
        ];
        let px = (frame.height as f32 / 40.0).clamp(12.0, 28.0).round();
        let line_px = (px * 1.4).round();
        let band = Rect::new(
            0.0,
            0.0,
            frame.width as f32 * 0.6,
            line_px * lines.len() as f32 + px,
        );
        frame.fills.push(Fill {
            rect: band,
            color: Rgba([0, 0, 0, 220]),
        });
        frame.blocks.push(TextBlock {
            role: Role::Message,
            px,
            line_px,
            bold: false,
            bitmap: false,
            color: Rgba::WHITE,
            clip: band,
            lines: lines
                .into_iter()
                .enumerate()
                .map(|(i, text)| TextLine {
                    text,
                    x: px / 2.0,
                    y: px / 2.0 + i as f32 * line_px,
                    justify_px: 0.0,
                })
                .collect(),
            motion: None,
        });
    }

    fn redraw(&mut self, event_loop: &ActiveEventLoop) {
        if self
            .gfx
            .as_ref()
            .is_some_and(|g| g.lost.load(Ordering::SeqCst))
        {
            tracing::warn!("GPU device lost: rebuilding the renderer");
            self.rebuild(event_loop);
        }
        if !self.update_touch() {
            self.update_page();
        }
        let began = Instant::now();
        let now = self.now();
        if let Some(current) = self.current.as_mut() {
            current.frame.advance(now);
        }
        let outcome = match self.options.fault {
            Some(Fault::FailFrames(after)) if self.frames >= after => {
                Outcome::Failed("injected fault".into())
            }
            Some(Fault::LoseDevice(after)) if self.frames == after => {
                if let Some(gfx) = &self.gfx {
                    tracing::warn!("injected fault: destroying the GPU device");
                    gfx.renderer.gpu().device.destroy();
                    gfx.lost.store(true, Ordering::SeqCst);
                }
                self.frames += 1;
                Outcome::Again
            }
            _ => self.draw(event_loop),
        };
        let errored = self
            .gfx
            .as_ref()
            .is_some_and(|g| g.errored.swap(false, Ordering::SeqCst));
        let outcome = match outcome {
            Outcome::Presented if errored => Outcome::Failed("the GPU reported an error".into()),
            other => other,
        };
        match outcome {
            Outcome::Presented => {
                let presented = Instant::now();
                self.failures = 0;
                self.frames += 1;
                self.frame_times.push_back(presented - began);
                if self.frame_times.len() > 600 {
                    self.frame_times.pop_front();
                }
                // Frames are paced from when they began, so drawing time does not stretch the interval.
                self.last_present = Some(began);
                if let Some(tap) = self.tap_pending.take() {
                    self.tap_latencies.push(presented - tap);
                }
                self.healthy = true;
                if self.first_frame.is_none() {
                    self.script_base = Some(presented);
                    let elapsed = self.started.elapsed();
                    self.first_frame = Some(elapsed);
                    tracing::info!(
                        "first frame presented {:.0} ms after start",
                        elapsed.as_secs_f64() * 1000.0
                    );
                    if let Some(n) = &self.notifier {
                        n.send("READY=1\nSTATUS=showing the rotation");
                    }
                }
            }
            // Timeout or occluded: try again at the next frame time; nothing is lost
            // (`unpresented` stays, so a still page is presented then).
            Outcome::Later => self.last_present = Some(Instant::now()),
            Outcome::Again => gfx_request(&self.gfx),
            Outcome::Lost => {
                tracing::warn!("surface lost: rebuilding");
                self.rebuild(event_loop);
            }
            Outcome::Failed(why) => {
                self.healthy = false;
                tracing::error!("frame failed: {why}");
                if let Some(reporting) = &self.options.reporting {
                    reporting.status.lock().expect("status lock").last_error =
                        Some(format!("frame failed: {why}"));
                }
                self.fail(event_loop);
                gfx_request(&self.gfx);
            }
        }
    }

    /// Draws the page texture (whole, or only its running band) and brings it to the screen.
    fn draw(&mut self, event_loop: &ActiveEventLoop) -> Outcome {
        // A touch screen, while a resident browses; else the rotation's page.
        let base = match (&self.touch_frame, &self.current) {
            (Some(touch), _) => touch,
            (None, Some(current)) => &current.frame,
            (None, None) => return Outcome::Later,
        };
        let with_overlay = self.overlay.then(|| {
            let mut frame = base.clone();
            self.overlay_blocks(&mut frame);
            frame
        });
        if with_overlay.is_some() {
            // The overlay's figures change: the page is drawn whole while it shows.
            self.page_dirty = true;
        }
        let frame = with_overlay.as_ref().unwrap_or(base);
        let rotation = self.show.playlist().screen.rotation;
        let moving = frame.is_moving() && !self.clock.frozen();
        let Some(gfx) = self.gfx.as_mut() else {
            return Outcome::Later;
        };
        if gfx.ensure_page((frame.width, frame.height)) {
            self.page_dirty = true;
            self.transition = None;
        }
        // A running band on a TV or terminal gets a surface of its own (see `gfx::Band`); so
        // does an LED strip placed on a larger Wayland output, whole, so that each frame draws
        // and presents the strip alone, not the output around it.
        let region = frame.moving_region().filter(|_| moving);
        let screen = &self.show.playlist().screen;
        let placed = templates::for_kind(self.show.playlist().kind).placed();
        let band_rect = match (placed, region) {
            (true, Some(_))
                if gfx.wayland.is_some()
                    && (frame.width, frame.height) != (screen.width, screen.height) =>
            {
                Some(Rect::new(
                    screen.x as f32,
                    screen.y as f32,
                    screen.width as f32,
                    screen.height as f32,
                ))
            }
            (true, _) => None,
            (_, Some(r)) if rotation == 0 && gfx.size() == (frame.width, frame.height) => Some(r),
            _ => None,
        }
        // During a transition the whole window is presented: the band waits.
        .filter(|_| self.transition.is_none());
        let band = match band_rect {
            Some(r) => gfx.ensure_band(event_loop, r),
            None => {
                gfx.drop_band();
                false
            }
        };
        if std::mem::take(&mut gfx.window_stale) {
            // A new subsurface is placed by the window's next commit.
            self.unpresented = true;
        }
        let fonts = self.show.typesetter().fonts();
        let main_due =
            self.page_dirty || self.unpresented || self.transition.is_some() || (moving && !band);
        if main_due {
            let drawn = if self.page_dirty {
                gfx.renderer.draw(fonts, frame, &gfx.page.view).map(|_| ())
            } else if let (false, Some(region)) = (band, region) {
                gfx.renderer
                    .draw_region(fonts, frame, &gfx.page.view, region)
                    .map(|_| ())
            } else {
                Ok(())
            };
            if let Err(e) = drawn {
                return Outcome::Failed(e.to_string());
            }
            self.page_dirty = false;
            self.unpresented = true;
            match present_page(gfx, &mut self.transition, frame, rotation) {
                Outcome::Presented => self.unpresented = false,
                other => return other,
            }
        }
        if band && let Some(rect) = band_rect {
            return present_band(gfx, fonts, frame, rect);
        }
        Outcome::Presented
    }

    /// When the next frame is wanted, if anything moves; `None` on a still page.
    fn next_frame_at(&self) -> Option<Instant> {
        let current = self.current.as_ref()?;
        let moving = current.frame.is_moving() && !self.clock.frozen();
        if !moving && self.transition.is_none() {
            // A still page not presented yet (a present timed out): again a little later.
            return self.unpresented.then(|| {
                self.last_present
                    .map_or_else(Instant::now, |t| t + Duration::from_millis(100))
            });
        }
        // One frame per step of the running text (`layout::Step`: whole pixels every n
        // refreshes of the display), one per refresh during a transition.
        let step = crate::layout::templates::running_step(self.show.playlist());
        let interval = match step {
            Some(step) if self.transition.is_none() => Duration::from_secs_f64(step.interval_s()),
            _ => Duration::from_secs_f64(1.0 / self.show.playlist().screen.refresh_hz as f64),
        };
        Some(
            self.last_present
                .map_or_else(Instant::now, |t| t + interval),
        )
    }

    /// Whether a redraw is due now.
    fn due(&self) -> bool {
        let Some(current) = &self.current else {
            return true;
        };
        let now = self.now();
        now >= current.slot.until
            || self.content_changed
            || self.unpresented
            || self.overlay
            || self.next_frame_at().is_some_and(|t| t <= Instant::now())
    }
}

/// User plus system CPU time of this process so far (Linux; clock ticks of 1/100 s, the kernel's
/// USER_HZ on every Linux architecture we deploy to).
fn own_cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The command name may contain spaces: fields are counted after its closing parenthesis.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

/// The peak resident set size (VmHWM) of this process, in KiB.
fn own_peak_rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn gfx_request(gfx: &Option<Gfx>) {
    if let Some(g) = gfx {
        g.window.request_redraw();
    }
}

impl ApplicationHandler<PlayerEvent> for App {
    fn resumed(&mut self, event_loop: &ActiveEventLoop) {
        self.update_skew();
        if self.gfx.is_none() {
            self.open(event_loop);
        }
    }

    fn new_events(&mut self, _event_loop: &ActiveEventLoop, cause: StartCause) {
        if matches!(cause, StartCause::ResumeTimeReached { .. }) && self.due() {
            gfx_request(&self.gfx);
        }
    }

    fn user_event(&mut self, _event_loop: &ActiveEventLoop, event: PlayerEvent) {
        match event {
            // Taken in about_to_wait, after any redraw this round of events asked for.
            PlayerEvent::Screenshot => gfx_request(&self.gfx),
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
                        self.pending_playlist = Some(playlist);
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
                    if waiting && let Some(playlist) = self.pending_playlist.take() {
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
                    self.content_changed = true;
                    if self.touch_frame.is_some() {
                        self.touch_dirty = true;
                    }
                    self.feed_changed_at = Instant::now();
                    gfx_request(&self.gfx);
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
                if let Some(gfx) = self.gfx.as_mut() {
                    gfx.resize(size.width, size.height);
                    tracing::info!("window resized to {}x{}", size.width, size.height);
                }
                // A configured surface holds nothing yet: the page is drawn whole and presented,
                // on a still page too (under a Wayland compositor it stayed black otherwise).
                self.fit_output();
                self.page_dirty = true;
                gfx_request(&self.gfx);
            }
            WindowEvent::ScaleFactorChanged { .. } | WindowEvent::Occluded(false) => {
                // Layout is in physical pixels; a Resized follows if the size changed.
                self.page_dirty = true;
                gfx_request(&self.gfx);
            }
            WindowEvent::ModifiersChanged(m) => self.modifiers = m.state(),
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
                let m = self.modifiers;
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
        if let Some(Fault::Stall(after)) = self.options.fault
            && self.started.elapsed() >= Duration::from_secs(after)
        {
            tracing::warn!("injected fault: the event loop stops here");
            loop {
                std::thread::sleep(Duration::from_secs(3600));
            }
        }
        if let Some(limit) = self.options.exit_after
            && self.started.elapsed().as_secs_f64() >= limit
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
        let mut wake = now + MAX_SLEEP;
        if let Some(terminal) = self.terminal.as_mut() {
            terminal.session.tick(now);
            let phase = terminal.session.phase(now);
            if phase != self.touch_phase {
                self.touch_dirty = true;
                gfx_request(&self.gfx);
            }
            if let Some(at) = terminal.session.next_change(now) {
                wake = wake.min(at);
            }
        }
        // One scripted step per round, once the screen it aims at has been drawn.
        if let Some(base) = self.script_base
            && !self.touch_dirty
            && !self.page_dirty
            && let Some(step) = self.script.front()
        {
            if now >= base + step.at {
                let step = self.script.pop_front().expect("a step");
                self.scripted(step, event_loop);
                wake = now;
            } else {
                wake = wake.min(base + step.at);
            }
        }
        if let Some(at) = self.feed_watchdog(now) {
            wake = wake.min(at);
        }
        if let Some(Fault::Stall(after)) = self.options.fault {
            wake = wake.min(self.started + Duration::from_secs(after));
        }
        if let Some(current) = &self.current
            && let Some(at) = self.clock.when(current.slot.until - self.skew)
        {
            wake = wake.min(at);
        }
        if let Some(at) = self.next_frame_at() {
            wake = wake.min(at);
        }
        if self.overlay {
            wake = wake.min(now + Duration::from_secs(1));
        }
        if let Some(limit) = self.options.exit_after {
            wake = wake.min(self.started + Duration::from_secs_f64(limit));
        }
        if wake <= now && self.due() {
            gfx_request(&self.gfx);
        }
        event_loop.set_control_flow(ControlFlow::WaitUntil(wake.max(now)));
    }
}
