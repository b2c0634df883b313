//! What every HTTP area shares (the JSON API, the console, the residents' pages, the feeds):
//! the state handlers get, who may call a route (`Access`), the route table's row, the logged-in
//! session, JSON and text bodies with the service's errors, cookies and client addresses.
//!
//! Each area (`api`, `console`, `public`, `feed_http`) lists its routes and guards them with its
//! own gate (`guard`); `server` merges the areas. Nothing here knows any area.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::MethodRouter;
use utoipa::openapi::path::Paths;
use utoipa::openapi::{RefOr, schema::Schema};

use crate::service::domain::accounts::{Role, User};
use crate::service::domain::error::Error;
use crate::service::domain::sessions;
use crate::service::domain::state::Service;
use crate::service::http::error::HttpError;

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

pub const ANY_STAFF: &[Role] = &Role::ALL;
/// Every account, also one that has no role yet or must replace a one-time code first: who am
/// I, logging out, changing one's own password. Nothing else.
pub const OWN_ACCOUNT: &[Role] = &[
    Role::Editor,
    Role::Reviewer,
    Role::Sysadmin,
    Role::Secadmin,
    Role::Auditor,
    Role::Unassigned,
];
pub const EDITORS: &[Role] = &[Role::Editor];
pub const REVIEWERS: &[Role] = &[Role::Reviewer];
pub const EDITORS_AND_REVIEWERS: &[Role] = &[Role::Editor, Role::Reviewer];
pub const SYSADMINS: &[Role] = &[Role::Sysadmin];
pub const SECADMINS: &[Role] = &[Role::Secadmin];
pub const AUDITORS: &[Role] = &[Role::Auditor];
/// Users' accounts: the system administrator keeps them, the security administrator grants
/// roles.
pub const ACCOUNT_ADMINS: &[Role] = &[Role::Sysadmin, Role::Secadmin];
pub const REVIEWERS_AND_SYSADMINS: &[Role] = &[Role::Reviewer, Role::Sysadmin];
pub const EDITORS_AND_SYSADMINS: &[Role] = &[Role::Editor, Role::Sysadmin];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteInfo {
    pub method: Method,
    pub path: String,
    pub access: Access,
}

/// The logged-in staff member of a request, put there by the access check.
#[derive(Debug, Clone)]
pub struct Session {
    pub user: User,
    pub csrf: String,
}

/// One row of an area's route table.
pub struct Route {
    pub info: RouteInfo,
    pub handler: MethodRouter<AppState>,
    /// The OpenAPI operation and the schemas it names, for routes of the API description: taken
    /// from the handler's `#[utoipa::path]`, which also gives the method and the path, so the
    /// description is the routes themselves.
    pub doc: Option<(Paths, Schemas)>,
}

/// The schemas an operation names, by name.
pub type Schemas = Vec<(String, RefOr<Schema>)>;

/// What `utoipa_axum::routes!(handler)` gives: the schemas, the path and the handler.
pub type Documented = (Schemas, Paths, MethodRouter<AppState>);

impl Route {
    /// An undocumented route (a console page, a residents' page).
    pub fn new(
        method: Method,
        path: &'static str,
        access: Access,
        handler: MethodRouter<AppState>,
    ) -> Route {
        Route {
            info: RouteInfo {
                method,
                path: path.into(),
                access,
            },
            handler,
            doc: None,
        }
    }

    /// A route of the API description, from `utoipa_axum::routes!(handler)`.
    pub fn documented(access: Access, (schemas, paths, handler): Documented) -> Route {
        let (path, item) = paths
            .paths
            .iter()
            .next()
            .expect("routes! names one handler");
        let methods: Vec<Method> = [
            (Method::GET, item.get.is_some()),
            (Method::POST, item.post.is_some()),
            (Method::PUT, item.put.is_some()),
            (Method::DELETE, item.delete.is_some()),
            (Method::PATCH, item.patch.is_some()),
        ]
        .into_iter()
        .filter_map(|(m, has)| has.then_some(m))
        .collect();
        assert_eq!(methods.len(), 1, "{path}: one method per route");
        Route {
            info: RouteInfo {
                method: methods[0].clone(),
                path: path.clone(),
                access,
            },
            handler,
            doc: Some((paths, schemas)),
        }
    }

    /// The handler with a larger body limit than the service's (a screenshot).
    pub fn body_limit(mut self, bytes: usize) -> Route {
        self.handler = self
            .handler
            .layer(axum::extract::DefaultBodyLimit::max(bytes));
        self
    }
}

/// An area's router: each route behind the area's gate, which is given the route's `Access`.
pub fn guard<G, F>(service: &AppState, routes: Vec<Route>, gate: G) -> Router<AppState>
where
    G: Fn(AppState, Access, Request, Next) -> F + Clone + Send + Sync + 'static,
    F: Future<Output = Response> + Send + 'static,
{
    let mut router = Router::new();
    for route in routes {
        let access = route.info.access;
        let gate = gate.clone();
        let guarded = route.handler.route_layer(middleware::from_fn_with_state(
            service.clone(),
            move |State(service): State<AppState>, request: Request, next: Next| {
                // The request's address goes into every audit entry written while serving it.
                let origin = client_address(
                    request
                        .extensions()
                        .get::<axum::extract::ConnectInfo<SocketAddr>>()
                        .map(|c| c.0),
                    request.headers(),
                    service.options.trusted_proxy,
                )
                .map_or_else(|| "unknown".to_string(), |ip| ip.to_string());
                crate::service::domain::state::ORIGIN
                    .scope(origin, gate(service, access, request, next))
            },
        ));
        router = router.route(&route.info.path, guarded);
    }
    router
}

/// An area whose every route is public: nothing to check.
pub fn unguarded(routes: Vec<Route>) -> Router<AppState> {
    routes.into_iter().fold(Router::new(), |router, route| {
        assert_eq!(route.info.access, Access::Public, "{}", route.info.path);
        router.route(&route.info.path, route.handler)
    })
}

/// The staff member whose session cookie a request carries, with the session's CSRF token;
/// `None` without a cookie or when the session has ended.
pub fn resume(service: &Service, headers: &HeaderMap) -> Result<Option<(User, String)>, Error> {
    match cookie(headers, SESSION_COOKIE) {
        Some(token) => service.read(|conn, now| sessions::resume_session(conn, &token, now)),
        None => Ok(None),
    }
}

/// The CSRF token a change sent in the header, if any.
pub fn csrf_header(headers: &HeaderMap) -> Option<&str> {
    headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok())
}

/// Why `user` may not call a route open to `roles`, beyond the roles themselves: an account
/// that still holds a one-time code must replace it first, one without a role waits for one.
/// Routes open to `OWN_ACCOUNT` are never held back.
pub fn held_back(user: &User, roles: &[Role]) -> Option<Hold> {
    if roles == OWN_ACCOUNT {
        None
    } else if user.must_change_password {
        Some(Hold::ChangePassword)
    } else if user.role == Role::Unassigned {
        Some(Hold::NoRole)
    } else {
        None
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hold {
    ChangePassword,
    NoRole,
}

impl Hold {
    pub fn explain(self, user: &User) -> String {
        match self {
            Hold::ChangePassword => format!(
                "{} must change the password first: it is a one-time code (PUT /api/me/password \
                 with {{\"current\", \"new\"}})",
                user.name
            ),
            Hold::NoRole => format!(
                "{} has no role yet: the security administrator grants one",
                user.name
            ),
        }
    }
}

/// A staff member asked for what their role (or their account's state, `why`) does not allow:
/// audited as a failure (a pattern of these is what an auditor looks for), then the area answers
/// in its own way. At most one entry per user, route and minute (`audit::RefusalFolds`): the
/// next says how many were folded into it, so a loop cannot flood the log that nobody may
/// delete; a count left over when a loop stops is written a minute later, by the next refusal
/// of anyone.
pub fn refused(service: &Service, user: &User, method: &Method, route: &str, why: &str) {
    let now = service.now();
    let key = format!("user:{}|{method} {route}", user.id);
    let source = crate::service::domain::state::ORIGIN
        .try_with(|origin| origin.clone())
        .unwrap_or_else(|_| "host".into());
    let subject = format!("{method} {route}");
    let entries = service
        .refusals
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .admit(&key, (&user.name, &subject, &source), why, now);
    if entries.is_empty() {
        return;
    }
    let recorded = service.record(|conn, now| {
        for e in &entries {
            // A count another key left over came from its own client's address.
            crate::service::domain::audit::set_source(conn, &e.source)?;
            crate::service::domain::audit::record_outcome(
                conn,
                now,
                &e.actor,
                crate::service::domain::audit::Action::AccessDenied,
                &e.subject,
                &e.detail,
                crate::service::domain::audit::Outcome::Failure,
            )?;
        }
        Ok(())
    });
    if let Err(e) = recorded {
        tracing::error!("auditing a refusal: {e}");
    }
}

/// A staff request's response that is a refusal (403, with its `Refusal`): audited through
/// `refused`, folded per user, route and minute like the gates' own refusals.
pub fn audit_refusal(
    service: &Service,
    user: &User,
    method: &Method,
    route: &str,
    response: &axum::response::Response,
) {
    if response.status() != axum::http::StatusCode::FORBIDDEN {
        return;
    }
    let why = response
        .extensions()
        .get::<crate::service::http::error::Refusal>()
        .map_or("refused", |r| r.0.as_str());
    refused(service, user, method, route, why);
}

/// The route's pattern (`/api/notices/{id}`), not the path asked for: refusals fold per route,
/// whatever ids a loop runs through.
pub fn route_of(request: &Request) -> String {
    request
        .extensions()
        .get::<axum::extract::MatchedPath>()
        .map_or_else(
            || request.uri().path().to_string(),
            |m| m.as_str().to_string(),
        )
}

/// "NAME is a ROLE; this needs ROLES".
pub fn needs(user: &User, roles: &[Role]) -> String {
    format!(
        "{} is a {}; this needs {}",
        user.name,
        user.role.as_str(),
        roles
            .iter()
            .map(|r| r.as_str())
            .collect::<Vec<_>>()
            .join(" or ")
    )
}

/// How long a client may take to send a request's headers: 200 connections that sent half a
/// header and waited were once held for as long as they liked.
pub const HEADER_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);
/// How long a write to a client may wait for it to read (`server::TimedWrites`): a client that
/// never reads its answer is cut off after this, not held for ever.
pub const WRITE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);
/// How long a client may take to send a request's body (the largest is 16 MiB, a screenshot).
pub const BODY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(60);

/// The login limiter's key for the client's address. Behind the local proxy (nginx on the same
/// host, `deploy/nginx/`) every peer is 127.0.0.1, so its `X-Real-IP` is used instead: otherwise
/// five wrong passwords from anyone would lock everyone out.
pub fn client_key(
    peer: Option<SocketAddr>,
    headers: &HeaderMap,
    trusted_proxy: bool,
) -> Option<String> {
    client_address(peer, headers, trusted_proxy).map(|ip| format!("ip:{ip}"))
}

/// The client's address: the peer's, or the local proxy's `X-Real-IP` (see `client_key`).
pub fn client_address(
    peer: Option<SocketAddr>,
    headers: &HeaderMap,
    trusted_proxy: bool,
) -> Option<std::net::IpAddr> {
    let peer = peer?.ip();
    let forwarded = headers
        .get("x-real-ip")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<std::net::IpAddr>().ok());
    Some(match forwarded {
        Some(ip) if trusted_proxy && peer.is_loopback() => ip,
        _ => peer,
    })
}

/// A browser's login form posted from another site (login CSRF: a victim logged in as the
/// attacker) is refused: a browser's POST carries `Origin`, and it must name this host. A client
/// that sends none (curl, a script) is not a browser on another site.
pub fn same_origin(headers: &HeaderMap) -> Result<(), Error> {
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
        Err(Error::Forbidden(crate::model::Reason::Detail(format!(
            "a login posted from {origin:?}, not from this site"
        ))))
    }
}

pub fn bearer(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim().to_string())
}

/// The browser's device cookie, if it sent a well-formed one, else a new one to set (`true`):
/// the login limiter learns which names logged in from which browser, so that no one else's
/// wrong passwords keep it out (`limits::LoginLimiter`).
pub fn device_cookie(headers: &HeaderMap) -> Result<(String, bool), Error> {
    match cookie(headers, crate::service::domain::limits::DEVICE_COOKIE) {
        Some(token)
            if token.len() == 43
                && token
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') =>
        {
            Ok((token, false))
        }
        _ => Ok((crate::service::domain::passwords::random_token()?, true)),
    }
}

/// The `Set-Cookie` value for a device cookie (400 days, what browsers allow at most).
pub fn device_set_cookie(token: &str, secure: bool) -> Option<axum::http::HeaderValue> {
    let mut cookie = format!(
        "{}={token}; HttpOnly; SameSite=Strict; Path=/; Max-Age={}",
        crate::service::domain::limits::DEVICE_COOKIE,
        400 * 24 * 3600
    );
    if secure {
        cookie.push_str("; Secure");
    }
    axum::http::HeaderValue::from_str(&cookie).ok()
}

pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
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
    type Rejection = HttpError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(value)) => Ok(Body(value)),
            Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => Err(
                HttpError::PayloadTooLarge(format!("the body is over {BODY_LIMIT} bytes")),
            ),
            Err(rejection) => Err(HttpError::BadRequest(rejection.body_text())),
        }
    }
}

/// Text bodies (playlist TOML) under the same limit.
pub async fn text_body(request: Request) -> Result<String, HttpError> {
    let bytes = axum::body::to_bytes(request.into_body(), BODY_LIMIT)
        .await
        .map_err(|_| HttpError::PayloadTooLarge(format!("the body is over {BODY_LIMIT} bytes")))?;
    String::from_utf8(bytes.to_vec())
        .map_err(|_| HttpError::BadRequest("the body is not UTF-8 text".into()))
}

/// What a handler of the JSON API returns: its answer, or an error in the API's JSON.
pub type Answer<T> = Result<T, HttpError>;

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

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
