import { Command, Option } from 'commander';
import { resolveServerConfig } from '../config/server.js';
import { runServer } from '../server/run.js';

/** `tsk8s server`: parses flags into a ServerConfig and runs until SIGINT/SIGTERM. */
export function serverCommand(): Command {
  return new Command('server')
    .description('Run the tsk8s server: store, etcd v3 API (more components arrive release by release)')
    .option('-d, --data-dir <path>', 'folder holding all state (default: /var/lib/tsk8s as root, ~/.tsk8s otherwise)')
    .option('--etcd-listen <address>', 'also serve the etcd v3 API on this loopback address, e.g. 127.0.0.1:2379')
    .addOption(new Option('--log-level <level>', 'least severe level logged').choices(['debug', 'info', 'warn', 'error']))
    .action(async (flags: { dataDir?: string; etcdListen?: string; logLevel?: string }) => {
      const config = resolveServerConfig(flags);
      const controller = new AbortController();
      for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => controller.abort());
      const server = runServer(config, controller.signal);
      await server.ready;
      await server.stopped;
    });
}
