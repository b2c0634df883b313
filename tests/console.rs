//! The staff console through its router, without a socket or a browser: forms, their problems,
//! escaping, CSRF, the reviewer's diff, previews and the playlist editor.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::service::{Harness, PASSWORD, Reply, between, notice, run};
use noticecast::service::domain::accounts::Role;
use serde_json::json;

const T0: &str = "2026-11-27T09:00:00+08:00";

struct Browser {
    cookie: String,
    csrf: String,
}

fn office() -> Harness {
    let h = Harness::new(T0);
    h.add_user("admin", Role::Sysadmin);
    h.add_user("王芳", Role::Editor);
    h.add_user("李审核", Role::Reviewer);
    h.add_user("审计员", Role::Auditor);
    h
}

fn encode(fields: &[(&str, &str)]) -> String {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields)
        .finish()
}

async fn login(h: &Harness, name: &str) -> Browser {
    let r = h
        .send(
            Request::post("/console/login")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(encode(&[
                    ("name", name),
                    ("password", PASSWORD),
                ])))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let cookie = r.headers[header::SET_COOKIE].to_str().unwrap();
    let cookie = cookie.split(';').next().unwrap().to_string();
    let page = get(h, &cookie, "/console").await.text();
    let csrf = page
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("every page carries the CSRF token in its logout form")
        .to_string();
    Browser { cookie, csrf }
}

async fn get(h: &Harness, cookie: &str, path: &str) -> Reply {
    h.send(
        Request::get(path)
            .header(header::COOKIE, cookie)
            .body(Body::empty())
            .unwrap(),
    )
    .await
}

async fn post(h: &Harness, b: &Browser, path: &str, fields: &[(&str, &str)]) -> Reply {
    let mut all = vec![("csrf", b.csrf.as_str())];
    all.extend_from_slice(fields);
    h.send(
        Request::post(path)
            .header(header::COOKIE, &b.cookie)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(encode(&all)))
            .unwrap(),
    )
    .await
}

fn notice_fields<'a>(title: &'a str, body: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("title", title),
        ("body", body),
        ("category", "policy"),
        ("priority", "normal"),
        ("issuer", "云岭区人民政府办公室"),
        ("doc_number", ""),
        ("valid_from", "2026-11-27T09:00"),
        ("valid_until", ""),
        ("url", ""),
        ("groups", "plaza-tv"),
    ]
}

#[test]
fn pages_need_a_login_and_carry_a_strict_policy() {
    let h = office();
    run(async {
        let r = h
            .send(
                Request::get("/console/notices")
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(r.headers[header::LOCATION], "/console/login");
        let r = h
            .send(Request::get("/console/login").body(Body::empty()).unwrap())
            .await;
        let csp = r.headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
        assert!(csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"));
        assert!(!csp.contains("unsafe-inline"));

        let editor = login(&h, "王芳").await;
        let page = get(&h, &editor.cookie, "/console").await;
        assert_eq!(page.headers[header::CACHE_CONTROL], "no-store");
        // Another role's page: refused with a page that says why.
        let r = get(&h, &editor.cookie, "/console/users").await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        assert!(r.text().contains("管理员"));
        // A form without the session's token changes nothing.
        let forged = Browser {
            csrf: "forged".into(),
            cookie: editor.cookie.clone(),
        };
        let r = post(
            &h,
            &forged,
            "/console/notices",
            &notice_fields("伪造", "正文"),
        )
        .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        assert!(r.text().contains("表单已过期"));
        let list = get(&h, &editor.cookie, "/console/notices").await.text();
        assert!(!list.contains("伪造"));
    });
}

#[test]
fn a_bad_form_comes_back_with_its_problems_and_what_was_typed() {
    let h = office();
    run(async {
        let editor = login(&h, "王芳").await;
        let mut fields = notice_fields(
            "关于开展冬季防火检查的通知",
            "各村（社区）：\r\n\r\n请于12月前完成检查。",
        );
        fields[7] = ("valid_until", "2026-11-01T00:00");
        let r = post(&h, &editor, "/console/notices", &fields).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let page = r.text();
        assert!(
            page.contains("截止时间") && page.contains("valid_until"),
            "{page}"
        );
        assert!(
            page.contains("关于开展冬季防火检查的通知"),
            "the title typed is kept"
        );
        assert!(
            page.contains("请于12月前完成检查。"),
            "the body typed is kept"
        );

        // A 公示期 with both a length and an end: said in Chinese, beside the field.
        let mut fields = notice_fields("低保对象公示", "正文");
        fields.push(("period_start", "2026-11-30T08:00"));
        fields.push(("period_days", "7"));
        fields.push(("period_end", "2026-12-20T18:00"));
        let r = post(&h, &editor, "/console/notices", &fields).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let page = r.text();
        assert!(
            page.contains("公示工作日数与公示结束时间请二选一填写"),
            "{page}"
        );
        // Then right: saved, and the notice's page shows the period and links its 公示证明.
        fields.pop();
        let r = post(&h, &editor, "/console/notices", &fields).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
        let location = r.headers[header::LOCATION].to_str().unwrap().to_string();
        let page = get(&h, &editor.cookie, &location).await.text();
        assert!(
            page.contains("2026-11-30 08:00 起 7 个工作日") && page.contains("公示证明"),
            "{page}"
        );

        let mut fields = notice_fields("标题", "正文");
        fields[6] = ("valid_from", "明天");
        let r = post(&h, &editor, "/console/notices", &fields).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().contains("生效时间"));
    });
}

#[test]
fn text_is_escaped_everywhere() {
    let h = office();
    run(async {
        let editor = login(&h, "王芳").await;
        let title = "<script>alert('x')</script>通知";
        let r = post(
            &h,
            &editor,
            "/console/notices",
            &notice_fields(title, "<img src=x onerror=alert(1)>"),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
        let location = r.headers[header::LOCATION].to_str().unwrap().to_string();
        let auditor = login(&h, "审计员").await;
        for (path, who) in [
            (location.as_str(), &editor),
            ("/console/notices", &editor),
            ("/console/audit", &auditor),
        ] {
            let page = get(&h, &who.cookie, path).await.text();
            assert!(!page.contains("<script>alert"), "{path}");
            assert!(!page.contains("<img src=x"), "{path}");
            assert!(page.contains("&lt;script&gt;"), "{path}");
        }
    });
}

#[test]
fn the_reviewer_sees_what_changed_and_must_confirm_the_confidentiality_review() {
    let h = office();
    run(async {
        // Published once through the API, then edited in the console.
        let api_editor = h.login("王芳").await;
        let api_reviewer = h.login("李审核").await;
        let id = h
            .post(
                "/api/notices",
                &api_editor,
                notice("冬季供暖通知", &["plaza-tv"], T0, None),
            )
            .await
            .json()["id"]
            .as_str()
            .unwrap()
            .to_string();
        h.post(&format!("/api/notices/{id}/submit"), &api_editor, json!({}))
            .await;
        h.post(
            &format!("/api/notices/{id}/approve"),
            &api_reviewer,
            json!({"revision": 1, "confidentiality_confirmed": true}),
        )
        .await;

        let editor = login(&h, "王芳").await;
        let edit = get(&h, &editor.cookie, &format!("/console/notices/{id}/edit"))
            .await
            .text();
        assert!(edit.contains("此公告已发布") && edit.contains("冬季供暖通知"));
        let r = post(
            &h,
            &editor,
            &format!("/console/notices/{id}"),
            &notice_fields(
                "冬季供暖延期通知",
                "为方便群众办事，自即日起延长办公时间。\n\n详情请咨询服务窗口。",
            ),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
        let r = post(&h, &editor, &format!("/console/notices/{id}/submit"), &[]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());

        let reviewer = login(&h, "李审核").await;
        let page = get(&h, &reviewer.cookie, &format!("/console/notices/{id}"))
            .await
            .text();
        assert!(
            page.contains("<ins>延期</ins>"),
            "the diff marks the insertion: {page}"
        );
        assert!(page.contains("保密审查") && page.contains("name=\"confidentiality_confirmed\""));
        // The screens still show revision 1 while revision 2 waits.
        assert!(page.contains("屏幕上正在显示第 1 版"), "{page}");

        let r = post(
            &h,
            &reviewer,
            &format!("/console/notices/{id}/approve"),
            &[("revision", "2")],
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(h.feed("plaza-tv").await.2.notices[0].title, "冬季供暖通知");
        let r = post(
            &h,
            &reviewer,
            &format!("/console/notices/{id}/approve"),
            &[("revision", "2"), ("confidentiality_confirmed", "yes")],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
        assert_eq!(
            h.feed("plaza-tv").await.2.notices[0].title,
            "冬季供暖延期通知"
        );

        // 撤回 (issue 29): the notice page links to a confirmation that asks why; a withdrawal
        // without a reason changes nothing; with one, the notice page says who, when and why.
        let page = get(&h, &reviewer.cookie, &format!("/console/notices/{id}"))
            .await
            .text();
        let confirm = format!("/console/notices/{id}/withdraw");
        assert!(page.contains(&format!("href=\"{confirm}\"")), "{page}");
        assert!(!page.contains(&format!("action=\"{confirm}\"")), "{page}");
        let ask = get(&h, &reviewer.cookie, &confirm).await;
        assert_eq!(ask.status, StatusCode::OK);
        let ask = ask.text();
        assert!(
            ask.contains("确认撤回") && ask.contains("name=\"reason\" required"),
            "{ask}"
        );
        let r = post(&h, &reviewer, &confirm, &[("reason", " ")]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
        assert_eq!(h.feed("plaza-tv").await.2.notices.len(), 1);
        let r = post(&h, &reviewer, &confirm, &[("reason", "供暖时间另行通知")]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
        assert!(h.feed("plaza-tv").await.2.notices.is_empty());
        let page = get(&h, &reviewer.cookie, &format!("/console/notices/{id}"))
            .await
            .text();
        assert!(
            page.contains("已撤回") && page.contains("李审核") && page.contains("供暖时间另行通知"),
            "{page}"
        );
    });
}

#[test]
fn previews_are_drawn_by_the_screens_renderer() {
    let h = office();
    run(async {
        let editor = login(&h, "王芳").await;
        let long = "应征青年请于12月10日前到武装部报名。".repeat(40);
        let mut fields = notice_fields("城关镇冬季征兵公告", &long);
        fields.push(("preview_group", "village-terminal"));
        let r = post(&h, &editor, "/console/preview", &fields).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        assert_eq!(r.headers[header::CONTENT_TYPE], "image/png");
        let pixels = png::Decoder::new(std::io::Cursor::new(r.body.clone()));
        let info = pixels.read_info().unwrap();
        let (w, h_px) = (info.info().width, info.info().height);
        assert_eq!(
            (w, h_px),
            (1080, 1920),
            "the village terminal's portrait screen"
        );
        let pages: u32 = r.headers["x-noticecast-pages"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!(pages >= 2, "a long notice has pages: {pages}");

        // Unpreviewable input says why, as text for the page's status line.
        let mut bad = notice_fields("", "正文");
        bad.push(("preview_group", "plaza-tv"));
        let r = post(&h, &editor, "/console/preview", &bad).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().contains("标题"), "{}", r.text());

        // A saved revision's preview, page 2, on the LED screen's own size.
        fields.pop();
        let r = post(&h, &editor, "/console/notices", &fields).await;
        let location = r.headers[header::LOCATION].to_str().unwrap().to_string();
        let id = location.rsplit('/').next().unwrap();
        let r = get(
            &h,
            &editor.cookie,
            &format!("/console/notices/{id}/revisions/1/preview/service-hall-led?page=2"),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let decoder = png::Decoder::new(std::io::Cursor::new(r.body.clone()));
        let reader = decoder.read_info().unwrap();
        let led = noticecast::model::Playlist::from_file(&common::path(
            "playlists/service-hall-led.toml",
        ))
        .unwrap();
        assert_eq!(
            (reader.info().width, reader.info().height),
            (led.screen.width, led.screen.height)
        );
    });
}

#[test]
fn a_bad_playlist_edit_in_the_console_is_refused_and_the_last_good_one_stays() {
    let h = office();
    run(async {
        let admin = login(&h, "admin").await;
        let before =
            noticecast::service::domain::groups::playlist_text(&h.service.db(), "plaza-tv")
                .unwrap();
        let sequence = h.feed("plaza-tv").await.2.sequence;
        let bad = before.replace("body_px = 46", "body_px = -46");
        assert_ne!(bad, before);
        let r = post(
            &h,
            &admin,
            "/console/groups/plaza-tv",
            &[("playlist", &bad)],
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let page = r.text();
        assert!(
            page.contains("type.body_px") && page.contains("上一个有效的播放列表"),
            "{page}"
        );
        assert!(
            page.contains("body_px = -46"),
            "the edit is shown again to fix"
        );
        assert_eq!(
            noticecast::service::domain::groups::playlist_text(&h.service.db(), "plaza-tv")
                .unwrap(),
            before
        );
        assert_eq!(h.feed("plaza-tv").await.2.sequence, sequence);

        let good = before.replace("body_px = 46", "body_px = 48");
        let r = post(
            &h,
            &admin,
            "/console/groups/plaza-tv",
            &[("playlist", &good.replace('\n', "\r\n"))],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
        assert_eq!(
            noticecast::service::domain::groups::playlist_text(&h.service.db(), "plaza-tv")
                .unwrap(),
            good
        );
        assert_eq!(h.feed("plaza-tv").await.2.sequence, sequence + 1);

        // Screens: the token is shown once, on the page that enrolled it.
        let r = post(
            &h,
            &admin,
            "/console/screens",
            &[("id", "plaza-02"), ("group", "plaza-tv")],
        )
        .await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.text().contains("nct_"));
        assert!(
            !get(&h, &admin.cookie, "/console/screens")
                .await
                .text()
                .contains("nct_")
        );
    });
}

#[test]
fn the_report_page_lists_what_residents_opened_per_day() {
    use noticecast::service::domain::screens;
    // `publish_to` brings its own editor and reviewer.
    let h = Harness::new(T0);
    h.add_user("zhao", Role::Editor);
    run(async {
        let editor = login(&h, "zhao").await;
        let empty = get(&h, &editor.cookie, "/console/report?year=2026")
            .await
            .text();
        assert!(empty.contains("还没有居民在触摸屏上打开过公告"), "{empty}");
        let id = common::service::publish_to(&h.service, "村民议事会通知", "village-terminal");
        let token = h
            .service
            .change(|conn, now| screens::add(conn, "test", "v-01", "village-terminal", now))
            .unwrap();
        let open = |record: &str| {
            json!({"id": record, "notice_id": &id, "page": 0, "start": "2026-11-27T00:00:00+08:00",
                   "duration_s": 0.0, "sequence": 2, "opened": true})
        };
        let upload = json!({"records": [open("a"), open("b"), open("c")], "dropped": 0});
        let r = h.upload_plays("v-01", &token, upload).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let page = get(&h, &editor.cookie, "/console/report?year=2026")
            .await
            .text();
        let row = page
            .split("<tr>")
            .find(|row| row.contains("村民议事会通知"))
            .unwrap_or_else(|| panic!("no row for the notice: {page}"));
        assert!(row.contains("2026-11-27") && row.contains(">3<"), "{row}");
    });
}

#[test]
fn an_admin_sets_a_groups_areas_and_blacks_it_out_from_its_page() {
    let h = office();
    run(async {
        let admin = login(&h, "admin").await;
        let page = get(&h, &admin.cookie, "/console/groups/plaza-tv").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.text().contains("预警区域") && page.text().contains("立即暂停本组全部屏幕"));

        // A bad code is refused with the reason; good ones (any separator) are kept.
        let r = post(
            &h,
            &admin,
            "/console/groups/plaza-tv/areas",
            &[("codes", "33010")],
        )
        .await;
        assert!(r.text().contains("不是六位行政区划代码"), "{}", r.text());
        let r = post(
            &h,
            &admin,
            "/console/groups/plaza-tv/areas",
            &[("codes", "330102，330105")],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
        assert_eq!(
            noticecast::service::domain::groups::areas(&h.service.db(), "plaza-tv").unwrap(),
            ["330102", "330105"]
        );

        let r = post(
            &h,
            &admin,
            "/console/groups/plaza-tv/blackout",
            &[("on", "1"), ("reason", "屏幕故障待修")],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
        assert!(h.feed("plaza-tv").await.2.blackout.is_some());
        let page = get(&h, &admin.cookie, "/console/groups/plaza-tv")
            .await
            .text();
        assert!(page.contains("恢复播放") && page.contains("暂停播放，只显示中性待机页面"));
        let r = post(
            &h,
            &admin,
            "/console/groups/plaza-tv/blackout",
            &[("on", "0"), ("reason", "已修复")],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert!(h.feed("plaza-tv").await.2.blackout.is_none());

        // An editor sees the areas but cannot change them.
        let editor = login(&h, "王芳").await;
        let page = get(&h, &editor.cookie, "/console/groups/plaza-tv")
            .await
            .text();
        assert!(page.contains("330102 330105") && !page.contains("立即暂停本组全部屏幕"));
        let r = post(
            &h,
            &editor,
            "/console/groups/plaza-tv/blackout",
            &[("on", "1")],
        )
        .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
    });
}

/// Every `name="KEY" value="VALUE"` input of a page, as a form would submit it (checkboxes only
/// when checked).
fn form_fields(page: &str, form_id: &str) -> Vec<(String, String)> {
    let start = page.find(&format!("id=\"{form_id}\"")).expect("the form");
    let form = &page[start..start + page[start..].find("</form>").unwrap()];
    let mut out = Vec::new();
    for tag in form.split('<').skip(1) {
        let attr = |name: &str| -> Option<String> {
            let at = tag.find(&format!(" {name}=\""))? + name.len() + 3;
            Some(
                tag[at..at + tag[at..].find('"')?]
                    .replace("&amp;", "&")
                    .replace("&quot;", "\""),
            )
        };
        if tag.starts_with("input") {
            let Some(name) = attr("name") else { continue };
            if attr("type").as_deref() == Some("checkbox") && !tag.contains(" checked") {
                continue;
            }
            out.push((name, attr("value").unwrap_or_default()));
        } else if tag.starts_with("select") {
            let name = attr("name").unwrap();
            let rest = &form[form.find(tag).unwrap()..];
            let select = &rest[..rest.find("</select>").unwrap()];
            let chosen = select
                .split("<option")
                .find(|o| o.contains(" selected"))
                .and_then(|o| o.split("value=\"").nth(1))
                .and_then(|v| v.split('"').next())
                .unwrap_or("")
                .to_string();
            out.push((name, chosen));
        }
    }
    out
}

#[test]
fn a_clerk_changes_the_ticker_categories_reading_time_and_hours_with_form_fields() {
    let h = office();
    run(async {
        let admin = login(&h, "admin").await;
        let page = get(&h, &admin.cookie, "/console/groups/plaza-tv")
            .await
            .text();
        for label in [
            "滚动字幕文字",
            "类别顺序",
            "阅读速度",
            "开机时间",
            "每页最短停留",
            "高级",
        ] {
            assert!(page.contains(label), "the form shows {label}");
        }
        let mut fields = form_fields(&page, "playlist-form");
        assert!(
            fields
                .iter()
                .any(|(k, v)| k == "ticker.text" && v.contains("12345"))
        );
        let set = |fields: &mut Vec<(String, String)>, k: &str, v: &str| {
            fields.retain(|(x, _)| x != k);
            fields.push((k.into(), v.into()));
        };
        set(&mut fields, "ticker.text", "今冬明春请注意用火用电安全");
        set(&mut fields, "dwell.chars_per_s", "2");
        set(&mut fields, "hours.on", "07:00");
        set(&mut fields, "hours.off", "21:30");
        // Services first, policy second, nothing else.
        fields.retain(|(k, _)| !k.starts_with("show_") && !k.starts_with("order_"));
        for (k, v) in [
            ("show_services", "1"),
            ("order_services", "1"),
            ("show_policy", "1"),
            ("order_policy", "2"),
        ] {
            set(&mut fields, k, v);
        }
        let sequence = h.feed("plaza-tv").await.2.sequence;

        // The live preview draws the edited playlist before anything is saved.
        let pairs: Vec<(&str, &str)> = fields
            .iter()
            .filter(|(k, _)| k != "csrf")
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let r = post(&h, &admin, "/console/groups/plaza-tv/preview", &pairs).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        assert_eq!(r.headers[header::CONTENT_TYPE], "image/png");
        assert_eq!(h.feed("plaza-tv").await.2.sequence, sequence, "not saved");

        let r = post(&h, &admin, "/console/groups/plaza-tv/form", &pairs).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
        // The ticker's text is what residents read: it waits for a second person.
        let location = r.headers[header::LOCATION].to_str().unwrap().to_string();
        assert!(location.contains("pending="), "{location}");
        let page = get(&h, &admin.cookie, &location).await.text();
        assert!(page.contains("提交的修改待审核"), "{page}");
        assert_eq!(h.feed("plaza-tv").await.2.sequence, sequence, "not yet");
        let review = get(&h, &admin.cookie, "/console/review").await.text();
        let action = review
            .split("class=\"approve-playlist\" method=\"post\" action=\"")
            .nth(1)
            .and_then(|r| r.split('"').next())
            .expect("the change is in the review queue")
            .to_string();
        assert!(review.contains("滚动字幕文字") && review.contains("今冬明春请注意用火用电安全"));
        // Not by its own author.
        let r = post(&h, &admin, &action, &[("approve", "1")]).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let reviewer = login(&h, "李审核").await;
        let r = post(&h, &reviewer, &action, &[("approve", "1")]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
        let feed = h.feed("plaza-tv").await.2;
        assert_eq!(feed.sequence, sequence + 1);
        let playlist = feed.playlist.unwrap();
        assert_eq!(
            playlist.ticker.unwrap().text.as_deref(),
            Some("今冬明春请注意用火用电安全")
        );
        assert_eq!(playlist.dwell.chars_per_s, 2.0);
        use noticecast::model::Category;
        assert_eq!(
            playlist.rotation.categories,
            [Category::Services, Category::Policy]
        );
        assert!(playlist.hours.is_some());
        let text = noticecast::service::domain::groups::playlist_text(&h.service.db(), "plaza-tv")
            .unwrap();
        assert!(
            text.contains("# The 55-inch TV"),
            "comments survive a form save"
        );

        // A bad value: shown beside its field in Chinese, as typed; the playlist stays.
        let mut bad = pairs.clone();
        bad.retain(|(k, _)| *k != "dwell.min_s" && *k != "hours.off");
        bad.push(("dwell.min_s", "十二"));
        bad.push(("hours.off", "07:00"));
        let r = post(&h, &admin, "/console/groups/plaza-tv/form", &bad).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let page = r.text();
        assert!(page.contains("“十二”不是数字"), "{page}");
        assert!(page.contains("上一个有效的播放列表"));
        let r = post(&h, &admin, "/console/groups/plaza-tv/form", &{
            let mut b = pairs.clone();
            b.retain(|(k, _)| *k != "hours.off");
            b.push(("hours.off", "07:00"));
            b
        })
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().contains("与开机时间相同"), "{}", r.text());
        assert_eq!(h.feed("plaza-tv").await.2.sequence, sequence + 1);

        // The preview of a bad form says why, in Chinese, naming the field by its label.
        let r = post(&h, &admin, "/console/groups/plaza-tv/preview", &bad).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().contains("每页最短停留"), "{}", r.text());

        // A clerk (an editor) uses the same form: what plays and when, at once...
        let editor = login(&h, "王芳").await;
        let page = get(&h, &editor.cookie, "/console/groups/plaza-tv")
            .await
            .text();
        let mut clerk = form_fields(&page, "playlist-form");
        let set = |fields: &mut Vec<(String, String)>, k: &str, v: &str| {
            fields.retain(|(x, _)| x != k);
            fields.push((k.into(), v.into()));
        };
        set(&mut clerk, "dwell.min_s", "15");
        // (the hardware fields are shown disabled: a browser does not send them)
        clerk.retain(|(k, _)| !k.starts_with("screen.") && !k.starts_with("type."));
        let pairs: Vec<(&str, &str)> = clerk
            .iter()
            .filter(|(k, _)| k != "csrf")
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let before = h.feed("plaza-tv").await.2.sequence;
        let r = post(&h, &editor, "/console/groups/plaza-tv/form", &pairs).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
        let feed = h.feed("plaza-tv").await.2;
        assert_eq!(feed.sequence, before + 1);
        assert_eq!(feed.playlist.unwrap().dwell.min_s, 15.0);
        // ...but not the panel's settings.
        let mut hw = pairs.clone();
        hw.push(("screen.width", "1366"));
        let r = post(&h, &editor, "/console/groups/plaza-tv/form", &hw).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
    });
}

#[test]
fn the_dashboard_shows_what_every_group_shows_now_and_the_report_draws_its_chart() {
    let h = office();
    run(async {
        let editor = login(&h, "王芳").await;
        let page = get(&h, &editor.cookie, "/console").await.text();
        let groups = ["plaza-tv", "village-terminal", "service-hall-led"];
        for g in groups {
            assert!(
                page.contains(&format!("/console/groups/{g}/now.png")),
                "the wall has {g}"
            );
        }
        let r = get(
            &h,
            &editor.cookie,
            "/console/groups/village-terminal/now.png",
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let info = png::Decoder::new(std::io::Cursor::new(r.body.clone()))
            .read_info()
            .unwrap()
            .info()
            .clone();
        assert_eq!((info.width, info.height), (1080, 1920));
        // Cached: the same bytes until the feed or the minute changes.
        let again = get(
            &h,
            &editor.cookie,
            "/console/groups/village-terminal/now.png",
        )
        .await;
        assert_eq!(again.body, r.body);

        let page = get(&h, &editor.cookie, "/console/report?year=2026")
            .await
            .text();
        assert!(page.contains("<svg class=\"chart\""), "{page}");
        assert!(page.contains("12月"));
        assert!(page.contains("城关镇广场大屏 每月公告条数和播放次数"));
    });
}

/// Issue 15: the security administrator sets a group's review policy on its page; others see it
/// and have no form; a half-given period is refused in Chinese.
#[test]
fn the_security_administrator_sets_a_review_policy_on_the_group_page() {
    let h = office();
    h.add_user("安全员", Role::Secadmin);
    run(async {
        let secadmin = login(&h, "安全员").await;
        let page = get(&h, &secadmin.cookie, "/console/groups/plaza-tv")
            .await
            .text();
        assert!(
            page.contains("保存审核策略") && page.contains("一名审核人员"),
            "{page}"
        );
        let r = post(
            &h,
            &secadmin,
            "/console/groups/plaza-tv/policy",
            &[
                ("reviews", "2"),
                ("from", "2026-12-01"),
                ("to", "2026-12-03"),
                ("category", "personnel"),
                ("category", "public_affairs"),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
        let editor = login(&h, "王芳").await;
        let page = get(&h, &editor.cookie, "/console/groups/plaza-tv")
            .await
            .text();
        assert!(page.contains("须两名不同的审核人员"), "{page}");
        assert!(page.contains("2026-12-01 至 2026-12-03"), "{page}");
        assert!(
            !page.contains("保存审核策略"),
            "only the security administrator has the form"
        );
        let r = post(
            &h,
            &secadmin,
            "/console/groups/plaza-tv/policy",
            &[("reviews", "2"), ("from", "2026-12-01")],
        )
        .await;
        assert!(
            r.text().contains("活动") || r.text().contains("日期") || r.text().contains("last day"),
            "{}",
            r.text()
        );
        let admin = login(&h, "admin").await;
        let r = post(
            &h,
            &admin,
            "/console/groups/plaza-tv/policy",
            &[("reviews", "1")],
        )
        .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
    });
}

/// Issue 28: half-width punctuation typed in Chinese is warned about above the notice form by
/// field, line and character (the notice still saves), and 全部改为全角标点 gives the form back
/// converted, with everything else as typed, without saving it.
#[test]
fn half_width_punctuation_is_warned_about_and_converted_on_the_form() {
    let h = office();
    run(async {
        let editor = login(&h, "王芳").await;
        let title = "关于2026年度城乡居民医保缴费的通知(第二批)";
        let body = "各村(社区):\r\n\r\n请于12月10日前缴费,逾期视为放弃.咨询电话:0871-65123456,\
                    详见www.ylyb.gov.cn.\r\n\r\n联系人:热依拉・艾买提";
        let mut fields = notice_fields(title, body);
        fields.push(("contact", "医保服务站 0871-65123456"));
        // A warning only: the notice saves as typed.
        let r = post(&h, &editor, "/console/notices", &fields).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
        let location = r.headers[header::LOCATION].to_str().unwrap().to_string();
        let id = location.rsplit('/').next().unwrap().to_string();

        // The notice's page and the form both say where, in Chinese.
        let page = get(&h, &editor.cookie, &location).await.text();
        assert!(
            page.contains("正文 第 3 行第 12 个字：中文里用了半角逗号“,”，应为全角“，”"),
            "{page}"
        );
        let edit = get(&h, &editor.cookie, &format!("{location}/edit"))
            .await
            .text();
        let warnings = between(&edit, "id=\"punctuation\"", "</div>").expect("the warnings");
        for said in [
            "标题 第 1 行第 20 个字：中文里用了半角括号“(”，应为全角“（”",
            "正文 第 1 行第 3 个字",
            "正文 第 3 行第 19 个字：中文里用了半角句号“.”，应为全角“。”",
            "正文 第 5 行第 8 个字：人名中的间隔号“・”（U+30FB）不规范，应统一为“·”（U+00B7）",
            "全部改为全角标点",
        ] {
            assert!(warnings.contains(said), "{said:?} not in {warnings}");
        }
        // Numbers and the address are not punctuation: 2 in the title, 10 in the body.
        assert_eq!(warnings.matches("<li>").count(), 12, "{warnings}");
        // The form's one submit-typed button is still 保存草稿 (scripts and tests click it).
        let form = between(&edit, "id=\"notice-form\"", "</form>").unwrap();
        assert_eq!(form.matches("type=\"submit\"").count(), 1, "{form}");

        // Converting: the form comes back converted, unsaved, the rest as typed.
        let mut convert = fields.clone();
        convert.push(("action", "full-width"));
        let r = post(&h, &editor, &location, &convert).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let again = r.text();
        assert!(again.contains("已改为全角标点，尚未保存"), "{again}");
        assert!(
            !again.contains("id=\"punctuation\""),
            "nothing left to warn: {again}"
        );
        assert!(
            again.contains("value=\"关于2026年度城乡居民医保缴费的通知（第二批）\""),
            "{again}"
        );
        let converted = "各村（社区）：\n\n请于12月10日前缴费，逾期视为放弃。咨询电话：\
                         0871-65123456，详见www.ylyb.gov.cn。\n\n联系人：热依拉·艾买提";
        assert!(again.contains(converted), "{again}");
        assert!(again.contains("value=\"医保服务站 0871-65123456\""));
        assert!(again.contains("value=\"云岭区人民政府办公室\""));
        assert!(again.contains("value=\"2026-11-27T09:00\""));
        assert!(again.contains("value=\"plaza-tv\" checked"), "{again}");
        let api = h.login("王芳").await;
        let saved = h.get(&format!("/api/notices/{id}"), &api).await.json();
        assert_eq!(saved["revisions"].as_array().unwrap().len(), 1, "not saved");
        assert_eq!(saved["revisions"][0]["content"]["title"], title);

        // Saved as converted, the notice has nothing to warn about.
        let converted_title = "关于2026年度城乡居民医保缴费的通知（第二批）";
        let mut fields = notice_fields(converted_title, converted);
        fields.push(("contact", "医保服务站 0871-65123456"));
        let r = post(&h, &editor, &location, &fields).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
        let page = get(&h, &editor.cookie, &location).await.text();
        assert!(!page.contains("id=\"punctuation\""), "{page}");
    });
}

/// Issue 29, in part: the audit log filtered by person, action, result and day, in Chinese; its
/// CSV with Chinese headers and Beijing time.
#[test]
fn the_audit_log_is_filtered_and_exported_in_chinese() {
    let h = office();
    run(async {
        let editor = login(&h, "王芳").await;
        let r = post(
            &h,
            &editor,
            "/console/notices",
            &notice_fields("审计筛选测试", "正文。"),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
        let auditor = login(&h, "审计员").await;
        let rows = |page: &str| -> Vec<String> {
            let body = page.split("<tbody>").nth(1).unwrap_or("");
            let body = body.split("</tbody>").next().unwrap_or("");
            body.split("<tr>").skip(1).map(str::to_string).collect()
        };
        let page = get(&h, &auditor.cookie, "/console/audit").await.text();
        assert!(
            page.contains("name=\"action\"") && page.contains("type=\"date\""),
            "{page}"
        );
        let all = rows(&page);
        assert!(all.iter().any(|r| r.contains("登录")), "{page}");

        let page = get(&h, &auditor.cookie, "/console/audit?action=notice.create")
            .await
            .text();
        let created = rows(&page);
        assert!(!created.is_empty(), "{page}");
        assert!(
            created
                .iter()
                .all(|r| r.contains("新建公告") && r.contains("王芳")),
            "{page}"
        );
        assert!(created.len() < all.len());

        let page = get(
            &h,
            &auditor.cookie,
            "/console/audit?actor=%E7%8E%8B%E8%8A%B3",
        )
        .await
        .text();
        assert!(rows(&page).iter().all(|r| r.contains("王芳")), "{page}");
        let page = get(
            &h,
            &auditor.cookie,
            "/console/audit?from=2000-01-01&to=2000-01-02",
        )
        .await
        .text();
        assert!(
            rows(&page).is_empty() && page.contains("没有符合条件的记录"),
            "{page}"
        );

        let csv = get(&h, &auditor.cookie, "/api/audit/export?format=csv")
            .await
            .text();
        let header = csv.lines().next().unwrap();
        assert!(
            header.starts_with("\u{feff}编号,时间（北京时间）,操作人,操作"),
            "{header}"
        );
        let created = csv.lines().find(|l| l.contains("notice.create")).unwrap();
        assert!(
            created.contains("\"新建公告\"") && created.contains("\"王芳\""),
            "{created}"
        );
        // 2026-…: Beijing time written as people write it, no T, no offset.
        let time = created.split(',').nth(1).unwrap().trim_matches('"');
        assert!(
            time.len() == 19 && time.as_bytes()[10] == b' ' && !time.contains('+'),
            "{time}"
        );
    });
}

/// Issue 29, in part: dates as people write them. A notice valid from a later day is 未开始
/// (with the day it starts) in the list and on its page, not 发布中; a 公示's period reads
/// 11月30日至12月4日 in the list and on its page.
#[test]
fn a_notice_not_yet_valid_says_so_and_its_period_reads_as_people_write_it() {
    let h = office();
    run(async {
        let now = h.service.now();
        let later = noticecast::model::beijing(now + chrono::Duration::days(10));
        let from = later.format("%Y-%m-%dT09:00:00+08:00").to_string();
        let mut body = notice("下周起施行的公示", &["plaza-tv"], &from, None);
        body["notice_period"] = json!({"start": from, "working_days": 5});
        let id = published(&h, body).await;
        let editor = login(&h, "王芳").await;
        let list = get(&h, &editor.cookie, "/console/notices").await.text();
        let start = format!("{}月{}日", later.format("%-m"), later.format("%-d"));
        let row = list.split("<tr>").find(|r| r.contains(&id)).unwrap();
        assert!(row.contains("未开始") && !row.contains("正在显示"), "{row}");
        assert!(row.contains(&format!("公示期：{start}至")), "{row}");
        let page = get(&h, &editor.cookie, &format!("/console/notices/{id}"))
            .await
            .text();
        assert!(
            page.contains("尚未开始显示") && !page.contains("正在显示此版本"),
            "{page}"
        );
        assert!(page.contains(&format!("{start}至")), "{page}");
        // A notice on the screens now whose 公示期 starts next week: its proof says nothing is
        // proved yet, 未开始, not 公示中.
        let mut body = notice("下周起公示的名单", &["plaza-tv"], T0, None);
        body["notice_period"] = json!({"start": from, "working_days": 5});
        let id = published(&h, body).await;
        let proof = get(&h, &editor.cookie, &format!("/console/notices/{id}/proof")).await;
        assert_eq!(proof.status, StatusCode::OK, "{}", proof.text());
        let proof = proof.text();
        assert!(
            proof.contains("结论：<strong>未开始") && !proof.contains("公示中"),
            "{proof}"
        );
    });
}

/// The page's text as a reader sees it: tags (and so attribute values) left out.
fn visible(page: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in page.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

#[test]
fn groups_and_screens_go_by_chinese_names_and_a_new_group_starts_from_its_kinds_template() {
    let h = office();
    run(async {
        // Where a clerk chooses or reads a group, its name: never its id.
        let editor = login(&h, "王芳").await;
        let form = get(&h, &editor.cookie, "/console/notices/new").await.text();
        assert!(form.contains("城关镇广场大屏") && form.contains("溪口村触摸屏"));
        assert!(!visible(&form).contains("plaza-tv"), "{}", visible(&form));
        let wall = get(&h, &editor.cookie, "/console").await.text();
        assert!(wall.contains("服务大厅LED屏"), "{wall}");
        let r = post(
            &h,
            &editor,
            "/console/groups/plaza-tv/label",
            &[("label", "随便改")],
        )
        .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);

        let admin = login(&h, "admin").await;
        // A name of one character is refused in Chinese, and nothing is created.
        let r = post(
            &h,
            &admin,
            "/console/groups",
            &[("label", "屏"), ("kind", "terminal"), ("name", "xikou-2")],
        )
        .await;
        assert!(
            r.text().contains("显示名称须为 2 至 30 个字"),
            "{}",
            r.text()
        );
        assert!(!noticecast::service::domain::groups::exists(&h.service.db(), "xikou-2").unwrap());
        // A new group from its kind's template: no TOML typed.
        let r = post(
            &h,
            &admin,
            "/console/groups",
            &[
                ("label", "溪口村二号屏"),
                ("kind", "terminal"),
                ("name", "xikou-2"),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
        let playlist =
            noticecast::service::domain::groups::playlist(&h.service.db(), "xikou-2").unwrap();
        assert_eq!(playlist.kind, noticecast::model::ScreenKind::Terminal);
        let page = get(&h, &admin.cookie, "/console/groups/xikou-2")
            .await
            .text();
        assert!(page.contains("<title>溪口村二号屏 的播放列表"), "{page}");
        // The template's header waits for a second person, and the page says so until decided.
        assert!(page.contains("提交的修改待审核"), "{page}");
        let list = get(&h, &admin.cookie, "/console/groups").await.text();
        assert!(list.contains("溪口村二号屏"), "{list}");

        // Renamed; every action on the page is answered.
        let r = post(
            &h,
            &admin,
            "/console/groups/plaza-tv/label",
            &[("label", "城关镇广场新大屏")],
        )
        .await;
        let to = r.headers[header::LOCATION].to_str().unwrap().to_string();
        assert!(to.ends_with("?done=label"), "{to}");
        let page = get(&h, &admin.cookie, &to).await.text();
        assert!(page.contains("名称已保存") && page.contains("城关镇广场新大屏"));
        let r = post(
            &h,
            &admin,
            "/console/groups/plaza-tv/areas",
            &[("codes", "330102")],
        )
        .await;
        let to = r.headers[header::LOCATION].to_str().unwrap().to_string();
        let page = get(&h, &admin.cookie, &to).await.text();
        assert!(page.contains("预警区域已保存"), "{to}");
        for (on, said) in [("1", "已暂停播放"), ("0", "已恢复播放")] {
            let r = post(
                &h,
                &admin,
                "/console/groups/plaza-tv/blackout",
                &[("on", on), ("reason", "演练")],
            )
            .await;
            let to = r.headers[header::LOCATION].to_str().unwrap().to_string();
            let page = get(&h, &admin.cookie, &to).await.text();
            assert!(page.contains(said), "{to}");
        }

        // A screen enrolled with its name; renamed; the id stays for the IT person.
        let r = post(
            &h,
            &admin,
            "/console/screens",
            &[
                ("label", "溪口村小学门口"),
                ("id", "xikou-school"),
                ("group", "xikou-2"),
            ],
        )
        .await;
        assert!(r.text().contains("溪口村小学门口"), "{}", r.text());
        let r = post(
            &h,
            &admin,
            "/console/screens/xikou-school/label",
            &[("label", "溪口村小学东门")],
        )
        .await;
        assert!(
            r.text().contains("已改名为「溪口村小学东门」"),
            "{}",
            r.text()
        );
        let screens = get(&h, &editor.cookie, "/console/screens").await.text();
        assert!(
            screens.contains("溪口村小学东门") && screens.contains("溪口村二号屏"),
            "{screens}"
        );
        let r = post(
            &h,
            &admin,
            "/console/screens/no-such/label",
            &[("label", "不存在的屏")],
        )
        .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
    });
}

/// Issue 29: the review state in a clerk's words, for the editor before sending and for both
/// after the first of two approvals.
#[test]
fn the_notice_page_says_how_many_reviews_it_needs_and_how_many_it_has() {
    let h = office();
    h.add_user("安全员", Role::Secadmin);
    run(async {
        let secadmin = login(&h, "安全员").await;
        let r = post(
            &h,
            &secadmin,
            "/console/groups/plaza-tv/policy",
            &[("reviews", "2")],
        )
        .await;
        let to = r.headers[header::LOCATION].to_str().unwrap().to_string();
        let page = get(&h, &secadmin.cookie, &to).await.text();
        assert!(page.contains("审核策略已保存"), "{page}");

        let api_editor = h.login("王芳").await;
        let body = notice("须两人审核的公告", &["plaza-tv"], T0, None);
        let id = h.post("/api/notices", &api_editor, body).await.json()["id"]
            .as_str()
            .unwrap()
            .to_string();
        let editor = login(&h, "王芳").await;
        let path = format!("/console/notices/{id}");
        let page = get(&h, &editor.cookie, &path).await.text();
        assert!(page.contains("提交后需两人审核"), "{page}");
        h.post(&format!("/api/notices/{id}/submit"), &api_editor, json!({}))
            .await;
        let page = get(&h, &editor.cookie, &path).await.text();
        assert!(page.contains("已批准 0/2，等待审核"), "{page}");

        let api_reviewer = h.login("李审核").await;
        let r = h
            .post(
                &format!("/api/notices/{id}/approve"),
                &api_reviewer,
                json!({"revision": 1, "confidentiality_confirmed": true}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        for name in ["王芳", "李审核"] {
            let b = login(&h, name).await;
            let page = get(&h, &b.cookie, &path).await.text();
            assert!(
                page.contains("已批准 1/2（李审核 已批准）")
                    && page.contains("还需另一位审核人批准后才发布"),
                "{name}: {page}"
            );
        }
    });
}

/// Issue 29: a notice form sent after the session ended (30 minutes idle) is kept for the
/// clerk who sent it and given back, unsaved, after they log in again; not for a form without
/// the session's CSRF token, and not twice.
#[test]
fn a_form_sent_after_the_session_ended_is_given_back_after_the_next_login() {
    let h = office();
    run(async {
        let editor = login(&h, "王芳").await;
        h.advance(chrono::Duration::minutes(31));
        // Another site's form, sent with the ended session's cookie: not kept.
        let forged = Browser {
            cookie: editor.cookie.clone(),
            csrf: "not-the-token".into(),
        };
        let fields = notice_fields("伪造的公告", "不应保存");
        let r = post(&h, &forged, "/console/notices", &fields).await;
        assert_eq!(r.headers[header::LOCATION], "/console/login");
        // The clerk's own form: kept, and the login page says so.
        let fields = notice_fields(
            "关于冬季防火检查的通知",
            "各村（社区）：请于12月前完成检查。",
        );
        let r = post(&h, &editor, "/console/notices", &fields).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let to = r.headers[header::LOCATION].to_str().unwrap().to_string();
        assert_eq!(to, "/console/login?held=1");
        let page = h
            .send(Request::get(&to).body(Body::empty()).unwrap())
            .await
            .text();
        assert!(page.contains("您刚才提交的内容已由系统保存"), "{page}");
        // Nothing was saved on the clerk's behalf.
        let count: i64 = h
            .service
            .db()
            .query_row("SELECT COUNT(*) FROM notices", [], |r| r.get(0))
            .unwrap();
        assert_eq!(count, 0);

        // Logging in again leads to the form as it was typed.
        let r = h
            .send(
                Request::post("/console/login")
                    .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .body(Body::from(encode(&[
                        ("name", "王芳"),
                        ("password", PASSWORD),
                    ])))
                    .unwrap(),
            )
            .await;
        assert_eq!(r.headers[header::LOCATION], "/console/notices/held");
        let cookie = r.headers[header::SET_COOKIE].to_str().unwrap();
        let cookie = cookie.split(';').next().unwrap().to_string();
        let page = get(&h, &cookie, "/console/notices/held").await.text();
        assert!(
            page.contains("登录超时后提交的内容已恢复，尚未保存"),
            "{page}"
        );
        assert!(page.contains("关于冬季防火检查的通知") && page.contains("请于12月前完成检查。"));
        assert!(!page.contains("伪造的公告"));
        // Given back once.
        let r = get(&h, &cookie, "/console/notices/held").await;
        assert_eq!(r.headers[header::LOCATION], "/console/notices/new");
        let audit = get(&h, &login(&h, "审计员").await.cookie, "/console/audit")
            .await
            .text();
        assert!(audit.contains("登录超时后提交的表单已代为保存"), "{audit}");
    });
}

/// Issue 29: a change on the users page is answered on the page it leads back to.
#[test]
fn a_change_to_an_account_is_answered() {
    let h = office();
    run(async {
        let admin = login(&h, "admin").await;
        let r = post(&h, &admin, "/console/users/王芳", &[("state", "disabled")]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
        let to = r.headers[header::LOCATION].to_str().unwrap().to_string();
        let page = get(&h, &admin.cookie, &to).await.text();
        assert!(page.contains("已保存对用户 王芳 的修改"), "{page}");
    });
}

/// The rules of the style sheet's `@media print` block, as served.
fn print_rules(css: &str) -> String {
    let start = css.find("@media print {").expect("a print block") + "@media print {".len();
    let mut depth = 1;
    for (i, c) in css[start..].char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            _ => {}
        }
        if depth == 0 {
            return css[start..start + i].to_string();
        }
    }
    panic!("the print block is not closed");
}

/// Issue 29: the 公示证明 prints as a document. The page has a print button (given its click by
/// the script file: the policy allows no inline script), the issuing office's name above the
/// title, who wrote and who approved the notice, the date printed and a box for the seal; the
/// style sheet's print rules leave out the console's header, navigation and buttons.
#[test]
fn the_publication_proof_prints_as_a_document_with_a_place_for_the_seal() {
    let h = office();
    run(async {
        let api_editor = h.login("王芳").await;
        let api_reviewer = h.login("李审核").await;
        let mut body = notice(
            "城关镇2026年第四季度低保对象公示",
            &["plaza-tv"],
            "2026-11-30T08:00:00+08:00",
            Some("2026-12-04T00:00:00+08:00"),
        );
        body["issuer"] = json!("城关镇人民政府");
        body["notice_period"] = json!({"start": "2026-11-30T08:00:00+08:00", "working_days": 3});
        let id = h.publish(&api_editor, &api_reviewer, body).await;
        let (_, _, doc) = h.feed("plaza-tv").await;
        assert!(
            doc.notices.iter().any(|n| n.id == id),
            "the feed carries it"
        );

        let editor = login(&h, "王芳").await;
        let r = get(&h, &editor.cookie, &format!("/console/notices/{id}/proof")).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let csp = r.headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
        assert!(!csp.contains("unsafe-inline"), "{csp}");
        let page = r.text();
        let button = page
            .split("<button")
            .find(|b| b.contains("data-print"))
            .and_then(|b| b.split("</button>").next())
            .expect("a print button");
        assert!(
            button.contains("data-print") && button.ends_with(">打印"),
            "{button}"
        );
        assert!(!page.contains("onclick"), "no inline script: {page}");
        let certificate = page.split("class=\"certificate\"").nth(1).unwrap();
        let office_then_title = "<p class=\"office\">城关镇人民政府</p><h1>公示证明</h1>";
        assert!(certificate.contains(office_then_title), "{certificate}");
        assert!(
            certificate.contains("经办人：<span class=\"sign-line\">王芳</span>")
                && certificate.contains("审核人：<span class=\"sign-line\">李审核</span>"),
            "{certificate}"
        );
        assert!(
            certificate.contains("打印日期：2026年11月27日"),
            "{certificate}"
        );
        assert!(
            certificate.contains("<div class=\"seal\">盖章处</div>"),
            "{certificate}"
        );

        // The script gives the button its click; the print rules hide the frame around it.
        let js = get(&h, &editor.cookie, "/console/static/app.js")
            .await
            .text();
        assert!(js.contains("button[data-print]") && js.contains("window.print()"));
        let css = get(&h, &editor.cookie, "/console/static/app.css")
            .await
            .text();
        let print = print_rules(&css);
        let hidden = print
            .lines()
            .find(|l| l.contains("display: none"))
            .expect("a rule hiding the frame");
        for selector in ["header.top", "nav", "form", "button", ".no-print"] {
            assert!(hidden.contains(selector), "{selector} printed: {hidden}");
        }
        assert!(
            page.contains("<header class=\"top\">") && page.contains("class=\"actions no-print\""),
            "the page uses the classes the print rules name"
        );
        assert!(print.contains("size: A4"), "{print}");
        // Table rows and the signing-off are not split across sheets.
        let unsplit = print
            .lines()
            .find(|l| l.trim_start().starts_with("tr,") && l.contains("break-inside: avoid"))
            .expect("table rows kept whole");
        assert!(unsplit.contains(".sign-off"), "{unsplit}");
    });
}

/// The largest colour value in the picture `r` (a PNG): 0 is black, 102 is white at 40%.
fn brightest(r: &Reply) -> u8 {
    let mut reader = png::Decoder::new(std::io::Cursor::new(r.body.clone()))
        .read_info()
        .unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!(info.color_type, png::ColorType::Rgba);
    buf[..info.buffer_size()]
        .chunks_exact(4)
        .flat_map(|px| px[..3].iter().copied())
        .max()
        .unwrap()
}

/// The off-hours words a picture carries for the playlist form's script, decoded.
fn off_header(r: &Reply) -> Option<String> {
    let value = r.headers.get("x-noticecast-off")?.to_str().unwrap();
    let bytes: Vec<u8> = value
        .split('%')
        .skip(1)
        .map(|h| u8::from_str_radix(h, 16).unwrap())
        .collect();
    Some(String::from_utf8(bytes).unwrap())
}

/// Issue 29: in a group's off-hours the wall and the group page's preview show the last page
/// the screens showed before they went off, dimmed to 40%, under 关屏时段 and the next on-time
/// in Beijing time (明天 when it is tomorrow), instead of a black picture that says nothing.
#[test]
fn off_hours_on_the_wall_show_the_last_page_dimmed_and_when_the_screens_come_on() {
    let h = office();
    run(async {
        let api_editor = h.login("王芳").await;
        let api_reviewer = h.login("李审核").await;
        let mut body = notice("冬季供暖服务热线开通", &["plaza-tv"], T0, None);
        body["body"] = json!("供暖期间如遇暖气不热，请拨打服务热线。".repeat(3));
        h.publish(&api_editor, &api_reviewer, body).await;
        let admin = login(&h, "admin").await;
        // Friday 09:00: every group is on.
        let wall = get(&h, &admin.cookie, "/console").await.text();
        assert!(!wall.contains("关屏时段"), "{wall}");
        let on = get(&h, &admin.cookie, "/console/groups/plaza-tv/now.png").await;
        assert_eq!(on.status, StatusCode::OK, "{}", on.text());
        assert_eq!(off_header(&on), None);
        assert!(brightest(&on) > 200, "the page as the screens show it");

        // Friday 23:00: plaza-tv (06:30-22:30), village-terminal (07:00-21:00) and
        // service-hall-led (08:00-18:00) are off until the morning.
        h.advance(common::t("2026-11-27T23:00:00+08:00") - h.now());
        let admin = login(&h, "admin").await;
        let page = get(&h, &admin.cookie, "/console/groups/plaza-tv")
            .await
            .text();
        assert!(
            page.contains(
                "<span class=\"off-label\" id=\"preview-off\">关屏时段，明天 06:30 开屏</span>"
            ),
            "{page}"
        );
        let wall = get(&h, &admin.cookie, "/console").await.text();
        for label in [
            "关屏时段，明天 06:30 开屏",
            "关屏时段，明天 07:00 开屏",
            "关屏时段，明天 08:00 开屏",
        ] {
            assert!(
                wall.contains(&format!("<span class=\"off-label\">{label}</span>")),
                "{label}: {wall}"
            );
        }
        let off = get(&h, &admin.cookie, "/console/groups/plaza-tv/now.png").await;
        assert_eq!(off.status, StatusCode::OK, "{}", off.text());
        assert_eq!(
            off_header(&off).as_deref(),
            Some("关屏时段，明天 06:30 开屏")
        );
        let dimmed = brightest(&off);
        assert!(
            (60..=102).contains(&dimmed),
            "the last page, at 40% (not black, not lit): {dimmed}"
        );
        // The playlist form's preview with hours that keep the screens on now: lit, no words.
        let mut fields = form_fields(&page, "playlist-form");
        fields.retain(|(k, _)| k != "csrf" && k != "hours.off");
        fields.push(("hours.off".into(), "23:30".into()));
        let pairs: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let r = post(&h, &admin, "/console/groups/plaza-tv/preview", &pairs).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        assert_eq!(off_header(&r), None);
        assert!(brightest(&r) > 200);

        // Saturday 05:00: the screens come on later today.
        h.advance(common::t("2026-11-28T05:00:00+08:00") - h.now());
        let admin = login(&h, "admin").await;
        let wall = get(&h, &admin.cookie, "/console").await.text();
        assert!(wall.contains(">关屏时段，06:30 开屏<"), "{wall}");
    });
}

/// Runs of four or more ASCII letters a reader sees on `page` (HTML): its text less tags and
/// code values (`code`, `pre`, `textarea`, `script`, `style`: the IT person's), URLs, paths and
/// the ids in `ids`. The browser test's check, on a page served here.
fn english_on(page: &str, ids: &[&str]) -> Vec<String> {
    let mut text = page.to_string();
    for tag in ["code", "pre", "textarea", "script", "style"] {
        while let Some(start) = text.find(&format!("<{tag}")) {
            let close = format!("</{tag}>");
            let end = text[start..]
                .find(&close)
                .map_or(text.len(), |i| start + i + close.len());
            text.replace_range(start..end, " ");
        }
    }
    let mut visible = String::new();
    let mut in_tag = false;
    for c in text.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                visible.push(' ');
            }
            c if !in_tag => visible.push(c),
            _ => {}
        }
    }
    common::english(&visible, ids)
}

/// The ids staff gave things here: group names, the admin's login, the screens and sources the
/// tests below add.
const STAFF_IDS: &[&str] = &[
    "plaza-tv",
    "village-terminal",
    "service-hall-led",
    "service-window-led",
    "admin",
    "plaza-02",
    "chengguan-01",
    "qxt",
];

/// A CAP alert for 330102 and 330105 (tests/vectors/alerts), sent just before the office's
/// clock, with `identifier`.
fn rainstorm(identifier: &str) -> String {
    std::fs::read_to_string(common::path("tests/vectors/alerts/cap-rainstorm-alert.xml"))
        .unwrap()
        .replace("2026-11-29T08:00:00+08:00", "2026-11-27T08:55:00+08:00")
        .replace("YL-QXT-20261129-0001", identifier)
}

async fn post_alert(h: &Harness, token: &str, xml: &str) -> Reply {
    h.send(
        Request::post("/api/alerts")
            .header(header::CONTENT_TYPE, "application/cap+xml")
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .body(Body::from(xml.to_string()))
            .unwrap(),
    )
    .await
}

/// Issue 29: the security administrator adds an alert source in the console and sees its token
/// once; the token posts a warning; the remit is changed (a warning outside it refused, a bad
/// code refused in Chinese); revoking, after its confirmation page, makes the token refused and
/// keeps the name taken. Every step is in the audit log in Chinese.
#[test]
fn the_security_administrator_adds_changes_and_revokes_an_alert_source() {
    let h = office();
    h.add_user("安全员", Role::Secadmin);
    run(async {
        let admin = login(&h, "admin").await;
        let r = post(
            &h,
            &admin,
            "/console/groups/plaza-tv/areas",
            &[("codes", "330102")],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());

        let secadmin = login(&h, "安全员").await;
        let home = get(&h, &secadmin.cookie, "/console").await.text();
        assert!(home.contains("href=\"/console/sources\""), "{home}");
        let page = get(&h, &secadmin.cookie, "/console/sources").await.text();
        assert!(page.contains("尚无预警信息来源"), "{page}");

        let r = post(
            &h,
            &secadmin,
            "/console/sources",
            &[("name", "qxt"), ("publish", "direct"), ("areas", "330100")],
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let page = r.text();
        let token = between(&page, "<pre class=\"token\">", "</pre>").expect("the token, once");
        assert!(token.starts_with("ncs_"), "{token}");
        assert!(page.contains("只显示这一次"), "{page}");
        assert_eq!(english_on(&page, STAFF_IDS), Vec::<String>::new());
        // A second look shows the source, not its token.
        let page = get(&h, &secadmin.cookie, "/console/sources").await.text();
        assert!(page.contains("qxt") && page.contains("330100"), "{page}");
        assert!(!page.contains(&token) && !page.contains("ncs_"), "{page}");
        assert_eq!(english_on(&page, STAFF_IDS), Vec::<String>::new());

        let r = post_alert(&h, &token, &rainstorm("console-1")).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        assert_eq!(r.json()["result"], "published");

        // A narrower remit: the same warning for 330102 is now outside it.
        let r = post(
            &h,
            &secadmin,
            "/console/sources/qxt/areas",
            &[("codes", "330105")],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
        assert_eq!(r.headers[header::LOCATION], "/console/sources?saved=qxt");
        let page = get(&h, &secadmin.cookie, "/console/sources?saved=qxt")
            .await
            .text();
        assert!(page.contains("辖区已保存"), "{page}");
        let r = post_alert(&h, &token, &rainstorm("console-2")).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
        assert!(r.text().contains("330102"), "{}", r.text());
        let r = post(
            &h,
            &secadmin,
            "/console/sources/qxt/areas",
            &[("codes", "330100 33")],
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let page = r.text();
        assert!(
            page.contains("qxt 的辖区未保存") && page.contains("“33”不是六位行政区划代码"),
            "{page}"
        );
        assert_eq!(english_on(&page, STAFF_IDS), Vec::<String>::new());

        // Revoking: a page that says what it does, then the form with its reason.
        let page = get(&h, &secadmin.cookie, "/console/sources/qxt/revoke").await;
        assert_eq!(page.status, StatusCode::OK);
        let page = page.text();
        assert!(
            page.contains("确认撤销") && page.contains("都将被拒收") && page.contains("330105"),
            "{page}"
        );
        assert_eq!(english_on(&page, STAFF_IDS), Vec::<String>::new());
        let r = post(
            &h,
            &secadmin,
            "/console/sources/qxt/revoke",
            &[("reason", " ")],
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().contains("原因") && r.text().contains("不能为空"));
        let r = post(
            &h,
            &secadmin,
            "/console/sources/qxt/revoke",
            &[("reason", "令牌泄露")],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
        let page = get(&h, &secadmin.cookie, "/console/sources?revoked=qxt")
            .await
            .text();
        assert!(page.contains("已撤销") && !page.contains("撤销…"), "{page}");
        let r = post_alert(&h, &token, &rainstorm("console-3")).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.text());
        assert!(r.text().contains("revoked"), "{}", r.text());
        // Once revoked, it stays so; its name is not given to another source.
        let r = get(&h, &secadmin.cookie, "/console/sources/qxt/revoke").await;
        assert_eq!(r.status, StatusCode::CONFLICT);
        assert!(r.text().contains("预警来源“qxt”已撤销"), "{}", r.text());
        let r = post(
            &h,
            &secadmin,
            "/console/sources",
            &[("name", "qxt"), ("publish", "review"), ("areas", "330100")],
        )
        .await;
        assert_eq!(r.status, StatusCode::CONFLICT);
        assert!(r.text().contains("已有名为“qxt”的预警来源"), "{}", r.text());

        let auditor = login(&h, "审计员").await;
        let log = get(&h, &auditor.cookie, "/console/audit").await.text();
        for action in ["新增预警来源", "设置预警来源区域", "撤销预警来源"] {
            assert!(log.contains(action), "{action}: {log}");
        }
        assert!(log.contains("令牌泄露"), "{log}");
    });
}

/// Alert sources are the security administrator's alone: the system administrator and an editor
/// get 403 on every source page and form, and no link to them. The group page's 新建屏幕组 form
/// is the system administrator's (the only one who may create a group).
#[test]
fn only_the_security_administrator_manages_alert_sources() {
    let h = office();
    h.add_user("安全员", Role::Secadmin);
    run(async {
        let secadmin = login(&h, "安全员").await;
        let r = post(
            &h,
            &secadmin,
            "/console/sources",
            &[("name", "qxt"), ("publish", "review"), ("areas", "330100")],
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let groups = get(&h, &secadmin.cookie, "/console/groups").await.text();
        assert!(!groups.contains("新建屏幕组"), "{groups}");
        for name in ["admin", "王芳"] {
            let b = login(&h, name).await;
            let home = get(&h, &b.cookie, "/console").await.text();
            assert!(!home.contains("/console/sources"), "{name}: {home}");
            for path in ["/console/sources", "/console/sources/qxt/revoke"] {
                let r = get(&h, &b.cookie, path).await;
                assert_eq!(r.status, StatusCode::FORBIDDEN, "{name} GET {path}");
                assert!(r.text().contains("安全管理员"), "{}", r.text());
            }
            let posts: [(&str, &[(&str, &str)]); 3] = [
                (
                    "/console/sources",
                    &[("name", "evil"), ("publish", "direct"), ("areas", "330100")],
                ),
                ("/console/sources/qxt/areas", &[("codes", "110000")]),
                ("/console/sources/qxt/revoke", &[("reason", "试试")]),
            ];
            for (path, fields) in posts {
                let r = post(&h, &b, path, fields).await;
                assert_eq!(r.status, StatusCode::FORBIDDEN, "{name} POST {path}");
            }
        }
        let sources = noticecast::service::domain::alerts::list_sources(&h.service.db()).unwrap();
        assert_eq!(sources.len(), 1);
        assert_eq!(sources[0].areas, ["330100"]);
        assert!(sources[0].revoked_at.is_none());
        let admin = login(&h, "admin").await;
        let groups = get(&h, &admin.cookie, "/console/groups").await.text();
        assert!(groups.contains("新建屏幕组"), "{groups}");
    });
}

/// Issue 29: the security administrator resets a replaced screen's device key from the screens
/// page, after a page that shows the key id now confirmed (to compare with the screen's) and
/// says what follows; the screen's next key is then confirmed as before. Others may not.
#[test]
fn the_security_administrator_resets_a_screens_device_key_from_the_console() {
    use noticecast::feed::Signer;
    let h = office();
    h.add_user("安全员", Role::Secadmin);
    run(async {
        let admin = login(&h, "admin").await;
        let r = post(
            &h,
            &admin,
            "/console/screens",
            &[("id", "plaza-02"), ("group", "plaza-tv")],
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        h.confirm_device_key("plaza-02");
        let key_id = common::service::device_key("plaza-02")
            .public_key()
            .key_id();

        let secadmin = login(&h, "安全员").await;
        let page = get(&h, &secadmin.cookie, "/console/screens").await.text();
        assert!(
            page.contains("href=\"/console/screens/plaza-02/device-key/reset\""),
            "{page}"
        );
        let r = get(
            &h,
            &secadmin.cookie,
            "/console/screens/plaza-02/device-key/reset",
        )
        .await;
        assert_eq!(r.status, StatusCode::OK);
        let page = r.text();
        assert!(
            page.contains(&key_id) && page.contains("F12") && page.contains("确认设备密钥"),
            "{page}"
        );
        assert_eq!(english_on(&page, STAFF_IDS), Vec::<String>::new());

        for name in ["admin", "王芳"] {
            let b = login(&h, name).await;
            let path = "/console/screens/plaza-02/device-key/reset";
            assert_eq!(get(&h, &b.cookie, path).await.status, StatusCode::FORBIDDEN);
            assert_eq!(post(&h, &b, path, &[]).await.status, StatusCode::FORBIDDEN);
            let list = get(&h, &b.cookie, "/console/screens").await.text();
            assert!(!list.contains("device-key/reset"), "{name}");
        }
        let key_of = || {
            noticecast::service::domain::screens::list(&h.service.db(), h.now())
                .unwrap()
                .into_iter()
                .find(|s| s.id == "plaza-02")
                .unwrap()
                .device_key_id
        };
        assert_eq!(key_of().as_deref(), Some(key_id.as_str()));

        let r = post(
            &h,
            &secadmin,
            "/console/screens/plaza-02/device-key/reset",
            &[],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
        assert_eq!(key_of(), None);
        let location = r.headers[header::LOCATION].to_str().unwrap().to_string();
        let page = get(&h, &secadmin.cookie, &location).await.text();
        assert!(page.contains("plaza-02 的设备密钥已重置"), "{page}");
        // Confirmed again as before (the screen presents its key, the id is compared).
        h.confirm_device_key("plaza-02");
        assert_eq!(key_of().as_deref(), Some(key_id.as_str()));
        let auditor = login(&h, "审计员").await;
        let log = get(&h, &auditor.cookie, "/console/audit").await.text();
        assert!(log.contains("重置屏幕设备密钥"), "{log}");
    });
}

/// Issue 29: screen ids and source names are ASCII; a Chinese one is refused in Chinese, naming
/// the field and the rule, with no English on the page; a taken one too.
#[test]
fn an_id_that_is_not_ascii_is_refused_in_chinese_naming_the_field() {
    let h = office();
    h.add_user("安全员", Role::Secadmin);
    run(async {
        let admin = login(&h, "admin").await;
        let r = post(
            &h,
            &admin,
            "/console/screens",
            &[("id", "城关镇"), ("group", "plaza-tv")],
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let page = r.text();
        assert!(
            page.contains("屏幕编号只能用小写字母、数字、- 和 _") && page.contains("“城关镇”不是"),
            "{page}"
        );
        assert_eq!(english_on(&page, STAFF_IDS), Vec::<String>::new());
        // Enrolled twice: said in Chinese too.
        for expected in [StatusCode::OK, StatusCode::CONFLICT] {
            let r = post(
                &h,
                &admin,
                "/console/screens",
                &[("id", "chengguan-01"), ("group", "plaza-tv")],
            )
            .await;
            assert_eq!(r.status, expected);
        }
        let r = post(
            &h,
            &admin,
            "/console/screens",
            &[("id", "chengguan-01"), ("group", "plaza-tv")],
        )
        .await;
        assert!(
            r.text().contains("屏幕编号“chengguan-01”已登记"),
            "{}",
            r.text()
        );
        assert_eq!(english_on(&r.text(), STAFF_IDS), Vec::<String>::new());

        let secadmin = login(&h, "安全员").await;
        let r = post(
            &h,
            &secadmin,
            "/console/sources",
            &[
                ("name", "城关镇"),
                ("publish", "review"),
                ("areas", "330100 3301"),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let page = r.text();
        assert!(
            page.contains("预警来源名称只能用小写字母、数字、- 和 _")
                && page.contains("“城关镇”不是")
                && page.contains("“3301”不是六位行政区划代码"),
            "{page}"
        );
        // The form comes back as typed.
        assert!(
            page.contains("value=\"城关镇\"") && page.contains("value=\"330100 3301\""),
            "{page}"
        );
        assert_eq!(english_on(&page, STAFF_IDS), Vec::<String>::new());
        // A name nobody has, in the address: not found, in Chinese.
        let r = get(
            &h,
            &secadmin.cookie,
            "/console/sources/%E5%9F%8E%E5%85%B3%E9%95%87/revoke",
        )
        .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        assert!(
            r.text().contains("没有名为“城关镇”的预警来源"),
            "{}",
            r.text()
        );
    });
}

/// Issue 29: in its groups' off-hours a valid notice does not read 正在显示 in the list.
#[test]
fn a_valid_notice_in_its_groups_off_hours_says_when_the_screens_come_on() {
    let h = office();
    run(async {
        let body = notice("夜间发布的公告", &["plaza-tv"], T0, None);
        let id = published(&h, body).await;
        let row = |list: &str| {
            list.split("<tr>")
                .find(|r| r.contains(&id))
                .unwrap()
                .to_string()
        };
        let editor = login(&h, "王芳").await;
        let list = get(&h, &editor.cookie, "/console/notices").await.text();
        assert!(row(&list).contains("正在显示"), "{}", row(&list));
        // 23:00, after plaza-tv's 22:30.
        h.advance(common::t("2026-11-27T23:00:00+08:00") - h.now());
        let editor = login(&h, "王芳").await;
        let list = get(&h, &editor.cookie, "/console/notices").await.text();
        let r = row(&list);
        assert!(
            r.contains("有效；关屏时段") && r.contains("06:30") && !r.contains("正在显示"),
            "{r}"
        );
    });
}

/// A notice written by 王芳 and approved by 李审核 through the API: its id.
async fn published(h: &Harness, body: serde_json::Value) -> String {
    let editor = h.login("王芳").await;
    let reviewer = h.login("李审核").await;
    let id = h.post("/api/notices", &editor, body).await.json()["id"]
        .as_str()
        .unwrap()
        .to_string();
    h.post(&format!("/api/notices/{id}/submit"), &editor, json!({}))
        .await;
    let r = h
        .post(
            &format!("/api/notices/{id}/approve"),
            &reviewer,
            json!({"revision": 1, "confidentiality_confirmed": true}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    id
}
