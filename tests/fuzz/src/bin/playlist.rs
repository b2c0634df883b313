//! A playlist (TOML) as the service checks an edit and a screen checks its feed's playlist.
fn main() {
    afl::fuzz!(|data: &[u8]| {
        let text = noticecast_fuzz::text(data);
        if let Ok(playlist) = noticecast::model::Playlist::from_toml(&text, "fuzz") {
            let _ = playlist.problems();
            // A screen fits the playlist to its picture; odd sizes must not panic.
            let _ = playlist.fitted_to((1920, 1080));
            let _ = playlist.fitted_to((1, 1));
        }
    });
}
