import t from 'tap';
import { fieldErrorMessage } from '../../machinery/index.js';
import { configmaps, deployment, deployments, json } from './testing.fixture.js';
import { validateManagedFields } from './validate.js';

t.test('writes through the main resource of a kind with status do not own status; status writes own only status', async (t) => {
  t.same(json(deployments.ignored('', {})), { 'f:status': {} });
  t.same(json(configmaps.ignored('', {})), {}, 'a kind without a status subresource');
  t.same(json(deployments.ignored('status', { metadata: {}, spec: {}, status: {} })), { 'f:metadata': {}, 'f:spec': {} });
});

t.test('a create compares with the empty structs of a Go zero value', async (t) => {
  t.same(deployments.zero(deployment(1)), { metadata: {}, spec: { template: { metadata: {}, spec: {} } } });
  t.same(configmaps.zero({ metadata: { name: 'x' }, data: { a: '1' } }), { metadata: {} }, 'maps are not structs');
});

t.test('stored entries are validated as upstream validates ObjectMeta', async (t) => {
  const entry = { manager: 'ok', operation: 'Update' as const, apiVersion: 'v1', fieldsType: 'FieldsV1' as const, fieldsV1: {} };
  t.same(validateManagedFields([entry]), []);
  t.same(
    validateManagedFields([{ ...entry, manager: 'm'.repeat(129), subresource: 's'.repeat(257) }]).map(fieldErrorMessage),
    ['metadata.managedFields[0].manager: Too long: may not be more than 128 bytes', 'metadata.managedFields[0].subresource: Too long: may not be more than 256 bytes'],
  );
});
