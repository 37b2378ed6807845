import t from 'tap';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cniConfigFileName, cniConfigText, renderCniConfig, writeCniConfig } from './cni-config.js';

const input = { podCidr: '10.42.3.0/24', ipamDataDir: '/var/lib/tsk8s/agent/cni/networks' };

t.test('the conflist: bridge with host-local on the pod CIDR, then portmap; no loopback', async (t) => {
  t.same(renderCniConfig(input), {
    cniVersion: '1.0.0',
    name: 'tsk8s',
    plugins: [
      {
        type: 'bridge',
        bridge: 'cni0',
        isGateway: true,
        ipMasq: false,
        hairpinMode: true,
        forceAddress: false,
        ipam: {
          type: 'host-local',
          ranges: [[{ subnet: '10.42.3.0/24', gateway: '10.42.3.1' }]],
          routes: [{ dst: '0.0.0.0/0' }],
          dataDir: '/var/lib/tsk8s/agent/cni/networks',
        },
      },
      { type: 'portmap', snat: true, capabilities: { portMappings: true } },
    ],
  });
});

t.test('bridge name and MTU are passed through; the subnet is normalised', async (t) => {
  const [bridge] = renderCniConfig({ ...input, podCidr: '10.42.3.7/24', bridge: 'tsk0', mtu: 1400 }).plugins;
  t.match(bridge, { bridge: 'tsk0', mtu: 1400, ipam: { ranges: [[{ subnet: '10.42.3.0/24', gateway: '10.42.3.1' }]] } });
  t.notOk('mtu' in (renderCniConfig(input).plugins[0] ?? {}), 'no mtu key unless given');
  t.throws(() => renderCniConfig({ ...input, podCidr: 'nope' }), { name: 'NetError', code: 'bad-cidr' });
});

t.test('the text is stable JSON with a trailing newline', async (t) => {
  const text = cniConfigText(input);
  t.ok(text.endsWith('}\n'));
  t.same(JSON.parse(text), renderCniConfig(input));
  t.equal(cniConfigText(input), text);
});

t.test('writeCniConfig replaces the file atomically and leaves it alone when unchanged', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tsk8s-cni-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const confDir = join(dir, 'etc', 'cni', 'net.d');
  const ipamDataDir = join(dir, 'cni', 'networks');

  const first = writeCniConfig(confDir, { podCidr: '10.42.0.0/24', ipamDataDir });
  t.same(first, { path: join(confDir, cniConfigFileName), changed: true, shadowedBy: [] });
  t.same(JSON.parse(readFileSync(first.path, 'utf8')).plugins[0].ipam.ranges, [[{ subnet: '10.42.0.0/24', gateway: '10.42.0.1' }]]);
  t.equal(statSync(first.path).mode & 0o777, 0o644);
  t.ok(statSync(ipamDataDir).isDirectory(), 'the IPAM dir is created');
  t.same(readdirSync(confDir), [cniConfigFileName], 'no temp file is left');

  const inode = statSync(first.path).ino;
  t.same(writeCniConfig(confDir, { podCidr: '10.42.0.0/24', ipamDataDir }), { ...first, changed: false });
  t.equal(statSync(first.path).ino, inode, 'an unchanged config is not rewritten');

  const again = writeCniConfig(confDir, { podCidr: '10.42.1.0/24', ipamDataDir });
  t.equal(again.changed, true);
  t.not(statSync(first.path).ino, inode, 'a changed config arrives by rename, never written in place');
  t.match(readFileSync(first.path, 'utf8'), /"subnet": "10\.42\.1\.0\/24"/);
});

t.test('configs that containerd would load first are reported', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tsk8s-cni-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  for (const f of ['05-other.conflist', '00-x.conf', '01-notes.txt', '99-late.json']) writeFileSync(join(dir, f), '{}');
  t.same(writeCniConfig(dir, { podCidr: '10.42.0.0/24', ipamDataDir: join(dir, 'ipam') }).shadowedBy, ['00-x.conf', '05-other.conflist']);
});

t.test('an unwritable conf dir is a cni-config-write error naming the file', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tsk8s-cni-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'blocker'), '');
  t.throws(() => writeCniConfig(join(dir, 'blocker', 'net.d'), { podCidr: '10.42.0.0/24', ipamDataDir: join(dir, 'ipam') }), {
    name: 'NetError',
    code: 'cni-config-write',
    message: /^cannot write .*blocker\/net\.d\/10-tsk8s\.conflist: /,
  });
});
