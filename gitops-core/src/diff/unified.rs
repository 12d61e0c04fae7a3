//! Line diff: Myers' O((N+M)·D) algorithm in linear space (the middle-snake divide and
//! conquer), printed as a unified diff.

use std::collections::HashMap;

/// A unified diff of two texts, GNU style: `--- old_name` / `+++ new_name` headers, hunks
/// `@@ -l,s +l,s @@` (`,s` left out when it is 1; a zero-length side names the line
/// before it) with `context` lines of context, `\ No newline at end of file` after a
/// last line without one. Equal texts give the empty string.
///
/// ```
/// use gitops_core::diff::unified_text;
/// let d = unified_text("a\nb\nc\n", "a\nB\nc\n", "old", "new", 3);
/// assert_eq!(d, "--- old\n+++ new\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n");
/// ```
pub fn unified_text(
    old: &str,
    new: &str,
    old_name: &str,
    new_name: &str,
    context: usize,
) -> String {
    if old == new {
        return String::new();
    }
    let a: Vec<&str> = old.split_inclusive('\n').collect();
    let b: Vec<&str> = new.split_inclusive('\n').collect();
    let ops = diff_lines(&a, &b);
    let mut out = String::new();
    out.push_str("--- ");
    out.push_str(old_name);
    out.push_str("\n+++ ");
    out.push_str(new_name);
    out.push('\n');
    write_hunks(&ops, &a, &b, context, &mut out);
    out
}

/// One line of the edit script.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Op {
    /// `a[i] == b[j]`.
    Equal(usize, usize),
    /// `a[i]` removed.
    Delete(usize),
    /// `b[j]` added.
    Insert(usize),
}

/// The edit script turning `a` into `b` (deletions before insertions in each block).
pub(crate) fn diff_lines<'a>(a: &[&'a str], b: &[&'a str]) -> Vec<Op> {
    // Lines become numbers so the inner loops compare integers.
    let mut ids: HashMap<&str, u32> = HashMap::new();
    let mut intern = |s: &'a str| -> u32 {
        let next = u32::try_from(ids.len()).unwrap_or(u32::MAX);
        *ids.entry(s).or_insert(next)
    };
    let xa: Vec<u32> = a.iter().map(|s| intern(s)).collect();
    let xb: Vec<u32> = b.iter().map(|s| intern(s)).collect();
    // A line that occurs on one side only is always a change: leave it out of the search
    // (what keeps two unrelated texts linear).
    let mut in_a = vec![false; ids.len()];
    let mut in_b = vec![false; ids.len()];
    xa.iter().for_each(|&x| in_a[x as usize] = true);
    xb.iter().for_each(|&x| in_b[x as usize] = true);
    let keep_a: Vec<usize> = (0..xa.len()).filter(|&i| in_b[xa[i] as usize]).collect();
    let keep_b: Vec<usize> = (0..xb.len()).filter(|&j| in_a[xb[j] as usize]).collect();
    let sa: Vec<u32> = keep_a.iter().map(|&i| xa[i]).collect();
    let sb: Vec<u32> = keep_b.iter().map(|&j| xb[j]).collect();
    let (sca, scb) = changed_flags(&sa, &sb);
    let mut ca = vec![true; xa.len()];
    let mut cb = vec![true; xb.len()];
    keep_a.iter().zip(&sca).for_each(|(&i, &c)| ca[i] = c);
    keep_b.iter().zip(&scb).for_each(|(&j, &c)| cb[j] = c);
    let mut ops = Vec::with_capacity(a.len().max(b.len()));
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        if i < a.len() && ca[i] {
            ops.push(Op::Delete(i));
            i += 1;
        } else if j < b.len() && cb[j] {
            ops.push(Op::Insert(j));
            j += 1;
        } else if i < a.len() && j < b.len() {
            ops.push(Op::Equal(i, j));
            i += 1;
            j += 1;
        } else if i < a.len() {
            // Unreachable for a consistent marking; stay total anyway.
            ops.push(Op::Delete(i));
            i += 1;
        } else {
            ops.push(Op::Insert(j));
            j += 1;
        }
    }
    ops
}

/// Mark the lines of `a` that are deleted and of `b` that are inserted in a shortest
/// edit script.
fn changed_flags(a: &[u32], b: &[u32]) -> (Vec<bool>, Vec<bool>) {
    let mut ca = vec![false; a.len()];
    let mut cb = vec![false; b.len()];
    let mut stack = vec![(0usize, a.len(), 0usize, b.len())];
    let mut vf: Vec<isize> = Vec::new();
    let mut vb: Vec<isize> = Vec::new();
    while let Some((mut x0, mut x1, mut y0, mut y1)) = stack.pop() {
        while x0 < x1 && y0 < y1 && a[x0] == b[y0] {
            x0 += 1;
            y0 += 1;
        }
        while x0 < x1 && y0 < y1 && a[x1 - 1] == b[y1 - 1] {
            x1 -= 1;
            y1 -= 1;
        }
        if x0 == x1 {
            cb[y0..y1].iter_mut().for_each(|c| *c = true);
            continue;
        }
        if y0 == y1 {
            ca[x0..x1].iter_mut().for_each(|c| *c = true);
            continue;
        }
        let ((sx, sy), (fx, fy)) = middle_snake(a, b, (x0, x1, y0, y1), &mut vf, &mut vb);
        if (sx, sy) == (x0, y0) && (fx, fy) == (x1, y1) {
            // No progress possible (cannot happen for a box trimmed at both ends, whose
            // path has at least two edits); fall back to replacing the box.
            ca[x0..x1].iter_mut().for_each(|c| *c = true);
            cb[y0..y1].iter_mut().for_each(|c| *c = true);
            continue;
        }
        stack.push((fx, x1, fy, y1));
        stack.push((sx, fx, sy, fy));
        stack.push((x0, sx, y0, sy));
    }
    (ca, cb)
}

/// The middle snake of the box `(left, right, top, bottom)`: a stretch of the shortest
/// edit path around its middle, as `(start, finish)` points (Myers 1986, §4b).
fn middle_snake(
    a: &[u32],
    b: &[u32],
    (left, right, top, bottom): (usize, usize, usize, usize),
    vf: &mut Vec<isize>,
    vb: &mut Vec<isize>,
) -> ((usize, usize), (usize, usize)) {
    let (l, r, t, bo) = (left as isize, right as isize, top as isize, bottom as isize);
    let width = r - l;
    let height = bo - t;
    let delta = width - height;
    let size = width + height;
    let max = (size + 1) / 2;
    let off = max + 1;
    let len = usize::try_from(2 * max + 3).unwrap_or(0);
    vf.clear();
    vf.resize(len, 0);
    vb.clear();
    vb.resize(len, 0);
    let ix = |k: isize| usize::try_from(k + off).unwrap_or(0);
    vf[ix(1)] = l;
    vb[ix(1)] = bo;
    let at = |v: &[u32], i: isize| v.get(usize::try_from(i).unwrap_or(usize::MAX)).copied();
    for d in 0..=max {
        // Forward.
        let mut k = -d;
        while k <= d {
            let c = k - delta;
            let (px, mut x) = if k == -d || (k != d && vf[ix(k - 1)] < vf[ix(k + 1)]) {
                (vf[ix(k + 1)], vf[ix(k + 1)])
            } else {
                (vf[ix(k - 1)], vf[ix(k - 1)] + 1)
            };
            let mut y = t + (x - l) - k;
            let py = if d == 0 || x != px { y } else { y - 1 };
            while x < r && y < bo && at(a, x).is_some() && at(a, x) == at(b, y) {
                x += 1;
                y += 1;
            }
            vf[ix(k)] = x;
            if delta & 1 == 1 && c >= -(d - 1) && c < d && y >= vb[ix(c)] {
                return (point(px, py), point(x, y));
            }
            k += 2;
        }
        // Backward.
        let mut c = -d;
        while c <= d {
            let k = c + delta;
            let (py, mut y) = if c == -d || (c != d && vb[ix(c - 1)] > vb[ix(c + 1)]) {
                (vb[ix(c + 1)], vb[ix(c + 1)])
            } else {
                (vb[ix(c - 1)], vb[ix(c - 1)] - 1)
            };
            let mut x = l + (y - t) + k;
            let px = if d == 0 || y != py { x } else { x + 1 };
            while x > l && y > t && at(a, x - 1).is_some() && at(a, x - 1) == at(b, y - 1) {
                x -= 1;
                y -= 1;
            }
            vb[ix(c)] = y;
            if delta & 1 == 0 && k >= -d && k <= d && x <= vf[ix(k)] {
                return (point(x, y), point(px, py));
            }
            c += 2;
        }
    }
    // Unreachable: a path always exists within `max` steps each way.
    ((left, top), (right, bottom))
}

fn point(x: isize, y: isize) -> (usize, usize) {
    (usize::try_from(x).unwrap_or(0), usize::try_from(y).unwrap_or(0))
}

fn write_hunks(ops: &[Op], a: &[&str], b: &[&str], context: usize, out: &mut String) {
    // Group the changed ops into hunks: gaps of more than 2·context equal lines split.
    let changes: Vec<usize> = ops
        .iter()
        .enumerate()
        .filter(|(_, op)| !matches!(op, Op::Equal(..)))
        .map(|(i, _)| i)
        .collect();
    let mut groups: Vec<(usize, usize)> = Vec::new();
    for &i in &changes {
        match groups.last_mut() {
            Some((_, end)) if i - *end <= 2 * context + 1 => *end = i,
            _ => groups.push((i, i)),
        }
    }
    // Old/new line numbers before each op.
    let mut pos = Vec::with_capacity(ops.len() + 1);
    let (mut oi, mut ni) = (0usize, 0usize);
    for op in ops {
        pos.push((oi, ni));
        match op {
            Op::Equal(..) => {
                oi += 1;
                ni += 1;
            }
            Op::Delete(_) => oi += 1,
            Op::Insert(_) => ni += 1,
        }
    }
    pos.push((oi, ni));
    for (first, last) in groups {
        let start = first.saturating_sub(context);
        let end = (last + 1 + context).min(ops.len());
        let (o0, n0) = pos[start];
        let (o1, n1) = pos[end];
        let range = |s: usize, n: usize| -> String {
            match n {
                0 => format!("{s},0"),
                1 => format!("{}", s + 1),
                _ => format!("{},{n}", s + 1),
            }
        };
        out.push_str(&format!("@@ -{} +{} @@\n", range(o0, o1 - o0), range(n0, n1 - n0)));
        for op in &ops[start..end] {
            let (mark, line) = match *op {
                Op::Equal(i, _) => (' ', a.get(i)),
                Op::Delete(i) => ('-', a.get(i)),
                Op::Insert(j) => ('+', b.get(j)),
            };
            let line = line.copied().unwrap_or("");
            out.push(mark);
            out.push_str(line);
            if !line.ends_with('\n') {
                out.push_str("\n\\ No newline at end of file\n");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Apply a unified diff to `old` (strictly: context and deletions must match).
    pub(crate) fn apply(old: &str, patch: &str) -> Result<String, String> {
        let a: Vec<&str> = old.split_inclusive('\n').collect();
        let mut out: Vec<String> = Vec::new();
        let mut cursor = 0usize;
        let mut lines = patch.split_inclusive('\n').peekable();
        // headers
        for want in ["--- ", "+++ "] {
            match lines.next() {
                Some(l) if l.starts_with(want) => {}
                other => return Err(format!("bad header {other:?}")),
            }
        }
        while let Some(h) = lines.next() {
            let h = h.strip_prefix("@@ -").ok_or(format!("bad hunk header {h:?}"))?;
            let old_start: usize =
                h.split([',', ' ']).next().and_then(|s| s.parse().ok()).ok_or("bad start")?;
            let old_len: usize = {
                let spec = h.split(' ').next().unwrap_or("");
                spec.split_once(',').map(|(_, n)| n.parse().unwrap_or(0)).unwrap_or(1)
            };
            let first = if old_len == 0 { old_start } else { old_start - 1 };
            if first < cursor {
                return Err("overlapping hunks".into());
            }
            out.extend(a[cursor..first].iter().map(|s| s.to_string()));
            cursor = first;
            while let Some(l) = lines.peek() {
                if l.starts_with("@@") {
                    break;
                }
                let l = lines.next().unwrap_or("");
                let mut text = l[1..].to_string();
                if lines.peek().is_some_and(|n| n.starts_with('\\')) {
                    lines.next();
                    text.pop();
                }
                match l.as_bytes()[0] {
                    b' ' | b'-' => {
                        if a.get(cursor).copied() != Some(text.as_str()) {
                            return Err(format!("mismatch at {cursor}: {text:?}"));
                        }
                        if l.starts_with(' ') {
                            out.push(text);
                        }
                        cursor += 1;
                    }
                    b'+' => out.push(text),
                    _ => return Err(format!("bad line {l:?}")),
                }
            }
        }
        out.extend(a[cursor..].iter().map(|s| s.to_string()));
        Ok(out.concat())
    }

    #[test]
    fn unified_table() {
        let cases: [(&str, &str, usize, &str); 7] = [
            ("a\n", "a\n", 3, ""),
            ("", "x\ny\n", 3, "--- o\n+++ n\n@@ -0,0 +1,2 @@\n+x\n+y\n"),
            ("x\ny\n", "", 3, "--- o\n+++ n\n@@ -1,2 +0,0 @@\n-x\n-y\n"),
            (
                "a\nb\n",
                "a\nb",
                3,
                "--- o\n+++ n\n@@ -1,2 +1,2 @@\n a\n-b\n+b\n\\ No newline at end of file\n",
            ),
            (
                "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n",
                "1\n2\nthree\n4\n5\n6\n7\n8\n9\n10\neleven\n12\n",
                1,
                "--- o\n+++ n\n@@ -2,3 +2,3 @@\n 2\n-3\n+three\n 4\n@@ -10,3 +10,3 @@\n 10\n-11\n+eleven\n 12\n",
            ),
            // gaps of up to 2·context lines join hunks
            (
                "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n",
                "1\n2\nthree\n4\n5\n6\n7\n8\n9\n10\neleven\n12\n",
                4,
                "--- o\n+++ n\n@@ -1,12 +1,12 @@\n 1\n 2\n-3\n+three\n 4\n 5\n 6\n 7\n 8\n 9\n 10\n-11\n+eleven\n 12\n",
            ),
            (
                "a\nb\nc\nd\n",
                "a\nc\nd\ne\n",
                0,
                "--- o\n+++ n\n@@ -2 +1,0 @@\n-b\n@@ -4,0 +4 @@\n+e\n",
            ),
        ];
        for (i, (old, new, ctx, want)) in cases.iter().enumerate() {
            let got = unified_text(old, new, "o", "n", *ctx);
            assert_eq!(got, *want, "case {i}");
            if !want.is_empty() {
                assert_eq!(apply(old, &got).as_deref(), Ok(*new), "case {i} applies");
            }
        }
    }

    fn edit_len(ops: &[Op]) -> usize {
        ops.iter().filter(|o| !matches!(o, Op::Equal(..))).count()
    }

    /// Reference LCS length by dynamic programming (small inputs only).
    fn lcs(a: &[&str], b: &[&str]) -> usize {
        let mut t = vec![vec![0usize; b.len() + 1]; a.len() + 1];
        for i in (0..a.len()).rev() {
            for j in (0..b.len()).rev() {
                t[i][j] =
                    if a[i] == b[j] { t[i + 1][j + 1] + 1 } else { t[i + 1][j].max(t[i][j + 1]) };
            }
        }
        t[0][0]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]
        #[test]
        fn hunks_apply_and_are_minimal(
            a in proptest::collection::vec("[abc]{0,2}", 0..40),
            b in proptest::collection::vec("[abc]{0,2}", 0..40),
            ctx in 0usize..4,
            end_a in any::<bool>(),
            end_b in any::<bool>(),
        ) {
            let mut old = a.join("\n");
            let mut new = b.join("\n");
            if end_a { old.push('\n'); }
            if end_b { new.push('\n'); }
            let d = unified_text(&old, &new, "o", "n", ctx);
            prop_assert_eq!(d.is_empty(), old == new);
            if !d.is_empty() {
                prop_assert_eq!(apply(&old, &d), Ok(new.clone()));
            }
            let la: Vec<&str> = old.split_inclusive('\n').collect();
            let lb: Vec<&str> = new.split_inclusive('\n').collect();
            let ops = diff_lines(&la, &lb);
            prop_assert_eq!(edit_len(&ops), la.len() + lb.len() - 2 * lcs(&la, &lb));
        }
    }

    #[test]
    fn large_inputs_are_fast() {
        // 10k lines, scattered edits and a block moved: linear space, no quadratic table.
        let old: String = (0..10_000).map(|i| format!("line {i}\n")).collect();
        let new: String = (0..10_000)
            .map(|i| {
                if i % 97 == 0 {
                    format!("changed {i}\n")
                } else {
                    format!("line {}\n", (i + 5000) % 10_000)
                }
            })
            .collect();
        let start = std::time::Instant::now();
        let d = unified_text(&old, &new, "o", "n", 3);
        assert_eq!(apply(&old, &d).as_deref(), Ok(new.as_str()));
        // Completely different texts of 10k lines each.
        let other: String = (0..10_000).map(|i| format!("other {i}\n")).collect();
        let d2 = unified_text(&old, &other, "o", "n", 3);
        assert_eq!(apply(&old, &d2).as_deref(), Ok(other.as_str()));
        assert!(start.elapsed().as_secs() < 20, "took {:?}", start.elapsed());
    }
}
