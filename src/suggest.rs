//! Did-you-mean: the closest candidate to a misspelt name, for help lines.

/// The candidate closest to `name`, if any is close enough to be a plausible typo.
///
/// Similarity is Jaro-Winkler on lower-cased text (typos at the end of a name weigh less
/// than at its start); a candidate that differs only in case always qualifies.
pub fn closest<'a, I>(name: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    closest_n(name, candidates, 1).into_iter().next()
}

/// Up to `n` candidates closest to `name`, best first.
pub fn closest_n<'a, I>(name: &str, candidates: I, n: usize) -> Vec<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let wanted = name.to_lowercase();
    let mut scored: Vec<(f64, &'a str)> = candidates
        .into_iter()
        .filter(|candidate| *candidate != name)
        .map(|candidate| {
            let score = strsim::jaro_winkler(&wanted, &candidate.to_lowercase());
            (score, candidate)
        })
        .filter(|(score, _)| *score >= 0.8)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    scored.dedup_by(|a, b| a.1 == b.1);
    scored.into_iter().take(n).map(|(_, c)| c).collect()
}

/// Renders names as a list of `code` spans: "`a`, `b` or `c`".
pub fn one_of(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [only] => format!("`{only}`"),
        [init @ .., last] => {
            let init: Vec<String> = init.iter().map(|n| format!("`{n}`")).collect();
            format!("{} or `{last}`", init.join(", "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_a_typo() {
        let keys = ["title", "last_contact", "created"];
        assert_eq!(closest("last_contcat", keys), Some("last_contact"));
        assert_eq!(closest("zzz", keys), None);
    }

    #[test]
    fn case_only_differences_qualify() {
        assert_eq!(closest("Contoso", ["contoso", "Fabrikam"]), Some("contoso"));
    }

    #[test]
    fn lists_read_naturally() {
        assert_eq!(one_of(&["a"]), "`a`");
        assert_eq!(one_of(&["a", "b", "c"]), "`a`, `b` or `c`");
    }
}
