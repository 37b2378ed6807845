// The bidi streams a server has open, so close() can end them: grpc-js waits
// for every open call before a graceful shutdown completes, and watch and
// keep-alive streams would otherwise live as long as their clients. They end
// with etcd's "server stopped" (UNAVAILABLE), which clients retry.
import { status } from '@grpc/grpc-js';
import type { GrpcFailure } from './status.js';

export const serverStopped: GrpcFailure = { code: status.UNAVAILABLE, details: 'etcdserver: server stopped' };
export class OpenStreams {
  private readonly stops = new Set<() => void>();

  /** Registers a stream's stop function; the returned function unregisters it. */
  add(stop: () => void): () => void {
    this.stops.add(stop);
    return () => this.stops.delete(stop);
  }

  get size(): number {
    return this.stops.size;
  }

  /** Stops every open stream. */
  stopAll(): void {
    for (const stop of [...this.stops]) stop();
    this.stops.clear();
  }
}
