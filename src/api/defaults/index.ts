// Defaulters of the built-in kinds, filed by group-resource (`pods`,
// `deployments.apps`): upstream's SetDefaults_* for the fields users rely
// on. Each mutates the object in place and never throws, whatever the
// (still unvalidated) input holds.
import type { Defaulter } from '../registry/types.js';
import { appsDefaulters } from './apps.js';
import { autoscalingDefaulters } from './autoscaling.js';
import { batchDefaulters } from './batch.js';
import { coreDefaulters } from './core.js';
import { discoveryDefaulters } from './discovery.js';
import { networkingDefaulters } from './networking.js';
import { rbacDefaulters } from './rbac.js';
import { schedulingDefaulters } from './scheduling.js';
import { storageDefaulters } from './storage.js';

export const defaulters: Readonly<Record<string, Defaulter>> = {
  ...coreDefaulters,
  ...appsDefaulters,
  ...batchDefaulters,
  ...networkingDefaulters,
  ...autoscalingDefaulters,
  ...storageDefaulters,
  ...rbacDefaulters,
  ...schedulingDefaulters,
  ...discoveryDefaulters,
};

export { jobLabels, jobSelectorAndLabels } from './batch.js';
export { defaultPullPolicy, imageTag } from './image.js';
