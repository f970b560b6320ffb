//! The sweep of unused blobs: bytes no attachment refers to (an upload refused after its bytes
//! were kept, a crash between keeping the bytes and the commit) are removed once they are older
//! than `Config::unused_blob_grace` (docs/deploy.md, "Attachments' bytes").
//!
//! It runs on every node (each may have its own local store), and nodes sweeping at once are
//! safe: a blob is removed only while no attachment refers to it and it is still older than the
//! grace period, and an upload renews a blob's time when it keeps it, before it refers to it
//! (see `blobs.rs`). Temporary files older than the grace period (a crash mid-upload) go too.

use std::time::{Duration, SystemTime};

use crate::state::AppState;

/// What one sweep did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Swept {
    /// Blobs old enough to be looked at.
    pub examined: u32,
    pub removed: u32,
}

/// Sweeps once: every blob older than the grace period that no attachment refers to is removed.
pub async fn sweep_unused_blobs(state: &AppState) -> anyhow::Result<Swept> {
    let cutoff = SystemTime::now()
        .checked_sub(state.config.unused_blob_grace)
        .unwrap_or(SystemTime::UNIX_EPOCH);
    let mut swept = Swept::default();
    for sha256 in state.blobs.stale(cutoff).await? {
        swept.examined += 1;
        if state.store.blob_in_use(&sha256).await? {
            continue;
        }
        if state.blobs.remove_stale(&sha256, cutoff).await? {
            swept.removed += 1;
        }
    }
    Ok(swept)
}

/// Sweeps every `Config::blob_sweep_interval` until the server stops.
pub async fn run(state: AppState) {
    loop {
        tokio::time::sleep(state.config.blob_sweep_interval.max(Duration::from_secs(1))).await;
        match sweep_unused_blobs(&state).await {
            Ok(swept) if swept.removed > 0 => {
                tracing::info!(removed = swept.removed, "removed unused attachment blobs");
            }
            Ok(_) => {}
            Err(err) => tracing::warn!(error = %err, "the sweep of unused attachment blobs failed"),
        }
    }
}
