//! The rotation's page on screen: which page it is, when it changes (with its transition and
//! the display's power), and the play record each page leaves behind (公示证明).

use std::time::{Duration, Instant};

use super::App;
use crate::layout::Frame;
use crate::model::TransitionKind;
use crate::player::present::Transition;
use crate::schedule::{Showing, Slot};

/// Which page is on screen: a change of it is a page change (logged, with a transition).
#[derive(Debug, Clone, PartialEq)]
struct PageKey {
    showing: Showing,
    notice: Option<String>,
}

pub(super) struct Current {
    pub(super) slot: Slot,
    key: PageKey,
    pub(super) frame: Frame,
    /// When this page came on screen (show clock): its play record starts here.
    since: crate::model::Timestamp,
    /// The SHA-256 of the page as laid out (`render --lines-json`), for its play record: what
    /// was drawn, reproducible with `render --at` (公示证明). Only for a notice's page.
    frame_sha256: Option<String>,
    /// The feed the page came from and the notice's text in it, for its play record: a newer
    /// feed arriving while the page stays (a standby, an edit) did not put it on screen.
    sequence: u64,
    notice_sha256: Option<String>,
}

impl App {
    fn page_key(&self, slot: &Slot) -> PageKey {
        PageKey {
            showing: slot.showing,
            notice: self.show.notice_of(slot).map(|n| n.id.clone()),
        }
    }

    /// Picks the page for now: a new slot, or new content for the same slot.
    pub(super) fn update_page(&mut self) {
        let now = self.clock.now();
        let due = match &self.stage.current {
            None => true,
            Some(c) => self.stage.content_changed || now >= c.slot.until || now < c.slot.start,
        };
        if !due {
            return;
        }
        let page_over = self
            .stage
            .current
            .as_ref()
            .is_none_or(|c| now >= c.slot.until || now < c.slot.start);
        if page_over && let Some(playlist) = self.stage.pending_playlist.take() {
            self.show.set_playlist(playlist);
            self.sync_terminal();
        }
        self.stage.content_changed = false;
        let (slot, mut frame) = self.show.frame_at(now);
        let key = self.page_key(&slot);
        match &self.stage.current {
            Some(old) if old.key == key => {
                // The same page again in a new slot (a notice shown alone comes back every
                // dwell): its showing so far becomes a record now, so a page that never leaves
                // the screen still has its plays (公示证明, the report).
                if old.slot.start != slot.start {
                    self.record_play(old, now);
                }
                // Same page, new content: running lines carry on from where they are.
                for (new, old) in frame.blocks.iter_mut().zip(&old.frame.blocks) {
                    if let (Some(n), Some(o)) = (new.motion, old.motion)
                        && new.role == old.role
                    {
                        new.motion = Some(o.continued(now, n));
                    }
                }
            }
            old => {
                if let Some(old) = old {
                    self.record_play(old, now);
                }
                let standby = matches!(slot.showing, Showing::Standby);
                let was_standby = old
                    .as_ref()
                    .is_some_and(|o| matches!(o.key.showing, Showing::Standby));
                if let Some(display) = &self.options.display
                    && (standby != was_standby || old.is_none())
                {
                    // Off-hours: the black frame stays, nothing is drawn, and the display
                    // sleeps; at the end of them it wakes.
                    display.switch(!standby);
                }
                let what = match (&key.notice, slot.showing) {
                    (Some(id), Showing::Page { page, pages, .. }) => {
                        format!("notice {id} page {}/{pages}", page + 1)
                    }
                    _ => format!("{:?}", slot.showing),
                };
                tracing::info!("showing {what} until {}", slot.until);
                let transition = self.show.playlist().transition.clone();
                if let (Some(_), Some(t), Some(gfx)) = (old, transition, &self.stage.gfx)
                    && t.kind != TransitionKind::Cut
                    && t.duration_ms > 0
                {
                    gfx.keep_previous();
                    self.stage.transition = Some(Transition {
                        kind: t.kind,
                        started: Instant::now(),
                        duration: Duration::from_millis(t.duration_ms as u64),
                    });
                }
            }
        }
        let (since, sequence, notice_sha256) = match &self.stage.current {
            Some(old) if old.key == key && old.slot.start == slot.start => {
                (old.since, old.sequence, old.notice_sha256.clone())
            }
            _ => {
                let feed = self.show.feed();
                let hash = key
                    .notice
                    .as_ref()
                    .filter(|_| self.options.reporting.is_some())
                    .and_then(|id| feed.notice(id))
                    .map(crate::feed::plays::notice_hash);
                (now, feed.sequence, hash)
            }
        };
        let frame_sha256 = (key.notice.is_some() && self.options.reporting.is_some()).then(|| {
            let fonts = self.show.typesetter().fonts();
            let lines =
                frame.lines_json(|text, px, bold, bitmap| fonts.width_for(text, px, bold, bitmap));
            crate::feed::assets::sha256_hex(lines.to_string().as_bytes())
        });
        self.stage.current = Some(Current {
            slot,
            key,
            frame,
            since,
            frame_sha256,
            sequence,
            notice_sha256,
        });
        self.stage.page_dirty = true;
    }

    /// A page that left the screen becomes a play record.
    pub(super) fn record_play(&self, old: &Current, now: crate::model::Timestamp) {
        if let (Some(reporting), Some(id), Showing::Page { page, .. }) =
            (&self.options.reporting, &old.key.notice, old.key.showing)
        {
            let seconds = (now - old.since).num_milliseconds() as f64 / 1000.0;
            // A page gone within half a second was not read (and the service does not count
            // it): not worth a record.
            if seconds < 0.5 {
                return;
            }
            let mut record = crate::feed::plays::PlayRecord::new(
                id,
                page as u32 + 1,
                old.since,
                seconds,
                old.sequence,
            );
            record.notice_sha256 = old.notice_sha256.clone();
            record.frame_sha256 = old.frame_sha256.clone();
            if let Err(e) = reporting.plays.push(record) {
                tracing::error!("play record not saved: {e}");
            }
        }
    }
}
