// Every default of tsk8s in one place (k3s's where a user would expect them).

export const defaults = {
  dataDirRoot: '/var/lib/tsk8s',
  /** Data dir for a non-root user. */
  dataDirUser: '.tsk8s',
  logLevel: 'info',
  /** Store compaction keeps at least this many recent revisions. */
  compactMinRetain: 1000,
  /** How often the store compacts when nothing else asks it to. */
  compactIntervalSeconds: 300,
  /** The Kubernetes API (HTTPS). */
  bindAddress: '0.0.0.0',
  httpsPort: 6443,
  /** Admin kubeconfig written at start (root; others get `<data-dir>/tsk8s.yaml`). */
  kubeconfigPath: '/etc/tsk8s/tsk8s.yaml',
  kubeconfigMode: 0o600,
  serviceCidr: '10.43.0.0/16',
  clusterCidr: '10.42.0.0/16',
  clusterDns: '10.43.0.10',
  clusterDomain: 'cluster.local',
  nodePortRange: { min: 30000, max: 32767 },
  privateRegistry: '/etc/tsk8s/registries.yaml',
  /** Image garbage collection starts at this usage of the image filesystem (percent), and frees down to the low one (upstream's). */
  imageGcHighThresholdPercent: 85,
  imageGcLowThresholdPercent: 80,
} as const;
