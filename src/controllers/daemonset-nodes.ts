// Which nodes a DaemonSet's pod belongs on, as upstream decides it: the
// template's nodeSelector and required node affinity must match the node,
// and every NoSchedule/NoExecute taint must be tolerated by the template's
// tolerations plus the ones every daemon pod gets. A pod already running
// stays while only NoExecute taints are tolerated. Pods are pinned to their
// node by required node affinity on `metadata.name`, leaving the binding
// to the scheduler.
import type { corev1 } from '../api/types.js';
import { toleratesTaint } from '../machinery/index.js';

type Node = corev1.Node;
type PodSpec = corev1.PodSpec;

/** The tolerations upstream adds to every daemon pod (network-unavailable only with hostNetwork). */
export function daemonTolerations(spec: PodSpec | undefined): corev1.Toleration[] {
  const t = (key: string, effect: string): corev1.Toleration => ({ key: `node.kubernetes.io/${key}`, operator: 'Exists', effect });
  const extra = [t('not-ready', 'NoExecute'), t('unreachable', 'NoExecute'), t('disk-pressure', 'NoSchedule'), t('memory-pressure', 'NoSchedule'), t('pid-pressure', 'NoSchedule'), t('unschedulable', 'NoSchedule')];
  if (spec?.hostNetwork) extra.push(t('network-unavailable', 'NoSchedule'));
  const have = spec?.tolerations ?? [];
  return [...have, ...extra.filter((e) => !have.some((h) => h.key === e.key && h.effect === e.effect))];
}

function requirementMatches(req: corev1.NodeSelectorRequirement, labels: Readonly<Record<string, string>>): boolean {
  const has = Object.hasOwn(labels, req.key);
  const value = labels[req.key] ?? '';
  const values = req.values ?? [];
  switch (req.operator) {
    case 'In':
      return has && values.includes(value);
    case 'NotIn':
      return !has || !values.includes(value);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    case 'Gt':
    case 'Lt': {
      const a = Number.parseInt(value, 10);
      const b = Number.parseInt(values[0] ?? '', 10);
      if (!has || Number.isNaN(a) || Number.isNaN(b)) return false;
      return req.operator === 'Gt' ? a > b : a < b;
    }
    default:
      return false;
  }
}

function termMatches(term: corev1.NodeSelectorTerm, node: Node): boolean {
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return false;
  const labels = node.metadata?.labels ?? {};
  const fieldSet = { 'metadata.name': node.metadata?.name ?? '' };
  return exprs.every((r) => requirementMatches(r, labels)) && fields.every((r) => r.key === 'metadata.name' && requirementMatches(r, fieldSet));
}

function selectorAndAffinityMatch(spec: PodSpec | undefined, node: Node): boolean {
  const labels = node.metadata?.labels ?? {};
  for (const [k, v] of Object.entries(spec?.nodeSelector ?? {})) if (labels[k] !== v) return false;
  const required = spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  return !required || required.nodeSelectorTerms.some((t) => termMatches(t, node));
}

export interface NodeFit {
  /** A new daemon pod belongs here. */
  shouldRun: boolean;
  /** An existing daemon pod may stay here. */
  shouldContinueRunning: boolean;
}

export function nodeFit(template: PodSpec | undefined, node: Node): NodeFit {
  if (!selectorAndAffinityMatch(template, node)) return { shouldRun: false, shouldContinueRunning: false };
  const tolerations = daemonTolerations(template);
  const untolerated = (node.spec?.taints ?? []).filter((taint) => !tolerations.some((t) => toleratesTaint(t, taint)));
  return {
    shouldRun: !untolerated.some((t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute'),
    shouldContinueRunning: !untolerated.some((t) => t.effect === 'NoExecute'),
  };
}

/** The pod spec pinned to `nodeName` by required affinity (each term gets `metadata.name In [node]`). */
export function pinToNode(spec: PodSpec, nodeName: string): PodSpec {
  const field: corev1.NodeSelectorRequirement = { key: 'metadata.name', operator: 'In', values: [nodeName] };
  const terms = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  const pinned = terms.length > 0 ? terms.map((t) => ({ ...t, matchFields: [field] })) : [{ matchFields: [field] }];
  return {
    ...spec,
    tolerations: daemonTolerations(spec),
    affinity: { ...spec.affinity, nodeAffinity: { ...spec.affinity?.nodeAffinity, requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: pinned } } },
  };
}

/** The node a daemon pod is on or pinned to. */
export function targetNodeOf(pod: corev1.Pod): string | undefined {
  if (pod.spec?.nodeName) return pod.spec.nodeName;
  for (const term of pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? []) {
    for (const f of term.matchFields ?? []) if (f.key === 'metadata.name' && f.operator === 'In' && f.values?.length === 1) return f.values[0];
  }
  return undefined;
}
