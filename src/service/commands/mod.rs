//! The service's command-line verbs: `serve`, `user add`, `screen add`, `export`.

use std::io::BufRead;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};

use crate::service::domain::accounts::{self, Role};
use crate::service::domain::error::Error;
use crate::service::domain::state::{OpenError, Options, Service, system_clock};
use crate::service::{domain::alerts, domain::groups, domain::screens};

mod demo;
pub mod tenant;

pub use demo::{DEMO_PASSWORDS, DemoArgs, demo_seed};

/// Why a command failed, in words for the person at the terminal.
#[derive(Debug, thiserror::Error)]
pub enum CommandError {
    #[error(transparent)]
    Open(#[from] OpenError),
    #[error(transparent)]
    Service(#[from] Error),
    /// A failure about one thing (a notice, a data folder): it is named.
    #[error("{what}: {source}")]
    About { what: String, source: Error },
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error(transparent)]
    Input(#[from] crate::model::Problems),
    #[error(transparent)]
    Key(#[from] crate::service::domain::keys::KeyError),
}

impl CommandError {
    fn io(path: impl std::fmt::Display) -> impl FnOnce(std::io::Error) -> CommandError {
        let path = path.to_string();
        move |source| CommandError::Io { path, source }
    }
}

#[derive(Debug, Args)]
pub struct DataArg {
    /// The service's data folder: database, signing key.
    #[arg(long, value_name = "DIR")]
    pub data: PathBuf,
    /// A PostgreSQL database instead of the data folder's SQLite file, as libpq writes it;
    /// several hosts follow a failover:
    /// postgres://noticecast@db1:5432,db2:5432/noticecast?target_session_attrs=read-write
    /// (default: $NOTICECAST_DATABASE, where a password stays out of the process list)
    #[arg(long, value_name = "URL")]
    pub database: Option<String>,
    /// The tenant (a district on a city's platform, `tenant add`) this command acts in; none:
    /// the platform's own office.
    #[arg(long, value_name = "NAME")]
    pub tenant: Option<String>,
}

impl DataArg {
    /// The PostgreSQL URL: `--database`, else `$NOTICECAST_DATABASE` (which keeps a password off
    /// the command line and out of `ps`).
    pub fn database(&self) -> Option<String> {
        self.database
            .clone()
            .or_else(|| std::env::var("NOTICECAST_DATABASE").ok())
            .filter(|url| !url.is_empty())
    }

    /// The data folder of the tenant this command acts in (its keys; SQLite's file).
    pub fn folder(&self) -> PathBuf {
        match &self.tenant {
            Some(t) => crate::service::domain::tenants::folder(&self.data, t),
            None => self.data.clone(),
        }
    }

    /// `options` pointed at this command's database and tenant.
    pub fn options(&self, mut options: Options) -> Options {
        options.database = self.database();
        options.schema = self
            .tenant
            .as_deref()
            .map(crate::service::domain::tenants::schema);
        options
    }
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub data: DataArg,
    /// Address and port to listen on; put nginx (TLS) in front for anything beyond one office.
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "ADDR")]
    pub listen: SocketAddr,
    /// Mark the session cookie Secure: set this when staff reach the console over HTTPS.
    #[arg(long)]
    pub secure_cookies: bool,
    /// On first start, seed the screen groups from this folder's playlists instead of the
    /// repository's `playlists/` (compiled in).
    #[arg(long, value_name = "DIR")]
    pub playlists: Option<PathBuf>,
    /// A proxy on this host (nginx, deploy/nginx/noticecast.conf) passes the client's address in
    /// X-Real-IP: believe it from loopback connections only, and only with this flag.
    #[arg(long)]
    pub trusted_proxy: bool,
    /// The signature suite of the feed key made at the first start: ed25519 (default) or sm2
    /// (SM2 with SM3, GB/T 32918 / GB/T 32905). A key that exists keeps its suite.
    #[arg(long, value_parser = parse_suite, value_name = "ed25519|sm2")]
    pub suite: Option<crate::feed::Suite>,
    /// The most screens' long polls (GET /feed/GROUP?wait=SEQ) held at once; more are answered
    /// 503 with Retry-After. Default: the descriptor limit less 1,024 kept for staff, the API and
    /// the warning system (half of a limit under 2,048), at most 20,000.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    pub max_waiters: Option<u64>,
    /// The most connections one client address may hold at once (default 256; the loopback,
    /// where nginx in front connects from, is not counted: limit there with limit_conn).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    pub max_per_address: Option<u64>,
    /// How many hours a warning without <expires> stays on screens (default 24): none holds its
    /// screens for ever.
    #[arg(long, value_name = "HOURS", value_parser = clap::value_parser!(u32).range(1..=720))]
    pub alert_default_hours: Option<u32>,
    /// Where screens reach this service, e.g. https://notices.example.gov.cn: the feeds list
    /// the notices' images at URL/assets/SHA256. Default: http:// and the --listen address.
    #[arg(long, value_name = "URL", value_parser = parse_public_url)]
    pub public_url: Option<String>,
}

fn parse_public_url(text: &str) -> Result<String, String> {
    let rest = text
        .strip_prefix("https://")
        .or_else(|| text.strip_prefix("http://"));
    match rest {
        Some(rest) if !rest.is_empty() && !rest.contains(['?', '#', '@', ' ']) => {
            Ok(text.trim_end_matches('/').to_string())
        }
        _ => Err(format!(
            "{text:?} is not an http:// or https:// address without query or user"
        )),
    }
}

/// The host's account commands: root on the service's host is trusted to set up the office
/// (三员分立 needs someone to appoint the three administrators), so these do what no
/// administrator may do over the network. Each is audited, from `host`.
#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add a staff user with a role; the password is read from the first line of standard input
    /// (bootstrapping an office; accounts made in the console get a one-time code instead).
    Add {
        #[command(flatten)]
        data: DataArg,
        name: String,
        #[arg(long, value_parser = parse_role)]
        role: Role,
    },
    /// Grant a role, any of the five (the console grants only editor and reviewer).
    Grant {
        #[command(flatten)]
        data: DataArg,
        name: String,
        #[arg(long, value_parser = parse_role)]
        role: Role,
    },
    /// Reset a password (an administrator's too) to a one-time code, printed on standard output;
    /// its owner must replace it at the first login. The role stays; the sessions end.
    Reset {
        #[command(flatten)]
        data: DataArg,
        name: String,
    },
    /// Disable an account (an administrator's too): it can no longer log in, its sessions end.
    Disable {
        #[command(flatten)]
        data: DataArg,
        name: String,
    },
    /// Enable a disabled account again.
    Enable {
        #[command(flatten)]
        data: DataArg,
        name: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum ScreenCommand {
    /// Enrol a screen in a group and print its bearer token (shown only this once).
    Add {
        #[command(flatten)]
        data: DataArg,
        screen_id: String,
        #[arg(long)]
        group: String,
        /// The screen's name for staff, in Chinese (溪口村委会门口触摸屏).
        #[arg(long)]
        label: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum SourceCommand {
    /// Add an alert source of the warning system and print its bearer token (shown only this
    /// once); it posts alerts to POST /api/alerts.
    Add {
        #[command(flatten)]
        data: DataArg,
        name: String,
        /// `direct`: the source is the authority, its alerts reach the screens at once;
        /// `review`: they wait at the top of the review queue for one reviewer.
        #[arg(long, default_value = "review", value_parser = parse_publish)]
        publish: alerts::Publish,
        /// Its remit: the administrative area codes (six-digit 行政区划代码) it may warn, each
        /// with the areas inside it (330100: the city and its districts). A warning for any
        /// other area is refused.
        #[arg(long, required = true, num_args = 1.., value_name = "CODE")]
        areas: Vec<String>,
    },
    /// Replace an alert source's remit (a source added before remits has none, and its
    /// warnings are refused until it has one).
    Areas {
        #[command(flatten)]
        data: DataArg,
        name: String,
        #[arg(required = true, value_name = "CODE")]
        codes: Vec<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum GroupCommand {
    /// Set a group's administrative area codes (six-digit 行政区划代码): the group receives the
    /// alerts for these areas and for the areas that contain them.
    Areas {
        #[command(flatten)]
        data: DataArg,
        group: String,
        #[arg(required = true, value_name = "CODE")]
        codes: Vec<String>,
    },
    /// Set a group's review policy (提级审核): 2 reviewers always, or during --from..--to (a
    /// major event; dates in Beijing time, both included), or for --categories; 1 as usual.
    Policy {
        #[command(flatten)]
        data: DataArg,
        group: String,
        #[arg(long, value_parser = clap::value_parser!(u8).range(1..=2))]
        reviews: u8,
        #[arg(long, value_name = "YYYY-MM-DD", requires = "to")]
        from: Option<chrono::NaiveDate>,
        #[arg(long, value_name = "YYYY-MM-DD", requires = "from")]
        to: Option<chrono::NaiveDate>,
        /// Categories, e.g. personnel,public_affairs.
        #[arg(long, value_delimiter = ',', value_parser = parse_category)]
        categories: Vec<crate::model::Category>,
    },
}

/// A command-line value that is not one of those allowed (clap prints it after the option).
#[derive(Debug, thiserror::Error)]
enum ArgError {
    #[error("{0:?} is not a category")]
    Category(String),
    #[error("{0:?} is not direct or review")]
    Publish(String),
    #[error(
        "\"admin\" was split (三员分立): sysadmin (users, screens, groups), secadmin (roles, \
         policies, keys, alert sources) or auditor (the audit log)"
    )]
    Admin,
    #[error("{0:?} is not a role: editor, reviewer, sysadmin, secadmin or auditor")]
    Role(String),
    #[error("{0:?} is not a suite: ed25519 or sm2")]
    Suite(String),
}

fn parse_category(s: &str) -> Result<crate::model::Category, ArgError> {
    crate::model::Category::parse(s).ok_or_else(|| ArgError::Category(s.to_string()))
}

fn parse_publish(s: &str) -> Result<alerts::Publish, ArgError> {
    alerts::Publish::parse(s).ok_or_else(|| ArgError::Publish(s.to_string()))
}

/// The command line as an administrator in `role` (whoever runs it on the host holds the data
/// directory, and so every role); the audit log names it 服务器命令行.
fn on_host(role: Role) -> accounts::User {
    accounts::User {
        id: 0,
        name: "command line".into(),
        role,
        must_change_password: false,
    }
}

pub fn source(command: SourceCommand) -> Result<(), CommandError> {
    // As the security administrator, who manages sources in the console.
    let secadmin = on_host(Role::Secadmin);
    match command {
        SourceCommand::Add {
            data,
            name,
            publish,
            areas,
        } => {
            let service = open(&data, Options::default())?;
            let token = service.change(|conn, now| {
                alerts::add_source(conn, &secadmin, &name, publish, &areas, now)
            })?;
            println!("{token}");
            eprintln!(
                "added alert source {name} (publish {}, areas {}): it sends Authorization: \
                 Bearer <the token above> to POST /api/alerts (the token is not shown again)",
                publish.as_str(),
                areas.join(" ")
            );
            Ok(())
        }
        SourceCommand::Areas { data, name, codes } => {
            let service = open(&data, Options::default())?;
            service.record(|conn, now| {
                alerts::set_source_areas(conn, &secadmin, &name, &codes, now)
            })?;
            eprintln!(
                "alert source {name} may warn {} and the areas inside",
                codes.join(" ")
            );
            Ok(())
        }
    }
}

pub fn group(command: GroupCommand) -> Result<(), CommandError> {
    match command {
        GroupCommand::Policy {
            data,
            group,
            reviews,
            from,
            to,
            categories,
        } => {
            let service = open(&data, Options::default())?;
            // As the security administrator, who sets policies in the console.
            let secadmin = on_host(Role::Secadmin);
            let policy = crate::service::domain::policy::ReviewPolicy {
                reviews,
                periods: from
                    .zip(to)
                    .map(|(from, to)| crate::service::domain::policy::Period { from, to })
                    .into_iter()
                    .collect(),
                categories,
            };
            service.record(|conn, now| {
                crate::service::domain::policy::set(conn, &secadmin, &group, &policy, now)
            })?;
            eprintln!("group {group}: {}", policy.describe());
            Ok(())
        }
        GroupCommand::Areas { data, group, codes } => {
            let service = open(&data, Options::default())?;
            let admin = on_host(Role::Sysadmin);
            service.change(|conn, now| groups::set_areas(conn, &admin, &group, &codes, now))?;
            eprintln!("group {group} covers {}", codes.join(" "));
            Ok(())
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum KeyCommand {
    /// Replace the feed signing key: the new key signs from the service's next start; the old
    /// one signs beside it for the overlap, so screens learn the new key from their feeds.
    /// Restart the service afterwards (`systemctl restart noticecast-service`).
    Rotate {
        #[command(flatten)]
        data: DataArg,
        /// Days the old key still signs: longer than any screen stays switched off.
        #[arg(long, default_value_t = crate::service::domain::keys::OVERLAP_DAYS)]
        overlap_days: i64,
    },
}

pub fn key(command: KeyCommand) -> Result<(), CommandError> {
    match command {
        KeyCommand::Rotate { data, overlap_days } => {
            if !data
                .folder()
                .join(crate::service::domain::keys::KEY_FILE)
                .exists()
            {
                return Err(CommandError::Io {
                    path: data
                        .folder()
                        .join(crate::service::domain::keys::KEY_FILE)
                        .display()
                        .to_string(),
                    source: std::io::Error::new(
                        std::io::ErrorKind::NotFound,
                        "no key to rotate: is this the service's data folder?",
                    ),
                });
            }
            let now = system_clock()();
            let options = data.options(Options::default());
            let database = options
                .database
                .as_deref()
                .map(|url| (url, options.schema.as_deref().unwrap_or("public")));
            let (new, until) = crate::service::domain::keys::rotate(
                &data.folder(),
                database,
                now,
                chrono::Duration::days(overlap_days.clamp(1, 3650)),
            )?;
            let public = crate::service::domain::keys::Keyring::single(new)
                .published(now)
                .keys
                .remove(0);
            // The new public key alone on stdout (for new screens' player.toml).
            println!("{}", public.text());
            eprintln!(
                "new signing key {} in {}; the old key signs beside it until {}. Restart the \
                 service now; screens learn the new key from their next feed. New screens' \
                 player.toml: trusted_keys = [\"{}\"]",
                public.key_id,
                data.data.display(),
                crate::model::beijing(until).format("%Y-%m-%d %H:%M"),
                public.text()
            );
            // Recorded and audited in the office's database by `keys::rotate`.
            Ok(())
        }
    }
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[command(flatten)]
    pub data: DataArg,
    /// Writes OUT/feed/GROUP.json for every group and OUT/feed/keys.json.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
}

fn parse_role(s: &str) -> Result<Role, ArgError> {
    match s {
        "admin" => Err(ArgError::Admin),
        _ => Role::parse(s).ok_or_else(|| ArgError::Role(s.to_string())),
    }
}

/// `noticecast audit prune`: the entries of a signed export (`GET /api/audit/export`, made by
/// the auditor) that are older than `keep_days` (at least 180) and unchanged since leave the
/// database; nothing that is not in a verified archive does. The export's signature is checked
/// with `key` (as `audit verify` takes it), or else with the service's own keys.
pub fn audit_prune(
    data: &DataArg,
    keep_days: i64,
    export_path: &Path,
    key: Option<&str>,
) -> Result<(), CommandError> {
    let bytes = std::fs::read(export_path).map_err(CommandError::io(export_path.display()))?;
    let service = open(data, Options::default())?;
    let keys: Vec<crate::feed::TrustedKey> = match key {
        Some(text) => vec![
            crate::feed::TrustedKey::parse(text)
                .map_err(|e| Error::invalid("key", crate::model::Reason::NotAKey(e.to_string())))?,
        ],
        None => service
            .public_keys()
            .keys
            .iter()
            .filter_map(|k| crate::feed::TrustedKey::parse(&k.text()).ok())
            .collect(),
    };
    let mut last = String::from("no key to check it with");
    let mut verified = None;
    for key in &keys {
        match crate::service::domain::audit::verify_export(&bytes, key) {
            Ok(export) => {
                verified = Some(export);
                break;
            }
            Err(e) => last = e.to_string(),
        }
    }
    let Some(export) = verified else {
        return Err(CommandError::About {
            what: export_path.display().to_string(),
            source: Error::invalid("export", crate::model::Reason::NotVerifiedExport(last)),
        });
    };
    let pruned = service.record(|conn, now| {
        crate::service::domain::audit::prune(conn, "command line", &export, keep_days, now)
    })?;
    eprintln!(
        "{} audit entries of {} (entries {} to {}) older than {keep_days} days deleted; {} \
         younger kept; {} already gone",
        pruned.deleted,
        export_path.display(),
        export.from_id,
        export.to_id,
        pruned.young,
        pruned.gone
    );
    if pruned.mismatched > 0 {
        eprintln!(
            "{} entries differ between the database and the export and were kept: tell the \
             auditor",
            pruned.mismatched
        );
    }
    Ok(())
}

fn parse_suite(s: &str) -> Result<crate::feed::Suite, ArgError> {
    crate::feed::Suite::parse(s).ok_or_else(|| ArgError::Suite(s.to_string()))
}

/// Opens the service this command acts in: the platform's own office, or a tenant that the
/// platform lists (`tenant add` first).
fn open(data: &DataArg, options: Options) -> Result<Service, CommandError> {
    if let Some(name) = &data.tenant {
        tenant::listed(data, name)?;
    }
    Ok(Service::open(
        &data.folder(),
        data.options(options),
        system_clock(),
    )?)
}

pub fn serve(args: ServeArgs, fonts: Option<PathBuf>) -> Result<(), CommandError> {
    // Before anything opens a descriptor or sizes the long-poll cap from the limit.
    match crate::service::http::capacity::raise_fd_limit() {
        Ok((before, after)) => tracing::info!(
            "file descriptors: soft limit {} (was {}), hard limit {}",
            after.soft,
            before.soft,
            after.hard
        ),
        Err(e) => tracing::warn!("file descriptors: the soft limit stays as it was: {e}"),
    }
    let options = Options {
        secure_cookies: args.secure_cookies,
        playlists: args.playlists.clone(),
        fonts,
        long_poll: None,
        feed_budget: None,
        alert_default_hours: args.alert_default_hours,
        import_time_limit: None,
        trusted_proxy: args.trusted_proxy,
        suite: args.suite,
        // As the descriptor limit stands now that it is raised.
        max_waiters: Some(args.max_waiters.map_or_else(
            || {
                crate::service::http::capacity::fd_limit()
                    .map_or(crate::service::http::capacity::DEFAULT_MAX_WAITERS, |l| {
                        crate::service::http::capacity::default_max_waiters(l.soft)
                    })
            },
            |n| n as usize,
        )),
        max_per_address: args.max_per_address.map(|n| n as usize),
        write_timeout: None,
        publishes: true,
        // On a shared database the address is the service's, not a node's: a node given none
        // takes the recorded one (the first node's), or nodes would sign the same feeds with
        // their own addresses in turn. One office's service is its own listen address.
        public_url: match (&args.public_url, args.data.database()) {
            (Some(url), _) => Some(url.clone()),
            (None, None) => Some(format!("http://{}", args.listen)),
            (None, Some(_)) => None,
        },
        first_public_url: Some(format!("http://{}", args.listen)),
        // `open` points these at --database and --tenant.
        database: None,
        schema: None,
    };
    let service = open(&args.data, options.clone())?;
    tracing::info!("long polls: at most {} held at once", service.waiters.max());
    let platform = crate::service::http::tenants::Platform::new(
        std::sync::Arc::new(service),
        args.data.folder(),
        args.data.options(options),
    );
    super::serve(platform, args.listen).map_err(CommandError::io(args.listen))
}

pub fn user(command: UserCommand) -> Result<(), CommandError> {
    match command {
        UserCommand::Add { data, name, role } => {
            let mut password = String::new();
            std::io::stdin()
                .lock()
                .read_line(&mut password)
                .map_err(CommandError::io("standard input (the password)"))?;
            let password = password.trim_end_matches(['\n', '\r']);
            let service = open(&data, Options::default())?;
            service.change(|conn, now| {
                accounts::add_user(conn, "command line", &name, role, password, now)
            })?;
            eprintln!("added {name} ({})", role.as_str());
            Ok(())
        }
        UserCommand::Grant { data, name, role } => {
            let service = open(&data, Options::default())?;
            service.change(|conn, now| {
                accounts::update_user(conn, "command line", &name, Some(role), None, None, now)
            })?;
            eprintln!("{name} is now a {}", role.as_str());
            Ok(())
        }
        UserCommand::Reset { data, name } => {
            let service = open(&data, Options::default())?;
            let code = service.change(|conn, now| {
                accounts::reset_password(conn, "command line", &name, false, now)
            })?;
            // The code alone on stdout, so a script can capture it; the advice on stderr.
            println!("{code}");
            eprintln!(
                "{name}'s password is now the one-time code above (not shown again): \
                 {name} logs in with it once and must choose a password before doing anything else"
            );
            Ok(())
        }
        UserCommand::Disable { data, name } => set_disabled(&data, &name, true),
        UserCommand::Enable { data, name } => set_disabled(&data, &name, false),
    }
}

fn set_disabled(data: &DataArg, name: &str, disabled: bool) -> Result<(), CommandError> {
    let service = open(data, Options::default())?;
    service.change(|conn, now| {
        accounts::update_user(conn, "command line", name, None, None, Some(disabled), now)
    })?;
    eprintln!(
        "{name} is {}",
        if disabled { "disabled" } else { "enabled" }
    );
    Ok(())
}

pub fn screen(command: ScreenCommand) -> Result<(), CommandError> {
    match command {
        ScreenCommand::Add {
            data,
            screen_id,
            group,
            label,
        } => {
            let service = open(&data, Options::default())?;
            let token = service.change(|conn, now| {
                let token = screens::add(conn, "command line", &screen_id, &group, now)?;
                if let Some(label) = &label {
                    screens::set_label(conn, "command line", &screen_id, label, now)?;
                }
                Ok(token)
            })?;
            // The token alone on stdout, so a script can capture it; the advice on stderr.
            println!("{token}");
            eprintln!(
                "enrolled {screen_id} in {group}: put the token above in its player.toml \
                 (it is not shown again)"
            );
            Ok(())
        }
    }
}

pub fn export(args: ExportArgs) -> Result<(), CommandError> {
    // The mirror serves what this signs: the key is published from here on.
    let publishing = Options {
        publishes: true,
        ..Options::default()
    };
    let service = open(&args.data, publishing)?;
    for path in export_feeds(&service, &args.out)? {
        println!("{}", path.display());
    }
    Ok(())
}

/// `noticecast export`: every group's current signed feed as static files, `OUT/feed/GROUP.json`
/// and `OUT/feed/keys.json`, each written to a temporary file and renamed into place, so a web
/// server never serves half a file.
pub fn export_feeds(service: &Service, out: &Path) -> Result<Vec<PathBuf>, CommandError> {
    service.refresh_feeds()?;
    let dir = out.join("feed");
    std::fs::create_dir_all(&dir).map_err(CommandError::io(dir.display()))?;
    let names = service.read(|conn, _| groups::names(conn))?;
    let mut written = Vec::new();
    for group in names {
        let published = service.feed(&group)?;
        let path = dir.join(format!("{group}.json"));
        write_atomic(&path, &published.body)?;
        written.push(path);
    }
    let keys = serde_json::to_vec_pretty(&service.public_keys())
        .map_err(|e| Error::Internal(format!("keys: {e}")))?;
    let path = dir.join("keys.json");
    write_atomic(&path, &keys)?;
    written.push(path);
    Ok(written)
}

fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), CommandError> {
    use std::io::Write;
    let tmp = path.with_extension("json.tmp");
    let write = || -> std::io::Result<()> {
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(bytes)?;
        // On disk before the rename: after a power cut the mirror has the old file or the new.
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    };
    write().map_err(CommandError::io(path.display()))
}
