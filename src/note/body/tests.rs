//! Unit tests for every recognised and every excluded form, and property
//! tests that `scan` never panics and keeps its spans inside the text.

use proptest::prelude::*;

use super::*;

fn scan_all(text: &str) -> BodyScan {
    scan(text, 0, &ScanOptions::default())
}

fn with(text: &str, opts: ScanOptions) -> BodyScan {
    scan(text, 0, &opts)
}

/// `(kind, target, fragment, display)` of every link.
fn links(text: &str) -> Vec<(LinkKind, String, Option<String>, Option<String>)> {
    links_of(&scan_all(text))
}

fn links_of(s: &BodyScan) -> Vec<(LinkKind, String, Option<String>, Option<String>)> {
    s.links
        .iter()
        .map(|l| {
            (
                l.kind,
                l.target.clone(),
                l.fragment.clone(),
                l.display.clone(),
            )
        })
        .collect()
}

fn targets(text: &str) -> Vec<String> {
    scan_all(text).links.into_iter().map(|l| l.target).collect()
}

fn tags(text: &str) -> Vec<String> {
    scan_all(text).tags.into_iter().map(|t| t.name).collect()
}

fn headings(text: &str) -> Vec<(u8, String)> {
    scan_all(text)
        .headings
        .into_iter()
        .map(|h| (h.level, h.text))
        .collect()
}

fn block_ids(text: &str) -> Vec<String> {
    scan_all(text).block_ids.into_iter().map(|b| b.id).collect()
}

fn wiki(
    target: &str,
    fragment: Option<&str>,
    display: Option<&str>,
) -> (LinkKind, String, Option<String>, Option<String>) {
    (
        LinkKind::Wiki,
        target.to_owned(),
        fragment.map(str::to_owned),
        display.map(str::to_owned),
    )
}

fn md(target: &str, fragment: Option<&str>) -> (LinkKind, String, Option<String>, Option<String>) {
    (
        LinkKind::Markdown,
        target.to_owned(),
        fragment.map(str::to_owned),
        None,
    )
}

const COMMENTS_ON: ScanOptions = ScanOptions {
    wikilinks: true,
    in_comments: true,
    inline_tags: true,
};

// ---- wikilinks ----

#[test]
fn wikilink_forms() {
    assert_eq!(
        links("[[Note]] [[Folder/Note]] [[Note.md]] [[ Spaced ]]"),
        vec![
            wiki("Note", None, None),
            wiki("Folder/Note", None, None),
            wiki("Note.md", None, None),
            wiki("Spaced", None, None),
        ]
    );
}

#[test]
fn wikilink_display_heading_and_block() {
    assert_eq!(
        links(
            "[[Note|shown text]] [[Note#A#B]] [[#Heading]] [[Note#^block-id]] [[A#h|x]] [[A|b#c]]"
        ),
        vec![
            wiki("Note", None, Some("shown text")),
            wiki("Note", Some("A#B"), None),
            wiki("", Some("Heading"), None),
            wiki("Note", Some("^block-id"), None),
            wiki("A", Some("h"), Some("x")),
            wiki("A", None, Some("b#c")),
        ]
    );
}

#[test]
fn empty_wikilinks_are_links_with_empty_target() {
    assert_eq!(
        links("[[]] and [[  ]] and [[Note#]]"),
        vec![
            wiki("", None, None),
            wiki("", None, None),
            wiki("Note", None, None)
        ]
    );
}

#[test]
fn escaped_pipe_in_table_is_display_separator() {
    let text = "| who | link |\n| --- | --- |\n| Dana | [[People/Dana Whitfield\\|Dana]] |\n";
    let s = scan_all(text);
    assert_eq!(
        links_of(&s),
        vec![wiki("People/Dana Whitfield", None, Some("Dana"))]
    );
    assert_eq!(
        &text[s.links[0].target_span.clone()],
        "People/Dana Whitfield"
    );
    assert_eq!(
        &text[s.links[0].span.clone()],
        "[[People/Dana Whitfield\\|Dana]]"
    );
}

#[test]
fn embeds_with_size() {
    let s = scan_all("![[img.png|300]] ![[Note#Heading]]");
    assert_eq!(
        links_of(&s),
        vec![
            (
                LinkKind::WikiEmbed,
                "img.png".into(),
                None,
                Some("300".into())
            ),
            (
                LinkKind::WikiEmbed,
                "Note".into(),
                Some("Heading".into()),
                None
            ),
        ]
    );
    assert_eq!(s.links[0].span, 0..16);
}

#[test]
fn wikilink_spans() {
    let text = "see [[Note#Head|x]]";
    let l = &scan_all(text).links[0];
    assert_eq!(&text[l.span.clone()], "[[Note#Head|x]]");
    assert_eq!(&text[l.target_span.clone()], "Note");
    assert_eq!(l.fragment_span.clone().map(|f| &text[f]), Some("Head"));
    let l = &scan_all("[[]]").links[0];
    assert_eq!(l.target_span, 2..2);
}

#[test]
fn line_break_ends_a_wikilink() {
    assert!(links("[[Not\na link]]").is_empty());
    assert!(links("[[Not\r\na link]]").is_empty());
    assert_eq!(targets("[[broken\n[[Fine]]"), vec!["Fine"]);
}

#[test]
fn later_open_brackets_restart_the_wikilink() {
    assert_eq!(targets("[[a [[b]]"), vec!["b"]);
}

#[test]
fn innermost_double_bracket_opens() {
    let text = "[[[b]] [[[[c]]]]";
    let s = scan_all(text);
    assert_eq!(targets(text), vec!["b", "c"]);
    assert_eq!(&text[s.links[0].span.clone()], "[[b]]");
}

#[test]
fn wikilink_wins_over_code_math_and_html_inside_it() {
    // As in Obsidian (and pulldown-cmark's wikilinks): the earlier `[[`
    // takes the text up to `]]` even when it looks like code.
    assert_eq!(
        targets("[[a `b` c]] [[a $b$ c]] [[a <b> c]]"),
        vec!["a `b` c", "a $b$ c", "a <b> c"]
    );
    // ...but code that opens first hides the wikilink.
    assert!(targets("`[[a` b]]").is_empty());
}

#[test]
fn escaped_wikilink_is_text() {
    assert!(links(r"\[[Not a link]]").is_empty());
    assert_eq!(targets(r"\\[[Link]]"), vec!["Link"]);
    // An escaped `!` leaves a plain wikilink.
    assert_eq!(links(r"\![[Note]]"), vec![wiki("Note", None, None)]);
}

#[test]
fn wikilinks_disabled_for_hugo_sites() {
    let opts = ScanOptions {
        wikilinks: false,
        ..ScanOptions::default()
    };
    let s = with(
        "{{< ref \"x.md\" >}} [[not a link]] ![[nor this]] [real](a.md)",
        opts,
    );
    assert_eq!(links_of(&s), vec![md("a.md", None)]);
    assert!(s.tags.is_empty());
}

#[test]
fn hugo_shortcodes_are_not_links_or_tags() {
    let s = scan_all("{{< figure src=\"a.png\" >}}\n{{% notice %}}text{{% /notice %}}\n");
    assert!(s.links.is_empty());
    assert!(s.tags.is_empty());
}

#[test]
fn multibyte_text_before_links() {
    let text = "Ünïcödé — 日本語 😀 [[Zürich Notes]] and ![[Bild.png]] and [t](Ärger.md)";
    let s = scan_all(text);
    assert_eq!(s.links.len(), 3);
    assert_eq!(&text[s.links[0].span.clone()], "[[Zürich Notes]]");
    assert_eq!(&text[s.links[0].target_span.clone()], "Zürich Notes");
    assert_eq!(&text[s.links[1].span.clone()], "![[Bild.png]]");
    assert_eq!(&text[s.links[2].span.clone()], "[t](Ärger.md)");
    assert_eq!(&text[s.links[2].target_span.clone()], "Ärger.md");
}

#[test]
fn spec_example_note() {
    let text = "---\ntype: people\n---\n\n# Dana Whitfield\n\n## Recent Context\n\n\
        - 2025-11-06: [[2025-11-06 - Weekly sync on storage roadmap (Q1 $2.5M deal) and Contoso’s A]]\n\
        - See [[Contoso]] and [[Projects/Storage Pilot|the pilot]], ![[org-chart.png]]\n\n\
        ```dataview\nTASK FROM \"\" WHERE contains(text, \"[[Not A Link]]\")\n```\n";
    let body_start = text.find("\n# ").unwrap_or_default();
    let s = scan(text, body_start, &ScanOptions::default());
    let t: Vec<_> = s.links.iter().map(|l| l.target.as_str()).collect();
    assert_eq!(
        t,
        vec![
            "2025-11-06 - Weekly sync on storage roadmap (Q1 $2.5M deal) and Contoso’s A",
            "Contoso",
            "Projects/Storage Pilot",
            "org-chart.png"
        ]
    );
    for l in &s.links {
        assert!(text[l.span.clone()].ends_with("]]"));
    }
    assert_eq!(
        s.headings
            .iter()
            .map(|h| h.text.as_str())
            .collect::<Vec<_>>(),
        vec!["Dana Whitfield", "Recent Context"]
    );
    assert!(s.tags.is_empty());
}

#[test]
fn body_start_skips_frontmatter() {
    let text = "---\ncompany: \"[[Contoso]]\"\ntags: [#x]\n---\n[[Body]]\n";
    let body_start = text.rfind("---\n").unwrap_or_default() + 4;
    let s = scan(text, body_start, &ScanOptions::default());
    assert_eq!(s.links.len(), 1);
    assert_eq!(&text[s.links[0].span.clone()], "[[Body]]");
    // Out of range or inside a character: nothing, no panic.
    assert_eq!(
        scan(text, text.len() + 5, &ScanOptions::default()),
        BodyScan::default()
    );
    assert_eq!(
        scan("é[[x]]", 1, &ScanOptions::default()),
        BodyScan::default()
    );
}

// ---- Markdown links ----

#[test]
fn markdown_link_forms() {
    assert_eq!(
        links(
            "[a](Note.md) [b](<My Note.md>) [c](My%20Note.md#Head%20ing) [d](x.md \"title\") \
             ![i](pics/a.png) [e](#heading) [f]() [g](../up.md)"
        ),
        vec![
            md("Note.md", None),
            md("My Note.md", None),
            md("My Note.md", Some("Head ing")),
            md("x.md", None),
            (LinkKind::MarkdownImage, "pics/a.png".into(), None, None),
            md("", Some("heading")),
            md("", None),
            md("../up.md", None),
        ]
    );
}

#[test]
fn markdown_link_spans() {
    let text = "x [t](<My Note.md#Sec>) [u](My%20Note.md#Heading \"t\") [v]()";
    let s = scan_all(text);
    assert_eq!(&text[s.links[0].span.clone()], "[t](<My Note.md#Sec>)");
    assert_eq!(&text[s.links[0].target_span.clone()], "My Note.md");
    assert_eq!(
        s.links[0].fragment_span.clone().map(|f| &text[f]),
        Some("Sec")
    );
    assert_eq!(&text[s.links[1].target_span.clone()], "My%20Note.md");
    assert_eq!(s.links[1].target, "My Note.md");
    assert_eq!(s.links[1].fragment.as_deref(), Some("Heading"));
    assert_eq!(&text[s.links[2].span.clone()], "[v]()");
    assert!(s.links[2].target_span.is_empty());
}

#[test]
fn tricky_markdown_link_text() {
    let text = "[a `](` b](real.md) [![img](i.png)](page.md) [x\\]](esc.md)";
    assert_eq!(
        links(text),
        vec![
            md("real.md", None),
            md("page.md", None),
            (LinkKind::MarkdownImage, "i.png".into(), None, None),
            md("esc.md", None),
        ]
    );
    let s = scan_all(text);
    for l in &s.links {
        assert!(
            text[l.target_span.clone()].ends_with(".md")
                || text[l.target_span.clone()].ends_with(".png")
        );
    }
}

#[test]
fn reference_definitions_count() {
    let text = "Use [the spec][ref].\n\n[ref]: docs/Spec%20File.md#Part \"Title\"\n[web]: https://example.com\n";
    let s = scan_all(text);
    assert_eq!(links_of(&s), vec![md("docs/Spec File.md", Some("Part"))]);
    assert_eq!(&text[s.links[0].target_span.clone()], "docs/Spec%20File.md");
    assert!(text[s.links[0].span.clone()].starts_with("[ref]:"));
}

#[test]
fn comment_definitions_are_not_links() {
    // `[//]: # (text)` is how Markdown writes a comment; GitHub's explore topics
    // use it for `[//youtube-embed-unfurl//]: # (id)`.
    let text = "Body.\n\n[//]: # (a comment)\n[//youtube-embed-unfurl//]: # (GVpIaEoFF3A)\n\
                [comment]: <> (another one)\n[note]: # \"titled\"\n";
    let s = scan_all(text);
    assert!(links_of(&s).is_empty(), "{:?}", links_of(&s));
    // A definition that points somewhere still counts, and so does `[top](#)` inline.
    assert_eq!(targets("[a]: #x\n[b]: ./b.md\n"), vec!["", "./b.md"]);
    assert_eq!(links("[top](#)"), vec![md("", None)]);
}

#[test]
fn template_destinations_are_not_checked() {
    // Hugo shortcodes and template placeholders only become a URL when rendered.
    let text = "[rss]: <{{% eturl rss %}}>\n\n[a]({{< relref \"x.md\" >}}) [b](<{{date}}.md>) \
                [c](notes/{{title}}.md) [d](x{{y.md)";
    assert_eq!(targets(text), vec!["x{{y.md"]);
}

#[test]
fn footnotes_are_not_links() {
    assert!(links("Text[^1].\n\n[^1]: a footnote, not a file\n").is_empty());
}

#[test]
fn external_links_are_not_reported() {
    let text = "[a](https://example.com/x#frag) [b](mailto:me@example.com) [c](obsidian://open?vault=v) \
                <https://auto.link/#x> [d](//cdn.example.com/x) ![e](https://img/x.png) [f](C:/notes/x.md)";
    assert_eq!(targets(text), vec!["C:/notes/x.md"]);
}

#[test]
fn is_external_cases() {
    for url in [
        "https://x.com",
        "http:x",
        "mailto:a@b",
        "obsidian://open",
        "//host/p",
        "x-y+z.w:1",
    ] {
        assert!(is_external(url), "{url}");
    }
    for path in [
        "C:\\notes\\x.md",
        "c:/x",
        "Note.md",
        "#frag",
        "",
        "../a.md",
        "1abc:x",
        "a b:c",
        // Local files, mostly outside the vault: checked (and broken), never followed.
        "file:///etc/passwd",
        "FILE:/tmp",
    ] {
        assert!(!is_external(path), "{path}");
    }
}

#[test]
fn file_urls_are_links_to_check() {
    let text = "[p](file:///etc/passwd) [q](<file:///C:/x y.md#H>) [w](https://x.y)";
    assert_eq!(
        targets(text),
        vec![
            "file:///etc/passwd".to_owned(),
            "file:///C:/x y.md".to_owned()
        ]
    );
}

// ---- what hides links ----

#[test]
fn no_links_in_fenced_code() {
    for text in [
        "```\n[[a]] [b](c.md) #tag\n```\n",
        "~~~\n[[a]]\n~~~\n",
        "````md\n```\n[[a]]\n```\n````\n",
        "- item\n\n  ```\n  [[a]]\n  ```\n",
        "> ```\n> [[a]] #tag\n> ```\n",
        "```dataview\nTABLE file.link FROM [[Index]] WHERE contains(tags, \"#x\")\n```\n",
        "```\nunclosed [[a]]\n",
    ] {
        let s = scan_all(text);
        assert!(s.links.is_empty() && s.tags.is_empty(), "{text:?}: {s:?}");
    }
}

#[test]
fn no_links_in_indented_code() {
    let s = scan_all("Para\n\n    [[code]] #tag ^id\n\nAfter [[Real]]\n");
    assert_eq!(links_of(&s), vec![wiki("Real", None, None)]);
    assert!(s.tags.is_empty() && s.block_ids.is_empty());
    // A lazy continuation line is not code.
    assert_eq!(targets("Para\n    [[Lazy]]\n"), vec!["Lazy"]);
}

#[test]
fn no_links_in_inline_code() {
    assert_eq!(
        targets("`[[a]]` ``[[b]] ` `` `[c](d.md)` `#tag` [[Real]]"),
        vec!["Real"]
    );
    assert!(tags("`#tag`").is_empty());
    assert_eq!(
        targets("inline dataview `= [[x]]` ok"),
        Vec::<String>::new()
    );
}

#[test]
fn no_links_in_math() {
    let s = scan_all("$$\n\\text{[[a]]} \\# x\n$$\n\nInline $[[b]]$ and $x #y$ but [[Real]]\n");
    assert_eq!(links_of(&s), vec![wiki("Real", None, None)]);
    assert!(s.tags.is_empty());
    // A lone dollar is not math.
    assert_eq!(targets("costs $5 [[Real]]"), vec!["Real"]);
}

#[test]
fn html_comments_hide_links_unless_asked() {
    let text = "a <!-- [[Inline]] #tag --> b\n<!--\n[[Block]] [m](m.md)\n-->\n[[Real]]\n";
    let s = scan_all(text);
    assert_eq!(links_of(&s), vec![wiki("Real", None, None)]);
    assert!(s.tags.is_empty());

    let s = with(text, COMMENTS_ON);
    let found: Vec<_> = s
        .links
        .iter()
        .map(|l| (l.target.as_str(), l.in_comment))
        .collect();
    assert_eq!(
        found,
        vec![
            ("Inline", true),
            ("Block", true),
            ("m.md", true),
            ("Real", false)
        ]
    );
    assert!(s.tags.is_empty(), "tags in comments never count");
}

#[test]
fn obsidian_comments_hide_links_unless_asked() {
    let text = "a %%[[Inline]] #tag%% b\n%%\n# Not a heading\n[[Block]] ^hidden\n%%\n[[Real]] %% unclosed [[Rest]]\n";
    let s = scan_all(text);
    assert_eq!(links_of(&s), vec![wiki("Real", None, None)]);
    assert!(s.tags.is_empty() && s.block_ids.is_empty() && s.headings.is_empty());

    let s = with(text, COMMENTS_ON);
    let found: Vec<_> = s
        .links
        .iter()
        .map(|l| (l.target.as_str(), l.in_comment))
        .collect();
    assert_eq!(
        found,
        vec![
            ("Inline", true),
            ("Block", true),
            ("Real", false),
            ("Rest", true)
        ]
    );
}

#[test]
fn code_inside_comments_still_hides() {
    let s = with("%% `[[code]]` [[x]] %%", COMMENTS_ON);
    assert_eq!(links_of(&s), vec![wiki("x", None, None)]);
    assert!(s.links[0].in_comment);
}

#[test]
fn percent_in_code_does_not_open_a_comment() {
    let text = "`%%` [[A]]\n```sql\nLIKE '%%'\n```\n[[B]] $a %% b$ [[C]]\n";
    assert_eq!(targets(text), vec!["A", "B", "C"]);
}

#[test]
fn raw_html_hides_its_content() {
    let s = scan_all(
        "<div style=\"color: #fff\">\n[[inside]]\n</div>\n\n<span title=\"#x\">[[Real]]</span>\n",
    );
    assert_eq!(links_of(&s), vec![wiki("Real", None, None)]);
    assert!(s.tags.is_empty());
}

// ---- tags ----

#[test]
fn inline_tag_forms() {
    assert_eq!(
        tags("#start mid #nested/tag, #with_under-score. #Ünïcode #日本 (#paren)\n\t#tabbed"),
        vec![
            "start",
            "nested/tag",
            "with_under-score",
            "Ünïcode",
            "日本",
            "tabbed"
        ]
    );
}

#[test]
fn tag_spans_include_hash() {
    let text = "é #tag!";
    let t = &scan_all(text).tags[0];
    assert_eq!(&text[t.span.clone()], "#tag");
}

#[test]
fn tags_in_nfd_keep_combining_marks() {
    assert_eq!(tags("#cafe\u{301} x"), vec!["cafe\u{301}"]);
}

#[test]
fn not_tags() {
    for text in [
        "C# and F#",
        "issue #123 and #42",
        "https://example.com/#frag and x.com/page#top",
        "# Heading",
        "##",
        "#",
        "a#b",
        "[[Note#Heading]] [[Note #x]]",
        "[t](Note.md#sec) [u](https://x.com/a \"see #x\")",
        "\\#escaped",
        "# ",
    ] {
        assert!(tags(text).is_empty(), "{text:?}: {:?}", tags(text));
    }
}

#[test]
fn malformed_tags_are_kept_for_the_linter() {
    assert_eq!(
        tags("#a//b #/lead #trail/ #1a"),
        vec!["a//b", "/lead", "trail/", "1a"]
    );
}

#[test]
fn tags_in_headings_and_lists() {
    assert_eq!(
        tags("## Title #inhead\n- #item\n> #quoted"),
        vec!["inhead", "item", "quoted"]
    );
}

#[test]
fn inline_tags_can_be_turned_off() {
    let opts = ScanOptions {
        inline_tags: false,
        ..ScanOptions::default()
    };
    assert!(with("#tag", opts).tags.is_empty());
}

// ---- headings ----

#[test]
fn atx_headings() {
    assert_eq!(
        headings(
            "# One\n## Two ##\n   ### Three ###   \n#### Four #not-closing\n###### Six\n####### Seven\n#NoSpace\n"
        ),
        vec![
            (1, "One".into()),
            (2, "Two".into()),
            (3, "Three".into()),
            (4, "Four #not-closing".into()),
            (6, "Six".into()),
        ]
    );
    assert!(headings("    # Indented code\n").is_empty());
}

#[test]
fn heading_text_is_raw_source() {
    assert_eq!(
        headings("# A **bold** [[Link|x]] `code`\n"),
        vec![(1, "A **bold** [[Link|x]] `code`".into())]
    );
}

#[test]
fn setext_headings_and_thematic_breaks() {
    let text = "Title\n=====\n\nSub\n---\n\n---\n\nPara\n\n---\n";
    let s = scan_all(text);
    assert_eq!(
        s.headings
            .iter()
            .map(|h| (h.level, h.text.as_str()))
            .collect::<Vec<_>>(),
        vec![(1, "Title"), (2, "Sub")]
    );
    assert_eq!(&text[s.headings[0].span.clone()], "Title\n=====");
    // Only setext headings, no character the pre-filter looks for.
    assert_eq!(headings("Only\n---\n"), vec![(2, "Only".into())]);
    assert!(headings("---\n").is_empty());
}

#[test]
fn multi_line_setext_heading() {
    assert_eq!(
        headings("Line one\nline two\n===\n"),
        vec![(1, "Line one line two".into())]
    );
}

#[test]
fn headings_not_in_code() {
    assert!(headings("```\n# Not\n```\n~~~\nNot\n===\n~~~\n").is_empty());
}

// ---- block ids ----

#[test]
fn block_id_forms() {
    let text = "A paragraph ^para-1\n- item ^item2  \n> quote\n^own-line\n";
    let s = scan_all(text);
    assert_eq!(
        s.block_ids
            .iter()
            .map(|b| b.id.as_str())
            .collect::<Vec<_>>(),
        vec!["para-1", "item2", "own-line"]
    );
    assert_eq!(&text[s.block_ids[0].span.clone()], "^para-1");
}

#[test]
fn not_block_ids() {
    for text in [
        "mid ^line text",
        "x^y",
        "2^10",
        "```\ncode ^id\n```",
        "`code ^id`",
        "footnote[^1]",
        "^[inline footnote]",
        "^ ",
        "<!-- ^id -->",
        "%% ^id %%",
    ] {
        assert!(
            block_ids(text).is_empty(),
            "{text:?}: {:?}",
            block_ids(text)
        );
    }
}

// ---- directives ----

#[test]
fn directives() {
    let text = "<!-- notelint-disable links/broken tags -->\ntext <!-- notelint-enable -->\n\
                <!-- notelint-disable-next-line links/empty, tags/invalid -->\n[[]]\n<!-- just a comment -->\n";
    let s = scan_all(text);
    let d: Vec<_> = s
        .directives
        .iter()
        .map(|d| (d.kind, d.codes.clone()))
        .collect();
    assert_eq!(
        d,
        vec![
            (
                DirectiveKind::Disable,
                vec!["links/broken".to_owned(), "tags".to_owned()]
            ),
            (DirectiveKind::Enable, vec![]),
            (
                DirectiveKind::DisableNextLine,
                vec!["links/empty".to_owned(), "tags/invalid".to_owned()]
            ),
        ]
    );
    assert_eq!(
        &text[s.directives[0].span.clone()],
        "<!-- notelint-disable links/broken tags -->"
    );
}

#[test]
fn directives_commented_out_by_percent_are_ignored() {
    let s = scan_all("%% <!-- notelint-disable --> %%\n<!-- notelint-enable -->\n");
    assert_eq!(s.directives.len(), 1);
    assert_eq!(s.directives[0].kind, DirectiveKind::Enable);
}

#[test]
fn directive_without_spaces_and_unclosed() {
    let s = scan_all("<!--notelint-disable-->\n");
    assert_eq!(s.directives[0].kind, DirectiveKind::Disable);
    assert!(s.directives[0].codes.is_empty());
    // An unclosed comment hides the rest of its HTML block but suppresses
    // nothing.
    let s = scan_all("<!-- notelint-disable tags\n[[hidden]]\n");
    assert!(s.directives.is_empty());
    assert!(s.links.is_empty());
}

#[test]
fn no_directives_in_code() {
    let s = scan_all(
        "`<!-- notelint-disable -->`\n```\n<!-- notelint-disable -->\n```\n    <!-- notelint-disable -->\n",
    );
    assert!(s.directives.is_empty());
}

// ---- misc ----

#[test]
fn crlf_input() {
    let text = "# Title\r\n\r\nSee [[Note|x]] #tag ^id\r\n\r\n```\r\n[[no]]\r\n```\r\nSub\r\n---\r\n[m](a.md)\r\n";
    let s = scan_all(text);
    assert_eq!(
        links_of(&s),
        vec![wiki("Note", None, Some("x")), md("a.md", None)]
    );
    assert_eq!(tags(text), vec!["tag"]);
    assert_eq!(block_ids(text), vec!["id"]);
    assert_eq!(
        s.headings
            .iter()
            .map(|h| h.text.as_str())
            .collect::<Vec<_>>(),
        vec!["Title", "Sub"]
    );
    assert_eq!(&text[s.headings[0].span.clone()], "# Title");
}

#[test]
fn plain_text_short_circuits() {
    assert_eq!(
        scan_all("just words, no markup at all.\nnone.\n"),
        BodyScan::default()
    );
    assert!(!blocks::may_contain_anything(
        "50% off, `code`, $5 - <b>x</b>\n- item\n"
    ));
    assert!(blocks::may_contain_anything("Title\n  ===\n"));
    assert!(blocks::may_contain_anything("<!-- notelint-disable -->"));
}

#[test]
fn default_options() {
    assert_eq!(
        ScanOptions::default(),
        ScanOptions {
            wikilinks: true,
            in_comments: false,
            inline_tags: true
        }
    );
}

#[test]
fn frontmatter_values() {
    let value = "see [[A#B|x]] and ![[img.png]]";
    let links = wikilinks_in(value, 100);
    assert_eq!(links.len(), 2);
    assert_eq!(links[0].target, "A");
    assert_eq!(links[0].fragment.as_deref(), Some("B"));
    assert_eq!(links[0].display.as_deref(), Some("x"));
    assert_eq!(links[0].span, 104..113);
    assert_eq!(links[0].target_span, 106..107);
    assert_eq!(links[1].kind, LinkKind::WikiEmbed);
    assert_eq!(wikilinks_in("[[Contoso]]", 0)[0].target, "Contoso");
    assert!(wikilinks_in("plain", 0).is_empty());
}

// ---- properties ----

fn check_spans(text: &str, s: &BodyScan) -> Result<(), TestCaseError> {
    let ok = |span: &Span| {
        span.start <= span.end
            && span.end <= text.len()
            && text.is_char_boundary(span.start)
            && text.is_char_boundary(span.end)
    };
    let within = |inner: &Span, outer: &Span| outer.start <= inner.start && inner.end <= outer.end;
    for l in &s.links {
        prop_assert!(ok(&l.span), "link span {:?}", l);
        prop_assert!(
            ok(&l.target_span) && within(&l.target_span, &l.span),
            "target span {:?}",
            l
        );
        if let Some(f) = &l.fragment_span {
            prop_assert!(ok(f) && within(f, &l.span), "fragment span {:?}", l);
        }
        prop_assert!(l.fragment.is_some() || l.fragment_span.is_none());
    }
    for t in &s.tags {
        prop_assert!(ok(&t.span) && !t.name.is_empty(), "tag {:?}", t);
        prop_assert_eq!(&text[t.span.clone()][1..], t.name.as_str());
    }
    for h in &s.headings {
        prop_assert!(ok(&h.span) && (1..=6).contains(&h.level), "heading {:?}", h);
    }
    for b in &s.block_ids {
        prop_assert!(ok(&b.span) && !b.id.is_empty(), "block id {:?}", b);
    }
    for d in &s.directives {
        prop_assert!(ok(&d.span), "directive {:?}", d);
    }
    Ok(())
}

fn markdownish() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("[["),
        Just("]]"),
        Just("|"),
        Just("\\|"),
        Just("\\"),
        Just("#"),
        Just("# "),
        Just("![["),
        Just("["),
        Just("]"),
        Just("]("),
        Just("("),
        Just(")"),
        Just("<"),
        Just(">"),
        Just("`"),
        Just("```\n"),
        Just("~~~\n"),
        Just("    "),
        Just("$"),
        Just("$$"),
        Just("%%"),
        Just("<!--"),
        Just("-->"),
        Just("<!-- notelint-disable x -->"),
        Just("^id"),
        Just("^"),
        Just("---\n"),
        Just("===\n"),
        Just("> "),
        Just("- "),
        Just("| a | b |\n|---|---|\n"),
        Just("\n"),
        Just("\r\n"),
        Just("\r"),
        Just(" "),
        Just("\t"),
        Just("tag"),
        Just("Note.md"),
        Just("%20"),
        Just("https://x.y/#f"),
        Just("é"),
        Just("日本"),
        Just("😀"),
        Just("\u{301}"),
    ];
    prop::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

fn any_opts() -> impl Strategy<Value = ScanOptions> {
    (any::<bool>(), any::<bool>(), any::<bool>()).prop_map(
        |(wikilinks, in_comments, inline_tags)| ScanOptions {
            wikilinks,
            in_comments,
            inline_tags,
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn arbitrary_text_never_panics(text in any::<String>(), start in 0usize..64, opts in any_opts()) {
        let s = scan(&text, start, &opts);
        check_spans(&text, &s)?;
        check_spans(&text, &scan(&text, 0, &opts))?;
    }

    #[test]
    fn markdownish_text_keeps_spans_valid(text in markdownish(), opts in any_opts()) {
        let s = scan(&text, 0, &opts);
        check_spans(&text, &s)?;
        for l in &s.links {
            prop_assert!(opts.in_comments || !l.in_comment);
            if matches!(l.kind, LinkKind::Wiki | LinkKind::WikiEmbed) {
                let written = &text[l.span.clone()];
                prop_assert!(written.starts_with("[[") || written.starts_with("![["));
                prop_assert!(written.ends_with("]]"));
                prop_assert!(!written.contains('\n') && !written.contains('\r'));
            }
        }
    }

    #[test]
    fn body_start_offsets_are_respected(prefix in markdownish(), body in markdownish()) {
        let text = format!("{prefix}\n{body}");
        let start = prefix.len() + 1;
        let s = scan(&text, start, &ScanOptions { in_comments: true, ..ScanOptions::default() });
        check_spans(&text, &s)?;
        for l in &s.links {
            prop_assert!(l.span.start >= start);
        }
        for t in &s.tags {
            prop_assert!(t.span.start >= start);
        }
    }

    #[test]
    fn in_comments_only_adds_comment_links(text in markdownish()) {
        let off = scan(&text, 0, &ScanOptions::default());
        let on = scan(&text, 0, &COMMENTS_ON);
        let live: Vec<_> = on.links.iter().filter(|l| !l.in_comment).cloned().collect();
        prop_assert_eq!(&off.links, &live);
        prop_assert!(off.links.iter().all(|l| !l.in_comment));
        prop_assert_eq!(&off.tags, &on.tags);
        prop_assert_eq!(&off.headings, &on.headings);
        prop_assert_eq!(&off.block_ids, &on.block_ids);
        prop_assert_eq!(&off.directives, &on.directives);
    }

    #[test]
    fn frontmatter_prefix_only_shifts_spans(body in markdownish()) {
        let prefix = "---\ntitle: \"[[x]] #y ^z\"\n---\n";
        let alone = scan(&body, 0, &COMMENTS_ON);
        let text = format!("{prefix}{body}");
        let mut shifted = scan(&text, prefix.len(), &COMMENTS_ON);
        let back = |s: &mut Span| *s = s.start - prefix.len()..s.end - prefix.len();
        for l in &mut shifted.links {
            back(&mut l.span);
            back(&mut l.target_span);
            if let Some(f) = &mut l.fragment_span {
                back(f);
            }
        }
        shifted.tags.iter_mut().for_each(|t| back(&mut t.span));
        shifted.headings.iter_mut().for_each(|h| back(&mut h.span));
        shifted.block_ids.iter_mut().for_each(|b| back(&mut b.span));
        shifted.directives.iter_mut().for_each(|d| back(&mut d.span));
        prop_assert_eq!(alone, shifted);
    }

    #[test]
    fn frontmatter_values_keep_spans_valid(value in markdownish(), base in 0usize..10) {
        let text = format!("{}{value}", " ".repeat(base));
        let links = wikilinks_in(&value, base);
        let s = BodyScan { links, ..BodyScan::default() };
        check_spans(&text, &s)?;
    }
}
