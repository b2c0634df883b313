// Filled rectangles and textured quads, positioned in physical pixels.
// Colours arrive linear: the target is an sRGB format, which encodes on write.

struct Viewport {
    size: vec2<f32>,
    // Quarter turns clockwise of the sampled texture: compositing a page onto a rotated output
    // (touch/transform.rs, `to_page`). 0 when drawing a frame.
    turns: f32,
    // 1 on a single-colour panel (`Frame::two_colours`): composited pixels go to the nearer of
    // `bg` and `fg`, so the frame holds exactly those two colours.
    two: f32,
    bg: vec4<f32>,
    fg: vec4<f32>,
};

@group(0) @binding(0) var<uniform> viewport: Viewport;

struct Quad {
    @location(0) rect: vec4<f32>,   // x, y, width, height in pixels
    @location(1) color: vec4<f32>,  // linear, straight alpha
};

struct VsOut {
    @builtin(position) position: vec4<f32>,
    @location(0) color: vec4<f32>,
    @location(1) uv: vec2<f32>,
};

@vertex
fn vs_main(@builtin(vertex_index) index: u32, quad: Quad) -> VsOut {
    // A triangle strip of four corners: (0,0) (1,0) (0,1) (1,1).
    let corner = vec2<f32>(f32(index & 1u), f32((index >> 1u) & 1u));
    let px = quad.rect.xy + corner * quad.rect.zw;
    var out: VsOut;
    out.position = vec4<f32>(px.x / viewport.size.x * 2.0 - 1.0, 1.0 - px.y / viewport.size.y * 2.0, 0.0, 1.0);
    out.color = quad.color;
    let t = u32(viewport.turns + 0.5) % 4u;
    var uv = corner;
    if t == 1u {
        uv = vec2<f32>(corner.y, 1.0 - corner.x);
    } else if t == 2u {
        uv = vec2<f32>(1.0 - corner.x, 1.0 - corner.y);
    } else if t == 3u {
        uv = vec2<f32>(1.0 - corner.y, corner.x);
    }
    out.uv = uv;
    return out;
}

@fragment
fn fs_fill(in: VsOut) -> @location(0) vec4<f32> {
    return in.color;
}

@group(1) @binding(0) var image: texture_2d<f32>;
@group(1) @binding(1) var image_sampler: sampler;

@fragment
fn fs_image(in: VsOut) -> @location(0) vec4<f32> {
    let c = textureSample(image, image_sampler, in.uv) * in.color;
    if viewport.two > 0.5 {
        // Half coverage is the midpoint: an antialiased edge goes to the side it mostly is.
        let near_bg = distance(c.rgb, viewport.bg.rgb) <= distance(c.rgb, viewport.fg.rgb);
        return select(viewport.fg, viewport.bg, near_bg);
    }
    return c;
}
