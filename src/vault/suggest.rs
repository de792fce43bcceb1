//! Did-you-mean for broken links: a trigram index of the vault's names, so a broken link is
//! compared only with the names that share its rarest trigrams.

use rustc_hash::FxHashMap;

use super::{ATTACHMENT_EXTENSIONS, VaultIndex, display_name};

/// A trigram index of the vault's names for did-you-mean: a broken link is compared only
/// with the names that share its rarest trigrams, never with the whole vault (which made
/// help text quadratic in the vault's size). It holds, for each name, the files that have
/// it, so it answers without the index that built it: the cache keeps it for editor
/// checks, which then need not index every name of the vault.
#[derive(Default, serde::Serialize, serde::Deserialize)]
pub struct Suggestions {
    names: Vec<(usize, String)>,
    grams: FxHashMap<u64, Vec<u32>>,
    /// Per name: the files with that name, in path order, that did-you-mean may offer.
    files: Vec<Vec<Suggested>>,
}

/// A file did-you-mean may offer (never an excluded one).
#[derive(Clone, serde::Serialize, serde::Deserialize)]
struct Suggested {
    /// Vault-relative path: the tie-break between equally close names.
    rel: Box<str>,
    is_note: bool,
}

/// Trigrams consulted per query (the rarest ones) and names scored per query.
const QUERY_GRAMS: usize = 8;
const SCORED_NAMES: usize = 64;

impl Suggestions {
    pub(super) fn new(index: &VaultIndex) -> Suggestions {
        let by_name = &index.by_name;
        let mut names: Vec<(usize, String)> = by_name.keys().cloned().collect();
        names.sort_unstable();
        let files = names
            .iter()
            .map(|key| {
                let mut files: Vec<Suggested> = by_name
                    .get(key)
                    .into_iter()
                    .flatten()
                    .filter_map(|&id| index.live(id))
                    .filter(|entry| !entry.excluded)
                    .map(|entry| Suggested {
                        rel: entry.rel.clone(),
                        is_note: entry.is_note,
                    })
                    .collect();
                files.sort_unstable_by(|a, b| a.rel.cmp(&b.rel));
                files
            })
            .collect();
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
            files,
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
        let mut scored: Vec<(f64, &Suggested)> = self
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
                self.files
                    .get(index)
                    .into_iter()
                    .flatten()
                    .map(move |file| (score, file))
            })
            .filter(|(_, file)| !(attachment && file.is_note))
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.rel.cmp(&b.1.rel)));
        scored
            .into_iter()
            .take(3)
            .map(|(_, file)| display_name(&file.rel, file.is_note))
            .collect()
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
