import t from 'tap';
import type { KubeObject } from '../../api/types.js';
import { listMetaOf, toPartialObjectMetadata, toPartialObjectMetadataList } from './partial.js';

const pod: KubeObject = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', namespace: 'default', uid: 'u1', resourceVersion: '42', labels: { app: 'web' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-1', uid: 'u0' }] },
  spec: { containers: [{ name: 'app', image: 'nginx' }] },
};

t.test('PartialObjectMetadata keeps all metadata and nothing else', async (t) => {
  t.same(toPartialObjectMetadata(pod), { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: pod.metadata });
  t.equal(toPartialObjectMetadata(pod, 'v1beta1').apiVersion, 'meta.k8s.io/v1beta1');
  t.same(toPartialObjectMetadata({}).metadata, {}, 'an object without metadata');
});

t.test('PartialObjectMetadataList carries list metadata', async (t) => {
  const list = toPartialObjectMetadataList([pod, pod], { resourceVersion: '100', continue: 'tok', remainingItemCount: 3 });
  t.equal(list.kind, 'PartialObjectMetadataList');
  t.equal(list.apiVersion, 'meta.k8s.io/v1');
  t.same(list.metadata, { resourceVersion: '100', continue: 'tok', remainingItemCount: 3 });
  t.equal(list.items.length, 2);
  t.same(list.items[0], { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: pod.metadata });
  t.same(toPartialObjectMetadataList([]), { kind: 'PartialObjectMetadataList', apiVersion: 'meta.k8s.io/v1', metadata: {}, items: [] });
});

t.test('listMetaOf leaves unset fields out', async (t) => {
  t.same(listMetaOf(undefined), {});
  t.same(listMetaOf({ resourceVersion: '', continue: '' }), {});
  t.same(listMetaOf({ remainingItemCount: 0 }), { remainingItemCount: 0 });
});
