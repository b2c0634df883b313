//! 公示证明 (issue 14): notices with a 公示期, counted in working days with the holiday
//! calendar; the evidence that they were on display for the whole period.

mod common;

use axum::http::StatusCode;
use common::service::{Harness, notice, run};
use noticecast::service::domain::accounts::Role;
use serde_json::json;

const T0: &str = "2026-09-25T09:00:00+08:00";

fn office() -> Harness {
    let h = Harness::new(T0);
    h.add_user("王芳", Role::Editor);
    h.add_user("李审核", Role::Reviewer);
    h
}

#[test]
fn a_notice_period_in_working_days_must_fit_the_notices_display_time() {
    let h = office();
    run(async {
        let editor = h.login("王芳").await;
        // 7 working days from Monday 2026-09-28 end with Monday 2026-10-12 (国庆 off, Saturday
        // 10-10 worked): a notice that stops showing on 10-11 would not cover it.
        let mut n = notice(
            "低保对象公示",
            &["village-terminal"],
            "2026-09-28T08:00:00+08:00",
            Some("2026-10-11T18:00:00+08:00"),
        );
        n["notice_period"] = json!({"start": "2026-09-28T08:00:00+08:00", "working_days": 7});
        let r = h.post("/api/notices/check", &editor, n.clone()).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
        let text = r.text();
        assert!(
            text.contains("valid_until") && text.contains("2026-10-13T00:00:00+08:00"),
            "{text}"
        );
        n["valid_until"] = json!("2026-10-13T00:00:00+08:00");
        let r = h.post("/api/notices/check", &editor, n.clone()).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());

        // Both a length and an end, or neither: refused, naming the field.
        n["notice_period"] = json!({"start": "2026-09-28T08:00:00+08:00", "working_days": 7,
            "end": "2026-10-20T00:00:00+08:00"});
        let r = h.post("/api/notices/check", &editor, n.clone()).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().contains("notice_period"), "{}", r.text());
        n["notice_period"] = json!({"start": "2026-09-28T08:00:00+08:00", "working_days": 0});
        let r = h.post("/api/notices/check", &editor, n.clone()).await;
        assert!(
            r.text().contains("notice_period.working_days"),
            "{}",
            r.text()
        );

        // Saved and read back with its period.
        n["notice_period"] = json!({"start": "2026-09-28T08:00:00+08:00", "working_days": 7});
        let r = h.post("/api/notices", &editor, n).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        let id = r.json()["id"].as_str().unwrap().to_string();
        let detail = h.get(&format!("/api/notices/{id}"), &editor).await.json();
        assert_eq!(
            detail["revisions"][0]["content"]["notice_period"]["working_days"],
            7
        );
    });
}

/// A screen with its device key: signs its plays, which the service keeps; the certificate
/// lists its intervals per working day; the bundle verifies offline, and fails when a byte of
/// evidence changes, an envelope is dropped or a key is foreign.
#[test]
fn signed_plays_make_a_certificate_that_verifies_offline() {
    use base64::Engine;
    use ed25519_dalek::SigningKey;
    use noticecast::feed::envelope::{PLAYS_PAYLOAD_TYPE, sign_as};
    use noticecast::feed::plays::notice_hash;
    let h = office();
    h.add_user("admin", Role::Sysadmin);
    run(async {
        let editor = h.login("王芳").await;
        let reviewer = h.login("李审核").await;
        let admin = h.login("admin").await;
        let r = h
            .post(
                "/api/screens",
                &admin,
                json!({"id": "dongling-1", "group": "village-terminal"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED);
        let token = r.json()["token"].as_str().unwrap().to_string();
        let device = SigningKey::from_bytes(&[9; 32]);
        let device_b64 =
            base64::engine::general_purpose::STANDARD.encode(device.verifying_key().as_bytes());

        let mut n = notice(
            "东岭村2026年第三季度低保对象公示",
            &["village-terminal"],
            "2026-09-28T08:00:00+08:00",
            Some("2026-10-13T00:00:00+08:00"),
        );
        n["category"] = json!("public_affairs");
        n["notice_period"] = json!({"start": "2026-09-28T08:00:00+08:00", "working_days": 7});
        let id = h.publish(&editor, &reviewer, n).await;

        let beat = |key: Option<&str>| {
            json!({"screen_id": "dongling-1", "sequence": null, "uptime_s": 10, "adapter": null,
                   "last_error": null, "device_key": key})
        };
        let send = |path: String, body: serde_json::Value| {
            let h = &h;
            let token = token.clone();
            async move {
                let request = axum::http::Request::post(path)
                    .header("authorization", format!("Bearer {token}"))
                    .header("content-type", "application/json")
                    .body(axum::body::Body::from(body.to_string()))
                    .unwrap();
                h.send(request).await
            }
        };
        let r = send(
            "/api/screens/dongling-1/heartbeat".into(),
            beat(Some(&device_b64)),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        // The key awaits the security administrator, who compares its id with the screen's.
        let screens = h.get("/api/screens", &admin).await.json();
        assert!(screens[0]["device_key_id"].is_null(), "{screens}");
        let key_id = screens[0]["device_key_candidates"][0]
            .as_str()
            .unwrap()
            .to_string();
        assert_eq!(key_id.len(), 16);
        h.add_user("安全员", Role::Secadmin);
        let secadmin = h.login("安全员").await;
        let r = h
            .post(
                "/api/screens/dongling-1/device-key/confirm",
                &secadmin,
                json!({"key_id": key_id}),
            )
            .await;
        assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text());
        let screens = h.get("/api/screens", &admin).await.json();
        assert_eq!(screens[0]["device_key_id"], key_id.as_str());
        assert_eq!(screens[0]["device_key_confirmed_by"], "安全员");
        let page = h.get("/console/screens", &admin).await.text();
        assert!(
            page.contains(&key_id),
            "the screens page shows the confirmed key"
        );

        // Each working day: the screen shows the notice for 30 s every 10 minutes from 08:00 to
        // 17:50 and uploads the day's records, signed.
        let days = [
            "2026-09-28",
            "2026-09-29",
            "2026-09-30",
            "2026-10-08",
            "2026-10-09",
            "2026-10-10",
            "2026-10-12",
        ];
        for day in days {
            h.advance(common::t(&format!("{day}T07:00:00+08:00")) - h.now());
            let (_, _, doc) = h.feed("village-terminal").await;
            let shown = doc
                .notices
                .iter()
                .find(|x| x.id == id)
                .expect("in the feed");
            let hash = notice_hash(shown);
            let records: Vec<serde_json::Value> = (0..60)
                .map(|i| {
                    let start = common::t(&format!("{day}T08:00:00+08:00"))
                        + chrono::Duration::minutes(10 * i);
                    json!({"id": format!("{}-{id}-1", start.timestamp_millis()), "notice_id": id,
                           "page": 1, "start": start, "duration_s": 30.0,
                           "sequence": doc.sequence, "notice_sha256": hash})
                })
                .collect();
            h.advance(common::t(&format!("{day}T19:00:00+08:00")) - h.now());
            let payload = serde_json::to_vec(&json!({"records": records, "dropped": 0})).unwrap();
            let envelope = sign_as(PLAYS_PAYLOAD_TYPE, &payload, &[&device]).unwrap();
            let r = send(
                "/api/screens/dongling-1/plays".into(),
                serde_json::to_value(&envelope).unwrap(),
            )
            .await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.text());
            assert_eq!(r.json()["accepted"], 60, "{}", r.text());
        }

        // Unsigned plays, and plays signed by another key, are refused.
        let stray = json!({"records": [], "dropped": 0});
        let r = send("/api/screens/dongling-1/plays".into(), stray.clone()).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text());
        assert!(r.text().contains("unsigned"), "{}", r.text());
        let foreign = SigningKey::from_bytes(&[10; 32]);
        let envelope = sign_as(
            PLAYS_PAYLOAD_TYPE,
            stray.to_string().as_bytes(),
            &[&foreign],
        )
        .unwrap();
        let r = send(
            "/api/screens/dongling-1/plays".into(),
            serde_json::to_value(&envelope).unwrap(),
        )
        .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());

        h.advance(common::t("2026-10-14T09:00:00+08:00") - h.now());
        // Sessions end after days: the editor logs in again.
        let editor = h.login("王芳").await;
        let r = h.get(&format!("/api/notices/{id}/proof"), &editor).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let cert = r.json();
        assert_eq!(cert["verdict"], "met", "{cert}");
        assert_eq!(cert["period"]["working_days"].as_array().unwrap().len(), 7);
        assert_eq!(
            cert["period"]["working_days"][5], "2026-10-10",
            "the worked Saturday"
        );
        let group = &cert["groups"][0];
        assert_eq!(group["group"], "village-terminal");
        assert_eq!(group["screens"][0]["id"], "dongling-1");
        for day in group["days"].as_array().unwrap() {
            assert_eq!(day["hours"], 0.5, "{day}");
            assert_eq!(day["status"], "met");
        }

        // The console's printable page says the same.
        let page = h
            .get(&format!("/console/notices/{id}/proof"), &editor)
            .await;
        assert_eq!(page.status, StatusCode::OK);
        let text = page.text();
        assert!(
            text.contains("公示证明") && text.contains("已满足") && text.contains("dongling-1"),
            "{text}"
        );

        // The bundle verifies offline with the command.
        let r = h
            .get(&format!("/api/notices/{id}/proof/bundle"), &editor)
            .await;
        assert_eq!(r.status, StatusCode::OK);
        let bundle = r.json();
        let dir = tempfile::tempdir().unwrap();
        let office_key = h
            .request(axum::http::Method::GET, "/feed/keys", None, None, None)
            .await
            .json()["keys"][0]["public_key"]
            .as_str()
            .unwrap()
            .to_string();
        let verify = |value: &serde_json::Value| {
            let file = dir.path().join("bundle.json");
            std::fs::write(&file, value.to_string()).unwrap();
            std::process::Command::new(env!("CARGO_BIN_EXE_noticecast"))
                .args(["proof", "verify", "--key", &office_key])
                .arg(&file)
                .output()
                .unwrap()
        };
        let out = verify(&bundle);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let said = String::from_utf8_lossy(&out.stdout);
        assert!(said.contains("verified") && said.contains("met"), "{said}");
        let office_id = noticecast::feed::TrustedKey::parse(&office_key).unwrap().id;
        assert!(
            said.contains(&office_id),
            "names the key it checked: {said}"
        );

        // One changed byte of a screen's signed record: its signature fails.
        let mut changed = bundle.clone();
        let payload = changed["plays"][0]["envelope"]["payload"]
            .as_str()
            .unwrap()
            .to_string();
        let mut raw = base64::engine::general_purpose::STANDARD
            .decode(&payload)
            .unwrap();
        let at = raw.windows(4).position(|w| w == b"30.0").unwrap();
        raw[at] = b'9';
        changed["plays"][0]["envelope"]["payload"] =
            json!(base64::engine::general_purpose::STANDARD.encode(&raw));
        let out = verify(&changed);
        assert!(!out.status.success());
        // Its upload no longer counts, so the evidence no longer gives the signed certificate.
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("does not match its evidence"), "{err}");

        // A dropped envelope: the evidence no longer gives the signed certificate.
        let mut dropped = bundle.clone();
        dropped["plays"].as_array_mut().unwrap().remove(3);
        let out = verify(&dropped);
        assert!(!out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("does not match its evidence"), "{err}");

        // A foreign key for the screen: its plays no longer count, and the certificate the
        // office signed names another key.
        let mut foreign_key = bundle.clone();
        foreign_key["screens"][0]["device_key"] = json!(
            base64::engine::general_purpose::STANDARD
                .encode(SigningKey::from_bytes(&[11; 32]).verifying_key().as_bytes())
        );
        let out = verify(&foreign_key);
        assert!(!out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("does not match its evidence"), "{err}");

        // A replaced screen: its new key is not taken until an admin re-pins.
        let admin = h.login("admin").await;
        let other = base64::engine::general_purpose::STANDARD
            .encode(SigningKey::from_bytes(&[12; 32]).verifying_key().as_bytes());
        let r = send(
            "/api/screens/dongling-1/heartbeat".into(),
            beat(Some(&other)),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK);
        let screens = h.get("/api/screens", &admin).await.json();
        let pinned = screens[0]["device_key_id"].clone();
        assert!(
            screens[0]["last_error"]
                .as_str()
                .unwrap()
                .contains("differs from the confirmed one"),
            "{screens}"
        );
        // Keys are the security administrator's (三员分立), not the system administrator's.
        let r = h
            .post(
                "/api/screens/dongling-1/device-key/reset",
                &admin,
                json!({}),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let secadmin = h.login("安全员").await;
        let r = h
            .post(
                "/api/screens/dongling-1/device-key/reset",
                &secadmin,
                json!({}),
            )
            .await;
        assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text());
        send(
            "/api/screens/dongling-1/heartbeat".into(),
            beat(Some(&other)),
        )
        .await;
        let screens = h.get("/api/screens", &admin).await.json();
        assert!(screens[0]["device_key_id"].is_null(), "{screens}");
        let new_id = screens[0]["device_key_candidates"][0].clone();
        let r = h
            .post(
                "/api/screens/dongling-1/device-key/confirm",
                &secadmin,
                json!({"key_id": new_id}),
            )
            .await;
        assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text());
        let screens = h.get("/api/screens", &admin).await.json();
        assert_ne!(screens[0]["device_key_id"], pinned);
        assert_eq!(screens[0]["device_key_id"], new_id);
        // The replaced box's evidence still counts, up to its key's reset, and says so.
        let r = h
            .get(&format!("/api/notices/{id}/proof/bundle"), &editor)
            .await;
        let replaced: noticecast::proof::Bundle = serde_json::from_value(r.json()).unwrap();
        let office = noticecast::feed::TrustedKey::parse(&office_key).unwrap();
        let certificate = noticecast::proof::verify(&replaced, &office).unwrap();
        assert_eq!(certificate.verdict, "met", "{certificate:?}");
        assert!(certificate.not_counted.is_empty(), "{certificate:?}");
        assert_eq!(
            certificate.groups[0].screens[0].former_key_ids,
            vec![key_id.clone()]
        );
        h.add_user("审计员", Role::Auditor);
        let audit = h.get("/api/audit", &h.login("审计员").await).await.text();
        assert!(audit.contains("screen.device_key.reset"), "{audit}");

        // And the day without display is named when the evidence lacks it.
        let mut missing: noticecast::proof::Bundle =
            serde_json::from_value(bundle.clone()).unwrap();
        missing.plays.remove(4);
        let recomputed = noticecast::proof::certify(&missing).unwrap();
        assert_eq!(recomputed.verdict, "not met");
        assert_eq!(
            recomputed.groups[0].failing_days,
            vec![chrono::NaiveDate::from_ymd_opt(2026, 10, 9).unwrap()]
        );
    });
}

/// An admin adds the next year's calendar when the State Council publishes it; a bad file is
/// refused naming its field, and the calendar in force stays.
#[test]
fn an_admin_replaces_a_years_calendar() {
    let h = office();
    h.add_user("admin", Role::Sysadmin);
    run(async {
        let admin = h.login("admin").await;
        let editor = h.login("王芳").await;
        let put = |text: &'static str| {
            let h = &h;
            let admin = &admin;
            async move {
                let request = axum::http::Request::put("/api/calendar/2027")
                    .header("cookie", &admin.cookie)
                    .header("x-csrf-token", &admin.csrf)
                    .header("content-type", "application/toml")
                    .body(axum::body::Body::from(text))
                    .unwrap();
                h.send(request).await
            }
        };
        let r = put("year = 2027\nsource = \"x\"\nworkdays = [\"2027-01-05\"]\n").await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
        assert!(r.text().contains("workdays[0]"), "{}", r.text());
        // A hypothetical 2027: 1-3 January off, Sunday the 10th worked.
        let r = put(
            "year = 2027\nsource = \"测试安排\"\nworkdays = [\"2027-01-10\"]\n\
             [[holiday]]\nname = \"元旦\"\nfrom = \"2027-01-01\"\nto = \"2027-01-03\"\n",
        )
        .await;
        assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text());
        let years = h.get("/api/calendar", &editor).await.json();
        assert!(
            years
                .as_array()
                .unwrap()
                .iter()
                .any(|y| y["year"] == 2027 && y["replaced"] == true),
            "{years}"
        );
        // Five working days from Thursday 2026-12-31: 12-31, then (1-3 off) 1-4 .. 1-7.
        let mut n = notice(
            "跨年公示",
            &["village-terminal"],
            "2026-12-31T08:00:00+08:00",
            Some("2027-01-07T23:00:00+08:00"),
        );
        n["notice_period"] = json!({"start": "2026-12-31T08:00:00+08:00", "working_days": 5});
        let r = h.post("/api/notices/check", &editor, n.clone()).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            r.text().contains("2027-01-08T00:00:00+08:00"),
            "{}",
            r.text()
        );
    });
}

/// Issue 25: what a hostile administrator, a copied token or a forger tried.
mod forgery {
    use super::*;
    use base64::Engine;
    use ed25519_dalek::SigningKey;
    use noticecast::feed::envelope::{PLAYS_PAYLOAD_TYPE, sign_as};
    use noticecast::feed::plays::notice_hash;

    const SCREEN: &str = "dongling-1";
    const GROUP: &str = "village-terminal";

    fn b64(key: &SigningKey) -> String {
        base64::engine::general_purpose::STANDARD.encode(key.verifying_key().as_bytes())
    }

    /// An office with a screen enrolled by the system administrator; returns its token.
    async fn enrolled(h: &Harness) -> String {
        let admin = h.login("admin").await;
        let r = h
            .post(
                "/api/screens",
                &admin,
                json!({"id": SCREEN, "group": GROUP}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        r.json()["token"].as_str().unwrap().to_string()
    }

    fn setup() -> Harness {
        let h = office();
        h.add_user("admin", Role::Sysadmin);
        h.add_user("安全员", Role::Secadmin);
        h
    }

    async fn heartbeat(h: &Harness, token: &str, key: &SigningKey) -> common::service::Reply {
        h.request(
            axum::http::Method::POST,
            &format!("/api/screens/{SCREEN}/heartbeat"),
            None,
            Some(token),
            Some(json!({"screen_id": SCREEN, "uptime_s": 10, "device_key": b64(key)})),
        )
        .await
    }

    /// An enrolled screen whose device key (from `seed`) the security administrator confirmed:
    /// its token and key.
    async fn confirmed(h: &Harness, seed: u8) -> (String, SigningKey) {
        let token = enrolled(h).await;
        let key = SigningKey::from_bytes(&[seed; 32]);
        assert_eq!(heartbeat(h, &token, &key).await.status, StatusCode::OK);
        let r = confirm(h, "安全员", &key).await;
        assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text());
        (token, key)
    }

    async fn confirm(h: &Harness, who: &str, key: &SigningKey) -> common::service::Reply {
        let id = noticecast::feed::TrustedKey::parse(&b64(key)).unwrap().id;
        h.post(
            &format!("/api/screens/{SCREEN}/device-key/confirm"),
            &h.login(who).await,
            json!({"key_id": id}),
        )
        .await
    }

    /// A 公示 of seven working days from 2026-09-28 on the village terminals.
    async fn published(h: &Harness) -> String {
        let mut n = notice(
            "东岭村2026年第三季度低保对象公示",
            &[GROUP],
            "2026-09-28T08:00:00+08:00",
            Some("2026-10-13T00:00:00+08:00"),
        );
        n["category"] = json!("public_affairs");
        n["notice_period"] = json!({"start": "2026-09-28T08:00:00+08:00", "working_days": 7});
        h.publish(&h.login("王芳").await, &h.login("李审核").await, n)
            .await
    }

    /// The day's records of `id`, 30 s every 10 minutes from 08:00, signed by `key`.
    async fn plays(
        h: &Harness,
        id: &str,
        day: &str,
        sequence: Option<u64>,
        key: &SigningKey,
    ) -> serde_json::Value {
        let (_, _, doc) = h.feed(GROUP).await;
        let hash = notice_hash(doc.notices.iter().find(|x| x.id == id).unwrap());
        let records: Vec<serde_json::Value> = (0..60)
            .map(|i| {
                let start =
                    common::t(&format!("{day}T08:00:00+08:00")) + chrono::Duration::minutes(10 * i);
                json!({"id": format!("{}-{id}-1", start.timestamp_millis()), "notice_id": id,
                       "page": 1, "start": start, "duration_s": 30.0,
                       "sequence": sequence.unwrap_or(doc.sequence), "notice_sha256": hash})
            })
            .collect();
        let payload = serde_json::to_vec(&json!({"records": records, "dropped": 0})).unwrap();
        serde_json::to_value(sign_as(PLAYS_PAYLOAD_TYPE, &payload, &[key]).unwrap()).unwrap()
    }

    #[test]
    fn a_copied_tokens_key_arriving_first_is_not_pinned() {
        let h = setup();
        run(async {
            let token = enrolled(&h).await;
            let copy = SigningKey::from_bytes(&[21; 32]);
            let real = SigningKey::from_bytes(&[22; 32]);
            assert_eq!(heartbeat(&h, &token, &copy).await.status, StatusCode::OK);
            assert_eq!(heartbeat(&h, &token, &real).await.status, StatusCode::OK);
            let screens = h.get("/api/screens", &h.login("admin").await).await.json();
            assert!(screens[0]["device_key_id"].is_null(), "{screens}");
            assert_eq!(
                screens[0]["device_key_candidates"]
                    .as_array()
                    .unwrap()
                    .len(),
                2
            );
            let id = published(&h).await;
            h.advance(common::t("2026-09-28T19:00:00+08:00") - h.now());
            // Nothing counts before confirmation: the screen keeps its records.
            let body = plays(&h, &id, "2026-09-28", None, &real).await;
            let r = h.upload_plays(SCREEN, &token, body.clone()).await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
            assert!(r.text().contains("confirmation"), "{}", r.text());
            // The security administrator confirms the key the real screen shows.
            let r = confirm(&h, "安全员", &real).await;
            assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text());
            let copied = plays(&h, &id, "2026-09-28", None, &copy).await;
            let r = h.upload_plays(SCREEN, &token, copied).await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
            let r = h.upload_plays(SCREEN, &token, body).await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.text());
            assert_eq!(r.json()["accepted"], 60, "{}", r.text());
        });
    }

    #[test]
    fn one_administrator_cannot_make_a_screens_evidence() {
        let h = setup();
        run(async {
            // The system administrator enrols a screen that never existed and heartbeats for it
            // with a key of their own: they cannot confirm it themselves.
            let token = enrolled(&h).await;
            let fake = SigningKey::from_bytes(&[23; 32]);
            heartbeat(&h, &token, &fake).await;
            let r = confirm(&h, "admin", &fake).await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
            // Nor can a copied token's holder make records without the screen's key: unsigned
            // uploads are refused whoever sends them.
            let r = h
                .request(
                    axum::http::Method::POST,
                    &format!("/api/screens/{SCREEN}/plays"),
                    None,
                    Some(&token),
                    Some(json!({"records": [], "dropped": 0})),
                )
                .await;
            assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text());
            assert!(r.text().contains("unsigned"), "{}", r.text());
            let r = h
                .post(
                    &format!("/api/screens/{SCREEN}/device-key/confirm"),
                    &h.login("安全员").await,
                    json!({"key_id": "not a key id"}),
                )
                .await;
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
            h.add_user("审计员", Role::Auditor);
            let audit = h.get("/api/audit", &h.login("审计员").await).await.text();
            assert!(audit.contains("screen.device_key.candidate"), "{audit}");
        });
    }

    #[test]
    fn a_copied_token_filling_the_candidates_cannot_block_the_real_key() {
        let h = setup();
        run(async {
            let token = enrolled(&h).await;
            for i in 0..10u8 {
                let junk = SigningKey::from_bytes(&[100 + i; 32]);
                assert_eq!(heartbeat(&h, &token, &junk).await.status, StatusCode::OK);
            }
            // The real screen's heartbeats still go through.
            let real = SigningKey::from_bytes(&[28; 32]);
            assert_eq!(heartbeat(&h, &token, &real).await.status, StatusCode::OK);
            // The security administrator types the id the screen shows: awaited, then confirmed
            // when the screen brings that key.
            let r = confirm(&h, "安全员", &real).await;
            assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.text());
            assert_eq!(heartbeat(&h, &token, &real).await.status, StatusCode::OK);
            let screens = h.get("/api/screens", &h.login("admin").await).await.json();
            let real_id = noticecast::feed::TrustedKey::parse(&b64(&real)).unwrap().id;
            assert_eq!(screens[0]["device_key_id"], real_id.as_str(), "{screens}");
            assert_eq!(screens[0]["device_key_confirmed_by"], "安全员");
        });
    }

    #[test]
    fn records_the_service_refused_do_not_count_in_the_certificate() {
        let h = setup();
        run(async {
            let (token, key) = confirmed(&h, 29).await;
            let id = published(&h).await;
            h.advance(common::t("2026-09-28T19:00:00+08:00") - h.now());
            let (_, _, doc) = h.feed(GROUP).await;
            let hash = notice_hash(doc.notices.iter().find(|x| x.id == id).unwrap());
            // One plausible half minute, and hours the service refuses as in the future (the
            // next days of the period), in one signed upload.
            let record = |rid: &str, start: &str, duration: f64| {
                json!({"id": rid, "notice_id": id, "page": 1, "start": start,
                       "duration_s": duration, "sequence": doc.sequence, "notice_sha256": hash})
            };
            let records = vec![
                record("ok", "2026-09-28T10:00:00+08:00", 30.0),
                record("d2", "2026-09-29T09:00:00+08:00", 3600.0),
                record("d3", "2026-09-30T09:00:00+08:00", 3600.0),
            ];
            let payload = serde_json::to_vec(&json!({"records": records, "dropped": 0})).unwrap();
            let envelope = sign_as(PLAYS_PAYLOAD_TYPE, &payload, &[&key]).unwrap();
            let r = h
                .upload_plays(SCREEN, &token, serde_json::to_value(&envelope).unwrap())
                .await;
            assert_eq!(r.json()["accepted"], 1, "{}", r.text());
            assert_eq!(r.json()["refused"], 2, "{}", r.text());
            h.advance(common::t("2026-10-01T09:00:00+08:00") - h.now());
            let bundle = h
                .get(
                    &format!("/api/notices/{id}/proof/bundle"),
                    &h.login("王芳").await,
                )
                .await
                .json();
            let bundle: noticecast::proof::Bundle = serde_json::from_value(bundle).unwrap();
            let office = noticecast::feed::TrustedKey::parse(&bundle.feed_keys[0]).unwrap();
            let certificate = noticecast::proof::verify(&bundle, &office).unwrap();
            let days = &certificate.groups[0].days;
            assert_eq!(days[1].hours, 0.0, "{days:?}");
            assert_eq!(days[2].hours, 0.0, "{days:?}");
            assert_eq!(
                certificate.not_counted.len(),
                2,
                "{:?}",
                certificate.not_counted
            );
            // Claiming the service accepted them changes what the office signed.
            let mut claimed = bundle.clone();
            claimed.plays[0].accepted = vec!["d2".into(), "d3".into(), "ok".into()];
            let err = noticecast::proof::verify(&claimed, &office)
                .unwrap_err()
                .to_string();
            assert!(err.contains("does not match its evidence"), "{err}");
        });
    }

    #[test]
    fn plays_of_a_feed_the_group_never_had_or_during_a_standby_do_not_count() {
        let h = setup();
        run(async {
            let (token, key) = confirmed(&h, 25).await;
            let id = published(&h).await;
            h.advance(common::t("2026-09-28T19:00:00+08:00") - h.now());
            let body = plays(&h, &id, "2026-09-28", Some(12_345), &key).await;
            let r = h.upload_plays(SCREEN, &token, body).await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.text());
            assert_eq!(r.json()["refused"], 60, "{}", r.text());
            // The group stands by from 07:00 on the 29th: what the screen reports that day is
            // not display time.
            h.advance(common::t("2026-09-29T07:00:00+08:00") - h.now());
            let (_, _, before) = h.feed(GROUP).await;
            let r = h
                .post(
                    &format!("/api/groups/{GROUP}/blackout"),
                    &h.login("admin").await,
                    json!({"on": true, "reason": "演练"}),
                )
                .await;
            assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text());
            h.advance(common::t("2026-09-29T19:00:00+08:00") - h.now());
            // The screen says it went on showing the feed from before the standby.
            let body = plays(&h, &id, "2026-09-29", Some(before.sequence), &key).await;
            let r = h.upload_plays(SCREEN, &token, body).await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.text());
            assert_eq!(r.json()["refused"], 60, "standby: {}", r.text());
            // Kept apart from the report's counts, with the reason.
            let screens = h.get("/api/screens", &h.login("admin").await).await.json();
            assert_eq!(screens[0]["refused"], 120, "{screens}");
        });
    }

    #[test]
    fn a_bundle_made_on_another_instance_with_its_own_key_is_refused() {
        let h = setup();
        run(async {
            let (token, key) = confirmed(&h, 26).await;
            let id = published(&h).await;
            h.advance(common::t("2026-09-28T19:00:00+08:00") - h.now());
            let body = plays(&h, &id, "2026-09-28", None, &key).await;
            assert_eq!(
                h.upload_plays(SCREEN, &token, body).await.status,
                StatusCode::OK
            );
            let editor = h.login("王芳").await;
            let r = h
                .get(&format!("/api/notices/{id}/proof/bundle"), &editor)
                .await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.text());
            let genuine: noticecast::proof::Bundle = serde_json::from_value(r.json()).unwrap();
            let office = noticecast::feed::TrustedKey::parse(&genuine.feed_keys[0]).unwrap();
            noticecast::proof::verify(&genuine, &office).expect("the genuine bundle verifies");

            // The forger lists the office's key first and their own after it, makes the
            // certificate from the evidence and signs it with their own key.
            let forger = SigningKey::from_bytes(&[27; 32]);
            let mut forged = genuine.clone();
            forged.feed_keys.push(b64(&forger));
            let certificate = noticecast::proof::certify(&forged).unwrap();
            forged.certificate = Some(
                sign_as(
                    noticecast::proof::CERTIFICATE_PAYLOAD_TYPE,
                    &serde_json::to_vec(&certificate).unwrap(),
                    &[&forger],
                )
                .unwrap(),
            );
            let err = noticecast::proof::verify(&forged, &office)
                .unwrap_err()
                .to_string();
            assert!(err.contains("not signed by key"), "{err}");
            // The certificate names the keys: listing another key changes what was signed.
            let mut listed = genuine.clone();
            listed.feed_keys.push(b64(&forger));
            let err = noticecast::proof::verify(&listed, &office)
                .unwrap_err()
                .to_string();
            assert!(err.contains("feed_key_ids"), "{err}");

            // The command: without --key no verdict, with the office's key a refusal.
            let dir = tempfile::tempdir().unwrap();
            let file = dir.path().join("bundle.json");
            std::fs::write(&file, serde_json::to_vec(&forged).unwrap()).unwrap();
            let run = |args: &[&str]| {
                std::process::Command::new(env!("CARGO_BIN_EXE_noticecast"))
                    .args(["proof", "verify"])
                    .arg(&file)
                    .args(args)
                    .output()
                    .unwrap()
            };
            let out = run(&[]);
            assert!(!out.status.success());
            let said = String::from_utf8_lossy(&out.stdout).to_string()
                + &String::from_utf8_lossy(&out.stderr);
            assert!(
                said.contains("not verified") && !said.contains("met"),
                "{said}"
            );
            let out = run(&["--key", &genuine.feed_keys[0]]);
            assert!(!out.status.success());
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(err.contains(&office.id), "names the key it checked: {err}");
        });
    }

    #[test]
    fn a_notice_period_with_no_working_day_is_refused() {
        let h = setup();
        run(async {
            // 国庆: 3 and 4 October 2026 are holidays.
            let mut n = notice(
                "假期公示",
                &[GROUP],
                "2026-10-03T08:00:00+08:00",
                Some("2026-10-05T00:00:00+08:00"),
            );
            n["notice_period"] =
                json!({"start": "2026-10-03T08:00:00+08:00", "end": "2026-10-04T20:00:00+08:00"});
            let r = h
                .post("/api/notices/check", &h.login("王芳").await, n)
                .await;
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
            assert!(r.text().contains("no working day"), "{}", r.text());
        });
    }

    #[test]
    fn marking_past_days_of_a_period_as_holidays_is_refused() {
        let h = setup();
        run(async {
            h.advance(common::t("2026-10-09T10:00:00+08:00") - h.now());
            let admin = h.login("admin").await;
            let bundled =
                std::fs::read_to_string(common::path("deploy/calendar/2026.toml")).unwrap();
            let put = |text: String| {
                let h = &h;
                let admin = &admin;
                async move {
                    let request = axum::http::Request::put("/api/calendar/2026")
                        .header("cookie", &admin.cookie)
                        .header("x-csrf-token", &admin.csrf)
                        .header("content-type", "application/toml")
                        .body(axum::body::Body::from(text))
                        .unwrap();
                    h.send(request).await
                }
            };
            let past = format!(
                "{bundled}\n[[holiday]]\nname = \"补\"\nfrom = \"2026-09-28\"\nto = \"2026-09-30\"\n"
            );
            let r = put(past).await;
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
            assert!(r.text().contains("2026-09-28"), "{}", r.text());
            // Days from today on may still change.
            let future = format!(
                "{bundled}\n[[holiday]]\nname = \"补\"\nfrom = \"2026-12-21\"\nto = \"2026-12-22\"\n"
            );
            let r = put(future).await;
            assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text());
        });
    }
}
