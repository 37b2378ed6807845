// Query options shared by write verbs: dryRun and fieldManager, validated as
// upstream does.
import { badRequest, fieldInvalid, fieldNotSupported, fieldErrorMessage } from '../../machinery/index.js';

export interface WriteOptions {
  dryRun: boolean;
  fieldManager: string | undefined;
}

export function writeOptions(query: URLSearchParams): WriteOptions {
  const dryRun = query.getAll('dryRun');
  for (const value of dryRun) {
    if (value !== 'All') throw badRequest(fieldErrorMessage(fieldNotSupported('dryRun', value, ['All'])));
  }
  const fieldManager = query.get('fieldManager') ?? undefined;
  if (fieldManager !== undefined && (fieldManager.length > 128 || /[^\x20-\x7e]/.test(fieldManager))) {
    throw badRequest(fieldErrorMessage(fieldInvalid('fieldManager', fieldManager, 'must be less than 128 printable characters')));
  }
  return { dryRun: dryRun.length > 0, fieldManager };
}
