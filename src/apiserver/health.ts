// `/healthz`, `/livez`, `/readyz` and their per-check paths, answered as
// upstream does: `ok`, or with `?verbose` one `[+]name ok` line per check.
import { objectResponse, type ApiResponse } from './rest/types.js';

export interface HealthCheck {
  name: string;
  /** Resolves with nothing when healthy, or a reason when not. */
  check(): Promise<string | undefined>;
}

export async function health(endpoint: string, sub: string | undefined, verbose: boolean, checks: readonly HealthCheck[]): Promise<ApiResponse> {
  const selected = sub === undefined ? checks : checks.filter((c) => c.name === sub);
  if (sub !== undefined && selected.length === 0) return objectResponse(404, undefined);
  const results = await Promise.all(selected.map(async (c) => ({ name: c.name, problem: await c.check().catch((e: unknown) => String(e)) })));
  const failed = results.filter((r) => r.problem !== undefined);
  if (!verbose && failed.length === 0) return { type: 'text', code: 200, body: 'ok', contentType: 'text/plain; charset=utf-8' };
  const lines = results.map((r) => (r.problem === undefined ? `[+]${r.name} ok` : `[-]${r.name} failed: reason withheld`));
  const tail = failed.length === 0 ? `${endpoint} check passed` : `${endpoint} check failed`;
  return { type: 'text', code: failed.length === 0 ? 200 : 500, body: `${lines.join('\n')}\n${tail}\n`, contentType: 'text/plain; charset=utf-8' };
}
