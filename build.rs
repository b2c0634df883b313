//! Compiles jieba's word dictionary (`src/layout/dict/jieba.txt`, about 350,000 `word freq tag`
//! lines) into an `fst` map from word to frequency, written to `OUT_DIR` and embedded by
//! `layout::words`. Parsing the text at start-up cost a screen a tenth of a second before its
//! first page; the compiled map is used where it lies, with nothing to parse.

use std::env;
use std::fs;
use std::path::PathBuf;

const DICT: &str = "src/layout/dict/jieba.txt";

fn main() {
    println!("cargo:rerun-if-changed={DICT}");
    println!("cargo:rerun-if-changed=build.rs");
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    // Only the `app` feature lays out text; the parsers-only build (the fuzz package) has no
    // use for the dictionary.
    if env::var_os("CARGO_FEATURE_APP").is_none() {
        return;
    }
    let text = fs::read_to_string(DICT).unwrap_or_else(|e| panic!("{DICT}: {e}"));
    let mut entries: Vec<(&str, u64)> = Vec::with_capacity(360_000);
    for (n, line) in text.lines().enumerate() {
        let mut fields = line.split_ascii_whitespace();
        let Some(word) = fields.next() else { continue };
        let freq = fields.next().map_or(0, |f| {
            f.parse::<u64>()
                .unwrap_or_else(|e| panic!("{DICT}:{}: frequency {f:?}: {e}", n + 1))
        });
        entries.push((word, freq));
    }
    // jieba sums every line's frequency, a repeated word too; the map keeps the last one, as
    // jieba's trie does.
    let total: u64 = entries.iter().map(|(_, f)| f).sum();
    entries.reverse();
    entries.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    entries.dedup_by(|later, earlier| later.0 == earlier.0);
    let mut map = fst::MapBuilder::memory();
    for (word, freq) in &entries {
        map.insert(word, *freq).expect("sorted, distinct words");
    }
    let bytes = map.into_inner().expect("an in-memory map");
    fs::write(out.join("words.fst"), bytes).expect("write words.fst");
    fs::write(out.join("words_total.rs"), format!("{total}")).expect("write words_total.rs");
}
