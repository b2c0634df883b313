//! The signed envelope and the trust rules: committed test vectors, and every way a feed is
//! refused while the last good one stays.

mod common;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use ed25519_dalek::SigningKey;
use noticecast::feed::Signer;
use noticecast::feed::envelope::{pae, sign};
use noticecast::feed::{Accepted, Cache, Envelope, PAYLOAD_TYPE, Refusal, TrustedKey, accept};
use noticecast::model::Feed;

/// A fixed key: the vectors must be reproducible (Ed25519 signatures are deterministic).
fn office_key() -> SigningKey {
    SigningKey::from_bytes(&[7u8; 32])
}

fn trusted(key: &SigningKey) -> TrustedKey {
    TrustedKey::parse(&BASE64.encode(key.verifying_key().as_bytes())).unwrap()
}

/// The example feed of docs/examples (group plaza-tv, sequence 17) as bytes.
fn example_payload() -> Vec<u8> {
    std::fs::read(common::path("docs/examples/feed-with-playlist.json")).unwrap()
}

fn feed_bytes(group: &str, sequence: u64, expires: &str) -> Vec<u8> {
    let mut doc: serde_json::Value = serde_json::from_slice(&example_payload()).unwrap();
    doc["group"] = serde_json::json!(group);
    doc["playlist"]["group"] = serde_json::json!(group);
    doc["sequence"] = serde_json::json!(sequence);
    doc["expires_at"] = serde_json::json!(expires);
    doc.to_string().into_bytes()
}

#[test]
fn the_committed_vectors_match() {
    let key = office_key();
    let payload = example_payload();
    let envelope = sign(&payload, &key).unwrap();
    let vectors = serde_json::json!({
        "description": "noticecast feed envelope test vectors: DSSE v1 over Ed25519. The private key is the 32-byte seed below (RFC 8032); the payload is the feed document's exact bytes.",
        "private_key_seed_hex": "07".repeat(32),
        "public_key_base64": BASE64.encode(key.verifying_key().as_bytes()),
        "key_id": key.public_key().key_id(),
        "payload_type": PAYLOAD_TYPE,
        "payload_utf8": String::from_utf8(payload.clone()).unwrap(),
        "pae_base64": BASE64.encode(pae(PAYLOAD_TYPE, &payload)),
        "envelope": serde_json::to_value(&envelope).unwrap(),
    });
    let path = common::path("tests/vectors/dsse.json");
    let text = serde_json::to_string_pretty(&vectors).unwrap() + "\n";
    if std::env::var_os("NOTICECAST_BLESS").is_some() {
        std::fs::write(&path, &text).unwrap();
    }
    let committed: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(
        committed, vectors,
        "tests/vectors/dsse.json differs from what the code produces"
    );
    // And the committed envelope verifies on its own.
    let envelope = Envelope::from_json(committed["envelope"].to_string().as_bytes()).unwrap();
    let key = TrustedKey::parse(committed["public_key_base64"].as_str().unwrap()).unwrap();
    assert_eq!(key.id, committed["key_id"]);
    assert_eq!(envelope.verify(&[key]).unwrap(), payload);
}

const NOW: &str = "2026-11-27T10:00:00+08:00";

fn check(bytes: &[u8], keys: &[TrustedKey], last: &Accepted) -> Result<Feed, Refusal> {
    accept(
        bytes,
        "https://example/feed/plaza-tv",
        keys,
        "plaza-tv",
        last,
        common::t(NOW),
    )
}

fn signed(group: &str, sequence: u64, expires: &str, key: &SigningKey) -> Vec<u8> {
    sign(&feed_bytes(group, sequence, expires), key)
        .unwrap()
        .to_json()
        .into_bytes()
}

const LATER: &str = "2026-12-27T09:00:00+08:00";

#[test]
fn a_good_feed_is_accepted() {
    let key = office_key();
    let feed = check(
        &signed("plaza-tv", 18, LATER, &key),
        &[trusted(&key)],
        &Accepted {
            sequence: Some(17),
            generated_at: None,
        },
    )
    .unwrap();
    assert_eq!(feed.sequence, 18);
    assert!(
        feed.playlist.is_some(),
        "the playlist travels with the feed"
    );
}

#[test]
fn every_refusal_names_its_reason() {
    let key = office_key();
    let keys = [trusted(&key)];
    let last = Accepted {
        sequence: Some(17),
        generated_at: None,
    };
    let stranger = SigningKey::from_bytes(&[9u8; 32]);

    let refused = |bytes: &[u8]| check(bytes, &keys, &last).unwrap_err();
    assert!(matches!(
        refused(&signed("plaza-tv", 18, LATER, &stranger)),
        Refusal::Envelope(noticecast::feed::EnvelopeError::Untrusted(_))
    ));
    assert!(matches!(
        refused(&signed("village-terminal", 18, LATER, &key)),
        Refusal::WrongGroup { .. }
    ));
    assert!(matches!(
        refused(&signed("plaza-tv", 17, LATER, &key)),
        Refusal::Replayed { got: 17, last: 17 }
    ));
    assert!(matches!(
        refused(&signed("plaza-tv", 5, LATER, &key)),
        Refusal::Replayed { .. }
    ));
    assert!(matches!(
        refused(&signed("plaza-tv", 18, "2026-11-27T09:30:00+08:00", &key)),
        Refusal::Expired { .. }
    ));
    // A tampered payload: the signature no longer verifies.
    let mut envelope = Envelope::from_json(&signed("plaza-tv", 18, LATER, &key)).unwrap();
    envelope.payload = BASE64.encode(feed_bytes("plaza-tv", 99, LATER));
    assert!(matches!(
        refused(envelope.to_json().as_bytes()),
        Refusal::Envelope(noticecast::feed::EnvelopeError::BadSignature(_))
    ));
    // A truncated body and plain JSON that is no envelope.
    let good = signed("plaza-tv", 18, LATER, &key);
    assert!(matches!(
        refused(&good[..good.len() / 2]),
        Refusal::Envelope(_)
    ));
    assert!(matches!(refused(b"{\"hello\": 1}"), Refusal::Envelope(_)));
    // A correctly signed payload that is not a valid feed.
    let junk = sign(b"{\"format\": \"noticecast.feed/1\"}", &key)
        .unwrap()
        .to_json();
    assert!(matches!(refused(junk.as_bytes()), Refusal::Invalid(_)));
}

#[test]
fn a_key_rotation_accepts_either_key() {
    let (old, new) = (office_key(), SigningKey::from_bytes(&[8u8; 32]));
    let keys = [trusted(&old), trusted(&new)];
    let last = Accepted::default();
    assert!(check(&signed("plaza-tv", 1, LATER, &old), &keys, &last).is_ok());
    assert!(check(&signed("plaza-tv", 2, LATER, &new), &keys, &last).is_ok());
}

#[test]
fn a_clock_stuck_in_1970_uses_the_newest_accepted_feed_as_now() {
    let key = office_key();
    let last = Accepted {
        sequence: Some(1),
        generated_at: Some(common::t("2026-11-27T11:00:00+08:00")),
    };
    let booted_in_1970 = common::t("1970-01-01T00:00:10Z");
    assert_eq!(
        last.floor(booted_in_1970),
        common::t("2026-11-27T11:00:00+08:00")
    );
    // Expiry is judged against the floor, not against 1970: this one expired at 10:30.
    let expired = signed("plaza-tv", 2, "2026-11-27T10:30:00+08:00", &key);
    let result = accept(
        &expired,
        "x",
        &[trusted(&key)],
        "plaza-tv",
        &last,
        booted_in_1970,
    );
    assert!(matches!(result, Err(Refusal::Expired { .. })));
}

#[test]
fn the_cache_falls_back_to_the_previous_generation() {
    let dir = tempfile::tempdir().unwrap();
    let cache = Cache::open(dir.path()).unwrap();
    let key = office_key();
    let keys = [trusted(&key)];
    let verify = |bytes: &[u8], source: &str| {
        accept(
            bytes,
            source,
            &keys,
            "plaza-tv",
            &Accepted::default(),
            common::t(NOW),
        )
    };
    assert!(cache.load(verify).is_none(), "an empty cache");
    cache.store(&signed("plaza-tv", 1, LATER, &key)).unwrap();
    cache.store(&signed("plaza-tv", 2, LATER, &key)).unwrap();
    assert_eq!(cache.load(verify).unwrap().sequence, 2);
    // The current file is damaged (a bad disk, a hand edit): the previous one is used.
    std::fs::write(dir.path().join("feed.envelope.json"), b"{\"payloadType\": ").unwrap();
    assert_eq!(cache.load(verify).unwrap().sequence, 1);
}

/// Kills a process that stores feeds in a loop at random moments, at least 200 times, and checks
/// that every restart finds a valid cache. (A kill, not a power cut: the fsync order is what
/// covers the power cut, and that cannot be pulled here.)
#[test]
fn a_cache_killed_mid_write_is_always_valid() {
    let dir = tempfile::tempdir().unwrap();
    let key = office_key();
    let a = dir.path().join("a.json");
    let b = dir.path().join("b.json");
    std::fs::write(&a, signed("plaza-tv", 1, LATER, &key)).unwrap();
    std::fs::write(&b, signed("plaza-tv", 2, LATER, &key)).unwrap();
    let cache_dir = dir.path().join("cache");
    let keys = [trusted(&key)];
    let mut seed = 0x9E3779B97F4A7C15u64;
    let mut loaded = 0;
    for round in 0..200 {
        let mut writer = std::process::Command::new(env!("CARGO_BIN_EXE_noticecast"))
            .args(["cache-writer", "--dir"])
            .arg(&cache_dir)
            .arg(&a)
            .arg(&b)
            .spawn()
            .unwrap();
        // xorshift: a spread of kill moments from 0 to ~30 ms without a rand dependency.
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        std::thread::sleep(std::time::Duration::from_micros(seed % 30_000));
        writer.kill().unwrap();
        writer.wait().unwrap();
        let cache = Cache::open(&cache_dir).unwrap();
        let found = cache.load(|bytes: &[u8], source: &str| {
            accept(
                bytes,
                source,
                &keys,
                "plaza-tv",
                &Accepted::default(),
                common::t(NOW),
            )
        });
        // Before the very first store completes there may be nothing yet; after it, always.
        if found.is_some() {
            loaded += 1;
        } else {
            assert!(
                !cache_dir.join("feed.envelope.prev.json").exists() && loaded == 0,
                "round {round}: the cache was lost"
            );
        }
    }
    assert!(loaded > 190, "only {loaded} of 200 restarts found a cache");
}

#[test]
fn the_example_player_config_is_valid_and_mistakes_are_named() {
    use noticecast::feed::PlayerConfig;
    let path = common::path("deploy/player.example.toml");
    let config = PlayerConfig::from_file(&path).expect("the example config is valid");
    assert_eq!(config.group, "plaza-tv");
    assert_eq!(config.feed_urls.len(), 2);
    assert_eq!(config.trusted_keys[0].id.len(), 16);
    let text = std::fs::read_to_string(&path).unwrap();
    let problems = PlayerConfig::from_toml(
        &text.replace("poll_interval_s = 60", "poll_interval_s = 1"),
        "player.toml",
    )
    .unwrap_err();
    assert_eq!(problems.list()[0].path, "poll_interval_s");
    let problems = PlayerConfig::from_toml(
        &text.replace("trusted_keys = [\"", "trusted_keys = [\"x"),
        "player.toml",
    )
    .unwrap_err();
    assert_eq!(problems.list()[0].path, "trusted_keys[0]");
    let problems =
        PlayerConfig::from_toml(&format!("{text}\nscreen_name = \"x\"\n"), "player.toml")
            .unwrap_err();
    assert!(
        problems.list()[0]
            .reason
            .contains("unknown field `screen_name`"),
        "{problems}"
    );
}

/// Issue 25: one feed signed with a stolen key and sequence 2^64−1 (or a time in the far
/// future) was accepted, and no later feed could ever pass it: the screen was locked out.
#[test]
fn a_sequence_or_time_implausibly_far_ahead_is_refused() {
    let key = office_key();
    let keys = [trusted(&key)];
    let last = Accepted {
        sequence: Some(17),
        generated_at: Some(common::t("2026-11-27T09:00:00+08:00")),
    };
    let refused = |bytes: &[u8]| check(bytes, &keys, &last).unwrap_err();
    assert!(matches!(
        refused(&signed("plaza-tv", u64::MAX, LATER, &key)),
        Refusal::Implausible(_)
    ));
    let mut doc: serde_json::Value =
        serde_json::from_slice(&feed_bytes("plaza-tv", 18, "9999-12-30T00:00:00+08:00")).unwrap();
    doc["generated_at"] = serde_json::json!("9999-12-01T00:00:00+08:00");
    let far = sign(doc.to_string().as_bytes(), &key).unwrap().to_json();
    let why = refused(far.as_bytes());
    assert!(matches!(why, Refusal::Implausible(_)), "{why}");
    assert!(
        why.to_string()
            .contains("later than this screen can believe"),
        "{why}"
    );
    // A sequence of the service's kind (the signing time in ms) passes.
    let ms = common::t("2026-11-27T09:30:00+08:00").timestamp_millis() as u64;
    assert!(check(&signed("plaza-tv", ms, LATER, &key), &keys, &last).is_ok());
}

/// Issue 25: screens never retired keys, so a stolen old key went on signing feeds they accept
/// after the rotation it was rotated out in.
#[test]
fn a_key_retired_by_a_finished_rotation_is_no_longer_trusted() {
    let (old, new) = (office_key(), SigningKey::from_bytes(&[8u8; 32]));
    let configured = [trusted(&old)];
    let doc = |announce: &[&SigningKey]| -> Feed {
        let mut doc: serde_json::Value =
            serde_json::from_slice(&feed_bytes("plaza-tv", 18, LATER)).unwrap();
        doc["signing_keys"] = serde_json::json!(
            announce
                .iter()
                .map(|k| BASE64.encode(k.verifying_key().as_bytes()))
                .collect::<Vec<_>>()
        );
        Feed::from_json(&doc.to_string(), "feed").unwrap()
    };
    // No rotation yet: the configured key stands.
    let state = noticecast::feed::KeyState::default();
    let state = state.after(&doc(&[]), &[trusted(&old)], &configured);
    assert!(state.retired.is_empty());
    // The rotation: both keys announced, the new one first, both trusted.
    let state = state.after(
        &doc(&[&new, &old]),
        &[trusted(&old), trusted(&new)],
        &configured,
    );
    assert_eq!(state.trusted(&configured).len(), 2);
    // A feed signed by the old key alone, announcing nothing (a stolen old key): it does not
    // end the rotation, nothing is retired.
    let stays = state.after(&doc(&[]), &[trusted(&old)], &configured);
    assert_eq!(stays, state);
    // It ends: only the new key signs, nothing is announced; the old key is retired, though
    // player.toml still lists it.
    let state = state.after(&doc(&[]), &[trusted(&new)], &configured);
    assert_eq!(state.retired, vec![trusted(&old).id]);
    let now_trusted = state.trusted(&configured);
    assert_eq!(now_trusted, vec![trusted(&new)]);
    let stolen = signed("plaza-tv", 19, LATER, &old);
    assert!(matches!(
        check(&stolen, &now_trusted, &Accepted::default()),
        Err(Refusal::Envelope(_))
    ));
    // And a later announcement cannot bring it back.
    let state = state.after(&doc(&[&new, &old]), &[trusted(&new)], &configured);
    assert_eq!(state.trusted(&configured), vec![trusted(&new)]);
    // The screen remembers across restarts.
    let dir = tempfile::tempdir().unwrap();
    let cache = Cache::open(dir.path()).unwrap();
    cache.store_key_state(&state).unwrap();
    assert_eq!(cache.key_state(), state);
}
