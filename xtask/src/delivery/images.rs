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
//! - After the push, the image's digest (ECR DescribeImages of the tag) is printed and, in a
//!   GitHub Actions step, written to `$GITHUB_OUTPUT` as `image=<repository>@<digest>`.
//!
//! With `--promote-from <repository>@<digest>` it builds nothing: it copies that image, by
//! digest, into the environment's repository under `--tag` (`docker buildx imagetools create`,
//! registry to registry, no Docker engine needed), then checks through ECR that the tag names
//! exactly that digest there. This is how prod gets the very image that passed dev
//! (docs/deploying.md, "Promotion"). Copying again is harmless: a tag that already names the
//! digest is left alone, and one that names another digest is an error (tags are immutable).
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
    /// The image's platform (the nodes' architecture).
    #[arg(long, default_value = DEFAULT_PLATFORM)]
    pub platform: String,
    /// Build nothing: copy this image (`<repository>@sha256:<digest>`, as the image job hands it
    /// on) into the environment's repository under --tag, and check the tag names that digest.
    #[arg(long, value_name = "REPOSITORY@DIGEST")]
    pub promote_from: Option<String>,
}

/// The repository name of an environment's image (`ecr_repository_name` in its Terraform):
/// one per environment, so dev and prod never collide in one account.
pub fn repository_name(env: Environment) -> String {
    format!("expense-{env}/{IMAGE_NAME}")
}

/// An image named by digest: `<registry>/<name>@sha256:<64 hex>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageByDigest {
    /// `<account>.dkr.ecr.<region>.amazonaws.com/<name>`.
    pub repository: String,
    /// `sha256:<64 hex>`.
    pub digest: String,
}

impl ImageByDigest {
    pub fn parse(text: &str) -> anyhow::Result<Self> {
        let (repository, digest) = text.split_once('@').with_context(|| {
            format!("{text:?} names no digest: expected <repository>@sha256:<64 hex digits>")
        })?;
        let hex = digest.strip_prefix("sha256:").unwrap_or_default();
        if hex.len() != 64
            || !hex
                .bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
        {
            bail!("{digest:?} is not a sha256 digest (sha256: and 64 lowercase hex digits)");
        }
        if repository.is_empty() || repository.contains(':') && !repository.contains('/') {
            bail!("{repository:?} is not a repository URL");
        }
        Ok(Self {
            repository: repository.to_owned(),
            digest: digest.to_owned(),
        })
    }

    /// `<repository>@<digest>`.
    pub fn reference(&self) -> String {
        format!("{}@{}", self.repository, self.digest)
    }
}

/// The path of a repository URL inside its registry (`expense-dev/expense-server`).
pub fn repository_path(repository: &str) -> &str {
    repository.split_once('/').map_or(repository, |(_, path)| path)
}

/// The digest the tag names in an ECR repository, or `None` when the tag is not there.
pub async fn tag_digest(
    ecr: &aws_sdk_ecr::Client,
    repository: &str,
    tag: &str,
) -> anyhow::Result<Option<String>> {
    let registry = registry_of(repository);
    let mut request = ecr
        .describe_images()
        .repository_name(repository_path(repository))
        .image_ids(
            aws_sdk_ecr::types::ImageIdentifier::builder()
                .image_tag(tag)
                .build(),
        );
    if let Some((account, _)) = ecr_account_and_region(registry) {
        request = request.registry_id(account);
    }
    match request.send().await {
        Ok(found) => Ok(found
            .image_details()
            .first()
            .and_then(|image| image.image_digest())
            .map(str::to_owned)),
        Err(error)
            if error
                .as_service_error()
                .is_some_and(|e| e.is_image_not_found_exception()) =>
        {
            Ok(None)
        }
        Err(error) => Err(aws_error(error)).context(format!("ECR DescribeImages {repository}:{tag} failed")),
    }
}

/// Fails unless `repository:tag` names `digest`: the check that a promotion copied exactly the
/// image dev ran.
pub async fn check_promoted(
    ecr: &aws_sdk_ecr::Client,
    repository: &str,
    tag: &str,
    digest: &str,
) -> anyhow::Result<()> {
    match tag_digest(ecr, repository, tag).await? {
        Some(found) if found == digest => Ok(()),
        Some(found) => bail!(
            "{repository}:{tag} names {found}, not {digest}: the tag already holds another image (tags are \
             immutable); deploy it under its own tag or investigate how it got there"
        ),
        None => bail!("{repository}:{tag} does not exist after the copy"),
    }
}

/// `docker buildx imagetools create` copying `source` to `destination:tag`, as arguments after
/// `docker`: registry to registry, every platform and attestation of the index, same digest.
pub fn promote_command(source: &ImageByDigest, destination: &str, tag: &str) -> Vec<String> {
    [
        "buildx",
        "imagetools",
        "create",
        "--tag",
        &format!("{destination}:{tag}"),
        &source.reference(),
    ]
    .iter()
    .map(|arg| (*arg).to_owned())
    .collect()
}

/// A Docker client configuration that logs in to `registries` with an ECR password, without a
/// Docker engine (what `docker login` would store). Lives in a temporary folder that is
/// removed when dropped.
pub fn docker_config(registries: &[(&str, &EcrLogin)]) -> anyhow::Result<tempfile::TempDir> {
    let dir = tempfile::Builder::new()
        .prefix("expense-docker-config")
        .tempdir()?;
    let mut auths = serde_json::Map::new();
    for (registry, login) in registries {
        let auth = STANDARD.encode(format!("{}:{}", login.username, login.password));
        auths.insert((*registry).to_owned(), serde_json::json!({ "auth": auth }));
    }
    let path = dir.path().join("config.json");
    std::fs::write(&path, serde_json::to_vec(&serde_json::json!({ "auths": auths }))?)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))?;
    }
    Ok(dir)
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
    if let Some(source) = &args.promote_from {
        return promote(args, &ImageByDigest::parse(source)?);
    }
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
            format!(
                "no --repository and no {outputs_shown}: {} found through ECR DescribeRepositories",
                repository_name(args.env)
            ),
        ),
    };

    if args.dry_run {
        step(&format!(
            "Image {IMAGE_NAME}:{} (dry run: nothing is run)",
            info.tag
        ));
        let repository = known_repository.unwrap_or_else(|| {
            format!(
                "<account>.dkr.ecr.<region>.amazonaws.com/{}",
                repository_name(args.env)
            )
        });
        for line in plan(&repository, &source, &info) {
            println!("{line}");
        }
        return Ok(());
    }

    step(&format!("Image {IMAGE_NAME}:{}", info.tag));
    require_docker_engine("docker")?;
    let endpoint_url = resolve_endpoint(args.endpoint_url.as_deref(), std::env::var(ENDPOINT_URL_VAR).ok());
    let (repository, login, ecr) = block_on(async {
        let region = known_repository
            .as_deref()
            .and_then(|repository| ecr_account_and_region(registry_of(repository)))
            .map(|(_, region)| region.to_owned())
            .unwrap_or_else(|| resolve_region(None));
        let target = AwsTarget { region, endpoint_url };
        let ecr = aws_sdk_ecr::Client::new(&target.sdk_config().await);
        let repository = match known_repository {
            Some(repository) => repository,
            None => find_repository(&ecr, &repository_name(args.env)).await?,
        };
        let login = ecr_login(&ecr).await?;
        anyhow::Ok((repository, login, ecr))
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
    let digest = block_on(tag_digest(&ecr, &repository, &info.tag))?
        .with_context(|| format!("{repository}:{} is not in ECR after the push", info.tag))?;
    let pushed = ImageByDigest {
        repository: repository.clone(),
        digest,
    };
    eprintln!("\nPushed {repository}:{} = {}.", info.tag, pushed.reference());
    write_github_output("image", &pushed.reference())?;
    Ok(())
}

/// Appends `name=value` to the step outputs file of GitHub Actions, when running in a step.
fn write_github_output(name: &str, value: &str) -> anyhow::Result<()> {
    let Some(path) = std::env::var_os("GITHUB_OUTPUT") else {
        return Ok(());
    };
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .open(&path)
        .with_context(|| format!("cannot open $GITHUB_OUTPUT {}", path.to_string_lossy()))?;
    writeln!(file, "{name}={value}")?;
    Ok(())
}

/// `--promote-from`: copies `source` into the environment's repository under `--tag`.
fn promote(args: &ImagesArgs, source: &ImageByDigest) -> anyhow::Result<()> {
    let tag = args
        .tag
        .clone()
        .context("--promote-from needs --tag: the tag the image gets in the environment's repository")?;
    validate_tag(&tag)?;
    let outputs_path = Outputs::default_path(args.env);
    let known = match &args.repository {
        Some(repository) => Some(repository.clone()),
        None if outputs_path.exists() => {
            Some(Outputs::read(&outputs_path, args.env)?.string("ecr_repository_url")?)
        }
        None => None,
    };
    step(&format!(
        "Promoting {} to {} as {tag}",
        source.reference(),
        args.env
    ));
    if args.dry_run {
        let destination = known.unwrap_or_else(|| {
            format!(
                "<account>.dkr.ecr.<region>.amazonaws.com/{}",
                repository_name(args.env)
            )
        });
        println!(
            "# ECR GetAuthorizationToken for {} and {}",
            registry_of(&source.repository),
            registry_of(&destination)
        );
        println!(
            "docker {}    # DOCKER_CONFIG holds both logins",
            promote_command(source, &destination, &tag).join(" ")
        );
        println!(
            "# ECR DescribeImages {destination}:{tag} must name {}",
            source.digest
        );
        return Ok(());
    }
    let endpoint_url = resolve_endpoint(args.endpoint_url.as_deref(), std::env::var(ENDPOINT_URL_VAR).ok());
    let client = |region: String| {
        let target = AwsTarget {
            region,
            endpoint_url: endpoint_url.clone(),
        };
        async move { aws_sdk_ecr::Client::new(&target.sdk_config().await) }
    };
    let source_region = ecr_account_and_region(registry_of(&source.repository))
        .map(|(_, region)| region.to_owned())
        .with_context(|| format!("{} is not an ECR repository URL", source.repository))?;
    let (destination, destination_ecr, logins) = block_on(async {
        let region = known
            .as_deref()
            .and_then(|r| ecr_account_and_region(registry_of(r)))
            .map(|(_, region)| region.to_owned())
            .unwrap_or_else(|| resolve_region(None));
        let destination_ecr = client(region).await;
        let destination = match known {
            Some(repository) => repository,
            None => find_repository(&destination_ecr, &repository_name(args.env)).await?,
        };
        let source_ecr = client(source_region).await;
        let destination_login = ecr_login(&destination_ecr).await?;
        let source_login = ecr_login(&source_ecr).await?;
        anyhow::Ok((destination, destination_ecr, (source_login, destination_login)))
    })?;
    if let Some(found) = block_on(tag_digest(&destination_ecr, &destination, &tag))? {
        if found == source.digest {
            eprintln!("    {destination}:{tag} already names {found}: nothing to copy");
            return Ok(());
        }
        bail!(
            "{destination}:{tag} already names {found}, not {}: tags are immutable, so this tag cannot \
             be promoted again with another image",
            source.digest
        );
    }
    let config = docker_config(&[
        (registry_of(&source.repository), &logins.0),
        (registry_of(&destination), &logins.1),
    ])?;
    let copy = promote_command(source, &destination, &tag);
    eprintln!("    docker {}", copy.join(" "));
    run_checked(
        Command::new("docker")
            .args(&copy)
            .env("DOCKER_CONFIG", config.path())
            .current_dir(root()),
        "docker buildx imagetools create (needs the docker CLI with buildx; no engine)",
    )?;
    drop(config);
    block_on(check_promoted(
        &destination_ecr,
        &destination,
        &tag,
        &source.digest,
    ))?;
    eprintln!("\nPromoted: {destination}:{tag} = {}.", source.digest);
    Ok(())
}

#[cfg(test)]
mod tests {
    use expense_testkit::moto::MotoServer;

    use super::*;

    /// An ECR client of a fresh moto server (kept alive by the first half).
    async fn ecr_on_moto() -> (MotoServer, aws_sdk_ecr::Client) {
        let moto = MotoServer::start().expect("moto starts (run the suite with `cargo xtask test`)");
        let target = AwsTarget {
            region: "eu-west-1".to_owned(),
            endpoint_url: Some(moto.endpoint()),
        };
        let ecr = aws_sdk_ecr::Client::new(&target.sdk_config().await);
        (moto, ecr)
    }

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
        let (_moto, ecr) = ecr_on_moto().await;
        let name = repository_name(Environment::Dev);
        let missing = find_repository(&ecr, &name).await.unwrap_err().to_string();
        assert!(
            missing.contains("does not exist") && missing.contains("--repository"),
            "{missing}"
        );

        ecr.create_repository()
            .repository_name(&name)
            .send()
            .await
            .map_err(aws_error)
            .unwrap();
        let repository = find_repository(&ecr, &name).await.unwrap();
        assert_eq!(
            repository,
            "123456789012.dkr.ecr.eu-west-1.amazonaws.com/expense-dev/expense-server"
        );

        let login = ecr_login(&ecr).await.unwrap();
        assert_eq!(login.username, "AWS");
        assert!(!login.password.is_empty());
        assert_eq!(
            login.endpoint,
            "https://123456789012.dkr.ecr.eu-west-1.amazonaws.com"
        );
    }

    #[test]
    fn each_environment_has_the_repository_its_terraform_creates() {
        for env in [Environment::Dev, Environment::Prod] {
            assert_eq!(
                env.setting("ecr_repository_name").unwrap(),
                repository_name(env),
                "envs/{env}.tfvars: ecr_repository_name"
            );
        }
        assert_ne!(
            repository_name(Environment::Dev),
            repository_name(Environment::Prod)
        );
    }

    #[test]
    fn images_by_digest_parse_and_promote_with_imagetools() {
        let digest = format!("sha256:{}", "ab".repeat(32));
        let source = ImageByDigest::parse(&format!(
            "111122223333.dkr.ecr.eu-west-1.amazonaws.com/expense-dev/expense-server@{digest}"
        ))
        .unwrap();
        assert_eq!(repository_path(&source.repository), "expense-dev/expense-server");
        assert_eq!(
            promote_command(
                &source,
                "444455556666.dkr.ecr.eu-west-1.amazonaws.com/expense-prod/expense-server",
                "3f9c"
            )
            .join(" "),
            format!(
                "buildx imagetools create --tag 444455556666.dkr.ecr.eu-west-1.amazonaws.com/expense-prod/expense-server:3f9c \
                 111122223333.dkr.ecr.eu-west-1.amazonaws.com/expense-dev/expense-server@{digest}"
            )
        );
        for bad in [
            "r/expense-server:3f9c".to_owned(),
            "r/expense-server@sha256:abc".to_owned(),
            format!("r/expense-server@sha256:{}", "AB".repeat(32)),
            format!("r/expense-server@md5:{}", "ab".repeat(32)),
        ] {
            assert!(ImageByDigest::parse(&bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_docker_config_logs_in_to_both_registries_privately() {
        let login = EcrLogin {
            username: "AWS".to_owned(),
            password: "secret".to_owned(),
            endpoint: String::new(),
        };
        let dir = docker_config(&[
            ("a.dkr.ecr.eu-west-1.amazonaws.com", &login),
            ("b.example", &login),
        ])
        .unwrap();
        let config: serde_json::Value =
            serde_json::from_slice(&std::fs::read(dir.path().join("config.json")).unwrap()).unwrap();
        assert_eq!(
            config["auths"]["b.example"]["auth"],
            STANDARD.encode("AWS:secret")
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join("config.json"))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let path = dir.path().to_owned();
        drop(dir);
        assert!(!path.exists(), "the logins are removed with the folder");
    }

    #[tokio::test]
    async fn a_promotion_is_checked_by_the_digest_the_tag_names() {
        let (_moto, ecr) = ecr_on_moto().await;
        let manifest = |layer: &str| {
            serde_json::json!({
                "schemaVersion": 2,
                "mediaType": "application/vnd.oci.image.manifest.v1+json",
                "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "size": 2,
                           "digest": format!("sha256:{}", "0".repeat(64))},
                "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "size": 3,
                            "digest": format!("sha256:{}", layer.repeat(64))}],
            })
            .to_string()
        };
        let mut urls = Vec::new();
        for env in [Environment::Dev, Environment::Prod] {
            let created = ecr
                .create_repository()
                .repository_name(repository_name(env))
                .send()
                .await
                .map_err(aws_error)
                .unwrap();
            urls.push(created.repository().unwrap().repository_uri().unwrap().to_owned());
        }
        let (dev, prod) = (&urls[0], &urls[1]);
        ecr.put_image()
            .repository_name(repository_path(dev))
            .image_manifest(manifest("1"))
            .image_tag("3f9c")
            .send()
            .await
            .map_err(aws_error)
            .unwrap();
        let digest = tag_digest(&ecr, dev, "3f9c").await.unwrap().expect("pushed");
        assert!(digest.starts_with("sha256:"), "{digest}");
        assert_eq!(tag_digest(&ecr, prod, "3f9c").await.unwrap(), None);
        let missing = check_promoted(&ecr, prod, "3f9c", &digest)
            .await
            .unwrap_err()
            .to_string();
        assert!(missing.contains("does not exist"), "{missing}");

        // What imagetools leaves behind: the same manifest bytes under the tag.
        ecr.put_image()
            .repository_name(repository_path(prod))
            .image_manifest(manifest("1"))
            .image_tag("3f9c")
            .send()
            .await
            .map_err(aws_error)
            .unwrap();
        check_promoted(&ecr, prod, "3f9c", &digest).await.unwrap();

        // Another image under a tag prod already has is refused, naming both digests.
        ecr.put_image()
            .repository_name(repository_path(prod))
            .image_manifest(manifest("2"))
            .image_tag("b7e1")
            .send()
            .await
            .map_err(aws_error)
            .unwrap();
        let other = check_promoted(&ecr, prod, "b7e1", &digest)
            .await
            .unwrap_err()
            .to_string();
        assert!(other.contains("not ") && other.contains(&digest), "{other}");
    }
}
