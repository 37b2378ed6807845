// The HTTPS listener: TLS with optional client certificates, body limits,
// authentication (client certificate, then bearer token), then the router.
// Requests become ApiRequests; answers are written by respond.ts.
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import type { Logger } from '../../log/logger.js';
import { asApiError, requestEntityTooLarge, unauthorized } from '../../machinery/index.js';
import type { PodStreams } from '../proxy/index.js';
import type { ApiRouter } from '../router.js';
import { objectResponse, type ApiRequest } from '../rest/types.js';
import { anonymous, anonymousAllowed, type ConnectionAuthenticator } from './authn.js';
import { writeResponse } from './respond.js';

/** Upstream's limit on request bodies (3 MiB). */
export const maxBodyBytes = 3 * 1024 * 1024;

export interface HttpsOptions {
  certPem: string;
  keyPem: string;
  /** CA bundle client certificates are checked against (also sent to clients as acceptable CAs). */
  clientCaPem: string;
  host: string;
  port: number;
  router: ApiRouter;
  authenticator: ConnectionAuthenticator;
  /** Pod log, exec, attach and port-forward: streams of bytes, served beside the router. */
  streams?: PodStreams;
  logger: Logger;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > maxBodyBytes) {
      reject(requestEntityTooLarge(`limit is ${maxBodyBytes}`));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBodyBytes) {
        reject(requestEntityTooLarge(`limit is ${maxBodyBytes}`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export interface HttpsServer {
  server: Server;
  /** Resolves with the bound port once listening. */
  listening: Promise<number>;
  close(): Promise<void>;
}

export function serveHttps(opts: HttpsOptions): HttpsServer {
  const server = createServer(
    { cert: opts.certPem, key: opts.keyPem, ca: opts.clientCaPem, requestCert: true, rejectUnauthorized: false, minVersion: 'TLSv1.2' },
    (req, res) => void handle(opts, req, res),
  );
  const streams = opts.streams;
  if (streams) server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => void streams.upgrade(req, socket, head));
  // Watches are long-lived; the server never times requests out on its own.
  server.requestTimeout = 0;
  server.headersTimeout = 60_000;
  server.keepAliveTimeout = 65_000;
  const listening = new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      const addr = server.address();
      resolve(typeof addr === 'object' && addr ? addr.port : opts.port);
    });
  });
  return {
    server,
    listening,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function handle(opts: HttpsOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const started = Date.now();
  const url = new URL(req.url ?? '/', 'https://localhost');
  const method = req.method ?? 'GET';
  const abort = new AbortController();
  res.on('close', () => abort.abort());
  try {
    const identity = await opts.authenticator.authenticateRequest(req.socket as TLSSocket, req.headers.authorization);
    if (identity.kind === 'rejected' || (identity.kind === 'anonymous' && !anonymousAllowed(url.pathname))) {
      if (identity.kind === 'rejected') opts.logger.debug('unable to authenticate the request', { method, path: url.pathname, reason: identity.reason });
      await writeResponse(res, objectResponse(401, unauthorized('Unauthorized').status), false);
      return;
    }
    const user = identity.kind === 'user' ? identity.user : anonymous;
    if (opts.streams?.handles(url.pathname)) return await opts.streams.request(req, res);
    const hasBody = method === 'POST' || method === 'PUT' || method === 'PATCH' || method === 'DELETE';
    const body = hasBody ? await readBody(req) : undefined;
    const apiReq: ApiRequest = {
      method,
      path: url.pathname,
      query: url.searchParams,
      accept: req.headers.accept ?? '',
      contentType: req.headers['content-type'] ?? '',
      user,
      signal: abort.signal,
    };
    if (body !== undefined) apiReq.body = body;
    if (req.headers['user-agent'] !== undefined) apiReq.userAgent = req.headers['user-agent'];
    const answer = await opts.router.handle(apiReq);
    await writeResponse(res, answer, method === 'HEAD');
    const code = answer.type === 'watch' ? 200 : answer.code;
    opts.logger.debug('request', { method, path: url.pathname, code, user: user.username, ms: Date.now() - started });
  } catch (err) {
    const apiErr = asApiError(err);
    if (!res.headersSent) await writeResponse(res, objectResponse(apiErr.code || 500, apiErr.status), false).catch(() => undefined);
    else res.destroy();
    if (apiErr.code >= 500) opts.logger.error('request failed', { method, path: url.pathname, err: apiErr.message });
  }
}
