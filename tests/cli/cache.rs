//! The persistent cache (SPEC 9): results with and without it are identical, it lives
//! outside the vault, and a corrupt, foreign or unwritable cache is ignored.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use proptest::prelude::*;

use crate::support::{COMMON_SCHEMA, PEOPLE_SCHEMA, Vault};

const PATHS: [&str; 5] = ["a.md", "b.md", "People/c.md", "People/d.md", "e.md"];
const TARGETS: [&str; 7] = ["a", "b", "c", "d", "e", "zzz", "People/c"];

/// One note, from a few choices each rule group reacts to.
#[derive(Debug, Clone)]
struct NoteSpec {
    kind: u8,
    created: u8,
    tag: u8,
    auto_created: bool,
    company: Option<usize>,
    links: Vec<(usize, u8)>,
    headings: u8,
    block: bool,
    suppress: bool,
    padding: u8,
}

fn note_spec() -> impl Strategy<Value = NoteSpec> {
    (
        (0u8..4, 0u8..4, 0u8..3, any::<bool>()),
        proptest::option::of(0usize..7),
        proptest::collection::vec((0usize..7, 0u8..4), 0..4),
        (0u8..3, any::<bool>(), any::<bool>(), 0u8..2),
    )
        .prop_map(
            |(
                (kind, created, tag, auto_created),
                company,
                links,
                (headings, block, suppress, padding),
            )| {
                NoteSpec {
                    kind,
                    created,
                    tag,
                    auto_created,
                    company,
                    links,
                    headings,
                    block,
                    suppress,
                    padding,
                }
            },
        )
}

impl NoteSpec {
    fn render(&self) -> String {
        let mut text = String::new();
        if self.kind != 0 {
            text.push_str("---\n");
            match self.kind {
                1 => text.push_str("type: people\ntitle: Person\n"),
                2 => text.push_str("type: company\ntitle: Firm\n"),
                _ => text.push_str("type: [unclosed\n"),
            }
            match self.created {
                1 => text.push_str("created: 2024-05-01\n"),
                2 => text.push_str("created: 2026-06-01\n"),
                3 => text.push_str("created: 2024-02-30\n"),
                _ => {}
            }
            if self.auto_created {
                text.push_str("auto_created: true\n");
            }
            if let Some(company) = self.company {
                text.push_str(&format!("company: \"[[{}]]\"\n", TARGETS[company]));
            }
            let tag = ["ok", "Bad Tag", "needs-review"][usize::from(self.tag)];
            text.push_str(&format!("tags: [{tag}]\n---\n"));
        }
        if self.suppress {
            text.push_str("<!-- notelint-disable links/broken -->\n");
        }
        text.push_str("# Title\n\n");
        for (target, form) in &self.links {
            let target = TARGETS[*target];
            match form {
                0 => text.push_str(&format!("See [[{target}]].\n")),
                1 => text.push_str(&format!("See [[{target}#Context]].\n")),
                2 => text.push_str(&format!("See [[{target}#^b1]].\n")),
                // Target and text swapped (did-you-mean says so when the text is a note).
                _ => text.push_str(&format!("See [[docs|{target}]].\n")),
            }
        }
        if self.headings > 0 {
            text.push_str("\n## Context\n");
        }
        if self.headings > 1 {
            text.push_str("\n## Links\n");
        }
        if self.block {
            text.push_str("\n- an item ^b1\n");
        }
        text.push_str(&"x".repeat(usize::from(self.padding)));
        text
    }
}

#[derive(Debug, Clone)]
enum Op {
    /// Write a note; `past`: with a modification time well before the run (the stat path),
    /// else now (a racily clean entry, checked by content).
    Write {
        note: usize,
        spec: NoteSpec,
        past: bool,
    },
    Delete(usize),
    Rename(usize, usize),
    Config(u8),
    Schema(bool),
    Today(bool),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        5 => (0usize..5, note_spec(), any::<bool>())
            .prop_map(|(note, spec, past)| Op::Write { note, spec, past }),
        1 => (0usize..5).prop_map(Op::Delete),
        1 => (0usize..5, 0usize..5).prop_map(|(a, b)| Op::Rename(a, b)),
        1 => (0u8..4).prop_map(Op::Config),
        1 => any::<bool>().prop_map(Op::Schema),
        1 => any::<bool>().prop_map(Op::Today),
    ]
}

fn config(variant: u8) -> Option<String> {
    let base = "[schema]\ntype_field = \"type\"\ntypes = { people = \"schemas/people.schema.json\" }\n\n\
                [dates]\nnot_after_today = [\"created\"]\n\n[links]\ntargets = { company = \"company\" }\n";
    match variant {
        0 => Some(base.to_owned()),
        1 => Some(format!(
            "{base}\n[review]\non_errors = true\nrequire_when = [{{ auto_created = true }}]\n"
        )),
        2 => Some(format!(
            "{base}\n[[schema.paths]]\nglob = \"People/**\"\nschema = \"schemas/people.schema.json\"\n\n\
             [rules]\ndates = \"warning\"\n\"links/broken\" = \"warning\"\n"
        )),
        _ => None,
    }
}

/// A modification time an hour before now plus `step` seconds: distinct for every write.
fn past(step: u64) -> SystemTime {
    SystemTime::now() - Duration::from_secs(3600) + Duration::from_secs(step)
}

fn write(path: &Path, text: &str, mtime: Option<SystemTime>) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("folders");
    }
    std::fs::write(path, text).expect("write");
    if let Some(mtime) = mtime {
        let file = std::fs::File::options()
            .write(true)
            .open(path)
            .expect("open");
        file.set_modified(mtime).expect("set mtime");
    }
}

/// `check --format json` with and without the cache: (exit code, stdout) of each.
fn both(vault: &Vault, today: &str) -> ((i32, String), (i32, String)) {
    let cold = vault.run(&["check", "--no-cache", "--today", today, "--format", "json"]);
    let cached = vault.run(&["check", "--today", today, "--format", "json"]);
    ((cold.code, cold.stdout), (cached.code, cached.stdout))
}

/// The editor check of the note at `rel` (its text on standard input) with and without
/// the cache (and the vault's listing it keeps).
fn editor_both(vault: &Vault, rel: &str, today: &str) -> ((i32, String), (i32, String)) {
    let text = std::fs::read(vault.abs(rel)).unwrap_or_default();
    let args = [
        "check",
        "--stdin-filename",
        rel,
        "--today",
        today,
        "--format",
        "json",
    ];
    let cold = vault.run_with_stdin(&[&args[..], &["--no-cache"]].concat(), text.clone());
    let cached = vault.run_with_stdin(&args, text);
    ((cold.code, cold.stdout), (cached.code, cached.stdout))
}

/// Sets the folders' modification times to `when`, as if the changes were long done: the
/// listing of a vault is trusted only then.
fn settle_folders(root: &Path, when: SystemTime) {
    for folder in [
        root.to_path_buf(),
        root.join("People"),
        root.join("schemas"),
    ] {
        if let Ok(dir) = std::fs::File::open(&folder) {
            let _ = dir.set_modified(when);
        }
    }
}

/// The per-note cache files in `dir` (not the listings beside them).
fn cache_files(dir: &Path) -> Vec<PathBuf> {
    all_files(dir)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "cache"))
        .collect()
}

fn all_files(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .map(|entries| entries.flatten().map(|e| e.path()).collect())
        .unwrap_or_default()
}

proptest! {
    // 24 cases in the suite; `PROPTEST_CASES` for a longer campaign.
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(24),
        ..ProptestConfig::default()
    })]

    /// Random edits, renames, deletions and changes of the configuration, the schemas and
    /// "today": after each, the JSON report with the cache is byte for byte the one
    /// without it, for the whole vault and for an editor check (which may take the
    /// vault's files from the cache's listing instead of walking).
    #[test]
    fn results_with_and_without_the_cache_are_identical(
        start in proptest::collection::vec(note_spec(), 5),
        ops in proptest::collection::vec(op(), 1..8),
    ) {
        let vault = Vault::new()
            .file("schemas/people.schema.json", PEOPLE_SCHEMA)
            .file("schemas/common.schema.json", COMMON_SCHEMA);
        let root = vault.path().to_path_buf();
        write(&root.join("notelint.toml"), &config(0).unwrap_or_default(), None);
        let mut step = 0;
        for (path, spec) in PATHS.iter().zip(&start) {
            step += 1;
            write(&root.join(path), &spec.render(), Some(past(step)));
        }
        let mut today = "2025-06-01";
        settle_folders(&root, past(step));
        let (cold, cached) = both(&vault, today);
        prop_assert_eq!(&cold, &cached);
        for op in ops {
            step += 1;
            match &op {
                Op::Write { note, spec, past: in_past } => {
                    let mtime = in_past.then(|| past(step));
                    write(&root.join(PATHS[*note]), &spec.render(), mtime);
                }
                Op::Delete(note) => {
                    let _ = std::fs::remove_file(root.join(PATHS[*note]));
                }
                Op::Rename(from, to) => {
                    let _ = std::fs::rename(root.join(PATHS[*from]), root.join(PATHS[*to]));
                }
                Op::Config(variant) => match config(*variant) {
                    Some(text) => write(&root.join("notelint.toml"), &text, None),
                    None => {
                        let _ = std::fs::remove_file(root.join("notelint.toml"));
                    }
                },
                Op::Schema(strict) => {
                    let schema = if *strict {
                        PEOPLE_SCHEMA.to_owned()
                    } else {
                        PEOPLE_SCHEMA.replace("\"additionalProperties\": false,", "")
                    };
                    write(&root.join("schemas/people.schema.json"), &schema, None);
                }
                Op::Today(later) => today = if *later { "2027-01-01" } else { "2025-06-01" },
            }
            // Every other step, the folders look long settled, so the listing is used.
            if step % 2 == 0 {
                settle_folders(&root, past(step));
            }
            let (cold, cached) = both(&vault, today);
            prop_assert_eq!(&cold, &cached, "after {:?}", op);
            let (cold, cached) = editor_both(&vault, PATHS[step as usize % PATHS.len()], today);
            prop_assert_eq!(&cold, &cached, "editor check after {:?}", op);
        }
    }
}

#[test]
fn the_cache_is_kept_outside_the_vault_and_reused() {
    let vault = Vault::new().file("a.md", "# A\n\n[[missing]]\n");
    let listing = |dir: &Path| {
        let mut names: Vec<String> = walk(dir);
        names.sort();
        names
    };
    let before = listing(vault.path());
    let first = vault.run(&["check", "--format", "concise"]);
    assert_eq!(first.code, 1);
    assert_eq!(
        listing(vault.path()),
        before,
        "nothing written in the vault"
    );
    let files = cache_files(vault.cache_dir());
    assert_eq!(files.len(), 1, "{files:?}");
    // And the notes' links, the vault's listing and its did-you-mean index beside it.
    assert_eq!(all_files(vault.cache_dir()).len(), 4);
    // The cache of an unchanged vault is not written again.
    let written = std::fs::metadata(&files[0]).and_then(|m| m.modified()).ok();
    let second = vault.run(&["check", "--format", "concise"]);
    assert_eq!(second.transcript(), first.transcript());
    let again = std::fs::metadata(&files[0]).and_then(|m| m.modified()).ok();
    assert_eq!(written, again);
}

fn walk(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        out.push(path.to_string_lossy().into_owned());
        if path.is_dir() {
            out.extend(walk(&path));
        }
    }
    out
}

#[test]
fn no_cache_neither_reads_nor_writes_it() {
    let vault = Vault::new().file("a.md", "# A\n");
    let run = vault.run(&["check", "--no-cache"]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert!(all_files(vault.cache_dir()).is_empty());
}

/// A note changed in place to the same size with its old modification time looks
/// unchanged to the cache (as to git and make) as long as it has no findings to show
/// (showing them reads the text, which is checked against the cached hash); this is how
/// the tests below tell that an entry was used, or ignored.
fn stale_but_stamped_alike(vault: &Vault) -> (String, String) {
    let path = vault.abs("a.md");
    let old = SystemTime::now() - Duration::from_secs(3600);
    write(&path, "# A\n\n[[a]]\n", Some(old));
    let first = vault.run(&["check", "--format", "concise"]);
    assert_eq!(first.code, 0, "{}", first.transcript());
    write(&path, "# A\n\n[[b]]\n", Some(old));
    let fresh = vault.run(&["check", "--no-cache", "--format", "concise"]);
    assert_eq!(fresh.code, 1, "{}", fresh.transcript());
    (first.stdout, fresh.stdout)
}

#[test]
fn an_entry_is_reused_while_size_time_and_inode_are_unchanged() {
    let vault = Vault::new();
    let (first, fresh) = stale_but_stamped_alike(&vault);
    assert_ne!(first, fresh);
    let cached = vault.run(&["check", "--format", "concise"]);
    // The link is resolved again, but from the links cached for the old text.
    assert_eq!(cached.stdout, first);
}

#[test]
fn a_cache_of_another_format_is_ignored() {
    let vault = Vault::new();
    let (_, fresh) = stale_but_stamped_alike(&vault);
    let files = cache_files(vault.cache_dir());
    let mut bytes = std::fs::read(&files[0]).expect("cache");
    // The format number follows the 8-byte magic; the body's checksum still matches.
    bytes[8..12].copy_from_slice(&999u32.to_le_bytes());
    std::fs::write(&files[0], &bytes).expect("write");
    let run = vault.run(&["check", "--format", "concise"]);
    assert_eq!(run.stdout, fresh);
}

#[test]
fn a_corrupt_cache_is_ignored() {
    let vault = Vault::new();
    let (_, fresh) = stale_but_stamped_alike(&vault);
    let files = cache_files(vault.cache_dir());
    let mut bytes = std::fs::read(&files[0]).expect("cache");
    let last = bytes.len() - 1;
    bytes[last] ^= 0xff;
    std::fs::write(&files[0], &bytes).expect("write");
    let run = vault.run(&["check", "--format", "concise"]);
    assert_eq!(run.stdout, fresh);
    assert_eq!(run.stderr, "");
    // Truncated, or not a cache at all.
    std::fs::write(&files[0], &bytes[..bytes.len() / 2]).expect("write");
    assert_eq!(vault.run(&["check", "--format", "concise"]).stdout, fresh);
    std::fs::write(&files[0], "garbage").expect("write");
    assert_eq!(vault.run(&["check", "--format", "concise"]).stdout, fresh);
}

#[test]
fn an_unwritable_cache_folder_is_no_error() {
    let vault = Vault::new().file("a.md", "# A\n\n[[missing]]\n");
    // The cache folder's place is taken by a file: nothing can be written there.
    let blocked = vault.cache_dir().join("blocked");
    std::fs::write(&blocked, "a file").expect("write");
    let expected = vault.run(&["check", "--no-cache", "--format", "concise"]);
    let run = vault
        .command(vault.path(), &["check", "--format", "concise"])
        .env("NOTELINT_CACHE_DIR", blocked.join("cache"))
        .output()
        .expect("runs");
    let run = vault.finish(&run);
    assert_eq!(run.transcript(), expected.transcript());
}

#[test]
fn a_cache_folder_inside_the_vault_is_not_used() {
    let vault = Vault::new().file("a.md", "# A\n");
    let inside = vault.abs(".cache");
    let run = vault
        .command(vault.path(), &["check"])
        .env("NOTELINT_CACHE_DIR", &inside)
        .output()
        .expect("runs");
    assert_eq!(run.status.code(), Some(0));
    assert!(!inside.exists());
}

#[test]
fn an_editor_check_takes_the_files_from_the_listing_while_it_holds() {
    let vault = Vault::new()
        .file("a.md", "# A\n\n[[b]]\n")
        .file("b.md", "# B\n");
    let old = SystemTime::now() - Duration::from_secs(3600);
    settle_folders(vault.path(), old);
    let editor = |vault: &Vault| {
        vault.run_with_stdin(
            &["check", "--stdin-filename", "a.md", "--format", "concise"],
            "# A\n\n[[b]]\n",
        )
    };
    assert_eq!(vault.run(&["check"]).code, 0);
    assert_eq!(editor(&vault).code, 0);
    // `b.md` deleted: the folder changed, the listing no longer holds.
    std::fs::remove_file(vault.abs("b.md")).expect("delete");
    let run = editor(&vault);
    assert_eq!(run.code, 1, "{}", run.transcript());
    // Deleted with the folder's time put back, the listing looks current: it was used.
    std::fs::write(vault.abs("b.md"), "# B\n").expect("write");
    settle_folders(vault.path(), old);
    assert_eq!(vault.run(&["check"]).code, 0);
    std::fs::remove_file(vault.abs("b.md")).expect("delete");
    settle_folders(vault.path(), old);
    assert_eq!(editor(&vault).code, 0);
    assert_eq!(
        vault
            .run_with_stdin(
                &["check", "--no-cache", "--stdin-filename", "a.md"],
                "# A\n\n[[b]]\n"
            )
            .code,
        1
    );
}

#[test]
fn findings_about_today_follow_today() {
    let vault = Vault::new()
        .file(
            "notelint.toml",
            "[dates]\nnot_after_today = [\"created\"]\n",
        )
        .file("a.md", "---\ncreated: 2026-06-01\n---\n# A\n");
    let early = vault.run(&["check", "--today", "2026-01-01", "--format", "concise"]);
    assert!(early.stdout.contains("dates/future"), "{}", early.stdout);
    assert!(early.stdout.contains("2026-01-01"), "{}", early.stdout);
    let later = vault.run(&["check", "--today", "2027-01-01", "--format", "concise"]);
    assert!(!later.stdout.contains("dates/future"), "{}", later.stdout);
    let other = vault.run(&["check", "--today", "2026-02-01", "--format", "concise"]);
    assert!(other.stdout.contains("2026-02-01"), "{}", other.stdout);
    let again = vault.run(&["check", "--today", "2026-01-01", "--format", "concise"]);
    assert_eq!(again.stdout, early.stdout);
}

#[test]
fn an_editor_check_without_the_listings_names_takes_them_from_the_vault() {
    let vault = Vault::new()
        .file("a.md", "# A\n\n[[Planett]]\n")
        .file("Planet.md", "# P\n")
        .file("Plane.md", "# P\n");
    settle_folders(vault.path(), SystemTime::now() - Duration::from_secs(3600));
    let editor = |vault: &Vault| {
        vault.run_with_stdin(
            &["check", "--stdin-filename", "a.md", "--format", "json"],
            "# A\n\n[[Planett]]\n",
        )
    };
    let cold = vault.run_with_stdin(
        &[
            "check",
            "--no-cache",
            "--stdin-filename",
            "a.md",
            "--format",
            "json",
        ],
        "# A\n\n[[Planett]]\n",
    );
    assert!(
        cold.stdout.contains("did you mean"),
        "{}",
        cold.transcript()
    );
    vault.run(&["check"]);
    assert_eq!(editor(&vault).stdout, cold.stdout);
    // The did-you-mean index beside the listing is gone, or not this walk's: the help
    // still names every close note, not only those the note links to.
    let names: Vec<PathBuf> = all_files(vault.cache_dir())
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "names"))
        .collect();
    assert_eq!(names.len(), 1);
    std::fs::write(&names[0], "garbage").expect("write");
    assert_eq!(editor(&vault).stdout, cold.stdout);
    std::fs::remove_file(&names[0]).expect("delete");
    assert_eq!(editor(&vault).stdout, cold.stdout);
}

#[test]
fn without_its_links_file_the_cache_checks_again_what_needs_the_links() {
    let vault = Vault::new()
        .file("a.md", "# A\n\n[[b]] [[c]] [[d#Nowhere]]\n")
        .file("b.md", "# B\n")
        .file("d.md", "# D\n");
    vault.run(&["check"]);
    let links: Vec<PathBuf> = all_files(vault.cache_dir())
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "links"))
        .collect();
    assert_eq!(links.len(), 1);
    // Another walk (a new note `c`): the links must be resolved again, and they are gone
    // or not the cache's own.
    std::fs::write(&links[0], "garbage").expect("write");
    std::fs::write(vault.abs("c.md"), "# C\n").expect("write");
    let ((cold_code, cold), (code, cached)) = both(&vault, "2026-01-01");
    assert_eq!((code, &cached), (cold_code, &cold));
    // `c` now resolves; `d#Nowhere` is still reported.
    assert!(!cold.contains("link target `c` matches no note"), "{cold}");
    assert!(cold.contains("Nowhere"), "{cold}");
    std::fs::remove_file(&links[0]).expect("delete");
    std::fs::remove_file(vault.abs("b.md")).expect("delete");
    let ((cold_code, cold), (code, cached)) = both(&vault, "2026-01-01");
    assert_eq!((code, &cached), (cold_code, &cold));
    assert!(cold.contains("link target `b` matches no note"), "{cold}");
}
