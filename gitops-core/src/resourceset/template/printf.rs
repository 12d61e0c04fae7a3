//! `fmt.Sprintf` for the verbs templates use: `%s %v %d %q %t %x %X %o %b %c %f %e %g %T %%`
//! with flags `-+ 0#`, width and precision; wrong verbs and missing or extra arguments
//! print as Go prints them (`%!d(string=x)`, `%!s(MISSING)`, `%!(EXTRA int=1)`).

use super::funcs::go_quote;
use super::value::{V, go_float_g};

#[derive(Default)]
struct Spec {
    minus: bool,
    plus: bool,
    zero: bool,
    space: bool,
    sharp: bool,
    width: Option<usize>,
    prec: Option<usize>,
}

pub(crate) fn sprintf(format: &str, args: &[V]) -> Result<String, String> {
    let mut out = String::new();
    let mut argi = 0usize;
    let mut chars = format.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let mut sp = Spec::default();
        while let Some(&f) = chars.peek() {
            match f {
                '-' => sp.minus = true,
                '+' => sp.plus = true,
                '0' => sp.zero = true,
                ' ' => sp.space = true,
                '#' => sp.sharp = true,
                _ => break,
            }
            chars.next();
        }
        let num = |chars: &mut std::iter::Peekable<std::str::Chars>| {
            let mut n: Option<usize> = None;
            while let Some(d) = chars.peek().and_then(|c| c.to_digit(10)) {
                n = Some(
                    n.unwrap_or(0).saturating_mul(10).saturating_add(d as usize).min(1_000_000),
                );
                chars.next();
            }
            n
        };
        sp.width = num(&mut chars);
        if chars.peek() == Some(&'.') {
            chars.next();
            sp.prec = Some(num(&mut chars).unwrap_or(0));
        }
        let Some(verb) = chars.next() else {
            out.push_str("%!(NOVERB)");
            break;
        };
        if verb == '%' {
            out.push('%');
            continue;
        }
        let Some(a) = args.get(argi) else {
            out.push_str(&format!("%!{verb}(MISSING)"));
            continue;
        };
        argi += 1;
        let body = format_one(verb, a, &sp)?;
        let body = match body {
            Some(b) => b,
            None => {
                let shown = if matches!(a, V::Nil) {
                    "<nil>".to_string()
                } else {
                    format!("{}={}", a.type_name(), a.sprint()?)
                };
                out.push_str(&format!("%!{verb}({shown})"));
                continue;
            }
        };
        pad(
            &mut out,
            &body,
            &sp,
            matches!(verb, 'd' | 'f' | 'e' | 'g' | 'x' | 'X' | 'o' | 'b')
                && !matches!(a, V::Str(_)),
        );
    }
    if argi < args.len() {
        out.push_str("%!(EXTRA ");
        let extra: Result<Vec<String>, String> = args[argi..]
            .iter()
            .map(|a| {
                Ok(if matches!(a, V::Nil) {
                    "<nil>".to_string()
                } else {
                    format!("{}={}", a.type_name(), a.sprint()?)
                })
            })
            .collect();
        out.push_str(&extra?.join(", "));
        out.push(')');
    }
    Ok(out)
}

fn pad(out: &mut String, body: &str, sp: &Spec, numeric: bool) {
    let w = sp.width.unwrap_or(0);
    let n = body.chars().count();
    if n >= w {
        out.push_str(body);
    } else if sp.minus {
        out.push_str(body);
        out.push_str(&" ".repeat(w - n));
    } else if sp.zero && numeric {
        let (sign, rest) = match body.strip_prefix('-') {
            Some(r) => ("-", r),
            None => match body.strip_prefix('+') {
                Some(r) => ("+", r),
                None => ("", body),
            },
        };
        out.push_str(sign);
        out.push_str(&"0".repeat(w - n));
        out.push_str(rest);
    } else {
        out.push_str(&" ".repeat(w - n));
        out.push_str(body);
    }
}

fn sign(s: String, sp: &Spec) -> String {
    if s.starts_with('-') {
        s
    } else if sp.plus {
        format!("+{s}")
    } else if sp.space {
        format!(" {s}")
    } else {
        s
    }
}

fn format_one(verb: char, a: &V, sp: &Spec) -> Result<Option<String>, String> {
    Ok(Some(match (verb, a) {
        ('v', V::Float(f)) => sign(go_float_g(*f), sp),
        ('v', V::Int(i) | V::I64(i)) => sign(i.to_string(), sp),
        ('v', V::Nil) => "<nil>".into(),
        ('v', _) => a.sprint()?,
        ('T', _) => a.type_name().into(),
        ('s', V::Str(s)) => truncate(s, sp.prec),
        ('s', V::List(_) | V::Strs(_) | V::Map(_) | V::StrMap(_)) => a.sprint()?,
        ('q', V::Str(s)) => go_quote(&truncate(s, sp.prec)),
        ('q', V::Int(i) | V::I64(i)) => match char::from_u32(*i as u32) {
            Some(c) => format!("'{c}'"),
            None => return Ok(None),
        },
        ('t', V::Bool(b)) => b.to_string(),
        ('d', V::Int(i) | V::I64(i)) => sign(i.to_string(), sp),
        ('x', V::Int(i) | V::I64(i)) => int_radix(*i, 16, false, sp),
        ('X', V::Int(i) | V::I64(i)) => int_radix(*i, 16, true, sp),
        ('o', V::Int(i) | V::I64(i)) => int_radix(*i, 8, false, sp),
        ('b', V::Int(i) | V::I64(i)) => int_radix(*i, 2, false, sp),
        ('c', V::Int(i) | V::I64(i)) => char::from_u32(*i as u32).unwrap_or('\u{fffd}').to_string(),
        ('x', V::Str(s)) => s.bytes().map(|b| format!("{b:02x}")).collect(),
        ('X', V::Str(s)) => s.bytes().map(|b| format!("{b:02X}")).collect(),
        ('f' | 'F', V::Float(f)) => sign(format!("{:.*}", sp.prec.unwrap_or(6), f), sp),
        ('e', V::Float(f)) => sign(go_e(*f, sp.prec.unwrap_or(6)), sp),
        ('g', V::Float(f)) if sp.prec.is_none() => sign(go_float_g(*f), sp),
        _ => return Ok(None),
    }))
}

fn truncate(s: &str, prec: Option<usize>) -> String {
    match prec {
        Some(p) => s.chars().take(p).collect(),
        None => s.to_owned(),
    }
}

fn int_radix(i: i64, radix: u32, upper: bool, sp: &Spec) -> String {
    let mag = i.unsigned_abs();
    let mut s = match radix {
        16 if upper => format!("{mag:X}"),
        16 => format!("{mag:x}"),
        8 => format!("{mag:o}"),
        _ => format!("{mag:b}"),
    };
    if sp.sharp {
        s = match radix {
            16 if upper => format!("0X{s}"),
            16 => format!("0x{s}"),
            8 => format!("0{s}"),
            _ => s,
        };
    }
    sign(if i < 0 { format!("-{s}") } else { s }, sp)
}

fn go_e(f: f64, prec: usize) -> String {
    let s = format!("{:.*e}", prec, f);
    match s.split_once('e') {
        Some((m, e)) => {
            let (sg, d) = match e.strip_prefix('-') {
                Some(d) => ('-', d),
                None => ('+', e),
            };
            format!("{m}e{sg}{d:0>2}")
        }
        None => s,
    }
}
