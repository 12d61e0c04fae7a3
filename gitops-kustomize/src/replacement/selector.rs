//! Resource selectors of replacement targets: kustomize's `Selector` with anchored
//! regular expressions on group, version, kind, name and namespace, and Kubernetes
//! label / annotation selector expressions.

use gitops_core::resource::{ResId, Resource};
use regex::Regex;

use crate::selector::{LabelSelector, accepts};

use super::SelectorArg;

/// A compiled selector.
#[derive(Debug, Clone)]
pub(crate) struct Compiled {
    group: Option<Regex>,
    version: Option<Regex>,
    kind: Option<Regex>,
    name: Option<Regex>,
    namespace: Option<Regex>,
    labels: LabelSelector,
    annotations: LabelSelector,
    /// No group, version, kind, name or namespace given.
    pub(crate) id_empty: bool,
    /// Neither label nor annotation selector given.
    pub(crate) sel_empty: bool,
}

fn anchored(p: &str) -> Result<Option<Regex>, String> {
    crate::selector::anchored(p).map_err(|e| format!("error creating target selector: {e}"))
}

impl Compiled {
    /// Compile a selector.
    pub(crate) fn new(s: &SelectorArg) -> Result<Compiled, String> {
        Ok(Compiled {
            group: anchored(&s.group)?,
            version: anchored(&s.version)?,
            kind: anchored(&s.kind)?,
            name: anchored(&s.name)?,
            namespace: anchored(&s.namespace)?,
            labels: LabelSelector::parse(&s.label_selector)?,
            annotations: LabelSelector::parse(&s.annotation_selector)?,
            id_empty: [&s.group, &s.version, &s.kind, &s.name, &s.namespace]
                .iter()
                .all(|x| x.is_empty()),
            sel_empty: s.label_selector.is_empty() && s.annotation_selector.is_empty(),
        })
    }

    /// Whether the id matches the group/version/kind/name/namespace expressions.
    pub(crate) fn selects_id(&self, id: &ResId) -> bool {
        let is = accepts;
        is(&self.group, &id.gvk.group)
            && is(&self.version, &id.gvk.version)
            && is(&self.kind, &id.gvk.kind)
            && is(&self.name, &id.name)
            && is(&self.namespace, &id.namespace)
    }

    /// Whether the resource's labels and annotations match.
    pub(crate) fn selects_meta(&self, r: &Resource) -> bool {
        self.labels.matches(r.labels()) && self.annotations.matches(r.annotations())
    }
}
