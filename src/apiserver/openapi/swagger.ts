// The Swagger 2.0 document (/openapi/v2) of every served resource, converted
// from the v3 paths and schemas: parameters carry their type inline, request
// bodies become `in: body` parameters, responses name one schema, and
// references point into `#/definitions/` (a reference keeps its description
// beside it instead of inside an allOf, as upstream's v2 documents do).
import type { ResourceDefinition } from '../../api/registry/types.js';
import type { DefinitionIndex } from './definitions.js';
import { apiInfo, pathsOf, schemaClosure } from './document.js';
import type { Method, Operation, PathItem, Paths } from './operations.js';
import type { Parameter } from './parameters.js';
import { schemaRefPrefix } from './schema.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface SwaggerDocument {
  swagger: '2.0';
  info: { title: string; version: string };
  paths: Record<string, Record<string, unknown>>;
  definitions: Record<string, Json>;
  securityDefinitions: Record<string, unknown>;
  security: Record<string, string[]>[];
}

const methods: readonly Method[] = ['get', 'put', 'post', 'patch', 'delete'];

function v2Ref(ref: string): string {
  return ref.startsWith(schemaRefPrefix) ? `#/definitions/${ref.slice(schemaRefPrefix.length)}` : ref;
}

/** A v3 schema (or any part of the document) in v2 form. */
export function toV2Schema(value: unknown): Json {
  if (Array.isArray(value)) return value.map(toV2Schema);
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value === null) return value;
  if (typeof value !== 'object') return null;
  const obj = value as Record<string, unknown>;
  const out: Record<string, Json> = {};
  const allOf = obj.allOf;
  const single = Array.isArray(allOf) && allOf.length === 1 ? (allOf[0] as { $ref?: unknown }) : undefined;
  for (const [key, item] of Object.entries(obj)) {
    if (key === 'allOf' && typeof single?.$ref === 'string') out.$ref = v2Ref(single.$ref);
    else if (key === '$ref' && typeof item === 'string') out.$ref = v2Ref(item);
    else out[key] = toV2Schema(item);
  }
  return out;
}

function parameterV2(p: Parameter): Record<string, unknown> {
  return { name: p.name, in: p.in, description: p.description, type: p.schema.type, ...(p.required ? { required: true } : {}) };
}

function operationV2(op: Operation): Record<string, unknown> {
  const parameters = (op.parameters ?? []).map(parameterV2);
  const consumes = op.requestBody ? Object.keys(op.requestBody.content) : undefined;
  const body = op.requestBody ? Object.values(op.requestBody.content)[0]?.schema : undefined;
  if (body !== undefined) parameters.push({ name: 'body', in: 'body', required: true, schema: toV2Schema(body) });
  const produces = new Set<string>();
  const responses: Record<string, unknown> = {};
  for (const [code, response] of Object.entries(op.responses)) {
    const content = Object.entries(response.content ?? {});
    for (const [type] of content) produces.add(type);
    const schema = content[0]?.[1].schema;
    responses[code] = schema === undefined ? { description: response.description } : { description: response.description, schema: toV2Schema(schema) };
  }
  return {
    description: op.description,
    operationId: op.operationId,
    tags: op.tags,
    ...(consumes ? { consumes } : {}),
    produces: [...produces],
    schemes: ['https'],
    ...(parameters.length > 0 ? { parameters } : {}),
    responses,
    'x-kubernetes-action': op['x-kubernetes-action'],
    'x-kubernetes-group-version-kind': op['x-kubernetes-group-version-kind'],
  };
}

function pathItemV2(item: PathItem): Record<string, unknown> {
  const out: Record<string, unknown> = { parameters: item.parameters.map(parameterV2) };
  for (const method of methods) {
    const op = item[method];
    if (op !== undefined) out[method] = operationV2(op);
  }
  return out;
}

/** The Swagger 2.0 document of `resources` (every served group-version). */
export function swaggerDocument(resources: readonly ResourceDefinition[], index: DefinitionIndex): SwaggerDocument {
  const paths: Paths = pathsOf(resources, index);
  const converted: Record<string, Record<string, unknown>> = {};
  for (const [path, item] of Object.entries(paths)) converted[path] = pathItemV2(item);
  const definitions: Record<string, Json> = {};
  for (const [name, schema] of Object.entries(schemaClosure(index.definitions, paths))) definitions[name] = toV2Schema(schema);
  return {
    swagger: '2.0',
    info: apiInfo,
    paths: converted,
    definitions,
    securityDefinitions: { BearerToken: { type: 'apiKey', name: 'authorization', in: 'header', description: 'A bearer token in the Authorization header: `Bearer <token>`.' } },
    security: [{ BearerToken: [] }],
  };
}
