//! The review policies' SQL (`policy`): a group's policy as stored, setting it, and which groups
//! have one.

use super::sql::{OptionalExtension, params};

use super::Conn;
use crate::service::domain::error::Error;

/// Group `group`'s stored policy: reviews, periods (JSON) and categories (JSON), if set.
pub(in crate::service::domain) fn select_policy(
    conn: &Conn,
    group: &str,
) -> Result<Option<(u8, String, String)>, Error> {
    Ok(conn
        .query_row(
            "SELECT reviews, periods, categories FROM review_policies WHERE group_name = ?1",
            [group],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?)
}

/// Inserts or replaces group `group`'s policy; `periods` and `categories` are JSON.
pub(in crate::service::domain) fn upsert_policy(
    conn: &Conn,
    group: &str,
    reviews: u8,
    periods: &str,
    categories: &str,
    updated_by: &str,
    updated_at: &str,
) -> Result<(), Error> {
    conn.execute(
        "INSERT INTO review_policies (group_name, reviews, periods, categories, updated_by,
                                      updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (group_name) DO UPDATE SET reviews = ?2, periods = ?3, categories = ?4,
                                                updated_by = ?5, updated_at = ?6",
        params![group, reviews, periods, categories, updated_by, updated_at],
    )?;
    Ok(())
}

/// The groups that have a policy.
pub(in crate::service::domain) fn policy_groups(conn: &Conn) -> Result<Vec<String>, Error> {
    let mut stmt = conn.prepare("SELECT group_name FROM review_policies")?;
    Ok(stmt
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?)
}
