//! `baton schedule check FILE --at RFC3339_INSTANT`: evaluates a schedule
//! document at one instant and prints `{"open": …, "next_change": …}`.
//!
//! Only reading the file and printing live here; every rule is in `baton_domain::schedule`.

use std::path::Path;
use std::process::ExitCode;

use baton_domain::schedule::Schedule;
use jiff::Timestamp;

/// Exit status for an unreadable file, an invalid `--at` or an invalid schedule.
const USAGE_ERROR: u8 = 2;

/// Prints one JSON line, e.g. `{"open":true,"next_change":"2026-11-25T17:00:00Z"}` (`null` when the
/// schedule does not change within 366 days), and exits 0. Problems go to stderr, one per line,
/// with exit status 2.
pub fn check(file: &Path, at: &str) -> ExitCode {
    let at: Timestamp = match at.parse() {
        Ok(at) => at,
        Err(error) => {
            eprintln!(
                "error: --at {at:?} is not an RFC 3339 instant (e.g. 2026-11-25T17:00:00Z): {error}"
            );
            return ExitCode::from(USAGE_ERROR);
        }
    };
    let text = match std::fs::read_to_string(file) {
        Ok(text) => text,
        Err(error) => {
            eprintln!("error: cannot read {}: {error}", file.display());
            return ExitCode::from(USAGE_ERROR);
        }
    };
    let schedule = match Schedule::parse_json(&text) {
        Ok(schedule) => schedule,
        Err(errors) => {
            for error in errors {
                eprintln!("{error}");
            }
            return ExitCode::from(USAGE_ERROR);
        }
    };
    // Written by hand so that the keys come in the documented order.
    let next_change = schedule.next_change(at).map(utc_seconds);
    println!(
        "{{\"open\":{},\"next_change\":{}}}",
        schedule.is_open(at),
        serde_json::Value::from(next_change)
    );
    ExitCode::SUCCESS
}

/// `2026-11-25T17:00:00Z`: UTC, whole seconds (changes always fall on whole seconds).
fn utc_seconds(instant: Timestamp) -> String {
    format!("{instant:.0}")
}
