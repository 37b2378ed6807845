// Leases: node heartbeats and leader election.
import type { coordinationv1 } from '../types.js';
import { age } from './age.js';
import { ageColumn, column, definePrinter, nameColumn } from './columns.js';
import { text } from './read.js';

export const leasePrinter = definePrinter<coordinationv1.Lease>(
  [nameColumn, column('Holder', 'string', 'The identity of the current holder of the lease.'), ageColumn],
  (lease, now) => [text(lease.metadata?.name), text(lease.spec?.holderIdentity), age(lease.metadata?.creationTimestamp, now)],
);
