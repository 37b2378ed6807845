import t from 'tap';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderContainerdConfig, writeContainerdConfig } from './containerd-config.js';
import { containerdLayout } from './layout.js';

const layout = containerdLayout('/var/lib/tsk8s', '/run/tsk8s/containerd');
const binDir = '/var/lib/tsk8s/data/abc/bin';

/** The `key = value` lines of one `[table]`, in order. */
function table(text: string, name: string): string[] {
  const lines = text.split('\n');
  const start = lines.indexOf(`[${name}]`);
  if (start < 0) return [];
  const out: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.startsWith('[')) break;
    if (line.trim() !== '') out.push(line.trim());
  }
  return out;
}

t.test('the layout keeps data under the data dir and state under /run', async (t) => {
  t.match(layout, {
    root: '/var/lib/tsk8s/agent/containerd',
    logFile: '/var/lib/tsk8s/agent/containerd/containerd.log',
    configFile: '/var/lib/tsk8s/agent/etc/containerd/config.toml',
    certsDir: '/var/lib/tsk8s/agent/etc/containerd/certs.d',
    cniConfDir: '/var/lib/tsk8s/agent/etc/cni/net.d',
    state: '/run/tsk8s/containerd',
    socket: '/run/tsk8s/containerd/containerd.sock',
    runcRoot: '/run/tsk8s/containerd/runc',
  });
});

t.test('renders a version 2 config with our root, state, socket and bundled binaries', async (t) => {
  const text = renderContainerdConfig({ layout, binDir, sandboxImage: 'localhost/tsk8s/pause:1' });
  const top = text.split('\n[')[0] ?? '';
  t.match(top, /^version = 2$/m);
  t.match(top, /^root = "\/var\/lib\/tsk8s\/agent\/containerd"$/m);
  t.match(top, /^state = "\/run\/tsk8s\/containerd"$/m);
  t.match(top, /^disabled_plugins = \["io\.containerd\.snapshotter\.v1\.aufs", "io\.containerd\.snapshotter\.v1\.btrfs", "io\.containerd\.snapshotter\.v1\.zfs", "io\.containerd\.snapshotter\.v1\.devmapper"\]$/m);
  t.same(table(text, 'grpc'), ['address = "/run/tsk8s/containerd/containerd.sock"']);
  t.same(table(text, 'plugins."io.containerd.internal.v1.opt"'), ['path = "/var/lib/tsk8s/agent/containerd/opt"']);
  const cri = table(text, 'plugins."io.containerd.grpc.v1.cri"');
  for (const line of [
    'sandbox_image = "localhost/tsk8s/pause:1"',
    'restrict_oom_score_adj = true',
    'netns_mounts_under_state_dir = true',
    'stream_server_address = "127.0.0.1"',
  ]) {
    t.ok(cri.includes(line), line);
  }
  t.ok(table(text, 'plugins."io.containerd.grpc.v1.cri".containerd').includes('snapshotter = "overlayfs"'));
  t.same(table(text, 'plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc'), ['runtime_type = "io.containerd.runc.v2"']);
  t.same(table(text, 'plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options'), [
    'BinaryName = "/var/lib/tsk8s/data/abc/bin/runc"',
    'Root = "/run/tsk8s/containerd/runc"',
    'SystemdCgroup = false',
  ]);
  t.same(table(text, 'plugins."io.containerd.grpc.v1.cri".cni'), [
    'bin_dir = "/var/lib/tsk8s/data/abc/bin"',
    'conf_dir = "/var/lib/tsk8s/agent/etc/cni/net.d"',
  ]);
  t.same(table(text, 'plugins."io.containerd.grpc.v1.cri".registry'), ['config_path = "/var/lib/tsk8s/agent/etc/containerd/certs.d"']);
  t.notMatch(text, /registry\.mirrors/, 'never the old mirrors syntax, which falls back upstream');
  t.notMatch(text, /\/usr\/(s?bin|local)/, 'no host binaries');
});

t.test('registry credentials become CRI registry configs, quoted', async (t) => {
  const text = renderContainerdConfig({
    layout,
    binDir,
    sandboxImage: 'p',
    registryAuths: {
      'registry.example.com:5000': { username: 'me', password: 'p"w\\d' },
      'tok.example.com': { identityToken: 'tkn' },
      'empty.example.com': {},
    },
  });
  t.same(table(text, 'plugins."io.containerd.grpc.v1.cri".registry.configs."registry.example.com:5000".auth'), [
    'username = "me"',
    'password = "p\\"w\\\\d"',
  ]);
  t.same(table(text, 'plugins."io.containerd.grpc.v1.cri".registry.configs."tok.example.com".auth'), ['identitytoken = "tkn"']);
  t.notMatch(text, /empty\.example\.com/, 'a host without credentials is left out');
});

t.test('the log level follows the option', async (t) => {
  t.same(table(renderContainerdConfig({ layout, binDir, sandboxImage: 'p', logLevel: 'debug' }), 'debug'), ['level = "debug"']);
});

t.test('writeContainerdConfig creates the dirs and a 0600 file, even over a looser one', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tsk8s-cfg-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const l = containerdLayout(join(dir, 'data'), join(dir, 'state'));
  writeContainerdConfig({ layout: l, binDir, sandboxImage: 'p' });
  writeFileSync(l.configFile, 'old', { mode: 0o644 });
  const path = writeContainerdConfig({ layout: l, binDir, sandboxImage: 'p' });
  t.equal(statSync(path).mode & 0o777, 0o600);
  t.match(readFileSync(path, 'utf8'), /^version = 2$/m);
  for (const d of [l.root, l.cniConfDir, l.certsDir, l.state]) t.ok(statSync(d).isDirectory(), d);
});
