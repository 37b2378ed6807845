// scheduling.k8s.io/v1 defaults.
import type { Defaulter } from '../registry/types.js';
import { setIfUnset } from './shape.js';

const priorityClass: Defaulter = (obj) => {
  setIfUnset(obj, 'preemptionPolicy', 'PreemptLowerPriority');
};

export const schedulingDefaulters: Readonly<Record<string, Defaulter>> = {
  'priorityclasses.scheduling.k8s.io': priorityClass,
};
