'use strict'
// updateSetters and the cluster workflow (planCluster/applyCluster/diffCluster): the Rust
// results, converted; sync and async.
const { test } = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const sdk = require('..')

const EXAMPLES = path.resolve(__dirname, '../../../examples')
const PRODUCTION = path.join(EXAMPLES, 'clusters', 'production')
const DEPLOY = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: apps
spec:
  template:
    spec:
      containers:
      - name: web
        image: ghcr.io/org/web:1.0.0 # {"$imagepolicy": "flux-system:web"}
      - name: side
        image: ghcr.io/org/side:0.1 # {"$imagepolicy": "flux-system:side:tag"}
`
const POLICIES = { 'flux-system:web': 'ghcr.io/org/web:1.2.0' }

function tmpdir(t) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-wf-'))
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }))
  return dir
}

function tree(t) {
  const dir = tmpdir(t)
  fs.mkdirSync(path.join(dir, 'apps'))
  fs.writeFileSync(path.join(dir, 'apps', 'deploy.yaml'), DEPLOY)
  return dir
}

test('updateSetters writes the marked value and reports', async (t) => {
  const dir = tree(t)
  const file = path.join(dir, 'apps', 'deploy.yaml')
  const dry = await sdk.updateSettersAsync(dir, POLICIES, { dryRun: true })
  assert.equal(fs.readFileSync(file, 'utf8'), DEPLOY, 'dryRun writes nothing')
  const out = sdk.updateSetters(dir, POLICIES)
  assert.deepEqual(out, dry)
  assert.deepEqual(out.files, [
    {
      file: 'apps/deploy.yaml',
      changes: [
        {
          object: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace: 'apps' },
          oldValue: 'ghcr.io/org/web:1.0.0',
          newValue: 'ghcr.io/org/web:1.2.0',
          setter: 'flux-system:web',
          line: 11,
          column: 16,
        },
      ],
    },
  ])
  assert.deepEqual(out.warnings, [
    { file: 'apps/deploy.yaml', line: 13, column: 16, setter: 'flux-system:side:tag', message: 'apps/deploy.yaml:13:16: no policy for setter "flux-system:side:tag"' },
  ])
  assert.deepEqual(out.problemFiles, [])
  assert.equal(fs.readFileSync(file, 'utf8'), DEPLOY.replace('web:1.0.0', 'web:1.2.0'))
  assert.deepEqual(sdk.updateSetters(dir, POLICIES).files, [])
  const other = sdk.updateSetters(dir, POLICIES, { namespace: 'other', dryRun: true })
  assert.deepEqual([other.files.length, other.warnings.length], [0, 2])
})

test('updateSetters errors', async (t) => {
  const dir = tree(t)
  assert.throws(() => sdk.updateSetters(dir, POLICIES, { strict: true }), (err) => {
    assert.ok(err instanceof sdk.SetterError && err instanceof sdk.GitopsError)
    assert.equal(err.code, 'GITOPS_SETTER_MISSING_POLICY')
    assert.equal(err.message, 'apps/deploy.yaml:13:16: marker names unknown setter "flux-system:side:tag"')
    assert.equal(err.file, 'apps/deploy.yaml')
    assert.equal(err.line, 13)
    return true
  })
  assert.throws(() => sdk.updateSetters(dir, { web: 'ghcr.io/org/web:1' }), {
    name: 'SetterError',
    code: 'GITOPS_SETTER_INVALID_POLICY_KEY',
    message: 'invalid policy key "web": expected namespace:name',
  })
  assert.throws(() => sdk.updateSetters(dir, { 'ns:web': 'ghcr.io/Org/web:1' }), { code: 'GITOPS_SETTER_INVALID_IMAGE_REF' })
  assert.throws(() => sdk.updateSetters(dir, { 'ns:web': 'ghcr.io/org/web' }), { code: 'GITOPS_INVALID_ARGUMENT', message: /has no tag/ })
  await assert.rejects(sdk.updateSettersAsync(path.join(dir, 'gone'), POLICIES), (err) => {
    assert.ok(err instanceof sdk.SetterError)
    assert.equal(err.code, 'GITOPS_SETTER_IO')
    assert.equal(err.file, path.join(dir, 'gone'))
    return true
  })
})

test('planCluster, applyCluster, diffCluster against a live directory', async (t) => {
  const live = path.join(tmpdir(t), 'live')
  const isEmpty = () => !fs.existsSync(live) || fs.readdirSync(live).length === 0
  const rendered = sdk.renderCluster(PRODUCTION)
  const counts = new Map(rendered.kustomizations.map((k) => [`${k.namespace}/${k.name}`, k.objects.length]))
  const planned = sdk.planCluster(PRODUCTION, live)
  assert.deepEqual(planned.map((p) => p.kustomization).sort(), [...counts.keys()].sort())
  assert.equal(planned[0].kustomization, 'flux-system/flux-system')
  for (const p of planned) {
    assert.equal(p.entries.length, counts.get(p.kustomization))
    assert.ok(p.entries.every((e) => e.action === 'created'))
    assert.equal(p.changes, p.entries.map((e) => `${e.subject} created`).join('\n'))
    assert.equal(p.changeSet, p.changes)
  }
  assert.ok(isEmpty(), 'plan writes nothing')
  assert.deepEqual(await sdk.planClusterAsync(PRODUCTION, live), planned)
  assert.deepEqual(sdk.applyCluster(PRODUCTION, live, { dryRun: true }), planned)
  assert.ok(isEmpty(), 'dryRun writes nothing')

  const diffs = await sdk.diffClusterAsync(PRODUCTION, live)
  assert.deepEqual(diffs, sdk.diffCluster(PRODUCTION, live))
  assert.deepEqual(diffs.map((d) => d.subject), planned.flatMap((p) => p.entries.map((e) => e.subject)))
  assert.equal(diffs[0].action, 'created')
  assert.equal(diffs[0].changes[0].path, '')
  assert.equal(diffs[0].changes[0].before, undefined)
  assert.ok(diffs[0].changes[0].after.kind)
  assert.ok(diffs[0].unified.startsWith('--- /dev/null\n'), diffs[0].unified)

  assert.deepEqual(await sdk.applyClusterAsync(PRODUCTION, live), planned)
  const again = sdk.planCluster(PRODUCTION, live)
  assert.ok(again.every((p) => p.changes === '' && p.entries.every((e) => e.action === 'unchanged')))
  assert.deepEqual(sdk.diffCluster(PRODUCTION, live), [])
})

test('cluster workflow errors keep their cause class', async (t) => {
  const root = tmpdir(t)
  assert.throws(() => sdk.planCluster(path.join(root, 'nope'), path.join(root, 'live')), {
    name: 'RenderError',
    code: 'GITOPS_RENDER_CLUSTER_PATH',
  })
  const cluster = path.join(root, 'clusters', 'c')
  fs.mkdirSync(cluster, { recursive: true })
  const docs = [['a', 'b'], ['b', 'a']].map(([name, dep]) => {
    fs.mkdirSync(path.join(root, name))
    fs.writeFileSync(path.join(root, name, 'cm.yaml'), `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}, namespace: apps}\n`)
    return `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: {name: ${name}, namespace: flux-system}\nspec: {interval: 1m, path: ./${name}, prune: true, dependsOn: [{name: ${dep}}], sourceRef: {kind: GitRepository, name: flux-system}}\n`
  })
  fs.writeFileSync(path.join(cluster, 'sync.yaml'), docs.join('---\n'))
  const isCycle = (err) => {
    assert.ok(err instanceof sdk.DependencyCycleError, String(err))
    assert.equal(err.code, 'GITOPS_DEPENDENCY_CYCLE')
    assert.match(err.message, /^circular dependency detected: flux-system\//)
    return true
  }
  assert.throws(() => sdk.planCluster(cluster, path.join(root, 'live'), { root }), isCycle)
  assert.throws(() => sdk.diffCluster(cluster, path.join(root, 'live'), { root }), isCycle)
  await assert.rejects(sdk.applyClusterAsync(cluster, path.join(root, 'live'), { root }), isCycle)
})
