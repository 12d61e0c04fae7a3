'use strict'
// substitute, dependencyOrder/Waves, health, diff, plan: the Rust results, converted.
const { test } = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const sdk = require('..')

const EXAMPLES = path.resolve(__dirname, '../../../examples')
const CM = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'app' },
  data: { replicas: '${replicas}', greeting: 'hi ${name:=world}' },
}

test('substitute one object', () => {
  const out = sdk.substitute(CM, { replicas: '3' })
  assert.deepEqual(out.data, { replicas: 3, greeting: 'hi world' })
  assert.equal(CM.data.replicas, '${replicas}')
  assert.deepEqual(sdk.substitute(CM, {}, { strict: false }), CM)
  assert.equal(sdk.substitute(CM, {}, { strict: false, strategy: 'Always' }).data.greeting, 'hi world')
})

test('substitute errors carry Flux text and a code', () => {
  assert.throws(() => sdk.substitute(CM, { x: '1' }), (err) => {
    assert.ok(err instanceof sdk.SubstitutionError)
    assert.equal(err.code, 'GITOPS_SUBSTITUTE_POST_BUILD')
    assert.equal(
      err.message,
      "post build failed for 'ConfigMap.v1.[noGrp]/app': envsubst error: variable substitution failed: variable not set (strict mode): \"replicas\"",
    )
    return true
  })
  assert.throws(() => sdk.substitute(CM, {}, { strategy: 'Sometimes' }), { code: 'GITOPS_INVALID_ARGUMENT' })
  assert.throws(() => sdk.substitute(CM, { a: 1 }), { code: 'GITOPS_INVALID_ARGUMENT' })
  assert.equal(sdk.substituteText('a ${b} ${c:-d}', { b: 'B' }), 'a B d')
  assert.throws(() => sdk.substituteText('a ${b}', {}), { name: 'SubstitutionError' })
})

const ks = (name, ...deps) => ({
  apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
  kind: 'Kustomization',
  metadata: { name, namespace: 'ns' },
  spec: { dependsOn: deps.map((d) => ({ name: d })) },
})

test('dependency order, waves and errors', () => {
  const objs = [ks('apps', 'infra', 'config'), ks('config', 'infra'), ks('infra')]
  assert.deepEqual(sdk.dependencyOrder(objs).map((i) => i.name), ['infra', 'config', 'apps'])
  assert.deepEqual(sdk.dependencyOrder(objs)[0], { kind: 'Kustomization', namespace: 'ns', name: 'infra' })
  assert.deepEqual(sdk.dependencyWaves(objs).map((w) => w.map((i) => i.name)), [['infra'], ['config'], ['apps']])
  assert.throws(() => sdk.dependencyOrder([ks('a', 'b'), ks('b', 'a')]), (err) => {
    assert.ok(err instanceof sdk.DependencyCycleError)
    assert.ok(err instanceof sdk.DependencyError)
    assert.equal(err.code, 'GITOPS_DEPENDENCY_CYCLE')
    assert.match(err.message, /^circular dependency detected: ns\/. -> ns\/. -> ns\/.$/)
    return true
  })
  assert.throws(() => sdk.dependencyOrder([ks('a', 'gone')]), (err) => {
    assert.ok(err instanceof sdk.DependencyError && !(err instanceof sdk.DependencyCycleError))
    assert.equal(err.message, 'Kustomization ns/a depends on ns/gone, which does not exist')
    return true
  })
})

test('health', () => {
  const deploy = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', generation: 1 },
    spec: { replicas: 3 },
    status: { observedGeneration: 1, replicas: 3, updatedReplicas: 1 },
  }
  assert.deepEqual(sdk.health(deploy), { status: 'InProgress', message: 'Updated: 1/3' })
})

test('diff, unified diff, ignore rules, masking', () => {
  const desired = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'd' }, data: { a: '1' } }
  const live = structuredClone(desired)
  live.metadata.resourceVersion = '7'
  live.status = { x: 1 }
  assert.deepEqual(sdk.diff(desired, live), [])
  live.data.a = '2'
  assert.deepEqual(sdk.diff(desired, live), [{ path: '/data/a', before: '2', after: '1' }])
  assert.match(sdk.unifiedDiff(desired, live), /\+\s+a: "1"/)
  assert.deepEqual(sdk.diff(desired, live, { ignore: [{ paths: ['/data'] }] }), [])
  assert.throws(() => sdk.diff(desired, live, { ignore: [{ paths: ['data'] }] }), { name: 'DiffError' })
  const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { k: 'bmV3' } }
  const old = { ...secret, data: { k: 'b2xk' } }
  const text = JSON.stringify(sdk.diff(secret, old)) + sdk.unifiedDiff(secret, old)
  assert.ok(!text.includes('bmV3') && !text.includes('b2xk'), text)
})

test('plan against an empty cluster and a live directory, sync and async', async () => {
  const objects = sdk.build(path.join(EXAMPLES, 'apps', 'web', 'overlays', 'production'))
  const owner = { name: 'web', namespace: 'flux-system' }
  const p = sdk.plan(objects, { owner })
  assert.ok(p.apply.length > 0 && p.apply.every((s) => s.action === 'created'))
  assert.deepEqual(p.changes.split('\n'), p.apply.map((s) => `${s.subject} created`))
  assert.deepEqual(p.inventory.map((e) => e.id), p.apply.map((s) => s.id))
  assert.equal(p.apply[0].object.metadata.labels['kustomize.toolkit.fluxcd.io/name'], 'web')
  assert.deepEqual(await sdk.planAsync(objects, { owner }), p)
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-live-'))
  try {
    const p2 = await sdk.planAsync(objects, {
      owner,
      liveDir: dir,
      previousInventory: [{ id: 'flux-system_old_apps_Deployment', v: 'v1' }],
    })
    assert.deepEqual(p2.prune, [{ subject: 'Deployment/flux-system/old', action: 'deleted', id: 'flux-system_old_apps_Deployment' }])
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
  assert.throws(() => sdk.plan([{ kind: 'ConfigMap' }]), (err) => {
    assert.ok(err instanceof sdk.PlanError)
    assert.equal(err.message, 'object 0: failed to decode Kubernetes apiVersion, kind and name')
    assert.equal(err.code, 'GITOPS_PLAN_NOT_AN_OBJECT')
    return true
  })
  await assert.rejects(sdk.planAsync([], { previousInventory: [{ id: 'bad', v: 'v1' }] }), { name: 'PlanError' })
})

test('numbers: integral values stay integers', () => {
  const obj = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 't' }, x: [1, 2.5, true, null, 's', 5000000000] }
  const out = sdk.substitute(obj, {}, { strict: false })
  assert.deepEqual(out.x, [1, 2.5, true, null, 's', 5000000000])
})

test('renderCluster and renderClusterAsync', async () => {
  const out = sdk.renderCluster(path.join(EXAMPLES, 'clusters', 'production'))
  assert.deepEqual(out.kustomizations[0].name, 'flux-system')
  const web = out.kustomizations.find((k) => k.name === 'web')
  assert.equal(web.path, './apps/web/overlays/production')
  assert.deepEqual(web.dependsOn.map((d) => d.name), ['infrastructure', 'podinfo'])
  assert.ok(web.objects.every((o) => o.metadata.labels['kustomize.toolkit.fluxcd.io/name'] === 'web'))
  assert.equal(out.root, EXAMPLES)
  assert.deepEqual(await sdk.renderClusterAsync(path.join(EXAMPLES, 'clusters', 'production')), out)
  await assert.rejects(sdk.renderClusterAsync('/definitely/not/here'), (err) => {
    assert.ok(err instanceof sdk.RenderError)
    assert.equal(err.code, 'GITOPS_RENDER_CLUSTER_PATH')
    assert.equal(err.message, "cluster path '/definitely/not/here' is not a directory")
    assert.equal(err.file, '/definitely/not/here')
    return true
  })
})

test('selectImageTag', () => {
  const policy = { apiVersion: 'image.toolkit.fluxcd.io/v1beta2', kind: 'ImagePolicy', spec: { policy: { semver: { range: '>=1.0.0' } } } }
  assert.equal(sdk.selectImageTag(policy, ['1.0.0', '1.2.0', '0.9', '2.0.0-rc1']), '1.2.0')
  assert.throws(() => sdk.selectImageTag({ kind: 'X' }, ['1']), { name: 'ImagePolicyError', code: 'GITOPS_IMAGE_NOT_IMAGE_POLICY' })
})
