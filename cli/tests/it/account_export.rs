//! `expense account export FILE.zip` through the real binary, a real server and the embedded S3
//! store: every file of the archive checked against what the account holds, receipts
//! byte for byte, no webhook secret anywhere; an existing file kept without `--force`; a failed
//! export leaving nothing behind; a large receipt streamed through in bounded memory.

use std::collections::BTreeSet;
use std::io::Read;
use std::path::Path;
use std::time::{Duration, Instant};

use expense_kit::clock::Clock;
use serde_json::{Value, json};

use crate::helpers::{Server, User};

/// A server on the real time (the embedded S3 store judges presigned URLs by the real clock)
/// that accepts webhooks on loopback.
async fn server(configure: impl FnOnce(&mut expense_server::Settings)) -> Server {
    Server::start_with(|settings| {
        settings.clock = Clock::system();
        settings.notifications.webhook_allow_private_networks = true;
        settings.notifications.webhook_max_attempts = 1;
        configure(settings);
    })
    .await
}

/// A minimal valid-looking PDF of `size` bytes.
fn pdf(size: usize) -> Vec<u8> {
    let mut bytes = b"%PDF-1.7\n".to_vec();
    bytes.extend((0..size - bytes.len()).map(|i| (i % 251) as u8));
    bytes
}

/// Every file of a zip archive, by name, read with the zip crate.
fn unzip(path: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    (0..archive.len())
        .map(|index| {
            let mut file = archive.by_index(index).unwrap();
            let mut bytes = Vec::new();
            file.read_to_end(&mut bytes).unwrap();
            (file.name().unwrap().into_owned(), bytes)
        })
        .collect()
}

fn json_of(files: &std::collections::BTreeMap<String, Vec<u8>>, name: &str) -> Value {
    let bytes = files
        .get(name)
        .unwrap_or_else(|| panic!("{name} is in the archive"));
    serde_json::from_slice(bytes).unwrap_or_else(|e| panic!("{name} is JSON ({e})"))
}

fn ids(list: &Value) -> BTreeSet<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|item| item["id"].as_str().unwrap().to_owned())
        .collect()
}

/// Files in `dir` whose name starts with a dot and ends with `.part`: leftovers of an export.
fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".part"))
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn export_holds_everything_the_account_owns() {
    let server = server(|_| {}).await;
    let user = User::signed_in(&server, "export").await;
    let dir = user.home.path();

    // 205 imported expenses: more than one page (200) of the expense list.
    let mut csv = String::from("Date,Amount,Currency,Category,Description,Payee,Tags\n");
    for day in 0..205 {
        csv.push_str(&format!(
            "2026-0{}-{:02},{}.25,EUR,books,book {day},Shop,\n",
            1 + day / 28,
            1 + day % 28,
            day + 1
        ));
    }
    let bank = dir.join("bank.csv");
    std::fs::write(&bank, csv).unwrap();
    user.run(&["import", bank.to_str().unwrap()], None).await.ok();

    user.run(&["budget", "set", "groceries", "100"], None).await.ok();
    let receipt_pdf = pdf(300_000);
    let lunch = dir.join("lunch.pdf");
    std::fs::write(&lunch, &receipt_pdf).unwrap();
    let added = user
        .run(
            &[
                "add",
                "90",
                "groceries",
                "--receipt",
                lunch.to_str().unwrap(),
                "--json",
                "id",
            ],
            None,
        )
        .await
        .json();
    let expense_id = added["id"].as_str().unwrap().to_owned();
    let photo_bytes = b"\x89PNG\r\n\x1a\nnot really a picture but typed as one".to_vec();
    let photo = dir.join("photo.png");
    std::fs::write(&photo, &photo_bytes).unwrap();
    user.run(&["receipt", "upload", &expense_id, photo.to_str().unwrap()], None)
        .await
        .ok();
    user.run(
        &["rates", "set", "USD", "EUR", "0.9245", "--date", "2026-03-02"],
        None,
    )
    .await
    .ok();
    user.run(&["recurring", "add", "950", "rent", "--every", "month"], None)
        .await
        .ok();
    user.run(
        &["rules", "add", "--merchant", "lidl", "--category", "groceries"],
        None,
    )
    .await
    .ok();
    user.run(&["notifications", "settings", "--thresholds", "50,90"], None)
        .await
        .ok();
    let webhook = user
        .run(&["webhooks", "add", "http://127.0.0.1:9/hook", "--json"], None)
        .await
        .json();
    let secret = webhook["secret"].as_str().unwrap().to_owned();
    // The 90 spent of a 100 budget alerts (asynchronously): wait for the notification.
    let deadline = Instant::now() + Duration::from_secs(15);
    let notifications = loop {
        let listed = user.run(&["notifications", "ls", "--json"], None).await.json();
        if !listed.as_array().unwrap().is_empty() || Instant::now() > deadline {
            break listed;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert!(
        !notifications.as_array().unwrap().is_empty(),
        "a budget alert arrived"
    );

    let target = dir.join("export.zip");
    let exported = user
        .run(&["account", "export", target.to_str().unwrap()], None)
        .await;
    let table = exported.ok();
    assert!(
        exported
            .stderr
            .contains("Exported 207 expenses and 2 receipt files to"),
        "{}",
        exported.stderr
    );
    assert!(
        table.contains("expenses.json\texpenses\t207"),
        "piped: TSV\n{table}"
    );
    assert!(
        !exported.stderr.contains("eta") && !exported.stderr.contains("exporting"),
        "no progress bar when stderr is not a terminal: {}",
        exported.stderr
    );
    assert_eq!(leftovers(dir), Vec::<String>::new());
    let files = unzip(&target);

    let receipts = json_of(&files, "receipts.json");
    let receipt_files: Vec<String> = receipts
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["file"].as_str().unwrap().to_owned())
        .collect();
    let mut expected_names: BTreeSet<String> = [
        "manifest.json",
        "profile.json",
        "expenses.json",
        "budgets.json",
        "recurring.json",
        "categories.json",
        "rules.json",
        "rates.json",
        "notifications.json",
        "notification-settings.json",
        "webhooks.json",
        "receipts.json",
    ]
    .into_iter()
    .map(str::to_owned)
    .collect();
    expected_names.extend(receipt_files.iter().cloned());
    assert_eq!(files.keys().cloned().collect::<BTreeSet<_>>(), expected_names);

    // The profile, and every expense (the imported ones, the one added, the recurring one).
    let me = user.run(&["whoami", "--json"], None).await.json();
    let profile = json_of(&files, "profile.json");
    assert_eq!((&profile["id"], &profile["email"]), (&me["id"], &me["email"]));
    let expenses = json_of(&files, "expenses.json");
    let listed = user.run(&["ls", "--all", "--json"], None).await.json();
    assert_eq!(expenses.as_array().unwrap().len(), 207);
    assert_eq!(ids(&expenses), ids(&listed));
    let lunch_expense = expenses
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == expense_id.as_str())
        .unwrap();
    assert_eq!(
        (&lunch_expense["amount"], &lunch_expense["category"]),
        (&json!("90.00"), &json!("groceries"))
    );
    assert_eq!(
        expenses
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["recurring_id"].is_string())
            .count(),
        1,
        "the schedule's first expense"
    );

    let budgets = json_of(&files, "budgets.json");
    assert_eq!(budgets.as_array().unwrap().len(), 1);
    assert_eq!(
        (
            &budgets[0]["category"],
            &budgets[0]["amount"],
            &budgets[0]["currency"]
        ),
        (&json!("groceries"), &json!("100.00"), &json!("EUR"))
    );
    let recurring = json_of(&files, "recurring.json");
    assert_eq!(recurring.as_array().unwrap().len(), 1);
    assert_eq!(
        (&recurring[0]["category"], &recurring[0]["every"]),
        (&json!("rent"), &json!("month"))
    );
    let rules = json_of(&files, "rules.json");
    assert_eq!(rules.as_array().unwrap().len(), 1);
    assert_eq!(
        (
            &rules[0]["position"],
            &rules[0]["merchant"],
            &rules[0]["category"]
        ),
        (&json!(1), &json!("lidl"), &json!("groceries"))
    );
    let categories = json_of(&files, "categories.json");
    assert_eq!(
        categories,
        user.run(&["categories", "--json"], None).await.json(),
        "{categories}"
    );
    let rates = json_of(&files, "rates.json");
    assert_eq!(
        rates,
        json!([{ "from": "USD", "to": "EUR", "on": "2026-03-02", "rate": "0.9245" }])
    );
    assert_eq!(ids(&json_of(&files, "notifications.json")), ids(&notifications));
    let settings = json_of(&files, "notification-settings.json");
    assert_eq!(settings["thresholds"], json!([50, 90]));
    let webhooks = json_of(&files, "webhooks.json");
    assert_eq!(
        webhooks,
        json!([{ "id": webhook["id"], "url": "http://127.0.0.1:9/hook", "created_at": webhook["created_at"] }])
    );
    for (name, bytes) in &files {
        assert!(
            !String::from_utf8_lossy(bytes).contains(&secret),
            "the webhook's secret is in {name}"
        );
    }

    // Receipts: their metadata, and their files byte for byte.
    assert_eq!(receipts.as_array().unwrap().len(), 2);
    for receipt in receipts.as_array().unwrap() {
        assert_eq!(receipt["expense_id"], expense_id.as_str());
        assert_eq!(receipt["status"], "uploaded");
        let file = receipt["file"].as_str().unwrap();
        assert_eq!(
            file,
            format!(
                "receipts/{expense_id}/{}.{}",
                receipt["id"].as_str().unwrap(),
                if receipt["content_type"] == "application/pdf" {
                    "pdf"
                } else {
                    "png"
                }
            )
        );
        let expected = if receipt["content_type"] == "application/pdf" {
            &receipt_pdf
        } else {
            &photo_bytes
        };
        assert_eq!(&files[file], expected, "{file} is the uploaded file");
    }

    // The manifest: what is inside, with counts, the time, the account.
    let manifest = json_of(&files, "manifest.json");
    assert_eq!(manifest["format"], "expense-account-export");
    assert_eq!(manifest["version"], 1);
    assert_eq!(
        manifest["account"],
        json!({ "id": me["id"], "email": me["email"] })
    );
    assert_eq!(manifest["server"], user.api_url.as_str());
    let exported_at = time::OffsetDateTime::parse(
        manifest["exported_at"].as_str().unwrap(),
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap();
    // Against the clock the CLI reads: a process with the CLI's environment, not this test's
    // (which the suite runs again under a steered clock).
    let cli_now = std::process::Command::new("date")
        .arg("+%s")
        .env_clear()
        .envs(user.environment())
        .output()
        .expect("date runs");
    let cli_now: i64 = String::from_utf8_lossy(&cli_now.stdout).trim().parse().unwrap();
    let cli_now = time::OffsetDateTime::from_unix_timestamp(cli_now).unwrap();
    assert!(
        (cli_now - exported_at).abs() < time::Duration::minutes(5),
        "exported at {exported_at}, now {cli_now}"
    );
    let listed_files = manifest["files"].as_array().unwrap();
    for entry in listed_files {
        let name = entry["file"].as_str().unwrap();
        let count = entry["count"].as_u64().unwrap();
        match name {
            "receipts/" => {
                assert_eq!(count, 2);
                assert_eq!(
                    entry["bytes"].as_u64().unwrap(),
                    (receipt_pdf.len() + photo_bytes.len()) as u64
                );
            }
            "profile.json" | "notification-settings.json" => assert_eq!(count, 1, "{name}"),
            _ => assert_eq!(
                json_of(&files, name).as_array().unwrap().len() as u64,
                count,
                "{name}"
            ),
        }
    }
    let mut expected_listed: BTreeSet<String> = files
        .keys()
        .filter(|name| name.ends_with(".json") && *name != "manifest.json")
        .cloned()
        .collect();
    expected_listed.insert("receipts/".to_owned());
    assert_eq!(
        listed_files
            .iter()
            .map(|entry| entry["file"].as_str().unwrap().to_owned())
            .collect::<BTreeSet<_>>(),
        expected_listed
    );
    assert!(
        manifest["not_included"]
            .as_array()
            .unwrap()
            .iter()
            .any(|note| note.as_str().unwrap().contains("the password and every token")),
        "{manifest}"
    );

    // Another reader agrees: every file's CRC checks out, and the names are the same.
    let checked = std::process::Command::new(crate::helpers::test_python())
        .args([
            "-c",
            "import sys, zipfile\n\
             archive = zipfile.ZipFile(sys.argv[1])\n\
             bad = archive.testzip()\n\
             print('\\n'.join(sorted(archive.namelist())))\n\
             sys.exit(f'corrupt: {bad}' if bad else 0)",
            target.to_str().unwrap(),
        ])
        .output()
        .expect("python runs");
    assert!(
        checked.status.success(),
        "python's zipfile: {}",
        String::from_utf8_lossy(&checked.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&checked.stdout)
            .lines()
            .map(str::to_owned)
            .collect::<BTreeSet<_>>(),
        expected_names
    );

    // JSON on request, through the output layer.
    let again = dir.join("again.zip");
    let as_json = user
        .run(
            &[
                "account",
                "export",
                again.to_str().unwrap(),
                "--json",
                "file,count",
            ],
            None,
        )
        .await
        .json();
    assert_eq!(as_json[1], json!({ "file": "expenses.json", "count": 207 }));
}

#[tokio::test(flavor = "multi_thread")]
async fn an_existing_file_is_kept_without_force_and_a_failed_export_leaves_nothing() {
    let server = server(|_| {}).await;
    let user = User::signed_in(&server, "keep").await;
    let dir = user.home.path();
    user.run(&["add", "5", "coffee"], None).await.ok();

    let target = dir.join("mine.zip");
    std::fs::write(&target, b"precious").unwrap();
    let refused = user
        .run(&["account", "export", target.to_str().unwrap()], None)
        .await;
    assert_eq!(refused.code, 2, "{}", refused.stderr);
    assert!(refused.stderr.contains("already exists"), "{}", refused.stderr);
    assert!(refused.stderr.contains("--force"), "{}", refused.stderr);
    assert_eq!(std::fs::read(&target).unwrap(), b"precious");

    user.run(&["account", "export", target.to_str().unwrap(), "--force"], None)
        .await
        .ok();
    let files = unzip(&target);
    assert_eq!(json_of(&files, "expenses.json").as_array().unwrap().len(), 1);

    let directory = user
        .run(&["account", "export", dir.to_str().unwrap(), "--force"], None)
        .await;
    assert_eq!(directory.code, 2, "{}", directory.stderr);

    // Refused credentials, after the temporary file was made: no file, no leftover.
    let mut stranger = User::new(&server);
    stranger.extra_env = vec![("EXPENSE_TOKEN".into(), "exp_pat_made-up".into())];
    let failed_target = stranger.home.path().join("failed.zip");
    let failed = stranger
        .run(&["account", "export", failed_target.to_str().unwrap()], None)
        .await;
    assert_eq!(failed.code, 4, "{}", failed.stderr);
    assert!(!failed_target.exists());
    assert_eq!(leftovers(stranger.home.path()), Vec::<String>::new());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_40_mib_receipt_is_streamed_into_the_archive_in_bounded_memory() {
    let server = server(|settings| settings.receipts.receipt_max_bytes = 64 * 1024 * 1024).await;
    let user = User::signed_in(&server, "large-export").await;
    let expense = user
        .run(&["add", "99", "equipment", "--json", "id"], None)
        .await
        .json();
    let expense_id = expense["id"].as_str().unwrap().to_owned();
    let file = user.home.path().join("scan.pdf");
    let bytes = pdf(40 * 1024 * 1024);
    std::fs::write(&file, &bytes).unwrap();
    user.run(&["receipt", "upload", &expense_id, file.to_str().unwrap()], None)
        .await
        .ok();

    let target = user.home.path().join("large.zip");
    let (exported, peak_kib) = user
        .run_measured(&["account", "export", target.to_str().unwrap()], None)
        .await;
    exported.ok();
    assert!(peak_kib > 0, "the peak was measured");
    assert!(
        peak_kib < 32 * 1024,
        "exporting a 40 MiB receipt peaked at {peak_kib} KiB"
    );
    let files = unzip(&target);
    let copy = files
        .iter()
        .find(|(name, _)| name.ends_with(".pdf"))
        .map(|(_, bytes)| bytes)
        .unwrap();
    assert!(copy == &bytes, "the receipt is byte for byte the uploaded one");
    eprintln!("peak RSS of the export: {peak_kib} KiB");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_progress_bar_shows_on_a_terminal() {
    let server = server(|_| {}).await;
    let user = User::signed_in(&server, "progress").await;
    user.run(&["add", "5", "coffee"], None).await.ok();
    let target = user.home.path().join("seen.zip");
    // util-linux `script` runs the command on a pseudo-terminal and copies what it drew.
    let command = format!(
        "{} account export {}",
        env!("CARGO_BIN_EXE_expense"),
        target.display()
    );
    let drawn = tokio::process::Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .env_clear()
        .envs(user.environment())
        // indicatif draws nothing without TERM (or with TERM=dumb).
        .env("TERM", "xterm")
        .stdin(std::process::Stdio::null())
        .output()
        .await
        .expect("script (util-linux) runs");
    let text = String::from_utf8_lossy(&drawn.stdout);
    assert!(drawn.status.success(), "{text}");
    assert!(text.contains("exporting"), "a spinner on the terminal: {text:?}");
    assert!(target.exists());
}
