//! The service's modules depend on each other in one direction (issue 17: `api.rs` was once in
//! an import cycle with `console/` and `public.rs`), and HTTP handlers reach the database only
//! through `Service::{read, record, change}` (a handler that held the non-reentrant lock and
//! called a method that takes it again hung a test twice).
//!
//! Read from the source text: every `super::X` and `crate::service::X` path names module X, or an
//! item that `service/mod.rs` re-exports from its module.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn service_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src/service")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module of `service` a file belongs to (`api/notices.rs` → `api`).
fn module_of(file: &Path) -> String {
    let rel = file.strip_prefix(service_dir()).unwrap();
    let first = rel
        .components()
        .next()
        .unwrap()
        .as_os_str()
        .to_string_lossy();
    first.trim_end_matches(".rs").to_string()
}

/// The source without its unit tests (they may use anything).
fn code(file: &Path) -> String {
    let text = std::fs::read_to_string(file).unwrap();
    match text.find("#[cfg(test)]") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

/// The names right after `prefix` in `text`: `prefix{a, b::c}` gives a and b, `prefix x::y` x.
fn names_after(text: &str, prefix: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find(prefix) {
        // `super::super::x` is read by its own prefix.
        let before = &rest[..i];
        rest = &rest[i + prefix.len()..];
        if before.ends_with("super::") {
            continue;
        }
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 0;
            let mut item = String::new();
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        names.push(first_segment(&item));
                        item.clear();
                        continue;
                    }
                    _ => {}
                }
                item.push(c);
            }
            names.push(first_segment(&item));
        } else {
            names.push(first_segment(rest));
        }
    }
    names.retain(|n| !n.is_empty() && n != "self");
    names
}

fn first_segment(path: &str) -> String {
    path.trim()
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect()
}

/// The graph: module → modules it uses.
fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let dir = service_dir();
    let facade = std::fs::read_to_string(dir.join("mod.rs")).unwrap();
    let mut files = Vec::new();
    rust_files(&dir, &mut files);
    let modules: BTreeSet<String> = files
        .iter()
        .filter(|f| f.file_name().unwrap() != "mod.rs" || f.parent() != Some(&dir))
        .map(|f| module_of(f))
        .collect();
    // `pub use state::{Service, Options}` in mod.rs: Service → state.
    let mut reexports = BTreeMap::new();
    for line in facade.split(';') {
        let line = line.trim();
        if let Some(rest) = line.strip_prefix("pub use ") {
            let (module, items) = rest.split_once("::").unwrap();
            for item in names_after(&format!("::{items}"), "::") {
                reexports.insert(item, module.to_string());
            }
        }
    }
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in files {
        if file == dir.join("mod.rs") {
            continue;
        }
        let module = module_of(&file);
        let nested = file.parent() != Some(dir.as_path());
        let text = code(&file);
        let mut used = names_after(&text, "crate::service::");
        if nested {
            used.extend(names_after(&text, "super::super::"));
        } else {
            used.extend(names_after(&text, "super::"));
        }
        let edges = graph.entry(module.clone()).or_default();
        for name in used {
            let target = if modules.contains(&name) {
                name
            } else if let Some(m) = reexports.get(&name) {
                m.clone()
            } else {
                panic!(
                    "{}: {name} is neither a service module nor re-exported",
                    file.display()
                );
            };
            if target != module {
                edges.insert(target);
            }
        }
    }
    graph
}

fn find_cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(i) = path.iter().position(|n| n == node) {
            let mut cycle = path[i..].to_vec();
            cycle.push(node.to_string());
            return Some(cycle);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, graph, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        done.insert(node.to_string());
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

#[test]
fn no_import_cycle_in_the_service() {
    let graph = graph();
    // The reader must still see the layers: the areas use http, http uses state, not back.
    assert!(graph["api"].contains("http"), "{graph:?}");
    assert!(graph["http"].contains("state"), "{graph:?}");
    if let Some(cycle) = find_cycle(&graph) {
        panic!("import cycle: {}", cycle.join(" → "));
    }
}

#[test]
fn the_cycle_check_finds_a_cycle() {
    let mut graph = graph();
    graph.get_mut("state").unwrap().insert("api".into());
    let cycle = find_cycle(&graph).expect("state → api → … → state");
    assert!(cycle.contains(&"state".to_string()) && cycle.contains(&"api".to_string()));
}

#[test]
fn the_facade_only_names_modules() {
    let facade = std::fs::read_to_string(service_dir().join("mod.rs")).unwrap();
    for line in facade.lines() {
        let line = line.trim();
        assert!(
            line.is_empty()
                || line.starts_with("//")
                || line.starts_with("pub mod ")
                || line.starts_with("pub use ")
                || !line.contains(['(', '=']),
            "service/mod.rs holds more than module names and re-exports: {line}"
        );
    }
}

#[test]
fn http_handlers_reach_the_database_only_through_the_service() {
    let dir = service_dir();
    let mut files = Vec::new();
    for area in ["api", "console"] {
        rust_files(&dir.join(area), &mut files);
    }
    for file in ["public.rs", "feed_http.rs", "http.rs", "server.rs"] {
        files.push(dir.join(file));
    }
    for file in files {
        let text = code(&file);
        assert!(
            !text.contains(".db()"),
            "{} takes the database lock itself: use service.read/record/change",
            file.display()
        );
    }
}
