import t from 'tap';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findKubectl, kubectlFor } from '../helpers/kubectl.js';
import { startTsk8s } from '../helpers/server.js';

// Many kubectl runs against a real server: longer than the suite's default timeout on a busy machine.
t.setTimeout(600_000);

// kubectl apply --server-side against `tsk8s server`: create, apply again
// without a change, a conflict after kubectl scale, --force-conflicts,
// managedFields shown on request, dry run and diff, and moving between
// client-side and server-side apply.
if (!findKubectl()) {
  t.plan(0, 'kubectl is not on PATH');
} else {
  const server = await startTsk8s();
  t.teardown(() => server.stop());
  const { kubectl, ok } = kubectlFor(server.kubeconfig, server.dir);
  const file = (name: string, text: string): string => {
    const path = join(server.dir, name);
    writeFileSync(path, text);
    return path;
  };
  const jsonpath = (kind: string, name: string, path: string) => ok(['get', kind, name, '-o', `jsonpath={${path}}`]);

  const deploymentYaml = (name: string, replicas: number, image = 'busybox:1.36') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
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
        image: ${image}
        ports:
        - containerPort: 80
`;

  t.test('apply --server-side creates, then applies again without a change', async (t) => {
    const path = file('ssa.yaml', deploymentYaml('ssa', 2));
    t.match(await ok(['apply', '--server-side', '-f', path]), /^deployment\.apps\/ssa serverside-applied$/m);
    const rv = await jsonpath('deploy', 'ssa', '.metadata.resourceVersion');
    t.match(await ok(['apply', '--server-side', '-f', path]), /^deployment\.apps\/ssa serverside-applied$/m);
    t.equal(await jsonpath('deploy', 'ssa', '.metadata.resourceVersion'), rv, 'the second apply wrote nothing');
    t.equal(await jsonpath('deploy', 'ssa', '.spec.replicas'), '2');
  });

  t.test('managedFields are hidden by default and shown on request', async (t) => {
    t.notMatch(await ok(['get', 'deploy', 'ssa', '-o', 'yaml']), /managedFields/);
    const shown = await ok(['get', 'deploy', 'ssa', '-o', 'yaml', '--show-managed-fields']);
    t.match(shown, /managedFields:/);
    t.match(shown, /manager: kubectl\n\s+operation: Apply\n/);
    t.match(shown, /f:replicas: \{\}/);
    t.match(shown, /k:\{"name":"web"\}:/);
  });

  t.test('a field kubectl scale took is a conflict until --force-conflicts', async (t) => {
    const path = join(server.dir, 'ssa.yaml');
    t.match(await ok(['scale', 'deploy', 'ssa', '--replicas=4']), /deployment\.apps\/ssa scaled/);
    const rv = await jsonpath('deploy', 'ssa', '.metadata.resourceVersion');
    const refused = await kubectl(['apply', '--server-side', '-f', path]);
    t.equal(refused.code, 1, 'the apply fails');
    t.match(refused.stderr, 'Apply failed with 1 conflict: conflict with "kubectl" with subresource "scale" using apps/v1: .spec.replicas');
    t.match(refused.stderr, /--force-conflicts/, "kubectl's advice follows");
    t.equal(await jsonpath('deploy', 'ssa', '.metadata.resourceVersion'), rv, 'nothing was written');
    t.match(await ok(['apply', '--server-side', '--force-conflicts', '-f', path]), /deployment\.apps\/ssa serverside-applied/);
    t.equal(await jsonpath('deploy', 'ssa', '.spec.replicas'), '2');
    const managers = await jsonpath('deploy', 'ssa', '.metadata.managedFields[*].manager');
    t.match(managers, /kubectl/);
  });

  t.test('a field dropped from the file is removed; others are kept', async (t) => {
    const withEnv = deploymentYaml('ssa', 2).replace('        ports:\n', '        env:\n        - name: MODE\n          value: blue\n        ports:\n');
    await ok(['apply', '--server-side', '-f', file('ssa-env.yaml', withEnv)]);
    t.equal(await jsonpath('deploy', 'ssa', '.spec.template.spec.containers[0].env[0].value'), 'blue');
    await ok(['apply', '--server-side', '-f', join(server.dir, 'ssa.yaml')]);
    t.equal(await jsonpath('deploy', 'ssa', '.spec.template.spec.containers[0].env'), '', 'env went with the file');
    t.equal(await jsonpath('deploy', 'ssa', '.spec.template.spec.containers[0].ports[0].containerPort'), '80');
  });

  t.test('dry run and diff leave the object alone', async (t) => {
    const changed = file('ssa-3.yaml', deploymentYaml('ssa', 3));
    const rv = await jsonpath('deploy', 'ssa', '.metadata.resourceVersion');
    t.match(await ok(['apply', '--server-side', '--dry-run=server', '-f', changed]), /serverside-applied \(server dry run\)/);
    const diff = await kubectl(['diff', '--server-side', '-f', changed]);
    t.equal(diff.code, 1, `diff reports a difference: ${diff.stderr}`);
    t.match(diff.stdout, /-\s+replicas: 2\n\+\s+replicas: 3/);
    const plain = await kubectl(['diff', '-f', changed]);
    t.equal(plain.code, 1, `client-side diff works too: ${plain.stderr}`);
    const same = await kubectl(['diff', '--server-side', '-f', join(server.dir, 'ssa.yaml')]);
    t.equal(same.code, 0, `no change, no diff: ${same.stdout}${same.stderr}`);
    t.equal(await jsonpath('deploy', 'ssa', '.metadata.resourceVersion'), rv);
  });

  t.test('client-side apply, then server-side apply, then client-side again', async (t) => {
    const cm = (color: string, extra = '') => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: moved\ndata:\n  color: ${color}\n${extra}`;
    t.match(await ok(['apply', '-f', file('moved.yaml', cm('blue'))]), /configmap\/moved created/);
    t.match(await ok(['apply', '--server-side', '-f', file('moved.yaml', cm('green'))]), /configmap\/moved serverside-applied/);
    t.equal(await jsonpath('cm', 'moved', '.data.color'), 'green', 'fields client-side apply set move to kubectl without a conflict');
    const shown = await ok(['get', 'cm', 'moved', '-o', 'yaml', '--show-managed-fields']);
    t.match(shown, /manager: kubectl\n\s+operation: Apply/);
    t.match(await ok(['apply', '-f', file('moved.yaml', cm('red', '  size: big\n'))]), /configmap\/moved configured/);
    t.equal(await jsonpath('cm', 'moved', '.data.color'), 'red');
    t.equal(await jsonpath('cm', 'moved', '.data.size'), 'big');
  });

  t.test('edit and create record their managers', async (t) => {
    await ok(['create', 'configmap', 'made', '--from-literal=a=1']);
    const shown = await ok(['get', 'cm', 'made', '-o', 'yaml', '--show-managed-fields']);
    t.match(shown, /manager: kubectl-create\n\s+operation: Update/);
  });
}
