//! The one place the HTTP areas meet: the JSON API, the console, the residents' pages and the
//! feeds, each with its own gate, merged under the headers every answer carries; the API
//! description made from their routes; and the listener that serves them.

use std::net::SocketAddr;
use std::sync::{Arc, OnceLock};

use axum::Router;
use axum::http::{HeaderValue, header};
use utoipa_axum::routes;

use super::error::ServiceError;
use super::http::{
    Access, AppState, BODY_LIMIT, BODY_TIMEOUT, CSP, HEADER_TIMEOUT, Route, RouteInfo,
};
use super::state::Service;
use super::{api, console, feed_http, openapi, public};

/// Every route of every area with who may call it (the route-by-role test walks it).
pub fn table() -> Vec<RouteInfo> {
    all_routes().into_iter().map(|r| r.info).collect()
}

fn all_routes() -> Vec<Route> {
    let mut all = feed_http::routes();
    all.push(Route::documented(Access::Public, routes!(openapi_json)));
    all.extend(api::routes());
    all.extend(console::routes());
    all.extend(public::routes());
    all
}

/// The API description: the documented routes of every area.
pub fn api_description() -> &'static utoipa::openapi::OpenApi {
    static DOC: OnceLock<utoipa::openapi::OpenApi> = OnceLock::new();
    DOC.get_or_init(|| openapi::document(&all_routes()))
}

#[utoipa::path(get, path = "/api/openapi.json", tag = "service",
    responses((status = 200, description = "This API's OpenAPI document")))]
async fn openapi_json() -> axum::Json<&'static utoipa::openapi::OpenApi> {
    axum::Json(api_description())
}

pub fn router(service: AppState) -> Router {
    Router::new()
        .merge(feed_http::router())
        .route("/api/openapi.json", axum::routing::get(openapi_json))
        .merge(api::router(&service))
        .merge(console::router(&service))
        .merge(public::router())
        .fallback(|| async { ServiceError::NotFound("no such page".into()) })
        .layer(axum::extract::DefaultBodyLimit::max(BODY_LIMIT))
        .layer(tower_http::timeout::RequestBodyTimeoutLayer::new(
            BODY_TIMEOUT,
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

/// `noticecast serve`: runs until SIGINT or SIGTERM.
pub fn serve(service: Service, listen: SocketAddr) -> std::io::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(listen).await?;
        tracing::info!("serving on http://{}", listener.local_addr()?);
        serve_listener(listener, Arc::new(service), shutdown()).await
    })
}

/// Serves the API, console and feeds on `listener` until `stop` completes: HTTP/1.1 (nginx in
/// front speaks anything else), each connection with a header read timeout, each request with
/// its client's address (`ConnectInfo`) for the login limit.
pub async fn serve_listener(
    listener: tokio::net::TcpListener,
    service: Arc<Service>,
    stop: impl std::future::Future<Output = ()>,
) -> std::io::Result<()> {
    use hyper_util::rt::{TokioIo, TokioTimer};
    let app = router(service);
    let mut stop = std::pin::pin!(stop);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of file descriptors, say: wait a moment rather than spin.
                    tracing::warn!("accept: {e}");
                    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut stop => return Ok(()),
        };
        let app = app
            .clone()
            .layer(axum::Extension(axum::extract::ConnectInfo(peer)));
        tokio::spawn(async move {
            let service = hyper_util::service::TowerToHyperService::new(app);
            let connection = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(HEADER_TIMEOUT)
                .serve_connection(TokioIo::new(stream), service)
                .with_upgrades();
            if let Err(e) = connection.await {
                tracing::debug!("connection from {peer}: {e}");
            }
        });
    }
}

async fn shutdown() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
        let term = async {
            match term.as_mut() {
                Some(t) => {
                    t.recv().await;
                }
                None => std::future::pending::<()>().await,
            }
        };
        tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    }
    #[cfg(not(unix))]
    {
        let _ = ctrl_c.await;
    }
    tracing::info!("shutting down");
}
