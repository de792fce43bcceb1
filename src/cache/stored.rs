//! The cache's stored form: the file, its entries, and records with their findings by
//! rule code (the binary format cannot hold a `&'static Rule` or self-describing JSON).

use std::ops::Range;

use serde::{Deserialize, Serialize};

use super::{DayRange, FORMAT, MAGIC, Record, Stamp, hash};
use crate::diagnostic::{Applicability, Change, Diagnostic, Edit, Fix, KeyChange, Label};
use crate::rules::links::Pending;
use crate::suppress::Suppressions;
use crate::vault::NoteFacts;

#[derive(Serialize, Deserialize)]
pub(super) struct StoredFile<'a> {
    pub(super) key: u64,
    /// `walk_hash` of the run that wrote it: while a run's is the same, no note is gone.
    pub(super) walk_hash: u64,
    /// The hash of the links file written with it.
    pub(super) links_hash: u64,
    #[serde(borrow)]
    pub(super) entries: Vec<StoredEntry<'a>>,
}

#[derive(Serialize, Deserialize)]
pub(super) struct StoredEntry<'a> {
    pub(super) path: &'a str,
    pub(super) stamp: Stamp,
    pub(super) hash: u64,
    pub(super) recorded_ns: i128,
    pub(super) today: DayRange,
    /// Written as one run of bytes (serde would write a slice byte by byte).
    #[serde(serialize_with = "as_bytes")]
    pub(super) blob: &'a [u8],
    /// Where its links are in the links file: start and length.
    pub(super) links: (u64, u64),
}

fn as_bytes<S: serde::Serializer>(bytes: &&[u8], serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_bytes(bytes)
}

/// `Vec<u8>` fields written and read as one run of bytes (serde's default reads them
/// byte by byte: decoding a did-you-mean index took most of an editor check).
pub(super) mod byte_buf {
    use serde::de::{Deserializer, Error, Visitor};
    use serde::ser::Serializer;

    pub(in crate::cache) fn serialize<S: Serializer>(
        bytes: &[u8],
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.serialize_bytes(bytes)
    }

    pub(in crate::cache) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Vec<u8>, D::Error> {
        struct Bytes;
        impl Visitor<'_> for Bytes {
            type Value = Vec<u8>;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("bytes")
            }

            fn visit_bytes<E: Error>(self, bytes: &[u8]) -> Result<Vec<u8>, E> {
                Ok(bytes.to_vec())
            }

            fn visit_byte_buf<E: Error>(self, bytes: Vec<u8>) -> Result<Vec<u8>, E> {
                Ok(bytes)
            }
        }
        deserializer.deserialize_byte_buf(Bytes)
    }
}

/// A record as written (borrowing what the run holds) ...
#[derive(Serialize)]
pub(super) struct StoredRecordRef<'a> {
    pub(super) facts: &'a NoteFacts,
    pub(super) diagnostics: Vec<StoredDiagnostic>,
    pub(super) suppressions: &'a Suppressions,
    pub(super) link_errors: bool,
    pub(super) associated: bool,
    pub(super) walk_hash: u64,
    pub(super) link_findings: Vec<StoredDiagnostic>,
    pub(super) pending: &'a [Pending],
}

/// ... and as read back (the same fields in the same order).
#[derive(Deserialize)]
pub(super) struct StoredRecord {
    pub(super) facts: NoteFacts,
    pub(super) diagnostics: Vec<StoredDiagnostic>,
    pub(super) suppressions: Suppressions,
    pub(super) link_errors: bool,
    pub(super) associated: bool,
    pub(super) walk_hash: u64,
    pub(super) link_findings: Vec<StoredDiagnostic>,
    pub(super) pending: Vec<Pending>,
}

impl StoredRecord {
    /// The record, with phase 1's link results when they were made for a walk with hash
    /// `walk_hash` (else without: its links are to be resolved again).
    pub(super) fn into_record(self, walk_hash: u64) -> Option<Record> {
        let diagnostics = |stored: Vec<StoredDiagnostic>| {
            stored
                .into_iter()
                .map(StoredDiagnostic::into_diagnostic)
                .collect::<Option<Vec<_>>>()
        };
        let resolved = if self.walk_hash == walk_hash {
            Some((diagnostics(self.link_findings)?, self.pending))
        } else {
            None
        };
        Some(Record {
            facts: self.facts,
            links: Vec::new(),
            resolved,
            diagnostics: diagnostics(self.diagnostics)?,
            suppressions: self.suppressions,
            link_errors: self.link_errors,
            associated: self.associated,
        })
    }
}

/// A diagnostic with its rule by code and JSON values as text (the binary format cannot
/// read self-describing values).
#[derive(Serialize, Deserialize)]
pub(super) struct StoredDiagnostic {
    code: String,
    message: String,
    span: Range<usize>,
    span_label: Option<String>,
    labels: Vec<(Range<usize>, String)>,
    help: Option<String>,
    fix: Option<StoredFix>,
}

#[derive(Serialize, Deserialize)]
pub(super) struct StoredFix {
    safe: bool,
    edits: Vec<(Range<usize>, String)>,
    changes: Vec<(String, StoredChange)>,
}

#[derive(Serialize, Deserialize)]
pub(super) enum StoredChange {
    Remove,
    Set(String),
    Append(Vec<String>),
    RemoveItem(usize),
    ReplaceItem(usize, String),
    ReplaceText(Range<usize>, String),
}

impl StoredDiagnostic {
    pub(super) fn of(d: &Diagnostic) -> StoredDiagnostic {
        StoredDiagnostic {
            code: d.rule.code.to_owned(),
            message: d.message.clone(),
            span: d.span.clone(),
            span_label: d.span_label.clone(),
            labels: d
                .labels
                .iter()
                .map(|l| (l.span.clone(), l.message.clone()))
                .collect(),
            help: d.help.clone(),
            fix: d.fix.as_ref().map(|fix| StoredFix {
                safe: fix.applicability == Applicability::Safe,
                edits: fix
                    .edits
                    .iter()
                    .map(|e| (e.span.clone(), e.replacement.clone()))
                    .collect(),
                changes: fix
                    .changes
                    .iter()
                    .map(|c| (c.key.clone(), StoredChange::of(&c.change)))
                    .collect(),
            }),
        }
    }

    fn into_diagnostic(self) -> Option<Diagnostic> {
        let fix = match self.fix {
            Some(fix) => Some(Fix {
                applicability: if fix.safe {
                    Applicability::Safe
                } else {
                    Applicability::Unsafe
                },
                // Stored in the order `Fix::new` sorted them into.
                edits: fix
                    .edits
                    .into_iter()
                    .map(|(span, replacement)| Edit { span, replacement })
                    .collect(),
                changes: fix
                    .changes
                    .into_iter()
                    .map(|(key, change)| Some(KeyChange::new(key, change.into_change()?)))
                    .collect::<Option<_>>()?,
            }),
            None => None,
        };
        Some(Diagnostic {
            rule: crate::rules::by_code(&self.code)?,
            message: self.message,
            span: self.span,
            span_label: self.span_label,
            labels: self
                .labels
                .into_iter()
                .map(|(span, message)| Label { span, message })
                .collect(),
            help: self.help,
            fix,
        })
    }
}

impl StoredChange {
    fn of(change: &Change) -> StoredChange {
        let json = |value: &serde_json::Value| value.to_string();
        match change {
            Change::Remove => StoredChange::Remove,
            Change::Set(value) => StoredChange::Set(json(value)),
            Change::Append(values) => StoredChange::Append(values.iter().map(json).collect()),
            Change::RemoveItem(n) => StoredChange::RemoveItem(*n),
            Change::ReplaceItem(n, value) => StoredChange::ReplaceItem(*n, json(value)),
            Change::ReplaceText(range, text) => {
                StoredChange::ReplaceText(range.clone(), text.clone())
            }
        }
    }

    fn into_change(self) -> Option<Change> {
        let value = |text: &str| serde_json::from_str::<serde_json::Value>(text).ok();
        Some(match self {
            StoredChange::Remove => Change::Remove,
            StoredChange::Set(text) => Change::Set(value(&text)?),
            StoredChange::Append(texts) => {
                Change::Append(texts.iter().map(|t| value(t)).collect::<Option<Vec<_>>>()?)
            }
            StoredChange::RemoveItem(n) => Change::RemoveItem(n),
            StoredChange::ReplaceItem(n, text) => Change::ReplaceItem(n, value(&text)?),
            StoredChange::ReplaceText(range, text) => Change::ReplaceText(range, text),
        })
    }
}

/// The magic, the format and the body's checksum, then `value` encoded as the body, in
/// one buffer (of `capacity` bytes to start with).
pub(super) fn framed(value: &impl Serialize, capacity: usize) -> Option<Vec<u8>> {
    let mut bytes = Vec::with_capacity(capacity + 20);
    bytes.extend_from_slice(MAGIC);
    bytes.extend_from_slice(&FORMAT.to_le_bytes());
    bytes.extend_from_slice(&[0; 8]);
    let mut bytes = postcard::to_extend(value, bytes).ok()?;
    let checksum = hash(bytes.get(20..)?).to_le_bytes();
    bytes.get_mut(12..20)?.copy_from_slice(&checksum);
    Some(bytes)
}

/// The body of a framed file of this format whose checksum holds.
pub(super) fn unframed(bytes: &[u8]) -> Option<&[u8]> {
    let magic = bytes.get(..MAGIC.len())?;
    let format = u32::from_le_bytes(bytes.get(8..12)?.try_into().ok()?);
    let checksum = u64::from_le_bytes(bytes.get(12..20)?.try_into().ok()?);
    let body = bytes.get(20..)?;
    (magic == MAGIC && format == FORMAT && hash(body) == checksum).then_some(body)
}
