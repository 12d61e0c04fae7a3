//! Patch targets: kustomize's `Selector` (anchored regexes on group, version, kind, name,
//! namespace) and Kubernetes label/annotation selectors.

use gitops_core::resource::Resource;
use gitops_core::yaml::Value;
use regex::Regex;

use crate::selector::{LabelSelector, accepts};

/// A compiled `target:`.
#[derive(Debug, Clone)]
pub struct Selector {
    group: Option<Regex>,
    version: Option<Regex>,
    kind: Option<Regex>,
    name: Option<Regex>,
    namespace: Option<Regex>,
    labels: LabelSelector,
    annotations: LabelSelector,
}

fn anchored(field: &str, v: &Value) -> Result<Option<Regex>, String> {
    let text = match v.get(field) {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::String(s)) => s.clone(),
        Some(other) => {
            return Err(format!(
                "json: cannot unmarshal {} into Go struct field Selector.{field} of type string",
                other.kind_name()
            ));
        }
    };
    crate::selector::anchored(&text)
}

impl Selector {
    /// Compile a `target:` mapping.
    pub fn new(v: &Value) -> Result<Selector, String> {
        if !matches!(v, Value::Map(_)) {
            return Err(format!(
                "json: cannot unmarshal {} into Go struct field Patch.target of type types.Selector",
                v.kind_name()
            ));
        }
        let text = |k: &str| v.get(k).and_then(Value::as_str).unwrap_or("");
        Ok(Selector {
            group: anchored("group", v)?,
            version: anchored("version", v)?,
            kind: anchored("kind", v)?,
            name: anchored("name", v)?,
            namespace: anchored("namespace", v)?,
            labels: LabelSelector::parse(text("labelSelector"))?,
            annotations: LabelSelector::parse(text("annotationSelector"))?,
        })
    }

    /// Whether `r` is selected (kustomize's `resWrangler.Select`): name and namespace may
    /// match the original or the current id.
    pub fn matches(&self, r: &Resource) -> bool {
        let is = accepts;
        let org = r.org_id();
        let cur = r.id();
        if !is(&self.namespace, org.effective_namespace())
            && !is(&self.namespace, cur.effective_namespace())
        {
            return false;
        }
        if !is(&self.name, &org.name) && !is(&self.name, &cur.name) {
            return false;
        }
        let g = r.gvk();
        if !is(&self.group, &g.group) || !is(&self.version, &g.version) || !is(&self.kind, &g.kind)
        {
            return false;
        }
        self.labels.matches(r.labels()) && self.annotations.matches(r.annotations())
    }
}
