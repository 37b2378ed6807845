// Field management (managedFields) and server-side apply: who owns which
// fields of an object, kept on every create, update and patch, and the
// merge, pruning and conflict rules of apply.
export { recordApply, type ApplyOrigin } from './apply.js';
export { kindFields, type KindFields } from './kind.js';
export { lastAppliedAnnotation } from './lastapplied.js';
export type { ManagedFieldsEntry } from './managed.js';
export { managerFor, validateFieldManager } from './manager.js';
export { recordUpdate, type WriteOrigin } from './update.js';
export { validateManagedFields } from './validate.js';
