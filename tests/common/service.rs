//! A central service on an in-memory database with a clock the test moves, and requests through
//! its router without a socket (`oneshot`).
#![allow(dead_code)]

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use ed25519_dalek::SigningKey;
use noticecast::model::{FeedDocument, Timestamp};
use noticecast::service::domain::accounts::{self, Role};
use noticecast::service::{Options, Service, http::server};
use serde_json::{Value, json};
use tower::ServiceExt;

pub const PASSWORD: &str = "a long test password";

pub struct Harness {
    pub service: Arc<Service>,
    pub router: Router,
    pub clock: Arc<Mutex<Timestamp>>,
}

/// A staff member's session: the cookie and the CSRF token.
#[derive(Debug, Clone)]
pub struct Staff {
    pub cookie: String,
    pub csrf: String,
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

impl Harness {
    pub fn new(start: &str) -> Harness {
        Harness::with_options(start, Options::default())
    }

    /// A harness whose service has `options` (the bundled fonts unless they say otherwise).
    pub fn with_options(start: &str, options: Options) -> Harness {
        let clock = Arc::new(Mutex::new(super::t(start)));
        let options = on_test_database(options);
        if std::env::var_os("NOTICECAST_TEST_LOG").is_some() {
            let _ = tracing_subscriber::fmt().with_test_writer().try_init();
        }
        let c = clock.clone();
        let service = Arc::new(
            Service::in_memory(
                SigningKey::from_bytes(&[3u8; 32]),
                Options {
                    fonts: options.fonts.clone().or_else(|| Some(super::path("fonts"))),
                    ..options
                },
                Arc::new(move || *c.lock().unwrap()),
            )
            .unwrap(),
        );
        let router = server::router(service.clone());
        Harness {
            service,
            router,
            clock,
        }
    }

    pub fn advance(&self, span: chrono::Duration) {
        *self.clock.lock().unwrap() += span;
    }

    pub fn now(&self) -> Timestamp {
        *self.clock.lock().unwrap()
    }

    pub fn add_user(&self, name: &str, role: Role) {
        self.service
            .change(|conn, now| {
                accounts::add_user(conn, "test", name, role, PASSWORD, now).map(|_| ())
            })
            .unwrap();
    }

    pub async fn request(
        &self,
        method: Method,
        path: &str,
        staff: Option<&Staff>,
        bearer: Option<&str>,
        body: Option<Value>,
    ) -> Reply {
        let mut builder = Request::builder().method(method).uri(path);
        if let Some(staff) = staff {
            builder = builder
                .header(header::COOKIE, &staff.cookie)
                .header("x-csrf-token", &staff.csrf);
        }
        if let Some(token) = bearer {
            builder = builder.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        let request = match body {
            Some(body) => builder
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(body.to_string())),
            None => builder.body(Body::empty()),
        }
        .unwrap();
        self.send(request).await
    }

    /// `POST /api/screens/{screen}/plays` with the screen's token, as a screen sends it: signed
    /// with its device key (`device_key`), which a security administrator has confirmed (done
    /// here the first time). A body that is already an envelope goes as it is.
    pub async fn upload_plays(&self, screen: &str, token: &str, body: Value) -> Reply {
        let body = if body.get("payloadType").is_some() {
            body
        } else {
            self.confirm_device_key(screen);
            let key = device_key(screen);
            let envelope = noticecast::feed::envelope::sign_as(
                noticecast::feed::envelope::PLAYS_PAYLOAD_TYPE,
                body.to_string().as_bytes(),
                &[&key],
            )
            .unwrap();
            serde_json::to_value(&envelope).unwrap()
        };
        let path = format!("/api/screens/{screen}/plays");
        self.request(Method::POST, &path, None, Some(token), Some(body))
            .await
    }

    /// Screen `screen`'s test device key confirmed, as if its heartbeat had presented it and the
    /// security administrator had compared its id with the screen's.
    pub fn confirm_device_key(&self, screen: &str) {
        use noticecast::feed::Signer;
        confirm_key(&self.service, screen, &device_key(screen).public_key());
    }

    pub async fn send(&self, request: Request<Body>) -> Reply {
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let body = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap()
            .to_vec();
        Reply {
            status,
            headers,
            body,
        }
    }

    pub async fn login(&self, name: &str) -> Staff {
        self.login_with(name, PASSWORD).await
    }

    /// A login with another password than the tests' (a one-time code, a changed password).
    pub async fn login_with(&self, name: &str, password: &str) -> Staff {
        let reply = self
            .request(
                Method::POST,
                "/api/login",
                None,
                None,
                Some(json!({"name": name, "password": password})),
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{name}: {}", reply.text());
        let cookie = reply.headers[header::SET_COOKIE].to_str().unwrap();
        assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"));
        Staff {
            cookie: cookie.split(';').next().unwrap().to_string(),
            csrf: reply.json()["csrf_token"].as_str().unwrap().to_string(),
        }
    }

    pub async fn get(&self, path: &str, staff: &Staff) -> Reply {
        self.request(Method::GET, path, Some(staff), None, None)
            .await
    }

    pub async fn post(&self, path: &str, staff: &Staff, body: Value) -> Reply {
        self.request(Method::POST, path, Some(staff), None, Some(body))
            .await
    }

    pub async fn put(&self, path: &str, staff: &Staff, body: Value) -> Reply {
        self.request(Method::PUT, path, Some(staff), None, Some(body))
            .await
    }

    /// The group's feed over HTTP: the envelope, its ETag and the decoded document.
    /// Writes, submits and approves `notice` (API JSON) as `editor` and `reviewer`; its id.
    pub async fn publish(&self, editor: &Staff, reviewer: &Staff, notice: Value) -> String {
        let r = self.post("/api/notices", editor, notice).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        let id = r.json()["id"].as_str().unwrap().to_string();
        let r = self
            .post(&format!("/api/notices/{id}/submit"), editor, json!({}))
            .await;
        assert!(r.status.is_success(), "{}", r.text());
        let r = self
            .post(
                &format!("/api/notices/{id}/approve"),
                reviewer,
                json!({"revision": 1, "confidentiality_confirmed": true}),
            )
            .await;
        assert!(r.status.is_success(), "{}", r.text());
        id
    }

    /// Sends every request at once from a runtime of four threads; the answers' statuses, in
    /// order.
    pub fn all_at_once(&self, requests: Vec<Request<Body>>) -> Vec<StatusCode> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(4)
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            let tasks: Vec<_> = requests
                .into_iter()
                .map(|request| {
                    let router = self.router.clone();
                    tokio::spawn(async move { router.oneshot(request).await.unwrap().status() })
                })
                .collect();
            let mut out = Vec::new();
            for t in tasks {
                out.push(t.await.unwrap());
            }
            out
        })
    }

    pub async fn feed(&self, group: &str) -> (Value, String, FeedDocument) {
        let reply = self
            .request(Method::GET, &format!("/feed/{group}"), None, None, None)
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
        let etag = reply.headers[header::ETAG].to_str().unwrap().to_string();
        let envelope = reply.json();
        let payload = BASE64
            .decode(envelope["payload"].as_str().unwrap())
            .unwrap();
        let doc: FeedDocument = serde_json::from_slice(&payload).unwrap();
        (envelope, etag, doc)
    }
}

/// The device key a player will sign with from `cache_dir` (made now, as its first start
/// would), confirmed for `screen`.
pub fn confirm_player_key(service: &Service, screen: &str, cache_dir: &std::path::Path) {
    use noticecast::feed::Signer;
    let key = noticecast::feed::device::load_or_create(cache_dir).unwrap();
    confirm_key(service, screen, &key.public_key());
}

/// `key` confirmed as screen `screen`'s device key (if it is not already), as the security
/// administrator does after comparing its id with the one the screen shows.
pub fn confirm_key(service: &Service, screen: &str, key: &noticecast::feed::PublicKey) {
    let text = key.to_text();
    let confirmed: Option<String> = service
        .db()
        .query_row(
            "SELECT device_key FROM screens WHERE id = ?1",
            [screen],
            |r| r.get(0),
        )
        .unwrap();
    if confirmed.as_deref() == Some(text.as_str()) {
        return;
    }
    service
        .db()
        .execute(
            "INSERT INTO device_key_candidates (screen_id, key, first_seen, last_seen)
             VALUES (?1, ?2, '2026-01-01T00:00:00+08:00', '2026-01-01T00:00:00+08:00')
             ON CONFLICT DO NOTHING",
            [screen, text.as_str()],
        )
        .unwrap();
    let secadmin = accounts::User {
        id: 0,
        name: "test-secadmin".into(),
        role: Role::Secadmin,
        must_change_password: false,
    };
    service
        .record(|conn, now| {
            noticecast::service::domain::screens::confirm_device_key(
                conn,
                &secadmin,
                screen,
                &key.key_id(),
                now,
            )
        })
        .unwrap();
}

/// The device key a test screen signs its plays with: one per screen id, always the same.
pub fn device_key(screen: &str) -> SigningKey {
    use sha2::Digest;
    SigningKey::from_bytes(&sha2::Sha256::digest(screen.as_bytes()).into())
}

/// A notice as an editor writes it.
pub fn notice(title: &str, groups: &[&str], from: &str, until: Option<&str>) -> Value {
    json!({
        "title": title,
        "body": "为方便群众办事，自即日起延长办公时间。\n\n详情请咨询服务窗口。",
        "category": "services",
        "priority": "normal",
        "issuer": "云岭区政务服务中心",
        "valid_from": from,
        "valid_until": until,
        "groups": groups,
    })
}

/// A login with a wrong password for `name`, as JSON.
pub fn wrong_login(name: &str) -> Request<Body> {
    Request::post("/api/login")
        .header("content-type", "application/json")
        .body(Body::from(
            json!({"name": name, "password": "not the password"}).to_string(),
        ))
        .unwrap()
}

/// How many of `statuses` are `code`.
pub fn count(statuses: &[StatusCode], code: StatusCode) -> usize {
    statuses.iter().filter(|s| **s == code).count()
}

pub fn run<T>(f: impl std::future::Future<Output = T>) -> T {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(f)
}

/// Serves `service` on a loopback port from a thread of its own.
pub fn serve_on_loopback(service: Arc<Service>) -> std::net::SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            // As `noticecast serve` serves: its connection handling and timeouts.
            noticecast::service::serve_listener(listener, service, std::future::pending())
                .await
                .unwrap();
        });
    });
    addr
}

/// A notice for plaza-tv, valid since an hour ago, written and approved through the workflow by
/// two new users; returns its id.
pub fn publish(service: &Service, title: &str) -> String {
    publish_to(service, title, "plaza-tv")
}

/// `publish` for another group.
pub fn publish_to(service: &Service, title: &str, group: &str) -> String {
    let mut input = notice_input(service, title);
    input.groups = vec![group.into()];
    publish_input(service, &input)
}

/// A notice of the public-affairs kind, showing from an hour ago, for plaza-tv.
pub fn notice_input(
    service: &Service,
    title: &str,
) -> noticecast::service::domain::notices::NoticeInput {
    noticecast::service::domain::notices::NoticeInput {
        title: title.into(),
        body: "本周六上午九时在村委会广场举行防汛应急演练，请村民积极参加。".into(),
        category: noticecast::model::Category::PublicAffairs,
        priority: noticecast::model::Priority::Normal,
        issuer: "云岭区应急管理局".into(),
        doc_number: None,
        valid_from: service.now() - chrono::Duration::hours(1),
        valid_until: None,
        url: Some("https://www.example.gov.cn/2026/1127.html".into()),
        level: None,
        instruction: None,
        contact: None,
        alert_id: None,
        notice_period: None,
        figures: Vec::new(),
        groups: vec!["plaza-tv".into()],
    }
}

/// Writes, submits and approves `input` through the workflow, as an editor and a reviewer made
/// on first use.
pub fn publish_input(
    service: &Service,
    input: &noticecast::service::domain::notices::NoticeInput,
) -> String {
    use noticecast::service::domain::notices;
    let staff = |name: &str, role: Role| {
        service
            .change(|conn, now| match accounts::user_by_name(conn, name)? {
                Some(user) => Ok(user),
                None => accounts::add_user(conn, "test", name, role, "a long password", now),
            })
            .unwrap()
    };
    let editor = staff("王芳", Role::Editor);
    let reviewer = staff("李审核", Role::Reviewer);
    let id = service
        .change(|conn, now| {
            let id = notices::create(conn, &editor, input, now)?;
            notices::submit(conn, &editor, &id, now)?;
            Ok(id)
        })
        .unwrap();
    service.approve(&reviewer, &id, 1, true).unwrap();
    id
}

impl Harness {
    /// A console session: its cookie and the CSRF token its pages carry.
    pub async fn console_login(&self, name: &str) -> (String, String) {
        let body = form_urlencoded::Serializer::new(String::new())
            .extend_pairs([("name", name), ("password", PASSWORD)])
            .finish();
        let r = self
            .send(
                Request::post("/console/login")
                    .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .body(Body::from(body))
                    .unwrap(),
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
        let cookie = r.headers[header::SET_COOKIE].to_str().unwrap();
        let cookie = cookie.split(';').next().unwrap().to_string();
        let page = self.console_get(&cookie, "/console").await.text();
        let csrf = between(&page, "name=\"csrf\" value=\"", "\"").unwrap();
        (cookie, csrf)
    }

    /// A form as a browser posts it: the session's CSRF token, `fields`, then a file part named
    /// `file_field` (a Chinese file name in it as UTF-8, as browsers send it).
    pub async fn console_multipart(
        &self,
        (cookie, csrf): &(String, String),
        path: &str,
        fields: &[(&str, &str)],
        (file_field, file_name, media_type, bytes): (&str, &str, &str, Vec<u8>),
    ) -> Reply {
        let boundary = "----noticecastFormBoundary7MA4YWxk";
        let mut body = Vec::new();
        for (name, value) in [("csrf", csrf.as_str())].iter().chain(fields) {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n\
                     {value}\r\n"
                )
                .as_bytes(),
            );
        }
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{file_field}\"; \
                 filename=\"{file_name}\"\r\nContent-Type: {media_type}\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(&bytes);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let request = Request::post(path)
            .header(header::COOKIE, cookie)
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(Body::from(body))
            .unwrap();
        self.send(request).await
    }

    /// A console page as the session with `cookie` sees it.
    pub async fn console_get(&self, cookie: &str, path: &str) -> Reply {
        let request = Request::get(path)
            .header(header::COOKIE, cookie)
            .body(Body::empty())
            .unwrap();
        self.send(request).await
    }
}

/// The text between the first `start` and the `end` after it.
pub fn between(text: &str, start: &str, end: &str) -> Option<String> {
    let rest = text.split(start).nth(1)?;
    Some(rest.split(end).next()?.to_string())
}

/// `options` on PostgreSQL when `NOTICECAST_TEST_POSTGRES` names a database (`.ci/run` runs the
/// service's tests a second time so): a schema of its own for each service, as a tenant has.
pub fn on_test_database(mut options: Options) -> Options {
    if let Ok(url) = std::env::var("NOTICECAST_TEST_POSTGRES") {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        options.database = Some(url);
        options.schema = Some(format!(
            "test_{}_{}_{n}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_millis()
        ));
    }
    options
}
