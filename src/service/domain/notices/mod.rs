//! The review workflow. A notice is a series of revisions; each revision is written by one editor
//! and goes draft → submitted → approved or rejected. The notice's *live* revision is the last
//! approved one: it is what screens show, and it stays on screens while a newer revision waits
//! for review. A withdrawn notice leaves every feed and can no longer change.
//!
//! Approval needs a reviewer who is not the revision's author (four eyes) and the explicit
//! confirmation of the confidentiality review (保密审查). The roles are checked here as well as
//! by the routes, and the database refuses an approved revision without both.

use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::model::{
    Category, Feed, FeedDocument, FeedFormat, Level, Notice, Priority, Problem, Timestamp, beijing,
};
use crate::service::domain::accounts::{Role, User};
use crate::service::domain::audit;
use crate::service::domain::error::ServiceError;
use crate::service::domain::groups;

/// Targets every group.
pub const ALL_GROUPS: &str = "*";

/// Who writes a notice or a revision. Every write to the `notices` and `revisions` tables goes
/// through this module's functions, and the author decides what a new revision is.
#[derive(Debug, Clone, Copy)]
pub enum Author<'a> {
    /// A staff member: a revision starts as a draft and goes through review.
    Staff(&'a User),
    /// An alert source (`alerts::Source`), writing as a user row of its own. A source trusted
    /// to publish directly is the authority for what it sends: its revisions go live without a
    /// second person, and the database accepts that only with its name
    /// (`revisions.direct_source`). Any other source's revisions wait for one reviewer.
    Source {
        user: &'a User,
        name: &'a str,
        direct: bool,
    },
}

impl Author<'_> {
    /// The user row the revision is written by.
    pub fn user(&self) -> &User {
        match self {
            Author::Staff(user) | Author::Source { user, .. } => user,
        }
    }
}

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
    #[schema(value_type = Option<Object>, example = json!({"start": "2026-12-01T08:00:00+08:00", "working_days": 7}))]
    pub notice_period: Option<crate::model::NoticePeriod>,
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
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RevisionStatus {
    Draft,
    Submitted,
    Approved,
    Rejected,
    /// A newer revision was written before this one was decided.
    Superseded,
}

impl RevisionStatus {
    fn as_str(self) -> &'static str {
        match self {
            RevisionStatus::Draft => "draft",
            RevisionStatus::Submitted => "submitted",
            RevisionStatus::Approved => "approved",
            RevisionStatus::Rejected => "rejected",
            RevisionStatus::Superseded => "superseded",
        }
    }

    fn parse(s: &str) -> RevisionStatus {
        match s {
            "submitted" => RevisionStatus::Submitted,
            "approved" => RevisionStatus::Approved,
            "rejected" => RevisionStatus::Rejected,
            "superseded" => RevisionStatus::Superseded,
            _ => RevisionStatus::Draft,
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Revision {
    pub number: i64,
    pub author: String,
    pub created_at: String,
    pub status: RevisionStatus,
    pub submitted_at: Option<String>,
    pub reviewer: Option<String>,
    pub reviewed_at: Option<String>,
    pub reject_reason: Option<String>,
    pub confidentiality_confirmed: bool,
    /// 1, or 2 under a group's review policy (提级审核; known once a reviewer approved).
    pub reviews_required: u8,
    /// Who approved it so far when it needs two reviewers.
    pub approvals: Vec<String>,
    pub content: NoticeInput,
}

/// A notice with all its revisions, oldest first.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NoticeDetail {
    pub id: String,
    /// `withdrawn`, or the status of the newest revision.
    pub state: String,
    /// The revision screens show (the last approved one), if any.
    pub live_revision: Option<i64>,
    pub withdrawn_at: Option<String>,
    pub revisions: Vec<Revision>,
}

impl NoticeDetail {
    pub fn latest(&self) -> &Revision {
        self.revisions.last().expect("a notice has a revision")
    }

    pub fn live(&self) -> Option<&Revision> {
        let n = self.live_revision?;
        self.revisions.iter().find(|r| r.number == n)
    }
}

/// One line of the notice list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NoticeSummary {
    pub id: String,
    pub title: String,
    #[schema(value_type = String)]
    pub category: Category,
    #[schema(value_type = String)]
    pub priority: Priority,
    pub state: String,
    pub latest_revision: i64,
    pub latest_author: String,
    pub live_revision: Option<i64>,
    pub updated_at: String,
    /// Approved, not withdrawn, not expired: on the screens of its groups now or soon.
    pub on_screens: bool,
    /// Of a submitted revision that needs two reviewers (提级审核): how many approved it so far.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub approvals: Option<(usize, u8)>,
}

/// Characters the bundled fonts cannot draw, in one field. Screens show them as 〓.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GlyphWarning {
    pub field: String,
    pub chars: Vec<String>,
}

/// Checks an editor's input with the same rules the screens apply to a feed, plus the targets.
pub fn validate(
    conn: &Connection,
    input: &NoticeInput,
    now: Timestamp,
) -> Result<(), ServiceError> {
    let doc = FeedDocument {
        format: FeedFormat::V1,
        group: "check".into(),
        sequence: 0,
        generated_at: now,
        expires_at: now + chrono::Duration::days(1),
        playlist: None,
        notices: vec![input.to_notice("check", now)],
        assets: Vec::new(),
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
                "the 公示期 has no working day: it ends before its first working day",
            ));
        }
        if input.valid_from > period.start {
            problems.push(Problem::new(
                "notice",
                "notice_period.start",
                format!(
                    "the 公示期 starts at {} but the notice shows only from {}",
                    period.start.to_rfc3339(),
                    input.valid_from.to_rfc3339()
                ),
            ));
        }
        if let Some(until) = input.valid_until
            && until < ends
        {
            problems.push(Problem::new(
                "notice",
                "valid_until",
                format!(
                    "the notice stops showing at {}, before its 公示期 ends at {}",
                    until.to_rfc3339(),
                    ends.to_rfc3339()
                ),
            ));
        }
    }
    if input.groups.is_empty() {
        problems.push(Problem::new(
            "notice",
            "groups",
            "is empty: name the screen groups, or \"*\" for all",
        ));
    }
    for (i, g) in input.groups.iter().enumerate() {
        if g != ALL_GROUPS && !groups::exists(conn, g)? {
            problems.push(Problem::new(
                "notice",
                format!("groups[{i}]"),
                format!("there is no screen group {g:?}"),
            ));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(ServiceError::Invalid(problems))
    }
}

/// Creates a notice with its first revision, a draft. Returns the new id, e.g. `2026-0007`.
pub fn create(
    conn: &Connection,
    actor: &User,
    input: &NoticeInput,
    now: Timestamp,
) -> Result<String, ServiceError> {
    actor.require(&[Role::Editor], "write notices")?;
    let id = open(conn, Author::Staff(actor), input, now)?;
    audit::record(
        conn,
        now,
        &actor.name,
        "notice.create",
        &format!("notice {id} revision 1"),
        &input.title,
    )?;
    Ok(id)
}

/// Marks the notice's undecided revisions (draft, submitted) superseded: a newer revision, a
/// withdrawal or a cancelled warning replaces them.
fn supersede_pending(conn: &Connection, id: &str) -> Result<(), ServiceError> {
    conn.execute(
        "UPDATE revisions SET status = 'superseded'
         WHERE notice_id = ?1 AND status IN ('draft', 'submitted')",
        [id],
    )?;
    Ok(())
}

/// The next free notice id of the year, e.g. `2026-0007`.
fn next_id(conn: &Connection, now: Timestamp) -> Result<String, ServiceError> {
    let year = beijing(now).format("%Y").to_string();
    let last: Option<String> = conn
        .query_row(
            "SELECT id FROM notices WHERE id LIKE ?1 ORDER BY id DESC LIMIT 1",
            [format!("{year}-%")],
            |r| r.get(0),
        )
        .optional()?;
    let next = last
        .and_then(|id| id.split_once('-').and_then(|(_, n)| n.parse::<u32>().ok()))
        .unwrap_or(0)
        + 1;
    Ok(format!("{year}-{next:04}"))
}

/// A new notice by `author`: checked (`validate`), given the next id of the year, and its first
/// revision written (`write_revision`). Returns the id.
pub fn open(
    conn: &Connection,
    author: Author,
    input: &NoticeInput,
    now: Timestamp,
) -> Result<String, ServiceError> {
    validate(conn, input, now)?;
    let id = next_id(conn, now)?;
    conn.execute(
        "INSERT INTO notices (id, created_by, created_at) VALUES (?1, ?2, ?3)",
        params![id, author.user().id, now.to_rfc3339()],
    )?;
    write_revision(conn, author, &id, 1, input, now)?;
    Ok(id)
}

/// Writes revision `number` of notice `id` by `author`, superseding its undecided older
/// revisions: a staff member's is a draft; an alert source's is submitted for review, or live at
/// once when the source publishes directly. The caller has validated `input`.
pub fn write_revision(
    conn: &Connection,
    author: Author,
    id: &str,
    number: i64,
    input: &NoticeInput,
    now: Timestamp,
) -> Result<(), ServiceError> {
    let what = match author {
        Author::Staff(_) => "notice",
        Author::Source { .. } => "alert",
    };
    let content = serde_json::to_string(input)
        .map_err(|e| ServiceError::Internal(format!("{what} content: {e}")))?;
    supersede_pending(conn, id)?;
    match author {
        Author::Staff(actor) => {
            // The callers checked already; the door checks again, so a new caller cannot
            // write a revision for someone who may not.
            actor.require(&[Role::Editor], "write notices")?;
            conn.execute(
                "INSERT INTO revisions (notice_id, number, author_id, created_at, content, status)
                 VALUES (?1, ?2, ?3, ?4, ?5, 'draft')",
                params![id, number, actor.id, now.to_rfc3339(), content],
            )?;
        }
        Author::Source {
            user,
            name,
            direct: true,
        } => {
            conn.execute(
                "INSERT INTO revisions (notice_id, number, author_id, created_at, content, status,
                     submitted_at, reviewed_at, direct_source)
                 VALUES (?1, ?2, ?3, ?4, ?5, 'approved', ?4, ?4, ?6)",
                params![id, number, user.id, now.to_rfc3339(), content, name],
            )?;
            conn.execute(
                "UPDATE notices SET live_revision = ?1 WHERE id = ?2",
                params![number, id],
            )?;
        }
        Author::Source {
            user,
            direct: false,
            ..
        } => {
            conn.execute(
                "INSERT INTO revisions (notice_id, number, author_id, created_at, content, status,
                     submitted_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, 'submitted', ?4)",
                params![id, number, user.id, now.to_rfc3339(), content],
            )?;
        }
    }
    Ok(())
}

/// Takes notice `id` off every screen for good, for `author` (an editor or reviewer, or the
/// source whose warning it was, cancelling it): its undecided revisions are superseded.
pub fn take_down(
    conn: &Connection,
    author: Author,
    id: &str,
    now: Timestamp,
) -> Result<(), ServiceError> {
    if let Author::Staff(actor) = author {
        actor.require(&[Role::Editor, Role::Reviewer], "withdraw notices")?;
    }
    conn.execute(
        "UPDATE notices SET withdrawn_at = ?1 WHERE id = ?2",
        params![now.to_rfc3339(), id],
    )?;
    supersede_pending(conn, id)
}

/// A new revision (a draft) of an existing notice. An undecided older revision is superseded;
/// the live revision stays on screens until the new one is approved.
pub fn edit(
    conn: &Connection,
    actor: &User,
    id: &str,
    input: &NoticeInput,
    now: Timestamp,
) -> Result<i64, ServiceError> {
    actor.require(&[Role::Editor], "edit notices")?;
    let notice = get(conn, id)?;
    if notice.withdrawn_at.is_some() {
        return Err(ServiceError::Conflict(format!(
            "notice {id} was withdrawn and can no longer change"
        )));
    }
    validate(conn, input, now)?;
    let number = notice.latest().number + 1;
    write_revision(conn, Author::Staff(actor), id, number, input, now)?;
    audit::record(
        conn,
        now,
        &actor.name,
        "notice.edit",
        &format!("notice {id} revision {number}"),
        &input.title,
    )?;
    Ok(number)
}

/// Sends the newest revision, a draft, to review.
pub fn submit(
    conn: &Connection,
    actor: &User,
    id: &str,
    now: Timestamp,
) -> Result<i64, ServiceError> {
    actor.require(&[Role::Editor], "submit notices")?;
    let notice = get(conn, id)?;
    if notice.withdrawn_at.is_some() {
        return Err(ServiceError::Conflict(format!("notice {id} was withdrawn")));
    }
    let latest = notice.latest();
    if latest.status != RevisionStatus::Draft {
        return Err(ServiceError::Conflict(format!(
            "revision {} of notice {id} is {}, only a draft can be submitted",
            latest.number,
            latest.status.as_str()
        )));
    }
    conn.execute(
        "UPDATE revisions SET status = 'submitted', submitted_at = ?1
         WHERE notice_id = ?2 AND number = ?3",
        params![now.to_rfc3339(), id, latest.number],
    )?;
    audit::record(
        conn,
        now,
        &actor.name,
        "notice.submit",
        &format!("notice {id} revision {}", latest.number),
        "",
    )?;
    Ok(latest.number)
}

/// The submitted revision `number`, which must be the newest, for a reviewer's decision.
fn pending(notice: &NoticeDetail, number: i64) -> Result<&Revision, ServiceError> {
    if notice.withdrawn_at.is_some() {
        return Err(ServiceError::Conflict(format!(
            "notice {} was withdrawn",
            notice.id
        )));
    }
    let latest = notice.latest();
    if latest.number != number {
        return Err(ServiceError::Conflict(format!(
            "revision {number} of notice {} is not the newest (revision {} is): review the newest",
            notice.id, latest.number
        )));
    }
    if latest.status != RevisionStatus::Submitted {
        return Err(ServiceError::Conflict(format!(
            "revision {number} of notice {} is {}, not submitted for review",
            notice.id,
            latest.status.as_str()
        )));
    }
    Ok(latest)
}

/// Approves revision `number`: it becomes the live revision, shown on screens.
pub fn approve(
    conn: &Connection,
    actor: &User,
    id: &str,
    number: i64,
    confidentiality_confirmed: bool,
    now: Timestamp,
) -> Result<(), ServiceError> {
    actor.require(&[Role::Reviewer], "approve notices")?;
    if !confidentiality_confirmed {
        return Err(ServiceError::invalid(
            "confidentiality_confirmed",
            "the confidentiality review (保密审查) must be confirmed to approve",
        ));
    }
    let notice = get(conn, id)?;
    let revision = pending(&notice, number)?;
    let (author_id, stored_required): (i64, u8) = conn.query_row(
        "SELECT author_id, reviews_required FROM revisions WHERE notice_id = ?1 AND number = ?2",
        params![id, number],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    if author_id == actor.id {
        return Err(ServiceError::Forbidden(format!(
            "{} wrote revision {number} of notice {id}; another reviewer must approve it",
            actor.name
        )));
    }
    // 提级审核: the strictest policy of its groups, as they are now.
    let content = &revision.content;
    let groups = (!content.groups.iter().any(|g| g == ALL_GROUPS)).then_some(&content.groups[..]);
    let required = crate::service::domain::policy::reviews_required(
        conn,
        groups,
        content.category,
        content.valid_from,
        content.valid_until,
    )?
    .max(stored_required);
    let record = |step: &str| {
        audit::record(
            conn,
            now,
            &actor.name,
            "notice.approve",
            &format!("notice {id} revision {number}"),
            &format!(
                "{step}保密审查 confirmed; author {}; {}",
                revision.author, content.title
            ),
        )
    };
    if required == 2 {
        let approved_by: Vec<i64> = conn
            .prepare("SELECT reviewer_id FROM approvals WHERE notice_id = ?1 AND number = ?2")?
            .query_map(params![id, number], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        if approved_by.contains(&actor.id) {
            return Err(ServiceError::Conflict(format!(
                "{} approved revision {number} of notice {id} already: it needs a second, \
                 different reviewer (提级审核)",
                actor.name
            )));
        }
        conn.execute(
            "INSERT INTO approvals (notice_id, number, reviewer_id, approved_at,
                                    confidentiality_confirmed)
             VALUES (?1, ?2, ?3, ?4, 1)",
            params![id, number, actor.id, now.to_rfc3339()],
        )?;
        if approved_by.is_empty() {
            conn.execute(
                "UPDATE revisions SET reviews_required = 2 WHERE notice_id = ?1 AND number = ?2",
                params![id, number],
            )?;
            return record("1 of 2 reviewers (提级审核): waits for a second; ");
        }
    }
    conn.execute(
        "UPDATE revisions SET status = 'approved', reviewer_id = ?1, reviewed_at = ?2,
                confidentiality_confirmed = 1, reviews_required = ?5
         WHERE notice_id = ?3 AND number = ?4",
        params![actor.id, now.to_rfc3339(), id, number, required],
    )?;
    conn.execute(
        "UPDATE notices SET live_revision = ?1 WHERE id = ?2",
        params![number, id],
    )?;
    record(if required == 2 {
        "2 of 2 reviewers (提级审核); "
    } else {
        ""
    })
}

pub fn reject(
    conn: &Connection,
    actor: &User,
    id: &str,
    number: i64,
    reason: &str,
    now: Timestamp,
) -> Result<(), ServiceError> {
    actor.require(&[Role::Reviewer], "reject notices")?;
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(ServiceError::invalid(
            "reason",
            "is empty: tell the editor what to change",
        ));
    }
    let notice = get(conn, id)?;
    pending(&notice, number)?;
    conn.execute(
        "UPDATE revisions SET status = 'rejected', reviewer_id = ?1, reviewed_at = ?2,
                reject_reason = ?3
         WHERE notice_id = ?4 AND number = ?5",
        params![actor.id, now.to_rfc3339(), reason, id, number],
    )?;
    audit::record(
        conn,
        now,
        &actor.name,
        "notice.reject",
        &format!("notice {id} revision {number}"),
        reason,
    )
}

/// Takes a notice off every screen for good.
pub fn withdraw(
    conn: &Connection,
    actor: &User,
    id: &str,
    reason: &str,
    now: Timestamp,
) -> Result<(), ServiceError> {
    actor.require(&[Role::Editor, Role::Reviewer], "withdraw notices")?;
    let notice = get(conn, id)?;
    if notice.withdrawn_at.is_some() {
        return Err(ServiceError::Conflict(format!(
            "notice {id} is already withdrawn"
        )));
    }
    take_down(conn, Author::Staff(actor), id, now)?;
    audit::record(
        conn,
        now,
        &actor.name,
        "notice.withdraw",
        &format!("notice {id}"),
        reason.trim(),
    )
}

pub fn get(conn: &Connection, id: &str) -> Result<NoticeDetail, ServiceError> {
    let head: Option<(Option<String>, Option<i64>)> = conn
        .query_row(
            "SELECT withdrawn_at, live_revision FROM notices WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((withdrawn_at, live_revision)) = head else {
        return Err(ServiceError::NotFound(format!("no notice {id:?}")));
    };
    let mut stmt = conn.prepare(
        "SELECT r.number, a.name, r.created_at, r.status, r.submitted_at, v.name, r.reviewed_at,
                r.reject_reason, r.confidentiality_confirmed, r.content, r.reviews_required,
                (SELECT group_concat(u.name, ',') FROM approvals p JOIN users u ON u.id = p.reviewer_id
                 WHERE p.notice_id = r.notice_id AND p.number = r.number)
         FROM revisions r JOIN users a ON a.id = r.author_id
         LEFT JOIN users v ON v.id = r.reviewer_id
         WHERE r.notice_id = ?1 ORDER BY r.number",
    )?;
    let rows = stmt
        .query_map([id], |r| {
            Ok((
                Revision {
                    number: r.get(0)?,
                    author: r.get(1)?,
                    created_at: r.get(2)?,
                    status: RevisionStatus::parse(&r.get::<_, String>(3)?),
                    submitted_at: r.get(4)?,
                    reviewer: r.get(5)?,
                    reviewed_at: r.get(6)?,
                    reject_reason: r.get(7)?,
                    confidentiality_confirmed: r.get(8)?,
                    reviews_required: r.get(10)?,
                    // User names have no commas (`accounts::check_user_name`).
                    approvals: r
                        .get::<_, Option<String>>(11)?
                        .map(|names| names.split(',').map(str::to_string).collect())
                        .unwrap_or_default(),
                    content: placeholder_content(),
                },
                r.get::<_, String>(9)?,
            ))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let mut revisions = Vec::with_capacity(rows.len());
    for (mut revision, content) in rows {
        revision.content = serde_json::from_str(&content).map_err(|e| {
            ServiceError::Internal(format!("notice {id} revision {}: {e}", revision.number))
        })?;
        revisions.push(revision);
    }
    if revisions.is_empty() {
        return Err(ServiceError::Internal(format!(
            "notice {id} has no revision"
        )));
    }
    let state = if withdrawn_at.is_some() {
        "withdrawn".to_string()
    } else {
        revisions
            .last()
            .map(|r| r.status.as_str().to_string())
            .unwrap_or_default()
    };
    Ok(NoticeDetail {
        id: id.to_string(),
        state,
        live_revision,
        withdrawn_at,
        revisions,
    })
}

fn placeholder_content() -> NoticeInput {
    NoticeInput {
        title: String::new(),
        body: String::new(),
        category: Category::Services,
        priority: Priority::Normal,
        issuer: String::new(),
        doc_number: None,
        valid_from: Timestamp::default(),
        valid_until: None,
        url: None,
        level: None,
        instruction: None,
        contact: None,
        alert_id: None,
        notice_period: None,
        groups: Vec::new(),
    }
}

/// Every notice, newest first; `state` filters on the notice's state (e.g. `submitted` for the
/// review queue).
pub fn list(
    conn: &Connection,
    state: Option<&str>,
    now: Timestamp,
) -> Result<Vec<NoticeSummary>, ServiceError> {
    let ids: Vec<String> = conn
        .prepare("SELECT id FROM notices ORDER BY created_at DESC, id DESC")?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let mut out = Vec::new();
    for id in ids {
        let notice = get(conn, &id)?;
        if state.is_some_and(|s| s != notice.state) {
            continue;
        }
        let latest = notice.latest();
        let on_screens = notice.withdrawn_at.is_none()
            && notice
                .live()
                .is_some_and(|live| live.content.valid_until.is_none_or(|u| now < u));
        out.push(NoticeSummary {
            id: notice.id.clone(),
            title: latest.content.title.clone(),
            category: latest.content.category,
            priority: latest.content.priority,
            state: notice.state.clone(),
            latest_revision: latest.number,
            latest_author: latest.author.clone(),
            live_revision: notice.live_revision,
            updated_at: latest.created_at.clone(),
            on_screens,
            approvals: (latest.status == RevisionStatus::Submitted && latest.reviews_required == 2)
                .then_some((latest.approvals.len(), latest.reviews_required)),
        });
    }
    // Emergencies first (a warning system's alert waits at the top of the review queue), the
    // newest first within each.
    out.sort_by_key(|n| n.priority != Priority::Emergency);
    Ok(out)
}

/// The most notices one list answer or console page holds.
pub const PAGE: usize = 100;

/// One page of `list`: `limit` (at most `PAGE`) after skipping `offset`.
pub fn page<T>(list: Vec<T>, offset: Option<usize>, limit: Option<usize>) -> Vec<T> {
    let limit = limit.unwrap_or(PAGE).clamp(1, PAGE);
    list.into_iter()
        .skip(offset.unwrap_or(0))
        .take(limit)
        .collect()
}

/// The live revisions of every notice not withdrawn: the feeds are made from these.
pub fn live(conn: &Connection) -> Result<Vec<(String, String, NoticeInput)>, ServiceError> {
    let mut stmt = conn.prepare(
        "SELECT n.id, r.reviewed_at, r.content FROM notices n
         JOIN revisions r ON r.notice_id = n.id AND r.number = n.live_revision
         WHERE n.withdrawn_at IS NULL AND r.status = 'approved'
           AND ((r.confidentiality_confirmed = 1 AND r.reviewer_id <> r.author_id)
                OR (r.direct_source IS NOT NULL AND r.reviewer_id IS NULL))
         ORDER BY n.id",
    )?;
    let rows = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    rows.into_iter()
        .map(|(id, reviewed_at, content)| {
            let input = serde_json::from_str(&content)
                .map_err(|e| ServiceError::Internal(format!("notice {id}: {e}")))?;
            Ok((id, reviewed_at, input))
        })
        .collect()
}
