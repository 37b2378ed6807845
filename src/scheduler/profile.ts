// The default profile: upstream's default plugin set, in its order, with
// its score weights. VolumeBinding joins when the scheduler has volume
// informers to give it. A plugin in `plugins` runs at every point it
// implements.
import type { Profile } from './framework/cycle.js';
import { balancedAllocation, balancedAllocationName } from './plugins/balancedallocation.js';
import { imageLocality, imageLocalityName } from './plugins/imagelocality.js';
import { interPodAffinity, interPodAffinityName } from './plugins/interpodaffinity.js';
import { nodeAffinity, nodeAffinityName } from './plugins/nodeaffinity.js';
import { nodeName } from './plugins/nodename.js';
import { nodePorts } from './plugins/nodeports.js';
import { nodeResourcesFit, nodeResourcesFitName } from './plugins/noderesourcesfit.js';
import { nodeUnschedulable } from './plugins/nodeunschedulable.js';
import { podTopologySpread, podTopologySpreadName } from './plugins/podtopologyspread.js';
import { taintToleration, taintTolerationName } from './plugins/tainttoleration.js';
import { volumeBinding, type VolumeAccess } from './plugins/volumebinding.js';

export const defaultSchedulerName = 'default-scheduler';

export function defaultProfile(schedulerName = defaultSchedulerName, volumes?: VolumeAccess): Profile {
  return {
    schedulerName,
    plugins: [
      nodeUnschedulable,
      nodeName,
      taintToleration,
      nodeAffinity,
      nodePorts,
      nodeResourcesFit,
      ...(volumes ? [volumeBinding(volumes)] : []),
      podTopologySpread,
      interPodAffinity,
      balancedAllocation,
      imageLocality,
    ],
    weights: {
      [taintTolerationName]: 3,
      [nodeAffinityName]: 2,
      [podTopologySpreadName]: 2,
      [interPodAffinityName]: 2,
      [nodeResourcesFitName]: 1,
      [balancedAllocationName]: 1,
      [imageLocalityName]: 1,
    },
  };
}
