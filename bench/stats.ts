// Latency statistics and table rendering for the benchmarks.

export interface Sample {
  /** Operations per second over the whole run. */
  opsPerSec: number;
  p50Ms: number;
  p99Ms: number;
}

/** Percentile (0..100) of latencies in ms, nearest-rank. */
export function percentile(sortedMs: readonly number[], p: number): number {
  if (sortedMs.length === 0) return NaN;
  const rank = Math.min(sortedMs.length - 1, Math.max(0, Math.ceil((p / 100) * sortedMs.length) - 1));
  return sortedMs[rank] ?? NaN;
}

export function summarize(latenciesMs: number[], ops: number, elapsedMs: number): Sample {
  const sorted = [...latenciesMs].sort((a, b) => a - b);
  return { opsPerSec: (ops * 1000) / elapsedMs, p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99) };
}

/** Runs `op(i)` for i in [0, total) with `concurrency` workers; returns per-op latencies. */
export async function runConcurrent(total: number, concurrency: number, op: (i: number) => Promise<void>): Promise<Sample> {
  const latencies: number[] = new Array<number>(total);
  let next = 0;
  const started = performance.now();
  const worker = async (): Promise<void> => {
    for (let i = next++; i < total; i = next++) {
      const t0 = performance.now();
      await op(i);
      latencies[i] = performance.now() - t0;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, worker));
  return summarize(latencies, total, performance.now() - started);
}

export function renderTable(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function fmt(value: number, digits = 0): string {
  if (!Number.isFinite(value)) return '-';
  return value.toFixed(digits);
}
