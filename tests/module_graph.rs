//! The shape of the crate, read from the source text: modules depend on each other in one
//! direction (issue 17 found `api.rs` in a cycle with `console/` and `public.rs`; issue 26 found
//! `layout/body.rs ↔ layout/page.rs`, `bench.rs ↔ cli.rs`, `model/feed.rs ↔ model/playlist.rs`),
//! the service's domain knows no HTTP and its HTTP shell no SQL, and files stay small enough to
//! read in one sitting.
//!
//! Every file under `src/` is a node. An edge goes from a file to the file that defines what one
//! of its paths names (`crate::a::b`, `super::x`, `self::x`, a child module by its name), looking
//! through `pub use` re-exports to the defining file. A module may use its ancestors; its own
//! descendants are its parts, so a parent naming a child is not an edge (alacritty's
//! `display/mod.rs` and its children read the same way). A cycle is then always between modules
//! that should not know each other.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn src_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// `src/a/b.rs` and `src/a/b/mod.rs` → `["a", "b"]`; `src/lib.rs` → `[]`.
fn module_of(file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src_dir()).unwrap();
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let last = parts.pop().unwrap();
    match last.as_str() {
        "mod.rs" | "lib.rs" => {}
        name => parts.push(name.trim_end_matches(".rs").to_string()),
    }
    parts
}

/// The source without its unit tests (they may use anything) and without comments.
fn code(file: &Path) -> String {
    let text = std::fs::read_to_string(file).unwrap();
    let text = match text.find("#[cfg(test)]") {
        Some(i) => &text[..i],
        None => &text[..],
    };
    text.lines()
        .map(|line| match line.find("//") {
            // `//` inside a string ("https://…") keeps the line; a comment drops its rest.
            Some(i) if line[..i].matches('"').count() % 2 == 0 => &line[..i],
            _ => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Every path in `text` that starts with one of `roots` (`crate`, `super`, `self`, or a child
/// module's name), as its segments: `crate::a::{b, c::D}` gives `crate a b` and `crate a c D`.
fn paths(text: &str, roots: &BTreeSet<String>) -> Vec<Vec<String>> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !is_ident(chars[i]) || (i > 0 && (is_ident(chars[i - 1]) || chars[i - 1] == ':')) {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && is_ident(chars[i]) {
            i += 1;
        }
        let word: String = chars[start..i].iter().collect();
        if !roots.contains(&word) || !text_at(&chars, i, "::") {
            continue;
        }
        let mut prefixes = vec![vec![word]];
        expand(&chars, &mut i, &mut prefixes, &mut out);
    }
    out
}

fn text_at(chars: &[char], i: usize, s: &str) -> bool {
    s.chars()
        .enumerate()
        .all(|(k, c)| chars.get(i + k) == Some(&c))
}

/// Reads `::seg::seg` or `::{a, b::c}` after a path head, pushing each full path.
fn expand(chars: &[char], i: &mut usize, heads: &mut Vec<Vec<String>>, out: &mut Vec<Vec<String>>) {
    let mut path = heads.pop().unwrap();
    while text_at(chars, *i, "::") {
        *i += 2;
        if chars.get(*i) == Some(&'{') {
            *i += 1;
            loop {
                while chars
                    .get(*i)
                    .is_some_and(|c| c.is_whitespace() || *c == ',')
                {
                    *i += 1;
                }
                match chars.get(*i) {
                    None => return,
                    Some('}') => {
                        *i += 1;
                        return;
                    }
                    _ => {}
                }
                let start = *i;
                while chars.get(*i).is_some_and(|c| is_ident(*c) || *c == '*') {
                    *i += 1;
                }
                if *i == start {
                    // Something this reader does not follow: skip to the group's end.
                    while chars.get(*i).is_some_and(|c| *c != '}') {
                        *i += 1;
                    }
                    continue;
                }
                let mut item = path.clone();
                item.push(chars[start..*i].iter().collect());
                if text_at(chars, *i, "::") {
                    heads.push(item);
                    expand(chars, i, heads, out);
                } else {
                    out.push(item);
                    // ` as alias`
                    while chars.get(*i).is_some_and(|c| *c != ',' && *c != '}') {
                        *i += 1;
                    }
                }
            }
        }
        let start = *i;
        while chars.get(*i).is_some_and(|c| is_ident(*c)) {
            *i += 1;
        }
        if *i == start {
            break;
        }
        path.push(chars[start..*i].iter().collect());
    }
    out.push(path);
}

struct Crate {
    /// Module path → file.
    files: BTreeMap<Vec<String>, PathBuf>,
    /// (module, item) → the module that defines it, from `pub use` lines.
    reexports: BTreeMap<(Vec<String>, String), Vec<String>>,
}

impl Crate {
    fn read() -> Crate {
        let mut list = Vec::new();
        rust_files(&src_dir(), &mut list);
        let files: BTreeMap<_, _> = list
            .into_iter()
            .filter(|f| f.file_name().unwrap() != "main.rs")
            .map(|f| (module_of(&f), f))
            .collect();
        let mut krate = Crate {
            files,
            reexports: BTreeMap::new(),
        };
        let mut found = Vec::new();
        for (module, file) in &krate.files {
            let text = code(file);
            for statement in text.split(';') {
                let statement = statement.trim();
                let Some(rest) = statement
                    .strip_prefix("pub use ")
                    .or_else(|| statement.strip_prefix("pub(crate) use "))
                else {
                    continue;
                };
                let roots = krate.roots(module);
                let mut probe = roots.clone();
                probe.insert(first_word(rest));
                for path in paths(rest, &probe) {
                    let item = path.last().unwrap().clone();
                    if let Some(target) = krate.resolve(module, &path) {
                        found.push(((module.clone(), item), target));
                    }
                }
            }
        }
        krate.reexports.extend(found);
        krate
    }

    /// The names a path in `module` may start with: `crate`, `super`, `self` and its children.
    fn roots(&self, module: &[String]) -> BTreeSet<String> {
        let mut roots: BTreeSet<String> = ["crate", "super", "self"].map(String::from).into();
        for other in self.files.keys() {
            if other.len() == module.len() + 1 && other.starts_with(module) {
                roots.insert(other.last().unwrap().clone());
            }
        }
        roots
    }

    /// The file-module a path in `module` names, looking through re-exports.
    fn resolve(&self, module: &[String], path: &[String]) -> Option<Vec<String>> {
        let mut at: Vec<String> = module.to_vec();
        let mut rest = path;
        match rest.first().map(String::as_str) {
            Some("crate") => {
                at.clear();
                rest = &rest[1..];
            }
            Some("self") => rest = &rest[1..],
            Some("super") => {
                while rest.first().map(String::as_str) == Some("super") {
                    at.pop()?;
                    rest = &rest[1..];
                }
            }
            _ => {}
        }
        for (k, segment) in rest.iter().enumerate() {
            let mut next = at.clone();
            next.push(segment.clone());
            if self.files.contains_key(&next) {
                at = next;
                continue;
            }
            // An item: defined here, or re-exported from elsewhere.
            return match self.reexports.get(&(at.clone(), segment.clone())) {
                Some(target) if *target != at => {
                    let mut deeper = target.clone();
                    deeper.extend(rest[k + 1..].iter().cloned());
                    self.resolve(&[], &[vec!["crate".into()], deeper].concat())
                }
                _ => Some(at),
            };
        }
        Some(at)
    }

    /// Module → the modules it uses, descendants excluded.
    fn graph(&self) -> BTreeMap<Vec<String>, BTreeSet<Vec<String>>> {
        let mut graph = BTreeMap::new();
        for (module, file) in &self.files {
            let text = code(file);
            let roots = self.roots(module);
            let mut edges = BTreeSet::new();
            for statement in text.split(';') {
                let trimmed = statement.trim_start();
                // A parent re-exporting its children is their facade, not a use of them.
                let reexport =
                    trimmed.starts_with("pub use ") || trimmed.starts_with("pub(crate) use ");
                for path in paths(statement, &roots) {
                    let Some(target) = self.resolve(module, &path) else {
                        continue;
                    };
                    if target.starts_with(module) && (reexport || target != *module) {
                        continue;
                    }
                    edges.insert(target);
                }
            }
            edges.remove(module);
            graph.insert(module.clone(), edges);
        }
        graph
    }
}

fn first_word(s: &str) -> String {
    s.trim().chars().take_while(|c| is_ident(*c)).collect()
}

fn name(module: &[String]) -> String {
    if module.is_empty() {
        "crate".into()
    } else {
        module.join("::")
    }
}

fn find_cycle(graph: &BTreeMap<Vec<String>, BTreeSet<Vec<String>>>) -> Option<Vec<String>> {
    fn visit(
        node: &Vec<String>,
        graph: &BTreeMap<Vec<String>, BTreeSet<Vec<String>>>,
        path: &mut Vec<Vec<String>>,
        done: &mut BTreeSet<Vec<String>>,
    ) -> Option<Vec<String>> {
        if let Some(i) = path.iter().position(|n| n == node) {
            let mut cycle: Vec<String> = path[i..].iter().map(|m| name(m)).collect();
            cycle.push(name(node));
            return Some(cycle);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.clone());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, graph, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        done.insert(node.clone());
        None
    }
    let mut done = BTreeSet::new();
    for node in graph.keys() {
        if let Some(cycle) = visit(node, graph, &mut Vec::new(), &mut done) {
            return Some(cycle);
        }
    }
    None
}

fn module(path: &str) -> Vec<String> {
    path.split("::").map(String::from).collect()
}

#[test]
fn no_import_cycle_in_the_crate() {
    let krate = Crate::read();
    let graph = krate.graph();
    // The reader must see real edges, or the check below proves nothing.
    assert!(
        graph[&module("service::http::api")].contains(&module("service::http::guard")),
        "{:?}",
        graph[&module("service::http::api")]
    );
    assert!(
        graph[&module("render")]
            .iter()
            .any(|m| m.first().is_some_and(|f| f == "layout")),
        "{:?}",
        graph[&module("render")]
    );
    let cycles = all_cycles(&graph);
    assert!(cycles.is_empty(), "import cycles:\n{}", cycles.join("\n"));
}

/// One cycle through each module that is on any, so a failure lists them all at once.
fn all_cycles(graph: &BTreeMap<Vec<String>, BTreeSet<Vec<String>>>) -> Vec<String> {
    let mut cycles = BTreeSet::new();
    for node in graph.keys() {
        let mut without: BTreeMap<_, _> = graph.clone();
        // Only cycles through `node`: drop every other start.
        let only: BTreeMap<_, _> = [(node.clone(), without.remove(node).unwrap())].into();
        let mut merged = without;
        merged.extend(only);
        if let Some(cycle) = find_cycle_from(node, &merged) {
            cycles.insert(cycle.join(" → "));
        }
    }
    cycles.into_iter().collect()
}

fn find_cycle_from(
    start: &Vec<String>,
    graph: &BTreeMap<Vec<String>, BTreeSet<Vec<String>>>,
) -> Option<Vec<String>> {
    // Breadth-first from start's successors back to start: the shortest cycle through it.
    let mut previous: BTreeMap<Vec<String>, Vec<String>> = BTreeMap::new();
    let mut queue = std::collections::VecDeque::new();
    for next in graph.get(start).into_iter().flatten() {
        previous
            .entry(next.clone())
            .or_insert_with(|| start.clone());
        queue.push_back(next.clone());
    }
    while let Some(node) = queue.pop_front() {
        if node == *start {
            let mut cycle = vec![name(start)];
            let mut at = previous[start].clone();
            while at != *start {
                cycle.push(name(&at));
                at = previous[&at].clone();
            }
            cycle.push(name(start));
            cycle.reverse();
            return Some(cycle);
        }
        for next in graph.get(&node).into_iter().flatten() {
            if !previous.contains_key(next) {
                previous.insert(next.clone(), node.clone());
                queue.push_back(next.clone());
            }
        }
    }
    None
}

#[test]
fn the_cycle_check_finds_a_cycle() {
    let graph: BTreeMap<Vec<String>, BTreeSet<Vec<String>>> = [
        (module("a"), [module("b")].into()),
        (module("b"), [module("c")].into()),
        (module("c"), [module("a")].into()),
        (module("d"), [module("a")].into()),
    ]
    .into();
    assert_eq!(
        all_cycles(&graph),
        ["a → b → c → a", "b → c → a → b", "c → a → b → c"]
    );
    let mut acyclic = graph.clone();
    acyclic.get_mut(&module("c")).unwrap().clear();
    assert!(find_cycle(&acyclic).is_none() && all_cycles(&acyclic).is_empty());
}

#[test]
fn the_reader_follows_groups_reexports_and_parents() {
    let roots: BTreeSet<String> = ["crate", "super"].map(String::from).into();
    let found = paths(
        "use crate::a::{b, c::{D, e}, F as G};\nsuper::x::y(1)",
        &roots,
    );
    let found: Vec<String> = found.iter().map(|p| p.join("::")).collect();
    assert_eq!(
        found,
        [
            "crate::a::b",
            "crate::a::c::D",
            "crate::a::c::e",
            "crate::a::F",
            "super::x::y"
        ]
    );
    let krate = Crate::read();
    // `crate::model::Notice` is defined in model/feed.rs and re-exported by model/mod.rs.
    let target = krate.resolve(&module("render"), &module("crate::model::Notice"));
    assert_eq!(target, Some(module("model::feed")));
}

/// Files under `src/service/<dir>/`, unit tests excluded.
fn service_files(dir: &str) -> Vec<PathBuf> {
    let mut files = Vec::new();
    rust_files(&src_dir().join("service").join(dir), &mut files);
    assert!(!files.is_empty(), "no src/service/{dir}");
    files
}

#[test]
fn the_domain_knows_no_http() {
    for file in service_files("domain") {
        let text = code(&file);
        for word in [
            "axum",
            "maud",
            "html!",
            "StatusCode",
            "service::http",
            "IntoResponse",
        ] {
            assert!(
                !text.contains(word),
                "{} names {word}: the domain is reached over HTTP, it does not speak it",
                file.display()
            );
        }
    }
}

#[test]
fn the_http_shell_knows_no_sql() {
    for file in service_files("http") {
        let text = code(&file);
        for word in [
            "rusqlite",
            "query_row",
            ".execute(",
            "prepare(",
            "SELECT ",
            "INSERT ",
        ] {
            assert!(
                !text.contains(word),
                "{} names {word}: the HTTP shell reaches data through the domain's functions",
                file.display()
            );
        }
        assert!(
            !text.contains(".db()"),
            "{} takes the database lock itself: use service.read/record/change",
            file.display()
        );
    }
}

#[test]
fn no_file_uses_both_http_and_the_database() {
    let krate = Crate::read();
    for file in krate.files.values() {
        let text = code(file);
        assert!(
            !(text.contains("axum") && text.contains("rusqlite")),
            "{} uses both axum and rusqlite",
            file.display()
        );
    }
}

/// A newcomer reads a file in one sitting; past 800 lines it holds more than one concern.
#[test]
fn no_file_is_over_800_lines() {
    let mut list = Vec::new();
    rust_files(&src_dir(), &mut list);
    let long: Vec<String> = list
        .iter()
        .filter_map(|f| {
            let lines = std::fs::read_to_string(f).unwrap().lines().count();
            (lines > 800).then(|| format!("{} ({lines})", f.display()))
        })
        .collect();
    assert!(long.is_empty(), "files over 800 lines: {long:?}");
}

/// Storage sits behind the domain's own functions, so that a second database is one more
/// module beside `storage/` (SQLite): outside it, no domain file writes SQL or names rusqlite.
#[test]
fn sql_lives_only_in_storage() {
    let dir = src_dir().join("service/domain");
    let sql = [
        "rusqlite",
        "query_row",
        ".execute(",
        "prepare(",
        "query_map",
        "execute_batch",
    ];
    let mut found = Vec::new();
    for file in service_files("domain") {
        let rel = file
            .strip_prefix(&dir)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        if !rel.starts_with("storage/") && sql.iter().any(|w| code(&file).contains(w)) {
            found.push(rel);
        }
    }
    assert!(
        found.is_empty(),
        "SQL outside domain/storage/: {found:?}: put it behind storage"
    );
    // The check reads real code: storage itself is full of it.
    let storage = code(&dir.join("storage/notices.rs"));
    assert!(sql.iter().any(|w| storage.contains(w)));
}

/// Columns as an editor and rustfmt count them: a CJK character takes two.
fn columns(line: &str) -> usize {
    line.chars()
        .map(|c| match c as u32 {
            0x1100..=0x115F
            | 0x2E80..=0xA4CF
            | 0xAC00..=0xD7A3
            | 0xF900..=0xFAFF
            | 0xFE30..=0xFE4F
            | 0xFF00..=0xFF60
            | 0xFFE0..=0xFFE6
            | 0x20000..=0x3FFFD => 2,
            _ => 1,
        })
        .sum()
}

/// rustfmt keeps code within 100 columns but not strings, comments or macros: those are ours.
#[test]
fn no_line_is_over_100_columns() {
    assert_eq!(columns("ab公示c"), 7);
    let mut list = Vec::new();
    rust_files(&src_dir(), &mut list);
    let long: Vec<String> = list
        .iter()
        .flat_map(|f| {
            let text = std::fs::read_to_string(f).unwrap();
            text.lines()
                .enumerate()
                .filter(|(_, line)| columns(line) > 100)
                .map(|(i, _)| format!("{}:{}", f.display(), i + 1))
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(long.is_empty(), "lines over 100 columns: {long:?}");
}
