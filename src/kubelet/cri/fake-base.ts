// State and test hooks of the fake runtime (fake.ts): records, clock,
// injected failures, and the entry check every call goes through.
import { CriError, type CriErrorCode } from './errors.js';
import { FakeImageStore } from './fake-images.js';
import type { ExecHandler } from './fake-programs.js';
import { FakeClock, finish, type ContainerRecord, type SandboxRecord } from './fake-state.js';
import type { CallOptions } from './runtime.js';

export interface FakeRuntimeOptions {
  /** Images present from the start. */
  images?: string[];
  /** Images a pull can fetch (present ones are not pullable unless listed here too). */
  registry?: string[];
}

export class FakeBase {
  readonly clock = new FakeClock();
  readonly images = new FakeImageStore();
  /** Every call, in order, as "Method" or "Method id" (for asserting what the kubelet did). */
  readonly calls: string[] = [];
  protected readonly sandboxes = new Map<string, SandboxRecord>();
  protected readonly containers = new Map<string, ContainerRecord>();
  protected execHandler: ExecHandler | undefined;
  private readonly failures = new Map<string, CriError>();
  private down = false;
  protected closed = false;

  constructor(opts: FakeRuntimeOptions = {}) {
    for (const image of opts.images ?? []) this.images.add(image);
    for (const image of opts.registry ?? []) this.images.publish(image);
  }

  // ---- Test hooks

  /** Moves fake time; containers whose programs end by then exit. */
  advance(ms: number): void {
    this.clock.advance(ms);
    this.settle();
  }

  /** Makes a running container exit now with `exitCode` (reason "OOMKilled" etc. when given). */
  exitContainer(id: string, exitCode: number, reason?: string, message?: string): void {
    const c = this.containers.get(id);
    if (!c) throw new Error(`fake runtime: no container ${id}`);
    finish(c, this.clock.now(), exitCode, reason, message);
  }

  /** The next call of `method` ("PullImage", "StartContainer", ...) rejects with `code`. */
  failNext(method: string, code: CriErrorCode, message?: string): void {
    this.failures.set(method, new CriError(code, method, message ?? `${method}: injected failure`));
  }

  /** The next pull rejects (by default as a registry failure would). */
  failNextPull(code: CriErrorCode = 'runtime', message?: string): void {
    this.failNext('PullImage', code, message);
  }

  /** While down, every call rejects with 'unavailable' (as when containerd is not running). */
  setUnavailable(down: boolean): void {
    this.down = down;
  }

  /** Answers execs first; returning undefined falls back to the built-in commands. */
  onExec(handler: ExecHandler | undefined): void {
    this.execHandler = handler;
  }

  // ---- For the calls

  /** Records the call, applies injected failures and due exits. Every call starts here. */
  protected enter(method: string, opts: CallOptions | undefined, id = ''): void {
    this.calls.push(id ? `${method} ${id}` : method);
    if (this.down) throw new CriError('unavailable', method, `${method}: connection refused`);
    if (this.closed) throw new CriError('unavailable', method, `${method}: the CRI client is closed`);
    if (opts?.signal?.aborted) throw new CriError('cancelled', method);
    const failure = this.failures.get(method);
    if (failure) {
      this.failures.delete(method);
      throw failure;
    }
    this.settle();
  }

  private settle(): void {
    const now = this.clock.now();
    for (const c of this.containers.values()) {
      if (c.exitsAt !== undefined && c.exitsAt <= now) finish(c, c.exitsAt, c.program.exitCode);
    }
  }

  protected sandbox(method: string, id: string): SandboxRecord {
    const s = this.sandboxes.get(id);
    if (!s) throw new CriError('not-found', method, `${method}: an error occurred when try to find sandbox "${id}": not found`);
    return s;
  }

  protected container(method: string, id: string): ContainerRecord {
    const c = this.containers.get(id);
    if (!c) throw new CriError('not-found', method, `${method}: an error occurred when try to find container "${id}": not found`);
    return c;
  }

  protected kill(c: ContainerRecord, exitCode: number): void {
    finish(c, this.clock.now(), exitCode);
  }
}
