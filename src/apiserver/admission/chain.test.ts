import t from 'tap';
import { admissionPlugins, mutate, validate } from './chain.js';
import { admissionContext, attributes, pod } from './testing.fixture.js';
import type { AdmissionPlugin } from './types.js';

t.test('plugins run in upstream order, ResourceQuota last', async (t) => {
  const names = admissionPlugins.map((p) => p.name);
  t.ok(names.indexOf('LimitRanger') < names.indexOf('Priority'));
  t.ok(names.indexOf('Priority') < names.indexOf('DefaultTolerationSeconds'));
  t.equal(names.at(-1), 'ResourceQuota');
});

t.test('mutate runs every admit in order, validate every validate, and a refusal stops the chain', async (t) => {
  const seen: string[] = [];
  const plugin = (name: string, refuse = false): AdmissionPlugin => ({
    name,
    admit: async () => void seen.push(`admit ${name}`),
    validate: async () => {
      seen.push(`validate ${name}`);
      if (refuse) throw new Error(`${name} refused`);
    },
  });
  const ctx = await admissionContext();
  const plugins = [plugin('a'), plugin('b', true), plugin('c')];
  await mutate(ctx, attributes('pods', pod('p')), plugins);
  await t.rejects(validate(ctx, attributes('pods', pod('p')), plugins), /b refused/);
  t.same(seen, ['admit a', 'admit b', 'admit c', 'validate a', 'validate b']);
});
