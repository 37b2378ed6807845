// Long-running workloads: Deployments, ReplicaSets, StatefulSets,
// DaemonSets, ControllerRevisions (apps/v1), and the core group's
// ReplicationControllers and PodTemplates.
import type { KubeObject } from '../../api/types.js';
import type { LabelMatcher } from '../../machinery/index.js';
import { fieldForbidden, fieldInvalid, fieldNotSupported, fieldRequired, labelSelectorFromSet } from '../../machinery/index.js';
import { immutable, nonNegative, selectorIsEmpty, semanticEqual, validateLabelSelector, validateLabels } from './common.js';
import { isObj, isUnset, type Check, type Obj } from './input.js';
import { intOrPercentValue, notMoreThan100Percent, positiveIntOrPercent } from './intorpercent.js';
import { kindValidator, type KindValidator } from './kind.js';
import { validatePodTemplateSpec } from './podspec.js';
import { validateControllerTemplate } from './template.js';

function specOf(c: Check, obj: KubeObject): Obj {
  return c.obj(obj.spec, 'spec') ?? {};
}

/** spec.selector: required, valid, and not empty. */
function requiredSelector(c: Check, spec: Obj, kind: string): LabelMatcher | undefined {
  if (isUnset(spec.selector)) {
    c.add(fieldRequired('spec.selector'));
    return undefined;
  }
  const matcher = validateLabelSelector(c, spec.selector, 'spec.selector');
  if (isObj(spec.selector) && selectorIsEmpty(spec.selector)) c.add(fieldInvalid('spec.selector', spec.selector, `empty selector is invalid for ${kind}`));
  return matcher;
}

function selectorImmutable(c: Check, obj: KubeObject, old: KubeObject): void {
  immutable(c, (obj.spec as Obj | undefined)?.selector, (old.spec as Obj | undefined)?.selector, 'spec.selector');
}

function validateDeploymentStrategy(c: Check, v: unknown): void {
  const strategy = c.obj(v, 'spec.strategy') ?? {};
  const type = c.str(strategy.type, 'spec.strategy.type');
  if (type === 'Recreate') {
    if (!isUnset(strategy.rollingUpdate)) c.add(fieldForbidden('spec.strategy.rollingUpdate', "may not be specified when strategy `type` is 'Recreate'"));
  } else if (type === 'RollingUpdate') {
    const rolling = c.obj(strategy.rollingUpdate, 'spec.strategy.rollingUpdate');
    if (rolling === undefined) return c.add(fieldRequired('spec.strategy.rollingUpdate', 'this should be defaulted and never be nil'));
    const path = 'spec.strategy.rollingUpdate';
    positiveIntOrPercent(c, rolling.maxUnavailable, `${path}.maxUnavailable`);
    positiveIntOrPercent(c, rolling.maxSurge, `${path}.maxSurge`);
    if (intOrPercentValue(rolling.maxUnavailable) === 0 && intOrPercentValue(rolling.maxSurge) === 0) {
      c.add(fieldInvalid(`${path}.maxUnavailable`, rolling.maxUnavailable ?? 0, 'may not be 0 when `maxSurge` is 0'));
    }
    notMoreThan100Percent(c, rolling.maxUnavailable, `${path}.maxUnavailable`);
  } else if (type !== undefined) {
    c.add(fieldNotSupported('spec.strategy.type', type, ['Recreate', 'RollingUpdate']));
  }
}

const deployment = kindValidator((c, obj) => {
  const spec = specOf(c, obj);
  nonNegative(c, spec.replicas, 'spec.replicas');
  const selector = requiredSelector(c, spec, 'deployment');
  validateControllerTemplate(c, spec.template, 'spec.template', selector, 'ReplicaSet');
  validateDeploymentStrategy(c, spec.strategy);
  const minReady = c.int(spec.minReadySeconds, 'spec.minReadySeconds') ?? 0;
  nonNegative(c, minReady, 'spec.minReadySeconds');
  nonNegative(c, spec.revisionHistoryLimit, 'spec.revisionHistoryLimit');
  const deadline = c.int(spec.progressDeadlineSeconds, 'spec.progressDeadlineSeconds');
  if (deadline !== undefined) {
    nonNegative(c, deadline, 'spec.progressDeadlineSeconds');
    if (deadline <= minReady) c.add(fieldInvalid('spec.progressDeadlineSeconds', deadline, 'must be greater than minReadySeconds'));
  }
}, selectorImmutable);

const replicaSet = kindValidator((c, obj) => {
  const spec = specOf(c, obj);
  nonNegative(c, spec.replicas, 'spec.replicas');
  nonNegative(c, spec.minReadySeconds, 'spec.minReadySeconds');
  // Upstream's message names deployments here too.
  const selector = requiredSelector(c, spec, 'deployment');
  validateControllerTemplate(c, spec.template, 'spec.template', selector, 'ReplicaSet');
}, selectorImmutable);

function validateStatefulSetSpec(c: Check, spec: Obj): void {
  const policy = c.str(spec.podManagementPolicy, 'spec.podManagementPolicy');
  if (policy === '') c.add(fieldRequired('spec.podManagementPolicy'));
  else if (policy !== undefined && policy !== 'OrderedReady' && policy !== 'Parallel') {
    c.add(fieldInvalid('spec.podManagementPolicy', policy, "must be 'OrderedReady' or 'Parallel'"));
  }
  const strategy = c.obj(spec.updateStrategy, 'spec.updateStrategy') ?? {};
  const type = c.str(strategy.type, 'spec.updateStrategy.type');
  const rolling = c.obj(strategy.rollingUpdate, 'spec.updateStrategy.rollingUpdate');
  if (type === '') c.add(fieldRequired('spec.updateStrategy'));
  else if (type === 'OnDelete' && rolling) c.add(fieldInvalid('spec.updateStrategy.rollingUpdate', rolling, "only allowed for updateStrategy 'RollingUpdate'"));
  else if (type === 'RollingUpdate' && rolling) {
    nonNegative(c, rolling.partition, 'spec.updateStrategy.rollingUpdate.partition');
    if (!isUnset(rolling.maxUnavailable)) positiveIntOrPercent(c, rolling.maxUnavailable, 'spec.updateStrategy.rollingUpdate.maxUnavailable');
  } else if (type !== undefined && type !== 'OnDelete' && type !== 'RollingUpdate') {
    c.add(fieldInvalid('spec.updateStrategy', strategy, "must be 'RollingUpdate' or 'OnDelete'"));
  }
  nonNegative(c, spec.revisionHistoryLimit, 'spec.revisionHistoryLimit');
  nonNegative(c, c.obj(spec.ordinals, 'spec.ordinals')?.start, 'spec.ordinals.start');
  const retention = c.obj(spec.persistentVolumeClaimRetentionPolicy, 'spec.persistentVolumeClaimRetentionPolicy');
  for (const when of ['whenDeleted', 'whenScaled']) {
    const value = c.str(retention?.[when], `spec.persistentVolumeClaimRetentionPolicy.${when}`);
    if (value && value !== 'Retain' && value !== 'Delete') c.add(fieldNotSupported(`spec.persistentVolumeClaimRetentionPolicy.${when}`, value, ['Retain', 'Delete']));
  }
  nonNegative(c, spec.replicas, 'spec.replicas');
  nonNegative(c, spec.minReadySeconds, 'spec.minReadySeconds');
  const selector = requiredSelector(c, spec, 'statefulset');
  const claims = c.objList(spec.volumeClaimTemplates, 'spec.volumeClaimTemplates');
  const claimNames = claims.map(([claim]) => (isObj(claim.metadata) && typeof claim.metadata.name === 'string' ? claim.metadata.name : ''));
  validateControllerTemplate(c, spec.template, 'spec.template', selector, 'StatefulSet', { extraVolumes: claimNames });
}

/** Fields of a StatefulSet spec an update may change. */
const statefulSetMutable = ['replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds'];

const statefulSet = kindValidator(
  (c, obj) => validateStatefulSetSpec(c, specOf(c, obj)),
  (c, obj, old) => {
    const next: Obj = { ...(isObj(obj.spec) ? obj.spec : {}) };
    const prev: Obj = { ...(isObj(old.spec) ? old.spec : {}) };
    for (const field of statefulSetMutable) {
      delete next[field];
      delete prev[field];
    }
    if (!semanticEqual(next, prev)) {
      c.add(fieldForbidden('spec', "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"));
    }
  },
);

function validateDaemonSetStrategy(c: Check, v: unknown): void {
  const strategy = c.obj(v, 'spec.updateStrategy') ?? {};
  const type = c.str(strategy.type, 'spec.updateStrategy.type');
  if (type === 'RollingUpdate') {
    const rolling = c.obj(strategy.rollingUpdate, 'spec.updateStrategy.rollingUpdate');
    if (rolling === undefined) return c.add(fieldRequired('spec.updateStrategy.rollingUpdate'));
    const path = 'spec.updateStrategy.rollingUpdate';
    positiveIntOrPercent(c, rolling.maxUnavailable, `${path}.maxUnavailable`);
    positiveIntOrPercent(c, rolling.maxSurge, `${path}.maxSurge`);
    notMoreThan100Percent(c, rolling.maxUnavailable, `${path}.maxUnavailable`);
    notMoreThan100Percent(c, rolling.maxSurge, `${path}.maxSurge`);
    const unavailable = intOrPercentValue(rolling.maxUnavailable);
    const surge = intOrPercentValue(rolling.maxSurge);
    if (unavailable !== 0 && surge !== 0) c.add(fieldInvalid(`${path}.maxSurge`, rolling.maxSurge, 'may not be set when maxUnavailable is non-zero'));
    if (unavailable === 0 && surge === 0) c.add(fieldRequired(`${path}.maxUnavailable`, 'cannot be 0 when maxSurge is 0'));
  } else if (type !== 'OnDelete' && type !== undefined) {
    c.add(fieldNotSupported('spec.updateStrategy', type, ['RollingUpdate', 'OnDelete']));
  }
}

const daemonSet = kindValidator((c, obj) => {
  const spec = specOf(c, obj);
  const selector = requiredSelector(c, spec, 'daemonset');
  validateControllerTemplate(c, spec.template, 'spec.template', selector, 'DaemonSet');
  nonNegative(c, spec.minReadySeconds, 'spec.minReadySeconds');
  nonNegative(c, spec.templateGeneration, 'spec.templateGeneration');
  validateDaemonSetStrategy(c, spec.updateStrategy);
  nonNegative(c, spec.revisionHistoryLimit, 'spec.revisionHistoryLimit');
}, selectorImmutable);

const controllerRevision = kindValidator(
  (c, obj) => {
    if (isUnset(obj.data)) c.add(fieldRequired('data', 'data is mandatory'));
    nonNegative(c, obj.revision, 'revision');
  },
  (c, obj, old) => immutable(c, obj.data, old.data, 'data'),
);

const replicationController = kindValidator((c, obj) => {
  const spec = specOf(c, obj);
  nonNegative(c, spec.minReadySeconds, 'spec.minReadySeconds');
  const selector = validateLabels(c, spec.selector, 'spec.selector');
  if (Object.keys(selector).length === 0) c.add(fieldRequired('spec.selector'));
  nonNegative(c, spec.replicas, 'spec.replicas');
  if (isUnset(spec.template)) return c.add(fieldRequired('spec.template'));
  const matcher = Object.keys(selector).length > 0 ? labelSelectorFromSet(selector) : undefined;
  validateControllerTemplate(c, spec.template, 'spec.template', matcher, 'ReplicationController');
});

const podTemplate = kindValidator((c, obj) => {
  validatePodTemplateSpec(c, obj.template, 'template');
});

export const workloadValidators: Readonly<Record<string, KindValidator>> = {
  'deployments.apps': deployment,
  'replicasets.apps': replicaSet,
  'statefulsets.apps': statefulSet,
  'daemonsets.apps': daemonSet,
  'controllerrevisions.apps': controllerRevision,
  replicationcontrollers: replicationController,
  podtemplates: podTemplate,
};
