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
        .chain(phones(chars))
        .chain(range_dashes(chars))
        .chain(names(chars))
        .chain(list_items(chars))
        .chain(named_persons(chars))
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

/// The atoms of a line read at a glance, a title's: as [`atoms`], and a date's month keeps its
/// day (`12月3日`, `十二月三日`), which a title's reader takes in as one word. Body text may
/// still break between them.
pub fn heading_atoms(chars: &[char]) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::new();
    let days = month_days(chars);
    for atom in atoms(chars) {
        match out.last_mut() {
            Some(prev)
                if days
                    .iter()
                    .any(|d| d.start < atom.start && atom.start < d.end) =>
            {
                prev.end = atom.end
            }
            _ => out.push(atom),
        }
    }
    out
}

/// How good a place `[i]` (before `chars[i]`) is to break an atom wider than a whole line,
/// from 0 (none) to [`Rank::Bound`].
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Rank {
    None,
    /// Between two hanzi of a name, or of a label: a break the rules took away.
    Plain,
    /// Where an address or a phone may break, but a reader would rather it did not: after an
    /// address's `-` (it reads like hyphenation), between the digit groups of a phone.
    Weak,
    /// Where the rules that made the atom bound it: a label from its value (`电话：|0871`), a
    /// phone's area code (`0871-|6000123`), an address after `/` or `.`.
    Bound,
}

/// Where an atom wider than a whole line is broken: the breaks before the rules bound anything,
/// ranked. The filler takes the best rank that fits, then the latest of it.
pub(super) fn soft_breaks(chars: &[char]) -> Vec<Rank> {
    let n = chars.len();
    let runs = Breaks::between_runs(chars);
    let mut rank: Vec<Rank> = runs
        .0
        .iter()
        .map(|&b| if b { Rank::Plain } else { Rank::None })
        .collect();
    for i in 1..n {
        let before = (0..i)
            .rev()
            .find(|&k| !is_space(chars[k]))
            .map(|k| chars[k]);
        let (a, b) = (before.map(class), class(chars[i]));
        if a.is_some() && a != Some(b) && b != Class::Space {
            // Between hanzi and a word (a label and its value), spaces between or not.
            rank[i] = Rank::Bound;
        } else if a == Some(Class::Word) && is_space(chars[i - 1]) && b == Class::Word {
            // Between a phone's digit groups (`5520 1199`).
            rank[i] = Rank::Weak;
        }
        // A phone number's parts: 0871- / 6000123.
        if matches!(chars[i - 1], '-' | '/') && chars[i].is_ascii_alphanumeric() {
            rank[i] = Rank::Bound;
        }
    }
    let mut addresses = Breaks(vec![false; n + 1]);
    addresses.open_addresses(chars);
    for i in 1..n {
        if addresses.0[i] {
            rank[i] = if chars[i - 1] == '-' {
                Rank::Weak
            } else {
                Rank::Bound
            };
        }
    }
    rank
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
    /// after `-`: nowhere inside a label (an e-mail's user and `@` stay with its host's first
    /// label), so a long address never leaves `gov.c` on a line.
    fn open_addresses(&mut self, chars: &[char]) {
        let mut i = 0;
        while i < chars.len() {
            let mut j = i + 1;
            if class(chars[i]) == Class::Word {
                while j < chars.len() && class(chars[j]) == Class::Word {
                    j += 1;
                }
                // Punctuation typed after an address (`….gov.cn,`) is not part of it.
                let mut e = j;
                while e > i && matches!(chars[e - 1], ',' | '.' | ';' | ':' | '!' | '?' | ')') {
                    e -= 1;
                }
                if is_address(&chars[i..e]) {
                    for k in i + 1..e {
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
    "微克",
    "毫克",
    "克",
    "千瓦时",
    "千瓦",
    "兆瓦",
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

/// The length of the longest unit starting at `chars[i]`, 0 for none; a compound unit
/// (`微克/立方米`, `元/月`, `公里/小时`) is one unit, never broken at its `/`.
fn unit_at(chars: &[char], i: usize) -> usize {
    let k = simple_unit_at(chars, i);
    match chars.get(i + k) {
        Some('/' | '／') if k > 0 => match simple_unit_at(chars, i + k + 1) {
            0 => k,
            per => k + 1 + per,
        },
        _ => k,
    }
}

fn simple_unit_at(chars: &[char], i: usize) -> usize {
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

/// A phone number written in digit groups with single spaces, read as one number:
/// `0839-5520 1199` and `0871-6000 1234` (an area code with `-`), `0873 4821234` and
/// `010 8888 6666` (an area code and seven or eight digits), `138 0873 1234` (a mobile's
/// 3-4-4), `400 123 4567`. Digit groups that look like none of these (`共 12 3`) stay apart.
fn phones(chars: &[char]) -> Vec<Range<usize>> {
    let n = chars.len();
    let digits_from = |i: usize| (i..n).find(|&k| !is_digit(chars[k])).unwrap_or(n);
    let mut spans = Vec::new();
    let mut i = 0;
    while i < n {
        let starts = is_digit(chars[i])
            && (i == 0 || !(chars[i - 1].is_ascii_alphanumeric() || is_digit(chars[i - 1])))
            && (i < 2 || !(matches!(chars[i - 1], '-' | '.' | ',') && is_digit(chars[i - 2])));
        if !starts {
            i += 1;
            continue;
        }
        // The digit groups and the separator before each (none before the first).
        let mut groups: Vec<(char, Range<usize>)> = vec![(' ', i..digits_from(i))];
        while groups.len() < 4 {
            let at = groups[groups.len() - 1].1.end;
            if at + 1 < n && matches!(chars[at], ' ' | '-') && is_digit(chars[at + 1]) {
                groups.push((chars[at], at + 1..digits_from(at + 1)));
            } else {
                break;
            }
        }
        let found = (2..=groups.len().min(3))
            .rev()
            .find(|&k| is_phone(chars, &groups[..k]) && groups[1..k].iter().any(|g| g.0 == ' '));
        match found {
            Some(k) => {
                let end = groups[k - 1].1.end;
                spans.push(i..end);
                i = end;
            }
            None => i = groups[0].1.end,
        }
    }
    spans
}

/// Whether digit groups (each with the separator before it) make a phone number.
fn is_phone(chars: &[char], groups: &[(char, Range<usize>)]) -> bool {
    let lens: Vec<usize> = groups.iter().map(|g| g.1.len()).collect();
    let first = chars[groups[0].1.start];
    let local: usize = lens[1..].iter().sum();
    let short_groups = lens[1..].iter().all(|&l| (3..=4).contains(&l));
    let area = first == '0' && (3..=4).contains(&lens[0]);
    let mobile = first == '1' && lens == [3, 4, 4];
    let service = matches!(lens.as_slice(), [3, 3, 4] | [3, 4])
        && matches!(
            chars[groups[0].1.clone()],
            ['4', '0', '0'] | ['8', '0', '0']
        );
    let landline = area && (7..=8).contains(&local) && (lens.len() == 2 || short_groups);
    mobile || service || landline
}

/// The month and day of a date, `12月3日` or `十二月三日`: kept together in a title.
fn month_days(chars: &[char]) -> Vec<Range<usize>> {
    let parts = numbers(chars);
    parts
        .windows(2)
        .filter(|w| {
            w[0].end == w[1].start
                && chars[w[0].end - 1] == '月'
                && chars[w[1].end - 1] == '日'
                && !chars[w[0].start..w[0].end - 1].contains(&'个')
        })
        .map(|w| w[0].start..w[1].end)
        .collect()
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

/// Characters that never write a part of a transliterated name (Uyghur, Kazakh, Mongolian,
/// Tibetan, or a foreign name by the Xinhua tables): the particles, function words and verbs a
/// name sits between in a sentence (拟任命…为, 授予…等同志). They bound how far a name
/// reaches. Characters such names do use are not here, though in other text they are words of
/// their own: 都 (阿布都), 向 (向巴), 买 (买买提), 和 (孟和, see [`names`]).
fn ends_a_name(c: char) -> bool {
    "的为等与及在是被将已对给由请把让了着也就又系经从自至任免拟命聘荐选举授予彰准定批户".contains(c)
}

/// Words after a name that are no part of it: how a notice goes on after a person
/// (`…同志`, `…家庭`).
const AFTER_A_NAME: &[&str] = &["同志", "同学", "先生", "女士", "老师", "医生", "家庭"];

/// The longest a name's part reaches on either side of its 间隔号: 阿卜杜热合曼 is six hanzi,
/// 阿布都热依木江 seven.
const NAME_PART: usize = 8;

/// Names with a 间隔号 between hanzi (`热依拉・艾买提`, `阿卜杜拉·买买提·艾力`,
/// `努尔比亚·阿布都热依木`): each part reaches over at most [`NAME_PART`] hanzi, and not past a
/// character or word that is no part of a name. 和 is read in context: it ends a name as its
/// last character (`巴特尔·孟和为…`), but joins two names (`艾买提和古丽`) and starts none.
fn names(chars: &[char]) -> Vec<Range<usize>> {
    let n = chars.len();
    let after_a_name = |k: usize| {
        AFTER_A_NAME.iter().any(|w| {
            w.chars()
                .enumerate()
                .all(|(d, c)| chars.get(k + d) == Some(&c))
        })
    };
    // Whether the name goes on at `k`, read rightwards: a hanzi of a name, not a word after it.
    let goes_on = |k: usize| {
        let c = chars[k];
        let name_end =
            |k: usize| k >= n || !is_han(chars[k]) || ends_a_name(chars[k]) || after_a_name(k);
        is_han(c) && !ends_a_name(c) && !after_a_name(k) && (c != '和' || name_end(k + 1))
    };
    // Whether the name reaches back to `k`, read leftwards.
    let reaches_back = |k: usize| is_han(chars[k]) && !ends_a_name(chars[k]) && chars[k] != '和';
    let is_dot_at = |i: usize| {
        i > 0 && i + 1 < n && is_name_dot(chars[i]) && reaches_back(i - 1) && goes_on(i + 1)
    };
    let mut spans: Vec<Range<usize>> = Vec::new();
    for i in (0..n).filter(|&i| is_dot_at(i)) {
        let mut start = i;
        while start > 0 && i - start < NAME_PART && reaches_back(start - 1) {
            start -= 1;
        }
        let mut end = i + 1;
        while end < n && end - i <= NAME_PART && goes_on(end) {
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

/// Two-hanzi words that name the number after them: a label even at the end of a longer run.
const NUMBER_WORDS: &[[char; 2]] = &[
    ['电', '话'],
    ['热', '线'],
    ['手', '机'],
    ['传', '真'],
    ['座', '机'],
    ['专', '线'],
    ['号', '码'],
];

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
        // of a longer run (请拨打火警 119) only its last two hanzi are taken for one, and only
        // before a short number, meaningless without it, or when they name what follows
        // (值班电话 0871-6000 1234): a whole phone number after other words (…指挥部办公室
        // 0839-5520 1199) reads alone, and 公室 is no label.
        if spaced && start > 0 && is_han(chars[start - 1]) {
            let long = (v..breaks.next(v + 1))
                .filter(|&k| is_digit(chars[k]))
                .count()
                > 5;
            if long && !NUMBER_WORDS.contains(&[chars[i - 2], chars[i - 1]]) {
                continue;
            }
            start = label_before(i, 2);
        }
        spans.push(start..breaks.next(v + 1));
    }
    spans
}

/// Labels before a person's name: 联系人, 负责人, 经办人, 申请人 and the other roles in 人, and
/// 姓名, 户主.
fn person_label(chars: &[char], colon: usize) -> Option<usize> {
    let before = |k: usize| colon >= k && chars[colon - k..colon].iter().all(|&c| is_han(c));
    if before(3) && chars[colon - 1] == '人' {
        Some(colon - 3)
    } else if before(2) && matches!(chars[colon - 2..colon], ['姓', '名'] | ['户', '主']) {
        Some(colon - 2)
    } else {
        None
    }
}

/// A person's name after its label (`联系人：李春生，`, `负责人: 何晓燕`): two to four hanzi up
/// to the next punctuation, kept whole with the label, as a phone is with its own.
fn named_persons(chars: &[char]) -> Vec<Range<usize>> {
    let n = chars.len();
    let mut spans = Vec::new();
    for i in 1..n {
        if !matches!(chars[i], '：' | ':') {
            continue;
        }
        let Some(start) = person_label(chars, i) else {
            continue;
        };
        let v = (i + 1..n).find(|&k| !is_space(chars[k])).unwrap_or(n);
        let end = (v..n).find(|&k| !is_han(chars[k])).unwrap_or(n);
        let ends_well = end == n || !chars[end].is_alphanumeric() || is_digit(chars[end]);
        if (2..=4).contains(&(end - v)) && ends_well {
            spans.push(start..end);
        }
    }
    spans
}
