import t from 'tap';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findKubectl, kubectlFor } from '../helpers/kubectl.js';
import { startTsk8s } from '../helpers/server.js';

// Many kubectl runs against a real server: longer than the suite's default timeout on a busy machine.
t.setTimeout(600_000);

// The real kubectl against `tsk8s server`: version, discovery, create, get
// in every output form, label, annotate, patch, replace, delete.
if (!findKubectl()) {
  t.plan(0, 'kubectl is not on PATH');
} else {
  const server = await startTsk8s();
  t.teardown(() => server.stop());
  const { kubectl } = kubectlFor(server.kubeconfig, server.dir);
  const ok = async (args: string[], input?: string): Promise<string> => {
    const r = await kubectl(args, input === undefined ? {} : { input });
    if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
    return r.stdout;
  };

  t.test('kubectl version reports the server as 1.32', async (t) => {
    const out = await ok(['version', '-o', 'json']);
    const v = JSON.parse(out) as { serverVersion: { major: string; minor: string; gitVersion: string } };
    t.equal(v.serverVersion.major, '1');
    t.equal(v.serverVersion.minor, '32');
    t.match(v.serverVersion.gitVersion, /^v1\.32\.0\+tsk8s/);
  });

  t.test('api-resources and api-versions list what the registry serves', async (t) => {
    const resources = await ok(['api-resources']);
    t.match(resources, /^NAME\s+SHORTNAMES\s+APIVERSION\s+NAMESPACED\s+KIND/);
    t.match(resources, /\npods\s+po\s+v1\s+true\s+Pod\n/);
    t.match(resources, /\ndeployments\s+deploy\s+apps\/v1\s+true\s+Deployment\n/);
    t.match(resources, /\nnamespaces\s+ns\s+v1\s+false\s+Namespace\n/);
    const versions = await ok(['api-versions']);
    for (const gv of ['v1', 'apps/v1', 'batch/v1', 'rbac.authorization.k8s.io/v1', 'coordination.k8s.io/v1']) t.match(versions, new RegExp(`^${gv.replace(/\./g, '\\.')}$`, 'm'));
  });

  t.test('get ns shows the system namespaces, Active', async (t) => {
    const out = await ok(['get', 'ns']);
    for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) t.match(out, new RegExp(`^${ns}\\s+Active\\s+\\d+s`, 'm'));
  });

  t.test('the kubernetes Service has endpoints at the advertised address', async (t) => {
    const out = await ok(['get', 'endpoints', 'kubernetes', '-o', 'jsonpath={.subsets[0].ports[0].port}']);
    t.equal(out, String(server.port));
    const slice = await ok(['get', 'endpointslices', 'kubernetes', '-o', 'jsonpath={.addressType}']);
    t.match(slice, /^IPv[46]$/);
  });

  t.test('cluster-info names the control plane', async (t) => {
    const out = await ok(['cluster-info']);
    t.match(out, /Kubernetes control plane.* is running at .*https:\/\/127\.0\.0\.1:\d+/);
  });

  t.test('create -f, get in every output form, label, annotate, patch, replace, delete', async (t) => {
    const file = join(server.dir, 'cm.yaml');
    writeFileSync(file, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web-config\n  labels:\n    app: web\ndata:\n  a: "1"\n');
    t.match(await ok(['create', '-f', file, '--validate=false']), /configmap\/web-config created/);
    t.match(await ok(['get', 'cm', 'web-config']), /^NAME\s+DATA\s+AGE\nweb-config\s+1\s+\d+s\n$/);
    t.equal(await ok(['get', 'cm', 'web-config', '-o', 'name']), 'configmap/web-config\n');
    t.equal(await ok(['get', 'cm', 'web-config', '-o', 'jsonpath={.data.a}']), '1');
    const json = JSON.parse(await ok(['get', 'cm', 'web-config', '-o', 'json'])) as { metadata: { uid: string; resourceVersion: string } };
    t.match(json.metadata.uid, /^[0-9a-f-]{36}$/);
    t.match(await ok(['get', 'cm', 'web-config', '-o', 'yaml']), /^apiVersion: v1\ndata:\n  a: "1"\nkind: ConfigMap\n/);
    t.match(await ok(['get', 'cm', '-o', 'custom-columns=N:.metadata.name,A:.data.a']), /N\s+A\n(?:.*\n)*web-config\s+1\n/);
    t.match(await ok(['get', 'cm', '--show-labels']), /web-config\s+1\s+\d+s\s+app=web/);
    t.match(await ok(['get', 'cm', '-L', 'app']), /APP\n(?:.*\n)*web-config\s+1\s+\d+s\s+web\n/);
    t.match(await ok(['label', 'cm', 'web-config', 'tier=fe']), /configmap\/web-config labeled/);
    t.match(await ok(['annotate', 'cm', 'web-config', 'note=hi']), /configmap\/web-config annotated/);
    t.match(await ok(['patch', 'cm', 'web-config', '--type=merge', '-p', '{"data":{"b":"2"}}']), /configmap\/web-config patched/);
    const patched = JSON.parse(await ok(['get', 'cm', 'web-config', '-o', 'json'])) as { metadata: { labels: Record<string, string>; annotations: Record<string, string> }; data: Record<string, string> };
    t.same(patched.metadata.labels, { app: 'web', tier: 'fe' });
    t.equal(patched.metadata.annotations.note, 'hi');
    t.same(patched.data, { a: '1', b: '2' });
    t.match(await ok(['get', 'cm', '-l', 'tier=fe', '-o', 'name']), /configmap\/web-config/);
    t.notMatch(await ok(['get', 'cm', '-l', 'tier!=fe', '-o', 'name']), /web-config/);
    t.match(await ok(['delete', 'cm', 'web-config', '--wait']), /configmap "web-config" deleted/);
    const gone = await kubectl(['get', 'cm', 'web-config']);
    t.equal(gone.code, 1);
    t.match(gone.stderr, /Error from server \(NotFound\): configmaps "web-config" not found/);
  });

  t.test('pods print upstream columns; a kind without a printer gets NAME AGE', async (t) => {
    const pod = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: lone\nspec:\n  containers:\n  - name: c\n    image: busybox:1.36\n';
    await ok(['create', '-f', '-', '--validate=false'], pod);
    t.match(await ok(['get', 'pods']), /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\nlone\s+0\/1\s+Pending\s+0\s+\d+s\n$/);
    t.match(await ok(['get', 'pods', '-o', 'wide']), /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES\nlone\s+0\/1\s+Pending\s+0\s+\d+s\s+<none>\s+<none>\s+<none>\s+<none>\n$/);
    await ok(['create', '-f', '-', '--validate=false'], 'apiVersion: v1\nkind: LimitRange\nmetadata:\n  name: limits\nspec:\n  limits:\n  - type: Container\n    default:\n      cpu: 200m\n');
    t.match(await ok(['get', 'limitranges']), /^NAME\s+AGE\nlimits\s+\d+s\n$/);
    const describe = await ok(['describe', 'pod', 'lone']);
    t.match(describe, /^Name:\s+lone$/m);
    t.match(describe, /^Status:\s+Pending$/m);
  });
}
