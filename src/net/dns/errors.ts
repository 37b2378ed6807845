// Cluster DNS errors: one catalogue with stable codes and, where the user
// can act, a suggestion.

export const dnsErrorCodes = {
  'listen-failed': 'the DNS server cannot listen on its address (in use, or the address is not on this host)',
  'upstream-timeout': 'an upstream resolver did not answer in time',
  'upstream-unreachable': 'an upstream resolver cannot be reached',
  'bad-upstream-answer': 'an upstream resolver answered something that is not a DNS response to the question',
} as const;

export type DnsErrorCode = keyof typeof dnsErrorCodes;

export const dnsErrorSuggestions: Partial<Record<DnsErrorCode, string>> = {
  'listen-failed': 'check that nothing else serves DNS on the cluster DNS address, and that --cluster-dns is inside --service-cidr',
};

export class DnsError extends Error {
  readonly code: DnsErrorCode;

  constructor(code: DnsErrorCode, message: string, opts: { cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'DnsError';
    this.code = code;
  }

  get suggestion(): string | undefined {
    return dnsErrorSuggestions[this.code];
  }
}

export function isDnsError(err: unknown, code?: DnsErrorCode): err is DnsError {
  return err instanceof DnsError && (code === undefined || err.code === code);
}
