// Every built-in resource, in discovery order: the core group first, then
// the groups in the order a 1.32 apiserver lists them (upstream ranks groups
// by a fixed priority; within a group the preferred version comes first).
import type { ResourceDefinition } from '../registry/types.js';
import { apiextensionsResources } from './apiextensions.js';
import { appsResources } from './apps.js';
import { authenticationResources } from './authentication.js';
import { authorizationResources } from './authorization.js';
import { autoscalingResources } from './autoscaling.js';
import { batchResources } from './batch.js';
import { certificatesResources } from './certificates.js';
import { coordinationResources } from './coordination.js';
import { coreResources } from './core.js';
import { discoveryResources } from './discovery.js';
import { eventsResources } from './events.js';
import { metricsResources } from './metrics.js';
import { networkingResources } from './networking.js';
import { policyResources } from './policy.js';
import { rbacResources } from './rbac.js';
import { schedulingResources } from './scheduling.js';
import { storageResources } from './storage.js';

export const builtinResources: readonly ResourceDefinition[] = [
  ...coreResources,
  ...appsResources,
  ...eventsResources,
  ...authenticationResources,
  ...authorizationResources,
  ...autoscalingResources,
  ...batchResources,
  ...certificatesResources,
  ...networkingResources,
  ...policyResources,
  ...rbacResources,
  ...storageResources,
  ...apiextensionsResources,
  ...schedulingResources,
  ...coordinationResources,
  ...discoveryResources,
  ...metricsResources,
];
