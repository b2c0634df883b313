//! The sessions' SQL (`sessions`): what a login checks of a user, and the `sessions` table's
//! rows (by their token's hash), started, resumed, extended and ended.

use super::sql::{OptionalExtension, params};

use super::Conn;
use super::accounts::{UserRow, user_row};
use crate::model::Timestamp;
use crate::service::domain::error::Error;

/// The user of login name `name` and their password's hash, unless disabled.
pub(in crate::service::domain) fn login_record(
    conn: &Conn,
    name: &str,
) -> Result<Option<(UserRow, String)>, Error> {
    Ok(conn
        .query_row(
            "SELECT id, name, role, must_change_password, password_hash FROM users
             WHERE name = ?1 AND disabled_at IS NULL",
            [name],
            |r| Ok((user_row(r)?, r.get(4)?)),
        )
        .optional()?)
}

/// Deletes the sessions that expired before `now`.
pub(in crate::service::domain) fn delete_expired(conn: &Conn, now: Timestamp) -> Result<(), Error> {
    conn.execute(
        "DELETE FROM sessions WHERE expires_at < ?1",
        [now.to_rfc3339()],
    )?;
    Ok(())
}

/// A session of user `user_id`, by its token's hash, started `now`, ending at `expires`.
pub(in crate::service::domain) fn insert_session(
    conn: &Conn,
    token_hash: &str,
    user_id: i64,
    csrf: &str,
    now: Timestamp,
    expires: Timestamp,
) -> Result<(), Error> {
    conn.execute(
        "INSERT INTO sessions (token_hash, user_id, csrf, created_at, expires_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            token_hash,
            user_id,
            csrf,
            now.to_rfc3339(),
            expires.to_rfc3339()
        ],
    )?;
    Ok(())
}

/// The session's user (unless disabled), its CSRF token, and when it started and ends (as
/// stored).
pub(in crate::service::domain) fn session(
    conn: &Conn,
    token_hash: &str,
) -> Result<Option<(UserRow, String, String, String)>, Error> {
    Ok(conn
        .query_row(
            "SELECT u.id, u.name, u.role, u.must_change_password, s.csrf, s.created_at,
                    s.expires_at
             FROM sessions s JOIN users u ON u.id = s.user_id
             WHERE s.token_hash = ?1 AND u.disabled_at IS NULL",
            [token_hash],
            |r| Ok((user_row(r)?, r.get(4)?, r.get(5)?, r.get(6)?)),
        )
        .optional()?)
}

pub(in crate::service::domain) fn delete_session(
    conn: &Conn,
    token_hash: &str,
) -> Result<(), Error> {
    conn.execute("DELETE FROM sessions WHERE token_hash = ?1", [token_hash])?;
    Ok(())
}

/// The session now ends at `expires`.
pub(in crate::service::domain) fn set_expires(
    conn: &Conn,
    token_hash: &str,
    expires: Timestamp,
) -> Result<(), Error> {
    conn.execute(
        "UPDATE sessions SET expires_at = ?1 WHERE token_hash = ?2",
        params![expires.to_rfc3339(), token_hash],
    )?;
    Ok(())
}

/// The name of the session's user (disabled or not).
pub(in crate::service::domain) fn session_user_name(
    conn: &Conn,
    token_hash: &str,
) -> Result<Option<String>, Error> {
    Ok(conn
        .query_row(
            "SELECT u.name FROM sessions s JOIN users u ON u.id = s.user_id
             WHERE s.token_hash = ?1",
            [token_hash],
            |r| r.get(0),
        )
        .optional()?)
}

/// Keeps `body`, a form user `user_id` sent to `path` after their session ended, replacing any
/// form held for them before.
pub(in crate::service::domain) fn hold_form(
    conn: &Conn,
    user_id: i64,
    path: &str,
    content_type: &str,
    body: &[u8],
    now: Timestamp,
) -> Result<(), Error> {
    conn.execute(
        "INSERT INTO held_forms (user_id, path, content_type, body, held_at)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (user_id) DO UPDATE SET path = ?2, content_type = ?3, body = ?4,
             held_at = ?5",
        params![user_id, path, content_type, body, now.to_rfc3339()],
    )?;
    Ok(())
}

/// The form held for user `user_id` if held since `since`: path, content type, body. Taken:
/// it is deleted (an older one too).
pub(in crate::service::domain) fn take_held_form(
    conn: &Conn,
    user_id: i64,
    since: Timestamp,
) -> Result<Option<(String, String, Vec<u8>)>, Error> {
    let held = conn
        .query_row(
            "SELECT path, content_type, body FROM held_forms
             WHERE user_id = ?1 AND held_at >= ?2",
            params![user_id, since.to_rfc3339()],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    conn.execute("DELETE FROM held_forms WHERE user_id = ?1", [user_id])?;
    Ok(held)
}

/// Whether a form waits for user `user_id` (held since `since`).
pub(in crate::service::domain) fn has_held_form(
    conn: &Conn,
    user_id: i64,
    since: Timestamp,
) -> Result<bool, Error> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM held_forms WHERE user_id = ?1 AND held_at >= ?2)",
        params![user_id, since.to_rfc3339()],
        |r| r.get(0),
    )?)
}
