//! `notelint check --watch`: check once, then again whenever a file of the vault changes,
//! until Ctrl-C.
//!
//! Changes are debounced (a save storm gives one report). Each re-check reads the
//! configuration and the schemas again, so an edit to `notelint.toml` or a schema takes
//! effect at once; if they have become invalid, the error is shown and the watch goes on.
//! On a terminal the screen is cleared before each report, as ruff and cargo-watch do.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Duration;

use notify_debouncer_full::notify::RecursiveMode;
use notify_debouncer_full::notify::event::{EventKind, ModifyKind};
use notify_debouncer_full::{DebouncedEvent, new_debouncer};

use super::SUCCESS;
use super::check::{prepare, report};
use crate::cli::CheckArgs;
use crate::config::Config;
use crate::error::FileError;
use crate::interrupt;
use crate::lint;
use crate::output;

/// How long the files must be quiet before a re-check: one editor save (write a temporary
/// file, rename it over the note, touch the folder) gives one report.
const DEBOUNCE: Duration = Duration::from_millis(200);

/// How often the loop looks for Ctrl-C while no change arrives.
const POLL: Duration = Duration::from_millis(100);

pub fn run(args: &CheckArgs) -> Result<u8, Vec<FileError>> {
    // The first set-up finds the vault and says usage and configuration errors, and ends
    // the run on them, as without `--watch`.
    let (config, schemas, request) = prepare(args)?;
    let relevant = Relevant::new(args, &config);

    // Watching starts before the first check, so no change made after its report is missed.
    let (events, changes) = mpsc::channel();
    let mut debouncer = new_debouncer(DEBOUNCE, None, events).map_err(|e| watch_error(&e))?;
    debouncer
        .watch(&config.vault_root, RecursiveMode::Recursive)
        .map_err(|e| watch_error(&e))?;
    if let Some(folder) = &relevant.config_folder {
        debouncer
            .watch(folder, RecursiveMode::NonRecursive)
            .map_err(|e| watch_error(&e))?;
    }
    let interrupt = interrupt::Guard::catch();

    clear_screen();
    let first = lint::lint(&config, &schemas, &request);
    drop((config, schemas, request));
    show(first, args, &relevant.root);
    while !interrupt.stopped() {
        match changes.recv_timeout(POLL) {
            Ok(Ok(batch)) if batch.iter().any(|event| relevant.matters(event)) => {
                // Changes queued meanwhile (during a long check) are covered by this one.
                while let Ok(queued) = changes.try_recv() {
                    if let Err(errors) = queued {
                        warn_unwatched(&errors);
                    }
                }
                clear_screen();
                // The whole selection is checked again: the vault-wide index is rebuilt
                // from scratch each time. When the index becomes incremental, this is where
                // only the changed notes and the notes whose findings they can change
                // (backlinks) are re-checked, and the report is assembled from the rest.
                let outcome = prepare(args)
                    .and_then(|(config, schemas, request)| lint::lint(&config, &schemas, &request));
                show(outcome, args, &relevant.root);
            }
            Ok(Ok(_)) | Err(RecvTimeoutError::Timeout) => {}
            Ok(Err(errors)) => warn_unwatched(&errors),
            Err(RecvTimeoutError::Disconnected) => break,
        }
    }
    // Ctrl-C is how a watch ends: a normal end. Each report's verdict was shown with it.
    Ok(SUCCESS)
}

/// A watch that can no longer see every change (the inotify limit, a watched folder
/// removed) says so, and goes on with what it sees.
fn warn_unwatched(errors: &[notify_debouncer_full::notify::Error]) {
    let mut stderr = std::io::stderr().lock();
    for error in errors {
        let _ = writeln!(stderr, "warning: watching for changes: {error}");
    }
}

/// Prints a report, or the errors that kept it from being made, then the watch line.
fn show(outcome: Result<lint::Outcome, Vec<FileError>>, args: &CheckArgs, root: &Path) {
    let color = super::wants_color(args.color, std::io::stderr().is_terminal());
    match outcome {
        Ok(outcome) => {
            report(outcome, args);
        }
        Err(errors) => {
            let mut stderr = std::io::stderr().lock();
            for error in errors {
                let _ = stderr.write_all(output::render_file_error(&error, color).as_bytes());
            }
        }
    }
    let _ = writeln!(
        std::io::stderr(),
        "watching {} for changes (Ctrl-C to stop)",
        output::escape_controls(&root.to_string_lossy())
    );
}

/// On a terminal, clears the screen and its scrollback so each report starts at the top.
fn clear_screen() {
    let stdout = std::io::stdout();
    if stdout.is_terminal() {
        let mut out = stdout.lock();
        let _ = out.write_all(b"\x1b[H\x1b[2J\x1b[3J");
        let _ = out.flush();
    }
}

fn watch_error(error: &dyn std::fmt::Display) -> Vec<FileError> {
    vec![FileError::new(
        "--watch",
        format!("cannot watch for changes: {error}"),
    )]
}

/// Which file events can change a report.
struct Relevant {
    root: PathBuf,
    /// The folder of a `--config` file outside the vault, watched for it and its schemas.
    config_folder: Option<PathBuf>,
    /// Files whose every change counts: the config file and the baseline.
    always: Vec<PathBuf>,
    /// The reports this run writes: writing them must not start another run.
    written: Vec<PathBuf>,
    /// Extensions of the files whose content a check reads: notes, canvases, the
    /// configuration and schemas.
    read_extensions: Vec<String>,
}

impl Relevant {
    fn new(args: &CheckArgs, config: &Config) -> Relevant {
        let root = absolute(&config.vault_root);
        let config_file = config.file.as_deref().map(absolute);
        let config_folder = config_file
            .as_deref()
            .filter(|file| !file.starts_with(&root))
            .and_then(Path::parent)
            .map(Path::to_path_buf);
        let always = config_file
            .into_iter()
            .chain(args.baseline.as_deref().map(absolute))
            .collect();
        let written = output::destinations(&args.format, args.output_file.as_deref())
            .unwrap_or_default()
            .into_iter()
            .filter_map(|destination| destination.file.as_deref().map(absolute))
            .collect();
        let read_extensions = config
            .settings
            .vault
            .extensions
            .iter()
            .cloned()
            .chain(["canvas", "json", "toml"].map(String::from))
            .collect();
        Relevant {
            root,
            config_folder,
            always,
            written,
            read_extensions,
        }
    }

    fn matters(&self, event: &DebouncedEvent) -> bool {
        let content_only = match event.kind {
            // notelint's own reads open every note; timestamps and modes change no finding.
            EventKind::Access(_) | EventKind::Modify(ModifyKind::Metadata(_)) => return false,
            EventKind::Modify(ModifyKind::Data(_) | ModifyKind::Any | ModifyKind::Other) => true,
            // Created, removed, renamed: the set of files (link targets) changed.
            _ => false,
        };
        event
            .paths
            .iter()
            .any(|path| self.path_matters(path, content_only))
    }

    fn path_matters(&self, path: &Path, content_only: bool) -> bool {
        let path = absolute(path);
        if self.always.contains(&path) {
            return true;
        }
        if self.written.contains(&path) {
            return false;
        }
        let Ok(rel) = path.strip_prefix(&self.root) else {
            // Beside a `--config` file outside the vault: the schemas it may name.
            return self.config_folder.as_deref() == path.parent()
                && has_extension(&path, &["json"]);
        };
        // Hidden files and folders are not walked (`.git`, the atomic writer's temporary
        // files), except the Obsidian settings and ignore files that decide what is.
        let components: Vec<_> = rel.iter().collect();
        let hidden = |name: &std::ffi::OsStr| name.to_string_lossy().starts_with('.');
        match components.as_slice() {
            [.., name] if *name == ".gitignore" || *name == ".ignore" => true,
            [obsidian, name] if *obsidian == ".obsidian" => {
                ["app.json", "templates.json", "types.json"].contains(&&*name.to_string_lossy())
            }
            _ if components.iter().any(|name| hidden(name)) => false,
            // Only the presence of an attachment (a link target) matters, not its content:
            // a log or report redirected into the vault must not start a check per line.
            _ if content_only => has_extension(&path, &self.read_extensions),
            _ => true,
        }
    }
}

fn has_extension(path: &Path, extensions: &[impl AsRef<str>]) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        extensions
            .iter()
            .any(|x| x.as_ref().eq_ignore_ascii_case(e))
    })
}

/// `path` made absolute and `..`-free, for comparing the paths of events with ours.
fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).map_or_else(|_| path.to_path_buf(), |p| crate::paths::normalize(&p))
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify_debouncer_full::notify::{self, Event};

    fn relevant(root: &str) -> Relevant {
        Relevant {
            root: PathBuf::from(root),
            config_folder: Some(PathBuf::from("/shared")),
            always: vec![PathBuf::from("/v/.notelint-baseline.json")],
            written: vec![PathBuf::from("/v/report.json")],
            read_extensions: ["md", "canvas", "json", "toml"].map(String::from).to_vec(),
        }
    }

    fn event(kind: EventKind, path: &str) -> DebouncedEvent {
        DebouncedEvent::new(
            Event::new(kind).add_path(PathBuf::from(path)),
            std::time::Instant::now(),
        )
    }

    #[test]
    fn changes_that_can_change_a_report() {
        use notify::event::{
            AccessKind, CreateKind, DataChange, MetadataKind, RemoveKind, RenameMode,
        };
        let watch = relevant("/v");
        let write = EventKind::Modify(ModifyKind::Data(DataChange::Any));
        for (kind, path, matters) in [
            (write, "/v/People/Dana.md", true),
            (
                EventKind::Create(CreateKind::File),
                "/v/Attachments/chart.png",
                true,
            ),
            (EventKind::Remove(RemoveKind::Folder), "/v/Archive", true),
            (write, "/v/notelint.toml", true),
            (write, "/v/schemas/people.schema.json", true),
            (write, "/v/.obsidian/app.json", true),
            (write, "/v/Notes/.gitignore", true),
            (write, "/v/.notelint-baseline.json", true),
            (write, "/v/Board.canvas", true),
            (EventKind::Create(CreateKind::File), "/v/notes.log", true),
            (
                EventKind::Modify(ModifyKind::Name(RenameMode::Any)),
                "/v/a.png",
                true,
            ),
            (write, "/shared/notes.schema.json", true),
            // What notelint itself does, and what no check reads.
            (
                EventKind::Access(AccessKind::Any),
                "/v/People/Dana.md",
                false,
            ),
            (
                EventKind::Modify(ModifyKind::Metadata(MetadataKind::Any)),
                "/v/People/Dana.md",
                false,
            ),
            (write, "/v/report.json", false),
            (write, "/v/.notelint-Ab12.tmp", false),
            (write, "/v/.git/index", false),
            (write, "/v/.obsidian/workspace.json", false),
            (write, "/elsewhere/note.md", false),
            (write, "/shared/notes.txt", false),
            // The content of a file no check reads: a log redirected into the vault.
            (write, "/v/notes.log", false),
            (write, "/v/Attachments/chart.png", false),
        ] {
            assert_eq!(
                watch.matters(&event(kind, path)),
                matters,
                "{kind:?} {path}"
            );
        }
    }
}
