//! Fetching the group's signed feed: conditional GETs with jittered polls, exponential backoff
//! and mirrors, a body limit enforced while streaming, and the trust rules before anything is
//! cached or shown. Runs on its own thread with its own tokio runtime; results leave through a
//! callback (the player turns them into event-loop proxy events).

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::assets::AssetStore;
use super::cache::Cache;
use super::config::PlayerConfig;
use super::envelope::{Envelope, TrustedKey};
use super::plays::PlayQueue;
use super::trust::{Accepted, KeyState, Refusal, accept};
use crate::model::{Feed, Timestamp, beijing_offset};

/// A feed larger than this is refused while it streams in: a server sending endless bytes must
/// not exhaust a screen's memory.
pub const MAX_BODY: usize = 8 * 1024 * 1024;
/// The longest wait between tries while the server fails.
pub const MAX_BACKOFF: Duration = Duration::from_secs(15 * 60);
/// What a screen keeps of a feed's assets at most, all together: a few notices with pages of
/// scanned figures fit; a feed that lists more is refused (the last good one stays) rather
/// than fill the disk the cache and the play queue live on.
pub const MAX_ASSET_CACHE: u64 = 512 * 1024 * 1024;
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
const TOTAL_TIMEOUT: Duration = Duration::from_secs(60);

/// What the screen says about itself in its heartbeat; the player and the client both update it.
#[derive(Debug, Clone)]
pub struct ScreenStatus {
    pub started: Instant,
    pub adapter: Option<String>,
    pub sequence: Option<u64>,
    pub last_error: Option<String>,
    /// The display's power as it last reported it over HDMI-CEC: "on", "standby", "unknown".
    pub power: String,
}

impl Default for ScreenStatus {
    fn default() -> ScreenStatus {
        ScreenStatus {
            started: Instant::now(),
            adapter: None,
            sequence: None,
            last_error: None,
            power: "unknown".into(),
        }
    }
}

/// Heartbeats and proof-of-play uploads to the central service.
pub struct Reporter {
    pub status: Arc<Mutex<ScreenStatus>>,
    pub plays: Arc<PlayQueue>,
    pub screenshot: Arc<ScreenshotSlot>,
}

/// A screenshot the service asked for in a heartbeat answer: the client sets `wanted` and wakes
/// the player; the player reads back what it shows and leaves the PNG here; the client uploads it.
#[derive(Default)]
pub struct ScreenshotSlot {
    pub wanted: std::sync::atomic::AtomicBool,
    pub png: Mutex<Option<Vec<u8>>>,
    /// Set by the player: wakes its event loop (a still page may sleep for a minute).
    pub wake: Mutex<Option<Box<dyn Fn() + Send>>>,
}

impl ScreenshotSlot {
    /// Asks the player for a screenshot.
    pub fn request(&self) {
        self.wanted.store(true, std::sync::atomic::Ordering::SeqCst);
        if let Some(wake) = self.wake.lock().expect("wake lock").as_ref() {
            wake();
        }
    }

    /// A waiting screenshot, taken out of the slot.
    pub fn take(&self) -> Option<Vec<u8>> {
        self.png.lock().expect("png lock").take()
    }
}

/// How long a report waits for the player to take a requested screenshot before going on (the
/// next report uploads it then).
const SCREENSHOT_WAIT: Duration = Duration::from_secs(10);

/// Records per upload.
const BATCH: usize = 500;
const REPORT_EVERY: Duration = Duration::from_secs(60);

/// What one GET brought.
enum Got {
    NotModified,
    Body(Vec<u8>, Option<String>),
}

/// What a poll brought.
#[derive(Debug)]
pub enum Poll {
    /// A new feed, verified and cached.
    Accepted(Box<Feed>),
    /// 304: nothing new.
    Unchanged,
    /// Fetched but refused (signature, group, sequence, expiry, validity): the reason.
    Refused(String),
    /// Not fetched: the reason (connection, timeout, HTTP status, body too large).
    Failed(String),
}

/// The fetch loop's state; `poll` does one round, `run` loops forever.
pub struct Client {
    config: PlayerConfig,
    /// `None` when the cache folder cannot be written: the screen plays from memory.
    cache: Option<Cache>,
    http: reqwest::Client,
    pub accepted: Accepted,
    etag: Option<String>,
    /// Index into `feed_urls` of the URL being tried.
    url: usize,
    failures: u32,
    max_body: usize,
    reporter: Option<Reporter>,
    assets: Option<AssetStore>,
    /// The largest asset fetched (`model::MAX_ASSET_BYTES`) and the most all of a feed's assets
    /// may take (`MAX_ASSET_CACHE`), beside the feed's own `max_body`.
    asset_budget: (usize, u64),
    /// Why the last feed could not be cached (a full or read-only disk), for the heartbeat.
    pub storage_error: Option<String>,
    /// systemd-timesyncd's marker: until it exists, nothing is expired by the clock.
    timesync: std::path::PathBuf,
    /// The payload (base64, as in the envelope) of the feed on screen: the same document fetched
    /// again, e.g. after a restart when no ETag is known yet, is "unchanged", not a replay.
    shown: Option<String>,
    /// Seconds the current URL holds a request for a newer feed (`?wait=SEQ`), as its last
    /// answer said (`x-noticecast-long-poll`); `None`: plain polling (a static mirror).
    long_poll: Option<u64>,
    /// The signing keys the last accepted feed announced (key rotation), trusted beside the
    /// configured ones, and those a finished rotation retired.
    keys: KeyState,
    /// The screen's own key: its public half goes with heartbeats, play uploads are signed
    /// with it (`feed::device`).
    device: Option<super::SecretKey>,
}

/// Why a client could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// No TLS backend or no system resolver configuration: nothing can be fetched.
    #[error("cannot build the HTTP client")]
    Http(#[source] reqwest::Error),
}

/// Why a heartbeat or a plays upload did not go through: the records stay queued for the next.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReportError {
    #[error("{url}: {reason}")]
    Request { url: String, reason: String },
    #[error("{url}: HTTP {status}")]
    Status { url: String, status: u16 },
    /// The upload could not be signed with the device key.
    #[error("{0}")]
    Sign(String),
    #[error("play queue: {0}")]
    Queue(String),
}

/// Why a GET brought no usable body, or a feed's assets are not all here.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error("{url}: {reason}")]
    Request { url: String, reason: reqwest::Error },
    #[error("{url}: HTTP {status}")]
    Status {
        url: String,
        status: reqwest::StatusCode,
    },
    /// The declared length is over the limit: nothing is read.
    #[error("{url}: body of {length} bytes is over the {limit} limit")]
    Declared {
        url: String,
        length: u64,
        limit: usize,
    },
    #[error("{url}: body: {reason}")]
    Body { url: String, reason: reqwest::Error },
    /// The body grew over the limit while it streamed in.
    #[error("{url}: body over the {limit} byte limit")]
    TooLong { url: String, limit: usize },
    #[error("the feed has assets and there is no writable cache for them")]
    NoAssetStore,
    /// The feed's assets together are more than the screen keeps.
    #[error(
        "the feed's assets take more than the screen's asset budget of {budget} bytes (at least \
         {total} bytes)"
    )]
    AssetBudget { total: u64, budget: u64 },
    #[error("{url}: 304 to an unconditional request")]
    UnaskedNotModified { url: String },
    #[error("{url}: {reason}")]
    Asset {
        url: String,
        reason: super::assets::AssetError,
    },
}

fn now() -> Timestamp {
    chrono::Utc::now().with_timezone(&beijing_offset())
}

impl Client {
    pub fn new(
        config: PlayerConfig,
        cache: Option<Cache>,
        accepted: Accepted,
    ) -> Result<Client, ClientError> {
        let http = reqwest::Client::builder()
            .connect_timeout(CONNECT_TIMEOUT)
            .timeout(TOTAL_TIMEOUT)
            .user_agent(concat!("noticecast/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(ClientError::Http)?;
        let assets = cache.as_ref().and_then(|c| AssetStore::open(c.dir()).ok());
        let storage_error = cache
            .is_none()
            .then(|| "no writable state folder: playing from memory".to_string());
        let shown = accepted
            .sequence
            .and(cache.as_ref())
            .and_then(|c| c.load(|bytes, _| Envelope::from_json(bytes).map(|e| e.payload)));
        let keys = cache.as_ref().map(Cache::key_state).unwrap_or_default();
        Ok(Client {
            device: None,
            keys,
            config,
            cache,
            http,
            accepted,
            etag: None,
            url: 0,
            failures: 0,
            max_body: MAX_BODY,
            reporter: None,
            assets,
            asset_budget: (crate::model::MAX_ASSET_BYTES, MAX_ASSET_CACHE),
            shown,
            storage_error,
            timesync: super::timesync::marker(),
            long_poll: None,
        })
    }

    /// Signs play uploads with the screen's device key and sends its public half.
    pub fn with_device_key(mut self, key: super::SecretKey) -> Client {
        self.device = Some(key);
        self
    }

    /// Also sends heartbeats and play records, every minute.
    pub fn with_reporter(mut self, reporter: Reporter) -> Client {
        self.reporter = Some(reporter);
        self
    }

    /// For tests: where the time-sync marker is looked for.
    pub fn with_timesync_marker(mut self, path: std::path::PathBuf) -> Client {
        self.timesync = path;
        self
    }

    /// Whether the system clock has been synchronised (see `timesync`).
    pub fn clock_synced(&self) -> bool {
        super::timesync::synchronized_at(&self.timesync)
    }

    /// For tests: a smaller body limit.
    pub fn with_max_body(mut self, bytes: usize) -> Client {
        self.max_body = bytes;
        self
    }

    /// For tests: a smaller asset budget, per asset and for all of a feed's assets.
    pub fn with_asset_budget(mut self, per_asset: usize, total: u64) -> Client {
        self.asset_budget = (per_asset, total);
        self
    }

    /// For tests: shorter timeouts than the 10 s connect and 60 s total.
    pub fn with_timeout(mut self, total: Duration) -> Client {
        self.http = reqwest::Client::builder()
            .connect_timeout(total)
            .timeout(total)
            .build()
            .expect("a client with timeouts");
        self
    }

    pub fn current_url(&self) -> &str {
        &self.config.feed_urls[self.url]
    }

    /// Whether the next poll waits at the server for a newer feed.
    pub fn long_polling(&self) -> bool {
        self.long_poll.is_some() && self.accepted.sequence.is_some()
    }

    /// One GET of the current URL, judged and, if accepted, cached. Where the service holds
    /// requests (`long_polling`), the GET asks for a feed newer than the one on screen and is
    /// answered as soon as there is one.
    pub async fn poll(&mut self) -> Poll {
        let url = self.current_url().to_string();
        let wait = match (self.long_poll, self.accepted.sequence) {
            (Some(secs), Some(seq)) => Some((seq, Duration::from_secs(secs))),
            _ => None,
        };
        let etag = self.etag.clone();
        let got = self.get(&url, etag.as_deref(), wait).await;
        let (body, etag) = match got {
            Ok(Got::NotModified) => {
                self.succeeded();
                return Poll::Unchanged;
            }
            Ok(Got::Body(body, etag)) => (body, etag),
            Err(why) => return self.failed(why.to_string()),
        };
        let trusted = self.keys.trusted(&self.config.trusted_keys);
        let feed = match accept(
            &body,
            &url,
            &trusted,
            &self.config.group,
            &self.accepted,
            super::timesync::judging_clock(now(), self.clock_synced()),
        ) {
            Ok(feed) => feed,
            Err(Refusal::Replayed { got, last })
                if got == last
                    && self.shown.is_some()
                    && Envelope::from_json(&body).ok().map(|e| e.payload) == self.shown =>
            {
                // The very document on screen (a restart without an ETag, or a server that
                // ignores If-None-Match): nothing new, nothing wrong.
                self.etag = etag;
                self.succeeded();
                return Poll::Unchanged;
            }
            Err(refusal) => {
                let reason = format!("{url}: {refusal}");
                self.failed(reason.clone());
                return Poll::Refused(reason);
            }
        };
        // Every file the feed refers to must be here and match its hash before the feed is
        // cached or shown; otherwise this poll failed and the last good feed stays.
        if let Err(why) = self.fetch_assets(&feed).await {
            // The feed itself asks for more than the screen keeps: no retry will fetch it.
            if let FetchError::AssetBudget { .. } = why {
                let reason = format!("{url}: sequence {}: {why}", feed.sequence);
                self.failed(reason.clone());
                return Poll::Refused(reason);
            }
            return self.failed(why.to_string());
        }
        if let Some(cache) = &self.cache
            && let Err(e) = cache.store(&body)
        {
            // Still shown: a full or read-only disk degrades to playing from memory, and the
            // heartbeat says why.
            let why = format!("{}: cannot cache the feed: {e}", cache.dir().display());
            tracing::error!("{why}");
            self.storage_error = Some(why);
        } else {
            self.storage_error = None;
        }
        if let Some(store) = &self.assets {
            let keep: Vec<&str> = feed.assets.iter().map(|a| a.sha256.as_str()).collect();
            store.prune(&keep);
        }
        // The keys that signed it: a rotation's end retires the ones that no longer do.
        let signers: Vec<_> = Envelope::from_json(&body)
            .map(|e| {
                trusted
                    .iter()
                    .filter(|k| e.verify(std::slice::from_ref(*k)).is_ok())
                    .cloned()
                    .collect()
            })
            .unwrap_or_default();
        let keys = self.keys.after(&feed, &signers, &self.config.trusted_keys);
        if keys != self.keys {
            if let Some(cache) = &self.cache
                && let Err(e) = cache.store_key_state(&keys)
            {
                tracing::error!(
                    "{}: cannot keep the feed's keys: {e}",
                    cache.dir().display()
                );
            }
            let ids = |list: &[TrustedKey]| {
                list.iter()
                    .map(|k| k.id.as_str())
                    .collect::<Vec<_>>()
                    .join(" and ")
            };
            tracing::info!(
                "the feed is signed by {}{}",
                ids(&signers),
                if keys.retired.is_empty() {
                    String::new()
                } else {
                    format!("; retired: {}", keys.retired.join(", "))
                }
            );
            self.keys = keys;
        }
        self.accepted = Accepted::of(&feed);
        self.shown = Envelope::from_json(&body).ok().map(|e| e.payload);
        self.etag = etag;
        self.succeeded();
        Poll::Accepted(Box::new(feed))
    }

    /// Fetches the feed's assets that the store lacks, each verified by SHA-256.
    async fn fetch_assets(&mut self, feed: &Feed) -> Result<(), FetchError> {
        if feed.assets.is_empty() {
            return Ok(());
        }
        let Some(store) = self.assets.take() else {
            return Err(FetchError::NoAssetStore);
        };
        let result = self.fetch_missing(&store, feed).await;
        self.assets = Some(store);
        result
    }

    /// Fetches what the store lacks, each within the per-asset limit, and counts every listed
    /// asset's bytes against the budget as it goes: over it, nothing more is fetched.
    async fn fetch_missing(&mut self, store: &AssetStore, feed: &Feed) -> Result<(), FetchError> {
        let (per_asset, budget) = self.asset_budget;
        let mut total: u64 = 0;
        for asset in &feed.assets {
            // What is left of the budget bounds the download too: the asset that would cross
            // it is not kept.
            let left = budget.saturating_sub(total);
            let limit = (per_asset as u64).min(left) as usize;
            let size = match store.size(&asset.sha256) {
                Some(size) => size,
                None => match self.get_within(&asset.url, limit).await {
                    Err(FetchError::TooLong { .. } | FetchError::Declared { .. })
                        if (limit as u64) < per_asset as u64 =>
                    {
                        return Err(FetchError::AssetBudget {
                            total: total + limit as u64 + 1,
                            budget,
                        });
                    }
                    got => match got? {
                        Got::Body(bytes, _) => {
                            store.store(&asset.sha256, &bytes).map_err(|reason| {
                                FetchError::Asset {
                                    url: asset.url.clone(),
                                    reason,
                                }
                            })?;
                            bytes.len() as u64
                        }
                        Got::NotModified => {
                            return Err(FetchError::UnaskedNotModified {
                                url: asset.url.clone(),
                            });
                        }
                    },
                },
            };
            total += size;
            if total > budget {
                return Err(FetchError::AssetBudget { total, budget });
            }
        }
        Ok(())
    }

    /// A plain GET of an asset with its own body limit.
    async fn get_within(&mut self, url: &str, limit: usize) -> Result<Got, FetchError> {
        let feed_limit = std::mem::replace(&mut self.max_body, limit);
        let got = self.get(url, None, None).await;
        self.max_body = feed_limit;
        got
    }

    /// One GET with the body limit enforced while it streams in; with `wait` (the sequence on
    /// screen, the server's hold time), a long poll for a newer feed.
    async fn get(
        &mut self,
        url: &str,
        etag: Option<&str>,
        wait: Option<(u64, Duration)>,
    ) -> Result<Got, FetchError> {
        let mut request = match wait {
            Some((seq, hold)) => {
                let sep = if url.contains('?') { '&' } else { '?' };
                self.http
                    .get(format!("{url}{sep}wait={seq}"))
                    .timeout(hold + TOTAL_TIMEOUT)
            }
            None => self.http.get(url),
        };
        if let Some(etag) = etag {
            request = request.header(reqwest::header::IF_NONE_MATCH, etag);
        }
        let mut response = request.send().await.map_err(|reason| FetchError::Request {
            url: url.to_string(),
            reason,
        })?;
        if wait.is_some() || url == self.current_url() {
            self.long_poll = response
                .headers()
                .get("x-noticecast-long-poll")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.parse::<u64>().ok())
                .filter(|secs| (1..=300).contains(secs));
        }
        let status = response.status();
        if status == reqwest::StatusCode::NOT_MODIFIED {
            return Ok(Got::NotModified);
        }
        if !status.is_success() {
            return Err(FetchError::Status {
                url: url.to_string(),
                status,
            });
        }
        if let Some(n) = response
            .content_length()
            .filter(|n| *n as usize > self.max_body)
        {
            return Err(FetchError::Declared {
                url: url.to_string(),
                length: n,
                limit: self.max_body,
            });
        }
        let etag = response
            .headers()
            .get(reqwest::header::ETAG)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|reason| FetchError::Body {
            url: url.to_string(),
            reason,
        })? {
            if body.len() + chunk.len() > self.max_body {
                return Err(FetchError::TooLong {
                    url: url.to_string(),
                    limit: self.max_body,
                });
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Got::Body(body, etag))
    }

    fn succeeded(&mut self) {
        self.failures = 0;
        // After a mirror served us, the next poll asks the primary again.
        self.url = 0;
    }

    fn failed(&mut self, reason: String) -> Poll {
        self.failures += 1;
        // Once the backoff has reached its ceiling on this URL, move on to the next (a mirror).
        if self.backoff() >= MAX_BACKOFF {
            self.url = (self.url + 1) % self.config.feed_urls.len();
            self.failures = 1;
            self.etag = None;
        }
        Poll::Failed(reason)
    }

    /// The wait before the next poll: the interval ±20%, or after failures an exponential
    /// backoff from the interval up to 15 minutes.
    pub fn backoff(&self) -> Duration {
        let base = Duration::from_secs(self.config.poll_interval_s);
        if self.failures == 0 {
            return base;
        }
        base.saturating_mul(1u32 << self.failures.min(16))
            .min(MAX_BACKOFF)
    }

    pub fn next_wait(&self) -> Duration {
        let wait = self.backoff().as_secs_f64();
        Duration::from_secs_f64(wait * (0.8 + 0.4 * fastrand::f64()))
    }

    /// Polls forever on this thread's runtime, handing every poll's result to `report`.
    pub async fn run(mut self, report: impl Fn(Poll) + Send + 'static) {
        let mut next_report = tokio::time::Instant::now();
        loop {
            let poll = self.poll().await;
            match &poll {
                Poll::Accepted(feed) => tracing::info!(
                    "feed accepted: sequence {}, {} notices",
                    feed.sequence,
                    feed.notices.len()
                ),
                Poll::Unchanged => tracing::debug!("feed unchanged"),
                Poll::Refused(why) => {
                    tracing::warn!("feed refused, keeping the last good one: {why}")
                }
                Poll::Failed(why) => {
                    tracing::warn!("feed not fetched: {why}; next try in {:?}", self.backoff())
                }
            }
            if let Some(reporter) = &self.reporter {
                let mut status = reporter.status.lock().expect("status lock");
                status.sequence = self.accepted.sequence;
                if let Poll::Failed(why) | Poll::Refused(why) = &poll {
                    status.last_error = Some(why.clone());
                } else if let Some(why) = &self.storage_error {
                    status.last_error = Some(why.clone());
                }
            }
            let fetched = matches!(poll, Poll::Accepted(_) | Poll::Unchanged);
            report(poll);
            // After the poll: the heartbeat says which feed is on screen, and a screenshot the
            // service asks for shows it.
            if self.reporter.is_some() && tokio::time::Instant::now() >= next_report {
                if let Err(e) = self.report().await {
                    tracing::warn!("report not delivered: {e}");
                }
                next_report = tokio::time::Instant::now() + REPORT_EVERY;
            }
            // Wake for the next poll or the next report, whichever comes first. A service that
            // holds requests is asked again at once: the wait happens there.
            let held = self.long_polling() && fetched;
            let mut wait = if held {
                Duration::from_millis(50)
            } else {
                self.next_wait()
            };
            if self.reporter.is_some() {
                let until_report =
                    next_report.saturating_duration_since(tokio::time::Instant::now());
                wait = wait.min(until_report.max(Duration::from_secs(1)));
            }
            tokio::time::sleep(wait).await;
        }
    }

    /// One heartbeat and one batch of play records. Returns how many records the service
    /// acknowledged (they have left the queue).
    pub async fn report(&self) -> Result<usize, ReportError> {
        let Some(reporter) = &self.reporter else {
            return Ok(0);
        };
        let base = self.config.report_url.trim_end_matches('/');
        let id = &self.config.screen_id;
        let status = reporter.status.lock().expect("status lock").clone();
        let heartbeat = serde_json::json!({
            "screen_id": id,
            "sequence": status.sequence.or(self.accepted.sequence),
            "uptime_s": status.started.elapsed().as_secs(),
            "adapter": status.adapter,
            "last_error": status.last_error,
            "power": status.power,
            "clock": if self.clock_synced() { "synced" } else { "unsynced" },
            "device_key": self.device.as_ref().map(super::device::public_text),
        });
        let url = format!("{base}/api/screens/{id}/heartbeat");
        let response = self
            .http
            .post(&url)
            .bearer_auth(&self.config.token)
            .json(&heartbeat)
            .send()
            .await;
        let answer: serde_json::Value = match response {
            Ok(r) if r.status().is_success() => r.json().await.unwrap_or_default(),
            Ok(r) => {
                return Err(ReportError::Status {
                    url,
                    status: r.status().as_u16(),
                });
            }
            Err(e) => {
                return Err(ReportError::Request {
                    url,
                    reason: e.to_string(),
                });
            }
        };
        if answer["screenshot"] == true {
            reporter.screenshot.request();
            let asked = Instant::now();
            while reporter.screenshot.png.lock().expect("png lock").is_none()
                && asked.elapsed() < SCREENSHOT_WAIT
            {
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
        if let Some(png) = reporter.screenshot.take() {
            let url = format!("{base}/api/screens/{id}/screenshot");
            let sent = self
                .http
                .post(&url)
                .bearer_auth(&self.config.token)
                .header(reqwest::header::CONTENT_TYPE, "image/png")
                .body(png)
                .send()
                .await;
            match sent {
                Ok(r) if r.status().is_success() => tracing::info!("screenshot uploaded"),
                Ok(r) => tracing::warn!("{url}: HTTP {}", r.status()),
                Err(e) => tracing::warn!("{url}: {e}"),
            }
        }
        let (records, dropped) = reporter.plays.batch(BATCH);
        if records.is_empty() && dropped == 0 {
            return Ok(0);
        }
        let url = format!("{base}/api/screens/{id}/plays");
        let upload = serde_json::json!({ "records": records, "dropped": dropped });
        // Signed by the screen when it has its key: the service keeps the envelope as evidence.
        let body = match &self.device {
            Some(key) => {
                let payload =
                    serde_json::to_vec(&upload).map_err(|e| ReportError::Sign(e.to_string()))?;
                let envelope =
                    super::envelope::sign_as(super::envelope::PLAYS_PAYLOAD_TYPE, &payload, &[key])
                        .map_err(|e| ReportError::Sign(e.to_string()))?;
                serde_json::to_value(envelope).map_err(|e| ReportError::Sign(e.to_string()))?
            }
            None => upload,
        };
        match self
            .http
            .post(&url)
            .bearer_auth(&self.config.token)
            .json(&body)
            .send()
            .await
        {
            Ok(r) if r.status().is_success() => {
                let ids: Vec<String> = records.iter().map(|r| r.id.clone()).collect();
                reporter
                    .plays
                    .acknowledge(&ids, dropped)
                    .map_err(|e| ReportError::Queue(e.to_string()))?;
                Ok(ids.len())
            }
            // Not acknowledged: the records stay and go again next time.
            Ok(r) => Err(ReportError::Status {
                url,
                status: r.status().as_u16(),
            }),
            Err(e) => Err(ReportError::Request {
                url,
                reason: e.to_string(),
            }),
        }
    }
}

/// Starts the client on a named thread with a current-thread tokio runtime.
pub fn spawn(client: Client, report: impl Fn(Poll) + Send + 'static) -> std::io::Result<()> {
    std::thread::Builder::new()
        .name("feed-client".into())
        .spawn(move || {
            match tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            {
                Ok(runtime) => runtime.block_on(client.run(report)),
                Err(e) => tracing::error!("feed client: no runtime: {e}"),
            }
        })?;
    Ok(())
}
