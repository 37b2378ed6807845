// Answers /openapi/v3 (the root listing every served group-version with the
// hash of its document), /openapi/v3/<api/v1|apis/g/v>?hash=... and
// /openapi/v2. Documents are built on first request and kept: the registry
// does not change while the server runs.
//   hash matches the document → Cache-Control: public, immutable
//   hash is stale → 301 to the current hash (clients cache by URL)
//   no hash → Cache-Control: no-cache, private
// JSON is served, and /openapi/v2 also as gnostic protobuf to a client
// that asks for only that; anything else gets 406.
import { createHash } from 'node:crypto';
import type { Registry } from '../../api/registry/registry.js';
import { notAcceptable, serviceUnavailable } from '../../machinery/index.js';
import type { ApiResponse } from '../rest/types.js';
import { loadDefinitions, type DefinitionIndex } from './definitions.js';
import { groupVersionDocument, groupVersionPath, type V3Document } from './document.js';
import { swaggerDocument, type SwaggerDocument } from './swagger.js';
import { encodeSwaggerProtobuf, swaggerProtobufAccept, swaggerProtobufMediaType } from './swagger-proto.js';

export interface BuiltDocument {
  doc: V3Document;
  /** Upper-case hex SHA-512 of the document's JSON. */
  hash: string;
}

/** Upper-case hex SHA-512 of a document's JSON: equal content, equal hash. */
export function documentHash(doc: unknown): string {
  return createHash('sha512').update(JSON.stringify(doc)).digest('hex').toUpperCase();
}

/** The OpenAPI documents of one registry, built lazily. */
export class OpenApiDocs {
  private v3: ReadonlyMap<string, BuiltDocument> | undefined;
  private v2: SwaggerDocument | undefined;
  private v2Protobuf: Buffer | undefined;

  constructor(
    private readonly registry: Registry,
    private readonly load: () => DefinitionIndex | undefined = loadDefinitions,
  ) {}

  /** Documents by their path below /openapi/v3/ (`api/v1`, `apis/apps/v1`), in discovery order; undefined without definitions. */
  groupVersions(): ReadonlyMap<string, BuiltDocument> | undefined {
    if (this.v3 !== undefined) return this.v3;
    const index = this.load();
    if (index === undefined) return undefined;
    const built = new Map<string, BuiltDocument>();
    for (const { group, versions } of this.registry.groups()) {
      for (const version of versions) {
        const doc = groupVersionDocument(this.registry.groupVersion(group, version), index);
        built.set(groupVersionPath(group, version), { doc, hash: documentHash(doc) });
      }
    }
    this.v3 = built;
    return built;
  }

  /** The Swagger 2.0 document of every served resource; undefined without definitions. */
  swagger(): SwaggerDocument | undefined {
    if (this.v2 !== undefined) return this.v2;
    const index = this.load();
    if (index === undefined) return undefined;
    this.v2 = swaggerDocument(this.registry.resources, index);
    return this.v2;
  }

  /** The Swagger document as gnostic protobuf (what kubectl asks /openapi/v2 for); undefined without definitions. */
  swaggerProtobuf(): Buffer | undefined {
    if (this.v2Protobuf !== undefined) return this.v2Protobuf;
    const doc = this.swagger();
    if (doc === undefined) return undefined;
    this.v2Protobuf = encodeSwaggerProtobuf(doc);
    return this.v2Protobuf;
  }
}

/** True when `accept` admits application/json (an empty header admits anything). */
export function acceptsJson(accept: string): boolean {
  if (accept.trim() === '') return true;
  return accept.split(',').some((range) => {
    const [type = '', ...params] = range.split(';').map((s) => s.trim().toLowerCase());
    const q = params.find((p) => p.startsWith('q='));
    if (q !== undefined && Number(q.slice(2)) === 0) return false;
    return type === 'application/json' || type === 'application/*' || type === '*/*';
  });
}

function notBuilt(): Error {
  return serviceUnavailable('the OpenAPI definitions are missing from this build');
}

function json(body: unknown, headers: Record<string, string>): ApiResponse {
  return { type: 'object', code: 200, body, contentType: 'application/json', headers };
}

/**
 * Answers a GET below /openapi/, or returns undefined for a path that names
 * no document (the caller answers 404).
 */
export function routeOpenApi(docs: OpenApiDocs, path: string, query: URLSearchParams, accept: string): ApiResponse | undefined {
  const parts = path.split('/').filter((p) => p !== '');
  if (parts[0] !== 'openapi') return undefined;
  if (parts[1] === 'v2' && parts.length === 2) {
    if (!acceptsJson(accept) && swaggerProtobufAccept.some((type) => accept.toLowerCase().includes(type))) {
      const bytes = docs.swaggerProtobuf();
      if (bytes === undefined) throw notBuilt();
      return { type: 'object', code: 200, body: bytes, contentType: swaggerProtobufMediaType, headers: { 'Cache-Control': 'no-cache, private' } };
    }
    if (!acceptsJson(accept)) throw notAcceptable(['application/json', swaggerProtobufMediaType]);
    const doc = docs.swagger();
    if (doc === undefined) throw notBuilt();
    return json(doc, { 'Cache-Control': 'no-cache, private' });
  }
  if (parts[1] !== 'v3') return undefined;
  if (!acceptsJson(accept)) throw notAcceptable(['application/json']);
  const built = docs.groupVersions();
  if (built === undefined) throw notBuilt();
  if (parts.length === 2) {
    const paths: Record<string, { serverRelativeURL: string }> = {};
    for (const [gv, { hash }] of built) paths[gv] = { serverRelativeURL: `/openapi/v3/${gv}?hash=${hash}` };
    return json({ paths }, { 'Cache-Control': 'no-cache, private' });
  }
  const gv = parts.slice(2).join('/');
  const entry = built.get(gv);
  if (entry === undefined) return undefined;
  const hash = query.get('hash');
  const etag = `"${entry.hash}"`;
  if (hash === null || hash === '') return json(entry.doc, { 'Cache-Control': 'no-cache, private', ETag: etag });
  if (hash !== entry.hash) {
    return { type: 'object', code: 301, body: undefined, contentType: 'text/plain', headers: { Location: `/openapi/v3/${gv}?hash=${entry.hash}`, 'Cache-Control': 'no-cache, private' } };
  }
  return json(entry.doc, { 'Cache-Control': 'public, immutable', ETag: etag, Expires: new Date(Date.now() + 365 * 24 * 3600 * 1000).toUTCString() });
}
