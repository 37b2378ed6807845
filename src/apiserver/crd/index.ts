// CustomResourceDefinitions: validation and admission of CRDs, the
// controller that establishes them, and the serving of their kinds.
export { CustomResources, crdGroup, crdResource, type ServedCustomKind } from './custom-resources.js';
export { handleCustomResource } from './handle.js';
