//! Tests of line breaking against clreq: a corpus at every width, and the rules one by one.

use super::*;

/// Test widths: a hanzi or full-width sign is 1.0, anything else 0.5.
fn widths(chars: &[char]) -> Vec<f32> {
    chars
        .iter()
        .map(|&c| if is_cjk(c) { 1.0 } else { 0.5 })
        .collect()
}

fn break_at(text: &str, width: f32) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    fill(&chars, &widths(&chars), width, 0.0)
        .into_iter()
        .map(|l| chars[l.range].iter().collect())
        .collect()
}

/// The clreq checks every line set must pass, whatever the width.
fn assert_clreq(text: &str, lines: &[String], words_fit: bool) {
    for (n, line) in lines.iter().enumerate() {
        let first = line.chars().next().unwrap();
        let last = line.chars().last().unwrap();
        if n > 0 {
            assert!(
                !no_line_start(first),
                "line {n} starts with {first:?}: {lines:?}"
            );
        }
        if n + 1 < lines.len() {
            assert!(!no_line_end(last), "line {n} ends with {last:?}: {lines:?}");
            let next = lines[n + 1].chars().next().unwrap();
            for pair in [('—', '—'), ('…', '…')] {
                assert!(
                    !(last == pair.0 && next == pair.1),
                    "split {pair:?}: {lines:?}"
                );
            }
            let word = |c: char| c.is_ascii_alphanumeric();
            if words_fit {
                assert!(
                    !(word(last) && word(next)),
                    "split a word or number: {lines:?}"
                );
            }
        }
    }
    let joined: String = lines.concat();
    let expected: String = text.chars().filter(|c| *c != ' ').collect();
    assert_eq!(joined.replace(' ', ""), expected, "text lost or duplicated");
}

/// Cases written to hit each rule; every width from 2 to 30 ems is tried on each.
const CORPUS: &[&str] = &[
    "各村（社区）要在十二月底前完成登记，逾期不再受理。",
    "请携带《居民身份证》《户口簿》原件及复印件办理。",
    "他说：“明天上午九点开会。”大家都表示同意！",
    "报名截止时间为2026年12月20日18:00，咨询电话0571-88886666。",
    "详见区政府门户网站https://www.example.gov.cn/xxgk/2026-0153.html或扫描二维码查看全文。",
    "本次改造惠及3,200户居民——涉及老旧小区12个、道路8.5公里……工程预计明年完工。",
    "拟任命阿卜杜热合曼·买买提为区教育局副局长，刘䶮为区卫健委副主任。",
    "重要提示：COVID-19疫苗加强针接种点设在社区卫生服务中心（二楼）、乡镇卫生院。",
    "「防范电信诈骗」『守好钱袋子』【紧急通知】〔2026〕第12号〈试行〉",
    "温馨提示‘请勿’在楼道内堆放杂物、停放电动自行车；违者将依法处理。",
    "对于下列情况……请及时联系——社区网格员、物业服务中心或者拨打12345热线。",
    "PM2.5浓度超过150微克/立方米时，建议减少户外活动；老人、儿童尤其注意！",
];

#[test]
fn corpus_obeys_clreq_at_every_width() {
    for text in CORPUS {
        let chars: Vec<char> = text.chars().collect();
        let w = widths(&chars);
        let widest = atoms(&chars)
            .iter()
            .map(|a| w[a.clone()].iter().sum::<f32>())
            .fold(0.0, f32::max);
        for width in 2..=30 {
            let lines = break_at(text, width as f32);
            // Only an atom wider than the whole line may be split, so words must stay whole
            // whenever the widest atom fits.
            assert_clreq(text, &lines, widest <= width as f32);
        }
    }
}

#[test]
fn closing_punctuation_stays_with_the_previous_character() {
    // At width 4 the comma would start line 2 without the rule.
    assert_eq!(break_at("一二三四，五六", 4.0), ["一二三", "四，五六"]);
}

#[test]
fn opening_bracket_moves_to_the_next_line() {
    assert_eq!(break_at("一二三（四）五", 4.0), ["一二三", "（四）五"]);
}

#[test]
fn dash_and_ellipsis_are_never_split() {
    assert_eq!(break_at("一二三——四", 3.5), ["一二三", "——四"]);
    // `…` may not start a line, so the ellipsis takes the preceding character along.
    assert_eq!(break_at("一二三……四", 3.5), ["一二", "三……四"]);
}

#[test]
fn middle_dot_in_a_name_does_not_start_a_line() {
    assert_eq!(break_at("一二三·四", 3.0), ["一二", "三·四"]);
}

#[test]
fn latin_words_and_numbers_stay_whole() {
    assert_eq!(break_at("电话12345678转", 5.0), ["电话", "12345678转"]);
    assert_eq!(
        break_at("use English words here", 6.0),
        ["use English", "words here"]
    );
}

#[test]
fn an_atom_wider_than_the_line_is_broken_between_characters() {
    let lines = break_at("https://example.gov.cn/a", 4.0);
    assert!(lines.len() > 1);
    assert!(lines.iter().all(|l| l.chars().count() <= 8), "{lines:?}");
    assert_eq!(lines.concat(), "https://example.gov.cn/a");
}

#[test]
fn first_line_indent_narrows_only_the_first_line() {
    let chars: Vec<char> = "一二三四五六七八".chars().collect();
    let lines = fill(&chars, &widths(&chars), 4.0, 2.0);
    let lens: Vec<usize> = lines.iter().map(|l| l.range.len()).collect();
    assert_eq!(lens, [2, 4, 2]);
    assert!(lines[2].last && !lines[0].last);
}

#[test]
fn justification_spreads_between_hanzi_not_inside_words() {
    let chars: Vec<char> = "一二ab三".chars().collect();
    assert_eq!(stretch_points(&chars), vec![0, 1, 3]);
    let line = Line {
        range: 0..5,
        width: 4.0,
        last: false,
    };
    let per = justify(&chars, &line, 4.6, 1.0).expect("justified");
    assert!((per - 0.2).abs() < 1e-5, "{per}");
    // The last line of a paragraph stays ragged.
    let last = Line {
        last: true,
        ..line.clone()
    };
    assert_eq!(justify(&chars, &last, 4.6, 1.0), None);
    // A gap wider than a third of an em is not justification any more.
    assert_eq!(justify(&chars, &line, 6.0, 1.0), None);
}

#[test]
fn spaces_do_not_start_or_end_lines() {
    for line in break_at("alpha beta gamma delta", 5.5) {
        assert_eq!(line.trim(), line);
    }
}

#[test]
fn lines_are_measured_compressed_so_a_closing_mark_fits_on_its_ink() {
    // Ten hanzi and a comma, 10 px each, on a 105 px line: at full width the comma would
    // not fit (and 一 would move down with it); set on its ink it does.
    let chars: Vec<char> = "一二三四五六七八九十，再".chars().collect();
    let advances = vec![10.0; chars.len()];
    let lines = super::fill(&chars, &advances, 105.0, 0.0);
    assert_eq!(lines[0].range, 0..11);
    assert_eq!(lines[0].width, 105.0);
    // A pair inside the line makes room too: 》（ is 15 px, not 20.
    let chars: Vec<char> = "甲》（乙丙丁戊己".chars().collect();
    let advances = vec![10.0; chars.len()];
    let lines = super::fill(&chars, &advances, 75.0, 0.0);
    assert_eq!(lines[0].range, 0..8);
}
