// Lists: paging with limit/continue over one snapshot, listAll, label and
// field selectors, and the collection resourceVersion watches resume from.
import type { Test } from 'tap';
import { configMap, expectApiError, scenario, type OpenTransport } from './harness.js';

export function listSuite(t: Test, open: OpenTransport): void {
  scenario(t, 'limit and continue page through 25 objects', open, async (ctx) => {
    const { t, client } = ctx;
    const names: string[] = [];
    for (let i = 0; i < 25; i++) {
      const created = await client.configMaps.create(configMap(ctx, `p${String(i).padStart(2, '0')}`));
      names.push(created.metadata!.name!);
    }
    const selector = { namespace: 'default', labelSelector: `suite=${ctx.id}` };
    const seen: string[] = [];
    const sizes: number[] = [];
    let token: string | undefined;
    let firstRv: string | undefined;
    do {
      const page = await client.configMaps.list({ ...selector, limit: 10, continue: token });
      sizes.push(page.items.length);
      seen.push(...page.items.map((i) => i.metadata!.name!));
      firstRv ??= page.metadata.resourceVersion;
      t.equal(page.metadata.resourceVersion, firstRv, 'every page is read at the first page’s revision');
      token = page.metadata.continue || undefined;
    } while (token !== undefined);
    t.same(sizes, [10, 10, 5]);
    t.same(seen, names, 'every object once, in key order');

    // A write between pages does not show up in the snapshot.
    const first = await client.configMaps.list({ ...selector, limit: 20 });
    await client.configMaps.create(configMap(ctx, 'p99'));
    const rest = await client.configMaps.list({ ...selector, limit: 20, continue: first.metadata.continue });
    t.equal(first.items.length + rest.items.length, 25, 'the later object is not in the snapshot');

    const all = await client.configMaps.listAll({ ...selector, limit: 7 });
    t.equal(all.items.length, 26, 'listAll follows continue to the end');
    t.notOk(all.metadata.continue, 'listAll leaves no continue token');
    t.match(all.metadata.resourceVersion, /^\d+$/);
  });

  scenario(t, 'label selectors pick by equality, sets and existence', open, async (ctx) => {
    const { t, client } = ctx;
    await client.configMaps.create(configMap(ctx, 'l1', {}, { tier: 'web' }));
    await client.configMaps.create(configMap(ctx, 'l2', {}, { tier: 'db' }));
    await client.configMaps.create(configMap(ctx, 'l3'));
    const names = async (labelSelector: string): Promise<string[]> =>
      (await client.configMaps.list({ namespace: 'default', labelSelector: `suite=${ctx.id},${labelSelector}` })).items.map((i) =>
        i.metadata!.name!.slice(ctx.id.length + 1),
      );
    t.same(await names('tier=web'), ['l1']);
    t.same(await names('tier!=web'), ['l2', 'l3']);
    t.same(await names('tier in (web,db)'), ['l1', 'l2']);
    t.same(await names('tier notin (web)'), ['l2', 'l3']);
    t.same(await names('tier'), ['l1', 'l2']);
    t.same(await names('!tier'), ['l3']);
    await expectApiError(t, client.configMaps.list({ namespace: 'default', labelSelector: 'tier in (' }), 'BadRequest', 400);
  });

  scenario(t, 'field selectors pick by name; unknown fields are refused', open, async (ctx) => {
    const { t, client } = ctx;
    await client.configMaps.create(configMap(ctx, 'f1'));
    await client.configMaps.create(configMap(ctx, 'f2'));
    const list = await client.configMaps.list({ namespace: 'default', fieldSelector: `metadata.name=${ctx.id}-f2` });
    t.same(list.items.map((i) => i.metadata?.name), [`${ctx.id}-f2`]);
    await expectApiError(t, client.configMaps.list({ namespace: 'default', fieldSelector: 'spec.nothing=x' }), 'BadRequest', 400);
  });

  scenario(t, 'a list across all namespaces includes the default namespace', open, async (ctx) => {
    const { t, client } = ctx;
    await client.configMaps.create(configMap(ctx, 'n1'));
    const list = await client.configMaps.list({ labelSelector: `suite=${ctx.id}` });
    t.same(list.items.map((i) => `${i.metadata?.namespace}/${i.metadata?.name}`), [`default/${ctx.id}-n1`]);
    t.equal(list.kind, 'ConfigMapList');
    t.equal(list.apiVersion, 'v1');
  });
}
