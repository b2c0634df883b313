//! The village touch terminal: its screens against reference images; a scripted visit in a real
//! window under Xvfb on a panel mounted on its side (open a category, a notice, page forward,
//! large type, QR, idle return, then lockdown keys); the QR code on screen decodes to the
//! notice's URL; and target sizes and gaps, from `--dump-targets`, on 21.5", 32" and 43" panels.
//!
//! Needs a GPU adapter (lavapipe), Xvfb and ImageMagick's `import` (deploy/install-deps); without
//! them these tests fail rather than pass unchecked. `NOTICECAST_BLESS=1 cargo test --test touch`
//! rewrites the reference images (tests/images/touch-*.png); review them before committing.

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::x11::{AT, Player, Xvfb, differing, settle};
use common::{decode_qr, to_page_pixels};
use noticecast::layout::Frame;
use noticecast::layout::touch::{GAP_MM, TARGET_MM, Target};
use noticecast::model::{Playlist, Timestamp};
use noticecast::render::{Pixels, Renderer, read_png, write_png};
use noticecast::show::Show;
use noticecast::touch::Terminal;

const POLICY_URL: &str = "https://www.example.gov.cn/yunling/xxgk/2026-0153.html";

/// The village terminal's playlist with another panel, turn and idle times.
fn playlist_text(diagonal_in: f32, rotation: u16, idle_s: u32, countdown_s: u32) -> String {
    let text = std::fs::read_to_string(common::path("playlists/village-terminal.toml")).unwrap();
    let text = text
        .replace("diagonal_in = 32", &format!("diagonal_in = {diagonal_in}"))
        .replace("idle_s = 90", &format!("idle_s = {idle_s}"))
        .replace("countdown_s = 15", &format!("countdown_s = {countdown_s}"))
        .replace(
            "palette = \"full\"",
            &format!("palette = \"full\"\nrotation = {rotation}"),
        );
    assert!(text.contains(&format!("diagonal_in = {diagonal_in}")));
    text
}

fn playlist(diagonal_in: f32) -> Playlist {
    Playlist::from_toml(&playlist_text(diagonal_in, 0, 90, 15), "test").unwrap()
}

fn write_playlist(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// The steps of the visit, as target names (`None`: a tap on the rotation).
const VISIT: &[(&str, Option<&str>)] = &[
    ("home", None),
    ("list-policy", Some("category:policy")),
    ("notice", Some("notice:2026-0153")),
    ("notice-page2", Some("button:next")),
    ("notice-large", Some("button:large")),
    ("qr", Some("button:qr")),
];

/// The screens of the visit, composed in-process: what the player must show after each step.
fn visit_frames(playlist: Playlist, at: Timestamp) -> (Show, Vec<(String, Frame, Vec<Target>)>) {
    let mut show = Show::new(
        noticecast::layout::Typesetter::new(common::fonts()),
        common::demo_feed(),
        playlist,
    );
    let touch = show.playlist().touch.clone().unwrap();
    let screen = show.playlist().screen.clone();
    let mut terminal = Terminal::new(&touch, (screen.width, screen.height));
    let t0 = Instant::now();
    let mut out = Vec::new();
    for (name, target) in VISIT {
        let target = target.map(|t| t.parse().unwrap());
        terminal.tap(&mut show, target, t0, at);
        let frame = terminal.frame(&mut show, t0, at).expect("a touch screen");
        out.push((name.to_string(), frame, terminal.targets().to_vec()));
    }
    // The countdown over the QR screen, 3 s into it.
    let late = t0 + Duration::from_secs(touch.idle_s as u64 + touch.countdown_s as u64 - 3);
    let frame = terminal.frame(&mut show, late, at).expect("the countdown");
    out.push(("countdown".into(), frame, terminal.targets().to_vec()));
    // Emergencies on home: the flood warning is valid on the 28th.
    let flood_day = common::t("2026-11-28T09:00:00+08:00");
    let mut terminal = Terminal::new(&touch, (screen.width, screen.height));
    terminal.tap(&mut show, None, t0, flood_day);
    let frame = terminal.frame(&mut show, t0, flood_day).unwrap();
    out.push(("home-emergency".into(), frame, terminal.targets().to_vec()));
    (show, out)
}

/// The window tests run one at a time: five players drawing on lavapipe at once on a two-core
/// machine would make the scripted timings (a tap every few seconds) a race.
fn one_display() -> std::sync::MutexGuard<'static, ()> {
    static LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());
    LOCK.lock().unwrap_or_else(|e| e.into_inner())
}

fn renderer() -> Renderer {
    Renderer::offscreen().unwrap_or_else(|e| {
        panic!("touch tests need a GPU adapter; install mesa-vulkan-drivers for lavapipe: {e}")
    })
}

fn reference_path(name: &str) -> PathBuf {
    common::path(&format!("tests/images/touch-{name}.png"))
}

fn output_dir() -> PathBuf {
    let dir = common::path("target/render-test-output");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn touch_screens_match_the_reference_images() {
    let (mut show, frames) = visit_frames(playlist(32.0), common::t(AT));
    let mut renderer = renderer();
    let bless = std::env::var_os("NOTICECAST_BLESS").is_some();
    let mut failures = Vec::new();
    for (name, frame, _) in &frames {
        let pixels = renderer.render(show.typesetter().fonts(), frame).unwrap();
        let path = reference_path(name);
        if bless {
            write_png(&path, &pixels).unwrap();
            continue;
        }
        let expected = read_png(&path)
            .unwrap_or_else(|e| panic!("{e}: run with NOTICECAST_BLESS=1 to create it"));
        let share = differing(&pixels, &expected);
        if share > 0.005 {
            let actual = output_dir().join(format!("touch-{name}.actual.png"));
            write_png(&actual, &pixels).unwrap();
            failures.push(format!(
                "{name}: {:.3}% differs (see {})",
                share * 100.0,
                actual.display()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Screenshots (turned back) until they match `expected`, for at most 10 s.
fn settled_page(x: &Xvfb, path: &Path, expected: &Pixels, rotation: u16) -> (Pixels, f64) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        settle();
        let shot = to_page_pixels(
            &x.screenshot(path),
            (expected.width, expected.height),
            rotation,
        );
        let share = differing(&shot, expected);
        if share < 0.005 || Instant::now() >= deadline {
            return (shot, share);
        }
    }
}

fn script(dir: &Path, lines: &[String]) -> PathBuf {
    let path = dir.join("script.jsonl");
    std::fs::write(&path, lines.join("\n")).unwrap();
    path
}

fn launch(x: &Xvfb, playlist: &Path, script: &Path, dump: &Path) -> Player {
    let feed = common::path("deploy/demo/feed.json");
    let extra: [&std::ffi::OsStr; 4] = [
        "--input-script".as_ref(),
        script.as_os_str(),
        "--dump-targets".as_ref(),
        dump.as_os_str(),
    ];
    Player::spawn_with(x, &feed, playlist, "0", &extra)
}

#[test]
fn a_scripted_visit_on_a_turned_panel_shows_the_reference_screens_and_returns_when_idle() {
    let dir = tempfile::tempdir().unwrap();
    let text = playlist_text(32.0, 90, 10, 5);
    let playlist_path = write_playlist(dir.path(), "turned.toml", &text);
    let (mut show, frames) =
        visit_frames(Playlist::from_toml(&text, "turned").unwrap(), common::t(AT));
    let mut renderer = renderer();
    // Taps every 4 s; after the QR screen nothing for 10 s, the 5 s countdown, the rotation.
    let mut lines = vec![r#"{"t_ms": 1000, "tap_xy": [960, 540]}"#.to_string()];
    for (i, (_, target)) in VISIT.iter().enumerate().skip(1) {
        let t = 1000 + 4000 * i;
        lines.push(format!(r#"{{"t_ms": {t}, "tap": "{}"}}"#, target.unwrap()));
    }
    // Back from the rotation: large type has been reset.
    lines.push(r#"{"t_ms": 38000, "tap_xy": [100, 100]}"#.into());
    lines.push(r#"{"t_ms": 42000, "tap": "category:policy"}"#.into());
    lines.push(r#"{"t_ms": 46000, "tap": "notice:2026-0153"}"#.into());
    // Lockdown: none of these leaves the kiosk.
    for (i, key) in [
        "Escape",
        "Alt+F4",
        "Ctrl+Q",
        "Ctrl+W",
        "Ctrl+Alt+F2",
        "Super+D",
        "Ctrl+Alt+Backspace",
    ]
    .iter()
    .enumerate()
    {
        lines.push(format!(
            r#"{{"t_ms": {}, "key": "{key}"}}"#,
            49000 + 200 * i
        ));
    }
    let script = script(dir.path(), &lines);
    let dump = dir.path().join("targets.json");
    let _one_at_a_time = one_display();
    let x = Xvfb::start();
    let mut player = launch(&x, &playlist_path, &script, &dump);
    player.wait_for("first frame presented");
    let shot_path = dir.path().join("shot.png");
    for (i, (name, frame, _)) in frames.iter().take(VISIT.len()).enumerate() {
        let screen = match VISIT[i].1 {
            None => "tap on no target: home".to_string(),
            Some(target) => format!("tap on {target}: "),
        };
        player.wait_for(&screen);
        let expected = renderer.render(show.typesetter().fonts(), frame).unwrap();
        let (shot, share) = settled_page(&x, &shot_path, &expected, 90);
        if share >= 0.005 {
            write_png(&output_dir().join(format!("touch-xvfb-{name}.png")), &shot).unwrap();
        }
        assert!(
            share < 0.005,
            "{name}: {:.3}% of the screen differs",
            share * 100.0
        );
        if *name == "qr" {
            assert_eq!(decode_qr(&shot), [POLICY_URL], "the QR code on screen");
        }
    }

    // Idle: the countdown, then the rotation exactly as `render --at` shows it.
    player.wait_for("counting down to the rotation");
    player.wait_for("back to the rotation");
    let (_, rotation_frame) = show.frame_at(common::t(AT));
    let expected = renderer
        .render(show.typesetter().fonts(), &rotation_frame)
        .unwrap();
    let (_, share) = settled_page(&x, &shot_path, &expected, 90);
    assert!(
        share < 0.005,
        "after idle: {:.3}% differs from the rotation",
        share * 100.0
    );

    // Again to the notice: normal type (large type reset with the terminal).
    player.wait_for("tap on notice:2026-0153: notice:2026-0153:1");
    let notice = &frames.iter().find(|f| f.0 == "notice").unwrap().1;
    let expected = renderer.render(show.typesetter().fonts(), notice).unwrap();
    let (_, share) = settled_page(&x, &shot_path, &expected, 90);
    assert!(
        share < 0.005,
        "large type was not reset: {:.3}% differs",
        share * 100.0
    );
    let targets: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&dump).unwrap()).unwrap();
    assert_eq!(targets["large"], false);

    // Lockdown keys: each is ignored, and the player is still on screen afterwards.
    player.wait_for("key Ctrl+Alt+Backspace ignored");
    std::thread::sleep(Duration::from_millis(500));
    assert!(
        player.child.try_wait().unwrap().is_none(),
        "the player left"
    );
    let (_, share) = settled_page(&x, &shot_path, &expected, 90);
    assert!(
        share < 0.005,
        "after the keys: {:.3}% differs",
        share * 100.0
    );
}

/// Checks a screen's targets: every one at least 20 mm each way, at least 4 mm between any two.
fn check_targets(what: &str, targets: &[(String, [f32; 4])], problems: &mut Vec<String>) {
    let slack = 0.01;
    for (name, [_, _, w, h]) in targets {
        if *w < TARGET_MM - slack || *h < TARGET_MM - slack {
            problems.push(format!("{what}: {name} is {w:.1} x {h:.1} mm"));
        }
    }
    for (i, (a, ra)) in targets.iter().enumerate() {
        for (b, rb) in &targets[i + 1..] {
            let dx = (rb[0] - (ra[0] + ra[2])).max(ra[0] - (rb[0] + rb[2]));
            let dy = (rb[1] - (ra[1] + ra[3])).max(ra[1] - (rb[1] + rb[3]));
            let gap = dx.max(dy);
            if gap < GAP_MM - slack {
                problems.push(format!("{what}: {a} and {b} are {gap:.1} mm apart"));
            }
        }
    }
}

#[test]
fn every_screen_keeps_its_targets_and_type_large_enough_on_every_panel() {
    let mut problems = Vec::new();
    for diagonal in [21.5, 32.0, 43.0] {
        let playlist = playlist(diagonal);
        let mm = playlist
            .touch
            .as_ref()
            .unwrap()
            .px_per_mm(playlist.screen.width, playlist.screen.height);
        let (_, frames) = visit_frames(playlist, common::t(AT));
        for (name, frame, targets) in &frames {
            assert!(!targets.is_empty(), "{name}: no targets");
            let in_mm: Vec<(String, [f32; 4])> = targets
                .iter()
                .map(|t| {
                    let r = t.rect;
                    (t.name.to_string(), [r.x / mm, r.y / mm, r.w / mm, r.h / mm])
                })
                .collect();
            check_targets(&format!("{diagonal}\" {name}"), &in_mm, &mut problems);
            let body = frame
                .blocks
                .iter()
                .filter(|b| b.role == noticecast::layout::Role::Body)
                .map(|b| b.px / mm)
                .fold(f32::INFINITY, f32::min);
            let least = if name == "notice-large" { 9.0 } else { 6.0 };
            if body.is_finite() && body < least {
                problems.push(format!("{diagonal}\" {name}: body text {body:.1} mm"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn dumped_targets_are_large_enough_on_21_32_and_43_inch_panels() {
    let dir = tempfile::tempdir().unwrap();
    let _one_at_a_time = one_display();
    let x = Xvfb::start();
    let panels = [21.5, 32.0, 43.0];
    let steps = [
        ("home", r#""tap_xy": [960, 540]"#),
        ("list:policy:1", r#""tap": "category:policy""#),
        ("notice:2026-0153:1", r#""tap": "notice:2026-0153""#),
        ("notice:2026-0153:1", r#""tap": "button:large""#),
        ("qr:2026-0153", r#""tap": "button:qr""#),
    ];
    let mut problems = Vec::new();
    // One panel at a time: the dump holds the screen on display, and is read as it changes.
    for diagonal in panels {
        let sub = dir.path().join(format!("{diagonal}"));
        std::fs::create_dir_all(&sub).unwrap();
        let playlist = write_playlist(&sub, "p.toml", &playlist_text(diagonal, 90, 90, 15));
        let lines: Vec<String> = steps
            .iter()
            .enumerate()
            .map(|(i, (_, tap))| format!(r#"{{"t_ms": {}, {tap}}}"#, 1000 + 3000 * i))
            .collect();
        let script = script(&sub, &lines);
        let dump = sub.join("targets.json");
        let mut player = launch(&x, &playlist, &script, &dump);
        player.wait_for("first frame presented");
        for (i, (screen, _)) in steps.iter().enumerate() {
            let target = match i {
                0 => "no target",
                _ => steps[i].1.split('"').nth(3).unwrap(),
            };
            player.wait_for(&format!("tap on {target}"));
            // The dump is written when the screen is composed, just after the tap is logged.
            let deadline = Instant::now() + Duration::from_secs(10);
            let value = loop {
                let text = std::fs::read_to_string(&dump).unwrap_or_default();
                let value: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
                let large_expected = i >= 3;
                if value["screen"] == *screen && value["large"] == large_expected {
                    break value;
                }
                assert!(
                    Instant::now() < deadline,
                    "{diagonal}\": no dump of {screen}: {text}"
                );
                std::thread::sleep(Duration::from_millis(100));
            };
            let targets: Vec<(String, [f32; 4])> = value["targets"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| {
                    let mm = &t["mm"];
                    let f = |k: &str| mm[k].as_f64().unwrap() as f32;
                    (
                        t["name"].as_str().unwrap().to_string(),
                        [f("x"), f("y"), f("w"), f("h")],
                    )
                })
                .collect();
            assert!(!targets.is_empty(), "{diagonal}\" {screen}: no targets");
            let what = format!("{diagonal}\" {screen} (dumped)");
            check_targets(&what, &targets, &mut problems);
            let body_mm = value["body_mm"].as_f64().unwrap();
            let least = if i >= 3 { 9.0 } else { 6.0 };
            if body_mm < least {
                problems.push(format!("{what}: body text {body_mm:.1} mm"));
            }
            // Rectangles in output pixels are the page's turned a quarter: width and height swap.
            let first = &value["targets"][0];
            let (w, h) = (first["window_px"]["w"].as_f64(), first["px"]["h"].as_f64());
            assert!((w.unwrap() - h.unwrap()).abs() < 0.01, "{what}: {first}");
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// `xdotool` on the virtual display.
fn xdotool(x: &Xvfb, args: &[&str]) {
    let status = std::process::Command::new("xdotool")
        .args(args)
        .env("DISPLAY", &x.display)
        .status()
        .expect("xdotool must be installed (deploy/install-deps --tests)");
    assert!(status.success(), "xdotool {args:?}");
}

/// Log lines for `wait`, none of which may contain `text`.
fn quiet(player: &mut Player, text: &str, wait: Duration) {
    let deadline = Instant::now() + wait;
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        if let Ok(line) = player.lines.recv_timeout(left) {
            assert!(!line.contains(text), "unexpected: {line}");
            player.seen.push(line);
        }
    }
}

#[test]
fn real_mouse_presses_go_through_the_turn_and_the_input_layer() {
    let dir = tempfile::tempdir().unwrap();
    let playlist = write_playlist(dir.path(), "turned.toml", &playlist_text(32.0, 90, 90, 15));
    // A script that does nothing for a minute: only the mouse acts.
    let script = script(dir.path(), &[r#"{"t_ms": 60000, "key": "F1"}"#.to_string()]);
    let dump = dir.path().join("targets.json");
    let _one_at_a_time = one_display();
    let x = Xvfb::start();
    let mut player = launch(&x, &playlist, &script, &dump);
    player.wait_for("first frame presented");
    let click = |x: &Xvfb, at: (f64, f64), hold: &str| {
        let (px, py) = (format!("{:.0}", at.0), format!("{:.0}", at.1));
        xdotool(
            x,
            &[
                "mousemove",
                &px,
                &py,
                "mousedown",
                "1",
                "sleep",
                hold,
                "mouseup",
                "1",
            ],
        );
    };
    click(&x, (960.0, 540.0), "0.1");
    player.wait_for("tap on no target: home");
    // The policy tile, where the dump says it is on the output.
    let deadline = Instant::now() + Duration::from_secs(10);
    let rect = loop {
        let text = std::fs::read_to_string(&dump).unwrap_or_default();
        let value: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
        if let Some(t) = value["targets"]
            .as_array()
            .and_then(|ts| ts.iter().find(|t| t["name"] == "category:policy"))
        {
            break t["window_px"].clone();
        }
        assert!(Instant::now() < deadline, "no policy tile in {text}");
        std::thread::sleep(Duration::from_millis(100));
    };
    let f = |k: &str| rect[k].as_f64().unwrap();
    let centre = (f("x") + f("w") / 2.0, f("y") + f("h") / 2.0);
    // A ghost (10 ms) and a drag of 60 px (22 mm) on the tile: neither is a tap.
    click(&x, centre, "0.01");
    let (cx, cy) = (format!("{:.0}", centre.0), format!("{:.0}", centre.1));
    let away = format!("{:.0}", centre.1 + 60.0);
    xdotool(
        &x,
        &[
            "mousemove",
            &cx,
            &cy,
            "mousedown",
            "1",
            "sleep",
            "0.1",
            "mousemove",
            &cx,
            &away,
            "sleep",
            "0.1",
            "mouseup",
            "1",
        ],
    );
    quiet(&mut player, "tap on", Duration::from_millis(1500));
    // A press that stays put: the tile opens.
    click(&x, centre, "0.1");
    player.wait_for("tap on category:policy: list:policy:1");
}

#[test]
fn a_new_feed_is_laid_out_again_and_a_reader_whose_notice_went_goes_home() {
    let at = common::t(AT);
    let mut show = common::show("village-terminal");
    let touch = show.playlist().touch.clone().unwrap();
    let mut terminal = Terminal::new(&touch, (1080, 1920));
    let t0 = Instant::now();
    for target in [None, Some("category:policy"), Some("notice:2026-0153")] {
        terminal.tap(&mut show, target.map(|t| t.parse().unwrap()), t0, at);
    }
    let before = terminal.frame(&mut show, t0, at).unwrap();
    let body_of = |f: &Frame| {
        f.blocks
            .iter()
            // The body's lines by kind, as on the paper page: 各街道办事处… is its 主送机关.
            .filter(|b| {
                use noticecast::layout::Role;
                matches!(b.role, Role::Body | Role::Addressee | Role::Heading)
            })
            .flat_map(|b| b.lines.iter().map(|l| l.text.clone()))
            .collect::<String>()
    };
    assert!(body_of(&before).contains("各街道办事处"));

    // The same notice, corrected: the reader sees the new text at once.
    let mut doc = common::demo_json();
    doc["sequence"] = serde_json::json!(2);
    doc["notices"][0]["body"] = serde_json::json!("更正后的正文：本办法自发布之日起施行。");
    let feed = noticecast::model::Feed::from_json(&doc.to_string(), "corrected").unwrap();
    show.set_feed(feed);
    terminal.content_changed(&mut show, at);
    let after = terminal.frame(&mut show, t0, at).unwrap();
    assert!(
        body_of(&after).contains("更正后的正文"),
        "{}",
        body_of(&after)
    );
    assert_eq!(terminal.screen_name(), "notice:2026-0153:1");

    // Withdrawn from the feed: home, not a stale page or a crash.
    doc["sequence"] = serde_json::json!(3);
    doc["notices"].as_array_mut().unwrap().remove(0);
    let feed = noticecast::model::Feed::from_json(&doc.to_string(), "withdrawn").unwrap();
    show.set_feed(feed);
    terminal.content_changed(&mut show, at);
    terminal.frame(&mut show, t0, at).unwrap();
    assert_eq!(terminal.screen_name(), "home");
}

#[test]
fn a_notice_opened_on_the_terminal_reaches_the_disclosure_report() {
    use noticecast::service::{Options, Service, domain::report, domain::screens, system_clock};
    let dir = tempfile::tempdir().unwrap();
    // On all day (whatever the hour the test runs at), on a turned panel for the 1080p display.
    let text = playlist_text(32.0, 90, 90, 15);
    let text = &text[..text.find("[hours]").unwrap()];
    let text = format!("{text}\n[touch]\ndiagonal_in = 32\n");
    let playlists = dir.path().join("playlists");
    std::fs::create_dir_all(&playlists).unwrap();
    std::fs::write(playlists.join("village-terminal.toml"), text).unwrap();
    let options = Options {
        playlists: Some(playlists),
        ..Options::default()
    };
    let service = std::sync::Arc::new(
        Service::open(&dir.path().join("service"), options, system_clock()).unwrap(),
    );
    let token = service
        .change(|conn, now| screens::add(conn, "test", "village-01", "village-terminal", now))
        .unwrap();
    let id = common::service::publish_to(&service, "村委会防汛演练通知", "village-terminal");
    let addr = common::service::serve_on_loopback(service.clone());
    let key = service.signing_key().public_key().to_text();
    let cache = dir.path().join("screen");
    // Its device key confirmed: only then do its records count.
    std::fs::create_dir_all(&cache).unwrap();
    common::service::confirm_player_key(&service, "village-01", &cache);
    let config = dir.path().join("player.toml");
    std::fs::write(
        &config,
        format!(
            "screen_id = \"village-01\"\ngroup = \"village-terminal\"\n\
             feed_urls = [\"http://{addr}/feed/village-terminal\"]\ntrusted_keys = [\"{key}\"]\n\
             cache_dir = \"{}\"\npoll_interval_s = 10\ntoken = \"{token}\"\n",
            cache.display()
        ),
    )
    .unwrap();
    let script = script(
        dir.path(),
        &[
            r#"{"t_ms": 500, "tap_xy": [960, 540]}"#.to_string(),
            r#"{"t_ms": 1500, "tap": "category:public_affairs"}"#.to_string(),
            format!(r#"{{"t_ms": 2500, "tap": "notice:{id}"}}"#),
        ],
    );
    let _one_at_a_time = one_display();
    let x = Xvfb::start();
    let mut player = Player::launch(
        &x,
        &[
            "play".as_ref(),
            "--config".as_ref(),
            config.as_os_str(),
            "--input-script".as_ref(),
            script.as_os_str(),
            "--exit-after".as_ref(),
            "60".as_ref(),
        ],
    );
    player.wait_for(&format!("tap on notice:{id}: notice:{id}:1"));
    // The open is uploaded with the plays: at once if the start-up report has not gone yet,
    // else at the next start (reports come every minute; the queue on disk keeps it meanwhile).
    let counted = |wait: Duration| {
        let deadline = Instant::now() + wait;
        loop {
            let n: i64 = service
                .db()
                .query_row("SELECT COUNT(*) FROM opens", [], |r| r.get(0))
                .unwrap();
            if n > 0 || Instant::now() >= deadline {
                return n;
            }
            std::thread::sleep(Duration::from_millis(300));
        }
    };
    if counted(Duration::from_secs(3)) == 0 {
        drop(player);
        let queue = std::fs::read_to_string(cache.join("plays/plays.jsonl")).unwrap();
        assert!(
            queue.contains("\"opened\":true"),
            "no open in the queue: {queue}"
        );
        player = Player::launch(
            &x,
            &[
                "play".as_ref(),
                "--config".as_ref(),
                config.as_os_str(),
                "--exit-after".as_ref(),
                "60".as_ref(),
            ],
        );
        player.wait_for("first frame presented");
        assert_eq!(
            counted(Duration::from_secs(30)),
            1,
            "the open never reached the service"
        );
    }
    // Nothing but the notice and the day.
    let (notice, day): (String, String) = service
        .db()
        .query_row("SELECT notice_id, day FROM opens", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!(notice, id);
    assert_eq!(day.len(), 10, "{day}");
    let year: i32 = noticecast::model::beijing(service.now())
        .format("%Y")
        .to_string()
        .parse()
        .unwrap();
    // Once, under the terminal's channel and the notice's category.
    let disclosure = report::disclosure(&service.db(), year).unwrap();
    let row = disclosure
        .rows
        .iter()
        .find(|r| r.group == "village-terminal" && r.category == "public_affairs")
        .unwrap();
    assert_eq!((row.kind.as_str(), row.opens), ("terminal", 1));
}
