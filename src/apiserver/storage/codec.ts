// Objects are stored as JSON without metadata.resourceVersion: the store's
// mod revision is the resourceVersion, set on every read (as upstream's etcd3
// storage does), so a stored value never disagrees with its revision.
import type { StoredObject } from '../../api/types.js';
import type { KeyValue } from '../../store/types.js';

export function encodeObject(obj: StoredObject): Buffer {
  const { resourceVersion: _rv, ...metadata } = obj.metadata;
  return Buffer.from(JSON.stringify({ ...obj, metadata }));
}

export function decodeObject(kv: Pick<KeyValue, 'value' | 'modRevision'>, revision = kv.modRevision): StoredObject {
  const obj = JSON.parse(kv.value.toString('utf8')) as StoredObject;
  obj.metadata = { ...obj.metadata, resourceVersion: String(revision) };
  return obj;
}
