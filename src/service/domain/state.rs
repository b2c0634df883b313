//! One running service: the database, the signing key, the feeds as last signed, and the three
//! ways a request reaches the data: `read` (no change), `record` (a change no feed shows: a
//! heartbeat, a session, plays) and `change` (one transaction with the feeds it alters).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use crate::service::domain::error::Error;
use crate::service::domain::feeds::{self, Published};
use crate::service::domain::storage::Conn;
use crate::service::{
    domain::accounts, domain::audit, domain::groups, domain::keys, domain::notices,
    domain::preview, domain::proof, domain::storage, domain::wall,
};

use crate::layout::Fonts;
use crate::model::{FeedDocument, Notice, Timestamp, beijing_offset};
use crate::service::domain::{limits, plays, sessions};

/// The service's idea of now; tests set it.
pub type Clock = Arc<dyn Fn() -> Timestamp + Send + Sync>;

pub fn system_clock() -> Clock {
    // Whole seconds: feeds, sessions and the audit log read better, and nothing needs more.
    Arc::new(|| {
        chrono::SubsecRound::trunc_subsecs(chrono::Utc::now(), 0).with_timezone(&beijing_offset())
    })
}

/// The database in the data folder (defined with the schema).
pub use crate::service::domain::storage::DB_FILE;

tokio::task_local! {
    /// The client address of the request the current task serves (`http::guard` sets it): the
    /// source address of the audit entries it writes.
    pub static ORIGIN: String;
}

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
    /// The largest signed feed (envelope bytes) a change may make (default `FEED_BUDGET`); in a
    /// feed with a warning, routine notices give way to keep within it.
    pub feed_budget: Option<usize>,
    /// How long a warning without `expires` stays in force (default `alerts::DEFAULT_HOURS`).
    pub alert_default_hours: Option<u32>,
    /// How long reading one file for import may take (default `imports::TIME_LIMIT`).
    pub import_time_limit: Option<std::time::Duration>,
    /// A proxy on this host (nginx) sets `X-Real-IP`: believe it from loopback peers. Off, every
    /// client is its own peer address (a local user cannot pick another's login-limit key).
    pub trusted_proxy: bool,
    /// The suite of a signing key made at the first start (`serve --suite`; Ed25519 by
    /// default). A key that exists keeps its own suite.
    pub suite: Option<crate::feed::Suite>,
    /// This command hands the signing key's work to screens (`serve`, `export`, `demo-seed`): a
    /// key made by another command before (never published) may be replaced by `suite`.
    pub publishes: bool,
    /// The most long polls (`GET /feed/{group}?wait=SEQ`) held at once; more are answered 503
    /// (default `waiters::DEFAULT_MAX_WAITERS`; `serve` sizes it from the descriptor limit).
    pub max_waiters: Option<usize>,
    /// How long a write may wait for a client to read (default `http::WRITE_TIMEOUT`).
    pub write_timeout: Option<std::time::Duration>,
    /// The most connections one client address may hold at once, the loopback excepted
    /// (default `capacity::DEFAULT_PER_ADDRESS`).
    pub max_per_address: Option<usize>,
    /// Where screens reach this service (`serve --public-url`), for the addresses of the
    /// assets feeds list; recorded in the database. `None`: as recorded by the last `serve`,
    /// else `DEFAULT_PUBLIC_URL`.
    pub public_url: Option<String>,
    /// A PostgreSQL database (libpq's URL, several hosts allowed) instead of the data folder's
    /// SQLite file; `schema` is the tenant's schema in it (`public` when `None`).
    pub database: Option<String>,
    pub schema: Option<String>,
    /// Where screens reach the service when `public_url` is `None` and none is recorded yet
    /// (`serve` on a shared database without `--public-url`: the first node's address, recorded,
    /// so that every node signs the same feeds with the same addresses).
    pub first_public_url: Option<String>,
}

/// Where screens reach the service when nothing says otherwise: `serve`'s default address.
pub const DEFAULT_PUBLIC_URL: &str = "http://127.0.0.1:8080";

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
    Db(#[from] storage::DbError),
    #[error(
        "{key} is missing but {db} exists: every screen trusts the key that signed its feeds and \
         would refuse feeds signed by a new one. Restore {key} from the backup (docs/DEPLOY.md); \
         only to start over on purpose, move {db} away as well"
    )]
    KeyMissing { key: String, db: String },
    #[error(transparent)]
    Key(#[from] keys::KeyError),
    #[error("seeding playlists: {0}")]
    Seed(groups::SeedError),
    #[error("preparing feeds: {0}")]
    Feeds(Error),
    #[error("writing the audit log: {0}")]
    Audit(Error),
}

/// A feed's notices by id.
type NoticeIndex = Arc<HashMap<String, Notice>>;

/// One running service: the database, the signing key and the feeds as last signed.
pub struct Service {
    db: Mutex<Conn>,
    keys: keys::Keyring,
    clock: Clock,
    pub options: Options,
    feeds: Mutex<HashMap<String, Arc<Published>>>,
    /// The notices of each group's feed by id, for the residents' page (`/n/{id}`): parsed
    /// once per feed sequence, not per request.
    public_index: Mutex<HashMap<String, (u64, NoticeIndex)>>,
    /// How many feeds the index has parsed (the test that it is an index reads it).
    pub index_builds: std::sync::atomic::AtomicU64,
    /// Counts changes of the served feeds: requests waiting for a newer feed wake on it.
    feeds_changed: tokio::sync::watch::Sender<u64>,
    pub(crate) limiter: Mutex<limits::LoginLimiter>,
    /// Refusals folded into one audit entry a minute (`http::refused`).
    pub(crate) refusals: Mutex<audit::RefusalFolds>,
    upload_limiter: Mutex<plays::UploadLimiter>,
    /// Bounds the argon2 checks running at once (`sessions::PasswordGate`).
    pub password_checks: sessions::PasswordGate,
    fonts: Mutex<Option<Fonts>>,
    pub previews: preview::Previewer,
    pub wall: wall::Wall,
    /// The long polls held now and their cap.
    pub waiters: crate::service::domain::waiters::WaiterGate,
    /// A district's share of the process's import readers (`imports::AT_ONCE`): none for the
    /// platform's own office, which may use them all.
    pub importing: Option<Arc<tokio::sync::Semaphore>>,
    /// Where screens reach this service, without a trailing slash (`public_url`).
    public_url: String,
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
        let (conn, had_data, db_name) = match &options.database {
            Some(url) => {
                let schema = options.schema.as_deref().unwrap_or("public");
                let conn = storage::open_url(url, schema)?;
                let had = keys::recorded(&conn)?.is_some();
                (conn, had, format!("{} ({schema})", storage::redact(url)))
            }
            None => {
                let had = data.join(DB_FILE).exists();
                let name = data.join(DB_FILE).display().to_string();
                (storage::open(&data.join(DB_FILE))?, had, name)
            }
        };
        if had_data && !data.join(keys::KEY_FILE).exists() {
            return Err(OpenError::KeyMissing {
                key: data.join(keys::KEY_FILE).display().to_string(),
                db: db_name,
            });
        }
        let now = clock();
        let record = keys::recorded(&conn)?;
        // A rotation recorded but interrupted before its new key was put in place.
        if let Some(r) = &record {
            keys::complete_rotation(data, r)?;
        }
        let wanted = options.suite.unwrap_or(crate::feed::Suite::Ed25519);
        let new_key = !data.join(keys::KEY_FILE).exists();
        let mut ring = keys::Keyring::load(data, wanted)?;
        let key_file = data.join(keys::KEY_FILE).display().to_string();
        let audit = |action: audit::Action, subject: String, detail: String| {
            audit::record(&conn, now, "system", action, &subject, &detail).map_err(OpenError::Audit)
        };
        let mut record = match record {
            // The files must hold the keys the database records.
            Some(r) if r.current.is_some() => {
                keys::check(data, &ring, &r, now)?;
                r
            }
            // A new data folder: the key just made, recorded; made by a command that publishes
            // nothing (`user add` before the first `serve`), `serve --suite` may replace it.
            None if new_key => {
                let r = keys::record_of(&ring, !options.publishes);
                keys::write_record(&conn, &r, now)?;
                let public = crate::feed::Signer::public_key(ring.current.as_ref());
                audit(
                    audit::Action::KeyCreate,
                    format!("feed key {}", public.key_id()),
                    format!("{} in {key_file}", public.suite()),
                )?;
                r
            }
            // Keys from before they were recorded: recorded as the files hold them, this once.
            _ => {
                let r = keys::record_of(&ring, false);
                keys::write_record(&conn, &r, now)?;
                audit(
                    audit::Action::KeyRecord,
                    format!("feed key {}", r.current.as_deref().unwrap_or("")),
                    match &r.previous {
                        Some((id, until)) => format!(
                            "recorded from {key_file}; previous key {id} until {}",
                            until.to_rfc3339()
                        ),
                        None => format!("recorded from {key_file}"),
                    },
                )?;
                r
            }
        };
        if let Some(suite) = options.suite.filter(|s| *s != ring.suite()) {
            if options.publishes && record.implicit && ring.previous.is_none() {
                // Made by `user add` (say) before the first start and never published: the
                // suite the office asked for at its first start wins (DEPLOY.md's order).
                let old = crate::feed::Signer::public_key(ring.current.as_ref()).key_id();
                let old_suite = ring.suite();
                // Staged, recorded, then put in place: a crash between leaves a record that the
                // next start completes (`keys::complete_rotation`).
                let staged = data.join(keys::STAGED_KEY_FILE);
                let key =
                    crate::feed::keyfile::generate(&staged, suite).map_err(keys::KeyError::from)?;
                crate::feed::keyfile::write_private(&staged, &key.to_text())
                    .map_err(keys::KeyError::from)?;
                record = keys::Recorded {
                    current: Some(crate::feed::Signer::public_key(&key).key_id()),
                    implicit: false,
                    previous: None,
                };
                keys::write_record(&conn, &record, now)?;
                keys::complete_rotation(data, &record)?;
                ring = keys::Keyring::load(data, suite)?;
                audit(
                    audit::Action::KeyCreate,
                    format!("feed key {}", record.current.as_deref().unwrap_or("")),
                    format!(
                        "{suite} in {key_file} as serve --suite asks; it replaces the {} key \
                         {old}, made before the first start and never published",
                        old_suite
                    ),
                )?;
                tracing::info!(
                    "--suite {suite}: {key_file} made anew (the key there was never published)"
                );
            } else {
                tracing::warn!(
                    "--suite {suite}: {key_file} holds a {} key, which keeps its suite (a new \
                     suite needs a new data folder, or screens that trust the new key first)",
                    ring.suite()
                );
            }
        }
        if options.publishes && record.implicit {
            record.implicit = false;
            keys::write_record(&conn, &record, now)?;
        }
        // The end of the previous key's signing as the database records it.
        if let (Some((_, until)), Some((_, recorded_until))) =
            (&mut ring.previous, &record.previous)
        {
            *until = *recorded_until;
        }
        let keys = ring;
        Service::with(conn, keys, options, clock)
    }

    /// A service on a private in-memory database (tests, benchmarks).
    pub fn in_memory(
        key: impl crate::feed::Signer + 'static,
        options: Options,
        clock: Clock,
    ) -> Result<Service, OpenError> {
        // Tests of the PostgreSQL storage give a database and a schema of their own.
        let conn = match &options.database {
            Some(url) => storage::open_url(url, options.schema.as_deref().unwrap_or("public"))?,
            None => storage::open_in_memory()?,
        };
        Service::with(conn, keys::Keyring::single(key), options, clock)
    }

    fn with(
        conn: Conn,
        keys: keys::Keyring,
        options: Options,
        clock: Clock,
    ) -> Result<Service, OpenError> {
        let now = clock();
        groups::seed(&conn, options.playlists.as_deref(), now).map_err(OpenError::Seed)?;
        let previews = preview::Previewer::new(options.fonts.clone());
        let max_waiters = options
            .max_waiters
            .unwrap_or(crate::service::domain::waiters::DEFAULT_MAX_WAITERS);
        // `serve` says where screens reach it and records it; a command that signs feeds
        // without serving them (`export`) takes what was recorded, so both sign the same feeds.
        let public_url = match &options.public_url {
            Some(url) => {
                storage::state::set_public_url(&conn, url).map_err(OpenError::Feeds)?;
                url.clone()
            }
            None => match storage::state::public_url(&conn).map_err(OpenError::Feeds)? {
                Some(url) => url,
                // The first node of a shared database says it, for all (`first_public_url`).
                None => match &options.first_public_url {
                    Some(url) => {
                        storage::state::set_public_url(&conn, url).map_err(OpenError::Feeds)?;
                        url.clone()
                    }
                    None => DEFAULT_PUBLIC_URL.to_string(),
                },
            },
        };
        let public_url = public_url.trim_end_matches('/').to_string();
        let service = Service {
            db: Mutex::new(conn),
            keys,
            clock,
            options,
            feeds: Mutex::new(HashMap::new()),
            public_index: Mutex::new(HashMap::new()),
            index_builds: std::sync::atomic::AtomicU64::new(0),
            feeds_changed: tokio::sync::watch::Sender::new(0),
            limiter: Mutex::new(limits::LoginLimiter::new()),
            refusals: Mutex::new(audit::RefusalFolds::default()),
            upload_limiter: Mutex::new(plays::UploadLimiter::default()),
            password_checks: sessions::PasswordGate::for_this_machine(),
            fonts: Mutex::new(None),
            previews,
            wall: wall::Wall::default(),
            waiters: crate::service::domain::waiters::WaiterGate::new(max_waiters),
            importing: None,
            public_url,
        };
        // Every start signs every feed anew (a later sequence): if this database was restored
        // from a backup, screens that saw newer feeds than it remembers take these at once
        // instead of refusing them and showing what the restore took back.
        storage::state::forget_feed_hashes(&service.db()).map_err(OpenError::Feeds)?;
        service.refresh_feeds().map_err(OpenError::Feeds)?;
        Ok(service)
    }

    pub fn now(&self) -> Timestamp {
        (self.clock)()
    }

    /// The current signing key.
    pub fn signing_key(&self) -> &dyn crate::feed::Signer {
        self.keys.current.as_ref()
    }

    /// The public keys screens may trust (`GET /feed/keys`, `keys.json` of an export).
    pub fn public_keys(&self) -> keys::Keys {
        self.keys.published(self.now())
    }

    /// `payload` in a DSSE envelope of `payload_type`, signed with the current key (an audit
    /// export).
    pub fn sign(&self, payload_type: &str, payload: &[u8]) -> Result<crate::feed::Envelope, Error> {
        Ok(crate::feed::envelope::sign_as(
            payload_type,
            payload,
            &[self.keys.current.as_ref()],
        )?)
    }

    /// The 公示证明 evidence of notice `id`, with its certificate signed by the current key.
    pub fn proof_bundle(&self, id: &str) -> Result<crate::proof::Bundle, Error> {
        let now = self.now();
        proof::bundle(&self.db(), &self.keys, id, now)
    }

    /// Lets one plays upload of `screen` through, or refuses it (`plays::UploadLimiter`).
    pub fn admit_upload(&self, screen: &str) -> Result<(), Error> {
        self.upload_limiter
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .admit(screen, std::time::Instant::now())
    }

    /// The database itself, for commands and tests. HTTP handlers use `read`, `record` and
    /// `change`, which hold the lock only while their closure runs (the lock is not re-entrant:
    /// a handler that kept a guard and called a method that takes it again hung). A poisoned
    /// lock (a panic while holding it) is taken over: SQLite's transactions keep the data
    /// consistent.
    /// The database, its audit entries marked with the source of the request this task serves
    /// (`ORIGIN`), or `host` outside a request.
    pub fn db(&self) -> MutexGuard<'_, Conn> {
        let conn = self.db.lock().unwrap_or_else(|e| e.into_inner());
        let source = ORIGIN
            .try_with(|origin| origin.clone())
            .unwrap_or_else(|_| "host".into());
        if let Err(e) = audit::set_source(&conn, &source) {
            tracing::error!("the audit log's source: {e}");
        }
        conn
    }

    /// Reads with the database and the service's now.
    pub fn read<R>(
        &self,
        f: impl FnOnce(&Conn, Timestamp) -> Result<R, Error>,
    ) -> Result<R, Error> {
        let now = self.now();
        f(&self.db(), now)
    }

    /// A change that no feed shows (a heartbeat, plays, a session, a screenshot, an audit
    /// entry): the closure may open its own transaction; feeds are not signed again.
    pub fn record<R>(
        &self,
        f: impl FnOnce(&mut Conn, Timestamp) -> Result<R, Error>,
    ) -> Result<R, Error> {
        let now = self.now();
        f(&mut self.db(), now)
    }

    /// Runs a change in one transaction together with the feeds it alters, so a feed's sequence
    /// and the change that caused it commit together or not at all.
    pub fn change<R>(
        &self,
        f: impl FnOnce(&Conn, Timestamp) -> Result<R, Error>,
    ) -> Result<R, Error> {
        self.change_within(f, true, true)
    }

    /// `change`; `budget` false for bringing feeds up to date by time alone, which must never
    /// fail for a feed already over the budget; `notify` false for a reload on another node's
    /// word, which it need not hear back.
    fn change_within<R>(
        &self,
        f: impl FnOnce(&Conn, Timestamp) -> Result<R, Error>,
        enforce_budget: bool,
        notify: bool,
    ) -> Result<R, Error> {
        let now = self.now();
        let before: HashMap<String, Arc<Published>> =
            self.feeds.lock().unwrap_or_else(|e| e.into_inner()).clone();
        let mut conn = self.db();
        let tx = conn.transaction()?;
        let result = f(&tx, now)?;
        let budget = self.options.feed_budget.unwrap_or(FEED_BUDGET);
        let published = feeds::refresh_all(&tx, &self.keys, now, budget, self.public_url())?;
        // Over the budget, or pushing routine notices out without a warning: refused (the
        // transaction is dropped, so nothing of it stays). `feeds::budget_problems` says why.
        if enforce_budget {
            let problems = feeds::budget_problems(&published, &before, budget);
            if !problems.is_empty() {
                return Err(Error::Invalid(problems));
            }
        }
        // Word to the other nodes of a PostgreSQL database, delivered at the commit.
        let changed = published
            .iter()
            .any(|(g, p)| before.get(g).is_none_or(|old| old.sequence != p.sequence));
        if changed && notify {
            storage::state::notify_feeds(&tx)?;
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

    /// Where screens reach this service (`Options::public_url`), without a trailing slash.
    pub fn public_url(&self) -> &str {
        &self.public_url
    }

    /// The address of asset `sha256`, as feeds list it and the API answers it.
    pub fn asset_url(&self, sha256: &str) -> String {
        format!("{}/assets/{sha256}", self.public_url())
    }

    /// Brings every feed up to date (start, export).
    pub fn refresh_feeds(&self) -> Result<(), Error> {
        self.change_within(|_, _| Ok(()), false, true)
    }

    /// Reads the feeds another node changed into this one's cache and wakes its long polls
    /// (`nodes::follow`); word of it is not passed on.
    pub fn reload_feeds(&self) -> Result<(), Error> {
        self.change_within(|_, _| Ok(()), false, false)
    }

    /// The group's current feed. Served from memory until the time at which it could change.
    pub fn feed(&self, group: &str) -> Result<Arc<Published>, Error> {
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
                return Err(Error::NotFound(crate::model::Reason::NoGroupNamed {
                    name: group.to_string(),
                }));
            }
            let tx = conn.transaction()?;
            let budget = self.options.feed_budget.unwrap_or(FEED_BUDGET);
            let public_url = self.public_url();
            let p = Arc::new(feeds::refresh(
                &tx, &self.keys, group, now, budget, public_url,
            )?);
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

    /// Whether some group's current signed feed lists asset `sha256`: only a published figure's
    /// file is anyone's to fetch (a draft's, a rejected notice's, an import never saved are
    /// staff's alone).
    pub fn public_asset(&self, sha256: &str) -> Result<bool, Error> {
        let groups: Vec<String> = {
            let cache = self.feeds.lock().unwrap_or_else(|e| e.into_inner());
            cache.keys().cloned().collect()
        };
        for group in groups {
            match self.feed(&group) {
                Ok(p) if p.assets.iter().any(|a| a == sha256) => return Ok(true),
                Ok(_) | Err(Error::NotFound(_)) => continue,
                Err(e) => return Err(e),
            }
        }
        Ok(false)
    }

    /// The notice `id` as some group's current signed feed carries it, valid now: only what the
    /// screens show. Each feed is parsed into the index once per sequence.
    pub fn public_notice(&self, id: &str) -> Result<Option<Notice>, Error> {
        let now = self.now();
        let groups: Vec<String> = {
            let cache = self.feeds.lock().unwrap_or_else(|e| e.into_inner());
            let mut groups: Vec<String> = cache.keys().cloned().collect();
            groups.sort();
            groups
        };
        for group in groups {
            // Current as of now (a feed that time alone changed is signed again first).
            let published = match self.feed(&group) {
                Ok(p) => p,
                Err(Error::NotFound(_)) => continue,
                Err(e) => return Err(e),
            };
            let notices = {
                let mut index = self.public_index.lock().unwrap_or_else(|e| e.into_inner());
                match index.get(&group) {
                    Some((sequence, notices)) if *sequence == published.sequence => notices.clone(),
                    _ => {
                        let doc: FeedDocument = serde_json::from_slice(&published.payload)
                            .map_err(|e| Error::Internal(format!("feed {group}: {e}")))?;
                        self.index_builds
                            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let notices: Arc<HashMap<String, Notice>> =
                            Arc::new(doc.notices.into_iter().map(|n| (n.id.clone(), n)).collect());
                        index.insert(group.clone(), (published.sequence, notices.clone()));
                        notices
                    }
                }
            };
            if let Some(n) = notices.get(id).filter(|n| n.is_valid_at(now)) {
                return Ok(Some(n.clone()));
            }
        }
        Ok(None)
    }

    /// The group's feed once its sequence passes `seen`: at once if it has, else when a change
    /// brings it there, or `None` after the long-poll time (`Options::long_poll`).
    pub async fn newer_feed(
        &self,
        group: &str,
        seen: u64,
    ) -> Result<Option<Arc<Published>>, Error> {
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

    /// One login attempt, from the API or the console: the name capped, the attempt counted
    /// before the password is checked, the check bounded, the outcome audited (`via`: where
    /// from). `client` is the limiter's key for the client's address, if known; `device` the
    /// browser's `nc_device` cookie (`device_cookie`), learnt for the name when it logs in.
    pub async fn login(
        &self,
        name: &str,
        password: String,
        client: Option<String>,
        device: Option<&str>,
        via: &str,
    ) -> Result<accounts::User, Error> {
        let name: String = name.chars().take(accounts::MAX_LOGIN_NAME + 1).collect();
        let long = name.chars().count() > accounts::MAX_LOGIN_NAME;
        let name: String = name.chars().take(accounts::MAX_LOGIN_NAME).collect();
        let record = if long {
            // No such user can exist: no need to spend a password check on it.
            None
        } else {
            sessions::login_record(&self.db(), &name)?
        };
        let fresh_code = record.as_ref().is_some_and(|(u, _)| u.must_change_password);
        let keys = limits::LoginKey::new(&name, client)
            .with_device(device)
            .with_fresh_code(fresh_code);
        // Several nodes on one database count together (`limits::shared`).
        let shared = self.options.database.is_some();
        let began = {
            let mut limiter = self.limiter.lock().unwrap_or_else(|e| e.into_inner());
            if shared {
                limits::shared::load(&self.db(), &mut limiter, &keys)?;
            }
            limiter.begin(&keys, std::time::Instant::now())
        };
        if shared && began.is_ok() {
            limits::shared::begun(&self.db(), &keys)?;
        }
        if let Err(limited) = began {
            // The limiter remembers since the service started where each name logged in; the
            // audit log remembers longer. Asked only when a limit bites, through an index.
            let Some(address) = keys.address() else {
                return Err(limited);
            };
            if !accounts::logged_in_from(&self.db(), &name, address)? {
                return Err(limited);
            }
            let mut limiter = self.limiter.lock().unwrap_or_else(|e| e.into_inner());
            limiter.remember(&keys);
            limiter.begin(&keys, std::time::Instant::now())?;
            drop(limiter);
            if shared {
                limits::shared::begun(&self.db(), &keys)?;
            }
        }
        let user = if long {
            None
        } else {
            self.password_checks.verify(record, password).await?
        };
        let now = self.now();
        match user {
            Some(user) => {
                let mut limiter = self.limiter.lock().unwrap_or_else(|e| e.into_inner());
                limiter.succeeded_after_begin(&keys);
                if shared {
                    limits::shared::succeeded(&self.db(), &limiter, &keys)?;
                }
                Ok(user)
            }
            None => {
                audit::record_outcome(
                    &self.db(),
                    now,
                    &name,
                    audit::Action::LoginFailed,
                    via,
                    "wrong name or password",
                    audit::Outcome::Failure,
                )?;
                Err(Error::Unauthenticated("wrong name or password".into()))
            }
        }
    }

    /// Approves revision `number` of notice `id`: the way the API and the console approve.
    /// The personnel rule on characters (`notices::personnel_glyphs`) comes first, then the
    /// workflow's own checks (`notices::approve`), so a door cannot approve without it.
    pub fn approve(
        &self,
        actor: &accounts::User,
        id: &str,
        number: i64,
        confidentiality_confirmed: bool,
    ) -> Result<(), Error> {
        self.approvable(id, number)?;
        self.change(|conn, now| {
            notices::approve(conn, actor, id, number, confidentiality_confirmed, now)
        })
    }

    /// Refuses to approve a personnel notice (人事任免) with a character no bundled font draws
    /// (`notices::personnel_glyphs`).
    fn approvable(&self, id: &str, revision: i64) -> Result<(), Error> {
        let detail = notices::get(&self.db(), id)?;
        let Some(r) = detail.revisions.iter().find(|r| r.number == revision) else {
            return Ok(()); // the workflow says what is wrong with the number
        };
        notices::personnel_glyphs(&r.content, || self.glyph_warnings(&r.content))
    }

    /// Characters of `input` that no bundled font has, per field.
    pub fn glyph_warnings(
        &self,
        input: &notices::NoticeInput,
    ) -> Result<Vec<notices::GlyphWarning>, Error> {
        let mut fonts = self.fonts.lock().unwrap_or_else(|e| e.into_inner());
        if fonts.is_none() {
            *fonts = Some(
                Fonts::bundled(self.options.fonts.as_deref())
                    .map_err(|e| Error::Internal(format!("fonts: {e}")))?,
            );
        }
        let fonts = fonts.as_mut().expect("fonts just loaded");
        Ok(notices::glyph_warnings(fonts, input))
    }
}
