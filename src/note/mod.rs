//! One note: its text, the frontmatter split and parse, and the body scan.
//!
//! Parsing happens once per note; rules read the `Note` and never re-parse.

pub mod body;
pub mod date;
pub mod frontmatter;
pub mod read;
pub mod source;
pub mod tag;
pub mod tag_fields;

use std::sync::OnceLock;

use crate::diagnostic::Span;
use crate::yaml::{self, Node, Value};
use source::LineIndex;

pub use frontmatter::{Block, Split};

/// How the note's frontmatter turned out.
#[derive(Debug)]
pub enum FrontmatterState {
    /// The note has no frontmatter block.
    Absent,
    /// An opening `---` without a closing line.
    Unclosed { open: Span },
    /// Larger than `frontmatter.max_bytes`: not parsed at all.
    TooLarge {
        open: Span,
        bytes: usize,
        limit: usize,
    },
    /// The YAML did not load; `error` spans are already note-relative.
    Invalid {
        block: Block,
        error: yaml::LoadError,
    },
    /// Parsed; spans inside `document` are relative to `block.yaml.start` (see `Frontmatter`).
    Parsed(Frontmatter),
}

/// A parsed frontmatter block.
#[derive(Debug)]
pub struct Frontmatter {
    pub block: Block,
    pub document: yaml::Document,
}

impl Frontmatter {
    /// Converts a span of the YAML tree into a span of the note's text.
    pub fn span(&self, span: &yaml::Span) -> Span {
        let offset = self.block.yaml.start;
        span.start + offset..span.end + offset
    }

    pub fn root(&self) -> &yaml::Node {
        &self.document.root
    }

    /// The YAML text the document was loaded from (its spans index it).
    pub fn yaml<'t>(&self, note_text: &'t str) -> &'t str {
        note_text.get(self.block.yaml.clone()).unwrap_or_default()
    }

    /// Converts a YAML edit into an edit of the note's text.
    pub fn edit(&self, edit: yaml::edit::TextEdit) -> crate::diagnostic::Edit {
        crate::diagnostic::Edit {
            span: self.span(&edit.span),
            replacement: edit.text,
        }
    }

    /// Converts a span of the note's text into a span of the YAML text.
    pub fn yaml_span(&self, span: &Span) -> yaml::Span {
        let offset = self.block.yaml.start;
        span.start.saturating_sub(offset)..span.end.saturating_sub(offset)
    }

    /// The value of a top-level key, if the frontmatter is a mapping that has it.
    pub fn get(&self, key: &str) -> Option<&yaml::Node> {
        self.document.root.get(key).map(|entry| &entry.value)
    }
}

/// A wikilink written in a frontmatter value.
#[derive(Debug, Clone)]
pub struct FrontmatterLink {
    pub link: body::Link,
    /// The top-level frontmatter key holding it, for `links.targets`.
    pub field: Option<String>,
}

/// Bounds applied while parsing a note's frontmatter.
#[derive(Debug, Clone)]
pub struct ParseOptions {
    pub max_bytes: usize,
    pub limits: yaml::Limits,
    pub scan: body::ScanOptions,
}

/// A note's parsed form.
#[derive(Debug)]
pub struct Note {
    /// Vault-relative path with `/` separators.
    pub path: String,
    pub text: String,
    pub frontmatter: FrontmatterState,
    pub body: body::BodyScan,
    pub body_start: usize,
    /// The line starts of `text`, built the first time a rule asks for a line's bounds.
    lines: OnceLock<LineIndex>,
}

impl Note {
    /// A note of other text (a canvas) whose links the link rules read as a body's.
    pub fn with_body(path: String, text: String, body: body::BodyScan) -> Note {
        Note {
            path,
            text,
            frontmatter: FrontmatterState::Absent,
            body,
            body_start: 0,
            lines: OnceLock::new(),
        }
    }

    pub fn parse(path: String, text: String, options: &ParseOptions) -> Note {
        let (frontmatter, body_start) = parse_frontmatter(&text, options);
        let body = body::scan(&text, body_start, &options.scan);
        Note {
            path,
            text,
            frontmatter,
            body,
            body_start,
            lines: OnceLock::new(),
        }
    }

    /// Wikilinks in frontmatter string values and list items, with their top-level key.
    pub fn frontmatter_links(&self) -> Vec<FrontmatterLink> {
        let note = self;
        let Some(fm) = note.parsed() else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let Some(entries) = fm.root().as_map() else {
            return out;
        };
        for entry in entries {
            let field = entry.key.as_str().map(str::to_owned);
            let mut stack: Vec<&Node> = vec![&entry.value];
            while let Some(node) = stack.pop() {
                match &node.value {
                    Value::String(_) => {
                        let span = fm.span(&node.span);
                        if let Some(raw) = note.text.get(span.clone())
                            && raw.contains("[[")
                        {
                            out.extend(body::wikilinks_in(raw, span.start).into_iter().map(
                                |link| FrontmatterLink {
                                    link,
                                    field: field.clone(),
                                },
                            ));
                        }
                    }
                    Value::Seq(items) => stack.extend(items.iter().rev()),
                    Value::Map(entries) => stack.extend(entries.iter().rev().map(|e| &e.value)),
                    _ => {}
                }
            }
        }
        out
    }

    /// The text's lines: the one way rules find where a line starts and ends.
    pub fn lines(&self) -> &LineIndex {
        self.lines.get_or_init(|| LineIndex::new(&self.text))
    }

    /// The parsed frontmatter, when there is one and it loaded.
    pub fn parsed(&self) -> Option<&Frontmatter> {
        match &self.frontmatter {
            FrontmatterState::Parsed(frontmatter) => Some(frontmatter),
            _ => None,
        }
    }
}

fn parse_frontmatter(text: &str, options: &ParseOptions) -> (FrontmatterState, usize) {
    match frontmatter::split(text) {
        Split::None { body_start } => (FrontmatterState::Absent, body_start),
        // Without a closing line nothing is frontmatter; the body scan still runs on all of it.
        Split::Unclosed { open } => (
            FrontmatterState::Unclosed { open: open.clone() },
            open.start,
        ),
        Split::Closed(block) => {
            let body_start = block.body_start;
            let bytes = block.yaml.len();
            if bytes > options.max_bytes {
                let state = FrontmatterState::TooLarge {
                    open: block.open,
                    bytes,
                    limit: options.max_bytes,
                };
                return (state, body_start);
            }
            let state = match yaml::load(&text[block.yaml.clone()], &options.limits) {
                Ok(document) => FrontmatterState::Parsed(Frontmatter { block, document }),
                Err(error) => {
                    let error = offset_error(error, block.yaml.start);
                    FrontmatterState::Invalid { block, error }
                }
            };
            (state, body_start)
        }
    }
}

/// Moves a load error's span from YAML-relative to note-relative offsets.
fn offset_error(error: yaml::LoadError, offset: usize) -> yaml::LoadError {
    let shift = |span: yaml::Span| span.start + offset..span.end + offset;
    match error {
        yaml::LoadError::Syntax { message, span } => yaml::LoadError::Syntax {
            message,
            span: shift(span),
        },
        yaml::LoadError::TooDeep { span, limit } => yaml::LoadError::TooDeep {
            span: shift(span),
            limit,
        },
        yaml::LoadError::AliasBomb { span, limit } => yaml::LoadError::AliasBomb {
            span: shift(span),
            limit,
        },
        yaml::LoadError::MultipleDocuments { span } => {
            yaml::LoadError::MultipleDocuments { span: shift(span) }
        }
    }
}
