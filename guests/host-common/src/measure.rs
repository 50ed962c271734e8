//! The record's measurements of time and memory.

use std::time::Instant;

/// Milliseconds since `start`.
pub fn elapsed_ms(start: Instant) -> f64 {
    start.elapsed().as_secs_f64() * 1e3
}

/// Peak resident set size of this process (VmHWM), in bytes; 0 where /proc is absent.
pub fn peak_rss_bytes() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM:")).map(str::to_owned))
        .and_then(|l| l.split_whitespace().nth(1).and_then(|kb| kb.parse::<u64>().ok()))
        .map_or(0, |kb| kb * 1024)
}

/// Resets the kernel's peak-RSS mark (VmHWM) to the current RSS, Linux >= 4.0
/// (`/proc/self/clear_refs`, value 5), so that a `serve` request's peak is its
/// own and not an earlier request's. Returns the scope the next reading has:
/// `request`, or `process` where the mark could not be reset.
pub(crate) fn reset_peak_rss() -> &'static str {
    match std::fs::write("/proc/self/clear_refs", "5") {
        Ok(()) => "request",
        Err(_) => "process",
    }
}
