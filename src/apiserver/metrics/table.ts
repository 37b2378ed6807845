// NodeMetrics and PodMetrics as a meta.k8s.io Table (`kubectl get
// nodes.metrics.k8s.io`), with metrics-server's columns: Name, cpu, memory,
// Window; a pod's usage is the sum of its containers'.
import type { Printer } from '../../api/registry/types.js';
import type { KubeObject } from '../../api/types.js';
import { addQuantities, formatQuantity, parseQuantity, zeroQuantity } from '../../machinery/index.js';

interface MetricsObject {
  metadata?: { name?: string };
  window?: string;
  usage?: Record<string, string>;
  containers?: { usage?: Record<string, string> }[];
}

function total(obj: MetricsObject, resource: string): string {
  if (obj.usage) return obj.usage[resource] ?? '';
  const sum = (obj.containers ?? []).reduce((acc, c) => addQuantities(acc, parseQuantity(c.usage?.[resource] ?? '0')), zeroQuantity);
  return formatQuantity(sum);
}

export const metricsPrinter: Printer = {
  columns: [
    { name: 'Name', type: 'string', format: 'name', description: 'Name of the resource', priority: 0 },
    { name: 'cpu', type: 'string', format: 'quantity', description: '', priority: 0 },
    { name: 'memory', type: 'string', format: 'quantity', description: '', priority: 0 },
    { name: 'Window', type: 'string', format: '', description: '', priority: 0 },
  ],
  cells(obj: KubeObject) {
    const m = obj as MetricsObject;
    return [m.metadata?.name ?? '', total(m, 'cpu'), total(m, 'memory'), m.window ?? ''];
  },
};
