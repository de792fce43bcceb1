//! `notelint schemas`: which schema each note gets and why, and unused associations.

use rayon::prelude::*;

use super::{inside_vault, print, setup, threads};
use crate::cli::SchemasArgs;
use crate::error::FileError;
use crate::lint;
use crate::note::Note;
use crate::schema::Schemas;
use crate::walk::{self, Exclusions};

pub fn run(args: &SchemasArgs) -> Result<u8, Vec<FileError>> {
    let config = setup(&args.paths, &args.common)?;
    let schemas = Schemas::new(&config)?;
    let exclusions = Exclusions::new(&config);
    let walk = walk::walk(
        &config,
        &exclusions,
        args.common.no_ignore,
        threads(&args.common),
        None,
    );
    let paths = inside_vault(&config, args.paths.clone());
    // Named paths all outside the vault: nothing to show, not the whole vault.
    let notes = if paths.is_empty() && !args.paths.is_empty() {
        Vec::new()
    } else {
        walk.select(&config, &exclusions, &paths)
    };
    let notes: Vec<_> = notes
        .into_iter()
        .filter(|file| !crate::canvas::is_canvas(&file.rel))
        .collect();
    let options = lint::parse_options(&config);

    let rows: Vec<(String, String, String)> = notes
        .par_iter()
        .map(|file| {
            let text = std::fs::read_to_string(&file.abs).unwrap_or_default();
            let note = Note::parse(file.rel.clone(), text, &options);
            match schemas.associate(&note.path, &file.abs, note.parsed()) {
                Ok(association) => {
                    let schema = association
                        .schema
                        .as_deref()
                        .map_or_else(|| "-".to_owned(), |s| schemas.display_path(s));
                    (file.rel.clone(), schema, association.reason.to_string())
                }
                Err(message) => (
                    file.rel.clone(),
                    "-".to_owned(),
                    format!("error: {message}"),
                ),
            }
        })
        .collect();

    let width = rows.iter().map(|r| r.0.len()).max().unwrap_or(0);
    let schema_width = rows.iter().map(|r| r.1.len()).max().unwrap_or(0);
    let mut text = String::new();
    for (note, schema, reason) in &rows {
        text.push_str(&format!(
            "{note:<width$}  {schema:<schema_width$}  ({reason})\n"
        ));
    }
    if args.paths.is_empty() {
        let unused = schemas.unused();
        if !unused.is_empty() {
            text.push_str("\nassociations that match no note:\n");
            for (_, message) in unused {
                text.push_str(&format!("  {message}\n"));
            }
        }
    }
    Ok(print(text.as_bytes()))
}
