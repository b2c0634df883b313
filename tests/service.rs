//! The central service through its router, without a socket: the review workflow from an
//! editor's draft to a signed feed, every route with every role, feeds over time, playlists,
//! screens and the disclosure report. One test goes over a real socket with the feed client.

mod common;

use axum::http::{Method, StatusCode, header};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use chrono::Duration;
use common::service::{Harness, Staff, notice, run};
use noticecast::feed::{Accepted, TrustedKey, accept};
use noticecast::service::domain::accounts::Role;
use noticecast::service::http::guard::{Access, OWN_ACCOUNT};
use noticecast::service::http::server;
use serde_json::{Value, json};

const T0: &str = "2026-11-27T09:00:00+08:00";

/// An office: an admin, two editors, two reviewers.
fn office() -> Harness {
    let h = Harness::new(T0);
    h.add_user("admin", Role::Sysadmin);
    h.add_user("王芳", Role::Editor);
    h.add_user("zhao", Role::Editor);
    h.add_user("李审核", Role::Reviewer);
    h.add_user("chen", Role::Reviewer);
    h.add_user("安全员", Role::Secadmin);
    h.add_user("审计员", Role::Auditor);
    h
}

fn titles(doc: &noticecast::model::FeedDocument) -> Vec<String> {
    doc.notices.iter().map(|n| n.title.clone()).collect()
}

#[test]
fn a_notice_reaches_a_feed_only_through_four_eyes_review() {
    let h = office();
    run(async {
        let editor = h.login("王芳").await;
        let reviewer = h.login("李审核").await;
        let (_, etag0, doc0) = h.feed("plaza-tv").await;
        let (_, _, led0) = h.feed("service-hall-led").await;
        assert!(doc0.notices.is_empty());

        // A draft, with a character no bundled font has (U+2EBF0, CJK Ext I): warned.
        let created = h
            .post(
                "/api/notices",
                &editor,
                notice(
                    "城关镇便民服务中心延长办公时间\u{2EBF0}",
                    &["plaza-tv"],
                    T0,
                    None,
                ),
            )
            .await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());
        let created = created.json();
        let id = created["id"].as_str().unwrap().to_string();
        assert_eq!(id, "2026-0001");
        assert_eq!(created["warnings"][0]["field"], "title");
        assert_eq!(created["warnings"][0]["chars"], json!(["\u{2EBF0}"]));

        // Drafts change no feed.
        let (_, etag, doc) = h.feed("plaza-tv").await;
        assert_eq!(
            (etag.as_str(), doc.sequence),
            (etag0.as_str(), doc0.sequence)
        );

        // Nobody approves a draft; an editor approves nothing.
        let approve = json!({"revision": 1, "confidentiality_confirmed": true});
        let r = h
            .post(
                &format!("/api/notices/{id}/approve"),
                &reviewer,
                approve.clone(),
            )
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());
        let r = h
            .post(
                &format!("/api/notices/{id}/approve"),
                &editor,
                approve.clone(),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());

        let r = h
            .post(&format!("/api/notices/{id}/submit"), &editor, json!({}))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        assert_eq!(r.json()["warnings"][0]["chars"], json!(["\u{2EBF0}"]));
        let queue = h
            .get("/api/notices?state=submitted", &reviewer)
            .await
            .json();
        assert_eq!(queue[0]["id"], id.as_str());

        // Without the confidentiality confirmation: refused, naming the field.
        let r = h
            .post(
                &format!("/api/notices/{id}/approve"),
                &reviewer,
                json!({"revision": 1, "confidentiality_confirmed": false}),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            r.json()["problems"][0]["field"],
            "confidentiality_confirmed"
        );
        assert_eq!(h.feed("plaza-tv").await.2.sequence, doc0.sequence);

        let r = h
            .post(&format!("/api/notices/{id}/approve"), &reviewer, approve)
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let (_, etag1, doc1) = h.feed("plaza-tv").await;
        assert_eq!(doc1.sequence, doc0.sequence + 1);
        assert_eq!(titles(&doc1), ["城关镇便民服务中心延长办公时间\u{2EBF0}"]);
        assert_eq!(doc1.notices[0].id, id);
        assert_ne!(etag1, etag0);
        // Another group's feed did not change at all.
        assert_eq!(h.feed("service-hall-led").await.2.sequence, led0.sequence);

        // Conditional GETs: the old ETag gets the new feed, the new one a 304.
        let conditional = |tag: String| {
            axum::http::Request::builder()
                .uri("/feed/plaza-tv")
                .header(header::IF_NONE_MATCH, tag)
                .body(axum::body::Body::empty())
                .unwrap()
        };
        assert_eq!(
            h.send(conditional(etag0.clone())).await.status,
            StatusCode::OK
        );
        let r = h.send(conditional(etag1.clone())).await;
        assert_eq!(r.status, StatusCode::NOT_MODIFIED);
        assert_eq!(r.headers[header::ETAG].to_str().unwrap(), etag1);
        assert!(r.body.is_empty());

        // An edit of the approved notice waits for review; the screens keep the approved text.
        let r = h
            .put(
                &format!("/api/notices/{id}"),
                &editor,
                notice("城关镇便民服务中心周末照常办公", &["plaza-tv"], T0, None),
            )
            .await;
        assert_eq!(r.json()["revision"], 2);
        h.post(&format!("/api/notices/{id}/submit"), &editor, json!({}))
            .await;
        let r = h
            .post(
                &format!("/api/notices/{id}/reject"),
                &reviewer,
                json!({"revision": 2, "reason": "请写明具体办公时间"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        assert_eq!(
            r.json()["revisions"][1]["reject_reason"],
            "请写明具体办公时间"
        );
        let (_, _, doc) = h.feed("plaza-tv").await;
        assert_eq!((doc.sequence, titles(&doc)), (doc1.sequence, titles(&doc1)));

        // Revised, submitted, approved by the other reviewer: the new text goes out.
        h.put(
            &format!("/api/notices/{id}"),
            &editor,
            notice(
                "城关镇便民服务中心周六9:00—12:00照常办公",
                &["plaza-tv"],
                T0,
                None,
            ),
        )
        .await;
        h.post(&format!("/api/notices/{id}/submit"), &editor, json!({}))
            .await;
        let chen = h.login("chen").await;
        // Approving a stale revision is refused: review what is newest.
        let r = h
            .post(
                &format!("/api/notices/{id}/approve"),
                &chen,
                json!({"revision": 2, "confidentiality_confirmed": true}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());
        let r = h
            .post(
                &format!("/api/notices/{id}/approve"),
                &chen,
                json!({"revision": 3, "confidentiality_confirmed": true}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let (_, _, doc2) = h.feed("plaza-tv").await;
        assert_eq!(doc2.sequence, doc1.sequence + 1);
        assert_eq!(titles(&doc2), ["城关镇便民服务中心周六9:00—12:00照常办公"]);

        // A withdrawal says why (issue 29): without a reason it is refused, nothing changes.
        for reason in [json!({}), json!({"reason": "  "})] {
            let r = h
                .post(&format!("/api/notices/{id}/withdraw"), &editor, reason)
                .await;
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
            assert!(r.text().contains("reason"), "{}", r.text());
        }
        assert_eq!(h.feed("plaza-tv").await.2.sequence, doc2.sequence);

        // Withdrawn: off the feed, for good; who and why kept with the notice.
        let r = h
            .post(
                &format!("/api/notices/{id}/withdraw"),
                &editor,
                json!({"reason": "活动取消"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let detail = r.json();
        assert_eq!(detail["withdrawn_reason"], "活动取消", "{detail}");
        assert_eq!(detail["withdrawn_by"], "王芳", "{detail}");
        let (_, _, doc3) = h.feed("plaza-tv").await;
        assert_eq!((doc3.sequence, doc3.notices.len()), (doc2.sequence + 1, 0));
        let r = h
            .put(
                &format!("/api/notices/{id}"),
                &editor,
                notice("再次发布", &["plaza-tv"], T0, None),
            )
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT);

        // The audit log kept every step, newest first.
        let log = h.get("/api/audit", &h.login("审计员").await).await.json();
        let actions: Vec<&str> = log
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["action"].as_str().unwrap())
            .filter(|a| a.starts_with("notice."))
            .collect();
        assert_eq!(
            actions,
            [
                "notice.withdraw",
                "notice.approve",
                "notice.submit",
                "notice.edit",
                "notice.reject",
                "notice.submit",
                "notice.edit",
                "notice.approve",
                "notice.submit",
                "notice.create"
            ]
        );
        let approval = log
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["action"] == "notice.approve")
            .unwrap();
        assert_eq!(approval["actor"], "chen");
        assert!(approval["detail"].as_str().unwrap().contains("保密审查"));
    });
}

#[test]
fn nobody_approves_their_own_revision_even_after_a_role_change() {
    let h = office();
    run(async {
        let zhao = h.login("zhao").await;
        let admin = h.login("admin").await;
        let id = h
            .post("/api/notices", &zhao, notice("自审测试", &["*"], T0, None))
            .await
            .json()["id"]
            .as_str()
            .unwrap()
            .to_string();
        h.post(&format!("/api/notices/{id}/submit"), &zhao, json!({}))
            .await;
        let r = h
            .put("/api/users/zhao", &admin, json!({"role": "reviewer"}))
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "roles are the secadmin's");
        let secadmin = h.login("安全员").await;
        let r = h
            .put("/api/users/zhao", &secadmin, json!({"role": "reviewer"}))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let zhao = h.login("zhao").await;
        let r = h
            .post(
                &format!("/api/notices/{id}/approve"),
                &zhao,
                json!({"revision": 1, "confidentiality_confirmed": true}),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
        assert!(
            r.json()["error"]
                .as_str()
                .unwrap()
                .contains("another reviewer")
        );
        for group in ["plaza-tv", "service-hall-led", "village-terminal"] {
            assert!(h.feed(group).await.2.notices.is_empty(), "{group}");
        }
    });
}

#[test]
fn feeds_follow_the_clock_expiring_adding_ahead_and_renewing() {
    let h = office();
    run(async {
        let editor = h.login("王芳").await;
        let reviewer = h.login("李审核").await;
        let publish = |title: &'static str, from: &'static str, until: Option<&'static str>| {
            let (h, editor, reviewer) = (&h, editor.clone(), reviewer.clone());
            async move {
                let id = h
                    .post(
                        "/api/notices",
                        &editor,
                        notice(title, &["village-terminal"], from, until),
                    )
                    .await
                    .json()["id"]
                    .as_str()
                    .unwrap()
                    .to_string();
                h.post(&format!("/api/notices/{id}/submit"), &editor, json!({}))
                    .await;
                let r = h
                    .post(
                        &format!("/api/notices/{id}/approve"),
                        &reviewer,
                        json!({"revision": 1, "confidentiality_confirmed": true}),
                    )
                    .await;
                assert_eq!(r.status, StatusCode::OK, "{}", r.text());
            }
        };
        publish("今日停水通知", T0, Some("2026-11-27T18:00:00+08:00")).await;
        publish("元旦假期安排", "2026-12-20T00:00:00+08:00", None).await;
        let (_, _, doc) = h.feed("village-terminal").await;
        assert_eq!(
            titles(&doc),
            ["今日停水通知"],
            "the far-future notice waits"
        );
        let seq = doc.sequence;

        // Nothing changes in an hour: same sequence.
        h.advance(Duration::hours(1));
        assert_eq!(h.feed("village-terminal").await.2.sequence, seq);
        // Past valid_until: gone, next sequence.
        h.advance(Duration::hours(9));
        let (_, _, doc) = h.feed("village-terminal").await;
        assert!(doc.sequence > seq);
        assert_eq!(doc.notices.len(), 0);
        let seq = doc.sequence;
        // Within the 7-day horizon of its start: sent ahead.
        h.advance(Duration::days(16));
        let (_, _, doc) = h.feed("village-terminal").await;
        assert!(doc.sequence > seq);
        assert_eq!(titles(&doc), ["元旦假期安排"]);
        let seq = doc.sequence;
        // Unchanged for a week: signed anew before screens would refuse it.
        let expires = doc.expires_at;
        h.advance(Duration::days(6));
        assert_eq!(h.feed("village-terminal").await.2.sequence, seq);
        h.advance(Duration::days(2));
        let (_, _, doc) = h.feed("village-terminal").await;
        assert!(doc.sequence > seq);
        assert!(doc.expires_at > expires);
    });
}

#[test]
fn a_bad_playlist_edit_is_refused_and_the_last_good_one_stays() {
    let h = office();
    run(async {
        let admin = h.login("admin").await;
        let before = h.get("/api/groups/plaza-tv/playlist", &admin).await.text();
        let (_, _, doc) = h.feed("plaza-tv").await;
        let bad = before.replace("line_height = 1.6", "line_height = 1.0");
        assert_ne!(bad, before);
        let put = |text: String| {
            axum::http::Request::builder()
                .method(Method::PUT)
                .uri("/api/groups/plaza-tv/playlist")
                .header(header::COOKIE, &admin.cookie)
                .header("x-csrf-token", &admin.csrf)
                .header(header::CONTENT_TYPE, "application/toml")
                .body(axum::body::Body::from(text))
                .unwrap()
        };
        let r = h.send(put(bad)).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
        assert_eq!(r.json()["problems"][0]["field"], "type.line_height");
        let r = h.send(put("group = \"plaza-tv\"\nkind = ".into())).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
        assert_eq!(
            h.get("/api/groups/plaza-tv/playlist", &admin).await.text(),
            before
        );
        assert_eq!(h.feed("plaza-tv").await.2.sequence, doc.sequence);

        let good = before.replace(
            "name = \"云岭区政务公开\"",
            "name = \"云岭区城关镇政务公开\"",
        );
        // A change of what residents read waits for a second person (issue 17, medium 5).
        let r = h.send(put(good.clone())).await;
        assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.text());
        let change = r.json()["pending"].as_i64().unwrap();
        assert_eq!(h.feed("plaza-tv").await.2.sequence, doc.sequence);
        let reviewer = h.login("李审核").await;
        let r = h
            .post(
                &format!("/api/playlist-changes/{change}/review"),
                &reviewer,
                json!({"approve": true}),
            )
            .await;
        assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text());
        let (_, _, after) = h.feed("plaza-tv").await;
        assert_eq!(after.sequence, doc.sequence + 1);
        assert_eq!(after.playlist.unwrap().name, "云岭区城关镇政务公开");
        // What residents do not read goes through at once.
        let quicker = good.replace("chars_per_s = 2.5", "chars_per_s = 2.0");
        assert_ne!(quicker, good);
        let r = h.send(put(quicker)).await;
        assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text());

        // A new group from a valid playlist gets its own feed.
        let led = h
            .get("/api/groups/service-hall-led/playlist", &admin)
            .await
            .text();
        let new = led.replace("group = \"service-hall-led\"", "group = \"township-led\"");
        let r = h
            .post(
                "/api/groups",
                &admin,
                json!({"name": "township-led", "playlist": new}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        assert_eq!(h.feed("township-led").await.2.group, "township-led");
    });
}

#[test]
fn bad_requests_get_precise_answers() {
    let h = office();
    run(async {
        let editor = h.login("王芳").await;
        let mut missing = notice("标题", &["plaza-tv"], T0, None);
        missing.as_object_mut().unwrap().remove("title");
        let r = h.post("/api/notices", &editor, missing).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert!(
            r.json()["error"].as_str().unwrap().contains("title"),
            "{}",
            r.text()
        );

        let r = h
            .post(
                "/api/notices",
                &editor,
                notice(
                    "标题",
                    &["plaza-tv", "nowhere"],
                    T0,
                    Some("2026-11-01T00:00:00+08:00"),
                ),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let fields: Vec<Value> = r.json()["problems"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["field"].clone())
            .collect();
        assert_eq!(fields, [json!("valid_until"), json!("groups[1]")]);

        let huge = "长".repeat(400_000);
        let r = h
            .post(
                "/api/notices",
                &editor,
                notice(&huge, &["plaza-tv"], T0, None),
            )
            .await;
        assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.text());

        let r = h.get("/api/notices/2026-9999", &editor).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        let r = h
            .request(Method::GET, "/feed/nowhere", None, None, None)
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        assert!(r.json()["error"].as_str().unwrap().contains("nowhere"));

        // A change without the CSRF header is refused even with a valid session.
        let no_csrf = Staff {
            csrf: String::new(),
            ..editor.clone()
        };
        let r = h
            .post(
                "/api/notices",
                &no_csrf,
                notice("标题", &["plaza-tv"], T0, None),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        assert!(r.text().contains("x-csrf-token"));
    });
}

#[test]
fn logins_are_rate_limited_and_sessions_end() {
    let h = office();
    run(async {
        let wrong = json!({"name": "王芳", "password": "not the password"});
        for _ in 0..5 {
            let r = h
                .request(Method::POST, "/api/login", None, None, Some(wrong.clone()))
                .await;
            assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        }
        let right = json!({"name": "王芳", "password": common::service::PASSWORD});
        let r = h
            .request(Method::POST, "/api/login", None, None, Some(right))
            .await;
        assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
        assert!(r.headers.contains_key(header::RETRY_AFTER));

        let reviewer = h.login("李审核").await;
        assert_eq!(
            h.get("/api/session", &reviewer).await.status,
            StatusCode::OK
        );
        h.advance(Duration::minutes(31));
        assert_eq!(
            h.get("/api/session", &reviewer).await.status,
            StatusCode::UNAUTHORIZED
        );
        let reviewer = h.login("李审核").await;
        let r = h.post("/api/logout", &reviewer, json!({})).await;
        assert_eq!(r.status, StatusCode::NO_CONTENT);
        assert_eq!(
            h.get("/api/session", &reviewer).await.status,
            StatusCode::UNAUTHORIZED
        );
    });
}

/// Every route, called with no credentials, as each role and as a screen: the gate answers 401
/// or 403 exactly where the route's access rule says, and lets everything else through.
#[test]
fn every_route_with_every_role() {
    let h = office();
    run(async {
        let admin = h.login("admin").await;
        let editor = h.login("王芳").await;
        let token = h
            .post(
                "/api/screens",
                &admin,
                json!({"id": "plaza-01", "group": "plaza-tv"}),
            )
            .await
            .json()["token"]
            .as_str()
            .unwrap()
            .to_string();
        let id = h
            .post(
                "/api/notices",
                &editor,
                notice("路由测试", &["plaza-tv"], T0, None),
            )
            .await
            .json()["id"]
            .as_str()
            .unwrap()
            .to_string();
        let routes = server::table();
        // The access rule of every route, written out here independently of the route table,
        // so a route that loses its rule (or gains a wrong one) fails this test.
        let spec: &[(&str, &str, &str)] = &[
            ("GET", "/healthz", "public"),
            ("GET", "/feed/keys", "public"),
            ("GET", "/feed/{group}", "public"),
            ("GET", "/assets/{sha256}", "public"),
            ("GET", "/api/openapi.json", "public"),
            ("POST", "/api/login", "public"),
            ("POST", "/api/screens/{id}/heartbeat", "screen"),
            ("POST", "/api/screens/{id}/plays", "screen"),
            ("POST", "/api/screens/{id}/screenshot", "screen"),
            ("POST", "/api/alerts", "source"),
            ("GET", "/api/session", "own"),
            ("POST", "/api/logout", "own"),
            ("PUT", "/api/me/password", "own"),
            ("GET", "/api/notices", "staff"),
            ("POST", "/api/notices", "editor"),
            ("POST", "/api/notices/check", "editor"),
            ("POST", "/api/assets", "editor"),
            ("POST", "/api/imports", "editor"),
            ("GET", "/api/notices/{id}", "staff"),
            ("GET", "/api/notices/{id}/proof", "staff"),
            ("GET", "/api/notices/{id}/proof/bundle", "staff"),
            ("PUT", "/api/notices/{id}", "editor"),
            ("POST", "/api/notices/{id}/submit", "editor"),
            ("POST", "/api/notices/{id}/approve", "reviewer"),
            ("POST", "/api/notices/{id}/reject", "reviewer"),
            ("POST", "/api/notices/{id}/withdraw", "editor+reviewer"),
            ("GET", "/api/groups", "staff"),
            ("POST", "/api/groups", "sysadmin"),
            ("GET", "/api/groups/{group}/playlist", "staff"),
            ("PUT", "/api/groups/{group}/playlist", "sysadmin"),
            ("GET", "/api/playlist-changes", "staff"),
            (
                "POST",
                "/api/playlist-changes/{id}/review",
                "reviewer+sysadmin",
            ),
            ("GET", "/api/groups/{group}/areas", "staff"),
            ("PUT", "/api/groups/{group}/areas", "sysadmin"),
            ("GET", "/api/groups/{group}/policy", "staff"),
            ("PUT", "/api/groups/{group}/policy", "secadmin"),
            ("POST", "/api/groups/{group}/blackout", "sysadmin"),
            ("GET", "/api/calendar", "staff"),
            ("PUT", "/api/calendar/{year}", "sysadmin"),
            ("GET", "/api/sources", "secadmin"),
            ("GET", "/api/screens", "staff"),
            ("POST", "/api/screens", "sysadmin"),
            ("POST", "/api/screens/{id}/token", "sysadmin"),
            ("POST", "/api/screens/{id}/device-key/reset", "secadmin"),
            ("POST", "/api/screens/{id}/device-key/confirm", "secadmin"),
            ("POST", "/api/screens/{id}/screenshot/request", "staff"),
            ("GET", "/api/screens/{id}/screenshot", "staff"),
            ("GET", "/api/users", "sysadmin+secadmin"),
            ("POST", "/api/users", "sysadmin"),
            ("PUT", "/api/users/{name}", "sysadmin+secadmin"),
            ("GET", "/api/audit", "auditor"),
            ("GET", "/api/audit/export", "auditor"),
            ("GET", "/api/reports/disclosure", "staff"),
            ("GET", "/api/reports/opens", "staff"),
            // The console: the same roles, but a login page instead of 401.
            ("GET", "/", "public"),
            ("GET", "/console/static/app.css", "public"),
            ("GET", "/console/static/app.js", "public"),
            ("GET", "/console/static/font.ttf", "public"),
            ("GET", "/console/login", "public"),
            ("POST", "/console/login", "public"),
            ("POST", "/console/logout", "console:own"),
            ("GET", "/console/password", "console:own"),
            ("POST", "/console/password", "console:own"),
            ("GET", "/console", "console:staff"),
            ("GET", "/console/audit", "console:auditor"),
            ("GET", "/console/report", "console:staff"),
            ("GET", "/console/notices", "console:staff"),
            ("GET", "/console/notices/held", "console:editor"),
            ("GET", "/console/notices/new", "console:editor"),
            ("POST", "/console/notices", "console:editor"),
            ("POST", "/console/notices/import", "console:editor"),
            ("POST", "/console/preview", "console:editor"),
            ("GET", "/console/review", "console:reviewer+sysadmin"),
            (
                "POST",
                "/console/playlist-changes/{id}/review",
                "console:reviewer+sysadmin",
            ),
            ("GET", "/console/notices/{id}", "console:staff"),
            ("GET", "/console/notices/{id}/proof", "console:staff"),
            ("GET", "/console/notices/{id}/edit", "console:editor"),
            ("POST", "/console/notices/{id}", "console:editor"),
            ("POST", "/console/notices/{id}/submit", "console:editor"),
            ("POST", "/console/notices/{id}/approve", "console:reviewer"),
            ("POST", "/console/notices/{id}/reject", "console:reviewer"),
            (
                "GET",
                "/console/notices/{id}/withdraw",
                "console:editor+reviewer",
            ),
            (
                "POST",
                "/console/notices/{id}/withdraw",
                "console:editor+reviewer",
            ),
            (
                "GET",
                "/console/notices/{id}/revisions/{number}/preview/{group}",
                "console:staff",
            ),
            ("GET", "/console/groups", "console:staff"),
            ("POST", "/console/groups", "console:sysadmin"),
            ("GET", "/console/groups/{group}", "console:staff"),
            ("POST", "/console/groups/{group}", "console:sysadmin"),
            (
                "POST",
                "/console/groups/{group}/form",
                "console:editor+sysadmin",
            ),
            (
                "POST",
                "/console/groups/{group}/preview",
                "console:editor+sysadmin",
            ),
            ("GET", "/console/groups/{group}/now.png", "console:staff"),
            ("POST", "/console/groups/{group}/label", "console:sysadmin"),
            ("POST", "/console/groups/{group}/areas", "console:sysadmin"),
            (
                "POST",
                "/console/groups/{group}/blackout",
                "console:sysadmin",
            ),
            ("POST", "/console/groups/{group}/policy", "console:secadmin"),
            ("GET", "/console/screens", "console:staff"),
            ("POST", "/console/screens", "console:sysadmin"),
            ("POST", "/console/screens/{id}/token", "console:sysadmin"),
            ("POST", "/console/screens/{id}/label", "console:sysadmin"),
            (
                "POST",
                "/console/screens/{id}/device-key",
                "console:secadmin",
            ),
            (
                "GET",
                "/console/screens/{id}/device-key/reset",
                "console:secadmin",
            ),
            (
                "POST",
                "/console/screens/{id}/device-key/reset",
                "console:secadmin",
            ),
            ("POST", "/console/screens/{id}/screenshot", "console:staff"),
            ("GET", "/console/sources", "console:secadmin"),
            ("POST", "/console/sources", "console:secadmin"),
            ("POST", "/console/sources/{name}/areas", "console:secadmin"),
            ("GET", "/console/sources/{name}/revoke", "console:secadmin"),
            ("POST", "/console/sources/{name}/revoke", "console:secadmin"),
            ("GET", "/console/users", "console:sysadmin+secadmin"),
            ("POST", "/console/users", "console:sysadmin"),
            ("POST", "/console/users/{name}", "console:sysadmin+secadmin"),
            ("GET", "/n/{id}", "public"),
        ];
        let declared: Vec<(String, String, String)> = routes
            .iter()
            .map(|info| {
                let roles = |roles: &[Role]| {
                    if roles == OWN_ACCOUNT {
                        "own".to_string()
                    } else if roles.len() == Role::ALL.len() {
                        "staff".to_string()
                    } else {
                        roles
                            .iter()
                            .map(|r| r.as_str())
                            .collect::<Vec<_>>()
                            .join("+")
                    }
                };
                let access = match info.access {
                    Access::Public => "public".to_string(),
                    Access::Screen => "screen".to_string(),
                    Access::Source => "source".to_string(),
                    Access::Staff(r) => roles(r),
                    Access::Console(r) => format!("console:{}", roles(r)),
                };
                (info.method.to_string(), info.path.to_string(), access)
            })
            .collect();
        let spec: Vec<(String, String, String)> = spec
            .iter()
            .map(|(m, p, a)| (m.to_string(), p.to_string(), a.to_string()))
            .collect();
        assert_eq!(declared, spec);
        #[derive(Debug, Clone, Copy, PartialEq)]
        enum Who {
            Nobody,
            Staff(Role),
            Screen,
        }
        let everyone = [
            Who::Nobody,
            Who::Staff(Role::Editor),
            Who::Staff(Role::Reviewer),
            Who::Staff(Role::Sysadmin),
            Who::Staff(Role::Secadmin),
            Who::Staff(Role::Auditor),
            Who::Screen,
        ];
        for info in routes {
            let path = info
                .path
                .replace("{group}", "plaza-tv")
                .replace("{name}", "zhao")
                .replace("{number}", "1")
                .replace(
                    "{id}",
                    if info.path.contains("/screens") {
                        "plaza-01"
                    } else {
                        &id
                    },
                );
            for who in everyone {
                let staff = match who {
                    Who::Staff(role) => {
                        let name = match role {
                            Role::Editor => "王芳",
                            Role::Reviewer => "李审核",
                            Role::Sysadmin => "admin",
                            Role::Secadmin => "安全员",
                            Role::Auditor => "审计员",
                            Role::Unassigned => unreachable!("not among `everyone`"),
                        };
                        Some(h.login(name).await)
                    }
                    _ => None,
                };
                let bearer = (who == Who::Screen).then_some(token.as_str());
                let body = (info.method != Method::GET).then(|| json!({}));
                let r = h
                    .request(info.method.clone(), &path, staff.as_ref(), bearer, body)
                    .await;
                let expected: &[StatusCode] = match (info.access, who) {
                    (Access::Public, _) => &[],
                    (Access::Screen, Who::Screen) => &[],
                    (Access::Screen, _) => &[StatusCode::UNAUTHORIZED],
                    (Access::Source, _) => &[StatusCode::UNAUTHORIZED],
                    (Access::Staff(roles) | Access::Console(roles), Who::Staff(role))
                        if roles.contains(&role) =>
                    {
                        &[]
                    }
                    (Access::Staff(_) | Access::Console(_), Who::Staff(_)) => {
                        &[StatusCode::FORBIDDEN]
                    }
                    (Access::Staff(_), _) => &[StatusCode::UNAUTHORIZED],
                    (Access::Console(_), _) => &[StatusCode::SEE_OTHER],
                };
                let to_login = r.status == StatusCode::SEE_OTHER
                    && r.headers[header::LOCATION] == "/console/login";
                // A public route may answer 401 itself (a login with a wrong password); the gate
                // lets everyone through to it.
                let denied = to_login
                    || (info.access != Access::Public
                        && matches!(r.status, StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN));
                if expected == [StatusCode::SEE_OTHER] {
                    assert!(
                        to_login,
                        "{} {} as {who:?}: {} {}",
                        info.method,
                        info.path,
                        r.status,
                        r.text()
                    );
                }
                if expected.is_empty() {
                    assert!(
                        !denied,
                        "{} {} as {who:?} was refused: {} {}",
                        info.method,
                        info.path,
                        r.status,
                        r.text()
                    );
                    assert!(
                        !r.status.is_server_error(),
                        "{} {}: {}",
                        info.method,
                        info.path,
                        r.text()
                    );
                } else {
                    assert!(
                        expected.contains(&r.status),
                        "{} {} as {who:?}: {} {}",
                        info.method,
                        info.path,
                        r.status,
                        r.text()
                    );
                }
            }
        }
    });
}

#[test]
fn the_openapi_document_describes_every_route() {
    let doc = serde_json::to_value(server::api_description()).unwrap();
    // Every machine route (not a console or residents' page) is described...
    let mut described = 0;
    for info in server::table() {
        if info.path == "/" || info.path.starts_with("/console") || info.path.starts_with("/n/") {
            continue;
        }
        described += 1;
        let method = info.method.as_str().to_lowercase();
        assert!(
            doc["paths"][info.path.as_str()][&method].is_object(),
            "{} {} is not in the OpenAPI document",
            info.method,
            info.path
        );
    }
    // ...and nothing else is: the document has no operation that is not served.
    let operations: usize = doc["paths"]
        .as_object()
        .unwrap()
        .values()
        .map(|item| item.as_object().unwrap().len())
        .sum();
    assert_eq!(operations, described);
    let h = office();
    run(async {
        let r = h
            .request(Method::GET, "/api/openapi.json", None, None, None)
            .await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(
            r.json()["openapi"].as_str().unwrap().chars().next(),
            Some('3')
        );
        assert!(r.json()["components"]["schemas"]["NoticeInput"].is_object());
    });
}

/// The document is valid OpenAPI 3.1 for the tools integrators use: openapi-spec-validator
/// (installed by `deploy/install-deps --tests`) once rejected it for query parameters declared
/// as path parameters. Without the validator this test fails; it never skips.
#[test]
fn the_openapi_document_passes_openapi_spec_validator() {
    const VALIDATOR: &str = "/usr/local/lib/noticecast-tests/bin/openapi-spec-validator";
    assert!(
        std::path::Path::new(VALIDATOR).exists(),
        "{VALIDATOR} is missing: run deploy/install-deps --tests"
    );
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("openapi.json");
    std::fs::write(
        &file,
        serde_json::to_string(server::api_description()).unwrap(),
    )
    .unwrap();
    let out = std::process::Command::new(VALIDATOR)
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn screens_report_and_the_disclosure_report_counts_each_play_once() {
    let h = office();
    run(async {
        let admin = h.login("admin").await;
        let editor = h.login("王芳").await;
        let reviewer = h.login("李审核").await;
        let enrol = |screen: &'static str, group: &'static str| {
            let (h, admin) = (&h, admin.clone());
            async move {
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
        };
        let plaza = enrol("plaza-01", "plaza-tv").await;
        let hall = enrol("hall-01", "service-hall-led").await;
        let r = h
            .post(
                "/api/screens",
                &admin,
                json!({"id": "plaza-01", "group": "plaza-tv"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT);

        let mut ids = Vec::new();
        for (title, category) in [("停水通知", "services"), ("城市规划公示", "reports")] {
            let mut n = notice(title, &["*"], T0, None);
            n["category"] = json!(category);
            let id = h.post("/api/notices", &editor, n).await.json()["id"]
                .as_str()
                .unwrap()
                .to_string();
            h.post(&format!("/api/notices/{id}/submit"), &editor, json!({}))
                .await;
            h.post(
                &format!("/api/notices/{id}/approve"),
                &reviewer,
                json!({"revision": 1, "confidentiality_confirmed": true}),
            )
            .await;
            ids.push(id);
        }

        let beat = |screen: &str| {
            json!({"screen_id": screen, "sequence": 3, "uptime_s": 120,
                   "adapter": "llvmpipe (LLVM 15.0.6, 256 bits) (Vulkan)", "last_error": null,
                   "power": "standby", "clock": "unsynced"})
        };
        let r = h
            .request(
                Method::POST,
                "/api/screens/plaza-01/heartbeat",
                None,
                Some(&plaza),
                Some(beat("plaza-01")),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        // A token speaks only for its own screen.
        let r = h
            .request(
                Method::POST,
                "/api/screens/hall-01/heartbeat",
                None,
                Some(&plaza),
                Some(beat("hall-01")),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let r = h
            .request(
                Method::POST,
                "/api/screens/hall-01/heartbeat",
                None,
                Some("nct_forged"),
                Some(beat("hall-01")),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);

        let screens = h.get("/api/screens", &editor).await.json();
        let plaza_row = screens
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["id"] == "plaza-01")
            .unwrap();
        assert_eq!(plaza_row["online"], true);
        assert_eq!(
            plaza_row["adapter"],
            "llvmpipe (LLVM 15.0.6, 256 bits) (Vulkan)"
        );
        assert_eq!(plaza_row["power"], "standby");
        assert_eq!(plaza_row["clock"], "unsynced");
        assert!(plaza_row["feed_sequence"].as_i64().unwrap() >= 1);
        let hall_row = screens
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["id"] == "hall-01")
            .unwrap();
        assert_eq!(hall_row["online"], false);

        // Two days on: the pages below have all been shown (records from the future are refused).
        let village = enrol("village-01", "village-terminal").await;
        h.advance(Duration::days(2));
        let editor = h.login("王芳").await;
        // Records name a sequence their group's feed really had.
        let plaza_sequence = h.feed("plaza-tv").await.2.sequence;
        let hall_sequence = h.feed("service-hall-led").await.2.sequence;
        let record = |id: &str, notice: &str, page: u32, start: &str, duration: f64| {
            json!({"id": id, "notice_id": notice, "page": page, "start": start,
                   "duration_s": duration, "sequence": plaza_sequence})
        };
        let batch = json!({"records": [
            record("r1", &ids[0], 1, "2026-11-27T10:00:00+08:00", 1800.0),
            record("r2", &ids[0], 2, "2026-11-27T10:30:00+08:00", 1800.0),
            record("r3", &ids[1], 1, "2026-11-27T11:00:00+08:00", 3600.0),
            // Before the screen was enrolled and the notice approved: cannot have happened.
            record("r0", &ids[1], 1, "2025-12-31T23:30:00+08:00", 600.0),
        ], "dropped": 0});
        let r = h.upload_plays("plaza-01", &plaza, batch.clone()).await;
        assert_eq!(
            r.json(),
            json!({"accepted": 3, "duplicates": 0, "refused": 1})
        );
        // The same upload again (the answer was lost), plus one new record.
        let mut again = batch.clone();
        again["records"].as_array_mut().unwrap().push(record(
            "r4",
            &ids[0],
            1,
            "2026-11-28T10:00:00+08:00",
            900.0,
        ));
        let r = h.upload_plays("plaza-01", &plaza, again).await;
        assert_eq!(
            r.json(),
            json!({"accepted": 1, "duplicates": 4, "refused": 0})
        );
        // The hall's LED uses the same record ids: its own screen, its own records.
        let mut r1 = record("r1", &ids[0], 1, "2026-11-27T10:00:00+08:00", 60.0);
        r1["sequence"] = json!(hall_sequence);
        let led = json!({"records": [r1], "dropped": 7});
        let r = h.upload_plays("hall-01", &hall, led).await;
        assert_eq!(
            r.json(),
            json!({"accepted": 1, "duplicates": 0, "refused": 0})
        );
        // Notices residents opened: counted apart from the plays, each record once.
        let open = |id: &str| {
            json!({"id": id, "notice_id": &ids[0], "page": 0, "start": "2026-11-27T00:00:00+08:00",
                   "duration_s": 0.0, "sequence": 3, "opened": true})
        };
        let opens = json!({"records": [open("o1"), open("o2"), open("o1")], "dropped": 0});
        let r = h.upload_plays("village-01", &village, opens.clone()).await;
        assert_eq!(
            r.json(),
            json!({"accepted": 2, "duplicates": 1, "refused": 0})
        );
        // A TV has no touch: nobody opened anything on it.
        let r = h.upload_plays("plaza-01", &plaza, opens).await;
        assert_eq!(
            r.json(),
            json!({"accepted": 0, "duplicates": 1, "refused": 2})
        );

        let report = h
            .get("/api/reports/disclosure?year=2026", &editor)
            .await
            .json();
        let row = |group: &str, category: &str| -> Value {
            report["rows"]
                .as_array()
                .unwrap()
                .iter()
                .find(|r| r["group"] == group && r["category"] == category)
                .cloned()
                .unwrap_or_else(|| panic!("no row {group} {category}"))
        };
        let services = row("plaza-tv", "services");
        assert_eq!(
            (services["notices"].as_i64(), services["plays"].as_i64()),
            (Some(1), Some(3))
        );
        assert_eq!(services["screen_hours"], 1.25);
        assert_eq!(services["opens"], 0);
        assert_eq!(row("village-terminal", "services")["opens"], 2);
        // Per day and notice, with the title as on screens.
        let opens = h.get("/api/reports/opens?year=2026", &editor).await.json();
        assert_eq!(opens["rows"].as_array().unwrap().len(), 1, "{opens}");
        let opened = &opens["rows"][0];
        assert_eq!(
            (
                &opened["day"],
                &opened["notice_id"],
                &opened["group"],
                &opened["opens"]
            ),
            (
                &json!("2026-11-27"),
                &json!(ids[0]),
                &json!("village-terminal"),
                &json!(2)
            )
        );
        assert!(!opened["title"].as_str().unwrap().is_empty(), "{opened}");
        let r = h.get("/api/reports/opens?year=99", &editor).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(services["kind"], "tv");
        assert_eq!(services["category_name"], "其他及服务类信息");
        let reports = row("plaza-tv", "reports");
        assert_eq!(
            (reports["plays"].as_i64(), reports["screen_hours"].as_f64()),
            (Some(1), Some(1.0))
        );
        let led = row("service-hall-led", "services");
        assert_eq!(
            (led["kind"].as_str(), led["plays"].as_i64()),
            (Some("led"), Some(1))
        );
        assert_eq!(row("village-terminal", "policy")["plays"], 0);
        let last_year = h
            .get("/api/reports/disclosure?year=2025", &editor)
            .await
            .json();
        let total: i64 = last_year["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["plays"].as_i64().unwrap())
            .sum();
        assert_eq!(total, 0, "the record dated 2025 was refused");

        let csv = h
            .get("/api/reports/disclosure?year=2026&format=csv", &editor)
            .await;
        assert_eq!(csv.headers[header::CONTENT_TYPE], "text/csv; charset=utf-8");
        let text = csv.text();
        assert!(text.starts_with(
            "\u{feff}年度,频道,屏幕类型,类别代码,类别,公开信息条数,播放次数,屏幕小时,触屏查阅次数\r\n"
        ));
        assert!(
            text.contains("2026,plaza-tv,tv,services,其他及服务类信息,1,3,1.25,0\r\n"),
            "{text}"
        );
        // The paragraph for the annual report: the table's own counts, in the CSV's last line too.
        let paragraph = report["paragraph"].as_str().unwrap();
        let rows = report["rows"].as_array().unwrap();
        let sum = |kinds: &[&str], field: &str| -> i64 {
            rows.iter()
                .filter(|r| kinds.contains(&r["kind"].as_str().unwrap()))
                .map(|r| r[field].as_i64().unwrap())
                .sum()
        };
        assert!(
            paragraph.starts_with("2026年，通过LED显示屏、电视屏发布政府信息"),
            "{paragraph}"
        );
        assert!(
            paragraph.contains(&format!("播放{}次", sum(&["led", "tv"], "plays"))),
            "{paragraph}"
        );
        assert!(
            paragraph.contains(&format!("群众触屏查阅{}次", sum(&["terminal"], "opens"))),
            "{paragraph}"
        );
        let screens_notices: i64 = paragraph
            .split("发布政府信息")
            .nth(1)
            .and_then(|rest| rest.split('条').next())
            .and_then(|n| n.parse().ok())
            .unwrap();
        assert!(
            (1..=sum(&["led", "tv"], "notices")).contains(&screens_notices),
            "a notice counted once however many channels showed it: {paragraph}"
        );
        assert!(text.ends_with(&format!("{paragraph}\r\n")), "{text}");
        let r = h.get("/api/reports/disclosure?year=26", &editor).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let r = h.get("/api/reports/disclosure", &editor).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);

        let screens = h.get("/api/screens", &editor).await.json();
        let hall_row = screens
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["id"] == "hall-01")
            .unwrap();
        assert_eq!(hall_row["dropped"], 7);
        h.advance(Duration::minutes(4));
        let screens = h.get("/api/screens", &h.login("admin").await).await.json();
        assert!(
            screens
                .as_array()
                .unwrap()
                .iter()
                .all(|s| s["online"] == false)
        );
    });
}

/// The served envelope passes the screens' own trust rules, and verifies with an independent
/// Ed25519 implementation (ring), over a pre-authentication encoding computed here.
#[test]
fn served_feeds_verify_with_the_screens_rules_and_independently() {
    let h = office();
    run(async {
        let keys = h
            .request(Method::GET, "/feed/keys", None, None, None)
            .await
            .json();
        let public_b64 = keys["keys"][0]["public_key"].as_str().unwrap().to_string();
        let (envelope, _, doc) = h.feed("plaza-tv").await;
        let bytes = envelope.to_string().into_bytes();

        let trusted = TrustedKey::parse(&public_b64).unwrap();
        assert_eq!(keys["keys"][0]["key_id"], trusted.id.as_str());
        let feed = accept(
            &bytes,
            "test",
            &[trusted],
            "plaza-tv",
            &Accepted::default(),
            h.now(),
        )
        .expect("the screens accept the served feed");
        assert_eq!(feed.sequence, doc.sequence);

        let payload = BASE64
            .decode(envelope["payload"].as_str().unwrap())
            .unwrap();
        let payload_type = envelope["payloadType"].as_str().unwrap();
        let mut message = format!(
            "DSSEv1 {} {} {} ",
            payload_type.len(),
            payload_type,
            payload.len()
        )
        .into_bytes();
        message.extend_from_slice(&payload);
        let sig = BASE64
            .decode(envelope["signatures"][0]["sig"].as_str().unwrap())
            .unwrap();
        let public = BASE64.decode(&public_b64).unwrap();
        let key = ring::signature::UnparsedPublicKey::new(&ring::signature::ED25519, &public);
        key.verify(&message, &sig)
            .expect("ring verifies the signature");
        let mut tampered = message.clone();
        *tampered.last_mut().unwrap() ^= 1;
        assert!(key.verify(&tampered, &sig).is_err());
    });
}

#[test]
fn a_phone_sees_only_what_the_screens_show() {
    let h = office();
    run(async {
        let editor = h.login("王芳").await;
        let reviewer = h.login("李审核").await;
        let public = |id: String| {
            let h = &h;
            async move {
                h.request(Method::GET, &format!("/n/{id}"), None, None, None)
                    .await
            }
        };
        let mut first = notice("村民议事会通知", &["village-terminal"], T0, None);
        first["body"] = json!("定于本周五召开村民议事会。\n\n请各户派代表参加。");
        let id = h.post("/api/notices", &editor, first).await.json()["id"]
            .as_str()
            .unwrap()
            .to_string();
        // A draft, then a submitted notice: not public.
        assert_eq!(public(id.clone()).await.status, StatusCode::NOT_FOUND);
        h.post(&format!("/api/notices/{id}/submit"), &editor, json!({}))
            .await;
        assert_eq!(public(id.clone()).await.status, StatusCode::NOT_FOUND);
        let approve = json!({"revision": 1, "confidentiality_confirmed": true});
        let r = h
            .post(&format!("/api/notices/{id}/approve"), &reviewer, approve)
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let page = public(id.clone()).await;
        assert_eq!(page.status, StatusCode::OK);
        let text = page.text();
        assert!(
            text.contains("村民议事会通知") && text.contains("请各户派代表参加"),
            "{text}"
        );

        // An edit waiting for review stays off the phone, as it stays off the screens.
        let mut second = notice("村民议事会通知", &["village-terminal"], T0, None);
        second["body"] = json!("内部讨论稿：尚未审核的文字。");
        h.put(&format!("/api/notices/{id}"), &editor, second).await;
        let text = public(id.clone()).await.text();
        assert!(
            text.contains("请各户派代表参加") && !text.contains("尚未审核"),
            "{text}"
        );

        // Withdrawn: gone. Unknown: not found either, with a page a resident can read.
        h.post(
            &format!("/api/notices/{id}/withdraw"),
            &editor,
            json!({"reason": "改期"}),
        )
        .await;
        let gone = public(id.clone()).await;
        assert_eq!(gone.status, StatusCode::NOT_FOUND);
        assert!(gone.text().contains("已不在公示期"));
        assert_eq!(
            public("2099-9999".into()).await.status,
            StatusCode::NOT_FOUND
        );
    });
}

/// `?wait=SEQ` (long polling): a screen behind is answered at once; one that is current waits
/// the long-poll time and gets 304; every answer says that the service holds requests, so that
/// screens use it and fall back to plain polling elsewhere.
#[test]
fn a_screen_waiting_for_a_newer_feed_gets_it_at_once_or_304_after_the_hold() {
    let h = common::service::Harness::with_options(
        "2026-11-27T09:00:00+08:00",
        noticecast::service::Options {
            long_poll: Some(std::time::Duration::from_secs(1)),
            ..Default::default()
        },
    );
    common::service::run(async {
        let (_, _, doc) = h.feed("plaza-tv").await;
        let behind = h
            .request(
                Method::GET,
                &format!("/feed/plaza-tv?wait={}", doc.sequence - 1),
                None,
                None,
                None,
            )
            .await;
        assert_eq!(behind.status, StatusCode::OK);
        assert_eq!(behind.headers["x-noticecast-long-poll"], "1");
        let current = h
            .request(
                Method::GET,
                &format!("/feed/plaza-tv?wait={}", doc.sequence),
                None,
                None,
                None,
            )
            .await;
        assert_eq!(current.status, StatusCode::NOT_MODIFIED);
        assert_eq!(current.headers["x-noticecast-long-poll"], "1");
        let bad = h
            .request(Method::GET, "/feed/plaza-tv?wait=soon", None, None, None)
            .await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    });
}

/// A personnel notice must not show part of a name as 〓: with a character no bundled font has
/// it cannot be approved (422, the character named); 𠇔, drawn by the fallback face, can.
#[test]
fn a_personnel_notice_with_an_undrawable_name_cannot_be_approved() {
    let h = Harness::new("2026-11-27T09:00:00+08:00");
    h.add_user("王芳", Role::Editor);
    h.add_user("李审核", Role::Reviewer);
    run(async {
        let editor = h.login("王芳").await;
        let reviewer = h.login("李审核").await;
        let mut ids = Vec::new();
        for name in ["刘\u{201D4}", "王\u{2EBF0}"] {
            let mut n = notice(
                "关于干部任职前公示的公告",
                &["plaza-tv"],
                "2026-11-27T09:00:00+08:00",
                None,
            );
            n["category"] = "personnel".into();
            n["body"] = format!("拟任命{name}同志为区教育局副局长，现予公示。").into();
            let r = h.post("/api/notices", &editor, n).await;
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
            let id = r.json()["id"].as_str().unwrap().to_string();
            h.post(&format!("/api/notices/{id}/submit"), &editor, json!({}))
                .await;
            ids.push(id);
        }
        let approve = json!({"revision": 1, "confidentiality_confirmed": true});
        let r = h
            .post(
                &format!("/api/notices/{}/approve", ids[0]),
                &reviewer,
                approve.clone(),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "𠇔 is drawn: {}", r.text());
        let r = h
            .post(
                &format!("/api/notices/{}/approve", ids[1]),
                &reviewer,
                approve,
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
        assert!(
            r.text().contains('\u{2EBF0}') && r.text().contains("body"),
            "{}",
            r.text()
        );
        let (_, _, feed) = h.feed("plaza-tv").await;
        assert!(feed.notices.iter().any(|n| n.id == ids[0]));
        assert!(feed.notices.iter().all(|n| n.id != ids[1]));
    });
}

/// Issue 27: a resident ID number or a bank card number never reaches a public screen. A draft
/// may hold one (the clerk is still writing); submitting it is refused naming the field, where
/// the number starts and its masked form; the masked text passes and is published.
#[test]
fn an_id_number_or_a_bank_card_cannot_be_submitted_or_approved() {
    let h = Harness::new("2026-11-27T09:00:00+08:00");
    h.add_user("王芳", Role::Editor);
    h.add_user("李审核", Role::Reviewer);
    run(async {
        let editor = h.login("王芳").await;
        let reviewer = h.login("李审核").await;
        let mut n = notice(
            "拟录用人员公示",
            &["plaza-tv"],
            "2026-11-27T09:00:00+08:00",
            None,
        );
        n["body"] = "张三，身份证号530402199003072317，拟录用为科员。".into();
        n["contact"] = "退款账户 6222 0212 3456 7890 128".into();
        let r = h.post("/api/notices", &editor, n.clone()).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        let id = r.json()["id"].as_str().unwrap().to_string();
        let r = h
            .post(&format!("/api/notices/{id}/submit"), &editor, json!({}))
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
        let problems = r.json()["problems"].clone();
        assert_eq!(problems[0]["field"], "body", "{problems}");
        let why = problems[0]["reason"].as_str().unwrap();
        assert!(
            why.contains("character 8") && why.contains("5304**********2317"),
            "{why}"
        );
        assert_eq!(problems[1]["field"], "contact", "{problems}");
        assert!(
            problems[1]["reason"]
                .as_str()
                .unwrap()
                .contains("bank card")
        );

        // Masked as a 公示 shows it, the same notice goes through.
        n["body"] = "张三，身份证号5304**********2317，拟录用为科员。".into();
        n["contact"] = "退款账户 6222***********0128".into();
        let r = h.put(&format!("/api/notices/{id}"), &editor, n).await;
        assert!(r.status.is_success(), "{}", r.text());
        let r = h
            .post(&format!("/api/notices/{id}/submit"), &editor, json!({}))
            .await;
        assert!(r.status.is_success(), "{}", r.text());
        let approve = json!({"revision": 2, "confidentiality_confirmed": true});
        let r = h
            .post(&format!("/api/notices/{id}/approve"), &reviewer, approve)
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let (_, _, feed) = h.feed("plaza-tv").await;
        let shown = feed.notices.iter().find(|x| x.id == id).unwrap();
        assert!(!shown.body.contains("530402199003072317"));

        // A mobile number may be the office's own: a warning at saving, with its masked form;
        // an office number with its area code is none.
        let mut n = notice("报名须知", &["plaza-tv"], "2026-11-27T09:00:00+08:00", None);
        n["contact"] = "联系人李四 13812345678，办公室 0871-65123456".into();
        let r = h.post("/api/notices", &editor, n).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        let personal = r.json()["personal"].clone();
        assert_eq!(personal.as_array().unwrap().len(), 1, "{personal}");
        assert_eq!(personal[0]["field"], "contact");
        assert_eq!(personal[0]["at"], 7);
        assert_eq!(personal[0]["masked"], "1381***5678");
    });
}

/// A table pasted from Word (tab-separated lines) is kept as it is; a row with another number of
/// cells than the header is a 422 naming the field and the line, in English and Chinese.
#[test]
fn a_pasted_table_is_kept_and_a_ragged_one_is_refused_naming_its_line() {
    let h = Harness::new("2026-11-27T09:00:00+08:00");
    h.add_user("王芳", Role::Editor);
    run(async {
        let editor = h.login("王芳").await;
        let mut n = notice(
            "拟录用人员公示",
            &["plaza-tv"],
            "2026-11-27T09:00:00+08:00",
            None,
        );
        let table = "姓名\t性别\t毕业院校\n张三\t男\t云南大学\n李四\t女\t昆明理工大学";
        n["body"] = format!("拟录用以下人员：\n\n{table}\n\n公示期为7个工作日。").into();
        let r = h.post("/api/notices", &editor, n.clone()).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        let id = r.json()["id"].as_str().unwrap().to_string();
        let r = h.get(&format!("/api/notices/{id}"), &editor).await;
        assert!(r.text().contains("张三\\t男\\t云南大学"), "{}", r.text());

        n["body"] = "拟录用以下人员：\n\n姓名\t性别\n张三\t男\t云南大学".into();
        let r = h.post("/api/notices", &editor, n).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
        let problem = r.json()["problems"][0].clone();
        assert_eq!(problem["field"], "body", "{problem}");
        let why = problem["reason"].as_str().unwrap();
        assert!(why.contains("line 4") && why.contains("3 cells"), "{why}");
        let zh = problem["reason_zh"].as_str().unwrap();
        assert!(zh.contains("第 4 行") && zh.contains("表头有 2 格"), "{zh}");
    });
}

/// Issue 15, 三员分立, as the accounts issue left it: the system administrator adds accounts
/// (no role, a one-time code) and keeps editors' and reviewers' passwords and states, the
/// security administrator grants editor and reviewer (never to themselves), administrators are
/// the host's to appoint and reset, the auditor alone reads the audit log; each step is in the
/// log with its actor. (The abuses themselves: tests/accounts.rs.)
#[test]
fn three_administrators_each_keep_their_own() {
    let h = office();
    run(async {
        let sysadmin = h.login("admin").await;
        let secadmin = h.login("安全员").await;
        let auditor = h.login("审计员").await;
        // The system administrator adds an account: no role, a one-time code.
        let r = h
            .post("/api/users", &sysadmin, json!({"name": "sun"}))
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        assert_eq!(r.json()["role"], "none");
        let code = r.json()["one_time_code"].as_str().unwrap().to_string();
        // Nobody else adds users.
        for who in [&secadmin, &auditor] {
            let r = h.post("/api/users", who, json!({"name": "qian"})).await;
            assert_eq!(r.status, StatusCode::FORBIDDEN);
        }
        // Its owner chooses a password; the security administrator grants a role; not an
        // administrator's, not to themselves; the sysadmin grants none.
        let r = h
            .request(
                Method::POST,
                "/api/login",
                None,
                None,
                Some(json!({"name": "sun", "password": code})),
            )
            .await;
        let sun = Staff {
            cookie: r.headers[header::SET_COOKIE]
                .to_str()
                .unwrap()
                .split(';')
                .next()
                .unwrap()
                .to_string(),
            csrf: r.json()["csrf_token"].as_str().unwrap().to_string(),
        };
        let r = h
            .put(
                "/api/me/password",
                &sun,
                json!({"current": code, "new": "a long password 2026"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text());
        let r = h
            .put("/api/users/sun", &secadmin, json!({"role": "auditor"}))
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let r = h
            .put("/api/users/sun", &secadmin, json!({"role": "reviewer"}))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        assert_eq!(r.json()["role"], "reviewer");
        let r = h
            .put("/api/users/安全员", &secadmin, json!({"role": "editor"}))
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        assert!(r.text().contains("themselves"), "{}", r.text());
        let r = h
            .put("/api/users/王芳", &sysadmin, json!({"role": "reviewer"}))
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        // Passwords and states: the sysadmin for editors and reviewers, nobody for the
        // administrators.
        let r = h
            .put(
                "/api/users/王芳",
                &sysadmin,
                json!({"reset_password": true}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        assert!(r.json()["one_time_code"].is_string());
        let r = h
            .put(
                "/api/users/审计员",
                &sysadmin,
                json!({"reset_password": true}),
            )
            .await;
        assert_eq!(
            r.status,
            StatusCode::FORBIDDEN,
            "the sysadmin cannot become the auditor"
        );
        let r = h
            .put("/api/users/sun", &sysadmin, json!({"disabled": true}))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let r = h
            .put("/api/users/李审核", &secadmin, json!({"disabled": true}))
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        // Setting the role it has is no grant: the console's form always sends it.
        let r = h
            .put(
                "/api/users/李审核",
                &sysadmin,
                json!({"role": "reviewer", "disabled": false}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        // The auditor alone reads the log, and changes nothing.
        for who in [&sysadmin, &secadmin] {
            assert_eq!(h.get("/api/audit", who).await.status, StatusCode::FORBIDDEN);
        }
        let r = h
            .put("/api/users/李审核", &auditor, json!({"disabled": true}))
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let log = h.get("/api/audit", &auditor).await.json();
        let steps: Vec<(String, String, String)> = log
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["action"].as_str().unwrap().starts_with("user."))
            .map(|e| {
                (
                    e["actor"].as_str().unwrap().to_string(),
                    e["subject"].as_str().unwrap().to_string(),
                    e["detail"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        for (actor, subject, detail) in [
            (
                "admin",
                "user sun",
                "none; a one-time code, to be replaced at the first login",
            ),
            (
                "sun",
                "user sun",
                "changed their own password (replacing a one-time code); 0 other sessions ended",
            ),
            ("安全员", "user sun", "role reviewer"),
            (
                "admin",
                "user 王芳",
                "password reset to a one-time code; role editor suspended until the security \
                 administrator grants it again",
            ),
            ("admin", "user sun", "disabled"),
        ] {
            assert!(
                steps
                    .iter()
                    .any(|(a, s, d)| a == actor && s == subject && d == detail),
                "{actor} {subject} {detail}: {steps:?}"
            );
        }
    });
}

/// Issue 15, 提级审核: a group whose policy asks for two reviewers during a major event gets a
/// notice shown then only after two different reviewers (neither the author) approved it; the
/// queue says 1/2 meanwhile; outside the event one reviewer is enough; only the security
/// administrator sets the policy.
#[test]
fn a_major_events_group_needs_two_reviewers() {
    let h = office();
    run(async {
        let editor = h.login("王芳").await;
        let li = h.login("李审核").await;
        let chen = h.login("chen").await;
        let sysadmin = h.login("admin").await;
        let secadmin = h.login("安全员").await;
        let policy = json!({"reviews": 2, "periods": [{"from": "2026-12-01", "to": "2026-12-03"}]});
        let r = h
            .put("/api/groups/plaza-tv/policy", &sysadmin, policy.clone())
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let bad = json!({"reviews": 2, "periods": [{"from": "2026-12-03", "to": "2026-12-01"}]});
        let r = h.put("/api/groups/plaza-tv/policy", &secadmin, bad).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().contains("periods[0]"), "{}", r.text());
        let r = h
            .put("/api/groups/plaza-tv/policy", &secadmin, policy.clone())
            .await;
        assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text());
        assert_eq!(
            h.get("/api/groups/plaza-tv/policy", &editor).await.json(),
            json!({
                "reviews": 2, "periods": [{"from": "2026-12-01", "to": "2026-12-03"}], "categories": []
            })
        );

        let write = |title: &'static str, from: &'static str, until: &'static str| {
            let h = &h;
            let editor = &editor;
            async move {
                let id = h
                    .post(
                        "/api/notices",
                        editor,
                        notice(title, &["plaza-tv", "service-hall-led"], from, Some(until)),
                    )
                    .await
                    .json()["id"]
                    .as_str()
                    .unwrap()
                    .to_string();
                let r = h
                    .post(&format!("/api/notices/{id}/submit"), editor, json!({}))
                    .await;
                assert_eq!(r.status, StatusCode::OK, "{}", r.text());
                id
            }
        };
        let approve = |id: String, who| {
            let h = &h;
            async move {
                h.post(
                    &format!("/api/notices/{id}/approve"),
                    who,
                    json!({"revision": 1, "confidentiality_confirmed": true}),
                )
                .await
            }
        };
        let live = |title: &'static str| {
            let h = &h;
            async move {
                h.feed("plaza-tv")
                    .await
                    .2
                    .notices
                    .iter()
                    .any(|n| n.title == title)
            }
        };

        // Shown during the event: the first approval is 1 of 2 and publishes nothing.
        let id = write(
            "活动期间交通管制通告",
            "2026-11-30T09:00:00+08:00",
            "2026-12-02T18:00:00+08:00",
        )
        .await;
        let r = approve(id.clone(), &li).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let detail = r.json();
        let revision = &detail["revisions"][0];
        assert_eq!(revision["status"], "submitted");
        assert_eq!(revision["reviews_required"], 2);
        assert_eq!(revision["approvals"], json!(["李审核"]));
        assert!(!live("活动期间交通管制通告").await);
        // Not twice by the same reviewer; the queue page shows 1/2.
        let r = approve(id.clone(), &li).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());
        let queue = h
            .request(Method::GET, "/console/review", Some(&chen), None, None)
            .await
            .text();
        assert!(queue.contains("1/2"), "{queue}");
        // A second, different reviewer: live.
        let r = approve(id.clone(), &chen).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        assert_eq!(r.json()["revisions"][0]["status"], "approved");
        assert!(live("活动期间交通管制通告").await);

        // Shown only before the event: one reviewer, as always.
        let id = write(
            "十一月便民通知",
            "2026-11-28T09:00:00+08:00",
            "2026-11-30T18:00:00+08:00",
        )
        .await;
        let r = approve(id, &li).await;
        assert_eq!(r.json()["revisions"][0]["status"], "approved");
        assert!(live("十一月便民通知").await);

        // The database refuses a single approval where two are needed, whatever the code does.
        let id = write(
            "活动期间停车安排",
            "2026-12-01T09:00:00+08:00",
            "2026-12-03T18:00:00+08:00",
        )
        .await;
        // Outside a transaction: PostgreSQL, unlike SQLite, ends a transaction at its first
        // failed statement.
        let refused = h.service.record(|conn, _| {
            Ok(conn.execute(
                "UPDATE revisions SET status = 'approved', reviewer_id = (SELECT id FROM users WHERE name = 'chen'),
                        confidentiality_confirmed = 1, reviews_required = 2
                 WHERE notice_id = ?1",
                [&id],
            ))
        });
        assert!(refused.unwrap().is_err(), "the trigger refuses it");

        // The log says who approved what, 1 of 2 and 2 of 2, and who set the policy.
        let log = h.get("/api/audit", &h.login("审计员").await).await.text();
        for expected in [
            "1 of 2 reviewers",
            "2 of 2 reviewers",
            "group.policy",
            "2 reviewers during 2026-12-01..2026-12-03",
        ] {
            assert!(log.contains(expected), "{expected}: {log}");
        }
    });
}

/// Issue 28: half-width punctuation in Chinese text and a foreign middle dot come back as
/// warnings from create, edit, check and submit, each with its field, line, character, what to
/// write and the sentence in both languages; the notice is published all the same.
#[test]
fn half_width_punctuation_is_a_warning_with_field_line_and_character() {
    let h = office();
    run(async {
        let editor = h.login("王芳").await;
        let reviewer = h.login("李审核").await;
        let mut n = notice("关于冬季防火的通知", &["plaza-tv"], T0, None);
        n["body"] = "各村:\n\n截至12月1日,共检查1,286户.\n\n检查员:热依拉•艾买提".into();
        n["contact"] = "值班电话:0871-65123456".into();
        let r = h.post("/api/notices", &editor, n.clone()).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        let created = r.json();
        let id = created["id"].as_str().unwrap().to_string();
        let said: Vec<(String, u64, u64, String, String)> = created["punctuation"]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| {
                (
                    w["field"].as_str().unwrap().to_string(),
                    w["line"].as_u64().unwrap(),
                    w["column"].as_u64().unwrap(),
                    w["found"].as_str().unwrap().to_string(),
                    w["replacement"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        let want = [
            ("body", 1, 3, ":", "："),
            ("body", 3, 8, ",", "，"),
            ("body", 3, 18, ".", "。"),
            ("body", 5, 4, ":", "："),
            ("body", 5, 8, "•", "·"),
            ("contact", 1, 5, ":", "："),
        ];
        let want: Vec<(String, u64, u64, String, String)> = want
            .iter()
            .map(|(f, l, c, a, b)| (f.to_string(), *l, *c, a.to_string(), b.to_string()))
            .collect();
        assert_eq!(said, want, "{created}");
        assert_eq!(
            created["punctuation"][1]["reason"],
            "line 3, character 8: a half-width comma ',' in Chinese text; use '，'"
        );
        assert_eq!(
            created["punctuation"][1]["reason_zh"],
            "第 3 行第 8 个字：中文里用了半角逗号“,”，应为全角“，”"
        );

        let r = h.post("/api/notices/check", &editor, n.clone()).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        assert_eq!(r.json()["punctuation"].as_array().unwrap().len(), 6);

        // Edited, one mark fewer; submitted and approved with the rest: warnings only.
        n["contact"] = "值班电话：0871-65123456".into();
        let r = h.put(&format!("/api/notices/{id}"), &editor, n).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        assert_eq!(r.json()["punctuation"].as_array().unwrap().len(), 5);
        let r = h
            .post(&format!("/api/notices/{id}/submit"), &editor, json!({}))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        assert_eq!(r.json()["punctuation"].as_array().unwrap().len(), 5);
        let approve = json!({"revision": 2, "confidentiality_confirmed": true});
        let r = h
            .post(&format!("/api/notices/{id}/approve"), &reviewer, approve)
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let (_, _, feed) = h.feed("plaza-tv").await;
        assert!(feed.notices.iter().any(|x| x.id == id));

        // Full-width text has none.
        let r = h
            .post(
                "/api/notices/check",
                &editor,
                notice("关于冬季防火的通知", &["plaza-tv"], T0, None),
            )
            .await;
        assert_eq!(r.json()["punctuation"], json!([]));
    });
}
