//! The Terraform outputs of one environment, as `cargo xtask provision` leaves them in
//! `target/provision/<env>/outputs.json` (`terraform output -json`): how `images` and `deploy`
//! learn the names Terraform chose (cluster, repository, ARNs, URLs) without running Terraform or
//! asking AWS. This module only reads that file; it never runs Terraform.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use serde_json::{Map, Value};

use crate::infra::Environment;
use crate::infra::provision::default_work_dir;

/// One environment's outputs, read from a file.
#[derive(Debug, Clone)]
pub struct Outputs {
    /// Where they were read from, for messages.
    source: PathBuf,
    values: Map<String, Value>,
}

impl Outputs {
    /// `target/provision/<env>/outputs.json`, where `provision` writes them.
    pub fn default_path(env: Environment) -> PathBuf {
        default_work_dir(env).join("outputs.json")
    }

    /// Reads `path`, failing with the command that writes it when it is missing.
    pub fn read(path: &Path, env: Environment) -> anyhow::Result<Self> {
        let text = std::fs::read_to_string(path).with_context(|| {
            format!(
                "cannot read the Terraform outputs {}: run `cargo xtask provision --env {env}` first",
                path.display()
            )
        })?;
        Self::parse(&text, path)
    }

    /// Parses the JSON of `terraform output -json` (`{"name": {"value": ..., "type": ...}}`).
    pub fn parse(text: &str, source: &Path) -> anyhow::Result<Self> {
        let values: Map<String, Value> = serde_json::from_str(text).with_context(|| {
            format!(
                "{} is not the JSON object of `terraform output -json`",
                source.display()
            )
        })?;
        Ok(Self {
            source: source.to_owned(),
            values,
        })
    }

    /// The value of output `name`, if there is one.
    fn value(&self, name: &str) -> Option<&Value> {
        let entry = self.values.get(name)?;
        match entry {
            Value::Object(fields) if fields.contains_key("value") => fields.get("value"),
            other => Some(other),
        }
    }

    /// A string output that must be there and not be empty.
    pub fn string(&self, name: &str) -> anyhow::Result<String> {
        match self.value(name) {
            Some(Value::String(text)) if !text.is_empty() => Ok(text.clone()),
            Some(Value::String(_)) | Some(Value::Null) | None => bail!(
                "the Terraform outputs {} have no value for `{name}` (run `cargo xtask provision` again?)",
                self.source.display()
            ),
            Some(other) => bail!(
                "the Terraform output `{name}` in {} is not a string: {other}",
                self.source.display()
            ),
        }
    }

    /// A string output that may be absent (or empty).
    pub fn optional_string(&self, name: &str) -> Option<String> {
        match self.value(name) {
            Some(Value::String(text)) if !text.is_empty() => Some(text.clone()),
            _ => None,
        }
    }

    /// A list-of-strings output (`public_subnet_cidrs`, ...) that must be there and not be empty.
    pub fn string_list(&self, name: &str) -> anyhow::Result<Vec<String>> {
        let Some(Value::Array(items)) = self.value(name) else {
            bail!(
                "the Terraform outputs {} have no list `{name}` (run `cargo xtask provision` again?)",
                self.source.display()
            );
        };
        let list: Vec<String> = items
            .iter()
            .map(|item| match item {
                Value::String(text) if !text.is_empty() => Ok(text.clone()),
                other => bail!(
                    "an item of `{name}` in {} is not a string: {other}",
                    self.source.display()
                ),
            })
            .collect::<anyhow::Result<_>>()?;
        if list.is_empty() {
            bail!(
                "the Terraform output `{name}` in {} is an empty list",
                self.source.display()
            );
        }
        Ok(list)
    }

    /// A map-of-strings output (`irsa_role_arns`, `sqs_queue_urls`, ...) that must be there.
    pub fn string_map(&self, name: &str) -> anyhow::Result<BTreeMap<String, String>> {
        let Some(Value::Object(entries)) = self.value(name) else {
            bail!(
                "the Terraform outputs {} have no map `{name}` (run `cargo xtask provision` again?)",
                self.source.display()
            );
        };
        entries
            .iter()
            .map(|(key, value)| match value {
                Value::String(text) => Ok((key.clone(), text.clone())),
                other => bail!(
                    "`{name}.{key}` in {} is not a string: {other}",
                    self.source.display()
                ),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outputs(json: &str) -> Outputs {
        Outputs::parse(json, Path::new("outputs.json")).unwrap()
    }

    #[test]
    fn values_are_read_from_the_terraform_output_json_shape() {
        let read = outputs(
            r#"{
              "cluster_name": {"sensitive": false, "type": "string", "value": "expense-dev"},
              "irsa_role_arns": {"sensitive": false, "type": ["map", "string"],
                                 "value": {"auth": "arn:aws:iam::1:role/a"}},
              "hostname": {"sensitive": false, "type": "string", "value": ""}
            }"#,
        );
        assert_eq!(read.string("cluster_name").unwrap(), "expense-dev");
        assert_eq!(
            read.string_map("irsa_role_arns").unwrap()["auth"],
            "arn:aws:iam::1:role/a"
        );
        assert_eq!(read.optional_string("hostname"), None);
        let cidrs = outputs(r#"{"c": {"value": ["10.20.192.0/22"]}, "e": {"value": []}}"#);
        assert_eq!(cidrs.string_list("c").unwrap(), ["10.20.192.0/22"]);
        assert!(cidrs.string_list("e").unwrap_err().to_string().contains("empty"));
        assert!(cidrs.string_list("missing").is_err());
        let missing = read.string("ecr_repository_url").unwrap_err().to_string();
        assert!(missing.contains("`ecr_repository_url`"), "{missing}");
        assert!(read.string("irsa_role_arns").is_err());
    }

    #[test]
    fn a_missing_file_names_the_command_that_writes_it() {
        let error = Outputs::read(Path::new("/nonexistent/outputs.json"), Environment::Prod).unwrap_err();
        assert!(
            format!("{error:#}").contains("cargo xtask provision --env prod"),
            "{error:#}"
        );
    }
}
