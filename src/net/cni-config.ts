// The CNI network config containerd's CRI plugin uses for every pod: the
// bridge plugin on cni0 with host-local addresses from the node's pod CIDR,
// then portmap for hostPorts. What it leaves out, and why:
//  - loopback: containerd adds its own loopback network to every sandbox
//    (it needs only the `loopback` binary in its CNI bin dir);
//  - ipMasq: off, as k3s has it (flannel delegates to the bridge with ipMasq
//    off and masquerades itself). The bridge plugin would add a chain per pod
//    that masquerades everything leaving the pod CIDR — other nodes' pods
//    included — so pod-to-pod traffic across nodes would lose its source
//    address. The node installs one rule set for the whole cluster CIDR
//    instead (iptables.ts);
//  - isDefaultGateway: the default route comes from host-local's routes;
//  - forceAddress: off, so the plugin never renumbers the bridge behind the
//    node's back: setupPodNetwork owns the bridge's address.
// The file is replaced atomically: containerd watches the directory and
// reloads on every change, so it must never see half a file.
import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { formatCidr, parseCidr, podGateway } from './cidr.js';
import { NetError } from './errors.js';

/** The CNI network's name: portmap's rules and host-local's state are keyed by it. */
export const cniNetworkName = 'tsk8s';
/** Sorts before most other configs: containerd uses the first file of its conf dir. */
export const cniConfigFileName = '10-tsk8s.conflist';
/** The newest CNI spec version both containerd 1.6 and the bundled plugins (1.1.1) speak. */
export const cniVersion = '1.0.0';

export interface CniConfigInput {
  /** The node's pod CIDR ("10.42.0.0/24"). */
  podCidr: string;
  /** host-local's allocation state (one file per address in use); kept under the data dir, not /var/lib/cni. */
  ipamDataDir: string;
  /** The bridge; default cni0. */
  bridge?: string;
  /** MTU of the pods' interfaces; the plugin's default (1500) when unset. */
  mtu?: number;
}

export interface CniConfList {
  cniVersion: string;
  name: string;
  plugins: Record<string, unknown>[];
}

export function renderCniConfig(input: CniConfigInput): CniConfList {
  const subnet = formatCidr(parseCidr(input.podCidr));
  return {
    cniVersion,
    name: cniNetworkName,
    plugins: [
      {
        type: 'bridge',
        bridge: input.bridge ?? 'cni0',
        isGateway: true,
        ipMasq: false,
        hairpinMode: true,
        forceAddress: false,
        ...(input.mtu === undefined ? {} : { mtu: input.mtu }),
        ipam: {
          type: 'host-local',
          ranges: [[{ subnet, gateway: podGateway(subnet) }]],
          routes: [{ dst: '0.0.0.0/0' }],
          dataDir: input.ipamDataDir,
        },
      },
      { type: 'portmap', snat: true, capabilities: { portMappings: true } },
    ],
  };
}

export function cniConfigText(input: CniConfigInput): string {
  return `${JSON.stringify(renderCniConfig(input), null, 2)}\n`;
}

export interface WrittenCniConfig {
  path: string;
  /** False when the file already had this content (then it is not touched, and containerd does not reload). */
  changed: boolean;
  /** Other CNI configs in the directory that sort first: containerd would use one of them instead. */
  shadowedBy: string[];
}

const configExtensions = ['.conf', '.conflist', '.json'];

/** Writes the conflist into containerd's CNI conf dir, atomically (temp file, fsync, rename). */
export function writeCniConfig(confDir: string, input: CniConfigInput): WrittenCniConfig {
  const text = cniConfigText(input);
  const path = join(confDir, cniConfigFileName);
  try {
    mkdirSync(confDir, { recursive: true, mode: 0o755 });
    mkdirSync(input.ipamDataDir, { recursive: true, mode: 0o700 });
    const shadowedBy = readdirSync(confDir)
      .filter((f) => configExtensions.some((e) => f.endsWith(e)) && f < cniConfigFileName)
      .sort();
    if (readIfExists(path) === text) return { path, changed: false, shadowedBy };
    // The temp name has no config extension, so containerd never loads it.
    const temp = join(confDir, `.${cniConfigFileName}.${process.pid}.tmp`);
    try {
      const fd = openSync(temp, 'w', 0o644);
      try {
        writeSync(fd, text);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(temp, path);
    } finally {
      rmSync(temp, { force: true });
    }
    return { path, changed: true, shadowedBy };
  } catch (err) {
    if (err instanceof NetError) throw err;
    throw new NetError('cni-config-write', `cannot write ${path}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}

function readIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
