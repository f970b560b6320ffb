//! Where attachments' bytes live: a content-addressed store keyed by SHA-256.
//!
//! A file is first streamed into a temporary file (hashed and sized on the way), then moved
//! under its hash, so a name the sender chose never reaches the file system and a crash never
//! leaves a half-written blob under a real name. [`BlobStore`] is the seam for another backend
//! (an S3-compatible store, say); [`LocalBlobStore`] keeps blobs on local disk under the data
//! folder, with SQLite or PostgreSQL alike. This module knows nothing of conversations or access
//! rules: callers check those first.

use std::io;
use std::path::{Path, PathBuf};
use std::pin::Pin;

use futures::future::BoxFuture;
use sha2::{Digest, Sha256};
use tokio::io::{AsyncRead, AsyncWriteExt};

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
    /// Stores the received file under its SHA-256 (returned). A blob with that hash already
    /// stored is kept as it is.
    fn keep(&self, incoming: Incoming) -> BoxFuture<'_, io::Result<String>>;
    /// Opens a stored blob; `NotFound` when it is missing.
    fn open<'a>(&'a self, sha256: &'a str) -> BoxFuture<'a, io::Result<BlobReader>>;
    /// Removes a blob no attachment refers to any more (missing is fine).
    fn remove<'a>(&'a self, sha256: &'a str) -> BoxFuture<'a, io::Result<()>>;
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

    /// Where a blob lives. `sha256` must be 64 hex digits (it never comes from a sender).
    fn path_of(&self, sha256: &str) -> io::Result<PathBuf> {
        if sha256.len() != 64 || !sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "not a SHA-256 in hex",
            ));
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
        Box::pin(self.begin_local(head_limit))
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

    fn remove<'a>(&'a self, sha256: &'a str) -> BoxFuture<'a, io::Result<()>> {
        Box::pin(async move {
            match tokio::fs::remove_file(self.path_of(sha256)?).await {
                Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
                _ => Ok(()),
            }
        })
    }
}

impl LocalBlobStore {
    async fn begin_local(&self, head_limit: usize) -> io::Result<Incoming> {
        let dir = self.tmp_dir();
        tokio::fs::create_dir_all(&dir).await?;
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

    async fn keep_local(&self, mut incoming: Incoming) -> io::Result<String> {
        let sha256 = incoming.finish().await?;
        let target = self.path_of(&sha256)?;
        if tokio::fs::try_exists(&target).await? {
            // Same bytes stored before: the temporary file goes when `incoming` drops.
            return Ok(sha256);
        }
        if let Some(parent) = target.parent() {
            tokio::fs::create_dir_all(parent).await?;
        }
        tokio::fs::rename(&incoming.path, &target).await?;
        Ok(sha256)
    }
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
        store.remove(&sha).await.unwrap();
        assert!(store.open(&sha).await.is_err());
        let _ = std::fs::remove_dir_all(&root);
    }
}
