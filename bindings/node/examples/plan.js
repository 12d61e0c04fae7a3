'use strict'
// Render a cluster from examples/ and print its plan (docs/node.md).
//
//   node bindings/node/examples/plan.js examples/clusters/production
//
// Renders the cluster as Flux would (off the main thread), orders the Kustomizations by
// dependsOn, and prints Flux's apply plan of each against an empty cluster.
const sdk = require('gitops-sdk')

async function main(path) {
  const cluster = await sdk.renderClusterAsync(path)
  const rendered = new Map(cluster.kustomizations.map((k) => [`${k.namespace}/${k.name}`, k]))
  const everyObject = cluster.kustomizations.flatMap((k) => k.objects)
  for (const node of sdk.dependencyOrder(everyObject)) {
    const ks = rendered.get(`${node.namespace}/${node.name}`)
    if (!ks) continue // a HelmRelease, or a Kustomization that was not rendered
    const plan = sdk.plan(ks.objects, { owner: { name: ks.name, namespace: ks.namespace } })
    console.log(`# Kustomization ${ks.namespace}/${ks.name} (${ks.path})`)
    for (const step of plan.apply) console.log(`${step.stage.padEnd(12)} ${step.subject} ${step.action}`)
  }
}

main(process.argv[2] ?? 'examples/clusters/production').catch((err) => {
  console.error(`error: ${err.message}`)
  process.exitCode = 1
})
