// ProxyRules' write paths, with commands recorded instead of run: a full
// sync writes its restores in order; a change goes to the long-running
// restore when there is one; when that cannot start (no stdbuf), the change
// falls back to a full sync and later changes run a process each.
import t from 'tap';
import { spawn } from 'node:child_process';
import type { CommandRunner } from '../exec.js';
import { proxyPorts } from './model.js';
import { service, slice } from './proxy.fixture.js';
import { renderService } from './render.js';
import { ProxyRules } from './rules.js';

const ctx = { clusterCidr: '10.42.0.0/16' };
const web = (ip: string): Map<string, ReturnType<typeof renderService>> =>
  new Map([['default/web', renderService(proxyPorts(service('web', { clusterIP: '10.43.0.20' }), [slice('web', [{ ip }])], 'node-a'), ctx)]]);

t.test('a change whose long-running restore cannot start falls back to a full sync, then runs a process per write', async (t) => {
  const calls: string[] = [];
  const run: CommandRunner = async (command, _args, opts) => {
    calls.push(`${command}${opts?.input ? ` ${opts.input.split('\n').length - 1} lines` : ''}`);
    return { code: 0, stdout: '', stderr: '' };
  };
  let spawned = 0;
  const rules = new ProxyRules(run, () => (spawned++, spawn('/nonexistent/stdbuf', [], { stdio: ['pipe', 'pipe', 'pipe'] })));
  const full = await rules.full(web('10.42.0.5'));
  t.equal(full.kind, 'full');
  t.same(calls.filter((c) => c.startsWith('iptables-save')), ['iptables-save', 'iptables-save'], 'nat and filter read');
  t.equal(calls.filter((c) => c.startsWith('iptables-restore')).length, 2, 'the services’ chains, then the shared chains');
  calls.length = 0;
  const first = await rules.change(web('10.42.0.6'), () => web('10.42.0.6'));
  t.equal(first.kind, 'full');
  t.match(first.fallback, /stdbuf is not installed/);
  t.equal(spawned, 1);
  calls.length = 0;
  const second = await rules.change(web('10.42.0.7'), () => web('10.42.0.7'));
  t.equal(second.kind, 'change');
  t.equal(spawned, 1, 'no second try of the long-running restore');
  t.equal(calls.length, 1, 'one iptables-restore for the change');
  t.match(calls[0], /^iptables-restore \d+ lines$/);
});
