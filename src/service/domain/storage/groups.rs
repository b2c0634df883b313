//! The screen groups' SQL (`groups`): the groups and their playlists, the playlist edits waiting
//! for a second person, the groups' area codes and their standby.

use super::sql::{OptionalExtension, params};

use super::Conn;
use crate::service::domain::error::Error;

/// A group as listed: name, kind, playlist text, updated at, how many screens it has, label.
pub(in crate::service::domain) type GroupRow =
    (String, String, String, String, i64, Option<String>);

/// A playlist edit as reviewed: group, text, author's id, status and base (if kept).
pub(in crate::service::domain) type ChangeRow = (String, String, i64, String, Option<String>);

/// A playlist edit waiting for review, with the group's playlist as it is now.
pub(in crate::service::domain) struct PendingRow {
    pub id: i64,
    pub group: String,
    pub author: String,
    pub created_at: String,
    pub text: String,
    /// The group's playlist now.
    pub current: String,
    /// The playlist the edit was made on (none for an edit stored before bases were kept).
    pub base: Option<String>,
}

pub(in crate::service::domain) fn count_groups(conn: &Conn) -> Result<i64, Error> {
    Ok(conn.query_row("SELECT COUNT(*) FROM groups", [], |r| r.get(0))?)
}

pub(in crate::service::domain) fn insert_group(
    conn: &Conn,
    name: &str,
    kind: &str,
    playlist: &str,
    updated_at: &str,
) -> Result<(), Error> {
    conn.execute(
        "INSERT INTO groups (name, kind, playlist, updated_at) VALUES (?1, ?2, ?3, ?4)",
        params![name, kind, playlist, updated_at],
    )?;
    Ok(())
}

pub(in crate::service::domain) fn set_group_label(
    conn: &Conn,
    name: &str,
    label: &str,
) -> Result<(), Error> {
    conn.execute(
        "UPDATE groups SET label = ?2 WHERE name = ?1",
        params![name, label],
    )?;
    Ok(())
}

pub(in crate::service::domain) fn group_exists(conn: &Conn, name: &str) -> Result<bool, Error> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM groups WHERE name = ?1)",
        [name],
        |r| r.get(0),
    )?)
}

/// Every group's name, in order.
pub(in crate::service::domain) fn group_names(conn: &Conn) -> Result<Vec<String>, Error> {
    let mut stmt = conn.prepare("SELECT name FROM groups ORDER BY name")?;
    let names = stmt
        .query_map([], |r| r.get(0))?
        .collect::<Result<Vec<String>, _>>()?;
    Ok(names)
}

/// Every group, by name, with its screens counted.
pub(in crate::service::domain) fn list_groups(conn: &Conn) -> Result<Vec<GroupRow>, Error> {
    let mut stmt = conn.prepare(
        "SELECT g.name, g.kind, g.playlist, g.updated_at,
                (SELECT COUNT(*) FROM screens s WHERE s.group_name = g.name), g.label
         FROM groups g ORDER BY g.name",
    )?;
    let rows = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, i64>(4)?,
                r.get::<_, Option<String>>(5)?,
            ))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// Group `name`'s playlist text, if the group exists.
pub(in crate::service::domain) fn select_playlist(
    conn: &Conn,
    name: &str,
) -> Result<Option<String>, Error> {
    Ok(conn
        .query_row("SELECT playlist FROM groups WHERE name = ?1", [name], |r| {
            r.get(0)
        })
        .optional()?)
}

/// The playlist edits waiting for review, oldest first.
pub(in crate::service::domain) fn pending_changes(conn: &Conn) -> Result<Vec<PendingRow>, Error> {
    let mut stmt = conn.prepare(
        "SELECT c.id, c.group_name, u.name, c.created_at, c.text, g.playlist, c.base
         FROM playlist_changes c JOIN users u ON u.id = c.author_id
         JOIN groups g ON g.name = c.group_name
         WHERE c.status = 'pending' ORDER BY c.id",
    )?;
    let rows = stmt
        .query_map([], |r| {
            Ok(PendingRow {
                id: r.get::<_, i64>(0)?,
                group: r.get::<_, String>(1)?,
                author: r.get::<_, String>(2)?,
                created_at: r.get::<_, String>(3)?,
                text: r.get::<_, String>(4)?,
                current: r.get::<_, String>(5)?,
                base: r.get::<_, Option<String>>(6)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// Playlist edit `id`, if there is one.
pub(in crate::service::domain) fn select_change(
    conn: &Conn,
    id: i64,
) -> Result<Option<ChangeRow>, Error> {
    Ok(conn
        .query_row(
            "SELECT group_name, text, author_id, status, base FROM playlist_changes
             WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .optional()?)
}

/// Records the review of playlist edit `id`: `status` (approved, rejected), who and why.
pub(in crate::service::domain) fn review_change(
    conn: &Conn,
    id: i64,
    status: &str,
    reviewer_id: i64,
    reviewed_at: &str,
    reason: &str,
) -> Result<(), Error> {
    conn.execute(
        "UPDATE playlist_changes SET status = ?1, reviewer_id = ?2, reviewed_at = ?3,
             reason = ?4 WHERE id = ?5",
        params![status, reviewer_id, reviewed_at, reason, id],
    )?;
    Ok(())
}

/// Marks group `name`'s waiting playlist edits superseded.
pub(in crate::service::domain) fn supersede_pending_changes(
    conn: &Conn,
    name: &str,
) -> Result<(), Error> {
    conn.execute(
        "UPDATE playlist_changes SET status = 'superseded'
         WHERE group_name = ?1 AND status = 'pending'",
        [name],
    )?;
    Ok(())
}

pub(in crate::service::domain) fn update_playlist(
    conn: &Conn,
    name: &str,
    text: &str,
    updated_at: &str,
) -> Result<(), Error> {
    conn.execute(
        "UPDATE groups SET playlist = ?1, updated_at = ?2 WHERE name = ?3",
        params![text, updated_at, name],
    )?;
    Ok(())
}

/// Stores a playlist edit of group `name` as pending; returns its id.
pub(in crate::service::domain) fn insert_change(
    conn: &Conn,
    name: &str,
    text: &str,
    author_id: i64,
    created_at: &str,
    base: &str,
) -> Result<i64, Error> {
    Ok(conn.query_row(
        "INSERT INTO playlist_changes (group_name, text, author_id, created_at, status, base)
         VALUES (?1, ?2, ?3, ?4, 'pending', ?5) RETURNING id",
        params![name, text, author_id, created_at, base],
        |r| r.get(0),
    )?)
}

/// Group `name`'s area codes, in order.
pub(in crate::service::domain) fn select_areas(
    conn: &Conn,
    name: &str,
) -> Result<Vec<String>, Error> {
    let mut stmt =
        conn.prepare("SELECT code FROM group_areas WHERE group_name = ?1 ORDER BY code")?;
    let codes = stmt
        .query_map([name], |r| r.get(0))?
        .collect::<Result<Vec<String>, _>>()?;
    Ok(codes)
}

/// Replaces group `name`'s area codes with `codes`.
pub(in crate::service::domain) fn replace_areas(
    conn: &Conn,
    name: &str,
    codes: &[String],
) -> Result<(), Error> {
    conn.execute("DELETE FROM group_areas WHERE group_name = ?1", [name])?;
    for code in codes {
        conn.execute(
            "INSERT INTO group_areas (group_name, code) VALUES (?1, ?2)
             ON CONFLICT DO NOTHING",
            params![name, code],
        )?;
    }
    Ok(())
}

/// Every group's area codes: (group, code), by group.
pub(in crate::service::domain) fn all_areas(conn: &Conn) -> Result<Vec<(String, String)>, Error> {
    let mut stmt = conn.prepare("SELECT group_name, code FROM group_areas ORDER BY group_name")?;
    let rows = stmt
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// Group `name`'s standby start (`Some(None)`: not on standby; `None`: no such group).
pub(in crate::service::domain) fn select_blackout(
    conn: &Conn,
    name: &str,
) -> Result<Option<Option<String>>, Error> {
    Ok(conn
        .query_row(
            "SELECT blackout_since FROM groups WHERE name = ?1",
            [name],
            |r| r.get(0),
        )
        .optional()?)
}

/// Sets (or with `None` lifts) group `name`'s standby start.
pub(in crate::service::domain) fn update_blackout(
    conn: &Conn,
    name: &str,
    since: Option<&str>,
) -> Result<(), Error> {
    conn.execute(
        "UPDATE groups SET blackout_since = ?1 WHERE name = ?2",
        params![since, name],
    )?;
    Ok(())
}
