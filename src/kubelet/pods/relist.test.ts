import t from 'tap';
import { FakeRuntime } from '../cri/fake.js';
import { podUidLabel } from './labels.js';
import { Relister, type RecordChanges } from './relist.js';

const image = 'localhost/test/busybox:1';

t.test('each relist reports, per pod, the records whose state changed since the last one', async (t) => {
  const rt = new FakeRuntime({ images: [image] });
  const reports: [string, RecordChanges][] = [];
  const relister = new Relister(rt, (uid, changes) => reports.push([uid, changes]));
  const config = { metadata: { name: 'p', uid: 'u', namespace: 'n', attempt: 0 }, labels: { [podUidLabel]: 'u' } };
  const sandbox = await rt.runPodSandbox(config);
  const first = await relister.relist();
  t.same(reports, [['u', new Map([[sandbox, 'SANDBOX_READY']])]], 'a new sandbox');
  t.same([...first.uids], ['u'], 'the pods with records');
  const id = await rt.createContainer(sandbox, { metadata: { name: 'c' }, image: { image }, command: ['sleep', 'infinity'], labels: { [podUidLabel]: 'u' } }, config);
  await rt.startContainer(id);
  reports.length = 0;
  await relister.relist();
  t.same(reports, [['u', new Map([[id, 'CONTAINER_RUNNING']])]], 'only what changed');
  reports.length = 0;
  await relister.relist();
  t.same(reports, [], 'nothing changed');
  await rt.removeContainer(id);
  await rt.stopPodSandbox(sandbox);
  reports.length = 0;
  await relister.relist();
  t.same(reports, [['u', new Map([[sandbox, 'SANDBOX_NOTREADY'], [id, 'gone']])]], 'a stop and a removal');
});
