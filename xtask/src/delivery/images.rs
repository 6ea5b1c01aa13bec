//! `cargo xtask images [--tag TAG] [--dry-run]`: builds the root `Dockerfile` once and pushes
//! `expense-server:<tag>` to the environment's ECR repository (docs/deploying.md, "Images").
//!
//! - The repository: `--repository`, else the Terraform output `ecr_repository_url` of
//!   `target/provision/<env>/outputs.json`, else the repository named `expense-server` found
//!   through ECR DescribeRepositories (the CI image job runs before any `provision`).
//! - The registry login goes through the AWS SDK: ECR GetAuthorizationToken, whose token is
//!   base64 `AWS:<password>`, piped to `docker login --password-stdin` (never on a command line).
//! - The build: `docker buildx build --platform linux/amd64 --push` with the OCI label build
//!   arguments, and the GitHub Actions cache when the Actions runtime is exposed to the step.
//!
//! It builds only when a Docker engine answers `docker info`, and otherwise says so. `--dry-run`
//! prints every command it would run, with the tag (default: the git commit of HEAD), and needs
//! neither Docker nor AWS.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use anyhow::{Context, bail};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use super::manifests::{IMAGE_NAME, validate_tag};
use super::outputs::Outputs;
use crate::infra::aws::{AwsTarget, aws_error, block_on};
use crate::infra::{ENDPOINT_URL_VAR, Environment, resolve_endpoint, resolve_region};
use crate::project::{root, run_checked, step};

/// The platform of the EKS node group.
const DEFAULT_PLATFORM: &str = "linux/amd64";

#[derive(Debug, clap::Args)]
pub struct ImagesArgs {
    /// The environment whose Terraform outputs name the repository.
    #[arg(long, value_enum, default_value_t = Environment::Dev)]
    pub env: Environment,
    /// The image tag [default: the git commit of HEAD].
    #[arg(long)]
    pub tag: Option<String>,
    /// The ECR repository URL (`<account>.dkr.ecr.<region>.amazonaws.com/expense-server`)
    /// [default: the output `ecr_repository_url` of target/provision/<env>/outputs.json, else
    /// the repository `expense-server` found through ECR].
    #[arg(long, value_name = "URL")]
    pub repository: Option<String>,
    /// Print each command it would run, and run none (no Docker engine or AWS access needed).
    #[arg(long)]
    pub dry_run: bool,
    /// Send the ECR calls to this endpoint, a moto server, with test credentials
    /// [default: $AWS_ENDPOINT_URL; unset = AWS].
    #[arg(long, value_name = "URL")]
    pub endpoint_url: Option<String>,
    /// The image's platform (the node group's architecture).
    #[arg(long, default_value = DEFAULT_PLATFORM)]
    pub platform: String,
}

/// What the build is told about itself (the Dockerfile's OCI label arguments).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildInfo {
    pub tag: String,
    /// The git commit built.
    pub revision: String,
    /// RFC 3339 build time.
    pub created: String,
    pub platform: String,
    /// Whether to use the GitHub Actions cache for the dependency layer.
    pub actions_cache: bool,
}

/// `docker buildx build ...` pushing `repository:tag`, as arguments after `docker`.
pub fn build_command(repository: &str, info: &BuildInfo) -> Vec<String> {
    let mut args: Vec<String> = [
        "buildx",
        "build",
        "--platform",
        &info.platform,
        "--file",
        "Dockerfile",
        "--tag",
        &format!("{repository}:{}", info.tag),
        "--build-arg",
        &format!("VERSION={}", env!("CARGO_PKG_VERSION")),
        "--build-arg",
        &format!("REVISION={}", info.revision),
        "--build-arg",
        &format!("CREATED={}", info.created),
    ]
    .iter()
    .map(|arg| (*arg).to_owned())
    .collect();
    if info.actions_cache {
        for arg in [
            "--cache-from",
            "type=gha,scope=expense-server",
            "--cache-to",
            "type=gha,mode=max,scope=expense-server",
        ] {
            args.push(arg.to_owned());
        }
    }
    args.push("--push".to_owned());
    args.push(".".to_owned());
    args
}

/// The registry host of a repository URL.
pub fn registry_of(repository: &str) -> &str {
    repository.split('/').next().unwrap_or(repository)
}

/// The account and region of an ECR registry host (`<account>.dkr.ecr.<region>.amazonaws.com`).
pub fn ecr_account_and_region(registry: &str) -> Option<(&str, &str)> {
    let parts: Vec<&str> = registry.split('.').collect();
    match parts.as_slice() {
        [account, "dkr", "ecr", region, ..] => Some((account, region)),
        _ => None,
    }
}

/// The commands of a run, for `--dry-run`; `source` says where the repository URL comes from.
pub fn plan(repository: &str, source: &str, info: &BuildInfo) -> Vec<String> {
    let registry = registry_of(repository);
    vec![
        format!("# repository {repository} ({source})"),
        "docker info    # a Docker engine must answer".to_owned(),
        format!("# ECR GetAuthorizationToken (AWS SDK) for {registry}: base64 AWS:<password>"),
        format!("docker login --username AWS --password-stdin {registry}    # the password on stdin"),
        format!("docker {}", build_command(repository, info).join(" ")),
    ]
}

/// Fails unless `docker info` succeeds, i.e. a Docker engine answers.
pub fn require_docker_engine(docker: &str) -> anyhow::Result<()> {
    let checked = Command::new(docker)
        .arg("info")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output();
    match checked {
        Ok(output) if output.status.success() => Ok(()),
        Ok(output) => bail!(
            "no Docker engine: `{docker} info` failed ({}): {}\nThe image needs a running Docker \
             engine with buildx; `cargo xtask images --dry-run` shows the commands without one.",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        ),
        Err(error) => bail!(
            "no Docker engine: cannot run `{docker} info` ({error}). The image needs Docker with \
             buildx; `cargo xtask images --dry-run` shows the commands without one."
        ),
    }
}

/// A registry login from ECR GetAuthorizationToken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EcrLogin {
    pub username: String,
    pub password: String,
    /// The caller's registry, `https://<account>.dkr.ecr.<region>.amazonaws.com` (the password
    /// is good for the other registries the caller may push to as well).
    pub endpoint: String,
}

/// ECR GetAuthorizationToken: a password for every registry the caller may use.
pub async fn ecr_login(ecr: &aws_sdk_ecr::Client) -> anyhow::Result<EcrLogin> {
    let answer = ecr
        .get_authorization_token()
        .send()
        .await
        .map_err(aws_error)
        .context("ECR GetAuthorizationToken failed: are AWS credentials configured?")?;
    let data = answer
        .authorization_data()
        .first()
        .context("ECR returned no authorization data")?;
    let token = data
        .authorization_token()
        .context("ECR returned no authorization token")?;
    let decoded = STANDARD
        .decode(token)
        .context("the ECR authorization token is not base64")?;
    let decoded = String::from_utf8(decoded).context("the ECR authorization token is not text")?;
    let (username, password) = decoded
        .split_once(':')
        .context("the ECR authorization token is not user:password")?;
    Ok(EcrLogin {
        username: username.to_owned(),
        password: password.to_owned(),
        endpoint: data.proxy_endpoint().unwrap_or_default().to_owned(),
    })
}

/// The URL of the ECR repository `name` (DescribeRepositories).
pub async fn find_repository(ecr: &aws_sdk_ecr::Client, name: &str) -> anyhow::Result<String> {
    match ecr.describe_repositories().repository_names(name).send().await {
        Ok(found) => found
            .repositories()
            .first()
            .and_then(|repository| repository.repository_uri())
            .map(str::to_owned)
            .with_context(|| format!("ECR returned no URL for repository {name}")),
        Err(error) => {
            if error
                .as_service_error()
                .is_some_and(|e| e.is_repository_not_found_exception())
            {
                bail!(
                    "the ECR repository {name} does not exist: run `cargo xtask provision` first, or \
                     pass --repository"
                );
            }
            Err(aws_error(error)).context(format!("ECR DescribeRepositories {name} failed"))
        }
    }
}

pub fn run(args: &ImagesArgs) -> anyhow::Result<()> {
    let tag = match &args.tag {
        Some(tag) => tag.clone(),
        None => super::git_head()?,
    };
    validate_tag(&tag)?;
    let info = BuildInfo {
        tag,
        revision: super::git_head().unwrap_or_else(|_| "unknown".to_owned()),
        created: time::OffsetDateTime::now_utc()
            .replace_nanosecond(0)
            .expect("zero nanoseconds are valid")
            .format(&time::format_description::well_known::Rfc3339)
            .context("cannot format the build time")?,
        platform: args.platform.clone(),
        actions_cache: std::env::var_os("ACTIONS_RUNTIME_TOKEN").is_some()
            && (std::env::var_os("ACTIONS_CACHE_URL").is_some()
                || std::env::var_os("ACTIONS_RESULTS_URL").is_some()),
    };
    let outputs_path: PathBuf = Outputs::default_path(args.env);
    let outputs_shown = outputs_path
        .strip_prefix(root())
        .unwrap_or(&outputs_path)
        .display();
    let (known_repository, source) = match &args.repository {
        Some(repository) => (Some(repository.clone()), "--repository".to_owned()),
        None if outputs_path.exists() => (
            Some(Outputs::read(&outputs_path, args.env)?.string("ecr_repository_url")?),
            format!("output ecr_repository_url of {outputs_shown}"),
        ),
        None => (
            None,
            format!("no --repository and no {outputs_shown}: found through ECR DescribeRepositories"),
        ),
    };

    if args.dry_run {
        step(&format!(
            "Image {IMAGE_NAME}:{} (dry run: nothing is run)",
            info.tag
        ));
        let repository = known_repository
            .unwrap_or_else(|| format!("<account>.dkr.ecr.<region>.amazonaws.com/{IMAGE_NAME}"));
        for line in plan(&repository, &source, &info) {
            println!("{line}");
        }
        return Ok(());
    }

    step(&format!("Image {IMAGE_NAME}:{}", info.tag));
    require_docker_engine("docker")?;
    let endpoint_url = resolve_endpoint(args.endpoint_url.as_deref(), std::env::var(ENDPOINT_URL_VAR).ok());
    let (repository, login) = block_on(async {
        let region = known_repository
            .as_deref()
            .and_then(|repository| ecr_account_and_region(registry_of(repository)))
            .map(|(_, region)| region.to_owned())
            .unwrap_or_else(|| resolve_region(None));
        let target = AwsTarget { region, endpoint_url };
        let ecr = aws_sdk_ecr::Client::new(&target.sdk_config().await);
        let repository = match known_repository {
            Some(repository) => repository,
            None => find_repository(&ecr, IMAGE_NAME).await?,
        };
        let login = ecr_login(&ecr).await?;
        anyhow::Ok((repository, login))
    })?;
    let registry = registry_of(&repository).to_owned();

    eprintln!(
        "    docker login --username {} --password-stdin {registry}",
        login.username
    );
    let mut docker_login = Command::new("docker")
        .args([
            "login",
            "--username",
            &login.username,
            "--password-stdin",
            &registry,
        ])
        .stdin(Stdio::piped())
        .spawn()
        .context("cannot run docker login")?;
    docker_login
        .stdin
        .take()
        .context("docker login has a stdin")?
        .write_all(login.password.as_bytes())?;
    let status = docker_login.wait()?;
    if !status.success() {
        bail!("docker login to {registry} failed ({status})");
    }

    let build = build_command(&repository, &info);
    eprintln!("    docker {}", build.join(" "));
    run_checked(
        Command::new("docker").args(&build).current_dir(root()),
        "docker buildx build --push",
    )?;
    eprintln!("\nPushed {repository}:{}.", info.tag);
    Ok(())
}

#[cfg(test)]
mod tests {
    use expense_testkit::moto::MotoServer;

    use super::*;

    fn info(actions_cache: bool) -> BuildInfo {
        BuildInfo {
            tag: "3f9c2e1d".to_owned(),
            revision: "3f9c2e1d0a4b".to_owned(),
            created: "2026-11-26T20:00:00Z".to_owned(),
            platform: DEFAULT_PLATFORM.to_owned(),
            actions_cache,
        }
    }

    #[test]
    fn the_dry_run_plan_logs_in_then_builds_and_pushes_the_tag() {
        let repository = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/expense-server";
        let lines = plan(repository, "--repository", &info(false));
        assert_eq!(lines[0], format!("# repository {repository} (--repository)"));
        assert!(lines[1].starts_with("docker info"));
        assert!(lines[2].contains("GetAuthorizationToken"));
        assert!(lines[3].starts_with(
            "docker login --username AWS --password-stdin 123456789012.dkr.ecr.eu-west-1.amazonaws.com"
        ));
        assert_eq!(
            lines[4],
            format!(
                "docker buildx build --platform linux/amd64 --file Dockerfile --tag {repository}:3f9c2e1d \
                 --build-arg VERSION={} --build-arg REVISION=3f9c2e1d0a4b \
                 --build-arg CREATED=2026-11-26T20:00:00Z --push .",
                env!("CARGO_PKG_VERSION")
            )
        );
        let cached = build_command(repository, &info(true)).join(" ");
        assert!(
            cached.contains("--cache-from type=gha,scope=expense-server --cache-to type=gha,mode=max"),
            "{cached}"
        );
    }

    #[test]
    fn ecr_registry_hosts_name_their_account_and_region() {
        assert_eq!(
            ecr_account_and_region("123456789012.dkr.ecr.eu-west-1.amazonaws.com"),
            Some(("123456789012", "eu-west-1"))
        );
        assert_eq!(ecr_account_and_region("ghcr.io"), None);
        assert_eq!(
            registry_of("123456789012.dkr.ecr.eu-west-1.amazonaws.com/expense-server"),
            "123456789012.dkr.ecr.eu-west-1.amazonaws.com"
        );
    }

    #[test]
    fn without_a_docker_engine_the_error_says_so() {
        // `false` stands for a `docker` client whose `info` finds no engine (it exits 1).
        let error = require_docker_engine("false").unwrap_err().to_string();
        assert!(
            error.contains("no Docker engine") && error.contains("--dry-run"),
            "{error}"
        );
        let error = require_docker_engine("/nonexistent/docker")
            .unwrap_err()
            .to_string();
        assert!(error.contains("no Docker engine"), "{error}");
    }

    #[tokio::test]
    async fn the_ecr_login_and_repository_come_from_the_sdk() {
        let moto = MotoServer::start().expect("moto starts (run the suite with `cargo xtask test`)");
        let target = AwsTarget {
            region: "eu-west-1".to_owned(),
            endpoint_url: Some(moto.endpoint()),
        };
        let ecr = aws_sdk_ecr::Client::new(&target.sdk_config().await);
        let missing = find_repository(&ecr, IMAGE_NAME).await.unwrap_err().to_string();
        assert!(
            missing.contains("does not exist") && missing.contains("--repository"),
            "{missing}"
        );

        ecr.create_repository()
            .repository_name(IMAGE_NAME)
            .send()
            .await
            .map_err(aws_error)
            .unwrap();
        let repository = find_repository(&ecr, IMAGE_NAME).await.unwrap();
        assert_eq!(
            repository,
            "123456789012.dkr.ecr.eu-west-1.amazonaws.com/expense-server"
        );

        let login = ecr_login(&ecr).await.unwrap();
        assert_eq!(login.username, "AWS");
        assert!(!login.password.is_empty());
        assert_eq!(
            login.endpoint,
            "https://123456789012.dkr.ecr.eu-west-1.amazonaws.com"
        );
    }
}
