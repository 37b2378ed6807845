// The admission chain in upstream's default order (NamespaceLifecycle runs
// earlier, when a create is prepared; ServiceAccount is the token
// controller's; webhooks are not served). Every write of an object passes
// `mutate` before validation and `validate` after it.
import type { ResourceContext } from '../rest/context.js';
import { defaultStorageClassPlugin } from './defaultstorageclass.js';
import { limitRangerPlugin } from './limitranger.js';
import { priorityPlugin } from './priority.js';
import { resourceQuotaPlugin } from './resourcequota.js';
import { defaultTolerationSecondsPlugin } from './tolerations.js';
import type { AdmissionPlugin, Attributes } from './types.js';

export const admissionPlugins: readonly AdmissionPlugin[] = [limitRangerPlugin, priorityPlugin, defaultTolerationSecondsPlugin, defaultStorageClassPlugin, resourceQuotaPlugin];

/** Runs every mutating plugin in order; the object in `a` is changed in place. */
export async function mutate(ctx: ResourceContext, a: Attributes, plugins: readonly AdmissionPlugin[] = admissionPlugins): Promise<void> {
  for (const p of plugins) await p.admit?.(ctx, a);
}

/** Runs every validating plugin in order; the first refusal is thrown. */
export async function validate(ctx: ResourceContext, a: Attributes, plugins: readonly AdmissionPlugin[] = admissionPlugins): Promise<void> {
  for (const p of plugins) await p.validate?.(ctx, a);
}
