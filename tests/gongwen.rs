//! Issue 28: a notice's closing parts and headings as GB/T 9704 sets them, on the TV, the
//! terminal's rotation and the touch reader: the 落款 in the forms offices type it, the 附件
//! list, numbered siblings alike (a sentence gets a bold lead-in), an 印发 notice's document
//! title. On notices of our own (fictional), checked as the frame and `--lines-json` give them.

mod common;

use noticecast::layout::linebreak::stretch_points;
use noticecast::layout::page::{BodyLine, LineKind};
use noticecast::layout::{Frame, Rect, Role, Typesetter};
use noticecast::model::Feed;
use noticecast::show::Show;

const NOW: &str = "2026-11-28T10:00:00+08:00";

/// A 通知 of a district's civil affairs bureau, signed by two offices, the date in 汉字.
const AUTHENTICATION: &str = "各村（社区）：\n\n为做好2026年度高龄津贴资格认证工作，现将有关事项通知如下：\n\n一、认证对象：全区年满80周岁的老年人，共计1,286人。\n\n二、认证方式：本人持身份证到户籍所在地村（社区）便民服务站现场认证，行动不便的由村（社区）工作人员入户认证，也可通过“云岭民政”小程序人脸识别认证。\n\n三、认证时间\n\n2026年12月1日至12月31日，逾期未认证的暂停发放津贴，认证后恢复发放并补发。\n\n四、工作要求\n\n（一）加强宣传\n\n（二）规范认证：认证照片须为本人近期正面免冠照片，不得代认、冒认。\n\n联系人：李明\n联系电话：0871-6612345\n\n附件：1. 云岭区2026年度高龄津贴认证对象名单\n　　　2. 高龄津贴资格认证表\n　　　3. 入户认证申请表\n\n云岭区民政局\n云岭区财政局\n\n二〇二六年十一月二十八日";

/// An 印发 notice: its own text and 落款, then the document it carries under its title.
const FORWARDING: &str = "各镇人民政府，区直各单位：\n\n现将《云岭区农村人居环境整治提升行动方案（2026—2028年）》印发给你们，请结合实际认真贯彻落实。\n\n云岭区人民政府办公室\n\n2026年11月28日\n\n云岭区农村人居环境整治提升行动方案（2026—2028年）\n\n为持续改善农村人居环境，建设宜居宜业和美乡村，制定本方案。\n\n一、总体要求\n\n坚持因地制宜、分类施策，到2028年全区农村卫生厕所普及率达到95%以上。";

fn feed_with(id: &str, body: &str, issuer: &str, contact: Option<&str>) -> Feed {
    let mut json = common::demo_json();
    for n in json["notices"].as_array_mut().unwrap() {
        if n["id"] == id {
            n["body"] = body.into();
            n["issuer"] = issuer.into();
            n.as_object_mut().unwrap().remove("url");
            if let Some(c) = contact {
                n["contact"] = c.into();
            }
        }
    }
    Feed::from_json(&json.to_string(), "gongwen").expect("a valid feed")
}

/// A body line as drawn: its page, role, weight, size, text and box.
#[derive(Debug, Clone)]
struct Drawn {
    page: usize,
    role: Role,
    bold: bool,
    px: f32,
    text: String,
    x: f32,
    y: f32,
    /// Its width as drawn, justification included.
    w: f32,
    justify_px: f32,
}

fn body_lines(show: &mut Show, id: &str) -> (Vec<Drawn>, Rect, Vec<Frame>) {
    let at = common::t(NOW);
    let pages = show.pages_of(id).unwrap();
    let frames: Vec<Frame> = (0..pages)
        .map(|p| show.frame_of(id, p, at).unwrap())
        .collect();
    let area = frames[0]
        .areas
        .iter()
        .find(|a| a.name == "body")
        .unwrap()
        .rect;
    let fonts = show.typesetter().fonts();
    let mut out = Vec::new();
    for (page, frame) in frames.iter().enumerate() {
        for b in &frame.blocks {
            let body = matches!(
                b.role,
                Role::Body
                    | Role::Addressee
                    | Role::Heading
                    | Role::LeadIn
                    | Role::DocumentTitle
                    | Role::Signature
            );
            if !body {
                continue;
            }
            for l in &b.lines {
                let chars: Vec<char> = l.text.chars().collect();
                let gaps = stretch_points(&chars).len() as f32;
                out.push(Drawn {
                    page,
                    role: b.role,
                    bold: b.bold,
                    px: b.px,
                    text: l.text.clone(),
                    x: l.x,
                    y: l.y,
                    w: fonts.width_for(&l.text, b.px, b.bold, false) + l.justify_px * gaps,
                    justify_px: l.justify_px,
                });
            }
        }
    }
    (out, area, frames)
}

fn find<'a>(lines: &'a [Drawn], text: &str) -> &'a Drawn {
    lines
        .iter()
        .find(|l| l.text.starts_with(text))
        .unwrap_or_else(|| panic!("{text} in {lines:#?}"))
}

#[test]
fn a_notice_is_set_by_gb_t_9704_on_the_tv_and_the_terminal() {
    let feed = feed_with("2026-0153", AUTHENTICATION, "云岭区民政局", None);
    for name in ["plaza-tv", "village-terminal"] {
        let mut show = Show::new(
            Typesetter::new(common::fonts()),
            feed.clone(),
            common::playlist(name),
        );
        let (lines, area, frames) = body_lines(&mut show, "2026-0153");
        let px = lines[0].px;

        // Siblings alike: both sentences open with a bold lead-in, the rest of the line in body
        // weight right after it; the title-like sibling is a heading; no sentence set bold.
        for lead in ["一、认证对象：", "二、认证方式："] {
            let l = find(&lines, lead);
            assert_eq!(
                (l.role, l.text.as_str(), l.bold),
                (Role::LeadIn, lead, true)
            );
            let rest = lines
                .iter()
                .find(|r| r.page == l.page && r.y == l.y && r.role == Role::Body)
                .unwrap_or_else(|| panic!("{name}: the rest of {lead}"));
            // After the gap between them, stretched as the line's others are.
            assert!(
                (rest.x - (l.x + l.w + l.justify_px)).abs() <= 1.0,
                "{name}: {rest:?} right after {l:?}"
            );
        }
        let heading = find(&lines, "三、认证时间");
        assert_eq!((heading.role, heading.bold), (Role::Heading, true));
        let level2 = find(&lines, "（一）加强宣传");
        assert_eq!(
            (level2.role, level2.bold),
            (Role::Heading, true),
            "（一） bold"
        );
        assert_eq!(find(&lines, "（二）规范认证：").role, Role::LeadIn);
        for l in lines.iter().filter(|l| l.bold) {
            assert!(!l.text.contains('。'), "{name}: a sentence in bold: {l:?}");
        }

        // 附件: the items under the first, past 附件：; the full-width spaces typed to align
        // them are not drawn on top of that.
        let list = find(&lines, "附件：");
        let fonts = show.typesetter().fonts();
        let under = list.x + fonts.width_for("附件：", px, false, false);
        for item in ["2. 高龄津贴资格认证表", "3. 入户认证申请表"] {
            let l = find(&lines, item);
            assert!((l.x - under).abs() <= 1.0, "{name}: {l:?} under {under}");
        }

        // The 落款 as GB/T 9704 §7.3.5.1 sets it: the date four characters in from the right,
        // both offices centred over it, kept on one page with text of the body.
        let signed: Vec<&Drawn> = lines.iter().filter(|l| l.role == Role::Signature).collect();
        let texts: Vec<&str> = signed.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(
            texts,
            ["云岭区民政局", "云岭区财政局", "二〇二六年十一月二十八日"],
            "{name}"
        );
        let centre = signed[2].x + signed[2].w / 2.0;
        for l in &signed {
            assert!((l.x + l.w / 2.0 - centre).abs() <= 1.0, "{name}: {l:?}");
            assert_eq!(l.page, signed[0].page, "{name}: one block");
        }
        let right = signed[2].x + signed[2].w;
        assert!(
            (right - (area.right() - 4.0 * px)).abs() <= 2.0,
            "{name}: the date ends at {right}, the body at {}",
            area.right()
        );
        let page = signed[0].page;
        assert!(
            lines.iter().any(|l| l.page == page && l.role == Role::Body),
            "{name}: the 落款 is kept with the text"
        );

        // --lines-json names the new roles.
        let json = frames
            .iter()
            .map(|f| f.lines_json(|t, px, b, bm| fonts.width_for(t, px, b, bm)))
            .collect::<Vec<_>>();
        let roles: Vec<String> = json
            .iter()
            .flat_map(|j| j["blocks"].as_array().unwrap().clone())
            .map(|b| b["role"].as_str().unwrap().to_string())
            .collect();
        assert!(roles.iter().any(|r| r == "lead_in"), "{name}: {roles:?}");
    }
}

#[test]
fn an_embedded_document_title_is_centred_and_bold_on_both_screens() {
    let feed = feed_with("2026-0153", FORWARDING, "云岭区人民政府办公室", None);
    for name in ["plaza-tv", "village-terminal"] {
        let mut show = Show::new(
            Typesetter::new(common::fonts()),
            feed.clone(),
            common::playlist(name),
        );
        let (lines, area, _) = body_lines(&mut show, "2026-0153");
        let title: Vec<&Drawn> = lines
            .iter()
            .filter(|l| l.role == Role::DocumentTitle)
            .collect();
        assert!(!title.is_empty(), "{name}");
        let joined: String = title.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(joined, "云岭区农村人居环境整治提升行动方案（2026—2028年）");
        for l in &title {
            assert!(l.bold);
            let left = l.x - area.x;
            let right = area.right() - (l.x + l.w);
            assert!((left - right).abs() <= 2.0, "{name}: centred: {l:?}");
        }
        // The notice's 落款 closes its own text, before the document it carries.
        let signed: Vec<&Drawn> = lines.iter().filter(|l| l.role == Role::Signature).collect();
        assert_eq!(signed.len(), 2, "{name}");
        assert!((signed[1].page, signed[1].y) < (title[0].page, title[0].y));
        assert_eq!(find(&lines, "一、总体要求").role, Role::Heading);
    }
}

#[test]
fn the_touch_reader_finds_the_closing_before_whom_to_call() {
    let contact = "区民政局社会救助股 0871-6612345";
    let feed = feed_with("2026-0153", AUTHENTICATION, "云岭区民政局", Some(contact));
    let show = Show::new(
        Typesetter::new(common::fonts()),
        feed.clone(),
        common::playlist("village-terminal"),
    );
    let playlist = show.playlist().clone();
    let touch = playlist.touch.clone().expect("the terminal is touched");
    let notice = feed
        .notices
        .iter()
        .find(|n| n.id == "2026-0153")
        .unwrap()
        .clone();
    let mut typesetter = Typesetter::new(common::fonts());
    for large in [false, true] {
        let pages = typesetter.touch_pages(&playlist, &touch, &notice, large);
        let lines: Vec<BodyLine> = pages.iter().flat_map(|p| p.lines.clone()).collect();
        let signed: Vec<&str> = lines
            .iter()
            .filter(|l| l.kind == LineKind::Signature)
            .map(|l| l.text.as_str())
            .collect();
        assert_eq!(
            signed,
            ["云岭区民政局", "云岭区财政局", "二〇二六年十一月二十八日"],
            "large {large}"
        );
        // Whom to call comes after it, as text.
        let last = lines.last().unwrap();
        assert_eq!(last.kind, LineKind::Text);
        assert!(
            lines
                .iter()
                .any(|l| l.kind == LineKind::Text && l.text.contains("联系方式")),
            "large {large}"
        );
        assert!(
            lines
                .iter()
                .any(|l| l.kind == LineKind::Lead { level: 1 } && l.text == "一、认证对象：")
        );
    }
}
