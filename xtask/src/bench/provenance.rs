//! Where a run's figures come from, so every figure quoted in the docs can be traced to a run:
//! the commit measured (and whether the work tree differed from it), the machine (CPU, cores,
//! memory, kernel) and the versions of everything measured; and `--record`, which keeps a run's
//! JSON under `docs/benchmarks/` to be committed with the docs that quote it.
//!
//! It only reads (git, `/proc`, `--version` outputs) and copies one file; it never commits.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::Context;
use serde::Serialize;

use crate::project::root;

/// The commit a run measured.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Commit {
    /// `git rev-parse HEAD`.
    pub hash: String,
    /// Whether tracked or untracked files differed from the commit when the run started.
    pub dirty: bool,
    /// `git status --porcelain` lines when dirty (at most 50).
    pub changes: Vec<String>,
}

impl Commit {
    /// The work tree's commit and state, now.
    pub fn current() -> Self {
        let git = |args: &[&str]| {
            Command::new("git")
                .arg("-C")
                .arg(root())
                .args(args)
                .output()
                .ok()
                .filter(|output| output.status.success())
                .map(|output| String::from_utf8_lossy(&output.stdout).into_owned())
        };
        let hash =
            git(&["rev-parse", "HEAD"]).map_or_else(|| "unknown".to_owned(), |out| out.trim().to_owned());
        let changes: Vec<String> = git(&["status", "--porcelain"])
            .unwrap_or_default()
            .lines()
            .map(str::to_owned)
            .collect();
        Self {
            hash,
            dirty: !changes.is_empty(),
            changes: changes.into_iter().take(50).collect(),
        }
    }

    /// Whether `other` names the same commit with the same files changed. (A file edited again
    /// while already changed is not seen.)
    pub fn same_state(&self, other: &Commit) -> bool {
        self.hash == other.hash && self.changes == other.changes
    }

    /// The first 7 characters of the hash.
    pub fn short(&self) -> &str {
        &self.hash[..self.hash.len().min(7)]
    }
}

/// The machine a run measured on, and the versions of what it measured.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Machine {
    pub cpu_model: String,
    /// CPUs this process may run on.
    pub cpus: usize,
    pub memory_mib: u64,
    pub kernel: String,
    pub postgres: String,
    pub pocketbase: String,
    /// None when the run did not use wrk (`--no-wrk`).
    pub wrk: Option<String>,
    pub rustc: String,
}

impl Machine {
    /// Reads `/proc` and asks each program its version. `pocketbase` and `wrk` are the versions
    /// the caller installed.
    pub fn current(pocketbase: &str, wrk: Option<String>) -> Self {
        let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let cpu_model = cpuinfo
            .lines()
            .find_map(|line| {
                line.strip_prefix("model name")?
                    .split_once(':')
                    .map(|(_, model)| model.trim().to_owned())
            })
            .unwrap_or_else(|| "unknown CPU".to_owned());
        let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
        let memory_kib: u64 = meminfo
            .lines()
            .find_map(|line| line.strip_prefix("MemTotal:"))
            .and_then(|rest| rest.split_whitespace().next()?.parse().ok())
            .unwrap_or(0);
        let postgres = expense_testkit::postgres::find_bin_dir()
            .and_then(|dir| first_line(Command::new(dir.join("postgres")).arg("--version")))
            .unwrap_or_else(|| "postgres ?".to_owned());
        Self {
            cpu_model,
            cpus: std::thread::available_parallelism().map_or(0, usize::from),
            memory_mib: memory_kib / 1024,
            kernel: std::fs::read_to_string("/proc/sys/kernel/osrelease")
                .map_or_else(|_| "?".to_owned(), |text| text.trim().to_owned()),
            postgres,
            pocketbase: pocketbase.to_owned(),
            wrk,
            rustc: first_line(Command::new("rustc").arg("--version")).unwrap_or_else(|| "rustc ?".to_owned()),
        }
    }

    /// One line for the table's header.
    pub fn summary(&self) -> String {
        format!(
            "{} CPUs, {}, {} MiB; {}; PocketBase {}; {}",
            self.cpus,
            self.cpu_model,
            self.memory_mib,
            self.postgres,
            self.pocketbase,
            self.wrk.as_deref().unwrap_or("no wrk")
        )
    }
}

fn first_line(command: &mut Command) -> Option<String> {
    let output = command.output().ok().filter(|output| output.status.success())?;
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .next()
        .map(|line| line.trim().to_owned())
}

/// Copies the run's JSON to `docs/benchmarks/<date>-<commit>.json` (`-dirty` added when the tree
/// had uncommitted changes; `-2`, `-3` … rather than overwriting an earlier record).
pub fn record(json: &Path, date: &str, commit: &Commit) -> anyhow::Result<PathBuf> {
    record_into(&root().join("docs/benchmarks"), json, date, commit)
}

fn record_into(folder: &Path, json: &Path, date: &str, commit: &Commit) -> anyhow::Result<PathBuf> {
    std::fs::create_dir_all(folder)?;
    let day = date.get(..10).unwrap_or(date);
    let dirty = if commit.dirty { "-dirty" } else { "" };
    let stem = format!("{day}-{}{dirty}", commit.short());
    let target = (1..)
        .map(|number| match number {
            1 => folder.join(format!("{stem}.json")),
            _ => folder.join(format!("{stem}-{number}.json")),
        })
        .find(|path| !path.exists())
        .expect("a free name");
    std::fs::copy(json, &target)
        .with_context(|| format!("cannot copy {} to {}", json.display(), target.display()))?;
    Ok(target)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_checkout_has_a_commit() {
        let commit = Commit::current();
        assert_eq!(commit.hash.len(), 40, "{}", commit.hash);
        assert_eq!(commit.short().len(), 7);
        assert_eq!(commit.dirty, !commit.changes.is_empty());
    }

    #[test]
    fn a_new_commit_or_another_changed_file_is_another_state() {
        let at = |hash: &str, changes: &[&str]| Commit {
            hash: hash.to_owned(),
            dirty: !changes.is_empty(),
            changes: changes.iter().map(|c| (*c).to_owned()).collect(),
        };
        let before = at("a", &[]);
        assert!(before.same_state(&at("a", &[])));
        assert!(!before.same_state(&at("b", &[])), "committed during the build");
        assert!(
            !before.same_state(&at("a", &[" M server/api/src/lib.rs"])),
            "edited during the build"
        );
    }

    #[test]
    fn describes_this_machine() {
        let machine = Machine::current("0.40.6", None);
        assert!(machine.cpus > 0);
        assert!(machine.memory_mib > 0);
        assert!(machine.summary().contains("PocketBase 0.40.6; no wrk"));
    }

    #[test]
    fn records_never_overwrite_each_other() {
        let folder = tempfile::tempdir().unwrap();
        let json = folder.path().join("expenses.json");
        std::fs::write(&json, "{}").unwrap();
        let mut commit = Commit {
            hash: "4661015aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".to_owned(),
            ..Commit::default()
        };
        let records = folder.path().join("records");
        let date = "2026-12-08T10:00:00Z";
        let first = record_into(&records, &json, date, &commit).unwrap();
        let second = record_into(&records, &json, date, &commit).unwrap();
        commit.dirty = true;
        let dirty = record_into(&records, &json, date, &commit).unwrap();
        let name = |path: &Path| path.file_name().unwrap().to_string_lossy().into_owned();
        assert_eq!(name(&first), "2026-12-08-4661015.json");
        assert_eq!(name(&second), "2026-12-08-4661015-2.json");
        assert_eq!(name(&dirty), "2026-12-08-4661015-dirty.json");
    }
}
