//! What the operator documentation and the Terraform code must agree on, checked as tests:
//!
//! - every Terraform variable or output a procedure names exists where the procedure uses it: a
//!   `-var NAME=` or a `NAME = ...` line of a `hcl` block (a `terraform.tfvars`) is an
//!   environment variable; `module.NAME` is a variable of that module; a bare `` `NAME` `` that is
//!   only some module's variable is an error (an environment ignores it with a warning, as the
//!   restore procedure once did with `snapshot_identifier`); `terraform output NAME` and `jq`'s
//!   `.NAME.value` on the outputs file name an environment output;
//! - the environments' README lists exactly their variables and outputs, and the two variable
//!   files (`envs/dev.tfvars`, `envs/prod.tfvars`) set the same variables, all declared;
//! - the Kubernetes version every environment creates is in EKS standard support on the day the
//!   calendar below was checked, and the documents and the manifest checks say the same version.
//!
//! It reads files only; nothing here runs Terraform.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use super::{Environment, envs_dir, variable_default};
use crate::project::root;

/// The documents an operator follows, where Terraform names must be right.
pub const OPERATOR_DOCUMENTS: &[&str] = &[
    "README.md",
    "docs/operations.md",
    "docs/deploying.md",
    "docs/security.md",
    "infra/terraform/README.md",
    "infra/terraform/envs/README.md",
];

/// The names a Terraform configuration declares.
#[derive(Debug, Default, Clone)]
pub struct Declared {
    pub variables: BTreeSet<String>,
    pub outputs: BTreeSet<String>,
}

/// The `variable "x"` and `output "x"` blocks of the `.tf` files in `dir`.
pub fn declared(dir: &Path) -> anyhow::Result<Declared> {
    let mut names = Declared::default();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.extension().is_none_or(|e| e != "tf") {
            continue;
        }
        for line in std::fs::read_to_string(&path)?.lines() {
            for (keyword, into) in [
                ("variable \"", &mut names.variables),
                ("output \"", &mut names.outputs),
            ] {
                if let Some(rest) = line.strip_prefix(keyword)
                    && let Some(name) = rest.split('"').next()
                {
                    into.insert(name.to_owned());
                }
            }
        }
    }
    Ok(names)
}

/// Everything the documents may name: the environments' variables and outputs, and each
/// module's variables.
#[derive(Debug, Default, Clone)]
pub struct Vocabulary {
    pub env: Declared,
    pub modules: BTreeMap<String, Declared>,
}

impl Vocabulary {
    pub fn read() -> anyhow::Result<Self> {
        let terraform = root().join("infra/terraform");
        let mut vocabulary = Self {
            env: declared(&envs_dir())?,
            ..Self::default()
        };
        for entry in std::fs::read_dir(terraform.join("modules"))? {
            let path = entry?.path();
            if path.is_dir() {
                let name = path
                    .file_name()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .into_owned();
                vocabulary.modules.insert(name, declared(&path)?);
            }
        }
        Ok(vocabulary)
    }

    /// The modules that declare variable `name`.
    fn modules_declaring(&self, name: &str) -> Vec<&str> {
        self.modules
            .iter()
            .filter(|(_, declared)| declared.variables.contains(name))
            .map(|(module, _)| module.as_str())
            .collect()
    }
}

fn is_identifier(text: &str) -> bool {
    !text.is_empty()
        && text.starts_with(|c: char| c.is_ascii_lowercase())
        && text
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// The identifier at the start of `text`.
fn leading_identifier(text: &str) -> &str {
    let end = text
        .find(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'))
        .unwrap_or(text.len());
    &text[..end]
}

/// Every wrong Terraform name in `text` (the document `path`), one line each.
pub fn problems(path: &str, text: &str, names: &Vocabulary) -> Vec<String> {
    let mut problems = Vec::new();
    let mut report = |line: usize, message: String| problems.push(format!("{path}:{line}: {message}"));
    let mut fence: Option<String> = None;
    for (index, line) in text.lines().enumerate() {
        let number = index + 1;
        let trimmed = line.trim_start();
        if let Some(info) = trimmed.strip_prefix("```") {
            fence = match fence {
                Some(_) => None,
                None => Some(info.trim().to_owned()),
            };
            continue;
        }
        // A terraform.tfvars: `name = value` at the start of a line of an hcl block.
        if fence.as_deref() == Some("hcl") {
            let name = leading_identifier(line);
            if !name.is_empty()
                && line[name.len()..].trim_start().starts_with('=')
                && !names.env.variables.contains(name)
            {
                report(
                    number,
                    format!(
                        "`{name}` is not a variable of the environments (terraform.tfvars would ignore it)"
                    ),
                );
            }
        }
        // -var NAME=... and --var NAME=... (quoted or not).
        let mut rest = line;
        while let Some(at) = rest.find("-var ") {
            rest = &rest[at + "-var ".len()..];
            let name = leading_identifier(rest.trim_start_matches(['\'', '"']));
            if !name.is_empty() && !names.env.variables.contains(name) {
                report(
                    number,
                    format!("`-var {name}=`: no environment has a variable {name}"),
                );
            }
        }
        // terraform output [-raw|-json] NAME
        let mut rest = line;
        while let Some(at) = rest.find("terraform output") {
            rest = &rest[at + "terraform output".len()..];
            if rest.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_') {
                // "terraform outputs": the word, not the command.
                continue;
            }
            let command = rest.split(['`', ')', '>', '|']).next().unwrap_or_default();
            let name = command
                .split_whitespace()
                .find(|word| !word.starts_with('-'))
                .map(leading_identifier)
                .unwrap_or_default();
            if is_identifier(name) && !names.env.outputs.contains(name) {
                report(
                    number,
                    format!("`terraform output {name}`: no environment has an output {name}"),
                );
            }
        }
        // jq on the outputs file: .NAME.value
        let mut rest = line;
        while let Some(at) = rest.find(".value") {
            let before = &rest[..at];
            let name = before.rsplit('.').next().unwrap_or_default();
            if is_identifier(name) && line.contains("outputs.json") && !names.env.outputs.contains(name) {
                report(
                    number,
                    format!("`.{name}.value` of outputs.json: no environment has an output {name}"),
                );
            }
            rest = &rest[at + ".value".len()..];
        }
        if fence.is_some() {
            continue;
        }
        // Inline code: `module.variable`, or a bare variable name.
        for (position, span) in line.split('`').enumerate() {
            if position % 2 == 0 {
                continue;
            }
            let span = span.trim();
            if let Some((module, variable)) = span.split_once('.')
                && let Some(declared) = names.modules.get(module)
                && is_identifier(variable)
            {
                if !declared.variables.contains(variable) && !declared.outputs.contains(variable) {
                    report(
                        number,
                        format!("`{span}`: module {module} has no variable or output {variable}"),
                    );
                }
                continue;
            }
            let name = leading_identifier(span);
            let bare = name == span || span[name.len()..].trim_start().starts_with('=');
            if bare
                && name.contains('_')
                && !names.env.variables.contains(name)
                && !names.env.outputs.contains(name)
            {
                let modules = names.modules_declaring(name);
                if !modules.is_empty() {
                    report(
                        number,
                        format!(
                            "`{name}` is a variable of module {} only, not of the environments: name the \
                             environment's variable, or write `{}.{name}`",
                            modules.join(", "),
                            modules[0]
                        ),
                    );
                }
            }
        }
    }
    problems
}

/// Every wrong Terraform name in the operator documents, the environments' README where its
/// tables do not list exactly their variables and outputs, and the variable files where they
/// set an undeclared variable or not the same ones. Empty = they agree.
pub fn check_documents() -> anyhow::Result<Vec<String>> {
    let names = Vocabulary::read()?;
    let mut all = Vec::new();
    for document in OPERATOR_DOCUMENTS {
        let text = std::fs::read_to_string(root().join(document))?;
        all.extend(problems(document, &text, &names));
    }
    let readme = std::fs::read_to_string(envs_dir().join("README.md"))?;
    for (heading, names) in [("Inputs", &names.env.variables), ("Outputs", &names.env.outputs)] {
        let listed = table_names(&readme, heading);
        if &listed != names {
            all.push(format!(
                "infra/terraform/envs/README.md, {heading}: missing {:?}, not declared {:?}",
                names.difference(&listed).collect::<Vec<_>>(),
                listed.difference(names).collect::<Vec<_>>()
            ));
        }
    }
    all.extend(var_file_problems(&names.env)?);
    all.extend(kubernetes_version_problems()?);
    Ok(all)
}

/// The variables `envs/<env>.tfvars` sets: every name before the first `=` of a line.
fn var_file_names(env: Environment) -> anyhow::Result<BTreeSet<String>> {
    let text = std::fs::read_to_string(envs_dir().join(env.var_file()))?;
    Ok(text
        .lines()
        .filter_map(|line| line.split_once('='))
        .map(|(name, _)| name.trim())
        .filter(|name| is_identifier(name))
        .map(str::to_owned)
        .collect())
}

/// A variable file that sets an undeclared variable (Terraform warns and ignores it), or a
/// variable the other environment's file does not set (a setting given to one environment only,
/// where the other falls back to a default or fails for want of a value).
fn var_file_problems(env: &Declared) -> anyhow::Result<Vec<String>> {
    let dev = var_file_names(Environment::Dev)?;
    let prod = var_file_names(Environment::Prod)?;
    let mut problems = Vec::new();
    for (file, names) in [("dev.tfvars", &dev), ("prod.tfvars", &prod)] {
        for name in names.difference(&env.variables) {
            problems.push(format!(
                "infra/terraform/envs/{file} sets {name}, which is not a variable"
            ));
        }
    }
    for name in dev.symmetric_difference(&prod) {
        problems.push(format!(
            "infra/terraform/envs: only one of dev.tfvars and prod.tfvars sets {name}"
        ));
    }
    Ok(problems)
}

/// The default Kubernetes version of the envs and the `eks` module: one version, in EKS standard
/// support on [`EKS_CALENDAR_CHECKED`], with the upgrade policy STANDARD set by the envs.
pub fn kubernetes_version_problems() -> anyhow::Result<Vec<String>> {
    let mut problems = Vec::new();
    let mut versions = BTreeSet::new();
    for dir in ["envs", "modules/eks"] {
        let variables =
            std::fs::read_to_string(root().join("infra/terraform").join(dir).join("variables.tf"))?;
        let Some(version) = variable_default(&variables, "kubernetes_version") else {
            problems.push(format!("infra/terraform/{dir}: no default kubernetes_version"));
            continue;
        };
        match EKS_STANDARD_SUPPORT_ENDS.iter().find(|(v, _)| *v == version) {
            None => problems.push(format!(
                "infra/terraform/{dir}: Kubernetes {version} is not in EKS_STANDARD_SUPPORT_ENDS \
                 (xtask/src/infra/consistency.rs): look up its end of standard support"
            )),
            Some((_, ends)) if *ends <= EKS_CALENDAR_CHECKED => problems.push(format!(
                "infra/terraform/{dir}: Kubernetes {version} left EKS standard support on {ends}: new \
                 clusters would pay the extended-support price"
            )),
            Some(_) => {}
        }
        versions.insert(version);
    }
    if versions.len() > 1 {
        problems.push(format!(
            "the envs and the eks module default to different versions: {versions:?}"
        ));
    }
    let main = std::fs::read_to_string(envs_dir().join("main.tf"))?;
    if !main.contains("support_type                 = \"STANDARD\"") {
        problems.push("infra/terraform/envs must set the upgrade policy to STANDARD explicitly".to_owned());
    }
    Ok(problems)
}

/// The first-column names of the table under `## heading` in a README.
fn table_names(readme: &str, heading: &str) -> BTreeSet<String> {
    let mut inside = false;
    let mut names = BTreeSet::new();
    for line in readme.lines() {
        if line.starts_with("## ") {
            inside = line.trim() == format!("## {heading}");
            continue;
        }
        if inside
            && let Some(cell) = line.strip_prefix("| `")
            && let Some(name) = cell.split('`').next()
        {
            names.insert(name.to_owned());
        }
    }
    names
}

/// When each EKS minor version leaves standard support (the EKS Kubernetes release calendar),
/// and the day that calendar was read. A version whose date is past that day costs the
/// extended-support price per cluster hour.
pub const EKS_STANDARD_SUPPORT_ENDS: &[(&str, &str)] = &[
    ("1.33", "2026-07-29"),
    ("1.34", "2026-12-02"),
    ("1.35", "2027-03-27"),
];

/// The day [`EKS_STANDARD_SUPPORT_ENDS`] was last checked against the calendar.
pub const EKS_CALENDAR_CHECKED: &str = "2026-12-07";

#[cfg(test)]
mod tests {
    use super::*;

    fn vocabulary() -> Vocabulary {
        Vocabulary::read().unwrap()
    }

    #[test]
    fn every_terraform_name_the_operator_documents_use_exists() {
        let all = check_documents().unwrap();
        assert!(all.is_empty(), "{all:#?}");
    }

    #[test]
    fn a_restore_with_the_module_variable_names_is_caught() {
        // The restore procedure as it read before: module rds's names, which the envs ignore.
        let old = "then set `snapshot_identifier` (and, in prod, `deletion_protection = false` for\n\
                   this one apply) in `infra/terraform/envs/<env>`\n\
                   ```sh\ncargo xtask provision --env prod --var snapshot_identifier=x\n```\n\
                   ```hcl\ndb_snapshot_identifier = \"x\"\nnode_count = 3\n```\n\
                   `rds.snapshot_identifier` and `rds.no_such_thing`\n\
                   jq -r .no_such_output.value target/provision/dev/outputs.json\n";
        let found = problems("old.md", old, &vocabulary());
        for expected in [
            "old.md:1: `snapshot_identifier` is a variable of module rds only",
            "old.md:1: `deletion_protection` is a variable of module rds only",
            "old.md:4: `-var snapshot_identifier=`",
            "old.md:8: `node_count` is not a variable of the environments",
            "old.md:10: `rds.no_such_thing`: module rds has no variable",
            "old.md:11: `.no_such_output.value`",
        ] {
            assert!(
                found.iter().any(|p| p.starts_with(expected)),
                "{expected} in {found:#?}"
            );
        }
        assert_eq!(found.len(), 6, "{found:#?}");
    }

    #[test]
    fn the_environments_readme_lists_exactly_their_variables_and_outputs() {
        let declared = declared(&envs_dir()).unwrap();
        let readme = std::fs::read_to_string(envs_dir().join("README.md")).unwrap();
        assert_eq!(
            table_names(&readme, "Inputs"),
            declared.variables,
            "envs/README.md, Inputs"
        );
        assert_eq!(
            table_names(&readme, "Outputs"),
            declared.outputs,
            "envs/README.md, Outputs"
        );
        assert!(declared.variables.contains("env"), "{declared:?}");
    }

    #[test]
    fn both_variable_files_set_the_same_declared_variables() {
        let declared = declared(&envs_dir()).unwrap();
        assert_eq!(var_file_problems(&declared).unwrap(), Vec::<String>::new());
        let dev = var_file_names(Environment::Dev).unwrap();
        for name in ["env", "vpc_cidr", "db_deletion_protection", "log_retention_days"] {
            assert!(dev.contains(name), "{name} in {dev:?}");
        }
        // A variable file that knew only part of the variables is caught.
        let mut fewer = declared.clone();
        fewer.variables.remove("vpc_cidr");
        let found = var_file_problems(&fewer).unwrap();
        assert_eq!(
            found,
            [
                "infra/terraform/envs/dev.tfvars sets vpc_cidr, which is not a variable",
                "infra/terraform/envs/prod.tfvars sets vpc_cidr, which is not a variable"
            ]
        );
    }

    #[test]
    fn new_clusters_get_a_kubernetes_version_in_standard_support() {
        let problems = kubernetes_version_problems().unwrap();
        assert!(problems.is_empty(), "{problems:#?}");
        let version = Environment::Dev.setting("kubernetes_version").unwrap();
        let ends = EKS_STANDARD_SUPPORT_ENDS
            .iter()
            .find(|(v, _)| *v == version)
            .unwrap()
            .1;
        assert!(crate::delivery::checks::KUBERNETES_VERSION.starts_with(&format!("{version}.")));
        let deploying = std::fs::read_to_string(root().join("docs/deploying.md")).unwrap();
        for expected in [
            format!("Kubernetes {version}"),
            ends.to_owned(),
            EKS_CALENDAR_CHECKED.to_owned(),
        ] {
            assert!(
                deploying.contains(&expected),
                "docs/deploying.md must say {expected:?}"
            );
        }
    }

    #[test]
    fn the_versions_that_left_standard_support_are_refused() {
        for (version, ends) in EKS_STANDARD_SUPPORT_ENDS {
            if ["1.33", "1.34"].contains(version) {
                assert!(*ends <= EKS_CALENDAR_CHECKED, "{version}");
            }
        }
        assert_eq!(
            variable_default(
                "variable \"kubernetes_version\" {\n  default     = \"1.33\"\n}\n",
                "kubernetes_version"
            )
            .as_deref(),
            Some("1.33")
        );
    }
}
