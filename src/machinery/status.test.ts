import t from 'tap';
import { failureStatus, isStatus, successStatus } from './status.js';

t.test('failureStatus leaves out empty fields and keeps upstream key order', async (t) => {
  const s = failureStatus({ code: 404, reason: 'NotFound', message: 'm', details: { name: 'x', group: '', kind: 'pods', causes: [] } });
  t.equal(JSON.stringify(s), '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"m","reason":"NotFound","details":{"name":"x","kind":"pods"},"code":404}');
  const bare = failureStatus({ code: 0, reason: '', message: '' });
  t.equal(JSON.stringify(bare), '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure"}');
  const causes = failureStatus({ code: 500, reason: 'InternalError', message: 'x', details: { causes: [{ reason: '', message: 'boom', field: '' }] } });
  t.same(causes.details, { causes: [{ message: 'boom' }] }, 'empty cause fields are dropped');
  const meta = failureStatus({ code: 410, reason: 'Expired', message: 'x', metadata: { continue: 'tok', resourceVersion: '' } });
  t.same(meta.metadata, { continue: 'tok' });
});

t.test('successStatus is what a delete without the object returns', async (t) => {
  t.equal(
    JSON.stringify(successStatus({ name: 'web', group: 'apps', kind: 'deployments', uid: 'u-1' })),
    '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Success","details":{"name":"web","group":"apps","kind":"deployments","uid":"u-1"}}',
  );
  t.equal(JSON.stringify(successStatus()), '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Success"}');
});

t.test('isStatus accepts Status shapes from the wire and rejects others', async (t) => {
  const good: unknown[] = [
    { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'm', reason: 'NotFound', details: { name: 'x', kind: 'pods' }, code: 404 },
    { kind: 'Status', apiVersion: 'meta.k8s.io/v1' },
    { kind: 'Status', apiVersion: 'v1', details: { causes: [{ reason: 'FieldValueRequired', message: 'Required value', field: 'a' }], retryAfterSeconds: 1 } },
  ];
  const bad: unknown[] = [
    null,
    'Status',
    [],
    { kind: 'Pod', apiVersion: 'v1' },
    { kind: 'Status', apiVersion: 'v2' },
    { kind: 'Status', apiVersion: 'v1', code: '404' },
    { kind: 'Status', apiVersion: 'v1', status: 'Maybe' },
    { kind: 'Status', apiVersion: 'v1', details: { causes: 'x' } },
    { kind: 'Status', apiVersion: 'v1', details: { causes: [{ field: 1 }] } },
    { kind: 'Status', apiVersion: 'v1', details: [] },
    { kind: 'Status', apiVersion: 'v1', metadata: 'x' },
  ];
  for (const v of good) t.ok(isStatus(v), JSON.stringify(v));
  for (const v of bad) t.notOk(isStatus(v), JSON.stringify(v));
});
