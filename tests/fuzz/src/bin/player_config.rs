//! A screen's player.toml.
fn main() {
    afl::fuzz!(|data: &[u8]| {
        let text = noticecast_fuzz::text(data);
        let _ = noticecast::feed::PlayerConfig::from_toml(&text, "fuzz");
    });
}
