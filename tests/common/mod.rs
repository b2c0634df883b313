//! Shared by the integration tests: paths to the repository's fonts, demo feed and playlists.
#![allow(dead_code)]

pub mod cage;
pub mod http;
pub mod service;
pub mod x11;

use std::path::{Path, PathBuf};

use noticecast::layout::{Fonts, Typesetter};
use noticecast::model::{Feed, Playlist, Timestamp};
use noticecast::show::Show;

pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

pub fn path(rel: &str) -> PathBuf {
    root().join(rel)
}

/// The bundled fonts, never the system's.
pub fn fonts() -> Fonts {
    Fonts::load(&path("fonts")).expect("bundled fonts load")
}

pub fn demo_feed() -> Feed {
    Feed::from_file(&path("deploy/demo/feed.json")).expect("demo feed is valid")
}

pub fn playlist(name: &str) -> Playlist {
    Playlist::from_file(&path(&format!("playlists/{name}.toml")))
        .expect("bundled playlist is valid")
}

pub const PLAYLISTS: [&str; 3] = ["plaza-tv", "service-hall-led", "village-terminal"];

pub fn show(playlist_name: &str) -> Show {
    Show::new(
        Typesetter::new(fonts()),
        demo_feed(),
        playlist(playlist_name),
    )
}

pub fn t(s: &str) -> Timestamp {
    Timestamp::parse_from_rfc3339(s).expect("test instant")
}

/// The demo feed as JSON, to be altered by a test.
pub fn demo_json() -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(path("deploy/demo/feed.json")).unwrap()).unwrap()
}
