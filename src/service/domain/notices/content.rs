//! What a notice says and where it shows (`NoticeInput`), the checks an editor's input must
//! pass before any revision is written, and the characters of it the screens cannot draw.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::layout::Fonts;
use crate::model::{
    Category, Feed, FeedDocument, FeedFormat, Level, Notice, Priority, Problem, Timestamp,
};
use crate::service::domain::error::Error;
use crate::service::domain::storage::Conn;
use crate::service::domain::{assets, groups};

/// Targets every group.
pub const ALL_GROUPS: &str = "*";

/// What an editor writes: everything a screen shows of a notice, and where it shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NoticeInput {
    pub title: String,
    /// Paragraphs separated by a blank line.
    pub body: String,
    #[schema(value_type = String, example = "policy")]
    pub category: Category,
    #[schema(value_type = String, example = "normal")]
    pub priority: Priority,
    /// The issuing office, e.g. 云岭区人民政府办公室.
    pub issuer: String,
    #[serde(default)]
    pub doc_number: Option<String>,
    #[schema(value_type = String, example = "2026-12-01T08:00:00+08:00")]
    pub valid_from: Timestamp,
    #[serde(default)]
    #[schema(value_type = Option<String>, example = "2026-12-31T18:00:00+08:00")]
    pub valid_until: Option<Timestamp>,
    #[serde(default)]
    pub url: Option<String>,
    /// An emergency's warning level (red, orange, yellow, blue).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, example = "orange")]
    pub level: Option<Level>,
    /// What to do (防御指南), shown in full.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instruction: Option<String>,
    /// Whom to call and where to go, shown in full.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<String>,
    /// The warning system's identifier, for a notice made from an alert.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alert_id: Option<String>,
    /// A 公示期: `{"start": TIME, "working_days": N}` or `{"start": TIME, "end": TIME}`; the
    /// notice then has a 公示证明 (`GET /api/notices/{id}/proof`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(
        value_type = Option<Object>,
        example = json!({"start": "2026-12-01T08:00:00+08:00", "working_days": 7})
    )]
    pub notice_period: Option<crate::model::NoticePeriod>,
    /// Images: `[{"asset": SHA256, "caption": TEXT, "alt": TEXT}]`, each asset uploaded first
    /// (`POST /api/assets`); at most 60.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schema(
        value_type = Vec<Object>,
        example = json!([{
            "asset": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
            "caption": "图1 项目位置示意图", "alt": "项目位于东岭村村委会以北200米"}])
    )]
    pub figures: Vec<crate::model::Figure>,
    /// Screen groups, or `["*"]` for every group.
    pub groups: Vec<String>,
}

impl NoticeInput {
    pub fn targets(&self, group: &str) -> bool {
        self.groups.iter().any(|g| g == group || g == ALL_GROUPS)
    }

    /// The notice as published in a feed.
    pub fn to_notice(&self, id: &str, published_at: Timestamp) -> Notice {
        Notice {
            id: id.to_string(),
            category: self.category,
            priority: self.priority,
            title: self.title.clone(),
            body: self.body.clone(),
            issuer: self.issuer.clone(),
            doc_number: self.doc_number.clone(),
            published_at,
            valid_from: self.valid_from,
            valid_until: self.valid_until,
            url: self.url.clone(),
            level: self.level,
            instruction: self.instruction.clone(),
            contact: self.contact.clone(),
            alert_id: self.alert_id.clone(),
            notice_period: self.notice_period.clone(),
            figures: self.figures.clone(),
        }
    }
}

impl NoticeInput {
    /// The fields a screen draws (`model::drawn_fields`): what every check of the text reads.
    pub fn drawn_text(&self) -> Vec<(Cow<'static, str>, &str)> {
        crate::model::drawn_fields(
            &self.title,
            &self.body,
            &self.issuer,
            self.doc_number.as_deref(),
            self.instruction.as_deref(),
            self.contact.as_deref(),
            &self.figures,
        )
    }
}

/// Characters the bundled fonts cannot draw, in one field. Screens show them as 〓.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GlyphWarning {
    pub field: String,
    pub chars: Vec<String>,
}

/// A private mobile number in a field a screen draws: a warning at saving, not a refusal (an
/// office may publish its own), with where it starts and how a 公示 would mask it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PersonalWarning {
    pub field: String,
    /// Characters from the field's start, from 1.
    pub at: usize,
    pub masked: String,
}

/// Half-width punctuation in Chinese text, or a middle dot in a name other than U+00B7, in a
/// field a screen draws (`model::punctuation`): a warning, the notice is valid as it is.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PunctuationWarning {
    pub field: String,
    /// The line of the field, from 1.
    pub line: usize,
    /// The character of that line, from 1.
    pub column: usize,
    /// What was typed, e.g. `,`.
    pub found: String,
    /// What to write instead, e.g. `，` (what the console's 全部改为全角标点 writes).
    pub replacement: String,
    pub reason: String,
    /// The same in Chinese, as the console says it to staff.
    pub reason_zh: String,
}

/// The punctuation warnings of `input`'s drawn fields.
pub fn punctuation(input: &NoticeInput) -> Vec<PunctuationWarning> {
    punctuation_in(&input.drawn_text())
}

/// The punctuation warnings of named fields (a notice's, or a console form's as typed).
pub fn punctuation_in(fields: &[(Cow<'static, str>, &str)]) -> Vec<PunctuationWarning> {
    fields
        .iter()
        .flat_map(|(field, text)| {
            crate::model::punctuation::find(text)
                .into_iter()
                .map(move |found| {
                    let reason = found.reason();
                    PunctuationWarning {
                        field: field.to_string(),
                        line: found.line,
                        column: found.column,
                        found: found.found.to_string(),
                        replacement: found.replacement.to_string(),
                        reason: reason.to_string(),
                        reason_zh: reason.zh(),
                    }
                })
        })
        .collect()
}

/// The mobile numbers in `input`'s drawn fields (`personal_data` refuses the rest).
pub fn mobile_numbers(input: &NoticeInput) -> Vec<PersonalWarning> {
    personal_numbers(input)
        .into_iter()
        .filter(|(_, found)| found.kind == crate::model::personal::PersonalKind::Mobile)
        .map(|(field, found)| PersonalWarning {
            field: field.to_string(),
            at: found.at,
            masked: found.masked,
        })
        .collect()
}

/// Every personal number in the fields a screen draws, with its field: what both the refusal
/// (`personal_data`) and the warning (`mobile_numbers`) read.
fn personal_numbers(
    input: &NoticeInput,
) -> Vec<(Cow<'static, str>, crate::model::personal::Found)> {
    input
        .drawn_text()
        .into_iter()
        .flat_map(|(field, text)| {
            crate::model::personal::find(text)
                .into_iter()
                .map(move |found| (field.clone(), found))
        })
        .collect()
}

/// The figures' assets, each once, as the feed check wants them listed; the address is never
/// fetched (the feed builder writes the real one, `feeds::refresh`).
fn listed_assets(input: &NoticeInput) -> Vec<crate::model::Asset> {
    crate::model::assets_named(&input.figures)
        .into_iter()
        .map(|sha256| crate::model::Asset {
            sha256: sha256.to_string(),
            url: format!("https://check.invalid/assets/{sha256}"),
            media_type: "image/png".into(),
        })
        .collect()
}

/// Checks an editor's input with the same rules the screens apply to a feed, plus the targets.
pub fn validate(conn: &Conn, input: &NoticeInput, now: Timestamp) -> Result<(), Error> {
    let doc = FeedDocument {
        format: FeedFormat::V1,
        group: "check".into(),
        sequence: 0,
        generated_at: now,
        expires_at: now + chrono::Duration::days(1),
        playlist: None,
        notices: vec![input.to_notice("check", now)],
        // The figures' assets as a feed would list them: whether the service has each is
        // checked below, against its table.
        assets: listed_assets(input),
        blackout: None,
        signing_keys: Vec::new(),
    };
    let mut problems: Vec<Problem> = match Feed::validate(doc, "notice") {
        Ok(_) => Vec::new(),
        Err(p) => p
            .list()
            .iter()
            .map(|p| {
                let field = p.path.strip_prefix("notices[0].").unwrap_or(&p.path);
                Problem::new("notice", field, p.reason.clone())
            })
            .collect(),
    };
    // A 公示 must be on the screens for its whole period: the notice shows from its start at
    // the latest until its end at the earliest.
    if let Some(period) = &input.notice_period
        && period.problems().is_empty()
    {
        let calendar = crate::service::domain::calendar::calendar(conn)?;
        let ends = period.ends_at(&calendar);
        // A period with no working day in it would be "met" with no play at all.
        if period.working_days(&calendar).is_empty() {
            problems.push(Problem::new(
                "notice",
                "notice_period",
                crate::model::Reason::PeriodHasNoWorkingDay,
            ));
        }
        if input.valid_from > period.start {
            problems.push(Problem::new(
                "notice",
                "notice_period.start",
                crate::model::Reason::PeriodStartsBeforeNotice {
                    start: period.start,
                    from: input.valid_from,
                },
            ));
        }
        if let Some(until) = input.valid_until
            && until < ends
        {
            problems.push(Problem::new(
                "notice",
                "valid_until",
                crate::model::Reason::NoticeEndsBeforePeriod { until, ends },
            ));
        }
    }
    for (j, f) in input.figures.iter().enumerate() {
        if crate::model::is_sha256_hex(&f.asset) && !assets::exists(conn, &f.asset)? {
            problems.push(Problem::new(
                "notice",
                format!("figures[{j}].asset"),
                crate::model::Reason::NoSuchAsset {
                    sha256: f.asset.clone(),
                },
            ));
        }
    }
    if input.groups.is_empty() {
        problems.push(Problem::new(
            "notice",
            "groups",
            crate::model::Reason::NoGroups,
        ));
    }
    for (i, g) in input.groups.iter().enumerate() {
        if g != ALL_GROUPS && !groups::exists(conn, g)? {
            problems.push(Problem::new(
                "notice",
                format!("groups[{i}]"),
                crate::model::Reason::NoSuchGroup { name: g.clone() },
            ));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::Invalid(problems))
    }
}

/// The characters of `input` that no bundled font draws, per field a screen shows: the one
/// place this is worked out, for the editors' warnings and for the personnel rule.
pub fn glyph_warnings(fonts: &mut Fonts, input: &NoticeInput) -> Vec<GlyphWarning> {
    let fields = input.drawn_text();
    fonts
        .missing_by_field(&fields)
        .into_iter()
        .map(|(field, missing)| GlyphWarning {
            field: field.to_string(),
            chars: missing.iter().map(|c| c.to_string()).collect(),
        })
        .collect()
}

/// The personnel rule (人事任免): a personnel notice with a character no bundled font draws is
/// not approved, because on screen it would be 〓 in the middle of a person's name; other
/// notices only get a warning. `warnings` (`glyph_warnings`, which needs the fonts) is asked
/// only for a personnel notice.
pub fn personnel_glyphs(
    content: &NoticeInput,
    warnings: impl FnOnce() -> Result<Vec<GlyphWarning>, Error>,
) -> Result<(), Error> {
    if content.category != Category::Personnel {
        return Ok(());
    }
    let problems: Vec<Problem> = warnings()?
        .into_iter()
        .map(|w| {
            Problem::new(
                "notice",
                w.field,
                crate::model::Reason::MissingGlyphs {
                    chars: w.chars.join(" "),
                },
            )
        })
        .collect();
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::Invalid(problems))
    }
}

/// Resident ID numbers and bank card numbers in the fields a screen draws: each a problem
/// naming the field, where it starts and its masked form. Checked when a revision is submitted
/// and again when it is approved, so none reaches a public screen (个人信息不上公开屏幕).
pub fn personal_data(input: &NoticeInput) -> Vec<Problem> {
    use crate::model::personal::PersonalKind;
    personal_numbers(input)
        .into_iter()
        .filter_map(|(field, found)| {
            let reason = match found.kind {
                PersonalKind::IdNumber => crate::model::Reason::PersonalIdNumber {
                    at: found.at,
                    masked: found.masked,
                },
                PersonalKind::BankCard => crate::model::Reason::BankCardNumber {
                    at: found.at,
                    masked: found.masked,
                },
                // An office may publish its own mobile number: a warning, not a refusal.
                PersonalKind::Mobile => return None,
            };
            Some(Problem::new("notice", field, reason))
        })
        .collect()
}
