// Shared by the unit tests: the field management of built-in resources,
// field sets written as FieldsV1, and small objects.
import { builtinResources } from '../../api/resources/index.js';
import type { ResourceDefinition } from '../../api/registry/types.js';
import { FieldSet } from './fieldset.js';
import { fromFieldsV1, toFieldsV1, type FieldsV1 } from './fieldsv1.js';
import { kindFields, type KindFields } from './kind.js';

export function resource(group: string, name: string): ResourceDefinition {
  const def = builtinResources.find((d) => d.group === group && d.resource === name);
  if (!def) throw new Error(`no resource ${group}/${name}`);
  return def;
}

export const deployments: KindFields = kindFields(resource('apps', 'deployments'));
export const configmaps: KindFields = kindFields(resource('', 'configmaps'));
export const pods: KindFields = kindFields(resource('', 'pods'));

export function fields(json: FieldsV1): FieldSet {
  return fromFieldsV1(json);
}

export function json(set: FieldSet): FieldsV1 {
  return toFieldsV1(set);
}

export function deployment(replicas: number, image = 'nginx:1.27', extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image, ports: [{ containerPort: 80 }] }] } },
      ...extra,
    },
  };
}

export const at = '2025-01-01T00:00:00Z';
export const later = '2025-01-01T00:01:00Z';
