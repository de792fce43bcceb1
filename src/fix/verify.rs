//! Verification by value (SPEC 6): after a note's edits, its frontmatter is loaded again
//! and compared with the old one as values (aliases resolved). Every key no applied fix
//! declares must load to exactly the same value, and each declared key to exactly the
//! combined intended value of the fixes applied to it. Nothing is written otherwise.
//!
//! Depends only on the note, the YAML loader and the diagnostic types, so the check
//! (for `fixable`) and the fixer (before every write) run the same verification.

use std::collections::BTreeMap;

use serde_json::Value as Json;

use crate::diagnostic::{Change, Fix, apply_edits};
use crate::note::{FrontmatterState, Note, ParseOptions, Split, frontmatter};
use crate::yaml;

/// Why edits were refused, said to the user ("not fixable automatically: ...").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch(pub String);

impl std::fmt::Display for Mismatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The frontmatter's top-level values by key (first occurrence of a duplicate, as
/// everywhere), and its duplicate keys.
struct Values {
    /// `None`: the note has no frontmatter.
    map: Option<BTreeMap<String, Json>>,
    /// The whole value when the top level is not a mapping.
    other: Option<Json>,
    duplicates: Vec<String>,
}

fn values_of(document: Option<&yaml::Document>) -> Values {
    let Some(document) = document else {
        return Values {
            map: None,
            other: None,
            duplicates: Vec::new(),
        };
    };
    let mut duplicates: Vec<String> = document.duplicates.iter().map(|d| d.key.clone()).collect();
    duplicates.sort();
    match document.root.to_json() {
        Json::Object(object) => Values {
            map: Some(object.into_iter().collect()),
            other: None,
            duplicates,
        },
        Json::Null => Values {
            map: Some(BTreeMap::new()),
            other: None,
            duplicates,
        },
        other => Values {
            map: Some(BTreeMap::new()),
            other: Some(other),
            duplicates,
        },
    }
}

/// Checks that applying `fixes` to `old` changes its frontmatter exactly as they declare;
/// returns the new text.
pub fn apply_verified(
    old: &Note,
    fixes: &[&Fix],
    options: &ParseOptions,
) -> Result<String, Mismatch> {
    let edits: Vec<_> = fixes.iter().flat_map(|f| &f.edits).collect();
    let text = apply_edits(&old.text, &edits);
    verify(old, &text, fixes, options)?;
    Ok(text)
}

/// Checks `new_text` against `old` and what `fixes` declare.
pub fn verify(
    old: &Note,
    new_text: &str,
    fixes: &[&Fix],
    options: &ParseOptions,
) -> Result<(), Mismatch> {
    let before = match &old.frontmatter {
        FrontmatterState::Absent => values_of(None),
        FrontmatterState::Parsed(fm) => values_of(Some(&fm.document)),
        _ => return Err(Mismatch("the frontmatter does not load".into())),
    };
    let loaded = match frontmatter::split(new_text) {
        Split::None { .. } => None,
        Split::Unclosed { .. } => {
            return Err(Mismatch(
                "the edit would leave the frontmatter unclosed".into(),
            ));
        }
        Split::Closed(block) => {
            let yaml = new_text.get(block.yaml.clone()).unwrap_or_default();
            match yaml::load(yaml, &options.limits) {
                Ok(document) => Some(document),
                Err(error) => {
                    return Err(Mismatch(format!(
                        "the edited frontmatter would not load ({error})"
                    )));
                }
            }
        }
    };
    let after = values_of(loaded.as_ref());
    if before.other != after.other {
        return Err(Mismatch("the edit would change the frontmatter".into()));
    }
    if let Some(key) = after
        .duplicates
        .iter()
        .find(|key| count(&after.duplicates, key) > count(&before.duplicates, key))
    {
        return Err(Mismatch(format!("the edit would write `{key}` twice")));
    }
    let declared = declared_changes(fixes);
    if before.map.is_none() && after.map.is_none() {
        return Ok(());
    }
    if after.map.is_none() {
        return Err(Mismatch("the edit would remove the frontmatter".into()));
    }
    let empty = BTreeMap::new();
    let (old_map, new_map) = (
        before.map.as_ref().unwrap_or(&empty),
        after.map.as_ref().unwrap_or(&empty),
    );
    // Every key either side has, and every key a fix declares (one may add a key).
    let keys: std::collections::BTreeSet<&str> = old_map
        .keys()
        .chain(new_map.keys())
        .map(String::as_str)
        .chain(declared.keys().copied())
        .collect();
    for key in keys {
        let old_value = old_map.get(key);
        let new_value = new_map.get(key);
        let want = match declared.get(key) {
            Some(changes) => combine(old_value, changes).map_err(Mismatch)?,
            None => old_value.cloned(),
        };
        if new_value != want.as_ref() {
            return Err(Mismatch(describe(key, want.as_ref(), new_value)));
        }
    }
    Ok(())
}

fn count(keys: &[String], key: &str) -> usize {
    keys.iter().filter(|k| *k == key).count()
}

fn describe(key: &str, want: Option<&Json>, got: Option<&Json>) -> String {
    let show = |v: Option<&Json>| v.map_or_else(|| "nothing".to_owned(), |v| format!("`{v}`"));
    format!(
        "the edit would make `{key}` {} instead of {}",
        show(got),
        show(want)
    )
}

/// The changes of all `fixes`, by key, in order.
fn declared_changes<'f>(fixes: &[&'f Fix]) -> BTreeMap<&'f str, Vec<&'f Change>> {
    let mut by_key: BTreeMap<&str, Vec<&Change>> = BTreeMap::new();
    for fix in fixes {
        for change in &fix.changes {
            by_key
                .entry(change.key.as_str())
                .or_default()
                .push(&change.change);
        }
    }
    by_key
}

/// Whether `fixes` can be applied to `old` together: their changes of each key combine
/// (no two whole-value changes, no removal beside anything else, no list item or text
/// changed twice).
pub fn compatible(old: &Note, fixes: &[&Fix]) -> bool {
    let root = old.parsed().map(|fm| fm.root());
    declared_changes(fixes).iter().all(|(key, changes)| {
        let value = root
            .and_then(|root| root.get(key))
            .map(|e| e.value.to_json());
        combine(value.as_ref(), changes).is_ok()
    })
}

/// The value a key must load to after `changes` are applied to `old` (`None`: absent).
pub fn combine(old: Option<&Json>, changes: &[&Change]) -> Result<Option<Json>, String> {
    if let [only] = changes {
        match only {
            Change::Remove => return Ok(None),
            Change::Set(value) => return Ok(Some(value.clone())),
            _ => {}
        }
    }
    if changes
        .iter()
        .any(|c| matches!(c, Change::Remove | Change::Set(_)))
    {
        return Err("two fixes change one value".into());
    }
    let is_text = changes.iter().any(|c| matches!(c, Change::ReplaceText(..)));
    if is_text {
        let Some(Json::String(old)) = old else {
            return Err("a text change of a value that is not a string".into());
        };
        let mut pieces: Vec<(&std::ops::Range<usize>, &str)> = Vec::new();
        for change in changes {
            match change {
                Change::ReplaceText(range, with) => pieces.push((range, with)),
                _ => return Err("a text change beside a list change".into()),
            }
        }
        pieces.sort_by_key(|(range, _)| (range.start, range.end));
        let mut out = String::new();
        let mut at = 0;
        let mut inserted_at = None;
        for (range, with) in pieces {
            if range.is_empty() && inserted_at == Some(range.start) {
                return Err("two insertions at one place of a value".into());
            }
            if range.is_empty() {
                inserted_at = Some(range.start);
            }
            let before = old
                .get(at..range.start)
                .ok_or("two text changes overlap or fall outside the value")?;
            if old.get(range.clone()).is_none() {
                return Err("a text change falls outside the value".into());
            }
            out.push_str(before);
            out.push_str(with);
            at = range.end;
        }
        out.push_str(old.get(at..).unwrap_or_default());
        return Ok(Some(Json::String(out)));
    }
    let mut items: Vec<Option<Json>> = match old {
        Some(Json::Array(items)) => items.iter().cloned().map(Some).collect(),
        Some(Json::Null) | None => Vec::new(),
        Some(_) => return Err("a list change of a value that is not a list".into()),
    };
    let mut touched = Vec::new();
    let mut appended = Vec::new();
    for change in changes {
        match change {
            Change::RemoveItem(i) | Change::ReplaceItem(i, _) => {
                if touched.contains(i) || *i >= items.len() {
                    return Err("two fixes change one list item".into());
                }
                touched.push(*i);
                items[*i] = match change {
                    Change::ReplaceItem(_, value) => Some(value.clone()),
                    _ => None,
                };
            }
            Change::Append(values) => appended.extend(values.iter().cloned()),
            _ => return Err("a list change beside a text change".into()),
        }
    }
    let mut list: Vec<Json> = items.into_iter().flatten().collect();
    list.extend(appended);
    Ok(Some(Json::Array(list)))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn list_changes_combine_by_original_index() {
        let old = json!(["a", "b", "c"]);
        let changes = [
            Change::RemoveItem(0),
            Change::ReplaceItem(2, json!("C")),
            Change::Append(vec![json!("d")]),
        ];
        let refs: Vec<&Change> = changes.iter().collect();
        assert_eq!(combine(Some(&old), &refs), Ok(Some(json!(["b", "C", "d"]))));
        let twice = [Change::RemoveItem(1), Change::ReplaceItem(1, json!("x"))];
        let refs: Vec<&Change> = twice.iter().collect();
        assert!(combine(Some(&old), &refs).is_err());
    }

    #[test]
    fn appending_to_null_or_nothing_makes_a_list() {
        let append = Change::Append(vec![json!("needs-review")]);
        assert_eq!(combine(None, &[&append]), Ok(Some(json!(["needs-review"]))));
        assert_eq!(
            combine(Some(&Json::Null), &[&append]),
            Ok(Some(json!(["needs-review"])))
        );
        assert!(combine(Some(&json!("a b")), &[&append]).is_err());
    }

    #[test]
    fn text_changes_combine_when_apart() {
        let old = json!("#A, b");
        let a = Change::ReplaceText(0..2, "a".into());
        let end = Change::ReplaceText(5..5, ", needs-review".into());
        assert_eq!(
            combine(Some(&old), &[&a, &end]),
            Ok(Some(json!("a, b, needs-review")))
        );
        let clash = Change::ReplaceText(1..3, "x".into());
        assert!(combine(Some(&old), &[&a, &clash]).is_err());
    }

    #[test]
    fn whole_value_changes_stand_alone() {
        let set = Change::Set(json!(["x"]));
        let append = Change::Append(vec![json!("y")]);
        assert!(combine(None, &[&set, &append]).is_err());
        assert_eq!(combine(Some(&json!("x")), &[&Change::Remove]), Ok(None));
    }
}
