//! Tests of punctuation compression: which marks lose a blank half.

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
