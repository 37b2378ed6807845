import t from 'tap';
import type { corev1 } from '../../api/types.js';
import { isStatus, type Status } from '../../machinery/index.js';
import { kubeletLocation } from './target.js';

const node: corev1.Node = {
  metadata: { name: 'node-a' },
  status: { addresses: [{ type: 'Hostname', address: 'node-a' }, { type: 'InternalIP', address: '10.0.0.5' }], daemonEndpoints: { kubeletEndpoint: { Port: 10250 } } },
};
const running = (name: string): corev1.ContainerStatus => ({ name, image: 'i', imageID: '', ready: true, restartCount: 0, state: { running: {} } });
const pod = (containers: string[], statuses: corev1.ContainerStatus[], nodeName = 'node-a'): corev1.Pod => ({
  metadata: { name: 'web', namespace: 'ns' },
  spec: { nodeName, containers: containers.map((name) => ({ name, image: 'i' })) },
  status: { containerStatuses: statuses },
});
/** The Status a call throws. */
const refusal = (fn: () => unknown): Status | undefined => {
  try {
    fn();
  } catch (err) {
    const status = (err as { status?: unknown }).status;
    return isStatus(status) ? status : undefined;
  }
  return undefined;
};
const locate = (p: corev1.Pod, sub: 'log' | 'exec' | 'attach' | 'portforward', q: string) => kubeletLocation({ pod: p, sub, query: new URLSearchParams(q), node });

t.test('the kubelet location of each subresource', async (t) => {
  const one = pod(['app'], [running('app')]);
  t.same(locate(one, 'log', 'follow=true&tailLines=3&pretty=true'), { nodeName: 'node-a', host: '10.0.0.5', port: 10250, path: '/containerLogs/ns/web/app?follow=true&tailLines=3' }, 'the only container; unknown options dropped');
  t.same(locate(one, 'exec', 'command=sh&command=-c&command=echo+a&stdout=true&container=app').path, '/exec/ns/web/app?command=sh&command=-c&command=echo+a&stdout=true');
  t.same(locate(one, 'attach', 'stdin=true&stdout=true').path, '/attach/ns/web/app?stdin=true&stdout=true');
  t.same(locate(one, 'portforward', 'ports=80').path, '/portForward/ns/web?ports=80');
  const noPort = { ...node, status: { addresses: [{ type: 'InternalIP', address: '10.0.0.6' }] } };
  t.same(kubeletLocation({ pod: one, sub: 'log', query: new URLSearchParams(), node: noPort }).port, 10250, 'the default port');
});

t.test("upstream's refusals", async (t) => {
  const two = pod(['a', 'b'], [running('a'), running('b')]);
  t.match(refusal(() => locate(two, 'log', '')), { code: 400, message: 'a container name must be specified for pod web, choose one of: [a b]' });
  t.match(refusal(() => locate(two, 'exec', 'container=c&command=ls')), { code: 400, message: 'container c is not valid for pod web' });
  const waiting = pod(['a'], [{ ...running('a'), state: { waiting: { reason: 'ContainerCreating' } } }]);
  t.match(refusal(() => locate(waiting, 'log', '')), { code: 400, message: 'container "a" in pod "web" is waiting to start: ContainerCreating' });
  t.match(refusal(() => locate(waiting, 'exec', 'command=ls')), { code: 400, message: 'container "a" in pod "web" is waiting to start: ContainerCreating' });
  t.match(refusal(() => locate(pod(['a'], [], ''), 'log', '')), { code: 400, message: 'container "a" in pod "web" is waiting to start: ContainerCreating' }, 'not scheduled');
  t.match(refusal(() => locate(pod(['a'], [], ''), 'portforward', '')), { code: 400, message: 'pod web does not have a host assigned' });
  t.match(refusal(() => locate(pod(['a'], [running('a')]), 'log', 'previous=true')), { code: 400, message: 'previous terminated container "a" in pod "web" not found' });
  const crashed = pod(['a'], [{ ...running('a'), state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1 } } }]);
  t.equal(locate(crashed, 'log', '').path, '/containerLogs/ns/web/a', 'a crashed container still has logs');
  t.equal(locate(crashed, 'log', 'previous=true').path, '/containerLogs/ns/web/a?previous=true');
  t.match(refusal(() => kubeletLocation({ pod: pod(['a'], [running('a')]), sub: 'log', query: new URLSearchParams(), node: undefined })), { code: 404, message: 'nodes "node-a" not found' });
});
