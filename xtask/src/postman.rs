//! The Postman collection `docs/api/expense.postman_collection.json` and its judges.
//!
//! Generation (`cargo xtask codegen`): npm's `openapi-to-postmanv2` converts the committed
//! OpenAPI document (`xtask/npm/postman.js` runs it with its randomness seeded and its clock
//! fixed); then this module makes the ids stable, sets the collection variables (`baseUrl`,
//! `bearerToken`) and the bearer auth every request inherits, and puts first a `Flows` folder
//! built from `xtask/postman/flows.json`: sign up, sign in and the main flows, each request taken
//! from the converted collection (so it is the document's operation) with its body, the status it
//! must answer and the variables it saves.
//!
//! The gate stage (`cargo xtask test`): the committed collection must equal a fresh generation,
//! then newman runs the `Flows` folder against a throwaway `expense-server all` on loopback, and
//! the curl flows of `docs/api/README.md` run as written against the same server.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, bail};
use serde_json::{Map, Value, json};

use crate::npm::NpmTools;
use crate::process::{ServerProcess, expense_server_binary, free_port};
use crate::project::{root, step};

/// The committed collection.
pub fn collection_path() -> PathBuf {
    root().join("docs/api/expense.postman_collection.json")
}

/// The collection as it must be committed.
pub fn generate(tools: &NpmTools) -> anyhow::Result<String> {
    let output = tools
        .node(&root().join("xtask/npm/postman.js"))
        .arg(root().join("docs/api/openapi.json"))
        .output()
        .context("cannot run node (install Node.js)")?;
    if !output.status.success() {
        bail!(
            "openapi-to-postmanv2 failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let converted: Value =
        serde_json::from_slice(&output.stdout).context("openapi-to-postmanv2 printed no JSON")?;
    let flows: Value =
        serde_json::from_str(&std::fs::read_to_string(root().join("xtask/postman/flows.json"))?)
            .context("xtask/postman/flows.json is not JSON")?;
    let collection = finish(converted, &flows)?;
    Ok(format!("{}\n", serde_json::to_string_pretty(&collection)?))
}

/// `cargo xtask codegen`: writes the collection.
pub fn write(tools: &NpmTools) -> anyhow::Result<()> {
    step("Regenerating docs/api/expense.postman_collection.json");
    std::fs::write(collection_path(), generate(tools)?)?;
    Ok(())
}

/// Stable ids, variables, auth, and the `Flows` folder first.
fn finish(mut collection: Value, flows: &Value) -> anyhow::Result<Value> {
    let folder = flow_folder(&collection, flows)?;
    let object = collection
        .as_object_mut()
        .context("the collection is not an object")?;
    object.insert(
        "variable".into(),
        json!([
            {"key": "baseUrl", "value": "http://127.0.0.1:8080", "type": "string"},
            {"key": "bearerToken", "value": "", "type": "string"},
        ]),
    );
    object.insert(
        "auth".into(),
        json!({"type": "bearer", "bearer": [{"key": "token", "value": "{{bearerToken}}", "type": "string"}]}),
    );
    let items = object
        .get_mut("item")
        .and_then(Value::as_array_mut)
        .context("the collection has no items")?;
    items.insert(0, folder);
    stable_ids(&mut collection, "collection");
    Ok(collection)
}

/// Replaces every generated (random) id with one derived from where it sits.
fn stable_ids(value: &mut Value, place: &str) {
    match value {
        Value::Object(map) => {
            for key in ["id", "_postman_id"] {
                if map.get(key).is_some_and(Value::is_string) {
                    map.insert(key.into(), Value::String(uuid_from(&format!("{place}/{key}"))));
                }
            }
            for (key, child) in map.iter_mut() {
                if key != "id" && key != "_postman_id" {
                    stable_ids(child, &format!("{place}/{key}"));
                }
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter_mut().enumerate() {
                stable_ids(child, &format!("{place}/{index}"));
            }
        }
        _ => {}
    }
}

/// A UUID-shaped id from the SHA-256 of `text`.
fn uuid_from(text: &str) -> String {
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, text.as_bytes());
    let hex: String = digest.as_ref()[..16].iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

/// Every request of the converted collection, by `METHOD /path/{template}`.
fn requests(collection: &Value) -> Vec<(String, Value)> {
    fn walk(items: &[Value], found: &mut Vec<(String, Value)>) {
        for item in items {
            if let Some(children) = item["item"].as_array() {
                walk(children, found);
            } else if let Some(request) = item.get("request") {
                let method = request["method"].as_str().unwrap_or_default();
                let path: Vec<String> = request["url"]["path"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|segment| {
                        let segment = segment.as_str().unwrap_or_default();
                        match segment.strip_prefix(':') {
                            Some(name) => format!("{{{name}}}"),
                            None => segment.to_owned(),
                        }
                    })
                    .collect();
                found.push((format!("{method} /{}", path.join("/")), item.clone()));
            }
        }
    }
    let mut found = Vec::new();
    walk(
        collection["item"].as_array().map_or(&[][..], Vec::as_slice),
        &mut found,
    );
    found
}

fn script(kind: &str, lines: Vec<String>) -> Value {
    json!({"listen": kind, "script": {"type": "text/javascript", "exec": lines}})
}

fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|line| line.as_str().map(str::to_owned))
        .collect()
}

/// The `Flows` folder: each step is the converted request of its operation, made concrete.
fn flow_folder(collection: &Value, flows: &Value) -> anyhow::Result<Value> {
    let known = requests(collection);
    let mut items = Vec::new();
    for step in flows["steps"].as_array().context("flows.json has no steps")? {
        let name = step["name"].as_str().context("a step without a name")?;
        let operation = step["request"].as_str().context("a step without a request")?;
        let (_, template) = known.iter().find(|(key, _)| key == operation).with_context(|| {
            format!("flows.json: {operation} is not an operation of docs/api/openapi.json")
        })?;
        let mut request = template["request"].clone();
        let request_map = request.as_object_mut().context("a request is not an object")?;
        request_map.insert("name".into(), json!(name));
        if step["auth"] == json!(false) {
            request_map.insert("auth".into(), json!({"type": "noauth"}));
        } else {
            request_map.remove("auth");
        }
        let url = request_map
            .get_mut("url")
            .and_then(Value::as_object_mut)
            .context("no url")?;
        let path_values = step["path"].as_object().cloned().unwrap_or_default();
        let variables: Vec<Value> = url
            .get("variable")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|variable| {
                let key = variable["key"].as_str().unwrap_or_default();
                json!({"key": key, "value": path_values.get(key).cloned().unwrap_or(json!(""))})
            })
            .collect();
        url.insert("variable".into(), Value::Array(variables));
        let query: Vec<Value> = step["query"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(key, value)| json!({"key": key, "value": value}))
            .collect();
        url.insert("query".into(), Value::Array(query));
        let mut headers: Vec<Value> = vec![json!({"key": "Accept", "value": "application/json"})];
        if step.get("body").is_some() {
            headers.push(json!({"key": "Content-Type", "value": "application/json"}));
        }
        for (key, value) in step["headers"].as_object().into_iter().flatten() {
            headers.push(json!({"key": key, "value": value}));
        }
        request_map.insert("header".into(), Value::Array(headers));
        match step.get("body") {
            Some(body) => request_map.insert(
                "body".into(),
                json!({
                    "mode": "raw",
                    "raw": serde_json::to_string_pretty(body)?,
                    "options": {"raw": {"language": "json"}}
                }),
            ),
            None => request_map.remove("body"),
        };
        let status = step["status"]
            .as_u64()
            .with_context(|| format!("{name}: no status"))?;
        let mut tests = vec![
            "const json = (() => { try { return pm.response.json(); } catch (e) { return null; } })();"
                .to_owned(),
            format!("pm.test('{operation} answers {status}', function () {{"),
            format!("    pm.response.to.have.status({status});"),
            "});".to_owned(),
        ];
        if step["problem"] == json!(true) {
            tests.extend([
                "pm.test('the error is problem+json', function () {".to_owned(),
                "    pm.expect(pm.response.headers.get('Content-Type')).to.include('application/problem+json');"
                    .to_owned(),
                format!("    pm.expect(json.status).to.eql({status});"),
                "});".to_owned(),
            ]);
        }
        let checks = strings(&step["tests"]);
        if !checks.is_empty() {
            tests.push("pm.test('the answer says what it should', function () {".to_owned());
            tests.extend(checks.into_iter().map(|line| format!("    {line}")));
            tests.push("});".to_owned());
        }
        for (variable, field) in step["save"].as_object().into_iter().flatten() {
            let field = field.as_str().context("save: a field path")?;
            tests.push(format!(
                "if (json) {{ pm.collectionVariables.set('{variable}', json.{field}); }}"
            ));
        }
        let mut events = vec![script("test", tests)];
        let prerequest = strings(&step["prerequest"]);
        if !prerequest.is_empty() {
            events.insert(0, script("prerequest", prerequest));
        }
        let mut item = Map::new();
        item.insert("name".into(), json!(name));
        item.insert("request".into(), request);
        item.insert("event".into(), Value::Array(events));
        item.insert("response".into(), json!([]));
        items.push(Value::Object(item));
    }
    Ok(json!({
        "name": flows["folder"].as_str().unwrap_or("Flows"),
        "description": flows["description"],
        "item": items,
        "event": [script("prerequest", strings(&flows["prerequest"]))],
    }))
}

/// Where newman's report and the server's log go.
fn output_dir() -> PathBuf {
    root().join("target/postman")
}

/// The gate stage: the collection is fresh, newman runs its flows, the README's curl flows run.
pub fn gate(tools: &NpmTools) -> anyhow::Result<()> {
    let committed = std::fs::read_to_string(collection_path()).unwrap_or_default();
    if committed != generate(tools)? {
        bail!(
            "docs/api/expense.postman_collection.json is stale: run `cargo xtask codegen` and commit the result"
        );
    }
    crate::os_packages::ensure("curl", || crate::os_packages::on_path("curl"))?;
    crate::os_packages::ensure("jq", || crate::os_packages::on_path("jq"))?;
    let binary = expense_server_binary()?;
    let output = output_dir();
    std::fs::create_dir_all(&output)?;
    let data = tempfile::Builder::new().prefix("expense-postman-").tempdir()?;
    let address = format!("127.0.0.1:{}", free_port()?);
    let mut server = ServerProcess::spawn(
        "expense-server all",
        &format!("http://{address}"),
        Command::new(&binary)
            .arg("all")
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("EXPENSE_DATA_DIR", data.path())
            .env("EXPENSE_BIND_ADDR", &address)
            .env("EXPENSE_LOG", "warn"),
        &output.join("server.log"),
    )?;
    eprintln!("expense-server all (pid {}) at {}", server.pid(), server.url());
    let result =
        crate::infra::aws::block_on(async { server.wait_until_ready(&reqwest::Client::new()).await })
            .and_then(|()| newman(tools, server.url(), &output))
            .and_then(|()| curl_flows(server.url(), &output));
    server.stop();
    result
}

/// newman runs the `Flows` folder; every assertion must pass.
fn newman(tools: &NpmTools, url: &str, output: &Path) -> anyhow::Result<()> {
    let report = output.join("newman-report.json");
    let status = tools
        .command("newman")
        .args(["run"])
        .arg(collection_path())
        .args(["--folder", "Flows", "--env-var"])
        .arg(format!("baseUrl={url}"))
        .args(["--reporters", "cli,json", "--reporter-json-export"])
        .arg(&report)
        .args(["--color", "off", "--disable-unicode"])
        .status()
        .context("cannot run newman")?;
    let summary: Value =
        serde_json::from_str(&std::fs::read_to_string(&report).unwrap_or_default()).unwrap_or_default();
    let stats = &summary["run"]["stats"];
    eprintln!(
        "newman: {} requests, {} assertions, {} failed",
        stats["requests"]["total"], stats["assertions"]["total"], stats["assertions"]["failed"]
    );
    if !status.success()
        || stats["assertions"]["failed"] != json!(0)
        || stats["requests"]["total"] == json!(0)
    {
        bail!("newman reported failures (above; report in {})", report.display());
    }
    Ok(())
}

/// The `sh` blocks of `docs/api/README.md`, in order, run as one script by bash with `BASE` set,
/// as a reader would paste them.
fn curl_flows(url: &str, output: &Path) -> anyhow::Result<()> {
    let readme = std::fs::read_to_string(root().join("docs/api/README.md"))?;
    let mut script = String::from("set -euo pipefail\n");
    let mut inside = false;
    let mut blocks = 0;
    for line in readme.lines() {
        if line.trim() == "```sh" {
            inside = true;
            blocks += 1;
        } else if line.trim() == "```" {
            inside = false;
        } else if inside {
            script.push_str(line);
            script.push('\n');
        }
    }
    if blocks == 0 {
        bail!("docs/api/README.md has no ```sh blocks");
    }
    let file = output.join("curl-flows.sh");
    std::fs::write(&file, &script)?;
    let home = tempfile::tempdir()?;
    let result = Command::new("bash")
        .arg(&file)
        .env("BASE", url)
        .env("HOME", home.path())
        .current_dir(home.path())
        .output()
        .context("cannot run bash")?;
    std::fs::write(
        output.join("curl-flows.log"),
        [&result.stdout[..], &result.stderr[..]].concat(),
    )?;
    if !result.status.success() {
        bail!(
            "the curl flows of docs/api/README.md failed ({}):\n{}{}",
            result.status,
            String::from_utf8_lossy(&result.stdout),
            String::from_utf8_lossy(&result.stderr)
        );
    }
    eprintln!("docs/api/README.md: {blocks} curl blocks ran as written");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_derived_from_their_place() {
        let mut value = json!({"info": {"_postman_id": "random"}, "item": [{"id": "random", "name": "a"}]});
        stable_ids(&mut value, "c");
        let again = {
            let mut other = json!({"info": {"_postman_id": "other"}, "item": [{"id": "other", "name": "a"}]});
            stable_ids(&mut other, "c");
            other
        };
        assert_eq!(value, again);
        assert_ne!(value["item"][0]["id"], value["info"]["_postman_id"]);
    }

    #[test]
    fn every_flow_step_names_an_operation_of_the_document() {
        let document: Value =
            serde_json::from_str(&std::fs::read_to_string(root().join("docs/api/openapi.json")).unwrap())
                .unwrap();
        let flows: Value =
            serde_json::from_str(&std::fs::read_to_string(root().join("xtask/postman/flows.json")).unwrap())
                .unwrap();
        for step in flows["steps"].as_array().unwrap() {
            let (method, path) = step["request"].as_str().unwrap().split_once(' ').unwrap();
            let operation = &document["paths"][path][method.to_lowercase()];
            assert!(
                operation.is_object(),
                "{method} {path} is not in docs/api/openapi.json"
            );
            let status = step["status"].as_u64().unwrap().to_string();
            assert!(
                operation["responses"].get(&status).is_some(),
                "{method} {path}: the document lists no {status} answer"
            );
        }
    }
}
