//! Forms as browsers send them (`application/x-www-form-urlencoded`), and the notice form's
//! fields to and from a `NoticeInput`. Times are typed in Beijing time (`datetime-local`).

use chrono::{NaiveDateTime, TimeZone};

use crate::model::{
    Category, Level, NoticePeriod, Priority, Problem, Timestamp, beijing, beijing_offset,
};
use crate::service::domain::notices::NoticeInput;

/// The fields of a submitted form, in order (a field may repeat: check boxes).
pub struct Fields(Vec<(String, String)>);

impl Fields {
    pub fn parse(bytes: &[u8]) -> Fields {
        Fields(
            form_urlencoded::parse(bytes)
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
        )
    }

    /// The first value of `name`, or "".
    pub fn get(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    }

    /// Whether the form sent `name` at all (a disabled field is not sent).
    pub fn has(&self, name: &str) -> bool {
        self.0.iter().any(|(k, _)| k == name)
    }

    pub fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    }
}

/// The notice form as typed, kept to show it again with its problems.
#[derive(Debug, Clone, Default)]
pub struct NoticeForm {
    pub title: String,
    pub body: String,
    pub category: String,
    pub priority: String,
    pub issuer: String,
    pub doc_number: String,
    pub valid_from: String,
    pub valid_until: String,
    pub url: String,
    pub level: String,
    pub instruction: String,
    pub contact: String,
    pub alert_id: String,
    /// 公示期: its start, and its length in working days or its end (one of the two).
    pub period_start: String,
    pub period_days: String,
    pub period_end: String,
    pub groups: Vec<String>,
}

const LOCAL: &str = "%Y-%m-%dT%H:%M";

fn local(t: Timestamp) -> String {
    beijing(t).format(LOCAL).to_string()
}

fn parse_local(field: &str, text: &str, problems: &mut Vec<Problem>) -> Option<Timestamp> {
    let text = text.trim();
    let naive = NaiveDateTime::parse_from_str(text, LOCAL)
        .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S"));
    match naive {
        Ok(n) => beijing_offset().from_local_datetime(&n).single(),
        Err(_) => {
            problems.push(Problem::new(
                "form",
                field,
                format!("{text:?} is not a date and time like 2026-12-01T08:00"),
            ));
            None
        }
    }
}

impl NoticeForm {
    pub fn from_fields(f: &Fields) -> NoticeForm {
        NoticeForm {
            title: f.get("title").trim().to_string(),
            // Browsers send line breaks as CR LF.
            body: f.get("body").replace("\r\n", "\n").trim().to_string(),
            category: f.get("category").to_string(),
            priority: f.get("priority").to_string(),
            issuer: f.get("issuer").trim().to_string(),
            doc_number: f.get("doc_number").trim().to_string(),
            valid_from: f.get("valid_from").to_string(),
            valid_until: f.get("valid_until").to_string(),
            url: f.get("url").trim().to_string(),
            level: f.get("level").to_string(),
            instruction: f
                .get("instruction")
                .replace("\r\n", "\n")
                .trim()
                .to_string(),
            contact: f.get("contact").replace("\r\n", "\n").trim().to_string(),
            alert_id: f.get("alert_id").trim().to_string(),
            period_start: f.get("period_start").to_string(),
            period_days: f.get("period_days").trim().to_string(),
            period_end: f.get("period_end").to_string(),
            groups: f.all("groups"),
        }
    }

    pub fn from_input(input: &NoticeInput) -> NoticeForm {
        NoticeForm {
            title: input.title.clone(),
            body: input.body.clone(),
            category: input.category.as_str().to_string(),
            priority: priority_str(input.priority).to_string(),
            issuer: input.issuer.clone(),
            doc_number: input.doc_number.clone().unwrap_or_default(),
            valid_from: local(input.valid_from),
            valid_until: input.valid_until.map(local).unwrap_or_default(),
            url: input.url.clone().unwrap_or_default(),
            level: input
                .level
                .map(Level::as_str)
                .unwrap_or_default()
                .to_string(),
            instruction: input.instruction.clone().unwrap_or_default(),
            contact: input.contact.clone().unwrap_or_default(),
            alert_id: input.alert_id.clone().unwrap_or_default(),
            period_start: input
                .notice_period
                .as_ref()
                .map(|p| local(p.start))
                .unwrap_or_default(),
            period_days: input
                .notice_period
                .as_ref()
                .and_then(|p| p.working_days)
                .map(|n| n.to_string())
                .unwrap_or_default(),
            period_end: input
                .notice_period
                .as_ref()
                .and_then(|p| p.end)
                .map(local)
                .unwrap_or_default(),
            groups: input.groups.clone(),
        }
    }

    /// The input, or the problems of the fields that could not even be read (the workflow's
    /// validation then checks the rest).
    pub fn to_input(&self) -> Result<NoticeInput, Vec<Problem>> {
        let mut problems = Vec::new();
        let category = Category::parse(&self.category);
        if category.is_none() {
            problems.push(Problem::new("form", "category", "choose a category"));
        }
        let priority = match self.priority.as_str() {
            "normal" => Some(Priority::Normal),
            "urgent" => Some(Priority::Urgent),
            "emergency" => Some(Priority::Emergency),
            _ => {
                problems.push(Problem::new("form", "priority", "choose a priority"));
                None
            }
        };
        let level = match self.level.as_str() {
            "" => None,
            l => {
                let level = Level::ALL.into_iter().find(|x| x.as_str() == l);
                if level.is_none() {
                    problems.push(Problem::new("form", "level", "choose a warning level"));
                }
                level
            }
        };
        let valid_from = parse_local("valid_from", &self.valid_from, &mut problems);
        let valid_until = if self.valid_until.trim().is_empty() {
            None
        } else {
            parse_local("valid_until", &self.valid_until, &mut problems)
        };
        let notice_period = self.period(&mut problems);
        let (Some(category), Some(priority), Some(valid_from), true) =
            (category, priority, valid_from, problems.is_empty())
        else {
            return Err(problems);
        };
        let optional = |s: &str| (!s.is_empty()).then(|| s.to_string());
        Ok(NoticeInput {
            title: self.title.clone(),
            body: self.body.clone(),
            category,
            priority,
            issuer: self.issuer.clone(),
            doc_number: optional(&self.doc_number),
            valid_from,
            valid_until,
            url: optional(&self.url),
            level,
            instruction: optional(&self.instruction),
            contact: optional(&self.contact),
            alert_id: optional(&self.alert_id),
            notice_period,
            groups: self.groups.clone(),
        })
    }

    /// The 公示期 as typed: none when its start is empty.
    fn period(&self, problems: &mut Vec<Problem>) -> Option<NoticePeriod> {
        if self.period_start.trim().is_empty() {
            if !self.period_days.is_empty() || !self.period_end.trim().is_empty() {
                problems.push(Problem::new(
                    "form",
                    "period_start",
                    "give the 公示期's start",
                ));
            }
            return None;
        }
        let start = parse_local("period_start", &self.period_start, problems)?;
        let working_days = match self.period_days.as_str() {
            "" => None,
            n => match n.parse::<u32>() {
                Ok(n) => Some(n),
                Err(_) => {
                    problems.push(Problem::new(
                        "form",
                        "period_days",
                        format!("{n:?} is not a number of working days"),
                    ));
                    return None;
                }
            },
        };
        let end = if self.period_end.trim().is_empty() {
            None
        } else {
            Some(parse_local("period_end", &self.period_end, problems)?)
        };
        Some(NoticePeriod {
            start,
            working_days,
            end,
        })
    }
}

pub fn priority_str(p: Priority) -> &'static str {
    match p {
        Priority::Normal => "normal",
        Priority::Urgent => "urgent",
        Priority::Emergency => "emergency",
    }
}

pub fn priority_label(p: &str) -> &'static str {
    match p {
        "urgent" => "重要（标题进入滚动字幕）",
        "emergency" => "紧急（有效期内插播）",
        _ => "普通",
    }
}

/// A problem's reason as office staff read it: the model and the workflow speak English (the
/// command line and the API are read by engineers); the console says the same in Chinese. A
/// reason without a known form stays as it is.
pub fn zh_reason(reason: &str) -> String {
    let r = reason.trim();
    let fixed = [
        ("choose a category", "请选择类别"),
        ("choose a priority", "请选择优先级"),
        ("choose a warning level", "请选择预警级别"),
        ("is empty", "不能为空"),
    ];
    if let Some((_, zh)) = fixed.iter().find(|(en, _)| *en == r) {
        return zh.to_string();
    }
    if r.starts_with("is empty") {
        return "不能为空".into();
    }
    if r.contains("is not a date and time like") {
        return "不是有效的日期时间，请按“2026-12-01 08:00”的格式填写".into();
    }
    if r.contains("is not after valid_from") {
        return "截止时间必须晚于生效时间".into();
    }
    if r.contains("is not an http:// or https:// address") {
        return "不是以 http:// 或 https:// 开头的网址".into();
    }
    if r.starts_with("a warning level is for emergency notices only") {
        return "只有紧急公告才能设置预警级别".into();
    }
    if r.starts_with("contains the control character") {
        return "含有不可见的控制字符，请删除后重新输入".into();
    }
    if r.starts_with("the 公示期 has no working day") {
        return "公示期内没有工作日，请调整公示开始或结束时间".into();
    }
    if r.starts_with("give either working_days or end") {
        return "公示工作日数与公示结束时间请二选一填写".into();
    }
    if r.starts_with("give the 公示期") {
        return "请填写公示开始时间".into();
    }
    if r.contains("is not a number of working days") || r.contains("is not between 1 and") {
        return "公示工作日数须为 1 至 60 之间的整数".into();
    }
    if r.contains("before its 公示期 ends") {
        return "截止时间早于公示期结束，公告须在整个公示期内显示".into();
    }
    if r.starts_with("the 公示期 starts at") {
        return "公示开始时间早于公告生效时间，公告须在整个公示期内显示".into();
    }
    if r.contains("is not after the start") {
        return "公示结束时间必须晚于公示开始时间".into();
    }
    if r.starts_with("no notice ") {
        return "没有这条公告".into();
    }
    if r.starts_with("no screen group named") {
        return "没有这个屏幕组".into();
    }
    if r.starts_with("no user named") {
        return "没有这个用户".into();
    }
    // Passwords and accounts (passwords::check_password_for, set_own_password, may_change).
    if r.starts_with("must be at least") && r.ends_with("characters") {
        return format!(
            "至少需要 {} 个字符",
            crate::service::domain::passwords::MIN_PASSWORD_CHARS
        );
    }
    if r == "is only spaces" {
        return "不能只有空格".into();
    }
    if r == "is one character repeated" {
        return "不能是同一个字符的重复".into();
    }
    if r == "contains the user name" {
        return "不能包含用户名".into();
    }
    if r.starts_with("is the current password") {
        return "新密码不能与当前密码相同".into();
    }
    if r == "is not the current password" {
        return "当前密码（或一次性密码）不正确".into();
    }
    if r.contains("is granted only on the host") || r.contains("role is changed only on the host") {
        return "管理员角色只能由服务器管理员在服务器上用 noticecast user grant 授予或更改".into();
    }
    if r.contains("password is reset and an administrator's account disabled only on the host") {
        return "管理员的密码只能在服务器上用 noticecast user reset 重置，管理员账号只能在服务器上停用".into();
    }
    if r.contains("has not replaced its one-time code yet") {
        return "该账号的主人还没有用一次性密码登录并设置自己的密码，请在其设置密码后再授予角色"
            .into();
    }
    if r.contains("nobody grants a role to themselves") {
        return "不能给自己授予角色".into();
    }
    if r.contains("roles are granted by the security administrator") {
        return "角色由安全管理员授予".into();
    }
    if r.contains("the system administrator keeps editors' and reviewers' accounts") {
        return "编辑和审核账号的密码重置、停用由系统管理员办理".into();
    }
    if r.starts_with("no screenshot of screen") {
        return "这台屏幕还没有上传截图".into();
    }
    if r.starts_with("no screen ") {
        return "没有这台屏幕".into();
    }
    if r == "no such page" {
        return "没有这个页面".into();
    }
    if r.starts_with("there is no screen group") {
        return "没有这个屏幕组".into();
    }
    if r.contains("is not a six-digit area code") {
        return "不是六位行政区划代码（如 330102）".into();
    }
    if let Some(rest) = r.strip_prefix("the feed of group ")
        && let Some((group, rest)) = rest.split_once(" would be ")
        && let Some((size, rest)) = rest.split_once(" bytes, over its budget of ")
        && let Some((budget, _)) = rest.split_once(" bytes")
    {
        let mb = |s: &str| {
            s.parse::<f64>()
                .map_or(s.to_string(), |b| format!("{:.1}", b / 1048576.0))
        };
        return format!(
            "屏幕组 {group} 的信息流将达 {} MB，超过 {} MB 的上限（超过后屏幕将拒收、停在旧内容上）：请先撤回较早的公告，或缩短本条",
            mb(size),
            mb(budget)
        );
    }
    // The playlist's checks.
    if let Some((v, range)) = r.split_once(" is outside ") {
        let range = range.split(' ').next().unwrap_or(range);
        if let Some((a, b)) = range.split_once("..=") {
            let a = a.replace("min_s", "最短停留时间");
            return format!("{v} 超出允许范围（{a} 至 {b}）");
        }
    }
    if let Some((v, _)) = r.split_once(" is not between 2 and 50") {
        return format!("{v} 不在 2 到 50 之间（最后一页是扫码阅读全文的二维码页）");
    }
    if r.ends_with(" is listed twice") {
        return "重复列出".into();
    }
    if r.starts_with("is empty: nothing would play") {
        return "至少选择一个类别，否则屏幕没有内容可播".into();
    }
    if r.contains("equals hours.on") {
        return "与开机时间相同；全天播放请把开机、关机时间都留空".into();
    }
    if let Some((_, rest)) = r.split_once(" leave room for fewer than ") {
        let lines = rest.split(' ').next().unwrap_or("6");
        return format!("字号过大：屏幕上排不下 {lines} 行正文");
    }
    if r.contains("exceed the LED height") {
        return "字号超过了 LED 屏的高度".into();
    }
    if r.starts_with("contains a control character") {
        return "含有不可见的控制字符，请删除后重新输入".into();
    }
    if r.contains("a group does not change kind") {
        return "屏幕组不能更改屏幕类型（请新建一个屏幕组）".into();
    }
    if r.contains("is not an http(s) address") {
        return "不是以 http:// 或 https:// 开头的网址".into();
    }
    if r.contains("is not a time like") || r.contains("HH:MM") {
        return "不是有效的时间，请按“07:30”的格式填写".into();
    }
    if let Some(rest) = r.strip_prefix("has ")
        && let Some((count, more)) = rest.split_once(" characters, more than ")
    {
        return format!("共 {count} 字，超过了 {more} 字的上限");
    }
    if r.starts_with("no bundled font draws") {
        let chars = r
            .trim_start_matches("no bundled font draws ")
            .split(':')
            .next()
            .unwrap_or("");
        return format!(
            "屏幕字库中没有“{chars}”：人事任免公告中的姓名不能显示为〓，请改用可显示的写法或请信息管理员增补字库"
        );
    }
    reason.to_string()
}

/// What each field is called on the form, for problem messages.
pub fn field_label(field: &str) -> &'static str {
    let field = field.split(['[', '.']).next().unwrap_or(field);
    match field {
        "title" => "标题",
        "body" => "正文",
        "category" => "类别",
        "priority" => "优先级",
        "issuer" => "发布单位",
        "doc_number" => "文号",
        "valid_from" => "生效时间",
        "valid_until" => "截止时间",
        "url" => "全文链接",
        "level" => "预警级别",
        "instruction" => "防御指南",
        "contact" => "联系方式",
        "notice_period" | "period_start" | "period_days" | "period_end" => "公示期",
        "groups" => "发布到",
        "reason" => "原因",
        "confidentiality_confirmed" => "保密审查",
        "name" => "名称",
        "password" => "密码",
        "playlist" | "group" | "kind" | "type" | "screen" | "rotation" | "dwell" | "ticker"
        | "hours" | "marquee" | "transition" => "播放列表",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_form_round_trips_and_reads_beijing_time() {
        let bytes = "title=%E6%A0%87%E9%A2%98&body=a%0D%0A%0D%0Ab&category=policy&priority=urgent\
            &issuer=x&doc_number=&valid_from=2026-12-01T08%3A00&valid_until=&url=\
            &groups=plaza-tv&groups=village-terminal";
        let form = NoticeForm::from_fields(&Fields::parse(bytes.as_bytes()));
        let input = form.to_input().unwrap();
        assert_eq!(input.title, "标题");
        assert_eq!(input.body, "a\n\nb");
        assert_eq!(input.groups, ["plaza-tv", "village-terminal"]);
        assert_eq!(input.valid_from.to_rfc3339(), "2026-12-01T08:00:00+08:00");
        assert_eq!(
            (input.valid_until, input.doc_number.as_deref()),
            (None, None)
        );
        let again = NoticeForm::from_input(&input);
        assert_eq!(again.valid_from, "2026-12-01T08:00");
        assert_eq!(again.to_input().unwrap(), input);
    }

    #[test]
    fn an_emergency_form_carries_level_instruction_and_contact() {
        let bytes = "title=t&body=b&category=public_affairs&priority=emergency&issuer=x\
            &valid_from=2026-12-01T08%3A00&level=orange\
            &instruction=%E8%BF%9C%E7%A6%BB%E6%B2%B3%E9%81%93%0D%0A%E8%BD%AC%E7%A7%BB\
            &contact=110&groups=plaza-tv";
        let input = NoticeForm::from_fields(&Fields::parse(bytes.as_bytes()))
            .to_input()
            .unwrap();
        assert_eq!(input.level, Some(Level::Orange));
        assert_eq!(input.instruction.as_deref(), Some("远离河道\n转移"));
        assert_eq!(input.contact.as_deref(), Some("110"));
        assert_eq!(
            NoticeForm::from_input(&input).to_input().unwrap(),
            input,
            "round trip"
        );
        let bad = NoticeForm {
            level: "purple".into(),
            ..NoticeForm::from_input(&input)
        };
        let problems = bad.to_input().unwrap_err();
        assert_eq!(problems[0].path, "level");
    }

    #[test]
    fn reasons_read_in_chinese() {
        assert_eq!(zh_reason("choose a category"), "请选择类别");
        assert_eq!(
            zh_reason("has 250 characters, more than 200"),
            "共 250 字，超过了 200 字的上限"
        );
        assert_eq!(
            zh_reason(
                "2026-11-01 00:00:00 +08:00 is not after valid_from 2026-11-25 09:30:00 +08:00"
            ),
            "截止时间必须晚于生效时间"
        );
        assert_eq!(zh_reason("something new"), "something new");
    }

    #[test]
    fn unreadable_fields_are_named() {
        let form = NoticeForm {
            valid_from: "tomorrow".into(),
            category: "gossip".into(),
            priority: "normal".into(),
            ..NoticeForm::default()
        };
        let problems = form.to_input().unwrap_err();
        let fields: Vec<&str> = problems.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(fields, ["category", "valid_from"]);
    }
}
