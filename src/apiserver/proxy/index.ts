// The pods/log, pods/exec, pods/attach and pods/portforward subresources:
// the apiserver finds the pod's node and passes the request on to that
// node's kubelet over mutual TLS (its client certificate towards kubelets,
// the kubelet's serving certificate checked against the cluster CA). Logs
// are streamed back as they come; upgrades (WebSocket, SPDY) are joined
// byte for byte, so every protocol the kubelet speaks reaches the client.
// The kubelet of this process's own node (`tsk8s server` with its agent) is
// handed upgrades by a call: no loopback TLS hop on the bulk path of exec
// and port-forward.
import { request as httpsRequest, Agent } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import type { corev1 } from '../../api/types.js';
import type { Logger } from '../../log/logger.js';
import { ApiError, asApiError, badRequest, failureStatus, internalError, notFound, serviceUnavailable, StatusReason, unauthorized, type Status } from '../../machinery/index.js';
import { isUpgradeRequest, refuseUpgrade, splice, upgradeRequestHead } from '../../machinery/upgrade.js';
import type { ConnectionAuthenticator } from '../http/authn.js';
import { objectKey } from '../storage/keys.js';
import type { ObjectStore } from '../storage/store.js';
import { kubeletLocation, type KubeletLocation, type PodSubresource } from './target.js';

/** How the apiserver reaches kubelets. */
export interface KubeletClientTls {
  /** The apiserver's client certificate towards kubelets (`system:kube-apiserver`). */
  certPem: string;
  keyPem: string;
  /** CA the kubelets' serving certificates are checked against. */
  caPem: string;
}

/** A kubelet API served in this process. */
export interface LocalKubeletApi {
  /** Serves an exec, attach or port-forward upgrade for `path` (kubelet API path and query) on an authorized connection. */
  serveLocal(path: string, req: IncomingMessage, socket: Duplex, head: Buffer): void;
}

export interface PodStreamsOptions {
  store: ObjectStore;
  authenticator: ConnectionAuthenticator;
  /** Without it, every streaming subresource answers 503 (no way to reach kubelets). */
  kubeletTls?: KubeletClientTls;
  /** The node's kubelet API when it runs in this process, else undefined. */
  localKubelet?: (nodeName: string) => LocalKubeletApi | undefined;
  logger: Logger;
}

const pathPattern = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/(log|exec|attach|portforward)$/;

interface PodStreamRequest {
  namespace: string;
  name: string;
  sub: PodSubresource;
}

function parse(pathname: string): PodStreamRequest | undefined {
  const m = pathPattern.exec(pathname);
  if (!m) return undefined;
  return { namespace: decodeURIComponent(m[1] ?? ''), name: decodeURIComponent(m[2] ?? ''), sub: m[3] as PodSubresource };
}

const podSpace = { group: '', resource: 'pods', namespaced: true };
const nodeSpace = { group: '', resource: 'nodes', namespaced: false };

function sendStatus(res: ServerResponse, status: Status): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify(status);
  res.writeHead(status.code ?? 500, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

export class PodStreams {
  private readonly agent: Agent | undefined;
  /** Upgraded connections (they leave the HTTP server's books); ended by close(). */
  private readonly sessions = new Set<Duplex>();

  constructor(private readonly opts: PodStreamsOptions) {
    const tls = opts.kubeletTls;
    this.agent = tls ? new Agent({ cert: tls.certPem, key: tls.keyPem, ca: tls.caPem, keepAlive: true, maxFreeSockets: 16 }) : undefined;
  }

  /** True when `path` is one of the streaming subresources (they are served here, not by the router). */
  handles(pathname: string): boolean {
    return parse(pathname) !== undefined;
  }

  /** Serves an authenticated, non-upgrade request to a streaming subresource: logs, or a refusal. */
  async request(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://localhost');
    const target = parse(url.pathname);
    try {
      if (!target) throw notFound('', url.pathname);
      if (target.sub !== 'log') throw badRequest('Upgrade request required');
      if (req.method !== 'GET' && req.method !== 'HEAD') throw methodNotAllowed(req.method ?? '');
      const location = await this.locate(target, url.searchParams);
      await this.proxyLog(location, res);
    } catch (err) {
      const apiErr = asApiError(err);
      if (apiErr.code >= 500) this.opts.logger.error('request failed', { path: url.pathname, err: apiErr.message });
      sendStatus(res, apiErr.status);
    }
  }

  /** Serves an upgrade request (the HTTP server's `upgrade` event): authenticates, then joins it to the kubelet. */
  async upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    this.sessions.add(socket);
    socket.once('close', () => this.sessions.delete(socket));
    socket.on('error', () => socket.destroy());
    const url = new URL(req.url ?? '/', 'https://localhost');
    try {
      const identity = await this.opts.authenticator.authenticateRequest(socket as TLSSocket, req.headers.authorization);
      if (identity.kind !== 'user') throw unauthorized('Unauthorized');
      const target = parse(url.pathname);
      if (!target || target.sub === 'log' || !isUpgradeRequest(req.headers)) throw badRequest('this request does not support upgrades');
      const location = await this.locate(target, url.searchParams);
      await this.proxyUpgrade(location, req, socket, head);
      this.opts.logger.debug('stream', { sub: target.sub, namespace: target.namespace, pod: target.name, user: identity.user.username });
    } catch (err) {
      const apiErr = asApiError(err);
      if (apiErr.code >= 500) this.opts.logger.error('stream failed', { path: url.pathname, err: apiErr.message });
      refuseUpgrade(socket, apiErr.status);
    }
  }

  /** Ends every upgraded connection. */
  close(): void {
    for (const s of this.sessions) s.destroy();
    this.agent?.destroy();
  }

  private async locate(target: PodStreamRequest, query: URLSearchParams): Promise<KubeletLocation> {
    if (!this.opts.kubeletTls) throw serviceUnavailable('the apiserver has no client certificate for kubelets');
    const pod = (await this.opts.store.get(objectKey(podSpace, target.namespace, target.name)))?.obj as corev1.Pod | undefined;
    if (!pod) throw notFound('pods', target.name);
    const nodeName = pod.spec?.nodeName ?? '';
    const node = nodeName === '' ? undefined : ((await this.opts.store.get(objectKey(nodeSpace, '', nodeName)))?.obj as corev1.Node | undefined);
    return kubeletLocation({ pod, sub: target.sub, query, node });
  }

  private proxyLog(location: KubeletLocation, res: ServerResponse): Promise<void> {
    return new Promise<void>((resolve) => {
      const upstream = httpsRequest({ host: location.host, port: location.port, path: location.path, method: 'GET', agent: this.agent, headers: { Accept: '*/*' } });
      res.once('close', () => upstream.destroy());
      upstream.once('error', (err) => {
        if (!res.headersSent) sendStatus(res, kubeletUnreachable(location, err).status);
        else res.destroy();
        resolve();
      });
      upstream.once('response', (answer) => {
        const headers: Record<string, string> = { 'Content-Type': answer.headers['content-type'] ?? 'text/plain', 'Cache-Control': 'no-cache, private' };
        res.writeHead(answer.statusCode ?? 502, headers);
        res.flushHeaders();
        answer.pipe(res);
        answer.once('end', resolve);
        answer.once('error', () => {
          res.destroy();
          resolve();
        });
      });
      upstream.end();
    });
  }

  private proxyUpgrade(location: KubeletLocation, req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const local = this.opts.localKubelet?.(location.nodeName);
    if (local) {
      local.serveLocal(location.path, req, socket, head);
      return Promise.resolve();
    }
    const tls = this.opts.kubeletTls;
    if (!tls) return Promise.reject(serviceUnavailable('the apiserver has no client certificate for kubelets'));
    return new Promise<void>((resolve, reject) => {
      const upstream = tlsConnect({ host: location.host, port: location.port, cert: tls.certPem, key: tls.keyPem, ca: tls.caPem, servername: isIp(location.host) ? '' : location.host });
      upstream.once('error', (err) => reject(kubeletUnreachable(location, err)));
      upstream.once('secureConnect', () => {
        upstream.removeAllListeners('error');
        upstream.setNoDelay(true);
        upstream.write(upgradeRequestHead(req.method ?? 'GET', location.path, `${location.host}:${location.port}`, req.headers));
        if (head.length > 0) upstream.write(head);
        void splice(socket, upstream);
        resolve();
      });
    });
  }
}

function isIp(host: string): boolean {
  return /^[\d.]+$/.test(host) || host.includes(':');
}

function methodNotAllowed(method: string): ApiError {
  return new ApiError(failureStatus({ code: 405, reason: StatusReason.MethodNotAllowed, message: `${method} is not supported` }));
}

function kubeletUnreachable(location: KubeletLocation, err: Error): ApiError {
  return internalError(new Error(`error dialing backend: ${err.message} (kubelet at ${location.host}:${location.port})`));
}
