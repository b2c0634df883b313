//! Reading notices: a notice with its revisions, the list and its pages, and the live
//! revisions the feeds are made from. Writes nothing.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::content::NoticeInput;
use crate::model::{Category, Priority, Timestamp};
use crate::service::domain::error::Error;
use crate::service::domain::storage::{self, Conn};

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
    pub(super) fn as_str(self) -> &'static str {
        match self {
            RevisionStatus::Draft => "draft",
            RevisionStatus::Submitted => "submitted",
            RevisionStatus::Approved => "approved",
            RevisionStatus::Rejected => "rejected",
            RevisionStatus::Superseded => "superseded",
        }
    }

    pub(super) fn parse(s: &str) -> RevisionStatus {
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
    /// Who withdrew it (a user's name, or an alert source's) and why.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub withdrawn_by: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub withdrawn_reason: Option<String>,
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

    /// Who wrote and who approved the revisions that went to the screens (the approved ones),
    /// each name once, oldest revision first: the 经办人 and 审核人 a 公示证明 names. Under
    /// 提级审核 both reviewers count (the last one is also `reviewer`).
    pub fn responsible(&self) -> (Vec<String>, Vec<String>) {
        let mut authors: Vec<String> = Vec::new();
        let mut reviewers: Vec<String> = Vec::new();
        let add = |list: &mut Vec<String>, name: &str| {
            if !list.iter().any(|n| n == name) {
                list.push(name.to_string());
            }
        };
        for r in self
            .revisions
            .iter()
            .filter(|r| r.status == RevisionStatus::Approved)
        {
            add(&mut authors, &r.author);
            for name in r.approvals.iter().chain(&r.reviewer) {
                add(&mut reviewers, name);
            }
        }
        (authors, reviewers)
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
    /// Where the live revision stands against its validity: `not_yet` (valid from a later
    /// instant), `showing`, `ended`; empty when nothing is live (a draft, withdrawn).
    pub screens: String,
    /// The live revision's `valid_from`, for 未开始（12月8日起）.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub valid_from: Option<String>,
    /// The 公示期 as people write it (`11月30日至12月4日`), if the notice has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub period: Option<String>,
    /// Of a submitted revision that needs two reviewers (提级审核): how many approved it so far.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub approvals: Option<(usize, u8)>,
    /// The groups the live revision (else the newest) is for (`*`: every group), so a page can
    /// say when their screens are off.
    pub groups: Vec<String>,
}

pub fn get(conn: &Conn, id: &str) -> Result<NoticeDetail, Error> {
    let head = storage::reads::notice_head(conn, id)?;
    let Some((withdrawn_at, live_revision)) = head else {
        return Err(Error::NotFound(crate::model::Reason::NoNotice {
            id: id.to_string(),
        }));
    };
    let rows = storage::reads::revisions(conn, id)?;
    let mut revisions = Vec::with_capacity(rows.len());
    for row in rows {
        let content = serde_json::from_str(&row.content)
            .map_err(|e| Error::Internal(format!("notice {id} revision {}: {e}", row.number)))?;
        revisions.push(Revision {
            number: row.number,
            author: row.author,
            created_at: row.created_at,
            status: RevisionStatus::parse(&row.status),
            submitted_at: row.submitted_at,
            reviewer: row.reviewer,
            reviewed_at: row.reviewed_at,
            reject_reason: row.reject_reason,
            confidentiality_confirmed: row.confidentiality_confirmed,
            reviews_required: row.reviews_required,
            // User names have no commas (`accounts::check_user_name`).
            approvals: row
                .approvals
                .map(|names| names.split(',').map(str::to_string).collect())
                .unwrap_or_default(),
            content,
        });
    }
    if revisions.is_empty() {
        return Err(Error::Internal(format!("notice {id} has no revision")));
    }
    let state = if withdrawn_at.is_some() {
        "withdrawn".to_string()
    } else {
        revisions
            .last()
            .map(|r| r.status.as_str().to_string())
            .unwrap_or_default()
    };
    let (withdrawn_by, withdrawn_reason) = if withdrawn_at.is_some() {
        storage::reads::withdrawal(conn, id)?
    } else {
        (None, None)
    };
    Ok(NoticeDetail {
        id: id.to_string(),
        state,
        live_revision,
        withdrawn_at,
        withdrawn_by,
        withdrawn_reason,
        revisions,
    })
}

/// Every notice, newest first; `state` filters on the notice's state (e.g. `submitted` for the
/// review queue).
pub fn list(conn: &Conn, state: Option<&str>, now: Timestamp) -> Result<Vec<NoticeSummary>, Error> {
    let ids = storage::reads::notice_ids(conn)?;
    let calendar = crate::service::domain::calendar::calendar(conn)?;
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
        let live = notice.live().filter(|_| notice.withdrawn_at.is_none());
        let screens = match live {
            None => "",
            Some(l) if now < l.content.valid_from => "not_yet",
            Some(l) if l.content.valid_until.is_some_and(|u| u <= now) => "ended",
            Some(_) => "showing",
        };
        let shown = live.unwrap_or(latest);
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
            screens: screens.to_string(),
            valid_from: live.map(|l| l.content.valid_from.to_rfc3339()),
            period: shown
                .content
                .notice_period
                .as_ref()
                .map(|p| p.describe_zh(&calendar)),
            approvals: (latest.status == RevisionStatus::Submitted && latest.reviews_required == 2)
                .then_some((latest.approvals.len(), latest.reviews_required)),
            groups: shown.content.groups.clone(),
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
pub fn live(conn: &Conn) -> Result<Vec<(String, String, NoticeInput)>, Error> {
    storage::reads::live(conn)?
        .into_iter()
        .map(|(id, reviewed_at, content)| {
            let input = serde_json::from_str(&content)
                .map_err(|e| Error::Internal(format!("notice {id}: {e}")))?;
            Ok((id, reviewed_at, input))
        })
        .collect()
}

impl RevisionStatus {
    pub const ALL: [RevisionStatus; 5] = [
        RevisionStatus::Draft,
        RevisionStatus::Submitted,
        RevisionStatus::Approved,
        RevisionStatus::Rejected,
        RevisionStatus::Superseded,
    ];

    /// What the console calls it.
    pub fn zh(self) -> &'static str {
        NoticeState::Revision(self).zh()
    }
}

/// A notice's state, as listed and filtered on (`NoticeSummary::state`): its latest revision's
/// status, or withdrawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeState {
    Revision(RevisionStatus),
    Withdrawn,
}

impl NoticeState {
    /// The states a staff member filters the list on, in the console's order.
    pub const LISTED: [NoticeState; 5] = [
        NoticeState::Revision(RevisionStatus::Draft),
        NoticeState::Revision(RevisionStatus::Submitted),
        NoticeState::Revision(RevisionStatus::Approved),
        NoticeState::Revision(RevisionStatus::Rejected),
        NoticeState::Withdrawn,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            NoticeState::Revision(status) => status.as_str(),
            NoticeState::Withdrawn => "withdrawn",
        }
    }

    /// The state `as_str` names; `None` for any other text.
    pub fn parse(text: &str) -> Option<NoticeState> {
        if text == "withdrawn" {
            return Some(NoticeState::Withdrawn);
        }
        RevisionStatus::ALL
            .into_iter()
            .find(|s| s.as_str() == text)
            .map(NoticeState::Revision)
    }

    /// What the console calls it.
    pub fn zh(self) -> &'static str {
        match self {
            NoticeState::Revision(RevisionStatus::Draft) => "草稿",
            NoticeState::Revision(RevisionStatus::Submitted) => "待审核",
            NoticeState::Revision(RevisionStatus::Approved) => "已批准",
            NoticeState::Revision(RevisionStatus::Rejected) => "已退回",
            NoticeState::Revision(RevisionStatus::Superseded) => "已被新版本替代",
            NoticeState::Withdrawn => "已撤回",
        }
    }
}
