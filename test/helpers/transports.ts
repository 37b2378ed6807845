// Transport wrappers for client tests: count requests, fail lists on
// demand, and drop or inject watch events, so informer behaviour under lost
// events, expired watches and failures can be provoked deterministically.
import type { ClientRequest, ClientResponse, ClientWatch, Transport, WatchEvent, WatchRequest } from '../../src/client/index.js';

export class ScriptedTransport implements Transport {
  lists = 0;
  watches = 0;
  /** While true, watch events are swallowed (as if the watch missed them). */
  dropEvents = false;
  /** Lists fail with this error while it is set and `failLists` > 0. */
  failLists = 0;
  private readonly injectors = new Set<(ev: WatchEvent) => void>();

  constructor(private readonly inner: Transport) {}

  async request(req: ClientRequest): Promise<ClientResponse> {
    if (req.method === 'GET' && isCollection(req.path)) {
      this.lists++;
      if (this.failLists > 0) {
        this.failLists--;
        throw new Error('scripted list failure');
      }
    }
    return this.inner.request(req);
  }

  watch(req: WatchRequest): ClientWatch {
    this.watches++;
    const inner = this.inner.watch(req);
    const injected: WatchEvent[] = [];
    let wake: (() => void) | undefined;
    const inject = (ev: WatchEvent): void => {
      injected.push(ev);
      wake?.();
    };
    this.injectors.add(inject);
    const self = this;
    async function* events(): AsyncGenerator<WatchEvent> {
      const it = inner[Symbol.asyncIterator]();
      let pending = it.next();
      try {
        for (;;) {
          const woken = new Promise<'wake'>((resolve) => (wake = () => resolve('wake')));
          if (injected.length > 0) {
            yield injected.shift()!;
            continue;
          }
          const next = await Promise.race([pending, woken]);
          if (next === 'wake') continue;
          if (next.done) return;
          pending = it.next();
          if (!self.dropEvents) yield next.value;
        }
      } finally {
        self.injectors.delete(inject);
        inner.close();
      }
    }
    const gen = events();
    return {
      [Symbol.asyncIterator]: () => gen,
      close: () => {
        inner.close();
        wake?.();
      },
    };
  }

  /** Delivers `ev` on every open watch. */
  inject(ev: WatchEvent): void {
    for (const fn of this.injectors) fn(ev);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

function isCollection(path: string): boolean {
  // /api/v1/namespaces/ns/configmaps or /api/v1/configmaps: an even number of segments after the group-version.
  const parts = path.split('/').filter((p) => p !== '');
  const rest = parts[0] === 'api' ? parts.slice(2) : parts.slice(3);
  return rest.length === 1 || (rest[0] === 'namespaces' && rest.length === 3);
}
