//! Phase 1 with the persistent cache (`crate::cache`): a note the cache holds unchanged
//! is not read or parsed, only its cached links resolved again; a note checked afresh is
//! recorded for the next run. Also the early answers of checks on other notes.

use std::sync::Arc;

use super::{FirstPass, Later, NoteOutcome, Run, Stamped, decode_note, finish, read_note};
use crate::cache;
use crate::diagnostic::Diagnostic;
use crate::note::{self, Note};
use crate::rules;
use crate::rules::links::{Pending, PendingKind};
use crate::suppress::Suppressions;
use crate::vault::{FileId, NoteFacts, Origin};
use crate::walk::VaultFile;

impl Run<'_> {
    /// Like `read`, with what the cache records of a file read: its stamp and hash.
    pub(super) fn read_stamped(
        &self,
        file: &VaultFile,
    ) -> Result<(String, Option<Stamped>), (String, Diagnostic)> {
        match &self.stdin {
            Some(bytes) => decode_note(bytes.to_vec()).map(|text| (text, None)),
            None => read_note(&file.abs, self.config.settings.vault.max_note_bytes),
        }
    }

    /// Records a note's first pass in the cache. A note with its own `$schema` is not
    /// kept: its findings depend on a schema file outside the cache's key.
    pub(super) fn remember(
        &self,
        file: &VaultFile,
        stamped: Option<Stamped>,
        note: &Note,
        facts: &NoteFacts,
        first: &FirstPass,
        suppressions: &Suppressions,
    ) {
        let (Some(cache), Some((stamp, hash))) = (self.cache, stamped) else {
            return;
        };
        if note.parsed().is_some_and(|fm| fm.get("$schema").is_some()) {
            return;
        }
        // Normalised once here, its headings are not normalised again by the runs that
        // reuse it.
        facts.normalize();
        let learnt = cache::Learnt {
            facts,
            links: &first.links,
            link_findings: &first.link_found,
            pending: &first.pending,
            diagnostics: &first.diagnostics,
            suppressions,
            link_errors: first.link_errors,
            associated: rules::schema::associates(note),
        };
        let today = rules::dates::same_findings_between(note, self.checker.context());
        cache.store(&file.rel, stamp, hash, today, &learnt);
    }

    /// Phase 1 for a note the cache holds unchanged: its cached findings plus its link
    /// findings (phase 1's own when the walk found the same files, else resolved again
    /// from its cached links). `None` when there is no usable entry, or the cached
    /// findings no longer hold (`review.on_errors` and link errors came or went, or a
    /// broken link wants the note's text for its near-match fix): then the note is
    /// checked afresh.
    pub(super) fn reuse<'f>(
        &self,
        file: &'f VaultFile,
        id: Option<FileId>,
        origin: &Origin,
    ) -> Option<NoteOutcome<'f>> {
        let limit = self.config.settings.vault.max_note_bytes;
        let hit = self
            .cache?
            .lookup(&file.rel, &file.abs, self.checker.today(), limit)?;
        let cache::Record {
            facts,
            links,
            resolved,
            diagnostics,
            suppressions,
            link_errors,
            associated,
        } = hit.record;
        let (found, mut pending) = match resolved {
            Some(resolved) => resolved,
            None => {
                let (found, pending) = self.links().check_links(None, origin, &facts, &links);
                if self.links().wants_text(&found) {
                    return None;
                }
                (found, pending)
            }
        };
        let link_errors_now = self.config.settings.review.on_errors
            && self.checker.any_error(&file.rel, &found, &suppressions);
        if link_errors_now != link_errors {
            return None;
        }
        let mut all = diagnostics;
        all.extend(found);
        let report = match finish(
            &self.checker.severities,
            file.rel.clone(),
            String::new(),
            all,
            Some(&suppressions),
        ) {
            Some(mut report) => {
                // The text to show the findings in: the one read to trust a racy entry,
                // else read now, and only if it is still the text recorded.
                report.source = match hit.text {
                    Some(text) => text,
                    None => {
                        let text = note::read::read_text(&file.abs, limit)?;
                        (cache::hash(text.as_bytes()) == hit.hash).then_some(text)?
                    }
                };
                Some(report)
            }
            None => None,
        };
        if associated {
            self.checker
                .schemas()
                .mark_used(&file.rel, facts.note_type.as_deref());
        }
        if let Some(id) = id {
            self.index.set_facts(id, Arc::new(facts));
        }
        let early = self.answer_known(origin, &mut pending);
        let later = Later {
            early,
            pending,
            origin: origin.clone(),
            suppressions,
        };
        Some(NoteOutcome::new(file, report, later))
    }

    /// Answers the checks on other notes whose facts phase 1 has gathered already (on
    /// average half of them), so that only the rest wait for phase 2: each answer depends
    /// on the target's facts alone, and memory holds fewer checks. An alias check waits
    /// for every note's aliases.
    pub(super) fn answer_known(
        &self,
        origin: &Origin,
        pending: &mut Vec<Pending>,
    ) -> Vec<Diagnostic> {
        let links = self.links();
        let mut early = Vec::new();
        pending.retain(|p| {
            if matches!(p.what, PendingKind::Alias { .. }) {
                return true;
            }
            let facts = if self.index.is_note(p.target) {
                match self.index.facts(p.target) {
                    Some(facts) => Some(facts.as_ref()),
                    None => return true,
                }
            } else {
                None
            };
            early.extend(links.answer(p, origin, facts));
            false
        });
        // Kept until every note is parsed: no spare capacity (100k notes x ~5 checks).
        pending.shrink_to_fit();
        early
    }
}
