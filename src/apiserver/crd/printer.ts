// Table output of a custom kind from its additionalPrinterColumns: Name,
// then each column's JSONPath value (dates as ages); a version without
// columns shows Age. A path that selects nothing prints as <none> (null).
import { age } from '../../api/printers/age.js';
import type { ColumnDefinition, Printer } from '../../api/registry/types.js';
import type { KubeObject } from '../../api/types.js';
import { evaluate, parseJsonPath, type Step } from './jsonpath.js';
import type { CustomResourceColumn } from './types.js';

const nameColumn: ColumnDefinition = {
  name: 'Name',
  type: 'string',
  format: 'name',
  description: 'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names',
  priority: 0,
};

const ageColumn: CustomResourceColumn = { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' };

function cell(column: CustomResourceColumn, steps: readonly Step[], obj: KubeObject, now: Date): unknown {
  const found = evaluate(steps, obj);
  if (found.length === 0) return null;
  if (column.type === 'date') return age(found[0], now);
  if (found.length === 1) return found[0];
  return found.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(' ');
}

export function columnPrinter(declared: readonly CustomResourceColumn[] | undefined): Printer {
  const columns = declared !== undefined && declared.length > 0 ? declared : [ageColumn];
  const parsed = columns.map((c) => parseJsonPath(c.jsonPath) ?? []);
  return {
    columns: [
      nameColumn,
      ...columns.map((c): ColumnDefinition => ({
        name: c.name,
        type: c.type as ColumnDefinition['type'],
        format: c.format ?? '',
        description: c.description ?? '',
        priority: c.priority ?? 0,
      })),
    ],
    cells: (obj, now) => [obj.metadata?.name ?? '', ...columns.map((c, i) => cell(c, parsed[i] ?? [], obj, now))],
  };
}
