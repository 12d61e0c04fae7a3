//! The name-reference fix-up (kustomize's `nameReferenceTransformer`, run once at the top
//! level after every name change): a field that holds the old name of a renamed object is
//! rewritten to its new name.
//!
//! For each rule of [`NAME_REFERENCE`] and each referrer field spec, every resource whose
//! *original* id the spec selects is a referrer. A reference is resolved among the
//! candidates the referrer may see (same namespace, cluster-scoped, or a namespace named by
//! a RoleBinding's ServiceAccount subject), keeping those that
//! 1. once had the referenced name,
//! 2. once had the rule's GVK,
//! 3. for `roleRef/name`, once had the `roleRef`'s apiGroup and kind,
//! 4. are in the referrer's current namespace (cluster-scoped objects and ServiceAccounts
//!    always pass);
//!
//! then, if more than one is left, those with the referrer's prefix/suffix history. Several
//! candidates left with the same new name (and namespace, for `{name, namespace}` maps) are
//! one; otherwise it is the error "found multiple possible referrals".

use std::cell::RefCell;
use std::collections::HashSet;

use gitops_core::resource::{FxHashMap, Gvk, ResId, Resource, ResourceList, scalar_text};
use gitops_core::yaml::Value;

use super::retype::{Retypes, settle_resource};
use super::{Create, apply_selected};
use crate::fieldspecs::{FieldSpec, NAME_REFERENCE};

/// What the fix-up needs to know about a possible referral.
struct Candidate<'a> {
    res: &'a Resource,
    cur: &'a ResId,
    prev: Vec<ResId>,
    org_effective_ns: String,
}

/// All resources, indexed by every previous name.
struct Candidates<'a> {
    all: Vec<Candidate<'a>>,
    by_prev_name: FxHashMap<String, Vec<usize>>,
    /// Original effective namespace → the (effective, written) current namespaces of the
    /// namespaced resources that started there.
    org_ns: FxHashMap<String, HashSet<(String, String)>>,
}

fn selected(id: &ResId, group: &str, version: &str, kind: &str) -> bool {
    id.gvk.is_selected_by(group, version, kind)
}

/// The namespaces of a RoleBinding's ServiceAccount subjects (kustomize lets a RoleBinding
/// see ServiceAccounts there).
fn role_binding_namespaces(r: &Resource) -> Result<HashSet<String>, String> {
    let mut out = HashSet::new();
    if r.kind() != "RoleBinding" {
        return Ok(out);
    }
    let Some(subjects) = r.value().get("subjects").and_then(Value::as_seq) else {
        return Ok(out);
    };
    for s in subjects {
        let (Some(ns), Some(kind)) = (s.get("namespace"), s.get("kind")) else { continue };
        if kind.as_str() != Some("ServiceAccount") {
            continue;
        }
        match ns {
            Value::String(n) => {
                out.insert(n.clone());
            }
            _ => {
                return Err(format!(
                    "Invalid Input: namespace is blank for resource \"{}\"",
                    r.id()
                ));
            }
        }
    }
    Ok(out)
}

/// The referrer's side of one reference.
struct Referrer<'r> {
    res: &'r Resource,
    role_binding_ns: HashSet<String>,
}

impl Referrer<'_> {
    /// kustomize's `SubsetThatCouldBeReferencedByResource`.
    fn can_see(&self, c: &Candidate<'_>) -> bool {
        let me = self.res.id();
        me.is_cluster_scoped()
            || c.cur.is_cluster_scoped()
            || c.cur.effective_namespace() == me.effective_namespace()
            || self.role_binding_ns.contains(&c.cur.namespace)
    }
}

/// The referral kind of a rule.
#[derive(Clone, Copy)]
struct Target<'a> {
    group: &'a str,
    version: &'a str,
    kind: &'a str,
}

/// One rule applied to one referrer field.
struct Rule<'a> {
    target: Target<'a>,
    spec: FieldSpec<'a>,
}

fn role_ref_gvk(obj: &Value) -> Option<(String, String)> {
    let rr = obj.get("roleRef")?;
    let group = scalar_text(rr.get("apiGroup")?);
    let kind = scalar_text(rr.get("kind")?);
    Some((group, kind))
}

impl Candidates<'_> {
    #[allow(clippy::too_many_arguments)]
    fn select(
        &self,
        rule: &Rule<'_>,
        referrer: &Referrer<'_>,
        role_ref: Option<&(String, String)>,
        old_name: &str,
        pool: Option<&dyn Fn(&Candidate<'_>) -> bool>,
        with_namespace: bool,
    ) -> Result<Option<usize>, String> {
        let Some(indices) = self.by_prev_name.get(old_name) else { return Ok(None) };
        let me = referrer.res.id();
        let t = rule.target;
        let mut found: Vec<usize> = indices
            .iter()
            .copied()
            .filter(|&i| {
                let Some(c) = self.all.get(i) else { return false };
                referrer.can_see(c)
                    && pool.is_none_or(|p| p(c))
                    && c.prev.iter().any(|id| selected(id, t.group, t.version, t.kind))
                    && role_ref.is_none_or(|(g, k)| c.prev.iter().any(|id| selected(id, g, "", k)))
                    && (me.is_cluster_scoped()
                        || c.cur.is_cluster_scoped()
                        || c.res.kind() == "ServiceAccount"
                        || c.cur.effective_namespace() == me.effective_namespace())
            })
            .collect();
        if found.len() > 1 {
            let same_history = |allow_empty: bool| {
                move |i: &usize| {
                    self.all
                        .get(*i)
                        .is_some_and(|c| c.res.prefixes_suffixes_equal(referrer.res, allow_empty))
                }
            };
            found.retain(same_history(true));
            if found.len() > 1 {
                found.retain(same_history(false));
            }
        } else if found.len() == 1 {
            return Ok(found.first().copied());
        }
        let cands: Vec<&Candidate<'_>> = found.iter().filter_map(|&i| self.all.get(i)).collect();
        let Some(first) = cands.first() else { return Ok(None) };
        let identical = cands.iter().all(|c| {
            c.cur.name == first.cur.name
                && (!with_namespace || c.cur.namespace == first.cur.namespace)
        });
        if identical {
            return Ok(found.first().copied());
        }
        let ids: Vec<String> = cands.iter().map(|c| c.cur.to_string()).collect();
        Err(format!("found multiple possible referrals: {}", ids.join(", ")))
    }
}

/// Resolve the references found at one referrer field.
struct Fixer<'a, 'b> {
    cands: &'a Candidates<'b>,
    rule: Rule<'a>,
    referrer: &'a Referrer<'a>,
    role_ref: Option<(String, String)>,
    /// The names written (kyaml's `FieldSetter{StringValue}` may re-type them).
    retypes: &'a RefCell<Retypes>,
}

impl Fixer<'_, '_> {
    fn set(&self, node: &mut Value) -> Result<(), String> {
        match node {
            Value::Null => Ok(()),
            Value::Map(_) => self.set_map(node),
            Value::Seq(items) => items.iter_mut().try_for_each(|item| match item {
                Value::Null => Ok(()),
                Value::Map(_) => self.set_map(item),
                Value::Seq(_) => {
                    Err("a list item is expected to be either a string or a map of string".into())
                }
                _ => self.set_scalar(item),
            }),
            _ => self.set_scalar(node),
        }
    }

    fn set_scalar(&self, node: &mut Value) -> Result<(), String> {
        let old = scalar_text(node);
        let found = self.cands.select(
            &self.rule,
            self.referrer,
            self.role_ref.as_ref(),
            &old,
            None,
            false,
        )?;
        if let Some(c) = found.and_then(|i| self.cands.all.get(i))
            && c.cur.name != old
        {
            self.retypes.borrow_mut().set(node, &old, c.cur.name.clone());
        }
        Ok(())
    }

    fn set_map(&self, node: &mut Value) -> Result<(), String> {
        let Some(m) = node.as_map_mut() else { return Ok(()) };
        let Some(name) = m.get("name") else {
            return Err("path config error; no 'name' field in node".into());
        };
        let old = scalar_text(name);
        let found = match m.get("namespace").map(scalar_text) {
            None => self.cands.select(
                &self.rule,
                self.referrer,
                self.role_ref.as_ref(),
                &old,
                None,
                true,
            )?,
            Some(ns) => {
                // Candidates whose original namespace is `ns`; failing any, whose current one is.
                let me = self.referrer.res.id();
                let by_org = self.cands.org_ns.get(&ns).is_some_and(|set| {
                    set.iter().any(|(eff, raw)| {
                        me.is_cluster_scoped()
                            || eff == me.effective_namespace()
                            || self.referrer.role_binding_ns.contains(raw)
                    })
                });
                let pool = move |c: &Candidate<'_>| {
                    !c.cur.is_cluster_scoped()
                        && if by_org {
                            c.org_effective_ns == ns
                        } else {
                            c.cur.effective_namespace() == ns
                        }
                };
                self.cands.select(
                    &self.rule,
                    self.referrer,
                    self.role_ref.as_ref(),
                    &old,
                    Some(&pool),
                    true,
                )?
            }
        };
        let Some(c) = found.and_then(|i| self.cands.all.get(i)) else { return Ok(()) };
        if c.cur.name == old && c.cur.namespace.is_empty() {
            return Ok(());
        }
        // The namespace first: a new key may move the entries, and `retypes` remembers
        // where the name is.
        if !c.cur.namespace.is_empty() {
            match m.get_mut("namespace") {
                Some(ns) => {
                    let old_ns = scalar_text(ns);
                    self.retypes.borrow_mut().set(ns, &old_ns, c.cur.namespace.clone());
                }
                None => {
                    m.insert("namespace".into(), Value::String(c.cur.namespace.clone()));
                }
            }
        }
        if let Some(name) = m.get_mut("name") {
            self.retypes.borrow_mut().set(name, &old, c.cur.name.clone());
        }
        Ok(())
    }
}

/// Run the fix-up over the whole list.
pub(crate) fn run(
    list: &mut ResourceList,
    extra: &[crate::crds::CrdNameRef],
) -> Result<(), String> {
    // Only renamed or moved resources can be referral targets; nothing to do without any.
    if !list.iter().any(Resource::has_prev_ids) {
        // kustomize still looks up candidates for every RoleBinding reference field, and
        // that lookup rejects a ServiceAccount subject whose namespace is not a string.
        for r in list.iter() {
            let v = r.value();
            if v.get("roleRef").and_then(|x| x.get("name")).is_some() || v.get("subjects").is_some()
            {
                role_binding_namespaces(r)?;
            }
        }
        return Ok(());
    }
    // The candidates need every resource's identity and history, not its object: copy
    // those only (the objects are edited below).
    let snapshot: Vec<Resource> = list.iter().map(Resource::clone_identity).collect();
    let mut cands = Candidates {
        all: Vec::with_capacity(snapshot.len()),
        by_prev_name: FxHashMap::default(),
        org_ns: FxHashMap::default(),
    };
    for (i, r) in snapshot.iter().enumerate() {
        let prev: Vec<ResId> = r.prev_ids().collect();
        for id in &prev {
            let slot = cands.by_prev_name.entry(id.name.clone()).or_default();
            if slot.last() != Some(&i) {
                slot.push(i);
            }
        }
        let org_effective_ns = r.org_id().effective_namespace().to_owned();
        if !r.id().is_cluster_scoped() {
            cands
                .org_ns
                .entry(org_effective_ns.clone())
                .or_default()
                .insert((r.id().effective_namespace().to_owned(), r.namespace().to_owned()));
        }
        cands.all.push(Candidate { res: r, cur: r.id(), prev, org_effective_ns });
    }
    // Referrers are chosen by their original id, before any change; the rules that apply
    // depend on its GVK only, so they are worked out once per GVK.
    let mut rules_by_gvk: FxHashMap<Gvk, Vec<Rule<'_>>> = FxHashMap::default();
    let mut index = 0usize;
    list.update(|r| -> Result<(), String> {
        let i = index;
        index += 1;
        let Some(me) = snapshot.get(i) else { return Ok(()) };
        let org = me.org_id();
        let rules = rules_by_gvk.entry(org.gvk.clone()).or_insert_with(|| {
            let mut rules = Vec::new();
            for t in NAME_REFERENCE {
                let target = Target { group: t.group, version: t.version, kind: t.kind };
                for spec in t.referrers {
                    if selected(&org, spec.group, spec.version, spec.kind) {
                        rules.push(Rule { target, spec: *spec });
                    }
                }
            }
            for x in extra {
                let target = Target { group: &x.group, version: &x.version, kind: &x.kind };
                let f = &x.referrer;
                if selected(&org, &f.group, &f.version, &f.kind) {
                    let spec = FieldSpec {
                        group: &f.group,
                        version: &f.version,
                        kind: &f.kind,
                        path: &f.path,
                        create: f.create,
                    };
                    rules.push(Rule { target, spec });
                }
            }
            rules
        });
        if rules.is_empty() {
            return Ok(());
        }
        // The object as it was before this pass (each resource is edited in its own turn).
        let referrer = Referrer { res: me, role_binding_ns: role_binding_namespaces(&*r)? };
        let role_ref = role_ref_gvk(r.value());
        // One edit for all rules: the fix-ups read the snapshot, never this object's id.
        let retypes = RefCell::new(Retypes::default());
        r.edit(|obj| {
            rules.iter().try_for_each(|rule| {
                let spec = FieldSpec {
                    group: "",
                    version: "",
                    kind: "",
                    path: rule.spec.path,
                    create: rule.spec.create,
                };
                let rr =
                    if rule.spec.path.ends_with("roleRef/name") { role_ref.clone() } else { None };
                let rule = Rule { target: rule.target, spec: rule.spec };
                let fixer = Fixer {
                    cands: &cands,
                    rule,
                    referrer: &referrer,
                    role_ref: rr,
                    retypes: &retypes,
                };
                apply_selected(&spec, obj, Create::Nothing, &mut |n| fixer.set(n)).map_err(|e| {
                    let what = me.id();
                    format!("updating name reference in '{}' field of '{what}': {e}", spec.path)
                })
            })
        })?;
        settle_resource(r, retypes.into_inner());
        Ok(())
    })
}
