//! Forms as browsers send them (`application/x-www-form-urlencoded`), and the notice form's
//! fields to and from a `NoticeInput`. Times are typed in Beijing time (`datetime-local`).

use chrono::{NaiveDateTime, TimeZone};

use crate::model::{
    Category, Level, NoticePeriod, Priority, Problem, Timestamp, beijing, beijing_offset,
};
use crate::service::domain::notices::{self, NoticeInput, PunctuationWarning};

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

    /// Area codes typed in one box, as people separate them: spaces, commas (half- or
    /// full-width) or 、.
    pub fn codes(&self, name: &str) -> Vec<String> {
        self.get(name)
            .split([' ', ',', '，', '、', '\t', '\r', '\n'])
            .filter(|c| !c.is_empty())
            .map(str::to_string)
            .collect()
    }

    /// Whether the form sent `name` at all (a disabled field is not sent).
    pub fn has(&self, name: &str) -> bool {
        self.0.iter().any(|(k, _)| k == name)
    }

    /// A posted form of either encoding, and the file it carries (`figure_file`, the notice
    /// form's image), or why it cannot be read.
    pub fn read(
        content_type: Option<&str>,
        bytes: &[u8],
    ) -> Result<(Fields, Option<Upload>), String> {
        let Some(boundary) = content_type.and_then(super::multipart::boundary) else {
            return Ok((Fields::parse(bytes), None));
        };
        let mut fields = Vec::new();
        let mut upload = None;
        for part in super::multipart::parse(&boundary, bytes)? {
            match part.filename {
                // A file input with a file chosen.
                Some(file_name) if !part.data.is_empty() => {
                    upload = Some(Upload {
                        file_name,
                        media_type: part.content_type.unwrap_or_default(),
                        bytes: part.data,
                    })
                }
                Some(_) => {}
                None => {
                    let text = String::from_utf8(part.data)
                        .map_err(|_| format!("the field {} is not UTF-8", part.name))?;
                    fields.push((part.name, text));
                }
            }
        }
        Ok((Fields(fields), upload))
    }

    pub fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    }
}

/// A file posted with a form: its name, what the browser says it is, and its bytes.
pub struct Upload {
    pub file_name: String,
    pub media_type: String,
    pub bytes: Vec<u8>,
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
    /// The figures in order: each an uploaded image's hash, its caption and alternative text.
    pub figures: Vec<FigureForm>,
    /// The caption and alternative text typed for the next image, kept when the form comes
    /// back without it (an upload refused, another figure taken out).
    pub new_caption: String,
    pub new_alt: String,
}

/// One figure of the notice form.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FigureForm {
    pub asset: String,
    pub caption: String,
    pub alt: String,
}

impl FigureForm {
    /// A figure as the form shows it (a notice's, an imported draft's): absent texts empty.
    pub fn of(asset: &str, caption: &Option<String>, alt: &Option<String>) -> FigureForm {
        FigureForm {
            asset: asset.to_string(),
            caption: caption.clone().unwrap_or_default(),
            alt: alt.clone().unwrap_or_default(),
        }
    }
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
                crate::model::Reason::NotADateTime {
                    text: text.to_string(),
                },
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
            // Tabs are a table's cell breaks (a table pasted from Word or Excel arrives so):
            // kept, even at the end, where a last row's last cell is empty.
            body: f
                .get("body")
                .replace("\r\n", "\n")
                .trim_matches(|c: char| c.is_whitespace() && c != '\t')
                .to_string(),
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
            // Sent in order, one of each per figure (`notice_pages::figure_rows`).
            figures: f
                .all("figure_asset")
                .into_iter()
                .zip(f.all("figure_caption"))
                .zip(f.all("figure_alt"))
                .map(|((asset, caption), alt)| FigureForm {
                    asset: asset.trim().to_string(),
                    caption: caption.trim().to_string(),
                    alt: alt.trim().to_string(),
                })
                .collect(),
            new_caption: f.get("new_caption").trim().to_string(),
            new_alt: f.get("new_alt").trim().to_string(),
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
            figures: input
                .figures
                .iter()
                .map(|f| FigureForm::of(&f.asset, &f.caption, &f.alt))
                .collect(),
            new_caption: String::new(),
            new_alt: String::new(),
        }
    }

    /// Half-width punctuation and foreign middle dots in the texts as typed, which need not be
    /// a valid input yet: the warnings above the form.
    pub fn punctuation(&self) -> Vec<PunctuationWarning> {
        let optional = |s: &str| (!s.is_empty()).then(|| s.to_string());
        let figures: Vec<crate::model::Figure> = self
            .figures
            .iter()
            .map(|f| crate::model::Figure {
                asset: f.asset.clone(),
                caption: optional(&f.caption),
                alt: optional(&f.alt),
            })
            .collect();
        fn given(s: &str) -> Option<&str> {
            (!s.is_empty()).then_some(s)
        }
        notices::punctuation_in(&crate::model::drawn_fields(
            &self.title,
            &self.body,
            &self.issuer,
            given(&self.doc_number),
            given(&self.instruction),
            given(&self.contact),
            &figures,
        ))
    }

    /// Every text a screen draws, the next figure's too, with its half-width punctuation and
    /// foreign middle dots made full-width (`model::punctuation::convert`): the console's
    /// 全部改为全角标点. Numbers, addresses and the other fields stay as typed.
    pub fn make_full_width(&mut self) {
        let texts = [
            &mut self.title,
            &mut self.body,
            &mut self.issuer,
            &mut self.doc_number,
            &mut self.instruction,
            &mut self.contact,
            &mut self.new_caption,
            &mut self.new_alt,
        ];
        let figures = self
            .figures
            .iter_mut()
            .flat_map(|f| [&mut f.caption, &mut f.alt]);
        for text in texts.into_iter().chain(figures) {
            *text = crate::model::punctuation::convert(text);
        }
    }

    /// The input, or the problems of the fields that could not even be read (the workflow's
    /// validation then checks the rest).
    pub fn to_input(&self) -> Result<NoticeInput, Vec<Problem>> {
        let mut problems = Vec::new();
        let category = Category::parse(&self.category);
        if category.is_none() {
            problems.push(Problem::new(
                "form",
                "category",
                crate::model::Reason::ChooseCategory,
            ));
        }
        let priority = match self.priority.as_str() {
            "normal" => Some(Priority::Normal),
            "urgent" => Some(Priority::Urgent),
            "emergency" => Some(Priority::Emergency),
            _ => {
                problems.push(Problem::new(
                    "form",
                    "priority",
                    crate::model::Reason::ChoosePriority,
                ));
                None
            }
        };
        let level = match self.level.as_str() {
            "" => None,
            l => {
                let level = Level::ALL.into_iter().find(|x| x.as_str() == l);
                if level.is_none() {
                    problems.push(Problem::new(
                        "form",
                        "level",
                        crate::model::Reason::ChooseLevel,
                    ));
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
            figures: self
                .figures
                .iter()
                .map(|f| crate::model::Figure {
                    asset: f.asset.clone(),
                    caption: optional(&f.caption),
                    alt: optional(&f.alt),
                })
                .collect(),
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
                    crate::model::Reason::PeriodStartMissing,
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
                        crate::model::Reason::NotWorkingDays {
                            text: n.to_string(),
                        },
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
    let all = [Priority::Normal, Priority::Urgent, Priority::Emergency];
    match all.into_iter().find(|x| priority_str(*x) == p) {
        Some(Priority::Urgent) => "重要（标题进入滚动字幕）",
        Some(Priority::Emergency) => "紧急（有效期内插播）",
        Some(Priority::Normal) | None => "普通",
    }
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
        "figures" | "figure_file" => "图片",
        "file" => "导入文件",
        "reason" => "原因",
        "confidentiality_confirmed" => "保密审查",
        "name" => "名称",
        "areas" | "codes" => "区划代码",
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
        use crate::model::Reason;
        assert_eq!(Reason::ChooseCategory.zh(), "请选择类别");
        assert_eq!(
            Reason::TooLong {
                chars: 250,
                max: 200
            }
            .zh(),
            "共 250 字，超过了 200 字的上限"
        );
        let at = |s: &str| Timestamp::parse_from_rfc3339(s).unwrap();
        let reason = Reason::NotAfterValidFrom {
            until: at("2026-11-01T00:00:00+08:00"),
            from: at("2026-11-25T09:30:00+08:00"),
        };
        assert_eq!(
            reason.to_string(),
            "2026-11-01 00:00:00 +08:00 is not after valid_from 2026-11-25 09:30:00 +08:00"
        );
        assert_eq!(reason.zh(), "截止时间必须晚于生效时间");
        assert_eq!(
            Reason::Syntax("something new".into()).zh(),
            "格式有误：something new"
        );
    }

    #[test]
    fn full_width_changes_the_drawn_texts_only() {
        let mut form = NoticeForm {
            title: "通知(草稿)".into(),
            body: "请于8:30前到场,逾期不候.".into(),
            contact: "电话:0871-65123456".into(),
            url: "https://www.yl.gov.cn/a,b.html".into(),
            valid_from: "2026-12-01T08:30".into(),
            figures: vec![FigureForm {
                asset: "a".repeat(64),
                caption: "图1:位置示意图".into(),
                alt: "村委会以北200米.".into(),
            }],
            ..NoticeForm::default()
        };
        let fields: Vec<String> = form.punctuation().iter().map(|w| w.field.clone()).collect();
        assert_eq!(
            fields,
            [
                "title",
                "title",
                "body",
                "body",
                "contact",
                "figures[0].caption",
                "figures[0].alt"
            ]
        );
        form.make_full_width();
        assert_eq!(form.title, "通知（草稿）");
        assert_eq!(form.body, "请于8:30前到场，逾期不候。");
        assert_eq!(form.contact, "电话：0871-65123456");
        assert_eq!(form.figures[0].caption, "图1：位置示意图");
        assert_eq!(form.figures[0].alt, "村委会以北200米。");
        assert_eq!(form.url, "https://www.yl.gov.cn/a,b.html");
        assert_eq!(form.valid_from, "2026-12-01T08:30");
        assert!(form.punctuation().is_empty());
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
