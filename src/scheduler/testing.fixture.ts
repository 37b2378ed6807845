// Builders for scheduler tests, in the style of upstream's st.MakePod():
//   makePod('p').req({ cpu: '500m' }).label('app', 'web').node('a').obj
//   makeNode('a').alloc({ cpu: '2' }).taint('k', 'v', 'NoSchedule').obj
import type { corev1 } from '../api/types.js';
import type { CycleContext } from './framework/interfaces.js';
import { makeSnapshot, NodeInfo, podInfo } from './framework/nodeinfo.js';

export class PodBuilder {
  readonly obj: corev1.Pod;
  private spec: corev1.PodSpec;

  constructor(name: string, namespace: string) {
    this.spec = { containers: [] };
    this.obj = { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace, uid: `uid-${name}`, labels: {} }, spec: this.spec, status: {} };
  }

  /** Adds a container with these requests. */
  req(requests: Record<string, string>, image?: string): this {
    this.spec.containers.push({ name: `c${this.spec.containers.length}`, image, resources: { requests } });
    return this;
  }

  initReq(requests: Record<string, string>, restartPolicy?: 'Always'): this {
    (this.spec.initContainers ??= []).push({ name: `i${this.spec.initContainers.length}`, resources: { requests }, restartPolicy });
    return this;
  }

  overhead(o: Record<string, string>): this {
    this.spec.overhead = o;
    return this;
  }

  image(image: string): this {
    this.spec.containers.push({ name: `c${this.spec.containers.length}`, image });
    return this;
  }

  hostPort(port: number, protocol = 'TCP', ip?: string): this {
    this.spec.containers.push({ name: `c${this.spec.containers.length}`, ports: [{ containerPort: port, hostPort: port, protocol, hostIP: ip }] });
    return this;
  }

  label(k: string, v: string): this {
    this.obj.metadata!.labels![k] = v;
    return this;
  }

  node(name: string): this {
    this.spec.nodeName = name;
    return this;
  }

  priority(p: number): this {
    this.spec.priority = p;
    return this;
  }

  nodeSelector(sel: Record<string, string>): this {
    this.spec.nodeSelector = sel;
    return this;
  }

  tolerate(t: corev1.Toleration): this {
    (this.spec.tolerations ??= []).push(t);
    return this;
  }

  nodeAffinityIn(key: string, values: string[]): this {
    this.spec.affinity = {
      ...this.spec.affinity,
      nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key, operator: 'In', values }] }] } },
    };
    return this;
  }

  preferNode(weight: number, key: string, values: string[]): this {
    const na = (this.spec.affinity ??= {}).nodeAffinity ?? {};
    (na.preferredDuringSchedulingIgnoredDuringExecution ??= []).push({ weight, preference: { matchExpressions: [{ key, operator: 'In', values }] } });
    this.spec.affinity.nodeAffinity = na;
    return this;
  }

  podAffinity(topologyKey: string, matchLabels: Record<string, string>): this {
    const pa = (this.spec.affinity ??= {}).podAffinity ?? {};
    (pa.requiredDuringSchedulingIgnoredDuringExecution ??= []).push({ topologyKey, labelSelector: { matchLabels } });
    this.spec.affinity.podAffinity = pa;
    return this;
  }

  podAntiAffinity(topologyKey: string, matchLabels: Record<string, string>): this {
    const pa = (this.spec.affinity ??= {}).podAntiAffinity ?? {};
    (pa.requiredDuringSchedulingIgnoredDuringExecution ??= []).push({ topologyKey, labelSelector: { matchLabels } });
    this.spec.affinity.podAntiAffinity = pa;
    return this;
  }

  preferPodAffinity(weight: number, topologyKey: string, matchLabels: Record<string, string>): this {
    const pa = (this.spec.affinity ??= {}).podAffinity ?? {};
    (pa.preferredDuringSchedulingIgnoredDuringExecution ??= []).push({ weight, podAffinityTerm: { topologyKey, labelSelector: { matchLabels } } });
    this.spec.affinity.podAffinity = pa;
    return this;
  }

  spread(maxSkew: number, topologyKey: string, when: 'DoNotSchedule' | 'ScheduleAnyway', matchLabels: Record<string, string>): this {
    (this.spec.topologySpreadConstraints ??= []).push({ maxSkew, topologyKey, whenUnsatisfiable: when, labelSelector: { matchLabels } });
    return this;
  }

  preemptionPolicy(p: 'Never' | 'PreemptLowerPriority'): this {
    this.spec.preemptionPolicy = p;
    return this;
  }

  created(iso: string): this {
    Object.assign(this.obj.metadata!, { creationTimestamp: iso });
    return this;
  }
}

export function makePod(name = 'p', namespace = 'default'): PodBuilder {
  return new PodBuilder(name, namespace);
}

export class NodeBuilder {
  readonly obj: corev1.Node;

  constructor(name: string) {
    this.obj = {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name, labels: { 'kubernetes.io/hostname': name } },
      spec: {},
      status: { allocatable: { cpu: '4', memory: '8Gi', pods: '110', 'ephemeral-storage': '10Gi' } },
    };
  }

  alloc(resources: Record<string, string>): this {
    this.obj.status!.allocatable = { ...this.obj.status!.allocatable, ...resources };
    return this;
  }

  label(k: string, v: string): this {
    this.obj.metadata!.labels![k] = v;
    return this;
  }

  taint(key: string, value: string | undefined, effect: string): this {
    (this.obj.spec!.taints ??= []).push({ key, value, effect });
    return this;
  }

  unschedulable(): this {
    this.obj.spec!.unschedulable = true;
    return this;
  }

  image(name: string, sizeBytes: number): this {
    (this.obj.status!.images ??= []).push({ names: [name], sizeBytes });
    return this;
  }
}

export function makeNode(name = 'n'): NodeBuilder {
  return new NodeBuilder(name);
}

/** A NodeInfo holding these pods. */
export function nodeInfo(node: corev1.Node | NodeBuilder, ...pods: (corev1.Pod | PodBuilder)[]): NodeInfo {
  const info = new NodeInfo(node instanceof NodeBuilder ? node.obj : node);
  for (const p of pods) info.addPod(podInfo(p instanceof PodBuilder ? p.obj : p));
  return info;
}

export function cycleContext(pod: corev1.Pod | PodBuilder, nodes: NodeInfo[] = []): CycleContext {
  return { pod: pod instanceof PodBuilder ? pod.obj : pod, snapshot: makeSnapshot(nodes), state: new Map() };
}
