// The apiserver: an HTTPS listener in front of the router, the objects a
// cluster starts with, and the router itself for in-process clients.
import { builtinRegistry } from '../api/builtin.js';
import { createClientCertVerifier } from '../certs/index.js';
import type { Logger } from '../log/logger.js';
import type { Backend } from '../store/backend.js';
import { bootstrap } from './bootstrap.js';
import type { HealthCheck } from './health.js';
import { ConnectionAuthenticator } from './http/authn.js';
import { serveHttps } from './http/server.js';
import { serviceAllocators } from './rest/allocate.js';
import { DecodedObjects } from './rest/decoded.js';
import { ApiRouter } from './router.js';
import { ObjectStore } from './storage/store.js';

export { ApiRouter } from './router.js';
export type { ApiRequest, ApiResponse, UserInfo, WatchEvent } from './rest/types.js';

export interface ApiServerOptions {
  backend: Backend;
  tls: { certPem: string; keyPem: string; clientCaPem: string };
  host: string;
  port: number;
  serviceCidr: string;
  nodePortRange: { min: number; max: number };
  productVersion: string;
  /** The address clients reach the API at. */
  advertiseAddress?: string;
  logger: Logger;
}

export interface ApiServer {
  router: ApiRouter;
  /** The bound HTTPS port. */
  port: number;
  close(): Promise<void>;
}

export async function startApiServer(opts: ApiServerOptions): Promise<ApiServer> {
  const store = new ObjectStore(opts.backend);
  const allocators = serviceAllocators({ serviceCidr: opts.serviceCidr, nodePortMin: opts.nodePortRange.min, nodePortMax: opts.nodePortRange.max });
  const healthChecks: HealthCheck[] = [
    { name: 'ping', check: async () => undefined },
    {
      name: 'etcd',
      check: async () => {
        await opts.backend.status();
        return undefined;
      },
    },
  ];
  const router = new ApiRouter({
    state: { store, registry: builtinRegistry(), now: () => new Date(), logger: opts.logger, allocators, decoded: new DecodedObjects() },
    healthChecks,
    productVersion: opts.productVersion,
    serverAddress: `${opts.advertiseAddress ?? opts.host}:${opts.port}`,
    logger: opts.logger,
  });
  const https = serveHttps({
    certPem: opts.tls.certPem,
    keyPem: opts.tls.keyPem,
    clientCaPem: opts.tls.clientCaPem,
    host: opts.host,
    port: opts.port,
    router,
    authenticator: new ConnectionAuthenticator(createClientCertVerifier(opts.tls.clientCaPem)),
    logger: opts.logger,
  });
  const port = await https.listening;
  try {
    await bootstrap(router, allocators.firstIp, port, apiAddress(opts));
  } catch (err) {
    await https.close();
    throw err;
  }
  return { router, port, close: () => https.close() };
}

/** The address the `kubernetes` Endpoints point at: the advertised one, else the bound one (loopback for a wildcard). */
function apiAddress(opts: ApiServerOptions): string {
  if (opts.advertiseAddress) return opts.advertiseAddress;
  return opts.host === '0.0.0.0' || opts.host === '::' ? '127.0.0.1' : opts.host;
}
