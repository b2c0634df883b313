//! PostgreSQL 15 servers for the tests of the second storage engine (`serve --database
//! postgres://...`): a [`Cluster`] of its own in a temporary folder, and a failover [`Pair`], a
//! primary with a synchronous standby that a test can crash and promote, as a city's platform
//! runs it (docs/DEPLOY.md).
//!
//! Needs Debian's PostgreSQL 15 (`/usr/lib/postgresql/15/bin`; `deploy/install-deps --tests`).
//! PostgreSQL refuses to run as root, so as root the servers run as the user `noticecast-test`
//! (created if missing, as for the kiosk tests, tests/common/cage.rs); otherwise as whoever runs
//! the tests. Without PostgreSQL these tests fail rather than pass unchecked.
//!
//! Every wait has a deadline and panics with the servers' logs when it passes.
#![allow(dead_code)]

use std::io::Read;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// Who runs the servers when the tests run as root (the kiosk tests' user).
const USER: &str = "noticecast-test";

/// Debian's PostgreSQL 15 (the package `postgresql-15`).
const BIN: &str = "/usr/lib/postgresql/15/bin";

/// How long any one step (a start, a backup, a query, reaching a state) may take: generous,
/// as a busy two-core CI machine is slow, but never forever.
const DEADLINE: Duration = Duration::from_secs(30);

/// The standby's name: the primary waits for it at every commit.
const STANDBY_NAME: &str = "standby1";

fn am_root() -> bool {
    // SAFETY: getuid has no preconditions.
    unsafe extern "C" {
        fn getuid() -> u32;
    }
    unsafe { getuid() == 0 }
}

/// `None` when the tests are not root: the servers then run as the tests' own user.
fn server_user() -> Option<&'static str> {
    static USER_READY: OnceLock<Option<&'static str>> = OnceLock::new();
    *USER_READY.get_or_init(|| {
        assert!(
            Path::new(BIN).join("postgres").exists(),
            "PostgreSQL 15 is not installed ({BIN}): run `deploy/install-deps --tests`"
        );
        if !am_root() {
            return None;
        }
        let exists = || {
            Command::new("id")
                .arg(USER)
                .output()
                .expect("id")
                .status
                .success()
        };
        if !exists() {
            let status = Command::new("useradd")
                .args(["--system", "-M", "-s", "/usr/sbin/nologin", USER])
                .status()
                .expect("useradd");
            // Another test binary may have created it meanwhile.
            assert!(
                status.success() || exists(),
                "cannot create the user {USER}"
            );
        }
        Some(USER)
    })
}

/// Whether the C.UTF-8 locale exists (Debian 12's glibc has it built in; a minimal image may
/// lack `locale`): UTF-8 text with byte-order collation, the same on every machine.
fn has_c_utf8() -> bool {
    static HAS: OnceLock<bool> = OnceLock::new();
    *HAS.get_or_init(|| {
        Command::new("locale")
            .arg("-a")
            .output()
            .map(|o| {
                String::from_utf8_lossy(&o.stdout)
                    .lines()
                    .any(|l| l.trim().to_lowercase().replace('-', "") == "c.utf8")
            })
            .unwrap_or(false)
    })
}

/// A free TCP port on the loopback, as the kernel hands one out. Another process may take it
/// before the server binds it: [`Cluster::launch`] then tries another.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port on 127.0.0.1")
        .port()
}

/// Runs `command` to its end, for at most [`DEADLINE`]; `None` when it ran past it (killed).
fn run_within(mut command: Command) -> Option<Output> {
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {command:?}: {e}"));
    let drain = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            let _ = pipe.read_to_end(&mut bytes);
            bytes
        })
    };
    let stdout = drain(Box::new(child.stdout.take().unwrap()));
    let stderr = drain(Box::new(child.stderr.take().unwrap()));
    let deadline = Instant::now() + DEADLINE;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Some(Output {
        status,
        stdout: stdout.join().unwrap(),
        stderr: stderr.join().unwrap(),
    })
}

/// A PostgreSQL 15 server on 127.0.0.1 with its data, socket and log in a temporary folder:
/// superuser `postgres`, trusted without a password from the loopback. Dropping it stops the
/// server and removes the folder.
pub struct Cluster {
    dir: tempfile::TempDir,
    port: u16,
    user: Option<&'static str>,
}

impl Cluster {
    /// A fresh server tuned for speed: `fsync=off` and `full_page_writes=off` (only the
    /// server's processes ever crash here, never the machine, so the kernel still holds what
    /// they wrote), but `synchronous_commit=on`, so that a commit that returned survives
    /// [`Cluster::stop_immediately`] and a restart.
    pub fn start() -> Cluster {
        let mut cluster = Cluster::folder();
        cluster.initdb();
        cluster.configure(&[
            "fsync = off",
            "full_page_writes = off",
            "synchronous_commit = on",
        ]);
        cluster.launch();
        cluster
    }

    /// `postgres://postgres@127.0.0.1:PORT/DB`.
    pub fn url(&self, db: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{db}", self.port)
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The folder the data directory, socket and log are in.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    pub fn create_database(&self, name: &str) {
        self.psql(
            "postgres",
            &format!("CREATE DATABASE \"{}\"", name.replace('"', "\"\"")),
        );
    }

    /// Runs `sql` in database `db` (`psql -At`: unaligned, tuples only, `|` between columns,
    /// one row a line) and returns what it printed, less the last newline; panics with psql's
    /// error and the server's log when a statement fails.
    pub fn psql(&self, db: &str, sql: &str) -> String {
        match self.try_psql(db, sql) {
            Ok(out) => out,
            Err(e) => panic!(
                "psql on port {} failed: {e}\n{sql}\n{}",
                self.port,
                self.log()
            ),
        }
    }

    /// Like [`Cluster::psql`], but an error (the server unreachable, a statement refused) is
    /// returned, not panicked on.
    pub fn try_psql(&self, db: &str, sql: &str) -> Result<String, String> {
        let mut command = Command::new(Path::new(BIN).join("psql"));
        command
            .args([
                "-X",
                "-At",
                "-v",
                "ON_ERROR_STOP=1",
                "-h",
                "127.0.0.1",
                "-U",
                "postgres",
            ])
            .arg("-p")
            .arg(self.port.to_string())
            .arg("-d")
            .arg(db)
            .arg("-c")
            .arg(sql)
            .env("PGCONNECT_TIMEOUT", "5")
            .env_remove("PGOPTIONS")
            .env_remove("PGSERVICE");
        let Some(out) = run_within(command) else {
            return Err(format!("no answer within {DEADLINE:?}"));
        };
        if out.status.success() {
            let text = String::from_utf8_lossy(&out.stdout);
            Ok(text.strip_suffix('\n').unwrap_or(&text).to_string())
        } else {
            Err(String::from_utf8_lossy(&out.stderr).into_owned())
        }
    }

    /// A crash: `pg_ctl stop -m immediate` ends every server process at once, without a
    /// checkpoint; the next start recovers from the WAL.
    pub fn stop_immediately(&self) {
        self.pg_ctl(&["stop", "-m", "immediate", "-w"]);
    }

    /// Starts the server again on the same port after [`Cluster::stop_immediately`] (it
    /// recovers from its WAL first).
    pub fn restart(&self) {
        self.pg_ctl(&["start", "-w", "-t", "30"]);
    }

    /// The server's log so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.log_path()).unwrap_or_default()
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn log_path(&self) -> PathBuf {
        self.dir.path().join("server.log")
    }

    /// An empty folder the server's user owns, with the socket's folder in it.
    fn folder() -> Cluster {
        let user = server_user();
        let dir = tempfile::Builder::new()
            .prefix("noticecast-pg")
            .tempdir()
            .unwrap();
        let socket = dir.path().join("socket");
        std::fs::create_dir(&socket).unwrap();
        std::fs::set_permissions(&socket, std::fs::Permissions::from_mode(0o700)).unwrap();
        if let Some(user) = user {
            let status = Command::new("chown")
                .args(["-R", user])
                .arg(dir.path())
                .status()
                .unwrap();
            assert!(
                status.success(),
                "cannot hand {} to {user}",
                dir.path().display()
            );
        }
        Cluster { dir, port: 0, user }
    }

    /// `program` from PostgreSQL's folder, as the server's user, in the cluster's folder (the
    /// tests' working directory may be closed to that user).
    fn as_server_user(&self, program: &str) -> Command {
        let program = Path::new(BIN).join(program);
        let mut command = match self.user {
            Some(user) => {
                let mut c = Command::new("runuser");
                c.args(["-u", user, "--"]).arg(program);
                c
            }
            None => Command::new(program),
        };
        command.current_dir(self.dir.path());
        command
    }

    /// Panics with what `shown` printed (or that it did not end) and the server's log.
    fn failed(&self, shown: &str, out: Option<Output>) -> ! {
        match out {
            Some(out) => panic!(
                "{shown} failed ({}):\n{}{}\nthe server's log:\n{}",
                out.status,
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr),
                self.log()
            ),
            None => panic!(
                "{shown} did not end within {DEADLINE:?}; the server's log:\n{}",
                self.log()
            ),
        }
    }

    /// Runs a server program to its end; panics with its output and the log on failure.
    fn server_program(&self, program: &str, args: &[&str]) -> Output {
        let mut command = self.as_server_user(program);
        command.args(args);
        let shown = format!("{command:?}");
        match run_within(command) {
            Some(out) if out.status.success() => out,
            out => self.failed(&shown, out),
        }
    }

    fn pg_ctl(&self, args: &[&str]) -> Output {
        let data = self.data().display().to_string();
        let log = self.log_path().display().to_string();
        let mut all = vec!["-D", &data, "-l", &log];
        all.extend_from_slice(args);
        self.server_program("pg_ctl", &all)
    }

    fn initdb(&self) {
        let data = self.data().display().to_string();
        let mut args = vec![
            "-D",
            &data,
            "-A",
            "trust",
            "-U",
            "postgres",
            "--no-sync",
            "-E",
            "UTF8",
        ];
        // Without C.UTF-8, the C locale (initdb would otherwise take the environment's).
        args.push(if has_c_utf8() {
            "--locale=C.UTF-8"
        } else {
            "--no-locale"
        });
        self.server_program("initdb", &args);
    }

    /// Appends `settings` to postgresql.conf (a later line wins over an earlier one).
    fn configure(&self, settings: &[&str]) {
        use std::io::Write;
        let mut conf = std::fs::OpenOptions::new()
            .append(true)
            .open(self.data().join("postgresql.conf"))
            .expect("postgresql.conf");
        writeln!(conf, "\n# tests/common/postgres.rs").unwrap();
        for line in settings {
            writeln!(conf, "{line}").unwrap();
        }
    }

    /// Starts the server on a free port of 127.0.0.1, its socket in its own folder (never
    /// /var/run/postgresql), and waits until it accepts connections; a port taken between its
    /// choice and the server's bind is replaced by another.
    fn launch(&mut self) {
        let socket = self.dir.path().join("socket").display().to_string();
        self.configure(&[
            "listen_addresses = '127.0.0.1'",
            &format!("unix_socket_directories = '{socket}'"),
            "max_connections = 200",
        ]);
        for _ in 0..5 {
            self.port = free_port();
            self.configure(&[&format!("port = {}", self.port)]);
            let logged = self.log().len();
            let mut command = self.as_server_user("pg_ctl");
            command
                .arg("-D")
                .arg(self.data())
                .arg("-l")
                .arg(self.log_path())
                .args(["start", "-w", "-t", "30"]);
            let shown = format!("{command:?}");
            match run_within(command) {
                Some(out) if out.status.success() => return,
                Some(_) if self.log()[logged..].contains("Address already in use") => continue,
                out => self.failed(&shown, out),
            }
        }
        panic!(
            "no free port for PostgreSQL after 5 tries; its log:\n{}",
            self.log()
        );
    }

    /// Polls `sql` on `db` until it prints `expected` (errors count as not yet), for at most
    /// [`DEADLINE`]; panics with `logs` when it does not.
    fn wait_for(&self, db: &str, sql: &str, expected: &str, logs: &[&Cluster]) {
        let deadline = Instant::now() + DEADLINE;
        let mut last = Err(String::new());
        while Instant::now() < deadline {
            last = self.try_psql(db, sql);
            if last.as_deref() == Ok(expected) {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let logs: Vec<String> = logs
            .iter()
            .map(|c| format!("the log of the server on port {}:\n{}", c.port, c.log()))
            .collect();
        panic!(
            "{sql:?} on port {} did not give {expected:?} within {DEADLINE:?} (last: {last:?})\n{}",
            self.port,
            logs.join("\n")
        );
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        if self.port == 0 || !self.data().join("postmaster.pid").exists() {
            return;
        }
        let mut command = self.as_server_user("pg_ctl");
        command
            .arg("-D")
            .arg(self.data())
            .args(["stop", "-m", "immediate", "-w"]);
        let _ = run_within(command);
    }
}

/// A primary and its synchronous standby, as a city's platform runs them (docs/DEPLOY.md;
/// there pg_auto_failover does what [`Pair::promote_standby`] does). A commit returns only once
/// the standby has its WAL (`synchronous_commit = on`, `synchronous_standby_names =
/// 'standby1'`): nothing a client was told is committed is lost when the primary dies. Both run
/// with the production's durability (`fsync` on).
pub struct Pair {
    pub primary: Cluster,
    pub standby: Cluster,
}

impl Pair {
    /// Starts the primary, copies it with `pg_basebackup` into the standby, starts that and
    /// waits until the primary reports it as its synchronous standby.
    pub fn start() -> Pair {
        let mut primary = Cluster::folder();
        primary.initdb();
        // initdb's pg_hba.conf already trusts replication connections from 127.0.0.1.
        primary.configure(&[
            "wal_level = replica",
            "max_wal_senders = 5",
            &format!("synchronous_standby_names = '{STANDBY_NAME}'"),
            "synchronous_commit = on",
        ]);
        primary.launch();

        let mut standby = Cluster::folder();
        let data = standby.data().display().to_string();
        let port = primary.port.to_string();
        // -R: standby.signal and primary_conninfo; -X stream: the WAL written meanwhile too;
        // -c fast: a checkpoint at once rather than spread over minutes.
        standby.server_program(
            "pg_basebackup",
            &[
                "-h",
                "127.0.0.1",
                "-p",
                &port,
                "-U",
                "postgres",
                "-D",
                &data,
                "-R",
                "-X",
                "stream",
                "-c",
                "fast",
            ],
        );
        // The copied postgresql.conf names the standby itself as the one to wait for: once
        // promoted (and alone) it would then wait for ever at every commit. pg_auto_failover
        // likewise drops the wait while a primary has no standby.
        standby.configure(&["synchronous_standby_names = ''"]);
        // pg_basebackup's primary_conninfo has no application_name, which the primary's
        // synchronous_standby_names needs; a later line in the same file wins.
        {
            use std::io::Write;
            let mut auto = std::fs::OpenOptions::new()
                .append(true)
                .open(standby.data().join("postgresql.auto.conf"))
                .expect("pg_basebackup -R writes postgresql.auto.conf");
            writeln!(
                auto,
                "primary_conninfo = 'host=127.0.0.1 port={port} user=postgres \
                 application_name={STANDBY_NAME}'"
            )
            .unwrap();
        }
        standby.launch();

        let pair = Pair { primary, standby };
        pair.primary.wait_for(
            "postgres",
            &format!(
                "SELECT sync_state FROM pg_stat_replication \
                 WHERE application_name = '{STANDBY_NAME}'"
            ),
            "sync",
            &[&pair.primary, &pair.standby],
        );
        pair
    }

    /// Promotes the standby to primary (after [`Cluster::stop_immediately`] on the primary:
    /// a failover) and waits until it accepts writes.
    pub fn promote_standby(&self) {
        self.standby.pg_ctl(&["promote", "-w", "-t", "30"]);
        self.standby.wait_for(
            "postgres",
            "SELECT pg_is_in_recovery()",
            "f",
            &[&self.primary, &self.standby],
        );
    }

    /// The libpq multi-host URL a noticecast node is given: the first of the two servers that
    /// accepts writes, each tried for at most 2 s.
    pub fn url(&self, db: &str) -> String {
        format!(
            "postgres://postgres@127.0.0.1:{},127.0.0.1:{}/{db}\
             ?target_session_attrs=read-write&connect_timeout=2",
            self.primary.port, self.standby.port
        )
    }
}
