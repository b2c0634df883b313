//! The SQL of `alerts`: alert sources (their user rows, tokens and remits) and the alerts
//! received, by source and identifier.

use super::sql::{OptionalExtension, params};

use super::Conn;
use crate::service::domain::error::Error;

/// Replaces the source's remit with `codes`.
pub(in crate::service::domain) fn write_remit(
    conn: &Conn,
    name: &str,
    codes: &[String],
) -> Result<(), Error> {
    conn.execute("DELETE FROM source_areas WHERE source = ?1", [name])?;
    for code in codes {
        conn.execute(
            "INSERT INTO source_areas (source, code) VALUES (?1, ?2)
             ON CONFLICT DO NOTHING",
            params![name, code],
        )?;
    }
    Ok(())
}

/// The source's remit: its area codes, in order.
pub(in crate::service::domain) fn remit(conn: &Conn, name: &str) -> Result<Vec<String>, Error> {
    let mut stmt = conn.prepare("SELECT code FROM source_areas WHERE source = ?1 ORDER BY code")?;
    let codes = stmt
        .query_map([name], |r| r.get(0))?
        .collect::<Result<Vec<String>, _>>()?;
    Ok(codes)
}

/// Whether a source named `name` exists.
pub(in crate::service::domain) fn source_exists(conn: &Conn, name: &str) -> Result<bool, Error> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM sources WHERE name = ?1)",
        [name],
        |r| r.get(0),
    )?)
}

/// Source `name`'s revocation: `None` when there is no such source, `Some(None)` while it is
/// in use, `Some(Some(when))` once revoked.
pub(in crate::service::domain) fn source_revoked(
    conn: &Conn,
    name: &str,
) -> Result<Option<Option<String>>, Error> {
    Ok(conn
        .query_row(
            "SELECT revoked_at FROM sources WHERE name = ?1",
            [name],
            |r| r.get(0),
        )
        .optional()?)
}

/// Marks source `name` revoked by `by` at `now`: its token is refused from then on.
pub(in crate::service::domain) fn revoke_source(
    conn: &Conn,
    name: &str,
    by: &str,
    now: &str,
) -> Result<(), Error> {
    conn.execute(
        "UPDATE sources SET revoked_at = ?2, revoked_by = ?3 WHERE name = ?1",
        params![name, now, by],
    )?;
    Ok(())
}

/// Writes the user row a source writes as (`user_name`, which cannot log in); returns its id.
pub(in crate::service::domain) fn insert_source_user(
    conn: &Conn,
    user_name: &str,
    now: &str,
) -> Result<i64, Error> {
    // '!' is no password hash: nobody can log in as a source.
    Ok(conn.query_row(
        "INSERT INTO users (name, role, password_hash, created_at)
         VALUES (?1, 'editor', '!', ?2) RETURNING id",
        params![user_name, now],
        |r| r.get(0),
    )?)
}

/// Writes a source with its token's hash, writing as the user row `user_id`.
pub(in crate::service::domain) fn insert_source(
    conn: &Conn,
    name: &str,
    user_id: i64,
    token_hash: &str,
    publish: &str,
    now: &str,
) -> Result<(), Error> {
    conn.execute(
        "INSERT INTO sources (name, user_id, token_hash, publish, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![name, user_id, token_hash, publish, now],
    )?;
    Ok(())
}

/// A source as listed: its name, publish mode, creation time, alert count and last alert, and
/// its revocation.
pub(in crate::service::domain) struct SourceRow {
    pub name: String,
    pub publish: String,
    pub created_at: String,
    pub alerts: i64,
    pub last_alert: Option<String>,
    pub revoked_at: Option<String>,
    pub revoked_by: Option<String>,
}

/// Every source, by name.
pub(in crate::service::domain) fn list_sources(conn: &Conn) -> Result<Vec<SourceRow>, Error> {
    let mut stmt = conn.prepare(
        "SELECT s.name, s.publish, s.created_at,
                (SELECT COUNT(*) FROM alerts a WHERE a.source = s.name),
                (SELECT MAX(received_at) FROM alerts a WHERE a.source = s.name),
                s.revoked_at, s.revoked_by
         FROM sources s ORDER BY s.name",
    )?;
    let rows = stmt
        .query_map([], |r| {
            Ok(SourceRow {
                name: r.get(0)?,
                publish: r.get(1)?,
                created_at: r.get(2)?,
                alerts: r.get(3)?,
                last_alert: r.get(4)?,
                revoked_at: r.get(5)?,
                revoked_by: r.get(6)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// The source a token belongs to.
pub(in crate::service::domain) struct TokenOwner {
    pub name: String,
    pub user_id: i64,
    pub publish: String,
    pub revoked: bool,
}

/// The source whose token hashes to `token_hash`, revoked or not.
pub(in crate::service::domain) fn source_by_token(
    conn: &Conn,
    token_hash: &str,
) -> Result<Option<TokenOwner>, Error> {
    Ok(conn
        .query_row(
            "SELECT name, user_id, publish, revoked_at IS NOT NULL FROM sources
             WHERE token_hash = ?1",
            [token_hash],
            |r| {
                Ok(TokenOwner {
                    name: r.get(0)?,
                    user_id: r.get(1)?,
                    publish: r.get(2)?,
                    revoked: r.get(3)?,
                })
            },
        )
        .optional()?)
}

/// The notice the source's alert `identifier` became, if it was received.
pub(in crate::service::domain) fn alert_notice(
    conn: &Conn,
    source: &str,
    identifier: &str,
) -> Result<Option<String>, Error> {
    Ok(conn
        .query_row(
            "SELECT notice_id FROM alerts WHERE source = ?1 AND identifier = ?2",
            params![source, identifier],
            |r| r.get(0),
        )
        .optional()?)
}

/// Records a received alert and the notice it became.
pub(in crate::service::domain) fn insert_alert(
    conn: &Conn,
    source: &str,
    identifier: &str,
    msg_type: &str,
    notice_id: &str,
    now: &str,
) -> Result<(), Error> {
    conn.execute(
        "INSERT INTO alerts (source, identifier, msg_type, notice_id, received_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![source, identifier, msg_type, notice_id, now],
    )?;
    Ok(())
}
