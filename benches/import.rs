//! `cargo bench --bench import`: what a clerk waits for when importing (issue 27), medians of
//! repeated runs on this machine's CPU: a 40-page PDF rasterised page by page, a 2,000-row
//! Excel sheet, a Word 公文 with a table and a picture. The service runs the same `import` on a
//! blocking thread.

#[path = "../tests/import_fixtures/mod.rs"]
mod fixtures;

use std::time::{Duration, Instant};

use noticecast::import::{Options, import_with};

fn median(mut samples: Vec<Duration>) -> f64 {
    samples.sort();
    samples[samples.len() / 2].as_secs_f64() * 1000.0
}

fn time(name: &str, runs: usize, file: &str, bytes: &[u8], options: &Options) {
    let mut samples = Vec::new();
    let mut draft = None;
    for _ in 0..runs {
        let start = Instant::now();
        draft = Some(import_with(options, file, None, bytes).expect("the bench file imports"));
        samples.push(start.elapsed());
    }
    let draft = draft.expect("at least one run");
    let images: usize = draft.images.iter().map(|i| i.bytes.len()).sum();
    println!(
        "{name:38} median {:9.1} ms  (n={runs}; {} bytes in, {} images, {} KiB of images, \
         {} body chars)",
        median(samples),
        bytes.len(),
        draft.images.len(),
        images / 1024,
        draft.body.chars().count()
    );
}

fn xlsx(rows: usize) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let header = ["姓名", "性别", "出生年月", "学历", "毕业院校", "拟录用职位"];
    for (c, h) in header.iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    for r in 1..=rows as u32 {
        let cells = [
            format!("张三{r}"),
            "男".into(),
            "1998.05".into(),
            "本科".into(),
            "云南大学".into(),
            "综合管理岗".into(),
        ];
        for (c, v) in cells.iter().enumerate() {
            sheet.write_string(r, c as u16, v.as_str()).unwrap();
        }
    }
    book.save_to_buffer().unwrap()
}

fn main() {
    let runs: usize = std::env::var("RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(5);
    let options = Options {
        fallback_font: Some(std::sync::Arc::new(fixtures::font_file(
            "NotoSansSC-Regular.ttf",
        ))),
        ..Options::default()
    };
    let pdf = fixtures::gongwen_pdf(40);
    time(
        "a 40-page PDF (pages rasterised)",
        runs,
        "规划.pdf",
        &pdf,
        &options,
    );
    let sheet = xlsx(2_000);
    time(
        "a 2,000-row Excel sheet",
        runs,
        "名单.xlsx",
        &sheet,
        &options,
    );
    let rows: Vec<String> = (0..40)
        .map(|i| {
            let name = format!("张三{i}");
            fixtures::row(&[
                fixtures::cell("", &[&name]),
                fixtures::cell("", &["云南大学"]),
            ])
        })
        .collect();
    let body = format!(
        "{}<w:tbl>{}</w:tbl>{}",
        fixtures::para("", &[&fixtures::text("拟录用人员名单如下：")]),
        rows.concat(),
        fixtures::para("", &[&fixtures::drawing("rId9", "总平面图")])
    );
    let docx = fixtures::docx(&body, &[("rId9", "image1.png", fixtures::png(1200, 900))]);
    time(
        "a Word file, 40-row table, a picture",
        runs,
        "公示.docx",
        &docx,
        &options,
    );
}
