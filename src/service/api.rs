//! HTTP: the routes, who may call each, and the OpenAPI document describing them.
//!
//! Every route is declared once in `routes()` with its access rule; a middleware enforces the
//! rule before the handler runs (staff session and role, CSRF header on changes, or a screen's
//! bearer token for its own id). The handlers only translate between HTTP and the workflow
//! functions, which check roles again themselves.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::rejection::JsonRejection;
use axum::extract::{ConnectInfo, FromRequest, Path, Query, RawPathParams, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, get, post, put};
use axum::{Extension, RequestExt, Router};
use base64::Engine;
use serde::{Deserialize, Serialize};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{IntoParams, OpenApi, ToSchema};

use super::Service;
use super::alerts::{self, Outcome, SourceInfo};
use super::audit::{self, AuditEntry};
use super::auth::{self, Role, User};
use super::error::{ErrorBody, ServiceError};
use super::groups::{self, GroupInfo};
use super::notices::{self, GlyphWarning, NoticeDetail, NoticeInput, NoticeSummary};
use super::report::{self, Disclosure};
use super::screens::{self, Heartbeat, PlayAnswer, PlayUpload, ScreenInfo};

pub type AppState = Arc<Service>;

pub const SESSION_COOKIE: &str = "nc_session";
pub const CSRF_HEADER: &str = "x-csrf-token";
/// Only this origin's files, no inline script or style, no framing, forms post only here.
pub const CSP: &str = "default-src 'none'; img-src 'self' blob:; style-src 'self'; \
    font-src 'self'; script-src 'self'; connect-src 'self'; form-action 'self'; \
    frame-ancestors 'none'; base-uri 'none'";
/// Large enough for a 100,000-character notice body; anything bigger is refused with 413.
pub const BODY_LIMIT: usize = 1024 * 1024;

/// Who may call a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, without credentials: feeds, keys, the API description, login.
    Public,
    /// A screen, with its bearer token, for its own id only.
    Screen,
    /// An alert source of the warning system, with its bearer token (`noticecast source add`).
    Source,
    /// Logged-in staff with one of these roles.
    Staff(&'static [Role]),
    /// A console page for staff with one of these roles: without a session, a redirect to the
    /// login page; changes carry the CSRF token as a form field (or the header).
    Console(&'static [Role]),
}

pub const ANY_STAFF: &[Role] = &[Role::Editor, Role::Reviewer, Role::Admin];
pub const EDITORS: &[Role] = &[Role::Editor];
pub const REVIEWERS: &[Role] = &[Role::Reviewer];
pub const EDITORS_AND_REVIEWERS: &[Role] = &[Role::Editor, Role::Reviewer];
pub const ADMINS: &[Role] = &[Role::Admin];
pub const REVIEWERS_AND_ADMINS: &[Role] = &[Role::Reviewer, Role::Admin];
pub const EDITORS_AND_ADMINS: &[Role] = &[Role::Editor, Role::Admin];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteInfo {
    pub method: Method,
    pub path: &'static str,
    pub access: Access,
}

/// The logged-in staff member of a request, put there by the access check.
#[derive(Debug, Clone)]
pub struct Session {
    pub user: User,
    pub csrf: String,
}

/// One row of a route table.
pub(crate) fn route(
    method: Method,
    path: &'static str,
    access: Access,
    handler: MethodRouter<AppState>,
) -> (RouteInfo, MethodRouter<AppState>) {
    (
        RouteInfo {
            method,
            path,
            access,
        },
        handler,
    )
}

/// Every route with its access rule, in one table.
pub fn routes() -> Vec<(RouteInfo, MethodRouter<AppState>)> {
    use Access::*;
    let r = route;
    vec![
        r(Method::GET, "/healthz", Public, get(healthz)),
        r(Method::GET, "/feed/keys", Public, get(feed_keys)),
        r(Method::GET, "/feed/{group}", Public, get(feed)),
        r(Method::GET, "/api/openapi.json", Public, get(openapi)),
        r(Method::POST, "/api/login", Public, post(login)),
        r(
            Method::POST,
            "/api/screens/{id}/heartbeat",
            Screen,
            post(heartbeat),
        ),
        r(Method::POST, "/api/screens/{id}/plays", Screen, post(plays)),
        r(
            Method::POST,
            "/api/screens/{id}/screenshot",
            Screen,
            post(upload_screenshot).layer(axum::extract::DefaultBodyLimit::max(
                screens::MAX_SCREENSHOT,
            )),
        ),
        r(Method::POST, "/api/alerts", Source, post(post_alert)),
        r(Method::GET, "/api/session", Staff(ANY_STAFF), get(session)),
        r(Method::POST, "/api/logout", Staff(ANY_STAFF), post(logout)),
        r(
            Method::GET,
            "/api/notices",
            Staff(ANY_STAFF),
            get(list_notices),
        ),
        r(
            Method::POST,
            "/api/notices",
            Staff(EDITORS),
            post(create_notice),
        ),
        r(
            Method::POST,
            "/api/notices/check",
            Staff(EDITORS),
            post(check_notice),
        ),
        r(
            Method::GET,
            "/api/notices/{id}",
            Staff(ANY_STAFF),
            get(get_notice),
        ),
        r(
            Method::PUT,
            "/api/notices/{id}",
            Staff(EDITORS),
            put(edit_notice),
        ),
        r(
            Method::POST,
            "/api/notices/{id}/submit",
            Staff(EDITORS),
            post(submit_notice),
        ),
        r(
            Method::POST,
            "/api/notices/{id}/approve",
            Staff(REVIEWERS),
            post(approve_notice),
        ),
        r(
            Method::POST,
            "/api/notices/{id}/reject",
            Staff(REVIEWERS),
            post(reject_notice),
        ),
        r(
            Method::POST,
            "/api/notices/{id}/withdraw",
            Staff(EDITORS_AND_REVIEWERS),
            post(withdraw_notice),
        ),
        r(
            Method::GET,
            "/api/groups",
            Staff(ANY_STAFF),
            get(list_groups),
        ),
        r(
            Method::POST,
            "/api/groups",
            Staff(ADMINS),
            post(create_group),
        ),
        r(
            Method::GET,
            "/api/groups/{group}/playlist",
            Staff(ANY_STAFF),
            get(get_playlist),
        ),
        r(
            Method::PUT,
            "/api/groups/{group}/playlist",
            Staff(ADMINS),
            put(put_playlist),
        ),
        r(
            Method::GET,
            "/api/playlist-changes",
            Staff(ANY_STAFF),
            get(list_playlist_changes),
        ),
        r(
            Method::POST,
            "/api/playlist-changes/{id}/review",
            Staff(REVIEWERS_AND_ADMINS),
            post(review_playlist_change),
        ),
        r(
            Method::GET,
            "/api/groups/{group}/areas",
            Staff(ANY_STAFF),
            get(get_areas),
        ),
        r(
            Method::PUT,
            "/api/groups/{group}/areas",
            Staff(ADMINS),
            put(put_areas),
        ),
        r(
            Method::POST,
            "/api/groups/{group}/blackout",
            Staff(ADMINS),
            post(blackout),
        ),
        r(
            Method::GET,
            "/api/sources",
            Staff(ADMINS),
            get(list_sources),
        ),
        r(
            Method::GET,
            "/api/screens",
            Staff(ANY_STAFF),
            get(list_screens),
        ),
        r(
            Method::POST,
            "/api/screens",
            Staff(ADMINS),
            post(add_screen),
        ),
        r(
            Method::POST,
            "/api/screens/{id}/token",
            Staff(ADMINS),
            post(screen_token),
        ),
        r(
            Method::POST,
            "/api/screens/{id}/screenshot/request",
            Staff(ANY_STAFF),
            post(request_screenshot),
        ),
        r(
            Method::GET,
            "/api/screens/{id}/screenshot",
            Staff(ANY_STAFF),
            get(get_screenshot),
        ),
        r(Method::GET, "/api/users", Staff(ADMINS), get(list_users)),
        r(Method::POST, "/api/users", Staff(ADMINS), post(add_user)),
        r(
            Method::PUT,
            "/api/users/{name}",
            Staff(ADMINS),
            put(update_user),
        ),
        r(Method::GET, "/api/audit", Staff(ANY_STAFF), get(audit_log)),
        r(
            Method::GET,
            "/api/reports/disclosure",
            Staff(ANY_STAFF),
            get(disclosure),
        ),
        r(
            Method::GET,
            "/api/reports/opens",
            Staff(ANY_STAFF),
            get(opens_report),
        ),
    ]
}

/// The JSON API's routes, the console's and the residents' pages.
pub fn all_routes() -> Vec<(RouteInfo, MethodRouter<AppState>)> {
    let mut all = routes();
    all.extend(super::console::routes());
    all.extend(super::public::routes());
    all
}

pub fn router(service: AppState) -> Router {
    let mut router = Router::new();
    for (info, handler) in all_routes() {
        let access = info.access;
        let guarded = handler.route_layer(middleware::from_fn_with_state(
            service.clone(),
            move |state: State<AppState>, request: Request, next: Next| {
                gate(state, access, request, next)
            },
        ));
        router = router.route(info.path, guarded);
    }
    router
        .fallback(|| async { ServiceError::NotFound("no such page".into()) })
        .layer(axum::extract::DefaultBodyLimit::max(BODY_LIMIT))
        .layer(tower_http::timeout::RequestBodyTimeoutLayer::new(
            super::BODY_TIMEOUT,
        ))
        // Answers carry unapproved text (drafts, the review queue) and sessions: no cache, no
        // proxy, keeps them, unless a route says otherwise (signed feeds, static files).
        .layer(
            tower_http::set_header::SetResponseHeaderLayer::if_not_present(
                header::CACHE_CONTROL,
                HeaderValue::from_static("no-store"),
            ),
        )
        .layer(tower_http::set_header::SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(tower_http::set_header::SetResponseHeaderLayer::overriding(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(tower_http::set_header::SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CSP),
        ))
        .layer(tower_http::set_header::SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        .layer(tower_http::trace::TraceLayer::new_for_http())
        .with_state(service)
}

/// The access check of every route.
async fn gate(
    State(service): State<AppState>,
    access: Access,
    mut request: Request,
    next: Next,
) -> Response {
    match access {
        Access::Public => next.run(request).await,
        Access::Screen => {
            let Some(token) = bearer(request.headers()) else {
                return ServiceError::Unauthenticated(
                    "send the screen's token as Authorization: Bearer <token>".into(),
                )
                .into_response();
            };
            let id = match request.extract_parts::<RawPathParams>().await {
                Ok(params) => params
                    .iter()
                    .find(|(k, _)| *k == "id")
                    .map(|(_, v)| v.to_string())
                    .unwrap_or_default(),
                Err(e) => return e.into_response(),
            };
            let checked = screens::authenticate(&service.db(), &token, &id);
            match checked {
                Ok(()) => next.run(request).await,
                Err(e) => e.into_response(),
            }
        }
        Access::Source => {
            let Some(token) = bearer(request.headers()) else {
                return ServiceError::Unauthenticated(
                    "send the alert source's token as Authorization: Bearer <token>".into(),
                )
                .into_response();
            };
            let source = alerts::authenticate(&service.db(), &token);
            match source {
                Ok(source) => {
                    request.extensions_mut().insert(source);
                    next.run(request).await
                }
                Err(e) => e.into_response(),
            }
        }
        Access::Console(roles) => {
            let resumed = match cookie(request.headers(), SESSION_COOKIE) {
                Some(token) => auth::resume_session(&service.db(), &token, service.now()),
                None => Ok(None),
            };
            let (user, csrf) = match resumed {
                Ok(Some(s)) => s,
                Ok(None) => return super::console::to_login(),
                Err(e) => return e.into_response(),
            };
            if !roles.contains(&user.role) {
                return super::console::forbidden(&user, roles);
            }
            if !matches!(*request.method(), Method::GET | Method::HEAD) {
                let (parts, body) = request.into_parts();
                let Ok(bytes) = axum::body::to_bytes(body, BODY_LIMIT).await else {
                    return ServiceError::PayloadTooLarge(format!(
                        "the form is over {BODY_LIMIT} bytes"
                    ))
                    .into_response();
                };
                let header = parts
                    .headers
                    .get(CSRF_HEADER)
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_string);
                let field = form_urlencoded::parse(&bytes)
                    .find(|(k, _)| k == "csrf")
                    .map(|(_, v)| v.into_owned());
                let sent = header.or(field).unwrap_or_default();
                if !auth::same_secret(&sent, &csrf) {
                    return super::console::stale_form(&user, &csrf);
                }
                request = Request::from_parts(parts, axum::body::Body::from(bytes));
            }
            request.extensions_mut().insert(Session { user, csrf });
            next.run(request).await
        }
        Access::Staff(roles) => {
            let Some(token) = cookie(request.headers(), SESSION_COOKIE) else {
                return ServiceError::Unauthenticated("log in first".into()).into_response();
            };
            let resumed = auth::resume_session(&service.db(), &token, service.now());
            let (user, csrf) = match resumed {
                Ok(Some(s)) => s,
                Ok(None) => {
                    return ServiceError::Unauthenticated(
                        "the session has ended: log in again".into(),
                    )
                    .into_response();
                }
                Err(e) => return e.into_response(),
            };
            if !roles.contains(&user.role) {
                return ServiceError::Forbidden(format!(
                    "{} is a {}; this needs {}",
                    user.name,
                    user.role.as_str(),
                    roles
                        .iter()
                        .map(|r| r.as_str())
                        .collect::<Vec<_>>()
                        .join(" or ")
                ))
                .into_response();
            }
            let safe = matches!(*request.method(), Method::GET | Method::HEAD);
            if !safe {
                let sent = request
                    .headers()
                    .get(CSRF_HEADER)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("");
                if !auth::same_secret(sent, &csrf) {
                    return ServiceError::Forbidden(format!(
                        "missing or wrong {CSRF_HEADER} header (from login or GET /api/session)"
                    ))
                    .into_response();
                }
            }
            request.extensions_mut().insert(Session { user, csrf });
            next.run(request).await
        }
    }
}

/// The login limiter's key for the client's address. Behind the local proxy (nginx on the same
/// host, `deploy/nginx/`) every peer is 127.0.0.1, so its `X-Real-IP` is used instead: otherwise
/// five wrong passwords from anyone would lock everyone out.
pub fn client_key(
    peer: Option<SocketAddr>,
    headers: &HeaderMap,
    trusted_proxy: bool,
) -> Option<String> {
    let peer = peer?.ip();
    let forwarded = headers
        .get("x-real-ip")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<std::net::IpAddr>().ok());
    let ip = match forwarded {
        Some(ip) if trusted_proxy && peer.is_loopback() => ip,
        _ => peer,
    };
    Some(format!("ip:{ip}"))
}

/// A browser's login form posted from another site (login CSRF: a victim logged in as the
/// attacker) is refused: a browser's POST carries `Origin`, and it must name this host. A client
/// that sends none (curl, a script) is not a browser on another site.
pub fn same_origin(headers: &HeaderMap) -> Result<(), ServiceError> {
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return Ok(());
    };
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let origin_host = origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://"))
        .unwrap_or("");
    if !host.is_empty() && origin_host.eq_ignore_ascii_case(host) {
        Ok(())
    } else {
        Err(ServiceError::Forbidden(format!(
            "a login posted from {origin:?}, not from this site"
        )))
    }
}

fn bearer(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim().to_string())
}

fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// JSON bodies whose rejections answer in the service's error format.
pub struct Body<T>(pub T);

impl<T, S> FromRequest<S> for Body<T>
where
    axum::Json<T>: FromRequest<S, Rejection = JsonRejection>,
    S: Send + Sync,
{
    type Rejection = ServiceError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(value)) => Ok(Body(value)),
            Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => Err(
                ServiceError::PayloadTooLarge(format!("the body is over {BODY_LIMIT} bytes")),
            ),
            Err(rejection) => Err(ServiceError::BadRequest(rejection.body_text())),
        }
    }
}

/// Text bodies (playlist TOML) under the same limit.
async fn text_body(request: Request) -> Result<String, ServiceError> {
    let bytes = axum::body::to_bytes(request.into_body(), BODY_LIMIT)
        .await
        .map_err(|_| {
            ServiceError::PayloadTooLarge(format!("the body is over {BODY_LIMIT} bytes"))
        })?;
    String::from_utf8(bytes.to_vec())
        .map_err(|_| ServiceError::BadRequest("the body is not UTF-8 text".into()))
}

type Answer<T> = Result<T, ServiceError>;

#[utoipa::path(get, path = "/healthz", tag = "service",
    responses((status = 200, description = "The service runs", body = String)))]
async fn healthz() -> &'static str {
    "ok"
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PublicKey {
    pub key_id: String,
    /// Base64 of the 32 raw bytes of the Ed25519 public key.
    pub public_key: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Keys {
    pub keys: Vec<PublicKey>,
}

pub fn public_keys(service: &Service) -> Keys {
    let public = service.signing_key().verifying_key();
    Keys {
        keys: vec![PublicKey {
            key_id: crate::feed::envelope::key_id(&public),
            public_key: base64::engine::general_purpose::STANDARD.encode(public.as_bytes()),
        }],
    }
}

#[utoipa::path(get, path = "/feed/keys", tag = "feeds",
    responses((status = 200, description = "The keys feeds are signed with", body = Keys)))]
async fn feed_keys(State(service): State<AppState>) -> axum::Json<Keys> {
    axum::Json(public_keys(&service))
}

/// `?wait=SEQ`: hold the request until the group's feed passes sequence SEQ.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FeedWait {
    /// The sequence the screen has: the answer comes when a newer feed exists (200), or after
    /// the long-poll time with 304.
    pub wait: Option<u64>,
}

/// Says that this server holds `?wait=` requests, and for how many seconds: a screen long-polls
/// only where it sees this (a static mirror ignores the query).
pub const LONG_POLL_HEADER: &str = "x-noticecast-long-poll";

#[utoipa::path(get, path = "/feed/{group}", tag = "feeds",
    params(("group" = String, Path, description = "The screen group"), FeedWait),
    responses(
        (status = 200, description = "The signed DSSE envelope of the group's feed (docs/feed.md)"),
        (status = 304, description = "Unchanged since the ETag sent in If-None-Match, or no newer feed than `wait` within the long-poll time"),
        (status = 404, description = "No such group", body = ErrorBody)))]
async fn feed(
    State(service): State<AppState>,
    Path(group): Path<String>,
    Query(wait): Query<FeedWait>,
    headers: HeaderMap,
) -> Answer<Response> {
    let long_poll = HeaderValue::from(
        service
            .options
            .long_poll
            .unwrap_or(super::LONG_POLL)
            .as_secs(),
    );
    let published = match wait.wait {
        None => service.feed(&group)?,
        Some(seen) => match service.newer_feed(&group, seen).await? {
            Some(published) => published,
            None => {
                let published = service.feed(&group)?;
                let etag = HeaderValue::from_str(&published.etag)
                    .map_err(|e| ServiceError::Internal(format!("etag: {e}")))?;
                return Ok((
                    StatusCode::NOT_MODIFIED,
                    [
                        (header::ETAG, etag),
                        (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
                        (header::HeaderName::from_static(LONG_POLL_HEADER), long_poll),
                    ],
                )
                    .into_response());
            }
        },
    };
    let etag = HeaderValue::from_str(&published.etag)
        .map_err(|e| ServiceError::Internal(format!("etag: {e}")))?;
    let matches = headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|tag| {
            let tag = tag.trim();
            tag == "*" || tag == published.etag
        });
    let cache = HeaderValue::from_static("no-cache");
    let long_poll_name = header::HeaderName::from_static(LONG_POLL_HEADER);
    if matches && wait.wait.is_none() {
        return Ok((
            StatusCode::NOT_MODIFIED,
            [
                (header::ETAG, etag),
                (header::CACHE_CONTROL, cache),
                (long_poll_name, long_poll),
            ],
        )
            .into_response());
    }
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            ),
            (header::ETAG, etag),
            (header::CACHE_CONTROL, cache),
            (long_poll_name, long_poll),
        ],
        published.body.clone(),
    )
        .into_response())
}

#[utoipa::path(get, path = "/api/openapi.json", tag = "service",
    responses((status = 200, description = "This API's OpenAPI document")))]
async fn openapi() -> axum::Json<utoipa::openapi::OpenApi> {
    axum::Json(ApiDoc::openapi())
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct LoginRequest {
    pub name: String,
    pub password: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SessionInfo {
    pub user: User,
    /// Send this as the `X-CSRF-Token` header with every request that changes something.
    pub csrf_token: String,
}

#[utoipa::path(post, path = "/api/login", tag = "session", request_body = LoginRequest,
    responses(
        (status = 200, description = "Logged in; the session cookie is set", body = SessionInfo),
        (status = 401, description = "Wrong name or password", body = ErrorBody),
        (status = 429, description = "Too many failed attempts", body = ErrorBody),
        (status = 503, description = "Too many password checks at once; retry after Retry-After", body = ErrorBody)))]
async fn login(
    State(service): State<AppState>,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    Body(request): Body<LoginRequest>,
) -> Answer<Response> {
    same_origin(&headers)?;
    let client = client_key(
        peer.map(|Extension(ConnectInfo(a))| a),
        &headers,
        service.options.trusted_proxy,
    );
    let user = service
        .login(&request.name, request.password, client, "session")
        .await?;
    let now = service.now();
    let (token, csrf) = {
        let conn = service.db();
        let started = auth::start_session(&conn, &user, now)?;
        audit::record(&conn, now, &user.name, "login", "session", "")?;
        started
    };
    let mut cookie = format!(
        "{SESSION_COOKIE}={token}; HttpOnly; SameSite=Strict; Path=/; Max-Age={}",
        auth::SESSION_MAX.num_seconds()
    );
    if service.options.secure_cookies {
        cookie.push_str("; Secure");
    }
    let cookie = HeaderValue::from_str(&cookie)
        .map_err(|e| ServiceError::Internal(format!("cookie: {e}")))?;
    Ok((
        [(header::SET_COOKIE, cookie)],
        axum::Json(SessionInfo {
            user,
            csrf_token: csrf,
        }),
    )
        .into_response())
}

#[utoipa::path(get, path = "/api/session", tag = "session",
    responses((status = 200, description = "Who is logged in, and the CSRF token", body = SessionInfo)),
    security(("session" = [])))]
async fn session(Extension(session): Extension<Session>) -> axum::Json<SessionInfo> {
    axum::Json(SessionInfo {
        user: session.user,
        csrf_token: session.csrf,
    })
}

#[utoipa::path(post, path = "/api/logout", tag = "session",
    responses((status = 204, description = "Logged out")),
    security(("session" = [])))]
async fn logout(State(service): State<AppState>, headers: HeaderMap) -> Answer<Response> {
    if let Some(token) = cookie(&headers, SESSION_COOKIE) {
        auth::end_session(&service.db(), &token)?;
    }
    let clear = format!("{SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0");
    let clear = HeaderValue::from_str(&clear)
        .map_err(|e| ServiceError::Internal(format!("cookie: {e}")))?;
    Ok((StatusCode::NO_CONTENT, [(header::SET_COOKIE, clear)]).into_response())
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NoticeFilter {
    /// `draft`, `submitted` (the review queue), `approved`, `rejected` or `withdrawn`.
    pub state: Option<String>,
    /// At most this many (default and most: `notices::PAGE`, 100).
    pub limit: Option<usize>,
    /// Skip this many first (the next page: `offset` + `limit`).
    pub offset: Option<usize>,
}

#[utoipa::path(get, path = "/api/notices", tag = "notices", params(NoticeFilter),
    responses((status = 200, description = "Notices, emergencies first, then newest first; one page of them (`X-Total-Count` says how many there are)", body = [NoticeSummary])),
    security(("session" = [])))]
async fn list_notices(
    State(service): State<AppState>,
    Query(filter): Query<NoticeFilter>,
) -> Answer<Response> {
    let now = service.now();
    let all = notices::list(&service.db(), filter.state.as_deref(), now)?;
    let total = all.len();
    let page = notices::page(all, filter.offset, filter.limit);
    Ok(([("x-total-count", total.to_string())], axum::Json(page)).into_response())
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Saved {
    pub id: String,
    pub revision: i64,
    /// Characters the screens cannot display (shown there as 〓).
    pub warnings: Vec<GlyphWarning>,
}

#[utoipa::path(post, path = "/api/notices", tag = "notices", request_body = NoticeInput,
    responses(
        (status = 201, description = "Created as a draft", body = Saved),
        (status = 422, description = "Invalid content; each problem names its field", body = ErrorBody)),
    security(("session" = [])))]
async fn create_notice(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    Body(input): Body<NoticeInput>,
) -> Answer<(StatusCode, axum::Json<Saved>)> {
    let id = service.change(|conn, now| notices::create(conn, &session.user, &input, now))?;
    let warnings = service.glyph_warnings(&input)?;
    Ok((
        StatusCode::CREATED,
        axum::Json(Saved {
            id,
            revision: 1,
            warnings,
        }),
    ))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CheckAnswer {
    pub warnings: Vec<GlyphWarning>,
}

#[utoipa::path(post, path = "/api/notices/check", tag = "notices", request_body = NoticeInput,
    responses(
        (status = 200, description = "Valid; characters the screens cannot display", body = CheckAnswer),
        (status = 422, description = "Invalid content", body = ErrorBody)),
    security(("session" = [])))]
async fn check_notice(
    State(service): State<AppState>,
    Body(input): Body<NoticeInput>,
) -> Answer<axum::Json<CheckAnswer>> {
    let now = service.now();
    notices::validate(&service.db(), &input, now)?;
    Ok(axum::Json(CheckAnswer {
        warnings: service.glyph_warnings(&input)?,
    }))
}

#[utoipa::path(get, path = "/api/notices/{id}", tag = "notices",
    params(("id" = String, Path, description = "e.g. 2026-0007")),
    responses(
        (status = 200, description = "The notice with all its revisions", body = NoticeDetail),
        (status = 404, description = "No such notice", body = ErrorBody)),
    security(("session" = [])))]
async fn get_notice(
    State(service): State<AppState>,
    Path(id): Path<String>,
) -> Answer<axum::Json<NoticeDetail>> {
    Ok(axum::Json(notices::get(&service.db(), &id)?))
}

#[utoipa::path(put, path = "/api/notices/{id}", tag = "notices", request_body = NoticeInput,
    params(("id" = String, Path)),
    responses(
        (status = 200, description = "A new revision, a draft; the live one stays on screens", body = Saved),
        (status = 409, description = "The notice was withdrawn", body = ErrorBody),
        (status = 422, description = "Invalid content", body = ErrorBody)),
    security(("session" = [])))]
async fn edit_notice(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    Path(id): Path<String>,
    Body(input): Body<NoticeInput>,
) -> Answer<axum::Json<Saved>> {
    let revision =
        service.change(|conn, now| notices::edit(conn, &session.user, &id, &input, now))?;
    let warnings = service.glyph_warnings(&input)?;
    Ok(axum::Json(Saved {
        id,
        revision,
        warnings,
    }))
}

#[utoipa::path(post, path = "/api/notices/{id}/submit", tag = "notices",
    params(("id" = String, Path)),
    responses(
        (status = 200, description = "Submitted for review, with any characters the screens cannot display", body = Saved),
        (status = 409, description = "The newest revision is not a draft", body = ErrorBody)),
    security(("session" = [])))]
async fn submit_notice(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    Path(id): Path<String>,
) -> Answer<axum::Json<Saved>> {
    let revision = service.change(|conn, now| notices::submit(conn, &session.user, &id, now))?;
    let detail = notices::get(&service.db(), &id)?;
    let warnings = service.glyph_warnings(&detail.latest().content)?;
    Ok(axum::Json(Saved {
        id,
        revision,
        warnings,
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct Approval {
    /// The revision reviewed; it must still be the newest.
    pub revision: i64,
    /// The reviewer confirms the confidentiality review (保密审查): must be true.
    pub confidentiality_confirmed: bool,
}

#[utoipa::path(post, path = "/api/notices/{id}/approve", tag = "review", request_body = Approval,
    params(("id" = String, Path)),
    responses(
        (status = 200, description = "Approved: it is in its groups' feeds", body = NoticeDetail),
        (status = 403, description = "The reviewer wrote this revision", body = ErrorBody),
        (status = 409, description = "Not submitted, or not the newest revision", body = ErrorBody),
        (status = 422, description = "The confidentiality review was not confirmed", body = ErrorBody)),
    security(("session" = [])))]
async fn approve_notice(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    Path(id): Path<String>,
    Body(approval): Body<Approval>,
) -> Answer<axum::Json<NoticeDetail>> {
    service.approvable(&id, approval.revision)?;
    service.change(|conn, now| {
        notices::approve(
            conn,
            &session.user,
            &id,
            approval.revision,
            approval.confidentiality_confirmed,
            now,
        )
    })?;
    Ok(axum::Json(notices::get(&service.db(), &id)?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct Rejection {
    pub revision: i64,
    /// What the editor should change.
    pub reason: String,
}

#[utoipa::path(post, path = "/api/notices/{id}/reject", tag = "review", request_body = Rejection,
    params(("id" = String, Path)),
    responses(
        (status = 200, description = "Rejected with the reason", body = NoticeDetail),
        (status = 409, description = "Not submitted, or not the newest revision", body = ErrorBody),
        (status = 422, description = "No reason given", body = ErrorBody)),
    security(("session" = [])))]
async fn reject_notice(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    Path(id): Path<String>,
    Body(rejection): Body<Rejection>,
) -> Answer<axum::Json<NoticeDetail>> {
    service.change(|conn, now| {
        notices::reject(
            conn,
            &session.user,
            &id,
            rejection.revision,
            &rejection.reason,
            now,
        )
    })?;
    Ok(axum::Json(notices::get(&service.db(), &id)?))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct Withdrawal {
    #[serde(default)]
    pub reason: String,
}

#[utoipa::path(post, path = "/api/notices/{id}/withdraw", tag = "notices", request_body = Withdrawal,
    params(("id" = String, Path)),
    responses(
        (status = 200, description = "Withdrawn: gone from every feed", body = NoticeDetail),
        (status = 409, description = "Already withdrawn", body = ErrorBody)),
    security(("session" = [])))]
async fn withdraw_notice(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    Path(id): Path<String>,
    Body(withdrawal): Body<Withdrawal>,
) -> Answer<axum::Json<NoticeDetail>> {
    service
        .change(|conn, now| notices::withdraw(conn, &session.user, &id, &withdrawal.reason, now))?;
    Ok(axum::Json(notices::get(&service.db(), &id)?))
}

#[utoipa::path(get, path = "/api/groups", tag = "groups",
    responses((status = 200, description = "Screen groups", body = [GroupInfo])),
    security(("session" = [])))]
async fn list_groups(State(service): State<AppState>) -> Answer<axum::Json<Vec<GroupInfo>>> {
    Ok(axum::Json(groups::list(&service.db())?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct NewGroup {
    pub name: String,
    /// The playlist, TOML as in `playlists/` (docs/feed.md).
    pub playlist: String,
}

#[utoipa::path(post, path = "/api/groups", tag = "groups", request_body = NewGroup,
    responses(
        (status = 201, description = "Created"),
        (status = 422, description = "Invalid name or playlist; each problem names its field", body = ErrorBody)),
    security(("session" = [])))]
async fn create_group(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    Body(group): Body<NewGroup>,
) -> Answer<StatusCode> {
    service.change(|conn, now| {
        groups::create(conn, &session.user, &group.name, &group.playlist, now)
    })?;
    Ok(StatusCode::CREATED)
}

#[utoipa::path(get, path = "/api/groups/{group}/playlist", tag = "groups",
    params(("group" = String, Path)),
    responses((status = 200, description = "The playlist TOML", body = String, content_type = "application/toml")),
    security(("session" = [])))]
async fn get_playlist(
    State(service): State<AppState>,
    Path(group): Path<String>,
) -> Answer<Response> {
    let text = groups::playlist_text(&service.db(), &group)?;
    Ok((
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/toml; charset=utf-8"),
        )],
        text,
    )
        .into_response())
}

#[utoipa::path(put, path = "/api/groups/{group}/playlist", tag = "groups",
    params(("group" = String, Path)),
    request_body(content = String, content_type = "application/toml", description = "The new playlist"),
    responses(
        (status = 204, description = "Replaced; the group's feed carries it"),
        (status = 202, description = "It changes what residents read or scan (name, ticker text, public_url): waits for a second person", body = groups::PlaylistOutcome),
        (status = 422, description = "Invalid: refused, the last good playlist stays", body = ErrorBody)),
    security(("session" = [])))]
async fn put_playlist(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    Path(group): Path<String>,
    request: Request,
) -> Answer<Response> {
    let text = text_body(request).await?;
    let outcome = service
        .change(|conn, now| groups::put_playlist(conn, &session.user, &group, &text, now))?;
    Ok(match outcome {
        groups::PlaylistOutcome::Applied => StatusCode::NO_CONTENT.into_response(),
        pending => (StatusCode::ACCEPTED, axum::Json(pending)).into_response(),
    })
}

#[utoipa::path(get, path = "/api/playlist-changes", tag = "groups",
    responses((status = 200, description = "Playlist edits waiting for a second person", body = [groups::PlaylistChange])),
    security(("session" = [])))]
async fn list_playlist_changes(
    State(service): State<AppState>,
) -> Answer<axum::Json<Vec<groups::PlaylistChange>>> {
    Ok(axum::Json(groups::pending_playlists(&service.db())?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct PlaylistReview {
    /// `true` to approve (the edit is applied), `false` to reject.
    pub approve: bool,
    /// Why, for a rejection (kept in the audit log).
    #[serde(default)]
    pub reason: String,
}

#[utoipa::path(post, path = "/api/playlist-changes/{id}/review", tag = "groups",
    params(("id" = i64, Path)), request_body = PlaylistReview,
    responses(
        (status = 204, description = "Approved (applied) or rejected"),
        (status = 403, description = "The edit's own author", body = ErrorBody),
        (status = 409, description = "Not waiting for review", body = ErrorBody)),
    security(("session" = [])))]
async fn review_playlist_change(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    Path(id): Path<i64>,
    Body(review): Body<PlaylistReview>,
) -> Answer<StatusCode> {
    service.change(|conn, now| {
        groups::review_playlist(conn, &session.user, id, review.approve, &review.reason, now)
    })?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/alerts", tag = "alerts",
    request_body(content = String, content_type = "application/cap+xml",
        description = "A CAP 1.2 alert (urn:oasis:names:tc:emergency:cap:1.2) or a GB/T 35965.1 message"),
    responses(
        (status = 201, description = "A new warning: published (a direct source) or submitted for review", body = Outcome),
        (status = 200, description = "Updated, cancelled, a duplicate identifier (nothing changes) or ignored (not an Actual message)", body = Outcome),
        (status = 400, description = "Not XML, not an alert, or a required element missing; the reason names it", body = ErrorBody),
        (status = 401, description = "Missing or unknown source token", body = ErrorBody),
        (status = 422, description = "No group covers the alert's areas (the codes are named), or an Update/Cancel references no known alert", body = ErrorBody)),
    security(("source" = [])))]
async fn post_alert(
    State(service): State<AppState>,
    Extension(source): Extension<alerts::Source>,
    request: Request,
) -> Answer<(StatusCode, axum::Json<Outcome>)> {
    let kind = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if !matches!(
        kind.as_str(),
        "application/cap+xml" | "application/xml" | "text/xml"
    ) {
        return Err(ServiceError::BadRequest(format!(
            "send the alert as application/cap+xml (or application/xml), not {kind:?}"
        )));
    }
    let text = text_body(request).await?;
    let alert = alerts::parse(&text)?;
    let outcome = service.change(|conn, now| alerts::receive(conn, &source, &alert, now))?;
    let status = match outcome.result.as_str() {
        "published" | "submitted" => StatusCode::CREATED,
        _ => StatusCode::OK,
    };
    tracing::info!(
        source = %source.name,
        identifier = %alert.identifier,
        result = %outcome.result,
        notice = ?outcome.notice,
        "alert received"
    );
    Ok((status, axum::Json(outcome)))
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Areas {
    /// Six-digit administrative area codes (行政区划代码), e.g. 330102.
    pub codes: Vec<String>,
}

#[utoipa::path(get, path = "/api/groups/{group}/areas", tag = "groups",
    params(("group" = String, Path)),
    responses((status = 200, description = "The group's area codes", body = Areas)),
    security(("session" = [])))]
async fn get_areas(
    State(service): State<AppState>,
    Path(group): Path<String>,
) -> Answer<axum::Json<Areas>> {
    let conn = service.db();
    if !groups::exists(&conn, &group)? {
        return Err(ServiceError::NotFound(format!(
            "no screen group named {group:?}"
        )));
    }
    Ok(axum::Json(Areas {
        codes: groups::areas(&conn, &group)?,
    }))
}

#[utoipa::path(put, path = "/api/groups/{group}/areas", tag = "groups", request_body = Areas,
    params(("group" = String, Path)),
    responses(
        (status = 204, description = "Replaced"),
        (status = 422, description = "A code is not six digits", body = ErrorBody)),
    security(("session" = [])))]
async fn put_areas(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    Path(group): Path<String>,
    Body(areas): Body<Areas>,
) -> Answer<StatusCode> {
    service
        .change(|conn, now| groups::set_areas(conn, &session.user, &group, &areas.codes, now))?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct BlackoutRequest {
    /// `true` puts the group's screens on the neutral standby page, `false` lifts it.
    pub on: bool,
    #[serde(default)]
    pub reason: String,
}

#[utoipa::path(post, path = "/api/groups/{group}/blackout", tag = "groups",
    request_body = BlackoutRequest, params(("group" = String, Path)),
    responses(
        (status = 204, description = "Done; the screens follow within seconds (long poll)"),
        (status = 409, description = "Already in that state", body = ErrorBody)),
    security(("session" = [])))]
async fn blackout(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    Path(group): Path<String>,
    Body(request): Body<BlackoutRequest>,
) -> Answer<StatusCode> {
    service.change(|conn, now| {
        groups::set_blackout(
            conn,
            &session.user,
            &group,
            request.on,
            &request.reason,
            now,
        )
    })?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/api/sources", tag = "alerts",
    responses((status = 200, description = "Alert sources: how each publishes, how many alerts it sent", body = [SourceInfo])),
    security(("session" = [])))]
async fn list_sources(State(service): State<AppState>) -> Answer<axum::Json<Vec<SourceInfo>>> {
    Ok(axum::Json(alerts::list_sources(&service.db())?))
}

#[utoipa::path(get, path = "/api/screens", tag = "screens",
    responses((status = 200, description = "Every screen, online when heard from within 3 minutes", body = [ScreenInfo])),
    security(("session" = [])))]
async fn list_screens(State(service): State<AppState>) -> Answer<axum::Json<Vec<ScreenInfo>>> {
    let now = service.now();
    Ok(axum::Json(screens::list(&service.db(), now)?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct NewScreen {
    pub id: String,
    pub group: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ScreenToken {
    pub id: String,
    /// Shown this once: put it in the screen's player.toml.
    pub token: String,
}

#[utoipa::path(post, path = "/api/screens", tag = "screens", request_body = NewScreen,
    responses(
        (status = 201, description = "Enrolled", body = ScreenToken),
        (status = 409, description = "Already enrolled", body = ErrorBody)),
    security(("session" = [])))]
async fn add_screen(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    Body(screen): Body<NewScreen>,
) -> Answer<(StatusCode, axum::Json<ScreenToken>)> {
    let token = service.change(|conn, now| {
        screens::add(conn, &session.user.name, &screen.id, &screen.group, now)
    })?;
    Ok((
        StatusCode::CREATED,
        axum::Json(ScreenToken {
            id: screen.id,
            token,
        }),
    ))
}

#[utoipa::path(post, path = "/api/screens/{id}/token", tag = "screens",
    params(("id" = String, Path)),
    responses((status = 200, description = "A new token; the old one no longer works", body = ScreenToken)),
    security(("session" = [])))]
async fn screen_token(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    Path(id): Path<String>,
) -> Answer<axum::Json<ScreenToken>> {
    let now = service.now();
    let token = screens::new_token(&service.db(), &session.user, &id, now)?;
    Ok(axum::Json(ScreenToken { id, token }))
}

#[utoipa::path(post, path = "/api/screens/{id}/heartbeat", tag = "screens", request_body = Heartbeat,
    params(("id" = String, Path)),
    responses(
        (status = 200, description = "Recorded", body = HeartbeatAnswer),
        (status = 401, description = "No or unknown token", body = ErrorBody),
        (status = 403, description = "The token is another screen's", body = ErrorBody)),
    security(("screen" = [])))]
async fn heartbeat(
    State(service): State<AppState>,
    Path(id): Path<String>,
    Body(beat): Body<Heartbeat>,
) -> Answer<axum::Json<HeartbeatAnswer>> {
    let now = service.now();
    let screenshot = screens::heartbeat(&service.db(), &id, &beat, now)?;
    Ok(axum::Json(HeartbeatAnswer {
        ok: true,
        screenshot,
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HeartbeatAnswer {
    pub ok: bool,
    /// Staff asked what the screen shows: upload a screenshot (`POST .../screenshot`).
    pub screenshot: bool,
}

#[utoipa::path(post, path = "/api/screens/{id}/screenshot", tag = "screens",
    params(("id" = String, Path)),
    request_body(content = Vec<u8>, content_type = "image/png", description = "What the screen shows now"),
    responses(
        (status = 204, description = "Stored as the screen's latest screenshot"),
        (status = 422, description = "Not a PNG", body = ErrorBody)),
    security(("screen" = [])))]
async fn upload_screenshot(
    State(service): State<AppState>,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> Answer<StatusCode> {
    let now = service.now();
    screens::store_screenshot(&service.db(), &id, &body, now)?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/screens/{id}/screenshot/request", tag = "screens",
    params(("id" = String, Path)),
    responses(
        (status = 202, description = "Asked; the screen sends one after its next heartbeat (within about a minute)"),
        (status = 404, description = "No such screen", body = ErrorBody)),
    security(("session" = [])))]
async fn request_screenshot(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    Path(id): Path<String>,
) -> Answer<StatusCode> {
    let now = service.now();
    screens::request_screenshot(&service.db(), &session.user, &id, now)?;
    Ok(StatusCode::ACCEPTED)
}

#[utoipa::path(get, path = "/api/screens/{id}/screenshot", tag = "screens",
    params(("id" = String, Path)),
    responses(
        (status = 200, description = "The latest screenshot (PNG); X-Taken-At says when it arrived", content_type = "image/png"),
        (status = 404, description = "None yet", body = ErrorBody)),
    security(("session" = [])))]
async fn get_screenshot(
    State(service): State<AppState>,
    Path(id): Path<String>,
) -> Answer<Response> {
    let (taken_at, png) = screens::screenshot(&service.db(), &id)?;
    let taken = HeaderValue::from_str(&taken_at)
        .map_err(|e| ServiceError::Internal(format!("header: {e}")))?;
    Ok((
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("image/png")),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        [("x-taken-at", taken)],
        png,
    )
        .into_response())
}

#[utoipa::path(post, path = "/api/screens/{id}/plays", tag = "screens", request_body = PlayUpload,
    params(("id" = String, Path)),
    responses(
        (status = 200, description = "Counted; records seen before are not counted again", body = PlayAnswer),
        (status = 401, description = "No or unknown token", body = ErrorBody),
        (status = 403, description = "The token is another screen's", body = ErrorBody)),
    security(("screen" = [])))]
async fn plays(
    State(service): State<AppState>,
    Path(id): Path<String>,
    Body(upload): Body<PlayUpload>,
) -> Answer<axum::Json<PlayAnswer>> {
    // Per screen: a screen uploads a batch a minute, more while it catches up after being
    // offline; a flood (30,000 rows a second was seen) is turned away before the database.
    service
        .upload_limiter
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .admit(&id, std::time::Instant::now())?;
    let now = service.now();
    let answer = screens::record_plays(&mut service.db(), &id, &upload, now)?;
    Ok(axum::Json(answer))
}

#[utoipa::path(get, path = "/api/users", tag = "users",
    responses((status = 200, description = "Staff users", body = [User])),
    security(("session" = [])))]
async fn list_users(State(service): State<AppState>) -> Answer<axum::Json<Vec<User>>> {
    Ok(axum::Json(auth::list_users(&service.db())?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct NewUser {
    pub name: String,
    pub role: Role,
    /// At least 10 characters.
    pub password: String,
}

#[utoipa::path(post, path = "/api/users", tag = "users", request_body = NewUser,
    responses(
        (status = 201, description = "Created", body = User),
        (status = 409, description = "The name is taken", body = ErrorBody),
        (status = 422, description = "Invalid name or password", body = ErrorBody)),
    security(("session" = [])))]
async fn add_user(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    Body(new): Body<NewUser>,
) -> Answer<(StatusCode, axum::Json<User>)> {
    let user = service.change(|conn, now| {
        auth::add_user(
            conn,
            &session.user.name,
            &new.name,
            new.role,
            &new.password,
            now,
        )
    })?;
    Ok((StatusCode::CREATED, axum::Json(user)))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct UserChange {
    pub role: Option<Role>,
    /// A new password; ends the user's sessions.
    pub password: Option<String>,
    /// `true` disables the account (it can no longer log in; its sessions end), `false` enables
    /// it again.
    pub disabled: Option<bool>,
}

#[utoipa::path(put, path = "/api/users/{name}", tag = "users", request_body = UserChange,
    params(("name" = String, Path)),
    responses(
        (status = 200, description = "Changed", body = User),
        (status = 404, description = "No such user", body = ErrorBody)),
    security(("session" = [])))]
async fn update_user(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    Path(name): Path<String>,
    Body(change): Body<UserChange>,
) -> Answer<axum::Json<User>> {
    let user = service.change(|conn, now| {
        let password = change.password.as_deref();
        auth::update_user(
            conn,
            &session.user.name,
            &name,
            change.role,
            password,
            change.disabled,
            now,
        )
    })?;
    Ok(axum::Json(user))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditPage {
    /// Entries before this id (the smallest id of the previous page).
    pub before: Option<i64>,
    /// At most 1000; default 100.
    pub limit: Option<u32>,
}

#[utoipa::path(get, path = "/api/audit", tag = "audit", params(AuditPage),
    responses((status = 200, description = "The audit log, newest first", body = [AuditEntry])),
    security(("session" = [])))]
async fn audit_log(
    State(service): State<AppState>,
    Query(page): Query<AuditPage>,
) -> Answer<axum::Json<Vec<AuditEntry>>> {
    Ok(axum::Json(audit::list(
        &service.db(),
        page.before,
        page.limit.unwrap_or(100),
    )?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportQuery {
    pub year: i32,
    /// `json` (default) or `csv`.
    pub format: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct YearQuery {
    pub year: i32,
}

#[utoipa::path(get, path = "/api/reports/opens", tag = "reports", params(YearQuery),
    responses(
        (status = 200, description = "Notices residents opened on touch terminals, per day, notice and channel", body = report::Opens),
        (status = 422, description = "A bad year", body = ErrorBody)),
    security(("session" = [])))]
async fn opens_report(
    State(service): State<AppState>,
    query: Result<Query<YearQuery>, axum::extract::rejection::QueryRejection>,
) -> Answer<axum::Json<report::Opens>> {
    let Query(query) = query.map_err(|e| ServiceError::BadRequest(e.body_text()))?;
    Ok(axum::Json(report::opens(&service.db(), query.year)?))
}

#[utoipa::path(get, path = "/api/reports/disclosure", tag = "reports", params(ReportQuery),
    responses(
        (status = 200, description = "Per channel and category: notices, plays, screen-hours (JSON, or CSV with format=csv)", body = Disclosure),
        (status = 422, description = "A bad year or format", body = ErrorBody)),
    security(("session" = [])))]
async fn disclosure(
    State(service): State<AppState>,
    query: Result<Query<ReportQuery>, axum::extract::rejection::QueryRejection>,
) -> Answer<Response> {
    let Query(query) = query.map_err(|e| ServiceError::BadRequest(e.body_text()))?;
    let report = report::disclosure(&service.db(), query.year)?;
    match query.format.as_deref() {
        None | Some("json") => Ok(axum::Json(report).into_response()),
        Some("csv") => {
            let disposition = HeaderValue::from_str(&format!(
                "attachment; filename=\"disclosure-{}.csv\"",
                query.year
            ))
            .map_err(|e| ServiceError::Internal(format!("header: {e}")))?;
            Ok((
                [
                    (
                        header::CONTENT_TYPE,
                        HeaderValue::from_static("text/csv; charset=utf-8"),
                    ),
                    (header::CONTENT_DISPOSITION, disposition),
                ],
                report::to_csv(&report),
            )
                .into_response())
        }
        Some(other) => Err(ServiceError::invalid(
            "format",
            format!("{other:?} is neither json nor csv"),
        )),
    }
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "noticecast",
        description = "Notices, four-eyes review, signed per-group feeds, screens and the disclosure report."
    ),
    paths(
        healthz, feed_keys, feed, openapi, login, session, logout, list_notices, create_notice,
        check_notice, get_notice, edit_notice, submit_notice, approve_notice, reject_notice,
        withdraw_notice, list_groups, create_group, get_playlist, put_playlist, list_screens,
        add_screen, screen_token, heartbeat, plays, upload_screenshot, request_screenshot,
        get_screenshot, list_users, add_user, update_user, audit_log, post_alert, get_areas,
        put_areas, blackout, list_sources, list_playlist_changes, review_playlist_change,
        disclosure, opens_report
    ),
    modifiers(&Security)
)]
pub struct ApiDoc;

struct Security;

impl utoipa::Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                SESSION_COOKIE,
                "The session cookie set by POST /api/login; changes also need the X-CSRF-Token header",
            ))),
        );
        components.add_security_scheme(
            "source",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "The alert source's token from `noticecast source add`",
                    ))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "screen",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("The screen's token from `noticecast screen add`"))
                    .build(),
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_proxys_real_ip_counts_only_from_the_proxy() {
        let mut headers = HeaderMap::new();
        headers.insert("x-real-ip", HeaderValue::from_static("203.0.113.7"));
        let local: SocketAddr = "127.0.0.1:50000".parse().unwrap();
        let remote: SocketAddr = "198.51.100.2:50000".parse().unwrap();
        assert_eq!(
            client_key(Some(local), &headers, true).unwrap(),
            "ip:203.0.113.7"
        );
        // Without --trusted-proxy a local client cannot choose its key either.
        assert_eq!(
            client_key(Some(local), &headers, false).unwrap(),
            "ip:127.0.0.1"
        );
        // A client talking to the service directly cannot choose its own key.
        assert_eq!(
            client_key(Some(remote), &headers, true).unwrap(),
            "ip:198.51.100.2"
        );
        assert_eq!(
            client_key(Some(local), &HeaderMap::new(), true).unwrap(),
            "ip:127.0.0.1"
        );
        assert_eq!(client_key(None, &headers, true), None);
    }
}
