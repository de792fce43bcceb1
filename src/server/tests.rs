//! The server's document store and analysis against the CLI's editor mode: random
//! sequences of incremental edits leave the text a plain splice gives, and the findings for
//! it are those of `check --stdin-filename` (`lint::lint` with the text on "stdin").

// The vault is written directly; only the product goes through `fs`.
#![allow(clippy::disallowed_methods)]

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock, RwLock};

use lsp_types::{Position, Range, TextDocumentContentChangeEvent};
use proptest::prelude::*;
use rustc_hash::FxHashMap;

use super::analysis::{Analysis, Index, Workspace};
use super::convert::Encoding;
use super::document::Document;
use crate::lint::{self, Request};

const CONFIG: &str = r#"[schema]
type_field = "type"
types = { people = "schemas/people.schema.json" }

[tags]
allowed = ["needs-review", "topic/*"]

[links]
targets = { company = "customer" }

[review]
require_when = [{ auto_created = true }]
on_errors = true
"#;

const SCHEMA: &str = r#"{
  "type": "object",
  "required": ["type", "title"],
  "additionalProperties": false,
  "properties": {
    "type": { "const": "people" }, "title": { "type": "string" },
    "status": { "enum": ["active", "inactive"] }, "company": { "type": "string" },
    "auto_created": { "type": "boolean" }, "tags": { "type": "array" }, "created": { "type": "string" }
  }
}"#;

const START: &str = "---\ntype: people\ntitle: Start\nstatus: activ\ntags: [topic/x]\n---\n# Start\n\nSee [[Dana#Context]] and [[Dana#^met]].\n";

/// Pieces typed in: link syntax, names, keys, multibyte text, line breaks.
const PIECES: &[&str] = &[
    "[[",
    "]]",
    "Dana",
    "Contoso",
    "#Context",
    "#^met",
    "#",
    "|x",
    "\n",
    "\r\n",
    "é",
    "😀",
    "tags: [needs-reviw]\n",
    "company: \"[[Dana]]\"\n",
    "auto_created: true\n",
    "---\n",
    "statsu: 1\n",
    "## Context\n",
    "#topic/y ",
    "<!-- notelint-disable-next-line links -->\n",
    "created: 2025-02-30\n",
    " ",
    "x",
];

struct Fixture {
    _dir: tempfile::TempDir,
    root: PathBuf,
    workspace: Workspace,
    index: RwLock<Index>,
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().canonicalize().expect("root");
        let write = |rel: &str, text: &str| {
            let path = root.join(rel);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("folders");
            std::fs::write(path, text).expect("write");
        };
        write("notelint.toml", CONFIG);
        write("schemas/people.schema.json", SCHEMA);
        write(
            "People/Dana.md",
            "---\ntype: people\ntitle: Dana\n---\n# Dana\n\n## Context\n\nMet. ^met\n",
        );
        write(
            "Customers/Contoso.md",
            "---\ntype: customer\n---\n# Contoso\n",
        );
        write("Notes/Start.md", START);
        let workspace = Workspace::discover(&root).expect("workspace");
        let index = RwLock::new(Index::build(&workspace, &|_, _| {}));
        Fixture {
            _dir: dir,
            root,
            workspace,
            index,
        }
    })
}

/// The position of byte `offset` counted independently of `convert`: lines end at `\n`
/// (and a lone `\r`), characters in UTF-16 units.
fn position(text: &str, offset: usize) -> Position {
    let before = &text[..offset];
    let mut line = 0;
    let mut line_start = 0;
    let bytes = before.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'\n' || (b == b'\r' && text.as_bytes().get(i + 1) != Some(&b'\n')) {
            line += 1;
            line_start = i + 1;
        }
    }
    let character: usize = before[line_start..].chars().map(char::len_utf16).sum();
    Position::new(line as u32, character as u32)
}

/// `fraction` of the way through `text`, on a char boundary and never between `\r` and `\n`.
fn offset_at(text: &str, fraction: f64) -> usize {
    let mut at = ((text.len() as f64) * fraction) as usize;
    while !text.is_char_boundary(at)
        || (at > 0 && text.as_bytes()[at - 1] == b'\r' && text.as_bytes().get(at) == Some(&b'\n'))
    {
        at -= 1;
    }
    at
}

type Finding = (
    String,
    std::ops::Range<usize>,
    String,
    Option<String>,
    String,
);

fn findings(diagnostics: &[crate::diagnostic::Finding]) -> Vec<Finding> {
    diagnostics
        .iter()
        .map(|d| {
            (
                d.rule.code.to_owned(),
                d.span.clone(),
                d.message.clone(),
                d.help.clone(),
                d.severity.as_str().to_owned(),
            )
        })
        .collect()
}

/// What `check --stdin-filename` reports for `text` at `abs`.
fn editor_check(workspace: &Workspace, abs: &Path, text: &str) -> Option<Vec<Finding>> {
    let request = Request {
        paths: vec![abs.to_path_buf()],
        no_ignore: false,
        threads: 1,
        today: jiff::Zoned::now().date(),
        stdin: Some(text.as_bytes().to_vec()),
        progress: false,
        cache: false,
    };
    let outcome = lint::lint(&workspace.config, &workspace.schemas, &request).ok()?;
    Some(
        outcome
            .reports
            .first()
            .map(|r| findings(&r.diagnostics))
            .unwrap_or_default(),
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn random_edits_give_the_editor_checks_findings(
        edits in proptest::collection::vec(
            (0.0f64..=1.0, 0usize..12, proptest::sample::select(PIECES)),
            1..12,
        ),
    ) {
        let fixture = fixture();
        let abs = fixture.root.join("Notes/Start.md");
        let mut document = Document::new(START.to_owned(), 1);
        let mut expected = START.to_owned();
        for (version, (fraction, delete, piece)) in edits.into_iter().enumerate() {
            let start = offset_at(&expected, fraction);
            let end = offset_at(&expected, ((start + delete) as f64 / expected.len().max(1) as f64).min(1.0)).max(start);
            let change = TextDocumentContentChangeEvent {
                range: Some(Range::new(position(&expected, start), position(&expected, end))),
                range_length: None,
                text: piece.to_owned(),
            };
            expected.replace_range(start..end, piece);
            document.apply(vec![change], version as i32 + 2, Encoding::Utf16);
            prop_assert_eq!(&document.text, &expected);
        }
        let open = FxHashMap::from_iter([(abs.clone(), Arc::from(document.text.as_str()))]);
        // As the session does: the open document's facts stand in for the file's.
        super::session::write(&fixture.index).set_text(&fixture.workspace, "Notes/Start.md", document.text.clone());
        let index = fixture.index.read().ok();
        let analysis = Analysis { ws: &fixture.workspace, index, open: &open };
        let served = analysis.diagnostics(&abs, &document.text).ok().map(|d| findings(&d));
        let checked = editor_check(&fixture.workspace, &abs, &document.text);
        prop_assert_eq!(served, checked, "text: {:?}", document.text);
    }
}

#[test]
fn the_starting_note_has_findings_of_every_phase() {
    let fixture = fixture();
    let abs = fixture.root.join("Notes/Start.md");
    let text = START.replace("#Context", "#Contxt");
    let checked = editor_check(&fixture.workspace, &abs, &text).expect("checks");
    let codes: Vec<&str> = checked.iter().map(|f| f.0.as_str()).collect();
    // A per-note finding, and one that needs another note's facts (phase 2).
    assert!(codes.contains(&"schema/enum"), "{codes:?}");
    assert!(codes.contains(&"links/broken-heading"), "{codes:?}");
}
