//! OpenPGP verification of real Git commits and tags: keys and signatures are made by the
//! system `gpg` and `git` at test time (GNUPGHOME in a temp dir); skipped when gpg is absent.
#![cfg(feature = "pgp")]

use gitops_core::verify::{self, Error, Object, Reason};
use std::path::{Path, PathBuf};
use std::process::Command;

struct Env {
    dir: PathBuf,
}

impl Drop for Env {
    fn drop(&mut self) {
        let _ = Command::new("gpgconf")
            .arg("--kill")
            .arg("all")
            .env("GNUPGHOME", self.gnupg())
            .status();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

impl Env {
    fn new(name: &str) -> Option<Env> {
        if Command::new("gpg").arg("--version").output().is_err() {
            eprintln!("skipping: gpg is not installed");
            return None;
        }
        let dir = std::env::temp_dir().join(format!("gitops-verify-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("gnupg")).unwrap();
        std::fs::create_dir_all(dir.join("repo")).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(dir.join("gnupg"), std::fs::Permissions::from_mode(0o700))
                .unwrap();
        }
        let env = Env { dir };
        env.git(&["init", "-q", "-b", "main"]);
        env.git(&["config", "user.name", "Alice"]);
        env.git(&["config", "user.email", "alice@example.com"]);
        env.git(&["config", "commit.gpgsign", "false"]);
        Some(env)
    }

    fn gnupg(&self) -> PathBuf {
        self.dir.join("gnupg")
    }

    fn repo(&self) -> PathBuf {
        self.dir.join("repo")
    }

    fn run(&self, prog: &str, args: &[&str], cwd: &Path) -> Vec<u8> {
        let out = Command::new(prog)
            .args(args)
            .current_dir(cwd)
            .env("GNUPGHOME", self.gnupg())
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("HOME", &self.dir)
            .output()
            .unwrap();
        assert!(out.status.success(), "{prog} {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        out.stdout
    }

    fn gpg(&self, args: &[&str]) -> Vec<u8> {
        let mut all = vec!["--batch", "--pinentry-mode", "loopback", "--passphrase", ""];
        all.extend_from_slice(args);
        self.run("gpg", &all, &self.dir)
    }

    fn git(&self, args: &[&str]) -> Vec<u8> {
        self.run("git", args, &self.repo())
    }

    /// Generate a key; returns (primary key id, armored public key).
    fn key(&self, uid: &str, algo: &str) -> (String, String) {
        self.gpg(&["--quick-gen-key", uid, algo, "sign", "never"]);
        let listing = String::from_utf8(self.gpg(&["--with-colons", "--list-keys", uid])).unwrap();
        let id = listing
            .lines()
            .find(|l| l.starts_with("pub:"))
            .and_then(|l| l.split(':').nth(4))
            .unwrap()
            .to_string();
        let armored = String::from_utf8(self.gpg(&["--armor", "--export", &id])).unwrap();
        (id, armored)
    }

    fn commit(&self, file: &str, sign_with: Option<&str>) -> Vec<u8> {
        std::fs::write(self.repo().join(file), file).unwrap();
        self.git(&["add", file]);
        match sign_with {
            Some(k) => self.git(&["commit", "-q", &format!("-S{k}"), "-m", &format!("add {file}")]),
            None => self.git(&["commit", "-q", "-m", &format!("add {file}")]),
        };
        self.git(&["cat-file", "commit", "HEAD"])
    }
}

#[test]
fn commits_signed_unsigned_other_key_tampered() {
    let Some(env) = Env::new("commit") else { return };
    let (alice, alice_pub) = env.key("Alice <alice@example.com>", "ed25519");
    let (bob, bob_pub) = env.key("Bob <bob@example.com>", "ed25519");
    assert_ne!(alice, bob);

    let signed = env.commit("a.yaml", Some(&alice));
    assert!(String::from_utf8_lossy(&signed).contains("\ngpgsig -----BEGIN PGP SIGNATURE-----"));
    let ok = verify::verify_commit(&signed, &[&alice_pub]).unwrap();
    assert_eq!(ok.key_id, alice);
    assert_eq!(ok.key_id.len(), 16);
    // Any key ring of several may verify; a ring may hold several keys.
    let both = String::from_utf8(env.gpg(&["--armor", "--export", &bob, &alice])).unwrap();
    assert_eq!(verify::verify_commit(&signed, &[&bob_pub, &both]).unwrap().key_id, alice);

    // Signed by a key that is not given.
    let err = verify::verify_commit(&signed, &[&bob_pub]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "unable to verify Git commit: unable to verify payload with any of the given key rings"
    );
    assert!(
        matches!(&err, Error::NotVerified { object: Object::Commit, reason: Reason::UnknownKey { issuers } } if issuers.contains(&alice)),
        "{err:?}"
    );
    // No key ring at all.
    assert!(matches!(verify::verify_commit(&signed, &[]), Err(Error::NotVerified { .. })));

    // Tampered: the message changed after signing.
    let text = String::from_utf8(signed.clone()).unwrap();
    let tampered = text.replace("add a.yaml", "add b.yaml");
    assert_ne!(tampered, text);
    let err = verify::verify_commit(tampered.as_bytes(), &[&alice_pub]).unwrap_err();
    assert!(
        matches!(&err, Error::NotVerified { reason: Reason::BadSignature { .. }, .. }),
        "{err:?}"
    );

    // Unsigned.
    let unsigned = env.commit("b.yaml", None);
    let err = verify::verify_commit(&unsigned, &[&alice_pub]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "unable to verify Git commit: unable to verify payload as the provided signature is empty"
    );

    // Not a key ring.
    let err = verify::verify_commit(&signed, &["not a key"]).unwrap_err();
    assert!(err.to_string().starts_with("unable to read armored key ring: "), "{err}");
}

#[test]
fn tags_signed_and_unsigned() {
    let Some(env) = Env::new("tag") else { return };
    let (alice, alice_pub) = env.key("Alice <alice@example.com>", "ed25519");
    let (_, bob_pub) = env.key("Bob <bob@example.com>", "ed25519");
    env.commit("a.yaml", None);
    env.git(&["tag", "-s", "-u", &alice, "v1.0.0", "-m", "release v1.0.0"]);
    env.git(&["tag", "-a", "v0.9.0", "-m", "plain"]);
    let signed = env.git(&["cat-file", "tag", "v1.0.0"]);
    let plain = env.git(&["cat-file", "tag", "v0.9.0"]);

    assert_eq!(verify::verify_tag(&signed, &[&alice_pub]).unwrap().key_id, alice);
    let err = verify::verify_tag(&signed, &[&bob_pub]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "unable to verify Git tag: unable to verify payload with any of the given key rings"
    );
    let err = verify::verify_tag(&plain, &[&alice_pub]).unwrap_err();
    assert_eq!(err.to_string(), "cannot verify signature of tag 'v0.9.0' since it is not signed");

    let text = String::from_utf8(signed).unwrap();
    let tampered = text.replace("release v1.0.0", "release v6.6.6");
    let err = verify::verify_tag(tampered.as_bytes(), &[&alice_pub]).unwrap_err();
    assert!(matches!(
        err,
        Error::NotVerified { object: Object::Tag, reason: Reason::BadSignature { .. } }
    ));
    // The split matches what git itself verifies: payload ends where the signature begins.
    let s = verify::split_tag(text.as_bytes());
    assert!(s.payload.ends_with(b"release v1.0.0\n"));
    assert!(s.signature.trim_end().ends_with("-----END PGP SIGNATURE-----"));
}

#[test]
fn rsa_key_and_signing_subkey_report_the_primary_key_id() {
    let Some(env) = Env::new("subkey") else { return };
    let (rsa, rsa_pub) = env.key("Carol <carol@example.com>", "rsa2048");
    let signed = env.commit("rsa.yaml", Some(&rsa));
    assert_eq!(verify::verify_commit(&signed, &[&rsa_pub]).unwrap().key_id, rsa);

    let (dave, _) = env.key("Dave <dave@example.com>", "ed25519");
    let listing = String::from_utf8(env.gpg(&["--with-colons", "--list-keys", &dave])).unwrap();
    let fpr = listing
        .lines()
        .find(|l| l.starts_with("fpr:"))
        .and_then(|l| l.split(':').nth(9))
        .unwrap()
        .to_string();
    env.gpg(&["--quick-add-key", &fpr, "ed25519", "sign", "never"]);
    let dave_pub = String::from_utf8(env.gpg(&["--armor", "--export", &dave])).unwrap();
    // `KEYID` without `!` lets gpg pick the newest signing subkey.
    let signed = env.commit("sub.yaml", Some(&dave));
    let ok = verify::verify_commit(&signed, &[&dave_pub]).unwrap();
    assert_eq!(ok.key_id, dave);
    assert_eq!(ok.fingerprint, fpr);
}
