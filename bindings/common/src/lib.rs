//! What the Python and Node bindings share, so that both map the same Rust error to the
//! same kind and accept the same option spellings: [`Failure`] (one per Rust error, with
//! its family, a stable kind, the message, file and line), option-name parsing, and
//! [`NoCluster`], and the calls both bindings make the same way ([`update_setters`],
//! [`cluster_workflow`]: render, open the live directory, run the workflow;
//! [`render_resourceset`], [`latest_images`], [`promote`]: parse the text, call the Rust
//! API). No SDK logic lives here.
#![deny(missing_docs, unsafe_code)]

use gitops_core::cluster::{self, Cluster};
use std::collections::BTreeMap;
use std::path::Path;

use gitops_core::cluster::LiveDir;
use gitops_core::image::automation;
use gitops_core::image::{policy, setters};
use gitops_core::inventory::{Inventory, Owner};
use gitops_core::resource::{ObjectRef, Resource};
use gitops_core::resourceset::{self, ProvidedInputs, ResourceSet, template};
use gitops_core::yaml::Value;
use gitops_core::yaml::{Limits, Profile, parse_values};
use gitops_core::{deps, diff, notify, plan, promote as promotion, render, substitute, workflow};
use gitops_kustomize::{LoadRestrictor, Reorder};

/// Which Rust module an error comes from: the exception class (Python) or the code
/// prefix (Node).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// `gitops_kustomize::Error` (`KustomizeError`, `GITOPS_KUSTOMIZE_*`).
    Kustomize,
    /// `gitops_core::substitute::Error` (`SubstitutionError`, `GITOPS_SUBSTITUTE_*`).
    Substitute,
    /// `gitops_core::deps::Error` (`DependencyError`/`DependencyCycleError`, `GITOPS_DEPENDENCY_*`).
    Dependency,
    /// `gitops_core::diff::Error` (`DiffError`, `GITOPS_DIFF_*`).
    Diff,
    /// `gitops_core::plan::Error` (`PlanError`, `GITOPS_PLAN_*`).
    Plan,
    /// `gitops_core::notify::Error` (`NotifyError`, `GITOPS_NOTIFY_*`).
    Notify,
    /// `gitops_core::render::Error` (`RenderError`, `GITOPS_RENDER_*`).
    Render,
    /// `gitops_core::image::policy::Error` (`ImagePolicyError`, `GITOPS_IMAGE_*`).
    Image,
    /// `gitops_core::image::setters::Error` (`SetterError`, `GITOPS_SETTER_*`).
    Setter,
    /// `gitops_core::resourceset::Error` and its template errors (`ResourceSetError`,
    /// `GITOPS_RESOURCESET_*`).
    ResourceSet,
    /// `gitops_core::promote::Error` (`PromoteError`, `GITOPS_PROMOTE_*`).
    Promote,
    /// A bad option value (`ValueError`, `GITOPS_INVALID_ARGUMENT`).
    InvalidArgument,
}

impl Family {
    fn code(self) -> &'static str {
        match self {
            Family::Kustomize => "KUSTOMIZE",
            Family::Substitute => "SUBSTITUTE",
            Family::Dependency => "DEPENDENCY",
            Family::Diff => "DIFF",
            Family::Plan => "PLAN",
            Family::Notify => "NOTIFY",
            Family::Render => "RENDER",
            Family::Image => "IMAGE",
            Family::Setter => "SETTER",
            Family::ResourceSet => "RESOURCESET",
            Family::Promote => "PROMOTE",
            Family::InvalidArgument => "INVALID",
        }
    }
}

/// A Rust error on its way to Python or JS.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// The module it comes from.
    pub family: Family,
    /// A stable short name of the variant (`entry`, `cycle`, `not_set`, …).
    pub kind: &'static str,
    /// The Rust error's message (`Display`, with its `source` chain joined by `: `).
    pub message: String,
    /// The file (or directory) the error names, if any.
    pub file: Option<String>,
    /// The 1-based line, where the Rust error carries one.
    pub line: Option<u32>,
}

impl Failure {
    fn new(family: Family, kind: &'static str, err: &dyn std::error::Error) -> Failure {
        let mut message = err.to_string();
        let mut source = err.source();
        while let Some(s) = source {
            let text = s.to_string();
            if !message.ends_with(&text) {
                message.push_str(": ");
                message.push_str(&text);
            }
            source = s.source();
        }
        Failure { family, kind, message, file: None, line: None }
    }

    /// A bad option value.
    pub fn invalid_argument(message: String) -> Failure {
        Failure {
            family: Family::InvalidArgument,
            kind: "argument",
            message,
            file: None,
            line: None,
        }
    }

    /// `GITOPS_<FAMILY>_<KIND>`, e.g. `GITOPS_KUSTOMIZE_ENTRY`, `GITOPS_DEPENDENCY_CYCLE`.
    ///
    /// ```
    /// use gitops_sdk_bindings_common::Failure;
    /// let f = Failure::from(gitops_kustomize::Error::Root { dir: "/a".into(), message: "m".into() });
    /// assert_eq!(f.code(), "GITOPS_KUSTOMIZE_ROOT");
    /// assert_eq!(f.file.as_deref(), Some("/a"));
    /// ```
    pub fn code(&self) -> String {
        format!("GITOPS_{}_{}", self.family.code(), self.kind.to_ascii_uppercase())
    }
}

impl From<gitops_kustomize::Error> for Failure {
    fn from(e: gitops_kustomize::Error) -> Failure {
        let mut f = Failure::new(Family::Kustomize, e.kind(), &e);
        f.file = e.file().map(|p| p.to_string_lossy().into_owned());
        f
    }
}

impl From<substitute::Error> for Failure {
    fn from(e: substitute::Error) -> Failure {
        let kind = match &e {
            substitute::Error::Syntax(_) => "syntax",
            substitute::Error::NotSet { .. } => "not_set",
            substitute::Error::TooDeep { .. } => "too_deep",
            substitute::Error::InvalidVarName { .. } => "invalid_var_name",
            substitute::Error::SourceNotFound { .. } => "source_not_found",
            substitute::Error::SourceInvalid { .. } => "source_invalid",
            substitute::Error::Yaml { .. } => "yaml",
            substitute::Error::Emit { .. } => "emit",
            substitute::Error::PostBuild { .. } => "post_build",
        };
        Failure::new(Family::Substitute, kind, &e)
    }
}

fn deps_kind(e: &deps::Error) -> &'static str {
    match e {
        deps::Error::Cycle { .. } => "cycle",
        deps::Error::Missing { .. } => "missing",
        deps::Error::Duplicate { .. } => "duplicate",
        deps::Error::InvalidDependsOn { .. } => "invalid_depends_on",
    }
}

impl From<deps::Error> for Failure {
    fn from(e: deps::Error) -> Failure {
        Failure::new(Family::Dependency, deps_kind(&e), &e)
    }
}

fn diff_kind(e: &diff::Error) -> &'static str {
    match e {
        diff::Error::Pointer { .. } => "pointer",
        diff::Error::Selector { .. } => "selector",
        diff::Error::Spec { .. } => "spec",
    }
}

impl From<diff::Error> for Failure {
    fn from(e: diff::Error) -> Failure {
        Failure::new(Family::Diff, diff_kind(&e), &e)
    }
}

fn plan_kind(e: &plan::Error) -> &'static str {
    match e {
        plan::Error::Cluster(_) => "cluster",
        plan::Error::NotAnObject { .. } => "not_an_object",
        plan::Error::Inventory(_) => "inventory",
        plan::Error::Immutable { .. } => "immutable",
        plan::Error::Apply { .. } => "apply",
        plan::Error::Prune { .. } => "prune",
    }
}

impl From<plan::Error> for Failure {
    fn from(e: plan::Error) -> Failure {
        Failure::new(Family::Plan, plan_kind(&e), &e)
    }
}

impl From<cluster::Error> for Failure {
    fn from(e: cluster::Error) -> Failure {
        Failure::from(plan::Error::from(e))
    }
}

impl From<notify::Error> for Failure {
    fn from(e: notify::Error) -> Failure {
        let kind = match &e {
            notify::Error::InvalidEvent { .. } => "invalid_event",
            notify::Error::InvalidEventField { .. } => "invalid_event_field",
            notify::Error::InvalidTimestamp { .. } => "invalid_timestamp",
            notify::Error::NoAddress { .. } => "no_address",
            notify::Error::InvalidUrl { .. } => "invalid_url",
            notify::Error::EmptyHmacKey { .. } => "empty_hmac_key",
            notify::Error::InvalidHeader { .. } => "invalid_header",
            notify::Error::UnsupportedProvider { .. } => "unsupported_provider",
        };
        Failure::new(Family::Notify, kind, &e)
    }
}

impl From<render::Error> for Failure {
    fn from(e: render::Error) -> Failure {
        let (kind, file) = match &e {
            render::Error::ClusterPath(p) => ("cluster_path", Some(p.clone())),
            render::Error::Flux(_) => ("flux", None),
            render::Error::PathNotFound { path, .. } => ("path_not_found", Some(path.clone())),
            render::Error::UnknownSource { .. } => ("unknown_source", None),
            render::Error::Artifact { .. } => ("artifact", None),
            render::Error::Build { .. } => ("build", None),
            render::Error::PostBuild { .. } => ("post_build", None),
            render::Error::ResourceSet { .. } => ("resourceset", None),
            render::Error::TooMany(_) => ("too_many", None),
        };
        let mut f = Failure::new(Family::Render, kind, &e);
        f.file = file.map(|p| p.to_string_lossy().into_owned());
        f
    }
}

impl From<policy::Error> for Failure {
    fn from(e: policy::Error) -> Failure {
        let kind = match &e {
            policy::Error::NotImagePolicy { .. } => "not_image_policy",
            policy::Error::InvalidChoice => "invalid_choice",
            policy::Error::Field { .. } => "field",
            policy::Error::Range(_) => "range",
            policy::Error::InvalidOrder { .. } => "invalid_order",
            policy::Error::InvalidPattern { .. } => "invalid_pattern",
            policy::Error::InvalidExclusion { .. } => "invalid_exclusion",
            policy::Error::Empty => "empty",
            policy::Error::NoMatch => "no_match",
            policy::Error::InvalidNumeric { .. } => "invalid_numeric",
        };
        Failure::new(Family::Image, kind, &e)
    }
}

impl From<setters::Error> for Failure {
    fn from(e: setters::Error) -> Failure {
        let (kind, file, line) = match &e {
            setters::Error::InvalidImageRef { .. } => ("invalid_image_ref", None, None),
            setters::Error::InvalidPolicyKey { .. } => ("invalid_policy_key", None, None),
            setters::Error::MissingPolicy { file, line, .. } => {
                ("missing_policy", Some(file.clone()), Some(*line))
            }
            setters::Error::Io { path, .. } => {
                ("io", Some(path.to_string_lossy().into_owned()), None)
            }
        };
        let mut f = Failure::new(Family::Setter, kind, &e);
        f.file = file;
        f.line = line;
        f
    }
}

impl From<resourceset::Error> for Failure {
    fn from(e: resourceset::Error) -> Failure {
        let kind = match &e {
            resourceset::Error::Invalid { .. } => "invalid",
            resourceset::Error::ProviderUnavailable { .. } => "provider_unavailable",
            resourceset::Error::Inputs { .. } => "inputs",
            resourceset::Error::Build { .. } => "build",
        };
        Failure::new(Family::ResourceSet, kind, &e)
    }
}

impl From<template::Error> for Failure {
    fn from(e: template::Error) -> Failure {
        let (kind, line) = match &e {
            template::Error::Parse { line, .. } => ("template_parse", Some(*line)),
            template::Error::Exec { line, .. } => ("template_exec", Some(*line)),
            template::Error::Limit(_) => ("template_limit", None),
        };
        let mut f = Failure::new(Family::ResourceSet, kind, &e);
        f.line = line.and_then(|l| u32::try_from(l).ok());
        f
    }
}

/// The latest-image errors are `ImagePolicyError`s; a policy's own error keeps its kind.
impl From<automation::Error> for Failure {
    fn from(e: automation::Error) -> Failure {
        let kind = match &e {
            automation::Error::Unnamed { .. } => "unnamed",
            automation::Error::NoImage { .. } => "no_image",
            automation::Error::BadExclusionList { .. } => "bad_exclusion_list",
            automation::Error::MissingRepository { .. } => "missing_repository",
            automation::Error::Tags { .. } => "tags",
            automation::Error::Policy { source, .. } => Failure::from(source.clone()).kind,
        };
        Failure::new(Family::Image, kind, &e)
    }
}

impl From<promotion::Error> for Failure {
    fn from(e: promotion::Error) -> Failure {
        let (kind, file) = match &e {
            promotion::Error::UnknownEnv { dir, .. } => ("unknown_env", Some(dir.clone())),
            promotion::Error::SameEnv(_) => ("same_env", None),
            promotion::Error::UnknownApp { .. } => ("unknown_app", None),
            promotion::Error::ValueSpec { .. } => ("value_spec", None),
            promotion::Error::ValueNotFound { .. } => ("value_not_found", None),
            promotion::Error::Render { .. } => ("render", None),
            promotion::Error::File { path, .. } => ("file", Some(path.clone())),
            promotion::Error::Shared(_) => ("shared", None),
            promotion::Error::InputsFrom { .. } => ("inputs_from", None),
            promotion::Error::Verify(_) => ("verify", None),
            promotion::Error::Edit { path, .. } => ("edit", Some(path.clone())),
            promotion::Error::BranchExists(_) => ("branch_exists", None),
            // `Git` exists when another crate turns gitops-core's `git` feature on.
            #[allow(unreachable_patterns)]
            _ => ("git", None),
        };
        let mut f = Failure::new(Family::Promote, kind, &e);
        f.file = file.map(|p| p.to_string_lossy().into_owned());
        f
    }
}

/// A workflow error keeps the family and kind of its cause (a cycle is a
/// `DependencyCycleError`, a failed apply a `PlanError` of kind `apply`, a bad
/// `spec.ignore` a `DiffError`), with the workflow's message, which names the
/// Kustomization.
impl From<workflow::Error> for Failure {
    fn from(e: workflow::Error) -> Failure {
        let (family, kind) = match &e {
            workflow::Error::Deps(d) => (Family::Dependency, deps_kind(d)),
            workflow::Error::Ignore { source, .. } => (Family::Diff, diff_kind(source)),
            workflow::Error::Plan { source, .. } => (Family::Plan, plan_kind(source)),
            workflow::Error::Cluster { .. } => (Family::Plan, "cluster"),
            workflow::Error::Yaml { .. } => (Family::Plan, "yaml"),
            workflow::Error::NotAnObject { .. } => (Family::Plan, "not_an_object"),
            workflow::Error::NoSuchKustomization { .. } => (Family::Plan, "no_such_kustomization"),
        };
        Failure::new(family, kind, &e)
    }
}

/// The policies of [`update_setters`] (`"ns:name"` → `"image:tag[@digest]"`) as image
/// references; a value without a tag is a bad argument.
fn image_refs(
    policies: &BTreeMap<String, String>,
) -> Result<Vec<(&str, setters::ImageRef)>, Failure> {
    policies
        .iter()
        .map(|(key, image)| match setters::ImageRef::parse(image) {
            Some(r) => Ok((key.as_str(), r)),
            None => Err(Failure::invalid_argument(format!(
                "policy {key:?}: image {image:?} has no tag (expected image:tag[@digest])"
            ))),
        })
        .collect()
}

/// `gitops images set`: the setters of `policies` run over the files under `path`
/// ([`setters::update_tree`]).
pub fn update_setters(
    path: &Path,
    policies: &BTreeMap<String, String>,
    options: &setters::Options,
) -> Result<setters::Outcome, Failure> {
    let refs = image_refs(policies)?;
    let set =
        setters::Setters::new(refs.iter().map(|(k, r)| (*k, r)), options.namespace.as_deref())?;
    Ok(setters::update_tree(path, &set, options)?)
}

/// Render a cluster from disk with kustomize-controller's builder (what `render_cluster`
/// and the cluster workflow use).
pub fn render_cluster(path: &Path, options: &render::Options) -> Result<render::Outcome, Failure> {
    let builder = gitops_kustomize::flux::FluxBuilder::default();
    Ok(render::render_cluster(&gitops_core::fs::RealFs, path, &builder, options)?)
}

/// Which workflow step [`cluster_workflow`] runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClusterStep {
    /// [`workflow::plan_cluster`].
    Plan,
    /// [`workflow::apply_cluster`]; with `dry_run`, the plans' change sets (as
    /// `gitops apply --dry-run`).
    Apply {
        /// Write nothing.
        dry_run: bool,
    },
    /// [`workflow::diff_cluster`] of the plans.
    Diff,
}

/// What [`cluster_workflow`] returns.
#[derive(Debug, Clone)]
pub enum ClusterResult {
    /// Per Kustomization (`namespace/name`, dependency order): its change set.
    ChangeSets(Vec<(String, plan::ChangeSet)>),
    /// Per changed object: [`workflow::diff_cluster`].
    Diffs(Vec<workflow::ObjectDiff>),
}

/// Render the cluster at `path`, open the live directory `live_dir` (created when
/// missing) and run `step`, as `gitops plan|apply|diff CLUSTER --live DIR` do.
pub fn cluster_workflow(
    path: &Path,
    options: &render::Options,
    live_dir: &Path,
    step: ClusterStep,
) -> Result<ClusterResult, Failure> {
    let outcome = render_cluster(path, options)?;
    let mut live = LiveDir::open(live_dir)?;
    Ok(match step {
        ClusterStep::Plan | ClusterStep::Apply { dry_run: true } => ClusterResult::ChangeSets(
            workflow::plan_cluster(&outcome, &live)?
                .into_iter()
                .map(|p| {
                    let set = p.plan.change_set();
                    (p.kustomization, set)
                })
                .collect(),
        ),
        ClusterStep::Apply { dry_run: false } => ClusterResult::ChangeSets(
            workflow::apply_cluster(&outcome, &mut live)?
                .into_iter()
                .map(|a| (a.kustomization, a.change_set))
                .collect(),
        ),
        ClusterStep::Diff => {
            let plans = workflow::plan_cluster(&outcome, &live)?;
            ClusterResult::Diffs(workflow::diff_cluster(&plans, &live)?)
        }
    })
}

/// The documents of a YAML stream (empty documents dropped); a parse error is a
/// `family` error of kind `yaml`.
fn documents(text: &str, profile: Profile, family: Family) -> Result<Vec<Value>, Failure> {
    match parse_values(text, profile, &Limits::default()) {
        Ok(docs) => Ok(docs.into_iter().filter(|d| !matches!(d, Value::Null)).collect()),
        Err(e) => Err(Failure::new(family, "yaml", &e)),
    }
}

fn kind_of(doc: &Value) -> &str {
    doc.get("kind").and_then(Value::as_str).unwrap_or_default()
}

/// The objects the Flux Operator ResourceSet in `yaml_text` renders
/// ([`resourceset::render`]). The text holds one `ResourceSet` and, optionally, the
/// `ResourceSetInputProvider` objects it reads (`Static` ones supply their
/// `defaultValues`); `provided` are the exported input sets of other providers, by
/// `namespace/name` (or `name`).
///
/// ```
/// let rs = "apiVersion: fluxcd.controlplane.io/v1\nkind: ResourceSet\nmetadata: {name: a, namespace: ns}\nspec:\n  inputs: [{tenant: x}]\n  resourcesTemplate: |\n    apiVersion: v1\n    kind: Namespace\n    metadata: {name: << inputs.tenant >>}\n";
/// let out = gitops_sdk_bindings_common::render_resourceset(rs, Vec::new()).unwrap();
/// assert_eq!(out[0].name(), "x");
/// ```
pub fn render_resourceset(
    yaml_text: &str,
    provided: Vec<(String, Vec<Value>)>,
) -> Result<Vec<Resource>, Failure> {
    let mut sets = Vec::new();
    let mut providers = Vec::new();
    for doc in documents(yaml_text, Profile::ApiServer, Family::ResourceSet)? {
        match kind_of(&doc) {
            "ResourceSet" => sets.push(Resource::new(doc)),
            "ResourceSetInputProvider" => providers.push(Resource::new(doc)),
            other => {
                return Err(Failure::invalid_argument(format!(
                    "expected a ResourceSet and ResourceSetInputProvider objects, got kind {other:?}"
                )));
            }
        }
    }
    let [set] = sets.as_slice() else {
        return Err(Failure::invalid_argument(format!(
            "expected exactly one ResourceSet, got {}",
            sets.len()
        )));
    };
    let rs = ResourceSet::from_resource(set)?;
    let provided = ProvidedInputs { inputs: provided.into_iter().collect(), providers };
    Ok(resourceset::render(&rs, &provided)?)
}

/// One ResourceSet template (`<< >>` delimiters) executed with one input set
/// ([`template::render_str`]; `Null` inputs: none).
pub fn render_resourceset_template(text: &str, inputs: &Value) -> Result<String, Failure> {
    Ok(template::render_str(text, inputs)?)
}

/// For every ImagePolicy among the objects of `objects_yaml`, the latest tag of its
/// ImageRepository among `tags_by_image[spec.image]` ([`automation::latest_images`]). An
/// image missing from `tags_by_image` is an `ImagePolicyError` of kind `tags`.
pub fn latest_images(
    objects_yaml: &str,
    tags_by_image: &BTreeMap<String, Vec<String>>,
    default_namespace: &str,
) -> Result<Vec<automation::Latest>, Failure> {
    let objects = documents(objects_yaml, Profile::Kyaml, Family::Image)?;
    let tags = |image: &str| match tags_by_image.get(image) {
        Some(list) => Ok(list.clone()),
        None => Err("no tags given for this image".to_string()),
    };
    Ok(automation::latest_images(&objects, default_namespace, tags)?)
}

/// `gitops promote --dry-run`: the promotion of `app` from environment `from` to `to`,
/// computed on the files under `root` (environments in `root/clusters`) with
/// kustomize-controller's builder; nothing is written. `values` are
/// `Kind/name:/json/pointer` specs.
pub fn promote(
    root: &Path,
    from: &str,
    to: &str,
    app: &str,
    values: &[String],
    clusters: &Path,
) -> Result<promotion::Promotion, Failure> {
    let values =
        values.iter().map(|v| promotion::ValueSpec::parse(v)).collect::<Result<Vec<_>, _>>()?;
    let root = std::fs::canonicalize(root)
        .map_err(|e| promotion::Error::File { path: root.to_path_buf(), message: e.to_string() })?;
    let options = promotion::Options {
        clusters: clusters.to_path_buf(),
        values,
        ..promotion::Options::default()
    };
    let builder = gitops_kustomize::flux::FluxBuilder::default();
    Ok(promotion::promote(&gitops_core::fs::RealFs, &builder, &root, from, to, app, &options)?)
}

/// `--reorder` (kustomize's flag values and error text).
pub fn reorder(text: &str) -> Result<Reorder, Failure> {
    match text {
        "legacy" => Ok(Reorder::Legacy),
        "none" => Ok(Reorder::None),
        _ => Err(Failure::invalid_argument(format!(
            "illegal flag value --reorder {text}; legal values: [legacy none]"
        ))),
    }
}

/// `--load-restrictor` (kustomize's flag values and error text).
pub fn load_restrictor(text: &str) -> Result<LoadRestrictor, Failure> {
    match text {
        "LoadRestrictionsRootOnly" => Ok(LoadRestrictor::RootOnly),
        "LoadRestrictionsNone" => Ok(LoadRestrictor::None),
        _ => Err(Failure::invalid_argument(format!(
            "illegal flag value --load-restrictor {text}; legal values: [LoadRestrictionsRootOnly LoadRestrictionsNone]"
        ))),
    }
}

/// `spec.postBuild.substituteStrategy`.
pub fn substitute_strategy(text: &str) -> Result<substitute::Strategy, Failure> {
    match text {
        "WithVariables" => Ok(substitute::Strategy::WithVariables),
        "Always" => Ok(substitute::Strategy::Always),
        _ => Err(Failure::invalid_argument(format!(
            "illegal substituteStrategy {text}; legal values: [WithVariables Always]"
        ))),
    }
}

/// Drift-ignore rules from a Kustomization's `spec.ignore` value.
pub fn ignore_rules(spec: Option<&Value>) -> Result<Vec<diff::IgnoreRule>, Failure> {
    diff::IgnoreRule::from_spec(spec).map_err(Failure::from)
}

/// A cluster with no objects: planning against it creates everything (the bindings'
/// `plan` without a live directory).
#[derive(Debug, Clone, Copy, Default)]
pub struct NoCluster;

impl Cluster for NoCluster {
    fn get(&self, _id: &ObjectRef) -> Result<Option<Resource>, cluster::Error> {
        Ok(None)
    }
    fn list(&self, _selector: &cluster::Selector) -> Result<Vec<Resource>, cluster::Error> {
        Ok(Vec::new())
    }
    fn apply(
        &mut self,
        object: &Resource,
        _dry_run: bool,
    ) -> Result<cluster::Applied, cluster::Error> {
        Ok(cluster::Applied { action: plan::Action::Created, object: object.clone() })
    }
    fn delete(&mut self, _id: &ObjectRef, _dry_run: bool) -> Result<bool, cluster::Error> {
        Ok(false)
    }
    fn read_inventory(&self, _owner: &Owner) -> Result<Option<Inventory>, cluster::Error> {
        Ok(None)
    }
    fn write_inventory(
        &mut self,
        _owner: &Owner,
        _inventory: &Inventory,
        _dry_run: bool,
    ) -> Result<(), cluster::Error> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_per_family_and_kind() {
        let cycle =
            deps::Error::Cycle { cycle: vec![deps::NodeId::new("Kustomization", "ns", "a")] };
        let table: Vec<(Failure, &str)> = vec![
            (Failure::from(cycle), "GITOPS_DEPENDENCY_CYCLE"),
            (
                Failure::from(gitops_kustomize::Error::Output {
                    resource: "r".into(),
                    message: "m".into(),
                }),
                "GITOPS_KUSTOMIZE_OUTPUT",
            ),
            (
                Failure::from(notify::Error::NoAddress { provider: "a/b".into() }),
                "GITOPS_NOTIFY_NO_ADDRESS",
            ),
            (reorder("x").unwrap_err(), "GITOPS_INVALID_ARGUMENT"),
        ];
        for (f, code) in table {
            assert_eq!(f.code(), code);
        }
    }

    #[test]
    fn setter_and_workflow_errors() {
        let missing = Failure::from(setters::Error::MissingPolicy {
            file: "a/b.yaml".into(),
            line: 3,
            column: 7,
            setter: "ns:app".into(),
        });
        assert_eq!(missing.code(), "GITOPS_SETTER_MISSING_POLICY");
        assert_eq!((missing.file.as_deref(), missing.line), (Some("a/b.yaml"), Some(3)));
        let cycle = workflow::Error::Deps(deps::Error::Cycle {
            cycle: vec![deps::NodeId::new("Kustomization", "ns", "a")],
        });
        assert_eq!(Failure::from(cycle).code(), "GITOPS_DEPENDENCY_CYCLE");
        let policies = BTreeMap::from([("ns:app".to_string(), "ghcr.io/o/app".to_string())]);
        let err =
            update_setters(Path::new("/nonexistent"), &policies, &Default::default()).unwrap_err();
        assert_eq!(err.code(), "GITOPS_INVALID_ARGUMENT");
        assert_eq!(
            err.message,
            "policy \"ns:app\": image \"ghcr.io/o/app\" has no tag (expected image:tag[@digest])"
        );
    }

    #[test]
    fn option_names() {
        assert_eq!(reorder("none"), Ok(Reorder::None));
        assert_eq!(load_restrictor("LoadRestrictionsNone"), Ok(LoadRestrictor::None));
        assert_eq!(
            load_restrictor("Sometimes").unwrap_err().message,
            "illegal flag value --load-restrictor Sometimes; legal values: [LoadRestrictionsRootOnly LoadRestrictionsNone]"
        );
        assert_eq!(substitute_strategy("Always"), Ok(substitute::Strategy::Always));
    }

    #[test]
    fn resourceset_images_promote() {
        const RS: &str = "apiVersion: fluxcd.controlplane.io/v1\nkind: ResourceSet\nmetadata: {name: apps, namespace: ns}\nspec:\n  inputsFrom: [{kind: ResourceSetInputProvider, name: p}]\n  resources:\n  - {apiVersion: v1, kind: Namespace, metadata: {name: '<< inputs.t >>'}}\n";
        let t = |s: &str| {
            Value::Map([("t".to_string(), Value::String(s.into()))].into_iter().collect())
        };
        let out = render_resourceset(RS, vec![("p".into(), vec![t("a"), t("b")])]).unwrap();
        assert_eq!(out.iter().map(|r| r.name()).collect::<Vec<_>>(), ["a", "b"]);
        let table: Vec<(Failure, &str)> = vec![
            (render_resourceset(RS, Vec::new()).unwrap_err(), "GITOPS_RESOURCESET_PROVIDER_UNAVAILABLE"),
            (render_resourceset("kind: ConfigMap\n", Vec::new()).unwrap_err(), "GITOPS_INVALID_ARGUMENT"),
            (render_resourceset("a: [\n", Vec::new()).unwrap_err(), "GITOPS_RESOURCESET_YAML"),
            (render_resourceset_template("<< inputs.x >>", &t("a")).unwrap_err(), "GITOPS_RESOURCESET_TEMPLATE_EXEC"),
            (render_resourceset_template("<< nope >>", &Value::Null).unwrap_err(), "GITOPS_RESOURCESET_TEMPLATE_PARSE"),
            (latest_images("apiVersion: image.toolkit.fluxcd.io/v1\nkind: ImageRepository\nmetadata: {name: r}\nspec: {image: i}\n---\napiVersion: image.toolkit.fluxcd.io/v1\nkind: ImagePolicy\nmetadata: {name: p}\nspec: {imageRepositoryRef: {name: r}, policy: {semver: {range: 1.x}}}\n", &BTreeMap::new(), "default").unwrap_err(), "GITOPS_IMAGE_TAGS"),
            (promote(Path::new("/nonexistent"), "a", "b", "app", &[], Path::new("clusters")).unwrap_err(), "GITOPS_PROMOTE_FILE"),
            (promote(Path::new("/"), "a", "b", "app", &["x".into()], Path::new("clusters")).unwrap_err(), "GITOPS_PROMOTE_VALUE_SPEC"),
        ];
        for (f, code) in table {
            assert_eq!(f.code(), code, "{}", f.message);
        }
        assert_eq!(render_resourceset_template("<< inputs.t | upper >>", &t("a")), Ok("A".into()));
    }
}
