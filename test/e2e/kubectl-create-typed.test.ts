import t from 'tap';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { body as protobufBody, ld } from '../../src/api/protobuf/encode.fixture.js';
import { rawClient } from '../helpers/https.js';
import { findKubectl, kubectlFor } from '../helpers/kubectl.js';
import { startTsk8s } from '../helpers/server.js';

// Many kubectl runs against a real server: longer than the suite's default timeout on a busy machine.
t.setTimeout(600_000);

// kubectl 1.32's typed commands (create <kind>, create token, autoscale,
// auth can-i, auth whoami) send Kubernetes protobuf bodies with no JSON
// fallback. Each runs against `tsk8s server`, and what it created is read
// back with `kubectl get -o json`. Raw requests then check the edges:
// a kind without a table is 415, a malformed body 400 with nothing written,
// answers are JSON even when protobuf is preferred, and a typed delete's
// protobuf DeleteOptions is read.
if (!findKubectl()) {
  t.plan(0, 'kubectl is not on PATH');
} else {
  const server = await startTsk8s();
  t.teardown(() => server.stop());
  const { kubectl, ok } = kubectlFor(server.kubeconfig, server.dir);
  /** `kubectl get -o json`, typed as the caller expects the object to look. */
  const getJson = async <T = Record<string, unknown>>(...args: string[]): Promise<T> => JSON.parse(await ok(['get', ...args, '-o', 'json'])) as T;
  type Data = { type: string; data: Record<string, string> };
  type Spec<S> = { spec: S };
  interface Kubeconfig {
    clusters: { cluster: { server: string; 'certificate-authority-data': string } }[];
    users: { user: { 'client-certificate-data': string; 'client-key-data': string } }[];
  }
  const kubeconfig = () => parseYaml(readFileSync(server.kubeconfig, 'utf8')) as Kubeconfig;
  const b64 = (s: string) => Buffer.from(s).toString('base64');

  t.test('create namespace', async (t) => {
    t.match(await ok(['create', 'namespace', 'typed']), /^namespace\/typed created$/m);
    const ns = await getJson<{ metadata: { creationTimestamp: unknown } }>('namespace', 'typed');
    t.match(ns, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'typed' } });
    t.match(ns.metadata.creationTimestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/, 'the server sets the time the body left null');
  });

  t.test('create configmap', async (t) => {
    await ok(['create', 'configmap', 'cm', '--from-literal=a=b', '--from-literal=c=d e']);
    t.strictSame((await getJson<Data>('configmap', 'cm')).data, { a: 'b', c: 'd e' });
  });

  t.test('create secret generic, tls and docker-registry', async (t) => {
    await ok(['create', 'secret', 'generic', 's', '--from-literal=a=b']);
    const generic = await getJson<Data>('secret', 's');
    t.equal(generic.type, 'Opaque');
    t.strictSame(generic.data, { a: b64('b') });

    // Any matching certificate and key will do: the admin client's.
    const user = kubeconfig().users[0]?.user;
    const certPem = Buffer.from(user?.['client-certificate-data'] ?? '', 'base64').toString();
    const keyPem = Buffer.from(user?.['client-key-data'] ?? '', 'base64').toString();
    writeFileSync(join(server.dir, 'tls.crt'), certPem);
    writeFileSync(join(server.dir, 'tls.key'), keyPem);
    await ok(['create', 'secret', 'tls', 'tls', `--cert=${join(server.dir, 'tls.crt')}`, `--key=${join(server.dir, 'tls.key')}`]);
    const tls = await getJson<Data>('secret', 'tls');
    t.equal(tls.type, 'kubernetes.io/tls');
    t.strictSame(tls.data, { 'tls.crt': b64(certPem), 'tls.key': b64(keyPem) });

    await ok(['create', 'secret', 'docker-registry', 'reg', '--docker-server=registry.example', '--docker-username=u', '--docker-password=p']);
    const reg = await getJson<Data>('secret', 'reg');
    t.equal(reg.type, 'kubernetes.io/dockerconfigjson');
    const config = JSON.parse(Buffer.from(reg.data['.dockerconfigjson'] ?? '', 'base64').toString()) as unknown;
    t.match(config, { auths: { 'registry.example': { username: 'u', password: 'p', auth: b64('u:p') } } });
  });

  t.test('create deployment keeps replicas 0', async (t) => {
    await ok(['create', 'deployment', 'web', '--image=busybox', '--replicas=0']);
    const deploy = await getJson<Spec<{ replicas: number; selector: unknown }>>('deployment', 'web');
    t.equal(deploy.spec.replicas, 0);
    t.strictSame(deploy.spec.selector, { matchLabels: { app: 'web' } });
    t.match(deploy, { spec: { template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'busybox', image: 'busybox' }] } } } });
    await ok(['create', 'deployment', 'api', '--image=nginx', '--port=8080', '-r', '2', '--', 'nginx', '-g', 'daemon off;']);
    const api = await getJson('deployment', 'api');
    t.match(api, { spec: { replicas: 2, template: { spec: { containers: [{ name: 'nginx', image: 'nginx', ports: [{ containerPort: 8080 }], command: ['nginx', '-g', 'daemon off;'] }] } } } });
  });

  t.test('create service clusterip, nodeport, loadbalancer, externalname', async (t) => {
    await ok(['create', 'service', 'clusterip', 'c', '--tcp=80:8080']);
    const c = await getJson<Spec<{ selector: unknown }>>('service', 'c');
    t.match(c, { spec: { type: 'ClusterIP', clusterIP: /^10\.43\./, ports: [{ name: '80-8080', port: 80, targetPort: 8080, protocol: 'TCP' }] } });
    t.strictSame(c.spec.selector, { app: 'c' });

    await ok(['create', 'service', 'nodeport', 'n', '--tcp=80:8080']);
    const n = await getJson<Spec<{ ports: { nodePort: number }[] }>>('service', 'n');
    t.match(n, { spec: { type: 'NodePort', ports: [{ port: 80, targetPort: 8080 }] } });
    const nodePort = n.spec.ports[0]?.nodePort ?? 0;
    t.ok(nodePort >= 30000 && nodePort <= 32767, `nodePort ${nodePort} allocated`);

    await ok(['create', 'service', 'loadbalancer', 'lb', '--tcp=443:8443']);
    t.match(await getJson('service', 'lb'), { spec: { type: 'LoadBalancer', ports: [{ port: 443, targetPort: 8443 }] } });

    await ok(['create', 'service', 'externalname', 'ex', '--external-name=db.example.com']);
    t.match(await getJson('service', 'ex'), { spec: { type: 'ExternalName', externalName: 'db.example.com' } });
  });

  t.test('create job and cronjob', async (t) => {
    await ok(['create', 'job', 'j', '--image=busybox', '--', 'echo', 'hi']);
    t.match(await getJson('job', 'j'), { spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'j', image: 'busybox', command: ['echo', 'hi'] }] } } } });

    await ok(['create', 'cronjob', 'cj', '--image=busybox', '--schedule=*/5 * * * *', '--', 'date']);
    t.match(await getJson('cronjob', 'cj'), {
      spec: {
        schedule: '*/5 * * * *',
        jobTemplate: { spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'cj', image: 'busybox', command: ['date'] }] } } } },
      },
    });

    // --from copies the stored template, server defaults and all, and names the CronJob as controller.
    await ok(['create', 'job', 'manual', '--from=cronjob/cj']);
    const cronUid = (await getJson<{ metadata: { uid: string } }>('cronjob', 'cj')).metadata.uid;
    t.match(await getJson('job', 'manual'), {
      metadata: {
        annotations: { 'cronjob.kubernetes.io/instantiate': 'manual' },
        ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'cj', uid: cronUid, controller: true }],
      },
      spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'cj', image: 'busybox', command: ['date'] }] } } },
    });
  });

  t.test('create quota', async (t) => {
    await ok(['create', 'quota', 'q', '--hard=cpu=1,memory=1G,pods=2', '--scopes=NotTerminating']);
    const q = await getJson<Spec<{ hard: unknown; scopes: unknown }>>('resourcequota', 'q');
    t.strictSame(q.spec.hard, { cpu: '1', memory: '1G', pods: '2' });
    t.strictSame(q.spec.scopes, ['NotTerminating']);
  });

  t.test('create role, rolebinding, clusterrole, clusterrolebinding', async (t) => {
    await ok(['create', 'role', 'r', '--verb=get,list', '--resource=pods,deployments.apps']);
    t.strictSame((await getJson<{ rules: unknown }>('role', 'r')).rules, [
      { verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] },
      { verbs: ['get', 'list'], apiGroups: ['apps'], resources: ['deployments'] },
    ]);
    await ok(['create', 'rolebinding', 'rb', '--role=r', '--user=bob', '--serviceaccount=default:sa']);
    const rb = await getJson<{ roleRef: unknown; subjects: unknown }>('rolebinding', 'rb');
    t.strictSame(rb.roleRef, { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'r' });
    t.match(rb.subjects, [
      { kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'bob' },
      { kind: 'ServiceAccount', name: 'sa', namespace: 'default' },
    ]);
    await ok(['create', 'clusterrole', 'cr', '--verb=get', '--non-resource-url=/healthz']);
    t.strictSame((await getJson<{ rules: unknown }>('clusterrole', 'cr')).rules, [{ verbs: ['get'], nonResourceURLs: ['/healthz'] }]);
    await ok(['create', 'clusterrolebinding', 'crb', '--clusterrole=cr', '--group=devs']);
    const crb = await getJson<{ roleRef: unknown; subjects: unknown }>('clusterrolebinding', 'crb');
    t.strictSame(crb.roleRef, { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cr' });
    t.match(crb.subjects, [{ kind: 'Group', name: 'devs' }]);
  });

  t.test('create priorityclass, with a value and with the default 0', async (t) => {
    await ok(['create', 'priorityclass', 'high', '--value=1000', '--description=important', '--preemption-policy=Never']);
    t.match(await getJson('priorityclass', 'high'), { value: 1000, description: 'important', preemptionPolicy: 'Never' });
    await ok(['create', 'priorityclass', 'zero']);
    const zero = await getJson<{ value?: number; globalDefault?: boolean }>('priorityclass', 'zero');
    t.equal(zero.value, 0, 'value has no omitempty: 0 is kept');
    t.not(zero.globalDefault, true);
  });

  t.test('create poddisruptionbudget', async (t) => {
    await ok(['create', 'poddisruptionbudget', 'pdb', '--selector=app=web', '--min-available=1']);
    t.equal((await getJson<Spec<{ minAvailable: unknown }>>('pdb', 'pdb')).spec.minAvailable, 1);
    await ok(['create', 'pdb', 'pdb-pct', '--selector=app=web', '--max-unavailable=50%']);
    const pct = await getJson<Spec<{ maxUnavailable: unknown; selector: unknown }>>('pdb', 'pdb-pct');
    t.equal(pct.spec.maxUnavailable, '50%');
    t.strictSame(pct.spec.selector, { matchLabels: { app: 'web' } });
  });

  t.test('create ingress', async (t) => {
    await ok(['create', 'ingress', 'ing', '--class=default', '--rule=foo.com/bar*=svc1:8080', '--rule=bar.com/=svc2:http']);
    const ing = await getJson<Spec<{ ingressClassName: string; rules: unknown }>>('ingress', 'ing');
    t.equal(ing.spec.ingressClassName, 'default');
    t.match(ing.spec.rules, [
      { host: 'foo.com', http: { paths: [{ path: '/bar', pathType: 'Prefix', backend: { service: { name: 'svc1', port: { number: 8080 } } } }] } },
      { host: 'bar.com', http: { paths: [{ path: '/', pathType: 'Exact', backend: { service: { name: 'svc2', port: { name: 'http' } } } }] } },
    ]);
  });

  t.test('create serviceaccount and create token', async (t) => {
    await ok(['create', 'serviceaccount', 'sa']);
    t.match(await getJson('serviceaccount', 'sa'), { kind: 'ServiceAccount', metadata: { name: 'sa', namespace: 'default' } });
    // No controller creates `default` service accounts yet; make it if it is missing.
    if ((await kubectl(['get', 'serviceaccount', 'default'])).code !== 0) await ok(['create', 'serviceaccount', 'default']);
    for (const [name, duration] of [['default', undefined], ['sa', '20m']] as const) {
      const token = (await ok(['create', 'token', name, ...(duration ? [`--duration=${duration}`] : [])])).trim();
      t.match(token, /^[\w-]+\.[\w-]+\.[\w-]+$/, `${name}: a JWT`);
      const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as { sub: string; exp: number; iat: number };
      t.equal(claims.sub, `system:serviceaccount:default:${name}`);
      if (duration) t.equal(claims.exp - claims.iat, 20 * 60, 'the requested lifetime');
    }
  });

  t.test('autoscale', async (t) => {
    t.match(await ok(['autoscale', 'deployment', 'web', '--min=1', '--max=3', '--cpu-percent=80']), /horizontalpodautoscaler\.autoscaling\/web autoscaled/);
    const hpa = await getJson<Spec<unknown>>('horizontalpodautoscalers.v1.autoscaling', 'web');
    t.match(hpa.spec, { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 3, targetCPUUtilizationPercentage: 80 });
  });

  t.test('auth can-i and auth whoami', async (t) => {
    t.equal((await ok(['auth', 'can-i', 'create', 'pods'])).trim(), 'yes');
    t.equal((await ok(['auth', 'can-i', 'delete', 'nodes', '--all-namespaces'])).trim(), 'yes');
    const whoami = await ok(['auth', 'whoami']);
    t.match(whoami, /^Username\s+system:admin$/m);
    t.match(whoami, /^Groups\s+\[.*system:masters.*\]$/m);
    const review = JSON.parse(await ok(['auth', 'whoami', '-o', 'json'])) as unknown;
    t.match(review, { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview', status: { userInfo: { username: 'system:admin' } } });
  });

  t.test('raw protobuf requests: unknown kinds, malformed bodies, JSON answers', async (t) => {
    const { clusters, users } = kubeconfig();
    const cluster = clusters[0]?.cluster;
    const user = users[0]?.user;
    const call = rawClient({
      url: cluster?.server ?? '',
      caPem: Buffer.from(cluster?.['certificate-authority-data'] ?? '', 'base64').toString(),
      certPem: Buffer.from(user?.['client-certificate-data'] ?? '', 'base64').toString(),
      keyPem: Buffer.from(user?.['client-key-data'] ?? '', 'base64').toString(),
    });
    const protobuf = { 'Content-Type': 'application/vnd.kubernetes.protobuf', Accept: 'application/vnd.kubernetes.protobuf,application/json' };
    const configMap = (name: string) => Buffer.concat([ld(1, ld(1, name)), ld(2, ld(1, 'k'), ld(2, 'v'))]);

    const created = await call('POST', '/api/v1/namespaces/default/configmaps', { body: protobufBody('v1', 'ConfigMap', configMap('raw')), headers: protobuf });
    t.equal(created.code, 201);
    t.match(String(created.headers['content-type']), /^application\/json/, 'answered in JSON though protobuf was preferred');
    t.match(created.json, { kind: 'ConfigMap', metadata: { name: 'raw' }, data: { k: 'v' } });
    const read = await call('GET', '/api/v1/namespaces/default/configmaps/raw', { headers: { Accept: protobuf.Accept } });
    t.equal(read.code, 200);
    t.match(String(read.headers['content-type']), /^application\/json/);

    const pod = await call('POST', '/api/v1/namespaces/default/pods', { body: protobufBody('v1', 'Pod', ld(1, ld(1, 'p'))), headers: protobuf });
    t.equal(pod.code, 415);
    t.match(pod.json, {
      kind: 'Status',
      reason: 'UnsupportedMediaType',
      message: 'the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf',
    });

    const whole = protobufBody('v1', 'ConfigMap', configMap('cut'));
    for (const [what, bytes] of [
      ['truncated', whole.subarray(0, whole.length - 3)],
      ['bad magic', Buffer.concat([Buffer.from('k9s\0'), whole.subarray(4)])],
      ['wrong wire type', Buffer.concat([Buffer.from('k8s\0'), ld(1, ld(1, 'v1'), ld(2, 'ConfigMap')), ld(2, Buffer.from([0x08, 0x01]))])],
    ] as const) {
      const res = await call('POST', '/api/v1/namespaces/default/configmaps', { body: bytes, headers: protobuf });
      t.equal(res.code, 400, what);
      t.match(res.json, { kind: 'Status', reason: 'BadRequest', message: /the object provided is unrecognized or malformed/ }, what);
    }
    t.equal((await call('GET', '/api/v1/namespaces/default/configmaps/cut')).code, 404, 'nothing written');

    const mismatch = await call('POST', '/api/v1/namespaces/default/secrets', { body: protobufBody('v1', 'ConfigMap', configMap('wrong')), headers: protobuf });
    t.equal(mismatch.code, 400, 'the envelope kind must match the endpoint');
    t.match(mismatch.json, { message: /the kind in the data \(ConfigMap\) does not match the expected kind \(Secret\)/ });

    // A typed delete sends DeleteOptions under the resource's apiVersion.
    const options = Buffer.concat([ld(4, 'Background'), ld(5, 'All')]);
    const dryDelete = await call('DELETE', '/api/v1/namespaces/default/configmaps/raw', { body: protobufBody('v1', 'DeleteOptions', options), headers: protobuf });
    t.equal(dryDelete.code, 200);
    t.equal((await call('GET', '/api/v1/namespaces/default/configmaps/raw')).code, 200, 'dryRun from the protobuf body: still there');
    const deleted = await call('DELETE', '/api/v1/namespaces/default/configmaps/raw', { body: protobufBody('v1', 'DeleteOptions', ld(4, 'Background')), headers: protobuf });
    t.equal(deleted.code, 200);
    t.equal((await call('GET', '/api/v1/namespaces/default/configmaps/raw')).code, 404, 'gone');
  });
}
