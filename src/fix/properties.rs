//! Property tests of the fixer over generated notes in every frontmatter shape the fixer
//! must know (block lists at any indent, flow lists on one or several lines, empty and
//! null values, strings, block scalars, anchors and aliases, deprecated keys), with random
//! neighbours, comments, line endings, a BOM and `...` terminators. Judged by value with
//! [`super::oracle`], which knows nothing of how the fixes work.

use std::path::{Path, PathBuf};

use proptest::prelude::*;

use super::oracle::{Knowledge, judge};
use super::{Stop, fix_text};
use crate::config::Config;
use crate::diagnostic::Severity;
use crate::lint::{Checker, parse_options};
use crate::note::Note;
use crate::schema::Schemas;

fn config() -> Config {
    let mut config = Config::defaults(PathBuf::from("."));
    let review = &mut config.settings.review;
    let mut when = toml::Table::new();
    when.insert("auto_created".into(), toml::Value::Boolean(true));
    review.require_when = vec![when];
    let mut forbid = toml::Table::new();
    forbid.insert("reviewed".into(), toml::Value::Boolean(true));
    review.forbid_when = vec![forbid];
    config
}

/// A tags value: its lines (the first starts with `tags:`), whether the fixer may edit it,
/// and lines it needs elsewhere (an anchor its alias refers to).
#[derive(Debug, Clone)]
struct Tags {
    lines: Vec<String>,
    editable: bool,
    before: Vec<String>,
}

fn item() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "a",
        "b/c",
        "needs-review",
        "Needs_Review",
        "NEEDS-REVIEW",
        "'#x'",
        "\"q\"",
        "A",
        "日本語",
        "'needs review'",
    ])
}

fn tags() -> impl Strategy<Value = Option<Tags>> {
    let editable = |lines: Vec<String>| {
        Some(Tags {
            lines,
            editable: true,
            before: Vec::new(),
        })
    };
    let block_item = prop_oneof![
        4 => item().prop_map(str::to_owned),
        1 => Just(String::new()),
        1 => Just("#comment".to_owned()),
        1 => item().prop_map(|i| format!("{i} # why")),
    ];
    let block = (
        prop::sample::select(vec!["", "  ", "    "]),
        prop::collection::vec(block_item, 1..5),
    )
        .prop_map(move |(indent, items)| {
            let mut lines = vec!["tags:".to_owned()];
            for item in items {
                let sep = if item.is_empty() { "" } else { " " };
                lines.push(format!("{indent}-{sep}{item}"));
            }
            editable(lines)
        });
    let flow = (
        prop::collection::vec(item(), 0..5),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(move |(items, multiline, trailing)| {
            let comma = if trailing && !items.is_empty() {
                ","
            } else {
                ""
            };
            let lines = if multiline && !items.is_empty() {
                let mut lines = vec!["tags: [".to_owned()];
                let last = items.len() - 1;
                for (i, item) in items.iter().enumerate() {
                    let end = if i == last { comma } else { "," };
                    lines.push(format!("  {item}{end}"));
                }
                lines.push("]".to_owned());
                lines
            } else {
                vec![format!("tags: [{}{comma}]", items.join(", "))]
            };
            editable(lines)
        });
    let null = prop::sample::select(vec!["", " ~", " null", " NULL", " null # c", " # c"])
        .prop_map(move |form| editable(vec![format!("tags:{form}")]));
    let string = prop::sample::select(vec!["a, b c", "'a b'", "\"#x, y\"", "needs-review a"])
        .prop_map(move |s| editable(vec![format!("tags: {s}")]));
    let locked = prop::sample::select(vec![0usize, 1, 2, 3, 4]).prop_map(|kind| {
        let (lines, before): (Vec<&str>, Vec<&str>) = match kind {
            0 => (vec!["tags: |", "  a b"], vec![]),
            1 => (vec!["tags: >-", "  a", "  needs-review"], vec![]),
            2 => (vec!["tags: &t [a, needs-review]"], vec![]),
            3 => (vec!["tags: *k"], vec!["src: &k [a, b]"]),
            _ => (vec!["tags: [a, *w]"], vec!["word: &w needs-review"]),
        };
        Some(Tags {
            lines: lines.into_iter().map(str::to_owned).collect(),
            editable: false,
            before: before.into_iter().map(str::to_owned).collect(),
        })
    });
    prop_oneof![
        1 => Just(None),
        4 => block,
        3 => flow,
        2 => null,
        2 => string,
        2 => locked,
    ]
}

/// Other entries, each as its lines.
fn neighbours() -> impl Strategy<Value = Vec<Vec<&'static str>>> {
    let pool: Vec<Vec<&'static str>> = vec![
        vec!["title: \"Dana\" # a comment"],
        vec!["count: 3"],
        vec!["flag: yes"],
        vec!["date: 2025-01-01"],
        vec!["list:", "  - x", "  - y"],
        vec!["flow: [p, q]"],
        vec!["empty:"],
        vec!["text: |", "  multi", "  line"],
        vec!["anchor: &n [a, b]", "ref: *n"],
        vec!["# a comment line"],
        vec!["aliases: Dana W"],
        vec!["cssclass: wide"],
        vec!["keywords: [needs-review]"],
    ];
    prop::sample::subsequence(pool.clone(), 0..5).prop_shuffle()
}

#[derive(Debug, Clone, Copy)]
enum Endings {
    Lf,
    Crlf,
    /// LF in the frontmatter, CRLF in the body.
    Mixed,
    /// Each line its own.
    Random(u64),
}

prop_compose! {
    fn note()(
        bom in any::<bool>(),
        endings in prop_oneof![
            Just(Endings::Lf), Just(Endings::Crlf), Just(Endings::Mixed),
            any::<u64>().prop_map(Endings::Random),
        ],
        frontmatter in prop::bool::weighted(0.9),
        auto in prop::option::of(any::<bool>()),
        reviewed in prop::option::of(any::<bool>()),
        tags in tags(),
        deprecated in prop::sample::select(vec![None, Some("tag: x"), Some("tag: [y, a]")]),
        neighbours in neighbours(),
        tags_at in 0usize..6,
        dots in any::<bool>(),
        body in r"(# Title\n|text |\[\[Link\]\] |#Tag |- item\n|\n|---\n){0,8}",
    ) -> (String, bool) {
        let mut entries: Vec<Vec<String>> = neighbours
            .iter()
            .map(|lines| lines.iter().map(|l| (*l).to_owned()).collect())
            .collect();
        if let Some(auto) = auto {
            entries.insert(0, vec![format!("auto_created: {auto}")]);
        }
        if let Some(reviewed) = reviewed {
            entries.push(vec![format!("reviewed: {reviewed}")]);
        }
        if let Some(tag) = deprecated {
            entries.push(vec![tag.to_owned()]);
        }
        let editable = tags.as_ref().is_none_or(|t| t.editable);
        if let Some(tags) = tags {
            let at = tags_at.min(entries.len());
            entries.insert(at, tags.lines);
            if !tags.before.is_empty() {
                entries.insert(0, tags.before);
            }
        }
        let mut lines = Vec::new();
        if frontmatter {
            lines.push("---".to_owned());
            lines.extend(entries.into_iter().flatten());
            lines.push(if dots { "..." } else { "---" }.to_owned());
        }
        let fm_lines = lines.len();
        lines.extend(body.split_inclusive('\n').map(|l| l.trim_end_matches('\n').to_owned()));
        let body_ends_open = !body.is_empty() && !body.ends_with('\n');
        let mut text = String::new();
        if bom {
            text.push('\u{feff}');
        }
        let mut seed = match endings { Endings::Random(seed) => seed, _ => 0 };
        let count = lines.len();
        for (i, line) in lines.into_iter().enumerate() {
            text.push_str(&line);
            if i + 1 == count && body_ends_open {
                break;
            }
            let crlf = match endings {
                Endings::Lf => false,
                Endings::Crlf => true,
                Endings::Mixed => i >= fm_lines,
                Endings::Random(_) => {
                    seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                    seed >> 63 == 1
                }
            };
            text.push_str(if crlf { "\r\n" } else { "\n" });
        }
        (text, editable)
    }
}

fn fix(checker: &Checker<'_>, config: &Config, text: &str) -> super::Fixed {
    fix_text(
        checker,
        &parse_options(config),
        "n.md",
        Path::new("n.md"),
        text.to_owned(),
        false,
    )
    .expect("no $schema in generated notes")
}

/// Error codes and fixable findings of `text` as `check` reports them.
fn check(checker: &Checker<'_>, config: &Config, text: &str) -> (Vec<&'static str>, usize) {
    let note = Note::parse("n.md".into(), text.to_owned(), &parse_options(config));
    let found = checker.finish(
        &note,
        checker.check(&note, Path::new("n.md")).expect("checks"),
    );
    let mut errors: Vec<&'static str> = found
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| d.code())
        .collect();
    errors.sort_unstable();
    errors.dedup();
    (errors, found.iter().filter(|d| d.is_fixable()).count())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(2000)
    ))]

    #[test]
    fn fixes_change_only_what_they_mean_to((text, editable) in note()) {
        let config = config();
        let schemas = Schemas::new(&config).expect("no schemas configured");
        let checker = Checker::new(&config, &schemas, jiff::civil::date(2026, 1, 1));
        let once = fix(&checker, &config, &text);
        let knowledge = Knowledge { review_known: true, tags_editable: editable };
        if let Err(why) = judge(&text, &once.text, &config, knowledge) {
            prop_assert!(false, "{why}\nbefore: {text:?}\nafter:  {:?}", once.text);
        }
        prop_assert!(
            matches!(once.stop, Stop::Stable | Stop::Unparsable),
            "stopped with {:?} on {text:?}", once.stop
        );
        let twice = fix(&checker, &config, &once.text);
        prop_assert_eq!(&twice.text, &once.text, "a second fix changes nothing");
        prop_assert_eq!(twice.applied, 0);

        let (errors_before, _) = check(&checker, &config, &text);
        let (errors_after, fixable_after) = check(&checker, &config, &once.text);
        prop_assert_eq!(fixable_after, 0, "nothing is fixable afterwards: {:?}", once.text);
        for code in &errors_after {
            prop_assert!(errors_before.contains(code), "new error {code} in {:?}", once.text);
        }
    }
}
