//! `sarif`: one SARIF 2.1.0 log with one run, for code-scanning UIs (GitHub code scanning,
//! SARIF viewers). Only the rules that have results are described, in registry order, so
//! the upload stays small and `ruleIndex` is stable for a given set of findings.

use std::fmt::Write as _;
use std::io::{self, Write};

use serde::Serialize;

use crate::diagnostic::{Severity, Span};
use crate::lint::report::Outcome;
use crate::note::source::LineIndex;
use crate::rules::{self, Rule};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool<'a>,
    /// Our columns count Unicode scalar values, not UTF-16 code units (the SARIF default).
    column_kind: &'static str,
    results: Vec<SarifResult>,
}

#[derive(Serialize)]
struct Tool<'a> {
    driver: Driver<'a>,
}

#[derive(Serialize)]
struct Driver<'a> {
    name: &'static str,
    version: &'static str,
    rules: Vec<Descriptor<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Descriptor<'a> {
    id: &'a str,
    short_description: Text<'a>,
    full_description: Text<'a>,
    help: Help<'a>,
    default_configuration: Configuration,
}

#[derive(Serialize)]
struct Text<'a> {
    text: &'a str,
}

#[derive(Serialize)]
struct Help<'a> {
    text: &'a str,
    markdown: &'a str,
}

#[derive(Serialize)]
struct Configuration {
    #[serde(skip_serializing_if = "Option::is_none")]
    enabled: Option<bool>,
    level: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: &'static str,
    rule_index: usize,
    level: &'static str,
    message: Message,
    locations: [Location; 1],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<Location>,
}

#[derive(Serialize)]
struct Message {
    text: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Message>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    /// Relative URIs resolve against the checkout; GitHub maps `%SRCROOT%` to it.
    uri_base_id: &'static str,
}

/// 1-based lines and columns; `endColumn` is exclusive, as in SARIF.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
}

pub fn write(outcome: &Outcome, out: &mut dyn Write) -> io::Result<()> {
    let used = used_rules(outcome);
    let mut results = Vec::new();
    for report in &outcome.reports {
        let index = LineIndex::new(&report.source);
        let uri = uri_reference(&report.path);
        let location = |span: &Span, id: Option<usize>, message: Option<&str>| Location {
            id,
            physical_location: PhysicalLocation {
                artifact_location: ArtifactLocation {
                    uri: uri.clone(),
                    uri_base_id: "%SRCROOT%",
                },
                region: region(&index, &report.source, span),
            },
            message: message.map(|text| Message {
                text: text.to_owned(),
            }),
        };
        for d in &report.diagnostics {
            let mut text = d.message.clone();
            if let Some(help) = &d.help {
                text.push_str("\nhelp: ");
                text.push_str(help);
            }
            results.push(SarifResult {
                rule_id: d.code(),
                rule_index: used
                    .iter()
                    .position(|rule| rule.code == d.code())
                    .unwrap_or_default(),
                level: level(d.severity),
                message: Message { text },
                locations: [location(&d.span, None, None)],
                related_locations: d
                    .labels
                    .iter()
                    .enumerate()
                    .map(|(i, label)| location(&label.span, Some(i + 1), Some(&label.message)))
                    .collect(),
            });
        }
    }
    let log = Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: [Run {
            tool: Tool {
                driver: Driver {
                    name: "notelint",
                    version: env!("CARGO_PKG_VERSION"),
                    rules: used.iter().copied().map(descriptor).collect(),
                },
            },
            column_kind: "unicodeCodePoints",
            results,
        }],
    };
    serde_json::to_writer_pretty(&mut *out, &log)?;
    writeln!(out)
}

/// The rules with at least one result: registry order, then any rule the registry lacks.
fn used_rules(outcome: &Outcome) -> Vec<&'static Rule> {
    let mut found: Vec<&'static Rule> = Vec::new();
    for d in outcome.reports.iter().flat_map(|r| &r.diagnostics) {
        if !found.iter().any(|rule| rule.code == d.code()) {
            found.push(d.rule);
        }
    }
    let mut used: Vec<&'static Rule> = rules::all()
        .filter(|rule| found.iter().any(|f| f.code == rule.code))
        .collect();
    for rule in found {
        if !used.iter().any(|u| u.code == rule.code) {
            used.push(rule);
        }
    }
    used
}

fn descriptor(rule: &'static Rule) -> Descriptor<'static> {
    Descriptor {
        id: rule.code,
        short_description: Text { text: rule.summary },
        full_description: Text {
            text: what_it_finds(rule),
        },
        help: Help {
            text: rule.explanation,
            markdown: rule.explanation,
        },
        default_configuration: Configuration {
            enabled: rule.default_severity.is_none().then_some(false),
            level: level(rule.default_severity.unwrap_or(Severity::Warning)),
        },
    }
}

/// The body of the explanation's "What it finds" section, else the summary.
fn what_it_finds(rule: &'static Rule) -> &'static str {
    rule.explanation
        .split_once("## What it finds\n")
        .map(|(_, rest)| rest.split("\n\n## ").next().unwrap_or(rest).trim())
        .filter(|text| !text.is_empty())
        .unwrap_or(rule.summary)
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn region(index: &LineIndex, source: &str, span: &Span) -> Region {
    let start = index.position(source, span.start);
    let end = index.position(source, span.end);
    Region {
        start_line: start.line,
        start_column: start.column,
        end_line: end.line,
        end_column: end.column,
    }
}

/// A vault-relative `/`-separated path as a relative URI reference: every byte outside
/// RFC 3986's unreserved and path characters is percent-encoded, and so is `:`, which
/// would make a first segment read as a scheme.
fn uri_reference(path: &str) -> String {
    let mut uri = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"/-._~!$&'()*+,;=@".contains(&byte) {
            uri.push(char::from(byte));
        } else {
            let _ = write!(uri, "%{byte:02X}");
        }
    }
    uri
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uri_reference_encodes_what_a_uri_cannot_hold() {
        assert_eq!(uri_reference("People/Dana.md"), "People/Dana.md");
        assert_eq!(
            uri_reference("People/Zoë Brandt.md"),
            "People/Zo%C3%AB%20Brandt.md"
        );
        assert_eq!(uri_reference("a,b:c%#?.md"), "a,b%3Ac%25%23%3F.md");
    }

    #[test]
    fn every_rule_has_a_full_description() {
        for rule in rules::all() {
            let text = what_it_finds(rule);
            assert!(!text.is_empty() && !text.contains("\n## "), "{}", rule.code);
        }
    }
}
