// Noticing what happens in the runtime (upstream's PLEG): the runtime's
// sandboxes and containers are listed every second and each pod whose
// records changed state (a container exited, a sandbox died) is reported
// with those changes.
import type { ContainerRuntime } from '../cri/runtime.js';
import { podUidOf } from './labels.js';

/** Records of one pod that changed since the last list: id → state now ('gone' once it disappeared). */
export type RecordChanges = ReadonlyMap<string, string>;

export class Relister {
  /** State and pod uid of every record at the last list, by id. */
  private last = new Map<string, string>();
  private lastUids = new Map<string, string>();

  constructor(
    private readonly runtime: ContainerRuntime,
    private readonly onChange: (uid: string, changes: RecordChanges) => void,
  ) {}

  /** Lists once; calls onChange for each pod whose records changed since the last list. Returns the live container ids and the uids of pods with records. */
  async relist(): Promise<{ ids: Set<string>; uids: Set<string> }> {
    const [sandboxes, containers] = await Promise.all([this.runtime.listPodSandbox(), this.runtime.listContainers()]);
    const now = new Map<string, string>();
    const uids = new Map<string, string>();
    for (const s of sandboxes) {
      const uid = podUidOf(s.labels);
      if (!uid) continue;
      now.set(s.id, s.state);
      uids.set(s.id, uid);
    }
    const ids = new Set<string>();
    for (const c of containers) {
      ids.add(c.id);
      const uid = podUidOf(c.labels);
      if (!uid) continue;
      now.set(c.id, c.state);
      uids.set(c.id, uid);
    }
    const changed = new Map<string, Map<string, string>>();
    const note = (uid: string | undefined, id: string, state: string): void => {
      if (!uid) return;
      let changes = changed.get(uid);
      if (!changes) changed.set(uid, (changes = new Map()));
      changes.set(id, state);
    };
    for (const [id, state] of now) if (this.last.get(id) !== state) note(uids.get(id), id, state);
    for (const id of this.last.keys()) if (!now.has(id)) note(this.lastUids.get(id), id, 'gone');
    this.last = now;
    this.lastUids = uids;
    for (const [uid, changes] of changed) this.onChange(uid, changes);
    return { ids, uids: new Set(uids.values()) };
  }
}
