import t from 'tap';
import { builtinRegistry } from '../../api/builtin.js';
import { ApiError } from '../../machinery/index.js';
import type { ApiResponse } from '../rest/types.js';
import type { V3Document } from './document.js';
import { patchContentTypes, type Operation } from './operations.js';
import { acceptsJson, documentHash, OpenApiDocs, routeOpenApi } from './routes.js';
import type { SwaggerDocument } from './swagger.js';

const registry = builtinRegistry();
const docs = new OpenApiDocs(registry);
const get = (path: string, query = '', accept = 'application/json'): ApiResponse | undefined => routeOpenApi(docs, path, new URLSearchParams(query), accept);

function body<T>(answer: ApiResponse | undefined): T {
  if (answer?.type !== 'object') throw new Error('expected an object response');
  return answer.body as T;
}

function code(answer: ApiResponse | undefined): number | undefined {
  return answer?.type === 'object' ? answer.code : undefined;
}

function headers(answer: ApiResponse | undefined): Record<string, string> {
  if (answer?.type !== 'object') throw new Error('expected an object response');
  return answer.headers ?? {};
}

function gvDoc(gv: string): V3Document {
  const built = docs.groupVersions()?.get(gv);
  if (built === undefined) throw new Error(`no document for ${gv}`);
  return built.doc;
}

t.test('the root lists every served group-version with the hash of its document', async (t) => {
  const root = body<{ paths: Record<string, { serverRelativeURL: string }> }>(get('/openapi/v3'));
  for (const { group, versions } of registry.groups()) {
    for (const version of versions) {
      const gv = group === '' ? `api/${version}` : `apis/${group}/${version}`;
      t.match(root.paths[gv]?.serverRelativeURL, new RegExp(`^/openapi/v3/${gv}\\?hash=[0-9A-F]{128}$`), gv);
    }
  }
  const url = root.paths['apis/apps/v1']?.serverRelativeURL ?? '';
  t.equal(url.split('hash=')[1], documentHash(gvDoc('apis/apps/v1')));
});

t.test('hashes are stable: the same registry and definitions give the same documents', async (t) => {
  const again = new OpenApiDocs(builtinRegistry());
  for (const [gv, built] of docs.groupVersions() ?? []) t.equal(again.groupVersions()?.get(gv)?.hash, built.hash, gv);
});

t.test('a group-version document: every verb the registry declares, with action and kind', async (t) => {
  const doc = gvDoc('api/v1');
  t.equal(doc.openapi, '3.0.0');
  t.same(doc.info, { title: 'Kubernetes', version: 'v1.32.0' });
  const pods = doc.paths['/api/v1/namespaces/{namespace}/pods'];
  const pod = doc.paths['/api/v1/namespaces/{namespace}/pods/{name}'];
  const podKind = { group: '', version: 'v1', kind: 'Pod' };
  t.same(
    [pods?.get?.['x-kubernetes-action'], pods?.post?.['x-kubernetes-action'], pods?.delete?.['x-kubernetes-action']],
    ['list', 'post', 'deletecollection'],
  );
  t.same([pod?.get, pod?.put, pod?.patch, pod?.delete].map((op) => op?.['x-kubernetes-action']), ['get', 'put', 'patch', 'delete']);
  for (const op of [pods?.get, pods?.post, pod?.get, pod?.patch]) t.same(op?.['x-kubernetes-group-version-kind'], podKind);
  t.same(pods?.get?.responses['200']?.content?.['application/json']?.schema, { $ref: '#/components/schemas/io.k8s.api.core.v1.PodList' });
  t.ok(doc.paths['/api/v1/pods']?.get, 'a list across namespaces');
  t.equal(doc.paths['/api/v1/watch/namespaces/{namespace}/pods/{name}']?.get?.['x-kubernetes-action'], 'watch');
  const status = doc.paths['/api/v1/namespaces/{namespace}/pods/{name}/status'];
  t.same(status?.patch?.['x-kubernetes-group-version-kind'], podKind, 'status writes name the parent kind');
  t.equal(doc.paths['/api/v1/namespaces/{namespace}/pods/{name}/exec']?.post?.['x-kubernetes-action'], 'connect');
  t.equal(doc.paths['/api/v1/namespaces/{namespace}/pods/{name}/log']?.get?.['x-kubernetes-action'], 'get');
  const nodes = doc.paths['/api/v1/nodes/{name}'];
  t.same(nodes?.parameters.map((p) => p.name), ['name', 'pretty'], 'cluster-scoped paths have no namespace');
  t.notOk(doc.paths['/api/v1/componentstatuses/{name}']?.patch, 'a verb the resource lacks has no operation');
  const scale = gvDoc('apis/apps/v1').paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale'];
  t.same(scale?.patch?.['x-kubernetes-group-version-kind'], { group: 'autoscaling', version: 'v1', kind: 'Scale' });
  t.ok(gvDoc('apis/apps/v1').components.schemas['io.k8s.api.autoscaling.v1.Scale'], 'a subresource kind of another group is in the closure');
});

t.test('every PATCH lists fieldValidation and the four patch media types; POST and PUT list fieldValidation', async (t) => {
  for (const [gv, { doc }] of docs.groupVersions() ?? []) {
    for (const [path, item] of Object.entries(doc.paths)) {
      const writes: [string, Operation | undefined][] = [['patch', item.patch], ['put', item.put], ['post', item.post]];
      for (const [method, op] of writes) {
        if (op === undefined || op['x-kubernetes-action'] === 'connect') continue;
        t.ok(op.parameters?.some((p) => p.name === 'fieldValidation' && p.in === 'query'), `${gv} ${method} ${path}`);
        if (method === 'patch') t.same(Object.keys(op.requestBody?.content ?? {}), [...patchContentTypes], `${gv} ${path}`);
      }
    }
  }
});

t.test('components hold exactly the closure of what the paths reference', async (t) => {
  const doc = gvDoc('apis/apps/v1');
  const names = Object.keys(doc.components.schemas);
  t.ok(names.includes('io.k8s.api.apps.v1.Deployment'));
  t.ok(names.includes('io.k8s.api.core.v1.Container'), 'reached through the pod template');
  t.ok(names.includes('io.k8s.apimachinery.pkg.api.resource.Quantity'), 'reached through resources');
  t.notOk(names.includes('io.k8s.api.rbac.v1.Role'), 'nothing unreferenced');
  t.same(names, [...names].sort(), 'sorted by name');
  const refs = JSON.stringify(doc).match(/"\$ref":"[^"]+"/g) ?? [];
  for (const ref of new Set(refs)) t.ok(doc.components.schemas[ref.slice('"$ref":"#/components/schemas/'.length, -1)], ref);
});

t.test('per group-version answers: current hash immutable, stale hash redirected, no hash not cached', async (t) => {
  const hash = docs.groupVersions()?.get('api/v1')?.hash ?? '';
  const current = get('/openapi/v3/api/v1', `hash=${hash}`);
  t.equal(code(current), 200);
  t.equal(headers(current)['Cache-Control'], 'public, immutable');
  t.equal(current?.type === 'object' ? current.contentType : '', 'application/json');
  t.equal(body<V3Document>(current).openapi, '3.0.0');
  const stale = get('/openapi/v3/api/v1', 'hash=0123');
  t.equal(code(stale), 301);
  t.equal(headers(stale).Location, `/openapi/v3/api/v1?hash=${hash}`);
  t.equal(headers(get('/openapi/v3/apis/apps/v1'))['Cache-Control'], 'no-cache, private');
  t.equal(get('/openapi/v3/apis/example.com/v1'), undefined, 'an unserved group-version is not found');
  t.equal(get('/openapi/v4'), undefined);
});

t.test('/openapi/v2 is one Swagger 2.0 document, in JSON or (asked for alone) protobuf', async (t) => {
  const v2 = body<SwaggerDocument>(get('/openapi/v2', '', 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf, application/json'));
  t.equal(v2.swagger, '2.0');
  const patch = v2.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}']?.patch as { parameters: { name: string; in: string }[]; consumes: string[] };
  t.ok(patch.parameters.some((p) => p.name === 'fieldValidation'));
  t.ok(patch.parameters.some((p) => p.name === 'body' && p.in === 'body'));
  t.ok(patch.consumes.includes('application/strategic-merge-patch+json'));
  const json = JSON.stringify(v2);
  t.notMatch(json, /#\/components\/schemas\//, 'references point into definitions');
  t.same(v2.definitions['io.k8s.api.core.v1.PodSpec'] && (v2.definitions['io.k8s.api.core.v1.PodSpec'] as { properties: { affinity: unknown } }).properties.affinity, {
    $ref: '#/definitions/io.k8s.api.core.v1.Affinity',
    description: 'If specified, the pod\'s scheduling constraints',
  });
  const proto = get('/openapi/v2', '', 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf');
  t.equal(code(proto), 200, 'protobuf alone gets the gnostic protobuf document');
  t.ok(proto?.type === 'object' && Buffer.isBuffer(proto.body) && proto.contentType === 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf');
  let refused: unknown;
  try {
    get('/openapi/v2', '', 'application/xml');
  } catch (err) {
    refused = err;
  }
  t.ok(refused instanceof ApiError && refused.code === 406, '406 Not Acceptable');
});

t.test('Accept negotiation', async (t) => {
  t.ok(acceptsJson(''));
  t.ok(acceptsJson('application/json'));
  t.ok(acceptsJson('*/*'));
  t.ok(acceptsJson('application/json;q=0.9, application/vnd.kubernetes.protobuf'));
  t.notOk(acceptsJson('application/json;q=0'));
  t.notOk(acceptsJson('application/vnd.kubernetes.protobuf'));
});
