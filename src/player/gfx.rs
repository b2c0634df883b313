//! The window's GPU side: surface, renderer and the page textures, rebuilt whole after a loss.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use winit::dpi::{PhysicalPosition, PhysicalSize};
use winit::event_loop::ActiveEventLoop;
use winit::raw_window_handle::HasWindowHandle;
use winit::window::Window;

use super::wayland::{Subsurface, Wayland, WaylandError};
use crate::layout::Rect;
use crate::render::{Gpu, RenderError, Renderer};

/// Why the running band got no surface of its own (then whole frames are presented).
#[derive(Debug, thiserror::Error)]
pub enum BandError {
    #[error(transparent)]
    Wayland(#[from] WaylandError),
    #[error(transparent)]
    Handle(#[from] winit::raw_window_handle::HandleError),
    #[error(transparent)]
    Window(#[from] winit::error::OsError),
    #[error(transparent)]
    Surface(#[from] wgpu::CreateSurfaceError),
}

/// A small surface of its own over the running band (ticker). While only the band moves, only it
/// is presented: a full-screen present costs the display server (or the Wayland compositor) a
/// full-frame copy and composite every frame, the band a sixteenth of that.
pub struct Band {
    // Drop order matters: the surface must go before what it draws into.
    pub surface: wgpu::Surface<'static>,
    pub config: wgpu::SurfaceConfiguration,
    /// Where it sits, in page pixels.
    pub rect: Rect,
    pub host: Host,
    /// On a subsurface: the strip drawn on it once (`Frame::strip`), slid by the compositor.
    pub strip: Option<crate::layout::Frame>,
}

/// What the band's surface draws into.
pub enum Host {
    /// An X11 child window.
    Child(Arc<Window>),
    /// A Wayland subsurface of the player's window.
    Sub(Subsurface),
}

impl Band {
    /// Just before the band's frame is presented.
    pub fn pre_present(&self) {
        if let Host::Child(window) = &self.host {
            window.pre_present_notify();
        }
    }
}

/// A texture the page is drawn into, kept between frames.
pub struct Target {
    pub texture: wgpu::Texture,
    pub view: wgpu::TextureView,
}

pub struct Gfx {
    // Drop order matters: the surface must go before the window it draws into.
    pub surface: wgpu::Surface<'static>,
    pub config: wgpu::SurfaceConfiguration,
    pub renderer: Renderer,
    /// The current page, drawn once per page and then only where something runs.
    pub page: Target,
    /// The last page, kept during a transition.
    pub previous: Target,
    /// Whether the surface takes copies: then a still page is copied, not drawn, to the screen.
    pub can_copy: bool,
    pub band: Option<Band>,
    /// The window's size (its own buffers may be shorter: `surface_size`).
    window_size: (u32, u32),
    /// The window must present again: a new band's subsurface is placed by its next commit, and
    /// the rows a dropped band covered are the window's own again.
    pub window_stale: bool,
    /// Quarter turns the window's buffers are drawn with beyond the panel's own (2 under
    /// Wayland: see `wayland`).
    pub buffer_turns: u32,
    /// The window's Wayland objects, under a Wayland compositor.
    pub wayland: Option<Wayland>,
    /// Set by wgpu's device-lost callback: the renderer must be rebuilt.
    pub lost: Arc<AtomicBool>,
    /// Set by wgpu's error handler: the last frame failed.
    pub errored: Arc<AtomicBool>,
    pub window: Arc<Window>,
}

fn target(
    device: &wgpu::Device,
    format: wgpu::TextureFormat,
    (w, h): (u32, u32),
    label: &str,
) -> Target {
    let texture = device.create_texture(&wgpu::TextureDescriptor {
        label: Some(label),
        size: wgpu::Extent3d {
            width: w.max(1),
            height: h.max(1),
            depth_or_array_layers: 1,
        },
        mip_level_count: 1,
        sample_count: 1,
        dimension: wgpu::TextureDimension::D2,
        format,
        usage: wgpu::TextureUsages::RENDER_ATTACHMENT
            | wgpu::TextureUsages::TEXTURE_BINDING
            | wgpu::TextureUsages::COPY_SRC
            | wgpu::TextureUsages::COPY_DST,
        view_formats: &[],
    });
    let view = texture.create_view(&wgpu::TextureViewDescriptor::default());
    Target { texture, view }
}

impl Gfx {
    pub fn new(event_loop: &ActiveEventLoop, window: Arc<Window>) -> Result<Gfx, RenderError> {
        let instance =
            wgpu::Instance::new(wgpu::InstanceDescriptor::new_with_display_handle_from_env(
                Box::new(event_loop.owned_display_handle()),
            ));
        let surface = instance
            .create_surface(window.clone())
            .map_err(|e| RenderError::Device(e.to_string()))?;
        let gpu = Gpu::with_instance(instance, Some(&surface))?;
        let caps = surface.get_capabilities(&gpu.adapter);
        // glyphon's colours are right only on an sRGB target.
        let format = caps
            .formats
            .iter()
            .copied()
            .find(|f| f.is_srgb())
            .unwrap_or(caps.formats[0]);
        // Fifo waits for the display: the frame rate is the display's, never hundreds a second.
        let present_mode = if caps.present_modes.contains(&wgpu::PresentMode::Fifo) {
            wgpu::PresentMode::Fifo
        } else {
            caps.present_modes[0]
        };
        let can_copy = caps.usages.contains(wgpu::TextureUsages::COPY_DST);
        let size = window.inner_size();
        let config = wgpu::SurfaceConfiguration {
            usage: wgpu::TextureUsages::RENDER_ATTACHMENT
                | if can_copy {
                    wgpu::TextureUsages::COPY_DST
                } else {
                    wgpu::TextureUsages::empty()
                },
            format,
            width: size.width.max(1),
            height: size.height.max(1),
            present_mode,
            desired_maximum_frame_latency: 2,
            alpha_mode: caps.alpha_modes[0],
            view_formats: vec![],
            color_space: Default::default(),
        };
        surface.configure(&gpu.device, &config);
        let lost = Arc::new(AtomicBool::new(false));
        let flag = lost.clone();
        gpu.device.set_device_lost_callback(move |reason, message| {
            tracing::error!("GPU device lost ({reason:?}): {message}");
            flag.store(true, Ordering::SeqCst);
        });
        // wgpu's default handler panics; a kiosk logs the error and counts a failed frame.
        let errored = Arc::new(AtomicBool::new(false));
        let flag = errored.clone();
        gpu.device
            .on_uncaptured_error(Arc::new(move |error: wgpu::Error| {
                tracing::error!("GPU error: {error}");
                flag.store(true, Ordering::SeqCst);
            }));
        let renderer = Renderer::new(gpu, format);
        let wayland = match Wayland::new(&window) {
            Some(Ok(wayland)) => Some(wayland),
            Some(Err(e)) => {
                tracing::warn!("Wayland: {e}; no band subsurface");
                None
            }
            None => None,
        };
        let buffer_turns = match wayland.as_ref().map(|w| w.keep_composited(true)) {
            Some(Ok(())) => 2,
            Some(Err(e)) => {
                tracing::warn!("Wayland: cannot turn the window's buffers ({e})");
                0
            }
            None => 0,
        };
        // The page is drawn at the playlist's size, whatever the window's: presenting scales and
        // turns it (a portrait page on a landscape output, a panel mounted on its side).
        let dims = (config.width, config.height);
        let device = &renderer.gpu().device;
        Ok(Gfx {
            page: target(device, format, dims, "page"),
            previous: target(device, format, dims, "previous page"),
            surface,
            config,
            renderer,
            can_copy,
            band: None,
            window_size: dims,
            window_stale: false,
            buffer_turns,
            wayland,
            lost,
            errored,
            window,
        })
    }

    /// The window's size.
    pub fn size(&self) -> (u32, u32) {
        self.window_size
    }

    /// The size of the window's own buffers: the window's, or less where a band subsurface
    /// covers its bottom.
    pub fn surface_size(&self) -> (u32, u32) {
        (self.config.width, self.config.height)
    }

    /// Follows a new window size: the surface; the page textures keep the page's size.
    pub fn resize(&mut self, width: u32, height: u32) {
        self.window_size = (width.max(1), height.max(1));
        self.drop_band();
        self.configure(self.window_size.1);
    }

    /// Gives the window's own buffers `height` rows of the window. Under Wayland a shorter one
    /// (a band subsurface below it) cannot be scanned out, so it need not be turned; a whole
    /// one is turned (see `wayland`).
    fn configure(&mut self, height: u32) {
        self.config.width = self.window_size.0;
        self.config.height = height.max(1);
        let device = &self.renderer.gpu().device;
        self.surface.configure(device, &self.config);
        if let Some(wayland) = &self.wayland {
            let turned = height >= self.window_size.1;
            self.buffer_turns = match wayland.keep_composited(turned) {
                Ok(()) if turned => 2,
                Ok(()) => 0,
                Err(e) => {
                    tracing::warn!("Wayland: cannot turn the window's buffers ({e})");
                    0
                }
            };
        }
    }

    /// Removes the band's own surface; the window's buffers cover the whole window again.
    pub fn drop_band(&mut self) {
        if self.band.take().is_some() && self.config.height != self.window_size.1 {
            self.configure(self.window_size.1);
            // The rows the band covered must be presented by the window now.
            self.window_stale = true;
        }
    }

    /// Makes the page textures `dims` (the frame's size) if they are not: `true` if they were
    /// made anew (and must be drawn whole).
    pub fn ensure_page(&mut self, dims: (u32, u32)) -> bool {
        let size = self.page.texture.size();
        if (size.width, size.height) == dims {
            return false;
        }
        let device = &self.renderer.gpu().device;
        self.page = target(device, self.config.format, dims, "page");
        self.previous = target(device, self.config.format, dims, "previous page");
        true
    }

    /// Puts the band's own surface over `rect`, creating or moving it: a subsurface on Wayland,
    /// a child window on X11. `false` where neither can be had: then the whole window is
    /// presented each frame.
    pub fn ensure_band(&mut self, event_loop: &ActiveEventLoop, rect: Rect) -> bool {
        if let Some(band) = &self.band {
            if band.rect == rect {
                return true;
            }
            self.drop_band();
        }
        let (x, y) = (rect.x.round() as i32, rect.y.round() as i32);
        let (w, h) = (
            rect.w.round().max(1.0) as u32,
            rect.h.round().max(1.0) as u32,
        );
        let made = match &self.wayland {
            Some(wayland) => wayland
                .subsurface((x, y))
                .map_err(BandError::from)
                .and_then(|sub| {
                    let target = sub.target();
                    // SAFETY: the subsurface lives in the same `Band` as the wgpu surface, which is
                    // dropped first (field order).
                    let surface =
                        unsafe { self.renderer.gpu().instance.create_surface_unsafe(target) };
                    surface
                        .map(|surface| (surface, Host::Sub(sub)))
                        .map_err(BandError::from)
                }),
            None => self.child_band((x, y), (w, h), event_loop),
        };
        let (surface, host) = match made {
            Ok(made) => made,
            Err(e) => {
                tracing::info!("no band surface ({e}): presenting whole frames");
                return false;
            }
        };
        let gpu = self.renderer.gpu();
        let config = wgpu::SurfaceConfiguration {
            width: w,
            height: h,
            usage: wgpu::TextureUsages::RENDER_ATTACHMENT,
            ..self.config.clone()
        };
        surface.configure(&gpu.device, &config);
        let kind = match host {
            Host::Child(_) => "child window",
            Host::Sub(_) => "subsurface",
        };
        tracing::info!("band {kind} {w}x{h} at {x},{y}");
        let covers_bottom = matches!(host, Host::Sub(_))
            && (x, w) == (0, self.window_size.0)
            && y as u32 + h == self.window_size.1;
        self.band = Some(Band {
            surface,
            config,
            rect,
            host,
            strip: None,
        });
        if covers_bottom {
            // The window's buffers stop where the band starts: while only the ticker runs the
            // compositor then composites the band alone, never the page under it.
            self.configure(y as u32);
        }
        self.window_stale = true;
        true
    }

    /// An X11 child window with its surface over the band.
    fn child_band(
        &self,
        (x, y): (i32, i32),
        (w, h): (u32, u32),
        event_loop: &ActiveEventLoop,
    ) -> Result<(wgpu::Surface<'static>, Host), BandError> {
        let parent = self.window.window_handle().map(|h| h.as_raw())?;
        let attrs = Window::default_attributes()
            .with_title("noticecast band")
            .with_decorations(false)
            .with_position(PhysicalPosition::new(x, y))
            .with_inner_size(PhysicalSize::new(w, h));
        // SAFETY: the parent outlives the child: `band` is dropped before `window` (field
        // order), and the player never drops its main window while the band exists.
        let attrs = unsafe { attrs.with_parent_window(Some(parent)) };
        let window = Arc::new(event_loop.create_window(attrs)?);
        window.set_cursor_visible(false);
        let surface = self
            .renderer
            .gpu()
            .instance
            .create_surface(window.clone())?;
        Ok((surface, Host::Child(window)))
    }

    /// Keeps the current page as the previous one, for a transition.
    pub fn keep_previous(&self) {
        let gpu = self.renderer.gpu();
        let mut encoder = gpu
            .device
            .create_command_encoder(&wgpu::CommandEncoderDescriptor {
                label: Some("keep page"),
            });
        encoder.copy_texture_to_texture(
            self.page.texture.as_image_copy(),
            self.previous.texture.as_image_copy(),
            self.page.texture.size(),
        );
        gpu.queue.submit([encoder.finish()]);
    }
}
