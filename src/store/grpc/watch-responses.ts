// Building the WatchResponse messages of one stream (ETCD-FACTS §5.5-5.7).
import type { WatchBatch } from '../types.js';
import { eventBytes, eventOut } from './codec.js';
import { header } from './header.js';
import type { WireWatchResponse } from './wire.js';

/**
 * Events are cut into responses of about this many bytes, only between
 * revisions (a revision is never split). A response then stays well below
 * the 4 MiB that grpc-js clients accept by default.
 */
const softResponseBytes = 1024 * 1024;

export const duplicateWatchId = 'mvcc: duplicate watch ID provided on the WatchStream';

/** Watch id 0 is left out like any zero value (etcd's first watch shows no id). */
function wireId(id: bigint | -1): string | undefined {
  return id === 0n ? undefined : id.toString();
}

export function createdResponse(id: bigint, revision: number): WireWatchResponse {
  return { header: header(revision), watch_id: wireId(id), created: true };
}

/** etcd's answer to a create whose watch_id is taken: a created-and-canceled response with id -1. */
export function duplicateIdResponse(revision: number): WireWatchResponse {
  return { header: header(revision), watch_id: '-1', created: true, canceled: true, cancel_reason: duplicateWatchId };
}

/** A cancel reply; `reason` set when the server, not the client, ended the watch. */
export function canceledResponse(id: bigint, revision: number | undefined, reason?: string): WireWatchResponse {
  const res: WireWatchResponse = { header: header(revision), watch_id: wireId(id), canceled: true };
  if (reason) res.cancel_reason = reason;
  return res;
}

/**
 * The start revision was compacted. etcd sends the compact revision with a
 * header without revision; we also name the reason, so clients that only
 * print cancel_reason (npm etcd3) say why. Go clients read compact_revision.
 */
export function compactedResponse(id: bigint, compactRevision: number, reason: string): WireWatchResponse {
  return { header: header(), watch_id: wireId(id), canceled: true, compact_revision: compactRevision, cancel_reason: reason };
}

/** A progress notification: no events, and a revision up to which the receiver has every event. */
export function progressResponse(id: bigint | -1, revision: number): WireWatchResponse {
  return { header: header(revision), watch_id: wireId(id) };
}

/**
 * The responses for one batch: whole revisions, cut where a response grows
 * past softResponseBytes. Each header revision is >= its last event's
 * mod_revision (clients resume from header.revision + 1); the last one
 * carries the batch revision.
 */
export function eventResponses(id: bigint, batch: WatchBatch): WireWatchResponse[] {
  const out: WireWatchResponse[] = [];
  const { events } = batch;
  const watchId = wireId(id);
  let from = 0;
  let bytes = 0;
  for (let i = 0; i < events.length - 1; i++) {
    const event = events[i]!;
    bytes += eventBytes(event);
    const revision = event.kv.modRevision;
    if (bytes >= softResponseBytes && events[i + 1]!.kv.modRevision !== revision) {
      out.push({ header: header(revision), watch_id: watchId, events: events.slice(from, i + 1).map(eventOut) });
      from = i + 1;
      bytes = 0;
    }
  }
  out.push({ header: header(batch.revision), watch_id: watchId, events: events.slice(from).map(eventOut) });
  return out;
}
