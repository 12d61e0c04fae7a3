//! OpenPGP verification of Git commit and tag signatures against armored public keys, with
//! source-controller's messages (`fluxcd/pkg` `git/git.go` `verifySignature`, the
//! GitRepository reconciler's tag check).
//!
//! * A commit's signature is its `gpgsig` header; the signed data is the raw commit object
//!   with that header (and its continuation lines) removed, as `git verify-commit` does.
//! * A tag's signature is the trailing block from the last line that starts an armored
//!   signature; the signed data is everything before it (git's `parse_signed_buffer`).
//! * The result is the verifying key's primary key id as Flux prints it (16 upper-case hex
//!   digits), also when a signing subkey made the signature.
//!
//! ```no_run
//! # fn main() -> Result<(), gitops_core::verify::Error> {
//! let raw = std::fs::read("commit.raw").unwrap_or_default(); // `git cat-file commit HEAD`
//! let key = std::fs::read_to_string("key.asc").unwrap_or_default();
//! let ok = gitops_core::verify::verify_commit(&raw, &[key.as_str()])?;
//! println!("verified with key '{}'", ok.key_id);
//! # Ok(()) }
//! ```

use pgp::composed::{Deserializable, DetachedSignature, SignedPublicKey};
use pgp::types::KeyDetails;

/// What was signed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Object {
    /// A commit.
    Commit,
    /// An annotated tag.
    Tag,
}

impl std::fmt::Display for Object {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Object::Commit => "commit",
            Object::Tag => "tag",
        })
    }
}

/// Why no key verified a signature (Flux reports all of them with one message).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    /// No key in the key rings has the signature's issuer id.
    UnknownKey {
        /// The issuer key ids named by the signature (upper-case hex).
        issuers: Vec<String>,
    },
    /// A key with the issuer id exists but the signature does not verify (wrong data).
    BadSignature {
        /// The key id that was tried.
        key_id: String,
    },
    /// The signature block is not a parsable OpenPGP signature.
    Malformed(String),
    /// The signature is not OpenPGP (SSH or X.509).
    Unsupported,
}

/// Errors of signature verification; the texts are source-controller's.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A commit without a `gpgsig` header.
    #[error(
        "unable to verify Git commit: unable to verify payload as the provided signature is empty"
    )]
    CommitNotSigned,
    /// A tag without a signature block.
    #[error("cannot verify signature of tag '{tag}' since it is not signed")]
    TagNotSigned {
        /// The tag name (from the tag object's `tag` header).
        tag: String,
    },
    /// No key of any key ring verified the signature.
    #[error(
        "unable to verify Git {object}: unable to verify payload with any of the given key rings"
    )]
    NotVerified {
        /// Commit or tag.
        object: Object,
        /// The detail Flux does not print.
        reason: Reason,
    },
    /// A key ring is not armored OpenPGP public key material.
    #[error("unable to read armored key ring: key ring {index}: {message}")]
    KeyRing {
        /// The position of the key ring in the list.
        index: usize,
        /// The parser's message.
        message: String,
    },
}

/// A successful verification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    /// The primary key id of the verifying key, 16 upper-case hex digits (Flux's form).
    pub key_id: String,
    /// The primary key fingerprint, upper-case hex.
    pub fingerprint: String,
}

/// A raw object split into the signed bytes and the armored signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signed {
    /// The bytes the signature covers.
    pub payload: Vec<u8>,
    /// The armored signature, empty when the object is not signed.
    pub signature: String,
}

/// Split a raw commit object (`git cat-file commit <rev>`) into the data without the
/// `gpgsig` header and the signature (continuation lines unindented).
pub fn split_commit(raw: &[u8]) -> Signed {
    let mut payload = Vec::with_capacity(raw.len());
    let mut signature = String::new();
    let mut in_headers = true;
    let mut in_sig = false;
    for line in raw.split_inclusive(|&b| b == b'\n') {
        if in_headers {
            if line == b"\n" {
                in_headers = false;
                in_sig = false;
            } else if in_sig && line.first() == Some(&b' ') {
                signature.push_str(&String::from_utf8_lossy(&line[1..]));
                continue;
            } else if let Some(rest) = line.strip_prefix(b"gpgsig ") {
                in_sig = true;
                signature.push_str(&String::from_utf8_lossy(rest));
                continue;
            } else {
                in_sig = false;
            }
        }
        payload.extend_from_slice(line);
    }
    Signed { payload, signature }
}

const SIGNATURE_BEGINS: [&[u8]; 4] = [
    b"-----BEGIN PGP SIGNATURE-----",
    b"-----BEGIN PGP MESSAGE-----",
    b"-----BEGIN SIGNED MESSAGE-----",
    b"-----BEGIN SSH SIGNATURE-----",
];

/// Split a raw tag object (`git cat-file tag <name>`) at the last line that begins a
/// signature: (payload, signature).
pub fn split_tag(raw: &[u8]) -> Signed {
    let mut start = raw.len();
    let mut pos = 0;
    for line in raw.split_inclusive(|&b| b == b'\n') {
        if SIGNATURE_BEGINS.iter().any(|m| line.starts_with(m)) {
            start = pos;
        }
        pos += line.len();
    }
    Signed {
        payload: raw.get(..start).unwrap_or(raw).to_vec(),
        signature: String::from_utf8_lossy(raw.get(start..).unwrap_or_default()).into_owned(),
    }
}

/// The `tag <name>` header of a raw tag object.
pub fn tag_name(raw: &[u8]) -> String {
    raw.split(|&b| b == b'\n')
        .take_while(|l| !l.is_empty())
        .find_map(|l| l.strip_prefix(b"tag "))
        .map(|n| String::from_utf8_lossy(n).into_owned())
        .unwrap_or_default()
}

/// Verify a raw commit object's `gpgsig` signature against armored key rings.
pub fn verify_commit(raw: &[u8], key_rings: &[&str]) -> Result<Verified, Error> {
    let s = split_commit(raw);
    if s.signature.trim().is_empty() {
        return Err(Error::CommitNotSigned);
    }
    verify_signature(Object::Commit, &s.signature, &s.payload, key_rings)
}

/// Verify a raw annotated tag object's signature against armored key rings.
pub fn verify_tag(raw: &[u8], key_rings: &[&str]) -> Result<Verified, Error> {
    let s = split_tag(raw);
    if s.signature.trim().is_empty() {
        return Err(Error::TagNotSigned { tag: tag_name(raw) });
    }
    verify_signature(Object::Tag, &s.signature, &s.payload, key_rings)
}

fn hex_upper(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}

/// Verify an armored detached signature over `payload`: every key ring is read first (an
/// unreadable one is an error), then each key (primary and subkeys) named by the signature is
/// tried.
pub fn verify_signature(
    object: Object,
    signature: &str,
    payload: &[u8],
    key_rings: &[&str],
) -> Result<Verified, Error> {
    let not_verified = |reason| Error::NotVerified { object, reason };
    let mut keys: Vec<SignedPublicKey> = Vec::new();
    for (index, ring) in key_rings.iter().enumerate() {
        let (iter, _) = SignedPublicKey::from_armor_many(ring.as_bytes())
            .map_err(|e| Error::KeyRing { index, message: e.to_string() })?;
        for key in iter {
            keys.push(key.map_err(|e| Error::KeyRing { index, message: e.to_string() })?);
        }
    }
    if !signature.trim_start().starts_with("-----BEGIN PGP ") {
        return Err(not_verified(Reason::Unsupported));
    }
    let (sig, _) = DetachedSignature::from_string(signature)
        .map_err(|e| not_verified(Reason::Malformed(e.to_string())))?;
    let issuers: Vec<[u8; 8]> = sig
        .signature
        .issuer_key_id()
        .iter()
        .filter_map(|k| <[u8; 8]>::try_from(k.as_ref()).ok())
        .collect();
    let fp_issuers: Vec<Vec<u8>> =
        sig.signature.issuer_fingerprint().iter().map(|f| f.as_bytes().to_vec()).collect();
    let named = |id: &[u8], fp: &[u8]| {
        (issuers.is_empty() && fp_issuers.is_empty())
            || issuers.iter().any(|i| i.as_slice() == id)
            || fp_issuers.iter().any(|f| f.as_slice() == fp)
    };
    let mut tried: Option<String> = None;
    for key in &keys {
        let primary_id = hex_upper(key.primary_key.legacy_key_id().as_ref());
        let ok = |r: pgp::errors::Result<()>| r.is_ok();
        let pfp = key.primary_key.fingerprint();
        if named(key.primary_key.legacy_key_id().as_ref(), pfp.as_bytes()) {
            if ok(sig.verify(&key.primary_key, payload)) {
                return Ok(Verified { key_id: primary_id, fingerprint: hex_upper(pfp.as_bytes()) });
            }
            tried.get_or_insert_with(|| primary_id.clone());
        }
        for sub in &key.public_subkeys {
            let sfp = sub.key.fingerprint();
            if named(sub.key.legacy_key_id().as_ref(), sfp.as_bytes()) {
                if ok(sig.verify(&sub.key, payload)) {
                    return Ok(Verified {
                        key_id: primary_id,
                        fingerprint: hex_upper(pfp.as_bytes()),
                    });
                }
                tried.get_or_insert_with(|| hex_upper(sub.key.legacy_key_id().as_ref()));
            }
        }
    }
    Err(not_verified(match tried {
        Some(key_id) => Reason::BadSignature { key_id },
        None => Reason::UnknownKey { issuers: issuers.iter().map(|i| hex_upper(i)).collect() },
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_commit_table() {
        let raw = b"tree t\nparent p\nauthor a\ncommitter c\ngpgsig -----BEGIN PGP SIGNATURE-----\n \n abc\n -----END PGP SIGNATURE-----\nmergetag object x\n type commit\n\nmsg\ngpgsig not a header\n";
        let s = split_commit(raw);
        assert_eq!(
            s.payload,
            b"tree t\nparent p\nauthor a\ncommitter c\nmergetag object x\n type commit\n\nmsg\ngpgsig not a header\n"
        );
        assert_eq!(
            s.signature,
            "-----BEGIN PGP SIGNATURE-----\n\nabc\n-----END PGP SIGNATURE-----\n"
        );
        let unsigned = split_commit(b"tree t\n\nm\n");
        assert_eq!(unsigned.signature, "");
        assert_eq!(unsigned.payload, b"tree t\n\nm\n");
    }

    #[test]
    fn split_tag_table() {
        let raw = b"object o\ntype commit\ntag v1\ntagger t\n\nmsg\n-----BEGIN PGP SIGNATURE-----\nx\n-----END PGP SIGNATURE-----\n";
        let s = split_tag(raw);
        assert_eq!(s.payload, b"object o\ntype commit\ntag v1\ntagger t\n\nmsg\n");
        assert!(s.signature.starts_with("-----BEGIN PGP SIGNATURE-----"));
        assert_eq!(tag_name(raw), "v1");
        let plain = split_tag(b"object o\ntag v2\n\nmsg\n");
        assert_eq!(plain.signature, "");
        assert!(
            matches!(verify_tag(b"object o\ntag v2\n\nmsg\n", &[]), Err(Error::TagNotSigned { tag }) if tag == "v2")
        );
        assert_eq!(
            verify_tag(b"object o\ntag v2\n\nmsg\n", &[]).map_err(|e| e.to_string()),
            Err("cannot verify signature of tag 'v2' since it is not signed".to_string())
        );
    }
}
