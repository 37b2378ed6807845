// The node side of tsk8s, in order: the bundled runtime installed into the
// data dir → the pod network (bridge, cluster routes, CNI config), with
// cluster DNS on the bridge from then on → containerd → the bundled and
// dropped-in images → the kubelet. Each step waits for the one before;
// stopping ends the loops and containerd but leaves pods running, so the
// next start adopts them.
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { corev1 } from '../api/types.js';
import type { Client } from '../client/index.js';
import type { AgentConfig } from '../config/agent.js';
import { readRegistriesFile } from '../config/registries-file.js';
import { connectCri } from '../kubelet/cri/grpc.js';
import { startImageImporter, sandboxImage } from '../kubelet/images/index.js';
import { startKubelet } from '../kubelet/index.js';
import { criLookup, startKubeletServer, type KubeletServer } from '../kubelet/server/index.js';
import type { Logger } from '../log/logger.js';
import { startClusterDns } from '../net/dns/index.js';
import { allocatePodCidr, hostRunner, setupPodNetwork, writeCniConfig } from '../net/index.js';
import { startServiceProxy } from '../net/proxy/index.js';
import { installRuntime, registriesFromDocument, startContainerd } from '../supervisor/index.js';

export interface AgentOptions {
  dataDir: string;
  agent: AgentConfig;
  client: Client;
  nodeName: string;
  nodeIps: string[];
  serviceCidr: string;
  clusterDomain: string;
  kubeletVersion: string;
  /** The kubelet API's serving pair and the CA of the clients it lets in; without it the API is not served. */
  kubeletServing?: { certPem: string; keyPem: string; clientCaPem: string };
  /** Called once the kubelet API serves, with its in-process entry for an apiserver running in the same process. */
  onKubeletApi?: (api: Pick<KubeletServer, 'serveLocal'>) => void;
  logFor(component: string): Logger;
}

export interface RunningAgent {
  /** Resolves when the node is registered and pods are being run. */
  ready: Promise<void>;
  /** Resolves when the kubelet and containerd have stopped after the signal aborted. */
  stopped: Promise<void>;
}

/** Deadline of the kubelet's CRI calls but pulls (upstream's --runtime-request-timeout default). */
const runtimeRequestTimeoutMs = 120_000;

/** Where the kubelet API listens (upstream's port; the node status reports it). */
const kubeletApiPort = 10250;

export function runAgent(opts: AgentOptions, signal: AbortSignal): RunningAgent {
  const log = opts.logFor('agent');
  const { agent } = opts;
  const waits: Promise<unknown>[] = [];

  const ready = (async () => {
    let t = Date.now();
    const runtime = await installRuntime({ dataDir: opts.dataDir, logger: opts.logFor('runtime') });
    log.info(runtime.installed ? 'runtime installed' : 'runtime ready', { dir: runtime.binDir, ms: Date.now() - t });

    const podCidr = await podCidrOf(opts.client, opts.nodeName, agent.clusterCidr);
    const net = await setupPodNetwork({ podCidr, clusterCidr: agent.clusterCidr, serviceCidr: opts.serviceCidr, logger: opts.logFor('net') });
    // Cluster DNS serves on its own address, put on the bridge: pods' queries stay on this node.
    const dns = startClusterDns({ client: opts.client, host: agent.clusterDns, domain: opts.clusterDomain, bridge: { name: net.bridge, run: hostRunner }, logger: opts.logFor('dns') }, signal);
    waits.push(dns.stopped);
    waits.push(startServiceProxy({ client: opts.client, nodeName: opts.nodeName, clusterCidr: agent.clusterCidr, logger: opts.logFor('proxy') }, signal).stopped);
    const containerdOpts = {
      dataDir: opts.dataDir,
      binDir: runtime.binDir,
      stateDir: agent.containerdStateDir,
      sandboxImage,
      registries: registriesFromDocument(readRegistriesFile(agent.privateRegistry), agent.privateRegistry, (m) => log.warn(m)),
      logger: opts.logFor('containerd'),
    };
    const containerd = startContainerd(containerdOpts, signal);
    waits.push(containerd.stopped);
    writeCniConfig(containerd.layout.cniConfDir, { podCidr, ipamDataDir: join(agent.dir, 'cni', 'networks'), ...(net.uplinkMtu ? { mtu: net.uplinkMtu } : {}) });
    t = Date.now();
    const info = await containerd.ready;
    log.info('containerd ready', { version: info.version, socket: info.socket, ms: Date.now() - t });

    t = Date.now();
    const images = startImageImporter({ ctrPath: join(runtime.binDir, 'ctr'), address: info.socket, dirs: [agent.imagesDir], logger: opts.logFor('images') }, signal);
    waits.push(images.stopped);
    const summary = await images.ready;
    log.info('images ready', { imported: summary.imported, present: summary.present, failed: summary.failed, ms: Date.now() - t });

    // Upstream's runtime-request-timeout: under a burst of pod starts containerd queues calls well past 10 s.
    const cri = connectCri({ endpoint: info.socket, timeoutMs: runtimeRequestTimeoutMs });
    const kubelet = startKubelet(
      {
        client: opts.client,
        runtime: cri,
        nodeName: opts.nodeName,
        nodeIps: opts.nodeIps,
        hostname: hostname(),
        podCidr,
        labels: agent.nodeLabels,
        taints: agent.nodeTaints as corev1.Taint[],
        rootDir: agent.dir,
        podLogDir: agent.podLogDir,
        storageDir: agent.storageDir,
        podManifestsDir: agent.podManifestsDir,
        cgroupRoot: agent.cgroupRoot,
        clusterDns: [agent.clusterDns],
        clusterDomain: opts.clusterDomain,
        sandboxImage,
        pinnedImages: () => images.pinned(),
        evictionHard: agent.kubelet.evictionHard,
        imageGc: { highThresholdPercent: agent.kubelet.imageGcHighThresholdPercent, lowThresholdPercent: agent.kubelet.imageGcLowThresholdPercent },
        kubeletVersion: opts.kubeletVersion,
        logger: opts.logFor('kubelet'),
      },
      signal,
    );
    const api = opts.kubeletServing
      ? startKubeletServer({ port: kubeletApiPort, host: '0.0.0.0', tls: opts.kubeletServing, runtime: cri, lookup: criLookup(cri), logger: opts.logFor('kubelet-api') }, signal)
      : undefined;
    waits.push(Promise.all([kubelet.stopped, api?.stopped]).then(() => cri.close()));
    await Promise.all([kubelet.ready, api?.ready, dns.ready]);
    if (api) opts.onKubeletApi?.(api);
  })();

  const stopped = ready.then(
    () => Promise.all(waits).then(() => undefined),
    () => Promise.all(waits).then(() => undefined),
  );
  return { ready, stopped };
}

/** The node's pod CIDR: the one it registered with before, else the first free /24 of the cluster CIDR. */
async function podCidrOf(client: Client, nodeName: string, clusterCidr: string): Promise<string> {
  const nodes = await client.nodes.list();
  const own = nodes.items.find((n) => n.metadata?.name === nodeName)?.spec?.podCIDR;
  if (own) return own;
  const used = nodes.items.flatMap((n) => n.spec?.podCIDRs ?? (n.spec?.podCIDR ? [n.spec.podCIDR] : []));
  return allocatePodCidr(clusterCidr, used);
}
