import t from 'tap';
import type { storagev1 } from '../../api/types.js';
import { pickDefaultClass } from './defaultstorageclass.js';

const sc = (name: string, created: string, annotations: Record<string, string> = {}): storagev1.StorageClass => ({
  metadata: { name, creationTimestamp: created, annotations },
  provisioner: 'p',
});

t.test('the default class: annotated true (GA or beta), newest first, then by name', async (t) => {
  const isDefault = { 'storageclass.kubernetes.io/is-default-class': 'true' };
  t.equal(pickDefaultClass([sc('a', '2026-01-01T00:00:00Z'), sc('b', '2026-01-01T00:00:00Z', { 'storageclass.kubernetes.io/is-default-class': 'false' })]), undefined);
  t.equal(pickDefaultClass([sc('old', '2026-01-01T00:00:00Z', isDefault), sc('new', '2026-02-01T00:00:00Z', isDefault), sc('plain', '2026-03-01T00:00:00Z')])?.metadata?.name, 'new');
  t.equal(pickDefaultClass([sc('y', '2026-01-01T00:00:00Z', isDefault), sc('x', '2026-01-01T00:00:00Z', isDefault)])?.metadata?.name, 'x');
  t.equal(pickDefaultClass([sc('beta', '2026-01-01T00:00:00Z', { 'storageclass.beta.kubernetes.io/is-default-class': 'true' })])?.metadata?.name, 'beta');
});
