//! `junit`: JUnit XML for CI test-report views (GitLab, Jenkins, Azure Pipelines).
//!
//! One `testsuite` holds one failing `testcase` per finding and one passing `testcase` per
//! clean note, in path order. A finding's test case is named `CODE at LINE:COL`, with ` (2)`,
//! ` (3)`, ... for repeats in the same note: GitLab merges test cases that share a class
//! and a name, and many readers show only a test case's first failure. The class is the
//! note's vault-relative path, as in `json`, `sarif` and `gitlab`. The shape is that of the Jenkins/Surefire schema
//! (`junit-10.xsd`), which the other readers accept too.
//!
//! Written by hand: a few elements do not need an XML library, only careful escaping.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{self, Write};

use rustc_hash::FxHashMap;

use super::locate;
use crate::lint::{FileReport, Outcome};

pub fn write(outcome: &Outcome, out: &mut dyn Write) -> io::Result<()> {
    // Every note checked, and every file with findings (the config file can have some).
    let mut files: BTreeMap<&str, Option<&FileReport>> = outcome
        .checked
        .iter()
        .map(|path| (path.as_str(), None))
        .collect();
    for report in &outcome.reports {
        if !report.diagnostics.is_empty() {
            files.insert(&report.path, Some(report));
        }
    }

    let mut cases = String::new();
    let (mut tests, mut failures) = (0usize, 0usize);
    for (path, report) in files {
        let class = escape(path, true);
        let Some(report) = report else {
            tests += 1;
            let _ = writeln!(
                cases,
                "    <testcase classname=\"{class}\" name=\"no findings\"/>"
            );
            continue;
        };
        let mut names: FxHashMap<String, usize> = FxHashMap::default();
        for located in locate(report) {
            let d = located.diagnostic;
            let (line, column) = (located.start.line, located.start.column);
            let mut name = format!("{} at {line}:{column}", d.code());
            let repeats = names.entry(name.clone()).or_default();
            *repeats += 1;
            if *repeats > 1 {
                let _ = write!(name, " ({repeats})");
            }
            let mut details = format!("{}: {}", d.severity, d.message);
            if let Some(help) = &d.help {
                details.push_str("\nhelp: ");
                details.push_str(help);
            }
            let _ = write!(details, "\n{}:{line}:{column}", report.path);
            let _ = writeln!(
                cases,
                "    <testcase classname=\"{class}\" name=\"{}\">\n      \
                 <failure type=\"{}\" message=\"{}\">{}</failure>\n    </testcase>",
                escape(&name, true),
                escape(d.code(), true),
                escape(&d.message, true),
                escape(&details, false),
            );
            tests += 1;
            failures += 1;
        }
    }

    let counts = format!("tests=\"{tests}\" failures=\"{failures}\" errors=\"0\"");
    writeln!(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>")?;
    writeln!(out, "<testsuites name=\"notelint\" {counts}>")?;
    writeln!(
        out,
        "  <testsuite name=\"notelint\" {counts} skipped=\"0\">"
    )?;
    out.write_all(cases.as_bytes())?;
    writeln!(out, "  </testsuite>")?;
    writeln!(out, "</testsuites>")
}

/// `text` as XML character data, or as a double-quoted attribute value: markup characters
/// as entities; in attributes also tabs and line breaks, which a parser would otherwise
/// turn into spaces; in text a carriage return, which a parser would drop. Characters XML
/// 1.0 cannot hold at all, not even as references (most C0 controls, U+FFFE, U+FFFF), are
/// written as the messages quote them (`\u{1b}`).
fn escape(text: &str, attribute: bool) -> Cow<'_, str> {
    let needs = |c: char| {
        matches!(c, '&' | '<' | '>' | '"' | '\r') || !allowed(c) || (attribute && c == '\n')
    };
    if !text.contains(needs) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\r' => out.push_str("&#13;"),
            '\n' if attribute => out.push_str("&#10;"),
            '\t' if attribute => out.push_str("&#9;"),
            c if !allowed(c) => out.extend(c.escape_default()),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// XML 1.0's `Char` production (Rust's `char` already excludes surrogates).
fn allowed(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_breaks_and_what_xml_cannot_hold() {
        assert_eq!(escape("a<b>&\"c\"'", true), "a&lt;b&gt;&amp;&quot;c&quot;'");
        assert_eq!(
            escape("one\ntwo\tthree\r", true),
            "one&#10;two&#9;three&#13;"
        );
        assert_eq!(escape("one\ntwo\tthree\r", false), "one\ntwo\tthree&#13;");
        assert_eq!(
            escape("bell\u{7} esc\u{1b} nul\u{0} \u{fffe}", false),
            "bell\\u{7} esc\\u{1b} nul\\u{0} \\u{fffe}"
        );
        assert_eq!(escape("]]>", false), "]]&gt;");
        assert!(matches!(escape("Zoë — “Z” 🎉", true), Cow::Borrowed(_)));
    }

    #[test]
    fn escaped_text_parses_back_to_the_original() {
        let nasty = "a<b>&c \"q\" 'a' ]]> tab\tnl\ncr\r\n 🎉 \u{202e}";
        let xml = format!(
            "<r a=\"{}\">{}</r>",
            escape(nasty, true),
            escape(nasty, false)
        );
        let document = roxmltree::Document::parse(&xml).expect("well-formed");
        let root = document.root_element();
        assert_eq!(root.attribute("a"), Some(nasty));
        assert_eq!(root.text(), Some(nasty));
    }
}
