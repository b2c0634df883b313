//! A playlist edit as the keys it changes. An edit that waits for review (it changes what
//! residents read) keeps the playlist it was made on; approved later, only the keys it changed
//! are written onto the playlist as it is then, so an edit made meanwhile (the on-hours, say)
//! is not silently reverted by an older, whole copy. The reviewer sees every key it changes.

use std::collections::{BTreeMap, BTreeSet};

use toml_edit::{DocumentMut, Item, Table};

/// One key an edit changes: its dotted path, and its value before and after (TOML, `None`:
/// absent).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyChange {
    pub path: Vec<String>,
    pub before: Option<String>,
    pub after: Option<String>,
}

impl KeyChange {
    pub fn dotted(&self) -> String {
        self.path.join(".")
    }
}

/// A playlist that is not TOML (`what` says which of the three).
#[derive(Debug, thiserror::Error)]
#[error("{what}: not TOML: {source}")]
pub struct NotToml {
    what: &'static str,
    source: toml_edit::TomlError,
}

fn parse(text: &str, what: &'static str) -> Result<DocumentMut, NotToml> {
    text.parse::<DocumentMut>()
        .map_err(|source| NotToml { what, source })
}

/// Every leaf of `table`: values (an inline table or an array whole) and arrays of tables
/// (whole), by path; tables are walked into.
fn leaves(table: &Table, prefix: &mut Vec<String>, out: &mut BTreeMap<Vec<String>, Item>) {
    for (key, item) in table.iter() {
        prefix.push(key.to_string());
        match item {
            Item::Table(t) => leaves(t, prefix, out),
            Item::None => {}
            other => {
                out.insert(prefix.clone(), other.clone());
            }
        }
        prefix.pop();
    }
}

/// A leaf as TOML text, without the comments and spacing around it.
fn text_of(item: &Item) -> String {
    match item {
        Item::Value(v) => {
            let mut v = v.clone();
            v.decor_mut().clear();
            v.to_string()
        }
        other => other.to_string().trim().to_string(),
    }
}

fn leaf_map(text: &str, what: &'static str) -> Result<BTreeMap<Vec<String>, Item>, NotToml> {
    let doc = parse(text, what)?;
    let mut out = BTreeMap::new();
    leaves(doc.as_table(), &mut Vec::new(), &mut out);
    Ok(out)
}

/// The keys `edited` changes relative to `base`, in path order.
pub fn changes(base: &str, edited: &str) -> Result<Vec<KeyChange>, NotToml> {
    let a = leaf_map(base, "the playlist the edit was made on")?;
    let b = leaf_map(edited, "the edited playlist")?;
    let paths: BTreeSet<&Vec<String>> = a.keys().chain(b.keys()).collect();
    Ok(paths
        .into_iter()
        .filter_map(|path| {
            let before = a.get(path).map(text_of);
            let after = b.get(path).map(text_of);
            (before != after).then(|| KeyChange {
                path: path.clone(),
                before,
                after,
            })
        })
        .collect())
}

/// `current` with the keys `edited` changed relative to `base` written onto it (set, or removed
/// where the edit removed them); everything else of `current` stays as it is, comments too.
pub fn apply(base: &str, edited: &str, current: &str) -> Result<String, NotToml> {
    let edited_leaves = leaf_map(edited, "the edited playlist")?;
    let mut doc = parse(current, "the current playlist")?;
    for change in changes(base, edited)? {
        let (last, parents) = change.path.split_last().expect("a leaf has a key");
        let mut table = doc.as_table_mut();
        for key in parents {
            let entry = table.entry(key).or_insert_with(toml_edit::table);
            if !entry.is_table() {
                // The current playlist has a value where the edit has a table: the edit's
                // table replaces it.
                *entry = toml_edit::table();
            }
            table = entry.as_table_mut().expect("made a table above");
        }
        match edited_leaves.get(&change.path) {
            Some(item) => {
                table.insert(last, item.clone());
            }
            None => {
                table.remove(last);
            }
        }
    }
    Ok(doc.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = r#"name = "城关镇广场"
kind = "tv"

[hours]
on = "07:00"
off = "22:00"

[ticker]
text = "旧的滚动文字"
"#;

    #[test]
    fn approving_a_pending_ticker_change_reverted_a_later_hours_edit() {
        let edited = BASE.replace("旧的滚动文字", "新的滚动文字");
        // Meanwhile an admin changed the on-hours directly.
        let current = BASE.replace("22:00", "20:00");
        let applied = apply(BASE, &edited, &current).unwrap();
        assert!(applied.contains("新的滚动文字"), "{applied}");
        assert!(
            applied.contains("\"20:00\""),
            "the later hours edit stays: {applied}"
        );
        assert!(!applied.contains("22:00"), "{applied}");
    }

    #[test]
    fn every_changed_key_is_listed_added_removed_and_changed() {
        let edited = BASE
            .replace("旧的滚动文字", "新的")
            .replace("[hours]\non = \"07:00\"\n", "[hours]\n")
            + "\n[dwell]\nmax_s = 40\n";
        let list: Vec<(String, Option<String>, Option<String>)> = changes(BASE, &edited)
            .unwrap()
            .into_iter()
            .map(|c| (c.dotted(), c.before, c.after))
            .collect();
        assert_eq!(
            list,
            vec![
                ("dwell.max_s".into(), None, Some("40".into())),
                ("hours.on".into(), Some("\"07:00\"".into()), None),
                (
                    "ticker.text".into(),
                    Some("\"旧的滚动文字\"".into()),
                    Some("\"新的\"".into())
                ),
            ]
        );
        let applied = apply(BASE, &edited, BASE).unwrap();
        assert!(
            !applied.contains("07:00") && applied.contains("max_s = 40"),
            "{applied}"
        );
    }

    #[test]
    fn comments_and_spacing_are_not_changes() {
        let edited = BASE.replace("kind = \"tv\"", "kind   =   \"tv\"   # 大屏");
        assert!(changes(BASE, &edited).unwrap().is_empty());
    }
}
