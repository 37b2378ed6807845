// A client for the node benchmarks' in-namespace parts: the server and the
// admin credentials from the first cluster and user of a kubeconfig.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { Client, HttpTransport } from '../src/client/index.js';

export function clientFrom(path: string): Client {
  const doc = parse(readFileSync(path, 'utf8')) as {
    clusters: { cluster: { server: string; 'certificate-authority-data': string } }[];
    users: { user: { 'client-certificate-data': string; 'client-key-data': string } }[];
  };
  const b64 = (s: string): string => Buffer.from(s, 'base64').toString('utf8');
  const cluster = doc.clusters[0]?.cluster;
  const user = doc.users[0]?.user;
  if (!cluster || !user) throw new Error(`${path}: no cluster or user`);
  return new Client(new HttpTransport({ server: cluster.server, caPem: b64(cluster['certificate-authority-data']), certPem: b64(user['client-certificate-data']), keyPem: b64(user['client-key-data']) }));
}
