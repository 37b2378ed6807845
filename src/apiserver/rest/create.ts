// POST to a collection: decode, default, set server metadata, mutating
// admission, validate, validating admission, allocate (Services), then one
// compare-and-swap create.
import { jobSelectorAndLabels } from '../../api/defaults/index.js';
import type { StoredObject } from '../../api/types.js';
import { alreadyExists, generateName, generateNameConflict, invalid, type FieldError } from '../../machinery/index.js';
import { admitMutating, admitValidating, type AdmissionAttributes } from '../admission/index.js';
import { managerFor } from '../fieldmanager/index.js';
import { fieldCheck, withWarnings } from '../openapi/index.js';
import { objectKey } from '../storage/keys.js';
import { validateCreate } from '../validation/index.js';
import { planServiceAllocation } from './allocate.js';
import { decodeObjectBody } from './body.js';
import type { ResourceContext } from './context.js';
import { recordWrite } from './managed.js';
import { checkNamespace, checkTypeMeta, prepareForCreate, type MutableMeta } from './meta.js';
import { writeOptions } from './options.js';
import { admitNamespace, initialStatus } from './strategy.js';
import { objectResponse, type ApiRequest, type ApiResponse, type UserInfo } from './types.js';

const generateNameAttempts = 8;

/** Everything before the write; exported for update-as-create and server-side apply. */
export async function prepareNew(ctx: ResourceContext, body: Record<string, unknown>, namespace: string): Promise<StoredObject> {
  const obj = checkTypeMeta(ctx, body);
  checkNamespace(ctx, obj, namespace);
  await admitNamespace(ctx, obj.metadata.namespace ?? '');
  prepareForCreate(ctx, obj);
  initialStatus(ctx, obj);
  ctx.def.defaulter?.(obj);
  return obj;
}

function check(ctx: ResourceContext, obj: StoredObject, extra: readonly FieldError[] = []): void {
  const errors = [...validateCreate(ctx.gr, ctx.def.namespaced, obj), ...extra];
  if (errors.length > 0) throw invalid(ctx.gk, obj.metadata.name ?? obj.metadata.generateName ?? '', errors);
}

/** Writes a prepared object (names it from generateName if needed) after admission; returns the stored object. */
export async function createPrepared(ctx: ResourceContext, obj: StoredObject, dryRun: boolean, user: UserInfo): Promise<StoredObject> {
  const meta = obj.metadata as MutableMeta;
  const generated = !meta.name && !!meta.generateName;
  const admission: AdmissionAttributes = {
    operation: 'CREATE',
    gr: ctx.gr,
    subresource: '',
    namespace: meta.namespace ?? '',
    name: meta.name ?? '',
    object: obj,
    user,
    dryRun,
  };
  await admitMutating(ctx, admission);
  // Status derived from the spec (a pod's QoS class) follows what admission set.
  initialStatus(ctx, obj);
  for (let attempt = 0; ; attempt++) {
    if (generated) meta.name = generateName(meta.generateName ?? '');
    // A Job's generated selector and labels name the Job, so they follow the final name.
    if (ctx.gr === 'jobs.batch') jobSelectorAndLabels(obj, meta.uid ?? '');
    check(ctx, obj);
    await admitValidating(ctx, { ...admission, name: meta.name ?? '' });
    const key = objectKey(ctx.def, meta.namespace ?? '', meta.name ?? '');
    let reservations: string[] = [];
    if (ctx.gr === 'services') {
      // An existing Service holds its own addresses: report the name, not the address, as taken.
      if (await ctx.store.exists(key)) {
        if (!generated) throw alreadyExists(ctx.gr, meta.name ?? '');
        continue;
      }
      const plan = await planServiceAllocation(obj, ctx.allocators, (k) => ctx.store.exists(k));
      if (plan.errors.length > 0) check(ctx, obj, plan.errors);
      reservations = plan.keys;
    }
    if (dryRun) {
      if (await ctx.store.exists(key)) throw alreadyExists(ctx.gr, meta.name ?? '');
      return obj;
    }
    const out = await ctx.store.createWith(key, obj, reservations);
    if (out.ok) return out.obj;
    if (out.current) {
      if (!generated) throw alreadyExists(ctx.gr, meta.name ?? '');
      if (attempt + 1 >= generateNameAttempts) throw generateNameConflict(ctx.gr, meta.name ?? '', 1);
    } else if (attempt + 1 >= generateNameAttempts) {
      throw alreadyExists(ctx.gr, meta.name ?? '');
    }
    // A reservation was taken concurrently, or the generated name collided: choose again.
    if (ctx.gr === 'services') delete (obj.spec as { clusterIP?: string }).clusterIP;
  }
}

export async function create(ctx: ResourceContext, req: ApiRequest, namespace: string): Promise<ApiResponse> {
  const opts = writeOptions(req.query, 'CreateOptions');
  const fields = fieldCheck(ctx.def, req.query);
  const body = fields.check(decodeObjectBody(req));
  const obj = recordWrite(ctx, undefined, await prepareNew(ctx, body, namespace), managerFor(opts.fieldManager, req.userAgent), '');
  const stored = await createPrepared(ctx, obj, opts.dryRun, req.user);
  return withWarnings(objectResponse(201, stored), fields.warnings);
}
