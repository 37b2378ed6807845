// Query options shared by write verbs: dryRun, fieldManager and (apply
// patches) force, validated as upstream does. A bad fieldManager or force
// is 422 Invalid on the verb's options kind:
//   PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch
import { badRequest, fieldErrorMessage, fieldForbidden, fieldNotSupported, fieldRequired, invalid, type FieldError } from '../../machinery/index.js';
import { validateFieldManager } from '../fieldmanager/index.js';

export type OptionsKind = 'CreateOptions' | 'UpdateOptions' | 'PatchOptions';

export interface WriteOptions {
  dryRun: boolean;
  fieldManager: string | undefined;
  /** Apply patches: take fields other managers own. */
  force: boolean;
}

const trueValues = ['1', 't', 'T', 'TRUE', 'true', 'True'];
const falseValues = ['0', 'f', 'F', 'FALSE', 'false', 'False'];

/** A boolean query parameter as Go's strconv.ParseBool reads it. */
function boolParam(query: URLSearchParams, name: string): boolean {
  const value = query.get(name);
  if (value === null || value === '') return false;
  if (trueValues.includes(value)) return true;
  if (falseValues.includes(value)) return false;
  throw badRequest(`strconv.ParseBool: parsing ${JSON.stringify(value)}: invalid syntax`);
}

/** The options of a write; `apply` marks a server-side apply patch (fieldManager required, force allowed). */
export function writeOptions(query: URLSearchParams, kind: OptionsKind = 'CreateOptions', apply = false): WriteOptions {
  const dryRun = query.getAll('dryRun');
  for (const value of dryRun) {
    if (value !== 'All') throw badRequest(fieldErrorMessage(fieldNotSupported('dryRun', value, ['All'])));
  }
  const fieldManager = query.get('fieldManager') ?? undefined;
  const errors: FieldError[] = [];
  if (kind === 'PatchOptions' && !apply && query.has('force')) errors.push(fieldForbidden('force', 'may not be specified for non-apply patch'));
  if (apply && (fieldManager === undefined || fieldManager === '')) errors.push(fieldRequired('fieldManager', 'is required for apply patch'));
  if (fieldManager !== undefined) errors.push(...validateFieldManager(fieldManager, 'fieldManager'));
  if (errors.length > 0) throw invalid(`${kind}.meta.k8s.io`, '', errors);
  return { dryRun: dryRun.length > 0, fieldManager, force: apply && boolParam(query, 'force') };
}
