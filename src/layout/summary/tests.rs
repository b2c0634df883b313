//! The marquee summary on notices as offices write them (fictional), and properties over
//! generated bodies: no number, phone or amount is ever parted.

use super::facts::{classify, has_phone, is_formula, says_count};
use super::read::{names_line, sentences};
use super::*;
use crate::layout::body::is_addressee;
use crate::model::{Category, NoticePeriod, Priority, Timestamp};
use proptest::prelude::*;

fn t(s: &str) -> Timestamp {
    Timestamp::parse_from_rfc3339(s).unwrap()
}

fn notice(title: &str, body: &str) -> Notice {
    Notice {
        id: "2026-0900".into(),
        category: Category::Services,
        priority: Priority::Normal,
        title: title.into(),
        body: body.into(),
        issuer: "石屏县民政局".into(),
        doc_number: None,
        published_at: t("2026-11-28T09:00:00+08:00"),
        valid_from: t("2026-11-28T09:00:00+08:00"),
        valid_until: None,
        url: None,
        level: None,
        instruction: None,
        contact: None,
        alert_id: None,
        notice_period: None,
        figures: Vec::new(),
    }
}

fn with_url(mut n: Notice) -> Notice {
    n.url = Some("https://www.shiping.gov.cn/xxgk/mz/2026-0900.html".into());
    n
}

fn chars(s: &str) -> usize {
    s.chars().count()
}

/// A preamble of 98 characters, then the names in a table, the 公示期 and the 监督电话: what
/// the LED showed of it was the preamble alone.
const DIBAO: &str = "根据《云南省最低生活保障实施办法》和《石屏县城乡居民最低生活保障审核确认办\
    法》有关规定，经本人申请、入户调查、村（居）民代表评议和乡镇人民政府审核，拟将下列人员纳入20\
    26年第四季度农村最低生活保障范围，现予以公示。\n\n拟保对象名单：\n序号\t户主姓名\t所在村组\t\
    保障人数\t月保障金额（元）\n1\t李𡘙芬\t龙港村三组\t3\t1,260.00\n2\t普正华\t龙港村五组\t1\t42\
    0.00\n3\t热依拉·艾买提\t坝心村一组\t2\t840.00\n4\t杨丽琼\t坝心村四组\t4\t1,680.00\n5\t王𤭢\t\
    宝秀村二组\t2\t840.00\n\n公示期为2026年11月28日至2026年12月4日（5个工作日）。公示期间，如对\
    公示对象有异议，请向县民政局或所在乡镇人民政府反映。\n\n监督电话：0873-4821234（县民政局），\
    12345（政务服务便民热线）。\n\n石屏县民政局\n2026年11月27日";

#[test]
fn a_dibao_gongshi_keeps_its_names_period_and_phone() {
    let n = notice("2026年第四季度农村最低生活保障拟保对象公示", DIBAO);
    let s = summarise(&n, 240);
    for fact in [
        "公示期为2026年11月28日至2026年12月4日（5个工作日）。",
        "监督电话：0873-4821234（县民政局），12345（政务服务便民热线）。",
        "李𡘙芬、普正华、热依拉·艾买提、杨丽琼、王𤭢",
    ] {
        assert!(s.contains(fact), "{fact} in {s}");
    }
    assert!(s.starts_with("根据《云南省"), "{s}");
    assert!(
        !s.contains("石屏县民政局\u{3000}2026年11月27日"),
        "the 落款: {s}"
    );
    assert!(!s.contains("全文详见"), "no web address: {s}");
    assert!(chars(&s) <= 260, "{} characters: {s}", chars(&s));
}

#[test]
fn a_long_list_of_names_becomes_its_count_and_the_facts_stay() {
    let mut rows = String::from("序号\t姓名\t所在村\n");
    let surnames = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜";
    for (i, s) in surnames.chars().enumerate() {
        rows.push_str(&format!(
            "{}\t{s}文{}\t大村\n",
            i + 1,
            "明亮华芳"[i % 4 * 3..].chars().next().unwrap()
        ));
    }
    let body = format!(
        "经村民代表大会评议，以下困难群众拟享受2026年度临时救助，现公示如下：\n{rows}\n公示时间\
            ：2026年12月1日至12月7日。\n\n举报电话：0873-4820000。"
    );
    let n = notice("临时救助对象公示", &body);
    let s = summarise(&n, 120);
    let count = surnames.chars().count();
    assert!(s.contains(&format!("名单共 {count} 人。")), "{s}");
    assert!(!s.contains("赵文"), "{s}");
    assert!(s.contains("公示时间：2026年12月1日至12月7日。"), "{s}");
    assert!(s.contains("举报电话：0873-4820000。"), "{s}");
    // With a web address the names can be read there.
    let s = summarise(&with_url(n), 120);
    assert!(
        s.ends_with("（全文详见政务公开网站 www.shiping.gov.cn）"),
        "{s}"
    );
}

#[test]
fn names_in_a_line_are_kept_whole_or_counted() {
    let body = "经个人申请、村民小组评议，现将2026年度生态护林员拟聘人员公示如下。\n\n拟聘人员：\
        张建国、李秀英、热依拉·艾买提、𨭉阿福、王芳、赵志刚\n\n公示期：2026年11月30日至12月4日，\
        联系电话：0873-4829999。";
    let n = notice("2026年度生态护林员拟聘人员公示", body);
    let s = summarise(&n, 240);
    assert!(
        s.contains("拟聘人员：张建国、李秀英、热依拉·艾买提、𨭉阿福、王芳、赵志刚"),
        "{s}"
    );
    let s = summarise(&n, 60);
    assert!(s.contains("拟聘人员共 6 人。"), "{s}");
    assert!(
        s.contains("公示期：2026年11月30日至12月4日，联系电话：0873-4829999。"),
        "{s}"
    );
    assert!(!s.contains("张建国"), "{s}");
}

#[test]
fn a_list_of_words_is_not_a_list_of_names() {
    assert_eq!(names_line("涉及教育、卫生、交通等领域"), None);
    assert_eq!(names_line("张建国、李秀英、欧阳明华"), Some((None, 3)));
    assert_eq!(
        names_line("拟推荐：阿卜杜热合曼·吐尔逊、王芳、李华等"),
        Some((Some("拟推荐"), 3))
    );
}

#[test]
fn names_under_their_own_label_line_run_together() {
    let body = "现将2026年度脱贫户产业奖补对象公示如下。\n\n奖补对象：\n李明华　张桂芬　杨小平\n\
        普文秀　罗正兴　何春梅\n\n公示期间如有异议，请拨打监督电话12345。";
    let n = notice("产业奖补对象公示", body);
    let s = summarise(&n, 40);
    assert!(s.contains("奖补对象共 6 人。"), "{s}");
    let s = summarise(&n, 240);
    assert!(
        s.contains("奖补对象：李明华　张桂芬　杨小平　普文秀　罗正兴　何春梅"),
        "{s}"
    );
}

/// 村务公开: amounts in lines aligned with full-width spaces. The old cut left `巡查补助　　5……`.
#[test]
fn a_cunwu_keeps_amounts_whole() {
    let body = "根据村务公开有关规定，现将龙港村2026年第三季度财务收支情况公布如下：\n\n一、收入\
        合计：186,420.50元\n1. 上级转移支付　　120,000.00元\n2. 集体资产租赁收入　　66,420.50元\n\
        二、支出合计：158,230.00元\n1. 村组干部报酬　　72,000.00元\n2. 护林员巡查补助　　53,000.\
        00元\n3. 村内道路维修　　33,230.00元\n三、结余：28,190.50元。\n\n村民如有疑问，请于公布\
        之日起10日内向村务监督委员会反映，监督电话：138 0873 1234。\n\n龙港村民委员会\n龙港村务\
        监督委员会\n2026年10月15日";
    let n = notice("龙港村2026年第三季度财务公开", body);
    for budget in [20, 60, 100, 140, 240] {
        let s = summarise(&n, budget);
        assert!(!s.contains("……"), "{budget}: {s}");
        for amount in numbers(&s) {
            assert!(numbers(body).contains(&amount), "{budget}: {amount} in {s}");
        }
        assert!(s.contains("监督电话：138 0873 1234。"), "{budget}: {s}");
        assert!(!s.contains("龙港村民委员会"), "{budget}: {s}");
    }
    let s = summarise(&n, 240);
    assert!(s.contains("2. 护林员巡查补助　　53,000.00元"), "{s}");
    // A short budget stops at an item, never in one.
    let s = summarise(&n, 120);
    assert!(s.contains("一、收入合计：186,420.50元"), "{s}");
    assert!(!s.contains("三、结余"), "{s}");
}

#[test]
fn a_tongzhi_skips_its_addressee_and_formulae() {
    let body = "各乡镇人民政府，县直各部门：\n\n为切实做好2026年冬春季森林草原防灭火工作，确保人\
        民群众生命财产安全，现将有关事项通知如下：\n\n一、严格管控野外用火。12月1日至次年5月31日\
        为森林防火期，防火期内禁止一切野外用火。\n\n二、加强巡查值守。各乡镇要落实24小时值班制度\
        ，发现火情立即报告，县森林防火指挥部值班电话：0873-4822119。\n\n三、强化宣传教育。通过广\
        播、标语、微信群等方式，把防火知识宣传到户到人。\n\n特此通知。\n\n石屏县人民政府办公室\n\
        二〇二六年十一月二十五日";
    let n = notice(
        "石屏县人民政府办公室关于做好冬春季森林草原防灭火工作的通知",
        body,
    );
    let s = summarise(&n, 240);
    // The lead-in ending in 通知如下： introduces; the title says what it would.
    assert!(s.starts_with("一、严格管控野外用火。12月1日"), "{s}");
    assert!(!s.contains("为切实做好"), "{s}");
    assert!(!s.contains("各乡镇人民政府"), "{s}");
    assert!(!s.contains("特此通知"), "{s}");
    assert!(!s.contains("二〇二六年"), "{s}");
    assert!(s.contains("值班电话：0873-4822119。"), "{s}");
    // The phone's item is kept even where the text before it is not.
    let s = summarise(&n, 50);
    assert!(s.contains("值班电话：0873-4822119。"), "{s}");
    assert!(!s.contains("三、强化宣传教育"), "{s}");
    assert!(!s.contains("全文详见"), "{s}");
    assert!(s.ends_with("。（摘要，全文见政务公开栏）"), "{s}");
    let s = summarise(&with_url(n), 50);
    assert!(
        s.ends_with("（全文详见政务公开网站 www.shiping.gov.cn）"),
        "{s}"
    );
}

#[test]
fn a_formula_that_leads_in_is_dropped_but_a_lead_in_with_content_stays() {
    assert!(is_formula("现将有关事项通知如下："));
    assert!(is_formula("现公告如下。"));
    assert!(is_formula("特此公告。"));
    assert!(is_formula("特此通知"));
    assert!(is_formula("现予以公示。"));
    // Whatever leads up to it (issue 28, outside review 10).
    for lead_in in [
        "经村民代表大会评议，现将2026年度低保评议结果公示如下：",
        "为进一步加强和规范农村集体经济组织资产管理，根据有关规定，现就有关事项通知如下：",
        "根据《村务公开条例》，现将本村2026年第三季度财务收支情况公布如下。",
        "经县人民政府同意，现就冬季取暖安全有关事项公告如下",
    ] {
        assert_eq!(classify(lead_in), Kind::Skip, "{lead_in}");
    }
    assert!(!is_formula("特困人员供养标准提高到每人每月1,040元。"));
    assert!(!is_formula("收支情况公开如下，接受全体村民监督。"));
    // A fact in it stays (rare, but a phone is never dropped).
    assert_eq!(
        classify("公示期为2026年12月1日至12月7日，现将拟推荐人选公示如下："),
        Kind::Fact
    );
    assert_eq!(
        classify("如有疑问请拨打0873-4821234，现将有关事项通知如下："),
        Kind::Fact
    );
}

#[test]
fn a_short_notice_is_whole_and_points_nowhere() {
    let body = "2026年10月1日至7日国庆假期期间，区政务服务中心暂停现场办理业务，10月8日起恢复正\
        常。假期内可通过“云岭政务”App等网上平台办理相关事项。";
    let n = with_url(notice("国庆假期办公时间调整", body));
    assert_eq!(summarise(&n, 240), body);
}

#[test]
fn sentences_end_at_half_width_marks_after_hanzi_not_inside_numbers() {
    assert_eq!(
        sentences("全县地区生产总值12.8亿元.同比增长5.6%.网址www.x.gov.cn;请拨打12345;谢谢!"),
        vec![
            "全县地区生产总值12.8亿元.",
            "同比增长5.6%.",
            "网址www.x.gov.cn;请拨打12345;",
            "谢谢!"
        ]
    );
    assert_eq!(
        sentences("1. 重点时段加密巡查频次。"),
        vec!["1. 重点时段加密巡查频次。"]
    );
    assert_eq!(
        sentences("请于“12月31日前”办理。逾期不再受理！"),
        vec!["请于“12月31日前”办理。", "逾期不再受理！"]
    );
    assert_eq!(
        sentences("他说：“截止了。”随后离开"),
        vec!["他说：“截止了。”", "随后离开"]
    );
}

#[test]
fn phones_are_told_from_dates_amounts_and_counts() {
    for yes in [
        "咨询电话：0871-12345678",
        "请拨打供水服务热线96111。",
        "火警119，急救120",
        "联系人：王老师，13808731234",
        "区防汛值班电话 0871-6000 1234",
        "请拨打12345政务服务便民热线",
    ] {
        assert!(has_phone(yes), "{yes}");
    }
    for no in [
        "2026年11月30日起施行",
        "补助标准为每人每年400元",
        "联系2026年度工作",
        "GDP 386.2亿元，增长5.6%",
        "共计1,286人",
        "咨询时间为9:30至17:00",
    ] {
        assert!(!has_phone(no), "{no}");
    }
}

#[test]
fn a_period_from_the_notice_when_the_body_never_says_it() {
    let mut n = notice(
        "拟推荐2026年度优秀村干部人选公示",
        "经各村党组织推荐、镇党委研究，拟推荐下列同志为2026年度优秀村干部人选：李华、张强、普文\
            秀。\n\n如有异议，请向镇纪委反映，电话0873-4825678。",
    );
    n.notice_period = Some(NoticePeriod {
        start: t("2026-12-01T00:00:00+08:00"),
        working_days: Some(5),
        end: None,
    });
    let s = summarise(&n, 240);
    assert!(s.ends_with("公示期：自2026年12月1日起5个工作日。"), "{s}");
    n.notice_period = Some(NoticePeriod {
        start: t("2026-12-01T00:00:00+08:00"),
        working_days: None,
        end: Some(t("2026-12-08T00:00:00+08:00")),
    });
    assert!(summarise(&n, 240).ends_with("公示期：2026年12月1日至2026年12月7日。"));
    // Not twice when the body gives it.
    n.body.push_str("\n\n公示时间：2026年12月1日至12月7日。");
    let s = summarise(&n, 240);
    assert!(s.ends_with("公示时间：2026年12月1日至12月7日。"), "{s}");
    assert!(!s.contains("公示期："), "{s}");
}

#[test]
fn a_sentence_longer_than_the_budget_is_cut_at_a_clause_never_in_a_number() {
    let body = "受西南暖湿气流和冷空气共同影响，预计11月28日20时至29日20时，我县大部分乡镇将出现\
        暴雨，局部大暴雨，累计雨量80～120毫米，最大小时雨强可达53.5毫米，并伴有雷电、短时强降水\
        等强对流天气，山洪、滑坡、泥石流等地质灾害风险较高。";
    let n = notice("暴雨橙色预警", body);
    for budget in [30, 40, 60, 90] {
        let s = summarise(&n, budget);
        assert!(s.ends_with("……"), "{budget}: {s}");
        assert!(chars(&s) <= budget, "{budget}: {s}");
        for number in numbers(&s) {
            assert!(numbers(body).contains(&number), "{budget}: {number} in {s}");
        }
    }
    // Nothing of the sentence before a budget of one clause: the first clause anyway.
    let s = summarise(&n, 5);
    assert!(!s.is_empty(), "{s}");
}

#[test]
fn a_fact_longer_than_the_budget_is_whole() {
    let body = "防汛值班电话：县应急管理局0873-4821100，县水务局0873-4822200，县自然资源局0873-4\
        823300，各乡镇值班室电话见各乡镇公告栏。";
    let n = notice("防汛值班安排", body);
    assert_eq!(summarise(&n, 30), body);
}

#[test]
fn an_attachment_list_is_left_out_and_pointed_to() {
    let body = "现将《石屏县2026年冬季供暖补贴发放办法》印发给你们，请认真贯彻执行。\n\n附件：1. \
        补贴申请表\n2. 补贴标准";
    let n = notice("关于印发补贴发放办法的通知", body);
    let s = summarise(&n, 240);
    assert_eq!(
        s,
        concat!(
            "现将《石屏县2026年冬季供暖补贴发放办法》印发给你们，请认真贯彻执行。",
            "（摘要，全文见政务公开栏）"
        )
    );
    let s = summarise(&with_url(n), 240);
    assert!(
        s.ends_with("执行。（全文详见政务公开网站 www.shiping.gov.cn）"),
        "{s}"
    );
}

/// Outside review 1: `…咨询电话 0839-5520 8123.也可以…` lost its whole sentence, the `.` after a
/// number before hanzi not taken for a full stop.
#[test]
fn a_full_stop_typed_after_a_number_ends_the_phone_sentence() {
    assert_eq!(
        sentences("或拨打咨询电话 0839-5520 8123.也可以在网上搜索\"青川一网通办\"查看办事指南."),
        vec![
            "或拨打咨询电话 0839-5520 8123.",
            "也可以在网上搜索\"青川一网通办\"查看办事指南."
        ]
    );
    assert_eq!(
        sentences("共受理186项.其中即办件42项!请拨打12345;也可到窗口咨询?谢谢."),
        vec![
            "共受理186项.",
            "其中即办件42项!",
            "请拨打12345;",
            "也可到窗口咨询?",
            "谢谢."
        ]
    );
    // A list number is no full stop, nor is the point of a decimal or a date.
    for whole in [
        "1.停止户外集体活动；",
        "注意：1.关好门窗，2.远离河道",
        "增长12.8%，2026.11.28发布",
        "附件：1.2027年度缴费档次表",
    ] {
        assert_eq!(
            sentences(whole).len(),
            whole.matches('；').count().max(1),
            "{whole}"
        );
    }
    assert!(has_phone("或拨打咨询电话 0839-5520 8123."));
    assert!(has_phone("请拨打12345,或到窗口咨询"));
    assert!(!has_phone("共计1,286人"));

    let body = "自2026年12月1日起,县政务服务中心\"一网通办\"平台上线试运行.群众可登录网站或关注\
        \"青川政务\"微信公众号办理社保、医保、不动产登记等186项业务.\n\n办理时间:工作日9:00—17:00\
        ,其余时间可网上预约.\n\n有什么不明白的?可发送邮件至 zwfwzx-zixun@qingchuan.example.gov.cn,\
        或拨打咨询电话 0839-5520 8123.也可以在网上搜索\"青川一网通办\"查看办事指南.\n\n线下办理的,\
        请携带本人身份证原件到县政务服务中心一楼综合受理窗口(1—12号)办理.";
    let n = notice("县政务服务中心\"一网通办\"上线试运行", body);
    for budget in [40, 120, 240] {
        let s = summarise(&n, budget);
        assert!(
            s.contains(
                "可发送邮件至 zwfwzx-zixun@qingchuan.example.gov.cn,或拨打咨询电话 0839-5520 8123."
            ),
            "{budget}: {s}"
        );
    }
}

/// Outside review 9: the 落款 on one line, the embedded document's title and a heading with
/// nothing after it (`一、总体目标（全文详见…）`).
#[test]
fn the_signature_a_carried_title_and_a_bare_heading_are_left_out() {
    let body = "各乡镇人民政府，区直各部门：\n\n《云岭区2027年农村饮水安全巩固提升实施方案》已经\
        区人民政府同意，现印发给你们，请认真组织实施。\n\n云岭区人民政府办公室　2026年11月26日\n\n\
        《云岭区2027年农村饮水安全巩固提升实施方案》\n\n为巩固农村饮水安全成果，制定本方案。\n\n\
        一、总体目标\n\n到2027年底，全区农村自来水普及率达到98%以上，规模化供水工程覆盖人口比例达\
        到70%以上，水质达标率稳步提升，建成从水源到水龙头的全链条运行管护体系。\n\n二、主要任务\n\
        \n（一）实施水源保护。划定乡镇级水源保护区12处，设立标志标牌。";
    let n = notice(
        "云岭区人民政府办公室关于印发《云岭区2027年农村饮水安全巩固提升实施方案》的通知",
        body,
    );
    for budget in [60, 100, 240] {
        let s = summarise(&n, budget);
        assert!(!s.contains("2026年11月26日"), "{budget}: {s}");
        assert!(!s.contains("云岭区人民政府办公室"), "{budget}: {s}");
        assert_eq!(s.matches('《').count(), 1, "{budget}: the title once: {s}");
        for heading in ["一、总体目标", "二、主要任务"] {
            if let Some(at) = s.find(heading) {
                let after = &s[at + heading.len()..];
                assert!(
                    after.starts_with("　到2027年底") || after.starts_with("　（一）"),
                    "{budget}: {heading} alone: {s}"
                );
            }
        }
        assert_eq!(
            s.ends_with("（摘要，全文见政务公开栏）"),
            !s.contains("设立标志标牌。"),
            "{budget}: {s}"
        );
    }
    let s = summarise(&n, 100);
    assert!(!s.contains("总体目标"), "{s}");
    let s = summarise(&n, 240);
    assert!(s.contains("一、总体目标　到2027年底"), "{s}");
    // The signature's other forms, and the 附注 after it.
    for closing in [
        "云岭区民政局\u{3000}\u{3000}2026年11月28日",
        "云岭区民政局 二〇二六年十一月二十八日",
        "云岭区民政局\n云岭区财政局\n2026年11月28日\n\n（此件公开发布）",
    ] {
        let body = format!("城乡低保标准自2027年1月1日起每人每月提高60元。\n\n{closing}");
        let n = notice("关于提高城乡低保标准的通知", &body);
        assert_eq!(
            summarise(&n, 240),
            "城乡低保标准自2027年1月1日起每人每月提高60元。",
            "{closing}"
        );
    }
}

/// Outside review 11: `（二）基本原则。` without its text; a count lost.
#[test]
fn an_item_is_whole_or_absent_and_a_heading_comes_with_its_first_item() {
    let body = "各乡镇人民政府，县政府各部门：\n\n\
        为加强农村集体资产管理，现就有关事项通知如下：\n\n\
        一、总体要求\n\n（一）指导思想。坚持农民主体地位，坚持集体所有制不动摇，以明晰产权、规范\
        管理、盘活资源为目标，确保集体资产保值增值。\n\n（二）基本原则。坚持依法依规、公开透明、民\
        主管理、分类施策。\n\n二、规范资产管理\n\n（一）建立资产台账。各村集体经济组织要对资源性资\
        产、经营性资产分类登记，于每年12月底前完成年度资产清查。";
    let n = notice("关于加强农村集体资产管理的通知", body);
    let items = [
        "（一）指导思想。坚持农民主体地位，坚持集体所有制不动摇，以明晰产权、规范管理、盘活资源为\
            目标，确保集体资产保值增值。",
        "（二）基本原则。坚持依法依规、公开透明、民主管理、分类施策。",
        "（一）建立资产台账。各村集体经济组织要对资源性资产、经营性资产分类登记，于每年12月底前完\
            成年度资产清查。",
    ];
    for budget in (20..=260).step_by(10) {
        let s = summarise(&n, budget);
        assert!(!s.contains("通知如下"), "{budget}: {s}");
        for item in items {
            // Its lead-in is there exactly when the whole item is.
            let lead = &item[..item.find('。').unwrap() + '。'.len_utf8()];
            assert_eq!(
                s.contains(lead),
                s.contains(item),
                "{budget}: {item} in {s}"
            );
        }
        for (heading, first) in [("一、总体要求", items[0]), ("二、规范资产管理", items[2])]
        {
            assert_eq!(
                s.contains(heading),
                s.contains(&format!("{heading}　{first}")),
                "{budget}: {heading} in {s}"
            );
        }
    }
    assert!(summarise(&n, 100).contains(&format!("一、总体要求　{}", items[0])));
}

/// Outside review 11: the count a 公示 gives (共14户21人) is its fact when the names do not
/// fit, and is not said twice.
#[test]
fn a_count_is_a_fact_and_stands_for_names_that_do_not_fit() {
    let body = "根据《社会救助暂行办法》有关规定，经本人申请、村（居）民委员会协助调查、镇人民政府\
        审核，现将2026年12月拟新增城乡最低生活保障对象名单予以公示。\n\n\
        一、拟新增对象（共9户13人）\n\n\
        龙泉村：李建华、王秀英、赵德明\n凤鸣社区：阿依古丽·买买提、陈春花、周大勇\n\
        白沙村：吴桂兰、郑小红、欧阳长风\n\n\
        二、保障标准：城市低保每人每月780元，农村低保每人每年7,680元。\n\n\
        三、公示期：2026年12月1日至12月7日。\n\n监督电话：0873-5521 4306。\n\n\
        龙泉镇人民政府\n2026年12月1日";
    let n = notice("龙泉镇2026年12月城乡最低生活保障拟新增对象公示", body);
    let s = summarise(&n, 240);
    assert!(
        s.contains("一、拟新增对象（共9户13人）　龙泉村：李建华"),
        "{s}"
    );
    assert!(s.contains("白沙村：吴桂兰、郑小红、欧阳长风"), "{s}");
    for budget in [20, 40, 60] {
        let s = summarise(&n, budget);
        assert!(s.contains("一、拟新增对象（共9户13人）"), "{budget}: {s}");
        assert!(
            s.contains("三、公示期：2026年12月1日至12月7日。"),
            "{budget}: {s}"
        );
        assert!(s.contains("监督电话：0873-5521 4306。"), "{budget}: {s}");
        assert!(
            !s.contains("李建华") && !s.contains("共 3 人"),
            "{budget}: {s}"
        );
        assert!(s.ends_with("（摘要，全文见公示栏）"), "{budget}: {s}");
    }
    assert!(says_count("共14户21人") && says_count("共计1,286人") && says_count("合计 32 名"));
    assert!(!says_count("共11个档次") && !says_count("收入合计：186,420.00元"));
}

/// Outside review 7: two of four amounts under 二、支出合计 and no sign that anything was left out.
#[test]
fn a_list_of_amounts_is_whole_with_its_total_or_absent_and_the_rest_is_said_to_be_posted() {
    // One line of the accounts to a line of source: a `\` continuation would swallow the
    // full-width spaces that indent the amounts.
    let body = concat!(
        "石桥村2026年第三季度村级财务收支情况公开如下，接受全体村民监督。\n\n",
        "一、收入合计：186,420.00元\n",
        "　　上级转移支付　　53,000.00元\n",
        "　　集体资产租赁　　97,600.00元\n",
        "　　土地流转收益　　35,820.00元\n\n",
        "二、支出合计：158,600.00元\n",
        "　　道路巡查补助　　53,000.00元\n",
        "　　村干部报酬　　　62,400.00元\n",
        "　　水渠维修　　　　28,350.00元\n",
        "　　办公费用　　　　14,850.00元\n\n",
        "三、本季度末结余：27,820.00元。\n\n",
        "村民对公开内容有疑问的，请于12月15日前向村务监督委员会反映，联系人：李春生，",
        "联系电话：13908391234。\n\n",
        "石桥村民委员会\n石桥村务监督委员会\n2026年11月30日",
    );
    let mut n = notice("石桥村2026年第三季度村级财务收支公开", body);
    n.issuer = "青川县柳溪镇石桥村民委员会".into();
    let lists = [
        vec![
            "一、收入合计：186,420.00元",
            "上级转移支付　　53,000.00元",
            "土地流转收益　　35,820.00元",
        ],
        vec![
            "二、支出合计：158,600.00元",
            "道路巡查补助　　53,000.00元",
            "办公费用　　　　14,850.00元",
        ],
    ];
    for budget in (20..=320).step_by(15) {
        let s = summarise(&n, budget);
        for list in &lists {
            let kept = list.iter().filter(|l| s.contains(*l)).count();
            assert!(kept == 0 || kept == list.len(), "{budget}: {list:?} in {s}");
        }
        let whole =
            lists.iter().flatten().all(|l| s.contains(*l)) && s.contains("三、本季度末结余");
        assert_eq!(
            s.ends_with("（摘要，全文见村务公开栏）"),
            !whole,
            "{budget}: {s}"
        );
        assert!(s.contains("联系电话：13908391234。"), "{budget}: {s}");
    }
    let s = summarise(&n, 240);
    assert!(s.contains("土地流转收益　　35,820.00元"), "{s}");
    assert!(!s.contains("二、支出合计"), "{s}");
    // Where the notice has a web address, that is where the rest is.
    let s = summarise(&with_url(n), 240);
    assert!(
        s.ends_with("（全文详见政务公开网站 www.shiping.gov.cn）"),
        "{s}"
    );
}

/// Outside review 8: a warning's description cut at a comma where whole sentences fit.
#[test]
fn a_warning_is_cut_at_a_whole_sentence_and_at_a_clause_only_when_none_fits() {
    let body = concat!(
        "区气象台2026年7月12日16时发布暴雨橙色预警：预计未来6小时内我区大部分街道将出现暴雨。",
        "局地小时雨强可达50毫米以上，并伴有雷电和短时大风。",
        "低洼易涝区和山区发生山洪、滑坡的风险高。",
    );
    let mut n = notice("暴雨橙色预警", body);
    n.priority = Priority::Emergency;
    n.level = Some(crate::model::Level::Orange);
    let first =
        "区气象台2026年7月12日16时发布暴雨橙色预警：预计未来6小时内我区大部分街道将出现暴雨。";
    let second = "局地小时雨强可达50毫米以上，并伴有雷电和短时大风。";
    assert_eq!(summarise(&n, 60), format!("{first}（摘要）"));
    assert_eq!(summarise(&n, 72), format!("{first}（摘要）"));
    assert_eq!(summarise(&n, 73), format!("{first}{second}（摘要）"));
    assert_eq!(summarise(&n, 90), format!("{first}{second}（摘要）"));
    assert_eq!(summarise(&n, 160), body);
    // Not even the first sentence fits: its clauses (，), never inside a list of places; a
    // sentence of one clause whole.
    assert_eq!(summarise(&n, 40), format!("{first}（摘要）"));
    let long = "受西南暖湿气流影响，预计未来12小时内我县柳溪镇、白岩乡、青石镇、桥楼乡将出现暴雨，\
        局地大暴雨，累计雨量可达80至120毫米。";
    n.body = long.into();
    let s = summarise(&n, 40);
    assert_eq!(s, "受西南暖湿气流影响……");
    let s = summarise(&n, 48);
    assert_eq!(
        s,
        "受西南暖湿气流影响，预计未来12小时内我县柳溪镇、白岩乡、青石镇、桥楼乡将出现暴雨……"
    );
}

/// The maximal number-like runs of a text: digits with the , . : - between them that belong
/// to the number (53,000.00 · 0871-12345678 · 9:30).
fn numbers(s: &str) -> Vec<String> {
    let chars: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !is_digit(chars[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len()
            && (is_digit(chars[i])
                || (matches!(chars[i], ',' | '.' | ':' | '-' | ' ')
                    && chars.get(i + 1).copied().is_some_and(is_digit)))
        {
            i += 1;
        }
        out.push(chars[start..i].iter().collect());
    }
    out
}

/// The pieces generated bodies are made of: hanzi, numbers of every kind residents read, and
/// the marks that end sentences and clauses.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "[\u{4e00}-\u{4e80}]{1,8}",
        1 => (1u32..999_999, 0u32..100)
            .prop_map(|(a, c)| format!("{},{:03}.{c:02}元", a / 1000 + 1, a % 1000)),
        1 => (1u32..999, 0u32..10).prop_map(|(a, b)| format!("{a}.{b}亿元")),
        1 => (2020u32..2030, 1u32..13, 1u32..29).prop_map(|(y, m, d)| format!("{y}年{m}月{d}日")),
        1 => (10u32..999, 1_000_000u32..99_999_999).prop_map(|(a, b)| format!("电话0{a}-{b}")),
        1 => (10_000u32..99_999).prop_map(|n| format!("热线{n}")),
        1 => (3_000_000_000u64..9_999_999_999).prop_map(|n| format!("1{n}")),
        1 => (1u32..99, 0u32..99).prop_map(|(a, b)| format!("{a}.{b}")),
        2 => prop_oneof![
            Just("。"), Just("，"), Just("；"), Just("、"), Just("："), Just("."), Just(";"),
            Just("！"), Just("\n"), Just("\n\n"), Just("？"), Just("!"), Just(" ")
        ]
        .prop_map(String::from),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// Whatever the budget, every number of the summary is a whole number of the body: no
    /// amount, date, phone or decimal is parted, at the start, the end or a cut.
    #[test]
    fn no_number_is_ever_split(
        pieces in prop::collection::vec(piece(), 1..80),
        budget in 10usize..300,
        gongshi in any::<bool>(),
    ) {
        let body: String = pieces.concat();
        let title = if gongshi { "拟保对象公示" } else { "通知" };
        let n = notice(title, &body);
        let s = summarise(&n, budget);
        let mut source = numbers(&body);
        for number in numbers(&s) {
            // A 公示's count of names is the summary's own number.
            if gongshi && s.contains(&format!("共 {number} ")) {
                continue;
            }
            let at = source.iter().position(|x| *x == number);
            prop_assert!(at.is_some(), "{number} of {s:?} not whole in {body:?}");
            source.remove(at.unwrap());
        }
    }

    /// Whatever the budget, a list of amounts under its total is whole or absent, and a heading
    /// is there only with its first paragraph after it.
    #[test]
    fn items_are_whole_or_absent(
        sections in prop::collection::vec(
            ("[\u{4e00}-\u{4e80}]{2,6}", prop::collection::vec("[\u{4e00}-\u{4e80}]{2,6}", 0..5),
             "[\u{4e00}-\u{4e80}]{5,40}", any::<bool>()),
            1..6,
        ),
        budget in 20usize..300,
    ) {
        const NUMERALS: [&str; 6] = ["一", "二", "三", "四", "五", "六"];
        let mut body = String::from("现将有关事项通知如下：");
        let mut lists = Vec::new();
        let mut headed = Vec::new();
        let mut amount = 1_000;
        for (k, (word, rows, text, heading)) in sections.iter().enumerate() {
            let n = NUMERALS[k];
            if *heading {
                let head = format!("{n}、{word}");
                let para = format!("{text}。");
                body.push_str(&format!("\n\n{head}\n\n{para}"));
                headed.push((head, para));
            } else {
                amount += 1;
                let mut lines = vec![format!("{n}、{word}合计：{amount},000.00元")];
                for row in rows {
                    amount += 1;
                    lines.push(format!("{row}　　{amount},500.00元"));
                }
                body.push_str(&format!("\n\n{}", lines.join("\n　　")));
                lists.push(lines);
            }
        }
        body.push_str("\n\n咨询电话：0873-4821234。");
        let n = notice("通知", &body);
        let s = summarise(&n, budget);
        prop_assert!(!s.contains("通知如下"), "{s}");
        for lines in &lists {
            let kept = lines.iter().filter(|l| s.contains(l.as_str())).count();
            prop_assert!(kept == 0 || kept == lines.len(), "{lines:?} in {s}");
        }
        for (head, para) in &headed {
            prop_assert_eq!(
                s.contains(&format!("{head}　")),
                s.contains(&format!("{head}　{para}")),
                "{} in {}", head, s
            );
            prop_assert!(!s.ends_with(head.as_str()), "{s}");
        }
        prop_assert!(s.contains("咨询电话：0873-4821234。"), "{s}");
    }

    /// Every sentence with a phone or a 公示期 is in the summary, whole, however small the
    /// budget.
    #[test]
    fn facts_are_always_kept(
        pieces in prop::collection::vec(piece(), 1..60),
        budget in 10usize..300,
    ) {
        let body: String = pieces.concat();
        let n = notice("通知", &body);
        let s = summarise(&n, budget);
        for line in body.split('\n').map(str::trim) {
            if names_line(line).is_some() || is_addressee(line) {
                continue;
            }
            for sentence in sentences(line) {
                if classify(sentence) == Kind::Fact {
                    prop_assert!(s.contains(sentence), "{sentence:?} not in {s:?}");
                }
            }
        }
    }
}
