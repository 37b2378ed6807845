// The ContainerRuntime of a CRI runtime (containerd) reached over gRPC on a
// unix socket. Calls fail fast with 'unavailable' while the socket is absent
// or refuses connections (no waiting for readiness: the caller retries).
import { CriConnection } from './grpc-call.js';
import { grpcImageService } from './grpc-images.js';
import { grpcRuntimeService } from './grpc-runtime.js';
import type { ContainerRuntime } from './runtime.js';

export interface CriClientOptions {
  /** `unix:///path/to/containerd.sock`, or the socket's absolute path. */
  endpoint: string;
  /** Deadline of every call but pulls. Default 10 s. */
  timeoutMs?: number;
  /** Deadline of a pull. Default 2 min. */
  pullTimeoutMs?: number;
}

export const defaultTimeoutMs = 10_000;
export const defaultPullTimeoutMs = 120_000;

/** The grpc-js target for an endpoint; throws on anything but a unix socket. */
export function grpcTarget(endpoint: string): string {
  if (endpoint.startsWith('unix:///')) return endpoint;
  if (endpoint.startsWith('/')) return `unix://${endpoint}`;
  throw new Error(`CRI endpoint "${endpoint}" is not a unix socket (unix:///path or an absolute path)`);
}

/** Connects lazily: nothing is dialled before the first call. */
export function connectCri(options: CriClientOptions): ContainerRuntime {
  const conn = new CriConnection(grpcTarget(options.endpoint));
  const deadlines = {
    timeoutMs: options.timeoutMs ?? defaultTimeoutMs,
    pullTimeoutMs: options.pullTimeoutMs ?? defaultPullTimeoutMs,
  };
  return {
    ...grpcRuntimeService(conn, deadlines),
    ...grpcImageService(conn, deadlines),
    close: async () => conn.close(),
  };
}
