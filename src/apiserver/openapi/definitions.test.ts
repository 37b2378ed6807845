import t from 'tap';
import { builtinResources } from '../../api/resources/index.js';
import { loadDefinitions } from './definitions.js';
import { resolveSchema, type Schema } from './schema.js';

// The definitions the build generates from the declaration files (run after
// `npm run build`, which writes dist/openapi/definitions.json).
const index = loadDefinitions();
if (index === undefined) throw new Error('dist/openapi/definitions.json is missing: build first');
const defs = index.definitions;

function def(name: string): Schema {
  const schema = defs[name];
  if (schema === undefined) throw new Error(`no definition ${name}`);
  return schema;
}

function prop(name: string, field: string): Schema {
  const schema = def(name).properties?.[field];
  if (schema === undefined) throw new Error(`${name} has no field ${field}`);
  return schema;
}

t.test('every served kind has a definition named as upstream names it, with its group-version-kind', async (t) => {
  for (const d of builtinResources) {
    const name = index.nameOf({ group: d.group, version: d.version, kind: d.kind });
    t.ok(name, `${d.group}/${d.version} ${d.kind}`);
    if (name !== undefined) t.same(def(name)['x-kubernetes-group-version-kind'], [{ group: d.group, kind: d.kind, version: d.version }]);
  }
  t.equal(index.nameOf({ group: '', version: 'v1', kind: 'Pod' }), 'io.k8s.api.core.v1.Pod');
  t.equal(index.nameOf({ group: 'apps', version: 'v1', kind: 'Deployment' }), 'io.k8s.api.apps.v1.Deployment');
  t.equal(index.nameOf({ group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'Role' }), 'io.k8s.api.rbac.v1.Role');
  t.ok(defs['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'], 'meta types live under apimachinery');
});

t.test('Pod.spec.containers is a list of Container merged by name, as strategic merge patch does', async (t) => {
  const containers = prop('io.k8s.api.core.v1.PodSpec', 'containers');
  t.equal(containers.type, 'array');
  t.same(containers.items, { $ref: '#/components/schemas/io.k8s.api.core.v1.Container' });
  t.equal(containers['x-kubernetes-patch-strategy'], 'merge');
  t.equal(containers['x-kubernetes-patch-merge-key'], 'name');
  t.equal(containers['x-kubernetes-list-type'], 'map');
  t.same(containers['x-kubernetes-list-map-keys'], ['name']);
  t.match(containers.description, /List of containers belonging to the pod/);
  const ports = prop('io.k8s.api.core.v1.Container', 'ports');
  t.equal(ports['x-kubernetes-patch-merge-key'], 'containerPort');
  const volumes = prop('io.k8s.api.core.v1.PodSpec', 'volumes');
  t.equal(volumes['x-kubernetes-patch-strategy'], 'merge,retainKeys');
  const finalizers = prop('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta', 'finalizers');
  t.equal(finalizers['x-kubernetes-list-type'], 'set', 'a primitive list merged as a set');
  t.equal(finalizers['x-kubernetes-patch-merge-key'], undefined);
  const strategy = prop('io.k8s.api.apps.v1.DeploymentSpec', 'strategy');
  t.equal(strategy['x-kubernetes-patch-strategy'], 'retainKeys', 'an object field keeps its strategy beside the reference');
  t.same(strategy.allOf, [{ $ref: '#/components/schemas/io.k8s.api.apps.v1.DeploymentStrategy' }]);
  t.equal(prop('io.k8s.api.core.v1.Container', 'args')['x-kubernetes-patch-strategy'], undefined, 'untagged lists carry nothing');
});

t.test('required lists the non-optional fields', async (t) => {
  t.same(def('io.k8s.api.core.v1.Container').required, ['name']);
  t.same(def('io.k8s.apimachinery.pkg.apis.meta.v1.OwnerReference').required, ['apiVersion', 'kind', 'name', 'uid']);
  t.equal(def('io.k8s.api.core.v1.Pod').required, undefined, 'a Pod has no required field');
});

t.test('descriptions come from the doc comments, on types and on fields', async (t) => {
  t.match(def('io.k8s.api.core.v1.Probe').description, /health check to be performed against a container/);
  t.match(prop('io.k8s.api.core.v1.Probe', 'periodSeconds').description, /How often \(in seconds\) to perform the probe/);
  t.match(prop('io.k8s.api.core.v1.Container', 'livenessProbe').description, /Periodic probe of container liveness/);
  t.match(def('io.k8s.apimachinery.pkg.api.resource.Quantity').description, /\n\nThe serialization format is:/, 'paragraphs are kept');
});

t.test('scalar types: Quantity, IntOrString, Time, maps, integers', async (t) => {
  const quantity = def('io.k8s.apimachinery.pkg.api.resource.Quantity');
  t.equal(quantity.type, 'string');
  t.equal(quantity['x-kubernetes-int-or-string'], true);
  const intOrString = def('io.k8s.apimachinery.pkg.util.intstr.IntOrString');
  t.equal(intOrString.type, 'string');
  t.equal(intOrString.format, 'int-or-string');
  t.equal(intOrString['x-kubernetes-int-or-string'], true);
  t.same(resolveSchema(defs, prop('io.k8s.api.core.v1.ServicePort', 'targetPort')), intOrString);
  t.same(def('io.k8s.apimachinery.pkg.apis.meta.v1.Time'), { description: def('io.k8s.apimachinery.pkg.apis.meta.v1.Time').description, format: 'date-time', type: 'string' });
  const labels = prop('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta', 'labels');
  t.equal(labels.type, 'object');
  t.same(labels.additionalProperties, { type: 'string' });
  const limits = prop('io.k8s.api.core.v1.ResourceRequirements', 'limits');
  t.same(limits.additionalProperties, { $ref: '#/components/schemas/io.k8s.apimachinery.pkg.api.resource.Quantity' });
  t.equal(prop('io.k8s.api.core.v1.Probe', 'periodSeconds').type, 'integer');
  t.equal(prop('io.k8s.api.core.v1.Container', 'stdin').type, 'boolean');
});

t.test('every reference resolves to a definition', async (t) => {
  const dangling = new Set<string>();
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (typeof value === 'object' && value !== null) {
      for (const [key, v] of Object.entries(value)) {
        if (key === '$ref' && typeof v === 'string' && defs[v.replace('#/components/schemas/', '')] === undefined) dangling.add(v);
        else walk(v);
      }
    }
  };
  walk(defs);
  t.same([...dangling], []);
});
