//! The one place the HTTP areas meet: the JSON API, the console, the residents' pages and the
//! feeds, each with its own gate, merged under the headers every answer carries; the API
//! description made from their routes; and the listener that serves them.

use std::future::Future as _;

use std::sync::{Arc, OnceLock};

use axum::Router;
use axum::http::{HeaderValue, header};
use utoipa_axum::routes;

use crate::service::domain::error::Error;
use crate::service::domain::state::Service;
use crate::service::http::error::HttpError;
use crate::service::http::guard::{
    Access, AppState, BODY_LIMIT, BODY_TIMEOUT, CSP, HEADER_TIMEOUT, Route, RouteInfo,
    WRITE_TIMEOUT,
};
use crate::service::{http::api, http::console, http::feed_http, http::openapi, http::public};

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
        .fallback(|| async { HttpError::from(Error::NotFound(crate::model::Reason::NoPage)) })
        .layer(axum::extract::DefaultBodyLimit::max(BODY_LIMIT))
        .layer(axum::middleware::map_request(
            |request: axum::extract::Request| async {
                request.map(|body| axum::body::Body::new(Deadline::new(body, BODY_TIMEOUT)))
            },
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

/// Serves the API, console and feeds on `listener` until `stop` completes: HTTP/1.1 (nginx in
/// front speaks anything else), each connection with a header read timeout (from the moment it
/// opens, and again while it idles between requests) and a write timeout (`TimedWrites`), each
/// request with its client's address (`ConnectInfo`) for the login limit.
pub async fn serve_listener(
    listener: tokio::net::TcpListener,
    service: Arc<Service>,
    stop: impl std::future::Future<Output = ()>,
) -> std::io::Result<()> {
    let app = router(service.clone());
    serve_app(listener, service, app, stop).await
}

/// `serve_listener` with the router given: the service's own or a platform's.
pub async fn serve_app(
    listener: tokio::net::TcpListener,
    service: Arc<Service>,
    app: Router,
    stop: impl std::future::Future<Output = ()>,
) -> std::io::Result<()> {
    use hyper_util::rt::{TokioIo, TokioTimer};
    // On PostgreSQL, the other nodes' changes wake this one's long polls.
    crate::service::domain::nodes::follow(&service);
    let write_timeout = service.options.write_timeout.unwrap_or(WRITE_TIMEOUT);
    // Open connections, and the memory they leave behind given back after a wave of them.
    let connections = crate::service::http::capacity::Gauge::default();
    let trimmer = tokio::spawn(crate::service::http::capacity::trim_after_waves(
        connections.clone(),
    ));
    let per_address = crate::service::http::capacity::PerAddress::new(
        service
            .options
            .max_per_address
            .unwrap_or(crate::service::http::capacity::DEFAULT_PER_ADDRESS),
    );
    let mut turned_away = 0u64;
    let mut stop = std::pin::pin!(stop);
    let mut accept_errors = 0u64;
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of descriptors, say: wait a moment rather than spin (the connection
                    // stays in the kernel's backlog meanwhile), and say so once a second, not
                    // ten times.
                    if accept_errors.is_multiple_of(10) {
                        tracing::warn!("accept: {e} ({} times so far)", accept_errors + 1);
                    }
                    accept_errors += 1;
                    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut stop => {
                trimmer.abort();
                return Ok(());
            }
        };
        // The address as a request extension around the one shared router: `Router::layer` here
        // rebuilt every route for every connection, about 200 KB each, which 2,000 waiting
        // screens turned into 400 MB.
        let app = tower::Layer::layer(
            &axum::Extension(axum::extract::ConnectInfo(peer)),
            app.clone(),
        );
        let address_slot = match per_address.enter(peer.ip()) {
            Ok(slot) => slot,
            Err(held) => {
                // Closed at once: its descriptor is back before anyone else needs it.
                if turned_away.is_multiple_of(100) {
                    tracing::warn!(
                        "{} holds {held} connections, its limit: closing its new ones ({} so far)",
                        peer.ip(),
                        turned_away + 1
                    );
                }
                turned_away += 1;
                drop(stream);
                continue;
            }
        };
        let counted = connections.enter();
        tokio::spawn(async move {
            let _counted = counted;
            let _address_slot = address_slot;
            let service = hyper_util::service::TowerToHyperService::new(app);
            let connection = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(HEADER_TIMEOUT)
                .serve_connection(
                    TokioIo::new(TimedWrites::new(stream, write_timeout)),
                    service,
                )
                .with_upgrades();
            if let Err(e) = connection.await {
                tracing::debug!("connection from {peer}: {e}");
            }
        });
    }
}

/// A request body that must arrive whole within its deadline. tower-http's body timeout starts
/// again with every chunk, so a client sending one byte every few seconds held its connection
/// (and a descriptor staff and the warning system need) for as long as it liked.
pub struct Deadline {
    inner: axum::body::Body,
    deadline: std::pin::Pin<Box<tokio::time::Sleep>>,
}

impl Deadline {
    pub fn new(inner: axum::body::Body, limit: std::time::Duration) -> Deadline {
        Deadline {
            inner,
            deadline: Box::pin(tokio::time::sleep(limit)),
        }
    }
}

impl http_body::Body for Deadline {
    type Data = axum::body::Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
        if self.deadline.as_mut().poll(cx).is_ready() {
            return std::task::Poll::Ready(Some(Err(axum::Error::new(std::io::Error::new(
                std::io::ErrorKind::TimedOut,
                "the request body did not arrive in time",
            )))));
        }
        std::pin::Pin::new(&mut self.inner).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.inner.size_hint()
    }
}

/// A connection whose writes fail once one has waited `limit` for the client to read: a client
/// that asks for a feed and never reads it would otherwise hold its descriptor and the unsent
/// answer for as long as it liked. The clock runs only while a write waits, so a long poll that
/// is held (nothing to write) or a slow but reading client is not cut off.
pub struct TimedWrites<S> {
    inner: S,
    limit: std::time::Duration,
    /// Armed when a write first has to wait, disarmed when one goes through.
    stalled: Option<std::pin::Pin<Box<tokio::time::Sleep>>>,
}

impl<S> TimedWrites<S> {
    pub fn new(inner: S, limit: std::time::Duration) -> TimedWrites<S> {
        TimedWrites {
            inner,
            limit,
            stalled: None,
        }
    }

    /// After a write or flush returned `pending`: an error once the client has read nothing for
    /// the limit; the sleep's waker wakes the connection to say so.
    fn check_stall(
        &mut self,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        let limit = self.limit;
        let sleep = self
            .stalled
            .get_or_insert_with(|| Box::pin(tokio::time::sleep(limit)));
        match sleep.as_mut().poll(cx) {
            std::task::Poll::Ready(()) => std::task::Poll::Ready(Err(std::io::Error::new(
                std::io::ErrorKind::TimedOut,
                format!("the client read nothing for {} s", limit.as_secs()),
            ))),
            std::task::Poll::Pending => std::task::Poll::Pending,
        }
    }

    fn progress<T>(
        &mut self,
        cx: &mut std::task::Context<'_>,
        polled: std::task::Poll<std::io::Result<T>>,
    ) -> std::task::Poll<std::io::Result<T>> {
        match polled {
            std::task::Poll::Pending => match self.check_stall(cx) {
                std::task::Poll::Ready(Err(e)) => std::task::Poll::Ready(Err(e)),
                _ => std::task::Poll::Pending,
            },
            ready => {
                self.stalled = None;
                ready
            }
        }
    }
}

impl<S: tokio::io::AsyncRead + Unpin> tokio::io::AsyncRead for TimedWrites<S> {
    fn poll_read(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::pin::Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<S: tokio::io::AsyncWrite + Unpin> tokio::io::AsyncWrite for TimedWrites<S> {
    fn poll_write(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &[u8],
    ) -> std::task::Poll<std::io::Result<usize>> {
        let polled = std::pin::Pin::new(&mut self.inner).poll_write(cx, buf);
        self.progress(cx, polled)
    }

    fn poll_write_vectored(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> std::task::Poll<std::io::Result<usize>> {
        let polled = std::pin::Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        self.progress(cx, polled)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        let polled = std::pin::Pin::new(&mut self.inner).poll_flush(cx);
        self.progress(cx, polled)
    }

    fn poll_shutdown(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        let polled = std::pin::Pin::new(&mut self.inner).poll_shutdown(cx);
        self.progress(cx, polled)
    }
}

/// Completes on SIGINT or SIGTERM.
pub(crate) async fn shutdown() {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A body that sends one byte, then nothing more, ever: the slow client of a slowloris.
    struct Trickle(bool);

    impl http_body::Body for Trickle {
        type Data = axum::body::Bytes;
        type Error = std::io::Error;

        fn poll_frame(
            mut self: std::pin::Pin<&mut Self>,
            _cx: &mut std::task::Context<'_>,
        ) -> std::task::Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
            if self.0 {
                return std::task::Poll::Pending;
            }
            self.0 = true;
            std::task::Poll::Ready(Some(Ok(http_body::Frame::data(
                axum::body::Bytes::from_static(b"x"),
            ))))
        }
    }

    #[test]
    fn a_body_trickled_a_byte_at_a_time_ends_at_its_deadline() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap();
        runtime.block_on(async {
            let body = Deadline::new(
                axum::body::Body::new(Trickle(false)),
                std::time::Duration::from_millis(100),
            );
            // Without the deadline this read would wait for ever.
            let err = axum::body::to_bytes(axum::body::Body::new(body), usize::MAX)
                .await
                .unwrap_err();
            assert!(
                format!("{err:?}").contains("did not arrive in time"),
                "{err:?}"
            );
        });
    }
}
