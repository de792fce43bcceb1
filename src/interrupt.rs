//! Ctrl-C while `fix` writes notes: the write in flight finishes, the rest are skipped.
//!
//! Killed in the middle of a write, notelint would leave that write's temporary file
//! (`.notelint-XXXXXX.tmp`) beside the note. So while writing, the first SIGINT or SIGTERM
//! only raises a flag the write loop checks between files; a second one exits at once.
//! Before the writes nothing is written, and the default (immediate exit) is right.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// The exit code of a run stopped by Ctrl-C, as shells report one killed by SIGINT.
pub const INTERRUPTED: u8 = 130;

/// Catches SIGINT and SIGTERM while it lives; afterwards they exit at once again.
pub struct Guard {
    raised: Arc<AtomicBool>,
    /// Whether a signal arrived while the guard was active.
    stopped: Arc<AtomicBool>,
}

impl Guard {
    /// Starts catching SIGINT and SIGTERM. If the handlers cannot be installed the signals
    /// keep their default, which is still safe: every note is then old or new, and at most
    /// one temporary file is left.
    pub fn catch() -> Guard {
        let raised = Arc::new(AtomicBool::new(false));
        let stopped = Arc::new(AtomicBool::new(false));
        for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
            // Registered first, so it sees the flag as it was before this signal: a signal
            // after the first one (or after the guard is gone) exits.
            let _ = signal_hook::flag::register_conditional_shutdown(
                signal,
                i32::from(INTERRUPTED),
                raised.clone(),
            );
            let _ = signal_hook::flag::register(signal, raised.clone());
            let _ = signal_hook::flag::register(signal, stopped.clone());
        }
        Guard { raised, stopped }
    }

    /// Whether a stop was asked for: finish the write in flight and write no more.
    pub fn stopped(&self) -> bool {
        self.stopped.load(Ordering::SeqCst)
    }
}

impl Drop for Guard {
    /// signal-hook cannot give a signal its default action back, so the guard arms the
    /// exit instead: from now on the first SIGINT or SIGTERM exits, as it did before.
    fn drop(&mut self) {
        self.raised.store(true, Ordering::SeqCst);
    }
}
