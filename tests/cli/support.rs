//! A throwaway vault on disk and a way to run the binary in it.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use tempfile::TempDir;

/// A temporary vault built file by file, with a cache folder of its own outside it (so
/// every run after the first in a test also goes through the persistent cache, and no
/// test touches the user's cache).
pub struct Vault {
    dir: TempDir,
    cache: TempDir,
}

/// What a run printed and how it exited.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Vault {
    pub fn new() -> Vault {
        Vault {
            dir: tempfile::Builder::new()
                .prefix("notelint-test")
                .tempdir()
                .expect("temp dir"),
            cache: tempfile::Builder::new()
                .prefix("notelint-cache")
                .tempdir()
                .expect("temp dir"),
        }
    }

    /// The cache folder the runs use (`NOTELINT_CACHE_DIR`).
    pub fn cache_dir(&self) -> &Path {
        self.cache.path()
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes a file (creating folders) and returns the vault for chaining.
    pub fn file(self, rel: &str, content: impl AsRef<[u8]>) -> Vault {
        let path = self.dir.path().join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create folders");
        }
        std::fs::write(&path, content).expect("write fixture");
        self
    }

    pub fn abs(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// Runs `notelint ARGS` in the vault's folder with a clean environment.
    pub fn run(&self, args: &[&str]) -> Run {
        self.run_in(self.path(), args)
    }

    pub fn run_in(&self, cwd: &Path, args: &[&str]) -> Run {
        let output = self.command(cwd, args).output().expect("binary runs");
        self.finish(&output)
    }

    /// Runs `notelint ARGS` in the vault's folder with `stdin` on standard input.
    pub fn run_with_stdin(&self, args: &[&str], stdin: impl Into<Vec<u8>>) -> Run {
        let output = self
            .command(self.path(), args)
            .write_stdin(stdin)
            .output()
            .expect("binary runs");
        self.finish(&output)
    }

    /// The command `run` runs, for tests that need to set it up further.
    pub fn command(&self, cwd: &Path, args: &[&str]) -> Command {
        let mut command = Command::cargo_bin("notelint").expect("binary built");
        command
            .args(args)
            .current_dir(cwd)
            .env_remove("NO_COLOR")
            .env_remove("CI")
            .env_remove("NOTELINT_FORMAT")
            .env("NOTELINT_CACHE_DIR", self.cache.path())
            .env("COLUMNS", "100");
        command
    }

    /// What a finished run printed, with the vault's path replaced by `[VAULT]`.
    pub fn finish(&self, output: &std::process::Output) -> Run {
        let root = self.path().to_string_lossy().into_owned();
        let clean = |bytes: &[u8]| String::from_utf8_lossy(bytes).replace(&root, "[VAULT]");
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: clean(&output.stdout),
            stderr: clean(&output.stderr),
        }
    }
}

impl Run {
    /// Exit code, stdout and stderr in one string for a snapshot.
    pub fn transcript(&self) -> String {
        let mut text = format!("exit: {}\n", self.code);
        if !self.stdout.is_empty() {
            text.push_str("--- stdout\n");
            text.push_str(&self.stdout);
        }
        if !self.stderr.is_empty() {
            text.push_str("--- stderr\n");
            text.push_str(&self.stderr);
        }
        text
    }
}

/// A small people schema used by several tests.
pub const PEOPLE_SCHEMA: &str = r#"{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "type": "object",
  "required": ["type", "title", "created"],
  "additionalProperties": false,
  "properties": {
    "type": { "const": "people" },
    "title": { "type": "string", "minLength": 1 },
    "created": { "$ref": "common.schema.json#/$defs/date" },
    "last_contact": { "$ref": "common.schema.json#/$defs/date" },
    "status": { "enum": ["active", "inactive"] },
    "email": { "type": "string", "format": "email" },
    "company": { "type": "string", "pattern": "^\\[\\[.+\\]\\]$" },
    "auto_created": { "type": "boolean" },
    "tags": { "type": "array", "items": { "type": "string" }, "minItems": 1 },
    "address": {
      "type": "object",
      "required": ["city"],
      "properties": { "city": { "type": "string" }, "zip": { "type": "string" } }
    },
    "roles": {
      "type": "array",
      "items": { "type": "object", "required": ["name"], "properties": { "name": { "type": "string" } } }
    }
  }
}"#;

pub const COMMON_SCHEMA: &str = r#"{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "$defs": { "date": { "type": "string", "format": "date" } }
}"#;

pub const PEOPLE_CONFIG: &str = r#"[schema]
type_field = "type"
types = { people = "schemas/people.schema.json" }
"#;

/// A vault with the people schema configured.
pub fn people_vault() -> Vault {
    Vault::new()
        .file("notelint.toml", PEOPLE_CONFIG)
        .file("schemas/people.schema.json", PEOPLE_SCHEMA)
        .file("schemas/common.schema.json", COMMON_SCHEMA)
}
