//! Several `serve` processes on one PostgreSQL database are one service.
//!
//! What a node keeps in memory is only a cache: the signed feeds it serves (and the long polls
//! waiting on them). A change made on any node is committed with word on the database's
//! `noticecast_feeds` channel (`storage::pg::notify_feeds`, in `Service::change`); every other
//! node hears it here, reads the feeds from the database into its cache and wakes its long
//! polls, so a screen waiting on one node gets what was approved on another within a second.
//! Word can be missed (a node listening again after the connection was lost), so each node
//! also looks every `LOOK` at a fingerprint of the tenant's feeds. A feed due to be signed
//! again (expiry ahead) is signed by whichever node is asked first; the tenant's write lock
//! (`storage::pg`) makes the others find it signed. Sessions, login records and pending work
//! are rows, so a node may die or restart at any moment.

use std::sync::{Arc, Weak};
use std::time::Duration;

use crate::service::domain::state::Service;
use crate::service::domain::storage::pg::Listener;

/// How often a node looks at the feeds' fingerprint when no word came.
pub const LOOK: Duration = Duration::from_secs(2);

/// Starts following the other nodes of `service`'s database, on a thread of its own; nothing
/// for SQLite (one process). The thread ends when the service does.
pub fn follow(service: &Arc<Service>) {
    let Some(url) = service.options.database.clone() else {
        return;
    };
    let schema = service
        .options
        .schema
        .clone()
        .unwrap_or_else(|| "public".into());
    let weak = Arc::downgrade(service);
    let spawned = std::thread::Builder::new()
        .name(format!("nodes {schema}"))
        .spawn(move || listen(&url, &schema, weak));
    if let Err(e) = spawned {
        tracing::error!("following the other nodes: {e}");
    }
}

fn listen(url: &str, schema: &str, service: Weak<Service>) {
    let mut last = None;
    let mut backoff = Duration::from_millis(200);
    while service.strong_count() > 0 {
        let mut ear = match Listener::connect(url, schema) {
            Ok(ear) => {
                backoff = Duration::from_millis(200);
                ear
            }
            Err(e) => {
                tracing::warn!("listening for the other nodes: {e}; again in {backoff:?}");
                std::thread::sleep(backoff);
                backoff = (backoff * 2).min(Duration::from_secs(5));
                continue;
            }
        };
        loop {
            let heard = ear.wait(LOOK);
            let changed = match heard {
                Ok(true) => true,
                Ok(false) => match ear.fingerprint() {
                    Ok(now) => last.replace(now).is_some_and(|before| before != now),
                    Err(e) => {
                        tracing::warn!("the feeds' fingerprint: {e}");
                        break;
                    }
                },
                Err(e) => {
                    tracing::warn!("listening for the other nodes: {e}");
                    break;
                }
            };
            let Some(service) = service.upgrade() else {
                return;
            };
            if changed && let Err(e) = service.reload_feeds() {
                tracing::warn!("reading the feeds another node changed: {e}");
            }
        }
    }
}
