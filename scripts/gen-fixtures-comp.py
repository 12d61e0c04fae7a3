# Writes the inputs of the fixtures for the remaining kustomization fields
# (tests/fixtures/kustomize/comp-NNN-*, plug-NNN-*, misc-NNN-*): components, builtin
# plugin configs under generators/transformers, crds, buildMetadata, helm, remote.
# Expected outputs come from the real kustomize: bash scripts/update-goldens.sh
import os, shutil, sys, textwrap

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'tests', 'fixtures', 'kustomize')
cases = {'comp': [], 'plug': [], 'misc': []}


def d(s):
    return textwrap.dedent(s).lstrip()


def case(prefix, what, files, sub=None, args=None):
    cases[prefix].append((what, files, sub, args))


DEP = d('''
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
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
      - name: web
        image: nginx:1.0
        envFrom:
        - configMapRef:
            name: env
''')
SVC = d('''
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
  - port: 80
''')
CM = d('''
apiVersion: v1
kind: ConfigMap
metadata:
  name: env
data:
  A: "1"
''')
COMPK = 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\n'


def comp(body):
    return COMPK + d(body)


def parent(body, **extra):
    files = {'dep.yaml': DEP, 'svc.yaml': SVC, 'cm.yaml': CM,
             'kustomization.yaml': 'resources:\n- dep.yaml\n- svc.yaml\n- cm.yaml\n' + d(body)}
    files.update(extra)
    return files


C = 'comp'
case(C, 'basic-resource', parent('components:\n- c\n', **{
    'c/kustomization.yaml': comp('resources:\n- extra.yaml\n'),
    'c/extra.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\ndata:\n  x: y\n'}))
case(C, 'prefix-applies-to-parent', parent('components:\n- c\n', **{
    'c/kustomization.yaml': comp('namePrefix: c-\n')}))
case(C, 'commonlabels', parent('components:\n- c\n', **{
    'c/kustomization.yaml': comp('commonLabels:\n  team: blue\n')}))
case(C, 'smp-patch-parent-resource', parent('components:\n- c\n', **{
    'c/kustomization.yaml': comp('patches:\n- path: p.yaml\n'),
    'c/p.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 5\n'}))
case(C, 'json6902-patch', parent('components:\n- c\n', **{
    'c/kustomization.yaml': comp('''
        patches:
        - target:
            kind: Service
            name: web
          patch: |-
            - op: replace
              path: /spec/ports/0/port
              value: 8080
        ''')}))
case(C, 'generator-merge-parent-generator', {
    'dep.yaml': DEP,
    'kustomization.yaml': d('''
        resources:
        - dep.yaml
        configMapGenerator:
        - name: env
          literals:
          - A=1
        components:
        - c
        '''),
    'c/kustomization.yaml': comp('''
        configMapGenerator:
        - name: env
          behavior: merge
          literals:
          - B=2
        ''')})
case(C, 'generator-merge-parent-resource', parent('components:\n- c\n', **{
    'c/kustomization.yaml': comp('''
        configMapGenerator:
        - name: env
          behavior: merge
          literals:
          - B=2
        ''')}))
case(C, 'generator-replace-parent-generator', {
    'dep.yaml': DEP,
    'kustomization.yaml': d('''
        resources:
        - dep.yaml
        configMapGenerator:
        - name: env
          literals:
          - A=1
        components:
        - c
        '''),
    'c/kustomization.yaml': comp('''
        configMapGenerator:
        - name: env
          behavior: replace
          literals:
          - Z=9
        ''')})
case(C, 'generator-new-with-hash-nameref', parent('components:\n- c\n', **{
    'c/kustomization.yaml': comp('''
        configMapGenerator:
        - name: other
          literals:
          - K=v
        patches:
        - patch: |-
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
            spec:
              template:
                spec:
                  volumes:
                  - name: o
                    configMap:
                      name: other
        ''')}))
case(C, 'images', parent('components:\n- c\n', **{
    'c/kustomization.yaml': comp('images:\n- name: nginx\n  newTag: "2.0"\n')}))
case(C, 'replicas', parent('components:\n- c\n', **{
    'c/kustomization.yaml': comp('replicas:\n- name: web\n  count: 3\n')}))
case(C, 'namespace', parent('components:\n- c\n', **{
    'c/kustomization.yaml': comp('namespace: comp-ns\n')}))
case(C, 'annotations', parent('components:\n- c\n', **{
    'c/kustomization.yaml': comp('commonAnnotations:\n  note: from-component\n')}))
case(C, 'parent-and-component-prefix', parent('namePrefix: p-\ncomponents:\n- c\n', **{
    'c/kustomization.yaml': comp('namePrefix: c-\n')}))
case(C, 'nested-components', parent('components:\n- c1\n', **{
    'c1/kustomization.yaml': comp('components:\n- ../c2\ncommonLabels:\n  c1: "yes"\n'),
    'c2/kustomization.yaml': comp('resources:\n- x.yaml\nnameSuffix: -c2\n'),
    'c2/x.yaml': 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\nstringData:\n  k: v\n'}))
case(C, 'two-components-order', parent('components:\n- a\n- b\n', **{
    'a/kustomization.yaml': comp('resources:\n- x.yaml\n'),
    'a/x.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: fromA\ndata:\n  k: a\n',
    'b/kustomization.yaml': comp('''
        patches:
        - patch: |-
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: fromA
            data:
              k: patched-by-b
        ''')}))
case(C, 'overlay-with-component', {
    'base/dep.yaml': DEP, 'base/cm.yaml': CM,
    'base/kustomization.yaml': 'resources:\n- dep.yaml\n- cm.yaml\n',
    'overlay/kustomization.yaml': 'resources:\n- ../base\ncomponents:\n- ../comp\nnamePrefix: o-\n',
    'comp/kustomization.yaml': comp('commonLabels:\n  feature: "on"\nresources:\n- svc.yaml\n'),
    'comp/svc.yaml': SVC}, sub='overlay')
case(C, 'component-in-base-only', {
    'base/dep.yaml': DEP, 'base/cm.yaml': CM,
    'base/kustomization.yaml': 'resources:\n- dep.yaml\n- cm.yaml\ncomponents:\n- ../comp\n',
    'overlay/kustomization.yaml': 'resources:\n- ../base\n- svc.yaml\n',
    'overlay/svc.yaml': SVC,
    'comp/kustomization.yaml': comp('commonLabels:\n  feature: base\n')}, sub='overlay')
case(C, 'component-resource-base-dir', parent('components:\n- c\n', **{
    'c/kustomization.yaml': comp('resources:\n- ../b2\n'),
    'b2/kustomization.yaml': 'resources:\n- s.yaml\nnamePrefix: b2-\n',
    'b2/s.yaml': 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: sa\n'}))
case(C, 'replacements', parent('components:\n- c\n', **{
    'c/kustomization.yaml': comp('''
        replacements:
        - source:
            kind: ConfigMap
            name: env
            fieldPath: data.A
          targets:
          - select:
              kind: Service
            fieldPaths:
            - metadata.annotations.a
            options:
              create: true
        ''')}))
case(C, 'labels-include-selectors', parent('components:\n- c\n', **{
    'c/kustomization.yaml': comp('labels:\n- pairs:\n    tier: fe\n  includeSelectors: true\n')}))
case(C, 'patch-label-selector', parent('components:\n- c\n', **{
    'c/kustomization.yaml': comp('''
        patches:
        - target:
            labelSelector: app=web
          patch: |-
            - op: add
              path: /metadata/annotations
              value: {hit: "yes"}
        ''')}))
case(C, 'default-apiversion', parent('components:\n- c\n', **{
    'c/kustomization.yaml': 'kind: Component\nnameSuffix: -x\n'}))
case(C, 'component-only-no-resources', {
    'kustomization.yaml': 'components:\n- c\n',
    'c/kustomization.yaml': comp('resources:\n- cm.yaml\nnamespace: n1\n'),
    'c/cm.yaml': CM})
case(C, 'component-secret-generator', parent('components:\n- c\n', **{
    'c/kustomization.yaml': comp('secretGenerator:\n- name: sec\n  literals:\n  - p=w\n')}))
case(C, 'component-sees-parent-generator-prefix', {
    'kustomization.yaml': 'configMapGenerator:\n- name: g\n  literals:\n  - a=b\ncomponents:\n- c\n',
    'c/kustomization.yaml': comp('namePrefix: c-\n')})
case(C, 'err-component-in-resources', parent('resources:\n- c\n', **{
    'c/kustomization.yaml': comp('namePrefix: c-\n')}))
case(C, 'err-kustomization-in-components', parent('components:\n- k\n', **{
    'k/kustomization.yaml': 'namePrefix: k-\n'}))
case(C, 'err-missing-component-dir', parent('components:\n- nope\n'))
case(C, 'err-component-is-file', parent('components:\n- svc.yaml\n'))
case(C, 'err-component-wrong-apiversion', parent('components:\n- c\n', **{
    'c/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Component\nnamePrefix: c-\n'}))
case(C, 'err-same-component-twice-dup-resource', parent('components:\n- c\n- c\n', **{
    'c/kustomization.yaml': comp('resources:\n- x.yaml\n'),
    'c/x.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n'}))
case(C, 'same-component-twice-transform', parent('components:\n- c\n- c\n', **{
    'c/kustomization.yaml': comp('namePrefix: c-\n')}))
case(C, 'err-component-patch-missing-target', parent('components:\n- c\n', **{
    'c/kustomization.yaml': comp('''
        patches:
        - patch: |-
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: missing
            data:
              k: v
        ''')}))


P = 'plug'


def tr(body, extra='', field='transformers', files=None):
    """A kustomization with one inline plugin config under `field`."""
    k = 'resources:\n- dep.yaml\n- svc.yaml\n- cm.yaml\n' + f'{field}:\n- |-\n' + textwrap.indent(d(body), '  ') + d(extra)
    out = {'dep.yaml': DEP, 'svc.yaml': SVC, 'cm.yaml': CM, 'kustomization.yaml': k}
    out.update(files or {})
    return out


def trfile(body, extra='', field='transformers', files=None):
    """The plugin config in a file `plugin.yaml`."""
    k = 'resources:\n- dep.yaml\n- svc.yaml\n- cm.yaml\n' + f'{field}:\n- plugin.yaml\n' + d(extra)
    out = {'dep.yaml': DEP, 'svc.yaml': SVC, 'cm.yaml': CM, 'kustomization.yaml': k, 'plugin.yaml': d(body)}
    out.update(files or {})
    return out


B = 'apiVersion: builtin\n'
case(P, 'prefix-inline', tr(B + 'kind: PrefixTransformer\nmetadata:\n  name: p\nprefix: pre-\nfieldSpecs:\n- path: metadata/name\n'))
case(P, 'prefix-file', trfile(B + 'kind: PrefixTransformer\nmetadata:\n  name: p\nprefix: pre-\nfieldSpecs:\n- path: metadata/name\n'))
case(P, 'prefix-kind-limited', tr(B + 'kind: PrefixTransformer\nmetadata:\n  name: p\nprefix: pre-\nfieldSpecs:\n- kind: Deployment\n  path: metadata/name\n'))
case(P, 'err-prefix-no-fieldspecs', tr(B + 'kind: PrefixTransformer\nmetadata:\n  name: p\nprefix: pre-\n'))
case(P, 'suffix', tr(B + 'kind: SuffixTransformer\nmetadata:\n  name: s\nsuffix: -suf\nfieldSpecs:\n- path: metadata/name\n'))
case(P, 'prefix-suffix', tr(B + 'kind: PrefixSuffixTransformer\nmetadata:\n  name: ps\nprefix: a-\nsuffix: -z\nfieldSpecs:\n- path: metadata/name\n'))
case(P, 'prefix-then-kustomization-prefix', tr(B + 'kind: PrefixTransformer\nmetadata:\n  name: p\nprefix: plug-\nfieldSpecs:\n- path: metadata/name\n', extra='namePrefix: kust-\n'))
case(P, 'namespace', tr(B + 'kind: NamespaceTransformer\nmetadata:\n  name: ns\n  namespace: plug-ns\n'))
case(P, 'namespace-fieldspecs', tr(B + 'kind: NamespaceTransformer\nmetadata:\n  name: ns\n  namespace: plug-ns\nfieldSpecs:\n- path: metadata/namespace\n  create: true\n'))
case(P, 'namespace-unset-only', {
    'kustomization.yaml': 'resources:\n- r.yaml\ntransformers:\n- |-\n  apiVersion: builtin\n  kind: NamespaceTransformer\n  metadata:\n    name: ns\n    namespace: newns\n  unsetOnly: true\n',
    'r.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  namespace: keep\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n'})
RB = 'apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: rb\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: Role\n  name: r\nsubjects:\n- kind: ServiceAccount\n  name: default\n- kind: ServiceAccount\n  name: other\n- kind: User\n  name: default\n'
for mode in ['allServiceAccounts', 'none', 'defaultOnly']:
    case(P, f'namespace-subjects-{mode.lower()}', {
        'kustomization.yaml': f'resources:\n- rb.yaml\ntransformers:\n- |-\n  apiVersion: builtin\n  kind: NamespaceTransformer\n  metadata:\n    name: ns\n    namespace: newns\n  setRoleBindingSubjects: {mode}\n',
        'rb.yaml': RB})
case(P, 'err-namespace-subjects-bad', {
    'kustomization.yaml': 'resources:\n- rb.yaml\ntransformers:\n- |-\n  apiVersion: builtin\n  kind: NamespaceTransformer\n  metadata:\n    name: ns\n    namespace: newns\n  setRoleBindingSubjects: bogus\n',
    'rb.yaml': RB})
case(P, 'labels', tr(B + 'kind: LabelTransformer\nmetadata:\n  name: l\nlabels:\n  team: red\nfieldSpecs:\n- path: metadata/labels\n  create: true\n- kind: Deployment\n  path: spec/selector/matchLabels\n  create: true\n'))
case(P, 'labels-no-fieldspecs', tr(B + 'kind: LabelTransformer\nmetadata:\n  name: l\nlabels:\n  team: red\n'))
case(P, 'annotations', tr(B + 'kind: AnnotationsTransformer\nmetadata:\n  name: a\nannotations:\n  note: hi\nfieldSpecs:\n- path: metadata/annotations\n  create: true\n'))
case(P, 'annotations-kind-template', tr(B + 'kind: AnnotationsTransformer\nmetadata:\n  name: a\nannotations:\n  note: tpl\nfieldSpecs:\n- kind: Deployment\n  path: spec/template/metadata/annotations\n  create: true\n'))
case(P, 'replicas', tr(B + 'kind: ReplicaCountTransformer\nmetadata:\n  name: r\nreplica:\n  name: web\n  count: 7\nfieldSpecs:\n- kind: Deployment\n  path: spec/replicas\n  create: true\n'))
case(P, 'err-replicas-no-match', tr(B + 'kind: ReplicaCountTransformer\nmetadata:\n  name: r\nreplica:\n  name: nope\n  count: 7\nfieldSpecs:\n- kind: Deployment\n  path: spec/replicas\n'))
case(P, 'image-tag', tr(B + 'kind: ImageTagTransformer\nmetadata:\n  name: i\nimageTag:\n  name: nginx\n  newTag: "9.9"\nfieldSpecs:\n- path: spec/template/spec/containers[]/image\n'))
case(P, 'image-newname-no-fieldspecs', tr(B + 'kind: ImageTagTransformer\nmetadata:\n  name: i\nimageTag:\n  name: nginx\n  newName: my/nginx\n'))
case(P, 'patch-transformer-inline', tr(B + 'kind: PatchTransformer\nmetadata:\n  name: pt\npatch: |-\n  apiVersion: apps/v1\n  kind: Deployment\n  metadata:\n    name: web\n  spec:\n    replicas: 4\n'))
case(P, 'patch-transformer-path-target', tr(B + 'kind: PatchTransformer\nmetadata:\n  name: pt\npath: p.json\ntarget:\n  kind: Service\n',
    files={'p.json': '[{"op": "add", "path": "/metadata/labels", "value": {"x": "y"}}]\n'}))
case(P, 'err-patch-transformer-empty', tr(B + 'kind: PatchTransformer\nmetadata:\n  name: pt\n'))
case(P, 'psm-paths-and-patches', tr(B + 'kind: PatchStrategicMergeTransformer\nmetadata:\n  name: psm\npaths:\n- p.yaml\npatches: |-\n  apiVersion: v1\n  kind: Service\n  metadata:\n    name: web\n  spec:\n    type: NodePort\n',
    files={'p.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n'}))
case(P, 'err-psm-empty', tr(B + 'kind: PatchStrategicMergeTransformer\nmetadata:\n  name: psm\n'))
case(P, 'json6902-jsonop', tr(B + 'kind: PatchJson6902Transformer\nmetadata:\n  name: j\ntarget:\n  group: apps\n  version: v1\n  kind: Deployment\n  name: web\njsonOp: \'[{"op": "replace", "path": "/spec/replicas", "value": 9}]\'\n'))
case(P, 'json6902-path', tr(B + 'kind: PatchJson6902Transformer\nmetadata:\n  name: j\ntarget:\n  version: v1\n  kind: Service\n  name: web\npath: j.yaml\n',
    files={'j.yaml': '- op: add\n  path: /spec/type\n  value: LoadBalancer\n'}))
case(P, 'replacement', tr(B + 'kind: ReplacementTransformer\nmetadata:\n  name: rt\nreplacements:\n- source:\n    kind: Service\n    name: web\n    fieldPath: metadata.name\n  targets:\n  - select:\n      kind: ConfigMap\n    fieldPaths:\n    - data.A\n'))
case(P, 'replacement-path', tr(B + 'kind: ReplacementTransformer\nmetadata:\n  name: rt\nreplacements:\n- path: r.yaml\n',
    files={'r.yaml': 'source:\n  kind: Deployment\n  name: web\n  fieldPath: spec.template.spec.containers.0.image\ntargets:\n- select:\n    kind: ConfigMap\n  fieldPaths:\n  - data.IMG\n  options:\n    create: true\n'}))
case(P, 'configmap-generator-inline', tr(B + 'kind: ConfigMapGenerator\nmetadata:\n  name: plugcm\nliterals:\n- k=v\n', field='generators'))
case(P, 'configmap-generator-file-merge', trfile(B + 'kind: ConfigMapGenerator\nmetadata:\n  name: env\nbehavior: merge\nliterals:\n- B=2\n', field='generators'))
case(P, 'secret-generator', tr(B + 'kind: SecretGenerator\nmetadata:\n  name: plugsec\n  namespace: sns\ntype: Opaque\nliterals:\n- p=w\noptions:\n  disableNameSuffixHash: true\n', field='generators'))
case(P, 'configmap-generator-name-field-wins', tr(B + 'kind: ConfigMapGenerator\nmetadata:\n  name: meta\nname: field\nliterals:\n- a=b\n', field='generators'))
case(P, 'generator-nameref-hash', tr(B + 'kind: ConfigMapGenerator\nmetadata:\n  name: env\nbehavior: replace\nliterals:\n- NEW=1\n', field='generators'))
case(P, 'err-external-plugin', tr('apiVersion: someteam.example.com/v1\nkind: ChartInflator\nmetadata:\n  name: x\n'))
case(P, 'err-unknown-builtin', tr(B + 'kind: NoSuchTransformer\nmetadata:\n  name: x\n'))
case(P, 'err-generator-under-transformers', tr(B + 'kind: ConfigMapGenerator\nmetadata:\n  name: x\nliterals:\n- a=b\n'))
case(P, 'err-transformer-under-generators', tr(B + 'kind: PrefixTransformer\nmetadata:\n  name: p\nprefix: x-\nfieldSpecs:\n- path: metadata/name\n', field='generators'))
case(P, 'transformers-after-builtins', tr(B + 'kind: LabelTransformer\nmetadata:\n  name: l\nlabels:\n  after: plugin\nfieldSpecs:\n- path: metadata/labels\n  create: true\n',
    extra='commonLabels:\n  before: builtin\nnamePrefix: k-\n'))
case(P, 'multiple-docs-in-one-entry', tr(B + 'kind: PrefixTransformer\nmetadata:\n  name: p\nprefix: one-\nfieldSpecs:\n- path: metadata/name\n---\n' + B + 'kind: SuffixTransformer\nmetadata:\n  name: s\nsuffix: -two\nfieldSpecs:\n- path: metadata/name\n'))
case(P, 'transformers-dir-entry', {
    'dep.yaml': DEP, 'svc.yaml': SVC, 'cm.yaml': CM,
    'kustomization.yaml': 'resources:\n- dep.yaml\n- svc.yaml\n- cm.yaml\ntransformers:\n- tdir\n',
    'tdir/kustomization.yaml': 'resources:\n- a.yaml\n',
    'tdir/a.yaml': B + 'kind: AnnotationsTransformer\nmetadata:\n  name: a\nannotations:\n  from: dir\nfieldSpecs:\n- path: metadata/annotations\n  create: true\n'})
case(P, 'err-transformer-file-missing', tr('', extra='', files={}) | {'kustomization.yaml': 'resources:\n- dep.yaml\ntransformers:\n- missing.yaml\n'})
case(P, 'transformers-in-component', parent('components:\n- c\n', **{
    'c/kustomization.yaml': comp('transformers:\n- |-\n  apiVersion: builtin\n  kind: PrefixTransformer\n  metadata:\n    name: p\n  prefix: comp-\n  fieldSpecs:\n  - path: metadata/name\n')}))
case(P, 'inline-and-file-order', {
    'dep.yaml': DEP, 'svc.yaml': SVC, 'cm.yaml': CM,
    'kustomization.yaml': 'resources:\n- dep.yaml\n- svc.yaml\n- cm.yaml\ntransformers:\n- f.yaml\n- |-\n  apiVersion: builtin\n  kind: PrefixTransformer\n  metadata:\n    name: p\n  prefix: inline-\n  fieldSpecs:\n  - path: metadata/name\n',
    'f.yaml': B + 'kind: PrefixTransformer\nmetadata:\n  name: f\nprefix: file-\nfieldSpecs:\n- path: metadata/name\n'})


M = 'misc'


def res3(body, **extra):
    return parent(body, **extra)


case(M, 'buildmetadata-managedby', res3('buildMetadata: [managedByLabel]\n'))
case(M, 'buildmetadata-origin', res3('buildMetadata: [originAnnotations]\n'))
case(M, 'buildmetadata-origin-and-managedby', res3('buildMetadata:\n- originAnnotations\n- managedByLabel\n'))
case(M, 'buildmetadata-origin-generator', res3('buildMetadata: [originAnnotations]\nconfigMapGenerator:\n- name: gen\n  literals:\n  - a=b\nsecretGenerator:\n- name: sec\n  literals:\n  - p=w\n'))
case(M, 'buildmetadata-origin-base', {
    'base/dep.yaml': DEP, 'base/cm.yaml': CM,
    'base/kustomization.yaml': 'resources:\n- dep.yaml\n- ./cm.yaml\nconfigMapGenerator:\n- name: bgen\n  literals:\n  - x=y\n',
    'overlay/kustomization.yaml': 'resources:\n- ../base\n- svc.yaml\nbuildMetadata: [originAnnotations]\nnamePrefix: o-\n',
    'overlay/svc.yaml': SVC}, sub='overlay')
case(M, 'buildmetadata-in-base-ignored', {
    'base/dep.yaml': DEP,
    'base/kustomization.yaml': 'resources:\n- dep.yaml\nbuildMetadata: [originAnnotations, managedByLabel]\n',
    'overlay/kustomization.yaml': 'resources:\n- ../base\n'}, sub='overlay')
case(M, 'buildmetadata-origin-component', res3('buildMetadata: [originAnnotations]\ncomponents:\n- c\n', **{
    'c/kustomization.yaml': comp('resources:\n- x.yaml\n'),
    'c/x.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n'}))
case(M, 'buildmetadata-origin-subdir-file', res3('resources:\n- sub/x.yaml\nbuildMetadata: [originAnnotations]\n', **{
    'sub/x.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n'}))
case(M, 'buildmetadata-managedby-overrides-label', {
    'kustomization.yaml': 'resources:\n- x.yaml\nbuildMetadata: [managedByLabel]\n',
    'x.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  labels:\n    app.kubernetes.io/managed-by: helm\n'})
case(M, 'buildmetadata-empty-list', res3('buildMetadata: []\n'))
case(M, 'buildmetadata-unknown-value', res3('buildMetadata: [somethingElse]\n'))
case(M, 'buildmetadata-origin-existing-annotations', {
    'kustomization.yaml': 'resources:\n- x.yaml\nbuildMetadata: [originAnnotations]\ncommonAnnotations:\n  z: last\n',
    'x.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  annotations:\n    b: "1"\n'})
case(M, 'err-helmcharts', res3('helmCharts:\n- name: minecraft\n  repo: https://example.com/charts\n  version: 3.1.3\n'))
case(M, 'helmcharts-empty', res3('helmCharts: []\n'))
case(M, 'helmglobals-only', res3('helmGlobals:\n  chartHome: charts\n'))
case(M, 'err-helm-inflation-generator', res3('helmChartInflationGenerator:\n- chartName: x\n  chartRepoUrl: https://example.com\n'))
case(M, 'err-remote-https', res3('resources:\n- https://github.com/kubernetes-sigs/kustomize//examples/helloWorld?ref=v5.8.1\n'))
case(M, 'err-remote-github', res3('resources:\n- github.com/kubernetes-sigs/kustomize/examples/helloWorld?ref=v5.8.1\n'))
case(M, 'err-remote-git-ssh', res3('resources:\n- git@github.com:kubernetes-sigs/kustomize.git/examples/helloWorld?ref=v5.8.1\n'))
case(M, 'err-remote-component', res3('components:\n- https://github.com/example/repo//comp?ref=main\n'))

CRD_DEFS = d("""
github.com/example/pkg/apis/jingfang/v1beta1.Bee:
  Schema:
    properties:
      apiVersion:
        type: string
      kind:
        type: string
      metadata:
        $ref: k8s.io/apimachinery/pkg/apis/meta/v1.ObjectMeta
      spec:
        $ref: github.com/example/pkg/apis/jingfang/v1beta1.BeeSpec
      status:
        $ref: github.com/example/pkg/apis/jingfang/v1beta1.BeeStatus
    type: object
github.com/example/pkg/apis/jingfang/v1beta1.BeeSpec:
  Schema:
    properties:
      secretRef:
        x-kubernetes-object-ref-api-version: v1
        x-kubernetes-object-ref-kind: Secret
        $ref: github.com/example/pkg/apis/jingfang/v1beta1.SecretRef
      configName:
        type: string
        x-kubernetes-object-ref-api-version: v1
        x-kubernetes-object-ref-kind: ConfigMap
        x-kubernetes-object-ref-name-key: value
      selector:
        x-kubernetes-label-selector: "true"
        type: object
      notes:
        x-kubernetes-annotation: "true"
        type: object
      beeName:
        x-kubernetes-identity: "true"
        type: string
    type: object
github.com/example/pkg/apis/jingfang/v1beta1.SecretRef:
  Schema:
    properties:
      name:
        type: string
    type: object
""")
BEE = d("""
apiVersion: jingfang.example.com/v1beta1
kind: Bee
metadata:
  name: bee
spec:
  secretRef:
    name: sec
  configName:
    value: conf
  selector:
    app: bee
  notes:
    a: b
  beeName: bee
""")
CRD_RES = {'bee.yaml': BEE, 'defs.yaml': CRD_DEFS,
           's.yaml': 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: sec\n',
           'c.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: conf\n'}


def crdcase(what, kust, **extra):
    files = dict(CRD_RES)
    files['kustomization.yaml'] = 'resources:\n- bee.yaml\n- s.yaml\n- c.yaml\n' + d(kust)
    files.update(extra)
    case(M, what, files)


crdcase('crds-prefix-nameref', 'crds:\n- defs.yaml\nnamePrefix: p-\n')
crdcase('crds-labels', 'crds:\n- defs.yaml\ncommonLabels:\n  team: x\n')
crdcase('crds-annotations', 'crds:\n- defs.yaml\ncommonAnnotations:\n  owner: me\n')
crdcase('crds-all', 'crds:\n- defs.yaml\nnamePrefix: p-\nnameSuffix: -s\ncommonLabels:\n  team: x\ncommonAnnotations:\n  o: m\n')
crdcase('no-crds-baseline', 'namePrefix: p-\ncommonLabels:\n  team: x\ncommonAnnotations:\n  o: m\n')
crdcase('crds-json-file', 'crds:\n- defs.json\nnamePrefix: p-\n', **{'defs.json': __import__('json').dumps({
    'example.com/v1.Bee': {'Schema': {'properties': {'apiVersion': {}, 'kind': {}, 'metadata': {},
        'spec': {'$ref': 'example.com/v1.BeeSpec'}}}},
    'example.com/v1.BeeSpec': {'Schema': {'properties': {'secretRef': {
        'x-kubernetes-object-ref-api-version': 'v1', 'x-kubernetes-object-ref-kind': 'Secret'}}}}}) + '\n'})
crdcase('crds-configmap-generator-ref', 'crds:\n- defs.yaml\nconfigMapGenerator:\n- name: conf2\n  literals:\n  - a=b\n',
        **{'bee.yaml': BEE.replace('value: conf', 'value: conf2')})
case(M, 'crds-in-base', {
    'base/bee.yaml': BEE, 'base/defs.yaml': CRD_DEFS,
    'base/s.yaml': 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: sec\n',
    'base/kustomization.yaml': 'resources:\n- bee.yaml\n- s.yaml\ncrds:\n- defs.yaml\n',
    'overlay/kustomization.yaml': 'resources:\n- ../base\nnamePrefix: o-\ncommonLabels:\n  env: prod\n'}, sub='overlay')
crdcase('err-crds-missing-file', 'crds:\n- nope.yaml\n')
crdcase('err-crds-not-a-map', 'crds:\n- bad.yaml\n', **{'bad.yaml': '- a\n- b\n'})
crdcase('crds-no-k8s-type', 'crds:\n- plain.yaml\nnamePrefix: p-\n', **{'plain.yaml': 'x.Y:\n  Schema:\n    properties:\n      spec:\n        x-kubernetes-identity: "true"\n'})
def write():
    for prefix, lst in cases.items():
        for old in os.listdir(root):
            if old.startswith(prefix + '-'):
                shutil.rmtree(os.path.join(root, old))
        for i, (what, files, sub, args) in enumerate(lst, 1):
            cdir = os.path.join(root, f'{prefix}-{i:03d}-{what}')
            os.makedirs(cdir)
            for path, text in files.items():
                p = os.path.join(cdir, path)
                os.makedirs(os.path.dirname(p), exist_ok=True)
                with open(p, 'w') as f:
                    f.write(text)
            if sub:
                with open(os.path.join(cdir, 'root'), 'w') as f:
                    f.write(sub + '\n')
            if args:
                with open(os.path.join(cdir, 'args'), 'w') as f:
                    f.write(args + '\n')


write()
