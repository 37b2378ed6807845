// The kubelet's own HTTPS API (port 10250): container logs, exec, attach
// and port-forward, as the apiserver reaches them for `kubectl logs`,
// `exec`, `attach`, `port-forward` and `cp`, and `/metrics/resource`
// (resourcemetrics.ts), which the metrics API scrapes. Only client certificates
// signed by the client CA and naming an allowed user (the apiserver's
// `system:kube-apiserver`) get in. Every refusal is a Status. An apiserver
// in the same process hands its streaming upgrades over by a call instead
// (`serveLocal`): the same handling without a loopback TLS hop.
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import type { Logger } from '../../log/logger.js';
import { ApiError, asApiError, badRequest, failureStatus, forbidden, serviceUnavailable, StatusReason, unauthorized, type Status } from '../../machinery/index.js';
import { isUpgradeRequest, refuseUpgrade } from '../../machinery/upgrade.js';
import { channelProtocols } from '../../machinery/channels.js';
import { offeredProtocols } from '../../machinery/websocket.js';
import type { RuntimeService } from '../cri/runtime.js';
import { streamLog } from './logs.js';
import { parseLogOptions, queryFlag } from './logoptions.js';
import type { ContainerLookup } from './lookup.js';
import { parseRoute, type ContainerRoute, type KubeletRoute } from './routes.js';
import { serveV5Session } from './remotecommand.js';
import { proxyToRuntime } from './stream.js';
import { tunnelledPortForwardProtocol, tunnelPortForward } from './tunnel.js';
import { readNodeUsage, type NodeUsage } from './nodestats.js';
import { containerUsage, renderResourceMetrics } from './resourcemetrics.js';

export { criLookup, type ContainerLookup, type ContainerTarget } from './lookup.js';

export interface KubeletServerOptions {
  /** 10250 upstream; 0 picks a free port (tests). */
  port: number;
  host: string;
  /** The serving pair, and the CA client certificates must be signed by. */
  tls: { certPem: string; keyPem: string; clientCaPem: string };
  /** Common names of the client certificates let in (default: `system:kube-apiserver`). */
  allowedUsers?: readonly string[];
  runtime: RuntimeService;
  lookup: ContainerLookup;
  logger: Logger;
  now?: () => Date;
  /** The node's own usage for /metrics/resource (default: read from /proc). */
  nodeUsage?: () => Promise<NodeUsage>;
}

export interface KubeletServer {
  /** Resolves with the bound port once listening. */
  ready: Promise<number>;
  /**
   * Serves an exec, attach or port-forward upgrade for `path` (a kubelet API
   * path with its query) on a connection the apiserver of this process has
   * already authenticated and authorized, as the HTTPS server would.
   */
  serveLocal(path: string, req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Resolves once the server has closed after the signal aborted. */
  stopped: Promise<void>;
}

function notAvailable(container: string, namespace: string, pod: string): ApiError {
  return new ApiError(
    failureStatus({ code: 404, reason: StatusReason.NotFound, message: `container "${container}" in pod "${namespace}/${pod}" is not available`, details: { name: pod, kind: 'pods' } }),
  );
}

function sendStatus(res: ServerResponse, status: Status): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify(status);
  res.writeHead(status.code ?? 500, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

export function startKubeletServer(opts: KubeletServerOptions, signal: AbortSignal): KubeletServer {
  const allowed = new Set(opts.allowedUsers ?? ['system:kube-apiserver']);
  const log = opts.logger;
  const now = opts.now ?? (() => new Date());

  /** Undefined when the peer may use the API, else the refusal. */
  const refusal = (socket: TLSSocket, path: string): ApiError | undefined => {
    if (!socket.authorized) return unauthorized('Unauthorized');
    const cn = socket.getPeerCertificate().subject?.CN;
    const user = Array.isArray(cn) ? cn[0] : cn;
    if (user === undefined || !allowed.has(user)) return forbidden('', '', `User "${user ?? ''}" cannot access the kubelet API at ${path}`);
    return undefined;
  };

  const serveLogs = async (route: ContainerRoute, query: URLSearchParams, res: ServerResponse): Promise<void> => {
    const logOpts = parseLogOptions(query, now());
    if (typeof logOpts === 'string') throw badRequest(logOpts);
    const target = await opts.lookup.findContainer(route.namespace, route.pod, route.container);
    if (!target) throw notAvailable(route.container, route.namespace, route.pod);
    const path = logOpts.previous ? target.previousLogPath : target.logPath;
    if (!path) throw badRequest(`previous terminated container "${route.container}" in pod "${route.pod}" not found`);
    const abort = new AbortController();
    res.on('close', () => abort.abort());
    await streamLog(opts.runtime, { containerId: target.containerId, path }, logOpts, res, abort.signal);
  };

  /** /metrics/resource; a failed read leaves its figures out and sets resource_scrape_error. */
  const serveResourceMetrics = async (res: ServerResponse): Promise<void> => {
    let error = false;
    const failed = (err: unknown) => {
      error = true;
      log.warn('resource metrics incomplete', { err: err instanceof Error ? err.message : String(err) });
      return undefined;
    };
    const [node, containers] = await Promise.all([(opts.nodeUsage ?? (() => readNodeUsage(now)))().catch(failed), containerUsage(opts.runtime).catch(failed)]);
    const body = renderResourceMetrics({ node, containers: containers ?? [], error });
    res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'https://localhost');
    try {
      const denied = refusal(req.socket as TLSSocket, url.pathname);
      if (denied) throw denied;
      if (url.pathname === '/metrics/resource') {
        if (req.method !== 'GET' && req.method !== 'HEAD') throw new ApiError(failureStatus({ code: 405, reason: StatusReason.MethodNotAllowed, message: `${req.method} is not supported` }));
        await serveResourceMetrics(res);
        return;
      }
      const route = parseRoute(url.pathname);
      if (!route) throw new ApiError(failureStatus({ code: 404, reason: StatusReason.NotFound, message: 'the server could not find the requested resource' }));
      if (route.kind !== 'containerLogs') throw badRequest('Upgrade request required');
      if (req.method !== 'GET' && req.method !== 'HEAD') throw new ApiError(failureStatus({ code: 405, reason: StatusReason.MethodNotAllowed, message: `${req.method} is not supported` }));
      await serveLogs(route, url.searchParams, res);
    } catch (err) {
      const apiErr = asApiError(err);
      if (apiErr.code >= 500) log.error('request failed', { path: url.pathname, err: apiErr.message });
      sendStatus(res, apiErr.status);
    }
  };

  /** Serves an upgrade for `path`; `trusted` when the caller is this process's apiserver (no client certificate to check). */
  const upgrade = async (path: string, req: IncomingMessage, socket: Duplex, head: Buffer, trusted: boolean): Promise<void> => {
    const url = new URL(path, 'https://localhost');
    socket.on('error', () => socket.destroy());
    try {
      const denied = trusted ? undefined : refusal(socket as TLSSocket, url.pathname);
      if (denied) throw denied;
      if (!isUpgradeRequest(req.headers)) throw badRequest('Upgrade request required');
      const route = parseRoute(url.pathname);
      if (!route || route.kind === 'containerLogs') throw new ApiError(failureStatus({ code: 404, reason: StatusReason.NotFound, message: 'the server could not find the requested resource' }));
      const streamUrl = await prepare(route, url.searchParams);
      log.debug('stream', { kind: route.kind, namespace: route.namespace, pod: route.pod });
      const query = url.searchParams.toString();
      const offered = offeredProtocols(req.headers['sec-websocket-protocol']);
      if (route.kind === 'portForward' && offered.includes(tunnelledPortForwardProtocol)) {
        await tunnelPortForward(streamUrl, req, socket, head, query, log);
      } else if (route.kind !== 'portForward' && offered.includes(channelProtocols.v5)) {
        const q = url.searchParams;
        const streams = { stdin: queryFlag(q, 'stdin'), stdout: queryFlag(q, 'stdout'), stderr: queryFlag(q, 'stderr'), tty: queryFlag(q, 'tty') };
        await serveV5Session(streamUrl, req, socket, head, streams, log);
      } else {
        await proxyToRuntime(streamUrl, req, socket, head, query, log);
      }
    } catch (err) {
      const apiErr = asApiError(err);
      if (apiErr.code >= 500) log.error('stream failed', { path: url.pathname, err: apiErr.message });
      refuseUpgrade(socket, apiErr.status);
    }
  };

  /** Asks the runtime for the session's streaming URL. */
  const prepare = async (route: KubeletRoute, query: URLSearchParams): Promise<string> => {
    if (route.kind === 'portForward') {
      const sandbox = await opts.lookup.findSandbox(route.namespace, route.pod);
      if (!sandbox) throw new ApiError(failureStatus({ code: 404, reason: StatusReason.NotFound, message: `pod "${route.namespace}/${route.pod}" is not running`, details: { name: route.pod, kind: 'pods' } }));
      const ports = query.getAll('ports').flatMap((p) => p.split(',')).filter((p) => p !== '').map(Number);
      if (ports.some((p) => !Number.isInteger(p) || p < 1 || p > 65535)) throw badRequest(`invalid port in ${query.getAll('ports').join(',')}`);
      return opts.runtime.portForward(sandbox, ports);
    }
    const target = await opts.lookup.findContainer(route.namespace, route.pod, route.container);
    if (!target) throw notAvailable(route.container, route.namespace, route.pod);
    const tty = queryFlag(query, 'tty');
    const streams = { stdin: queryFlag(query, 'stdin'), stdout: queryFlag(query, 'stdout'), stderr: queryFlag(query, 'stderr') && !tty, tty };
    if (!streams.stdin && !streams.stdout && !queryFlag(query, 'stderr')) throw badRequest('you must specify at least 1 of stdin, stdout, stderr');
    if (route.kind === 'attach') return opts.runtime.attach({ containerId: target.containerId, ...streams });
    const cmd = query.getAll('command');
    if (cmd.length === 0) throw badRequest('you must specify at least 1 command');
    return opts.runtime.exec({ containerId: target.containerId, cmd, ...streams });
  };

  const server: Server = createServer(
    { cert: opts.tls.certPem, key: opts.tls.keyPem, ca: opts.tls.clientCaPem, requestCert: true, rejectUnauthorized: false, minVersion: 'TLSv1.2' },
    (req, res) => void handle(req, res),
  );
  // Upgraded connections leave the server's books; they are tracked here to be ended on stop.
  const sessions = new Set<Duplex>();
  const serveUpgrade = (path: string, req: IncomingMessage, socket: Duplex, head: Buffer, trusted: boolean): void => {
    if (signal.aborted) {
      refuseUpgrade(socket, serviceUnavailable('the kubelet is stopping').status);
      return;
    }
    sessions.add(socket);
    socket.once('close', () => sessions.delete(socket));
    void upgrade(path, req, socket, head, trusted);
  };
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => serveUpgrade(req.url ?? '/', req, socket, head, false));
  server.requestTimeout = 0;
  server.headersTimeout = 60_000;

  const ready = new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      const addr = server.address();
      const port = typeof addr === 'object' && addr ? addr.port : opts.port;
      log.info('kubelet API listening', { address: `${opts.host}:${port}` });
      resolve(port);
    });
  });
  const stopped = new Promise<void>((resolve) => {
    const stop = (): void => {
      server.close(() => resolve());
      server.closeAllConnections();
      for (const s of sessions) s.destroy();
    };
    if (signal.aborted) stop();
    else signal.addEventListener('abort', stop, { once: true });
  });
  return { ready, stopped, serveLocal: (path, req, socket, head) => serveUpgrade(path, req, socket, head, true) };
}
