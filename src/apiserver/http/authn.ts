// x509 client-certificate authentication, verified once per TLS connection.
// Requests without a valid certificate are anonymous; anonymous requests
// may only reach the health and version endpoints.
import type { TLSSocket } from 'node:tls';
import type { ClientCertVerifier } from '../../certs/index.js';
import type { UserInfo } from '../rest/types.js';

export const anonymous: UserInfo = { username: 'system:anonymous', groups: ['system:unauthenticated'] };

const anonymousPaths = /^\/(?:healthz|livez|readyz|version)(?:\/.*)?$/;

export function anonymousAllowed(path: string): boolean {
  return anonymousPaths.test(path);
}

export class ConnectionAuthenticator {
  private readonly identities = new WeakMap<TLSSocket, Promise<UserInfo | undefined>>();

  constructor(private readonly verifier: ClientCertVerifier) {}

  /** The user the connection's client certificate names, or undefined (anonymous). */
  authenticate(socket: TLSSocket): Promise<UserInfo | undefined> {
    let found = this.identities.get(socket);
    if (!found) {
      found = this.verify(socket);
      this.identities.set(socket, found);
    }
    return found;
  }

  private async verify(socket: TLSSocket): Promise<UserInfo | undefined> {
    const peer = socket.getPeerCertificate(true);
    if (!peer || !('raw' in peer) || !peer.raw) return undefined;
    try {
      const id = await this.verifier.verify(peer);
      const groups = id.groups.includes('system:authenticated') ? id.groups : [...id.groups, 'system:authenticated'];
      return { username: id.user, groups };
    } catch {
      return undefined;
    }
  }
}
