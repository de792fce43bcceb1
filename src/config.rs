//! `notelint.toml`: discovery upward from the linted path, parsing with spans, embedded
//! defaults. Plain data: what its `[rules]` tables mean for each note, and whether their
//! codes exist, is for `rules::selection` to say (the registry lies above this module).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};
use schemars::JsonSchema;
use serde::Deserialize;
use serde_spanned::Spanned;

use crate::diagnostic::Severity;
use crate::error::FileError;
use crate::note::date::Format;
use crate::suggest;

pub const CONFIG_FILE_NAME: &str = "notelint.toml";

/// The file as written, every key optional; `#[serde(default)]` supplies the embedded defaults.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
#[schemars(
    title = "notelint.toml",
    description = "Configuration of notelint, the linter for Markdown notes with YAML frontmatter. Every key is optional."
)]
pub struct ConfigFile {
    pub vault: VaultConfig,
    pub frontmatter: FrontmatterConfig,
    pub schema: SchemaConfig,
    pub tags: TagsConfig,
    pub dates: DatesConfig,
    pub links: LinksConfig,
    pub review: ReviewConfig,
    pub properties: PropertiesConfig,
    /// Severity per rule code or group: `error`, `warning`, `info` or `off`.
    #[schemars(schema_with = "rule_table_schema")]
    pub rules: BTreeMap<Spanned<String>, Spanned<Level>>,
    /// Per-path rule severities; later entries win.
    pub overrides: Vec<Override>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct VaultConfig {
    /// Globs (vault-relative) of files never linted; they stay link targets.
    #[schemars(with = "Vec<String>")]
    pub exclude: Vec<Spanned<String>>,
    /// File extensions of notes, without the dot (`md`).
    #[serde(deserialize_with = "note_extensions")]
    pub extensions: Vec<String>,
    /// Globs of folders that are vaults of their own (links resolve within them).
    #[schemars(with = "Vec<String>")]
    pub roots: Vec<Spanned<String>>,
    /// Honour `.obsidian/app.json` excluded files and the templates folder.
    pub obsidian_settings: bool,
    /// Larger notes are not read and are `io/unreadable` (default 16 MiB).
    pub max_note_bytes: u64,
}

impl Default for VaultConfig {
    fn default() -> Self {
        VaultConfig {
            exclude: Vec::new(),
            extensions: vec!["md".to_owned()],
            roots: Vec::new(),
            obsidian_settings: true,
            max_note_bytes: 16 * 1024 * 1024,
        }
    }
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct FrontmatterConfig {
    /// Notes without frontmatter are `frontmatter/missing`.
    pub required: bool,
    /// Larger frontmatter is `frontmatter/too-large` (default 1 MiB).
    pub max_bytes: usize,
    /// Deeper nesting is `frontmatter/too-large`; at most 1000, since deeper trees would
    /// overflow the stack of the code that walks them.
    #[serde(deserialize_with = "depth_within_ceiling")]
    #[schemars(range(max = 1000))]
    pub max_depth: usize,
    /// More nodes created by alias expansion is `frontmatter/too-large`.
    pub max_alias_nodes: usize,
}

impl Default for FrontmatterConfig {
    fn default() -> Self {
        let limits = crate::yaml::Limits::default();
        FrontmatterConfig {
            required: false,
            max_bytes: 1024 * 1024,
            max_depth: limits.max_depth,
            max_alias_nodes: limits.max_alias_nodes,
        }
    }
}

/// `max_depth` no higher than [`crate::yaml::MAX_DEPTH_CEILING`], said at the value.
fn depth_within_ceiling<'de, D: serde::Deserializer<'de>>(d: D) -> Result<usize, D::Error> {
    let depth = usize::deserialize(d)?;
    let ceiling = crate::yaml::MAX_DEPTH_CEILING;
    if depth > ceiling {
        return Err(serde::de::Error::custom(format!(
            "`max_depth` may be at most {ceiling}: deeper frontmatter would overflow the stack"
        )));
    }
    Ok(depth)
}

/// Separates a message from its help in a custom deserialisation error, so that
/// `explain_toml_error` can show them apart.
const HELP_MARK: &str = "\nhelp: ";

fn with_help<E: serde::de::Error>(message: String, help: &str) -> E {
    E::custom(format!("{message}{HELP_MARK}{help}"))
}

/// `[vault] extensions`, each compared with what `Path::extension` gives (the text after a
/// file name's last dot), so a value that can never be one is an error at that value.
fn note_extensions<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    struct Extension(String);
    struct Visitor;
    impl serde::de::Visitor<'_> for Visitor {
        type Value = Extension;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a file extension such as \"md\"")
        }
        // Checked here, inside the value's own deserialisation, so the error carries
        // the value's span rather than the whole list's.
        fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Extension, E> {
            let special = |t: &str| t.contains(['/', '\\', '*', '?', '[', '{']);
            let problem = if text.is_empty() {
                "it is empty"
            } else if special(text) {
                "extensions are literal text, not globs or paths"
            } else if text.starts_with('.') && text.matches('.').count() == 1 {
                "extensions are written without the dot"
            } else if text.contains('.') {
                "a file's extension is the text after its last dot"
            } else {
                return Ok(Extension(text.to_owned()));
            };
            let last = text.rsplit('.').next().unwrap_or_default();
            let help = if last.is_empty() || special(last) {
                "write an extension such as `md`".to_owned()
            } else {
                format!("write `{last}`")
            };
            Err(with_help(
                format!("extension `{text}` never matches a file: {problem}"),
                &help,
            ))
        }
    }
    impl<'de> Deserialize<'de> for Extension {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Extension, D::Error> {
            d.deserialize_str(Visitor)
        }
    }
    let extensions = Vec::<Extension>::deserialize(d)?;
    Ok(extensions.into_iter().map(|e| e.0).collect())
}

/// `[review] require_when` / `forbid_when`: values are compared with a note's top-level
/// properties, so a value that no note can hold (a nested table, a TOML date: YAML 1.2
/// reads an unquoted `2025-01-01` as a string) is an error at that value, not a condition
/// that silently never holds.
fn conditions<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<toml::Table>, D::Error> {
    struct Condition(toml::Value);
    struct Visitor;
    impl<'de> serde::de::Visitor<'de> for Visitor {
        type Value = Condition;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a boolean, number, string or array")
        }
        fn visit_bool<E>(self, v: bool) -> Result<Condition, E> {
            Ok(Condition(toml::Value::Boolean(v)))
        }
        fn visit_i64<E>(self, v: i64) -> Result<Condition, E> {
            Ok(Condition(toml::Value::Integer(v)))
        }
        fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Condition, E> {
            i64::try_from(v)
                .map(|v| Condition(toml::Value::Integer(v)))
                .map_err(|_| E::custom("integer out of range"))
        }
        fn visit_f64<E>(self, v: f64) -> Result<Condition, E> {
            Ok(Condition(toml::Value::Float(v)))
        }
        fn visit_str<E>(self, v: &str) -> Result<Condition, E> {
            Ok(Condition(toml::Value::String(v.to_owned())))
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(
            self,
            mut seq: A,
        ) -> Result<Condition, A::Error> {
            let mut items = Vec::new();
            while let Some(Condition(item)) = seq.next_element()? {
                items.push(item);
            }
            Ok(Condition(toml::Value::Array(items)))
        }
        // A table and a TOML date both arrive as maps.
        fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<Condition, A::Error> {
            let value =
                toml::Value::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
            Err(match value {
                toml::Value::Datetime(date) => with_help(
                    format!(
                        "a TOML date never matches: notes hold `{date}` as a string (YAML 1.2)"
                    ),
                    &format!("quote it: `\"{date}\"`"),
                ),
                _ => with_help(
                    "a nested table never matches: conditions compare a note's top-level properties".to_owned(),
                    "name a top-level property, such as `{ auto_created = true }`",
                ),
            })
        }
    }
    impl<'de> Deserialize<'de> for Condition {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Condition, D::Error> {
            d.deserialize_any(Visitor)
        }
    }
    let tables = Vec::<BTreeMap<String, Condition>>::deserialize(d)?;
    Ok(tables
        .into_iter()
        .map(|table| table.into_iter().map(|(k, v)| (k, v.0)).collect())
        .collect())
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct SchemaConfig {
    /// Schema for notes nothing else matches (relative to this file).
    #[schemars(with = "Option<String>")]
    pub default: Option<Spanned<String>>,
    /// Frontmatter field whose value selects a schema from `types`.
    pub type_field: String,
    /// `type_field` value -> schema path (relative to this file).
    #[schemars(with = "BTreeMap<String, String>")]
    pub types: BTreeMap<Spanned<String>, Spanned<String>>,
    /// Glob -> schema associations; the first matching glob wins, before `type_field`.
    pub paths: Vec<SchemaPath>,
}

impl Default for SchemaConfig {
    fn default() -> Self {
        SchemaConfig {
            default: None,
            type_field: "type".to_owned(),
            types: BTreeMap::new(),
            paths: Vec::new(),
        }
    }
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SchemaPath {
    /// Vault-relative glob of the notes this schema is for.
    #[schemars(with = "String")]
    pub glob: Spanned<String>,
    /// Schema path (relative to this file).
    #[schemars(with = "String")]
    pub schema: Spanned<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum TagCase {
    Any,
    Lower,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct TagsConfig {
    /// Frontmatter fields holding tags.
    pub fields: Vec<String>,
    /// Also read `#tags` in the body.
    pub inline: bool,
    /// Allowed tag globs (`*` one level, `**` any); empty: any valid tag.
    #[schemars(with = "Vec<String>")]
    pub allowed: Vec<Spanned<String>>,
    /// `lower`: tags must be lower-case.
    pub case: TagCase,
    /// A note with `type: X` must carry exactly one tag `<prefix>X`.
    pub type_prefix: Option<String>,
}

impl Default for TagsConfig {
    fn default() -> Self {
        TagsConfig {
            fields: vec!["tags".to_owned()],
            inline: true,
            allowed: Vec::new(),
            case: TagCase::Any,
            type_prefix: None,
        }
    }
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct DatesConfig {
    /// Frontmatter fields that must hold real dates.
    pub fields: Vec<String>,
    /// `date`, `datetime`, `date-or-datetime` or a strftime pattern such as `%m/%d/%Y`.
    #[serde(deserialize_with = "date_format")]
    #[schemars(with = "String")]
    pub format: Format,
    /// Fields that must not be after today.
    pub not_after_today: Vec<String>,
    /// Pairs `[first, second]`: first <= second when both are present.
    pub order: Vec<(String, String)>,
}

impl Default for DatesConfig {
    fn default() -> Self {
        DatesConfig {
            fields: vec!["created".into(), "updated".into(), "date".into()],
            format: Format::DateOrDateTime,
            not_after_today: Vec::new(),
            order: vec![("created".into(), "updated".into())],
        }
    }
}

/// `[dates] format`, read once: a value that cannot read dates is an error at that value.
fn date_format<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Format, D::Error> {
    let text = String::deserialize(d)?;
    let format = Format::new(&text);
    format.validate().map_err(|problem| {
        with_help(
            format!("`{text}` {problem}"),
            "use `date`, `datetime`, `date-or-datetime` or a strftime pattern such as `%m/%d/%Y`",
        )
    })?;
    Ok(format)
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct LinksConfig {
    /// Check links at all.
    pub enabled: bool,
    /// `false`: only Markdown links (for sites that use `[[` otherwise).
    pub wikilinks: bool,
    /// Also check links inside HTML and `%%` comments.
    pub in_comments: bool,
    /// Check wikilinks inside frontmatter string values.
    pub frontmatter: bool,
    /// Check `#Heading` and `#^block` parts.
    pub headings: bool,
    /// `[[X]]` also resolves to a note whose `aliases` contain X.
    pub aliases: bool,
    /// Report bare links that match several files.
    pub ambiguous: bool,
    /// Frontmatter field -> required `type` of the linked note.
    pub targets: BTreeMap<String, String>,
}

impl Default for LinksConfig {
    fn default() -> Self {
        LinksConfig {
            enabled: true,
            wikilinks: true,
            in_comments: false,
            frontmatter: true,
            headings: true,
            aliases: false,
            ambiguous: false,
            targets: BTreeMap::new(),
        }
    }
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct ReviewConfig {
    /// The review tag.
    #[schemars(with = "String")]
    pub tag: Spanned<String>,
    /// Tables of top-level property values; a note matching all of one must carry the tag.
    #[serde(deserialize_with = "conditions")]
    #[schemars(with = "Vec<serde_json::Map<String, serde_json::Value>>")]
    pub require_when: Vec<toml::Table>,
    /// Tables of top-level property values; a note matching all of one must not carry the tag.
    #[serde(deserialize_with = "conditions")]
    #[schemars(with = "Vec<serde_json::Map<String, serde_json::Value>>")]
    pub forbid_when: Vec<toml::Table>,
    /// Notes with error findings must carry the tag.
    pub on_errors: bool,
}

impl Default for ReviewConfig {
    fn default() -> Self {
        ReviewConfig {
            tag: Spanned::new(0..0, "needs-review".to_owned()),
            require_when: Vec::new(),
            forbid_when: Vec::new(),
            on_errors: false,
        }
    }
}

// ---- [properties]: Obsidian property types (`properties/type`, SPEC 12) ----

/// An Obsidian property type, as `.obsidian/types.json` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum PropertyType {
    /// One string.
    Text,
    /// A list of strings.
    Multitext,
    /// An unquoted number.
    Number,
    /// `true` or `false`.
    Checkbox,
    /// `YYYY-MM-DD`.
    Date,
    /// `YYYY-MM-DDTHH:mm[:ss]`.
    Datetime,
    /// A list of aliases.
    Aliases,
    /// A list of tags.
    Tags,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct PropertiesConfig {
    /// Check values against the property types in `.obsidian/types.json`.
    pub obsidian_types: bool,
    /// More property types (property -> type), added to or overriding `.obsidian/types.json`.
    pub types: BTreeMap<String, PropertyType>,
}

impl Default for PropertiesConfig {
    fn default() -> Self {
        PropertiesConfig {
            obsidian_types: true,
            types: BTreeMap::new(),
        }
    }
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Override {
    /// Vault-relative globs this override applies to.
    #[schemars(with = "Vec<String>")]
    pub paths: Vec<Spanned<String>>,
    /// Severity per rule code or group for these paths.
    #[serde(default)]
    #[schemars(schema_with = "rule_table_schema")]
    pub rules: BTreeMap<Spanned<String>, Spanned<Level>>,
}

/// Stands for the rule registry's codes and groups in the schema of a `[rules]` table
/// until [`json_schema`] puts them in: the registry lies above the configuration.
const RULE_SELECTORS: &str = "<rule codes and groups>";

/// The JSON Schema of `notelint.toml`. `selectors` (every rule code and group of the
/// registry) are the keys a `[rules]` table may hold, so editors complete them and the
/// schema never disagrees with `notelint rules`.
pub fn json_schema(selectors: &[&str]) -> serde_json::Value {
    fn fill(value: &mut serde_json::Value, selectors: &[&str]) {
        match value {
            serde_json::Value::Object(map) => {
                for (key, value) in map.iter_mut() {
                    if key == "propertyNames" && value["enum"][0] == RULE_SELECTORS {
                        value["enum"] = serde_json::json!(selectors);
                    } else {
                        fill(value, selectors);
                    }
                }
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(|v| fill(v, selectors)),
            _ => {}
        }
    }
    let mut schema = serde_json::to_value(schemars::schema_for!(ConfigFile)).unwrap_or_default();
    fill(&mut schema, selectors);
    schema
}

/// The schema of a `[rules]` table: severities keyed by rule code or group.
fn rule_table_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
    let level = generator.subschema_for::<Level>();
    schemars::json_schema!({
        "type": "object",
        "propertyNames": { "enum": [RULE_SELECTORS] },
        "additionalProperties": level,
    })
}

/// A severity as configured: a severity, or `off`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Error,
    Warning,
    Info,
    Off,
}

impl Level {
    pub fn severity(self) -> Option<Severity> {
        match self {
            Level::Error => Some(Severity::Error),
            Level::Warning => Some(Severity::Warning),
            Level::Info => Some(Severity::Info),
            Level::Off => None,
        }
    }
}

/// The loaded configuration: the file's settings plus where it lives.
#[derive(Debug)]
pub struct Config {
    /// The directory links and paths are relative to.
    pub vault_root: PathBuf,
    /// The config file, when there is one.
    pub file: Option<PathBuf>,
    /// The config file's text, for diagnostics that point into it.
    pub source: Option<String>,
    pub settings: ConfigFile,
    /// `--select` and `--ignore` from the command line.
    pub selection: Selection,
}

/// Rules chosen on the command line; they apply after `[rules]` and `[[overrides]]`.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// `--select`: only these codes or groups.
    pub select: Option<Vec<String>>,
    /// `--ignore`: never these codes or groups.
    pub ignore: Vec<String>,
}

impl Config {
    /// How notes are parsed under these settings.
    pub fn parse_options(&self) -> crate::note::ParseOptions {
        let settings = &self.settings;
        crate::note::ParseOptions {
            max_bytes: settings.frontmatter.max_bytes,
            limits: crate::yaml::Limits {
                max_depth: settings.frontmatter.max_depth,
                max_alias_nodes: settings.frontmatter.max_alias_nodes,
            },
            scan: crate::note::body::ScanOptions {
                wikilinks: settings.links.wikilinks,
                in_comments: settings.links.in_comments,
                inline_tags: settings.tags.inline,
            },
        }
    }

    /// Finds and loads the configuration for a run started at `start` (an absolute
    /// directory: the first linted path's, or the current one).
    ///
    /// The vault root is the folder of the nearest `notelint.toml` upward from `start`;
    /// without one, the nearest folder holding `.obsidian/`, else the current directory
    /// when `start` lies in it, else `start`. `explicit` (`--config`) names the settings
    /// only: the root is found as without it, and its settings replace the vault's own
    /// (as in ruff, the command line, not the config's location, decides what is linted).
    pub fn discover(start: &Path, explicit: Option<&Path>) -> Result<Config, FileError> {
        let found = start
            .ancestors()
            .map(|dir| dir.join(CONFIG_FILE_NAME))
            .find(|candidate| candidate.is_file());
        let vault_root = match &found {
            Some(file) => folder_of(file).to_path_buf(),
            None => {
                let cwd = std::env::current_dir().ok();
                let fallback = cwd
                    .as_deref()
                    .filter(|cwd| start.starts_with(cwd))
                    .unwrap_or(start);
                start
                    .ancestors()
                    .find(|dir| dir.join(".obsidian").is_dir())
                    .unwrap_or(fallback)
                    .to_path_buf()
            }
        };
        match explicit.or(found.as_deref()) {
            Some(file) => Config::load_for(file, vault_root),
            None => Ok(Config::defaults(vault_root)),
        }
    }

    /// The embedded defaults, for a vault without a config file.
    pub fn defaults(vault_root: PathBuf) -> Config {
        Config {
            vault_root,
            file: None,
            source: None,
            settings: ConfigFile::default(),
            selection: Selection::default(),
        }
    }

    /// Loads the file at `path`, whose folder is the vault root (a `notelint.toml` found
    /// by discovery).
    pub fn load(path: &Path) -> Result<Config, FileError> {
        Config::load_for(path, folder_of(path).to_path_buf())
    }

    /// Loads the settings in `path` for the vault at `vault_root`.
    pub fn load_for(path: &Path, vault_root: PathBuf) -> Result<Config, FileError> {
        let source = std::fs::read_to_string(path)
            .map_err(|err| FileError::new(path, format!("cannot read the configuration: {err}")))?;
        let settings: ConfigFile = toml::from_str(&source).map_err(|err| {
            let (message, help) = explain_toml_error(err.message());
            FileError::new(path, message)
                .at(&source, err.span())
                .with_optional_help(help)
        })?;
        validate(&settings).map_err(|err| err.into_file_error(path, &source))?;
        Ok(Config {
            vault_root,
            file: Some(path.to_path_buf()),
            source: Some(source),
            settings,
            selection: Selection::default(),
        })
    }

    /// A path written in the config file (a schema), which is relative to that file's
    /// folder; with no file, to the vault root.
    pub fn resolve_path(&self, relative: &str) -> PathBuf {
        match &self.file {
            Some(file) => folder_of(file).join(relative),
            None => self.vault_root.join(relative),
        }
    }
}

/// The folder holding `file` (`.` for a bare file name).
fn folder_of(file: &Path) -> &Path {
    file.parent()
        .filter(|dir| !dir.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// A problem found after parsing, pointing at a span of the config file.
pub struct SpannedError {
    pub span: std::ops::Range<usize>,
    pub message: String,
    pub help: Option<String>,
}

impl SpannedError {
    pub fn into_file_error(self, path: &Path, source: &str) -> FileError {
        FileError::new(path, self.message)
            .at(source, Some(self.span))
            .with_optional_help(self.help)
    }
}

/// Turns toml/serde messages into notelint's voice, with a did-you-mean for unknown keys.
fn explain_toml_error(message: &str) -> (String, Option<String>) {
    let message = message.trim();
    if let Some((message, help)) = message.split_once(HELP_MARK) {
        return (message.to_owned(), Some(help.to_owned()));
    }
    let Some(rest) = message
        .strip_prefix("unknown field `")
        .or_else(|| message.strip_prefix("unknown variant `"))
    else {
        return (message.to_owned(), None);
    };
    let is_field = message.starts_with("unknown field");
    let Some((unknown, expected)) = rest.split_once('`') else {
        return (message.to_owned(), None);
    };
    let candidates: Vec<&str> = expected
        .split('`')
        .skip(1)
        .step_by(2)
        .filter(|name| !name.is_empty())
        .collect();
    let what = if is_field { "key" } else { "value" };
    let help = match suggest::closest(unknown, candidates.iter().copied()) {
        Some(best) => format!("did you mean `{best}`?"),
        None if candidates.is_empty() => return (format!("unknown {what} `{unknown}`"), None),
        None => format!("expected {}", suggest::one_of(&candidates)),
    };
    (format!("unknown {what} `{unknown}`"), Some(help))
}

/// Checks that need the whole parsed file: globs compile, formats are known.
fn validate(settings: &ConfigFile) -> Result<(), SpannedError> {
    let globs = settings
        .vault
        .exclude
        .iter()
        .chain(&settings.vault.roots)
        .chain(settings.schema.paths.iter().map(|p| &p.glob))
        .chain(settings.overrides.iter().flat_map(|o| &o.paths));
    for glob in globs {
        compile_glob(glob)?;
    }
    for pattern in &settings.tags.allowed {
        compile_glob(pattern)?;
    }
    let review = &settings.review.tag;
    let name = review
        .get_ref()
        .strip_prefix('#')
        .unwrap_or(review.get_ref());
    if let Some(invalid) = crate::note::tag::why_invalid(name) {
        return Err(SpannedError {
            span: review.span(),
            message: format!(
                "review tag `{}` is not a valid tag: it {}",
                review.get_ref(),
                invalid.reason
            ),
            help: Some(invalid.help.to_owned()),
        });
    }
    Ok(())
}

/// Compiles a vault-relative glob; `*` does not cross `/`, `**` does.
pub fn compile_glob(glob: &Spanned<String>) -> Result<Glob, SpannedError> {
    globset::GlobBuilder::new(glob.get_ref())
        .literal_separator(true)
        .backslash_escape(true)
        .build()
        .map_err(|err| SpannedError {
            span: glob.span(),
            message: format!("invalid glob `{}`: {}", glob.get_ref(), err.kind()),
            help: None,
        })
}

/// A set of globs compiled together; errors were already reported by `validate`.
pub fn glob_set<'a>(globs: impl IntoIterator<Item = &'a Spanned<String>>) -> GlobSet {
    let mut builder = GlobSetBuilder::new();
    for glob in globs {
        if let Ok(glob) = compile_glob(glob) {
            builder.add(glob);
        }
    }
    builder.build().unwrap_or_else(|_| GlobSet::empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<ConfigFile, toml::de::Error> {
        toml::from_str(text)
    }

    #[test]
    fn empty_file_gives_the_embedded_defaults() {
        let settings = parse("").expect("empty config parses");
        assert_eq!(settings.vault.extensions, ["md"]);
        assert_eq!(settings.schema.type_field, "type");
        assert_eq!(settings.tags.fields, ["tags"]);
        assert_eq!(settings.review.tag.get_ref(), "needs-review");
        assert!(settings.links.enabled && settings.links.headings && !settings.links.aliases);
    }

    #[test]
    fn unknown_key_gets_a_did_you_mean() {
        let err = parse("[vault]\nexlude = []\n").expect_err("unknown key");
        let (message, help) = explain_toml_error(err.message());
        assert_eq!(message, "unknown key `exlude`");
        assert_eq!(help.as_deref(), Some("did you mean `exclude`?"));
        assert_eq!(err.span(), Some(8..14));
    }

    #[test]
    fn an_unusable_date_format_is_an_error_at_its_value() {
        for (format, needle) in [
            ("%K", "is not a valid strftime pattern"),
            ("%Y-%m", "does not describe a whole date"),
            ("%c", "cannot be used to read dates"),
            ("datetme", "did you mean `datetime`?"),
        ] {
            let text = format!("[dates]\nformat = \"{format}\"\n");
            let err = parse(&text).expect_err(format);
            let (message, help) = explain_toml_error(err.message());
            assert!(message.starts_with(&format!("`{format}` ")), "{message}");
            assert!(message.contains(needle), "{message}");
            assert!(help.is_some_and(|h| h.contains("strftime")), "{format}");
            assert_eq!(err.span(), Some(17..19 + format.len()), "{format}");
        }
        let settings = parse("[dates]\nformat = \"%m/%d/%Y\"\n").expect("a usable pattern");
        assert_eq!(settings.dates.format, Format::new("%m/%d/%Y"));
    }
}
