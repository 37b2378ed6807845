// OpenAPI definitions of the metrics.k8s.io/v1beta1 kinds (the generated
// definitions come from core API declarations, which do not include them),
// under upstream's names, for discovery of their schemas and `kubectl explain`.
import { schemaRefPrefix, type Schema } from '../openapi/schema.js';

const pkg = 'io.k8s.metrics.pkg.apis.metrics.v1beta1';
const ref = (name: string): Schema => ({ $ref: `${schemaRefPrefix}${name}` });
const meta = 'io.k8s.apimachinery.pkg.apis.meta.v1';
const usage: Schema = { description: 'The memory and CPU usage.', type: 'object', additionalProperties: ref('io.k8s.apimachinery.pkg.api.resource.Quantity') };
const typeMeta: Record<string, Schema> = {
  apiVersion: { description: 'APIVersion defines the versioned schema of this representation of an object.', type: 'string' },
  kind: { description: 'Kind is a string value representing the REST resource this object represents.', type: 'string' },
};
const sample: Record<string, Schema> = {
  timestamp: { ...ref(`${meta}.Time`), description: 'The following fields define time interval from which metrics were collected from the interval [Timestamp-Window, Timestamp].' },
  window: { type: 'string' },
};

function kind(k: string, description: string, properties: Record<string, Schema>, required: string[]): Schema {
  return { description, type: 'object', properties: { ...typeMeta, metadata: ref(`${meta}.ObjectMeta`), ...sample, ...properties }, required, 'x-kubernetes-group-version-kind': [{ group: 'metrics.k8s.io', kind: k, version: 'v1beta1' }] };
}

function list(k: string, item: string): Schema {
  return {
    description: `${k} is a list of ${item}.`,
    type: 'object',
    properties: { ...typeMeta, metadata: ref(`${meta}.ListMeta`), items: { description: `List of ${item}.`, type: 'array', items: ref(`${pkg}.${item}`) } },
    required: ['items'],
    'x-kubernetes-group-version-kind': [{ group: 'metrics.k8s.io', kind: k, version: 'v1beta1' }],
  };
}

export const metricsDefinitions: Readonly<Record<string, Schema>> = {
  [`${pkg}.ContainerMetrics`]: { description: 'ContainerMetrics sets resource usage metrics of a container.', type: 'object', properties: { name: { description: 'Container name corresponding to the one from pod.spec.containers.', type: 'string' }, usage }, required: ['name', 'usage'] },
  [`${pkg}.NodeMetrics`]: kind('NodeMetrics', 'NodeMetrics sets resource usage metrics of a node.', { usage }, ['timestamp', 'window', 'usage']),
  [`${pkg}.NodeMetricsList`]: list('NodeMetricsList', 'NodeMetrics'),
  [`${pkg}.PodMetrics`]: kind('PodMetrics', 'PodMetrics sets resource usage metrics of a pod.', { containers: { description: 'Metrics for all containers are collected within the same time window.', type: 'array', items: ref(`${pkg}.ContainerMetrics`), 'x-kubernetes-list-type': 'atomic' } }, ['timestamp', 'window', 'containers']),
  [`${pkg}.PodMetricsList`]: list('PodMetricsList', 'PodMetrics'),
};
