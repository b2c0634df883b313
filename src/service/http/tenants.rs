//! A city's platform over HTTP: each district's console, API and feeds under `/t/{tenant}/…`,
//! served by that tenant's own `Service` (its own database schema or file, keys, caches and
//! long polls), and everything else by the platform's own, as one office's service always was.
//!
//! The tenant's router is the very one an office has; this shell strips `/t/{tenant}` from the
//! request and puts it back on what the answer names: links in its pages (`href`, `src`,
//! `action`), redirects, and the session cookie's path, so a login in one district is never
//! sent to another's pages.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use tower::ServiceExt;

use crate::service::domain::error::Error;
use crate::service::domain::state::{Options, Service, system_clock};
use crate::service::domain::tenants;
use crate::service::http::error::HttpError;

/// A district's service as the platform holds it: its router, and its name as people write it.
#[derive(Clone)]
pub struct Open {
    pub service: Arc<Service>,
    pub router: Router,
    pub title: String,
}

/// The platform: its own service and its districts', opened on first use.
pub struct Platform {
    pub service: Arc<Service>,
    data: PathBuf,
    options: Options,
    open: Mutex<HashMap<String, Open>>,
    /// Held while a district is opened: one open at a time, so that many first requests at
    /// once open it once (its key record is written once) and never race.
    opening: Mutex<()>,
    /// Names that are no district, or whose district failed to open, and when: asked again
    /// only after `REMEMBER_REFUSAL`, so a flood of such requests does not reach the database.
    refused: Mutex<HashMap<String, (Instant, Refused)>>,
}

/// Why a name was refused (`Platform::refused`).
#[derive(Clone)]
enum Refused {
    NotFound(crate::model::Reason),
    Failed(String),
}

impl Refused {
    fn error(&self) -> Error {
        match self {
            Refused::NotFound(reason) => Error::NotFound(reason.clone()),
            Refused::Failed(why) => Error::Internal(why.clone()),
        }
    }
}

/// How long an unknown name, or a district that failed to open, is answered from memory.
const REMEMBER_REFUSAL: Duration = Duration::from_secs(10);

impl Platform {
    /// The platform of `service`, whose tenants' folders are under `data` and whose options
    /// (database, limits, public address) they share.
    pub fn new(service: Arc<Service>, data: PathBuf, options: Options) -> Platform {
        Platform {
            service,
            data,
            options,
            open: Mutex::new(HashMap::new()),
            opening: Mutex::new(()),
            refused: Mutex::new(HashMap::new()),
        }
    }

    fn opened(&self, name: &str) -> Option<Open> {
        self.open
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(name)
            .cloned()
    }

    /// Tenant `name`'s service and router: opened the first time, if the platform lists it.
    pub fn tenant(&self, name: &str) -> Result<Open, Error> {
        if let Some(open) = self.opened(name) {
            return Ok(open);
        }
        {
            let mut refused = self.refused.lock().unwrap_or_else(|e| e.into_inner());
            refused.retain(|_, (at, _)| at.elapsed() < REMEMBER_REFUSAL);
            if let Some((_, why)) = refused.get(name) {
                return Err(why.error());
            }
        }
        let _opening = self.opening.lock().unwrap_or_else(|e| e.into_inner());
        // Another request may have opened it while this one waited.
        if let Some(open) = self.opened(name) {
            return Ok(open);
        }
        let opened = self.open_tenant(name);
        if let Err(e) = &opened {
            let why = match e {
                Error::NotFound(reason) => Refused::NotFound(reason.clone()),
                e => Refused::Failed(e.to_string()),
            };
            let mut refused = self.refused.lock().unwrap_or_else(|e| e.into_inner());
            // Bounded: a flood of names is remembered no longer than its window anyway.
            if refused.len() < 10_000 {
                refused.insert(name.to_string(), (Instant::now(), why));
            }
        }
        opened
    }

    fn open_tenant(&self, name: &str) -> Result<Open, Error> {
        let tenant = self.service.read(|conn, _| tenants::get(conn, name))?;
        let mut options = self.options.clone();
        options.schema = Some(tenants::schema(&tenant.name));
        options.public_url = Some(format!("{}/t/{}", self.service.public_url(), tenant.name));
        let mut service = Service::open(
            &tenants::folder(&self.data, &tenant.name),
            options,
            system_clock(),
        )
        .map_err(|e| Error::Internal(format!("opening tenant {}: {e}", tenant.name)))?;
        // The process's descriptors are one budget: every district's long polls count against
        // the platform's cap. One district reads one import at a time, so that it never takes
        // every reader from the others.
        service.waiters = self.service.waiters.clone();
        service.importing = Some(Arc::new(tokio::sync::Semaphore::new(1)));
        let service = Arc::new(service);
        crate::service::domain::nodes::follow(&service);
        let router = super::server::router(service.clone());
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        Ok(open
            .entry(tenant.name)
            .or_insert(Open {
                service,
                router,
                title: tenant.title,
            })
            .clone())
    }

    /// Every tenant's health (`tenants::Health`): counts and times, never a notice; a district
    /// that cannot be read is listed with why, not left out.
    pub fn health(&self) -> Result<Vec<tenants::Health>, Error> {
        let listed = self.service.read(|conn, _| tenants::list(conn))?;
        Ok(listed
            .into_iter()
            .map(|tenant| {
                let read = self
                    .tenant(&tenant.name)
                    .and_then(|open| open.service.read(|c, now| tenants::health(c, &tenant, now)));
                read.unwrap_or_else(|e| {
                    tracing::error!("the health of tenant {}: {e}", tenant.name);
                    tenants::Health::unavailable(&tenant)
                })
            })
            .collect())
    }
}

/// `GET /api/platform/tenants`: the districts and their health, for the platform's system
/// administrator (a session of the platform's own service). A district's own staff, and every
/// other role, are refused; nothing here names a notice.
async fn platform_health(platform: Arc<Platform>, request: Request) -> Response {
    use crate::service::domain::accounts::Role;
    if request.method() != axum::http::Method::GET {
        return StatusCode::METHOD_NOT_ALLOWED.into_response();
    }
    let user = match super::guard::resume(&platform.service, request.headers()) {
        Ok(Some((user, _))) => user,
        Ok(None) => {
            let why = "log in to the platform's console first".to_string();
            return HttpError::from(Error::Unauthenticated(why)).into_response();
        }
        Err(e) => return HttpError::from(e).into_response(),
    };
    let roles = [Role::Sysadmin];
    let why = match super::guard::held_back(&user, &roles) {
        Some(hold) => Some(hold.explain(&user)),
        None => (user.role != Role::Sysadmin).then(|| super::guard::needs(&user, &roles)),
    };
    if let Some(why) = why {
        super::guard::refused(
            &platform.service,
            &user,
            request.method(),
            "/api/platform/tenants",
            &why,
        );
        let why = crate::model::Reason::Detail(why);
        return HttpError::from(Error::Forbidden(why)).into_response();
    }
    match platform.health() {
        Ok(health) => axum::Json(serde_json::json!({ "tenants": health })).into_response(),
        Err(e) => HttpError::from(e).into_response(),
    }
}

/// `noticecast serve`: runs until SIGINT or SIGTERM, the platform's own service and its
/// tenants' (`tenants::Platform`) under `/t/{tenant}/`.
pub fn serve(platform: Platform, listen: std::net::SocketAddr) -> std::io::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(listen).await?;
        tracing::info!("serving on http://{}", listener.local_addr()?);
        let service = platform.service.clone();
        let app = router(Arc::new(platform));
        super::server::serve_app(listener, service, app, super::server::shutdown()).await
    })
}

/// The platform's router: the tenants' paths, then the platform's own service. Not a route
/// with path parameters: those would stay in the request and confuse the tenant's own routes.
pub fn router(platform: Arc<Platform>) -> Router {
    let own = super::server::router(platform.service.clone());
    Router::new().fallback_service(tower::service_fn(move |request: Request| {
        let platform = platform.clone();
        let own = own.clone();
        async move {
            if request.uri().path().starts_with("/t/") {
                Ok::<_, std::convert::Infallible>(dispatch(platform, request).await)
            } else if request.uri().path() == "/api/platform/tenants" {
                Ok(platform_health(platform, request).await)
            } else {
                own.oneshot(request).await
            }
        }
    }))
}

/// Passes a request under `/t/{tenant}` to that tenant's router, and its answer back with the
/// prefix restored.
async fn dispatch(platform: Arc<Platform>, mut request: Request) -> Response {
    let path = request.uri().path().to_string();
    let rest = path.strip_prefix("/t/").unwrap_or("");
    let (name, inner) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let name = name.to_string();
    let Open { router, title, .. } = match platform.tenant(&name) {
        Ok(open) => open,
        Err(e) => return HttpError::from(e).into_response(),
    };
    let inner = if inner.is_empty() { "/" } else { inner };
    let path_and_query = match request.uri().query() {
        Some(q) => format!("{inner}?{q}"),
        None => inner.to_string(),
    };
    match path_and_query.parse::<Uri>() {
        Ok(uri) => *request.uri_mut() = uri,
        Err(_) => return StatusCode::BAD_REQUEST.into_response(),
    }
    let response = match router.oneshot(request).await {
        Ok(r) => r,
        Err(never) => match never {},
    };
    prefixed(response, &format!("/t/{name}"), &title).await
}

/// The end of the console's brand link (`console::frame`), where a district's name goes.
const BRAND_LINK_END: &str = "政务公开屏发布平台</a>";

/// The tenant's answer with `prefix` put back on the paths it names.
async fn prefixed(response: Response, prefix: &str, title: &str) -> Response {
    let (mut parts, body) = response.into_parts();
    if let Some(location) = parts.headers.get(header::LOCATION).cloned()
        && let Ok(text) = location.to_str()
        && text.starts_with('/')
        && !text.starts_with("//")
        && let Ok(v) = HeaderValue::from_str(&format!("{prefix}{text}"))
    {
        parts.headers.insert(header::LOCATION, v);
    }
    let cookies: Vec<HeaderValue> = parts
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|c| c.to_str().ok())
        .filter_map(|c| {
            HeaderValue::from_str(&c.replace("Path=/", &format!("Path={prefix}/"))).ok()
        })
        .collect();
    if !cookies.is_empty() {
        parts.headers.remove(header::SET_COOKIE);
        for c in cookies {
            parts.headers.append(header::SET_COOKIE, c);
        }
    }
    let html = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if !html {
        return Response::from_parts(parts, body);
    }
    // Pages are small; a body that will not read whole is not passed on half-rewritten.
    let Ok(bytes) = axum::body::to_bytes(body, 16 << 20).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let text = String::from_utf8_lossy(&bytes);
    let mut out = text.into_owned();
    // Each attribute that names a path, as the console writes it (after a space): `action`
    // never matches inside `formaction`.
    for attribute in ["href", "src", "action", "formaction", "data-preview"] {
        out = out.replace(
            &format!(" {attribute}=\"/"),
            &format!(" {attribute}=\"{prefix}/"),
        );
    }

    // The district's name beside the console's, so that whoever works for several districts
    // sees whose console this is.
    let title = maud::html! { (title) }.into_string();
    out = out.replacen(BRAND_LINK_END, &format!("{title} · {BRAND_LINK_END}"), 1);
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(out))
}
