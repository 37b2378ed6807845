// Loads the schema definitions the build generates (scripts/gen-openapi.mjs
// writes dist/openapi/definitions.json) and indexes the kinds among them.
// The file is immutable build output, so it is read once per process, on
// first use, and shared; everything built from it per registry lives in
// OpenApiDocs.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { GroupVersionKind } from '../../api/object.js';
import type { Definitions, Schema } from './schema.js';
import { supplementDefinitions } from './supplements.js';

export interface DefinitionIndex {
  /** What the definitions were generated from (`kubernetes-types 1.30.0`). */
  source: string;
  definitions: Definitions;
  /** The definition name of a kind, or undefined when no definition declares it. */
  nameOf(gvk: GroupVersionKind): string | undefined;
}

/**
 * Where the file is: beside the compiled module tree (dist/openapi, when
 * this module runs from dist/apiserver/openapi), or in the package's dist/
 * when the sources run directly (src/apiserver/openapi).
 */
const candidates = [new URL('../../openapi/definitions.json', import.meta.url), new URL('../../../dist/openapi/definitions.json', import.meta.url)];

function gvkKey(gvk: GroupVersionKind): string {
  return `${gvk.group}/${gvk.version}/${gvk.kind}`;
}

/** Builds the index over parsed definitions (exported for tests with hand-made definitions). */
export function indexDefinitions(source: string, definitions: Definitions): DefinitionIndex {
  const byGvk = new Map<string, string>();
  for (const [name, schema] of Object.entries(definitions)) {
    for (const gvk of schema['x-kubernetes-group-version-kind'] ?? []) {
      if (!byGvk.has(gvkKey(gvk))) byGvk.set(gvkKey(gvk), name);
    }
  }
  return { source, definitions, nameOf: (gvk) => byGvk.get(gvkKey(gvk)) };
}

let loaded: DefinitionIndex | null | undefined;

/** The path of the generated file, or undefined when the build has not produced it. */
export function definitionsPath(): string | undefined {
  for (const url of candidates) {
    const path = fileURLToPath(url);
    if (existsSync(path)) return path;
  }
  return undefined;
}

/**
 * The generated definitions, or undefined when the build output is
 * missing (the OpenAPI routes then answer 503; field validation is skipped).
 */
export function loadDefinitions(): DefinitionIndex | undefined {
  if (loaded !== undefined) return loaded ?? undefined;
  const path = definitionsPath();
  if (path === undefined) {
    loaded = null;
    return undefined;
  }
  const file = JSON.parse(readFileSync(path, 'utf8')) as { source?: unknown; definitions?: Record<string, Schema> };
  loaded = indexDefinitions(typeof file.source === 'string' ? file.source : 'unknown', supplementDefinitions(file.definitions ?? {}));
  return loaded;
}
