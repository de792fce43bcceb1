//! `notelint rules` and `notelint explain CODE`, generated from the rules' declarations.

use std::io::Write;

use super::{FINDINGS, SUCCESS};
use crate::config;
use crate::error::FileError;
use crate::rules::{self, Rule};

pub fn list() -> Result<u8, Vec<FileError>> {
    let mut out = std::io::stdout().lock();
    let width = rules::all().map(|r| r.code.len()).max().unwrap_or(0);
    for rule in rules::all() {
        let line = format!(
            "{:<width$}  {:<7}  {:<4}  {}\n",
            rule.code,
            severity_name(rule),
            fix_name(rule),
            rule.summary
        );
        if out.write_all(line.as_bytes()).is_err() {
            break;
        }
    }
    Ok(SUCCESS)
}

pub fn explain(code: &str) -> Result<u8, Vec<FileError>> {
    let Some(rule) = rules::by_code(code) else {
        let (message, help) = config::check_selector(code)
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
    let written = std::io::stdout().lock().write_all(text.as_bytes());
    Ok(if written.is_ok() { SUCCESS } else { FINDINGS })
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
