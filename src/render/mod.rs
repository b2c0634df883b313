//! Drawing a laid-out `Frame` with wgpu: fills, images, then text (glyphon).
//!
//! The same `Renderer` draws into an offscreen texture (PNG output, previews, tests) or, in the
//! live player, into a window surface's texture: it only needs a view of an sRGB target.

mod gpu;
mod png_out;
mod shapes;
mod text;

pub use gpu::Gpu;
pub use png_out::{ReadPngError, png_bytes, read_png, write_png};

use crate::layout::{Fill, Fonts, Frame, Rect, Rgba};
pub use shapes::Layer;
use shapes::Shapes;
use text::TextPainter;

#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("no GPU adapter found (not even lavapipe; install mesa-vulkan-drivers): {0}")]
    NoAdapter(String),
    #[error("the GPU device could not be opened: {0}")]
    Device(String),
    #[error("the glyph atlas is full even after trimming")]
    AtlasFull,
    #[error("drawing failed: {0}")]
    Draw(String),
    #[error("reading the frame back failed: {0}")]
    Readback(String),
    #[error("{0}: cannot write PNG: {1}")]
    Png(String, String),
}

/// The format every target has: glyphon's colours are right only on an sRGB target.
pub const OFFSCREEN_FORMAT: wgpu::TextureFormat = wgpu::TextureFormat::Rgba8UnormSrgb;

/// An RGBA8 (sRGB) picture read back from the GPU.
#[derive(Debug, Clone, PartialEq)]
pub struct Pixels {
    pub width: u32,
    pub height: u32,
    pub rgba: Vec<u8>,
}

impl Pixels {
    /// The `w` x `h` rectangle at `(x, y)`, cut to the picture.
    pub fn crop(&self, (x, y): (u32, u32), (w, h): (u32, u32)) -> Pixels {
        let (x, y) = (x.min(self.width), y.min(self.height));
        let (w, h) = (w.min(self.width - x), h.min(self.height - y));
        let mut rgba = Vec::with_capacity((w * h * 4) as usize);
        for row in y..y + h {
            let start = ((row * self.width + x) * 4) as usize;
            rgba.extend_from_slice(&self.rgba[start..start + (w * 4) as usize]);
        }
        Pixels {
            width: w,
            height: h,
            rgba,
        }
    }
}

pub struct Renderer {
    gpu: Gpu,
    format: wgpu::TextureFormat,
    shapes: Shapes,
    text: TextPainter,
    offscreen: Option<(u32, u32, wgpu::Texture, wgpu::Buffer)>,
    /// Where a two-colour frame is drawn before it is composited (`draw_final`).
    aside: Option<((u32, u32), wgpu::TextureView)>,
}

impl Renderer {
    /// A renderer drawing into targets of `format` (an sRGB format).
    pub fn new(gpu: Gpu, format: wgpu::TextureFormat) -> Renderer {
        let shapes = Shapes::new(&gpu.device, format);
        let text = TextPainter::new(&gpu.device, &gpu.queue, format);
        Renderer {
            gpu,
            format,
            shapes,
            text,
            offscreen: None,
            aside: None,
        }
    }

    /// An offscreen renderer on the default adapter.
    pub fn offscreen() -> Result<Renderer, RenderError> {
        Ok(Renderer::new(Gpu::offscreen()?, OFFSCREEN_FORMAT))
    }

    pub fn gpu(&self) -> &Gpu {
        &self.gpu
    }

    pub fn format(&self) -> wgpu::TextureFormat {
        self.format
    }

    /// Records and submits the drawing of `frame` into `target`.
    pub fn draw(
        &mut self,
        fonts: &mut Fonts,
        frame: &Frame,
        target: &wgpu::TextureView,
    ) -> Result<wgpu::SubmissionIndex, RenderError> {
        self.draw_pass(fonts, frame, target, None)
    }

    /// Draws `frame` into `target` as it is finally shown: a single-colour panel's frame
    /// (`Frame::two_colours`) is drawn aside and composited to its two colours.
    pub fn draw_final(
        &mut self,
        fonts: &mut Fonts,
        frame: &Frame,
        target: &wgpu::TextureView,
    ) -> Result<(), RenderError> {
        let Some(two) = frame.two_colours else {
            return self.draw(fonts, frame, target).map(|_| ());
        };
        let size = (frame.width, frame.height);
        if self.aside.as_ref().is_none_or(|(s, _)| *s != size) {
            let texture = self.gpu.device.create_texture(&wgpu::TextureDescriptor {
                label: Some("before two colours"),
                usage: wgpu::TextureUsages::RENDER_ATTACHMENT
                    | wgpu::TextureUsages::TEXTURE_BINDING,
                ..texture_descriptor(size.0, size.1, self.format)
            });
            self.aside = Some((
                size,
                texture.create_view(&wgpu::TextureViewDescriptor::default()),
            ));
        }
        let aside = self.aside.as_ref().expect("just made").1.clone();
        self.draw(fonts, frame, &aside)?;
        let layer = Layer {
            view: &aside,
            dx: 0.0,
            alpha: 1.0,
        };
        self.composite(target, size, &[layer], 0, Some(two));
        Ok(())
    }

    /// Draws again only what lies in `region` of a target that already holds `frame`: a running
    /// ticker redraws its band, the rest of the page stays as it is.
    pub fn draw_region(
        &mut self,
        fonts: &mut Fonts,
        frame: &Frame,
        target: &wgpu::TextureView,
        region: Rect,
    ) -> Result<wgpu::SubmissionIndex, RenderError> {
        let mut part = frame.within(region);
        part.fills.insert(
            0,
            Fill {
                rect: region,
                color: frame.background,
            },
        );
        self.draw_pass(fonts, &part, target, Some(region))
    }

    fn draw_pass(
        &mut self,
        fonts: &mut Fonts,
        frame: &Frame,
        target: &wgpu::TextureView,
        region: Option<Rect>,
    ) -> Result<wgpu::SubmissionIndex, RenderError> {
        let (device, queue) = (&self.gpu.device, &self.gpu.queue);
        self.shapes.prepare(device, queue, frame);
        self.text.prepare(device, queue, fonts, frame)?;
        let mut encoder = device.create_command_encoder(&wgpu::CommandEncoderDescriptor {
            label: Some("frame"),
        });
        {
            let [r, g, b, a] = shapes::linear(frame.background);
            let mut pass = encoder.begin_render_pass(&wgpu::RenderPassDescriptor {
                label: Some("frame"),
                color_attachments: &[Some(wgpu::RenderPassColorAttachment {
                    view: target,
                    depth_slice: None,
                    resolve_target: None,
                    ops: wgpu::Operations {
                        load: match region {
                            Some(_) => wgpu::LoadOp::Load,
                            None => wgpu::LoadOp::Clear(wgpu::Color {
                                r: r as f64,
                                g: g as f64,
                                b: b as f64,
                                a: a as f64,
                            }),
                        },
                        store: wgpu::StoreOp::Store,
                    },
                })],
                depth_stencil_attachment: None,
                timestamp_writes: None,
                occlusion_query_set: None,
                multiview_mask: None,
            });
            if let Some(r) = region {
                let x = r.x.max(0.0).floor() as u32;
                let y = r.y.max(0.0).floor() as u32;
                let w = (r.right().ceil() as u32).min(frame.width).saturating_sub(x);
                let h = (r.bottom().ceil() as u32)
                    .min(frame.height)
                    .saturating_sub(y);
                pass.set_scissor_rect(x, y, w.max(1), h.max(1));
            }
            self.shapes.render(&mut pass);
            self.text.render(&mut pass)?;
        }
        let index = queue.submit([encoder.finish()]);
        self.text.trim();
        Ok(index)
    }

    /// Draws whole-target textures onto `target`, in order, each shifted by `dx` pixels and
    /// faded by `alpha`: page transitions. Each texture is stretched over the whole target,
    /// turned `turns` quarter turns clockwise (a rotated panel). With `two` (a single-colour
    /// panel), every pixel becomes the nearer of the two colours.
    pub fn composite(
        &mut self,
        target: &wgpu::TextureView,
        size: (u32, u32),
        layers: &[Layer],
        turns: u32,
        two: Option<(Rgba, Rgba)>,
    ) -> wgpu::SubmissionIndex {
        let (device, queue) = (&self.gpu.device, &self.gpu.queue);
        let mut encoder = device.create_command_encoder(&wgpu::CommandEncoderDescriptor {
            label: Some("composite"),
        });
        self.shapes.composite(
            device,
            queue,
            &mut encoder,
            target,
            size,
            layers,
            turns,
            two,
        );
        queue.submit([encoder.finish()])
    }

    /// Reads back a texture the renderer drew into (the player's page, for a remote screenshot)
    /// as RGBA pixels, whatever its 8-bit channel order.
    pub fn read_back(&self, texture: &wgpu::Texture) -> Result<Pixels, RenderError> {
        let size = texture.size();
        let (w, h) = (size.width, size.height);
        let padded = (w * 4).div_ceil(wgpu::COPY_BYTES_PER_ROW_ALIGNMENT)
            * wgpu::COPY_BYTES_PER_ROW_ALIGNMENT;
        let buffer = self.gpu.device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("screenshot"),
            size: padded as u64 * h as u64,
            usage: wgpu::BufferUsages::COPY_DST | wgpu::BufferUsages::MAP_READ,
            mapped_at_creation: false,
        });
        let mut pixels = self.copy_out(texture, &buffer, padded)?;
        if matches!(
            texture.format(),
            wgpu::TextureFormat::Bgra8Unorm | wgpu::TextureFormat::Bgra8UnormSrgb
        ) {
            for px in pixels.rgba.chunks_exact_mut(4) {
                px.swap(0, 2);
            }
        }
        Ok(pixels)
    }

    /// Copies `texture` into `buffer` (rows `padded` bytes apart) and returns its pixels.
    fn copy_out(
        &self,
        texture: &wgpu::Texture,
        buffer: &wgpu::Buffer,
        padded: u32,
    ) -> Result<Pixels, RenderError> {
        let size = texture.size();
        let (w, h) = (size.width, size.height);
        let (device, queue) = (&self.gpu.device, &self.gpu.queue);
        let mut encoder = device.create_command_encoder(&wgpu::CommandEncoderDescriptor {
            label: Some("readback"),
        });
        encoder.copy_texture_to_buffer(
            texture.as_image_copy(),
            wgpu::TexelCopyBufferInfo {
                buffer,
                layout: wgpu::TexelCopyBufferLayout {
                    offset: 0,
                    bytes_per_row: Some(padded),
                    rows_per_image: Some(h),
                },
            },
            wgpu::Extent3d {
                width: w,
                height: h,
                depth_or_array_layers: 1,
            },
        );
        queue.submit([encoder.finish()]);
        let (tx, rx) = std::sync::mpsc::channel();
        buffer.map_async(wgpu::MapMode::Read, .., move |r| {
            let _ = tx.send(r);
        });
        device
            .poll(wgpu::PollType::wait_indefinitely())
            .map_err(|e| RenderError::Readback(e.to_string()))?;
        rx.recv()
            .map_err(|e| RenderError::Readback(e.to_string()))?
            .map_err(|e| RenderError::Readback(e.to_string()))?;
        let mut rgba = Vec::with_capacity((w * h * 4) as usize);
        {
            let data = buffer
                .get_mapped_range(..)
                .map_err(|e| RenderError::Readback(e.to_string()))?;
            for row in data.chunks(padded as usize).take(h as usize) {
                rgba.extend_from_slice(&row[..(w * 4) as usize]);
            }
        }
        buffer.unmap();
        Ok(Pixels {
            width: w,
            height: h,
            rgba,
        })
    }

    /// Draws `frame` offscreen and reads it back.
    pub fn render(&mut self, fonts: &mut Fonts, frame: &Frame) -> Result<Pixels, RenderError> {
        let (w, h) = (frame.width, frame.height);
        let padded = (w * 4).div_ceil(wgpu::COPY_BYTES_PER_ROW_ALIGNMENT)
            * wgpu::COPY_BYTES_PER_ROW_ALIGNMENT;
        if !matches!(&self.offscreen, Some((ow, oh, ..)) if (*ow, *oh) == (w, h)) {
            let device = &self.gpu.device;
            let texture = device.create_texture(&wgpu::TextureDescriptor {
                label: Some("offscreen"),
                usage: wgpu::TextureUsages::RENDER_ATTACHMENT | wgpu::TextureUsages::COPY_SRC,
                ..texture_descriptor(w, h, self.format)
            });
            let buffer = device.create_buffer(&wgpu::BufferDescriptor {
                label: Some("readback"),
                size: padded as u64 * h as u64,
                usage: wgpu::BufferUsages::COPY_DST | wgpu::BufferUsages::MAP_READ,
                mapped_at_creation: false,
            });
            self.offscreen = Some((w, h, texture, buffer));
        }
        let (_, _, texture, buffer) = self.offscreen.as_ref().expect("just made");
        let (texture, buffer) = (texture.clone(), buffer.clone());
        let view = texture.create_view(&wgpu::TextureViewDescriptor::default());
        self.draw_final(fonts, frame, &view)?;
        self.copy_out(&texture, &buffer, padded)
    }
}

/// A `w` x `h` 2D texture of `format`, for its usages to be filled in.
fn texture_descriptor(
    w: u32,
    h: u32,
    format: wgpu::TextureFormat,
) -> wgpu::TextureDescriptor<'static> {
    wgpu::TextureDescriptor {
        label: None,
        size: wgpu::Extent3d {
            width: w,
            height: h,
            depth_or_array_layers: 1,
        },
        mip_level_count: 1,
        sample_count: 1,
        dimension: wgpu::TextureDimension::D2,
        format,
        usage: wgpu::TextureUsages::empty(),
        view_formats: &[],
    }
}

#[cfg(test)]
mod tests {
    use super::Pixels;

    #[test]
    fn a_crop_takes_the_rectangle_and_stops_at_the_edges() {
        // 4x3 pixels whose red channel is their index.
        let p = Pixels {
            width: 4,
            height: 3,
            rgba: (0..12u8).flat_map(|i| [i, 0, 0, 255]).collect(),
        };
        let c = p.crop((1, 1), (2, 2));
        assert_eq!((c.width, c.height), (2, 2));
        let reds: Vec<u8> = c.rgba.chunks(4).map(|q| q[0]).collect();
        assert_eq!(reds, [5, 6, 9, 10]);
        let edge = p.crop((3, 2), (5, 5));
        assert_eq!((edge.width, edge.height), (1, 1));
        assert_eq!(edge.rgba[0], 11);
    }
}
