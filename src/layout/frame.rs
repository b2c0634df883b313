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

/// How a running line (ticker, marquee) moves: its position is a function of the instant, so a
/// frame can be advanced without laying it out again, and every render of an instant agrees.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Motion {
    /// The line's x when it has travelled nothing: the right edge of its band.
    pub right: f32,
    /// The distance already travelled at `since`.
    pub offset_px: f64,
    pub since: Timestamp,
    pub speed_px_s: f32,
    /// After this distance (text width plus band width) the line starts over.
    pub cycle_px: f64,
}

impl Motion {
    /// Pixels travelled at `t`, in whole pixels: LED modules blur sub-pixel positions, and text
    /// on whole pixels is sharp everywhere.
    pub fn travelled(&self, t: Timestamp) -> f64 {
        let secs = (t - self.since).num_microseconds().unwrap_or(0) as f64 / 1e6;
        (self.offset_px + secs * self.speed_px_s as f64)
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

    /// Every distinct character drawn, to warm the glyph atlas before the frame is shown.
    pub fn chars(&self) -> impl Iterator<Item = char> + '_ {
        self.blocks
            .iter()
            .flat_map(|b| b.lines.iter().flat_map(|l| l.text.chars()))
    }

    /// The laid-out text, as written by `--lines-json`.
    pub fn lines_json(&self) -> serde_json::Value {
        let blocks: Vec<serde_json::Value> = self
            .blocks
            .iter()
            .map(|b| {
                serde_json::json!({
                    "role": b.role,
                    "lines": b.lines.iter().map(|l| l.text.as_str()).collect::<Vec<_>>(),
                })
            })
            .collect();
        serde_json::json!({ "blocks": blocks })
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
            speed_px_s: 48.0,
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
