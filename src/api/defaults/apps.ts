// apps/v1 defaults (upstream pkg/apis/apps/v1/defaults.go).
import type { Defaulter } from '../registry/types.js';
import { defaultPodTemplateSpec, workloadTemplate } from './pod.js';
import { child, ensure, items, setIfEmpty, setIfUnset } from './shape.js';
import { defaultClaimSpec } from './volumes.js';

const deployment: Defaulter = (obj) => {
  const spec = ensure(obj, 'spec');
  setIfUnset(spec, 'replicas', 1);
  const strategy = ensure(spec, 'strategy');
  setIfEmpty(strategy, 'type', 'RollingUpdate');
  if (strategy?.type === 'RollingUpdate') {
    const rolling = ensure(strategy, 'rollingUpdate');
    setIfUnset(rolling, 'maxUnavailable', '25%');
    setIfUnset(rolling, 'maxSurge', '25%');
  }
  setIfUnset(spec, 'revisionHistoryLimit', 10);
  setIfUnset(spec, 'progressDeadlineSeconds', 600);
  defaultPodTemplateSpec(workloadTemplate(obj));
};

const replicaSet: Defaulter = (obj) => {
  setIfUnset(ensure(obj, 'spec'), 'replicas', 1);
  defaultPodTemplateSpec(workloadTemplate(obj));
};

const daemonSet: Defaulter = (obj) => {
  const spec = ensure(obj, 'spec');
  const strategy = ensure(spec, 'updateStrategy');
  setIfEmpty(strategy, 'type', 'RollingUpdate');
  if (strategy?.type === 'RollingUpdate') {
    const rolling = ensure(strategy, 'rollingUpdate');
    setIfUnset(rolling, 'maxUnavailable', 1);
    setIfUnset(rolling, 'maxSurge', 0);
  }
  setIfUnset(spec, 'revisionHistoryLimit', 10);
  defaultPodTemplateSpec(workloadTemplate(obj));
};

/** Claim templates get the PVC defaults, status.phase Pending included, as upstream's generated defaulter gives them. */
const statefulSet: Defaulter = (obj) => {
  const spec = ensure(obj, 'spec');
  setIfEmpty(spec, 'podManagementPolicy', 'OrderedReady');
  const strategy = ensure(spec, 'updateStrategy');
  if (strategy !== undefined && (strategy.type === undefined || strategy.type === null || strategy.type === '')) {
    strategy.type = 'RollingUpdate';
    setIfUnset(strategy, 'rollingUpdate', {});
  }
  if (strategy?.type === 'RollingUpdate') setIfUnset(child(strategy, 'rollingUpdate'), 'partition', 0);
  const retention = ensure(spec, 'persistentVolumeClaimRetentionPolicy');
  setIfEmpty(retention, 'whenDeleted', 'Retain');
  setIfEmpty(retention, 'whenScaled', 'Retain');
  setIfUnset(spec, 'replicas', 1);
  setIfUnset(spec, 'revisionHistoryLimit', 10);
  defaultPodTemplateSpec(workloadTemplate(obj));
  for (const claim of items(spec, 'volumeClaimTemplates')) {
    setIfEmpty(ensure(claim, 'status'), 'phase', 'Pending');
    defaultClaimSpec(ensure(claim, 'spec'));
  }
};

export const appsDefaulters: Readonly<Record<string, Defaulter>> = {
  'deployments.apps': deployment,
  'replicasets.apps': replicaSet,
  'daemonsets.apps': daemonSet,
  'statefulsets.apps': statefulSet,
};
