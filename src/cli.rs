//! The command line: `render`, `check` and `bench`, each a thin shell over the library.

use std::path::{Path, PathBuf};

use clap::{Args, Parser, Subcommand};

use crate::layout::{FontError, Fonts};
use crate::model::{Feed, Playlist, Problems, Timestamp};
use crate::render::{RenderError, Renderer, write_png};
use crate::show::{LoadError, ShowError};

#[derive(Debug, Parser)]
#[command(
    name = "noticecast",
    version,
    about = "Approved public notices on unattended screens"
)]
pub struct Cli {
    /// The font folder (default: $NOTICECAST_FONTS, the installed fonts, or the source tree's).
    #[arg(long, global = true, value_name = "DIR")]
    pub fonts: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Render what a screen shows at an instant, or one page of one notice, to a PNG.
    Render(RenderArgs),
    /// Validate feed JSON and playlist TOML files (and folders of them).
    Check {
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
    },
    /// Measure layout and rendering; prints medians and the adapter name.
    Bench(crate::bench::BenchArgs),
    /// Show the rotation in a window: fullscreen (TV, terminal) or the LED capture rectangle.
    Play(PlayArgs),
    /// Run the central service: notices, review, signed feeds, screens, statistics.
    Serve(crate::service::commands::ServeArgs),
    /// Staff users of the service.
    #[command(subcommand)]
    User(crate::service::commands::UserCommand),
    /// Screens enrolled with the service.
    #[command(subcommand)]
    Screen(crate::service::commands::ScreenCommand),
    /// Alert sources of the warning system.
    #[command(subcommand)]
    Source(crate::service::commands::SourceCommand),
    /// The districts (tenants) of a city’s platform.
    #[command(subcommand)]
    Tenant(crate::service::commands::tenant::TenantCommand),
    /// Screen groups.
    #[command(subcommand)]
    Group(crate::service::commands::GroupCommand),
    /// The feed signing keys.
    #[command(subcommand)]
    Key(crate::service::commands::KeyCommand),
    /// 公示证明: check a proof bundle (GET /api/notices/{id}/proof/bundle) offline.
    #[command(subcommand)]
    Proof(ProofCommand),
    /// The audit log: check an export (GET /api/audit/export) offline; prune old entries.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Write every group's signed feed as static files for a mirror (nginx, a CDN).
    Export(crate::service::commands::ExportArgs),
    /// Demos and benchmarks: seed a fresh data folder with demo users, the demo feed's notices
    /// (approved through the workflow) and one screen per group.
    DemoSeed(crate::service::commands::DemoArgs),
    /// Benchmarks: poll a feed URL as many screens would and print request rates and latencies.
    Loadgen(crate::service::loadgen::LoadgenArgs),
    /// Tests only: stores the given envelopes into a feed cache, in turn, until killed.
    #[command(hide = true)]
    CacheWriter {
        #[arg(long)]
        dir: PathBuf,
        envelopes: Vec<PathBuf>,
    },
    /// Tests only: appends play records to a play queue, one after another, until killed.
    #[command(hide = true)]
    PlaysWriter {
        #[arg(long)]
        dir: PathBuf,
    },
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("source").required(true).args(["feed", "config"])))]
pub struct PlayArgs {
    /// A local feed document (JSON), reloaded when the file changes (development, demos).
    #[arg(long, value_name = "FEED.json")]
    pub feed: Option<PathBuf>,
    /// The screen's configuration: signed feed URLs, trusted keys, cache
    /// (deploy/player.example.toml).
    #[arg(long, value_name = "player.toml")]
    pub config: Option<PathBuf>,
    /// The screen's playlist (TOML); default: the playlist inside the feed.
    #[arg(long, value_name = "PLAYLIST.toml")]
    pub playlist: Option<PathBuf>,
    /// With --feed: the folder of the figures' files, named by their SHA-256 as a screen's
    /// cache keeps them; default: `assets` beside the feed.
    #[arg(long, value_name = "DIR", requires = "feed")]
    pub assets: Option<PathBuf>,
    /// A normal, closable window of the playlist's size (development).
    #[arg(long)]
    pub windowed: bool,
    /// Start the show's clock at this instant instead of now (tests, demos).
    #[arg(long, value_parser = parse_instant, value_name = "TIME")]
    pub start_at: Option<Timestamp>,
    /// Seconds of show time per real second (0 freezes the clock; 60 plays an hour a minute).
    #[arg(long, default_value_t = 1.0, value_name = "X")]
    pub clock_speed: f64,
    /// Leave after this many seconds (tests, benchmarks).
    #[arg(long, value_name = "SECONDS")]
    pub exit_after: Option<f64>,
    /// At exit, write figures (first frame, frame times) as JSON to this file.
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
    /// Show the staff overlay from the start (F12 toggles it).
    #[arg(long)]
    pub overlay: bool,
    /// Touch terminals: replay input from this file (one JSON object a line; see
    /// docs/touch.md). The whole script is checked before the player starts.
    #[arg(long, value_name = "FILE.jsonl")]
    pub input_script: Option<PathBuf>,
    /// Touch terminals: on every screen change, write the screen's targets (names, rectangles
    /// in pixels and millimetres) to this file as JSON.
    #[arg(long, value_name = "FILE.json")]
    pub dump_targets: Option<PathBuf>,
    /// Tests only: lose-device:N, fail-frames:N or stall:SECONDS.
    #[arg(long, hide = true, value_name = "FAULT")]
    pub fault: Option<crate::player::Fault>,
}

impl Cli {
    /// `play` reports each page change; the one-shot commands only warnings.
    pub fn default_log(&self) -> String {
        match &self.command {
            Command::Play(args) => {
                // A screen's player.toml says how much it logs; a bad file is reported later.
                let level = args
                    .config
                    .as_deref()
                    .and_then(|p| crate::feed::PlayerConfig::from_file(p).ok())
                    .map_or_else(|| "info".to_string(), |c| c.log_level);
                format!("{level},winit=error,wgpu_core=warn,wgpu_hal=warn,naga=warn")
            }
            Command::Serve(_) => "info,tower_http=warn".to_string(),
            _ => "warn".to_string(),
        }
    }
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("what").required(true).args(["at", "notice"])))]
pub struct RenderArgs {
    /// The feed document (JSON).
    #[arg(long, value_name = "FEED.json")]
    pub feed: PathBuf,
    /// The screen's playlist (TOML); default: the playlist inside the feed.
    #[arg(long, value_name = "PLAYLIST.toml")]
    pub playlist: Option<PathBuf>,
    /// The instant to render, RFC 3339 with an offset, e.g. 2026-11-27T10:00:00+08:00.
    #[arg(long, value_parser = parse_instant, value_name = "TIME")]
    pub at: Option<Timestamp>,
    /// Render one notice, whether or not it is valid now.
    #[arg(long, value_name = "ID")]
    pub notice: Option<String>,
    /// With --notice: the page, counting from 1.
    #[arg(
        long,
        requires = "notice",
        value_parser = clap::value_parser!(u32).range(1..),
        value_name = "N"
    )]
    pub page: Option<u32>,
    #[arg(long, value_name = "FRAME.png")]
    pub out: PathBuf,
    /// Also write the laid-out text of the frame as JSON.
    #[arg(long, value_name = "LINES.json")]
    pub lines_json: Option<PathBuf>,
    /// The folder of the figures' files, named by their SHA-256 as a screen's cache keeps
    /// them; default: `assets` beside the feed.
    #[arg(long, value_name = "DIR")]
    pub assets: Option<PathBuf>,
    /// The whole output of a screen this size, as the player shows it there: a TV or terminal
    /// laid out for it, an LED strip at its capture rectangle on black. Default: the page at the
    /// playlist's size.
    #[arg(long, value_parser = parse_size, value_name = "WxH")]
    pub output: Option<(u32, u32)>,
}

fn parse_size(s: &str) -> Result<(u32, u32), String> {
    let bad = || format!("{s:?} is not a size in pixels such as 1280x720");
    let (w, h) = s.split_once('x').ok_or_else(bad)?;
    let (w, h) = (w.parse().map_err(|_| bad())?, h.parse().map_err(|_| bad())?);
    if !(16..=16384).contains(&w) || !(16..=16384).contains(&h) {
        return Err(format!("{s:?}: each side must be 16 to 16384 pixels"));
    }
    Ok((w, h))
}

fn parse_instant(s: &str) -> Result<Timestamp, String> {
    Timestamp::parse_from_rfc3339(s).map_err(|e| {
        format!(
            "{s:?} is not an RFC 3339 time with an offset (e.g. 2026-11-27T10:00:00+08:00): {e}"
        )
    })
}

#[derive(Debug, Subcommand)]
pub enum ProofCommand {
    /// Check every signature of the bundle (the office's feeds, the screens' plays) and
    /// recompute its certificate from the evidence; a changed record, a dropped envelope or a
    /// foreign key fails with the reason.
    Verify {
        #[arg(value_name = "BUNDLE.json")]
        bundle: PathBuf,
        /// The office's public key, as GET /feed/keys lists it (base64; sm2:BASE64 too),
        /// obtained from the office itself, never from the bundle. Without it the bundle is
        /// checked for consistency only and no verdict is given.
        #[arg(long, value_name = "KEY")]
        key: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Check an audit export: signed by the service's key, no entry missing or changed.
    Verify {
        #[arg(value_name = "EXPORT.json")]
        export: PathBuf,
        /// The service's public key (base64, as GET /feed/keys lists it; sm2:BASE64 for SM2).
        #[arg(long, value_name = "BASE64")]
        key: String,
    },
    /// Delete the entries of a signed export (the auditor's archive, GET /api/audit/export)
    /// that are older than --keep-days (at least 180) and unchanged in the database; nothing
    /// else. Audited.
    Prune {
        #[command(flatten)]
        data: crate::service::commands::DataArg,
        #[arg(long, value_name = "DAYS")]
        keep_days: i64,
        /// The signed export (JSON) whose entries may go.
        #[arg(long, value_name = "EXPORT.json")]
        export: PathBuf,
        /// The key that signed it (base64, sm2:BASE64); without it, the service's own keys.
        #[arg(long, value_name = "BASE64")]
        key: Option<String>,
    },
}

/// `noticecast audit verify`.
fn verify_audit(path: &Path, key: &str) -> Result<(), CliError> {
    let name = path.display().to_string();
    let key =
        crate::feed::TrustedKey::parse(key).map_err(|e| CliError::Proof(format!("--key: {e}")))?;
    let bytes = std::fs::read(path).map_err(|e| CliError::Write(name.clone(), e))?;
    let export = crate::service::domain::audit::verify_export(&bytes, &key)
        .map_err(|e| CliError::Proof(format!("{name}: {e}")))?;
    println!(
        "{name}: verified, signed by {}: entries {} to {} ({}), exported {}",
        key.id,
        export.from_id,
        export.to_id,
        export.entries.len(),
        export.exported_at
    );
    Ok(())
}

/// `noticecast proof verify`.
fn verify_proof(path: &Path, key: Option<&str>) -> Result<(), CliError> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| CliError::Write(name.clone(), e))?;
    let bundle: crate::proof::Bundle = serde_json::from_slice(&bytes)
        .map_err(|e| CliError::Proof(format!("{name}: not a proof bundle: {e}")))?;
    let Some(key) = key else {
        // Anyone can make a bundle with keys of their own: its own keys prove nothing, so no
        // verdict is given, only whether it is consistent.
        crate::proof::certify(&bundle).map_err(|e| CliError::Proof(format!("{name}: {e}")))?;
        return Err(CliError::Proof(format!(
            "{name}: not verified: give --key with the office's public key (as GET /feed/keys \
             lists it, from the office, not from the bundle); the keys a bundle lists prove \
             nothing"
        )));
    };
    let key =
        crate::feed::TrustedKey::parse(key).map_err(|e| CliError::Proof(format!("--key: {e}")))?;
    let certificate =
        crate::proof::verify(&bundle, &key).map_err(|e| CliError::Proof(format!("{name}: {e}")))?;
    println!(
        "{name}: verified with the office's key {}. Notice {} 《{}》, 公示期 {} to {} ({} working \
         days): {}",
        key.id,
        certificate.notice_id,
        certificate.title,
        crate::model::beijing(certificate.period.start).format("%Y-%m-%d %H:%M"),
        crate::model::beijing(certificate.period.end).format("%Y-%m-%d %H:%M"),
        certificate.period.working_days.len(),
        certificate.verdict
    );
    for group in &certificate.groups {
        println!(
            "  {}: {} ({} screens{})",
            group.group,
            group.verdict,
            group.screens.len(),
            if group.failing_days.is_empty() {
                String::new()
            } else {
                format!(
                    "; not met on {}",
                    group
                        .failing_days
                        .iter()
                        .map(|d| d.to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            }
        );
    }
    Ok(())
}

#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error("{0}")]
    Proof(String),
    #[error(transparent)]
    Input(#[from] Problems),
    #[error(transparent)]
    Font(#[from] FontError),
    #[error(transparent)]
    Render(#[from] RenderError),
    #[error(transparent)]
    Show(#[from] ShowError),
    #[error(transparent)]
    Load(#[from] LoadError),
    #[error(transparent)]
    Bench(#[from] crate::bench::BenchError),
    #[error(transparent)]
    Connect(#[from] crate::player::ConnectError),
    #[error("{0}")]
    Usage(String),
    #[error("{0}: {1}")]
    Write(String, std::io::Error),
    /// `check` found problems; they are already printed.
    #[error("{0} file(s) with problems")]
    Invalid(usize),
    #[error(transparent)]
    Player(#[from] crate::player::PlayerError),
    #[error(transparent)]
    Service(#[from] crate::service::commands::CommandError),
    #[error("{0}")]
    Loadgen(crate::service::loadgen::LoadgenError),
}

pub fn run(cli: Cli) -> Result<(), CliError> {
    match cli.command {
        Command::Render(args) => render(cli.fonts.as_deref(), args),
        Command::Check { paths } => check(cli.fonts.as_deref(), &paths),
        Command::Bench(args) => Ok(crate::bench::run(cli.fonts.as_deref(), args)?),
        Command::Play(args) => play(cli.fonts.as_deref(), args),
        Command::Serve(args) => {
            crate::service::commands::serve(args, cli.fonts.clone()).map_err(CliError::Service)
        }
        Command::User(command) => {
            crate::service::commands::user(command).map_err(CliError::Service)
        }
        Command::Screen(command) => {
            crate::service::commands::screen(command).map_err(CliError::Service)
        }
        Command::Source(command) => {
            crate::service::commands::source(command).map_err(CliError::Service)
        }
        Command::Tenant(command) => {
            crate::service::commands::tenant::tenant(command).map_err(CliError::Service)
        }
        Command::Group(command) => {
            crate::service::commands::group(command).map_err(CliError::Service)
        }
        Command::Proof(ProofCommand::Verify { bundle, key }) => {
            verify_proof(&bundle, key.as_deref())
        }
        Command::Audit(AuditCommand::Verify { export, key }) => verify_audit(&export, &key),
        Command::Audit(AuditCommand::Prune {
            data,
            keep_days,
            export,
            key,
        }) => crate::service::commands::audit_prune(&data, keep_days, &export, key.as_deref())
            .map_err(CliError::Service),
        Command::Key(command) => crate::service::commands::key(command).map_err(CliError::Service),
        Command::Export(args) => crate::service::commands::export(args).map_err(CliError::Service),
        Command::DemoSeed(args) => {
            crate::service::commands::demo_seed(args).map_err(CliError::Service)
        }
        Command::Loadgen(args) => crate::service::loadgen::run(args).map_err(CliError::Loadgen),
        Command::CacheWriter { dir, envelopes } => cache_writer(&dir, &envelopes),
        Command::PlaysWriter { dir } => plays_writer(&dir),
    }
}

fn cache_writer(dir: &Path, envelopes: &[PathBuf]) -> Result<(), CliError> {
    let io = |e: std::io::Error| CliError::Write(dir.display().to_string(), e);
    let cache = crate::feed::Cache::open(dir).map_err(io)?;
    let contents: Vec<Vec<u8>> = envelopes
        .iter()
        .map(|p| std::fs::read(p).map_err(|e| CliError::Write(p.display().to_string(), e)))
        .collect::<Result<_, _>>()?;
    if contents.is_empty() {
        return Err(CliError::Usage("cache-writer needs envelope files".into()));
    }
    for bytes in contents.iter().cycle() {
        cache.store(bytes).map_err(io)?;
    }
    Ok(())
}

fn plays_writer(dir: &Path) -> Result<(), CliError> {
    use crate::feed::plays::{PlayQueue, PlayRecord};
    let io = |e: std::io::Error| CliError::Write(dir.display().to_string(), e);
    let queue = PlayQueue::open(dir, 1_000_000).map_err(io)?;
    let start =
        Timestamp::parse_from_rfc3339("2026-11-27T10:00:00+08:00").expect("a fixed instant");
    for i in (queue.len() as i64).. {
        let at = start + chrono::TimeDelta::seconds(i);
        queue
            .push(PlayRecord::new("2026-0153", 1, at, 1.0, 1))
            .map_err(io)?;
    }
    Ok(())
}

/// `noticecast play`: the arguments as they are; `player::connect` checks and wires them.
fn play(fonts: Option<&Path>, args: PlayArgs) -> Result<(), CliError> {
    let source = match (args.feed, args.config) {
        (Some(feed), _) => crate::player::Source::Feed(feed),
        (None, Some(config)) => crate::player::Source::Config(config),
        (None, None) => unreachable!("clap requires --feed or --config"),
    };
    let player = crate::player::connect(crate::player::Setup {
        fonts: fonts.map(Path::to_path_buf),
        source,
        playlist: args.playlist,
        assets: args.assets,
        windowed: args.windowed,
        start_at: args.start_at,
        clock_speed: args.clock_speed,
        exit_after: args.exit_after,
        report: args.report,
        overlay: args.overlay,
        input_script: args.input_script,
        dump_targets: args.dump_targets,
        fault: args.fault,
    })?;
    Ok(player.run()?)
}

fn render(fonts: Option<&Path>, args: RenderArgs) -> Result<(), CliError> {
    let (feed, playlist) = crate::show::read(&args.feed, args.playlist.as_deref())?;
    // Input that reads well: the adapter, device and pipelines come up on their own thread
    // while it is laid out (the word dictionary alone takes a tenth of a second), so start to
    // PNG is the longer of the two, not their sum.
    let gpu = std::thread::spawn(Renderer::offscreen);
    let mut show = crate::show::lay_out(fonts, feed, playlist)?;
    let assets = args
        .assets
        .clone()
        .unwrap_or_else(|| crate::figures::beside(&args.feed));
    show.set_assets(Box::new(crate::figures::Folder(assets)));
    if let Some(output) = args.output {
        // The output as wired; a turned panel's picture is the other way round.
        let rotation = show.playlist().screen.rotation;
        show.set_output(crate::touch::transform::output_size(output, rotation));
        let playlist = show.playlist();
        tracing::info!(
            "laid out for {}x{}: body {} px",
            playlist.screen.width,
            playlist.screen.height,
            playlist.typography.body_px
        );
        if let Some(step) = crate::layout::templates::running_step(playlist) {
            tracing::info!("running text at {}", step.describe());
        }
    }
    let frame = match (&args.notice, args.at) {
        (Some(id), at) => {
            let page = args.page.unwrap_or(1) as usize - 1;
            // The header's date: the given instant, else the notice's own publication time.
            let now = match at {
                Some(t) => t,
                None => show
                    .feed()
                    .notice(id)
                    .map(|n| n.published_at)
                    .ok_or_else(|| ShowError::NoSuchNotice(id.clone()))?,
            };
            show.frame_of(id, page, now)?
        }
        (None, Some(t)) => {
            let (slot, frame) = show.frame_at(t);
            let what = match show.notice_of(&slot) {
                Some(n) => format!("notice {}", n.id),
                None => format!("{:?}", slot.showing),
            };
            tracing::info!("{t}: {what} from {} until {}", slot.start, slot.until);
            frame
        }
        (None, None) => unreachable!("clap requires --at or --notice"),
    };
    let started = std::time::Instant::now();
    let mut renderer = gpu
        .join()
        .map_err(|_| CliError::Usage("the renderer's setup stopped".into()))??;
    tracing::info!(
        "adapter: {} (ready in {:?})",
        renderer.gpu().adapter_name(),
        started.elapsed()
    );
    let started = std::time::Instant::now();
    let pixels = renderer.render(show.typesetter().fonts(), &frame)?;
    tracing::debug!("drawn and read back in {:?}", started.elapsed());
    let started = std::time::Instant::now();
    write_png(&args.out, &pixels)?;
    tracing::debug!("PNG written in {:?}", started.elapsed());
    if let Some(path) = &args.lines_json {
        let fonts = show.typesetter().fonts();
        let lines =
            frame.lines_json(|text, px, bold, bitmap| fonts.width_for(text, px, bold, bitmap));
        let json = serde_json::to_string_pretty(&lines).expect("JSON of strings");
        std::fs::write(path, json + "\n")
            .map_err(|e| CliError::Write(path.display().to_string(), e))?;
    }
    Ok(())
}

/// Every .json and .toml file under `path` (or `path` itself), sorted.
fn input_files(path: &Path, out: &mut Vec<PathBuf>) -> Result<(), Problems> {
    if path.is_dir() {
        let entries = std::fs::read_dir(path).map_err(|e| {
            Problems::one(crate::model::Problem::new(
                path.display().to_string(),
                "",
                crate::model::Reason::CannotReadFolder(e.to_string()),
            ))
        })?;
        let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        for p in paths {
            let ext = p.extension().and_then(|e| e.to_str()).unwrap_or("");
            if p.is_dir() || matches!(ext, "json" | "toml") {
                input_files(&p, out)?;
            }
        }
    } else {
        out.push(path.to_path_buf());
    }
    Ok(())
}

/// A problem as `check` says it: the English line, then the sentence the console shows staff.
fn say(p: &crate::model::Problem) {
    eprintln!("{p}\n    {}", p.reason.zh());
}

fn is_one_bit_led(p: &Playlist) -> bool {
    p.kind == crate::model::ScreenKind::Led && p.screen.bits == Some(1)
}

/// A warning for each hanzi a single-colour LED of the feed's group sets in its bitmap face,
/// which that face lacks (𡘙 in a name): naming the notice, the field and line, the character.
/// Drawn from an outline face and thresholded, such a character breaks into dots.
fn bitmap_warnings(fonts: &mut Fonts, name: &str, feed: &Feed, leds: &[&Playlist]) {
    let mut sizes: Vec<u32> = Vec::new();
    for p in leds {
        for px in [p.typography.title_px, p.typography.body_px] {
            if fonts.bitmap_family(px).is_some() && !sizes.contains(&(px as u32)) {
                sizes.push(px as u32);
            }
        }
    }
    for n in &feed.notices {
        let fields = [
            ("title", Some(n.title.as_str())),
            ("body", Some(n.body.as_str())),
            ("instruction", n.instruction.as_deref()),
            ("contact", n.contact.as_deref()),
        ];
        for (field, text) in fields {
            for (i, line) in text.unwrap_or("").split('\n').enumerate() {
                for &px in &sizes {
                    for ch in fonts.outside_bitmap(line, px as f32) {
                        let reason = crate::model::Reason::NotInBitmapFace { ch, px };
                        eprintln!(
                            "warning: {name}: notice {}: {field} line {}: {reason}\n    {}",
                            n.id,
                            i + 1,
                            reason.zh()
                        );
                    }
                }
            }
        }
    }
}

/// Half-width punctuation in a notice's Chinese text and foreign middle dots in names: warnings
/// (the notice is valid), each with its field, line and character, in English and in Chinese.
fn warn_punctuation(file: &str, notice: &crate::model::Notice) {
    for (field, text) in notice.drawn_text() {
        for found in crate::model::punctuation::find(text) {
            let reason = found.reason();
            eprintln!(
                "warning: {file}: notice {}: {field}: {reason}\n    {}",
                notice.id,
                reason.zh()
            );
        }
    }
}

fn check(fonts: Option<&Path>, paths: &[PathBuf]) -> Result<(), CliError> {
    let mut files = Vec::new();
    let mut bad = 0;
    for path in paths {
        if let Err(problems) = input_files(path, &mut files) {
            problems.list().iter().for_each(say);
            bad += 1;
        }
    }
    // Coverage warnings need the fonts; without them validation still runs.
    let mut fonts = Fonts::bundled(fonts).ok();
    // The single-colour LED strips checked alongside, for the characters their bitmap face
    // lacks.
    let leds: Vec<Playlist> = files
        .iter()
        .filter(|f| f.extension().is_some_and(|e| e == "toml"))
        .filter_map(|f| Playlist::from_file(f).ok())
        .filter(is_one_bit_led)
        .collect();
    for file in &files {
        let name = file.display().to_string();
        let result = match file.extension().and_then(|e| e.to_str()) {
            Some("json") => Feed::from_file(file).and_then(|feed| {
                // A character no bundled font has shows as 〓: a warning, except in a personnel
                // notice, where it would hide part of a person's name.
                let mut problems = Vec::new();
                if let Some(fonts) = fonts.as_mut() {
                    for (i, n) in feed.notices.iter().enumerate() {
                        let missing = fonts.missing_by_field(&n.drawn_text());
                        let mut chars: Vec<char> = Vec::new();
                        for c in missing.into_iter().flat_map(|(_, cs)| cs) {
                            if !chars.contains(&c) {
                                chars.push(c);
                            }
                        }
                        for c in chars {
                            let what = format!("no bundled font has {c} (U+{:04X})", c as u32);
                            if n.category == crate::model::Category::Personnel {
                                problems.push(crate::model::Problem::new(
                                    name.clone(),
                                    format!("notices[{i}]"),
                                    crate::model::Reason::MissingGlyph { ch: c },
                                ));
                            } else {
                                eprintln!("warning: {name}: notice {}: {what}", n.id);
                            }
                        }
                    }
                }
                // A strip of another group plays other feeds: said, not silently passed over.
                for p in leds.iter().filter(|p| p.group != feed.group) {
                    eprintln!(
                        "note: {name}: the single-colour LED playlist of group {} is not checked \
                         against this feed of group {}",
                        p.group, feed.group
                    );
                }
                if let Some(fonts) = fonts.as_mut() {
                    let embedded = feed.playlist.iter().filter(|p| is_one_bit_led(p));
                    let leds: Vec<&Playlist> = leds
                        .iter()
                        .filter(|p| p.group == feed.group)
                        .chain(embedded)
                        .collect();
                    bitmap_warnings(fonts, &name, &feed, &leds);
                }
                Problems::check(problems)?;
                feed.notices.iter().for_each(|n| warn_punctuation(&name, n));
                Ok(format!(
                    "feed of group {}, sequence {}, {} notices",
                    feed.group,
                    feed.sequence,
                    feed.notices.len()
                ))
            }),
            Some("toml") => Playlist::from_file(file).map(|p| {
                let mut summary = format!("playlist of group {} ({})", p.group, p.kind.as_str());
                if let Some(step) = crate::layout::templates::running_step(&p) {
                    // The configured speed, rounded to what the refresh allows.
                    summary += &format!("; running text at {}", step.describe());
                }
                summary
            }),
            _ => Err(Problems::one(crate::model::Problem::new(
                name.clone(),
                "",
                crate::model::Reason::NotFeedOrPlaylist,
            ))),
        };
        match result {
            Ok(summary) => println!("{name}: ok: {summary}"),
            Err(problems) => {
                problems.list().iter().for_each(say);
                bad += 1;
            }
        }
    }
    if bad > 0 {
        Err(CliError::Invalid(bad))
    } else {
        Ok(())
    }
}
