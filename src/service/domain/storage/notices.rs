//! The notices door's writes in SQL (`notices::open`, `write_revision`, `take_down`, `approve`'s
//! live revision): the pattern for moving an area's SQL behind storage, so that a second database
//! is one more module like this one.

use rusqlite::{OptionalExtension, params};

use super::Conn;
use crate::model::Timestamp;
use crate::service::domain::error::ServiceError;

/// What a new revision is when it is written.
#[derive(Debug, Clone, Copy)]
pub enum NewRevision<'a> {
    /// A staff member's draft.
    Draft,
    /// An alert source's revision, waiting for one reviewer.
    Submitted,
    /// A directly publishing source's revision: approved as it is written, recorded with the
    /// source's name (`revisions.direct_source`, which the schema requires for it).
    Direct { source: &'a str },
}

/// The highest notice id starting with `prefix` (`2026-`), if any.
pub fn last_id(conn: &Conn, prefix: &str) -> Result<Option<String>, ServiceError> {
    Ok(conn
        .query_row(
            "SELECT id FROM notices WHERE id LIKE ?1 ORDER BY id DESC LIMIT 1",
            [format!("{prefix}%")],
            |r| r.get(0),
        )
        .optional()?)
}

pub fn insert_notice(
    conn: &Conn,
    id: &str,
    created_by: i64,
    now: Timestamp,
) -> Result<(), ServiceError> {
    conn.execute(
        "INSERT INTO notices (id, created_by, created_at) VALUES (?1, ?2, ?3)",
        params![id, created_by, now.to_rfc3339()],
    )?;
    Ok(())
}

/// Marks the notice's undecided revisions (draft, submitted) superseded.
pub fn supersede_pending(conn: &Conn, id: &str) -> Result<(), ServiceError> {
    conn.execute(
        "UPDATE revisions SET status = 'superseded'
         WHERE notice_id = ?1 AND status IN ('draft', 'submitted')",
        [id],
    )?;
    Ok(())
}

/// Inserts revision `number` of notice `id`, written by user `author_id`; `content` is the
/// `NoticeInput` as JSON.
pub fn insert_revision(
    conn: &Conn,
    id: &str,
    number: i64,
    author_id: i64,
    content: &str,
    kind: NewRevision,
    now: Timestamp,
) -> Result<(), ServiceError> {
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
pub fn set_live(conn: &Conn, id: &str, number: i64) -> Result<(), ServiceError> {
    conn.execute(
        "UPDATE notices SET live_revision = ?1 WHERE id = ?2",
        params![number, id],
    )?;
    Ok(())
}

pub fn set_withdrawn(conn: &Conn, id: &str, now: Timestamp) -> Result<(), ServiceError> {
    conn.execute(
        "UPDATE notices SET withdrawn_at = ?1 WHERE id = ?2",
        params![now.to_rfc3339(), id],
    )?;
    Ok(())
}
