// Objects to a meta.k8s.io Table, as the apiserver answers `kubectl get`
// (list, single object, and each watch event as a one-row Table). The
// server always sends every column, wide ones included; kubectl hides the
// priority > 0 ones unless `-o wide`.
import { defaultPrinter } from '../../api/printers/index.js';
import type { ColumnDefinition, Printer } from '../../api/registry/types.js';
import type { KubeObject, ListMeta } from '../../api/types.js';
import type { MetaVersion } from './accept.js';
import type { IncludeObject } from './options.js';
import { listMetaOf, toPartialObjectMetadata, type ListMetaInput, type PartialObjectMetadata } from './partial.js';

export interface TableRow {
  cells: unknown[];
  /** Per includeObject: PartialObjectMetadata, the object itself, or absent. */
  object?: PartialObjectMetadata | KubeObject;
}

export interface Table {
  kind: 'Table';
  apiVersion: string;
  metadata: ListMeta;
  /** Absent with noHeaders (watch events after the first). */
  columnDefinitions?: readonly ColumnDefinition[];
  rows: TableRow[];
}

export interface TableOptions {
  includeObject: IncludeObject;
  /** Omit columnDefinitions: upstream sends them only with the first watch event. */
  noHeaders?: boolean;
  /** The time ages are computed against. */
  now: Date;
  /**
   * The list's metadata. Without it, a one-object table reports that
   * object's resourceVersion, as upstream does for a get or watch event.
   */
  listMeta?: ListMetaInput;
  /** meta.k8s.io version of the Table and its PartialObjectMetadata rows. Default v1. */
  version?: MetaVersion;
}

/**
 * The cells of one row, exactly one per column. A printer that throws on
 * a malformed object yields a row with the name and `<error>` elsewhere
 * rather than failing the whole response.
 */
function rowCells(printer: Printer, obj: KubeObject, now: Date): unknown[] {
  const width = printer.columns.length;
  let cells: unknown[];
  try {
    cells = printer.cells(obj, now);
  } catch {
    const name = typeof obj.metadata?.name === 'string' ? obj.metadata.name : '';
    cells = printer.columns.map((c) => (c.format === 'name' ? name : '<error>'));
  }
  if (cells.length === width) return cells;
  return Array.from({ length: width }, (_, i) => (i < cells.length ? cells[i] : ''));
}

function rowObject(obj: KubeObject, include: IncludeObject, version: MetaVersion): TableRow['object'] {
  if (include === 'Object') return obj;
  if (include === 'Metadata') return toPartialObjectMetadata(obj, version);
  return undefined;
}

/**
 * A Table of `objects` in the given order, one row each. Without a
 * printer the default columns (Name, Age) are used.
 */
export function toTable(printer: Printer | undefined, objects: readonly KubeObject[], opts: TableOptions): Table {
  const p = printer ?? defaultPrinter;
  const version = opts.version ?? 'v1';
  const single = objects.length === 1 ? objects[0]?.metadata?.resourceVersion : undefined;
  const metadata = listMetaOf(opts.listMeta ?? { resourceVersion: single });
  const rows = objects.map((obj): TableRow => {
    const object = rowObject(obj, opts.includeObject, version);
    const cells = rowCells(p, obj, opts.now);
    return object === undefined ? { cells } : { cells, object };
  });
  const apiVersion = `meta.k8s.io/${version}`;
  if (opts.noHeaders) return { kind: 'Table', apiVersion, metadata, rows };
  return { kind: 'Table', apiVersion, metadata, columnDefinitions: p.columns, rows };
}
