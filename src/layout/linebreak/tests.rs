//! Tests of line breaking against clreq: a corpus at every width, and the rules one by one.

use super::*;

/// Test widths: a hanzi or full-width sign is 1.0, anything else 0.5.
fn widths(chars: &[char]) -> Vec<f32> {
    chars
        .iter()
        .map(|&c| if is_cjk(c) { 1.0 } else { 0.5 })
        .collect()
}

fn break_at(text: &str, width: f32) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    fill(&chars, &widths(&chars), width, 0.0)
        .into_iter()
        .map(|l| chars[l.range].iter().collect())
        .collect()
}

/// The clreq checks every line set must pass, whatever the width.
fn assert_clreq(text: &str, lines: &[String], words_fit: bool) {
    for (n, line) in lines.iter().enumerate() {
        let first = line.chars().next().unwrap();
        let last = line.chars().last().unwrap();
        if n > 0 {
            assert!(
                !no_line_start(first),
                "line {n} starts with {first:?}: {lines:?}"
            );
        }
        if n + 1 < lines.len() {
            assert!(!no_line_end(last), "line {n} ends with {last:?}: {lines:?}");
            let next = lines[n + 1].chars().next().unwrap();
            for pair in [('—', '—'), ('…', '…')] {
                assert!(
                    !(last == pair.0 && next == pair.1),
                    "split {pair:?}: {lines:?}"
                );
            }
            let word = |c: char| c.is_ascii_alphanumeric();
            if words_fit {
                assert!(
                    !(word(last) && word(next)),
                    "split a word or number: {lines:?}"
                );
            }
        }
    }
    let joined: String = lines.concat();
    let expected: String = text.chars().filter(|c| *c != ' ').collect();
    assert_eq!(joined.replace(' ', ""), expected, "text lost or duplicated");
}

/// Cases written to hit each rule; every width from 2 to 30 ems is tried on each.
const CORPUS: &[&str] = &[
    "各村（社区）要在十二月底前完成登记，逾期不再受理。",
    "请携带《居民身份证》《户口簿》原件及复印件办理。",
    "他说：“明天上午九点开会。”大家都表示同意！",
    "报名截止时间为2026年12月20日18:00，咨询电话0571-88886666。",
    "详见区政府门户网站https://www.example.gov.cn/xxgk/2026-0153.html或扫描二维码查看全文。",
    "本次改造惠及3,200户居民——涉及老旧小区12个、道路8.5公里……工程预计明年完工。",
    "拟任命阿卜杜热合曼·买买提为区教育局副局长，刘䶮为区卫健委副主任。",
    "重要提示：COVID-19疫苗加强针接种点设在社区卫生服务中心（二楼）、乡镇卫生院。",
    "「防范电信诈骗」『守好钱袋子』【紧急通知】〔2026〕第12号〈试行〉",
    "温馨提示‘请勿’在楼道内堆放杂物、停放电动自行车；违者将依法处理。",
    "对于下列情况……请及时联系——社区网格员、物业服务中心或者拨打12345热线。",
    "PM2.5浓度超过150微克/立方米时，建议减少户外活动；老人、儿童尤其注意！",
];

#[test]
fn corpus_obeys_clreq_at_every_width() {
    for text in CORPUS {
        let chars: Vec<char> = text.chars().collect();
        let w = widths(&chars);
        let widest = atoms(&chars)
            .iter()
            .map(|a| w[a.clone()].iter().sum::<f32>())
            .fold(0.0, f32::max);
        for width in 2..=30 {
            let lines = break_at(text, width as f32);
            // Only an atom wider than the whole line may be split, so words must stay whole
            // whenever the widest atom fits.
            assert_clreq(text, &lines, widest <= width as f32);
        }
    }
}

#[test]
fn closing_punctuation_stays_with_the_previous_character() {
    // At width 4 the comma would start line 2 without the rule.
    assert_eq!(break_at("一二三四，五六", 4.0), ["一二三", "四，五六"]);
}

#[test]
fn opening_bracket_moves_to_the_next_line() {
    assert_eq!(break_at("一二三（四）五", 4.0), ["一二三", "（四）五"]);
}

#[test]
fn dash_and_ellipsis_are_never_split() {
    // `——` may not start a line either: it takes the character before it along.
    assert_eq!(break_at("一二三——四", 3.5), ["一二", "三——四"]);
    // `…` may not start a line, so the ellipsis takes the preceding character along.
    assert_eq!(break_at("一二三……四", 3.5), ["一二", "三……四"]);
}

#[test]
fn middle_dot_in_a_name_does_not_start_a_line() {
    assert_eq!(break_at("一二三·四", 3.0), ["一二", "三·四"]);
}

#[test]
fn latin_words_and_numbers_stay_whole() {
    assert_eq!(break_at("电话12345678转", 5.0), ["电话", "12345678转"]);
    assert_eq!(
        break_at("use English words here", 6.0),
        ["use English", "words here"]
    );
}

#[test]
fn an_atom_wider_than_the_line_is_broken_between_characters() {
    let lines = break_at("ABCDEFGHIJKLMNOPQRSTUVWXYZ", 4.0);
    assert!(lines.len() > 1);
    assert!(lines.iter().all(|l| l.chars().count() <= 8), "{lines:?}");
    assert_eq!(lines.concat(), "ABCDEFGHIJKLMNOPQRSTUVWXYZ");
}

#[test]
fn first_line_indent_narrows_only_the_first_line() {
    let chars: Vec<char> = "一二三四五六七八".chars().collect();
    let lines = fill(&chars, &widths(&chars), 4.0, 2.0);
    let lens: Vec<usize> = lines.iter().map(|l| l.range.len()).collect();
    assert_eq!(lens, [2, 4, 2]);
    assert!(lines[2].last && !lines[0].last);
}

#[test]
fn justification_spreads_between_hanzi_not_inside_words() {
    let chars: Vec<char> = "一二ab三".chars().collect();
    assert_eq!(stretch_points(&chars), vec![0, 1, 3]);
    let line = Line {
        range: 0..5,
        width: 4.0,
        last: false,
    };
    let per = justify(&chars, &line, 4.3, 1.0).expect("justified");
    assert!((per - 0.1).abs() < 1e-5, "{per}");
    // The last line of a paragraph stays ragged.
    let last = Line {
        last: true,
        ..line.clone()
    };
    assert_eq!(justify(&chars, &last, 4.3, 1.0), None);
    // Issue 28: the terminal stretched lines before a phone number by 0.3 em a gap. Past
    // 0.15 em a line stays ragged.
    assert_eq!(justify(&chars, &line, 4.6, 1.0), None);
    assert!(justify(&chars, &line, 4.44, 1.0).is_some());
}

#[test]
fn spaces_do_not_start_or_end_lines() {
    for line in break_at("alpha beta gamma delta", 5.5) {
        assert_eq!(line.trim(), line);
    }
}

#[test]
fn lines_are_measured_compressed_so_a_closing_mark_fits_on_its_ink() {
    // Ten hanzi and a comma, 10 px each, on a 105 px line: at full width the comma would
    // not fit (and 一 would move down with it); set on its ink it does.
    let chars: Vec<char> = "一二三四五六七八九十，再议".chars().collect();
    let advances = vec![10.0; chars.len()];
    let lines = super::fill(&chars, &advances, 105.0, 0.0);
    assert_eq!(lines[0].range, 0..11);
    assert_eq!(lines[0].width, 105.0);
    // A pair inside the line makes room too: 》（ is 15 px, not 20.
    let chars: Vec<char> = "甲》（乙丙丁戊己".chars().collect();
    let advances = vec![10.0; chars.len()];
    let lines = super::fill(&chars, &advances, 75.0, 0.0);
    assert_eq!(lines[0].range, 0..8);
}

// Issue 28: the breaks a typographer would not make, rule by rule, in the words of real notices.

/// The atoms of `text`, as strings.
fn pieces(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    atoms(&chars)
        .into_iter()
        .map(|r| chars[r].iter().collect())
        .collect()
}

/// Every line of `text` at every width from `from` to 30 ems, with the breaks as char offsets.
fn every_width(text: &str, from: usize) -> Vec<(f32, Vec<String>, Vec<usize>)> {
    let chars: Vec<char> = text.chars().collect();
    (from..=30)
        .map(|width| {
            let lines = fill(&chars, &widths(&chars), width as f32, 0.0);
            let breaks = lines[1..].iter().map(|l| l.range.start).collect();
            let text = lines
                .iter()
                .map(|l| chars[l.range.clone()].iter().collect())
                .collect();
            (width as f32, text, breaks)
        })
        .collect()
}

/// Whether `piece` of `text` is never broken inside at any width from `from` ems.
fn never_split(text: &str, piece: &str, from: usize) {
    let at = text.find(piece).expect("the piece is in the text");
    let start = text[..at].chars().count();
    let end = start + piece.chars().count();
    for (width, lines, breaks) in every_width(text, from) {
        assert!(
            breaks.iter().all(|&b| b <= start || b >= end),
            "{piece:?} split at width {width}: {lines:?}"
        );
    }
}

#[test]
fn no_line_starts_with_a_dash() {
    let texts = [
        "本次改造惠及3,200户居民——涉及老旧小区12个、道路8.5公里——工程预计明年完工。",
        "印发《云岭区城乡居民增收三年行动方案（2026—2028年）》，实施期限为2026年—2028年。",
        "受理时间为每日9:00～17:30，节假日除外；办理时限为3—5个工作日。",
    ];
    for text in texts {
        for (width, lines, _) in every_width(text, 3) {
            for line in &lines[1..] {
                assert!(
                    !line.starts_with(['—', '–', '～']),
                    "width {width}: {lines:?}"
                );
            }
        }
    }
    let text = texts[1];
    never_split(text, "（2026—2028年）》，", 8);
    never_split(text, "2026年—2028年。", 8);
    assert!(pieces(texts[2]).contains(&"3—5个".to_string()));
}

#[test]
fn numbers_keep_their_parts_and_units() {
    let p = pieces(
        "经公示无异议，拨付巡查补助58,600.00元，累计投入12.8亿元，惠及3,200余户、1.2万人，\
         覆盖率达98.5％，依据《管理办法》第3条，收费标准为￥1,280.50，截至2027年。",
    );
    for whole in [
        "58,600.00元，",
        "12.8亿元，",
        "3,200余户、",
        "1.2万人，",
        "98.5％，",
        "第3条，",
        "￥1,280.50，",
        "2027年。",
    ] {
        assert!(p.contains(&whole.to_string()), "{whole} in {p:?}");
    }
    // A date breaks between its parts, never inside one, in Arabic or hanzi numerals.
    let p = pieces("公示期为2026年11月30日至二〇二六年十二月四日");
    for part in ["2026年", "11月", "30日", "二〇二六年", "十二月", "四日"] {
        assert!(p.contains(&part.to_string()), "{part} in {p:?}");
    }
    // Full-width digits make a number as ASCII ones do.
    assert!(pieces("共计１２８人").contains(&"１２８人".to_string()));
    let text = "村务公开：本季度巡查补助共计58,600.00元，请相关人员于2026年12月20日前领取。";
    never_split(text, "58,600.00元，", 7);
    never_split(text, "2026年", 4);
}

#[test]
fn names_with_a_middle_dot_are_never_split() {
    // The break was 热依 / 拉・艾买提; every dot staff type counts as a 间隔号.
    for dot in ['·', '・', '•', '‧'] {
        let name = format!("热依拉{dot}艾买提");
        let text = format!("经村民代表会议评议，拟将{name}同志家庭纳入最低生活保障范围。");
        assert!(
            pieces(&text).iter().any(|p| p.contains(&name)),
            "{:?}",
            pieces(&text)
        );
        never_split(&text, &name, 8);
    }
    // Three parts, and a name bounded by the words around it: 为 does not join it.
    let text = "拟任命阿卜杜拉·买买提·艾力为区教育局副局长。";
    never_split(text, "阿卜杜拉·买买提·艾力", 12);
    assert!(pieces(text).contains(&"阿卜杜拉·买买提·艾力".to_string()));
}

#[test]
fn short_names_in_a_list_stay_whole_with_their_pause_mark() {
    let text = "现将拟纳入低保对象公示如下：张三、李　四、王五、热依拉・艾买提、欧阳娜娜。\
                公示期间如有异议，请向镇民政办反映。";
    let p = pieces(text);
    for item in [
        "张三、",
        "李　四、",
        "王五、",
        "热依拉・艾买提、",
        "欧阳娜娜。",
    ] {
        assert!(p.contains(&item.to_string()), "{item} in {p:?}");
        never_split(text, item, 8);
    }
    // A long clause between 、 is not a name, nor a four-character phrase: they break as usual.
    let p = pieces("请各村做好防汛物资储备工作、加强汛期巡查值守");
    assert!(p.contains(&"加".to_string()), "{p:?}");
    let p = pieces("坚持“居民自愿、政府引导、因地制宜、共建共享”的原则");
    assert!(p.contains(&"导、".to_string()), "{p:?}");
    assert!(pieces("司马相如、王五").contains(&"司马相如、".to_string()));
}

#[test]
fn addresses_break_only_after_slash_dot_at_or_hyphen() {
    let url = "https://www.yunling.gov.cn/zwgk/2026/1127/notice-0153.html";
    let mail = "zwgk@yunling.gov.cn";
    let text = format!("全文详见区政府门户网站{url}，意见请发送至{mail}。");
    let chars: Vec<char> = text.chars().collect();
    let addresses: Vec<(usize, usize)> = [url, mail]
        .iter()
        .map(|a| {
            let s = text[..text.find(a).unwrap()].chars().count();
            (s, s + a.chars().count())
        })
        .collect();
    // From 7 ems, where its longest label (zwgk@yunling.) fits.
    for (width, lines, breaks) in every_width(&text, 7) {
        for b in breaks {
            if addresses.iter().any(|&(s, e)| s < b && b < e) {
                assert!(
                    matches!(chars[b - 1], '/' | '.' | '-'),
                    "width {width}: broken inside a label: {lines:?}"
                );
                assert!(chars[b] != '/', "width {width}: {lines:?}");
            }
        }
    }
    // At 4 ems an address is broken only where it may be, never as gov.c / n.
    let lines = break_at(url, 4.0);
    assert!(lines.iter().all(|l| !l.ends_with(".c")), "{lines:?}");
    assert!(lines.contains(&"gov.cn/".to_string()), "{lines:?}");
    // A number with a decimal point is not an address.
    assert!(pieces("PM2.5浓度").contains(&"PM2.5".to_string()));
    // A compound unit is one: 28微克/立方米 never leaves 立 / 方米 across a break.
    for (text, whole) in [
        ("平均浓度为28微克/立方米。", "28微克/立方米。"),
        ("补助标准300元/月，", "300元/月，"),
        ("限速40公里/小时", "40公里/小时"),
    ] {
        let p = pieces(text);
        assert!(p.contains(&whole.to_string()), "{whole} in {p:?}");
    }
}

#[test]
fn labels_stay_with_their_values() {
    let p = pieces("监督电话：0871-1234567；电子邮箱：zwgk@yunling.gov.cn；火警 119；急救 120。");
    for whole in [
        "监督电话：0871-1234567；",
        "电子邮箱：zwgk@yunling.",
        "火警 119；",
        "急救 120。",
    ] {
        assert!(p.contains(&whole.to_string()), "{whole} in {p:?}");
    }
    let text = "如有疑问，请在工作日拨打咨询电话：0871-6000123，或者拨打火警 119。";
    never_split(text, "电话：0871-6000123", 12);
    // Wider than the line, a label with its value breaks where a rule bound it (after the
    // colon, or the area code's `-`), never between two digits.
    let lines = break_at("咨询电话：0871-6000123", 8.0);
    assert_eq!(lines, ["咨询电话：0871-", "6000123"]);
    let lines = break_at("请拨打咨询电话：0871-6000123", 6.0);
    assert_eq!(lines, ["请拨打", "咨询电话：", "0871-6000123"]);
    never_split(text, "火警 119", 5);
    assert!(pieces(text).contains(&"火警 119。".to_string()));
    // A phone wider than the line breaks after its area code.
    assert_eq!(break_at("0871-6000123", 5.0), ["0871-", "6000123"]);
}

#[test]
fn a_last_line_of_one_character_takes_one_more() {
    // Eleven hanzi at five a line: 5, 5, 1 would leave 任 alone (the 安全责 / 任).
    let lines = break_at("单位要切实落实安全责任", 5.5);
    assert_eq!(lines, ["单位要切实", "落实安全", "责任"]);
    // With its full stop: 任。 alone is still one character.
    let lines = break_at("单位要切实落实安全责任。", 5.5);
    assert_eq!(lines, ["单位要切实", "落实安全", "责任。"]);
    // A line of one atom only gives nothing.
    let lines = break_at("0871-12345678转", 7.0);
    assert_eq!(lines, ["0871-12345678", "转"]);
    // Nor when the two would not fit on one line.
    let chars: Vec<char> = "甲乙丙".chars().collect();
    let lines = fill(&chars, &[1.0, 3.5, 2.0], 4.5, 0.0);
    let ranges: Vec<Range<usize>> = lines.iter().map(|l| l.range.clone()).collect();
    assert_eq!(ranges, [0..2, 2..3]);
    // The line above is measured again without what it gave.
    let chars: Vec<char> = "单位要切实落实安全责任".chars().collect();
    let lines = fill(&chars, &widths(&chars), 5.5, 0.0);
    assert_eq!((lines[1].width, lines[2].width), (4.0, 2.0));
    assert!(lines[2].last && !lines[1].last);
}

// The outside review of issue 28: what the first rules still let through.

#[test]
fn a_phone_written_with_a_space_is_one_number() {
    for phone in [
        "0839-5520 1199",
        "0871-6000 1234",
        "138 0873 1234",
        "0873 4821234",
        "010 8888 6666",
        "400 123 4567",
    ] {
        let text = format!("如遇险情请立即拨打县防汛办值班电话{phone}，或者拨打110报警。");
        assert!(
            pieces(&text).contains(&format!("{phone}，")),
            "{phone}: {:?}",
            pieces(&text)
        );
        never_split(&text, phone, 8);
        // After a label, the whole number is its value.
        let p = pieces(&format!("联系电话：{phone}；"));
        assert_eq!(p, [format!("联系电话：{phone}；")]);
    }
    // Wider than the line, it breaks after its area code (then between its groups).
    assert_eq!(break_at("0839-5520 1199", 5.0), ["0839-", "5520 1199"]);
    assert_eq!(break_at("138 0873 1234", 4.0), ["138 0873", "1234"]);
    // Numbers that are no phone stay apart: a count, a year and a time.
    let p = pieces("共 12 3 户；2026 12 3；报警 110 急救 120");
    for apart in ["12", "3", "2026"] {
        assert!(p.contains(&apart.to_string()), "{apart} in {p:?}");
    }
    // A whole phone number after a long run of hanzi takes no label: 公室 is none.
    let p = pieces("县防汛抗旱指挥部办公室 0839-5520 1199；报警 110");
    assert!(p.contains(&"0839-5520 1199；".to_string()), "{p:?}");
    assert!(p.contains(&"室".to_string()), "{p:?}");
    // But a word that names the number is its label, however long the run before it.
    let p = pieces("区应急值班电话 0871-6000 1234；报警 110");
    assert!(p.contains(&"电话 0871-6000 1234；".to_string()), "{p:?}");
}

#[test]
fn transliterated_names_keep_characters_that_are_words_elsewhere() {
    // The review's break: 都 was taken for the adverb. 买, 提, 拉, 尔, 古, 阿, 木, 江, 别, 克
    // and 向 write names too.
    for name in [
        "努尔比亚·阿布都热依木",
        "阿不都热合曼·买买提明",
        "古丽加玛丽·阿不都克力木",
        "叶尔江·别克",
        "向巴·平措",
        "巴特尔·孟和",
    ] {
        for text in [
            format!("决定授予孙雪梅、{name}等17名同志“最美乡村医生”称号。"),
            format!("拟任命{name}为区教育局副局长。"),
            format!("经评议，{name}同志家庭纳入保障范围。"),
        ] {
            assert!(
                pieces(&text).iter().any(|p| p.contains(name)),
                "{name}: {:?}",
                pieces(&text)
            );
            never_split(&text, name, 12);
        }
    }
    // The words around a name stay out of it: 等, 为, 同志, and 和 between two names.
    let p = pieces("热依拉·艾买提和古丽米拉·吐尔逊等同志");
    assert!(p.contains(&"热依拉·艾买提".to_string()), "{p:?}");
    assert!(p.contains(&"古丽米拉·吐尔逊".to_string()), "{p:?}");
    assert!(p.contains(&"和".to_string()), "{p:?}");
    let p = pieces("经评议，热依拉·艾买提同志家庭");
    assert!(p.contains(&"热依拉·艾买提".to_string()), "{p:?}");
    // At most eight hanzi a side: running text past them is not taken for a name.
    let p = pieces("甲·乙丙丁戊己庚辛壬癸子丑");
    assert!(p.contains(&"甲·乙丙丁戊己庚辛壬".to_string()), "{p:?}");
}

#[test]
fn a_name_after_its_label_stays_whole() {
    for (text, whole) in [
        (
            "村民对公开内容有疑问的，请于12月15日前向村务监督委员会反映，联系人：李春生，联系电话：\
                13908391234。",
            "联系人：李春生，",
        ),
        ("负责人：何晓燕；经办人：欧阳娜娜。", "负责人：何晓燕；"),
        ("负责人：何晓燕；经办人：欧阳娜娜。", "经办人：欧阳娜娜。"),
        ("联系人:王五 13908391234", "联系人:王五"),
        ("申请人姓名：刘䶮，", "姓名：刘䶮，"),
    ] {
        assert!(
            pieces(text).iter().any(|p| p.starts_with(whole)),
            "{whole} in {:?}",
            pieces(text)
        );
        never_split(text, whole.trim_end_matches(['，', '；', '。']), 10);
    }
    // A value of more than four hanzi is no name: it breaks as running text.
    let p = pieces("联系人：镇社会事务办工作人员，");
    assert!(p.contains(&"员，".to_string()), "{p:?}");
    assert!(p.contains(&"事".to_string()), "{p:?}");
}

#[test]
fn an_address_wider_than_the_line_starts_where_its_first_piece_fits() {
    // The review's e-mail: 可发送邮件至 (7 of 10 ems), then zwfwzx- alone, then the rest.
    let text = "问可发送邮件至 zwfwzx-zixun@qingchuan.example.gov.cn,或拨打电话";
    let lines = break_at(text, 11.0);
    assert_eq!(lines[0], "问可发送邮件至 zwfwzx-", "{lines:?}");
    assert!(lines[1].starts_with("zixun@qingchuan."), "{lines:?}");
    // An atom that fits a whole line moves down whole, as before.
    let lines = break_at("问可发送邮件至 0871-6000 1234。", 10.0);
    assert_eq!(lines, ["问可发送邮件至", "0871-6000 1234。"]);
    // A label's first piece is the label: 咨询电话： fits after 请拨打, the number goes down whole.
    assert_eq!(
        break_at("请拨打咨询电话：0871-6000123", 8.0),
        ["请拨打咨询电话：", "0871-6000123"]
    );
    // A name wider than the line has no first piece to start early: it goes down.
    let lines = break_at("经研究决定，授予阿卜杜热合曼·买买提明", 10.0);
    assert_eq!(lines[0], "经研究决定，授予", "{lines:?}");
}

#[test]
fn an_address_breaks_after_a_dot_rather_than_its_hyphen() {
    // notice- would end the line; 1127/ does instead, notice-0153.html， fitting the next.
    let url = "https://www.yunling.gov.cn/zwgk/2026/1127/notice-0153.html";
    let text = format!("全文详见区政府门户网站{url}，意见请发送至zwgk@yunling.gov.cn。");
    for (width, lines, _) in every_width(&text, 8) {
        for line in &lines[..lines.len() - 1] {
            assert!(
                !line.ends_with("notice-") && !line.ends_with("zwfwzx-"),
                "width {width}: {lines:?}"
            );
        }
    }
    // Wider than the line, too: zwfwzx-zixun@qingchuan. ends the line, not zwfwzx-; an
    // e-mail's user and `@` stay with the first label of its host.
    let lines = break_at("zwfwzx-zixun@qingchuan.example.gov.cn", 12.0);
    assert_eq!(lines[0], "zwfwzx-zixun@qingchuan.", "{lines:?}");
    // With no `.` or `/` on the line, `-` it is.
    let lines = break_at("zwfwzx-zixun@qingchuan.example.gov.cn", 5.0);
    assert_eq!(lines[0], "zwfwzx-", "{lines:?}");
    // A trailing half-width comma does not hide an address.
    assert!(pieces("zwgk@yl.gov.cn,").contains(&"gov.".to_string()));
}

#[test]
fn a_title_keeps_a_dates_month_with_its_day() {
    let title = "寒潮红色预警：12月3日起气温骤降12℃以上，2026年十二月四日解除";
    let chars: Vec<char> = title.chars().collect();
    let heading: Vec<String> = heading_atoms(&chars)
        .into_iter()
        .map(|r| chars[r].iter().collect())
        .collect();
    // (a label keeps the first piece of its value: 红色预警：12月)
    assert!(
        heading.iter().any(|h| h.ends_with("12月3日")),
        "{heading:?}"
    );
    assert!(heading.contains(&"十二月四日".to_string()), "{heading:?}");
    // The year still stands apart, and body text may break between month and day.
    assert!(heading.contains(&"2026年".to_string()), "{heading:?}");
    let body = pieces("气温将于12月3日起骤降");
    assert!(body.contains(&"3日".to_string()), "{body:?}");
    // At no width where its widest piece (红色预警：12月3日) fits is a title line broken
    // between 月 and 日.
    let advances = widths(&chars);
    let atoms = heading_atoms(&chars);
    for width in 9..=30 {
        let lines = fill_atoms(&chars, &atoms, &advances, width as f32, 0.0);
        for line in &lines[1..] {
            let s: String = chars[line.range.clone()].iter().collect();
            assert!(
                !s.starts_with("3日") && !s.starts_with("四日"),
                "{width}: {s}"
            );
        }
    }
}
