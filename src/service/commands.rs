//! The service's command-line verbs: `serve`, `user add`, `screen add`, `export`.

use std::io::BufRead;
use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::auth::{self, Role};
use super::{Options, Service, alerts, screens, system_clock};

#[derive(Debug, Args)]
pub struct DataArg {
    /// The service's data folder: database, signing key.
    #[arg(long, value_name = "DIR")]
    pub data: PathBuf,
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
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add a staff user; the password is read from the first line of standard input.
    Add {
        #[command(flatten)]
        data: DataArg,
        name: String,
        #[arg(long, value_parser = parse_role)]
        role: Role,
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
}

fn parse_publish(s: &str) -> Result<alerts::Publish, String> {
    alerts::Publish::parse(s).ok_or_else(|| format!("{s:?} is not direct or review"))
}

pub fn source(command: SourceCommand) -> Result<(), String> {
    match command {
        SourceCommand::Add {
            data,
            name,
            publish,
        } => {
            let service = open(&data, Options::default())?;
            let token = service
                .change(|conn, now| alerts::add_source(conn, "command line", &name, publish, now))
                .map_err(|e| e.to_string())?;
            println!("{token}");
            eprintln!(
                "added alert source {name} (publish {}): it sends Authorization: Bearer <the \
                 token above> to POST /api/alerts (the token is not shown again)",
                publish.as_str()
            );
            Ok(())
        }
    }
}

pub fn group(command: GroupCommand) -> Result<(), String> {
    match command {
        GroupCommand::Areas { data, group, codes } => {
            let service = open(&data, Options::default())?;
            let admin = auth::User {
                id: 0,
                name: "command line".into(),
                role: Role::Admin,
            };
            service
                .change(|conn, now| super::groups::set_areas(conn, &admin, &group, &codes, now))
                .map_err(|e| e.to_string())?;
            eprintln!("group {group} covers {}", codes.join(" "));
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

#[derive(Debug, Args)]
pub struct DemoArgs {
    #[command(flatten)]
    pub data: DataArg,
    /// The feed whose notices become the demo's notices.
    #[arg(
        long,
        default_value = "deploy/demo/feed.json",
        value_name = "FEED.json"
    )]
    pub feed: PathBuf,
    /// Where `serve` will listen: the demo screen's player.toml points there.
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "ADDR")]
    pub listen: SocketAddr,
}

fn parse_role(s: &str) -> Result<Role, String> {
    Role::parse(s).ok_or_else(|| format!("{s:?} is not a role: editor, reviewer or admin"))
}

fn open(data: &DataArg, options: Options) -> Result<Service, String> {
    Service::open(&data.data, options, system_clock()).map_err(|e| e.to_string())
}

pub fn serve(args: ServeArgs, fonts: Option<PathBuf>) -> Result<(), String> {
    let options = Options {
        secure_cookies: args.secure_cookies,
        playlists: args.playlists.clone(),
        fonts,
        long_poll: None,
        feed_budget: None,
        trusted_proxy: args.trusted_proxy,
    };
    let service = open(&args.data, options)?;
    super::serve(service, args.listen).map_err(|e| format!("{}: {e}", args.listen))
}

pub fn user(command: UserCommand) -> Result<(), String> {
    match command {
        UserCommand::Add { data, name, role } => {
            let mut password = String::new();
            std::io::stdin()
                .lock()
                .read_line(&mut password)
                .map_err(|e| format!("reading the password from standard input: {e}"))?;
            let password = password.trim_end_matches(['\n', '\r']);
            let service = open(&data, Options::default())?;
            service
                .change(|conn, now| {
                    auth::add_user(conn, "command line", &name, role, password, now)
                })
                .map_err(|e| e.to_string())?;
            eprintln!("added {name} ({})", role.as_str());
            Ok(())
        }
    }
}

pub fn screen(command: ScreenCommand) -> Result<(), String> {
    match command {
        ScreenCommand::Add {
            data,
            screen_id,
            group,
        } => {
            let service = open(&data, Options::default())?;
            let token = service
                .change(|conn, now| screens::add(conn, "command line", &screen_id, &group, now))
                .map_err(|e| e.to_string())?;
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

/// `noticecast demo-seed`: a demo office in a fresh data folder. Three users with random
/// passwords (printed once), the demo feed's notices written by the demo editor and approved by
/// the demo reviewer through the ordinary workflow, and one enrolled screen per group whose
/// player configuration (`DIR/demo-plaza.toml`, `demo-hall.toml`, `demo-village.toml`) points at
/// the local service.
pub fn demo_seed(args: DemoArgs) -> Result<(), String> {
    use super::notices::{self, NoticeInput};
    let feed = crate::model::Feed::from_file(&args.feed).map_err(|p| p.to_string())?;
    let service = open(&args.data, Options::default())?;
    let mut passwords = Vec::new();
    let users = service
        .change(|conn, now| {
            let mut users = Vec::new();
            for (name, role) in [
                ("demo-editor", Role::Editor),
                ("demo-reviewer", Role::Reviewer),
                ("demo-admin", Role::Admin),
            ] {
                let password = auth::random_token()?[..16].to_string();
                users.push(auth::add_user(
                    conn,
                    "demo-seed",
                    name,
                    role,
                    &password,
                    now,
                )?);
                passwords.push((name, password));
            }
            Ok(users)
        })
        .map_err(|e| format!("{e} (is {} seeded already?)", args.data.data.display()))?;
    let (editor, reviewer) = (&users[0], &users[1]);
    for n in feed.notices.iter() {
        let input = NoticeInput {
            title: n.title.clone(),
            body: n.body.clone(),
            category: n.category,
            priority: n.priority,
            issuer: n.issuer.clone(),
            doc_number: n.doc_number.clone(),
            valid_from: n.valid_from,
            valid_until: n.valid_until,
            url: n.url.clone(),
            level: n.level,
            instruction: n.instruction.clone(),
            contact: n.contact.clone(),
            alert_id: n.alert_id.clone(),
            groups: vec![notices::ALL_GROUPS.into()],
        };
        service
            .change(|conn, now| {
                let id = notices::create(conn, editor, &input, now)?;
                notices::submit(conn, editor, &id, now)?;
                notices::approve(conn, reviewer, &id, 1, true, now)
            })
            .map_err(|e| format!("{}: {e}", n.id))?;
    }
    // The demo district's (fictional) area codes, so that an alert for them reaches the demo
    // screens: the service hall and the plaza in 330102, the village in 330105.
    let admin = auth::User {
        id: 0,
        name: "demo-seed".into(),
        role: Role::Admin,
    };
    for (group, code) in [
        ("plaza-tv", "330102"),
        ("service-hall-led", "330102"),
        ("village-terminal", "330105"),
    ] {
        service
            .change(|conn, now| {
                super::groups::set_areas(conn, &admin, group, &[code.to_string()], now)
            })
            .map_err(|e| e.to_string())?;
    }
    let public = super::api::public_keys(&service).keys.remove(0).public_key;
    let mut configs = Vec::new();
    for (screen, group) in [
        ("demo-plaza", "plaza-tv"),
        ("demo-hall", "service-hall-led"),
        ("demo-village", "village-terminal"),
    ] {
        let token = service
            .change(|conn, now| screens::add(conn, "demo-seed", screen, group, now))
            .map_err(|e| e.to_string())?;
        let config = args.data.data.join(format!("{screen}.toml"));
        let cache = args.data.data.join(screen);
        let text = format!(
            "# A demo screen, enrolled by `noticecast demo-seed`.\n\
             screen_id = \"{screen}\"\ngroup = \"{group}\"\n\
             feed_urls = [\"http://{}/feed/{group}\"]\ntrusted_keys = [\"{public}\"]\n\
             cache_dir = \"{}\"\npoll_interval_s = 10\ntoken = \"{token}\"\n",
            args.listen,
            cache.display()
        );
        std::fs::write(&config, text).map_err(|e| format!("{}: {e}", config.display()))?;
        configs.push(config.display().to_string());
    }
    for (name, password) in passwords {
        println!("{name}\t{password}");
    }
    eprintln!(
        "{} notices approved; the demo screens' configurations: {}",
        feed.notices.len(),
        configs.join(", ")
    );
    Ok(())
}

pub fn export(args: ExportArgs) -> Result<(), String> {
    let service = open(&args.data, Options::default())?;
    for path in super::export(&service, &args.out)? {
        println!("{}", path.display());
    }
    Ok(())
}
