//! Attachment bytes in the data directory, named by their SHA-256: a file uploaded twice
//! is kept once, a name can never be chosen by a client, and a stored file is never
//! changed. Rows in `attachments` describe them; the bytes live here.
//!
//! With several server processes on one PostgreSQL, the directory must be shared
//! between them (a network volume); the rows are already shared.

use std::io::Write;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use vocdesk_domain::attachment::{AttachmentMeta, CheckedUpload};
use vocdesk_domain::ids::AttachmentId;

/// The attachment files of one store.
#[derive(Clone, Debug)]
pub struct BlobStore {
    dir: PathBuf,
}

/// The folder inside the data directory.
const FOLDER: &str = "attachments";

impl BlobStore {
    /// The blobs of the store whose data directory is `data_dir`.
    pub fn in_data_dir(data_dir: &Path) -> Self {
        Self { dir: data_dir.join(FOLDER) }
    }

    /// Lower-case hex SHA-256 of `bytes`, the name they are kept under.
    pub fn hash(bytes: &[u8]) -> String {
        Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
    }

    /// Where the bytes with this hash are kept: `attachments/ab/cdef…`, so that no
    /// folder grows past a few thousand entries.
    fn path_of(&self, sha256: &str) -> Option<PathBuf> {
        let valid = sha256.len() == 64 && sha256.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase());
        valid.then(|| self.dir.join(&sha256[..2]).join(&sha256[2..]))
    }

    /// Keeps `bytes` durably (written to a temporary file, flushed to disk, then
    /// renamed into place) and answers their hash. Storing the same bytes again does
    /// nothing. Call it before the transaction that references the hash commits.
    pub async fn put(&self, bytes: Vec<u8>) -> std::io::Result<String> {
        let this = self.clone();
        tokio::task::spawn_blocking(move || this.put_blocking(&bytes)).await.map_err(std::io::Error::other)?
    }

    fn put_blocking(&self, bytes: &[u8]) -> std::io::Result<String> {
        let sha256 = Self::hash(bytes);
        let path = self.path_of(&sha256).ok_or_else(|| std::io::Error::other("bad hash"))?;
        if path.exists() {
            return Ok(sha256);
        }
        let folder = path.parent().ok_or_else(|| std::io::Error::other("no parent folder"))?;
        std::fs::create_dir_all(folder)?;
        let temporary = folder.join(format!(".{}.{}.tmp", &sha256[2..], uuid_like()));
        let mut file = std::fs::File::create(&temporary)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&temporary, &path)?;
        std::fs::File::open(folder)?.sync_all()?;
        Ok(sha256)
    }

    /// Keeps checked files (see [`vocdesk_domain::attachment::check_uploads`]) and
    /// describes each for the message that will carry it, in order.
    pub async fn keep_all(&self, files: Vec<CheckedUpload>) -> std::io::Result<Vec<AttachmentMeta>> {
        let mut kept = Vec::with_capacity(files.len());
        for file in files {
            let size = i64::try_from(file.bytes.len()).map_err(std::io::Error::other)?;
            let sha256 = self.put(file.bytes).await?;
            kept.push(AttachmentMeta {
                id: AttachmentId::generate(),
                filename: file.filename,
                content_type: file.content_type.to_owned(),
                size,
                sha256,
            });
        }
        Ok(kept)
    }

    /// The bytes with this hash; `None` when no such file is kept.
    pub async fn get(&self, sha256: &str) -> std::io::Result<Option<Vec<u8>>> {
        let Some(path) = self.path_of(sha256) else { return Ok(None) };
        match tokio::fs::read(&path).await {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }
}

/// A name for a temporary file no other writer picks at the same moment.
fn uuid_like() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    format!("{}-{}", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn same_bytes_are_kept_once_under_their_hash() {
        let dir = tempfile::tempdir().expect("temp dir");
        let blobs = BlobStore::in_data_dir(dir.path());
        let a = blobs.put(b"screenshot".to_vec()).await.expect("stored");
        let b = blobs.put(b"screenshot".to_vec()).await.expect("stored");
        assert_eq!(a, b);
        assert_eq!(blobs.get(&a).await.expect("read").as_deref(), Some(&b"screenshot"[..]));
        assert_eq!(blobs.get("../../etc/passwd").await.expect("refused"), None);
        assert_eq!(blobs.get(&"0".repeat(64)).await.expect("read"), None);
    }
}
