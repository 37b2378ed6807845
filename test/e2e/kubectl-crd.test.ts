import t from 'tap';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findKubectl, kubectlFor } from '../helpers/kubectl.js';
import { startTsk8s } from '../helpers/server.js';

// Many kubectl runs against a real server: longer than the suite's default timeout on a busy machine.
t.setTimeout(600_000);

// The real kubectl against `tsk8s server` with a CustomResourceDefinition:
// apply the CRD, wait for it to be established, apply a custom object,
// list it with its printer columns, explain it, patch it, write its status,
// scale it, have an invalid object refused, and delete the CRD with its
// objects.
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

  const crd = file(
    'crd.yaml',
    `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  scope: Namespaced
  names:
    plural: widgets
    singular: widget
    kind: Widget
    shortNames: [wd]
  versions:
  - name: v1
    served: true
    storage: true
    subresources:
      status: {}
      scale:
        specReplicasPath: .spec.replicas
        statusReplicasPath: .status.replicas
    additionalPrinterColumns:
    - name: Size
      type: string
      jsonPath: .spec.size
    - name: Replicas
      type: integer
      jsonPath: .spec.replicas
    - name: Ready
      type: string
      jsonPath: .status.ready
    - name: Age
      type: date
      jsonPath: .metadata.creationTimestamp
    schema:
      openAPIV3Schema:
        type: object
        description: A Widget is a thing made of parts.
        properties:
          spec:
            type: object
            description: What the widget should be.
            required: [size]
            properties:
              size:
                type: string
                description: How big the widget is.
                enum: [small, large]
              replicas:
                type: integer
                minimum: 0
                default: 1
              extra:
                type: object
                x-kubernetes-preserve-unknown-fields: true
          status:
            type: object
            properties:
              replicas: {type: integer}
              ready: {type: string}
`,
  );
  const widget = (name: string, size: string) =>
    file(`${name}.yaml`, `apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: ${name}\nspec:\n  size: ${size}\n  extra: {free: form}\n`);

  t.test('apply the CRD and wait for it to be established', async (t) => {
    t.match(await ok(['apply', '-f', crd]), /customresourcedefinition.apiextensions.k8s.io\/widgets.example.com created/);
    t.match(await ok(['wait', '--for', 'condition=established', '--timeout=30s', 'crd/widgets.example.com']), /condition met/);
    t.match(await ok(['api-resources', '--api-group=example.com']), /widgets\s+wd\s+example.com\/v1\s+true\s+Widget/);
  });

  t.test('apply a custom object and list it with its printer columns', async (t) => {
    t.match(await ok(['apply', '-f', widget('w1', 'small')]), /widget.example.com\/w1 created/);
    t.match(await ok(['apply', '-f', widget('w1', 'small')]), /widget.example.com\/w1 unchanged/);
    const out = await ok(['get', 'widgets']);
    t.match(out, /^NAME\s+SIZE\s+REPLICAS\s+READY\s+AGE\n/);
    // READY selects nothing yet: the cell is null, which kubectl prints as blank.
    t.match(out, /\nw1\s+small\s+1\s+\d+s\n/);
    t.match(await ok(['get', 'wd', 'w1', '-o', 'jsonpath={.spec.extra.free}']), /^form$/);
    t.match(await ok(['get', 'widget', 'w1', '-o', 'name']), /^widget.example.com\/w1\n$/);
  });

  t.test('explain reads the published schema', async (t) => {
    const out = await ok(['explain', 'widgets.spec']);
    t.match(out, /GROUP:\s+example.com\nKIND:\s+Widget\nVERSION:\s+v1\n/);
    t.match(out, /FIELD: spec <Object>/);
    t.match(out, /What the widget should be/);
    t.match(out, /size\t<string> -required-/);
    t.match(out, /How big the widget is/);
  });

  t.test('explain with --output=plaintext-openapiv2 reads the protobuf /openapi/v2', async (t) => {
    const widget = await ok(['explain', 'widgets.spec.size', '--output=plaintext-openapiv2']);
    t.match(widget, /KIND:\s+Widget\nVERSION:\s+example.com\/v1\n/);
    t.match(widget, /FIELD:\s+size <string>/);
    t.match(widget, /How big the widget is/);
    const pod = await ok(['explain', 'pods.spec.restartPolicy', '--output=plaintext-openapiv2']);
    t.match(pod, /KIND:\s+Pod\nVERSION:\s+v1\n/);
    t.match(pod, /Restart policy for all containers within the pod/);
  });

  t.test('patch, status, scale', async (t) => {
    await ok(['patch', 'widget', 'w1', '--type=merge', '-p', '{"spec":{"size":"large"}}']);
    t.equal(await ok(['get', 'widget', 'w1', '-o', 'jsonpath={.spec.size}']), 'large');
    await ok(['patch', 'widget', 'w1', '--subresource=status', '--type=merge', '-p', '{"status":{"ready":"yes","replicas":1}}']);
    t.equal(await ok(['get', 'widget', 'w1', '-o', 'jsonpath={.status.ready}']), 'yes');
    t.match(await ok(['scale', 'widget', 'w1', '--replicas=3']), /widget.example.com\/w1 scaled/);
    t.equal(await ok(['get', 'widget', 'w1', '-o', 'jsonpath={.spec.replicas}']), '3');
    const strategic = await kubectl(['patch', 'widget', 'w1', '--type=strategic', '-p', '{"spec":{"size":"small"}}']);
    t.not(strategic.code, 0);
    t.match(strategic.stderr, /application\/strategic-merge-patch\+json is not supported by example.com\/v1, Kind=Widget: the body of the request was in an unknown format/);
  });

  t.test('an invalid object is refused with the field path', async (t) => {
    const r = await kubectl(['apply', '-f', widget('w2', 'huge')]);
    t.not(r.code, 0);
    t.match(r.stderr, /The Widget "w2" is invalid: spec.size: Unsupported value: "huge": supported values: "small", "large"/);
    const unknown = await kubectl(['apply', '-f', file('w3.yaml', 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w3\nspec:\n  size: small\n  colour: red\n')]);
    t.not(unknown.code, 0);
    t.match(unknown.stderr, /unknown field "spec.colour"/);
  });

  t.test('deleting the CRD deletes its objects', async (t) => {
    t.match(await ok(['delete', 'crd', 'widgets.example.com']), /customresourcedefinition.apiextensions.k8s.io "widgets.example.com" deleted/);
    const r = await kubectl(['get', '--raw', '/apis/example.com/v1/namespaces/default/widgets']);
    t.not(r.code, 0);
    t.match(r.stderr, /NotFound/);
    t.match(await kubectl(['get', 'crd', 'widgets.example.com']), { code: 1, stderr: /NotFound/ });
    // A CRD of the same name starts empty: the old objects went with the old CRD.
    await ok(['apply', '-f', crd]);
    await ok(['wait', '--for', 'condition=established', '--timeout=30s', 'crd/widgets.example.com']);
    t.equal(await ok(['get', 'widgets', '-o', 'name']), '');
  });
}
