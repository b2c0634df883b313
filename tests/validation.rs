//! Parse, then validate: every kind of bad input is one precise problem naming its path, never a
//! panic.

mod common;

use noticecast::model::{Feed, Playlist, Problems};
use serde_json::json;

fn feed_problems(doc: &serde_json::Value) -> Problems {
    Feed::from_json(&doc.to_string(), "feed.json").expect_err("the feed must be refused")
}

/// Asserts that one of the problems has this path and a reason containing `reason`.
fn assert_problem(problems: &Problems, path: &str, reason: &str) {
    assert!(
        problems
            .list()
            .iter()
            .any(|p| p.file == "feed.json" || p.file == "playlist.toml")
            && problems
                .list()
                .iter()
                .any(|p| p.path == path && p.reason.contains(reason)),
        "expected {path}: …{reason}…, got {:#?}",
        problems.list()
    );
}

#[test]
fn the_demo_feed_is_valid() {
    let feed = common::demo_feed();
    assert_eq!(feed.notices.len(), 8);
}

#[test]
fn an_unknown_field_is_refused_with_its_path() {
    let mut doc = common::demo_json();
    doc["notices"][3]["colour"] = json!("red");
    assert_problem(
        &feed_problems(&doc),
        "notices[3].colour",
        "unknown field `colour`",
    );
}

#[test]
fn a_missing_field_is_refused_with_its_path() {
    let mut doc = common::demo_json();
    doc["notices"][2].as_object_mut().unwrap().remove("issuer");
    assert_problem(&feed_problems(&doc), "notices[2]", "missing field `issuer`");
}

#[test]
fn an_empty_title_is_refused() {
    let mut doc = common::demo_json();
    doc["notices"][1]["title"] = json!("   ");
    assert_problem(&feed_problems(&doc), "notices[1].title", "is empty");
}

#[test]
fn valid_until_before_valid_from_is_refused() {
    let mut doc = common::demo_json();
    doc["notices"][3]["valid_until"] = json!("2026-11-01T00:00:00+08:00");
    assert_problem(
        &feed_problems(&doc),
        "notices[3].valid_until",
        "is not after valid_from",
    );
}

#[test]
fn a_duplicate_id_is_refused() {
    let mut doc = common::demo_json();
    doc["notices"][4]["id"] = doc["notices"][0]["id"].clone();
    assert_problem(
        &feed_problems(&doc),
        "notices[4].id",
        "used by an earlier notice",
    );
}

#[test]
fn a_bad_category_is_refused() {
    let mut doc = common::demo_json();
    doc["notices"][0]["category"] = json!("gossip");
    assert_problem(
        &feed_problems(&doc),
        "notices[0].category",
        "unknown variant `gossip`",
    );
}

#[test]
fn a_time_without_offset_is_refused() {
    let mut doc = common::demo_json();
    doc["notices"][5]["valid_from"] = json!("2026-11-10 09:00:00");
    assert_problem(&feed_problems(&doc), "notices[5].valid_from", "");
}

#[test]
fn a_wrong_format_is_refused() {
    let mut doc = common::demo_json();
    doc["format"] = json!("noticecast.feed/2");
    assert_problem(&feed_problems(&doc), "format", "unknown variant");
}

#[test]
fn a_bad_url_and_expiry_are_both_reported() {
    let mut doc = common::demo_json();
    doc["notices"][2]["url"] = json!("ftp://example.gov.cn/x");
    doc["expires_at"] = doc["generated_at"].clone();
    let problems = feed_problems(&doc);
    assert_problem(&problems, "notices[2].url", "http");
    assert_problem(&problems, "expires_at", "is not after generated_at");
    assert_eq!(problems.list().len(), 2);
    // One line for a command's stderr: the first, with a count of the rest.
    assert!(
        problems.to_string().ends_with("(and 1 more problems)"),
        "{problems}"
    );
}

#[test]
fn an_embedded_playlist_is_validated_with_the_feed() {
    let mut doc = common::demo_json();
    let playlist = common::playlist("plaza-tv");
    let mut value = serde_json::to_value(&playlist).unwrap();
    value["type"]["line_height"] = json!(1.1);
    doc["playlist"] = value;
    let problems = feed_problems(&doc);
    assert_problem(&problems, "playlist.type.line_height", "at least 1.3");
    assert_problem(&problems, "playlist.group", "differs from the feed's group");
}

#[test]
fn a_playlist_round_trips_through_the_feed() {
    let mut doc = common::demo_json();
    let playlist = common::playlist("village-terminal");
    doc["group"] = json!("village-terminal");
    doc["playlist"] = serde_json::to_value(&playlist).unwrap();
    let feed = Feed::from_json(&doc.to_string(), "feed.json").expect("valid with its playlist");
    assert_eq!(feed.playlist.as_ref(), Some(&playlist));
}

#[test]
fn broken_json_never_panics() {
    let text = std::fs::read_to_string(common::path("deploy/demo/feed.json")).unwrap();
    // Every truncation point and a few byte flips: each must be an error, never a panic.
    let bytes = text.as_bytes();
    for cut in (0..bytes.len()).step_by(53) {
        let truncated = String::from_utf8_lossy(&bytes[..cut]);
        assert!(Feed::from_json(&truncated, "feed.json").is_err());
    }
    for (i, junk) in ["{", "[]", "null", "{\"format\": 1}", "\u{feff}{}"]
        .iter()
        .enumerate()
    {
        let problems = Feed::from_json(junk, "feed.json").expect_err(junk);
        assert_eq!(problems.list()[0].file, "feed.json", "case {i}");
    }
}

fn playlist_problems(text: &str) -> Problems {
    Playlist::from_toml(text, "playlist.toml").expect_err("the playlist must be refused")
}

fn plaza() -> String {
    std::fs::read_to_string(common::path("playlists/plaza-tv.toml")).unwrap()
}

#[test]
fn a_playlist_with_an_unknown_key_is_refused() {
    let text = plaza().replace(
        "palette = \"full\"",
        "palette = \"full\"\ncolour = \"blue\"",
    );
    assert_problem(
        &playlist_problems(&text),
        "screen.colour",
        "unknown field `colour`",
    );
}

#[test]
fn playlist_values_are_checked() {
    let text = plaza()
        .replace("line_height = 1.6", "line_height = 1.2")
        .replace("on = \"06:30\"", "on = \"25:00\"");
    // A parse error (the hour) stops before validation; fix it and the line height is reported.
    assert_problem(&playlist_problems(&text), "hours.on", "not a time of day");
    let text = text.replace("on = \"25:00\"", "on = \"06:30\"");
    assert_problem(
        &playlist_problems(&text),
        "type.line_height",
        "at least 1.3",
    );
    let text = plaza().replace("palette = \"full\"", "palette = \"red\"");
    assert_problem(&playlist_problems(&text), "screen.palette", "only for LED");
    let text = plaza().replace(
        "categories = [\"public_affairs\",",
        "categories = [\"policy\", \"public_affairs\",",
    );
    assert_problem(
        &playlist_problems(&text),
        "rotation.categories[3]",
        "listed twice",
    );
    let text = plaza().replace("min_s = 12.0", "min_s = 200.0");
    assert_problem(&playlist_problems(&text), "dwell.max_s", "outside min_s");
}

#[test]
fn a_toml_syntax_error_names_the_line() {
    let text = plaza().replace("kind = \"tv\"", "kind = tv");
    let problems = playlist_problems(&text);
    assert!(problems.list()[0].reason.contains("(line 6)"), "{problems}");
}

#[test]
fn assets_are_checked() {
    let mut doc = common::demo_json();
    doc["assets"] = json!([
        { "sha256": "ABC", "url": "https://example.gov.cn/a.png", "media_type": "image/png" },
        { "sha256": "a".repeat(64), "url": "file:///etc/passwd", "media_type": "png" }
    ]);
    let problems = feed_problems(&doc);
    assert_problem(&problems, "assets[0].sha256", "64 lowercase hex digits");
    assert_problem(&problems, "assets[1].url", "http");
    assert_problem(&problems, "assets[1].media_type", "media type");
}

#[test]
fn one_bit_is_for_single_colour_led_screens_and_refresh_rates_are_bounded() {
    let tv = std::fs::read_to_string(common::path("playlists/plaza-tv.toml")).unwrap();
    let one_bit_tv = tv.replace("palette = \"full\"", "palette = \"full\"\nbits = 1");
    assert_problem(
        &playlist_problems(&one_bit_tv),
        "screen.bits",
        "only for single-colour LED screens",
    );
    let led = std::fs::read_to_string(common::path("playlists/service-hall-led.toml")).unwrap();
    assert_problem(
        &playlist_problems(&led.replace("bits = 1", "bits = 4")),
        "screen.bits",
        "4 is not 1",
    );
    assert_problem(
        &playlist_problems(&led.replace("bits = 1", "bits = 1\nrefresh_hz = 7")),
        "screen.refresh_hz",
        "outside 24..=240",
    );
}
