import { setMaxListeners } from 'node:events';
import type { ServerConfig } from '../config/server.js';
import { prepareDataDir } from '../config/server.js';
import { productVersion } from '../config/version.js';
import { createLogger } from '../log/logger.js';
import { runAgent, type RunningAgent } from '../agent/run.js';
import { startApiServer, type LocalKubeletApi } from '../apiserver/index.js';
import { Client, InProcessTransport } from '../client/index.js';
import { ensurePki, issueKubeletServing, writeKubeconfig, renderKubeconfig } from '../certs/index.js';
import { startControllers } from '../controllers/index.js';
import { startScheduler } from '../scheduler/index.js';
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
  // Every long-running part listens for the one stop signal: dozens of listeners by design, not a leak.
  setMaxListeners(0, signal);
  const log = createLogger('server', { level: config.logLevel });
  const logFor = (component: string) => createLogger(component, { level: config.logLevel });
  let resolveStopped: () => void = () => {};
  const stopped = new Promise<void>((res) => (resolveStopped = res));

  // The components' own signal: aborted by the caller's, or by a start that failed halfway.
  const components = new AbortController();
  setMaxListeners(0, components.signal);
  signal.addEventListener('abort', () => components.abort(), { once: true });
  // What a start that fails halfway must undo, newest first.
  const undo: Array<() => Promise<unknown>> = [];

  const start = async (): Promise<void> => {
    prepareDataDir(config);
    const started = Date.now();
    const backend = openSqliteBackend(config.dbPath, { logger: logFor('store') });
    undo.unshift(() => backend.close());
    await backend.ready;
    log.info('store ready', { path: config.dbPath, ms: Date.now() - started });

    const etcd = serveEtcd(backend, {
      socketPath: config.etcdSocket,
      tcpAddress: config.etcdListen,
      logger: logFor('etcd-api'),
    });
    undo.unshift(() => etcd.close());
    await etcd.ready;
    log.info('etcd API listening', { socket: config.etcdSocket, tcp: config.etcdListen });

    const pki = await ensurePki(config.tlsDir, {
      nodeName: config.nodeName,
      nodeIps: config.nodeIps,
      serviceIp: firstServiceIp(config.serviceCidr),
      clusterDomain: config.clusterDomain,
      tlsSans: config.tlsSans,
      logger: logFor('certs'),
    });
    // The embedded agent's kubelet API, handed streaming upgrades by a call once it serves.
    const localKubelets = new Map<string, LocalKubeletApi>();
    const api = await startApiServer({
      backend,
      tls: { certPem: pki.serving.certPem, keyPem: pki.serving.keyPem, clientCaPem: pki.clientCa.ca.certPem },
      host: config.bindAddress,
      port: config.httpsPort,
      serviceCidr: config.serviceCidr,
      nodePortRange: config.nodePortRange,
      productVersion,
      advertiseAddress: config.nodeIps[0] ?? '127.0.0.1',
      serviceAccountKey: pki.serviceAccount,
      serviceAccountIssuer: `https://kubernetes.default.svc.${config.clusterDomain}`,
      clusterDns: config.clusterDns,
      kubeletClient: { certPem: pki.apiserverClient.certPem, keyPem: pki.apiserverClient.keyPem, caPem: pki.serverCa.ca.certPem },
      localKubelet: (nodeName) => localKubelets.get(nodeName),
      logger: logFor('apiserver'),
    });
    undo.unshift(() => api.close());
    log.info('Kubernetes API listening', { address: `${config.bindAddress}:${api.port}` });
    const kubeconfig = renderKubeconfig({
      server: `https://127.0.0.1:${api.port}`,
      caPem: pki.serverCa.ca.certPem,
      certPem: pki.admin.certPem,
      keyPem: pki.admin.keyPem,
    });
    writeKubeconfig(config.kubeconfigPath, kubeconfig, config.kubeconfigMode);
    log.info('wrote admin kubeconfig', { path: config.kubeconfigPath });

    startCompactor(
      backend,
      { intervalMs: config.compactIntervalSeconds * 1000, minRetain: config.compactMinRetain, logger: logFor('compactor') },
      components.signal,
    );
    // The control plane reaches the API in process, each component as its own user and field manager.
    const inProcess = (username: string, component: string): Client =>
      new Client(new InProcessTransport(api.router, { username, groups: ['system:authenticated'] }, `${component}/${productVersion}`));
    // Both elected through a Lease so that servers sharing a datastore run one set; the node name as the
    // identity lets a restarted server take its own Lease back at once.
    const scheduler = startScheduler(
      { client: inProcess('system:kube-scheduler', 'kube-scheduler'), logger: logFor('scheduler'), leaderElection: { identity: config.nodeName } },
      components.signal,
    );
    undo.unshift(() => scheduler.stopped);
    const controllers = startControllers(
      {
        client: inProcess('system:kube-controller-manager', 'kube-controller-manager'),
        logger: logFor('controllers'),
        identity: config.nodeName,
        leaderElection: true,
        storageDir: config.storageDir,
      },
      components.signal,
    );
    undo.unshift(() => controllers.stopped);
    await Promise.all([scheduler.ready, controllers.ready]);
    log.info('scheduler and controllers ready');

    let agent: RunningAgent | undefined;
    if (config.agent) {
      // The embedded agent reaches the API in process, as its node would over HTTPS.
      const nodeUser = { username: `system:node:${config.nodeName}`, groups: ['system:nodes', 'system:authenticated'] };
      agent = runAgent(
        {
          dataDir: config.dataDir,
          agent: config.agent,
          client: new Client(new InProcessTransport(api.router, nodeUser, `kubelet/${productVersion}`)),
          nodeName: config.nodeName,
          nodeIps: config.nodeIps,
          serviceCidr: config.serviceCidr,
          clusterDomain: config.clusterDomain,
          kubeletVersion: productVersion,
          kubeletServing: { ...(await issueKubeletServing(pki.serverCa.ca, config.nodeName, config.nodeIps)), clientCaPem: pki.clientCa.ca.certPem },
          onKubeletApi: (kubeletApi) => localKubelets.set(config.nodeName, kubeletApi),
          logFor,
        },
        components.signal,
      );
      const { stopped: agentStopped } = agent;
      undo.unshift(() => agentStopped);
      await agent.ready;
    }
    log.info('tsk8s server ready', { ms: Date.now() - started });

    const stop = async (): Promise<void> => {
      log.info('stopping');
      await Promise.all([agent?.stopped, scheduler.stopped, controllers.stopped]);
      await api.close();
      await etcd.close();
      await backend.close();
      log.info('stopped');
      resolveStopped();
    };
    if (signal.aborted) await stop();
    else signal.addEventListener('abort', () => void stop(), { once: true });
  };

  // A start that fails (a port in use, say) stops what it started, so the
  // process can exit with the error instead of serving half a server.
  const ready = start().catch(async (err: unknown) => {
    components.abort();
    for (const step of undo) await step().catch(() => undefined);
    resolveStopped();
    throw err;
  });
  return { ready, stopped };
}

/** The first usable address of a CIDR (the `kubernetes` Service's ClusterIP). */
function firstServiceIp(cidr: string): string {
  const [base] = cidr.split('/');
  const parts = (base ?? '').split('.').map(Number);
  parts[3] = (parts[3] ?? 0) + 1;
  return parts.join('.');
}
