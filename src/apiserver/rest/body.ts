// Decodes request bodies: JSON and YAML for objects, JSON for patches. Anything else is a 415 naming what is accepted; a
// malformed body is a 400 with the parser's complaint.
import { parse as parseYaml } from 'yaml';
import { badRequest, unsupportedMediaType } from '../../machinery/index.js';
import type { ApiRequest } from './types.js';

export const objectMediaTypes = ['application/json', 'application/yaml'] as const;

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

/** Decodes a body sent with `contentType`, allowing only `accepted` media types. */
export function decodeBody(req: ApiRequest, accepted: readonly string[]): unknown {
  if (req.object !== undefined) return req.object;
  const type = mediaType(req.contentType);
  const bytes = req.body ?? Buffer.alloc(0);
  if (!accepted.includes(type) && !(type === '' && bytes.length === 0)) throw unsupportedMediaType(accepted);
  if (bytes.length === 0) return undefined;
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
