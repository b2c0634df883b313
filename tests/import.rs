//! Import of Word, Excel, CSV and OFD files into notice drafts: each fixture is built here as its
//! writer lays it out, and the draft's fields are compared exactly.

#[path = "import_fixtures/mod.rs"]
mod fixtures;

use chrono::NaiveDate;
use fixtures::{big, cell, docx, drawing, ofd, ofd_text, para, png, row, text};
use noticecast::import::{Field, Format, ImportError, ImportWarning, import};
use noticecast::model::personal::PersonalKind;

const CENTER: &str = r#"<w:jc w:val="center"/>"#;
const RIGHT: &str = r#"<w:jc w:val="right"/>"#;

/// A 公文 as Word writes it: 版头, 文号, a title on two lines, 主送机关, body with split runs, a
/// tab and a line break, a table with merged cells, a picture and its caption, a content
/// control, alternative content, a deleted revision, the 落款 and a 附注.
fn gongwen_docx() -> Vec<u8> {
    let table = format!(
        "<w:tbl><w:tblPr/>{}{}{}{}</w:tbl>",
        row(&[
            cell("", &["序号"]),
            cell("", &["时间"]),
            cell("", &["地点"])
        ]),
        row(&[
            cell("", &["1"]),
            cell(r#"<w:gridSpan w:val="2"/>"#, &["12月31日", "全天"]),
        ]),
        row(&[
            cell("", &["2"]),
            cell(r#"<w:vMerge w:val="restart"/>"#, &["1月1日"]),
            cell("", &["县政府\t值班室"]),
        ]),
        row(&[
            cell("", &["3"]),
            cell("<w:vMerge/>", &[]),
            cell("", &["应急局"])
        ]),
    );
    let body = [
        para(
            CENTER,
            &[&format!(
                r#"<w:rPr><w:b/><w:color w:val="FF0000"/><w:sz w:val="72"/></w:rPr>{}"#,
                text("某某县人民政府办公室文件")
            )],
        ),
        para(CENTER, &[&text("某政办〔2026〕12号")]),
        para(CENTER, &[&big("关于做好2027年元旦期间")]),
        para(CENTER, &[&big("安全工作的通知")]),
        para("", &[&text("各乡镇人民政府，县直各单位：")]),
        para(
            r#"<w:ind w:firstLineChars="200"/>"#,
            &[
                &text("现将"),
                &text("有关事项"),
                "<w:tab/>",
                &text("通知如下"),
                "<w:br/>",
                &text("联系电话：13812345678"),
            ],
        ),
        table,
        para(CENTER, &[&drawing("rId5", "值班示意")]),
        para(CENTER, &[&text("图1 值班安排")]),
        format!(
            "<w:sdt><w:sdtPr/><w:sdtContent>{}</w:sdtContent></w:sdt>",
            para("", &[&text("附件：值班表")])
        ),
        format!(
            "<w:p><mc:AlternateContent><mc:Choice Requires=\"wps\"><w:r>{}</w:r></mc:Choice>\
             <mc:Fallback><w:r>{}</w:r></mc:Fallback></mc:AlternateContent>\
             <w:del w:id=\"1\"><w:r><w:delText>删去的字</w:delText></w:r></w:del></w:p>",
            text("选择的内容"),
            text("备选的内容")
        ),
        para(RIGHT, &[&text("某某县人民政府办公室")]),
        para(RIGHT, &[&text("二〇二六年十二月一日")]),
        para("", &[&text("（此件公开发布）")]),
    ]
    .concat();
    docx(&body, &[("rId5", "image1.png", png(4, 3))])
}

#[test]
fn a_word_gongwen_gives_title_number_issuer_date_body_table_and_picture() {
    let draft = import("通知.docx", None, &gongwen_docx()).unwrap();
    assert_eq!(draft.format, Format::Docx);
    assert_eq!(draft.title, "关于做好2027年元旦期间安全工作的通知");
    assert_eq!(draft.doc_number.as_deref(), Some("某政办〔2026〕12号"));
    assert_eq!(draft.issuer, "某某县人民政府办公室");
    assert_eq!(draft.date, NaiveDate::from_ymd_opt(2026, 12, 1));
    assert_eq!(
        draft.body,
        "各乡镇人民政府，县直各单位：\n\n\
         现将有关事项 通知如下\n联系电话：13812345678\n\n\
         序号\t时间\t地点\n\
         1\t12月31日 全天\t\n\
         2\t1月1日\t县政府 值班室\n\
         3\t\t应急局\n\n\
         附件：值班表\n\n\
         选择的内容\n\n\
         （此件公开发布）"
    );
    assert_eq!(draft.images.len(), 1);
    assert_eq!(draft.images[0].media_type, "image/png");
    assert_eq!(draft.images[0].bytes, png(4, 3));
    assert_eq!(draft.images[0].caption, "图1 值班安排");
    assert_eq!(
        draft.warnings,
        vec![ImportWarning::Personal {
            kind: PersonalKind::Mobile,
            field: Field::Body,
            at: 34,
            masked: "1381***5678".into(),
        }]
    );
}

#[test]
fn a_title_style_is_the_title_and_alt_text_a_caption() {
    let body = [
        para(r#"<w:pStyle w:val="a3"/>"#, &[&text("停水通知")]),
        para("", &[&text("因管道维修，12月3日停水。")]),
        para("", &[&drawing("rId7", "停水范围图")]),
        para("", &[&text("某某水务公司")]),
        para("", &[&text("2026年12月1日")]),
    ]
    .concat();
    let draft = import(
        "a.docx",
        None,
        &docx(&body, &[("rId7", "p.png", png(2, 2))]),
    )
    .unwrap();
    assert_eq!(draft.title, "停水通知");
    assert_eq!(draft.body, "因管道维修，12月3日停水。");
    assert_eq!(draft.issuer, "某某水务公司");
    assert_eq!(draft.images[0].caption, "停水范围图");
    assert!(draft.warnings.is_empty(), "{:?}", draft.warnings);
}

#[test]
fn a_word_file_without_title_is_named_by_its_file_and_pictures_in_other_formats_are_named() {
    let emf = [
        vec![1u8, 0, 0, 0],
        vec![0; 36],
        b" EMF".to_vec(),
        vec![0; 20],
    ]
    .concat();
    let body = [
        para("", &[&text("正文一段。")]),
        para("", &[&drawing("rId3", "")]),
    ]
    .concat();
    let file = docx(&body, &[("rId3", "image2.emf", emf)]);
    let draft = import("C:\\公文\\元旦值班.docx", None, &file).unwrap();
    assert_eq!(draft.title, "元旦值班");
    assert!(draft.images.is_empty());
    let zh: Vec<String> = draft.warnings.iter().map(ImportWarning::zh).collect();
    assert_eq!(
        zh,
        vec![
            "图片 image2.emf 未导入：EMF 格式的图片屏幕无法显示，\
             请在原文件中把它另存为 PNG 或 JPEG",
            "文件中没有找到标题，已用文件名作标题，请修改",
            "没有找到落款中的发布单位，请填写",
        ]
    );
}

#[test]
fn legacy_word_and_unknown_types_are_refused_with_a_chinese_sentence() {
    let ole = [
        vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1],
        vec![0; 504],
    ]
    .concat();
    let err = import("旧通知.doc", None, &ole).unwrap_err();
    assert_eq!(err, ImportError::LegacyWord);
    assert_eq!(
        err.zh(),
        "这是旧版 Word/WPS 格式，请在 Word 或 WPS 中“另存为” .docx 后再导入"
    );
    assert_eq!(
        import("a.wps", None, b"anything").unwrap_err(),
        ImportError::LegacyWord
    );
    // A .doc renamed .docx is what it is.
    assert_eq!(
        import("a.docx", None, &ole).unwrap_err(),
        ImportError::LegacyWord
    );
    assert_eq!(
        import("表.xls", None, &ole).unwrap_err(),
        ImportError::LegacySheet
    );
    let err = import("演示.pptx", None, b"\x00\x01").unwrap_err();
    assert_eq!(
        err.zh(),
        "无法识别“演示.pptx”的文件类型。可以导入：Word（.docx）、Excel（.xlsx）、CSV（.csv）、\
         PDF（.pdf）、OFD（.ofd）"
    );
}

#[test]
fn an_office_encrypted_docx_is_refused_as_encrypted() {
    let name: Vec<u8> = "EncryptedPackage"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    let file = [
        vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1],
        vec![0; 200],
        name,
    ]
    .concat();
    let err = import("密.docx", None, &file).unwrap_err();
    assert_eq!(
        err,
        ImportError::Encrypted {
            format: Format::Docx
        }
    );
    assert_eq!(
        err.zh(),
        "这个Word（.docx）文件设置了打开密码（已加密），无法读取；请取消密码后再导入"
    );
}

fn workbook() -> Vec<u8> {
    use rust_xlsxwriter::{ExcelDateTime, Format as Cell, Workbook};
    let mut book = Workbook::new();
    book.add_worksheet().set_name("空白").unwrap();
    let sheet = book.add_worksheet();
    sheet.set_name("低保名单").unwrap();
    sheet
        .merge_range(0, 0, 0, 3, "2026年12月低保对象公示名单", &Cell::new())
        .unwrap();
    for (c, h) in ["姓名", "人数", "金额（元）", "起始日期"]
        .iter()
        .enumerate()
    {
        sheet.write_string(1, c as u16, *h).unwrap();
    }
    let date = Cell::new().set_num_format("yyyy-mm-dd");
    let rows = [
        ("张三", 3.0, 1200.0, (2026, 12, 1)),
        ("李四\n（户主）", 1.0, 1350.5, (2027, 1, 15)),
    ];
    for (r, (name, people, amount, (y, m, d))) in rows.into_iter().enumerate() {
        let r = r as u32 + 2;
        sheet.write_string(r, 0, name).unwrap();
        sheet.write_number(r, 1, people).unwrap();
        sheet.write_number(r, 2, amount).unwrap();
        let when = ExcelDateTime::from_ymd(y, m, d).unwrap();
        sheet
            .write_datetime_with_format(r, 3, &when, &date)
            .unwrap();
    }
    book.add_worksheet()
        .set_name("备注")
        .unwrap()
        .write_string(0, 0, "内部")
        .unwrap();
    book.save_to_buffer().unwrap()
}

#[test]
fn an_excel_sheet_is_a_table_with_its_merged_title_row_numbers_and_dates_as_shown() {
    let draft = import("名单.xlsx", None, &workbook()).unwrap();
    assert_eq!(draft.format, Format::Spreadsheet);
    assert_eq!(draft.title, "2026年12月低保对象公示名单");
    assert_eq!(
        draft.body,
        "姓名\t人数\t金额（元）\t起始日期\n\
         张三\t3\t1200\t2026-12-01\n\
         李四 （户主）\t1\t1350.5\t2027-01-15"
    );
    assert_eq!(
        draft.warnings,
        vec![
            ImportWarning::OtherSheets {
                used: "低保名单".into(),
                others: vec!["备注".into()]
            },
            ImportWarning::NoIssuer,
        ]
    );
}

#[test]
fn a_sheet_without_a_title_row_is_named_by_the_sheet_and_a_default_name_by_the_file() {
    use rust_xlsxwriter::Workbook;
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("临时救助").unwrap();
    sheet.write_string(2, 2, "姓名").unwrap();
    sheet.write_string(2, 3, "金额").unwrap();
    sheet.write_string(3, 2, "王五").unwrap();
    sheet.write_number(3, 3, 500.0).unwrap();
    let draft = import("x.xlsx", None, &book.save_to_buffer().unwrap()).unwrap();
    assert_eq!(
        (draft.title.as_str(), draft.body.as_str()),
        ("临时救助", "姓名\t金额\n王五\t500")
    );

    let mut book = Workbook::new();
    book.add_worksheet().write_string(0, 0, "只有一格").unwrap();
    let draft = import("公示表.xlsx", None, &book.save_to_buffer().unwrap()).unwrap();
    assert_eq!(
        (draft.title.as_str(), draft.body.as_str()),
        ("公示表", "只有一格")
    );
}

#[test]
fn a_csv_in_gbk_with_a_title_row_and_a_quoted_line_break() {
    let text = "2026年临时救助名单,,\r\n姓名,金额,备注\r\n张三,500,\"因病\n致困\"\r\n李四,800,\r\n";
    let (gbk, _, _) = encoding_rs::GBK.encode(text);
    let draft = import("名单.csv", Some("text/csv"), &gbk).unwrap();
    assert_eq!(draft.format, Format::Csv);
    assert_eq!(draft.title, "2026年临时救助名单");
    assert_eq!(
        draft.body,
        "姓名\t金额\t备注\n张三\t500\t因病 致困\n李四\t800\t"
    );

    let utf8 = [
        b"\xEF\xBB\xBF".as_slice(),
        "姓名,证件号\n赵六,530423198001012318\n".as_bytes(),
    ]
    .concat();
    let draft = import("b.csv", None, &utf8).unwrap();
    assert_eq!(draft.body, "姓名\t证件号\n赵六\t530423198001012318");
    assert!(draft.warnings.iter().any(|w| matches!(
        w,
        ImportWarning::Personal {
            kind: PersonalKind::IdNumber,
            field: Field::Body,
            ..
        }
    )));
}

/// An OFD as a 公文 writer lays out A4 (210 mm wide, margins 28 mm, 16 pt ≈ 5.6 mm type).
fn gongwen_ofd() -> Vec<u8> {
    let body = "经研究，定于2026年12月3日8时至18时停水，请各位居民提前储水。";
    let first: String = body.chars().take(26).collect();
    let second: String = body.chars().skip(26).collect();
    let page = [
        ofd_text(
            1,
            28.0 + (154.0 - 9.0 * 7.7) / 2.0,
            50.0,
            7.7,
            "某某镇人民政府公告",
        ),
        ofd_text(
            2,
            28.0 + (154.0 - 11.0 * 5.6) / 2.0,
            62.0,
            5.6,
            "某镇政〔2026〕3号",
        ),
        ofd_text(3, 28.0, 80.0, 5.6, "各位居民："),
        ofd_text(
            4,
            28.0 + 11.2,
            90.0,
            5.6,
            &first.chars().take(24).collect::<String>(),
        ),
        ofd_text(
            5,
            28.0,
            100.0,
            5.6,
            &first
                .chars()
                .skip(24)
                .chain(second.chars())
                .collect::<String>(),
        ),
        r#"<ofd:ImageObject ID="6" Boundary="60 110 90 60" ResourceID="9"/>"#.to_string(),
        ofd_text(7, 120.0, 190.0, 5.6, "某某镇人民政府"),
        ofd_text(8, 120.0, 200.0, 5.6, "2026年12月1日"),
        ofd_text(9, 100.0, 280.0, 4.0, "- 1 -"),
    ]
    .concat();
    ofd(&[page], &png(3, 3))
}

#[test]
fn an_ofd_gives_its_text_in_reading_order_its_image_and_a_layout_warning() {
    let draft = import("公告.ofd", Some("application/ofd"), &gongwen_ofd()).unwrap();
    assert_eq!(draft.format, Format::Ofd);
    assert_eq!(draft.title, "某某镇人民政府公告");
    assert_eq!(draft.doc_number.as_deref(), Some("某镇政〔2026〕3号"));
    assert_eq!(draft.issuer, "某某镇人民政府");
    assert_eq!(draft.date, NaiveDate::from_ymd_opt(2026, 12, 1));
    assert_eq!(
        draft.body,
        "各位居民：\n\n经研究，定于2026年12月3日8时至18时停水，请各位居民提前储水。"
    );
    assert_eq!(draft.images.len(), 1);
    assert_eq!(draft.images[0].bytes, png(3, 3));
    assert_eq!(draft.warnings, vec![ImportWarning::LayoutNotKept]);
    assert_eq!(
        draft.warnings[0].zh(),
        "OFD 文件只导入了文字和图片，没有保留原版面；请对照原件检查正文"
    );
}

#[test]
fn the_first_bytes_decide_over_the_name() {
    // A Word file saved with a .bin name, an OFD with none.
    assert_eq!(
        import("upload.bin", None, &gongwen_docx()).unwrap().format,
        Format::Docx
    );
    assert_eq!(
        import("upload", None, &gongwen_ofd()).unwrap().format,
        Format::Ofd
    );
}

/// Import is pure: bytes in, a draft out. Its files name no network, database, runtime or file
/// system (tests/module_graph.rs keeps the crate's other directions).
#[test]
fn the_import_module_names_no_io() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/import");
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        for word in [
            "axum",
            "rusqlite",
            "tokio",
            "reqwest",
            "std::fs",
            "std::net",
            "crate::service",
        ] {
            assert!(!text.contains(word), "{} names {word}", path.display());
        }
    }
}

/// A .docx written on Word's own template (tests/fixtures/import/make_docx.py, python-docx):
/// Word's full styles, theme and settings parts, a merged cell as python-docx merges it.
#[test]
fn a_docx_on_words_own_template_reads_the_same_way() {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import/gongwen.docx");
    let draft = import("公示.docx", None, &std::fs::read(path).unwrap()).unwrap();
    assert_eq!(draft.title, "关于2027年春耕补贴发放的公示");
    assert_eq!(draft.doc_number.as_deref(), Some("某农发〔2026〕8号"));
    assert_eq!(draft.issuer, "某某乡农业农村办公室");
    assert_eq!(draft.date, NaiveDate::from_ymd_opt(2026, 12, 3));
    assert_eq!(
        draft.body,
        "各村民委员会：\n\n\
         根据县农业农村局安排，现将春耕补贴发放名单公示如下，公示期7天。\n\n\
         一、发放名单\n\n\
         村组\t户数\t金额（元）\n一组\t12\t3600\n二组\t9\t2700\n合计\t\t6300\n\n\
         监督电话：0871-6123456"
    );
    assert_eq!(draft.images.len(), 1);
    assert_eq!(draft.images[0].caption, "图1 补贴发放流程");
    assert!(draft.warnings.is_empty(), "{:?}", draft.warnings);
}
