//! Where images live. A local directory now; an S3-compatible object store
//! can be another variant, and nothing else changes.

use std::io;
use std::path::PathBuf;

/// The media store the site was configured with.
#[derive(Debug, Clone)]
pub enum MediaStore {
    /// Files under a directory: `{image id}/{file name}`. Instances that
    /// share a database must share this directory.
    Local(PathBuf),
}

/// An image's folder name: 32 lower-case hex digits, made by `new_image_id`.
pub fn valid_id(id: &str) -> bool {
    id.len() == 32
        && id
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// A file name within an image's folder: `original.{jpg,png,webp}` or
/// `{width}.{webp,jpg}`.
pub fn valid_file(name: &str) -> bool {
    let Some((stem, ext)) = name.split_once('.') else {
        return false;
    };
    match stem {
        "original" => matches!(ext, "jpg" | "png" | "webp"),
        width => {
            matches!(ext, "jpg" | "webp")
                && !width.is_empty()
                && width.len() <= 5
                && width.bytes().all(|b| b.is_ascii_digit())
        }
    }
}

pub fn new_image_id() -> String {
    crate::auth::hex(&crate::auth::random_bytes::<16>())
}

impl MediaStore {
    /// A store in `dir`, made if missing.
    pub fn local(dir: impl Into<PathBuf>) -> io::Result<Self> {
        let dir = dir.into();
        std::fs::create_dir_all(&dir)?;
        Ok(MediaStore::Local(dir))
    }

    fn path(&self, id: &str, file: Option<&str>) -> io::Result<PathBuf> {
        if !valid_id(id) || file.is_some_and(|f| !valid_file(f)) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "not a media name",
            ));
        }
        let MediaStore::Local(root) = self;
        let folder = root.join(id);
        Ok(match file {
            Some(file) => folder.join(file),
            None => folder,
        })
    }

    /// Writes a file whole or not at all: readers never see half of one.
    pub async fn put(&self, id: &str, file: &str, bytes: &[u8]) -> io::Result<()> {
        let path = self.path(id, Some(file))?;
        if let Some(folder) = path.parent() {
            tokio::fs::create_dir_all(folder).await?;
        }
        let partial = path.with_extension("partial");
        tokio::fs::write(&partial, bytes).await?;
        tokio::fs::rename(&partial, &path).await
    }

    /// The file's bytes, or `None` when there is no such file.
    pub async fn get(&self, id: &str, file: &str) -> io::Result<Option<Vec<u8>>> {
        let Ok(path) = self.path(id, Some(file)) else {
            return Ok(None);
        };
        match tokio::fs::read(path).await {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Removes an image's files.
    pub async fn delete(&self, id: &str) -> io::Result<()> {
        match tokio::fs::remove_dir_all(self.path(id, None)?).await {
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
            other => other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_our_own_names_reach_the_disk() {
        let id = new_image_id();
        assert!(valid_id(&id));
        for bad in [
            "",
            "../etc",
            "ABCDEF0123456789ABCDEF0123456789",
            &"a".repeat(33),
        ] {
            assert!(!valid_id(bad), "{bad}");
        }
        for good in ["original.jpg", "480.webp", "1600.jpg"] {
            assert!(valid_file(good), "{good}");
        }
        for bad in [
            "",
            "../x.jpg",
            "480.gif",
            "original.svg",
            ".jpg",
            "480",
            "a480.jpg",
            "4800000.jpg",
        ] {
            assert!(!valid_file(bad), "{bad}");
        }
    }

    #[tokio::test]
    async fn files_are_written_read_and_deleted_by_image() {
        let dir = tempfile::tempdir().expect("dir");
        let store = MediaStore::local(dir.path().join("media")).expect("store");
        let id = new_image_id();
        store.put(&id, "480.jpg", b"jpeg bytes").await.expect("put");
        assert_eq!(
            store.get(&id, "480.jpg").await.expect("get").as_deref(),
            Some(&b"jpeg bytes"[..])
        );
        assert_eq!(store.get(&id, "960.jpg").await.expect("get"), None);
        assert_eq!(store.get("../../etc", "passwd").await.expect("get"), None);
        store.delete(&id).await.expect("delete");
        assert_eq!(store.get(&id, "480.jpg").await.expect("get"), None);
        store.delete(&id).await.expect("deleting twice is fine");
    }
}
