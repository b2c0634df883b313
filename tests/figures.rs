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

/// A small drawing: a 4:3 PNG of 400x300 px, red with a blue band.
fn drawing() -> Vec<u8> {
    let img = image::RgbaImage::from_fn(400, 300, |_, y| {
        if (100..200).contains(&y) {
            image::Rgba([20, 40, 200, 255])
        } else {
            image::Rgba([200, 30, 30, 255])
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
