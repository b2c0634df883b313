//! Chinese line breaking (W3C clreq, basic level), as a pure function of characters and widths.
//!
//! cosmic-text wraps by UAX #14, which lets a line start with `·` or end with an opening quote in
//! some contexts and knows nothing of clreq's rules for `——` and `……`. We break lines ourselves:
//! the paragraph is cut into unbreakable *atoms* (one hanzi; one Latin word or number; a run of
//! dashes or ellipses), punctuation that may not start a line is glued to the atom before it and
//! punctuation that may not end a line to the atom after it, then atoms fill lines greedily.
//! The widths come from shaping the whole paragraph once (see `Fonts::advances`).

use std::ops::Range;

/// May not start a line: closing brackets and quotes, pause and stop marks, `…` and `·`.
pub fn no_line_start(c: char) -> bool {
    matches!(
        c,
        '、' | '，'
            | '。'
            | '．'
            | '；'
            | '：'
            | '！'
            | '？'
            | '）'
            | '》'
            | '」'
            | '』'
            | '】'
            | '〕'
            | '〉'
            | '〗'
            | '〙'
            | '〛'
            | '］'
            | '｝'
            | '＞'
            | '’'
            | '”'
            | '…'
            | '‥'
            | '·'
            | '・'
            | '％'
            | '‰'
            | ','
            | '.'
            | ';'
            | ':'
            | '!'
            | '?'
            | ')'
            | ']'
            | '}'
    )
}

/// May not end a line: opening brackets and quotes.
pub fn no_line_end(c: char) -> bool {
    matches!(
        c,
        '（' | '《'
            | '「'
            | '『'
            | '【'
            | '〔'
            | '〈'
            | '〖'
            | '〘'
            | '〚'
            | '［'
            | '｛'
            | '＜'
            | '‘'
            | '“'
            | '('
            | '['
            | '{'
    )
}

/// Hanzi, kana, hangul, CJK symbols and full-width forms: each is an atom of its own, and a line
/// may break on either side of it (subject to the punctuation rules).
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x2FDF       // radicals
        | 0x3000..=0x303F     // CJK symbols and punctuation
        | 0x3040..=0x30FF     // kana
        | 0x3100..=0x312F     // bopomofo
        | 0x3190..=0x31FF
        | 0x3200..=0x33FF     // enclosed, compatibility
        | 0x3400..=0x4DBF     // extension A
        | 0x4E00..=0x9FFF     // unified ideographs
        | 0xAC00..=0xD7AF     // hangul
        | 0xF900..=0xFAFF     // compatibility ideographs
        | 0xFE30..=0xFE4F     // compatibility forms
        | 0xFF00..=0xFFEF     // full-width forms
        | 0x20000..=0x3FFFF   // extensions B and later
    )
}

fn is_space(c: char) -> bool {
    c == ' ' || c == '\t' || c == '\u{3000}'
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Space,
    Cjk,
    /// Latin letters, digits and the other characters that stick together into words.
    Word,
}

fn class(c: char) -> Class {
    if is_space(c) {
        Class::Space
    } else if is_cjk(c) {
        Class::Cjk
    } else {
        Class::Word
    }
}

/// The unbreakable pieces of a paragraph, as char-index ranges that tile `0..chars.len()`.
pub fn atoms(chars: &[char]) -> Vec<Range<usize>> {
    // 1. Base atoms: each CJK character alone; runs of word characters; runs of spaces.
    let mut base: Vec<Range<usize>> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let k = class(chars[i]);
        let mut j = i + 1;
        if k != Class::Cjk {
            while j < chars.len() && class(chars[j]) == k {
                j += 1;
            }
        }
        base.push(i..j);
        i = j;
    }
    // 2. Glue: an atom that starts with a no-line-start character joins the one before; an atom
    //    that ends with a no-line-end character takes the one after.
    let mut out: Vec<Range<usize>> = Vec::new();
    for atom in base {
        let glue_back = no_line_start(chars[atom.start]);
        match out.last_mut() {
            Some(prev) if glue_back || no_line_end(chars[prev.end - 1]) => prev.end = atom.end,
            _ => out.push(atom),
        }
    }
    out
}

/// Whether the atom is only spaces (dropped at the start and end of lines).
fn all_space(chars: &[char], r: &Range<usize>) -> bool {
    chars[r.clone()].iter().all(|&c| is_space(c))
}

/// A line of a paragraph: a char range (without leading or trailing spaces) and its width.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub range: Range<usize>,
    pub width: f32,
    /// The paragraph's last line, which is never justified.
    pub last: bool,
}

/// Breaks one paragraph into lines no wider than `max_width`. `advances[i]` is the width of
/// `chars[i]`; the first line starts `first_indent` in. An atom wider than a whole line (a long
/// URL on a small LED) is the one case where a line breaks inside an atom.
pub fn fill(chars: &[char], advances: &[f32], max_width: f32, first_indent: f32) -> Vec<Line> {
    fill_atoms(chars, &atoms(chars), advances, max_width, first_indent)
}

/// [`fill`] over given atoms (ranges that tile the paragraph): a title's words, say.
pub fn fill_atoms(
    chars: &[char],
    atoms: &[Range<usize>],
    advances: &[f32],
    max_width: f32,
    first_indent: f32,
) -> Vec<Line> {
    debug_assert_eq!(chars.len(), advances.len());
    let w = |r: &Range<usize>| -> f32 { advances[r.clone()].iter().sum() };
    // What punctuation compression takes from chars[s..e] set as one line: lines are measured
    // compressed, so a pair like 》（ or a comma at the line's end (set on its ink) makes room.
    let trim = |s: usize, e: usize| -> f32 {
        (s..e)
            .filter(|&i| half_at(chars[i], (i + 1 < e).then(|| chars[i + 1])))
            .map(|i| advances[i] * 0.5)
            .sum()
    };
    let mut lines: Vec<Line> = Vec::new();
    let mut start: Option<usize> = None; // first char of the current line
    let mut end = 0; // end of the last non-space atom on the current line
    let mut width = 0.0f32; // width up to `end`
    let mut pending = 0.0f32; // spaces after `end`, counted only if more text follows
    let avail = |lines: &Vec<Line>| {
        if lines.is_empty() {
            max_width - first_indent
        } else {
            max_width
        }
    };

    for atom in atoms.iter().cloned() {
        if all_space(chars, &atom) {
            if start.is_some() {
                pending += w(&atom);
            }
            continue;
        }
        let aw = w(&atom);
        if let Some(s) = start
            && width + pending + aw - trim(s, atom.end) > avail(&lines)
        {
            lines.push(Line {
                range: s..end,
                width: width - trim(s, end),
                last: false,
            });
            start = None;
        }
        if start.is_none() {
            start = Some(atom.start);
            width = 0.0;
            pending = 0.0;
        }
        if width + pending + aw - trim(start.unwrap_or(atom.start), atom.end) <= avail(&lines) {
            width += pending + aw;
            end = atom.end;
            pending = 0.0;
            continue;
        }
        // Alone on its line and still too wide: break it between characters.
        let allowed =
            |i: usize| i > atom.start && !no_line_start(chars[i]) && !no_line_end(chars[i - 1]);
        let mut i = atom.start;
        while i < atom.end {
            let cw = advances[i];
            if width > 0.0 && width + cw > avail(&lines) {
                // Even here, punctuation keeps its rules: a mark that may not start a line takes
                // the character before it along (推入), so nothing hangs past the margin.
                let line_start = start.unwrap_or(atom.start);
                let at = (line_start + 1..=i).rev().find(|&j| allowed(j));
                if let Some(j) = at {
                    let carried: f32 = advances[j..i].iter().sum();
                    lines.push(Line {
                        range: line_start..j,
                        width: width - carried - trim(line_start, j),
                        last: false,
                    });
                    start = Some(j);
                    width = carried;
                }
            }
            width += cw;
            i += 1;
        }
        end = atom.end;
    }
    if let Some(s) = start {
        lines.push(Line {
            range: s..end,
            width: width - trim(s, end),
            last: true,
        });
    }
    lines
}

/// Where extra space goes when a line is justified: after character `i` when the gap between it
/// and the next character borders a hanzi or a space (never inside a Latin word or number, never
/// inside `——` or `……`).
pub fn stretch_points(line: &[char]) -> Vec<usize> {
    (0..line.len().saturating_sub(1))
        .filter(|&i| {
            let (a, b) = (class(line[i]), class(line[i + 1]));
            a != Class::Word || b != Class::Word
        })
        .collect()
}

/// Full-width punctuation whose ink sits in its left half (the right half is blank): the closing
/// marks, and in the mainland style the full stop, comma and enumeration comma.
fn ink_left(c: char) -> bool {
    matches!(
        c,
        '，' | '。' | '、' | '”' | '’' | '）' | '》' | '〉' | '」' | '』' | '】' | '〕' | '〗'
    )
}

/// Full-width punctuation whose ink sits in its right half: the opening marks.
fn ink_right(c: char) -> bool {
    matches!(
        c,
        '“' | '‘' | '（' | '《' | '〈' | '「' | '『' | '【' | '〔' | '〖'
    )
}

fn is_fullwidth_punct(c: char) -> bool {
    ink_left(c) || ink_right(c) || matches!(c, '；' | '：' | '！' | '？' | '·' | '・')
}

/// Punctuation compression (clreq 3.1.6, GB/T 15834): in a pair of adjacent full-width marks one
/// blank half-em goes, so 。” or ：“ do not open a full em of white; and a line that ends in a
/// closing mark or 。，、 ends on its ink, the blank right half hanging in the margin. `true` at
/// `i` when `line[i]` is set half an em narrower: when its own right half is blank and a mark
/// follows or the line ends, or when the next mark opens (the next mark then moves into its
/// place). Lines are measured this way when they are broken (`fill`), and drawn this way.
pub fn compressed(line: &[char]) -> Vec<bool> {
    (0..line.len())
        .map(|i| half_at(line[i], line.get(i + 1).copied()))
        .collect()
}

/// Whether `c`, followed on its line by `next` (or ending it), is set half-width.
fn half_at(c: char, next: Option<char>) -> bool {
    match next {
        Some(b) => is_fullwidth_punct(c) && is_fullwidth_punct(b) && (ink_left(c) || ink_right(b)),
        None => ink_left(c),
    }
}

/// Extra space per stretch point, in pixels, to make a line `target` wide; `None` when the line
/// should stay ragged (the last line of a paragraph, or a gap so wide it would look broken).
pub fn justify(chars: &[char], line: &Line, target: f32, px: f32) -> Option<f32> {
    if line.last {
        return None;
    }
    let points = stretch_points(&chars[line.range.clone()]).len();
    let extra = target - line.width;
    if points == 0 || extra <= 0.01 {
        return None;
    }
    let per = extra / points as f32;
    // More than a third of an em between characters reads as a gap, not as justification.
    (per <= px / 3.0).then_some(per)
}

#[cfg(test)]
mod compression_tests {
    use super::compressed;

    #[test]
    fn adjacent_marks_lose_one_blank_half() {
        let at = |s: &str| -> Vec<usize> {
            let chars: Vec<char> = s.chars().collect();
            compressed(&chars)
                .iter()
                .enumerate()
                .filter(|(_, c)| **c)
                .map(|(i, _)| i)
                .collect()
        };
        assert_eq!(at("说。”然后"), [1]);
        // A closing mark or 。，、 at the line's end ends on its ink.
        assert_eq!(at("（见附件）、"), [4, 5]);
        assert_eq!(at("他说：“好”"), [2, 5]);
        assert_eq!(at("《甲》《乙》"), [2, 5]);
        assert_eq!(at("好！”"), [2], "！ is centred: nothing blank to take");
        assert_eq!(at("好！"), Vec::<usize>::new());
        assert_eq!(
            at("一，二"),
            Vec::<usize>::new(),
            "a single mark keeps its em"
        );
    }
}

#[cfg(test)]
mod tests {
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
}
