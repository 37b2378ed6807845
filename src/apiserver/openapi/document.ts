// Builds the OpenAPI documents: one v3 document per served group-version
// (its paths and the transitive closure of the schemas they reference), and
// the single Swagger 2.0 document of the whole API (swagger.ts converts).
import type { ResourceDefinition } from '../../api/registry/types.js';
import { kubernetesVersion } from '../version.js';
import type { DefinitionIndex } from './definitions.js';
import { resourcePaths, type Paths } from './operations.js';
import { referencedNames, type Definitions, type Schema } from './schema.js';

export interface V3Document {
  openapi: '3.0.0';
  info: { title: string; version: string };
  paths: Paths;
  components: {
    schemas: Record<string, Schema>;
    securitySchemes: Record<string, { type: 'apiKey'; name: string; in: 'header'; description: string }>;
  };
  security: Record<string, string[]>[];
}

export const apiInfo = { title: 'Kubernetes', version: `v${kubernetesVersion.major}.${kubernetesVersion.minor}.${kubernetesVersion.patch}` };

/** `api/v1` for the core group, `apis/<group>/<version>` otherwise: the path below /openapi/v3/. */
export function groupVersionPath(group: string, version: string): string {
  return group === '' ? `api/${version}` : `apis/${group}/${version}`;
}

/**
 * The definitions `roots` reference, directly or through one another, sorted
 * by name so a document's bytes depend only on what it describes.
 */
export function schemaClosure(defs: Definitions, roots: unknown): Record<string, Schema> {
  const pending = [...referencedNames(roots)];
  const found = new Set<string>();
  while (pending.length > 0) {
    const name = pending.pop();
    if (name === undefined || found.has(name)) continue;
    const schema = defs[name];
    if (schema === undefined) continue;
    found.add(name);
    for (const next of referencedNames(schema)) if (!found.has(next)) pending.push(next);
  }
  const out: Record<string, Schema> = {};
  for (const name of [...found].sort()) {
    const schema = defs[name];
    if (schema !== undefined) out[name] = schema;
  }
  return out;
}

/** The paths of several resources, in their order. */
export function pathsOf(resources: readonly ResourceDefinition[], index: DefinitionIndex): Paths {
  const paths: Paths = {};
  for (const def of resources) Object.assign(paths, resourcePaths(def, index.nameOf));
  return paths;
}

/** The v3 document of one group-version's resources. */
export function groupVersionDocument(resources: readonly ResourceDefinition[], index: DefinitionIndex): V3Document {
  const paths = pathsOf(resources, index);
  return {
    openapi: '3.0.0',
    info: apiInfo,
    paths,
    components: {
      schemas: schemaClosure(index.definitions, paths),
      securitySchemes: {
        BearerToken: { type: 'apiKey', name: 'authorization', in: 'header', description: 'A bearer token in the Authorization header: `Bearer <token>`.' },
      },
    },
    security: [{ BearerToken: [] }],
  };
}
