// Reads a watch stream over HTTPS line by line, as client-node does.
import { request } from 'node:https';

export interface StreamedEvent {
  type: string;
  object: { kind?: string; metadata?: { name?: string; resourceVersion?: string; annotations?: Record<string, string> }; code?: number; reason?: string; [k: string]: unknown };
}

export interface WatchReader {
  events: StreamedEvent[];
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  /** Resolves once at least `n` events arrived (rejects after `ms`). */
  waitFor(n: number, ms?: number): Promise<StreamedEvent[]>;
  close(): void;
  headers: Promise<Record<string, string | string[] | undefined>>;
}

export function openWatch(url: string, tls: { caPem: string; certPem: string; keyPem: string }, accept = 'application/json'): WatchReader {
  const events: StreamedEvent[] = [];
  let buffer = '';
  let resolveEnded: () => void = () => {};
  const ended = new Promise<void>((r) => (resolveEnded = r));
  let resolveHeaders: (h: Record<string, string | string[] | undefined>) => void = () => {};
  const headers = new Promise<Record<string, string | string[] | undefined>>((r) => (resolveHeaders = r));
  const req = request(new URL(url), { ca: tls.caPem, cert: tls.certPem, key: tls.keyPem, headers: { Accept: accept } }, (res) => {
    resolveHeaders(res.headers);
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      buffer += chunk;
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (line.trim() !== '') events.push(JSON.parse(line) as StreamedEvent);
      }
    });
    res.on('end', resolveEnded);
    res.on('close', resolveEnded);
  });
  req.on('error', () => resolveEnded());
  req.end();
  return {
    events,
    ended,
    headers,
    async waitFor(n, ms = 10_000) {
      const deadline = Date.now() + ms;
      while (events.length < n) {
        if (Date.now() > deadline) throw new Error(`only ${events.length} of ${n} events: ${JSON.stringify(events.map((e) => e.type))}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      return events;
    },
    close: () => req.destroy(),
  };
}
