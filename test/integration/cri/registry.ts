// A read-only registry on loopback serving test images (test/helpers/images.ts)
// with the pull half of the distribution API: manifests by tag or digest and
// blobs by digest, GET and HEAD. An image "<domain>/<path>:<tag>" is served as
// "127.0.0.1:<port>/<path>:<tag>".
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ociManifestType, type TestImages } from '../../helpers/images.js';

export interface TestRegistry {
  /** "127.0.0.1:port" */
  host: string;
  /** The name under which this registry serves `imageName`. */
  nameOf(imageName: string): string;
  /** Paths requested so far ("GET /v2/..."), for asserting that a pull went here. */
  requests: string[];
  close(): Promise<void>;
}

const pathAndTag = (name: string): { path: string; tag: string } => {
  const withoutDomain = name.slice(name.indexOf('/') + 1);
  const colon = withoutDomain.lastIndexOf(':');
  return { path: withoutDomain.slice(0, colon), tag: withoutDomain.slice(colon + 1) };
};

export async function serveRegistry(images: TestImages): Promise<TestRegistry> {
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    const notFound = (code: string): void => {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ errors: [{ code, message: `${code.toLowerCase().replace('_', ' ')}` }] }));
    };
    const send = (body: Buffer, type: string, digest: string): void => {
      res.writeHead(200, { 'content-type': type, 'content-length': body.length, 'docker-content-digest': digest });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    const url = new URL(req.url ?? '/', 'http://registry');
    if (url.pathname === '/v2/' || url.pathname === '/v2') {
      res.writeHead(200, { 'content-type': 'application/json', 'docker-distribution-api-version': 'registry/2.0' });
      return void res.end('{}');
    }
    const m = /^\/v2\/(.+)\/(manifests|blobs)\/([^/]+)$/.exec(url.pathname);
    if (!m || (req.method !== 'GET' && req.method !== 'HEAD')) return notFound('UNSUPPORTED');
    const repo = m[1] ?? '';
    const kind = m[2] ?? '';
    const ref = m[3] ?? '';
    if (kind === 'blobs') {
      const blob = images.blob(ref);
      return blob ? send(blob, 'application/octet-stream', ref) : notFound('BLOB_UNKNOWN');
    }
    const image = images.images.find((i) => {
      const { path, tag } = pathAndTag(i.name);
      return path === repo && (tag === ref || i.manifestDigest === ref);
    });
    const manifest = image && images.blob(image.manifestDigest);
    return image && manifest ? send(manifest, ociManifestType, image.manifestDigest) : notFound('MANIFEST_UNKNOWN');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    host,
    requests,
    nameOf(imageName) {
      const { path, tag } = pathAndTag(imageName);
      return `${host}/${path}:${tag}`;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
