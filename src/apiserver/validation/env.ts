// Container environment: env (names and valueFrom sources) and envFrom.
import { fieldInvalid, fieldNotSupported, fieldRequired, nameIsDNSSubdomain } from '../../machinery/index.js';
import { isConfigMapKey, qualifiedName } from './common.js';
import { type Check, type Obj } from './input.js';

/** 1.32 relaxes env names (RelaxedEnvironmentVariableValidation): printable ASCII other than `=`. */
export function isEnvVarName(name: string): string[] {
  if (name === '') return ['environment variable name must be non-empty'];
  for (const ch of name) {
    const code = ch.codePointAt(0) ?? 0;
    if (code < 0x20 || code > 0x7e || ch === '=') return ["a valid environment variable name must consist only of printable ASCII characters other than '='"];
  }
  return [];
}

/** Pod fields a container's environment may read through fieldRef. */
const envFieldPaths = [
  'metadata.name', 'metadata.namespace', 'metadata.uid', 'spec.nodeName', 'spec.serviceAccountName',
  'status.hostIP', 'status.hostIPs', 'status.podIP', 'status.podIPs',
];
/** Field labels upstream's downward API conversion knows at all. */
const knownFieldLabels = new Set([
  ...envFieldPaths, 'metadata.annotations', 'metadata.labels', 'spec.restartPolicy', 'spec.schedulerName', 'status.phase', 'spec.host',
]);

/** A downward API fieldRef; `allowed` lists the plain paths this use supports (subscripted labels and annotations are always allowed). */
export function validateFieldRef(c: Check, ref: Obj, path: string, allowed: readonly string[]): void {
  const apiVersion = c.str(ref.apiVersion, `${path}.apiVersion`);
  if (apiVersion === '') return c.add(fieldRequired(`${path}.apiVersion`));
  const fieldPath = c.str(ref.fieldPath, `${path}.fieldPath`);
  if (fieldPath === '') return c.add(fieldRequired(`${path}.fieldPath`));
  if (apiVersion === undefined || fieldPath === undefined) return;
  const sub = /^(.+?)\['(.*)'\]$/s.exec(fieldPath);
  if (apiVersion !== 'v1') return c.add(fieldInvalid(`${path}.fieldPath`, fieldPath, `error converting fieldPath: unsupported pod version: ${apiVersion}`));
  if (sub) {
    const [, base = '', key = ''] = sub;
    if (base === 'metadata.labels') qualifiedName(c, key, path);
    else if (base === 'metadata.annotations') qualifiedName(c, key.toLowerCase(), path);
    else c.add(fieldInvalid(`${path}.fieldPath`, fieldPath, `error converting fieldPath: field label does not support subscript: ${fieldPath}`));
    return;
  }
  if (!knownFieldLabels.has(fieldPath)) return c.add(fieldInvalid(`${path}.fieldPath`, fieldPath, `error converting fieldPath: field label not supported: ${fieldPath}`));
  const internal = fieldPath === 'spec.host' ? 'spec.nodeName' : fieldPath;
  if (!allowed.includes(internal)) c.add(fieldNotSupported(`${path}.fieldPath`, internal, [...allowed].sort()));
}

function keySelector(c: Check, sel: Obj, path: string): void {
  const name = c.str(sel.name, `${path}.name`);
  if (name !== undefined) for (const msg of nameIsDNSSubdomain(name, false)) c.add(fieldInvalid(`${path}.name`, name, msg));
  const key = c.str(sel.key, `${path}.key`);
  if (key === '') c.add(fieldRequired(`${path}.key`));
  else if (key !== undefined) for (const msg of isConfigMapKey(key)) c.add(fieldInvalid(`${path}.key`, key, msg));
}

function valueFrom(c: Check, env: Obj, path: string): void {
  const from = c.obj(env.valueFrom, path);
  if (from === undefined) return;
  let sources = 0;
  const fieldRef = c.obj(from.fieldRef, `${path}.fieldRef`);
  if (fieldRef) {
    sources++;
    validateFieldRef(c, fieldRef, `${path}.fieldRef`, envFieldPaths);
  }
  const resourceRef = c.obj(from.resourceFieldRef, `${path}.resourceFieldRef`);
  if (resourceRef) {
    sources++;
    if (c.str(resourceRef.resource, `${path}.resourceFieldRef.resource`) === '') c.add(fieldRequired(`${path}.resourceFieldRef.resource`));
  }
  for (const kind of ['configMapKeyRef', 'secretKeyRef']) {
    const sel = c.obj(from[kind], `${path}.${kind}`);
    if (sel === undefined) continue;
    sources++;
    keySelector(c, sel, `${path}.${kind}`);
  }
  const value = typeof env.value === 'string' ? env.value : '';
  if (sources === 0) c.add(fieldInvalid(path, '', 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'));
  else if (value !== '') c.add(fieldInvalid(path, '', 'may not be specified when `value` is not empty'));
  else if (sources > 1) c.add(fieldInvalid(path, '', 'may not have more than one field specified at a time'));
}

export function validateEnv(c: Check, v: unknown, path: string): void {
  for (const [env, p] of c.objList(v, path)) {
    const name = c.str(env.name, `${p}.name`);
    if (name === '') c.add(fieldRequired(`${p}.name`));
    else if (name !== undefined) for (const msg of isEnvVarName(name)) c.add(fieldInvalid(`${p}.name`, name, msg));
    c.str(env.value, `${p}.value`);
    valueFrom(c, env, `${p}.valueFrom`);
  }
}

export function validateEnvFrom(c: Check, v: unknown, path: string): void {
  for (const [source, p] of c.objList(v, path)) {
    const prefix = c.str(source.prefix, `${p}.prefix`);
    if (prefix) for (const msg of isEnvVarName(prefix)) c.add(fieldInvalid(`${p}.prefix`, prefix, msg));
    let sources = 0;
    for (const kind of ['configMapRef', 'secretRef']) {
      const ref = c.obj(source[kind], `${p}.${kind}`);
      if (ref === undefined) continue;
      sources++;
      const name = c.str(ref.name, `${p}.${kind}.name`);
      if (name === '') c.add(fieldRequired(`${p}.${kind}.name`));
      else if (name !== undefined) for (const msg of nameIsDNSSubdomain(name, false)) c.add(fieldInvalid(`${p}.${kind}.name`, name, msg));
    }
    if (sources === 0) c.add(fieldInvalid(path, '', 'must specify one of: `configMapRef` or `secretRef`'));
    else if (sources > 1) c.add(fieldInvalid(path, '', 'may not have more than one field specified at a time'));
  }
}

