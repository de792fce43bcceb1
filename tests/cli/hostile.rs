//! Hostile inputs through the real binary (SPEC 10, issue 7): every file gives a clear
//! diagnostic or a clean pass, never a panic, a hang or unbounded memory; nothing outside
//! the vault is read, followed or resolved; no network.
//!
//! The inputs are generated here (some are megabytes), one vault holds them all. Each runs
//! on its own with a timeout and, on Linux, under an address-space limit; the whole vault
//! runs once more for a snapshot, and `fix` over it must leave every file it cannot parse
//! byte-for-byte alone. `materialize_one_vault_per_input` (ignored) writes one vault per
//! input for the measurements in RELIABILITY.md.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use assert_cmd::Command;
use insta::assert_snapshot;

use crate::support::Vault;

/// Per run: generous for a debug build on a busy machine, still far from a hang.
const TIMEOUT: Duration = Duration::from_secs(20);

/// Address-space limit for a run, in KiB (`ulimit -v`): 2 GiB. A debug build linting the
/// largest input here stays well under 200 MB of resident memory; an unbounded expansion
/// would hit the limit and abort instead of passing.
#[cfg(target_os = "linux")]
const ADDRESS_SPACE_KIB: u64 = 2 * 1024 * 1024;

/// A marker that exists only in files outside the vault; it must never be printed.
const SECRET: &str = "NOTELINT-SECRET-7f3a9c-MUST-NEVER-BE-READ";

/// What a hostile file must produce.
#[derive(Debug, Clone, Copy)]
enum Expect {
    /// No finding in this file.
    Clean,
    /// At least these codes, and nothing else, in this file.
    Codes(&'static [&'static str]),
    /// Not a note of the vault (a symlink): never linted, never listed.
    Skipped,
}

/// One hostile file: its name (bytes, since some names are not UTF-8), how to create it,
/// and what it must give.
struct Input {
    /// Short label for messages and RELIABILITY.md.
    label: &'static str,
    name: Vec<u8>,
    kind: Kind,
    expect: Expect,
}

enum Kind {
    File(Vec<u8>),
    /// A symlink to this target (absolute or relative to the vault).
    Symlink(PathBuf),
    /// A named pipe: reading it would block forever.
    Fifo,
}

fn file(label: &'static str, name: &str, content: impl Into<Vec<u8>>, expect: Expect) -> Input {
    Input {
        label,
        name: name.as_bytes().to_vec(),
        kind: Kind::File(content.into()),
        expect,
    }
}

fn frontmatter(yaml: &str) -> String {
    format!("---\n{yaml}---\n# Body\n")
}

/// Deterministic bytes that are not UTF-8 (xorshift; the first byte is a lone continuation).
fn random_bytes(len: usize) -> Vec<u8> {
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut out = Vec::with_capacity(len);
    out.push(0x80);
    while out.len() < len {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        out.extend_from_slice(&state.to_le_bytes());
    }
    out.truncate(len);
    out
}

/// Billion laughs: 9 levels of 10 aliases each would expand to 10^9 nodes.
fn alias_bomb() -> String {
    let mut yaml = String::from("a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    let mut previous = 'a';
    for name in 'b'..='i' {
        let refs = vec![format!("*{previous}"); 10].join(", ");
        yaml.push_str(&format!("{name}: &{name} [{refs}]\n"));
        previous = name;
    }
    frontmatter(&yaml)
}

/// Every hostile note of the vault. `outside` is a folder outside the vault.
fn inputs(outside: &Path) -> Vec<Input> {
    use Expect::*;
    let mut all = vec![
        file("empty file", "empty.md", "", Clean),
        file("BOM only", "bom-only.md", "\u{feff}", Clean),
        file(
            "lone `---`",
            "lone-dashes.md",
            "---",
            Codes(&["frontmatter/unclosed"]),
        ),
        file(
            "unclosed frontmatter, 50,001 lines",
            "unclosed-50k-lines.md",
            format!(
                "---\n{}",
                (0..50_000)
                    .map(|i| format!("key{i}: value\n"))
                    .collect::<String>()
            ),
            Codes(&["frontmatter/unclosed"]),
        ),
        file(
            "random binary data, 64 KiB",
            "binary.md",
            random_bytes(64 * 1024),
            Codes(&["io/unreadable"]),
        ),
        file(
            "NUL bytes in frontmatter and body",
            "nul-bytes.md",
            "---\ntitle: a\0b\n---\nbody \0 with [[NUL\0link]] and #tag\0x\n",
            Codes(&["frontmatter/syntax", "links/broken"]),
        ),
        file(
            "invalid UTF-8 in frontmatter",
            "invalid-utf8-frontmatter.md",
            b"---\ntitle: caf\xe9\n---\nbody\n".to_vec(),
            Codes(&["io/unreadable"]),
        ),
        file(
            "invalid UTF-8 in body",
            "invalid-utf8-body.md",
            b"---\ntitle: ok\n---\nbody \xff\xfe [[link]]\n".to_vec(),
            Codes(&["io/unreadable"]),
        ),
        file(
            "a 10 MB line",
            "long-line.md",
            format!("{}\n", "lorem ipsum ".repeat(10_000_000 / 12)),
            Clean,
        ),
        file(
            "200,000 unbalanced `[[`",
            "unbalanced-brackets.md",
            format!("{}\n", "[[".repeat(200_000)),
            Clean,
        ),
        file(
            "100,000 unclosed `[a](`",
            "unclosed-markdown-links.md",
            format!("{}\n", "[a](".repeat(100_000)),
            Clean,
        ),
        file(
            "300,000 inline tags",
            "inline-tags.md",
            (0..30_000)
                .map(|line| {
                    let tags: Vec<String> =
                        (0..10).map(|i| format!("#tag{}", line * 10 + i)).collect();
                    format!("{}\n", tags.join(" "))
                })
                .collect::<String>(),
            Clean,
        ),
        file(
            "YAML nested 20,000 deep (flow sequences)",
            "deep-flow-seq.md",
            frontmatter(&format!(
                "a: {}{}\n",
                "[".repeat(20_000),
                "]".repeat(20_000)
            )),
            Codes(&["frontmatter/too-large"]),
        ),
        file(
            "YAML nested 20,000 deep (flow mappings)",
            "deep-flow-map.md",
            frontmatter(&format!(
                "a: {}x{}\n",
                "{a: ".repeat(20_000),
                "}".repeat(20_000)
            )),
            Codes(&["frontmatter/too-large"]),
        ),
        file(
            "YAML nested 20,000 deep (block sequences)",
            "deep-block-seq.md",
            frontmatter(&format!("a:\n{}x\n", "- ".repeat(20_000))),
            Codes(&["frontmatter/too-large"]),
        ),
        file(
            "YAML nested 1,000 deep (block mappings)",
            "deep-block-map.md",
            frontmatter(
                &(0..1_000)
                    .map(|depth| format!("{}k{depth}:\n", " ".repeat(depth)))
                    .collect::<String>(),
            ),
            Codes(&["frontmatter/too-large"]),
        ),
        file(
            "collection keys nested 120 deep (`? [{? [{...`)",
            "nested-keys.md",
            frontmatter(&format!(
                "? {}a: b{}\n: v\n",
                "[{".repeat(120),
                "}]".repeat(120)
            )),
            Clean,
        ),
        file(
            "alias bomb (billion laughs)",
            "alias-bomb.md",
            alias_bomb(),
            Codes(&["frontmatter/too-large"]),
        ),
        file(
            "2 MB frontmatter",
            "huge-frontmatter.md",
            frontmatter(
                &(0..120_000)
                    .map(|i| format!("key{i:06}: value\n"))
                    .collect::<String>(),
            ),
            Codes(&["frontmatter/too-large"]),
        ),
        file(
            "YAML tags (`!!binary`, `!foo`, verbatim, `!!set`)",
            "yaml-tags.md",
            frontmatter(
                "data: !!binary R0lGODlhAQABAAAAACw=\ncustom: !foo bar\n\
                 verbatim: !<tag:example.com,2000:x> y\nset: !!set {a, b}\n\
                 number: !!str 123\nmap: !!map {k: v}\n",
            ),
            Clean,
        ),
        file(
            "complex and non-string keys",
            "complex-keys.md",
            frontmatter(
                "? [a, b]\n: sequence key\n? {x: 1}\n: mapping key\n1: int key\n\
                 true: bool key\nnull: null key\n1.5: float key\n? |\n  block key\n: v\n",
            ),
            Clean,
        ),
        file(
            "tabs in indentation",
            "tabs.md",
            "---\ntitle:\tA\nlist:\n\t- a\n---\n\tindented body #tag\n",
            Codes(&["frontmatter/syntax"]),
        ),
        file(
            "multi-document frontmatter",
            "multi-document.md",
            frontmatter("a: 1\n--- # a second document\nb: 2\n"),
            Codes(&["frontmatter/syntax"]),
        ),
        file(
            "CR-only line endings",
            "cr-only.md",
            "---\rtitle: A\rtags: [x]\r---\r# Heading\rText [[Missing]]\r",
            Codes(&["links/broken"]),
        ),
        file(
            "bidi control characters in the file name",
            "bidi-\u{202e}dm.txt.md",
            "---\ntitle: [unclosed\n---\n",
            Codes(&["frontmatter/syntax"]),
        ),
        file(
            "links that climb out of the vault",
            "containment.md",
            "[up](../../outside.md) [[../../../etc/passwd]] [abs](/etc/passwd) \
             ![[../../outside.md]] [[x]] [[linked-dir/secret]] [enc](..%2F..%2Foutside.md) \
             [file](file:///etc/passwd)\n",
            Codes(&["links/broken"]),
        ),
        file(
            "schema `pattern: ^(a+)+$` against 100,000 `a`s and a `b`",
            "backtracking.md",
            frontmatter(&format!(
                "type: backtrack\nname: {}b\n",
                "a".repeat(100_000)
            )),
            Codes(&["schema/pattern"]),
        ),
        Input {
            label: "symlink `x.md` to a file outside the vault",
            name: b"x.md".to_vec(),
            kind: Kind::Symlink(outside.join("secret.md")),
            expect: Skipped,
        },
        Input {
            label: "symlink to a folder outside the vault",
            name: b"linked-dir".to_vec(),
            kind: Kind::Symlink(outside.to_path_buf()),
            expect: Skipped,
        },
        Input {
            label: "symlink loop (two files)",
            name: b"loop-a.md".to_vec(),
            kind: Kind::Symlink(PathBuf::from("loop-b.md")),
            expect: Skipped,
        },
        Input {
            label: "symlink loop (second file)",
            name: b"loop-b.md".to_vec(),
            kind: Kind::Symlink(PathBuf::from("loop-a.md")),
            expect: Skipped,
        },
        Input {
            label: "symlink loop (folder to its parent)",
            name: b"loop-dir".to_vec(),
            kind: Kind::Symlink(PathBuf::from(".")),
            expect: Skipped,
        },
        Input {
            label: "dangling symlink",
            name: b"dangling.md".to_vec(),
            kind: Kind::Symlink(PathBuf::from("/nonexistent/notelint/nowhere.md")),
            expect: Skipped,
        },
    ];
    if !cfg!(unix) {
        all.retain(|input| matches!(input.kind, Kind::File(_)));
    }
    if cfg!(unix) {
        all.push(Input {
            label: "named pipe `fifo.md` (a read would block forever)",
            name: b"fifo.md".to_vec(),
            kind: Kind::Fifo,
            expect: Skipped,
        });
    }
    if cfg!(target_os = "linux") {
        // Other systems refuse names that are not UTF-8 (macOS) or not UTF-16 (Windows).
        all.push(Input {
            label: "file name that is not UTF-8",
            name: b"not-utf8-\xff\xfe.md".to_vec(),
            kind: Kind::File(b"---\ntitle: [unclosed\n---\n".to_vec()),
            expect: Expect::Codes(&["frontmatter/syntax"]),
        });
    }
    all
}

const BACKTRACK_SCHEMA: &str =
    r#"{"type": "object", "properties": {"name": {"type": "string", "pattern": "^(a+)+$"}}}"#;

/// The hostile vault, with its notelint.toml and the folder outside it.
struct Hostile {
    vault: Vault,
    outside: tempfile::TempDir,
    inputs: Vec<Input>,
}

fn hostile_vault() -> Hostile {
    let outside = tempfile::Builder::new()
        .prefix("notelint-outside")
        .tempdir()
        .expect("temp dir");
    // A note outside the vault that would give findings (and print the marker in a
    // snippet) if it were ever read.
    let secret = format!("---\nsecret: [{SECRET}\n---\n{SECRET} [[{SECRET}]]\n");
    std::fs::write(outside.path().join("secret.md"), &secret).expect("write secret");
    std::fs::write(outside.path().join("outside.md"), &secret).expect("write secret");
    // A config there would make it a vault root if discovery went through `linked-dir`.
    std::fs::write(outside.path().join("notelint.toml"), "").expect("write config");
    let vault = Vault::new()
        .file(
            "notelint.toml",
            "[schema.types]\nbacktrack = \"schemas/backtrack.schema.json\"\n",
        )
        .file("schemas/backtrack.schema.json", BACKTRACK_SCHEMA);
    let inputs = inputs(outside.path());
    for input in &inputs {
        create(vault.path(), input);
    }
    Hostile {
        vault,
        outside,
        inputs,
    }
}

fn os_name(name: &[u8]) -> PathBuf {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        PathBuf::from(std::ffi::OsStr::from_bytes(name))
    }
    #[cfg(not(unix))]
    {
        PathBuf::from(String::from_utf8_lossy(name).into_owned())
    }
}

fn create(root: &Path, input: &Input) {
    let path = root.join(os_name(&input.name));
    match &input.kind {
        Kind::File(content) => std::fs::write(&path, content).expect("write input"),
        Kind::Symlink(target) => symlink(target, &path),
        Kind::Fifo => {
            let made = std::process::Command::new("mkfifo").arg(&path).status();
            assert!(made.is_ok_and(|s| s.success()), "mkfifo {}", path.display());
        }
    }
}

#[cfg(unix)]
fn symlink(target: &Path, link: &Path) {
    std::os::unix::fs::symlink(target, link).expect("symlink");
}

#[cfg(not(unix))]
fn symlink(_target: &Path, _link: &Path) {}

/// A run of the binary with a timeout (and an address-space limit on Linux).
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    elapsed: Duration,
}

fn run(root: &Path, args: &[&std::ffi::OsStr]) -> Run {
    let binary = assert_cmd::cargo::cargo_bin("notelint");
    #[cfg(target_os = "linux")]
    let mut command = {
        let mut command = Command::new("/bin/sh");
        command
            .arg("-c")
            .arg(format!(
                "ulimit -v {ADDRESS_SPACE_KIB} && exec \"$0\" \"$@\""
            ))
            .arg(&binary);
        command
    };
    #[cfg(not(target_os = "linux"))]
    let mut command = Command::new(&binary);
    let started = Instant::now();
    let output = command
        .args(args)
        .current_dir(root)
        .env_remove("NO_COLOR")
        .env_remove("CI")
        .env_remove("NOTELINT_FORMAT")
        .env("COLUMNS", "100")
        .timeout(TIMEOUT)
        .output()
        .expect("binary runs");
    let root_text = root.to_string_lossy().into_owned();
    let clean = |bytes: &[u8]| String::from_utf8_lossy(bytes).replace(&root_text, "[VAULT]");
    Run {
        code: output.status.code(),
        stdout: clean(&output.stdout),
        stderr: clean(&output.stderr),
        elapsed: started.elapsed(),
    }
}

impl Run {
    fn transcript(&self) -> String {
        format!(
            "exit: {:?}\n--- stdout\n{}--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }

    /// Exited by itself (no timeout, no signal), without a panic.
    fn assert_sane(&self, what: &str) {
        assert!(
            self.elapsed < TIMEOUT,
            "{what}: still running after {TIMEOUT:?} (a hang)"
        );
        assert!(
            !self.stderr.contains("panicked") && self.code != Some(101),
            "{what}: panicked\n{}",
            self.transcript()
        );
        assert!(
            self.code.is_some(),
            "{what}: killed by a signal (out of memory?)\n{}",
            self.transcript()
        );
        for secret in [SECRET, "root:x:0:0"] {
            assert!(
                !self.stdout.contains(secret) && !self.stderr.contains(secret),
                "{what}: printed a file from outside the vault\n{}",
                self.transcript()
            );
        }
    }
}

/// The concise lines about `name` in a run's output, and their codes.
fn codes_for<'a>(output: &'a str, name: &str) -> Vec<&'a str> {
    output
        .lines()
        .filter(|line| line.starts_with(&format!("{name}:")))
        .filter_map(|line| {
            let start = line.find('[')? + 1;
            let end = start + line[start..].find(']')?;
            Some(&line[start..end])
        })
        .collect()
}

fn check_expectation(input: &Input, output: &str, what: &str) {
    // Output escapes control and bidi characters in paths as `\u{..}`.
    let shown: String = String::from_utf8_lossy(&input.name)
        .chars()
        .map(|c| match c {
            '\u{202e}' => "\\u{202e}".to_owned(),
            c => c.to_string(),
        })
        .collect();
    let codes = codes_for(output, &shown);
    match input.expect {
        Expect::Clean | Expect::Skipped => assert!(
            codes.is_empty(),
            "{what}: {} ({shown}) should give no finding, got {codes:?}\n{output}",
            input.label
        ),
        Expect::Codes(wanted) => {
            for code in wanted {
                assert!(
                    codes.contains(code),
                    "{what}: {} ({shown}) should give {code}, got {codes:?}\n{output}",
                    input.label
                );
            }
            for code in &codes {
                assert!(
                    wanted.contains(code),
                    "{what}: {} ({shown}) gave an unexpected {code}\n{output}",
                    input.label
                );
            }
        }
    }
}

/// Each input linted on its own (`check FILE`, resolving against the whole vault).
#[test]
fn each_hostile_file_gives_a_diagnostic_or_passes() {
    let hostile = hostile_vault();
    let root = hostile.vault.path();
    for input in &hostile.inputs {
        let name = os_name(&input.name);
        let run = run(
            root,
            &[
                "check".as_ref(),
                "--format".as_ref(),
                "concise".as_ref(),
                name.as_os_str(),
            ],
        );
        run.assert_sane(input.label);
        let expected_code = match input.expect {
            Expect::Codes(_) => 1,
            Expect::Clean | Expect::Skipped => 0,
        };
        assert_eq!(
            run.code,
            Some(expected_code),
            "{}: exit code\n{}",
            input.label,
            run.transcript()
        );
        check_expectation(input, &run.stdout, input.label);
        if matches!(input.expect, Expect::Skipped) {
            assert!(
                run.stdout.contains("in 0 notes") || run.stdout.is_empty(),
                "{}: a symlink is never linted\n{}",
                input.label,
                run.transcript()
            );
        }
    }
}

/// The whole hostile vault at once, as CI would run it on an untrusted pull request.
#[test]
fn whole_hostile_vault_snapshot() {
    let hostile = hostile_vault();
    let root = hostile.vault.path();
    let run = run(
        root,
        &["check".as_ref(), "--format".as_ref(), "concise".as_ref()],
    );
    run.assert_sane("whole vault");
    assert_eq!(run.code, Some(1), "{}", run.transcript());
    for input in &hostile.inputs {
        check_expectation(input, &run.stdout, "whole vault");
    }
    assert!(
        !run.stdout.contains("secret.md") && !run.stdout.contains("outside.md:"),
        "nothing outside the vault is linted\n{}",
        run.transcript()
    );
    // notelint escapes control and bidi characters itself; escaping again here only
    // guarantees the snapshot stays a readable text file.
    assert_snapshot!(escape_controls(&run.transcript()));
}

fn escape_controls(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\n' => "\n".to_owned(),
            c if c.is_control() || ('\u{202a}'..='\u{202e}').contains(&c) => {
                format!("<U+{:04X}>", u32::from(c))
            }
            c => c.to_string(),
        })
        .collect()
}

/// `fix` over the hostile vault: no panic, and every file it cannot parse (or read as
/// UTF-8) stays byte-for-byte as it was; symlinks stay symlinks and their targets are
/// untouched.
#[test]
fn fix_never_damages_hostile_files() {
    let hostile = hostile_vault();
    let root = hostile.vault.path();
    let before: Vec<(PathBuf, Option<Vec<u8>>)> = hostile
        .inputs
        .iter()
        .map(|input| {
            let path = root.join(os_name(&input.name));
            let bytes = match input.kind {
                Kind::File(_) => Some(std::fs::read(&path).expect("read input")),
                Kind::Symlink(_) | Kind::Fifo => None,
            };
            (path, bytes)
        })
        .collect();
    let secret_before =
        std::fs::read(hostile.outside.path().join("secret.md")).expect("read secret");
    let run = run(
        root,
        &["fix".as_ref(), "--format".as_ref(), "concise".as_ref()],
    );
    run.assert_sane("fix");
    assert_eq!(run.code, Some(1), "{}", run.transcript());
    for (input, (path, bytes)) in hostile.inputs.iter().zip(&before) {
        match bytes {
            Some(bytes) => {
                // Nothing here has a safe fix that applies: every file stays as it was.
                let now = std::fs::read(path).expect("input still there");
                assert!(&now == bytes, "{}: fix changed the file", input.label);
            }
            None if cfg!(unix) => {
                let meta = std::fs::symlink_metadata(path).expect("still there");
                assert!(
                    !meta.is_file(),
                    "{}: replaced by a regular file",
                    input.label
                );
            }
            None => {}
        }
    }
    assert_eq!(
        std::fs::read(hostile.outside.path().join("secret.md")).expect("read secret"),
        secret_before
    );
    let leftovers: Vec<_> = std::fs::read_dir(root)
        .expect("list")
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
}

/// Links out of the vault are reported and never resolved; a symlinked note is not a link
/// target (it is not indexed), so `[[x]]` is broken although `x.md` exists as a symlink.
#[test]
fn links_that_climb_out_are_reported_never_followed() {
    let hostile = hostile_vault();
    let root = hostile.vault.path();
    let run = run(
        root,
        &[
            "check".as_ref(),
            "--format".as_ref(),
            "concise".as_ref(),
            "containment.md".as_ref(),
        ],
    );
    run.assert_sane("containment");
    let lines: Vec<&str> = run
        .stdout
        .lines()
        .filter(|l| l.starts_with("containment.md:"))
        .collect();
    let leaving = lines
        .iter()
        .filter(|l| l.contains("leaves the vault"))
        .count();
    assert_eq!(
        leaving,
        4,
        "`../../outside.md` (three spellings) and `../../../etc/passwd` leave the vault\n{}",
        run.transcript()
    );
    for target in [
        "`/etc/passwd`",
        "`x`",
        "`linked-dir/secret`",
        "`../../outside.md`",
        "`file:///etc/passwd`",
    ] {
        assert!(
            lines.iter().any(|l| l.contains(target)),
            "{target} is reported\n{}",
            run.transcript()
        );
    }
    assert_eq!(
        lines.len(),
        8,
        "every link is reported\n{}",
        run.transcript()
    );
}

/// A config that raises `max_depth` to its ceiling (1,000) still cannot make notelint
/// overflow its stack (which aborts the process): nesting stops at the ceiling of 1,000
/// levels, and trees up to it go through every recursive consumer (JSON conversion, a
/// schema that recurses with the data, frontmatter links) on worker threads.
#[test]
fn raised_depth_bound_is_capped_safely() {
    let recursive_schema = r##"{"type": "object", "additionalProperties": {"$ref": "#/$defs/any"},
        "$defs": {"any": {"anyOf": [
            {"type": "array", "items": {"$ref": "#/$defs/any"}},
            {"type": "object", "additionalProperties": {"$ref": "#/$defs/any"}},
            {"type": "string"}]}}}"##;
    let mut vault = Vault::new()
        .file(
            "notelint.toml",
            "[frontmatter]\nmax_depth = 1000\n[links]\nfrontmatter = true\n\
             [schema]\ndefault = \"s.json\"\n",
        )
        .file("s.json", recursive_schema)
        .file(
            "too-deep.md",
            frontmatter(&format!(
                "a: {}{}\n",
                "[".repeat(20_000),
                "]".repeat(20_000)
            )),
        );
    let at_ceiling = [
        format!("a: {}\"[[x]]\"{}\n", "[".repeat(998), "]".repeat(998)),
        format!("a: {}x{}\n", "{a: ".repeat(999), "}".repeat(999)),
        format!("? {}{}\n: v\n", "[".repeat(999), "]".repeat(999)),
    ];
    for (i, yaml) in at_ceiling.iter().enumerate() {
        // Several notes, so they are parsed on worker threads (2 MiB stacks).
        for copy in 0..3 {
            vault = vault.file(&format!("deep-{i}-{copy}.md"), frontmatter(yaml));
        }
    }
    let run = run(
        vault.path(),
        &["check".as_ref(), "--format".as_ref(), "concise".as_ref()],
    );
    run.assert_sane("raised max_depth");
    assert_eq!(run.code, Some(1), "{}", run.transcript());
    assert!(
        run.stdout
            .contains("too-deep.md:2:1004: error[frontmatter/too-large] frontmatter is nested deeper than 1000 levels"),
        "{}",
        run.transcript()
    );
    let findings = run.stdout.lines().filter(|l| l.contains("error[")).count();
    assert_eq!(
        findings,
        4,
        "the three `[[x]]` links and the too-deep note\n{}",
        run.transcript()
    );
}

/// Naming a file behind a symlink on the command line (as a pre-commit hook or
/// `--files-from` might) reads nothing through the symlink.
#[cfg(unix)]
#[test]
fn named_paths_through_symlinks_are_not_read() {
    let hostile = hostile_vault();
    let root = hostile.vault.path();
    for name in [
        "x.md",
        "linked-dir",
        "linked-dir/secret.md",
        "loop-dir",
        "loop-dir/loop-dir/empty.md",
        "dangling.md",
    ] {
        let run = run(
            root,
            &[
                "check".as_ref(),
                "--format".as_ref(),
                "concise".as_ref(),
                name.as_ref(),
            ],
        );
        run.assert_sane(name);
        assert_eq!(run.code, Some(0), "{name}\n{}", run.transcript());
        assert!(
            !run.stdout.contains("secret"),
            "{name}: nothing through a symlink is linted\n{}",
            run.transcript()
        );
    }
}

/// A note's `$schema` naming a file outside the vault (`/proc/self/environ`,
/// `../../secret.json`) is refused unread: were it read, its first line would be quoted in
/// the "not valid JSON" snippet, environment secrets included.
#[cfg(unix)]
#[test]
fn note_schema_outside_the_vault_is_never_read() {
    let hostile = hostile_vault();
    let outside = hostile.outside.path();
    let sibling = outside
        .file_name()
        .expect("temp dir name")
        .to_string_lossy()
        .into_owned();
    for value in [
        format!("../{sibling}/secret.md"),
        outside.join("secret.md").display().to_string(),
        "/proc/self/environ".to_owned(),
    ] {
        let vault = Vault::new().file("a.md", format!("---\n$schema: {value}\n---\n"));
        let output = Command::cargo_bin("notelint")
            .expect("binary")
            .args(["check", "a.md"])
            .current_dir(vault.path())
            .env("NOTELINT_TEST_SECRET", SECRET)
            .timeout(TIMEOUT)
            .output()
            .expect("runs");
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(!text.contains(SECRET), "`$schema: {value}` leaked:\n{text}");
    }
}

/// A schema's `$ref` is held to the vault (and the configured schemas' folders), and
/// symlinks inside are refused: the secret outside is never read, the run stops with exit
/// 2. A configured schema may live outside the vault (a shared `schemas/` folder), but a
/// file there that is not JSON is never quoted: the config may come from an untrusted change.
#[cfg(unix)]
#[test]
fn schema_refs_and_configured_schemas_stay_inside_the_vault() {
    let hostile = hostile_vault();
    let secret = hostile.outside.path().join("secret.md");
    let secret = secret.display();
    let cases = [
        (
            "[schema]\ndefault = \"s.json\"\n".to_owned(),
            format!(r#"{{"properties": {{"a": {{"$ref": "file://{secret}"}}}}}}"#),
            "reads schemas only inside the vault",
        ),
        (
            format!("[schema]\ndefault = \"{secret}\"\n"),
            "{}".to_owned(),
            "not valid JSON",
        ),
        (
            "[schema]\ndefault = \"s.json\"\n".to_owned(),
            r#"{"properties": {"a": {"$ref": "linked.json"}}}"#.to_owned(),
            "symbolic link",
        ),
    ];
    for (config, schema, expected) in cases {
        let vault = Vault::new()
            .file("notelint.toml", &config)
            .file("s.json", &schema)
            .file("a.md", "---\na: 1\n---\n");
        std::os::unix::fs::symlink(
            hostile.outside.path().join("secret.md"),
            vault.path().join("linked.json"),
        )
        .expect("symlink");
        let run = run(vault.path(), &["check".as_ref()]);
        run.assert_sane(&config);
        assert_eq!(run.code, Some(2), "{config}\n{}", run.transcript());
        assert!(
            run.stderr.contains(expected),
            "{config}\n{}",
            run.transcript()
        );
        assert!(
            !run.transcript().contains(SECRET),
            "{config}\n{}",
            run.transcript()
        );
    }
}

/// A configured schema in a folder that holds the vault (`../shared.json`) is read, but
/// does not open that folder to notes' `$schema`: everything around the vault would be.
#[test]
fn a_schema_beside_the_vault_opens_only_itself() {
    let outer = Vault::new()
        .file("shared.json", r#"{"type": "object"}"#)
        .file(
            "secret/creds.json",
            format!(r#"{{"type": 5, "token": "{SECRET}"}}"#),
        )
        .file(
            "vault/notelint.toml",
            "[schema]\ndefault = \"../shared.json\"\n",
        )
        .file("vault/a.md", "---\n$schema: ../secret/creds.json\n---\n")
        .file("vault/b.md", "---\ntitle: fine\n---\n");
    let run = run(
        &outer.path().join("vault"),
        &["check".as_ref(), "--format".as_ref(), "concise".as_ref()],
    );
    run.assert_sane("schema beside the vault");
    assert_eq!(run.code, Some(2), "{}", run.transcript());
    assert!(
        run.stderr.contains("points outside the vault"),
        "{}",
        run.transcript()
    );
    assert!(!run.transcript().contains(SECRET), "{}", run.transcript());
}

/// Suppression directives are not quadratic: 50,000 `disable`s followed by 50,000
/// `enable`s that close none of them (a 2.7 MB note) finish well inside the timeout.
#[test]
fn many_suppression_directives_are_fast() {
    let note = format!(
        "{}{}",
        "<!-- notelint-disable a -->\n".repeat(50_000),
        "<!-- notelint-enable b -->\n".repeat(50_000)
    );
    let vault = Vault::new().file("notelint.toml", "").file("a.md", note);
    let run = run(
        vault.path(),
        &["check".as_ref(), "--format".as_ref(), "concise".as_ref()],
    );
    run.assert_sane("suppression directives");
}

/// The human format clips each snippet to a window around its label, so N findings on
/// one long line print O(N) bytes, not N x L: 2,000 broken links on a 34 KB line used to
/// print 102 MB.
#[test]
fn human_output_of_long_lines_is_bounded() {
    let vault = Vault::new()
        .file("notelint.toml", "")
        .file("a.md", format!("{}\n", "[[missing-note]] ".repeat(2_000)));
    let run = run(vault.path(), &["check".as_ref()]);
    run.assert_sane("human output");
    assert!(run.stdout.len() < 5_000_000, "{} bytes", run.stdout.len());
}

/// Control and bidi characters from a note (here in link targets, so in messages and
/// snippets) are escaped by the human, concise and github formats: a note cannot send
/// terminal escape sequences or bidi overrides to a terminal or a CI log.
#[test]
fn control_characters_are_not_printed_raw() {
    let vault = Vault::new()
        .file("notelint.toml", "")
        .file("a.md", "[[a\u{1b}]0;pwned\u{7}b]] [[c\u{202e}d]]\n");
    for format in ["human", "concise", "github"] {
        let run = run(
            vault.path(),
            &[
                "check".as_ref(),
                "--format".as_ref(),
                format.as_ref(),
                "--color".as_ref(),
                "never".as_ref(),
            ],
        );
        run.assert_sane(format);
        assert!(
            !run.stdout.contains(['\u{1b}', '\u{7}', '\u{202e}']),
            "{format}: {:?}",
            run.stdout
        );
    }
}

/// A schema whose `$ref` is remote stops the run with exit 2 and a clear message, at once:
/// there is no HTTP client to wait on. Also through a local `$ref` that refers on.
#[test]
fn remote_ref_fails_fast_without_network() {
    for (name, schema) in [
        (
            "direct",
            r#"{"properties": {"a": {"$ref": "https://example.invalid/a.json"}}}"#,
        ),
        (
            "indirect",
            r#"{"properties": {"a": {"$ref": "local.json"}}}"#,
        ),
        (
            "metadata address",
            r#"{"properties": {"a": {"$ref": "http://169.254.169.254/latest/meta-data/"}}}"#,
        ),
    ] {
        let vault = Vault::new()
            .file("notelint.toml", "[schema]\ndefault = \"s.json\"\n")
            .file("s.json", schema)
            .file(
                "local.json",
                r#"{"$ref": "https://example.invalid/b.json"}"#,
            )
            .file("a.md", "---\na: 1\n---\n");
        let run = run(vault.path(), &["check".as_ref()]);
        run.assert_sane(name);
        assert_eq!(run.code, Some(2), "{name}\n{}", run.transcript());
        assert!(
            run.stderr.contains("never reaches the network"),
            "{name}\n{}",
            run.transcript()
        );
        assert!(
            run.elapsed < Duration::from_secs(5),
            "{name}: refused at once, not after a network timeout ({:?})",
            run.elapsed
        );
    }
}

/// Writes one vault per hostile input under `$NOTELINT_HOSTILE_DIR` (`00`, `01`, ..., each
/// with a `LABEL` file), and `all` with every input, for measuring time and peak memory of
/// the release binary per input (see RELIABILITY.md).
#[test]
#[ignore = "writes the inputs for measurement; run explicitly"]
fn materialize_one_vault_per_input() {
    let Some(dir) = std::env::var_os("NOTELINT_HOSTILE_DIR") else {
        return;
    };
    let dir = PathBuf::from(dir);
    let outside = dir.join("outside");
    std::fs::create_dir_all(&outside).expect("create outside");
    let secret = format!("---\nsecret: [{SECRET}\n---\n{SECRET}\n");
    std::fs::write(outside.join("secret.md"), &secret).expect("write");
    std::fs::write(outside.join("outside.md"), &secret).expect("write");
    // Each vault gets a config (so it is the vault root); the schema only where it is used.
    let setup = |vault: &Path, schema: bool| {
        std::fs::create_dir_all(vault.join("schemas")).expect("create vault");
        let config = if schema {
            std::fs::write(
                vault.join("schemas/backtrack.schema.json"),
                BACKTRACK_SCHEMA,
            )
            .expect("write schema");
            "[schema.types]\nbacktrack = \"schemas/backtrack.schema.json\"\n"
        } else {
            ""
        };
        std::fs::write(vault.join("notelint.toml"), config).expect("write config");
    };
    let all = dir.join("all");
    setup(&all, true);
    for (i, input) in inputs(&outside).iter().enumerate() {
        create(&all, input);
        let vault = dir.join(format!("{i:02}"));
        setup(&vault, input.name == b"backtracking.md");
        std::fs::write(vault.join("LABEL"), input.label).expect("write label");
        create(&vault, input);
    }
}
