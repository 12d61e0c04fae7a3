# Writes the inputs of the replacements / vars fixtures
# (tests/fixtures/kustomize/repl-NNN-* and vars-NNN-*).
# Expected outputs come from the real kustomize: bash scripts/update-goldens.sh
import os, shutil, textwrap

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'tests', 'fixtures', 'kustomize')
cases = []


def d(s):
    return textwrap.dedent(s).lstrip('\n')


def case(prefix, what, files):
    n = sum(1 for c in cases if c[0].startswith(prefix))
    cases.append((f"{prefix}-{n:03d}-{what}", files))


def repl(what, kust, res, extra=None):
    files = {'kustomization.yaml': d(kust), 'res.yaml': d(res)}
    files.update({k: d(v) for k, v in (extra or {}).items()})
    case('repl', what, files)


def vars_(what, kust, res, extra=None):
    files = {'kustomization.yaml': d(kust), 'res.yaml': d(res)}
    files.update({k: d(v) for k, v in (extra or {}).items()})
    case('vars', what, files)


CM = """
apiVersion: v1
kind: ConfigMap
metadata:
  name: cfg
data:
  host: example.com
  port: "8080"
  num: "5"
  list: a,b,c
  img: nginx:1.25
  flag: "true"
"""
DEP = """
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
  annotations:
    note: old
spec:
  replicas: 1
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: app
        image: nginx:1.0
        args: ["--host=HOST", "--port", "PORT"]
        env:
        - name: HOST
          value: placeholder
        - name: PORT
          value: "1"
        ports:
        - containerPort: 80
      - name: side
        image: busybox:1.0
        env:
        - name: HOST
          value: side-placeholder
"""
SVC = """
apiVersion: v1
kind: Service
metadata:
  name: svc
  labels:
    app: web
spec:
  selector:
    app: web
  ports:
  - name: http
    port: 80
    targetPort: 8080
"""
ING = """
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: ing
spec:
  rules:
  - host: foo.placeholder.io
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: svc
            port:
              number: 80
  tls:
  - hosts:
    - a.placeholder.io
    - b.placeholder.io
    secretName: tls
"""


def docs(*xs):
    return "---\n".join(d(x) for x in xs)


ALL = docs(CM, DEP, SVC, ING)


def R(body):
    """A kustomization with resources res.yaml and the given body."""
    return "resources:\n- res.yaml\n" + d(body)


# ---------------------------------------------------------------- replacements
repl('cm-to-env', R("""
replacements:
- source:
    kind: ConfigMap
    name: cfg
    fieldPath: data.host
  targets:
  - select:
      kind: Deployment
    fieldPaths:
    - spec.template.spec.containers.[name=app].env.[name=HOST].value
"""), ALL)
repl('default-fieldpath-name', R("""
replacements:
- source:
    kind: Service
  targets:
  - select:
      kind: Ingress
    fieldPaths:
    - spec.rules.0.http.paths.0.backend.service.name
"""), ALL)
repl('wildcard-containers', R("""
replacements:
- source:
    kind: ConfigMap
    fieldPath: data.img
  targets:
  - select:
      kind: Deployment
    fieldPaths:
    - spec.template.spec.containers.*.image
"""), ALL)
repl('wildcard-env', R("""
replacements:
- source:
    kind: ConfigMap
    fieldPath: data.host
  targets:
  - select:
      kind: Deployment
    fieldPaths:
    - spec.template.spec.containers.*.env.[name=HOST].value
"""), ALL)
repl('index-path', R("""
replacements:
- source:
    kind: ConfigMap
    fieldPath: data.port
  targets:
  - select:
      kind: Deployment
    fieldPaths:
    - spec.template.spec.containers.0.args.2
"""), ALL)
repl('number-into-int', R("""
replacements:
- source:
    kind: ConfigMap
    fieldPath: data.num
  targets:
  - select:
      kind: Deployment
    fieldPaths:
    - spec.replicas
"""), ALL)
repl('int-into-string', R("""
replacements:
- source:
    kind: Deployment
    fieldPath: spec.replicas
  targets:
  - select:
      kind: ConfigMap
    fieldPaths:
    - data.host
"""), ALL)
repl('int-into-annotation', R("""
replacements:
- source:
    kind: Service
    fieldPath: spec.ports.0.port
  targets:
  - select:
      kind: Deployment
    fieldPaths:
    - metadata.annotations.note
"""), ALL)
repl('int-create-annotation', R("""
replacements:
- source:
    kind: Service
    fieldPath: spec.ports.0.port
  targets:
  - select:
      kind: Deployment
    fieldPaths:
    - metadata.annotations.port
    options:
      create: true
"""), ALL)
repl('int-create-label', R("""
replacements:
- source:
    kind: Service
    fieldPath: spec.ports.0.port
  targets:
  - select:
      kind: Deployment
    fieldPaths:
    - metadata.labels.port
    options:
      create: true
"""), ALL)
repl('create-missing-map', R("""
replacements:
- source:
    kind: ConfigMap
    fieldPath: data.host
  targets:
  - select:
      kind: Deployment
    fieldPaths:
    - spec.template.metadata.annotations.host
    options:
      create: true
"""), ALL)
repl('missing-no-create-err', R("""
replacements:
- source:
    kind: ConfigMap
    fieldPath: data.host
  targets:
  - select:
      kind: Deployment
    fieldPaths:
    - spec.template.metadata.annotations.host
"""), ALL)
repl('create-list-elem', R("""
replacements:
- source:
    kind: ConfigMap
    fieldPath: data.host
  targets:
  - select:
      kind: Deployment
    fieldPaths:
    - spec.template.spec.containers.[name=app].env.[name=NEW].value
    options:
      create: true
"""), ALL)
repl('list-selector-missing-err', R("""
replacements:
- source:
    kind: ConfigMap
    fieldPath: data.host
  targets:
  - select:
      kind: Deployment
    fieldPaths:
    - spec.template.spec.containers.[name=app].env.[name=NEW].value
"""), ALL)
repl('create-index-append', R("""
replacements:
- source:
    kind: ConfigMap
    fieldPath: data.host
  targets:
  - select:
      kind: Deployment
    fieldPaths:
    - spec.template.spec.containers.0.args.3
    options:
      create: true
"""), ALL)
repl('index-past-end-err', R("""
replacements:
- source:
    kind: ConfigMap
    fieldPath: data.host
  targets:
  - select:
      kind: Deployment
    fieldPaths:
    - spec.template.spec.containers.0.args.7
"""), ALL)
repl('index-past-end-create-err', R("""
replacements:
- source:
    kind: ConfigMap
    fieldPath: data.host
  targets:
  - select:
      kind: Deployment
    fieldPaths:
    - spec.template.spec.containers.0.args.7
    options:
      create: true
"""), ALL)
for idx in [0, 1, 2, 3, 9, -1, -5]:
    repl(f'target-delim-index{idx}' if idx >= 0 else f'target-delim-indexm{-idx}', R(f"""
    replacements:
    - source:
        kind: ConfigMap
        fieldPath: data.host
      targets:
      - select:
          kind: Ingress
        fieldPaths:
        - spec.rules.0.host
        options:
          delimiter: "."
          index: {idx}
    """), ALL)
for idx in [0, 1, 2, 3, -1]:
    repl(f'source-delim-index{idx}' if idx >= 0 else 'source-delim-indexm1', R(f"""
    replacements:
    - source:
        kind: ConfigMap
        fieldPath: data.list
        options:
          delimiter: ","
          index: {idx}
      targets:
      - select:
          kind: Ingress
        fieldPaths:
        - spec.tls.0.secretName
    """), ALL)
repl('source-delim-image-tag', R("""
replacements:
- source:
    kind: ConfigMap
    fieldPath: data.img
    options:
      delimiter: ":"
      index: 1
  targets:
  - select:
      kind: Deployment
    fieldPaths:
    - spec.template.spec.containers.[name=app].image
    options:
      delimiter: ":"
      index: 1
"""), ALL)
repl('delim-both-hosts-wildcard', R("""
replacements:
- source:
    kind: ConfigMap
    fieldPath: data.host
  targets:
  - select:
      kind: Ingress
    fieldPaths:
    - spec.tls.0.hosts.*
    - spec.rules.*.host
    options:
      delimiter: "."
      index: 1
"""), ALL)
repl('delim-on-map-err', R("""
replacements:
- source:
    kind: ConfigMap
    fieldPath: data
    options:
      delimiter: ","
  targets:
  - select:
      kind: Ingress
    fieldPaths:
    - spec.rules.0.host
"""), ALL)
repl('target-delim-on-map-err', R("""
replacements:
- source:
    kind: ConfigMap
    fieldPath: data.host
  targets:
  - select:
      kind: Ingress
    fieldPaths:
    - spec.rules.0
    options:
      delimiter: "."
"""), ALL)
repl('delim-int-target', R("""
replacements:
- source:
    kind: ConfigMap
    fieldPath: data.num
  targets:
  - select:
      kind: Service
    fieldPaths:
    - spec.ports.0.port
    options:
      delimiter: "0"
      index: 0
"""), ALL)
repl('map-value-copy', R("""
replacements:
- source:
    kind: Deployment
    fieldPath: spec.selector.matchLabels
  targets:
  - select:
      kind: Service
    fieldPaths:
    - spec.selector
"""), ALL)
repl('map-into-scalar', R("""
replacements:
- source:
    kind: Deployment
    fieldPath: spec.selector
  targets:
  - select:
      kind: ConfigMap
    fieldPaths:
    - data.host
"""), ALL)
repl('list-copy-create', R("""
replacements:
- source:
    kind: Ingress
    fieldPath: spec.tls.0.hosts
  targets:
  - select:
      kind: ConfigMap
    fieldPaths:
    - data.hosts
    options:
      create: true
"""), ALL)
repl('source-missing-err', R("""
replacements:
- source:
    kind: ConfigMap
    fieldPath: data.nope
  targets:
  - select:
      kind: Ingress
    fieldPaths:
    - spec.rules.0.host
"""), ALL)
repl('source-none-err', R("""
replacements:
- source:
    kind: Secret
  targets:
  - select:
      kind: Ingress
    fieldPaths:
    - spec.rules.0.host
"""), ALL)
repl('source-multi-err', R("""
replacements:
- source:
    version: v1
  targets:
  - select:
      kind: Ingress
    fieldPaths:
    - spec.rules.0.host
"""), ALL)
repl('source-by-name-ns', R("""
replacements:
- source:
    name: cfg
    namespace: default
    fieldPath: data.port
  targets:
  - select:
      kind: Service
    fieldPaths:
    - spec.ports.0.name
"""), ALL)
repl('source-group-version', R("""
replacements:
- source:
    group: apps
    version: v1
    kind: Deployment
    fieldPath: spec.template.spec.containers.1.image
  targets:
  - select:
      kind: Deployment
    fieldPaths:
    - spec.template.spec.containers.0.image
"""), ALL)
repl('no-targets-err', R("""
replacements:
- source:
    kind: ConfigMap
"""), ALL)
repl('no-source-err', R("""
replacements:
- targets:
  - select:
      kind: Ingress
"""), ALL)
repl('target-no-select-err', R("""
replacements:
- source:
    kind: ConfigMap
  targets:
  - fieldPaths:
    - metadata.name
"""), ALL)
repl('target-default-fieldpath', R("""
replacements:
- source:
    kind: ConfigMap
    fieldPath: data.host
  targets:
  - select:
      kind: Service
"""), ALL)
repl('target-select-nothing', R("""
replacements:
- source:
    kind: ConfigMap
    fieldPath: data.host
  targets:
  - select:
      kind: Secret
    fieldPaths:
    - data.x
"""), ALL)
repl('select-regex-kind', R("""
replacements:
- source:
    kind: ConfigMap
    fieldPath: data.host
  targets:
  - select:
      kind: Serv.*|Deploy.*
    fieldPaths:
    - metadata.annotations.host
    options:
      create: true
"""), ALL)
repl('select-regex-name', R("""
replacements:
- source:
    kind: ConfigMap
    fieldPath: data.host
  targets:
  - select:
      name: (w|s).*
    fieldPaths:
    - metadata.annotations.host
    options:
      create: true
"""), ALL)
repl('select-label', R("""
replacements:
- source:
    kind: ConfigMap
    fieldPath: data.host
  targets:
  - select:
      labelSelector: app=web
    fieldPaths:
    - metadata.annotations.host
    options:
      create: true
"""), ALL)
repl('select-label-set', R("""
replacements:
- source:
    kind: ConfigMap
    fieldPath: data.host
  targets:
  - select:
      labelSelector: app in (web,db),!missing
    fieldPaths:
    - metadata.annotations.host
    options:
      create: true
"""), ALL)
repl('select-annotation', R("""
replacements:
- source:
    kind: ConfigMap
    fieldPath: data.host
  targets:
  - select:
      annotationSelector: note=old
    fieldPaths:
    - metadata.annotations.host
    options:
      create: true
"""), ALL)
repl('select-bad-label-err', R("""
replacements:
- source:
    kind: ConfigMap
    fieldPath: data.host
  targets:
  - select:
      labelSelector: "app in web"
    fieldPaths:
    - metadata.annotations.host
"""), ALL)
repl('reject-kind', R("""
replacements:
- source:
    kind: ConfigMap
    fieldPath: data.host
  targets:
  - select:
      version: v1
    reject:
    - kind: ConfigMap
    fieldPaths:
    - metadata.annotations.host
    options:
      create: true
"""), ALL)
repl('reject-name', R("""
replacements:
- source:
    kind: ConfigMap
    fieldPath: data.host
  targets:
  - select: {}
    reject:
    - name: cfg
    - name: ing
    fieldPaths:
    - metadata.annotations.host
    options:
      create: true
"""), ALL)
repl('reject-label', R("""
replacements:
- source:
    kind: ConfigMap
    fieldPath: data.host
  targets:
  - select:
      name: .*
    reject:
    - labelSelector: app=web
    fieldPaths:
    - metadata.annotations.host
    options:
      create: true
"""), ALL)
repl('reject-annotation', R("""
replacements:
- source:
    kind: ConfigMap
    fieldPath: data.host
  targets:
  - select:
      name: .*
    reject:
    - annotationSelector: note
    fieldPaths:
    - metadata.annotations.host
    options:
      create: true
"""), ALL)
repl('reject-empty', R("""
replacements:
- source:
    kind: ConfigMap
    fieldPath: data.host
  targets:
  - select:
      kind: Service
    reject:
    - {}
    fieldPaths:
    - metadata.annotations.host
    options:
      create: true
"""), ALL)
repl('reject-regex', R("""
replacements:
- source:
    kind: ConfigMap
    fieldPath: data.host
  targets:
  - select:
      name: .*
    reject:
    - kind: Config.*|Ingress
    fieldPaths:
    - metadata.annotations.host
    options:
      create: true
"""), ALL)
repl('multi-targets', R("""
replacements:
- source:
    kind: ConfigMap
    fieldPath: data.host
  targets:
  - select:
      kind: Deployment
    fieldPaths:
    - spec.template.spec.containers.[name=app].env.[name=HOST].value
  - select:
      kind: Ingress
    fieldPaths:
    - spec.rules.0.host
"""), ALL)
repl('multi-replacements-chain', R("""
replacements:
- source:
    kind: ConfigMap
    fieldPath: data.host
  targets:
  - select:
      kind: Service
    fieldPaths:
    - metadata.annotations.host
    options:
      create: true
- source:
    kind: Service
    fieldPath: metadata.annotations.host
  targets:
  - select:
      kind: Ingress
    fieldPaths:
    - spec.rules.0.host
"""), ALL)
repl('with-nameprefix', R("""
namePrefix: p-
replacements:
- source:
    kind: Service
  targets:
  - select:
      kind: ConfigMap
    fieldPaths:
    - data.host
"""), ALL)
repl('with-nameprefix-select-old-name', R("""
namePrefix: p-
replacements:
- source:
    kind: ConfigMap
    name: cfg
    fieldPath: data.host
  targets:
  - select:
      name: web
    fieldPaths:
    - metadata.annotations.note
"""), ALL)
repl('with-nameprefix-select-new-name', R("""
namePrefix: p-
replacements:
- source:
    kind: ConfigMap
    name: p-cfg
    fieldPath: data.host
  targets:
  - select:
      name: p-web
    fieldPaths:
    - metadata.annotations.note
"""), ALL)
repl('with-nameprefix-reject-old-name', R("""
namePrefix: p-
replacements:
- source:
    kind: ConfigMap
    fieldPath: data.host
  targets:
  - select:
      name: .*
    reject:
    - name: web
    fieldPaths:
    - metadata.annotations.host
    options:
      create: true
"""), ALL)
repl('with-namespace', R("""
namespace: prod
replacements:
- source:
    kind: ConfigMap
    fieldPath: metadata.namespace
  targets:
  - select:
      kind: Ingress
    fieldPaths:
    - spec.rules.0.host
    options:
      delimiter: "."
      index: 1
"""), ALL)
repl('with-namespace-select-ns', R("""
namespace: prod
replacements:
- source:
    kind: ConfigMap
    namespace: prod
    fieldPath: data.host
  targets:
  - select:
      namespace: prod
      kind: Service
    fieldPaths:
    - metadata.annotations.host
    options:
      create: true
"""), ALL)
repl('with-namespace-select-old-ns', R("""
namespace: prod
replacements:
- source:
    kind: ConfigMap
    namespace: default
    fieldPath: data.host
  targets:
  - select:
      namespace: default
      kind: Service
    fieldPaths:
    - metadata.annotations.host
    options:
      create: true
"""), ALL)
repl('with-images', R("""
images:
- name: nginx
  newTag: "2.0"
replacements:
- source:
    kind: Deployment
    fieldPath: spec.template.spec.containers.[name=app].image
  targets:
  - select:
      kind: ConfigMap
    fieldPaths:
    - data.img
"""), ALL)
repl('with-labels', R("""
commonLabels:
  team: blue
replacements:
- source:
    kind: Service
    fieldPath: metadata.labels.team
  targets:
  - select:
      kind: ConfigMap
    fieldPaths:
    - data.host
"""), ALL)
repl('with-annotations', R("""
commonAnnotations:
  owner: me
replacements:
- source:
    kind: Service
    fieldPath: metadata.annotations.owner
  targets:
  - select:
      kind: ConfigMap
    fieldPaths:
    - data.host
"""), ALL)
repl('with-replicas', R("""
replicas:
- name: web
  count: 7
replacements:
- source:
    kind: Deployment
    fieldPath: spec.replicas
  targets:
  - select:
      kind: ConfigMap
    fieldPaths:
    - data.num
"""), ALL)
repl('path-file-single', R("""
replacements:
- path: r1.yaml
"""), ALL, {'r1.yaml': """
source:
  kind: ConfigMap
  fieldPath: data.host
targets:
- select:
    kind: Ingress
  fieldPaths:
  - spec.rules.0.host
"""})
repl('path-file-list', R("""
replacements:
- path: r1.yaml
- source:
    kind: ConfigMap
    fieldPath: data.port
  targets:
  - select:
      kind: Service
    fieldPaths:
    - spec.ports.0.targetPort
"""), ALL, {'r1.yaml': """
- source:
    kind: ConfigMap
    fieldPath: data.host
  targets:
  - select:
      kind: Ingress
    fieldPaths:
    - spec.rules.0.host
- source:
    kind: ConfigMap
    fieldPath: data.img
  targets:
  - select:
      kind: Deployment
    fieldPaths:
    - spec.template.spec.containers.1.image
"""})
repl('path-and-inline-err', R("""
replacements:
- path: r1.yaml
  source:
    kind: ConfigMap
"""), ALL, {'r1.yaml': "[]\n"})
repl('path-missing-err', R("""
replacements:
- path: nope.yaml
"""), ALL)
repl('path-scalar-err', R("""
replacements:
- path: r1.yaml
"""), ALL, {'r1.yaml': "hello\n"})
repl('path-outside-root-err', R("""
replacements:
- path: ../outside.yaml
"""), ALL)
repl('escaped-dot-annotation', R("""
replacements:
- source:
    kind: ConfigMap
    fieldPath: data.host
  targets:
  - select:
      kind: Deployment
    fieldPaths:
    - metadata.annotations.[example.com/host]
    options:
      create: true
"""), ALL)
repl('bracket-key-source', R("""
replacements:
- source:
    kind: Deployment
    fieldPath: metadata.annotations.[a.b/c]
  targets:
  - select:
      kind: ConfigMap
    fieldPaths:
    - data.host
"""), docs(CM, DEP.replace("    note: old", "    note: old\n    a.b/c: dotted"), SVC, ING))
repl('list-select-port-name', R("""
replacements:
- source:
    kind: ConfigMap
    fieldPath: data.port
  targets:
  - select:
      kind: Service
    fieldPaths:
    - spec.ports.[name=http].targetPort
"""), ALL)
repl('list-select-by-port', R("""
replacements:
- source:
    kind: ConfigMap
    fieldPath: data.port
  targets:
  - select:
      kind: Service
    fieldPaths:
    - spec.ports.[port=80].name
"""), ALL)
repl('primitive-list-select', R("""
replacements:
- source:
    kind: ConfigMap
    fieldPath: data.host
  targets:
  - select:
      kind: Deployment
    fieldPaths:
    - spec.template.spec.containers.0.args.[=--port]
"""), ALL)
repl('sourcevalue', R("""
replacements:
- sourceValue: literal
  targets:
  - select:
      kind: ConfigMap
    fieldPaths:
    - data.host
"""), ALL)
repl('sourcevalue-and-source-err', R("""
replacements:
- sourceValue: literal
  source:
    kind: ConfigMap
  targets:
  - select:
      kind: ConfigMap
    fieldPaths:
    - data.host
"""), ALL)
repl('string-into-bool', R("""
replacements:
- source:
    kind: ConfigMap
    fieldPath: data.flag
  targets:
  - select:
      kind: Deployment
    fieldPaths:
    - spec.template.spec.automountServiceAccountToken
    options:
      create: true
"""), ALL)
repl('string-into-int-port', R("""
replacements:
- source:
    kind: ConfigMap
    fieldPath: data.port
  targets:
  - select:
      kind: Service
    fieldPaths:
    - spec.ports.0.port
"""), ALL)
repl('text-into-int-port', R("""
replacements:
- source:
    kind: ConfigMap
    fieldPath: data.host
  targets:
  - select:
      kind: Service
    fieldPaths:
    - spec.ports.0.port
"""), ALL)
repl('int-into-quoted', R("""
replacements:
- source:
    kind: Service
    fieldPath: spec.ports.0.targetPort
  targets:
  - select:
      kind: Deployment
    fieldPaths:
    - spec.template.spec.containers.0.env.[name=PORT].value
"""), ALL)
repl('null-target', R("""
replacements:
- source:
    kind: ConfigMap
    fieldPath: data.host
  targets:
  - select:
      kind: ConfigMap
    fieldPaths:
    - data.empty
"""), docs(CM + "  empty:\n", DEP))
repl('source-null-err', R("""
replacements:
- source:
    kind: ConfigMap
    fieldPath: data.empty
  targets:
  - select:
      kind: Deployment
    fieldPaths:
    - metadata.annotations.note
"""), docs(CM + "  empty:\n", DEP))
repl('source-empty-string', R("""
replacements:
- source:
    kind: ConfigMap
    fieldPath: data.empty
  targets:
  - select:
      kind: Deployment
    fieldPaths:
    - metadata.annotations.note
"""), docs(CM + "  empty: \"\"\n", DEP))
repl('create-whole-spec', R("""
replacements:
- source:
    kind: ConfigMap
    fieldPath: data.host
  targets:
  - select:
      kind: ConfigMap
    fieldPaths:
    - spec.a.b.c
    options:
      create: true
"""), ALL)
repl('create-index0-empty-list', R("""
replacements:
- source:
    kind: ConfigMap
    fieldPath: data.host
  targets:
  - select:
      kind: Service
    fieldPaths:
    - spec.externalIPs.0
    options:
      create: true
"""), ALL)
repl('create-list-in-new-map', R("""
replacements:
- source:
    kind: ConfigMap
    fieldPath: data.host
  targets:
  - select:
      kind: Service
    fieldPaths:
    - spec.extra.[name=x].value
    options:
      create: true
"""), ALL)
repl('wildcard-map-values', R("""
replacements:
- source:
    kind: ConfigMap
    fieldPath: data.host
  targets:
  - select:
      kind: Deployment
    fieldPaths:
    - spec.template.metadata.labels.*
"""), ALL)
repl('wildcard-no-match-err', R("""
replacements:
- source:
    kind: ConfigMap
    fieldPath: data.host
  targets:
  - select:
      kind: Deployment
    fieldPaths:
    - spec.template.spec.initContainers.*.image
"""), ALL)
repl('scalar-midpath-err', R("""
replacements:
- source:
    kind: ConfigMap
    fieldPath: data.host
  targets:
  - select:
      kind: Deployment
    fieldPaths:
    - spec.replicas.x
"""), ALL)
repl('scalar-midpath-create', R("""
replacements:
- source:
    kind: ConfigMap
    fieldPath: data.host
  targets:
  - select:
      kind: Deployment
    fieldPaths:
    - spec.replicas.x
    options:
      create: true
"""), ALL)
repl('structured-json', R("""
replacements:
- source:
    kind: ConfigMap
    name: cfg
    fieldPath: data.host
  targets:
  - select:
      kind: ConfigMap
      name: js
    fieldPaths:
    - data.config\\.json.server.host
"""), docs(CM, """
apiVersion: v1
kind: ConfigMap
metadata:
  name: js
data:
  config.json: '{"server":{"host":"x","port":1}}'
"""))
repl('structured-json-pretty', R("""
replacements:
- source:
    kind: ConfigMap
    name: cfg
    fieldPath: data.host
  targets:
  - select:
      kind: ConfigMap
      name: js
    fieldPaths:
    - data.[config.json].server.host
"""), docs(CM, """
apiVersion: v1
kind: ConfigMap
metadata:
  name: js
data:
  config.json: |
    {
      "server": {
        "port": 1,
        "host": "x"
      }
    }
"""))
repl('structured-yaml', R("""
replacements:
- source:
    kind: ConfigMap
    name: cfg
    fieldPath: data.host
  targets:
  - select:
      kind: ConfigMap
      name: ys
    fieldPaths:
    - data.app\\.yaml.server.host
"""), docs(CM, """
apiVersion: v1
kind: ConfigMap
metadata:
  name: ys
data:
  app.yaml: |
    server:
      host: x
      port: 1
"""))
repl('kind-change-prev-kind', R("""
replacements:
- source:
    kind: ConfigMap
    fieldPath: data.host
  targets:
  - select:
      kind: Service
      name: svc
    fieldPaths:
    - metadata.annotations.a
    - metadata.annotations.b
    - spec.ports.[name=http].name
    options:
      create: true
"""), ALL)
repl('base-overlay', ("""
resources:
- res.yaml
- base
replacements:
- source:
    kind: ConfigMap
    fieldPath: data.host
  targets:
  - select:
      kind: Ingress
    fieldPaths:
    - spec.rules.0.host
"""), ING, {'base/kustomization.yaml': "namePrefix: b-\nresources:\n- cm.yaml\n", 'base/cm.yaml': CM})
repl('base-replacement-then-prefix', """
namePrefix: o-
resources:
- base
""", ING, {'base/res.yaml': ING, 'base/kustomization.yaml': """
resources:
- cm.yaml
- res.yaml
replacements:
- source:
    kind: ConfigMap
  targets:
  - select:
      kind: Ingress
    fieldPaths:
    - spec.rules.0.host
""", 'base/cm.yaml': CM})
repl('select-by-original-name-in-base', """
resources:
- base
replacements:
- source:
    kind: ConfigMap
    name: cfg
    fieldPath: metadata.name
  targets:
  - select:
      kind: Ingress
      name: ing
    fieldPaths:
    - spec.rules.0.host
""", ING, {'base/res.yaml': ING, 'base/kustomization.yaml': "namePrefix: b-\nresources:\n- cm.yaml\n- res.yaml\n", 'base/cm.yaml': CM})
repl('unknown-field-err', R("""
replacements:
- source:
    kind: ConfigMap
    fieldpathx: data.host
  targets:
  - select:
      kind: Ingress
"""), ALL)
repl('options-create-false', R("""
replacements:
- source:
    kind: ConfigMap
    fieldPath: data.host
  targets:
  - select:
      kind: Ingress
    fieldPaths:
    - spec.rules.0.host
    options:
      create: false
      delimiter: ""
"""), ALL)
repl('targets-empty-list-err', R("""
replacements:
- source:
    kind: ConfigMap
  targets: []
"""), ALL)
repl('source-ns-cluster-scoped', R("""
replacements:
- source:
    kind: Namespace
    fieldPath: metadata.labels.env
  targets:
  - select:
      kind: ConfigMap
    fieldPaths:
    - data.host
"""), docs(CM, """
apiVersion: v1
kind: Namespace
metadata:
  name: team
  labels:
    env: staging
"""))
repl('field-value-number-source-create', R("""
replacements:
- source:
    kind: Deployment
    fieldPath: spec.replicas
  targets:
  - select:
      kind: Service
    fieldPaths:
    - spec.newfield
    options:
      create: true
"""), ALL)
repl('bool-source-into-string', R("""
replacements:
- source:
    kind: Deployment
    fieldPath: spec.paused
  targets:
  - select:
      kind: ConfigMap
    fieldPaths:
    - data.host
    - data.newflag
    options:
      create: true
"""), docs(CM, DEP.replace("  replicas: 1", "  replicas: 1\n  paused: true")))
repl('args-delim-equals', R("""
replacements:
- source:
    kind: ConfigMap
    fieldPath: data.host
  targets:
  - select:
      kind: Deployment
    fieldPaths:
    - spec.template.spec.containers.[name=app].args.0
    options:
      delimiter: "="
      index: 1
"""), ALL)
repl('local-config-source', R("""
replacements:
- source:
    kind: ConfigMap
    name: vals
    fieldPath: data.host
  targets:
  - select:
      kind: Ingress
    fieldPaths:
    - spec.rules.0.host
"""), docs(ING, """
apiVersion: v1
kind: ConfigMap
metadata:
  name: vals
  annotations:
    config.kubernetes.io/local-config: "true"
data:
  host: local.example.com
"""))
repl('empty-replacements', R("""
replacements: []
"""), ALL)
repl('quoted-number-string-key', R("""
replacements:
- source:
    kind: ConfigMap
    fieldPath: data.flag
  targets:
  - select:
      kind: ConfigMap
    fieldPaths:
    - data.port
"""), ALL)
repl('same-resource-source-target', R("""
replacements:
- source:
    kind: Deployment
    fieldPath: metadata.name
  targets:
  - select:
      kind: Deployment
    fieldPaths:
    - spec.template.spec.containers.*.name
"""), ALL)
repl('target-version-select', R("""
replacements:
- source:
    kind: ConfigMap
    fieldPath: data.host
  targets:
  - select:
      group: networking.k8s.io
      version: v1
    fieldPaths:
    - spec.rules.0.host
"""), ALL)
repl('bad-regex-err', R("""
replacements:
- source:
    kind: ConfigMap
    fieldPath: data.host
  targets:
  - select:
      name: "(abc"
    fieldPaths:
    - spec.rules.0.host
"""), ALL)

# ---------------------------------------------------------------- vars
VSVC = """
apiVersion: v1
kind: Service
metadata:
  name: my-svc
spec:
  ports:
  - port: 80
"""
VDEP = """
apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
spec:
  replicas: 2
  template:
    spec:
      containers:
      - name: c
        image: img
        command: ["run", "$(SVC)"]
        args: ["--svc=$(SVC)", "--port", "$(PORT)"]
        env:
        - name: X
          value: $(SVC).svc.cluster.local
        - name: Y
          value: "$$(SVC) and $(UNKNOWN) and $(SVC"
"""
VALL = docs(VSVC, VDEP)


def V(body):
    return "resources:\n- res.yaml\n" + d(body)


SVCVAR = """
vars:
- name: SVC
  objref:
    kind: Service
    name: my-svc
    apiVersion: v1
"""
vars_('basic', V(SVCVAR), VALL)
vars_('fieldpath-port', V(SVCVAR + """
- name: PORT
  objref:
    kind: Service
    name: my-svc
    apiVersion: v1
  fieldref:
    fieldPath: spec.ports[0].port
"""), VALL)
vars_('nameprefix', V("namePrefix: p-\n" + SVCVAR), VALL)
vars_('namespace', V("namespace: ns1\n" + SVCVAR + """
- name: NS
  objref:
    kind: Service
    name: my-svc
    apiVersion: v1
  fieldref:
    fieldPath: metadata.namespace
"""), docs(VSVC, VDEP.replace('$(UNKNOWN)', '$(NS)')))
vars_('unused-var', V(SVCVAR + """
- name: UNUSED
  objref:
    kind: Deployment
    name: app
    apiVersion: apps/v1
"""), VALL)
vars_('duplicate-err', V(SVCVAR + SVCVAR.replace('vars:\n', '')), VALL)
vars_('objref-none-err', V("""
vars:
- name: SVC
  objref:
    kind: Service
    name: nope
    apiVersion: v1
"""), VALL)
vars_('objref-multi-err', V("""
vars:
- name: SVC
  objref:
    kind: Service
    name: my-svc
    apiVersion: v1
"""), docs(VSVC, VSVC.replace('name: my-svc', 'name: my-svc\n  namespace: other'), VDEP))
vars_('objref-namespace', V("""
vars:
- name: SVC
  objref:
    kind: Service
    name: my-svc
    namespace: other
    apiVersion: v1
  fieldref:
    fieldPath: metadata.namespace
"""), docs(VSVC, VSVC.replace('name: my-svc', 'name: my-svc\n  namespace: other'), VDEP))
vars_('fieldpath-missing-err', V("""
vars:
- name: SVC
  objref:
    kind: Service
    name: my-svc
    apiVersion: v1
  fieldref:
    fieldPath: spec.nope
"""), VALL)
vars_('int-value-whole', V("""
vars:
- name: PORT
  objref:
    kind: Service
    name: my-svc
    apiVersion: v1
  fieldref:
    fieldPath: spec.ports[0].port
- name: SVC
  objref:
    kind: Deployment
    name: app
    apiVersion: apps/v1
  fieldref:
    fieldPath: spec.replicas
"""), VALL)
vars_('group-version-objref', V("""
vars:
- name: SVC
  objref:
    kind: Deployment
    name: app
    group: apps
    version: v1
"""), VALL)
vars_('no-apiversion-objref', V("""
vars:
- name: SVC
  objref:
    kind: Deployment
    name: app
"""), VALL)
vars_('ingress-host', V("""
vars:
- name: SVC
  objref:
    kind: Service
    name: my-svc
    apiVersion: v1
"""), docs(VSVC, """
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: ing
spec:
  rules:
  - host: $(SVC).example.com
    http:
      paths:
      - path: /$(SVC)
        pathType: Prefix
        backend:
          service:
            name: my-svc
            port:
              number: 80
  tls:
  - hosts:
    - $(SVC).example.com
    secretName: $(SVC)-tls
"""))
vars_('not-in-varreference', V(SVCVAR), docs(VSVC, """
apiVersion: v1
kind: ConfigMap
metadata:
  name: cm
  annotations:
    a: $(SVC)
data:
  k: $(SVC)
"""))
vars_('configurations-varref', V(SVCVAR + """
configurations:
- conf.yaml
"""), docs(VSVC, """
apiVersion: v1
kind: ConfigMap
metadata:
  name: cm
data:
  k: $(SVC)
  other: $(SVC)
"""), {'conf.yaml': """
varReference:
- path: data/k
  kind: ConfigMap
"""})
vars_('base-vars', """
resources:
- base
""", VALL, {'base/res.yaml': VALL, 'base/kustomization.yaml': "resources:\n- res.yaml\n" + d(SVCVAR)})
vars_('base-vars-overlay-prefix', """
namePrefix: o-
resources:
- base
""", VALL, {'base/res.yaml': VALL, 'base/kustomization.yaml': "namePrefix: b-\nresources:\n- res.yaml\n" + d(SVCVAR)})
vars_('two-bases-dup-err', """
resources:
- a
- b
""", VALL, {
    'a/kustomization.yaml': "resources:\n- svc.yaml\n" + d(SVCVAR),
    'a/svc.yaml': d(VSVC),
    'b/kustomization.yaml': "resources:\n- dep.yaml\n" + d(SVCVAR).replace('my-svc', 'x'),
    'b/dep.yaml': d(VDEP),
})
vars_('overlay-var-on-base-res', V("") .replace("resources:\n- res.yaml\n", "resources:\n- base\n") + d(SVCVAR),
      VALL, {'base/res.yaml': VALL, 'base/kustomization.yaml': "namePrefix: b-\nresources:\n- res.yaml\n"})
vars_('escape-dollar', V(SVCVAR), docs(VSVC, """
apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
  - name: c
    image: i
    args:
    - $$(SVC)
    - $$$(SVC)
    - $(SVC)$(SVC)
    - $
    - a$b
    - $(
    - $()
    - $(SVC
    - (SVC)
"""))
vars_('pod-command-env', V(SVCVAR), docs(VSVC, """
apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  initContainers:
  - name: i
    image: i
    command: [$(SVC)]
  containers:
  - name: c
    image: i
    env:
    - name: A
      value: http://$(SVC):80
"""))
vars_('job-cronjob', V(SVCVAR), docs(VSVC, """
apiVersion: batch/v1
kind: Job
metadata:
  name: j
spec:
  template:
    spec:
      containers:
      - name: c
        image: i
        args: [$(SVC)]
---
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
          - name: c
            image: i
            command: [$(SVC)]
"""))
vars_('statefulset-daemonset', V(SVCVAR), docs(VSVC, """
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: ss
spec:
  serviceName: $(SVC)
  template:
    spec:
      containers:
      - name: c
        image: i
        args: [$(SVC)]
---
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: ds
spec:
  template:
    spec:
      containers:
      - name: c
        image: i
        env:
        - name: A
          value: $(SVC)
"""))
vars_('configmap-var-source', V("""
vars:
- name: SVC
  objref:
    kind: ConfigMap
    name: cm
    apiVersion: v1
  fieldref:
    fieldPath: data.host
- name: PORT
  objref:
    kind: ConfigMap
    name: cm
    apiVersion: v1
  fieldref:
    fieldPath: data.port
"""), docs(VDEP, """
apiVersion: v1
kind: ConfigMap
metadata:
  name: cm
data:
  host: db.local
  port: "5432"
"""))
vars_('bool-value', V("""
vars:
- name: SVC
  objref:
    kind: Deployment
    name: app
    apiVersion: apps/v1
  fieldref:
    fieldPath: spec.paused
"""), docs(VDEP.replace("  replicas: 2", "  replicas: 2\n  paused: true")))
vars_('map-value-err', V("""
vars:
- name: SVC
  objref:
    kind: Deployment
    name: app
    apiVersion: apps/v1
  fieldref:
    fieldPath: spec.template
"""), VDEP)
vars_('no-vars-used', V(SVCVAR), VSVC)
vars_('empty-vars', V("vars: []\n"), VALL)
vars_('var-in-int-field', V(SVCVAR), docs(VSVC, VDEP.replace("replicas: 2", "replicas: $(SVC)")))
vars_('fieldpath-bracket-label', V("""
vars:
- name: SVC
  objref:
    kind: Service
    name: my-svc
    apiVersion: v1
  fieldref:
    fieldPath: metadata.labels.app\\.kubernetes\\.io/name
"""), docs(VSVC.replace("  name: my-svc", "  name: my-svc\n  labels:\n    app.kubernetes.io/name: lbl"), VDEP))
vars_('objref-kind-only-multi-err', V("""
vars:
- name: SVC
  objref:
    kind: Service
    name: my-svc
"""), docs(VSVC, VSVC.replace("apiVersion: v1", "apiVersion: v2"), VDEP))
vars_('unknown-field-err', V("""
vars:
- name: SVC
  objref:
    kind: Service
    name: my-svc
  bogus: 1
"""), VALL)
vars_('with-replacements', V(SVCVAR + """
replacements:
- source:
    kind: Service
    fieldPath: spec.ports.0.port
  targets:
  - select:
      kind: Deployment
    fieldPaths:
    - spec.template.spec.containers.0.args.2
"""), VALL)
vars_('secret-generator-less', V(SVCVAR), docs(VSVC, """
apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
  - name: c
    image: i
    args:
    - one $(SVC) two $(SVC)
    - 5
    - true
"""))


# ---------------------------------------------------------------- more replacements
def T(src, fp, sel, opts="", paths=None):
    paths = paths or [fp]
    return R(f"""
replacements:
- source:
{src}
  targets:
  - select:
{sel}
    fieldPaths:
""" + "".join(f"    - {p}\n" for p in paths) + opts)


CMSRC = "    kind: ConfigMap\n    name: cfg\n    fieldPath: data.{}"
CREATE = "    options:\n      create: true\n"
repl('create-numeric-string', T(CMSRC.format('port'), '', "      kind: Service", CREATE, ['spec.newport']), ALL)
repl('create-bool-string', T(CMSRC.format('flag'), '', "      kind: Service", CREATE, ['spec.newflag']), ALL)
repl('create-float-piece', R("""
replacements:
- source:
    kind: ConfigMap
    fieldPath: data.img
    options:
      delimiter: ":"
      index: 1
  targets:
  - select:
      kind: Service
    fieldPaths:
    - spec.version
    options:
      create: true
"""), ALL)
repl('sourcevalue-number-create', R("""
replacements:
- sourceValue: "5"
  targets:
  - select:
      kind: Service
    fieldPaths:
    - spec.n
    - metadata.labels.n
    options:
      create: true
"""), ALL)
repl('sourcevalue-into-int', R("""
replacements:
- sourceValue: "9"
  targets:
  - select:
      kind: Deployment
    fieldPaths:
    - spec.replicas
"""), ALL)
repl('sourcevalue-into-map', R("""
replacements:
- sourceValue: "true"
  targets:
  - select:
      kind: Deployment
    fieldPaths:
    - spec.selector
"""), ALL)
repl('list-selector-regex-partial', T(CMSRC.format('img'), '', "      kind: Deployment", "", ['spec.template.spec.containers.[name=ap].image']), ALL)
repl('list-selector-regex-anchor', T(CMSRC.format('img'), '', "      kind: Deployment", "", ['spec.template.spec.containers.[name=^(app|side)$].image']), ALL)
repl('create-list-elem-then-field', T(CMSRC.format('host'), '', "      kind: Deployment", CREATE, ['spec.template.spec.containers.[name=new].image']), ALL)
repl('create-primitive-elem', T(CMSRC.format('host'), '', "      kind: Deployment", CREATE, ['spec.template.spec.containers.0.args.[=--zzz]']), ALL)
repl('create-seq-path', T(CMSRC.format('host'), '', "      kind: Service", CREATE, ['spec.a.0.b']), ALL)
repl('create-seq-index1-err', T(CMSRC.format('host'), '', "      kind: Service", CREATE, ['spec.a.1.b']), ALL)
repl('source-dash-last', R("""
replacements:
- source:
    kind: Deployment
    fieldPath: spec.template.spec.containers.-.name
  targets:
  - select:
      kind: ConfigMap
    fieldPaths:
    - data.host
"""), ALL)
repl('source-wildcard-err', R("""
replacements:
- source:
    kind: Deployment
    fieldPath: spec.template.spec.containers.*.name
  targets:
  - select:
      kind: ConfigMap
    fieldPaths:
    - data.host
"""), ALL)
repl('source-negative-index-err', R("""
replacements:
- source:
    kind: Deployment
    fieldPath: spec.template.spec.containers.-1.name
  targets:
  - select:
      kind: ConfigMap
    fieldPaths:
    - data.host
"""), ALL)
repl('source-list-selector', R("""
replacements:
- source:
    kind: Deployment
    fieldPath: spec.template.spec.containers.[name=side].image
  targets:
  - select:
      kind: ConfigMap
    fieldPaths:
    - data.img
"""), ALL)
repl('source-list-selector-exact', R("""
replacements:
- source:
    kind: Deployment
    fieldPath: spec.template.spec.containers.[name=sid].image
  targets:
  - select:
      kind: ConfigMap
    fieldPaths:
    - data.img
"""), ALL)
repl('source-map-element', R("""
replacements:
- source:
    kind: Deployment
    fieldPath: spec.template.spec.containers.1
  targets:
  - select:
      kind: Deployment
    fieldPaths:
    - spec.template.spec.containers.0
"""), ALL)
repl('index-without-delimiter', R("""
replacements:
- source:
    kind: ConfigMap
    fieldPath: data.list
    options:
      index: 2
  targets:
  - select:
      kind: Ingress
    fieldPaths:
    - spec.tls.0.secretName
    options:
      index: 5
"""), ALL)
repl('multichar-delimiter', R("""
replacements:
- source:
    kind: ConfigMap
    fieldPath: data.host
  targets:
  - select:
      kind: Ingress
    fieldPaths:
    - spec.rules.0.host
    options:
      delimiter: ".placeholder."
      index: 1
"""), ALL)
repl('select-namespace-regex', R("""
namespace: team-a
replacements:
- source:
    kind: ConfigMap
    fieldPath: data.host
  targets:
  - select:
      namespace: team-.*
      kind: Service
    fieldPaths:
    - metadata.annotations.host
    options:
      create: true
"""), ALL)
repl('reject-id-and-label', R("""
replacements:
- source:
    kind: ConfigMap
    fieldPath: data.host
  targets:
  - select:
      name: .*
    reject:
    - kind: Ingress
      labelSelector: app=web
    fieldPaths:
    - metadata.annotations.host
    options:
      create: true
"""), ALL)
repl('second-path-fails-err', R("""
replacements:
- source:
    kind: ConfigMap
    fieldPath: data.host
  targets:
  - select:
      kind: Service
    fieldPaths:
    - metadata.name
    - spec.nothere
"""), ALL)
repl('rename-via-replacement', R("""
replacements:
- source:
    kind: ConfigMap
    fieldPath: data.num
  targets:
  - select:
      kind: Service
    fieldPaths:
    - metadata.name
    options:
      delimiter: "-"
      index: 9
"""), ALL)
repl('select-multi-create', R("""
replacements:
- source:
    kind: ConfigMap
    fieldPath: data.host
  targets:
  - select:
      version: v1
    fieldPaths:
    - metadata.labels.h
    options:
      create: true
"""), ALL)
repl('combo-prefix-ns-images-labels', R("""
namePrefix: pre-
nameSuffix: -suf
namespace: prod
commonLabels:
  team: x
images:
- name: nginx
  newName: registry.io/nginx
  newTag: "9"
replacements:
- source:
    kind: Service
    fieldPath: metadata.name
  targets:
  - select:
      kind: Ingress
    fieldPaths:
    - spec.rules.0.host
    options:
      delimiter: "."
- source:
    kind: Deployment
    fieldPath: spec.template.spec.containers.0.image
  targets:
  - select:
      kind: ConfigMap
    fieldPaths:
    - data.img
- source:
    kind: ConfigMap
    fieldPath: metadata.namespace
  targets:
  - select:
      kind: Deployment
    fieldPaths:
    - spec.template.spec.containers.[name=app].env.[name=HOST].value
    options:
      delimiter: "."
      index: -1
"""), ALL)
repl('base-and-overlay-replacements', """
namePrefix: o-
resources:
- base
replacements:
- source:
    kind: ConfigMap
    fieldPath: data.host
  targets:
  - select:
      kind: Ingress
    fieldPaths:
    - spec.tls.0.hosts.1
""", ING, {'base/res.yaml': ALL, 'base/kustomization.yaml': """
resources:
- res.yaml
replacements:
- source:
    kind: ConfigMap
  targets:
  - select:
      kind: Ingress
    fieldPaths:
    - spec.rules.0.host
    options:
      delimiter: "."
      index: 0
"""})
repl('structured-json-html', R("""
replacements:
- sourceValue: "<a&b>"
  targets:
  - select:
      kind: ConfigMap
      name: js
    fieldPaths:
    - data.[config.json].k
"""), docs(CM, """
apiVersion: v1
kind: ConfigMap
metadata:
  name: js
data:
  config.json: '{"k":"v","a":[1,2]}'
"""))
repl('structured-json-create-key', R("""
replacements:
- source:
    kind: ConfigMap
    name: cfg
    fieldPath: data.port
  targets:
  - select:
      kind: ConfigMap
      name: js
    fieldPaths:
    - data.[config.json].server.newPort
    options:
      create: true
"""), docs(CM, """
apiVersion: v1
kind: ConfigMap
metadata:
  name: js
data:
  config.json: '{"server":{"host":"x"}}'
"""))
repl('structured-yaml-list', R("""
replacements:
- source:
    kind: ConfigMap
    name: cfg
    fieldPath: data.host
  targets:
  - select:
      kind: ConfigMap
      name: ys
    fieldPaths:
    - data.[app.yaml].servers.1.host
"""), docs(CM, """
apiVersion: v1
kind: ConfigMap
metadata:
  name: ys
data:
  app.yaml: |
    servers:
    - host: a
    - host: b
    name: z
"""))
repl('structured-json-array-root', R("""
replacements:
- source:
    kind: ConfigMap
    name: cfg
    fieldPath: data.host
  targets:
  - select:
      kind: ConfigMap
      name: js
    fieldPaths:
    - data.[list.json].0.host
"""), docs(CM, """
apiVersion: v1
kind: ConfigMap
metadata:
  name: js
data:
  list.json: '[{"host":"x","b":true},{"host":"y"}]'
"""))
repl('structured-missing-key-err', R("""
replacements:
- source:
    kind: ConfigMap
    name: cfg
    fieldPath: data.host
  targets:
  - select:
      kind: ConfigMap
      name: js
    fieldPaths:
    - data.[config.json].nope.host
"""), docs(CM, """
apiVersion: v1
kind: ConfigMap
metadata:
  name: js
data:
  config.json: '{"server":{"host":"x"}}'
"""))
repl('secret-stringdata', R("""
replacements:
- source:
    kind: ConfigMap
    fieldPath: data.host
  targets:
  - select:
      kind: Secret
    fieldPaths:
    - stringData.HOST
    options:
      create: true
"""), docs(CM, """
apiVersion: v1
kind: Secret
metadata:
  name: s
type: Opaque
"""))
repl('crd-target', R("""
replacements:
- source:
    kind: ConfigMap
    fieldPath: data.host
  targets:
  - select:
      group: example.com
      kind: Widget
    fieldPaths:
    - spec.endpoints.*.url
    options:
      delimiter: "/"
      index: 2
"""), docs(CM, """
apiVersion: example.com/v1
kind: Widget
metadata:
  name: w
spec:
  endpoints:
  - url: https://old.host/path
  - url: http://other/x
"""))
repl('annotation-selector-set', R("""
replacements:
- source:
    kind: ConfigMap
    fieldPath: data.host
  targets:
  - select:
      annotationSelector: note in (old,new)
    fieldPaths:
    - metadata.annotations.note
"""), ALL)

# ---------------------------------------------------------------- more vars
vars_('service-port-var', V("""
vars:
- name: PORT
  objref:
    kind: Deployment
    name: app
    apiVersion: apps/v1
  fieldref:
    fieldPath: spec.replicas
"""), docs("""
apiVersion: v1
kind: Service
metadata:
  name: s
spec:
  ports:
  - port: $(PORT)
    targetPort: x$(PORT)
""", VDEP.replace('$(SVC)', 'svc')))
vars_('volume-mount-path', V(SVCVAR), docs(VSVC, """
apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  template:
    metadata:
      annotations:
        a: $(SVC)
    spec:
      containers:
      - name: c
        image: i
        volumeMounts:
        - name: v
          mountPath: /data/$(SVC)
      volumes:
      - name: v
        nfs:
          server: $(SVC).nfs
          path: /
"""))
vars_('labels-annotations-any-kind', V(SVCVAR), docs(VSVC, """
apiVersion: v1
kind: ConfigMap
metadata:
  name: cm
  labels:
    l: $(SVC)
  annotations:
    a: pre-$(SVC)
data:
  k: $(SVC)
"""))
vars_('two-vars-same-resource', V(SVCVAR + """
- name: SVCNS
  objref:
    kind: Service
    name: my-svc
    apiVersion: v1
  fieldref:
    fieldPath: metadata.namespace
"""), docs(VSVC.replace("  name: my-svc", "  name: my-svc\n  namespace: ns9"), VDEP.replace('$(UNKNOWN)', '$(SVCNS)')))
vars_('overlay-objref-prefixed-name', """
namePrefix: o-
resources:
- base
vars:
- name: SVC
  objref:
    kind: Service
    name: b-my-svc
    apiVersion: v1
""", VALL, {'base/res.yaml': VALL, 'base/kustomization.yaml': "namePrefix: b-\nresources:\n- res.yaml\n"})
vars_('overlay-namespace-objref-ns', """
namespace: prod
resources:
- base
vars:
- name: SVC
  objref:
    kind: Service
    name: my-svc
    namespace: prod
    apiVersion: v1
  fieldref:
    fieldPath: metadata.namespace
""", VALL, {'base/res.yaml': VALL, 'base/kustomization.yaml': "resources:\n- res.yaml\n"})
vars_('overlay-namespace-objref-oldns', """
namespace: prod
resources:
- base
vars:
- name: SVC
  objref:
    kind: Service
    name: my-svc
    namespace: default
    apiVersion: v1
""", VALL, {'base/res.yaml': VALL, 'base/kustomization.yaml': "resources:\n- res.yaml\n"})
vars_('float-value', V("""
vars:
- name: SVC
  objref:
    kind: ConfigMap
    name: cm
    apiVersion: v1
  fieldref:
    fieldPath: data.f
"""), docs(VDEP, """
apiVersion: v1
kind: ConfigMap
metadata:
  name: cm
data:
  f: 1.5
"""))
vars_('cluster-scoped-objref', V("""
vars:
- name: SVC
  objref:
    kind: Namespace
    name: team
    apiVersion: v1
"""), docs(VDEP, """
apiVersion: v1
kind: Namespace
metadata:
  name: team
"""))
vars_('var-with-replacement-source', V(SVCVAR + """
replacements:
- source:
    kind: Deployment
    fieldPath: spec.template.spec.containers.0.env.[name=X].value
  targets:
  - select:
      kind: Service
    fieldPaths:
    - metadata.annotations.x
    options:
      create: true
"""), VALL)
vars_('configurations-two-files', V(SVCVAR + """
configurations:
- c1.yaml
- c2.yaml
"""), docs(VSVC, """
apiVersion: example.com/v1
kind: Widget
metadata:
  name: w
spec:
  a: $(SVC)
  list:
  - b: $(SVC)-1
  - b: $(SVC)-2
"""), {'c1.yaml': "varReference:\n- path: spec/a\n  kind: Widget\n", 'c2.yaml': "varReference:\n- path: spec/list/b\n  group: example.com\n"})
vars_('configurations-in-base', """
resources:
- base
""", VALL, {'base/res.yaml': docs(VSVC, """
apiVersion: v1
kind: ConfigMap
metadata:
  name: cm
data:
  k: $(SVC)
"""), 'base/c.yaml': "varReference:\n- path: data/k\n  kind: ConfigMap\n", 'base/kustomization.yaml': "resources:\n- res.yaml\nconfigurations:\n- c.yaml\n" + d(SVCVAR)})
vars_('var-name-with-dots', V("""
vars:
- name: my.svc-name_1
  objref:
    kind: Service
    name: my-svc
    apiVersion: v1
"""), docs(VSVC, VDEP.replace('$(UNKNOWN)', '$(my.svc-name_1)')))


# ---------------------------------------------------------------- edge probes
NULLANN = docs(CM, """
apiVersion: v1
kind: Service
metadata:
  name: svc
  annotations:
spec:
  ports:
  - port: 80
""")
repl('null-intermediate-create', T(CMSRC.format('host'), '', "      kind: Service", CREATE, ['metadata.annotations.host']), NULLANN)
repl('null-intermediate-nocreate-err', T(CMSRC.format('host'), '', "      kind: Service", "", ['metadata.annotations.host']), NULLANN)
repl('through-plain-string-create', T(CMSRC.format('host'), '', "      kind: ConfigMap", CREATE, ['data.img.x']), ALL)
repl('through-plain-string-err', T(CMSRC.format('host'), '', "      kind: ConfigMap", "", ['data.img.x']), ALL)
repl('list-selector-on-map-err', T(CMSRC.format('host'), '', "      kind: Service", "", ['spec.selector.[name=x]']), ALL)
repl('index-on-map-err', T(CMSRC.format('host'), '', "      kind: Service", "", ['spec.selector.0']), ALL)
repl('scalar-replaces-list', T(CMSRC.format('host'), '', "      kind: Ingress", "", ['spec.tls.0.hosts']), ALL)
repl('labels-map-copy-create', R("""
replacements:
- source:
    kind: Deployment
    fieldPath: metadata.labels
  targets:
  - select:
      kind: ConfigMap
    fieldPaths:
    - metadata.labels
    - spec.template.metadata.labels
    options:
      create: true
"""), ALL)
repl('list-copy-into-existing-list', R("""
replacements:
- source:
    kind: Ingress
    fieldPath: spec.tls.0.hosts
  targets:
  - select:
      kind: Deployment
    fieldPaths:
    - spec.template.spec.containers.0.args
"""), ALL)
repl('int-source-delim', R("""
replacements:
- source:
    kind: Service
    fieldPath: spec.ports.0.targetPort
    options:
      delimiter: "0"
      index: 0
  targets:
  - select:
      kind: Deployment
    fieldPaths:
    - spec.replicas
    - metadata.annotations.note
"""), ALL)
repl('select-version-regex', R("""
replacements:
- source:
    kind: ConfigMap
    fieldPath: data.host
  targets:
  - select:
      version: v.*
      group: ""
    fieldPaths:
    - metadata.annotations.h
    options:
      create: true
"""), ALL)
vars_('whole-int-into-env', V("""
vars:
- name: SVC
  objref:
    kind: Service
    name: my-svc
    apiVersion: v1
  fieldref:
    fieldPath: spec.ports[0].port
"""), docs(VSVC, VDEP.replace('$(UNKNOWN)', 'u')))
vars_('secret-var-cronjob-nfs', V("""
vars:
- name: SVC
  objref:
    kind: Secret
    name: s
    apiVersion: v1
  fieldref:
    fieldPath: stringData.host
"""), docs("""
apiVersion: v1
kind: Secret
metadata:
  name: s
stringData:
  host: nfs.local
""", """
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
          - name: c
            image: i
            env:
            - name: H
              value: $(SVC)
          volumes:
          - name: v
            nfs:
              server: $(SVC)
"""))
vars_('apiversion-and-group', V("""
vars:
- name: SVC
  objref:
    kind: Deployment
    name: app
    apiVersion: apps/v1
    group: wrong
    version: v9
"""), VALL)
vars_('deployment-annotations-map', V(SVCVAR), docs(VSVC, """
apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  template:
    metadata:
      annotations:
        a: $(SVC)
        b: "$(SVC)"
        n: 5
    spec:
      containers:
      - name: c
        image: i
"""))

vars_('null-field-value', V("""
vars:
- name: SVC
  objref:
    kind: ConfigMap
    name: cm
    apiVersion: v1
  fieldref:
    fieldPath: data.empty
"""), docs(VDEP, """
apiVersion: v1
kind: ConfigMap
metadata:
  name: cm
data:
  empty:
"""))



def main():
    names = {c[0] for c in cases}
    for e in os.listdir(root):
        if (e.startswith('repl-') or e.startswith('vars-')) and e not in names:
            shutil.rmtree(os.path.join(root, e))
    for name, files in cases:
        dd = os.path.join(root, name)
        keep = {'expected.yaml', 'expected.err'}
        if os.path.isdir(dd):
            for e in os.listdir(dd):
                if e not in keep:
                    p = os.path.join(dd, e)
                    shutil.rmtree(p) if os.path.isdir(p) else os.remove(p)
        os.makedirs(dd, exist_ok=True)
        for f, t in files.items():
            p = os.path.join(dd, f)
            os.makedirs(os.path.dirname(p), exist_ok=True)
            with open(p, 'w') as fh:
                fh.write(t)
    print(len(cases), 'cases')


main()
