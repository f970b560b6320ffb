//! Where attachments' bytes live: a content-addressed store keyed by SHA-256.
//!
//! A file is first streamed into a temporary file (hashed and sized on the way), then kept
//! under its hash, so a name the sender chose never reaches the storage and a crash never
//! leaves a half-written blob under a real name. [`BlobStore`] has two backends:
//! [`LocalBlobStore`] keeps blobs on local disk under the data folder, [`S3BlobStore`] in an
//! S3-compatible bucket (several nodes sharing one PostgreSQL database). This module knows
//! nothing of conversations or access rules: callers check those first.
//!
//! **Unused blobs.** A blob no attachment refers to (an upload refused after its bytes were
//! kept, a crash between keeping the bytes and the commit) is removed by the periodic sweep
//! (`crate::blob_sweep`) once it is older than a grace period. Keeping a blob always renews its
//! modification time, even when the same bytes were stored before, and the sweep removes a blob
//! only while it is still older than the grace period, so a blob an upload just kept (and is
//! about to refer to) is never swept.

use std::io;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::Arc;
use std::time::SystemTime;

use futures::StreamExt;
use futures::future::BoxFuture;
use object_store::aws::AmazonS3Builder;
use object_store::path::Path as ObjectPath;
use object_store::{ObjectStore, ObjectStoreExt, WriteMultipart};
use sha2::{Digest, Sha256};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};

/// A file being received: written to a temporary place, hashed as it arrives. Dropping it
/// without [`BlobStore::keep`] removes it.
pub struct Incoming {
    path: PathBuf,
    file: Option<tokio::fs::File>,
    hasher: Sha256,
    size: u64,
    head: Vec<u8>,
    head_limit: usize,
}

impl Incoming {
    /// Appends a chunk.
    pub async fn write(&mut self, chunk: &[u8]) -> io::Result<()> {
        if self.head.len() < self.head_limit {
            let take = (self.head_limit - self.head.len()).min(chunk.len());
            self.head.extend_from_slice(&chunk[..take]);
        }
        self.hasher.update(chunk);
        self.size += chunk.len() as u64;
        match self.file.as_mut() {
            Some(file) => file.write_all(chunk).await,
            None => Err(io::Error::other("the incoming file was already closed")),
        }
    }

    /// Bytes received so far.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// The first bytes (up to the limit given at creation), to tell the file's type.
    pub fn head(&self) -> &[u8] {
        &self.head
    }

    /// Flushes the file to disk and returns the lower-case hex SHA-256 of its content.
    async fn finish(&mut self) -> io::Result<String> {
        if let Some(mut file) = self.file.take() {
            file.flush().await?;
            file.sync_all().await?;
        }
        Ok(hex(&self.hasher.clone().finalize()))
    }
}

impl Drop for Incoming {
    fn drop(&mut self) {
        // Kept files were renamed away: this removes only what was abandoned.
        let _ = std::fs::remove_file(&self.path);
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A blob ready to read.
pub type BlobReader = Pin<Box<dyn AsyncRead + Send>>;

/// A content-addressed store of attachments' bytes (boxed futures, so it can be held as
/// `Arc<dyn BlobStore>`).
pub trait BlobStore: Send + Sync {
    /// A new temporary file to stream a blob into; `head_limit` of its first bytes are kept in
    /// memory for sniffing.
    fn begin(&self, head_limit: usize) -> BoxFuture<'_, io::Result<Incoming>>;
    /// Stores the received file under its SHA-256 (returned), and renews the blob's
    /// modification time when the same bytes were stored before (see the module's note).
    fn keep(&self, incoming: Incoming) -> BoxFuture<'_, io::Result<String>>;
    /// Opens a stored blob; `NotFound` when it is missing.
    fn open<'a>(&'a self, sha256: &'a str) -> BoxFuture<'a, io::Result<BlobReader>>;
    /// The blobs last modified before `cutoff`: candidates for the sweep of unused blobs.
    fn stale(&self, cutoff: SystemTime) -> BoxFuture<'_, io::Result<Vec<String>>>;
    /// Removes a blob if it is still unmodified since before `cutoff` (an upload that kept the
    /// same bytes since then renewed it); `true` when it was removed.
    fn remove_stale<'a>(
        &'a self,
        sha256: &'a str,
        cutoff: SystemTime,
    ) -> BoxFuture<'a, io::Result<bool>>;
}

/// Whether `sha256` is 64 lower-case hex digits (a blob's name; it never comes from a sender).
fn is_sha256(sha256: &str) -> bool {
    sha256.len() == 64
        && sha256
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

fn not_a_hash() -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, "not a SHA-256 in hex")
}

/// A new temporary file in `dir` for a blob being received.
async fn incoming_in(dir: &Path, head_limit: usize) -> io::Result<Incoming> {
    tokio::fs::create_dir_all(dir).await?;
    let path = dir.join(uuid::Uuid::now_v7().to_string());
    let file = tokio::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .await?;
    Ok(Incoming {
        path,
        file: Some(file),
        hasher: Sha256::new(),
        size: 0,
        head: Vec::with_capacity(head_limit.min(64 * 1024)),
        head_limit,
    })
}

/// Blobs on local disk: `<root>/<first two hex digits>/<next two>/<sha256>`, temporary files in
/// `<root>/tmp` (on the same file system, so the final rename is atomic).
pub struct LocalBlobStore {
    root: PathBuf,
}

impl LocalBlobStore {
    pub fn new(root: impl Into<PathBuf>) -> LocalBlobStore {
        LocalBlobStore { root: root.into() }
    }

    /// Where a blob lives.
    fn path_of(&self, sha256: &str) -> io::Result<PathBuf> {
        if !is_sha256(sha256) {
            return Err(not_a_hash());
        }
        Ok(self
            .root
            .join(&sha256[..2])
            .join(&sha256[2..4])
            .join(sha256))
    }

    fn tmp_dir(&self) -> PathBuf {
        self.root.join("tmp")
    }

    pub fn root(&self) -> &Path {
        &self.root
    }
}

impl BlobStore for LocalBlobStore {
    fn begin(&self, head_limit: usize) -> BoxFuture<'_, io::Result<Incoming>> {
        Box::pin(async move { incoming_in(&self.tmp_dir(), head_limit).await })
    }

    fn keep(&self, incoming: Incoming) -> BoxFuture<'_, io::Result<String>> {
        Box::pin(self.keep_local(incoming))
    }

    fn open<'a>(&'a self, sha256: &'a str) -> BoxFuture<'a, io::Result<BlobReader>> {
        Box::pin(async move {
            let file = tokio::fs::File::open(self.path_of(sha256)?).await?;
            Ok(Box::pin(file) as BlobReader)
        })
    }

    fn stale(&self, cutoff: SystemTime) -> BoxFuture<'_, io::Result<Vec<String>>> {
        let root = self.root.clone();
        Box::pin(async move {
            remove_old_temp_files(&self.tmp_dir(), cutoff).await;
            tokio::task::spawn_blocking(move || stale_files(&root, cutoff))
                .await
                .map_err(io::Error::other)?
        })
    }

    fn remove_stale<'a>(
        &'a self,
        sha256: &'a str,
        cutoff: SystemTime,
    ) -> BoxFuture<'a, io::Result<bool>> {
        Box::pin(async move {
            let path = self.path_of(sha256)?;
            // Moved aside first (atomic): from then on an upload of the same bytes writes a new
            // file. The modification time is read after the move, so an upload that renewed the
            // blob before it is seen, and the blob is put back.
            let aside = self
                .tmp_dir()
                .join(format!("sweep-{}", uuid::Uuid::now_v7()));
            tokio::fs::create_dir_all(self.tmp_dir()).await?;
            match tokio::fs::rename(&path, &aside).await {
                Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(false),
                other => other?,
            }
            let modified = tokio::fs::metadata(&aside).await?.modified()?;
            if modified >= cutoff {
                if tokio::fs::try_exists(&path).await? {
                    // A new upload already wrote the same bytes again.
                    tokio::fs::remove_file(&aside).await?;
                } else {
                    tokio::fs::rename(&aside, &path).await?;
                }
                return Ok(false);
            }
            tokio::fs::remove_file(&aside).await?;
            Ok(true)
        })
    }
}

/// Removes temporary files a crash left behind (an upload in progress renews its file's time
/// with every chunk, so only abandoned ones are this old).
async fn remove_old_temp_files(dir: &Path, cutoff: SystemTime) {
    let Ok(mut entries) = tokio::fs::read_dir(dir).await else {
        return;
    };
    while let Ok(Some(entry)) = entries.next_entry().await {
        let old = entry
            .metadata()
            .await
            .and_then(|m| m.modified())
            .is_ok_and(|m| m < cutoff);
        if old && let Err(e) = tokio::fs::remove_file(entry.path()).await {
            tracing::warn!(error = %e, "cannot remove an abandoned temporary upload");
        }
    }
}

/// Every blob file under `root` modified before `cutoff` (temporary files are not blobs).
fn stale_files(root: &Path, cutoff: SystemTime) -> io::Result<Vec<String>> {
    let mut found = Vec::new();
    let Ok(first) = std::fs::read_dir(root) else {
        return Ok(found);
    };
    for a in first.flatten() {
        let name = a.file_name();
        if name.len() != 2 || !a.path().is_dir() {
            continue;
        }
        for b in std::fs::read_dir(a.path())?.flatten() {
            for blob in std::fs::read_dir(b.path())?.flatten() {
                let Some(name) = blob.file_name().to_str().map(str::to_owned) else {
                    continue;
                };
                if is_sha256(&name)
                    && blob
                        .metadata()
                        .and_then(|m| m.modified())
                        .is_ok_and(|m| m < cutoff)
                {
                    found.push(name);
                }
            }
        }
    }
    Ok(found)
}

impl LocalBlobStore {
    async fn keep_local(&self, mut incoming: Incoming) -> io::Result<String> {
        let sha256 = incoming.finish().await?;
        let target = self.path_of(&sha256)?;
        if let Some(parent) = target.parent() {
            tokio::fs::create_dir_all(parent).await?;
        }
        // Always the newly written file, replacing any earlier copy of the same bytes
        // atomically: the blob's modification time is now, which keeps the sweep off it.
        tokio::fs::rename(&incoming.path, &target).await?;
        Ok(sha256)
    }
}

/// Where an S3-compatible store is and how to sign in to it (`--blob-store s3://bucket/prefix`;
/// docs/deploy.md). The secret key never reaches a log.
#[derive(Clone)]
pub struct S3Config {
    pub bucket: String,
    /// Key prefix, without slashes at either end (may be empty).
    pub prefix: String,
    /// An S3-compatible service's URL (MinIO, Ceph, R2, a local stand-in); `None` is AWS.
    pub endpoint: Option<String>,
    pub region: String,
    pub access_key_id: Option<String>,
    pub secret_access_key: Option<String>,
}

impl std::fmt::Debug for S3Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("S3Config")
            .field("bucket", &self.bucket)
            .field("prefix", &self.prefix)
            .field("endpoint", &self.endpoint)
            .field("region", &self.region)
            .field("access_key_id", &self.access_key_id)
            .field(
                "secret_access_key",
                &self.secret_access_key.as_ref().map(|_| "***"),
            )
            .finish()
    }
}

impl S3Config {
    /// Reads `s3://bucket/prefix` (the prefix optional). The error says what is wrong.
    pub fn parse_url(url: &str) -> Result<(String, String), String> {
        let rest = url.strip_prefix("s3://").ok_or_else(|| {
            format!("--blob-store must be `local` or `s3://bucket/prefix`, not `{url}`")
        })?;
        let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
        let valid_bucket = (3..=63).contains(&bucket.len())
            && bucket
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.');
        if !valid_bucket {
            return Err(format!(
                "--blob-store: `{bucket}` is not a bucket name (3 to 63 lower-case letters, digits, dots and hyphens)"
            ));
        }
        Ok((bucket.to_owned(), prefix.trim_matches('/').to_owned()))
    }
}

/// Blobs in an S3-compatible bucket under `<prefix>/<first two hex>/<next two>/<sha256>`. Files
/// are received into a temporary file on local disk first (`tmp`), then streamed up as a
/// multipart upload; downloads are streamed.
pub struct S3BlobStore {
    store: Arc<dyn ObjectStore>,
    prefix: String,
    tmp: PathBuf,
}

/// The size of each part of a multipart upload (S3's minimum is 5 MiB).
const PART_BYTES: usize = 5 * 1024 * 1024;

impl S3BlobStore {
    /// Connects (lazily) with `config`; temporary files go to `tmp`. Checks nothing remote:
    /// see [`S3BlobStore::check`].
    pub fn new(config: &S3Config, tmp: PathBuf) -> Result<S3BlobStore, String> {
        // Its HTTPS client uses rustls with ring, like every other client of the server.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let mut builder = AmazonS3Builder::new()
            .with_bucket_name(&config.bucket)
            .with_region(&config.region);
        if let Some(endpoint) = &config.endpoint {
            builder = builder
                .with_endpoint(endpoint)
                .with_allow_http(endpoint.starts_with("http://"))
                .with_virtual_hosted_style_request(false);
        }
        if let (Some(id), Some(secret)) = (&config.access_key_id, &config.secret_access_key) {
            builder = builder
                .with_access_key_id(id)
                .with_secret_access_key(secret);
        }
        let store = builder
            .build()
            .map_err(|e| format!("the S3 blob store is misconfigured: {e}"))?;
        Ok(S3BlobStore {
            store: Arc::new(store),
            prefix: config.prefix.clone(),
            tmp,
        })
    }

    /// Lists the prefix (one page): an answer proves the endpoint, the bucket and the
    /// credentials work. The error says what to check.
    pub async fn check(&self) -> Result<(), String> {
        let prefix = (!self.prefix.is_empty()).then(|| ObjectPath::from(self.prefix.as_str()));
        match self.store.list_with_delimiter(prefix.as_ref()).await {
            Ok(_) => Ok(()),
            Err(e) => Err(format!(
                "cannot use the S3 bucket: {e}. Check --blob-store (the bucket must exist), \
                 --s3-endpoint / BATON_S3_ENDPOINT, --s3-region and the credentials \
                 (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY)"
            )),
        }
    }

    fn key(&self, name: &str) -> ObjectPath {
        if self.prefix.is_empty() {
            ObjectPath::from(name)
        } else {
            ObjectPath::from(format!("{}/{name}", self.prefix))
        }
    }

    fn blob_key(&self, sha256: &str) -> io::Result<ObjectPath> {
        if !is_sha256(sha256) {
            return Err(not_a_hash());
        }
        Ok(self.key(&format!("{}/{}/{sha256}", &sha256[..2], &sha256[2..4])))
    }

    async fn keep_s3(&self, mut incoming: Incoming) -> io::Result<String> {
        let sha256 = incoming.finish().await?;
        let key = self.blob_key(&sha256)?;
        // Always uploaded, even when the same bytes are there: the new object's time keeps the
        // sweep off it (see the module's note).
        let upload = self.store.put_multipart(&key).await.map_err(io_error)?;
        let mut writer = WriteMultipart::new_with_chunk_size(upload, PART_BYTES);
        let mut file = tokio::fs::File::open(&incoming.path).await?;
        let mut buf = vec![0u8; 256 * 1024];
        loop {
            let n = file.read(&mut buf).await?;
            if n == 0 {
                break;
            }
            writer.wait_for_capacity(4).await.map_err(io_error)?;
            writer.write(&buf[..n]);
        }
        writer.finish().await.map_err(io_error)?;
        Ok(sha256)
    }
}

fn io_error(e: object_store::Error) -> io::Error {
    match e {
        object_store::Error::NotFound { .. } => io::Error::new(io::ErrorKind::NotFound, e),
        other => io::Error::other(other),
    }
}

impl BlobStore for S3BlobStore {
    fn begin(&self, head_limit: usize) -> BoxFuture<'_, io::Result<Incoming>> {
        Box::pin(async move { incoming_in(&self.tmp, head_limit).await })
    }

    fn keep(&self, incoming: Incoming) -> BoxFuture<'_, io::Result<String>> {
        Box::pin(self.keep_s3(incoming))
    }

    fn open<'a>(&'a self, sha256: &'a str) -> BoxFuture<'a, io::Result<BlobReader>> {
        Box::pin(async move {
            let got = self
                .store
                .get(&self.blob_key(sha256)?)
                .await
                .map_err(io_error)?;
            let stream = got.into_stream().map(|chunk| chunk.map_err(io_error));
            Ok(Box::pin(tokio_util::io::StreamReader::new(stream)) as BlobReader)
        })
    }

    fn stale(&self, cutoff: SystemTime) -> BoxFuture<'_, io::Result<Vec<String>>> {
        Box::pin(async move {
            remove_old_temp_files(&self.tmp, cutoff).await;
            let prefix = (!self.prefix.is_empty()).then(|| ObjectPath::from(self.prefix.as_str()));
            let mut listed = self.store.list(prefix.as_ref());
            let mut found = Vec::new();
            while let Some(meta) = listed.next().await {
                let meta = meta.map_err(io_error)?;
                let Some(name) = meta.location.filename() else {
                    continue;
                };
                if is_sha256(name) && system_time(meta.last_modified.timestamp()) < cutoff {
                    found.push(name.to_owned());
                }
            }
            Ok(found)
        })
    }

    fn remove_stale<'a>(
        &'a self,
        sha256: &'a str,
        cutoff: SystemTime,
    ) -> BoxFuture<'a, io::Result<bool>> {
        Box::pin(async move {
            let key = self.blob_key(sha256)?;
            match self.store.head(&key).await {
                Ok(meta) if system_time(meta.last_modified.timestamp()) < cutoff => {}
                Ok(_) | Err(object_store::Error::NotFound { .. }) => return Ok(false),
                Err(e) => return Err(io_error(e)),
            }
            match self.store.delete(&key).await {
                Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(true),
                Err(e) => Err(io_error(e)),
            }
        })
    }
}

fn system_time(unix_seconds: i64) -> SystemTime {
    SystemTime::UNIX_EPOCH
        + std::time::Duration::from_secs(u64::try_from(unix_seconds).unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::AsyncReadExt;

    #[tokio::test]
    async fn blobs_are_stored_under_their_hash_and_temporary_files_go() {
        let root = std::env::temp_dir().join(format!("baton-blobs-{}", uuid::Uuid::now_v7()));
        let store: &dyn BlobStore = &LocalBlobStore::new(&root);
        let mut incoming = store.begin(4).await.unwrap();
        incoming.write(b"hello ").await.unwrap();
        incoming.write(b"world").await.unwrap();
        assert_eq!(incoming.head(), b"hell");
        assert_eq!(incoming.size(), 11);
        let sha = store.keep(incoming).await.unwrap();
        assert_eq!(
            sha,
            "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9"
        );
        assert!(root.join("b9/4d").join(&sha).is_file());
        let mut read = String::new();
        store
            .open(&sha)
            .await
            .unwrap()
            .read_to_string(&mut read)
            .await
            .unwrap();
        assert_eq!(read, "hello world");

        // The same bytes again: one blob; an abandoned upload leaves nothing behind.
        let mut again = store.begin(0).await.unwrap();
        again.write(b"hello world").await.unwrap();
        assert_eq!(store.keep(again).await.unwrap(), sha);
        let mut abandoned = store.begin(0).await.unwrap();
        abandoned.write(b"partial").await.unwrap();
        drop(abandoned);
        assert_eq!(std::fs::read_dir(root.join("tmp")).unwrap().count(), 0);

        assert!(store.open("../../etc/passwd").await.is_err());
        let later = SystemTime::now() + std::time::Duration::from_secs(60);
        assert_eq!(store.stale(later).await.unwrap(), vec![sha.clone()]);
        assert!(store.remove_stale(&sha, later).await.unwrap());
        assert!(store.open(&sha).await.is_err());
        let _ = std::fs::remove_dir_all(&root);
    }
}
