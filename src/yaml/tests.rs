//! Tests of the YAML loader: core-schema scalars, spans, limits, errors, and
//! property tests that no input panics or yields a span outside the text.

use proptest::prelude::*;
use serde_json::json;

use super::*;

fn doc(text: &str) -> Document {
    load(text, &Limits::default()).expect("valid YAML")
}

fn err(text: &str) -> LoadError {
    load(text, &Limits::default()).expect_err("invalid YAML")
}

/// The source text of the value at `pointer`.
fn src<'t>(text: &'t str, document: &Document, pointer: &str) -> &'t str {
    let node = document.root.pointer(pointer).expect("pointer resolves");
    &text[node.span.clone()]
}

/// The source text of the key of the last path segment of `pointer`.
fn key_src<'t>(text: &'t str, document: &Document, pointer: &str) -> &'t str {
    let (parent, key) = pointer.rsplit_once('/').expect("non-empty pointer");
    let entry = document
        .root
        .pointer(parent)
        .and_then(|n| n.get(key))
        .expect("key exists");
    &text[entry.key.span.clone()]
}

#[test]
fn core_schema_scalars() {
    let cases: &[(&str, serde_json::Value)] = &[
        ("null", json!(null)),
        ("Null", json!(null)),
        ("NULL", json!(null)),
        ("~", json!(null)),
        ("", json!(null)),
        ("nULL", json!("nULL")),
        ("true", json!(true)),
        ("True", json!(true)),
        ("TRUE", json!(true)),
        ("false", json!(false)),
        ("False", json!(false)),
        ("FALSE", json!(false)),
        ("tRUE", json!("tRUE")),
        ("yes", json!("yes")),
        ("no", json!("no")),
        ("on", json!("on")),
        ("off", json!("off")),
        ("y", json!("y")),
        ("0", json!(0)),
        ("42", json!(42)),
        ("-17", json!(-17)),
        ("+5", json!(5)),
        ("007", json!(7)),
        ("0o17", json!(15)),
        ("0x1F", json!(31)),
        ("0xff", json!(255)),
        ("0b101", json!("0b101")),
        ("1_000", json!("1_000")),
        ("0x", json!("0x")),
        ("0o8", json!("0o8")),
        ("0x-1", json!("0x-1")),
        ("9223372036854775807", json!(i64::MAX)),
        ("-9223372036854775808", json!(i64::MIN)),
        ("99999999999999999999", json!(1e20)),
        ("0xFFFFFFFFFFFFFFFFFFFF", json!("0xFFFFFFFFFFFFFFFFFFFF")),
        ("1.5", json!(1.5)),
        ("-0.25", json!(-0.25)),
        (".5", json!(0.5)),
        ("5.", json!(5.0)),
        ("+.5", json!(0.5)),
        ("1e3", json!(1000.0)),
        ("1.2E-2", json!(0.012)),
        ("1e", json!("1e")),
        (".", json!(".")),
        ("e5", json!("e5")),
        ("inf", json!("inf")),
        ("NaN", json!("NaN")),
        ("infinity", json!("infinity")),
        (".inf", json!(".inf")),
        ("-.Inf", json!("-.Inf")),
        ("+.INF", json!("+.INF")),
        (".nan", json!(".nan")),
        (".NaN", json!(".NaN")),
        ("2025-11-06", json!("2025-11-06")),
        ("12:30", json!("12:30")),
        ("hello world", json!("hello world")),
        ("'true'", json!("true")),
        ("\"42\"", json!("42")),
        ("'null'", json!("null")),
        ("''", json!("")),
        ("|\n  5\n", json!("5\n")),
        ("!!str 42", json!("42")),
        ("!!str true", json!("true")),
        ("!!str", json!("")),
        ("!!int \"42\"", json!(42)),
        ("!!int 0x10", json!(16)),
        ("!!int forty", json!("forty")),
        ("!!float 1", json!(1.0)),
        ("!!float '2.5'", json!(2.5)),
        ("!!bool 'false'", json!(false)),
        ("!!bool yes", json!("yes")),
        ("!!null ''", json!(null)),
        ("!!null x", json!("x")),
        ("!!binary aGk=", json!("aGk=")),
        ("!foo 42", json!("42")),
        ("! 42", json!("42")),
        ("!<tag:yaml.org,2002:int> 7", json!(7)),
    ];
    for (scalar, expected) in cases {
        let text = format!("k: {scalar}\n");
        let document = load(&text, &Limits::default())
            .unwrap_or_else(|e| panic!("{text:?} failed to load: {e:?}"));
        let json = document.root.to_json();
        assert_eq!(&json["k"], expected, "for {text:?}");
    }
}

#[test]
fn scalar_values_and_tags() {
    let text = "a: 0x1F\nb: .inf\nc: !!binary aGk=\nd: !foo bar\ne: ~\n";
    let document = doc(text);
    let get = |p: &str| document.root.pointer(p).expect("present");
    assert_eq!(get("/a").value, Value::Int(31));
    assert_eq!(get("/a").scalar_text(), Some("0x1F"));
    assert_eq!(get("/b").value, Value::Float(f64::INFINITY));
    assert_eq!(get("/c").tag.as_deref(), Some("!!binary"));
    assert_eq!(get("/c").as_str(), Some("aGk="));
    assert_eq!(get("/d").tag.as_deref(), Some("!foo"));
    assert_eq!(get("/e").value, Value::Null);
    assert!(matches!(get("/e").style, Style::Scalar(ScalarStyle::Plain)));
    let nan = doc("x: .nan\n");
    assert!(
        matches!(nan.root.pointer("/x").map(|n| &n.value), Some(Value::Float(f)) if f.is_nan())
    );
    assert_eq!(nan.root.to_json(), json!({"x": ".nan"}));
}

#[test]
fn empty_documents() {
    for text in ["", "# only a comment\n", "\n\n", "  # c\r\n# d"] {
        let document = doc(text);
        assert_eq!(document.root.value, Value::Null, "{text:?}");
        assert_eq!(document.root.span, 0..0, "{text:?}");
    }
    assert_eq!(doc("# one\n# two\n").comments.len(), 2);
}

#[test]
fn block_mapping_spans() {
    let text =
        "title: Dana Whitfield\ncreated: '2026-01-03'\nauto_created: true\nempty:\nlast: x\n";
    let document = doc(text);
    assert_eq!(key_src(text, &document, "/title"), "title");
    assert_eq!(src(text, &document, "/title"), "Dana Whitfield");
    assert_eq!(key_src(text, &document, "/created"), "created");
    assert_eq!(src(text, &document, "/created"), "'2026-01-03'");
    assert_eq!(src(text, &document, "/auto_created"), "true");
    // An empty value has an empty span right after its colon.
    let empty = document.root.pointer("/empty").expect("present");
    assert_eq!(empty.value, Value::Null);
    assert_eq!(
        empty.span,
        text.find("empty:").expect("key") + 6..text.find("empty:").expect("key") + 6
    );
    // The mapping runs from its first key to the end of its last value, not past the newline.
    assert_eq!(&text[document.root.span.clone()], text.trim_end());
    assert_eq!(document.root.style, Style::Block);
}

#[test]
fn nested_block_collections() {
    let text = "a:\n  - x\n  - b: 1\n    c: [1, 2]\n  # trailing comment\nd:\n- y\n- z\n";
    let document = doc(text);
    assert_eq!(src(text, &document, "/a/1/b"), "1");
    assert_eq!(key_src(text, &document, "/a/1/b"), "b");
    assert_eq!(src(text, &document, "/a/1/c/1"), "2");
    assert_eq!(src(text, &document, "/a/1/c"), "[1, 2]");
    assert_eq!(src(text, &document, "/a/1"), "b: 1\n    c: [1, 2]");
    // Block sequences start at their first dash and end at their last item.
    assert_eq!(src(text, &document, "/a"), "- x\n  - b: 1\n    c: [1, 2]");
    // An indentless sequence too (the parser puts its start at the first item).
    assert_eq!(src(text, &document, "/d"), "- y\n- z");
    assert_eq!(src(text, &document, "/d/0"), "y");
    assert_eq!(document.root.pointer("/a/2"), None);
    assert_eq!(document.root.pointer("/a/01"), None);
    assert_eq!(document.root.pointer("/nope"), None);
    assert_eq!(document.root.pointer(""), Some(&document.root));
    assert_eq!(
        document.root.to_json(),
        json!({"a": ["x", {"b": 1, "c": [1, 2]}], "d": ["y", "z"]})
    );
}

#[test]
fn block_sequence_starts() {
    let text = "k: &s\n- # comment - with - dashes\n  x\n";
    let document = doc(text);
    assert_eq!(
        src(text, &document, "/k"),
        "- # comment - with - dashes\n  x"
    );
    let text = "- - - a\n  - b\n";
    let document = doc(text);
    assert_eq!(src(text, &document, ""), "- - - a\n  - b");
    assert_eq!(src(text, &document, "/0"), "- - a\n  - b");
    assert_eq!(src(text, &document, "/0/0"), "- a");
    let text = "k:\n-\n- x\n";
    let document = doc(text);
    assert_eq!(src(text, &document, "/k"), "-\n- x");
    assert_eq!(document.root.to_json(), json!({"k": [null, "x"]}));
}

#[test]
fn flow_collections() {
    let text = "tags: [a, 'b c', {d: 1, e}]\nm: {x: [1, 2], \"y\": z}\n";
    let document = doc(text);
    assert_eq!(src(text, &document, "/tags"), "[a, 'b c', {d: 1, e}]");
    assert_eq!(src(text, &document, "/tags/1"), "'b c'");
    assert_eq!(src(text, &document, "/tags/2"), "{d: 1, e}");
    assert_eq!(key_src(text, &document, "/tags/2/e"), "e");
    assert_eq!(src(text, &document, "/m/x"), "[1, 2]");
    assert_eq!(key_src(text, &document, "/m/y"), "\"y\"");
    assert_eq!(
        document.root.pointer("/tags").map(|n| n.style),
        Some(Style::Flow)
    );
    assert_eq!(
        document.root.to_json(),
        json!({"tags": ["a", "b c", {"d": 1, "e": null}], "m": {"x": [1, 2], "y": "z"}})
    );
    let text = "{a: 1}";
    assert_eq!(doc(text).root.span, 0..6);
    let text = "k: [\n  1,\n  2\n]\n";
    assert_eq!(src(text, &doc(text), "/k"), "[\n  1,\n  2\n]");
}

#[test]
fn quoted_scalars_include_quotes() {
    let text = "a: \"x \\\"y\\\"\"\nb: 'it''s'\nc: \"multi\n  line\"\n";
    let document = doc(text);
    assert_eq!(src(text, &document, "/a"), "\"x \\\"y\\\"\"");
    assert_eq!(
        document.root.pointer("/a").and_then(Node::as_str),
        Some("x \"y\"")
    );
    assert_eq!(src(text, &document, "/b"), "'it''s'");
    assert_eq!(
        document.root.pointer("/b").and_then(Node::as_str),
        Some("it's")
    );
    assert_eq!(src(text, &document, "/c"), "\"multi\n  line\"");
    assert_eq!(
        document.root.pointer("/c").map(|n| n.style),
        Some(Style::Scalar(ScalarStyle::DoubleQuoted))
    );
}

#[test]
fn block_scalars() {
    let text = "a: |\n  one\n  two\n\nb: >-\n  folded\n  text\n\n\nc: |2 # keep\n   x  \nd: |\ne: &x !!str |+\n  kept\n\n";
    let document = doc(text);
    assert_eq!(src(text, &document, "/a"), "|\n  one\n  two");
    assert_eq!(
        document.root.pointer("/a").and_then(Node::as_str),
        Some("one\ntwo\n")
    );
    assert_eq!(src(text, &document, "/b"), ">-\n  folded\n  text");
    assert_eq!(
        document.root.pointer("/b").and_then(Node::as_str),
        Some("folded text")
    );
    // Trailing spaces on the last content line are content.
    assert_eq!(src(text, &document, "/c"), "|2 # keep\n   x  ");
    assert_eq!(
        document.root.pointer("/c").and_then(Node::as_str),
        Some(" x  \n")
    );
    assert_eq!(src(text, &document, "/d"), "|");
    assert_eq!(src(text, &document, "/e"), "|+\n  kept");
    assert_eq!(
        document.root.pointer("/b").map(|n| n.style),
        Some(Style::Scalar(ScalarStyle::Folded))
    );
    let top = "|\n  top\n";
    assert_eq!(&top[doc(top).root.span.clone()], "|\n  top");
    let in_seq = "- >\n  x\n- |-\n  y\n";
    let document = doc(in_seq);
    assert_eq!(src(in_seq, &document, "/0"), ">\n  x");
    assert_eq!(src(in_seq, &document, "/1"), "|-\n  y");
    // An anchor name may contain `|`; the indicator is the one that starts a token.
    let odd = "k: &a|b |\n  v\nz: *a|b\n";
    let document = doc(odd);
    assert_eq!(src(odd, &document, "/k"), "|\n  v");
    assert_eq!(document.root.to_json(), json!({"k": "v\n", "z": "v\n"}));
}

#[test]
fn crlf_line_endings() {
    let text = "a: 1\r\nb: \"q\"\r\nl:\r\n  - x\r\n  - y\r\ns: |\r\n  line\r\n\r\n";
    let document = doc(text);
    assert_eq!(src(text, &document, "/a"), "1");
    assert_eq!(src(text, &document, "/b"), "\"q\"");
    assert_eq!(src(text, &document, "/l"), "- x\r\n  - y");
    assert_eq!(src(text, &document, "/l/1"), "y");
    assert_eq!(src(text, &document, "/s"), "|\r\n  line");
    assert_eq!(
        document.root.pointer("/s").and_then(Node::as_str),
        Some("line\n")
    );
    assert_eq!(&text[document.root.span.clone()], text.trim_end());
}

#[test]
fn tabs_where_allowed() {
    let text = "a:\tvalue\nb: [1,\t2]\nc: x\t# comment\n";
    let document = doc(text);
    assert_eq!(src(text, &document, "/a"), "value");
    assert_eq!(src(text, &document, "/b/1"), "2");
    assert_eq!(src(text, &document, "/c"), "x");
}

#[test]
fn multibyte_characters_give_byte_offsets() {
    let text = "é: ü\ntitle: Contoso’s 🎉 pilot\n🎉: [ö, \"ß\"]\nn: 'é' # ☃ note\n";
    let document = doc(text);
    assert_eq!(key_src(text, &document, "/é"), "é");
    assert_eq!(src(text, &document, "/é"), "ü");
    assert_eq!(src(text, &document, "/title"), "Contoso’s 🎉 pilot");
    assert_eq!(key_src(text, &document, "/🎉"), "🎉");
    assert_eq!(src(text, &document, "/🎉/1"), "\"ß\"");
    assert_eq!(src(text, &document, "/n"), "'é'");
    let comment = &document.comments[0];
    assert_eq!(&text[comment.span.clone()], "# ☃ note");
    assert_eq!(comment.text, " ☃ note");
    let error = err("é: [ü, ö\n");
    assert_eq!(&"é: [ü, ö\n"[error.span().clone()], "[");
}

#[test]
fn duplicate_keys_are_reported_and_first_wins() {
    let text = "a: 1\nb: 2\na: 3\nm: {x: 1, x: 2}\n1: one\n\"1\": uno\n";
    let document = doc(text);
    let dups: Vec<_> = document
        .duplicates
        .iter()
        .map(|d| {
            (
                d.key.as_str(),
                &text[d.first.clone()],
                d.first.start,
                d.second.start,
            )
        })
        .collect();
    assert_eq!(
        dups,
        [("a", "a", 0, 10), ("x", "x", 19, 25), ("1", "1", 31, 38),]
    );
    assert_eq!(&text[document.duplicates[2].second.clone()], "\"1\"");
    assert_eq!(
        document.root.to_json(),
        json!({"a": 1, "b": 2, "m": {"x": 1}, "1": "one"})
    );
    assert_eq!(
        document.root.get("a").map(|e| &e.value.value),
        Some(&Value::Int(1))
    );
}

#[test]
fn complex_and_non_string_keys() {
    let text = "? [a, b]\n: list\n? {k: v}\n: map\ntrue: t\n0x10: h\n~: n\n";
    let document = doc(text);
    assert_eq!(
        document.root.to_json(),
        json!({"[\"a\",\"b\"]": "list", "{\"k\":\"v\"}": "map", "true": "t", "0x10": "h", "~": "n"})
    );
    assert_eq!(key_src(text, &document, "/true"), "true");
}

#[test]
fn aliases_expand_with_the_alias_span() {
    let text = "base: &b {x: 1, y: [2]}\ncopy: *b\nname: &n Dana\nwho: *n\n";
    let document = doc(text);
    assert_eq!(
        document.root.to_json(),
        json!({"base": {"x": 1, "y": [2]}, "copy": {"x": 1, "y": [2]}, "name": "Dana", "who": "Dana"})
    );
    assert_eq!(src(text, &document, "/copy"), "*b");
    assert_eq!(src(text, &document, "/who"), "*n");
    assert_eq!(src(text, &document, "/name"), "Dana");
    // Children of an expansion point at the anchored text.
    assert_eq!(src(text, &document, "/copy/y"), "[2]");
    let error = err("a: *missing\n");
    assert!(
        matches!(&error, LoadError::Syntax { span, .. } if span.start == 3),
        "{error:?}"
    );
}

#[test]
fn recursive_alias_is_an_error() {
    let error = err("&a [*a]\n");
    assert!(matches!(error, LoadError::Syntax { .. }), "{error:?}");
    let error = err("a: &m\n  b: *m\n");
    assert!(matches!(error, LoadError::Syntax { .. }), "{error:?}");
}

#[test]
fn alias_bomb_is_refused_quickly() {
    let text = "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
";
    let started = std::time::Instant::now();
    let error = err(text);
    assert!(started.elapsed() < std::time::Duration::from_secs(2));
    match error {
        // The budget runs out while expanding line `e` (or keeping its copy for `*e`).
        LoadError::AliasBomb { span, limit } => {
            assert_eq!(limit, 100_000);
            let line_e = text.find("e: ").expect("line e");
            assert!((line_e..line_e + 40).contains(&span.start), "{span:?}");
        }
        other => panic!("expected AliasBomb, got {other:?}"),
    }
    // Big scalars count by size: 64 KiB aliased a few dozen times is over a small budget.
    let big = format!(
        "a: &a \"{}\"\nb: [{}]\n",
        "x".repeat(65_536),
        vec!["*a"; 40].join(", ")
    );
    let limits = Limits {
        max_alias_nodes: 10_000,
        ..Limits::default()
    };
    assert!(matches!(
        load(&big, &limits),
        Err(LoadError::AliasBomb { .. })
    ));
    let small = "a: &a [1, 2]\nb: *a\nc: *a\n";
    let limits = Limits {
        max_alias_nodes: 9,
        ..Limits::default()
    };
    assert!(load(small, &limits).is_ok());
    let limits = Limits {
        max_alias_nodes: 8,
        ..Limits::default()
    };
    assert!(matches!(
        load(small, &limits),
        Err(LoadError::AliasBomb { .. })
    ));
}

#[test]
fn depth_limit_on_flow_nesting() {
    let text = "[".repeat(20_000);
    let started = std::time::Instant::now();
    match err(&text) {
        LoadError::TooDeep { span, limit } => {
            assert_eq!(limit, 256);
            assert_eq!(span, 256..257);
        }
        other => panic!("expected TooDeep, got {other:?}"),
    }
    let closed = format!("k: {}{}\n", "[".repeat(20_000), "]".repeat(20_000));
    assert!(matches!(err(&closed), LoadError::TooDeep { .. }));
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
    // Exactly at the limit is fine.
    let at_limit = format!("{}{}", "[".repeat(256), "]".repeat(256));
    assert!(load(&at_limit, &Limits::default()).is_ok());
    let limits = Limits {
        max_depth: 3,
        ..Limits::default()
    };
    assert!(load("a: [[1]]", &limits).is_ok());
    assert!(
        matches!(load("a: [[[1]]]", &limits), Err(LoadError::TooDeep { span, .. }) if span == (5..6))
    );
}

/// Regression (found by the hostile-input probes): keys nested as `? [{? [{...` were
/// stringified by escaping each level's key string again, doubling its size per level; 22
/// levels took 6 s and 60 levels would never finish.
#[test]
fn nested_collection_keys_stay_linear() {
    let nested = |n: usize| format!("? {}a: b{}\n: v\n", "[{".repeat(n), "}]".repeat(n));
    let started = std::time::Instant::now();
    let document = doc(&nested(120));
    let json = document.root.to_json().to_string();
    assert!(json.len() < 10_000, "{} bytes", json.len());
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
    // Two levels: the inner key is written as it is, not as an escaped string.
    let document = doc(&nested(2));
    assert_eq!(
        document.root.as_map().expect("a mapping")[0]
            .key
            .key_string(),
        r#"[{[{"a":"b"}]:null}]"#
    );
    // Duplicate detection still compares nested keys by value.
    let dup = doc("? [{? [a]\n  : 1}]\n: x\n? [{? [a]\n  : 1}]\n: y\n");
    assert_eq!(dup.duplicates.len(), 1);
    // Collections without collection keys inside keep their exact compact JSON.
    let plain = doc("? {k: [1, \"x\"], k: dup, n: ~}\n: v\n");
    let key = &plain.root.as_map().expect("a mapping")[0].key;
    assert_eq!(key.key_string(), key.to_json().to_string());
}

/// Regression: `max_depth = 1000000` in the config let a 20,000-deep note through to the
/// recursive consumers, and the process aborted on a stack overflow.
#[test]
fn depth_is_capped_whatever_the_limit_asks() {
    let limits = Limits {
        max_depth: usize::MAX,
        ..Limits::default()
    };
    assert_eq!(limits.depth(), MAX_DEPTH_CEILING);
    let deep = |n: usize| format!("k: {}{}\n", "[".repeat(n), "]".repeat(n));
    // The top-level mapping is one level.
    assert!(load(&deep(MAX_DEPTH_CEILING - 1), &limits).is_ok());
    match load(&deep(20_000), &limits) {
        Err(LoadError::TooDeep { limit, .. }) => assert_eq!(limit, MAX_DEPTH_CEILING),
        other => panic!("expected TooDeep, got {other:?}"),
    }
    let keys = format!("? {}{}\n: v\n", "[".repeat(5_000), "]".repeat(5_000));
    assert!(matches!(
        load(&keys, &limits),
        Err(LoadError::TooDeep { .. })
    ));
}

#[test]
fn depth_limit_on_block_nesting() {
    let mut text = String::new();
    for level in 0..400 {
        text.push_str(&" ".repeat(level));
        text.push_str("k:\n");
    }
    assert!(matches!(err(&text), LoadError::TooDeep { limit: 256, .. }));
    let dashes = "- ".repeat(20_000) + "x\n";
    assert!(matches!(err(&dashes), LoadError::TooDeep { .. }));
    let limits = Limits {
        max_depth: 2,
        ..Limits::default()
    };
    assert!(load("a:\n  b: 1\n", &limits).is_ok());
    assert!(matches!(
        load("a:\n  b:\n    c: 1\n", &limits),
        Err(LoadError::TooDeep { .. })
    ));
    // Aliases count towards depth too: they cannot smuggle deep trees past the limit.
    assert!(matches!(
        load("a: &a [[1]]\nb: [*a]\n", &limits),
        Err(LoadError::TooDeep { .. })
    ));
}

#[test]
fn syntax_errors_point_at_the_problem() {
    let cases: &[(&str, &str)] = &[
        ("a: [1, 2\n", "["),
        ("a: b: c\n", ":"),
        ("key: \"unterminated\n", "\""),
        ("a: {x: 1\n", "{"),
        ("a: 1\n b: 2\nc: ]\n", ":"),
        ("a:\n\t- b\n", "\t"),
    ];
    for (text, at) in cases {
        match err(text) {
            LoadError::Syntax { message, span } => {
                assert!(!message.is_empty());
                assert_eq!(&text[span.clone()], *at, "{text:?}: {message} at {span:?}");
            }
            other => panic!("{text:?}: expected a syntax error, got {other:?}"),
        }
    }
}

#[test]
fn second_document_is_refused() {
    let text = "a: 1\n---\nb: 2\n";
    match err(text) {
        LoadError::MultipleDocuments { span } => assert_eq!(&text[span], "---"),
        other => panic!("expected MultipleDocuments, got {other:?}"),
    }
    let text = "a: 1\n...\nb: 2\n";
    match err(text) {
        LoadError::MultipleDocuments { span } => assert_eq!(&text[span], "b"),
        other => panic!("expected MultipleDocuments, got {other:?}"),
    }
    // One explicit document is fine.
    assert!(load("---\na: 1\n...\n", &Limits::default()).is_ok());
}

#[test]
fn comments_are_collected_with_spans() {
    let text = "# head\na: 1 # notelint-disable-line tags/empty\nb: [x, # in flow\n  y]\n";
    let document = doc(text);
    let found: Vec<_> = document
        .comments
        .iter()
        .map(|c| (c.text.as_str(), &text[c.span.clone()]))
        .collect();
    assert_eq!(
        found,
        [
            (" head", "# head"),
            (
                " notelint-disable-line tags/empty",
                "# notelint-disable-line tags/empty"
            ),
            (" in flow", "# in flow"),
        ]
    );
    let many = format!("a:\n{}  b: 1\n", "# c\n".repeat(500));
    assert_eq!(doc(&many).comments.len(), 500);
}

#[test]
fn pointer_escapes() {
    let text = "a/b: 1\nm~n: 2\n";
    let document = doc(text);
    assert_eq!(src(text, &document, "/a~1b"), "1");
    assert_eq!(src(text, &document, "/m~0n"), "2");
    assert_eq!(document.root.pointer("a"), None);
}

#[test]
fn error_display() {
    assert_eq!(
        err("[".repeat(300).as_str()).to_string(),
        "nesting deeper than 256 levels"
    );
}

// ---- property tests ----

/// Every span in the result lies inside `text` on char boundaries.
fn check_spans(text: &str, result: &Result<Document, LoadError>) {
    let ok = |span: &Span| {
        assert!(
            span.start <= span.end
                && span.end <= text.len()
                && text.is_char_boundary(span.start)
                && text.is_char_boundary(span.end),
            "bad span {span:?} in {text:?}"
        );
    };
    match result {
        Err(error) => ok(error.span()),
        Ok(document) => {
            let mut pending = vec![&document.root];
            while let Some(node) = pending.pop() {
                ok(&node.span);
                match &node.value {
                    Value::Seq(items) => pending.extend(items),
                    Value::Map(entries) => {
                        pending.extend(entries.iter().flat_map(|e| [&e.key, &e.value]));
                    }
                    _ => {}
                }
            }
            for duplicate in &document.duplicates {
                ok(&duplicate.first);
                ok(&duplicate.second);
            }
            for comment in &document.comments {
                ok(&comment.span);
            }
            let _ = document.root.to_json();
        }
    }
}

pub(super) const FRAGMENTS: &[&str] = &[
    "key: ",
    "k",
    "- ",
    "-",
    "[",
    "]",
    "{",
    "}",
    "\"",
    "'",
    "#",
    " # c",
    "&a ",
    "*a",
    "&b ",
    "*b",
    "\n",
    "\r\n",
    "  ",
    "\t",
    ":",
    ": ",
    ",",
    "?",
    "? ",
    "|",
    ">",
    "|-",
    ">+",
    "!!str ",
    "!x ",
    "---",
    "...",
    "é",
    "🎉",
    "ß",
    "x",
    "1",
    "0x1F",
    "null",
    "~",
    ".inf",
    "yes",
    "\\",
    "%YAML 1.2\n",
    "a: &a [1, 2]\n",
    "b: *a\n",
];

fn yamlish() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(FRAGMENTS), 0..40).prop_map(|parts| parts.concat())
}

// Case count: proptest's default (256), or PROPTEST_CASES for a longer run.
proptest! {
    #[test]
    fn arbitrary_text_never_panics(text in any::<String>()) {
        check_spans(&text, &load(&text, &Limits::default()));
    }

    #[test]
    fn yamlish_text_never_panics(text in yamlish()) {
        check_spans(&text, &load(&text, &Limits::default()));
        let tight = Limits { max_depth: 2, max_alias_nodes: 3 };
        check_spans(&text, &load(&text, &tight));
    }

    #[test]
    fn plain_scalar_values_round_trip(value in "[a-zA-Z0-9 .:/_-]{1,20}") {
        let text = format!("k: \"{value}\"\n");
        let document = load(&text, &Limits::default()).expect("quoted scalar loads");
        let node = document.root.pointer("/k").expect("present");
        prop_assert_eq!(node.as_str(), Some(value.as_str()));
        prop_assert_eq!(&text[node.span.clone()], format!("\"{value}\""));
    }
}
