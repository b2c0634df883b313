//! Filled rectangles and images (QR codes): one small instanced pipeline each.

use std::collections::HashMap;
use std::sync::Arc;

use wgpu::util::DeviceExt;

use crate::layout::{Frame, Image, Rect, Rgba};

/// Per-instance data: a rectangle and a linear colour.
#[repr(C)]
#[derive(Clone, Copy)]
struct Quad {
    rect: [f32; 4],
    color: [f32; 4],
}

impl Quad {
    fn new(r: Rect, color: [f32; 4]) -> Quad {
        Quad {
            rect: [r.x, r.y, r.w, r.h],
            color,
        }
    }
    fn bytes(quads: &[Quad]) -> Vec<u8> {
        quads
            .iter()
            .flat_map(|q| q.rect.iter().chain(&q.color))
            .flat_map(|f| f.to_le_bytes())
            .collect()
    }
}

/// An sRGB colour as the linear value a shader writes to an sRGB target.
pub fn linear(c: Rgba) -> [f32; 4] {
    let [r, g, b, a] = c.0;
    let l = |c| crate::layout::theme::linear(c) as f32;
    [l(r), l(g), l(b), a as f32 / 255.0]
}

/// A whole-target texture to composite: shifted by `dx` pixels, faded by `alpha`.
pub struct Layer<'a> {
    pub view: &'a wgpu::TextureView,
    pub dx: f32,
    pub alpha: f32,
}

struct ImageTexture {
    bind_group: wgpu::BindGroup,
}

pub struct Shapes {
    fill: wgpu::RenderPipeline,
    image: wgpu::RenderPipeline,
    viewport: wgpu::Buffer,
    viewport_group: wgpu::BindGroup,
    image_layout: wgpu::BindGroupLayout,
    nearest: wgpu::Sampler,
    smooth: wgpu::Sampler,
    /// Uploaded images of the last frame, by identity; a frame that reuses an `Arc` reuses it.
    textures: HashMap<(usize, bool), (Arc<Image>, ImageTexture)>,
    instances: Option<wgpu::Buffer>,
    fill_count: u32,
    image_draws: Vec<(usize, bool)>,
}

impl Shapes {
    pub fn new(device: &wgpu::Device, format: wgpu::TextureFormat) -> Shapes {
        let shader = device.create_shader_module(wgpu::ShaderModuleDescriptor {
            label: Some("shapes"),
            source: wgpu::ShaderSource::Wgsl(include_str!("shapes.wgsl").into()),
        });
        let viewport_layout = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
            label: Some("viewport"),
            entries: &[wgpu::BindGroupLayoutEntry {
                binding: 0,
                visibility: wgpu::ShaderStages::VERTEX_FRAGMENT,
                ty: wgpu::BindingType::Buffer {
                    ty: wgpu::BufferBindingType::Uniform,
                    has_dynamic_offset: false,
                    min_binding_size: None,
                },
                count: None,
            }],
        });
        let image_layout = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
            label: Some("image"),
            entries: &[
                wgpu::BindGroupLayoutEntry {
                    binding: 0,
                    visibility: wgpu::ShaderStages::FRAGMENT,
                    ty: wgpu::BindingType::Texture {
                        sample_type: wgpu::TextureSampleType::Float { filterable: true },
                        view_dimension: wgpu::TextureViewDimension::D2,
                        multisampled: false,
                    },
                    count: None,
                },
                wgpu::BindGroupLayoutEntry {
                    binding: 1,
                    visibility: wgpu::ShaderStages::FRAGMENT,
                    ty: wgpu::BindingType::Sampler(wgpu::SamplerBindingType::Filtering),
                    count: None,
                },
            ],
        });
        let viewport = device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("viewport"),
            size: 48,
            usage: wgpu::BufferUsages::UNIFORM | wgpu::BufferUsages::COPY_DST,
            mapped_at_creation: false,
        });
        let viewport_group = device.create_bind_group(&wgpu::BindGroupDescriptor {
            label: Some("viewport"),
            layout: &viewport_layout,
            entries: &[wgpu::BindGroupEntry {
                binding: 0,
                resource: viewport.as_entire_binding(),
            }],
        });
        let fill_layout = device.create_pipeline_layout(&wgpu::PipelineLayoutDescriptor {
            label: Some("fill"),
            bind_group_layouts: &[Some(&viewport_layout)],
            immediate_size: 0,
        });
        let image_pipeline_layout =
            device.create_pipeline_layout(&wgpu::PipelineLayoutDescriptor {
                label: Some("image"),
                bind_group_layouts: &[Some(&viewport_layout), Some(&image_layout)],
                immediate_size: 0,
            });
        let attributes = wgpu::vertex_attr_array![0 => Float32x4, 1 => Float32x4];
        let buffers = [Some(wgpu::VertexBufferLayout {
            array_stride: std::mem::size_of::<Quad>() as u64,
            step_mode: wgpu::VertexStepMode::Instance,
            attributes: &attributes,
        })];
        let pipeline = |label, layout: &wgpu::PipelineLayout, entry| {
            device.create_render_pipeline(&wgpu::RenderPipelineDescriptor {
                label: Some(label),
                layout: Some(layout),
                vertex: wgpu::VertexState {
                    module: &shader,
                    entry_point: Some("vs_main"),
                    compilation_options: Default::default(),
                    buffers: &buffers,
                },
                primitive: wgpu::PrimitiveState {
                    topology: wgpu::PrimitiveTopology::TriangleStrip,
                    ..Default::default()
                },
                depth_stencil: None,
                multisample: wgpu::MultisampleState::default(),
                fragment: Some(wgpu::FragmentState {
                    module: &shader,
                    entry_point: Some(entry),
                    compilation_options: Default::default(),
                    targets: &[Some(wgpu::ColorTargetState {
                        format,
                        blend: Some(wgpu::BlendState::ALPHA_BLENDING),
                        write_mask: wgpu::ColorWrites::ALL,
                    })],
                }),
                multiview_mask: None,
                cache: None,
            })
        };
        let fill = pipeline("fill", &fill_layout, "fs_fill");
        let image = pipeline("image", &image_pipeline_layout, "fs_image");
        let sampler = |label, filter| {
            device.create_sampler(&wgpu::SamplerDescriptor {
                label: Some(label),
                mag_filter: filter,
                min_filter: filter,
                ..Default::default()
            })
        };
        Shapes {
            fill,
            image,
            viewport,
            viewport_group,
            image_layout,
            nearest: sampler("nearest", wgpu::FilterMode::Nearest),
            smooth: sampler("smooth", wgpu::FilterMode::Linear),
            textures: HashMap::new(),
            instances: None,
            fill_count: 0,
            image_draws: Vec::new(),
        }
    }

    fn upload(
        &self,
        device: &wgpu::Device,
        queue: &wgpu::Queue,
        image: &Image,
        nearest: bool,
    ) -> ImageTexture {
        let texture = device.create_texture_with_data(
            queue,
            &wgpu::TextureDescriptor {
                label: Some("image"),
                size: wgpu::Extent3d {
                    width: image.width,
                    height: image.height,
                    depth_or_array_layers: 1,
                },
                mip_level_count: 1,
                sample_count: 1,
                dimension: wgpu::TextureDimension::D2,
                format: wgpu::TextureFormat::Rgba8UnormSrgb,
                usage: wgpu::TextureUsages::TEXTURE_BINDING | wgpu::TextureUsages::COPY_DST,
                view_formats: &[],
            },
            wgpu::util::TextureDataOrder::LayerMajor,
            &image.rgba,
        );
        let view = texture.create_view(&wgpu::TextureViewDescriptor::default());
        let bind_group = device.create_bind_group(&wgpu::BindGroupDescriptor {
            label: Some("image"),
            layout: &self.image_layout,
            entries: &[
                wgpu::BindGroupEntry {
                    binding: 0,
                    resource: wgpu::BindingResource::TextureView(&view),
                },
                wgpu::BindGroupEntry {
                    binding: 1,
                    resource: wgpu::BindingResource::Sampler(if nearest {
                        &self.nearest
                    } else {
                        &self.smooth
                    }),
                },
            ],
        });
        ImageTexture { bind_group }
    }

    /// The target's size in pixels and the turn, for the vertex shader; the two colours of a
    /// single-colour panel, for compositing.
    fn set_viewport(
        &self,
        queue: &wgpu::Queue,
        width: u32,
        height: u32,
        turns: u32,
        two: Option<(Rgba, Rgba)>,
    ) {
        let (flag, bg, fg) = match two {
            Some((bg, fg)) => (1.0, linear(bg), linear(fg)),
            None => (0.0, [0.0; 4], [0.0; 4]),
        };
        let values = [width as f32, height as f32, turns as f32, flag];
        let bytes: Vec<u8> = values
            .iter()
            .chain(&bg)
            .chain(&fg)
            .flat_map(|f| f.to_le_bytes())
            .collect();
        queue.write_buffer(&self.viewport, 0, &bytes);
    }

    /// Uploads what `frame` needs: the viewport, one instance per fill and image, new textures.
    pub fn prepare(&mut self, device: &wgpu::Device, queue: &wgpu::Queue, frame: &Frame) {
        self.set_viewport(queue, frame.width, frame.height, 0, None);
        let mut quads: Vec<Quad> = frame
            .fills
            .iter()
            .map(|f| Quad::new(f.rect, linear(f.color)))
            .collect();
        self.fill_count = quads.len() as u32;
        let mut textures = HashMap::new();
        self.image_draws.clear();
        for b in &frame.images {
            let key = (Arc::as_ptr(&b.image) as usize, b.nearest);
            let texture = match self.textures.remove(&key) {
                Some(kept) => kept,
                None => (
                    b.image.clone(),
                    self.upload(device, queue, &b.image, b.nearest),
                ),
            };
            textures.insert(key, texture);
            self.image_draws.push(key);
            quads.push(Quad::new(b.rect, [1.0; 4]));
        }
        // Textures the frame no longer uses are dropped here: nothing accumulates with uptime.
        self.textures = textures;
        self.instances = (!quads.is_empty()).then(|| {
            device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
                label: Some("quads"),
                contents: &Quad::bytes(&quads),
                usage: wgpu::BufferUsages::VERTEX,
            })
        });
    }

    /// Records a pass that clears `target` and draws `layers` over it, each turned `turns`
    /// quarter turns clockwise.
    #[allow(clippy::too_many_arguments)]
    pub fn composite(
        &mut self,
        device: &wgpu::Device,
        queue: &wgpu::Queue,
        encoder: &mut wgpu::CommandEncoder,
        target: &wgpu::TextureView,
        (w, h): (u32, u32),
        layers: &[Layer],
        turns: u32,
        two: Option<(Rgba, Rgba)>,
    ) {
        self.set_viewport(queue, w, h, turns, two);
        let quads: Vec<Quad> = layers
            .iter()
            .map(|l| {
                Quad::new(
                    Rect::new(l.dx, 0.0, w as f32, h as f32),
                    [1.0, 1.0, 1.0, l.alpha],
                )
            })
            .collect();
        let groups: Vec<wgpu::BindGroup> = layers
            .iter()
            .map(|l| {
                device.create_bind_group(&wgpu::BindGroupDescriptor {
                    label: Some("layer"),
                    layout: &self.image_layout,
                    entries: &[
                        wgpu::BindGroupEntry {
                            binding: 0,
                            resource: wgpu::BindingResource::TextureView(l.view),
                        },
                        wgpu::BindGroupEntry {
                            binding: 1,
                            resource: wgpu::BindingResource::Sampler(&self.nearest),
                        },
                    ],
                })
            })
            .collect();
        let instances = device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
            label: Some("layers"),
            contents: &Quad::bytes(&quads),
            usage: wgpu::BufferUsages::VERTEX,
        });
        let mut pass = encoder.begin_render_pass(&wgpu::RenderPassDescriptor {
            label: Some("composite"),
            color_attachments: &[Some(wgpu::RenderPassColorAttachment {
                view: target,
                depth_slice: None,
                resolve_target: None,
                ops: wgpu::Operations {
                    load: wgpu::LoadOp::Clear(wgpu::Color::BLACK),
                    store: wgpu::StoreOp::Store,
                },
            })],
            depth_stencil_attachment: None,
            timestamp_writes: None,
            occlusion_query_set: None,
            multiview_mask: None,
        });
        if quads.is_empty() {
            return;
        }
        pass.set_pipeline(&self.image);
        pass.set_vertex_buffer(0, instances.slice(..));
        pass.set_bind_group(0, &self.viewport_group, &[]);
        for (i, group) in groups.iter().enumerate() {
            pass.set_bind_group(1, group, &[]);
            pass.draw(0..4, i as u32..i as u32 + 1);
        }
    }

    pub fn render(&self, pass: &mut wgpu::RenderPass<'_>) {
        let Some(instances) = &self.instances else {
            return;
        };
        pass.set_vertex_buffer(0, instances.slice(..));
        pass.set_bind_group(0, &self.viewport_group, &[]);
        if self.fill_count > 0 {
            pass.set_pipeline(&self.fill);
            pass.draw(0..4, 0..self.fill_count);
        }
        pass.set_pipeline(&self.image);
        for (i, key) in self.image_draws.iter().enumerate() {
            let instance = self.fill_count + i as u32;
            pass.set_bind_group(1, &self.textures[key].1.bind_group, &[]);
            pass.draw(0..4, instance..instance + 1);
        }
    }
}
