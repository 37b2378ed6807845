// Running one probe or lifecycle handler against a container: exec through
// the runtime (CRI ExecSync with the timeout), httpGet and tcpSocket from
// the node to the pod's IP (the node's network namespace reaches pod IPs).
// The result and the text upstream shows for it (event messages).
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:net';
import type { corev1 } from '../../api/types.js';
import type { RuntimeService } from '../cri/runtime.js';
import { messageOf } from '../errors.js';

export type ProbeResult = 'success' | 'failure' | 'unknown';

export interface HandlerOutcome {
  result: ProbeResult;
  /** What the handler said: the command's output, or why it failed. */
  output: string;
  /** The command's exit code (exec only). */
  exitCode?: number;
}

/** Where a handler runs: the container (exec) and the pod's address (httpGet, tcpSocket). */
export interface HandlerTarget {
  container: corev1.Container;
  containerId: string;
  podIP: string | undefined;
}

export type Handler = Pick<corev1.Probe, 'exec' | 'httpGet' | 'tcpSocket' | 'grpc'>;

/** Upstream keeps at most 10 KiB of a probe's output. */
const maxOutputBytes = 10 * 1024;

/** A port given by number or by the name of one of the container's ports; undefined when the name is unknown. */
export function resolvePort(port: number | string | undefined, container: corev1.Container): number | undefined {
  if (typeof port === 'number') return port;
  if (port === undefined) return undefined;
  if (/^\d+$/.test(port)) return Number(port);
  return container.ports?.find((p) => p.name === port)?.containerPort;
}

export async function runExec(runtime: RuntimeService, target: HandlerTarget, command: string[], timeoutSeconds: number): Promise<HandlerOutcome> {
  try {
    const r = await runtime.execSync(target.containerId, command, timeoutSeconds);
    const output = Buffer.concat([r.stdout, r.stderr]).subarray(0, maxOutputBytes).toString('utf8');
    return { result: r.exitCode === 0 ? 'success' : 'failure', output, exitCode: r.exitCode };
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (code === 'deadline') return { result: 'failure', output: `command ${JSON.stringify(command.join(' '))} timed out` };
    return { result: 'unknown', output: messageOf(err) };
  }
}

/** The address a socket goes to, as Go prints it: host:port, IPv6 hosts bracketed. */
function hostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** A socket error as Go's dialer words it: "dial tcp 10.0.0.1:80: connect: connection refused". */
function dialError(err: unknown, host: string, port: number): string {
  const code = (err as { code?: unknown }).code;
  const words: Record<string, string> = { ECONNREFUSED: 'connect: connection refused', EHOSTUNREACH: 'connect: no route to host', ENETUNREACH: 'connect: network is unreachable', ETIMEDOUT: 'i/o timeout' };
  return `dial tcp ${hostPort(host, port)}: ${(typeof code === 'string' && words[code]) || messageOf(err)}`;
}

export async function runTcp(action: corev1.TCPSocketAction, target: HandlerTarget, timeoutSeconds: number): Promise<HandlerOutcome> {
  const port = resolvePort(action.port, target.container);
  const host = action.host || target.podIP;
  if (port === undefined || port <= 0 || port > 65535) return { result: 'unknown', output: `invalid port: ${String(action.port)}` };
  if (!host) return { result: 'unknown', output: 'the pod has no IP yet' };
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (outcome: HandlerOutcome): void => {
      socket.destroy();
      clearTimeout(timer);
      resolve(outcome);
    };
    const timer = timeoutSeconds > 0 ? setTimeout(() => done({ result: 'failure', output: `dial tcp ${hostPort(host, port)}: i/o timeout` }), timeoutSeconds * 1000) : undefined;
    socket.once('connect', () => done({ result: 'success', output: '' }));
    socket.once('error', (err) => done({ result: 'failure', output: dialError(err, host, port) }));
  });
}

export async function runHttp(action: corev1.HTTPGetAction, target: HandlerTarget, timeoutSeconds: number): Promise<HandlerOutcome> {
  const port = resolvePort(action.port, target.container);
  const host = action.host || target.podIP;
  if (port === undefined || port <= 0 || port > 65535) return { result: 'unknown', output: `invalid port: ${String(action.port)}` };
  if (!host) return { result: 'unknown', output: 'the pod has no IP yet' };
  const scheme = (action.scheme ?? 'HTTP').toLowerCase();
  let path = action.path ?? '';
  if (!path.startsWith('/')) path = `/${path}`;
  const url = `${scheme}://${hostPort(host, port)}${path}`;
  const headers: Record<string, string> = { 'User-Agent': 'kube-probe/1.32', Accept: '*/*' };
  for (const h of action.httpHeaders ?? []) {
    // A header named again replaces the default (upstream lets users set Host, User-Agent and Accept).
    const existing = Object.keys(headers).find((k) => k.toLowerCase() === h.name.toLowerCase());
    if (existing) delete headers[existing];
    headers[h.name] = h.value;
  }
  return new Promise((resolve) => {
    const request = scheme === 'https' ? httpsRequest : httpRequest;
    let settled = false;
    const done = (outcome: HandlerOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      resolve(outcome);
    };
    const req = request({ host, port, path, method: 'GET', headers, rejectUnauthorized: false, agent: false }, (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        if (size < maxOutputBytes) chunks.push(chunk);
        size += chunk.length;
      });
      res.on('end', () => {
        const body = Buffer.concat(chunks).subarray(0, maxOutputBytes).toString('utf8');
        const code = res.statusCode ?? 0;
        if (code >= 200 && code < 400) done({ result: 'success', output: body });
        else done({ result: 'failure', output: `HTTP probe failed with statuscode: ${code}` });
      });
      res.on('error', (err) => done({ result: 'failure', output: `Get ${JSON.stringify(url)}: ${messageOf(err)}` }));
    });
    const timer =
      timeoutSeconds > 0
        ? setTimeout(() => done({ result: 'failure', output: `Get ${JSON.stringify(url)}: context deadline exceeded (Client.Timeout exceeded while awaiting headers)` }), timeoutSeconds * 1000)
        : undefined;
    req.once('error', (err) => done({ result: 'failure', output: `Get ${JSON.stringify(url)}: ${dialError(err, host, port)}` }));
    req.end();
  });
}

/** Runs whichever action the handler has. */
export async function runHandler(runtime: RuntimeService, handler: Handler, target: HandlerTarget, timeoutSeconds: number): Promise<HandlerOutcome> {
  if (handler.exec) return runExec(runtime, target, handler.exec.command ?? [], timeoutSeconds);
  if (handler.httpGet) return runHttp(handler.httpGet, target, timeoutSeconds);
  if (handler.tcpSocket) return runTcp(handler.tcpSocket, target, timeoutSeconds);
  if (handler.grpc) return { result: 'unknown', output: 'gRPC probes are not supported by this kubelet' };
  return { result: 'unknown', output: 'missing probe handler' };
}
