// Loads tsk8s's CRI protocol definition (proto/cri/api.proto at the package
// root) into grpc-js method definitions, by full method path.
//
// The .proto lives outside src/ so that one relative path finds it from
// src/kubelet/cri (tsx) and from dist/kubelet/cri (after `tsc`).
//
// Decoding contract (what decode.ts relies on): field names in camelCase,
// int64/uint64 as decimal strings (longs: String, never a lossy double),
// enums as their names, bytes as Buffers, every scalar and repeated field
// present with its default and absent sub-messages as null.
import { fileURLToPath } from 'node:url';
import type { MethodDefinition } from '@grpc/grpc-js';
import { loadSync, type Options } from '@grpc/proto-loader';

const protoDir = fileURLToPath(new URL('../../../proto/cri/', import.meta.url));

const loaderOptions: Options = {
  keepCase: false,
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
  includeDirs: [protoDir],
};

/** A decoded message: untrusted shape until decode.ts reads it. */
export type Wire = Record<string, unknown>;

export type CriMethod = MethodDefinition<object, Wire>;

export type CriServiceName = 'RuntimeService' | 'ImageService';

/** The methods of both CRI services by name ("ContainerStatus"). Throws if the .proto cannot be read. */
export function criMethods(): Record<CriServiceName, Record<string, CriMethod>> {
  const pkg = loadSync('api.proto', loaderOptions);
  const service = (name: CriServiceName): Record<string, CriMethod> => {
    const def = pkg[`runtime.v1.${name}`];
    if (def === undefined || 'format' in def) throw new Error(`proto/cri/api.proto does not define service runtime.v1.${name}`);
    return def as Record<string, CriMethod>;
  };
  return { RuntimeService: service('RuntimeService'), ImageService: service('ImageService') };
}
