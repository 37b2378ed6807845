// Decodes request bodies: JSON, YAML and Kubernetes protobuf for objects,
// JSON for patches. Anything else is a 415 naming what is accepted; a
// malformed body is a 400 with the parser's complaint.
import { parse as parseYaml } from 'yaml';
import { decodeProtobufObject, ProtobufError, protobufMediaType } from '../../api/protobuf/index.js';
import { badRequest, unsupportedMediaType } from '../../machinery/index.js';
import type { ApiRequest } from './types.js';

export const objectMediaTypes = ['application/json', 'application/yaml', protobufMediaType] as const;

/** The media type without parameters, lower-cased. */
export function mediaType(contentType: string): string {
  return (contentType.split(';')[0] ?? '').trim().toLowerCase();
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw badRequest(`the object provided is unrecognized or malformed: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function parseYamlText(text: string): unknown {
  try {
    return parseYaml(text, { strict: true, uniqueKeys: true }) as unknown;
  } catch (err) {
    throw badRequest(`the object provided is unrecognized or malformed: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/**
 * A protobuf body as the JSON object of its kind. The envelope's kind must
 * have a table (else 415, as for any unknown format); a malformed body is a
 * 400 and nothing of it is used. Whether the kind suits the endpoint is
 * checked afterwards, as for JSON, from the apiVersion and kind it carries.
 */
function parseProtobuf(bytes: Buffer, accepted: readonly string[]): unknown {
  try {
    return decodeProtobufObject(bytes);
  } catch (err) {
    if (!(err instanceof ProtobufError)) throw err;
    if (err.code === 'no-table') throw unsupportedMediaType(accepted);
    throw badRequest(`the object provided is unrecognized or malformed: ${err.message}`);
  }
}

/**
 * Decodes a body sent with `contentType`, allowing only `accepted` media
 * types. An object body sent without a Content-Type is read as JSON, as
 * upstream does (`kubectl create --raw -f` sends none); a patch needs its type.
 */
export function decodeBody(req: ApiRequest, accepted: readonly string[]): unknown {
  if (req.object !== undefined) return req.object;
  const type = mediaType(req.contentType) || (accepted.includes('application/json') ? 'application/json' : '');
  const bytes = req.body ?? Buffer.alloc(0);
  if (!accepted.includes(type) && !(type === '' && bytes.length === 0)) throw unsupportedMediaType(accepted);
  if (bytes.length === 0) return undefined;
  if (type === protobufMediaType) return parseProtobuf(bytes, accepted);
  const text = bytes.toString('utf8');
  return type === 'application/yaml' ? parseYamlText(text) : parseJson(text);
}

/** Decodes a body that must be a JSON object (not an array, string or null). */
export function decodeObjectBody(req: ApiRequest, accepted: readonly string[] = objectMediaTypes): Record<string, unknown> {
  const value = decodeBody(req, accepted);
  if (value === undefined) throw badRequest('the body of the request was empty');
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw badRequest('the object provided is unrecognized or malformed: expected a JSON object');
  }
  return value as Record<string, unknown>;
}

/** The media type of a server-side apply patch. */
export const applyPatchType = 'application/apply-patch+yaml';

function goTypeName(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  return typeof value === 'boolean' ? 'bool' : typeof value;
}

/**
 * An apply patch: a YAML (or JSON) object. No body, or a null document, is
 * an empty configuration; anything else that is not an object is a 400, as
 * is malformed YAML: `error decoding YAML: ...`.
 */
export function decodeApplyBody(req: ApiRequest): Record<string, unknown> {
  let value: unknown = req.object;
  if (value === undefined) {
    try {
      value = parseYaml((req.body ?? Buffer.alloc(0)).toString('utf8'), { strict: true, uniqueKeys: true }) as unknown;
    } catch (err) {
      throw badRequest(`error decoding YAML: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw badRequest(`error decoding YAML: json: cannot unmarshal ${goTypeName(value)} into Go value of type map[string]interface {}`);
  }
  return value as Record<string, unknown>;
}
