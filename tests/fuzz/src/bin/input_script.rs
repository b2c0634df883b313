//! An `--input-script` file (JSON lines of taps and keys).
fn main() {
    afl::fuzz!(|data: &[u8]| {
        let text = noticecast_fuzz::text(data);
        let _ = noticecast::touch::script::parse(&text, "fuzz");
    });
}
