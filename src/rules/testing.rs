//! The one harness of the rules' unit tests (test builds only): it runs a rule's check on a
//! note's text and, for every finding, checks what every rule owes: spans inside the text
//! on char boundaries, a fix only from a rule that declares fixes (as `notelint rules`
//! says), edits inside the text, and the fix run through the real machinery
//! (`fix::verify`). [`fixed`] gives a note's text after a fix only when it passes the
//! fixer's value-level verification: it changed the frontmatter exactly as declared.

use std::path::PathBuf;

use super::Context;
use crate::config::Config;
use crate::diagnostic::{Diagnostic, Span};
use crate::lint::parse_options;
use crate::note::Note;

/// "Today" for rule tests that do not choose one.
pub const TODAY: jiff::civil::Date = jiff::civil::date(2026, 1, 1);

/// The embedded defaults, changed by `edit`.
pub fn config(edit: impl FnOnce(&mut Config)) -> Config {
    let mut config = Config::defaults(PathBuf::from("."));
    edit(&mut config);
    config
}

/// `text` parsed as the note `a.md` under `config`.
pub fn parse(config: &Config, text: &str) -> Note {
    Note::parse("a.md".into(), text.to_owned(), &parse_options(config))
}

/// Runs `check` on `text` on [`TODAY`] and checks every finding (see the module's doc).
pub fn run(
    config: &Config,
    text: &str,
    check: impl Fn(&Note, &Context<'_>) -> Vec<Diagnostic>,
) -> Vec<Diagnostic> {
    run_on(config, TODAY, text, check)
}

/// [`run`] on a given day.
pub fn run_on(
    config: &Config,
    today: jiff::civil::Date,
    text: &str,
    check: impl Fn(&Note, &Context<'_>) -> Vec<Diagnostic>,
) -> Vec<Diagnostic> {
    let note = parse(config, text);
    let cx = Context::new(config, today);
    let found = check(&note, &cx);
    for d in &found {
        assert_sound(config, &note, d);
    }
    found
}

/// What every finding owes, whichever rule made it.
pub fn assert_sound(config: &Config, note: &Note, d: &Diagnostic) {
    let text = note.text.as_str();
    let in_text = |span: &Span| {
        span.start <= span.end
            && span.end <= text.len()
            && text.is_char_boundary(span.start)
            && text.is_char_boundary(span.end)
    };
    assert!(
        in_text(&d.span),
        "{}: span {:?} in {text:?}",
        d.code(),
        d.span
    );
    for label in &d.labels {
        assert!(
            in_text(&label.span),
            "{}: label {:?} in {text:?}",
            d.code(),
            label.span
        );
    }
    assert!(!d.message.ends_with('.'), "{}: {}", d.code(), d.message);
    let Some(fix) = &d.fix else {
        return;
    };
    assert!(
        d.rule.fix.is_some(),
        "{} emits a fix but its declaration says it has none",
        d.code()
    );
    for edit in &fix.edits {
        assert!(
            in_text(&edit.span),
            "{}: edit {:?} in {text:?}",
            d.code(),
            edit.span
        );
    }
    // The real machinery runs on every fix; one that does not verify (an edit that cannot
    // keep odd YAML loading) is refused by the checker with the reason in its help.
    let _ = crate::fix::verify::apply_verified(note, &[fix], &parse_options(config));
}

/// `text` after `d`'s fix, applied as `notelint fix` applies it: the edits, then the
/// check that the frontmatter changed exactly as the fix declares.
pub fn fixed(text: &str, d: &Diagnostic) -> String {
    let Some(fix) = &d.fix else {
        panic!("no fix on {}: {}", d.code(), d.message);
    };
    let config = config(|_| {});
    let note = parse(&config, text);
    match crate::fix::verify::apply_verified(&note, &[fix], &parse_options(&config)) {
        Ok(after) => after,
        Err(why) => panic!("{}: the fix does not verify ({why}) in {text:?}", d.code()),
    }
}

/// Pieces of frontmatter that reach every fix of every rule: the review tag and its
/// variants, deprecated keys, tags in every shape, dates, and YAML that breaks.
const FRAGMENTS: &[&str] = &[
    "tags: ",
    "tag: ",
    "alias: ",
    "aliases: ",
    "cssclass: ",
    "status: draft\n",
    "type: people\n",
    "created: 2025-02-30\n",
    "\n",
    "\n  - ",
    "[",
    "]",
    ", ",
    "'",
    "#",
    " #",
    "needs-review",
    "Needs_Review",
    "type/x",
    "A",
    "a",
    "~",
    "|",
    "*a",
];

/// A rule group's check, as the harness runs it.
type Check = dyn Fn(&Note, &Context<'_>) -> Vec<Diagnostic>;

/// Configurations that turn on every rule that fixes.
fn fixing_configs() -> Vec<Config> {
    vec![
        config(|_| {}),
        config(|config| {
            let settings = &mut config.settings;
            settings.tags.case = crate::config::TagCase::Lower;
            settings.tags.type_prefix = Some("type/".into());
            settings.tags.fields = vec!["tags".into(), "aliases".into()];
            let draft = toml::Table::from_iter([("status".to_owned(), "draft".into())]);
            settings.review.require_when = vec![draft];
            settings.review.on_errors = true;
        }),
    ]
}

proptest::proptest! {
    /// Every per-note rule, on any frontmatter: sound findings, and a fix only from a
    /// rule that declares fixes (what lets the fixer and `fixable` trust the findings).
    #[test]
    fn every_rule_keeps_its_declaration(
        parts in proptest::collection::vec(proptest::sample::select(FRAGMENTS), 0..30),
        body in proptest::sample::select(&["", "#Tag #needs-review\n", "<!-- notelint-disable tags -->\n"][..]),
    ) {
        let text = format!("---\n{}\n---\n{body}", parts.concat());
        for config in fixing_configs() {
            let checks: [&Check; 7] = [
                &|note, cx| super::frontmatter::check(note, cx.config),
                &super::deprecated::check,
                &super::tags::check,
                &super::dates::check,
                &|note, _| super::suppression::check(note),
                &|note, cx| super::review::check(note, cx, false),
                &|note, cx| super::review::check(note, cx, true),
            ];
            for check in checks {
                run(&config, &text, check);
            }
        }
    }
}
