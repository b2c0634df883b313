//! `noticecast demo-seed`: a demo office in a fresh data folder, for the README's first command.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use clap::Args;

use super::{CommandError, DataArg, open};
use crate::service::domain::accounts::{self, Role};
use crate::service::domain::passwords;
use crate::service::domain::state::Options;
use crate::service::{domain::groups, domain::screens};

#[derive(Debug, Args)]
pub struct DemoArgs {
    #[command(flatten)]
    pub data: DataArg,
    /// The feed whose notices become the demo's notices (default: the demo feed built into the
    /// binary, `deploy/demo/feed.json`, so the command runs from any folder).
    #[arg(long, value_name = "FEED.json")]
    pub feed: Option<PathBuf>,
    /// Where `serve` will listen: the demo screen's player.toml points there.
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "ADDR")]
    pub listen: SocketAddr,
}

/// `noticecast demo-seed`: a demo office in a fresh data folder. Three users with random
/// passwords (printed once), the demo feed's notices written by the demo editor and approved by
/// the demo reviewer through the ordinary workflow, and one enrolled screen per group whose
/// player configuration (`DIR/demo-plaza.toml`, `demo-hall.toml`, `demo-village.toml`) points at
/// the local service.
pub fn demo_seed(args: DemoArgs) -> Result<(), CommandError> {
    use crate::service::domain::notices::{self, NoticeInput};
    let feed = match &args.feed {
        Some(path) => crate::model::Feed::from_file(path)?,
        None => crate::model::Feed::from_json(DEMO_FEED, "the built-in demo feed")?,
    };
    // Its screens' configurations name the key: it is published from here on.
    let publishing = Options {
        publishes: true,
        ..Options::default()
    };
    let service = open(&args.data, publishing)?;
    let mut passwords = Vec::new();
    let users = service
        .change(|conn, now| {
            let mut users = Vec::new();
            for (name, role) in [
                ("demo-editor", Role::Editor),
                ("demo-reviewer", Role::Reviewer),
                ("demo-admin", Role::Sysadmin),
                ("demo-secadmin", Role::Secadmin),
                ("demo-auditor", Role::Auditor),
            ] {
                let password = passwords::random_token()?[..16].to_string();
                users.push(accounts::add_user(
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
        .map_err(|source| CommandError::About {
            what: format!("{} (seeded already?)", args.data.data.display()),
            source,
        })?;
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
            notice_period: n.notice_period.clone(),
            // A figure names an image of the feed's service, which this one does not have.
            figures: Vec::new(),
            groups: vec![notices::ALL_GROUPS.into()],
        };
        // Approved the one way the API and the console approve (`Service::approve`: the
        // personnel rule on characters first), not around it.
        service
            .change(|conn, now| {
                let id = notices::create(conn, editor, &input, now)?;
                notices::submit(conn, editor, &id, now)?;
                Ok(id)
            })
            .and_then(|id| service.approve(reviewer, &id, 1, true))
            .map_err(|source| CommandError::About {
                what: n.id.clone(),
                source,
            })?;
    }
    // The demo district's (fictional) area codes, so that an alert for them reaches the demo
    // screens: the service hall and the plaza in 330102, the village in 330105.
    let admin = accounts::User {
        id: 0,
        name: "demo-seed".into(),
        role: Role::Sysadmin,
        must_change_password: false,
    };
    for (group, code) in [
        ("plaza-tv", "330102"),
        ("service-hall-led", "330102"),
        ("village-terminal", "330105"),
    ] {
        service
            .change(|conn, now| groups::set_areas(conn, &admin, group, &[code.to_string()], now))?;
    }
    let public = service.public_keys().keys.remove(0).text();
    let mut configs = Vec::new();
    for (screen, group, label) in [
        ("demo-plaza", "plaza-tv", "城关镇广场东侧大屏"),
        ("demo-hall", "service-hall-led", "政务服务大厅入口LED屏"),
        ("demo-village", "village-terminal", "溪口村委会门口触摸屏"),
    ] {
        let token = service.change(|conn, now| {
            let token = screens::add(conn, "demo-seed", screen, group, now)?;
            screens::set_label(conn, "demo-seed", screen, label, now)?;
            Ok(token)
        })?;
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
        std::fs::write(&config, text).map_err(CommandError::io(config.display()))?;
        configs.push(config.display().to_string());
    }
    // Printed once, and kept beside the data (readable by its owner only): the demo's users are
    // for trying the console, and a password shown once in a scrolled-away terminal is lost.
    let mut list = String::new();
    for (name, password) in passwords {
        println!("{name}\t{password}");
        list += &format!("{name}\t{password}\n");
    }
    let kept = args.data.data.join(DEMO_PASSWORDS);
    write_private(&kept, list.as_bytes()).map_err(CommandError::io(kept.display()))?;
    eprintln!(
        "{} notices approved; the demo users' passwords are kept in {}; the demo screens' \
         configurations: {}",
        feed.notices.len(),
        kept.display(),
        configs.join(", ")
    );
    Ok(())
}

/// The demo feed, built in: `demo-seed` runs from any folder.
const DEMO_FEED: &str = include_str!("../../../deploy/demo/feed.json");

/// Where `demo-seed` keeps the demo users' passwords, in the data folder.
pub const DEMO_PASSWORDS: &str = "passwords.txt";

/// `bytes` in a new file only its owner reads.
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}
