//! Layout and scheduling of the demo content with the bundled fonts: no GPU, fixed instants.

mod common;

use noticecast::layout::linebreak::{no_line_end, no_line_start};
use noticecast::layout::page::MISSING;
use noticecast::layout::{Fonts, Role, Typesetter};
use noticecast::model::{Feed, ScreenKind};
use noticecast::schedule::Showing;
use noticecast::show::Show;

#[test]
fn the_bundled_fonts_load_and_cover_rare_name_characters() {
    let mut fonts = common::fonts();
    for c in ['䶮', '堃', '喆', '〓', 'A', '7', '·', '—', '…', '“', '《'] {
        assert!(fonts.covers(c), "{c} should be drawable");
    }
    // Beyond Noto Sans SC, the fallback faces: 𠇔 (Ext B, in a candidate's name in a 公示),
    // Ext C-F (HanaMinB), Ext G and H (BabelStone Han).
    for c in [
        '\u{201D4}',
        '\u{2A700}',
        '\u{2CEB0}',
        '\u{30000}',
        '\u{323AF}',
    ] {
        assert!(fonts.covers(c), "U+{:04X} should be drawable", c as u32);
    }
    // Extension I (Unicode 15.1) and private-use characters are in no bundled font.
    assert_eq!(
        fonts.missing_chars("任命\u{2EBF0}同志\u{E000}"),
        ['\u{2EBF0}', '\u{E000}']
    );
}

#[test]
fn a_font_folder_without_the_family_is_an_error() {
    let empty = tempfile::tempdir().unwrap();
    let err = Fonts::load(empty.path()).err().expect("no fonts must fail");
    assert!(err.to_string().contains("Noto Sans SC"), "{err}");
    std::fs::write(empty.path().join("broken.ttf"), b"not a font").unwrap();
    let err = Fonts::load(empty.path())
        .err()
        .expect("a broken font must fail");
    assert!(err.to_string().contains("broken.ttf"), "{err}");
}

/// Every body line of every page of every demo notice, on every bundled screen, keeps the clreq
/// rules, fits its width, and together the lines hold exactly the body's text.
#[test]
fn demo_notices_lay_out_by_the_rules_on_every_screen() {
    let feed = common::demo_feed();
    let mut typesetter = Typesetter::new(common::fonts());
    for name in common::PLAYLISTS {
        let playlist = common::playlist(name);
        if playlist.kind == ScreenKind::Led {
            continue; // One marquee line: nothing to break.
        }
        for notice in &feed.notices {
            let paged = typesetter.paginate(&playlist, notice);
            let lines: Vec<&str> = paged
                .pages
                .iter()
                .flat_map(|p| p.lines.iter().map(|l| l.text.as_str()))
                .collect();
            for (i, line) in lines.iter().enumerate() {
                let first = line.chars().next().expect("no empty lines");
                assert!(
                    !no_line_start(first),
                    "{name} {}: line {i} starts with {first}: {line}",
                    notice.id
                );
                let last = line.chars().last().unwrap();
                if lines.get(i + 1).is_some() {
                    assert!(
                        !no_line_end(last),
                        "{name} {}: line {i} ends with {last}: {line}",
                        notice.id
                    );
                }
            }
            let laid: String = lines
                .concat()
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect();
            let body: String = notice.body.chars().filter(|c| !c.is_whitespace()).collect();
            if paged.pages.last().is_some_and(|p| p.closing.is_some()) {
                // Cut short on a TV (max_pages): the pages shown begin the text, in order.
                assert!(
                    body.starts_with(&laid) && laid.len() < body.len(),
                    "{name} {}: text lost or duplicated before the closing page",
                    notice.id
                );
            } else {
                assert_eq!(laid, body, "{name} {}: text lost or duplicated", notice.id);
            }
        }
    }
}

#[test]
fn body_lines_stay_inside_the_body_area() {
    let mut show = common::show("plaza-tv");
    let frame = show
        .frame_of("2026-0153", 0, common::t("2026-11-27T10:00:00+08:00"))
        .unwrap();
    let body = frame.blocks.iter().find(|b| b.role == Role::Body).unwrap();
    let qr_left = frame.images[0].rect.x;
    let fonts = show.typesetter().fonts();
    for line in &body.lines {
        let width = fonts.width(&line.text, body.px, false);
        let stretched = width
            + line.justify_px
                * noticecast::layout::linebreak::stretch_points(
                    &line.text.chars().collect::<Vec<_>>(),
                )
                .len() as f32;
        // Justified lines end within a pixel of the area's edge, before the QR column.
        assert!(
            line.x + stretched <= qr_left,
            "{} ends at {} past the QR code at {qr_left}",
            line.text,
            line.x + stretched
        );
    }
}

#[test]
fn a_notice_of_3000_characters_paginates() {
    // On the terminal every page plays; on the TV (below) the notice is cut to max_pages.
    let show = common::show("village-terminal");
    let pages = show.pages_of("2026-0153").unwrap();
    assert!(pages >= 8, "{pages} pages");
    let mut show = common::show("plaza-tv");
    let pages = show.pages_of("2026-0153").unwrap();
    assert_eq!(
        pages, 3,
        "max_pages: two pages of text and the closing page"
    );
    let last = show
        .frame_of(
            "2026-0153",
            pages - 1,
            common::t("2026-11-27T10:00:00+08:00"),
        )
        .unwrap();
    let footer: Vec<String> = last
        .blocks
        .iter()
        .filter(|b| b.role == Role::Footer)
        .flat_map(|b| b.lines.iter().map(|l| l.text.clone()))
        .collect();
    assert!(
        footer.contains(&format!("第 {pages}/{pages} 页")),
        "{footer:?}"
    );
    // The closing page: one large QR code, its caption, no body text.
    assert_eq!(last.images.len(), 1);
    assert!(last.images[0].rect.w >= 400.0, "{:?}", last.images[0].rect);
    let caption: String = last
        .blocks
        .iter()
        .filter(|b| b.role == Role::Caption)
        .flat_map(|b| b.lines.iter().map(|l| l.text.clone()))
        .collect();
    assert!(caption.starts_with("扫码阅读全文"), "{caption}");
    assert!(
        last.blocks
            .iter()
            .filter(|b| b.role == Role::Body)
            .all(|b| b.lines.is_empty())
    );

    assert!(
        show.frame_of("2026-0153", pages, common::t("2026-11-27T10:00:00+08:00"))
            .is_err()
    );
}

#[test]
fn the_expired_notice_never_shows() {
    for name in common::PLAYLISTS {
        let show = common::show(name);
        let mut now = common::t("2026-10-08T00:00:00+08:00");
        let end = common::t("2026-12-31T00:00:00+08:00");
        let mut slots = 0;
        while now < end {
            let slot = show.slot_at(now);
            if let Some(n) = show.notice_of(&slot) {
                assert_ne!(
                    n.id, "2026-0144",
                    "{name}: the notice that expired on 8 October showed at {now}"
                );
                assert!(n.is_valid_at(now));
            }
            // Jump ahead by whole slots, and an hour at a time through long slots.
            now = slot.until.min(now + chrono::TimeDelta::hours(1));
            slots += 1;
        }
        assert!(slots > 1000, "{name}: {slots}");
        // Before it expired, it did show.
        let before = show.slot_at(common::t("2026-10-03T12:00:00+08:00"));
        assert_eq!(
            show.notice_of(&before).map(|n| n.id.as_str()),
            Some("2026-0144"),
            "{name}"
        );
    }
}

#[test]
fn the_emergency_preempts_every_screen_while_valid() {
    for name in common::PLAYLISTS {
        let mut show = common::show(name);
        let (slot, frame) = show.frame_at(common::t("2026-11-28T09:00:00+08:00"));
        assert_eq!(
            show.notice_of(&slot).map(|n| n.id.as_str()),
            Some("2026-0181"),
            "{name}"
        );
        // The level in words on every kind of screen, and what to do first on the LEDs.
        let text: String = frame.chars().collect();
        assert!(text.contains("蓝色预警"), "{name}: {text}");
        assert!(text.contains("【防御指南】及时添衣保暖"), "{name}: {text}");
        let (slot, _) = show.frame_at(common::t("2026-11-29T19:00:00+08:00"));
        assert_ne!(
            show.notice_of(&slot).map(|n| n.id.as_str()),
            Some("2026-0181"),
            "{name}: after expiry"
        );
    }
}

#[test]
fn off_hours_are_a_black_standby_frame() {
    let mut show = common::show("plaza-tv");
    let (slot, frame) = show.frame_at(common::t("2026-11-27T23:00:00+08:00"));
    assert_eq!(slot.showing, Showing::Standby);
    assert!(frame.blocks.is_empty() && frame.fills.is_empty());
    assert_eq!(frame.background.0, [0, 0, 0, 255]);
}

#[test]
fn urgent_titles_run_in_the_ticker() {
    let mut show = common::show("plaza-tv");
    let (_, frame) = show.frame_at(common::t("2026-11-27T10:00:00+08:00"));
    let ticker = frame
        .blocks
        .iter()
        .find(|b| b.role == Role::Ticker)
        .expect("a ticker");
    assert!(
        ticker.lines[0]
            .text
            .contains("2027年度城乡居民医保缴费12月31日截止")
    );
    assert!(ticker.lines[0].text.contains("政务服务热线 12345"));
}

#[test]
fn a_character_no_font_has_is_reported_and_marked() {
    let mut doc = common::demo_json();
    doc["notices"][1]["body"] = serde_json::json!("任命王\u{2EBF0}同志为区教育局副局长。");
    let feed = Feed::from_json(&doc.to_string(), "feed.json").unwrap();
    let mut show = Show::new(
        Typesetter::new(common::fonts()),
        feed,
        common::playlist("plaza-tv"),
    );
    assert_eq!(show.warnings().len(), 1);
    assert!(
        show.warnings()[0].contains("2026-0161") && show.warnings()[0].contains("U+2EBF0"),
        "{:?}",
        show.warnings()
    );
    let frame = show
        .frame_of("2026-0161", 0, common::t("2026-11-27T10:00:00+08:00"))
        .unwrap();
    let body: String = frame
        .blocks
        .iter()
        .filter(|b| b.role == Role::Body)
        .flat_map(|b| b.lines.iter().map(|l| l.text.clone()))
        .collect();
    assert!(body.contains(&format!("王{MISSING}同志")), "{body}");
}

#[test]
fn led_marquees_move_in_whole_pixels() {
    let mut show = common::show("service-hall-led");
    let start = show.slot_at(common::t("2026-11-27T10:00:00+08:00")).start;
    let mut last = None;
    for ms in [0, 16, 33, 50, 500, 1017] {
        let (_, frame) = show.frame_at(start + chrono::TimeDelta::milliseconds(ms + 2000));
        let marquee = frame
            .blocks
            .iter()
            .rev()
            .find(|b| b.role == Role::Marquee)
            .expect("a marquee");
        let x = marquee.lines[0].x;
        assert_eq!(x, x.round(), "sub-pixel position {x}");
        if let Some(prev) = last {
            assert!(x <= prev, "the marquee runs leftwards");
        }
        last = Some(x);
    }
}

#[test]
fn lines_json_has_roles_and_lines() {
    let mut show = common::show("village-terminal");
    let frame = show
        .frame_of("2026-0161", 0, common::t("2026-11-27T10:00:00+08:00"))
        .unwrap();
    let fonts = show.typesetter().fonts();
    let json = frame.lines_json(|text, px, bold, bitmap| fonts.width_for(text, px, bold, bitmap));
    let blocks = json["blocks"].as_array().unwrap();
    let title = blocks.iter().find(|b| b["role"] == "title").unwrap();
    assert_eq!(title["lines"][0]["text"], "关于刘䶮等同志职务任免的通知");
    let body: Vec<&str> = blocks
        .iter()
        .filter(|b| b["role"] == "body")
        .flat_map(|b| {
            b["lines"]
                .as_array()
                .unwrap()
                .iter()
                .map(|l| l["text"].as_str().unwrap())
        })
        .collect();
    assert!(
        body.iter().any(|l| l.contains("阿卜杜热合曼·吐尔逊"))
            || body.concat().contains("阿卜杜热合曼·吐尔逊")
    );
}

/// Cheap panels are 1366x768 or 1280x720: the TV and terminal pages are laid out for the
/// output's real size (type scaled by the ratio of heights), never a stretched picture; every
/// line stays inside the page.
#[test]
fn pages_are_laid_out_for_the_outputs_real_size() {
    for (name, output, picture) in [
        ("plaza-tv", (1366, 768), (1366, 768)),
        ("plaza-tv", (1280, 720), (1280, 720)),
        ("village-terminal", (768, 1366), (768, 1366)),
    ] {
        let mut show = common::show(name);
        let written = show.playlist().clone();
        assert!(show.set_output(output));
        let fitted = show.playlist().clone();
        assert_eq!((fitted.screen.width, fitted.screen.height), picture);
        let ratio = picture.1 as f32 / written.screen.height as f32;
        assert_eq!(
            fitted.typography.body_px,
            (written.typography.body_px * ratio).round(),
            "{name}: body size scales with the height"
        );
        let (_, frame) = show.frame_at(common::t("2026-11-27T10:00:00+08:00"));
        assert_eq!((frame.width, frame.height), picture, "{name}");
        for block in &frame.blocks {
            assert!(block.px <= written.typography.title_px * ratio + 1.0);
            for line in &block.lines {
                if block.motion.is_none() {
                    assert!(
                        line.x >= 0.0 && line.y + block.line_px <= picture.1 as f32 + 0.5,
                        "{name} {output:?}: {:?} line {:?} leaves the page",
                        block.role,
                        line.text
                    );
                }
            }
        }
        // The written playlist is what the screen compares new feeds with.
        assert_eq!(show.written_playlist(), &written);
    }
}

/// An LED strip keeps its size on any output: it is placed at its capture rectangle on black.
#[test]
fn an_led_strip_is_placed_not_scaled() {
    let mut show = common::show("service-hall-led");
    let (_, strip) = show.frame_at(common::t("2026-11-27T10:00:00+08:00"));
    assert!(show.set_output((1280, 720)));
    assert_eq!(
        (show.playlist().screen.width, show.playlist().screen.height),
        (384, 96)
    );
    let (_, frame) = show.frame_at(common::t("2026-11-27T10:00:00+08:00"));
    assert_eq!((frame.width, frame.height), (1280, 720));
    assert_eq!(frame.background, noticecast::layout::Rgba::BLACK);
    assert_eq!(frame.blocks.len(), strip.blocks.len());
    for (placed, block) in frame.blocks.iter().zip(&strip.blocks) {
        assert_eq!(placed.px, block.px, "type is not scaled");
        assert_eq!(placed.clip, block.clip, "the strip's corner is 0,0 here");
    }
}

/// Running text on every shipped playlist moves the same whole pixels each step of whole
/// refreshes: frames of the show at 1/refresh_hz steps for two seconds.
#[test]
fn running_text_moves_in_equal_steps_on_the_shipped_playlists() {
    for name in ["service-hall-led", "plaza-tv"] {
        let mut show = common::show(name);
        let step =
            noticecast::layout::templates::running_step(show.playlist()).expect("running text");
        let hz = show.playlist().screen.refresh_hz as f64;
        let start = common::t("2026-11-27T10:00:03+08:00");
        let at =
            |i: u32| start + chrono::TimeDelta::microseconds((i as f64 * 1e6 / hz).round() as i64);
        let x_of = |frame: &noticecast::layout::Frame| -> Vec<f32> {
            frame
                .blocks
                .iter()
                .filter(|b| b.motion.is_some())
                .map(|b| b.lines[0].x)
                .collect()
        };
        let mut last: Option<Vec<f32>> = None;
        for i in (0..(2.0 * hz) as u32).step_by(step.refreshes as usize) {
            let (_, frame) = show.frame_at(at(i));
            let xs = x_of(&frame);
            if let Some(prev) = &last {
                for (a, b) in prev.iter().zip(&xs) {
                    // A wrap to the start of the cycle is the only other step allowed.
                    assert!(
                        a - b == step.px as f32 || b > a,
                        "{name}: a step of {} px at refresh {i}, expected {}",
                        a - b,
                        step.px
                    );
                }
            }
            last = Some(xs);
        }
    }
}

/// An emergency with a body far beyond any screen: what to do and whom to call still show whole,
/// on every page of a TV or terminal and in the LED's marquee, whose description gives way
/// (whole sentences, issue 28).
#[test]
fn instruction_and_contact_are_never_cut() {
    let mut json = common::demo_json();
    let instruction = "立即停止户外作业，远离河道、山体和低洼地带；居民听从村（社区）干部指挥，按指定路线转移到安置点。";
    let contact = "区防汛值班电话 0871-6000 1234；报警 110，火警 119，急救 120";
    for n in json["notices"].as_array_mut().unwrap() {
        if n["id"] == "2026-0181" {
            n["level"] = "red".into();
            n["body"] =
                "受持续强降雨影响，我区部分河段水位持续上涨，山洪、泥石流等地质灾害风险高。"
                    .repeat(60)
                    .into();
            n["instruction"] = instruction.into();
            n["contact"] = contact.into();
        }
    }
    let feed = noticecast::model::Feed::from_json(&json.to_string(), "flood").unwrap();
    for name in common::PLAYLISTS {
        let mut show = noticecast::show::Show::new(
            noticecast::layout::Typesetter::new(common::fonts()),
            feed.clone(),
            common::playlist(name),
        );
        let pages = show.pages_of("2026-0181").unwrap();
        let at = common::t("2026-11-28T09:00:00+08:00");
        for page in 0..pages {
            let frame = show.frame_of("2026-0181", page, at).unwrap();
            let text: String = frame.chars().filter(|c| !c.is_whitespace()).collect();
            for whole in [instruction, contact] {
                let whole: String = whole.chars().filter(|c| !c.is_whitespace()).collect();
                assert!(
                    text.contains(&whole),
                    "{name} page {}: {whole} in {text}",
                    page + 1
                );
            }
            assert!(text.contains("红色预警"), "{name} page {}", page + 1);
        }
        if name.contains("led") {
            let frame = show.frame_of("2026-0181", 0, at).unwrap();
            let text: String = frame.chars().collect();
            // Cut at a whole sentence, and with no web address nothing points to one: it
            // says it is a summary.
            assert!(
                !text.contains("全文详见") && text.trim_end().ends_with("高。（摘要）"),
                "{name}: the description is cut at a sentence: {text}"
            );
            assert!(
                text.find("【防御指南】") < text.find("受持续强降雨"),
                "{name}: {text}"
            );
        } else {
            assert!(pages > 1, "{name}: the long body takes pages");
        }
    }
}

/// A short warning (a 暴雨橙色预警 of about 160 characters) with a long instruction and contact:
/// the description starts on the first page with at least three lines, and is read whole on
/// one page where a smaller instruction allows it, never as fragments of one line a page
/// (issue 28).
#[test]
fn a_warnings_description_is_read_on_its_first_page() {
    let mut json = common::demo_json();
    let description = "预计12月5日夜间至6日白天，受西南暖湿气流和冷空气共同影响，我区大部分乡镇将出现暴雨，局部大暴雨，累计雨量80至120毫米，最大小时雨量可达50毫米，并伴有雷电、短时大风等强对流天气，山区发生山洪、泥石流、滑坡等地质灾害的风险高，城区低洼地带可能出现积水内涝，请有关单位和广大群众做好防范。";
    let instruction = "政府及相关部门按照职责做好防暴雨应急工作；切断有危险的室外电源，暂停户外作业；处于危险地带的单位应当停课、停业，采取专门措施保护已到校学生、幼儿和其他上班人员的安全；做好城市、农田的排涝，注意防范可能引发的山洪、滑坡、泥石流等灾害。";
    let contact = "区应急管理局值班电话 0871-6000 1234；区气象台 0871-6000 5678；报警 110，火警 119，急救 120";
    for n in json["notices"].as_array_mut().unwrap() {
        if n["id"] == "2026-0181" {
            n["title"] = "云岭区气象台发布暴雨橙色预警信号".into();
            n["level"] = "orange".into();
            n["body"] = description.into();
            n["instruction"] = instruction.into();
            n["contact"] = contact.into();
        }
    }
    let feed = noticecast::model::Feed::from_json(&json.to_string(), "rain").unwrap();
    let at = common::t("2026-11-28T09:00:00+08:00");
    for name in ["plaza-tv", "village-terminal"] {
        let mut show = noticecast::show::Show::new(
            noticecast::layout::Typesetter::new(common::fonts()),
            feed.clone(),
            common::playlist(name),
        );
        let pages = show.pages_of("2026-0181").unwrap();
        let mut body_lines = Vec::new();
        let mut text = String::new();
        let mut aside_px = Vec::new();
        for page in 0..pages {
            let frame = show.frame_of("2026-0181", page, at).unwrap();
            aside_px.extend(
                frame
                    .blocks
                    .iter()
                    .filter(|b| b.role == Role::Aside)
                    .map(|b| b.px),
            );
            let lines: Vec<String> = frame
                .blocks
                .iter()
                .filter(|b| b.role == Role::Body)
                .flat_map(|b| b.lines.iter().map(|l| l.text.clone()))
                .filter(|l| !l.trim().is_empty())
                .collect();
            text.extend(lines.iter().cloned());
            body_lines.push(lines.len());
        }
        assert!(body_lines[0] >= 3, "{name}: {body_lines:?}");
        // What to do and whom to call look the same on every page.
        assert!(
            aside_px.windows(2).all(|w| w[0] == w[1]),
            "{name}: {aside_px:?}"
        );
        assert!(body_lines.iter().all(|&n| n >= 2), "{name}: {body_lines:?}");
        // The TV's page holds it all beside a smaller instruction; the terminal's narrower page
        // takes two.
        assert!(
            pages <= if name == "plaza-tv" { 1 } else { 2 },
            "{name}: {body_lines:?}"
        );
        let text: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        assert_eq!(text, description, "{name}");
    }
}

/// Page economy (issue 28): a long notice with a long title carries the whole title on its
/// first page only, a one-line running title after it, and the terminal shows its QR code on
/// the first and the last page of text, not on every page in between; the pages in between
/// hold more of the body than the first.
#[test]
fn continuation_pages_carry_a_running_title_and_the_terminal_its_code_twice() {
    let mut json = common::demo_json();
    let title = "云岭区人民政府办公室关于印发《云岭区农村人居环境整治提升五年行动方案（2026—2028年）》及配套考核细则的通知";
    for n in json["notices"].as_array_mut().unwrap() {
        if n["id"] == "2026-0153" {
            n["title"] = title.into();
            n["body"] = "各乡镇人民政府，区直各单位：为深入推进农村人居环境整治，持续改善村容村貌，现就有关事项通知如下。\n\n"
                .repeat(30)
                .into();
        }
    }
    let feed = noticecast::model::Feed::from_json(&json.to_string(), "economy").unwrap();
    let at = common::t("2026-11-27T10:00:00+08:00");
    for name in ["plaza-tv", "village-terminal"] {
        let mut show = noticecast::show::Show::new(
            noticecast::layout::Typesetter::new(common::fonts()),
            feed.clone(),
            common::playlist(name),
        );
        let body_of = |frame: &noticecast::layout::Frame| {
            frame
                .blocks
                .iter()
                .filter(|b| b.role == Role::Body)
                .map(|b| b.lines.len())
                .sum::<usize>()
        };
        // The pages of text: a TV's closing page (a large code, no body) comes after them.
        let pages = show.pages_of("2026-0153").unwrap();
        let text_pages = (0..pages)
            .take_while(|&p| body_of(&show.frame_of("2026-0153", p, at).unwrap()) > 0)
            .count();
        // The TV cuts a notice with an address at its `max_pages`, then the closing page.
        assert!(
            text_pages >= if name == "plaza-tv" { 2 } else { 3 },
            "{name}: {text_pages}"
        );
        let mut body_lines = Vec::new();
        for page in 0..text_pages {
            let frame = show.frame_of("2026-0153", page, at).unwrap();
            let titles: Vec<String> = frame
                .blocks
                .iter()
                .filter(|b| b.role == Role::Title)
                .flat_map(|b| b.lines.iter().map(|l| l.text.clone()))
                .collect();
            if page == 0 {
                assert!(titles.len() > 1, "{name}: {titles:?}");
                assert_eq!(titles.concat(), title, "{name}");
            } else {
                assert_eq!(titles.len(), 1, "{name} page {}: {titles:?}", page + 1);
            }
            let qr = frame
                .images
                .iter()
                .any(|i| i.role == noticecast::layout::frame::ImageRole::Qr);
            let ends = page == 0 || page + 1 == text_pages;
            if name == "village-terminal" {
                assert_eq!(qr, ends, "{name} page {}", page + 1);
            } else {
                assert!(
                    qr,
                    "{name} page {}: the TV's code stays beside the body",
                    page + 1
                );
            }
            body_lines.push(body_of(&frame));
        }
        assert!(body_lines[1] > body_lines[0], "{name}: {body_lines:?}");
    }
}

/// A long notice without a web address of its own, on a playlist that names the service's
/// public address: its QR code leads to the residents' page of it (`{public_url}/{id}`), and the
/// TV shows its first pages and the closing page instead of every page (issue 28). Without the
/// address, or for a short notice, nothing changes.
#[test]
fn a_long_notice_without_an_address_is_offered_the_residents_page() {
    let mut json = common::demo_json();
    for n in json["notices"].as_array_mut().unwrap() {
        if n["id"] == "2026-0153" {
            n.as_object_mut().unwrap().remove("url");
            n["body"] = "为深入推进农村人居环境整治，持续改善村容村貌，提升群众获得感，现就有关事项通知如下。\n\n"
                .repeat(40)
                .into();
        }
    }
    let feed = noticecast::model::Feed::from_json(&json.to_string(), "public").unwrap();
    let decode = |image: &noticecast::layout::frame::Image| -> Vec<String> {
        // Eight pixels a module, as a camera would see it.
        let (w, h) = (image.width as usize * 8, image.height as usize * 8);
        let grey = |x: usize, y: usize| {
            let i = ((y / 8) * image.width as usize + x / 8) * 4;
            image.rgba[i]
        };
        let mut prepared = rqrr::PreparedImage::prepare_from_greyscale(w, h, grey);
        prepared
            .detect_grids()
            .into_iter()
            .filter_map(|g| g.decode().ok().map(|(_, text)| text))
            .collect()
    };
    let at = common::t("2026-11-27T10:00:00+08:00");
    for name in ["plaza-tv", "village-terminal"] {
        let playlist = common::playlist(name);
        let public = playlist
            .public_page("2026-0153")
            .expect("the demo playlists name it");
        let mut show = noticecast::show::Show::new(
            noticecast::layout::Typesetter::new(common::fonts()),
            feed.clone(),
            playlist.clone(),
        );
        let pages = show.pages_of("2026-0153").unwrap();
        let first = show.frame_of("2026-0153", 0, at).unwrap();
        let codes: Vec<String> = first.images.iter().flat_map(|i| decode(&i.image)).collect();
        assert_eq!(codes, std::slice::from_ref(&public), "{name}");
        if name == "plaza-tv" {
            let max = playlist.rotation.max_pages.unwrap_or(3) as usize;
            assert_eq!(pages, max, "{name}: the first pages, then the closing code");
            let last = show.frame_of("2026-0153", pages - 1, at).unwrap();
            let codes: Vec<String> = last.images.iter().flat_map(|i| decode(&i.image)).collect();
            assert_eq!(codes, std::slice::from_ref(&public), "{name}");
        }
        // Without the public address, the same notice shows whole, with no code.
        let mut bare = playlist.clone();
        bare.public_url = None;
        bare.touch.iter_mut().for_each(|t| t.public_url = None);
        let mut show = noticecast::show::Show::new(
            noticecast::layout::Typesetter::new(common::fonts()),
            feed.clone(),
            bare,
        );
        let whole = show.pages_of("2026-0153").unwrap();
        // The TV shows every page; the terminal's pages no longer give room to a code.
        assert!(
            if name == "plaza-tv" {
                whole > pages
            } else {
                whole <= pages
            },
            "{name}"
        );
        let first = show.frame_of("2026-0153", 0, at).unwrap();
        assert!(first.images.is_empty(), "{name}");
    }
}

/// A notice written as a 公文 (fictional): its addressee flush left, its headings recognised and
/// kept with what follows, its 落款 at the right and never alone on a page.
#[test]
fn a_gongwen_is_set_by_its_conventions() {
    let body = "各镇人民政府，区直各单位：\n\n为做好今冬明春森林防火工作，现将有关事项通知如下。\n\n一、提高思想认识\n\n各单位要充分认识森林防火工作的重要性和紧迫性，切实加强组织领导，层层落实责任。\n\n（一）加强巡查\n\n1. 重点时段加密巡查频次，\n2. 重点区域设立临时检查站。\n\n特此通知。\n\n云岭区人民政府办公室\n\n2026年11月27日";
    let mut json = common::demo_json();
    for n in json["notices"].as_array_mut().unwrap() {
        if n["id"] == "2026-0153" {
            n["body"] = body.into();
        }
    }
    let feed = noticecast::model::Feed::from_json(&json.to_string(), "gongwen").unwrap();
    for name in ["plaza-tv", "village-terminal"] {
        let mut show = noticecast::show::Show::new(
            noticecast::layout::Typesetter::new(common::fonts()),
            feed.clone(),
            common::playlist(name),
        );
        let pages = show.pages_of("2026-0153").unwrap();
        let at = common::t("2026-11-27T10:00:00+08:00");
        let mut blocks = Vec::new();
        for page in 0..pages {
            let frame = show.frame_of("2026-0153", page, at).unwrap();
            let body_x = frame.areas.iter().find(|a| a.name == "body").unwrap().rect;
            for b in frame.blocks {
                blocks.push((page, b, body_x));
            }
        }
        let find = |role: noticecast::layout::Role| {
            blocks
                .iter()
                .filter(|(_, b, _)| b.role == role)
                .flat_map(|(p, b, area)| {
                    b.lines.iter().map(move |l| (*p, l.clone(), *area, b.bold))
                })
                .collect::<Vec<_>>()
        };
        use noticecast::layout::Role;
        let addressee = find(Role::Addressee);
        assert_eq!(addressee.len(), 1, "{name}");
        assert_eq!(
            addressee[0].1.x, addressee[0].2.x,
            "{name}: 主送机关 flush left"
        );
        let headings = find(Role::Heading);
        let texts: Vec<&str> = headings.iter().map(|h| h.1.text.as_str()).collect();
        assert!(texts.contains(&"一、提高思想认识"), "{name}: {texts:?}");
        assert!(texts.contains(&"（一）加强巡查"), "{name}: {texts:?}");
        assert!(
            headings.iter().any(|h| h.1.text.starts_with("一、") && h.3),
            "一、 is bold"
        );
        let signature = find(Role::Signature);
        assert_eq!(signature.len(), 2, "{name}: issuer and date");
        let (issuer, date) = (&signature[0], &signature[1]);
        assert_eq!(date.1.text, "2026年11月27日");
        assert!(
            date.1.x > date.2.x + date.2.w / 3.0,
            "{name}: the date sits at the right"
        );
        assert!(issuer.1.x > issuer.2.x, "{name}: the issuer too");
        // The signature never stands alone: the page that holds it holds text as well.
        let page = date.0;
        let text_on_page = blocks
            .iter()
            .any(|(p, b, _)| *p == page && b.role == Role::Body && !b.lines.is_empty());
        assert!(
            text_on_page,
            "{name}: the signature is kept with the end of the text"
        );
    }
}

/// On a panel of known size the QR code is sized in millimetres: at least 150 mm on the plaza's
/// 55-inch TV and the village's 32-inch terminal, so a phone reads it from 1.5 m.
#[test]
fn qr_codes_scan_from_a_step_away_on_the_panels_size() {
    for (name, id) in [("plaza-tv", "2026-0170"), ("village-terminal", "2026-0170")] {
        let playlist = common::playlist(name);
        let per_mm = playlist
            .px_per_mm()
            .expect("the bundled panels give their size");
        let mut show = common::show(name);
        let frame = show
            .frame_of(id, 0, common::t("2026-11-27T10:00:00+08:00"))
            .unwrap();
        let qr = frame.images.first().expect("a QR code");
        let mm = qr.rect.w / per_mm;
        assert!(mm >= 150.0, "{name}: the code is {mm:.0} mm");
    }
}

/// issue 28: the LED marquee is a summary of the notice, not a cut: a 低保 公示 keeps its names,
/// its 公示期 and its 监督电话 after a long preamble, the 主送机关 and the 落款 are left out, an
/// amount is never parted, and "全文详见" comes only with a web address to read it at.
#[test]
fn the_led_marquee_keeps_a_gongshis_facts() {
    let body = "各村（居）民委员会：\n\n根据《城乡居民最低生活保障审核确认办法》有关规定，经本人申请、入户调查、村民代表评议和镇人民政府审核，拟将以下5户纳入2026年第四季度农村最低生活保障范围，月保障金额合计4,620.00元。\n\n拟保对象名单：\n序号\t户主姓名\t所在村组\t月保障金额（元）\n1\t李桂芬\t龙港村三组\t1,260.00\n2\t普正华\t龙港村五组\t420.00\n3\t热依拉·艾买提\t坝心村一组\t840.00\n4\t杨丽琼\t坝心村四组\t1,260.00\n5\t王建平\t宝秀村二组\t840.00\n\n公示期为2026年11月28日至2026年12月4日。公示期间如有异议，请向镇民政办反映。\n\n监督电话：0873-4821234，12345。\n\n特此公示。\n\n宝秀镇人民政府\n2026年11月27日";
    let mut json = common::demo_json();
    for n in json["notices"].as_array_mut().unwrap() {
        if n["id"] == "2026-0172" {
            n["title"] = "宝秀镇2026年第四季度农村低保拟保对象公示".into();
            n["body"] = body.into();
        }
    }
    let at = common::t("2026-11-28T10:00:00+08:00");
    for url in [
        None,
        Some("https://www.example.gov.cn/baoxiu/2026-0172.html"),
    ] {
        let mut json = json.clone();
        for n in json["notices"].as_array_mut().unwrap() {
            if n["id"] == "2026-0172" {
                n["url"] = url.into();
            }
        }
        let feed = noticecast::model::Feed::from_json(&json.to_string(), "dibao").unwrap();
        for name in ["service-hall-led", "service-window-led"] {
            let mut show = noticecast::show::Show::new(
                noticecast::layout::Typesetter::new(common::fonts()),
                feed.clone(),
                common::playlist(name),
            );
            let frame = show.frame_of("2026-0172", 0, at).unwrap();
            let text: String = frame.chars().collect();
            for fact in [
                "公示期为2026年11月28日至2026年12月4日。",
                "监督电话：0873-4821234，12345。",
                "李桂芬、普正华、热依拉·艾买提、杨丽琼、王建平",
                "月保障金额合计4,620.00元。",
            ] {
                assert!(text.contains(fact), "{name}: {fact} in {text}");
            }
            for gone in [
                "各村（居）民委员会",
                "特此公示",
                "宝秀镇人民政府",
                "全文详见",
            ] {
                assert!(!text.contains(gone), "{name}: {gone} in {text}");
            }
            // The table's rows still run after the marquee, one a page.
            assert_eq!(show.pages_of("2026-0172").unwrap(), 6, "{name}");
        }
        // A long body is summarised; with a web address it says where the rest is.
        let mut long = json.clone();
        for n in long["notices"].as_array_mut().unwrap() {
            if n["id"] == "2026-0172" {
                let extra = "低保对象实行动态管理，家庭收入、财产和人口状况发生变化的，应当及时告知镇人民政府。".repeat(6);
                n["body"] = body
                    .replace("\n\n公示期为", &format!("\n\n{extra}\n\n公示期为"))
                    .into();
            }
        }
        let feed = noticecast::model::Feed::from_json(&long.to_string(), "dibao").unwrap();
        let mut show = noticecast::show::Show::new(
            noticecast::layout::Typesetter::new(common::fonts()),
            feed,
            common::playlist("service-hall-led"),
        );
        let text: String = show.frame_of("2026-0172", 0, at).unwrap().chars().collect();
        assert!(text.contains("监督电话：0873-4821234，12345。"), "{text}");
        assert_eq!(
            text.contains("（全文详见政务公开网站 www.example.gov.cn）"),
            url.is_some(),
            "{url:?}: {text}"
        );
    }
}
