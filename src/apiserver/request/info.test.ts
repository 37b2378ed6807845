import t from 'tap';
import { parseRequestInfo } from './info.js';

const q = (s = '') => new URLSearchParams(s);

t.test('resource paths', async (t) => {
  const cases: [string, string, string, Record<string, string>][] = [
    ['GET', '/api/v1/namespaces/ns/pods', '', { group: '', version: 'v1', namespace: 'ns', resource: 'pods', name: '', verb: 'list' }],
    ['GET', '/api/v1/namespaces/ns/pods/p', '', { namespace: 'ns', resource: 'pods', name: 'p', verb: 'get' }],
    ['GET', '/api/v1/namespaces/ns/pods', 'watch=true', { verb: 'watch' }],
    ['GET', '/api/v1/namespaces/ns/pods', 'watch=1', { verb: 'watch' }],
    ['PUT', '/api/v1/namespaces/ns/pods/p/status', '', { resource: 'pods', name: 'p', subresource: 'status', verb: 'update' }],
    ['GET', '/apis/apps/v1/deployments', '', { group: 'apps', version: 'v1', namespace: '', resource: 'deployments', verb: 'list' }],
    ['DELETE', '/apis/apps/v1/namespaces/a/deployments', '', { verb: 'deletecollection' }],
    ['DELETE', '/apis/apps/v1/namespaces/a/deployments/d', '', { verb: 'delete', name: 'd' }],
    ['GET', '/api/v1/namespaces/foo', '', { resource: 'namespaces', name: 'foo', namespace: '', verb: 'get' }],
    ['PUT', '/api/v1/namespaces/foo/finalize', '', { resource: 'namespaces', name: 'foo', subresource: 'finalize' }],
    ['GET', '/api/v1/namespaces/foo/status', '', { resource: 'namespaces', name: 'foo', subresource: 'status' }],
    ['GET', '/api/v1/nodes/n1', '', { resource: 'nodes', name: 'n1', namespace: '' }],
    ['PATCH', '/api/v1/namespaces/a/pods/p%20q', '', { name: 'p q', verb: 'patch' }],
    ['POST', '/api/v1/namespaces/a/pods', '', { verb: 'create' }],
  ];
  for (const [method, path, query, want] of cases) {
    const info = parseRequestInfo(method, path, q(query));
    t.equal(info?.kind, 'resource', path);
    t.match(info, want, `${method} ${path}`);
  }
});

t.test('discovery and non-resource paths', async (t) => {
  t.same(parseRequestInfo('GET', '/api', q()), { kind: 'discovery', prefix: 'api', group: undefined, version: undefined });
  t.same(parseRequestInfo('GET', '/api/v1', q()), { kind: 'discovery', prefix: 'api', group: '', version: 'v1' });
  t.same(parseRequestInfo('GET', '/apis', q()), { kind: 'discovery', prefix: 'apis', group: undefined, version: undefined });
  t.same(parseRequestInfo('GET', '/apis/apps', q()), { kind: 'discovery', prefix: 'apis', group: 'apps', version: undefined });
  t.same(parseRequestInfo('GET', '/apis/apps/v1', q()), { kind: 'discovery', prefix: 'apis', group: 'apps', version: 'v1' });
  t.same(parseRequestInfo('GET', '/healthz', q()), { kind: 'non-resource', path: '/healthz' });
  t.same(parseRequestInfo('GET', '/api/%zz', q()), { kind: 'non-resource', path: '/api/%zz' }, 'malformed escapes are not resources');
});

t.test('an unknown method is undefined (405)', async (t) => {
  t.equal(parseRequestInfo('TRACE', '/api/v1/pods', q()), undefined);
});
