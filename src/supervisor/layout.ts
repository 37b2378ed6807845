// Where containerd's files live. Persistent data stays under the data dir;
// runtime state (sockets, runc state, network namespace mounts) goes under a
// state dir on /run, which a reboot clears — as containerd expects of it.
import { join } from 'node:path';

/** The default state dir; tests and a second instance pass their own. */
export const defaultStateDir = '/run/tsk8s/containerd';

export interface ContainerdLayout {
  /** `<data-dir>/agent/containerd`: containerd's `root` (images, snapshots, metadata). */
  root: string;
  /** containerd's `state`: sockets, task state, runc root, netns mounts. */
  state: string;
  /** `<state>/containerd.sock`: containerd's gRPC API and the CRI. */
  socket: string;
  /** `<state>/containerd.pid`: the pid of the containerd we started last. */
  pidFile: string;
  /** `<state>/runc`: runc's state (its `--root`). */
  runcRoot: string;
  /** `<data-dir>/agent/containerd/containerd.log`: containerd's own output, appended. */
  logFile: string;
  /** `<data-dir>/agent/etc/containerd/config.toml` */
  configFile: string;
  /** `<data-dir>/agent/etc/containerd/certs.d`: one `<registry>/hosts.toml` per configured registry. */
  certsDir: string;
  /** `<data-dir>/agent/etc/cni/net.d`: the CNI config the kubelet writes. */
  cniConfDir: string;
  /** Where containerd's `opt` plugin may install things (kept inside root, not /opt). */
  optDir: string;
}

export function containerdLayout(dataDir: string, stateDir: string = defaultStateDir): ContainerdLayout {
  const root = join(dataDir, 'agent', 'containerd');
  const etc = join(dataDir, 'agent', 'etc');
  return {
    root,
    state: stateDir,
    socket: join(stateDir, 'containerd.sock'),
    pidFile: join(stateDir, 'containerd.pid'),
    runcRoot: join(stateDir, 'runc'),
    logFile: join(root, 'containerd.log'),
    configFile: join(etc, 'containerd', 'config.toml'),
    certsDir: join(etc, 'containerd', 'certs.d'),
    cniConfDir: join(etc, 'cni', 'net.d'),
    optDir: join(root, 'opt'),
  };
}
