//! Differential tests of the flat fast path against the general loader: whenever the
//! fast path answers, its document is the general loader's to every span, style, value,
//! comment and duplicate; and it does answer for the realistic flat shapes.

use proptest::prelude::*;

use super::load::load_general;
use super::{Limits, flat};

/// Whether the fast path took `text`; fails if it did and differs from the general loader.
fn agrees(text: &str, limits: &Limits) -> Result<bool, TestCaseError> {
    let Some(fast) = flat::load(text, limits) else {
        return Ok(false);
    };
    match load_general(text, limits) {
        // Debug output covers every field (the private raw text too) and compares NaN
        // floats by their text, which `==` would not.
        Ok(general) => prop_assert_eq!(
            format!("{fast:#?}"),
            format!("{general:#?}"),
            "text {:?}",
            text
        ),
        Err(error) => prop_assert!(false, "fast path took invalid {text:?}: {error}"),
    }
    Ok(true)
}

const REAL_KEYS: &[&str] = &[
    "title",
    "type",
    "created",
    "updated",
    "tags",
    "aliases",
    "status",
    "date modified",
    "last_contact",
    "auto_created",
    "Due Date",
    "ключ",
    "作者",
    "a-b",
    "k1",
    "1",
    "2025",
    "true",
    "null",
    "~",
    ".5",
    "a[b]",
    "a:b",
    "a#b",
    "x\"y",
];

const REAL_SCALARS: &[&str] = &[
    "note",
    "Hello world",
    "42",
    "-5",
    "+7",
    "007",
    "3.14",
    "1e3",
    ".inf",
    "-.Inf",
    ".nan",
    "0x1F",
    "0o17",
    "99999999999999999999",
    "2025-01-02",
    "2025-01-02T10:00:00",
    "true",
    "False",
    "null",
    "~",
    "yes",
    "\"[[Acme Corp]]\"",
    "\"Meeting: notes\"",
    "\"\"",
    "''",
    "'it''s'",
    "'2025-01-02'",
    "\"42\"",
    "\"a \\\"b\\\" c\"",
    "\"tab\\there\\\\\"",
    "\"caf\\u00e9 \\x41 \\U0001F389\"",
    "person1@example.com",
    "https://example.com/a?b=c#frag",
    "a, b, c",
    "x[1] and {y}",
    "C#",
    "100%",
    "é🎉 unicode",
    "a'b",
    "say \"hi\"",
    "a  b",
    "-x",
    "\u{a0}nbsp",
    "Q&A",
    "5 > 3 | x",
    "a*b wow! what? a - b a -b",
    "50% off, me@x, a`b`",
    "'a # b'",
    "\"a # b\"",
    "'say \"hi\"'",
    "\"it's\"",
];

const REAL_FLOWS: &[&str] = &[
    "[]",
    "[a]",
    "[a, b]",
    "[\"x y\", 'z', 3]",
    "[ one , two ]",
    "[type/meeting, topic/x]",
    "[\"[[A]]\", \"[[B]]\"]",
    "[a#b, -1, null]",
    "[a'b, c\"d]",
    "[a b , c]",
    "[ \"a\" ,'b' ]",
    "[é, 🎉]",
    "[a ]",
    "[.5, -.inf, 0x1F]",
    "[~, '', \"\"]",
    "[a?b, a!b, a&b, a*b, a|b, a>b, a%b, a@b]",
];

const REAL_COMMENTS: &[&str] = &["", "", "", " # note", "  #", " #c  ", " # é"];

const WEIRD_KEYS: &[&str] = &[
    "a b ",
    "k ",
    " k",
    "?k",
    "? k",
    "&a k",
    "!t k",
    "-k",
    "- k",
    "--",
    "---",
    "...",
    "%YAML",
    "@k",
    "`k`",
    "\"q\"",
    "'q'",
    "[a]",
    "{a}",
    "a #b",
    "k\u{a0}",
    "\u{feff}k",
    "k\u{85}",
    "a,b",
    "*a",
    "k\t",
    "<<",
    "=",
    "k\r",
    "a:",
    "a: b",
    "-1",
];

const WEIRD_VALUES: &[&str] = &[
    " ",
    "&a v",
    "*a",
    "!!str 5",
    "!x v",
    "|",
    "|-",
    ">",
    "a: b",
    "a:",
    "a :b",
    ":x",
    "-",
    "- x",
    "--x",
    "-.5",
    "?x",
    "? x",
    "@x",
    "`x`",
    "%x",
    "{a: b}",
    "{}",
    "[a, b,]",
    "[a,,b]",
    "[a: b]",
    "[a:b]",
    "[a #c]",
    "[a, [b]]",
    "[[Link]]",
    "[a",
    "[\"a\" : b]",
    "[\"a\":b]",
    "['a''b']",
    "[-x]",
    "[- x]",
    "[ ]",
    "[,]",
    "[a] b",
    "[a]#c",
    "\"a",
    "'a",
    "\"a\"b",
    "'a'b",
    "\"a\"#c",
    "\"a\" # c",
    "\"\\q\"",
    "\"\\x4\"",
    "\"\\uD800\"",
    "\"\\U00110000\"",
    "\"\\N\\_\\L\\P\"",
    "\"\\xe9\\x7f\\u0000\\U0010FFFF\\xFF\"",
    "\"\\0\\a\\b\\e\\f\\v\\ \\/\"",
    "\"a\\",
    "\"a\\\\\"",
    "'''",
    "'a''",
    "x\u{a0}",
    "\u{3000}x",
    "a\tb",
    "a #b",
    "\u{200b}",
    "1_000",
    "a ,b",
    "a]",
    "a}",
    ",a",
    "]a",
    "#x",
    "a\rb",
    "\u{85}",
    "\u{2028}",
    "\u{1}",
];

const WEIRD_LINES: &[&str] = &[
    "  continuation",
    "  - stray",
    "- stray",
    "---",
    "--- a",
    "...",
    "%YAML 1.2",
    "  # indented comment",
    "#",
    "#no space",
    "? complex",
    ": v",
    "\t",
    "  ",
    "key:\n  nested: map",
    "key: |\n  block\n",
    "key: >-\n  folded\n",
    "k: \"multi\n  line\"",
    "k: 'multi\n  line'",
    "k: plain\n  more",
    "k:\n  -\n  - x",
    "k:\n  -  \n  - x",
    "k:\n  - # c\n  - x",
    "k:\n  -   spaced",
    "k:\n - one\n  - two",
    "k:\n  - a\n - b",
    "k:\n- a\n  - b",
    "k:\n  - a\n# c\n  - b",
    "k:\n  - a\n\n  # c\n\n  - b",
    "k: &a v\nj: *a",
    "k:\n\n\n  - a",
    "k: # c\n  - a",
    "k:\n  - [a, b]",
    "k:\n  - a: b",
    "k:\n  - - a",
    "k:\n  x",
    "k: [a,\n  b]",
    "\u{feff}k: v",
];

fn real_entry() -> impl Strategy<Value = String> {
    let value = prop_oneof![
        4 => prop::sample::select(REAL_SCALARS),
        1 => prop::sample::select(REAL_FLOWS),
        1 => Just(""),
    ];
    (
        prop::sample::select(REAL_KEYS),
        prop::sample::select(&[": ", ": ", ": ", ":  "][..]),
        value,
        prop::sample::select(REAL_COMMENTS),
    )
        .prop_map(|(key, colon, value, comment)| {
            let colon = if value.is_empty() { ":" } else { colon };
            format!("{key}{colon}{value}{comment}\n")
        })
}

fn real_sequence() -> impl Strategy<Value = String> {
    (
        prop::sample::select(REAL_KEYS),
        prop::sample::select(REAL_COMMENTS),
        prop::sample::select(&["", "  ", "    "][..]),
        prop::collection::vec(
            (
                // An empty item is common in templates (`tags:\n  - \n`).
                prop_oneof![8 => prop::sample::select(REAL_SCALARS), 1 => Just("")],
                prop::sample::select(REAL_COMMENTS),
            ),
            1..5,
        ),
    )
        .prop_map(|(key, comment, indent, items)| {
            let mut text = format!("{key}:{comment}\n");
            for (item, comment) in items {
                text.push_str(&format!("{indent}- {item}{comment}\n"));
            }
            text
        })
}

fn real_unit() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => real_entry(),
        3 => real_sequence(),
        1 => prop::sample::select(&["\n", "# comment\n", "   \n", "  # indented\n"][..])
            .prop_map(str::to_owned),
    ]
}

/// Realistic flat frontmatter, with LF or CRLF breaks and with or without a final one.
fn real_frontmatter() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(real_unit(), 1..12),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(units, crlf, final_break)| {
            let mut text = units.concat();
            if !text.contains(':') {
                text.push_str("k: v\n");
            }
            if !final_break {
                text.pop();
            }
            if crlf {
                text = text.replace('\n', "\r\n");
            }
            text
        })
}

fn near_miss_unit() -> impl Strategy<Value = String> {
    let key = prop_oneof![
        8 => prop::sample::select(REAL_KEYS),
        1 => prop::sample::select(WEIRD_KEYS),
    ];
    let value = prop_oneof![
        6 => prop::sample::select(REAL_SCALARS),
        1 => prop::sample::select(REAL_FLOWS),
        1 => Just(""),
        2 => prop::sample::select(WEIRD_VALUES),
    ];
    let colon = prop_oneof![
        6 => Just(": "),
        1 => prop::sample::select(&[":", ":  ", " : ", ":\t", ": \t"][..]),
    ];
    let comment = prop_oneof![
        6 => Just(""),
        1 => prop::sample::select(&[" # c", "#c", " #", "\t# c", " # \u{85}", "  "][..]),
    ];
    let entry = (key, colon, value, comment)
        .prop_map(|(key, colon, value, comment)| format!("{key}{colon}{value}{comment}\n"));
    prop_oneof![
        8 => entry,
        3 => real_sequence(),
        1 => prop::sample::select(WEIRD_LINES).prop_map(|line| format!("{line}\n")),
        2 => real_unit(),
    ]
}

/// Flat-looking frontmatter with near misses mixed in, and sometimes one fragment
/// spliced in at a random place.
fn near_miss_frontmatter() -> impl Strategy<Value = String> {
    let splice = prop::option::weighted(
        0.3,
        (
            any::<prop::sample::Index>(),
            prop::sample::select(super::tests::FRAGMENTS),
        ),
    );
    (
        prop::collection::vec(near_miss_unit(), 0..10),
        any::<bool>(),
        splice,
    )
        .prop_map(|(units, crlf, splice)| {
            let mut text = units.concat();
            if crlf {
                text = text.replace('\n', "\r\n");
            }
            if let Some((at, fragment)) = splice {
                let mut at = at.index(text.len() + 1);
                while !text.is_char_boundary(at) {
                    at -= 1;
                }
                text.insert_str(at, fragment);
            }
            text
        })
}

// Case count: proptest's default (256), or PROPTEST_CASES for a longer run.
proptest! {
    #[test]
    fn fast_path_takes_realistic_flat_frontmatter(text in real_frontmatter()) {
        prop_assert!(agrees(&text, &Limits::default())?, "fast path declined {:?}", text);
    }

    #[test]
    fn fast_path_agrees_with_the_general_loader(text in near_miss_frontmatter()) {
        agrees(&text, &Limits::default())?;
        agrees(&text, &Limits { max_depth: 2, max_alias_nodes: 3 })?;
    }
}

#[test]
fn the_generated_vault_shape_is_taken() {
    let text = "type: people\ntitle: \"Ada Lovelace 3\"\ncreated: 2025-03-04\n\
                updated: '2025-03-04'\ncompany: \"[[Acme 7]]\"\nlast_contact: 2025-03-04\n\
                email: person3@example.com\nauto_created: true\ntags:\n  - type/people\n  \
                - topic/risk\n  - needs-review\n";
    assert!(agrees(text, &Limits::default()).expect("agrees"));
}

/// Past a few dozen keys duplicates are found through an index instead of a scan.
#[test]
fn duplicates_among_many_keys_agree() {
    let mut text: String = (0..50).map(|i| format!("k{i}: {i}\n")).collect();
    text.push_str("k3: again\nk40: again\nk40: thrice\nk50: new\nk50: twice\n");
    assert!(agrees(&text, &Limits::default()).expect("agrees"));
    let document = flat::load(&text, &Limits::default()).expect("flat");
    let keys: Vec<&str> = document.duplicates.iter().map(|d| d.key.as_str()).collect();
    assert_eq!(keys, ["k3", "k40", "k40", "k50"]);
}

#[test]
fn near_misses_are_left_to_the_general_loader() {
    for text in [
        "a: &x 1\nb: *x\n",
        "a: !!str 1\n",
        "a: |\n  x\n",
        "a: b\n  c\n",
        "a:\n  b: c\n",
        "a: \"b\n  c\"\n",
        "? a\n: b\n",
        "a: {b: c}\n",
        "a:\tb\n",
        "%YAML 1.2\n---\na: b\n",
        "a: b\n---\nc: d\n",
        "a: [b,\n  c]\n",
        "a: [b, c,]\n",
        "\"a\": b\n",
        "a: b: c\n",
        "- a\n- b\n",
        "# only a comment\n",
        "",
    ] {
        assert!(
            flat::load(text, &Limits::default()).is_none(),
            "fast path took {text:?}"
        );
    }
}
