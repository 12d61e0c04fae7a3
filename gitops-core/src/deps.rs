//! The `dependsOn` graph of Flux Kustomizations and HelmReleases: a deterministic
//! topological [`order`] (Flux's own, `fluxcd/pkg runtime/dependency/sort.go`), parallel
//! [`waves`], and [`to_dot`] / [`to_mermaid`] renderings.
//!
//! | item | what |
//! |---|---|
//! | [`NodeId`] / [`Node`] | an object and the objects it depends on |
//! | [`nodes_from_resources`] | nodes from Kustomization / HelmRelease objects (`spec.dependsOn`) |
//! | [`order`] | dependencies first: Flux's depth-first post-order over the input order |
//! | [`waves`] | groups that can run in parallel: each node one wave after its last dependency |
//! | [`to_dot`] / [`to_mermaid`] | the graph as Graphviz or Mermaid text |
//!
//! A dependency's namespace defaults to the dependent's; cross-namespace references are
//! allowed. Cycles are errors named as Flux names them
//! (`circular dependency detected: ns/a -> ns/b -> ns/a`), and so is a dependency that is
//! not among the nodes (Flux finds that out at reconcile time; offline we say it up front).
//!
//! ```
//! use gitops_core::deps::{Node, NodeId, order, waves};
//! let id = |n: &str| NodeId::new("Kustomization", "flux-system", n);
//! let nodes = vec![
//!     Node { id: id("apps"), depends_on: vec![id("infra"), id("crds")] },
//!     Node { id: id("infra"), depends_on: vec![id("crds")] },
//!     Node { id: id("crds"), depends_on: vec![] },
//! ];
//! let names = |v: Vec<NodeId>| v.into_iter().map(|n| n.name).collect::<Vec<_>>();
//! assert_eq!(names(order(&nodes).unwrap()), ["crds", "infra", "apps"]);
//! assert_eq!(waves(&nodes).unwrap().len(), 3);
//! ```

use std::collections::HashMap;
use std::fmt;

use crate::resource::Resource;
use crate::yaml::Value;

/// One object in the graph.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeId {
    /// `Kustomization` or `HelmRelease`.
    pub kind: String,
    /// The namespace.
    pub namespace: String,
    /// The name.
    pub name: String,
}

impl NodeId {
    /// Build an id.
    pub fn new(
        kind: impl Into<String>,
        namespace: impl Into<String>,
        name: impl Into<String>,
    ) -> Self {
        NodeId { kind: kind.into(), namespace: namespace.into(), name: name.into() }
    }
}

impl fmt::Display for NodeId {
    /// Flux's `NamespacedObjectReference.String()`: `namespace/name` (`name` alone when
    /// the namespace is empty). The kind is not part of it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.namespace.is_empty() {
            write!(f, "{}", self.name)
        } else {
            write!(f, "{}/{}", self.namespace, self.name)
        }
    }
}

/// An object and what it depends on (namespaces already defaulted).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    /// The object.
    pub id: NodeId,
    /// Its dependencies, in declaration order.
    pub depends_on: Vec<NodeId>,
}

/// What can go wrong with a dependency graph.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// A cycle, from the first node the search entered it by back to the repeated node.
    #[error("circular dependency detected: {}", join(cycle))]
    Cycle {
        /// The nodes along the cycle; the first and last are the same node.
        cycle: Vec<NodeId>,
    },
    /// A dependency that is not among the nodes.
    #[error("{} {} depends on {}, which does not exist", node.kind, node, dependency)]
    Missing {
        /// The dependent.
        node: Box<NodeId>,
        /// The dependency it names.
        dependency: Box<NodeId>,
    },
    /// The same object given twice.
    #[error("{} {} is listed more than once", id.kind, id)]
    Duplicate {
        /// The object.
        id: NodeId,
    },
    /// A `spec.dependsOn` entry that cannot be read.
    #[error("{} {}: spec.dependsOn[{index}]: {message}", node.kind, node)]
    InvalidDependsOn {
        /// The object.
        node: NodeId,
        /// The entry's index.
        index: usize,
        /// What is wrong.
        message: String,
    },
}

fn join(cycle: &[NodeId]) -> String {
    cycle.iter().map(ToString::to_string).collect::<Vec<_>>().join(" -> ")
}

/// Index the nodes; errors on duplicates and on dependencies that are not nodes (in input
/// order, dependencies in declaration order).
fn index(nodes: &[Node]) -> Result<HashMap<&NodeId, usize>, Error> {
    let mut at = HashMap::with_capacity(nodes.len());
    for (i, n) in nodes.iter().enumerate() {
        if at.insert(&n.id, i).is_some() {
            return Err(Error::Duplicate { id: n.id.clone() });
        }
    }
    for n in nodes {
        if let Some(d) = n.depends_on.iter().find(|d| !at.contains_key(d)) {
            return Err(Error::Missing {
                node: Box::new(n.id.clone()),
                dependency: Box::new(d.clone()),
            });
        }
    }
    Ok(at)
}

#[derive(Clone, Copy, PartialEq)]
enum Mark {
    None,
    Temporary,
    Permanent,
}

/// Dependencies first, as Flux sorts (`runtime/dependency/sort.go`): a depth-first search
/// over the nodes in input order, each node's dependencies in declaration order, a node
/// emitted after all of its dependencies.
///
/// Errors: [`Error::Duplicate`], [`Error::Missing`] (checked first), [`Error::Cycle`] with
/// the path Flux reports (a self-dependency is `ns/a -> ns/a`).
pub fn order(nodes: &[Node]) -> Result<Vec<NodeId>, Error> {
    let at = index(nodes)?;
    let mut mark = vec![Mark::None; nodes.len()];
    let mut sorted = Vec::with_capacity(nodes.len());
    // Iterative DFS: (node, next dependency to visit).
    let mut stack: Vec<(usize, usize)> = Vec::new();
    for root in 0..nodes.len() {
        if mark[root] != Mark::None {
            continue;
        }
        mark[root] = Mark::Temporary;
        stack.push((root, 0));
        while let Some(&mut (u, ref mut next)) = stack.last_mut() {
            let deps = &nodes[u].depends_on;
            if let Some(dep) = deps.get(*next) {
                *next += 1;
                let v = at.get(dep).copied().unwrap_or(u);
                match mark[v] {
                    Mark::Permanent => {}
                    Mark::Temporary => {
                        // The path from v (on the stack, or u itself) down to u, then v.
                        let from = stack.iter().position(|(n, _)| *n == v).unwrap_or(0);
                        let mut cycle: Vec<NodeId> =
                            stack[from..].iter().map(|(n, _)| nodes[*n].id.clone()).collect();
                        cycle.push(nodes[v].id.clone());
                        // Flux reports the whole DFS path from the root, not only the loop.
                        let prefix: Vec<NodeId> =
                            stack[..from].iter().map(|(n, _)| nodes[*n].id.clone()).collect();
                        return Err(Error::Cycle { cycle: [prefix, cycle].concat() });
                    }
                    Mark::None => {
                        mark[v] = Mark::Temporary;
                        stack.push((v, 0));
                    }
                }
            } else {
                mark[u] = Mark::Permanent;
                sorted.push(nodes[u].id.clone());
                stack.pop();
            }
        }
    }
    Ok(sorted)
}

/// Groups of nodes that can be reconciled in parallel: a node without dependencies is in
/// wave 0, any other one wave after its latest dependency. Inside a wave, nodes keep the
/// relative order of [`order`], so the waves read one after another are a valid order.
///
/// ```
/// use gitops_core::deps::{Node, NodeId, waves};
/// let id = |n: &str| NodeId::new("HelmRelease", "apps", n);
/// let nodes = vec![
///     Node { id: id("web"), depends_on: vec![id("db"), id("cache")] },
///     Node { id: id("db"), depends_on: vec![] },
///     Node { id: id("cache"), depends_on: vec![] },
/// ];
/// let w = waves(&nodes).unwrap();
/// assert_eq!(w[0], [id("db"), id("cache")]);
/// assert_eq!(w[1], [id("web")]);
/// ```
pub fn waves(nodes: &[Node]) -> Result<Vec<Vec<NodeId>>, Error> {
    let sorted = order(nodes)?;
    let by_id: HashMap<&NodeId, &Node> = nodes.iter().map(|n| (&n.id, n)).collect();
    let mut level: HashMap<&NodeId, usize> = HashMap::with_capacity(sorted.len());
    let mut out: Vec<Vec<NodeId>> = Vec::new();
    for id in &sorted {
        let deps = by_id.get(id).map(|n| n.depends_on.as_slice()).unwrap_or_default();
        let l = deps.iter().filter_map(|d| level.get(d)).map(|l| l + 1).max().unwrap_or(0);
        level.insert(id, l);
        if out.len() <= l {
            out.resize_with(l + 1, Vec::new);
        }
        if let Some(w) = out.get_mut(l) {
            w.push(id.clone());
        }
    }
    Ok(out)
}

/// The API groups whose objects have a `dependsOn` we read.
const KINDS: &[(&str, &str)] =
    &[("kustomize.toolkit.fluxcd.io", "Kustomization"), ("helm.toolkit.fluxcd.io", "HelmRelease")];

/// Nodes for the Flux Kustomizations (`kustomize.toolkit.fluxcd.io`) and HelmReleases
/// (`helm.toolkit.fluxcd.io`) among `resources`, in their order; other objects are
/// skipped. `spec.dependsOn` entries are `{name, namespace?}`; a dependency has the
/// dependent's kind (Flux does not mix kinds) and, without a namespace, the dependent's.
/// An object without a namespace is taken to be in `default`.
///
/// ```
/// use gitops_core::deps::{NodeId, nodes_from_resources};
/// use gitops_core::resource::Resource;
/// use gitops_core::yaml::{Limits, Profile, parse_values};
/// let text = "apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: apps\n  namespace: flux-system\nspec:\n  dependsOn:\n  - name: infra\n  - name: certs\n    namespace: cert-manager\n";
/// let res: Vec<Resource> = parse_values(text, Profile::Kyaml, &Limits::default()).unwrap().into_iter().map(Resource::new).collect();
/// let nodes = nodes_from_resources(&res).unwrap();
/// assert_eq!(nodes[0].depends_on, [
///     NodeId::new("Kustomization", "flux-system", "infra"),
///     NodeId::new("Kustomization", "cert-manager", "certs"),
/// ]);
/// ```
pub fn nodes_from_resources(resources: &[Resource]) -> Result<Vec<Node>, Error> {
    let mut out = Vec::new();
    for r in resources {
        if !KINDS.iter().any(|(g, k)| r.group() == *g && r.kind() == *k) {
            continue;
        }
        let ns = if r.namespace().is_empty() { "default" } else { r.namespace() };
        let id = NodeId::new(r.kind(), ns, r.name());
        let mut depends_on = Vec::new();
        match r.value().get_path(&["spec", "dependsOn"]) {
            None | Some(Value::Null) => {}
            Some(Value::Seq(items)) => {
                for (index, item) in items.iter().enumerate() {
                    let bad = |message: &str| Error::InvalidDependsOn {
                        node: id.clone(),
                        index,
                        message: message.to_owned(),
                    };
                    let name = match item.get("name") {
                        Some(Value::String(s)) if !s.is_empty() => s.clone(),
                        _ => return Err(bad("name must be a non-empty string")),
                    };
                    let namespace = match item.get("namespace") {
                        None | Some(Value::Null) => ns.to_owned(),
                        Some(Value::String(s)) if s.is_empty() => ns.to_owned(),
                        Some(Value::String(s)) => s.clone(),
                        Some(_) => return Err(bad("namespace must be a string")),
                    };
                    depends_on.push(NodeId::new(r.kind(), namespace, name));
                }
            }
            Some(other) => {
                return Err(Error::InvalidDependsOn {
                    node: id,
                    index: 0,
                    message: format!("expected a list, found a {}", other.kind_name()),
                });
            }
        }
        out.push(Node { id, depends_on });
    }
    Ok(out)
}

fn label(id: &NodeId) -> String {
    format!("{} {}", id.kind, id)
}

/// Graphviz text: one node per object (in [`order`]), an edge from each object to each of
/// its dependencies (`"a" -> "b"` reads "a depends on b").
///
/// ```
/// use gitops_core::deps::{Node, NodeId, to_dot};
/// let id = |n: &str| NodeId::new("Kustomization", "flux-system", n);
/// let nodes = vec![Node { id: id("apps"), depends_on: vec![id("infra")] }, Node { id: id("infra"), depends_on: vec![] }];
/// assert_eq!(to_dot(&nodes).unwrap(), "digraph dependencies {\n  rankdir=LR;\n  \"Kustomization flux-system/infra\";\n  \"Kustomization flux-system/apps\";\n  \"Kustomization flux-system/apps\" -> \"Kustomization flux-system/infra\";\n}\n");
/// ```
pub fn to_dot(nodes: &[Node]) -> Result<String, Error> {
    let sorted = order(nodes)?;
    let by_id: HashMap<&NodeId, &Node> = nodes.iter().map(|n| (&n.id, n)).collect();
    let q = |id: &NodeId| {
        let mut s = String::from("\"");
        for c in label(id).chars() {
            if c == '"' || c == '\\' {
                s.push('\\');
            }
            s.push(c);
        }
        s.push('"');
        s
    };
    let mut out = String::from("digraph dependencies {\n  rankdir=LR;\n");
    for id in &sorted {
        out.push_str(&format!("  {};\n", q(id)));
    }
    for id in &sorted {
        for d in by_id.get(id).map(|n| n.depends_on.as_slice()).unwrap_or_default() {
            out.push_str(&format!("  {} -> {};\n", q(id), q(d)));
        }
    }
    out.push_str("}\n");
    Ok(out)
}

/// Mermaid flowchart text: nodes `n0`, `n1`, ... in [`order`] with their labels, and an
/// arrow from each object to each of its dependencies.
///
/// ```
/// use gitops_core::deps::{Node, NodeId, to_mermaid};
/// let id = |n: &str| NodeId::new("HelmRelease", "apps", n);
/// let nodes = vec![Node { id: id("web"), depends_on: vec![id("db")] }, Node { id: id("db"), depends_on: vec![] }];
/// assert_eq!(to_mermaid(&nodes).unwrap(), "flowchart LR\n  n0[\"HelmRelease apps/db\"]\n  n1[\"HelmRelease apps/web\"]\n  n1 --> n0\n");
/// ```
pub fn to_mermaid(nodes: &[Node]) -> Result<String, Error> {
    let sorted = order(nodes)?;
    let by_id: HashMap<&NodeId, &Node> = nodes.iter().map(|n| (&n.id, n)).collect();
    let num: HashMap<&NodeId, usize> = sorted.iter().enumerate().map(|(i, id)| (id, i)).collect();
    let mut out = String::from("flowchart LR\n");
    for (i, id) in sorted.iter().enumerate() {
        let text = label(id).replace('"', "#quot;");
        out.push_str(&format!("  n{i}[\"{text}\"]\n"));
    }
    for id in &sorted {
        let Some(from) = num.get(id) else { continue };
        for d in by_id.get(id).map(|n| n.depends_on.as_slice()).unwrap_or_default() {
            if let Some(to) = num.get(d) {
                out.push_str(&format!("  n{from} --> n{to}\n"));
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ks(ns: &str, name: &str) -> NodeId {
        NodeId::new("Kustomization", ns, name)
    }

    fn node(ns: &str, name: &str, deps: &[(&str, &str)]) -> Node {
        Node { id: ks(ns, name), depends_on: deps.iter().map(|(n, m)| ks(n, m)).collect() }
    }

    fn show(ids: &[NodeId]) -> Vec<String> {
        ids.iter().map(ToString::to_string).collect()
    }

    /// (name, nodes, Ok(order) | Err(message))
    type SortCase = (&'static str, Vec<Node>, Result<Vec<&'static str>, &'static str>);

    #[test]
    fn sort_table() {
        let cases: Vec<SortCase> = vec![
            (
                "simple",
                vec![
                    node("default", "frontend", &[("linkerd", "linkerd"), ("default", "backend")]),
                    node("linkerd", "linkerd", &[]),
                    node("default", "backend", &[("linkerd", "linkerd")]),
                ],
                Ok(vec!["linkerd/linkerd", "default/backend", "default/frontend"]),
            ),
            (
                "circular",
                vec![
                    node("default", "dependency", &[("default", "endless")]),
                    node("default", "endless", &[("default", "circular")]),
                    node("default", "circular", &[("default", "dependency")]),
                ],
                Err(
                    "circular dependency detected: default/dependency -> default/endless -> default/circular -> default/dependency",
                ),
            ),
            (
                "cycle below the root keeps the path from the root",
                vec![
                    node("ns", "a", &[("ns", "b")]),
                    node("ns", "b", &[("ns", "c")]),
                    node("ns", "c", &[("ns", "b")]),
                ],
                Err("circular dependency detected: ns/a -> ns/b -> ns/c -> ns/b"),
            ),
            (
                "self dependency",
                vec![node("ns", "a", &[("ns", "a")])],
                Err("circular dependency detected: ns/a -> ns/a"),
            ),
            (
                "two-node cycle",
                vec![
                    node("flux-system", "a", &[("flux-system", "b")]),
                    node("flux-system", "b", &[("flux-system", "a")]),
                ],
                Err(
                    "circular dependency detected: flux-system/a -> flux-system/b -> flux-system/a",
                ),
            ),
            (
                "dead end: independent nodes keep input order",
                vec![
                    node("default", "backend", &[("default", "common")]),
                    node("default", "frontend", &[("default", "infra")]),
                    node("default", "common", &[]),
                    node("default", "infra", &[]),
                ],
                Ok(vec!["default/common", "default/backend", "default/infra", "default/frontend"]),
            ),
            (
                "missing dependency names both sides",
                vec![node("flux-system", "web", &[("flux-system", "infra")])],
                Err(
                    "Kustomization flux-system/web depends on flux-system/infra, which does not exist",
                ),
            ),
            (
                "missing is reported before a cycle",
                vec![node("ns", "a", &[("ns", "a")]), node("ns", "b", &[("ns", "zz")])],
                Err("Kustomization ns/b depends on ns/zz, which does not exist"),
            ),
            (
                "duplicate",
                vec![node("ns", "a", &[]), node("ns", "a", &[])],
                Err("Kustomization ns/a is listed more than once"),
            ),
            (
                "diamond",
                vec![
                    node("ns", "top", &[("ns", "left"), ("ns", "right")]),
                    node("ns", "left", &[("ns", "base")]),
                    node("ns", "right", &[("ns", "base")]),
                    node("ns", "base", &[]),
                ],
                Ok(vec!["ns/base", "ns/left", "ns/right", "ns/top"]),
            ),
            ("empty", vec![], Ok(vec![])),
            (
                "repeated dependency is harmless",
                vec![node("ns", "a", &[("ns", "b"), ("ns", "b")]), node("ns", "b", &[])],
                Ok(vec!["ns/b", "ns/a"]),
            ),
        ];
        for (name, nodes, want) in cases {
            let got = order(&nodes).map(|v| show(&v)).map_err(|e| e.to_string());
            let want =
                want.map(|v| v.into_iter().map(str::to_owned).collect()).map_err(str::to_owned);
            assert_eq!(got, want, "{name}");
        }
    }

    #[test]
    fn waves_table() {
        let nodes = vec![
            node("ns", "apps", &[("ns", "infra"), ("ns", "config")]),
            node("ns", "infra", &[("ns", "crds")]),
            node("ns", "crds", &[]),
            node("ns", "config", &[]),
            node("ns", "monitoring", &[("ns", "crds")]),
        ];
        let w: Vec<Vec<String>> = waves(&nodes).unwrap().iter().map(|w| show(w)).collect();
        assert_eq!(
            w,
            vec![vec!["ns/crds", "ns/config"], vec!["ns/infra", "ns/monitoring"], vec!["ns/apps"],]
        );
        assert_eq!(
            waves(&[node("ns", "a", &[("ns", "a")])]).unwrap_err().to_string(),
            "circular dependency detected: ns/a -> ns/a"
        );
        assert!(waves(&[]).unwrap().is_empty());
    }

    #[test]
    fn long_chain_does_not_recurse() {
        let n = 20_000;
        let nodes: Vec<Node> = (0..n)
            .map(|i| {
                let deps = if i + 1 < n { vec![ks("ns", &format!("n{}", i + 1))] } else { vec![] };
                Node { id: ks("ns", &format!("n{i}")), depends_on: deps }
            })
            .collect();
        let o = order(&nodes).unwrap();
        assert_eq!(o.first().map(|i| i.name.as_str()), Some("n19999"));
        assert_eq!(waves(&nodes).unwrap().len(), n);
    }

    #[test]
    fn renderings_escape() {
        let nodes =
            vec![Node { id: NodeId::new("Kustomization", "a\"b", "c"), depends_on: vec![] }];
        assert!(to_dot(&nodes).unwrap().contains("\"Kustomization a\\\"b/c\""));
        assert!(to_mermaid(&nodes).unwrap().contains("n0[\"Kustomization a#quot;b/c\"]"));
    }
}
