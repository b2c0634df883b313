//! What a sentence says, from its text alone: a phone number, a 公示期, a count of people, or
//! only a formula (特此公告). These are the facts the summary keeps whatever the budget, so
//! they sit apart, with no knowledge of items or budgets, where their many cases can be tested
//! one by one.

use super::Kind;
use crate::model::{NoticePeriod, beijing};

pub(super) fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

/// What a sentence is to the summary.
pub(super) fn classify(sentence: &str) -> Kind {
    if says_fact(sentence) {
        Kind::Fact
    } else if is_formula(sentence) {
        Kind::Skip
    } else {
        Kind::Text
    }
}

/// A sentence that only introduces the content or closes: 现将有关事项通知如下：, …现就有关事
/// 项公告如下。, 特此公告。 What leads into the content (为…，根据…，) goes with it: the title
/// says what the notice is about, and the strip has no room to say it twice.
pub(super) fn is_formula(sentence: &str) -> bool {
    let s = sentence.trim_end_matches(['。', '：', ':', '！', '.', '；', ';', ' ']);
    const CLOSES: [&str; 7] = [
        "特此",
        "此复",
        "望周知",
        "请周知",
        "请相互转告",
        "此告",
        "专此",
    ];
    let n = s.chars().count();
    if n <= 12 && CLOSES.iter().any(|c| s.starts_with(c) || s.ends_with(c)) {
        return true;
    }
    // …通知如下 / …公示如下 / 具体如下, whatever leads up to it; 现予以公示 alone.
    let announces = s.ends_with("予以公示") || s.ends_with("予以公告");
    s.ends_with("如下")
        || (announces
            && n <= 16
            && (s.starts_with('现') || s.starts_with("兹") || s.starts_with("特")))
}

/// A sentence with a phone number, a 公示期 or a count of people in it.
pub(super) fn says_fact(sentence: &str) -> bool {
    says_period(sentence) || has_phone(sentence) || says_count(sentence)
}

/// A count of people or households: 共14户21人, 共计1,286人, 合计 32 名. What a 公示 says of its
/// names when they do not fit.
pub(super) fn says_count(s: &str) -> bool {
    let chars: Vec<char> = s.chars().collect();
    ["共", "合计", "总计"].iter().any(|word| {
        let word: Vec<char> = word.chars().collect();
        (0..chars.len()).any(|i| {
            if !chars[i..].starts_with(&word) {
                return false;
            }
            let mut k = i + word.len();
            if chars.get(k) == Some(&'计') {
                k += 1;
            }
            while chars.get(k) == Some(&' ') {
                k += 1;
            }
            let from = k;
            while chars.get(k).is_some_and(|&c| is_digit(c) || c == ',') {
                k += 1;
            }
            while chars.get(k) == Some(&' ') {
                k += 1;
            }
            k > from && chars.get(k).is_some_and(|c| "户人名位家".contains(*c))
        })
    })
}

/// 公示期、公示时间: the period a 公示 runs, or a sentence giving it as a range of dates.
pub(super) fn says_period(s: &str) -> bool {
    const WORDS: [&str; 5] = ["公示期", "公示时间", "公示日期", "公示时限", "公示期限"];
    // 公示期间，如有异议… names the period without giving it.
    let gives = s.chars().any(is_digit) || s.contains("工作日") || s.contains('天');
    (WORDS.iter().any(|w| s.contains(w)) && gives)
        || (s.contains("公示") && s.contains('至') && s.contains('日') && s.chars().any(is_digit))
}

/// Whether the text has a phone number: a landline with its area code (0871-12345678), a
/// mobile, or digits after a word that says a phone follows (热线96111, 拨打12345, 火警119).
/// A number followed by a unit (2026年, 400元) is not one.
pub(super) fn has_phone(s: &str) -> bool {
    const SAYS: [&str; 11] = [
        "电话", "热线", "举报", "监督", "咨询", "联系", "拨打", "报警", "火警", "急救", "传真",
    ];
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if !is_digit(chars[i]) {
            i += 1;
            continue;
        }
        // The run: digits, with single - or spaces between groups (0871-6000 1234).
        let start = i;
        let mut digits = 0;
        while i < chars.len() {
            if is_digit(chars[i]) {
                digits += 1;
                i += 1;
            } else if matches!(chars[i], '-' | '－' | ' ' | '—')
                && chars.get(i + 1).copied().is_some_and(is_digit)
            {
                i += 1;
            } else {
                break;
            }
        }
        let next = chars.get(i).copied();
        // The digits after 53, or 9: are the rest of a number.
        let glued = start > 1
            && matches!(chars[start - 1], '.' | ',' | '/' | ':')
            && is_digit(chars[start - 2]);
        // A mark then a digit goes on with the number (53,000 · 12.8 · 9:30); before hanzi or
        // at the end it ends the sentence or the clause (拨打 0839-5520 8123.也可以).
        let unit_after = next.is_some_and(|c| {
            "年月日号时分秒元万亿千百%％人户个天条项次米吨度岁名家辆座所套亩斤公里克".contains(c)
                || c == '℃'
                || (matches!(c, '.' | ',' | ':' | '/')
                    && chars.get(i + 1).copied().is_some_and(is_digit))
        });
        if glued || unit_after {
            continue;
        }
        let first = chars[start];
        let landline = first == '0' && (10..=12).contains(&digits);
        let mobile = first == '1' && digits == 11;
        let before: String = chars[start.saturating_sub(10)..start].iter().collect();
        let said = (3..=12).contains(&digits) && SAYS.iter().any(|w| before.contains(w));
        if landline || mobile || said {
            return true;
        }
    }
    false
}

/// 公示期：2026年11月28日至2026年12月4日。 from the notice's structured period.
pub(super) fn period_sentence(p: &NoticePeriod) -> String {
    let date = |t| {
        let d = beijing(t).date_naive();
        format!(
            "{}年{}月{}日",
            chrono::Datelike::year(&d),
            chrono::Datelike::month(&d),
            chrono::Datelike::day(&d)
        )
    };
    match (p.working_days, p.end) {
        (Some(n), _) => format!("公示期：自{}起{n}个工作日。", date(p.start)),
        (None, Some(end)) => {
            // An end at midnight closes the day before.
            let last = if beijing(end).time() == chrono::NaiveTime::MIN {
                end - chrono::TimeDelta::days(1)
            } else {
                end
            };
            format!("公示期：{}至{}。", date(p.start), date(last))
        }
        (None, None) => format!("公示期：自{}起。", date(p.start)),
    }
}
