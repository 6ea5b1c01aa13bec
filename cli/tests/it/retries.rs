//! Retries: while the server is away (restarting, being deployed), commands that are safe to
//! repeat wait and try again; a create repeats with its idempotency key and is stored once.

use std::time::{Duration, Instant};

use crate::helpers::{Server, User};

/// A port nothing listens on yet.
fn free_port() -> u16 {
    expense_testkit::free_port().expect("a free loopback port")
}

#[tokio::test(flavor = "multi_thread")]
async fn a_create_and_a_read_survive_a_server_that_comes_back() {
    // A signed-in user of a first server; the second server, on another port, shares its data.
    let data = tempfile::tempdir().unwrap();
    let data_dir = data.path().display().to_string();
    let first = Server::start_with(|s| s.server.data_dir = data_dir.clone()).await;
    let mut user = User::signed_in(&first, "retry").await;
    let token = user.run(&["auth", "token"], None).await.ok().trim().to_owned();
    drop(first);

    // The CLI talks to a port whose server starts only 800 ms later.
    let port = free_port();
    user.api_url = format!("http://127.0.0.1:{port}");
    user.extra_env.push(("EXPENSE_TOKEN".to_owned(), token));
    let later = {
        let data_dir = data_dir.clone();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(800)).await;
            Server::start_with(move |s| {
                s.server.data_dir = data_dir;
                s.server.bind_addr = format!("127.0.0.1:{port}").parse().unwrap();
            })
            .await
        })
    };
    let started = Instant::now();
    let added = user.run(&["add", "4.20", "coffee", "--json", "id"], None).await;
    let id = added.json()["id"].as_str().unwrap().to_owned();
    assert!(
        started.elapsed() >= Duration::from_millis(700),
        "it waited for the server"
    );
    let _server = later.await.unwrap();

    let listed = user.run(&["ls", "--json", "id"], None).await.json();
    let ids: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [id.as_str()], "stored once");
}

#[tokio::test(flavor = "multi_thread")]
async fn sign_in_is_not_repeated_and_fails_fast() {
    let server = Server::start().await;
    let mut user = User::new(&server);
    user.api_url = format!("http://127.0.0.1:{}", free_port());
    let started = Instant::now();
    let run = user
        .run(
            &["login", "--email", "a@example.com", "--password-stdin"],
            Some("correct horse battery staple"),
        )
        .await;
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("could not connect"), "{}", run.stderr);
    assert!(
        started.elapsed() < Duration::from_millis(700),
        "no retries: {:?}",
        started.elapsed()
    );
}

/// A TCP proxy to `target` that, for the first connection, forwards the request but drops the
/// connection instead of relaying the answer (the server did the work; the client never heard).
async fn lossy_proxy(target: std::net::SocketAddr) -> String {
    use std::sync::atomic::{AtomicBool, Ordering};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let first = std::sync::Arc::new(AtomicBool::new(true));
    tokio::spawn(async move {
        loop {
            let (mut client, _) = listener.accept().await.unwrap();
            let mut server = tokio::net::TcpStream::connect(target).await.unwrap();
            if first.swap(false, Ordering::SeqCst) {
                tokio::spawn(async move {
                    let mut buffer = vec![0u8; 64 * 1024];
                    let read = client.read(&mut buffer).await.unwrap_or(0);
                    server.write_all(&buffer[..read]).await.unwrap();
                    // Wait for the server's answer, then hang up without passing it on.
                    let _ = server.read(&mut buffer).await;
                    drop(client);
                });
            } else {
                tokio::spawn(async move {
                    let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                });
            }
        }
    });
    url
}

#[tokio::test(flavor = "multi_thread")]
async fn a_create_whose_answer_was_lost_is_repeated_and_stored_once() {
    let server = Server::start().await;
    let mut user = User::signed_in(&server, "lost").await;
    let token = user.run(&["auth", "token"], None).await.ok().trim().to_owned();
    let address = server.url.trim_start_matches("http://").parse().unwrap();
    user.api_url = lossy_proxy(address).await;
    user.extra_env.push(("EXPENSE_TOKEN".to_owned(), token));

    let added = user.run(&["add", "12.00", "lunch", "--json", "id"], None).await;
    let id = added.json()["id"].as_str().unwrap().to_owned();
    let listed = user.run(&["ls", "--json", "id"], None).await.json();
    let ids: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [id.as_str()],
        "the repeat returned the first answer; one expense"
    );
}
