//! `check --watch` through the binary: a report after each change, configuration reloaded,
//! a broken configuration shown without ending the watch, Ctrl-C a clean end. Every wait
//! is bounded, and the child is killed whatever happens.

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use crate::support::Vault;

/// How long one step may take: far more than a debounced re-check of a tiny vault needs
/// (well under a second), so a loaded machine does not fail the test.
const STEP: Duration = Duration::from_secs(20);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stream {
    Stdout,
    Stderr,
}

/// A running `notelint check --watch`, killed when dropped.
struct Watch {
    child: Child,
    lines: Receiver<(Stream, String)>,
    /// Lines read but not yet consumed by a wait.
    pending: Vec<(Stream, String)>,
    /// Everything read so far, for failure messages.
    seen: String,
}

impl Watch {
    fn start(vault: &Vault, args: &[&str]) -> Watch {
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("notelint"))
            .args(args)
            .current_dir(vault.path())
            .env_remove("NO_COLOR")
            .env_remove("CI")
            .env_remove("NOTELINT_FORMAT")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("starts");
        let (send, lines) = mpsc::channel();
        let streams: [(Stream, Box<dyn Read + Send>); 2] = [
            (
                Stream::Stdout,
                Box::new(child.stdout.take().expect("stdout")),
            ),
            (
                Stream::Stderr,
                Box::new(child.stderr.take().expect("stderr")),
            ),
        ];
        for (stream, pipe) in streams {
            let send = send.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(pipe).lines().map_while(Result::ok) {
                    if send.send((stream, line)).is_err() {
                        break;
                    }
                }
            });
        }
        Watch {
            child,
            lines,
            pending: Vec::new(),
            seen: String::new(),
        }
    }

    /// Waits for a line of `stream` containing `text`, and consumes that stream up to it
    /// (the two streams are read by two threads, so their lines arrive in any order);
    /// returns how long it took.
    fn wait_for(&mut self, stream: Stream, text: &str) -> Duration {
        let started = Instant::now();
        loop {
            if let Some(at) = self
                .pending
                .iter()
                .position(|(from, line)| *from == stream && line.contains(text))
            {
                let mut index = 0;
                self.pending.retain(|(from, _)| {
                    let keep = index > at || *from != stream;
                    index += 1;
                    keep
                });
                return started.elapsed();
            }
            let left = STEP.saturating_sub(started.elapsed());
            match self.lines.recv_timeout(left) {
                Ok((from, line)) => {
                    self.seen.push_str(&format!("{from:?}: {line}\n"));
                    self.pending.push((from, line));
                }
                Err(_) => panic!(
                    "no {stream:?} line with {text:?} within {STEP:?}; so far:\n{}",
                    self.seen
                ),
            }
        }
    }

    /// Sends Ctrl-C (SIGINT) and waits, bounded, for the exit code.
    fn interrupt(&mut self) -> Option<i32> {
        let _ = Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status();
        let started = Instant::now();
        while started.elapsed() < STEP {
            if let Ok(Some(status)) = self.child.try_wait() {
                return status.code();
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!(
            "still running {STEP:?} after Ctrl-C; so far:\n{}",
            self.seen
        );
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[cfg(unix)]
#[test]
fn watch_reports_each_change_reloads_the_config_and_stops_on_ctrl_c() {
    let vault = Vault::new().file("a.md", "---\ntitle: A\n---\n");
    let mut watch = Watch::start(&vault, &["check", "--watch", "--format", "concise"]);
    watch.wait_for(Stream::Stdout, "0 errors, 0 warnings in 1 note");
    // Printed once the first report is out; the watch began before that check.
    watch.wait_for(Stream::Stderr, "for changes (Ctrl-C to stop)");

    std::fs::write(vault.abs("a.md"), "---\ntitle: [oops\n---\n").expect("edit");
    let took = watch.wait_for(Stream::Stdout, "a.md:2:8: error[frontmatter/syntax]");
    watch.wait_for(Stream::Stdout, "1 error, 0 warnings in 1 note");
    assert!(took < Duration::from_secs(10), "new finding after {took:?}");

    // A new configuration is read at once.
    std::fs::write(
        vault.abs("notelint.toml"),
        "[rules]\nfrontmatter = \"off\"\n",
    )
    .expect("config");
    watch.wait_for(Stream::Stdout, "0 errors, 0 warnings in 1 note");

    // A broken one is shown, and the watch goes on.
    std::fs::write(vault.abs("notelint.toml"), "[rules\n").expect("config");
    watch.wait_for(Stream::Stderr, "unclosed table");
    std::fs::write(vault.abs("notelint.toml"), "").expect("config");
    watch.wait_for(Stream::Stdout, "1 error, 0 warnings in 1 note");

    // A new note is seen too.
    std::fs::write(vault.abs("b.md"), "---\ncreated: 2025-02-30\n---\n").expect("new note");
    watch.wait_for(Stream::Stdout, "2 errors, 0 warnings in 2 notes");

    let code = watch.interrupt();
    assert_eq!(
        code,
        Some(0),
        "Ctrl-C ends a watch normally:\n{}",
        watch.seen
    );
    assert!(!watch.seen.contains("panicked"), "{}", watch.seen);
}

#[cfg(unix)]
#[test]
fn watch_writes_its_reports_without_waking_itself() {
    let vault = Vault::new().file("a.md", "---\ntitle: [oops\n---\n");
    let mut watch = Watch::start(
        &vault,
        &[
            "check",
            "--watch",
            "--format",
            "concise",
            "--format",
            "json=report.json",
        ],
    );
    watch.wait_for(Stream::Stderr, "for changes (Ctrl-C to stop)");
    assert!(vault.abs("report.json").exists());
    // The report written into the vault, and a log growing there, start no new check:
    // the next line is the report of the real edit, not one of a loop.
    std::fs::write(vault.abs("build.log"), "one").expect("log");
    std::thread::sleep(Duration::from_millis(600));
    std::fs::write(vault.abs("build.log"), "one two").expect("log");
    std::thread::sleep(Duration::from_millis(600));
    std::fs::write(vault.abs("a.md"), "---\ntitle: A\n---\n").expect("edit");
    watch.wait_for(Stream::Stdout, "0 errors, 0 warnings in 1 note");
    let json = std::fs::read_to_string(vault.abs("report.json")).expect("report");
    assert!(json.contains("\"errors\": 0"), "{json}");
    assert_eq!(watch.interrupt(), Some(0));
    // Drain what is left: one report at start, at most one for the new log file, one for
    // the edit.
    while let Ok((from, line)) = watch.lines.recv_timeout(Duration::from_millis(200)) {
        watch.seen.push_str(&format!("{from:?}: {line}\n"));
    }
    let reports = watch.seen.matches("in 1 note").count();
    assert!(
        (2..=3).contains(&reports),
        "{reports} reports:\n{}",
        watch.seen
    );
}

#[test]
fn watch_is_for_a_vault_on_disk() {
    let vault = Vault::new().file("a.md", "---\ntitle: A\n---\n");
    for args in [
        &["check", "--watch", "--stdin-filename", "a.md"][..],
        &["check", "--watch", "--write-baseline", "b.json"],
        &["check", "--watch", "--files-from", "list.txt"],
        &["fix", "--watch"],
    ] {
        let run = vault.run(args);
        assert_eq!(run.code, 2, "{args:?}\n{}", run.transcript());
    }
}
