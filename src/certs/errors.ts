// Certificate, key and join-token errors: one catalogue with stable codes.
// Messages name the file or value at fault and say what the user can do.
// They never contain private keys, passwords or whole tokens: CA hashes,
// serial numbers and subjects are public and may appear.

export const certsErrorCodes = {
  'file-unreadable': 'a certificate, key or token file exists but cannot be read',
  'file-unwritable': 'a certificate, key, kubeconfig or token file cannot be written',
  'file-corrupt': 'a file does not hold the PEM certificate or private key it should',
  'ca-incomplete': 'only one of a CA certificate and its key exists',
  'key-mismatch': 'a private key does not belong to the certificate beside it',
  'not-a-ca': 'a CA certificate file holds a certificate that may not sign others',
  'unsupported-key': 'a key type tsk8s cannot sign with (use ECDSA P-256/P-384 or RSA)',
  'bad-san': 'a subject alternative name is neither an IP address nor a DNS name',
  'bad-public-key': 'a public key to certify cannot be parsed',
  'bad-csr': 'a certificate signing request cannot be parsed or its signature is wrong',
  'bad-token': 'a join token is not in the K10<hash>::<user>:<password> format',
  'ca-pin-mismatch': "the server's CA does not match the hash in the join token",
  'client-cert-missing': 'the peer presented no client certificate',
  'client-cert-rejected': 'a client certificate was not issued by a trusted CA or is not valid now',
  'service-key-missing': 'the service-account public key exists but its private key does not',
  'token-malformed': 'a service-account token is not a JWT with the claims this server issues',
  'token-issuer': 'a service-account token was issued by someone else (its iss claim)',
  'token-signature': "a service-account token's signature does not verify with the signing key",
  'token-audience': 'none of the audiences of a service-account token is one the verifier accepts',
  'token-expired': 'a service-account token has expired',
  'token-not-yet-valid': 'a service-account token is not valid yet (nbf or iat lies in the future)',
} as const;

export type CertsErrorCode = keyof typeof certsErrorCodes;

export class CertsError extends Error {
  readonly code: CertsErrorCode;
  /** The file at fault, when there is one. */
  readonly path: string | undefined;

  constructor(code: CertsErrorCode, message: string, opts: { path?: string; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'CertsError';
    this.code = code;
    this.path = opts.path;
  }
}

export function isCertsError(err: unknown, code?: CertsErrorCode): err is CertsError {
  return err instanceof CertsError && (code === undefined || err.code === code);
}

/** The errno code of a Node fs error (`ENOENT`, `EACCES`, ...), or undefined. */
export function errnoCode(err: unknown): string | undefined {
  return err instanceof Error && 'code' in err && typeof err.code === 'string' ? err.code : undefined;
}

/** A short reason for a low-level failure, safe to show: the errno code or the error's own message. */
export function reasonOf(err: unknown): string {
  return errnoCode(err) ?? (err instanceof Error ? err.message : String(err));
}

/**
 * Attributes a CertsError raised while parsing to the file (or named input)
 * it came from, adding what the user can do. Other errors pass through.
 */
export function inFile(name: string, err: unknown): unknown {
  if (!(err instanceof CertsError) || err.path !== undefined) return err;
  const advice =
    err.code === 'file-corrupt'
      ? ': restore it from a backup, or remove it and the file paired with it so tsk8s creates new ones'
      : '';
  return new CertsError(err.code, `${name}: ${err.message}${advice}`, { path: name, cause: err });
}

/** Runs a synchronous parse step, attributing its CertsError to `name` (see inFile). */
export function parsedFrom<T>(name: string, parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    throw inFile(name, err);
  }
}

/** parsedFrom for an asynchronous step. */
export async function parsedFromAsync<T>(name: string, parse: () => Promise<T>): Promise<T> {
  try {
    return await parse();
  } catch (err) {
    throw inFile(name, err);
  }
}
