//! A notice's figures on the screens: a page of its own on the TV and the terminal's rotation,
//! fitted and captioned; a note on the LED; `render --assets` and `--lines-json` images.

mod common;

use std::path::Path;
use std::process::Command;

use noticecast::feed::assets::sha256_hex;
use noticecast::layout::{Frame, ImageRole, Role};
use noticecast::model::Feed;
use noticecast::show::Show;

const NOW: &str = "2026-11-27T10:00:00+08:00";

/// A small drawing: a 4:3 PNG of 400x300 px, red with a blue band, green growing left to
/// right (so that every part of it differs).
fn drawing() -> Vec<u8> {
    let img = image::RgbaImage::from_fn(400, 300, |x, y| {
        let g = (x * 255 / 400) as u8;
        if (100..200).contains(&y) {
            image::Rgba([20, g, 200, 255])
        } else {
            image::Rgba([200, g, 30, 255])
        }
    });
    let mut out = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

/// The demo feed with one 规划公示 carrying the drawing as its figure.
fn feed_json(sha: &str) -> serde_json::Value {
    let mut json = common::demo_json();
    let mut notice = json["notices"][3].clone();
    notice["id"] = "2026-F01".into();
    notice["title"] = "城南片区控制性详细规划（修编）批前公示".into();
    notice["body"] = "根据《中华人民共和国城乡规划法》第四十条，现将总平面图予以公示。".into();
    notice["figures"] = serde_json::json!([
        {"asset": sha, "caption": "图1　城南片区总平面图", "alt": "规划范围及用地布局"}
    ]);
    json["notices"] = serde_json::json!([notice]);
    json["assets"] = serde_json::json!([{
        "sha256": sha,
        "url": format!("https://www.example.gov.cn/assets/{sha}"),
        "media_type": "image/png",
    }]);
    json
}

fn show(playlist: &str, assets: &Path, sha: &str) -> Show {
    let feed = Feed::from_json(&feed_json(sha).to_string(), "test").expect("valid");
    let mut show = Show::new(
        noticecast::layout::Typesetter::new(common::fonts()),
        feed,
        common::playlist(playlist),
    );
    show.set_assets(Box::new(noticecast::figures::Folder(assets.to_path_buf())));
    show
}

fn figure_frame(show: &mut Show) -> Frame {
    let pages = show.pages_of("2026-F01").unwrap();
    (0..pages)
        .map(|p| show.frame_of("2026-F01", p, common::t(NOW)).unwrap())
        .find(|f| f.areas.iter().any(|a| a.name == "figure"))
        .expect("a page of the figure")
}

fn folder_with(bytes: &[u8]) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let sha = sha256_hex(bytes);
    std::fs::write(dir.path().join(&sha), bytes).unwrap();
    (dir, sha)
}

#[test]
fn a_figure_has_its_own_page_fitted_and_captioned_on_the_tv_and_the_terminal() {
    let png = drawing();
    let (dir, sha) = folder_with(&png);
    for (playlist, size) in [
        ("plaza-tv", (1920.0, 1080.0)),
        ("village-terminal", (1080.0, 1920.0)),
    ] {
        let mut show = show(playlist, dir.path(), &sha);
        assert!(show.pages_of("2026-F01").unwrap() >= 2, "{playlist}");
        let frame = figure_frame(&mut show);
        let figures: Vec<_> = frame
            .images
            .iter()
            .filter(|i| i.role == ImageRole::Figure)
            .collect();
        assert_eq!(figures.len(), 1, "{playlist}");
        let image = figures[0];
        assert_eq!(image.asset.as_deref(), Some(sha.as_str()));
        // Enlarged from 400x300 to at least a third of the screen each way, its shape kept.
        let r = image.rect;
        assert!(
            r.w >= size.0 / 3.0 && r.h >= size.1 / 3.0 - 1.0 || r.w >= size.0 * 0.8,
            "{playlist}: {r:?}"
        );
        assert!((r.w / r.h - 4.0 / 3.0).abs() < 0.02, "{playlist}: {r:?}");
        assert!(r.x >= 0.0 && r.right() <= size.0 && r.bottom() <= size.1);
        // No body text and no small QR code on it; the caption under the picture.
        assert!(
            frame.images.iter().all(|i| i.role != ImageRole::Qr),
            "{playlist}"
        );
        let caption = frame
            .blocks
            .iter()
            .find(|b| b.role == Role::Caption)
            .unwrap();
        assert_eq!(caption.lines[0].text, "图1　城南片区总平面图");
        assert!(caption.lines[0].y >= r.bottom() - 1.0, "{playlist}");
        let fonts = show.typesetter().fonts();
        let json = frame.lines_json(|t, px, b, bm| fonts.width_for(t, px, b, bm));
        assert_eq!(json["images"][0]["role"], "figure", "{json}");
        assert_eq!(json["images"][0]["asset"], sha.as_str());
    }
}

#[test]
fn a_figure_not_at_hand_says_so_instead_of_a_hole() {
    let png = drawing();
    let sha = sha256_hex(&png);
    let empty = tempfile::tempdir().unwrap();
    let mut show = show("plaza-tv", empty.path(), &sha);
    let frame = figure_frame(&mut show);
    assert!(frame.images.iter().all(|i| i.role != ImageRole::Figure));
    let message: String = frame
        .blocks
        .iter()
        .filter(|b| b.role == Role::Message)
        .flat_map(|b| b.lines.iter().map(|l| l.text.clone()))
        .collect();
    assert!(message.contains("图片暂未下载"), "{message}");
    // A file whose content is not what its name says is not drawn either.
    let (dir, _) = folder_with(&png);
    std::fs::rename(dir.path().join(&sha), dir.path().join("0".repeat(64))).unwrap();
    let json = feed_json(&"0".repeat(64));
    let feed = Feed::from_json(&json.to_string(), "test").unwrap();
    let mut show = Show::new(
        noticecast::layout::Typesetter::new(common::fonts()),
        feed,
        common::playlist("plaza-tv"),
    );
    show.set_assets(Box::new(noticecast::figures::Folder(dir.path().into())));
    let frame = figure_frame(&mut show);
    assert!(frame.images.iter().all(|i| i.role != ImageRole::Figure));
}

#[test]
fn the_led_says_where_to_see_the_figure() {
    let png = drawing();
    let (dir, sha) = folder_with(&png);
    let mut show = show("service-hall-led", dir.path(), &sha);
    let frame = show.frame_of("2026-F01", 0, common::t(NOW)).unwrap();
    let marquee = frame
        .blocks
        .iter()
        .find(|b| b.role == Role::Marquee)
        .unwrap();
    assert!(
        marquee.lines[0].text.contains("附图 1 幅"),
        "{}",
        marquee.lines[0].text
    );
    assert!(frame.images.is_empty());
}

#[test]
fn render_draws_figures_from_an_assets_folder() {
    let png = drawing();
    let dir = tempfile::tempdir().unwrap();
    let sha = sha256_hex(&png);
    std::fs::create_dir(dir.path().join("cache")).unwrap();
    std::fs::write(dir.path().join("cache").join(&sha), &png).unwrap();
    let feed = dir.path().join("feed.json");
    std::fs::write(&feed, feed_json(&sha).to_string()).unwrap();
    let out = dir.path().join("page.png");
    let lines = dir.path().join("lines.json");
    let status = Command::new(env!("CARGO_BIN_EXE_noticecast"))
        .args(["render", "--notice", "2026-F01", "--page", "2"])
        .arg("--feed")
        .arg(&feed)
        .args(["--playlist", "playlists/plaza-tv.toml", "--assets"])
        .arg(dir.path().join("cache"))
        .arg("--out")
        .arg(&out)
        .arg("--lines-json")
        .arg(&lines)
        .current_dir(common::root())
        .status()
        .unwrap();
    assert!(status.success());
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&lines).unwrap()).unwrap();
    let image = &json["images"][0];
    assert_eq!(image["role"], "figure", "{json}");
    // The drawing's blue band is where the figure's box says, in the PNG.
    let pixels = noticecast::render::read_png(&out).unwrap();
    let (x, y, w, h) = (
        image["x"].as_f64().unwrap(),
        image["y"].as_f64().unwrap(),
        image["w"].as_f64().unwrap(),
        image["h"].as_f64().unwrap(),
    );
    let at = |fx: f64, fy: f64| -> [u8; 4] {
        let (px, py) = ((x + w * fx) as u32, (y + h * fy) as u32);
        let i = ((py * pixels.width + px) * 4) as usize;
        pixels.rgba[i..i + 4].try_into().unwrap()
    };
    let [r, _, b, _] = at(0.5, 0.5);
    assert!(b > 150 && r < 80, "the blue band: {:?}", at(0.5, 0.5));
    let [r, _, b, _] = at(0.5, 0.1);
    assert!(r > 150 && b < 80, "the red top: {:?}", at(0.5, 0.1));
}

/// On the touch terminal a resident opens the notice, turns to the figure's page, taps the
/// picture and moves around it enlarged; 返回 comes back to the page.
#[test]
fn the_terminal_enlarges_a_tapped_figure_and_the_resident_moves_around_it() {
    use noticecast::touch::Terminal;
    use std::time::{Duration, Instant};
    let png = drawing();
    let (dir, sha) = folder_with(&png);
    let mut show = show("village-terminal", dir.path(), &sha);
    let touch = show.playlist().touch.clone().unwrap();
    let mut terminal = Terminal::new(&touch, (1080, 1920));
    let at = common::t(NOW);
    let t0 = Instant::now();
    terminal.content_changed(&mut show, at);
    let mut k = 0;
    let mut tap = |terminal: &mut Terminal, show: &mut Show, name: Option<&str>| {
        k += 1;
        let t = t0 + Duration::from_millis(300 * k);
        terminal.tap(show, name.map(|n| n.parse().unwrap()), t, at);
        terminal.frame(show, t, at).unwrap()
    };
    tap(&mut terminal, &mut show, None);
    tap(&mut terminal, &mut show, Some("category:projects"));
    tap(&mut terminal, &mut show, Some("notice:2026-F01"));
    let page = tap(&mut terminal, &mut show, Some("button:next"));
    assert!(
        terminal.screen_name().starts_with("notice:2026-F01:2"),
        "{}",
        terminal.screen_name()
    );
    let fitted = page
        .images
        .iter()
        .find(|i| i.role == ImageRole::Figure)
        .expect("the figure on its page")
        .clone();
    let zoom: noticecast::model::target::TargetName = "button:zoom".parse().unwrap();
    assert_eq!(
        terminal.target_rect(&zoom),
        Some(fitted.rect),
        "the picture is the target"
    );

    let big = tap(&mut terminal, &mut show, Some("button:zoom"));
    assert!(
        terminal.screen_name().starts_with("figure:2026-F01"),
        "{}",
        terminal.screen_name()
    );
    let enlarged = big
        .images
        .iter()
        .find(|i| i.role == ImageRole::Figure)
        .unwrap();
    // A part of the picture, larger than the whole was: 400x300 fitted, then enlarged.
    assert!(enlarged.image.width < fitted.image.width, "a crop");
    let scale = |b: &noticecast::layout::ImageBox| b.rect.w / b.image.width as f32;
    assert!(
        scale(enlarged) > 2.0 * scale(&fitted),
        "{} vs {}",
        scale(enlarged),
        scale(&fitted)
    );
    let left: noticecast::model::target::TargetName = "button:left".parse().unwrap();
    let right: noticecast::model::target::TargetName = "button:right".parse().unwrap();
    assert!(terminal.target_rect(&left).is_some() && terminal.target_rect(&right).is_some());
    // Moving right shows another part; at the edge the button stops working.
    let before = enlarged.image.clone();
    let moved = tap(&mut terminal, &mut show, Some("button:right"));
    let after = moved
        .images
        .iter()
        .find(|i| i.role == ImageRole::Figure)
        .unwrap();
    assert_ne!(before.rgba, after.image.rgba, "another part of the picture");
    for _ in 0..6 {
        tap(&mut terminal, &mut show, Some("button:right"));
    }
    assert!(
        terminal.target_rect(&right).is_none(),
        "the right edge reached"
    );
    tap(&mut terminal, &mut show, Some("button:back"));
    assert!(
        terminal.screen_name().starts_with("notice:2026-F01:2"),
        "{}",
        terminal.screen_name()
    );
}
