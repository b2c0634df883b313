//! Several `serve` processes on one PostgreSQL database are one service.
//!
//! What a node keeps in memory is only a cache: the signed feeds it serves (and the long polls
//! waiting on them). A change made on any node is committed with word on the database's
//! `noticecast_feeds` channel, naming the tenant's schema (`storage::pg::notify_feeds`, in
//! `Service::change`); every other node hears it here, reads that tenant's feeds from the
//! database into its cache and wakes its long polls, so a screen waiting on one node gets what
//! was approved on another within a second. Word can be missed (a node listening again after the
//! connection was lost), so each node also looks every `LOOK` at a fingerprint of each tenant's
//! feeds. One listening connection and thread per database serve every tenant a process has
//! opened. A feed due to be signed again (expiry ahead) is signed by whichever node is asked
//! first; the tenant's write lock (`storage::pg`) makes the others find it signed. Sessions,
//! login records and pending work are rows, so a node may die or restart at any moment.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

use crate::service::domain::state::Service;
use crate::service::domain::storage::pg::Listener;

/// How often a node looks at the feeds' fingerprints when no word came.
pub const LOOK: Duration = Duration::from_secs(2);

/// The services a database's listener wakes, by schema.
type Followers = Arc<Mutex<HashMap<String, Weak<Service>>>>;

/// Each database's followers; its listener thread runs while it has any.
static LISTENERS: Mutex<Option<HashMap<String, Followers>>> = Mutex::new(None);

/// Starts following the other nodes of `service`'s database; nothing for SQLite (one process).
/// The database's listener (started with its first service) stops when its services have.
pub fn follow(service: &Arc<Service>) {
    let Some(url) = service.options.database.clone() else {
        return;
    };
    let schema = service
        .options
        .schema
        .clone()
        .unwrap_or_else(|| "public".into());
    let mut listeners = LISTENERS.lock().unwrap_or_else(|e| e.into_inner());
    let listeners = listeners.get_or_insert_with(HashMap::new);
    let followers = match listeners.get(&url) {
        Some(f) => f.clone(),
        None => {
            let followers: Followers = Arc::default();
            let (thread_url, thread_followers) = (url.clone(), followers.clone());
            let spawned = std::thread::Builder::new()
                .name("nodes".into())
                .spawn(move || listen(&thread_url, &thread_followers));
            if let Err(e) = spawned {
                tracing::error!("following the other nodes: {e}");
                return;
            }
            listeners.insert(url.clone(), followers.clone());
            followers
        }
    };
    followers
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(schema, Arc::downgrade(service));
}

/// The services still followed, by schema; the database's entry goes when none is.
fn alive(url: &str, followers: &Followers) -> Vec<(String, Arc<Service>)> {
    let mut listeners = LISTENERS.lock().unwrap_or_else(|e| e.into_inner());
    let mut map = followers.lock().unwrap_or_else(|e| e.into_inner());
    map.retain(|_, s| s.strong_count() > 0);
    if map.is_empty()
        && let Some(listeners) = listeners.as_mut()
    {
        listeners.remove(url);
    }
    map.iter()
        .filter_map(|(schema, s)| Some((schema.clone(), s.upgrade()?)))
        .collect()
}

fn listen(url: &str, followers: &Followers) {
    let mut last: HashMap<String, i64> = HashMap::new();
    let mut backoff = Duration::from_millis(200);
    loop {
        if alive(url, followers).is_empty() {
            return;
        }
        let mut ear = match Listener::connect(url) {
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
            let heard = match ear.wait(LOOK) {
                Ok(heard) => heard,
                Err(e) => {
                    tracing::warn!("listening for the other nodes: {e}");
                    break;
                }
            };
            let services = alive(url, followers);
            if services.is_empty() {
                return;
            }
            let mut lost = false;
            for (schema, service) in services {
                let moved = match ear.fingerprint(&schema) {
                    Ok(now) => last.insert(schema.clone(), now).is_some_and(|b| b != now),
                    Err(e) => {
                        tracing::warn!("the feeds' fingerprint of {schema}: {e}");
                        lost = true;
                        false
                    }
                };
                let changed = moved || heard.contains(&schema);
                if changed && let Err(e) = service.reload_feeds() {
                    tracing::warn!("reading the feeds another node changed: {e}");
                }
            }
            if lost {
                break;
            }
        }
    }
}
