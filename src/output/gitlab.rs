//! `gitlab`: GitLab's Code Quality report (a JSON array of issues), for the merge-request
//! widget.
//!
//! GitLab compares the report of a merge request with its target branch's by `fingerprint`
//! to tell new findings from old ones, so a fingerprint must not move when the note is
//! edited elsewhere: it hashes the note's vault-relative path, the code and the text the
//! finding points at (as baselines key findings), plus the finding's rank among those that
//! share all three — never its line.
//!
//! Severities: GitLab ranks `info` < `minor` < `major` < `critical` < `blocker`. A finding
//! is a problem in a note, not a crash or a security hole, so errors are `major`, warnings
//! `minor` and infos `info`; `critical` and `blocker` are left to tools whose findings
//! can break a build or leak data.

use std::io::{self, Write};

use rustc_hash::FxHashMap;
use serde::Serialize;

use super::locate;
use crate::diagnostic::Severity;
use crate::lint::Outcome;

#[derive(Serialize)]
struct Issue {
    description: String,
    check_name: &'static str,
    fingerprint: String,
    severity: &'static str,
    location: Location,
}

#[derive(Serialize)]
struct Location {
    path: String,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: usize,
    end: usize,
}

pub fn write(outcome: &Outcome, out: &mut dyn Write) -> io::Result<()> {
    let mut issues = Vec::new();
    for report in &outcome.reports {
        // Vault-relative, as in `json` and `sarif` (SPEC 1), so the report reads the same
        // wherever notelint ran from.
        let path = &report.path;
        // How many findings with the same code and text came before, in this note.
        let mut seen: FxHashMap<(&str, &str), u64> = FxHashMap::default();
        for located in locate(report) {
            let d = located.diagnostic;
            let text = report.source.get(d.span.clone()).unwrap_or_default();
            let rank = seen.entry((d.code(), text)).or_default();
            let fingerprint = fingerprint(&report.path, d.code(), text, *rank);
            *rank += 1;
            let mut description = d.message.clone();
            if let Some(help) = &d.help {
                description.push_str(" (help: ");
                description.push_str(help);
                description.push(')');
            }
            issues.push(Issue {
                description,
                check_name: d.code(),
                fingerprint,
                severity: severity(d.severity),
                location: Location {
                    path: path.clone(),
                    lines: Lines {
                        begin: located.start.line,
                        end: located.end.line,
                    },
                },
            });
        }
    }
    serde_json::to_writer_pretty(&mut *out, &issues)?;
    writeln!(out)
}

fn severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "major",
        Severity::Warning => "minor",
        Severity::Info => "info",
    }
}

/// 32 hex digits: FNV-1a (64-bit) of the fields, each followed by a 0 byte so that no two
/// field lists give the same bytes, run twice from different offsets. A fixed algorithm
/// written out here, so the value is the same on every platform and in every release
/// (std's and rustc-hash's hashers promise neither).
fn fingerprint(path: &str, code: &str, text: &str, rank: u64) -> String {
    let rank = rank.to_string();
    let fields = [path, code, text, &rank];
    let first = fnv1a(FNV_OFFSET, &fields);
    // A second hash seeded from the first halves the chance of a collision again; GitLab
    // shows colliding findings as one.
    let second = fnv1a(first ^ FNV_OFFSET.rotate_left(32), &fields);
    format!("{first:016x}{second:016x}")
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

fn fnv1a(seed: u64, fields: &[&str]) -> u64 {
    let mut hash = seed;
    for field in fields {
        for &byte in field.as_bytes().iter().chain(&[0]) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(FNV_PRIME);
        }
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a_matches_the_reference_values() {
        // The published FNV-1a 64 test vectors ("" and "a"), less our field separator.
        let bare = |text: &str| {
            text.bytes().fold(FNV_OFFSET, |hash, byte| {
                (hash ^ u64::from(byte)).wrapping_mul(FNV_PRIME)
            })
        };
        assert_eq!(bare(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(bare("a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(bare("foobar"), 0x8594_4171_f739_67e8);
        // With the separator, each field is hashed as if followed by a 0 byte.
        assert_eq!(fnv1a(FNV_OFFSET, &["a"]), bare("a\0"));
        assert_eq!(fnv1a(FNV_OFFSET, &["a", "b"]), bare("a\0b\0"));
    }

    #[test]
    fn fingerprints_are_fixed_values() {
        // Pinned (and computed independently): a change here changes every fingerprint
        // that users' merge requests compare.
        assert_eq!(
            fingerprint("a.md", "schema/enum", "actve", 0),
            "08062b9c9e984fe1bdd0c72914b9de41"
        );
    }

    #[test]
    fn every_field_and_the_rank_count() {
        let base = fingerprint("a.md", "schema/enum", "x", 0);
        for other in [
            fingerprint("b.md", "schema/enum", "x", 0),
            fingerprint("a.md", "schema/type", "x", 0),
            fingerprint("a.md", "schema/enum", "y", 0),
            fingerprint("a.md", "schema/enum", "x", 1),
            // Field boundaries matter: "a.md" + "schema/enumx" is not "a.md" + "schema/enum" + "x".
            fingerprint("a.md", "schema/enumx", "", 0),
        ] {
            assert_ne!(base, other);
        }
        assert_eq!(base.len(), 32);
        assert!(base.bytes().all(|b| b.is_ascii_hexdigit()));
    }
}
