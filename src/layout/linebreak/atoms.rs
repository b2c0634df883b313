//! The unbreakable pieces of a paragraph: where a line may break, before any line is filled.
//!
//! Every caller gets the same pieces (body text, titles through `words::title_atoms`, table
//! cells), so a rule written here holds on every screen. The paragraph starts as one break
//! opportunity between any two hanzi and around every run of Latin letters, digits or spaces;
//! the rules below then *bind* spans (no break inside them) and, in web and e-mail addresses
//! only, *open* breaks inside a run. Binding is order-free, so each rule is a function of the
//! characters alone; only labels read the breaks the others left, to find their value's first
//! piece.
//!
//! What a typographer expects, beyond clreq's punctuation rules:
//! - a number stays with its parts and its unit (`58,600.00元`, `12.8亿元`, `第3条`, `2027年`);
//!   a date breaks between its parts (`2026年` `11月` `30日`) and never inside one;
//! - no line starts with a dash, `——` is never split, and a range dash (`2026—2028年`) keeps
//!   both its numbers;
//! - a name written with a 间隔号 (`热依拉・艾买提`) is one piece, and so is each short name in a
//!   list between 、 (`张三、李四、王五`), with its 、;
//! - an address (`https://…`, `zwgk@…`) breaks only after `/`, after the `.` between two labels
//!   or after `-`, never inside a label (`gov.c|n`);
//! - a short label stays with its value (`电话：0871-1234567`, `火警 119`).

use std::ops::Range;

use super::{Class, class, is_space, no_line_end, no_line_start};

/// The unbreakable pieces of a paragraph, as char-index ranges that tile `0..chars.len()`.
pub fn atoms(chars: &[char]) -> Vec<Range<usize>> {
    let n = chars.len();
    let mut breaks = Breaks::between_runs(chars);
    breaks.open_addresses(chars);
    for i in 1..n {
        if no_line_start(chars[i]) || no_line_end(chars[i - 1]) {
            breaks.0[i] = false;
        }
    }
    for span in numbers(chars)
        .into_iter()
        .chain(range_dashes(chars))
        .chain(names(chars))
        .chain(list_items(chars))
    {
        breaks.bind(span);
    }
    for span in labels(chars, &breaks) {
        breaks.bind(span);
    }
    let mut out = Vec::new();
    let mut start = 0;
    for i in 1..=n {
        if i == n || breaks.0[i] {
            out.push(start..i);
            start = i;
        }
    }
    out
}

/// Where a line may break before the rules bind anything (`[i]` before `chars[i]`): where an
/// atom wider than a whole line is broken first.
pub(super) fn soft_breaks(chars: &[char]) -> Vec<bool> {
    let mut breaks = Breaks::between_runs(chars);
    breaks.open_addresses(chars);
    for i in 1..chars.len() {
        // A phone number's parts: 0871- / 6000123.
        if matches!(chars[i - 1], '-' | '/') && chars[i].is_ascii_alphanumeric() {
            breaks.0[i] = true;
        }
    }
    breaks.0
}

/// `self.0[i]`: whether a line may break before `chars[i]` (index 0 and `len` unused).
struct Breaks(Vec<bool>);

impl Breaks {
    /// Around every hanzi, and between runs of word characters and of spaces.
    fn between_runs(chars: &[char]) -> Breaks {
        let mut at = vec![true; chars.len() + 1];
        for i in 1..chars.len() {
            let (a, b) = (class(chars[i - 1]), class(chars[i]));
            at[i] = a != b || a == Class::Cjk;
        }
        Breaks(at)
    }

    /// No break strictly inside `span`.
    fn bind(&mut self, span: Range<usize>) {
        for i in span.start + 1..span.end {
            self.0[i] = false;
        }
    }

    /// The first break at or after `i`.
    fn next(&self, i: usize) -> usize {
        (i..self.0.len())
            .find(|&j| self.0[j])
            .unwrap_or(self.0.len() - 1)
    }

    /// Web and e-mail addresses break after a run of `/`, after a `.` between two labels and
    /// after `-`: nowhere inside a label, so a long address never leaves `gov.c` on a line.
    fn open_addresses(&mut self, chars: &[char]) {
        let mut i = 0;
        while i < chars.len() {
            let mut j = i + 1;
            if class(chars[i]) == Class::Word {
                while j < chars.len() && class(chars[j]) == Class::Word {
                    j += 1;
                }
                if is_address(&chars[i..j]) {
                    for k in i + 1..j {
                        let (a, b) = (chars[k - 1], chars[k]);
                        let label = b.is_ascii_alphanumeric();
                        // A `.` between digits is a decimal point (or an IP address's).
                        let decimal = a == '.' && k >= 2 && is_digit(chars[k - 2]) && is_digit(b);
                        if (a == '/' && b != '/') || (matches!(a, '.' | '-') && label && !decimal) {
                            self.0[k] = true;
                        }
                    }
                }
            }
            i = j;
        }
    }
}

/// A web address (`https://…`, `www.…`), an e-mail address, or a host name such as
/// `zwgk.yunling.gov.cn`: labels of letters and digits between dots, the last of letters.
fn is_address(run: &[char]) -> bool {
    let s: String = run.iter().collect::<String>().to_ascii_lowercase();
    if s.contains("://") || s.starts_with("www.") {
        return true;
    }
    let host = match s.split_once('@') {
        Some((user, host)) if !user.is_empty() => host,
        _ => s.split('/').next().unwrap_or(""),
    };
    let labels: Vec<&str> = host.split('.').collect();
    let last = labels.last().copied().unwrap_or("");
    labels.len() >= 2
        && labels
            .iter()
            .all(|l| !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
        && last.len() >= 2
        && last.chars().all(|c| c.is_ascii_alphabetic())
        && (s.contains('@') || s.contains('/') || labels.len() >= 3)
}

fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

/// A hanzi (unified ideographs and their extensions), or 〓, the sign that stands in for one the
/// fonts lack (in a name, where rare characters are most common).
pub(super) fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3FFFF | 0x3013)
}

/// What may stand before a number and belongs to it: an ordinal's 第, a currency sign.
const NUMBER_PREFIXES: &[char] = &['第', '￥', '¥', '$', '€', '£'];

/// Orders of magnitude written after the digits (`12.8亿元`, `3万人`).
const MAGNITUDES: &[char] = &['万', '亿', '千', '百'];

/// Units and measure words a number is read with: time, money, counts, lengths, areas,
/// weights, ordinals of articles. A multi-character unit is matched before its first character.
const UNITS: &[&str] = &[
    "年",
    "个月",
    "月",
    "日",
    "号",
    "小时",
    "时",
    "分钟",
    "分",
    "秒",
    "点",
    "周年",
    "周岁",
    "周",
    "天",
    "岁",
    "元",
    "角",
    "个百分点",
    "百分点",
    "个",
    "人次",
    "人",
    "户",
    "名",
    "项",
    "次",
    "件",
    "平方公里",
    "平方米",
    "立方米",
    "千米",
    "公里",
    "厘米",
    "毫米",
    "米",
    "亩",
    "公顷",
    "吨",
    "千克",
    "公斤",
    "克",
    "斤",
    "毫升",
    "升",
    "℃",
    "度",
    "倍",
    "条",
    "款",
    "章",
    "节",
    "批",
    "期",
    "届",
    "份",
    "台",
    "辆",
    "座",
    "间",
    "套",
    "处",
    "所",
    "家",
    "栋",
    "幢",
    "层",
    "楼",
    "室",
    "床",
    "张",
    "本",
    "册",
    "页",
    "篇",
    "位",
    "类",
    "种",
    "组",
    "队",
];

/// The length of the longest unit starting at `chars[i]`, 0 for none.
fn unit_at(chars: &[char], i: usize) -> usize {
    let rest = chars.get(i..).unwrap_or_default();
    UNITS
        .iter()
        .filter(|u| {
            let mut c = rest.iter();
            u.chars().all(|u| c.next() == Some(&u))
        })
        .map(|u| u.chars().count())
        .max()
        .unwrap_or(0)
}

/// Numbers with their parts, their prefix and their unit: `58,600.00元`, `12.8亿元`,
/// `3,200余户`, `第3条`, `￥1,280`, `85％`; a date in hanzi numerals keeps each part
/// (`二〇二六年`, `十一月`).
fn numbers(chars: &[char]) -> Vec<Range<usize>> {
    let n = chars.len();
    let mut spans = Vec::new();
    let mut i = 0;
    while i < n {
        if let Some(end) = hanzi_date_part(chars, i) {
            spans.push(i..end);
            i = end;
            continue;
        }
        if !is_digit(chars[i]) || (i > 0 && is_digit(chars[i - 1])) {
            i += 1;
            continue;
        }
        let start = if i > 0 && NUMBER_PREFIXES.contains(&chars[i - 1]) {
            i - 1
        } else {
            i
        };
        // The digits, with separators between digits: 58,600.00 or 12.8.
        let mut j = i + 1;
        while j < n
            && (is_digit(chars[j])
                || (matches!(chars[j], ',' | '.' | '．')
                    && j + 1 < n
                    && is_digit(chars[j + 1])
                    && is_digit(chars[j - 1])))
        {
            j += 1;
        }
        if j < n && matches!(chars[j], '%' | '％' | '‰') {
            j += 1;
        }
        let end = match unit_at(chars, j) {
            0 => {
                let mut k = j;
                while k < n && k < j + 2 && MAGNITUDES.contains(&chars[k]) {
                    k += 1;
                }
                let magnitude = k;
                if k < n && matches!(chars[k], '余' | '多') {
                    k += 1;
                }
                match unit_at(chars, k) {
                    0 => magnitude, // 3万, 12亿: the magnitude is the unit
                    unit => k + unit,
                }
            }
            unit => j + unit,
        };
        if end - start > 1 {
            spans.push(start..end);
        }
        i = end.max(i + 1);
    }
    spans
}

/// `二〇二六年`, `十一月`, `二十八日` at `i`: a run of hanzi numerals ending in 年, 月 or 日.
fn hanzi_date_part(chars: &[char], i: usize) -> Option<usize> {
    let numeral = |c: char| {
        matches!(
            c,
            '〇' | '零' | '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十'
        )
    };
    if !numeral(chars[i]) || (i > 0 && numeral(chars[i - 1])) {
        return None;
    }
    let mut j = i;
    while j < chars.len() && numeral(chars[j]) {
        j += 1;
    }
    (j < chars.len() && matches!(chars[j], '年' | '月' | '日') && j - i <= 4).then_some(j + 1)
}

/// A single dash between two numbers (`2026—2028年`, `9:00～17:30`, `3-5人`): it may not start a
/// line (clreq), and it does not end one either, so the range is read at once.
fn range_dashes(chars: &[char]) -> Vec<Range<usize>> {
    let dash = |c: char| matches!(c, '—' | '–' | '～' | '〜' | '~');
    (1..chars.len().saturating_sub(1))
        .filter(|&i| dash(chars[i]) && !dash(chars[i - 1]) && !dash(chars[i + 1]))
        .filter(|&i| is_digit(chars[i + 1]))
        .filter(|&i| is_digit(chars[i - 1]) || matches!(chars[i - 1], '年' | '月' | '日' | '时'))
        .map(|i| i - 1..i + 2)
        .collect()
}

/// The marks written between the parts of a transliterated name: U+00B7 (the 间隔号 of GB/T
/// 15834), and the look-alikes typed in its place (katakana's U+30FB and U+FF65, the bullet
/// U+2022, the hyphenation point U+2027).
pub fn is_name_dot(c: char) -> bool {
    matches!(c, '·' | '・' | '･' | '•' | '‧')
}

/// Characters that do not belong to a name: the particles, function words and verbs a name sits
/// between in a sentence (拟任命…为, …等同志). None is used to write a foreign name; they bound
/// how far a name reaches.
fn ends_a_name(c: char) -> bool {
    "的为等与及在是被将已向对给由请把让了着也都就又系经从自至任免拟命聘荐选举授予彰准定批"
        .contains(c)
}

/// The longest a name's part reaches on either side of its 间隔号.
const NAME_PART: usize = 6;

/// Names with a 间隔号 between hanzi (`热依拉・艾买提`, `阿卜杜拉·买买提·艾力`): each part
/// reaches over at most [`NAME_PART`] hanzi, and not past a particle.
fn names(chars: &[char]) -> Vec<Range<usize>> {
    let part = |c: char| is_han(c) && !ends_a_name(c);
    let is_dot_at = |i: usize| {
        i > 0
            && i + 1 < chars.len()
            && is_name_dot(chars[i])
            && part(chars[i - 1])
            && part(chars[i + 1])
    };
    let mut spans: Vec<Range<usize>> = Vec::new();
    for i in (0..chars.len()).filter(|&i| is_dot_at(i)) {
        let mut start = i;
        while start > 0 && i - start < NAME_PART && part(chars[start - 1]) {
            start -= 1;
        }
        let mut end = i + 1;
        while end < chars.len() && end - i <= NAME_PART && part(chars[end]) {
            end += 1;
        }
        match spans.last_mut() {
            Some(prev) if prev.end >= start => prev.end = prev.end.max(end),
            _ => spans.push(start..end),
        }
    }
    spans
}

/// What ends an item of a list between 、: the 、 itself, the other pause and stop marks,
/// brackets and quotes around the list.
fn ends_an_item(c: char) -> bool {
    matches!(
        c,
        '、' | '，'
            | '。'
            | '；'
            | '：'
            | '！'
            | '？'
            | ','
            | ';'
            | ':'
            | '（'
            | '）'
            | '('
            | ')'
            | '《'
            | '》'
            | '“'
            | '”'
            | '「'
            | '」'
            | '【'
            | '】'
            | '\n'
    )
}

/// The longest item of a 、 list kept whole without a 间隔号: a Han name is two or three hanzi,
/// four with a compound surname. A list of four-character phrases (居民自愿、政府引导、…) breaks
/// as running text: kept whole, each would leave a loose line before it on a narrow screen.
const LIST_ITEM: usize = 3;

/// The compound surnames (复姓) that make a four-hanzi name (欧阳娜娜, 司马相如).
const COMPOUND_SURNAMES: &[&str] = &[
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒",
    "夏侯", "令狐", "端木", "独孤", "西门", "南宫", "申屠", "轩辕", "呼延", "闻人", "万俟", "澹台",
    "拓跋", "百里", "东郭", "赫连", "钟离", "太史", "司空", "左丘", "公羊", "谷梁",
];

/// Whether `item` (hanzi and the spaces that align it) reads as a name or a short word.
fn short_item(item: &[char]) -> bool {
    let hanzi: Vec<char> = item.iter().copied().filter(|&c| is_han(c)).collect();
    match hanzi.len() {
        0 => false,
        n if n <= LIST_ITEM => true,
        4 => COMPOUND_SURNAMES
            .iter()
            .any(|s| s.chars().eq(hanzi[..2].iter().copied())),
        _ => false,
    }
}

/// Short items of a list between 、 (`张三、李四、王五`, `东岭村、西岭村`), each with its 、: an
/// item next to a 、 of at most [`LIST_ITEM`] hanzi or a name with a compound surname (spaces
/// that align two-character names not counted), or a name with a 间隔号 of any length.
fn list_items(chars: &[char]) -> Vec<Range<usize>> {
    let mut spans = Vec::new();
    let mut start = 0;
    for end in 0..=chars.len() {
        if end < chars.len() && !ends_an_item(chars[end]) {
            continue;
        }
        let next_to_list = chars.get(end) == Some(&'、') || (start > 0 && chars[start - 1] == '、');
        let item = &chars[start..end];
        let dots = item.iter().any(|&c| is_name_dot(c));
        let plain = item
            .iter()
            .all(|&c| is_han(c) || is_space(c) || is_name_dot(c));
        if next_to_list && plain && (short_item(item) || dots) {
            // The item and its 、 (a closing mark after the last item is glued by clreq).
            let stop = if chars.get(end) == Some(&'、') {
                end + 1
            } else {
                end
            };
            let lead = item.iter().take_while(|&&c| is_space(c)).count();
            spans.push(start + lead..stop);
        }
        start = end + 1;
    }
    spans
}

/// The longest label kept with its value, in hanzi: 电话, 火警, 电子邮箱, 监督电话.
const LABEL: usize = 4;

/// A short label and the first piece of its value: `电话：0871-1234567`, `电子邮箱：zwgk@…`,
/// `时间：2026年`, `火警 119`. A value is a number, a phone, an address: what a resident reads
/// off the screen to dial or type, and what makes no sense on a line without its label.
fn labels(chars: &[char], breaks: &Breaks) -> Vec<Range<usize>> {
    let n = chars.len();
    let value = |i: usize| i < n && (chars[i].is_ascii_alphanumeric() || is_digit(chars[i]));
    let label_before = |end: usize, longest: usize| {
        let mut start = end;
        while start > 0 && end - start < longest && is_han(chars[start - 1]) {
            start -= 1;
        }
        start
    };
    let mut spans = Vec::new();
    for i in 1..n {
        let colon = matches!(chars[i], '：' | ':') && is_han(chars[i - 1]);
        let spaced = is_space(chars[i]) && is_han(chars[i - 1]);
        if !colon && !spaced {
            continue;
        }
        let mut v = i + 1;
        while v < n && is_space(chars[v]) {
            v += 1;
        }
        if !value(v) || (spaced && !is_digit(chars[v])) {
            continue;
        }
        let mut start = label_before(i, LABEL);
        // Without a colon, a label is a word standing alone (火警 119；急救 120); at the end
        // of a longer run (请拨打火警 119) only its last two hanzi are taken for one.
        if spaced && start > 0 && is_han(chars[start - 1]) {
            start = label_before(i, 2);
        }
        spans.push(start..breaks.next(v + 1));
    }
    spans
}
