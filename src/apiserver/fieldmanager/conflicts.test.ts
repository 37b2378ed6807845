import t from 'tap';
import { conflictError, printManager } from './conflicts.js';

const csa = '{"manager":"kubectl-client-side-apply","operation":"Update","apiVersion":"apps/v1"}';
const scale = '{"manager":"kubectl","operation":"Update","apiVersion":"apps/v1","subresource":"scale"}';

t.test('managers print as upstream names them', async (t) => {
  t.equal(printManager(csa), '"kubectl-client-side-apply" using apps/v1');
  t.equal(printManager(scale), '"kubectl" with subresource "scale" using apps/v1');
  t.equal(printManager('{"manager":"ci","operation":"Apply"}'), '"ci"');
  t.equal(printManager('not json'), '"not json"');
});

t.test('one conflict', async (t) => {
  const err = conflictError([{ manager: csa, path: ['f:spec', 'f:replicas'] }]);
  t.equal(err.code, 409);
  t.match(err.status, {
    reason: 'Conflict',
    message: 'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas',
    details: { causes: [{ reason: 'FieldManagerConflict', message: 'conflict with "kubectl-client-side-apply" using apps/v1', field: '.spec.replicas' }] },
  });
});

t.test('several conflicts are grouped by manager', async (t) => {
  const err = conflictError([
    { manager: scale, path: ['f:spec', 'f:replicas'] },
    { manager: csa, path: ['f:spec', 'f:paused'] },
    { manager: csa, path: ['f:metadata', 'f:labels', 'f:app'] },
  ]);
  t.equal(
    err.status.message,
    'Apply failed with 3 conflicts: conflicts with "kubectl" with subresource "scale" using apps/v1:\n- .spec.replicas\nconflicts with "kubectl-client-side-apply" using apps/v1:\n- .spec.paused\n- .metadata.labels.app',
  );
  t.equal(err.status.details?.causes?.length, 3);
});
