//! `noticecast bench`: the figures in docs/PERFORMANCE.md, measured by the release binary itself
//! so the same command runs on the GPU machine, where there is no cargo.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use clap::Args;

use crate::layout::{FontError, Fonts, Typesetter};
use crate::model::{Notice, Timestamp};
use crate::render::{RenderError, Renderer};
use crate::show::{LoadError, ShowError, load as load_show};

#[derive(Debug, Args)]
pub struct BenchArgs {
    #[arg(long, default_value = "deploy/demo/feed.json")]
    pub feed: PathBuf,
    /// A TV playlist: the frame and layout figures are for a TV page.
    #[arg(long, default_value = "playlists/plaza-tv.toml")]
    pub playlist: PathBuf,
    /// A touch terminal's playlist: the touch figures are for its screens.
    #[arg(long, default_value = "playlists/village-terminal.toml")]
    pub terminal_playlist: PathBuf,
    /// Repetitions of each measurement.
    #[arg(long, default_value_t = 21)]
    pub runs: usize,
}

/// Why a benchmark could not run to the end.
#[derive(Debug, thiserror::Error)]
pub enum BenchError {
    #[error(transparent)]
    Load(#[from] LoadError),
    #[error(transparent)]
    Font(#[from] FontError),
    #[error(transparent)]
    Render(#[from] RenderError),
    #[error(transparent)]
    Show(#[from] ShowError),
    #[error("the bench feed has no notices")]
    NoNotices,
    #[error("no current notice in the bench feed")]
    NoCurrentNotice,
    #[error("cannot find own binary: {0}")]
    OwnBinary(std::io::Error),
    #[error("cannot run {0}: {1}")]
    Spawn(String, std::io::Error),
    #[error("render exited with {0}")]
    RenderFailed(std::process::ExitStatus),
    #[error("{0}: no [touch] section")]
    NoTouch(String),
    #[error("no touch frame")]
    NoTouchFrame,
    #[error("{0}")]
    Playlist(String),
}

/// Median, 10th and 90th percentile of `samples`.
fn summary(mut samples: Vec<Duration>) -> String {
    samples.sort();
    let at =
        |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize].as_secs_f64() * 1000.0;
    format!(
        "median {:8.2} ms   p10 {:8.2}   p90 {:8.2}   (n={})",
        at(0.5),
        at(0.1),
        at(0.9),
        samples.len()
    )
}

fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> Vec<Duration> {
    (0..runs)
        .map(|_| {
            let start = Instant::now();
            std::hint::black_box(f());
            start.elapsed()
        })
        .collect()
}

/// A notice of exactly `chars` characters, made of the demo's longest body.
fn long_notice(template: &Notice, chars: usize) -> Notice {
    let source: Vec<char> = template.body.chars().collect();
    let body: String = source.iter().cycle().take(chars).collect();
    Notice {
        id: "bench-10k".into(),
        body,
        ..template.clone()
    }
}

/// A 拟录用 list of `rows` rows and six columns, as pasted from Word (issue 27).
fn table_notice(template: &Notice, rows: usize) -> Notice {
    let people = [
        ("张三", "男", "1998.05", "本科", "云南大学", "综合管理岗"),
        (
            "李四",
            "女",
            "1999.11",
            "硕士研究生",
            "昆明理工大学",
            "财务岗",
        ),
        (
            "王五",
            "男",
            "1997.02",
            "本科",
            "云南师范大学",
            "乡村振兴工作岗",
        ),
    ];
    let mut body =
        String::from("拟录用以下人员：\n\n姓名\t性别\t出生年月\t学历\t毕业院校\t拟录用职位\n");
    for r in 0..rows {
        let p = people[r % people.len()];
        let name = format!("{}{}", p.0, r + 1);
        body.push_str(&[name.as_str(), p.1, p.2, p.3, p.4, p.5].join("\t"));
        body.push('\n');
    }
    Notice {
        id: "bench-table".into(),
        body,
        ..template.clone()
    }
}

pub fn run(fonts: Option<&Path>, args: BenchArgs) -> Result<(), BenchError> {
    let runs = args.runs.max(3);
    let font_dir = fonts;
    let mut show = load_show(fonts, &args.feed, Some(&args.playlist))?;
    let playlist = show.playlist().clone();
    let longest = show
        .feed()
        .notices
        .iter()
        .max_by_key(|n| n.body.chars().count())
        .cloned()
        .ok_or(BenchError::NoNotices)?;
    let notice = long_notice(&longest, 10_000);

    // Issue 28: titles that break between words (jieba over the compiled dictionary) and
    // titles that fit, which are never segmented.
    let mut typesetter = Typesetter::new(Fonts::bundled(fonts)?);
    let demo = show.feed().notices.clone();
    let retitled = |title: &dyn Fn(&str) -> String| -> Vec<Notice> {
        demo.iter()
            .map(|n| Notice {
                title: title(&n.title),
                ..n.clone()
            })
            .collect()
    };
    let variants = [
        ("titles as they are", demo.clone()),
        (
            "titles cut to 8 characters (none breaks)",
            retitled(&|t| t.chars().take(8).collect()),
        ),
        (
            "titles doubled (every one breaks between words)",
            retitled(&|t| format!("{t}关于{t}")),
        ),
    ];
    for (what, notices) in &variants {
        let layout = time(runs, || {
            notices
                .iter()
                .map(|n| typesetter.paginate(&playlist, n).pages.len())
                .sum::<usize>()
        });
        println!(
            "layout of the {} demo notices, {what}: {}",
            notices.len(),
            summary(layout)
        );
    }
    let pages = typesetter.paginate(&playlist, &notice).pages.len();
    let layout = time(runs, || typesetter.paginate(&playlist, &notice));
    println!(
        "layout of a 10,000-character notice ({pages} TV pages): {}",
        summary(layout)
    );
    // Issue 27: a 2,000-row table, in columns on the TV and as cards on the terminal.
    let table = table_notice(&longest, 2_000);
    let pages = typesetter.paginate(&playlist, &table).pages.len();
    let layout = time(runs, || typesetter.paginate(&playlist, &table));
    println!(
        "layout of a 2,000-row table, 6 columns ({pages} TV pages): {}",
        summary(layout)
    );
    let terminal = crate::model::Playlist::from_file(&args.terminal_playlist)
        .map_err(|p| BenchError::Playlist(p.to_string()))?;
    let pages = typesetter.paginate(&terminal, &table).pages.len();
    let layout = time(runs, || typesetter.paginate(&terminal, &table));
    println!(
        "layout of the same table as cards ({pages} terminal pages): {}",
        summary(layout)
    );

    let at = Timestamp::parse_from_rfc3339("2026-11-27T10:00:00+08:00").expect("fixed instant");
    let id = longest.id.clone();
    let frame = show.frame_of(&id, 0, at)?;
    let start = Instant::now();
    let mut renderer = Renderer::offscreen()?;
    let setup = start.elapsed();
    println!("adapter: {}", renderer.gpu().adapter_name());
    println!(
        "renderer setup (adapter, device, pipelines): {:.1} ms",
        setup.as_secs_f64() * 1000.0
    );
    let fonts = show.typesetter().fonts();
    let first = Instant::now();
    renderer.render(fonts, &frame)?;
    println!(
        "first TV frame (cold atlas) drawn and read back: {:.1} ms",
        first.elapsed().as_secs_f64() * 1000.0
    );
    let frames = time(runs, || {
        renderer.render(fonts, &frame).map(|p| p.rgba.len())
    });
    println!(
        "one TV frame 1920x1080 drawn and read back: {}",
        summary(frames)
    );

    let exe = std::env::current_exe().map_err(BenchError::OwnBinary)?;
    let out = std::env::temp_dir().join(format!("noticecast-bench-{}.png", std::process::id()));
    let mut process = Vec::new();
    for _ in 0..runs {
        let start = Instant::now();
        let status = std::process::Command::new(&exe)
            .args(["render", "--feed"])
            .arg(&args.feed)
            .arg("--playlist")
            .arg(&args.playlist)
            .args(["--at", "2026-11-27T10:00:00+08:00", "--out"])
            .arg(&out)
            .status()
            .map_err(|e| BenchError::Spawn(exe.display().to_string(), e))?;
        process.push(start.elapsed());
        if !status.success() {
            return Err(BenchError::RenderFailed(status));
        }
    }
    let _ = std::fs::remove_file(&out);
    println!(
        "process start to PNG written (TV, 1920x1080): {}",
        summary(process)
    );
    touch(font_dir, &args, runs, &mut renderer, at)
}

/// The touch terminal: indexing a feed, and what a resident waits for between a tap and the
/// next screen (the session's step plus the frame's layout; then drawing it).
fn touch(
    fonts: Option<&Path>,
    args: &BenchArgs,
    runs: usize,
    renderer: &mut Renderer,
    at: Timestamp,
) -> Result<(), BenchError> {
    use crate::touch::Terminal;
    let mut show = load_show(fonts, &args.feed, Some(&args.terminal_playlist))?;
    let Some(touch) = show.playlist().touch.clone() else {
        return Err(BenchError::NoTouch(
            args.terminal_playlist.display().to_string(),
        ));
    };
    let dims = (show.playlist().screen.width, show.playlist().screen.height);
    let index = time(runs, || {
        let mut t = Terminal::new(&touch, dims);
        t.content_changed(&mut show, at);
    });
    println!(
        "touch: a feed indexed ({} notices laid out in both type sizes): {}",
        show.feed().notices.len(),
        summary(index)
    );
    let notice = show
        .feed()
        .notices
        .iter()
        .find(|n| n.is_valid_at(at))
        .cloned()
        .ok_or(BenchError::NoCurrentNotice)?;
    let category = format!("category:{}", notice.category.as_str());
    let open = format!("notice:{}", notice.id);
    let mut terminal = Terminal::new(&touch, dims);
    terminal.content_changed(&mut show, at);
    let now = Instant::now();
    terminal.tap(&mut show, None, now, at);
    let mut step = |name: &str| {
        let target = name.parse().ok();
        let start = Instant::now();
        terminal.tap(&mut show, target, now, at);
        let frame = terminal.frame(&mut show, now, at);
        (start.elapsed(), frame)
    };
    let (mut to_list, mut to_notice) = (Vec::new(), Vec::new());
    let mut last = None;
    for _ in 0..runs {
        to_list.push(step(&category).0);
        let (t, frame) = step(&open);
        to_notice.push(t);
        last = frame;
        step("button:home");
    }
    println!(
        "touch: tap on a category to its list composed: {}",
        summary(to_list)
    );
    println!(
        "touch: tap on a notice to its page composed: {}",
        summary(to_notice)
    );
    let frame = last.ok_or(BenchError::NoTouchFrame)?;
    let fonts = show.typesetter().fonts();
    let draws = time(runs, || {
        renderer.render(fonts, &frame).map(|p| p.rgba.len())
    });
    println!(
        "touch: one notice screen 1080x1920 drawn and read back: {}",
        summary(draws)
    );
    Ok(())
}
