//! Attachments in an S3-compatible store, for real: against `moto_server` (PyPI `moto[server]`,
//! a local server that follows the S3 wire contract) on a loopback port. Skipped, with a notice,
//! where `moto_server` is not installed; `.ci/run` and `scripts/test` install it.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use baton_server::blobs::{BlobStore, S3BlobStore, S3Config};
use reqwest::StatusCode;
use tokio::io::AsyncReadExt;

use crate::attachments::{png, upload_stored};
use crate::helpers::spawn_app_with_blobs;

/// A running `moto_server`, stopped when dropped.
struct Moto {
    endpoint: String,
    _child: tokio::process::Child,
}

/// Starts `moto_server` on a free loopback port, or `None` (with a notice) when it is missing.
async fn start_moto() -> Option<Moto> {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let port = {
        let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        probe.local_addr().unwrap().port()
    };
    let child = tokio::process::Command::new("moto_server")
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .kill_on_drop(true)
        .spawn();
    let Ok(child) = child else {
        eprintln!(
            "NOTICE: skipping the S3 blob store test: moto_server is not installed \
             (python3 -m pip install 'moto[server]')"
        );
        return None;
    };
    let endpoint = format!("http://127.0.0.1:{port}");
    let http = reqwest::Client::new();
    for _ in 0..200 {
        if http.get(&endpoint).send().await.is_ok() {
            return Some(Moto {
                endpoint,
                _child: child,
            });
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("moto_server did not start on port {port}");
}

fn s3_config(moto: &Moto, bucket: &str) -> S3Config {
    S3Config {
        bucket: bucket.to_owned(),
        prefix: "baton/attachments".to_owned(),
        endpoint: Some(moto.endpoint.clone()),
        region: "us-east-1".to_owned(),
        access_key_id: Some("testing".to_owned()),
        secret_access_key: Some("testing".to_owned()),
    }
}

async fn create_bucket(moto: &Moto, bucket: &str) {
    let response = reqwest::Client::new()
        .put(format!("{}/{bucket}", moto.endpoint))
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success(), "{}", response.status());
}

/// A scratch directory for a store's multipart uploads, removed when the test ends (the store
/// creates it and, being the server's, never removes it).
struct Scratch(std::path::PathBuf);

impl Scratch {
    fn new() -> Scratch {
        Scratch(std::env::temp_dir().join(format!("baton-s3-tmp-{}", uuid::Uuid::now_v7())))
    }

    fn path(&self) -> std::path::PathBuf {
        self.0.clone()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[tokio::test]
async fn files_are_kept_served_and_swept_in_an_s3_bucket() {
    let Some(moto) = start_moto().await else {
        return;
    };
    create_bucket(&moto, "baton-files").await;

    // A bucket that does not exist is refused at start with what to check.
    let scratch = [Scratch::new(), Scratch::new()];
    let missing = S3BlobStore::new(&s3_config(&moto, "no-such-bucket"), scratch[0].path()).unwrap();
    let err = missing.check().await.unwrap_err();
    assert!(err.contains("--blob-store"), "{err}");
    assert!(!err.contains("testing"), "the secret never shows: {err}");
    assert!(
        S3Config::parse_url("s3://baton-files/a/b/").unwrap()
            == ("baton-files".into(), "a/b".into())
    );
    assert!(
        S3Config::parse_url("s3://X")
            .unwrap_err()
            .contains("bucket name")
    );
    assert!(
        S3Config::parse_url("/var/files")
            .unwrap_err()
            .contains("s3://")
    );

    let store =
        Arc::new(S3BlobStore::new(&s3_config(&moto, "baton-files"), scratch[1].path()).unwrap());
    store.check().await.unwrap();

    // Through the API: the visitor's upload lands in the bucket and downloads from it. The
    // file spans several multipart parts (5 MiB each).
    let app = spawn_app_with_blobs(store.clone()).await;
    let visitor = app.visitor().await;
    let big: Vec<u8> = png(&vec![7u8; 6 * 1024 * 1024]);
    let stored = upload_stored(&app, &visitor, "s3-1", "scan.png", &big).await;
    let key = format!(
        "{}/baton-files/baton/attachments/{}/{}/{}",
        moto.endpoint,
        &stored.sha256[..2],
        &stored.sha256[2..4],
        stored.sha256
    );
    assert_eq!(
        reqwest::get(&key).await.unwrap().status(),
        StatusCode::OK,
        "the blob is in the bucket under its hash"
    );
    let response = visitor
        .http
        .get(format!("{}/api/v1/attachments/{}", app.base, stored.id))
        .bearer_auth(&visitor.token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.bytes().await.unwrap().as_ref(), big.as_slice());

    // Bytes no attachment refers to: listed as stale once past the cutoff, removed while
    // still older than it, never when an upload renewed them after the cutoff.
    let mut incoming = store.begin(0).await.unwrap();
    incoming.write(b"orphan").await.unwrap();
    let orphan = store.keep(incoming).await.unwrap();
    let now = SystemTime::now();
    assert!(
        store
            .stale(now - Duration::from_secs(3600))
            .await
            .unwrap()
            .is_empty()
    );
    let future = now + Duration::from_secs(5);
    let mut stale = store.stale(future).await.unwrap();
    stale.sort();
    let mut expected = vec![orphan.clone(), stored.sha256.clone()];
    expected.sort();
    assert_eq!(stale, expected);
    assert!(
        !store
            .remove_stale(&orphan, now - Duration::from_secs(3600))
            .await
            .unwrap()
    );
    assert!(store.remove_stale(&orphan, future).await.unwrap());
    assert!(store.open(&orphan).await.is_err());
    let mut read = Vec::new();
    store
        .open(&stored.sha256)
        .await
        .unwrap()
        .read_to_end(&mut read)
        .await
        .unwrap();
    assert_eq!(read, big);
}
