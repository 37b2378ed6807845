// The apiserver: an HTTPS listener in front of the router, the objects a
// cluster starts with, and the router itself for in-process clients.
import { builtinRegistry } from '../api/builtin.js';
import { createClientCertVerifier, ServiceAccountTokenSigner, type ServiceAccountKeyPair } from '../certs/index.js';
import type { Logger } from '../log/logger.js';
import type { Backend } from '../store/backend.js';
import { QuotaCache } from './admission/index.js';
import { bootstrap } from './bootstrap.js';
import type { HealthCheck } from './health.js';
import { ConnectionAuthenticator, ServiceAccountTokenAuthenticator } from './http/authn.js';
import { serveHttps } from './http/server.js';
import { serviceAllocators } from './rest/allocate.js';
import type { ServerState } from './rest/context.js';
import { DecodedObjects } from './rest/decoded.js';
import type { ServiceAccountTokens } from './rest/token.js';
import { PodStreams, type KubeletClientTls, type LocalKubeletApi } from './proxy/index.js';
export type { LocalKubeletApi } from './proxy/index.js';
import { kubeletScraper, MetricsApi } from './metrics/index.js';
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
  /** Signs and verifies service-account tokens; without it no tokens are issued and bearer tokens are ignored. */
  serviceAccountKey?: ServiceAccountKeyPair;
  /** `iss` of the tokens and the audience the API accepts (default https://kubernetes.default.svc.cluster.local). */
  serviceAccountIssuer?: string;
  /** Longest token lifetime granted; longer requests are shortened with a warning (default: no limit, as upstream). */
  serviceAccountMaxTokenExpirationSeconds?: number;
  /** The cluster DNS address: the `kube-dns` Service in kube-system gets it; without it there is none. */
  clusterDns?: string;
  /** How to reach kubelets for pod logs, exec, attach and port-forward; without it those answer 503. */
  kubeletClient?: KubeletClientTls;
  /** A node's kubelet API when it runs in this process (reached by a call, not over TLS). */
  localKubelet?: (nodeName: string) => LocalKubeletApi | undefined;
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
  const state: ServerState = { store, registry: builtinRegistry(), now: () => new Date(), logger: opts.logger, allocators, decoded: new DecodedObjects(), quotas: new QuotaCache(store) };
  const tokens = opts.serviceAccountKey ? serviceAccountTokens(state, opts.serviceAccountKey, opts) : undefined;
  const scraper = opts.kubeletClient ? kubeletScraper(opts.kubeletClient) : undefined;
  const metrics = scraper ? new MetricsApi({ store, scrape: scraper.scrape, now: state.now, logger: opts.logger.child('metrics') }) : undefined;
  const router = new ApiRouter({
    ...(metrics ? { metrics } : {}),
    state: tokens ? { ...state, serviceAccountTokens: tokens } : state,
    healthChecks,
    productVersion: opts.productVersion,
    serverAddress: `${opts.advertiseAddress ?? opts.host}:${opts.port}`,
    logger: opts.logger,
  });
  const authenticator = new ConnectionAuthenticator(createClientCertVerifier(opts.tls.clientCaPem), tokens?.authenticator);
  const streams = new PodStreams({
    store,
    authenticator,
    ...(opts.kubeletClient ? { kubeletTls: opts.kubeletClient } : {}),
    ...(opts.localKubelet ? { localKubelet: opts.localKubelet } : {}),
    logger: opts.logger,
  });
  const https = serveHttps({
    certPem: opts.tls.certPem,
    keyPem: opts.tls.keyPem,
    clientCaPem: opts.tls.clientCaPem,
    host: opts.host,
    port: opts.port,
    router,
    authenticator,
    streams,
    logger: opts.logger,
  });
  const port = await https.listening;
  try {
    await bootstrap(router, allocators.firstIp, port, apiAddress(opts), opts.clusterDns);
  } catch (err) {
    await https.close();
    throw err;
  }
  return {
    router,
    port,
    close: () => {
      streams.close();
      state.quotas?.close();
      metrics?.close();
      scraper?.close();
      return https.close();
    },
  };
}

function serviceAccountTokens(state: ServerState, key: ServiceAccountKeyPair, opts: ApiServerOptions): ServiceAccountTokens {
  const signer = ServiceAccountTokenSigner.fromPem(key, opts.serviceAccountIssuer === undefined ? {} : { issuer: opts.serviceAccountIssuer });
  const apiAudiences = [signer.issuer];
  return {
    signer,
    authenticator: new ServiceAccountTokenAuthenticator(state, signer, apiAudiences),
    apiAudiences,
    maxExpirationSeconds: opts.serviceAccountMaxTokenExpirationSeconds ?? 0,
    extendExpiration: true,
  };
}

/** The address the `kubernetes` Endpoints point at: the advertised one, else the bound one (loopback for a wildcard). */
function apiAddress(opts: ApiServerOptions): string {
  if (opts.advertiseAddress) return opts.advertiseAddress;
  return opts.host === '0.0.0.0' || opts.host === '::' ? '127.0.0.1' : opts.host;
}
