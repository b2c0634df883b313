//! The scheduler with a fixed clock.

use super::*;
use crate::model::{Category, Level, Notice, Playlist, Priority, Timestamp};

fn t(s: &str) -> Timestamp {
    Timestamp::parse_from_rfc3339(s).expect("test instant")
}

fn playlist(extra: &str) -> Playlist {
    let text = format!(
        r#"
group = "test"
name = "测试"
kind = "tv"
{extra}
[screen]
width = 1920
height = 1080
palette = "full"
[type]
title_px = 64
body_px = 48
line_height = 1.5
[rotation]
categories = ["policy", "services"]
order = "category"
[dwell]
base_s = 3.0
chars_per_s = 2.5
min_s = 10.0
max_s = 120.0
"#
    );
    Playlist::from_toml(&text, "test.toml").expect("test playlist")
}

fn notice(
    id: &str,
    category: Category,
    priority: Priority,
    from: &str,
    until: Option<&str>,
) -> Notice {
    Notice {
        id: id.into(),
        category,
        priority,
        title: format!("标题{id}"),
        body: "正文".into(),
        issuer: "某某办".into(),
        doc_number: None,
        published_at: t(from),
        valid_from: t(from),
        valid_until: until.map(t),
        url: None,
        level: None,
        instruction: None,
        contact: None,
        alert_id: None,
        notice_period: None,
        figures: Vec::new(),
    }
}

fn entry<'a>(n: &'a Notice, pages: &[usize]) -> Entry<'a> {
    Entry {
        notice: n,
        pages: pages
            .iter()
            .map(|&chars| PageInfo {
                chars,
                motion_s: None,
            })
            .collect(),
    }
}

fn shown(entries: &[Entry], slot: &Slot) -> Option<(String, usize)> {
    match slot.showing {
        Showing::Page { entry, page, .. } => Some((entries[entry].notice.id.clone(), page)),
        _ => None,
    }
}

#[test]
fn reading_time_is_3s_plus_chars_at_2_5_per_second_clamped() {
    let p = playlist("");
    let page = |chars| PageInfo {
        chars,
        motion_s: None,
    };
    assert_eq!(dwell_ms(&p.dwell, &page(150)), 63_000);
    assert_eq!(dwell_ms(&p.dwell, &page(5)), 10_000, "min_s");
    assert_eq!(dwell_ms(&p.dwell, &page(1000)), 120_000, "max_s");
    let marquee = PageInfo {
        chars: 5,
        motion_s: Some(42.5),
    };
    assert_eq!(
        dwell_ms(&p.dwell, &marquee),
        42_500,
        "a marquee runs through once"
    );
}

#[test]
fn pages_follow_in_order_and_slots_tile_time() {
    let p = playlist("");
    let a = notice(
        "a",
        Category::Policy,
        Priority::Normal,
        "2026-11-01T00:00:00+08:00",
        None,
    );
    let b = notice(
        "b",
        Category::Services,
        Priority::Normal,
        "2026-11-02T00:00:00+08:00",
        None,
    );
    let entries = [entry(&a, &[100, 200, 50]), entry(&b, &[75])];
    let mut now = t("2026-11-27T00:00:00+08:00");
    let first = at(&p, &entries, now);
    assert_eq!(first.start, now, "the rotation starts at midnight");
    let mut seen = Vec::new();
    for _ in 0..8 {
        let slot = at(&p, &entries, now);
        assert_eq!(slot.start, now, "each slot starts where the last ended");
        // The same slot is found from anywhere inside it.
        let mid = slot.start + (slot.until - slot.start) / 2;
        assert_eq!(at(&p, &entries, mid), slot);
        seen.push(shown(&entries, &slot).expect("a page"));
        now = slot.until;
    }
    let ids: Vec<(&str, usize)> = seen.iter().map(|(id, p)| (id.as_str(), *p)).collect();
    assert_eq!(ids[..5], [("a", 0), ("a", 1), ("a", 2), ("b", 0), ("a", 0)]);
    // 3 + 100/2.5 = 43 s for the first page.
    assert_eq!(first.until - first.start, TimeDelta::seconds(43));
}

#[test]
fn expired_and_future_notices_never_show() {
    let p = playlist("");
    let expired = notice(
        "old",
        Category::Policy,
        Priority::Normal,
        "2026-10-01T00:00:00+08:00",
        Some("2026-11-27T10:00:00+08:00"),
    );
    let future = notice(
        "new",
        Category::Policy,
        Priority::Normal,
        "2026-11-27T15:00:00+08:00",
        None,
    );
    let always = notice(
        "always",
        Category::Services,
        Priority::Normal,
        "2026-01-01T00:00:00+08:00",
        None,
    );
    let entries = [
        entry(&expired, &[40]),
        entry(&future, &[40]),
        entry(&always, &[40]),
    ];
    let mut now = t("2026-11-27T00:00:00+08:00");
    let end = t("2026-11-28T00:00:00+08:00");
    let mut seen = std::collections::HashSet::new();
    while now < end {
        let slot = at(&p, &entries, now);
        if let Some((id, _)) = shown(&entries, &slot) {
            let n = entries.iter().find(|e| e.notice.id == id).unwrap().notice;
            assert!(
                n.is_valid_at(now),
                "{id} shown at {now} outside its validity"
            );
            // A slot never runs past the moment a notice expires or begins.
            assert!(
                n.valid_until
                    .is_none_or(|u| slot.until <= u || slot.start >= u)
            );
            seen.insert(id);
        }
        now = slot.until;
    }
    assert_eq!(seen.len(), 3, "each shows while valid: {seen:?}");
}

#[test]
fn categories_outside_the_playlist_do_not_play_but_emergencies_do() {
    let p = playlist("");
    let personnel = notice(
        "p",
        Category::Personnel,
        Priority::Normal,
        "2026-11-01T00:00:00+08:00",
        None,
    );
    let entries = [entry(&personnel, &[40])];
    assert_eq!(
        at(&p, &entries, t("2026-11-27T10:00:00+08:00")).showing,
        Showing::Empty
    );

    let flood = notice(
        "flood",
        Category::PublicAffairs,
        Priority::Emergency,
        "2026-11-27T09:00:00+08:00",
        Some("2026-11-27T12:00:00+08:00"),
    );
    let normal = notice(
        "n",
        Category::Policy,
        Priority::Normal,
        "2026-11-01T00:00:00+08:00",
        None,
    );
    let entries = [entry(&normal, &[40, 40]), entry(&flood, &[40])];
    // Before and after the emergency: the rotation. During it: only the emergency.
    assert_eq!(
        shown(&entries, &at(&p, &entries, t("2026-11-27T08:59:00+08:00")))
            .unwrap()
            .0,
        "n"
    );
    let mut now = t("2026-11-27T09:00:00+08:00");
    while now < t("2026-11-27T12:00:00+08:00") {
        let slot = at(&p, &entries, now);
        assert_eq!(shown(&entries, &slot).unwrap().0, "flood", "at {now}");
        now = slot.until;
    }
    assert_eq!(
        now,
        t("2026-11-27T12:00:00+08:00"),
        "the emergency slot ends when it expires"
    );
    assert_eq!(
        shown(&entries, &at(&p, &entries, now)).unwrap(),
        ("n".to_string(), 0)
    );
}

#[test]
fn urgent_titles_feed_the_ticker() {
    let p = playlist("[ticker]\nspeed_px_s = 60.0\n");
    let urgent = notice(
        "u",
        Category::Policy,
        Priority::Urgent,
        "2026-11-01T00:00:00+08:00",
        Some("2026-12-01T00:00:00+08:00"),
    );
    let normal = notice(
        "n",
        Category::Policy,
        Priority::Normal,
        "2026-11-01T00:00:00+08:00",
        None,
    );
    let entries = [entry(&urgent, &[40]), entry(&normal, &[40])];
    assert_eq!(
        ticker_items(&p, &entries, t("2026-11-27T10:00:00+08:00")),
        ["【重要】标题u"]
    );
    assert!(ticker_items(&p, &entries, t("2026-12-02T10:00:00+08:00")).is_empty());
    // Urgent notices come first within their category.
    assert_eq!(
        eligible(&p, &entries, t("2026-11-27T10:00:00+08:00")),
        [0, 1]
    );
}

#[test]
fn off_hours_are_standby_until_the_next_on_time() {
    let p = playlist("[hours]\non = \"07:00\"\noff = \"22:00\"\n");
    let n = notice(
        "n",
        Category::Policy,
        Priority::Normal,
        "2026-11-01T00:00:00+08:00",
        None,
    );
    let entries = [entry(&n, &[40])];
    let night = at(&p, &entries, t("2026-11-27T23:30:00+08:00"));
    assert_eq!(night.showing, Showing::Standby);
    assert_eq!(night.start, t("2026-11-27T22:00:00+08:00"));
    assert_eq!(night.until, t("2026-11-28T07:00:00+08:00"));
    let morning = at(&p, &entries, t("2026-11-28T07:00:00+08:00"));
    assert_eq!(
        morning.start,
        t("2026-11-28T07:00:00+08:00"),
        "the rotation restarts when the screen wakes"
    );
    assert!(matches!(morning.showing, Showing::Page { .. }));
    // An instant given in UTC is judged in Beijing time: 23:30 UTC is 07:30 the next morning.
    assert!(matches!(
        at(&p, &entries, t("2026-11-27T23:30:00Z")).showing,
        Showing::Page { .. }
    ));
}

#[test]
fn hours_may_span_midnight() {
    let p = playlist("[hours]\non = \"18:00\"\noff = \"02:00\"\n");
    let n = notice(
        "n",
        Category::Policy,
        Priority::Normal,
        "2026-11-01T00:00:00+08:00",
        None,
    );
    let entries = [entry(&n, &[40])];
    assert!(matches!(
        at(&p, &entries, t("2026-11-27T01:00:00+08:00")).showing,
        Showing::Page { .. }
    ));
    assert!(matches!(
        at(&p, &entries, t("2026-11-27T23:00:00+08:00")).showing,
        Showing::Page { .. }
    ));
    let day = at(&p, &entries, t("2026-11-27T12:00:00+08:00"));
    assert_eq!(day.showing, Showing::Standby);
    assert_eq!(day.until, t("2026-11-27T18:00:00+08:00"));
}

#[test]
fn an_empty_screen_waits_for_the_next_notice() {
    let p = playlist("");
    let later = notice(
        "later",
        Category::Policy,
        Priority::Normal,
        "2026-11-27T15:00:00+08:00",
        None,
    );
    let entries = [entry(&later, &[40])];
    let slot = at(&p, &entries, t("2026-11-27T10:00:00+08:00"));
    assert_eq!(slot.showing, Showing::Empty);
    assert_eq!(slot.until, t("2026-11-27T15:00:00+08:00"));
}

fn warning(id: &str, level: Option<Level>, from: &str, until: &str) -> Notice {
    Notice {
        level,
        ..notice(
            id,
            Category::PublicAffairs,
            Priority::Emergency,
            from,
            Some(until),
        )
    }
}

#[test]
fn several_emergencies_rotate_most_severe_first() {
    let p = playlist("[ticker]\nspeed_px_s = 60.0\ntext = \"热线 12345\"\n");
    let blue = warning(
        "b",
        Some(Level::Blue),
        "2026-11-27T08:00:00+08:00",
        "2026-11-28T00:00:00+08:00",
    );
    let orange = warning(
        "o",
        Some(Level::Orange),
        "2026-11-27T07:00:00+08:00",
        "2026-11-28T00:00:00+08:00",
    );
    // No level: shown as red, the most severe.
    let plain = warning(
        "r",
        None,
        "2026-11-27T06:00:00+08:00",
        "2026-11-28T00:00:00+08:00",
    );
    let urgent = notice(
        "u",
        Category::Policy,
        Priority::Urgent,
        "2026-11-01T00:00:00+08:00",
        None,
    );
    let entries = [
        entry(&blue, &[40]),
        entry(&urgent, &[40]),
        entry(&orange, &[40]),
        entry(&plain, &[40]),
    ];
    let now = t("2026-11-27T10:00:00+08:00");
    assert_eq!(eligible(&p, &entries, now), [3, 2, 0]);
    // Under a warning the ticker runs the warnings' headlines alone: no 【重要】, no fixed text.
    assert_eq!(
        ticker_items(&p, &entries, now),
        [
            "【紧急通知】标题r",
            "【橙色预警】标题o",
            "【蓝色预警】标题b"
        ]
    );
    // Afterwards, the ticker as usual.
    assert_eq!(
        ticker_items(&p, &entries, t("2026-11-28T10:00:00+08:00")),
        ["【重要】标题u", "热线 12345"]
    );
}

#[test]
fn an_emergency_plays_through_the_off_hours() {
    let p = playlist("[hours]\non = \"07:00\"\noff = \"22:00\"\n");
    let storm = warning(
        "s",
        Some(Level::Red),
        "2026-11-27T23:30:00+08:00",
        "2026-11-28T01:00:00+08:00",
    );
    let normal = notice(
        "n",
        Category::Policy,
        Priority::Normal,
        "2026-11-01T00:00:00+08:00",
        None,
    );
    let entries = [entry(&normal, &[40]), entry(&storm, &[40])];
    // The standby before it ends when it starts.
    let before = at(&p, &entries, t("2026-11-27T23:00:00+08:00"));
    assert_eq!(before.showing, Showing::Standby);
    assert_eq!(before.until, t("2026-11-27T23:30:00+08:00"));
    let during = at(&p, &entries, t("2026-11-28T00:15:00+08:00"));
    assert_eq!(shown(&entries, &during).unwrap().0, "s");
    assert!(during.until <= t("2026-11-28T01:00:00+08:00"));
    // When it expires the screen goes back to standby until the morning.
    let after = at(&p, &entries, t("2026-11-28T01:00:00+08:00"));
    assert_eq!(after.showing, Showing::Standby);
    assert_eq!(after.until, t("2026-11-28T07:00:00+08:00"));
}
