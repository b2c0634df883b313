//! Regression tests for what a hostile review of `noticecast serve` found (issue 17): each test
//! is named after the finding it keeps fixed.

mod common;

use axum::http::{Method, StatusCode};
use common::service::{Harness, run};
use noticecast::service::domain::accounts::Role;
use serde_json::json;

const T0: &str = "2026-11-27T09:00:00+08:00";

fn office() -> Harness {
    let h = Harness::new(T0);
    h.add_user("admin", Role::Sysadmin);
    h.add_user("王芳", Role::Editor);
    h.add_user("李审核", Role::Reviewer);
    h.add_user("审计员", Role::Auditor);
    h
}

async fn enrol(h: &Harness, screen: &str, group: &str) -> String {
    let admin = h.login("admin").await;
    let r = h
        .post(
            "/api/screens",
            &admin,
            json!({"id": screen, "group": group}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    r.json()["token"].as_str().unwrap().to_string()
}

/// High 1: two uploads with `dropped` = 2^63 - 1 overflowed the stored counter into a REAL and
/// every screens page answered 500 from then on, even after a restart.
#[test]
fn high_1_a_screen_cannot_overflow_its_counters_and_break_the_console() {
    let h = office();
    run(async {
        let token = enrol(&h, "plaza-01", "plaza-tv").await;
        let huge = json!({"records": [], "dropped": i64::MAX});
        let r = h.upload_plays("plaza-01", &token, huge).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
        assert!(r.text().contains("dropped"), "{}", r.text());
        let r = h
            .upload_plays("plaza-01", &token, json!({"records": [], "dropped": -1}))
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);

        // Near the ceiling, counts saturate instead of overflowing.
        h.service
            .db()
            .execute(
                "UPDATE screens SET dropped = ?1 WHERE id = 'plaza-01'",
                [noticecast::service::domain::screens::MAX_COUNT - 5],
            )
            .unwrap();
        let most =
            json!({"records": [], "dropped": noticecast::service::domain::plays::MAX_DROPPED});
        for _ in 0..2 {
            let r = h.upload_plays("plaza-01", &token, most.clone()).await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        }
        // SQLite's storage class of the value; PostgreSQL's column takes integers alone.
        let type_of = match h.service.db().dialect() {
            noticecast::service::domain::storage::Dialect::Sqlite => "typeof(dropped)",
            noticecast::service::domain::storage::Dialect::Postgres => {
                "CASE WHEN pg_typeof(dropped) = 'bigint'::regtype THEN 'integer' END"
            }
        };
        let (kind, value): (String, i64) = h
            .service
            .db()
            .query_row(
                &format!("SELECT {type_of}, dropped FROM screens WHERE id = 'plaza-01'"),
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!(
            (kind.as_str(), value),
            ("integer", noticecast::service::domain::screens::MAX_COUNT)
        );

        // A heartbeat's numbers are checked too.
        let beat = json!({"screen_id": "plaza-01", "sequence": -3, "uptime_s": 120});
        let r = h
            .request(
                Method::POST,
                "/api/screens/plaza-01/heartbeat",
                None,
                Some(&token),
                Some(beat),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);

        let staff = h.login("王芳").await;
        assert_eq!(h.get("/api/screens", &staff).await.status, StatusCode::OK);
    });
}

/// Medium 4: 40 concurrent wrong logins for one name raced the limiter and got 30-40 password
/// checks instead of 5: the attempt is counted before the check.
#[test]
fn medium_4_concurrent_logins_for_one_name_get_five_password_checks() {
    let h = office();
    let statuses = h.all_at_once(
        (0..40)
            .map(|_| common::service::wrong_login("王芳"))
            .collect(),
    );
    let checked = common::service::count(&statuses, StatusCode::UNAUTHORIZED);
    let limited = common::service::count(&statuses, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!((checked, limited), (5, 35), "{statuses:?}");
}

/// Medium 8: a 1 MiB login name was stored whole in the audit log and the limiter.
#[test]
fn medium_8_login_names_are_capped_before_anything_else() {
    let h = office();
    run(async {
        let long = "名".repeat(10_000);
        let r = h.send(common::service::wrong_login(&long)).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        let entries = noticecast::service::domain::audit::list(&h.service.db(), None, 10).unwrap();
        let failed = entries.iter().find(|e| e.action == "login.failed").unwrap();
        assert_eq!(
            failed.actor.chars().count(),
            noticecast::service::domain::accounts::MAX_LOGIN_NAME
        );
        // The right password still works for a real user.
        h.login("王芳").await;
    });
}

/// High 3: 25 long approved notices made a group's feed 8.9 MB, over the screens' 8 MiB limit,
/// and every screen of the group froze on old content. A change that would grow a feed past the
/// budget is refused with 422 naming the group and the sizes.
#[test]
fn high_3_an_approval_that_would_grow_a_feed_past_its_budget_is_refused() {
    let size = |h: &Harness| h.service.feed("plaza-tv").unwrap().body.len();
    let baseline = size(&office());
    let h = Harness::with_options(
        T0,
        noticecast::service::Options {
            feed_budget: Some(baseline + 30_000),
            ..Default::default()
        },
    );
    h.add_user("admin", Role::Sysadmin);
    h.add_user("王芳", Role::Editor);
    h.add_user("李审核", Role::Reviewer);
    run(async {
        let editor = h.login("王芳").await;
        let reviewer = h.login("李审核").await;
        let write = |title: &'static str| {
            let (h, editor) = (&h, editor.clone());
            async move {
                let mut n = common::service::notice(title, &["plaza-tv"], T0, None);
                n["body"] = json!("为方便群众办事，自即日起延长办公时间。".repeat(300));
                let r = h.post("/api/notices", &editor, n).await;
                assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
                let id = r.json()["id"].as_str().unwrap().to_string();
                h.post(&format!("/api/notices/{id}/submit"), &editor, json!({}))
                    .await;
                id
            }
        };
        let approve = |id: String| {
            let (h, reviewer) = (&h, reviewer.clone());
            async move {
                h.post(
                    &format!("/api/notices/{id}/approve"),
                    &reviewer,
                    json!({"revision": 1, "confidentiality_confirmed": true}),
                )
                .await
            }
        };
        let first = write("延长办公时间的通知（一）").await;
        let second = write("延长办公时间的通知（二）").await;
        assert_eq!(approve(first.clone()).await.status, StatusCode::OK);
        let sequence = h.feed("plaza-tv").await.2.sequence;
        let r = approve(second.clone()).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
        let why = r.text();
        assert!(
            why.contains("plaza-tv") && why.contains("budget") && why.contains("bytes"),
            "{why}"
        );
        assert_eq!(
            h.feed("plaza-tv").await.2.sequence,
            sequence,
            "nothing signed"
        );
        let state = h
            .get(&format!("/api/notices/{second}"), &editor)
            .await
            .json();
        assert_eq!(state["state"], "submitted", "{state}");
        // Withdrawing the first makes room; then the second goes through.
        let r = h
            .post(
                &format!("/api/notices/{first}/withdraw"),
                &editor,
                json!({"reason": "已过期"}),
            )
            .await;
        assert!(r.status.is_success(), "{}", r.text());
        assert_eq!(approve(second).await.status, StatusCode::OK);
    });
}

fn clock_at(t: &str) -> noticecast::service::Clock {
    let t = common::t(t);
    std::sync::Arc::new(move || t)
}

fn open_at(
    data: &std::path::Path,
    t: &str,
) -> Result<noticecast::service::Service, noticecast::service::OpenError> {
    noticecast::service::Service::open(
        data,
        noticecast::service::Options {
            fonts: Some(common::path("fonts")),
            ..Default::default()
        },
        clock_at(t),
    )
}

/// Medium 9: a removed `signing.key` was silently regenerated, orphaning every screen (they
/// trust the old key). With an existing database the service now refuses to start and says why;
/// a key others can read is refused too.
#[test]
fn medium_9_a_lost_signing_key_stops_the_service_instead_of_orphaning_every_screen() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    drop(open_at(&data, T0).unwrap());
    let key = data.join("signing.key");
    let saved = std::fs::read(&key).unwrap();
    std::fs::remove_file(&key).unwrap();
    let Err(e) = open_at(&data, T0) else {
        panic!("started without its key")
    };
    let e = e.to_string();
    assert!(
        e.contains("signing.key is missing") && e.contains("noticecast.db"),
        "{e}"
    );
    assert!(!key.exists(), "no new key was made");

    std::fs::write(&key, &saved).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).unwrap();
    let Err(e) = open_at(&data, T0) else {
        panic!("started with a key others can read")
    };
    assert!(e.to_string().contains("readable by others"), "{e}");
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600)).unwrap();
    open_at(&data, T0).unwrap();
}

/// Medium 9 (rotation): `noticecast key rotate` makes a new key; the old one signs beside it
/// for the overlap and the feeds announce both, so a screen configured with only the old key
/// learns the new one and keeps accepting feeds after the old key stops signing, also after a
/// restart (the learned keys are kept in its cache folder).
#[test]
fn medium_9_a_key_rotation_keeps_every_screen() {
    use noticecast::feed::envelope::{Envelope, TrustedKey};
    use noticecast::feed::{Accepted, Cache, Refusal, accept, trust};
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let service = open_at(&data, T0).unwrap();
    let old = TrustedKey::parse(&service.public_keys().keys[0].public_key).unwrap();
    drop(service);
    let configured = vec![old.clone()];
    let screen = Cache::open(&dir.path().join("screen")).unwrap();

    let rotated_at = common::t("2026-11-28T09:00:00+08:00");
    let (new, until) = noticecast::service::domain::keys::rotate(
        &data,
        None,
        rotated_at,
        chrono::Duration::days(30),
    )
    .unwrap();
    let new = TrustedKey::new(noticecast::feed::Signer::public_key(&new));
    assert_ne!(new.id, old.id);

    // One running service across the end of the overlap.
    let clock = std::sync::Arc::new(std::sync::Mutex::new(common::t(
        "2026-11-29T09:00:00+08:00",
    )));
    let c = clock.clone();
    let service = noticecast::service::Service::open(
        &data,
        noticecast::service::Options {
            fonts: Some(common::path("fonts")),
            ..Default::default()
        },
        std::sync::Arc::new(move || *c.lock().unwrap()),
    )
    .unwrap();
    let keys = service.public_keys();
    assert_eq!(
        keys.keys.len(),
        2,
        "both keys are published during the overlap"
    );
    assert_eq!(keys.keys[0].key_id, new.id, "the new key first");
    assert!(keys.keys[1].retires_at.is_some());

    let now = *clock.lock().unwrap();
    let during = service.feed("plaza-tv").unwrap();
    let envelope = Envelope::from_json(&during.body).unwrap();
    assert_eq!(envelope.signatures.len(), 2, "signed by both keys");
    // The screen that trusts only the old key accepts it, and learns the new key from it.
    let feed = accept(
        &during.body,
        "feed",
        &configured,
        "plaza-tv",
        &Accepted::default(),
        now,
    )
    .expect("a screen with the old key accepts the feed during the overlap");
    let learned = trust::announced(&feed);
    assert!(learned.iter().any(|k| k.id == new.id), "{learned:?}");
    screen.store_learned_keys(&learned).unwrap();
    let seen = Accepted::of(&feed);

    // The overlap ends: the feed is signed again, by the new key alone, without a restart.
    *clock.lock().unwrap() = until + chrono::Duration::minutes(1);
    let now = *clock.lock().unwrap();
    let after = service.feed("plaza-tv").unwrap();
    assert!(after.sequence > during.sequence);
    let envelope = Envelope::from_json(&after.body).unwrap();
    assert_eq!(envelope.signatures.len(), 1);
    assert_eq!(envelope.signatures[0].keyid, new.id);
    assert_eq!(service.public_keys().keys.len(), 1);
    // Without what it learned the screen would be orphaned; with it (read back from its cache
    // folder, as after a restart) it accepts.
    assert!(matches!(
        accept(&after.body, "feed", &configured, "plaza-tv", &seen, now),
        Err(Refusal::Envelope(_))
    ));
    let trusted = trust::keys_to_trust(&configured, &screen.learned_keys());
    accept(&after.body, "feed", &trusted, "plaza-tv", &seen, now)
        .expect("the screen follows the rotation");
    drop(service);

    // The command: it prints the new public key; a second rotation inside the period is
    // refused and says until when.
    let data = dir.path().join("other");
    drop(open_at(&data, T0).unwrap());
    let rotate = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_noticecast"))
            .args(["key", "rotate", "--data"])
            .arg(&data)
            .output()
            .unwrap()
    };
    let out = rotate();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let printed = String::from_utf8_lossy(&out.stdout);
    TrustedKey::parse(printed.trim()).expect("the new public key");
    assert!(data.join("signing.previous.key").exists());
    let out = rotate();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("still signs until"), "{stderr}");
}

/// Medium 10: a restored database restarted sequences where the backup had them, and screens
/// refused every feed until the sequence passed the one they had. Sequences never go back now.
#[test]
fn medium_10_feeds_after_restoring_an_old_database_pass_what_screens_have_seen() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let db = data.join("noticecast.db");
    let service = open_at(&data, T0).unwrap();
    let backed_up = service.feed("plaza-tv").unwrap().sequence;
    drop(service);
    let backup = dir.path().join("backup.db");
    std::fs::copy(&db, &backup).unwrap();

    // A day of changes the backup does not have: the screens see a later sequence.
    let service = open_at(&data, "2026-11-28T09:00:00+08:00").unwrap();
    let seen = service.feed("plaza-tv").unwrap().sequence;
    assert!(seen > backed_up);
    drop(service);

    // The database is lost and the backup restored (its WAL files with it).
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
    }
    std::fs::copy(&backup, &db).unwrap();
    let service = open_at(&data, "2026-11-28T10:00:00+08:00").unwrap();
    let after = service.feed("plaza-tv").unwrap().sequence;
    assert!(
        after > seen,
        "after the restore the feed is {after}, the screens have {seen}"
    );
}

/// Medium 6: a screen could inflate the yearly report without limit (2,000 records of 86,400 s
/// at one instant, records dated 2099 or 1970, notices never in its feed, `opened` from a TV).
/// Only plausible records count; the others are kept apart with the reason and counted per
/// screen.
#[test]
fn medium_6_only_plausible_play_records_count() {
    let h = office();
    run(async {
        let plaza = enrol(&h, "plaza-01", "plaza-tv").await;
        let editor = h.login("王芳").await;
        let reviewer = h.login("李审核").await;
        let publish = |title: &'static str, groups: &'static [&'static str]| {
            let notice = common::service::notice(title, groups, T0, None);
            h.publish(&editor, &reviewer, notice)
        };
        let ours = publish("广场停电通知", &["plaza-tv"]).await;
        let elsewhere = publish("村里开会通知", &["village-terminal"]).await;
        h.advance(chrono::Duration::hours(3));
        // A sequence the group's feed really had.
        let sequence = h.feed("plaza-tv").await.2.sequence;
        let rec = |id: &str, notice: &str, start: &str, duration: f64| {
            json!({"id": id, "notice_id": notice, "page": 1, "start": start,
                   "duration_s": duration, "sequence": sequence})
        };
        let mut records = vec![
            rec("ok-1", &ours, "2026-11-27T10:00:00+08:00", 30.0),
            rec("ok-2", &ours, "2026-11-27T10:00:30+08:00", 30.0),
            // The same half minute again: a screen shows one page at a time.
            rec("overlap", &ours, "2026-11-27T10:00:10+08:00", 30.0),
            rec("future", &ours, "2099-01-01T10:00:00+08:00", 30.0),
            rec("epoch", &ours, "1970-01-01T08:00:00+08:00", 30.0),
            rec("elsewhere", &elsewhere, "2026-11-27T10:05:00+08:00", 30.0),
            rec("unknown", "2026-9999", "2026-11-27T10:06:00+08:00", 30.0),
            // A day's worth at once, ending after now.
            rec("long", &ours, "2026-11-27T11:00:00+08:00", 86_400.0),
        ];
        let mut opened = rec("opened", &ours, "2026-11-27T00:00:00+08:00", 0.0);
        opened["opened"] = json!(true);
        records.push(opened);
        let r = h
            .upload_plays(
                "plaza-01",
                &plaza,
                json!({"records": records, "dropped": 0}),
            )
            .await;
        assert_eq!(
            r.json(),
            json!({"accepted": 2, "duplicates": 0, "refused": 7}),
            "{}",
            r.text()
        );
        let reasons: Vec<(String, String)> = {
            let conn = h.service.db();
            let mut stmt = conn
                .prepare("SELECT record_id, reason FROM plays_refused ORDER BY record_id")
                .unwrap();
            stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap()
        };
        let reason = |id: &str| {
            reasons
                .iter()
                .find(|(r, _)| r == id)
                .map(|(_, why)| why.clone())
                .unwrap_or_default()
        };
        assert!(reason("overlap").contains("overlaps"), "{reasons:?}");
        assert!(reason("future").contains("future"));
        assert!(reason("long").contains("future"));
        assert!(reason("epoch").contains("before the screen was enrolled"));
        assert!(reason("elsewhere").contains("not in the group's feed"));
        assert!(reason("unknown").contains("not in the group's feed"));
        assert!(reason("opened").contains("without touch"));
        // Counted per screen and shown.
        let staff = h.login("王芳").await;
        let screens = h.get("/api/screens", &staff).await.json();
        assert_eq!(screens[0]["refused"], 7, "{screens}");
        let report = h
            .get("/api/reports/disclosure?year=2026", &staff)
            .await
            .json();
        let plays: i64 = report["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["plays"].as_i64().unwrap())
            .sum();
        assert_eq!(plays, 2);
    });
}

/// Medium 7: plays uploads were unbounded (30,000 rows a second, the database 111 MB in 20 s).
/// Uploads are limited per screen and minute, records per upload, and refused records kept.
#[test]
fn medium_7_plays_uploads_are_limited_per_screen() {
    let h = office();
    run(async {
        let plaza = enrol(&h, "plaza-01", "plaza-tv").await;
        let hall = enrol(&h, "hall-01", "service-hall-led").await;
        let empty = json!({"records": [], "dropped": 0});
        let limit = noticecast::service::domain::plays::UPLOADS_PER_MINUTE;
        for i in 0..limit {
            let r = h.upload_plays("plaza-01", &plaza, empty.clone()).await;
            assert_eq!(r.status, StatusCode::OK, "upload {i}: {}", r.text());
        }
        let r = h.upload_plays("plaza-01", &plaza, empty.clone()).await;
        assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
        assert!(r.headers.contains_key("retry-after"));
        // Another screen is not held up by this one.
        let r = h.upload_plays("hall-01", &hall, empty.clone()).await;
        assert_eq!(r.status, StatusCode::OK);

        // More records than an upload may carry: refused whole, nothing stored.
        let too_many: Vec<_> = (0..=noticecast::service::domain::plays::MAX_RECORDS)
            .map(|i| {
                json!({"id": format!("r{i}"), "notice_id": "x", "page": 1,
                       "start": "2026-11-27T08:00:00+08:00", "duration_s": 0.0, "sequence": 1})
            })
            .collect();
        let r = h
            .upload_plays("hall-01", &hall, json!({"records": too_many, "dropped": 0}))
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let stored: i64 = h
            .service
            .db()
            .query_row("SELECT COUNT(*) FROM plays_refused", [], |r| r.get(0))
            .unwrap();
        assert_eq!(stored, 0);
    });
}

/// Low: invisible characters, URLs with userinfo or too long for a QR code, unsafe user names,
/// guessable passwords, a playlist too large to draw or with control characters in its name, and
/// unapproved text cached by a proxy.
#[test]
fn low_inputs_an_audit_checks_are_refused() {
    let h = office();
    run(async {
        let editor = h.login("王芳").await;
        let admin = h.login("admin").await;
        let post_notice = |n: serde_json::Value| {
            let (h, editor) = (&h, editor.clone());
            async move { h.post("/api/notices", &editor, n).await }
        };
        // Bidi and zero-width controls in a title, like control characters.
        for sneaky in ["关于\u{202E}知通\u{202C}的公告", "停水\u{200B}通知"] {
            let r = post_notice(common::service::notice(sneaky, &["plaza-tv"], T0, None)).await;
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{sneaky:?}");
            assert!(r.text().contains("control character"), "{}", r.text());
        }
        // URLs: userinfo, and too long for a scannable QR code.
        for url in [
            "https://www.gov.cn@evil.example/notice".to_string(),
            format!("https://www.example.gov.cn/{}", "a".repeat(700)),
        ] {
            let mut n = common::service::notice("停水通知", &["plaza-tv"], T0, None);
            n["url"] = json!(url);
            let r = post_notice(n).await;
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{url}");
            assert!(r.text().contains("url"), "{}", r.text());
        }
        // Everything about a notice is answered with no-store: a draft is unapproved text.
        let r = post_notice(common::service::notice("停水通知", &["plaza-tv"], T0, None)).await;
        assert_eq!(r.status, StatusCode::CREATED);
        let id = r.json()["id"].as_str().unwrap().to_string();
        let r = h.get(&format!("/api/notices/{id}"), &editor).await;
        assert_eq!(r.headers["cache-control"], "no-store");
        // The signed feed keeps its own caching rules.
        let r = h
            .request(Method::GET, "/feed/plaza-tv", None, None, None)
            .await;
        assert_eq!(r.headers["cache-control"], "no-cache");

        // User names are safe path segments; passwords are not guessable (an account's owner
        // chooses it, replacing the one-time code).
        let r = h
            .post(
                "/api/users",
                &admin,
                json!({"name": "../screens/s-led/token"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
        let r = h
            .post("/api/users", &admin, json!({"name": "zhangsan"}))
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        let code = r.json()["one_time_code"].as_str().unwrap().to_string();
        let zhangsan = h.login_with("zhangsan", &code).await;
        for password in ["          ", "aaaaaaaaaaaa", "zhangsan2026!"] {
            let r = h
                .put(
                    "/api/me/password",
                    &zhangsan,
                    json!({"current": code, "new": password}),
                )
                .await;
            assert_eq!(
                r.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{password:?}: {}",
                r.text()
            );
        }
        let r = h
            .put(
                "/api/me/password",
                &zhangsan,
                json!({"current": code, "new": "春眠不觉晓处处闻啼鸟"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text());

        // Playlists: a screen too large to draw, a name with a control character.
        let playlist = h.get("/api/groups/plaza-tv/playlist", &admin).await.text();
        for bad in [
            playlist
                .replace("width = 1920", "width = 16384")
                .replace("height = 1080", "height = 16384"),
            playlist.replace(
                "name = \"云岭区政务公开\"",
                "name = \"云岭区\\u0007政务公开\"",
            ),
        ] {
            assert_ne!(bad, playlist);
            let r = h
                .send(
                    axum::http::Request::put("/api/groups/plaza-tv/playlist")
                        .header("cookie", &admin.cookie)
                        .header("x-csrf-token", &admin.csrf)
                        .header("content-type", "application/toml")
                        .body(axum::body::Body::from(bad))
                        .unwrap(),
                )
                .await;
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
        }
    });
}

/// Low: the login form checks `Origin` (a login posted from another site would log the victim
/// in as the attacker).
#[test]
fn low_a_login_posted_from_another_site_is_refused() {
    let h = office();
    run(async {
        let login = |origin: Option<&'static str>| {
            let mut r = axum::http::Request::post("/console/login")
                .header("host", "notices.example.gov.cn")
                .header("content-type", "application/x-www-form-urlencoded");
            if let Some(o) = origin {
                r = r.header("origin", o);
            }
            let body = format!(
                "name=%E7%8E%8B%E8%8A%B3&password={}",
                common::service::PASSWORD.replace(' ', "+")
            );
            r.body(axum::body::Body::from(body)).unwrap()
        };
        let r = h.send(login(Some("https://evil.example"))).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        assert!(r.headers.get("set-cookie").is_none());
        let r = h.send(login(Some("https://notices.example.gov.cn"))).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
        let r = h.send(login(None)).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
    });
}

/// Low: there was no way to disable a user who left; now an admin disables the account (its
/// sessions end at once, it cannot log in) and can enable it again, and nobody disables
/// themselves.
#[test]
fn low_an_admin_disables_a_user_who_left() {
    let h = office();
    run(async {
        let admin = h.login("admin").await;
        let editor = h.login("王芳").await;
        let r = h
            .put("/api/users/王芳", &admin, json!({"disabled": true}))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        // The open session ends, and the right password no longer logs in.
        assert_eq!(
            h.get("/api/notices", &editor).await.status,
            StatusCode::UNAUTHORIZED
        );
        let r = h
            .request(
                Method::POST,
                "/api/login",
                None,
                None,
                Some(json!({"name": "王芳", "password": common::service::PASSWORD})),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        // Nobody disables their own account (三员分立: an administrator's account is kept by
        // another administrator).
        let r = h
            .put("/api/users/admin", &admin, json!({"disabled": true}))
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let r = h
            .put("/api/users/王芳", &admin, json!({"disabled": false}))
            .await;
        assert_eq!(r.status, StatusCode::OK);
        h.login("王芳").await;
        let log = noticecast::service::domain::audit::list(&h.service.db(), None, 20).unwrap();
        assert!(log.iter().any(|e| e.detail == "disabled"));
        assert!(log.iter().any(|e| e.detail == "enabled"));
    });
}

/// Low: screenshot uploads were taken whenever a screen sent one and were not decoded. Now only
/// when staff asked, and only a whole PNG no larger than a screen.
#[test]
fn low_screenshots_only_when_asked_and_only_whole_pngs() {
    let h = office();
    run(async {
        let token = enrol(&h, "plaza-01", "plaza-tv").await;
        let upload = |bytes: Vec<u8>| {
            let (h, token) = (&h, token.clone());
            async move {
                h.send(
                    axum::http::Request::post("/api/screens/plaza-01/screenshot")
                        .header("authorization", format!("Bearer {token}"))
                        .header("content-type", "image/png")
                        .body(axum::body::Body::from(bytes))
                        .unwrap(),
                )
                .await
            }
        };
        let mut png = Vec::new();
        {
            let mut encoder = png::Encoder::new(&mut png, 64, 36);
            encoder.set_color(png::ColorType::Rgba);
            encoder.set_depth(png::BitDepth::Eight);
            let mut writer = encoder.write_header().unwrap();
            writer.write_image_data(&vec![200; 64 * 36 * 4]).unwrap();
        }
        assert_eq!(upload(png.clone()).await.status, StatusCode::CONFLICT);
        let staff = h.login("王芳").await;
        let r = h
            .post(
                "/api/screens/plaza-01/screenshot/request",
                &staff,
                json!({}),
            )
            .await;
        assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.text());
        // A PNG signature and nothing behind it; a truncated image.
        let r = upload(b"\x89PNG\r\n\x1a\nnot really".to_vec()).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let r = upload(png[..png.len() - 20].to_vec()).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
        let r = upload(png).await;
        assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text());
    });
}

/// Medium 5: one admin alone could put text on every screen of a group through its playlist
/// (the header's name, the ticker's text, the terminals' QR address). Such an edit now waits
/// for someone else; the rest of a playlist still changes at once.
#[test]
fn medium_5_playlist_text_residents_read_needs_a_second_person() {
    let h = office();
    run(async {
        let admin = h.login("admin").await;
        let before = h
            .get("/api/groups/village-terminal/playlist", &admin)
            .await
            .text();
        let sequence = h.feed("village-terminal").await.2.sequence;
        let put = |text: String| {
            axum::http::Request::put("/api/groups/village-terminal/playlist")
                .header("cookie", &admin.cookie)
                .header("x-csrf-token", &admin.csrf)
                .header("content-type", "application/toml")
                .body(axum::body::Body::from(text))
                .unwrap()
        };
        let p: noticecast::model::Playlist =
            noticecast::model::Playlist::from_toml(&before, "before").unwrap();
        let url = p.touch.as_ref().and_then(|t| t.public_url.clone()).unwrap();
        let evil = before.replace(&url, "https://evil.example/n");
        assert_ne!(evil, before);
        let r = h.send(put(evil)).await;
        assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.text());
        let id = r.json()["pending"].as_i64().unwrap();
        assert_eq!(h.feed("village-terminal").await.2.sequence, sequence);
        let listed = h.get("/api/playlist-changes", &admin).await.json();
        assert_eq!(listed[0]["changes"][0][0], "touch.public_url", "{listed}");
        // The author cannot approve it; a reviewer rejects it; nothing reached the screens.
        let review = |who: common::service::Staff, approve: bool| {
            let h = &h;
            async move {
                h.post(
                    &format!("/api/playlist-changes/{id}/review"),
                    &who,
                    json!({"approve": approve, "reason": "网址不是本单位的"}),
                )
                .await
            }
        };
        assert_eq!(
            review(admin.clone(), true).await.status,
            StatusCode::FORBIDDEN
        );
        let reviewer = h.login("李审核").await;
        assert_eq!(
            review(reviewer.clone(), false).await.status,
            StatusCode::NO_CONTENT
        );
        assert_eq!(review(reviewer, true).await.status, StatusCode::CONFLICT);
        let feed = h.feed("village-terminal").await.2;
        assert_eq!(feed.sequence, sequence);
        assert_eq!(
            feed.playlist.unwrap().touch.unwrap().public_url.as_deref(),
            Some(url.as_str())
        );
    });
}

/// Issue 28: the TV's `public_url` (the QR code of long notices without an address) is an
/// address residents scan, like the terminal's: one admin's edit of it waits for a second person.
#[test]
fn the_tvs_public_address_needs_a_second_person_too() {
    let h = office();
    run(async {
        let admin = h.login("admin").await;
        let before = h.get("/api/groups/plaza-tv/playlist", &admin).await.text();
        let p = noticecast::model::Playlist::from_toml(&before, "before").unwrap();
        let url = p
            .public_url
            .clone()
            .expect("the demo TV names the residents' pages");
        let sequence = h.feed("plaza-tv").await.2.sequence;
        let evil = before.replace(&url, "https://evil.example/n");
        assert_ne!(evil, before);
        let r = h
            .send(
                axum::http::Request::put("/api/groups/plaza-tv/playlist")
                    .header("cookie", &admin.cookie)
                    .header("x-csrf-token", &admin.csrf)
                    .header("content-type", "application/toml")
                    .body(axum::body::Body::from(evil))
                    .unwrap(),
            )
            .await;
        assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.text());
        let feed = h.feed("plaza-tv").await.2;
        assert_eq!(feed.sequence, sequence);
        assert_eq!(feed.playlist.unwrap().public_url, Some(url));
    });
}

/// Issue 25 (found again from outside): a new group's playlist went into its feed at once, so
/// the system administrator alone could put a header and ticker text of their own on screens by
/// creating a group. Its name, ticker text and QR address now wait for a second person too.
#[test]
fn a_sysadmin_creating_a_group_cannot_put_text_on_screens_alone() {
    let h = office();
    run(async {
        let admin = h.login("admin").await;
        let text = h
            .get("/api/groups/plaza-tv/playlist", &admin)
            .await
            .text()
            .replace("政务服务热线 12345", "请扫码领取补贴")
            .replace("group = \"plaza-tv\"", "group = \"evil\"");
        let r = h
            .post(
                "/api/groups",
                &admin,
                json!({"name": "evil", "playlist": text}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        let id = r.json()["pending"]
            .as_i64()
            .expect("the text waits for review");
        let playlist = h.feed("evil").await.2.playlist.unwrap();
        assert_eq!(playlist.name, "公告");
        assert!(
            playlist.ticker.and_then(|t| t.text).is_none(),
            "no ticker text of the administrator's own"
        );
        let r = h
            .post(
                &format!("/api/playlist-changes/{id}/review"),
                &h.login("李审核").await,
                json!({"approve": true, "reason": ""}),
            )
            .await;
        assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text());
        let playlist = h.feed("evil").await.2.playlist.unwrap();
        assert!(
            playlist
                .ticker
                .unwrap()
                .text
                .unwrap()
                .contains("请扫码领取补贴")
        );
    });
}

/// Issue 25: a pending ticker change stored the whole playlist, so approving it silently put
/// back the on-hours an admin had changed since. It now holds only the keys it changed and is
/// applied onto the playlist as it is then; the reviewer sees every key it changes.
#[test]
fn approving_a_pending_ticker_change_reverted_a_later_hours_edit() {
    let h = office();
    run(async {
        let admin = h.login("admin").await;
        let before = h.get("/api/groups/plaza-tv/playlist", &admin).await.text();
        let put = |text: String| {
            axum::http::Request::put("/api/groups/plaza-tv/playlist")
                .header("cookie", &admin.cookie)
                .header("x-csrf-token", &admin.csrf)
                .header("content-type", "application/toml")
                .body(axum::body::Body::from(text))
                .unwrap()
        };
        assert!(before.contains("off = \"22:30\""), "{before}");
        let ticker = before.replace("政务服务热线 12345", "政务服务热线 12345（新）");
        let r = h.send(put(ticker)).await;
        assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.text());
        let id = r.json()["pending"].as_i64().unwrap();
        // Meanwhile the admin changes the on-hours, which applies at once.
        let hours = before.replace("off = \"22:30\"", "off = \"21:00\"");
        let r = h.send(put(hours)).await;
        assert!(r.status.is_success(), "{}", r.text());
        let listed = h.get("/api/playlist-changes", &admin).await.json();
        assert_eq!(
            listed[0]["changes"].as_array().unwrap().len(),
            1,
            "{listed}"
        );
        assert_eq!(listed[0]["changes"][0][0], "ticker.text", "{listed}");
        let r = h
            .post(
                &format!("/api/playlist-changes/{id}/review"),
                &h.login("李审核").await,
                json!({"approve": true, "reason": ""}),
            )
            .await;
        assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text());
        let playlist = h.feed("plaza-tv").await.2.playlist.unwrap();
        assert!(
            playlist.ticker.unwrap().text.unwrap().contains("（新）"),
            "the ticker change applied"
        );
        let after = h.get("/api/groups/plaza-tv/playlist", &admin).await.text();
        assert!(
            after.contains("off = \"21:00\""),
            "the later hours edit stays: {after}"
        );
    });
}

/// Low: anyone who knew a user name could lock its owner out for 15 minutes with five wrong
/// passwords. Wrong passwords count only against the address they come from (five from one lock
/// that address's attempts for the name): its owner still logs in from elsewhere, at once.
#[test]
fn low_a_known_name_is_not_locked_out_by_wrong_passwords_from_elsewhere() {
    let h = office();
    run(async {
        for i in 0..10 {
            let mut request = common::service::wrong_login("王芳");
            let peer: std::net::SocketAddr = format!("203.0.113.{}:4000", i % 3).parse().unwrap();
            request
                .extensions_mut()
                .insert(axum::extract::ConnectInfo(peer));
            let r = h.send(request).await;
            assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        }
        h.login("王芳").await;
    });
}

/// Low: 200 connections that sent half a request's headers were held for a minute and more.
/// Each connection now has a header read timeout.
#[test]
fn low_slow_connections_are_closed_after_the_header_timeout() {
    use std::io::{Read, Write};
    let h = office();
    let addr = common::service::serve_on_loopback(h.service.clone());
    let mut slow: Vec<std::net::TcpStream> = (0..50)
        .map(|_| {
            let mut c = std::net::TcpStream::connect(addr).unwrap();
            c.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
                .unwrap();
            c
        })
        .collect();
    // Meanwhile the service answers others.
    let mut ok = std::net::TcpStream::connect(addr).unwrap();
    ok.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut answer = String::new();
    ok.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    let deadline = noticecast::service::HEADER_TIMEOUT + std::time::Duration::from_secs(5);
    for c in &mut slow {
        c.set_read_timeout(Some(deadline)).unwrap();
        let mut buf = Vec::new();
        // Closed by the service (with or without a 408 first), not left open.
        let closed = c.read_to_end(&mut buf).is_ok();
        assert!(
            closed,
            "a half-sent request was still open after {deadline:?}"
        );
    }
}

/// Low: notice lists were unpaged: every notice the office ever wrote in one answer. They come
/// a page at a time now, with the total.
#[test]
fn low_notice_lists_are_paged() {
    let h = office();
    run(async {
        let editor = h.login("王芳").await;
        for i in 0..105 {
            let n = common::service::notice(&format!("通知第{i}号"), &["plaza-tv"], T0, None);
            assert_eq!(
                h.post("/api/notices", &editor, n).await.status,
                StatusCode::CREATED
            );
        }
        let r = h.get("/api/notices", &editor).await;
        assert_eq!(r.headers["x-total-count"], "105");
        assert_eq!(r.json().as_array().unwrap().len(), 100);
        let r = h.get("/api/notices?offset=100&limit=50", &editor).await;
        assert_eq!(r.json().as_array().unwrap().len(), 5);
        let r = h.get("/api/notices?limit=100000", &editor).await;
        assert_eq!(r.json().as_array().unwrap().len(), 100, "at most a page");
    });
}

/// Low: `/n/{id}` parsed every group's feed on every request. It looks notices up in an index
/// now, parsed once per feed sequence, and still shows only what the screens show.
#[test]
fn low_the_residents_page_looks_notices_up_in_an_index() {
    use std::sync::atomic::Ordering::Relaxed;
    let h = office();
    run(async {
        let editor = h.login("王芳").await;
        let reviewer = h.login("李审核").await;
        let id = h
            .publish(
                &editor,
                &reviewer,
                common::service::notice("村民议事会通知", &["village-terminal"], T0, None),
            )
            .await;
        let page = |id: String| {
            let h = &h;
            async move {
                h.request(Method::GET, &format!("/n/{id}"), None, None, None)
                    .await
                    .status
            }
        };
        assert_eq!(page(id.clone()).await, StatusCode::OK);
        let built = h.service.index_builds.load(Relaxed);
        for _ in 0..20 {
            assert_eq!(page(id.clone()).await, StatusCode::OK);
            assert_eq!(page("2026-9999".into()).await, StatusCode::NOT_FOUND);
        }
        assert_eq!(
            h.service.index_builds.load(Relaxed),
            built,
            "40 requests parsed no feed again"
        );
        // A withdrawal changes the feed: the index follows it.
        let r = h
            .post(
                &format!("/api/notices/{id}/withdraw"),
                &editor,
                json!({"reason": "改期"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        assert_eq!(page(id.clone()).await, StatusCode::NOT_FOUND);
        assert!(h.service.index_builds.load(Relaxed) > built);
    });
}

/// Issue 15 (audit): an admin exports the audit log for archiving, signed with the service's key;
/// `noticecast audit verify` checks it offline, and fails on a changed or a dropped entry.
#[test]
fn the_audit_log_exports_signed_and_verifies_offline() {
    use base64::Engine;
    let h = office();
    run(async {
        let admin = h.login("admin").await;
        let editor = h.login("王芳").await;
        h.post(
            "/api/notices",
            &editor,
            common::service::notice("审计导出测试", &["plaza-tv"], T0, None),
        )
        .await;
        let auditor = h.login("审计员").await;
        let r = h.get("/api/audit/export", &admin).await;
        assert_eq!(
            r.status,
            StatusCode::FORBIDDEN,
            "only the auditor exports the log"
        );
        let r = h.get("/api/audit/export", &auditor).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let envelope = r.json();
        assert_eq!(
            envelope["payloadType"],
            "application/vnd.noticecast.audit+json"
        );
        let csv = h.get("/api/audit/export?format=csv", &auditor).await.text();
        assert!(
            csv.contains("login") && csv.contains("audit.export"),
            "{csv}"
        );
        assert_eq!(
            h.get("/api/audit/export", &editor).await.status,
            StatusCode::FORBIDDEN
        );
        let key = h.service.signing_key().public_key().to_text();
        let dir = tempfile::tempdir().unwrap();
        let verify = |value: &serde_json::Value| {
            let file = dir.path().join("audit.json");
            std::fs::write(&file, value.to_string()).unwrap();
            std::process::Command::new(env!("CARGO_BIN_EXE_noticecast"))
                .args(["audit", "verify"])
                .arg(&file)
                .args(["--key", &key])
                .output()
                .unwrap()
        };
        let out = verify(&envelope);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(String::from_utf8_lossy(&out.stdout).contains("verified"));

        // A changed entry: the signature fails.
        let payload = envelope["payload"].as_str().unwrap();
        let mut doc: serde_json::Value = serde_json::from_slice(
            &base64::engine::general_purpose::STANDARD
                .decode(payload)
                .unwrap(),
        )
        .unwrap();
        doc["entries"][0]["actor"] = json!("someone else");
        let mut changed = envelope.clone();
        changed["payload"] = json!(
            base64::engine::general_purpose::STANDARD.encode(serde_json::to_vec(&doc).unwrap())
        );
        let out = verify(&changed);
        assert!(!out.status.success());
        assert!(String::from_utf8_lossy(&out.stderr).contains("does not verify"));

        // A dropped entry, re-signed by someone with the key: the gap is found.
        doc["entries"].as_array_mut().unwrap().remove(1);
        let resigned = noticecast::feed::envelope::sign_as(
            "application/vnd.noticecast.audit+json",
            &serde_json::to_vec(&doc).unwrap(),
            &[h.service.signing_key()],
        )
        .unwrap();
        let out = verify(&serde_json::to_value(&resigned).unwrap());
        assert!(!out.status.success());
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("is missing"),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    });
}

/// Keys: a key planted as `signing.previous.key` was announced to every screen. The database
/// records which keys are current and previous; a previous key no rotation recorded stops the
/// service, naming the file.
#[test]
fn a_planted_previous_key_is_refused_at_start() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    drop(open_at(&data, T0).unwrap());
    // Another key, and an end far away, put there by hand.
    let planted = noticecast::feed::keyfile::generate(
        &data.join("signing.previous.key"),
        noticecast::feed::Suite::Ed25519,
    )
    .unwrap();
    noticecast::feed::keyfile::write_private(
        &data.join("signing.previous.key"),
        &planted.to_text(),
    )
    .unwrap();
    noticecast::feed::keyfile::write_private(
        &data.join("signing.previous.until"),
        "2036-01-01T00:00:00+08:00",
    )
    .unwrap();
    let Err(e) = open_at(&data, T0) else {
        panic!("started announcing a planted key")
    };
    let e = e.to_string();
    assert!(
        e.contains("signing.previous.key") && e.contains("no rotation recorded"),
        "{e}"
    );
    std::fs::remove_file(data.join("signing.previous.key")).unwrap();
    std::fs::remove_file(data.join("signing.previous.until")).unwrap();
    let service = open_at(&data, T0).unwrap();
    assert_eq!(service.public_keys().keys.len(), 1);
}

/// Keys: an edited `signing.previous.until` kept the old key signing silently. The end of the
/// overlap is the database's, and a file that says otherwise stops the service, naming it; a
/// replaced `signing.key` too.
#[test]
fn an_edited_previous_until_or_a_replaced_key_is_refused_at_start() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    drop(open_at(&data, T0).unwrap());
    let rotated_at = common::t(T0);
    let (_, until) = noticecast::service::domain::keys::rotate(
        &data,
        None,
        rotated_at,
        chrono::Duration::days(30),
    )
    .unwrap();
    // The rotation is recorded and audited.
    let service = open_at(&data, T0).unwrap();
    let keys = service.public_keys().keys;
    assert_eq!(keys.len(), 2);
    assert_eq!(
        keys[1].retires_at.as_deref(),
        Some(until.to_rfc3339().as_str())
    );
    let audited: i64 = service
        .db()
        .query_row(
            "SELECT COUNT(*) FROM audit WHERE action = 'key.rotate' AND subject = ?1",
            [format!("feed key {}", keys[0].key_id)],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(audited, 1);
    drop(service);
    let until_file = data.join("signing.previous.until");
    noticecast::feed::keyfile::write_private(&until_file, "2036-01-01T00:00:00+08:00").unwrap();
    let Err(e) = open_at(&data, T0) else {
        panic!("started with an edited end of the overlap")
    };
    let e = e.to_string();
    assert!(
        e.contains("signing.previous.until") && e.contains("2036"),
        "{e}"
    );
    noticecast::feed::keyfile::write_private(&until_file, &until.to_rfc3339()).unwrap();
    open_at(&data, T0).unwrap();
    // signing.key replaced by another key.
    let other = noticecast::feed::keyfile::generate(
        &data.join("signing.key"),
        noticecast::feed::Suite::Ed25519,
    )
    .unwrap();
    let saved = std::fs::read(data.join("signing.key")).unwrap();
    noticecast::feed::keyfile::write_private(&data.join("signing.key"), &other.to_text()).unwrap();
    let Err(e) = open_at(&data, T0) else {
        panic!("started with a key the database does not record")
    };
    let e = e.to_string();
    assert!(e.contains("signing.key") && e.contains("records"), "{e}");
    std::fs::write(data.join("signing.key"), saved).unwrap();
    open_at(&data, T0).unwrap();
}

/// Keys: DEPLOY.md's order (`user add`, then `serve --suite sm2`) gave an Ed25519 key with only
/// a log line: the first command made the key. A key made by a command that publishes nothing is
/// replaced by the first `serve --suite`; once published (served, exported) it keeps its suite.
#[test]
fn serve_suite_sm2_after_user_add_gives_an_sm2_key() {
    use noticecast::feed::Suite;
    use noticecast::service::{Options, Service};
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    // `user add`: no suite, publishes nothing.
    let service = open_at(&data, T0).unwrap();
    assert_eq!(service.signing_key().public_key().suite(), Suite::Ed25519);
    drop(service);
    let serve = |suite| Options {
        fonts: Some(common::path("fonts")),
        suite: Some(suite),
        publishes: true,
        ..Options::default()
    };
    let service = Service::open(&data, serve(Suite::Sm2), clock_at(T0)).unwrap();
    assert_eq!(service.signing_key().public_key().suite(), Suite::Sm2);
    let sm2 = service.public_keys().keys[0].key_id.clone();
    let feed = service.feed("plaza-tv").unwrap();
    let envelope = noticecast::feed::envelope::Envelope::from_json(&feed.body).unwrap();
    assert_eq!(
        envelope.signatures[0].keyid, sm2,
        "feeds signed by the SM2 key"
    );
    drop(service);
    // Published now: another suite later keeps the key (screens trust it).
    let service = Service::open(&data, serve(Suite::Ed25519), clock_at(T0)).unwrap();
    assert_eq!(service.public_keys().keys[0].key_id, sm2);
}
