// Test doubles for controller tests: listers preloaded with objects (the
// "cache"), and a transport that records every API action and answers as
// the server would, without a server.
import type { appsv1, corev1 } from '../api/types.js';
import {
  Client,
  ObjectCache,
  type ClientRequest,
  type ClientResponse,
  type ClientWatch,
  type InformerHandlers,
  type ObjectLike,
  type Transport,
} from '../client/index.js';
import { notFound } from '../machinery/index.js';
import type { Lister } from './controller.js';

export class FakeLister<T extends ObjectLike> implements Lister<T> {
  readonly hasSynced = true;
  readonly cache = new ObjectCache<T>();
  readonly handlers: InformerHandlers<T>[] = [];

  constructor(objects: readonly T[] = []) {
    for (const o of objects) this.cache.set(o);
  }

  get(name: string, namespace?: string): T | undefined {
    return this.cache.get(namespace ? `${namespace}/${name}` : name);
  }

  list(namespace?: string): T[] {
    return namespace === undefined ? this.cache.list() : this.cache.byIndex('namespace', namespace);
  }

  addEventHandler(handlers: InformerHandlers<T>): () => void {
    this.handlers.push(handlers);
    return () => undefined;
  }
}

export interface RecordedAction {
  verb: 'get' | 'list' | 'create' | 'update' | 'patch' | 'delete';
  /** `pods`, `replicasets/web-1`, `replicasets/web-1/status`. */
  target: string;
  body?: unknown;
}

/** Records actions; `objects` answers GETs of single objects (by `resource/namespace/name`). */
export class RecordingTransport implements Transport {
  readonly actions: RecordedAction[] = [];
  readonly objects = new Map<string, unknown>();
  private serial = 0;

  async request(req: ClientRequest): Promise<ClientResponse> {
    const parts = req.path.split('/').filter(Boolean);
    // `namespaces/<name>/finalize|status` is the namespace itself, not a resource inside it.
    const ownSub = parts.length === 5 && parts[2] === 'namespaces' && (parts[4] === 'finalize' || parts[4] === 'status');
    const nsAt = ownSub ? -1 : parts.indexOf('namespaces');
    const rest = nsAt >= 0 && parts.length > nsAt + 2 ? parts.slice(nsAt + 2) : parts.slice(parts[0] === 'api' ? 2 : 3);
    const namespace = nsAt >= 0 ? parts[nsAt + 1] ?? '' : '';
    const [resource = '', name, sub] = rest;
    const target = [resource, name, sub].filter(Boolean).join('/');
    const verb = req.method === 'GET' ? (name ? 'get' : 'list') : req.method === 'POST' ? 'create' : req.method === 'PUT' ? 'update' : req.method === 'PATCH' ? 'patch' : 'delete';
    this.actions.push({ verb, target, body: req.body });
    if (verb === 'get') {
      const obj = this.objects.get(`${resource}/${namespace}/${name}`);
      if (obj === undefined) throw notFound(resource, name ?? '');
      return { code: 200, body: structuredClone(obj) };
    }
    if (verb === 'list') return { code: 200, body: { metadata: {}, items: [] } };
    if (verb === 'delete') return { code: 200, body: { kind: 'Status', status: 'Success' } };
    const body = structuredClone((req.body ?? {}) as ObjectLike);
    if (verb === 'create') {
      const n = ++this.serial;
      const meta = { ...body.metadata };
      if (!meta.name && meta.generateName) meta.name = `${meta.generateName}${String(n).padStart(5, 'x')}`;
      body.metadata = { ...meta, uid: meta.uid ?? `uid-${n}`, namespace: meta.namespace ?? namespace };
    }
    if (verb === 'patch') {
      const obj = this.objects.get(`${resource}/${namespace}/${name}`);
      return { code: 200, body: structuredClone(obj ?? { metadata: { name, namespace } }) };
    }
    return { code: verb === 'create' ? 201 : 200, body };
  }

  watch(): ClientWatch {
    throw new Error('the recording transport does not watch');
  }

  async close(): Promise<void> {}

  /** Actions other than event writes and reads, as `verb target`. */
  summary(): string[] {
    return this.actions.filter((a) => !a.target.startsWith('events') && a.verb !== 'get' && a.verb !== 'list').map((a) => `${a.verb} ${a.target}`);
  }

  bodies<T>(verb: RecordedAction['verb'], target: string): T[] {
    return this.actions.filter((a) => a.verb === verb && a.target === target).map((a) => a.body as T);
  }
}

export function recordingClient(): { client: Client; transport: RecordingTransport } {
  const transport = new RecordingTransport();
  return { client: new Client(transport), transport };
}

/** Records events as `type reason message`. */
export class FakeRecorder {
  readonly events: string[] = [];
  event(_obj: ObjectLike, type: string, reason: string, message: string): void {
    this.events.push(`${type} ${reason} ${message}`);
  }
}

// Builders.

export function makeReplicaSet(name: string, replicas: number, opts: { labels?: Record<string, string>; uid?: string; generation?: number; image?: string; owner?: appsv1.Deployment } = {}): appsv1.ReplicaSet {
  const labels = opts.labels ?? { app: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name,
      namespace: 'default',
      uid: opts.uid ?? `rs-${name}`,
      generation: opts.generation ?? 1,
      resourceVersion: '1',
      ...(opts.owner ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: opts.owner.metadata?.name ?? '', uid: opts.owner.metadata?.uid ?? '', controller: true }] } : {}),
    },
    spec: {
      replicas,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: opts.image ?? 'busybox' }] } },
    },
  };
}

export interface PodOpts {
  labels?: Record<string, string>;
  owner?: { metadata?: { name?: string; uid?: string } };
  node?: string;
  phase?: string;
  ready?: boolean;
  readySince?: string;
  created?: string;
  restarts?: number;
  deleting?: boolean;
}

export function makePod(name: string, opts: PodOpts = {}): corev1.Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'default',
      uid: `pod-${name}`,
      resourceVersion: '1',
      labels: opts.labels ?? {},
      creationTimestamp: opts.created ?? '2026-01-01T00:00:00Z',
      ...(opts.deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}),
      ...(opts.owner ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: opts.owner.metadata?.name ?? '', uid: opts.owner.metadata?.uid ?? '', controller: true }] } : {}),
    },
    spec: { containers: [{ name: 'c', image: 'busybox' }], ...(opts.node ? { nodeName: opts.node } : {}) },
    status: {
      phase: opts.phase ?? (opts.ready ? 'Running' : 'Pending'),
      conditions: [{ type: 'Ready', status: opts.ready ? 'True' : 'False', lastTransitionTime: opts.readySince ?? '2026-01-01T00:00:00Z' }],
      containerStatuses: [{ name: 'c', image: 'busybox', imageID: '', ready: Boolean(opts.ready), restartCount: opts.restarts ?? 0 }],
    },
  };
}
