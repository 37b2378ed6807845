// ImageService over a CriConnection. Pulls get their own, longer deadline.
import * as decode from './decode.js';
import * as encode from './encode.js';
import { gone, type CriConnection, type Deadlines } from './grpc-call.js';
import type { Wire } from './proto.js';
import type { CallOptions, ImageService } from './runtime.js';
import { list, obj, str } from './wire.js';

export function grpcImageService(conn: CriConnection, deadlines: Deadlines): ImageService {
  const call = (method: string, request: object, opts: CallOptions | undefined, defaultMs = deadlines.timeoutMs): Promise<Wire> =>
    conn.call('ImageService', method, request, opts?.timeoutMs ?? defaultMs, opts);

  return {
    listImages: async (opts) => list(await call('ListImages', {}, opts), 'images').map(decode.image),
    imageStatus: async (image, opts) => {
      const found = obj(await call('ImageStatus', { image: { image } }, opts), 'image');
      // The CRI answers an absent image with an empty response, not an error.
      return found && str(found, 'id') ? decode.image(found) : undefined;
    },
    pullImage: async (image, opts) => {
      const request = { image: { image }, auth: opts?.auth, sandboxConfig: opts?.sandboxConfig && encode.sandboxConfig(opts.sandboxConfig) };
      return str(await call('PullImage', request, opts, deadlines.pullTimeoutMs), 'imageRef');
    },
    removeImage: (image, opts) => gone(call('RemoveImage', { image: { image } }, opts)),
    imageFsInfo: async (opts) => {
      const res = await call('ImageFsInfo', {}, opts);
      return {
        imageFilesystems: list(res, 'imageFilesystems').map(decode.filesystemUsage),
        containerFilesystems: list(res, 'containerFilesystems').map(decode.filesystemUsage),
      };
    },
  };
}
