// The registry: every served resource, looked up by URL parts or by kind.
import type { GroupVersionKind } from '../object.js';
import type { Defaulter, Printer, ResourceDefinition } from './types.js';

/** `pods`, `deployments.apps`: the key printers and defaulters are filed under. */
export function groupResource(group: string, resource: string): string {
  return group === '' ? resource : `${resource}.${group}`;
}

export interface RegistryParts {
  resources: readonly ResourceDefinition[];
  printers: Readonly<Record<string, Printer>>;
  defaulters: Readonly<Record<string, Defaulter>>;
}

export interface GroupVersions {
  group: string;
  /** Preferred first. */
  versions: string[];
}

export class Registry {
  private readonly byPath = new Map<string, ResourceDefinition>();
  private readonly byGvk = new Map<string, ResourceDefinition>();
  readonly resources: readonly ResourceDefinition[];

  constructor(parts: RegistryParts) {
    const all: ResourceDefinition[] = [];
    for (const def of parts.resources) {
      const key = groupResource(def.group, def.resource);
      const full: ResourceDefinition = {
        ...def,
        printer: def.printer ?? parts.printers[key],
        defaulter: def.defaulter ?? parts.defaulters[key],
      };
      const path = `${def.group}/${def.version}/${def.resource}`;
      if (this.byPath.has(path)) throw new Error(`resource ${path} is declared twice`);
      this.byPath.set(path, full);
      const gvk = `${def.group}/${def.version}/${def.kind}`;
      if (!this.byGvk.has(gvk)) this.byGvk.set(gvk, full);
      all.push(full);
    }
    this.resources = all;
  }

  /** The resource served at `/apis/<group>/<version>/<resource>` (core group: ''). */
  lookup(group: string, version: string, resource: string): ResourceDefinition | undefined {
    return this.byPath.get(`${group}/${version}/${resource}`);
  }

  byKind(gvk: GroupVersionKind): ResourceDefinition | undefined {
    return this.byGvk.get(`${gvk.group}/${gvk.version}/${gvk.kind}`);
  }

  /** Served groups in discovery order (core first), each with its versions, preferred first. */
  groups(): GroupVersions[] {
    const out: GroupVersions[] = [];
    for (const def of this.resources) {
      let entry = out.find((g) => g.group === def.group);
      if (!entry) out.push((entry = { group: def.group, versions: [] }));
      if (!entry.versions.includes(def.version)) entry.versions.push(def.version);
    }
    return out;
  }

  /** Resources of one group-version, in declaration order. */
  groupVersion(group: string, version: string): ResourceDefinition[] {
    return this.resources.filter((d) => d.group === group && d.version === version);
  }
}
