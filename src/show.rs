//! One screen's show: a validated feed and playlist, laid out once, asked what to draw when.
//!
//! This is the seam between the pure cores and their users: `noticecast render` asks it for one
//! instant, the live player asks it again at every deadline the scheduler returns.

use std::path::Path;
use std::sync::Arc;

use crate::figures::{AssetSource, Figures};

use crate::layout::page::{Paged, Scene};
use crate::layout::templates;
use crate::layout::{FontError, Fonts, Frame, Image, Typesetter};
use crate::model::{Feed, Notice, Playlist, Problems, Timestamp};
use crate::schedule::{self, Entry, PageInfo, Showing, Slot};

#[derive(Debug, thiserror::Error)]
pub enum ShowError {
    #[error("notice {0:?} is not in the feed")]
    NoSuchNotice(String),
    #[error("notice {id:?} has {pages} page(s) on this screen; page {page} does not exist")]
    NoSuchPage {
        id: String,
        page: usize,
        pages: usize,
    },
}

/// Why a show could not be loaded from its files.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error(transparent)]
    Input(#[from] Problems),
    #[error(transparent)]
    Font(#[from] FontError),
    /// The feed of this group brings no playlist and none was given.
    #[error("{0}: the feed has no playlist; pass --playlist")]
    NoPlaylist(String),
}

/// Loads the feed and the playlist that goes with it (the one given, else the feed's own) and
/// lays the show out with the bundled fonts: `render`, `bench` and `play --feed` start here.
pub fn load(fonts: Option<&Path>, feed: &Path, playlist: Option<&Path>) -> Result<Show, LoadError> {
    let (feed, playlist) = read(feed, playlist)?;
    lay_out(fonts, feed, playlist)
}

/// The feed and the playlist that goes with it (the one given, else the feed's own), read and
/// validated: every refusal of bad input comes from here, before anything is laid out.
pub fn read(feed: &Path, playlist: Option<&Path>) -> Result<(Feed, Playlist), LoadError> {
    let feed = Feed::from_file(feed)?;
    let playlist = match playlist {
        Some(path) => Playlist::from_file(path)?,
        None => feed
            .playlist
            .clone()
            .ok_or_else(|| LoadError::NoPlaylist(feed.group.clone()))?,
    };
    Ok((feed, playlist))
}

/// `feed` laid out for `playlist` with the bundled fonts.
pub fn lay_out(fonts: Option<&Path>, feed: Feed, playlist: Playlist) -> Result<Show, LoadError> {
    let started = std::time::Instant::now();
    let fonts = Fonts::bundled(fonts)?;
    tracing::debug!(
        "fonts loaded from {} in {:?}",
        fonts.dir().display(),
        started.elapsed()
    );
    let started = std::time::Instant::now();
    let show = Show::new(Typesetter::new(fonts), feed, playlist);
    tracing::debug!(
        "{} notices laid out in {:?}",
        show.feed().notices.len(),
        started.elapsed()
    );
    for warning in show.warnings() {
        tracing::warn!("{warning}");
    }
    Ok(show)
}

/// A feed laid out for one playlist's screen.
pub struct Show {
    typesetter: Typesetter,
    /// The playlist as published.
    written: Playlist,
    /// The output the picture goes to, in the picture's orientation, once known.
    output: Option<(u32, u32)>,
    /// The playlist fitted to that output: what the pages are laid out for.
    playlist: Playlist,
    feed: Feed,
    paged: Vec<Paged>,
    warnings: Vec<String>,
    /// Set while the screen has no feed yet: its id, shown on the waiting frame.
    waiting: Option<String>,
    /// Where the figures' files are, decoded as their pages come up; none: figure pages say
    /// the picture is not at hand.
    figures: Option<Figures>,
}

impl Show {
    /// Lays out every notice of `feed` for `playlist`'s screen, noting characters the bundled
    /// fonts cannot draw (they appear as 〓).
    pub fn new(typesetter: Typesetter, feed: Feed, playlist: Playlist) -> Show {
        let mut show = Show {
            typesetter,
            written: playlist.clone(),
            output: None,
            playlist,
            feed,
            paged: Vec::new(),
            warnings: Vec::new(),
            waiting: None,
            figures: None,
        };
        show.layout();
        show
    }

    /// A show with no feed yet (empty cache, no network): a calm frame with the screen's id.
    pub fn waiting(typesetter: Typesetter, playlist: Playlist, screen_id: &str) -> Show {
        let doc = crate::model::FeedDocument {
            format: crate::model::FeedFormat::V1,
            group: playlist.group.clone(),
            sequence: 0,
            generated_at: chrono::DateTime::UNIX_EPOCH.fixed_offset(),
            expires_at: chrono::DateTime::<chrono::Utc>::MAX_UTC.fixed_offset(),
            playlist: None,
            notices: Vec::new(),
            assets: Vec::new(),
            blackout: None,
            signing_keys: Vec::new(),
        };
        let feed = Feed::validate(doc, "(no feed yet)").expect("an empty feed is valid");
        let mut show = Show::new(typesetter, feed, playlist);
        show.waiting = Some(screen_id.to_string());
        show
    }

    /// Where the figures' files are (a screen's asset cache, `render --assets DIR`).
    pub fn set_assets(&mut self, source: Box<dyn AssetSource>) {
        self.figures = Some(Figures::new(source));
    }

    /// No figure is decoded larger than the page.
    fn fit(&self) -> (u32, u32) {
        (self.playlist.screen.width, self.playlist.screen.height)
    }

    /// The pixels of page `page` of notice `entry`'s figure, if that page shows one.
    fn figure(&mut self, entry: usize, page: usize) -> Option<Arc<Image>> {
        let index = self.paged[entry].pages.get(page)?.figure?;
        let fit = self.fit();
        self.figure_image(entry, index, fit)
    }

    /// The pixels of figure `index` of notice `entry`, no larger than `fit` (the touch
    /// terminal decodes an enlarged figure finer than its screen).
    pub fn figure_image(
        &mut self,
        entry: usize,
        index: usize,
        fit: (u32, u32),
    ) -> Option<Arc<Image>> {
        let asset = &self.feed.notices.get(entry)?.figures.get(index)?.asset;
        self.figures.as_mut()?.image(asset, fit)
    }

    /// Swaps in a new (validated) feed and lays it out; the playlist stays.
    pub fn set_feed(&mut self, feed: Feed) {
        self.feed = feed;
        self.waiting = None;
        self.layout();
    }

    /// Swaps in a new playlist (one that travelled with the feed) and lays the feed out again.
    pub fn set_playlist(&mut self, playlist: Playlist) {
        self.playlist = match self.output {
            Some(picture) => playlist.fitted_to(picture),
            None => playlist.clone(),
        };
        self.written = playlist;
        self.layout();
    }

    /// The output the picture goes to (`width` x `height` in the picture's orientation): a TV or
    /// terminal is laid out again for it, an LED strip is placed at its capture rectangle on it.
    /// `true` if anything changed.
    pub fn set_output(&mut self, picture: (u32, u32)) -> bool {
        if self.output == Some(picture) {
            return false;
        }
        self.output = Some(picture);
        let fitted = self.written.fitted_to(picture);
        if fitted != self.playlist {
            self.playlist = fitted;
            self.layout();
        }
        true
    }

    /// The LED strip's corner on the output, when the output is not the strip itself (a
    /// compositor that makes every window fullscreen, as cage does).
    fn placement(&self) -> Option<((u32, u32), (i32, i32))> {
        let screen = &self.playlist.screen;
        match self.output {
            Some(output)
                if templates::for_kind(self.playlist.kind).placed()
                    && output != (screen.width, screen.height) =>
            {
                Some((output, screen.origin()))
            }
            _ => None,
        }
    }

    fn layout(&mut self) {
        if let Some(figures) = &mut self.figures {
            figures.clear();
        }
        let (typesetter, feed, playlist) = (&mut self.typesetter, &self.feed, &self.playlist);
        let mut warnings = Vec::new();
        for n in &feed.notices {
            let mut missing: Vec<char> = Vec::new();
            for c in typesetter
                .fonts()
                .missing_by_field(&n.drawn_text())
                .into_iter()
                .flat_map(|(_, cs)| cs)
            {
                if !missing.contains(&c) {
                    missing.push(c);
                }
            }
            if !missing.is_empty() {
                let list: Vec<String> = missing
                    .iter()
                    .map(|c| format!("{c} (U+{:04X})", *c as u32))
                    .collect();
                warnings.push(format!(
                    "notice {}: no bundled font has {}; shown as 〓",
                    n.id,
                    list.join(", ")
                ));
            }
        }
        self.paged = feed
            .notices
            .iter()
            .map(|n| typesetter.paginate(playlist, n))
            .collect();
        self.warnings = warnings;
    }

    /// The playlist the pages are laid out for (fitted to the output, once known).
    pub fn playlist(&self) -> &Playlist {
        &self.playlist
    }

    /// The playlist as published, before fitting.
    pub fn written_playlist(&self) -> &Playlist {
        &self.written
    }

    pub fn feed(&self) -> &Feed {
        &self.feed
    }

    pub fn typesetter(&mut self) -> &mut Typesetter {
        &mut self.typesetter
    }

    /// Characters that cannot be drawn, one line per notice.
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    pub fn pages_of(&self, id: &str) -> Option<usize> {
        let i = self.feed.notices.iter().position(|n| n.id == id)?;
        Some(self.paged[i].pages.len())
    }

    fn entries(&self) -> Vec<Entry<'_>> {
        self.feed
            .notices
            .iter()
            .zip(&self.paged)
            .map(|(notice, paged)| Entry {
                notice,
                pages: paged
                    .pages
                    .iter()
                    .map(|p| PageInfo {
                        chars: p.chars,
                        motion_s: p.motion_s,
                    })
                    .collect(),
            })
            .collect()
    }

    /// Whether an admin holds this screen's group on the neutral standby page.
    pub fn blacked_out(&self) -> bool {
        self.feed.blackout.is_some()
    }

    /// What is on screen at `t`, and until when. Held on standby, nothing plays (and nothing is
    /// counted as played) until a feed lifts it.
    pub fn slot_at(&self, t: Timestamp) -> Slot {
        let slot = schedule::at(&self.playlist, &self.entries(), t);
        if self.blacked_out() && slot.showing != Showing::Standby {
            return Slot {
                showing: Showing::Empty,
                start: t,
                until: slot.until.min(t + chrono::TimeDelta::hours(1)),
            };
        }
        slot
    }

    /// The notice a slot shows, if any.
    pub fn notice_of(&self, slot: &Slot) -> Option<&Notice> {
        match slot.showing {
            Showing::Page { entry, .. } => self.feed.notices.get(entry),
            _ => None,
        }
    }

    /// The frame on the output at `t`: the page, or an LED strip placed on its output.
    pub fn frame_at(&mut self, t: Timestamp) -> (Slot, Frame) {
        let (slot, frame) = self.page_at(t);
        (slot, self.on_output(frame))
    }

    fn on_output(&self, frame: Frame) -> Frame {
        match self.placement() {
            Some((output, at)) => frame.placed(output, at),
            None => frame,
        }
    }

    /// The page on screen at `t`.
    fn page_at(&mut self, t: Timestamp) -> (Slot, Frame) {
        let slot = self.slot_at(t);
        let ticker = schedule::ticker_items(&self.playlist, &self.entries(), t);
        let frame = match slot.showing {
            Showing::Empty if self.blacked_out() => self
                .typesetter
                .compose(&self.playlist, &Scene::Blackout { now: t }),
            Showing::Standby => self.typesetter.compose(&self.playlist, &Scene::Standby),
            Showing::Empty => self.typesetter.compose(
                &self.playlist,
                &Scene::Empty {
                    now: t,
                    ticker: &ticker,
                    waiting: self.waiting.as_deref(),
                },
            ),
            Showing::Page { entry, page, .. } => {
                let elapsed_s = (t - slot.start).num_milliseconds() as f64 / 1000.0;
                let figure = self.figure(entry, page);
                let scene = Scene::Notice {
                    notice: &self.feed.notices[entry],
                    paged: &self.paged[entry],
                    page,
                    elapsed_s,
                    now: t,
                    ticker: &ticker,
                    figure,
                };
                self.typesetter.compose(&self.playlist, &scene)
            }
        };
        (slot, frame)
    }

    /// Page `page` (from 0) of notice `id`, as it looks at `now`. Validity is not checked:
    /// previews show notices not yet valid.
    pub fn frame_of(&mut self, id: &str, page: usize, now: Timestamp) -> Result<Frame, ShowError> {
        let i = self
            .feed
            .notices
            .iter()
            .position(|n| n.id == id)
            .ok_or_else(|| ShowError::NoSuchNotice(id.to_string()))?;
        let pages = self.paged[i].pages.len();
        if page >= pages {
            return Err(ShowError::NoSuchPage {
                id: id.to_string(),
                page: page + 1,
                pages,
            });
        }
        let ticker = schedule::ticker_items(&self.playlist, &self.entries(), now);
        let elapsed_s = templates::for_kind(self.playlist.kind).preview_elapsed_s(&self.playlist);
        let figure = self.figure(i, page);
        let scene = Scene::Notice {
            notice: &self.feed.notices[i],
            paged: &self.paged[i],
            page,
            elapsed_s,
            now,
            ticker: &ticker,
            figure,
        };
        let frame = self.typesetter.compose(&self.playlist, &scene);
        Ok(self.on_output(frame))
    }
}
