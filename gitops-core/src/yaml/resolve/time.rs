//! Timestamps as go-yaml recognises them (Go's `time.Parse` with four layouts) and as
//! `encoding/json` prints the resulting `time.Time` (RFC 3339 with nanoseconds).

/// A parsed timestamp, fields as written (Go keeps the written offset as the zone).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Timestamp {
    year: u32,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
    nanos: u32,
    /// Offset east of UTC in seconds; `0` for `Z` and for timestamps with no zone.
    offset: i32,
}

/// Up to two digits, as Go's `getnum(s, false)`.
fn num(s: &[u8], i: &mut usize) -> Option<u32> {
    let d0 = *s.get(*i).filter(|c| c.is_ascii_digit())?;
    *i += 1;
    let mut n = u32::from(d0 - b'0');
    if let Some(d1) = s.get(*i).filter(|c| c.is_ascii_digit()) {
        n = n * 10 + u32::from(d1 - b'0');
        *i += 1;
    }
    Some(n)
}

fn expect(s: &[u8], i: &mut usize, c: u8) -> Option<()> {
    (s.get(*i) == Some(&c)).then(|| *i += 1)
}

fn days_in(month: u32, year: u32) -> u32 {
    match month {
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// go-yaml's `parseTimestamp`: four digits and `-` first, then one of the layouts
/// `2006-1-2T15:4:5.999999999Z07:00` (also with `t`), `2006-1-2 15:4:5.999999999`,
/// `2006-1-2`.
pub(crate) fn parse_timestamp(text: &str) -> Option<Timestamp> {
    let s = text.as_bytes();
    if s.len() < 5 || !s.iter().take(4).all(u8::is_ascii_digit) || s.get(4) != Some(&b'-') {
        return None;
    }
    let year = text.get(..4)?.parse().ok()?;
    let mut i = 5;
    let month = num(s, &mut i)?;
    expect(s, &mut i, b'-')?;
    let day = num(s, &mut i)?;
    if !(1..=12).contains(&month) || day < 1 || day > days_in(month, year) {
        return None;
    }
    let mut t = Timestamp { year, month, day, hour: 0, minute: 0, second: 0, nanos: 0, offset: 0 };
    let zoned = match s.get(i) {
        None => return Some(t),
        Some(b'T' | b't') => {
            i += 1;
            true
        }
        Some(b' ') => {
            while s.get(i) == Some(&b' ') {
                i += 1;
            }
            false
        }
        Some(_) => return None,
    };
    t.hour = num(s, &mut i)?;
    expect(s, &mut i, b':')?;
    t.minute = num(s, &mut i)?;
    expect(s, &mut i, b':')?;
    t.second = num(s, &mut i)?;
    if t.hour >= 24 || t.minute >= 60 || t.second >= 60 {
        return None;
    }
    if matches!(s.get(i), Some(b'.' | b',')) && s.get(i + 1).is_some_and(u8::is_ascii_digit) {
        i += 1;
        let start = i;
        while s.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        let digits = s.get(start..i)?;
        let mut nanos = 0u32;
        for k in 0..9 {
            nanos = nanos * 10 + digits.get(k).map_or(0, |d| u32::from(d - b'0'));
        }
        t.nanos = nanos;
    }
    if zoned {
        match s.get(i) {
            Some(b'Z') => i += 1,
            Some(&sign @ (b'+' | b'-')) => {
                let z = s.get(i + 1..i + 6)?;
                if z.get(2) != Some(&b':') {
                    return None;
                }
                let two = |a: usize| -> Option<i32> {
                    let (h, l) = (*z.get(a)?, *z.get(a + 1)?);
                    (h.is_ascii_digit() && l.is_ascii_digit())
                        .then(|| i32::from(h - b'0') * 10 + i32::from(l - b'0'))
                };
                let (hh, mm) = (two(0)?, two(3)?);
                if hh > 24 || mm > 60 {
                    return None;
                }
                let off = (hh * 60 + mm) * 60;
                t.offset = if sign == b'-' { -off } else { off };
                i += 6;
            }
            _ => return None,
        }
    }
    (i == s.len()).then_some(t)
}

impl Timestamp {
    /// The text `encoding/json` prints for the `time.Time` (RFC 3339, nanoseconds with
    /// trailing zeros dropped, `Z` for a zero offset); `None` where Go's `MarshalJSON`
    /// fails (a zone offset of 24 hours or more).
    pub(crate) fn to_rfc3339(self) -> Option<String> {
        let mut out = format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        );
        if self.nanos > 0 {
            let frac = format!("{:09}", self.nanos);
            out.push('.');
            out.push_str(frac.trim_end_matches('0'));
        }
        if self.offset == 0 {
            out.push('Z');
        } else {
            let abs = self.offset.unsigned_abs();
            let (h, m) = (abs / 3600, abs % 3600 / 60);
            if h >= 24 {
                return None;
            }
            out.push(if self.offset < 0 { '-' } else { '+' });
            out.push_str(&format!("{h:02}:{m:02}"));
        }
        Some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        let cases: &[(&str, Option<&str>)] = &[
            ("2001-12-14", Some("2001-12-14T00:00:00Z")),
            ("2001-1-2", Some("2001-01-02T00:00:00Z")),
            ("2001-12-14t21:59:43.10-05:00", Some("2001-12-14T21:59:43.1-05:00")),
            ("2001-12-14T21:59:43Z", Some("2001-12-14T21:59:43Z")),
            ("2001-12-14T21:59:43+00:00", Some("2001-12-14T21:59:43Z")),
            ("2001-12-14 21:59:43.123456789123", Some("2001-12-14T21:59:43.123456789Z")),
            ("2001-12-14  1:2:3", Some("2001-12-14T01:02:03Z")),
            ("2001-12-14 21:59:43,5", Some("2001-12-14T21:59:43.5Z")),
            ("2001-12-14T21:59:43", None),
            ("2001-12-14 21:59:43 -5", None),
            ("2001-02-29", None),
            ("2000-02-29", Some("2000-02-29T00:00:00Z")),
            ("2001-13-01", None),
            ("2001-12-14T24:00:00Z", None),
            ("20011-12-14", None),
            ("2001-12-14x", None),
        ];
        for (text, want) in cases {
            let got = parse_timestamp(text).and_then(Timestamp::to_rfc3339);
            assert_eq!(got.as_deref(), *want, "{text}");
        }
    }
}
