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
} as const;
