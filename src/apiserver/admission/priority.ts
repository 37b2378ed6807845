// Priority (upstream's plugin of that name): a new pod gets spec.priority
// and spec.preemptionPolicy from its PriorityClass (or from the
// globalDefault class, else 0); a pod naming a missing class, or asking
// for a priority its class does not give, is refused. Updates keep what
// creation set. A PriorityClass may become globalDefault only while no
// other class is.
import type { corev1, schedulingv1, StoredObject } from '../../api/types.js';
import { forbidden, internalError } from '../../machinery/index.js';
import type { ResourceContext } from '../rest/context.js';
import { getStored, keyspaces, listStored } from './lookup.js';
import type { AdmissionPlugin, Attributes } from './types.js';

/** A pod's priority when it names no class and no class is the global default. */
export const defaultPriorityWhenNoDefaultClass = 0;

/** The globalDefault class (the lowest-valued one, should there be several). */
async function defaultClass(ctx: ResourceContext): Promise<schedulingv1.PriorityClass | undefined> {
  const classes = (await listStored(ctx.store, keyspaces.priorityClasses, '')).map((c) => c.obj as unknown as schedulingv1.PriorityClass);
  return classes.filter((c) => c.globalDefault === true).sort((a, b) => a.value - b.value)[0];
}

async function admitPod(ctx: ResourceContext, a: Attributes): Promise<void> {
  const pod = a.object as corev1.Pod & StoredObject;
  const spec = (pod.spec ??= { containers: [] });
  if (a.operation === 'UPDATE') {
    const old = (a.oldObject as corev1.Pod | undefined)?.spec;
    if (spec.priority === undefined && old?.priority !== undefined) spec.priority = old.priority;
    if (spec.preemptionPolicy === undefined && old?.preemptionPolicy !== undefined) spec.preemptionPolicy = old.preemptionPolicy;
    return;
  }
  let priority = defaultPriorityWhenNoDefaultClass;
  let policy = 'PreemptLowerPriority';
  const className = spec.priorityClassName ?? '';
  if (className === '') {
    const def = await defaultClass(ctx);
    if (def) {
      spec.priorityClassName = def.metadata?.name ?? '';
      priority = def.value;
      policy = def.preemptionPolicy ?? policy;
    }
  } else {
    let pc: schedulingv1.PriorityClass | undefined;
    try {
      pc = (await getStored(ctx.store, keyspaces.priorityClasses, '', className)) as unknown as schedulingv1.PriorityClass | undefined;
    } catch (err) {
      throw internalError(new Error(`failed to get PriorityClass with name ${className}: ${err instanceof Error ? err.message : String(err)}`));
    }
    if (!pc) throw forbidden(a.gr, a.name, `no PriorityClass with name ${className} was found`);
    priority = pc.value;
    policy = pc.preemptionPolicy ?? policy;
  }
  if (spec.priority !== undefined && spec.priority !== null && spec.priority !== priority) {
    throw forbidden(a.gr, a.name, `the integer value of priority (${spec.priority}) must not be provided in pod spec; priority admission controller computed ${priority} from the given PriorityClass name`);
  }
  spec.priority = priority;
  if (spec.preemptionPolicy !== undefined && spec.preemptionPolicy !== null && spec.preemptionPolicy !== policy) {
    throw forbidden(a.gr, a.name, `the string value of PreemptionPolicy (${spec.preemptionPolicy}) must not be provided in pod spec; priority admission controller computed ${policy} from the given PriorityClass name`);
  }
  spec.preemptionPolicy = policy;
}

async function validateClass(ctx: ResourceContext, a: Attributes): Promise<void> {
  const pc = a.object as schedulingv1.PriorityClass & StoredObject;
  if (pc.globalDefault !== true) return;
  const current = await defaultClass(ctx);
  const currentName = current?.metadata?.name;
  if (current && (a.operation === 'CREATE' || currentName !== a.name)) {
    throw forbidden(a.gr, a.name, `PriorityClass ${currentName ?? ''} is already marked as default. Only one default can exist`);
  }
}

export const priorityPlugin: AdmissionPlugin = {
  name: 'Priority',
  async admit(ctx, a) {
    if (a.gr === 'pods' && a.subresource === '') await admitPod(ctx, a);
  },
  async validate(ctx, a) {
    if (a.gr === 'priorityclasses.scheduling.k8s.io' && a.subresource === '') await validateClass(ctx, a);
  },
};
