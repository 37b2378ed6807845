// ConfigMaps and Secrets: key names, the 1 MiB size limit, secret types'
// required keys, and the `immutable` flag.
import type { KubeObject } from '../../api/types.js';
import { fieldForbidden, fieldInvalid, fieldRequired, fieldTooLong } from '../../machinery/index.js';
import { immutable, isConfigMapKey, semanticEqual } from './common.js';
import { isObj, type Check } from './input.js';
import { kindValidator, type KindValidator } from './kind.js';

/** Largest total size of a ConfigMap's or Secret's data. */
export const maxDataSize = 1024 * 1024;

const immutableMessage = 'field is immutable when `immutable` is set';
const base64Re = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function keys(c: Check, data: Record<string, unknown>, path: string): void {
  for (const key of Object.keys(data)) for (const msg of isConfigMapKey(key)) c.add(fieldInvalid(`${path}[${key}]`, key, msg));
}

/** Decoded length of base64 data, or undefined (reported) when it is not base64. */
function decodedLength(c: Check, value: string, path: string): number | undefined {
  if (!base64Re.test(value)) {
    c.add(fieldInvalid(path, '<secret contents redacted>', 'must be base64-encoded'));
    return undefined;
  }
  return Buffer.from(value, 'base64').length;
}

function validateConfigMap(c: Check, obj: KubeObject): void {
  const data = c.strMap(obj.data, 'data');
  const binary = c.strMap(obj.binaryData, 'binaryData');
  keys(c, data, 'data');
  let size = 0;
  for (const [key, value] of Object.entries(data)) {
    if (key in binary) c.add(fieldInvalid(`data[${key}]`, key, 'duplicate of key present in binaryData'));
    size += Buffer.byteLength(value);
  }
  keys(c, binary, 'binaryData');
  for (const [key, value] of Object.entries(binary)) size += decodedLength(c, value, `binaryData[${key}]`) ?? 0;
  if (size > maxDataSize) c.add(fieldTooLong('', maxDataSize));
  c.bool(obj.immutable, 'immutable');
}

/** Once immutable, always immutable, and the data stays as it is. */
function immutableData(c: Check, obj: KubeObject, old: KubeObject, fields: readonly string[]): void {
  if (old.immutable !== true) return;
  if (obj.immutable !== true) c.add(fieldForbidden('immutable', immutableMessage));
  for (const field of fields) if (!semanticEqual(obj[field], old[field])) c.add(fieldForbidden(field, immutableMessage));
}

/** Keys each secret type requires. */
function secretTypeKeys(c: Check, obj: KubeObject, type: string, data: Record<string, string>): void {
  const need = (key: string): void => {
    if (!(key in data)) c.add(fieldRequired(`data[${key}]`));
  };
  switch (type) {
    case 'kubernetes.io/service-account-token': {
      const annotations = isObj(obj.metadata?.annotations) ? obj.metadata.annotations : {};
      if (!annotations['kubernetes.io/service-account.name']) c.add(fieldRequired('metadata.annotations[kubernetes.io/service-account.name]'));
      break;
    }
    case 'kubernetes.io/dockercfg':
      return jsonKey(c, data, '.dockercfg');
    case 'kubernetes.io/dockerconfigjson':
      return jsonKey(c, data, '.dockerconfigjson');
    case 'kubernetes.io/basic-auth':
      if (!('username' in data) && !('password' in data)) {
        need('username');
        need('password');
      }
      break;
    case 'kubernetes.io/ssh-auth':
      if (!data['ssh-privatekey']) c.add(fieldRequired('data[ssh-privatekey]'));
      break;
    case 'kubernetes.io/tls':
      need('tls.crt');
      need('tls.key');
      break;
  }
}

/** A docker config key holding well-formed JSON. */
function jsonKey(c: Check, data: Record<string, string>, key: string): void {
  const value = data[key];
  if (value === undefined) return c.add(fieldRequired(`data[${key}]`));
  try {
    JSON.parse(Buffer.from(value, 'base64').toString('utf8'));
  } catch (err) {
    c.add(fieldInvalid(`data[${key}]`, '<secret contents redacted>', err instanceof Error ? err.message : String(err)));
  }
}

function validateSecret(c: Check, obj: KubeObject): void {
  const data = c.strMap(obj.data, 'data');
  keys(c, data, 'data');
  let size = 0;
  for (const [key, value] of Object.entries(data)) size += decodedLength(c, value, `data[${key}]`) ?? 0;
  if (size > maxDataSize) c.add(fieldTooLong('data', maxDataSize));
  const type = c.str(obj.type, 'type');
  if (type) secretTypeKeys(c, obj, type, data);
  c.bool(obj.immutable, 'immutable');
}

export const configValidators: Readonly<Record<string, KindValidator>> = {
  configmaps: kindValidator(validateConfigMap, (c, obj, old) => immutableData(c, obj, old, ['data', 'binaryData']), { updateFirst: true }),
  secrets: kindValidator(
    validateSecret,
    (c, obj, old) => {
      immutable(c, obj.type, old.type, 'type');
      immutableData(c, obj, old, ['data']);
    },
    { updateFirst: true },
  ),
};
