//! Random notices on every screen: no line leaves its area and no area overlaps another, on every
//! page, on every playlist in `playlists/` and on the sizes cheap panels really have (a 1366x768
//! TV, a 768x1366 terminal, a 192x32 LED). The areas and line boxes are the ones
//! `render --lines-json` writes.

mod common;

use noticecast::layout::{Rect, Typesetter};
use noticecast::model::Feed;
use noticecast::show::Show;
use proptest::prelude::*;
use serde_json::{Value, json};

const PHRASES: &[&str] = &[
    "为进一步做好城乡居民基本医疗保险参保工作",
    "根据《中华人民共和国政府信息公开条例》规定",
    "现将有关事项通知如下：",
    "请各村（社区）于2026年12月31日前完成",
    "咨询电话：0871-6000 1234",
    "详见https://www.example.gov.cn/yunling/2026/1127/notice-0153.html",
    "WiFi、5G基站和GDP统计口径",
    "一、总体要求",
    "（二）工作任务",
    "1. 加强组织领导",
    "“数字乡村”建设试点（第二批）名单",
    "特此通知。",
    "阿卜杜热合曼·吐尔逊",
    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "3.14159265358979323846264338327950288419716939937510",
    "云岭区人民政府办公室",
    "2026年11月27日",
];

fn text(picks: &[usize]) -> String {
    picks.iter().map(|&i| PHRASES[i % PHRASES.len()]).collect()
}

#[derive(Debug, Clone)]
struct Case {
    title: Vec<usize>,
    paragraphs: Vec<(Vec<usize>, bool)>,
    url: bool,
    emergency: bool,
    aside: bool,
}

fn cases() -> impl Strategy<Value = Case> {
    (
        prop::collection::vec(0usize..PHRASES.len(), 1..4),
        prop::collection::vec(
            (
                prop::collection::vec(0usize..PHRASES.len(), 1..12),
                any::<bool>(),
            ),
            1..10,
        ),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(title, paragraphs, url, emergency, aside)| Case {
            title,
            paragraphs,
            url,
            emergency,
            aside,
        })
}

fn feed_of(case: &Case) -> Feed {
    let title: String = text(&case.title).chars().take(120).collect();
    let body = case
        .paragraphs
        .iter()
        .map(|(p, forced)| {
            let t = text(p);
            // Some paragraphs hold forced line breaks (a list under a heading).
            if *forced {
                t.replacen('，', "，\n", 2)
            } else {
                t
            }
        })
        .collect::<Vec<_>>()
        .join("\n\n");
    let mut notice = json!({
        "id": "p-1",
        "category": "policy",
        "priority": if case.emergency { "emergency" } else { "normal" },
        "title": title,
        "body": body,
        "issuer": "云岭区人民政府办公室",
        "published_at": "2026-11-27T09:00:00+08:00",
        "valid_from": "2026-11-27T09:00:00+08:00",
    });
    if case.url {
        notice["url"] = "https://www.example.gov.cn/yunling/2026/1127.html".into();
    }
    if case.emergency {
        notice["level"] = "orange".into();
    }
    if case.aside {
        notice["instruction"] =
            "立即停止户外作业，远离河道、山体和低洼地带；听从村（社区）干部指挥转移。".into();
        notice["contact"] = "区防汛值班电话 0871-6000 1234；报警 110".into();
    }
    let mut doc = common::demo_json();
    doc["notices"] = Value::Array(vec![notice]);
    Feed::from_json(&doc.to_string(), "property feed").unwrap()
}

/// The screens: every bundled playlist at its own size, and three panels as bought.
const SCREENS: &[(&str, Option<(u32, u32)>)] = &[
    ("plaza-tv", None),
    ("village-terminal", None),
    ("service-hall-led", None),
    ("service-window-led", None),
    ("plaza-tv", Some((1366, 768))),
    ("village-terminal", Some((768, 1366))),
];

fn inside(inner: &Rect, outer: &Rect) -> bool {
    const SLACK: f32 = 1.0;
    inner.x >= outer.x - SLACK
        && inner.y >= outer.y - SLACK
        && inner.x + inner.w <= outer.x + outer.w + SLACK
        && inner.y + inner.h <= outer.y + outer.h + SLACK
}

fn overlap(a: &Rect, b: &Rect) -> bool {
    let w = (a.x + a.w).min(b.x + b.w) - a.x.max(b.x);
    let h = (a.y + a.h).min(b.y + b.h) - a.y.max(b.y);
    w > 0.5 && h > 0.5
}

/// The area a role's lines belong to; running text (ticker, marquee) is clipped by its band.
fn area_of(role: &str) -> Option<&'static str> {
    match role {
        "header" => Some("header"),
        "title" => Some("title"),
        "body" | "addressee" | "heading" | "lead_in" | "document_title" | "signature" => {
            Some("body")
        }
        "aside" => Some("aside"),
        "caption" => Some("qr"),
        "footer" => Some("footer"),
        _ => None,
    }
}

fn check(case: &Case) -> Result<(), String> {
    let feed = feed_of(case);
    let now = common::t("2026-11-27T10:00:00+08:00");
    for &(name, output) in SCREENS {
        let mut show = Show::new(
            Typesetter::new(common::fonts()),
            feed.clone(),
            common::playlist(name),
        );
        if let Some(output) = output {
            show.set_output(output);
        }
        let pages = show.pages_of("p-1").ok_or("no pages")?;
        for page in 0..pages {
            let frame = show.frame_of("p-1", page, now).map_err(|e| e.to_string())?;
            let fonts = show.typesetter().fonts();
            let json = frame.lines_json(|t, px, bold, bitmap| fonts.width_for(t, px, bold, bitmap));
            let screen = format!("{name} {output:?} page {}/{pages}", page + 1);
            let page_rect = Rect::new(0.0, 0.0, frame.width as f32, frame.height as f32);
            for (i, a) in frame.areas.iter().enumerate() {
                if !inside(&a.rect, &page_rect) {
                    return Err(format!(
                        "{screen}: area {} {:?} leaves the page",
                        a.name, a.rect
                    ));
                }
                for b in &frame.areas[i + 1..] {
                    if overlap(&a.rect, &b.rect) {
                        return Err(format!(
                            "{screen}: areas {} and {} overlap: {:?} {:?}",
                            a.name, b.name, a.rect, b.rect
                        ));
                    }
                }
            }
            for block in json["blocks"].as_array().unwrap() {
                let role = block["role"].as_str().unwrap();
                if block["lines"].as_array().is_none_or(|l| l.is_empty()) {
                    continue;
                }
                let Some(mut area) = area_of(role) else {
                    continue;
                };
                // An LED's fixed top row is its label.
                if area == "title" && frame.areas.iter().any(|a| a.name == "label") {
                    area = "label";
                }
                let Some(rect) = frame.areas.iter().find(|a| a.name == area) else {
                    if frame.areas.is_empty() {
                        continue; // an LED strip: only its bands are areas
                    }
                    return Err(format!("{screen}: {role} text without a {area} area"));
                };
                for line in block["lines"].as_array().unwrap() {
                    let f = |k: &str| line[k].as_f64().unwrap() as f32;
                    let b = Rect::new(f("x"), f("y"), f("w"), f("h"));
                    if !inside(&b, &rect.rect) {
                        return Err(format!(
                            "{screen}: {role} line {:?} at {b:?} leaves the {area} area {:?}",
                            line["text"], rect.rect
                        ));
                    }
                }
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn no_line_leaves_its_area_and_no_areas_overlap(case in cases()) {
        if let Err(e) = check(&case) {
            prop_assert!(false, "{}", e);
        }
    }
}

/// Titles break between words: on the TV and the terminal, every line of every demo title (and
/// of titles written to tempt a bad break) ends where a word ends, by jieba's dictionary and the
/// issuer's names.
#[test]
fn titles_break_between_words() {
    let mut doc = common::demo_json();
    let extra = [
        "关于做好2026年度数字乡村建设和城乡居民基本医疗保险参保缴费工作的通知",
        "云岭区城关镇东岭村关于2026年度农村最低生活保障对象评审结果的公示",
        "关于开展冬季森林草原防灭火和燃气安全隐患排查整治专项行动的通告",
    ];
    let template = doc["notices"][0].clone();
    for (i, title) in extra.iter().enumerate() {
        let mut n = template.clone();
        n["id"] = format!("title-{i}").into();
        n["title"] = (*title).into();
        n["issuer"] = "云岭区城关镇东岭村村民委员会".into();
        doc["notices"].as_array_mut().unwrap().push(n);
    }
    let feed = Feed::from_json(&doc.to_string(), "titles feed").unwrap();
    let now = common::t("2026-11-27T10:00:00+08:00");
    let mut checked = 0;
    for name in ["plaza-tv", "village-terminal"] {
        for output in [None, Some((1366, 768)), Some((768, 1366))] {
            let mut show = Show::new(
                Typesetter::new(common::fonts()),
                feed.clone(),
                common::playlist(name),
            );
            if let Some(output) = output {
                show.set_output(output);
            }
            for notice in &feed.document().notices {
                let starts = noticecast::layout::words::word_starts(&notice.title, &notice.names());
                let frame = show.frame_of(&notice.id, 0, now).unwrap();
                let fonts = show.typesetter().fonts();
                let json =
                    frame.lines_json(|t, px, bold, bitmap| fonts.width_for(t, px, bold, bitmap));
                let lines: Vec<&str> = json["blocks"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter(|b| b["role"] == "title")
                    .flat_map(|b| b["lines"].as_array().unwrap())
                    .map(|l| l["text"].as_str().unwrap())
                    .collect();
                if lines.concat() != notice.title {
                    continue; // a terminal's title on its home list is cut, not broken
                }
                let mut at = 0;
                for line in &lines[..lines.len().saturating_sub(1)] {
                    at += line.chars().count();
                    assert!(
                        starts[at],
                        "{name} {output:?}: {:?} breaks inside a word after {line:?}",
                        notice.title
                    );
                    checked += 1;
                }
            }
        }
    }
    assert!(checked >= 10, "only {checked} title breaks checked");
}
