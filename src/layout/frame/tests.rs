//! Tests of the frame as data: running text in whole pixels, the moving region, strips and placing.

use super::*;

fn t(s: &str) -> Timestamp {
    Timestamp::parse_from_rfc3339(s).unwrap()
}

fn motion() -> Motion {
    Motion {
        right: 100.0,
        offset_px: 0.0,
        since: t("2026-11-27T10:00:00+08:00"),
        step: Step {
            px: 1,
            refreshes: 1,
            refresh_hz: 48.0,
        },
        cycle_px: 300.0,
    }
}

#[test]
fn a_running_line_moves_in_whole_pixels_and_wraps() {
    let m = motion();
    assert_eq!(m.x_at(t("2026-11-27T10:00:00+08:00")), 100.0);
    assert_eq!(m.x_at(t("2026-11-27T10:00:01+08:00")), 52.0);
    // 1.01 s is 48.48 px: the line stays on a whole pixel.
    assert_eq!(m.x_at(t("2026-11-27T10:00:01.010+08:00")), 52.0);
    // 6.25 s is 300 px, one whole cycle.
    assert_eq!(m.x_at(t("2026-11-27T10:00:06.250+08:00")), 100.0);
}

fn band_frame() -> Frame {
    let mut frame = Frame::blank(100, 50, Rgba::WHITE);
    frame.fills.push(Fill {
        rect: Rect::new(0.0, 0.0, 100.0, 10.0),
        color: Rgba::BLACK,
    });
    frame.fills.push(Fill {
        rect: Rect::new(0.0, 40.0, 100.0, 10.0),
        color: Rgba::rgb(0x1F3A5F),
    });
    let line = |text: &str, y| TextLine {
        text: text.into(),
        x: 5.0,
        y,
        justify_px: 0.0,
        cell: None,
    };
    let band = Rect::new(0.0, 40.0, 100.0, 10.0);
    frame.blocks.push(TextBlock {
        role: Role::Body,
        px: 8.0,
        line_px: 10.0,
        bold: false,
        bitmap: false,
        color: Rgba::BLACK,
        clip: Rect::new(0.0, 0.0, 100.0, 50.0),
        lines: vec![line("top", 12.0), line("bottom", 30.0)],
        motion: None,
    });
    frame.blocks.push(TextBlock {
        role: Role::Ticker,
        px: 8.0,
        line_px: 10.0,
        bold: false,
        bitmap: false,
        color: Rgba::WHITE,
        clip: band,
        lines: vec![line("ticker", 40.0)],
        motion: Some(Motion {
            right: 100.0,
            ..motion()
        }),
    });
    frame
}

#[test]
fn the_moving_region_is_the_running_band_and_crops_to_it() {
    let mut frame = band_frame();
    let region = frame.moving_region().expect("a ticker runs");
    assert_eq!(region, Rect::new(0.0, 40.0, 100.0, 10.0));
    frame.advance(t("2026-11-27T10:00:01+08:00"));
    assert_eq!(frame.blocks[1].lines[0].x, 52.0);
    let part = frame.crop(region);
    assert_eq!((part.width, part.height), (100, 10));
    // The band's fill became the background; the header fill and the body lines are outside.
    assert_eq!(part.background, Rgba::rgb(0x1F3A5F));
    assert!(part.fills.is_empty());
    assert_eq!(part.blocks.len(), 1);
    assert_eq!(
        (part.blocks[0].lines[0].x, part.blocks[0].lines[0].y),
        (52.0, 0.0)
    );
    assert_eq!(part.blocks[0].clip, Rect::new(0.0, 0.0, 100.0, 10.0));
}

#[test]
fn speeds_lock_to_the_nearest_the_refresh_allows() {
    let s = |speed, hz| {
        let step = Step::locked(speed, hz);
        (step.px, step.refreshes, step.speed())
    };
    assert_eq!(s(48.0, 60.0), (1, 1, 60.0));
    assert_eq!(s(40.0, 60.0), (1, 2, 30.0));
    assert_eq!(s(60.0, 60.0), (1, 1, 60.0));
    assert_eq!(s(120.0, 60.0), (2, 1, 120.0));
    assert_eq!(s(100.0, 60.0), (2, 1, 120.0));
    // Halfway: the slower.
    assert_eq!(s(90.0, 60.0), (1, 1, 60.0));
    assert_eq!(s(20.0, 60.0), (1, 3, 20.0));
    assert_eq!(s(25.0, 50.0), (1, 2, 25.0));
    assert_eq!(s(5.0, 60.0), (1, 12, 5.0));
}

#[test]
fn every_refresh_moves_the_same_whole_pixels() {
    let since = t("2026-11-27T10:00:00+08:00");
    for (speed, hz) in [(48.0, 60.0), (90.0, 60.0), (40.0, 60.0), (33.0, 75.0)] {
        let step = Step::locked(speed, hz);
        let m = Motion {
            right: 1000.0,
            offset_px: 0.0,
            since: since - chrono::TimeDelta::milliseconds(7),
            step,
            cycle_px: 100_000.0,
        };
        // Instants at 1/hz steps, rounded to the microsecond as `--at` gives them.
        let at = |i: u32| {
            since + chrono::TimeDelta::microseconds((i as f64 * 1e6 / hz as f64).round() as i64)
        };
        let per_step: Vec<f32> = (0..(2 * hz as u32) / step.refreshes)
            .map(|i| m.x_at(at(i * step.refreshes)) - m.x_at(at((i + 1) * step.refreshes)))
            .collect();
        assert!(
            per_step.iter().all(|&d| d == step.px as f32),
            "{speed} px/s at {hz} Hz: steps {per_step:?}"
        );
    }
}

#[test]
fn a_strip_covers_the_band_wherever_the_line_is() {
    let frame = band_frame();
    let region = frame.moving_region().unwrap();
    let strip = frame.strip(region).expect("a band with one running line");
    let motion = frame.blocks[1].motion.unwrap();
    assert_eq!(strip.width as f64, motion.cycle_px + region.w as f64);
    assert_eq!(strip.background, Rgba::rgb(0x1F3A5F));
    assert_eq!(strip.blocks[0].lines[0].x, region.w);
    // Placed at the line's x less the band's width, it spans the band at every step.
    for ms in (0..6250).step_by(125) {
        let x = motion.x_at(t("2026-11-27T10:00:00+08:00") + chrono::TimeDelta::milliseconds(ms));
        let left = x - region.w;
        assert!(left <= region.x && left + strip.width as f32 >= region.right());
    }
    // Anything else in the band (a label) and it is no strip.
    let mut labelled = frame.clone();
    let line = labelled.blocks[1].lines[0].clone();
    labelled.blocks[1].lines.push(line);
    assert!(labelled.strip(region).is_none());
}

#[test]
fn a_placed_frame_sits_on_black_at_its_rectangle_and_runs_there() {
    let frame = band_frame();
    let placed = frame.placed((300, 200), (40, 30));
    assert_eq!((placed.width, placed.height), (300, 200));
    assert_eq!(placed.background, Rgba::BLACK);
    // The strip's own background, then its fills, moved.
    assert_eq!(placed.fills[0].rect, Rect::new(40.0, 30.0, 100.0, 50.0));
    assert_eq!(placed.fills[0].color, Rgba::WHITE);
    assert_eq!(placed.fills[1].rect, Rect::new(40.0, 30.0, 100.0, 10.0));
    assert_eq!(placed.blocks[0].lines[1].y, 60.0);
    // The running band moves with it and still runs from its right edge.
    let region = placed.moving_region().expect("a ticker runs");
    assert_eq!(region, Rect::new(40.0, 70.0, 100.0, 10.0));
    let at = t("2026-11-27T10:00:01+08:00");
    let mut moved = placed.clone();
    moved.advance(at);
    let mut original = frame.clone();
    original.advance(at);
    assert_eq!(
        moved.blocks[1].lines[0].x,
        original.blocks[1].lines[0].x + 40.0
    );
}

#[test]
fn a_content_update_keeps_the_position() {
    let old = motion();
    let at = t("2026-11-27T10:00:02+08:00");
    let next = Motion {
        cycle_px: 500.0,
        since: at,
        ..motion()
    };
    let carried = old.continued(at, next);
    assert_eq!(carried.x_at(at), old.x_at(at));
    assert_eq!(carried.cycle_px, 500.0);
}
