//! A per-index memo of wikilink answers that do not depend on where the link is written.

use std::hash::{Hash, Hasher};
use std::sync::Mutex;

use rustc_hash::FxHashMap;

use super::{FileId, Resolution};

/// A memo of `resolve_wikilink` for `(scope, target)`: a vault links each name from many
/// notes (~25 times on average in a CRM vault), and each resolution folds the target and
/// looks up its candidates. Only answers that cannot depend on the linking note's folder
/// are kept: a single match, or none. Sharded, so the workers of a run rarely wait for
/// one another; compact (a vault has about as many distinct targets as notes), with the
/// targets in one string per shard. Cleared whenever a file comes or goes.
pub(super) struct Answers {
    shards: Box<[Mutex<Shard>]>,
}

#[derive(Default)]
struct Shard {
    /// Key hash -> the answer kept under it.
    slots: FxHashMap<u64, Slot>,
    /// The targets of `slots`, back to back.
    targets: String,
}

/// One answer: its question (the target's place in `Shard::targets`) and the file it
/// found (`BROKEN`: none).
#[derive(Clone, Copy)]
struct Slot {
    scope: u32,
    start: u32,
    len: u32,
    file: u32,
}

const BROKEN: u32 = u32::MAX;
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

    fn shard(&self, key: u64) -> Option<&Mutex<Shard>> {
        // The high bits: the map itself hashes the low ones.
        self.shards.get((key >> 58) as usize % SHARDS)
    }

    pub(super) fn get(&self, scope: usize, target: &str) -> Option<Resolution> {
        let key = Answers::key(scope, target);
        let shard = self.shard(key)?.lock().ok()?;
        let slot = shard.slots.get(&key)?;
        let asked = shard
            .targets
            .get(slot.start as usize..(slot.start + slot.len) as usize)?;
        if slot.scope as usize != scope || asked != target {
            return None;
        }
        Some(match slot.file {
            BROKEN => Resolution::Broken,
            id => Resolution::Found {
                id: id as FileId,
                matches: 1,
            },
        })
    }

    /// Keeps `answer` when it is one that can be kept (see [`Answers`]) and fits.
    pub(super) fn put(&self, scope: usize, target: &str, answer: &Resolution) {
        let file = match *answer {
            Resolution::Broken => BROKEN,
            Resolution::Found { id, matches: 1 } => match u32::try_from(id) {
                Ok(id) if id != BROKEN => id,
                _ => return,
            },
            _ => return,
        };
        let key = Answers::key(scope, target);
        let Some(Ok(mut shard)) = self.shard(key).map(|s| s.lock()) else {
            return;
        };
        let shard = &mut *shard;
        let (Ok(scope), Ok(start), Ok(len)) = (
            u32::try_from(scope),
            u32::try_from(shard.targets.len()),
            u32::try_from(target.len()),
        ) else {
            return;
        };
        // On a hash collision the first answer stays; the other target is resolved each
        // time.
        if let std::collections::hash_map::Entry::Vacant(vacant) = shard.slots.entry(key) {
            shard.targets.push_str(target);
            vacant.insert(Slot {
                scope,
                start,
                len,
                file,
            });
        }
    }

    pub(super) fn clear(&mut self) {
        for shard in self.shards.iter_mut() {
            if let Ok(shard) = shard.get_mut() {
                *shard = Shard::default();
            }
        }
    }
}
