// Pod network errors: one catalogue with stable codes and, where the user can
// act, a suggestion. Messages name the address, device or command at fault.

export const netErrorCodes = {
  'bad-address': 'a value is not an IPv4 address in dotted-quad form',
  'bad-cidr': 'a value is not an IPv4 CIDR (address/prefix length)',
  'bad-mask': 'a prefix length for pod CIDRs does not fit inside the cluster CIDR or leaves no room for pods',
  'cidr-exhausted': 'every pod CIDR of the cluster CIDR is already given to a node',
  'cidr-overlap': 'the cluster CIDR and the service CIDR overlap',
  'pod-cidr-outside': "the node's pod CIDR is not inside the cluster CIDR",
  'address-conflict': 'an interface of this host already has an address inside the cluster or service CIDR',
  'not-a-bridge': 'a link with the bridge name exists and is not a bridge',
  'command-missing': 'a command the pod network needs (ip, iptables-save, iptables-restore) is not installed',
  'command-failed': 'a command that configures the pod network failed',
  'unexpected-output': 'a command printed something this code cannot read',
  'cni-config-write': 'the CNI config cannot be written',
} as const;

export type NetErrorCode = keyof typeof netErrorCodes;

export const netErrorSuggestions: Partial<Record<NetErrorCode, string>> = {
  'cidr-exhausted': 'give the cluster a larger --cluster-cidr, or remove nodes that are gone',
  'cidr-overlap': 'choose a --service-cidr outside --cluster-cidr',
  'address-conflict': 'choose a --cluster-cidr and --service-cidr that no network of this host uses',
  'not-a-bridge': 'remove that link (ip link del <name>) or stop what created it',
  'command-missing': 'install iproute2 and iptables',
};

export class NetError extends Error {
  readonly code: NetErrorCode;

  constructor(code: NetErrorCode, message: string, opts: { cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'NetError';
    this.code = code;
  }

  get suggestion(): string | undefined {
    return netErrorSuggestions[this.code];
  }
}

export function isNetError(err: unknown, code?: NetErrorCode): err is NetError {
  return err instanceof NetError && (code === undefined || err.code === code);
}
