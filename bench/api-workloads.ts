// The API benchmark's workloads, written once against `Target` so the API
// and the store run exactly the same sequence of operations.
import type { Target } from './api-targets.js';
import { runConcurrent, type Sample } from './stats.js';

/** Where each workload's objects live (a namespace, or a key prefix in the store). */
export const spaces = { single: 'default', list: 'bench-list', watch: 'bench-watch' } as const;

/** Objects in the list space; the list workload checks it reads exactly this many. */
export const listSize = 1000;
export const watchers = 10;

/** One workload at one concurrency against one target. */
export interface Run {
  target: Target;
  concurrency: number;
  ops: number;
  /**
   * Versions of the objects the create workload made at this concurrency,
   * by index; get reads them and update swaps on them and records the new
   * ones, so each op touches its own object and no update ever conflicts.
   */
  versions: string[];
}

export interface Workload {
  name: string;
  /** Single-object operations are what the goal (API p99 ≤ 2× store p99) is about. */
  singleObject: boolean;
  /** Operations per concurrency level. */
  ops: Record<number, number>;
  run(r: Run): Promise<Sample>;
}

const objectName = (r: Run, i: number) => `obj-c${r.concurrency}-${i}`;

/** Create, get and update must run in this order and with the same op counts. */
export const workloads: readonly Workload[] = [
  {
    name: 'create',
    singleObject: true,
    ops: { 1: 500, 32: 3000 },
    run: (r) => runConcurrent(r.ops, r.concurrency, async (i) => void (r.versions[i] = await r.target.create(spaces.single, objectName(r, i)))),
  },
  {
    name: 'get',
    singleObject: true,
    ops: { 1: 500, 32: 3000 },
    run: (r) =>
      runConcurrent(r.ops, r.concurrency, async (i) => {
        const version = await r.target.get(spaces.single, objectName(r, i));
        if (version !== r.versions[i]) throw new Error(`${r.target.label} get ${objectName(r, i)}: version ${version}, created as ${r.versions[i]}`);
      }),
  },
  {
    name: 'update',
    singleObject: true,
    ops: { 1: 500, 32: 3000 },
    run: (r) =>
      runConcurrent(r.ops, r.concurrency, async (i) => {
        const version = r.versions[i];
        if (version === undefined) throw new Error(`${r.target.label} update ${objectName(r, i)}: it was never created`);
        r.versions[i] = await r.target.update(spaces.single, objectName(r, i), version, i + 1);
      }),
  },
  {
    name: `list ${listSize}`,
    singleObject: false,
    ops: { 1: 50, 32: 200 },
    run: (r) =>
      runConcurrent(r.ops, r.concurrency, async () => {
        const n = await r.target.list(spaces.list);
        if (n !== listSize) throw new Error(`${r.target.label} list: ${n} objects, expected ${listSize}`);
      }),
  },
  {
    name: `watch, ${watchers} watchers`,
    singleObject: false,
    ops: { 1: 200, 32: 1000 },
    run: (r) => watchDelivery(r),
  },
];

/** Fills the list space with `listSize` objects (untimed, before any run). */
export async function fillList(target: Target): Promise<void> {
  await target.prepare(spaces.list);
  await runConcurrent(listSize, 32, async (i) => void (await target.create(spaces.list, `item-${i}`)));
}

/** A watched create that does not reach every watcher in this time fails the run instead of hanging it. */
const deliveryTimeoutMs = 30_000;

interface Pending {
  left: number;
  done(): void;
  fail(err: Error): void;
}

/**
 * Opens `watchers` watches, then creates objects at the run's concurrency.
 * An op lasts from the create's start until every watcher has seen it.
 */
async function watchDelivery(r: Run): Promise<Sample> {
  const pending = new Map<string, Pending>();
  let broken: Error | undefined;
  const created = (name: string) => {
    const p = pending.get(name);
    if (p !== undefined && --p.left === 0) p.done();
  };
  const failed = (err: Error) => {
    broken ??= err;
    for (const p of pending.values()) p.fail(err);
  };
  const streams = await Promise.all(Array.from({ length: watchers }, () => r.target.watch(spaces.watch, created, failed)));
  try {
    return await runConcurrent(r.ops, r.concurrency, async (i) => {
      if (broken !== undefined) throw broken;
      const name = `watched-c${r.concurrency}-${i}`;
      let timer: NodeJS.Timeout | undefined;
      const seen = new Promise<void>((done, fail) => {
        const entry: Pending = { left: watchers, done, fail };
        pending.set(name, entry);
        timer = setTimeout(() => fail(new Error(`${r.target.label} watch: ${name} reached ${watchers - entry.left} of ${watchers} watchers in ${deliveryTimeoutMs} ms`)), deliveryTimeoutMs);
      });
      // Handled here too, so a timeout during a failing create is not an unhandled rejection.
      seen.catch(() => undefined);
      try {
        await r.target.create(spaces.watch, name);
        await seen;
      } finally {
        clearTimeout(timer);
        pending.delete(name);
      }
    });
  } finally {
    await Promise.all(streams.map((s) => s.stop()));
  }
}
