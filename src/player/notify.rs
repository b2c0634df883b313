//! systemd's notify protocol, spoken by hand (a datagram of `KEY=value` lines to
//! `$NOTIFY_SOCKET`): `READY=1` after the first frame is on screen, `WATCHDOG=1` from the frame
//! loop while it is alive and its last present succeeded, `STOPPING=1` on the way out.
//!
//! Under cage the supervisor's `WATCHDOG_PID` names cage, not the player, so it is not checked:
//! the unit sets `NotifyAccess=all` and the player reads `WATCHDOG_USEC` itself.

use std::os::unix::net::{SocketAddr, UnixDatagram};
use std::time::Duration;

pub struct Notifier {
    socket: UnixDatagram,
    addr: SocketAddr,
    /// How often to ping: half the watchdog period, when systemd set one.
    pub ping_every: Option<Duration>,
}

impl Notifier {
    /// `None` when not started by systemd (no `NOTIFY_SOCKET`), or the socket cannot be made.
    pub fn from_env() -> Option<Notifier> {
        let path = std::env::var_os("NOTIFY_SOCKET")?;
        let addr = address(path.to_str()?)?;
        let socket = match UnixDatagram::unbound() {
            Ok(s) => s,
            Err(e) => {
                tracing::warn!("NOTIFY_SOCKET set, but no socket to reach it: {e}");
                return None;
            }
        };
        let ping_every = std::env::var("WATCHDOG_USEC")
            .ok()
            .and_then(|v| v.trim().parse::<u64>().ok())
            .filter(|&usec| usec > 0)
            .map(|usec| Duration::from_micros(usec) / 2);
        if let Some(every) = ping_every {
            tracing::info!("systemd watchdog: pinging every {every:?} while frames succeed");
        }
        Some(Notifier {
            socket,
            addr,
            ping_every,
        })
    }

    /// Best effort: a supervisor that is gone must not stop the screen.
    pub fn send(&self, message: &str) {
        if let Err(e) = self.socket.send_to_addr(message.as_bytes(), &self.addr) {
            tracing::debug!("notify {message:?}: {e}");
        }
    }
}

/// A path, or `@name` for Linux's abstract namespace.
fn address(text: &str) -> Option<SocketAddr> {
    if let Some(name) = text.strip_prefix('@') {
        #[cfg(target_os = "linux")]
        {
            use std::os::linux::net::SocketAddrExt;
            return SocketAddr::from_abstract_name(name.as_bytes()).ok();
        }
        #[cfg(not(target_os = "linux"))]
        {
            let _ = name;
            return None;
        }
    }
    SocketAddr::from_pathname(text).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_reach_a_path_socket() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("notify");
        let listener = UnixDatagram::bind(&path).unwrap();
        let notifier = Notifier {
            socket: UnixDatagram::unbound().unwrap(),
            addr: address(path.to_str().unwrap()).unwrap(),
            ping_every: None,
        };
        notifier.send("READY=1");
        let mut buf = [0u8; 64];
        let n = listener.recv(&mut buf).unwrap();
        assert_eq!(&buf[..n], b"READY=1");
        assert!(address("@noticecast-test").is_some());
    }
}
