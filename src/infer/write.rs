//! The text of the inferred files: `notelint.toml` with a comment of evidence on every
//! inferred line, and the schemas as pretty JSON. Everything is built from sorted data,
//! so the same vault gives byte-identical files.

use std::fmt::Write as _;

use serde_json::Value;

use super::config::{Evidenced, Settings};
use super::types::{By, Grouping};

/// A TOML basic string (JSON string escapes are TOML's).
fn string(text: &str) -> String {
    Value::from(text).to_string()
}

/// A TOML key: bare when it can be, else quoted.
fn key(text: &str) -> String {
    let bare = !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if bare { text.to_owned() } else { string(text) }
}

/// Evidence as a one-line comment.
fn comment(text: &str) -> String {
    format!("# {}", text.replace(['\n', '\r'], " "))
}

/// `name = [` one item a line, each with its evidence `]`.
fn list<T>(out: &mut String, name: &str, items: &[Evidenced<T>], item: impl Fn(&T) -> String) {
    if items.is_empty() {
        let _ = writeln!(out, "{name} = []");
        return;
    }
    let _ = writeln!(out, "{name} = [");
    for entry in items {
        let _ = writeln!(
            out,
            "  {}, {}",
            item(&entry.value),
            comment(&entry.evidence)
        );
    }
    let _ = writeln!(out, "]");
}

/// One group's association: its schema file and its evidence.
pub struct Association<'a> {
    pub name: &'a str,
    pub glob: Option<&'a str>,
    /// Vault-relative path of the schema.
    pub schema: String,
    pub evidence: String,
}

/// The whole `notelint.toml`.
pub fn config_text(
    header: &str,
    grouping: &Grouping,
    associations: &[Association<'_>],
    settings: &Settings,
) -> String {
    let mut out = String::new();
    for line in header.lines() {
        let _ = writeln!(out, "{}", comment(line).trim_end());
    }

    if let Some(by) = &grouping.by {
        out.push_str("\n[schema]\n");
        match by {
            By::Field(field) => {
                let _ = writeln!(out, "{}", comment(&grouping.evidence));
                let _ = writeln!(out, "type_field = {}", string(field));
                out.push_str("\n[schema.types]\n");
                for association in associations {
                    let _ = writeln!(out, "{}", comment(&association.evidence));
                    let _ = writeln!(
                        out,
                        "{} = {}",
                        key(association.name),
                        string(&association.schema)
                    );
                }
            }
            By::All => {
                let _ = writeln!(out, "{}", comment(&grouping.evidence));
                for association in associations {
                    let _ = writeln!(out, "default = {}", string(&association.schema));
                }
            }
            By::Folders => {
                let _ = writeln!(out, "{}", comment(&grouping.evidence));
                for association in associations {
                    let _ = writeln!(out, "\n[[schema.paths]]");
                    let _ = writeln!(out, "{}", comment(&association.evidence));
                    let _ = writeln!(
                        out,
                        "glob = {}",
                        string(association.glob.unwrap_or_default())
                    );
                    let _ = writeln!(out, "schema = {}", string(&association.schema));
                }
            }
        }
    }

    let tags = settings.allowed_tags.is_some()
        || settings.lower_case_tags.is_some()
        || settings.type_prefix.is_some();
    if tags {
        out.push_str("\n[tags]\n");
        if let Some(allowed) = &settings.allowed_tags {
            list(&mut out, "allowed", allowed, |t| string(t));
        }
        if let Some(evidence) = &settings.lower_case_tags {
            let _ = writeln!(out, "{}\ncase = \"lower\"", comment(evidence));
        }
        if let Some(prefix) = &settings.type_prefix {
            let _ = writeln!(
                out,
                "{}\ntype_prefix = {}",
                comment(&prefix.evidence),
                string(&prefix.value)
            );
        }
    }

    // Always written: the defaults name fields (`created`, `updated`, `date`) that this
    // vault may use for something else.
    out.push_str("\n[dates]\n");
    list(&mut out, "fields", &settings.date_fields, |f| string(f));
    list(&mut out, "order", &settings.date_order, |(a, b)| {
        format!("[{}, {}]", string(a), string(b))
    });
    if !settings.not_after_today.is_empty() {
        list(
            &mut out,
            "not_after_today",
            &settings.not_after_today,
            |f| string(f),
        );
    }

    if !settings.link_targets.is_empty() {
        out.push_str("\n[links.targets]\n");
        for target in &settings.link_targets {
            let (field, ty) = &target.value;
            let _ = writeln!(
                out,
                "{}\n{} = {}",
                comment(&target.evidence),
                key(field),
                string(ty)
            );
        }
    }

    if !settings.review_when.is_empty() {
        out.push_str("\n[review]\n");
        list(&mut out, "require_when", &settings.review_when, |k| {
            format!("{{ {} = true }}", key(k))
        });
    }
    out
}

/// A schema document as the file holds it.
pub fn json_text(document: &Value) -> String {
    let mut text = serde_json::to_string_pretty(document).unwrap_or_default();
    text.push('\n');
    text
}

/// `[rules]` turning off the rules that report the vault's conventions.
pub fn rules_section(off: &[Evidenced<String>]) -> String {
    let mut out = String::from("\n[rules]\n");
    for rule in off {
        let _ = writeln!(
            out,
            "{}\n{} = \"off\"",
            comment(&rule.evidence),
            string(&rule.value)
        );
    }
    out
}
