//! The review workflow. A notice is a series of revisions; each revision is written by one editor
//! and goes draft → submitted → approved or rejected. The notice's *live* revision is the last
//! approved one: it is what screens show, and it stays on screens while a newer revision waits
//! for review. A withdrawn notice leaves every feed and can no longer change.
//!
//! Approval needs a reviewer who is not the revision's author (four eyes) and the explicit
//! confirmation of the confidentiality review (保密审查). The roles are checked here as well as
//! by the routes, and the database refuses an approved revision without both.
//!
//! The door: every write to the `notices` and `revisions` tables goes through here (its SQL is
//! `storage::notices`', which only the domain may call), and each says who writes (`Author`: a
//! staff member, or an alert source). What a notice says is `content`'s; reading notices is
//! `read`'s. `approve` is the domain's own: everything outside it (the API, the console, the
//! demo seed, the tests) approves through `Service::approve`, which applies the personnel rule
//! on characters (`personnel_glyphs`) first, so no door can approve around it.

mod content;
mod read;

pub use content::{
    ALL_GROUPS, GlyphWarning, NoticeInput, PersonalWarning, PunctuationWarning, glyph_warnings,
    mobile_numbers, personal_data, personnel_glyphs, punctuation, punctuation_in, validate,
};
pub use read::{
    NoticeDetail, NoticeState, NoticeSummary, PAGE, Revision, RevisionStatus, get, list, live, page,
};

use crate::model::{Timestamp, beijing};
use crate::service::domain::accounts::{Role, User};
use crate::service::domain::audit;
use crate::service::domain::error::Error;
use crate::service::domain::storage::Conn;
use crate::service::domain::storage::notices::{self as store, NewRevision};

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

/// Creates a notice with its first revision, a draft. Returns the new id, e.g. `2026-0007`.
pub fn create(
    conn: &Conn,
    actor: &User,
    input: &NoticeInput,
    now: Timestamp,
) -> Result<String, Error> {
    actor.require(&[Role::Editor], "write notices")?;
    let id = open(conn, Author::Staff(actor), input, now)?;
    audit::record(
        conn,
        now,
        &actor.name,
        audit::Action::NoticeCreate,
        &format!("notice {id} revision 1"),
        &input.title,
    )?;
    Ok(id)
}

/// Marks the notice's undecided revisions (draft, submitted) superseded: a newer revision, a
/// withdrawal or a cancelled warning replaces them.
fn supersede_pending(conn: &Conn, id: &str) -> Result<(), Error> {
    store::supersede_pending(conn, id)
}

/// The next free notice id of the year, e.g. `2026-0007`.
fn next_id(conn: &Conn, now: Timestamp) -> Result<String, Error> {
    let year = beijing(now).format("%Y").to_string();
    let last = store::last_id(conn, &format!("{year}-"))?;
    let next = last
        .and_then(|id| id.split_once('-').and_then(|(_, n)| n.parse::<u32>().ok()))
        .unwrap_or(0)
        + 1;
    Ok(format!("{year}-{next:04}"))
}

/// A new notice by `author`: checked (`validate`), given the next id of the year, and its first
/// revision written (`write_revision`). Returns the id.
pub fn open(
    conn: &Conn,
    author: Author,
    input: &NoticeInput,
    now: Timestamp,
) -> Result<String, Error> {
    validate(conn, input, now)?;
    let id = next_id(conn, now)?;
    store::insert_notice(conn, &id, author.user().id, now)?;
    write_revision(conn, author, &id, 1, input, now)?;
    Ok(id)
}

/// Writes revision `number` of notice `id` by `author`, superseding its undecided older
/// revisions: a staff member's is a draft; an alert source's is submitted for review, or live at
/// once when the source publishes directly. The caller has validated `input`.
pub fn write_revision(
    conn: &Conn,
    author: Author,
    id: &str,
    number: i64,
    input: &NoticeInput,
    now: Timestamp,
) -> Result<(), Error> {
    let what = match author {
        Author::Staff(_) => "notice",
        Author::Source { .. } => "alert",
    };
    let content = serde_json::to_string(input)
        .map_err(|e| Error::Internal(format!("{what} content: {e}")))?;
    supersede_pending(conn, id)?;
    let kind = match author {
        Author::Staff(actor) => {
            // The callers checked already; the door checks again, so a new caller cannot
            // write a revision for someone who may not.
            actor.require(&[Role::Editor], "write notices")?;
            NewRevision::Draft
        }
        Author::Source {
            name, direct: true, ..
        } => NewRevision::Direct { source: name },
        Author::Source { direct: false, .. } => NewRevision::Submitted,
    };
    store::insert_revision(conn, id, number, author.user().id, &content, kind, now)?;
    if let NewRevision::Direct { .. } = kind {
        store::set_live(conn, id, number)?;
    }
    Ok(())
}

/// Takes notice `id` off every screen for good, for `author` (an editor or reviewer, or the
/// source whose warning it was, cancelling it): its undecided revisions are superseded.
pub fn take_down(
    conn: &Conn,
    author: Author,
    id: &str,
    reason: &str,
    now: Timestamp,
) -> Result<(), Error> {
    if let Author::Staff(actor) = author {
        actor.require(&[Role::Editor, Role::Reviewer], "withdraw notices")?;
    }
    store::set_withdrawn(conn, id, (&author.user().name, reason), now)?;
    supersede_pending(conn, id)
}

/// A new revision (a draft) of an existing notice. An undecided older revision is superseded;
/// the live revision stays on screens until the new one is approved.
pub fn edit(
    conn: &Conn,
    actor: &User,
    id: &str,
    input: &NoticeInput,
    now: Timestamp,
) -> Result<i64, Error> {
    actor.require(&[Role::Editor], "edit notices")?;
    let notice = get(conn, id)?;
    if notice.withdrawn_at.is_some() {
        return Err(Error::Conflict(crate::model::Reason::Detail(format!(
            "notice {id} was withdrawn and can no longer change"
        ))));
    }
    validate(conn, input, now)?;
    let number = notice.latest().number + 1;
    write_revision(conn, Author::Staff(actor), id, number, input, now)?;
    audit::record(
        conn,
        now,
        &actor.name,
        audit::Action::NoticeEdit,
        &format!("notice {id} revision {number}"),
        &input.title,
    )?;
    Ok(number)
}

/// Sends the newest revision, a draft, to review.
pub fn submit(conn: &Conn, actor: &User, id: &str, now: Timestamp) -> Result<i64, Error> {
    actor.require(&[Role::Editor], "submit notices")?;
    let notice = get(conn, id)?;
    if notice.withdrawn_at.is_some() {
        return Err(Error::Conflict(crate::model::Reason::Detail(format!(
            "notice {id} was withdrawn"
        ))));
    }
    let latest = notice.latest();
    if latest.status != RevisionStatus::Draft {
        return Err(Error::Conflict(crate::model::Reason::Detail(format!(
            "revision {} of notice {id} is {}, only a draft can be submitted",
            latest.number,
            latest.status.as_str()
        ))));
    }
    let personal = personal_data(&latest.content);
    if !personal.is_empty() {
        return Err(Error::Invalid(personal));
    }
    store::set_submitted(conn, id, latest.number, now)?;
    audit::record(
        conn,
        now,
        &actor.name,
        audit::Action::NoticeSubmit,
        &format!("notice {id} revision {}", latest.number),
        "",
    )?;
    Ok(latest.number)
}

/// The submitted revision `number`, which must be the newest, for a reviewer's decision.
fn pending(notice: &NoticeDetail, number: i64) -> Result<&Revision, Error> {
    if notice.withdrawn_at.is_some() {
        return Err(Error::Conflict(crate::model::Reason::Detail(format!(
            "notice {} was withdrawn",
            notice.id
        ))));
    }
    let latest = notice.latest();
    if latest.number != number {
        return Err(Error::Conflict(crate::model::Reason::Detail(format!(
            "revision {number} of notice {} is not the newest (revision {} is): review the newest",
            notice.id, latest.number
        ))));
    }
    if latest.status != RevisionStatus::Submitted {
        return Err(Error::Conflict(crate::model::Reason::Detail(format!(
            "revision {number} of notice {} is {}, not submitted for review",
            notice.id,
            latest.status.as_str()
        ))));
    }
    Ok(latest)
}

/// Approves revision `number`: it becomes the live revision, shown on screens.
pub(in crate::service::domain) fn approve(
    conn: &Conn,
    actor: &User,
    id: &str,
    number: i64,
    confidentiality_confirmed: bool,
    now: Timestamp,
) -> Result<(), Error> {
    actor.require(&[Role::Reviewer], "approve notices")?;
    if !confidentiality_confirmed {
        return Err(Error::invalid(
            "confidentiality_confirmed",
            crate::model::Reason::NotConfirmed,
        ));
    }
    let notice = get(conn, id)?;
    let revision = pending(&notice, number)?;
    let personal = personal_data(&revision.content);
    if !personal.is_empty() {
        return Err(Error::Invalid(personal));
    }
    let (author_id, stored_required) = store::author_and_reviews(conn, id, number)?;
    if author_id == actor.id {
        return Err(Error::Forbidden(crate::model::Reason::Detail(format!(
            "{} wrote revision {number} of notice {id}; another reviewer must approve it",
            actor.name
        ))));
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
            audit::Action::NoticeApprove,
            &format!("notice {id} revision {number}"),
            &format!(
                "{step}保密审查 confirmed; author {}; {}",
                revision.author, content.title
            ),
        )
    };
    if required == 2 {
        let approved_by = store::approved_by(conn, id, number)?;
        if approved_by.contains(&actor.id) {
            return Err(Error::Conflict(crate::model::Reason::Detail(format!(
                "{} approved revision {number} of notice {id} already: it needs a second, \
                 different reviewer (提级审核)",
                actor.name
            ))));
        }
        store::insert_approval(conn, id, number, actor.id, now)?;
        if approved_by.is_empty() {
            store::set_two_reviews(conn, id, number)?;
            return record("1 of 2 reviewers (提级审核): waits for a second; ");
        }
    }
    store::set_approved(conn, id, number, actor.id, required, now)?;
    store::set_live(conn, id, number)?;
    record(if required == 2 {
        "2 of 2 reviewers (提级审核); "
    } else {
        ""
    })
}

pub fn reject(
    conn: &Conn,
    actor: &User,
    id: &str,
    number: i64,
    reason: &str,
    now: Timestamp,
) -> Result<(), Error> {
    actor.require(&[Role::Reviewer], "reject notices")?;
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(Error::invalid(
            "reason",
            crate::model::Reason::NoRejectReason,
        ));
    }
    let notice = get(conn, id)?;
    pending(&notice, number)?;
    store::set_rejected(conn, id, number, actor.id, reason, now)?;
    audit::record(
        conn,
        now,
        &actor.name,
        audit::Action::NoticeReject,
        &format!("notice {id} revision {number}"),
        reason,
    )
}

/// Takes a notice off every screen for good. A reason is required (a 公示 pulled in the middle
/// of its period must say why): kept with the notice and in the audit log.
pub fn withdraw(
    conn: &Conn,
    actor: &User,
    id: &str,
    reason: &str,
    now: Timestamp,
) -> Result<(), Error> {
    actor.require(&[Role::Editor, Role::Reviewer], "withdraw notices")?;
    let notice = get(conn, id)?;
    if notice.withdrawn_at.is_some() {
        return Err(Error::Conflict(crate::model::Reason::Detail(format!(
            "notice {id} is already withdrawn"
        ))));
    }
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(Error::Invalid(vec![crate::model::Problem::new(
            "withdrawal",
            "reason",
            crate::model::Reason::Empty,
        )]));
    }
    take_down(conn, Author::Staff(actor), id, reason, now)?;
    audit::record(
        conn,
        now,
        &actor.name,
        audit::Action::NoticeWithdraw,
        &format!("notice {id}"),
        reason,
    )
}
