import t from 'tap';
import {
  ApiError,
  alreadyExists,
  applyConflict,
  asApiError,
  badRequest,
  conflict,
  continueExpired,
  expired,
  expiredMessages,
  forbidden,
  forbiddenRequest,
  fromStatus,
  generateNameConflict,
  gone,
  internalError,
  invalid,
  methodNotSupported,
  notAcceptable,
  notFound,
  optimisticLockMessage,
  requestEntityTooLarge,
  serverTimeout,
  serviceUnavailable,
  splitGroup,
  timeout,
  tooLargeResourceVersion,
  tooManyRequests,
  tooOldResourceVersion,
  unauthorized,
  unsupportedMediaType,
} from './errors.js';
import { fieldInvalid, fieldNotSupported, fieldRequired } from './fielderrors.js';
import type { StatusDetails } from './status.js';

t.test('constructors carry upstream codes, reasons, messages and details', async (t) => {
  const cases: [string, ApiError, number, string, string, StatusDetails | undefined][] = [
    ['notFound core', notFound('pods', 'x'), 404, 'NotFound', 'pods "x" not found', { name: 'x', kind: 'pods' }],
    ['notFound grouped', notFound('deployments.apps', 'web'), 404, 'NotFound', 'deployments.apps "web" not found', { name: 'web', group: 'apps', kind: 'deployments' }],
    ['alreadyExists', alreadyExists('configmaps', 'c'), 409, 'AlreadyExists', 'configmaps "c" already exists', { name: 'c', kind: 'configmaps' }],
    [
      'generateNameConflict',
      generateNameConflict('pods', 'web-abcde', 1),
      409,
      'AlreadyExists',
      'pods "web-abcde" already exists, the server was not able to generate a unique name for the object',
      { name: 'web-abcde', kind: 'pods', retryAfterSeconds: 1 },
    ],
    [
      'conflict default',
      conflict('deployments.apps', 'web'),
      409,
      'Conflict',
      'Operation cannot be fulfilled on deployments.apps "web": the object has been modified; please apply your changes to the latest version and try again',
      { name: 'web', group: 'apps', kind: 'deployments' },
    ],
    ['conflict custom', conflict('namespaces', 'ns', 'the UID in the precondition (a) does not match the UID in record (b). The object might have been deleted and then recreated'), 409, 'Conflict', 'Operation cannot be fulfilled on namespaces "ns": the UID in the precondition (a) does not match the UID in record (b). The object might have been deleted and then recreated', { name: 'ns', kind: 'namespaces' }],
    ['badRequest', badRequest('bad'), 400, 'BadRequest', 'bad', undefined],
    ['unauthorized default', unauthorized(), 401, 'Unauthorized', 'not authorized', undefined],
    ['unauthorized text', unauthorized('Unauthorized'), 401, 'Unauthorized', 'Unauthorized', undefined],
    ['forbidden named', forbidden('secrets', 's', 'no'), 403, 'Forbidden', 'secrets "s" is forbidden: no', { name: 's', kind: 'secrets' }],
    ['forbidden unnamed', forbidden('secrets', '', 'no'), 403, 'Forbidden', 'secrets is forbidden: no', { kind: 'secrets' }],
    ['forbidden no resource', forbidden('', '', 'no'), 403, 'Forbidden', 'forbidden: no', {}],
    ['methodNotSupported', methodNotSupported('pods.metrics.k8s.io', 'create'), 405, 'MethodNotAllowed', 'create is not supported on resources of kind "pods.metrics.k8s.io"', { group: 'metrics.k8s.io', kind: 'pods' }],
    ['notAcceptable', notAcceptable(['application/json', 'application/yaml']), 406, 'NotAcceptable', 'only the following media types are accepted: application/json, application/yaml', undefined],
    ['notAcceptable conversion', notAcceptable(['application/json'], 'meta.k8s.io/v1 Table'), 406, 'NotAcceptable', 'only the following media types are accepted when converting to meta.k8s.io/v1 Table: application/json', undefined],
    ['unsupportedMediaType', unsupportedMediaType(['application/json', 'application/yaml']), 415, 'UnsupportedMediaType', 'the body of the request was in an unknown format - accepted media types include: application/json, application/yaml', undefined],
    ['requestEntityTooLarge', requestEntityTooLarge('limit is 3145728'), 413, 'RequestEntityTooLarge', 'Request entity too large: limit is 3145728', undefined],
    ['gone', gone('gone away'), 410, 'Gone', 'gone away', undefined],
    ['expired', expired(expiredMessages.list), 410, 'Expired', 'The resourceVersion for the provided list is too old.', undefined],
    ['tooOldResourceVersion', tooOldResourceVersion(5n, 1000), 410, 'Expired', 'too old resource version: 5 (1000)', undefined],
    ['continueExpired without token', continueExpired(), 410, 'Expired', 'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.', undefined],
    ['tooManyRequests', tooManyRequests("Cannot evict pod as it would violate the pod's disruption budget.", 10), 429, 'TooManyRequests', "Cannot evict pod as it would violate the pod's disruption budget.", { retryAfterSeconds: 10 }],
    ['tooManyRequests no delay', tooManyRequests('slow down'), 429, 'TooManyRequests', 'slow down', {}],
    ['internalError', internalError(new Error('disk on fire')), 500, 'InternalError', 'Internal error occurred: disk on fire', { causes: [{ message: 'disk on fire' }] }],
    ['internalError text', internalError('boom'), 500, 'InternalError', 'Internal error occurred: boom', { causes: [{ message: 'boom' }] }],
    ['serverTimeout', serverTimeout('pods', 'create', 2), 500, 'ServerTimeout', 'The create operation against pods could not be completed at this time, please try again.', { name: 'create', kind: 'pods', retryAfterSeconds: 2 }],
    ['serviceUnavailable', serviceUnavailable('not ready'), 503, 'ServiceUnavailable', 'not ready', undefined],
    ['timeout', timeout('request did not complete within requested timeout - context deadline exceeded', 0), 504, 'Timeout', 'Timeout: request did not complete within requested timeout - context deadline exceeded', {}],
    [
      'tooLargeResourceVersion',
      tooLargeResourceVersion(200, 100, 1),
      504,
      'Timeout',
      'Timeout: Too large resource version: 200, current: 100',
      { causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }], retryAfterSeconds: 1 },
    ],
    ['applyConflict', applyConflict([{ reason: 'FieldManagerConflict', message: 'conflict with "kubectl"', field: '.spec.replicas' }], 'Apply failed with 1 conflict'), 409, 'Conflict', 'Apply failed with 1 conflict', { causes: [{ reason: 'FieldManagerConflict', message: 'conflict with "kubectl"', field: '.spec.replicas' }] }],
  ];
  for (const [name, err, code, reason, message, details] of cases) {
    t.ok(err instanceof ApiError && err instanceof Error, `${name}: is an ApiError`);
    t.equal(err.code, code, `${name}: code`);
    t.equal(err.reason, reason, `${name}: reason`);
    t.equal(err.message, message, `${name}: Error.message`);
    t.equal(err.status.message, message, `${name}: status.message`);
    t.equal(err.status.status, 'Failure', `${name}: status`);
    t.same(err.status.details, details, `${name}: details`);
    t.strictSame(err.status.metadata, {}, `${name}: metadata`);
  }
});

t.test('the JSON of a Status is byte-identical to upstream', async (t) => {
  t.equal(
    JSON.stringify(notFound('pods', 'x').status),
    '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"pods \\"x\\" not found","reason":"NotFound","details":{"name":"x","kind":"pods"},"code":404}',
  );
  t.equal(
    JSON.stringify(tooOldResourceVersion(5, 1000).status),
    '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"too old resource version: 5 (1000)","reason":"Expired","code":410}',
  );
  t.equal(
    JSON.stringify(invalid('Pod', 'x', [fieldRequired('spec.containers[0].image')]).status),
    '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Pod \\"x\\" is invalid: spec.containers[0].image: Required value","reason":"Invalid","details":{"name":"x","kind":"Pod","causes":[{"reason":"FieldValueRequired","message":"Required value","field":"spec.containers[0].image"}]},"code":422}',
  );
});

t.test('invalid: one cause bare, several bracketed, duplicates dropped from the message only', async (t) => {
  const one = invalid('Pod', 'x', [fieldRequired('spec.containers[0].image')]);
  t.equal(one.message, 'Pod "x" is invalid: spec.containers[0].image: Required value');
  t.equal(one.code, 422);
  t.equal(one.reason, 'Invalid');

  const several = invalid('Deployment.apps', 'web', [
    fieldInvalid('spec.replicas', -1, 'must be greater than or equal to 0'),
    fieldNotSupported('spec.strategy.type', 'Fast', ['Recreate', 'RollingUpdate']),
  ]);
  t.equal(
    several.message,
    'Deployment.apps "web" is invalid: [spec.replicas: Invalid value: -1: must be greater than or equal to 0, spec.strategy.type: Unsupported value: "Fast": supported values: "Recreate", "RollingUpdate"]',
  );
  t.same(several.status.details, {
    name: 'web',
    group: 'apps',
    kind: 'Deployment',
    causes: [
      { reason: 'FieldValueInvalid', message: 'Invalid value: -1: must be greater than or equal to 0', field: 'spec.replicas' },
      { reason: 'FieldValueNotSupported', message: 'Unsupported value: "Fast": supported values: "Recreate", "RollingUpdate"', field: 'spec.strategy.type' },
    ],
  });

  const dup = invalid('Pod', 'x', [fieldRequired('a'), fieldRequired('a')]);
  t.equal(dup.message, 'Pod "x" is invalid: a: Required value', 'identical messages collapse to one, unbracketed');
  t.equal(dup.status.details?.causes?.length, 2, 'causes keep both');

  const none = invalid('Pod', 'x', []);
  t.equal(none.message, 'Pod "x" is invalid');
  t.same(none.status.details, { name: 'x', kind: 'Pod' });
});

t.test('names are quoted as Go %q quotes them', async (t) => {
  t.equal(notFound('pods', 'a"b\\c\n').message, 'pods "a\\"b\\\\c\\n" not found');
  t.equal(notFound('pods', '').message, 'pods "" not found');
});

t.test('forbiddenRequest words authorization denials as the apiserver does', async (t) => {
  const cases: [string, ApiError, string, StatusDetails][] = [
    [
      'namespaced',
      forbiddenRequest({ user: 'system:serviceaccount:default:sa', verb: 'list', resource: { resource: 'pods', group: '', namespace: 'default', name: '' } }),
      'pods is forbidden: User "system:serviceaccount:default:sa" cannot list resource "pods" in API group "" in the namespace "default"',
      { kind: 'pods' },
    ],
    [
      'named with subresource',
      forbiddenRequest({ user: 'bob', verb: 'create', resource: { resource: 'pods', subresource: 'exec', group: '', namespace: 'ns', name: 'web' } }),
      'pods "web" is forbidden: User "bob" cannot create resource "pods/exec" in API group "" in the namespace "ns"',
      { name: 'web', kind: 'pods' },
    ],
    [
      'cluster-scoped, grouped, with reason',
      forbiddenRequest({ user: 'bob', verb: 'get', resource: { resource: 'clusterroles', group: 'rbac.authorization.k8s.io', namespace: '', name: 'admin' } }, 'RBAC: not allowed'),
      'clusterroles.rbac.authorization.k8s.io "admin" is forbidden: User "bob" cannot get resource "clusterroles" in API group "rbac.authorization.k8s.io" at the cluster scope: RBAC: not allowed',
      { name: 'admin', group: 'rbac.authorization.k8s.io', kind: 'clusterroles' },
    ],
    ['path', forbiddenRequest({ user: 'system:anonymous', verb: 'get', path: '/metrics' }), 'forbidden: User "system:anonymous" cannot get path "/metrics"', {}],
    ['html-escaped', forbiddenRequest({ user: '<x&y>', verb: 'get', path: '/' }), 'forbidden: User "&lt;x&amp;y&gt;" cannot get path "/"', {}],
  ];
  for (const [name, err, message, details] of cases) {
    t.equal(err.code, 403, name);
    t.equal(err.reason, 'Forbidden', name);
    t.equal(err.message, message, name);
    t.same(err.status.details, details, name);
  }
});

t.test('continueExpired with a new token carries it in metadata.continue', async (t) => {
  const err = continueExpired('eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6LTF9');
  t.equal(err.code, 410);
  t.equal(err.reason, 'Expired');
  t.equal(
    err.message,
    'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.',
  );
  t.same(err.status.metadata, { continue: 'eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6LTF9' });
  t.equal(err.status.details, undefined);
});

t.test('the optimistic-lock message is upstream text', async (t) => {
  t.equal(optimisticLockMessage, 'the object has been modified; please apply your changes to the latest version and try again');
});

t.test('splitGroup separates the group at the first dot', async (t) => {
  t.same(splitGroup('pods'), { name: 'pods', group: '' });
  t.same(splitGroup('deployments.apps'), { name: 'deployments', group: 'apps' });
  t.same(splitGroup('ingresses.networking.k8s.io'), { name: 'ingresses', group: 'networking.k8s.io' });
});

t.test('internalError keeps the original error as cause', async (t) => {
  const original = new Error('boom');
  t.equal(internalError(original).cause, original);
});

t.test('asApiError passes ApiErrors through and wraps anything else as a 500', async (t) => {
  const nf = notFound('pods', 'x');
  t.equal(asApiError(nf), nf);
  const wrapped = asApiError(new TypeError('x is undefined'));
  t.equal(wrapped.code, 500);
  t.equal(wrapped.message, 'Internal error occurred: x is undefined');
});

t.test('fromStatus rebuilds an error from a received Status', async (t) => {
  const received = JSON.parse(JSON.stringify(conflict('pods', 'x').status)) as ReturnType<typeof conflict>['status'];
  const err = fromStatus(received);
  t.equal(err.code, 409);
  t.equal(err.reason, 'Conflict');
  t.equal(err.message, 'Operation cannot be fulfilled on pods "x": the object has been modified; please apply your changes to the latest version and try again');
  const bare = fromStatus({ kind: 'Status', apiVersion: 'v1', metadata: {} });
  t.equal(bare.code, 0);
  t.equal(bare.reason, '');
  t.equal(bare.message, '');
});
