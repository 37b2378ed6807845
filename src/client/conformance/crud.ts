// Create, get, update, patch and delete of configmaps, and the errors that
// come back as ApiErrors with upstream's reasons, codes and messages.
import type { Test } from 'tap';
import { isStatus } from '../../machinery/index.js';
import { configMap, expectApiError, scenario, type OpenTransport } from './harness.js';

export function crudSuite(t: Test, open: OpenTransport): void {
  scenario(t, 'create stores the object and leaves the caller’s copy alone', open, async (ctx) => {
    const { t, client } = ctx;
    const input = configMap(ctx, 'a', { k: 'v' });
    const before = structuredClone(input);
    const created = await client.configMaps.create(input);
    t.same(input, before, 'the object passed in is unchanged');
    t.equal(created.metadata?.name, input.metadata?.name);
    t.equal(created.metadata?.namespace, 'default');
    t.same(created.data, { k: 'v' });
    t.match(created.metadata?.uid, /^[0-9a-f-]{36}$/);
    t.match(created.metadata?.resourceVersion, /^\d+$/);
    t.match(created.metadata?.creationTimestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const got = await client.configMaps.get(created.metadata!.name!, 'default');
    t.same(got, created, 'get returns what create returned');
  });

  scenario(t, 'update and merge patch change the object and its resourceVersion', open, async (ctx) => {
    const { t, client } = ctx;
    const created = await client.configMaps.create(configMap(ctx, 'b', { a: '1' }));
    const name = created.metadata!.name!;
    const updated = await client.configMaps.update({ ...created, data: { a: '2', b: '3' } });
    t.same(updated.data, { a: '2', b: '3' });
    t.not(updated.metadata?.resourceVersion, created.metadata?.resourceVersion, 'a new resourceVersion');
    const patched = await client.configMaps.patch(name, { data: { b: null, c: '4' } }, { namespace: 'default' });
    t.same(patched.data, { a: '2', c: '4' }, 'null removes a key, other keys merge');
    t.equal(patched.metadata?.uid, created.metadata?.uid);
    const dry = await client.configMaps.patch(name, { data: { d: '5' } }, { namespace: 'default', dryRun: true });
    t.same(dry.data, { a: '2', c: '4', d: '5' }, 'dry run answers with the result');
    t.same((await client.configMaps.get(name, 'default')).data, { a: '2', c: '4' }, 'dry run persists nothing');
  });

  scenario(t, 'delete answers a Success Status and the object is gone', open, async (ctx) => {
    const { t, client } = ctx;
    const created = await client.configMaps.create(configMap(ctx, 'c'));
    const name = created.metadata!.name!;
    const answer = await client.configMaps.delete(name, { namespace: 'default' });
    t.ok(isStatus(answer), 'a Status');
    if (isStatus(answer)) {
      t.equal(answer.status, 'Success');
      t.equal(answer.details?.name, name);
    }
    const err = await expectApiError(t, client.configMaps.get(name, 'default'), 'NotFound', 404);
    t.equal(err?.message, `configmaps "${name}" not found`);
  });

  scenario(t, 'AlreadyExists and NotFound are ApiErrors with upstream messages', open, async (ctx) => {
    const { t, client } = ctx;
    const cm = configMap(ctx, 'd');
    await client.configMaps.create(cm);
    const exists = await expectApiError(t, client.configMaps.create(cm), 'AlreadyExists', 409);
    t.equal(exists?.message, `configmaps "${cm.metadata!.name!}" already exists`);
    await expectApiError(t, client.configMaps.delete(`${ctx.id}-missing`, { namespace: 'default' }), 'NotFound', 404);
    await expectApiError(t, client.configMaps.patch(`${ctx.id}-missing`, { data: {} }, { namespace: 'default' }), 'NotFound', 404);
  });

  scenario(t, 'a stale resourceVersion is a Conflict', open, async (ctx) => {
    const { t, client } = ctx;
    const created = await client.configMaps.create(configMap(ctx, 'e', { n: '0' }));
    await client.configMaps.update({ ...created, data: { n: '1' } });
    const err = await expectApiError(t, client.configMaps.update({ ...created, data: { n: '2' } }), 'Conflict', 409);
    t.equal(
      err?.message,
      `Operation cannot be fulfilled on configmaps "${created.metadata!.name!}": the object has been modified; please apply your changes to the latest version and try again`,
    );
    const stale = { resourceVersion: created.metadata!.resourceVersion! };
    await expectApiError(t, client.configMaps.delete(created.metadata!.name!, { namespace: 'default', preconditions: stale }), 'Conflict', 409);
    t.same((await client.configMaps.get(created.metadata!.name!, 'default')).data, { n: '1' }, 'the object survives');
  });

  scenario(t, 'raw requests: 2xx bodies decoded, other answers thrown as ApiErrors', open, async (ctx) => {
    const { t, transport } = ctx;
    const version = await transport.request({ method: 'GET', path: '/version' });
    t.equal(version.code, 200);
    t.match(version.body, { major: '1', minor: '32' });
    await expectApiError(t, transport.request({ method: 'GET', path: '/api/v1/namespaces/default/nothings' }), 'NotFound', 404);
    await expectApiError(
      t,
      transport.request({ method: 'POST', path: '/api/v1/namespaces/default/configmaps', body: { kind: 'ConfigMap', apiVersion: 'v1', metadata: {} } }),
      'Invalid',
      422,
    );
  });

  scenario(t, 'deleteCollection removes what the selector picks', open, async (ctx) => {
    const { t, client } = ctx;
    for (const n of ['f1', 'f2', 'f3']) await client.configMaps.create(configMap(ctx, n, {}, { pick: n === 'f3' ? 'no' : 'yes' }));
    await client.configMaps.deleteCollection({ namespace: 'default', labelSelector: `suite=${ctx.id},pick=yes` });
    const left = await client.configMaps.list({ namespace: 'default', labelSelector: `suite=${ctx.id}` });
    t.same(left.items.map((i) => i.metadata?.name), [`${ctx.id}-f3`]);
  });
}
