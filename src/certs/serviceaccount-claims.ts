// The claims of a service-account token and their checked parsing: a
// payload is untrusted JSON until every field this server relies on has the
// right type. Shapes follow upstream's bound tokens (refs carry name and
// uid; a node ref may lack its uid when the node object did not exist).
import { CertsError } from './errors.js';

export interface TokenObjectRef {
  name: string;
  uid: string;
}

/** The private `kubernetes.io` claim. */
export interface KubernetesClaims {
  namespace: string;
  serviceaccount: TokenObjectRef;
  pod?: TokenObjectRef;
  secret?: TokenObjectRef;
  node?: { name: string; uid?: string };
  /** Unix seconds after which the token is stale but still accepted. */
  warnafter?: number;
}

export interface ServiceAccountClaims {
  /** Always a list here; a token may carry a single string, which parses to a list of one. */
  aud: string[];
  exp: number;
  iat?: number;
  iss: string;
  jti?: string;
  'kubernetes.io': KubernetesClaims;
  nbf?: number;
  sub: string;
}

type Json = Record<string, unknown>;

function fail(what: string): never {
  throw new CertsError('token-malformed', `malformed service-account token: ${what}`);
}

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(o: Json, key: string, where: string): string {
  const v = o[key];
  if (typeof v !== 'string' || v === '') fail(`${where}${key} must be a non-empty string`);
  return v;
}

function optNumber(o: Json, key: string): number | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(`${key} must be a number`);
  return v;
}

function ref(v: unknown, where: string, uidRequired = true): { name: string; uid?: string } {
  if (!isObject(v)) fail(`${where} must be an object`);
  const name = str(v, 'name', `${where}.`);
  if (v.uid === undefined && !uidRequired) return { name };
  return { name, uid: str(v, 'uid', `${where}.`) };
}

function fullRef(v: unknown, where: string): TokenObjectRef {
  const { name, uid } = ref(v, where);
  return { name, uid: uid ?? '' };
}

function audiences(v: unknown): string[] {
  if (v === undefined) return [];
  if (typeof v === 'string') return [v];
  if (Array.isArray(v) && v.every((a): a is string => typeof a === 'string')) return v;
  return fail('aud must be a string or a list of strings');
}

/** Checks a decoded payload; throws CertsError 'token-malformed' naming the first bad field. */
export function parseClaims(payload: unknown): ServiceAccountClaims {
  if (!isObject(payload)) fail('the payload is not a JSON object');
  const k8s = payload['kubernetes.io'];
  if (!isObject(k8s)) fail('the kubernetes.io claim is missing');
  const exp = optNumber(payload, 'exp');
  if (exp === undefined) fail('exp is missing');
  const kubernetes: KubernetesClaims = {
    namespace: str(k8s, 'namespace', 'kubernetes.io.'),
    serviceaccount: fullRef(k8s.serviceaccount, 'kubernetes.io.serviceaccount'),
  };
  if (k8s.pod !== undefined) kubernetes.pod = fullRef(k8s.pod, 'kubernetes.io.pod');
  if (k8s.secret !== undefined) kubernetes.secret = fullRef(k8s.secret, 'kubernetes.io.secret');
  if (k8s.node !== undefined) kubernetes.node = ref(k8s.node, 'kubernetes.io.node', false);
  const warnafter = optNumber(k8s, 'warnafter');
  if (warnafter !== undefined) kubernetes.warnafter = warnafter;
  const claims: ServiceAccountClaims = {
    aud: audiences(payload.aud),
    exp,
    iss: str(payload, 'iss', ''),
    'kubernetes.io': kubernetes,
    sub: str(payload, 'sub', ''),
  };
  const iat = optNumber(payload, 'iat');
  const nbf = optNumber(payload, 'nbf');
  if (iat !== undefined) claims.iat = iat;
  if (nbf !== undefined) claims.nbf = nbf;
  if (typeof payload.jti === 'string' && payload.jti !== '') claims.jti = payload.jti;
  return claims;
}
