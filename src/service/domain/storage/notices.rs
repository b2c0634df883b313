//! The notices workflow's SQL: every write of the notices door (`notices::open`,
//! `write_revision`, `take_down`, `submit`, `approve`, `reject`) and what the review reads of a
//! revision. The notices' reads are `storage::reads`'.

use super::sql::{OptionalExtension, params};

use super::Conn;
use crate::model::Timestamp;
use crate::service::domain::error::Error;

/// What a new revision is when it is written.
#[derive(Debug, Clone, Copy)]
pub(in crate::service::domain) enum NewRevision<'a> {
    /// A staff member's draft.
    Draft,
    /// An alert source's revision, waiting for one reviewer.
    Submitted,
    /// A directly publishing source's revision: approved as it is written, recorded with the
    /// source's name (`revisions.direct_source`, which the schema requires for it).
    Direct { source: &'a str },
}

/// The highest notice id starting with `prefix` (`2026-`), if any.
pub(in crate::service::domain) fn last_id(
    conn: &Conn,
    prefix: &str,
) -> Result<Option<String>, Error> {
    Ok(conn
        .query_row(
            "SELECT id FROM notices WHERE id LIKE ?1 ORDER BY id DESC LIMIT 1",
            [format!("{prefix}%")],
            |r| r.get(0),
        )
        .optional()?)
}

pub(in crate::service::domain) fn insert_notice(
    conn: &Conn,
    id: &str,
    created_by: i64,
    now: Timestamp,
) -> Result<(), Error> {
    conn.execute(
        "INSERT INTO notices (id, created_by, created_at) VALUES (?1, ?2, ?3)",
        params![id, created_by, now.to_rfc3339()],
    )?;
    Ok(())
}

/// Marks the notice's undecided revisions (draft, submitted) superseded.
pub(in crate::service::domain) fn supersede_pending(conn: &Conn, id: &str) -> Result<(), Error> {
    conn.execute(
        "UPDATE revisions SET status = 'superseded'
         WHERE notice_id = ?1 AND status IN ('draft', 'submitted')",
        [id],
    )?;
    Ok(())
}

/// Inserts revision `number` of notice `id`, written by user `author_id`; `content` is the
/// `NoticeInput` as JSON.
pub(in crate::service::domain) fn insert_revision(
    conn: &Conn,
    id: &str,
    number: i64,
    author_id: i64,
    content: &str,
    kind: NewRevision,
    now: Timestamp,
) -> Result<(), Error> {
    let now = now.to_rfc3339();
    match kind {
        NewRevision::Draft => conn.execute(
            "INSERT INTO revisions (notice_id, number, author_id, created_at, content, status)
             VALUES (?1, ?2, ?3, ?4, ?5, 'draft')",
            params![id, number, author_id, now, content],
        )?,
        NewRevision::Submitted => conn.execute(
            "INSERT INTO revisions (notice_id, number, author_id, created_at, content, status,
                 submitted_at)
             VALUES (?1, ?2, ?3, ?4, ?5, 'submitted', ?4)",
            params![id, number, author_id, now, content],
        )?,
        NewRevision::Direct { source } => conn.execute(
            "INSERT INTO revisions (notice_id, number, author_id, created_at, content, status,
                 submitted_at, reviewed_at, direct_source)
             VALUES (?1, ?2, ?3, ?4, ?5, 'approved', ?4, ?4, ?6)",
            params![id, number, author_id, now, content, source],
        )?,
    };
    Ok(())
}

/// Revision `number` becomes the one screens show.
pub(in crate::service::domain) fn set_live(
    conn: &Conn,
    id: &str,
    number: i64,
) -> Result<(), Error> {
    conn.execute(
        "UPDATE notices SET live_revision = ?1 WHERE id = ?2",
        params![number, id],
    )?;
    Ok(())
}

pub(in crate::service::domain) fn set_withdrawn(
    conn: &Conn,
    id: &str,
    (by, reason): (&str, &str),
    now: Timestamp,
) -> Result<(), Error> {
    conn.execute(
        "UPDATE notices SET withdrawn_at = ?1, withdrawn_by = ?2, withdrawn_reason = ?3
         WHERE id = ?4",
        params![now.to_rfc3339(), by, reason, id],
    )?;
    Ok(())
}

pub(in crate::service::domain) fn set_submitted(
    conn: &Conn,
    id: &str,
    number: i64,
    now: Timestamp,
) -> Result<(), Error> {
    conn.execute(
        "UPDATE revisions SET status = 'submitted', submitted_at = ?1
         WHERE notice_id = ?2 AND number = ?3",
        params![now.to_rfc3339(), id, number],
    )?;
    Ok(())
}

/// Who wrote revision `number`, and how many reviewers it was found to need so far.
pub(in crate::service::domain) fn author_and_reviews(
    conn: &Conn,
    id: &str,
    number: i64,
) -> Result<(i64, u8), Error> {
    Ok(conn.query_row(
        "SELECT author_id, reviews_required FROM revisions WHERE notice_id = ?1 AND number = ?2",
        params![id, number],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?)
}

/// The reviewers who approved revision `number` so far (提级审核).
pub(in crate::service::domain) fn approved_by(
    conn: &Conn,
    id: &str,
    number: i64,
) -> Result<Vec<i64>, Error> {
    Ok(conn
        .prepare("SELECT reviewer_id FROM approvals WHERE notice_id = ?1 AND number = ?2")?
        .query_map(params![id, number], |r| r.get(0))?
        .collect::<Result<_, _>>()?)
}

/// One reviewer's approval of a revision that needs two.
pub(in crate::service::domain) fn insert_approval(
    conn: &Conn,
    id: &str,
    number: i64,
    reviewer: i64,
    now: Timestamp,
) -> Result<(), Error> {
    conn.execute(
        "INSERT INTO approvals (notice_id, number, reviewer_id, approved_at,
                                confidentiality_confirmed)
         VALUES (?1, ?2, ?3, ?4, 1)",
        params![id, number, reviewer, now.to_rfc3339()],
    )?;
    Ok(())
}

/// Revision `number` needs two reviewers, whatever its groups' policies say later.
pub(in crate::service::domain) fn set_two_reviews(
    conn: &Conn,
    id: &str,
    number: i64,
) -> Result<(), Error> {
    conn.execute(
        "UPDATE revisions SET reviews_required = 2 WHERE notice_id = ?1 AND number = ?2",
        params![id, number],
    )?;
    Ok(())
}

pub(in crate::service::domain) fn set_approved(
    conn: &Conn,
    id: &str,
    number: i64,
    reviewer: i64,
    required: u8,
    now: Timestamp,
) -> Result<(), Error> {
    conn.execute(
        "UPDATE revisions SET status = 'approved', reviewer_id = ?1, reviewed_at = ?2,
                confidentiality_confirmed = 1, reviews_required = ?5
         WHERE notice_id = ?3 AND number = ?4",
        params![reviewer, now.to_rfc3339(), id, number, required],
    )?;
    Ok(())
}

pub(in crate::service::domain) fn set_rejected(
    conn: &Conn,
    id: &str,
    number: i64,
    reviewer: i64,
    reason: &str,
    now: Timestamp,
) -> Result<(), Error> {
    conn.execute(
        "UPDATE revisions SET status = 'rejected', reviewer_id = ?1, reviewed_at = ?2,
                reject_reason = ?3
         WHERE notice_id = ?4 AND number = ?5",
        params![reviewer, now.to_rfc3339(), reason, id, number],
    )?;
    Ok(())
}
