//! `gitops images tags IMAGE`: list a repository's tags from an OCI registry, one per
//! line (thin layer over `gitops_core::registry`), so the output pipes into
//! `gitops images select --tags -`.

use std::time::Duration;

use gitops_core::registry::{Credentials, Options, Reference, dockerconfig, list_tags};

/// The arguments of `gitops images tags`.
#[derive(clap::Args)]
pub struct TagsArgs {
    /// The image (`[registry[:port]/]path/name[:tag]`); its tag is ignored.
    pub image: String,
    /// The registry username (with `--password-stdin`).
    #[arg(long, conflicts_with = "docker_config")]
    pub username: Option<String>,
    /// Take the credentials from a Docker config JSON (`~/.docker/config.json`, or the
    /// `.dockerconfigjson` of the Secret a Flux ImageRepository's `secretRef` names): the
    /// `auths` entry of the image's registry (`auth`, `username`/`password` or
    /// `registrytoken`).
    #[arg(long, value_name = "PATH")]
    pub docker_config: Option<std::path::PathBuf>,
    /// Read the password (or token) from the first line of stdin.
    #[arg(long, requires = "username")]
    pub password_stdin: bool,
    /// Ask the registry for pages of this many tags (`?n=`).
    #[arg(long, value_name = "N")]
    pub page_size: Option<u32>,
    /// Use plain http:// for a registry that is not on a loopback address.
    #[arg(long)]
    pub insecure: bool,
    /// Timeout of each request, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 30)]
    pub timeout: u64,
}

/// Run `gitops images tags`; the error is printed by the caller.
pub fn run(args: TagsArgs) -> Result<(), String> {
    let image = Reference::parse(&args.image).map_err(|e| e.to_string())?;
    let credentials = match (args.username, args.password_stdin) {
        (Some(username), true) => {
            let mut line = String::new();
            std::io::stdin()
                .read_line(&mut line)
                .map_err(|e| format!("reading the password from stdin: {e}"))?;
            let password = line.trim_end_matches(['\r', '\n']).to_string();
            if password.is_empty() {
                return Err("--password-stdin: stdin gave an empty password".to_string());
            }
            Credentials::Basic { username, password }
        }
        (Some(_), false) => {
            return Err(
                "--username needs --password-stdin (the password is read from stdin)".to_string()
            );
        }
        (None, _) => match &args.docker_config {
            Some(path) => {
                let config =
                    std::fs::read(path).map_err(|e| format!("reading {}: {e}", path.display()))?;
                dockerconfig::credentials(&config, &image)
                    .map_err(|e| format!("{}: {e}", path.display()))?
            }
            None => Credentials::Anonymous,
        },
    };
    let options = Options {
        credentials,
        page_size: args.page_size,
        insecure: args.insecure,
        timeout: Duration::from_secs(args.timeout.max(1)),
        ..Options::default()
    };
    let tags = list_tags(&image, &options).map_err(|e| e.to_string())?;
    let mut text = String::with_capacity(tags.len() * 16);
    for tag in &tags {
        text.push_str(tag);
        text.push('\n');
    }
    super::write_stdout(&text).map_err(|e| e.to_string())
}
