// Facts about this machine the node status reports: sizes for capacity,
// identities and versions for nodeInfo. Read once at start (the boot id and
// machine id do not change while the process runs); the filesystem size is
// read again with every status.
import { readFileSync, statfsSync } from 'node:fs';
import { availableParallelism, release, totalmem } from 'node:os';

export interface MachineInfo {
  cpus: number;
  memoryBytes: number;
  /** Size of the filesystem holding the kubelet's root directory. */
  ephemeralStorageBytes: number;
  kernelVersion: string;
  osImage: string;
  /** GOARCH-style: amd64, arm64, ... */
  architecture: string;
  operatingSystem: string;
  machineId: string;
  systemUuid: string;
  bootId: string;
  /** Most processes the node can run (kernel pid_max). */
  maxPids: number;
}

const goArch: Readonly<Record<string, string>> = { x64: 'amd64', ia32: '386', arm64: 'arm64', arm: 'arm', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64' };

export function architecture(): string {
  return goArch[process.arch] ?? process.arch;
}

function readTrimmed(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** PRETTY_NAME of an os-release file ("Debian GNU/Linux 12 (bookworm)"), or "Linux". */
export function osImageFrom(text: string | undefined): string {
  for (const line of (text ?? '').split('\n')) {
    const m = /^PRETTY_NAME=(.*)$/.exec(line.trim());
    if (!m) continue;
    const value = (m[1] ?? '').trim();
    return value.replace(/^(["'])(.*)\1$/, '$2').replace(/\\(.)/g, '$1') || 'Linux';
  }
  return 'Linux';
}

/** Size in bytes of the filesystem holding `path` (0 if it cannot be read). */
export function filesystemBytes(path: string): number {
  try {
    const s = statfsSync(path);
    return s.blocks * s.bsize;
  } catch {
    return 0;
  }
}

export async function readMachineInfo(rootDir: string): Promise<MachineInfo> {
  return {
    cpus: availableParallelism(),
    memoryBytes: totalmem(),
    ephemeralStorageBytes: filesystemBytes(rootDir),
    kernelVersion: release(),
    osImage: osImageFrom(readTrimmed('/etc/os-release') ?? readTrimmed('/usr/lib/os-release')),
    architecture: architecture(),
    operatingSystem: 'linux',
    machineId: readTrimmed('/etc/machine-id') ?? readTrimmed('/var/lib/dbus/machine-id') ?? '',
    systemUuid: readTrimmed('/sys/class/dmi/id/product_uuid')?.toLowerCase() ?? '',
    bootId: readTrimmed('/proc/sys/kernel/random/boot_id') ?? '',
    maxPids: Number(readTrimmed('/proc/sys/kernel/pid_max') ?? '0') || 0,
  };
}
