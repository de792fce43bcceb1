//! `concise`: one `path:line:col: severity[code] message` line per finding, for editors and grep.
//! Control characters in paths and messages are escaped, newlines included, so a finding
//! is always one line and never a terminal escape sequence.

use std::io::{self, Write};

use super::{Style, Totals, escape_controls, locate, summary_line, write_statistics};
use crate::lint::report::Outcome;

pub fn write(outcome: &Outcome, style: Style, out: &mut dyn Write) -> io::Result<()> {
    for report in &outcome.reports {
        let path = outcome.shown_path(report);
        let path = escape_controls(&path);
        for located in locate(report) {
            let d = located.diagnostic;
            writeln!(
                out,
                "{}:{}:{}: {}[{}] {}",
                path,
                located.start.line,
                located.start.column,
                d.severity,
                d.code(),
                escape_controls(&d.message)
            )?;
        }
    }
    if style.statistics {
        write_statistics(outcome, out)?;
    }
    if !style.quiet {
        writeln!(out, "{}", summary_line(&Totals::of(outcome)))?;
    }
    Ok(())
}
