//! Frames drawn by wgpu (lavapipe in CI) against committed reference images.
//!
//! A machine without any adapter fails here, loudly: a render test that cannot render has not
//! passed. `NOTICECAST_BLESS=1 cargo test --test render` rewrites the references; review the
//! images before committing them. On a mismatch the actual frame is written to
//! `target/render-test-output/` beside the reference name.

mod common;

use std::path::PathBuf;

use noticecast::layout::{Frame, Role};
use noticecast::render::{Pixels, Renderer, read_png, write_png};

/// A pixel differs when a channel is off by more than this…
const CHANNEL_TOLERANCE: u8 = 48;
/// …and a frame matches when at most this share of its pixels differ.
const PIXEL_SHARE_TOLERANCE: f64 = 0.005;

fn renderer() -> Renderer {
    Renderer::offscreen().unwrap_or_else(|e| {
        panic!("render tests need a GPU adapter; install mesa-vulkan-drivers for lavapipe: {e}")
    })
}

enum Case {
    Notice(&'static str, &'static str, usize),
    At(&'static str, &'static str),
    /// The demo's emergency (2026-0181) at a warning level, on screen while it is in force.
    Warning(&'static str, &'static str),
}

const CASES: &[(&str, Case)] = &[
    ("tv-policy-page1", Case::Notice("plaza-tv", "2026-0153", 0)),
    (
        "tv-reports-latin-url",
        Case::Notice("plaza-tv", "2026-0170", 0),
    ),
    (
        "tv-emergency",
        Case::At("plaza-tv", "2026-11-28T09:00:00+08:00"),
    ),
    (
        "terminal-personnel-rare-name",
        Case::Notice("village-terminal", "2026-0161", 0),
    ),
    (
        "terminal-at-10h",
        Case::At("village-terminal", "2026-11-27T10:00:00+08:00"),
    ),
    (
        "led-services",
        Case::Notice("service-hall-led", "2026-0178", 0),
    ),
    (
        "led-at-10h",
        Case::At("service-hall-led", "2026-11-27T10:00:20+08:00"),
    ),
    (
        "led-192x32-services",
        Case::Notice("service-window-led", "2026-0178", 0),
    ),
    (
        "led-192x32-at-10h",
        Case::At("service-window-led", "2026-11-27T10:00:09+08:00"),
    ),
    ("warning-red-tv", Case::Warning("plaza-tv", "red")),
    ("warning-orange-tv", Case::Warning("plaza-tv", "orange")),
    ("warning-yellow-tv", Case::Warning("plaza-tv", "yellow")),
    ("warning-blue-tv", Case::Warning("plaza-tv", "blue")),
    (
        "warning-red-terminal",
        Case::Warning("village-terminal", "red"),
    ),
    (
        "warning-orange-terminal",
        Case::Warning("village-terminal", "orange"),
    ),
    (
        "warning-yellow-terminal",
        Case::Warning("village-terminal", "yellow"),
    ),
    (
        "warning-blue-terminal",
        Case::Warning("village-terminal", "blue"),
    ),
    ("warning-red-led", Case::Warning("service-hall-led", "red")),
    (
        "warning-orange-led",
        Case::Warning("service-hall-led", "orange"),
    ),
    (
        "warning-yellow-led",
        Case::Warning("service-hall-led", "yellow"),
    ),
    (
        "warning-blue-led",
        Case::Warning("service-hall-led", "blue"),
    ),
];

fn frame_of(case: &Case) -> (noticecast::show::Show, Frame) {
    match case {
        Case::Notice(playlist, id, page) => {
            let mut show = common::show(playlist);
            let frame = show
                .frame_of(id, *page, common::t("2026-11-27T10:00:00+08:00"))
                .unwrap();
            (show, frame)
        }
        Case::At(playlist, at) => {
            let mut show = common::show(playlist);
            let (_, frame) = show.frame_at(common::t(at));
            (show, frame)
        }
        Case::Warning(playlist, level) => {
            let mut show = warning_show(playlist, level);
            let frame = show
                .frame_of("2026-0181", 0, common::t("2026-11-28T09:00:00+08:00"))
                .unwrap();
            (show, frame)
        }
    }
}

/// The demo feed with its emergency at `level`.
fn warning_show(playlist: &str, level: &str) -> noticecast::show::Show {
    let mut json = common::demo_json();
    for n in json["notices"].as_array_mut().unwrap() {
        if n["id"] == "2026-0181" {
            n["level"] = level.into();
        }
    }
    let feed = noticecast::model::Feed::from_json(&json.to_string(), "warning feed").unwrap();
    noticecast::show::Show::new(
        noticecast::layout::Typesetter::new(common::fonts()),
        feed,
        common::playlist(playlist),
    )
}

fn output_dir() -> PathBuf {
    let dir = common::path("target/render-test-output");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The share of pixels that differ beyond the channel tolerance.
fn differing_share(a: &Pixels, b: &Pixels) -> f64 {
    assert_eq!((a.width, a.height), (b.width, b.height), "sizes differ");
    let differ = a
        .rgba
        .chunks(4)
        .zip(b.rgba.chunks(4))
        .filter(|(p, q)| {
            p.iter()
                .zip(q.iter())
                .any(|(x, y)| x.abs_diff(*y) > CHANNEL_TOLERANCE)
        })
        .count();
    differ as f64 / (a.width * a.height) as f64
}

#[test]
fn frames_match_the_reference_images() {
    let mut renderer = renderer();
    let bless = std::env::var_os("NOTICECAST_BLESS").is_some();
    let mut failures = Vec::new();
    for (name, case) in CASES {
        let (mut show, frame) = frame_of(case);
        let pixels = renderer.render(show.typesetter().fonts(), &frame).unwrap();
        // Never bless an empty frame: a good share of pixels must differ from the background.
        let bg = frame.background.0;
        let inked = pixels.rgba.chunks(4).filter(|p| p[..3] != bg[..3]).count() as f64
            / (frame.width * frame.height) as f64;
        assert!(
            inked > 0.01,
            "{name}: only {:.2}% of pixels drawn",
            inked * 100.0
        );
        let reference = common::path(&format!("tests/images/{name}.png"));
        if bless {
            write_png(&reference, &pixels).unwrap();
            continue;
        }
        let expected = read_png(&reference)
            .unwrap_or_else(|e| panic!("{e}: run with NOTICECAST_BLESS=1 to create it"));
        let share = differing_share(&pixels, &expected);
        if share > PIXEL_SHARE_TOLERANCE {
            let actual = output_dir().join(format!("{name}.actual.png"));
            write_png(&actual, &pixels).unwrap();
            failures.push(format!(
                "{name}: {:.3}% of pixels differ (see {})",
                share * 100.0,
                actual.display()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "frames differ from the references:\n{}",
        failures.join("\n")
    );
}

#[test]
fn red_led_frames_light_only_red() {
    let mut renderer = renderer();
    let (mut show, frame) = frame_of(&Case::Notice("service-hall-led", "2026-0178", 0));
    let pixels = renderer.render(show.typesetter().fonts(), &frame).unwrap();
    let lit = pixels.rgba.chunks(4).filter(|p| p[0] > 0).count();
    assert!(lit > 500, "only {lit} lit pixels");
    assert!(
        pixels.rgba.chunks(4).all(|p| p[1] == 0 && p[2] == 0),
        "a green or blue LED was lit"
    );
}

#[test]
fn the_qr_code_on_screen_decodes_to_the_notice_url() {
    let mut renderer = renderer();
    let (mut show, frame) = frame_of(&Case::Notice("plaza-tv", "2026-0170", 0));
    let pixels = renderer.render(show.typesetter().fonts(), &frame).unwrap();
    let qr = frame.images[0].rect;
    let grey = |x: usize, y: usize| {
        let (x, y) = (qr.x as usize + x, qr.y as usize + y);
        let i = (y * pixels.width as usize + x) * 4;
        ((pixels.rgba[i] as u32 + pixels.rgba[i + 1] as u32 + pixels.rgba[i + 2] as u32) / 3) as u8
    };
    let mut image = rqrr::PreparedImage::prepare_from_greyscale(qr.w as usize, qr.h as usize, grey);
    let grids = image.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code in its box");
    let (_, text) = grids[0].decode().expect("the QR code decodes");
    assert_eq!(text, "https://www.example.gov.cn/yunling/tjsj/2026q3");
}

#[test]
fn the_same_frame_renders_the_same_twice() {
    let mut renderer = renderer();
    let (mut show, frame) = frame_of(&Case::At("plaza-tv", "2026-11-27T10:00:00+08:00"));
    let fonts = show.typesetter().fonts();
    let first = renderer.render(fonts, &frame).unwrap();
    let second = renderer.render(fonts, &frame).unwrap();
    assert_eq!(
        first, second,
        "cached glyphs and buffers must not change the picture"
    );
    assert!(frame.blocks.iter().any(|b| b.role == Role::Ticker));
}

/// How far the running band moved between two frames: the shift `dx` (0 to 8 pixels) that best
/// lines up `b`'s band rows with `a`'s moved left by `dx`.
fn band_shift(a: &Pixels, b: &Pixels, rows: std::ops::Range<u32>) -> u32 {
    let px = |p: &Pixels, x: u32, y: u32| {
        let i = ((y * p.width + x) * 4) as usize;
        p.rgba[i] as i32 + p.rgba[i + 1] as i32 + p.rgba[i + 2] as i32
    };
    (0..=8)
        .min_by_key(|&dx| {
            let mut cost = 0i64;
            for y in rows.clone() {
                for x in 8..a.width - 8 {
                    cost += (px(a, x, y) - px(b, x - dx, y)).abs() as i64;
                }
            }
            cost
        })
        .unwrap()
}

/// `render --at` at 1/refresh_hz steps for two seconds: the running text moves the same whole
/// number of pixels at every step, on the LED strip and on the TV's ticker (a 48 px/s marquee
/// at 60 Hz used to move 1,1,1,1,0: a 12 Hz judder).
#[test]
fn running_text_moves_in_equal_steps_frame_by_frame() {
    let mut renderer = renderer();
    for name in ["service-hall-led", "plaza-tv"] {
        let mut show = common::show(name);
        let step = noticecast::layout::templates::running_step(show.playlist()).unwrap();
        assert_eq!(
            step.refreshes, 1,
            "{name}: the shipped speed moves every refresh"
        );
        let hz = show.playlist().screen.refresh_hz as f64;
        let start = common::t("2026-11-27T10:00:02+08:00");
        let mut last: Option<Pixels> = None;
        let mut shifts = Vec::new();
        for i in 0..(2.0 * hz) as i64 {
            let at = start + chrono::TimeDelta::microseconds((i as f64 * 1e6 / hz).round() as i64);
            let (_, frame) = show.frame_at(at);
            let band = frame
                .blocks
                .iter()
                .filter(|b| b.motion.is_some())
                .map(|b| b.clip)
                .next_back()
                .expect("running text");
            let pixels = renderer.render(show.typesetter().fonts(), &frame).unwrap();
            let rows = band.y as u32 + 2..(band.bottom() as u32).min(frame.height) - 2;
            if let Some(prev) = &last {
                shifts.push(band_shift(prev, &pixels, rows));
            }
            last = Some(pixels);
        }
        // A wrap to the start of the text is the only other step allowed, once at most.
        let odd = shifts.iter().filter(|&&s| s != step.px).count();
        assert!(
            odd <= 1,
            "{name}: steps {shifts:?}, expected {} px every refresh",
            step.px
        );
    }
}

/// Single-colour LED modules (`bits = 1`) get frames of exactly two colours, background and lit,
/// the 16 px strip in the bitmap face and the 40 px one in thresholded outlines; the same frame
/// at full depth has grey edges.
#[test]
fn single_colour_strips_get_exactly_two_colours() {
    let mut renderer = renderer();
    for name in ["service-window-led", "service-hall-led"] {
        let mut show = common::show(name);
        let (_, frame) = show.frame_at(common::t("2026-11-27T10:00:20+08:00"));
        let (bg, lit) = frame.two_colours.expect("bits = 1");
        let pixels = renderer.render(show.typesetter().fonts(), &frame).unwrap();
        let mut seen = std::collections::BTreeSet::new();
        for p in pixels.rgba.chunks(4) {
            seen.insert([p[0], p[1], p[2]]);
        }
        let expected: std::collections::BTreeSet<[u8; 3]> =
            [bg, lit].iter().map(|c| [c.0[0], c.0[1], c.0[2]]).collect();
        assert_eq!(seen, expected, "{name}: the colours of the frame");
        let lit_share = pixels
            .rgba
            .chunks(4)
            .filter(|p| p[0] == lit.0[0] && p[0] != bg.0[0])
            .count() as f64
            / (frame.width * frame.height) as f64;
        assert!(
            lit_share > 0.02,
            "{name}: only {lit_share} of the strip is lit"
        );
        // The bitmap face is used where it exists (16 px rows), outlines elsewhere.
        let bitmap_rows = frame.blocks.iter().all(|b| b.bitmap);
        assert!(
            bitmap_rows,
            "{name}: single-colour lines ask for the bitmap face"
        );
        let mut full = frame.clone();
        full.two_colours = None;
        let grey = renderer.render(show.typesetter().fonts(), &full).unwrap();
        let levels: std::collections::BTreeSet<u8> = grey.rgba.chunks(4).map(|p| p[0]).collect();
        if name == "service-hall-led" {
            assert!(
                levels.len() > 2,
                "40 px outlines at full depth have grey edges"
            );
        }
    }
}
