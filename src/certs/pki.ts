// The server's certificates under `<data-dir>/server/tls`: created on the
// first start, loaded on later ones, leaves re-issued when what they must
// say has changed.
//
// Two CAs, as k3s has: `server-ca` signs serving certificates and is what
// clients trust (its hash is pinned in join tokens); `client-ca` signs the
// client certificates the apiserver and kubelets accept. Keeping them apart
// means a certificate from one can never pass as the other, and the client
// CA can be replaced (cutting off every client certificate) without touching
// the CA every agent and kubeconfig pins.
//
// Rules: CAs are never replaced silently. A missing CA pair is created; half
// a pair, a damaged file or a key that does not match stops the start with a
// CertsError naming the file. Leaves are disposable (nothing pins them): a
// missing or mismatched leaf, or one whose subject, SANs or issuer no longer
// fit, or that expires within 90 days, is re-issued. A damaged leaf file is
// still an error, so a disk problem is noticed rather than papered over.
// The service-account signing key lives here too, under its own rules
// (serviceaccount.ts).
import { join } from 'node:path';
import { silentLogger, type Logger } from '../log/logger.js';
import { CertificateAuthority } from './authority.js';
import { CertsError, parsedFrom, parsedFromAsync } from './errors.js';
import { readIfExists, tightenKeyMode, writeCertAndKey } from './files.js';
import { generateKey, importPrivateKeyPem, sameBytes } from './keys.js';
import { sansIn, type LeafTemplate } from './leaf.js';
import { parseCertificate, type Certificate } from './pem.js';
import { apiserverSans, sameSans, type ApiserverSanOptions } from './sans.js';
import { ensureServiceAccountKey, type ServiceAccountKeyFiles } from './serviceaccount.js';

/** Base names under the tls dir; each is a `.crt` and `.key` pair. */
export const pkiFileNames = {
  serverCa: 'server-ca',
  clientCa: 'client-ca',
  serving: 'serving-kube-apiserver',
  admin: 'client-admin',
  apiserverClient: 'client-kube-apiserver',
} as const;

/** Users and groups of the built-in client certificates (upstream's names). */
export const builtinIdentities = {
  admin: { commonName: 'system:admin', organizations: ['system:masters'] },
  apiserverClient: { commonName: 'system:kube-apiserver', organizations: ['system:masters'] },
} as const;

export interface PkiOptions extends ApiserverSanOptions {
  logger?: Logger;
  /** Clock; tests move it to exercise renewal. */
  now?: () => Date;
}

export interface CaFiles {
  ca: CertificateAuthority;
  certPath: string;
  keyPath: string;
}

export interface LeafFiles {
  certPath: string;
  keyPath: string;
  certPem: string;
  keyPem: string;
}

export interface Pki {
  dir: string;
  /** Signs serving certificates; clients trust it; join tokens pin it. */
  serverCa: CaFiles;
  /** Signs client certificates; the apiserver and kubelets trust it for client authentication. */
  clientCa: CaFiles;
  /** The apiserver's serving certificate (server-ca). */
  serving: LeafFiles;
  /** `system:admin` in `system:masters`, for the admin kubeconfig (client-ca). */
  admin: LeafFiles;
  /** The apiserver's client certificate towards kubelets (logs, exec, port-forward) (client-ca). */
  apiserverClient: LeafFiles;
  /** Signs service-account tokens (`service.key`, `service.pub`); kept across starts, never re-issued. */
  serviceAccount: ServiceAccountKeyFiles;
  /** Base names of the certificate pairs this call wrote, e.g. `['serving-kube-apiserver']`; empty when nothing changed. */
  written: readonly string[];
}

const renewWithinMs = 90 * 24 * 60 * 60 * 1000;

/** Creates or loads every certificate the server needs under `dir`. */
export async function ensurePki(dir: string, opts: PkiOptions): Promise<Pki> {
  const log = opts.logger ?? silentLogger;
  const now = opts.now ?? (() => new Date());
  const written: string[] = [];
  const unix = Math.floor(now().getTime() / 1000);

  const serverCa = await ensureCa(dir, pkiFileNames.serverCa, `tsk8s-server-ca@${unix}`, now(), log, written);
  const clientCa = await ensureCa(dir, pkiFileNames.clientCa, `tsk8s-client-ca@${unix}`, now(), log, written);
  const leaf = (name: string, ca: CertificateAuthority, template: LeafTemplate) =>
    ensureLeaf(dir, name, ca, { ...template, now: now() }, log, written);

  const serving = await leaf(pkiFileNames.serving, serverCa.ca, {
    commonName: 'kube-apiserver',
    usages: ['server'],
    sans: apiserverSans(opts),
  });
  const admin = await leaf(pkiFileNames.admin, clientCa.ca, { ...builtinIdentities.admin, usages: ['client'] });
  const apiserverClient = await leaf(pkiFileNames.apiserverClient, clientCa.ca, {
    ...builtinIdentities.apiserverClient,
    usages: ['client'],
  });
  const serviceAccount = await ensureServiceAccountKey(dir, log);
  log.info(written.length === 0 ? 'certificates loaded' : 'certificates ready', { dir, written: written.join(',') || undefined });
  return { dir, serverCa, clientCa, serving, admin, apiserverClient, serviceAccount, written };
}

async function ensureCa(dir: string, name: string, commonName: string, now: Date, log: Logger, written: string[]): Promise<CaFiles> {
  const certPath = join(dir, `${name}.crt`);
  const keyPath = join(dir, `${name}.key`);
  const certPem = readIfExists(certPath);
  const keyPem = readIfExists(keyPath);
  if (certPem === undefined && keyPem === undefined) {
    const created = await CertificateAuthority.generate(commonName, now);
    writeCertAndKey(certPath, created.ca.certPem, keyPath, created.keyPem);
    written.push(name);
    log.info('created CA', { name, subject: `CN=${commonName}`, notAfter: created.ca.notAfter.toISOString() });
    return { ca: created.ca, certPath, keyPath };
  }
  if (certPem === undefined || keyPem === undefined) {
    const [present, missing] = certPem === undefined ? [keyPath, certPath] : [certPath, keyPath];
    throw new CertsError(
      'ca-incomplete',
      `${present} exists but ${missing} does not: restore ${missing} from a backup. ` +
        `Only to give this cluster a new CA (every agent must rejoin and every kubeconfig be replaced), remove ${present} as well.`,
      { path: missing },
    );
  }
  tightenKeyMode(keyPath, log);
  const ca = await CertificateAuthority.fromPem(certPem, keyPem, { cert: certPath, key: keyPath });
  if (ca.notAfter.getTime() - now.getTime() < renewWithinMs) {
    log.warn('CA expires soon; certificates it signs cannot outlive it', { name, notAfter: ca.notAfter.toISOString() });
  }
  return { ca, certPath, keyPath };
}

async function ensureLeaf(
  dir: string,
  name: string,
  ca: CertificateAuthority,
  template: LeafTemplate,
  log: Logger,
  written: string[],
): Promise<LeafFiles> {
  const certPath = join(dir, `${name}.crt`);
  const keyPath = join(dir, `${name}.key`);
  const certPem = readIfExists(certPath);
  const keyPem = readIfExists(keyPath);
  let reason = 'missing';
  if (certPem !== undefined && keyPem !== undefined) {
    tightenKeyMode(keyPath, log);
    const cert = parsedFrom(certPath, () => parseCertificate(certPem));
    const key = await parsedFromAsync(keyPath, () => importPrivateKeyPem(keyPem));
    const stale = sameBytes(new Uint8Array(cert.publicKey.rawData), key.publicKeyDer)
      ? await staleness(cert, ca, template)
      : 'key-mismatch';
    if (stale === undefined) return { certPath, keyPath, certPem, keyPem };
    reason = stale;
  }
  const fresh = await generateKey();
  const freshCert = await ca.issue(template, fresh.publicKey);
  writeCertAndKey(certPath, freshCert, keyPath, fresh.keyPem);
  written.push(name);
  log.info('issued certificate', { name, reason, subject: `CN=${template.commonName}` });
  return { certPath, keyPath, certPem: freshCert, keyPem: fresh.keyPem };
}

/** Why a stored leaf must be re-issued, or undefined when it still fits the template. */
async function staleness(cert: Certificate, ca: CertificateAuthority, template: LeafTemplate): Promise<string | undefined> {
  if (!(await ca.signed(cert))) return 'issuer-changed';
  const now = (template.now ?? new Date()).getTime();
  // A leaf cannot outlive its CA, so one that already ends with the CA is as good as it gets.
  if (cert.notAfter.getTime() - now < renewWithinMs && cert.notAfter < ca.notAfter) return 'expiring';
  const subject = cert.subjectName;
  const organizations = template.organizations ?? [];
  if (
    subject.getField('CN').join('\n') !== template.commonName ||
    [...subject.getField('O')].sort().join('\n') !== [...organizations].sort().join('\n')
  ) {
    return 'subject-changed';
  }
  if (!sameSans(sansIn(cert.extensions), template.sans ?? [])) return 'sans-changed';
  return undefined;
}
