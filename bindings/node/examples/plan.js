'use strict'
// Render a cluster from examples/ and print its plan (docs/node.md).
//
//   node bindings/node/examples/plan.js examples/clusters/production
//
// Builds the cluster directory, orders its Flux Kustomizations by dependsOn, builds each
// one's spec.path (relative to the root of the cluster's own GitRepository) off the main thread, applies its
// postBuild variables and prints Flux's apply plan against an empty cluster.
const path = require('node:path')
const sdk = require('gitops-sdk')

async function main(cluster) {
  // The cluster's own GitRepository checkout: clusters/<name> sits at its root.
  const repo = path.resolve(cluster, '..', '..')
  const fluxObjects = await sdk.buildAsync(cluster)
  const kustomizations = new Map()
  for (const o of fluxObjects) {
    if (o.kind === 'Kustomization' && o.apiVersion.startsWith('kustomize.toolkit.fluxcd.io/')) {
      kustomizations.set(`${o.metadata.namespace ?? ''}/${o.metadata.name}`, o)
    }
  }
  for (const node of sdk.dependencyOrder(fluxObjects)) {
    const ks = kustomizations.get(`${node.namespace}/${node.name}`)
    if (!ks) continue
    let objects
    try {
      objects = await sdk.buildAsync(path.resolve(repo, ks.spec.path ?? '.'))
    } catch (err) {
      if (!(err instanceof sdk.KustomizeError)) throw err
      console.log(`# ${node.namespace}/${node.name}: ${err.message}`)
      continue
    }
    const variables = ks.spec.postBuild?.substitute ?? {}
    objects = objects.map((o) => sdk.substitute(o, variables, { strict: false }))
    const plan = sdk.plan(objects, { owner: { name: node.name, namespace: node.namespace } })
    console.log(`# Kustomization ${node.namespace}/${node.name} (${ks.spec.path})`)
    for (const step of plan.apply) console.log(`${step.stage.padEnd(12)} ${step.subject} ${step.action}`)
  }
}

main(process.argv[2] ?? 'examples/clusters/production').catch((err) => {
  console.error(`error: ${err.message}`)
  process.exit(1)
})
