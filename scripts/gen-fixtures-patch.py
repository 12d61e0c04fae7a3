#!/usr/bin/env python3
"""Write the inputs of the patch fixtures (tests/fixtures/kustomize/patch-NNN-*).

Expected outputs come from the real kustomize: bash scripts/update-goldens.sh (the one
place that runs it, with its path and pointer-address masking).
"""
import os, shutil, textwrap

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures", "kustomize")
cases = []


def d(s):
    return textwrap.dedent(s).lstrip("\n")


def case(what, files):
    cases.append((what, files))


DEP = d("""
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web, tier: front}
  annotations: {team: a}
spec:
  replicas: 1
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      imagePullSecrets:
      - name: reg1
      initContainers:
      - name: init
        image: busybox
        command: [sh, -c, "true"]
      containers:
      - name: app
        image: nginx:1.0
        args: [--a, --b]
        env:
        - name: A
          value: "1"
        - name: B
          value: "2"
        ports:
        - containerPort: 80
          name: http
        - containerPort: 443
          protocol: TCP
          name: https
        volumeMounts:
        - name: data
          mountPath: /data
        - name: cfg
          mountPath: /etc/cfg
        resources:
          limits: {cpu: 100m, memory: 64Mi}
      - name: sidecar
        image: envoy:1
      tolerations:
      - key: k1
        operator: Exists
      volumes:
      - name: data
        emptyDir: {}
      - name: cfg
        configMap: {name: cfg}
""")
SVC = d("""
apiVersion: v1
kind: Service
metadata:
  name: web
  labels: {app: web}
spec:
  selector: {app: web}
  ports:
  - port: 80
    targetPort: 8080
    name: http
  - port: 443
    protocol: TCP
    name: https
""")
CM = d("""
apiVersion: v1
kind: ConfigMap
metadata:
  name: cfg
  labels: {app: web}
data:
  a: "1"
  b: "2"
""")
STS = d("""
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
  labels: {app: db}
spec:
  serviceName: db
  selector:
    matchLabels: {app: db}
  template:
    metadata:
      labels: {app: db}
    spec:
      containers:
      - name: db
        image: postgres:13
  volumeClaimTemplates:
  - metadata: {name: data}
    spec:
      accessModes: [ReadWriteOnce]
      resources: {requests: {storage: 1Gi}}
""")
CR = d("""
apiVersion: example.com/v1
kind: Widget
metadata:
  name: w
  labels: {app: web}
spec:
  items:
  - name: a
    v: 1
  - name: b
    v: 2
  tags: [x, y]
  nested: {k: v, keep: true}
""")
NS = d("""
apiVersion: v1
kind: Namespace
metadata:
  name: team
""")
ALL = "---\n".join([DEP, SVC, CM, STS, CR])


def k(body, res=("res.yaml",)):
    return "resources:\n" + "".join(f"- {r}\n" for r in res) + d(body)


def dep_patch(spec, meta="metadata:\n  name: web\n"):
    return "apiVersion: apps/v1\nkind: Deployment\n" + meta + d(spec)


def inline(p, extra=""):
    return "patches:\n- patch: |-\n" + textwrap.indent(p, "    ") + extra


def smp_dep(what, spec, res=DEP):
    case(what, {"res.yaml": res, "kustomization.yaml": k(inline(dep_patch(spec)))})


# --- SMP on Deployments -------------------------------------------------------------
smp_dep("smp-image", """
spec:
  template:
    spec:
      containers:
      - name: app
        image: nginx:2.0
""")
smp_dep("smp-new-container", """
spec:
  template:
    spec:
      containers:
      - name: extra
        image: busybox
""")
smp_dep("smp-two-containers-order", """
spec:
  template:
    spec:
      containers:
      - name: sidecar
        image: envoy:2
      - name: new
        image: x
      - name: app
        image: nginx:3
""")
smp_dep("smp-env-merge", """
spec:
  template:
    spec:
      containers:
      - name: app
        env:
        - name: B
          value: "22"
        - name: C
          value: "3"
""")
smp_dep("smp-env-valuefrom", """
spec:
  template:
    spec:
      containers:
      - name: app
        env:
        - name: A
          value: null
          valueFrom:
            secretKeyRef: {name: s, key: k}
""")
smp_dep("smp-ports-new", """
spec:
  template:
    spec:
      containers:
      - name: app
        ports:
        - containerPort: 8080
          name: alt
""")
smp_dep("smp-ports-existing", """
spec:
  template:
    spec:
      containers:
      - name: app
        ports:
        - containerPort: 80
          name: web
""")
smp_dep("smp-ports-protocol", """
spec:
  template:
    spec:
      containers:
      - name: app
        ports:
        - containerPort: 443
          protocol: TCP
          name: tls
        - containerPort: 53
          protocol: UDP
""")
smp_dep("smp-volumemounts", """
spec:
  template:
    spec:
      containers:
      - name: app
        volumeMounts:
        - mountPath: /data
          readOnly: true
        - name: extra
          mountPath: /extra
""")
smp_dep("smp-volumes", """
spec:
  template:
    spec:
      volumes:
      - name: cfg
        configMap: {name: other}
      - name: extra
        secret: {secretName: s}
""")
smp_dep("smp-volumes-retainkeys", """
spec:
  template:
    spec:
      volumes:
      - name: data
        emptyDir: null
        hostPath: {path: /tmp}
""")
smp_dep("smp-tolerations-replace", """
spec:
  template:
    spec:
      tolerations:
      - key: k2
        operator: Equal
        value: v
""")
smp_dep("smp-args-replace", """
spec:
  template:
    spec:
      containers:
      - name: app
        args: [--c]
""")
smp_dep("smp-command", """
spec:
  template:
    spec:
      containers:
      - name: app
        command: [/bin/app, run]
""")
smp_dep("smp-imagepullsecrets", """
spec:
  template:
    spec:
      imagePullSecrets:
      - name: reg2
""")
smp_dep("smp-initcontainers", """
spec:
  template:
    spec:
      initContainers:
      - name: init
        image: busybox:2
      - name: init2
        image: alpine
""")
smp_dep("smp-resources", """
spec:
  template:
    spec:
      containers:
      - name: app
        resources:
          limits:
            memory: 128Mi
          requests:
            cpu: 50m
""")
smp_dep("smp-replicas", """
spec:
  replicas: 5
""")
smp_dep("smp-labels", """
spec:
  template:
    metadata:
      labels:
        version: v2
""", )
case("smp-meta-labels", {"res.yaml": DEP, "kustomization.yaml": k(inline(dep_patch("", "metadata:\n  name: web\n  labels:\n    tier: null\n    env: prod\n  annotations:\n    note: hi\n")))})
smp_dep("smp-null-delete-field", """
spec:
  replicas: null
  template:
    spec:
      containers:
      - name: app
        resources: null
""")
smp_dep("smp-null-missing", """
spec:
  paused: null
  template:
    spec:
      hostNetwork: true
""")
smp_dep("smp-delete-container", """
spec:
  template:
    spec:
      containers:
      - name: sidecar
        $patch: delete
""")
smp_dep("smp-delete-env", """
spec:
  template:
    spec:
      containers:
      - name: app
        env:
        - name: A
          $patch: delete
""")
smp_dep("smp-replace-containers", """
spec:
  template:
    spec:
      containers:
      - $patch: replace
      - name: only
        image: x
""")
smp_dep("smp-replace-map", """
spec:
  template:
    spec:
      containers:
      - name: app
        resources:
          $patch: replace
          requests: {cpu: 1}
""")
smp_dep("smp-delete-map", """
spec:
  template:
    spec:
      containers:
      - name: app
        resources:
          $patch: delete
""")
smp_dep("smp-replace-element", """
spec:
  template:
    spec:
      containers:
      - name: app
        $patch: replace
        image: only
""")
smp_dep("smp-merge-directive", """
spec:
  template:
    spec:
      containers:
      - $patch: merge
      - name: app
        image: m
""")
smp_dep("smp-delete-list", """
spec:
  template:
    spec:
      volumes:
      - $patch: delete
""")
case("smp-delete-resource", {"res.yaml": DEP + "---\n" + CM,
                             "kustomization.yaml": k(inline("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n$patch: delete\n"))})
smp_dep("smp-setelementorder", """
spec:
  template:
    spec:
      $setElementOrder/containers:
      - name: sidecar
      - name: app
      containers:
      - name: app
        image: z
""")
smp_dep("smp-retainkeys", """
spec:
  strategy:
    $retainKeys: [type]
    type: Recreate
""")
smp_dep("smp-deletefromprimitive", """
spec:
  template:
    spec:
      containers:
      - name: app
        $deleteFromPrimitiveList/args: [--a]
""")
smp_dep("smp-finalizers", """
spec:
  template:
    spec:
      securityContext: {runAsUser: 1000}
""", )
case("smp-finalizers-set", {"res.yaml": CM.replace("  labels:", "  finalizers: [a, b]\n  labels:"),
                            "kustomization.yaml": k(inline("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\n  finalizers: [c, a]\n"))})
smp_dep("smp-strategy", """
spec:
  strategy:
    type: RollingUpdate
    rollingUpdate: {maxSurge: 2}
""")
smp_dep("smp-affinity", """
spec:
  template:
    spec:
      affinity:
        nodeAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
            nodeSelectorTerms:
            - matchExpressions:
              - {key: zone, operator: In, values: [a]}
""")
smp_dep("smp-container-no-name", """
spec:
  template:
    spec:
      containers:
      - image: nameless
""")
smp_dep("smp-int-string-key", """
spec:
  template:
    spec:
      containers:
      - name: app
        ports:
        - containerPort: "80"
          hostPort: 8080
""")
smp_dep("smp-empty-list", """
spec:
  template:
    spec:
      containers:
      - name: app
        env: []
""")
smp_dep("smp-empty-map", """
spec:
  template:
    metadata:
      annotations: {}
""")
smp_dep("smp-topology", """
spec:
  template:
    spec:
      topologySpreadConstraints:
      - maxSkew: 1
        topologyKey: zone
        whenUnsatisfiable: DoNotSchedule
""")
smp_dep("smp-kind-mismatch", """
spec:
  template:
    spec:
      containers: notalist
""")
smp_dep("smp-unknown-directive", """
spec:
  template:
    spec:
      containers:
      - name: app
        $patch: frob
""")
smp_dep("smp-new-field-tree", """
spec:
  template:
    spec:
      dnsConfig:
        nameservers: [1.1.1.1]
        options:
        - name: ndots
          value: "2"
""")

# --- SMP on other kinds -------------------------------------------------------------
def smp_res(what, res, patch, extra=""):
    case(what, {"res.yaml": res, "kustomization.yaml": k(inline(d(patch)) + extra)})


smp_res("svc-ports-merge", SVC, """
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  ports:
  - port: 80
    targetPort: 9090
  - port: 8443
    name: alt
""")
smp_res("svc-ports-udp", SVC, """
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  ports:
  - port: 80
    protocol: UDP
    name: dns
""")
smp_res("svc-type", SVC, """
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  type: LoadBalancer
  selector:
    app: null
    tier: x
""")
smp_res("sts-vct", STS, """
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
spec:
  volumeClaimTemplates:
  - metadata: {name: data}
    spec:
      resources: {requests: {storage: 5Gi}}
""")
smp_res("sts-container", STS, """
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
spec:
  replicas: 3
  template:
    spec:
      containers:
      - name: db
        env: [{name: PGDATA, value: /d}]
""")
smp_res("cm-data", CM, """
apiVersion: v1
kind: ConfigMap
metadata:
  name: cfg
data:
  b: null
  c: "3"
""")
smp_res("cr-list-replace", CR, """
apiVersion: example.com/v1
kind: Widget
metadata:
  name: w
spec:
  items:
  - name: b
    v: 3
""")
smp_res("cr-map-merge", CR, """
apiVersion: example.com/v1
kind: Widget
metadata:
  name: w
spec:
  nested: {k: null, add: 1}
  tags: [z]
""")
smp_res("cr-directive-list", CR, """
apiVersion: example.com/v1
kind: Widget
metadata:
  name: w
spec:
  items:
  - $patch: replace
  - name: c
""")
smp_res("cr-delete", CR + "---\n" + CM, """
apiVersion: example.com/v1
kind: Widget
metadata:
  name: w
$patch: delete
""")
smp_res("ns-cluster", NS, """
apiVersion: v1
kind: Namespace
metadata:
  name: team
  labels: {owner: me}
""")
smp_res("pod", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: a\n    image: a\n", """
apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
  - name: b
    image: b
""")
smp_res("cronjob", d("""
apiVersion: batch/v1beta1
kind: CronJob
metadata:
  name: cj
spec:
  schedule: "* * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          containers:
          - name: a
            image: a
"""), """
apiVersion: batch/v1beta1
kind: CronJob
metadata:
  name: cj
spec:
  jobTemplate:
    spec:
      template:
        spec:
          containers:
          - name: b
            image: b
          - name: a
            image: a2
""")
smp_res("batch-v1-cronjob-unknown", d("""
apiVersion: batch/v1
kind: CronJob
metadata:
  name: cj
spec:
  schedule: "* * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          containers:
          - name: a
            image: a
"""), """
apiVersion: batch/v1
kind: CronJob
metadata:
  name: cj
spec:
  jobTemplate:
    spec:
      template:
        spec:
          containers:
          - name: b
            image: b
""")
smp_res("role-rules", "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: r\nrules:\n- apiGroups: ['']\n  resources: [pods]\n  verbs: [get]\n", """
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: r
rules:
- apiGroups: [apps]
  resources: [deployments]
  verbs: [list]
""")
smp_res("ingress", d("""
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: ing
spec:
  rules:
  - host: a.example.com
"""), """
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: ing
  annotations: {x: y}
spec:
  tls:
  - hosts: [a.example.com]
""")

# --- multi-doc, ids, errors ---------------------------------------------------------
case("multidoc", {"res.yaml": ALL, "kustomization.yaml": k(inline(d("""
apiVersion: v1
kind: ConfigMap
metadata:
  name: cfg
data: {z: "26"}
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  type: NodePort
""")))})
case("multidoc-target-error", {"res.yaml": ALL, "kustomization.yaml": k(inline(d("""
apiVersion: v1
kind: ConfigMap
metadata:
  name: cfg
data: {z: "26"}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: cfg
data: {y: "25"}
"""), "  target:\n    kind: ConfigMap\n"))})
case("no-target-found", {"res.yaml": DEP, "kustomization.yaml": k(inline("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: nope\nspec:\n  replicas: 2\n"))})
case("wrong-version", {"res.yaml": DEP, "kustomization.yaml": k(inline("apiVersion: apps/v1beta1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n"))})
case("namespace-match", {"res.yaml": DEP.replace("  name: web\n", "  name: web\n  namespace: prod\n", 1),
                          "kustomization.yaml": k(inline("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: prod\nspec:\n  replicas: 2\n"))})
case("namespace-mismatch", {"res.yaml": DEP.replace("  name: web\n", "  name: web\n  namespace: prod\n", 1),
                             "kustomization.yaml": k(inline("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n"))})
case("default-namespace", {"res.yaml": DEP,
                            "kustomization.yaml": k(inline("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: default\nspec:\n  replicas: 2\n"))})
case("two-same-name", {"res.yaml": DEP + "---\n" + DEP.replace("  labels: {app: web, tier: front}\n", "  namespace: other\n", 1),
                        "kustomization.yaml": k(inline(dep_patch("spec:\n  replicas: 9\n")))})
case("patch-no-name-target", {"res.yaml": ALL, "kustomization.yaml": k(inline("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ignored\nspec:\n  replicas: 4\n", "  target:\n    kind: Deployment\n"))})
case("patch-no-kind-target", {"res.yaml": ALL, "kustomization.yaml": k(inline("metadata:\n  labels:\n    patched: \"yes\"\n", "  target:\n    labelSelector: app=web\n"))})
case("empty-patch", {"res.yaml": DEP, "kustomization.yaml": k("patches:\n- patch: ''\n")})
case("patch-and-path", {"res.yaml": DEP, "p.yaml": dep_patch("spec:\n  replicas: 3\n"),
                        "kustomization.yaml": k("patches:\n- path: p.yaml\n  patch: |-\n    spec: {}\n")})
case("path-missing", {"res.yaml": DEP, "kustomization.yaml": k("patches:\n- path: nope.yaml\n")})
case("path-outside-root", {"app/res.yaml": DEP, "p.yaml": dep_patch("spec:\n  replicas: 3\n"),
                           "app/kustomization.yaml": k("patches:\n- path: ../p.yaml\n"), "root": "app\n"})
case("path-file", {"res.yaml": DEP, "patches/rep.yaml": dep_patch("spec:\n  replicas: 3\n"),
                   "kustomization.yaml": k("patches:\n- path: patches/rep.yaml\n")})
case("path-multidoc", {"res.yaml": ALL, "p.yaml": dep_patch("spec:\n  replicas: 3\n") + "---\n" + "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  x: y\n",
                       "kustomization.yaml": k("patches:\n- path: p.yaml\n")})
case("scalar-patch", {"res.yaml": DEP, "kustomization.yaml": k("patches:\n- patch: hello\n")})
case("sequential", {"res.yaml": DEP, "kustomization.yaml": k("patches:\n- patch: |-\n" + textwrap.indent(dep_patch("spec:\n  replicas: 3\n"), "    ") + "\n- patch: |-\n" + textwrap.indent(dep_patch("spec:\n  replicas: 4\n  paused: true\n"), "    ") + "\n")})

# --- targets ------------------------------------------------------------------------
def tgt(what, target, patch="metadata:\n  name: any\n  annotations:\n    hit: \"yes\"\n", res=ALL):
    if "metadata:" not in patch:
        patch = "metadata:\n  name: any\n" + patch
    if "kind:" not in patch:
        patch = "apiVersion: v1\nkind: Any\n" + patch
    case(what, {"res.yaml": res, "kustomization.yaml": k(inline(patch, "  target:\n" + textwrap.indent(d(target), "    ")))})


tgt("target-kind", "kind: ConfigMap\n")
tgt("target-kind-regex", "kind: (Deployment|StatefulSet)\n")
tgt("target-kind-anchored", "kind: Map\n")
tgt("target-kind-dot", "kind: .*Set\n")
tgt("target-name", "name: web\n")
tgt("target-name-regex", "name: w.*\n")
tgt("target-group", "group: apps\n")
tgt("target-group-empty-core", "version: v1\nkind: Service\n")
tgt("target-version", "version: v1\n")
tgt("target-group-custom", "group: example.com\n")
tgt("target-namespace-default", "namespace: default\n")
tgt("target-namespace-other", "namespace: prod\n")
tgt("target-label-eq", "labelSelector: app=web\n")
tgt("target-label-eqeq", "labelSelector: app==db\n")
tgt("target-label-ne", "labelSelector: app!=web\n")
tgt("target-label-in", "labelSelector: app in (web, db)\n")
tgt("target-label-notin", "labelSelector: app notin (web)\n")
tgt("target-label-exists", "labelSelector: tier\n")
tgt("target-label-not-exists", "labelSelector: '!tier'\n")
tgt("target-label-multi", "labelSelector: app=web,tier=front\n")
tgt("target-label-bad", "labelSelector: 'app=('\n")
tgt("target-annotation", "annotationSelector: team=a\n")
tgt("target-annotation-none", "annotationSelector: team=b\n")
tgt("target-combined", "kind: Deployment\nlabelSelector: app=web\nname: web\n")
tgt("target-nomatch", "kind: Nothing\n")
tgt("target-bad-regex", "name: '(['\n")
tgt("target-regex-class", "name: '[a-z]+'\n")
tgt("target-regex-digit", "name: '\\w+'\n")
tgt("target-case", "kind: deployment\n")
tgt("target-smp-containers", "kind: Deployment\n", patch="spec:\n  template:\n    spec:\n      containers:\n      - name: app\n        image: patched\n")
tgt("target-smp-all-pods", "kind: (Deployment|StatefulSet)\n", patch="spec:\n  template:\n    spec:\n      containers:\n      - name: injected\n        image: i\n")
tgt("target-smp-with-kind", "name: web\n", patch="apiVersion: v1\nkind: Service\nmetadata:\n  name: x\nspec:\n  type: NodePort\n")
tgt("target-smp-delete", "kind: ConfigMap\n", patch="$patch: delete\n")
tgt("target-cr", "kind: Widget\n", patch="spec:\n  items:\n  - name: only\n")

# --- JSON 6902 ----------------------------------------------------------------------
def jp(what, ops, target="kind: Deployment\n", res=DEP, yaml_form=True):
    body = ops if yaml_form else ops
    case(what, {"res.yaml": res, "kustomization.yaml": k(inline(body, "  target:\n" + textwrap.indent(d(target), "    ")))})


jp("json-replace", "- op: replace\n  path: /spec/replicas\n  value: 3\n")
jp("json-add-key", "- op: add\n  path: /metadata/labels/new\n  value: x\n")
jp("json-add-map", "- op: add\n  path: /spec/template/spec/nodeSelector\n  value: {disk: ssd}\n")
jp("json-add-list-index", "- op: add\n  path: /spec/template/spec/containers/1\n  value: {name: mid, image: m}\n")
jp("json-add-list-append", "- op: add\n  path: /spec/template/spec/containers/-\n  value: {name: last, image: l}\n")
jp("json-add-list-end", "- op: add\n  path: /spec/template/spec/containers/2\n  value: {name: last, image: l}\n")
jp("json-add-list-out", "- op: add\n  path: /spec/template/spec/containers/5\n  value: {name: x}\n")
jp("json-add-args", "- op: add\n  path: /spec/template/spec/containers/0/args/-\n  value: --verbose\n")
jp("json-add-missing-parent", "- op: add\n  path: /spec/nope/x\n  value: 1\n")
jp("json-remove", "- op: remove\n  path: /spec/template/spec/containers/0/env/0\n")
jp("json-remove-key", "- op: remove\n  path: /metadata/annotations\n")
jp("json-remove-missing", "- op: remove\n  path: /spec/nope\n")
jp("json-remove-negative", "- op: remove\n  path: /spec/template/spec/containers/-1\n")
jp("json-replace-missing-key", "- op: replace\n  path: /spec/paused\n  value: true\n")
jp("json-replace-list-out", "- op: replace\n  path: /spec/template/spec/containers/9\n  value: {}\n")
jp("json-move", "- op: move\n  from: /metadata/annotations/team\n  path: /metadata/labels/team\n")
jp("json-move-list", "- op: move\n  from: /spec/template/spec/containers/1\n  path: /spec/template/spec/containers/0\n")
jp("json-copy", "- op: copy\n  from: /spec/template/spec/containers/0/image\n  path: /metadata/annotations/image\n")
jp("json-copy-missing", "- op: copy\n  from: /spec/nope\n  path: /metadata/x\n")
jp("json-test-ok", "- op: test\n  path: /spec/replicas\n  value: 1\n- op: replace\n  path: /spec/replicas\n  value: 2\n")
jp("json-test-fail", "- op: test\n  path: /spec/replicas\n  value: 7\n")
jp("json-escape", "- op: add\n  path: /metadata/annotations/example.com~1x\n  value: \"1\"\n- op: add\n  path: /metadata/annotations/a~0b\n  value: \"2\"\n")
jp("json-bad-op", "- op: frob\n  path: /spec\n")
jp("json-no-target", "- op: replace\n  path: /spec/replicas\n  value: 3\n", target="name: nothing-matches\n")
case("json-needs-target", {"res.yaml": DEP, "kustomization.yaml": k(inline("- op: replace\n  path: /spec/replicas\n  value: 3\n"))})
jp("json-form", '[{"op": "replace", "path": "/spec/replicas", "value": 6}]', yaml_form=False)
jp("json-form-object", '[{"op": "add", "path": "/metadata/labels", "value": {"a": "b"}}]', yaml_form=False)
jp("json-many-targets", "- op: add\n  path: /metadata/labels/j\n  value: \"1\"\n", target="labelSelector: app\n", res=ALL)
jp("json-rename", "- op: replace\n  path: /metadata/name\n  value: renamed\n")
jp("json-rename-ref", "- op: replace\n  path: /metadata/name\n  value: cfg2\n", target="kind: ConfigMap\n", res=ALL)
jp("json-value-types", "- op: add\n  path: /metadata/annotations/n\n  value: \"true\"\n- op: add\n  path: /spec/minReadySeconds\n  value: 10\n- op: add\n  path: /spec/template/spec/terminationGracePeriodSeconds\n  value: 3.5\n")
jp("json-yaml-bool", "- op: add\n  path: /metadata/labels/b\n  value: yes\n")
jp("json-no-slash", "- op: replace\n  path: spec/replicas\n  value: 3\n")
jp("json-whole-doc-test", "- op: test\n  path: /kind\n  value: Deployment\n")
jp("json-add-null", "- op: add\n  path: /spec/paused\n  value: null\n")
jp("json-replace-whole-list", "- op: replace\n  path: /spec/template/spec/containers\n  value: [{name: solo, image: s}]\n")
jp("json-cr", "- op: add\n  path: /spec/items/0/v\n  value: 100\n", target="kind: Widget\n", res=CR)
jp("json-kind-change", "- op: replace\n  path: /kind\n  value: StatefulSet\n")
case("json-file", {"res.yaml": DEP, "ops.yaml": "- op: replace\n  path: /spec/replicas\n  value: 8\n",
                   "kustomization.yaml": k("patches:\n- path: ops.yaml\n  target:\n    kind: Deployment\n    name: web\n")})
case("json-file-json", {"res.yaml": DEP, "ops.json": '[\n  {"op": "remove", "path": "/spec/template/spec/tolerations"}\n]\n',
                        "kustomization.yaml": k("patches:\n- path: ops.json\n  target:\n    kind: Deployment\n")})

# --- deprecated fields --------------------------------------------------------------
case("psm-file", {"res.yaml": DEP, "p.yaml": dep_patch("spec:\n  replicas: 7\n"),
                  "kustomization.yaml": k("patchesStrategicMerge:\n- p.yaml\n")})
case("psm-inline", {"res.yaml": DEP, "kustomization.yaml": k("patchesStrategicMerge:\n- |-\n" + textwrap.indent(dep_patch("spec:\n  replicas: 7\n"), "  ") + "\n")})
case("psm-missing-file", {"res.yaml": DEP, "kustomization.yaml": k("patchesStrategicMerge:\n- nope.yaml\n")})
case("psm-two", {"res.yaml": ALL, "a.yaml": dep_patch("spec:\n  replicas: 7\n"), "b.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  q: r\n",
                 "kustomization.yaml": k("patchesStrategicMerge:\n- a.yaml\n- b.yaml\n")})
case("json6902-field", {"res.yaml": DEP, "ops.yaml": "- op: replace\n  path: /spec/replicas\n  value: 8\n",
                        "kustomization.yaml": k("patchesJson6902:\n- target:\n    group: apps\n    version: v1\n    kind: Deployment\n    name: web\n  path: ops.yaml\n")})
case("json6902-inline", {"res.yaml": DEP,
                         "kustomization.yaml": k("patchesJson6902:\n- target:\n    version: v1\n    kind: Deployment\n    name: web\n  patch: |-\n    - op: add\n      path: /spec/paused\n      value: true\n")})
case("order-json-before-psm", {"res.yaml": DEP, "p.yaml": dep_patch("spec:\n  replicas: 7\n"),
                               "kustomization.yaml": k("patchesStrategicMerge:\n- p.yaml\npatchesJson6902:\n- target: {kind: Deployment, name: web}\n  patch: |-\n    - op: test\n      path: /spec/replicas\n      value: 1\n    - op: replace\n      path: /spec/replicas\n      value: 2\n")})
case("all-three-fields", {"res.yaml": DEP, "p.yaml": dep_patch("spec:\n  minReadySeconds: 5\n"),
                          "kustomization.yaml": k("patches:\n- target: {kind: Deployment}\n  patch: |-\n    - op: add\n      path: /metadata/labels/p\n      value: a\npatchesStrategicMerge:\n- p.yaml\npatchesJson6902:\n- target: {kind: Deployment}\n  patch: |-\n    - op: add\n      path: /metadata/labels/j\n      value: b\n")})

# --- name / kind change -------------------------------------------------------------
case("name-change-ignored", {"res.yaml": DEP, "kustomization.yaml": k(inline("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: new\nspec:\n  replicas: 2\n", "  target:\n    name: web\n"))})
case("name-change-allowed", {"res.yaml": DEP, "kustomization.yaml": k(inline("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: new\nspec:\n  replicas: 2\n", "  target:\n    name: web\n  options:\n    allowNameChange: true\n"))})
case("kind-change-allowed", {"res.yaml": DEP, "kustomization.yaml": k(inline("apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: web\n", "  target:\n    kind: Deployment\n  options:\n    allowKindChange: true\n"))})
case("kind-change-ignored", {"res.yaml": DEP, "kustomization.yaml": k(inline("apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: web\n", "  target:\n    kind: Deployment\n"))})
case("name-change-ref", {"res.yaml": ALL, "kustomization.yaml": k(inline("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg-new\n", "  target:\n    kind: ConfigMap\n  options:\n    allowNameChange: true\n"))})
case("name-change-then-patch", {"res.yaml": DEP, "kustomization.yaml": k("patches:\n- target: {name: web}\n  options: {allowNameChange: true}\n  patch: |-\n    metadata:\n      name: web2\n- patch: |-\n" + textwrap.indent(dep_patch("spec:\n  replicas: 3\n"), "    ") + "\n")})
case("namespace-change-ignored", {"res.yaml": DEP, "kustomization.yaml": k(inline("metadata:\n  namespace: elsewhere\n", "  target:\n    kind: Deployment\n"))})

# --- interplay with other transformers, bases, overlays ----------------------------
case("with-prefix", {"res.yaml": DEP, "kustomization.yaml": k("namePrefix: p-\n" + inline(dep_patch("spec:\n  replicas: 2\n")))})
case("with-namespace", {"res.yaml": DEP, "kustomization.yaml": k("namespace: prod\n" + inline(dep_patch("spec:\n  replicas: 2\n")))})
case("with-labels", {"res.yaml": DEP, "kustomization.yaml": k("commonLabels: {x: y}\n" + inline("metadata:\n  labels:\n    x: patched\n", "  target:\n    kind: Deployment\n"))})
case("with-images", {"res.yaml": DEP, "kustomization.yaml": k("images:\n- name: nginx\n  newTag: '9'\n" + inline(dep_patch("spec:\n  template:\n    spec:\n      containers:\n      - name: app\n        image: nginx:5\n")))})
case("with-replicas", {"res.yaml": DEP, "kustomization.yaml": k("replicas:\n- name: web\n  count: 4\n" + inline(dep_patch("spec:\n  replicas: 2\n")))})


def overlay(what, base_k, over_k, files=None):
    f = {"base/res.yaml": ALL, "base/kustomization.yaml": base_k, "overlay/kustomization.yaml": over_k, "root": "overlay\n"}
    f.update(files or {})
    case(what, f)


overlay("overlay-patch-prefixed-base", "resources: [res.yaml]\nnamePrefix: b-\n",
        "resources: [../base]\n" + inline(dep_patch("spec:\n  replicas: 2\n")))
overlay("overlay-patch-current-name", "resources: [res.yaml]\nnamePrefix: b-\n",
        "resources: [../base]\n" + inline("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: b-web\nspec:\n  replicas: 2\n"))
overlay("overlay-patch-ns-base", "resources: [res.yaml]\nnamespace: prod\n",
        "resources: [../base]\n" + inline(dep_patch("spec:\n  replicas: 2\n")))
overlay("overlay-patch-ns-base-explicit", "resources: [res.yaml]\nnamespace: prod\n",
        "resources: [../base]\n" + inline("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: prod\nspec:\n  replicas: 2\n"))
overlay("overlay-target-ns-org", "resources: [res.yaml]\nnamespace: prod\n",
        "resources: [../base]\n" + inline("metadata:\n  labels: {hit: x}\n", "  target:\n    namespace: default\n"))
overlay("overlay-target-name-org", "resources: [res.yaml]\nnameSuffix: -s\n",
        "resources: [../base]\n" + inline("metadata:\n  labels: {hit: x}\n", "  target:\n    name: cfg\n"))
overlay("overlay-both-patch", "resources: [res.yaml]\n" + inline(dep_patch("spec:\n  replicas: 2\n")),
        "resources: [../base]\n" + inline(dep_patch("spec:\n  replicas: 3\n  paused: true\n")))
overlay("overlay-base-patch-file", "resources: [res.yaml]\npatches:\n- path: p.yaml\n",
        "resources: [../base]\nnamePrefix: o-\n", {"base/p.yaml": dep_patch("spec:\n  template:\n    spec:\n      containers:\n      - name: app\n        image: from-base\n")})
overlay("overlay-json-rename-base", "resources: [res.yaml]\n",
        "resources: [../base]\n" + inline("- op: replace\n  path: /metadata/name\n  value: cfg-x\n", "  target:\n    kind: ConfigMap\n"))


def main():
    os.makedirs(ROOT, exist_ok=True)
    for old in os.listdir(ROOT):
        if old.startswith("patch-"):
            shutil.rmtree(os.path.join(ROOT, old))
    for i, (what, files) in enumerate(cases):
        cdir = os.path.join(ROOT, "patch-%03d-%s" % (i, what))
        for rel, text in files.items():
            p = os.path.join(cdir, rel)
            os.makedirs(os.path.dirname(p), exist_ok=True)
            with open(p, "w") as f:
                f.write(text)
    print(len(cases), "cases")
    print("expected outputs: bash scripts/update-goldens.sh (runs the real kustomize on every case)")

if __name__ == "__main__":
    main()
