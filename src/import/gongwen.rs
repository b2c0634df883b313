//! A document read as blocks (paragraphs with their alignment, tables, images) becomes a draft's
//! fields by the conventions of a 公文 (GB/T 9704): the 版头 (`…文件`) and the 文号 above the
//! centred title, the 落款 (issuing office, then the date) at the end. Shared by Word, PDF and OFD.

use chrono::NaiveDate;

use super::text::{cell_text, para_text};

/// How a paragraph sits on its line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum Align {
    #[default]
    Left,
    Center,
    Right,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Para {
    pub text: String,
    pub align: Align,
    /// A Title or Heading style, or an outline level.
    pub heading: bool,
    /// Every run bold.
    pub bold: bool,
    /// The largest type on it, in points (0 when unknown).
    pub size: f32,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Block {
    Para(Para),
    Table(Vec<Vec<String>>),
    /// An image, by its index in the draft's images.
    Image(usize),
}

/// What the conventions found; the blocks left over are the body.
#[derive(Debug, Default)]
pub(crate) struct Shaped {
    pub title: Option<String>,
    pub doc_number: Option<String>,
    pub issuer: Option<String>,
    pub date: Option<NaiveDate>,
    pub body: String,
    /// (image index, caption) for images a caption paragraph follows.
    pub captions: Vec<(usize, String)>,
}

/// How far from the top the title and the 文号 may be, in non-empty blocks.
const HEAD_BLOCKS: usize = 8;
/// How far from the end the date line may be, in non-empty blocks.
const TAIL_BLOCKS: usize = 4;

pub(crate) fn shape(blocks: Vec<Block>) -> Shaped {
    let mut blocks: Vec<Block> = blocks
        .into_iter()
        .filter(|b| match b {
            Block::Para(p) => !p.text.trim().is_empty(),
            Block::Table(rows) => !rows.is_empty(),
            Block::Image(_) => true,
        })
        .collect();
    let mut out = Shaped::default();
    let para = |b: &Block| match b {
        Block::Para(p) => Some(p.clone()),
        _ => None,
    };

    // The 文号, and above it the 版头 (`某某县人民政府文件`), which names the issuer.
    let mut masthead = None;
    if let Some(i) = (0..blocks.len().min(HEAD_BLOCKS))
        .find(|&i| para(&blocks[i]).is_some_and(|p| doc_number_line(&p.text).is_some()))
    {
        let text = para(&blocks[i]).map(|p| p.text).unwrap_or_default();
        out.doc_number = doc_number_line(&text);
        blocks.remove(i);
        for k in (0..i).rev() {
            let Some(p) = para(&blocks[k]) else { continue };
            let line = squeeze(&p.text);
            if let Some(office) = line.strip_suffix("文件").filter(|o| !o.is_empty()) {
                masthead = Some(office.to_string());
                blocks.remove(k);
            }
        }
    }

    // The title: a Title or Heading style, else the first centred paragraph near the top;
    // a long title set on two or three centred lines is one title.
    let head = blocks.len().min(HEAD_BLOCKS);
    let is_title = |p: &Para| {
        p.text.chars().count() <= 80 && date_line(&p.text).is_none() && !p.text.ends_with('：')
    };
    let first = (0..head)
        .find(|&i| para(&blocks[i]).is_some_and(|p| p.heading && is_title(&p)))
        .or_else(|| {
            (0..head).find(|&i| {
                para(&blocks[i]).is_some_and(|p| p.align == Align::Center && is_title(&p))
            })
        });
    if let Some(i) = first {
        let lead = para(&blocks[i]).unwrap_or_default();
        let mut title = squeeze_lines(&lead.text);
        let mut end = i + 1;
        while end < blocks.len() && end < i + 3 {
            match para(&blocks[end]) {
                Some(p)
                    if p.align == lead.align
                        && p.heading == lead.heading
                        && (p.size - lead.size).abs() < 0.5
                        && p.align == Align::Center
                        && is_title(&p) =>
                {
                    title.push_str(&squeeze_lines(&p.text));
                    end += 1;
                }
                _ => break,
            }
        }
        blocks.drain(i..end);
        out.title = Some(title);
    }

    // The 落款: a date line among the last blocks, the issuing office on the line before it
    // (or the same paragraph's line before it).
    let tail_start = blocks.len().saturating_sub(TAIL_BLOCKS);
    if let Some(i) = (tail_start..blocks.len())
        .rev()
        .find(|&i| para(&blocks[i]).is_some_and(|p| last_line_date(&p.text).is_some()))
    {
        let p = para(&blocks[i]).unwrap_or_default();
        let mut lines: Vec<&str> = p.text.lines().collect();
        let last = lines.pop().unwrap_or_default();
        out.date = date_line(last);
        let rest = lines.join("\n");
        if let Some(office) = lines.last().copied().filter(|l| office_line(l)) {
            out.issuer = Some(office.trim().to_string());
            let keep = lines[..lines.len() - 1].join("\n");
            set_text(&mut blocks[i], keep);
        } else if !rest.trim().is_empty() {
            set_text(&mut blocks[i], rest);
        } else {
            blocks.remove(i);
            if let Some(k) = i.checked_sub(1)
                && let Some(prev) = para(&blocks[k])
                && office_line(&prev.text)
            {
                out.issuer = Some(prev.text.trim().to_string());
                blocks.remove(k);
            }
        }
    }
    if out.issuer.is_none() {
        out.issuer = masthead;
    }

    // Captions: a paragraph starting with 图 right after an image.
    let mut body = Vec::new();
    let mut i = 0;
    while i < blocks.len() {
        match &blocks[i] {
            Block::Image(index) => {
                if let Some(Block::Para(p)) = blocks.get(i + 1)
                    && caption_line(&p.text)
                {
                    out.captions.push((*index, p.text.replace('\n', " ")));
                    i += 1;
                }
            }
            Block::Para(p) => {
                let text = para_text(&p.text);
                if !text.is_empty() {
                    body.push(text);
                }
            }
            Block::Table(rows) => {
                let table = table_text(rows);
                if !table.is_empty() {
                    body.push(table);
                }
            }
        }
        i += 1;
    }
    out.body = body.join("\n\n");
    out
}

fn set_text(block: &mut Block, text: String) {
    if let Block::Para(p) = block {
        p.text = text;
    }
}

/// Rows as the body writes a table: tab-separated cells, one row a line, every row as wide as
/// the widest; empty rows dropped.
pub(crate) fn table_text(rows: &[Vec<String>]) -> String {
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|r| r.iter().map(|c| cell_text(c)).collect::<Vec<_>>())
        .filter(|r| r.iter().any(|c| !c.is_empty()))
        .collect();
    let width = rows.iter().map(|r| r.len()).max().unwrap_or(0);
    rows.into_iter()
        .map(|mut r| {
            r.resize(width, String::new());
            r.join("\t")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The text without any whitespace: how a 公文's spaced-out lines (`落  款`) compare.
fn squeeze(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// A title's lines joined, its spaces kept only between Latin words.
fn squeeze_lines(text: &str) -> String {
    let joined = text.lines().map(str::trim).collect::<Vec<_>>().join(" ");
    let chars: Vec<char> = joined.chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if c.is_whitespace() {
            let before = out
                .chars()
                .last()
                .is_some_and(|b: char| b.is_ascii_alphanumeric());
            let after = chars.get(i + 1).is_some_and(|a| a.is_ascii_alphanumeric());
            if before && after && !out.ends_with(' ') {
                out.push(' ');
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// A caption: `图1 …`, `图 2：…`, `图一 …`.
fn caption_line(text: &str) -> bool {
    let t = text.trim();
    let mut chars = t.chars();
    chars.next() == Some('图')
        && t.chars().count() <= 60
        && chars.next().is_some_and(|c| {
            c.is_ascii_digit() || c.is_whitespace() || "一二三四五六七八九十：:".contains(c)
        })
}

/// An issuing office's line: short, no sentence punctuation, not a date.
fn office_line(text: &str) -> bool {
    let t = text.trim();
    let n = t.chars().count();
    (2..=40).contains(&n)
        && !t.contains(['。', '；', '：', ':', '，', ',', '\t'])
        && date_line(t).is_none()
        && !t.starts_with('（')
}

/// A 文号 in a short line: `某政办〔2026〕12号`, with `[2026]`, `【2026】` or `（2026）` too;
/// `签发人：…` beside it (上行文) does not count against it.
pub(crate) fn doc_number_line(text: &str) -> Option<String> {
    let line = text.trim();
    let line = match line.find("签发人") {
        Some(i) => line[..i].trim(),
        None => line,
    };
    if line.chars().count() > 40 {
        return None;
    }
    let chars: Vec<char> = line.chars().filter(|c| !c.is_whitespace()).collect();
    let open = chars.iter().position(|c| "〔[【(（［".contains(*c))?;
    let year: String = chars.get(open + 1..open + 5)?.iter().collect();
    let close = *chars.get(open + 5)?;
    if open == 0
        || !year.chars().all(|c| c.is_ascii_digit())
        || !(year.starts_with("19") || year.starts_with("20"))
        || !"〕]】)）］".contains(close)
    {
        return None;
    }
    let digits = chars[open + 6..]
        .iter()
        .take_while(|c| c.is_ascii_digit())
        .count();
    let end = open + 6 + digits;
    let whole = (1..=5).contains(&digits)
        && chars.get(end) == Some(&'号')
        && chars.len() == end + 1
        && chars[..open].iter().all(|c| !c.is_ascii_punctuation());
    whole.then(|| chars.iter().collect())
}

/// The date of a paragraph's last line, if that line is only a date.
fn last_line_date(text: &str) -> Option<NaiveDate> {
    text.lines().last().and_then(date_line)
}

/// A line that is only a date: `2026年12月1日`, `２０２６年１２月１日`, `二〇二六年十二月一日`.
pub(crate) fn date_line(text: &str) -> Option<NaiveDate> {
    let line = squeeze(text);
    let (year, rest) = line.split_once('年')?;
    let (month, rest) = rest.split_once('月')?;
    let day = rest.strip_suffix('日')?;
    let year = digits_value(year)?;
    let month = numeral_value(month)?;
    let day = numeral_value(day)?;
    NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)
}

/// A year written digit by digit: `2026`, `２０２６`, `二〇二六`.
fn digits_value(text: &str) -> Option<u32> {
    if text.chars().count() != 4 {
        return None;
    }
    text.chars()
        .try_fold(0u32, |acc, c| Some(acc * 10 + digit(c)?))
}

fn digit(c: char) -> Option<u32> {
    match c {
        '0'..='9' => c.to_digit(10),
        '０'..='９' => Some(c as u32 - '０' as u32),
        '〇' | '○' | 'О' | '零' => Some(0),
        _ => "一二三四五六七八九"
            .chars()
            .position(|d| d == c)
            .map(|i| i as u32 + 1),
    }
}

/// A month or day: `12`, `１２`, `十二`, `二十一`, `三十`.
fn numeral_value(text: &str) -> Option<u32> {
    let chars: Vec<char> = text.chars().collect();
    if chars.is_empty() || chars.len() > 3 {
        return None;
    }
    if chars.iter().all(|&c| c != '十' && digit(c).is_some()) && chars.len() <= 2 {
        return chars
            .iter()
            .try_fold(0, |acc, &c| Some(acc * 10 + digit(c)?));
    }
    match chars.as_slice() {
        ['十'] => Some(10),
        ['十', u] => Some(10 + digit(*u).filter(|&d| d > 0)?),
        [t, '十'] => Some(digit(*t).filter(|&d| d > 1)? * 10),
        [t, '十', u] => Some(digit(*t).filter(|&d| d > 1)? * 10 + digit(*u).filter(|&d| d > 0)?),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str, align: Align) -> Block {
        Block::Para(Para {
            text: text.into(),
            align,
            ..Para::default()
        })
    }

    #[test]
    fn dates_in_arabic_full_width_and_chinese_numerals() {
        let d = NaiveDate::from_ymd_opt(2026, 12, 1);
        assert_eq!(date_line("2026年12月1日"), d);
        assert_eq!(date_line(" ２０２６年１２月１日 "), d);
        assert_eq!(date_line("二〇二六年十二月一日"), d);
        assert_eq!(
            date_line("二○二六年十二月二十一日"),
            NaiveDate::from_ymd_opt(2026, 12, 21)
        );
        assert_eq!(date_line("2026年2月30日"), None);
        assert_eq!(date_line("于2026年12月1日前报名"), None);
        assert_eq!(date_line("二〇二六年十二月"), None);
    }

    #[test]
    fn doc_numbers_in_three_bracket_styles() {
        assert_eq!(
            doc_number_line("某政办〔2026〕12号").as_deref(),
            Some("某政办〔2026〕12号")
        );
        assert_eq!(
            doc_number_line("  某政办 [2026] 3号").as_deref(),
            Some("某政办[2026]3号")
        );
        assert_eq!(
            doc_number_line("某发【2025】101号").as_deref(),
            Some("某发【2025】101号")
        );
        assert_eq!(
            doc_number_line("某政发〔2026〕7号          签发人：张三").as_deref(),
            Some("某政发〔2026〕7号")
        );
        assert_eq!(
            doc_number_line("根据某政办〔2026〕12号文件精神，现通知如下"),
            None
        );
        assert_eq!(doc_number_line("〔2026〕12号"), None);
    }

    #[test]
    fn a_gongwen_gives_its_fields_and_keeps_the_rest_as_body() {
        let blocks = vec![
            p("某某县人民政府办公室文件", Align::Center),
            p("某政办〔2026〕12号", Align::Center),
            p("关于做好2027年元旦期间", Align::Center),
            p("安全工作的通知", Align::Center),
            p("各乡镇人民政府：", Align::Left),
            p("现将有关事项通知如下。", Align::Left),
            Block::Table(vec![
                vec!["时间".into(), "地点".into()],
                vec!["1日".into(), "".into()],
            ]),
            p("某某县人民政府办公室", Align::Right),
            p("2026年12月1日", Align::Right),
            p("（此件公开发布）", Align::Left),
        ];
        let s = shape(blocks);
        assert_eq!(
            s.title.as_deref(),
            Some("关于做好2027年元旦期间安全工作的通知")
        );
        assert_eq!(s.doc_number.as_deref(), Some("某政办〔2026〕12号"));
        assert_eq!(s.issuer.as_deref(), Some("某某县人民政府办公室"));
        assert_eq!(s.date, NaiveDate::from_ymd_opt(2026, 12, 1));
        assert_eq!(
            s.body,
            "各乡镇人民政府：\n\n现将有关事项通知如下。\n\n时间\t地点\n1日\t\n\n（此件公开发布）"
        );
    }

    #[test]
    fn the_masthead_names_the_issuer_when_the_signature_has_none() {
        let blocks = vec![
            p("某某县民政局文件", Align::Center),
            p("某民发〔2026〕3号", Align::Center),
            p("关于低保公示的通知", Align::Center),
            p("正文。", Align::Left),
            p("2026年12月1日", Align::Right),
        ];
        let s = shape(blocks);
        assert_eq!(s.issuer.as_deref(), Some("某某县民政局"));
        assert_eq!(s.body, "正文。");
    }
}
