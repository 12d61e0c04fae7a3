//! Would a string, written plain, read back as something other than a string under
//! go-yaml v2's YAML 1.1 resolver? If so v2's encoder double-quotes it.
//!
//! This mirrors v2's `resolve("", s)` (booleans, nulls, `.inf`/`.nan`, ints in every Go
//! base syntax, floats, timestamps in the four layouts v2 tries) plus its extra check for
//! base-60 floats (`1:20`), which it no longer decodes but still quotes.

/// True when v2 would print `s` quoted because plain text would not read back as a string.
pub(super) fn needs_quotes(s: &str) -> bool {
    resolves_to_non_string(s) || is_base60_float(s)
}

fn resolves_to_non_string(s: &str) -> bool {
    let b = s.as_bytes();
    let Some(&first) = b.first() else {
        return true; // "" is null
    };
    match first {
        b'y' | b'Y' | b'n' | b'N' | b't' | b'T' | b'f' | b'F' | b'o' | b'O' | b'~' => {
            in_resolve_map(s)
        }
        b'.' => in_resolve_map(s) || is_dot_float(b),
        b'+' | b'-' | b'0'..=b'9' => {
            in_resolve_map(s) || is_timestamp(b) || is_number_after_underscores(b)
        }
        _ => false,
    }
}

fn in_resolve_map(s: &str) -> bool {
    matches!(
        s,
        "y" | "Y"
            | "yes"
            | "Yes"
            | "YES"
            | "true"
            | "True"
            | "TRUE"
            | "on"
            | "On"
            | "ON"
            | "n"
            | "N"
            | "no"
            | "No"
            | "NO"
            | "false"
            | "False"
            | "FALSE"
            | "off"
            | "Off"
            | "OFF"
            | "~"
            | "null"
            | "Null"
            | "NULL"
            | ".nan"
            | ".NaN"
            | ".NAN"
            | ".inf"
            | ".Inf"
            | ".INF"
            | "+.inf"
            | "+.Inf"
            | "+.INF"
            | "-.inf"
            | "-.Inf"
            | "-.INF"
    )
}

/// `strconv.ParseFloat` success for text starting with `.`: `.digits([eE][+-]?digits)?`,
/// not overflowing.
fn is_dot_float(b: &[u8]) -> bool {
    let mut i = 1;
    let digits_start = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    if i == digits_start {
        return false;
    }
    if i < b.len() {
        if b[i] != b'e' && b[i] != b'E' {
            return false;
        }
        i += 1;
        if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
            i += 1;
        }
        let exp_start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == exp_start || i != b.len() {
            return false;
        }
    }
    float_in_range(b)
}

/// Go's `ParseFloat` fails with a range error when the value overflows.
fn float_in_range(b: &[u8]) -> bool {
    std::str::from_utf8(b).ok().and_then(|t| t.parse::<f64>().ok()).is_some_and(f64::is_finite)
}

/// The `D`/`S` branch after the timestamp check: ints (Go base-0 syntax, i64 or u64),
/// YAML-style floats, and v2's extra `0b` forms, all after removing `_`.
fn is_number_after_underscores(b: &[u8]) -> bool {
    let mut buf = [0u8; 64];
    let plain: &[u8] = if b.contains(&b'_') {
        let mut n = 0;
        for &c in b.iter().filter(|&&c| c != b'_') {
            if n == buf.len() {
                // Too long for any int; only a float could match.
                return is_long_yaml_float(b);
            }
            buf[n] = c;
            n += 1;
        }
        &buf[..n]
    } else {
        b
    };
    if go_parse_int_base0(plain) {
        return true;
    }
    if is_yaml_style_float(plain) && float_in_range(plain) {
        return true;
    }
    if let Some(rest) = plain.strip_prefix(b"0b") {
        // strconv.ParseInt(rest, 2, 64) or ParseUint(rest, 2, 64): sign allowed in ParseInt.
        let (neg, digits) = match rest.first() {
            Some(b'+') => (false, &rest[1..]),
            Some(b'-') => (true, &rest[1..]),
            _ => (false, rest),
        };
        return digits_fit(digits, 2, neg, true);
    }
    false
}

fn is_long_yaml_float(b: &[u8]) -> bool {
    let plain: Vec<u8> = b.iter().copied().filter(|&c| c != b'_').collect();
    is_yaml_style_float(&plain) && float_in_range(&plain)
}

/// `strconv.ParseInt(s, 0, 64)` or `strconv.ParseUint(s, 0, 64)` succeeds.
fn go_parse_int_base0(s: &[u8]) -> bool {
    let (neg, signed, body) = match s.first() {
        Some(b'+') => (false, true, &s[1..]),
        Some(b'-') => (true, true, &s[1..]),
        _ => (false, false, s),
    };
    let (base, digits) = if body.len() >= 2 && body[0] == b'0' {
        match body[1] {
            b'x' | b'X' => (16, &body[2..]),
            b'o' | b'O' => (8, &body[2..]),
            b'b' | b'B' => (2, &body[2..]),
            _ => (8, &body[1..]),
        }
    } else {
        (10, body)
    };
    // ParseUint (no sign) accepts up to u64::MAX; ParseInt up to i64 bounds.
    if digits_fit(digits, base, neg, true) {
        return true;
    }
    !signed && digits_fit(digits, base, false, false)
}

/// Digits in `base` (at least one) whose value fits i64 (`signed`, with `neg`) or u64.
fn digits_fit(digits: &[u8], base: u32, neg: bool, signed: bool) -> bool {
    if digits.is_empty() {
        return false;
    }
    let mut v: u128 = 0;
    for &c in digits {
        let d = match c {
            b'0'..=b'9' => u32::from(c - b'0'),
            b'a'..=b'z' => u32::from(c - b'a') + 10,
            b'A'..=b'Z' => u32::from(c - b'A') + 10,
            _ => return false,
        };
        if d >= base {
            return false;
        }
        v = v * u128::from(base) + u128::from(d);
        if v > u128::from(u64::MAX) + 1 {
            // Out of range (Go reports a range or syntax error): not an int either way.
            return false;
        }
    }
    if signed {
        if neg { v <= 1u128 << 63 } else { v < 1u128 << 63 }
    } else {
        v <= u128::from(u64::MAX)
    }
}

/// `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`
fn is_yaml_style_float(b: &[u8]) -> bool {
    let mut i = 0;
    if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
        i += 1;
    }
    let int_start = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    if i == int_start {
        // Must be `\.[0-9]+`
        if i >= b.len() || b[i] != b'.' {
            return false;
        }
        i += 1;
        let f = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == f {
            return false;
        }
    } else if i < b.len() && b[i] == b'.' {
        i += 1;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
            i += 1;
        }
        let e = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == e {
            return false;
        }
    }
    i == b.len()
}

/// `^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$`
pub(super) fn is_base60_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
        i += 1;
    }
    if i >= b.len() || !b[i].is_ascii_digit() {
        return false;
    }
    i += 1;
    while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'_') {
        i += 1;
    }
    let mut groups = 0;
    while i < b.len() && b[i] == b':' {
        i += 1;
        // [0-5]?[0-9]: one or two digits, the first of two being 0-5.
        match (b.get(i), b.get(i + 1)) {
            (Some(d1), Some(d2)) if (b'0'..=b'5').contains(d1) && d2.is_ascii_digit() => i += 2,
            (Some(d1), _) if d1.is_ascii_digit() => i += 1,
            _ => return false,
        }
        groups += 1;
    }
    if groups == 0 {
        return false;
    }
    if i < b.len() && b[i] == b'.' {
        i += 1;
        while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'_') {
            i += 1;
        }
    }
    i == b.len()
}

// ---- timestamps: the four layouts v2 passes to time.Parse ----

/// v2's `parseTimestamp`: `YYYY-` then one of
/// `2006-1-2T15:4:5.999999999Z07:00`, `2006-1-2t15:4:5.999999999Z07:00`,
/// `2006-1-2 15:4:5.999999999`, `2006-1-2`.
fn is_timestamp(b: &[u8]) -> bool {
    if b.len() < 5 || !b[..4].iter().all(u8::is_ascii_digit) || b[4] != b'-' {
        return false;
    }
    let year = b[..4].iter().fold(0i64, |a, &c| a * 10 + i64::from(c - b'0'));
    let rest = &b[5..];
    let Some((month, rest)) = getnum(rest) else { return false };
    let Some(rest) = rest.strip_prefix(b"-") else { return false };
    let Some((day, rest)) = getnum(rest) else { return false };
    if !(1..=12).contains(&month) {
        return false;
    }
    let date_ok = day >= 1 && day <= days_in(month, year);
    if rest.is_empty() {
        return date_ok;
    }
    // Time-of-day layouts: a literal 'T', 't', or one-or-more spaces.
    let (rest, with_zone) = match rest[0] {
        b'T' | b't' => (&rest[1..], true),
        b' ' => {
            let n = rest.iter().take_while(|&&c| c == b' ').count();
            (&rest[n..], false)
        }
        _ => return false,
    };
    let Some(rest) = clock(rest) else { return false };
    let ok = if with_zone { zone(rest) } else { rest.is_empty() };
    ok && date_ok
}

/// `getnum(s, false)`: one or two digits.
fn getnum(s: &[u8]) -> Option<(i64, &[u8])> {
    match (s.first(), s.get(1)) {
        (Some(a), Some(b)) if a.is_ascii_digit() && b.is_ascii_digit() => {
            Some((i64::from(a - b'0') * 10 + i64::from(b - b'0'), &s[2..]))
        }
        (Some(a), _) if a.is_ascii_digit() => Some((i64::from(a - b'0'), &s[1..])),
        _ => None,
    }
}

/// `15:4:5.999999999` — hour, minute, second with range checks, optional fraction.
fn clock(s: &[u8]) -> Option<&[u8]> {
    let (h, s) = getnum(s)?;
    let s = s.strip_prefix(b":")?;
    let (m, s) = getnum(s)?;
    let s = s.strip_prefix(b":")?;
    let (sec, s) = getnum(s)?;
    if h >= 24 || m >= 60 || sec >= 60 {
        return None;
    }
    // Fraction: `.` or `,` then at least one digit, then any number of digits.
    if s.len() >= 2 && (s[0] == b'.' || s[0] == b',') && s[1].is_ascii_digit() {
        let n = 1 + s[1..].iter().take_while(|c| c.is_ascii_digit()).count();
        return Some(&s[n..]);
    }
    Some(s)
}

/// `Z07:00`: `Z`, or sign, two digits, `:`, two digits; nothing after.
fn zone(s: &[u8]) -> bool {
    if s.first() == Some(&b'Z') {
        return s.len() == 1;
    }
    if s.len() < 6 || s[3] != b':' {
        return false;
    }
    if s[0] != b'+' && s[0] != b'-' {
        return false;
    }
    let two = |a: u8, b: u8| -> Option<i64> {
        (a.is_ascii_digit() && b.is_ascii_digit())
            .then(|| i64::from(a - b'0') * 10 + i64::from(b - b'0'))
    };
    let (Some(h), Some(m)) = (two(s[1], s[2]), two(s[4], s[5])) else { return false };
    h <= 24 && m <= 60 && s.len() == 6
}

fn days_in(month: i64, year: i64) -> i64 {
    match month {
        2 => {
            if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 {
                29
            } else {
                28
            }
        }
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_table() {
        let quoted = [
            "",
            "~",
            "null",
            "Null",
            "NULL",
            "y",
            "Y",
            "yes",
            "Yes",
            "YES",
            "n",
            "N",
            "no",
            "on",
            "On",
            "ON",
            "off",
            "true",
            "True",
            "TRUE",
            "false",
            ".inf",
            ".Inf",
            "-.inf",
            "+.inf",
            ".nan",
            ".NaN",
            "1",
            "01",
            "0755",
            "08",
            "0x1F",
            "0o17",
            "0b101",
            "0b-1",
            "1_000",
            "+1",
            "-1",
            "1.0",
            "1e3",
            ".5",
            "1.",
            "190:20:30",
            "1:20",
            "-1:20",
            "2001-12-14",
            "2001-12-14t21:59:43.10-05:00",
            "2001-12-14 21:59:43.10",
            "2001-12-14T21:59:43Z",
            "2001-1-1",
            "18446744073709551615",
            "+18446744073709551615",
            "1e308",
            "1_0:20",
            "1__",
        ];
        for s in quoted {
            assert!(needs_quotes(s), "{s:?} should be quoted");
        }
        let plain = [
            "a",
            "yes!",
            "yess",
            "nO",
            "oN",
            "<<",
            "0x",
            "0xG",
            "1e",
            "1e400",
            ".5e999",
            "1.2.3",
            "2001-13-01",
            "2001-02-29",
            "2001-12-14 21:59:43.10 -5",
            "1:60",
            "0b",
            "-",
            "+",
            ".",
            "._5",
            "2001-12-14T25:00:00Z",
            "ten",
            "0o",
            "99999999999999999999a",
        ];
        for s in plain {
            assert!(!needs_quotes(s), "{s:?} should be plain");
        }
    }
}
