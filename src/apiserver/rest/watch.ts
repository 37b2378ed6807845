// WATCH: the current state as ADDED events when no resourceVersion (or "0")
// is given, then every change after it; selectors applied per event (an
// object leaving the selection is a DELETED, entering it an ADDED); an
// ERROR 410 when the revision was compacted; bookmarks on request;
// `timeoutSeconds` ends the stream.
import type { StoredObject } from '../../api/types.js';
import { badRequest, tooOldResourceVersion } from '../../machinery/index.js';
import { isStoreError } from '../../store/errors.js';
import type { KeyValue, Watch, WatchBatch } from '../../store/types.js';
import { listPrefix } from '../storage/keys.js';
import { apiVersionOf } from '../../api/types.js';
import type { ResourceContext } from './context.js';
import { objectFilter, type ObjectFilter } from './filter.js';
import { intParam, listObjects } from './list.js';
import { presentWatch } from './output.js';
import type { ApiRequest, ApiResponse, WatchEvent } from './types.js';

/** Upstream closes watches after min-request-timeout (1800 s) times a random factor in [1, 2). */
const defaultTimeoutSeconds = 1800;
const bookmarkIntervalMs = 60_000;

export interface WatchParams {
  namespace: string;
  filter: ObjectFilter;
  /** undefined: start with the current state. */
  fromRevision: number | undefined;
  timeoutMs: number;
  bookmarks: boolean;
  signal: AbortSignal;
}

export function watchParams(ctx: ResourceContext, req: ApiRequest, namespace: string, name: string): WatchParams {
  const filter = objectFilter(ctx, req.query, name);
  const rvText = req.query.get('resourceVersion') ?? '';
  let fromRevision: number | undefined;
  if (rvText !== '' && rvText !== '0') {
    const rv = Number(rvText);
    if (!Number.isSafeInteger(rv) || rv < 0) throw badRequest(`resourceVersion: Invalid value: "${rvText}": must be a non-negative integer`);
    fromRevision = rv;
  }
  const timeout = intParam(req.query, 'timeoutSeconds') ?? defaultTimeoutSeconds * (1 + Math.random());
  const bookmarks = req.query.get('allowWatchBookmarks') === 'true' || req.query.get('allowWatchBookmarks') === '1';
  return { namespace, filter, fromRevision, timeoutMs: timeout * 1000, bookmarks, signal: req.signal };
}

function decode(ctx: ResourceContext, kv: KeyValue, revision = kv.modRevision): StoredObject {
  return ctx.decoded.get(kv, revision);
}

/** The events one store batch means for this watcher. */
function* translate(ctx: ResourceContext, batch: WatchBatch, filter: ObjectFilter): Generator<WatchEvent> {
  for (const ev of batch.events) {
    if (ev.type === 'DELETE') {
      if (!ev.prevKv) continue;
      const obj = decode(ctx, ev.prevKv, ev.kv.modRevision);
      if (filter.matches(obj)) yield { type: 'DELETED', object: obj };
      continue;
    }
    const obj = decode(ctx, ev.kv);
    const now = filter.matches(obj);
    const before = ev.prevKv !== undefined && (filter.everything || filter.matches(decode(ctx, ev.prevKv)));
    if (now && before) yield { type: 'MODIFIED', object: obj };
    else if (now) yield { type: 'ADDED', object: obj };
    else if (before) yield { type: 'DELETED', object: obj };
  }
}

function bookmark(ctx: ResourceContext, revision: number): WatchEvent {
  return { type: 'BOOKMARK', object: { kind: ctx.def.kind, apiVersion: apiVersionOf(ctx.def.group, ctx.def.version), metadata: { resourceVersion: String(revision) } } };
}

export async function* watchEvents(ctx: ResourceContext, p: WatchParams): AsyncGenerator<WatchEvent> {
  const prefix = listPrefix(ctx.def, p.namespace);
  let initial: StoredObject[] = [];
  let revision: number;
  if (p.fromRevision === undefined) {
    const listed = await listObjects(ctx, new URLSearchParams(), p.namespace, p.filter);
    initial = listed.items;
    revision = listed.revision;
  } else {
    revision = p.fromRevision;
  }
  let w: Watch;
  try {
    w = ctx.store.watch(prefix, revision + 1);
  } catch (err) {
    if (isStoreError(err, 'compacted')) {
      yield { type: 'ERROR', object: tooOldResourceVersion(revision, err.compactRevision ?? 0).status };
      return;
    }
    throw err;
  }
  const stop = () => w.cancel();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    stop();
  }, p.timeoutMs);
  p.signal.addEventListener('abort', stop, { once: true });
  // The client may have gone while the initial list ran; a listener added now would never fire.
  if (p.signal.aborted) stop();
  try {
    for (const obj of initial) yield { type: 'ADDED', object: obj };
    const it = w[Symbol.asyncIterator]();
    let pending = it.next();
    for (;;) {
      let tick: NodeJS.Timeout | undefined;
      const idle = p.bookmarks ? new Promise<'tick'>((res) => (tick = setTimeout(() => res('tick'), bookmarkIntervalMs))) : undefined;
      const next = idle ? await Promise.race([pending, idle]) : await pending;
      clearTimeout(tick);
      if (next === 'tick') {
        yield bookmark(ctx, revision);
        continue;
      }
      if (next.done) break;
      pending = it.next();
      revision = next.value.revision;
      yield* translate(ctx, next.value, p.filter);
    }
    const end = w.ended;
    if (end?.reason === 'compacted') yield { type: 'ERROR', object: tooOldResourceVersion(revision, end.compactRevision).status };
    // As upstream, a watch that asked for bookmarks gets one as it times out, so the client resumes from there.
    else if (timedOut && p.bookmarks) yield bookmark(ctx, revision);
  } finally {
    clearTimeout(timer);
    p.signal.removeEventListener('abort', stop);
    w.cancel();
  }
}

export function watch(ctx: ResourceContext, req: ApiRequest, namespace: string, name: string): ApiResponse {
  const params = watchParams(ctx, req, namespace, name);
  return presentWatch(ctx, req, watchEvents(ctx, params));
}
