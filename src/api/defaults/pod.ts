// Pod and pod template defaults. Upstream splits them in two: the PodSpec
// defaults (and those of containers and volumes) apply wherever a PodSpec
// appears, including the templates of workloads; the Pod-only ones
// (requests from limits, enableServiceLinks, host-network ports) apply to
// Pods alone, so templates stay as their authors wrote them.
import { defaultContainer, defaultHostNetworkPorts, defaultRequestsFromLimits } from './container.js';
import { ensure, items, setIfEmpty, setIfUnset, type Obj } from './shape.js';
import { defaultVolume } from './volumes.js';

const containerLists = ['initContainers', 'containers', 'ephemeralContainers'] as const;

/** SetDefaults_PodSpec plus the nested container and volume defaults. */
export function defaultPodSpec(spec: Obj | undefined): void {
  if (spec === undefined) return;
  setIfEmpty(spec, 'dnsPolicy', 'ClusterFirst');
  setIfEmpty(spec, 'restartPolicy', 'Always');
  setIfUnset(spec, 'securityContext', {});
  setIfUnset(spec, 'terminationGracePeriodSeconds', 30);
  setIfEmpty(spec, 'schedulerName', 'default-scheduler');
  for (const vol of items(spec, 'volumes')) defaultVolume(vol);
  for (const list of containerLists) for (const c of items(spec, list)) defaultContainer(c);
}

/** The defaults of a PodTemplateSpec (`spec.template` of workloads). */
export function defaultPodTemplateSpec(template: Obj | undefined): void {
  defaultPodSpec(ensure(template, 'spec'));
}

/** SetObjectDefaults_Pod. */
export function defaultPod(pod: Obj): void {
  const spec = ensure(pod, 'spec');
  if (spec === undefined) return;
  for (const list of ['containers', 'initContainers'] as const) for (const c of items(spec, list)) defaultRequestsFromLimits(c);
  setIfUnset(spec, 'enableServiceLinks', true);
  if (spec.hostNetwork === true) for (const list of ['containers', 'initContainers'] as const) for (const c of items(spec, list)) defaultHostNetworkPorts(c);
  defaultPodSpec(spec);
}

/** `spec.template` of a workload, when it is an object (created when absent, as Go's struct field). */
export function workloadTemplate(obj: Obj): Obj | undefined {
  return ensure(ensure(obj, 'spec'), 'template');
}

