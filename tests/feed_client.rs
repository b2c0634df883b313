//! The feed client against a real HTTP server on loopback: every way a fetch goes wrong leaves
//! the last good feed in the cache and on screen.

mod common;

use std::net::TcpListener;
use std::time::Duration;

use common::http::{Reply, Server};

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use ed25519_dalek::SigningKey;
use noticecast::feed::client::{Client, Poll};
use noticecast::feed::envelope::sign;
use noticecast::feed::{Accepted, Cache, PlayerConfig};

fn office() -> SigningKey {
    SigningKey::from_bytes(&[7u8; 32])
}

fn envelope(sequence: u64, key: &SigningKey) -> Vec<u8> {
    // Valid for years, so the test does not age.
    envelope_for("plaza-tv", sequence, "2099-01-01T00:00:00+08:00", key)
}

fn envelope_for(group: &str, sequence: u64, expires_at: &str, key: &SigningKey) -> Vec<u8> {
    let mut doc: serde_json::Value = serde_json::from_slice(
        &std::fs::read(common::path("docs/examples/feed-with-playlist.json")).unwrap(),
    )
    .unwrap();
    doc["group"] = serde_json::json!(group);
    doc["playlist"]["group"] = serde_json::json!(group);
    doc["sequence"] = serde_json::json!(sequence);
    doc["generated_at"] = serde_json::json!("2026-01-01T00:00:00+08:00");
    doc["expires_at"] = serde_json::json!(expires_at);
    sign(doc.to_string().as_bytes(), key)
        .unwrap()
        .to_json()
        .into_bytes()
}

fn config(urls: &[String], keys: &[&SigningKey], cache: &std::path::Path) -> PlayerConfig {
    let keys: Vec<String> = keys
        .iter()
        .map(|k| format!("\"{}\"", BASE64.encode(k.verifying_key().as_bytes())))
        .collect();
    let urls: Vec<String> = urls.iter().map(|u| format!("\"{u}\"")).collect();
    let text = format!(
        "screen_id = \"test-01\"\ngroup = \"plaza-tv\"\nfeed_urls = [{}]\ntrusted_keys = [{}]\ncache_dir = \"{}\"\npoll_interval_s = 10\ntoken = \"t\"\n",
        urls.join(", "),
        keys.join(", "),
        cache.display()
    );
    PlayerConfig::from_toml(&text, "player.toml").unwrap()
}

/// What a restarted screen would show: the cached feed's sequence.
fn cached_sequence(config: &PlayerConfig) -> Option<u64> {
    let cache = Cache::open(&config.cache_dir).unwrap();
    cache
        .load_feed(config, common::t("2026-11-27T10:00:00+08:00"))
        .map(|f| f.sequence)
}

fn client(config: &PlayerConfig) -> Client {
    Client::new(
        config.clone(),
        Some(Cache::open(&config.cache_dir).unwrap()),
        Accepted::default(),
    )
    .unwrap()
    .with_timeout(Duration::from_secs(2))
    .with_max_body(1024 * 1024)
}

fn run<T>(f: impl std::future::Future<Output = T>) -> T {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(f)
}

#[test]
fn fetch_cache_and_every_failure_keeps_the_last_good_feed() {
    let key = office();
    let server = Server::start(Reply::Feed {
        body: envelope(17, &key),
        etag: "\"v17\"".into(),
    });
    let dir = tempfile::tempdir().unwrap();
    let config = config(&[server.url()], &[&key], dir.path());
    let mut client = client(&config);
    run(async {
        // A good feed: accepted, cached, and the screen would show it.
        assert!(matches!(client.poll().await, Poll::Accepted(f) if f.sequence == 17));
        assert_eq!(cached_sequence(&config), Some(17));
        // A static server (a mirror) says nothing of holding requests: plain polling.
        assert!(!client.long_polling());
        // The same again: a conditional GET answered 304.
        assert!(matches!(client.poll().await, Poll::Unchanged));
        assert!(
            server
                .requests
                .lock()
                .unwrap()
                .last()
                .unwrap()
                .to_ascii_lowercase()
                .contains("if-none-match: \"v17\"")
        );

        assert!(
            server
                .requests
                .lock()
                .unwrap()
                .iter()
                .all(|r| !r.contains("wait=")),
            "a static server is never asked to wait"
        );

        let stranger = SigningKey::from_bytes(&[9u8; 32]);
        let cases: Vec<(&str, Reply)> = vec![
            (
                "bad signature / unknown key",
                Reply::Feed {
                    body: envelope(18, &stranger),
                    etag: "\"x1\"".into(),
                },
            ),
            (
                "replayed older sequence",
                Reply::Feed {
                    body: envelope(16, &key),
                    etag: "\"x2\"".into(),
                },
            ),
            (
                "invalid JSON",
                Reply::Feed {
                    body: b"{not json".to_vec(),
                    etag: "\"x3\"".into(),
                },
            ),
            (
                "wrong group",
                Reply::Feed {
                    body: envelope_for("village-terminal", 18, "2099-01-01T00:00:00+08:00", &key),
                    etag: "\"x4\"".into(),
                },
            ),
            (
                "expired feed",
                Reply::Feed {
                    body: envelope_for("plaza-tv", 18, "2026-01-02T00:00:00+08:00", &key),
                    etag: "\"x5\"".into(),
                },
            ),
            ("HTTP 500", Reply::Status(500)),
            ("truncated body", Reply::Truncated),
            ("endless body", Reply::Endless),
            ("a server that never answers", Reply::Silent),
        ];
        // A payload changed after signing: the signature no longer verifies.
        let mut tampered = noticecast::feed::Envelope::from_json(&envelope(18, &key)).unwrap();
        tampered.payload = BASE64.encode(envelope_payload(19));
        let mut cases = cases;
        cases.insert(
            0,
            (
                "tampered payload",
                Reply::Feed {
                    body: tampered.to_json().into_bytes(),
                    etag: "\"x0\"".into(),
                },
            ),
        );
        for (name, reply) in cases {
            server.set(reply);
            let poll = client.poll().await;
            assert!(
                matches!(poll, Poll::Refused(_) | Poll::Failed(_)),
                "{name}: {poll:?}"
            );
            assert_eq!(
                client.accepted.sequence,
                Some(17),
                "{name}: the accepted feed changed"
            );
            assert_eq!(
                cached_sequence(&config),
                Some(17),
                "{name}: the cache changed"
            );
        }
        // Failures back off exponentially, never beyond 15 minutes.
        assert!(client.backoff() > Duration::from_secs(10));
        assert!(client.backoff() <= Duration::from_secs(15 * 60));
        // The server recovers with a newer feed: accepted.
        server.set(Reply::Feed {
            body: envelope(18, &key),
            etag: "\"v18\"".into(),
        });
        assert!(matches!(client.poll().await, Poll::Accepted(f) if f.sequence == 18));
        assert_eq!(client.backoff(), Duration::from_secs(10));
    });
}

/// After a restart the client knows no ETag: the same feed fetched again is "unchanged", while
/// another document with the same sequence is still refused.
#[test]
fn a_restarted_screen_fetching_the_feed_it_shows_is_not_a_replay() {
    let key = office();
    let body = envelope(17, &key);
    let server = Server::start(Reply::Feed {
        body: body.clone(),
        etag: "\"v17\"".into(),
    });
    let dir = tempfile::tempdir().unwrap();
    let config = config(&[server.url()], &[&key], dir.path());
    run(async {
        assert!(matches!(client(&config).poll().await, Poll::Accepted(_)));
        let cache = Cache::open(&config.cache_dir).unwrap();
        let shown = cache
            .load_feed(&config, common::t("2026-11-27T10:00:00+08:00"))
            .unwrap();
        let restarted = || {
            Client::new(
                config.clone(),
                Some(Cache::open(&config.cache_dir).unwrap()),
                Accepted::of(&shown),
            )
            .unwrap()
        };
        let poll = restarted().poll().await;
        assert!(matches!(poll, Poll::Unchanged), "{poll:?}");
        let mut other: serde_json::Value = serde_json::from_slice(&envelope_payload(17)).unwrap();
        other["notices"] = serde_json::json!([]);
        server.set(Reply::Feed {
            body: sign(other.to_string().as_bytes(), &key)
                .unwrap()
                .to_json()
                .into_bytes(),
            etag: "\"w17\"".into(),
        });
        let poll = restarted().poll().await;
        assert!(
            matches!(&poll, Poll::Refused(r) if r.contains("not after")),
            "{poll:?}"
        );
    });
}

#[test]
fn a_key_rotation_and_a_mirror() {
    let (old, new) = (office(), SigningKey::from_bytes(&[8u8; 32]));
    let primary = Server::start(Reply::Status(503));
    let mirror = Server::start(Reply::Feed {
        body: envelope(20, &new),
        etag: "\"m20\"".into(),
    });
    let dir = tempfile::tempdir().unwrap();
    let config = config(&[primary.url(), mirror.url()], &[&old, &new], dir.path());
    let mut client = client(&config);
    run(async {
        // The primary keeps failing; once the backoff has reached 15 minutes the mirror is tried.
        let mut polls = 0;
        let accepted = loop {
            polls += 1;
            assert!(polls < 20, "the mirror was never tried");
            if let Poll::Accepted(feed) = client.poll().await {
                break feed;
            }
        };
        assert_eq!(
            accepted.sequence, 20,
            "signed by the new key, fetched from the mirror"
        );
        assert!(
            polls > 2,
            "mirrors only after backing off on the primary ({polls} polls)"
        );
        assert_eq!(
            client.current_url(),
            primary.url(),
            "after success the primary comes first again"
        );
    });
}

#[test]
fn server_down_at_start_with_and_without_a_cache() {
    let key = office();
    let dir = tempfile::tempdir().unwrap();
    // Nothing listens on this port.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let config = config(
        &[format!("http://127.0.0.1:{port}/feed")],
        &[&key],
        dir.path(),
    );
    assert_eq!(
        cached_sequence(&config),
        None,
        "no cache: the screen shows its standby frame"
    );
    let mut c = client(&config);
    run(async { assert!(matches!(c.poll().await, Poll::Failed(_))) });
    // With a cache from an earlier run, the screen starts from it whatever the network does.
    Cache::open(dir.path())
        .unwrap()
        .store(&envelope(17, &key))
        .unwrap();
    let mut c = client(&config);
    run(async { assert!(matches!(c.poll().await, Poll::Failed(_))) });
    assert_eq!(cached_sequence(&config), Some(17));
}

mod plays {
    use super::*;
    use noticecast::feed::client::{Reporter, ScreenStatus};
    use noticecast::feed::plays::{PlayQueue, PlayRecord};
    use std::sync::{Arc, Mutex};

    fn record(i: u32) -> PlayRecord {
        let start =
            common::t("2026-11-27T10:00:00+08:00") + chrono::TimeDelta::seconds(i as i64 * 40);
        PlayRecord::new("2026-0153", i % 5 + 1, start, 40.0, 17)
    }

    #[test]
    fn the_queue_survives_a_restart_is_bounded_and_skips_a_torn_line() {
        let dir = tempfile::tempdir().unwrap();
        let queue = PlayQueue::open(dir.path(), 5).unwrap();
        for i in 0..3 {
            queue.push(record(i)).unwrap();
        }
        drop(queue);
        // A power cut in the middle of an append leaves half a line: it is skipped.
        let path = dir.path().join("plays.jsonl");
        let mut text = std::fs::read_to_string(&path).unwrap();
        text.push_str("{\"id\":\"torn");
        std::fs::write(&path, text).unwrap();
        let queue = PlayQueue::open(dir.path(), 5).unwrap();
        assert_eq!(queue.len(), 3);
        // Over the bound the oldest go, and are counted.
        for i in 3..9 {
            queue.push(record(i)).unwrap();
        }
        let (batch, dropped) = queue.batch(100);
        assert_eq!((batch.len(), dropped), (5, 4));
        assert_eq!(batch[0], record(4), "the oldest were dropped");
        let reopened = PlayQueue::open(dir.path(), 5).unwrap();
        assert_eq!(reopened.batch(100), (batch, 4));
    }

    /// Regression: a record appended after a torn line (a kill mid-append) joined it on one line
    /// and was lost with it; the queue now drops the torn tail when it opens. (The kill test
    /// below caught it once in CI as "a record twice".)
    #[test]
    fn a_record_appended_after_a_torn_line_is_kept() {
        let dir = tempfile::tempdir().unwrap();
        let queue = PlayQueue::open(dir.path(), 100).unwrap();
        queue.push(record(0)).unwrap();
        drop(queue);
        let path = dir.path().join("plays.jsonl");
        let mut text = std::fs::read_to_string(&path).unwrap();
        text.push_str("{\"id\":\"torn");
        std::fs::write(&path, text).unwrap();
        let queue = PlayQueue::open(dir.path(), 100).unwrap();
        queue.push(record(1)).unwrap();
        drop(queue);
        let reopened = PlayQueue::open(dir.path(), 100).unwrap();
        assert_eq!(reopened.batch(100).0, vec![record(0), record(1)]);
    }

    /// A process appending records is killed at 100 random moments: after each, the queue
    /// opens, every record in it is whole, and none that was there before is lost.
    #[test]
    fn records_survive_a_kill_at_any_moment() {
        let dir = tempfile::tempdir().unwrap();
        let mut seed = 0x2545F4914F6CDD1Du64;
        let mut last = 0;
        for round in 0..100 {
            let mut writer = std::process::Command::new(env!("CARGO_BIN_EXE_noticecast"))
                .args(["plays-writer", "--dir"])
                .arg(dir.path())
                .spawn()
                .unwrap();
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            std::thread::sleep(Duration::from_micros(2_000 + seed % 20_000));
            writer.kill().unwrap();
            writer.wait().unwrap();
            let queue = PlayQueue::open(dir.path(), 1_000_000).unwrap();
            let (records, _) = queue.batch(usize::MAX);
            assert!(
                records.len() >= last,
                "round {round}: {} records, {last} before",
                records.len()
            );
            let mut ids: Vec<&String> = records.iter().map(|r| &r.id).collect();
            ids.dedup();
            assert_eq!(ids.len(), records.len(), "round {round}: a record twice");
            last = records.len();
        }
        assert!(last > 100, "the writer hardly wrote: {last}");
    }

    #[test]
    fn records_are_uploaded_exactly_once_after_the_service_acknowledges_them() {
        let server = Server::start(Reply::Status(500));
        let dir = tempfile::tempdir().unwrap();
        let key = office();
        let config = config(&[server.url()], &[&key], dir.path());
        assert_eq!(
            config.report_url,
            format!("http://127.0.0.1:{}", server.port)
        );
        let plays = Arc::new(PlayQueue::open(&dir.path().join("plays"), 1000).unwrap());
        for i in 0..7 {
            plays.push(record(i)).unwrap();
        }
        let status = Arc::new(Mutex::new(ScreenStatus {
            adapter: Some("test adapter".into()),
            ..Default::default()
        }));
        let client = client(&config).with_reporter(Reporter {
            plays: plays.clone(),
            status,
            screenshot: Default::default(),
        });
        run(async {
            // The service is down: nothing leaves the queue.
            assert!(client.report().await.is_err());
            assert_eq!(plays.len(), 7);
            // It acknowledges: all seven go, once.
            server.set(Reply::Status(200));
            assert_eq!(client.report().await, Ok(7));
            assert!(plays.is_empty());
            assert_eq!(client.report().await, Ok(0));
        });
        let requests = server.requests.lock().unwrap();
        let uploads: Vec<&String> = requests
            .iter()
            .filter(|r| r.starts_with("POST /api/screens/test-01/plays"))
            .collect();
        assert_eq!(uploads.len(), 1, "one upload of the records");
        let heartbeat = requests
            .iter()
            .find(|r| r.starts_with("POST /api/screens/test-01/heartbeat"))
            .expect("a heartbeat");
        assert!(
            heartbeat
                .to_ascii_lowercase()
                .contains("authorization: bearer t"),
            "{heartbeat}"
        );
        // A fresh queue from disk is empty too: the acknowledgement was saved.
        assert!(
            PlayQueue::open(&dir.path().join("plays"), 1000)
                .unwrap()
                .is_empty()
        );
    }
}

#[test]
fn assets_are_fetched_by_hash_and_a_mismatch_keeps_the_last_good_feed() {
    use noticecast::feed::assets::sha256_hex;
    let key = office();
    let server = Server::start(Reply::Status(404));
    let dir = tempfile::tempdir().unwrap();
    let config = config(&[server.url()], &[&key], dir.path());
    let base = format!("http://127.0.0.1:{}", server.port);
    let feed_with_asset = |sequence: u64, sha: &str, path: &str| {
        let mut doc: serde_json::Value =
            serde_json::from_slice(&envelope_payload(sequence)).unwrap();
        doc["assets"] = serde_json::json!([{ "sha256": sha, "url": format!("{base}{path}"), "media_type": "image/png" }]);
        sign(doc.to_string().as_bytes(), &key)
            .unwrap()
            .to_json()
            .into_bytes()
    };
    let image = b"\x89PNG a village map".to_vec();
    let mut client = client(&config);
    run(async {
        server.set(Reply::Paths(vec![
            (
                "/feed/plaza-tv".into(),
                feed_with_asset(17, &sha256_hex(&image), "/img/map.png"),
            ),
            ("/img/map.png".into(), image.clone()),
        ]));
        assert!(matches!(client.poll().await, Poll::Accepted(f) if f.sequence == 17));
        let stored = dir.path().join("assets").join(sha256_hex(&image));
        assert_eq!(
            std::fs::read(&stored).unwrap(),
            image,
            "the asset is stored under its hash"
        );

        // The next feed's asset arrives with other bytes than its hash says: refused as a whole.
        let promised = b"the real notice photo".to_vec();
        server.set(Reply::Paths(vec![
            (
                "/feed/plaza-tv".into(),
                feed_with_asset(18, &sha256_hex(&promised), "/img/photo.png"),
            ),
            ("/img/photo.png".into(), b"something else".to_vec()),
        ]));
        match client.poll().await {
            Poll::Failed(why) => assert!(why.contains("content hash"), "{why}"),
            other => panic!("a tampered asset must fail the poll: {other:?}"),
        }
        assert_eq!(client.accepted.sequence, Some(17));
        assert_eq!(cached_sequence(&config), Some(17));
        assert!(
            !dir.path()
                .join("assets")
                .join(sha256_hex(&promised))
                .exists()
        );
    });
}

#[test]
fn a_feed_whose_assets_exceed_the_budget_is_refused_and_the_last_good_one_stays() {
    use noticecast::feed::assets::sha256_hex;
    let key = office();
    let server = Server::start(Reply::Status(404));
    let dir = tempfile::tempdir().unwrap();
    let config = config(&[server.url()], &[&key], dir.path());
    let base = format!("http://127.0.0.1:{}", server.port);
    let feed_with = |sequence: u64, files: &[(&str, &[u8])]| {
        let mut doc: serde_json::Value =
            serde_json::from_slice(&envelope_payload(sequence)).unwrap();
        doc["assets"] = files
            .iter()
            .map(|(path, bytes)| {
                serde_json::json!({"sha256": sha256_hex(bytes), "url": format!("{base}{path}"),
                    "media_type": "image/png"})
            })
            .collect();
        sign(doc.to_string().as_bytes(), &key)
            .unwrap()
            .to_json()
            .into_bytes()
    };
    let (map, photo, plan) = (vec![1u8; 600], vec![2u8; 600], vec![4u8; 600]);
    let scan = vec![3u8; 3000];
    // 1,000 bytes an asset, 1,500 in all.
    let mut client = client(&config).with_asset_budget(1000, 1500);
    run(async {
        server.set(Reply::Paths(vec![
            (
                "/feed/plaza-tv".into(),
                feed_with(17, &[("/map.png", &map)]),
            ),
            ("/map.png".into(), map.clone()),
        ]));
        assert!(matches!(client.poll().await, Poll::Accepted(f) if f.sequence == 17));

        // Two assets within the per-asset limit, over the budget together: refused as a whole.
        server.set(Reply::Paths(vec![
            (
                "/feed/plaza-tv".into(),
                feed_with(
                    18,
                    &[
                        ("/map.png", &map),
                        ("/photo.png", &photo),
                        ("/plan.png", &plan),
                    ],
                ),
            ),
            ("/map.png".into(), map.clone()),
            ("/photo.png".into(), photo.clone()),
            ("/plan.png".into(), plan.clone()),
        ]));
        match client.poll().await {
            Poll::Refused(why) => assert!(
                why.contains("sequence 18") && why.contains("asset budget of 1500 bytes"),
                "{why}"
            ),
            other => panic!("a feed over the asset budget must be refused: {other:?}"),
        }
        assert_eq!(client.accepted.sequence, Some(17));
        assert_eq!(cached_sequence(&config), Some(17));
        assert!(dir.path().join("assets").join(sha256_hex(&map)).exists());
        assert!(
            !dir.path().join("assets").join(sha256_hex(&plan)).exists(),
            "nothing is fetched past the budget"
        );

        // One asset over the per-asset limit: not even read whole.
        server.set(Reply::Paths(vec![
            (
                "/feed/plaza-tv".into(),
                feed_with(19, &[("/scan.png", &scan)]),
            ),
            ("/scan.png".into(), scan.clone()),
        ]));
        match client.poll().await {
            Poll::Failed(why) => assert!(why.contains("1000"), "{why}"),
            other => panic!("an asset over its limit must fail the poll: {other:?}"),
        }
        assert_eq!(client.accepted.sequence, Some(17));
        assert!(!dir.path().join("assets").join(sha256_hex(&scan)).exists());

        // A feed without the map: accepted, and the map, no longer listed, is removed.
        server.set(Reply::Paths(vec![
            (
                "/feed/plaza-tv".into(),
                feed_with(20, &[("/photo.png", &photo)]),
            ),
            ("/photo.png".into(), photo.clone()),
        ]));
        assert!(matches!(client.poll().await, Poll::Accepted(f) if f.sequence == 20));
        assert!(!dir.path().join("assets").join(sha256_hex(&map)).exists());
        assert!(dir.path().join("assets").join(sha256_hex(&photo)).exists());
    });
}

/// The example feed's bytes, for group plaza-tv, valid for years.
fn envelope_payload(sequence: u64) -> Vec<u8> {
    let envelope = noticecast::feed::Envelope::from_json(&envelope(sequence, &office())).unwrap();
    BASE64.decode(envelope.payload).unwrap()
}

/// Until systemd-timesyncd has synchronised the clock, nothing is expired by it: a box that
/// booted with a wrong clock keeps taking its feed. Once synchronised, expiry applies again.
#[test]
fn an_unsynchronised_clock_expires_nothing() {
    let key = office();
    let server = Server::start(Reply::Feed {
        body: envelope_for("plaza-tv", 5, "2026-01-02T00:00:00+08:00", &key),
        etag: "\"e5\"".into(),
    });
    let dir = tempfile::tempdir().unwrap();
    let config = config(&[server.url()], &[&key], &dir.path().join("cache"));
    let marker = dir.path().join("timesync/synchronized");
    std::fs::create_dir_all(marker.parent().unwrap()).unwrap();
    run(async {
        let mut unsynced = client(&config).with_timesync_marker(marker.clone());
        assert!(!unsynced.clock_synced());
        let poll = unsynced.poll().await;
        assert!(
            matches!(&poll, Poll::Accepted(f) if f.sequence == 5),
            "{poll:?}"
        );

        std::fs::write(&marker, "").unwrap();
        let mut synced = client(&config).with_timesync_marker(marker.clone());
        assert!(synced.clock_synced());
        let poll = synced.poll().await;
        assert!(
            matches!(&poll, Poll::Refused(r) if r.contains("expired")),
            "{poll:?}"
        );
    });
}

/// A disk that cannot take the feed (full, read-only, gone): the feed is still accepted and
/// shown from memory, and the reason is kept for the heartbeat.
#[test]
fn a_state_folder_that_cannot_be_written_degrades_to_memory_with_a_reason() {
    let key = office();
    let server = Server::start(Reply::Feed {
        body: envelope(3, &key),
        etag: "\"v3\"".into(),
    });
    let dir = tempfile::tempdir().unwrap();
    let cache_dir = dir.path().join("cache");
    let config = config(&[server.url()], &[&key], &cache_dir);
    let mut client = client(&config);
    // The folder disappears and a file takes its place: nothing can be written there now (as
    // a read-only or full disk would refuse; tests run as root, so permissions would not).
    std::fs::remove_dir_all(&cache_dir).unwrap();
    std::fs::write(&cache_dir, "not a folder").unwrap();
    run(async {
        let poll = client.poll().await;
        assert!(
            matches!(&poll, Poll::Accepted(f) if f.sequence == 3),
            "{poll:?}"
        );
    });
    let why = client.storage_error.clone().expect("the reason is kept");
    assert!(why.contains("cannot cache the feed"), "{why}");
}

/// Within seconds: where the service holds `?wait=SEQ` requests, the client asks it for a feed
/// newer than the one on screen, and a notice approved while the request waits answers it (with
/// the request held up to 30 s, a 200 can only come from the approval: unchanged is 304).
#[test]
fn the_client_long_polls_the_service_and_a_change_answers_the_waiting_request() {
    use noticecast::service::{Options, Service, system_clock};
    let key = SigningKey::from_bytes(&[3u8; 32]);
    let service = std::sync::Arc::new(
        Service::in_memory(
            key.clone(),
            Options {
                fonts: Some(common::path("fonts")),
                long_poll: Some(Duration::from_secs(30)),
                ..Options::default()
            },
            system_clock(),
        )
        .unwrap(),
    );
    let addr = common::service::serve_on_loopback(service.clone());
    let dir = tempfile::tempdir().unwrap();
    let config = config(
        &[format!("http://{addr}/feed/plaza-tv")],
        &[&key],
        dir.path(),
    );
    let mut client = client(&config);
    run(async {
        // The first poll is plain and learns that the service holds requests.
        let first = match client.poll().await {
            Poll::Accepted(feed) => feed.sequence,
            other => panic!("{other:?}"),
        };
        assert!(client.long_polling());
        let publisher = std::thread::spawn({
            let service = service.clone();
            move || {
                std::thread::sleep(Duration::from_millis(700));
                common::service::publish(&service, "明日停水通知")
            }
        });
        match client.poll().await {
            Poll::Accepted(feed) => {
                assert!(feed.sequence > first, "{} after {first}", feed.sequence);
                assert!(feed.notices.iter().any(|n| n.title == "明日停水通知"));
            }
            other => panic!("the waiting request was not answered by the change: {other:?}"),
        }
        publisher.join().unwrap();
    });
}
