//! `gitops images tags --docker-config`: how a Docker config JSON is read. These cases
//! fail before any request; listing against real registries (anonymous, basic, token auth
//! and paging) is tested in tests/tests/registry_tags.rs, and scripts/registry-tests.sh
//! runs this command against the token-auth registry.

use std::process::Command;

fn run(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_gitops"))
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("run gitops: {e}"));
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn docker_config_errors() {
    let dir = std::env::temp_dir().join(format!("gitops-cli-tags-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let write = |name: &str, text: &str| {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap_or_else(|e| panic!("{e}"));
        path.display().to_string()
    };
    let other = write("other.json", r#"{"auths":{"https://index.docker.io/v1/":{"auth":"eDp5"}}}"#);
    let bad = write("bad.json", r#"{"auths":{"127.0.0.1:9":{"auth":"%%"}}}"#);
    let missing = dir.join("missing.json").display().to_string();
    let cases = [
        (other.as_str(), format!("{other}: auth for \"127.0.0.1:9\" not found")),
        (bad.as_str(), format!("{bad}: auth for \"127.0.0.1:9\": \"auth\" is not valid base64")),
    ];
    for (config, want) in cases {
        let (code, stdout, stderr) =
            run(&["images", "tags", "--docker-config", config, "127.0.0.1:9/team/app"]);
        assert_ne!(code, 0);
        assert_eq!(stdout, "");
        assert!(stderr.contains(&want), "{stderr}");
        assert!(!stderr.contains("eDp5") && !stderr.contains("x:y"), "secret in {stderr}");
    }
    let (code, _, stderr) =
        run(&["images", "tags", "--docker-config", &missing, "127.0.0.1:9/team/app"]);
    assert_ne!(code, 0);
    assert!(stderr.contains(&format!("reading {missing}: ")), "{stderr}");
    // --username and --docker-config exclude each other.
    let (code, _, stderr) = run(&[
        "images",
        "tags",
        "--docker-config",
        &other,
        "--username",
        "u",
        "--password-stdin",
        "127.0.0.1:9/a",
    ]);
    assert_ne!(code, 0, "{stderr}");
    assert!(stderr.contains("cannot be used with"), "{stderr}");
    let _ = std::fs::remove_dir_all(&dir);
}
