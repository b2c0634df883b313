//! Bringing a drawn page to the screen: acquiring surface textures, copying or compositing the
//! page (and the last page during a transition), and what became of the frame.

use std::time::{Duration, Instant};

use super::gfx::{Gfx, Host};
use crate::layout::{Fonts, Frame, Rect};
use crate::model::TransitionKind;
use crate::render::Layer;

/// How a frame went.
pub(super) enum Outcome {
    Presented,
    Later,
    Again,
    Lost,
    Failed(String),
}

/// A page change in progress: the last page and the new one blended or sliding.
pub(super) struct Transition {
    pub(super) kind: TransitionKind,
    pub(super) started: Instant,
    pub(super) duration: Duration,
}

/// The next texture of a surface, or what to do instead.
pub(super) fn acquire(
    surface: &wgpu::Surface,
    config: &wgpu::SurfaceConfiguration,
    device: &wgpu::Device,
) -> Result<wgpu::SurfaceTexture, Outcome> {
    match surface.get_current_texture() {
        wgpu::CurrentSurfaceTexture::Success(t) => Ok(t),
        wgpu::CurrentSurfaceTexture::Suboptimal(t) => {
            surface.configure(device, config);
            Ok(t)
        }
        // Try again at the next frame time; nothing is lost.
        wgpu::CurrentSurfaceTexture::Timeout | wgpu::CurrentSurfaceTexture::Occluded => {
            Err(Outcome::Later)
        }
        wgpu::CurrentSurfaceTexture::Outdated => {
            surface.configure(device, config);
            Err(Outcome::Again)
        }
        wgpu::CurrentSurfaceTexture::Lost => Err(Outcome::Lost),
        wgpu::CurrentSurfaceTexture::Validation => {
            Err(Outcome::Failed("surface validation error".into()))
        }
    }
}

/// Brings the page texture to the main surface: a copy, a scaled draw, or a transition's blend.
pub(super) fn present_page(
    gfx: &mut Gfx,
    transition: &mut Option<Transition>,
    page: &Frame,
    rotation: u16,
) -> Outcome {
    let page_size = (page.width, page.height);
    // A single-colour panel's page goes to its two colours on the way (`Frame::two_colours`).
    let two = page.two_colours;
    // The panel's turn, and the window's buffers' own under Wayland (`Gfx::buffer_turns`).
    let turns = ((rotation / 90) as u32 + gfx.buffer_turns) % 4;
    let surface_texture = match acquire(&gfx.surface, &gfx.config, &gfx.renderer.gpu().device) {
        Ok(t) => t,
        Err(outcome) => return outcome,
    };
    let view = surface_texture
        .texture
        .create_view(&wgpu::TextureViewDescriptor::default());
    let size = gfx.surface_size();
    let progress = transition
        .as_ref()
        .map(|t| (t.started.elapsed().as_secs_f32() / t.duration.as_secs_f32()).min(1.0));
    match (transition.as_ref(), progress) {
        (Some(t), Some(p)) => {
            // Smoothstep: starts and ends gently.
            let e = p * p * (3.0 - 2.0 * p);
            let w = size.0 as f32;
            let layers = match t.kind {
                TransitionKind::Fade => vec![
                    Layer {
                        view: &gfx.previous.view,
                        dx: 0.0,
                        alpha: 1.0,
                    },
                    Layer {
                        view: &gfx.page.view,
                        dx: 0.0,
                        alpha: e,
                    },
                ],
                _ => vec![
                    Layer {
                        view: &gfx.previous.view,
                        dx: -w * e,
                        alpha: 1.0,
                    },
                    Layer {
                        view: &gfx.page.view,
                        dx: w * (1.0 - e),
                        alpha: 1.0,
                    },
                ],
            };
            gfx.renderer.composite(&view, size, &layers, turns, two);
            if p >= 1.0 {
                *transition = None;
            }
        }
        _ if gfx.can_copy
            && two.is_none()
            && turns == 0
            && size.0 == page_size.0
            && size.1 <= page_size.1
            && (size.1 == page_size.1 || gfx.band.is_some()) =>
        {
            // A straight copy: cheaper than drawing a textured quad over the whole screen. Over
            // a band's subsurface the window's buffers are shorter: the page's top part.
            let gpu = gfx.renderer.gpu();
            let mut encoder = gpu
                .device
                .create_command_encoder(&wgpu::CommandEncoderDescriptor {
                    label: Some("present page"),
                });
            encoder.copy_texture_to_texture(
                gfx.page.texture.as_image_copy(),
                surface_texture.texture.as_image_copy(),
                wgpu::Extent3d {
                    width: size.0,
                    height: size.1,
                    depth_or_array_layers: 1,
                },
            );
            gpu.queue.submit([encoder.finish()]);
        }
        _ => {
            // The window differs from the playlist's size, or the panel is turned: the page is
            // scaled to fit, and turned.
            gfx.renderer.composite(
                &view,
                size,
                &[Layer {
                    view: &gfx.page.view,
                    dx: 0.0,
                    alpha: 1.0,
                }],
                turns,
                two,
            );
        }
    }
    gfx.window.pre_present_notify();
    gfx.renderer.gpu().queue.present(surface_texture);
    Outcome::Presented
}

/// Brings the running band to its own surface. On a Wayland subsurface the band's strip
/// (`Frame::strip`) is drawn once and each frame only moves the subsurface, so neither the player
/// nor the GPU draws anything while the ticker runs; elsewhere the band is drawn every frame.
pub(super) fn present_band(
    gfx: &mut Gfx,
    fonts: &mut Fonts,
    frame: &Frame,
    region: Rect,
) -> Outcome {
    let Some(band) = gfx.band.as_mut() else {
        return Outcome::Presented;
    };
    let device = &gfx.renderer.gpu().device;
    let limit = device.limits().max_texture_dimension_2d;
    let strip = match (&band.host, &gfx.wayland) {
        (Host::Sub(_), Some(_)) => frame.strip(region).filter(|s| s.width <= limit),
        _ => None,
    };
    let (part, size) = match &strip {
        Some(strip) if band.strip.as_ref() == Some(strip) => (None, (strip.width, strip.height)),
        Some(strip) => (Some(strip.clone()), (strip.width, strip.height)),
        None => (
            Some(frame.crop(region)),
            (band.config.width, band.config.height),
        ),
    };
    let size = match (&strip, &band.strip) {
        // From a strip back to drawing the band: the band's own size again.
        (None, Some(_)) => (region.w.round() as u32, region.h.round() as u32),
        _ => size,
    };
    if (band.config.width, band.config.height) != size {
        band.config.width = size.0.max(1);
        band.config.height = size.1.max(1);
        band.surface.configure(device, &band.config);
    }
    if let Some(part) = part {
        let texture = match acquire(&band.surface, &band.config, device) {
            Ok(t) => t,
            Err(Outcome::Lost) => {
                gfx.drop_band();
                return Outcome::Again;
            }
            Err(other) => return other,
        };
        let view = texture
            .texture
            .create_view(&wgpu::TextureViewDescriptor::default());
        if let Err(e) = gfx.renderer.draw_final(fonts, &part, &view) {
            return Outcome::Failed(e.to_string());
        }
        band.pre_present();
        gfx.renderer.gpu().queue.present(texture);
        band.strip = strip.clone();
    }
    if let Some(wayland) = &mut gfx.wayland {
        wayland.pump();
        if let Host::Sub(sub) = &band.host {
            // The strip's left edge: the running line's x less the band's width.
            let x = match &strip {
                Some(_) => frame
                    .blocks
                    .iter()
                    .find(|b| b.motion.is_some())
                    .and_then(|b| b.lines.first())
                    .map_or(region.x, |line| line.x - region.w),
                None => region.x,
            };
            wayland.move_subsurface(sub, (x.round() as i32, region.y.round() as i32));
        }
    }
    Outcome::Presented
}
