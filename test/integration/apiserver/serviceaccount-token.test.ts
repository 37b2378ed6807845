import t from 'tap';
import { startApiServer } from '../../../src/apiserver/index.js';
import { ServiceAccountTokenSigner } from '../../../src/certs/index.js';
import { silentLogger } from '../../../src/log/logger.js';
import { openMemoryBackend } from '../../../src/store/memory/index.js';
import { rawClient, type RawResponse } from '../../helpers/https.js';
import { startTestApiServer } from '../../helpers/apiserver.js';

// Service-account tokens as upstream: TokenRequest issues bound tokens,
// bearer authentication checks them against the live objects they name,
// TokenReview reports what a token stands for.
const api = await startTestApiServer();
t.teardown(() => api.close());
const admin = rawClient({ url: api.url, caPem: api.pki.serverCa.ca.certPem, certPem: api.pki.admin.certPem, keyPem: api.pki.admin.keyPem });
const noCert = rawClient({ url: api.url, caPem: api.pki.serverCa.ca.certPem });
const issuer = 'https://kubernetes.default.svc.cluster.local';

type Json = Record<string, unknown>;
const send = (client: typeof admin, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<RawResponse> =>
  client(method, path, body === undefined ? { headers } : { body: JSON.stringify(body), headers });
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
const statusOf = (res: RawResponse) => (res.json as { status: Json }).status;

async function create(path: string, obj: Json): Promise<{ uid: string }> {
  const res = await send(admin, 'POST', path, obj);
  if (res.code !== 201) throw new Error(`create ${path}: ${res.code} ${res.text}`);
  return (res.json as { metadata: { uid: string } }).metadata;
}
const serviceAccount = (name: string) => create('/api/v1/namespaces/default/serviceaccounts', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name } });
const pod = (name: string, account: string) =>
  create('/api/v1/namespaces/default/pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { serviceAccountName: account, containers: [{ name: 'c', image: 'busybox' }] } });

async function requestToken(account: string, spec: Json = {}): Promise<RawResponse> {
  return send(admin, 'POST', `/api/v1/namespaces/default/serviceaccounts/${account}/token`, { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec });
}
async function tokenFor(account: string, spec: Json = {}): Promise<string> {
  const res = await requestToken(account, spec);
  if (res.code !== 201) throw new Error(`token for ${account}: ${res.code} ${res.text}`);
  return statusOf(res).token as string;
}
const whoAmI = (token: string) => send(noCert, 'POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' }, bearer(token));
const review = (token: string, audiences?: string[]) =>
  send(admin, 'POST', '/apis/authentication.k8s.io/v1/tokenreviews', { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token, ...(audiences ? { audiences } : {}) } });
const unauthorized = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 };

const robot = await serviceAccount('robot');

t.test('TokenRequest returns a token for the API audience, valid for an hour by default', async (t) => {
  const before = Date.now();
  const res = await requestToken('robot');
  t.equal(res.code, 201);
  const body = res.json as { kind: string; apiVersion: string; metadata: Json; spec: Json; status: { token: string; expirationTimestamp: string } };
  t.match(body, { kind: 'TokenRequest', apiVersion: 'authentication.k8s.io/v1', metadata: { name: 'robot', namespace: 'default' } });
  t.same(body.spec, { audiences: [issuer], expirationSeconds: 3600, boundObjectRef: null });
  const expires = Date.parse(body.status.expirationTimestamp);
  t.ok(expires >= Math.floor(before / 1000) * 1000 + 3600_000 && expires <= Date.now() + 3600_000, 'expires in an hour');
  const claims = JSON.parse(Buffer.from(body.status.token.split('.')[1] ?? '', 'base64url').toString()) as Json;
  t.match(claims, { iss: issuer, sub: 'system:serviceaccount:default:robot', aud: [issuer], 'kubernetes.io': { namespace: 'default', serviceaccount: { name: 'robot', uid: robot.uid } } });
  t.equal((claims.exp as number) * 1000, expires, 'status and token agree on the expiry');
});

t.test('a bearer token authenticates without a client certificate', async (t) => {
  const token = await tokenFor('robot');
  const res = await whoAmI(token);
  t.equal(res.code, 201);
  t.match(statusOf(res).userInfo, {
    username: 'system:serviceaccount:default:robot',
    uid: robot.uid,
    groups: ['system:serviceaccounts', 'system:serviceaccounts:default', 'system:authenticated'],
    extra: { 'authentication.kubernetes.io/credential-id': [/^JTI=[0-9a-f-]{36}$/] },
  });
  const list = await send(noCert, 'GET', '/api/v1/namespaces/default/serviceaccounts', undefined, { Authorization: `bearer ${token}` });
  t.equal(list.code, 200, 'the scheme is case-insensitive');
  t.equal((await send(noCert, 'GET', '/api/v1/namespaces', undefined, { Authorization: 'Bearer ' })).code, 401, 'an empty token is no credential');
});

t.test('TokenReview reports the user, its extras and audiences', async (t) => {
  const token = await tokenFor('robot');
  const res = await review(token);
  t.equal(res.code, 201);
  t.match(res.json, { kind: 'TokenReview', apiVersion: 'authentication.k8s.io/v1', spec: { token } });
  const status = statusOf(res);
  t.match(status, {
    authenticated: true,
    user: { username: 'system:serviceaccount:default:robot', uid: robot.uid, groups: ['system:serviceaccounts', 'system:serviceaccounts:default', 'system:authenticated'] },
    audiences: [issuer],
  });
  t.same(Object.keys((status.user as { extra: Json }).extra), ['authentication.kubernetes.io/credential-id']);

  const vault = await tokenFor('robot', { audiences: ['vault'] });
  t.match(statusOf(await review(vault, ['vault', 'other'])), { authenticated: true, audiences: ['vault'] });
  const wrong = statusOf(await review(vault));
  t.same(wrong, { user: {}, error: `token audiences ["vault"] is invalid for the target audiences ["${issuer}"]` });
  t.equal((await whoAmI(vault)).code, 401, 'a token for another audience does not open the API');
  t.same(statusOf(await review('garbage')), { user: {}, error: 'invalid bearer token' });
  const empty = await send(admin, 'POST', '/apis/authentication.k8s.io/v1/tokenreviews', { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: {} });
  t.match(empty, { code: 400, json: { message: 'token is required for TokenReview in authentication.k8s.io' } });
});

t.test('invalid credentials are a 401 everywhere, even where anonymous users may go', async (t) => {
  for (const token of ['garbage', 'a.b.c', `${await tokenFor('robot')}x`]) {
    const res = await send(noCert, 'GET', '/api/v1/namespaces/default/pods', undefined, bearer(token));
    t.equal(res.code, 401);
    t.same(res.json, unauthorized);
    t.equal((await send(noCert, 'GET', '/healthz', undefined, bearer(token))).code, 401, 'healthz too');
  }
  t.equal((await send(noCert, 'GET', '/version')).code, 200, 'no credentials at all is anonymous');
  t.equal((await send(admin, 'GET', '/api/v1/namespaces', undefined, bearer('garbage'))).code, 200, 'a client certificate wins over a bad token');
});

t.test('an expired token is a 401 (past the leeway)', async (t) => {
  const signer = ServiceAccountTokenSigner.fromPem(api.pki.serviceAccount);
  const old = signer.issue({ namespace: 'default', serviceAccount: { name: 'robot', uid: robot.uid }, audiences: [issuer], expirationSeconds: 600, now: new Date(Date.now() - 3600_000) });
  t.equal((await whoAmI(old.token)).code, 401);
  t.same(statusOf(await review(old.token)), { user: {}, error: 'service account token has expired' });
  const fresh = signer.issue({ namespace: 'default', serviceAccount: { name: 'robot', uid: robot.uid }, audiences: [issuer], expirationSeconds: 600 });
  t.equal((await whoAmI(fresh.token)).code, 201, 'the same key, in time, is fine');
});

t.test('deleting the service account ends its tokens; a new one of the same name does not revive them', async (t) => {
  await serviceAccount('temp');
  const token = await tokenFor('temp');
  t.equal((await whoAmI(token)).code, 201);
  t.equal((await send(admin, 'DELETE', '/api/v1/namespaces/default/serviceaccounts/temp')).code, 200);
  t.same((await whoAmI(token)).json, unauthorized);
  t.same(statusOf(await review(token)), { user: {}, error: 'serviceaccounts "temp" not found' });
  const again = await serviceAccount('temp');
  t.equal((await whoAmI(token)).code, 401);
  t.match(statusOf(await review(token)), { error: new RegExp(`^service account UID \\(${again.uid}\\) does not match claim \\(`) });
});

t.test('a token bound to a pod carries the pod and dies with it', async (t) => {
  const web = await pod('web', 'robot');
  const res = await requestToken('robot', { boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'web', uid: web.uid } });
  t.equal(res.code, 201);
  const token = statusOf(res).token as string;
  const me = statusOf(await whoAmI(token)).userInfo as { extra: Json };
  t.match(me.extra, { 'authentication.kubernetes.io/pod-name': ['web'], 'authentication.kubernetes.io/pod-uid': [web.uid] });
  t.equal((await send(admin, 'DELETE', '/api/v1/namespaces/default/pods/web')).code, 200);
  t.same((await whoAmI(token)).json, unauthorized);
  t.same(statusOf(await review(token)), { user: {}, error: 'service account token has been invalidated' });
});

t.test('a token bound to a secret dies with the secret', async (t) => {
  await create('/api/v1/namespaces/default/secrets', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'bound' } });
  const token = await tokenFor('robot', { boundObjectRef: { kind: 'Secret', apiVersion: 'v1', name: 'bound' } });
  t.equal((await whoAmI(token)).code, 201);
  await send(admin, 'DELETE', '/api/v1/namespaces/default/secrets/bound');
  t.equal((await whoAmI(token)).code, 401);
});

t.test('binding rules: the object must exist, match its uid, run as the account, be a Pod, Secret or Node', async (t) => {
  t.match(await requestToken('robot', { boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'nope' } }), { code: 404, json: { message: 'pods "nope" not found' } });
  await pod('other', 'default');
  t.match(await requestToken('robot', { boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'other' } }), {
    code: 400,
    json: { message: 'cannot bind token for serviceaccount "robot" to pod running with different serviceaccount name.' },
  });
  await pod('mine', 'robot');
  t.match(await requestToken('robot', { boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'mine', uid: 'stale' } }), {
    code: 409,
    json: { reason: 'Conflict', message: /^Operation cannot be fulfilled on Pod "mine": the UID in the bound object reference \(stale\) does not match the UID in record/ },
  });
  t.match(await requestToken('robot', { boundObjectRef: { kind: 'ConfigMap', apiVersion: 'v1', name: 'x' } }), { code: 400, json: { message: 'cannot bind token to object of type /v1, Kind=ConfigMap' } });
});

t.test('expirationSeconds is checked as upstream; kubelet tokens are extended', async (t) => {
  t.match(await requestToken('robot', { expirationSeconds: 60 }), {
    code: 422,
    json: { reason: 'Invalid', message: 'TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes' },
  });
  t.match(await requestToken('robot', { expirationSeconds: 2 ** 32 + 1 }), { code: 422, json: { message: /may not specify a duration larger than 2\^32 seconds$/ } });
  const named = await send(admin, 'POST', '/api/v1/namespaces/default/serviceaccounts/robot/token', { metadata: { name: 'someone' }, spec: {} });
  t.match(named, { code: 422, json: { message: /metadata\.name: Invalid value: "someone": must match the service account name if specified$/ } });
  await pod('kubelet-style', 'robot');
  const res = await requestToken('robot', { expirationSeconds: 3607, boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'kubelet-style' } });
  const claims = JSON.parse(Buffer.from(((statusOf(res).token as string).split('.')[1] ?? ''), 'base64url').toString()) as { exp: number; iat: number; 'kubernetes.io': { warnafter: number } };
  t.equal(claims.exp - claims.iat, 365 * 24 * 3600, 'valid for a year');
  t.equal(claims['kubernetes.io'].warnafter - claims.iat, 3607, 'stale after the requested time');
  t.equal(Date.parse(statusOf(res).expirationTimestamp as string) / 1000, claims.iat + 3607, 'the status reports what was asked for');
});

t.test('a token for a missing service account is a 404', async (t) => {
  const res = await requestToken('ghost');
  t.match(res, { code: 404, json: { reason: 'NotFound', message: 'serviceaccounts "ghost" not found', details: { name: 'ghost', kind: 'serviceaccounts' } } });
});

t.test('a configured maximum shortens requests with a warning', async (t) => {
  const backend = openMemoryBackend();
  await backend.ready;
  const server = await startApiServer({
    backend,
    tls: { certPem: api.pki.serving.certPem, keyPem: api.pki.serving.keyPem, clientCaPem: api.pki.clientCa.ca.certPem },
    host: '127.0.0.1',
    port: 0,
    serviceCidr: '10.43.0.0/16',
    nodePortRange: { min: 30000, max: 32767 },
    productVersion: 'v1.32.0+tsk8s-test',
    serviceAccountKey: api.pki.serviceAccount,
    serviceAccountMaxTokenExpirationSeconds: 7200,
    logger: silentLogger,
  });
  t.teardown(async () => {
    await server.close();
    await backend.close();
  });
  const call = rawClient({ url: `https://127.0.0.1:${server.port}`, caPem: api.pki.serverCa.ca.certPem, certPem: api.pki.admin.certPem, keyPem: api.pki.admin.keyPem });
  await send(call, 'POST', '/api/v1/namespaces/default/serviceaccounts', { metadata: { name: 'capped' } });
  const res = await send(call, 'POST', '/api/v1/namespaces/default/serviceaccounts/capped/token', { spec: { expirationSeconds: 86400 } });
  t.equal(res.code, 201);
  t.equal(res.headers.warning, '299 - "requested expiration of 86400 seconds shortened to 7200 seconds"');
  t.equal((res.json as { spec: Json }).spec.expirationSeconds, 7200);
});
