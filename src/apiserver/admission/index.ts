// Admission plugins and the chain every write passes.
export { admissionPlugins, mutate as admitMutating, validate as admitValidating } from './chain.js';
export type { AdmissionPlugin, Attributes as AdmissionAttributes, Operation as AdmissionOperation } from './types.js';
export { QuotaCache } from './quotacache.js';
