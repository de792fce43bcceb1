//! Where each format goes: `--format FORMAT[=FILE]` (repeatable) and `--output-file FILE`
//! (SPEC 2). One run can print annotations and write SARIF and JSON files; at most one
//! format goes to standard output.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use clap::ValueEnum;

use super::Format;

/// One format and where it goes: a file, or standard output (`None`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Destination {
    pub format: Format,
    pub file: Option<PathBuf>,
}

impl FromStr for Destination {
    type Err = String;

    /// `FORMAT` or `FORMAT=FILE`.
    fn from_str(value: &str) -> Result<Destination, String> {
        let (name, file) = match value.split_once('=') {
            Some((name, file)) => (name, Some(file)),
            None => (value, None),
        };
        let format = Format::from_str(name, false).map_err(|_| {
            let names: Vec<String> = Format::value_variants()
                .iter()
                .filter_map(|f| f.to_possible_value().map(|v| v.get_name().to_owned()))
                .collect();
            format!("unknown format `{name}` (one of {})", names.join(", "))
        })?;
        let file = match file {
            Some("") => return Err(format!("`{name}=` names no file")),
            Some(file) => Some(PathBuf::from(file)),
            None => None,
        };
        Ok(Destination { format, file })
    }
}

/// The destinations of a run from `--format` values (none: `human`) and `--output-file`,
/// or why they are a usage error.
pub fn destinations(
    formats: &[Destination],
    output_file: Option<&Path>,
) -> Result<Vec<Destination>, String> {
    let mut all = if formats.is_empty() {
        vec![Destination {
            format: Format::Human,
            file: None,
        }]
    } else {
        formats.to_vec()
    };
    if let Some(output_file) = output_file {
        if all.iter().any(|d| d.file.is_some()) {
            return Err(
                "--output-file cannot be combined with --format FORMAT=FILE: name every file \
                 in --format"
                    .to_owned(),
            );
        }
        if all.len() > 1 {
            return Err(
                "--output-file takes a single format: write several with --format FORMAT=FILE"
                    .to_owned(),
            );
        }
        for destination in &mut all {
            destination.file = Some(output_file.to_path_buf());
        }
    }
    if all.iter().filter(|d| d.file.is_none()).count() > 1 {
        return Err(
            "at most one format can go to standard output: send the others to files with \
             --format FORMAT=FILE"
                .to_owned(),
        );
    }
    for (i, destination) in all.iter().enumerate() {
        let Some(file) = &destination.file else {
            continue;
        };
        if all[..i]
            .iter()
            .any(|earlier| earlier.file.as_deref().is_some_and(|f| same_file(f, file)))
        {
            return Err(format!(
                "two formats would write to {}",
                super::escape_controls(&file.to_string_lossy())
            ));
        }
    }
    Ok(all)
}

fn same_file(a: &Path, b: &Path) -> bool {
    let absolute = |p: &Path| std::path::absolute(p).map(|p| crate::paths::normalize(&p));
    match (absolute(a), absolute(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(values: &[&str]) -> Vec<Destination> {
        values
            .iter()
            .map(|v| v.parse().expect("valid --format value"))
            .collect()
    }

    #[test]
    fn parses_format_and_file() {
        assert_eq!(
            parse(&["sarif=out/notelint.sarif", "github"]),
            [
                Destination {
                    format: Format::Sarif,
                    file: Some(PathBuf::from("out/notelint.sarif"))
                },
                Destination {
                    format: Format::Github,
                    file: None
                }
            ]
        );
        // Only the first `=` separates: the file name may hold more.
        assert_eq!(
            parse(&["json=a=b.json"])[0].file,
            Some(PathBuf::from("a=b.json"))
        );
        let unknown = "xml=report.xml"
            .parse::<Destination>()
            .expect_err("not a format");
        assert!(unknown.contains("unknown format `xml`"), "{unknown}");
        assert!(unknown.contains("gitlab, junit"), "{unknown}");
        assert!("json=".parse::<Destination>().is_err());
    }

    #[test]
    fn default_is_human_on_stdout() {
        assert_eq!(
            destinations(&[], None),
            Ok(vec![Destination {
                format: Format::Human,
                file: None
            }])
        );
        let to_file = destinations(&[], Some(Path::new("report.txt"))).expect("valid");
        assert_eq!(to_file[0].format, Format::Human);
        assert_eq!(to_file[0].file.as_deref(), Some(Path::new("report.txt")));
    }

    #[test]
    fn usage_errors() {
        let two_to_stdout = destinations(&parse(&["github", "json"]), None);
        assert!(two_to_stdout.is_err_and(|e| e.contains("at most one format")));
        let mixed = destinations(&parse(&["sarif=a.sarif"]), Some(Path::new("b")));
        assert!(mixed.is_err_and(|e| e.contains("--output-file cannot be combined")));
        let several = destinations(&parse(&["json", "github"]), Some(Path::new("b")));
        assert!(several.is_err_and(|e| e.contains("single format")));
        let same = destinations(&parse(&["json=r.json", "sarif=./r.json"]), None);
        assert!(same.is_err_and(|e| e.contains("two formats would write to")));
        assert!(destinations(&parse(&["github", "sarif=a", "json=b", "junit=c"]), None).is_ok());
    }
}
