//! Each operation on every shape it edits, checked by loading the result, and the shapes
//! it refuses.

use super::*;
use crate::yaml::{Limits, load};

fn apply(src: &str, edit: &TextEdit) -> String {
    let mut out = src.to_owned();
    out.replace_range(edit.span.clone(), &edit.text);
    out
}

fn json(src: &str) -> serde_json::Value {
    load(src, &Limits::default())
        .unwrap_or_else(|e| panic!("{src:?} does not load: {e}"))
        .root
        .to_json()
}

fn entry<'d>(document: &'d crate::yaml::Document, key: &str) -> &'d Entry {
    document.root.get(key).expect("key present")
}

/// Appends `needs-review` to `tags` and returns the new text.
fn append(src: &str) -> Result<String, NotEditable> {
    let document = load(src, &Limits::default()).expect("loads");
    let tags = entry(&document, "tags");
    append_items(src, &tags.key, &tags.value, &["needs-review"]).map(|e| apply(src, &e))
}

#[test]
fn append_in_every_list_shape() {
    let cases = [
        (
            "tags:\n  - a\n  - b\n",
            "tags:\n  - a\n  - b\n  - needs-review\n",
        ),
        ("tags:\n- a\nx: 1\n", "tags:\n- a\n- needs-review\nx: 1\n"),
        (
            "tags:\n    - a # c\n",
            "tags:\n    - a # c\n    - needs-review\n",
        ),
        ("tags: [a, b]\n", "tags: [a, b, needs-review]\n"),
        ("tags: [a, b,]\n", "tags: [a, b, needs-review,]\n"),
        ("tags: []\n", "tags: [needs-review]\n"),
        (
            "tags: [\n  a,\n  b\n]\n",
            "tags: [\n  a,\n  b, needs-review\n]\n",
        ),
        ("tags:\n", "tags:\n  - needs-review\n"),
        ("tags: # c\nx: 1\n", "tags: # c\n  - needs-review\nx: 1\n"),
        ("tags: ~\n", "tags: [needs-review]\n"),
        ("tags: null # c\n", "tags: [needs-review] # c\n"),
        ("tags: NULL\n", "tags: [needs-review]\n"),
        (
            "tags:\r\n  - a\r\n",
            "tags:\r\n  - a\r\n  - needs-review\r\n",
        ),
        ("a: 1\ntags:\r\n", "a: 1\ntags:\r\n  - needs-review\r\n"),
        (
            "tags:\n  - #b\nx: 1\n",
            "tags:\n  - #b\n  - needs-review\nx: 1\n",
        ),
    ];
    for (src, want) in cases {
        assert_eq!(append(src).as_deref(), Ok(want), "{src:?}");
    }
}

#[test]
fn appended_items_are_quoted_when_plain_would_not_load_as_the_string() {
    let document = load("tags: [a]\n", &Limits::default()).expect("loads");
    let tags = entry(&document, "tags");
    let edit =
        append_items("tags: [a]\n", &tags.key, &tags.value, &["x, y", "true"]).expect("editable");
    let out = apply("tags: [a]\n", &edit);
    assert_eq!(
        json(&out),
        serde_json::json!({"tags": ["a", "x, y", "true"]})
    );
}

#[test]
fn shapes_that_are_refused() {
    let cases = [
        ("tags: |\n  a b\n", NotEditable::BlockScalar),
        ("tags: >-\n  a b\n", NotEditable::BlockScalar),
        ("tags: &t [a, b]\nkeywords: *t\n", NotEditable::Anchored),
        ("keywords: &t [a, b]\ntags: *t\n", NotEditable::Alias),
        ("x: &a q\ntags: [b, *a]\n", NotEditable::Alias),
        ("tags: !!null ''\n", NotEditable::Tagged),
        (
            "tags: a b\n",
            NotEditable::Shape("the value is a string, not a list"),
        ),
    ];
    for (src, why) in cases {
        assert_eq!(append(src), Err(why), "{src:?}");
    }
}

#[test]
fn remove_in_every_list_shape() {
    let remove = |src: &str, index: usize| {
        let document = load(src, &Limits::default()).expect("loads");
        remove_item(src, entry(&document, "tags"), index).map(|e| apply(src, &e))
    };
    let cases = [
        ("tags:\n  - a\n  - b\n", 0, "tags:\n  - b\n"),
        ("tags:\n  - a\n  - b\n", 1, "tags:\n  - a\n"),
        ("tags:\n  - a # c\n", 0, "tags: [] # c\n"),
        ("tags:\r\n- a\r\n- b\r\n", 1, "tags:\r\n- a\r\n"),
        ("tags: [a, b, c]\n", 1, "tags: [a, c]\n"),
        ("tags: [a, b, c]\n", 2, "tags: [a, b]\n"),
        ("tags: [a]\n", 0, "tags: []\n"),
        ("tags: [a,]\n", 0, "tags: []\n"),
        ("tags: [a, b,]\n", 1, "tags: [a,]\n"),
        ("tags: [\n  a,\n  b\n]\n", 0, "tags: [\n  b\n]\n"),
    ];
    for (src, index, want) in cases {
        assert_eq!(remove(src, index).as_deref(), Ok(want), "{src:?} {index}");
    }
    assert_eq!(remove("tags: [a, # c\n b]\n", 0), Err(NotEditable::Comment));
    assert_eq!(
        remove("tags: &t [a, b]\nk: *t\n", 0),
        Err(NotEditable::Anchored)
    );
    assert_eq!(
        remove("tags: [&x a, b]\nk: *x\n", 0),
        Err(NotEditable::Anchored)
    );
}

#[test]
fn replace_in_scalars_keeps_quotes_and_refuses_what_would_not_load() {
    let src = "a: '#x'\nb: \"#y\"\nc: |\n  z\n";
    let document = load(src, &Limits::default()).expect("loads");
    let a = &entry(&document, "a").value;
    let edit = replace_in_scalar(src, a, a.span.start + 1..a.span.start + 2, "", "x", false)
        .expect("editable");
    assert_eq!(apply(src, &edit), "a: 'x'\nb: \"#y\"\nc: |\n  z\n");
    // A plain `#x` would be a comment.
    let b = &entry(&document, "b").value;
    let plain = replace_in_scalar(src, b, b.span.clone(), "#y", "#y", false);
    assert_eq!(plain, Err(NotEditable::WouldNotLoad));
    let c = &entry(&document, "c").value;
    assert_eq!(
        replace_in_scalar(src, c, c.span.clone(), "q", "q", false),
        Err(NotEditable::BlockScalar)
    );
}

#[test]
fn keys_are_renamed_in_their_quotes() {
    for (src, want) in [
        ("tag: a\n", "tags: a\n"),
        ("'tag': a\n", "'tags': a\n"),
        ("\"tag\": a\n", "\"tags\": a\n"),
    ] {
        let document = load(src, &Limits::default()).expect("loads");
        let key = &document.root.as_map().expect("map")[0].key;
        let edit = rename_key(src, key, "tags").expect("editable");
        assert_eq!(apply(src, &edit), want);
    }
}

#[test]
fn entries_are_added_and_removed_by_whole_lines() {
    let src = "a: 1\r\ntag: [x,\r\n  y] # c\r\nb: 2\r\n";
    let document = load(src, &Limits::default()).expect("loads");
    let tag = entry(&document, "tag");
    let removed = apply(
        src,
        &remove_entry(src, &document.root, tag).expect("editable"),
    );
    assert_eq!(removed, "a: 1\r\nb: 2\r\n");
    let added = add_list_entry(src, &document.root, "tags", &["needs-review"]).expect("editable");
    assert_eq!(
        apply(src, &added),
        format!("{src}tags:\r\n  - needs-review\r\n")
    );
    let empty = load("", &Limits::default()).expect("loads");
    let added = add_list_entry("", &empty.root, "tags", &["a"]).expect("editable");
    assert_eq!(apply("", &added), "tags:\n  - a\n");
    let flow = load("{a: 1}\n", &Limits::default()).expect("loads");
    assert!(add_list_entry("{a: 1}\n", &flow.root, "tags", &["a"]).is_err());
}

#[test]
fn line_endings_follow_the_line() {
    assert_eq!(line_ending_at("a\r\nb\n", 0), "\r\n");
    assert_eq!(line_ending_at("a\r\nb\n", 3), "\n");
    assert_eq!(line_ending_at("a\r\nb", 4), "\r\n");
    assert_eq!(line_ending_at("a", 1), "\n");
}
