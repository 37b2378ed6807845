// Decoded objects of recent store events, shared by every watcher: each
// change is parsed once however many watches see it. Objects handed out
// are shared and must not be modified.
import type { StoredObject } from '../../api/types.js';
import type { KeyValue } from '../../store/types.js';
import { decodeObject } from '../storage/codec.js';

export class DecodedObjects {
  private readonly entries = new Map<string, StoredObject>();

  constructor(private readonly capacity = 4096) {}

  get(kv: KeyValue, revision = kv.modRevision): StoredObject {
    const id = `${revision}\u0000${kv.modRevision}\u0000${kv.key.toString('latin1')}`;
    const hit = this.entries.get(id);
    if (hit) return hit;
    const obj = decodeObject(kv, revision);
    this.entries.set(id, obj);
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    return obj;
  }
}
