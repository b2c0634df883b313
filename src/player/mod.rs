//! `noticecast play`: the live player. A winit window that shows the rotation, redraws only when
//! something changes or moves, reloads the feed when its file changes, and survives surface and
//! device faults.
//!
//! winit owns the main thread. The scheduler says until when a page stays; the loop sleeps until
//! then (`ControlFlow::WaitUntil`) unless a ticker, marquee or transition runs. The feed watcher
//! reaches the loop only through the event-loop proxy.

mod app;
mod clock;
mod connect;
mod gfx;
mod hooks;
mod notify;
pub mod power;
mod present;
mod watch;
mod wayland;

use std::path::PathBuf;

use winit::event_loop::EventLoop;

pub use clock::Clock;
pub use connect::{ConnectError, Setup, Source, connect};
pub use hooks::{Fault, TestHooks};

use crate::model::{Feed, Problems, Timestamp};
use crate::show::Show;

/// What reaches the window loop from other threads.
pub enum PlayerEvent {
    /// The feed file changed: the new feed, or why it was refused.
    Feed(Box<Result<Feed, Problems>>),
    /// The service asked for a screenshot.
    Screenshot,
}

/// Where new feeds come from.
pub enum FeedSource {
    /// A local file, reloaded when it changes (development, demos).
    File(PathBuf),
    /// The signed feed over HTTP (`--config player.toml`).
    Client(Box<crate::feed::client::Client>),
}

/// Where a screen on the signed feed records what it showed and how it is.
#[derive(Clone)]
pub struct Reporting {
    pub plays: std::sync::Arc<crate::feed::plays::PlayQueue>,
    pub status: std::sync::Arc<std::sync::Mutex<crate::feed::client::ScreenStatus>>,
    /// Screenshots the service asks for.
    pub screenshot: std::sync::Arc<crate::feed::client::ScreenshotSlot>,
    /// The id of the key that signs the play records, shown in the F12 overlay for the security
    /// administrator who confirms it.
    pub device_key_id: Option<String>,
}

#[derive(Clone)]
pub struct PlayOptions {
    /// Adopt the playlist that travels inside each new feed (no `--playlist` given).
    pub follow_feed_playlist: bool,
    /// A normal, closable window of the playlist's size, for development.
    pub windowed: bool,
    /// Start the clock at this instant (tests, demos); default the system clock.
    pub start_at: Option<Timestamp>,
    /// Seconds of show time per real second; 0 freezes the clock.
    pub clock_speed: f64,
    /// Leave after this many seconds (tests, benchmarks).
    pub exit_after: Option<f64>,
    /// At exit, write figures (first frame, frame times, CPU) as JSON here.
    pub report: Option<PathBuf>,
    /// Show the staff overlay from the start.
    pub overlay: bool,
    /// When the command started, before fonts and feed were loaded: first-frame times count
    /// from here.
    pub started: std::time::Instant,
    /// Proof of play and heartbeat status (`--config` only).
    pub reporting: Option<Reporting>,
    /// HDMI-CEC standby in off-hours (`cec = true` in player.toml).
    pub display: Option<power::Display>,
    /// Touch input to replay, timed from the first frame (`--input-script`).
    pub input_script: Vec<crate::touch::script::Step>,
    /// Where to write the touch targets on every screen change (`--dump-targets`).
    pub dump_targets: Option<PathBuf>,
}

#[derive(Debug, thiserror::Error)]
pub enum PlayerError {
    #[error("cannot open a window: {0}")]
    EventLoop(#[from] winit::error::EventLoopError),
    #[error("cannot open a window: {0}")]
    Window(#[from] winit::error::OsError),
    #[error(
        "rendering failed {0} times in a row after rebuilding the renderer; giving up so the \
         supervisor restarts the player"
    )]
    Failing(u32),
    #[error("cannot watch the feed file: {0}")]
    Watch(std::io::Error),
}

/// A player wired to its show, its feed and its reporting (`connect`), ready to run.
pub struct Player {
    pub show: Show,
    pub options: PlayOptions,
    pub source: FeedSource,
    /// Only when a test injects a fault.
    pub hooks: Option<TestHooks>,
}

impl Player {
    /// Runs the player until the window closes (windowed), `exit_after` passes, or rendering
    /// keeps failing.
    pub fn run(self) -> Result<(), PlayerError> {
        let Player {
            show,
            options,
            source,
            hooks,
        } = self;
        let event_loop = EventLoop::<PlayerEvent>::with_user_event().build()?;
        let proxy = event_loop.create_proxy();
        if let Some(reporting) = &options.reporting {
            let proxy = proxy.clone();
            *reporting.screenshot.wake.lock().expect("wake lock") = Some(Box::new(move || {
                let _ = proxy.send_event(PlayerEvent::Screenshot);
            }));
        }
        match source {
            FeedSource::File(path) => watch::spawn(path, proxy).map_err(PlayerError::Watch)?,
            FeedSource::Client(client) => crate::feed::client::spawn(*client, move |poll| {
                // Only accepted feeds travel; refusals and failures are logged by the client.
                if let crate::feed::client::Poll::Accepted(feed) = poll {
                    let _ = proxy.send_event(PlayerEvent::Feed(Box::new(Ok(*feed))));
                }
            })
            .map_err(PlayerError::Watch)?,
        }
        let mut app = app::App::new(show, options, notify::Notifier::from_env(), hooks);
        event_loop.run_app(&mut app)?;
        app.finish()
    }
}
