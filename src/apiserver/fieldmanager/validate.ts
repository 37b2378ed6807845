// Upstream's ValidateManagedFields, run on what an object will carry:
// entries that decode can still name a manager or subresource that is too
// long or unprintable, which makes the write 422 Invalid.
import { fieldInvalid, fieldTooLong, type FieldError } from '../../machinery/index.js';
import type { ManagedFieldsEntry } from './managed.js';
import { validateFieldManager } from './manager.js';

const maxSubresourceLength = 256;

export function validateManagedFields(entries: readonly ManagedFieldsEntry[], path = 'metadata.managedFields'): FieldError[] {
  const errors: FieldError[] = [];
  entries.forEach((entry, i) => {
    const at = `${path}[${i}]`;
    if (entry.operation !== 'Apply' && entry.operation !== 'Update') errors.push(fieldInvalid(`${at}.operation`, entry.operation, 'must be `Apply` or `Update`'));
    if (entry.fieldsType !== 'FieldsV1') errors.push(fieldInvalid(`${at}.fieldsType`, entry.fieldsType, 'must be `FieldsV1`'));
    errors.push(...validateFieldManager(entry.manager ?? '', `${at}.manager`));
    if (Buffer.byteLength(entry.subresource ?? '') > maxSubresourceLength) errors.push(fieldTooLong(`${at}.subresource`, maxSubresourceLength));
  });
  return errors;
}
