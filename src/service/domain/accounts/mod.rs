//! Staff accounts: users and their roles, the rules of 三员分立 (who may add, grant, reset and
//! disable whom; `roles`), and every write to the `users` table, each audited.
//!
//! Passwords are `passwords`' (hashing and rules); logging in and sessions are `sessions`'.

use serde::Serialize;
use utoipa::ToSchema;

use crate::model::Timestamp;
use crate::service::domain::error::Error;
use crate::service::domain::passwords::{
    check_password_for, hash_password, one_time_code, token_hash,
};
use crate::service::domain::storage::Conn;
use crate::service::domain::storage::accounts::{self as store, UserRow};

mod roles;

pub use roles::{AccountChange, MAX_LOGIN_NAME, Role, User, check_user_name, may_add, may_change};

/// Adds a user with a role and a password its owner chose: on the host only (`noticecast user
/// add`, which reads the password from standard input; `demo-seed`; tests), where root is
/// trusted to bootstrap the office. `actor` (who did it) goes into the audit log.
pub fn add_user(
    conn: &Conn,
    actor: &str,
    name: &str,
    role: Role,
    password: &str,
    now: Timestamp,
) -> Result<User, Error> {
    check_password_for(password, name)?;
    insert_user(conn, actor, name, role, password, false, now)
}

fn insert_user(
    conn: &Conn,
    actor: &str,
    name: &str,
    role: Role,
    password: &str,
    one_time: bool,
    now: Timestamp,
) -> Result<User, Error> {
    check_user_name(name)?;
    let hash = hash_password(password)?;
    if store::name_taken(conn, name)? {
        return Err(Error::Conflict(crate::model::Reason::Detail(format!(
            "a user named {name:?} exists"
        ))));
    }
    let id = store::insert_user(conn, name, role.as_str(), &hash, now, one_time)?;
    let detail = if one_time {
        format!(
            "{}; a one-time code, to be replaced at the first login",
            role.as_str()
        )
    } else {
        role.as_str().to_string()
    };
    crate::service::domain::audit::record(
        conn,
        now,
        actor,
        crate::service::domain::audit::Action::UserAdd,
        &format!("user {name}"),
        &detail,
    )?;
    Ok(User {
        id,
        name: name.to_string(),
        role,
        must_change_password: one_time,
    })
}

/// A user as storage read them (`id, name, role, must_change_password`).
pub(super) fn user_from_row(r: UserRow) -> User {
    User {
        id: r.id,
        name: r.name,
        role: Role::from_stored(&r.role),
        must_change_password: r.must_change_password,
    }
}

pub fn user_by_name(conn: &Conn, name: &str) -> Result<Option<User>, Error> {
    Ok(store::user_by_name(conn, name)?.map(user_from_row))
}

pub fn list_users(conn: &Conn) -> Result<Vec<User>, Error> {
    Ok(store::list_users(conn)?
        .into_iter()
        .map(user_from_row)
        .collect())
}

/// The names of disabled users.
pub fn disabled_users(conn: &Conn) -> Result<std::collections::HashSet<String>, Error> {
    store::disabled_names(conn)
}

/// The system administrator adds an account (the API and the console): no role, and a one-time
/// code as its password, returned to be handed to its owner. Nobody but the owner ever holds a
/// working password, and the account does nothing until the security administrator grants it a
/// role.
pub fn add_account(
    conn: &Conn,
    actor: &User,
    name: &str,
    now: Timestamp,
) -> Result<(User, String), Error> {
    may_add(actor)?;
    let code = one_time_code()?;
    let user = insert_user(conn, &actor.name, name, Role::Unassigned, &code, true, now)?;
    Ok((user, code))
}

/// A staff member changes an account (the API and the console): only what differs counts (the
/// console's form always says the role and the state), `may_change` decides, `update_user` and
/// `reset_password` do it. A reset returns the one-time code.
pub fn change_account(
    conn: &Conn,
    actor: &User,
    name: &str,
    role: Option<Role>,
    reset: bool,
    disabled: Option<bool>,
    now: Timestamp,
) -> Result<(User, Option<String>), Error> {
    let target = user_by_name(conn, name)?.ok_or_else(|| {
        Error::NotFound(crate::model::Reason::NoUserNamed {
            name: name.to_string(),
        })
    })?;
    let is_disabled = disabled_users(conn)?.contains(name);
    let role = role.filter(|r| *r != target.role);
    let disabled = disabled.filter(|d| *d != is_disabled);
    let change = AccountChange {
        role,
        reset,
        state: disabled.is_some(),
    };
    may_change(actor, &target, change)?;
    if role.is_some() && target.must_change_password {
        // Granted only once the owner has logged in and chosen a password: a role on an
        // account whose code is still unused would be a role for whoever holds the code.
        return Err(Error::Conflict(
            crate::model::Reason::OneTimeCodeNotReplaced {
                name: name.to_string(),
            },
        ));
    }
    let mut user = update_user(conn, &actor.name, name, role, None, disabled, now)?;
    let mut code = None;
    if reset {
        // Suspended: the system administrator who saw the code could otherwise log in with it
        // and act in the role; the security administrator grants it again once the owner has
        // chosen a password.
        code = Some(reset_password(conn, &actor.name, name, true, now)?);
        user = user_by_name(conn, name)?.ok_or_else(|| {
            Error::NotFound(crate::model::Reason::NoUserNamed {
                name: name.to_string(),
            })
        })?;
    }
    Ok((user, code))
}

/// Replaces a user's password with a one-time code (returned, shown once), ends their sessions;
/// with `suspend_role`, the account also loses its role until it is granted again. Audited.
pub fn reset_password(
    conn: &Conn,
    actor: &str,
    name: &str,
    suspend_role: bool,
    now: Timestamp,
) -> Result<String, Error> {
    let user = user_by_name(conn, name)?.ok_or_else(|| {
        Error::NotFound(crate::model::Reason::NoUserNamed {
            name: name.to_string(),
        })
    })?;
    let code = one_time_code()?;
    store::set_one_time_hash(conn, user.id, &hash_password(&code)?)?;
    store::delete_sessions_of(conn, user.id)?;
    let mut detail = "password reset to a one-time code".to_string();
    if suspend_role && user.role != Role::Unassigned {
        store::suspend_role(conn, user.id)?;
        detail.push_str(&format!(
            "; role {} suspended until the security administrator grants it again",
            user.role.as_str()
        ));
    }
    crate::service::domain::audit::record(
        conn,
        now,
        actor,
        crate::service::domain::audit::Action::UserReset,
        &format!("user {name}"),
        &detail,
    )?;
    Ok(code)
}

/// A user replaces their own password (after the caller checked the current one): the new one
/// follows the password rules and differs from the current, the one-time flag goes, and every
/// session of theirs but `keep` (the session asking, by its cookie token) ends. Audited.
pub fn set_own_password(
    conn: &Conn,
    user: &User,
    current: &str,
    new: &str,
    keep: Option<&str>,
    now: Timestamp,
) -> Result<(), Error> {
    // The rules' problems name the request's field, `new`.
    check_password_for(new, &user.name).map_err(|e| match e {
        Error::Invalid(mut list) => {
            for p in &mut list {
                p.path = "new".into();
            }
            Error::Invalid(list)
        }
        other => other,
    })?;
    if new == current {
        return Err(Error::invalid("new", crate::model::Reason::SamePassword));
    }
    store::set_own_hash(conn, user.id, &hash_password(new)?)?;
    let ended = store::delete_other_sessions(conn, user.id, keep.map(token_hash).as_deref())?;
    crate::service::domain::audit::record(
        conn,
        now,
        &user.name,
        crate::service::domain::audit::Action::UserPassword,
        &format!("user {}", user.name),
        &format!(
            "changed their own password{}; {ended} other sessions ended",
            if user.must_change_password {
                " (replacing a one-time code)"
            } else {
                ""
            }
        ),
    )?;
    Ok(())
}

/// Changes a user's role, password and/or whether the account may be used. A changed password
/// or a disabled account ends the user's sessions; a disabled user cannot log in (and is told
/// only "wrong name or password"). Nobody disables themselves.
#[allow(clippy::too_many_arguments)]
pub fn update_user(
    conn: &Conn,
    actor: &str,
    name: &str,
    role: Option<Role>,
    password: Option<&str>,
    disabled: Option<bool>,
    now: Timestamp,
) -> Result<User, Error> {
    let user = user_by_name(conn, name)?.ok_or_else(|| {
        Error::NotFound(crate::model::Reason::NoUserNamed {
            name: name.to_string(),
        })
    })?;
    let was_disabled = store::is_disabled(conn, user.id)?;
    // Only a change counts (the console's form always says the role and the state): nothing
    // changed, nothing written, no entry in the log claiming a change.
    let disabled = disabled.filter(|d| *d != was_disabled);
    let role = role.filter(|r| *r != user.role);
    if role.is_none() && password.is_none() && disabled.is_none() {
        return Ok(user);
    }
    if let Some(disabled) = disabled {
        if disabled && actor == name {
            return Err(Error::Conflict(crate::model::Reason::Detail(
                "nobody disables their own account".into(),
            )));
        }
        store::set_disabled_at(conn, user.id, disabled.then_some(now))?;
        if disabled {
            store::delete_sessions_of(conn, user.id)?;
        }
    }
    if let Some(role) = role {
        store::set_role(conn, user.id, role.as_str())?;
    }
    if let Some(password) = password {
        check_password_for(password, name)?;
        store::set_password_hash(conn, user.id, &hash_password(password)?)?;
        store::delete_sessions_of(conn, user.id)?;
    }
    let mut what = Vec::new();
    if let Some(role) = role {
        what.push(format!("role {}", role.as_str()));
    }
    if password.is_some() {
        what.push("password reset".to_string());
    }
    match disabled {
        Some(true) => what.push("disabled".to_string()),
        Some(false) => what.push("enabled".to_string()),
        None => {}
    }
    crate::service::domain::audit::record(
        conn,
        now,
        actor,
        crate::service::domain::audit::Action::UserChange,
        &format!("user {name}"),
        &what.join(", "),
    )?;
    Ok(User {
        role: role.unwrap_or(user.role),
        ..user
    })
}

/// For the security administrator's grant: who gave an account waiting for a role its one-time
/// code, and when and from where the code was replaced (the audit log's `user.add`/`user.reset`
/// and the owner's `user.password`). A system administrator who resets an editor and replaces
/// the code themself shows here as a replacement from the administrator's own address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Handover {
    /// Who created the account or reset its password (`command line` on the host).
    pub by: String,
    /// `user.add` or `user.reset`.
    pub action: String,
    pub at: String,
    /// When the code was replaced; absent while it is unused.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replaced_at: Option<String>,
    /// The address it was replaced from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replaced_from: Option<String>,
    /// The code was replaced from an address `by` has logged in from, or gave the code from:
    /// confirm in person with the owner that they chose the password before granting.
    pub from_administrators_address: bool,
}

/// `Handover` of an account that has no role (waiting for a grant); `None` for others, or when
/// the log has no `user.add`/`user.reset` of it (pruned).
pub fn handover(conn: &Conn, user: &User) -> Result<Option<Handover>, Error> {
    if user.role != Role::Unassigned {
        return Ok(None);
    }
    let issued = store::last_code_issued(conn, &format!("user {}", user.name))?;
    let Some((id, by, action, at, issued_from)) = issued else {
        return Ok(None);
    };
    let replaced = store::first_password_change_after(conn, &user.name, id)?;
    let (replaced_at, replaced_from) = replaced.unzip();
    // Only a real address says anything: `unknown` and `host` are everyone's.
    let from_administrators_address = match replaced_from.as_deref() {
        Some(address) if !["", "unknown", "host"].contains(&address) => {
            address == issued_from || logged_in_from(conn, &by, address)?
        }
        _ => false,
    };
    Ok(Some(Handover {
        by,
        action,
        at,
        replaced_at,
        replaced_from,
        from_administrators_address,
    }))
}

/// Whether `name` ever logged in from `address` (a `login` entry of the audit log, through the
/// accounts migration's index).
pub fn logged_in_from(conn: &Conn, name: &str, address: &str) -> Result<bool, Error> {
    store::logged_in_from(conn, name, address)
}
