//! A per-index memo of wikilink answers that do not depend on where the link is written.

use std::hash::{Hash, Hasher};
use std::sync::Mutex;

use rustc_hash::FxHashMap;

use super::Resolution;

/// A memo of `resolve_wikilink` for `(scope, target)`: a vault links each name from many
/// notes (~25 times on average in a CRM vault), and each resolution folds the target and
/// looks up its candidates. Only answers that do not depend on the linking note's folder
/// are kept (see `VaultIndex::resolve_wikilink`). Sharded, so the workers of a run rarely
/// wait for one another. Cleared whenever a file comes or goes.
pub(super) struct Answers {
    shards: Box<[Shard]>,
}

/// Key hash -> (scope, target, answer).
type Shard = Mutex<FxHashMap<u64, (usize, Box<str>, Resolution)>>;

const SHARDS: usize = 32;

impl Default for Answers {
    fn default() -> Answers {
        Answers {
            shards: (0..SHARDS).map(|_| Mutex::default()).collect(),
        }
    }
}

impl Answers {
    fn key(scope: usize, target: &str) -> u64 {
        let mut hasher = rustc_hash::FxHasher::default();
        scope.hash(&mut hasher);
        target.hash(&mut hasher);
        hasher.finish()
    }

    fn shard(&self, key: u64) -> Option<&Shard> {
        // The high bits: the map itself hashes the low ones.
        self.shards.get((key >> 58) as usize % SHARDS)
    }

    pub(super) fn get(&self, scope: usize, target: &str) -> Option<Resolution> {
        let key = Answers::key(scope, target);
        let shard = self.shard(key)?.lock().ok()?;
        let (s, t, answer) = shard.get(&key)?;
        (*s == scope && **t == *target).then(|| answer.clone())
    }

    pub(super) fn put(&self, scope: usize, target: &str, answer: &Resolution) {
        let key = Answers::key(scope, target);
        if let Some(Ok(mut shard)) = self.shard(key).map(|s| s.lock()) {
            // On a hash collision the first answer stays; the other target is computed
            // each time.
            shard
                .entry(key)
                .or_insert_with(|| (scope, target.into(), answer.clone()));
        }
    }

    pub(super) fn clear(&mut self) {
        for shard in self.shards.iter_mut() {
            if let Ok(shard) = shard.get_mut() {
                shard.clear();
            }
        }
    }
}
