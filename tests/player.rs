//! The live player in a real window under Xvfb: what it shows equals `noticecast render` of the
//! same instant, a changed feed file shows, a broken one changes nothing, and the LED window sits
//! exactly on the capture rectangle.
//!
//! Needs Xvfb, ImageMagick's `import` and `xwininfo` (deploy/install-deps installs them); without
//! them these tests fail rather than pass unchecked.

mod common;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc::channel;

use common::x11::{AT, Player, Xvfb, differing, settle, settled};
use noticecast::render::{Pixels, Renderer, read_png};

fn reference(feed: &Path, playlist: &str) -> Pixels {
    let feed = noticecast::model::Feed::from_file(feed).unwrap();
    let mut show = noticecast::show::Show::new(
        noticecast::layout::Typesetter::new(common::fonts()),
        feed,
        common::playlist(playlist),
    );
    let (_, frame) = show.frame_at(common::t(AT));
    let mut renderer = Renderer::offscreen().expect("a GPU adapter (lavapipe)");
    renderer.render(show.typesetter().fonts(), &frame).unwrap()
}

#[test]
fn the_window_shows_the_rendered_frame_and_follows_the_feed_file() {
    let dir = tempfile::tempdir().unwrap();
    let feed = dir.path().join("feed.json");
    std::fs::copy(common::path("deploy/demo/feed.json"), &feed).unwrap();
    let x = Xvfb::start();
    let mut player = Player::start(&x, &feed, &common::path("playlists/plaza-tv.toml"));
    player.wait_for("first frame presented");

    // 1. The window shows what `render --at` renders.
    let expected = reference(&feed, "plaza-tv");
    let (shot, share) = settled(&x, &dir.path().join("1.png"), &expected);
    assert!(
        share < 0.005,
        "{:.3}% of the screen differs from the rendered frame",
        share * 100.0
    );

    // 2. A new feed file with an emergency notice: it appears.
    let mut doc = common::demo_json();
    doc["sequence"] = serde_json::json!(2);
    let mut flood = doc["notices"][6].clone();
    flood["id"] = serde_json::json!("2026-9001");
    flood["title"] = serde_json::json!("暴雨红色预警：立即停止户外活动");
    flood["valid_from"] = serde_json::json!("2026-11-27T09:00:00+08:00");
    flood["published_at"] = serde_json::json!("2026-11-27T09:00:00+08:00");
    doc["notices"].as_array_mut().unwrap().push(flood);
    let tmp = dir.path().join("feed.json.tmp");
    std::fs::write(&tmp, doc.to_string()).unwrap();
    std::fs::rename(&tmp, &feed).unwrap();
    player.wait_for("showing notice 2026-9001");
    let expected2 = reference(&feed, "plaza-tv");
    let (shot2, share) = settled(&x, &dir.path().join("2.png"), &expected2);
    assert!(
        share < 0.005,
        "{:.3}% differs after the reload",
        share * 100.0
    );
    assert!(differing(&shot2, &shot) > 0.01, "the screen did not change");

    // 3. A broken feed file: refused, and the screen stays as it was.
    std::fs::write(&feed, "{\"format\": \"noticecast.feed/1\", \"group\": ").unwrap();
    player.wait_for("feed refused");
    settle();
    let shot3 = x.screenshot(&dir.path().join("3.png"));
    assert!(
        differing(&shot3, &shot2) < 0.001,
        "a broken feed changed the screen"
    );
}

#[test]
fn the_led_window_is_exactly_the_capture_rectangle() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(common::path("playlists/service-hall-led.toml")).unwrap();
    let playlist = dir.path().join("led.toml");
    std::fs::write(
        &playlist,
        text.replace("x = 0", "x = 200").replace("y = 0", "y = 120"),
    )
    .unwrap();
    let x = Xvfb::start();
    let mut player = Player::start(&x, &common::path("deploy/demo/feed.json"), &playlist);
    player.wait_for("first frame presented");
    let out = Command::new("xwininfo")
        .args([
            "-display",
            &x.display,
            "-name",
            "noticecast: 云岭区政务服务中心",
        ])
        .output()
        .expect("xwininfo must be installed (x11-utils)");
    let info = String::from_utf8_lossy(&out.stdout);
    let field = |name: &str| -> i64 {
        let line = info
            .lines()
            .find(|l| l.trim().starts_with(name))
            .unwrap_or_else(|| panic!("{name} not in {info}"));
        line.rsplit(':').next().unwrap().trim().parse().unwrap()
    };
    assert_eq!(
        (
            field("Absolute upper-left X"),
            field("Absolute upper-left Y"),
            field("Width"),
            field("Height")
        ),
        (200, 120, 384, 96),
        "{info}"
    );
    // And it shows the frame: the screenshot's rectangle has lit red pixels only.
    let shot = x.screenshot(&dir.path().join("led.png"));
    let mut lit = 0;
    for y in 120..216 {
        for x in 200..584 {
            let i = (y * shot.width as usize + x) * 4;
            let p = &shot.rgba[i..i + 3];
            assert!(p[1] < 8 && p[2] < 8, "non-red pixel {p:?} at {x},{y}");
            lit += (p[0] > 128) as usize;
        }
    }
    assert!(lit > 500, "only {lit} lit pixels in the LED rectangle");
}

/// Runs the player for `seconds` with the real clock from `AT` and returns its report.
fn run_for(x: &Xvfb, playlist: &Path, seconds: f64, report: &Path) -> serde_json::Value {
    let status = Command::new(env!("CARGO_BIN_EXE_noticecast"))
        .args(["play", "--feed"])
        .arg(common::path("deploy/demo/feed.json"))
        .arg("--playlist")
        .arg(playlist)
        .args([
            "--start-at",
            AT,
            "--exit-after",
            &seconds.to_string(),
            "--report",
        ])
        .arg(report)
        .env("DISPLAY", &x.display)
        .env("NOTICECAST_FONTS", common::path("fonts"))
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    serde_json::from_str(&std::fs::read_to_string(report).unwrap()).unwrap()
}

#[test]
fn a_still_page_is_drawn_once_and_a_running_ticker_gets_its_own_band_window() {
    let dir = tempfile::tempdir().unwrap();
    let x = Xvfb::start();
    // Without a ticker the page at 10:00 stays for a minute: one frame, then nothing.
    let text = std::fs::read_to_string(common::path("playlists/plaza-tv.toml")).unwrap();
    let start = text.find("[ticker]").unwrap();
    let end = start + text[start..].find("\n\n").unwrap();
    let still = dir.path().join("still.toml");
    std::fs::write(&still, format!("{}{}", &text[..start], &text[end..])).unwrap();
    let report = run_for(&x, &still, 3.0, &dir.path().join("still.json"));
    assert_eq!(report["frames"], 1, "{report}");

    // With the ticker running, frames follow each other, and the band has a window of its own
    // so that only it is presented.
    let mut player = Player::start_running(&x, &common::path("playlists/plaza-tv.toml"));
    let line = player.wait_for("band child window");
    assert!(line.contains("1920x68 at 0,1012"), "{line}");
    let tree = Command::new("xwininfo")
        .args(["-display", &x.display, "-root", "-tree"])
        .output()
        .unwrap();
    let tree = String::from_utf8_lossy(&tree.stdout);
    assert!(
        tree.contains("\"noticecast band\": (\"noticecast\" \"noticecast\")  1920x68+0+1012"),
        "{tree}"
    );
}

#[test]
fn a_lost_device_is_rebuilt_and_repeated_failures_end_in_a_non_zero_exit() {
    let dir = tempfile::tempdir().unwrap();
    let x = Xvfb::start();
    let run = |fault: &str, report: &str| {
        Command::new(env!("CARGO_BIN_EXE_noticecast"))
            .args(["play", "--feed"])
            .arg(common::path("deploy/demo/feed.json"))
            .arg("--playlist")
            .arg(common::path("playlists/plaza-tv.toml"))
            .args([
                "--start-at",
                AT,
                "--exit-after",
                "4",
                "--fault",
                fault,
                "--report",
            ])
            .arg(dir.path().join(report))
            .env("DISPLAY", &x.display)
            .env("NOTICECAST_FONTS", common::path("fonts"))
            .output()
            .unwrap()
    };
    // The device goes after 10 frames: the player rebuilds its renderer and keeps drawing.
    let out = run("lose-device:10", "lost.json");
    let log = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{log}");
    assert!(log.contains("rebuilding the renderer"), "{log}");
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("lost.json")).unwrap())
            .unwrap();
    assert!(
        report["frames"].as_u64().unwrap() > 30,
        "it went on drawing: {report}"
    );

    // Every frame fails from the 5th: one rebuild, then it gives up with a non-zero exit.
    let out = run("fail-frames:5", "failing.json");
    let log = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{log}");
    assert_eq!(
        log.matches("failed frames: rebuilding the renderer")
            .count(),
        1,
        "{log}"
    );
    assert!(
        log.lines()
            .last()
            .unwrap()
            .starts_with("error: rendering failed"),
        "{log}"
    );
}

#[test]
fn a_screen_on_the_signed_feed_shows_it_and_restarts_from_its_cache_offline() {
    use base64::Engine;
    use common::http::{Reply, Server};
    let dir = tempfile::tempdir().unwrap();
    let key = ed25519_dalek::SigningKey::from_bytes(&[7u8; 32]);
    // The demo notices, for group plaza-tv, with the plaza-tv playlist inside, signed.
    let mut doc = common::demo_json();
    doc["group"] = serde_json::json!("plaza-tv");
    doc["expires_at"] = serde_json::json!("2099-01-01T00:00:00+08:00");
    doc["playlist"] = serde_json::to_value(common::playlist("plaza-tv")).unwrap();
    let payload = doc.to_string().into_bytes();
    let envelope = noticecast::feed::envelope::sign(&payload, &key)
        .unwrap()
        .to_json()
        .into_bytes();
    std::fs::write(dir.path().join("feed.json"), &payload).unwrap();
    let server = Server::start(Reply::Feed {
        body: envelope,
        etag: "\"s1\"".into(),
    });
    let config = dir.path().join("player.toml");
    let write_config = |url: &str| {
        let text = format!(
            "screen_id = \"plaza-01\"\ngroup = \"plaza-tv\"\nfeed_urls = [\"{url}\"]\ntrusted_keys = [\"{}\"]\ncache_dir = \"{}\"\npoll_interval_s = 10\ntoken = \"t\"\n",
            base64::engine::general_purpose::STANDARD.encode(key.verifying_key().as_bytes()),
            dir.path().join("cache").display()
        );
        std::fs::write(&config, text).unwrap();
    };
    write_config(&server.url());
    let x = Xvfb::start();
    let spawn = |at: &str| {
        let args: [&std::ffi::OsStr; 9] = [
            "play".as_ref(),
            "--config".as_ref(),
            config.as_os_str(),
            "--start-at".as_ref(),
            at.as_ref(),
            "--clock-speed".as_ref(),
            "0".as_ref(),
            "--exit-after".as_ref(),
            "120".as_ref(),
        ];
        Player::launch(&x, &args)
    };

    // First start: nothing cached, so it waits; then the signed feed arrives and shows.
    let mut player = spawn(AT);
    player.wait_for("no cached feed: waiting");
    player.wait_for("feed accepted: sequence 1");
    player.wait_for("showing notice");
    let expected = reference(&dir.path().join("feed.json"), "plaza-tv");
    let (_, share) = settled(&x, &dir.path().join("online.png"), &expected);
    assert!(
        share < 0.005,
        "the screen differs from the feed's rendered frame"
    );
    drop(player);

    // Second start with the network gone: the cached feed shows at once.
    write_config("http://127.0.0.1:9/feed/plaza-tv");
    let mut player = spawn(AT);
    player.wait_for("starting from the cached feed: sequence 1");
    player.wait_for("first frame presented");
    let (_, share) = settled(&x, &dir.path().join("offline.png"), &expected);
    assert!(share < 0.005, "the cached feed is not what shows");
    drop(player);

    // Third start on a box whose clock says 1970 (no RTC): the feed's time is the floor, and a
    // notice shows rather than nothing.
    let mut player = spawn("1970-01-01T00:00:05Z");
    player.wait_for("the clock is");
    player.wait_for("showing notice");
}

/// Under systemd (`Type=notify`, `WatchdogSec=`): READY=1 once the first frame is on screen, then
/// WATCHDOG=1 every half period from the frame loop, on a still page too; when the loop stalls
/// (a hung driver, simulated), the pings stop, so systemd restarts the player.
#[test]
fn the_watchdog_is_fed_from_the_frame_loop_and_starves_when_it_stalls() {
    use std::os::unix::net::UnixDatagram;
    let dir = tempfile::tempdir().unwrap();
    let socket_path = dir.path().join("notify.sock");
    let socket = UnixDatagram::bind(&socket_path).unwrap();
    socket
        .set_read_timeout(Some(std::time::Duration::from_millis(200)))
        .unwrap();
    // A still page: no ticker, so nothing but the watchdog wakes the loop.
    let text = std::fs::read_to_string(common::path("playlists/plaza-tv.toml")).unwrap();
    let start = text.find("[ticker]").unwrap();
    let end = start + text[start..].find("\n\n").unwrap();
    let still = dir.path().join("still.toml");
    std::fs::write(&still, format!("{}{}", &text[..start], &text[end..])).unwrap();

    let x = Xvfb::start();
    let launched = std::time::Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_noticecast"))
        .args(["play", "--feed"])
        .arg(common::path("deploy/demo/feed.json"))
        .arg("--playlist")
        .arg(&still)
        .args(["--start-at", AT, "--fault", "stall:5", "--exit-after", "60"])
        .env("DISPLAY", &x.display)
        .env("NOTICECAST_FONTS", common::path("fonts"))
        .env("NOTIFY_SOCKET", &socket_path)
        .env("WATCHDOG_USEC", "1000000")
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut messages: Vec<(f64, String)> = Vec::new();
    let mut buf = [0u8; 256];
    while launched.elapsed().as_secs_f64() < 9.0 {
        if let Ok(n) = socket.recv(&mut buf) {
            let at = launched.elapsed().as_secs_f64();
            messages.push((at, String::from_utf8_lossy(&buf[..n]).into_owned()));
        }
    }
    let still_running = child.try_wait().unwrap().is_none();
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        still_running,
        "a stalled player hangs; it is the watchdog that ends it"
    );
    assert!(
        messages
            .first()
            .is_some_and(|(_, m)| m.starts_with("READY=1")),
        "{messages:?}"
    );
    let ready_at = messages[0].0;
    let pings: Vec<f64> = messages
        .iter()
        .filter(|(_, m)| m == "WATCHDOG=1")
        .map(|(t, _)| *t)
        .collect();
    // From the first frame to the stall at 5 s: a ping every half second (one-second period).
    let expected = ((5.0 - ready_at) / 0.5).floor() as usize;
    assert!(
        pings.len() + 2 >= expected && pings.len() <= expected + 2,
        "{} pings between {ready_at:.2} s and the stall, expected about {expected}: {messages:?}",
        pings.len()
    );
    for pair in pings.windows(2) {
        assert!(pair[1] - pair[0] < 0.9, "a gap in the pings: {pings:?}");
    }
    // None after the stall: systemd's period runs out.
    assert!(
        pings.last().is_some_and(|t| *t < 5.6),
        "pings went on after the loop stalled: {pings:?}"
    );
}

/// Staff ask the service what a screen shows: the screen's next heartbeat answer passes the
/// request on, the player reads back the page it shows and uploads it, and the picture is what
/// is on the display (the notice published through the service).
#[test]
fn a_screenshot_requested_through_the_service_arrives_and_shows_the_screen() {
    use noticecast::service::domain::screens;
    let dir = tempfile::tempdir().unwrap();
    // On all day, so the screen shows the notice whatever the hour the test runs at.
    let (service, config) = screen_on_a_service(dir.path(), "", "");
    let id = common::service::publish(&service, "城关镇冬季防火安全提示");
    let staff = noticecast::service::domain::accounts::user_by_name(&service.db(), "李审核")
        .unwrap()
        .unwrap();
    let now = service.now();
    screens::request_screenshot(&service.db(), &staff, "plaza-01", now).unwrap();
    let x = Xvfb::start();
    let mut player = Player::launch(
        &x,
        &[
            "play".as_ref(),
            "--config".as_ref(),
            config.as_os_str(),
            "--exit-after".as_ref(),
            "60".as_ref(),
        ],
    );
    player.wait_for(&format!("showing notice {id}"));
    player.wait_for("screenshot uploaded");
    let (taken_at, png) = screens::screenshot(&service.db(), "plaza-01").unwrap();
    assert!(!taken_at.is_empty());
    let shot = dir.path().join("uploaded.png");
    std::fs::write(&shot, &png).unwrap();
    let uploaded = read_png(&shot).unwrap();
    assert_eq!((uploaded.width, uploaded.height), (1920, 1080));
    // What the display shows, above the ticker band (it moves): the same picture.
    let screen = x.screenshot(&dir.path().join("display.png"));
    let crop = |p: &Pixels| Pixels {
        width: p.width,
        height: 1000,
        rgba: p.rgba[..(p.width * 1000 * 4) as usize].to_vec(),
    };
    let diff = differing(&crop(&uploaded), &crop(&screen));
    assert!(diff < 0.001, "{:.4}% of pixels differ", diff * 100.0);
    // The request is answered: the next heartbeat asks for nothing.
    let list = screens::list(&service.db(), service.now()).unwrap();
    assert!(!list[0].screenshot_requested);
}

/// Off-hours with `cec = true`: the screen shows its black frame and asks the display to go to
/// standby over HDMI-CEC, then reads its power state back. A `cec-ctl` that fails is logged and
/// the screen goes on.
#[test]
fn off_hours_put_the_display_to_standby_and_a_failing_cec_is_not_fatal() {
    let dir = tempfile::tempdir().unwrap();
    // On-hours that begin two hours from now: now is off-hours, whatever the time of the run.
    let now = noticecast::model::beijing((noticecast::service::system_clock())());
    let hours = format!(
        "[hours]\non = \"{}\"\noff = \"{}\"\n",
        (now + chrono::Duration::hours(2)).format("%H:%M"),
        (now + chrono::Duration::hours(3)).format("%H:%M")
    );
    let (_service, config) = screen_on_a_service(dir.path(), &hours, "cec = true\n");
    let calls = dir.path().join("cec-calls.log");
    let x = Xvfb::start();
    for (name, script, expect) in [
        (
            "cec-ctl",
            format!(
                "#!/bin/sh\necho \"$@\" >> {}\ncase \"$*\" in *give-device-power-status*) printf '\\tpwr-state: standby (0x01)\\n' ;; esac\n",
                calls.display()
            ),
            "display power: standby",
        ),
        (
            "broken-cec-ctl",
            "#!/bin/sh\necho 'No such device' >&2\nexit 1\n".to_string(),
            "display power: unknown",
        ),
    ] {
        let program = dir.path().join(name);
        std::fs::write(&program, script).unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&program, std::fs::Permissions::from_mode(0o755)).unwrap();
        std::fs::remove_dir_all(dir.path().join("screen")).ok();
        let mut child = Command::new(env!("CARGO_BIN_EXE_noticecast"))
            .args(["play", "--config"])
            .arg(&config)
            .args(["--exit-after", "30"])
            .env("DISPLAY", &x.display)
            .env("NOTICECAST_FONTS", common::path("fonts"))
            .env("NOTICECAST_LOG", "info")
            .env("NOTICECAST_CEC_CTL", &program)
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        let (tx, lines) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let mut player = Player {
            child,
            lines,
            seen: Vec::new(),
        };
        player.wait_for("showing Standby");
        player.wait_for(expect);
        assert!(
            player.child.try_wait().unwrap().is_none(),
            "{name}: the player goes on"
        );
    }
    let log = std::fs::read_to_string(&calls).unwrap();
    assert!(log.contains("--to 0 --standby"), "{log}");
    assert!(log.contains("--give-device-power-status"), "{log}");
}

/// A central service (in this process, on a loopback port) whose plaza-tv group plays
/// `hours` (a TOML `[hours]` section, or "" for all day), one screen `plaza-01` enrolled in it, and
/// that screen's `player.toml` (with `extra` lines) in `dir`.
fn screen_on_a_service(
    dir: &Path,
    hours: &str,
    extra: &str,
) -> (
    std::sync::Arc<noticecast::service::Service>,
    std::path::PathBuf,
) {
    use noticecast::service::{Options, Service, domain::screens, system_clock};
    let text = std::fs::read_to_string(common::path("playlists/plaza-tv.toml")).unwrap();
    let playlist = format!("{}{hours}", &text[..text.find("[hours]").unwrap()]);
    let playlists = dir.join("playlists");
    std::fs::create_dir_all(&playlists).unwrap();
    std::fs::write(playlists.join("plaza-tv.toml"), playlist).unwrap();
    let options = Options {
        playlists: Some(playlists),
        // Held feed requests return within 10 s, so the minute's report is not held up by one.
        long_poll: Some(std::time::Duration::from_secs(10)),
        ..Options::default()
    };
    let service =
        std::sync::Arc::new(Service::open(&dir.join("service"), options, system_clock()).unwrap());
    let token = service
        .change(|conn, now| screens::add(conn, "test", "plaza-01", "plaza-tv", now))
        .unwrap();
    let addr = common::service::serve_on_loopback(service.clone());
    let public = service.signing_key().public_key().to_text();
    let config = dir.join("player.toml");
    std::fs::write(
        &config,
        format!(
            "screen_id = \"plaza-01\"\ngroup = \"plaza-tv\"\nfeed_urls = [\"http://{addr}/feed/plaza-tv\"]\n\
             trusted_keys = [\"{public}\"]\ncache_dir = \"{}\"\npoll_interval_s = 10\ntoken = \"{token}\"\n{extra}",
            dir.join("screen").display()
        ),
    )
    .unwrap();
    (service, config)
}

/// 公示证明 end to end (issue 14): a real player on the service's feed shows a notice with a
/// 公示期, presents its device key with its first heartbeat (confirmed by the security
/// administrator against the id the player logs), uploads its plays signed a minute later,
/// and the certificate computed from the bundle lists that screen's intervals; the bundle
/// verifies offline.
///
/// The notice is the group's only one (issue 25: a village board's only 公示 of the month never
/// left the screen, so no play was ever recorded): the page is recorded every dwell period.
#[test]
fn a_notice_shown_alone_has_its_signed_plays_in_its_proof() {
    let dir = tempfile::tempdir().unwrap();
    let (service, config) = screen_on_a_service(dir.path(), "", "");
    let mut input = common::service::notice_input(&service, "东岭村低保对象公示");
    input.notice_period = Some(noticecast::model::NoticePeriod {
        start: service.now() - chrono::Duration::minutes(30),
        working_days: Some(7),
        end: None,
    });
    let ids = [common::service::publish_input(&service, &input)];
    let x = Xvfb::start();
    let mut player = Player::launch(
        &x,
        &[
            "play".as_ref(),
            "--config".as_ref(),
            config.as_os_str(),
            "--exit-after".as_ref(),
            "100".as_ref(),
        ],
    );
    // The player names its device key at start; the security administrator compares that id
    // with the candidate its heartbeat brought and confirms it.
    let line = player.wait_for("device key ");
    let key_id = line
        .split("device key ")
        .nth(1)
        .and_then(|rest| rest.split(':').next())
        .unwrap()
        .trim()
        .to_string();
    player.wait_for(&format!("showing notice {}", ids[0]));
    let secadmin = service
        .change(|conn, now| {
            noticecast::service::domain::accounts::add_user(
                conn,
                "test",
                "安全员",
                noticecast::service::domain::accounts::Role::Secadmin,
                "a long enough password",
                now,
            )
        })
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while service
        .read(|conn, _| noticecast::service::domain::screens::candidates(conn, "plaza-01"))
        .unwrap()
        .iter()
        .all(|k| k.id != key_id)
    {
        assert!(
            std::time::Instant::now() < deadline,
            "no heartbeat brought {key_id}"
        );
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    service
        .record(|conn, now| {
            noticecast::service::domain::screens::confirm_device_key(
                conn, &secadmin, "plaza-01", &key_id, now,
            )
        })
        .unwrap();
    // The plays go with the next report, a minute on.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(95);
    loop {
        let uploads: i64 = service
            .db()
            .query_row(
                "SELECT COUNT(*) FROM plays WHERE screen_id = 'plaza-01' AND notice_id = ?1
                   AND envelope_id IS NOT NULL",
                [&ids[0]],
                |r| r.get(0),
            )
            .unwrap();
        if uploads > 0 {
            break;
        }
        if std::time::Instant::now() >= deadline {
            let state: (i64, i64, i64, Option<String>, Option<String>) = service
                .db()
                .query_row(
                    "SELECT (SELECT COUNT(*) FROM plays), (SELECT COUNT(*) FROM play_envelopes),
                            (SELECT COUNT(*) FROM plays_refused), device_key, last_error
                     FROM screens WHERE id = 'plaza-01'",
                    [],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
                )
                .unwrap();
            let log: Vec<String> = player.lines.try_iter().collect();
            panic!("no signed plays arrived: {state:?}\n{}", log.join("\n"));
        }
        std::thread::sleep(std::time::Duration::from_secs(1));
    }
    // Each record names the text and the laid-out page it showed.
    let hashed: i64 = service
        .db()
        .query_row(
            "SELECT COUNT(*) FROM plays WHERE screen_id = 'plaza-01'
               AND length(notice_sha256) = 64 AND length(frame_sha256) = 64",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(hashed > 0);
    let bundle = service.proof_bundle(&ids[0]).unwrap();
    assert!(bundle.screens[0].device_key.is_some());
    let office = noticecast::feed::TrustedKey::new(service.signing_key().public_key());
    let certificate = noticecast::proof::verify(&bundle, &office).expect("the bundle verifies");
    let screen = &certificate.groups[0].screens[0];
    assert_eq!(screen.id, "plaza-01");
    assert!(!screen.intervals.is_empty(), "{certificate:?}");
    assert!(
        certificate.not_counted.is_empty(),
        "{:?}",
        certificate.not_counted
    );
}
