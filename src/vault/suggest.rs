//! Did-you-mean for broken links: a trigram index of the vault's names, so a broken link is
//! compared only with the names that share its rarest trigrams.

use rustc_hash::FxHashMap;

use super::{ATTACHMENT_EXTENSIONS, FileId, VaultIndex, display_name};

/// A trigram index of the vault's names for did-you-mean: a broken link is compared only
/// with the names that share its rarest trigrams, never with the whole vault (which made
/// help text quadratic in the vault's size). It holds, for each name, the files that have
/// it, so it answers without the index that built it: the cache keeps it for editor
/// checks, which then need not index every name of the vault.
#[derive(Default, serde::Serialize, serde::Deserialize)]
pub struct Suggestions {
    names: Vec<(usize, String)>,
    grams: FxHashMap<u64, Vec<u32>>,
    /// Per name, where its files start in `files`; the next name's start is where they
    /// end. Flat, as the index is kept for the whole run: one list per name cost a
    /// third of its memory.
    starts: Vec<u32>,
    /// The files of each name in name order, by path within a name: those did-you-mean
    /// may offer (never an excluded one).
    files: Vec<Suggested>,
    /// The files' vault-relative paths, back to back.
    paths: String,
}

/// A file did-you-mean may offer: where its path ends in `Suggestions::paths`.
#[derive(Clone, Copy, serde::Serialize, serde::Deserialize)]
struct Suggested {
    end: u32,
    is_note: bool,
}

/// Trigrams consulted per query (the rarest ones) and names scored per query.
const QUERY_GRAMS: usize = 8;
const SCORED_NAMES: usize = 64;

impl Suggestions {
    pub(super) fn new(index: &VaultIndex) -> Suggestions {
        let entries = &index.entries;
        // Each name with its files, by scope and name.
        let mut named: Vec<(usize, &str, Vec<FileId>)> = index
            .by_name
            .all()
            .filter_map(|ids| {
                let ids: Vec<FileId> = ids.collect();
                let first = entries.get(*ids.first()?)?;
                Some((first.scope, first.name(), ids))
            })
            .collect();
        named.sort_unstable_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
        let names: Vec<(usize, String)> = named
            .iter()
            .map(|(scope, name, _)| (*scope, (*name).to_owned()))
            .collect();
        let mut starts = Vec::with_capacity(names.len());
        let mut files = Vec::new();
        let mut paths = String::new();
        for (_, _, ids) in &named {
            starts.push(u32::try_from(files.len()).unwrap_or(u32::MAX));
            let mut live: Vec<_> = ids
                .iter()
                .filter_map(|&id| index.live(id))
                .filter(|entry| !entry.excluded)
                .collect();
            live.sort_unstable_by(|a, b| a.rel.cmp(&b.rel));
            for entry in live {
                paths.push_str(&entry.rel);
                files.push(Suggested {
                    end: u32::try_from(paths.len()).unwrap_or(u32::MAX),
                    is_note: entry.is_note,
                });
            }
        }
        let distinct = |name: &str| {
            let mut own = trigrams(name);
            own.sort_unstable();
            own.dedup();
            own
        };
        // Two passes, so every posting list is allocated once at its exact size: growing
        // them by doubling held twice the memory at 100k notes (75 MB at the peak).
        let mut counts: FxHashMap<u64, u32> = FxHashMap::default();
        for (_, name) in &names {
            for gram in distinct(name) {
                *counts.entry(gram).or_default() += 1;
            }
        }
        let mut grams: FxHashMap<u64, Vec<u32>> = counts
            .into_iter()
            .map(|(gram, count)| (gram, Vec::with_capacity(count as usize)))
            .collect();
        for (index, (_, name)) in names.iter().enumerate() {
            for gram in distinct(name) {
                if let Some(posting) = grams.get_mut(&gram) {
                    posting.push(index as u32);
                }
            }
        }
        Suggestions {
            names,
            grams,
            starts,
            files,
            paths,
        }
    }

    /// The encoded index, for the cache.
    pub fn to_bytes(&self) -> Option<Vec<u8>> {
        postcard::to_allocvec(self).ok()
    }

    pub fn from_bytes(bytes: &[u8]) -> Option<Suggestions> {
        postcard::from_bytes(bytes).ok()
    }

    /// Up to 3 files whose name is closest to `wanted_name` (folded), as links to them
    /// would be written; each distinct name is scored once. A target with an attachment's
    /// extension (`demo.gif`) is only offered attachments; excluded files (templates) are
    /// never offered; names under 3 characters (`g`) get no suggestion, as Jaro-Winkler
    /// finds every short name close to them.
    pub(super) fn closest(&self, scope: usize, wanted_name: &str) -> Vec<String> {
        if wanted_name.chars().count() < 3 {
            return Vec::new();
        }
        let attachment = wanted_name
            .rsplit_once('.')
            .is_some_and(|(_, ext)| ATTACHMENT_EXTENSIONS.contains(&ext));
        let mut scored: Vec<(f64, &str, bool)> = self
            .candidates(scope, wanted_name)
            .into_iter()
            .map(|index| {
                (
                    strsim::jaro_winkler(wanted_name, &self.names[index].1),
                    index,
                )
            })
            .filter(|(score, _)| *score >= 0.8)
            .flat_map(|(score, index)| {
                self.files_of(index)
                    .map(move |(rel, is_note)| (score, rel, is_note))
            })
            .filter(|&(_, _, is_note)| !(attachment && is_note))
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
        scored
            .into_iter()
            .take(3)
            .map(|(_, rel, is_note)| display_name(rel, is_note))
            .collect()
    }

    /// The files (path, whether a note) of name `index`.
    fn files_of(&self, index: usize) -> impl Iterator<Item = (&str, bool)> {
        let start = self.starts.get(index).map_or(0, |&s| s as usize);
        let end = self
            .starts
            .get(index + 1)
            .map_or(self.files.len(), |&e| e as usize);
        let from = |i: usize| {
            i.checked_sub(1)
                .and_then(|before| self.files.get(before))
                .map_or(0, |f| f.end as usize)
        };
        (start..end).filter_map(move |i| {
            let file = self.files.get(i)?;
            let rel = self.paths.get(from(i)..file.end as usize)?;
            Some((rel, file.is_note))
        })
    }

    /// Names (their places in `names`) in `scope` sharing the most of `wanted`'s rarest
    /// trigrams, most shared first.
    fn candidates(&self, scope: usize, wanted: &str) -> Vec<usize> {
        let mut own = trigrams(wanted);
        own.sort_unstable();
        own.dedup();
        let mut postings: Vec<&Vec<u32>> = own.iter().filter_map(|g| self.grams.get(g)).collect();
        postings.sort_by_key(|p| p.len());
        let mut shared: FxHashMap<u32, u32> = FxHashMap::default();
        for posting in postings.into_iter().take(QUERY_GRAMS) {
            for &index in posting {
                *shared.entry(index).or_default() += 1;
            }
        }
        let mut ranked: Vec<(u32, u32)> = shared
            .into_iter()
            .filter(|(index, _)| self.names[*index as usize].0 == scope)
            .collect();
        ranked.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        ranked
            .into_iter()
            .take(SCORED_NAMES)
            .map(|(index, _)| index as usize)
            .collect()
    }
}

/// The character trigrams of `text`, padded with a space at both ends.
fn trigrams(text: &str) -> Vec<u64> {
    let chars: Vec<char> = std::iter::once(' ')
        .chain(text.chars())
        .chain(std::iter::once(' '))
        .collect();
    chars
        .windows(3)
        .map(|w| (u64::from(w[0]) << 42) | (u64::from(w[1]) << 21) | u64::from(w[2]))
        .collect()
}
