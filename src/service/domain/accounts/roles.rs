//! Roles and who may do what with accounts (三员分立): the roles, the logged-in `User`, what a
//! login name may be, and the rules on adding and changing accounts. Pure: no database.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::service::domain::error::Error;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Writes, edits, submits and withdraws notices.
    Editor,
    /// Reviews submitted notices for confidentiality, approves or rejects them.
    Reviewer,
    /// 系统管理员: users' accounts, screens, screen groups and their playlists, calendars.
    Sysadmin,
    /// 安全管理员: roles, review policies, keys (screens' device keys), alert sources.
    Secadmin,
    /// 安全审计员: reads and exports the audit log; changes nothing.
    Auditor,
    /// No role yet: an account the system administrator made, waiting for the security
    /// administrator to grant it one (or one whose password was reset over the API). It may
    /// only change its own password and see who it is: so the system administrator alone never
    /// makes an account that can do anything. Never asked for in a request (not in `ALL`, not
    /// deserialized): it is what an account has, not what anyone grants.
    #[serde(rename = "none", skip_deserializing)]
    Unassigned,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Editor,
        Role::Reviewer,
        Role::Sysadmin,
        Role::Secadmin,
        Role::Auditor,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Editor => "editor",
            Role::Reviewer => "reviewer",
            Role::Sysadmin => "sysadmin",
            Role::Secadmin => "secadmin",
            Role::Auditor => "auditor",
            Role::Unassigned => "none",
        }
    }

    /// A role as the database stores it. Anything unknown is no role at all, never a role that
    /// can do something.
    pub fn from_stored(s: &str) -> Role {
        Role::parse(s).unwrap_or(Role::Unassigned)
    }

    /// The roles the security administrator grants through the API and the console; the
    /// administrators' roles are granted only on the host (`noticecast user grant`), so that a
    /// security administrator cannot make a second security administrator and act through it.
    pub const GRANTED_ONLINE: [Role; 2] = [Role::Editor, Role::Reviewer];

    /// The three administrators of 三员分立: granted only on the host (`noticecast user add`,
    /// `noticecast user grant`), never through the API or the console.
    pub fn is_administrator(self) -> bool {
        matches!(self, Role::Sysadmin | Role::Secadmin | Role::Auditor)
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// A logged-in staff member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct User {
    pub id: i64,
    pub name: String,
    pub role: Role,
    /// The password is a one-time code (a new account, a reset): until its owner replaces it
    /// (`PUT /api/me/password`), every route but that one, the session and logout is refused,
    /// so the administrator who saw the code never holds a working password.
    #[serde(default)]
    pub must_change_password: bool,
}

impl User {
    /// The workflow checks roles itself too: the routes are the first gate, not the only one.
    pub fn require(&self, allowed: &[Role], what: &str) -> Result<(), Error> {
        if allowed.contains(&self.role) {
            Ok(())
        } else {
            Err(Error::Forbidden(crate::model::Reason::Detail(format!(
                "{} is a {} and may not {what}",
                self.name,
                self.role.as_str()
            ))))
        }
    }
}

/// The longest login name looked at: a longer one is refused before anything else (the audit
/// log and the limiter keep only this much of it).
pub const MAX_LOGIN_NAME: usize = 64;

/// A login name: what staff type, so any letters (Chinese too), no spaces or control characters.
pub fn check_user_name(name: &str) -> Result<(), Error> {
    let n = name.chars().count();
    // Letters of any script, digits, and - _ . (not leading, never ..): a name is also a path
    // segment in the console's forms, and `../screens/s-led/token` once re-issued a screen
    // token through the user form.
    let safe = name
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '·'));
    if n == 0 || n > MAX_LOGIN_NAME || !safe || name.starts_with('.') || name.contains("..") {
        return Err(Error::invalid(
            "name",
            crate::model::Reason::NotALoginName {
                text: name.to_string(),
                max: MAX_LOGIN_NAME,
            },
        ));
    }
    Ok(())
}

/// Whether `actor` may add an account (三员分立): only the system administrator, and the account
/// has no role until the security administrator grants one (`change_account`), so neither of
/// them alone makes an account that can do anything. Roles at creation are only on the host
/// (`noticecast user add`).
pub fn may_add(actor: &User) -> Result<(), Error> {
    if actor.role == Role::Sysadmin {
        Ok(())
    } else {
        Err(Error::Forbidden(crate::model::Reason::Detail(format!(
            "{} is a {} and may not add users",
            actor.name,
            actor.role.as_str()
        ))))
    }
}

/// What a change of an account does, as `may_change` weighs it.
#[derive(Debug, Clone, Copy, Default)]
pub struct AccountChange {
    /// A different role than the account has.
    pub role: Option<Role>,
    /// The password replaced by a one-time code.
    pub reset: bool,
    /// The account disabled or enabled.
    pub state: bool,
}

/// Whether `actor` may change `target` so through the API or the console (三员分立):
/// - roles are the security administrator's to grant, only editor and reviewer, never to
///   themselves, never to or from an administrator (those are the host's: `noticecast user
///   grant`);
/// - the system administrator resets editors' and reviewers' passwords (a one-time code, the
///   role suspended until granted again) and disables or enables their accounts;
/// - nobody resets an administrator's password or disables an administrator over the network:
///   one administrator could otherwise take over or lock out another (`noticecast user reset`,
///   `noticecast user disable` on the host).
pub fn may_change(actor: &User, target: &User, change: AccountChange) -> Result<(), Error> {
    use crate::model::Reason;
    let refuse = |why: Reason| Err(Error::Forbidden(why));
    if let Some(role) = change.role {
        if actor.role != Role::Secadmin {
            return refuse(Reason::RolesBySecadmin {
                actor_role: actor.role.as_str().into(),
            });
        }
        if actor.id == target.id {
            return refuse(Reason::OwnRole {
                name: actor.name.clone(),
                role: role.as_str().into(),
            });
        }
        if !Role::GRANTED_ONLINE.contains(&role) {
            return refuse(Reason::RoleOnlyOnHost {
                role: role.as_str().into(),
            });
        }
        if target.role.is_administrator() {
            return refuse(Reason::AdminRoleOnlyOnHost {
                name: target.name.clone(),
                role: target.role.as_str().into(),
            });
        }
    }
    if change.reset || change.state {
        if target.role.is_administrator() {
            return refuse(Reason::AdminResetOnlyOnHost {
                name: target.name.clone(),
                role: target.role.as_str().into(),
            });
        }
        if actor.role != Role::Sysadmin {
            return refuse(Reason::AccountsBySysadmin {
                actor_role: actor.role.as_str().into(),
                name: target.name.clone(),
            });
        }
    }
    Ok(())
}
