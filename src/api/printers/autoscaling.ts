// HorizontalPodAutoscalers, autoscaling/v2 and v1 under one printer.
// Targets lists each metric as `current/target` (`cpu: 40%/80%`), at most
// two, then ` + N more...`. A v1 object has no metrics list; its CPU
// target and current utilisation are read as the one Resource metric
// upstream converts them to.
import type { autoscalingv1, autoscalingv2 } from '../types.js';
import { age } from './age.js';
import { ageColumn, column, definePrinter, nameColumn } from './columns.js';
import { int, list, optionalInt, record, scalar, text } from './read.js';

type Hpa = autoscalingv2.HorizontalPodAutoscaler & { spec?: Partial<autoscalingv1.HorizontalPodAutoscalerSpec>; status?: Partial<autoscalingv1.HorizontalPodAutoscalerStatus> };
type Fields = Readonly<Record<string, unknown>>;

/** A Quantity pointer as upstream's String() prints it, `<nil>` when absent. */
function q(value: unknown): string {
  return scalar(value) || '<nil>';
}

function percent(value: unknown): string | undefined {
  const n = optionalInt(value);
  return n === undefined ? undefined : `${n}%`;
}

/** `current/target`, with ` (avg)` for average-value targets of Object and External metrics. */
function valueTarget(target: Fields, current: Fields | undefined, hasStatus: boolean): string {
  if (target['averageValue'] !== undefined) {
    const now = current && current['averageValue'] !== undefined ? q(current['averageValue']) : '<unknown>';
    return `${now}/${q(target['averageValue'])} (avg)`;
  }
  return `${hasStatus ? q(current?.['value']) : '<unknown>'}/${q(target['value'])}`;
}

/** `name: current/target` for Resource and ContainerResource metrics. */
function resourceTarget(spec: Fields, status: Fields | undefined): string {
  const target = record(spec['target']);
  const current = status ? record(status['current']) : undefined;
  const name = text(spec['name']);
  if (target['averageValue'] !== undefined) {
    return `${name}: ${status ? q(current?.['averageValue']) : '<unknown>'}/${q(target['averageValue'])}`;
  }
  return `${name}: ${percent(current?.['averageUtilization']) ?? '<unknown>'}/${percent(target['averageUtilization']) ?? '<auto>'}`;
}

const fieldByType: Readonly<Record<string, string>> = {
  External: 'external',
  Pods: 'pods',
  Object: 'object',
  Resource: 'resource',
  ContainerResource: 'containerResource',
};

function metricTarget(spec: Fields, status: Fields | undefined): string {
  const type = text(spec['type']);
  const field = fieldByType[type];
  if (field === undefined) return '<unknown type>';
  const source = record(spec[field]);
  const current = status?.[field] === undefined ? undefined : record(status[field]);
  switch (type) {
    case 'Resource':
    case 'ContainerResource':
      return resourceTarget(source, current);
    case 'Pods': {
      const now = current ? q(record(current['current'])['averageValue']) : '<unknown>';
      return `${now}/${q(record(source['target'])['averageValue'])}`;
    }
    default:
      return valueTarget(record(source['target']), current ? record(current['current']) : undefined, current !== undefined);
  }
}

/** The metric specs and statuses, from v2 fields or synthesised from v1's CPU fields. */
function metrics(hpa: Hpa): { specs: Fields[]; statuses: Fields[] } {
  if (Array.isArray(hpa.spec?.metrics)) {
    return { specs: list(hpa.spec.metrics).map(record), statuses: list(hpa.status?.currentMetrics).map(record) };
  }
  const target = optionalInt(hpa.spec?.targetCPUUtilizationPercentage);
  if (target === undefined) return { specs: [], statuses: [] };
  const current = optionalInt(hpa.status?.currentCPUUtilizationPercentage);
  const resource = (key: string, value: number): Fields => ({ type: 'Resource', resource: { name: 'cpu', [key]: { averageUtilization: value } } });
  return {
    specs: [resource('target', target)],
    statuses: current === undefined ? [] : [resource('current', current)],
  };
}

export function formatTargets(hpa: Hpa): string {
  const { specs, statuses } = metrics(hpa);
  if (specs.length === 0) return '<none>';
  const max = 2;
  const shown = specs.slice(0, max).map((spec, i) => metricTarget(spec, statuses[i]));
  const joined = shown.join(', ');
  return specs.length > max ? `${joined} + ${specs.length - max} more...` : joined;
}

export const horizontalPodAutoscalerPrinter = definePrinter<Hpa>(
  [
    nameColumn,
    column('Reference', 'string', 'The target resource whose replicas are scaled.'),
    column('Targets', 'string', 'Current and target values of the metrics used to compute the desired replica count.'),
    column('MinPods', 'string', 'The lower limit for the number of replicas.'),
    column('MaxPods', 'string', 'The upper limit for the number of replicas.'),
    column('Replicas', 'string', 'Current number of replicas of pods managed by this autoscaler.'),
    ageColumn,
  ],
  (hpa, now) => {
    const ref = hpa.spec?.scaleTargetRef;
    const min = optionalInt(hpa.spec?.minReplicas);
    return [
      text(hpa.metadata?.name),
      `${text(ref?.kind)}/${text(ref?.name)}`,
      formatTargets(hpa),
      min === undefined ? '<unset>' : String(min),
      int(hpa.spec?.maxReplicas),
      int(hpa.status?.currentReplicas),
      age(hpa.metadata?.creationTimestamp, now),
    ];
  },
);
