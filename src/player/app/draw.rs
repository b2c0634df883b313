//! Drawing a frame: the touch screen or the rotation's page, the staff overlay on it, the
//! running band on a surface of its own, and what became of the frame (presented, later,
//! lost, failed).

use std::sync::atomic::Ordering;
use std::time::Instant;

use winit::event_loop::ActiveEventLoop;

use super::App;
use crate::layout::templates;
use crate::layout::{Fill, Frame, Rect, Rgba, Role, TextBlock, TextLine};
use crate::player::hooks::Injected;
use crate::player::present::{Outcome, present_band, present_page};

impl App {
    /// The staff overlay: group, feed, adapter, frame time, uptime.
    fn overlay_blocks(&self, frame: &mut Frame) {
        let Some(gfx) = &self.stage.gfx else { return };
        let feed = self.show.feed();
        let median = self.meter.median_frame_ms();
        let lines = [
            format!("group {}  feed sequence {}", feed.group, feed.sequence),
            format!(
                "feed generated {}  changed {:.0} s ago",
                feed.generated_at,
                self.meter.since_feed_changed().as_secs_f64()
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
                self.meter.started().elapsed().as_secs_f64()
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
                    cell: None,
                })
                .collect(),
            motion: None,
        });
    }

    pub(super) fn redraw(&mut self, event_loop: &ActiveEventLoop) {
        if self
            .stage
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
        let now = self.clock.now();
        if let Some(current) = self.stage.current.as_mut() {
            current.frame.advance(now);
        }
        // A test's injected fault takes the place of drawing; production has no hooks.
        let injected = self.hooks.as_ref().and_then(|hooks| {
            hooks.instead_of_drawing(self.meter.frames(), self.stage.gfx.as_ref())
        });
        let outcome = match injected {
            Some(Injected::Failed) => Outcome::Failed("injected fault".into()),
            Some(Injected::DeviceLost) => {
                self.meter.count_frame();
                Outcome::Again
            }
            None => self.draw(event_loop),
        };
        let errored = self
            .stage
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
                self.health.presented();
                self.pacer.presented(began);
                if let Some(elapsed) = self.meter.presented(began, presented) {
                    self.touch.script_base = Some(presented);
                    tracing::info!(
                        "first frame presented {:.0} ms after start",
                        elapsed.as_secs_f64() * 1000.0
                    );
                    self.health.notify("READY=1\nSTATUS=showing the rotation");
                }
            }
            // Timeout or occluded: try again at the next frame time; nothing is lost
            // (`unpresented` stays, so a still page is presented then).
            Outcome::Later => self.pacer.later(),
            Outcome::Again => self.stage.request_redraw(),
            Outcome::Lost => {
                tracing::warn!("surface lost: rebuilding");
                self.rebuild(event_loop);
            }
            Outcome::Failed(why) => {
                tracing::error!("frame failed: {why}");
                if let Some(reporting) = &self.options.reporting {
                    reporting.status.lock().expect("status lock").last_error =
                        Some(format!("frame failed: {why}"));
                }
                self.fail(event_loop);
                self.stage.request_redraw();
            }
        }
    }

    /// Draws the page texture (whole, or only its running band) and brings it to the screen.
    fn draw(&mut self, event_loop: &ActiveEventLoop) -> Outcome {
        // A touch screen, while a resident browses; else the rotation's page.
        let base = match (&self.touch.frame, &self.stage.current) {
            (Some(touch), _) => touch,
            (None, Some(current)) => &current.frame,
            (None, None) => return Outcome::Later,
        };
        let with_overlay = self.stage.overlay.then(|| {
            let mut frame = base.clone();
            self.overlay_blocks(&mut frame);
            frame
        });
        if with_overlay.is_some() {
            // The overlay's figures change: the page is drawn whole while it shows.
            self.stage.page_dirty = true;
        }
        let frame = with_overlay.as_ref().unwrap_or(base);
        let rotation = self.show.playlist().screen.rotation;
        let moving = frame.is_moving() && !self.clock.frozen();
        let Some(gfx) = self.stage.gfx.as_mut() else {
            return Outcome::Later;
        };
        if gfx.ensure_page((frame.width, frame.height)) {
            self.stage.page_dirty = true;
            self.stage.transition = None;
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
        .filter(|_| self.stage.transition.is_none());
        let band = match band_rect {
            Some(r) => gfx.ensure_band(event_loop, r),
            None => {
                gfx.drop_band();
                false
            }
        };
        if std::mem::take(&mut gfx.window_stale) {
            // A new subsurface is placed by the window's next commit.
            self.stage.unpresented = true;
        }
        let fonts = self.show.typesetter().fonts();
        let main_due = self.stage.page_dirty
            || self.stage.unpresented
            || self.stage.transition.is_some()
            || (moving && !band);
        if main_due {
            let drawn = if self.stage.page_dirty {
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
            self.stage.page_dirty = false;
            self.stage.unpresented = true;
            match present_page(gfx, &mut self.stage.transition, frame, rotation) {
                Outcome::Presented => self.stage.unpresented = false,
                other => return other,
            }
        }
        if band && let Some(rect) = band_rect {
            return present_band(gfx, fonts, frame, rect);
        }
        Outcome::Presented
    }
}
