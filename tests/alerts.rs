//! Warnings from the warning system: CAP 1.2 and GB/T 35965.1 messages posted by an alert source
//! become emergency notices on the screens of their area; Update, Cancel, duplicates, every
//! refusal; a group's blackout. The fixtures in tests/vectors/alerts are fictional.

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use common::service::{Harness, Reply};
use noticecast::model::{Level, Priority};
use noticecast::service::alerts::{self, Publish};
use noticecast::service::auth::Role;
use serde_json::json;

fn fixture(name: &str) -> String {
    std::fs::read_to_string(common::path(&format!("tests/vectors/alerts/{name}"))).unwrap()
}

/// A service on 2026-11-29 with the seeded groups, plaza-tv covering 330102 and the village
/// terminal 330105, and one source.
fn harness(publish: Publish) -> (Harness, String) {
    let h = Harness::new("2026-11-29T08:00:05+08:00");
    h.add_user("admin", Role::Sysadmin);
    h.add_user("李审核", Role::Reviewer);
    h.add_user("审计员", Role::Auditor);
    let admin = noticecast::service::auth::User {
        id: 0,
        name: "test".into(),
        role: Role::Sysadmin,
        must_change_password: false,
    };
    let token = h
        .service
        .change(|conn, now| {
            noticecast::service::groups::set_areas(
                conn,
                &admin,
                "plaza-tv",
                &["330102".into()],
                now,
            )?;
            noticecast::service::groups::set_areas(
                conn,
                &admin,
                "village-terminal",
                &["330105".into()],
                now,
            )?;
            alerts::add_source(conn, "test", "qxt", publish, now)
        })
        .unwrap();
    (h, token)
}

async fn post_alert(h: &Harness, token: Option<&str>, xml: &str) -> Reply {
    let mut builder = Request::builder()
        .method(Method::POST)
        .uri("/api/alerts")
        .header(header::CONTENT_TYPE, "application/cap+xml");
    if let Some(token) = token {
        builder = builder.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    h.send(builder.body(Body::from(xml.to_string())).unwrap())
        .await
}

#[test]
fn a_cap_alert_from_a_direct_source_is_on_its_areas_screens_at_once() {
    common::service::run(async {
        let (h, token) = harness(Publish::Direct);
        let (_, _, before) = h.feed("plaza-tv").await;
        let r = post_alert(&h, Some(&token), &fixture("cap-rainstorm-alert.xml")).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        let outcome = r.json();
        assert_eq!(outcome["result"], "published");
        assert_eq!(outcome["groups"], json!(["plaza-tv", "village-terminal"]));
        let id = outcome["notice"].as_str().unwrap().to_string();

        let (_, _, feed) = h.feed("plaza-tv").await;
        assert!(feed.sequence > before.sequence);
        let n = feed
            .notices
            .iter()
            .find(|n| n.id == id)
            .expect("in the feed");
        assert_eq!(n.priority, Priority::Emergency);
        assert_eq!(n.level, Some(Level::Orange));
        assert_eq!(n.title, "云岭区气象台发布暴雨橙色预警信号");
        assert_eq!(n.issuer, "云岭区气象台");
        assert_eq!(n.alert_id.as_deref(), Some("YL-QXT-20261129-0001"));
        assert!(
            n.instruction
                .as_deref()
                .unwrap()
                .starts_with("停止户外集体活动")
        );
        assert!(n.contact.as_deref().unwrap().contains("110"));
        assert_eq!(
            n.valid_until.unwrap().to_rfc3339(),
            "2026-11-30T20:00:00+08:00"
        );
        // A group outside the area does not get it.
        let (_, _, led) = h.feed("service-hall-led").await;
        assert!(led.notices.iter().all(|n| n.id != id));

        // The audit log names the source and the identifier.
        let audit = h.get("/api/audit", &h.login("审计员").await).await.json();
        let entry = audit
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["action"] == "alert.published")
            .expect("audited");
        assert_eq!(entry["actor"], "预警源:qxt");
        assert!(
            entry["detail"]
                .as_str()
                .unwrap()
                .contains("identifier YL-QXT-20261129-0001"),
            "{entry}"
        );

        // The same identifier again: 200 duplicate, nothing changes.
        let (_, etag, _) = h.feed("plaza-tv").await;
        let r = post_alert(&h, Some(&token), &fixture("cap-rainstorm-alert.xml")).await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(r.json()["result"], "duplicate");
        assert_eq!(r.json()["notice"], id.as_str());
        assert_eq!(h.feed("plaza-tv").await.1, etag);

        // Update: the same notice, now red, with the new instruction.
        h.advance(chrono::Duration::hours(3));
        let r = post_alert(&h, Some(&token), &fixture("cap-rainstorm-update.xml")).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        assert_eq!(r.json()["result"], "updated");
        assert_eq!(r.json()["notice"], id.as_str());
        let (_, _, feed) = h.feed("plaza-tv").await;
        let mine: Vec<_> = feed.notices.iter().filter(|n| n.id == id).collect();
        assert_eq!(mine.len(), 1, "replaced, not added");
        assert_eq!(mine[0].level, Some(Level::Red));
        assert!(
            mine[0]
                .instruction
                .as_deref()
                .unwrap()
                .starts_with("立即转移")
        );

        // Cancel: off every screen.
        let r = post_alert(&h, Some(&token), &fixture("cap-rainstorm-cancel.xml")).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        assert_eq!(r.json()["result"], "cancelled");
        for group in ["plaza-tv", "village-terminal"] {
            let (_, _, feed) = h.feed(group).await;
            assert!(feed.notices.iter().all(|n| n.id != id), "{group}");
        }
    });
}

#[test]
fn a_gb_35965_alert_for_a_city_reaches_the_groups_inside_it() {
    common::service::run(async {
        let (h, token) = harness(Publish::Direct);
        let r = post_alert(&h, Some(&token), &fixture("gb35965-typhoon-alert.xml")).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        // 330100 contains both 330102 and 330105.
        assert_eq!(r.json()["groups"], json!(["plaza-tv", "village-terminal"]));
        let id = r.json()["notice"].as_str().unwrap().to_string();
        let (_, _, feed) = h.feed("village-terminal").await;
        let n = feed.notices.iter().find(|n| n.id == id).unwrap();
        assert_eq!(n.level, Some(Level::Yellow));
        assert_eq!(n.valid_from.to_rfc3339(), "2026-11-29T07:30:00+08:00");
    });
}

#[test]
fn a_review_source_waits_at_the_top_of_the_review_queue() {
    common::service::run(async {
        let (h, token) = harness(Publish::Review);
        h.add_user("王芳", Role::Editor);
        let editor = h.login("王芳").await;
        // An editor's submission first, so the alert is the newer one and must still come first.
        let r = h
            .post(
                "/api/notices",
                &editor,
                common::service::notice(
                    "冬季用电安全提示",
                    &["plaza-tv"],
                    "2026-11-29T08:00:00+08:00",
                    None,
                ),
            )
            .await;
        let editors = r.json()["id"].as_str().unwrap().to_string();
        h.post(
            &format!("/api/notices/{editors}/submit"),
            &editor,
            json!({}),
        )
        .await;
        h.advance(chrono::Duration::minutes(1));

        let r = post_alert(&h, Some(&token), &fixture("cap-rainstorm-alert.xml")).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        assert_eq!(r.json()["result"], "submitted");
        let id = r.json()["notice"].as_str().unwrap().to_string();
        let (_, _, feed) = h.feed("plaza-tv").await;
        assert!(feed.notices.iter().all(|n| n.id != id), "not before review");

        let reviewer = h.login("李审核").await;
        let queue = h
            .get("/api/notices?state=submitted", &reviewer)
            .await
            .json();
        let ids: Vec<&str> = queue
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["id"].as_str().unwrap())
            .collect();
        assert_eq!(ids.first(), Some(&id.as_str()), "{ids:?}");
        let r = h
            .post(
                &format!("/api/notices/{id}/approve"),
                &reviewer,
                json!({"revision": 1, "confidentiality_confirmed": true}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        assert_eq!(r.json()["revisions"][0]["author"], "预警源:qxt");
        let (_, _, feed) = h.feed("plaza-tv").await;
        assert!(
            feed.notices.iter().any(|n| n.id == id),
            "on screens once approved"
        );
    });
}

#[test]
fn every_refusal_says_why() {
    common::service::run(async {
        let (h, token) = harness(Publish::Direct);
        let cap = fixture("cap-rainstorm-alert.xml");
        // No token, an unknown token: 401.
        let r = post_alert(&h, None, &cap).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.text());
        let r = post_alert(&h, Some("ncs_not-a-token"), &cap).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.text());
        // Bad XML: 400 with the reason.
        let r = post_alert(&h, Some(&token), "<alert><identifier>x</alert>").await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert!(r.text().contains("not well-formed XML"), "{}", r.text());
        let r = post_alert(
            &h,
            Some(&token),
            &cap.replace("<headline>", "<title>")
                .replace("</headline>", "</title>")
                .replace("<event>暴雨</event>", ""),
        )
        .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert!(r.text().contains("<headline>"), "{}", r.text());
        // An area no group has: 422 naming the codes.
        let elsewhere = cap.replace("330102", "440304").replace("330105", "440305");
        let r = post_alert(&h, Some(&token), &elsewhere).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            r.text().contains("440304, 440305"),
            "the codes are named: {}",
            r.text()
        );
        // An Update of an alert never received: 422.
        let r = post_alert(&h, Some(&token), &fixture("cap-rainstorm-update.xml")).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
        assert!(r.text().contains("references"), "{}", r.text());
        // A test message is not shown on public screens.
        let test = cap
            .replace("<status>Actual", "<status>Test")
            .replace("0001", "0009");
        let r = post_alert(&h, Some(&token), &test).await;
        assert_eq!(r.json()["result"], "ignored");
        // Nothing of the above reached a feed.
        let (_, _, feed) = h.feed("plaza-tv").await;
        assert!(feed.notices.iter().all(|n| n.alert_id.is_none()));
    });
}

#[test]
fn a_blackout_holds_the_group_on_standby_until_lifted() {
    common::service::run(async {
        let (h, _) = harness(Publish::Direct);
        let admin = h.login("admin").await;
        let (_, _, before) = h.feed("plaza-tv").await;
        assert!(before.blackout.is_none());
        let r = h
            .post(
                "/api/groups/plaza-tv/blackout",
                &admin,
                json!({"on": true, "reason": "屏幕被篡改，待检修"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text());
        let (_, _, feed) = h.feed("plaza-tv").await;
        assert!(feed.sequence > before.sequence);
        assert!(feed.blackout.is_some());
        // The screens show the neutral page and nothing plays.
        let feed = noticecast::model::Feed::validate(feed, "feed").unwrap();
        let mut show = noticecast::show::Show::new(
            noticecast::layout::Typesetter::new(common::fonts()),
            feed,
            common::playlist("plaza-tv"),
        );
        let (slot, frame) = show.frame_at(h.now());
        assert!(show.notice_of(&slot).is_none());
        let text: String = frame.chars().collect();
        assert!(text.contains(noticecast::layout::BLACKOUT), "{text}");
        // Twice is a conflict; lifting it is another audited action.
        let again = json!({"on": true});
        let r = h.post("/api/groups/plaza-tv/blackout", &admin, again).await;
        assert_eq!(r.status, StatusCode::CONFLICT);
        let r = h
            .post(
                "/api/groups/plaza-tv/blackout",
                &admin,
                json!({"on": false}),
            )
            .await;
        assert_eq!(r.status, StatusCode::NO_CONTENT);
        assert!(h.feed("plaza-tv").await.2.blackout.is_none());
        let audit = h.get("/api/audit", &h.login("审计员").await).await.json();
        let actions: Vec<&str> = audit
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["action"].as_str().unwrap())
            .collect();
        assert!(actions.contains(&"group.blackout") && actions.contains(&"group.blackout_lift"));
    });
}
