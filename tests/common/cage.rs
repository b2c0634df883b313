//! The kiosk as deployed: the player under cage (Wayland) on wlroots' headless backend with the
//! pixman renderer, started by the kiosk unit's own command line (`ExecStart=` of
//! deploy/systemd/noticecast-player.service) as a user that is not root (cage refuses root),
//! with screenshots taken by grim.
//!
//! Needs cage, grim and Xwayland (`deploy/install-deps --tests`); as root it also creates the
//! user `noticecast-test`. Without them these tests fail rather than pass unchecked.
#![allow(dead_code)]

use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};

use noticecast::render::{Pixels, read_png};

/// Who runs the kiosk when the tests run as root.
const USER: &str = "noticecast-test";

/// The kiosk unit's command line: cage with its options, and the player's arguments.
pub fn unit_command() -> (Vec<String>, Vec<String>) {
    let unit = std::fs::read_to_string(super::path("deploy/systemd/noticecast-player.service"))
        .expect("the kiosk unit");
    let line = unit
        .lines()
        .find_map(|l| l.strip_prefix("ExecStart="))
        .expect("the kiosk unit has ExecStart=");
    let words: Vec<String> = line.split_whitespace().map(String::from).collect();
    let dashes = words
        .iter()
        .position(|w| w == "--")
        .expect("cage's command line separates the player with --");
    assert_eq!(words[0], "/usr/bin/cage", "the kiosk runs under cage");
    assert_eq!(words[dashes + 1], "/usr/bin/noticecast");
    (words[..dashes].to_vec(), words[dashes + 2..].to_vec())
}

fn am_root() -> bool {
    // SAFETY: getuid has no preconditions.
    unsafe extern "C" {
        fn getuid() -> u32;
    }
    unsafe { getuid() == 0 }
}

/// A running kiosk: cage and the player in their own process group, killed when dropped.
pub struct Kiosk {
    child: Child,
    pub lines: Receiver<String>,
    pub seen: Vec<String>,
    /// What the kiosk user may read and write: the binary, fonts, content, its runtime folder.
    pub stage: tempfile::TempDir,
    runtime: PathBuf,
    user: Option<&'static str>,
}

impl Kiosk {
    /// Stages `files` (copied in under their file names) and starts the unit's command line
    /// with the player's `--config FILE` replaced by `play_args`, in which `{stage}` stands for
    /// the staging folder.
    pub fn start(files: &[&Path], play_args: &[&str]) -> Kiosk {
        let (cage, unit_args) = unit_command();
        assert_eq!(
            unit_args.first().map(String::as_str),
            Some("play"),
            "the kiosk unit runs `noticecast play`"
        );
        let user = am_root().then(|| {
            let exists = Command::new("id")
                .arg(USER)
                .output()
                .unwrap()
                .status
                .success();
            if !exists {
                let status = Command::new("useradd")
                    .args(["--system", "-M", "-s", "/usr/sbin/nologin", USER])
                    .status()
                    .expect("useradd");
                assert!(status.success(), "cannot create the user {USER}");
            }
            USER
        });
        let stage = tempfile::tempdir().unwrap();
        let open = |p: &Path, mode| {
            std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap()
        };
        open(stage.path(), 0o755);
        let bin = stage.path().join("noticecast");
        std::fs::copy(env!("CARGO_BIN_EXE_noticecast"), &bin).unwrap();
        open(&bin, 0o755);
        let fonts = stage.path().join("fonts");
        std::fs::create_dir(&fonts).unwrap();
        open(&fonts, 0o755);
        for entry in std::fs::read_dir(super::path("fonts")).unwrap() {
            let entry = entry.unwrap();
            if !entry.file_type().unwrap().is_file() {
                continue;
            }
            let to = fonts.join(entry.file_name());
            std::fs::copy(entry.path(), &to).unwrap();
            open(&to, 0o644);
        }
        for file in files {
            let to = stage.path().join(file.file_name().unwrap());
            std::fs::copy(file, &to).unwrap();
            open(&to, 0o644);
        }
        let runtime = stage.path().join("run");
        std::fs::create_dir(&runtime).unwrap();
        open(&runtime, 0o700);
        if let Some(user) = user {
            let status = Command::new("chown")
                .arg(user)
                .arg(&runtime)
                .status()
                .unwrap();
            assert!(status.success());
        }
        let stage_str = stage.path().display().to_string();
        let mut command = match user {
            Some(user) => {
                let mut c = Command::new("runuser");
                c.args(["-u", user, "--", "env"]);
                c
            }
            None => Command::new("env"),
        };
        command
            .args(["-u", "DISPLAY", "-u", "WAYLAND_DISPLAY"])
            .arg(format!("XDG_RUNTIME_DIR={}", runtime.display()))
            .args([
                "WLR_BACKENDS=headless",
                "WLR_RENDERER=pixman",
                "WLR_LIBINPUT_NO_DEVICES=1",
                "NOTICECAST_LOG=info",
            ])
            .arg(format!("NOTICECAST_FONTS={}", fonts.display()))
            // cage from PATH: the unit names Debian's /usr/bin/cage.
            .arg("cage")
            .args(&cage[1..])
            .arg("--")
            .arg(&bin)
            .arg("play")
            .args(play_args.iter().map(|a| a.replace("{stage}", &stage_str)))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .process_group(0);
        let mut child = command
            .spawn()
            .expect("cage must be installed (deploy/install-deps --tests)");
        let lines = super::log_lines(child.stderr.take().unwrap());
        Kiosk {
            child,
            lines,
            seen: Vec::new(),
            stage,
            runtime,
            user,
        }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.stage.path().join(name)
    }

    /// The log line containing `text`, seen already or awaited.
    pub fn line(&mut self, text: &str) -> String {
        match self.seen.iter().find(|l| l.contains(text)) {
            Some(line) => line.clone(),
            None => self.wait_for(text),
        }
    }

    /// Waits for a log line (the player's or cage's) containing `text`.
    pub fn wait_for(&mut self, text: &str) -> String {
        super::wait_for_line(
            &self.lines,
            &mut self.seen,
            &mut self.child,
            (text, "the kiosk"),
            Duration::from_secs(90),
        )
    }

    /// The whole output, as grim sees it through wlr-screencopy.
    pub fn screenshot(&self, name: &str) -> Pixels {
        let socket = std::fs::read_dir(&self.runtime)
            .unwrap()
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .find(|n| n.starts_with("wayland-") && !n.ends_with(".lock"))
            .expect("cage's Wayland socket");
        let out = self.runtime.join(name);
        let mut command = match self.user {
            Some(user) => {
                let mut c = Command::new("runuser");
                c.args(["-u", user, "--", "env"]);
                c
            }
            None => Command::new("env"),
        };
        let status = command
            .arg(format!("XDG_RUNTIME_DIR={}", self.runtime.display()))
            .arg(format!("WAYLAND_DISPLAY={socket}"))
            .arg("grim")
            .arg(&out)
            .stderr(Stdio::null())
            .status()
            .expect("grim must be installed (deploy/install-deps --tests)");
        assert!(status.success(), "grim failed");
        read_png(&out).unwrap()
    }

    /// Screenshots until `matches` holds, for at most 15 s (a busy machine may still be
    /// drawing); returns the last one.
    pub fn settled(&self, name: &str, matches: impl Fn(&Pixels) -> bool) -> Pixels {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            std::thread::sleep(Duration::from_millis(700));
            let shot = self.screenshot(name);
            if matches(&shot) || Instant::now() >= deadline {
                return shot;
            }
        }
    }
}

impl Drop for Kiosk {
    fn drop(&mut self) {
        // cage and the player run as another user in their own group: end the whole group.
        let _ = Command::new("kill")
            .args(["-TERM", "--", &format!("-{}", self.child.id())])
            .status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", self.child.id())])
            .status();
        let _ = self.child.wait();
    }
}
