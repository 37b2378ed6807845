// Watches: events in order with the objects' states, the initial state
// when no resourceVersion is given, 410 Expired from a compacted revision,
// timeouts, and closing from either side.
import type { Test } from 'tap';
import type { corev1 } from '../../api/types.js';
import { configMap, evStr, expectApiError, scenario, WatchReader, type OpenTransport } from './harness.js';

export function watchSuite(t: Test, open: OpenTransport): void {
  scenario(t, 'a watch from a list’s resourceVersion sees ADDED, MODIFIED and DELETED', open, async (ctx) => {
    const { t, client } = ctx;
    const selector = { namespace: 'default', labelSelector: `suite=${ctx.id}` };
    const list = await client.configMaps.list(selector);
    const watch = new WatchReader(client.configMaps.watch({ ...selector, resourceVersion: list.metadata.resourceVersion }));
    const created = await client.configMaps.create(configMap(ctx, 'w', { n: '1' }));
    const name = created.metadata!.name!;
    const updated = await client.configMaps.update({ ...created, data: { n: '2' } });
    await client.configMaps.delete(name, { namespace: 'default' });
    const events = await watch.take(3);
    t.same(events.map(evStr), [`ADDED ${name}`, `MODIFIED ${name}`, `DELETED ${name}`]);
    t.same(events[0]?.object.data, { n: '1' });
    t.equal(events[1]?.object.metadata?.resourceVersion, updated.metadata?.resourceVersion, 'MODIFIED carries the new state');
    t.same(events[2]?.object.data, { n: '2' }, 'DELETED carries the last state');
    t.equal(await watch.next(200), 'timeout', 'nothing else');
    watch.watch.close();
    t.equal(await watch.next(), 'end', 'close ends the stream');
  });

  scenario(t, 'a watch without resourceVersion starts with the current state', open, async (ctx) => {
    const { t, client } = ctx;
    await client.configMaps.create(configMap(ctx, 'i1'));
    await client.configMaps.create(configMap(ctx, 'i2'));
    const watch = new WatchReader(client.configMaps.watch({ namespace: 'default', labelSelector: `suite=${ctx.id}` }));
    t.same((await watch.take(2)).map(evStr), [`ADDED ${ctx.id}-i1`, `ADDED ${ctx.id}-i2`]);
    await client.configMaps.create(configMap(ctx, 'i3'));
    t.same((await watch.take(1)).map(evStr), [`ADDED ${ctx.id}-i3`]);
    watch.watch.close();
  });

  scenario(t, 'a watch from a compacted revision gets ERROR 410 Expired, then ends', open, async (ctx) => {
    const { t, client } = ctx;
    const created = await client.configMaps.create(configMap(ctx, 'x', { n: '0' }));
    const oldRv = created.metadata!.resourceVersion!;
    let current = created;
    for (let i = 1; i <= 3; i++) current = await client.configMaps.update({ ...current, data: { n: String(i) } });
    await ctx.compact();
    const watch = new WatchReader(client.configMaps.watch({ namespace: 'default', resourceVersion: oldRv }));
    const first = await watch.next();
    if (typeof first === 'string') {
      t.fail(`expected an ERROR event, got ${first}`);
      return;
    }
    t.equal(first.type, 'ERROR');
    const status = first.object as unknown as { kind?: string; code?: number; reason?: string; status?: string };
    t.match(status, { kind: 'Status', status: 'Failure', code: 410, reason: 'Expired' });
    t.equal(await watch.next(), 'end', 'the stream ends after the error');
  });

  scenario(t, 'timeoutSeconds ends the stream', open, async (ctx) => {
    const { t, client } = ctx;
    const list = await client.configMaps.list({ namespace: 'default', labelSelector: `suite=${ctx.id}` });
    const watch = new WatchReader(client.configMaps.watch({ namespace: 'default', resourceVersion: list.metadata.resourceVersion, timeoutSeconds: 1 }));
    const started = Date.now();
    t.equal(await watch.next(5000), 'end');
    t.ok(Date.now() - started >= 900, 'not before the timeout');
  });

  scenario(t, 'close() settles a pending read; an aborted signal closes too', open, async (ctx) => {
    const { t, client } = ctx;
    const list = await client.configMaps.list({ namespace: 'default', labelSelector: `suite=${ctx.id}` });
    const rv = list.metadata.resourceVersion;
    const watch = client.configMaps.watch({ namespace: 'default', labelSelector: `suite=${ctx.id}`, resourceVersion: rv });
    const it = watch[Symbol.asyncIterator]();
    const pending = it.next();
    setTimeout(() => watch.close(), 50);
    t.same(await pending, { done: true, value: undefined }, 'the pending next() resolves done');
    t.same(await it.next(), { done: true, value: undefined }, 'and stays done');
    watch.close();

    const abort = new AbortController();
    const reader = new WatchReader(client.configMaps.watch({ namespace: 'default', labelSelector: `suite=${ctx.id}`, resourceVersion: rv, signal: abort.signal }));
    setTimeout(() => abort.abort(), 50);
    t.equal(await reader.next(), 'end', 'aborting the signal ends the stream');

    const closedEarly = client.configMaps.watch({ namespace: 'default', resourceVersion: rv });
    closedEarly.close();
    t.equal(await new WatchReader(closedEarly).next(), 'end', 'a watch closed before reading yields nothing');
  });

  scenario(t, 'a refused watch fails its first read with an ApiError', open, async (ctx) => {
    const { t, client } = ctx;
    const watch = client.configMaps.watch({ namespace: 'default', fieldSelector: 'spec.nothing=x' });
    await expectApiError(t, new WatchReader<corev1.ConfigMap>(watch).next(), 'BadRequest', 400);
    const missing = client.resource({ group: 'example.com', version: 'v1', resource: 'things', namespaced: true }).watch({ namespace: 'default' });
    await expectApiError(t, new WatchReader(missing).next(), 'NotFound', 404);
  });
}
