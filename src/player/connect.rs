//! The player's composition root: from what the command line asked (`Setup`) to a `Player`
//! wired to its show, its feed (a watched file or the signed feed's client), proof of play,
//! heartbeats and the display's power. The command line only parses; everything is put
//! together here, once.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use super::power::Display;
use super::{FeedSource, PlayOptions, Player, Reporting, TestHooks};
use crate::feed::client::{Client, ClientError};
use crate::feed::{Accepted, Cache, PlayerConfig};
use crate::layout::{FontError, Fonts, Typesetter};
use crate::model::{Playlist, Problems, Timestamp};
use crate::show::{LoadError, Show};

/// Where the player's feeds come from, as given on the command line.
pub enum Source {
    /// A local feed document, reloaded when the file changes (`--feed`).
    Feed(PathBuf),
    /// The screen's `player.toml`: the signed feed over HTTP (`--config`).
    Config(PathBuf),
}

/// What the command line asks of the player, parsed but not yet checked.
pub struct Setup {
    /// The font folder, if not the default.
    pub fonts: Option<PathBuf>,
    pub source: Source,
    /// The screen's playlist; default: the playlist inside the feed.
    pub playlist: Option<PathBuf>,
    /// With a local feed: the figures' files (default: `assets` beside the feed).
    pub assets: Option<PathBuf>,
    pub windowed: bool,
    pub start_at: Option<Timestamp>,
    pub clock_speed: f64,
    pub exit_after: Option<f64>,
    pub report: Option<PathBuf>,
    pub overlay: bool,
    pub input_script: Option<PathBuf>,
    pub dump_targets: Option<PathBuf>,
    /// Tests only: a fault to inject.
    pub fault: Option<super::Fault>,
}

/// Why the player could not be put together; nothing has been shown yet.
#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    #[error("--clock-speed {0} is outside 0..=100000")]
    ClockSpeed(f64),
    /// A bad input script, `player.toml` or playlist.
    #[error(transparent)]
    Input(#[from] Problems),
    #[error(transparent)]
    Load(#[from] LoadError),
    #[error(transparent)]
    Font(#[from] FontError),
    #[error(transparent)]
    Client(#[from] ClientError),
}

/// What a feed source brings besides the show: the source itself, and on the signed feed the
/// reporting and the display's power.
struct Wiring {
    show: Show,
    source: FeedSource,
    reporting: Option<Reporting>,
    display: Option<Display>,
}

/// Checks `setup`, loads the show and wires the player; `Player::run` then shows it.
pub fn connect(setup: Setup) -> Result<Player, ConnectError> {
    // First-frame times count from here, before fonts and feed are loaded.
    let started = Instant::now();
    if !(0.0..=100_000.0).contains(&setup.clock_speed) {
        return Err(ConnectError::ClockSpeed(setup.clock_speed));
    }
    let script = match &setup.input_script {
        Some(path) => crate::touch::script::from_file(path)?,
        None => Vec::new(),
    };
    let fonts = setup.fonts.as_deref();
    let playlist = setup.playlist.as_deref();
    let wiring = match &setup.source {
        Source::Feed(feed) => Wiring {
            show: {
                let mut show = crate::show::load(fonts, feed, playlist)?;
                let assets = (setup.assets.clone()).unwrap_or_else(|| crate::figures::beside(feed));
                show.set_assets(Box::new(crate::figures::Folder(assets)));
                show
            },
            source: FeedSource::File(feed.clone()),
            reporting: None,
            display: None,
        },
        Source::Config(config) => signed(fonts, config, playlist, setup.start_at)?,
    };
    let options = PlayOptions {
        follow_feed_playlist: setup.playlist.is_none(),
        windowed: setup.windowed,
        start_at: setup.start_at,
        clock_speed: setup.clock_speed,
        exit_after: setup.exit_after,
        report: setup.report,
        overlay: setup.overlay,
        started,
        reporting: wiring.reporting,
        display: wiring.display,
        input_script: script,
        dump_targets: setup.dump_targets,
    };
    Ok(Player {
        show: wiring.show,
        options,
        source: wiring.source,
        hooks: setup.fault.map(TestHooks::new),
    })
}

/// The show of a screen on the signed feed: from the cache if it holds a valid feed, else a
/// waiting frame with the screen's id; and the client that keeps it current.
fn signed(
    fonts: Option<&Path>,
    config: &Path,
    playlist: Option<&Path>,
    start_at: Option<Timestamp>,
) -> Result<Wiring, ConnectError> {
    let config = PlayerConfig::from_file(config)?;
    let cache = match Cache::open(&config.cache_dir) {
        Ok(cache) => Some(cache),
        Err(e) => {
            tracing::error!("{}: {e}: playing from memory", config.cache_dir.display());
            None
        }
    };
    let now = start_at
        .unwrap_or_else(|| chrono::Utc::now().with_timezone(&crate::model::beijing_offset()));
    // An unsynchronised clock (a box without a battery, just booted) expires no cached feed.
    let synced = crate::feed::timesync::synchronized_at(&crate::feed::timesync::marker());
    if !synced {
        tracing::warn!("the system clock is not synchronised yet: nothing is expired by it");
    }
    let judge = if start_at.is_some() {
        now
    } else {
        crate::feed::timesync::judging_clock(now, synced)
    };
    let cached = cache.as_ref().and_then(|c| c.load_feed(&config, judge));
    let playlist = match (playlist, cached.as_ref().and_then(|f| f.playlist.clone())) {
        (Some(path), _) => Playlist::from_file(path)?,
        (None, Some(playlist)) => playlist,
        // No feed has brought a playlist yet: a TV layout, enough to say what is happening.
        (None, None) => {
            let mut playlist =
                Playlist::from_toml(include_str!("../../playlists/plaza-tv.toml"), "built-in")?;
            playlist.group = config.group.clone();
            playlist
        }
    };
    let typesetter = Typesetter::new(Fonts::bundled(fonts)?);
    let accepted = cached.as_ref().map(Accepted::of).unwrap_or_default();
    let mut show = match cached {
        Some(feed) => {
            tracing::info!("starting from the cached feed: sequence {}", feed.sequence);
            Show::new(typesetter, feed, playlist)
        }
        None => {
            tracing::warn!("no cached feed: waiting for the first one");
            Show::waiting(typesetter, playlist, &config.screen_id)
        }
    };
    // The figures' files, which the client keeps only after their hash matched.
    show.set_assets(Box::new(crate::figures::Folder(
        config.cache_dir.join("assets"),
    )));
    let mut client = Client::new(config.clone(), cache, accepted)?;
    let mut reporting = reporting(&config);
    if let Some(reporting) = reporting.as_mut() {
        client = reporting_client(&config, client, reporting);
    }
    let display = config.cec.then(|| {
        let status = reporting
            .as_ref()
            .map(|r| r.status.clone())
            .unwrap_or_default();
        Display::new(status)
    });
    Ok(Wiring {
        show,
        source: FeedSource::Client(Box::new(client)),
        reporting,
        display,
    })
}

/// Proof of play and heartbeats: the play queue in the cache and the device key that signs its
/// records. `None`, and logged, without a play queue; then nothing is reported.
fn reporting(config: &PlayerConfig) -> Option<Reporting> {
    // Up to 100,000 play records wait for the service: months of a busy screen offline.
    let plays = match crate::feed::plays::PlayQueue::open(&config.cache_dir.join("plays"), 100_000)
    {
        Ok(plays) => plays,
        Err(e) => {
            tracing::error!("{}: no play queue: {e}", config.cache_dir.display());
            return None;
        }
    };
    Some(Reporting {
        plays: Arc::new(plays),
        status: Default::default(),
        screenshot: Default::default(),
        device_key_id: None,
    })
}

/// The client that also sends `reporting`'s heartbeats and records, signed with the device key
/// when it can be loaded or made.
fn reporting_client(config: &PlayerConfig, client: Client, reporting: &mut Reporting) -> Client {
    let client = match crate::feed::device::load_or_create(&config.cache_dir) {
        Ok(key) => {
            let id = crate::feed::suite::Signer::public_key(&key).key_id();
            // Logged at every start: the id a security administrator compares before
            // confirming the key (also in the F12 overlay).
            tracing::warn!("device key {id}: plays count once staff confirm this id");
            reporting.device_key_id = Some(id);
            client.with_device_key(key)
        }
        Err(e) => {
            tracing::error!("no device key, play records go unsigned: {e}");
            client
        }
    };
    client.with_reporter(crate::feed::client::Reporter {
        plays: reporting.plays.clone(),
        status: reporting.status.clone(),
        screenshot: reporting.screenshot.clone(),
    })
}
