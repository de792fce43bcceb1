//! Did-you-mean for broken links: a trigram index of the vault's names, so a broken link is
//! compared only with the names that share its rarest trigrams.

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::{ATTACHMENT_EXTENSIONS, FileId, VaultIndex, display_name};

/// A trigram index of the vault's names for did-you-mean: a broken link is compared only
/// with the names that share its rarest trigrams, never with the whole vault (which made
/// help text quadratic in the vault's size). It holds, for each name, the files that have
/// it, so it answers without the index that built it: the cache keeps it for editor
/// checks, which then need not index every name of the vault.
///
/// Flat: a few lists of numbers and two strings, so it is small in memory for the whole
/// run, and the cache reads it back with a copy per list rather than an allocation per
/// name or trigram.
#[derive(Default, serde::Serialize, serde::Deserialize)]
pub struct Suggestions {
    /// Each name's scope, in name order (by scope, then name).
    #[serde(with = "le::u32s")]
    scopes: Vec<u32>,
    /// The names back to back, and where each ends.
    name_text: String,
    #[serde(with = "le::u32s")]
    name_ends: Vec<u32>,
    /// Every trigram of the names, ascending, and where its names start in `postings`
    /// (one more: where the last one's end).
    #[serde(with = "le::u64s")]
    grams: Vec<u64>,
    #[serde(with = "le::u32s")]
    gram_starts: Vec<u32>,
    /// The names (their places) with each trigram, trigram after trigram, ascending.
    #[serde(with = "le::u32s")]
    postings: Vec<u32>,
    /// Per name, where its files start in `file_ends`; the next name's start is where
    /// they end.
    #[serde(with = "le::u32s")]
    starts: Vec<u32>,
    /// The files of each name in name order, by path within a name: those did-you-mean
    /// may offer (never an excluded one). Where each one's path ends in `paths`, and
    /// whether it is a note.
    #[serde(with = "le::u32s")]
    file_ends: Vec<u32>,
    file_notes: Vec<bool>,
    /// The files' vault-relative paths, back to back.
    paths: String,
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
        let mut scopes = Vec::with_capacity(named.len());
        // Kept for the whole run: sized once, not grown by doubling.
        let mut name_text =
            String::with_capacity(named.iter().map(|(_, name, _)| name.len()).sum());
        let mut name_ends = Vec::with_capacity(named.len());
        for (scope, name, _) in &named {
            scopes.push(u32::try_from(*scope).unwrap_or(u32::MAX));
            name_text.push_str(name);
            name_ends.push(u32::try_from(name_text.len()).unwrap_or(u32::MAX));
        }
        let mut starts = Vec::with_capacity(named.len());
        let mut file_ends = Vec::new();
        let mut file_notes = Vec::new();
        let mut paths = String::with_capacity(
            named
                .iter()
                .flat_map(|(_, _, ids)| ids)
                .filter_map(|&id| index.live(id))
                .map(|entry| entry.rel.len())
                .sum(),
        );
        for (_, _, ids) in &named {
            starts.push(u32::try_from(file_ends.len()).unwrap_or(u32::MAX));
            let mut live: Vec<_> = ids
                .iter()
                .filter_map(|&id| index.live(id))
                .filter(|entry| !entry.excluded)
                .collect();
            live.sort_unstable_by(|a, b| a.rel.cmp(&b.rel));
            for entry in live {
                paths.push_str(&entry.rel);
                file_ends.push(u32::try_from(paths.len()).unwrap_or(u32::MAX));
                file_notes.push(entry.is_note);
            }
        }
        let distinct = |name: &str| {
            let mut own = trigrams(name);
            own.sort_unstable();
            own.dedup();
            own
        };
        // Two passes, so the postings are laid out once at their exact places. The first
        // on every core: trigrams are most of the work.
        let counts: FxHashMap<u64, u32> = named
            .par_iter()
            .fold(
                FxHashMap::default,
                |mut counts: FxHashMap<u64, u32>, (_, name, _)| {
                    for gram in distinct(name) {
                        *counts.entry(gram).or_default() += 1;
                    }
                    counts
                },
            )
            .reduce(FxHashMap::default, |mut all, part| {
                for (gram, count) in part {
                    *all.entry(gram).or_default() += count;
                }
                all
            });
        let mut grams: Vec<(u64, u32)> = counts.into_iter().collect();
        grams.sort_unstable();
        let mut gram_starts = Vec::with_capacity(grams.len() + 1);
        let mut total = 0u32;
        for &(_, count) in &grams {
            gram_starts.push(total);
            total = total.saturating_add(count);
        }
        gram_starts.push(total);
        let grams: Vec<u64> = grams.into_iter().map(|(gram, _)| gram).collect();
        let mut postings = vec![0u32; total as usize];
        let mut next: Vec<u32> = gram_starts.clone();
        for (place, (_, name, _)) in named.iter().enumerate() {
            for gram in distinct(name) {
                if let Ok(k) = grams.binary_search(&gram)
                    && let Some(slot) = postings.get_mut(next[k] as usize)
                {
                    *slot = place as u32;
                    next[k] += 1;
                }
            }
        }
        Suggestions {
            scopes,
            name_text,
            name_ends,
            grams,
            gram_starts,
            postings,
            starts,
            file_ends,
            file_notes,
            paths,
        }
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
            .map(|index| (strsim::jaro_winkler(wanted_name, self.name(index)), index))
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

    /// Name `index`.
    fn name(&self, index: usize) -> &str {
        let end = self.name_ends.get(index).map_or(0, |&e| e as usize);
        let start = index
            .checked_sub(1)
            .and_then(|before| self.name_ends.get(before))
            .map_or(0, |&s| s as usize);
        self.name_text.get(start..end).unwrap_or_default()
    }

    /// The names (their places) with trigram `gram`.
    fn posting(&self, gram: u64) -> Option<&[u32]> {
        let k = self.grams.binary_search(&gram).ok()?;
        let (start, end) = (*self.gram_starts.get(k)?, *self.gram_starts.get(k + 1)?);
        self.postings.get(start as usize..end as usize)
    }

    /// The files (path, whether a note) of name `index`.
    fn files_of(&self, index: usize) -> impl Iterator<Item = (&str, bool)> {
        let start = self.starts.get(index).map_or(0, |&s| s as usize);
        let end = self
            .starts
            .get(index + 1)
            .map_or(self.file_ends.len(), |&e| e as usize);
        let from = |i: usize| {
            i.checked_sub(1)
                .and_then(|before| self.file_ends.get(before))
                .map_or(0, |&end| end as usize)
        };
        (start..end).filter_map(move |i| {
            let end = *self.file_ends.get(i)?;
            let rel = self.paths.get(from(i)..end as usize)?;
            Some((rel, *self.file_notes.get(i)?))
        })
    }

    /// Names (their places) in `scope` sharing the most of `wanted`'s rarest trigrams,
    /// most shared first.
    fn candidates(&self, scope: usize, wanted: &str) -> Vec<usize> {
        let mut own = trigrams(wanted);
        own.sort_unstable();
        own.dedup();
        let mut postings: Vec<&[u32]> = own.iter().filter_map(|&g| self.posting(g)).collect();
        postings.sort_by_key(|p| p.len());
        let mut shared: FxHashMap<u32, u32> = FxHashMap::default();
        for posting in postings.into_iter().take(QUERY_GRAMS) {
            for &index in posting {
                *shared.entry(index).or_default() += 1;
            }
        }
        let mut ranked: Vec<(u32, u32)> = shared
            .into_iter()
            .filter(|(index, _)| {
                self.scopes
                    .get(*index as usize)
                    .is_some_and(|&s| s as usize == scope)
            })
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

/// Lists of numbers written as one run of little-endian bytes: read back straight from
/// the bytes, not one number at a time.
mod le {
    macro_rules! numbers {
        ($name:ident, $ty:ty, $size:literal) => {
            pub mod $name {
                use serde::de::{Deserializer, Error, Visitor};
                use serde::ser::Serializer;

                pub fn serialize<S: Serializer>(
                    numbers: &[$ty],
                    serializer: S,
                ) -> Result<S::Ok, S::Error> {
                    let bytes: Vec<u8> = numbers.iter().flat_map(|n| n.to_le_bytes()).collect();
                    serializer.serialize_bytes(&bytes)
                }

                struct Numbers;

                impl Visitor<'_> for Numbers {
                    type Value = Vec<$ty>;

                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str("a list of numbers as bytes")
                    }

                    fn visit_bytes<E: Error>(self, bytes: &[u8]) -> Result<Vec<$ty>, E> {
                        if bytes.len() % $size != 0 {
                            return Err(E::custom("a list of numbers cut short"));
                        }
                        Ok(bytes
                            .chunks_exact($size)
                            .map(|chunk| {
                                let mut one = [0u8; $size];
                                one.copy_from_slice(chunk);
                                <$ty>::from_le_bytes(one)
                            })
                            .collect())
                    }
                }

                pub fn deserialize<'de, D: Deserializer<'de>>(
                    deserializer: D,
                ) -> Result<Vec<$ty>, D::Error> {
                    deserializer.deserialize_bytes(Numbers)
                }
            }
        };
    }

    numbers!(u32s, u32, 4);
    numbers!(u64s, u64, 8);
}
