//! Shared by the integration tests: paths to the repository's fonts, demo feed and playlists.
#![allow(dead_code)]

pub mod cage;
pub mod http;
pub mod postgres;
pub mod service;
pub mod x11;

use std::path::{Path, PathBuf};

use noticecast::layout::{Fonts, Typesetter};
use noticecast::model::{Feed, Playlist, Timestamp};
use noticecast::render::Pixels;
use noticecast::show::Show;
use noticecast::touch::transform::{output_size, to_window};

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

pub const PLAYLISTS: [&str; 4] = [
    "plaza-tv",
    "service-hall-led",
    "service-window-led",
    "village-terminal",
];

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

/// The screenshot of a turned output, turned back to the page as residents read it.
pub fn to_page_pixels(shot: &Pixels, page: (u32, u32), rotation: u16) -> Pixels {
    let window = (shot.width, shot.height);
    assert_eq!(
        window,
        output_size(page, rotation),
        "the window fills the output"
    );
    let mut rgba = Vec::with_capacity((page.0 * page.1 * 4) as usize);
    for y in 0..page.1 {
        for x in 0..page.0 {
            let (wx, wy) = to_window((x as f32 + 0.5, y as f32 + 0.5), window, page, rotation);
            let i = ((wy as u32).min(window.1 - 1) * window.0 + (wx as u32).min(window.0 - 1))
                as usize
                * 4;
            rgba.extend_from_slice(&shot.rgba[i..i + 4]);
        }
    }
    Pixels {
        width: page.0,
        height: page.1,
        rgba,
    }
}

/// The texts of the QR codes in `p`.
pub fn decode_qr(p: &Pixels) -> Vec<String> {
    let grey = |x: usize, y: usize| {
        let i = (y * p.width as usize + x) * 4;
        ((p.rgba[i] as u32 + p.rgba[i + 1] as u32 + p.rgba[i + 2] as u32) / 3) as u8
    };
    let mut prepared =
        rqrr::PreparedImage::prepare_from_greyscale(p.width as usize, p.height as usize, grey);
    prepared
        .detect_grids()
        .into_iter()
        .filter_map(|g| g.decode().ok().map(|(_, text)| text))
        .collect()
}

/// The lines a child writes to `stderr`, on a channel (read on a thread of their own).
pub fn log_lines(stderr: impl std::io::Read + Send + 'static) -> std::sync::mpsc::Receiver<String> {
    use std::io::BufRead;
    let (tx, lines) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stderr)
            .lines()
            .map_while(Result::ok)
        {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    lines
}

/// Waits up to `within` for a line containing `text` on `lines`, keeping what it reads in
/// `seen`; `child` (`what`) must still be running.
pub fn wait_for_line(
    lines: &std::sync::mpsc::Receiver<String>,
    seen: &mut Vec<String>,
    child: &mut std::process::Child,
    (text, what): (&str, &str),
    within: std::time::Duration,
) -> String {
    let deadline = std::time::Instant::now() + within;
    while std::time::Instant::now() < deadline {
        if let Ok(line) = lines.recv_timeout(std::time::Duration::from_millis(200)) {
            seen.push(line.clone());
            if line.contains(text) {
                return line;
            }
        }
        if let Ok(Some(status)) = child.try_wait() {
            panic!(
                "{what} exited ({status}) before {text:?}; its log:\n{}",
                seen.join("\n")
            );
        }
    }
    panic!(
        "no {text:?} within {within:?}; the log:\n{}",
        seen.join("\n")
    );
}

/// Runs of four or more ASCII letters in `text` outside URLs, paths, e-mail addresses and the
/// ids staff gave things (group names, user names): English a clerk would have to read.
pub fn english(text: &str, ids: &[&str]) -> Vec<String> {
    let mut found = Vec::new();
    for token in text.split(|c: char| c.is_whitespace() || "，。：；（）“”、【】《》".contains(c))
    {
        let token = token.trim_matches(|c: char| !c.is_alphanumeric());
        if token.contains("://")
            || token.starts_with('/')
            || token.contains('/')
            || token.contains('@')
            || ids.iter().any(|id| token.contains(id))
        {
            continue;
        }
        let mut run = String::new();
        for c in token.chars().chain(std::iter::once(' ')) {
            if c.is_ascii_alphabetic() {
                run.push(c);
            } else {
                if run.len() >= 4 {
                    found.push(format!("{run} (in {token:?})"));
                }
                run.clear();
            }
        }
    }
    found
}
