//! The fixer (`fix::fix_text` driven by `lint::Checker`) on arbitrary note text, with a
//! review `require_when`/`forbid_when` config so the review tag is added and removed:
//! never panics; a note whose frontmatter does not load is left alone; otherwise the
//! result still loads, a second fix changes nothing, and the body is byte-for-byte the
//! same when the frontmatter parsed before, and (safe fixes only) the fixer's oracle
//! (`notelint::fix::oracle`) judges the result by value: no key the fixes have no
//! business with changes, and the tags are the same set plus or minus the review tag.
//!
//! Input: one byte of knobs (unsafe fixes, `on_errors`), then the note's bytes.

#![no_main]
// `fuzz_target!` writes crash files itself; the crate's one-writer rule is not for it.
#![allow(clippy::disallowed_methods)]

use std::path::{Path, PathBuf};

use libfuzzer_sys::fuzz_target;
use notelint::config::Config;
use notelint::fix::oracle::{Knowledge, judge};
use notelint::fix::{Stop, fix_text};
use notelint::lint::{Checker, parse_options};
use notelint::note::{FrontmatterState, Note};
use notelint::schema::Schemas;

fn config(on_errors: bool) -> Config {
    let mut config = Config::defaults(PathBuf::from("/nonexistent-fuzz-vault"));
    let review = &mut config.settings.review;
    let mut when = toml::Table::new();
    when.insert("auto_created".into(), toml::Value::Boolean(true));
    review.require_when = vec![when];
    let mut status = toml::Table::new();
    status.insert("status".into(), toml::Value::String("draft".into()));
    review.require_when.push(status);
    let mut forbid = toml::Table::new();
    forbid.insert("reviewed".into(), toml::Value::Boolean(true));
    review.forbid_when = vec![forbid];
    review.on_errors = on_errors;
    config.settings.frontmatter.max_bytes = 64 * 1024;
    config
}

struct Setup {
    config: &'static Config,
    schemas: &'static Schemas,
}

fn setup(on_errors: bool) -> Setup {
    let config: &'static Config = Box::leak(Box::new(config(on_errors)));
    let schemas: &'static Schemas = Box::leak(Box::new(
        Schemas::new(config).expect("no schemas configured"),
    ));
    Setup { config, schemas }
}

thread_local! {
    static SETUPS: [Setup; 2] = [setup(false), setup(true)];
}

fuzz_target!(|data: &[u8]| {
    let Some((&knobs, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        // Notes that are not UTF-8 are reported unreadable and never reach the fixer.
        return;
    };
    // A `$schema` key makes the checker read a schema file; not what this target is about.
    if text.contains("$schema") {
        return;
    }
    let unsafe_fixes = knobs & 1 != 0;
    SETUPS.with(|setups| {
        let setup = &setups[usize::from(knobs >> 1 & 1)];
        run(setup, text, unsafe_fixes);
    });
});

fn run(setup: &Setup, text: &str, unsafe_fixes: bool) {
    let config = setup.config;
    let checker = Checker::new(config, setup.schemas, jiff::civil::date(2026, 1, 1));
    let options = parse_options(config);
    // `Err` is a note whose `$schema` cannot be used (an escaped `$schema` key gets past the
    // filter above): a handled error, not a finding.
    let fix = |text: &str| {
        fix_text(
            &checker,
            &options,
            "n.md",
            Path::new("/nonexistent-fuzz-vault/n.md"),
            text.to_owned(),
            unsafe_fixes,
        )
        .ok()
    };
    let before = Note::parse("n.md".into(), text.to_owned(), &options);
    let Some(once) = fix(text) else {
        return;
    };
    let loads_before = matches!(
        before.frontmatter,
        FrontmatterState::Parsed(_) | FrontmatterState::Absent
    );
    if !loads_before {
        assert_eq!(once.stop, Stop::Unparsable);
        assert_eq!(
            once.text, text,
            "a note whose frontmatter does not load is left alone"
        );
        assert_eq!(once.applied, 0);
        return;
    }
    if once.text == text {
        assert_eq!(once.applied, 0);
        return;
    }
    let after = Note::parse("n.md".into(), once.text.clone(), &options);
    assert!(
        matches!(after.frontmatter, FrontmatterState::Parsed(_)),
        "the fixed note's frontmatter loads: {:?}\n--- before\n{text}\n--- after\n{}",
        after.frontmatter,
        once.text
    );
    if before.parsed().is_some() {
        assert_eq!(
            &text[before.body_start..],
            &once.text[after.body_start..],
            "body unchanged"
        );
    } else {
        // A frontmatter was added in front of the note: the old text follows it unchanged.
        assert!(
            once.text.ends_with(&text[before.body_start..]),
            "body unchanged"
        );
    }
    if !unsafe_fixes {
        let knowledge = Knowledge {
            review_known: !config.settings.review.on_errors,
            tags_editable: false,
        };
        if let Err(why) = judge(text, &once.text, config, knowledge) {
            panic!("{why}\n--- before\n{text}\n--- after\n{}", once.text);
        }
    }
    if once.stop == Stop::Stable {
        let twice = fix(&once.text).expect("the fixed text has the same `$schema`");
        assert_eq!(twice.text, once.text, "a second fix changes nothing");
        assert_eq!(twice.applied, 0);
    }
}
