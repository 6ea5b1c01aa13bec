//! Running the Terraform CLI the way this project needs it, in one place:
//!
//! - providers come from a filesystem mirror when the machine has one (a folder holding
//!   `registry.terraform.io/hashicorp/aws`, found by searching, never hard-coded), so `init` works
//!   offline; the CLI config saying so is written to `target/terraform/cli.tfrc` and every run
//!   gets `TF_CLI_CONFIG_FILE` pointing at it;
//! - every run gets its own `TF_DATA_DIR` under `target/`, so no `.terraform/` ever lands in the
//!   repository;
//! - output goes to the terminal (interactive commands) or to a log file whose tail is shown on
//!   failure (the test suite).

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::time::Instant;

use anyhow::{Context, bail};

use crate::project::root;

/// The provider every env and module uses, and the only one the mirror needs to hold.
const AWS_PROVIDER: &str = "registry.terraform.io/hashicorp/aws";

/// The subcommands that colour their output (and take `-no-color`, used when logging to a file).
const COLORED_SUBCOMMANDS: &[&str] = &["init", "validate", "plan", "apply", "destroy", "output", "fmt"];

/// What starts each run's section in a log file.
const RUN_MARKER: &str = "\n$ ";

/// How many lines of a failed run's log an error shows.
const LOG_TAIL_LINES: usize = 60;

/// Where Terraform's plugin mirror may live: Terraform's own implied local mirror folders, then
/// the usual places a machine image puts software (`/opt`, `/usr/local/share`, `/usr/share`, two
/// levels deep).
fn mirror_candidates() -> Vec<PathBuf> {
    let mut candidates = Vec::new();
    let home = std::env::var_os("HOME").map(PathBuf::from);
    if let Some(home) = &home {
        candidates.push(home.join(".terraform.d/plugins"));
    }
    match std::env::var_os("XDG_DATA_HOME") {
        Some(data_home) => candidates.push(PathBuf::from(data_home).join("terraform/plugins")),
        None => candidates.extend(home.map(|h| h.join(".local/share/terraform/plugins"))),
    }
    let data_dirs =
        std::env::var("XDG_DATA_DIRS").unwrap_or_else(|_| "/usr/local/share:/usr/share".to_owned());
    for dir in data_dirs.split(':').filter(|d| !d.is_empty()) {
        candidates.push(Path::new(dir).join("terraform/plugins"));
    }
    for top in ["/opt", "/usr/local/share", "/usr/share"] {
        candidates.extend(subfolders(Path::new(top), 2));
    }
    candidates
}

/// `dir`'s subfolders down to `depth` levels, sorted, without `dir` itself.
fn subfolders(dir: &Path, depth: usize) -> Vec<PathBuf> {
    if depth == 0 {
        return Vec::new();
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut children: Vec<PathBuf> = entries
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.is_dir())
        .collect();
    children.sort();
    let mut all = Vec::new();
    for child in children {
        let below = subfolders(&child, depth - 1);
        all.push(child);
        all.extend(below);
    }
    all
}

/// The first of `candidates` that holds at least one version of the aws provider.
fn find_mirror_in(candidates: &[PathBuf]) -> Option<PathBuf> {
    candidates
        .iter()
        .find(|dir| {
            std::fs::read_dir(dir.join(AWS_PROVIDER))
                .map(|mut versions| versions.any(|v| v.is_ok_and(|v| v.path().is_dir())))
                .unwrap_or(false)
        })
        .cloned()
}

/// This machine's provider mirror, if it has one.
pub fn find_mirror() -> Option<PathBuf> {
    find_mirror_in(&mirror_candidates())
}

/// A Terraform string literal holding `value`.
pub fn hcl_string(value: &str) -> String {
    let escaped = value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
        .replace("${", "$${")
        .replace("%{", "%%{");
    format!("\"{escaped}\"")
}

/// The CLI config: the aws provider from `mirror` (when there is one), everything else from its
/// registry as usual.
fn cli_config(mirror: Option<&Path>) -> String {
    match mirror {
        Some(mirror) => format!(
            "# Written by cargo xtask: providers from this machine's mirror, offline.\n\
             provider_installation {{\n  \
               filesystem_mirror {{\n    \
                 path    = {path}\n    \
                 include = [{provider}]\n  \
               }}\n  \
               direct {{\n    \
                 exclude = [{provider}]\n  \
               }}\n\
             }}\n",
            path = hcl_string(&mirror.display().to_string()),
            provider = hcl_string(AWS_PROVIDER),
        ),
        None => "# Written by cargo xtask: no provider mirror on this machine, so providers come \
                 from their registry.\n\
                 provider_installation {\n  direct {}\n}\n"
            .to_owned(),
    }
}

/// Writes the CLI config to `target/terraform/cli.tfrc` and returns its path.
pub fn write_cli_config() -> anyhow::Result<PathBuf> {
    let path = root().join("target/terraform/cli.tfrc");
    std::fs::create_dir_all(path.parent().expect("has a parent"))?;
    let mirror = find_mirror();
    let text = cli_config(mirror.as_deref());
    if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
        // Written aside and renamed, so a concurrent run never reads half a file.
        let partial = path.with_extension("tfrc.partial");
        std::fs::write(&partial, &text)?;
        std::fs::rename(&partial, &path)?;
    }
    Ok(path)
}

/// Terraform in one working directory, with its own data directory.
#[derive(Debug, Clone)]
pub struct Terraform {
    /// The configuration's folder (`-chdir`).
    dir: PathBuf,
    /// `TF_DATA_DIR`.
    data_dir: PathBuf,
    cli_config: PathBuf,
    /// `None`: output to the terminal. `Some`: appended to this file.
    log: Option<PathBuf>,
    /// Print no line per command (many short runs, as in validation).
    quiet: bool,
}

impl Terraform {
    /// Terraform for the configuration in `dir`, keeping its data in `data_dir`.
    pub fn new(dir: &Path, data_dir: &Path, log: Option<PathBuf>) -> anyhow::Result<Self> {
        std::fs::create_dir_all(data_dir)?;
        if let Some(log) = &log {
            std::fs::create_dir_all(log.parent().expect("a log file has a folder"))?;
            File::create(log)?;
        }
        Ok(Self {
            dir: dir.to_owned(),
            data_dir: data_dir.to_owned(),
            cli_config: write_cli_config()?,
            log,
            quiet: false,
        })
    }

    /// The same, without a progress line per command.
    pub fn quiet(self) -> Self {
        Self { quiet: true, ..self }
    }

    /// The log file, when output goes to one.
    pub fn log(&self) -> Option<&Path> {
        self.log.as_deref()
    }

    /// A `terraform` command with this project's environment.
    pub fn command<S: AsRef<std::ffi::OsStr>>(&self, args: &[S]) -> Command {
        let mut command = Command::new("terraform");
        command.arg(format!("-chdir={}", self.dir.display()));
        match args.split_first() {
            // Flags go right after the subcommand: Terraform stops reading flags at the first
            // positional argument (a plan file).
            Some((subcommand, rest))
                if self.log.is_some()
                    && COLORED_SUBCOMMANDS.contains(&&*subcommand.as_ref().to_string_lossy()) =>
            {
                command.arg(subcommand).arg("-no-color").args(rest);
            }
            _ => {
                command.args(args);
            }
        }
        command
            .env("TF_CLI_CONFIG_FILE", &self.cli_config)
            .env("TF_DATA_DIR", &self.data_dir)
            .env("TF_IN_AUTOMATION", "1")
            .env("TF_INPUT", "0")
            .env("CHECKPOINT_DISABLE", "1")
            .stdin(Stdio::null());
        command
    }

    /// Runs `terraform ARGS`, printing its duration; fails unless the exit code is in `accepted`.
    /// Returns the exit code.
    pub fn run_accepting<S: AsRef<std::ffi::OsStr>>(
        &self,
        args: &[S],
        accepted: &[i32],
    ) -> anyhow::Result<i32> {
        let what = describe(args);
        if !self.quiet {
            eprintln!("--> {what}");
        }
        let started = Instant::now();
        let mut command = self.command(args);
        if let Some(log) = &self.log {
            let file = File::options().append(true).open(log)?;
            use std::io::Write;
            writeln!(&file, "{RUN_MARKER}{what}")?;
            command.stdout(file.try_clone()?).stderr(file);
        }
        let status = command
            .status()
            .context("cannot run terraform (is Terraform >= 1.11 installed and on PATH?)")?;
        let code = exit_code(status);
        if !self.quiet {
            eprintln!("    {what}: exit {code} in {:.1?}", started.elapsed());
        }
        if !accepted.contains(&code) {
            bail!("{what} failed (exit {code}){}", self.log_tail());
        }
        Ok(code)
    }

    /// Runs `terraform ARGS`, which must succeed.
    pub fn run<S: AsRef<std::ffi::OsStr>>(&self, args: &[S]) -> anyhow::Result<()> {
        self.run_accepting(args, &[0]).map(drop)
    }

    /// Runs `terraform ARGS` and returns its standard output (which never goes to the log).
    pub fn capture<S: AsRef<std::ffi::OsStr>>(&self, args: &[S]) -> anyhow::Result<Vec<u8>> {
        crate::project::output(&mut self.command(args), &describe(args))
    }

    /// The last lines of the log, as an error message suffix (empty without a log).
    pub fn log_tail(&self) -> String {
        let Some(log) = &self.log else {
            return String::new();
        };
        let text = std::fs::read_to_string(log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        let tail = lines[lines.len().saturating_sub(LOG_TAIL_LINES)..].join("\n");
        format!(
            "\n--- last lines of {} ---\n{tail}\n--- end of log ---",
            log.display()
        )
    }

    /// The lines of the last run's output in the log that match `predicate`, for summaries.
    pub fn last_run_lines(&self, predicate: impl Fn(&str) -> bool) -> Vec<String> {
        let Some(log) = &self.log else {
            return Vec::new();
        };
        let text = std::fs::read_to_string(log).unwrap_or_default();
        let last_run = text
            .rsplit_once(RUN_MARKER)
            .map_or(text.as_str(), |(_, last)| last);
        last_run
            .lines()
            .filter(|line| predicate(line))
            .map(str::to_owned)
            .collect()
    }
}

/// `terraform init -input=false ...` as a short description (variables left out: they are long
/// and repeated).
fn describe<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> String {
    let mut words = vec!["terraform".to_owned()];
    let mut skip_next = false;
    for arg in args {
        let arg = arg.as_ref().to_string_lossy();
        if skip_next {
            skip_next = false;
            continue;
        }
        if arg == "-var" {
            skip_next = true;
            continue;
        }
        words.push(arg.into_owned());
    }
    words.join(" ")
}

fn exit_code(status: ExitStatus) -> i32 {
    status.code().unwrap_or(-1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_mirror_is_the_first_folder_holding_a_version_of_the_aws_provider() {
        let machine = tempfile::tempdir().unwrap();
        let empty = machine.path().join("empty");
        let without_versions = machine.path().join("without-versions");
        let mirror = machine.path().join("tf-plugins");
        std::fs::create_dir_all(&empty).unwrap();
        std::fs::create_dir_all(without_versions.join(AWS_PROVIDER)).unwrap();
        std::fs::create_dir_all(mirror.join(AWS_PROVIDER).join("5.100.0/linux_amd64")).unwrap();

        let candidates = vec![empty.clone(), without_versions, mirror.clone()];
        assert_eq!(find_mirror_in(&candidates), Some(mirror));
        assert_eq!(find_mirror_in(&[empty]), None);
    }

    #[test]
    fn subfolders_are_listed_depth_first_down_to_the_limit() {
        let top = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(top.path().join("a/b/c")).unwrap();
        std::fs::create_dir_all(top.path().join("d")).unwrap();
        let found: Vec<_> = subfolders(top.path(), 2)
            .into_iter()
            .map(|p| p.strip_prefix(top.path()).unwrap().display().to_string())
            .collect();
        assert_eq!(found, ["a", "a/b", "d"]);
    }

    #[test]
    fn the_cli_config_installs_only_the_aws_provider_from_the_mirror() {
        let config = cli_config(Some(Path::new("/opt/tf-plugins")));
        assert_eq!(
            config,
            "# Written by cargo xtask: providers from this machine's mirror, offline.\n\
             provider_installation {\n  \
               filesystem_mirror {\n    \
                 path    = \"/opt/tf-plugins\"\n    \
                 include = [\"registry.terraform.io/hashicorp/aws\"]\n  \
               }\n  \
               direct {\n    \
                 exclude = [\"registry.terraform.io/hashicorp/aws\"]\n  \
               }\n\
             }\n"
        );
        assert!(cli_config(None).contains("direct {}"));
    }

    #[test]
    fn strings_are_escaped_for_hcl() {
        assert_eq!(hcl_string("plain"), "\"plain\"");
        assert_eq!(hcl_string(r#"a"b\c"#), r#""a\"b\\c""#);
        assert_eq!(hcl_string("${x} %{y}"), "\"$${x} %%{y}\"");
    }

    #[test]
    fn descriptions_leave_the_variables_out() {
        assert_eq!(
            describe(&["plan", "-var", "moto=true", "-input=false"]),
            "terraform plan -input=false"
        );
    }
}
