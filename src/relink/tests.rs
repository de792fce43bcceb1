//! The rewriting guarantees on generated vaults: after any sequence of moves, every link
//! reaches the file it reached before (under its new path), and no byte outside a link's
//! target text changes.

use std::path::PathBuf;

use rustc_hash::FxHashMap;

use super::*;
use crate::config::Config;
use crate::walk::Walk;

const FOLDERS: &[&str] = &["", "A", "A/B", "C", "Zoë"];
const NAMES: &[&str] = &["Plan", "Dana", "Zoë", "My Note", "x", "plan"];

/// A small deterministic generator, driven by the seed proptest picks.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn pick<'a, T: ?Sized>(&mut self, items: &'a [&'a T]) -> &'a T {
        items[(self.next() % items.len() as u64) as usize]
    }
}

fn join(folder: &str, name: &str) -> String {
    if folder.is_empty() {
        name.to_owned()
    } else {
        format!("{folder}/{name}")
    }
}

fn options() -> ParseOptions {
    Config::defaults(PathBuf::from(".")).parse_options()
}

fn resolver(texts: &FxHashMap<String, String>) -> Resolver {
    let files = texts
        .keys()
        .map(|rel| VaultFile {
            abs: PathBuf::from(rel),
            rel: rel.clone(),
            is_note: rel.ends_with(".md"),
            excluded: false,
        })
        .collect();
    Resolver::new(Walk::from_files(files, Vec::new()))
}

/// Links to `target` from the note at `source` in every form (some may not resolve).
fn link_to(rng: &mut Rng, source: &str, target: &str) -> (String, bool) {
    let name = target.rsplit('/').next().unwrap_or(target);
    let stem = name.strip_suffix(".md").unwrap_or(name);
    let folder = source.rsplit_once('/').map_or("", |(f, _)| f);
    let depth = folder.split('/').filter(|p| !p.is_empty()).count();
    let up = "../".repeat(depth);
    let path = target.strip_suffix(".md").unwrap_or(target);
    let encoded = target.replace(' ', "%20").replace('ë', "%C3%AB");
    let frontmatter = rng.next().is_multiple_of(4);
    let link = match rng.next() % 9 {
        0 => format!("[[{stem}]]"),
        1 => format!("[[{path}|shown]]"),
        2 => format!("![[{name}#Head|300]]"),
        3 => format!("[[{up}{path}]]"),
        4 if !frontmatter => format!("[t]({up}{encoded})"),
        5 if !frontmatter => format!("[t](</{target}>)"),
        6 if !frontmatter => format!("| a | [[{stem}\\|b]] |"),
        7 => format!("[[{stem}#^id]]"),
        _ => format!("[[/{path}]]"),
    };
    let frontmatter = frontmatter && link.starts_with("[[");
    (link, frontmatter)
}

fn generate(seed: u64) -> FxHashMap<String, String> {
    let mut rng = Rng(seed | 1);
    let mut paths: Vec<String> = Vec::new();
    for _ in 0..(4 + rng.next() % 6) {
        let path = join(rng.pick(FOLDERS), &format!("{}.md", rng.pick(NAMES)));
        if !paths.iter().any(|p| p.eq_ignore_ascii_case(&path)) {
            paths.push(path);
        }
    }
    paths.push(join(rng.pick(FOLDERS), "img.png"));
    let mut texts = FxHashMap::default();
    for source in paths.iter().filter(|p| p.ends_with(".md")) {
        let mut body = String::from("# Head\ntext ^id\n");
        let mut items = Vec::new();
        for _ in 0..(1 + rng.next() % 5) {
            let target = paths[(rng.next() % paths.len() as u64) as usize].clone();
            let (link, frontmatter) = link_to(&mut rng, source, &target);
            if frontmatter {
                items.push(format!("  - \"{link}\"\n"));
            } else {
                body.push_str(&format!("see {link} here\n"));
            }
        }
        let text = if items.is_empty() {
            body
        } else {
            format!("---\nrelated:\n{}other: 1\n---\n{body}", items.concat())
        };
        texts.insert(source.clone(), text);
    }
    for path in paths.iter().filter(|p| !p.ends_with(".md")) {
        texts.insert(path.clone(), String::new());
    }
    texts
}

/// (source, target) of every link that resolves, sorted (a multiset).
fn pairs(texts: &FxHashMap<String, String>) -> Vec<(String, String)> {
    let resolver = resolver(texts);
    let view = resolver.view();
    let options = options();
    let mut out = Vec::new();
    for (rel, text) in texts.iter().filter(|(rel, _)| rel.ends_with(".md")) {
        let source = Source::parse(rel, text.clone(), &options);
        for site in source.sites() {
            if let Some(target) = view.resolve(rel, &site.link) {
                out.push((rel.clone(), target.to_owned()));
            }
        }
    }
    out.sort();
    out
}

/// The text outside every link's target, in order.
fn outside_targets(rel: &str, text: &str) -> Vec<String> {
    let source = Source::parse(rel, text.to_owned(), &options());
    let mut spans: Vec<std::ops::Range<usize>> = source
        .sites()
        .into_iter()
        .map(|s| s.link.target_span)
        .collect();
    spans.sort_by_key(|s| s.start);
    let mut out = Vec::new();
    let mut at = 0;
    for span in spans {
        out.push(text.get(at..span.start).unwrap_or_default().to_owned());
        at = span.end.max(at);
    }
    out.push(text.get(at..).unwrap_or_default().to_owned());
    out
}

fn check_moves(seed: u64) -> Result<(), String> {
    let mut texts = generate(seed);
    let mut rng = Rng(seed.rotate_left(17) | 1);
    for _ in 0..4 {
        let mut files: Vec<&String> = texts.keys().collect();
        files.sort();
        let from = files[(rng.next() % files.len() as u64) as usize].clone();
        let name = from.rsplit('/').next().unwrap_or(&from);
        let new_name = if from.ends_with(".md") && rng.next().is_multiple_of(2) {
            format!("{}.md", rng.pick(NAMES))
        } else {
            name.to_owned()
        };
        let to = join(rng.pick(FOLDERS), &new_name);
        if texts.keys().any(|k| k.eq_ignore_ascii_case(&to)) {
            continue;
        }
        let before = pairs(&texts);
        let moves = [Move {
            from: from.clone(),
            to: to.clone(),
        }];
        let read = |file: &VaultFile| texts.get(&file.rel).cloned();
        let resolver = resolver(&texts);
        let Ok(plan) = plan(resolver.view(), &moves, &options(), &read) else {
            continue;
        };
        let mut next = texts.clone();
        for file in &plan.files {
            if outside_targets(&file.rel, &file.original) != outside_targets(&file.rel, &file.text)
            {
                return Err(format!(
                    "bytes outside link targets changed in {}:\n{}\n---\n{}",
                    file.rel, file.original, file.text
                ));
            }
            next.insert(file.rel.clone(), file.text.clone());
        }
        let moved = next.remove(&from).unwrap_or_default();
        next.insert(to.clone(), moved);
        let rename = |rel: &String| {
            if *rel == from {
                to.clone()
            } else {
                rel.clone()
            }
        };
        let mut expected: Vec<(String, String)> =
            before.iter().map(|(s, t)| (rename(s), rename(t))).collect();
        expected.sort();
        let after = pairs(&next);
        if after != expected {
            return Err(format!(
                "moving {from} to {to} changed links:\nexpected {expected:?}\n     got {after:?}"
            ));
        }
        texts = next;
    }
    Ok(())
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]
    #[test]
    fn moves_keep_every_link_and_every_other_byte(seed in proptest::prelude::any::<u64>()) {
        if let Err(why) = check_moves(seed) {
            proptest::prop_assert!(false, "{}", why);
        }
    }
}

#[test]
fn the_generator_makes_links_that_resolve() {
    let texts = generate(42);
    assert!(pairs(&texts).len() >= 3, "{texts:?}");
}

/// Refusals are for links that cannot be kept, not a way around the property above: in
/// generated vaults nearly every move goes through, with links to rewrite.
#[test]
fn generated_moves_are_planned_not_refused() {
    let (mut planned, mut refused, mut links) = (0, 0, 0);
    for seed in 1..200u64 {
        let texts = generate(seed * 7919);
        let mut files: Vec<&String> = texts.keys().collect();
        files.sort();
        let from = files[0].clone();
        let to = format!("Q/{}", from.rsplit('/').next().unwrap_or(&from));
        let read = |file: &VaultFile| texts.get(&file.rel).cloned();
        match plan(
            resolver(&texts).view(),
            &[Move { from, to }],
            &options(),
            &read,
        ) {
            Ok(plan) => {
                planned += 1;
                links += plan.links();
            }
            Err(_) => refused += 1,
        }
    }
    assert!(
        refused * 50 < planned,
        "{refused} refused, {planned} planned"
    );
    assert!(
        links > planned,
        "{links} links rewritten in {planned} moves"
    );
}
