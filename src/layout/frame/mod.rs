//! A frame as plain data: filled rectangles, text lines and images at pixel positions.
//!
//! Layout produces it, the renderer only draws it, and tests compare it as data.

use std::sync::Arc;

use serde::Serialize;

use crate::model::Timestamp;

/// An sRGB colour with straight alpha.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Rgba(pub [u8; 4]);

impl Rgba {
    pub const BLACK: Rgba = Rgba([0, 0, 0, 255]);
    pub const WHITE: Rgba = Rgba([255, 255, 255, 255]);

    pub const fn rgb(hex: u32) -> Rgba {
        Rgba([(hex >> 16) as u8, (hex >> 8) as u8, hex as u8, 255])
    }
}

/// A rectangle in physical pixels, origin top left.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Rect {
    pub x: f32,
    pub y: f32,
    pub w: f32,
    pub h: f32,
}

impl Rect {
    pub fn new(x: f32, y: f32, w: f32, h: f32) -> Rect {
        Rect { x, y, w, h }
    }
    pub fn bottom(&self) -> f32 {
        self.y + self.h
    }
    pub fn right(&self) -> f32 {
        self.x + self.w
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fill {
    pub rect: Rect,
    pub color: Rgba,
}

/// What a block of text is, for tests, `--lines-json` and the staff overlay.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Header,
    Title,
    Body,
    Footer,
    Caption,
    Ticker,
    Marquee,
    Message,
    /// A notice's own blocks: what to do (防御指南) and whom to call, on every page, never cut.
    Aside,
    /// 主送机关, flush left.
    Addressee,
    /// A numbered heading (一、 bold).
    Heading,
    /// 落款: issuer and date, at the right.
    Signature,
}

/// One line of text; `y` is the top of its line box.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TextLine {
    pub text: String,
    pub x: f32,
    pub y: f32,
    /// Extra pixels after each stretch point (`linebreak::stretch_points`): inter-character
    /// justification. 0 for ragged lines.
    pub justify_px: f32,
}

/// How running text moves on a display that refreshes `refresh_hz` times a second: `px` whole
/// pixels every `refreshes` refreshes. Any other speed moves 1,1,1,1,0 pixels per refresh, a
/// judder residents see (48 px/s at 60 Hz is a 12 Hz stutter).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Step {
    pub px: u32,
    pub refreshes: u32,
    pub refresh_hz: f32,
}

impl Step {
    /// The step whose speed is nearest `speed_px_s` at `refresh_hz`.
    pub fn locked(speed_px_s: f32, refresh_hz: f32) -> Step {
        let (speed, hz) = (speed_px_s.max(0.01) as f64, refresh_hz.max(1.0) as f64);
        let step = |px: u32, refreshes: u32| Step {
            px: px.max(1),
            refreshes: refreshes.max(1),
            refresh_hz,
        };
        if speed >= hz {
            // Halfway between two speeds, the slower: residents read it.
            let k = speed / hz;
            let k = if k.fract() == 0.5 {
                k.floor()
            } else {
                k.round()
            };
            return step(k as u32, 1);
        }
        // One pixel every n refreshes: the nearer of the two n around hz / speed.
        let n = hz / speed;
        let (slow, fast) = (n.ceil().max(1.0), n.floor().max(1.0));
        if (hz / slow - speed).abs() <= (hz / fast - speed).abs() {
            step(1, slow as u32)
        } else {
            step(1, fast as u32)
        }
    }

    /// Pixels per second.
    pub fn speed(&self) -> f32 {
        self.px as f32 * self.refresh_hz / self.refreshes as f32
    }

    /// Seconds between two moves.
    pub fn interval_s(&self) -> f64 {
        self.refreshes as f64 / self.refresh_hz as f64
    }

    /// For logs and `check`.
    pub fn describe(&self) -> String {
        let every = match (self.px, self.refreshes) {
            (1, 1) => "1 pixel every refresh".to_string(),
            (px, 1) => format!("{px} pixels every refresh"),
            (_, n) => format!("1 pixel every {n} refreshes"),
        };
        format!("{} px/s ({every} at {} Hz)", self.speed(), self.refresh_hz)
    }
}

/// How a running line (ticker, marquee) moves: its position is a function of the instant, so a
/// frame can be advanced without laying it out again, and every render of an instant agrees.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Motion {
    /// The line's x when it has travelled nothing: the right edge of its band.
    pub right: f32,
    /// The distance already travelled at `since`.
    pub offset_px: f64,
    pub since: Timestamp,
    pub step: Step,
    /// After this distance (text width plus band width) the line starts over.
    pub cycle_px: f64,
}

impl Motion {
    /// Pixels travelled at `t`: whole steps of whole pixels, counted in refreshes since `since`
    /// (LED modules blur sub-pixel positions, and uneven steps judder).
    pub fn travelled(&self, t: Timestamp) -> f64 {
        let secs = (t - self.since).num_microseconds().unwrap_or(0) as f64 / 1e6;
        // An instant given to the microsecond (`render --at`) may fall a hair before the
        // refresh it names: a thousandth of a refresh of slack.
        let refreshes = (secs * self.step.refresh_hz as f64 + 1e-3).floor();
        let steps = (refreshes / self.step.refreshes as f64).floor();
        (self.offset_px + steps * self.step.px as f64)
            .rem_euclid(self.cycle_px.max(1.0))
            .floor()
    }

    pub fn x_at(&self, t: Timestamp) -> f32 {
        self.right - self.travelled(t) as f32
    }

    /// `next` (new text, same band), carried on from where `self` is at `t`: a content update
    /// does not restart the scroll.
    pub fn continued(&self, t: Timestamp, next: Motion) -> Motion {
        Motion {
            offset_px: self.travelled(t).rem_euclid(next.cycle_px.max(1.0)),
            since: t,
            ..next
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TextBlock {
    pub role: Role,
    pub px: f32,
    pub line_px: f32,
    pub bold: bool,
    /// Set in the bundled bitmap face of its size (`Fonts::bitmap_family`): single-colour LED.
    pub bitmap: bool,
    pub color: Rgba,
    /// Glyphs outside are not drawn (marquee and ticker bands).
    pub clip: Rect,
    pub lines: Vec<TextLine>,
    /// For a running line (one line): how it moves.
    #[serde(skip)]
    pub motion: Option<Motion>,
}

/// An RGBA8 image (sRGB), e.g. a QR code.
#[derive(Debug, Clone, PartialEq)]
pub struct Image {
    pub width: u32,
    pub height: u32,
    pub rgba: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ImageBox {
    pub rect: Rect,
    pub image: Arc<Image>,
    /// Sample without smoothing: QR modules and pixel art stay sharp.
    pub nearest: bool,
}

/// Everything on screen at one instant.
#[derive(Debug, Clone, PartialEq)]
pub struct Frame {
    pub width: u32,
    pub height: u32,
    pub background: Rgba,
    pub fills: Vec<Fill>,
    pub blocks: Vec<TextBlock>,
    pub images: Vec<ImageBox>,
    /// A single-colour panel (`[screen] bits = 1`): the frame holds exactly these two colours,
    /// background and lit; the renderer sends every pixel to the nearer.
    pub two_colours: Option<(Rgba, Rgba)>,
    /// The page's areas (header, title, body, aside, qr, footer, ticker), for checks and
    /// `--lines-json`: text of a role stays inside its area, and areas do not overlap.
    pub areas: Vec<Area>,
}

/// A named area of a page.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Area {
    pub name: &'static str,
    pub rect: Rect,
}

impl Frame {
    pub fn blank(width: u32, height: u32, background: Rgba) -> Frame {
        Frame {
            width,
            height,
            background,
            fills: Vec::new(),
            blocks: Vec::new(),
            images: Vec::new(),
            two_colours: None,
            areas: Vec::new(),
        }
    }

    /// Moves every running line to where it is at `t`.
    pub fn advance(&mut self, t: Timestamp) {
        for block in &mut self.blocks {
            if let (Some(motion), Some(line)) = (block.motion, block.lines.first_mut()) {
                line.x = motion.x_at(t);
            }
        }
    }

    /// Whether anything on the frame moves by itself.
    pub fn is_moving(&self) -> bool {
        self.blocks.iter().any(|b| b.motion.is_some())
    }

    /// The smallest rectangle holding every running line's band.
    pub fn moving_region(&self) -> Option<Rect> {
        self.blocks
            .iter()
            .filter(|b| b.motion.is_some())
            .map(|b| b.clip)
            .reduce(|a, b| {
                let (x, y) = (a.x.min(b.x), a.y.min(b.y));
                Rect::new(
                    x,
                    y,
                    a.right().max(b.right()) - x,
                    a.bottom().max(b.bottom()) - y,
                )
            })
    }

    /// The part of the frame inside `region`: what must be drawn again when only that region
    /// changes.
    pub fn within(&self, region: Rect) -> Frame {
        let overlaps = |r: &Rect| {
            r.x < region.right()
                && r.right() > region.x
                && r.y < region.bottom()
                && r.bottom() > region.y
        };
        let mut part = Frame::blank(self.width, self.height, self.background);
        part.two_colours = self.two_colours;
        part.fills = self
            .fills
            .iter()
            .filter(|f| overlaps(&f.rect))
            .cloned()
            .collect();
        part.images = self
            .images
            .iter()
            .filter(|i| overlaps(&i.rect))
            .cloned()
            .collect();
        part.blocks = self
            .blocks
            .iter()
            .filter_map(|b| {
                let lines: Vec<TextLine> = b
                    .lines
                    .iter()
                    .filter(|l| overlaps(&Rect::new(b.clip.x, l.y, b.clip.w, b.line_px)))
                    .cloned()
                    .collect();
                (!lines.is_empty()).then(|| TextBlock { lines, ..b.clone() })
            })
            .collect();
        part
    }

    /// The part of the frame inside `region`, moved so that `region`'s corner is the origin: what
    /// a separate small surface over that region shows.
    pub fn crop(&self, region: Rect) -> Frame {
        let mut part = self.within(region);
        // A fill covering the whole region becomes the background: one pass fewer per frame.
        if let Some(i) = part.fills.iter().rposition(|f| {
            f.rect.x <= region.x
                && f.rect.y <= region.y
                && f.rect.right() >= region.right()
                && f.rect.bottom() >= region.bottom()
        }) {
            part.background = part.fills[i].color;
            part.fills.drain(..=i);
        }
        let (dx, dy) = (region.x, region.y);
        let shift = |r: &mut Rect| {
            r.x -= dx;
            r.y -= dy;
        };
        part.width = region.w.round().max(1.0) as u32;
        part.height = region.h.round().max(1.0) as u32;
        part.fills.iter_mut().for_each(|f| shift(&mut f.rect));
        part.images.iter_mut().for_each(|i| shift(&mut i.rect));
        for block in &mut part.blocks {
            shift(&mut block.clip);
            for line in &mut block.lines {
                line.x -= dx;
                line.y -= dy;
            }
        }
        part
    }

    /// The running band as one strip a compositor can slide past: the band's background, the
    /// running line once, and the background again, `region.w` pixels on either side of the
    /// text, so that wherever the line is the strip covers the whole band. The line starts at
    /// x = `region.w`. `None` unless `region` holds that one line on its background alone.
    pub fn strip(&self, region: Rect) -> Option<Frame> {
        let part = self.crop(region);
        let [block] = part.blocks.as_slice() else {
            return None;
        };
        let ([line], Some(motion)) = (block.lines.as_slice(), block.motion) else {
            return None;
        };
        if !part.fills.is_empty() || !part.images.is_empty() {
            return None;
        }
        let width = (motion.cycle_px as f32 + region.w).ceil() as u32;
        let mut strip = Frame::blank(width, part.height, part.background);
        strip.blocks.push(TextBlock {
            clip: Rect::new(0.0, 0.0, width as f32, part.height as f32),
            lines: vec![TextLine {
                x: region.w,
                ..line.clone()
            }],
            motion: None,
            ..block.clone()
        });
        Some(strip)
    }

    /// This frame at `at` on a black output of `output` pixels: what an LED's sending card
    /// captures, pixel for pixel, when the compositor gives the window the whole output. Nothing
    /// is scaled; whatever falls outside the output is cut off.
    pub fn placed(&self, output: (u32, u32), at: (i32, i32)) -> Frame {
        let (dx, dy) = (at.0 as f32, at.1 as f32);
        let shift = |r: Rect| Rect::new(r.x + dx, r.y + dy, r.w, r.h);
        let mut out = Frame::blank(output.0, output.1, Rgba::BLACK);
        out.two_colours = self.two_colours;
        out.areas.extend(self.areas.iter().map(|a| Area {
            rect: shift(a.rect),
            ..*a
        }));
        out.fills.push(Fill {
            rect: Rect::new(dx, dy, self.width as f32, self.height as f32),
            color: self.background,
        });
        out.fills.extend(self.fills.iter().map(|f| Fill {
            rect: shift(f.rect),
            color: f.color,
        }));
        out.images.extend(self.images.iter().map(|i| ImageBox {
            rect: shift(i.rect),
            ..i.clone()
        }));
        out.blocks.extend(self.blocks.iter().map(|b| {
            TextBlock {
                clip: shift(b.clip),
                lines: b
                    .lines
                    .iter()
                    .map(|l| TextLine {
                        x: l.x + dx,
                        y: l.y + dy,
                        ..l.clone()
                    })
                    .collect(),
                motion: b.motion.map(|m| Motion {
                    right: m.right + dx,
                    ..m
                }),
                ..b.clone()
            }
        }));
        out
    }

    /// Every distinct character drawn, to warm the glyph atlas before the frame is shown.
    pub fn chars(&self) -> impl Iterator<Item = char> + '_ {
        self.blocks
            .iter()
            .flat_map(|b| b.lines.iter().flat_map(|l| l.text.chars()))
    }

    /// The laid-out text with its geometry, as written by `--lines-json`: every line's box in
    /// page pixels (`w` as drawn, justification included; `h` the line's height) and the page's
    /// areas. `width` measures a line: (text, px, bold, bitmap face).
    pub fn lines_json(
        &self,
        mut width: impl FnMut(&str, f32, bool, bool) -> f32,
    ) -> serde_json::Value {
        let rect = |r: &Rect| serde_json::json!({"x": r.x, "y": r.y, "w": r.w, "h": r.h});
        let blocks: Vec<serde_json::Value> = self
            .blocks
            .iter()
            .map(|b| {
                let lines: Vec<serde_json::Value> = b
                    .lines
                    .iter()
                    .map(|l| {
                        let chars: Vec<char> = l.text.chars().collect();
                        let stretch = super::linebreak::stretch_points(&chars).len() as f32;
                        let w = width(&l.text, b.px, b.bold, b.bitmap) + l.justify_px * stretch;
                        // Full-width marks set half-width (。” ：“ and the like).
                        let compressed = super::linebreak::compressed(&chars)
                            .iter()
                            .filter(|c| **c)
                            .count();
                        serde_json::json!({
                            "text": l.text, "x": l.x, "y": l.y, "w": w, "h": b.line_px,
                            "compressed": compressed,
                        })
                    })
                    .collect();
                serde_json::json!({ "role": b.role, "lines": lines })
            })
            .collect();
        let areas: serde_json::Map<String, serde_json::Value> = self
            .areas
            .iter()
            .map(|a| (a.name.to_string(), rect(&a.rect)))
            .collect();
        serde_json::json!({ "blocks": blocks, "areas": areas })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Timestamp {
        Timestamp::parse_from_rfc3339(s).unwrap()
    }

    fn motion() -> Motion {
        Motion {
            right: 100.0,
            offset_px: 0.0,
            since: t("2026-11-27T10:00:00+08:00"),
            step: Step {
                px: 1,
                refreshes: 1,
                refresh_hz: 48.0,
            },
            cycle_px: 300.0,
        }
    }

    #[test]
    fn a_running_line_moves_in_whole_pixels_and_wraps() {
        let m = motion();
        assert_eq!(m.x_at(t("2026-11-27T10:00:00+08:00")), 100.0);
        assert_eq!(m.x_at(t("2026-11-27T10:00:01+08:00")), 52.0);
        // 1.01 s is 48.48 px: the line stays on a whole pixel.
        assert_eq!(m.x_at(t("2026-11-27T10:00:01.010+08:00")), 52.0);
        // 6.25 s is 300 px, one whole cycle.
        assert_eq!(m.x_at(t("2026-11-27T10:00:06.250+08:00")), 100.0);
    }

    fn band_frame() -> Frame {
        let mut frame = Frame::blank(100, 50, Rgba::WHITE);
        frame.fills.push(Fill {
            rect: Rect::new(0.0, 0.0, 100.0, 10.0),
            color: Rgba::BLACK,
        });
        frame.fills.push(Fill {
            rect: Rect::new(0.0, 40.0, 100.0, 10.0),
            color: Rgba::rgb(0x1F3A5F),
        });
        let line = |text: &str, y| TextLine {
            text: text.into(),
            x: 5.0,
            y,
            justify_px: 0.0,
        };
        let band = Rect::new(0.0, 40.0, 100.0, 10.0);
        frame.blocks.push(TextBlock {
            role: Role::Body,
            px: 8.0,
            line_px: 10.0,
            bold: false,
            bitmap: false,
            color: Rgba::BLACK,
            clip: Rect::new(0.0, 0.0, 100.0, 50.0),
            lines: vec![line("top", 12.0), line("bottom", 30.0)],
            motion: None,
        });
        frame.blocks.push(TextBlock {
            role: Role::Ticker,
            px: 8.0,
            line_px: 10.0,
            bold: false,
            bitmap: false,
            color: Rgba::WHITE,
            clip: band,
            lines: vec![line("ticker", 40.0)],
            motion: Some(Motion {
                right: 100.0,
                ..motion()
            }),
        });
        frame
    }

    #[test]
    fn the_moving_region_is_the_running_band_and_crops_to_it() {
        let mut frame = band_frame();
        let region = frame.moving_region().expect("a ticker runs");
        assert_eq!(region, Rect::new(0.0, 40.0, 100.0, 10.0));
        frame.advance(t("2026-11-27T10:00:01+08:00"));
        assert_eq!(frame.blocks[1].lines[0].x, 52.0);
        let part = frame.crop(region);
        assert_eq!((part.width, part.height), (100, 10));
        // The band's fill became the background; the header fill and the body lines are outside.
        assert_eq!(part.background, Rgba::rgb(0x1F3A5F));
        assert!(part.fills.is_empty());
        assert_eq!(part.blocks.len(), 1);
        assert_eq!(
            (part.blocks[0].lines[0].x, part.blocks[0].lines[0].y),
            (52.0, 0.0)
        );
        assert_eq!(part.blocks[0].clip, Rect::new(0.0, 0.0, 100.0, 10.0));
    }

    #[test]
    fn speeds_lock_to_the_nearest_the_refresh_allows() {
        let s = |speed, hz| {
            let step = Step::locked(speed, hz);
            (step.px, step.refreshes, step.speed())
        };
        assert_eq!(s(48.0, 60.0), (1, 1, 60.0));
        assert_eq!(s(40.0, 60.0), (1, 2, 30.0));
        assert_eq!(s(60.0, 60.0), (1, 1, 60.0));
        assert_eq!(s(120.0, 60.0), (2, 1, 120.0));
        assert_eq!(s(100.0, 60.0), (2, 1, 120.0));
        // Halfway: the slower.
        assert_eq!(s(90.0, 60.0), (1, 1, 60.0));
        assert_eq!(s(20.0, 60.0), (1, 3, 20.0));
        assert_eq!(s(25.0, 50.0), (1, 2, 25.0));
        assert_eq!(s(5.0, 60.0), (1, 12, 5.0));
    }

    #[test]
    fn every_refresh_moves_the_same_whole_pixels() {
        let since = t("2026-11-27T10:00:00+08:00");
        for (speed, hz) in [(48.0, 60.0), (90.0, 60.0), (40.0, 60.0), (33.0, 75.0)] {
            let step = Step::locked(speed, hz);
            let m = Motion {
                right: 1000.0,
                offset_px: 0.0,
                since: since - chrono::TimeDelta::milliseconds(7),
                step,
                cycle_px: 100_000.0,
            };
            // Instants at 1/hz steps, rounded to the microsecond as `--at` gives them.
            let at = |i: u32| {
                since + chrono::TimeDelta::microseconds((i as f64 * 1e6 / hz as f64).round() as i64)
            };
            let per_step: Vec<f32> = (0..(2 * hz as u32) / step.refreshes)
                .map(|i| m.x_at(at(i * step.refreshes)) - m.x_at(at((i + 1) * step.refreshes)))
                .collect();
            assert!(
                per_step.iter().all(|&d| d == step.px as f32),
                "{speed} px/s at {hz} Hz: steps {per_step:?}"
            );
        }
    }

    #[test]
    fn a_strip_covers_the_band_wherever_the_line_is() {
        let frame = band_frame();
        let region = frame.moving_region().unwrap();
        let strip = frame.strip(region).expect("a band with one running line");
        let motion = frame.blocks[1].motion.unwrap();
        assert_eq!(strip.width as f64, motion.cycle_px + region.w as f64);
        assert_eq!(strip.background, Rgba::rgb(0x1F3A5F));
        assert_eq!(strip.blocks[0].lines[0].x, region.w);
        // Placed at the line's x less the band's width, it spans the band at every step.
        for ms in (0..6250).step_by(125) {
            let x =
                motion.x_at(t("2026-11-27T10:00:00+08:00") + chrono::TimeDelta::milliseconds(ms));
            let left = x - region.w;
            assert!(left <= region.x && left + strip.width as f32 >= region.right());
        }
        // Anything else in the band (a label) and it is no strip.
        let mut labelled = frame.clone();
        let line = labelled.blocks[1].lines[0].clone();
        labelled.blocks[1].lines.push(line);
        assert!(labelled.strip(region).is_none());
    }

    #[test]
    fn a_placed_frame_sits_on_black_at_its_rectangle_and_runs_there() {
        let frame = band_frame();
        let placed = frame.placed((300, 200), (40, 30));
        assert_eq!((placed.width, placed.height), (300, 200));
        assert_eq!(placed.background, Rgba::BLACK);
        // The strip's own background, then its fills, moved.
        assert_eq!(placed.fills[0].rect, Rect::new(40.0, 30.0, 100.0, 50.0));
        assert_eq!(placed.fills[0].color, Rgba::WHITE);
        assert_eq!(placed.fills[1].rect, Rect::new(40.0, 30.0, 100.0, 10.0));
        assert_eq!(placed.blocks[0].lines[1].y, 60.0);
        // The running band moves with it and still runs from its right edge.
        let region = placed.moving_region().expect("a ticker runs");
        assert_eq!(region, Rect::new(40.0, 70.0, 100.0, 10.0));
        let at = t("2026-11-27T10:00:01+08:00");
        let mut moved = placed.clone();
        moved.advance(at);
        let mut original = frame.clone();
        original.advance(at);
        assert_eq!(
            moved.blocks[1].lines[0].x,
            original.blocks[1].lines[0].x + 40.0
        );
    }

    #[test]
    fn a_content_update_keeps_the_position() {
        let old = motion();
        let at = t("2026-11-27T10:00:02+08:00");
        let next = Motion {
            cycle_px: 500.0,
            since: at,
            ..motion()
        };
        let carried = old.continued(at, next);
        assert_eq!(carried.x_at(at), old.x_at(at));
        assert_eq!(carried.cycle_px, 500.0);
    }
}
