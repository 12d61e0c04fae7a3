//! A tiny JSON writer that produces the bytes Go's `encoding/json.Marshal` produces.
//!
//! Only what the notification payloads need: objects written field by field in the
//! order the Go structs declare them, strings escaped exactly as Go escapes them.
//! Go differs from `serde_json` in three ways that change the HMAC signature:
//! `<`, `>` and `&` become `\u003c`, `\u003e`, `\u0026`; U+2028 and U+2029 become
//! `\u2028` and `\u2029`; and (since Go 1.22) backspace and form feed are `\b`, `\f`.

/// Appends `s` as a JSON string literal (with the quotes), escaped like Go.
pub(crate) fn push_str(out: &mut Vec<u8>, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push(b'"');
    for c in s.chars() {
        match c {
            '"' => out.extend_from_slice(b"\\\""),
            '\\' => out.extend_from_slice(b"\\\\"),
            '\n' => out.extend_from_slice(b"\\n"),
            '\r' => out.extend_from_slice(b"\\r"),
            '\t' => out.extend_from_slice(b"\\t"),
            '\u{8}' => out.extend_from_slice(b"\\b"),
            '\u{c}' => out.extend_from_slice(b"\\f"),
            '<' | '>' | '&' | '\u{0}'..='\u{1f}' => {
                let b = c as u32;
                out.extend_from_slice(b"\\u00");
                out.push(HEX[((b >> 4) & 0xf) as usize]);
                out.push(HEX[(b & 0xf) as usize]);
            }
            '\u{2028}' => out.extend_from_slice(b"\\u2028"),
            '\u{2029}' => out.extend_from_slice(b"\\u2029"),
            _ => {
                let mut buf = [0u8; 4];
                out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            }
        }
    }
    out.push(b'"');
}

/// Writes one JSON object, tracking whether a comma is needed.
pub(crate) struct Obj<'a> {
    out: &'a mut Vec<u8>,
    first: bool,
}

impl<'a> Obj<'a> {
    /// Opens an object (`{`).
    pub(crate) fn open(out: &'a mut Vec<u8>) -> Obj<'a> {
        out.push(b'{');
        Obj { out, first: true }
    }

    /// Writes `"key":` and returns the buffer for the value.
    pub(crate) fn key(&mut self, key: &str) -> &mut Vec<u8> {
        if !self.first {
            self.out.push(b',');
        }
        self.first = false;
        push_str(self.out, key);
        self.out.push(b':');
        self.out
    }

    /// A string field.
    pub(crate) fn str(&mut self, key: &str, value: &str) {
        let out = self.key(key);
        push_str(out, value);
    }

    /// A string field left out when empty (Go's `omitempty`).
    pub(crate) fn str_omitempty(&mut self, key: &str, value: &str) {
        if !value.is_empty() {
            self.str(key, value);
        }
    }

    /// A raw (already encoded) field value.
    pub(crate) fn raw(&mut self, key: &str, value: &[u8]) {
        let out = self.key(key);
        out.extend_from_slice(value);
    }

    /// A boolean field.
    pub(crate) fn bool(&mut self, key: &str, value: bool) {
        self.raw(key, if value { b"true" } else { b"false" });
    }

    /// Closes the object (`}`).
    pub(crate) fn close(self) {
        self.out.push(b'}');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_like_go() {
        let cases: &[(&str, &str)] = &[
            ("plain", r#""plain""#),
            ("a<b>&c", r#""a\u003cb\u003e\u0026c""#),
            ("q\"b\\s", r#""q\"b\\s""#),
            ("l1\nl2\r\t", r#""l1\nl2\r\t""#),
            ("\u{8}\u{c}", r#""\b\f""#),
            ("\u{0}\u{1f}\u{7f}", "\"\\u0000\\u001f\u{7f}\""),
            ("\u{2028}\u{2029}", r#""\u2028\u2029""#),
            ("é✓😀", "\"é✓😀\""),
            ("/", r#""/""#),
        ];
        for (input, want) in cases {
            let mut out = Vec::new();
            push_str(&mut out, input);
            assert_eq!(String::from_utf8_lossy(&out), *want, "input {input:?}");
        }
    }

    #[test]
    fn object_fields_and_omitempty() {
        let mut out = Vec::new();
        let mut o = Obj::open(&mut out);
        o.str("a", "x");
        o.str_omitempty("b", "");
        o.str_omitempty("c", "y");
        o.bool("d", false);
        o.close();
        assert_eq!(out, br#"{"a":"x","c":"y","d":false}"#);
    }
}
