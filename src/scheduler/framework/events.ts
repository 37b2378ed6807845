// Cluster events that may make an unschedulable pod schedulable, and which
// plugins' rejections each can resolve (a coarse form of upstream's
// EventsToRegister and queueing hints).
export type ClusterEvent =
  | 'NodeAdd'
  | 'NodeUpdate'
  | 'AssignedPodAdd'
  | 'AssignedPodUpdate'
  | 'AssignedPodDelete'
  | 'VolumeChange';

const resolves: Readonly<Record<ClusterEvent, readonly string[] | 'all'>> = {
  NodeAdd: 'all',
  NodeUpdate: 'all',
  AssignedPodAdd: ['InterPodAffinity', 'PodTopologySpread'],
  AssignedPodUpdate: ['InterPodAffinity', 'PodTopologySpread', 'NodeResourcesFit'],
  AssignedPodDelete: ['NodeResourcesFit', 'NodePorts', 'InterPodAffinity', 'PodTopologySpread', 'VolumeRestrictions'],
  VolumeChange: ['VolumeBinding'],
};

/** Whether `event` may help a pod rejected by `plugins` (an empty set: rejected for no plugin's reason, always retry). */
export function eventMayHelp(event: ClusterEvent, plugins: ReadonlySet<string>): boolean {
  const r = resolves[event];
  if (r === 'all' || plugins.size === 0) return true;
  return r.some((p) => plugins.has(p));
}
