import t from 'tap';
import { planServiceAllocation, serviceAllocators, serviceReservations } from './allocate.js';

const alloc = serviceAllocators({ serviceCidr: '10.43.0.0/16', nodePortMin: 30000, nodePortMax: 32767 });

t.test('the first IP and range checks', async (t) => {
  t.equal(alloc.firstIp, '10.43.0.1');
  t.ok(alloc.inRange('10.43.200.7'));
  t.notOk(alloc.inRange('10.44.0.1'));
  t.notOk(alloc.inRange('10.43.0.0'), 'network address');
  t.notOk(alloc.inRange('10.43.255.255'), 'broadcast address');
  for (let i = 0; i < 200; i++) t.ok(alloc.inRange(alloc.randomIp()));
});

t.test('allocates a free IP and node ports, listing reservations', async (t) => {
  const taken = new Set<string>();
  const svc = { metadata: { name: 's' }, spec: { type: 'NodePort', ports: [{ port: 80 }, { port: 81, nodePort: 30080 }] } };
  const plan = await planServiceAllocation(svc, alloc, async (k) => taken.has(k));
  t.same(plan.errors, []);
  const spec = svc.spec as { clusterIP?: string; clusterIPs?: string[]; ports: { nodePort?: number }[] };
  t.ok(spec.clusterIP && alloc.inRange(spec.clusterIP));
  t.same(spec.clusterIPs, [spec.clusterIP]);
  t.ok(spec.ports[0]!.nodePort! >= 30000 && spec.ports[0]!.nodePort! <= 32767);
  t.equal(spec.ports[1]!.nodePort, 30080);
  t.equal(plan.keys.length, 3);
  t.same(serviceReservations(svc, alloc).sort(), [...plan.keys].sort());
});

t.test('a requested IP or port that is taken or out of range is a field error', async (t) => {
  const taken = new Set([alloc.ipKey('10.43.0.9'), alloc.portKey('TCP', 30001)]);
  const svc = { metadata: { name: 's' }, spec: { type: 'NodePort', clusterIP: '10.43.0.9', ports: [{ port: 80, nodePort: 30001 }, { port: 81, nodePort: 80 }] } };
  const plan = await planServiceAllocation(svc, alloc, async (k) => taken.has(k));
  t.same(
    plan.errors.map((e) => `${e.field}: ${e.detail}`),
    [
      'spec.clusterIPs: failed to allocate IP 10.43.0.9: provided IP is already allocated',
      'spec.ports[0].nodePort: provided port is already allocated',
      'spec.ports[1].nodePort: provided port is not in the valid range. The range of valid ports is 30000-32767',
    ],
  );
});

t.test('headless and ExternalName services reserve nothing', async (t) => {
  const headless = { metadata: { name: 'h' }, spec: { clusterIP: 'None', ports: [{ port: 80 }] } };
  t.same((await planServiceAllocation(headless, alloc, async () => false)).keys, []);
  t.same((headless.spec as { clusterIPs?: string[] }).clusterIPs, ['None']);
  const ext = { metadata: { name: 'e' }, spec: { type: 'ExternalName', externalName: 'example.com' } };
  t.same((await planServiceAllocation(ext, alloc, async () => false)).keys, []);
});
