//! Progress of long runs: `dossier build` (files written), `dossier check`
//! (files built, then pages checked) and `check --external` (links
//! fetched).
//!
//! On a terminal a run that lasts over a second gets an indicatif bar with
//! counts, cleared when it ends; a short run shows nothing, so quick
//! commands stay quiet. Where stderr is not a terminal (CI logs, pipes) no
//! bar or control character is ever written: a run that lasted over a
//! second ends with one plain line instead, unless the command's own
//! summary says as much ([`ProgressMode::summarised`]). `--quiet` hides
//! both. A hidden [`Progress`] costs a counter, so callers use it
//! unconditionally; a step counted is an atomic add and a clock read
//! (indicatif draws at most every 120 ms, from its own thread).

use std::io::IsTerminal;
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How long a run goes before its progress is shown.
const SHOW_AFTER: Duration = Duration::from_secs(1);

/// Where progress goes, chosen once per command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProgressMode {
    /// A bar on stderr, a terminal.
    Bar,
    /// One line at the end, for logs.
    Plain,
    /// Nothing (`--quiet`).
    Hidden,
}

impl ProgressMode {
    /// A bar when stderr is a terminal, plain lines when it is not, nothing
    /// with `quiet`.
    pub fn for_stderr(quiet: bool) -> Self {
        if quiet {
            ProgressMode::Hidden
        } else if std::io::stderr().is_terminal() {
            ProgressMode::Bar
        } else {
            ProgressMode::Plain
        }
    }

    /// For a command that ends with a summary line of its own (`built 10
    /// questions...: 130 files in 2315 ms`): the bar on a terminal, and no
    /// second line in a log.
    pub fn summarised(self) -> Self {
        match self {
            ProgressMode::Plain => ProgressMode::Hidden,
            other => other,
        }
    }
}

/// The progress of one run of `total` steps. Shared by reference between
/// worker threads; [`Progress::finish`] (or dropping it) ends it.
#[derive(Debug)]
pub struct Progress {
    mode: ProgressMode,
    label: String,
    bar: ProgressBar,
    started: Instant,
    /// Set when the run ends, so that the thread that would reveal the bar
    /// after [`SHOW_AFTER`] does not draw it once it is over.
    ended: Arc<(Mutex<bool>, Condvar)>,
    reveal: Option<JoinHandle<()>>,
}

impl Progress {
    /// Starts counting `total` steps of `label` ("external links").
    pub fn start(mode: ProgressMode, label: &str, total: u64) -> Progress {
        let style = ProgressStyle::with_template("{prefix} [{bar:30}] {pos}/{len} {wide_msg}")
            .map(|s| s.progress_chars("=> "))
            .unwrap_or_else(|_| ProgressStyle::default_bar());
        Progress::new(mode, label, Some(total), style)
    }

    /// Starts counting steps of `label` whose number is not known ahead,
    /// such as the files a build writes: a spinner, the count so far and
    /// `unit` ("files written").
    pub fn counter(mode: ProgressMode, label: &str, unit: &str) -> Progress {
        let template = format!("{{prefix}} {{spinner}} {{pos}} {unit} ({{elapsed}}) {{wide_msg}}");
        let style = ProgressStyle::with_template(&template)
            .unwrap_or_else(|_| ProgressStyle::default_spinner());
        Progress::new(mode, label, None, style)
    }

    fn new(mode: ProgressMode, label: &str, total: Option<u64>, style: ProgressStyle) -> Progress {
        let bar = ProgressBar::with_draw_target(total, ProgressDrawTarget::hidden());
        let ended = Arc::new((Mutex::new(false), Condvar::new()));
        let reveal = (mode == ProgressMode::Bar).then(|| {
            bar.set_style(style);
            bar.set_prefix(label.to_string());
            let (bar, ended) = (bar.clone(), ended.clone());
            std::thread::spawn(move || reveal_later(&bar, &ended))
        });
        Progress {
            mode,
            label: label.to_string(),
            bar,
            started: Instant::now(),
            ended,
            reveal,
        }
    }

    /// Counts `n` more steps done.
    pub fn inc(&self, n: u64) {
        self.bar.inc(n);
    }

    /// Shows what is being worked on, beside the bar.
    pub fn set_message(&self, message: &str) {
        if self.mode == ProgressMode::Bar {
            self.bar.set_message(message.to_string());
        }
    }

    /// Ends the run: clears the bar, or prints the plain line.
    pub fn finish(mut self) {
        self.end();
    }

    fn end(&mut self) {
        let Some(reveal) = self.reveal.take() else {
            if self.mode == ProgressMode::Plain && self.started.elapsed() >= SHOW_AFTER {
                let done = match self.bar.length() {
                    Some(total) => format!("{}/{total}", self.bar.position()),
                    None => self.bar.position().to_string(),
                };
                eprintln!(
                    "{}: {done} in {:.1} s",
                    self.label,
                    self.started.elapsed().as_secs_f64()
                );
                // Once only, even if dropped after finish.
                self.mode = ProgressMode::Hidden;
            }
            return;
        };
        let (lock, wake) = &*self.ended;
        if let Ok(mut ended) = lock.lock() {
            *ended = true;
        }
        wake.notify_all();
        let _ = reveal.join();
        self.bar.finish_and_clear();
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.end();
    }
}

/// Waits [`SHOW_AFTER`] and then draws the bar, unless the run ended first.
fn reveal_later(bar: &ProgressBar, ended: &(Mutex<bool>, Condvar)) {
    let (lock, wake) = ended;
    let Ok(guard) = lock.lock() else { return };
    let Ok((guard, _)) = wake.wait_timeout_while(guard, SHOW_AFTER, |ended| !*ended) else {
        return;
    };
    if !*guard {
        bar.set_draw_target(ProgressDrawTarget::stderr());
        bar.enable_steady_tick(Duration::from_millis(120));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_short_run_ends_without_waiting_for_the_reveal() {
        let started = Instant::now();
        let progress = Progress::start(ProgressMode::Bar, "things", 3);
        progress.inc(2);
        progress.inc(1);
        assert_eq!(progress.bar.position(), 3);
        progress.finish();
        assert!(
            started.elapsed() < SHOW_AFTER,
            "finish wakes the reveal thread"
        );
    }

    #[test]
    fn a_counter_counts_without_a_total() {
        let progress = Progress::counter(ProgressMode::Bar, "building", "files written");
        progress.inc(5);
        assert_eq!(progress.bar.position(), 5);
        assert_eq!(progress.bar.length(), None);
        progress.finish();
    }

    #[test]
    fn summarised_commands_print_no_second_line_in_logs() {
        assert_eq!(ProgressMode::Plain.summarised(), ProgressMode::Hidden);
        assert_eq!(ProgressMode::Bar.summarised(), ProgressMode::Bar);
        assert_eq!(ProgressMode::Hidden.summarised(), ProgressMode::Hidden);
    }

    #[test]
    fn hidden_and_plain_progress_never_draw() {
        for mode in [ProgressMode::Hidden, ProgressMode::Plain] {
            let progress = Progress::start(mode, "things", 1);
            progress.inc(1);
            assert!(progress.bar.is_hidden());
            assert!(progress.reveal.is_none());
        }
    }
}
