// The node's pod bridge (cni0), created before any pod runs so that the
// cluster routes have a device to point at. The CNI bridge plugin then finds
// it ready: it accepts an existing bridge whose only IPv4 address is the
// gateway host-local hands out (it would refuse any other IPv4 address,
// since the config leaves forceAddress off).
import { NetError } from './errors.js';
import { mustRun, type CommandRunner } from './exec.js';
import { readIpv4Addresses, readLink } from './ip.js';
import { parseIpv4 } from './cidr.js';

/**
 * A fixed MAC for the bridge, derived from its gateway address (locally
 * administered prefix 0a:58, then the four address bytes). A bridge without
 * an address set by hand takes the lowest MAC of its ports, so it would change
 * as pods come and go and leave stale entries in the pods' ARP caches.
 */
export function bridgeMac(gateway: string): string {
  const a = parseIpv4(gateway);
  return ['0a', '58', ...[a >>> 24, (a >>> 16) & 255, (a >>> 8) & 255, a & 255].map((b) => b.toString(16).padStart(2, '0'))].join(':');
}

/**
 * Makes `name` a bridge that is up, has the MAC of `bridgeMac(gateway)` and
 * carries `gateway/prefix` as its only IPv4 address. Returns what it changed
 * (empty when everything was already so).
 */
export async function ensureBridge(run: CommandRunner, name: string, gateway: string, prefix: number): Promise<string[]> {
  const changes: string[] = [];
  const mac = bridgeMac(gateway);
  const link = await readLink(run, name);
  if (!link) {
    await mustRun(run, 'ip', ['link', 'add', 'name', name, 'address', mac, 'type', 'bridge']);
    changes.push('bridge created');
  } else if (link.kind !== 'bridge') {
    throw new NetError('not-a-bridge', `a link called ${name} exists and is a ${link.kind ?? 'plain device'}, not a bridge`);
  } else if (link.mac !== mac) {
    await mustRun(run, 'ip', ['link', 'set', 'dev', name, 'address', mac]);
    changes.push('mac set');
  }
  const wanted = `${gateway}/${prefix}`;
  let present = false;
  for (const a of await readIpv4Addresses(run, name)) {
    if (`${a.address}/${a.prefix}` === wanted) {
      present = true;
      continue;
    }
    // Another pod CIDR from an earlier life of this node: the bridge plugin refuses a bridge with it.
    await mustRun(run, 'ip', ['addr', 'del', `${a.address}/${a.prefix}`, 'dev', name]);
    changes.push(`address ${a.address}/${a.prefix} removed`);
  }
  if (!present) {
    await mustRun(run, 'ip', ['addr', 'add', wanted, 'dev', name]);
    changes.push(`address ${wanted} added`);
  }
  if (!link?.up) {
    await mustRun(run, 'ip', ['link', 'set', 'dev', name, 'up']);
    changes.push('bridge up');
  }
  return changes;
}

/** Deletes the bridge (its addresses and every route through it go with it). True if there was one. */
export async function removeBridge(run: CommandRunner, name: string): Promise<boolean> {
  const link = await readLink(run, name);
  if (!link) return false;
  if (link.kind !== 'bridge') throw new NetError('not-a-bridge', `a link called ${name} exists and is a ${link.kind ?? 'plain device'}, not a bridge: left alone`);
  await mustRun(run, 'ip', ['link', 'del', 'dev', name]);
  return true;
}
