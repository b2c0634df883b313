//! Frame figures: frames presented and how long they took, the first frame, from a tap to its
//! screen presented, and the JSON report written at exit (`--report`).

use std::collections::VecDeque;
use std::path::Path;
use std::time::{Duration, Instant};

/// Frame times kept for the median and the 99th percentile: the last ten seconds at 60 Hz.
const KEPT_FRAMES: usize = 600;

pub(super) struct Meter {
    /// When the command started, before fonts and feed were loaded.
    started: Instant,
    first_frame: Option<Duration>,
    frame_times: VecDeque<Duration>,
    /// When the tap that changed the touch screen came, until that screen is presented.
    tap_pending: Option<Instant>,
    /// From a tap to its screen presented, for the report.
    tap_latencies: Vec<Duration>,
    frames: u64,
    /// When the last feed arrived, for the staff overlay.
    feed_changed_at: Instant,
}

impl Meter {
    pub(super) fn new(started: Instant) -> Meter {
        Meter {
            started,
            first_frame: None,
            frame_times: VecDeque::new(),
            tap_pending: None,
            tap_latencies: Vec::new(),
            frames: 0,
            feed_changed_at: Instant::now(),
        }
    }

    pub(super) fn started(&self) -> Instant {
        self.started
    }

    /// Frames counted so far.
    pub(super) fn frames(&self) -> u64 {
        self.frames
    }

    /// From start to the first frame presented, once there was one.
    pub(super) fn first_frame(&self) -> Option<Duration> {
        self.first_frame
    }

    /// A frame that counts without being presented (a test's lost device).
    pub(super) fn count_frame(&mut self) {
        self.frames += 1;
    }

    /// A tap changed the touch screen: its latency runs until the next present.
    pub(super) fn tapped(&mut self) {
        self.tap_pending.get_or_insert_with(Instant::now);
    }

    pub(super) fn feed_changed(&mut self) {
        self.feed_changed_at = Instant::now();
    }

    pub(super) fn since_feed_changed(&self) -> Duration {
        self.feed_changed_at.elapsed()
    }

    /// A frame begun at `began` was presented at `presented`. Returns the time from start when
    /// it was the first.
    pub(super) fn presented(&mut self, began: Instant, presented: Instant) -> Option<Duration> {
        self.frames += 1;
        self.frame_times.push_back(presented - began);
        if self.frame_times.len() > KEPT_FRAMES {
            self.frame_times.pop_front();
        }
        if let Some(tap) = self.tap_pending.take() {
            self.tap_latencies.push(presented - tap);
        }
        if self.first_frame.is_some() {
            return None;
        }
        let elapsed = self.started.elapsed();
        self.first_frame = Some(elapsed);
        Some(elapsed)
    }

    /// The median of the recent frame times, in milliseconds (0 before any frame).
    pub(super) fn median_frame_ms(&self) -> f64 {
        let mut times: Vec<Duration> = self.frame_times.iter().copied().collect();
        times.sort();
        times
            .get(times.len() / 2)
            .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    }

    /// Writes the report: first frame, frame times, taps, CPU and memory; `adapter` is the GPU's
    /// name if a renderer was made.
    pub(super) fn write_report(&self, path: &Path, adapter: Option<String>) {
        let mut times: Vec<f64> = self
            .frame_times
            .iter()
            .map(|d| d.as_secs_f64() * 1000.0)
            .collect();
        times.sort_by(f64::total_cmp);
        let pick = |q: f64| {
            times
                .get(((times.len().max(1) - 1) as f64 * q).round() as usize)
                .copied()
        };
        let mut taps: Vec<f64> = self
            .tap_latencies
            .iter()
            .map(|d| d.as_secs_f64() * 1000.0)
            .collect();
        taps.sort_by(f64::total_cmp);
        let tap_median = taps.get(taps.len() / 2).copied();
        let report = serde_json::json!({
            "first_frame_ms": self.first_frame.map(|d| d.as_secs_f64() * 1000.0),
            "taps": taps.len(),
            "tap_to_present_ms_median": tap_median,
            "tap_to_present_ms_max": taps.last().copied(),
            "frames": self.frames,
            "frame_ms_median": pick(0.5),
            "frame_ms_p99": pick(0.99),
            "adapter": adapter,
            "run_s": self.started.elapsed().as_secs_f64(),
            "cpu_s": own_cpu_seconds(),
            "peak_rss_kb": own_peak_rss_kb(),
        });
        if let Err(e) = std::fs::write(path, report.to_string()) {
            tracing::error!("{}: cannot write the report: {e}", path.display());
        }
    }
}

/// User plus system CPU time of this process so far (Linux; clock ticks of 1/100 s, the kernel's
/// USER_HZ on every Linux architecture we deploy to).
fn own_cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The command name may contain spaces: fields are counted after its closing parenthesis.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

/// The peak resident set size (VmHWM) of this process, in KiB.
fn own_peak_rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
