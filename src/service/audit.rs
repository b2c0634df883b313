//! The audit log: who did what, when. Only ever appended to (the database refuses updates and
//! deletes of it).

use rusqlite::{Connection, params};
use serde::Serialize;
use utoipa::ToSchema;

use super::error::ServiceError;
use crate::model::Timestamp;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AuditEntry {
    pub id: i64,
    pub at: String,
    /// A user's name, `screen:<id>` or `system`.
    pub actor: String,
    /// e.g. `notice.approve`.
    pub action: String,
    /// e.g. `notice 2026-0003 revision 2`.
    pub subject: String,
    pub detail: String,
}

pub fn record(
    conn: &Connection,
    now: Timestamp,
    actor: &str,
    action: &str,
    subject: &str,
    detail: &str,
) -> Result<(), ServiceError> {
    conn.execute(
        "INSERT INTO audit (at, actor, action, subject, detail) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![now.to_rfc3339(), actor, action, subject, detail],
    )?;
    Ok(())
}

/// The newest entries first, `limit` of them before entry id `before` (paging).
pub fn list(
    conn: &Connection,
    before: Option<i64>,
    limit: u32,
) -> Result<Vec<AuditEntry>, ServiceError> {
    let mut stmt = conn.prepare(
        "SELECT id, at, actor, action, subject, detail FROM audit
         WHERE id < ?1 ORDER BY id DESC LIMIT ?2",
    )?;
    let rows = stmt
        .query_map(params![before.unwrap_or(i64::MAX), limit.min(1000)], |r| {
            Ok(AuditEntry {
                id: r.get(0)?,
                at: r.get(1)?,
                actor: r.get(2)?,
                action: r.get(3)?,
                subject: r.get(4)?,
                detail: r.get(5)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}
