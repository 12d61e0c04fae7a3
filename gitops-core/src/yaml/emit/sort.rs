//! go-yaml v2's mapping key order (`keyList.Less`), for string keys.
//!
//! The order is "natural": letters compare as runes, a non-letter sorts before a letter,
//! and runs of digits compare as numbers. It is not a total order for every key set
//! (`"20" < "100" < "1a" < "20"`), so the result of a sort depends on the algorithm. Go's
//! `sort.Sort` runs an insertion sort on up to 12 elements, which we reproduce exactly;
//! larger sets are merge-sorted, which agrees with Go whenever the keys are consistently
//! ordered (every realistic key set). For a key set that is not (`20`, `100`, `1a`), Go's
//! own output varies from run to run, since it sorts keys taken in random map order.

use super::unicode_tables::{DIGIT, LETTER};
use std::cmp::Ordering;

fn in_table(table: &[(u32, u32)], c: char) -> bool {
    let c = c as u32;
    table
        .binary_search_by(|&(lo, hi)| {
            if hi < c {
                Ordering::Less
            } else if lo > c {
                Ordering::Greater
            } else {
                Ordering::Equal
            }
        })
        .is_ok()
}

/// Go's `unicode.IsLetter`.
fn is_letter(c: char) -> bool {
    if c.is_ascii() { c.is_ascii_alphabetic() } else { in_table(LETTER, c) }
}

/// Go's `unicode.IsDigit`.
fn is_digit(c: char) -> bool {
    if c.is_ascii() { c.is_ascii_digit() } else { in_table(DIGIT, c) }
}

/// `keyList.Less` for two string keys.
pub(super) fn key_less(a: &str, b: &str) -> bool {
    // Fast path: the common prefix is skipped bytewise (equal bytes are equal runes).
    let common = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
    match (a.as_bytes().get(common), b.as_bytes().get(common)) {
        (None, Some(_)) => return true,
        (_, None) => return false,
        (Some(&x), Some(&y)) if x.is_ascii() && y.is_ascii() => {
            let (xl, yl) = (x.is_ascii_alphabetic(), y.is_ascii_alphabetic());
            if xl && yl {
                return x < y;
            }
            if xl || yl {
                return yl;
            }
            // Neither a letter: digit runs need the full rule below.
        }
        _ => {}
    }
    // Back up to a char boundary so the rune walk starts on a whole rune.
    let mut start = common;
    while start > 0 && !a.is_char_boundary(start) {
        start -= 1;
    }
    let (ra, rb) = (&a[start..], &b[start..]);
    let (mut ca, mut cb) = (ra.chars(), rb.chars());
    loop {
        let (x, y) = match (ca.clone().next(), cb.clone().next()) {
            (Some(x), Some(y)) => (x, y),
            (None, Some(_)) => return true,
            _ => return false,
        };
        if x == y {
            ca.next();
            cb.next();
            continue;
        }
        let (xl, yl) = (is_letter(x), is_letter(y));
        if xl && yl {
            return x < y;
        }
        if xl || yl {
            return yl;
        }
        // Digit runs compared as numbers (Go's int64 arithmetic wraps).
        let (mut an, mut bn): (i64, i64) = (0, 0);
        if x == '0' || y == '0' {
            // Quirk: if a non-zero digit precedes in the shared digit run, both start at 1.
            let before = &a[..start + (ra.len() - ca.as_str().len())];
            for c in before.chars().rev() {
                if !is_digit(c) {
                    break;
                }
                if c != '0' {
                    an = 1;
                    bn = 1;
                    break;
                }
            }
        }
        let mut alen = 0usize;
        for c in ca.clone() {
            if !is_digit(c) {
                break;
            }
            an = an.wrapping_mul(10).wrapping_add(i64::from(c as u32) - i64::from(b'0'));
            alen += 1;
        }
        let mut blen = 0usize;
        for c in cb.clone() {
            if !is_digit(c) {
                break;
            }
            bn = bn.wrapping_mul(10).wrapping_add(i64::from(c as u32) - i64::from(b'0'));
            blen += 1;
        }
        if an != bn {
            return an < bn;
        }
        if alen != blen {
            return alen < blen;
        }
        return x < y;
    }
}

/// Sort keys (references) in go-yaml v2's order.
pub(super) fn sort_keys<'k, T: Copy>(items: &mut [T], key: impl Fn(&T) -> &'k str) {
    if items.len() <= 12 {
        // Go's sort.Sort: plain insertion sort for short inputs.
        for i in 1..items.len() {
            let mut j = i;
            while j > 0 && key_less(key(&items[j]), key(&items[j - 1])) {
                items.swap(j, j - 1);
                j -= 1;
            }
        }
        return;
    }
    merge_sort(items, &key);
}

/// A stable bottom-up merge sort that never panics whatever the comparison does.
fn merge_sort<'k, T: Copy>(items: &mut [T], key: &impl Fn(&T) -> &'k str) {
    let n = items.len();
    let mut src: Vec<T> = items.to_vec();
    let mut dst: Vec<T> = items.to_vec();
    let mut width = 1;
    while width < n {
        let mut lo = 0;
        while lo < n {
            let mid = (lo + width).min(n);
            let hi = (lo + 2 * width).min(n);
            let (mut i, mut j) = (lo, mid);
            for slot in &mut dst[lo..hi] {
                let take_right = i >= mid || (j < hi && key_less(key(&src[j]), key(&src[i])));
                if take_right {
                    *slot = src[j];
                    j += 1;
                } else {
                    *slot = src[i];
                    i += 1;
                }
            }
            lo = hi;
        }
        std::mem::swap(&mut src, &mut dst);
        width *= 2;
    }
    items.copy_from_slice(&src);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn natural_order_table() {
        let cases: &[(&str, &str, bool)] = &[
            ("a", "b", true),
            ("b", "a", false),
            ("B", "a", true),
            ("_x", "a", true),
            ("a", "_x", false),
            ("1", "9", true),
            ("9", "10", true),
            ("10", "9", false),
            ("a2", "a10", true),
            ("a1", "a01", true),
            ("a01", "a1", false),
            ("a-b", "a.b", true),
            ("a.b", "a2b", true),
            ("a2b", "a02b", true),
            ("a9", "a10", true),
            ("a10", "ab", true),
            ("", "a", true),
            ("a", "", false),
            ("ab", "abc", true),
            ("é", "z", false),
            ("x10", "x9", false),
            ("1-", "10", true),
        ];
        for &(a, b, want) in cases {
            assert_eq!(key_less(a, b), want, "{a:?} < {b:?}");
        }
    }

    #[test]
    fn sorts_like_kustomize() {
        let mut keys =
            vec!["ab", "a10", "a9", "a02b", "a2b", "a.b", "a-b", "B", "10", "9", "1", "_x"];
        sort_keys(&mut keys, |k| *k);
        assert_eq!(
            keys,
            ["_x", "1", "9", "10", "B", "a-b", "a.b", "a2b", "a02b", "a9", "a10", "ab"]
        );
        // The merge path gives the same order for a consistent set.
        let owned: Vec<String> = (0..40).rev().map(|i| format!("k{i}")).collect();
        let mut many: Vec<&str> = owned.iter().map(String::as_str).collect();
        sort_keys(&mut many, |k| *k);
        let want: Vec<String> = (0..40).map(|i| format!("k{i}")).collect();
        assert_eq!(many, want);
    }
}
