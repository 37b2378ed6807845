// The columns of a kind without a printer of its own: Name and Age.
// Upstream's generic default is Name plus a "Created At" date cell holding
// the raw timestamp, which kubectl prints verbatim; this one follows the
// custom-resource convention instead: an Age column of type date whose
// cell is already the human duration, so kubectl shows NAME and AGE.
import type { KubeObject } from '../object.js';
import type { ColumnDefinition, Printer } from '../registry/types.js';
import { age } from './age.js';
import { nameColumn } from './columns.js';
import { text } from './read.js';

const ageDateColumn: ColumnDefinition = {
  name: 'Age',
  type: 'date',
  format: '',
  description: 'CreationTimestamp is the time this object was created, shown as the time elapsed since then.',
  priority: 0,
};

export const defaultPrinter: Printer = {
  columns: [nameColumn, ageDateColumn],
  cells: (obj: KubeObject, now: Date) => [text(obj.metadata?.name), age(obj.metadata?.creationTimestamp, now)],
};
