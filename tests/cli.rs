//! The command line as scripts use it: exit codes, one-line errors, the files it writes.

mod common;

use std::path::Path;
use std::process::{Command, Output};

fn noticecast(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_noticecast"))
        .args(args)
        .current_dir(common::root())
        .env("NOTICECAST_FONTS", common::path("fonts"))
        .env_remove("NOTICECAST_LOG")
        .output()
        .expect("the binary runs")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A failing command prints exactly one line, starting with `error:`, and never panics.
fn assert_one_line_error(out: &Output, contains: &[&str]) {
    let err = stderr(out);
    assert!(!out.status.success(), "should fail: {err}");
    assert!(!err.contains("panicked"), "{err}");
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 1, "one line, got: {err}");
    for part in contains {
        assert!(lines[0].contains(part), "{part:?} not in {:?}", lines[0]);
    }
}

#[test]
fn check_accepts_the_repository_content() {
    let out = noticecast(&["check", "playlists", "deploy/demo", "docs/examples"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(stdout.lines().count(), 6, "{stdout}");
    assert!(stdout.lines().all(|l| l.contains(": ok: ")), "{stdout}");
    assert!(stdout.contains("playlists/plaza-tv.toml: ok"), "{stdout}");
    // The demo's notices are set in full-width punctuation: nothing to warn about.
    assert!(!stderr(&out).contains("half-width"), "{}", stderr(&out));
    // Running text at the speed the refresh allows, said where an IT person looks.
    assert!(
        stdout.contains("playlists/service-window-led.toml: ok: playlist of group service-window-led (led); running text at 30 px/s (1 pixel every 2 refreshes at 60 Hz)"),
        "{stdout}"
    );
}

#[test]
fn check_reports_every_problem_of_every_file() {
    let dir = tempfile::tempdir().unwrap();
    let mut doc = common::demo_json();
    doc["notices"][3]["title"] = serde_json::json!("");
    doc["notices"][5]["valid_until"] = serde_json::json!("2020-01-01T00:00:00+08:00");
    std::fs::write(dir.path().join("bad.json"), doc.to_string()).unwrap();
    let playlist = std::fs::read_to_string(common::path("playlists/plaza-tv.toml")).unwrap();
    std::fs::write(
        dir.path().join("bad.toml"),
        playlist.replace("[dwell]", "[dwell]\nspeed = 3"),
    )
    .unwrap();
    std::fs::copy(
        common::path("playlists/plaza-tv.toml"),
        dir.path().join("good.toml"),
    )
    .unwrap();
    let out = noticecast(&["check", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("bad.json: notices[3].title: is empty"),
        "{err}"
    );
    assert!(err.contains("bad.json: notices[5].valid_until:"), "{err}");
    assert!(
        err.contains("bad.toml: dwell.speed: unknown field `speed`"),
        "{err}"
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("good.toml: ok"));
}

#[test]
fn render_refuses_bad_input_with_one_precise_line() {
    let dir = tempfile::tempdir().unwrap();
    let out_png = dir.path().join("x.png");
    let out_png = out_png.to_str().unwrap();
    let mut doc = common::demo_json();
    doc["notices"][2]["category"] = serde_json::json!("weather");
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, doc.to_string()).unwrap();
    let bad = bad.to_str().unwrap();
    let at = "2026-11-27T10:00:00+08:00";
    let tv = "playlists/plaza-tv.toml";

    assert_one_line_error(
        &noticecast(&[
            "render",
            "--feed",
            bad,
            "--playlist",
            tv,
            "--at",
            at,
            "--out",
            out_png,
        ]),
        &["bad.json", "notices[2].category", "weather"],
    );
    assert_one_line_error(
        &noticecast(&[
            "render",
            "--feed",
            "nope.json",
            "--playlist",
            tv,
            "--at",
            at,
            "--out",
            out_png,
        ]),
        &["nope.json", "cannot read"],
    );
    assert_one_line_error(
        &noticecast(&[
            "render",
            "--feed",
            "deploy/demo/feed.json",
            "--playlist",
            tv,
            "--notice",
            "9999",
            "--out",
            out_png,
        ]),
        &["9999", "not in the feed"],
    );
    assert_one_line_error(
        &noticecast(&[
            "render",
            "--feed",
            "deploy/demo/feed.json",
            "--playlist",
            tv,
            "--notice",
            "2026-0161",
            "--page",
            "40",
            "--out",
            out_png,
        ]),
        &["page 40 does not exist"],
    );
    assert_one_line_error(
        &noticecast(&[
            "render",
            "--feed",
            "deploy/demo/feed.json",
            "--at",
            at,
            "--out",
            out_png,
        ]),
        &["no playlist", "--playlist"],
    );
    assert!(!Path::new(out_png).exists(), "no picture from bad input");
    // clap's own usage errors are not one line, but they exit non-zero and name the problem.
    let out = noticecast(&[
        "render",
        "--feed",
        "deploy/demo/feed.json",
        "--playlist",
        tv,
        "--at",
        "2026-11-27 10:00",
        "--out",
        out_png,
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("RFC 3339"), "{}", stderr(&out));
}

#[test]
fn render_writes_the_png_and_the_lines() {
    let dir = tempfile::tempdir().unwrap();
    let png = dir.path().join("frame.png");
    let json = dir.path().join("lines.json");
    let out = noticecast(&[
        "render",
        "--feed",
        "deploy/demo/feed.json",
        "--playlist",
        "playlists/village-terminal.toml",
        "--notice",
        "2026-0153",
        "--page",
        "2",
        "--out",
        png.to_str().unwrap(),
        "--lines-json",
        json.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let pixels = noticecast::render::read_png(&png).unwrap();
    assert_eq!((pixels.width, pixels.height), (1080, 1920));
    let lines: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    let roles: Vec<&str> = lines["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["role"].as_str().unwrap())
        .collect();
    for role in ["header", "title", "body", "footer"] {
        assert!(roles.contains(&role), "{role} missing from {roles:?}");
    }
    let footer: Vec<&str> = lines["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|b| b["role"] == "footer")
        .flat_map(|b| {
            b["lines"]
                .as_array()
                .unwrap()
                .iter()
                .map(|l| l["text"].as_str().unwrap())
        })
        .collect();
    assert!(footer.iter().any(|l| l.starts_with("第 2/")), "{footer:?}");
}

#[test]
fn a_missing_font_folder_stops_render_with_a_clear_error() {
    let empty = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_noticecast"))
        .args([
            "--fonts",
            empty.path().to_str().unwrap(),
            "render",
            "--feed",
            "deploy/demo/feed.json",
            "--playlist",
            "playlists/plaza-tv.toml",
            "--at",
            "2026-11-27T10:00:00+08:00",
            "--out",
            "/dev/null",
        ])
        .current_dir(common::root())
        .output()
        .unwrap();
    assert_one_line_error(&out, &["Noto Sans SC"]);
}

#[test]
fn a_bad_input_script_stops_play_before_any_window_opens() {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("visit.jsonl");
    std::fs::write(
        &script,
        "{\"t_ms\": 1000, \"tap\": \"category:policy\"}\n{\"t_ms\": 2000, \"tap\": \"button:exit\"}\n",
    )
    .unwrap();
    // No display at all: the script's error comes first.
    let out = Command::new(env!("CARGO_BIN_EXE_noticecast"))
        .args(["play", "--feed", "deploy/demo/feed.json", "--playlist"])
        .arg("playlists/village-terminal.toml")
        .arg("--input-script")
        .arg(&script)
        .current_dir(common::root())
        .env("NOTICECAST_FONTS", common::path("fonts"))
        .env_remove("NOTICECAST_LOG")
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .output()
        .unwrap();
    assert_one_line_error(&out, &["visit.jsonl", "line 2", "button:exit"]);
}

#[test]
fn check_refuses_a_personnel_notice_whose_name_no_font_draws() {
    let dir = tempfile::tempdir().unwrap();
    let mut doc = common::demo_json();
    // 2026-0161 is the demo's personnel notice; 2026-0153 a policy notice.
    for n in doc["notices"].as_array_mut().unwrap() {
        if n["id"] == "2026-0161" || n["id"] == "2026-0153" {
            n["body"] = "任命王\u{2EBF0}同志为区教育局副局长。".into();
        }
    }
    let path = dir.path().join("feed.json");
    std::fs::write(&path, doc.to_string()).unwrap();
    let out = noticecast(&["check", path.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{stderr}");
    assert!(
        stderr.contains("a personnel notice would show a name as 〓") && stderr.contains("U+2EBF0"),
        "{stderr}"
    );
    // The policy notice only warns.
    assert!(
        stderr.contains("warning:") && stderr.contains("2026-0153"),
        "{stderr}"
    );
}

/// issue 28: a hanzi outside the bitmap face of a single-colour LED that plays the feed (𡘙 in
/// a name, drawn there from an outline face, thresholded into dots) is a warning at `check`,
/// naming the notice, the field's line and the character; without such a strip, none.
#[test]
fn check_warns_of_characters_a_one_bit_leds_bitmap_face_lacks() {
    let dir = tempfile::tempdir().unwrap();
    let mut doc = common::demo_json();
    doc["group"] = "service-window-led".into();
    for n in doc["notices"].as_array_mut().unwrap() {
        if n["id"] == "2026-0172" {
            n["body"] = "拟保对象名单：\n\n李𡘙芬、普正华、王𤭢\n\n监督电话：12345。".into();
        }
    }
    let path = dir.path().join("feed.json");
    std::fs::write(&path, doc.to_string()).unwrap();
    let out = noticecast(&[
        "check",
        path.to_str().unwrap(),
        "playlists/service-window-led.toml",
    ]);
    let err = stderr(&out);
    assert!(out.status.success(), "a warning only: {err}");
    for ch in ["𡘙 (U+21619)", "𤭢 (U+24B62)"] {
        assert!(
            err.contains(&format!(
                "notice 2026-0172: body line 3: {ch} is not in the 16 px bitmap face"
            )),
            "{err}"
        );
    }
    assert!(
        err.contains("单色LED屏的 16 像素点阵字库中没有“𡘙”"),
        "{err}"
    );
    // 普正华 are in the face.
    assert!(!err.contains("“普”") && !err.contains("U+666E"), "{err}");
    // A feed checked without its strips: no warning.
    let out = noticecast(&["check", path.to_str().unwrap()]);
    assert!(!stderr(&out).contains("bitmap face"), "{}", stderr(&out));
    // A strip of another group: said so, not silently passed over.
    doc["group"] = "plaza-tv".into();
    std::fs::write(&path, doc.to_string()).unwrap();
    let out = noticecast(&[
        "check",
        path.to_str().unwrap(),
        "playlists/service-window-led.toml",
    ]);
    let err = stderr(&out);
    assert!(!err.contains("bitmap face"), "{err}");
    assert!(
        err.contains("playlist of group service-window-led is not checked against this feed"),
        "{err}"
    );
}

/// Issue 28: half-width marks typed after hanzi and a foreign middle dot in a name are warned
/// about by notice, field, line and character, in English with the Chinese under it; the feed
/// stays valid.
#[test]
fn check_warns_of_half_width_punctuation_by_notice_line_and_character() {
    let dir = tempfile::tempdir().unwrap();
    let mut doc = common::demo_json();
    let id = doc["notices"][2]["id"].as_str().unwrap().to_string();
    doc["notices"][2]["title"] = "关于2026年度医保缴费的通知".into();
    doc["notices"][2]["body"] =
        "各村（社区）：\n\n请于12月10日前上报,逾期视为放弃.\n\n联系人：热依拉・艾买提".into();
    let path = dir.path().join("feed.json");
    std::fs::write(&path, doc.to_string()).unwrap();
    let out = noticecast(&["check", path.to_str().unwrap()]);
    let err = stderr(&out);
    assert!(out.status.success(), "warnings only: {err}");
    let at = |line: &str| {
        let lines: Vec<&str> = err.lines().collect();
        let i = lines
            .iter()
            .position(|l| l.contains(line))
            .unwrap_or_else(|| panic!("{line:?} not in {err}"));
        (lines[i], lines.get(i + 1).copied().unwrap_or(""))
    };
    let (english, chinese) = at("line 3, character 12");
    assert!(
        english.starts_with("warning: ")
            && english.contains(&format!("notice {id}: body: "))
            && english.contains("a half-width comma ',' in Chinese text; use '，'"),
        "{english}"
    );
    assert_eq!(
        chinese.trim(),
        "第 3 行第 12 个字：中文里用了半角逗号“,”，应为全角“，”"
    );
    let (english, _) = at("line 3, character 19");
    assert!(english.contains("use '。'"), "{english}");
    let (english, chinese) = at("line 5, character 8");
    assert!(english.contains("U+30FB"), "{english}");
    assert!(chinese.contains("应统一为“·”"), "{chinese}");
    // The numbers and the title's year are not punctuation: three warnings, no more.
    let punctuation = err
        .lines()
        .filter(|l| l.contains("half-width") || l.contains("middle dot"))
        .count();
    assert_eq!(punctuation, 3, "{err}");
}

/// Issue 29, in part: `demo-seed` runs from any folder (its demo feed is built in) and keeps the
/// passwords it prints in `DIR/passwords.txt`, readable by its owner only.
#[test]
fn demo_seed_runs_from_any_folder_and_keeps_its_passwords() {
    use std::os::unix::fs::PermissionsExt;
    let elsewhere = tempfile::tempdir().unwrap();
    let data = elsewhere.path().join("office");
    let out = Command::new(env!("CARGO_BIN_EXE_noticecast"))
        .args(["demo-seed", "--data", data.to_str().unwrap()])
        .args(["--listen", "127.0.0.1:18080"])
        .current_dir(elsewhere.path())
        .env("NOTICECAST_FONTS", common::path("fonts"))
        .env_remove("NOTICECAST_LOG")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let printed = String::from_utf8(out.stdout.clone()).unwrap();
    assert_eq!(printed.lines().count(), 5, "{printed}");
    let kept = data.join("passwords.txt");
    assert_eq!(std::fs::read_to_string(&kept).unwrap(), printed);
    let mode = std::fs::metadata(&kept).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600, "{mode:o}");
    assert!(stderr(&out).contains("passwords.txt"), "{}", stderr(&out));
    assert!(data.join("demo-plaza.toml").is_file());
}
