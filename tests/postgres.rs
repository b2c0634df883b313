//! The city platform on a real PostgreSQL (issue 30), with `noticecast serve` processes as
//! deployed: two districts on one platform without seeing each other, two nodes on one
//! database as one service (a screen waiting on one gets what was approved on the other), and
//! the primary killed under a synchronous standby that is then promoted (nothing a client was
//! told is approved is lost; approving goes on).
//!
//! The service's own tests run on PostgreSQL too: `.ci/run` runs them again with
//! `NOTICECAST_TEST_POSTGRES` set (tests/common/service.rs gives each service a schema).

mod common;

use std::io::Write;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde_json::{Value, json};

use common::postgres::{Cluster, Pair};

const PASSWORD: &str = "a long enough password 2026";

/// Runs the command line; its standard output, or a panic with its error.
fn cli(args: &[&str], stdin: &str) -> String {
    let mut child = Command::new(env!("CARGO_BIN_EXE_noticecast"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "noticecast {}: {}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).to_string()
}

/// `noticecast tenant add NAME --title TITLE`.
fn tenant_add(data: &Path, url: &str, name: &str, title: &str) {
    let data = data.display().to_string();
    cli(
        &[
            "tenant",
            "add",
            "--data",
            &data,
            "--database",
            url,
            name,
            "--title",
            title,
        ],
        "",
    );
}

/// Adds an editor and a reviewer to `tenant` (or the platform's own office).
fn staff(data: &Path, url: &str, tenant: Option<&str>, prefix: &str) {
    let data = data.display().to_string();
    for (name, role) in [("editor", "editor"), ("reviewer", "reviewer")] {
        let name = format!("{prefix}-{name}");
        let mut args = vec!["user", "add", "--data", &data, "--database", url];
        if let Some(t) = tenant {
            args.extend(["--tenant", t]);
        }
        args.extend([name.as_str(), "--role", role]);
        cli(&args, &format!("{PASSWORD}\n"));
    }
}

/// A `serve` process: killed when dropped.
struct Node {
    child: Child,
    base: String,
}

impl Node {
    fn start(data: &Path, url: &str) -> Node {
        Node::start_with(data, url, &[])
    }

    fn start_with(data: &Path, url: &str, args: &[&str]) -> Node {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(env!("CARGO_BIN_EXE_noticecast"))
            .args(["serve", "--data"])
            .arg(data)
            .args(["--database", url, "--listen", &format!("127.0.0.1:{port}")])
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let node = Node {
            child,
            base: format!("http://127.0.0.1:{port}"),
        };
        let deadline = Instant::now() + Duration::from_secs(60);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "serve did not start on {port}");
            std::thread::sleep(Duration::from_millis(50));
        }
        node
    }

    fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A logged-in staff member's cookie and CSRF token.
struct Staff {
    cookie: String,
    csrf: String,
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(60))
        .build()
        .unwrap()
}

async fn login(base: &str, name: &str) -> Result<Staff, reqwest::StatusCode> {
    let r = client()
        .post(format!("{base}/api/login"))
        .json(&json!({"name": name, "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    if !r.status().is_success() {
        return Err(r.status());
    }
    let cookie = r.headers()["set-cookie"].to_str().unwrap().to_string();
    let body: Value = r.json().await.unwrap();
    Ok(Staff {
        cookie: cookie.split(';').next().unwrap().to_string(),
        csrf: body["csrf_token"].as_str().unwrap().to_string(),
    })
}

async fn call(method: reqwest::Method, url: &str, staff: &Staff, body: Value) -> (u16, Value) {
    let r = client()
        .request(method, url)
        .header("cookie", &staff.cookie)
        .header("x-csrf-token", &staff.csrf)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

/// `GET url` as `staff`: the status and the JSON answer.
async fn get(url: &str, staff: &Staff) -> (u16, Value) {
    call(reqwest::Method::GET, url, staff, Value::Null).await
}

/// Writes, submits and approves a notice for `group` through `base`'s API; its id.
async fn publish(base: &str, editor: &Staff, reviewer: &Staff, title: &str, group: &str) -> String {
    let notice = json!({
        "title": title,
        "body": "为方便群众办事，自即日起延长办公时间。\n\n详情请咨询服务窗口。",
        "category": "services",
        "priority": "normal",
        "issuer": "云岭区政务服务中心",
        "valid_from": "2026-01-01T00:00:00+08:00",
        "valid_until": null,
        "groups": [group],
    });
    let post = reqwest::Method::POST;
    let (status, body) = call(post.clone(), &format!("{base}/api/notices"), editor, notice).await;
    assert_eq!(status, 201, "{body}");
    let id = body["id"].as_str().unwrap().to_string();
    let submit = format!("{base}/api/notices/{id}/submit");
    let (status, body) = call(post.clone(), &submit, editor, json!({})).await;
    assert!(status < 300, "{status} {body}");
    let approve = format!("{base}/api/notices/{id}/approve");
    let confirm = json!({"revision": 1, "confidentiality_confirmed": true});
    let (status, body) = call(post, &approve, reviewer, confirm).await;
    assert!(status < 300, "{status} {body}");
    id
}

/// The group's feed at `url`: its sequence and its document as text.
async fn feed(url: &str) -> (u64, String) {
    let r = client().get(url).send().await.unwrap();
    assert_eq!(r.status(), 200, "{url}");
    let envelope: Value = r.json().await.unwrap();
    let payload = BASE64
        .decode(envelope["payload"].as_str().unwrap())
        .unwrap();
    let doc: Value = serde_json::from_slice(&payload).unwrap();
    (
        doc["sequence"].as_u64().unwrap(),
        String::from_utf8(payload).unwrap(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_districts_share_a_platform_without_seeing_each_other() {
    let db = Cluster::start();
    db.create_database("platform");
    let url = db.url("platform");
    let data = tempfile::tempdir().unwrap();
    let d = data.path().display().to_string();
    for (name, title) in [("cj", "澄江县"), ("jn", "晋宁区")] {
        tenant_add(data.path(), &url, name, title);
        staff(data.path(), &url, Some(name), name);
    }
    let listed = cli(&["tenant", "list", "--data", &d, "--database", &url], "");
    assert!(
        listed.contains("cj\t澄江县") && listed.contains("jn\t晋宁区"),
        "{listed}"
    );
    // A name that is no path segment, and a tenant twice, are refused.
    let out = Command::new(env!("CARGO_BIN_EXE_noticecast"))
        .args(["tenant", "add", "--data", &d, "--database", &url])
        .args(["../x", "--title", "坏"])
        .output()
        .unwrap();
    assert!(!out.status.success());

    // The platform's own administrator, and one of its editors.
    for (name, role) in [
        ("platform-admin", "sysadmin"),
        ("platform-editor", "editor"),
    ] {
        cli(
            &[
                "user",
                "add",
                "--data",
                &d,
                "--database",
                &url,
                name,
                "--role",
                role,
            ],
            &format!("{PASSWORD}\n"),
        );
    }

    let node = Node::start(data.path(), &url);
    let cj = format!("{}/t/cj", node.base);
    let jn = format!("{}/t/jn", node.base);
    let editor = login(&cj, "cj-editor").await.unwrap();
    let reviewer = login(&cj, "cj-reviewer").await.unwrap();
    let id = publish(
        &cj,
        &editor,
        &reviewer,
        "澄江县冬季供水调整通知",
        "plaza-tv",
    )
    .await;
    let (_, own) = feed(&format!("{cj}/feed/plaza-tv")).await;
    assert!(own.contains("澄江县冬季供水调整通知"));

    // Not by feed, not by list, not by id, not by login.
    let (_, other) = feed(&format!("{jn}/feed/plaza-tv")).await;
    assert!(!other.contains("澄江县冬季供水调整通知"), "{other}");
    let jn_editor = login(&jn, "jn-editor").await.unwrap();
    let (status, list) = get(&format!("{jn}/api/notices"), &jn_editor).await;
    assert_eq!(status, 200);
    assert!(!list.to_string().contains(&id), "{list}");
    let (status, _) = get(&format!("{jn}/api/notices/{id}"), &jn_editor).await;
    assert_eq!(status, 404);
    assert!(login(&jn, "cj-editor").await.is_err());
    assert!(login(&node.base, "cj-editor").await.is_err());
    // A session of one district is no session in another's.
    let (status, _) = get(&format!("{jn}/api/notices"), &editor).await;
    assert_eq!(status, 401);
    // Each district signs with its own key.
    let keys = |base: String| async move {
        client()
            .get(format!("{base}/feed/keys"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    };
    assert_ne!(keys(cj.clone()).await, keys(jn.clone()).await);
    // An unknown district is not found.
    let r = client()
        .get(format!("{}/t/nowhere/feed/plaza-tv", node.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    // The console's links stay inside the district.
    let r = client()
        .get(format!("{cj}/console/login"))
        .send()
        .await
        .unwrap();
    let page = r.text().await.unwrap();
    assert!(page.contains("href=\"/t/cj/"), "{page}");
    assert!(!page.contains("href=\"/console"), "{page}");
    assert!(
        page.contains("澄江县 · 政务公开屏发布平台"),
        "whose console: {page}"
    );
    // The playlist form's live preview asks the district, not the platform.
    let r = client()
        .get(format!("{cj}/console/groups/plaza-tv"))
        .header("cookie", &editor.cookie)
        .send()
        .await
        .unwrap();
    let page = r.text().await.unwrap();
    assert!(
        page.contains("data-preview=\"/t/cj/console/groups/plaza-tv/preview\""),
        "{page}"
    );

    // The platform's administrator sees each district's health, never its notices.
    let admin = login(&node.base, "platform-admin").await.unwrap();
    let health = format!("{}/api/platform/tenants", node.base);
    let (status, body) = get(&health, &admin).await;
    assert_eq!(status, 200, "{body}");
    let listed = body["tenants"].as_array().unwrap();
    assert_eq!(listed.len(), 2, "{body}");
    assert_eq!(listed[0]["name"], "cj");
    assert_eq!(listed[0]["title"], "澄江县");
    assert_eq!(listed[0]["groups"], 3);
    assert!(!body.to_string().contains("供水"), "{body}");
    let platform_editor = login(&node.base, "platform-editor").await.unwrap();
    let (status, _) = get(&health, &platform_editor).await;
    assert_eq!(status, 403);
    let (status, _) = get(&health, &editor).await;
    assert_eq!(status, 401, "a district's session is none on the platform");
    let (status, _) = get(&format!("{cj}/api/platform/tenants"), &editor).await;
    assert_eq!(status, 404, "a district has no platform");

    // The database's own wall: each district's rows are in a schema of its own.
    let counts = db.psql(
        "platform",
        "SELECT (SELECT count(*) FROM tenant_cj.notices), (SELECT count(*) FROM tenant_jn.notices)",
    );
    assert_eq!(counts, "1|0");
    // …each owned by the district's own role, which the database refuses the other's rows
    // and the platform's, whatever a statement names.
    for (role, other) in [("jn", "tenant_cj.notices"), ("cj", "public.users")] {
        let refused = db.try_psql(
            "platform",
            &format!("SET ROLE noticecast_tenant_{role}; SELECT count(*) FROM {other}"),
        );
        assert!(
            refused
                .as_ref()
                .is_err_and(|e| e.contains("permission denied")),
            "{role} read {other}: {refused:?}"
        );
    }
    let own = db.psql(
        "platform",
        "SET ROLE noticecast_tenant_cj; SELECT count(*) FROM tenant_cj.notices",
    );
    assert_eq!(own.lines().last(), Some("1"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_screen_waiting_on_one_node_gets_what_was_approved_on_another() {
    let db = Cluster::start();
    db.create_database("city");
    let url = db.url("city");
    let data = tempfile::tempdir().unwrap();
    staff(data.path(), &url, None, "office");
    tenant_add(data.path(), &url, "cj", "澄江县");
    staff(data.path(), &url, Some("cj"), "cj");
    let a = Node::start(data.path(), &url);
    let b = Node::start(data.path(), &url);
    let (sequence, _) = feed(&format!("{}/feed/plaza-tv", b.base)).await;
    // A screen waits on node B…
    let waiting = tokio::spawn({
        let url = format!("{}/feed/plaza-tv?wait={sequence}", b.base);
        async move {
            let r = client().get(url).send().await.unwrap();
            (Instant::now(), r.status().as_u16(), r.text().await.unwrap())
        }
    });
    tokio::time::sleep(Duration::from_millis(500)).await;
    // …while the notice is approved on node A.
    let editor = login(&a.base, "office-editor").await.unwrap();
    let reviewer = login(&a.base, "office-reviewer").await.unwrap();
    publish(&a.base, &editor, &reviewer, "跨节点送达的通知", "plaza-tv").await;
    let approved = Instant::now();
    let (answered, status, body) = waiting.await.unwrap();
    assert_eq!(status, 200, "{body}");
    let envelope: Value = serde_json::from_str(&body).unwrap();
    let payload = BASE64
        .decode(envelope["payload"].as_str().unwrap())
        .unwrap();
    assert!(
        String::from_utf8(payload)
            .unwrap()
            .contains("跨节点送达的通知")
    );
    let took = answered.saturating_duration_since(approved);
    assert!(
        took < Duration::from_secs(2),
        "node B answered {took:?} after node A's approval"
    );
    // A session made on one node is good on the other (sessions are rows).
    let (status, _) = get(&format!("{}/api/notices", b.base), &editor).await;
    assert_eq!(status, 200);

    // The same for a district: a screen of cj waiting on node B, cj's approval on node A.
    // (Each node signs a district's feeds anew when it opens the district, as a service does
    // at its start: both open it first.)
    let cj_a = format!("{}/t/cj", a.base);
    let cj_editor = login(&cj_a, "cj-editor").await.unwrap();
    let cj_reviewer = login(&cj_a, "cj-reviewer").await.unwrap();
    let cj_feed = format!("{}/t/cj/feed/plaza-tv", b.base);
    let (sequence, _) = feed(&cj_feed).await;
    let waiting = tokio::spawn({
        let url = format!("{cj_feed}?wait={sequence}");
        async move {
            let r = client().get(url).send().await.unwrap();
            (Instant::now(), r.status().as_u16(), r.text().await.unwrap())
        }
    });
    tokio::time::sleep(Duration::from_millis(500)).await;
    publish(
        &cj_a,
        &cj_editor,
        &cj_reviewer,
        "澄江县跨节点通知",
        "plaza-tv",
    )
    .await;
    let approved = Instant::now();
    let (answered, status, body) = waiting.await.unwrap();
    assert_eq!(status, 200, "{body}");
    let took = answered.saturating_duration_since(approved);
    assert!(took < Duration::from_secs(2), "cj on node B: {took:?}");
    let envelope: Value = serde_json::from_str(&body).unwrap();
    let payload = BASE64
        .decode(envelope["payload"].as_str().unwrap())
        .unwrap();
    assert!(
        String::from_utf8(payload)
            .unwrap()
            .contains("澄江县跨节点通知")
    );

    // A guesser gains nothing by changing nodes: five wrong passwords for a name that never
    // logged in from here on A, and B refuses the sixth attempt before it checks anything, as
    // does a node started since.
    let wrong = |base: String| async move {
        client()
            .post(format!("{base}/api/login"))
            .json(&json!({"name": "office-auditor", "password": "guess guess guess"}))
            .send()
            .await
            .unwrap()
            .status()
            .as_u16()
    };
    for _ in 0..5 {
        assert_eq!(wrong(a.base.clone()).await, 401);
    }
    assert_eq!(
        wrong(b.base.clone()).await,
        429,
        "node B counts node A's failures"
    );
    let restarted = Node::start(data.path(), &url);
    assert_eq!(wrong(restarted.base.clone()).await, 429, "a new node too");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn losing_the_primary_loses_nothing_approved_and_approving_goes_on() {
    let pair = Pair::start();
    pair.primary.create_database("city");
    let url = pair.url("city");
    let data = tempfile::tempdir().unwrap();
    staff(data.path(), &url, None, "office");
    let mut a = Node::start(data.path(), &url);
    let editor = login(&a.base, "office-editor").await.unwrap();
    let reviewer = login(&a.base, "office-reviewer").await.unwrap();
    let mut told = Vec::new();
    for i in 0..3 {
        told.push(
            publish(
                &a.base,
                &editor,
                &reviewer,
                &format!("故障切换前的通知{i}"),
                "plaza-tv",
            )
            .await,
        );
    }
    // The primary dies; the synchronous standby becomes the primary.
    pair.primary.stop_immediately();
    pair.promote_standby();
    // Node A goes on, on the new primary, without a restart: a request or two may fail while it
    // connects again.
    let deadline = Instant::now() + Duration::from_secs(30);
    let after = loop {
        let r = client()
            .post(format!("{}/api/notices", a.base))
            .header("cookie", &editor.cookie)
            .header("x-csrf-token", &editor.csrf)
            .json(&json!({}))
            .send()
            .await;
        if matches!(&r, Ok(r) if r.status() != 500 && r.status() != 503) {
            break publish(&a.base, &editor, &reviewer, "故障切换后的通知", "plaza-tv").await;
        }
        assert!(Instant::now() < deadline, "node A did not come back: {r:?}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    let (_, doc) = feed(&format!("{}/feed/plaza-tv", a.base)).await;
    for (i, id) in told.iter().enumerate() {
        assert!(doc.contains(&format!("故障切换前的通知{i}")), "lost {id}");
    }
    assert!(doc.contains("故障切换后的通知"), "{after}");
    // A node started after the failover finds everything through the same URL.
    a.kill();
    let b = Node::start(data.path(), &url);
    let (_, doc) = feed(&format!("{}/feed/plaza-tv", b.base)).await;
    assert!(doc.contains("故障切换前的通知0") && doc.contains("故障切换后的通知"));
    let count = pair.standby.psql(
        "city",
        "SELECT count(*) FROM revisions WHERE status = 'approved'",
    );
    assert_eq!(count, "4");
}

/// PostgreSQL's schema refuses what SQLite's refuses, with the same messages: the audit log
/// append-only (180 days, TRUNCATE too), play envelopes kept as received, one approval refused
/// where two are needed, every CHECK, UNIQUE and reference (tests/pg/schema_check.sql, in psql).
#[test]
fn the_postgresql_schema_keeps_the_same_rules() {
    let db = Cluster::start();
    db.create_database("rules");
    let out = Command::new("/usr/lib/postgresql/15/bin/psql")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "-X",
            "-v",
            "ON_ERROR_STOP=1",
            "-h",
            "127.0.0.1",
            "-U",
            "postgres",
        ])
        .args(["-p", &db.port().to_string(), "-d", "rules"])
        .args(["-f", "tests/pg/schema_check.sql"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("all checks passed"));
}

/// Many first requests at once for a district no node has opened yet, on a node started with
/// another signature suite (which replaces a key never published): it is opened once, and every
/// answer names the one key the database records.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_district_opened_by_many_requests_at_once_is_opened_once() {
    let db = Cluster::start();
    db.create_database("city");
    let url = db.url("city");
    let data = tempfile::tempdir().unwrap();
    tenant_add(data.path(), &url, "race", "竞争县");
    let node = Node::start_with(data.path(), &url, &["--suite", "sm2"]);
    let keys = format!("{}/t/race/feed/keys", node.base);
    let answers: Vec<_> = (0..24)
        .map(|_| {
            let keys = keys.clone();
            tokio::spawn(async move {
                let r = client().get(keys).send().await.unwrap();
                (r.status().as_u16(), r.text().await.unwrap())
            })
        })
        .collect();
    let mut bodies = std::collections::BTreeSet::new();
    for a in answers {
        let (status, body) = a.await.unwrap();
        assert_eq!(status, 200, "{body}");
        bodies.insert(body);
    }
    assert_eq!(bodies.len(), 1, "one key: {bodies:?}");
    // A node started again serves the same key: the record and the files agree.
    drop(node);
    let again = Node::start(data.path(), &url);
    let r = client()
        .get(format!("{}/t/race/feed/keys", again.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(bodies.contains(&r.text().await.unwrap()));
    // The district's feeds are signed by the key its screens are given.
    let (_, doc) = feed(&format!("{}/t/race/feed/plaza-tv", again.base)).await;
    assert!(doc.contains("plaza-tv"));
}

/// A service whose database role may not make roles (no CREATEROLE) runs the districts whose
/// roles the database's administrator made and granted it beforehand, and refuses, naming the
/// database, a district whose role is missing.
#[test]
fn districts_roles_made_beforehand_need_no_createrole() {
    let db = Cluster::start();
    db.psql("postgres", "CREATE ROLE noticecast_app LOGIN");
    db.psql("postgres", "CREATE DATABASE city OWNER noticecast_app");
    db.psql(
        "city",
        "CREATE ROLE noticecast_tenant_cj NOLOGIN; GRANT noticecast_tenant_cj TO noticecast_app",
    );
    let url = format!("postgres://noticecast_app@127.0.0.1:{}/city", db.port());
    let data = tempfile::tempdir().unwrap();
    let d = data.path().display().to_string();
    tenant_add(data.path(), &url, "cj", "澄江县");
    staff(data.path(), &url, Some("cj"), "cj");
    let owner = db.psql(
        "city",
        "SELECT nspowner::regrole FROM pg_namespace WHERE nspname = 'tenant_cj'",
    );
    assert_eq!(owner, "noticecast_tenant_cj");
    let out = Command::new(env!("CARGO_BIN_EXE_noticecast"))
        .args(["tenant", "add", "--data", &d, "--database", &url, "jn"])
        .args(["--title", "晋宁区"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("permission denied") && err.contains("city"),
        "{err}"
    );
}

/// The embedded default takes districts too: each a SQLite file and keys of its own under
/// `tenants/NAME/`, the same paths, the same isolation. (An empty `--database` is SQLite's.)
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn districts_on_the_embedded_database() {
    let data = tempfile::tempdir().unwrap();
    tenant_add(data.path(), "", "cj", "澄江县");
    staff(data.path(), "", Some("cj"), "cj");
    assert!(data.path().join("tenants/cj/noticecast.db").exists());
    assert!(data.path().join("tenants/cj/signing.key").exists());
    let node = Node::start(data.path(), "");
    let cj = format!("{}/t/cj", node.base);
    let editor = login(&cj, "cj-editor").await.unwrap();
    let reviewer = login(&cj, "cj-reviewer").await.unwrap();
    publish(&cj, &editor, &reviewer, "澄江县的通知", "plaza-tv").await;
    let (_, own) = feed(&format!("{cj}/feed/plaza-tv")).await;
    assert!(own.contains("澄江县的通知"));
    let (_, platform) = feed(&format!("{}/feed/plaza-tv", node.base)).await;
    assert!(!platform.contains("澄江县的通知"));
    assert!(login(&node.base, "cj-editor").await.is_err());
}
