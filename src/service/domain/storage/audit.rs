//! The audit log's SQL (`audit`): the connection's source, appending entries, reading them back
//! (pages, exports) and pruning what an export archived.

use super::sql::params;

use super::Conn;
use crate::service::domain::error::Error;

/// A row of `SELECT id, at, actor, action, subject, detail, result, source FROM audit`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(in crate::service::domain) struct AuditRow {
    pub id: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub detail: String,
    pub result: String,
    pub source: String,
}

fn row(r: &super::sql::Row<'_>) -> Result<AuditRow, super::sql::SqlError> {
    Ok(AuditRow {
        id: r.get(0)?,
        at: r.get(1)?,
        actor: r.get(2)?,
        action: r.get(3)?,
        subject: r.get(4)?,
        detail: r.get(5)?,
        result: r.get(6)?,
        source: r.get(7)?,
    })
}

/// Writes `source` into the connection's `audit_context`.
pub(in crate::service::domain) fn set_source(conn: &Conn, source: &str) -> Result<(), Error> {
    conn.prepare_cached(
        "INSERT INTO audit_context (id, source) VALUES (1, ?1)
         ON CONFLICT (id) DO UPDATE SET source = ?1",
    )?
    .execute([source])?;
    Ok(())
}

/// Appends an entry; its source is the connection's (`host` when none was set).
pub(in crate::service::domain) fn insert_entry(
    conn: &Conn,
    at: &str,
    actor: &str,
    action: &str,
    subject: &str,
    detail: &str,
    result: &str,
) -> Result<(), Error> {
    conn.prepare_cached(
        "INSERT INTO audit (at, actor, action, subject, detail, result, source)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6,
                 COALESCE((SELECT source FROM audit_context WHERE id = 1), 'host'))",
    )?
    .execute(params![at, actor, action, subject, detail, result])?;
    Ok(())
}

/// The time of the newest entry, if any.
pub(in crate::service::domain) fn newest_at(conn: &Conn) -> Result<Option<String>, Error> {
    Ok(conn.query_row("SELECT MAX(at) FROM audit", [], |r| r.get(0))?)
}

/// Deletes entry `e.id` if every field is still `e`'s; how many rows went (0 or 1).
pub(in crate::service::domain) fn delete_if_same(
    conn: &Conn,
    e: &AuditRow,
) -> Result<usize, Error> {
    Ok(conn.execute(
        "DELETE FROM audit WHERE id = ?1 AND at = ?2 AND actor = ?3 AND action = ?4
                 AND subject = ?5 AND detail = ?6 AND result = ?7 AND source = ?8",
        params![
            e.id, e.at, e.actor, e.action, e.subject, e.detail, e.result, e.source
        ],
    )?)
}

pub(in crate::service::domain) fn entry_exists(conn: &Conn, id: i64) -> Result<bool, Error> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM audit WHERE id = ?1)",
        [id],
        |r| r.get(0),
    )?)
}

/// The newest entries first, `limit` of them with ids below `before`.
pub(in crate::service::domain) fn list_before(
    conn: &Conn,
    before: i64,
    limit: u32,
) -> Result<Vec<AuditRow>, Error> {
    let mut stmt = conn.prepare(
        "SELECT id, at, actor, action, subject, detail, result, source FROM audit
         WHERE id < ?1 ORDER BY id DESC LIMIT ?2",
    )?;
    let rows = stmt
        .query_map(params![before, limit], row)?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// Every entry from the first one at or after `since` (RFC 3339; `""` for all), oldest first.
pub(in crate::service::domain) fn list_since(
    conn: &Conn,
    since: &str,
) -> Result<Vec<AuditRow>, Error> {
    let mut stmt = conn.prepare(
        "SELECT id, at, actor, action, subject, detail, result, source FROM audit
         WHERE id >= COALESCE((SELECT MIN(id) FROM audit WHERE at >= ?1), 9223372036854775807)
         ORDER BY id",
    )?;
    let rows = stmt
        .query_map(params![since], row)?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}
