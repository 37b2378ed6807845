import t from 'tap';
import { spawn } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findKubectl, kubectlFor } from '../helpers/kubectl.js';
import { startTsk8s } from '../helpers/server.js';

// Many kubectl runs against a real server: longer than the suite's default timeout on a busy machine.
t.setTimeout(600_000);

// Everyday kubectl workflows against `tsk8s server`: watch while another
// command changes an object, describe, edit with a scripted editor,
// replace, all-namespace and sorted lists, delete with --wait, namespaces.
if (!findKubectl()) {
  t.plan(0, 'kubectl is not on PATH');
} else {
  const server = await startTsk8s();
  t.teardown(() => server.stop());
  const { kubectl, env } = kubectlFor(server.kubeconfig, server.dir);
  const ok = async (args: string[], extraEnv?: Record<string, string>): Promise<string> => {
    const r = await kubectl(args, extraEnv ? { env: extraEnv } : {});
    if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
    return r.stdout;
  };
  const apply = (name: string, text: string): string => {
    const file = join(server.dir, name);
    writeFileSync(file, text);
    return file;
  };

  const deploymentYaml = (name: string, ns = 'default', replicas = 2) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${ns}
  labels:
    app: ${name}
spec:
  replicas: ${replicas}
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
      containers:
      - name: web
        image: busybox:1.36
        ports:
        - containerPort: 80
`;

  t.test('get -w prints changes made by another command, as Table rows', async (t) => {
    await ok(['create', '-f', apply('watched.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: watched\ndata:\n  a: "1"\n')]);
    const child = spawn('kubectl', ['get', 'cm', 'watched', '-w', '--request-timeout=30s'], { env });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const deadline = Date.now() + 20_000;
    while (!/watched/.test(out) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await ok(['label', 'cm', 'watched', 'seen=yes']);
    await ok(['patch', 'cm', 'watched', '--type=merge', '-p', '{"data":{"b":"2"}}']);
    while ((out.match(/^watched\s/gm) ?? []).length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    child.kill();
    t.match(out, /^NAME\s+DATA\s+AGE\n/);
    t.ok((out.match(/^watched\s+\d\s+\S+$/gm) ?? []).length >= 3, `initial row and one per change:\n${out}`);
    t.match(out, /^watched\s+2\s+/m, 'the patch shows up');
  });

  t.test('deployments: create -f, get wide, describe, scale, replace, sort, all namespaces', async (t) => {
    await ok(['create', '-f', apply('ns.yaml', 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team-a\n')]);
    t.match(await ok(['create', '-f', apply('web.yaml', deploymentYaml('web'))]), /deployment\.apps\/web created/);
    await ok(['create', '-f', apply('api.yaml', deploymentYaml('api', 'team-a', 1))]);
    t.match(await ok(['get', 'deploy']), /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\nweb\s+0\/2\s+\d\s+0\s+\d+s\n$/);
    t.match(await ok(['get', 'deploy', '-o', 'wide']), /CONTAINERS\s+IMAGES\s+SELECTOR\nweb\s+0\/2\s+\d\s+0\s+\d+s\s+web\s+busybox:1\.36\s+app=web\n/);
    const all = await ok(['get', 'deploy', '-A']);
    t.match(all, /^NAMESPACE\s+NAME\s+READY/);
    t.match(all, /^default\s+web\s+0\/2/m);
    t.match(all, /^team-a\s+api\s+0\/1/m);
    const described = await ok(['describe', 'deploy', 'web']);
    t.match(described, /^Name:\s+web$/m);
    t.match(described, /^Namespace:\s+default$/m);
    t.match(described, /^Replicas:\s+2 desired/m);
    t.match(described, /Image:\s+busybox:1\.36/);
    t.match(await ok(['scale', 'deploy', 'web', '--replicas=4']), /deployment\.apps\/web scaled/);
    t.equal(await ok(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}']), '4');
    const live = await ok(['get', 'deploy', 'web', '-o', 'yaml']);
    t.match(await ok(['replace', '-f', apply('web-live.yaml', live.replace('image: busybox:1.36', 'image: busybox:1.37'))]), /deployment\.apps\/web replaced/);
    t.equal(await ok(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.template.spec.containers[0].image}']), 'busybox:1.37');
    t.equal(await ok(['get', 'deploy', 'web', '-o', 'jsonpath={.metadata.generation}']), '3', 'scale and replace each changed the spec');
    const stale = await kubectl(['replace', '-f', join(server.dir, 'web-live.yaml')]);
    t.equal(stale.code, 1, 'replace with a stale resourceVersion fails');
    t.match(stale.stderr, /Operation cannot be fulfilled on deployments\.apps "web": the object has been modified/);
    const sorted = await ok(['get', 'deploy', '-A', '--sort-by=.metadata.name', '-o', 'name']);
    t.equal(sorted, 'deployment.apps/api\ndeployment.apps/web\n');
  });

  t.test('strategic merge and JSON patches: patch, set image, rollout restart', async (t) => {
    await ok(['create', '-f', apply('sm.yaml', deploymentYaml('sm'))]);
    t.match(await ok(['patch', 'deploy', 'sm', '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"web","env":[{"name":"A","value":"1"}]}]}}}}']), /patched/);
    const container = JSON.parse(await ok(['get', 'deploy', 'sm', '-o', 'jsonpath={.spec.template.spec.containers[0]}'])) as { image: string; env: unknown[]; ports: unknown[] };
    t.equal(container.image, 'busybox:1.36', 'merged by name: the image stays');
    t.same(container.env, [{ name: 'A', value: '1' }]);
    t.equal(container.ports.length, 1, 'merged by name: the ports stay');
    t.match(await ok(['set', 'image', 'deploy/sm', 'web=busybox:1.37']), /image updated/);
    t.equal(await ok(['get', 'deploy', 'sm', '-o', 'jsonpath={.spec.template.spec.containers[0].image}']), 'busybox:1.37');
    t.match(await ok(['rollout', 'restart', 'deploy/sm']), /restarted/);
    t.match(await ok(['get', 'deploy', 'sm', '-o', 'jsonpath={.spec.template.metadata.annotations}']), /kubectl\.kubernetes\.io\/restartedAt/);
    t.match(await ok(['patch', 'deploy', 'sm', '--type=json', '-p', '[{"op":"replace","path":"/spec/replicas","value":4}]']), /patched/);
    t.equal(await ok(['get', 'deploy', 'sm', '-o', 'jsonpath={.spec.replicas}']), '4');
    const failed = await kubectl(['patch', 'deploy', 'sm', '--type=json', '-p', '[{"op":"test","path":"/spec/replicas","value":9}]']);
    t.equal(failed.code, 1, 'a failing test op is refused');
  });

  t.test('client-side apply twice, then with a field removed', async (t) => {
    const withEnv = deploymentYaml('applied').replace('        ports:\n', '        env:\n        - name: MODE\n          value: blue\n        ports:\n');
    t.match(await ok(['apply', '-f', apply('applied.yaml', withEnv)]), /deployment\.apps\/applied created/);
    t.match(await ok(['apply', '-f', apply('applied.yaml', withEnv)]), /deployment\.apps\/applied unchanged/);
    t.match(await ok(['apply', '-f', apply('applied.yaml', deploymentYaml('applied'))]), /deployment\.apps\/applied configured/);
    const container = JSON.parse(await ok(['get', 'deploy', 'applied', '-o', 'jsonpath={.spec.template.spec.containers[0]}'])) as { env?: unknown; ports: unknown[] };
    t.equal(container.env, undefined, 'the field removed from the file is removed');
    t.equal(container.ports.length, 1);
  });

  t.test('edit with a scripted EDITOR changes the object', async (t) => {
    await ok(['create', '-f', apply('edit-cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: editme\ndata:\n  color: blue\n')]);
    const editor = join(server.dir, 'editor.sh');
    writeFileSync(editor, '#!/bin/sh\nsed -i "s/color: blue/color: green/" "$1"\n');
    chmodSync(editor, 0o755);
    t.match(await ok(['edit', 'cm', 'editme'], { EDITOR: editor, KUBE_EDITOR: editor }), /configmap\/editme edited/);
    t.equal(await ok(['get', 'cm', 'editme', '-o', 'jsonpath={.data.color}']), 'green');
  });

  t.test('delete --wait returns once the object is gone', async (t) => {
    t.match(await ok(['delete', 'deploy', 'web', '--wait', '--timeout=20s']), /deployment\.apps "web" deleted/);
    const gone = await kubectl(['get', 'deploy', 'web']);
    t.match(gone.stderr, /NotFound/);
  });

  t.test('delete namespace: Terminating while a finalizer holds its contents, then gone', async (t) => {
    await ok(['create', '-f', apply('held.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: held\n  namespace: team-a\n  finalizers: ["example.com/hold"]\n')]);
    const r = await kubectl(['delete', 'namespace', 'team-a', '--wait=false']);
    t.equal(r.code, 0, r.stderr);
    t.match(await ok(['get', 'ns', 'team-a']), /^team-a\s+Terminating\s+/m);
    const refused = await kubectl(['create', '-f', apply('late.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: late\n  namespace: team-a\n')]);
    t.equal(refused.code, 1);
    t.match(refused.stderr, /because it is being terminated/);
    await ok(['patch', 'configmap', 'held', '-n', 'team-a', '--type=merge', '-p', '{"metadata":{"finalizers":null}}']);
    await ok(['wait', '--for=delete', 'namespace/team-a', '--timeout=60s']);
    t.match((await kubectl(['get', 'ns', 'team-a'])).stderr, /namespaces "team-a" not found/, 'the namespace controller emptied and removed it');
  });
}
