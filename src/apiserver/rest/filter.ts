// The label and field selectors of a list, watch or deletecollection,
// checked against the fields the resource can select on.
import type { StoredObject } from '../../api/types.js';
import {
  labelSelectorEverything,
  parseFieldSelector,
  parseLabelSelector,
  unsupportedField,
  type FieldMatcher,
  type LabelMatcher,
} from '../../machinery/index.js';
import type { ResourceContext } from './context.js';

export interface ObjectFilter {
  labels: LabelMatcher;
  fields: FieldMatcher;
  /** True when the filter selects everything (pages need no over-reading). */
  everything: boolean;
  matches(obj: StoredObject): boolean;
}

export function objectFilter(ctx: ResourceContext, query: URLSearchParams, name = ''): ObjectFilter {
  const labelText = query.get('labelSelector') ?? '';
  const labels = labelText === '' ? labelSelectorEverything : parseLabelSelector(labelText);
  let fieldText = query.get('fieldSelector') ?? '';
  if (name !== '') fieldText = fieldText === '' ? `metadata.name=${name}` : `${fieldText},metadata.name=${name}`;
  const fields = parseFieldSelector(fieldText);
  const readers = ctx.def.selectableFields;
  for (const term of fields.terms) {
    if (term.field !== 'metadata.name' && term.field !== 'metadata.namespace' && !(term.field in readers)) {
      throw unsupportedField(term.field);
    }
  }
  const used = [...new Set(fields.terms.map((t) => t.field))];
  const everything = labels.isEverything() && fields.isEverything();
  return {
    labels,
    fields,
    everything,
    matches(obj) {
      if (everything) return true;
      if (!labels.matches(obj.metadata.labels)) return false;
      if (fields.isEverything()) return true;
      const values: Record<string, string> = {};
      for (const f of used) {
        if (f === 'metadata.name') values[f] = obj.metadata.name ?? '';
        else if (f === 'metadata.namespace') values[f] = obj.metadata.namespace ?? '';
        else values[f] = readers[f]?.(obj) ?? '';
      }
      return fields.matches(values);
    },
  };
}
