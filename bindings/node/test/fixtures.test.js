'use strict'
// The shared differential fixtures (tests/fixtures): the binding prints exactly what
// kustomize 5.8.1 printed and fails where it failed, as the Rust golden test checks.
const { test } = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const sdk = require('..')

const REPO = path.resolve(__dirname, '../../..')
const FIXTURES = path.join(REPO, 'tests', 'fixtures')
// The same allowed differences as KNOWN_FAILURES in tests/tests/kustomize_golden.rs (read
// from there, so both lists stay one).
const KNOWN_FAILURES = new Set(
  [...fs
    .readFileSync(path.join(REPO, 'tests', 'tests', 'kustomize_golden.rs'), 'utf8')
    .split('const KNOWN_FAILURES: &[&str] = &[')[1]
    .split('];')[0]
    .matchAll(/^\s*"([^"]+)",/gm)].map((m) => m[1]),
)

function read(file) {
  try {
    return fs.readFileSync(file, 'utf8').trim()
  } catch {
    return null
  }
}

function options(args) {
  const words = (args || '').split(/\s+/).filter(Boolean)
  const names = { '--reorder': 'reorder', '--load-restrictor': 'loadRestrictor' }
  const out = {}
  for (let i = 0; i + 1 < words.length; i += 2) out[names[words[i]]] = words[i + 1]
  return out
}

function cases() {
  const out = []
  for (const [sub, root] of [['kustomize', null], ['examples', path.join(REPO, 'examples')]]) {
    const dir = path.join(FIXTURES, sub)
    for (const name of fs.readdirSync(dir).sort()) {
      const caseDir = path.join(dir, name)
      if (!fs.statSync(caseDir).isDirectory()) continue
      const rootFile = read(path.join(caseDir, 'root'))
      out.push({
        name,
        dir: caseDir,
        buildDir: rootFile ? path.join(root || caseDir, rootFile) : caseDir,
        options: options(read(path.join(caseDir, 'args'))),
      })
    }
  }
  return out
}

test('shared fixtures: output equals expected.yaml, failures are typed', () => {
  let passed = 0
  const failures = []
  for (const c of cases()) {
    const expected = path.join(c.dir, 'expected.yaml')
    let problem = null
    if (fs.existsSync(expected)) {
      try {
        const got = sdk.buildYaml(c.buildDir, c.options)
        if (got !== fs.readFileSync(expected, 'utf8')) problem = 'output differs'
      } catch (err) {
        problem = `threw ${err.message}`
      }
    } else {
      try {
        sdk.buildYaml(c.buildDir, c.options)
        problem = 'kustomize failed, we succeeded'
      } catch (err) {
        const faults = (read(path.join(c.dir, 'fault')) || '').split('|')
        if (!(err instanceof sdk.GitopsError)) problem = `not a GitopsError: ${err}`
        else if (err.message.includes('\n')) problem = 'message not one line'
        else if (!faults.some((f) => err.message.includes(f))) problem = `no fault in ${err.message}`
      }
    }
    if (KNOWN_FAILURES.has(c.name)) {
      assert.ok(problem, `${c.name} is a known failure but passed; update KNOWN_FAILURES`)
    } else if (problem) {
      failures.push(`${c.name}: ${problem}`)
    } else {
      passed++
    }
  }
  assert.deepEqual(failures, [])
  assert.ok(passed > 1300, `only ${passed} cases`)
})
