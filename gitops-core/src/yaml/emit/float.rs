//! Go's float formatting, as far as go-yaml v2 and `encoding/json` use it.
//!
//! Both start from the shortest decimal digits that read back to the same `f64` (Rust's
//! `{:e}` gives exactly those), then lay them out as Go does:
//! * `strconv.FormatFloat(f, 'g', -1, 64)` (v2's encoder): exponent form when the decimal
//!   exponent is < -4 or >= 6 (`1e+06`, `1.5e-07`), otherwise positional (`123456`, `0.0001`).
//! * `encoding/json`: positional (`'f'`) unless |f| < 1e-6 or |f| >= 1e21, then `'e'` with
//!   a one-digit negative exponent cleaned up (`1e-07` → `1e-7`).

use std::fmt::Write as _;

/// Shortest round-trip digits of a finite, non-negative `f`: `(digits, dp)` with the value
/// equal to `0.digits × 10^dp`. Zero gives `("", 0)` as Go's decimal does.
fn shortest(f: f64, scratch: &mut String) -> (usize, i32) {
    scratch.clear();
    if f == 0.0 {
        return (0, 0);
    }
    // "d.ddddde±x" (Rust prints "1e21", "1.5e-7").
    let _ = write!(scratch, "{:e}", f);
    let (mant, exp) = scratch.split_once('e').unwrap_or((scratch.as_str(), "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let mut digits = String::with_capacity(mant.len());
    digits.extend(mant.chars().filter(char::is_ascii_digit));
    let nd = digits.len();
    scratch.clear();
    scratch.push_str(&digits);
    (nd, exp + 1)
}

fn push_exp(out: &mut String, exp: i32, min_two: bool) {
    out.push(if exp < 0 { '-' } else { '+' });
    let e = exp.unsigned_abs();
    if min_two && e < 10 {
        out.push('0');
    }
    let _ = write!(out, "{e}");
}

fn fmt_e(out: &mut String, digits: &str, dp: i32, min_two: bool) {
    let mut chars = digits.chars();
    out.push(chars.next().unwrap_or('0'));
    let rest = chars.as_str();
    if !rest.is_empty() {
        out.push('.');
        out.push_str(rest);
    }
    out.push('e');
    let exp = if digits.is_empty() { 0 } else { dp - 1 };
    push_exp(out, exp, min_two);
}

fn fmt_f(out: &mut String, digits: &str, dp: i32) {
    let nd = digits.len() as i32;
    if dp <= 0 {
        out.push('0');
    } else if dp >= nd {
        out.push_str(digits);
        for _ in nd..dp {
            out.push('0');
        }
    } else {
        out.push_str(&digits[..dp as usize]);
    }
    let decimals = (nd - dp).max(0);
    if decimals > 0 {
        out.push('.');
        for i in 0..decimals {
            let idx = dp + i;
            if idx < 0 {
                out.push('0');
            } else {
                out.push_str(&digits[idx as usize..idx as usize + 1]);
            }
        }
    }
}

/// Append `strconv.FormatFloat(f, 'g', -1, 64)` mapped as v2 does (`.inf`, `-.inf`, `.nan`).
pub(super) fn push_yaml_float(out: &mut String, f: f64, scratch: &mut String) {
    if f.is_nan() {
        out.push_str(".nan");
        return;
    }
    if f.is_infinite() {
        out.push_str(if f > 0.0 { ".inf" } else { "-.inf" });
        return;
    }
    if f.is_sign_negative() {
        out.push('-');
    }
    let (_, dp) = shortest(f.abs(), scratch);
    let exp = dp - 1;
    if !scratch.is_empty() && !(-4..6).contains(&exp) {
        fmt_e(out, scratch, dp, true);
    } else {
        fmt_f(out, scratch, dp);
    }
}

/// `encoding/json`'s text for a finite float (`None` for NaN and infinities, which it
/// rejects).
pub(super) fn json_float_text(f: f64) -> Option<String> {
    if !f.is_finite() {
        return None;
    }
    let mut scratch = String::new();
    let mut out = String::new();
    if f.is_sign_negative() {
        out.push('-');
    }
    let abs = f.abs();
    let (_, dp) = shortest(abs, &mut scratch);
    if abs != 0.0 && !(1e-6..1e21).contains(&abs) {
        fmt_e(&mut out, &scratch, dp, false);
    } else {
        fmt_f(&mut out, &scratch, dp);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_g_format_table() {
        let cases: &[(f64, &str)] = &[
            (0.0, "0"),
            (-0.0, "-0"),
            (1.0, "1"),
            (0.1, "0.1"),
            (0.5, "0.5"),
            (100000.0, "100000"),
            (123456.0, "123456"),
            (1e6, "1e+06"),
            (1000000.5, "1.0000005e+06"),
            (123456789.123, "1.23456789123e+08"),
            (1e20, "1e+20"),
            (1e21, "1e+21"),
            (1e100, "1e+100"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (1e-7, "1e-07"),
            (1.5e-7, "1.5e-07"),
            (5e-324, "5e-324"),
            (1.7976931348623157e308, "1.7976931348623157e+308"),
            (-2.5, "-2.5"),
            (f64::INFINITY, ".inf"),
            (f64::NEG_INFINITY, "-.inf"),
            (f64::NAN, ".nan"),
        ];
        let mut scratch = String::new();
        for &(f, want) in cases {
            let mut out = String::new();
            push_yaml_float(&mut out, f, &mut scratch);
            assert_eq!(out, want, "{f:e}");
        }
    }

    #[test]
    fn json_format_table() {
        let cases: &[(f64, &str)] = &[
            (0.0, "0"),
            (-0.0, "-0"),
            (1.0, "1"),
            (1.5, "1.5"),
            (1e20, "100000000000000000000"),
            (1e21, "1e+21"),
            (1e-6, "0.000001"),
            (1e-7, "1e-7"),
            (1.5e-10, "1.5e-10"),
            (123456789.123, "123456789.123"),
            (1152921504606846976.0, "1152921504606847000"),
            (5e-324, "5e-324"),
        ];
        for &(f, want) in cases {
            assert_eq!(json_float_text(f).as_deref(), Some(want), "{f:e}");
        }
        assert_eq!(json_float_text(f64::NAN), None);
    }
}
