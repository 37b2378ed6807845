import t from 'tap';
import { groupResource, resourcePath, type ResourceRef } from './paths.js';

const pods: ResourceRef = { group: '', version: 'v1', resource: 'pods', namespaced: true };
const nodes: ResourceRef = { group: '', version: 'v1', resource: 'nodes', namespaced: false };
const deployments: ResourceRef = { group: 'apps', version: 'v1', resource: 'deployments', namespaced: true };

t.test('core namespaced paths', async (t) => {
  t.equal(resourcePath(pods, { namespace: 'default' }), '/api/v1/namespaces/default/pods');
  t.equal(resourcePath(pods, { namespace: 'default', name: 'web' }), '/api/v1/namespaces/default/pods/web');
  t.equal(resourcePath(pods, { namespace: 'default', name: 'web', subresource: 'status' }), '/api/v1/namespaces/default/pods/web/status');
});

t.test('a namespaced collection without a namespace spans all namespaces', async (t) => {
  t.equal(resourcePath(pods), '/api/v1/pods');
  t.equal(resourcePath(pods, { namespace: '' }), '/api/v1/pods');
  t.equal(resourcePath(deployments), '/apis/apps/v1/deployments');
});

t.test('named groups live under /apis', async (t) => {
  t.equal(resourcePath(deployments, { namespace: 'kube-system', name: 'coredns' }), '/apis/apps/v1/namespaces/kube-system/deployments/coredns');
  t.equal(groupResource(deployments), 'deployments.apps');
  t.equal(groupResource(pods), 'pods');
});

t.test('cluster-scoped resources ignore the namespace', async (t) => {
  t.equal(resourcePath(nodes, { namespace: 'default', name: 'n1' }), '/api/v1/nodes/n1');
  t.equal(resourcePath(nodes), '/api/v1/nodes');
});

t.test('names are encoded and unsafe names refused', async (t) => {
  t.equal(resourcePath(nodes, { name: 'a:b' }), '/api/v1/nodes/a%3Ab');
  t.throws(() => resourcePath(nodes, { name: '..' }), { name: 'ClientError', code: 'bad-request' });
  t.throws(() => resourcePath(nodes, { name: 'a/b' }), { name: 'ClientError', code: 'bad-request' });
  t.throws(() => resourcePath(pods, { namespace: 'x/y' }), { name: 'ClientError', code: 'bad-request' });
});

t.test('a namespaced object needs a namespace', async (t) => {
  t.throws(() => resourcePath(pods, { name: 'web' }), /pods is namespaced/);
});

t.test('a subresource needs a name', async (t) => {
  t.throws(() => resourcePath(pods, { namespace: 'default', subresource: 'status' }), /needs a name/);
});
