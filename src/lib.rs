//! notelint: a fast, schema-driven linter for Markdown notes with YAML frontmatter.
//!
//! The pipeline: `config` finds the vault and settings, `walk` lists its files, `vault`
//! indexes them, `lint` parses each `note` in parallel and runs the `rules` (schema
//! validation through `schema`), then vault-wide checks; `output` renders the findings.
//! Modules use only the layers below them (README, "Development").

pub mod baseline;
pub mod cache;
pub mod canvas;
pub mod cli;
pub mod commands;
pub mod config;
pub mod diagnostic;
pub mod error;
pub mod fix;
pub mod fs;
pub mod git;
pub mod infer;
pub mod interrupt;
pub mod lint;
pub mod note;
pub mod output;
pub mod paths;
pub mod progress;
pub mod relink;
pub mod rules;
pub mod schema;
pub mod server;
pub mod suggest;
pub mod suppress;
pub mod text;
pub mod vault;
pub mod walk;
pub mod yaml;
