'use strict'
// renderResourceset(Template), latestImages, promote: the Rust results, converted; sync
// and async; errors typed by code.
const { test } = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const sdk = require('..')

const EXAMPLES = path.resolve(__dirname, '../../../examples')
const RESOURCESET = `apiVersion: fluxcd.controlplane.io/v1
kind: ResourceSet
metadata: {name: apps, namespace: flux-system}
spec:
  inputsFrom:
  - kind: ResourceSetInputProvider
    name: tenants
  resources:
  - apiVersion: v1
    kind: Namespace
    metadata:
      name: "<< inputs.tenant >>"
      labels: {replicas: '<< get inputs "replicas" | default 1 >>'}
`
const STATIC = `---
apiVersion: fluxcd.controlplane.io/v1
kind: ResourceSetInputProvider
metadata: {name: tenants, namespace: flux-system}
spec:
  type: Static
  defaultValues: {tenant: solo}
`

test('renderResourceset with provided inputs, sync and async', async () => {
  const provided = { tenants: [{ tenant: 'team1', replicas: 2 }, { tenant: 'team2' }] }
  const out = sdk.renderResourceset(RESOURCESET, provided)
  assert.deepEqual(out.map((o) => o.metadata.name), ['team1', 'team2'])
  // Each resources item goes JSON -> YAML -> template -> YAML, so the label is a number.
  assert.deepEqual(out.map((o) => o.metadata.labels.replicas), [2, 1])
  assert.deepEqual(await sdk.renderResourcesetAsync(RESOURCESET, provided), out)
  assert.deepEqual(sdk.renderResourceset(RESOURCESET + STATIC).map((o) => o.metadata.name), ['solo'])
})

test('renderResourceset errors', async () => {
  assert.throws(() => sdk.renderResourceset(RESOURCESET), (err) => {
    assert.ok(err instanceof sdk.ResourceSetError && err instanceof sdk.GitopsError)
    assert.equal(err.code, 'GITOPS_RESOURCESET_PROVIDER_UNAVAILABLE')
    assert.equal(err.kind, 'provider_unavailable')
    assert.equal(err.message, "ResourceSet 'flux-system/apps': inputs of ResourceSetInputProvider 'flux-system/tenants' are not available offline")
    return true
  })
  await assert.rejects(sdk.renderResourcesetAsync(RESOURCESET, { tenants: [{ replicas: 1 }] }), (err) => {
    assert.ok(err instanceof sdk.ResourceSetError)
    assert.equal(err.code, 'GITOPS_RESOURCESET_BUILD')
    assert.match(err.message, /map has no entry for key "tenant"/)
    return true
  })
  assert.throws(() => sdk.renderResourceset(''), { code: 'GITOPS_INVALID_ARGUMENT', message: 'expected exactly one ResourceSet, got 0' })
  assert.throws(() => sdk.renderResourceset(RESOURCESET, { tenants: 'x' }), { code: 'GITOPS_INVALID_ARGUMENT' })
})

test('renderResourcesetTemplate', () => {
  const text = 'name: << inputs.tenant | upper >>-<< add inputs.replicas 1 >>'
  assert.equal(sdk.renderResourcesetTemplate(text, { tenant: 'team1', replicas: 2 }), 'name: TEAM1-3')
  assert.equal(sdk.renderResourcesetTemplate('plain'), 'plain')
  assert.throws(() => sdk.renderResourcesetTemplate('<< inputs.missing >>', { a: 1 }), {
    name: 'ResourceSetError',
    code: 'GITOPS_RESOURCESET_TEMPLATE_EXEC',
    line: 1,
    message: 'template: resourceset:1:3: executing "resourceset" at <inputs>: map has no entry for key "missing"',
  })
})

const AUTOMATION = fs.readFileSync(path.join(EXAMPLES, 'clusters', 'staging', 'image-automation.yaml'), 'utf8')
const PODINFO = 'ghcr.io/stefanprodan/podinfo'

test('latestImages from examples, sync and async', async () => {
  const tags = { [PODINFO]: ['v1.2.3', 'v1.3.0', 'v2.0.0-rc.1', 'latest', 'v1.3.0.sig'] }
  const want = [{ policy: 'flux-system:podinfo-staging', image: PODINFO, tag: 'v1.3.0', candidates: 4 }]
  assert.deepEqual(sdk.latestImages(AUTOMATION, tags), want)
  assert.deepEqual(await sdk.latestImagesAsync(AUTOMATION, tags), want)
  const noNs = AUTOMATION.replaceAll('  namespace: flux-system\n', '')
  assert.deepEqual(sdk.latestImages(noNs, { [PODINFO]: ['v1.0.0'] }, 'apps').map((i) => [i.policy, i.tag]), [['apps:podinfo-staging', 'v1.0.0']])
})

test('latestImages errors', async () => {
  assert.throws(() => sdk.latestImages(AUTOMATION, {}), {
    name: 'ImagePolicyError',
    code: 'GITOPS_IMAGE_TAGS',
    message: `ImageRepository flux-system/podinfo (${PODINFO}): no tags given for this image`,
  })
  await assert.rejects(sdk.latestImagesAsync(AUTOMATION, { [PODINFO]: ['latest'] }), (err) => {
    assert.ok(err instanceof sdk.ImagePolicyError)
    assert.equal(err.code, 'GITOPS_IMAGE_EMPTY')
    assert.equal(err.message, 'ImagePolicy flux-system/podinfo-staging: version list argument cannot be empty')
    return true
  })
})

function fleet(t) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-promote-'))
  t.after(() => fs.rmSync(root, { recursive: true, force: true }))
  fs.cpSync(EXAMPLES, root, { recursive: true })
  const overlay = path.join(root, 'apps', 'podinfo', 'overlays', 'staging', 'kustomization.yaml')
  fs.writeFileSync(overlay, fs.readFileSync(overlay, 'utf8').replace('newTag: v1.2.3 #', 'newTag: v1.3.0 #'))
  return root
}

test('promote staging to production, sync and async; nothing written', async (t) => {
  const root = fleet(t)
  const target = path.join(root, 'apps', 'podinfo', 'overlays', 'production', 'kustomization.yaml')
  const before = fs.readFileSync(target, 'utf8')
  const p = sdk.promote(root, 'staging', 'production', 'podinfo')
  assert.deepEqual(p.changes, [{
    what: 'image',
    object: 'Deployment/podinfo container podinfod',
    old: `${PODINFO}:v1.2.3`,
    new: `${PODINFO}:v1.3.0`,
    file: 'apps/podinfo/overlays/production/kustomization.yaml',
    line: 13,
  }])
  assert.deepEqual(p.edits, [{
    path: 'apps/podinfo/overlays/production/kustomization.yaml',
    old: before,
    new: before.replace('newTag: v1.2.3', 'newTag: v1.3.0'),
  }])
  assert.ok(p.diff.includes('-  newTag: v1.2.3\n+  newTag: v1.3.0\n'), p.diff)
  assert.equal(p.branch, 'promote-podinfo-production-v1.3.0')
  assert.deepEqual(await sdk.promoteAsync(root, 'staging', 'production', 'podinfo', { clusters: 'clusters' }), p)
  assert.equal(fs.readFileSync(target, 'utf8'), before)
})

test('promote: nothing to do and errors', async () => {
  const p = sdk.promote(EXAMPLES, 'staging', 'production', 'web', { values: [] })
  assert.deepEqual([p.changes, p.edits, p.diff], [[], [], ''])
  assert.throws(() => sdk.promote(EXAMPLES, 'staging', 'nowhere', 'web'), (err) => {
    assert.ok(err instanceof sdk.PromoteError && err instanceof sdk.GitopsError)
    assert.equal(err.code, 'GITOPS_PROMOTE_UNKNOWN_ENV')
    assert.ok(err.message.startsWith("unknown environment 'nowhere' (environments under "), err.message)
    return true
  })
  assert.throws(() => sdk.promote(EXAMPLES, 'staging', 'production', 'web', { values: ['Deployment/web'] }), {
    name: 'PromoteError',
    code: 'GITOPS_PROMOTE_VALUE_SPEC',
    message: "invalid value 'Deployment/web': expected Kind/name:/json/pointer",
  })
  await assert.rejects(sdk.promoteAsync(EXAMPLES, 'production', 'production', 'web'), {
    name: 'PromoteError',
    code: 'GITOPS_PROMOTE_SAME_ENV',
    message: "--from and --to are both 'production'",
  })
  assert.throws(() => sdk.promote(EXAMPLES, 'staging', 'production', 'nothing'), { code: 'GITOPS_PROMOTE_UNKNOWN_APP' })
})
