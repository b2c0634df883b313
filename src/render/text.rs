//! Text through glyphon: one shaped buffer per line, kept while consecutive frames use it.

use std::collections::HashMap;

use glyphon::cosmic_text::{Shaping, Wrap};
use glyphon::{
    Buffer, Cache, Color, Metrics, PrepareError, Resolution, SwashCache, TextArea, TextAtlas,
    TextBounds, TextRenderer, Viewport,
};

use super::RenderError;
use crate::layout::linebreak::{compressed, stretch_points};
use crate::layout::{Fonts, Frame, TextBlock, TextLine};

/// What makes two lines shape identically.
#[derive(Clone, PartialEq, Eq, Hash)]
struct LineKey {
    text: String,
    px: u32,
    line_px: u32,
    bold: bool,
    bitmap: bool,
    justify: u32,
}

impl LineKey {
    fn new(block: &TextBlock, line: &TextLine) -> LineKey {
        LineKey {
            text: line.text.clone(),
            px: block.px.to_bits(),
            line_px: block.line_px.to_bits(),
            bold: block.bold,
            bitmap: block.bitmap,
            justify: line.justify_px.to_bits(),
        }
    }
}

pub struct TextPainter {
    atlas: TextAtlas,
    viewport: Viewport,
    renderer: TextRenderer,
    swash: SwashCache,
    /// Shaped lines of the last frame. Rebuilt every frame from what the frame uses, so it holds
    /// one frame's lines at most however long the player runs.
    buffers: HashMap<LineKey, Buffer>,
}

fn shape(fonts: &mut Fonts, block: &TextBlock, line: &TextLine) -> Buffer {
    let attrs = fonts.attrs_for(block.bold, block.bitmap, block.px);
    let system = fonts.system();
    let mut buffer = Buffer::new(system, Metrics::new(block.px, block.line_px));
    buffer.set_wrap(Wrap::None);
    buffer.set_size(None, None);
    // Letter spacing (in ems) after each character: half an em less for a compressed mark
    // (layout::linebreak::compressed), plus the justification after each stretch point.
    let chars: Vec<(usize, char)> = line.text.char_indices().collect();
    let plain: Vec<char> = chars.iter().map(|c| c.1).collect();
    let mut spacing: Vec<f32> = compressed(&plain)
        .iter()
        .map(|&c| if c { -0.5 } else { 0.0 })
        .collect();
    if line.justify_px > 0.0 {
        for i in stretch_points(&plain) {
            spacing[i] += line.justify_px / block.px;
        }
    }
    if spacing.iter().any(|&s| s != 0.0) {
        let mut spans: Vec<(&str, glyphon::Attrs)> = Vec::new();
        let mut start = 0;
        for i in 1..=chars.len() {
            if i == chars.len() || spacing[i] != spacing[start] {
                let end = chars.get(i).map_or(line.text.len(), |c| c.0);
                let span_attrs = if spacing[start] != 0.0 {
                    attrs.clone().letter_spacing(spacing[start])
                } else {
                    attrs.clone()
                };
                spans.push((&line.text[chars[start].0..end], span_attrs));
                start = i;
            }
        }
        buffer.set_rich_text(spans, &attrs, Shaping::Advanced, None);
    } else {
        buffer.set_text(&line.text, &attrs, Shaping::Advanced, None);
    }
    buffer.shape_until_scroll(system, false);
    buffer
}

impl TextPainter {
    pub fn new(
        device: &wgpu::Device,
        queue: &wgpu::Queue,
        format: wgpu::TextureFormat,
    ) -> TextPainter {
        let cache = Cache::new(device);
        let viewport = Viewport::new(device, &cache);
        let mut atlas = TextAtlas::new(device, queue, &cache, format);
        let renderer =
            TextRenderer::new(&mut atlas, device, wgpu::MultisampleState::default(), None);
        TextPainter {
            atlas,
            viewport,
            renderer,
            swash: SwashCache::new(),
            buffers: HashMap::new(),
        }
    }

    /// Shapes the frame's lines and uploads their glyphs. A full atlas is trimmed of glyphs that
    /// earlier frames used, then tried again: never a blank frame for want of atlas space.
    pub fn prepare(
        &mut self,
        device: &wgpu::Device,
        queue: &wgpu::Queue,
        fonts: &mut Fonts,
        frame: &Frame,
    ) -> Result<(), RenderError> {
        self.viewport.update(
            queue,
            Resolution {
                width: frame.width,
                height: frame.height,
            },
        );
        let mut old = std::mem::take(&mut self.buffers);
        let mut placed: Vec<(LineKey, &TextBlock, &TextLine)> = Vec::new();
        for block in &frame.blocks {
            for line in &block.lines {
                let key = LineKey::new(block, line);
                if !self.buffers.contains_key(&key) {
                    let buffer = old
                        .remove(&key)
                        .unwrap_or_else(|| shape(fonts, block, line));
                    self.buffers.insert(key.clone(), buffer);
                }
                placed.push((key, block, line));
            }
        }
        drop(old);
        for attempt in 0..2 {
            let areas = placed.iter().map(|(key, block, line)| {
                let [r, g, b, a] = block.color.0;
                TextArea {
                    buffer: &self.buffers[key],
                    left: line.x,
                    top: line.y,
                    scale: 1.0,
                    bounds: TextBounds {
                        left: block.clip.x.floor() as i32,
                        top: block.clip.y.floor() as i32,
                        right: block.clip.right().ceil() as i32,
                        bottom: block.clip.bottom().ceil() as i32,
                    },
                    default_color: Color::rgba(r, g, b, a),
                    custom_glyphs: &[],
                }
            });
            match self.renderer.prepare(
                device,
                queue,
                fonts.system(),
                &mut self.atlas,
                &self.viewport,
                areas,
                &mut self.swash,
            ) {
                Ok(()) => return Ok(()),
                Err(PrepareError::AtlasFull) if attempt == 0 => self.atlas.trim(),
                Err(PrepareError::AtlasFull) => return Err(RenderError::AtlasFull),
            }
        }
        Err(RenderError::AtlasFull)
    }

    pub fn render(&self, pass: &mut wgpu::RenderPass<'_>) -> Result<(), RenderError> {
        self.renderer
            .render(&self.atlas, &self.viewport, pass)
            .map_err(|e| RenderError::Draw(e.to_string()))
    }

    /// Frees atlas space held by glyphs the last frame did not use.
    pub fn trim(&mut self) {
        self.atlas.trim();
    }
}
