//! An alert from the warning system: CAP 1.2 or GB/T 35965.1 XML.
fn main() {
    afl::fuzz!(|data: &[u8]| {
        let text = noticecast_fuzz::text(data);
        let _ = noticecast::model::alert::parse(&text);
    });
}
