//! Previews for staff: a notice as a screen of a group will show it, drawn by the same layout
//! and renderer the screens use, offscreen. One worker thread owns the GPU device and the laid-out
//! fonts; requests queue for it (`Queue`), bounded: a newer request for the same view of the same
//! staff member replaces one still waiting, a request whose client has gone is dropped unseen,
//! staff take turns, and past `MAX_WAITING` a request is refused at once. One editor's abandoned
//! live previews once kept a colleague waiting 192 s. Without an adapter the console still works
//! and says why there is no picture.

use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::{Condvar, Mutex};

use crate::layout::{Fonts, Typesetter};
use crate::model::{Feed, FeedDocument, FeedFormat, Notice, Playlist, Timestamp};
use crate::render::{Renderer, png_bytes};
use crate::show::Show;

/// Why there is no picture. The console shows the text (`Previewer`'s methods answer it as
/// text, which is what the HTTP side takes today).
#[derive(Debug, thiserror::Error)]
pub enum PreviewError {
    #[error("preview thread: {0}")]
    Thread(std::io::Error),
    #[error("{MAX_WAITING} previews are waiting already; try again in a moment")]
    Busy,
    #[error("the preview worker stopped; try again")]
    Stopped,
    /// The queue dropped the request (`Pending::refuse`).
    #[error("{0}")]
    Refused(String),
    #[error(transparent)]
    Feed(#[from] crate::model::Problems),
    #[error(transparent)]
    Fonts(#[from] crate::layout::FontError),
    #[error("no preview: the server has no usable GPU adapter ({0})")]
    NoAdapter(crate::render::RenderError),
    #[error(transparent)]
    Render(#[from] crate::render::RenderError),
    #[error(transparent)]
    Show(#[from] crate::show::ShowError),
}

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
        /// The bytes of the notice's figures, by hash, read from the service's table.
        figures: Vec<(String, Vec<u8>)>,
        reply: tokio::sync::oneshot::Sender<Result<Preview, PreviewError>>,
    },
    Pages {
        notice: Notice,
        playlist: Playlist,
        reply: tokio::sync::oneshot::Sender<Result<usize, PreviewError>>,
    },
    Now {
        doc: Box<FeedDocument>,
        playlist: Playlist,
        at: Timestamp,
        dimmed: bool,
        reply: tokio::sync::oneshot::Sender<Result<Vec<u8>, PreviewError>>,
    },
}

/// A request in the queue: nobody waits for it any more, or it is answered with a refusal.
pub trait Pending {
    /// The staff member's request has ended (the browser went on or closed): nobody waits.
    fn abandoned(&self) -> bool;
    /// Answers the waiting request with `why` instead of a picture.
    fn refuse(self, why: &str);
}

impl Pending for Job {
    fn abandoned(&self) -> bool {
        match self {
            Job::Render { reply, .. } => reply.is_closed(),
            Job::Pages { reply, .. } => reply.is_closed(),
            Job::Now { reply, .. } => reply.is_closed(),
        }
    }

    fn refuse(self, why: &str) {
        match self {
            Job::Render { reply, .. } => drop(reply.send(Err(PreviewError::Refused(why.into())))),
            Job::Pages { reply, .. } => drop(reply.send(Err(PreviewError::Refused(why.into())))),
            Job::Now { reply, .. } => drop(reply.send(Err(PreviewError::Refused(why.into())))),
        }
    }
}

/// Who asks for a preview, and for which of their views (the live preview of the form, a
/// revision's page on a group, the pages of a notice): a newer request for the same view
/// replaces the one still waiting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asker {
    pub user: i64,
    pub view: String,
}

/// The most previews waiting at once, all staff together; past it a request is refused at once.
pub const MAX_WAITING: usize = 32;

/// The requests waiting for the worker.
pub struct Queue<T> {
    waiting: VecDeque<(Option<Asker>, T)>,
    /// Whose request the worker took last: the next goes to someone else if anyone waits.
    last: Option<i64>,
}

impl<T: Pending> Default for Queue<T> {
    fn default() -> Queue<T> {
        Queue {
            waiting: VecDeque::new(),
            last: None,
        }
    }
}

impl<T: Pending> Queue<T> {
    /// Queues `job`: in place of a waiting request for the same view (refused, "replaced"), or
    /// at the end; refused when `MAX_WAITING` wait already.
    pub fn push(&mut self, asker: Option<Asker>, job: T) -> Result<(), T> {
        self.waiting.retain(|(_, j)| !j.abandoned());
        if let Some(asker) = &asker
            && let Some(slot) = self
                .waiting
                .iter_mut()
                .find(|(a, _)| a.as_ref() == Some(asker))
        {
            let old = std::mem::replace(&mut slot.1, job);
            old.refuse("a newer preview of the same view replaced this one");
            return Ok(());
        }
        if self.waiting.len() >= MAX_WAITING {
            return Err(job);
        }
        self.waiting.push_back((asker, job));
        Ok(())
    }

    /// The next request to work on: abandoned ones dropped; of the rest the oldest of a staff
    /// member other than the last one served, if any waits, else the oldest.
    pub fn take_next(&mut self) -> Option<T> {
        self.waiting.retain(|(_, j)| !j.abandoned());
        let last = self.last;
        let i = self
            .waiting
            .iter()
            .position(|(a, _)| a.as_ref().map(|a| a.user) != last || last.is_none())
            .unwrap_or(0);
        let (asker, job) = self.waiting.remove(i)?;
        self.last = asker.map(|a| a.user);
        Some(job)
    }

    pub fn len(&self) -> usize {
        self.waiting.len()
    }

    pub fn is_empty(&self) -> bool {
        self.waiting.is_empty()
    }
}

/// The queue shared with the worker, and whether the previewer has gone.
struct Shared {
    queue: Mutex<(Queue<Job>, bool)>,
    ready: Condvar,
}

pub struct Previewer {
    fonts: Option<PathBuf>,
    shared: std::sync::Arc<Shared>,
    /// The worker, joined when the previewer goes: its GPU device is released before the
    /// process exits (a device still alive in another thread while the driver's static state is
    /// torn down at exit crashed a test process).
    worker: Mutex<Option<std::thread::JoinHandle<()>>>,
}

impl Drop for Previewer {
    fn drop(&mut self) {
        // Closing the queue ends the worker's loop; it drops its renderer and returns.
        self.shared
            .queue
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .1 = true;
        self.shared.ready.notify_all();
        if let Some(worker) = self.worker.lock().unwrap_or_else(|e| e.into_inner()).take() {
            let _ = worker.join();
        }
    }
}

impl Previewer {
    pub fn new(fonts: Option<PathBuf>) -> Previewer {
        Previewer {
            fonts,
            shared: std::sync::Arc::new(Shared {
                queue: Mutex::new((Queue::default(), false)),
                ready: Condvar::new(),
            }),
            worker: Mutex::new(None),
        }
    }

    fn send(&self, asker: Option<Asker>, job: Job) -> Result<(), PreviewError> {
        {
            let mut worker = self.worker.lock().unwrap_or_else(|e| e.into_inner());
            // None yet, or one that stopped (a panic in a driver): a new one.
            if worker.as_ref().is_none_or(|w| w.is_finished()) {
                let fonts = self.fonts.clone();
                let shared = self.shared.clone();
                let handle = std::thread::Builder::new()
                    .name("preview".into())
                    .spawn(move || worker_loop(fonts, &shared))
                    .map_err(PreviewError::Thread)?;
                *worker = Some(handle);
            }
        }
        let pushed = self
            .shared
            .queue
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .0
            .push(asker, job);
        if pushed.is_err() {
            return Err(PreviewError::Busy);
        }
        self.shared.ready.notify_one();
        Ok(())
    }

    /// Page `page` (from 1) of `notice` on a screen of `playlist`, as a PNG.
    pub async fn render(
        &self,
        asker: Option<Asker>,
        notice: Notice,
        playlist: Playlist,
        page: usize,
        figures: Vec<(String, Vec<u8>)>,
    ) -> Result<Preview, PreviewError> {
        let (reply, answer) = tokio::sync::oneshot::channel();
        self.send(
            asker,
            Job::Render {
                notice,
                playlist,
                page,
                figures,
                reply,
            },
        )?;
        answer.await.map_err(|_| PreviewError::Stopped)?
    }

    /// How many pages `notice` has on a screen of `playlist` (layout only, no drawing).
    pub async fn pages(
        &self,
        asker: Option<Asker>,
        notice: Notice,
        playlist: Playlist,
    ) -> Result<usize, PreviewError> {
        let (reply, answer) = tokio::sync::oneshot::channel();
        self.send(
            asker,
            Job::Pages {
                notice,
                playlist,
                reply,
            },
        )?;
        answer.await.map_err(|_| PreviewError::Stopped)?
    }
}

impl Previewer {
    /// What a screen of the group shows at `at` with feed `doc` and `playlist` (which replaces
    /// the feed's own): `render --at`, as a PNG; `dimmed` for the off-hours, where `at` is the
    /// last instant before the screens went off (`wall::off_hours`).
    pub async fn now(
        &self,
        asker: Option<Asker>,
        doc: FeedDocument,
        playlist: Playlist,
        at: Timestamp,
        dimmed: bool,
    ) -> Result<Vec<u8>, PreviewError> {
        let (reply, answer) = tokio::sync::oneshot::channel();
        self.send(
            asker,
            Job::Now {
                doc: Box::new(doc),
                playlist,
                at,
                dimmed,
                reply,
            },
        )?;
        answer.await.map_err(|_| PreviewError::Stopped)?
    }
}

/// A feed of just this notice for this playlist's group, so the show lays it out as a screen
/// of that group would.
fn one_notice_feed(notice: Notice, playlist: &Playlist) -> Result<Feed, PreviewError> {
    let doc = FeedDocument {
        format: FeedFormat::V1,
        group: playlist.group.clone(),
        sequence: 0,
        generated_at: notice.published_at,
        expires_at: notice.published_at + chrono::Duration::days(1),
        playlist: None,
        // The figures' images as a feed lists them; a preview fetches nothing.
        assets: crate::model::assets_named(&notice.figures)
            .into_iter()
            .map(|sha256| crate::model::Asset {
                sha256: sha256.to_string(),
                url: format!("https://preview.invalid/assets/{sha256}"),
                media_type: "image/png".into(),
            })
            .collect(),
        notices: vec![notice],
        blackout: None,
        signing_keys: Vec::new(),
    };
    Ok(Feed::validate(doc, "preview")?)
}

/// Lays `notice` out for `playlist` in the one show the worker keeps (fonts load once).
fn lay_out(
    kept: &mut Option<Show>,
    fonts: Option<&std::path::Path>,
    notice: Notice,
    playlist: Playlist,
) -> Result<(Show, Timestamp, String), PreviewError> {
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
) -> Result<Show, PreviewError> {
    Ok(match kept.take() {
        Some(mut s) => {
            s.set_playlist(playlist);
            s.set_feed(feed);
            s
        }
        None => {
            let fonts = Fonts::bundled(fonts)?;
            Show::new(Typesetter::new(fonts), feed, playlist)
        }
    })
}

fn worker_loop(fonts: Option<PathBuf>, shared: &Shared) {
    let mut kept: Option<Show> = None;
    let mut renderer: Option<Renderer> = None;
    loop {
        let job = {
            let mut queue = shared.queue.lock().unwrap_or_else(|e| e.into_inner());
            loop {
                if queue.1 {
                    return;
                }
                if let Some(job) = queue.0.take_next() {
                    break job;
                }
                queue = shared.ready.wait(queue).unwrap_or_else(|e| e.into_inner());
            }
        };
        match job {
            Job::Pages {
                notice,
                playlist,
                reply,
            } => {
                let answer =
                    lay_out(&mut kept, fonts.as_deref(), notice, playlist).map(|(show, _, id)| {
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
                dimmed,
                reply,
            } => {
                let answer = now_frame(
                    &mut kept,
                    &mut renderer,
                    fonts.as_deref(),
                    *doc,
                    playlist,
                    at,
                    dimmed,
                );
                let _ = reply.send(answer);
            }
            Job::Render {
                notice,
                playlist,
                page,
                figures,
                reply,
            } => {
                let answer = lay_out(&mut kept, fonts.as_deref(), notice, playlist).and_then(
                    |(mut show, at, id)| {
                        show.set_assets(Box::new(crate::figures::Memory(figures)));
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
    dimmed: bool,
) -> Result<Vec<u8>, PreviewError> {
    doc.playlist = None;
    let feed = Feed::validate(doc, "preview")?;
    let mut show = show_of(kept, fonts, feed, playlist)?;
    let (_, frame) = show.frame_at(at);
    let result = pixels(renderer, &mut show, &frame);
    *kept = Some(show);
    let mut pixels = result?;
    // After the renderer, on its output: the frame itself is drawn as the screens draw it.
    if dimmed {
        crate::service::domain::wall::dim(&mut pixels);
    }
    Ok(png_bytes(&pixels)?)
}

fn pixels(
    renderer: &mut Option<Renderer>,
    show: &mut Show,
    frame: &crate::layout::Frame,
) -> Result<crate::render::Pixels, PreviewError> {
    if renderer.is_none() {
        // Tried again on the next request: a driver that comes back is used.
        *renderer = Some(Renderer::offscreen().map_err(PreviewError::NoAdapter)?);
    }
    let r = renderer.as_mut().expect("just created");
    Ok(r.render(show.typesetter().fonts(), frame)?)
}

fn draw(
    renderer: &mut Option<Renderer>,
    show: &mut Show,
    id: &str,
    page: usize,
    at: Timestamp,
) -> Result<Preview, PreviewError> {
    let pages = show.pages_of(id).unwrap_or(1).max(1);
    let page = page.clamp(1, pages);
    let frame = show.frame_of(id, page - 1, at)?;
    let pixels = pixels(renderer, show, &frame)?;
    let png = png_bytes(&pixels)?;
    Ok(Preview { png, page, pages })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A stand-in request: a reply channel, as the real ones have.
    struct Fake(u32, tokio::sync::oneshot::Sender<Result<u32, String>>);

    impl Pending for Fake {
        fn abandoned(&self) -> bool {
            self.1.is_closed()
        }
        fn refuse(self, why: &str) {
            let _ = self.1.send(Err(why.into()));
        }
    }

    fn fake(n: u32) -> (Fake, tokio::sync::oneshot::Receiver<Result<u32, String>>) {
        let (tx, rx) = tokio::sync::oneshot::channel();
        (Fake(n, tx), rx)
    }

    fn asker(user: i64, view: &str) -> Option<Asker> {
        Some(Asker {
            user,
            view: view.into(),
        })
    }

    /// Previews: one editor's abandoned live previews kept a colleague waiting 192 s. A newer
    /// request for the same view replaces the waiting one, requests nobody waits for are
    /// dropped unseen, staff take turns, and the queue is bounded.
    #[test]
    fn abandoned_and_superseded_previews_do_not_keep_a_colleague_waiting() {
        let mut queue = Queue::default();
        // One editor types: each keystroke's preview replaces the one before.
        let mut replaced = Vec::new();
        for n in 0..10 {
            let (job, rx) = fake(n);
            queue.push(asker(1, "live"), job).map_err(|_| ()).unwrap();
            replaced.push(rx);
        }
        assert_eq!(queue.len(), 1, "one waiting preview per view");
        for mut rx in replaced.drain(..9) {
            assert!(rx.try_recv().unwrap().unwrap_err().contains("replaced"));
        }
        // Their wall of groups, then a colleague's one preview.
        let mut walls = Vec::new();
        for g in 0..5 {
            let (job, rx) = fake(100 + g);
            queue
                .push(asker(1, &format!("now:{g}")), job)
                .map_err(|_| ())
                .unwrap();
            walls.push(rx);
        }
        let (colleague, _colleague_rx) = fake(200);
        queue
            .push(asker(2, "live"), colleague)
            .map_err(|_| ())
            .unwrap();
        // The editor left the wall: those requests are dropped unseen.
        walls.truncate(1);
        assert_eq!(
            queue.take_next().unwrap().0,
            9,
            "the latest keystroke's preview"
        );
        assert_eq!(
            queue.take_next().unwrap().0,
            200,
            "the colleague's turn next"
        );
        assert_eq!(
            queue.take_next().unwrap().0,
            100,
            "the wall's one still wanted"
        );
        assert!(
            queue.take_next().is_none(),
            "the abandoned ones were dropped"
        );
        // Bounded: past MAX_WAITING requests are refused at once.
        let mut keep = Vec::new();
        for n in 0..MAX_WAITING {
            let (job, rx) = fake(n as u32);
            queue
                .push(asker(3, &format!("v{n}")), job)
                .map_err(|_| ())
                .unwrap();
            keep.push(rx);
        }
        let (job, _rx) = fake(999);
        assert!(queue.push(asker(4, "live"), job).is_err());
    }
}
