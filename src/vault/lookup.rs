//! The index's two lookups, by folded name and by folded scope-relative key: hash tables
//! of file ids that hash and compare through the entries, so no key is stored twice (at
//! 100k notes the copies and their maps were a fifth of a run's memory).

use std::hash::{Hash, Hasher};

use hashbrown::HashTable;
use hashbrown::hash_table::Entry as Slot;

use super::{Entry, FileId};

fn hash(scope: usize, text: &str) -> u64 {
    let mut hasher = rustc_hash::FxHasher::default();
    scope.hash(&mut hasher);
    text.hash(&mut hasher);
    hasher.finish()
}

fn key_hash(entries: &[Entry], id: FileId) -> u64 {
    let entry = &entries[id];
    hash(entry.scope, &entry.key)
}

fn name_hash(entries: &[Entry], id: FileId) -> u64 {
    let entry = &entries[id];
    hash(entry.scope, entry.name())
}

/// Folded scope-relative key -> the one file that has it.
#[derive(Default)]
pub(super) struct ByKey(HashTable<FileId>);

impl ByKey {
    pub(super) fn get(&self, entries: &[Entry], scope: usize, key: &str) -> Option<FileId> {
        self.0
            .find(hash(scope, key), |&id| {
                entries[id].scope == scope && *entries[id].key == *key
            })
            .copied()
    }

    /// Makes `id` the file of its entry's key, in place of any other.
    pub(super) fn set(&mut self, entries: &[Entry], id: FileId) {
        let (scope, key) = (entries[id].scope, &*entries[id].key);
        let same = |&other: &FileId| entries[other].scope == scope && *entries[other].key == *key;
        match self
            .0
            .entry(hash(scope, key), same, |&other| key_hash(entries, other))
        {
            Slot::Occupied(mut slot) => *slot.get_mut() = id,
            Slot::Vacant(slot) => {
                slot.insert(id);
            }
        }
    }

    /// Forgets the file of this key.
    pub(super) fn remove(&mut self, entries: &[Entry], scope: usize, key: &str) {
        let found = self.0.find_entry(hash(scope, key), |&id| {
            entries[id].scope == scope && *entries[id].key == *key
        });
        if let Ok(slot) = found {
            slot.remove();
        }
    }
}

/// Folded name (the key's last component) -> the files that have it, in the order they
/// were added. Most names belong to one file, which then costs no list of its own.
#[derive(Default)]
pub(super) struct ByName(HashTable<Named>);

struct Named {
    first: FileId,
    rest: Vec<FileId>,
}

impl Named {
    fn ids(&self) -> impl Iterator<Item = FileId> + '_ {
        std::iter::once(self.first).chain(self.rest.iter().copied())
    }
}

impl ByName {
    /// The files named `name` in `scope`.
    pub(super) fn get<'a>(
        &'a self,
        entries: &[Entry],
        scope: usize,
        name: &str,
    ) -> impl Iterator<Item = FileId> + 'a {
        self.0
            .find(hash(scope, name), |named| {
                let entry = &entries[named.first];
                entry.scope == scope && entry.name() == name
            })
            .into_iter()
            .flat_map(Named::ids)
    }

    /// Every name: the files of each, in no particular order.
    pub(super) fn all(&self) -> impl Iterator<Item = impl Iterator<Item = FileId> + '_> + '_ {
        self.0.iter().map(Named::ids)
    }

    /// Adds file `id` under its entry's name.
    pub(super) fn add(&mut self, entries: &[Entry], id: FileId) {
        let (scope, name) = (entries[id].scope, entries[id].name());
        let same = |named: &Named| {
            let entry = &entries[named.first];
            entry.scope == scope && entry.name() == name
        };
        let rehash = |named: &Named| name_hash(entries, named.first);
        match self.0.entry(hash(scope, name), same, rehash) {
            Slot::Occupied(mut slot) => slot.get_mut().rest.push(id),
            Slot::Vacant(slot) => {
                slot.insert(Named {
                    first: id,
                    rest: Vec::new(),
                });
            }
        }
    }

    /// Removes file `id` from its entry's name.
    pub(super) fn remove(&mut self, entries: &[Entry], id: FileId) {
        let (scope, name) = (entries[id].scope, entries[id].name());
        let found = self.0.find_entry(hash(scope, name), |named| {
            let entry = &entries[named.first];
            entry.scope == scope && entry.name() == name
        });
        let Ok(mut slot) = found else {
            return;
        };
        let named = slot.get_mut();
        if named.first == id {
            if named.rest.is_empty() {
                slot.remove();
            } else {
                named.first = named.rest.remove(0);
            }
        } else {
            named.rest.retain(|&other| other != id);
        }
    }
}
