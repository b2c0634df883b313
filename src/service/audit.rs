//! The audit log: who did what, when. Only ever appended to (the database refuses updates and
//! deletes of it).

use rusqlite::{Connection, params};
use serde::Serialize;
use utoipa::ToSchema;

use super::error::ServiceError;
use crate::model::Timestamp;

#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize, ToSchema)]
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

/// A row of `SELECT id, at, actor, action, subject, detail FROM audit`.
fn entry(r: &rusqlite::Row) -> rusqlite::Result<AuditEntry> {
    Ok(AuditEntry {
        id: r.get(0)?,
        at: r.get(1)?,
        actor: r.get(2)?,
        action: r.get(3)?,
        subject: r.get(4)?,
        detail: r.get(5)?,
    })
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
        .query_map(params![before.unwrap_or(i64::MAX), limit.min(1000)], entry)?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// The payload type of a signed audit export.
pub const EXPORT_PAYLOAD_TYPE: &str = "application/vnd.noticecast.audit+json";

/// An export of the audit log for archiving: entries `from_id..=to_id`, all of them, oldest
/// first; signed, a gap or a changed entry is found by `verify_export`.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize, ToSchema)]
pub struct Export {
    pub format: String,
    pub exported_at: String,
    pub from_id: i64,
    pub to_id: i64,
    pub entries: Vec<AuditEntry>,
}

/// Every entry from `since` (RFC 3339; all without), oldest first.
pub fn export(
    conn: &Connection,
    since: Option<&str>,
    now: Timestamp,
) -> Result<Export, ServiceError> {
    let mut stmt = conn.prepare(
        "SELECT id, at, actor, action, subject, detail FROM audit
         WHERE id >= COALESCE((SELECT MIN(id) FROM audit WHERE at >= ?1), 9223372036854775807)
         ORDER BY id",
    )?;
    let entries = stmt
        .query_map(params![since.unwrap_or("")], entry)?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Export {
        format: "noticecast-audit/1".into(),
        exported_at: now.to_rfc3339(),
        from_id: entries.first().map_or(0, |e| e.id),
        to_id: entries.last().map_or(0, |e| e.id),
        entries,
    })
}

/// The export as CSV (UTF-8 with a BOM, for the spreadsheet an auditor opens it in).
pub fn to_csv(export: &Export) -> String {
    let field = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
    let mut out = String::from("\u{feff}id,at,actor,action,subject,detail\n");
    for e in &export.entries {
        out.push_str(&format!(
            "{},{},{},{},{},{}\n",
            e.id,
            field(&e.at),
            field(&e.actor),
            field(&e.action),
            field(&e.subject),
            field(&e.detail)
        ));
    }
    out
}

/// `noticecast audit verify`: the export's signature by `key`, and its entries consecutive
/// from `from_id` to `to_id` (the database numbers them so: a dropped entry leaves a gap).
pub fn verify_export(
    envelope_json: &[u8],
    key: &crate::feed::TrustedKey,
) -> Result<Export, String> {
    let envelope = crate::feed::Envelope::from_json(envelope_json).map_err(|e| e.to_string())?;
    let payload = envelope
        .verify_as(EXPORT_PAYLOAD_TYPE, std::slice::from_ref(key))
        .map_err(|e| e.to_string())?;
    let export: Export =
        serde_json::from_slice(&payload).map_err(|e| format!("not an audit export: {e}"))?;
    let mut expected = export.from_id;
    for e in &export.entries {
        if e.id != expected {
            return Err(format!("entry {expected} is missing (next is {})", e.id));
        }
        expected += 1;
    }
    if !export.entries.is_empty() && expected - 1 != export.to_id {
        return Err(format!(
            "the export ends at {} but says {}",
            expected - 1,
            export.to_id
        ));
    }
    Ok(export)
}
