//! Did-you-mean for broken links: a trigram index of the vault's names, so a broken link is
//! compared only with the names that share its rarest trigrams.

use rustc_hash::FxHashMap;

use super::FileId;

/// A trigram index of the vault's names for did-you-mean: a broken link is compared only
/// with the names that share its rarest trigrams, never with the whole vault (which made
/// help text quadratic in the vault's size).
#[derive(Default)]
pub(super) struct Suggestions {
    names: Vec<(usize, String)>,
    grams: FxHashMap<u64, Vec<u32>>,
}

/// Trigrams consulted per query (the rarest ones) and names scored per query.
const QUERY_GRAMS: usize = 8;
const SCORED_NAMES: usize = 64;

impl Suggestions {
    pub(super) fn new(by_name: &FxHashMap<(usize, String), Vec<FileId>>) -> Suggestions {
        let mut names: Vec<(usize, String)> = by_name.keys().cloned().collect();
        names.sort_unstable();
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
        Suggestions { names, grams }
    }

    /// Names in `scope` sharing the most of `wanted`'s rarest trigrams, most shared first.
    pub(super) fn candidates(&self, scope: usize, wanted: &str) -> Vec<&str> {
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
            .map(|(index, _)| self.names[index as usize].1.as_str())
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
