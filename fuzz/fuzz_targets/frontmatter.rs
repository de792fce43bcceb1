//! The frontmatter splitter, the span-carrying YAML loader and `Note::parse`'s frontmatter
//! state: never panics, and every span lies inside its text on char boundaries.
//!
//! Input: the note's bytes (lossily decoded, as notes that are not UTF-8 never get here).
//! Small limits make depth and alias-budget errors reachable; the first byte picks them.

#![no_main]
// `fuzz_target!` writes crash files itself; the crate's one-writer rule is not for it.
#![allow(clippy::disallowed_methods)]

mod common;

use common::in_bounds;
use libfuzzer_sys::fuzz_target;
use notelint::note::frontmatter::{Split, split};
use notelint::note::{FrontmatterState, Note, ParseOptions, body};
use notelint::yaml::{self, Limits, Node, Value};

fuzz_target!(|data: &[u8]| {
    let Some((&knobs, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    let text: &str = &text;
    let limits = if knobs & 1 == 0 {
        Limits::default()
    } else {
        Limits {
            max_depth: 1 + usize::from(knobs >> 4),
            max_alias_nodes: 1 + usize::from(knobs >> 1) * 4,
        }
    };

    let yaml_range = match split(text) {
        Split::None { body_start } => {
            in_bounds(text, &(body_start..text.len()));
            None
        }
        Split::Unclosed { open } => {
            in_bounds(text, &open);
            assert_eq!(&text[open], "---");
            None
        }
        Split::Closed(block) => {
            for range in [&block.open, &block.yaml, &block.close] {
                in_bounds(text, range);
            }
            in_bounds(text, &(block.body_start..text.len()));
            assert!(block.open.end <= block.yaml.start);
            assert!(block.yaml.end <= block.close.start);
            assert!(block.close.end <= block.body_start);
            Some(block.yaml)
        }
    };

    // The YAML loader on the block, and on the whole text (arbitrary YAML, not only what
    // sits between `---` lines).
    if let Some(range) = &yaml_range {
        check_load(&text[range.clone()], &limits);
    }
    check_load(text, &limits);

    // Note::parse: the state's spans are note-relative.
    let options = ParseOptions {
        max_bytes: 1 << 20,
        limits,
        scan: body::ScanOptions::default(),
    };
    let note = Note::parse("n.md".to_owned(), text.to_owned(), &options);
    in_bounds(text, &(note.body_start..text.len()));
    match &note.frontmatter {
        FrontmatterState::Absent => {}
        FrontmatterState::Unclosed { open } | FrontmatterState::TooLarge { open, .. } => {
            in_bounds(text, open)
        }
        FrontmatterState::Invalid { block, error } => {
            let span = error.span();
            in_bounds(text, span);
            assert!(block.yaml.start <= span.start && span.end <= block.yaml.end);
        }
        FrontmatterState::Parsed(frontmatter) => {
            let yaml_text = &text[frontmatter.block.yaml.clone()];
            check_node(yaml_text, frontmatter.root(), 0);
            let root = frontmatter.span(&frontmatter.root().span);
            in_bounds(text, &root);
        }
    }
});

fn check_load(text: &str, limits: &Limits) {
    match yaml::load(text, limits) {
        Ok(document) => {
            check_node(text, &document.root, 0);
            for duplicate in &document.duplicates {
                in_bounds(text, &duplicate.first);
                in_bounds(text, &duplicate.second);
                assert!(duplicate.first.start <= duplicate.second.start);
            }
            for comment in &document.comments {
                in_bounds(text, &comment.span);
                assert!(text[comment.span.clone()].starts_with('#'), "{comment:?}");
            }
            // Conversion and lookups must not panic either.
            let json = document.root.to_json();
            let _ = json.to_string();
            let _ = document.root.pointer("/a/0");
            let _ = document.root.get("tags");
        }
        Err(error) => {
            in_bounds(text, error.span());
            let _ = error.to_string();
        }
    }
}

/// Every node's span in bounds and on char boundaries, children inside collections
/// (aliases excepted: an expanded alias keeps the anchored text's spans for its children).
fn check_node(text: &str, node: &Node, depth: usize) {
    assert!(depth <= 10_000, "the depth limit holds");
    in_bounds(text, &node.span);
    let _ = node.key_string();
    match &node.value {
        Value::Seq(items) => {
            for item in items {
                check_node(text, item, depth + 1);
            }
        }
        Value::Map(entries) => {
            for entry in entries {
                check_node(text, &entry.key, depth + 1);
                check_node(text, &entry.value, depth + 1);
            }
        }
        _ => assert!(node.scalar_text().is_some()),
    }
}
