//! `noticecast loadgen`: a load generator for the feed endpoint, run as its own process so that
//! it does not share the service's runtime. Two modes:
//!
//! - `--connections N`: closed loop, N connections requesting back to back: the most requests
//!   per second the service answers.
//! - `--screens N`: open loop, N simulated screens each polling once per `--interval-s` (with the
//!   player's ±20% jitter), latency measured from the moment a poll was due, so a slow service
//!   cannot hide its queueing (no coordinated omission).
//!
//! - `--waiters N --alert FILE.xml --token TOKEN`: N simulated screens long-poll the feed
//!   (`?wait=SEQ`); once all wait, the alert is posted to `/api/alerts` and each screen's time
//!   from the POST to holding the new feed, its signature verified, is measured. Meanwhile, with
//!   `--login NAME` (the password in `$LOADGEN_PASSWORD`), the latency of staff logins and of
//!   `/healthz`; with `--service-pid PID`, the service's memory (RSS from /proc) before, while
//!   and after the screens wait.
//!
//! Either way, `--conditional` sends the feed's current ETag (answered 304) and `--stale F` makes a
//! fraction F of requests go without it (full bodies).

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use clap::Args;

use crate::feed::envelope::{Envelope, EnvelopeError, TrustedKey};
use serde::Serialize;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct LoadgenArgs {
    /// The feed URL, e.g. http://127.0.0.1:8080/feed/plaza-tv.
    pub url: String,
    /// The same feed on more nodes of one service; the screens are spread over all the URLs
    /// in turn. With --waiters the alert is posted to the first; in the loops a poll that
    /// fails on a screen's URL is sent to the next, as a screen with several `feed_urls` does
    /// (counted as `failovers`; `errors` are polls every URL failed).
    #[arg(long, value_name = "URL")]
    pub also: Vec<String>,
    /// Closed loop with this many connections.
    #[arg(long, conflicts_with = "screens")]
    pub connections: Option<usize>,
    /// This many screens long-polling the feed while `--alert` is posted.
    #[arg(long, conflicts_with_all = ["screens", "connections"])]
    pub waiters: Option<usize>,
    /// With --waiters, to spread more screens than one process may hold connections over
    /// several: the process that posts (--alert) writes the instant of its POST here; one
    /// without --alert only waits, and measures its screens from the instant it reads here.
    #[arg(long, requires = "waiters", value_name = "FILE")]
    pub posted_at: Option<PathBuf>,
    /// The alert (CAP or GB/T 35965.1 XML) to post once every screen waits.
    #[arg(long, value_name = "FILE.xml")]
    pub alert: Option<std::path::PathBuf>,
    /// The alert source's bearer token.
    #[arg(long)]
    pub token: Option<String>,
    /// With --waiters: a staff member who logs in five times while the screens wait (the
    /// password in the environment variable LOADGEN_PASSWORD, not on the command line).
    #[arg(long, requires = "waiters", value_name = "NAME")]
    pub login: Option<String>,
    /// With --waiters: the service's process, whose resident memory is read from /proc.
    #[arg(long, requires = "waiters", value_name = "PID")]
    pub service_pid: Option<u32>,
    /// Open loop with this many simulated screens.
    #[arg(long)]
    pub screens: Option<usize>,
    #[arg(long, default_value_t = 60.0)]
    pub interval_s: f64,
    #[arg(long, default_value_t = 10.0)]
    pub duration_s: f64,
    /// Send If-None-Match with the current ETag.
    #[arg(long)]
    pub conditional: bool,
    /// With --conditional: the fraction of requests sent without it.
    #[arg(long, default_value_t = 0.0)]
    pub stale: f64,
}

#[derive(Debug, Serialize)]
struct Figures {
    mode: String,
    requests: usize,
    not_modified: usize,
    full: usize,
    errors: usize,
    failovers: usize,
    seconds: f64,
    per_second: f64,
    p50_ms: f64,
    p90_ms: f64,
    p99_ms: f64,
    max_ms: f64,
}

#[derive(Default)]
struct Tally {
    latencies: Vec<Duration>,
    not_modified: usize,
    full: usize,
    errors: usize,
    failovers: usize,
}

/// Why a load run stopped; printed as the command's error.
#[derive(Debug, thiserror::Error)]
pub enum LoadgenError {
    #[error("{0}")]
    Runtime(std::io::Error),
    #[error("give --connections N (closed loop), --screens N (open loop) or --waiters N")]
    NoMode,
    #[error("{0}")]
    Json(#[from] serde_json::Error),
    #[error("{0}")]
    Http(reqwest::Error),
    /// A request that failed, with what it was (its address, and while what).
    #[error("{what}: {source}")]
    Request {
        what: String,
        source: reqwest::Error,
    },
    #[error("{url}: HTTP {status}")]
    Status {
        url: String,
        status: reqwest::StatusCode,
    },
    #[error("{0}: no ETag")]
    NoEtag(String),
    #[error("{0}")]
    Task(#[from] tokio::task::JoinError),
    #[error("{0}")]
    Envelope(#[from] EnvelopeError),
    #[error("the payload has no sequence")]
    NoSequence,
    #[error("{path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{0}: not a /feed/GROUP address")]
    NotAFeed(String),
    /// A key of `/feed/keys` that is not one (`TrustedKey::from_listing`'s reason).
    #[error("{0}")]
    Key(crate::feed::KeyError),
    #[error("a new feed came before the alert was posted")]
    FeedBeforeAlert,
    #[error("POST /api/alerts: HTTP {status}: {answer}")]
    AlertRefused { status: u16, answer: String },
}

pub fn run(args: LoadgenArgs) -> Result<(), LoadgenError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(LoadgenError::Runtime)?;
    if args.waiters.is_some() {
        let figures = runtime.block_on(waiters(args))?;
        println!("{}", serde_json::to_string(&figures)?);
        return Ok(());
    }
    if args.connections.is_none() && args.screens.is_none() {
        return Err(LoadgenError::NoMode);
    }
    let figures = runtime.block_on(load(args))?;
    println!("{}", serde_json::to_string(&figures)?);
    Ok(())
}

async fn load(args: LoadgenArgs) -> Result<Figures, LoadgenError> {
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(1024)
        .timeout(Duration::from_secs(30))
        .build()
        .map_err(LoadgenError::Http)?;
    let first = http
        .get(&args.url)
        .send()
        .await
        .map_err(|source| LoadgenError::Request {
            what: args.url.clone(),
            source,
        })?;
    if !first.status().is_success() {
        return Err(LoadgenError::Status {
            url: args.url.clone(),
            status: first.status(),
        });
    }
    let etag = first
        .headers()
        .get(reqwest::header::ETAG)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
        .ok_or_else(|| LoadgenError::NoEtag(args.url.clone()))?;
    let tally = Arc::new(Mutex::new(Tally::default()));
    let duration = Duration::from_secs_f64(args.duration_s);
    let urls: Arc<Vec<String>> = Arc::new(
        std::iter::once(args.url.clone())
            .chain(args.also.iter().cloned())
            .collect(),
    );
    let request = {
        let (http, urls, tally) = (http.clone(), urls.clone(), tally.clone());
        let (conditional, stale) = (args.conditional, args.stale);
        // Screen `screen` polls its own URL first, then the next ones, as a screen with several
        // feed URLs does.
        move |due: Instant, screen: usize| {
            let (http, urls, tally, etag) =
                (http.clone(), urls.clone(), tally.clone(), etag.clone());
            async move {
                let mut result = None;
                let mut tried = 0;
                while tried < urls.len()
                    && result.is_none_or(|s: reqwest::StatusCode| s.is_server_error())
                {
                    let url = &urls[(screen + tried) % urls.len()];
                    tried += 1;
                    let mut get = http.get(url);
                    if conditional && fastrand::f64() >= stale {
                        get = get.header(reqwest::header::IF_NONE_MATCH, etag.clone());
                    }
                    result = match get.send().await {
                        Ok(r) => {
                            let status = r.status();
                            r.bytes().await.map(|_| status).ok()
                        }
                        Err(_) => None,
                    };
                }
                let mut t = tally.lock().expect("tally");
                t.latencies.push(due.elapsed());
                match result {
                    Some(s) if s == reqwest::StatusCode::NOT_MODIFIED => t.not_modified += 1,
                    Some(s) if s.is_success() => t.full += 1,
                    _ => t.errors += 1,
                }
                if tried > 1 && result.is_some_and(|s| !s.is_server_error()) {
                    t.failovers += 1;
                }
            }
        }
    };
    let started = Instant::now();
    let mode = if let Some(connections) = args.connections {
        let mut tasks = Vec::new();
        for connection in 0..connections {
            let request = request.clone();
            tasks.push(tokio::spawn(async move {
                while started.elapsed() < duration {
                    request(Instant::now(), connection).await;
                }
            }));
        }
        for t in tasks {
            t.await?;
        }
        format!("closed loop, {connections} connections")
    } else {
        let screens = args.screens.unwrap_or(0);
        let interval = args.interval_s;
        // Each screen's first poll falls anywhere in the first interval, as after a day of
        // jittered polling; then every interval ±20%.
        let mut due: BinaryHeap<Reverse<(Duration, usize)>> = (0..screens)
            .map(|i| Reverse((Duration::from_secs_f64(fastrand::f64() * interval), i)))
            .collect();
        let mut tasks = Vec::new();
        while let Some(Reverse((at, screen))) = due.pop() {
            if at >= duration {
                break;
            }
            tokio::time::sleep_until((started + at).into()).await;
            tasks.push(tokio::spawn(request(started + at, screen)));
            let next = at + Duration::from_secs_f64(interval * (0.8 + 0.4 * fastrand::f64()));
            due.push(Reverse((next, screen)));
        }
        for t in tasks {
            t.await?;
        }
        format!("open loop, {screens} screens every {interval} s")
    };
    let seconds = started.elapsed().as_secs_f64();
    let mut t = std::mem::take(&mut *tally.lock().expect("tally"));
    t.latencies.sort();
    let pct = |p: f64| -> f64 {
        if t.latencies.is_empty() {
            return 0.0;
        }
        let i = ((t.latencies.len() as f64 * p).ceil() as usize).clamp(1, t.latencies.len()) - 1;
        t.latencies[i].as_secs_f64() * 1000.0
    };
    Ok(Figures {
        mode,
        requests: t.latencies.len(),
        not_modified: t.not_modified,
        full: t.full,
        errors: t.errors,
        failovers: t.failovers,
        seconds,
        per_second: t.latencies.len() as f64 / seconds,
        p50_ms: pct(0.5),
        p90_ms: pct(0.9),
        p99_ms: pct(0.99),
        max_ms: pct(1.0),
    })
}

#[derive(Debug, Serialize)]
struct AlertFigures {
    mode: String,
    screens: usize,
    /// Screens that held the new, verified feed.
    reached: usize,
    errors: usize,
    alert_status: u16,
    post_ms: f64,
    p50_ms: f64,
    p99_ms: f64,
    max_ms: f64,
    /// While every screen waits: the median of five logins (`--login`) and of five `/healthz`.
    #[serde(skip_serializing_if = "Option::is_none")]
    login_p50_ms: Option<f64>,
    healthz_p50_ms: f64,
    /// The service's resident memory (`--service-pid`) before the screens, while they all wait,
    /// and 8 s after they were answered (the service gives freed memory back within 5 s of a
    /// wave); and the growth per waiting screen.
    #[serde(skip_serializing_if = "Option::is_none")]
    rss_before_kb: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    rss_waiting_kb: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    rss_after_kb: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    kb_per_waiter: Option<f64>,
}

/// A process's resident memory in KiB (`VmRSS` in /proc/PID/status).
fn rss_kb(pid: Option<u32>) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{}/status", pid?)).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// The median of `samples` in milliseconds.
fn median_ms(mut samples: Vec<Duration>) -> f64 {
    if samples.is_empty() {
        return 0.0;
    }
    samples.sort();
    samples[(samples.len() - 1) / 2].as_secs_f64() * 1000.0
}

/// The feed's sequence, once the envelope's signature checks out.
fn verified_sequence(body: &[u8], keys: &[TrustedKey]) -> Result<u64, LoadgenError> {
    let envelope = Envelope::from_json(body)?;
    let payload = envelope.verify(keys)?;
    let doc: serde_json::Value = serde_json::from_slice(&payload)?;
    doc["sequence"].as_u64().ok_or(LoadgenError::NoSequence)
}

async fn waiters(args: LoadgenArgs) -> Result<AlertFigures, LoadgenError> {
    let n = args.waiters.unwrap_or(0);
    // Without --alert this process only waits (`--posted-at`): another one posts.
    let alert = match (&args.alert, &args.token, &args.posted_at) {
        (Some(path), Some(token), _) => Some((
            std::fs::read(path).map_err(|source| LoadgenError::Read {
                path: path.display().to_string(),
                source,
            })?,
            token.clone(),
        )),
        (None, _, Some(_)) => None,
        _ => return Err(LoadgenError::NoMode),
    };
    let base = args
        .url
        .split_once("/feed/")
        .map(|(b, _)| b.to_string())
        .ok_or_else(|| LoadgenError::NotAFeed(args.url.clone()))?;
    // One connection per waiting screen, as real screens hold theirs.
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(n + 16)
        .timeout(Duration::from_secs(90))
        .build()
        .map_err(LoadgenError::Http)?;
    let keys: serde_json::Value = http
        .get(format!("{base}/feed/keys"))
        .send()
        .await
        .and_then(|r| r.error_for_status())
        .map_err(|source| LoadgenError::Request {
            what: format!("{base}/feed/keys"),
            source,
        })?
        .json()
        .await
        .map_err(LoadgenError::Http)?;
    let keys: Vec<TrustedKey> = keys["keys"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|k| Some((k["algorithm"].as_str(), k["public_key"].as_str()?)))
        .map(|(algorithm, key)| TrustedKey::from_listing(algorithm, key))
        .collect::<Result<_, _>>()
        .map_err(LoadgenError::Key)?;
    let first = http
        .get(&args.url)
        .send()
        .await
        .map_err(|source| LoadgenError::Request {
            what: args.url.clone(),
            source,
        })?
        .bytes()
        .await
        .map_err(LoadgenError::Http)?;
    let seen = verified_sequence(&first, &keys)?;
    let rss_before_kb = rss_kb(args.service_pid);
    let keys = Arc::new(keys);
    let posted: Arc<std::sync::OnceLock<std::time::SystemTime>> =
        Arc::new(std::sync::OnceLock::new());
    let listen_only = alert.is_none();
    let waiting = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let mut tasks = Vec::new();
    let urls: Vec<&String> = std::iter::once(&args.url).chain(&args.also).collect();
    for i in 0..n {
        let (http, keys, posted, waiting) =
            (http.clone(), keys.clone(), posted.clone(), waiting.clone());
        let url = format!("{}?wait={seen}", urls[i % urls.len()]);
        tasks.push(tokio::spawn(async move {
            let mut counted = false;
            loop {
                let request = http.get(&url).send();
                if !counted {
                    waiting.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    counted = true;
                }
                let reply = request.await.map_err(LoadgenError::Http)?;
                if reply.status() == reqwest::StatusCode::NOT_MODIFIED {
                    continue;
                }
                let body = reply.bytes().await.map_err(LoadgenError::Http)?;
                let sequence = verified_sequence(&body, &keys)?;
                // The wall clock, which the process that posted shares (`--posted-at`).
                if sequence > seen && (listen_only || posted.get().is_some()) {
                    return Ok::<std::time::SystemTime, LoadgenError>(std::time::SystemTime::now());
                }
                if sequence > seen {
                    return Err(LoadgenError::FeedBeforeAlert);
                }
            }
        }));
    }
    // Let every request reach the service and be held.
    while waiting.load(std::sync::atomic::Ordering::Relaxed) < n {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    tokio::time::sleep(Duration::from_secs(3)).await;
    let rss_waiting_kb = rss_kb(args.service_pid);
    // Staff and the monitoring while every screen waits, each on a connection of its own.
    let mut healthz = Vec::new();
    let mut logins = Vec::new();
    let password = std::env::var("LOADGEN_PASSWORD").unwrap_or_default();
    for _ in 0..5 {
        let fresh = reqwest::Client::new();
        let t = Instant::now();
        fresh
            .get(format!("{base}/healthz"))
            .send()
            .await
            .and_then(|r| r.error_for_status())
            .map_err(|source| LoadgenError::Request {
                what: format!("{base}/healthz while {n} screens wait"),
                source,
            })?;
        healthz.push(t.elapsed());
        if let Some(name) = &args.login {
            let fresh = reqwest::Client::new();
            let t = Instant::now();
            fresh
                .post(format!("{base}/api/login"))
                .json(&serde_json::json!({"name": name, "password": password}))
                .send()
                .await
                .and_then(|r| r.error_for_status())
                .map_err(|source| LoadgenError::Request {
                    what: format!("{base}/api/login as {name} while {n} screens wait"),
                    source,
                })?;
            logins.push(t.elapsed());
        }
    }
    let start = Instant::now();
    let (post_ms, alert_status) = match alert {
        Some((alert, token)) => {
            let wall = std::time::SystemTime::now();
            posted.set(wall).expect("set once");
            if let Some(file) = &args.posted_at {
                let nanos = wall
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap_or_default();
                std::fs::write(file, nanos.as_nanos().to_string()).map_err(|source| {
                    LoadgenError::Read {
                        path: file.display().to_string(),
                        source,
                    }
                })?;
            }
            let reply = http
                .post(format!("{base}/api/alerts"))
                .bearer_auth(&token)
                .header(reqwest::header::CONTENT_TYPE, "application/cap+xml")
                .body(alert)
                .send()
                .await
                .map_err(|source| LoadgenError::Request {
                    what: format!("POST {base}/api/alerts"),
                    source,
                })?;
            let post_ms = start.elapsed().as_secs_f64() * 1000.0;
            let alert_status = reply.status().as_u16();
            let answer = reply.text().await.unwrap_or_default();
            if !(200..300).contains(&alert_status) {
                return Err(LoadgenError::AlertRefused {
                    status: alert_status,
                    answer,
                });
            }
            (post_ms, alert_status)
        }
        None => (0.0, 0),
    };
    let mut arrivals = Vec::new();
    let mut errors = 0;
    for t in tasks {
        match t.await? {
            Ok(at) => arrivals.push(at),
            Err(e) => {
                errors += 1;
                if errors == 1 {
                    eprintln!("a screen failed: {e}");
                }
            }
        }
    }
    // When the alert was posted: here, or by the process that posted (`--posted-at`).
    let posted_wall = match posted.get() {
        Some(at) => *at,
        None => {
            let file = args
                .posted_at
                .as_ref()
                .expect("listen_only has --posted-at");
            let read = |file: &PathBuf| {
                std::fs::read_to_string(file)
                    .ok()
                    .and_then(|t| t.trim().parse::<u64>().ok())
            };
            let mut nanos = read(file);
            while nanos.is_none() {
                tokio::time::sleep(Duration::from_millis(100)).await;
                nanos = read(file);
            }
            std::time::UNIX_EPOCH + Duration::from_nanos(nanos.unwrap_or(0))
        }
    };
    let mut latencies: Vec<Duration> = arrivals
        .iter()
        .map(|at| at.duration_since(posted_wall).unwrap_or_default())
        .collect();
    latencies.sort();
    let pct = |p: f64| -> f64 {
        if latencies.is_empty() {
            return 0.0;
        }
        let i = ((latencies.len() as f64 * p).ceil() as usize).clamp(1, latencies.len()) - 1;
        latencies[i].as_secs_f64() * 1000.0
    };
    // The connections closed, and a moment for the service to let their memory go.
    drop(http);
    // The service looks at its long polls every 5 s and gives memory back after a wave.
    tokio::time::sleep(Duration::from_secs(8)).await;
    let rss_after_kb = rss_kb(args.service_pid);
    let kb_per_waiter = rss_before_kb
        .zip(rss_waiting_kb)
        .map(|(before, waiting)| (waiting as f64 - before as f64) / n.max(1) as f64);
    Ok(AlertFigures {
        mode: format!("{n} screens long-polling, one alert posted"),
        screens: n,
        reached: latencies.len(),
        errors,
        alert_status,
        post_ms,
        p50_ms: pct(0.5),
        p99_ms: pct(0.99),
        max_ms: pct(1.0),
        login_p50_ms: args.login.is_some().then(|| median_ms(logins)),
        healthz_p50_ms: median_ms(healthz),
        rss_before_kb,
        rss_waiting_kb,
        rss_after_kb,
        kb_per_waiter,
    })
}
