//! Watches the feed file: when it changes on disk, it is read and validated on this thread and
//! the result goes to the window loop through the event-loop proxy.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use winit::event_loop::EventLoopProxy;

use super::PlayerEvent;
use crate::model::Feed;

/// How often the file's size and modification time are looked at: one `stat` a second costs
/// nothing, needs no inotify, and also sees a file replaced by rename.
const POLL: Duration = Duration::from_secs(1);

fn stamp(path: &Path) -> Option<(SystemTime, u64)> {
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.modified().ok()?, meta.len()))
}

pub fn spawn(path: PathBuf, proxy: EventLoopProxy<PlayerEvent>) -> std::io::Result<()> {
    let mut last = stamp(&path);
    std::thread::Builder::new()
        .name("feed-watch".into())
        .spawn(move || {
            loop {
                std::thread::sleep(POLL);
                let now = stamp(&path);
                if now == last {
                    continue;
                }
                last = now;
                // A writer may still be writing: let it finish, then read what is there.
                std::thread::sleep(Duration::from_millis(100));
                last = stamp(&path).or(last);
                let result = Feed::from_file(&path);
                if proxy
                    .send_event(PlayerEvent::Feed(Box::new(result)))
                    .is_err()
                {
                    return; // The window loop has ended.
                }
            }
        })?;
    Ok(())
}
