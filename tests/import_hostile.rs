//! Import of hostile files: truncated and garbled files of every format, zip bombs, deeply
//! nested XML, huge declared sizes. Each must end in an error or a draft, never a panic, and
//! never in memory the limits do not allow.

#[path = "import_fixtures/mod.rs"]
mod fixtures;

use std::panic::catch_unwind;

use fixtures::{cell, docx, ofd, ofd_text, para, pdf, png, row, stream, text, zip};
use noticecast::import::{Defect, Format, ImportError, ImportWarning, Limit, Limits, Options};
use noticecast::import::{import, import_with};

fn samples() -> Vec<(&'static str, Vec<u8>)> {
    let body = [
        para("", &[&text("标题")]),
        format!(
            "<w:tbl>{}</w:tbl>",
            row(&[cell("", &["甲"]), cell("", &["乙"])])
        ),
    ]
    .concat();
    let mut book = rust_xlsxwriter::Workbook::new();
    book.add_worksheet().write_string(0, 0, "名单").unwrap();
    let page = ofd_text(1, 28.0, 40.0, 5.6, "通知正文");
    let objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R \
           /Resources << /Font << /F1 5 0 R >> >> >>"
            .to_vec(),
        stream("", b"BT /F1 12 Tf 72 720 Td (Notice) Tj ET"),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_vec(),
    ];
    vec![
        ("a.docx", docx(&body, &[])),
        ("a.xlsx", book.save_to_buffer().unwrap()),
        ("a.ofd", ofd(&[page], &png(2, 2))),
        ("a.pdf", pdf(&objects, "")),
        ("a.csv", "甲,乙\n1,2\n".as_bytes().to_vec()),
    ]
}

/// The import, with a panic turned into a test failure that names the case.
fn run(name: &str, bytes: &[u8], case: &str) -> Result<noticecast::import::Draft, ImportError> {
    catch_unwind(|| import(name, None, bytes)).unwrap_or_else(|_| panic!("{case} panicked"))
}

#[test]
fn every_sample_reads_whole() {
    for (name, bytes) in samples() {
        assert!(
            run(name, &bytes, name).is_ok(),
            "{name}: {:?}",
            run(name, &bytes, name)
        );
    }
}

#[test]
fn truncated_files_are_errors_not_panics() {
    for (name, bytes) in samples() {
        for k in 1..16 {
            let cut = &bytes[..bytes.len() * k / 16];
            let result = run(name, cut, &format!("{name} cut at {}/16", k));
            // A zip's directory is at its end: a cut package never reads. A cut PDF may still
            // be reconstructed from its objects, and a cut CSV is a shorter CSV.
            if name.ends_with("x") || name.ends_with(".ofd") {
                assert!(result.is_err(), "{name} cut at {k}/16 was read: {result:?}");
            }
        }
    }
}

#[test]
fn garbled_files_are_errors_not_panics() {
    for (name, bytes) in samples() {
        let mut seed = 0x9E37_79B9_u32;
        for round in 0..24 {
            let mut garbled = bytes.clone();
            // Overwrite a few bytes past each format's signature.
            for _ in 0..(1 + round % 8) {
                seed ^= seed << 13;
                seed ^= seed >> 17;
                seed ^= seed << 5;
                let at = 8 + seed as usize % (garbled.len() - 8);
                garbled[at] = (seed >> 8) as u8;
            }
            let _ = run(name, &garbled, &format!("{name} garbled, round {round}"));
        }
        let noise: Vec<u8> = (0..4096u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect();
        let signed = [&bytes[..8], &noise[..]].concat();
        assert!(
            run(name, &signed, name).is_err() || name.ends_with(".csv"),
            "{name} noise read"
        );
    }
}

#[test]
fn a_zip_bomb_stops_at_the_unpacked_limit() {
    let limits = Limits {
        unpacked_bytes: 1 << 20,
        ..Limits::default()
    };
    let options = Options {
        limits: limits.clone(),
        ..Options::default()
    };
    let over = ImportError::TooLarge(Limit::Unpacked { max: 1 << 20 });
    // 4 MiB of whitespace inside a paragraph deflates to a few kilobytes.
    let padding = " ".repeat(4 << 20);
    let docx = docx(&para("", &[&text(&padding)]), &[]);
    assert!(docx.len() < 64 << 10);
    assert_eq!(
        import_with(&options, "a.docx", None, &docx),
        Err(over.clone())
    );

    let mut book = rust_xlsxwriter::Workbook::new();
    // Excel's cells hold at most 32 767 characters: 200 cells of 20 000.
    let sheet = book.add_worksheet();
    for r in 0..200 {
        sheet
            .write_string(r, 0, format!("{r}{}", "x".repeat(20_000)))
            .unwrap();
    }
    let sheet = book.save_to_buffer().unwrap();
    assert_eq!(
        import_with(&options, "a.xlsx", None, &sheet),
        Err(over.clone())
    );

    let ofd = ofd(&[format!("<!-- {padding} -->")], &png(2, 2));
    assert_eq!(
        import_with(&options, "a.ofd", None, &ofd),
        Err(over.clone())
    );
    assert_eq!(
        over.zh(),
        "文件解压后超过 1 MB，超出导入上限；请删去大图片或拆分文件后再导入"
    );
}

/// roxmltree's tokenizer recurses per level: a part nested 100 000 deep overflowed the stack
/// (an abort no `catch_unwind` stops) until parts were measured first.
#[test]
fn deeply_nested_xml_is_refused_before_the_parser_recurses() {
    let depth = 100_000;
    let nested = format!(
        "{}{}",
        "<w:sdt><w:sdtContent>".repeat(depth),
        "</w:sdtContent></w:sdt>".repeat(depth)
    );
    let body = [para("", &[&text("开头")]), nested].concat();
    let err = run("a.docx", &docx(&body, &[]), "deep docx").unwrap_err();
    let defect = Defect::TooDeep {
        part: "word/document.xml".into(),
        max: 256,
    };
    assert_eq!(
        err,
        ImportError::Damaged {
            format: Format::Docx,
            defect
        }
    );
    assert_eq!(
        err.zh(),
        "这个Word（.docx）文件已损坏或不完整，无法读取：word/document.xml 的层级嵌套超过 256 层。\
         请用原软件重新保存后再导入"
    );

    let deep = format!(
        "{}{}{}",
        "<ofd:PageBlock>".repeat(depth),
        ofd_text(1, 28.0, 40.0, 5.6, "深处"),
        "</ofd:PageBlock>".repeat(depth)
    );
    let err = run("a.ofd", &ofd(&[deep], &png(2, 2)), "deep ofd").unwrap_err();
    assert!(matches!(
        err,
        ImportError::Damaged {
            defect: Defect::TooDeep { .. },
            ..
        }
    ));

    // Nesting a real document has is read.
    let shallow = format!(
        "{}{}{}",
        "<ofd:PageBlock>".repeat(20),
        ofd_text(1, 28.0, 40.0, 5.6, "深处"),
        "</ofd:PageBlock>".repeat(20)
    );
    assert_eq!(
        run("a.ofd", &ofd(&[shallow], &png(2, 2)), "ofd")
            .unwrap()
            .body,
        "深处"
    );
}

#[test]
fn entity_expansion_is_refused() {
    let body =
        r#"<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>"#;
    let file = zip(&[(
        "word/document.xml",
        format!(
            concat!(
                r#"{body}<w:document "#,
                r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">"#,
                r#"<w:body><w:p><w:r><w:t>&b;</w:t></w:r></w:p></w:body></w:document>"#
            ),
            body = body
        )
        .as_bytes(),
    )]);
    match run("a.docx", &file, "DTD") {
        Err(ImportError::Damaged {
            format: Format::Docx,
            defect: Defect::BadXml { part, .. },
        }) => {
            assert_eq!(part, "word/document.xml")
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn huge_declared_sizes_are_refused_before_they_take_memory() {
    // A PNG that says it is 100 000 pixels square.
    let mut huge = png(1, 1);
    huge[16..24].copy_from_slice(&[0, 1, 0x86, 0xA0, 0, 1, 0x86, 0xA0]);
    let body = [
        para("", &[&text("图片")]),
        para("", &[&fixtures::drawing("rId2", "")]),
    ]
    .concat();
    let draft = run(
        "a.docx",
        &docx(&body, &[("rId2", "big.png", huge)]),
        "huge png",
    )
    .unwrap();
    assert!(draft.images.is_empty());
    assert!(draft.warnings.contains(&ImportWarning::ImageSkipped {
        name: "big.png".into(),
        why: "尺寸 100000×100000 像素超过 12000 像素的上限，请缩小后再添加".into(),
    }));

    // A sheet with a cell at XFD1048576: not a 17-billion-cell grid, an error.
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "甲").unwrap();
    sheet.write_string(1_048_575, 16_383, "乙").unwrap();
    let err = run("a.xlsx", &book.save_to_buffer().unwrap(), "far cell").unwrap_err();
    assert!(
        matches!(
            err,
            ImportError::TooLarge(Limit::Table {
                columns: 16_384,
                ..
            })
        ),
        "{err:?}"
    );
    // Far rows with nothing between are two rows.
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "甲").unwrap();
    sheet.write_string(0, 1, "乙").unwrap();
    sheet.write_string(1_048_575, 0, "丙").unwrap();
    let draft = run("a.xlsx", &book.save_to_buffer().unwrap(), "far row").unwrap();
    assert_eq!(draft.body, "甲\t乙\n丙\t");

    // A page a hundred thousand points long draws as nothing: with nothing else, no draft.
    let objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 1 100000] >>".to_vec(),
    ];
    let err = run("长.pdf", &pdf(&objects, ""), "long page").unwrap_err();
    assert_eq!(
        err,
        ImportError::Empty {
            format: Format::Pdf
        }
    );

    let wide = format!("{}\n", vec!["x"; 1000].join(","));
    let err = run("a.csv", wide.as_bytes(), "wide csv").unwrap_err();
    assert!(
        matches!(
            err,
            ImportError::TooLarge(Limit::Table { columns: 1000, .. })
        ),
        "{err:?}"
    );
}

/// A PDF whose page content is a deflate bomb, or whose image claims 100,000 x 100,000 pixels,
/// is refused before the rasteriser allocates by it (it would take the service's memory: an
/// abort that neither `catch_unwind` nor the time limit stops).
#[test]
fn a_pdf_deflate_bomb_or_giant_image_is_refused_before_it_is_parsed() {
    use std::io::Write;
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
    z.write_all(&vec![b' '; 8 << 20]).unwrap();
    let bomb = z.finish().unwrap();
    let page = |contents: Vec<u8>| {
        pdf(
            &[
                b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
                b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>".to_vec(),
                contents,
            ],
            "",
        )
    };
    let options = Options {
        limits: Limits {
            unpacked_bytes: 4 << 20,
            ..Limits::default()
        },
        ..Options::default()
    };
    let file = page(stream("/Filter /FlateDecode", &bomb));
    let err = import_with(&options, "bomb.pdf", None, &file).unwrap_err();
    assert_eq!(err, ImportError::TooLarge(Limit::Unpacked { max: 4 << 20 }));
    // Under the limit, the same kind of file reads.
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
    z.write_all(b"0 0 0 rg 10 10 50 50 re f").unwrap();
    let fine = page(stream("/Filter /FlateDecode", &z.finish().unwrap()));
    assert!(import_with(&options, "fine.pdf", None, &fine).is_ok());
    let giant = page(stream(
        "/Type /XObject /Subtype /Image /Width 100000 /Height 100000 /BitsPerComponent 8 \
         /ColorSpace /DeviceRGB",
        b"x",
    ));
    let err = import_with(&options, "giant.pdf", None, &giant).unwrap_err();
    assert!(
        matches!(
            err,
            ImportError::Damaged {
                format: Format::Pdf,
                ..
            }
        ),
        "{err:?}"
    );
}
