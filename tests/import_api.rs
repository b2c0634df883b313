//! Import over HTTP (`POST /api/imports`) and in the console (导入文件 on 写公告): a file becomes
//! a draft for the notice form, its images kept as assets, never a notice until an editor
//! saves it; the draft then goes the usual way through review to the screens' feed.

mod common;
#[path = "import_fixtures/mod.rs"]
mod fixtures;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use common::service::{Harness, Reply, Staff, run};
use fixtures::{big, cell, docx, drawing, para, pdf, png, row, stream, text, ucs2};
use noticecast::import::ImportError;
use noticecast::service::domain::accounts::Role;
use noticecast::service::domain::audit;
use serde_json::{Value, json};

const T0: &str = "2026-11-27T09:00:00+08:00";
const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const CENTER: &str = r#"<w:jc w:val="center"/>"#;
const RIGHT: &str = r#"<w:jc w:val="right"/>"#;

fn office() -> Harness {
    let h = Harness::new(T0);
    h.add_user("王芳", Role::Editor);
    h.add_user("李审核", Role::Reviewer);
    h
}

/// A 公文 as Word writes it: 文号, title, 主送机关, a paragraph (and `extra`), a table, a
/// picture with its caption, and the 落款.
fn notice_docx(extra: &str) -> Vec<u8> {
    let table = format!(
        "<w:tbl><w:tblPr/>{}{}{}</w:tbl>",
        row(&[
            cell("", &["序号"]),
            cell("", &["村"]),
            cell("", &["停水时间"])
        ]),
        row(&[
            cell("", &["1"]),
            cell("", &["东岭村"]),
            cell("", &["8:00-12:00"])
        ]),
        row(&[
            cell("", &["2"]),
            cell("", &["西岭村"]),
            cell("", &["13:00-17:00"])
        ]),
    );
    let body = [
        para(CENTER, &[&text("某政办〔2026〕7号")]),
        para(CENTER, &[&big("关于东岭片区临时停水的通知")]),
        para("", &[&text("各村（居）民委员会：")]),
        para(
            "",
            &[&text(&format!("因管网改造，以下村临时停水。{extra}"))],
        ),
        table,
        para(CENTER, &[&drawing("rId5", "停水范围示意")]),
        para(CENTER, &[&text("图1 停水范围")]),
        para(RIGHT, &[&text("某某县人民政府办公室")]),
        para(RIGHT, &[&text("二〇二六年十一月二十六日")]),
    ]
    .concat();
    docx(&body, &[("rId5", "image1.png", png(40, 30))])
}

const NOTICE_BODY: &str = "各村（居）民委员会：\n\n\
    因管网改造，以下村临时停水。\n\n\
    序号\t村\t停水时间\n\
    1\t东岭村\t8:00-12:00\n\
    2\t西岭村\t13:00-17:00";

/// `file_name` as `filename*` (RFC 5987), with an ASCII stand-in as `filename`.
fn disposition(file_name: &str) -> String {
    let encoded: String = file_name
        .bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'.' | b'-' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect();
    format!("attachment; filename=\"upload.bin\"; filename*=UTF-8''{encoded}")
}

async fn import(
    h: &Harness,
    staff: Option<&Staff>,
    file_name: &str,
    media_type: &str,
    bytes: Vec<u8>,
) -> Reply {
    let mut request = Request::builder()
        .method(Method::POST)
        .uri("/api/imports")
        .header(header::CONTENT_TYPE, media_type)
        .header(header::CONTENT_DISPOSITION, disposition(file_name));
    if let Some(staff) = staff {
        request = request
            .header(header::COOKIE, &staff.cookie)
            .header("x-csrf-token", &staff.csrf);
    }
    h.send(request.body(Body::from(bytes)).unwrap()).await
}

/// The first problem's field and Chinese reason.
fn refusal(r: &Reply) -> (String, String) {
    let p = &r.json()["problems"][0];
    (
        p["field"].as_str().unwrap_or_default().to_string(),
        p["reason_zh"].as_str().unwrap_or_default().to_string(),
    )
}

fn kinds(draft: &Value) -> Vec<String> {
    draft["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["kind"].as_str().unwrap().to_string())
        .collect()
}

fn imports_audited(h: &Harness) -> Vec<audit::AuditEntry> {
    let all = h
        .service
        .read(|conn, _| audit::list(conn, None, 500))
        .unwrap();
    all.into_iter()
        .filter(|e| e.action == audit::Action::DocumentImport.as_str())
        .collect()
}

#[test]
fn a_docx_becomes_a_draft_whose_figure_is_kept_and_which_reaches_the_feed_once_approved() {
    let h = office();
    run(async {
        let editor = h.login("王芳").await;
        let reviewer = h.login("李审核").await;
        let r = import(&h, Some(&editor), "停水通知.docx", DOCX, notice_docx("")).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let draft = r.json();
        assert_eq!(draft["format"], "docx");
        assert_eq!(draft["title"], "关于东岭片区临时停水的通知");
        assert_eq!(draft["doc_number"], "某政办〔2026〕7号");
        assert_eq!(draft["issuer"], "某某县人民政府办公室");
        assert_eq!(draft["date"], "2026-11-26");
        assert_eq!(draft["body"], NOTICE_BODY);
        assert_eq!(draft["warnings"], json!([]), "{draft}");
        let figures = draft["figures"].as_array().unwrap();
        assert_eq!(figures.len(), 1);
        assert_eq!(figures[0]["caption"], "图1 停水范围");
        assert_eq!(figures[0]["alt"], "图1 停水范围");
        let sha = figures[0]["asset"].as_str().unwrap().to_string();

        // The image is kept as an upload would be, and served by its hash: to staff, as no feed
        // lists it yet (a draft's image is nobody else's).
        let public = h
            .request(Method::GET, &format!("/assets/{sha}"), None, None, None)
            .await;
        assert_eq!(public.status, StatusCode::NOT_FOUND);
        let served = h
            .request(
                Method::GET,
                &format!("/assets/{sha}"),
                Some(&editor),
                None,
                None,
            )
            .await;
        assert_eq!(served.status, StatusCode::OK);
        assert_eq!(noticecast::feed::assets::sha256_hex(&served.body), sha);
        let decoded = image::load_from_memory(&served.body).unwrap();
        assert_eq!((decoded.width(), decoded.height()), (40, 30));

        // A draft, not a notice: nothing was written but the image and the audit entry.
        let list = h.get("/api/notices", &editor).await.json();
        assert_eq!(list.as_array().map(Vec::len), Some(0), "{list}");
        let audited = imports_audited(&h);
        assert_eq!(audited.len(), 1);
        assert_eq!(audited[0].actor, "王芳");
        assert_eq!(audited[0].subject, "file 停水通知.docx");
        assert!(audited[0].detail.starts_with("docx, "), "{:?}", audited[0]);

        // Saved, submitted and approved as any notice, it reaches the feed with its figure.
        let notice = json!({
            "title": draft["title"],
            "body": draft["body"],
            "category": "public_affairs",
            "priority": "normal",
            "issuer": draft["issuer"],
            "doc_number": draft["doc_number"],
            "valid_from": T0,
            "groups": ["plaza-tv"],
            "figures": draft["figures"],
        });
        let id = h.publish(&editor, &reviewer, notice).await;
        let (_, _, doc) = h.feed("plaza-tv").await;
        let on_screen = doc
            .notices
            .iter()
            .find(|n| n.id == id)
            .expect("in the feed");
        assert_eq!(on_screen.body, NOTICE_BODY, "the table's tabs are kept");
        assert_eq!(on_screen.figures.len(), 1);
        assert_eq!(on_screen.figures[0].asset, sha);
        assert_eq!(
            on_screen.figures[0].caption.as_deref(),
            Some("图1 停水范围")
        );
        assert!(
            doc.assets.iter().any(|a| a.sha256 == sha),
            "the asset is listed"
        );
    });
}

#[test]
fn an_xlsx_becomes_a_table_body_and_a_csv_is_named_by_its_file() {
    use rust_xlsxwriter::Workbook;
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("临时救助").unwrap();
    sheet
        .merge_range(0, 0, 0, 2, "2026年11月临时救助公示", &Default::default())
        .unwrap();
    for (r, cells) in [["姓名", "人数", "金额（元）"], ["张三", "3", "800"]]
        .iter()
        .enumerate()
    {
        for (c, value) in cells.iter().enumerate() {
            sheet.write_string(r as u32 + 1, c as u16, *value).unwrap();
        }
    }
    let xlsx = book.save_to_buffer().unwrap();
    let h = office();
    run(async {
        let editor = h.login("王芳").await;
        let r = import(&h, Some(&editor), "救助.xlsx", XLSX, xlsx).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let draft = r.json();
        assert_eq!(draft["format"], "xlsx");
        assert_eq!(draft["title"], "2026年11月临时救助公示");
        assert_eq!(draft["body"], "姓名\t人数\t金额（元）\n张三\t3\t800");
        assert_eq!(draft["figures"], json!([]));
        assert_eq!(kinds(&draft), ["no_issuer"]);
        assert_eq!(
            draft["warnings"][0]["message"],
            "没有找到落款中的发布单位，请填写"
        );

        // Sent as application/octet-stream: the name decides; without a title row, the
        // Chinese name from filename* is the title.
        let csv = "姓名,金额\n李四,500\n".as_bytes().to_vec();
        let r = import(
            &h,
            Some(&editor),
            "救助名单.csv",
            "application/octet-stream",
            csv,
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let draft = r.json();
        assert_eq!(draft["format"], "csv");
        assert_eq!(draft["title"], "救助名单");
        assert_eq!(draft["body"], "姓名\t金额\n李四\t500");
        assert!(
            kinds(&draft).contains(&"title_from_file_name".to_string()),
            "{draft}"
        );
    });
}

/// A one-page PDF whose Chinese text is in SimSun, which it does not embed.
fn unembedded_pdf() -> Vec<u8> {
    let content = format!(
        "BT /F1 22 Tf 220 760 Td {} Tj ET\n\
         BT /F1 16 Tf 90 700 Td {} Tj ET\n\
         BT /F1 16 Tf 380 560 Td {} Tj ET\n\
         BT /F1 16 Tf 380 532 Td {} Tj ET\n",
        ucs2("关于停电的通知"),
        ucs2("各位居民：明日检修线路。"),
        ucs2("某某供电所"),
        ucs2("2026年11月26日"),
    );
    pdf(
        &[
            b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R \
               /Resources << /Font << /F1 5 0 R >> >> >>"
                .to_vec(),
            stream("", content.as_bytes()),
            b"<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /UniGB-UCS2-H \
               /DescendantFonts [6 0 R] >>"
                .to_vec(),
            b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /SimSun /DW 1000 \
               /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 5 >> \
               /FontDescriptor 7 0 R >>"
                .to_vec(),
            b"<< /Type /FontDescriptor /FontName /SimSun /Flags 6 /FontBBox [0 -141 1000 859] \
               /ItalicAngle 0 /Ascent 859 /Descent -141 /CapHeight 700 /StemV 80 >>"
                .to_vec(),
        ],
        "",
    )
}

#[test]
fn a_pdf_becomes_page_figures_and_a_warning_for_its_unembedded_font() {
    let h = office();
    run(async {
        let editor = h.login("王芳").await;
        let r = import(
            &h,
            Some(&editor),
            "停电.pdf",
            "application/pdf",
            unembedded_pdf(),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let draft = r.json();
        assert_eq!(draft["format"], "pdf");
        assert_eq!(draft["title"], "关于停电的通知");
        assert_eq!(draft["issuer"], "某某供电所");
        assert_eq!(draft["date"], "2026-11-26");
        let figures = draft["figures"].as_array().unwrap();
        assert_eq!(figures.len(), 1, "one figure a page");
        assert_eq!(figures[0]["caption"], "第 1 页");
        assert_eq!(kinds(&draft), ["fonts_not_embedded"]);
        // The service passes its bundled font, so the page image shows the text.
        let message = draft["warnings"][0]["message"].as_str().unwrap();
        assert!(
            message.starts_with("PDF 未嵌入字体 SimSun，页面图片中这些文字已用替代字体显示"),
            "{message}"
        );
        let sha = figures[0]["asset"].as_str().unwrap();
        let page = h
            .request(
                Method::GET,
                &format!("/assets/{sha}"),
                Some(&editor),
                None,
                None,
            )
            .await;
        assert_eq!(page.status, StatusCode::OK);
        assert_eq!(page.headers[header::CONTENT_TYPE], "image/png");
        let page = image::load_from_memory(&page.body).unwrap().to_luma8();
        assert!(page.height().abs_diff(1600) <= 1, "{}", page.height());
        let ink = page.pixels().filter(|p| p.0[0] < 128).count();
        assert!(ink > 500, "the Chinese text is drawn: {ink} dark pixels");
    });
}

#[test]
fn a_file_that_takes_longer_than_the_time_limit_is_refused_and_nothing_is_kept() {
    let h = Harness::with_options(
        T0,
        noticecast::service::Options {
            import_time_limit: Some(std::time::Duration::from_millis(1)),
            ..Default::default()
        },
    );
    h.add_user("王芳", Role::Editor);
    run(async {
        let editor = h.login("王芳").await;
        // Rasterising a page takes far longer than a millisecond.
        let r = import(
            &h,
            Some(&editor),
            "停电.pdf",
            "application/pdf",
            unembedded_pdf(),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
        let (field, why) = refusal(&r);
        assert_eq!(field, "file");
        assert!(
            why.starts_with("读取文件超过 0 秒仍未完成；请拆分文件"),
            "{why}"
        );
        assert!(imports_audited(&h).is_empty());
    });
}

#[test]
fn refused_files_are_told_in_chinese_and_nothing_is_kept() {
    let h = office();
    run(async {
        let editor = h.login("王芳").await;
        let ole = [
            vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1],
            vec![0; 504],
        ]
        .concat();
        let r = import(&h, Some(&editor), "旧通知.doc", "application/msword", ole).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
        assert_eq!(
            refusal(&r),
            ("file".to_string(), ImportError::LegacyWord.zh())
        );
        assert!(refusal(&r).1.contains("另存为” .docx"));
        assert!(
            r.json()["problems"][0]["reason"]
                .as_str()
                .unwrap()
                .contains("save it as .docx")
        );

        let r = import(&h, Some(&editor), "照片.png", "image/png", png(4, 4)).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            refusal(&r).1.starts_with("无法识别“照片.png”的文件类型"),
            "{}",
            r.text()
        );

        let r = import(
            &h,
            Some(&editor),
            "坏.docx",
            DOCX,
            b"PK\x03\x04 broken".to_vec(),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refusal(&r).1.contains("已损坏"), "{}", r.text());
        assert!(imports_audited(&h).is_empty(), "refusals keep nothing");
    });
}

#[test]
fn only_editors_import_and_not_over_50_mib() {
    let h = office();
    run(async {
        let editor = h.login("王芳").await;
        let reviewer = h.login("李审核").await;
        let r = import(&h, Some(&reviewer), "a.docx", DOCX, notice_docx("")).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
        let r = import(&h, None, "a.docx", DOCX, notice_docx("")).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        let forged = Staff {
            csrf: "forged".into(),
            ..editor.clone()
        };
        let r = import(&h, Some(&forged), "a.docx", DOCX, notice_docx("")).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        assert!(imports_audited(&h).is_empty());
        let huge = vec![b'a'; 50 * 1024 * 1024 + 1];
        let r = import(&h, Some(&editor), "a.csv", "text/csv", huge).await;
        assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);

        // Described for integrators, with the draft's schema.
        let doc = h
            .request(Method::GET, "/api/openapi.json", None, None, None)
            .await
            .json();
        let post = &doc["paths"]["/api/imports"]["post"];
        assert!(post["responses"]["200"].is_object(), "{post}");
        let draft = &doc["components"]["schemas"]["ImportedDraft"]["properties"];
        for field in [
            "title",
            "body",
            "issuer",
            "doc_number",
            "date",
            "figures",
            "warnings",
        ] {
            assert!(draft[field].is_object(), "{field}: {draft}");
        }
    });
}

#[test]
fn a_personal_number_in_the_body_is_a_warning_with_its_place() {
    let h = office();
    run(async {
        let editor = h.login("王芳").await;
        let docx = notice_docx("联系人身份证号530402199003072317。");
        let r = import(&h, Some(&editor), "通知.docx", DOCX, docx).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let warnings = r.json()["warnings"].clone();
        assert_eq!(
            warnings,
            json!([{
                "kind": "personal",
                "number": "id_number",
                "field": "body",
                "at": 34,
                "masked": "5304**********2317",
                "message": "正文第 34 个字起有身份证号码 5304**********2317；\
                    公开前请删除或改为遮盖后的写法",
            }])
        );
    });
}

#[test]
fn the_console_fills_the_notice_form_from_a_file_and_saves_only_when_asked() {
    let h = office();
    run(async {
        let session = h.console_login("王芳").await;
        let new = h
            .console_get(&session.0, "/console/notices/new")
            .await
            .text();
        assert!(new.contains("action=\"/console/notices/import\""), "{new}");
        assert!(new.contains("导入文件"));

        let docx = notice_docx("咨询电话13812345678。");
        let file = ("file", "停水通知.docx", DOCX, docx);
        let r = h
            .console_multipart(&session, "/console/notices/import", &[], file)
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let page = r.text();
        assert!(
            page.contains("value=\"关于东岭片区临时停水的通知\""),
            "{page}"
        );
        assert!(page.contains("value=\"某政办〔2026〕7号\""));
        assert!(page.contains("value=\"某某县人民政府办公室\""));
        assert!(page.contains("已导入“停水通知.docx”"));
        assert!(
            page.contains("正文第 31 个字起有手机号码 1381***5678"),
            "{page}"
        );
        let body =
            common::service::between(&page, "name=\"body\" rows=\"14\" required>", "</textarea>")
                .unwrap();
        assert!(
            body.contains("序号\t村\t停水时间\n1\t东岭村\t8:00-12:00"),
            "{body:?}"
        );
        let sha = common::service::between(&page, "name=\"figure_asset\" value=\"", "\"").unwrap();
        assert!(
            page.contains(&format!("src=\"/assets/{sha}\"")),
            "a thumbnail"
        );
        assert!(page.contains("value=\"图1 停水范围\""));
        assert_eq!(imports_audited(&h).len(), 1);

        // Nothing is saved until the editor saves.
        let list = h.console_get(&session.0, "/console/notices").await.text();
        assert!(list.contains("没有公告。"), "{list}");
        // Saved as typed (the mobile number taken out, a table with an empty last cell added),
        // the tabs stay, the last one too.
        let body = NOTICE_BODY.replace("西岭村\t13:00-17:00", "西岭村\t");
        let fields = [
            ("title", "关于东岭片区临时停水的通知"),
            ("body", body.as_str()),
            ("category", "public_affairs"),
            ("priority", "normal"),
            ("issuer", "某某县人民政府办公室"),
            ("doc_number", "某政办〔2026〕7号"),
            ("valid_from", "2026-11-27T09:00"),
            ("groups", "plaza-tv"),
            ("figure_asset", sha.as_str()),
            ("figure_caption", "图1 停水范围"),
            ("figure_alt", "停水的三个村"),
            ("action", "save"),
        ];
        let empty = ("figure_file", "", "application/octet-stream", Vec::new());
        let r = h
            .console_multipart(&session, "/console/notices", &fields, empty)
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
        let location = r.headers[header::LOCATION].to_str().unwrap().to_string();
        let id = location.rsplit('/').next().unwrap();
        let editor = h.login("王芳").await;
        let saved = h.get(&format!("/api/notices/{id}"), &editor).await.json();
        let saved = saved.to_string();
        assert!(saved.contains(r#"西岭村\t""#), "{saved}");
        assert!(saved.contains(&sha));

        // A legacy file is answered on the same page, in Chinese.
        let ole = [
            vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1],
            vec![0; 504],
        ]
        .concat();
        let file = ("file", "旧通知.doc", "application/msword", ole);
        let r = h
            .console_multipart(&session, "/console/notices/import", &[], file)
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let page = r.text();
        assert!(page.contains("文件未能导入"), "{page}");
        assert!(page.contains(&ImportError::LegacyWord.zh()));
        assert!(
            page.contains("id=\"notice-form\""),
            "the form is there to type into"
        );

        // A file larger than a figure's image passes the console's gate (no 413) and meets
        // the importer's limits, told in Chinese.
        let rows = "序号,姓名\n1,张三\n".repeat(1_200_000).into_bytes();
        assert!(rows.len() > 25 * 1024 * 1024);
        let file = ("file", "名单.csv", "text/csv", rows);
        let r = h
            .console_multipart(&session, "/console/notices/import", &[], file)
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().contains("超过可导入的 5000 行"), "{}", r.text());
    });
}
