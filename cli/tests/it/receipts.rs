//! Receipts through the real binary and the embedded S3-compatible store: upload, list,
//! download with the checksum verified, delete; refusals before any upload; bounded memory.

use expense_kit::clock::Clock;

use crate::helpers::{Server, User};

/// A server on the real time: the embedded S3 store judges presigned URLs by the real clock, as
/// AWS does, so URLs signed on a steered day would be refused as expired.
async fn server_on_real_time(configure: impl FnOnce(&mut expense_server::Settings)) -> Server {
    Server::start_with(|settings| {
        settings.clock = Clock::system();
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

#[tokio::test(flavor = "multi_thread")]
async fn upload_list_download_and_remove() {
    let server = server_on_real_time(|_| {}).await;
    let user = User::signed_in(&server, "receipts").await;
    let dir = user.home.path();
    let file = dir.join("lunch.pdf");
    std::fs::write(&file, pdf(200_000)).unwrap();

    let added = user
        .run(
            &[
                "add",
                "12.50",
                "dining",
                "--receipt",
                file.to_str().unwrap(),
                "--json",
                "id",
            ],
            None,
        )
        .await;
    let expense_id = added.json()["id"].as_str().unwrap().to_owned();
    assert!(
        added.stderr.contains("Attached receipt"),
        "stderr: {:?}",
        added.stderr
    );

    let listed = user
        .run(&["receipt", "ls", &expense_id, "--json"], None)
        .await
        .json();
    let receipts = listed.as_array().unwrap();
    assert_eq!(receipts.len(), 1);
    assert_eq!(
        (
            receipts[0]["status"].as_str(),
            receipts[0]["content_type"].as_str()
        ),
        (Some("uploaded"), Some("application/pdf"))
    );
    let table = ["receipt", "ls", expense_id.as_str()];
    let (coloured, plain) = crate::tables::coloured_and_plain(&user, &table).await;
    crate::tables::same_columns(&table, &coloured, &plain);
    let receipt_id = receipts[0]["id"].as_str().unwrap().to_owned();

    let target = dir.join("copy.pdf");
    user.run(
        &["receipt", "download", &receipt_id, "-o", target.to_str().unwrap()],
        None,
    )
    .await
    .ok();
    assert_eq!(
        std::fs::read(&target).unwrap(),
        std::fs::read(&file).unwrap(),
        "a byte-identical download"
    );

    let photo = dir.join("photo.png");
    std::fs::write(&photo, b"\x89PNG\r\n\x1a\nnot really a picture but typed as one").unwrap();
    let uploaded = user
        .run(
            &[
                "receipt",
                "upload",
                &expense_id,
                photo.to_str().unwrap(),
                "--json",
            ],
            None,
        )
        .await
        .json();
    assert_eq!(uploaded["content_type"], "image/png");
    assert_eq!(
        user.run(&["receipt", "ls", &expense_id, "--json"], None)
            .await
            .json()
            .as_array()
            .unwrap()
            .len(),
        2
    );

    user.run(&["receipt", "rm", &receipt_id], None).await.ok();
    let gone = user.run(&["receipt", "download", &receipt_id], None).await;
    assert_eq!(gone.code, 1);
    assert!(gone.stderr.contains("No receipt with that id"), "{}", gone.stderr);
}

#[tokio::test(flavor = "multi_thread")]
async fn unusable_files_are_refused_before_any_upload() {
    let server = server_on_real_time(|_| {}).await;
    let user = User::signed_in(&server, "refuse").await;
    let expense = user.run(&["add", "1", "misc", "--json", "id"], None).await.json();
    let expense_id = expense["id"].as_str().unwrap().to_owned();
    let dir = user.home.path();

    let program = dir.join("invoice.pdf");
    std::fs::write(&program, b"MZ\x90\0 an executable named like a PDF").unwrap();
    let refused = user
        .run(
            &["receipt", "upload", &expense_id, program.to_str().unwrap()],
            None,
        )
        .await;
    assert_eq!(refused.code, 2, "{}", refused.stderr);
    assert!(
        refused.stderr.contains("accepted: image/jpeg"),
        "{}",
        refused.stderr
    );

    let large = dir.join("large.pdf");
    std::fs::write(&large, pdf(11 * 1024 * 1024)).unwrap();
    let too_large = user
        .run(&["receipt", "upload", &expense_id, large.to_str().unwrap()], None)
        .await;
    assert_eq!(too_large.code, 1);
    assert!(
        too_large.stderr.contains("at most 10485760 bytes"),
        "{}",
        too_large.stderr
    );
    assert_eq!(
        user.run(&["receipt", "ls", &expense_id, "--json"], None)
            .await
            .json()
            .as_array()
            .unwrap()
            .len(),
        0
    );

    let unknown = user
        .run(
            &[
                "receipt",
                "upload",
                &uuid::Uuid::now_v7().to_string(),
                large.to_str().unwrap(),
            ],
            None,
        )
        .await;
    assert_eq!(unknown.code, 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_50_mib_upload_and_download_stay_under_40_mib_of_memory() {
    let server = server_on_real_time(|settings| settings.receipts.receipt_max_bytes = 64 * 1024 * 1024).await;
    let user = User::signed_in(&server, "large").await;
    let expense = user
        .run(&["add", "99", "equipment", "--json", "id"], None)
        .await
        .json();
    let expense_id = expense["id"].as_str().unwrap().to_owned();
    let file = user.home.path().join("scan.pdf");
    std::fs::write(&file, pdf(50 * 1024 * 1024)).unwrap();

    let (uploaded, upload_peak_kib) = user
        .run_measured(
            &["receipt", "upload", &expense_id, file.to_str().unwrap(), "--json"],
            None,
        )
        .await;
    let receipt = uploaded.json();
    assert_eq!(receipt["size"], 50 * 1024 * 1024);
    assert!(upload_peak_kib > 0, "the peak was measured");
    assert!(
        upload_peak_kib < 40 * 1024,
        "uploading 50 MiB peaked at {upload_peak_kib} KiB"
    );

    let target = user.home.path().join("scan-copy.pdf");
    let (downloaded, download_peak_kib) = user
        .run_measured(
            &[
                "receipt",
                "download",
                receipt["id"].as_str().unwrap(),
                "-o",
                target.to_str().unwrap(),
            ],
            None,
        )
        .await;
    downloaded.ok();
    assert!(
        download_peak_kib < 40 * 1024,
        "downloading 50 MiB peaked at {download_peak_kib} KiB"
    );
    assert_eq!(std::fs::metadata(&target).unwrap().len(), 50 * 1024 * 1024);
    eprintln!("peak RSS: upload {upload_peak_kib} KiB, download {download_peak_kib} KiB");
}
