import t from 'tap';
import { parseTaint, resolveAgentConfig } from './agent.js';
import { resolveServerConfig } from './server.js';

t.test('the default data dir gets the host-wide places; another gets its own', async (t) => {
  const host = resolveAgentConfig('/var/lib/tsk8s', true, {});
  t.match(host, { dir: '/var/lib/tsk8s/agent', imagesDir: '/var/lib/tsk8s/agent/images', containerdStateDir: '/run/tsk8s/containerd', podLogDir: '/var/log/pods', cgroupRoot: '/tsk8s', storageDir: '/var/lib/tsk8s/storage' });
  const a = resolveAgentConfig('/tmp/a', false, {});
  const b = resolveAgentConfig('/tmp/b', false, {});
  t.match(a, { podLogDir: '/tmp/a/agent/pod-logs', storageDir: '/tmp/a/storage', containerdStateDir: /^\/run\/tsk8s\/[0-9a-f]{8}\/containerd$/, cgroupRoot: /^\/tsk8s-[0-9a-f]{8}$/ });
  t.not(a.containerdStateDir, b.containerdStateDir);
  t.not(a.cgroupRoot, b.cgroupRoot);
});

t.test('node labels and taints are parsed as kubectl takes them', async (t) => {
  const c = resolveAgentConfig('/d', false, { nodeLabel: ['zone=a,tier=edge', 'example.com/gpu='], nodeTaint: ['dedicated=db:NoSchedule', 'spot:PreferNoSchedule'] });
  t.same(c.nodeLabels, { zone: 'a', tier: 'edge', 'example.com/gpu': '' });
  t.same(c.nodeTaints, [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }, { key: 'spot', effect: 'PreferNoSchedule' }]);
  t.throws(() => parseTaint('a=b'), { code: 'bad-flag', message: /--node-taint must be key=value:Effect/ });
  t.throws(() => parseTaint('a=b:Sometimes'), { code: 'bad-flag' });
  t.throws(() => resolveAgentConfig('/d', false, { nodeLabel: ['bad key=x'] }), { code: 'bad-flag', message: /--node-label/ });
});

t.test('cluster ranges and addresses are checked, naming the flag', async (t) => {
  t.throws(() => resolveAgentConfig('/d', false, { clusterCidr: '10.42.0.0' }), { message: /--cluster-cidr/ });
  t.throws(() => resolveAgentConfig('/d', false, { clusterDns: 'dns' }), { message: /--cluster-dns/ });
  t.throws(() => resolveServerConfig({ serviceCidr: '10.43.0.0/8' }), { message: /--service-cidr/ });
  t.throws(() => resolveServerConfig({ nodeIp: ['10.0.0.300'] }), { message: /--node-ip must be an IP address/ });
  t.same(resolveServerConfig({ nodeIp: ['10.0.0.5,fd00::5'] }).nodeIps, ['10.0.0.5', 'fd00::5']);
  t.equal(resolveServerConfig({ disableAgent: true }).agent, undefined);
});

t.test('registries.yaml: missing is no settings, bad YAML names the file', async (t) => {
  const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { readRegistriesFile } = await import('./registries-file.js');
  const dir = mkdtempSync(join(tmpdir(), 'tsk8s-reg-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  t.equal(readRegistriesFile(join(dir, 'none.yaml')), undefined);
  writeFileSync(join(dir, 'r.yaml'), 'mirrors:\n  docker.io:\n    endpoint: ["http://127.0.0.1:5000"]\n');
  t.same(readRegistriesFile(join(dir, 'r.yaml')), { mirrors: { 'docker.io': { endpoint: ['http://127.0.0.1:5000'] } } });
  writeFileSync(join(dir, 'bad.yaml'), 'mirrors: [\n');
  t.throws(() => readRegistriesFile(join(dir, 'bad.yaml')), { code: 'bad-file', message: new RegExp(`${join(dir, 'bad.yaml')} is not valid YAML`) });
});
