//! The shape of `src/`, checked: dependencies point one way (no import cycle between
//! source files, and each module uses only the layers below its own), and no source file
//! is over 700 lines outside its tests. Dependencies are the `use crate::…` and
//! `super::…` paths of code that is not `#[cfg(test)]`; a parent naming its own children
//! (as the rule registry does) is not a dependency.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The layers, lowest first: a module may use its own layer and those below. The first
/// entry whose path is a prefix of a module's decides its layer.
const LAYERS: &[(&str, usize)] = &[
    ("diagnostic", 0),
    ("text", 0),
    ("suggest", 0),
    ("yaml", 1),
    ("error", 1),
    ("fs", 1),
    ("interrupt", 1),
    ("progress", 1),
    ("paths", 1),
    ("git", 1),
    ("note", 2),
    // Checking a fix by value needs only notes and YAML; `check` runs it to say which
    // findings `fix` will fix, so it sits below the pipeline.
    ("fix::verify", 2),
    ("config", 3),
    ("canvas", 3),
    ("walk", 4),
    ("vault", 4),
    ("schema", 4),
    ("suppress", 4),
    ("rules", 5),
    // Link rewriting for `mv`, `fix --follow-renames` and the near-match fix of a broken
    // link: over the vault index, beside the rules that offer its fixes.
    ("relink", 5),
    // The persistent cache keeps what the rules found per note, for the pipeline.
    ("cache", 6),
    ("lint", 6),
    ("fix", 7),
    ("output", 7),
    ("baseline", 7),
    ("infer", 7),
    // The language server drives the pipeline like a command does, for one editor session.
    ("server", 7),
    ("cli", 8),
    ("commands", 9),
    ("", 10),
];

const MAX_LINES: usize = 700;

type Module = Vec<String>;

struct Source {
    /// The text without `#[cfg(test)]` items and comments.
    code: String,
    lines: usize,
    /// A file declared `#[cfg(test)] mod x;` (all of it is test code).
    test_only: bool,
}

fn modules() -> BTreeMap<Module, Source> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut out = BTreeMap::new();
    let mut stack = vec![root.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("src is readable") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            // The binary's `main.rs` uses the library from outside.
            if path.extension().is_none_or(|e| e != "rs") || path == root.join("main.rs") {
                continue;
            }
            let rel = path
                .strip_prefix(&root)
                .expect("under src")
                .with_extension("");
            let mut module: Module = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            if module
                .last()
                .is_some_and(|m| m == "mod" || m == "lib" || m == "main")
            {
                module.pop();
            }
            let text = std::fs::read_to_string(&path).expect("readable");
            let code = without_comments(&without_tests(&text));
            let lines = code.lines().count();
            out.insert(
                module,
                Source {
                    code,
                    lines,
                    test_only: false,
                },
            );
        }
    }
    // Files declared as test-only modules (`#[cfg(test)] mod tests;`).
    let declared: Vec<Module> = out
        .keys()
        .flat_map(|module| {
            let path = root.join(module.join("/"));
            let file = if module.is_empty() {
                root.join("lib.rs")
            } else if path.join("mod.rs").is_file() {
                path.join("mod.rs")
            } else {
                path.with_extension("rs")
            };
            let text = std::fs::read_to_string(file).unwrap_or_default();
            test_modules(&text)
                .into_iter()
                .map(|child| {
                    let mut m = module.clone();
                    m.push(child);
                    m
                })
                .collect::<Vec<_>>()
        })
        .collect();
    for module in declared {
        if let Some(source) = out.get_mut(&module) {
            source.test_only = true;
        }
    }
    out
}

/// The names of `#[cfg(test)] mod x;` declarations.
fn test_modules(text: &str) -> Vec<String> {
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if *line != "#[cfg(test)]" {
            continue;
        }
        let item = lines[i + 1..].iter().find(|l| !l.starts_with("#["));
        if let Some(name) = item
            .map(|l| {
                l.trim_start_matches("pub(crate) ")
                    .trim_start_matches("pub ")
            })
            .and_then(|l| l.strip_prefix("mod "))
            .and_then(|l| l.strip_suffix(';'))
        {
            out.push(name.trim().to_owned());
        }
    }
    out
}

/// `text` without the items under `#[cfg(test)]` (a `mod tests { … }` or a declaration).
fn without_tests(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if lines[i].trim() != "#[cfg(test)]" {
            out.push(lines[i]);
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while j < lines.len() && lines[j].trim().starts_with("#[") {
            j += 1;
        }
        let mut depth = 0i64;
        let mut opened = false;
        while j < lines.len() {
            let line = lines[j];
            depth += line.matches('{').count() as i64 - line.matches('}').count() as i64;
            opened |= line.contains('{');
            if (opened && depth <= 0) || (!opened && line.trim_end().ends_with(';')) {
                break;
            }
            j += 1;
        }
        i = j + 1;
    }
    out.join("\n")
}

fn without_comments(text: &str) -> String {
    text.lines()
        .filter(|line| !line.trim_start().starts_with("//"))
        .map(|line| match line.find(" // ") {
            Some(at) if !line[..at].contains('"') => &line[..at],
            _ => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The paths a `use` tree names, relative to the crate (`crate::`) or to `base` (`super::`).
fn expand(prefix: &[String], tree: &str, out: &mut Vec<Module>) {
    let tree = tree.trim();
    if let Some(inner) = tree.strip_prefix('{') {
        let inner = inner.strip_suffix('}').unwrap_or(inner);
        let mut depth = 0;
        let mut start = 0;
        for (at, c) in inner.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    expand(prefix, &inner[start..at], out);
                    start = at + 1;
                }
                _ => {}
            }
        }
        if !inner[start..].trim().is_empty() {
            expand(prefix, &inner[start..], out);
        }
        return;
    }
    if let Some((head, rest)) = tree.split_once("::") {
        let mut path = prefix.to_vec();
        path.push(head.trim().to_owned());
        expand(&path, rest, out);
        return;
    }
    let name = tree.split_whitespace().next().unwrap_or_default();
    let mut path = prefix.to_vec();
    if !matches!(name, "self" | "*" | "") {
        path.push(name.to_owned());
    }
    out.push(path);
}

/// `super::super::x` from `module`: the path it names from the crate root.
fn from_super(module: &[String], path: &str) -> (Module, String) {
    let mut base = module.to_vec();
    let mut rest = path;
    while let Some(after) = rest.strip_prefix("super::") {
        base.pop();
        rest = after;
    }
    (base, rest.to_owned())
}

/// Every module `module`'s code refers to.
fn references(module: &[String], code: &str) -> Vec<Module> {
    let mut out = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find("use ") {
        let before = rest[..at].chars().next_back();
        rest = &rest[at + 4..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let Some(end) = rest.find(';') else { break };
        let tree = rest[..end].trim();
        if let Some(tree) = tree.strip_prefix("crate::") {
            expand(&[], tree, &mut out);
        } else if tree.starts_with("super::") {
            let (base, tree) = from_super(module, tree);
            expand(&base, &tree, &mut out);
        }
    }
    for (marker, is_super) in [("crate::", false), ("super::", true)] {
        let mut rest = code;
        while let Some(at) = rest.find(marker) {
            let before = rest[..at].chars().next_back();
            let after = &rest[at..];
            rest = &rest[at + marker.len()..];
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
                continue;
            }
            let path: String = after
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
                .collect();
            let path = path.trim_end_matches(':');
            if is_super {
                let (mut base, tail) = from_super(module, path);
                base.extend(tail.split("::").map(str::to_owned));
                out.push(base);
            } else {
                let tail = path.strip_prefix("crate::").unwrap_or(path);
                out.push(tail.split("::").map(str::to_owned).collect());
            }
        }
    }
    out
}

/// The module dependency graph of the non-test code.
fn graph(sources: &BTreeMap<Module, Source>) -> BTreeMap<Module, BTreeSet<Module>> {
    let is_test = |module: &Module| {
        (0..=module.len()).any(|n| sources.get(&module[..n]).is_some_and(|s| s.test_only))
    };
    let mut edges: BTreeMap<Module, BTreeSet<Module>> = BTreeMap::new();
    for (module, source) in sources {
        if is_test(module) {
            continue;
        }
        for path in references(module, &source.code) {
            // The longest prefix that is a module of the crate.
            let Some(target) = (0..=path.len())
                .rev()
                .map(|n| path[..n].to_vec())
                .find(|candidate| sources.contains_key(candidate))
            else {
                continue;
            };
            // Itself, or a parent naming its own child.
            if target.starts_with(module) {
                continue;
            }
            edges.entry(module.clone()).or_default().insert(target);
        }
    }
    edges
}

fn name(module: &[String]) -> String {
    if module.is_empty() {
        "crate".to_owned()
    } else {
        module.join("::")
    }
}

fn layer(module: &[String]) -> usize {
    let path = name(module);
    LAYERS
        .iter()
        .find(|(prefix, _)| {
            path == *prefix || path.starts_with(&format!("{prefix}::")) || prefix.is_empty()
        })
        .map_or(usize::MAX, |(_, layer)| *layer)
}

#[test]
fn no_import_cycle_between_source_files() {
    let sources = modules();
    let edges = graph(&sources);
    assert!(
        edges.values().map(BTreeSet::len).sum::<usize>() > 100,
        "the parser found the crate's imports"
    );
    // Depth-first search for a back edge.
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        Open,
        Done,
    }
    fn visit(
        at: &Module,
        edges: &BTreeMap<Module, BTreeSet<Module>>,
        marks: &mut BTreeMap<Module, Mark>,
        path: &mut Vec<Module>,
    ) -> Option<Vec<String>> {
        match marks.get(at) {
            Some(Mark::Done) => return None,
            Some(Mark::Open) => {
                let from = path.iter().position(|m| m == at).unwrap_or(0);
                return Some(path[from..].iter().map(|m| name(m)).collect());
            }
            None => {}
        }
        marks.insert(at.clone(), Mark::Open);
        path.push(at.clone());
        for next in edges.get(at).into_iter().flatten() {
            if let Some(cycle) = visit(next, edges, marks, path) {
                return Some(cycle);
            }
        }
        path.pop();
        marks.insert(at.clone(), Mark::Done);
        None
    }
    let mut marks = BTreeMap::new();
    for module in sources.keys() {
        if let Some(cycle) = visit(module, &edges, &mut marks, &mut Vec::new()) {
            panic!("import cycle: {}", cycle.join(" -> "));
        }
    }
}

#[test]
fn modules_use_only_the_layers_below_them() {
    let sources = modules();
    let mut wrong = Vec::new();
    for (from, targets) in graph(&sources) {
        for to in targets {
            if layer(&to) > layer(&from) {
                wrong.push(format!("{} -> {}", name(&from), name(&to)));
            }
        }
    }
    assert!(wrong.is_empty(), "dependencies that point up: {wrong:#?}");
    let unplaced: Vec<String> = sources
        .keys()
        .filter(|m| layer(m) == 10 && !m.is_empty())
        .map(|m| name(m))
        .collect();
    assert!(
        unplaced.is_empty(),
        "modules without a layer in LAYERS: {unplaced:?}"
    );
}

#[test]
fn no_source_file_over_700_lines_outside_its_tests() {
    let long: Vec<String> = modules()
        .into_iter()
        .filter(|(_, source)| !source.test_only && source.lines > MAX_LINES)
        .map(|(module, source)| format!("{} ({} lines)", name(&module), source.lines))
        .collect();
    assert!(long.is_empty(), "split these files: {long:?}");
}
