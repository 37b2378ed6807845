import t from 'tap';
import { isConflict } from '../machinery/index.js';
import { InProcessTransport, type InProcessHandler, type InProcessRequest, type InProcessResponse } from './inprocess.js';

const user = { username: 'u', groups: ['g'] };

/** A handler that records what it got and answers from a script. */
function handler(answer: (req: InProcessRequest) => InProcessResponse | Promise<InProcessResponse>): InProcessHandler & { seen: InProcessRequest[] } {
  const seen: InProcessRequest[] = [];
  return {
    seen,
    handle: async (req) => {
      seen.push(req);
      return answer(req);
    },
  };
}

t.test('the body is handed over as a copy the server may change', async (t) => {
  const h = handler((req) => {
    (req.object as { metadata: { uid?: string } }).metadata.uid = 'set-by-server';
    return { type: 'object', code: 201, body: req.object };
  });
  const body = { metadata: { name: 'a' } };
  const res = await new InProcessTransport(h, user).request({ method: 'POST', path: '/api/v1/namespaces/d/configmaps', query: { dryRun: 'All' }, body });
  t.same(body, { metadata: { name: 'a' } }, 'the caller’s object is untouched');
  t.same(res, { code: 201, body: { metadata: { name: 'a', uid: 'set-by-server' } } });
  const req = h.seen[0]!;
  t.equal(req.contentType, 'application/json');
  t.equal(req.accept, 'application/json');
  t.equal(req.query.toString(), 'dryRun=All');
  t.same(req.user, user);
  t.equal(req.body, undefined, 'no bytes');
});

t.test('a Status answer becomes an ApiError', async (t) => {
  const h = handler(() => ({
    type: 'object',
    code: 409,
    body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'conflict', reason: 'Conflict', code: 409 },
  }));
  const err = await new InProcessTransport(h, user).request({ method: 'PUT', path: '/x', body: {} }).catch((e: unknown) => e);
  t.ok(isConflict(err));
});

t.test('a watch passes the query with watch=true and closes through its signal', async (t) => {
  let signal: AbortSignal | undefined;
  const h = handler((req) => {
    signal = req.signal;
    async function* events() {
      yield { type: 'ADDED' as const, object: { n: 1 } };
      await new Promise<void>((resolve) => req.signal.addEventListener('abort', () => resolve()));
    }
    return { type: 'watch', contentType: 'application/json', events: events() };
  });
  const watch = new InProcessTransport(h, user).watch({ path: '/api/v1/pods', query: { resourceVersion: '3' } });
  const it = watch[Symbol.asyncIterator]();
  t.same(await it.next(), { done: false, value: { type: 'ADDED', object: { n: 1 } } });
  t.equal(h.seen[0]?.query.toString(), 'resourceVersion=3&watch=true');
  const pending = it.next();
  watch.close();
  t.same(await pending, { done: true, value: undefined });
  t.equal(signal?.aborted, true, 'the server saw the abort');
});

t.test('a watch that is never answered still closes at once', async (t) => {
  const h = handler(() => new Promise<InProcessResponse>(() => undefined));
  const watch = new InProcessTransport(h, user).watch({ path: '/api/v1/pods' });
  const pending = watch[Symbol.asyncIterator]().next();
  watch.close();
  t.same(await pending, { done: true, value: undefined });
});

t.test('a closed transport refuses requests', async (t) => {
  const tr = new InProcessTransport(handler(() => ({ type: 'object', code: 200, body: {} })), user);
  await tr.close();
  await t.rejects(tr.request({ method: 'GET', path: '/x' }), { name: 'ClientError', code: 'connection-failed' });
});
