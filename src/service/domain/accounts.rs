//! Who is asking: staff users with roles and argon2id passwords, cookie sessions with a CSRF
//! token, screen bearer tokens, and the login rate limit.
//!
//! Secrets are random 256-bit values; only their SHA-256 is stored, so a copy of the database
//! does not let anyone log in or speak for a screen.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, SaltString};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::Duration as Span;
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

use crate::model::Timestamp;
use crate::service::domain::error::ServiceError;

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
    pub fn require(&self, allowed: &[Role], what: &str) -> Result<(), ServiceError> {
        if allowed.contains(&self.role) {
            Ok(())
        } else {
            Err(ServiceError::Forbidden(format!(
                "{} is a {} and may not {what}",
                self.name,
                self.role.as_str()
            )))
        }
    }
}

/// Sessions end after this long without a request, and after `SESSION_MAX` in any case.
pub const SESSION_IDLE: Span = Span::minutes(30);
pub const SESSION_MAX: Span = Span::hours(10);
pub const MIN_PASSWORD_CHARS: usize = 10;

/// 32 random bytes, URL-safe base64: session ids, CSRF tokens, screen tokens.
pub fn random_token() -> Result<String, ServiceError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|e| ServiceError::Internal(format!("random numbers: {e}")))?;
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}

/// What the database keeps of a secret token.
pub fn token_hash(token: &str) -> String {
    crate::feed::assets::sha256_hex(token.as_bytes())
}

/// Compares without an early exit, so timing does not reveal how much of a token matched.
pub fn same_secret(a: &str, b: &str) -> bool {
    let (a, b) = (Sha256::digest(a.as_bytes()), Sha256::digest(b.as_bytes()));
    a.iter()
        .zip(b.iter())
        .fold(0u8, |acc, (x, y)| acc | (x ^ y))
        == 0
}

pub fn hash_password(password: &str) -> Result<String, ServiceError> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt)
        .map_err(|e| ServiceError::Internal(format!("random numbers: {e}")))?;
    let salt = SaltString::encode_b64(&salt)
        .map_err(|e| ServiceError::Internal(format!("password salt: {e}")))?;
    // Argon2::default() is argon2id, v19, 19 MiB, 2 passes: OWASP's recommendation.
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| ServiceError::Internal(format!("password hash: {e}")))
}

/// Checks `password` against a stored argon2 PHC string, in a buffer kept by the thread: the
/// crate's own `verify_password` allocated 19 MiB per check, and the allocator did not reuse
/// those holes (20 checks on two threads left 269 MiB resident).
fn password_matches(password: &str, stored: &str) -> bool {
    use argon2::{Algorithm, Block, Params, Version};
    thread_local! {
        static BLOCKS: std::cell::RefCell<Vec<Block>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    let Ok(hash) = PasswordHash::new(stored) else {
        return false;
    };
    let (Ok(params), Ok(algorithm)) =
        (Params::try_from(&hash), Algorithm::try_from(hash.algorithm))
    else {
        return false;
    };
    let Ok(version) = hash.version.map(Version::try_from).transpose() else {
        return false;
    };
    let (Some(salt), Some(expected)) = (hash.salt, hash.hash) else {
        return false;
    };
    // Our hashes use 19 MiB; a stored hash asking for far more is not ours.
    if params.m_cost() > 4 * Params::DEFAULT_M_COST {
        return false;
    }
    let mut salt_buf = [0u8; 64];
    let Ok(salt) = salt.decode_b64(&mut salt_buf) else {
        return false;
    };
    let argon = Argon2::new(algorithm, version.unwrap_or_default(), params.clone());
    let mut out = vec![0u8; expected.len()];
    let hashed = BLOCKS.with(|blocks| {
        let mut blocks = blocks.borrow_mut();
        let n = params.block_count();
        if blocks.len() < n {
            blocks.resize(n, Block::default());
        }
        argon
            .hash_password_into_with_memory(password.as_bytes(), salt, &mut out, &mut blocks[..n])
            .is_ok()
    });
    // Output's equality is constant-time.
    hashed && argon2::password_hash::Output::new(&out).is_ok_and(|o| o == expected)
}

/// A login name: what staff type, so any letters (Chinese too), no spaces or control characters.
pub fn check_user_name(name: &str) -> Result<(), ServiceError> {
    let n = name.chars().count();
    // Letters of any script, digits, and - _ . (not leading, never ..): a name is also a path
    // segment in the console's forms, and `../screens/s-led/token` once re-issued a screen
    // token through the user form.
    let safe = name
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '·'));
    if n == 0 || n > MAX_LOGIN_NAME || !safe || name.starts_with('.') || name.contains("..") {
        return Err(ServiceError::invalid(
            "name",
            format!(
                "{name:?} must be 1 to {MAX_LOGIN_NAME} letters, digits, - _ or . (not leading)"
            ),
        ));
    }
    Ok(())
}

pub fn check_password(password: &str) -> Result<(), ServiceError> {
    check_password_for(password, "")
}

/// Passwords anyone could guess are refused: too short, only spaces, one character repeated,
/// or containing the user's own name.
pub fn check_password_for(password: &str, name: &str) -> Result<(), ServiceError> {
    let bad = |why: &str| Err(ServiceError::invalid("password", why.to_string()));
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return bad(&format!("must be at least {MIN_PASSWORD_CHARS} characters"));
    }
    if password.trim().is_empty() {
        return bad("is only spaces");
    }
    let mut chars = password.chars();
    let first = chars.next();
    if chars.all(|c| Some(c) == first) {
        return bad("is one character repeated");
    }
    if !name.is_empty() && password.to_lowercase().contains(&name.to_lowercase()) {
        return bad("contains the user name");
    }
    Ok(())
}

/// Whether `actor` may add an account (三员分立): only the system administrator, and the account
/// has no role until the security administrator grants one (`change_account`), so neither of
/// them alone makes an account that can do anything. Roles at creation are only on the host
/// (`noticecast user add`).
pub fn may_add(actor: &User) -> Result<(), ServiceError> {
    if actor.role == Role::Sysadmin {
        Ok(())
    } else {
        Err(ServiceError::Forbidden(format!(
            "{} is a {} and may not add users",
            actor.name,
            actor.role.as_str()
        )))
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
pub fn may_change(actor: &User, target: &User, change: AccountChange) -> Result<(), ServiceError> {
    let refuse = |why: String| Err(ServiceError::Forbidden(why));
    if let Some(role) = change.role {
        if actor.role != Role::Secadmin {
            return refuse(format!(
                "roles are granted by the security administrator, not a {}",
                actor.role.as_str()
            ));
        }
        if actor.id == target.id {
            return refuse(format!(
                "nobody grants a role to themselves ({} asked for {})",
                actor.name,
                role.as_str()
            ));
        }
        if !Role::GRANTED_ONLINE.contains(&role) {
            return refuse(format!(
                "the {} role is granted only on the host (noticecast user grant), not through \
                 the console or the API",
                role.as_str()
            ));
        }
        if target.role.is_administrator() {
            return refuse(format!(
                "{} is a {}: an administrator's role is changed only on the host (noticecast \
                 user grant)",
                target.name,
                target.role.as_str()
            ));
        }
    }
    if change.reset || change.state {
        if target.role.is_administrator() {
            return refuse(format!(
                "{} is a {}: an administrator's password is reset and an administrator's \
                 account disabled only on the host (noticecast user reset, noticecast user \
                 disable), never by another administrator",
                target.name,
                target.role.as_str()
            ));
        }
        if actor.role != Role::Sysadmin {
            return refuse(format!(
                "a {} may not reset the password or the state of {}: the system administrator \
                 keeps editors' and reviewers' accounts",
                actor.role.as_str(),
                target.name
            ));
        }
    }
    Ok(())
}

/// A one-time code for a new account or a reset password: 20 random characters (100 bits) in
/// groups of four, from 31 letters and digits nobody confuses (no 0/o, 1/l/i). Shown once; its
/// owner replaces it at the first login.
pub fn one_time_code() -> Result<String, ServiceError> {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut chars = Vec::with_capacity(20);
    while chars.len() < 20 {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes)
            .map_err(|e| ServiceError::Internal(format!("random numbers: {e}")))?;
        // Bytes past the last whole multiple of 31 are dropped: every character equally likely.
        chars.extend(
            bytes
                .iter()
                .filter(|b| (**b as usize) < 256 / ALPHABET.len() * ALPHABET.len())
                .map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char),
        );
    }
    chars.truncate(20);
    Ok(chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-"))
}

/// Adds a user with a role and a password its owner chose: on the host only (`noticecast user
/// add`, which reads the password from standard input; `demo-seed`; tests), where root is
/// trusted to bootstrap the office. `actor` (who did it) goes into the audit log.
pub fn add_user(
    conn: &Connection,
    actor: &str,
    name: &str,
    role: Role,
    password: &str,
    now: Timestamp,
) -> Result<User, ServiceError> {
    check_password_for(password, name)?;
    insert_user(conn, actor, name, role, password, false, now)
}

fn insert_user(
    conn: &Connection,
    actor: &str,
    name: &str,
    role: Role,
    password: &str,
    one_time: bool,
    now: Timestamp,
) -> Result<User, ServiceError> {
    check_user_name(name)?;
    let hash = hash_password(password)?;
    let exists: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM users WHERE name = ?1)",
        [name],
        |r| r.get(0),
    )?;
    if exists {
        return Err(ServiceError::Conflict(format!(
            "a user named {name:?} exists"
        )));
    }
    conn.execute(
        "INSERT INTO users (name, role, password_hash, created_at, must_change_password)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![name, role.as_str(), hash, now.to_rfc3339(), one_time],
    )?;
    let id = conn.last_insert_rowid();
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
        "user.add",
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

/// `SELECT id, name, role, must_change_password ...`
fn user_from_row(r: &rusqlite::Row) -> rusqlite::Result<User> {
    let role: String = r.get(2)?;
    Ok(User {
        id: r.get(0)?,
        name: r.get(1)?,
        role: Role::from_stored(&role),
        must_change_password: r.get(3)?,
    })
}

pub fn user_by_name(conn: &Connection, name: &str) -> Result<Option<User>, ServiceError> {
    Ok(conn
        .query_row(
            "SELECT id, name, role, must_change_password FROM users WHERE name = ?1",
            [name],
            user_from_row,
        )
        .optional()?)
}

pub fn list_users(conn: &Connection) -> Result<Vec<User>, ServiceError> {
    let mut stmt =
        conn.prepare("SELECT id, name, role, must_change_password FROM users ORDER BY name")?;
    let users = stmt
        .query_map([], user_from_row)?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(users)
}

/// The names of disabled users.
pub fn disabled_users(
    conn: &Connection,
) -> Result<std::collections::HashSet<String>, ServiceError> {
    let mut stmt = conn.prepare("SELECT name FROM users WHERE disabled_at IS NOT NULL")?;
    let names = stmt
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    Ok(names)
}

/// The system administrator adds an account (the API and the console): no role, and a one-time
/// code as its password, returned to be handed to its owner. Nobody but the owner ever holds a
/// working password, and the account does nothing until the security administrator grants it a
/// role.
pub fn add_account(
    conn: &Connection,
    actor: &User,
    name: &str,
    now: Timestamp,
) -> Result<(User, String), ServiceError> {
    may_add(actor)?;
    let code = one_time_code()?;
    let user = insert_user(conn, &actor.name, name, Role::Unassigned, &code, true, now)?;
    Ok((user, code))
}

/// A staff member changes an account (the API and the console): only what differs counts (the
/// console's form always says the role and the state), `may_change` decides, `update_user` and
/// `reset_password` do it. A reset returns the one-time code.
pub fn change_account(
    conn: &Connection,
    actor: &User,
    name: &str,
    role: Option<Role>,
    reset: bool,
    disabled: Option<bool>,
    now: Timestamp,
) -> Result<(User, Option<String>), ServiceError> {
    let target = user_by_name(conn, name)?
        .ok_or_else(|| ServiceError::NotFound(format!("no user named {name:?}")))?;
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
        return Err(ServiceError::Conflict(format!(
            "{name} has not replaced its one-time code yet: grant a role once its owner has \
             logged in and chosen a password"
        )));
    }
    let mut user = update_user(conn, &actor.name, name, role, None, disabled, now)?;
    let mut code = None;
    if reset {
        // Suspended: the system administrator who saw the code could otherwise log in with it
        // and act in the role; the security administrator grants it again once the owner has
        // chosen a password.
        code = Some(reset_password(conn, &actor.name, name, true, now)?);
        user = user_by_name(conn, name)?
            .ok_or_else(|| ServiceError::NotFound(format!("no user named {name:?}")))?;
    }
    Ok((user, code))
}

/// Replaces a user's password with a one-time code (returned, shown once), ends their sessions;
/// with `suspend_role`, the account also loses its role until it is granted again. Audited.
pub fn reset_password(
    conn: &Connection,
    actor: &str,
    name: &str,
    suspend_role: bool,
    now: Timestamp,
) -> Result<String, ServiceError> {
    let user = user_by_name(conn, name)?
        .ok_or_else(|| ServiceError::NotFound(format!("no user named {name:?}")))?;
    let code = one_time_code()?;
    conn.execute(
        "UPDATE users SET password_hash = ?1, must_change_password = 1 WHERE id = ?2",
        params![hash_password(&code)?, user.id],
    )?;
    conn.execute("DELETE FROM sessions WHERE user_id = ?1", [user.id])?;
    let mut detail = "password reset to a one-time code".to_string();
    if suspend_role && user.role != Role::Unassigned {
        conn.execute("UPDATE users SET role = 'none' WHERE id = ?1", [user.id])?;
        detail.push_str(&format!(
            "; role {} suspended until the security administrator grants it again",
            user.role.as_str()
        ));
    }
    crate::service::domain::audit::record(
        conn,
        now,
        actor,
        "user.reset",
        &format!("user {name}"),
        &detail,
    )?;
    Ok(code)
}

/// A user replaces their own password (after the caller checked the current one): the new one
/// follows the password rules and differs from the current, the one-time flag goes, and every
/// session of theirs but `keep` (the session asking, by its cookie token) ends. Audited.
pub fn set_own_password(
    conn: &Connection,
    user: &User,
    current: &str,
    new: &str,
    keep: Option<&str>,
    now: Timestamp,
) -> Result<(), ServiceError> {
    // The rules' problems name the request's field, `new`.
    check_password_for(new, &user.name).map_err(|e| match e {
        ServiceError::Invalid(mut list) => {
            for p in &mut list {
                p.path = "new".into();
            }
            ServiceError::Invalid(list)
        }
        other => other,
    })?;
    if new == current {
        return Err(ServiceError::invalid(
            "new",
            "is the current password: choose another one".to_string(),
        ));
    }
    conn.execute(
        "UPDATE users SET password_hash = ?1, must_change_password = 0 WHERE id = ?2",
        params![hash_password(new)?, user.id],
    )?;
    let ended = conn.execute(
        "DELETE FROM sessions WHERE user_id = ?1 AND token_hash IS NOT ?2",
        params![user.id, keep.map(token_hash)],
    )?;
    crate::service::domain::audit::record(
        conn,
        now,
        &user.name,
        "user.password",
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
    conn: &Connection,
    actor: &str,
    name: &str,
    role: Option<Role>,
    password: Option<&str>,
    disabled: Option<bool>,
    now: Timestamp,
) -> Result<User, ServiceError> {
    let user = user_by_name(conn, name)?
        .ok_or_else(|| ServiceError::NotFound(format!("no user named {name:?}")))?;
    let was_disabled: bool = conn.query_row(
        "SELECT disabled_at IS NOT NULL FROM users WHERE id = ?1",
        [user.id],
        |r| r.get(0),
    )?;
    // Only a change counts (the console's form always says the role and the state): nothing
    // changed, nothing written, no entry in the log claiming a change.
    let disabled = disabled.filter(|d| *d != was_disabled);
    let role = role.filter(|r| *r != user.role);
    if role.is_none() && password.is_none() && disabled.is_none() {
        return Ok(user);
    }
    if let Some(disabled) = disabled {
        if disabled && actor == name {
            return Err(ServiceError::Conflict(
                "nobody disables their own account".into(),
            ));
        }
        conn.execute(
            "UPDATE users SET disabled_at = ?1 WHERE id = ?2",
            params![disabled.then(|| now.to_rfc3339()), user.id],
        )?;
        if disabled {
            conn.execute("DELETE FROM sessions WHERE user_id = ?1", [user.id])?;
        }
    }
    if let Some(role) = role {
        conn.execute(
            "UPDATE users SET role = ?1 WHERE id = ?2",
            params![role.as_str(), user.id],
        )?;
    }
    if let Some(password) = password {
        check_password_for(password, name)?;
        conn.execute(
            "UPDATE users SET password_hash = ?1 WHERE id = ?2",
            params![hash_password(password)?, user.id],
        )?;
        conn.execute("DELETE FROM sessions WHERE user_id = ?1", [user.id])?;
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
        "user.change",
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
pub fn handover(conn: &Connection, user: &User) -> Result<Option<Handover>, ServiceError> {
    if user.role != Role::Unassigned {
        return Ok(None);
    }
    let issued: Option<(i64, String, String, String, String)> = conn
        .query_row(
            "SELECT id, actor, action, at, COALESCE(source, '') FROM audit
             WHERE action IN ('user.add', 'user.reset') AND subject = ?1
             ORDER BY id DESC LIMIT 1",
            [format!("user {}", user.name)],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .optional()?;
    let Some((id, by, action, at, issued_from)) = issued else {
        return Ok(None);
    };
    let replaced: Option<(String, String)> = conn
        .query_row(
            "SELECT at, COALESCE(source, '') FROM audit
             WHERE action = 'user.password' AND actor = ?1 AND id > ?2
             ORDER BY id LIMIT 1",
            params![user.name, id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
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
pub fn logged_in_from(conn: &Connection, name: &str, address: &str) -> Result<bool, ServiceError> {
    Ok(conn
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM audit
                            WHERE action = 'login' AND actor = ?1 AND source = ?2)",
        )?
        .query_row(params![name, address], |r| r.get(0))?)
}

/// Checks a name and password; `None` for either wrong (the caller does not say which).
pub fn check_login(
    conn: &Connection,
    name: &str,
    password: &str,
) -> Result<Option<User>, ServiceError> {
    Ok(verify_login(login_record(conn, name)?, password))
}

/// The user and stored hash for a login name: read under the database lock, which
/// `verify_login`, the slow part, does not need.
pub fn login_record(conn: &Connection, name: &str) -> Result<Option<(User, String)>, ServiceError> {
    Ok(conn
        .query_row(
            "SELECT id, name, role, must_change_password, password_hash FROM users
             WHERE name = ?1 AND disabled_at IS NULL",
            [name],
            |r| Ok((user_from_row(r)?, r.get(4)?)),
        )
        .optional()?)
}

pub fn verify_login(record: Option<(User, String)>, password: &str) -> Option<User> {
    match record {
        Some((user, hash)) if password_matches(password, &hash) => Some(user),
        Some(_) => None,
        None => {
            // Spend the same time as for a wrong password, so timing does not reveal names.
            let _ = password_matches(password, DUMMY_HASH);
            None
        }
    }
}

const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$1u4mZ1vJ0n3m0xoN3cEw0n3h7xVxCw0m8w5Zs9n5k0I";

/// A new session: returns the session token (the cookie) and the CSRF token.
pub fn start_session(
    conn: &Connection,
    user: &User,
    now: Timestamp,
) -> Result<(String, String), ServiceError> {
    let token = random_token()?;
    let csrf = random_token()?;
    conn.execute(
        "DELETE FROM sessions WHERE expires_at < ?1",
        [now.to_rfc3339()],
    )?;
    conn.execute(
        "INSERT INTO sessions (token_hash, user_id, csrf, created_at, expires_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            token_hash(&token),
            user.id,
            csrf,
            now.to_rfc3339(),
            (now + SESSION_IDLE).to_rfc3339()
        ],
    )?;
    Ok((token, csrf))
}

/// The user and CSRF token of a live session, extending it by `SESSION_IDLE` (up to
/// `SESSION_MAX` after login).
pub fn resume_session(
    conn: &Connection,
    token: &str,
    now: Timestamp,
) -> Result<Option<(User, String)>, ServiceError> {
    let hash = token_hash(token);
    let row: Option<(User, String, String, String)> = conn
        .query_row(
            "SELECT u.id, u.name, u.role, u.must_change_password, s.csrf, s.created_at,
                    s.expires_at
             FROM sessions s JOIN users u ON u.id = s.user_id
             WHERE s.token_hash = ?1 AND u.disabled_at IS NULL",
            [&hash],
            |r| Ok((user_from_row(r)?, r.get(4)?, r.get(5)?, r.get(6)?)),
        )
        .optional()?;
    let Some((user, csrf, created, expires)) = row else {
        return Ok(None);
    };
    let parse = |s: &str| Timestamp::parse_from_rfc3339(s).ok();
    let (Some(created), Some(expires)) = (parse(&created), parse(&expires)) else {
        return Ok(None);
    };
    if now >= expires {
        conn.execute("DELETE FROM sessions WHERE token_hash = ?1", [&hash])?;
        return Ok(None);
    }
    let extended = (now + SESSION_IDLE).min(created + SESSION_MAX);
    conn.execute(
        "UPDATE sessions SET expires_at = ?1 WHERE token_hash = ?2",
        params![extended.to_rfc3339(), hash],
    )?;
    Ok(Some((user, csrf)))
}

/// Ends the session of `token` (a logout); audited with the user's name.
pub fn end_session(conn: &Connection, token: &str, now: Timestamp) -> Result<(), ServiceError> {
    let hash = token_hash(token);
    let name: Option<String> = conn
        .query_row(
            "SELECT u.name FROM sessions s JOIN users u ON u.id = s.user_id
             WHERE s.token_hash = ?1",
            [&hash],
            |r| r.get(0),
        )
        .optional()?;
    conn.execute("DELETE FROM sessions WHERE token_hash = ?1", [&hash])?;
    if let Some(name) = name {
        crate::service::domain::audit::record(conn, now, &name, "logout", "session", "")?;
    }
    Ok(())
}

/// The longest login name looked at: a longer one is refused before anything else (the audit
/// log and the limiter keep only this much of it).
pub const MAX_LOGIN_NAME: usize = 64;

/// Bounds the password checks running at once. Each argon2id check holds 19 MiB for tens of
/// milliseconds: unbounded, 300 simultaneous wrong logins took the process to 5 GB. At most
/// `parallel` run (about the number of cores), a short queue waits, and beyond it a login is
/// answered 503 at once, costing nothing.
pub struct PasswordGate {
    jobs: Mutex<Option<std::sync::mpsc::Sender<PasswordJob>>>,
    parallel: usize,
    queue: usize,
    /// Checks waiting or running now.
    admitted: std::sync::atomic::AtomicUsize,
    running: Arc<std::sync::atomic::AtomicUsize>,
    /// The most that ever ran at once (for the tests and the bench).
    pub most_running: Arc<std::sync::atomic::AtomicUsize>,
}

type PasswordJob = (
    Option<(User, String)>,
    String,
    tokio::sync::oneshot::Sender<Option<User>>,
);

impl PasswordGate {
    pub fn new(parallel: usize) -> PasswordGate {
        let parallel = parallel.max(1);
        PasswordGate {
            jobs: Mutex::new(None),
            parallel,
            queue: parallel * 8,
            admitted: 0.into(),
            running: Arc::new(0.into()),
            most_running: Arc::new(0.into()),
        }
    }

    /// As many as the machine has cores (at least 2).
    pub fn for_this_machine() -> PasswordGate {
        PasswordGate::new(std::thread::available_parallelism().map_or(2, |n| n.get().max(2)))
    }

    /// The checks run on `parallel` threads of their own, started on first use: the same few
    /// threads reuse their allocator arenas, where checks on ever new blocking-pool threads left
    /// 19 MiB behind in each thread's arena (376 MiB after 300 logins).
    fn sender(&self) -> Result<std::sync::mpsc::Sender<PasswordJob>, ServiceError> {
        let mut jobs = self.jobs.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(tx) = jobs.as_ref() {
            return Ok(tx.clone());
        }
        let (tx, rx) = std::sync::mpsc::channel::<PasswordJob>();
        let rx = Arc::new(Mutex::new(rx));
        for i in 0..self.parallel {
            let (rx, running, most) = (rx.clone(), self.running.clone(), self.most_running.clone());
            std::thread::Builder::new()
                .name(format!("password-{i}"))
                .spawn(move || {
                    use std::sync::atomic::Ordering::SeqCst;
                    loop {
                        let job = rx.lock().unwrap_or_else(|e| e.into_inner()).recv();
                        let Ok((record, password, reply)) = job else {
                            return;
                        };
                        let now = running.fetch_add(1, SeqCst) + 1;
                        most.fetch_max(now, SeqCst);
                        let user = verify_login(record, &password);
                        running.fetch_sub(1, SeqCst);
                        let _ = reply.send(user);
                    }
                })
                .map_err(|e| ServiceError::Internal(format!("password thread: {e}")))?;
        }
        *jobs = Some(tx.clone());
        Ok(tx)
    }

    /// `verify_login` on the gate's threads, when its turn comes; `Busy` at once when the queue
    /// is full.
    pub async fn verify(
        &self,
        record: Option<(User, String)>,
        password: String,
    ) -> Result<Option<User>, ServiceError> {
        use std::sync::atomic::Ordering::SeqCst;
        if self.admitted.fetch_add(1, SeqCst) >= self.parallel + self.queue {
            self.admitted.fetch_sub(1, SeqCst);
            return Err(ServiceError::Busy { retry_after_s: 2 });
        }
        let result = async {
            let (reply, answer) = tokio::sync::oneshot::channel();
            self.sender()?
                .send((record, password, reply))
                .map_err(|_| ServiceError::Internal("password threads stopped".into()))?;
            answer
                .await
                .map_err(|_| ServiceError::Internal("password check lost".into()))
        }
        .await;
        self.admitted.fetch_sub(1, SeqCst);
        result
    }
}

/// Failed logins within `WINDOW`, each attempt counted from when it starts (`begin`), not when
/// its password check fails: 40 simultaneous attempts cannot slip past a limit while the first
/// checks run. Counted two ways, and only ever against the one who guesses:
/// - per name (exactly as typed: `ED` is not `ed`) and address: `PAIR_FAILURES` lock that name
///   from that address for the window (guessing one account from one place stops there);
/// - per address, any names: `ADDRESS_FAILURES` lock, for the window, every name that has not
///   logged in from there (spraying many names from one place stops there).
///
/// A browser that has logged in as the name (its `nc_device` cookie, since the service
/// started) is held back only by its own failures, five in the window. A pair that is known (the
/// name has logged in from that address: since the service started, or the audit log says so)
/// is not held back by the address's count, and is locked there only after
/// `KNOWN_PAIR_FAILURES` (a colleague behind the same NAT guesses a bounded number of times; its
/// owner's browser still gets in). A name whose password is still an unused one-time code (100
/// random bits: guessing it is hopeless anyway, and its owner's first login must not be kept out
/// by strangers) is never held back. There is no limit per name from anywhere: anyone who knows
/// a name could spend it, at any rate, and keep the owner's right password out.
pub struct LoginLimiter {
    failures: HashMap<String, Vec<Instant>>,
    /// `pair` keys that logged in successfully (since the service started).
    known: std::collections::HashSet<String>,
    /// `device_pair` keys that logged in successfully (since the service started).
    devices: std::collections::HashSet<String>,
}

/// Who is trying to log in: the name (as typed, capped) and the client's address key.
#[derive(Debug, Clone)]
pub struct LoginKey {
    name: String,
    pair: Option<String>,
    address: Option<String>,
    /// The browser's `nc_device` cookie (its hash), if it sent one.
    device: Option<String>,
    /// The name's password is an unused one-time code: no limit here keeps it out.
    fresh_code: bool,
}

impl LoginKey {
    pub fn new(name: &str, address: Option<String>) -> LoginKey {
        // Without an address (a request that reached the service some other way), all such
        // attempts for a name share one pair: guessing it stays bounded.
        LoginKey {
            name: name.to_string(),
            device: None,
            pair: Some(format!(
                "pair:{name}|{}",
                address.as_deref().unwrap_or("unknown")
            )),
            address,
            fresh_code: false,
        }
    }

    /// The browser's device cookie, as sent.
    pub fn with_device(self, device: Option<&str>) -> LoginKey {
        LoginKey {
            device: device.map(token_hash),
            ..self
        }
    }

    fn device_pair(&self) -> Option<String> {
        let device = self.device.as_ref()?;
        Some(format!("device:{}|{device}", self.name))
    }

    /// The name's password is an unused one-time code.
    pub fn with_fresh_code(self, fresh_code: bool) -> LoginKey {
        LoginKey { fresh_code, ..self }
    }

    /// The client's address as the audit log writes it (`203.0.113.7`), if known.
    pub fn address(&self) -> Option<&str> {
        self.address
            .as_deref()
            .map(|a| a.strip_prefix("ip:").unwrap_or(a))
    }

    fn known_in(&self, known: &std::collections::HashSet<String>) -> bool {
        self.pair.as_ref().is_some_and(|p| known.contains(p))
    }
}

/// The limiter's "address" for a session checking its own current password (a password
/// change): only that session's wrong passwords count against it, and it never becomes known.
pub fn session_limit_key(csrf: &str) -> String {
    format!("session:{}", token_hash(csrf))
}

pub const PAIR_FAILURES: usize = 5;
/// A name at an address it logged in from, from a browser not known to have logged in as it
/// (a colleague behind the same NAT, or its owner after the service restarted): locked there
/// after this many failures in the window.
pub const KNOWN_PAIR_FAILURES: usize = 20;
/// The browser cookie that says which names logged in from it (`LoginLimiter`).
pub const DEVICE_COOKIE: &str = "nc_device";
pub const ADDRESS_FAILURES: usize = 50;
pub const WINDOW: Duration = Duration::from_secs(15 * 60);

impl Default for LoginLimiter {
    fn default() -> Self {
        LoginLimiter::new()
    }
}

impl LoginLimiter {
    pub fn new() -> LoginLimiter {
        LoginLimiter {
            failures: HashMap::new(),
            known: Default::default(),
            devices: Default::default(),
        }
    }

    /// The failures of `key` within the window (older ones forgotten).
    fn recent(&mut self, key: &str, now: Instant) -> Option<&Vec<Instant>> {
        let list = self.failures.get_mut(key)?;
        list.retain(|t| now.duration_since(*t) < WINDOW);
        Some(list)
    }

    /// `Err` with the seconds to wait when `key` may not be tried now.
    pub fn check(&mut self, key: &LoginKey, now: Instant) -> Result<(), ServiceError> {
        if key.fresh_code {
            return Ok(());
        }
        let locked = |list: &Vec<Instant>, limit: usize| {
            (list.len() >= limit).then(|| WINDOW - now.duration_since(list[list.len() - limit]))
        };
        let mut wait = Duration::ZERO;
        let device = key.device_pair().filter(|d| self.devices.contains(d));
        if let Some(device) = device {
            // A browser that logged in as the name: only its own failures count.
            if let Some(list) = self.recent(&device, now)
                && let Some(w) = locked(list, PAIR_FAILURES)
            {
                wait = w;
            }
            return Self::wait(wait);
        }
        let known = key.known_in(&self.known);
        let limit = if known {
            KNOWN_PAIR_FAILURES
        } else {
            PAIR_FAILURES
        };
        if let Some(pair) = &key.pair
            && let Some(list) = self.recent(pair, now)
            && let Some(w) = locked(list, limit)
        {
            wait = wait.max(w);
        }
        if !known
            && let Some(address) = &key.address
            && let Some(list) = self.recent(address, now)
            && let Some(w) = locked(list, ADDRESS_FAILURES)
        {
            wait = wait.max(w);
        }
        Self::wait(wait)
    }

    fn wait(wait: Duration) -> Result<(), ServiceError> {
        if wait.is_zero() {
            Ok(())
        } else {
            Err(ServiceError::TooManyRequests {
                retry_after_s: wait.as_secs().max(1),
            })
        }
    }

    /// Checks the limit and counts this attempt against it, in one step.
    pub fn begin(&mut self, key: &LoginKey, now: Instant) -> Result<(), ServiceError> {
        self.check(key, now)?;
        self.failed(key, now);
        Ok(())
    }

    /// A begun attempt succeeded: the pair's count is cleared (unless the browser was known
    /// already), the attempt no longer counts against the address, and the pair and the
    /// browser are known for the name from now on.
    pub fn succeeded_after_begin(&mut self, key: &LoginKey) {
        // A browser known for the name clears only its own count: the pair's may be a
        // colleague's guesses, which its owner's login must not wipe.
        let known_device = key.device_pair().is_some_and(|d| self.devices.contains(&d));
        if let Some(pair) = &key.pair
            && !known_device
        {
            self.failures.remove(pair);
        }
        if let Some(device) = key.device_pair() {
            self.failures.remove(&device);
            if self.devices.len() > 10_000 {
                self.devices.clear();
            }
            self.devices.insert(device);
        }
        self.remember(key);
        if let Some(address) = &key.address
            && let Some(list) = self.failures.get_mut(address)
        {
            list.pop();
        }
    }

    /// `key`'s name has logged in from its address (now, or before: the audit log says so):
    /// from now on its pair is known. Bounded: forgetting them all only means the audit log is
    /// asked again.
    pub fn remember(&mut self, key: &LoginKey) {
        // A session checking its own password (`session:` keys) never becomes known: a stolen
        // session stays limited however often its owner changed the password in it. Nor do
        // attempts without an address.
        if let Some(pair) = &key.pair
            && key
                .address
                .as_deref()
                .is_some_and(|a| !a.starts_with("session:"))
        {
            if self.known.len() > 10_000 {
                self.known.clear();
            }
            self.known.insert(pair.clone());
        }
    }

    pub fn failed(&mut self, key: &LoginKey, now: Instant) {
        // Bounded: an attacker cycling names cannot grow this without end.
        if self.failures.len() > 30_000 {
            self.failures
                .retain(|_, list| list.last().is_some_and(|t| now.duration_since(*t) < WINDOW));
        }
        let keys = [key.pair.clone(), key.address.clone(), key.device_pair()];
        for k in keys.into_iter().flatten() {
            self.failures.entry(k).or_default().push(now);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t0() -> Timestamp {
        Timestamp::parse_from_rfc3339("2026-11-27T09:00:00+08:00").unwrap()
    }

    #[test]
    fn passwords_are_argon2id_and_verify() {
        let hash = hash_password("correct horse battery").unwrap();
        assert!(hash.starts_with("$argon2id$"), "{hash}");
        assert!(password_matches("correct horse battery", &hash));
        assert!(!password_matches("correct horse batterY", &hash));
    }

    #[test]
    fn sessions_expire_when_idle_and_at_most_after_the_maximum() {
        let conn = super::super::db::open_in_memory().unwrap();
        let user = add_user(&conn, "test", "王芳", Role::Editor, "long enough pw", t0()).unwrap();
        let (token, csrf) = start_session(&conn, &user, t0()).unwrap();
        assert_eq!(user_by_name(&conn, "王芳").unwrap().as_ref(), Some(&user));
        let (got, got_csrf) = resume_session(&conn, &token, t0() + Span::minutes(29))
            .unwrap()
            .unwrap();
        assert_eq!((got, got_csrf), (user.clone(), csrf));
        // Kept alive by use every 20 minutes, it still ends at the maximum.
        let mut t = t0() + Span::minutes(29);
        while t < t0() + SESSION_MAX - Span::minutes(20) {
            t += Span::minutes(20);
            assert!(resume_session(&conn, &token, t).unwrap().is_some(), "{t}");
        }
        assert!(
            resume_session(&conn, &token, t0() + SESSION_MAX)
                .unwrap()
                .is_none()
        );
        // Idle for longer than the idle limit.
        let (token, _) = start_session(&conn, &user, t0()).unwrap();
        assert!(
            resume_session(&conn, &token, t0() + SESSION_IDLE + Span::seconds(1))
                .unwrap()
                .is_none()
        );
        assert!(
            resume_session(&conn, "not-a-token", t0())
                .unwrap()
                .is_none()
        );
    }

    #[test]
    fn limiter_locks_only_the_guessers_own_pair_and_address() {
        let mut limiter = LoginLimiter::new();
        let here = LoginKey::new("a", Some("ip:1".into()));
        let t = Instant::now();
        for _ in 0..PAIR_FAILURES {
            limiter.begin(&here, t).unwrap();
        }
        // That name from that address: locked for the window.
        assert!(matches!(
            limiter.check(&here, t + Duration::from_secs(60)),
            Err(ServiceError::TooManyRequests { .. })
        ));
        limiter.check(&here, t + WINDOW).unwrap();
        // Another name, another spelling, the name from elsewhere: not held back at all.
        for other in [("b", "ip:1"), ("A", "ip:1"), ("a", "ip:2")] {
            limiter
                .check(&LoginKey::new(other.0, Some(other.1.into())), t)
                .unwrap();
        }
        // Nor the name there when its password is an unused one-time code.
        limiter
            .check(&here.clone().with_fresh_code(true), t)
            .unwrap();
        // A pair that logged in before is not locked there by others' wrong passwords.
        let mut limiter = LoginLimiter::new();
        limiter.begin(&here, t).unwrap();
        limiter.succeeded_after_begin(&here);
        for _ in 0..PAIR_FAILURES * 3 {
            limiter.failed(&here, t);
        }
        limiter.check(&here, t).unwrap();
        // Many names from one address: names new there are locked, a name that logged in there
        // before is not.
        let mut limiter = LoginLimiter::new();
        let regular = LoginKey::new("regular", Some("ip:1".into()));
        limiter.begin(&regular, t).unwrap();
        limiter.succeeded_after_begin(&regular);
        for i in 0..ADDRESS_FAILURES {
            limiter
                .begin(&LoginKey::new(&format!("u{i}"), Some("ip:1".into())), t)
                .unwrap();
        }
        assert!(
            limiter
                .check(&LoginKey::new("newcomer", Some("ip:1".into())), t)
                .is_err()
        );
        limiter.check(&regular, t).unwrap();
    }
}
