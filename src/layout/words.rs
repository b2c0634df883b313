//! Where a title may break: between words. A title is a phrase set large and centred, and a
//! line that ends in 数字乡 with 村 on the next reads as nonsense; body text breaks between any
//! two characters, as Chinese typesetting allows, but a title is balanced over word boundaries.
//!
//! Words come from jieba's bundled dictionary (about 350,000 entries of modern Chinese), with
//! its HMM guessing words the dictionary lacks, plus names the caller knows are one word (the
//! notice's issuer, the screen's place): an office's own name is rarely in a dictionary.

use std::ops::Range;
use std::sync::OnceLock;

use jieba_rs::Jieba;

use super::linebreak;

/// The dictionary, loaded once (about a tenth of a second) the first time a title is set.
fn jieba() -> &'static Jieba {
    static JIEBA: OnceLock<Jieba> = OnceLock::new();
    JIEBA.get_or_init(Jieba::new)
}

/// `starts[i]` is true where a word starts at char `i` (and at `chars.len()`): the places a line
/// may break. `names` are kept whole wherever they occur.
pub fn word_starts(text: &str, names: &[&str]) -> Vec<bool> {
    let n = text.chars().count();
    let mut starts = vec![false; n + 1];
    starts[n] = true;
    for token in jieba().cut(text, true) {
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

/// The unbreakable pieces of a title: the line-breaking atoms (punctuation rules still hold)
/// joined wherever the boundary between two of them falls inside a word.
pub fn title_atoms(chars: &[char], names: &[&str]) -> Vec<Range<usize>> {
    let text: String = chars.iter().collect();
    let starts = word_starts(&text, names);
    let mut out: Vec<Range<usize>> = Vec::new();
    for atom in linebreak::atoms(chars) {
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
}
