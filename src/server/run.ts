import type { ServerConfig } from '../config/server.js';
import { prepareDataDir } from '../config/server.js';
import { createLogger } from '../log/logger.js';
import { startCompactor } from '../store/compactor.js';
import { serveEtcd } from '../store/grpc/server.js';
import { openSqliteBackend } from '../store/sqlite/index.js';

export interface RunningServer {
  /** Resolves when every component is serving. */
  ready: Promise<void>;
  /** Resolves when the server has stopped (after the signal aborts). */
  stopped: Promise<void>;
}

/**
 * Composition root of `tsk8s server`: starts components in order
 * (store → etcd API), each waiting on the one before, and stops them in
 * reverse when the signal aborts.
 */
export function runServer(config: ServerConfig, signal: AbortSignal): RunningServer {
  const log = createLogger('server', { level: config.logLevel });
  const logFor = (component: string) => createLogger(component, { level: config.logLevel });
  let resolveStopped: () => void = () => {};
  const stopped = new Promise<void>((res) => (resolveStopped = res));

  const ready = (async () => {
    prepareDataDir(config);
    const started = Date.now();
    const backend = openSqliteBackend(config.dbPath, { logger: logFor('store') });
    await backend.ready;
    log.info('store ready', { path: config.dbPath, ms: Date.now() - started });

    const etcd = serveEtcd(backend, {
      socketPath: config.etcdSocket,
      tcpAddress: config.etcdListen,
      logger: logFor('etcd-api'),
    });
    await etcd.ready;
    log.info('etcd API listening', { socket: config.etcdSocket, tcp: config.etcdListen });

    startCompactor(
      backend,
      { intervalMs: config.compactIntervalSeconds * 1000, minRetain: config.compactMinRetain, logger: logFor('compactor') },
      signal,
    );
    log.info('tsk8s server ready', { ms: Date.now() - started });

    const stop = async (): Promise<void> => {
      log.info('stopping');
      await etcd.close();
      await backend.close();
      log.info('stopped');
      resolveStopped();
    };
    if (signal.aborted) await stop();
    else signal.addEventListener('abort', () => void stop(), { once: true });
  })();
  return { ready, stopped };
}
