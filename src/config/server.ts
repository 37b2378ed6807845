import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import { isIP } from 'node:net';
import { homedir, hostname, networkInterfaces } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { isLevel, type Level } from '../log/logger.js';
import { clusterDnsAddress, parseNodeIps, resolveAgentConfig, type AgentConfig, type AgentFlags } from './agent.js';
import { defaults } from './defaults.js';
import { ConfigError } from './errors.js';

/** What `tsk8s server` was asked for, before defaults and checks. */
export interface ServerFlags extends AgentFlags {
  dataDir?: string;
  etcdListen?: string;
  logLevel?: string;
  bindAddress?: string;
  httpsListenPort?: string;
  tlsSan?: string[];
  writeKubeconfig?: string;
  writeKubeconfigMode?: string;
  nodeName?: string;
  serviceCidr?: string;
}

/** A fully resolved, validated server configuration: the runtime sees only this. */
export interface ServerConfig {
  dataDir: string;
  /** `<dataDir>/server/db` */
  dbDir: string;
  /** SQLite database file of the embedded store. */
  dbPath: string;
  /** Unix socket serving the etcd v3 API. */
  etcdSocket: string;
  /** Loopback `host:port` also serving the etcd v3 API, if asked for. */
  etcdListen: string | undefined;
  logLevel: Level;
  compactMinRetain: number;
  compactIntervalSeconds: number;
  /** `<dataDir>/server/tls` */
  tlsDir: string;
  bindAddress: string;
  /** 0: any free port (tests). */
  httpsPort: number;
  tlsSans: string[];
  kubeconfigPath: string;
  kubeconfigMode: number;
  nodeName: string;
  nodeIps: string[];
  serviceCidr: string;
  clusterDomain: string;
  nodePortRange: { min: number; max: number };
  /** `<dataDir>/storage`: where the local-path provisioner puts volumes on the nodes (k3s's place). */
  storageDir: string;
  /** The kube-dns Service's ClusterIP, which every node serves DNS on. */
  clusterDns: string;
  /** The embedded agent (kubelet on the bundled containerd); undefined with --disable-agent. */
  agent: AgentConfig | undefined;
}

export function defaultDataDir(): string {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  return isRoot ? defaults.dataDirRoot : join(homedir(), defaults.dataDirUser);
}

/** Resolves flags into a ServerConfig; throws ConfigError naming the flag at fault. */
export function resolveServerConfig(flags: ServerFlags): ServerConfig {
  const dataDir = resolve(flags.dataDir ?? defaultDataDir());
  const isDefaultDataDir = dataDir === resolve(defaultDataDir());
  const logLevel = flags.logLevel ?? defaults.logLevel;
  if (!isLevel(logLevel)) {
    throw new ConfigError('bad-flag', `--log-level must be one of debug, info, warn, error (got "${logLevel}")`);
  }
  const etcdListen = flags.etcdListen === undefined ? undefined : parseLoopbackAddress(flags.etcdListen);
  const dbDir = join(dataDir, 'server', 'db');
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const httpsPort = parsePort('--https-listen-port', flags.httpsListenPort, defaults.httpsPort);
  const bindAddress = flags.bindAddress ?? defaults.bindAddress;
  if (isIP(bindAddress) === 0) throw new ConfigError('bad-flag', `--bind-address must be an IP address (got "${bindAddress}")`);
  const modeText = flags.writeKubeconfigMode ?? defaults.kubeconfigMode.toString(8);
  if (!/^0?[0-7]{3}$/.test(modeText)) throw new ConfigError('bad-flag', `--write-kubeconfig-mode must be an octal mode like 0600 (got "${modeText}")`);
  const tlsSans = (flags.tlsSan ?? []).flatMap((s) => s.split(',')).map((s) => s.trim()).filter((s) => s !== '');
  return {
    dataDir,
    dbDir,
    dbPath: join(dbDir, 'state.db'),
    etcdSocket: join(dbDir, 'etcd.sock'),
    etcdListen,
    logLevel,
    compactMinRetain: defaults.compactMinRetain,
    compactIntervalSeconds: defaults.compactIntervalSeconds,
    tlsDir: join(dataDir, 'server', 'tls'),
    bindAddress,
    httpsPort,
    tlsSans,
    kubeconfigPath: resolve(flags.writeKubeconfig ?? (isRoot ? defaults.kubeconfigPath : join(dataDir, 'tsk8s.yaml'))),
    kubeconfigMode: parseInt(modeText, 8),
    nodeName: (flags.nodeName ?? hostname()).toLowerCase(),
    nodeIps: flags.nodeIp && flags.nodeIp.length > 0 ? parseNodeIps(flags.nodeIp) : hostIps(),
    serviceCidr: serviceCidr(flags.serviceCidr),
    clusterDomain: defaults.clusterDomain,
    nodePortRange: { ...defaults.nodePortRange },
    storageDir: join(dataDir, 'storage'),
    clusterDns: clusterDnsAddress(flags),
    agent: flags.disableAgent ? undefined : resolveAgentConfig(dataDir, isDefaultDataDir, flags),
  };
}

function serviceCidr(value: string | undefined): string {
  const cidr = value ?? defaults.serviceCidr;
  const [ip, bits] = cidr.split('/');
  if (isIP(ip ?? '') !== 4 || !/^\d{1,2}$/.test(bits ?? '') || Number(bits) < 12 || Number(bits) > 28) {
    throw new ConfigError('bad-flag', `--service-cidr must be an IPv4 CIDR from /12 to /28 like 10.43.0.0/16 (got "${cidr}")`);
  }
  return cidr;
}

function parsePort(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const port = /^\d{1,5}$/.test(value) ? Number(value) : NaN;
  if (!(port >= 0 && port <= 65535)) throw new ConfigError('bad-flag', `${flag} must be a port number (got "${value}")`);
  return port;
}

/** The host's non-loopback addresses, IPv4 first. */
function hostIps(): string[] {
  const ips: string[] = [];
  for (const addrs of Object.values(networkInterfaces())) {
    for (const a of addrs ?? []) if (!a.internal && !a.address.startsWith('fe80:')) ips.push(a.address);
  }
  return ips.sort((a, b) => Number(a.includes(':')) - Number(b.includes(':')));
}

/** Creates the data dir layout and checks it is writable, or throws ConfigError. */
export function prepareDataDir(config: ServerConfig): void {
  if (!isAbsolute(config.dataDir)) throw new ConfigError('data-dir', `--data-dir must be absolute: ${config.dataDir}`);
  try {
    const st = statSync(config.dataDir, { throwIfNoEntry: false });
    if (st && !st.isDirectory()) {
      throw new ConfigError('data-dir', `--data-dir ${config.dataDir} exists and is not a directory`);
    }
    mkdirSync(config.dbDir, { recursive: true, mode: 0o700 });
    accessSync(config.dbDir, constants.W_OK | constants.R_OK);
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    const reason = err instanceof Error && 'code' in err ? String(err.code) : String(err);
    throw new ConfigError('data-dir', `--data-dir ${config.dataDir} is not usable (${reason})`);
  }
}

/** Accepts `port`, `127.0.0.1:port`, `localhost:port` or `[::1]:port`; the etcd API never leaves loopback. */
function parseLoopbackAddress(value: string): string {
  const match = /^(?:(127\.0\.0\.1|localhost|\[::1\]):)?(\d{1,5})$/.exec(value);
  const port = match ? Number(match[2]) : NaN;
  if (!match || port < 1 || port > 65535) {
    throw new ConfigError('bad-flag', `--etcd-listen must be a loopback address like 127.0.0.1:2379 (got "${value}")`);
  }
  return `${match[1] ?? '127.0.0.1'}:${port}`;
}
