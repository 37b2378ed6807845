// autoscaling defaults: HorizontalPodAutoscaler, served as v2 and v1 under
// one resource, so the object's apiVersion picks the version's rules.
import type { Defaulter } from '../registry/types.js';
import { child, ensure, isEmptyCollection, isUnset, setIfUnset, type Obj } from './shape.js';

/** The CPU utilisation target an HPA without metrics scales on. */
const defaultCPUUtilization = 80;

function scaleUpRules(): Obj {
  return {
    stabilizationWindowSeconds: 0,
    selectPolicy: 'Max',
    policies: [
      { type: 'Pods', value: 4, periodSeconds: 15 },
      { type: 'Percent', value: 100, periodSeconds: 15 },
    ],
  };
}

function scaleDownRules(): Obj {
  return { selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] };
}

/** Upstream's copyHPAScalingRules: the given fields over the defaults. */
function mergeRules(given: unknown, defaults: Obj): Obj {
  if (typeof given !== 'object' || given === null || Array.isArray(given)) return defaults;
  const from = given as Obj;
  for (const key of ['selectPolicy', 'stabilizationWindowSeconds', 'policies', 'tolerance']) {
    if (!isUnset(from[key])) defaults[key] = from[key];
  }
  return defaults;
}

const hpa: Defaulter = (obj) => {
  const spec = ensure(obj, 'spec');
  setIfUnset(spec, 'minReplicas', 1);
  if (spec === undefined || obj.apiVersion === 'autoscaling/v1') return;
  if (isEmptyCollection(spec.metrics)) {
    spec.metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: defaultCPUUtilization } } }];
  }
  const behavior = child(spec, 'behavior');
  if (behavior) {
    behavior.scaleUp = mergeRules(behavior.scaleUp, scaleUpRules());
    behavior.scaleDown = mergeRules(behavior.scaleDown, scaleDownRules());
  }
};

export const autoscalingDefaulters: Readonly<Record<string, Defaulter>> = {
  'horizontalpodautoscalers.autoscaling': hpa,
};
