//! The committed JSON Schemas are generated from the Rust types; this fails when they are stale.
//! `NOTICECAST_BLESS=1 cargo test --test schema` writes them anew.

mod common;

use noticecast::model::{FeedDocument, Playlist};

fn check(file: &str, schema: schemars::Schema) {
    let generated = serde_json::to_string_pretty(&schema).unwrap() + "\n";
    let path = common::path(file);
    if std::env::var_os("NOTICECAST_BLESS").is_some() {
        std::fs::write(&path, &generated).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "{file} is stale: run NOTICECAST_BLESS=1 cargo test --test schema and commit it"
    );
}

#[test]
fn feed_schema_is_current() {
    check("docs/feed.schema.json", schemars::schema_for!(FeedDocument));
}

#[test]
fn playlist_schema_is_current() {
    check("docs/playlist.schema.json", schemars::schema_for!(Playlist));
}

#[test]
fn the_demo_feed_matches_the_schema_shape() {
    // Not a full JSON Schema validator: the schema's required top-level fields are all present
    // in the demo, and it forbids the fields it does not know.
    let schema = serde_json::to_value(schemars::schema_for!(FeedDocument)).unwrap();
    let demo = common::demo_json();
    for field in schema["required"].as_array().unwrap() {
        assert!(
            demo.get(field.as_str().unwrap()).is_some(),
            "demo lacks {field}"
        );
    }
    assert_eq!(schema["additionalProperties"], serde_json::json!(false));
}
