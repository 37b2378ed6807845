// Loads tsk8s's etcd v3 protocol definition (proto/etcd/*.proto at the
// package root) into service definitions: each method's path and codecs.
//
// The .proto files live outside src/ so that one relative path finds them
// from src/store/grpc (tsx) and from dist/store/grpc (after `tsc`): both
// trees sit one level below the package root, and tsc copies nothing.
//
// Decoding contract (what every handler may rely on): field names as in the
// .proto (keepCase), int64/uint64 as decimal strings (longs: String, never a
// lossy double), enums as their names (or the raw number for a value the
// .proto does not know), bytes as Buffers, every non-oneof field present with
// its default, and the name of the set member in each oneof
// (`request_union`, `request`, `target_union`).
import { fileURLToPath } from 'node:url';
import { loadSync, type Options, type ServiceDefinition } from '@grpc/proto-loader';

const protoDir = fileURLToPath(new URL('../../../proto/etcd/', import.meta.url));

const loaderOptions: Options = {
  keepCase: true,
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
  includeDirs: [protoDir],
};

export type { ServiceDefinition };
export type ServiceName = 'KV' | 'Watch' | 'Lease' | 'Cluster' | 'Maintenance';

/** The etcdserverpb services tsk8s serves, by name. Throws if the .proto files cannot be read. */
export function loadEtcdServices(): Record<ServiceName, ServiceDefinition> {
  const pkg = loadSync('rpc.proto', loaderOptions);
  const service = (name: ServiceName): ServiceDefinition => {
    const def = pkg[`etcdserverpb.${name}`];
    if (def === undefined || 'format' in def) throw new Error(`proto/etcd/rpc.proto does not define service etcdserverpb.${name}`);
    return def;
  };
  return { KV: service('KV'), Watch: service('Watch'), Lease: service('Lease'), Cluster: service('Cluster'), Maintenance: service('Maintenance') };
}
