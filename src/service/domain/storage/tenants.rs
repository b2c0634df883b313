//! The SQL of `tenants`: the platform's list of districts, in the platform's own database.

use super::Conn;
use super::sql::{OptionalExtension, params};
use crate::service::domain::error::Error;

/// A row of `tenants`: name, title, created_at.
pub(in crate::service::domain) type TenantRow = (String, String, String);

pub(in crate::service::domain) fn insert(
    conn: &Conn,
    name: &str,
    title: &str,
    by: &str,
    at: &str,
) -> Result<usize, Error> {
    Ok(conn.execute(
        "INSERT INTO tenants (name, title, created_by, created_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (name) DO NOTHING",
        params![name, title, by, at],
    )?)
}

pub(in crate::service::domain) fn list(conn: &Conn) -> Result<Vec<TenantRow>, Error> {
    Ok(conn.query_all(
        "SELECT name, title, created_at FROM tenants ORDER BY name",
        [],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?)
}

pub(in crate::service::domain) fn get(conn: &Conn, name: &str) -> Result<Option<TenantRow>, Error> {
    Ok(conn
        .query_row(
            "SELECT name, title, created_at FROM tenants WHERE name = ?1",
            [name],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?)
}

/// What a tenant's health is read from: each screen's last report and error, the groups, the
/// newest signed feed, the revisions waiting for review. Counts and times only: nothing of
/// what the notices say.
pub(in crate::service::domain) struct HealthRow {
    pub screens: Vec<(Option<String>, Option<String>)>,
    pub groups: i64,
    pub newest_feed: Option<String>,
    pub waiting: i64,
}

pub(in crate::service::domain) fn health(conn: &Conn) -> Result<HealthRow, Error> {
    Ok(HealthRow {
        screens: conn.query_all("SELECT last_seen, last_error FROM screens", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?,
        groups: conn.query_row("SELECT CAST(COUNT(*) AS BIGINT) FROM groups", [], |r| {
            r.get(0)
        })?,
        newest_feed: conn.query_row("SELECT MAX(generated_at) FROM feeds", [], |r| r.get(0))?,
        waiting: conn.query_row(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM revisions WHERE status = 'submitted'",
            [],
            |r| r.get(0),
        )?,
    })
}
