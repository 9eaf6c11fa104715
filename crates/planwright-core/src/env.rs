//! What the rules may ask about the repository around a plan, without doing I/O themselves.

/// Facts about the repository a plan lives in. Paths are relative to the repository root,
/// use `/`, and never climb out of it (the rules check that before asking).
///
/// `None` means "unknown": the rule that asked stays silent rather than guessing.
pub trait Env: Sync {
    /// Does this file or folder exist?
    fn exists(&self, rel_path: &str) -> Option<bool>;
    /// Is this a folder?
    fn is_dir(&self, rel_path: &str) -> Option<bool>;
    /// Length in bytes of a file.
    fn file_len(&self, rel_path: &str) -> Option<u64>;
    /// The text of a file (a sibling document a plan refers to, such as Kiro's
    /// `requirements.md`). `None` when unknown or unreadable.
    fn read_to_string(&self, _rel_path: &str) -> Option<String> {
        None
    }
}

/// An environment that knows nothing: repository-level rules stay silent.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoEnv;

impl Env for NoEnv {
    fn exists(&self, _: &str) -> Option<bool> {
        None
    }
    fn is_dir(&self, _: &str) -> Option<bool> {
        None
    }
    fn file_len(&self, _: &str) -> Option<u64> {
        None
    }
}
