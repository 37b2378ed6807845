// Noticing what happens in the runtime (upstream's PLEG): the runtime's
// sandboxes and containers are listed every second and a pod whose records
// changed state (a container exited, a sandbox died) is synced.
import type { ContainerRuntime } from '../cri/runtime.js';
import { podUidOf } from './labels.js';

export class Relister {
  /** State and pod uid of every record at the last list, by id. */
  private last = new Map<string, string>();
  private lastUids = new Map<string, string>();

  constructor(
    private readonly runtime: ContainerRuntime,
    private readonly onChange: (uid: string) => void,
  ) {}

  /** Lists once; calls onChange for each pod whose records changed since the last list. Returns the live container ids. */
  async relist(): Promise<Set<string>> {
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
    const changed = new Set<string>();
    for (const [id, state] of now) if (this.last.get(id) !== state) changed.add(uids.get(id) ?? '');
    for (const id of this.last.keys()) if (!now.has(id)) changed.add(this.lastUids.get(id) ?? '');
    this.last = now;
    this.lastUids = uids;
    for (const uid of changed) if (uid) this.onChange(uid);
    return ids;
  }
}
