import t from 'tap';
import { capUpdateManagers } from './cap.js';
import { FieldSet } from './fieldset.js';
import { managerIdentity, type Managed } from './managed.js';

t.test('the oldest updaters beyond ten are merged into ancient-changes', async (t) => {
  const managed: Managed = new Map();
  for (let i = 0; i < 12; i++) {
    const who = { manager: `m${String(i).padStart(2, '0')}`, operation: 'Update' as const, apiVersion: 'v1', subresource: '' };
    managed.set(managerIdentity(who), { ...who, time: new Date(Date.UTC(2025, 0, 1, 0, 0, i)).toISOString().replace('.000', ''), set: FieldSet.of([[`f:f${i}`]]) });
  }
  const applier = { manager: 'kubectl', operation: 'Apply' as const, apiVersion: 'v1', subresource: '' };
  managed.set(managerIdentity(applier), { ...applier, set: FieldSet.of([['f:x']]) });
  capUpdateManagers(managed);
  const names = [...managed.values()].map((e) => e.manager).sort();
  t.equal(names.length, 11, 'ten updaters and the applier');
  t.ok(names.includes('ancient-changes'));
  t.notOk(names.includes('m00'));
  t.notOk(names.includes('m01'));
  t.notOk(names.includes('m02'));
  const bucket = [...managed.values()].find((e) => e.manager === 'ancient-changes');
  t.same(bucket?.set.paths(), [['f:f0'], ['f:f1'], ['f:f2']]);
  t.equal(bucket?.time, '2025-01-01T00:00:02Z', 'the newest merged time');
});

t.test('ten or fewer are left alone', async (t) => {
  const managed: Managed = new Map();
  const who = { manager: 'a', operation: 'Update' as const, apiVersion: 'v1', subresource: '' };
  managed.set(managerIdentity(who), { ...who, set: FieldSet.of([['f:a']]) });
  capUpdateManagers(managed);
  t.equal(managed.size, 1);
});
