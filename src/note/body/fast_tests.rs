//! Differential tests of the fast structure path against pulldown-cmark: on
//! realistic note bodies and their near-miss neighbours, whenever the fast
//! path answers, its structure and the whole scan equal the general path's;
//! and it answers for most realistic bodies, so it cannot pass by declining.

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;

use super::blocks::parse_structure;
use super::*;

const ALL_ON: ScanOptions = ScanOptions {
    wikilinks: true,
    in_comments: true,
    inline_tags: true,
};

/// The fast structure of `text`, and asserts it equals pulldown-cmark's.
fn fast_agrees(text: &str, opts: &ScanOptions) -> Result<bool, TestCaseError> {
    let range = 0..text.len();
    let Some(fast) = fast::structure(text, &range, false) else {
        return Ok(false);
    };
    let general = parse_structure(text, &range, opts, false);
    prop_assert_eq!(Some(fast), general, "structure of {:?}", text);
    Ok(true)
}

fn scans_agree(text: &str, start: usize, opts: &ScanOptions) -> Result<(), TestCaseError> {
    let fast = scan_with(text, start, opts, true);
    let general = scan_with(text, start, opts, false);
    prop_assert_eq!(fast, general, "scan of {:?}", text);
    Ok(())
}

/// Text inside a line: words, links, tags, emphasis, unicode.
fn inline_piece(near_miss: bool) -> BoxedStrategy<&'static str> {
    let common = prop_oneof![
        8 => Just("word "),
        4 => Just("Renewal pipeline "),
        2 => Just("Zoë Ångström "),
        1 => Just("日本語 "),
        1 => Just("e\u{301} "),
        4 => Just("[[Note]] "),
        2 => Just("[[Folder/Note|shown]] "),
        2 => Just("[[Note#Heading]] "),
        2 => Just("[[Note#^b1|quote]] "),
        1 => Just("![[image.png]] "),
        1 => Just("![[image.png|300]]"),
        3 => Just("[text](Other%20Note.md) "),
        2 => Just("[t](../People/Kofi.md#Context) "),
        1 => Just("![alt](pic.png) "),
        1 => Just("[site](https://example.com/a#b) "),
        1 => Just("[](empty.md)"),
        3 => Just("#tag "),
        2 => Just("#topic/sub-tag "),
        1 => Just("#123 "),
        2 => Just("*em* "),
        1 => Just("**strong** "),
        1 => Just("~~gone~~ "),
        1 => Just("_under_ "),
        1 => Just("C# "),
        1 => Just("a.b, c; d! "),
        1 => Just("%% hidden [[In Comment]] %% "),
        1 => Just("(parens) "),
        1 => Just("[plain] "),
        1 => Just("[ref][x] "),
        1 => Just("| cell "),
        1 => Just("^caret "),
        1 => Just(" ^b7"),
    ];
    if !near_miss {
        return common.boxed();
    }
    let odd = prop_oneof![
        Just("`code [[x]] #t` "),
        Just("``a ` b`` "),
        Just("`"),
        Just("$x^2$ "),
        Just("$$"),
        Just("<b>x</b> "),
        Just("<!-- [[c]] #t -->"),
        Just("<!-- notelint-disable x -->"),
        Just("<https://a.b> "),
        Just("&amp; "),
        Just("&#35;t "),
        Just("\\[a](b) "),
        Just("\\"),
        Just("\\#x "),
        Just("[a](b \"t\") "),
        Just("[a](<b c.md>) "),
        Just("[a](b(c).md) "),
        Just("[a](b&amp;c) "),
        Just("[a](b\\_c) "),
        Just("[[a]](b) "),
        Just("[x [a](b)](c) "),
        Just("[a]b](c) "),
        Just("[^1] "),
        Just("[^1](x) "),
        Just("[ ](x) "),
        Just("[x](y) "),
        Just("[[a [b](c) d]] "),
        Just("[a\nb](c) "),
        Just("[a](\nb) "),
        Just("]("),
        Just("]: "),
        Just("[a]: b "),
        Just("\u{a0}"),
        Just("[a](b\u{a0}c) "),
        Just("~~~"),
        Just("```"),
        Just("#"),
        Just(" #"),
        Just("\t"),
        Just("\r"),
        Just("*"),
        Just("["),
        Just("]"),
        Just("[["),
        Just("]]"),
    ];
    prop_oneof![6 => common, 1 => odd].boxed()
}

/// How a near-miss line starts.
fn odd_line_start() -> impl Strategy<Value = &'static str> {
    prop_oneof![
        Just("    "),
        Just("\t"),
        Just("  "),
        Just(" # "),
        Just("- # "),
        Just("####### "),
        Just("#"),
        Just("> "),
        Just("> - "),
        Just("- > "),
        Just("-     "),
        Just("-\t"),
        Just("1) "),
        Just("+ "),
        Just("- "),
        Just("[a]: "),
        Just("[^1]: "),
        Just("|"),
        Just("<div>"),
        Just("$$"),
        Just("  ```"),
        Just("~~~"),
        Just("=== "),
        Just("---"),
    ]
}

/// Whole blocks that are not built from inline pieces.
fn fixed_block(near_miss: bool) -> BoxedStrategy<&'static str> {
    let common = prop_oneof![
        Just("```\n[[In Code]] #not-tag ^not-id\n<b>$x$</b>\n```"),
        Just("```dataview\nTABLE file.name WHERE contains(text, \"[[X]]\")\n```"),
        Just("~~~python\n# comment\n~~~~"),
        Just("````md\n```\n[[inner]]\n```\n````"),
        Just("---"),
        Just("* * *"),
        Just("%%\n[[Hidden]]\n%%"),
        Just("# Heading #"),
        Just("## Heading ##  "),
        Just("#"),
        Just("# #"),
        Just("- "),
    ];
    if !near_miss {
        return common.boxed();
    }
    let odd = prop_oneof![
        Just("Title\n==="),
        Just("Title\n---"),
        Just("Title\n-"),
        Just("| a | b |\n|---|---|\n| [[x]] | [y](z) |"),
        Just("a | b\n--|--"),
        Just("```\nunclosed [[x]]"),
        Just("```js `x`\n[[y]]\n```"),
        Just("  ```\n[[x]]\n  ```"),
        Just("```\n[[x]]\n   ```"),
        Just("```\n[[x]]\n    ```\n```"),
        Just("```\n[[x]]\n\t```\n```"),
        Just("$$\n[[x]]\n$$"),
        Just("<div>\n[[x]]\n</div>"),
        Just("<!--\n[[x]]\n-->"),
        Just("    indented [[x]] #t"),
        Just("\tindented [[x]]"),
        Just("> quote [a](b)\n> # h"),
        Just("[ref]: target.md"),
        Just("[^1]: note [[x]]"),
        Just("***"),
        Just("___"),
        Just("- ---"),
        Just("--"),
        Just("\r\n"),
    ];
    prop_oneof![3 => common, 1 => odd].boxed()
}

/// One line: a start, inline pieces, an optional block id or closing `#`s;
/// near misses sometimes start oddly.
fn line(starts: &'static [&'static str], near_miss: bool) -> BoxedStrategy<String> {
    let start = prop::sample::select(starts);
    let start = match near_miss {
        true => prop_oneof![5 => start, 1 => odd_line_start()].boxed(),
        false => start.boxed(),
    };
    (
        start,
        prop::collection::vec(inline_piece(near_miss), 1..8),
        prop_oneof![6 => Just(""), 1 => Just(" ^b1"), 1 => Just("  "), 1 => Just(" ##")],
    )
        .prop_map(|(start, pieces, end)| format!("{start}{}{end}", pieces.concat()))
        .boxed()
}

/// A heading, a paragraph, a list (nested items follow an item, as editors
/// write them) or a fixed block.
fn block(near_miss: bool) -> impl Strategy<Value = String> {
    let heading = line(&["# ", "## ", "### ", "#### "], near_miss);
    let paragraph = prop::collection::vec(line(&["", "", "#tag "], near_miss), 1..4);
    let list = (
        line(&["- ", "* ", "1. ", "- [ ] ", "- [x] "], near_miss),
        prop::collection::vec(
            line(
                &["- ", "- ", "  - ", "\t- ", "    - ", "2. ", "\t\t- "],
                near_miss,
            ),
            0..6,
        ),
    )
        .prop_map(|(first, rest)| std::iter::once(first).chain(rest).collect::<Vec<_>>());
    prop_oneof![
        2 => heading,
        3 => paragraph.prop_map(|l| l.join("\n")),
        3 => list.prop_map(|l| l.join("\n")),
        1 => fixed_block(near_miss).prop_map(str::to_owned),
    ]
}

fn note_body(near_miss: bool) -> impl Strategy<Value = String> {
    (
        prop::collection::vec(
            (
                block(near_miss),
                prop_oneof![3 => Just("\n\n"), 1 => Just("\n")],
            ),
            0..12,
        ),
        any::<bool>(),
    )
        .prop_map(|(blocks, crlf)| {
            let text: String = blocks
                .into_iter()
                .flat_map(|(b, sep)| [b, sep.to_owned()])
                .collect();
            match crlf {
                true => text.replace('\n', "\r\n"),
                false => text,
            }
        })
}

proptest! {
    // 2000 cases, or PROPTEST_CASES for a longer run.
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(2000)
    ))]

    #[test]
    fn fast_structure_equals_pulldown_on_notes(text in note_body(false)) {
        fast_agrees(&text, &ScanOptions::default())?;
        scans_agree(&text, 0, &ALL_ON)?;
    }

    #[test]
    fn fast_structure_equals_pulldown_on_near_misses(text in note_body(true)) {
        fast_agrees(&text, &ScanOptions::default())?;
        let no_wikilinks = ScanOptions { wikilinks: false, ..ALL_ON };
        scans_agree(&text, 0, &no_wikilinks)?;
        scans_agree(&text, 0, &ALL_ON)?;
        scans_agree(&text, 0, &ScanOptions::default())?;
    }

    #[test]
    fn fast_structure_equals_pulldown_after_frontmatter(body in note_body(true)) {
        let text = format!("---\ntitle: x\n---\n{body}");
        scans_agree(&text, 16, &ALL_ON)?;
    }
}

/// The fast path must answer for most realistic bodies, or the equality
/// tests above would pass by declining.
/// Of `total` bodies drawn from `strategy`, how many the fast path answers for.
fn accepted(strategy: impl Strategy<Value = String>, total: usize) -> usize {
    let mut runner = TestRunner::deterministic();
    (0..total)
        .filter(|_| {
            let text = strategy
                .new_tree(&mut runner)
                .map(|tree| tree.current())
                .unwrap_or_default();
            fast::structure(&text, &(0..text.len()), false).is_some()
        })
        .count()
}

/// The fast path must answer for most realistic bodies, or the equality
/// tests above would pass by declining; and for some near misses too, so
/// they test its edges.
#[test]
fn fast_structure_accepts_most_realistic_notes() {
    let realistic = accepted(note_body(false), 2000);
    let near_misses = accepted(note_body(true), 2000);
    eprintln!("fast path: {realistic}/2000 realistic, {near_misses}/2000 near-miss bodies");
    assert!(realistic >= 1600, "accepted only {realistic} of 2000");
    assert!(near_misses >= 100, "accepted only {near_misses} of 2000");
}

#[test]
fn fast_structure_answers_for_a_typical_note() {
    let text = "# Project 42\n\nIntro with [[Alice]] and #topic/x.\n\n## Links\n\n\
                - See [[Meeting 1#Context|the context]] ^b1\n\
                - [Bob](../People/Bob%20Ray.md)\n\
                \t- nested ![[chart.png]]\n\n\
                ```dataview\nTABLE x WHERE contains(text, \"[[Not A Link]]\")\n```\n";
    let range = 0..text.len();
    let fast = fast::structure(text, &range, false);
    assert!(fast.is_some(), "declined a plain note");
    assert_eq!(
        fast,
        parse_structure(text, &range, &ScanOptions::default(), false)
    );
    assert_eq!(
        scan_with(text, 0, &ALL_ON, true),
        scan_with(text, 0, &ALL_ON, false)
    );
}
