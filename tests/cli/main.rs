//! Integration tests through the real `notelint` binary, with insta snapshots of its output.

// Tests build their fixtures on disk directly; only the product goes through `fs`.
#![allow(clippy::disallowed_methods)]

mod lsp;
mod support;
mod vault_gen;

mod action;
mod architecture;
mod baseline;
mod cache;
mod check_ci_formats;
mod check_ci_reports;
mod check_config;
mod check_dates;
mod check_frontmatter;
mod check_links;
mod check_messages;
mod check_obsidian;
mod check_output;
mod check_properties;
mod check_schema;
mod check_tags;
mod commands;
mod contract;
mod editor;
mod fix;
mod fix_files;
mod fix_safety;
mod follow_renames;
mod hostile;
mod init;
mod mv;
mod server;
mod watch;
