//! The feed document (JSON) as a screen validates it after the signature checks out.
fn main() {
    afl::fuzz!(|data: &[u8]| {
        let text = noticecast_fuzz::text(data);
        if let Ok(feed) = noticecast::model::Feed::from_json(&text, "fuzz") {
            // What the player asks of every accepted feed.
            let now = noticecast_fuzz::noon();
            for notice in &feed.document().notices {
                let _ = notice.is_valid_at(now);
                let _ = notice.names();
            }
        }
    });
}
