import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { isLevel, type Level } from '../log/logger.js';
import { defaults } from './defaults.js';
import { ConfigError } from './errors.js';

/** What `tsk8s server` was asked for, before defaults and checks. */
export interface ServerFlags {
  dataDir?: string;
  etcdListen?: string;
  logLevel?: string;
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
}

export function defaultDataDir(): string {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  return isRoot ? defaults.dataDirRoot : join(homedir(), defaults.dataDirUser);
}

/** Resolves flags into a ServerConfig; throws ConfigError naming the flag at fault. */
export function resolveServerConfig(flags: ServerFlags): ServerConfig {
  const dataDir = resolve(flags.dataDir ?? defaultDataDir());
  const logLevel = flags.logLevel ?? defaults.logLevel;
  if (!isLevel(logLevel)) {
    throw new ConfigError('bad-flag', `--log-level must be one of debug, info, warn, error (got "${logLevel}")`);
  }
  const etcdListen = flags.etcdListen === undefined ? undefined : parseLoopbackAddress(flags.etcdListen);
  const dbDir = join(dataDir, 'server', 'db');
  return {
    dataDir,
    dbDir,
    dbPath: join(dbDir, 'state.db'),
    etcdSocket: join(dbDir, 'etcd.sock'),
    etcdListen,
    logLevel,
    compactMinRetain: defaults.compactMinRetain,
    compactIntervalSeconds: defaults.compactIntervalSeconds,
  };
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
