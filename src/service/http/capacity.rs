//! What the service can hold at once: its file descriptors (raised to the hard limit at start)
//! and the screens' long polls (`GET /feed/{group}?wait=SEQ`), capped below the descriptor limit
//! so that the console, the API, `/healthz` and the warning system's `POST /api/alerts` always
//! find a descriptor. About 1,100 idle long polls once took every descriptor of a service started
//! with the default 1,024, and a warning could not be submitted.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Descriptors kept for everything but long polls: staff, the warning system, `/healthz`, the
/// proxy's other requests, SQLite's files (database, WAL, shared memory), the preview renderer
/// and the log. Where the limit is small, half of it.
pub const RESERVED_FDS: u64 = 1024;

/// The most long polls held by default whatever the descriptor limit (`domain::waiters`).
pub use crate::service::domain::waiters::DEFAULT_MAX_WAITERS;

/// How long a screen refused a long poll is asked to wait (`Retry-After`) before it asks again:
/// about a screen's poll interval.
pub const RETRY_AFTER_S: u64 = 60;

/// Linux's default `fs.nr_open`: the most descriptors a process may be allowed.
const NR_OPEN_DEFAULT: u64 = 1 << 20;

/// The process's descriptor limits, soft and hard (`RLIMIT_NOFILE`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FdLimit {
    pub soft: u64,
    pub hard: u64,
}

/// The current descriptor limits, or `None` where the system does not say.
// `rlim_t` is u64 on Linux, not on every Unix: the casts are for the others.
#[allow(clippy::unnecessary_cast)]
pub fn fd_limit() -> Option<FdLimit> {
    #[cfg(unix)]
    {
        let mut limit = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: getrlimit writes the struct it is given and nothing else.
        if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } != 0 {
            return None;
        }
        Some(FdLimit {
            soft: limit.rlim_cur as u64,
            hard: limit.rlim_max as u64,
        })
    }
    #[cfg(not(unix))]
    {
        None
    }
}

/// Raises the soft descriptor limit to the hard one (systemd's default soft limit is 1,024
/// whatever `LimitNOFILE` allows above it, and select() is no concern here: tokio uses epoll).
/// Returns the limits before and after; an error leaves the limit as it was.
#[allow(clippy::unnecessary_cast)]
pub fn raise_fd_limit() -> std::io::Result<(FdLimit, FdLimit)> {
    #[cfg(unix)]
    {
        let before = fd_limit().ok_or_else(std::io::Error::last_os_error)?;
        // An unlimited hard limit is no soft limit the kernel takes (it is bounded by
        // fs.nr_open, 1,048,576 by default).
        let target = before.hard.min(NR_OPEN_DEFAULT);
        if before.soft >= target {
            return Ok((before, before));
        }
        let raised = libc::rlimit {
            rlim_cur: target as libc::rlim_t,
            rlim_max: before.hard as libc::rlim_t,
        };
        // SAFETY: setrlimit reads the struct it is given.
        if unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &raised) } != 0 {
            return Err(std::io::Error::last_os_error());
        }
        let after = fd_limit().ok_or_else(std::io::Error::last_os_error)?;
        Ok((before, after))
    }
    #[cfg(not(unix))]
    {
        Err(std::io::Error::other("descriptor limits are a Unix matter"))
    }
}

/// Gives the memory that freed connections left in the allocator back to the system (glibc's
/// `malloc_trim`): 2,000 long polls once left 400 MB behind them after they were answered.
/// Elsewhere nothing to do.
pub fn release_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only walks and trims the allocator's own free lists.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Watches the open connections and gives freed memory back once many have closed (a wave of
/// screens answered by a warning and gone, or a flood of connections over): every few seconds,
/// when the count has fallen by `TRIM_AFTER` or more since its peak. Runs until aborted.
pub async fn trim_after_waves(connections: Gauge) {
    let mut peak = 0usize;
    loop {
        tokio::time::sleep(std::time::Duration::from_secs(5)).await;
        let held = connections.now();
        peak = peak.max(held);
        if peak - held >= TRIM_AFTER {
            // On a blocking thread: trimming a large heap takes a few milliseconds.
            let _ = tokio::task::spawn_blocking(release_freed_memory).await;
            peak = held;
        }
    }
}

/// How many connections must have closed since the peak before freed memory is given back.
pub const TRIM_AFTER: usize = 500;

/// The default cap on long polls for a soft descriptor limit: the limit less the reserve (half
/// of a small limit), and at most `DEFAULT_MAX_WAITERS`.
pub fn default_max_waiters(soft_limit: u64) -> usize {
    let reserve = RESERVED_FDS.min(soft_limit / 2);
    let room = soft_limit.saturating_sub(reserve);
    usize::try_from(room)
        .unwrap_or(usize::MAX)
        .clamp(1, DEFAULT_MAX_WAITERS)
}

/// A count of things open now (the listener's connections), each counted while its `Counted`
/// lives.
#[derive(Debug, Clone, Default)]
pub struct Gauge(Arc<AtomicUsize>);

/// One counted thing; dropping it counts it out.
#[derive(Debug)]
pub struct Counted(Arc<AtomicUsize>);

impl Drop for Counted {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

impl Gauge {
    pub fn enter(&self) -> Counted {
        self.0.fetch_add(1, Ordering::AcqRel);
        Counted(self.0.clone())
    }

    pub fn now(&self) -> usize {
        self.0.load(Ordering::Acquire)
    }
}

/// Connections one client address may hold at once: a single machine cannot take the
/// descriptors that staff, the warning system and the other screens need, by slow requests or
/// by long polls. The loopback is not counted (behind nginx every client is the proxy on the
/// loopback: limit there with `limit_conn`, docs/DEPLOY.md).
pub const DEFAULT_PER_ADDRESS: usize = 256;

/// The connections open per client address.
#[derive(Debug, Clone)]
pub struct PerAddress {
    open: Arc<std::sync::Mutex<std::collections::HashMap<std::net::IpAddr, usize>>>,
    limit: usize,
}

/// One connection of an address; dropping it counts it out.
#[derive(Debug)]
pub struct AddressSlot {
    open: Arc<std::sync::Mutex<std::collections::HashMap<std::net::IpAddr, usize>>>,
    ip: std::net::IpAddr,
}

impl Drop for AddressSlot {
    fn drop(&mut self) {
        let mut open = self.open.lock().expect("address counts");
        if let Some(n) = open.get_mut(&self.ip) {
            *n -= 1;
            if *n == 0 {
                open.remove(&self.ip);
            }
        }
    }
}

impl PerAddress {
    pub fn new(limit: usize) -> PerAddress {
        PerAddress {
            open: Default::default(),
            limit,
        }
    }

    /// A slot for one more connection from `ip`, or the count it holds when that is its limit.
    /// `Ok(None)`: not counted (the loopback).
    pub fn enter(&self, ip: std::net::IpAddr) -> Result<Option<AddressSlot>, usize> {
        if ip.is_loopback() {
            return Ok(None);
        }
        let mut open = self.open.lock().expect("address counts");
        let n = open.entry(ip).or_insert(0);
        if *n >= self.limit {
            return Err(*n);
        }
        *n += 1;
        Ok(Some(AddressSlot {
            open: self.open.clone(),
            ip,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::service::domain::waiters::WaiterGate;

    #[test]
    fn one_address_holds_at_most_its_share_of_connections() {
        let per = PerAddress::new(2);
        let ip: std::net::IpAddr = "192.0.2.7".parse().unwrap();
        let a = per.enter(ip).unwrap();
        let _b = per.enter(ip).unwrap();
        assert_eq!(per.enter(ip).unwrap_err(), 2);
        // Another address, and the loopback (nginx in front), are not held up.
        assert!(per.enter("192.0.2.8".parse().unwrap()).unwrap().is_some());
        assert!(per.enter("127.0.0.1".parse().unwrap()).unwrap().is_none());
        drop(a);
        assert!(per.enter(ip).unwrap().is_some());
    }

    #[test]
    fn the_waiter_cap_keeps_a_reserve_below_the_descriptor_limit() {
        // systemd's default soft limit: half kept for everything else.
        assert_eq!(default_max_waiters(1024), 512);
        assert_eq!(default_max_waiters(4096), 3072);
        // The unit's LimitNOFILE: bounded by memory, far below the descriptors.
        assert_eq!(default_max_waiters(65536), DEFAULT_MAX_WAITERS);
        assert_eq!(default_max_waiters(0), 1);
    }

    #[test]
    fn a_slot_past_the_cap_is_refused_and_a_dropped_slot_is_given_back() {
        let gate = WaiterGate::new(2);
        let a = gate.enter().expect("first");
        let b = gate.enter().expect("second");
        assert!(gate.enter().is_none(), "past the cap");
        assert_eq!(gate.held(), 2);
        drop(a);
        let c = gate.enter().expect("room again");
        drop((b, c));
        assert_eq!(gate.held(), 0);
        // The connections' gauge, which decides when freed memory is given back, likewise.
        let open = Gauge::default();
        let counted: Vec<Counted> = (0..3).map(|_| open.enter()).collect();
        assert_eq!(open.now(), 3);
        drop(counted);
        assert_eq!(open.now(), 0);
    }

    #[test]
    fn the_soft_descriptor_limit_is_raised_to_the_hard_one() {
        let (before, after) = raise_fd_limit().unwrap();
        assert_eq!(after.soft, before.hard.min(NR_OPEN_DEFAULT));
        assert_eq!(after.hard, before.hard);
        assert_eq!(fd_limit().unwrap(), after);
    }
}
