//! Previews for staff: a notice as a screen of a group will show it, drawn by the same layout
//! and renderer the screens use, offscreen. One worker thread owns the GPU device and the laid-out
//! fonts; requests queue for it. Without an adapter the console still works and says why there
//! is no picture.

use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::mpsc;

use crate::layout::{Fonts, Typesetter};
use crate::model::{Feed, FeedDocument, FeedFormat, Notice, Playlist, Timestamp};
use crate::render::{Renderer, png_bytes};
use crate::show::Show;

/// One page of one notice on one group's screen.
pub struct Preview {
    pub png: Vec<u8>,
    /// From 1, clamped to the notice's pages.
    pub page: usize,
    pub pages: usize,
}

enum Job {
    Render {
        notice: Notice,
        playlist: Playlist,
        page: usize,
        reply: tokio::sync::oneshot::Sender<Result<Preview, String>>,
    },
    Pages {
        notice: Notice,
        playlist: Playlist,
        reply: tokio::sync::oneshot::Sender<Result<usize, String>>,
    },
    Now {
        doc: Box<FeedDocument>,
        playlist: Playlist,
        at: Timestamp,
        reply: tokio::sync::oneshot::Sender<Result<Vec<u8>, String>>,
    },
}

pub struct Previewer {
    fonts: Option<PathBuf>,
    jobs: Mutex<Option<mpsc::Sender<Job>>>,
    /// The worker, joined when the previewer goes: its GPU device is released before the
    /// process exits (a device still alive in another thread while the driver's static state is
    /// torn down at exit crashed a test process).
    worker: Mutex<Option<std::thread::JoinHandle<()>>>,
}

impl Drop for Previewer {
    fn drop(&mut self) {
        // Closing the queue ends the worker's loop; it drops its renderer and returns.
        drop(self.jobs.lock().unwrap_or_else(|e| e.into_inner()).take());
        if let Some(worker) = self.worker.lock().unwrap_or_else(|e| e.into_inner()).take() {
            let _ = worker.join();
        }
    }
}

impl Previewer {
    pub fn new(fonts: Option<PathBuf>) -> Previewer {
        Previewer {
            fonts,
            jobs: Mutex::new(None),
            worker: Mutex::new(None),
        }
    }

    fn send(&self, job: Job) -> Result<(), String> {
        let mut jobs = self.jobs.lock().unwrap_or_else(|e| e.into_inner());
        if jobs.is_none() {
            let (tx, rx) = mpsc::channel();
            let fonts = self.fonts.clone();
            let handle = std::thread::Builder::new()
                .name("preview".into())
                .spawn(move || worker(fonts, rx))
                .map_err(|e| format!("preview thread: {e}"))?;
            // A worker that stopped (a driver panic) was already done; its handle goes.
            *self.worker.lock().unwrap_or_else(|e| e.into_inner()) = Some(handle);
            *jobs = Some(tx);
        }
        let tx = jobs.as_ref().expect("just started");
        if let Err(mpsc::SendError(job)) = tx.send(job) {
            // The worker ended (a panic in a driver): start a new one next time.
            *jobs = None;
            drop(job);
            return Err("the preview worker stopped; try again".into());
        }
        Ok(())
    }

    /// Page `page` (from 1) of `notice` on a screen of `playlist`, as a PNG.
    pub async fn render(
        &self,
        notice: Notice,
        playlist: Playlist,
        page: usize,
    ) -> Result<Preview, String> {
        let (reply, answer) = tokio::sync::oneshot::channel();
        self.send(Job::Render {
            notice,
            playlist,
            page,
            reply,
        })?;
        answer
            .await
            .map_err(|_| "the preview worker stopped; try again".to_string())?
    }

    /// How many pages `notice` has on a screen of `playlist` (layout only, no drawing).
    pub async fn pages(&self, notice: Notice, playlist: Playlist) -> Result<usize, String> {
        let (reply, answer) = tokio::sync::oneshot::channel();
        self.send(Job::Pages {
            notice,
            playlist,
            reply,
        })?;
        answer
            .await
            .map_err(|_| "the preview worker stopped; try again".to_string())?
    }
}

impl Previewer {
    /// What a screen of the group shows at `at` with feed `doc` and `playlist` (which replaces
    /// the feed's own): `render --at`, as a PNG.
    pub async fn now(
        &self,
        doc: FeedDocument,
        playlist: Playlist,
        at: Timestamp,
    ) -> Result<Vec<u8>, String> {
        let (reply, answer) = tokio::sync::oneshot::channel();
        self.send(Job::Now {
            doc: Box::new(doc),
            playlist,
            at,
            reply,
        })?;
        answer
            .await
            .map_err(|_| "the preview worker stopped; try again".to_string())?
    }
}

/// A feed of just this notice for this playlist's group, so the show lays it out as a screen
/// of that group would.
fn one_notice_feed(notice: Notice, playlist: &Playlist) -> Result<Feed, String> {
    let doc = FeedDocument {
        format: FeedFormat::V1,
        group: playlist.group.clone(),
        sequence: 0,
        generated_at: notice.published_at,
        expires_at: notice.published_at + chrono::Duration::days(1),
        playlist: None,
        notices: vec![notice],
        assets: Vec::new(),
        blackout: None,
        signing_keys: Vec::new(),
    };
    Feed::validate(doc, "preview").map_err(|p| p.to_string())
}

/// Lays `notice` out for `playlist` in the one show the worker keeps (fonts load once).
fn prepare(
    kept: &mut Option<Show>,
    fonts: Option<&std::path::Path>,
    notice: Notice,
    playlist: Playlist,
) -> Result<(Show, Timestamp, String), String> {
    let id = notice.id.clone();
    let at = notice.published_at;
    let feed = one_notice_feed(notice, &playlist)?;
    Ok((show_of(kept, fonts, feed, playlist)?, at, id))
}

/// The worker's one show, given `feed` and `playlist` (the fonts load once, the first time).
fn show_of(
    kept: &mut Option<Show>,
    fonts: Option<&std::path::Path>,
    feed: Feed,
    playlist: Playlist,
) -> Result<Show, String> {
    Ok(match kept.take() {
        Some(mut s) => {
            s.set_playlist(playlist);
            s.set_feed(feed);
            s
        }
        None => {
            let fonts = Fonts::bundled(fonts).map_err(|e| e.to_string())?;
            Show::new(Typesetter::new(fonts), feed, playlist)
        }
    })
}

fn worker(fonts: Option<PathBuf>, jobs: mpsc::Receiver<Job>) {
    let mut kept: Option<Show> = None;
    let mut renderer: Option<Renderer> = None;
    while let Ok(job) = jobs.recv() {
        match job {
            Job::Pages {
                notice,
                playlist,
                reply,
            } => {
                let answer =
                    prepare(&mut kept, fonts.as_deref(), notice, playlist).map(|(show, _, id)| {
                        let pages = show.pages_of(&id).unwrap_or(1);
                        kept = Some(show);
                        pages
                    });
                let _ = reply.send(answer);
            }
            Job::Now {
                doc,
                playlist,
                at,
                reply,
            } => {
                let answer = now_frame(
                    &mut kept,
                    &mut renderer,
                    fonts.as_deref(),
                    *doc,
                    playlist,
                    at,
                );
                let _ = reply.send(answer);
            }
            Job::Render {
                notice,
                playlist,
                page,
                reply,
            } => {
                let answer = prepare(&mut kept, fonts.as_deref(), notice, playlist).and_then(
                    |(mut show, at, id)| {
                        let result = draw(&mut renderer, &mut show, &id, page, at);
                        kept = Some(show);
                        result
                    },
                );
                let _ = reply.send(answer);
            }
        }
    }
}

fn now_frame(
    kept: &mut Option<Show>,
    renderer: &mut Option<Renderer>,
    fonts: Option<&std::path::Path>,
    mut doc: FeedDocument,
    playlist: Playlist,
    at: Timestamp,
) -> Result<Vec<u8>, String> {
    doc.playlist = None;
    let feed = Feed::validate(doc, "preview").map_err(|p| p.to_string())?;
    let mut show = show_of(kept, fonts, feed, playlist)?;
    let (_, frame) = show.frame_at(at);
    let result = pixels(renderer, &mut show, &frame);
    *kept = Some(show);
    png_bytes(&result?).map_err(|e| e.to_string())
}

fn pixels(
    renderer: &mut Option<Renderer>,
    show: &mut Show,
    frame: &crate::layout::Frame,
) -> Result<crate::render::Pixels, String> {
    if renderer.is_none() {
        // Tried again on the next request: a driver that comes back is used.
        *renderer = Some(
            Renderer::offscreen()
                .map_err(|e| format!("no preview: the server has no usable GPU adapter ({e})"))?,
        );
    }
    let r = renderer.as_mut().expect("just created");
    r.render(show.typesetter().fonts(), frame)
        .map_err(|e| e.to_string())
}

fn draw(
    renderer: &mut Option<Renderer>,
    show: &mut Show,
    id: &str,
    page: usize,
    at: Timestamp,
) -> Result<Preview, String> {
    let pages = show.pages_of(id).unwrap_or(1).max(1);
    let page = page.clamp(1, pages);
    let frame = show.frame_of(id, page - 1, at).map_err(|e| e.to_string())?;
    let pixels = pixels(renderer, show, &frame)?;
    let png = png_bytes(&pixels).map_err(|e| e.to_string())?;
    Ok(Preview { png, page, pages })
}

/// The dashboard's wall: each group's latest current frame, kept while the group's feed
/// sequence and the minute stay the same (a wall of many groups, reloaded by several staff,
/// draws each frame once).
#[derive(Default)]
pub struct Wall(Mutex<std::collections::HashMap<String, (WallKey, Vec<u8>)>>);

/// Group, feed sequence, minute.
pub type WallKey = (String, u64, i64);

impl Wall {
    pub fn get(&self, key: &WallKey) -> Option<Vec<u8>> {
        let map = self.0.lock().unwrap_or_else(|e| e.into_inner());
        map.get(&key.0)
            .filter(|(k, _)| k == key)
            .map(|(_, png)| png.clone())
    }

    pub fn put(&self, key: WallKey, png: Vec<u8>) {
        let mut map = self.0.lock().unwrap_or_else(|e| e.into_inner());
        map.insert(key.0.clone(), (key, png));
    }
}
