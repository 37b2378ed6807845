// serviceaccounts/token: a TokenRequest (authentication.k8s.io/v1) in, the
// same request back with a signed, bound service-account token in its
// status (201). Upstream's rules: the service account must exist (404);
// audiences default to the API's; expirationSeconds defaults to 3600 and
// must lie in [600, 2^32]; a configured maximum shortens longer requests with
// a warning; a bound Pod, Secret or Node must exist (and match a given uid),
// and a pod's node is named in the token too. Kubelet's 3607-second
// pod-bound tokens are stretched to a year and flagged stale after 3607
// seconds (upstream's expiration extension), so old clients keep working.
import type { ServiceAccountTokenSigner, TokenObjectRef, TokenToIssue } from '../../certs/index.js';
import type { ObjectMeta } from '../../api/types.js';
import { ApiError, badRequest, conflict, failureStatus, fieldInvalid, invalid, notFound, StatusReason, type FieldError } from '../../machinery/index.js';
import type { TokenAuthenticator } from '../http/authn.js';
import { objectKey } from '../storage/keys.js';
import type { Current } from '../storage/store.js';
import { decodeObjectBody } from './body.js';
import type { ResourceContext, ServerState } from './context.js';
import { rfc3339 } from './meta.js';
import type { ApiRequest, ApiResponse } from './types.js';

/** What the token subresource and TokenReview need; absent when the server has no signing key. */
export interface ServiceAccountTokens {
  signer: ServiceAccountTokenSigner;
  authenticator: TokenAuthenticator;
  /** What the API itself answers to (upstream's --api-audiences; by default the issuer). */
  apiAudiences: readonly string[];
  /** Longest lifetime granted; 0 for no limit (upstream's default). */
  maxExpirationSeconds: number;
  /** Upstream's --service-account-extend-token-expiration (default on). */
  extendExpiration: boolean;
}

const gk = 'TokenRequest.authentication.k8s.io';
const apiVersion = 'authentication.k8s.io/v1';
const defaultExpirationSeconds = 3600;
const minExpirationSeconds = 600;
const maxExpirationSeconds = 2 ** 32;
/** Kubelet asks for this lifetime when it can cope with extended tokens. */
const warnOnlyExpirationSeconds = 3607;
const extendedExpirationSeconds = 365 * 24 * 60 * 60;

interface BoundObjectRef {
  kind?: string;
  apiVersion?: string;
  name?: string;
  uid?: string;
}

interface TokenRequestSpec {
  audiences: string[];
  expirationSeconds: number;
  boundObjectRef: BoundObjectRef | null;
}

function malformed(what: string): ApiError {
  return badRequest(`the object provided is unrecognized or malformed: ${what}`);
}

function parseSpec(raw: unknown): TokenRequestSpec {
  const spec = (raw ?? {}) as Record<string, unknown>;
  if (typeof spec !== 'object' || Array.isArray(spec)) throw malformed('spec must be an object');
  const audiences = spec.audiences ?? [];
  if (!Array.isArray(audiences) || !audiences.every((a): a is string => typeof a === 'string')) throw malformed('spec.audiences must be a list of strings');
  const expirationSeconds = spec.expirationSeconds ?? defaultExpirationSeconds;
  if (typeof expirationSeconds !== 'number' || !Number.isInteger(expirationSeconds)) throw malformed('spec.expirationSeconds must be an integer');
  const ref = spec.boundObjectRef ?? null;
  if (ref !== null) {
    if (typeof ref !== 'object' || Array.isArray(ref)) throw malformed('spec.boundObjectRef must be an object');
    for (const [key, value] of Object.entries(ref)) {
      if (value !== undefined && value !== null && typeof value !== 'string') throw malformed(`spec.boundObjectRef.${key} must be a string`);
    }
  }
  return { audiences, expirationSeconds, boundObjectRef: ref as BoundObjectRef | null };
}

/** The objects a token is bound to, as claims. */
type Binding = Pick<TokenToIssue, 'pod' | 'secret' | 'node'>;

async function lookup(ctx: ResourceContext, resource: string, namespace: string, name: string): Promise<Current> {
  const current = await ctx.store.get(objectKey({ group: '', resource, namespaced: namespace !== '' }, namespace, name));
  if (!current) throw notFound(resource, name);
  return current;
}

const refOf = (meta: ObjectMeta): TokenObjectRef => ({ name: meta.name ?? '', uid: meta.uid ?? '' });

async function resolveBinding(ctx: ResourceContext, ref: BoundObjectRef, namespace: string, account: string): Promise<Binding> {
  const [group, version] = (ref.apiVersion ?? '').includes('/') ? (ref.apiVersion ?? '').split('/', 2) : ['', ref.apiVersion ?? ''];
  const kind = ref.kind ?? '';
  const name = ref.name ?? '';
  let binding: Binding;
  let uid: string;
  if (group === '' && kind === 'Pod') {
    const pod = (await lookup(ctx, 'pods', namespace, name)).obj;
    const spec = (pod.spec ?? {}) as { serviceAccountName?: string; nodeName?: string };
    // An unset name means `default`, which upstream's admission fills in.
    if ((spec.serviceAccountName || 'default') !== account) {
      throw badRequest(`cannot bind token for serviceaccount "${account}" to pod running with different serviceaccount name.`);
    }
    binding = { pod: refOf(pod.metadata) };
    if (spec.nodeName) {
      // A missing node still gets named, so the token says where the pod runs.
      const node = await ctx.store.get(objectKey({ group: '', resource: 'nodes', namespaced: false }, '', spec.nodeName));
      binding.node = node ? refOf(node.obj.metadata) : { name: spec.nodeName };
    }
    uid = pod.metadata.uid ?? '';
  } else if (group === '' && kind === 'Secret') {
    const secret = (await lookup(ctx, 'secrets', namespace, name)).obj;
    binding = { secret: refOf(secret.metadata) };
    uid = secret.metadata.uid ?? '';
  } else if (group === '' && kind === 'Node') {
    const node = (await lookup(ctx, 'nodes', '', name)).obj;
    binding = { node: refOf(node.metadata) };
    uid = node.metadata.uid ?? '';
  } else {
    throw badRequest(`cannot bind token to object of type ${group}/${version ?? ''}, Kind=${kind}`);
  }
  if (ref.uid && ref.uid !== uid) {
    throw conflict(kind, name, `the UID in the bound object reference (${ref.uid}) does not match the UID in record. The object might have been deleted and then recreated`);
  }
  return binding;
}

/** POST serviceaccounts/<name>/token. */
export async function requestToken(ctx: ResourceContext, req: ApiRequest, namespace: string, name: string): Promise<ApiResponse> {
  const tokens = ctx.serviceAccountTokens;
  // Without a signing key upstream does not serve the subresource at all.
  if (!tokens) throw new ApiError(failureStatus({ code: 404, reason: StatusReason.NotFound, message: 'the server could not find the requested resource', details: {} }));
  const body = decodeObjectBody(req);
  if (body.apiVersion !== undefined && body.apiVersion !== apiVersion) {
    throw badRequest(`the API version in the data (${String(body.apiVersion)}) does not match the expected API version (${apiVersion})`);
  }
  if (body.kind !== undefined && body.kind !== 'TokenRequest') throw badRequest(`the kind in the data (${String(body.kind)}) does not match the expected kind (TokenRequest)`);
  const meta = (body.metadata ?? {}) as ObjectMeta;
  if (typeof meta !== 'object' || Array.isArray(meta)) throw malformed('metadata must be an object');
  if (meta.name && meta.name !== name) throw invalid(gk, name, [fieldInvalid('metadata.name', meta.name, 'must match the service account name if specified')]);
  if (meta.namespace && meta.namespace !== namespace) {
    throw invalid(gk, name, [fieldInvalid('metadata.namespace', meta.namespace, 'must match the service account namespace if specified')]);
  }
  const spec = parseSpec(body.spec);
  const account = (await lookup(ctx, 'serviceaccounts', namespace, name)).obj;
  if (spec.audiences.length === 0) spec.audiences = [...tokens.apiAudiences];
  const now = ctx.now();

  const errors: FieldError[] = [];
  if (spec.expirationSeconds < minExpirationSeconds) errors.push(fieldInvalid('spec.expirationSeconds', spec.expirationSeconds, 'may not specify a duration less than 10 minutes'));
  if (spec.expirationSeconds > maxExpirationSeconds) errors.push(fieldInvalid('spec.expirationSeconds', spec.expirationSeconds, 'may not specify a duration larger than 2^32 seconds'));
  if (errors.length > 0) throw invalid(gk, '', errors);

  const binding = spec.boundObjectRef ? await resolveBinding(ctx, spec.boundObjectRef, namespace, name) : {};
  const headers: Record<string, string> = {};
  if (tokens.maxExpirationSeconds > 0 && spec.expirationSeconds > tokens.maxExpirationSeconds) {
    headers.Warning = `299 - "requested expiration of ${spec.expirationSeconds} seconds shortened to ${tokens.maxExpirationSeconds} seconds"`;
    spec.expirationSeconds = tokens.maxExpirationSeconds;
  }
  let lifetime = spec.expirationSeconds;
  let warnAfterSeconds: number | undefined;
  const forApi = spec.audiences.every((a) => tokens.apiAudiences.includes(a));
  if (tokens.extendExpiration && binding.pod && lifetime === warnOnlyExpirationSeconds && forApi) {
    warnAfterSeconds = lifetime;
    lifetime = extendedExpirationSeconds;
  }
  const issued = tokens.signer.issue({
    namespace,
    serviceAccount: refOf(account.metadata),
    audiences: spec.audiences,
    expirationSeconds: lifetime,
    ...binding,
    ...(warnAfterSeconds === undefined ? {} : { warnAfterSeconds }),
    now,
  });
  const out = {
    kind: 'TokenRequest',
    apiVersion,
    metadata: { ...meta, name, namespace, creationTimestamp: rfc3339(now) },
    spec,
    status: { token: issued.token, expirationTimestamp: rfc3339(new Date(now.getTime() + spec.expirationSeconds * 1000)) },
  };
  return Object.keys(headers).length === 0 ? { type: 'object', code: 201, body: out } : { type: 'object', code: 201, body: out, headers };
}
