//! What the kernel knows about the servers under test: CPU time from `/proc/PID/stat`, memory from
//! `/proc/PID/status` (VmRSS, VmHWM) and `/proc/PID/smaps_rollup` (Pss, for Postgres, whose
//! processes share their buffers).
//!
//! Postgres is one postmaster and a process per connection; its CPU is the postmaster's own time,
//! the time of its children it has already reaped, and the time of those still alive. Readings
//! are Linux-only and best effort: a process that vanished reads as zero.

use std::process::Command;
use std::sync::OnceLock;

/// Seconds of CPU (user + system) that `pid` has used so far.
pub fn cpu_seconds(pid: u32) -> f64 {
    stat_fields(pid).map_or(0.0, |fields| ticks(&fields, UTIME) + ticks(&fields, STIME))
}

/// Seconds of CPU used by the children `pid` has already waited for (pgbench, wrk or the CLI,
/// once they exit; not the servers, still running).
pub fn reaped_children_cpu_seconds(pid: u32) -> f64 {
    stat_fields(pid).map_or(0.0, |fields| ticks(&fields, CUTIME) + ticks(&fields, CSTIME))
}

/// The kernel's id of the calling thread (what `/proc/self/task/` lists).
pub fn thread_id() -> u32 {
    std::fs::read_link("/proc/thread-self")
        .ok()
        .and_then(|link| link.file_name()?.to_str()?.parse().ok())
        .unwrap_or(0)
}

/// Seconds a thread of this process has run on a CPU, to the nanosecond (`schedstat`; `stat`
/// counts in ticks of 10 ms, too coarse to sum over dozens of threads).
pub fn thread_cpu_seconds(thread_id: u32) -> f64 {
    std::fs::read_to_string(format!("/proc/self/task/{thread_id}/schedstat"))
        .ok()
        .and_then(|text| text.split_whitespace().next()?.parse::<f64>().ok())
        .map_or(0.0, |nanoseconds| nanoseconds / 1e9)
}

/// Seconds of CPU used by `root` and every process it started, reaped or alive.
pub fn tree_cpu_seconds(root: u32) -> f64 {
    let Some(fields) = stat_fields(root) else {
        return 0.0;
    };
    let own = ticks(&fields, UTIME) + ticks(&fields, STIME);
    let reaped = ticks(&fields, CUTIME) + ticks(&fields, CSTIME);
    own + reaped + children(root).into_iter().map(cpu_seconds).sum::<f64>()
}

/// Seconds of CPU the whole machine has spent in processes (user, nice, system) or taken by the
/// hypervisor (steal), over all CPUs. Interrupt time is left out: it is mostly the loopback
/// network traffic of the benchmark itself, charged to no process.
pub fn machine_busy_seconds() -> f64 {
    let text = std::fs::read_to_string("/proc/stat").unwrap_or_default();
    let Some(line) = text.lines().find(|line| line.starts_with("cpu ")) else {
        return 0.0;
    };
    let fields: Vec<f64> = line
        .split_whitespace()
        .skip(1)
        .filter_map(|v| v.parse().ok())
        .collect();
    // user nice system idle iowait irq softirq steal …; guest time is already in user.
    let busy: f64 = [0, 1, 2, 7].iter().filter_map(|&index| fields.get(index)).sum();
    busy / ticks_per_second()
}

/// Seconds of CPU used so far by kernel threads (children of `kthreadd`, pid 2): journal
/// commits, writeback, network processing, much of it on behalf of the benchmark's own I/O.
pub fn kernel_threads_cpu_seconds() -> f64 {
    std::iter::once(2).chain(children(2)).map(cpu_seconds).sum()
}

/// Resident memory of `pid` now (VmRSS), in KiB.
pub fn rss_kib(pid: u32) -> u64 {
    status_kib(pid, "VmRSS:")
}

/// The most resident memory `pid` ever had (VmHWM), in KiB.
pub fn peak_rss_kib(pid: u32) -> u64 {
    status_kib(pid, "VmHWM:")
}

/// Proportional memory of `root` and its children (shared pages divided among sharers), in KiB.
pub fn tree_pss_kib(root: u32) -> u64 {
    std::iter::once(root).chain(children(root)).map(pss_kib).sum()
}

// Positions in `/proc/PID/stat` counted after the `(comm)` field: state is 0, ppid 1, …
const PPID: usize = 1;
const UTIME: usize = 11;
const STIME: usize = 12;
const CUTIME: usize = 13;
const CSTIME: usize = 14;

fn stat_fields(pid: u32) -> Option<Vec<String>> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name may hold spaces and parentheses; the fields start after the last ')'.
    let (_, rest) = text.rsplit_once(')')?;
    Some(rest.split_whitespace().map(str::to_owned).collect())
}

fn ticks(fields: &[String], index: usize) -> f64 {
    let value: f64 = fields.get(index).and_then(|v| v.parse().ok()).unwrap_or(0.0);
    value / ticks_per_second()
}

fn ticks_per_second() -> f64 {
    static TICKS: OnceLock<f64> = OnceLock::new();
    *TICKS.get_or_init(|| {
        Command::new("getconf")
            .arg("CLK_TCK")
            .output()
            .ok()
            .and_then(|out| String::from_utf8_lossy(&out.stdout).trim().parse().ok())
            .unwrap_or(100.0)
    })
}

fn children(parent: u32) -> Vec<u32> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|entry| entry.file_name().to_str()?.parse::<u32>().ok())
        .filter(|&pid| {
            stat_fields(pid)
                .and_then(|fields| fields.get(PPID)?.parse::<u32>().ok())
                .is_some_and(|ppid| ppid == parent)
        })
        .collect()
}

fn status_kib(pid: u32, key: &str) -> u64 {
    let text = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    kib_line(&text, key)
}

fn pss_kib(pid: u32) -> u64 {
    let text = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).unwrap_or_default();
    kib_line(&text, "Pss:")
}

/// The number on the `key` line of a `/proc` file whose values are `NNN kB`.
fn kib_line(text: &str, key: &str) -> u64 {
    text.lines()
        .find_map(|line| line.strip_prefix(key))
        .and_then(|rest| rest.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_this_process() {
        let me = std::process::id();
        let rss = rss_kib(me);
        assert!(rss > 0);
        // Read after the RSS: the peak never decreases, so it is at least that reading.
        assert!(peak_rss_kib(me) >= rss);
        assert!(cpu_seconds(me) >= 0.0);
    }

    #[test]
    fn reads_a_thread_s_own_cpu() {
        // Spins until its own reading has grown by 20 ms, which a busy machine may delay.
        let (id, used) = std::thread::spawn(|| {
            let id = thread_id();
            let before = thread_cpu_seconds(id);
            let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
            while thread_cpu_seconds(id) - before < 0.02 && std::time::Instant::now() < deadline {}
            (id, thread_cpu_seconds(id) - before)
        })
        .join()
        .unwrap();
        assert!(id > 0 && id != std::process::id());
        assert!(used >= 0.02, "{used}");
        // Once the thread has ended, there is nothing to read.
        assert_eq!(thread_cpu_seconds(id), 0.0);
    }

    #[test]
    fn parses_kib_lines() {
        let status = "Name:\tx\nVmHWM:\t  2048 kB\nVmRSS:\t  1024 kB\n";
        assert_eq!(kib_line(status, "VmRSS:"), 1024);
        assert_eq!(kib_line(status, "VmHWM:"), 2048);
        assert_eq!(kib_line(status, "Pss:"), 0);
    }
}
