//! The rotation: which page is on screen at an instant, and until when. Pure: no clock reads, no
//! I/O, no fonts; the caller passes the instant and each notice's page measures.
//!
//! The rotation is anchored, not stateful: it restarts at the start of the on-hours (or at
//! midnight) and whenever the set of eligible notices changes, then cycles through the pages in
//! playlist order. So every screen of a group shows the same page at the same moment, a restart
//! does not lose the place, and a render of any instant is reproducible.

use chrono::{DateTime, TimeDelta};

use crate::model::{Dwell, Notice, Order, Playlist, Priority, Timestamp, beijing_offset};

const DAY_MS: i64 = 24 * 3600 * 1000;
const BEIJING_MS: i64 = 8 * 3600 * 1000;

/// What the scheduler needs to know of one page.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PageInfo {
    /// Characters to read on the page.
    pub chars: usize,
    /// Seconds a marquee needs to run through once, if the page has one.
    pub motion_s: Option<f64>,
}

/// A notice with its pages as laid out for this screen.
#[derive(Debug, Clone)]
pub struct Entry<'a> {
    pub notice: &'a Notice,
    pub pages: Vec<PageInfo>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Showing {
    /// Page `page` (from 0) of `entries[entry]`, which has `pages` pages.
    Page {
        entry: usize,
        page: usize,
        pages: usize,
    },
    /// On-hours, but no notice is eligible.
    Empty,
    /// Off-hours.
    Standby,
}

/// What is on screen from `start` until `until`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slot {
    pub showing: Showing,
    pub start: Timestamp,
    pub until: Timestamp,
}

/// How long a page stays, in milliseconds: its reading time (`base_s + chars / chars_per_s`,
/// clamped to the playlist's bounds), or longer if its marquee needs longer to run through.
pub fn dwell_ms(dwell: &Dwell, page: &PageInfo) -> i64 {
    let reading =
        (dwell.base_s + page.chars as f64 / dwell.chars_per_s).clamp(dwell.min_s, dwell.max_s);
    let seconds = page.motion_s.map_or(reading, |m| reading.max(m));
    (seconds * 1000.0).round().max(1000.0) as i64
}

fn ms(t: Timestamp) -> i64 {
    t.timestamp_millis()
}

fn at_ms(ms: i64) -> Timestamp {
    DateTime::from_timestamp_millis(ms)
        .expect("instants in range")
        .with_timezone(&beijing_offset())
}

/// The on-hours interval around `t` (`Ok`), or the off-hours gap it falls in (`Err`), in ms.
fn on_interval(playlist: &Playlist, t: i64) -> Result<(i64, i64), (i64, i64)> {
    let midnight = t - (t + BEIJING_MS).rem_euclid(DAY_MS);
    let intervals: Vec<(i64, i64)> = (-1..=1)
        .map(|k| {
            let day = midnight + k * DAY_MS;
            match &playlist.hours {
                None => (day, day + DAY_MS),
                Some(h) => {
                    let on = day + h.on.0 as i64 * 60_000;
                    let off = day + h.off.0 as i64 * 60_000;
                    (on, if off > on { off } else { off + DAY_MS })
                }
            }
        })
        .collect();
    if let Some(&iv) = intervals.iter().find(|(a, b)| (*a..*b).contains(&t)) {
        return Ok(iv);
    }
    let since = intervals
        .iter()
        .map(|iv| iv.1)
        .filter(|&e| e <= t)
        .max()
        .unwrap_or(t);
    let until = intervals
        .iter()
        .map(|iv| iv.0)
        .filter(|&s| s > t)
        .min()
        .unwrap_or(t + DAY_MS);
    Err((since, until))
}

fn plays_here(playlist: &Playlist, notice: &Notice) -> bool {
    // Emergency notices reach this screen only if the office targeted its group, and then they
    // play whatever the playlist's categories: a flood warning is never filtered out.
    notice.priority == Priority::Emergency
        || playlist.rotation.categories.contains(&notice.category)
}

/// The entries eligible at `t`, in rotation order: valid, in a playing category, and only the
/// emergency ones while any emergency is valid.
pub fn eligible(playlist: &Playlist, entries: &[Entry], t: Timestamp) -> Vec<usize> {
    let mut list: Vec<usize> = (0..entries.len())
        .filter(|&i| {
            let n = entries[i].notice;
            !entries[i].pages.is_empty() && plays_here(playlist, n) && n.is_valid_at(t)
        })
        .collect();
    if list
        .iter()
        .any(|&i| entries[i].notice.priority == Priority::Emergency)
    {
        list.retain(|&i| entries[i].notice.priority == Priority::Emergency);
    }
    let position = |n: &Notice| {
        playlist
            .rotation
            .categories
            .iter()
            .position(|c| *c == n.category)
            .unwrap_or(0)
    };
    list.sort_by(|&a, &b| {
        let (a, b) = (entries[a].notice, entries[b].notice);
        let by_category = match playlist.rotation.order {
            Order::Category => position(a).cmp(&position(b)),
            Order::Newest => std::cmp::Ordering::Equal,
        };
        // Several emergencies: the most severe first, whatever their categories.
        b.severity()
            .cmp(&a.severity())
            .then(by_category)
            .then(b.priority.cmp(&a.priority))
            .then(b.published_at.cmp(&a.published_at))
            .then(a.id.cmp(&b.id))
    });
    list
}

/// What the ticker runs at `t`, item by item: while an emergency is in force here, its headline
/// alone (most severe first), so that nothing unrelated runs under a warning; otherwise the
/// titles of the urgent notices, newest first, then the playlist's fixed text. Empty when the
/// playlist has no ticker.
pub fn ticker_items(playlist: &Playlist, entries: &[Entry], t: Timestamp) -> Vec<String> {
    let Some(ticker) = &playlist.ticker else {
        return Vec::new();
    };
    let current = |priority: Priority| {
        let mut list: Vec<&Notice> = entries
            .iter()
            .map(|e| e.notice)
            .filter(|n| n.priority == priority && plays_here(playlist, n) && n.is_valid_at(t))
            .collect();
        list.sort_by(|a, b| {
            b.severity()
                .cmp(&a.severity())
                .then(b.published_at.cmp(&a.published_at))
        });
        list
    };
    let emergencies = current(Priority::Emergency);
    if !emergencies.is_empty() {
        return emergencies
            .into_iter()
            .map(|n| format!("【{}】{}", n.warning_label().unwrap_or("紧急通知"), n.title))
            .collect();
    }
    let mut items: Vec<String> = current(Priority::Urgent)
        .into_iter()
        .map(|n| format!("【重要】{}", n.title))
        .collect();
    items.extend(ticker.text.iter().cloned());
    items
}

/// Whether an emergency that plays here is valid at `t`.
fn emergency_at(playlist: &Playlist, entries: &[Entry], t: Timestamp) -> bool {
    entries.iter().any(|e| {
        e.notice.priority == Priority::Emergency
            && !e.pages.is_empty()
            && plays_here(playlist, e.notice)
            && e.notice.is_valid_at(t)
    })
}

/// What is on screen at `t`, and until when.
pub fn at(playlist: &Playlist, entries: &[Entry], t: Timestamp) -> Slot {
    let now = ms(t);
    let (on_start, on_end) = match on_interval(playlist, now) {
        Ok(iv) => iv,
        // A warning does not wait for the morning: an emergency plays through the off-hours.
        Err(gap) if emergency_at(playlist, entries, t) => gap,
        Err((since, until)) => {
            // The standby ends early where an emergency starts within it.
            let until = entries
                .iter()
                .filter(|e| e.notice.priority == Priority::Emergency)
                .filter(|e| !e.pages.is_empty() && plays_here(playlist, e.notice))
                .map(|e| ms(e.notice.valid_from))
                .filter(|&from| from > now && from < until)
                .min()
                .unwrap_or(until);
            return Slot {
                showing: Showing::Standby,
                start: at_ms(since),
                until: at_ms(until),
            };
        }
    };
    // The rotation restarts whenever a relevant notice becomes valid or expires.
    let boundaries = entries
        .iter()
        .filter(|e| plays_here(playlist, e.notice))
        .flat_map(|e| [Some(e.notice.valid_from), e.notice.valid_until])
        .flatten()
        .map(ms);
    let mut anchor = on_start;
    let mut next_change = on_end;
    for b in boundaries {
        if b > anchor && b <= now {
            anchor = b;
        }
        if b > now && b < next_change {
            next_change = b;
        }
    }
    let order = eligible(playlist, entries, t);
    let cycle: Vec<(usize, usize, i64)> = order
        .iter()
        .flat_map(|&i| {
            let pages = &entries[i].pages;
            pages
                .iter()
                .enumerate()
                .map(move |(p, info)| (i, p, dwell_ms(&playlist.dwell, info)))
        })
        .collect();
    let total: i64 = cycle.iter().map(|c| c.2).sum();
    if total == 0 {
        return Slot {
            showing: Showing::Empty,
            start: at_ms(anchor),
            until: at_ms(next_change),
        };
    }
    let position = (now - anchor).rem_euclid(total);
    let mut offset = 0;
    for &(entry, page, duration) in &cycle {
        if position < offset + duration {
            let start = now - (position - offset);
            let until = (start + duration).min(next_change);
            let pages = entries[entry].pages.len();
            return Slot {
                showing: Showing::Page { entry, page, pages },
                start: at_ms(start),
                until: at_ms(until),
            };
        }
        offset += duration;
    }
    unreachable!("position < total lies in some slot")
}

/// The instant `seconds` after `t`.
pub fn after(t: Timestamp, seconds: f64) -> Timestamp {
    t + TimeDelta::milliseconds((seconds * 1000.0).round() as i64)
}

#[cfg(test)]
mod tests;
