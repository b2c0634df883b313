//! Issue 28: line breaking on random text of the kind notices hold (hanzi, numbers with their
//! units, dashes, names with a 间隔号, lists of names, addresses, labels with their values),
//! measured with the bundled fonts at random widths. Whatever the mix: no line starts with a
//! dash, no number is split or parted from its unit, no name is split, an address breaks only
//! after `/`, `.` or `-`, and no line is wider than the line.

mod common;

use std::sync::{Mutex, OnceLock};

use noticecast::layout::Fonts;
use noticecast::layout::linebreak::{atoms, compressed, fill};
use proptest::prelude::*;

/// A piece of generated text, and whether a line may break inside it.
#[derive(Debug, Clone)]
enum Piece {
    /// Running text: breaks anywhere clreq allows.
    Free(String),
    /// Never broken inside (when it fits the line at all).
    Whole(String),
    /// An address: broken only after `/`, `.` or `-`.
    Address(String),
}

impl Piece {
    fn text(&self) -> &str {
        match self {
            Piece::Free(s) | Piece::Whole(s) | Piece::Address(s) => s,
        }
    }
}

const PHRASES: &[&str] = &[
    "为进一步做好城乡居民基本医疗保险参保工作",
    "现将有关事项公示如下",
    "请各村（社区）认真组织实施，",
    "公示期间如有异议，请向镇民政办反映。",
    "根据《云岭区农村最低生活保障实施细则》规定",
    "经村民代表会议评议",
    "拟纳入",
    "同志",
    "累计",
];

const LEADS: &[&str] = &["共", "为", "累计", "达到"];

const UNITS: &[&str] = &[
    "年",
    "月",
    "日",
    "元",
    "万元",
    "亿元",
    "户",
    "人",
    "%",
    "％",
    "个",
    "项",
    "公里",
    "平方米",
    "亩",
    "吨",
    "千克",
    "次",
    "天",
    "岁",
];

const NAMES: &[&str] = &[
    "热依拉・艾买提",
    "阿卜杜拉·买买提",
    "古丽米拉•吐尔逊",
    "努尔‧艾力",
    "巴特尔·孟和",
];

const SHORT_NAMES: &[&str] = &["张三", "李　四", "王五", "欧阳娜娜", "刘䶮", "马丽"];

const HOSTS: &[&str] = &["www.yunling.gov.cn", "zwgk.example.gov.cn", "mzj.yn.gov.cn"];

fn number() -> impl Strategy<Value = String> {
    (
        1u32..100_000,
        prop::option::of(0u32..100),
        any::<bool>(),
        0usize..UNITS.len(),
    )
        .prop_map(|(whole, frac, grouped, unit)| {
            let digits = whole.to_string();
            let whole = if grouped && digits.len() > 3 {
                let (a, b) = digits.split_at(digits.len() - 3);
                format!("{a},{b}")
            } else {
                digits
            };
            let frac = frac.map(|f| format!(".{f:02}")).unwrap_or_default();
            format!("{whole}{frac}{}", UNITS[unit])
        })
}

fn piece() -> impl Strategy<Value = Vec<Piece>> {
    prop_oneof![
        4 => (0..PHRASES.len()).prop_map(|i| vec![Piece::Free(PHRASES[i].into())]),
        // A number follows a word, never another number.
        3 => (number(), 0..LEADS.len()).prop_map(|(n, i)| vec![
            Piece::Free(LEADS[i].into()),
            Piece::Whole(n),
        ]),
        // A date: each part whole, breaks between them allowed.
        1 => (2020u32..2030, 1u32..13, 1u32..29).prop_map(|(y, m, d)| vec![
            Piece::Free("于".into()),
            Piece::Whole(format!("{y}年")),
            Piece::Whole(format!("{m}月")),
            Piece::Whole(format!("{d}日")),
        ]),
        // A range with its dash, and the long dash.
        1 => (2020u32..2030, 1u32..5).prop_map(|(y, n)| vec![
            Piece::Free("（".into()),
            Piece::Whole(format!("{y}—{}年", y + n)),
            Piece::Free("）".into()),
        ]),
        1 => Just(vec![Piece::Free("——".into())]),
        2 => (0..NAMES.len()).prop_map(|i| vec![
            Piece::Free("拟任命".into()),
            Piece::Whole(NAMES[i].into()),
            Piece::Free("为".into()),
        ]),
        // A list of names after a colon, each with its 、.
        2 => prop::collection::vec(0..SHORT_NAMES.len(), 2..6).prop_map(|names| {
            let mut out = vec![Piece::Free("名单：".into())];
            for (k, i) in names.iter().enumerate() {
                let mark = if k + 1 == names.len() { "。" } else { "、" };
                out.push(Piece::Whole(format!("{}{mark}", SHORT_NAMES[*i])));
            }
            out
        }),
        2 => (0..HOSTS.len(), 2020u32..2030, 1000u32..9999, any::<bool>()).prop_map(
            |(h, y, n, mail)| if mail {
                vec![Piece::Free("邮箱".into()), Piece::Address(format!("zwgk{n}@{}", HOSTS[h]))]
            } else {
                vec![
                    Piece::Free("详见".into()),
                    Piece::Address(format!("https://{}/zwgk/{y}/notice-{n}.html", HOSTS[h])),
                ]
            }
        ),
        1 => (1000u32..9999, 1_000_000u32..9_999_999).prop_map(|(a, b)| vec![
            Piece::Free("；".into()),
            Piece::Whole(format!("监督电话：{a}-{b}")),
        ]),
    ]
}

fn fonts() -> &'static Mutex<Fonts> {
    static FONTS: OnceLock<Mutex<Fonts>> = OnceLock::new();
    FONTS.get_or_init(|| Mutex::new(common::fonts()))
}

fn check(pieces: &[Piece], ems: f32) -> Result<(), String> {
    let text: String = pieces.iter().map(Piece::text).collect();
    let chars: Vec<char> = text.chars().collect();
    let px = 40.0;
    let advances = fonts().lock().unwrap().advances(&text, px, false);
    let width = ems * px;
    let lines = fill(&chars, &advances, width, 0.0);
    let shown = |l: &noticecast::layout::linebreak::Line| -> String {
        chars[l.range.clone()].iter().collect()
    };
    let all: Vec<String> = lines.iter().map(shown).collect();
    // Every line fits, measured as drawn: compressed marks take half their advance.
    for line in &lines {
        let line_chars = &chars[line.range.clone()];
        let drawn: f32 = advances[line.range.clone()]
            .iter()
            .zip(compressed(line_chars))
            .map(|(a, half)| if half { a * 0.5 } else { *a })
            .sum();
        if drawn > width + 0.01 || line.width > width + 0.01 {
            return Err(format!(
                "{:?} is {drawn} px wide, more than {width}",
                shown(line)
            ));
        }
    }
    for line in &lines[1..] {
        if matches!(chars[line.range.start], '—' | '–' | '～') {
            return Err(format!("a line starts with a dash: {all:?}"));
        }
    }
    // A piece may be broken inside only where the atoms allowed it, or inside an atom wider
    // than the whole line (which has to break somewhere).
    let pieces_of_rules = atoms(&chars);
    let oversize = |b: usize| {
        pieces_of_rules
            .iter()
            .find(|a| a.start < b && b < a.end)
            .is_some_and(|a| advances[a.clone()].iter().sum::<f32>() > width)
    };
    let breaks: Vec<usize> = lines[1..].iter().map(|l| l.range.start).collect();
    let mut at = 0;
    for piece in pieces {
        let (start, end) = (at, at + piece.text().chars().count());
        at = end;
        for &b in breaks
            .iter()
            .filter(|&&b| start < b && b < end && !oversize(b))
        {
            match piece {
                Piece::Free(_) => {}
                Piece::Whole(s) => return Err(format!("{s:?} split: {all:?}")),
                Piece::Address(s) => {
                    if !matches!(chars[b - 1], '/' | '.' | '-') || chars[b] == '/' {
                        return Err(format!("{s:?} broken inside a label: {all:?}"));
                    }
                }
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn numbers_names_dashes_and_addresses_keep_their_rules(
        pieces in prop::collection::vec(piece(), 1..14),
        ems in 6.0f32..32.0,
    ) {
        let pieces: Vec<Piece> = pieces.into_iter().flatten().collect();
        if let Err(e) = check(&pieces, ems) {
            prop_assert!(false, "{} (at {} em)", e, ems);
        }
    }
}
