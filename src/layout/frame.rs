//! A frame as plain data: filled rectangles, text lines and images at pixel positions.
//!
//! Layout produces it, the renderer only draws it, and tests compare it as data.

use std::sync::Arc;

use serde::Serialize;

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
