//! The long polls held at once (`GET /feed/{group}?wait=SEQ`, `Service::newer_feed`) and their
//! cap: a slot each, given back when the wait ends however it ends. The cap keeps waiting
//! screens from taking the descriptors the console, the API and the warning system need
//! (`serve` sizes it from the descriptor limit, `http::capacity::default_max_waiters`).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The most long polls held by default whatever the descriptor limit: each costs about 18 KB of
/// memory (docs/PERFORMANCE.md; hyper's read and write buffers are most of it), so 20,000 (some
/// 370 MB) stay inside the unit's `MemoryMax=1G` beside the previews' renderer and the password
/// checks.
pub const DEFAULT_MAX_WAITERS: usize = 20_000;

/// Counts the long polls being held and refuses one past the cap. A slot is held while the
/// request waits and given back when it ends, however it ends (answered, timed out, or the
/// client gone and its request dropped).
/// Clones share the count: a platform's districts hold their long polls against one cap.
#[derive(Debug, Clone)]
pub struct WaiterGate {
    held: Arc<AtomicUsize>,
    max: usize,
}

/// One held long poll; dropping it gives the slot back.
#[derive(Debug)]
pub struct WaiterSlot {
    held: Arc<AtomicUsize>,
}

impl Drop for WaiterSlot {
    fn drop(&mut self) {
        self.held.fetch_sub(1, Ordering::AcqRel);
    }
}

impl WaiterGate {
    pub fn new(max: usize) -> WaiterGate {
        WaiterGate {
            held: Arc::new(AtomicUsize::new(0)),
            max,
        }
    }

    /// A slot, or `None` when `max` long polls are held already.
    pub fn enter(&self) -> Option<WaiterSlot> {
        let mut current = self.held.load(Ordering::Acquire);
        loop {
            if current >= self.max {
                return None;
            }
            match self.held.compare_exchange_weak(
                current,
                current + 1,
                Ordering::AcqRel,
                Ordering::Acquire,
            ) {
                Ok(_) => {
                    return Some(WaiterSlot {
                        held: self.held.clone(),
                    });
                }
                Err(now) => current = now,
            }
        }
    }

    /// How many long polls are held now.
    pub fn held(&self) -> usize {
        self.held.load(Ordering::Acquire)
    }

    pub fn max(&self) -> usize {
        self.max
    }
}
