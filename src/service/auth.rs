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

use super::error::ServiceError;
use crate::model::Timestamp;

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
        }
    }

    /// The three administrators of 三员分立: granted only by the security administrator (or
    /// on the host, `noticecast user add`), never by the system administrator.
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

/// Whether `actor` may add a user of `role` (三员分立): the system administrator adds editors and
/// reviewers; an administrator role is granted only by the security administrator changing an
/// account's role (or on the host, `noticecast user add`).
pub fn may_add(actor: &User, role: Role) -> Result<(), ServiceError> {
    match actor.role {
        Role::Sysadmin if !role.is_administrator() => Ok(()),
        Role::Sysadmin => Err(ServiceError::Forbidden(format!(
            "the system administrator adds editors and reviewers; the {} role is granted by the \
             security administrator",
            role.as_str()
        ))),
        _ => Err(ServiceError::Forbidden(format!(
            "{} is a {} and may not add users",
            actor.name,
            actor.role.as_str()
        ))),
    }
}

/// What a change of an account does, as `may_change` weighs it.
#[derive(Debug, Clone, Copy, Default)]
pub struct AccountChange {
    /// A different role than the account has.
    pub role: Option<Role>,
    /// A new password, or the account disabled or enabled.
    pub credentials: bool,
}

/// Whether `actor` may change `target` so (三员分立): roles are the security administrator's
/// to grant, never to themselves; the system administrator keeps the passwords and the state of
/// editors' and reviewers' accounts, the security administrator those of the administrators
/// (other than their own). Nobody else changes accounts.
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
    }
    if change.credentials {
        let allowed = match actor.role {
            Role::Sysadmin => !target.role.is_administrator(),
            Role::Secadmin => target.role.is_administrator() && actor.id != target.id,
            _ => false,
        };
        if !allowed {
            return refuse(format!(
                "a {} may not reset the password or the state of {} ({}): the system \
                 administrator keeps editors' and reviewers' accounts, the security \
                 administrator the other administrators'",
                actor.role.as_str(),
                target.name,
                target.role.as_str()
            ));
        }
    }
    Ok(())
}

/// Adds a user; `actor` (who did it) goes into the audit log.
pub fn add_user(
    conn: &Connection,
    actor: &str,
    name: &str,
    role: Role,
    password: &str,
    now: Timestamp,
) -> Result<User, ServiceError> {
    check_user_name(name)?;
    check_password_for(password, name)?;
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
        "INSERT INTO users (name, role, password_hash, created_at) VALUES (?1, ?2, ?3, ?4)",
        params![name, role.as_str(), hash, now.to_rfc3339()],
    )?;
    let id = conn.last_insert_rowid();
    super::audit::record(
        conn,
        now,
        actor,
        "user.add",
        &format!("user {name}"),
        role.as_str(),
    )?;
    Ok(User {
        id,
        name: name.to_string(),
        role,
    })
}

fn user_from_row(r: &rusqlite::Row) -> rusqlite::Result<User> {
    let role: String = r.get(2)?;
    Ok(User {
        id: r.get(0)?,
        name: r.get(1)?,
        role: Role::parse(&role).unwrap_or(Role::Editor),
    })
}

pub fn user_by_name(conn: &Connection, name: &str) -> Result<Option<User>, ServiceError> {
    Ok(conn
        .query_row(
            "SELECT id, name, role FROM users WHERE name = ?1",
            [name],
            user_from_row,
        )
        .optional()?)
}

pub fn list_users(conn: &Connection) -> Result<Vec<User>, ServiceError> {
    let mut stmt = conn.prepare("SELECT id, name, role FROM users ORDER BY name")?;
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

/// A staff member adds a user (the API and the console): `may_add`, then `add_user`.
pub fn add_account(
    conn: &Connection,
    actor: &User,
    name: &str,
    role: Role,
    password: &str,
    now: Timestamp,
) -> Result<User, ServiceError> {
    may_add(actor, role)?;
    add_user(conn, &actor.name, name, role, password, now)
}

/// A staff member changes an account (the API and the console): only what differs counts (the
/// console's form always says the role and the state), `may_change` decides, `update_user`
/// does it.
pub fn change_account(
    conn: &Connection,
    actor: &User,
    name: &str,
    role: Option<Role>,
    password: Option<&str>,
    disabled: Option<bool>,
    now: Timestamp,
) -> Result<User, ServiceError> {
    let target = user_by_name(conn, name)?
        .ok_or_else(|| ServiceError::NotFound(format!("no user named {name:?}")))?;
    let is_disabled = disabled_users(conn)?.contains(name);
    let role = role.filter(|r| *r != target.role);
    let disabled = disabled.filter(|d| *d != is_disabled);
    let change = AccountChange {
        role,
        credentials: password.is_some() || disabled.is_some(),
    };
    may_change(actor, &target, change)?;
    update_user(conn, &actor.name, name, role, password, disabled, now)
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
    // Only a change of state counts (the console's form always says the state).
    let disabled = disabled.filter(|d| *d != was_disabled);
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
    super::audit::record(
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
            "SELECT id, name, role, password_hash FROM users
             WHERE name = ?1 AND disabled_at IS NULL",
            [name],
            |r| Ok((user_from_row(r)?, r.get(3)?)),
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
            "SELECT u.id, u.name, u.role, s.csrf, s.created_at, s.expires_at
             FROM sessions s JOIN users u ON u.id = s.user_id
             WHERE s.token_hash = ?1 AND u.disabled_at IS NULL",
            [&hash],
            |r| Ok((user_from_row(r)?, r.get(3)?, r.get(4)?, r.get(5)?)),
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
        super::audit::record(conn, now, &name, "logout", "session", "")?;
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

/// Failed logins per name and per client address: after `MAX_FAILURES` within `WINDOW`, further
/// attempts are refused until the window has passed. A success clears the name's count.
/// An attempt counts from when it starts (`begin`), not when its password check fails: 40
/// simultaneous attempts cannot slip past the limit while the first checks run.
pub struct LoginLimiter {
    failures: HashMap<String, Vec<Instant>>,
}

const MAX_FAILURES: usize = 5;
const WINDOW: Duration = Duration::from_secs(15 * 60);
/// A login name over the limit may be tried once in this long.
pub const SLOW_DOWN: Duration = Duration::from_secs(3);

impl Default for LoginLimiter {
    fn default() -> Self {
        LoginLimiter::new()
    }
}

impl LoginLimiter {
    pub fn new() -> LoginLimiter {
        LoginLimiter {
            failures: HashMap::new(),
        }
    }

    /// `Err` with the seconds to wait when any of `keys` is over the limit. `keys[0]` is the
    /// login name's: over the limit a name is slowed down to one attempt per `SLOW_DOWN`, never
    /// locked (anyone who knows a name could lock its owner out for the window); the other keys
    /// (the client's address) are locked for the window.
    pub fn check(&mut self, keys: &[String], now: Instant) -> Result<(), ServiceError> {
        let mut wait = Duration::ZERO;
        for (i, key) in keys.iter().enumerate() {
            if let Some(list) = self.failures.get_mut(key) {
                list.retain(|t| now.duration_since(*t) < WINDOW);
                if list.len() >= MAX_FAILURES {
                    let left = if i == 0 {
                        let since = list.last().map_or(SLOW_DOWN, |t| now.duration_since(*t));
                        SLOW_DOWN.saturating_sub(since)
                    } else {
                        WINDOW - now.duration_since(list[0])
                    };
                    wait = wait.max(left);
                }
            }
        }
        if wait.is_zero() {
            Ok(())
        } else {
            Err(ServiceError::TooManyRequests {
                retry_after_s: wait.as_secs().max(1),
            })
        }
    }

    /// Checks the limit and counts this attempt against it, in one step.
    pub fn begin(&mut self, keys: &[String], now: Instant) -> Result<(), ServiceError> {
        self.check(keys, now)?;
        self.failed(keys, now);
        Ok(())
    }

    /// A begun attempt succeeded: the name's count is cleared and the attempt no longer counts
    /// against the other keys (the client's address).
    pub fn succeeded_after_begin(&mut self, keys: &[String]) {
        for (i, key) in keys.iter().enumerate() {
            if i == 0 {
                self.failures.remove(key);
            } else if let Some(list) = self.failures.get_mut(key) {
                list.pop();
            }
        }
    }

    pub fn failed(&mut self, keys: &[String], now: Instant) {
        // Bounded: an attacker cycling names cannot grow this without end.
        if self.failures.len() > 10_000 {
            self.failures
                .retain(|_, list| list.last().is_some_and(|t| now.duration_since(*t) < WINDOW));
        }
        for key in keys {
            self.failures.entry(key.clone()).or_default().push(now);
        }
    }

    pub fn succeeded(&mut self, name_key: &str) {
        self.failures.remove(name_key);
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
    fn limiter_blocks_after_five_failures_for_the_window() {
        let mut limiter = LoginLimiter::new();
        let keys = vec!["name:a".to_string(), "ip:1".to_string()];
        let t = Instant::now();
        for _ in 0..MAX_FAILURES {
            limiter.check(&keys, t).unwrap();
            limiter.failed(&keys, t);
        }
        assert!(matches!(
            limiter.check(&keys, t),
            Err(ServiceError::TooManyRequests { .. })
        ));
        // Another name from the same address is blocked too; after the window, nothing is.
        assert!(
            limiter
                .check(&["name:b".to_string(), "ip:1".to_string()], t)
                .is_err()
        );
        // The name itself, from another address: slowed down, not locked out.
        let elsewhere = vec!["name:a".to_string(), "ip:2".to_string()];
        assert!(limiter.check(&elsewhere, t).is_err());
        limiter.check(&elsewhere, t + SLOW_DOWN).unwrap();
        limiter.check(&keys, t + WINDOW).unwrap();
    }
}
