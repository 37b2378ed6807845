// The streams a server has open, so close() can end them: watch and
// keep-alive streams would otherwise live as long as their clients, and a
// graceful shutdown waits for every open call. They end with etcd's "server
// stopped" (UNAVAILABLE), which clients retry.
import { Code, RpcError } from './rpc-error.js';

export const serverStopped = new RpcError(Code.UNAVAILABLE, 'etcdserver: server stopped');
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
