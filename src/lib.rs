//! notelint: a fast, schema-driven linter for Markdown notes with YAML frontmatter.
//!
//! The pipeline: `config` finds the vault and settings, `walk` lists its files, `lint`
//! parses each `note` in parallel and runs the `rules` (schema validation through `schema`),
//! then vault-wide checks; `output` renders the `diagnostic`s.

pub mod baseline;
pub mod cache;
pub mod cli;
pub mod commands;
pub mod config;
pub mod diagnostic;
pub mod error;
pub mod fix;
pub mod fs;
pub mod interrupt;
pub mod lint;
pub mod note;
pub mod output;
pub mod progress;
pub mod rules;
pub mod schema;
pub mod suggest;
pub mod suppress;
pub mod vault;
pub mod walk;
pub mod yaml;
