// Store errors: one catalogue, stable codes, etcd's exact messages (clients
// match on the message text). Drivers translate their own failures here.

export const storeErrors = {
  compacted: 'etcdserver: mvcc: required revision has been compacted',
  'future-revision': 'etcdserver: mvcc: required revision is a future revision',
  'key-not-provided': 'etcdserver: key is not provided',
  'duplicate-key': 'etcdserver: duplicate key given in txn request',
  'too-many-ops': 'etcdserver: too many operations in txn request',
  'key-not-found': 'etcdserver: key not found',
  'lease-not-found': 'etcdserver: requested lease not found',
  'lease-exists': 'etcdserver: lease already exists',
  'lease-ttl-too-large': 'etcdserver: too large lease TTL',
  'request-too-large': 'etcdserver: request is too large',
  unsupported: 'etcdserver: unsupported operation',
  closed: 'tsk8s: store is closed',
} as const;

export type StoreErrorCode = keyof typeof storeErrors;

export class StoreError extends Error {
  readonly code: StoreErrorCode;
  /** For 'compacted': the store's compact revision. */
  readonly compactRevision: number | undefined;

  constructor(code: StoreErrorCode, opts: { compactRevision?: number; message?: string } = {}) {
    super(opts.message ?? storeErrors[code]);
    this.name = 'StoreError';
    this.code = code;
    this.compactRevision = opts.compactRevision;
  }
}

export function isStoreError(err: unknown, code?: StoreErrorCode): err is StoreError {
  return err instanceof StoreError && (code === undefined || err.code === code);
}
