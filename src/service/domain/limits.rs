//! The login limiter: failed logins counted per name and address, per address, and per
//! browser, in memory, so that guessing stops at the guesser and never locks out the owner.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use crate::service::domain::error::Error;
use crate::service::domain::passwords::token_hash;

/// Failed logins within `WINDOW`, each attempt counted from when it starts (`begin`), not when
/// its password check fails: 40 simultaneous attempts cannot slip past a limit while the first
/// checks run. Counted two ways, and only ever against the one who guesses:
/// - per name (exactly as typed: `ED` is not `ed`) and address: `PAIR_FAILURES` lock that name
///   from that address for the window (guessing one account from one place stops there);
/// - per address, any names: `ADDRESS_FAILURES` lock, for the window, every name that has not
///   logged in from there (spraying many names from one place stops there).
///
/// A browser that has logged in as the name (its `nc_device` cookie, since the service
/// started) is held back only by its own failures, five in the window. A pair that is known (the
/// name has logged in from that address: since the service started, or the audit log says so)
/// is not held back by the address's count, and is locked there only after
/// `KNOWN_PAIR_FAILURES` (a colleague behind the same NAT guesses a bounded number of times; its
/// owner's browser still gets in). A name whose password is still an unused one-time code (100
/// random bits: guessing it is hopeless anyway, and its owner's first login must not be kept out
/// by strangers) is never held back. There is no limit per name from anywhere: anyone who knows
/// a name could spend it, at any rate, and keep the owner's right password out.
pub struct LoginLimiter {
    failures: HashMap<String, Vec<Instant>>,
    /// `pair` keys that logged in successfully (since the service started).
    known: std::collections::HashSet<String>,
    /// `device_pair` keys that logged in successfully (since the service started).
    devices: std::collections::HashSet<String>,
}

/// Who is trying to log in: the name (as typed, capped) and the client's address key.
#[derive(Debug, Clone)]
pub struct LoginKey {
    name: String,
    pair: Option<String>,
    address: Option<String>,
    /// The browser's `nc_device` cookie (its hash), if it sent one.
    device: Option<String>,
    /// The name's password is an unused one-time code: no limit here keeps it out.
    fresh_code: bool,
}

impl LoginKey {
    pub fn new(name: &str, address: Option<String>) -> LoginKey {
        // Without an address (a request that reached the service some other way), all such
        // attempts for a name share one pair: guessing it stays bounded.
        LoginKey {
            name: name.to_string(),
            device: None,
            pair: Some(format!(
                "pair:{name}|{}",
                address.as_deref().unwrap_or("unknown")
            )),
            address,
            fresh_code: false,
        }
    }

    /// The browser's device cookie, as sent.
    pub fn with_device(self, device: Option<&str>) -> LoginKey {
        LoginKey {
            device: device.map(token_hash),
            ..self
        }
    }

    fn device_pair(&self) -> Option<String> {
        let device = self.device.as_ref()?;
        Some(format!("device:{}|{device}", self.name))
    }

    /// The name's password is an unused one-time code.
    pub fn with_fresh_code(self, fresh_code: bool) -> LoginKey {
        LoginKey { fresh_code, ..self }
    }

    /// The client's address as the audit log writes it (`203.0.113.7`), if known.
    pub fn address(&self) -> Option<&str> {
        self.address
            .as_deref()
            .map(|a| a.strip_prefix("ip:").unwrap_or(a))
    }

    /// The keys an attempt is counted under (`failed`).
    pub fn counted(&self) -> Vec<String> {
        [self.pair.clone(), self.address.clone(), self.device_pair()]
            .into_iter()
            .flatten()
            .collect()
    }

    fn known_in(&self, known: &std::collections::HashSet<String>) -> bool {
        self.pair.as_ref().is_some_and(|p| known.contains(p))
    }
}

/// The limiter's "address" for a session checking its own current password (a password
/// change): only that session's wrong passwords count against it, and it never becomes known.
pub fn session_limit_key(csrf: &str) -> String {
    format!("session:{}", token_hash(csrf))
}

pub const PAIR_FAILURES: usize = 5;
/// A name at an address it logged in from, from a browser not known to have logged in as it
/// (a colleague behind the same NAT, or its owner after the service restarted): locked there
/// after this many failures in the window.
pub const KNOWN_PAIR_FAILURES: usize = 20;
/// The browser cookie that says which names logged in from it (`LoginLimiter`).
pub const DEVICE_COOKIE: &str = "nc_device";
pub const ADDRESS_FAILURES: usize = 50;
pub const WINDOW: Duration = Duration::from_secs(15 * 60);

impl Default for LoginLimiter {
    fn default() -> Self {
        LoginLimiter::new()
    }
}

impl LoginLimiter {
    pub fn new() -> LoginLimiter {
        LoginLimiter {
            failures: HashMap::new(),
            known: Default::default(),
            devices: Default::default(),
        }
    }

    /// The failures of `key` within the window (older ones forgotten).
    fn recent(&mut self, key: &str, now: Instant) -> Option<&Vec<Instant>> {
        let list = self.failures.get_mut(key)?;
        list.retain(|t| now.duration_since(*t) < WINDOW);
        Some(list)
    }

    /// `Err` with the seconds to wait when `key` may not be tried now.
    pub fn check(&mut self, key: &LoginKey, now: Instant) -> Result<(), Error> {
        if key.fresh_code {
            return Ok(());
        }
        let locked = |list: &Vec<Instant>, limit: usize| {
            (list.len() >= limit).then(|| WINDOW - now.duration_since(list[list.len() - limit]))
        };
        let mut wait = Duration::ZERO;
        let device = key.device_pair().filter(|d| self.devices.contains(d));
        if let Some(device) = device {
            // A browser that logged in as the name: only its own failures count.
            if let Some(list) = self.recent(&device, now)
                && let Some(w) = locked(list, PAIR_FAILURES)
            {
                wait = w;
            }
            return Self::wait(wait);
        }
        let known = key.known_in(&self.known);
        let limit = if known {
            KNOWN_PAIR_FAILURES
        } else {
            PAIR_FAILURES
        };
        if let Some(pair) = &key.pair
            && let Some(list) = self.recent(pair, now)
            && let Some(w) = locked(list, limit)
        {
            wait = wait.max(w);
        }
        if !known
            && let Some(address) = &key.address
            && let Some(list) = self.recent(address, now)
            && let Some(w) = locked(list, ADDRESS_FAILURES)
        {
            wait = wait.max(w);
        }
        Self::wait(wait)
    }

    fn wait(wait: Duration) -> Result<(), Error> {
        if wait.is_zero() {
            Ok(())
        } else {
            Err(Error::TooManyAttempts {
                retry_after_s: wait.as_secs().max(1),
            })
        }
    }

    /// Checks the limit and counts this attempt against it, in one step.
    pub fn begin(&mut self, key: &LoginKey, now: Instant) -> Result<(), Error> {
        self.check(key, now)?;
        self.failed(key, now);
        Ok(())
    }

    /// A begun attempt succeeded: the pair's count is cleared (unless the browser was known
    /// already), the attempt no longer counts against the address, and the pair and the
    /// browser are known for the name from now on.
    pub fn succeeded_after_begin(&mut self, key: &LoginKey) {
        // A browser known for the name clears only its own count: the pair's may be a
        // colleague's guesses, which its owner's login must not wipe.
        let known_device = key.device_pair().is_some_and(|d| self.devices.contains(&d));
        if let Some(pair) = &key.pair
            && !known_device
        {
            self.failures.remove(pair);
        }
        if let Some(device) = key.device_pair() {
            self.failures.remove(&device);
            if self.devices.len() > 10_000 {
                self.devices.clear();
            }
            self.devices.insert(device);
        }
        self.remember(key);
        if let Some(address) = &key.address
            && let Some(list) = self.failures.get_mut(address)
        {
            list.pop();
        }
    }

    /// `key`'s name has logged in from its address (now, or before: the audit log says so):
    /// from now on its pair is known. Bounded: forgetting them all only means the audit log is
    /// asked again.
    pub fn remember(&mut self, key: &LoginKey) {
        // A session checking its own password (`session:` keys) never becomes known: a stolen
        // session stays limited however often its owner changed the password in it. Nor do
        // attempts without an address.
        if let Some(pair) = &key.pair
            && key
                .address
                .as_deref()
                .is_some_and(|a| !a.starts_with("session:"))
        {
            if self.known.len() > 10_000 {
                self.known.clear();
            }
            self.known.insert(pair.clone());
        }
    }

    /// What this node counts against `key`, oldest first.
    pub fn failures_of(&self, key: &str) -> Vec<Instant> {
        self.failures.get(key).cloned().unwrap_or_default()
    }

    /// What this node counts against `key`, replaced with the shared record's (`shared`).
    pub fn share(&mut self, key: &str, failures: Vec<Instant>) {
        if failures.is_empty() {
            self.failures.remove(key);
        } else {
            self.failures.insert(key.to_string(), failures);
        }
    }

    pub fn failed(&mut self, key: &LoginKey, now: Instant) {
        // Bounded: an attacker cycling names cannot grow this without end.
        if self.failures.len() > 30_000 {
            self.failures
                .retain(|_, list| list.last().is_some_and(|t| now.duration_since(*t) < WINDOW));
        }
        let keys = [key.pair.clone(), key.address.clone(), key.device_pair()];
        for k in keys.into_iter().flatten() {
            self.failures.entry(k).or_default().push(now);
        }
    }
}

/// The limiter's counts where several nodes share one database (PostgreSQL): every attempt
/// begun is recorded there (`storage::logins`) and each node reads the record before it judges,
/// so a guesser gains nothing by changing nodes, and a restart forgets nothing. The wall clock
/// stands in for `Instant` there (the same machine's nodes share it; different machines keep
/// theirs in step with NTP).
pub mod shared {
    use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

    use super::{LoginKey, LoginLimiter, WINDOW};
    use crate::service::domain::error::Error;
    use crate::service::domain::storage::{Conn, logins as store};

    fn wall_ms(at: SystemTime) -> i64 {
        at.duration_since(UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
    }

    /// Replaces what `limiter` counts against `key` with the record of every node.
    pub fn load(conn: &Conn, limiter: &mut LoginLimiter, key: &LoginKey) -> Result<(), Error> {
        let (now, wall) = (Instant::now(), wall_ms(SystemTime::now()));
        let since = wall - WINDOW.as_millis() as i64;
        let rows = store::recent(conn, &key.counted(), since)?;
        for counted in key.counted() {
            let failures = rows
                .iter()
                .filter(|(k, _)| *k == counted)
                .map(|(_, at)| {
                    let age = Duration::from_millis(u64::try_from(wall - at).unwrap_or(0));
                    now.checked_sub(age).unwrap_or(now)
                })
                .collect();
            limiter.share(&counted, failures);
        }
        Ok(())
    }

    /// Records an attempt begun under every key of `key`.
    pub fn begun(conn: &Conn, key: &LoginKey) -> Result<(), Error> {
        let wall = wall_ms(SystemTime::now());
        store::add(conn, &key.counted(), wall, wall - WINDOW.as_millis() as i64)
    }

    /// Writes back what `limiter` counts against `key` after a login that succeeded.
    pub fn succeeded(conn: &Conn, limiter: &LoginLimiter, key: &LoginKey) -> Result<(), Error> {
        let (now, wall) = (Instant::now(), wall_ms(SystemTime::now()));
        for counted in key.counted() {
            let at: Vec<i64> = limiter
                .failures_of(&counted)
                .iter()
                .map(|t| wall - now.duration_since(*t).as_millis() as i64)
                .collect();
            store::replace(conn, &counted, &at)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limiter_locks_only_the_guessers_own_pair_and_address() {
        let mut limiter = LoginLimiter::new();
        let here = LoginKey::new("a", Some("ip:1".into()));
        let t = Instant::now();
        for _ in 0..PAIR_FAILURES {
            limiter.begin(&here, t).unwrap();
        }
        // That name from that address: locked for the window.
        assert!(matches!(
            limiter.check(&here, t + Duration::from_secs(60)),
            Err(Error::TooManyAttempts { .. })
        ));
        limiter.check(&here, t + WINDOW).unwrap();
        // Another name, another spelling, the name from elsewhere: not held back at all.
        for other in [("b", "ip:1"), ("A", "ip:1"), ("a", "ip:2")] {
            limiter
                .check(&LoginKey::new(other.0, Some(other.1.into())), t)
                .unwrap();
        }
        // Nor the name there when its password is an unused one-time code.
        limiter
            .check(&here.clone().with_fresh_code(true), t)
            .unwrap();
        // A pair that logged in before is not locked there by others' wrong passwords.
        let mut limiter = LoginLimiter::new();
        limiter.begin(&here, t).unwrap();
        limiter.succeeded_after_begin(&here);
        for _ in 0..PAIR_FAILURES * 3 {
            limiter.failed(&here, t);
        }
        limiter.check(&here, t).unwrap();
        // Many names from one address: names new there are locked, a name that logged in there
        // before is not.
        let mut limiter = LoginLimiter::new();
        let regular = LoginKey::new("regular", Some("ip:1".into()));
        limiter.begin(&regular, t).unwrap();
        limiter.succeeded_after_begin(&regular);
        for i in 0..ADDRESS_FAILURES {
            limiter
                .begin(&LoginKey::new(&format!("u{i}"), Some("ip:1".into())), t)
                .unwrap();
        }
        assert!(
            limiter
                .check(&LoginKey::new("newcomer", Some("ip:1".into())), t)
                .is_err()
        );
        limiter.check(&regular, t).unwrap();
    }
}
