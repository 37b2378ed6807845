import t from 'tap';
import {
  ApiError,
  alreadyExists,
  badRequest,
  conflict,
  expired,
  forbidden,
  gone,
  internalError,
  invalid,
  methodNotSupported,
  notAcceptable,
  notFound,
  requestEntityTooLarge,
  serverTimeout,
  serviceUnavailable,
  timeout,
  tooLargeResourceVersion,
  tooManyRequests,
  unauthorized,
  unsupportedMediaType,
} from './errors.js';
import {
  hasStatusCause,
  isAlreadyExists,
  isBadRequest,
  isConflict,
  isExpiredOrGone,
  isForbidden,
  isGone,
  isInternalError,
  isInvalid,
  isMethodNotSupported,
  isNotAcceptable,
  isNotFound,
  isRequestEntityTooLarge,
  isResourceExpired,
  isServerTimeout,
  isServiceUnavailable,
  isTimeout,
  isTooManyRequests,
  isUnauthorized,
  isUnsupportedMediaType,
  reasonOf,
  statusCause,
  suggestsClientDelay,
} from './predicates.js';
import { failureStatus } from './status.js';

const predicates = {
  isNotFound,
  isAlreadyExists,
  isConflict,
  isInvalid,
  isGone,
  isResourceExpired,
  isNotAcceptable,
  isUnsupportedMediaType,
  isMethodNotSupported,
  isServiceUnavailable,
  isBadRequest,
  isUnauthorized,
  isForbidden,
  isTimeout,
  isServerTimeout,
  isInternalError,
  isTooManyRequests,
  isRequestEntityTooLarge,
} as const;

type PredicateName = keyof typeof predicates;

t.test('each constructor satisfies exactly its own predicate', async (t) => {
  const cases: [ApiError, PredicateName][] = [
    [notFound('pods', 'x'), 'isNotFound'],
    [alreadyExists('pods', 'x'), 'isAlreadyExists'],
    [conflict('pods', 'x'), 'isConflict'],
    [invalid('Pod', 'x', []), 'isInvalid'],
    [gone('x'), 'isGone'],
    [expired('x'), 'isResourceExpired'],
    [notAcceptable(['application/json']), 'isNotAcceptable'],
    [unsupportedMediaType(['application/json']), 'isUnsupportedMediaType'],
    [methodNotSupported('pods', 'create'), 'isMethodNotSupported'],
    [serviceUnavailable('x'), 'isServiceUnavailable'],
    [badRequest('x'), 'isBadRequest'],
    [unauthorized(), 'isUnauthorized'],
    [forbidden('pods', 'x', 'no'), 'isForbidden'],
    [timeout('x'), 'isTimeout'],
    [serverTimeout('pods', 'get', 1), 'isServerTimeout'],
    [internalError('x'), 'isInternalError'],
    [tooManyRequests('x'), 'isTooManyRequests'],
    [requestEntityTooLarge('x'), 'isRequestEntityTooLarge'],
  ];
  for (const [err, own] of cases) {
    for (const [name, predicate] of Object.entries(predicates)) {
      t.equal(predicate(err), name === own, `${err.reason} ${name}`);
    }
  }
});

t.test('an unknown reason falls back to the HTTP code', async (t) => {
  const unknown = (code: number): ApiError => new ApiError(failureStatus({ code, reason: '', message: 'x' }));
  t.ok(isNotFound(unknown(404)));
  t.ok(isConflict(unknown(409)));
  t.notOk(isAlreadyExists(unknown(409)), 'AlreadyExists needs its reason');
  t.ok(isGone(unknown(410)));
  t.notOk(isResourceExpired(unknown(410)), 'Expired needs its reason');
  t.ok(isInvalid(unknown(422)));
  t.ok(isInternalError(unknown(500)));
  t.notOk(isServerTimeout(unknown(500)), 'ServerTimeout needs its reason');
  t.ok(isTimeout(unknown(504)));
  t.notOk(isNotFound(new ApiError(failureStatus({ code: 404, reason: 'Forbidden', message: 'x' }))), 'a known reason wins over the code');
  t.ok(isTooManyRequests(new ApiError(failureStatus({ code: 429, reason: 'Forbidden', message: 'x' }))), '429 matches whatever the reason');
  t.ok(isRequestEntityTooLarge(new ApiError(failureStatus({ code: 413, reason: 'BadRequest', message: 'x' }))), '413 matches whatever the reason');
});

t.test('predicates look through cause chains and reject other values', async (t) => {
  const wrapped = new Error('listing failed', { cause: new Error('inner', { cause: notFound('pods', 'x') }) });
  t.ok(isNotFound(wrapped));
  t.equal(reasonOf(wrapped), 'NotFound');
  for (const other of [undefined, null, 'NotFound', 404, new Error('not found'), { reason: 'NotFound', code: 404 }]) {
    t.notOk(isNotFound(other), String(other));
    t.equal(reasonOf(other), '');
  }
  const loop = new Error('a');
  const loop2 = new Error('b', { cause: loop });
  Object.defineProperty(loop, 'cause', { value: loop2 });
  t.notOk(isNotFound(loop), 'a cyclic cause chain ends');
});

t.test('isExpiredOrGone covers both 410 reasons', async (t) => {
  t.ok(isExpiredOrGone(expired('x')));
  t.ok(isExpiredOrGone(gone('x')));
  t.notOk(isExpiredOrGone(notFound('pods', 'x')));
});

t.test('status causes are found by type', async (t) => {
  const err = tooLargeResourceVersion(10, 5, 1);
  t.ok(hasStatusCause(err, 'ResourceVersionTooLarge'));
  t.same(statusCause(err, 'ResourceVersionTooLarge'), { reason: 'ResourceVersionTooLarge', message: 'Too large resource version' });
  t.notOk(hasStatusCause(err, 'FieldValueInvalid'));
  t.notOk(hasStatusCause(new Error('x'), 'ResourceVersionTooLarge'));
});

t.test('suggestsClientDelay follows upstream', async (t) => {
  t.equal(suggestsClientDelay(tooManyRequests('x', 5)), 5);
  t.equal(suggestsClientDelay(tooManyRequests('x', 0)), undefined);
  t.equal(suggestsClientDelay(serverTimeout('pods', 'get', 0)), 0, 'ServerTimeout suggests a delay even of 0');
  t.equal(suggestsClientDelay(timeout('x', 3)), 3);
  t.equal(suggestsClientDelay(notFound('pods', 'x')), undefined);
  t.equal(suggestsClientDelay(badRequest('x')), undefined, 'no details at all');
});
