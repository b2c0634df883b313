//! `Terminal` ties the touch session to a show: it indexes the current notices, lays out their
//! touch pages once per feed, and asks `layout::touch` for the frame and its targets.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::layout::page::BodyPage;
use crate::layout::touch::{ROWS_PER_PAGE, Target, TargetName, TouchScene, TouchView, qr_url};
use crate::layout::{Frame, Rect};
use crate::model::{Category, Notice, Priority, Timestamp, Touch};
use crate::show::Show;

use super::input::Input;
use super::session::{self, Content, Outcome, Phase, Session, View};

/// The current notices, indexed for the session and the screens.
struct Catalog {
    /// Feed indexes of current emergencies, newest first.
    emergencies: Vec<usize>,
    /// Every category, with the feed indexes of its current notices, newest first.
    categories: Vec<(Category, Vec<usize>)>,
    /// id → (pages, pages in large type, QR address, figures: the last pages)
    notices: HashMap<String, (usize, usize, Option<String>, usize)>,
}

impl Content for Catalog {
    fn count(&self, category: Category) -> usize {
        self.categories
            .iter()
            .find(|(c, _)| *c == category)
            .map_or(0, |(_, list)| list.len())
    }
    fn pages(&self, id: &str, large: bool) -> Option<usize> {
        self.notices
            .get(id)
            .map(|&(n, l, _, _)| if large { l } else { n })
    }
    fn has_qr(&self, id: &str) -> bool {
        self.notices.get(id).is_some_and(|n| n.2.is_some())
    }
    fn is_figure(&self, id: &str, page: usize, large: bool) -> bool {
        let (Some(pages), Some(figures)) = (self.pages(id, large), self.notices.get(id)) else {
            return false;
        };
        page < pages && page + figures.3 >= pages
    }
}

/// The order residents see the categories in: the playlist's first, then the rest.
fn category_order(show: &Show) -> Vec<Category> {
    let mut order = show.playlist().rotation.categories.clone();
    for c in Category::ALL {
        if !order.contains(&c) {
            order.push(c);
        }
    }
    order
}

/// An enlarged figure is decoded at this many times the screen's size, so that it stays sharp.
const ZOOM_DECODE: u32 = 3;

pub struct Terminal {
    pub session: Session,
    pub input: Input,
    touch: Touch,
    /// The page size the input layer measures millimetres on.
    page: (u32, u32),
    /// (notice id, large) → its body pages on the notice screen; emptied with every new feed.
    pages: HashMap<(String, bool), Arc<Vec<BodyPage>>>,
    catalog: Option<Catalog>,
    targets: Vec<Target>,
}

impl Terminal {
    pub fn new(touch: &Touch, page: (u32, u32)) -> Terminal {
        Terminal {
            session: Session::new(
                Duration::from_secs(touch.idle_s as u64),
                Duration::from_secs(touch.countdown_s as u64),
            ),
            input: Input::new(touch.px_per_mm(page.0, page.1)),
            touch: touch.clone(),
            page,
            pages: HashMap::new(),
            catalog: None,
            targets: Vec::new(),
        }
    }

    /// A new feed, playlist or output size: layouts are redone, and a reader whose notice is
    /// gone goes home.
    pub fn content_changed(&mut self, show: &mut Show, now: Timestamp) {
        let screen = &show.playlist().screen;
        let page = (screen.width, screen.height);
        if let Some(touch) = &show.playlist().touch
            && (touch != &self.touch || page != self.page)
        {
            // New sizes or times: the input layer measures millimetres anew; the session keeps
            // its place (its times apply from the next touch).
            self.touch = touch.clone();
            self.page = page;
            self.input = Input::new(touch.px_per_mm(screen.width, screen.height));
            self.session.set_times(
                Duration::from_secs(touch.idle_s as u64),
                Duration::from_secs(touch.countdown_s as u64),
            );
        }
        self.pages.clear();
        self.catalog = None;
        let catalog = self.catalog(show, now);
        self.session.clamp(&catalog);
        self.catalog = Some(catalog);
    }

    fn body(&mut self, show: &mut Show, index: usize, large: bool) -> Arc<Vec<BodyPage>> {
        let notice = show.feed().notices[index].clone();
        let key = (notice.id.clone(), large);
        if let Some(p) = self.pages.get(&key) {
            return p.clone();
        }
        let playlist = show.playlist().clone();
        let pages = show
            .typesetter()
            .touch_pages(&playlist, &self.touch, &notice, large);
        let pages = Arc::new(pages);
        self.pages.insert(key, pages.clone());
        pages
    }

    fn catalog(&mut self, show: &mut Show, now: Timestamp) -> Catalog {
        let notices: Vec<Notice> = show.feed().notices.clone();
        let mut current: Vec<usize> = (0..notices.len())
            .filter(|&i| notices[i].is_valid_at(now))
            .collect();
        current.sort_by(|&a, &b| {
            notices[b]
                .published_at
                .cmp(&notices[a].published_at)
                .then_with(|| notices[a].id.cmp(&notices[b].id))
        });
        // The most severe warning on top.
        let mut emergencies: Vec<usize> = current
            .iter()
            .copied()
            .filter(|&i| notices[i].priority == Priority::Emergency)
            .collect();
        emergencies.sort_by_key(|&i| std::cmp::Reverse(notices[i].severity()));
        let categories = category_order(show)
            .into_iter()
            .map(|c| {
                let list = current
                    .iter()
                    .copied()
                    .filter(|&i| notices[i].category == c)
                    .collect();
                (c, list)
            })
            .collect();
        let mut index = HashMap::new();
        for &i in &current {
            let normal = self.body(show, i, false).len();
            let large = self.body(show, i, true).len();
            let url = qr_url(&notices[i], &self.touch);
            let figures = notices[i].figures.len();
            index.insert(notices[i].id.clone(), (normal, large, url, figures));
        }
        Catalog {
            emergencies,
            categories,
            notices: index,
        }
    }

    /// The session's catalog, rebuilt when time has changed which notices are current.
    fn refresh(&mut self, show: &mut Show, now: Timestamp) {
        let stale = self.catalog.as_ref().is_none_or(|c| {
            let current: Vec<&Notice> = show
                .feed()
                .notices
                .iter()
                .filter(|n| n.is_valid_at(now))
                .collect();
            current.len() != c.notices.len()
                || current.iter().any(|n| !c.notices.contains_key(&n.id))
        });
        if stale {
            let catalog = self.catalog(show, now);
            self.session.clamp(&catalog);
            self.catalog = Some(catalog);
        }
    }

    /// The target under `at` (page pixels) on the screen last drawn.
    pub fn target_at(&self, at: (f32, f32)) -> Option<&TargetName> {
        let inside = |r: &Rect| at.0 >= r.x && at.0 < r.right() && at.1 >= r.y && at.1 < r.bottom();
        self.targets
            .iter()
            .find(|t| inside(&t.rect))
            .map(|t| &t.name)
    }

    /// The named target's rectangle on the screen last drawn (for scripted taps).
    pub fn target_rect(&self, name: &TargetName) -> Option<Rect> {
        self.targets
            .iter()
            .find(|t| &t.name == name)
            .map(|t| t.rect)
    }

    pub fn targets(&self) -> &[Target] {
        &self.targets
    }

    /// A tap on `target` (resolved on the screen last drawn).
    pub fn tap(
        &mut self,
        show: &mut Show,
        target: Option<TargetName>,
        now: Instant,
        show_now: Timestamp,
    ) -> Outcome {
        self.refresh(show, show_now);
        let catalog = self.catalog.take().expect("refreshed");
        let outcome = self.session.tap(target.as_ref(), now, &catalog);
        self.catalog = Some(catalog);
        outcome
    }

    /// The touch screen to show, with its targets; `None` in attract (the rotation shows).
    pub fn frame(&mut self, show: &mut Show, now: Instant, show_now: Timestamp) -> Option<Frame> {
        self.session.tick(now);
        if show.blacked_out() {
            // Held on standby: no notice opens either; the standby page shows.
            self.targets.clear();
            return None;
        }
        if self.session.view() == &View::Attract {
            // In attract a tap anywhere opens home: there are no targets.
            self.targets.clear();
            return None;
        }
        self.refresh(show, show_now);
        let catalog = self.catalog.take().expect("refreshed");
        // Whatever happened to the feed, the view names only current notices from here on.
        self.session.clamp(&catalog);
        let large = self.session.large();
        let countdown = match self.session.phase(now) {
            Phase::Countdown(n) => Some(n),
            _ => None,
        };
        let notices = show.feed().notices.clone();
        let playlist = show.playlist().clone();
        let view = self.session.view().clone();
        let emergencies: Vec<&Notice> = catalog.emergencies.iter().map(|&i| &notices[i]).collect();
        let counts: Vec<(Category, usize)> = catalog
            .categories
            .iter()
            .map(|(c, l)| (*c, l.len()))
            .collect();
        let find = |id: &str| notices.iter().position(|n| n.id == id);
        let playlist_fit = (playlist.screen.width, playlist.screen.height);
        let (frame, targets) = match &view {
            View::Attract => unreachable!("handled above"),
            View::Home => {
                let scene = TouchScene::Home {
                    emergencies: &emergencies,
                    categories: &counts,
                };
                self.compose(show, &playlist, scene, large, show_now, countdown)
            }
            View::List { category, page } => {
                let list: Vec<&Notice> = catalog
                    .categories
                    .iter()
                    .find(|(c, _)| c == category)
                    .map(|(_, l)| l.iter().map(|&i| &notices[i]).collect())
                    .unwrap_or_default();
                let pages = session::list_pages(list.len());
                let rows: Vec<&Notice> = list
                    .iter()
                    .skip(page * ROWS_PER_PAGE)
                    .take(ROWS_PER_PAGE)
                    .copied()
                    .collect();
                let scene = TouchScene::List {
                    category: *category,
                    notices: &rows,
                    page: *page,
                    pages,
                };
                self.compose(show, &playlist, scene, large, show_now, countdown)
            }
            View::Notice { id, page } => {
                let empty = BodyPage::default();
                let i = find(id).expect("clamped to current notices");
                let body = self.body(show, i, large);
                let page = (*page).min(body.len().saturating_sub(1));
                let shown = body.get(page).unwrap_or(&empty);
                let figure = shown
                    .figure
                    .and_then(|f| show.figure_image(i, f, playlist_fit));
                let scene = TouchScene::Notice {
                    notice: &notices[i],
                    body: shown,
                    page,
                    pages: body.len(),
                    has_qr: catalog.has_qr(id),
                    figure,
                };
                self.compose(show, &playlist, scene, large, show_now, countdown)
            }
            View::Figure { id, page, pan } => {
                let i = find(id).expect("clamped to current notices");
                let body = self.body(show, i, large);
                let index = body.get(*page).and_then(|p| p.figure).unwrap_or(0);
                // Decoded finer than the screen: it is shown enlarged.
                let fine = (playlist_fit.0 * ZOOM_DECODE, playlist_fit.1 * ZOOM_DECODE);
                let scene = TouchScene::Figure {
                    notice: &notices[i],
                    index,
                    image: show.figure_image(i, index, fine),
                    pan: *pan,
                };
                self.compose(show, &playlist, scene, large, show_now, countdown)
            }
            View::Qr { id } => {
                let i = find(id).expect("clamped to current notices");
                let url = qr_url(&notices[i], &self.touch).unwrap_or_default();
                let scene = TouchScene::Qr {
                    notice: &notices[i],
                    url: &url,
                };
                self.compose(show, &playlist, scene, large, show_now, countdown)
            }
        };
        self.catalog = Some(catalog);
        self.targets = targets;
        Some(frame)
    }

    fn compose(
        &self,
        show: &mut Show,
        playlist: &crate::model::Playlist,
        scene: TouchScene,
        large: bool,
        now: Timestamp,
        countdown: Option<u32>,
    ) -> (Frame, Vec<Target>) {
        let view = TouchView {
            scene,
            large,
            now,
            countdown,
        };
        show.typesetter()
            .compose_touch(playlist, &self.touch, &view)
    }

    /// A name for the screen shown, for logs and target dumps.
    pub fn screen_name(&self) -> String {
        match self.session.view() {
            View::Attract => "attract".into(),
            View::Home => "home".into(),
            View::List { category, page } => format!("list:{}:{}", category.as_str(), page + 1),
            View::Notice { id, page } => format!("notice:{id}:{}", page + 1),
            View::Qr { id } => format!("qr:{id}"),
            View::Figure { id, page, pan } => {
                format!("figure:{id}:{}:{},{}", page + 1, pan.0, pan.1)
            }
        }
    }
}
