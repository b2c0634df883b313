//! The central service, `noticecast serve`: notices and their review, screen groups and their
//! playlists, signed per-group feeds, the screen registry and the disclosure statistics.
//!
//! Layers, each depending only on those before it: `db` (schema) → `auth`, `audit`, `groups` →
//! `notices` (the workflow) → `feeds` (composition and signing) → `screens`, `report` → `api`
//! (HTTP, roles, OpenAPI). Everything below `api` is plain functions over a SQLite connection and
//! an explicit time, so the workflow is tested without a socket or a clock.

pub mod alerts;
pub mod api;
pub mod audit;
pub mod auth;
pub mod commands;
pub mod console;
pub mod db;
pub mod error;
pub mod feeds;
pub mod groups;
pub mod keys;
pub mod loadgen;
pub mod notices;
pub mod preview;
pub mod public;
pub mod report;
pub mod screens;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use ed25519_dalek::SigningKey;
use rusqlite::Connection;

pub use error::ServiceError;
use feeds::Published;

use crate::layout::Fonts;
use crate::model::{Timestamp, beijing_offset};

/// The service's idea of now; tests set it.
pub type Clock = Arc<dyn Fn() -> Timestamp + Send + Sync>;

pub fn system_clock() -> Clock {
    // Whole seconds: feeds, sessions and the audit log read better, and nothing needs more.
    Arc::new(|| {
        chrono::SubsecRound::trunc_subsecs(chrono::Utc::now(), 0).with_timezone(&beijing_offset())
    })
}

pub const DB_FILE: &str = "noticecast.db";

#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Mark the session cookie `Secure` (when the console is reached over HTTPS).
    pub secure_cookies: bool,
    /// Seed playlists from this folder instead of the compiled-in `playlists/`.
    pub playlists: Option<PathBuf>,
    /// The font folder for the "cannot display" warnings (default: as `Fonts::locate`).
    pub fonts: Option<PathBuf>,
    /// How long `GET /feed/{group}?wait=SEQ` holds a request for a newer feed (default
    /// `LONG_POLL`).
    pub long_poll: Option<std::time::Duration>,
    /// The largest signed feed (envelope bytes) a change may make (default `FEED_BUDGET`).
    pub feed_budget: Option<usize>,
    /// A proxy on this host (nginx) sets `X-Real-IP`: believe it from loopback peers. Off, every
    /// client is its own peer address (a local user cannot pick another's login-limit key).
    pub trusted_proxy: bool,
}

/// The most a change may grow a group's signed feed to: half of what screens accept
/// (`feed::client::MAX_BODY`, 8 MiB), so that a feed near the budget still reaches every screen
/// with room for the base64 envelope and for notices that come into the 7-day horizon by time
/// alone.
pub const FEED_BUDGET: usize = 4 * 1024 * 1024;

/// How long a screen's request for a newer feed is held before "not modified": under the
/// minute that proxies and NAT boxes commonly allow an idle connection.
pub const LONG_POLL: std::time::Duration = std::time::Duration::from_secs(55);

#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("{path}: {source}")]
    Dir {
        path: String,
        source: std::io::Error,
    },
    #[error(transparent)]
    Db(#[from] db::DbError),
    #[error(
        "{key} is missing but {db} exists: every screen trusts the key that signed its feeds and \
         would refuse feeds signed by a new one. Restore {key} from the backup (docs/DEPLOY.md); \
         only to start over on purpose, move {db} away as well"
    )]
    KeyMissing { key: String, db: String },
    #[error(transparent)]
    Key(#[from] keys::KeyError),
    #[error("seeding playlists: {0}")]
    Seed(String),
    #[error("preparing feeds: {0}")]
    Feeds(ServiceError),
}

/// One running service: the database, the signing key and the feeds as last signed.
pub struct Service {
    db: Mutex<Connection>,
    key: SigningKey,
    clock: Clock,
    pub options: Options,
    feeds: Mutex<HashMap<String, Arc<Published>>>,
    /// Counts changes of the served feeds: requests waiting for a newer feed wake on it.
    feeds_changed: tokio::sync::watch::Sender<u64>,
    pub(crate) limiter: Mutex<auth::LoginLimiter>,
    pub(crate) upload_limiter: Mutex<screens::UploadLimiter>,
    /// Bounds the argon2 checks running at once (`auth::PasswordGate`).
    pub password_checks: auth::PasswordGate,
    fonts: Mutex<Option<Fonts>>,
    pub previews: preview::Previewer,
    pub wall: preview::Wall,
}

impl Service {
    /// Opens the data folder (creating it, the database and the signing key on first start).
    pub fn open(data: &Path, options: Options, clock: Clock) -> Result<Service, OpenError> {
        std::fs::create_dir_all(data).map_err(|source| OpenError::Dir {
            path: data.display().to_string(),
            source,
        })?;
        // A database without its key: the screens trust the old key and would refuse every
        // feed signed by a new one, silently. Refuse to start instead, and say why.
        let had_data = data.join(DB_FILE).exists();
        if had_data && !data.join(keys::KEY_FILE).exists() {
            return Err(OpenError::KeyMissing {
                key: data.join(keys::KEY_FILE).display().to_string(),
                db: data.join(DB_FILE).display().to_string(),
            });
        }
        let conn = db::open(&data.join(DB_FILE))?;
        let key = keys::load_or_create(data)?;
        Service::with(conn, key, options, clock)
    }

    /// A service on a private in-memory database (tests, benchmarks).
    pub fn in_memory(
        key: SigningKey,
        options: Options,
        clock: Clock,
    ) -> Result<Service, OpenError> {
        Service::with(db::open_in_memory()?, key, options, clock)
    }

    fn with(
        conn: Connection,
        key: SigningKey,
        options: Options,
        clock: Clock,
    ) -> Result<Service, OpenError> {
        let now = clock();
        groups::seed(&conn, options.playlists.as_deref(), now).map_err(OpenError::Seed)?;
        let previews = preview::Previewer::new(options.fonts.clone());
        let service = Service {
            db: Mutex::new(conn),
            key,
            clock,
            options,
            feeds: Mutex::new(HashMap::new()),
            feeds_changed: tokio::sync::watch::Sender::new(0),
            limiter: Mutex::new(auth::LoginLimiter::new()),
            upload_limiter: Mutex::new(screens::UploadLimiter::default()),
            password_checks: auth::PasswordGate::for_this_machine(),
            fonts: Mutex::new(None),
            previews,
            wall: preview::Wall::default(),
        };
        // Every start signs every feed anew (a later sequence): if this database was restored
        // from a backup, screens that saw newer feeds than it remembers take these at once
        // instead of refusing them and showing what the restore took back.
        service
            .db()
            .execute("UPDATE feeds SET content_hash = ''", [])
            .map_err(|e| OpenError::Feeds(e.into()))?;
        service.refresh_feeds().map_err(OpenError::Feeds)?;
        Ok(service)
    }

    pub fn now(&self) -> Timestamp {
        (self.clock)()
    }

    pub fn signing_key(&self) -> &SigningKey {
        &self.key
    }

    /// The database, for reads and for writes that do not touch feeds. A poisoned lock (a panic
    /// while holding it) is taken over: SQLite's transactions keep the data consistent.
    pub fn db(&self) -> MutexGuard<'_, Connection> {
        self.db.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Runs a change in one transaction together with the feeds it alters, so a feed's sequence
    /// and the change that caused it commit together or not at all.
    pub fn change<R>(
        &self,
        f: impl FnOnce(&Connection, Timestamp) -> Result<R, ServiceError>,
    ) -> Result<R, ServiceError> {
        self.change_within(f, true)
    }

    /// `change`; `budget` false for bringing feeds up to date by time alone, which must never
    /// fail for a feed already over the budget.
    fn change_within<R>(
        &self,
        f: impl FnOnce(&Connection, Timestamp) -> Result<R, ServiceError>,
        enforce_budget: bool,
    ) -> Result<R, ServiceError> {
        let now = self.now();
        let before: HashMap<String, usize> = self
            .feeds
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .map(|(g, p)| (g.clone(), p.body.len()))
            .collect();
        let mut conn = self.db();
        let tx = conn.transaction()?;
        let result = f(&tx, now)?;
        let published = feeds::refresh_all(&tx, &self.key, now)?;
        // A change that would grow a group's feed past the budget is refused (the transaction
        // is dropped, so nothing of it stays): screens would refuse the feed and freeze on old
        // content. A change that does not grow an oversized feed (a withdrawal) goes through.
        let budget = self.options.feed_budget.unwrap_or(FEED_BUDGET);
        let over: Vec<crate::model::Problem> = published
            .iter()
            .filter(|_| enforce_budget)
            .filter(|(g, p)| {
                p.body.len() > budget && p.body.len() > before.get(g.as_str()).copied().unwrap_or(0)
            })
            .map(|(g, p)| {
                crate::model::Problem::new(
                    "request",
                    "groups",
                    format!(
                        "the feed of group {g} would be {} bytes, over its budget of {budget} bytes \
                         (screens accept at most {}): withdraw older notices or shorten this one",
                        p.body.len(),
                        crate::feed::client::MAX_BODY
                    ),
                )
            })
            .collect();
        if !over.is_empty() {
            return Err(ServiceError::Invalid(over));
        }
        tx.commit()?;
        drop(conn);
        let mut cache = self.feeds.lock().unwrap_or_else(|e| e.into_inner());
        let changed = published
            .iter()
            .any(|(g, p)| cache.get(g).is_none_or(|old| old.sequence != p.sequence));
        cache.clear();
        cache.extend(published.into_iter().map(|(g, p)| (g, Arc::new(p))));
        drop(cache);
        if changed {
            self.feeds_changed.send_modify(|n| *n += 1);
        }
        Ok(result)
    }

    /// Brings every feed up to date (start, export).
    pub fn refresh_feeds(&self) -> Result<(), ServiceError> {
        self.change_within(|_, _| Ok(()), false)
    }

    /// The group's current feed. Served from memory until the time at which it could change.
    pub fn feed(&self, group: &str) -> Result<Arc<Published>, ServiceError> {
        let now = self.now();
        {
            let cache = self.feeds.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(p) = cache.get(group)
                && now < p.fresh_until
                && now >= p.generated_at
            {
                return Ok(p.clone());
            }
        }
        let published = {
            let mut conn = self.db();
            if !groups::exists(&conn, group)? {
                return Err(ServiceError::NotFound(format!(
                    "no screen group named {group:?}"
                )));
            }
            let tx = conn.transaction()?;
            let p = Arc::new(feeds::refresh(&tx, &self.key, group, now)?);
            tx.commit()?;
            p
        };
        let old = self
            .feeds
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(group.to_string(), published.clone());
        if old.is_none_or(|old| old.sequence != published.sequence) {
            self.feeds_changed.send_modify(|n| *n += 1);
        }
        Ok(published)
    }

    /// The group's feed once its sequence passes `seen`: at once if it has, else when a change
    /// brings it there, or `None` after the long-poll time (`Options::long_poll`).
    pub async fn newer_feed(
        &self,
        group: &str,
        seen: u64,
    ) -> Result<Option<Arc<Published>>, ServiceError> {
        let mut changes = self.feeds_changed.subscribe();
        let deadline = tokio::time::Instant::now() + self.options.long_poll.unwrap_or(LONG_POLL);
        loop {
            let published = self.feed(group)?;
            if published.sequence > seen {
                return Ok(Some(published));
            }
            // A feed can also change with time alone (a notice starts or ends): look again at
            // least every few seconds.
            let next =
                (tokio::time::Instant::now() + std::time::Duration::from_secs(5)).min(deadline);
            if tokio::time::Instant::now() >= deadline {
                return Ok(None);
            }
            let _ = tokio::time::timeout_at(next, changes.changed()).await;
        }
    }

    /// Refuses to approve a personnel notice (人事任免) with a character no bundled font draws: on
    /// screen it would be 〓 in the middle of a person's name. Other notices only get a warning.
    /// One login attempt, from the API or the console: the name capped, the attempt counted
    /// before the password is checked, the check bounded, the outcome audited (`via`: where
    /// from). `client` is the limiter's key for the client's address, if known.
    pub async fn login(
        &self,
        name: &str,
        password: String,
        client: Option<String>,
        via: &str,
    ) -> Result<auth::User, ServiceError> {
        let name: String = name.chars().take(auth::MAX_LOGIN_NAME + 1).collect();
        let long = name.chars().count() > auth::MAX_LOGIN_NAME;
        let name: String = name.chars().take(auth::MAX_LOGIN_NAME).collect();
        let name_key = format!("name:{}", name.to_lowercase());
        let mut keys = vec![name_key];
        keys.extend(client);
        self.limiter
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .begin(&keys, std::time::Instant::now())?;
        let user = if long {
            // No such user can exist: no need to spend a password check on it.
            None
        } else {
            let record = auth::login_record(&self.db(), &name)?;
            self.password_checks.verify(record, password).await?
        };
        let now = self.now();
        match user {
            Some(user) => {
                self.limiter
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .succeeded_after_begin(&keys);
                Ok(user)
            }
            None => {
                audit::record(&self.db(), now, &name, "login.failed", via, "")?;
                Err(ServiceError::Unauthenticated(
                    "wrong name or password".into(),
                ))
            }
        }
    }

    pub fn approvable(&self, id: &str, revision: i64) -> Result<(), ServiceError> {
        let detail = notices::get(&self.db(), id)?;
        let Some(r) = detail.revisions.iter().find(|r| r.number == revision) else {
            return Ok(()); // the workflow says what is wrong with the number
        };
        if r.content.category != crate::model::Category::Personnel {
            return Ok(());
        }
        let problems: Vec<crate::model::Problem> = self
            .glyph_warnings(&r.content)?
            .into_iter()
            .map(|w| {
                crate::model::Problem::new(
                    "notice",
                    w.field,
                    format!(
                        "no bundled font draws {}: a personnel notice would show part of a name \
                         as 〓; write the name with characters the screens have, or have a \
                         font added (fonts/README.md)",
                        w.chars.join(" ")
                    ),
                )
            })
            .collect();
        if problems.is_empty() {
            Ok(())
        } else {
            Err(ServiceError::Invalid(problems))
        }
    }

    /// Characters of `input` that no bundled font has, per field.
    pub fn glyph_warnings(
        &self,
        input: &notices::NoticeInput,
    ) -> Result<Vec<notices::GlyphWarning>, ServiceError> {
        let mut fonts = self.fonts.lock().unwrap_or_else(|e| e.into_inner());
        if fonts.is_none() {
            *fonts = Some(
                Fonts::bundled(self.options.fonts.as_deref())
                    .map_err(|e| ServiceError::Internal(format!("fonts: {e}")))?,
            );
        }
        let fonts = fonts.as_mut().expect("fonts just loaded");
        let mut out = Vec::new();
        let mut fields = vec![
            ("title", input.title.as_str()),
            ("body", input.body.as_str()),
            ("issuer", input.issuer.as_str()),
        ];
        if let Some(d) = &input.doc_number {
            fields.push(("doc_number", d.as_str()));
        }
        for (field, text) in [
            ("instruction", &input.instruction),
            ("contact", &input.contact),
        ] {
            if let Some(text) = text {
                fields.push((field, text.as_str()));
            }
        }
        for (field, text) in fields {
            let missing = fonts.missing_chars(text);
            if !missing.is_empty() {
                out.push(notices::GlyphWarning {
                    field: field.to_string(),
                    chars: missing.iter().map(|c| c.to_string()).collect(),
                });
            }
        }
        Ok(out)
    }
}

/// `noticecast serve`: runs until SIGINT or SIGTERM.
pub fn serve(service: Service, listen: SocketAddr) -> std::io::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(listen).await?;
        tracing::info!("serving on http://{}", listener.local_addr()?);
        serve_listener(listener, Arc::new(service), shutdown()).await
    })
}

/// How long a client may take to send a request's headers: 200 connections that sent half a
/// header and waited were once held for as long as they liked.
pub const HEADER_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);
/// How long a client may take to send a request's body (the largest is 16 MiB, a screenshot).
pub const BODY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(60);

/// Serves the API, console and feeds on `listener` until `stop` completes: HTTP/1.1 (nginx in
/// front speaks anything else), each connection with a header read timeout, each request with
/// its client's address (`ConnectInfo`) for the login limit.
pub async fn serve_listener(
    listener: tokio::net::TcpListener,
    service: Arc<Service>,
    stop: impl std::future::Future<Output = ()>,
) -> std::io::Result<()> {
    use hyper_util::rt::{TokioIo, TokioTimer};
    let app = api::router(service);
    let mut stop = std::pin::pin!(stop);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of file descriptors, say: wait a moment rather than spin.
                    tracing::warn!("accept: {e}");
                    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut stop => return Ok(()),
        };
        let app = app
            .clone()
            .layer(axum::Extension(axum::extract::ConnectInfo(peer)));
        tokio::spawn(async move {
            let service = hyper_util::service::TowerToHyperService::new(app);
            let connection = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(HEADER_TIMEOUT)
                .serve_connection(TokioIo::new(stream), service)
                .with_upgrades();
            if let Err(e) = connection.await {
                tracing::debug!("connection from {peer}: {e}");
            }
        });
    }
}

async fn shutdown() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
        let term = async {
            match term.as_mut() {
                Some(t) => {
                    t.recv().await;
                }
                None => std::future::pending::<()>().await,
            }
        };
        tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    }
    #[cfg(not(unix))]
    {
        let _ = ctrl_c.await;
    }
    tracing::info!("shutting down");
}

/// `noticecast export`: every group's current signed feed as static files, `OUT/feed/GROUP.json`
/// and `OUT/feed/keys.json`, each written to a temporary file and renamed into place, so a web
/// server never serves half a file.
pub fn export(service: &Service, out: &Path) -> Result<Vec<PathBuf>, String> {
    service.refresh_feeds().map_err(|e| e.to_string())?;
    let dir = out.join("feed");
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let names = groups::names(&service.db()).map_err(|e| e.to_string())?;
    let mut written = Vec::new();
    for group in names {
        let published = service.feed(&group).map_err(|e| e.to_string())?;
        let path = dir.join(format!("{group}.json"));
        write_atomic(&path, &published.body)?;
        written.push(path);
    }
    let keys =
        serde_json::to_vec_pretty(&api::public_keys(service)).map_err(|e| format!("keys: {e}"))?;
    let path = dir.join("keys.json");
    write_atomic(&path, &keys)?;
    written.push(path);
    Ok(written)
}

fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), String> {
    use std::io::Write;
    let tmp = path.with_extension("json.tmp");
    let write = || -> std::io::Result<()> {
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(bytes)?;
        // On disk before the rename: after a power cut the mirror has the old file or the new.
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    };
    write().map_err(|e| format!("{}: {e}", path.display()))
}
