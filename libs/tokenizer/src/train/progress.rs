//! A minimal progress bar on standard error, drawn only when it is a terminal.

use std::io::{IsTerminal, Write};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

/// A progress bar for one phase (`label`, `total` steps), or nothing when not shown.
pub(crate) struct Progress {
    shown: Option<Shown>,
}

struct Shown {
    label: &'static str,
    total: u64,
    done: AtomicU64,
    start: Instant,
    /// The last permille drawn (drawing is skipped while it does not change).
    drawn: Mutex<u64>,
}

impl Progress {
    /// A bar if `show` and standard error is a terminal.
    pub(crate) fn new(show: bool, label: &'static str, total: u64) -> Progress {
        let shown = (show && std::io::stderr().is_terminal()).then(|| Shown {
            label,
            total,
            done: AtomicU64::new(0),
            start: Instant::now(),
            drawn: Mutex::new(u64::MAX),
        });
        let progress = Progress { shown };
        progress.draw(0);
        progress
    }

    /// Records `steps` more steps done.
    pub(crate) fn add(&self, steps: u64) {
        if let Some(shown) = &self.shown {
            let done = shown.done.fetch_add(steps, Ordering::Relaxed) + steps;
            self.draw(done);
        }
    }

    /// Sets the number of steps done.
    pub(crate) fn set(&self, done: u64) {
        if let Some(shown) = &self.shown {
            shown.done.store(done, Ordering::Relaxed);
            self.draw(done);
        }
    }

    fn draw(&self, done: u64) {
        let Some(shown) = &self.shown else { return };
        let permille = done.min(shown.total).saturating_mul(1000).checked_div(shown.total).unwrap_or(1000);
        let Ok(mut drawn) = shown.drawn.try_lock() else { return };
        if *drawn == permille {
            return;
        }
        *drawn = permille;
        let filled = (permille / 25) as usize;
        let secs = shown.start.elapsed().as_secs();
        let line = format!(
            "\r[{:02}:{:02}:{:02}] {:<16} [{}{}] {done}/{}",
            secs / 3600,
            secs / 60 % 60,
            secs % 60,
            shown.label,
            "#".repeat(filled),
            "-".repeat(40 - filled),
            shown.total
        );
        let _ = std::io::stderr().write_all(line.as_bytes());
    }

    /// Draws the bar full and ends its line.
    pub(crate) fn finish(&self) {
        if let Some(shown) = &self.shown {
            self.set(shown.total);
            let _ = std::io::stderr().write_all(b"\n");
        }
    }
}
