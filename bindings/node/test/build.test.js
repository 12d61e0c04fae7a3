'use strict'
const { test } = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const sdk = require('..')

const EXAMPLES = path.resolve(__dirname, '../../../examples')
const BASE = {
  'kustomization.yaml': 'namePrefix: p-\nresources:\n- cm.yaml\n- svc.yaml\n',
  'cm.yaml': "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  n: '1'\n  on: yes\n",
  'svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  ports:\n  - port: 80\n',
}

function filesUnder(root) {
  const out = {}
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name)
      if (e.isDirectory()) walk(p)
      else out[path.relative(root, p)] = fs.readFileSync(p, 'utf8')
    }
  }
  walk(root)
  return out
}

test('buildFiles returns plain objects with YAML types, legacy order', () => {
  const got = sdk.buildFiles(BASE)
  assert.deepEqual(got.map((r) => r.kind), ['ConfigMap', 'Service'])
  assert.deepEqual(got[0].metadata, { name: 'p-a' })
  assert.deepEqual(got[0].data, { n: '1', on: 'yes' })
  assert.deepEqual(got[1].spec.ports, [{ port: 80 }])
})

test('reorder none keeps input order', () => {
  const files = { ...BASE, 'kustomization.yaml': 'resources:\n- svc.yaml\n- cm.yaml\n' }
  assert.deepEqual(sdk.buildFiles(files, undefined, { reorder: 'none' }).map((r) => r.kind), ['Service', 'ConfigMap'])
  assert.deepEqual(sdk.buildFiles(files).map((r) => r.kind), ['ConfigMap', 'Service'])
})

test('buildFilesYaml prints kustomize text', () => {
  assert.equal(
    sdk.buildFilesYaml(BASE),
    'apiVersion: v1\ndata:\n  "n": "1"\n  "on": "yes"\nkind: ConfigMap\nmetadata:\n  name: p-a\n' +
      '---\napiVersion: v1\nkind: Service\nmetadata:\n  name: p-s\nspec:\n  ports:\n  - port: 80\n',
  )
})

test('sub-directory in memory, disk and memory agree', () => {
  const files = Object.fromEntries(Object.entries(BASE).map(([k, v]) => [`/app/${k}`, v]))
  assert.deepEqual(sdk.buildFiles(files, 'app'), sdk.buildFiles(BASE))
  const root = path.join(EXAMPLES, 'apps', 'web', 'base')
  assert.equal(sdk.buildFilesYaml(filesUnder(root)), sdk.buildYaml(root))
  assert.deepEqual(sdk.buildFiles(filesUnder(root)), sdk.build(root))
})

test('async variants resolve to the same results', async () => {
  const root = path.join(EXAMPLES, 'apps', 'web', 'base')
  assert.equal(await sdk.buildYamlAsync(root), sdk.buildYaml(root))
  assert.deepEqual(await sdk.buildAsync(root), sdk.build(root))
  assert.deepEqual(await sdk.buildFilesAsync(BASE), sdk.buildFiles(BASE))
  assert.equal(await sdk.buildFilesYamlAsync(BASE, '/', { reorder: 'none' }), sdk.buildFilesYaml(BASE, '/', { reorder: 'none' }))
})

test('async builds run off the main thread', async () => {
  const docs = []
  for (let i = 0; i < 3000; i++) {
    docs.push(`apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c${i}\ndata:\n  k: v${i}\n`)
  }
  const files = { 'kustomization.yaml': 'namePrefix: x-\nresources:\n- r.yaml\n', 'r.yaml': docs.join('---\n') }
  let ticks = 0
  const timer = setInterval(() => ticks++, 1)
  const start = Date.now()
  const out = await sdk.buildFilesYamlAsync(files)
  const elapsed = Date.now() - start
  clearInterval(timer)
  assert.equal(out.split('kind: ConfigMap').length - 1, 3000)
  if (elapsed > 40) assert.ok(ticks >= 5, `event loop blocked: ${ticks} ticks in ${elapsed} ms`)
})
