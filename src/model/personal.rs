//! Personal data in a notice's text that must not reach a public screen: a resident ID number
//! (居民身份证号码, GB 11643: 17 digits and a check character) or a bank card number (16 to 19
//! digits passing the Luhn check), and a private mobile number, which is only a warning (an
//! office may publish its own). Masked forms (`5304**********2315`) pass: they are what a 公示
//! should show.
//!
//! Pure: the service refuses to submit or approve a notice with the first two and warns about
//! the third; a number is found only as a whole run of digits, never inside a longer one.

/// What kind of personal number was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PersonalKind {
    /// A resident ID number with a valid check character and birth date.
    IdNumber,
    /// A bank card number that passes the Luhn check.
    BankCard,
    /// An 11-digit mobile number without an area code before it.
    Mobile,
}

/// One personal number in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub kind: PersonalKind,
    /// Where it starts, in characters from the start of the text (1 for the first).
    pub at: usize,
    /// The number as a 公示 may show it: the first and last four kept.
    pub masked: String,
}

/// Whether `run` is single digits each followed by one space: `5 3 0 4`.
fn is_spaced_out(run: &[char]) -> bool {
    run.len() % 2 == 1
        && run.iter().enumerate().all(|(k, c)| {
            if k % 2 == 0 {
                c.is_ascii_digit()
            } else {
                *c == ' '
            }
        })
}

/// Every personal number in `text`, in order.
pub fn find(text: &str) -> Vec<Found> {
    // Full-width digits (全角, common in Word text) read as digits, one character for one, so
    // that `at` still counts the text's own characters.
    let chars: Vec<char> = text
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
            'Ｘ' | 'ｘ' => 'X',
            '－' => '-',
            '\u{3000}' => ' ',
            _ => c,
        })
        .collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        // A run of digits, an ID number's check character X included, and a card number's
        // groups of four separated by single spaces or hyphens.
        let mut digits = String::new();
        let mut end = i;
        while end < chars.len() {
            let c = chars[end];
            if c.is_ascii_digit() {
                digits.push(c);
                end += 1;
            } else if (c == 'X' || c == 'x') && digits.len() == 17 {
                digits.push('X');
                end += 1;
                break;
            } else if (c == ' ' || c == '-')
                && digits.len().is_multiple_of(4)
                && chars.get(end + 1).is_some_and(char::is_ascii_digit)
                && is_card_grouping(&chars[start..end])
            {
                end += 1;
            } else if c == ' '
                && chars.get(end + 1).is_some_and(char::is_ascii_digit)
                && is_spaced_out(&chars[start..end])
            {
                // 5 3 0 4 …: digits set apart one by one (a PDF's text, letter-spaced type).
                end += 1;
            } else {
                break;
            }
        }
        let before = start.checked_sub(1).map(|k| chars[k]);
        let after = chars.get(end).copied();
        let glued = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
        if !glued(before)
            && !glued(after)
            && let Some(kind) = classify(&digits, before)
        {
            out.push(Found {
                kind,
                at: start + 1,
                masked: mask(&digits),
            });
        }
        i = end.max(i + 1);
    }
    out
}

/// Whether `run` so far is whole groups of four digits, each followed by one separator.
fn is_card_grouping(run: &[char]) -> bool {
    run.chunks(5).all(|g| {
        g.len() >= 4
            && g[..4].iter().all(char::is_ascii_digit)
            && g.get(4).is_none_or(|c| *c == ' ' || *c == '-')
    })
}

fn classify(digits: &str, before: Option<char>) -> Option<PersonalKind> {
    if digits.len() == 18 && id_number_valid(digits) {
        return Some(PersonalKind::IdNumber);
    }
    if (16..=19).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()) {
        return luhn(digits).then_some(PersonalKind::BankCard);
    }
    // 0871-65123456 is an office's number: a mobile number has no area code before it.
    let mobile = digits.len() == 11
        && digits.starts_with('1')
        && matches!(digits.as_bytes()[1], b'3'..=b'9')
        && before != Some('-');
    mobile.then_some(PersonalKind::Mobile)
}

/// GB 11643's check character over the first 17 digits, and a real birth date in 1900..2100.
fn id_number_valid(id: &str) -> bool {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: &[u8; 11] = b"10X98765432";
    let b = id.as_bytes();
    if !b[..17].iter().all(u8::is_ascii_digit) {
        return false;
    }
    let sum: u32 = b[..17]
        .iter()
        .zip(WEIGHTS)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    if CHECK[(sum % 11) as usize] != b[17].to_ascii_uppercase() {
        return false;
    }
    let (year, month, day) = (&id[6..10], &id[10..12], &id[12..14]);
    let date = format!("{year}-{month}-{day}");
    chrono::NaiveDate::parse_from_str(&date, "%Y-%m-%d")
        .is_ok_and(|d| (1900..2100).contains(&chrono::Datelike::year(&d)))
}

fn luhn(digits: &str) -> bool {
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 1 {
                let d = d * 2;
                if d > 9 { d - 9 } else { d }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// The first and last four kept, the rest starred: `5304**********2315`.
fn mask(digits: &str) -> String {
    let n = digits.chars().count();
    digits
        .chars()
        .enumerate()
        .map(|(i, c)| if i < 4 || i + 4 >= n { c } else { '*' })
        .collect()
}

#[cfg(test)]
mod tests {
    /// Digits set apart one by one are one number.
    #[test]
    fn spaced_out_digits_are_one_number() {
        let found = super::find("身份证号5 3 0 4 0 2 1 9 9 0 0 3 0 7 2 3 1 7，电话 0871 6512 3456");
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].kind, super::PersonalKind::IdNumber);
        assert_eq!(found[0].masked, "5304**********2317");
    }

    /// 全角 digits are digits: a number typed in full width is found at the same place.
    #[test]
    fn full_width_digits_are_read_as_digits() {
        let found = super::find("身份证号５３０４０２１９９００３０７２３１７");
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].kind, super::PersonalKind::IdNumber);
        assert_eq!(found[0].at, 5);
        assert_eq!(found[0].masked, "5304**********2317");
    }

    use super::*;

    /// A made-up number with a valid check character and birth date.
    const ID: &str = "530402199003072317";

    #[test]
    fn an_id_number_is_found_with_where_and_its_masked_form() {
        assert!(id_number_valid(ID), "the fixture must be valid");
        let found = find(&format!("拟录用人员：张三，身份证号{ID}。"));
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].kind, PersonalKind::IdNumber);
        assert_eq!(found[0].at, 14);
        assert_eq!(found[0].masked, "5304**********2317");
    }

    #[test]
    fn masked_numbers_wrong_check_characters_and_longer_runs_pass() {
        assert!(find("身份证号5304**********2317").is_empty());
        // One digit changed: the check character no longer fits.
        assert!(
            find("530402199003072319")
                .iter()
                .all(|f| f.kind != PersonalKind::IdNumber)
        );
        // Inside a longer run of digits (a serial number), nothing is an ID number.
        assert!(find(&format!("7{ID}")).is_empty());
        assert!(find(&format!("A{ID}")).is_empty());
    }

    #[test]
    fn bank_cards_pass_luhn_grouped_or_not() {
        let card = "6222021234567890128";
        assert!(luhn(card));
        let found = find(&format!("账号{card}"));
        assert_eq!(found[0].kind, PersonalKind::BankCard);
        assert_eq!(found[0].masked, "6222***********0128");
        let grouped = find("卡号 6222 0212 3456 7890 128 已核实");
        assert_eq!(grouped.len(), 1, "{grouped:?}");
        assert_eq!(grouped[0].kind, PersonalKind::BankCard);
        // The same digits with the last changed fail Luhn: an ordinary number.
        assert!(find("6222021234567890127").is_empty());
    }

    #[test]
    fn a_mobile_number_is_found_but_not_an_office_number() {
        let found = find("联系人：李四，电话13812345678。");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].kind, PersonalKind::Mobile);
        assert_eq!(found[0].masked, "1381***5678");
        assert!(find("咨询电话：0871-65123456").is_empty());
        assert!(find("咨询电话：12345").is_empty());
    }
}
