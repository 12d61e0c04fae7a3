//! Bounds that keep hostile input from exhausting memory or stack.

/// Bounds applied while parsing and resolving. Past any of them, a clear
/// [`Error::Limit`](super::Error::Limit) names the bound.
///
/// ```
/// use gitops_core::yaml::Limits;
/// let l = Limits::default();
/// assert!(l.max_depth >= 100);
/// let strict = Limits { max_input_bytes: 1024, ..Limits::default() };
/// assert_eq!(strict.max_input_bytes, 1024);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest input accepted, in bytes.
    pub max_input_bytes: usize,
    /// Deepest nesting of collections accepted.
    pub max_depth: usize,
    /// Most nodes that alias expansion may produce, per document.
    pub max_alias_nodes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_input_bytes: 512 * 1024 * 1024, max_depth: 1000, max_alias_nodes: 1_000_000 }
    }
}
