// An API server in this process: memory store, fresh PKI in a temp dir,
// HTTPS on a free loopback port. Gives what client tests need to reach it
// both ways: the router (in-process) and the admin certificate (HTTPS).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApiServer, type ApiServer } from '../../src/apiserver/index.js';
import { ensurePki, type Pki } from '../../src/certs/index.js';
import { HttpTransport, InProcessTransport, type InProcessHandler, type InProcessUser } from '../../src/client/index.js';
import { silentLogger } from '../../src/log/logger.js';
import { openMemoryBackend } from '../../src/store/memory/index.js';

export const adminUser: InProcessUser = { username: 'system:admin', groups: ['system:masters', 'system:authenticated'] };

export interface TestApiServer {
  server: ApiServer;
  backend: ReturnType<typeof openMemoryBackend>;
  pki: Pki;
  url: string;
  /** An HTTPS transport with the admin client certificate. */
  http(): HttpTransport;
  /** An in-process transport calling the router as the admin user. */
  inProcess(): InProcessTransport;
  /** Compacts the store at its current revision. */
  compact(): Promise<void>;
  close(): Promise<void>;
}

export async function startTestApiServer(): Promise<TestApiServer> {
  const dir = mkdtempSync(join(tmpdir(), 'tsk8s-client-'));
  const backend = openMemoryBackend();
  await backend.ready;
  const pki = await ensurePki(join(dir, 'tls'), { nodeName: 'test-node', nodeIps: ['127.0.0.1'], serviceIp: '10.43.0.1', clusterDomain: 'cluster.local' });
  const server = await startApiServer({
    backend,
    tls: { certPem: pki.serving.certPem, keyPem: pki.serving.keyPem, clientCaPem: pki.clientCa.ca.certPem },
    host: '127.0.0.1',
    port: 0,
    serviceCidr: '10.43.0.0/16',
    nodePortRange: { min: 30000, max: 32767 },
    productVersion: 'v1.32.0+tsk8s-test',
    serviceAccountKey: pki.serviceAccount,
    logger: silentLogger,
  });
  // The router must be usable as the in-process transport's handler as it is.
  const handler: InProcessHandler = server.router;
  const url = `https://127.0.0.1:${server.port}`;
  return {
    server,
    backend,
    pki,
    url,
    http: () => new HttpTransport({ server: url, caPem: pki.serverCa.ca.certPem, certPem: pki.admin.certPem, keyPem: pki.admin.keyPem }),
    inProcess: () => new InProcessTransport(handler, adminUser),
    compact: async () => {
      await backend.compact((await backend.status()).revision);
    },
    close: async () => {
      await server.close();
      await backend.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
