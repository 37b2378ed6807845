import t from 'tap';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findKubectl, kubectlFor } from '../helpers/kubectl.js';
import { startTsk8s } from '../helpers/server.js';

// Many kubectl runs against a real server: longer than the suite's default timeout on a busy machine.
t.setTimeout(600_000);

// The real kubectl against `tsk8s server` with validation on (its default):
// explain reads the OpenAPI v3 documents, and create -f, apply, replace,
// diff and edit find the fieldValidation parameter there and let the server
// reject unknown fields.
if (!findKubectl()) {
  t.plan(0, 'kubectl is not on PATH');
} else {
  const server = await startTsk8s();
  t.teardown(() => server.stop());
  const { kubectl } = kubectlFor(server.kubeconfig, server.dir);
  const ok = async (args: string[], env?: Record<string, string>): Promise<string> => {
    const r = await kubectl(args, env === undefined ? {} : { env });
    if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
    return r.stdout;
  };
  const file = (name: string, text: string): string => {
    const path = join(server.dir, name);
    writeFileSync(path, text);
    return path;
  };
  const deployment = (name: string, replicas: number, extraSpec = '', extraContainer = ''): string =>
    [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      `  name: ${name}`,
      'spec:',
      `  replicas: ${replicas}`,
      ...(extraSpec === '' ? [] : [`  ${extraSpec}`]),
      '  selector:',
      `    matchLabels: {app: ${name}}`,
      '  template:',
      '    metadata:',
      `      labels: {app: ${name}}`,
      '    spec:',
      '      containers:',
      '      - name: web',
      '        image: nginx:1.27',
      ...(extraContainer === '' ? [] : [`        ${extraContainer}`]),
      '        ports:',
      '        - containerPort: 80',
      '',
    ].join('\n');

  t.test('explain pod.spec.containers.livenessProbe prints the field docs', async (t) => {
    const out = await ok(['explain', 'pod.spec.containers.livenessProbe']);
    t.match(out, /^KIND:\s+Pod\nVERSION:\s+v1\n/);
    t.match(out, /FIELD: livenessProbe <Probe>/);
    t.match(out, /DESCRIPTION:\n\s+Periodic probe of container liveness/);
    t.match(out, /FIELDS:\n/);
    t.match(out, /\n  periodSeconds\t<integer>\n\s+How often \(in seconds\) to perform the probe/);
    t.match(out, /\n  httpGet\t<HTTPGetAction>\n/);
  });

  t.test('explain deployment.spec.strategy names the group and the fields', async (t) => {
    const out = await ok(['explain', 'deployment.spec.strategy']);
    t.match(out, /^GROUP:\s+apps\nKIND:\s+Deployment\nVERSION:\s+v1\n/);
    t.match(out, /FIELD: strategy <DeploymentStrategy>/);
    t.match(out, /\n  rollingUpdate\t<RollingUpdateDeployment>\n/);
    t.match(out, /\n  type\t<string>\n/);
  });

  t.test('create -f with validation on asks the server for strict field validation', async (t) => {
    const path = file('create.yaml', deployment('created', 1));
    const r = await kubectl(['create', '-f', path, '-v=6']);
    t.equal(r.code, 0, r.stderr);
    t.match(r.stdout, /deployment\.apps\/created created/);
    t.match(r.stderr, /GET https:\/\/\S+\/openapi\/v3\/apis\/apps\/v1\?hash=[0-9A-F]{128}/);
    t.match(r.stderr, /POST https:\/\/\S+\/apis\/apps\/v1\/namespaces\/default\/deployments\?fieldManager=kubectl-create&fieldValidation=Strict 201/);
  });

  t.test('apply -f creates, then configures; replace -f replaces', async (t) => {
    t.match(await ok(['apply', '-f', file('apply1.yaml', deployment('applied', 1))]), /deployment\.apps\/applied created/);
    t.match(await ok(['apply', '-f', file('apply2.yaml', deployment('applied', 2))]), /deployment\.apps\/applied configured/);
    t.equal(await ok(['get', 'deploy', 'applied', '-o', 'jsonpath={.spec.replicas}']), '2');
    t.match(await ok(['replace', '-f', file('replace.yaml', deployment('applied', 4))]), /deployment\.apps\/applied replaced/);
    t.equal(await ok(['get', 'deploy', 'applied', '-o', 'jsonpath={.spec.replicas}']), '4');
  });

  t.test('diff -f shows the change (dry run on the server) and exits 1', async (t) => {
    await ok(['apply', '-f', file('diff1.yaml', deployment('diffed', 1))]);
    const r = await kubectl(['diff', '-f', file('diff2.yaml', deployment('diffed', 3))]);
    t.equal(r.code, 1, r.stderr);
    t.match(r.stdout, /\n-  replicas: 1\n\+  replicas: 3\n/);
    t.equal(await ok(['get', 'deploy', 'diffed', '-o', 'jsonpath={.spec.replicas}']), '1', 'nothing was stored');
    const same = await kubectl(['diff', '-f', file('diff1.yaml', deployment('diffed', 1))]);
    t.equal(same.code, 0, 'no change, no diff');
  });

  t.test('edit with validation on saves the edited object', async (t) => {
    await ok(['create', '-f', file('edit.yaml', deployment('edited', 1))]);
    const editor = file('editor.sh', "#!/bin/sh\nsed -i 's/replicas: 1/replicas: 5/' \"$1\"\n");
    chmodSync(editor, 0o755);
    t.match(await ok(['edit', 'deploy', 'edited'], { KUBE_EDITOR: editor, EDITOR: editor }), /deployment\.apps\/edited edited/);
    t.equal(await ok(['get', 'deploy', 'edited', '-o', 'jsonpath={.spec.replicas}']), '5');
  });

  t.test('unknown fields: Strict rejects, Warn warns and drops, Ignore drops', async (t) => {
    const bad = file('bad.yaml', deployment('unknown', 1, 'foo: bar'));
    const strict = await kubectl(['create', '-f', bad]);
    t.equal(strict.code, 1);
    t.match(strict.stderr, /Error from server \(BadRequest\): error when creating ".*bad\.yaml": Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec\.foo"/);
    const nested = await kubectl(['apply', '-f', file('nested.yaml', deployment('unknown', 1, '', 'bogus: 1'))]);
    t.equal(nested.code, 1);
    t.match(nested.stderr, /unknown field "spec\.template\.spec\.containers\[0\]\.bogus"/);
    const warn = await kubectl(['create', '-f', bad, '--validate=warn']);
    t.equal(warn.code, 0, warn.stderr);
    t.match(warn.stderr, /Warning: unknown field "spec\.foo"/);
    t.equal(await ok(['get', 'deploy', 'unknown', '-o', 'jsonpath={.spec.foo}']), '', 'the field was dropped');
    const ignore = await kubectl(['replace', '-f', bad, '--validate=false']);
    t.equal(ignore.code, 0, ignore.stderr);
    t.notMatch(ignore.stderr, /unknown field/);
  });
}
