//! The core's [`Env`] over the real file system, confined to the repository root.

use planwright_core::Env;
use std::path::PathBuf;

/// Answers the rules' questions about files under `root`.
#[derive(Debug)]
pub struct FsEnv {
    root: PathBuf,
}

impl FsEnv {
    pub fn new(root: PathBuf) -> Self {
        FsEnv { root }
    }

    fn path(&self, rel: &str) -> Option<PathBuf> {
        // The core never asks about paths that climb out; refuse them anyway.
        if rel.split('/').any(|s| s == "..") || rel.starts_with('/') {
            return None;
        }
        Some(if rel.is_empty() {
            self.root.clone()
        } else {
            self.root.join(rel)
        })
    }
}

impl Env for FsEnv {
    fn exists(&self, rel: &str) -> Option<bool> {
        Some(std::fs::metadata(self.path(rel)?).is_ok())
    }

    fn is_dir(&self, rel: &str) -> Option<bool> {
        Some(std::fs::metadata(self.path(rel)?).is_ok_and(|m| m.is_dir()))
    }

    fn file_len(&self, rel: &str) -> Option<u64> {
        std::fs::metadata(self.path(rel)?)
            .ok()
            .filter(|m| m.is_file())
            .map(|m| m.len())
    }
}
