// Raw HTTPS requests to a test API server, for checking exact status codes,
// headers and bodies (what a client library would hide).
import { request } from 'node:https';

export interface RawResponse {
  code: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
}

export interface RawClientOptions {
  url: string;
  caPem: string;
  certPem?: string;
  keyPem?: string;
}

export function rawClient(opts: RawClientOptions) {
  return (method: string, path: string, init: { body?: string | Buffer; headers?: Record<string, string> } = {}): Promise<RawResponse> =>
    new Promise((resolve, reject) => {
      const req = request(
        new URL(path, opts.url),
        {
          method,
          ca: opts.caPem,
          cert: opts.certPem,
          key: opts.keyPem,
          // Node sends a DELETE body unframed unless the length is given.
          headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...(init.body === undefined ? {} : { 'Content-Length': String(Buffer.byteLength(init.body)) }), ...init.headers },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let json: unknown;
            try {
              json = JSON.parse(text);
            } catch {
              json = undefined;
            }
            resolve({ code: res.statusCode ?? 0, headers: res.headers, text, json });
          });
        },
      );
      req.on('error', reject);
      req.end(init.body);
    });
}
