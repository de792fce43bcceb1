//! `notelint rules` and `notelint explain CODE`, generated from the rules' declarations.

use super::print;
use crate::error::FileError;
use crate::rules::{self, Rule};

pub fn list() -> Result<u8, Vec<FileError>> {
    let width = rules::all().map(|r| r.code.len()).max().unwrap_or(0);
    let mut text = String::new();
    for rule in rules::all() {
        text.push_str(&format!(
            "{:<width$}  {:<7}  {:<6}  {}\n",
            rule.code,
            severity_name(rule),
            fix_name(rule),
            rule.summary
        ));
    }
    Ok(print(text.as_bytes()))
}

pub fn explain(code: &str) -> Result<u8, Vec<FileError>> {
    let Some(rule) = rules::by_code(code) else {
        let (message, help) = rules::selection::check_selector(code)
            .err()
            .unwrap_or_else(|| (format!("`{code}` is a group, not a rule code"), None));
        let help = help.or_else(|| Some("`notelint rules` lists every code".to_owned()));
        return Err(vec![
            FileError::new("explain", message).with_optional_help(help),
        ]);
    };
    let text = format!(
        "# {}\n\nDefault severity: {}. Fix: {}.\n\n{}\n",
        rule.code,
        severity_name(rule),
        match rule.fix {
            Some(crate::diagnostic::Applicability::Safe) => "safe, applied by `notelint fix`",
            Some(crate::diagnostic::Applicability::Unsafe) =>
                "unsafe, applied with `--unsafe-fixes`",
            None => "none",
        },
        rule.explanation
    );
    Ok(print(text.as_bytes()))
}

fn severity_name(rule: &Rule) -> &'static str {
    rule.default_severity.map_or("off", |s| s.as_str())
}

fn fix_name(rule: &Rule) -> &'static str {
    match rule.fix {
        Some(crate::diagnostic::Applicability::Safe) => "safe",
        Some(crate::diagnostic::Applicability::Unsafe) => "unsafe",
        None => "-",
    }
}
