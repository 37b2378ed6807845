// storage.k8s.io/v1 defaults.
import type { Defaulter } from '../registry/types.js';
import { setIfUnset } from './shape.js';

const storageClass: Defaulter = (obj) => {
  setIfUnset(obj, 'reclaimPolicy', 'Delete');
  setIfUnset(obj, 'volumeBindingMode', 'Immediate');
};

export const storageDefaulters: Readonly<Record<string, Defaulter>> = {
  'storageclasses.storage.k8s.io': storageClass,
};
