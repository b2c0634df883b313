//! The display's power through HDMI-CEC, where the display supports it: standby when the
//! playlist's off-hours begin, on when they end. `cec-ctl` (Debian's v4l-utils) does the talking,
//! on a thread of its own with a time limit: a display that does not answer, a missing adapter or
//! a missing program is logged and never stops the screen. The state reported in heartbeats is
//! what the display last said of itself: "on", "standby", or "unknown" when it cannot be read.

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::feed::client::ScreenStatus;

/// Why a `cec-ctl` run did not answer.
#[derive(Debug, thiserror::Error)]
enum CecError {
    /// No program (v4l-utils not installed) or no process.
    #[error("{program}: {reason}")]
    Spawn {
        program: String,
        reason: std::io::Error,
    },
    #[error("no answer within {0:?}")]
    NoAnswer(Duration),
    #[error("{0}")]
    Wait(std::io::Error),
    /// The program ran and failed: its status and the last line it wrote.
    #[error("{program} {status}: {last_line}")]
    Failed {
        program: String,
        status: std::process::ExitStatus,
        last_line: String,
    },
}

/// The longest one `cec-ctl` run may take.
const LIMIT: Duration = Duration::from_secs(10);

#[derive(Clone)]
pub struct Display {
    program: PathBuf,
    /// Where the heartbeat finds the power state ("on", "standby" or "unknown").
    status: Arc<Mutex<ScreenStatus>>,
}

impl Display {
    /// `cec-ctl` from `$PATH`, or the program in `$NOTICECAST_CEC_CTL` (tests).
    pub fn new(status: Arc<Mutex<ScreenStatus>>) -> Display {
        let program = std::env::var_os("NOTICECAST_CEC_CTL")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("cec-ctl"));
        Display { program, status }
    }

    /// Asks the display to go to standby (`on == false`) or to wake, then reads its state back.
    pub fn switch(&self, on: bool) {
        let this = self.clone();
        let spawned = std::thread::Builder::new()
            .name("cec".into())
            .spawn(move || {
                let command: &[&str] = if on {
                    &["--playback", "--to", "0", "--image-view-on"]
                } else {
                    &["--playback", "--to", "0", "--standby"]
                };
                if let Err(e) = this.run(command) {
                    tracing::warn!("HDMI-CEC {}: {e}", if on { "wake" } else { "standby" });
                }
                let state = this.read_state();
                tracing::info!("display power: {state}");
                this.status.lock().expect("status lock").power = state;
            });
        if let Err(e) = spawned {
            tracing::warn!("HDMI-CEC: no thread: {e}");
        }
    }

    fn read_state(&self) -> String {
        match self.run(&["--playback", "--to", "0", "--give-device-power-status"]) {
            Ok(out) => parse_state(&out),
            Err(e) => {
                tracing::warn!("HDMI-CEC power status: {e}");
                "unknown".into()
            }
        }
    }

    /// Runs `cec-ctl` with `args`, killed after `LIMIT`; its standard output on success.
    fn run(&self, args: &[&str]) -> Result<String, CecError> {
        let mut child = Command::new(&self.program)
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|reason| CecError::Spawn {
                program: self.program.display().to_string(),
                reason,
            })?;
        let started = Instant::now();
        loop {
            match child.try_wait() {
                Ok(Some(_)) => break,
                Ok(None) if started.elapsed() < LIMIT => {
                    std::thread::sleep(Duration::from_millis(50))
                }
                Ok(None) => {
                    let _ = child.kill();
                    let _ = child.wait();
                    return Err(CecError::NoAnswer(LIMIT));
                }
                Err(e) => return Err(CecError::Wait(e)),
            }
        }
        let out = child.wait_with_output().map_err(CecError::Wait)?;
        if out.status.success() {
            Ok(String::from_utf8_lossy(&out.stdout).into_owned())
        } else {
            let err = String::from_utf8_lossy(&out.stderr);
            Err(CecError::Failed {
                program: self.program.display().to_string(),
                status: out.status,
                last_line: err.lines().last().unwrap_or("").trim().to_string(),
            })
        }
    }
}

/// `cec-ctl` prints the reply as `pwr-state: standby (0x01)`.
fn parse_state(out: &str) -> String {
    let Some(line) = out.lines().find(|l| l.contains("pwr-state:")) else {
        return "unknown".into();
    };
    let value = line.split("pwr-state:").nth(1).unwrap_or("").trim();
    if value.starts_with("on") {
        "on".into()
    } else if value.starts_with("standby") || value.contains("to-standby") {
        "standby".into()
    } else {
        "unknown".into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_power_status_reply_is_read() {
        let reply = "Transmit from Playback Device 1 to TV (4 to 0):\n\
                     GIVE_DEVICE_POWER_STATUS (0x8f)\n\
                     Received from TV (0 to 4):\n\
                     REPORT_POWER_STATUS (0x90):\n\
                     \tpwr-state: standby (0x01)\n";
        assert_eq!(parse_state(reply), "standby");
        assert_eq!(parse_state("\tpwr-state: on (0x00)\n"), "on");
        assert_eq!(parse_state("Transmit failed: Nack"), "unknown");
    }

    #[test]
    fn a_missing_program_is_an_error_not_a_panic() {
        let display = Display {
            program: PathBuf::from("/nonexistent/cec-ctl"),
            status: Default::default(),
        };
        assert!(display.run(&["--standby"]).is_err());
        assert_eq!(display.read_state(), "unknown");
    }
}
