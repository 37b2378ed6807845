// Reading the state of links, addresses and routes from `ip -j` (iproute2's
// JSON output). The output is untrusted until each field is checked.
import { NetError } from './errors.js';
import { commandFailed, mustRun, tryRun, type CommandRunner } from './exec.js';

export interface LinkInfo {
  name: string;
  /** The link type ("bridge", "veth", ...); undefined for a plain device. */
  kind: string | undefined;
  /** Administratively up (`ip link set up`), whatever the carrier. */
  up: boolean;
  mac: string | undefined;
  mtu: number | undefined;
}

export interface AddressInfo {
  dev: string;
  address: string;
  prefix: number;
}

export interface RouteInfo {
  /** "10.42.0.0/16", a single address, or "default". */
  dst: string;
  dev: string | undefined;
  gateway: string | undefined;
  prefsrc: string | undefined;
}

/** The link called `name`, or undefined if there is none. */
export async function readLink(run: CommandRunner, name: string): Promise<LinkInfo | undefined> {
  const args = ['-d', '-j', 'link', 'show', 'dev', name];
  const result = await tryRun(run, 'ip', args);
  if (result.code !== 0) {
    if (/does not exist/i.test(result.stderr)) return undefined;
    throw commandFailed('ip', args, result);
  }
  const [entry] = objects(result.stdout, 'ip link');
  if (!entry) return undefined;
  const linkinfo = entry.linkinfo;
  const kind = isRecord(linkinfo) && typeof linkinfo.info_kind === 'string' ? linkinfo.info_kind : undefined;
  return {
    name: text(entry.ifname) ?? name,
    kind,
    up: Array.isArray(entry.flags) && entry.flags.includes('UP'),
    mac: text(entry.address),
    mtu: typeof entry.mtu === 'number' ? entry.mtu : undefined,
  };
}

/** The IPv4 addresses of one link, or of every link when `dev` is undefined. */
export async function readIpv4Addresses(run: CommandRunner, dev?: string): Promise<AddressInfo[]> {
  const stdout = await mustRun(run, 'ip', ['-j', '-4', 'addr', 'show', ...(dev === undefined ? [] : ['dev', dev])]);
  const out: AddressInfo[] = [];
  for (const link of objects(stdout, 'ip addr')) {
    const name = text(link.ifname);
    if (name === undefined || !Array.isArray(link.addr_info)) continue;
    for (const a of link.addr_info) {
      if (!isRecord(a) || a.family !== 'inet' || typeof a.local !== 'string' || typeof a.prefixlen !== 'number') continue;
      out.push({ dev: name, address: a.local, prefix: a.prefixlen });
    }
  }
  return out;
}

/** The IPv4 routes of the main table. */
export async function readIpv4Routes(run: CommandRunner): Promise<RouteInfo[]> {
  const stdout = await mustRun(run, 'ip', ['-j', '-4', 'route', 'show', 'table', 'main']);
  return objects(stdout, 'ip route').flatMap((r) =>
    typeof r.dst === 'string' ? [{ dst: r.dst, dev: text(r.dev), gateway: text(r.gateway), prefsrc: text(r.prefsrc) }] : [],
  );
}

function objects(stdout: string, what: string): Record<string, unknown>[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(stdout.trim() === '' ? '[]' : stdout);
  } catch (err) {
    throw new NetError('unexpected-output', `${what} -j printed something that is not JSON: is iproute2 older than 4.14?`, { cause: err });
  }
  if (!Array.isArray(parsed)) throw new NetError('unexpected-output', `${what} -j printed JSON that is not a list`);
  return parsed.filter(isRecord);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
