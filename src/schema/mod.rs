//! Which schema a note gets (`$schema`, `schema.paths`, `type_field`, `default`), compiled
//! once per run, and where an instance path points in the note (`locate`). The findings
//! are built in one place, `rules::schema`.

pub(crate) mod compile;
pub(crate) mod confine;
mod coverage;
pub mod locate;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use globset::GlobMatcher;
use serde_spanned::Spanned;

pub use compile::CompiledSchema;

use crate::config::{self, Config};
use crate::error::FileError;
use crate::note::Frontmatter;

/// Why a note got the schema it got (for `notelint schemas`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    /// The note's own `$schema` key.
    DollarSchema,
    /// The first matching `[[schema.paths]]` glob.
    Glob(String),
    /// The `type_field` value mapped in `[schema] types`.
    Type(String),
    /// `[schema] default`.
    Default,
    /// A `type_field` value with no schema and no default.
    UnknownType(String),
    /// Nothing applies.
    None,
}

impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Reason::DollarSchema => f.write_str("$schema"),
            Reason::Glob(glob) => write!(f, "glob `{glob}`"),
            Reason::Type(ty) => write!(f, "type `{ty}`"),
            Reason::Default => f.write_str("default"),
            Reason::UnknownType(ty) => write!(f, "unknown type `{ty}`"),
            Reason::None => f.write_str("none"),
        }
    }
}

/// The outcome of association for one note.
pub struct Association {
    pub schema: Option<Arc<CompiledSchema>>,
    pub reason: Reason,
}

/// A configured association, tracked so unused ones can be reported.
/// An association `[schema]` chose for a note.
enum Chosen<'a> {
    Glob(&'a Entry<(GlobMatcher, Spanned<String>)>),
    Type(&'a Entry<Spanned<String>>),
}

struct Entry<K> {
    key: K,
    schema: PathBuf,
    used: AtomicBool,
}

/// Every schema association of the run, with a compile-once cache.
pub struct Schemas {
    vault_root: PathBuf,
    /// Where schema files may be read from (the vault, and configured schemas' folders).
    readable: confine::Readable,
    type_field: String,
    globs: Vec<Entry<(GlobMatcher, Spanned<String>)>>,
    types: Vec<Entry<Spanned<String>>>,
    default: Option<PathBuf>,
    compiled: Mutex<HashMap<PathBuf, Arc<CompiledSchema>>>,
    /// Schemas named by `$schema` keys that failed to load, reported after the run.
    failures: Mutex<Vec<FileError>>,
}

impl Schemas {
    /// Compiles every schema the configuration names; any failure stops the run, and
    /// every failure is reported (each missing file, each invalid schema), not just the
    /// first.
    pub fn new(config: &Config) -> Result<Schemas, Vec<FileError>> {
        let settings = &config.settings.schema;
        let globs = settings
            .paths
            .iter()
            .map(|entry| {
                let matcher = config::compile_glob(&entry.glob)
                    .map(|glob| glob.compile_matcher())
                    .map_err(|err| config_error(config, err.span, err.message))?;
                Ok(Entry {
                    key: (matcher, entry.glob.clone()),
                    schema: config.resolve_path(entry.schema.get_ref()),
                    used: AtomicBool::new(false),
                })
            })
            .collect::<Result<Vec<_>, FileError>>()
            .map_err(|e| vec![e])?;
        let types = settings
            .types
            .iter()
            .map(|(ty, schema)| Entry {
                key: ty.clone(),
                schema: config.resolve_path(schema.get_ref()),
                used: AtomicBool::new(false),
            })
            .collect::<Vec<_>>();
        let configured = || {
            settings
                .paths
                .iter()
                .map(|p| &p.schema)
                .chain(settings.types.values())
                .chain(settings.default.as_ref())
        };
        let mut readable = confine::Readable::new(&config.vault_root);
        for name in configured() {
            readable.allow_configured(&config.resolve_path(name.get_ref()));
        }
        let schemas = Schemas {
            vault_root: config.vault_root.clone(),
            readable,
            type_field: settings.type_field.clone(),
            globs,
            types,
            default: settings
                .default
                .as_ref()
                .map(|d| config.resolve_path(d.get_ref())),
            compiled: Mutex::new(HashMap::new()),
            failures: Mutex::new(Vec::new()),
        };
        // Compile every configured schema now so a broken one fails fast, pointing at the
        // config entry that names it when the file itself is missing.
        let mut missing: Vec<&Spanned<String>> = configured()
            .filter(|name| !config.resolve_path(name.get_ref()).is_file())
            .collect();
        // In the order the configuration file names them.
        missing.sort_by_key(|name| name.span().start);
        let mut errors: Vec<FileError> = missing
            .into_iter()
            .map(|name| {
                config_error(
                    config,
                    name.span(),
                    format!("schema file `{}` not found", name.get_ref()),
                )
                .with_help("schema paths are relative to the configuration file")
            })
            .collect();
        let mut tried = std::collections::HashSet::new();
        for name in configured() {
            let path = config.resolve_path(name.get_ref());
            if !path.is_file() {
                continue;
            }
            // A schema named by several entries is compiled (and reported) once.
            if tried.insert(path.clone())
                && let Err(error) = schemas.compiled(&path)
            {
                errors.push(error);
            }
        }
        if errors.is_empty() {
            Ok(schemas)
        } else {
            Err(errors)
        }
    }

    /// Every schema compiled so far (after `new`: each one the configuration names) and
    /// every document it `$ref`s, as text in a stable order: what the cache's key holds.
    pub fn fingerprint(&self) -> String {
        let Ok(compiled) = self.compiled.lock() else {
            return String::new();
        };
        let mut parts: Vec<String> = compiled
            .iter()
            .flat_map(|(path, schema)| {
                let own = format!("{}\n{}", path.display(), schema.document);
                let referenced = schema
                    .referenced
                    .iter()
                    .map(|(uri, document)| format!("{uri}\n{document}"));
                std::iter::once(own).chain(referenced)
            })
            .collect();
        parts.sort_unstable();
        parts.join("\n")
    }

    fn compiled(&self, path: &Path) -> Result<Arc<CompiledSchema>, FileError> {
        let mut cache = self
            .compiled
            .lock()
            .map_err(|_| FileError::new(path, "schema cache poisoned"))?;
        if let Some(found) = cache.get(path) {
            return Ok(found.clone());
        }
        let schema = Arc::new(compile::compile(&self.readable, path)?);
        cache.insert(path.to_path_buf(), schema.clone());
        Ok(schema)
    }

    /// Chooses the schema for a note (at vault-relative `rel_path`, absolute `abs_path`).
    ///
    /// `Err` carries a message about the note's `$schema` value (missing file, remote URL).
    pub fn associate(
        &self,
        rel_path: &str,
        abs_path: &Path,
        frontmatter: Option<&Frontmatter>,
    ) -> Result<Association, String> {
        if let Some(value) = frontmatter
            .and_then(|fm| fm.get("$schema"))
            .and_then(|n| n.as_str())
        {
            return self.associate_dollar_schema(value, abs_path);
        }
        let ty = frontmatter
            .and_then(|fm| fm.get(&self.type_field))
            .and_then(|node| node.as_str());
        match self.chosen(rel_path, ty) {
            Some(Chosen::Glob(entry)) => {
                let reason = Reason::Glob(entry.key.1.get_ref().clone());
                return Ok(self.found(&entry.schema, reason));
            }
            Some(Chosen::Type(entry)) => {
                let reason = Reason::Type(entry.key.get_ref().clone());
                return Ok(self.found(&entry.schema, reason));
            }
            None => {}
        }
        if let Some(ty) = ty
            && self.default.is_none()
            && !self.types.is_empty()
        {
            return Ok(Association {
                schema: None,
                reason: Reason::UnknownType(ty.to_owned()),
            });
        }
        Ok(match &self.default {
            Some(path) => self.found(path, Reason::Default),
            None => Association {
                schema: None,
                reason: Reason::None,
            },
        })
    }

    /// Marks the association `associate` would choose for a note at `rel_path` whose
    /// type is `ty` (and that has no `$schema`) as used: for a note whose findings come
    /// from the cache, so `config/unused-association` sees it.
    pub fn mark_used(&self, rel_path: &str, ty: Option<&str>) {
        self.chosen(rel_path, ty);
    }

    /// The `[schema]` glob, else type, association for a note at `rel_path` of type `ty`
    /// (without `$schema`), marked used: the one choice `associate` and `mark_used` share.
    fn chosen(&self, rel_path: &str, ty: Option<&str>) -> Option<Chosen<'_>> {
        let chosen = match self.globs.iter().find(|e| e.key.0.is_match(rel_path)) {
            Some(entry) => Chosen::Glob(entry),
            None => {
                Chosen::Type(ty.and_then(|ty| self.types.iter().find(|e| e.key.get_ref() == ty))?)
            }
        };
        let used = match &chosen {
            Chosen::Glob(entry) => &entry.used,
            Chosen::Type(entry) => &entry.used,
        };
        used.store(true, Ordering::Relaxed);
        Some(chosen)
    }

    fn associate_dollar_schema(&self, value: &str, abs_path: &Path) -> Result<Association, String> {
        if value.contains("://") {
            return Err(format!(
                "`$schema: {value}` is a remote schema; notelint never reaches the network, \
                 so save it in the vault and name its path"
            ));
        }
        let note_dir = abs_path.parent().unwrap_or(&self.vault_root);
        // Absolute values and `..` that climb out are refused before anything is touched.
        let candidates: Vec<PathBuf> = [note_dir.join(value), self.vault_root.join(value)]
            .into_iter()
            .filter(|p| self.readable.allows(p))
            .collect();
        if candidates.is_empty() {
            return Err(format!(
                "`$schema: {value}` points outside the vault; notelint reads schemas only \
                 inside the vault and the folders of the schemas its configuration names"
            ));
        }
        let Some(path) = candidates.iter().find(|p| p.is_file()) else {
            return Err(format!(
                "schema file `{value}` not found (relative to the note or the vault root)"
            ));
        };
        match self.compiled(path) {
            Ok(schema) => Ok(Association {
                schema: Some(schema),
                reason: Reason::DollarSchema,
            }),
            Err(err) => {
                let message = err.message.clone();
                if let Ok(mut failures) = self.failures.lock() {
                    failures.push(err);
                }
                Err(format!("schema `{value}` cannot be used: {message}"))
            }
        }
    }

    fn found(&self, path: &Path, reason: Reason) -> Association {
        let schema = self.compiled.lock().ok().and_then(|c| c.get(path).cloned());
        Association { schema, reason }
    }

    /// The configured types, for did-you-mean on unknown ones.
    pub fn type_names(&self) -> impl Iterator<Item = &str> {
        self.types.iter().map(|e| e.key.get_ref().as_str())
    }

    pub fn type_field(&self) -> &str {
        &self.type_field
    }

    /// Associations that matched no note: (span in the config file, description).
    pub fn unused(&self) -> Vec<(std::ops::Range<usize>, String)> {
        let globs = self
            .globs
            .iter()
            .filter(|e| !e.used.load(Ordering::Relaxed))
            .map(|e| {
                (
                    e.key.1.span(),
                    format!("schema glob `{}` matches no note", e.key.1.get_ref()),
                )
            });
        let types = self
            .types
            .iter()
            .filter(|e| !e.used.load(Ordering::Relaxed))
            .map(|e| {
                (
                    e.key.span(),
                    format!("no note has {} `{}`", self.type_field, e.key.get_ref()),
                )
            });
        let mut out: Vec<_> = globs.chain(types).collect();
        out.sort_by_key(|(span, _)| span.start);
        out
    }

    /// Schema files named by notes' `$schema` that failed to compile.
    pub fn take_failures(&self) -> Vec<FileError> {
        self.failures
            .lock()
            .map(|mut f| std::mem::take(&mut *f))
            .unwrap_or_default()
    }

    /// The path of a schema as it was found (relative to the current directory when the
    /// vault is below it), with `.` and `..` folded, for display.
    pub fn display_path(&self, schema: &CompiledSchema) -> String {
        crate::paths::normalize(&schema.path).display().to_string()
    }
}

fn config_error(config: &Config, span: std::ops::Range<usize>, message: String) -> FileError {
    let path = config
        .file
        .clone()
        .unwrap_or_else(|| config.vault_root.join("notelint.toml"));
    let error = FileError::new(path, message);
    match &config.source {
        Some(source) => error.at(source, Some(span)),
        None => error,
    }
}
