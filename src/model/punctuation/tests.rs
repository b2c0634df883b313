//! Half-width marks a clerk types in a 通知, and the numbers, addresses and list numbers around
//! them that must stay as typed.

use super::*;

/// Each finding as (line, column, found, replacement).
fn found(text: &str) -> Vec<(usize, usize, char, char)> {
    find(text)
        .into_iter()
        .map(|f| (f.line, f.column, f.found, f.replacement))
        .collect()
}

/// Converts, and checks that converting is done at once: a second pass finds and changes
/// nothing.
fn converted(text: &str) -> String {
    let once = convert(text);
    assert_eq!(convert(&once), once, "converting {text:?} twice");
    assert!(
        find(&once).is_empty(),
        "{once:?} still has {:?}",
        find(&once)
    );
    once
}

#[test]
fn marks_after_chinese_become_full_width() {
    let cases = [
        (
            "2026年12月1日起,全区实行错峰停车.",
            "2026年12月1日起，全区实行错峰停车。",
        ),
        ("咨询电话:0871-65123456", "咨询电话：0871-65123456"),
        (
            "请于12月31日前报名!逾期不再受理?",
            "请于12月31日前报名！逾期不再受理？",
        ),
        ("一是摸清底数;二是建立台账.", "一是摸清底数；二是建立台账。"),
        ("注意!!", "注意！！"),
        ("共计1,286人,其中男性642人.", "共计1,286人，其中男性642人。"),
        ("补助金额为53,000.00元.", "补助金额为53,000.00元。"),
        ("共5户,补助12.8万元", "共5户，补助12.8万元"),
        ("下载APP,注册后即可办理", "下载APP，注册后即可办理"),
        ("同比增长5%,其中", "同比增长5%，其中"),
        ("具体见附件1.请各村认真填报", "具体见附件1。请各村认真填报"),
        // The number ends the sentence: its run of ASCII stands after Chinese.
        ("监督电话0871-65123456.", "监督电话0871-65123456。"),
        ("本次共认证1,286.", "本次共认证1,286。"),
        ("时间:2026年12月1日 08:30", "时间：2026年12月1日 08:30"),
        ("《通知》.", "《通知》。"),
    ];
    for (typed, want) in cases {
        assert_eq!(converted(typed), want, "{typed}");
    }
}

#[test]
fn where_each_mark_stands_is_said_by_line_and_character() {
    let body = "各村(社区):\n\n请于12月10日前上报,逾期视为放弃.";
    assert_eq!(
        found(body),
        [
            (1, 3, '(', '（'),
            (1, 6, ')', '）'),
            (1, 7, ':', '：'),
            (3, 12, ',', '，'),
            (3, 19, '.', '。'),
        ]
    );
    let f = &find(body)[3];
    assert_eq!(
        f.reason().to_string(),
        "line 3, character 12: a half-width comma ',' in Chinese text; use '，'"
    );
    assert_eq!(
        f.reason().zh(),
        "第 3 行第 12 个字：中文里用了半角逗号“,”，应为全角“，”"
    );
    // A line break typed as CR LF: the CR is neither a character of the line nor changed.
    assert_eq!(
        found("通知:\r\n内容."),
        [(1, 3, ':', '：'), (2, 3, '.', '。')]
    );
    assert_eq!(converted("通知:\r\n内容."), "通知：\r\n内容。");
}

#[test]
fn brackets_and_quotes_turn_in_pairs() {
    let cases = [
        ("细颗粒物(PM2.5)浓度", "细颗粒物（PM2.5）浓度"),
        ("(1)申请人须年满18周岁;", "（1）申请人须年满18周岁；"),
        (
            "关于印发《城关镇人居环境整治方案(2026—2028年)》的通知",
            "关于印发《城关镇人居环境整治方案（2026—2028年）》的通知",
        ),
        ("开展\"平安家庭\"创建活动", "开展“平安家庭”创建活动"),
        ("称为\"12345\"热线", "称为“12345”热线"),
        ("推行'一网通办'服务", "推行‘一网通办’服务"),
        ("他说:\"请排队.\"", "他说：“请排队。”"),
        // A bracket after a list label: once the comma is full-width, the pair touches it.
        ("(a),中", "（a），中"),
        // Spaces typed around a mark as in English go with it.
        ("各村, 各社区", "各村，各社区"),
        ("社区服务中心 (一楼)", "社区服务中心（一楼）"),
    ];
    for (typed, want) in cases {
        assert_eq!(converted(typed), want, "{typed}");
    }
    // A quotation that goes on to the next line: each mark by what it touches.
    assert_eq!(converted("\"请各村\n做好准备\""), "“请各村\n做好准备”");
    // The indentation of a line is not a space typed before a mark.
    assert_eq!(converted("  (一)总体要求"), "  （一）总体要求");
}

#[test]
fn list_numbers_keep_their_dot_and_chinese_numerals_take_the_enumeration_comma() {
    let cases = [
        ("1.申请条件", "1.申请条件"),
        ("\u{3000}\u{3000}12.办理时限", "\u{3000}\u{3000}12.办理时限"),
        (
            "具体如下:1.申请条件;2.办理流程.",
            "具体如下：1.申请条件；2.办理流程。",
        ),
        ("a.身份证复印件", "a.身份证复印件"),
        ("1.1.申请条件", "1.1.申请条件"),
        ("Ⅱ.实施步骤", "Ⅱ.实施步骤"),
        (
            "附件:1.申请表\n      2.承诺书",
            "附件：1.申请表\n      2.承诺书",
        ),
        // After a word, a number ends a sentence; so does a year.
        ("截至2026.", "截至2026。"),
        ("一.工作目标", "一、工作目标"),
        ("十二.附则", "十二、附则"),
        ("分工如下:一.宣传动员", "分工如下：一、宣传动员"),
        // Not a numeral: 统一 ends the sentence.
        ("全区统一.", "全区统一。"),
    ];
    for (typed, want) in cases {
        assert_eq!(converted(typed), want, "{typed}");
    }
}

#[test]
fn numbers_addresses_words_and_tables_stay_as_typed() {
    let untouched = [
        "共计1,286人",
        "总投资12.8亿元",
        "联系电话0871-1234567",
        "办公时间08:30至17:30",
        "上午8:30开始",
        "比例尺1:1000",
        "2026.12.01起施行",
        "详见www.yl.gov.cn",
        "登录yunling.gov.cn查询",
        "请发送至zhengwu@yl.gov.cn",
        "网址https://www.yl.gov.cn/xxgk/index.html?id=3&p=1,2",
        "No. 5",
        "编号No.5",
        "PM2.5浓度",
        "V2.0版本",
        "请下载申请表.xlsx",
        "Xi'an",
        "Tel: 0871-1234567",
        "Hello, world.",
        "等等......",
        "配备32\"液晶电视",
        "2.1 总体要求",
        "\u{2022} 第一项",
        "热依拉·艾买提",
        "各村（社区）：请于12月10日前上报，逾期视为放弃。",
        "",
    ];
    for text in untouched {
        assert_eq!(found(text), [], "{text}");
        assert_eq!(convert(text), text);
    }
    // A table: numbers in cells, a serial number with a dot, a cell's end apart from the next.
    let table = "序号\t姓名\t金额（元）\n1.\t张三\t53,000.00\n2\t李四\t1,286.5\n3\t王五.\t12.8";
    assert_eq!(found(table), [(4, 5, '.', '。')]);
    // Inside an address nothing changes; the sentence's own mark after it does.
    assert_eq!(
        converted("详见https://www.yl.gov.cn/xxgk/2026/t1.html."),
        "详见https://www.yl.gov.cn/xxgk/2026/t1.html。"
    );
    assert_eq!(
        converted("邮箱:zhengwu@yl.gov.cn."),
        "邮箱：zhengwu@yl.gov.cn。"
    );
    assert_eq!(
        converted("详见区政府网站www.yl.gov.cn."),
        "详见区政府网站www.yl.gov.cn。"
    );
    assert_eq!(
        converted("(详见https://www.yl.gov.cn/a)"),
        "（详见https://www.yl.gov.cn/a）"
    );
}

#[test]
fn middle_dots_other_than_the_separator_are_named() {
    let names = "热依拉・艾买提、阿依古丽•买买提、古丽·吐尔逊、玛丽‧居里";
    assert_eq!(
        found(names),
        [(1, 4, '・', '·'), (1, 13, '•', '·'), (1, 27, '‧', '·'),]
    );
    assert_eq!(
        converted(names),
        "热依拉·艾买提、阿依古丽·买买提、古丽·吐尔逊、玛丽·居里"
    );
    let f = find(names)[0];
    assert_eq!(
        f.reason().to_string(),
        "line 1, character 4: the middle dot '・' (U+30FB) in a name; names are separated \
         with '·' (U+00B7)"
    );
    // A bullet opening an item, or between Latin letters, is not in a Chinese name.
    assert_eq!(found("\u{2022}申请条件\nA\u{2022}B"), []);
}

#[test]
fn a_whole_notice_converts_once_and_keeps_its_facts() {
    let notice = "各村(社区),各有关单位:\n\n\
        为做好2026年度城乡居民医疗保险参保工作,现将有关事项通知如下:\n\n\
        一.缴费标准\n\n\
        每人每年400元,缴费时间为2026年9月1日至12月31日.\n\n\
        1.线上缴纳:登录\"云岭医保\"APP或www.ylyb.gov.cn办理;\n\
        2.线下缴纳:到村(社区)便民服务站办理.\n\n\
        咨询电话:0871-65123456(工作日08:30-17:30).";
    let want = "各村（社区），各有关单位：\n\n\
        为做好2026年度城乡居民医疗保险参保工作，现将有关事项通知如下：\n\n\
        一、缴费标准\n\n\
        每人每年400元，缴费时间为2026年9月1日至12月31日。\n\n\
        1.线上缴纳：登录“云岭医保”APP或www.ylyb.gov.cn办理；\n\
        2.线下缴纳：到村（社区）便民服务站办理。\n\n\
        咨询电话：0871-65123456（工作日08:30-17:30）。";
    assert_eq!(converted(notice), want);
    // What `find` reports is exactly what `convert` changed.
    let changed = notice
        .chars()
        .filter(|c| ",.:;?!()\"'".contains(*c))
        .count()
        - want.chars().filter(|c| ",.:;?!()\"'".contains(*c)).count();
    assert_eq!(find(notice).len(), changed);
}

#[test]
fn a_long_line_of_marks_is_read_in_linear_time() {
    // The body's limit in one line, nested and chained as no clerk types: still quick.
    let nested = format!("{}中{}", "(".repeat(50_000), ")".repeat(50_000));
    let chained = format!("{}中", "(a)".repeat(33_000));
    let started = std::time::Instant::now();
    assert_eq!(find(&nested).len(), 100_000);
    assert!(!find(&chained).is_empty());
    assert!(
        started.elapsed() < std::time::Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn notices_typed_as_they_should_be_have_nothing_to_warn_about() {
    // A 公示, a warning and a 通知 as an office types them well: numbers, times, addresses,
    // list numbers, a table, names with the 间隔号: no finding, nothing converted.
    let notices = [
        "关于2026年度城乡居民最低生活保障对象的公示\n\n\
         根据《云南省最低生活保障实施办法》（云政规〔2021〕3号）规定，经入户调查、\
         民主评议，现将拟纳入低保对象名单公示如下：\n\n\
         序号\t姓名\t家庭人口\t月保障金额（元）\n\
         1.\t热依拉·艾买提\t3\t1,286.00\n\
         2.\t王建国\t2\t858.5\n\n\
         公示期：2026年12月1日至12月7日（5个工作日）。\n\
         监督电话：0871-65123456，邮箱：mzj@yl.gov.cn。\n\n\
         云岭区民政局\n\
         2026年11月28日",
        "暴雨橙色预警\n\n\
         预计未来6小时内，城关镇、东岭村降雨量将达50毫米以上，局地可达100 mm。\
         请及时转移至安全地带，详见https://www.yl.gov.cn/yj/2026/t1128.html。\n\
         值班电话：0871-12345678，火警119，急救120。",
        "一、工作目标\n\n\
         到2027年底，PM2.5年均浓度下降至25微克/立方米以下，优良天数比例达到95.5%以上。\n\n\
         （一）加强扬尘治理\n\n\
         1.施工工地落实“六个百分之百”要求；\n\
         2.渣土运输车辆全部安装GPS定位（No. 5号令）。\n\n\
         办公时间：工作日上午8:30—12:00，下午14:30—18:00。\n\
         附件：1.申请表.docx\n\
         \u{3000}\u{3000}\u{3000}2.承诺书.pdf",
    ];
    for text in notices {
        assert_eq!(find(text), [], "{text}");
        assert_eq!(convert(text), text);
    }
}
