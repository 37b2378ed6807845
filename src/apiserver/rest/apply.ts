// PATCH with application/apply-patch+yaml: server-side apply. The body is
// the caller's whole intent for the fields it manages. On a missing object
// the apply creates it (201); otherwise the configuration is merged into
// the live object with the field manager's rules (conflicts are 409 unless
// force=true). Applying the same configuration again changes nothing, not
// even the resourceVersion. A resourceVersion in the configuration is a
// precondition; without one, concurrent writes are retried.
import { apiVersionOf, type StoredObject } from '../../api/types.js';
import { badRequest, isAlreadyExists, isNotFound, notFound } from '../../machinery/index.js';
import { kindFields, recordApply, type ApplyOrigin, type KindFields } from '../fieldmanager/index.js';
import { fieldCheck, withWarnings } from '../openapi/index.js';
import { objectKey } from '../storage/keys.js';
import { decodeApplyBody } from './body.js';
import type { ResourceContext } from './context.js';
import { createPrepared, prepareNew } from './create.js';
import { checkManagedFields } from './managed.js';
import { rfc3339 } from './meta.js';
import { writeOptions } from './options.js';
import { presentObject } from './output.js';
import type { ApiRequest, ApiResponse } from './types.js';
import { guaranteedUpdate } from './write.js';

type Config = Record<string, unknown>;

function metadataOf(obj: Config): Config {
  const metadata = obj.metadata;
  return typeof metadata === 'object' && metadata !== null && !Array.isArray(metadata) ? (metadata as Config) : {};
}

/** What upstream requires of the configuration before merging it. */
function checkConfig(ctx: ResourceContext, config: Config): void {
  const expected = apiVersionOf(ctx.def.group, ctx.def.version);
  const version = typeof config.apiVersion === 'string' ? config.apiVersion : '';
  if (version !== expected) throw badRequest(`Incorrect version specified in apply patch. Specified patch version: ${version}, expected: ${expected}`);
  if (config.kind === undefined || config.kind === '') throw badRequest(`Object 'Kind' is missing in '${JSON.stringify(config)}'`);
  if (config.kind !== ctx.def.kind) throw badRequest(`the kind in the data (${String(config.kind)}) does not match the expected kind (${ctx.def.kind})`);
  const metadata = config.metadata;
  if (metadata !== undefined && metadata !== null && (typeof metadata !== 'object' || Array.isArray(metadata))) {
    throw badRequest('the object provided is unrecognized or malformed: metadata must be an object');
  }
  const managed = metadataOf(config).managedFields;
  if (managed !== undefined && managed !== null) throw badRequest('metadata.managedFields must be nil');
}

/** Upstream's checkName on the object an apply produced. */
function checkName(obj: StoredObject, name: string, namespace: string): void {
  const objName = obj.metadata.name ?? '';
  if (objName === '') throw badRequest(`the name of the object (${name} based on URL) was undeterminable: name must be provided`);
  if (objName !== name) throw badRequest(`the name of the object (${objName}) does not match the name on the URL (${name})`);
  const objNamespace = obj.metadata.namespace ?? '';
  if (namespace !== '' && objNamespace !== '' && objNamespace !== namespace) {
    throw badRequest(`the namespace of the object (${objNamespace}) does not match the namespace on the URL (${namespace})`);
  }
}

interface ApplyRequest {
  kind: KindFields;
  config: Config;
  origin: () => ApplyOrigin;
  dryRun: boolean;
  namespace: string;
  name: string;
}

async function createByApply(ctx: ResourceContext, req: ApiRequest, a: ApplyRequest): Promise<ApiResponse> {
  const applied = recordApply(a.kind, undefined, a.config, a.origin()) as StoredObject;
  checkName(applied, a.name, a.namespace);
  const obj = await prepareNew(ctx, applied, a.namespace);
  // managedFields stay the last field of metadata, as every other write leaves them.
  const { managedFields, ...metadata } = obj.metadata;
  obj.metadata = managedFields === undefined ? metadata : { ...metadata, managedFields };
  checkManagedFields(ctx, obj);
  return presentObject(ctx, req, await createPrepared(ctx, obj, a.dryRun, req.user), 201);
}

async function updateByApply(ctx: ResourceContext, req: ApiRequest, a: ApplyRequest, status: boolean): Promise<ApiResponse> {
  const precondition = metadataOf(a.config).resourceVersion;
  const result = await guaranteedUpdate(
    ctx,
    a.namespace,
    a.name,
    (live) => {
      const applied = recordApply(a.kind, live, a.config, a.origin()) as StoredObject;
      checkName(applied, a.name, a.namespace);
      applied.metadata = { ...applied.metadata, resourceVersion: typeof precondition === 'string' ? precondition : '' };
      return applied;
    },
    {
      dryRun: a.dryRun,
      part: status ? 'status' : 'main',
      user: req.user,
      // The apply computed the entries; a status write keeps them through preparation.
      manage: (_current, prepared, applied) => {
        const out = { ...prepared, metadata: { ...prepared.metadata, managedFields: applied.metadata.managedFields } };
        if (out.metadata.managedFields === undefined) delete out.metadata.managedFields;
        checkManagedFields(ctx, out);
        return out;
      },
    },
  );
  return presentObject(ctx, req, result.obj);
}

export async function serverSideApply(ctx: ResourceContext, req: ApiRequest, namespace: string, name: string, status: boolean): Promise<ApiResponse> {
  const opts = writeOptions(req.query, 'PatchOptions', true);
  const fields = fieldCheck(ctx.def, req.query);
  const config = fields.check(decodeApplyBody(req));
  checkConfig(ctx, config);
  const a: ApplyRequest = {
    kind: kindFields(ctx.def),
    config,
    origin: () => ({ manager: opts.fieldManager ?? '', subresource: status ? 'status' : '', time: rfc3339(ctx.now()), force: opts.force }),
    dryRun: opts.dryRun,
    namespace,
    name,
  };
  // An object created or deleted meanwhile sends the apply down the other path (a few times at most).
  for (let attempt = 0; ; attempt++) {
    const exists = await ctx.store.exists(objectKey(ctx.def, namespace, name));
    try {
      if (exists) return withWarnings(await updateByApply(ctx, req, a, status), fields.warnings);
      if (status) throw notFound(ctx.gr, name);
      return withWarnings(await createByApply(ctx, req, a), fields.warnings);
    } catch (err) {
      const raced = exists ? isNotFound(err) && !status : isAlreadyExists(err);
      if (!raced || attempt >= 2) throw err;
    }
  }
}
