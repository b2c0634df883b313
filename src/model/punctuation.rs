//! Half-width punctuation typed in Chinese text (`,` `.` `:` `;` `?` `!` `(` `)` and straight
//! quotes), and middle dots in names other than the 间隔号 U+00B7: where each stands (`find`)
//! and the text with the full-width marks GB/T 15834 sets instead (`convert`).
//!
//! Pure, and warnings only: a notice with half-width marks still validates and publishes, but set
//! as typed a `,` is cramped against the next character and a `.` all but disappears from 3 m.
//! The hard part is what is *not* Chinese punctuation: numbers (`1,286`, `12.8`, `08:30`), web
//! and e-mail addresses, file names (`申请表.xlsx`), ASCII words (`No. 5`, `PM2.5`), list
//! numbers (`1.` at a line's start: GB/T 9704 numbers its third level so), an ellipsis typed as
//! dots, and table cells (body lines of tab-separated cells) that hold only a number. A mark is
//! taken for Chinese only when full-width text touches it, or, at the end of a line, when the
//! ASCII run it closes stands right after Chinese (`详见www.yl.gov.cn.`).
//!
//! `convert` changes exactly what `find` reports (and the ASCII spaces typed after a converted
//! closing mark or before a converted opening one, which a full-width mark already carries), so
//! converting twice changes nothing more.

use super::Reason;

/// One half-width mark or foreign middle dot, and what to write instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Finding {
    /// The line of the field, from 1 (a field without line breaks has only line 1).
    pub line: usize,
    /// The character of that line, from 1.
    pub column: usize,
    pub found: char,
    pub replacement: char,
}

impl Finding {
    /// The warning a reader gets: `HalfWidthPunctuation` or `ForeignMiddleDot`.
    pub fn reason(&self) -> Reason {
        if is_foreign_dot(self.found) {
            Reason::ForeignMiddleDot {
                line: self.line,
                column: self.column,
                found: self.found,
            }
        } else {
            Reason::HalfWidthPunctuation {
                line: self.line,
                column: self.column,
                found: self.found,
                replacement: self.replacement,
            }
        }
    }
}

/// The 间隔号 between the parts of a name (热依拉·艾买提, 《三国志·蜀书》), GB/T 15834.
pub const MIDDLE_DOT: char = '\u{00B7}';

/// Dots typed for the 间隔号 from other input methods and fonts: the katakana middle dot
/// (Japanese IMEs, many Word templates), its half-width form, the bullet, the hyphenation
/// point, the bullet and dot operators.
fn is_foreign_dot(c: char) -> bool {
    matches!(
        c,
        '\u{30FB}' | '\u{FF65}' | '\u{2022}' | '\u{2027}' | '\u{2219}' | '\u{22C5}'
    )
}

/// Every half-width mark in Chinese text and every foreign middle dot in a name, in order.
pub fn find(text: &str) -> Vec<Finding> {
    let mut out = Vec::new();
    for (l, line) in text.split('\n').enumerate() {
        let original: Vec<char> = line.trim_end_matches('\r').chars().collect();
        for (c, at) in settle(&original) {
            if c != original[at] {
                out.push(Finding {
                    line: l + 1,
                    column: at + 1,
                    found: original[at],
                    replacement: c,
                });
            }
        }
    }
    out
}

/// `text` with every mark `find` reports replaced by its full-width form.
pub fn convert(text: &str) -> String {
    let lines: Vec<String> = text
        .split('\n')
        .map(|line| {
            // A line break typed as CR LF keeps its CR.
            let body = line.trim_end_matches('\r');
            let original: Vec<char> = body.chars().collect();
            let mut converted: String = settle(&original).into_iter().map(|(c, _)| c).collect();
            converted.push_str(&line[body.len()..]);
            converted
        })
        .collect();
    lines.join("\n")
}

/// A line as converted: each character with the index in `original` it stands for. Deciding one
/// mark can make its neighbour's context Chinese (`(a),中`: once `,` is `，`, the `)` before it
/// touches full-width text), so passes repeat until nothing changes. Real text settles in two or
/// three; a made-up chain longer than `PASSES` (`(a)(a)(a)…中`) is left to settle on the next
/// conversion rather than cost a pass per link over a 100,000-character body.
fn settle(original: &[char]) -> Vec<(char, usize)> {
    const PASSES: usize = 16;
    let mut line: Vec<(char, usize)> = original.iter().copied().zip(0..).collect();
    for _ in 0..PASSES {
        let chars: Vec<char> = line.iter().map(|&(c, _)| c).collect();
        let decided = decide(&chars);
        if decided.iter().all(Option::is_none) {
            break;
        }
        line = tighten(&line, &decided);
    }
    line
}

/// Applies one pass's decisions, taking out the ASCII spaces typed after a converted closing
/// mark or before a converted opening one (the full-width mark has its own space).
fn tighten(line: &[(char, usize)], decided: &[Option<char>]) -> Vec<(char, usize)> {
    let mut drop = vec![false; line.len()];
    for (i, d) in decided.iter().enumerate() {
        let Some(r) = *d else { continue };
        if is_opening(r) {
            let mut j = i;
            while j > 0 && line[j - 1].0 == ' ' {
                j -= 1;
            }
            // Indentation at the start of a line stays.
            if j > 0 {
                drop[j..i].iter_mut().for_each(|d| *d = true);
            }
        } else {
            let mut j = i + 1;
            while j < line.len() && line[j].0 == ' ' {
                drop[j] = true;
                j += 1;
            }
        }
    }
    line.iter()
        .zip(decided)
        .zip(drop)
        .filter(|(_, drop)| !drop)
        .map(|((&(c, at), d), _)| (d.unwrap_or(c), at))
        .collect()
}

fn is_opening(c: char) -> bool {
    matches!(c, '（' | '“' | '‘')
}

/// One pass over a line: the replacement of each character that should change.
fn decide(chars: &[char]) -> Vec<Option<char>> {
    let mut decided = vec![None; chars.len()];
    let skip = addresses(chars);
    // A table row's cells are apart: a mark at a cell's end does not touch the next cell.
    let mut start = 0;
    for end in chars
        .iter()
        .enumerate()
        .filter(|(_, c)| **c == '\t')
        .map(|(i, _)| i)
        .chain(std::iter::once(chars.len()))
    {
        let cell = Cell {
            chars: &chars[start..end],
            skip: &skip[start..end],
        };
        for (i, r) in cell.decide().into_iter().enumerate() {
            decided[start + i] = r;
        }
        start = end + 1;
    }
    decided
}

/// Web and e-mail addresses in a line: nothing inside them is punctuation.
fn addresses(chars: &[char]) -> Vec<bool> {
    let mut skip = vec![false; chars.len()];
    let lower: Vec<char> = chars.iter().map(|c| c.to_ascii_lowercase()).collect();
    let starts_with = |i: usize, s: &str| {
        s.chars()
            .enumerate()
            .all(|(k, c)| lower.get(i + k) == Some(&c))
    };
    let mut i = 0;
    while i < chars.len() {
        let after_word = i > 0 && chars[i - 1].is_ascii_alphanumeric();
        if !after_word
            && ["http://", "https://", "ftp://", "www."]
                .iter()
                .any(|s| starts_with(i, s))
        {
            let mut end = i;
            while end < chars.len() && chars[end].is_ascii_graphic() {
                end += 1;
            }
            // A sentence's own mark after the address is not part of it: `详见https://a.cn/b.`
            // ends with a full stop; a `)` closes the address only if it opened in it.
            loop {
                let span = &chars[i..end];
                let Some(&last) = span.last() else { break };
                let unbalanced_close = last == ')'
                    && span.iter().filter(|&&c| c == ')').count()
                        > span.iter().filter(|&&c| c == '(').count();
                if ".,;:!?'\"".contains(last) || unbalanced_close {
                    end -= 1;
                } else {
                    break;
                }
            }
            skip[i..end].iter_mut().for_each(|s| *s = true);
            i = end.max(i + 1);
            continue;
        }
        if chars[i] == '@' {
            let local = |c: char| c.is_ascii_alphanumeric() || "._%+-".contains(c);
            let domain = |c: char| c.is_ascii_alphanumeric() || ".-".contains(c);
            let mut from = i;
            while from > 0 && local(chars[from - 1]) {
                from -= 1;
            }
            let mut end = i + 1;
            while end < chars.len() && domain(chars[end]) {
                end += 1;
            }
            while end > i + 1 && ".-".contains(chars[end - 1]) {
                end -= 1;
            }
            if from < i && chars[i + 1..end].contains(&'.') {
                skip[from..end].iter_mut().for_each(|s| *s = true);
                i = end;
                continue;
            }
        }
        i += 1;
    }
    skip
}

/// One cell of a line (the whole line where it has no tabs).
struct Cell<'a> {
    chars: &'a [char],
    /// Inside a web or e-mail address.
    skip: &'a [bool],
}

impl Cell<'_> {
    fn decide(&self) -> Vec<Option<char>> {
        let mut decided = vec![None; self.chars.len()];
        self.brackets(&mut decided);
        self.quotes('"', ('“', '”'), &mut decided);
        self.quotes('\'', ('‘', '’'), &mut decided);
        for i in 0..self.chars.len() {
            if decided[i].is_none() && !self.skip[i] {
                decided[i] = self.mark(i, &decided);
            }
        }
        decided
    }

    /// The character at `i` as decided so far; `None` outside the cell.
    fn at(&self, i: Option<usize>, decided: &[Option<char>]) -> Option<char> {
        let i = i?;
        (i < self.chars.len()).then(|| decided[i].unwrap_or(self.chars[i]))
    }

    fn wide_at(&self, i: Option<usize>, decided: &[Option<char>]) -> bool {
        self.at(i, decided).is_some_and(is_wide)
    }

    /// How many full-width characters come before each index (and in all, last): whether a
    /// pair holds Chinese is then one subtraction, however deeply pairs nest.
    fn wide_before(&self, decided: &[Option<char>]) -> Vec<usize> {
        let mut counts = Vec::with_capacity(self.chars.len() + 1);
        let mut n = 0;
        counts.push(n);
        for i in 0..self.chars.len() {
            n += usize::from(self.wide_at(Some(i), decided));
            counts.push(n);
        }
        counts
    }

    /// Whether a pair at `o` and `c` holds Chinese or touches it.
    fn pair_in_chinese(&self, (o, c): (usize, usize), wide: &[usize], d: &[Option<char>]) -> bool {
        wide[c] > wide[o + 1] || self.wide_at(o.checked_sub(1), d) || self.wide_at(Some(c + 1), d)
    }

    /// Half-width parentheses, matched within the cell: a pair turns full-width together when
    /// it holds Chinese or touches it (`细颗粒物(PM2.5)浓度`, `(1)申请人`), so that one is never
    /// left half-width beside its full-width partner.
    fn brackets(&self, decided: &mut [Option<char>]) {
        let mut open: Vec<usize> = Vec::new();
        let mut pairs = Vec::new();
        let mut lone = Vec::new();
        for (i, &c) in self.chars.iter().enumerate() {
            if self.skip[i] {
                continue;
            }
            match c {
                '(' => open.push(i),
                ')' => match open.pop() {
                    Some(o) => pairs.push((o, i)),
                    None => lone.push(i),
                },
                _ => {}
            }
        }
        lone.extend(open);
        let wide = self.wide_before(decided);
        for (o, c) in pairs {
            if self.pair_in_chinese((o, c), &wide, decided) {
                decided[o] = Some('（');
                decided[c] = Some('）');
            }
        }
        for i in lone {
            if self.wide_at(i.checked_sub(1), decided) || self.wide_at(Some(i + 1), decided) {
                decided[i] = Some(if self.chars[i] == '(' { '（' } else { '）' });
            }
        }
    }

    /// Straight quotes, paired in order within the cell; a pair turns into `open` and `close`
    /// when it holds Chinese or touches it. An apostrophe between letters (Xi'an) is not one.
    fn quotes(&self, mark: char, (open, close): (char, char), decided: &mut [Option<char>]) {
        let letter = |i: Option<usize>| {
            i.and_then(|i| self.chars.get(i))
                .is_some_and(char::is_ascii_alphabetic)
        };
        let marks: Vec<usize> = (0..self.chars.len())
            .filter(|&i| self.chars[i] == mark && !self.skip[i])
            .filter(|&i| !(letter(i.checked_sub(1)) && letter(Some(i + 1))))
            .collect();
        let wide = self.wide_before(decided);
        for pair in marks.chunks(2) {
            match *pair {
                [o, c] if self.pair_in_chinese((o, c), &wide, decided) => {
                    decided[o] = Some(open);
                    decided[c] = Some(close);
                }
                // A lone mark after a digit is a foot, inch or minute (32" screens, 5'30").
                [q] if !q.checked_sub(1).is_some_and(|p| is_digit(self.chars[p])) => {
                    if self.wide_at(Some(q + 1), decided) {
                        decided[q] = Some(open);
                    } else if self.wide_at(q.checked_sub(1), decided) {
                        decided[q] = Some(close);
                    }
                }
                _ => {}
            }
        }
    }

    /// A comma, full stop, colon, semicolon, question or exclamation mark, or a foreign middle
    /// dot: its replacement if it stands in Chinese.
    fn mark(&self, i: usize, decided: &[Option<char>]) -> Option<char> {
        let c = self.chars[i];
        let prev = i.checked_sub(1);
        let next = Some(i + 1);
        if is_foreign_dot(c) {
            // Between the parts of a name; a bullet opening a list item is left alone.
            let (p, n) = (self.at(prev, decided)?, self.at(next, decided)?);
            return (p.is_alphabetic() && n.is_alphabetic() && (is_han(p) || is_han(n)))
                .then_some(MIDDLE_DOT);
        }
        let replacement = match c {
            ',' => '，',
            '.' => '。',
            ':' => '：',
            ';' => '；',
            '?' => '？',
            '!' => '！',
            _ => return None,
        };
        let p = self.at(prev, decided);
        // Spaces typed at the end of a cell do not count: the mark ends it.
        let rest = self.chars.get(i + 1..).unwrap_or_default();
        let n = if rest.iter().all(|c| c.is_whitespace()) {
            None
        } else {
            self.at(next, decided)
        };
        // Inside a number: 1,286  12.8  08:30  １２.５
        if p.is_some_and(is_digit) && n.is_some_and(is_digit) {
            return None;
        }
        if c == '.' {
            // An ellipsis typed as dots, a file name (申请表.xlsx), an abbreviation or version
            // (No.5, V2.0): not a full stop.
            if p == Some('.') || n == Some('.') || n.is_some_and(|n| n.is_ascii_alphanumeric()) {
                return None;
            }
            match self.list_number(i) {
                Some(ListNumber::Arabic) => return None,
                Some(ListNumber::Chinese) => return Some('、'),
                None => {}
            }
        }
        if p.is_some_and(is_wide) {
            return Some(replacement);
        }
        let p = p?;
        if p.is_whitespace() {
            return None;
        }
        // After an ASCII run: Chinese if Chinese follows (共计100人,其中 is after 人; APP,请
        // here), or, at the cell's end, if the run itself stands after Chinese.
        match n {
            Some(n) if is_wide(n) => Some(replacement),
            Some(_) => None,
            None => {
                let mut k = i;
                while k > 0 && {
                    let c = self.at(Some(k - 1), decided).unwrap_or(' ');
                    c.is_ascii_graphic()
                } {
                    k -= 1;
                }
                self.wide_at(k.checked_sub(1), decided)
                    .then_some(replacement)
            }
        }
    }

    /// Whether the `.` at `i` follows a list number: one or more short groups of digits (`1.`,
    /// `12.`, `1.2.`), a Roman numeral (`Ⅱ.`), one ASCII letter (`a.`) or Chinese numerals (`一.`,
    /// which GB/T 9704 writes `一、`), at the cell's start or after a space or a punctuation mark
    /// (`如下：1.申请条件；2.办理流程`), not after a word (`附件1.` ends a sentence).
    fn list_number(&self, i: usize) -> Option<ListNumber> {
        let run = |accept: fn(char) -> bool| {
            let mut k = i;
            while k > 0 && accept(self.chars[k - 1]) {
                k -= 1;
            }
            let starts_item = k == 0 || {
                let before = self.chars[k - 1];
                before.is_whitespace()
                    || (is_wide(before) && !is_han(before))
                    || ":;,(".contains(before)
            };
            (k < i && starts_item).then_some(&self.chars[k..i])
        };
        let numbered = run(|c| is_digit(c) || c == '.').is_some_and(|number| {
            number
                .split(|&c| c == '.')
                .all(|group| (1..=2).contains(&group.len()))
        });
        let roman = |c: char| ('\u{2160}'..='\u{217F}').contains(&c);
        if numbered
            || run(roman).is_some()
            || run(|c| c.is_ascii_alphabetic()).map(<[char]>::len) == Some(1)
        {
            return Some(ListNumber::Arabic);
        }
        if run(|c| "一二三四五六七八九十".contains(c)).is_some_and(|n| n.len() <= 3) {
            return Some(ListNumber::Chinese);
        }
        None
    }
}

enum ListNumber {
    /// `1.` `1.2.` `a.` `Ⅱ.`: GB/T 9704's third level and its like, kept.
    Arabic,
    /// `一.`: written `一、`.
    Chinese,
}

fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

/// A Chinese character (CJK Unified Ideographs with their extensions and compatibility block).
fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x3007 | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3134F)
}

/// Full-width text: Chinese, the full-width punctuation and forms (less the ideographic space
/// and full-width digits, which a number rule reads), kana, circled numbers, and the marks
/// Chinese sets full-width though Unicode puts them with Latin punctuation (“ ” ‘ ’ … —).
fn is_wide(c: char) -> bool {
    is_han(c)
        || matches!(c as u32,
            0x3001..=0x303F | 0x3040..=0x30FF | 0xFE30..=0xFE4F | 0xFF01..=0xFF0F
            | 0xFF1A..=0xFF60 | 0xFFE0..=0xFFE6 | 0x2460..=0x24FF)
        || matches!(c, '“' | '”' | '‘' | '’' | '…' | '—')
}

#[cfg(test)]
mod tests;
