use jiff::civil::date;
use proptest::prelude::*;

use super::*;
use crate::config::Config;
use crate::rules::testing;

const TODAY: jiff::civil::Date = date(2025, 11, 24);

fn config(edit: impl FnOnce(&mut DatesConfig)) -> Config {
    testing::config(|config| edit(&mut config.settings.dates))
}

fn with_format(format: &str) -> Config {
    config(|dates| dates.format = Format::new(format))
}

fn run(config: &Config, text: &str) -> Vec<Diagnostic> {
    let note = testing::parse(config, text);
    assert!(note.parsed().is_some(), "frontmatter must parse: {text:?}");
    testing::run_on(config, TODAY, text, check)
}

/// The (code, message, spanned text) of each finding.
fn findings(config: &Config, text: &str) -> Vec<(&'static str, String, String)> {
    run(config, text)
        .into_iter()
        .map(|d| (d.code(), d.message, text[d.span].to_owned()))
        .collect()
}

/// The messages for one `created` value under a format.
fn created(format: &str, value: &str) -> Vec<String> {
    let text = format!("---\ncreated: {value}\n---\n");
    findings(&with_format(format), &text)
        .into_iter()
        .map(|(_, message, _)| message)
        .collect()
}

fn valid(format: &str, value: &str) -> bool {
    created(format, value).is_empty()
}

#[test]
fn rules_are_declared_in_spec_order() {
    let codes: Vec<&str> = RULES.iter().map(|r| r.code).collect();
    assert_eq!(codes, ["dates/invalid", "dates/future", "dates/order"]);
}

#[test]
fn dates_quoted_and_unquoted() {
    for value in ["2025-11-06", "'2025-11-06'", "\"2025-11-06\"", "2000-02-29"] {
        for format in ["date", "date-or-datetime"] {
            assert!(valid(format, value), "{format} {value}");
        }
    }
}

#[test]
fn datetimes_with_and_without_seconds_and_offsets() {
    for value in [
        "2025-11-06T14:30",
        "2025-11-06T14:30:59",
        "2025-11-06T14:30:59.123",
        "2025-11-06T14:30:59,5Z",
        "2025-11-06 14:30",
        "2025-11-06t14:30z",
        "'2025-11-06T14:30:00+02:00'",
        "2025-11-06T14:30-0530",
        "2025-11-06T14:30+01",
        "2016-12-31T23:59:60Z",
    ] {
        for format in ["datetime", "date-or-datetime"] {
            assert!(valid(format, value), "{format} {value}");
        }
    }
}

#[test]
fn shapes_that_are_not_dates() {
    for value in [
        "2025-1-6",
        "25-11-06",
        "2025/11/06",
        "2025-11-06T",
        "2025-11-06T14",
        "2025-11-06T14:30.5",
        "2025-11-06T14:30:00.",
        "2025-11-06T14:30+1",
        "'2025-11-06 '",
        "'١٢٣٤-11-06'",
    ] {
        assert!(!valid("date-or-datetime", value), "{value}");
    }
    assert!(!valid("date", "2025-11-06T14:30"));
    assert!(!valid("datetime", "2025-11-06"));
}

#[test]
fn leap_years() {
    assert!(valid("date", "2024-02-29"));
    assert!(valid("date", "2000-02-29"));
    assert_eq!(
        created("date", "2025-02-29"),
        ["`created` is not a real date: February 2025 has 28 days"]
    );
    assert_eq!(
        created("date", "1900-02-29"),
        ["`created` is not a real date: February 1900 has 28 days"]
    );
    assert_eq!(
        created("date", "2024-02-30"),
        ["`created` is not a real date: February 2024 has 29 days"]
    );
}

#[test]
fn range_messages_name_the_part() {
    let cases = [
        (
            "2025-13-01",
            "`created` is not a real date: month 13 does not exist",
        ),
        (
            "2025-00-10",
            "`created` is not a real date: month 0 does not exist",
        ),
        (
            "2025-04-31",
            "`created` is not a real date: April 2025 has 30 days",
        ),
        (
            "2025-01-32",
            "`created` is not a real date: day 32 does not exist",
        ),
        (
            "2025-01-00",
            "`created` is not a real date: day 0 does not exist",
        ),
        (
            "2025-01-01T25:00",
            "`created` is not a real date-time: hour 25 does not exist",
        ),
        (
            "2025-01-01T10:60",
            "`created` is not a real date-time: minute 60 does not exist",
        ),
        (
            "2025-01-01T10:00:61",
            "`created` is not a real date-time: second 61 does not exist",
        ),
        (
            "2025-01-01T10:00+24:00",
            "`created` is not a real date-time: offset +24:00 does not exist",
        ),
    ];
    for (value, message) in cases {
        assert_eq!(created("date-or-datetime", value), [message], "{value}");
    }
}

#[test]
fn shape_messages_show_the_expected_form_and_help() {
    let config = with_format("date");
    let text = "---\ncreated: 2025-1-6\ndue: soon\n---\n";
    let found = run(&config, text);
    assert_eq!(found.len(), 1, "`due` is not a date field by default");
    assert_eq!(
        found[0].message,
        "`created` must be a date like 2025-11-06, found `2025-1-6`"
    );
    assert_eq!(found[0].help.as_deref(), Some("write it as `2025-01-06`"));
    assert_eq!(&text[found[0].span.clone()], "2025-1-6");

    let config = config_with_fields(&["due"]);
    assert_eq!(
        findings(&config, "---\ndue: soon\n---\n"),
        [(
            "dates/invalid",
            "`due` must be a date like 2025-11-06 or 2025-11-06T14:30, found `soon`".to_owned(),
            "soon".to_owned()
        )]
    );

    let found = run(
        &with_format("date"),
        "---\ncreated: 2025-11-06T10:00\n---\n",
    );
    assert!(
        found[0]
            .help
            .as_deref()
            .unwrap_or_default()
            .contains("drop the time")
    );
    let found = run(&with_format("datetime"), "---\ncreated: 2025-11-06\n---\n");
    assert_eq!(
        found[0].message,
        "`created` must be a date and time like 2025-11-06T14:30, found `2025-11-06`"
    );
    assert!(
        found[0]
            .help
            .as_deref()
            .unwrap_or_default()
            .contains("2025-11-06T00:00")
    );
}

fn config_with_fields(fields: &[&str]) -> Config {
    config(|dates| dates.fields = fields.iter().map(|f| (*f).to_owned()).collect())
}

#[test]
fn numbers_lists_and_booleans_are_invalid() {
    let text = "---\ncreated: 1608589567458\n---\n";
    let found = run(&with_format("date-or-datetime"), text);
    assert_eq!(
        found[0].message,
        "`created` must be a date like 2025-11-06 or 2025-11-06T14:30, found the number 1608589567458"
    );
    assert_eq!(
        found[0].help.as_deref(),
        Some("if this is a Unix time in milliseconds, write it as `2020-12-21` (UTC)")
    );
    assert_eq!(&text[found[0].span.clone()], "1608589567458");

    assert_eq!(
        created("date", "2025"),
        ["`created` must be a date like 2025-11-06, found the number 2025"]
    );
    assert_eq!(
        created("date", "true"),
        ["`created` must be a date like 2025-11-06, found the boolean `true`"]
    );
    assert_eq!(
        created("date", "[2025-11-06]"),
        ["`created` must be a date like 2025-11-06, found a list"]
    );
    assert_eq!(
        created("date", "{a: 1}"),
        ["`created` must be a date like 2025-11-06, found a mapping"]
    );
}

#[test]
fn null_and_empty_values_are_not_reported() {
    for value in ["", "~", "null", "''", "'  '"] {
        assert!(valid("date", value), "{value:?}");
    }
    assert!(run(&with_format("date"), "---\ntitle: x\n---\n").is_empty());
}

#[test]
fn strftime_patterns() {
    let format = "%m/%d/%Y";
    assert!(valid(format, "11/06/2025"));
    assert!(valid(format, "'02/29/2024'"));
    assert_eq!(
        created(format, "02/29/2025"),
        ["`created` is not a real date: February 2025 has 28 days"]
    );
    assert_eq!(
        created(format, "13/01/2025"),
        ["`created` is not a real date: month 13 does not exist"]
    );
    assert_eq!(
        created(format, "2025-11-06"),
        ["`created` must be a date like 11/06/2025 (`%m/%d/%Y`), found `2025-11-06`"]
    );
    assert_eq!(
        created(format, "11/06/2025x").len(),
        1,
        "the whole value must match"
    );
    assert_eq!(
        created("%Y-%m-%d %H:%M", "'2025-01-01 25:00'"),
        ["`created` is not a real date-time: hour 25 does not exist"]
    );
    assert!(valid("%d %B %Y", "06 November 2025"));
    assert_eq!(
        created("%A %F", "'Monday 2025-11-06'"),
        ["`created` is not a real date: 2025-11-06 is a Thursday, not a Monday"]
    );
    // YAML reads these as numbers; the pattern still applies to their text.
    assert!(valid("%Y%m%d", "20251106"));
    assert_eq!(
        created("%Y%m%d", "20251306"),
        ["`created` is not a real date: month 13 does not exist"]
    );
    assert_eq!(
        created("%Y%m%d", "123"),
        ["`created` must be a date like 20251106 (`%Y%m%d`), found the number 123"]
    );
}

#[test]
fn future_dates() {
    let config = config(|dates| dates.not_after_today = vec!["created".into()]);
    let text = "---\ncreated: 2026-03-01\n---\n";
    assert_eq!(
        findings(&config, text),
        [(
            "dates/future",
            "`created` is in the future (2026-03-01 is after today, 2025-11-24)".to_owned(),
            "2026-03-01".to_owned()
        )]
    );
    assert!(run(&config, "---\ncreated: 2025-11-24T23:59\n---\n").is_empty());
    assert!(run(&config, "---\ncreated: 2025-11-24\n---\n").is_empty());
    let found = findings(&config, "---\ncreated: 2025-11-25T00:00+14:00\n---\n");
    assert_eq!(found.len(), 1, "a datetime counts by its date as written");
    // Not a `fields` entry: compared when it reads as a date, never reported as invalid.
    let config = crate::rules::dates::tests::config(|dates| {
        dates.not_after_today = vec!["last_contact".into()]
    });
    assert_eq!(
        findings(&config, "---\nlast_contact: 2030-01-01\n---\n")[0].0,
        "dates/future"
    );
    assert!(run(&config, "---\nlast_contact: someday\n---\n").is_empty());
}

#[test]
fn order_start_of_day() {
    let config = with_format("date-or-datetime");
    for (created, updated) in [
        ("2025-01-01", "2025-01-01T10:00"),
        ("2025-01-01", "2025-01-01"),
        ("2025-01-01T10:00", "2025-01-01T10:00"),
        ("2025-01-01", "2025-01-02"),
        // Both with offsets: instants. 10:00+02:00 is 08:00Z, before 09:00Z.
        ("2025-01-01T10:00+02:00", "2025-01-01T09:00Z"),
    ] {
        let text = format!("---\ncreated: {created}\nupdated: {updated}\n---\n");
        assert!(run(&config, &text).is_empty(), "{created} {updated}");
    }
    for (created, updated) in [
        ("2025-01-01T10:00", "2025-01-01"),
        ("2025-01-01T10:00Z", "2025-01-01T09:00+00:30"),
        // Only one offset: civil date-times.
        ("2025-01-01T10:00", "2025-01-01T09:00-05:00"),
    ] {
        let text = format!("---\ncreated: {created}\nupdated: {updated}\n---\n");
        assert_eq!(run(&config, &text).len(), 1, "{created} {updated}");
    }
}

#[test]
fn reversed_order_spans_both_values() {
    let config = with_format("date");
    let text = "---\ncreated: 2025-02-01\nupdated: '2025-01-01'\n---\n";
    let found = run(&config, text);
    assert_eq!(found.len(), 1);
    let d = &found[0];
    assert_eq!(d.code(), "dates/order");
    assert_eq!(
        d.message,
        "`updated` (2025-01-01) is before `created` (2025-02-01)"
    );
    assert_eq!(&text[d.span.clone()], "'2025-01-01'");
    assert_eq!(d.labels.len(), 1);
    assert_eq!(&text[d.labels[0].span.clone()], "2025-02-01");
    assert!(
        d.help
            .as_deref()
            .unwrap_or_default()
            .contains("swap the two dates")
    );
}

#[test]
fn invalid_values_are_not_compared() {
    let config = config(|dates| dates.not_after_today = vec!["created".into()]);
    let text = "---\ncreated: 2030-02-30\nupdated: 2025-01-01\n---\n";
    let codes: Vec<&str> = run(&config, text).iter().map(Diagnostic::code).collect();
    assert_eq!(codes, ["dates/invalid"]);
}

#[test]
fn duplicate_config_entries_report_once() {
    let config = config(|dates| {
        dates.fields = vec!["created".into(), "created".into()];
        dates.not_after_today = vec!["created".into(), "created".into()];
    });
    assert_eq!(run(&config, "---\ncreated: 2030-01-01\n---\n").len(), 1);
    assert_eq!(run(&config, "---\ncreated: 2030-13-01\n---\n").len(), 1);
}

#[test]
fn control_characters_are_escaped_in_messages() {
    let messages = created("date", "\"20\\t25\"");
    assert_eq!(
        messages,
        ["`created` must be a date like 2025-11-06, found `20\\t25`"]
    );
}

fn single_quoted(value: &str) -> String {
    format!("'{}'", value.replace('\'', "''"))
}

fn check_any(format: &str, value: &str) {
    let config = config(|dates| {
        dates.format = Format::new(format);
        dates.not_after_today = vec!["created".into()];
    });
    let text = format!(
        "---\ncreated: {}\nupdated: 2025-01-01T10:00\n---\n",
        single_quoted(value)
    );
    testing::run_on(&config, TODAY, &text, check);
}

const FORMATS: [&str; 6] = [
    "date",
    "datetime",
    "date-or-datetime",
    "%m/%d/%Y",
    "%F %T%:z",
    "%A %e %B %y %I:%M %p",
];

proptest! {
    #[test]
    fn never_panics_on_arbitrary_values(value in any::<String>()) {
        for format in FORMATS {
            check_any(format, &value);
        }
    }

    #[test]
    fn never_panics_on_date_like_values(value in "[0-9]{0,5}([-/:. TZ+,]{0,2}[0-9]{0,4}){0,6}[a-zA-Z]{0,3}") {
        for format in FORMATS {
            check_any(format, &value);
        }
    }

    #[test]
    fn never_panics_on_arbitrary_patterns(format in "(%[-_0^#]?[a-zA-Z%:.0-9]|[-/ :T]){0,8}", value in "[0-9]{0,4}[-/ :T]?[0-9]{0,2}[-/ :T]?[0-9]{0,4}") {
        check_any(&format, &value);
    }
}
