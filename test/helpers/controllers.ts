// The shared boot of controller integration tests: an in-process API
// server, a client on it, and the controller manager running the named
// controllers until the test ends. Also the polling helper those tests (and
// the client tests) wait with.
import { Client } from '../../src/client/index.js';
import { startControllers, type ControllerManagerOptions } from '../../src/controllers/manager.js';
import { silentLogger } from '../../src/log/logger.js';
import { startTestApiServer, type TestApiServer } from './apiserver.js';

/** What the fixture needs of a tap test: somewhere to register clean-up. */
export interface Teardowns {
  teardown(fn: () => unknown): void;
}

/** startControllers options the test chooses; `controllers` omitted runs them all. */
export type ControllerTestOptions = Omit<ControllerManagerOptions, 'client' | 'logger' | 'identity'>;

export interface ControllerTest {
  api: TestApiServer;
  client: Client;
}

/**
 * Starts an API server and the controllers, and resolves once they are
 * ready. Teardowns registered on `t` stop the controllers, then close the
 * server (tap runs teardowns last-registered first).
 */
export async function startControllerTest(t: Teardowns, options: ControllerTestOptions = {}): Promise<ControllerTest> {
  const api = await startTestApiServer();
  t.teardown(() => api.close());
  const client = new Client(api.inProcess());
  const stop = new AbortController();
  const running = startControllers({ client, logger: silentLogger, identity: 'test', ...options }, stop.signal);
  t.teardown(async () => {
    stop.abort();
    await running.stopped;
  });
  await running.ready;
  return { api, client };
}

/** Polls `check` every 50 ms until it returns true (true) or `timeoutMs` passes (false). */
export async function eventually(check: () => Promise<boolean> | boolean, timeoutMs = 20_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
  return true;
}
