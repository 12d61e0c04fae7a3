'use strict'
const { test } = require('node:test')
const assert = require('node:assert/strict')
const crypto = require('node:crypto')
const sdk = require('..')

const EVENT = JSON.stringify({
  involvedObject: { kind: 'Kustomization', namespace: 'flux-system', name: 'apps' },
  severity: 'error',
  timestamp: '2022-09-30T06:40:29Z',
  message: 'health check failed <x>',
  reason: 'HealthCheckFailed',
  reportingController: 'kustomize-controller',
})

test('error classes', () => {
  assert.ok(new sdk.KustomizeError('x') instanceof sdk.GitopsError)
  assert.ok(new sdk.NotifyError('x') instanceof Error)
  assert.equal(new sdk.KustomizeError('x').name, 'KustomizeError')
})

const BAD = [
  [{ 'a.yaml': 'x: 1\n' }, 'GITOPS_KUSTOMIZE_ROOT', 'root', '/',
    "/: unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' in directory '/'"],
  [{ 'kustomization.yaml': 'resources:\n- missing.yaml\n' }, 'GITOPS_KUSTOMIZE_ENTRY', 'entry', '/kustomization.yaml',
    "/kustomization.yaml: accumulating resources from 'missing.yaml': no such file or directory: '/missing.yaml'"],
  [{ 'kustomization.yaml': 'resources: [\n' }, 'GITOPS_KUSTOMIZE_KUSTOMIZATION', 'kustomization', '/kustomization.yaml',
    '/kustomization.yaml: invalid Kustomization: line 2, column 1: '],
]

for (const [files, code, kind, file, message] of BAD) {
  test(`sync error ${code}`, () => {
    assert.throws(() => sdk.buildFiles(files), (err) => {
      assert.ok(err instanceof sdk.KustomizeError, String(err))
      assert.ok(err instanceof sdk.GitopsError)
      assert.ok(err instanceof Error)
      assert.equal(err.code, code)
      assert.equal(err.kind, kind)
      assert.equal(err.file, file)
      assert.equal(err.line, null)
      assert.ok(err.message.startsWith(message), err.message)
      assert.equal(err.name, 'KustomizeError')
      return true
    })
  })
  test(`async error ${code}`, async () => {
    await assert.rejects(sdk.buildFilesAsync(files), (err) => {
      assert.ok(err instanceof sdk.KustomizeError, String(err))
      assert.equal(err.code, code)
      assert.equal(err.file, file)
      assert.ok(err.message.startsWith(message), err.message)
      return true
    })
  })
}

test('bad option values', () => {
  assert.throws(() => sdk.buildFiles({}, '/', { reorder: 'sideways' }), (err) => {
    assert.ok(err instanceof sdk.GitopsError)
    assert.equal(err.code, 'GITOPS_INVALID_ARGUMENT')
    assert.equal(err.message, 'illegal flag value --reorder sideways; legal values: [legacy none]')
    return true
  })
  assert.throws(() => sdk.build(42), { name: 'TypeError', code: 'StringExpected' })
  assert.throws(() => sdk.buildFiles({ a: 1 }), TypeError)
})

test('garbage input never crashes the process', () => {
  for (const text of ['\x00\x01', 'a: &x [*x]\n', '['.repeat(10000), '{a: 1, a: 2}\n', 'k: "open\n']) {
    try {
      sdk.buildFiles({ 'kustomization.yaml': 'resources:\n- r.yaml\n', 'r.yaml': text })
    } catch (err) {
      assert.ok(err instanceof sdk.KustomizeError, String(err))
    }
  }
})

test('notifyPayload: generic-hmac signature equals node:crypto HMAC', () => {
  const p = sdk.notifyPayload(
    { type: 'generic-hmac', name: 'hook', namespace: 'flux-system', address: 'http://127.0.0.1:9/flux', secret: { token: 's3cret' } },
    EVENT,
  )
  assert.equal(p.url, 'http://127.0.0.1:9/flux')
  const headers = Object.fromEntries(p.headers)
  const want = 'sha256=' + crypto.createHmac('sha256', 's3cret').update(p.body).digest('hex')
  assert.equal(headers['X-Signature'], want)
  assert.equal(JSON.parse(p.body.toString()).message, 'health check failed <x>')
  assert.deepEqual(sdk.notifyPayload({ type: 'generic', address: 'http://h/x' }, Buffer.from(EVENT)),
    sdk.notifyPayload({ type: 'generic', address: 'http://h/x' }, EVENT))
})

test('notifyPayload errors are NotifyError with a code', () => {
  assert.throws(() => sdk.notifyPayload({ type: 'generic', name: 'p', namespace: 'ns' }, EVENT), (err) => {
    assert.ok(err instanceof sdk.NotifyError)
    assert.equal(err.code, 'GITOPS_NOTIFY_NO_ADDRESS')
    assert.equal(err.message, "provider 'ns/p' has no address")
    return true
  })
  assert.throws(() => sdk.notifyPayload({ type: 'generic', address: 'http://h/x' }, '[1]'), { code: 'GITOPS_NOTIFY_INVALID_EVENT' })
})
