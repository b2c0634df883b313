//! Tables in a notice's body (tab-separated lines, as Word, WPS and Excel copy them) on every
//! kind of screen: columns on the TV, cards where columns cannot fit, one row at a time on the
//! LED; validated with the line named.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use noticecast::layout::{Frame, Role};
use noticecast::model::Feed;
use noticecast::show::Show;

const NOW: &str = "2026-11-27T10:00:00+08:00";

/// The 拟录用人员公示 as a clerk pastes it from Word: a lead-in, the table, the 公示期 and the
/// 落款.
fn hiring_body(rows: usize) -> String {
    hiring_body_after("经笔试、面试、体检和考察，拟录用以下人员：", rows)
}

fn hiring_body_after(lead: &str, rows: usize) -> String {
    let people = [
        ("张三", "男", "1998.05", "本科", "云南大学", "综合管理岗"),
        (
            "李四",
            "女",
            "1999.11",
            "硕士研究生",
            "昆明理工大学",
            "财务岗",
        ),
        (
            "王五",
            "男",
            "1997.02",
            "本科",
            "云南师范大学",
            "乡村振兴工作岗",
        ),
    ];
    let mut body = format!("{lead}\n\n");
    body.push_str("姓名\t性别\t出生年月\t学历\t毕业院校\t拟录用职位\n");
    for r in 0..rows {
        let p = people[r % people.len()];
        let name = format!("{}{}", p.0, r + 1);
        body.push_str(&[name.as_str(), p.1, p.2, p.3, p.4, p.5].join("\t"));
        body.push('\n');
    }
    body.push_str("\n公示期为7个工作日。\n\n云岭区人力资源和社会保障局\n\n2026年11月27日");
    body
}

fn show_with(playlist: &str, body: &str) -> Show {
    let mut json = common::demo_json();
    let mut notice = json["notices"][0].clone();
    notice["id"] = "2026-T01".into();
    notice["title"] = "云岭区2026年公开招聘事业单位工作人员拟录用人员公示".into();
    notice["body"] = body.into();
    notice.as_object_mut().unwrap().remove("url");
    json["notices"] = serde_json::json!([notice]);
    let feed = Feed::from_json(&json.to_string(), "test").expect("a valid feed");
    Show::new(
        noticecast::layout::Typesetter::new(common::fonts()),
        feed,
        common::playlist(playlist),
    )
}

fn frames(show: &mut Show) -> Vec<Frame> {
    let pages = show.pages_of("2026-T01").unwrap();
    (0..pages)
        .map(|p| show.frame_of("2026-T01", p, common::t(NOW)).unwrap())
        .collect()
}

/// The cells' lines of a frame: (role, table, row, col) → the lines' (text, x, y).
fn cells(show: &mut Show, frame: &Frame) -> Vec<(String, usize, usize, f64, f64, f64, String)> {
    let fonts = show.typesetter().fonts();
    let json = frame.lines_json(|t, px, bold, bitmap| fonts.width_for(t, px, bold, bitmap));
    let mut out = Vec::new();
    for block in json["blocks"].as_array().unwrap() {
        let role = block["role"].as_str().unwrap().to_string();
        for l in block["lines"].as_array().unwrap() {
            if let Some(row) = l["row"].as_u64() {
                assert!(role == "table_header" || role == "table_cell", "{role}");
                assert_eq!(l["table"], 0);
                out.push((
                    role.clone(),
                    row as usize,
                    l["col"].as_u64().unwrap() as usize,
                    l["x"].as_f64().unwrap(),
                    l["y"].as_f64().unwrap(),
                    l["w"].as_f64().unwrap(),
                    l["text"].as_str().unwrap().to_string(),
                ));
            } else {
                assert!(role != "table_header" && role != "table_cell", "{l}");
            }
        }
    }
    out
}

#[test]
fn the_pasted_table_reads_as_a_table_on_the_tv() {
    let mut show = show_with("plaza-tv", &hiring_body(3));
    let frames = frames(&mut show);
    let frame = &frames[0];
    let cells = cells(&mut show, frame);
    // The header row: six cells, bold, left to right on one line.
    let header: Vec<_> = cells.iter().filter(|c| c.0 == "table_header").collect();
    let names: Vec<&str> = header.iter().map(|c| c.6.as_str()).collect();
    assert_eq!(
        names,
        ["姓名", "性别", "出生年月", "学历", "毕业院校", "拟录用职位"]
    );
    assert!(header.iter().all(|c| c.1 == 0 && c.4 == header[0].4));
    assert!(header.windows(2).all(|w| w[0].3 < w[1].3));
    let bold = frame.blocks.iter().find(|b| b.role == Role::TableHeader);
    assert!(bold.unwrap().bold);
    // Every row's cells on one line, each under its header's column, words never split.
    for row in 1..=3 {
        let line: Vec<_> = cells.iter().filter(|c| c.1 == row).collect();
        assert_eq!(line.len(), 6, "row {row}: {line:?}");
        for c in &line {
            assert_eq!(c.4, line[0].4, "row {row} on one line");
            // Flush left under its header, or (numbers) flush right.
            let head = header[c.2];
            let left = (c.3 - head.3).abs() < 1.0;
            let right = (c.3 + c.5 - head.3 - head.5).abs() < 1.0;
            assert!(left || right, "{c:?} under {head:?}");
        }
    }
    assert!(cells.iter().any(|c| c.6 == "云南大学"));
    assert!(cells.iter().any(|c| c.6 == "昆明理工大学"));
    // The header band and every other row are shaded.
    let body = frame.areas.iter().find(|a| a.name == "body").unwrap().rect;
    let shaded = frame
        .fills
        .iter()
        .filter(|f| f.rect.y >= body.y && f.rect.bottom() <= body.bottom() + 1.0)
        .count();
    assert!(shaded >= 2, "header band and row 2: {shaded}");
    // The text around the table is still there (a lead-in, not a 主送机关), and the 落款.
    let text = |frame: &Frame, role: Role| -> String {
        frame
            .blocks
            .iter()
            .filter(|b| b.role == role)
            .flat_map(|b| b.lines.iter().map(|l| l.text.clone()))
            .collect()
    };
    assert!(text(frame, Role::Body).contains("拟录用以下人员"));
    let last = frames.last().unwrap();
    assert!(text(last, Role::Signature).contains("云岭区人力资源和社会保障局"));
}

#[test]
fn a_long_table_keeps_its_header_on_every_page_and_never_splits_a_row() {
    let mut show = show_with("plaza-tv", &hiring_body(60));
    // Every page of it: with a residents' page to point to, the TV would show the first pages
    // and a closing code (issue 28), which the next test checks.
    let mut playlist = common::playlist("plaza-tv");
    playlist.public_url = None;
    show.set_playlist(playlist);
    let frames = frames(&mut show);
    assert!(frames.len() >= 4, "{} pages", frames.len());
    let mut seen: BTreeMap<usize, usize> = BTreeMap::new();
    for (p, frame) in frames.iter().enumerate() {
        let cells = cells(&mut show, frame);
        if cells.is_empty() {
            continue;
        }
        // A page with rows opens its table part with the header.
        let top = cells.iter().map(|c| c.4).fold(f64::MAX, f64::min);
        let headers: Vec<_> = cells.iter().filter(|c| c.1 == 0).collect();
        assert_eq!(headers.len(), 6, "page {p} has the header");
        assert!(headers.iter().all(|c| c.4 == top), "page {p}: header first");
        let rows: BTreeSet<usize> = cells.iter().map(|c| c.1).filter(|r| *r > 0).collect();
        for r in rows {
            let n = cells.iter().filter(|c| c.1 == r).count();
            assert_eq!(n, 6, "page {p}: row {r} whole");
            assert!(seen.insert(r, p).is_none(), "row {r} on two pages");
        }
    }
    assert_eq!(seen.len(), 60, "every row shown once: {seen:?}");
}

/// With the playlist's residents' page (`public_url`), a long table on the TV is its first pages,
/// whole rows under their header, then a closing page whose code leads to the rest.
#[test]
fn the_tv_shows_a_long_tables_first_pages_then_a_code_for_the_rest() {
    let mut show = show_with("plaza-tv", &hiring_body(60));
    let frames = frames(&mut show);
    let last = frames.last().unwrap();
    let caption: String = last
        .blocks
        .iter()
        .filter(|b| b.role == Role::Caption)
        .flat_map(|b| b.lines.iter().map(|l| l.text.clone()))
        .collect();
    assert!(caption.contains("扫码阅读全文"), "{caption:?}");
    let mut rows: Vec<usize> = Vec::new();
    for frame in &frames {
        let cells = cells(&mut show, frame);
        if cells.is_empty() {
            continue;
        }
        assert_eq!(cells.iter().filter(|c| c.1 == 0).count(), 6, "the header");
        let on_page: BTreeSet<usize> = cells.iter().map(|c| c.1).filter(|r| *r > 0).collect();
        rows.extend(on_page);
    }
    // The rows shown are the table's first ones, in order, each once.
    assert!(rows.len() >= 10 && rows.len() < 60, "{rows:?}");
    assert_eq!(rows, (1..=rows.len()).collect::<Vec<_>>());
}

#[test]
fn numbers_are_set_flush_right() {
    let body = "户主\t人口\t月保障金额（元）\n张三\t3\t1,260.00\n李四\t1\t420.00\n王五\t2\t840.00";
    let mut show = show_with("plaza-tv", body);
    let frame = &frames(&mut show)[0];
    let cells = cells(&mut show, frame);
    let right = |col: usize| -> Vec<f64> {
        cells
            .iter()
            .filter(|c| c.2 == col && c.1 > 0)
            .map(|c| (c.3 + c.5).round())
            .collect()
    };
    let amounts = right(2);
    assert_eq!(amounts.len(), 3);
    assert!(
        amounts.iter().all(|x| (x - amounts[0]).abs() <= 1.0),
        "{amounts:?}"
    );
    let lefts: Vec<f64> = cells
        .iter()
        .filter(|c| c.2 == 0 && c.1 > 0)
        .map(|c| c.3)
        .collect();
    assert!(lefts.iter().all(|x| *x == lefts[0]), "names flush left");
}

#[test]
fn a_table_too_wide_for_the_screen_becomes_cards() {
    // On the terminal (portrait, large type) six columns of names do not fit: a card per row.
    let mut show = show_with("village-terminal", &hiring_body(3));
    let frames = frames(&mut show);
    let all: Vec<_> = frames
        .iter()
        .flat_map(|f| cells(&mut show, f))
        .collect::<Vec<_>>();
    assert!(all.iter().all(|c| c.0 == "table_cell"), "no header row");
    let texts: Vec<&str> = all.iter().map(|c| c.6.as_str()).collect();
    assert!(texts.contains(&"姓名：张三1"), "{texts:?}");
    assert!(texts.contains(&"毕业院校：云南大学"), "{texts:?}");
    assert!(texts.contains(&"拟录用职位：财务岗"), "{texts:?}");
    // A card is never split over two pages.
    for row in 1..=3 {
        let pages: BTreeSet<usize> = frames
            .iter()
            .enumerate()
            .filter(|(_, f)| cells(&mut show, f).iter().any(|c| c.1 == row))
            .map(|(p, _)| p)
            .collect();
        assert_eq!(pages.len(), 1, "row {row} on pages {pages:?}");
    }
}

#[test]
fn the_led_runs_one_row_at_a_time_under_the_tables_title() {
    let body = hiring_body_after("拟录用人员名单：", 3);
    let mut show = show_with("service-hall-led", &body);
    let pages = show.pages_of("2026-T01").unwrap();
    assert_eq!(pages, 4, "the text, then a page per row");
    let frame = show.frame_of("2026-T01", 2, common::t(NOW)).unwrap();
    let label = frame.blocks.iter().find(|b| b.role == Role::Title).unwrap();
    assert_eq!(label.lines[0].text, "拟录用人员名单");
    let marquee = frame
        .blocks
        .iter()
        .find(|b| b.role == Role::Marquee)
        .unwrap();
    let text = &marquee.lines[0].text;
    assert!(text.starts_with("（2/3）姓名：李四2"), "{text}");
    assert!(text.contains("毕业院校：昆明理工大学"), "{text}");
    // The first page runs the text without the table's tabs; a 公示's names are in it, the
    // rest of each row on the row's own page (issue 28).
    let first = show.frame_of("2026-T01", 0, common::t(NOW)).unwrap();
    let marquee = first
        .blocks
        .iter()
        .find(|b| b.role == Role::Marquee)
        .unwrap();
    let text = &marquee.lines[0].text;
    assert!(
        text.contains("拟录用人员名单：张三1、李四2、王五3。"),
        "{text}"
    );
    assert!(
        !text.contains('\t') && !text.contains("昆明理工大学"),
        "{text}"
    );
    let label = first.blocks.iter().find(|b| b.role == Role::Title).unwrap();
    assert_ne!(label.lines[0].text, "拟录用人员名单", "the notice's kind");
    assert!(!marquee.lines[0].text.contains('〓'));
}

#[test]
fn a_row_with_another_number_of_cells_is_refused_naming_the_line() {
    let mut json = common::demo_json();
    json["notices"][0]["body"] = "名单如下：\n\n姓名\t性别\n张三\t男\n李四\t男\t多余\n".into();
    let err = Feed::from_json(&json.to_string(), "feed.json").unwrap_err();
    let text = err.to_string();
    assert!(text.contains("notices[0].body"), "{text}");
    assert!(text.contains("line 5"), "{text}");
    let zh = err.list()[0].reason.zh();
    assert!(zh.contains("第 5 行"), "{zh}");
    // Tabs are table cells, not a control character, in a body; not in a title.
    json["notices"][0]["body"] = "名单如下：\n\n姓名\t性别\n张三\t男".into();
    Feed::from_json(&json.to_string(), "feed.json").expect("a table is valid");
    // `check` says it in Chinese too, under the English line.
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("feed.json");
    let mut ragged = json.clone();
    ragged["notices"][0]["body"] = "名单如下：\n\n姓名\t性别\n张三\t男\t多余".into();
    std::fs::write(&bad, ragged.to_string()).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_noticecast"))
        .arg("check")
        .arg(&bad)
        .current_dir(common::root())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(err.contains("notices[0].body: line 4"), "{err}");
    assert!(
        err.contains("第 4 行是表格的一行，有 3 格，而表头有 2 格"),
        "{err}"
    );
    json["notices"][0]["title"] = "标题\t带制表符".into();
    let err = Feed::from_json(&json.to_string(), "feed.json").unwrap_err();
    assert!(err.to_string().contains("notices[0].title"), "{err}");
}

/// The 落款 right after a table is still the 落款: the issuer and the date at the right.
#[test]
fn the_signature_after_a_table_is_set_as_one() {
    let body = "姓名\t金额（元）\n张三\t800\n李四\t600\n\n云岭区民政局\n\n2026年11月27日";
    let mut show = show_with("plaza-tv", body);
    let frames = frames(&mut show);
    let signature: Vec<String> = frames
        .iter()
        .flat_map(|f| f.blocks.iter().filter(|b| b.role == Role::Signature))
        .flat_map(|b| b.lines.iter().map(|l| l.text.clone()))
        .collect();
    assert_eq!(signature, ["云岭区民政局", "2026年11月27日"]);
}
