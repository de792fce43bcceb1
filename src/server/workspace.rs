//! A vault's settings as the server holds them: the configuration and its compiled
//! schemas, loaded together, and what follows from them (exclusions, how notes parse).

use std::path::Path;
use std::sync::Arc;

use crate::config::Config;
use crate::error::FileError;
use crate::lint;
use crate::note::{Note, ParseOptions};
use crate::schema::{CompiledSchema, Schemas};
use crate::walk::{self, Exclusions};

/// A vault's settings: the configuration and its compiled schemas, loaded together (a
/// config that loads with schemas that do not is not a good configuration).
pub struct Workspace {
    pub config: Config,
    pub schemas: Schemas,
    pub(super) exclusions: Exclusions,
    pub(super) options: ParseOptions,
}

impl Workspace {
    /// The vault around `start` (a folder), found as `check` finds it.
    pub fn discover(start: &Path) -> Result<Workspace, Vec<FileError>> {
        let config = Config::discover(start, None).map_err(|e| vec![e])?;
        Workspace::with_config(config)
    }

    pub fn with_config(config: Config) -> Result<Workspace, Vec<FileError>> {
        let schemas = Schemas::new(&config)?;
        Ok(Workspace {
            exclusions: Exclusions::new(&config),
            options: lint::parse_options(&config),
            config,
            schemas,
        })
    }

    pub fn root(&self) -> &Path {
        &self.config.vault_root
    }

    /// Vault-relative, `/`-separated.
    pub fn rel(&self, abs: &Path) -> String {
        crate::paths::display_path(&self.config.vault_root, abs)
    }

    /// Whether `check` would lint a note at `abs` (`check --stdin-filename` gives nothing
    /// for a path the vault excludes or without a note extension).
    pub fn is_lintable(&self, abs: &Path) -> bool {
        walk::has_note_extension(abs, &self.config) && !self.exclusions.is_excluded(&self.rel(abs))
    }

    pub fn parse(&self, abs: &Path, text: &str) -> Note {
        Note::parse(self.rel(abs), text.to_owned(), &self.options)
    }

    /// A note's text at a vault-relative path, parsed.
    pub fn parse_rel(&self, rel: &str, text: String) -> Note {
        Note::parse(rel.to_owned(), text, &self.options)
    }

    /// Excluded from linting (`vault.exclude`, Obsidian's exclusions).
    pub fn is_excluded(&self, rel: &str) -> bool {
        self.exclusions.is_excluded(rel)
    }

    /// The schema a note gets, if any.
    pub fn schema_for(&self, abs: &Path, note: &Note) -> Option<Arc<CompiledSchema>> {
        let association = self
            .schemas
            .associate(&note.path, abs, note.parsed())
            .ok()?;
        // Failures are reported by `diagnostics`; a lookup for completion must not pile
        // them up.
        let _ = self.schemas.take_failures();
        association.schema
    }
}
