//! Warnings from the warning system: CAP 1.2 and GB/T 35965.1 messages posted by an alert source
//! become emergency notices on the screens of their area; Update, Cancel, duplicates, every
//! refusal; a group's blackout. The fixtures in tests/vectors/alerts are fictional.

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use common::service::{Harness, Reply};
use noticecast::model::{Level, Priority};
use noticecast::service::domain::accounts::Role;
use noticecast::service::domain::alerts::{self, Publish};
use serde_json::json;

/// The security administrator who manages sources (on the host, the command line acts as one).
fn secadmin() -> noticecast::service::domain::accounts::User {
    noticecast::service::domain::accounts::User {
        id: 0,
        name: "test".into(),
        role: Role::Secadmin,
        must_change_password: false,
    }
}

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
    let admin = noticecast::service::domain::accounts::User {
        id: 0,
        name: "test".into(),
        role: Role::Sysadmin,
        must_change_password: false,
    };
    let token = h
        .service
        .change(|conn, now| {
            noticecast::service::domain::groups::set_areas(
                conn,
                &admin,
                "plaza-tv",
                &["330102".into()],
                now,
            )?;
            noticecast::service::domain::groups::set_areas(
                conn,
                &admin,
                "village-terminal",
                &["330105".into()],
                now,
            )?;
            // The city (3301) and every district in it.
            alerts::add_source(conn, &secadmin(), "qxt", publish, &["330100".into()], now)
        })
        .unwrap();
    (h, token)
}

/// The plaza's group covering 330102, and a direct source for the city (3301): its token.
fn plaza_source(h: &Harness) -> String {
    let admin = noticecast::service::domain::accounts::User {
        id: 0,
        name: "test".into(),
        role: Role::Sysadmin,
        must_change_password: false,
    };
    h.service
        .change(|conn, now| {
            noticecast::service::domain::groups::set_areas(
                conn,
                &admin,
                "plaza-tv",
                &["330102".into()],
                now,
            )?;
            alerts::add_source(
                conn,
                &secadmin(),
                "qxt",
                Publish::Direct,
                &["330100".into()],
                now,
            )
        })
        .unwrap()
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
        // An area of its remit that no group has: 422 naming the codes.
        let elsewhere = cap.replace("330102", "330106").replace("330105", "330108");
        let r = post_alert(&h, Some(&token), &elsewhere).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            r.text().contains("330106, 330108"),
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

/// Alerts: any source token could put a red full-screen warning on every group. A source has a
/// remit now; a warning for an area outside it is refused, naming the codes outside.
#[test]
fn a_source_outside_its_remit_is_refused() {
    common::service::run(async {
        let (h, token) = harness(Publish::Direct);
        let cap = fixture("cap-rainstorm-alert.xml");
        // 330102 is in its remit (the city 330100), 440304 is not: refused whole.
        let r = post_alert(&h, Some(&token), &cap.replace("330105", "440304")).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
        assert!(r.text().contains("440304"), "{}", r.text());
        assert!(
            !r.text().contains("330102,"),
            "only the codes outside: {}",
            r.text()
        );
        // A province-wide warning from a city's source is outside it too.
        let r = post_alert(
            &h,
            Some(&token),
            &cap.replace("330102", "330000").replace("330105", "330000"),
        )
        .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
        // A source for one district may warn that district only.
        let village = h
            .service
            .change(|conn, now| {
                alerts::add_source(
                    conn,
                    &secadmin(),
                    "xikou",
                    Publish::Direct,
                    &["330105".into()],
                    now,
                )
            })
            .unwrap();
        let r = post_alert(&h, Some(&village), &cap).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
        assert!(r.text().contains("330102"), "{}", r.text());
        let (_, _, feed) = h.feed("plaza-tv").await;
        assert!(
            feed.notices.iter().all(|n| n.alert_id.is_none()),
            "nothing shown"
        );
        // Within its remit it goes through.
        let r = post_alert(&h, Some(&village), &cap.replace("330102", "330105")).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        assert_eq!(r.json()["groups"], json!(["village-terminal"]));
        // The listing shows each source's remit.
        h.add_user("安全员", Role::Secadmin);
        let list = h.get("/api/sources", &h.login("安全员").await).await.json();
        let remit = |name: &str| {
            list.as_array()
                .unwrap()
                .iter()
                .find(|s| s["name"] == name)
                .unwrap()["areas"]
                .clone()
        };
        assert_eq!(remit("qxt"), json!(["330100"]));
        assert_eq!(remit("xikou"), json!(["330105"]));
        // A remit must name areas.
        let none = h.service.change(|conn, now| {
            alerts::add_source(conn, &secadmin(), "nowhere", Publish::Direct, &[], now)
        });
        assert!(none.unwrap_err().to_string().contains("remit"));
        let bad = h.service.change(|conn, now| {
            alerts::add_source(
                conn,
                &secadmin(),
                "bad",
                Publish::Direct,
                &["33".into()],
                now,
            )
        });
        assert!(bad.unwrap_err().to_string().contains("codes[0]"));
    });
}

/// A source added before remits has none: it is refused, saying how to give it one, until it
/// has one.
#[test]
fn a_source_without_a_remit_is_refused_until_given_one() {
    common::service::run(async {
        let (h, token) = harness(Publish::Direct);
        // As migrated: the source's row without areas.
        h.service
            .record(|conn, _| {
                conn.execute("DELETE FROM source_areas WHERE source = 'qxt'", [])?;
                Ok(())
            })
            .unwrap();
        let cap = fixture("cap-rainstorm-alert.xml");
        let r = post_alert(&h, Some(&token), &cap).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
        assert!(r.text().contains("no remit"), "{}", r.text());
        assert!(r.text().contains("noticecast source areas"), "{}", r.text());
        h.service
            .record(|conn, now| {
                alerts::set_source_areas(conn, &secadmin(), "qxt", &["330100".into()], now)
            })
            .unwrap();
        let r = post_alert(&h, Some(&token), &cap).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        let audit = h.get("/api/audit", &h.login("审计员").await).await.json();
        assert!(
            audit
                .as_array()
                .unwrap()
                .iter()
                .any(|e| e["action"] == "source.areas" && e["detail"] == "330100"),
            "the remit's change is audited"
        );
    });
}

/// Sources are the security administrator's: the domain refuses anyone else, whatever calls it.
/// A revoked source's token is refused (401, saying so), Cancel messages too; it cannot be
/// changed or revoked again, and its name is not given to a new source. Its warning on screens
/// stays until it ends.
#[test]
fn a_revoked_source_is_refused_and_only_the_security_administrator_manages_sources() {
    common::service::run(async {
        let (h, token) = harness(Publish::Direct);
        let cap = fixture("cap-rainstorm-alert.xml");
        let r = post_alert(&h, Some(&token), &cap).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        for role in [Role::Sysadmin, Role::Editor, Role::Reviewer, Role::Auditor] {
            let other = noticecast::service::domain::accounts::User { role, ..secadmin() };
            let refused = [
                h.service
                    .change(|conn, now| {
                        alerts::add_source(
                            conn,
                            &other,
                            "x",
                            Publish::Direct,
                            &["330100".into()],
                            now,
                        )
                        .map(|_| ())
                    })
                    .unwrap_err(),
                h.service
                    .change(|conn, now| {
                        alerts::set_source_areas(conn, &other, "qxt", &["110000".into()], now)
                    })
                    .unwrap_err(),
                h.service
                    .change(|conn, now| alerts::revoke_source(conn, &other, "qxt", "试试", now))
                    .unwrap_err(),
            ];
            for e in refused {
                assert!(
                    matches!(e, noticecast::service::domain::error::Error::Forbidden(_)),
                    "{role:?}: {e}"
                );
            }
        }
        let revoke = |reason: &'static str| {
            h.service
                .change(|conn, now| alerts::revoke_source(conn, &secadmin(), "qxt", reason, now))
        };
        assert!(revoke("  ").unwrap_err().to_string().contains("empty"));
        revoke("令牌泄露").unwrap();
        let r = post_alert(&h, Some(&token), &fixture("cap-rainstorm-cancel.xml")).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.text());
        assert!(r.text().contains("qxt was revoked"), "{}", r.text());
        let (_, _, feed) = h.feed("plaza-tv").await;
        assert!(
            feed.notices.iter().any(|n| n.alert_id.is_some()),
            "what it published stays until it ends"
        );
        let again = revoke("再次").unwrap_err();
        assert!(again.to_string().contains("was revoked"), "{again}");
        let areas = h.service.change(|conn, now| {
            alerts::set_source_areas(conn, &secadmin(), "qxt", &["330100".into()], now)
        });
        assert!(areas.unwrap_err().to_string().contains("was revoked"));
        let reused = h.service.change(|conn, now| {
            alerts::add_source(
                conn,
                &secadmin(),
                "qxt",
                Publish::Review,
                &["330100".into()],
                now,
            )
        });
        assert!(reused.unwrap_err().to_string().contains("exists"));
        let list = alerts::list_sources(&h.service.db()).unwrap();
        assert_eq!(list[0].revoked_by.as_deref(), Some("test"));
        let audit = h.get("/api/audit", &h.login("审计员").await).await.json();
        assert!(
            audit
                .as_array()
                .unwrap()
                .iter()
                .any(|e| e["action"] == "source.revoke" && e["detail"] == "令牌泄露"),
            "revoking is audited with its reason"
        );
    });
}

fn without_expires(xml: &str) -> String {
    let start = xml.find("<expires>").unwrap();
    let end = xml.find("</expires>").unwrap() + "</expires>".len();
    format!("{}{}", &xml[..start], &xml[end..])
}

/// A warning without `expires` pre-empted its group for ever, off-hours too. It ends after the
/// default span (24 h, or `serve --alert-default-hours`) from when it was sent.
#[test]
fn a_warning_without_expires_ends_after_the_default() {
    common::service::run(async {
        let (h, token) = harness(Publish::Direct);
        let xml = without_expires(&fixture("cap-rainstorm-alert.xml"));
        let r = post_alert(&h, Some(&token), &xml).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        assert_eq!(r.json()["valid_until"], "2026-11-30T08:00:00+08:00");
        assert!(r.text().contains("no <expires>"), "{}", r.text());
        let id = r.json()["notice"].as_str().unwrap().to_string();
        let (_, _, feed) = h.feed("plaza-tv").await;
        let n = feed.notices.iter().find(|n| n.id == id).unwrap();
        assert_eq!(
            n.valid_until.unwrap().to_rfc3339(),
            "2026-11-30T08:00:00+08:00"
        );
        h.advance(chrono::Duration::hours(25));
        let (_, _, feed) = h.feed("plaza-tv").await;
        assert!(feed.notices.iter().all(|n| n.id != id), "ended");
    });
    // Configurable.
    common::service::run(async {
        let h = Harness::with_options(
            "2026-11-29T08:00:05+08:00",
            noticecast::service::Options {
                alert_default_hours: Some(6),
                ..Default::default()
            },
        );
        let token = plaza_source(&h);
        let xml = without_expires(&fixture("cap-rainstorm-alert.xml"));
        let r = post_alert(&h, Some(&token), &xml).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        assert_eq!(r.json()["valid_until"], "2026-11-29T14:00:00+08:00");
    });
}

/// Found again from outside: `<expires>` 9999 kept a warning up for ever, a `<sent>` in the
/// future was taken as it came, and a malformed area code beside good ones was dropped silently.
#[test]
fn a_warning_cannot_last_for_ever_be_dated_ahead_or_carry_a_malformed_area() {
    common::service::run(async {
        let (h, token) = harness(Publish::Direct);
        let cap = fixture("cap-rainstorm-alert.xml");
        let forever = cap.replace("2026-11-30T20:00:00+08:00", "9999-12-31T23:59:59+08:00");
        let r = post_alert(&h, Some(&token), &forever).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        assert_eq!(r.json()["valid_until"], "2026-12-06T08:00:00+08:00");
        assert!(r.text().contains("more than 7 days"), "{}", r.text());

        let ahead = cap
            .replace("2026-11-29T08:00:00+08:00", "2026-12-29T08:00:00+08:00")
            .replace("2026-11-30T20:00:00+08:00", "2026-12-30T20:00:00+08:00")
            .replace("<identifier>", "<identifier>ahead-");
        let r = post_alert(&h, Some(&token), &ahead).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
        assert!(r.text().contains("sent"), "{}", r.text());

        let malformed = cap
            .replace("<value>330105</value>", "<value>3302</value>")
            .replace("<identifier>", "<identifier>malformed-");
        let r = post_alert(&h, Some(&token), &malformed).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
        assert!(r.text().contains("3302"), "{}", r.text());
    });
}

/// CAP `scope` Restricted and Private warnings went onto public screens. Only Public does now.
#[test]
fn a_restricted_or_private_warning_is_refused() {
    common::service::run(async {
        let (h, token) = harness(Publish::Direct);
        let cap = fixture("cap-rainstorm-alert.xml");
        for scope in ["Restricted", "Private"] {
            let xml = cap.replace("<scope>Public", &format!("<scope>{scope}"));
            let r = post_alert(&h, Some(&token), &xml).await;
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{scope}");
            assert_eq!(r.json()["problems"][0]["field"], "scope", "{}", r.text());
            assert!(r.text().contains(scope), "{}", r.text());
        }
        let r = post_alert(&h, Some(&token), &cap.replace("<scope>Public</scope>", "")).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
        // GB/T 35965.1 has the same field.
        let gb = fixture("gb35965-typhoon-alert.xml").replace("<scope>Public", "<scope>Restricted");
        let r = post_alert(&h, Some(&token), &gb).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
        let (_, _, feed) = h.feed("plaza-tv").await;
        assert!(feed.notices.iter().all(|n| n.alert_id.is_none()));
    });
}

/// A warning that would put a resident's ID number on public screens is refused, even from a
/// source trusted to publish directly (there is no reviewer to stop it); a masked one passes.
#[test]
fn a_warning_with_an_id_number_is_refused_even_from_a_direct_source() {
    common::service::run(async {
        let (h, token) = harness(Publish::Direct);
        let cap = fixture("cap-rainstorm-alert.xml");
        let xml = cap.replace(
            "<contact>区防汛值班电话",
            "<contact>失联人员张三（身份证号530402199003072317）家属请联系；区防汛值班电话",
        );
        let r = post_alert(&h, Some(&token), &xml).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
        let problem = &r.json()["problems"][0];
        assert_eq!(problem["field"], "contact", "{}", r.text());
        assert!(
            problem["reason_zh"]
                .as_str()
                .unwrap()
                .contains("5304**********2317")
        );
        let (_, _, feed) = h.feed("plaza-tv").await;
        assert!(feed.notices.iter().all(|n| n.alert_id.is_none()));
        let masked = xml.replace("530402199003072317", "5304**********2317");
        let r = post_alert(&h, Some(&token), &masked).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    });
}

/// A warning for a group on standby answered "published" and was never shown. The answer says
/// it is held, and the warning shows when the standby is lifted, if still in force.
#[test]
fn a_warning_for_a_group_on_standby_is_held_and_shown_when_lifted() {
    common::service::run(async {
        let (h, token) = harness(Publish::Direct);
        let admin = h.login("admin").await;
        for group in ["plaza-tv", "village-terminal"] {
            let r = h
                .post(
                    &format!("/api/groups/{group}/blackout"),
                    &admin,
                    json!({"on": true, "reason": "检修"}),
                )
                .await;
            assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text());
        }
        let r = post_alert(&h, Some(&token), &fixture("cap-rainstorm-alert.xml")).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        let outcome = r.json();
        assert_eq!(outcome["result"], "held", "{outcome}");
        assert_eq!(outcome["held"], json!(["plaza-tv", "village-terminal"]));
        assert!(
            outcome["notes"][0]
                .as_str()
                .unwrap()
                .contains("group plaza-tv is on standby"),
            "{outcome}"
        );
        let id = outcome["notice"].as_str().unwrap().to_string();
        // Lifted on one group: the warning is on its screens.
        let r = h
            .post(
                "/api/groups/plaza-tv/blackout",
                &admin,
                json!({"on": false}),
            )
            .await;
        assert_eq!(r.status, StatusCode::NO_CONTENT);
        h.advance(chrono::Duration::minutes(1));
        let (_, _, feed) = h.feed("plaza-tv").await;
        assert!(feed.blackout.is_none());
        let feed = noticecast::model::Feed::validate(feed, "feed").unwrap();
        let mut show = noticecast::show::Show::new(
            noticecast::layout::Typesetter::new(common::fonts()),
            feed,
            common::playlist("plaza-tv"),
        );
        let (slot, _) = show.frame_at(h.now());
        assert_eq!(
            show.notice_of(&slot).map(|n| n.id.as_str()),
            Some(id.as_str()),
            "the warning pre-empts the rotation once the standby is lifted"
        );
        // One group still on standby: published, and the answer names the held one.
        let second = fixture("cap-rainstorm-alert.xml").replace("0001", "0002");
        let r = post_alert(&h, Some(&token), &second).await;
        assert_eq!(r.json()["result"], "published", "{}", r.text());
        assert_eq!(r.json()["held"], json!(["village-terminal"]));
    });
}

/// A warning into a feed near its budget was refused because routine notices filled it. The
/// warning fits: routine notices give way (the oldest first), the answer names them, and they
/// come back when the warning ends.
#[test]
fn a_warning_into_a_full_feed_fits_and_routine_notices_give_way() {
    use noticecast::service::Options;
    let routine = |h: &Harness| -> Vec<String> {
        (0..3)
            .map(|i| {
                let mut input = common::service::notice_input(&h.service, &format!("例行通知{i}"));
                input.body = "本周末社区开展垃圾分类宣传活动，请居民积极参与。".repeat(120);
                h.advance(chrono::Duration::minutes(1));
                common::service::publish_input(&h.service, &input)
            })
            .collect()
    };
    // How large plaza-tv's feed is with the three routine notices.
    let full = {
        let (h, _) = harness(Publish::Direct);
        routine(&h);
        h.service.feed("plaza-tv").unwrap().body.len()
    };
    common::service::run(async {
        // A budget the routine notices fit, with no room for the warning besides them.
        let h = Harness::with_options(
            "2026-11-29T08:00:05+08:00",
            Options {
                feed_budget: Some(full + 300),
                ..Options::default()
            },
        );
        h.add_user("审计员", Role::Auditor);
        let token = plaza_source(&h);
        let ids = routine(&h);
        h.advance(chrono::Duration::minutes(1));
        let mut xml = fixture("cap-rainstorm-alert.xml");
        xml = xml.replace("2026-11-29T08:00:00+08:00", &h.now().to_rfc3339());
        let r = post_alert(&h, Some(&token), &xml).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        let outcome = r.json();
        assert_eq!(outcome["gave_way"][0]["group"], "plaza-tv", "{outcome}");
        assert_eq!(
            outcome["gave_way"][0]["notices"],
            json!([ids[0]]),
            "the oldest routine notice"
        );
        let warning = outcome["notice"].as_str().unwrap().to_string();
        let (_, _, feed) = h.feed("plaza-tv").await;
        let shown: Vec<&str> = feed.notices.iter().map(|n| n.id.as_str()).collect();
        assert!(shown.contains(&warning.as_str()), "{shown:?}");
        assert!(!shown.contains(&ids[0].as_str()), "{shown:?}");
        assert!(shown.contains(&ids[1].as_str()) && shown.contains(&ids[2].as_str()));
        assert!(h.service.feed("plaza-tv").unwrap().body.len() <= full + 300);
        // Routine notices give way to the warning, not to another routine notice: approving one
        // into the full feed while the warning is in force is refused.
        let user = |name: &str| {
            h.service
                .read(|conn, _| {
                    Ok(noticecast::service::domain::accounts::user_by_name(conn, name)?.unwrap())
                })
                .unwrap()
        };
        let (editor, reviewer) = (user("王芳"), user("李审核"));
        let mut input = common::service::notice_input(&h.service, "又一条例行通知");
        input.body = "本周末社区开展垃圾分类宣传活动，请居民积极参与。".repeat(120);
        let late = h
            .service
            .change(|conn, now| {
                let id = noticecast::service::domain::notices::create(conn, &editor, &input, now)?;
                noticecast::service::domain::notices::submit(conn, &editor, &id, now)?;
                Ok(id)
            })
            .unwrap();
        let refused = h.service.approve(&reviewer, &late, 1, true);
        let why = refused.unwrap_err().to_string();
        assert!(why.contains("while a warning is in force"), "{why}");
        // The warning cancelled: the routine notice is back.
        let cancel = fixture("cap-rainstorm-cancel.xml")
            .replace("2026-11-29T08:00:00+08:00", &h.now().to_rfc3339());
        let r = post_alert(&h, Some(&token), &cancel).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let (_, _, feed) = h.feed("plaza-tv").await;
        assert!(feed.notices.iter().any(|n| n.id == ids[0]), "back");
    });
}
