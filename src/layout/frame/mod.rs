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
    /// A numbered heading line (一、 and （一） bold).
    Heading,
    /// The bold lead-in of a numbered sentence (一、认证对象：), its line's rest a `Body` line.
    LeadIn,
    /// The title of a document an 印发 or 转发 notice carries, centred and bold.
    DocumentTitle,
    /// 落款: issuer and date, at the right.
    Signature,
    /// A table's header row, bold on its shaded band, repeated on every page the table spans.
    TableHeader,
    /// A table's cell, or a line of a row set as a card (姓名：张三).
    TableCell,
}

/// Where a table cell's line belongs: the body's `table` (from 0), its `row` (0 the header,
/// the rows under it from 1) and `col` (from 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Cell {
    pub table: usize,
    pub row: usize,
    pub col: usize,
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
    /// The table cell the line is in, if it is in one.
    pub cell: Option<Cell>,
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
    pub role: ImageRole,
    /// The asset a figure shows (its SHA-256), for `--lines-json`.
    pub asset: Option<String>,
}

/// What an image is, for `--lines-json` and tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ImageRole {
    /// A QR code to the full text.
    Qr,
    /// A notice's figure (a drawing, a map, a page of a PDF).
    Figure,
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
                        let mut json = serde_json::json!({
                            "text": l.text, "x": l.x, "y": l.y, "w": w, "h": b.line_px,
                            "compressed": compressed,
                        });
                        if let Some(cell) = l.cell {
                            json["table"] = cell.table.into();
                            json["row"] = cell.row.into();
                            json["col"] = cell.col.into();
                        }
                        json
                    })
                    .collect();
                serde_json::json!({ "role": b.role, "px": b.px, "bold": b.bold, "lines": lines })
            })
            .collect();
        let areas: serde_json::Map<String, serde_json::Value> = self
            .areas
            .iter()
            .map(|a| (a.name.to_string(), rect(&a.rect)))
            .collect();
        let images: Vec<serde_json::Value> = self
            .images
            .iter()
            .map(|i| {
                serde_json::json!({
                    "role": i.role, "asset": i.asset, "x": i.rect.x, "y": i.rect.y,
                    "w": i.rect.w, "h": i.rect.h,
                })
            })
            .collect();
        serde_json::json!({ "blocks": blocks, "images": images, "areas": areas })
    }
}

#[cfg(test)]
mod tests;
