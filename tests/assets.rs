//! Images as assets: uploaded by editors (`POST /api/assets`), decoded within limits and encoded
//! again without their metadata, served by hash to screens, named by notices' figures and
//! listed in the feeds that carry those notices.

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use common::service::{Harness, Reply, Staff, notice, run};
use noticecast::service::domain::accounts::Role;
use serde_json::{Value, json};

const T0: &str = "2026-11-27T09:00:00+08:00";

fn office() -> Harness {
    let h = Harness::new(T0);
    h.add_user("王芳", Role::Editor);
    h.add_user("李审核", Role::Reviewer);
    h
}

fn encode(image: &image::DynamicImage, format: image::ImageFormat) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    image.write_to(&mut out, format).unwrap();
    out.into_inner()
}

/// A small picture with something in it: a gradient.
fn picture(width: u32, height: u32) -> image::RgbImage {
    image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x * 7) as u8, (y * 5) as u8, ((x + y) * 3) as u8])
    })
}

async fn upload(h: &Harness, staff: &Staff, media_type: &str, bytes: Vec<u8>) -> Reply {
    let request = Request::builder()
        .method(Method::POST)
        .uri("/api/assets")
        .header(header::COOKIE, &staff.cookie)
        .header("x-csrf-token", &staff.csrf)
        .header(header::CONTENT_TYPE, media_type)
        .body(Body::from(bytes))
        .unwrap();
    h.send(request).await
}

/// `GET /assets/{sha256}`, as staff with a session or (`None`) as a screen or anyone.
async fn fetch(h: &Harness, staff: Option<&Staff>, sha256: &str) -> Reply {
    h.request(Method::GET, &format!("/assets/{sha256}"), staff, None, None)
        .await
}

fn first_problem(r: &Reply) -> (String, String) {
    let p = &r.json()["problems"][0];
    (
        p["field"].as_str().unwrap_or_default().to_string(),
        p["reason"].as_str().unwrap_or_default().to_string(),
    )
}

#[test]
fn png_jpeg_and_webp_are_taken_and_served_by_hash() {
    let h = office();
    run(async {
        let editor = h.login("王芳").await;
        let rgb = image::DynamicImage::ImageRgb8(picture(64, 48));
        let rgba = image::DynamicImage::ImageRgba8(image::RgbaImage::from_fn(32, 32, |x, _| {
            image::Rgba([200, 10, 10, (x * 8) as u8])
        }));
        let cases = [
            (
                "image/png",
                encode(&rgb, image::ImageFormat::Png),
                "image/png",
                (64, 48),
            ),
            (
                "image/jpeg",
                encode(&rgb, image::ImageFormat::Jpeg),
                "image/jpeg",
                (64, 48),
            ),
            (
                "image/webp",
                encode(&rgb, image::ImageFormat::WebP),
                "image/png",
                (64, 48),
            ),
            (
                "image/png",
                encode(&rgba, image::ImageFormat::Png),
                "image/png",
                (32, 32),
            ),
        ];
        for (sent_as, bytes, kept_as, (width, height)) in cases {
            let r = upload(&h, &editor, sent_as, bytes.clone()).await;
            assert_eq!(r.status, StatusCode::CREATED, "{sent_as}: {}", r.text());
            let a = r.json();
            let sha = a["sha256"].as_str().unwrap().to_string();
            assert_eq!(a["media_type"], kept_as, "{sent_as}");
            assert_eq!(
                (a["width"].clone(), a["height"].clone()),
                (json!(width), json!(height))
            );
            assert_eq!(
                a["url"],
                format!("http://127.0.0.1:8080/assets/{sha}"),
                "the address screens fetch it from"
            );
            // Not yet in any feed: nobody's but staff's, and not cached on the way.
            let public = fetch(&h, None, &sha).await;
            assert_eq!(public.status, StatusCode::NOT_FOUND, "an unpublished image");
            let served = fetch(&h, Some(&editor), &sha).await;
            assert_eq!(served.status, StatusCode::OK);
            assert_eq!(
                noticecast::feed::assets::sha256_hex(&served.body),
                sha,
                "named by hash"
            );
            assert_eq!(served.headers[header::CONTENT_TYPE], kept_as);
            assert_eq!(served.headers[header::CACHE_CONTROL], "private, no-store");
            assert_eq!(served.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
            let decoded = image::load_from_memory(&served.body).unwrap();
            assert_eq!((decoded.width(), decoded.height()), (width, height));
            if sent_as == "image/png" && width == 32 {
                assert!(decoded.color().has_alpha(), "transparency is kept");
            }
            // The same image again: the same asset, the same answer.
            let again = upload(&h, &editor, sent_as, bytes).await;
            assert_eq!(again.status, StatusCode::CREATED);
            assert_eq!(again.json(), a);
        }
        assert_eq!(
            fetch(&h, Some(&editor), &"0".repeat(64)).await.status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            fetch(&h, Some(&editor), "not-a-hash").await.status,
            StatusCode::NOT_FOUND
        );
        // Only those who write notices upload.
        let reviewer = h.login("李审核").await;
        let png = encode(&rgb, image::ImageFormat::Png);
        assert_eq!(
            upload(&h, &reviewer, "image/png", png).await.status,
            StatusCode::FORBIDDEN
        );
    });
}

/// A JPEG with an APP1 Exif segment that holds GPS coordinates, put in by hand after SOI.
fn jpeg_with_gps() -> Vec<u8> {
    let jpeg = encode(
        &image::DynamicImage::ImageRgb8(picture(40, 30)),
        image::ImageFormat::Jpeg,
    );
    assert_eq!(&jpeg[..2], [0xFF, 0xD8]);
    let mut exif = b"Exif\0\0MM\0\x2a\0\0\0\x08".to_vec();
    exif.extend_from_slice(b"GPSLatitude 25.0430N GPSLongitude 102.7100E village house");
    let length = (exif.len() + 2) as u16;
    let mut out = jpeg[..2].to_vec();
    out.extend_from_slice(&[0xFF, 0xE1]);
    out.extend_from_slice(&length.to_be_bytes());
    out.extend_from_slice(&exif);
    out.extend_from_slice(&jpeg[2..]);
    out
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn exif_and_gps_do_not_survive_an_upload() {
    let h = office();
    run(async {
        let editor = h.login("王芳").await;
        let sent = jpeg_with_gps();
        assert!(contains(&sent, b"GPSLatitude") && contains(&sent, b"Exif"));
        let r = upload(&h, &editor, "image/jpeg", sent).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        let kept = fetch(&h, Some(&editor), r.json()["sha256"].as_str().unwrap())
            .await
            .body;
        assert!(
            !contains(&kept, b"GPS"),
            "GPS coordinates left in the stored image"
        );
        assert!(
            !contains(&kept, b"Exif"),
            "an Exif segment left in the stored image"
        );
        assert_eq!(image::load_from_memory(&kept).unwrap().width(), 40);
    });
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

fn chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut out = (data.len() as u32).to_be_bytes().to_vec();
    let mut body = kind.to_vec();
    body.extend_from_slice(data);
    out.extend_from_slice(&body);
    out.extend_from_slice(&crc32(&body).to_be_bytes());
    out
}

/// A PNG of a few dozen bytes whose header claims 100000x100000 pixels (40 GB as RGBA).
fn png_bomb() -> Vec<u8> {
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&100_000u32.to_be_bytes());
    ihdr.extend_from_slice(&100_000u32.to_be_bytes());
    ihdr.extend_from_slice(&[8, 6, 0, 0, 0]);
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    out.extend(chunk(b"IHDR", &ihdr));
    // A zlib stream of nothing: the pixels would be inflated from here.
    out.extend(chunk(
        b"IDAT",
        &[0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01],
    ));
    out.extend(chunk(b"IEND", &[]));
    out
}

#[test]
fn bombs_broken_files_and_other_types_are_refused_with_their_reason() {
    let h = office();
    run(async {
        let editor = h.login("王芳").await;
        let r = upload(&h, &editor, "image/png", png_bomb()).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
        let (field, reason) = first_problem(&r);
        assert_eq!(field, "body");
        assert!(
            reason.contains("100000x100000") && reason.contains("40000000"),
            "{reason}"
        );

        let mut broken = encode(
            &image::DynamicImage::ImageRgb8(picture(64, 64)),
            image::ImageFormat::Png,
        );
        broken.truncate(broken.len() / 2);
        let r = upload(&h, &editor, "image/png", broken).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
        assert!(
            first_problem(&r).1.contains("does not decode as image/png"),
            "{}",
            r.text()
        );

        let r = upload(
            &h,
            &editor,
            "image/jpeg",
            b"plain text, not a photo".to_vec(),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(first_problem(&r).1.contains("image/jpeg"), "{}", r.text());

        let r = upload(&h, &editor, "image/gif", b"GIF89a".to_vec()).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(first_problem(&r).0, "content_type");

        let r = upload(&h, &editor, "image/png", vec![0; 21 * 1024 * 1024]).await;
        assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.text());
    });
}

fn with_figures(figures: Value) -> Value {
    let mut n = notice("村道改造公示", &["plaza-tv"], T0, None);
    n["figures"] = figures;
    n
}

#[test]
fn a_figure_goes_through_review_into_the_feed_with_its_asset() {
    let h = office();
    run(async {
        let editor = h.login("王芳").await;
        let reviewer = h.login("李审核").await;
        let png = encode(
            &image::DynamicImage::ImageRgb8(picture(80, 60)),
            image::ImageFormat::Png,
        );
        let asset = upload(&h, &editor, "image/png", png).await.json();
        let sha = asset["sha256"].as_str().unwrap();

        let unknown = "f".repeat(64);
        let r = h
            .post(
                "/api/notices",
                &editor,
                with_figures(json!([{"asset": unknown}])),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
        let (field, reason) = first_problem(&r);
        assert_eq!(field, "figures[0].asset");
        assert!(reason.contains("upload the image first"), "{reason}");

        let r = h
            .post(
                "/api/notices",
                &editor,
                with_figures(json!([{"asset": "ABC"}])),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(first_problem(&r).0, "figures[0].asset");

        let too_many: Vec<Value> = (0..61).map(|_| json!({"asset": sha})).collect();
        let r = h
            .post("/api/notices", &editor, with_figures(json!(too_many)))
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(first_problem(&r).0, "figures");

        let figures = json!([{"asset": sha, "caption": "图1 改造路段示意图",
            "alt": "从村委会到小学的 800 米村道"}]);
        let id = h
            .publish(&editor, &reviewer, with_figures(figures.clone()))
            .await;
        let detail = h.get(&format!("/api/notices/{id}"), &editor).await.json();
        assert_eq!(detail["revisions"][0]["content"]["figures"], figures);

        let (_, _, doc) = h.feed("plaza-tv").await;
        let n = doc.notices.iter().find(|n| n.id == id).unwrap();
        assert_eq!(n.figures.len(), 1);
        // Published: anyone's (the screens fetch it without a session), cached for a year.
        let served = fetch(&h, None, sha).await;
        assert_eq!(served.status, StatusCode::OK);
        assert_eq!(
            served.headers[header::CACHE_CONTROL],
            "public, max-age=31536000, immutable"
        );
        assert_eq!(n.figures[0].asset, sha);
        assert_eq!(n.figures[0].caption.as_deref(), Some("图1 改造路段示意图"));
        assert_eq!(doc.assets.len(), 1);
        assert_eq!(doc.assets[0].sha256, sha);
        assert_eq!(doc.assets[0].media_type, "image/png");
        assert_eq!(
            doc.assets[0].url,
            format!("http://127.0.0.1:8080/assets/{sha}")
        );
    });
}

#[test]
fn a_caption_is_checked_for_personal_data_like_the_body() {
    let h = office();
    run(async {
        let editor = h.login("王芳").await;
        let png = encode(
            &image::DynamicImage::ImageRgb8(picture(8, 8)),
            image::ImageFormat::Png,
        );
        let sha = upload(&h, &editor, "image/png", png).await.json()["sha256"].clone();
        let figures = json!([{"asset": sha, "caption": "户主 张三 530102199001012314"}]);
        let r = h.post("/api/notices", &editor, with_figures(figures)).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        let id = r.json()["id"].as_str().unwrap().to_string();
        let r = h
            .post(&format!("/api/notices/{id}/submit"), &editor, json!({}))
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
        assert_eq!(first_problem(&r).0, "figures[0].caption");
    });
}

#[test]
fn a_feed_whose_figure_names_an_unlisted_asset_is_invalid() {
    let text =
        std::fs::read_to_string(common::path("docs/examples/feed-with-playlist.json")).unwrap();
    let mut doc: Value = serde_json::from_str(&text).unwrap();
    let sha = "a".repeat(64);
    doc["notices"][0]["figures"] = json!([{"asset": sha, "caption": "图1"}]);
    let problems = noticecast::model::Feed::from_json(&doc.to_string(), "feed.json").unwrap_err();
    let paths: Vec<&str> = problems.list().iter().map(|p| p.path.as_str()).collect();
    assert_eq!(paths, ["notices[0].figures[0].asset"]);
    doc["assets"] = json!([{"sha256": sha, "url": "https://example.gov.cn/a.png",
        "media_type": "image/png"}]);
    assert!(noticecast::model::Feed::from_json(&doc.to_string(), "feed.json").is_ok());
}

/// The notice form as a browser posts it with a file: multipart/form-data.
async fn post_form(
    h: &Harness,
    session: &(String, String),
    fields: &[(&str, &str)],
    file: Option<(&str, Vec<u8>)>,
) -> Reply {
    let (media_type, bytes) = file.unwrap_or(("application/octet-stream", Vec::new()));
    let file = ("figure_file", "photo", media_type, bytes);
    h.console_multipart(session, "/console/notices", fields, file)
        .await
}

#[test]
fn the_console_form_adds_and_removes_figures_without_script() {
    let h = office();
    run(async {
        let session = h.console_login("王芳").await;
        let base = [
            ("title", "村道改造公示"),
            ("body", "村道改造方案如下。"),
            ("category", "projects"),
            ("priority", "normal"),
            ("issuer", "东岭村村民委员会"),
            ("valid_from", "2026-11-27T09:00"),
            ("groups", "plaza-tv"),
        ];
        let mut fields = base.to_vec();
        fields.extend([
            ("new_caption", "图1 改造路段"),
            ("new_alt", "村委会到小学的村道"),
            ("action", "upload"),
        ]);
        let r = post_form(&h, &session, &fields, Some(("image/jpeg", jpeg_with_gps()))).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let page = r.text();
        let sha = common::service::between(&page, "name=\"figure_asset\" value=\"", "\"").unwrap();
        assert_eq!(sha.len(), 64);
        assert!(
            page.contains(&format!("src=\"/assets/{sha}\"")),
            "a thumbnail"
        );
        assert!(page.contains("value=\"图1 改造路段\"") && page.contains("村道改造公示"));
        assert!(
            page.contains("name=\"new_caption\" value=\"\""),
            "the next figure's caption starts empty"
        );
        assert!(page.contains("enctype=\"multipart/form-data\""));
        let editor = h.login("王芳").await;
        assert!(
            fetch(&h, Some(&editor), &sha).await.status.is_success(),
            "the image is kept"
        );

        let mut with_figure = base.to_vec();
        with_figure.extend([
            ("figure_asset", sha.as_str()),
            ("figure_caption", "图1 改造路段"),
            ("figure_alt", "村委会到小学的村道"),
        ]);
        // Its button takes a figure out again; nothing is saved.
        let mut remove = with_figure.clone();
        remove.push(("action", "remove:0"));
        let r = post_form(&h, &session, &remove, None).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(
            !r.text().contains("name=\"figure_asset\""),
            "the figure is gone"
        );

        // A bomb is refused on the form, naming the image field; what was typed for it stays.
        let mut bomb = with_figure.clone();
        bomb.extend([("new_caption", "图2 路面"), ("action", "upload")]);
        let r = post_form(&h, &session, &bomb, Some(("image/png", png_bomb()))).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            r.text().contains("value=\"图2 路面\""),
            "the caption typed is kept"
        );
        assert!(
            r.text().contains("图片") && r.text().contains("100000×100000"),
            "{}",
            r.text()
        );

        let mut save = with_figure.clone();
        save.push(("action", "save"));
        let r = post_form(&h, &session, &save, None).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
        let location = r.headers[header::LOCATION].to_str().unwrap().to_string();
        let detail = h.console_get(&session.0, &location).await.text();
        assert!(
            detail.contains(&format!("src=\"/assets/{sha}\"")),
            "{detail}"
        );
        assert!(detail.contains("alt=\"村委会到小学的村道\""));
    });
}

/// `serve --public-url` is recorded: `export`, which opens the same data folder without it,
/// signs feeds with the same asset addresses instead of fighting `serve` over them.
#[test]
fn the_public_url_serve_was_given_is_the_one_export_uses() {
    use noticecast::service::{Options, Service};
    let dir = tempfile::tempdir().unwrap();
    let clock: noticecast::service::domain::state::Clock = std::sync::Arc::new(|| common::t(T0));
    let open = |public_url: Option<&str>| {
        Service::open(
            dir.path(),
            Options {
                fonts: Some(common::path("fonts")),
                public_url: public_url.map(str::to_string),
                publishes: true,
                ..Options::default()
            },
            clock.clone(),
        )
        .unwrap()
    };
    let fresh = open(None);
    assert_eq!(fresh.asset_url("ab"), "http://127.0.0.1:8080/assets/ab");
    drop(fresh);
    drop(open(Some("https://notices.example.gov.cn/")));
    let export = open(None);
    assert_eq!(
        export.asset_url("ab"),
        "https://notices.example.gov.cn/assets/ab"
    );
}

/// A group's feed may list at most `MAX_ASSETS` files (what screens take): four notices of 60
/// figures fit, a fifth is refused at approval naming what it would push out, and the feed, its
/// warnings and every other group go on being signed (before, a composed feed past the limit
/// failed every change of every group).
#[test]
fn figures_past_what_screens_take_are_refused_at_approval_not_published() {
    let h = office();
    run(async {
        let editor = h.login("王芳").await;
        let reviewer = h.login("李审核").await;
        let mut shas = Vec::new();
        for k in 0..300u32 {
            let mut img = picture(8, 8);
            img.put_pixel(0, 0, image::Rgb([(k % 256) as u8, (k / 256) as u8, 7]));
            let png = encode(
                &image::DynamicImage::ImageRgb8(img),
                image::ImageFormat::Png,
            );
            let r = upload(&h, &editor, "image/png", png).await;
            shas.push(r.json()["sha256"].as_str().unwrap().to_string());
        }
        let figures = |part: &[String]| -> Value {
            json!(part.iter().map(|s| json!({"asset": s})).collect::<Vec<_>>())
        };
        for k in 0..4 {
            h.publish(
                &editor,
                &reviewer,
                with_figures(figures(&shas[60 * k..60 * (k + 1)])),
            )
            .await;
        }
        let (_, _, doc) = h.feed("plaza-tv").await;
        assert_eq!(doc.assets.len(), 240);
        let r = h
            .post(
                "/api/notices",
                &editor,
                with_figures(figures(&shas[240..300])),
            )
            .await;
        let id = r.json()["id"].as_str().unwrap().to_string();
        let r = h
            .post(&format!("/api/notices/{id}/submit"), &editor, json!({}))
            .await;
        assert!(r.status.is_success(), "{}", r.text());
        let r = h
            .post(
                &format!("/api/notices/{id}/approve"),
                &reviewer,
                json!({"revision": 1, "confidentiality_confirmed": true}),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
        let (_, _, after) = h.feed("plaza-tv").await;
        assert_eq!(after.assets.len(), 240, "the feed as it was");
        assert!(after.notices.iter().all(|n| n.id != id));
        // Other changes go on: a plain notice is published.
        let plain = notice("停水通知", &["plaza-tv"], T0, None);
        let plain = h.publish(&editor, &reviewer, plain).await;
        let (_, _, latest) = h.feed("plaza-tv").await;
        assert!(latest.notices.iter().any(|n| n.id == plain));
    });
}
