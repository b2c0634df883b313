//! The tenants of a city's platform: districts sharing one service, each with its own users,
//! groups, screens, notices, keys, policies, calendar, audit log and report.
//!
//! A tenant's data is a database of its own: on PostgreSQL the schema `tenant_NAME` (reached by a
//! connection whose `search_path` names it and nothing else), on SQLite the file
//! `tenants/NAME/noticecast.db`; its feed keys are files in `tenants/NAME/` of the data folder.
//! The domain below is the same for one tenant or many: no statement names a tenant, so no
//! statement can be written that reads another's rows. The list here, in the platform's own
//! database (the default tenant's), is all the tenants share.

use std::path::{Path, PathBuf};

use crate::model::{Reason, Timestamp};
use crate::service::domain::audit;
use crate::service::domain::error::Error;
use crate::service::domain::storage::{Conn, tenants as store};

/// One tenant as the platform lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tenant {
    pub name: String,
    /// The district's name as people write it (澄江县).
    pub title: String,
    pub created_at: String,
}

/// A tenant's name is a path segment (`/t/NAME/…`) and part of a schema's name: lower-case
/// letters and digits, a letter first, at most 24.
pub fn check_name(name: &str) -> Result<(), Error> {
    let ok = (1..=24).contains(&name.len())
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    if ok {
        Ok(())
    } else {
        Err(Error::invalid(
            "name",
            Reason::NotATenantName {
                name: name.to_string(),
            },
        ))
    }
}

/// The PostgreSQL schema that holds tenant `name`'s data.
pub fn schema(name: &str) -> String {
    format!("tenant_{name}")
}

/// The folder under the data folder that holds tenant `name`'s keys (and its SQLite file).
pub fn folder(data: &Path, name: &str) -> PathBuf {
    data.join("tenants").join(name)
}

/// Adds tenant `name` to the platform's list, audited as `actor`'s.
pub fn add(conn: &Conn, actor: &str, name: &str, title: &str, now: Timestamp) -> Result<(), Error> {
    check_name(name)?;
    let title = title.trim();
    if title.is_empty() || title.chars().count() > 64 {
        return Err(Error::invalid(
            "title",
            Reason::NotAnId { text: title.into() },
        ));
    }
    if store::insert(conn, name, title, actor, &now.to_rfc3339())? == 0 {
        return Err(Error::Conflict(Reason::TenantExists {
            name: name.to_string(),
        }));
    }
    audit::record(
        conn,
        now,
        actor,
        audit::Action::TenantAdd,
        &format!("tenant {name}"),
        title,
    )
}

/// Every tenant, by name.
pub fn list(conn: &Conn) -> Result<Vec<Tenant>, Error> {
    Ok(store::list(conn)?
        .into_iter()
        .map(|(name, title, created_at)| Tenant {
            name,
            title,
            created_at,
        })
        .collect())
}

/// Tenant `name`, or `NotFound`.
pub fn get(conn: &Conn, name: &str) -> Result<Tenant, Error> {
    check_name(name).map_err(|_| {
        Error::NotFound(Reason::NoTenant {
            name: name.to_string(),
        })
    })?;
    match store::get(conn, name)? {
        Some((name, title, created_at)) => Ok(Tenant {
            name,
            title,
            created_at,
        }),
        None => Err(Error::NotFound(Reason::NoTenant {
            name: name.to_string(),
        })),
    }
}

/// How a tenant's service is doing, as the platform's administrator sees it: counts and times,
/// never a notice.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Health {
    pub name: String,
    pub title: String,
    pub screens: usize,
    /// Screens heard from (a heartbeat, plays) within `HEARD_WITHIN`.
    pub screens_heard: usize,
    /// Screens whose last report named an error.
    pub screens_with_errors: usize,
    pub groups: i64,
    /// When the newest of its feeds was signed.
    pub feeds_signed_at: Option<String>,
    /// Revisions waiting for review.
    pub waiting_for_review: i64,
    /// Why the district could not be read (its service would not open: the service log says
    /// more); the counts are then zero.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl Health {
    /// A district whose service could not be read.
    pub fn unavailable(tenant: &Tenant) -> Health {
        Health {
            name: tenant.name.clone(),
            title: tenant.title.clone(),
            screens: 0,
            screens_heard: 0,
            screens_with_errors: 0,
            groups: 0,
            feeds_signed_at: None,
            waiting_for_review: 0,
            error: Some("unavailable: its service does not open (see the service log)".into()),
        }
    }
}

/// A screen heard from within this long counts as heard (a heartbeat comes every minute).
pub const HEARD_WITHIN: chrono::Duration = chrono::Duration::minutes(10);

/// Tenant `tenant`'s health from its own database (`conn`).
pub fn health(conn: &Conn, tenant: &Tenant, now: Timestamp) -> Result<Health, Error> {
    let row = store::health(conn)?;
    let heard = |seen: &Option<String>| {
        seen.as_deref()
            .and_then(|s| chrono::DateTime::parse_from_rfc3339(s).ok())
            .is_some_and(|t| now.signed_duration_since(t) <= HEARD_WITHIN)
    };
    Ok(Health {
        name: tenant.name.clone(),
        title: tenant.title.clone(),
        screens: row.screens.len(),
        screens_heard: row.screens.iter().filter(|(seen, _)| heard(seen)).count(),
        screens_with_errors: row
            .screens
            .iter()
            .filter(|(_, error)| error.as_deref().is_some_and(|e| !e.is_empty()))
            .count(),
        groups: row.groups,
        feeds_signed_at: row.newest_feed,
        waiting_for_review: row.waiting,
        error: None,
    })
}
