// Column definitions and the printer constructor every printer file uses.
// Columns follow upstream's names, types and priorities exactly (kubectl
// shows names upper-cased and hides priority > 0 unless `-o wide`); the
// descriptions are short summaries of the fields they show.
import type { KubeObject } from '../object.js';
import type { ColumnDefinition, Printer } from '../registry/types.js';

type ColumnType = ColumnDefinition['type'];

/** A column; `wide` columns (priority 1) appear only with `-o wide`. */
export function column(name: string, type: ColumnType, description: string, wide = false): ColumnDefinition {
  return { name, type, format: '', description, priority: wide ? 1 : 0 };
}

/** The object name column; format `name` tells kubectl where to prefix `kind/` when it shows kinds. */
export const nameColumn: ColumnDefinition = {
  name: 'Name',
  type: 'string',
  format: 'name',
  description: 'Name must be unique within a namespace; it identifies the object in URLs and references.',
  priority: 0,
};

/** The Age column: time since metadata.creationTimestamp. */
export const ageColumn: ColumnDefinition = column(
  'Age',
  'string',
  'CreationTimestamp is the time this object was created, shown as the time elapsed since then.',
);

/** The Containers and Images columns a pod-template owner shows under `-o wide`. */
export const containersColumn = column('Containers', 'string', 'Names of each container in the template.', true);
export const imagesColumn = column('Images', 'string', 'Images referenced by each container in the template.', true);

/**
 * A Printer for objects of type T. The registry files each printer under
 * the group-resource it serves, so the object handed to `cells` is of that
 * kind; its fields are still read defensively since a stored object may be
 * malformed. `cells` returns every column, wide ones included: the server
 * always sends all columns and kubectl hides the wide ones.
 */
export function definePrinter<T>(columns: readonly ColumnDefinition[], cells: (obj: T, now: Date) => unknown[]): Printer {
  return { columns, cells: (obj: KubeObject, now: Date) => cells(obj as T, now) };
}
