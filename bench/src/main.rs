//! `gitops-bench`: the project's benchmark binary (no timed tests anywhere else).
//!
//! ```text
//! gitops-bench yaml  [--mb 20] [--runs 5]                     parse / resolve / emit throughput, MB/s
//! gitops-bench images [--tags 100000] [--files 5000] [--runs 5]  image policy selection, setters
//! gitops-bench build --gitops PATH --kustomize PATH  [--sizes 100,750,1500,3000] [--runs 3]
//! ```
//!
//! `build` generates the same inputs for both tools in a temporary directory and runs each
//! tool as a process (process start included), so the ratio is what a user sees.
#![deny(missing_docs, unsafe_code)]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use gitops_core::yaml::{self, Limits, Profile};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("yaml") => bench_yaml(&args[1..]),
        Some("build") => bench_build(&args[1..]),
        Some("images") => bench_images(&args[1..]),
        _ => Err("usage: gitops-bench yaml [--mb N] | build --gitops PATH --kustomize PATH [--sizes a,b] [--runs N]".into()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("Error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn flag<'a>(args: &'a [String], name: &str) -> Option<&'a str> {
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).map(String::as_str)
}

/// One CustomResourceDefinition-like document with a deep schema, about 6 KB.
fn crd_doc(i: usize) -> String {
    let mut s = String::new();
    let _ = write!(
        s,
        "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: widgets{i}.example.com\n  labels:\n    app.kubernetes.io/name: widgets\n    app.kubernetes.io/version: \"1.{i}.0\"\n  annotations:\n    controller-gen.kubebuilder.io/version: v0.16.1\nspec:\n  group: example.com\n  names:\n    kind: Widget{i}\n    listKind: Widget{i}List\n    plural: widgets{i}\n    singular: widget{i}\n  scope: Namespaced\n  versions:\n  - name: v1\n    served: true\n    storage: true\n    schema:\n      openAPIV3Schema:\n        description: Widget is the Schema for the widgets API. It carries a long description that the emitter must fold at eighty columns like go-yaml v2 does.\n        type: object\n        properties:\n"
    );
    for f in 0..12 {
        let _ = write!(
            s,
            "          field{f}:\n            description: |-\n              Field {f} of the widget.\n              Defaults to \"on\" when unset; see https://example.com/docs#field{f}.\n            type: object\n            properties:\n              enabled:\n                type: boolean\n                default: false\n              replicas:\n                type: integer\n                format: int32\n                minimum: 0\n                maximum: 1000\n              selector:\n                type: object\n                additionalProperties:\n                  type: string\n              items:\n                type: array\n                items:\n                  type: object\n                  required: [name, port]\n                  properties:\n                    name: {{type: string, maxLength: 63}}\n                    port: {{type: integer, format: int32}}\n                    ratio: {{type: number, default: 0.75}}\n"
        );
    }
    s
}

fn best_of<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut best = Duration::MAX;
    let mut out = None;
    for _ in 0..runs {
        let t = Instant::now();
        let r = f();
        best = best.min(t.elapsed());
        out = Some(r);
    }
    (best, out.expect("runs > 0"))
}

fn mbps(bytes: usize, d: Duration) -> f64 {
    bytes as f64 / 1e6 / d.as_secs_f64()
}

fn bench_yaml(args: &[String]) -> Result<(), String> {
    let mb: usize =
        flag(args, "--mb").map_or(Ok(20), str::parse).map_err(|e| format!("--mb: {e}"))?;
    let mut input = String::new();
    let mut i = 0;
    while input.len() < mb * 1_000_000 {
        if i > 0 {
            input.push_str("---\n");
        }
        input.push_str(&crd_doc(i));
        i += 1;
    }
    let runs: usize =
        flag(args, "--runs").map_or(Ok(5), str::parse).map_err(|e| format!("--runs: {e}"))?;
    let runs = runs.max(1);
    let limits = Limits::default();
    let (t_events, events) = best_of(runs, || yaml::parse_events(&input, &limits).map(|e| e.len()));
    events.map_err(|e| e.to_string())?;
    let (t_values, values) = best_of(runs, || yaml::parse_values(&input, Profile::Kyaml, &limits));
    drop(values.map_err(|e| e.to_string())?);
    let (t_parse, docs) = best_of(runs, || yaml::parse_stream(&input, &limits));
    let docs = docs.map_err(|e| e.to_string())?;
    let (t_resolve, values) = best_of(runs, || {
        docs.iter()
            .map(|d| yaml::resolve(d, Profile::Kyaml, &limits))
            .collect::<Result<Vec<_>, _>>()
    });
    let values = values.map_err(|e| e.to_string())?;
    let (t_emit, out) = best_of(runs, || {
        let mut out = String::with_capacity(input.len());
        for (n, v) in values.iter().enumerate() {
            if n > 0 {
                out.push_str("---\n");
            }
            out.push_str(&yaml::to_kustomize_yaml(v)?);
        }
        Ok::<_, yaml::Error>(out)
    });
    let out = out.map_err(|e| e.to_string())?;
    println!(
        "input: {} documents, {:.1} MB; output {:.1} MB",
        docs.len(),
        input.len() as f64 / 1e6,
        out.len() as f64 / 1e6
    );
    println!("| step | best of {runs} | throughput |");
    println!("|---|---|---|");
    println!(
        "| parse_events (text → events) | {:.1} ms | {:.0} MB/s of input |",
        t_events.as_secs_f64() * 1e3,
        mbps(input.len(), t_events)
    );
    println!(
        "| parse (text → nodes) | {:.1} ms | {:.0} MB/s of input |",
        t_parse.as_secs_f64() * 1e3,
        mbps(input.len(), t_parse)
    );
    println!(
        "| resolve (nodes → values, kyaml) | {:.1} ms | {:.0} MB/s of input |",
        t_resolve.as_secs_f64() * 1e3,
        mbps(input.len(), t_resolve)
    );
    println!(
        "| parse + resolve | {:.1} ms | {:.0} MB/s of input |",
        (t_parse + t_resolve).as_secs_f64() * 1e3,
        mbps(input.len(), t_parse + t_resolve)
    );
    println!(
        "| parse_values (text → values, kyaml) | {:.1} ms | {:.0} MB/s of input |",
        t_values.as_secs_f64() * 1e3,
        mbps(input.len(), t_values)
    );
    println!(
        "| emit (values → text, go-yaml v2) | {:.1} ms | {:.0} MB/s of output |",
        t_emit.as_secs_f64() * 1e3,
        mbps(out.len(), t_emit)
    );
    Ok(())
}

/// Write a base with `n` resources (alternating Deployments and Services) and an overlay with
/// labels, prefix, namespace, annotations and images. Returns the overlay directory.
fn write_tree(root: &Path, n: usize) -> std::io::Result<PathBuf> {
    let base = root.join("base");
    let overlay = root.join("overlay");
    std::fs::create_dir_all(&base)?;
    std::fs::create_dir_all(&overlay)?;
    let mut res = String::new();
    for i in 0..n {
        if i > 0 {
            res.push_str("---\n");
        }
        if i % 2 == 0 {
            let _ = write!(
                res,
                "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app{i}\nspec:\n  replicas: 1\n  selector:\n    matchLabels:\n      app: app{i}\n  template:\n    metadata:\n      labels:\n        app: app{i}\n    spec:\n      containers:\n      - name: app\n        image: ghcr.io/example/app:v1.0.0\n        ports:\n        - containerPort: 8080\n"
            );
        } else {
            let _ = write!(
                res,
                "apiVersion: v1\nkind: Service\nmetadata:\n  name: svc{i}\nspec:\n  selector:\n    app: app{}\n  ports:\n  - port: 80\n    targetPort: 8080\n",
                i - 1
            );
        }
    }
    std::fs::write(base.join("resources.yaml"), res)?;
    std::fs::write(base.join("kustomization.yaml"), "resources:\n- resources.yaml\n")?;
    std::fs::write(
        overlay.join("kustomization.yaml"),
        "resources:\n- ../base\nnamespace: production\nnamePrefix: prod-\ncommonLabels:\n  env: production\ncommonAnnotations:\n  team: platform\nimages:\n- name: ghcr.io/example/app\n  newTag: v1.2.3\n",
    )?;
    Ok(overlay)
}

fn time_cmd(runs: usize, program: &str, dir: &Path) -> Result<(Duration, Vec<u8>), String> {
    let mut best = Duration::MAX;
    let mut out = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        let o = Command::new(program)
            .arg("build")
            .arg(dir)
            .output()
            .map_err(|e| format!("{program}: {e}"))?;
        best = best.min(t.elapsed());
        if !o.status.success() {
            return Err(format!(
                "{program} build {} failed: {}",
                dir.display(),
                String::from_utf8_lossy(&o.stderr)
            ));
        }
        out = o.stdout;
    }
    Ok((best, out))
}

fn bench_build(args: &[String]) -> Result<(), String> {
    let gitops = flag(args, "--gitops").ok_or("--gitops PATH is required")?;
    let kustomize = flag(args, "--kustomize").ok_or("--kustomize PATH is required")?;
    let runs: usize =
        flag(args, "--runs").map_or(Ok(3), str::parse).map_err(|e| format!("--runs: {e}"))?;
    let sizes: Vec<usize> = flag(args, "--sizes")
        .unwrap_or("10,100,750,1500,3000")
        .split(',')
        .map(|s| s.trim().parse().map_err(|e| format!("--sizes: {e}")))
        .collect::<Result<_, _>>()?;
    let tmp = std::env::temp_dir().join(format!("gitops-bench-{}", std::process::id()));
    println!("| resources | kustomize build | gitops build | ratio | identical output |");
    println!("|---|---|---|---|---|");
    for &n in &sizes {
        let dir = tmp.join(n.to_string());
        let overlay = write_tree(&dir, n).map_err(|e| e.to_string())?;
        // kustomize is slow at large sizes: one run past 1,000 resources.
        let k_runs = if n > 1000 { 1 } else { runs };
        let (tk, ok) = time_cmd(k_runs, kustomize, &overlay)?;
        let (tg, og) = time_cmd(runs, gitops, &overlay)?;
        println!(
            "| {n} | {:.1} ms | {:.1} ms | {:.1}x | {} |",
            tk.as_secs_f64() * 1e3,
            tg.as_secs_f64() * 1e3,
            tk.as_secs_f64() / tg.as_secs_f64(),
            if ok == og { "yes" } else { "NO" }
        );
    }
    let _ = std::fs::remove_dir_all(&tmp);
    Ok(())
}

/// `images`: ImagePolicy selection over `--tags` tags (semver, semver with filterTags +
/// extract, alphabetical, numerical) and the setters over a tree of `--files` files.
fn bench_images(args: &[String]) -> Result<(), String> {
    use gitops_core::image::policy::{Policy, exclude_tags};
    use gitops_core::image::setters::{self, ImageRef, Options, Setters};

    let n_tags: usize =
        flag(args, "--tags").map_or(Ok(100_000), str::parse).map_err(|e| format!("--tags: {e}"))?;
    let n_files: usize =
        flag(args, "--files").map_or(Ok(5_000), str::parse).map_err(|e| format!("--files: {e}"))?;
    let runs: usize =
        flag(args, "--runs").map_or(Ok(5), str::parse).map_err(|e| format!("--runs: {e}"))?;

    // Tags like the seeds': stable releases, `-rc.<sha>` builds, timestamps, signatures.
    let mut tags = Vec::with_capacity(n_tags);
    for i in 0..n_tags {
        let (maj, min, pat) = (i % 7, (i / 7) % 40, (i / 280) % 50);
        tags.push(match i % 5 {
            0 => format!("v{maj}.{min}.{pat}"),
            1 | 2 => format!("v{maj}.{min}.{pat}-rc.{:07x}", (i * 2_654_435_761) % 0xfff_ffff),
            3 => format!("main-{:07x}-{}", i * 7919 % 0xfff_ffff, 1_700_000_000 + i),
            _ => format!("sha256-{:016x}.sig", i * 31),
        });
    }
    let policy = |spec: &str| -> Result<Policy, String> {
        let text =
            format!("apiVersion: image.toolkit.fluxcd.io/v1\nkind: ImagePolicy\nspec:\n{spec}");
        let v = yaml::parse_values(&text, Profile::Kyaml, &Limits::default())
            .map_err(|e| e.to_string())?;
        Policy::from_object(v.first().ok_or("no object")?).map_err(|e| e.to_string())
    };
    let cases = [
        ("semver >=1.0.0 (stable only)", policy("  policy: {semver: {range: '>=1.0.0'}}\n")?),
        ("semver >=0.0.0-0 (with rc)", policy("  policy: {semver: {range: '>=0.0.0-0'}}\n")?),
        (
            "semver + filterTags extract",
            policy(
                "  filterTags: {pattern: '^v(?P<v>\\d+\\.\\d+\\.\\d+)-rc\\.[0-9a-f]+$', extract: '$v'}\n  policy: {semver: {range: '^3'}}\n",
            )?,
        ),
        ("alphabetical asc", policy("  policy: {alphabetical: {order: asc}}\n")?),
        (
            "numerical + filterTags extract",
            policy(
                "  filterTags: {pattern: '^main-[a-f0-9]+-(?P<ts>[0-9]+)$', extract: '$ts'}\n  policy: {numerical: {order: asc}}\n",
            )?,
        ),
    ];
    println!("## image policies: {n_tags} tags, best of {runs}");
    let (d, kept) = best_of(runs, || exclude_tags(&tags, None).map(|k| k.len()));
    println!(
        "{:<34} {:>9.2} ms  ({} kept)",
        "exclusionList (default)",
        d.as_secs_f64() * 1e3,
        kept.map_err(|e| e.to_string())?
    );
    for (name, p) in &cases {
        let (d, r) = best_of(runs, || p.latest(&tags).map(str::to_string));
        let chosen = r.map_err(|e| e.to_string())?;
        println!("{name:<34} {:>9.2} ms  -> {chosen}", d.as_secs_f64() * 1e3);
    }

    // Setters: a tree of files, a tenth of them marked.
    let dir = std::env::temp_dir().join(format!("gitops-bench-setters-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let mut bytes = 0usize;
    let write_tree = |bytes: &mut usize| -> Result<(), String> {
        for i in 0..n_files {
            let sub = dir.join(format!("apps/app{}/overlays/env{}", i / 50, i % 5));
            std::fs::create_dir_all(&sub).map_err(|e| e.to_string())?;
            let marker =
                if i % 10 == 0 { " # {\"$imagepolicy\": \"flux-system:app\"}" } else { "" };
            let text = format!(
                "# app {i}\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app{i}\n  namespace: team{}\n  labels: {{app: app{i}, tier: web}}\nspec:\n  replicas: 2\n  template:\n    spec:\n      containers:\n        - name: app\n          image: \"ghcr.io/org/app:v1.2.3\"{marker}\n          ports:\n            - containerPort: 8080 # http\n          env:\n            - name: MODE\n              value: 'production'\n",
                i % 9
            );
            *bytes += text.len();
            std::fs::write(sub.join(format!("deploy{i}.yaml")), text).map_err(|e| e.to_string())?;
        }
        Ok(())
    };
    let refs = [(
        "flux-system:app".to_string(),
        ImageRef { name: "ghcr.io/org/app".into(), tag: "v1.2.4".into(), digest: None },
    )];
    let setters =
        Setters::new(refs.iter().map(|(k, r)| (k, r)), None).map_err(|e| e.to_string())?;
    let mut best_dry = Duration::MAX;
    let mut best_write = Duration::MAX;
    let mut changed = 0;
    for _ in 0..runs {
        let _ = std::fs::remove_dir_all(&dir);
        bytes = 0;
        write_tree(&mut bytes)?;
        let t = Instant::now();
        let dry =
            setters::update_tree(&dir, &setters, &Options { dry_run: true, ..Options::default() })
                .map_err(|e| e.to_string())?;
        best_dry = best_dry.min(t.elapsed());
        let t = Instant::now();
        let out =
            setters::update_tree(&dir, &setters, &Options::default()).map_err(|e| e.to_string())?;
        best_write = best_write.min(t.elapsed());
        changed = out.files.len();
        if dry.files.len() != changed {
            return Err("dry run and write disagree".into());
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    println!(
        "## setters: {n_files} files ({:.1} MB), {changed} marked, best of {runs}",
        bytes as f64 / 1e6
    );
    println!("{:<34} {:>9.2} ms", "walk + screen + set (dry run)", best_dry.as_secs_f64() * 1e3);
    println!(
        "{:<34} {:>9.2} ms",
        "walk + screen + set + atomic write",
        best_write.as_secs_f64() * 1e3
    );
    Ok(())
}
