//! PDF import: a one-page 公文 written object by object, its title and 落款 in a CJK font the
//! file does not embed (SimSun, as many office PDFs have it), a line in an embedded TrueType font
//! from fonts/, and one in a standard font. Without a fallback font the CJK text is blank on the
//! page image and a warning names the font; with fonts/NotoSansSC-Regular.ttf it is drawn.

#[path = "import_fixtures/mod.rs"]
mod fixtures;

use std::sync::Arc;

use chrono::NaiveDate;
use fixtures::{font_file, gongwen_pdf, gongwen_pdf_saying, pdf, stream};
use noticecast::import::{
    Format, ImportError, ImportWarning, Limit, Limits, Options, import, import_with,
};

/// Dark pixels in a rectangle of a PNG page.
fn ink(png_bytes: &[u8], x: std::ops::Range<u32>, y: std::ops::Range<u32>) -> usize {
    let decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let channels = info.color_type.samples();
    let mut count = 0;
    for row in y {
        for col in x.clone() {
            let at = (row * info.width + col) as usize * channels;
            if buf[at] < 128 {
                count += 1;
            }
        }
    }
    count
}

fn dimensions(png_bytes: &[u8]) -> (u32, u32) {
    let reader = png::Decoder::new(std::io::Cursor::new(png_bytes))
        .read_info()
        .unwrap();
    (reader.info().width, reader.info().height)
}

/// The title's box on a 1600-pixel-high A4 page (1 pt ≈ 1.9 px).
const TITLE_X: std::ops::Range<u32> = 419..711;
const TITLE_Y: std::ops::Range<u32> = 112..162;

#[test]
fn a_pdf_gives_its_text_its_fields_a_page_image_and_names_the_font_it_does_not_embed() {
    let draft = import("停水.pdf", Some("application/pdf"), &gongwen_pdf(1)).unwrap();
    assert_eq!(draft.format, Format::Pdf);
    assert_eq!(draft.title, "关于停水的通知");
    assert_eq!(draft.issuer, "某某水务公司");
    assert_eq!(draft.date, NaiveDate::from_ymd_opt(2026, 12, 1));
    assert_eq!(
        draft.body,
        "各位居民：\n\nWater supply stops on 1 December.\n\nStandard font text."
    );
    assert_eq!(draft.images.len(), 1);
    assert_eq!(draft.images[0].caption, "第 1 页");
    assert_eq!(draft.images[0].media_type, "image/png");
    let (w, h) = dimensions(&draft.images[0].bytes);
    assert_eq!((w, h.abs_diff(1600) <= 1), (1130, true));
    let warning = ImportWarning::FontsNotEmbedded {
        fonts: vec!["SimSun".into()],
        substituted: false,
    };
    assert_eq!(draft.warnings, vec![warning.clone()]);
    assert_eq!(
        warning.zh(),
        "PDF 未嵌入字体 SimSun，部分文字可能显示为空白；请用“嵌入字体”方式重新导出 PDF"
    );
    // The Latin line in the embedded font is drawn either way.
    assert!(ink(&draft.images[0].bytes, 230..500, 300..330) > 50);
}

#[test]
fn a_fallback_font_draws_the_cjk_a_pdf_does_not_embed() {
    let bare = import("停水.pdf", None, &gongwen_pdf(1)).unwrap();
    let options = Options {
        fallback_font: Some(Arc::new(font_file("NotoSansSC-Regular.ttf"))),
        ..Options::default()
    };
    let drawn = import_with(&options, "停水.pdf", None, &gongwen_pdf(1)).unwrap();
    let blank = ink(&bare.images[0].bytes, TITLE_X, TITLE_Y);
    let inked = ink(&drawn.images[0].bytes, TITLE_X, TITLE_Y);
    assert!(
        inked > 1000 && blank * 10 < inked,
        "title ink: {blank} without, {inked} with"
    );
    assert_eq!(
        drawn.warnings,
        vec![ImportWarning::FontsNotEmbedded {
            fonts: vec!["SimSun".into()],
            substituted: true
        }]
    );
    assert_eq!(drawn.title, bare.title);
}

#[test]
fn a_pdf_over_the_page_limit_is_refused_naming_both_numbers() {
    let options = Options {
        limits: Limits {
            pages: 2,
            ..Limits::default()
        },
        ..Options::default()
    };
    let err = import_with(&options, "a.pdf", None, &gongwen_pdf(3)).unwrap_err();
    assert_eq!(
        err,
        ImportError::TooLarge(Limit::Pages { pages: 3, max: 2 })
    );
    assert_eq!(err.zh(), "PDF 共 3 页，超过可导入的 2 页；请拆分后再导入");
    assert_eq!(
        import_with(&options, "a.pdf", None, &gongwen_pdf(2))
            .unwrap()
            .images
            .len(),
        2
    );
}

#[test]
fn a_password_protected_pdf_is_refused_as_encrypted() {
    let hex = "8F2C3A1B".repeat(8);
    let objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>".to_vec(),
        format!("<< /Filter /Standard /V 1 /R 2 /O <{hex}> /U <{hex}> /P -44 >>").into_bytes(),
    ];
    let file = pdf(
        &objects,
        &format!(
            "/Encrypt 4 0 R /ID [<{id}> <{id}>]",
            id = "0123456789ABCDEF".repeat(2)
        ),
    );
    let err = import("密.pdf", None, &file).unwrap_err();
    assert_eq!(
        err,
        ImportError::Encrypted {
            format: Format::Pdf
        }
    );
}

#[test]
fn a_scanned_pdf_without_text_has_an_empty_body_and_says_so() {
    let objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] /Contents 4 0 R >>".to_vec(),
        stream("", b"0 0 0 rg 10 10 50 50 re f"),
    ];
    let draft = import("扫描件.pdf", None, &pdf(&objects, "")).unwrap();
    assert_eq!((draft.title.as_str(), draft.body.as_str()), ("扫描件", ""));
    assert_eq!(
        draft.warnings,
        vec![
            ImportWarning::NoText,
            ImportWarning::TitleFromFileName,
            ImportWarning::NoIssuer
        ]
    );
    // A small page is enlarged at most four times: 800×400, not 1600×800.
    assert_eq!(dimensions(&draft.images[0].bytes), (800, 400));
    assert!(ink(&draft.images[0].bytes, 50..230, 170..350) > 30_000);
}

/// A page whose text holds a resident ID number is not imported as a picture (the clerk could
/// mask the text and still publish the number on the page image); the text's warning names it.
#[test]
fn a_page_with_an_id_number_is_not_imported_as_a_picture() {
    let file = gongwen_pdf_saying(2, "张三身份证号530402199003072317");
    let draft = import("名单.pdf", None, &file).unwrap();
    assert!(
        draft.images.is_empty(),
        "{} page images; body {:?}",
        draft.images.len(),
        draft.body
    );
    let skipped = draft
        .warnings
        .iter()
        .filter(|w| matches!(w, ImportWarning::ImageSkipped { .. }))
        .count();
    assert_eq!(skipped, 2, "{:?}", draft.warnings);
    assert!(
        draft
            .warnings
            .iter()
            .any(|w| matches!(w, ImportWarning::Personal { .. })),
        "{:?}",
        draft.warnings
    );
    // The same file masked keeps its pages.
    let masked = gongwen_pdf_saying(2, "张三身份证号5304**********2317");
    assert_eq!(import("名单.pdf", None, &masked).unwrap().images.len(), 2);
}
