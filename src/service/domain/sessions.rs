//! Logging in and staying logged in: the check of a name and password (on a bounded pool of
//! threads, the `PasswordGate`), and cookie sessions with their CSRF token and their limits in
//! time.
//!
//! Only a session token's hash is stored (`passwords::token_hash`).

use std::sync::{Arc, Mutex};

use chrono::Duration as Span;

use crate::model::Timestamp;
use crate::service::domain::accounts::{User, user_from_row};
use crate::service::domain::error::Error;
use crate::service::domain::passwords::{password_matches, random_token, token_hash};
use crate::service::domain::storage::Conn;
use crate::service::domain::storage::sessions as store;

/// Sessions end after this long without a request, and after `SESSION_MAX` in any case.
pub const SESSION_IDLE: Span = Span::minutes(30);
pub const SESSION_MAX: Span = Span::hours(10);

/// How long an ended session is remembered, and a form sent on it kept: a clerk who went to
/// lunch with a notice half typed finds it after logging in again the same day.
pub const ENDED_KEPT: Span = Span::hours(12);

/// Checks a name and password; `None` for either wrong (the caller does not say which).
pub fn check_login(conn: &Conn, name: &str, password: &str) -> Result<Option<User>, Error> {
    Ok(verify_login(login_record(conn, name)?, password))
}

/// The user and stored hash for a login name: read under the database lock, which
/// `verify_login`, the slow part, does not need.
pub fn login_record(conn: &Conn, name: &str) -> Result<Option<(User, String)>, Error> {
    Ok(store::login_record(conn, name)?.map(|(user, hash)| (user_from_row(user), hash)))
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

const DUMMY_HASH: &str = concat!(
    "$argon2id$v=19$m=19456,t=2,p=1",
    "$c29tZXNhbHRzb21lc2FsdA$1u4mZ1vJ0n3m0xoN3cEw0n3h7xVxCw0m8w5Zs9n5k0I"
);

/// A new session: returns the session token (the cookie) and the CSRF token.
pub fn start_session(conn: &Conn, user: &User, now: Timestamp) -> Result<(String, String), Error> {
    let token = random_token()?;
    let csrf = random_token()?;
    store::delete_expired(conn, now - ENDED_KEPT)?;
    store::insert_session(
        conn,
        &token_hash(&token),
        user.id,
        &csrf,
        now,
        now + SESSION_IDLE,
    )?;
    Ok((token, csrf))
}

/// The user and CSRF token of a live session, extending it by `SESSION_IDLE` (up to
/// `SESSION_MAX` after login).
pub fn resume_session(
    conn: &Conn,
    token: &str,
    now: Timestamp,
) -> Result<Option<(User, String)>, Error> {
    let hash = token_hash(token);
    let Some((user, csrf, created, expires)) = store::session(conn, &hash)? else {
        return Ok(None);
    };
    let user = user_from_row(user);
    let parse = |s: &str| Timestamp::parse_from_rfc3339(s).ok();
    let (Some(created), Some(expires)) = (parse(&created), parse(&expires)) else {
        return Ok(None);
    };
    if now >= expires {
        // Remembered a while as ended ([`ended_session`]), never resumed.
        return Ok(None);
    }
    let extended = (now + SESSION_IDLE).min(created + SESSION_MAX);
    store::set_expires(conn, &hash, extended)?;
    Ok(Some((user, csrf)))
}

/// The user and CSRF token of a session of `token` that ended (idle or at its maximum) within
/// [`ENDED_KEPT`]: whose form, sent too late, is kept for them ([`hold_form`]).
pub fn ended_session(
    conn: &Conn,
    token: &str,
    now: Timestamp,
) -> Result<Option<(User, String)>, Error> {
    let Some((user, csrf, _, expires)) = store::session(conn, &token_hash(token))? else {
        return Ok(None);
    };
    let ended = Timestamp::parse_from_rfc3339(&expires)
        .ok()
        .is_some_and(|e| e <= now && now < e + ENDED_KEPT);
    Ok(ended.then(|| (user_from_row(user), csrf)))
}

/// Keeps a form `user` sent to `path` on their ended session `token` (which is ended for good),
/// for them to find after logging in again; audited.
pub fn hold_form(
    conn: &Conn,
    user: &User,
    token: &str,
    (path, content_type, body): (&str, &str, &[u8]),
    now: Timestamp,
) -> Result<(), Error> {
    store::hold_form(conn, user.id, path, content_type, body, now)?;
    store::delete_session(conn, &token_hash(token))?;
    crate::service::domain::audit::record(
        conn,
        now,
        &user.name,
        crate::service::domain::audit::Action::FormHeld,
        "console",
        &format!(
            "a form for {path} ({} bytes) sent after the session ended",
            body.len()
        ),
    )
}

/// The form held for `user`, if any (taken: it is given back once): path, content type, body.
pub fn take_held_form(
    conn: &Conn,
    user: &User,
    now: Timestamp,
) -> Result<Option<(String, String, Vec<u8>)>, Error> {
    store::take_held_form(conn, user.id, now - ENDED_KEPT)
}

pub fn has_held_form(conn: &Conn, user: &User, now: Timestamp) -> Result<bool, Error> {
    store::has_held_form(conn, user.id, now - ENDED_KEPT)
}

/// Ends the session of `token` (a logout); audited with the user's name.
pub fn end_session(conn: &Conn, token: &str, now: Timestamp) -> Result<(), Error> {
    let hash = token_hash(token);
    let name = store::session_user_name(conn, &hash)?;
    store::delete_session(conn, &hash)?;
    if let Some(name) = name {
        crate::service::domain::audit::record(
            conn,
            now,
            &name,
            crate::service::domain::audit::Action::Logout,
            "session",
            "",
        )?;
    }
    Ok(())
}

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
    fn sender(&self) -> Result<std::sync::mpsc::Sender<PasswordJob>, Error> {
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
                .map_err(|e| Error::Internal(format!("password thread: {e}")))?;
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
    ) -> Result<Option<User>, Error> {
        use std::sync::atomic::Ordering::SeqCst;
        if self.admitted.fetch_add(1, SeqCst) >= self.parallel + self.queue {
            self.admitted.fetch_sub(1, SeqCst);
            return Err(Error::Busy { retry_after_s: 2 });
        }
        let result = async {
            let (reply, answer) = tokio::sync::oneshot::channel();
            self.sender()?
                .send((record, password, reply))
                .map_err(|_| Error::Internal("password threads stopped".into()))?;
            answer
                .await
                .map_err(|_| Error::Internal("password check lost".into()))
        }
        .await;
        self.admitted.fetch_sub(1, SeqCst);
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::service::domain::accounts::{Role, add_user, user_by_name};

    fn t0() -> Timestamp {
        Timestamp::parse_from_rfc3339("2026-11-27T09:00:00+08:00").unwrap()
    }

    #[test]
    fn sessions_expire_when_idle_and_at_most_after_the_maximum() {
        let conn = super::super::storage::open_in_memory().unwrap();
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
}
