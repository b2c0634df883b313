//! The audit log: who did what, when, from where, and whether it succeeded. Only ever appended
//! to (the database refuses updates, and deletes of entries younger than the retention period,
//! `MIN_RETENTION_DAYS` at least).
//!
//! The source address is the connection's: `Service` writes the client address of the request
//! it works for (or `host` for the command line and the service's own work) into the
//! connection's `temp.audit_context` whenever it hands the database out, and every entry takes
//! it from there, so no function that records has to be told.

use serde::Serialize;
use utoipa::ToSchema;

use crate::model::Timestamp;
use crate::service::domain::error::Error;
use crate::service::domain::storage::Conn;
use crate::service::domain::storage::audit::{self as store, AuditRow};

mod action;

mod detail;

pub use action::{Action, Disposition, UnknownAction};
pub use detail::detail_zh;

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
    /// `success` or `failure` (a wrong password, a refused request); empty on entries written
    /// before results were recorded.
    #[serde(default)]
    pub result: String,
    /// The client's address (`203.0.113.7`), `host` (the command line, the service itself), or
    /// empty on entries written before sources were recorded.
    #[serde(default)]
    pub source: String,
}

/// Whether what an entry records succeeded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Success,
    Failure,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Success => "success",
            Outcome::Failure => "failure",
        }
    }
}

/// Entries are kept at least this long (等级保护: operation logs at least six months); an
/// office may keep them longer (`audit prune --keep-days`), never shorter.
pub const MIN_RETENTION_DAYS: i64 = 180;

/// Where the connection's next entries come from (`Service` sets it; see the module's doc).
pub fn set_source(conn: &Conn, source: &str) -> Result<(), Error> {
    store::set_source(conn, source)
}

pub fn record(
    conn: &Conn,
    now: Timestamp,
    actor: &str,
    action: Action,
    subject: &str,
    detail: &str,
) -> Result<(), Error> {
    record_outcome(conn, now, actor, action, subject, detail, Outcome::Success)
}

/// `record`, for something that may have failed (a wrong password, a refused request).
pub fn record_outcome(
    conn: &Conn,
    now: Timestamp,
    actor: &str,
    action: Action,
    subject: &str,
    detail: &str,
    outcome: Outcome,
) -> Result<(), Error> {
    store::insert_entry(
        conn,
        &now.to_rfc3339(),
        actor,
        action.as_str(),
        subject,
        detail,
        outcome.as_str(),
    )
}

/// What `prune` did with an export's entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pruned {
    /// Deleted: in the export, the same in the database, older than the retention.
    pub deleted: usize,
    /// Kept: younger than the retention.
    pub young: usize,
    /// Kept: the database's entry of that id differs from the export's (or the export's time
    /// does not parse): something is wrong, the auditor should look.
    pub mismatched: usize,
    /// Already gone (an earlier prune of an overlapping export).
    pub gone: usize,
}

/// Deletes the entries of a verified export (`verify_export`) that are older than `keep_days`
/// (at least `MIN_RETENTION_DAYS`) and whose every field in the database is what the export
/// holds: only what is archived, signed, leaves the database. Age is measured from the earlier
/// of the clock and the newest entry (the database's trigger does the same), so a clock set
/// forward does not make young entries old. Audited with the export's range and the counts.
pub fn prune(
    conn: &Conn,
    actor: &str,
    export: &Export,
    keep_days: i64,
    now: Timestamp,
) -> Result<Pruned, Error> {
    if keep_days < MIN_RETENTION_DAYS {
        return Err(Error::invalid(
            "keep_days",
            crate::model::Reason::KeepTooShort {
                days: keep_days,
                min: MIN_RETENTION_DAYS,
            },
        ));
    }
    let newest = store::newest_at(conn)?;
    let newest = newest
        .and_then(|t| Timestamp::parse_from_rfc3339(&t).ok())
        .map_or(now, |t| t.min(now));
    let cutoff = newest - chrono::Duration::days(keep_days);
    let mut pruned = Pruned::default();
    for e in &export.entries {
        match Timestamp::parse_from_rfc3339(&e.at) {
            Ok(at) if at < cutoff => {}
            Ok(_) => {
                pruned.young += 1;
                continue;
            }
            Err(_) => {
                pruned.mismatched += 1;
                continue;
            }
        }
        let deleted = store::delete_if_same(conn, &AuditRow::from(e.clone()))?;
        if deleted == 1 {
            pruned.deleted += 1;
        } else {
            if store::entry_exists(conn, e.id)? {
                pruned.mismatched += 1;
            } else {
                pruned.gone += 1;
            }
        }
    }
    record_outcome(
        conn,
        now,
        actor,
        Action::AuditPrune,
        &format!("audit export {}..{}", export.from_id, export.to_id),
        &format!(
            "{} entries deleted before {} (kept {keep_days} days); {} younger kept; {} already \
             gone; {} differing from the export kept",
            pruned.deleted,
            cutoff.to_rfc3339(),
            pruned.young,
            pruned.gone,
            pruned.mismatched
        ),
        if pruned.mismatched == 0 {
            Outcome::Success
        } else {
            Outcome::Failure
        },
    )?;
    Ok(pruned)
}

/// How long refusals of one session (or one unauthenticated client) on one route fold into one
/// audit entry.
pub const REFUSAL_FOLD: chrono::Duration = chrono::Duration::minutes(1);

/// Folds repeated refusals into one audit entry per key (a user and a route) and
/// `REFUSAL_FOLD`: an editor looping on a refused route once wrote 1,260 undeletable entries a
/// second. The next entry for the key says how many were folded since the last; a count left
/// over when the loop stops is written by the first refusal of anyone a minute later (the
/// sweep), so no burst shows as less than it was.
#[derive(Debug, Default)]
pub struct RefusalFolds {
    seen: std::collections::HashMap<String, Fold>,
    last_sweep: Option<Timestamp>,
}

#[derive(Debug)]
struct Fold {
    /// When the key's last entry was written.
    at: Timestamp,
    /// Refusals since, not written.
    folded: u64,
    actor: String,
    subject: String,
    why: String,
    /// The client's address of the last refusal.
    source: String,
}

/// An `access.denied` entry to write, from `source`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub actor: String,
    pub subject: String,
    pub detail: String,
    pub source: String,
}

impl RefusalFolds {
    /// The entries to write for this refusal (`actor` asked for `subject` from `source`,
    /// refused for `why`): none when it is folded into a later one; its own, with the count
    /// folded since the last; and, once a minute, the counts other keys left over.
    pub fn admit(
        &mut self,
        key: &str,
        (actor, subject, source): (&str, &str, &str),
        why: &str,
        now: Timestamp,
    ) -> Vec<Refusal> {
        let mut out = Vec::new();
        let expired = |f: &Fold| now - f.at >= REFUSAL_FOLD || now < f.at;
        if self
            .last_sweep
            .is_none_or(|t| now - t >= REFUSAL_FOLD || now < t)
        {
            self.last_sweep = Some(now);
            for (k, f) in self.seen.iter_mut() {
                if k != key && f.folded > 0 && expired(f) {
                    out.push(f.entry());
                    f.folded = 0;
                }
            }
            // Bounded: what is left has nothing pending or is within its minute.
            self.seen.retain(|_, f| f.folded > 0 || !expired(f));
        }
        match self.seen.get_mut(key) {
            Some(f) if !expired(f) => {
                f.folded += 1;
                f.why = why.to_string();
                f.source = source.to_string();
            }
            Some(f) => {
                f.why = why.to_string();
                f.source = source.to_string();
                out.push(f.entry());
                f.at = now;
                f.folded = 0;
            }
            None => {
                let f = Fold {
                    at: now,
                    folded: 0,
                    actor: actor.to_string(),
                    subject: subject.to_string(),
                    why: why.to_string(),
                    source: source.to_string(),
                };
                out.push(f.entry());
                self.seen.insert(key.to_string(), f);
            }
        }
        out
    }
}

impl Fold {
    fn entry(&self) -> Refusal {
        let mut detail = self.why.clone();
        if self.folded > 0 {
            detail.push_str(&format!(
                "; refused {} more times since {} (folded)",
                self.folded,
                self.at.to_rfc3339()
            ));
        }
        Refusal {
            actor: self.actor.clone(),
            subject: self.subject.clone(),
            detail,
            source: self.source.clone(),
        }
    }
}

impl From<AuditRow> for AuditEntry {
    fn from(r: AuditRow) -> AuditEntry {
        AuditEntry {
            id: r.id,
            at: r.at,
            actor: r.actor,
            action: r.action,
            subject: r.subject,
            detail: r.detail,
            result: r.result,
            source: r.source,
        }
    }
}

impl From<AuditEntry> for AuditRow {
    fn from(e: AuditEntry) -> AuditRow {
        AuditRow {
            id: e.id,
            at: e.at,
            actor: e.actor,
            action: e.action,
            subject: e.subject,
            detail: e.detail,
            result: e.result,
            source: e.source,
        }
    }
}

/// The newest entries first, `limit` of them before entry id `before` (paging).
pub fn list(conn: &Conn, before: Option<i64>, limit: u32) -> Result<Vec<AuditEntry>, Error> {
    let rows = store::list_before(conn, before.unwrap_or(i64::MAX), limit.min(1000))?;
    Ok(rows.into_iter().map(AuditEntry::from).collect())
}

/// What the auditor looks for: one person, one kind of action, one result, a span of days
/// (Beijing dates, inclusive). Empty fields match everything.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub actor: Option<String>,
    /// The stored action, e.g. `notice.withdraw`.
    pub action: Option<String>,
    /// `success` or `failure`.
    pub result: Option<String>,
    pub from: Option<chrono::NaiveDate>,
    pub to: Option<chrono::NaiveDate>,
}

impl Filter {
    pub fn is_empty(&self) -> bool {
        self.actor.is_none()
            && self.action.is_none()
            && self.result.is_none()
            && self.from.is_none()
            && self.to.is_none()
    }

    fn matches(&self, e: &AuditEntry) -> bool {
        let day = Timestamp::parse_from_rfc3339(&e.at)
            .ok()
            .map(|t| crate::model::beijing(t).date_naive());
        self.actor.as_ref().is_none_or(|a| *a == e.actor)
            && self.action.as_ref().is_none_or(|a| *a == e.action)
            && self.result.as_ref().is_none_or(|r| *r == e.result)
            && self.from.is_none_or(|from| day.is_some_and(|d| d >= from))
            && self.to.is_none_or(|to| day.is_some_and(|d| d <= to))
    }
}

/// The newest `limit` entries before entry id `before` that `filter` lets through. Read in
/// chunks, newest first, until enough are found: the log's dates are instants written in any
/// offset, so days are compared as Beijing dates here rather than as text in SQL.
pub fn search(
    conn: &Conn,
    filter: &Filter,
    before: Option<i64>,
    limit: u32,
) -> Result<Vec<AuditEntry>, Error> {
    let limit = limit.min(1000) as usize;
    let mut found = Vec::new();
    let mut before = before.unwrap_or(i64::MAX);
    loop {
        let rows = store::list_before(conn, before, 1000)?;
        let Some(last) = rows.last() else { break };
        before = last.id;
        for e in rows.into_iter().map(AuditEntry::from) {
            if filter.matches(&e) {
                found.push(e);
                if found.len() == limit {
                    return Ok(found);
                }
            }
        }
    }
    Ok(found)
}

/// Who did it, as the auditor reads it: a user's name, the service itself, the command line.
pub fn actor_zh(actor: &str) -> String {
    match actor {
        "system" => "系统".into(),
        "command line" => "服务器命令行".into(),
        a => match a.strip_prefix("screen:") {
            Some(id) => format!("屏幕 {id}"),
            None => a.to_string(),
        },
    }
}

/// What it was done to: `notice 2026-0001 revision 2` reads 公告 2026-0001 第 2 版.
pub fn subject_zh(subject: &str) -> String {
    if let Some(id) = subject.strip_prefix("feed key") {
        return format!("信息流签名密钥{id}");
    }
    let (kind, rest) = subject.split_once(' ').unwrap_or((subject, ""));
    let kind = match kind {
        "notice" => "公告",
        "group" => "屏幕组",
        "user" => "用户",
        "screen" => "屏幕",
        "source" => "预警来源",
        "alert" => "预警",
        "console" => "控制台",
        "session" => "接口",
        "file" => "文件",
        "asset" => "图片",
        "calendar" => "工作日历",
        "audit" => "审计日志",
        _ => return subject.to_string(),
    };
    match rest.split_once(" revision ") {
        Some((id, n)) => format!("{kind} {id} 第 {n} 版"),
        None if rest.is_empty() => kind.to_string(),
        None => format!("{kind} {rest}"),
    }
}

/// 成功 or 失败.
pub fn result_zh(result: &str) -> &str {
    match result {
        "success" => "成功",
        "failure" => "失败",
        other => other,
    }
}

/// The stored action as the auditor reads it (an unknown one as stored).
pub fn action_zh(action: &str) -> String {
    action
        .parse::<Action>()
        .map_or_else(|_| action.to_string(), |a| a.zh().to_string())
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
pub fn export(conn: &Conn, since: Option<&str>, now: Timestamp) -> Result<Export, Error> {
    let entries: Vec<AuditEntry> = store::list_since(conn, since.unwrap_or(""))?
        .into_iter()
        .map(AuditEntry::from)
        .collect();
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
    let field = |s: &str| format!("\"{}\"", csv_cell(s).replace('"', "\"\""));
    // Chinese headers and Beijing time, as the auditor reads it in Excel or WPS; the stored
    // action code and the instant as recorded (UTC offset included) kept in columns of their
    // own, for tools and for matching the signed export.
    let mut out = String::from(
        "\u{feff}编号,时间（北京时间）,操作人,操作,对象,说明,结果,来源地址,操作代码,记录时间\n",
    );
    for e in &export.entries {
        let beijing = Timestamp::parse_from_rfc3339(&e.at).map_or_else(
            |_| e.at.clone(),
            |t| {
                crate::model::beijing(t)
                    .format("%Y-%m-%d %H:%M:%S")
                    .to_string()
            },
        );
        let source = match e.source.as_str() {
            "host" => "服务器本机",
            s => s,
        };
        out.push_str(&format!(
            "{},{},{},{},{},{},{},{},{},{}\n",
            e.id,
            field(&beijing),
            field(&actor_zh(&e.actor)),
            field(&action_zh(&e.action)),
            field(&subject_zh(&e.subject)),
            field(&e.detail),
            field(result_zh(&e.result)),
            field(source),
            field(&e.action),
            field(&e.at)
        ));
    }
    out
}

/// A cell's text as no spreadsheet takes for a formula (OWASP's CSV injection advice): one that
/// begins with = + - @, a tab or a carriage return gets a leading apostrophe. Anyone may choose
/// what lands in a cell (a login name typed at the login form reaches the audit log), and the
/// auditor opens the file in Excel or WPS. Every CSV the service writes passes its cells here.
pub fn csv_cell(s: &str) -> std::borrow::Cow<'_, str> {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}").into()
    } else {
        s.into()
    }
}

/// Why an audit export does not verify.
#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    #[error(transparent)]
    Envelope(#[from] crate::feed::envelope::EnvelopeError),
    #[error("not an audit export: {0}")]
    NotAnExport(serde_json::Error),
    #[error("entry {expected} is missing (next is {next})")]
    Gap { expected: i64, next: i64 },
    #[error("the export ends at {ends} but says {says}")]
    WrongEnd { ends: i64, says: i64 },
}

/// `noticecast audit verify`: the export's signature by `key`, and its entries consecutive
/// from `from_id` to `to_id` (the database numbers them so: a dropped entry leaves a gap).
pub fn verify_export(
    envelope_json: &[u8],
    key: &crate::feed::TrustedKey,
) -> Result<Export, VerifyError> {
    let envelope = crate::feed::Envelope::from_json(envelope_json)?;
    let payload = envelope.verify_as(EXPORT_PAYLOAD_TYPE, std::slice::from_ref(key))?;
    let export: Export = serde_json::from_slice(&payload).map_err(VerifyError::NotAnExport)?;
    let mut expected = export.from_id;
    for e in &export.entries {
        if e.id != expected {
            return Err(VerifyError::Gap {
                expected,
                next: e.id,
            });
        }
        expected += 1;
    }
    if !export.entries.is_empty() && expected - 1 != export.to_id {
        return Err(VerifyError::WrongEnd {
            ends: expected - 1,
            says: export.to_id,
        });
    }
    Ok(export)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Timestamp {
        chrono::DateTime::parse_from_rfc3339(s).unwrap()
    }

    #[test]
    fn entries_say_where_from_and_are_kept_at_least_180_days() {
        let conn = super::super::storage::open_in_memory().unwrap();
        // Outside any request: the host.
        record(
            &conn,
            t("2024-01-05T09:00:00+08:00"),
            "system",
            Action::KeyCreate,
            "k",
            "",
        )
        .unwrap();
        set_source(&conn, "203.0.113.7").unwrap();
        let now = chrono::Utc::now().with_timezone(&crate::model::beijing_offset());
        record_outcome(
            &conn,
            now,
            "王芳",
            Action::LoginFailed,
            "api",
            "",
            Outcome::Failure,
        )
        .unwrap();
        let entries = list(&conn, None, 10).unwrap();
        assert_eq!(
            (entries[0].source.as_str(), entries[0].result.as_str()),
            ("203.0.113.7", "failure")
        );
        assert_eq!(
            (entries[1].source.as_str(), entries[1].result.as_str()),
            ("host", "success")
        );
        // Younger than 180 days: the database refuses to delete it, whatever asks.
        assert!(
            conn.execute("DELETE FROM audit WHERE actor = '王芳'", [])
                .is_err()
        );
        // A shorter retention is refused; 180 days removes the old entry of the export only,
        // and says so.
        let all = export(&conn, None, now).unwrap();
        let err = prune(&conn, "command line", &all, 179, now)
            .unwrap_err()
            .to_string();
        assert!(err.contains("180"), "{err}");
        let pruned = prune(&conn, "command line", &all, 180, now).unwrap();
        assert_eq!((pruned.deleted, pruned.young), (1, 1));
        let actions: Vec<String> = list(&conn, None, 10)
            .unwrap()
            .into_iter()
            .map(|e| e.action)
            .collect();
        assert_eq!(actions, ["audit.prune", "login.failed"]);
    }
}
