//! What a resident is doing at the terminal: attract (the rotation), home, a category's list, a
//! notice, its QR code, and the idle countdown. Pure: the caller passes the instant of every tap
//! and tick, and what the feed holds (`Content`), so tests run it with a fixed clock.

use std::time::{Duration, Instant};

use crate::layout::touch::{Button, ROWS_PER_PAGE, TargetName};
use crate::model::Category;

/// What the session needs to know of the feed: how many notices a category lists and how many
/// pages a notice has in each type size.
pub trait Content {
    /// Current notices in `category`.
    fn count(&self, category: Category) -> usize;
    /// Pages of notice `id` on the notice screen; `None` if it is not (or no longer) current.
    fn pages(&self, id: &str, large: bool) -> Option<usize>;
    /// Whether 手机看 has an address for notice `id`.
    fn has_qr(&self, id: &str) -> bool;
    /// Whether page `page` of notice `id` shows one of its figures.
    fn is_figure(&self, id: &str, page: usize, large: bool) -> bool;
}

/// How far a resident may move an enlarged figure from its centre, in steps each way.
pub const MAX_PAN: i32 = 4;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum View {
    /// The normal rotation; a tap anywhere opens Home.
    Attract,
    Home,
    List {
        category: Category,
        page: usize,
    },
    Notice {
        id: String,
        page: usize,
    },
    Qr {
        id: String,
    },
    /// The figure of page `page` of notice `id`, enlarged, moved `pan` steps from its centre
    /// (x to the right, y down).
    Figure {
        id: String,
        page: usize,
        pan: (i32, i32),
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    Attract,
    Active,
    /// The idle countdown: whole seconds left (at least 1).
    Countdown(u32),
}

/// What a tap or tick did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outcome {
    /// The screen must be drawn again.
    pub changed: bool,
    /// A resident opened this notice (counted for the statistics).
    pub opened: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Session {
    view: View,
    /// Where 返回 goes.
    history: Vec<View>,
    large: bool,
    last_touch: Option<Instant>,
    idle: Duration,
    countdown: Duration,
}

/// Pages of a list of `n` rows.
pub fn list_pages(n: usize) -> usize {
    n.div_ceil(ROWS_PER_PAGE).max(1)
}

impl Session {
    pub fn new(idle: Duration, countdown: Duration) -> Session {
        Session {
            view: View::Attract,
            history: Vec::new(),
            large: false,
            last_touch: None,
            idle,
            countdown,
        }
    }

    /// New idle and countdown times (a new playlist).
    pub fn set_times(&mut self, idle: Duration, countdown: Duration) {
        self.idle = idle;
        self.countdown = countdown;
    }

    pub fn view(&self) -> &View {
        &self.view
    }

    pub fn large(&self) -> bool {
        self.large
    }

    pub fn phase(&self, now: Instant) -> Phase {
        let Some(last) = self.last_touch.filter(|_| self.view != View::Attract) else {
            return Phase::Attract;
        };
        let quiet = now.saturating_duration_since(last);
        if quiet < self.idle {
            return Phase::Active;
        }
        let left = (self.idle + self.countdown).saturating_sub(quiet);
        Phase::Countdown(left.as_secs_f64().ceil().max(1.0) as u32)
    }

    /// When the phase or the countdown's number changes next, if anything is pending.
    pub fn next_change(&self, now: Instant) -> Option<Instant> {
        let last = self.last_touch.filter(|_| self.view != View::Attract)?;
        let idle_at = last + self.idle;
        if now < idle_at {
            return Some(idle_at);
        }
        let end = idle_at + self.countdown;
        // The next whole second of the countdown, counted back from its end.
        let left = end.saturating_duration_since(now);
        let step = left - Duration::from_secs(left.as_secs());
        let step = if step.is_zero() {
            Duration::from_secs(1)
        } else {
            step
        };
        Some((now + step).min(end))
    }

    /// Time passing: after the idle time and the countdown, back to the rotation, with large
    /// type reset. Returns whether anything on screen changes.
    pub fn tick(&mut self, now: Instant) -> bool {
        match self.phase(now) {
            Phase::Countdown(_) => {
                let last = self.last_touch.expect("a touch before a countdown");
                if now >= last + self.idle + self.countdown {
                    self.reset();
                }
                true
            }
            _ => false,
        }
    }

    fn reset(&mut self) {
        self.view = View::Attract;
        self.history.clear();
        self.large = false;
        self.last_touch = None;
    }

    fn go(&mut self, view: View) {
        let from = std::mem::replace(&mut self.view, view);
        self.history.push(from);
    }

    /// A tap at `now` on `target` (`None`: on no target).
    pub fn tap(
        &mut self,
        target: Option<&TargetName>,
        now: Instant,
        content: &dyn Content,
    ) -> Outcome {
        // The countdown is settled first: a tap after it ran out finds the rotation.
        self.tick(now);
        let phase = self.phase(now);
        self.last_touch = Some(now);
        let changed = Outcome {
            changed: true,
            opened: None,
        };
        match phase {
            Phase::Attract => {
                self.view = View::Home;
                self.history.clear();
                return changed;
            }
            // Any touch during the countdown keeps reading; the touch does nothing else.
            Phase::Countdown(_) => return changed,
            Phase::Active => {}
        }
        let Some(target) = target else {
            return Outcome::default();
        };
        match (target, self.view.clone()) {
            (TargetName::Category(c), View::Home) => {
                self.go(View::List {
                    category: *c,
                    page: 0,
                });
                changed
            }
            (TargetName::Notice(id), View::Home | View::List { .. }) => {
                if content.pages(id, self.large).is_none() {
                    return Outcome::default();
                }
                self.go(View::Notice {
                    id: id.clone(),
                    page: 0,
                });
                Outcome {
                    changed: true,
                    opened: Some(id.clone()),
                }
            }
            (TargetName::Button(Button::Back), view) if view != View::Home => {
                self.view = self.history.pop().unwrap_or(View::Home);
                self.clamp(content);
                changed
            }
            (TargetName::Button(Button::Home), view) if view != View::Home => {
                self.view = View::Home;
                self.history.clear();
                changed
            }
            (TargetName::Button(Button::Large), _) => {
                let was = self.large;
                self.large = !was;
                // The reader keeps their place: the same share of the notice read.
                if let View::Notice { id, page } = &mut self.view
                    && let (Some(old), Some(new)) =
                        (content.pages(id, was), content.pages(id, self.large))
                {
                    *page = (*page * new / old.max(1)).min(new - 1);
                }
                // The figures are a notice's last pages: the same figure, counted from the end.
                if let View::Figure { id, page, .. } = &mut self.view
                    && let (Some(old), Some(new)) =
                        (content.pages(id, was), content.pages(id, self.large))
                {
                    *page = (new + *page).saturating_sub(old).min(new - 1);
                }
                changed
            }
            (TargetName::Button(Button::Zoom), View::Notice { id, page })
                if content.is_figure(&id, page, self.large) =>
            {
                self.go(View::Figure {
                    id,
                    page,
                    pan: (0, 0),
                });
                changed
            }
            (
                TargetName::Button(b @ (Button::Up | Button::Down | Button::Left | Button::Right)),
                View::Figure { .. },
            ) => {
                let View::Figure { pan, .. } = &mut self.view else {
                    unreachable!("matched above")
                };
                let (dx, dy) = match b {
                    Button::Up => (0, -1),
                    Button::Down => (0, 1),
                    Button::Left => (-1, 0),
                    _ => (1, 0),
                };
                let moved = (
                    (pan.0 + dx).clamp(-MAX_PAN, MAX_PAN),
                    (pan.1 + dy).clamp(-MAX_PAN, MAX_PAN),
                );
                let changed = moved != *pan;
                *pan = moved;
                Outcome {
                    changed,
                    opened: None,
                }
            }
            (TargetName::Button(Button::Qr), View::Notice { id, .. }) if content.has_qr(&id) => {
                self.go(View::Qr { id });
                changed
            }
            (TargetName::Button(b @ (Button::Next | Button::Prev)), _) => {
                let pages = self.pages(content);
                let step = |p: &mut usize| match b {
                    Button::Next if *p + 1 < pages => {
                        *p += 1;
                        true
                    }
                    Button::Prev if *p > 0 => {
                        *p -= 1;
                        true
                    }
                    _ => false,
                };
                let moved = match &mut self.view {
                    View::List { page, .. } | View::Notice { page, .. } => step(page),
                    _ => false,
                };
                Outcome {
                    changed: moved,
                    opened: None,
                }
            }
            _ => Outcome::default(),
        }
    }

    /// Pages of the current list or notice.
    fn pages(&self, content: &dyn Content) -> usize {
        match &self.view {
            View::List { category, .. } => list_pages(content.count(*category)),
            View::Notice { id, .. } => content.pages(id, self.large).unwrap_or(1),
            _ => 1,
        }
    }

    /// After the feed changed, or on the way back: a notice that is gone sends the reader home,
    /// a page past the end becomes the last page.
    pub fn clamp(&mut self, content: &dyn Content) -> bool {
        let gone = match &self.view {
            View::Notice { id, .. } | View::Qr { id } => content.pages(id, self.large).is_none(),
            View::Figure { id, page, .. } => !content.is_figure(id, *page, self.large),
            _ => false,
        };
        if gone {
            self.view = View::Home;
            self.history.clear();
            return true;
        }
        let pages = self.pages(content);
        match &mut self.view {
            View::List { page, .. } | View::Notice { page, .. } if *page >= pages => {
                *page = pages - 1;
                true
            }
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    struct Fixed {
        counts: HashMap<Category, usize>,
        /// id → (pages normal, pages large, has QR)
        notices: HashMap<String, (usize, usize, bool)>,
    }

    impl Content for Fixed {
        fn count(&self, category: Category) -> usize {
            self.counts.get(&category).copied().unwrap_or(0)
        }
        fn pages(&self, id: &str, large: bool) -> Option<usize> {
            self.notices
                .get(id)
                .map(|&(n, l, _)| if large { l } else { n })
        }
        fn has_qr(&self, id: &str) -> bool {
            self.notices.get(id).is_some_and(|n| n.2)
        }
        /// A notice whose id starts with `fig` ends with a figure's page.
        fn is_figure(&self, id: &str, page: usize, large: bool) -> bool {
            id.starts_with("fig") && self.pages(id, large) == Some(page + 1)
        }
    }

    #[test]
    fn a_figure_opens_enlarged_and_moves_within_bounds() {
        let content = Fixed {
            counts: HashMap::new(),
            notices: HashMap::from([("fig-1".to_string(), (3, 5, false))]),
        };
        let t0 = Instant::now();
        let mut s = Session::new(Duration::from_secs(60), Duration::from_secs(10));
        let tap = |s: &mut Session, name: &str, k: u64| {
            let name: TargetName = name.parse().unwrap();
            s.tap(Some(&name), t0 + Duration::from_millis(k * 100), &content)
        };
        tap(&mut s, "button:home", 1);
        tap(&mut s, "notice:fig-1", 2);
        // Not a figure on page 1: nothing to enlarge.
        assert!(!tap(&mut s, "button:zoom", 3).changed);
        tap(&mut s, "button:next", 4);
        tap(&mut s, "button:next", 5);
        assert!(tap(&mut s, "button:zoom", 6).changed);
        assert_eq!(
            s.view(),
            &View::Figure {
                id: "fig-1".into(),
                page: 2,
                pan: (0, 0)
            }
        );
        for k in 0..10 {
            tap(&mut s, "button:right", 7 + k);
        }
        tap(&mut s, "button:up", 20);
        let View::Figure { pan, .. } = s.view() else {
            panic!("{:?}", s.view())
        };
        assert_eq!(*pan, (MAX_PAN, -1), "stopped at the edge");
        // Large type keeps the same figure: the last page of five.
        tap(&mut s, "button:large", 21);
        assert!(
            matches!(s.view(), View::Figure { page: 4, .. }),
            "{:?}",
            s.view()
        );
        tap(&mut s, "button:back", 22);
        assert!(matches!(s.view(), View::Notice { .. }), "{:?}", s.view());
    }

    fn content() -> Fixed {
        Fixed {
            counts: HashMap::from([(Category::Policy, 14), (Category::Services, 2)]),
            notices: HashMap::from([
                ("a".to_string(), (3, 5, true)),
                ("b".to_string(), (1, 2, false)),
            ]),
        }
    }

    fn name(s: &str) -> TargetName {
        s.parse().unwrap()
    }

    const IDLE: Duration = Duration::from_secs(90);
    const COUNTDOWN: Duration = Duration::from_secs(15);

    #[test]
    fn a_tap_anywhere_opens_home_then_categories_lists_and_notices_open() {
        let c = content();
        let t0 = Instant::now();
        let mut s = Session::new(IDLE, COUNTDOWN);
        assert_eq!(s.phase(t0), Phase::Attract);
        assert!(s.tap(None, t0, &c).changed);
        assert_eq!(s.view(), &View::Home);
        s.tap(Some(&name("category:policy")), t0, &c);
        assert_eq!(
            s.view(),
            &View::List {
                category: Category::Policy,
                page: 0
            }
        );
        // 14 notices: three pages of six.
        assert!(s.tap(Some(&name("button:next")), t0, &c).changed);
        assert!(s.tap(Some(&name("button:next")), t0, &c).changed);
        assert!(!s.tap(Some(&name("button:next")), t0, &c).changed);
        assert_eq!(
            s.view(),
            &View::List {
                category: Category::Policy,
                page: 2
            }
        );
        let opened = s.tap(Some(&name("notice:a")), t0, &c);
        assert_eq!(opened.opened.as_deref(), Some("a"));
        s.tap(Some(&name("button:next")), t0, &c);
        assert_eq!(
            s.view(),
            &View::Notice {
                id: "a".into(),
                page: 1
            }
        );
        s.tap(Some(&name("button:qr")), t0, &c);
        assert_eq!(s.view(), &View::Qr { id: "a".into() });
        // 返回 retraces the way: QR → notice (its page kept) → list (its page kept) → home.
        s.tap(Some(&name("button:back")), t0, &c);
        assert_eq!(
            s.view(),
            &View::Notice {
                id: "a".into(),
                page: 1
            }
        );
        s.tap(Some(&name("button:back")), t0, &c);
        assert_eq!(
            s.view(),
            &View::List {
                category: Category::Policy,
                page: 2
            }
        );
        s.tap(Some(&name("button:back")), t0, &c);
        assert_eq!(s.view(), &View::Home);
    }

    #[test]
    fn buttons_that_do_not_apply_do_nothing() {
        let c = content();
        let t0 = Instant::now();
        let mut s = Session::new(IDLE, COUNTDOWN);
        s.tap(None, t0, &c);
        for b in ["button:back", "button:qr", "button:prev", "button:continue"] {
            assert!(!s.tap(Some(&name(b)), t0, &c).changed, "{b}");
            assert_eq!(s.view(), &View::Home);
        }
        // No QR address for b, and an unknown notice does not open.
        s.tap(Some(&name("notice:b")), t0, &c);
        assert!(!s.tap(Some(&name("button:qr")), t0, &c).changed);
        s.tap(Some(&name("button:home")), t0, &c);
        let r = s.tap(Some(&name("notice:gone")), t0, &c);
        assert_eq!(r, Outcome::default());
        assert_eq!(s.view(), &View::Home);
    }

    #[test]
    fn idle_brings_a_countdown_then_the_rotation_with_large_type_reset() {
        let c = content();
        let t0 = Instant::now();
        let mut s = Session::new(IDLE, COUNTDOWN);
        s.tap(None, t0, &c);
        s.tap(Some(&name("button:large")), t0, &c);
        s.tap(Some(&name("notice:a")), t0 + Duration::from_secs(10), &c);
        assert!(s.large());
        let last = t0 + Duration::from_secs(10);
        assert_eq!(s.next_change(last), Some(last + IDLE));
        assert!(!s.tick(last + Duration::from_secs(89)));
        assert_eq!(s.phase(last + Duration::from_secs(89)), Phase::Active);
        assert_eq!(s.phase(last + IDLE), Phase::Countdown(15));
        assert_eq!(
            s.phase(last + IDLE + Duration::from_millis(14_500)),
            Phase::Countdown(1)
        );
        assert_eq!(
            s.next_change(last + IDLE + Duration::from_millis(300)),
            Some(last + IDLE + Duration::from_secs(1))
        );
        assert!(s.tick(last + IDLE + Duration::from_secs(14)));
        assert_ne!(s.view(), &View::Attract);
        assert!(s.tick(last + IDLE + COUNTDOWN));
        assert_eq!(s.view(), &View::Attract);
        assert!(!s.large(), "large type resets with the terminal");
        assert_eq!(s.phase(last + IDLE + COUNTDOWN), Phase::Attract);
        assert_eq!(s.next_change(last + IDLE + COUNTDOWN), None);
    }

    #[test]
    fn a_touch_in_the_countdown_keeps_reading_and_only_that() {
        let c = content();
        let t0 = Instant::now();
        let mut s = Session::new(IDLE, COUNTDOWN);
        s.tap(None, t0, &c);
        s.tap(Some(&name("notice:a")), t0, &c);
        let t = t0 + IDLE + Duration::from_secs(5);
        assert!(matches!(s.phase(t), Phase::Countdown(10)));
        // Even a tap where 首页 was: the countdown goes, the notice stays.
        assert!(s.tap(Some(&name("button:home")), t, &c).changed);
        assert_eq!(s.phase(t), Phase::Active);
        assert_eq!(
            s.view(),
            &View::Notice {
                id: "a".into(),
                page: 0
            }
        );
        // A tap after the countdown ran out finds the rotation, and opens home.
        let late = t + IDLE + COUNTDOWN + Duration::from_secs(1);
        s.tap(Some(&name("button:next")), late, &c);
        assert_eq!(s.view(), &View::Home);
    }

    #[test]
    fn large_type_keeps_the_readers_place_and_a_vanished_notice_goes_home() {
        let mut c = content();
        let t0 = Instant::now();
        let mut s = Session::new(IDLE, COUNTDOWN);
        s.tap(None, t0, &c);
        s.tap(Some(&name("notice:a")), t0, &c);
        s.tap(Some(&name("button:next")), t0, &c);
        s.tap(Some(&name("button:next")), t0, &c);
        // Page 3 of 3 in normal type is page 4 of 5 in large type.
        s.tap(Some(&name("button:large")), t0, &c);
        assert_eq!(
            s.view(),
            &View::Notice {
                id: "a".into(),
                page: 3
            }
        );
        s.tap(Some(&name("button:large")), t0, &c);
        assert_eq!(
            s.view(),
            &View::Notice {
                id: "a".into(),
                page: 1
            }
        );
        c.notices.remove("a");
        assert!(s.clamp(&c));
        assert_eq!(s.view(), &View::Home);
    }
}
