//! Signing up, in and out; where tokens live; exit codes.

use serde_json::Value;

use crate::helpers::{PASSWORD, Server, User, mode};

#[tokio::test(flavor = "multi_thread")]
async fn sign_up_then_whoami_and_status() {
    let server = Server::start().await;
    let user = User::new(&server);
    let email = user.register("ada").await;

    let me = user.run(&["whoami", "--json"], None).await.json();
    assert_eq!(me["email"], email.as_str());
    assert_eq!(me["role"], "user");

    let status = user.run(&["auth", "status", "--json"], None).await.json();
    assert_eq!(status["email"], email.as_str());
    assert_eq!(status["server"], server.url.as_str());
    assert_eq!(status["server_source"], "EXPENSE_API_URL");
    assert_eq!(status["token_valid"], true);
    let source = status["token_source"].as_str().unwrap();
    assert!(
        source.starts_with("file ") && source.ends_with("credentials.json"),
        "{source}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn without_a_keyring_the_session_goes_to_a_private_file_and_says_so() {
    let server = Server::start().await;
    let user = User::new(&server);
    let email = format!("file-{}@example.com", uuid::Uuid::now_v7().simple());
    user.run(
        &["register", "--email", &email, "--password-stdin"],
        Some(PASSWORD),
    )
    .await
    .ok();
    let run = user
        .run(&["login", "--email", &email, "--password-stdin"], Some(PASSWORD))
        .await;
    run.ok();
    let warnings: Vec<&str> = run.stderr.lines().filter(|l| l.starts_with('!')).collect();
    assert_eq!(
        warnings.len(),
        1,
        "one line says where the session went: {}",
        run.stderr
    );
    assert!(warnings[0].contains("credentials.json"));
    assert_eq!(mode(&user.credentials_file()), 0o600);
    assert_eq!(mode(&user.config_dir()), 0o700);
    let stored: Value =
        serde_json::from_str(&std::fs::read_to_string(user.credentials_file()).unwrap()).unwrap();
    assert_eq!(stored[server.url.as_str()]["email"], email.as_str());

    // --insecure-storage chooses the file without trying the keyring: no warning.
    let run = user
        .run(
            &[
                "login",
                "--email",
                &email,
                "--password-stdin",
                "--insecure-storage",
            ],
            Some(PASSWORD),
        )
        .await;
    run.ok();
    assert!(!run.stderr.contains('!'), "{}", run.stderr);
}

#[tokio::test(flavor = "multi_thread")]
async fn not_signed_in_is_exit_code_4() {
    let server = Server::start().await;
    let user = User::new(&server);
    let run = user.run(&["whoami"], None).await;
    assert_eq!(run.code, 4, "{}", run.stderr);
    assert!(run.stderr.contains("not signed in"), "{}", run.stderr);
    assert!(
        run.stderr.contains("expense login"),
        "a hint says what to do: {}",
        run.stderr
    );
    assert_eq!(user.run(&["auth", "status"], None).await.code, 4);

    user.register("gone").await;
    user.run(&["logout"], None).await.ok();
    assert_eq!(user.run(&["whoami"], None).await.code, 4, "signed out");
    assert_eq!(user.run(&["logout"], None).await.code, 4);
}

#[tokio::test(flavor = "multi_thread")]
async fn logout_ends_the_session_on_the_server() {
    let server = Server::start().await;
    let user = User::new(&server);
    user.register("out").await;
    let stored: Value =
        serde_json::from_str(&std::fs::read_to_string(user.credentials_file()).unwrap()).unwrap();
    let refresh_token = stored[server.url.as_str()]["refresh_token"]
        .as_str()
        .unwrap()
        .to_owned();
    user.run(&["logout"], None).await.ok();
    let refreshed = reqwest::Client::new()
        .post(format!("{}/v1/auth/refresh", server.url))
        .json(&serde_json::json!({ "refresh_token": refresh_token }))
        .send()
        .await
        .unwrap();
    assert_eq!(refreshed.status(), 401, "the refresh token no longer works");
}

#[tokio::test(flavor = "multi_thread")]
async fn usage_errors_are_exit_code_2() {
    let server = Server::start().await;
    let user = User::new(&server);
    assert_eq!(user.run(&["whoami", "--no-such-flag"], None).await.code, 2);
    assert_eq!(user.run(&["no-such-command"], None).await.code, 2);
    let run = user.run(&["login"], None).await;
    assert_eq!(run.code, 2, "no terminal and no --email: {}", run.stderr);
    let run = user.run(&["login", "--email", "a@example.com"], None).await;
    assert_eq!(run.code, 2, "no terminal and no --password-stdin");
    assert!(run.stderr.contains("--password-stdin"));
}

#[tokio::test(flavor = "multi_thread")]
async fn plain_http_to_a_remote_host_is_refused() {
    let server = Server::start().await;
    let user = User::new(&server);
    let run = user
        .run(&["--api-url", "http://expense.example.com", "whoami"], None)
        .await;
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("refusing plain http://"), "{}", run.stderr);
    assert!(run.stderr.contains("--insecure"));
    // With --insecure the URL is accepted; nothing listens there, so it is a network error.
    let run = user
        .run(&["--api-url", "http://127.0.0.2:9", "--insecure", "whoami"], None)
        .await;
    assert_ne!(run.code, 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn wrong_password_is_an_auth_error_with_a_hint() {
    let server = Server::start().await;
    let user = User::new(&server);
    let email = user.register("pw").await;
    let run = user
        .run(
            &["login", "--email", &email, "--password-stdin"],
            Some("not the right password"),
        )
        .await;
    assert_eq!(run.code, 4);
    assert!(
        run.stderr.contains("e-mail address or password is wrong"),
        "{}",
        run.stderr
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn access_tokens_are_refreshed_transparently() {
    let server = Server::start().await;
    let user = User::new(&server);
    user.register("refresh").await;
    let key = server.url.clone();
    let read = || -> Value {
        serde_json::from_str(&std::fs::read_to_string(user.credentials_file()).unwrap()).unwrap()
    };
    let before = read();

    // The server refuses the stored access token (as it would once expired): the CLI refreshes
    // once and retries, and stores the rotated session.
    let mut broken = before.clone();
    broken[key.as_str()]["access_token"] = Value::from("not.a.token");
    std::fs::write(user.credentials_file(), serde_json::to_vec(&broken).unwrap()).unwrap();
    user.run(&["whoami"], None).await.ok();
    let after = read();
    assert_ne!(
        after[key.as_str()]["refresh_token"],
        before[key.as_str()]["refresh_token"],
        "rotated"
    );

    // An access token about to expire is refreshed before use.
    let mut expiring = after.clone();
    expiring[key.as_str()]["access_expires_at"] = Value::from(0);
    std::fs::write(user.credentials_file(), serde_json::to_vec(&expiring).unwrap()).unwrap();
    user.run(&["whoami"], None).await.ok();
    assert_ne!(
        read()[key.as_str()]["access_token"],
        after[key.as_str()]["access_token"]
    );

    // Concurrent commands sharing one session do not trip reuse detection.
    let mut expiring = read();
    expiring[key.as_str()]["access_expires_at"] = Value::from(0);
    std::fs::write(user.credentials_file(), serde_json::to_vec(&expiring).unwrap()).unwrap();
    let (a, b, c) = tokio::join!(
        user.run(&["whoami"], None),
        user.run(&["whoami"], None),
        user.run(&["whoami"], None)
    );
    for run in [a, b, c] {
        run.ok();
    }
    user.run(&["whoami"], None).await.ok();
}

#[tokio::test(flavor = "multi_thread")]
async fn expense_token_overrides_the_stored_session() {
    let server = Server::start().await;
    let user = User::new(&server);
    let email = user.register("pat").await;
    let created = user.run(&["token", "create", "ci", "--json"], None).await.json();
    let secret = created["secret"].as_str().unwrap().to_owned();
    user.run(&["logout"], None).await.ok();

    let mut script = User::new(&server);
    script.extra_env.push(("EXPENSE_TOKEN".into(), secret.clone()));
    let me = script
        .run(&["whoami", "--json", "email", "--jq", ".email"], None)
        .await;
    assert_eq!(me.ok().trim(), email);
    let status = script.run(&["auth", "status", "--json"], None).await.json();
    assert_eq!(status["token_source"], "EXPENSE_TOKEN environment variable");
    assert_eq!(script.run(&["auth", "token"], None).await.ok().trim(), secret);

    script.extra_env = vec![("EXPENSE_TOKEN".into(), "exp_pat_revoked-or-made-up".into())];
    let refused = script.run(&["whoami"], None).await;
    assert_eq!(refused.code, 4);
    assert!(refused.stderr.contains("EXPENSE_TOKEN"), "{}", refused.stderr);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_password_change_signs_out_every_other_device_and_keeps_this_one() {
    let server = Server::start().await;
    let user = User::new(&server);
    let email = user.register("changer").await;
    let other_device = User::new(&server);
    other_device
        .run(&["login", "--email", &email, "--password-stdin"], Some(PASSWORD))
        .await
        .ok();
    let new_password = "another long passphrase";

    let wrong = user
        .run(
            &["account", "password", "--password-stdin"],
            Some(&format!("not the password\n{new_password}\n")),
        )
        .await;
    assert_ne!(wrong.code, 0);
    assert!(wrong.stderr.contains("current_password"), "{}", wrong.stderr);
    let one_line = user
        .run(&["account", "password", "--password-stdin"], Some(PASSWORD))
        .await;
    assert_eq!(one_line.code, 2, "a usage error: {}", one_line.stderr);
    assert!(one_line.stderr.contains("two lines"), "{}", one_line.stderr);

    let changed = user
        .run(
            &["account", "password", "--password-stdin"],
            Some(&format!("{PASSWORD}\n{new_password}\n")),
        )
        .await;
    changed.ok();
    assert!(changed.stderr.contains("Password changed"), "{}", changed.stderr);

    // This device's session was renewed; the other one is signed out.
    let me = user.run(&["whoami", "--json"], None).await.json();
    assert_eq!(me["email"], email.as_str());
    let signed_out = other_device.run(&["whoami"], None).await;
    assert_eq!(signed_out.code, 4, "{}", signed_out.stderr);
    let old = other_device
        .run(&["login", "--email", &email, "--password-stdin"], Some(PASSWORD))
        .await;
    assert_ne!(old.code, 0, "the old password no longer signs in");
    other_device
        .run(
            &["login", "--email", &email, "--password-stdin"],
            Some(new_password),
        )
        .await
        .ok();

    // EXPENSE_TOKEN is not a session the CLI could renew.
    let token = user.run(&["token", "create", "ci", "--json"], None).await.json()["secret"]
        .as_str()
        .unwrap()
        .to_owned();
    let with_token = other_device
        .run_with(
            &["account", "password", "--password-stdin"],
            &[("EXPENSE_TOKEN", token.as_str())],
        )
        .await;
    assert_eq!(with_token.code, 2, "{}", with_token.stderr);
    assert!(
        with_token.stderr.contains("EXPENSE_TOKEN"),
        "{}",
        with_token.stderr
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn account_delete_erases_the_account_and_forgets_the_session() {
    let server = Server::start().await;
    let user = User::new(&server);
    let email = user.register("leaving").await;
    user.run(&["add", "12.50", "food", "--currency", "EUR"], None)
        .await
        .ok();

    // Off a terminal the typed confirmation cannot be asked: --yes is required.
    let unconfirmed = user
        .run(&["account", "delete", "--password-stdin"], Some(PASSWORD))
        .await;
    assert_eq!(unconfirmed.code, 2, "{}", unconfirmed.stderr);
    assert!(unconfirmed.stderr.contains("--yes"), "{}", unconfirmed.stderr);
    let wrong = user
        .run(
            &["account", "delete", "--yes", "--password-stdin"],
            Some("not the password at all"),
        )
        .await;
    assert_eq!(wrong.code, 1, "{}", wrong.stderr);
    assert!(wrong.stderr.contains("password"), "{}", wrong.stderr);
    let me = user.run(&["whoami", "--json"], None).await.json();
    assert_eq!(me["email"], email.as_str(), "nothing was deleted");

    let deleted = user
        .run(
            &["account", "delete", "--yes", "--password-stdin"],
            Some(PASSWORD),
        )
        .await;
    deleted.ok();
    assert!(deleted.stderr.contains("Deleted"), "{}", deleted.stderr);
    let stored: Value =
        serde_json::from_str(&std::fs::read_to_string(user.credentials_file()).unwrap()).unwrap();
    assert!(
        stored.get(server.url.as_str()).is_none(),
        "the session is forgotten: {stored}"
    );
    let signed_out = user.run(&["whoami"], None).await;
    assert_eq!(signed_out.code, 4, "{}", signed_out.stderr);

    // The address registers again, as a new account without the old one's expenses.
    let again = user
        .run(
            &["register", "--email", &email, "--password-stdin"],
            Some(PASSWORD),
        )
        .await;
    again.ok();
    let expenses = user.run(&["ls", "--json"], None).await.json();
    assert_eq!(expenses, serde_json::json!([]));
}
