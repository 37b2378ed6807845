// Valid objects of each kind, defaulted as the server defaults them, for
// the validation tests; and helpers that render errors as upstream prints them.
import { defaulters } from '../../api/defaults/index.js';
import type { KubeObject } from '../../api/types.js';
import { fieldErrorMessage, type FieldError } from '../../machinery/index.js';
import { validateCreate, validateUpdate } from './index.js';

export function messages(errors: readonly FieldError[]): string[] {
  return errors.map(fieldErrorMessage);
}

/** Defaults a copy of `obj` as the server would before validating it. */
export function defaulted(gr: string, obj: KubeObject): KubeObject {
  const copy = structuredClone(obj);
  defaulters[gr]?.(copy);
  return copy;
}

export function createErrors(gr: string, namespaced: boolean, obj: KubeObject): string[] {
  return messages(validateCreate(gr, namespaced, defaulted(gr, obj)));
}

export function updateErrors(gr: string, namespaced: boolean, obj: KubeObject, old: KubeObject): string[] {
  return messages(validateUpdate(gr, namespaced, defaulted(gr, obj), defaulted(gr, old)));
}

const meta = (name: string, namespace?: string): KubeObject['metadata'] => ({
  name,
  ...(namespace ? { namespace } : {}),
  uid: 'a1b2c3',
  creationTimestamp: '2025-01-01T00:00:00Z',
});

export const podTemplate = (labels: Record<string, string> = { app: 'web' }) => ({
  metadata: { labels },
  spec: { containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 80 }] }] },
});

/** [group-resource, namespaced, object]: one valid object per kind. */
export const validObjects: [string, boolean, KubeObject][] = [
  ['pods', true, { metadata: meta('web', 'default'), spec: podTemplate().spec }],
  ['services', true, { metadata: meta('web', 'default'), spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } }],
  ['services', true, { metadata: meta('ext', 'default'), spec: { type: 'ExternalName', externalName: 'example.com' } }],
  ['services', true, { metadata: meta('np', 'default'), spec: { type: 'NodePort', selector: { app: 'web' }, ports: [{ name: 'http', port: 80 }, { name: 'dns', port: 53, protocol: 'UDP' }] } }],
  ['services', true, { metadata: meta('headless', 'default'), spec: { clusterIP: 'None', selector: { app: 'web' } } }],
  ['deployments.apps', true, { metadata: meta('web', 'default'), spec: { selector: { matchLabels: { app: 'web' } }, template: podTemplate() } }],
  ['replicasets.apps', true, { metadata: meta('web', 'default'), spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: podTemplate() } }],
  ['daemonsets.apps', true, { metadata: meta('web', 'default'), spec: { selector: { matchLabels: { app: 'web' } }, template: podTemplate() } }],
  [
    'statefulsets.apps',
    true,
    {
      metadata: meta('db', 'default'),
      spec: {
        serviceName: 'db',
        selector: { matchLabels: { app: 'db' } },
        template: {
          metadata: { labels: { app: 'db' } },
          spec: { containers: [{ name: 'db', image: 'postgres:16', volumeMounts: [{ name: 'data', mountPath: '/var/lib/postgresql' }] }] },
        },
        volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
      },
    },
  ],
  ['controllerrevisions.apps', true, { metadata: meta('web-1', 'default'), data: { spec: {} }, revision: 1 }],
  ['replicationcontrollers', true, { metadata: meta('web', 'default'), spec: { template: podTemplate() } }],
  ['podtemplates', true, { metadata: meta('web', 'default'), template: podTemplate() }],
  [
    'jobs.batch',
    true,
    {
      metadata: meta('pi', 'default'),
      spec: {
        selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'a1b2c3' } },
        template: {
          metadata: { labels: { 'batch.kubernetes.io/controller-uid': 'a1b2c3', 'batch.kubernetes.io/job-name': 'pi', 'controller-uid': 'a1b2c3', 'job-name': 'pi' } },
          spec: { restartPolicy: 'Never', containers: [{ name: 'pi', image: 'perl:5.34', command: ['perl', '-e', 'print 1'] }] },
        },
      },
    },
  ],
  ['cronjobs.batch', true, { metadata: meta('tick', 'default'), spec: { schedule: '*/5 * * * *', jobTemplate: { spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'c', image: 'busybox' }] } } } } } }],
  ['configmaps', true, { metadata: meta('cfg', 'default'), data: { 'app.conf': 'x=1', KEY_1: 'v' }, binaryData: { 'blob.bin': 'AAE=' } }],
  ['secrets', true, { metadata: meta('s', 'default'), data: { password: 'c2VjcmV0' }, stringData: { user: 'admin' } }],
  ['secrets', true, { metadata: meta('tls', 'default'), type: 'kubernetes.io/tls', data: { 'tls.crt': '', 'tls.key': '' } }],
  ['namespaces', false, { metadata: meta('team-a') }],
  ['nodes', false, { metadata: meta('node-1.example'), spec: { podCIDR: '10.42.0.0/24', taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] } }],
  ['persistentvolumes', false, { metadata: meta('pv1'), spec: { capacity: { storage: '5Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: '/data' } } }],
  ['persistentvolumeclaims', true, { metadata: meta('data', 'default'), spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, storageClassName: 'local-path' } }],
  ['storageclasses.storage.k8s.io', false, { metadata: meta('local-path'), provisioner: 'rancher.io/local-path' }],
  ['roles.rbac.authorization.k8s.io', true, { metadata: meta('reader', 'default'), rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }] }],
  ['clusterroles.rbac.authorization.k8s.io', false, { metadata: meta('system:reader'), rules: [{ nonResourceURLs: ['/healthz'], verbs: ['get'] }] }],
  [
    'rolebindings.rbac.authorization.k8s.io',
    true,
    { metadata: meta('read', 'default'), roleRef: { kind: 'Role', name: 'reader' }, subjects: [{ kind: 'User', name: 'jane' }, { kind: 'ServiceAccount', name: 'default', namespace: 'default' }] },
  ],
  ['clusterrolebindings.rbac.authorization.k8s.io', false, { metadata: meta('read'), roleRef: { kind: 'ClusterRole', name: 'system:reader' }, subjects: [{ kind: 'Group', name: 'system:authenticated' }] }],
  [
    'ingresses.networking.k8s.io',
    true,
    {
      metadata: meta('web', 'default'),
      spec: { rules: [{ host: 'web.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } }] },
    },
  ],
  ['ingressclasses.networking.k8s.io', false, { metadata: meta('traefik'), spec: { controller: 'traefik.io/ingress-controller' } }],
  ['networkpolicies.networking.k8s.io', true, { metadata: meta('deny', 'default'), spec: { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8' } }], ports: [{ port: 80 }] }] } }],
  ['leases.coordination.k8s.io', true, { metadata: meta('node-1', 'kube-node-lease'), spec: { holderIdentity: 'node-1', leaseDurationSeconds: 40, renewTime: '2025-01-01T00:00:00.000000Z' } }],
  ['endpoints', true, { metadata: meta('web', 'default'), subsets: [{ addresses: [{ ip: '10.42.0.5', nodeName: 'node-1' }], ports: [{ port: 80 }] }] }],
  ['endpointslices.discovery.k8s.io', true, { metadata: meta('web-abc', 'default'), addressType: 'IPv4', endpoints: [{ addresses: ['10.42.0.5'], conditions: { ready: true } }], ports: [{ port: 80 }] }],
  ['events', true, { metadata: meta('web.1', 'default'), involvedObject: { kind: 'Pod', name: 'web', namespace: 'default' }, reason: 'Scheduled', message: 'ok', eventTime: null }],
  [
    'events.events.k8s.io',
    true,
    { metadata: meta('web.2', 'default'), regarding: { kind: 'Pod', name: 'web', namespace: 'default' }, eventTime: '2025-01-01T00:00:00.000000Z', reportingController: 'kubelet', reportingInstance: 'node-1', action: 'Pulling', reason: 'Pulling' },
  ],
  ['priorityclasses.scheduling.k8s.io', false, { metadata: meta('high'), value: 1000 }],
  ['priorityclasses.scheduling.k8s.io', false, { metadata: meta('system-node-critical'), value: 2000001000 }],
  ['poddisruptionbudgets.policy', true, { metadata: meta('web', 'default'), spec: { minAvailable: 1, selector: { matchLabels: { app: 'web' } } } }],
  ['horizontalpodautoscalers.autoscaling', true, { apiVersion: 'autoscaling/v2', metadata: meta('web', 'default'), spec: { maxReplicas: 5, scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' } } }],
  ['serviceaccounts', true, { metadata: meta('default', 'default') }],
  ['tokenreviews.authentication.k8s.io', false, { spec: { token: 'x' } }],
];
