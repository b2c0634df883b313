//! Issue 28: one notice per line-breaking rule, laid out on the TV and the terminal (at their
//! own sizes and at the 1366x768 / 768x1366 of cheap panels), checked on the lines
//! `render --lines-json` writes: no line starts with a dash; numbers with their units, names
//! with a 间隔号, names in a list, labels with their values never split; addresses broken only
//! after `/`, `.` or `-`; no last line of one character; justification no looser than 0.15 em.

mod common;

use noticecast::layout::Typesetter;
use noticecast::model::Feed;
use noticecast::show::Show;
use serde_json::{Value, json};

/// Lead-ins of different lengths, so that each rule's text meets the line's end at many places.
const LEAD: &str =
    "根据《云岭区人民政府信息公开工作规定》和上级有关文件精神，经研究决定，现将有关事项公告如下";

fn paragraphs(sentence: &str) -> String {
    (1..15)
        .map(|k| {
            let lead: String = LEAD.chars().take(k * 3).collect();
            format!("{lead}{sentence}")
        })
        .collect::<Vec<_>>()
        .join("\n\n")
}

struct Case {
    id: &'static str,
    title: &'static str,
    sentence: &'static str,
    /// Never split across two lines.
    whole: &'static [&'static str],
    /// Broken only after `/`, `.` or `-`.
    addresses: &'static [&'static str],
}

const CASES: &[Case] = &[
    Case {
        id: "dash",
        title: "关于印发《云岭区城乡居民增收三年行动方案（2026—2028年）》的通知",
        sentence: "，本次改造惠及3,200户居民——涉及老旧小区12个——实施期限为2026年—2028年（2026—2028年）。",
        whole: &["3,200户", "12个", "2026年—2028年", "（2026—2028年）。"],
        addresses: &[],
    },
    Case {
        id: "units",
        title: "东岭村2027年第三季度村务公开：巡查补助58,600.00元",
        sentence: "：本季度拨付巡查补助58,600.00元，全区累计投入12.8亿元，惠及1.2万人，参保率达98.5%，依据第3条，公示期为2026年11月30日至12月4日。",
        whole: &[
            "58,600.00元",
            "12.8亿元",
            "1.2万人",
            "98.5%",
            "第3条",
            "2026年",
            "11月",
            "30日",
        ],
        addresses: &[],
    },
    Case {
        id: "names",
        title: "关于热依拉・艾买提等同志拟纳入最低生活保障范围的公示",
        sentence: "，经村民代表会议评议，拟将热依拉・艾买提、阿卜杜拉·买买提、古丽米拉•吐尔逊、张三、李　四、欧阳娜娜纳入保障范围。",
        whole: &[
            "热依拉・艾买提、",
            "阿卜杜拉·买买提、",
            "古丽米拉•吐尔逊、",
            "张三、",
            "李　四、",
        ],
        addresses: &[],
    },
    Case {
        id: "addresses",
        title: "关于公开征求意见的公告",
        sentence: "，全文详见https://www.yunling.gov.cn/zwgk/2026/1127/notice-0153.html，意见请发送至zwgk@yunling.gov.cn。",
        whole: &[],
        addresses: &[
            "https://www.yunling.gov.cn/zwgk/2026/1127/notice-0153.html",
            "zwgk@yunling.gov.cn",
        ],
    },
    Case {
        id: "labels",
        title: "关于做好冬季森林防灭火工作的通告",
        sentence: "。监督电话：0871-1234567；电子邮箱：zwgk@yunling.gov.cn；发现火情请拨打火警 119。",
        whole: &["监督电话：0871-1234567", "电子邮箱：zwgk@", "火警 119"],
        addresses: &["zwgk@yunling.gov.cn"],
    },
];

fn feed() -> Feed {
    let mut doc = common::demo_json();
    let notices: Vec<Value> = CASES
        .iter()
        .map(|c| {
            json!({
                "id": c.id,
                "category": "policy",
                "priority": "normal",
                "title": c.title,
                "body": paragraphs(c.sentence),
                "issuer": "云岭区人民政府办公室",
                "published_at": "2026-11-27T09:00:00+08:00",
                "valid_from": "2026-11-27T09:00:00+08:00",
                "contact": "区森林防火值班电话 0871-6000123；火警 119；急救 120",
            })
        })
        .collect();
    doc["notices"] = Value::Array(notices);
    Feed::from_json(&doc.to_string(), "line breaks feed").unwrap()
}

const SCREENS: &[(&str, Option<(u32, u32)>)] = &[
    ("plaza-tv", None),
    ("village-terminal", None),
    ("plaza-tv", Some((1366, 768))),
    ("village-terminal", Some((768, 1366))),
];

/// The lines of `role`s on every page of a notice, in order (the aside once: it is the same on
/// every page).
fn lines(show: &mut Show, id: &str, roles: &[&str]) -> Vec<String> {
    let now = common::t("2026-11-27T10:00:00+08:00");
    let pages = show.pages_of(id).expect("the notice has pages");
    let mut out = Vec::new();
    for page in 0..pages {
        let frame = show.frame_of(id, page, now).unwrap();
        // Justification is never looser than 0.15 em a gap.
        for block in &frame.blocks {
            for line in &block.lines {
                assert!(
                    line.justify_px <= block.px * 0.15 + 1e-3,
                    "{id}: {:?} stretched {} px a gap at {} px",
                    line.text,
                    line.justify_px,
                    block.px
                );
            }
        }
        let fonts = show.typesetter().fonts();
        let json = frame.lines_json(|t, px, bold, bitmap| fonts.width_for(t, px, bold, bitmap));
        for block in json["blocks"].as_array().unwrap() {
            let role = block["role"].as_str().unwrap();
            if !roles.contains(&role) || (role == "aside" && page > 0) {
                continue;
            }
            for line in block["lines"].as_array().unwrap() {
                out.push(line["text"].as_str().unwrap().to_string());
            }
        }
    }
    out
}

/// How often `piece` occurs in `text` (non-overlapping).
fn count(text: &str, piece: &str) -> usize {
    text.matches(piece).count()
}

#[test]
fn every_rule_holds_on_the_tv_and_the_terminal() {
    let feed = feed();
    for &(name, output) in SCREENS {
        let mut show = Show::new(
            Typesetter::new(common::fonts()),
            feed.clone(),
            common::playlist(name),
        );
        if let Some(output) = output {
            show.set_output(output);
        }
        let screen = format!("{name} {output:?}");
        for case in CASES {
            let body = lines(
                &mut show,
                case.id,
                &["body", "heading", "addressee", "signature"],
            );
            let title = lines(&mut show, case.id, &["title"]);
            let aside = lines(&mut show, case.id, &["aside"]);
            let text = paragraphs(case.sentence);
            for all in [&body, &title, &aside] {
                for line in all.iter().skip(1) {
                    assert!(
                        !line.starts_with(['—', '–', '～']),
                        "{screen} {}: a line starts with a dash: {all:?}",
                        case.id
                    );
                }
            }
            // Each piece is found whole on its lines as often as the text set on screen holds
            // it (a title on the terminal's home list is cut, so only the notice's own title
            // counts; a long notice on the TV leaves its tail to the closing page's code).
            let shown: String = body.concat();
            let set: String = text.chars().filter(|c| *c != '\n').collect();
            assert!(
                shown.chars().count() > 200 && set.starts_with(&shown),
                "{screen} {}: the lines are not the notice's text from its start: {body:?}",
                case.id
            );
            for piece in case.whole {
                let whole: usize = body.iter().map(|l| count(l, piece)).sum();
                assert_eq!(
                    whole,
                    count(&shown, piece),
                    "{screen} {}: {piece:?} split: {body:?}",
                    case.id
                );
            }
            if title.concat() == case.title {
                for piece in ["2026—2028年", "2027年", "58,600.00元", "热依拉・艾买提"]
                {
                    if case.title.contains(piece) {
                        assert!(
                            title.iter().any(|l| l.contains(piece)),
                            "{screen}: {piece:?} split in the title {title:?}"
                        );
                    }
                }
            }
            for address in case.addresses {
                for pair in body.windows(2) {
                    let (end, start) = (pair[0].as_str(), pair[1].as_str());
                    // A break inside the address: the line ends with a part of it and the next
                    // starts with the rest.
                    let split = (1..address.len())
                        .filter(|&k| address.is_char_boundary(k))
                        .any(|k| end.ends_with(&address[..k]) && start.starts_with(&address[k..]));
                    if split {
                        assert!(
                            end.ends_with(['/', '.', '-']),
                            "{screen} {}: {address} broken inside a label: {end:?} / {start:?}",
                            case.id
                        );
                    }
                }
            }
            // The contact keeps 火警 with 119 (the 火警 / 119).
            assert!(
                aside.iter().any(|l| l.contains("火警 119")),
                "{screen} {}: {aside:?}",
                case.id
            );
            // No line of one character: every paragraph here is longer than a line.
            for line in &body {
                let letters = line.chars().filter(|c| c.is_alphanumeric()).count();
                assert!(
                    letters > 1,
                    "{screen} {}: a line of one character {line:?} in {body:?}",
                    case.id
                );
            }
        }
    }
}
