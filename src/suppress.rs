//! Inline suppressions: `<!-- notelint-disable/enable/disable-next-line CODE... -->` in the
//! body and `# notelint-disable-line CODE...` comments in the frontmatter.
//!
//! Each becomes a byte range with the codes (or groups) it silences; no code means all.
//! An `enable` with codes ends the ranges opened for exactly those codes; an `enable`
//! without codes ends every open range.
//!
//! Notes can hold any number of directives, so nothing here is quadratic: open ranges are
//! kept by code list, and the finished ranges are merged per selector into sorted,
//! disjoint lists that a finding is looked up in by binary search.

use std::collections::HashMap;
use std::ops::RangeInclusive;

use crate::diagnostic::{Diagnostic, Span};
use crate::note::Note;
use crate::note::body::DirectiveKind;

const DISABLE_LINE: &str = "notelint-disable-line";

/// Byte ranges, inclusive at both ends: a finding at the closing `enable` or at the end
/// of a disabled line is still suppressed.
type Ranges = Vec<RangeInclusive<usize>>;

/// The suppressed ranges of one note, each list sorted and disjoint.
#[derive(Debug, Default, Clone, serde::Serialize, serde::Deserialize)]
pub struct Suppressions {
    /// Ranges that silence every code.
    all: Ranges,
    /// Ranges that silence a code or group, by that selector as written.
    by_selector: HashMap<String, Ranges>,
}

impl Suppressions {
    pub fn of(note: &Note) -> Suppressions {
        let text = &note.text;
        let mut out = Suppressions::default();
        // Open `disable`s by their exact code list. Those with the same list all end at
        // the same `enable`, so their union is one range from the earliest start.
        let mut open: HashMap<&[String], usize> = HashMap::new();
        for directive in &note.body.directives {
            let codes = directive.codes.as_slice();
            match directive.kind {
                DirectiveKind::Disable => {
                    let start = open.entry(codes).or_insert(directive.span.end);
                    *start = (*start).min(directive.span.end);
                }
                DirectiveKind::Enable if codes.is_empty() => {
                    for (codes, start) in open.drain() {
                        out.add(start..=directive.span.start, codes);
                    }
                }
                DirectiveKind::Enable => {
                    if let Some(start) = open.remove(codes) {
                        out.add(start..=directive.span.start, codes);
                    }
                }
                DirectiveKind::DisableNextLine => {
                    let next = line_end(note, directive.span.end);
                    let next_start = (next + 1).min(text.len());
                    out.add(next_start..=line_end(note, next_start), codes);
                }
            }
        }
        for (codes, start) in open {
            out.add(start..=text.len(), codes);
        }
        if let Some(fm) = note.parsed() {
            for comment in &fm.document.comments {
                let body = comment.text.trim();
                if let Some(rest) = body.strip_prefix(DISABLE_LINE) {
                    let at = fm.span(&comment.span).start;
                    let codes: Vec<String> = rest
                        .split(|c: char| c.is_whitespace() || c == ',')
                        .filter(|c| !c.is_empty())
                        .map(str::to_owned)
                        .collect();
                    out.add(line_start(note, at)..=line_end(note, at), &codes);
                }
            }
        }
        merge(&mut out.all);
        out.by_selector.values_mut().for_each(merge);
        out
    }

    /// Files `range` under every selector in `codes` (or under all when there is none);
    /// unsorted until `merge`.
    fn add(&mut self, range: RangeInclusive<usize>, codes: &[String]) {
        if codes.is_empty() {
            self.all.push(range);
            return;
        }
        for code in codes {
            self.by_selector
                .entry(code.clone())
                .or_default()
                .push(range.clone());
        }
    }

    pub fn is_empty(&self) -> bool {
        self.all.is_empty() && self.by_selector.is_empty()
    }

    /// Whether `diagnostic` starts inside a range that silences its code.
    pub fn suppresses(&self, diagnostic: &Diagnostic) -> bool {
        let at = diagnostic.span.start;
        let rule = diagnostic.rule;
        // The selectors that `rules::selection::selector_matches` accepts for this rule.
        covers(&self.all, at)
            || [rule.code, rule.group()].iter().any(|selector| {
                self.by_selector
                    .get(*selector)
                    .is_some_and(|ranges| covers(ranges, at))
            })
    }
}

/// Every code or group the note's suppression comments name, with its span in the note's
/// text (for `suppression/unknown-code`), in source order.
pub fn named_codes(note: &Note) -> Vec<(Span, &str)> {
    let text = note.text.as_str();
    let mut out = Vec::new();
    for directive in &note.body.directives {
        // `<!-- notelint-disable CODE... -->`: the words after the directive's name.
        let inner = directive.span.start + "<!--".len()..directive.span.end - "-->".len();
        let words = words(text, inner).skip(1);
        // The scanner split the comment the same way; keep only what it read as codes.
        out.extend(
            words
                .zip(&directive.codes)
                .filter(|((_, w), c)| w == c)
                .map(|(w, _)| w),
        );
    }
    if let Some(fm) = note.parsed() {
        for comment in &fm.document.comments {
            let start = fm.span(&comment.span).start;
            let line = start..line_end(note, start);
            let Some(at) = text.get(line.clone()).and_then(|l| l.find(DISABLE_LINE)) else {
                continue;
            };
            if comment.text.trim().starts_with(DISABLE_LINE) {
                out.extend(words(text, line.start + at + DISABLE_LINE.len()..line.end));
            }
        }
    }
    out
}

/// The words of `text[range]` separated by whitespace or commas, with their spans.
fn words(text: &str, range: Span) -> impl Iterator<Item = (Span, &str)> {
    let slice = text.get(range.clone()).unwrap_or_default();
    slice
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|word| !word.is_empty())
        .map(move |word| {
            // `word` is a subslice of `slice`: its offset is the pointer difference.
            let start = range.start + (word.as_ptr() as usize - slice.as_ptr() as usize);
            (start..start + word.len(), word)
        })
}

/// Sorts `ranges` by start and joins the overlapping ones, so that `covers` can search
/// them; drops empty ones.
fn merge(ranges: &mut Ranges) {
    ranges.retain(|r| !r.is_empty());
    ranges.sort_unstable_by_key(|r| *r.start());
    let mut merged: Ranges = Vec::with_capacity(ranges.len());
    for range in ranges.drain(..) {
        match merged.last_mut() {
            Some(last) if range.start() <= last.end() => {
                *last = *last.start()..=*last.end().max(range.end());
            }
            _ => merged.push(range),
        }
    }
    *ranges = merged;
}

/// Whether the sorted, disjoint `ranges` hold `at`: only the last range starting at or
/// before it can.
fn covers(ranges: &[RangeInclusive<usize>], at: usize) -> bool {
    let after = ranges.partition_point(|r| *r.start() <= at);
    after > 0 && ranges[after - 1].contains(&at)
}

/// The start of the line holding `at`.
fn line_start(note: &Note, at: usize) -> usize {
    let lines = note.lines();
    lines.line_bounds(&note.text, lines.line_of(at)).0
}

/// The offset of the `\n` ending the line holding `at` (or the text's end): a suppressed
/// range covers its line to the newline inclusive.
fn line_end(note: &Note, at: usize) -> usize {
    let lines = note.lines();
    let (start, _, next) = lines.line_bounds(&note.text, lines.line_of(at));
    if next > start && note.text.as_bytes().get(next - 1) == Some(&b'\n') {
        next - 1
    } else {
        next
    }
}

#[cfg(test)]
mod tests {
    use std::ops::Range;
    use std::path::PathBuf;

    use proptest::prelude::*;

    use super::*;
    use crate::config::Config;
    use crate::lint::parse_options;
    use crate::rules;

    fn note(text: &str) -> Note {
        let config = Config::defaults(PathBuf::from("."));
        Note::parse("a.md".into(), text.to_owned(), &parse_options(&config))
    }

    fn finding(code: &str, at: usize) -> Diagnostic {
        Diagnostic::new(
            rules::by_code(code).expect("a rule code"),
            at..at + 1,
            "finding",
        )
    }

    /// Which of `codes` are suppressed where `needle` first occurs in `text`.
    fn suppressed_at<'a>(text: &str, needle: &str, codes: &[&'a str]) -> Vec<&'a str> {
        let suppressions = Suppressions::of(&note(text));
        let at = text.find(needle).expect("needle in text");
        codes
            .iter()
            .copied()
            .filter(|code| suppressions.suppresses(&finding(code, at)))
            .collect()
    }

    const CODES: [&str; 3] = ["links/broken", "links/broken-heading", "tags/invalid"];

    #[test]
    fn disable_and_enable_with_and_without_codes() {
        let text = "<!-- notelint-disable links/broken -->\none\n\
                    <!-- notelint-disable -->\ntwo\n\
                    <!-- notelint-enable -->\nthree\n\
                    <!-- notelint-disable links -->\nfour\n\
                    <!-- notelint-enable links/broken -->\nfive\n";
        assert_eq!(suppressed_at(text, "one", &CODES), ["links/broken"]);
        assert_eq!(suppressed_at(text, "two", &CODES), CODES);
        assert_eq!(suppressed_at(text, "three", &CODES), [] as [&str; 0]);
        // An `enable` ends only the ranges opened for exactly its codes.
        assert_eq!(
            suppressed_at(text, "five", &CODES),
            ["links/broken", "links/broken-heading"]
        );
    }

    #[test]
    fn disable_next_line_and_disable_line() {
        let text = "---\nowner: x # notelint-disable-line links/broken, tags\n\
                    other: y\n---\n\
                    <!-- notelint-disable-next-line links -->\nbelow\nlater\n";
        assert_eq!(
            suppressed_at(text, "owner", &CODES),
            ["links/broken", "tags/invalid"]
        );
        assert_eq!(suppressed_at(text, "other", &CODES), [] as [&str; 0]);
        assert_eq!(
            suppressed_at(text, "below", &CODES),
            ["links/broken", "links/broken-heading"]
        );
        assert_eq!(suppressed_at(text, "later", &CODES), [] as [&str; 0]);
    }

    /// The shapes that were quadratic: many `disable`s an `enable` does not close, and
    /// many `disable-next-line`s each over a finding.
    #[test]
    fn many_directives() {
        let disable = "<!-- notelint-disable links/broken -->\n";
        let mut text = format!(
            "{}{}middle\n",
            disable.repeat(50_000),
            "<!-- notelint-enable links -->\n".repeat(50_000)
        );
        text.push_str("<!-- notelint-enable links/broken -->\nafter\n");
        text.push_str(
            &"<!-- notelint-disable-next-line links/broken -->\n[[gone]]\n".repeat(50_000),
        );
        let suppressions = Suppressions::of(&note(&text));

        let at = |needle: &str| text.find(needle).expect("needle in text");
        assert!(!suppressions.suppresses(&finding("links/broken", 0)));
        assert!(suppressions.suppresses(&finding("links/broken", disable.len())));
        assert!(suppressions.suppresses(&finding("links/broken", at("middle"))));
        assert!(!suppressions.suppresses(&finding("links/broken-heading", at("middle"))));
        assert!(!suppressions.suppresses(&finding("links/broken", at("after"))));
        let lines = text.match_indices("[[gone]]").map(|(at, _)| at);
        let mut count = 0;
        for at in lines {
            assert!(suppressions.suppresses(&finding("links/broken", at)));
            // Inside the directive on the line before.
            assert!(!suppressions.suppresses(&finding("links/broken", at - 2)));
            count += 1;
        }
        assert_eq!(count, 50_000);
    }

    /// The ranges as they were first written, one per directive, each checked in turn.
    fn naive_ranges(note: &Note) -> Vec<(Range<usize>, Vec<String>)> {
        let text = &note.text;
        let mut ranges = Vec::new();
        let mut open: Vec<(usize, Vec<String>)> = Vec::new();
        for directive in &note.body.directives {
            match directive.kind {
                DirectiveKind::Disable => open.push((directive.span.end, directive.codes.clone())),
                DirectiveKind::Enable => {
                    let (closing, still_open): (Vec<_>, Vec<_>) =
                        open.into_iter().partition(|(_, codes)| {
                            directive.codes.is_empty() || *codes == directive.codes
                        });
                    open = still_open;
                    for (start, codes) in closing {
                        ranges.push((start..directive.span.start, codes));
                    }
                }
                DirectiveKind::DisableNextLine => {
                    let next_start = (line_end(note, directive.span.end) + 1).min(text.len());
                    let range = next_start..line_end(note, next_start);
                    ranges.push((range, directive.codes.clone()));
                }
            }
        }
        for (start, codes) in open {
            ranges.push((start..text.len(), codes));
        }
        if let Some(fm) = note.parsed() {
            for comment in &fm.document.comments {
                if let Some(rest) = comment.text.trim().strip_prefix(DISABLE_LINE) {
                    let at = fm.span(&comment.span).start;
                    let codes = rest
                        .split([' ', ','])
                        .filter(|c| !c.is_empty())
                        .map(str::to_owned)
                        .collect();
                    ranges.push((line_start(note, at)..line_end(note, at), codes));
                }
            }
        }
        ranges
    }

    fn naive_suppresses(ranges: &[(Range<usize>, Vec<String>)], d: &Diagnostic) -> bool {
        let at = d.span.start;
        ranges.iter().any(|(range, codes)| {
            range.start <= at
                && at <= range.end
                && (codes.is_empty()
                    || codes
                        .iter()
                        .any(|c| rules::selection::selector_matches(c, d.rule)))
        })
    }

    const LINES: &[&str] = &[
        "<!-- notelint-disable -->\n",
        "<!-- notelint-disable links -->\n",
        "<!-- notelint-disable links/broken -->\n",
        "<!-- notelint-disable links/broken, tags -->\n",
        "<!-- notelint-disable tags links/broken -->\n",
        "<!-- notelint-enable -->\n",
        "<!-- notelint-enable links -->\n",
        "<!-- notelint-enable links/broken -->\n",
        "<!-- notelint-enable links/broken tags -->\n",
        "<!-- notelint-disable-next-line -->\n",
        "<!-- notelint-disable-next-line links/broken-heading -->\n",
        "<!-- notelint-disable-next-line tags -->",
        "text <!-- notelint-disable links --> text <!-- notelint-enable links --> x\n",
        "[[link]]\n",
        "\n",
    ];

    const FRONTMATTER: &[&str] = &[
        "",
        "---\na: 1 # notelint-disable-line\n---\n",
        "---\na: 1 # notelint-disable-line links, tags/invalid\nb: 2\n---\n",
    ];

    proptest! {
        #[test]
        fn matches_one_range_per_directive(
            frontmatter in prop::sample::select(FRONTMATTER),
            lines in prop::collection::vec(prop::sample::select(LINES), 0..30),
        ) {
            let note = note(&format!("{frontmatter}{}", lines.concat()));
            let suppressions = Suppressions::of(&note);
            let naive = naive_ranges(&note);
            for at in 0..=note.text.len() {
                for code in CODES {
                    let d = finding(code, at);
                    prop_assert_eq!(
                        suppressions.suppresses(&d),
                        naive_suppresses(&naive, &d),
                        "{} at {}", code, at
                    );
                }
            }
        }
    }
}
