//! Where a title may break: between words. A title is a phrase set large and centred, and a
//! line that ends in 数字乡 with 村 on the next reads as nonsense; body text breaks between any
//! two characters, as Chinese typesetting allows, but a title is balanced over word boundaries.
//!
//! Words come from jieba's dictionary (about 350,000 entries of modern Chinese, compiled into an
//! `fst` map by `build.rs`, so nothing is loaded at start-up), with its HMM guessing words the
//! dictionary lacks, plus names the caller knows are one word (the notice's issuer, the screen's
//! place): an office's own name is rarely in a dictionary. Text that fits on its line is never
//! segmented at all (`fill_words`).

use std::collections::HashSet;
use std::ops::Range;
use std::sync::OnceLock;

use fst::raw::Output;
use jieba_rs::Jieba;

use super::linebreak;

/// jieba's dictionary compiled by `build.rs`: word → frequency.
static DICT_FST: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/words.fst"));
/// The sum of every frequency in the dictionary: jieba weighs a word by `ln(freq / total)`.
const DICT_TOTAL: u64 = include!(concat!(env!("OUT_DIR"), "/words_total.rs"));
/// Stands for the rest of the dictionary in a small one, so its total is the whole one's: private
/// use characters, which no notice's text carries as a word.
const REST: &str = "\u{E000}\u{E001}\u{E002}";

static DICT: OnceLock<fst::Map<&'static [u8]>> = OnceLock::new();

fn dict() -> &'static fst::Map<&'static [u8]> {
    DICT.get_or_init(|| fst::Map::new(DICT_FST).expect("build.rs wrote a valid map"))
}

/// Every dictionary word that occurs in `text`, with its frequency.
fn words_in(text: &str) -> Vec<(&str, u64)> {
    let fst = dict().as_fst();
    let mut found = Vec::new();
    for (start, _) in text.char_indices() {
        let mut node = fst.root();
        let mut out = Output::zero();
        for (i, byte) in text.as_bytes()[start..].iter().enumerate() {
            let Some(t) = node.find_input(*byte) else {
                break;
            };
            let transition = node.transition(t);
            out = out.cat(transition.out);
            node = fst.node(transition.addr);
            let end = start + i + 1;
            if node.is_final() && text.is_char_boundary(end) {
                found.push((&text[start..end], out.cat(node.final_output()).value()));
            }
        }
    }
    found
}

/// jieba for `text`: the dictionary's words that occur in it, with their frequencies, and one
/// entry standing for all the others. jieba's route compares `ln(freq / total)` of the words on
/// the text's paths, and its HMM takes runs no word covers, so this cuts `text` exactly as the
/// whole dictionary does (the tests compare the two) without loading 350,000 words: nothing at
/// start-up, a fraction of a millisecond a title.
fn jieba_for(text: &str) -> Jieba {
    let mut jieba = Jieba::empty();
    let mut seen = HashSet::new();
    let mut sum = 0;
    for (word, freq) in words_in(text) {
        if seen.insert(word) {
            jieba.add_word(word, Some(freq as usize), None);
            sum += freq;
        }
    }
    jieba.add_word(REST, Some((DICT_TOTAL - sum) as usize), None);
    jieba
}

/// `starts[i]` is true where a word starts at char `i` (and at `chars.len()`): the places a line
/// may break. `names` are kept whole wherever they occur.
pub fn word_starts(text: &str, names: &[&str]) -> Vec<bool> {
    let n = text.chars().count();
    let mut starts = vec![false; n + 1];
    starts[n] = true;
    for token in jieba_for(text).cut(text, true) {
        if token.start < n {
            starts[token.start] = true;
        }
    }
    let chars: Vec<char> = text.chars().collect();
    for name in names {
        let name: Vec<char> = name.chars().collect();
        if name.len() < 2 {
            continue;
        }
        let mut i = 0;
        while i + name.len() <= chars.len() {
            if chars[i..i + name.len()] == name[..] {
                starts[i] = true;
                starts[i + name.len()] = true;
                for s in &mut starts[i + 1..i + name.len()] {
                    *s = false;
                }
                i += name.len();
            } else {
                i += 1;
            }
        }
    }
    starts
}

/// `chars` in lines of `max_width` broken between words, as [`linebreak::fill_atoms`] over
/// [`title_atoms`]. A text that fits on its first line is never segmented: most titles and
/// table cells do fit.
pub fn fill_words(
    chars: &[char],
    advances: &[f32],
    names: &[&str],
    max_width: f32,
    first_indent: f32,
) -> Vec<linebreak::Line> {
    let plain = linebreak::fill(chars, advances, max_width, first_indent);
    if plain.len() <= 1 {
        return plain;
    }
    linebreak::fill_atoms(
        chars,
        &title_atoms(chars, names),
        advances,
        max_width,
        first_indent,
    )
}

/// The unbreakable pieces of a title: the line-breaking atoms of a heading (punctuation rules
/// still hold, a date's month keeps its day) joined wherever the boundary between two of them
/// falls inside a word.
pub fn title_atoms(chars: &[char], names: &[&str]) -> Vec<Range<usize>> {
    let text: String = chars.iter().collect();
    let starts = word_starts(&text, names);
    let mut out: Vec<Range<usize>> = Vec::new();
    for atom in linebreak::heading_atoms(chars) {
        match out.last_mut() {
            Some(prev) if !starts[atom.start] => prev.end = atom.end,
            _ => out.push(atom),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str, names: &[&str]) -> Vec<String> {
        let chars: Vec<char> = text.chars().collect();
        title_atoms(&chars, names)
            .into_iter()
            .map(|r| chars[r].iter().collect())
            .collect()
    }

    #[test]
    fn words_the_review_found_split_stay_whole() {
        let w = words("关于做好数字乡村建设工作的通知", &[]);
        assert!(w.contains(&"关于".to_string()), "{w:?}");
        assert!(w.contains(&"做好".to_string()), "{w:?}");
        assert!(w.iter().any(|x| x.contains("乡村")), "{w:?}");
        assert_eq!(w.concat(), "关于做好数字乡村建设工作的通知");
    }

    #[test]
    fn a_date_in_a_title_keeps_its_month_with_its_day() {
        let w = words("寒潮红色预警：12月3日起气温骤降12℃以上", &[]);
        assert!(w.iter().any(|x| x.contains("12月3日")), "{w:?}");
    }

    #[test]
    fn the_callers_names_are_one_word() {
        let w = words("城关镇东岭村2026年低保公示", &["东岭村"]);
        assert!(w.contains(&"东岭村".to_string()), "{w:?}");
    }

    #[test]
    fn punctuation_still_follows_clreq() {
        // The closing bracket and the comma belong to the word before them.
        let w = words("关于（试行）办法，请知悉", &[]);
        assert!(w.iter().any(|x| x.ends_with('）')), "{w:?}");
        assert!(w.iter().any(|x| x.ends_with('，')), "{w:?}");
        assert!(!w.iter().any(|x| x.starts_with('）') || x.starts_with('，')));
    }

    /// The small per-text jieba cuts exactly as jieba-rs with its whole embedded dictionary, on
    /// the demo feed's texts and on every window of them (so word boundaries
    /// fall everywhere), with the HMM as the titles use it.
    #[test]
    fn the_compiled_dictionary_cuts_as_jieba_does() {
        let whole = Jieba::new();
        let mut texts: Vec<String> = Vec::new();
        let json = std::fs::read_to_string("deploy/demo/feed.json").expect("the demo feed");
        let value: serde_json::Value = serde_json::from_str(&json).expect("the demo feed");
        for notice in value["notices"].as_array().into_iter().flatten() {
            for field in ["title", "body", "issuer"] {
                if let Some(t) = notice[field].as_str() {
                    texts.extend(t.lines().map(str::to_string));
                }
            }
        }
        texts.extend(
            [
                "热依拉·艾买提等12名同学2026年度国家助学金公示",
                "关于印发《城关镇农村人居环境整治提升五年行动方案（2026—2028年）》的通知",
                "巡查补助53,000.00元；公示期：2026年11月30日至12月4日，监督电话0871-12345678",
                "B超T恤4S店ABC123各乡镇人民政府、县直各部门：",
            ]
            .map(str::to_string),
        );
        assert!(texts.len() > 40, "the demo feed was read: {}", texts.len());
        let mut compared = 0;
        for text in &texts {
            let chars: Vec<char> = text.chars().collect();
            for start in (0..chars.len()).step_by(7) {
                let window: String = chars[start..chars.len().min(start + 40)].iter().collect();
                let ours: Vec<&str> = jieba_for(&window)
                    .cut(&window, true)
                    .iter()
                    .map(|t| t.word)
                    .collect();
                let theirs: Vec<&str> = whole.cut(&window, true).iter().map(|t| t.word).collect();
                assert_eq!(ours, theirs, "{window}");
                compared += 1;
            }
        }
        assert!(compared > 200, "{compared}");
    }
}
