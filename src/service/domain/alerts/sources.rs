//! The alert sources themselves: adding one with its remit (its bearer token shown once),
//! changing its remit, revoking it, listing them, and the token's check on every alert.
//!
//! They are the security administrator's (三员分立: keys and who may publish), in the console
//! and on the host's command line (which acts as a security administrator): the role is checked
//! here, not only at the route. A revoked source keeps its row, because its alerts and the
//! notices they became name it; its token is refused from then on and its name is not reused.

use serde::Serialize;
use utoipa::ToSchema;

use crate::model::{Problem, Reason, Timestamp};
use crate::service::domain::accounts::{Role, User};
use crate::service::domain::audit;
use crate::service::domain::error::Error;
use crate::service::domain::groups;
use crate::service::domain::notices::Author;
use crate::service::domain::passwords;
use crate::service::domain::storage::{self, Conn};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Publish {
    /// The source is the authority: its alerts reach the screens at once.
    Direct,
    /// Its alerts wait for one reviewer, at the top of the review queue.
    Review,
}

impl Publish {
    pub fn parse(s: &str) -> Option<Publish> {
        match s {
            "direct" => Some(Publish::Direct),
            "review" => Some(Publish::Review),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Publish::Direct => "direct",
            Publish::Review => "review",
        }
    }
}

/// An authenticated alert source.
#[derive(Debug, Clone)]
pub struct Source {
    pub name: String,
    /// The user row its revisions are written by.
    pub user: User,
    pub publish: Publish,
    /// The area codes it may warn; empty: none (it is refused until it is given its remit).
    pub areas: Vec<String>,
}

impl Source {
    /// The source as the author of its notices' revisions (`notices::Author`).
    pub fn author(&self) -> Author<'_> {
        Author::Source {
            user: &self.user,
            name: &self.name,
            direct: self.publish == Publish::Direct,
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SourceInfo {
    pub name: String,
    pub publish: Publish,
    /// Its remit: the area codes (行政区划代码) it may warn, each with the areas inside it;
    /// empty: none yet, and its warnings are refused.
    pub areas: Vec<String>,
    pub created_at: String,
    pub alerts: i64,
    pub last_alert: Option<String>,
    /// When it was revoked: its token has been refused since.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revoked_at: Option<String>,
    /// Who revoked it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revoked_by: Option<String>,
}

/// The user name a source writes as, shown as the author in the console and the audit log.
fn user_name(source: &str) -> String {
    format!("预警源:{source}")
}

/// The remit's codes checked: at least one, each six digits; the problems name the index.
fn remit_problems(codes: &[String]) -> Vec<Problem> {
    if codes.is_empty() {
        return vec![Problem::new("request", "areas", Reason::NoRemit)];
    }
    codes
        .iter()
        .enumerate()
        .filter(|(_, c)| !groups::is_area_code(c))
        .map(|(i, c)| {
            Problem::new(
                "areas",
                format!("codes[{i}]"),
                Reason::NotAnAreaCode {
                    text: c.clone(),
                    like: 330100,
                },
            )
        })
        .collect()
}

/// Source `name`, which must exist and not be revoked.
fn in_use(conn: &Conn, name: &str) -> Result<(), Error> {
    match storage::alerts::source_revoked(conn, name)? {
        None => Err(Error::NotFound(Reason::NoSource {
            name: name.to_string(),
        })),
        Some(Some(_)) => Err(Error::Conflict(Reason::SourceRevoked {
            name: name.to_string(),
        })),
        Some(None) => Ok(()),
    }
}

/// Replaces a source's remit (the console, `noticecast source areas`); audited.
pub fn set_source_areas(
    conn: &Conn,
    actor: &User,
    name: &str,
    codes: &[String],
    now: Timestamp,
) -> Result<(), Error> {
    actor.require(&[Role::Secadmin], "change alert sources' remits")?;
    in_use(conn, name)?;
    let problems = remit_problems(codes);
    if !problems.is_empty() {
        return Err(Error::Invalid(problems));
    }
    storage::alerts::write_remit(conn, name, codes)?;
    audit::record(
        conn,
        now,
        &actor.name,
        audit::Action::SourceAreas,
        &format!("source {name}"),
        &codes.join(" "),
    )
}

/// Adds a source with its remit (`areas`); returns its bearer token, shown this once. A bad
/// name and bad codes are refused together, so a form is corrected in one go.
pub fn add_source(
    conn: &Conn,
    actor: &User,
    name: &str,
    publish: Publish,
    areas: &[String],
    now: Timestamp,
) -> Result<String, Error> {
    actor.require(&[Role::Secadmin], "add alert sources")?;
    let mut problems = Vec::new();
    if !crate::model::is_slug(name) {
        problems.push(Problem::new(
            "request",
            "name",
            Reason::NotAName {
                text: name.to_string(),
                kind: crate::model::NameKind::Source,
            },
        ));
    }
    problems.extend(remit_problems(areas));
    if !problems.is_empty() {
        return Err(Error::Invalid(problems));
    }
    if storage::alerts::source_exists(conn, name)? {
        return Err(Error::Conflict(Reason::SourceExists {
            name: name.to_string(),
        }));
    }
    let user_id = storage::alerts::insert_source_user(conn, &user_name(name), &now.to_rfc3339())?;
    let token = format!("ncs_{}", passwords::random_token()?);
    storage::alerts::insert_source(
        conn,
        name,
        user_id,
        &passwords::token_hash(&token),
        publish.as_str(),
        &now.to_rfc3339(),
    )?;
    storage::alerts::write_remit(conn, name, areas)?;
    audit::record(
        conn,
        now,
        &actor.name,
        audit::Action::SourceAdd,
        &format!("source {name}"),
        &format!("{}; areas {}", publish.as_str(), areas.join(" ")),
    )?;
    Ok(token)
}

/// The longest reason for revoking a source (a line in the audit log, not a report).
const MAX_REASON: usize = 500;

/// Revokes source `name` (a leaked token, a warning system taken out of service): its token is
/// refused from now on, Cancel messages too. What it published stays until it ends or staff
/// withdraw it: revoking a credential says nothing about the warnings it sent. Audited with
/// `reason`, which is required.
pub fn revoke_source(
    conn: &Conn,
    actor: &User,
    name: &str,
    reason: &str,
    now: Timestamp,
) -> Result<(), Error> {
    actor.require(&[Role::Secadmin], "revoke alert sources")?;
    in_use(conn, name)?;
    let reason = reason.trim();
    let chars = reason.chars().count();
    if chars == 0 {
        return Err(Error::invalid("reason", Reason::Empty));
    }
    if chars > MAX_REASON {
        return Err(Error::invalid(
            "reason",
            Reason::TooLong {
                chars,
                max: MAX_REASON,
            },
        ));
    }
    storage::alerts::revoke_source(conn, name, &actor.name, &now.to_rfc3339())?;
    audit::record(
        conn,
        now,
        &actor.name,
        audit::Action::SourceRevoke,
        &format!("source {name}"),
        reason,
    )
}

pub fn list_sources(conn: &Conn) -> Result<Vec<SourceInfo>, Error> {
    let mut rows = Vec::new();
    for row in storage::alerts::list_sources(conn)? {
        rows.push(SourceInfo {
            publish: Publish::parse(&row.publish).unwrap_or(Publish::Review),
            areas: storage::alerts::remit(conn, &row.name)?,
            name: row.name,
            created_at: row.created_at,
            alerts: row.alerts,
            last_alert: row.last_alert,
            revoked_at: row.revoked_at,
            revoked_by: row.revoked_by,
        });
    }
    Ok(rows)
}

/// The source a bearer token belongs to; a revoked source's token is refused like an unknown
/// one (401), saying so, so that the warning system's operator knows to ask for a new one.
pub fn authenticate(conn: &Conn, token: &str) -> Result<Source, Error> {
    let owner = storage::alerts::source_by_token(conn, &passwords::token_hash(token))?;
    let Some(owner) = owner else {
        return Err(Error::Unauthenticated("unknown alert source token".into()));
    };
    if owner.revoked {
        return Err(Error::Unauthenticated(format!(
            "alert source {} was revoked: its token is no longer accepted",
            owner.name
        )));
    }
    Ok(Source {
        user: User {
            id: owner.user_id,
            name: user_name(&owner.name),
            role: Role::Editor,
            must_change_password: false,
        },
        areas: storage::alerts::remit(conn, &owner.name)?,
        name: owner.name,
        publish: Publish::parse(&owner.publish).unwrap_or(Publish::Review),
    })
}
