//! Proof of play: every page a screen shows becomes a record in an on-disk queue that survives
//! restarts and power cuts, is uploaded in batches, and leaves the queue only once the service
//! has acknowledged it. Offline for months, the queue is bounded: it drops the oldest records
//! and counts what it dropped, and that count is reported too.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use crate::model::Timestamp;

/// One page shown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlayRecord {
    /// Unique per screen (start time and page): the service counts a retried upload once.
    pub id: String,
    pub notice_id: String,
    /// From 1.
    pub page: u32,
    pub start: Timestamp,
    pub duration_s: f64,
    pub sequence: u64,
    /// Not a page shown but a notice a resident opened on a touch terminal. Nothing personal is
    /// kept: `start` is the Beijing day's midnight, `page` 0 and `duration_s` 0.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub opened: bool,
    /// The SHA-256 of the notice as the signed feed carried it (`notice_hash`): which text was
    /// shown, for the 公示证明.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notice_sha256: Option<String>,
    /// The SHA-256 of the page as laid out (its `render --lines-json` description).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frame_sha256: Option<String>,
}

/// The SHA-256 (hex) of a notice as a feed carries it: its JSON as serialised in the feed.
pub fn notice_hash(notice: &crate::model::Notice) -> String {
    let json = serde_json::to_vec(notice).expect("a notice serialises");
    super::assets::sha256_hex(&json)
}

impl PlayRecord {
    pub fn new(
        notice_id: &str,
        page: u32,
        start: Timestamp,
        duration_s: f64,
        sequence: u64,
    ) -> PlayRecord {
        let id = format!("{}-{}-{}", start.timestamp_millis(), notice_id, page);
        PlayRecord {
            id,
            notice_id: notice_id.to_string(),
            page,
            start,
            duration_s,
            sequence,
            opened: false,
            notice_sha256: None,
            frame_sha256: None,
        }
    }

    /// A resident opened notice `notice_id` on day `at` (Beijing time). The id is random, so
    /// every open counts once and none can be traced to a moment.
    pub fn opened(notice_id: &str, at: Timestamp, sequence: u64) -> PlayRecord {
        let day = crate::model::beijing(at).date_naive();
        let start = day
            .and_hms_opt(0, 0, 0)
            .expect("midnight exists")
            .and_local_timezone(crate::model::beijing_offset())
            .single()
            .expect("a fixed offset has one midnight");
        let mut nonce = [0u8; 8];
        // Without randomness, the time would do; collisions then only merge opens of a day.
        if getrandom::fill(&mut nonce).is_err() {
            nonce = at.timestamp_micros().to_le_bytes();
        }
        PlayRecord {
            id: format!("open-{day}-{notice_id}-{:016x}", u64::from_le_bytes(nonce)),
            notice_id: notice_id.to_string(),
            page: 0,
            start,
            duration_s: 0.0,
            sequence,
            opened: true,
            notice_sha256: None,
            frame_sha256: None,
        }
    }
}

/// The queue: `plays.jsonl` (one record a line, appended and flushed) and `plays.dropped`.
pub struct PlayQueue {
    dir: PathBuf,
    limit: usize,
    state: Mutex<QueueState>,
}

struct QueueState {
    records: Vec<PlayRecord>,
    dropped: u64,
}

const QUEUE: &str = "plays.jsonl";
const DROPPED: &str = "plays.dropped";

fn write_atomically(dir: &Path, name: &str, bytes: &[u8]) -> std::io::Result<()> {
    let tmp = dir.join(format!("{name}.tmp"));
    {
        let mut file = File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
    }
    fs::rename(&tmp, dir.join(name))?;
    File::open(dir)?.sync_all()
}

impl PlayQueue {
    /// Opens the queue in `dir`, keeping at most `limit` records. A line cut short by a power
    /// cut is skipped.
    pub fn open(dir: &Path, limit: usize) -> std::io::Result<PlayQueue> {
        fs::create_dir_all(dir)?;
        let text = fs::read_to_string(dir.join(QUEUE)).unwrap_or_default();
        let records: Vec<PlayRecord> = text
            .lines()
            .filter_map(|l| serde_json::from_str(l).ok())
            .collect();
        let dropped = fs::read_to_string(dir.join(DROPPED))
            .ok()
            .and_then(|t| t.trim().parse().ok())
            .unwrap_or(0);
        let queue = PlayQueue {
            dir: dir.to_path_buf(),
            limit: limit.max(1),
            state: Mutex::new(QueueState { records, dropped }),
        };
        if !text.is_empty() && !text.ends_with('\n') {
            // A torn last line (power cut or kill mid-append): without it, or the next record
            // appended would join it on one line and be lost with it.
            let state = queue.state.lock().expect("queue lock");
            queue.rewrite(&state.records)?;
        }
        Ok(queue)
    }

    /// Appends a record, flushed to disk before this returns.
    pub fn push(&self, record: PlayRecord) -> std::io::Result<()> {
        let mut state = self.state.lock().expect("queue lock");
        state.records.push(record.clone());
        if state.records.len() > self.limit {
            let excess = state.records.len() - self.limit;
            state.records.drain(..excess);
            state.dropped += excess as u64;
            write_atomically(&self.dir, DROPPED, state.dropped.to_string().as_bytes())?;
            return self.rewrite(&state.records);
        }
        let mut file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.dir.join(QUEUE))?;
        file.write_all(
            (serde_json::to_string(&record).expect("a record serialises") + "\n").as_bytes(),
        )?;
        file.sync_data()
    }

    fn rewrite(&self, records: &[PlayRecord]) -> std::io::Result<()> {
        let text: String = records
            .iter()
            .map(|r| serde_json::to_string(r).expect("a record serialises") + "\n")
            .collect();
        write_atomically(&self.dir, QUEUE, text.as_bytes())
    }

    /// The oldest records, up to `max`, and the dropped count: the next batch to upload.
    pub fn batch(&self, max: usize) -> (Vec<PlayRecord>, u64) {
        let state = self.state.lock().expect("queue lock");
        (
            state.records.iter().take(max).cloned().collect(),
            state.dropped,
        )
    }

    /// Removes what the service acknowledged: the records with these ids, and `dropped` from the
    /// dropped count.
    pub fn acknowledge(&self, ids: &[String], dropped: u64) -> std::io::Result<()> {
        let mut state = self.state.lock().expect("queue lock");
        state.records.retain(|r| !ids.contains(&r.id));
        state.dropped = state.dropped.saturating_sub(dropped);
        write_atomically(&self.dir, DROPPED, state.dropped.to_string().as_bytes())?;
        self.rewrite(&state.records)
    }

    pub fn len(&self) -> usize {
        self.state.lock().expect("queue lock").records.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
