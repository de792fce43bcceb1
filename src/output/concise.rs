//! `concise`: one `path:line:col: severity[code] message` line per finding, for editors and grep.

use std::io::{self, Write};

use super::{Style, Totals, locate, summary_line, write_statistics};
use crate::lint::Outcome;

pub fn write(outcome: &Outcome, style: Style, out: &mut dyn Write) -> io::Result<()> {
    for report in &outcome.reports {
        for located in locate(report) {
            let d = located.diagnostic;
            writeln!(
                out,
                "{}:{}:{}: {}[{}] {}",
                outcome.shown_path(report),
                located.start.line,
                located.start.column,
                d.severity,
                d.code(),
                d.message
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
