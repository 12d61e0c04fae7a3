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

exec(open(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'gen-fixtures-comp-more.py')).read()) \
    if os.path.exists(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'gen-fixtures-comp-more.py')) else None


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
