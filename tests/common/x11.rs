//! A private X server (Xvfb), the player in it with its log on a channel, and screenshots
//! compared with rendered frames: shared by the player and touch terminal tests.
#![allow(dead_code)]

use std::io::Read;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};

use noticecast::render::{Pixels, read_png};

/// The instant the players start their clocks at.
pub const AT: &str = "2026-11-27T10:00:00+08:00";

/// A private X server, killed when dropped.
pub struct Xvfb {
    pub child: Child,
    pub display: String,
}

impl Xvfb {
    pub fn start() -> Xvfb {
        let mut child = Command::new("Xvfb")
            .args([
                "-displayfd",
                "1",
                "-screen",
                "0",
                "1920x1080x24",
                "-nolisten",
                "tcp",
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("Xvfb must be installed (deploy/install-deps)");
        let mut out = child.stdout.take().unwrap();
        let mut number = String::new();
        let mut byte = [0u8; 1];
        while out.read(&mut byte).unwrap_or(0) == 1 && byte[0] != b'\n' {
            number.push(byte[0] as char);
        }
        assert!(!number.is_empty(), "Xvfb did not report its display");
        Xvfb {
            child,
            display: format!(":{}", number.trim()),
        }
    }

    pub fn screenshot(&self, path: &Path) -> Pixels {
        let status = Command::new("import")
            .args(["-display", &self.display, "-window", "root"])
            .arg(path)
            .status()
            .expect("ImageMagick's import must be installed");
        assert!(status.success());
        read_png(path).unwrap()
    }
}

impl Drop for Xvfb {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The player, with its log lines arriving on a channel; killed when dropped.
pub struct Player {
    pub child: Child,
    pub lines: Receiver<String>,
    pub seen: Vec<String>,
}

impl Player {
    /// The player with its clock frozen at `AT`: the screen is exactly `render --at AT`.
    pub fn start(x: &Xvfb, feed: &Path, playlist: &Path) -> Player {
        Player::spawn(x, feed, playlist, "0")
    }

    /// The player with its clock running from `AT`.
    pub fn start_running(x: &Xvfb, playlist: &Path) -> Player {
        Player::spawn(x, &super::path("deploy/demo/feed.json"), playlist, "1")
    }

    pub fn spawn(x: &Xvfb, feed: &Path, playlist: &Path, speed: &str) -> Player {
        Player::spawn_with(x, feed, playlist, speed, &[])
    }

    /// `spawn` with more arguments for `play`.
    pub fn spawn_with(
        x: &Xvfb,
        feed: &Path,
        playlist: &Path,
        speed: &str,
        extra: &[&std::ffi::OsStr],
    ) -> Player {
        let mut args: Vec<&std::ffi::OsStr> = vec![
            "play".as_ref(),
            "--feed".as_ref(),
            feed.as_os_str(),
            "--playlist".as_ref(),
            playlist.as_os_str(),
            "--start-at".as_ref(),
            AT.as_ref(),
            "--clock-speed".as_ref(),
            speed.as_ref(),
            "--exit-after".as_ref(),
            "120".as_ref(),
        ];
        args.extend_from_slice(extra);
        Player::launch(x, &args)
    }

    /// `noticecast ARGS` on the virtual display, its log lines arriving on a channel.
    pub fn launch(x: &Xvfb, args: &[&std::ffi::OsStr]) -> Player {
        let mut child = Command::new(env!("CARGO_BIN_EXE_noticecast"))
            .args(args)
            .env("DISPLAY", &x.display)
            .env("NOTICECAST_FONTS", super::path("fonts"))
            .env("NOTICECAST_LOG", "info")
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let lines = super::log_lines(child.stderr.take().unwrap());
        Player {
            child,
            lines,
            seen: Vec::new(),
        }
    }

    /// Waits for a log line containing `text`; the player must still be running.
    pub fn wait_for(&mut self, text: &str) -> String {
        super::wait_for_line(
            &self.lines,
            &mut self.seen,
            &mut self.child,
            (text, "the player"),
            Duration::from_secs(60),
        )
    }
}

impl Drop for Player {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Share of pixels whose channels differ by more than 48 (the screenshot has no alpha to speak
/// of, so only colour counts).
pub fn differing(a: &Pixels, b: &Pixels) -> f64 {
    assert_eq!((a.width, a.height), (b.width, b.height));
    let n = a
        .rgba
        .chunks(4)
        .zip(b.rgba.chunks(4))
        .filter(|(p, q)| p[..3].iter().zip(&q[..3]).any(|(x, y)| x.abs_diff(*y) > 48))
        .count();
    n as f64 / (a.width * a.height) as f64
}

/// Gives the player a moment to present after the log line that announced the change.
pub fn settle() {
    std::thread::sleep(Duration::from_millis(700));
}

/// Screenshots the display until it matches `expected` (on a busy machine a fade may still be
/// running when the page change is logged), for at most 10 s. Returns the last screenshot and
/// the share of its pixels that differ.
pub fn settled(x: &Xvfb, path: &Path, expected: &Pixels) -> (Pixels, f64) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        settle();
        let shot = x.screenshot(path);
        let share = differing(&shot, expected);
        if share < 0.005 || Instant::now() >= deadline {
            return (shot, share);
        }
    }
}
