import t from 'tap';
import { ApiError } from '../../machinery/index.js';
import { recordApply, type ApplyOrigin } from './apply.js';
import { lastAppliedAnnotation } from './lastapplied.js';
import type { ManagedFieldsEntry } from './managed.js';
import { at, configmaps, deployment, deployments, later } from './testing.fixture.js';
import { recordUpdate } from './update.js';

type Obj = Record<string, unknown> & { metadata: Record<string, unknown> };
const managedOf = (obj: Record<string, unknown>) => ((obj.metadata as Obj['metadata']).managedFields ?? []) as ManagedFieldsEntry[];
const origin = (manager: string, extra: Partial<ApplyOrigin> = {}): ApplyOrigin => ({ manager, subresource: '', time: at, force: false, ...extra });
const cm = (data: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', ...extra }, data });
/** What the store gives back: the object with server metadata. */
const stored = (obj: Record<string, unknown>): Obj => ({ ...obj, metadata: { ...(obj.metadata as object), namespace: 'default', uid: 'u', resourceVersion: '1' } });

function conflictOf(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  throw new Error('expected a conflict');
}

t.test('an apply that creates owns exactly the applied fields', async (t) => {
  const created = recordApply(configmaps, undefined, cm({ a: '1' }), origin('ci'));
  t.same(created.data, { a: '1' });
  t.same(managedOf(created), [{ manager: 'ci', operation: 'Apply', apiVersion: 'v1', time: at, fieldsType: 'FieldsV1', fieldsV1: { 'f:data': { 'f:a': {} } } }]);
});

t.test('applying the same configuration again changes nothing', async (t) => {
  const live = stored(recordApply(deployments, undefined, deployment(2), origin('kubectl')));
  const again = recordApply(deployments, live, deployment(2), origin('kubectl', { time: later }));
  t.same(again, live, 'same object, same entries, same time');
});

t.test('fields another manager owns conflict unless forced', async (t) => {
  const created = stored(recordUpdate(deployments, undefined, deployment(2), { manager: 'kubectl-client-side-apply', subresource: '', time: at }));
  const err = conflictOf(() => recordApply(deployments, created, deployment(3), origin('ci')));
  t.equal(err.code, 409);
  t.equal(err.status.message, 'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas');
  t.same(recordApply(deployments, created, deployment(2), origin('ci')).spec, created.spec, 'the same values share ownership without conflict');
  const forced = recordApply(deployments, created, deployment(3), origin('ci', { force: true, time: later }));
  t.equal((forced.spec as { replicas: number }).replicas, 3);
  const csa = managedOf(forced).find((e) => e.manager === 'kubectl-client-side-apply');
  t.notOk('f:replicas' in ((csa?.fieldsV1['f:spec'] ?? {}) as object), 'the forced field changed hands');
  t.equal(managedOf(forced).find((e) => e.manager === 'ci')?.time, later);
});

t.test('a field the manager stops applying is removed unless another manager owns it', async (t) => {
  const first = stored(recordApply(configmaps, undefined, cm({ a: '1', b: '2', c: '3' }), origin('ci')));
  const shared = stored(recordApply(configmaps, first, cm({ c: '3' }), origin('other')));
  const next = recordApply(configmaps, shared, cm({ a: '1' }), origin('ci', { time: later }));
  t.same(next.data, { a: '1', c: '3' }, 'b went; c stays, another applier owns it');
  t.same(managedOf(next).find((e) => e.manager === 'ci')?.fieldsV1, { 'f:data': { 'f:a': {} } });
});

t.test('items of keyed lists and sets are applied and pruned one by one', async (t) => {
  const two = deployment(1);
  const spec = two.spec as { template: { spec: { containers: Record<string, unknown>[] } } };
  spec.template.spec.containers.push({ name: 'side', image: 'busybox' });
  const live = stored(recordApply(deployments, undefined, two, origin('ci')));
  const next = recordApply(deployments, live, deployment(1), origin('ci'));
  const containers = (next.spec as typeof spec).template.spec.containers;
  t.same(containers.map((c) => c.name), ['web']);
  const withFinalizer = stored(recordApply(configmaps, undefined, cm({}, { finalizers: ['a', 'b'] }), origin('ci')));
  t.same((recordApply(configmaps, withFinalizer, cm({}, { finalizers: ['b'] }), origin('ci')).metadata as Obj['metadata']).finalizers, ['b']);
});

t.test('kubectl taking over from client-side apply: unchanged last-applied fields do not conflict', async (t) => {
  const config = deployment(2);
  const annotated = { ...config, metadata: { ...(config.metadata as object), annotations: { [lastAppliedAnnotation]: JSON.stringify(config) } } };
  const live = stored(recordUpdate(deployments, undefined, annotated, { manager: 'kubectl-client-side-apply', subresource: '', time: at }));
  const applied = recordApply(deployments, live, deployment(3), origin('kubectl'));
  t.equal((applied.spec as { replicas: number }).replicas, 3);
  const annotation = ((applied.metadata as Obj['metadata']).annotations as Record<string, string>)[lastAppliedAnnotation] ?? '';
  t.match(JSON.parse(annotation), { spec: { replicas: 3 } }, 'the annotation follows the apply');
  t.ok(annotation.endsWith('\n'));
  const scaled = stored(recordUpdate(deployments, live, { ...live, spec: { ...(live.spec as object), replicas: 5 } }, { manager: 'kubectl', subresource: 'scale', time: later }));
  const err = conflictOf(() => recordApply(deployments, scaled, deployment(3), origin('kubectl')));
  t.equal(err.status.message, 'Apply failed with 1 conflict: conflict with "kubectl" with subresource "scale" using apps/v1: .spec.replicas');
});

t.test('status is not owned through the main resource, and applying it changes nothing', async (t) => {
  const created = recordApply(deployments, undefined, { ...deployment(1), status: { replicas: 4 } }, origin('ci'));
  t.notOk('f:status' in (managedOf(created)[0]?.fieldsV1 ?? {}));
  const live = stored({ ...created, status: {} });
  t.same(recordApply(deployments, live, { ...deployment(1), status: { replicas: 4 } }, origin('ci', { time: later })), live);
});
