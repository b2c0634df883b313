//! 公示证明 (issue 14): notices with a 公示期, counted in working days with the holiday
//! calendar; the evidence that they were on display for the whole period.

mod common;

use axum::http::StatusCode;
use common::service::{Harness, notice, run};
use noticecast::service::auth::Role;
use serde_json::json;

const T0: &str = "2026-09-25T09:00:00+08:00";

fn office() -> Harness {
    let h = Harness::new(T0);
    h.add_user("王芳", Role::Editor);
    h.add_user("李审核", Role::Reviewer);
    h
}

#[test]
fn a_notice_period_in_working_days_must_fit_the_notices_display_time() {
    let h = office();
    run(async {
        let editor = h.login("王芳").await;
        // 7 working days from Monday 2026-09-28 end with Monday 2026-10-12 (国庆 off, Saturday
        // 10-10 worked): a notice that stops showing on 10-11 would not cover it.
        let mut n = notice(
            "低保对象公示",
            &["village-terminal"],
            "2026-09-28T08:00:00+08:00",
            Some("2026-10-11T18:00:00+08:00"),
        );
        n["notice_period"] = json!({"start": "2026-09-28T08:00:00+08:00", "working_days": 7});
        let r = h.post("/api/notices/check", &editor, n.clone()).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
        let text = r.text();
        assert!(
            text.contains("valid_until") && text.contains("2026-10-13T00:00:00+08:00"),
            "{text}"
        );
        n["valid_until"] = json!("2026-10-13T00:00:00+08:00");
        let r = h.post("/api/notices/check", &editor, n.clone()).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());

        // Both a length and an end, or neither: refused, naming the field.
        n["notice_period"] = json!({"start": "2026-09-28T08:00:00+08:00", "working_days": 7,
            "end": "2026-10-20T00:00:00+08:00"});
        let r = h.post("/api/notices/check", &editor, n.clone()).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().contains("notice_period"), "{}", r.text());
        n["notice_period"] = json!({"start": "2026-09-28T08:00:00+08:00", "working_days": 0});
        let r = h.post("/api/notices/check", &editor, n.clone()).await;
        assert!(
            r.text().contains("notice_period.working_days"),
            "{}",
            r.text()
        );

        // Saved and read back with its period.
        n["notice_period"] = json!({"start": "2026-09-28T08:00:00+08:00", "working_days": 7});
        let r = h.post("/api/notices", &editor, n).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        let id = r.json()["id"].as_str().unwrap().to_string();
        let detail = h.get(&format!("/api/notices/{id}"), &editor).await.json();
        assert_eq!(
            detail["revisions"][0]["content"]["notice_period"]["working_days"],
            7
        );
    });
}
