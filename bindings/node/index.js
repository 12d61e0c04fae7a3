'use strict'
// gitops-sdk for Node. The functions come from the native addon (binding.js, generated
// by `napi build`; types in the generated index.d.ts). This file only re-exports them and
// gives their errors the GitopsError subclass their `code` names; no other logic.

const native = require('./binding.js')

class GitopsError extends Error {}
class KustomizeError extends GitopsError {}
class SubstitutionError extends GitopsError {}
class DependencyError extends GitopsError {}
class DependencyCycleError extends DependencyError {}
class DiffError extends GitopsError {}
class PlanError extends GitopsError {}
class NotifyError extends GitopsError {}
class RenderError extends GitopsError {}
class ImagePolicyError extends GitopsError {}
class SetterError extends GitopsError {}
class ResourceSetError extends GitopsError {}
class PromoteError extends GitopsError {}

const ERRORS = {
  GitopsError,
  KustomizeError,
  SubstitutionError,
  DependencyError,
  DependencyCycleError,
  DiffError,
  PlanError,
  RenderError,
  ImagePolicyError,
  SetterError,
  ResourceSetError,
  PromoteError,
  NotifyError,
}
for (const cls of Object.values(ERRORS)) {
  Object.defineProperty(cls.prototype, 'name', { value: cls.name, writable: true, configurable: true })
}
GitopsError.prototype.code = 'GITOPS_ERROR'
GitopsError.prototype.kind = 'error'
GitopsError.prototype.file = null
GitopsError.prototype.line = null

// Error code prefix -> class. A new Rust module with its own error type adds one row.
const CLASSES = [
  ['GITOPS_KUSTOMIZE_', KustomizeError],
  ['GITOPS_SUBSTITUTE_', SubstitutionError],
  ['GITOPS_DEPENDENCY_CYCLE', DependencyCycleError],
  ['GITOPS_DEPENDENCY_', DependencyError],
  ['GITOPS_DIFF_', DiffError],
  ['GITOPS_PLAN_', PlanError],
  ['GITOPS_RENDER_', RenderError],
  ['GITOPS_IMAGE_', ImagePolicyError],
  ['GITOPS_SETTER_', SetterError],
  ['GITOPS_RESOURCESET_', ResourceSetError],
  ['GITOPS_PROMOTE_', PromoteError],
  ['GITOPS_NOTIFY_', NotifyError],
  ['GITOPS_', GitopsError],
]

// napi's argument conversion failures (`StringExpected`, `ObjectExpected`, `InvalidArg`, …)
// are TypeErrors, as Node's own argument checks are.
const NAPI_ARG_CODES = /^(InvalidArg|[A-Za-z]+Expected)$/

function typed(err) {
  if (err instanceof Error && !(err instanceof TypeError) && typeof err.code === 'string' && NAPI_ARG_CODES.test(err.code)) {
    Object.setPrototypeOf(err, TypeError.prototype)
    return err
  }
  if (err instanceof Error && typeof err.code === 'string') {
    const row = CLASSES.find(([prefix]) => err.code.startsWith(prefix))
    if (row) Object.setPrototypeOf(err, row[1].prototype)
  }
  return err
}

function wrap(fn) {
  return function (...args) {
    let out
    try {
      out = fn.apply(this, args)
    } catch (err) {
      throw typed(err)
    }
    if (out !== null && typeof out === 'object' && typeof out.then === 'function') {
      return out.then(undefined, (err) => {
        throw typed(err)
      })
    }
    return out
  }
}

for (const [name, value] of Object.entries(native)) {
  module.exports[name] = typeof value === 'function' ? wrap(value) : value
}
Object.assign(module.exports, ERRORS)
