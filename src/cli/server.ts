import { Command, Option } from 'commander';
import { resolveServerConfig, type ServerFlags } from '../config/server.js';
import { runServer } from '../server/run.js';

/** `tsk8s server`: parses flags into a ServerConfig and runs until SIGINT/SIGTERM. */
export function serverCommand(): Command {
  return new Command('server')
    .description('Run the tsk8s server: store, etcd v3 API, the Kubernetes API and a node')
    .option('-d, --data-dir <path>', 'folder holding all state (default: /var/lib/tsk8s as root, ~/.tsk8s otherwise)')
    .option('--etcd-listen <address>', 'also serve the etcd v3 API on this loopback address, e.g. 127.0.0.1:2379')
    .addOption(new Option('--log-level <level>', 'least severe level logged').choices(['debug', 'info', 'warn', 'error']))
    .option('--bind-address <ip>', 'address the Kubernetes API listens on (default: 0.0.0.0)')
    .option('--https-listen-port <port>', 'port of the Kubernetes API (default: 6443)')
    .option('--tls-san <name>', 'extra host name or IP in the serving certificate (repeatable)', collect, [])
    .option('--write-kubeconfig <path>', 'where to write the admin kubeconfig (default: /etc/tsk8s/tsk8s.yaml as root)')
    .option('--write-kubeconfig-mode <mode>', 'file mode of the admin kubeconfig (default: 0600)')
    .option('--node-name <name>', 'name of this node (default: the host name)')
    .option('--node-ip <ip>', 'IP address the node advertises (repeatable; default: the host\'s addresses)', collect, [])
    .option('--node-label <key=value>', 'label of the node at registration (repeatable)', collect, [])
    .option('--node-taint <key=value:Effect>', 'taint of the node at registration (repeatable)', collect, [])
    .option('--cluster-cidr <cidr>', 'pod addresses; each node gets a /24 of it (default: 10.42.0.0/16)')
    .option('--service-cidr <cidr>', 'ClusterIP addresses of Services (default: 10.43.0.0/16)')
    .option('--cluster-dns <ip>', 'the cluster DNS address pods are given (default: 10.43.0.10)')
    .option('--private-registry <path>', 'registries.yaml: mirrors, auth and TLS of image registries (default: /etc/tsk8s/registries.yaml)')
    .option('--kubelet-arg <key=value>', 'kubelet setting: eviction-hard, image-gc-high-threshold or image-gc-low-threshold (repeatable)', collect, [])
    .option('--disable-agent', 'run no kubelet and no containerd on this server')
    .action(async (flags: ServerFlags) => {
      const config = resolveServerConfig(flags);
      const controller = new AbortController();
      for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => controller.abort());
      const server = runServer(config, controller.signal);
      await server.ready;
      await server.stopped;
    });
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
