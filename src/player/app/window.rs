//! The window and its renderer: opening them where the screen kind wants them, fitting the
//! show to the output, rebuilding after faults, and the screenshots the service asks for.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use winit::dpi::{PhysicalPosition, PhysicalSize};
use winit::event_loop::ActiveEventLoop;
use winit::window::{Fullscreen, Window, WindowLevel};

use super::App;
use super::health::Failing;
use crate::layout::templates;
use crate::player::PlayerError;
use crate::player::gfx::Gfx;
use crate::touch::transform::output_size;

impl App {
    /// What the screen shows now (the page; on an LED, the capture rectangle), as a PNG for the
    /// service, when it asked for one.
    pub(super) fn screenshot(&mut self) {
        let Some(reporting) = &self.options.reporting else {
            return;
        };
        let slot = &reporting.screenshot;
        if !slot.wanted.load(Ordering::SeqCst) {
            return;
        }
        // No window or no page yet, or a new page not drawn yet: taken on a later round.
        if (self.stage.current.is_none() && self.touch.frame.is_none())
            || self.stage.page_dirty
            || self.stage.content_changed
        {
            return;
        }
        let Some(gfx) = &self.stage.gfx else {
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

    pub(super) fn open(&mut self, event_loop: &ActiveEventLoop) {
        let window = match event_loop.create_window(self.window_attributes(event_loop)) {
            Ok(w) => Arc::new(w),
            Err(e) => {
                self.health.end(PlayerError::Window(e));
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
                self.stage.gfx = Some(gfx);
                self.fit_output();
                self.stage.page_dirty = true;
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
    pub(super) fn fit_output(&mut self) {
        let Some(gfx) = &self.stage.gfx else { return };
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
                    "the monitor refreshes at {:.2} Hz, the playlist says screen.refresh_hz = \
                     {hz}: running text may judder",
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
            if self.touch.frame.is_some() {
                self.touch.dirty = true;
            }
            self.stage.content_changed = true;
        }
    }

    /// Counts a failed frame: after a few in a row the renderer is rebuilt once; if that fails
    /// as often, the player exits non-zero so its supervisor restarts it.
    pub(super) fn fail(&mut self, event_loop: &ActiveEventLoop) {
        match self.health.failed() {
            Failing::Retry => {}
            Failing::Rebuild => self.rebuild(event_loop),
            Failing::GiveUp => event_loop.exit(),
        }
    }

    pub(super) fn rebuild(&mut self, event_loop: &ActiveEventLoop) {
        self.health.rebuilding();
        let Some(old) = self.stage.gfx.take() else {
            return;
        };
        let window = old.window.clone();
        drop(old);
        match Gfx::new(event_loop, window.clone()) {
            Ok(gfx) => {
                self.stage.gfx = Some(gfx);
                self.fit_output();
                self.stage.page_dirty = true;
                window.request_redraw();
            }
            Err(e) => {
                tracing::error!("rebuilding the renderer: {e}");
                self.health.give_up();
                event_loop.exit();
            }
        }
    }
}
