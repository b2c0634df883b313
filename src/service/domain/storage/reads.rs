//! The SQL of `notices::read`: a notice with its revisions, the list's ids, and the live
//! revisions the feeds are made from. Reads only.

use super::sql::OptionalExtension;

use super::Conn;
use crate::service::domain::error::Error;

/// A notice's `(withdrawn_at, live_revision)`.
pub(in crate::service::domain) type NoticeHead = (Option<String>, Option<i64>);

/// Who withdrew a notice and why, if it was withdrawn.
pub(in crate::service::domain) fn withdrawal(
    conn: &Conn,
    id: &str,
) -> Result<(Option<String>, Option<String>), Error> {
    Ok(conn.query_row(
        "SELECT withdrawn_by, withdrawn_reason FROM notices WHERE id = ?1",
        [id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?)
}

/// The notice's head, if the notice exists.
pub(in crate::service::domain) fn notice_head(
    conn: &Conn,
    id: &str,
) -> Result<Option<NoticeHead>, Error> {
    Ok(conn
        .query_row(
            "SELECT withdrawn_at, live_revision FROM notices WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}

/// A revision as stored, with its people by name; `content` is the notice's JSON.
pub(in crate::service::domain) struct RevisionRow {
    pub number: i64,
    pub author: String,
    pub created_at: String,
    pub status: String,
    pub submitted_at: Option<String>,
    pub reviewer: Option<String>,
    pub reviewed_at: Option<String>,
    pub reject_reason: Option<String>,
    pub confidentiality_confirmed: bool,
    pub reviews_required: u8,
    /// The names of who approved it so far, comma-separated.
    pub approvals: Option<String>,
    pub content: String,
}

/// The notice's revisions, oldest first.
pub(in crate::service::domain) fn revisions(
    conn: &Conn,
    id: &str,
) -> Result<Vec<RevisionRow>, Error> {
    let concat = match conn.dialect() {
        super::Dialect::Sqlite => "group_concat(u.name, ',')",
        super::Dialect::Postgres => "string_agg(u.name, ',')",
    };
    let mut stmt = conn.prepare(&format!(
        "SELECT r.number, a.name, r.created_at, r.status, r.submitted_at, v.name, r.reviewed_at,
                r.reject_reason, r.confidentiality_confirmed, r.content, r.reviews_required,
                (SELECT {concat} FROM approvals p
                 JOIN users u ON u.id = p.reviewer_id
                 WHERE p.notice_id = r.notice_id AND p.number = r.number)
         FROM revisions r JOIN users a ON a.id = r.author_id
         LEFT JOIN users v ON v.id = r.reviewer_id
         WHERE r.notice_id = ?1 ORDER BY r.number"
    ))?;
    let rows = stmt
        .query_map([id], |r| {
            Ok(RevisionRow {
                number: r.get(0)?,
                author: r.get(1)?,
                created_at: r.get(2)?,
                status: r.get(3)?,
                submitted_at: r.get(4)?,
                reviewer: r.get(5)?,
                reviewed_at: r.get(6)?,
                reject_reason: r.get(7)?,
                confidentiality_confirmed: r.get(8)?,
                reviews_required: r.get(10)?,
                approvals: r.get(11)?,
                content: r.get(9)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// Every notice's id, newest first.
pub(in crate::service::domain) fn notice_ids(conn: &Conn) -> Result<Vec<String>, Error> {
    Ok(conn
        .prepare("SELECT id FROM notices ORDER BY created_at DESC, id DESC")?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?)
}

/// The live revision of every notice not withdrawn, as `(id, reviewed_at, content JSON)`.
pub(in crate::service::domain) fn live(
    conn: &Conn,
) -> Result<Vec<(String, String, String)>, Error> {
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
    Ok(rows)
}
