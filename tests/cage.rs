//! The screens as deployed: the player under cage (Wayland, headless wlroots, pixman) started by
//! the kiosk unit's own command line as a user that is not root, screenshots by grim. What
//! residents see there must equal `noticecast render --at T --output WxH` of the same instant:
//! a TV laid out for the output's real size (and drawn, on a still page too), an LED strip on
//! its capture rectangle with black around it, the ticker band on a subsurface of its own.
//!
//! The kiosk tests run one at a time: each holds a compositor and a lavapipe player, and this
//! machine has two cores.

mod common;

use std::path::Path;
use std::sync::Mutex;

use common::cage::Kiosk;
use common::x11::{AT, differing};
use noticecast::render::{Pixels, Renderer};

static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// What `render --at AT --output WxH` draws, in process.
fn reference(playlist: &Path, output: Option<(u32, u32)>) -> Pixels {
    reference_at(playlist, output, AT)
}

fn reference_at(playlist: &Path, output: Option<(u32, u32)>, at: &str) -> Pixels {
    let feed = common::demo_feed();
    let playlist = noticecast::model::Playlist::from_file(playlist).unwrap();
    let mut show = noticecast::show::Show::new(
        noticecast::layout::Typesetter::new(common::fonts()),
        feed,
        playlist,
    );
    if let Some(output) = output {
        show.set_output(output);
    }
    let (_, frame) = show.frame_at(common::t(at));
    let mut renderer = Renderer::offscreen().expect("a GPU adapter (lavapipe)");
    renderer.render(show.typesetter().fonts(), &frame).unwrap()
}

/// The kiosk on the demo feed and `playlist` (staged with `extra_files`), its clock starting at
/// `AT` and running at `speed` (0: frozen, a still page), `extra` more arguments for `play`.
fn kiosk(playlist: &Path, speed: &str, extra_files: &[&Path], extra: &[&str]) -> Kiosk {
    kiosk_at(playlist, AT, speed, extra_files, extra)
}

fn kiosk_at(
    playlist: &Path,
    at: &str,
    speed: &str,
    extra_files: &[&Path],
    extra: &[&str],
) -> Kiosk {
    let feed = common::path("deploy/demo/feed.json");
    let name = playlist.file_name().unwrap().to_str().unwrap().to_string();
    let playlist_arg = format!("{{stage}}/{name}");
    let mut args = vec![
        "--feed",
        "{stage}/feed.json",
        "--playlist",
        &playlist_arg,
        "--start-at",
        at,
        "--clock-speed",
        speed,
        "--exit-after",
        "120",
    ];
    args.extend_from_slice(extra);
    let mut files = vec![feed.as_path(), playlist];
    files.extend_from_slice(extra_files);
    let mut kiosk = Kiosk::start(&files, &args);
    kiosk.wait_for("first frame presented");
    kiosk
}

/// The player with its clock frozen at `AT` on the demo feed: a still page, as on a screen
/// whose rotation waits for the next page.
fn frozen(playlist: &Path) -> Kiosk {
    kiosk(playlist, "0", &[], &[])
}

#[test]
fn a_tv_under_cage_is_laid_out_for_the_output_and_a_still_page_is_drawn() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let playlist = common::path("playlists/plaza-tv.toml");
    let mut kiosk = frozen(&playlist);
    // The page is laid out again for the output cage gives it (not 1920x1080 scaled).
    let line = kiosk.line("pages laid out for");
    let first = kiosk.screenshot("size.png");
    let output = (first.width, first.height);
    assert!(
        line.contains(&format!("laid out for {}x{}", output.0, output.1)),
        "{line}"
    );
    assert_ne!(
        output,
        (1920, 1080),
        "the headless output is smaller than the playlist"
    );
    let expected = reference(&playlist, Some(output));
    // Regression: after the first frame cage resized the window to the output, and a still page
    // stayed black until the next page change.
    let shot = kiosk.settled("tv.png", |s| differing(s, &expected) < 0.005);
    let share = differing(&shot, &expected);
    assert!(
        share < 0.005,
        "{:.2}% of the output differs from render --at {AT} --output {}x{}",
        share * 100.0,
        output.0,
        output.1
    );
}

/// The demo's cold-wave warning (蓝色预警) as the kiosk shows it: the whole output in the warning's
/// blue, what to do and whom to call on the page, the ticker running the warning's headline on
/// its subsurface; the page equal to `render --at` of the same instant.
#[test]
fn a_warning_under_cage_takes_the_whole_output_in_its_colour() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let playlist = common::path("playlists/plaza-tv.toml");
    let at = "2026-11-28T09:00:00+08:00";
    let mut kiosk = kiosk_at(&playlist, at, "0", &[], &[]);
    kiosk.line("showing notice 2026-0181");
    let first = kiosk.screenshot("size.png");
    let output = (first.width, first.height);
    let expected = reference_at(&playlist, Some(output), at);
    let shot = kiosk.settled("warning.png", |s| differing(s, &expected) < 0.005);
    let share = differing(&shot, &expected);
    assert!(
        share < 0.005,
        "{:.2}% of the output differs from render --at {at}",
        share * 100.0
    );
    let blue = shot
        .rgba
        .chunks(4)
        .filter(|p| p[..3] == [0x00, 0x47, 0xAB])
        .count() as f64
        / (shot.width * shot.height) as f64;
    assert!(
        blue > 0.4,
        "only {:.1}% of the output is the warning's blue",
        blue * 100.0
    );
}

#[test]
fn an_led_strip_under_cage_sits_on_its_capture_rectangle_with_black_around_it() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    // The hall's strip moved off the corner, so a stretched or misplaced picture cannot pass.
    let dir = tempfile::tempdir().unwrap();
    let playlist = dir.path().join("service-hall-led.toml");
    let text = std::fs::read_to_string(common::path("playlists/service-hall-led.toml")).unwrap();
    let moved = text.replace("x = 0\ny = 0", "x = 200\ny = 120");
    assert_ne!(moved, text);
    std::fs::write(&playlist, moved).unwrap();
    let mut kiosk = frozen(&playlist);
    kiosk.line("LED strip 384x96 at 200,120");
    let strip = reference(&playlist, None);
    let at = (200, 120);
    let inside = |s: &Pixels| s.crop(at, (384, 96));
    let shot = kiosk.settled("led.png", |s| differing(&inside(s), &strip) < 0.005);
    let share = differing(&inside(&shot), &strip);
    assert!(
        share < 0.005,
        "{:.2}% of the capture rectangle differs from render --at {AT}",
        share * 100.0
    );
    // Every pixel outside the rectangle is black: nothing of the strip is stretched or repeated.
    let mut lit = 0;
    for y in 0..shot.height {
        for x in 0..shot.width {
            let outside = x < at.0 || x >= at.0 + 384 || y < at.1 || y >= at.1 + 96;
            let i = ((y * shot.width + x) * 4) as usize;
            if outside && shot.rgba[i..i + 3].iter().any(|&c| c > 0) {
                lit += 1;
            }
        }
    }
    assert_eq!(lit, 0, "{lit} pixels outside the capture rectangle are lit");
    // And the whole output is what `render --output` gives for it.
    let whole = reference(&playlist, Some((shot.width, shot.height)));
    assert!(differing(&shot, &whole) < 0.001);
}

#[test]
fn the_ticker_runs_on_a_subsurface_of_its_own_over_a_page_that_stays() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let playlist = common::path("playlists/plaza-tv.toml");
    let mut kiosk = kiosk(&playlist, "1", &[], &[]);
    let line = kiosk.line("band subsurface");
    // "band subsurface 1280x54 at 0,666": where the band sits on the output.
    let numbers: Vec<u32> = line
        .rsplit("band subsurface ")
        .next()
        .unwrap()
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|n| n.parse().ok())
        .collect();
    let (w, h, x, y) = (numbers[0], numbers[1], numbers[2], numbers[3]);
    std::thread::sleep(std::time::Duration::from_millis(1500));
    let a = kiosk.screenshot("a.png");
    std::thread::sleep(std::time::Duration::from_millis(1000));
    let b = kiosk.screenshot("b.png");
    let band = |s: &Pixels| s.crop((x, y), (w, h));
    let page = |s: &Pixels| s.crop((0, 0), (s.width, y));
    assert!(
        differing(&band(&a), &band(&b)) > 0.005,
        "the ticker did not move in a second"
    );
    assert!(
        differing(&page(&a), &page(&b)) < 0.001,
        "the page above the band changed while only the ticker ran"
    );
    // The band is where the page's band is: the page above it equals the rendered page.
    let expected = reference(&playlist, Some((a.width, a.height)));
    assert!(differing(&page(&a), &page(&expected)) < 0.01);
}

#[test]
fn a_scripted_touch_visit_works_on_a_turned_terminal_under_cage() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    // The village terminal mounted on its side: a landscape output, a portrait picture.
    let dir = tempfile::tempdir().unwrap();
    let playlist = dir.path().join("terminal.toml");
    let text = std::fs::read_to_string(common::path("playlists/village-terminal.toml")).unwrap();
    let turned = text.replace("palette = \"full\"", "palette = \"full\"\nrotation = 90");
    assert_ne!(turned, text);
    std::fs::write(&playlist, turned).unwrap();
    let script = dir.path().join("visit.jsonl");
    std::fs::write(
        &script,
        [
            r#"{"t_ms": 1000, "tap_xy": [100, 100]}"#,
            r#"{"t_ms": 3000, "tap": "category:policy"}"#,
            r#"{"t_ms": 5000, "tap": "notice:2026-0153"}"#,
            r#"{"t_ms": 7000, "tap": "button:qr"}"#,
        ]
        .join("\n"),
    )
    .unwrap();
    let mut kiosk = kiosk(
        &playlist,
        "0",
        &[&script],
        &["--input-script", "{stage}/visit.jsonl"],
    );
    let rotation_shot = kiosk.screenshot("rotation.png");
    // The picture is laid out upright for the turned output.
    let picture = (rotation_shot.height, rotation_shot.width);
    let line = kiosk.line("pages laid out for");
    assert!(
        line.contains(&format!("{}x{}", picture.0, picture.1)),
        "{line}"
    );
    kiosk.wait_for("tap on button:qr");
    let shot = kiosk.settled("qr.png", |s| {
        !common::decode_qr(&common::to_page_pixels(s, picture, 90)).is_empty()
    });
    let page = common::to_page_pixels(&shot, picture, 90);
    assert_eq!(
        common::decode_qr(&page),
        ["https://www.example.gov.cn/yunling/xxgk/2026-0153.html"],
        "the QR code on the kiosk's screen"
    );
    assert!(
        differing(&shot, &rotation_shot) > 0.05,
        "the visit changed nothing"
    );
}

#[test]
fn a_running_led_strip_under_cage_is_drawn_alone_in_two_colours() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    let playlist = dir.path().join("service-hall-led.toml");
    let text = std::fs::read_to_string(common::path("playlists/service-hall-led.toml")).unwrap();
    std::fs::write(&playlist, text.replace("x = 0\ny = 0", "x = 200\ny = 120")).unwrap();
    let mut kiosk = kiosk(&playlist, "1", &[], &[]);
    // The strip has a surface of its own: each frame draws 384x96, not the output around it.
    kiosk.line("band subsurface 384x96 at 200,120");
    std::thread::sleep(std::time::Duration::from_millis(1500));
    let a = kiosk.screenshot("a.png");
    std::thread::sleep(std::time::Duration::from_millis(1000));
    let b = kiosk.screenshot("b.png");
    let strip = |s: &Pixels| s.crop((200, 120), (384, 96));
    assert!(
        differing(&strip(&a), &strip(&b)) > 0.005,
        "the marquee did not run"
    );
    for shot in [&a, &b] {
        let colours: std::collections::BTreeSet<[u8; 3]> = strip(shot)
            .rgba
            .chunks(4)
            .map(|p| [p[0], p[1], p[2]])
            .collect();
        assert_eq!(colours.len(), 2, "a single-colour strip: {colours:?}");
        let lit_outside = shot
            .rgba
            .chunks(4)
            .enumerate()
            .filter(|(i, p)| {
                let (x, y) = (*i as u32 % shot.width, *i as u32 / shot.width);
                let outside = !(200..584).contains(&x) || !(120..216).contains(&y);
                outside && p[..3].iter().any(|&c| c > 0)
            })
            .count();
        assert_eq!(
            lit_outside, 0,
            "pixels outside the capture rectangle are lit"
        );
    }
}

/// A figure's page as the kiosk shows it: the player under cage reads the figure's file from
/// the assets folder beside its feed (`play --assets`), decodes it when the page comes up and
/// draws it as `render --at` does, pixel for pixel.
#[test]
fn a_figure_under_cage_is_drawn_as_render_draws_it() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    // A drawing with detail in both directions, so a misplaced or rescaled picture shows.
    let img = image::RgbaImage::from_fn(640, 480, |x, y| {
        image::Rgba([
            (x % 256) as u8,
            (y % 256) as u8,
            ((x / 40 + y / 40) % 2 * 255) as u8,
            255,
        ])
    });
    let mut png = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    let sha = noticecast::feed::assets::sha256_hex(&png);
    let asset = dir.path().join(&sha);
    std::fs::write(&asset, &png).unwrap();
    let mut json = common::demo_json();
    let mut notice = json["notices"][3].clone();
    notice["id"] = "2026-F01".into();
    notice["body"] = "现将总平面图予以公示。".into();
    notice["figures"] = serde_json::json!([{"asset": sha, "caption": "图1　总平面图"}]);
    json["notices"] = serde_json::json!([notice]);
    json["assets"] = serde_json::json!([{
        "sha256": sha, "url": format!("https://www.example.gov.cn/a/{sha}"),
        "media_type": "image/png",
    }]);
    let feed_path = dir.path().join("feed.json");
    std::fs::write(&feed_path, json.to_string()).unwrap();
    let playlist = common::path("playlists/plaza-tv.toml");
    let show_of = |output: Option<(u32, u32)>| {
        let feed = noticecast::model::Feed::from_file(&feed_path).unwrap();
        let playlist = noticecast::model::Playlist::from_file(&playlist).unwrap();
        let mut show = noticecast::show::Show::new(
            noticecast::layout::Typesetter::new(common::fonts()),
            feed,
            playlist,
        );
        show.set_assets(Box::new(noticecast::figures::Folder(dir.path().into())));
        if let Some(output) = output {
            show.set_output(output);
        }
        show
    };
    // The first instant the rotation shows the figure's page (the notice's second).
    let show = show_of(None);
    let mut t = common::t(AT);
    while !matches!(
        show.slot_at(t).showing,
        noticecast::schedule::Showing::Page { page: 1, .. }
    ) {
        t += chrono::TimeDelta::seconds(1);
        assert!(
            t < common::t(AT) + chrono::TimeDelta::hours(1),
            "no figure page"
        );
    }
    let at = t.to_rfc3339();
    let args = [
        "--feed",
        "{stage}/feed.json",
        "--playlist",
        "{stage}/plaza-tv.toml",
        "--assets",
        "{stage}",
        "--start-at",
        &at,
        "--clock-speed",
        "0",
        "--exit-after",
        "120",
    ];
    let mut kiosk = Kiosk::start(&[&feed_path, &playlist, &asset], &args);
    kiosk.wait_for("first frame presented");
    let first = kiosk.screenshot("size.png");
    let output = (first.width, first.height);
    let mut show = show_of(Some(output));
    let (_, frame) = show.frame_at(common::t(&at));
    assert!(
        frame
            .images
            .iter()
            .any(|i| i.role == noticecast::layout::ImageRole::Figure),
        "the reference draws the figure"
    );
    let mut renderer = Renderer::offscreen().expect("a GPU adapter (lavapipe)");
    let expected = renderer.render(show.typesetter().fonts(), &frame).unwrap();
    let shot = kiosk.settled("figure.png", |s| differing(s, &expected) < 0.005);
    let share = differing(&shot, &expected);
    assert!(
        share < 0.005,
        "{:.2}% of the output differs from render --at {at}",
        share * 100.0
    );
}
