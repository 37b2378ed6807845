// What a leaf certificate says: subject, validity and extensions, derived
// from a LeafTemplate. Pure shaping; the CA signs (authority.ts).
import { randomBytes } from 'node:crypto';
import type { Certificate } from './pem.js';
import type { San } from './sans.js';
import { x509 } from './x509.js';

/** Extended key usages a leaf may carry. */
export type LeafUsage = 'server' | 'client';

/** Who a leaf certificate is for and what it may do. */
export interface LeafTemplate {
  /** Subject CN: the user name when used as a client certificate. */
  commonName: string;
  /** Subject O entries: the groups when used as a client certificate. */
  organizations?: readonly string[];
  usages: readonly LeafUsage[];
  /** Subject alternative names (serving certificates). */
  sans?: readonly San[];
  /** Lifetime; default 365 days, never beyond the CA's own expiry. */
  validityDays?: number;
  /** Issue time; default now. */
  now?: Date;
}

export const defaultLeafValidityDays = 365;
export const caValidityDays = 3650;

/**
 * Certificates start a little in the past so that a node whose clock lags
 * the server's accepts a certificate issued a moment ago.
 */
const backdateMs = 60 * 60 * 1000;
const dayMs = 24 * 60 * 60 * 1000;

const sanOid = '2.5.29.17';
const ekuOids: Record<LeafUsage, string> = {
  server: x509.ExtendedKeyUsage.serverAuth,
  client: x509.ExtendedKeyUsage.clientAuth,
};

/** Subject DN: one RDN per O, then CN (the order Go and OpenSSL print). */
export function subjectName(commonName: string, organizations: readonly string[] = []): x509.JsonName {
  return [...organizations.map((o) => ({ O: [o] })), { CN: [commonName] }];
}

/** A random positive 128-bit serial number (RFC 5280 allows up to 20 octets). */
export function randomSerial(): string {
  const bytes = randomBytes(16);
  bytes[0] = ((bytes[0] ?? 0) & 0x7f) | 0x40;
  return bytes.toString('hex');
}

/** notBefore/notAfter for a certificate issued at `now` for `days`, capped at `cap`. */
export function validity(now: Date, days: number, cap?: Date): { notBefore: Date; notAfter: Date } {
  const notBefore = new Date(now.getTime() - backdateMs);
  const wanted = new Date(now.getTime() + days * dayMs);
  const notAfter = cap !== undefined && cap < wanted ? cap : wanted;
  return { notBefore, notAfter };
}

/** Extensions of a leaf: not a CA, key and extended key usages, SANs, authority key id. */
export function leafExtensions(template: LeafTemplate, ca: Certificate, subjectKeyIsRsa: boolean): x509.Extension[] {
  // keyEncipherment only means something for RSA key transport.
  const keyUsage = x509.KeyUsageFlags.digitalSignature | (subjectKeyIsRsa ? x509.KeyUsageFlags.keyEncipherment : 0);
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(keyUsage, true),
    new x509.ExtendedKeyUsageExtension(template.usages.map((u) => ekuOids[u]), false),
  ];
  const sans = template.sans ?? [];
  if (sans.length > 0) {
    extensions.push(new x509.SubjectAlternativeNameExtension(sans.map((s) => ({ type: s.type, value: s.value })), false));
  }
  const caKeyId = ca.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId;
  if (caKeyId !== undefined) extensions.push(new x509.AuthorityKeyIdentifierExtension(caKeyId, false));
  return extensions;
}

/** Extensions of a self-signed CA: CA with no intermediates below, signs certificates and CRLs. */
export async function caExtensions(publicKey: x509.PublicKeyType): Promise<x509.Extension[]> {
  return [
    new x509.BasicConstraintsExtension(true, 0, true),
    new x509.KeyUsagesExtension(
      x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature,
      true,
    ),
    await x509.SubjectKeyIdentifierExtension.create(publicKey),
  ];
}

/** The IP and DNS SANs among a certificate's or request's extensions, as stored. */
export function sansIn(extensions: readonly x509.Extension[]): San[] {
  const sans: San[] = [];
  for (const ext of extensions) {
    if (ext.type !== sanOid) continue;
    for (const name of new x509.SubjectAlternativeNameExtension(ext.rawData).names.items) {
      if (name.type === 'ip' || name.type === 'dns') sans.push({ type: name.type, value: name.value });
    }
  }
  return sans;
}
