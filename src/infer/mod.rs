//! `notelint init`: statistics of a vault -> a `notelint.toml` and one JSON Schema per note
//! type (SPEC 12).
//!
//! [`sample`] reads the notes, [`types`] decides which notes belong together, [`schema`]
//! infers each group's schema, [`config`] the vault-wide settings, and [`write`] turns it
//! all into text. Inference is deterministic (samples are sorted by path, every table is
//! ordered) and robust to outliers: nothing seen once becomes a type, a property type, an
//! enum member or a tag — the odd notes out are what `check` then reports.

pub mod config;
pub mod sample;
pub mod schema;
pub mod stats;
pub mod types;
pub mod write;

use std::collections::BTreeSet;

use jiff::civil::Date;

pub use sample::{Vault, collect};

use stats::plural;
use types::By;

/// What inference is asked for.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Share of a group's notes a property must be in to be required (0..=1).
    pub threshold: f64,
    /// "Today", for fields that are never in the future.
    pub today: Date,
}

/// One file `init` writes, vault-relative.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct File {
    pub path: String,
    pub text: String,
}

/// The inferred files and a summary of what was inferred, a line each.
#[derive(Debug)]
pub struct Plan {
    pub files: Vec<File>,
    pub summary: Vec<String>,
}

/// The folder of the schemas, relative to the vault root (and the config file).
pub const SCHEMA_DIR: &str = "schemas";

/// Infers the configuration and schemas of `vault`.
pub fn infer(vault: &Vault, options: &Options) -> Plan {
    let grouping = types::choose(vault);
    let settings = config::infer(vault, &grouping, options.today);
    let names = types::schema_file_names(&grouping.groups);
    let type_field = match &grouping.by {
        Some(By::Field(field)) => Some(field.as_str()),
        _ => None,
    };

    let mut files = Vec::new();
    let mut summary = Vec::new();
    let mut defs = BTreeSet::new();
    let mut associations = Vec::new();
    let mut group_lines = Vec::new();
    for (group, file) in grouping.groups.iter().zip(&names) {
        let noun = match (&grouping.by, type_field) {
            (_, Some(field)) => format!("notes with {field} `{}`", group.name),
            (Some(By::All), None) => "notes".to_owned(),
            (_, None) => format!("notes in {}/", group.name),
        };
        let inputs = schema::Inputs {
            vault,
            type_field,
            threshold: options.threshold,
            noun: &noun,
        };
        let inferred = schema::infer(group, &inputs);
        defs.extend(inferred.defs.iter().copied());
        let path = format!("{SCHEMA_DIR}/{file}");
        let shape = format!(
            "{}, {} required{}",
            if inferred.properties == 1 {
                "1 property".to_owned()
            } else {
                format!("{} properties", inferred.properties)
            },
            inferred.required,
            if inferred.closed {
                ", no other keys"
            } else {
                ""
            }
        );
        associations.push(write::Association {
            name: &group.name,
            glob: group.glob.as_deref(),
            schema: path.clone(),
            evidence: format!("{}; {shape}", plural(group.members.len(), "note")),
        });
        group_lines.push(format!(
            "  {} ({}): {shape}",
            group.name,
            plural(group.members.len(), "note")
        ));
        files.push(File {
            path,
            text: write::json_text(&inferred.document),
        });
    }
    if !defs.is_empty() {
        files.push(File {
            path: format!("{SCHEMA_DIR}/{}", schema::COMMON_FILE),
            text: write::json_text(&schema::common_schema(&defs)),
        });
    }

    let with_fm = vault.with_frontmatter().count();
    let header = format!(
        "notelint.toml, inferred by `notelint init` from {} ({with_fm} with frontmatter).\n\
         Each inferred setting carries its evidence; edit freely. `notelint config-schema`\n\
         describes every key, `notelint check` checks the vault against it.",
        plural(vault.samples.len(), "note"),
    );
    files.push(File {
        path: crate::config::CONFIG_FILE_NAME.to_owned(),
        text: write::config_text(&header, &grouping, &associations, &settings),
    });
    files.sort_by(|a, b| a.path.cmp(&b.path));

    summary.push(format!(
        "read {} ({with_fm} with frontmatter)",
        plural(vault.samples.len(), "note")
    ));
    match &grouping.by {
        Some(By::Field(field)) => summary.push(format!(
            "types by `{field}`: {}",
            plural(grouping.groups.len(), "type")
        )),
        Some(By::Folders) => summary.push(format!(
            "types by folder: {}",
            plural(grouping.groups.len(), "folder")
        )),
        Some(By::All) => summary.push("no types: one schema for every note".to_owned()),
        None => summary.push("no types: no key or folder groups the notes".to_owned()),
    }
    summary.extend(group_lines);
    if !grouping.outliers.is_empty() {
        let values: BTreeSet<&str> = grouping.outliers.iter().map(|(_, v)| v.as_str()).collect();
        summary.push(format!(
            "  too rare to be a type: {} ({})",
            values
                .into_iter()
                .map(|v| format!("`{v}`"))
                .collect::<Vec<_>>()
                .join(", "),
            plural(grouping.outliers.len(), "note")
        ));
    }
    if grouping.ungrouped > 0 {
        summary.push(format!(
            "  without a type (no schema): {}",
            plural(grouping.ungrouped, "note")
        ));
    }
    summary.extend(settings_summary(&settings));
    Plan { files, summary }
}

fn settings_summary(settings: &config::Settings) -> Vec<String> {
    let join = |items: Vec<String>| {
        if items.is_empty() {
            "none".to_owned()
        } else {
            items.join(", ")
        }
    };
    let mut out = Vec::new();
    let mut tags = Vec::new();
    if let Some(allowed) = &settings.allowed_tags {
        tags.push(format!("{} allowed", plural(allowed.len(), "pattern")));
    }
    if settings.lower_case_tags.is_some() {
        tags.push("lower case".to_owned());
    }
    if let Some(prefix) = &settings.type_prefix {
        tags.push(format!("type prefix `{}`", prefix.value));
    }
    out.push(format!("tags: {}", join(tags)));
    out.push(format!(
        "dates: {}",
        join(
            settings
                .date_fields
                .iter()
                .map(|f| f.value.clone())
                .collect()
        )
    ));
    if !settings.date_order.is_empty() {
        out.push(format!(
            "  in order: {}",
            join(
                settings
                    .date_order
                    .iter()
                    .map(|o| format!("{} <= {}", o.value.0, o.value.1))
                    .collect()
            )
        ));
    }
    if !settings.not_after_today.is_empty() {
        out.push(format!(
            "  never in the future: {}",
            join(
                settings
                    .not_after_today
                    .iter()
                    .map(|f| f.value.clone())
                    .collect()
            )
        ));
    }
    if !settings.link_targets.is_empty() {
        out.push(format!(
            "typed links: {}",
            join(
                settings
                    .link_targets
                    .iter()
                    .map(|t| format!("{} -> {}", t.value.0, t.value.1))
                    .collect()
            )
        ));
    }
    if !settings.review_when.is_empty() {
        out.push(format!(
            "review tag required when: {}",
            join(
                settings
                    .review_when
                    .iter()
                    .map(|r| format!("{} = true", r.value))
                    .collect()
            )
        ));
    }
    out
}
