//! The service over real sockets: the screens' own feed client polls it, and the command line
//! enrols users and screens, exports static feeds and serves.

mod common;

use std::io::Write;
use std::net::TcpListener;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use noticecast::feed::client::{Client, Poll, Reporter, ScreenStatus};
use noticecast::feed::plays::{PlayQueue, PlayRecord};
use noticecast::feed::{Accepted, Cache, PlayerConfig, TrustedKey, accept};
use noticecast::model::Timestamp;
use noticecast::service::{Options, Service, domain::screens, system_clock};

fn now() -> Timestamp {
    (system_clock())()
}

#[test]
fn a_screens_feed_client_fetches_verifies_and_reports_to_the_service() {
    let data = tempfile::tempdir().unwrap();
    // The second poll waits at the service for a newer feed: for a second here, not 55.
    let options = Options {
        long_poll: Some(std::time::Duration::from_secs(1)),
        ..Options::default()
    };
    let service = Arc::new(Service::open(data.path(), options, system_clock()).unwrap());
    let id = common::service::publish(&service, "防汛应急演练通知");
    let token = service
        .change(|conn, now| screens::add(conn, "test", "plaza-01", "plaza-tv", now))
        .unwrap();
    let public = service.signing_key().public_key().to_text();
    let addr = common::service::serve_on_loopback(service.clone());

    let screen = tempfile::tempdir().unwrap();
    let config = PlayerConfig::from_toml(
        &format!(
            "screen_id = \"plaza-01\"\ngroup = \"plaza-tv\"\nfeed_urls = [\"http://{addr}/feed/plaza-tv\"]\n\
             trusted_keys = [\"{public}\"]\ncache_dir = \"{}\"\npoll_interval_s = 10\ntoken = \"{token}\"\n",
            screen.path().display()
        ),
        "player.toml",
    )
    .unwrap();
    let plays = Arc::new(PlayQueue::open(&screen.path().join("plays"), 1000).unwrap());
    // Pages shown in the last minutes: records come after the page has been seen, from the
    // feed the group has.
    let start = now() - chrono::Duration::seconds(240);
    let sequence = service.feed("plaza-tv").unwrap().sequence;
    for page in 1..=3 {
        plays
            .push(PlayRecord::new(
                &id,
                page,
                start + chrono::Duration::seconds(20 * page as i64),
                20.0,
                sequence,
            ))
            .unwrap();
    }
    let status = Arc::new(Mutex::new(ScreenStatus {
        adapter: Some("llvmpipe (LLVM 15.0.6, 256 bits) (Vulkan)".into()),
        ..ScreenStatus::default()
    }));
    let mut client = Client::new(
        config.clone(),
        Some(Cache::open(&config.cache_dir).unwrap()),
        Accepted::default(),
    )
    .unwrap()
    .with_reporter(Reporter {
        status,
        plays: plays.clone(),
        screenshot: Default::default(),
    })
    .with_device_key(
        noticecast::feed::SecretKey::from_bytes(noticecast::feed::Suite::Ed25519, &[5; 32])
            .unwrap(),
    );
    common::service::run(async {
        match client.poll().await {
            Poll::Accepted(feed) => {
                assert_eq!(feed.notices.len(), 1);
                assert_eq!(feed.notices[0].title, "防汛应急演练通知");
            }
            other => panic!("expected the feed, got {other:?}"),
        }
        // Nothing newer within the hold: unchanged (304).
        assert!(client.long_polling());
        assert!(matches!(client.poll().await, Poll::Unchanged));
        // The heartbeat presents the device key; its records wait until the security
        // administrator confirms it, and stay queued meanwhile.
        let refused = client.report().await.unwrap_err().to_string();
        assert!(refused.contains("403"), "{refused}");
        assert_eq!(plays.len(), 3);
        let candidates = service
            .read(|conn, _| screens::candidates(conn, "plaza-01"))
            .unwrap();
        let secadmin = noticecast::service::domain::accounts::User {
            id: 0,
            name: "安全员".into(),
            role: noticecast::service::domain::accounts::Role::Secadmin,
            must_change_password: false,
        };
        service
            .record(|conn, now| {
                screens::confirm_device_key(conn, &secadmin, "plaza-01", &candidates[0].id, now)
            })
            .unwrap();
        assert_eq!(client.report().await.unwrap(), 3);
        assert!(plays.is_empty(), "acknowledged records leave the queue");
    });
    let served = service.feed("plaza-tv").unwrap().sequence as i64;
    let conn = service.db();
    let list = screens::list(&conn, now()).unwrap();
    assert!(list[0].online);
    // The screen says it shows the feed the service serves.
    assert_eq!(list[0].sequence, Some(served));
    assert_eq!(list[0].feed_sequence, Some(served));
    let year: i32 = noticecast::model::beijing(start)
        .format("%Y")
        .to_string()
        .parse()
        .unwrap();
    let report = noticecast::service::domain::report::disclosure(&conn, year).unwrap();
    let row = report
        .rows
        .iter()
        .find(|r| r.group == "plaza-tv" && r.category == "public_affairs")
        .unwrap();
    assert_eq!((row.notices, row.plays), (1, 3));
}

fn noticecast(args: &[&str], stdin: &str) -> std::process::Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_noticecast"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // A command refused at its arguments exits before it reads: the pipe may be closed then.
    let written = child.stdin.take().unwrap().write_all(stdin.as_bytes());
    if let Err(e) = written {
        assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "{e}");
    }
    child.wait_with_output().unwrap()
}

fn data_arg(dir: &Path) -> String {
    dir.display().to_string()
}

#[test]
fn the_command_line_enrols_exports_and_serves() {
    let dir = tempfile::tempdir().unwrap();
    let data = data_arg(&dir.path().join("data"));

    let out = noticecast(
        &[
            "user", "add", "--data", &data, "admin", "--role", "sysadmin",
        ],
        "short\n",
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("password") && err.contains("10 characters"),
        "{err}"
    );
    let out = noticecast(
        &["user", "add", "--data", &data, "admin", "--role", "admin"],
        "district office 2026\n",
    );
    // The administrator's role was split (三员分立): "admin" says into what.
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("secadmin"));
    let out = noticecast(
        &[
            "user", "add", "--data", &data, "admin", "--role", "sysadmin",
        ],
        "district office 2026\n",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = noticecast(&["user", "add", "--data", &data, "x", "--role", "boss"], "");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("editor, reviewer, sysadmin, secadmin or auditor")
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.path().join("data/signing.key"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    let out = noticecast(
        &[
            "screen", "add", "--data", &data, "plaza-01", "--group", "plaza-tv",
        ],
        "",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let token = String::from_utf8(out.stdout).unwrap().trim().to_string();
    assert!(token.starts_with("nct_") && token.len() > 40, "{token}");
    let out = noticecast(
        &[
            "screen", "add", "--data", &data, "x-01", "--group", "nowhere",
        ],
        "",
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no screen group \"nowhere\""));

    let mirror = dir.path().join("mirror");
    let out = noticecast(
        &["export", "--data", &data, "--out", &data_arg(&mirror)],
        "",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let keys: serde_json::Value =
        serde_json::from_slice(&std::fs::read(mirror.join("feed/keys.json")).unwrap()).unwrap();
    let trusted = TrustedKey::parse(keys["keys"][0]["public_key"].as_str().unwrap()).unwrap();
    for group in ["plaza-tv", "service-hall-led", "village-terminal"] {
        let bytes = std::fs::read(mirror.join(format!("feed/{group}.json"))).unwrap();
        let feed = accept(
            &bytes,
            group,
            std::slice::from_ref(&trusted),
            group,
            &Accepted::default(),
            now(),
        )
        .unwrap_or_else(|e| panic!("{group}: {e}"));
        assert_eq!(feed.group, group);
    }

    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let listen = format!("127.0.0.1:{port}");
    let mut serve = Command::new(env!("CARGO_BIN_EXE_noticecast"))
        .args(["serve", "--data", &data, "--listen", &listen])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let answer = common::service::run(async {
        let http = reqwest::Client::new();
        for _ in 0..100 {
            if let Ok(r) = http.get(format!("http://{listen}/healthz")).send().await {
                assert_eq!(r.text().await.unwrap(), "ok");
                let feed = http
                    .get(format!("http://{listen}/feed/plaza-tv"))
                    .send()
                    .await
                    .unwrap();
                return Some(feed.bytes().await.unwrap().to_vec());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        None
    });
    serve.kill().unwrap();
    let output = serve.wait_with_output().unwrap();
    let feed = answer.unwrap_or_else(|| {
        panic!(
            "serve did not answer: {}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    // The same content as exported, signed anew at the start with a later sequence (every start
    // does, so that a restored database never serves sequences screens have passed).
    let payload = |bytes: &[u8]| -> serde_json::Value {
        let envelope: serde_json::Value = serde_json::from_slice(bytes).unwrap();
        let raw = BASE64
            .decode(envelope["payload"].as_str().unwrap())
            .unwrap();
        serde_json::from_slice(&raw).unwrap()
    };
    let served = payload(&feed);
    let exported = payload(&std::fs::read(mirror.join("feed/plaza-tv.json")).unwrap());
    assert_eq!(served["notices"], exported["notices"]);
    assert_eq!(served["playlist"], exported["playlist"]);
    assert!(served["sequence"].as_u64() > exported["sequence"].as_u64());
}

/// Issue 15: a deployment on SM2 end to end. The service made with `--suite sm2` signs feeds with
/// SM2 and says so in `/feed/keys`; a screen whose player.toml trusts `sm2:KEY` fetches and
/// accepts them through its own client; the static export carries the same suite.
#[test]
fn an_sm2_deployment_signs_serves_exports_and_screens_accept_it() {
    use noticecast::feed::Suite;
    let data = tempfile::tempdir().unwrap();
    let options = Options {
        long_poll: Some(std::time::Duration::from_secs(1)),
        suite: Some(Suite::Sm2),
        ..Options::default()
    };
    let service = Arc::new(Service::open(data.path(), options, system_clock()).unwrap());
    assert_eq!(service.signing_key().public_key().suite(), Suite::Sm2);
    let key_file = std::fs::read_to_string(data.path().join("signing.key")).unwrap();
    assert!(key_file.starts_with("sm2:"), "the key file names its suite");
    common::service::publish(&service, "村级财务公开（第四季度）");
    let token = service
        .change(|conn, now| screens::add(conn, "test", "plaza-01", "plaza-tv", now))
        .unwrap();
    let addr = common::service::serve_on_loopback(service.clone());

    // What an installer reads: /feed/keys with the algorithm.
    let keys: serde_json::Value = common::service::run(async {
        reqwest::get(format!("http://{addr}/feed/keys"))
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    });
    let listed = &keys["keys"][0];
    assert_eq!(listed["algorithm"], "sm2", "{keys}");
    let public = listed["public_key"].as_str().unwrap();
    assert_eq!(BASE64.decode(public).unwrap().len(), 65);

    let screen = tempfile::tempdir().unwrap();
    let config = PlayerConfig::from_toml(
        &format!(
            "screen_id = \"plaza-01\"\ngroup = \"plaza-tv\"\nfeed_urls = [\"http://{addr}/feed/plaza-tv\"]\n\
             trusted_keys = [\"sm2:{public}\"]\ncache_dir = \"{}\"\npoll_interval_s = 10\ntoken = \"{token}\"\n",
            screen.path().display()
        ),
        "player.toml",
    )
    .unwrap();
    assert_eq!(config.trusted_keys[0].key.suite(), Suite::Sm2);
    let mut client = Client::new(
        config.clone(),
        Some(Cache::open(&config.cache_dir).unwrap()),
        Accepted::default(),
    )
    .unwrap();
    common::service::run(async {
        match client.poll().await {
            Poll::Accepted(feed) => assert_eq!(feed.notices[0].title, "村级财务公开（第四季度）"),
            other => panic!("expected the SM2-signed feed, got {other:?}"),
        }
    });
    // The key pasted bare, exactly as /feed/keys lists it beside "algorithm": "sm2", is that
    // SM2 key (its 65 bytes say so), not a broken Ed25519 one.
    let bare = PlayerConfig::from_toml(
        &format!(
            "screen_id = \"plaza-02\"\ngroup = \"plaza-tv\"\nfeed_urls = [\"http://{addr}/feed/plaza-tv\"]\n\
             trusted_keys = [\"{public}\"]\ncache_dir = \"{}\"\ntoken = \"t\"\n",
            screen.path().join("b").display()
        ),
        "player.toml",
    )
    .unwrap();
    assert_eq!(bare.trusted_keys, config.trusted_keys);
    drop(service);

    // The static export: keys.json says sm2, and every group's feed verifies with it.
    let mirror = data.path().join("mirror");
    let out = noticecast(
        &[
            "export",
            "--data",
            &data_arg(data.path()),
            "--out",
            &data_arg(&mirror),
        ],
        "",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let keys: serde_json::Value =
        serde_json::from_slice(&std::fs::read(mirror.join("feed/keys.json")).unwrap()).unwrap();
    let entry = &keys["keys"][0];
    assert_eq!(entry["algorithm"], "sm2");
    let trusted = TrustedKey::from_listing(
        entry["algorithm"].as_str(),
        entry["public_key"].as_str().unwrap(),
    )
    .unwrap();
    let bytes = std::fs::read(mirror.join("feed/plaza-tv.json")).unwrap();
    let feed = accept(
        &bytes,
        "plaza-tv",
        &[trusted],
        "plaza-tv",
        &Accepted::default(),
        now(),
    )
    .unwrap();
    assert_eq!(feed.notices.len(), 1);
}

/// Issue 15: `noticecast group policy` sets a group's review policy on the host.
#[test]
fn the_command_line_sets_a_review_policy() {
    let dir = tempfile::tempdir().unwrap();
    let data = data_arg(&dir.path().join("data"));
    let out = noticecast(
        &[
            "group",
            "policy",
            "--data",
            &data,
            "plaza-tv",
            "--reviews",
            "2",
            "--from",
            "2026-12-01",
            "--to",
            "2026-12-03",
            "--categories",
            "personnel,public_affairs",
        ],
        "",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("2 reviewers during 2026-12-01..2026-12-03")
    );
    let out = noticecast(
        &[
            "group",
            "policy",
            "--data",
            &data,
            "plaza-tv",
            "--reviews",
            "3",
        ],
        "",
    );
    assert_eq!(out.status.code(), Some(2));
    let out = noticecast(
        &[
            "group",
            "policy",
            "--data",
            &data,
            "nowhere",
            "--reviews",
            "2",
        ],
        "",
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("nowhere"));
    let service =
        Service::open(&dir.path().join("data"), Options::default(), system_clock()).unwrap();
    let policy = service
        .read(|conn, _| noticecast::service::domain::policy::get(conn, "plaza-tv"))
        .unwrap();
    assert_eq!(policy.reviews, 2);
    assert_eq!(policy.categories.len(), 2);
}

/// Issue 15, the audit log: every security-relevant event with its result and the client's
/// address, as `noticecast serve` sees it over a real socket; the key made at the first start
/// and the command line's work come from the host.
#[test]
fn audit_entries_carry_the_result_and_the_clients_address() {
    use noticecast::service::domain::accounts::{self, Role};
    let data = tempfile::tempdir().unwrap();
    let service = Arc::new(Service::open(data.path(), Options::default(), system_clock()).unwrap());
    service
        .change(|conn, now| {
            for (name, role) in [("王芳", Role::Editor), ("审计员", Role::Auditor)] {
                accounts::add_user(
                    conn,
                    "command line",
                    name,
                    role,
                    "a long password 2026",
                    now,
                )?;
            }
            Ok(())
        })
        .unwrap();
    let addr = common::service::serve_on_loopback(service.clone());
    let log = common::service::run(async {
        let http = reqwest::Client::new();
        let login = |name: &'static str, password: &'static str| {
            let http = http.clone();
            async move {
                http.post(format!("http://{addr}/api/login"))
                    .json(&serde_json::json!({"name": name, "password": password}))
                    .send()
                    .await
                    .unwrap()
            }
        };
        assert_eq!(login("王芳", "not the password").await.status(), 401);
        let r = login("王芳", "a long password 2026").await;
        assert_eq!(r.status(), 200);
        let cookie = r.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_string();
        let csrf = r.json::<serde_json::Value>().await.unwrap()["csrf_token"]
            .as_str()
            .unwrap()
            .to_string();
        // An editor asking for the audit log is refused, and that is logged.
        let r = http
            .get(format!("http://{addr}/api/audit"))
            .header("cookie", &cookie)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403);
        let r = http
            .post(format!("http://{addr}/api/logout"))
            .header("cookie", &cookie)
            .header("x-csrf-token", &csrf)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 204);
        let r = login("审计员", "a long password 2026").await;
        let cookie = r.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_string();
        http.get(format!("http://{addr}/api/audit?limit=50"))
            .header("cookie", &cookie)
            .send()
            .await
            .unwrap()
            .json::<serde_json::Value>()
            .await
            .unwrap()
    });
    let find = |action: &str, actor: &str| {
        log.as_array()
            .unwrap()
            .iter()
            .find(|e| e["action"] == action && e["actor"] == actor)
            .unwrap_or_else(|| panic!("no {action} by {actor}: {log}"))
            .clone()
    };
    for (action, actor, result, source) in [
        ("login.failed", "王芳", "failure", "127.0.0.1"),
        ("login", "王芳", "success", "127.0.0.1"),
        ("access.denied", "王芳", "failure", "127.0.0.1"),
        ("logout", "王芳", "success", "127.0.0.1"),
        ("user.add", "command line", "success", "host"),
        ("key.create", "system", "success", "host"),
    ] {
        let e = find(action, actor);
        assert_eq!(
            (e["result"].as_str(), e["source"].as_str()),
            (Some(result), Some(source)),
            "{e}"
        );
    }
    assert_eq!(find("access.denied", "王芳")["subject"], "GET /api/audit");
}

/// A service with a long-poll cap of `cap`, plaza-tv covering 330102 and a direct alert source;
/// served on loopback. Its address, the harness and the source's token.
fn capped_office(cap: usize) -> (std::net::SocketAddr, common::service::Harness, String) {
    use noticecast::service::domain::accounts::{Role, User};
    use noticecast::service::{domain::alerts, domain::groups};
    let h = common::service::Harness::with_options(
        "2026-11-29T08:00:05+08:00",
        Options {
            max_waiters: Some(cap),
            long_poll: Some(Duration::from_secs(50)),
            ..Options::default()
        },
    );
    h.add_user("王芳", Role::Editor);
    let admin = User {
        id: 0,
        name: "test".into(),
        role: Role::Sysadmin,
        must_change_password: false,
    };
    let token = h
        .service
        .change(|conn, now| {
            groups::set_areas(conn, &admin, "plaza-tv", &["330102".into()], now)?;
            alerts::add_source(
                conn,
                &User {
                    role: Role::Secadmin,
                    ..admin.clone()
                },
                "qxt",
                alerts::Publish::Direct,
                &["330100".into()],
                now,
            )
        })
        .unwrap();
    let addr = common::service::serve_on_loopback(h.service.clone());
    (addr, h, token)
}

/// Waits (a bounded number of times) until the service holds `n` long polls.
async fn until_held(service: &Service, n: usize) {
    for _ in 0..1000 {
        if service.waiters.held() == n {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("{} long polls held, not {n}", service.waiters.held());
}

/// Capacity: about 1,100 idle long polls took every descriptor. Past the cap a long poll is
/// answered 503 with Retry-After, at once; a screen whose feed is already newer is answered
/// with it, cap or not; the slots come back when the waits end.
#[test]
fn long_polls_past_the_cap_are_refused_with_503_and_retry_after() {
    let (addr, h, token) = capped_office(3);
    let seq = h.service.feed("plaza-tv").unwrap().sequence;
    common::service::run(async {
        let url = format!("http://{addr}/feed/plaza-tv?wait={seq}");
        let waiters: Vec<_> = (0..3)
            .map(|_| {
                // A client each: a connection each, as screens have.
                let http = reqwest::Client::new();
                let url = url.clone();
                tokio::spawn(async move { http.get(&url).send().await.unwrap().status() })
            })
            .collect();
        until_held(&h.service, 3).await;
        let r = reqwest::get(&url).await.unwrap();
        assert_eq!(r.status(), 503);
        assert_eq!(r.headers()["retry-after"], "60");
        assert!(
            r.headers().get("x-noticecast-long-poll").is_none(),
            "a refused screen polls plainly next time"
        );
        // A screen behind the current feed is not held: it gets the feed, cap or not.
        let r = reqwest::get(format!("http://{addr}/feed/plaza-tv?wait={}", seq - 1))
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        // A change answers the held ones, and their slots come back.
        let r = post_alert(addr, &token, &alert_fixture()).await;
        assert_eq!(r.status(), 201);
        for w in waiters {
            assert_eq!(w.await.unwrap(), 200);
        }
        until_held(&h.service, 0).await;
    });
}

/// Capacity: with the waiters at the cap, `/healthz`, a login and a warning from the warning
/// system still get through.
#[test]
fn with_the_waiters_at_the_cap_healthz_a_login_and_an_alert_get_through() {
    let (addr, h, token) = capped_office(4);
    let seq = h.service.feed("plaza-tv").unwrap().sequence;
    common::service::run(async {
        let url = format!("http://{addr}/feed/plaza-tv?wait={seq}");
        let waiters: Vec<_> = (0..4)
            .map(|_| {
                let http = reqwest::Client::new();
                let url = url.clone();
                tokio::spawn(async move { http.get(&url).send().await.unwrap().status() })
            })
            .collect();
        until_held(&h.service, 4).await;
        assert_eq!(
            reqwest::get(&url).await.unwrap().status(),
            503,
            "at the cap"
        );
        let http = reqwest::Client::new();
        let r = http
            .get(format!("http://{addr}/healthz"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let r = http
            .post(format!("http://{addr}/api/login"))
            .json(&serde_json::json!({"name": "王芳", "password": common::service::PASSWORD}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let r = post_alert(addr, &token, &alert_fixture()).await;
        assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
        for w in waiters {
            assert_eq!(
                w.await.unwrap(),
                200,
                "the warning reached the waiting screens"
            );
        }
    });
}

fn alert_fixture() -> String {
    std::fs::read_to_string(common::path("tests/vectors/alerts/cap-rainstorm-alert.xml")).unwrap()
}

async fn post_alert(addr: std::net::SocketAddr, token: &str, xml: &str) -> reqwest::Response {
    reqwest::Client::new()
        .post(format!("http://{addr}/api/alerts"))
        .bearer_auth(token)
        .header("content-type", "application/cap+xml")
        .body(xml.to_string())
        .send()
        .await
        .unwrap()
}

/// Slowloris: a client that opens a connection and sends nothing is closed after the header
/// read timeout, not held.
#[test]
fn a_connection_that_sends_nothing_is_closed_after_the_header_timeout() {
    use std::io::Read;
    let (addr, _h, _) = capped_office(4);
    let mut idle = std::net::TcpStream::connect(addr).unwrap();
    let deadline = noticecast::service::HEADER_TIMEOUT + Duration::from_secs(10);
    idle.set_read_timeout(Some(deadline)).unwrap();
    let mut buf = Vec::new();
    // Closed by the service (EOF, perhaps after a 408): not a read that timed out.
    let closed = idle.read_to_end(&mut buf);
    assert!(
        closed.is_ok(),
        "an idle connection was still open after {deadline:?}: {closed:?}"
    );
}

/// A client that asks and never reads was held for ever, its descriptor and unsent answers with
/// it. Requests pipelined on one connection, none of the answers read: once a write has waited
/// the write timeout the service closes the connection, long before every answer is sent.
#[test]
fn a_client_that_never_reads_is_cut_off_after_the_write_timeout() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let h = common::service::Harness::with_options(
        "2026-11-29T08:00:05+08:00",
        Options {
            write_timeout: Some(Duration::from_secs(1)),
            ..Options::default()
        },
    );
    let addr = common::service::serve_on_loopback(h.service.clone());
    common::service::run(async {
        let one = reqwest::get(format!("http://{addr}/api/openapi.json"))
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap()
            .len();
        // Far more than the kernel's buffers hold on both sides of a small receive window.
        let requests = (64 << 20) / one + 1;
        let socket = tokio::net::TcpSocket::new_v4().unwrap();
        socket.set_recv_buffer_size(4096).unwrap();
        let mut stream = socket.connect(addr).await.unwrap();
        let ask = b"GET /api/openapi.json HTTP/1.1\r\nHost: x\r\n\r\n".repeat(requests);
        stream.write_all(&ask).await.unwrap();
        // Read nothing for longer than the write timeout...
        tokio::time::sleep(Duration::from_secs(4)).await;
        // ...then everything there is: the connection ends (closed or reset) short of the
        // answers asked for.
        let mut received = 0usize;
        let mut buf = vec![0u8; 1 << 16];
        loop {
            match tokio::time::timeout(
                noticecast::service::HEADER_TIMEOUT + Duration::from_secs(20),
                stream.read(&mut buf),
            )
            .await
            {
                Ok(Ok(0)) | Ok(Err(_)) => break,
                Ok(Ok(n)) => received += n,
                Err(_) => panic!("the connection is still open after {received} bytes"),
            }
        }
        assert!(
            received < requests * one,
            "every answer was sent ({received} bytes): the slow reader was not cut off"
        );
    });
}

/// Alerts: `source add` gives a source its remit (`--areas`, required), `source areas` replaces
/// it; a bad code is refused naming it.
#[test]
fn the_command_line_gives_a_source_its_remit() {
    let dir = tempfile::tempdir().unwrap();
    let data = data_arg(&dir.path().join("data"));
    let out = noticecast(&["source", "add", "--data", &data, "qxt"], "");
    assert!(!out.status.success(), "a source without a remit");
    assert!(String::from_utf8_lossy(&out.stderr).contains("--areas"));
    let out = noticecast(
        &[
            "source", "add", "--data", &data, "qxt", "--areas", "330100", "330200",
        ],
        "",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("ncs_"));
    let out = noticecast(&["source", "areas", "--data", &data, "qxt", "3301x0"], "");
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("codes[0]"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = noticecast(&["source", "areas", "--data", &data, "qxt", "330102"], "");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let service =
        Service::open(&dir.path().join("data"), Options::default(), system_clock()).unwrap();
    let sources = service
        .read(|conn, _| noticecast::service::domain::alerts::list_sources(conn))
        .unwrap();
    assert_eq!(sources[0].areas, ["330102"]);
}

/// Capacity, end to end: the service ran with systemd's 1,024 descriptors and about 1,100 idle
/// long polls stopped logins, `/healthz` and `POST /api/alerts`. `noticecast serve` started with
/// 256 descriptors (soft and hard) holds at most 128 long polls by default, answers the rest 503
/// at once, and staff, the monitoring and the warning system still get through.
#[test]
fn idle_long_polls_leave_the_descriptors_staff_and_alerts_need() {
    let dir = tempfile::tempdir().unwrap();
    let data = data_arg(&dir.path().join("data"));
    let out = noticecast(
        &["user", "add", "--data", &data, "王芳", "--role", "editor"],
        "district office 2026\n",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = noticecast(
        &["group", "areas", "--data", &data, "plaza-tv", "330102"],
        "",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = noticecast(
        &[
            "source",
            "add",
            "--data",
            &data,
            "qxt",
            "--publish",
            "direct",
            "--areas",
            "330100",
        ],
        "",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let token = String::from_utf8(out.stdout).unwrap().trim().to_string();
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let listen = format!("127.0.0.1:{port}");
    let mut serve = Command::new("sh")
        .args([
            "-c",
            "ulimit -n 256 && exec \"$0\" serve --data \"$1\" --listen \"$2\"",
            env!("CARGO_BIN_EXE_noticecast"),
            &data,
            &listen,
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Sent now, in force for an hour.
    let sent = now();
    let xml = alert_fixture()
        .replace("2026-11-29T08:00:00+08:00", &sent.to_rfc3339())
        .replace(
            "2026-11-30T20:00:00+08:00",
            &(sent + chrono::Duration::hours(1)).to_rfc3339(),
        );
    let result = common::service::run(async {
        let http = reqwest::Client::new();
        let mut up = false;
        for _ in 0..100 {
            if http
                .get(format!("http://{listen}/healthz"))
                .send()
                .await
                .is_ok()
            {
                up = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert!(up, "serve did not answer");
        let feed = http
            .get(format!("http://{listen}/feed/plaza-tv"))
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap();
        let envelope: serde_json::Value = serde_json::from_slice(&feed).unwrap();
        let payload: serde_json::Value = serde_json::from_slice(
            &BASE64
                .decode(envelope["payload"].as_str().unwrap())
                .unwrap(),
        )
        .unwrap();
        let seq = payload["sequence"].as_u64().unwrap();
        // 300 screens wait, each on a connection of its own: more than the descriptors (they
        // took all of them before) and than the cap.
        let url = format!("http://{listen}/feed/plaza-tv?wait={seq}");
        let waiters: Vec<_> = (0..300)
            .map(|_| {
                let url = url.clone();
                tokio::spawn(async move {
                    reqwest::Client::new()
                        .get(&url)
                        .send()
                        .await
                        .map(|r| r.status().as_u16())
                        .map_err(|e| e.to_string())
                })
            })
            .collect();
        // The ones past the cap are answered at once; the rest stay held. (Waited for a bounded
        // number of times: a machine under load answers the refusals later.)
        for _ in 0..400 {
            if waiters.iter().filter(|w| w.is_finished()).count() >= 300 - 128 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
        let mut refused = 0;
        let mut held = Vec::new();
        for w in waiters {
            if w.is_finished() {
                assert_eq!(w.await.unwrap(), Ok(503), "only refusals come back at once");
                refused += 1;
            } else {
                held.push(w);
            }
        }
        // Bounded, so that a service without room fails the test instead of hanging it.
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .build()
            .unwrap();
        let health = http
            .get(format!("http://{listen}/healthz"))
            .send()
            .await
            .map(|r| r.status().as_u16());
        let login = http
            .post(format!("http://{listen}/api/login"))
            .json(&serde_json::json!({"name": "王芳", "password": "district office 2026"}))
            .send()
            .await
            .map(|r| r.status().as_u16());
        let alert = http
            .post(format!("http://{listen}/api/alerts"))
            .bearer_auth(&token)
            .header("content-type", "application/cap+xml")
            .body(xml.clone())
            .send()
            .await
            .map(|r| r.status().as_u16());
        // The warning reaches every held screen.
        let held_count = held.len();
        for w in held {
            assert_eq!(w.await.unwrap(), Ok(200));
        }
        let held = vec![(); held_count];
        (refused, held.len(), health, login, alert)
    });
    serve.kill().unwrap();
    let output = serve.wait_with_output().unwrap();
    let log = String::from_utf8_lossy(&output.stderr);
    let (refused, held, health, login, alert) = result;
    assert!(log.contains("at most 128 held"), "{log}");
    assert_eq!((refused, held), (172, 128), "{log}");
    assert_eq!(health.unwrap(), 200);
    assert_eq!(login.unwrap(), 200);
    assert_eq!(alert.unwrap(), 201);
}
