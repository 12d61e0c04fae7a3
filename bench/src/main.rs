//! `gitops-bench`: the project's benchmark binary (no timed tests anywhere else).
//!
//! ```text
//! gitops-bench yaml  [--mb 20] [--runs 5]                     parse / resolve / emit throughput, MB/s
//! gitops-bench images [--tags 100000] [--files 5000] [--runs 5] [--go PATH]  image policy selection,
//!   setters; with --go, beside scripts/image-bench-go (Flux's libraries) on the same inputs
//! gitops-bench build --gitops PATH --kustomize PATH [--runs 3] [--keep 1]
//!                    [--tiny no] [--real 100,300,600] [--crds 2,8,16] [--sizes 10,100,750,1500,3000]
//! ```
//!
//! Scenarios of `build` (a list `none` skips one): a tiny overlay (three resources); a
//! real-world overlay over a base of about N resources in many files (Deployments, Services,
//! ConfigMaps, RBAC, Ingresses; namespace, namePrefix, labels, images, strategic-merge and
//! JSON 6902 patches with targets, ConfigMap and Secret generators the workloads refer to);
//! a bundle of N large CRDs (~0.5 MB each) with labels added; the plain overlay (N
//! Deployments and Services, namespace, prefix, labels, annotations, images).
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
        Some("artifact") => bench_artifact(&args[1..]),
        Some("artifact-profile") => bench_artifact_profile(&args[1..]),
        _ => Err("usage: gitops-bench yaml [--mb N] | build --gitops PATH --kustomize PATH [--sizes a,b] [--real a,b] [--crds a,b] [--runs N] | images [--tags N] [--files N] [--runs N] [--go PATH]".into()),
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

/// One benchmark input: a name, how many resources the tool emits, and how to write it.
struct Scenario {
    name: String,
    resources: usize,
    write: fn(&Path, usize) -> std::io::Result<PathBuf>,
    n: usize,
}

/// Write a base with `n` resources (alternating Deployments and Services) and an overlay with
/// labels, prefix, namespace, annotations and images. Returns the overlay directory.
fn write_plain(root: &Path, n: usize) -> std::io::Result<PathBuf> {
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

/// The tiny overlay: one Deployment, one Service and one generated ConfigMap.
fn write_tiny(root: &Path, _n: usize) -> std::io::Result<PathBuf> {
    let base = root.join("base");
    let overlay = root.join("overlay");
    std::fs::create_dir_all(&base)?;
    std::fs::create_dir_all(&overlay)?;
    std::fs::write(base.join("kustomization.yaml"), "resources:\n- app.yaml\n")?;
    std::fs::write(base.join("app.yaml"), app_files(0).concat())?;
    std::fs::write(
        overlay.join("kustomization.yaml"),
        "resources:\n- ../base\nnamespace: dev\nnamePrefix: dev-\nlabels:\n- pairs:\n    env: dev\n  includeSelectors: true\nconfigMapGenerator:\n- name: app0-config\n  behavior: replace\n  literals:\n  - LOG_LEVEL=debug\n",
    )?;
    Ok(overlay)
}

/// The files of one application of the real-world base: a Deployment (using a ConfigMap, a
/// Secret and a ServiceAccount), its Service, ConfigMap, ServiceAccount, Role, RoleBinding
/// and Ingress. Seven resources.
fn app_files(k: usize) -> [String; 3] {
    let workload = format!(
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: app{k}
  labels:
    app.kubernetes.io/name: app{k}
    app.kubernetes.io/component: backend
spec:
  replicas: 2
  selector:
    matchLabels:
      app.kubernetes.io/name: app{k}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: app{k}
      annotations:
        prometheus.io/scrape: "true"
        prometheus.io/port: "9090"
    spec:
      serviceAccountName: app{k}
      securityContext:
        runAsNonRoot: true
        fsGroup: 65534
      containers:
      - name: app
        image: ghcr.io/example/app{m}:v1.0.0
        args: ["--port=8080", "--metrics=:9090", "--log-format=json"]
        envFrom:
        - configMapRef:
            name: app{k}-config
        env:
        - name: DB_PASSWORD
          valueFrom:
            secretKeyRef:
              name: shared-secrets
              key: db-password
        - name: POD_NAME
          valueFrom:
            fieldRef:
              fieldPath: metadata.name
        ports:
        - name: http
          containerPort: 8080
        - name: metrics
          containerPort: 9090
        resources:
          requests:
            cpu: 100m
            memory: 128Mi
          limits:
            memory: 256Mi
        readinessProbe:
          httpGet:
            path: /healthz
            port: http
          periodSeconds: 10
        volumeMounts:
        - name: config
          mountPath: /etc/app
          readOnly: true
      - name: sidecar
        image: docker.io/library/nginx:1.27
        ports:
        - containerPort: 8443
      volumes:
      - name: config
        configMap:
          name: shared-config
---
apiVersion: v1
kind: Service
metadata:
  name: app{k}
  labels:
    app.kubernetes.io/name: app{k}
spec:
  type: ClusterIP
  selector:
    app.kubernetes.io/name: app{k}
  ports:
  - name: http
    port: 80
    targetPort: http
  - name: metrics
    port: 9090
    targetPort: metrics
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: app{k}-config
data:
  LOG_LEVEL: info
  FEATURE_FLAGS: "alpha,beta"
  config.yaml: |
    server:
      port: 8080
      timeout: 30s
    upstream: http://app{n}.default.svc:80
"#,
        m = k % 5,
        n = k + 1,
    );
    let rbac = format!(
        r#"apiVersion: v1
kind: ServiceAccount
metadata:
  name: app{k}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: app{k}
rules:
- apiGroups: [""]
  resources: ["configmaps", "secrets"]
  verbs: ["get", "list", "watch"]
- apiGroups: ["apps"]
  resources: ["deployments"]
  verbs: ["get"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: app{k}
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: app{k}
subjects:
- kind: ServiceAccount
  name: app{k}
"#
    );
    let ingress = format!(
        r#"apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: app{k}
  annotations:
    nginx.ingress.kubernetes.io/rewrite-target: /
spec:
  ingressClassName: nginx
  tls:
  - hosts: [app{k}.example.com]
    secretName: app{k}-tls
  rules:
  - host: app{k}.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: app{k}
            port:
              name: http
"#
    );
    [workload, format!("---\n{rbac}"), format!("---\n{ingress}")]
}

/// A real-world overlay over a base of about `n` resources spread over three files per
/// application: namespace, namePrefix, labels, images, strategic-merge and JSON 6902
/// patches with targets, a ConfigMap and a Secret generator the workloads refer to.
fn write_real(root: &Path, n: usize) -> std::io::Result<PathBuf> {
    let base = root.join("base");
    let overlay = root.join("overlay");
    std::fs::create_dir_all(&base)?;
    std::fs::create_dir_all(&overlay)?;
    // Seven resources per application, plus the two generated objects.
    let apps = n.saturating_sub(2).div_ceil(7).max(1);
    let mut kust = String::from(
        "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n",
    );
    for k in 0..apps {
        let dir = base.join(format!("app{k}"));
        std::fs::create_dir_all(&dir)?;
        let [workload, rbac, ingress] = app_files(k);
        std::fs::write(dir.join("workload.yaml"), workload)?;
        std::fs::write(dir.join("rbac.yaml"), rbac)?;
        std::fs::write(dir.join("ingress.yaml"), ingress)?;
        for f in ["workload.yaml", "rbac.yaml", "ingress.yaml"] {
            let _ = writeln!(kust, "- app{k}/{f}");
        }
    }
    kust.push_str(
        "configMapGenerator:\n- name: shared-config\n  literals:\n  - REGION=eu-west-1\n  - CLUSTER=base\n",
    );
    std::fs::write(base.join("kustomization.yaml"), kust)?;
    std::fs::write(
        overlay.join("kustomization.yaml"),
        r#"apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: production
namePrefix: prod-
resources:
- ../base
labels:
- pairs:
    env: production
    team: platform
  includeSelectors: true
- pairs:
    release: "2026.11"
commonAnnotations:
  owner: platform@example.com
images:
- name: ghcr.io/example/app0
  newTag: v1.2.3
- name: ghcr.io/example/app1
  newName: registry.example.com/app1
  newTag: v1.2.4
- name: docker.io/library/nginx
  digest: sha256:0000000000000000000000000000000000000000000000000000000000000001
configMapGenerator:
- name: shared-config
  behavior: merge
  literals:
  - CLUSTER=production
secretGenerator:
- name: shared-secrets
  literals:
  - db-password=s3cr3t
  - api-key=k3y
patches:
- path: resources.yaml
  target:
    kind: Deployment
- target:
    kind: Deployment
    labelSelector: app.kubernetes.io/component=backend
  patch: |-
    - op: add
      path: /spec/template/spec/containers/0/env/-
      value:
        name: ENVIRONMENT
        value: production
- target:
    kind: Service
    name: app.*
  patch: |-
    - op: replace
      path: /spec/type
      value: NodePort
- target:
    group: networking.k8s.io
    kind: Ingress
  patch: |-
    - op: replace
      path: /spec/ingressClassName
      value: internal
- patch: |-
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: app0
    spec:
      replicas: 5
"#,
    )?;
    std::fs::write(
        overlay.join("resources.yaml"),
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: any\nspec:\n  template:\n    spec:\n      containers:\n      - name: app\n        resources:\n          limits:\n            cpu: \"1\"\n            memory: 512Mi\n",
    )?;
    Ok(overlay)
}

/// One generated CRD with `versions` versions of a schema about `fields` properties wide and
/// four levels deep, with descriptions like controller-gen writes them.
fn big_crd(c: usize, versions: usize, fields: usize) -> String {
    fn props(s: &mut String, depth: usize, indent: usize, fields: usize, c: usize) {
        let pad = " ".repeat(indent);
        for f in 0..fields {
            let _ = write!(
                s,
                "{pad}field{depth}x{f}:\n{pad}  description: |-\n{pad}    Field{f} configures part {depth} of resource {c}. When unset the controller\n{pad}    picks a default; see https://example.com/docs/crd{c}#field{depth}x{f} for details.\n"
            );
            if depth < 4 && f % 3 == 0 {
                let _ = writeln!(s, "{pad}  type: object\n{pad}  properties:");
                props(s, depth + 1, indent + 4, fields, c);
                let _ = writeln!(s, "{pad}  required:\n{pad}  - field{}x0", depth + 1);
            } else if f % 3 == 1 {
                let _ = writeln!(
                    s,
                    "{pad}  type: array\n{pad}  items:\n{pad}    type: string\n{pad}  maxItems: 32"
                );
            } else {
                let _ = writeln!(
                    s,
                    "{pad}  type: integer\n{pad}  format: int32\n{pad}  minimum: 0\n{pad}  default: {f}"
                );
            }
        }
    }
    let mut s = format!(
        "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  annotations:\n    controller-gen.kubebuilder.io/version: v0.16.1\n  name: things{c}.example.com\nspec:\n  group: example.com\n  names:\n    kind: Thing{c}\n    listKind: Thing{c}List\n    plural: things{c}\n    singular: thing{c}\n  scope: Namespaced\n  versions:\n"
    );
    for v in 0..versions {
        let _ = write!(
            s,
            "  - name: v1beta{v}\n    served: true\n    storage: {}\n    subresources:\n      status: {{}}\n    schema:\n      openAPIV3Schema:\n        description: Thing{c} is the Schema for the things{c} API.\n        type: object\n        properties:\n          apiVersion:\n            type: string\n          kind:\n            type: string\n          metadata:\n            type: object\n          spec:\n            type: object\n            properties:\n",
            v == 0
        );
        props(&mut s, 1, 14, fields, c);
    }
    s
}

/// A bundle of `n` large CRDs (about 0.5 MB each) with a kustomization that adds labels.
fn write_crds(root: &Path, n: usize) -> std::io::Result<PathBuf> {
    std::fs::create_dir_all(root)?;
    let mut kust = String::from("resources:\n");
    for c in 0..n {
        std::fs::write(root.join(format!("crd{c}.yaml")), big_crd(c, 2, 7))?;
        let _ = writeln!(kust, "- crd{c}.yaml");
    }
    kust.push_str(
        "labels:\n- pairs:\n    app.kubernetes.io/part-of: things\n    app.kubernetes.io/version: v1.4.0\n",
    );
    std::fs::write(root.join("kustomization.yaml"), kust)?;
    Ok(root.to_path_buf())
}

fn dir_bytes(dir: &Path) -> u64 {
    let Ok(rd) = std::fs::read_dir(dir) else { return 0 };
    rd.flatten()
        .map(|e| match e.file_type() {
            Ok(t) if t.is_dir() => dir_bytes(&e.path()),
            _ => e.metadata().map_or(0, |m| m.len()),
        })
        .sum()
}

fn time_cmd(
    runs: usize,
    program: &str,
    args: &[&std::ffi::OsStr],
) -> Result<(Duration, Vec<u8>), String> {
    let mut best = Duration::MAX;
    let mut out = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        let o = Command::new(program).args(args).output().map_err(|e| format!("{program}: {e}"))?;
        best = best.min(t.elapsed());
        if !o.status.success() {
            return Err(format!(
                "{program} {args:?} failed: {}",
                String::from_utf8_lossy(&o.stderr)
            ));
        }
        out = o.stdout;
    }
    Ok((best, out))
}

fn parse_list(args: &[String], name: &str, default: &str) -> Result<Vec<usize>, String> {
    let v = flag(args, name).unwrap_or(default);
    if v.is_empty() || v == "none" {
        return Ok(Vec::new());
    }
    v.split(',').map(|s| s.trim().parse().map_err(|e| format!("{name}: {e}"))).collect()
}

fn bench_build(args: &[String]) -> Result<(), String> {
    let gitops = flag(args, "--gitops").ok_or("--gitops PATH is required")?;
    let kustomize = flag(args, "--kustomize").ok_or("--kustomize PATH is required")?;
    let runs: usize =
        flag(args, "--runs").map_or(Ok(3), str::parse).map_err(|e| format!("--runs: {e}"))?;
    let runs = runs.max(1);
    let mut scenarios = Vec::new();
    if flag(args, "--tiny").is_none_or(|v| v != "no") {
        scenarios.push(Scenario {
            name: "tiny overlay".into(),
            resources: 3,
            write: write_tiny,
            n: 0,
        });
    }
    for n in parse_list(args, "--real", "100,300,600")? {
        let apps = n.saturating_sub(2).div_ceil(7).max(1);
        scenarios.push(Scenario {
            name: "real-world overlay".into(),
            resources: apps * 7 + 2,
            write: write_real,
            n,
        });
    }
    for n in parse_list(args, "--crds", "2,8,16")? {
        scenarios.push(Scenario { name: "CRD bundle".into(), resources: n, write: write_crds, n });
    }
    for n in parse_list(args, "--sizes", "10,100,750,1500,3000")? {
        scenarios.push(Scenario {
            name: "plain overlay".into(),
            resources: n,
            write: write_plain,
            n,
        });
    }
    let tmp = std::env::temp_dir().join(format!("gitops-bench-{}", std::process::id()));
    // Process start alone: `gitops --version` and `kustomize version`.
    let (start_g, _) = time_cmd(runs.max(5), gitops, &["--version".as_ref()])?;
    let (start_k, _) = time_cmd(runs.max(5), kustomize, &["version".as_ref()])?;
    println!(
        "process start (best of {}): gitops --version {:.1} ms, kustomize version {:.1} ms\n",
        runs.max(5),
        start_g.as_secs_f64() * 1e3,
        start_k.as_secs_f64() * 1e3
    );
    println!(
        "| scenario | resources | input | kustomize build | gitops build | ratio | identical output |"
    );
    println!("|---|---|---|---|---|---|---|");
    for (i, s) in scenarios.iter().enumerate() {
        let dir = tmp.join(i.to_string());
        let target = (s.write)(&dir, s.n).map_err(|e| e.to_string())?;
        let bytes = dir_bytes(&dir);
        let build =
            |program: &str, runs| time_cmd(runs, program, &["build".as_ref(), target.as_os_str()]);
        // kustomize is slow at large sizes: one run past 1,000 resources.
        let k_runs = if s.resources > 1000 { 1 } else { runs };
        let (tk, ok) = build(kustomize, k_runs)?;
        let (tg, og) = build(gitops, runs)?;
        let size = if bytes >= 1_000_000 {
            format!("{:.1} MB", bytes as f64 / 1e6)
        } else {
            format!("{:.0} KB", bytes as f64 / 1e3)
        };
        println!(
            "| {} | {} | {size} | {:.1} ms | {:.1} ms | {:.1}x | {} |",
            s.name,
            s.resources,
            tk.as_secs_f64() * 1e3,
            tg.as_secs_f64() * 1e3,
            tk.as_secs_f64() / tg.as_secs_f64(),
            if ok == og { "yes" } else { "NO" }
        );
        if ok != og && flag(args, "--keep").is_some() {
            let _ = std::fs::write(dir.join("kustomize.out"), &ok);
            let _ = std::fs::write(dir.join("gitops.out"), &og);
        }
    }
    if flag(args, "--keep").is_none() {
        let _ = std::fs::remove_dir_all(&tmp);
    } else {
        println!("\ninputs kept in {}", tmp.display());
    }
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
    let go = flag(args, "--go");
    let work = std::env::temp_dir().join(format!("gitops-bench-images-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work).map_err(|e| e.to_string())?;
    let tags_file = work.join("tags.txt");
    if go.is_some() {
        let mut text = tags.join("\n");
        text.push('\n');
        std::fs::write(&tags_file, text).map_err(|e| e.to_string())?;
    }
    let mut rows: Vec<Row> = Vec::new();
    println!("## image policies: {n_tags} tags, best of {runs}");
    let (d, kept) = best_of(runs, || exclude_tags(&tags, None).map(|k| k.len()));
    let kept = kept.map_err(|e| e.to_string())?;
    println!("{:<34} {:>9.2} ms  ({kept} kept)", "exclusionList (default)", d.as_secs_f64() * 1e3);
    rows.push(Row::new("exclusionList (default `^.*\\.sig$`)", "exclude", d, kept.to_string()));
    let steps =
        ["semver-stable", "semver-pre", "semver-extract", "alphabetical", "numerical-extract"];
    for ((name, p), step) in cases.iter().zip(steps) {
        let (d, r) = best_of(runs, || p.latest(&tags).map(str::to_string));
        let chosen = r.map_err(|e| e.to_string())?;
        println!("{name:<34} {:>9.2} ms  -> {chosen}", d.as_secs_f64() * 1e3);
        rows.push(Row::new(name, step, d, chosen));
    }
    if let Some(go) = go {
        for row in &mut rows {
            let file = tags_file.as_os_str();
            let (_, result, inproc) = go_run(
                go,
                &["policy".as_ref(), file, row.step.as_ref(), runs.to_string().as_ref()],
            )?;
            if result != row.result {
                return Err(format!("{}: ours selected {:?}, Go {result:?}", row.name, row.result));
            }
            let mut wall = Duration::MAX;
            for _ in 0..runs {
                let (w, _, _) =
                    go_run(go, &["policy".as_ref(), file, row.step.as_ref(), "1".as_ref()])?;
                wall = wall.min(w);
            }
            row.go = Some((inproc, wall));
        }
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
    let setter_args = |mode: &'static str| -> Vec<std::ffi::OsString> {
        vec![
            "setters".into(),
            dir.clone().into_os_string(),
            mode.into(),
            "flux-system:app".into(),
            "ghcr.io/org/app:v1.2.4".into(),
        ]
    };
    let mut best_dry = Duration::MAX;
    let mut best_write = Duration::MAX;
    let mut go_dry = (Duration::MAX, Duration::MAX);
    let mut go_write = (Duration::MAX, Duration::MAX);
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
        if let Some(go) = go {
            let a = setter_args("dry");
            let (w, r, d) = go_run(go, &a.iter().map(|s| s.as_os_str()).collect::<Vec<_>>())?;
            if r != dry.files.len().to_string() {
                return Err(format!("setters dry run: ours changed {}, Go {r}", dry.files.len()));
            }
            go_dry = (go_dry.0.min(d), go_dry.1.min(w));
        }
        let t = Instant::now();
        let out =
            setters::update_tree(&dir, &setters, &Options::default()).map_err(|e| e.to_string())?;
        best_write = best_write.min(t.elapsed());
        changed = out.files.len();
        if dry.files.len() != changed {
            return Err("dry run and write disagree".into());
        }
        if let Some(go) = go {
            let _ = std::fs::remove_dir_all(&dir);
            bytes = 0;
            write_tree(&mut bytes)?;
            let a = setter_args("write");
            let (w, r, d) = go_run(go, &a.iter().map(|s| s.as_os_str()).collect::<Vec<_>>())?;
            if r != changed.to_string() {
                return Err(format!("setters write: ours changed {changed}, Go {r}"));
            }
            go_write = (go_write.0.min(d), go_write.1.min(w));
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_dir_all(&work);
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
    if go.is_some() {
        let mut dry_row =
            Row::new("setters: walk + screen + parse + set (dry run)", "", best_dry, String::new());
        dry_row.go = Some(go_dry);
        let mut write_row =
            Row::new("setters: same + write the changed files", "", best_write, String::new());
        write_row.go = Some(go_write);
        rows.push(dry_row);
        rows.push(write_row);
        println!("\n## side by side (best of {runs}; ratio = Go / ours)");
        println!("| step | ours | Go in-process | ratio | Go incl. process start | ratio |");
        println!("|---|---|---|---|---|---|");
        for r in &rows {
            if let Some((inproc, wall)) = r.go {
                println!(
                    "| {} | {} | {} | {:.1}x | {} | {:.1}x |",
                    r.name,
                    ms(r.ours),
                    ms(inproc),
                    inproc.as_secs_f64() / r.ours.as_secs_f64(),
                    ms(wall),
                    wall.as_secs_f64() / r.ours.as_secs_f64()
                );
            }
        }
        println!("selected tags and changed-file counts agree");
    }
    Ok(())
}

/// One timed step of `images`: our time, what we selected, and Go's (in-process, wall).
struct Row {
    name: String,
    step: &'static str,
    ours: Duration,
    result: String,
    go: Option<(Duration, Duration)>,
}

impl Row {
    fn new(name: &str, step: &'static str, ours: Duration, result: String) -> Row {
        Row { name: name.to_string(), step, ours, result, go: None }
    }
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1e3)
}

/// Runs the Go harness once: wall-clock time including process start, its `result` line
/// and its reported in-process `best_ns`.
fn go_run(go: &str, args: &[&std::ffi::OsStr]) -> Result<(Duration, String, Duration), String> {
    let (wall, out) = time_cmd(1, go, args)?;
    let out = String::from_utf8_lossy(&out);
    let field = |k: &str| {
        out.lines()
            .find_map(|l| l.strip_prefix(k).and_then(|v| v.strip_prefix(' ')))
            .map(str::to_string)
            .ok_or_else(|| format!("{go}: no `{k}` line in {out:?}"))
    };
    let result = field("result")?;
    let ns: u64 = field("best_ns")?.parse().map_err(|e| format!("{go}: best_ns: {e}"))?;
    Ok((wall, result, Duration::from_nanos(ns)))
}

/// `gitops-bench artifact-profile DIR [--runs 20] [--from revision|checkout]`: build the
/// artifact of an existing repository over and over, for `perf record`.
fn bench_artifact_profile(args: &[String]) -> Result<(), String> {
    use gitops_core::artifact::Artifact;
    let dir = args.first().ok_or("usage: gitops-bench artifact-profile DIR")?;
    let runs: usize =
        flag(args, "--runs").map_or(Ok(20), str::parse).map_err(|e| format!("--runs: {e}"))?;
    let repo = gitops_core::git::Repository::open(dir).map_err(|e| e.to_string())?;
    let checkout = flag(args, "--from") == Some("checkout");
    let (best, a) = best_of(runs, || {
        if checkout {
            Artifact::from_source(&gitops_core::fs::RealFs, std::path::Path::new(dir), None)
        } else {
            Artifact::from_revision(&repo, "HEAD", None)
        }
    });
    let a = a.map_err(|e| e.to_string())?;
    println!(
        "{:.1} ms best of {runs}, {} bytes, {}",
        best.as_secs_f64() * 1e3,
        a.bytes.len(),
        a.digest
    );
    Ok(())
}

/// `gitops-bench artifact [--files 10000] [--runs 5]`: the source artifact (ignore rules, tar,
/// gzip, sha256) of a Git repository of N files beside `git archive --format=tar.gz HEAD` on
/// the same commit (a process, as a user runs it), first with loose objects, then after
/// `git gc` (one pack): ours from the revision (objects read through gix), from the
/// checkout (working tree) and through a `TreeFs`.
fn bench_artifact(args: &[String]) -> Result<(), String> {
    use gitops_core::artifact::Artifact;
    use gitops_core::fs::RealFs;
    use gitops_core::git::{Repository, TreeFs};

    let n_files: usize = flag(args, "--files")
        .map_or(Ok(10_000), str::parse)
        .map_err(|e| format!("--files: {e}"))?;
    let runs: usize =
        flag(args, "--runs").map_or(Ok(5), str::parse).map_err(|e| format!("--runs: {e}"))?;
    let keep = flag(args, "--keep").map(std::path::PathBuf::from);
    let dir = keep.clone().unwrap_or_else(|| {
        std::env::temp_dir().join(format!("gitops-bench-artifact-{}", std::process::id()))
    });
    let _ = std::fs::remove_dir_all(&dir);
    let git = |args: &[&str]| -> Result<Vec<u8>, String> {
        let out = Command::new("git")
            .args(args)
            .current_dir(&dir)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .output()
            .map_err(|e| format!("git: {e}"))?;
        if !out.status.success() {
            return Err(format!("git {args:?}: {}", String::from_utf8_lossy(&out.stderr)));
        }
        Ok(out.stdout)
    };
    let result = (|| -> Result<(), String> {
        // 100 files per directory, two levels, Kubernetes-sized YAML (~0.7 KB each).
        let mut bytes = 0usize;
        for i in 0..n_files {
            let d = dir.join(format!("apps/team-{:02}/app-{:03}", i / 1000, (i / 100) % 10));
            std::fs::create_dir_all(&d).map_err(|e| e.to_string())?;
            let body = format!(
                "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-{i}\n  namespace: team-{}\n  labels:\n    app.kubernetes.io/name: app-{i}\nspec:\n  replicas: {}\n  selector:\n    matchLabels:\n      app: app-{i}\n  template:\n    metadata:\n      labels:\n        app: app-{i}\n    spec:\n      containers:\n      - name: app\n        image: ghcr.io/example/app-{i}:v1.{}.{}\n        ports:\n        - containerPort: 8080\n        resources:\n          requests: {{cpu: 10m, memory: 32Mi}}\n          limits: {{memory: 128Mi}}\n",
                i / 1000,
                i % 5 + 1,
                i % 17,
                i % 31
            );
            bytes += body.len();
            std::fs::write(d.join(format!("deploy-{i:05}.yaml")), body)
                .map_err(|e| e.to_string())?;
        }
        git(&["init", "-q"])?;
        // No background gc/maintenance packing objects while the walk reads .git.
        git(&["config", "gc.auto", "0"])?;
        git(&["config", "maintenance.auto", "false"])?;
        git(&["add", "-A"])?;
        git(&[
            "-c",
            "user.name=bench",
            "-c",
            "user.email=bench@example.com",
            "commit",
            "-q",
            "-m",
            "bench",
        ])?;
        println!(
            "## artifact: {n_files} files ({:.1} MB of YAML), best of {runs}, ratio = git archive / ours",
            bytes as f64 / 1e6
        );
        println!(
            "| objects | from revision (gix) | ratio | from checkout | ratio | via TreeFs | git archive |"
        );
        for packed in [false, true] {
            if packed {
                git(&["gc", "-q"])?;
            }
            let ms = |d: std::time::Duration| d.as_secs_f64() * 1e3;
            let repo = Repository::open(&dir).map_err(|e| e.to_string())?;
            let (rev, a) = best_of(runs, || Artifact::from_revision(&repo, "HEAD", None));
            let a = a.map_err(|e| e.to_string())?;
            let (wt, b) = best_of(runs, || Artifact::from_source(&RealFs, &dir, None));
            let b = b.map_err(|e| e.to_string())?;
            let (tfs, c) = best_of(runs, || -> Result<Artifact, String> {
                let commit = repo.rev_parse("HEAD").map_err(|e| e.to_string())?;
                let fs = TreeFs::new(&repo, &commit, std::path::Path::new("/"))
                    .map_err(|e| e.to_string())?;
                Artifact::from_source(&fs, std::path::Path::new("/"), None)
                    .map_err(|e| e.to_string())
            });
            let c = c?;
            if a.bytes != b.bytes || a.bytes != c.bytes {
                return Err("artifacts from the revision, the checkout and TreeFs differ".into());
            }
            let (theirs, out) = best_of(runs, || git(&["archive", "--format=tar.gz", "HEAD"]));
            let git_size = out?.len();
            println!(
                "| {} | {:.1} ms | **{:.2}x** | {:.1} ms | {:.2}x | {:.1} ms | {:.1} ms |",
                if packed { "packed" } else { "loose" },
                ms(rev),
                theirs.as_secs_f64() / rev.as_secs_f64(),
                ms(wt),
                theirs.as_secs_f64() / wt.as_secs_f64(),
                ms(tfs),
                ms(theirs),
            );
            println!("  sizes: ours {} bytes, git archive {git_size} bytes", a.bytes.len());
        }
        Ok(())
    })();
    if keep.is_none() {
        let _ = std::fs::remove_dir_all(&dir);
    }
    result
}
