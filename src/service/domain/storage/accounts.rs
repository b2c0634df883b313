//! The staff accounts' SQL (`accounts`): the `users` table's reads and writes, ending a user's
//! sessions when their password or state changes, and what the security administrator's grant
//! reads of the audit log (who handed over a one-time code, and where it was replaced from).

use std::collections::HashSet;

use super::sql::{OptionalExtension, params};

use super::Conn;
use crate::model::Timestamp;
use crate::service::domain::error::Error;

/// A row of `SELECT id, name, role, must_change_password ...`; `role` as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(in crate::service::domain) struct UserRow {
    pub id: i64,
    pub name: String,
    pub role: String,
    pub must_change_password: bool,
}

/// Reads the first four columns, `id, name, role, must_change_password`.
pub(in crate::service::domain::storage) fn user_row(
    r: &super::sql::Row<'_>,
) -> Result<UserRow, super::sql::SqlError> {
    Ok(UserRow {
        id: r.get(0)?,
        name: r.get(1)?,
        role: r.get(2)?,
        must_change_password: r.get(3)?,
    })
}

/// Whether a user of that name exists (disabled or not).
pub(in crate::service::domain) fn name_taken(conn: &Conn, name: &str) -> Result<bool, Error> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM users WHERE name = ?1)",
        [name],
        |r| r.get(0),
    )?)
}

/// Inserts a user (`role` as stored, `hash` the password's); returns the new id.
pub(in crate::service::domain) fn insert_user(
    conn: &Conn,
    name: &str,
    role: &str,
    hash: &str,
    now: Timestamp,
    must_change_password: bool,
) -> Result<i64, Error> {
    Ok(conn.query_row(
        "INSERT INTO users (name, role, password_hash, created_at, must_change_password)
         VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id",
        params![name, role, hash, now.to_rfc3339(), must_change_password],
        |r| r.get(0),
    )?)
}

pub(in crate::service::domain) fn user_by_name(
    conn: &Conn,
    name: &str,
) -> Result<Option<UserRow>, Error> {
    Ok(conn
        .query_row(
            "SELECT id, name, role, must_change_password FROM users WHERE name = ?1",
            [name],
            user_row,
        )
        .optional()?)
}

/// Every user, by name.
pub(in crate::service::domain) fn list_users(conn: &Conn) -> Result<Vec<UserRow>, Error> {
    let mut stmt =
        conn.prepare("SELECT id, name, role, must_change_password FROM users ORDER BY name")?;
    let users = stmt
        .query_map([], user_row)?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(users)
}

/// The names of disabled users.
pub(in crate::service::domain) fn disabled_names(conn: &Conn) -> Result<HashSet<String>, Error> {
    let mut stmt = conn.prepare("SELECT name FROM users WHERE disabled_at IS NOT NULL")?;
    let names = stmt
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    Ok(names)
}

/// The user's password becomes a one-time code's `hash`, to be replaced at the next login.
pub(in crate::service::domain) fn set_one_time_hash(
    conn: &Conn,
    id: i64,
    hash: &str,
) -> Result<(), Error> {
    conn.execute(
        "UPDATE users SET password_hash = ?1, must_change_password = 1 WHERE id = ?2",
        params![hash, id],
    )?;
    Ok(())
}

/// The user's own new password's `hash`; the one-time flag goes.
pub(in crate::service::domain) fn set_own_hash(
    conn: &Conn,
    id: i64,
    hash: &str,
) -> Result<(), Error> {
    conn.execute(
        "UPDATE users SET password_hash = ?1, must_change_password = 0 WHERE id = ?2",
        params![hash, id],
    )?;
    Ok(())
}

/// A password's `hash`, set by someone else (`update_user`); the one-time flag stays.
pub(in crate::service::domain) fn set_password_hash(
    conn: &Conn,
    id: i64,
    hash: &str,
) -> Result<(), Error> {
    conn.execute(
        "UPDATE users SET password_hash = ?1 WHERE id = ?2",
        params![hash, id],
    )?;
    Ok(())
}

/// The user has no role until one is granted again.
pub(in crate::service::domain) fn suspend_role(conn: &Conn, id: i64) -> Result<(), Error> {
    conn.execute("UPDATE users SET role = 'none' WHERE id = ?1", [id])?;
    Ok(())
}

/// `role` as stored.
pub(in crate::service::domain) fn set_role(conn: &Conn, id: i64, role: &str) -> Result<(), Error> {
    conn.execute(
        "UPDATE users SET role = ?1 WHERE id = ?2",
        params![role, id],
    )?;
    Ok(())
}

pub(in crate::service::domain) fn is_disabled(conn: &Conn, id: i64) -> Result<bool, Error> {
    Ok(conn.query_row(
        "SELECT disabled_at IS NOT NULL FROM users WHERE id = ?1",
        [id],
        |r| r.get(0),
    )?)
}

/// Disables the account since `at`, or (`None`) enables it.
pub(in crate::service::domain) fn set_disabled_at(
    conn: &Conn,
    id: i64,
    at: Option<Timestamp>,
) -> Result<(), Error> {
    conn.execute(
        "UPDATE users SET disabled_at = ?1 WHERE id = ?2",
        params![at.map(|t| t.to_rfc3339()), id],
    )?;
    Ok(())
}

/// Ends every session of the user.
pub(in crate::service::domain) fn delete_sessions_of(conn: &Conn, id: i64) -> Result<(), Error> {
    conn.execute("DELETE FROM sessions WHERE user_id = ?1", [id])?;
    Ok(())
}

/// Ends every session of the user but the one whose token hashes to `keep`; how many ended.
pub(in crate::service::domain) fn delete_other_sessions(
    conn: &Conn,
    id: i64,
    keep: Option<&str>,
) -> Result<usize, Error> {
    Ok(conn.execute(
        "DELETE FROM sessions WHERE user_id = ?1 AND token_hash IS DISTINCT FROM ?2",
        params![id, keep],
    )?)
}

/// An audit entry's id, actor, action, time and source (empty when none was recorded).
type Issued = (i64, String, String, String, String);

/// The newest `user.add`/`user.reset` entry of `subject` (`user 王芳`).
pub(in crate::service::domain) fn last_code_issued(
    conn: &Conn,
    subject: &str,
) -> Result<Option<Issued>, Error> {
    Ok(conn
        .query_row(
            "SELECT id, actor, action, at, COALESCE(source, '') FROM audit
             WHERE action IN ('user.add', 'user.reset') AND subject = ?1
             ORDER BY id DESC LIMIT 1",
            [subject],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .optional()?)
}

/// The first `user.password` entry of `name` after entry `after`: its time and source.
pub(in crate::service::domain) fn first_password_change_after(
    conn: &Conn,
    name: &str,
    after: i64,
) -> Result<Option<(String, String)>, Error> {
    Ok(conn
        .query_row(
            "SELECT at, COALESCE(source, '') FROM audit
             WHERE action = 'user.password' AND actor = ?1 AND id > ?2
             ORDER BY id LIMIT 1",
            params![name, after],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}

/// Whether the audit log has a `login` of `name` from `address`.
pub(in crate::service::domain) fn logged_in_from(
    conn: &Conn,
    name: &str,
    address: &str,
) -> Result<bool, Error> {
    Ok(conn
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM audit
                            WHERE action = 'login' AND actor = ?1 AND source = ?2)",
        )?
        .query_row(params![name, address], |r| r.get(0))?)
}
