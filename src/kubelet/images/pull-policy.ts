// When the kubelet pulls. CRI PullImage always contacts the registry, even
// for an image that is present, so this decision is what keeps a node with
// imported images (and no registry) working.
import { defaultPullPolicy } from '../../api/defaults/index.js';

export const pullPolicies = ['Always', 'IfNotPresent', 'Never'] as const;
export type PullPolicy = (typeof pullPolicies)[number];

/**
 * The policy a container's image is pulled with: its own when it names one
 * of the three, otherwise the API server's default (Always for a `latest`
 * tag, written or implied, IfNotPresent for any other tag or a digest).
 */
export function effectivePullPolicy(image: string, policy?: string): PullPolicy {
  if (policy !== undefined && (pullPolicies as readonly string[]).includes(policy)) return policy as PullPolicy;
  return defaultPullPolicy(image);
}

/**
 * Whether to pull before creating the container. Never with a missing image
 * is false too: the kubelet then reports ErrImageNeverPull instead of pulling.
 */
export function shouldPull(policy: PullPolicy, present: boolean): boolean {
  switch (policy) {
    case 'Always':
      return true;
    case 'IfNotPresent':
      return !present;
    case 'Never':
      return false;
  }
}
