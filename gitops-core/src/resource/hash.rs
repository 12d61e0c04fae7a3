//! A fast, non-cryptographic hasher for internal maps keyed by ids and names.
//!
//! The standard library's SipHash resists hash flooding, which costs time on every lookup.
//! The maps that use [`FxBuildHasher`] hold keys of one build (ids, names of resources
//! that build is rendering), so the Fx mix (rotate, xor, multiply by a fixed odd constant;
//! the scheme used inside rustc) is enough and several times cheaper.
//!
//! ```
//! use std::collections::HashMap;
//! use gitops_core::resource::FxBuildHasher;
//! let mut m: HashMap<&str, u32, FxBuildHasher> = HashMap::default();
//! m.insert("web", 1);
//! assert_eq!(m.get("web"), Some(&1));
//! ```

use std::hash::{BuildHasherDefault, Hasher};

/// Builds [`FxHasher`]s; use it as the `S` parameter of `HashMap`/`HashSet`.
pub type FxBuildHasher = BuildHasherDefault<FxHasher>;

/// A `HashMap` hashed with [`FxHasher`].
pub type FxHashMap<K, V> = std::collections::HashMap<K, V, FxBuildHasher>;

/// A `HashSet` hashed with [`FxHasher`].
pub type FxHashSet<K> = std::collections::HashSet<K, FxBuildHasher>;

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

/// The Fx hash state: one word, mixed with each input word.
#[derive(Debug, Clone, Copy, Default)]
pub struct FxHasher {
    hash: u64,
}

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.add(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            if let Some(dst) = w.get_mut(..rest.len()) {
                dst.copy_from_slice(rest);
            }
            self.add(u64::from_le_bytes(w));
        }
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        self.hash
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::{BuildHasher, Hash};

    fn h<T: Hash + ?Sized>(t: &T) -> u64 {
        FxBuildHasher::default().hash_one(t)
    }

    #[test]
    fn distinct_inputs_hash_apart() {
        let words = ["", "a", "b", "ab", "ba", "abcdefgh", "abcdefghi", "abcdefgh\0"];
        let hashes: FxHashSet<u64> = words.iter().map(|w| h(*w)).collect();
        assert_eq!(hashes.len(), words.len());
        assert_eq!(h("web"), h("web"));
    }

    #[test]
    fn map_round_trip() {
        let mut m: FxHashMap<String, usize> = FxHashMap::default();
        for i in 0..1000 {
            m.insert(format!("res{i}"), i);
        }
        assert!((0..1000).all(|i| m.get(&format!("res{i}")) == Some(&i)));
    }
}
