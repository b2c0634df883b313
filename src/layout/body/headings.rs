//! Numbered paragraphs the 公文 way (`一、` `（一）` `1.` `（1）`), and how each is set: a
//! heading line, or a sentence with a bold lead-in.
//!
//! A numbered paragraph is classified with its siblings, not alone. Offices write a level either
//! as short titles (一、总体要求) with the text in paragraphs below, or as sentences that open
//! with a phrase (一、认证对象：全区年满80周岁的老年人，共计1,286人。). Judged one by one, a
//! short sentence passes for a heading and is set as a bold paragraph while its longer siblings
//! are plain text; judged as a group, every sentence of the level gets the same bold lead-in.

/// The numbering a paragraph starts with, the 公文 way: its level (1 `一、`, 2 `（一）`, 3 `1.`
/// or `1、`, 4 `（1）`) and its length in bytes.
pub(in crate::layout) fn numbering(text: &str) -> Option<(u8, usize)> {
    const NUMERALS: &str = "一二三四五六七八九十";
    let chars: Vec<char> = text.chars().collect();
    let numeral = |c: &char| NUMERALS.contains(*c);
    let digit = |c: &char| c.is_ascii_digit() || ('０'..='９').contains(c);
    let bytes = |n: usize| chars[..n].iter().map(|c| c.len_utf8()).sum::<usize>();
    let n = chars.iter().take_while(|c| numeral(c)).count();
    if (1..=3).contains(&n) && chars.get(n) == Some(&'、') {
        return Some((1, bytes(n + 1)));
    }
    if matches!(chars.first(), Some('（' | '(')) {
        let close = |c: Option<&char>| matches!(c, Some('）' | ')'));
        let n = chars[1..].iter().take_while(|c| numeral(c)).count();
        if (1..=3).contains(&n) && close(chars.get(n + 1)) {
            return Some((2, bytes(n + 2)));
        }
        let d = chars[1..].iter().take_while(|c| digit(c)).count();
        if (1..=2).contains(&d) && close(chars.get(d + 1)) {
            return Some((4, bytes(d + 2)));
        }
    }
    let d = chars.iter().take_while(|c| digit(c)).count();
    // 1. and 1、 but not 3.14 or 1.5万元.
    if (1..=2).contains(&d)
        && matches!(chars.get(d), Some('.' | '．' | '、'))
        && chars.get(d + 1).is_some_and(|c| !digit(c))
    {
        let spaces = chars[d + 1..].iter().take_while(|c| **c == ' ').count();
        return Some((3, bytes(d + 1 + spaces)));
    }
    None
}

/// Whether a numbered paragraph reads as a title: short, one line, not a sentence.
fn title_like(paragraph: &str) -> bool {
    paragraph.chars().count() <= 40
        && !paragraph.contains(['\n', '。', '！', '？', '；'])
        && !paragraph.ends_with(['，', '、', ','])
}

/// The heading level of a paragraph that reads as a heading (short, one line, numbered the 公文
/// way, not a sentence).
pub fn heading_level(paragraph: &str) -> Option<u8> {
    if !title_like(paragraph) {
        return None;
    }
    numbering(paragraph).map(|(level, _)| level)
}

/// How a paragraph that is not the 主送机关, a table or the 落款 is set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Style {
    /// Body text.
    Text,
    /// A heading line of its level.
    Heading(u8),
    /// A sentence of its level: the first `end` bytes (its number and the phrase up to the
    /// first ：or 。) set bold, the rest in body weight on the same line.
    Lead { level: u8, end: usize },
}

/// The longest phrase that is a lead-in, in characters after the number: a longer one is a
/// clause, and setting it bold would make a bold paragraph again.
const MAX_LEAD_CHARS: usize = 24;

/// Where the bold lead-in phrase of a numbered sentence ends: after the phrase up to its first
/// ：or 。 when that is a short phrase; `None` when the sentence opens with a clause.
fn lead_phrase(paragraph: &str, number_end: usize) -> Option<usize> {
    let rest = &paragraph[number_end..];
    let chars: Vec<(usize, char)> = rest.char_indices().collect();
    // A half-width colon ends a phrase, not a URL's scheme (https:) or a time (8:30).
    let ends = |k: usize| match chars[k].1 {
        '：' | '。' => true,
        ':' => chars
            .get(k + 1)
            .is_none_or(|(_, c)| !c.is_ascii_alphanumeric() && *c != '/'),
        _ => false,
    };
    let phrase = (0..chars.len())
        .find(|&k| ends(k))
        .map(|k| chars[k])
        .map(|(i, c)| i + c.len_utf8())
        .filter(|&end| {
            let phrase = &rest[..end];
            phrase.chars().count() <= MAX_LEAD_CHARS + 1 && !phrase.contains(['，', '；', ','])
        });
    phrase.map(|p| number_end + p)
}

/// The style of each paragraph (`Text` for those that are not numbered the 公文 way or hold a
/// forced-break list). Siblings are the paragraphs of one level between two of a higher level;
/// when any of them is a sentence, each sentence gets a bold lead-in and only the title-like
/// ones stay heading lines, else all are heading lines.
///
/// The lead-ins of one group take one form, so siblings look alike: each sentence's phrase up to
/// its first ：or 。 where every sentence of the group opens with a short phrase, else the number
/// alone for all of them. Judged one by one, `1.鼓励…，…。` opening with a clause would get a bold
/// `1.` and its short siblings `2.探索飞地抱团。` a bold sentence: two looks for one level.
pub(super) fn styles(paragraphs: &[&str]) -> Vec<Style> {
    let numbered: Vec<Option<(u8, usize)>> = paragraphs
        .iter()
        .map(|p| numbering(p).filter(|_| !p.contains('\n')))
        .collect();
    // Sibling groups: the group open at each level, closed by a paragraph of a higher one.
    let mut group_of = vec![usize::MAX; paragraphs.len()];
    let mut open: [Option<usize>; 5] = [None; 5];
    let mut groups = 0;
    for (i, n) in numbered.iter().enumerate() {
        let Some((level, _)) = *n else { continue };
        let level = usize::from(level);
        for deeper in &mut open[level + 1..] {
            *deeper = None;
        }
        let g = *open[level].get_or_insert_with(|| {
            groups += 1;
            groups - 1
        });
        group_of[i] = g;
    }
    let mut sentences = vec![false; groups];
    // Whether every sentence of the group opens with a phrase short enough to set bold.
    let mut phrased = vec![true; groups];
    for (i, p) in paragraphs.iter().enumerate() {
        if let Some((_, number_end)) = numbered[i]
            && !title_like(p)
        {
            sentences[group_of[i]] = true;
            if lead_phrase(p, number_end).is_none() {
                phrased[group_of[i]] = false;
            }
        }
    }
    paragraphs
        .iter()
        .enumerate()
        .map(|(i, p)| match numbered[i] {
            None => Style::Text,
            Some((level, _)) if title_like(p) => Style::Heading(level),
            Some((level, number_end)) if sentences[group_of[i]] => Style::Lead {
                level,
                end: match phrased[group_of[i]] {
                    true => lead_phrase(p, number_end).unwrap_or(number_end),
                    false => number_end,
                },
            },
            Some(_) => Style::Text,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_are_recognised() {
        assert_eq!(heading_level("一、总体要求"), Some(1));
        assert_eq!(heading_level("十二、附则"), Some(1));
        assert_eq!(heading_level("（三）工作任务"), Some(2));
        assert_eq!(heading_level("(三)工作任务"), Some(2));
        assert_eq!(heading_level("2. 加强组织领导"), Some(3));
        assert_eq!(heading_level("2．加强组织领导"), Some(3));
        assert_eq!(heading_level("2、加强组织领导"), Some(3));
        assert_eq!(heading_level("（2）村民代表会议"), Some(4));
        assert_eq!(heading_level("(2)村民代表会议"), Some(4));
        assert_eq!(heading_level("3.14 是圆周率"), None);
        assert_eq!(heading_level("1.5万元以下的项目"), None);
        assert_eq!(heading_level("一是加强领导，二是落实责任。"), None);
        // A whole sentence is not a heading, however short.
        assert_eq!(
            heading_level("一、认证对象：全区80周岁以上老年人，共计1,286人。"),
            None
        );
        assert_eq!(
            heading_level("1. 重点时段加密巡查频次，\n2. 重点区域设立检查站。"),
            None
        );
    }

    fn lead_of(p: &str, s: Style) -> &str {
        match s {
            Style::Lead { end, .. } => &p[..end],
            other => panic!("{p}: {other:?}"),
        }
    }

    #[test]
    fn siblings_of_sentences_all_get_a_lead_in() {
        // The case the issue names: the first sibling is short enough to pass for a heading.
        let body = [
            "为做好2026年度高龄津贴资格认证工作，现将有关事项通知如下：",
            "一、认证对象：全区年满80周岁的老年人，共计1,286人。",
            "二、认证方式：本人持身份证到户籍所在地村（社区）便民服务站现场认证，行动不便的由\
                村（社区）工作人员入户认证，也可通过“云岭民政”小程序人脸识别认证。",
            "三、认证时间",
            "2026年12月1日至12月31日，逾期未认证的暂停发放津贴。",
        ];
        let s = styles(&body);
        assert_eq!(s[0], Style::Text);
        assert_eq!(lead_of(body[1], s[1]), "一、认证对象：");
        assert_eq!(lead_of(body[2], s[2]), "二、认证方式：");
        // A title-like sibling stays a heading line.
        assert_eq!(s[3], Style::Heading(1));
        assert_eq!(s[4], Style::Text);
    }

    #[test]
    fn titles_alone_stay_headings_and_groups_close_at_a_higher_level() {
        let body = [
            "一、总体要求",
            "坚持以人民为中心，统筹推进农村人居环境整治。",
            "（一）加强巡查",
            "（二）落实责任：各村明确一名专职护林员，每日巡山不少于一次。",
            "二、工作措施",
            "（一）摸清底数",
            "（二）分类处置",
        ];
        let s = styles(&body);
        assert_eq!(s[0], Style::Heading(1));
        assert_eq!(s[4], Style::Heading(1));
        // Under 一、 the level-2 group has a sentence: its title-like sibling stays a heading.
        assert_eq!(s[2], Style::Heading(2));
        assert_eq!(lead_of(body[3], s[3]), "（二）落实责任：");
        // Under 二、 a new group: headings only.
        assert_eq!(s[5], Style::Heading(2));
        assert_eq!(s[6], Style::Heading(2));
    }

    #[test]
    fn a_lead_in_is_a_phrase_or_only_the_number() {
        let body = [
            "1. 加强组织领导。各单位主要负责同志要亲自部署，层层压实责任。",
            "2、严格资金管理：补助资金实行专账核算。",
            "（1）不在本村居住的：由户籍所在地村委会出具证明。",
        ];
        let s = styles(&body);
        assert_eq!(lead_of(body[0], s[0]), "1. 加强组织领导。");
        assert_eq!(lead_of(body[1], s[1]), "2、严格资金管理：");
        assert_eq!(lead_of(body[2], s[2]), "（1）不在本村居住的：");
        // A URL's or a time's colon is no lead-in's end.
        let body = ["一、办理时间8:30至17:30，详见https://www.example.gov.cn。"];
        assert_eq!(lead_of(body[0], styles(&body)[0]), "一、");
    }

    /// Issue 28, review 14: `1.鼓励…` got only its number bold and its siblings `2.探索飞地抱团。`
    /// `3.支持发展新型业态。` were bold throughout.
    #[test]
    fn siblings_lead_ins_take_one_form() {
        let body = [
            "（二）拓展经营渠道。支持村集体经济组织领办创办农民专业合作社。",
            "1.鼓励村集体经济组织之间联合发展，跨村组建联合社，统一经营、统一核算、按股分红。",
            "2.探索飞地抱团。",
            "3.支持发展新型业态。",
            "（三）加强人才支撑。每年选派不少于50名农业技术人员到村开展帮扶。",
            "1.选派技术人员。每年不少于50名。",
            "2.开展培训：培训经费由县财政列支。",
        ];
        let s = styles(&body);
        // The first opens with a clause: every sibling's number alone is bold.
        assert_eq!(lead_of(body[1], s[1]), "1.");
        assert_eq!(lead_of(body[2], s[2]), "2.");
        assert_eq!(lead_of(body[3], s[3]), "3.");
        // The level above, and a new group under （三）, each judged on their own.
        assert_eq!(lead_of(body[0], s[0]), "（二）拓展经营渠道。");
        assert_eq!(lead_of(body[4], s[4]), "（三）加强人才支撑。");
        assert_eq!(lead_of(body[5], s[5]), "1.选派技术人员。");
        assert_eq!(lead_of(body[6], s[6]), "2.开展培训：");
        // A group of clauses only: numbers alone.
        let body = [
            "1. 各村（社区）要在12月10日前完成摸底登记，并将名单报镇民政办。",
            "2. 加强组织领导。各单位主要负责同志要亲自部署。",
        ];
        let s = styles(&body);
        assert_eq!(lead_of(body[0], s[0]), "1. ");
        assert_eq!(lead_of(body[1], s[1]), "2. ");
    }
}
