// The long-running restore: each write resolves once the line its marker
// block prints comes back, in order; a failing line rejects that write with
// the process's reason, and the next write starts a new process. The
// process here stands in for iptables-restore: it prints a line of other
// output at each block's start and the rule's line for each `-S`, and exits
// with an error at a line `FAIL`.
import t from 'tap';
import { spawn } from 'node:child_process';
import { RestoreSession, type Spawner } from './session.js';

const fake = `
let buf = '';
process.stdin.setEncoding('utf8').on('data', (d) => {
  buf += d;
  for (let nl = buf.indexOf('\\n'); nl >= 0; nl = buf.indexOf('\\n')) {
    const line = buf.slice(0, nl);
    buf = buf.slice(nl + 1);
    if (line === 'FAIL') { process.stderr.write('iptables-restore: line failed: No chain/target/match by that name.\\n'); process.exit(1); }
    if (line === '*nat') process.stdout.write('# other output\\n');
    if (line.startsWith('-S ')) process.stdout.write('-A ' + line.slice(3) + '\\n');
  }
});
`;

t.test('writes resolve in order; a failing write rejects with the reason; the next starts a new process', async (t) => {
  const started: string[][] = [];
  const spawner: Spawner = (command, args) => {
    started.push([command, ...args]);
    return spawn(process.execPath, ['-e', fake], { stdio: ['pipe', 'pipe', 'pipe'] });
  };
  const session = new RestoreSession(spawner, ['--noflush']);
  t.teardown(() => session.close());
  const order: number[] = [];
  await Promise.all([1, 2, 3].map((i) => session.write(`*nat\n-A X-${i} -j RETURN\nCOMMIT\n`).then(() => order.push(i))));
  t.same(order, [1, 2, 3]);
  t.same(started, [['stdbuf', '-oL', 'iptables-restore', '--noflush']], 'one process for all three');
  await t.rejects(session.write('*nat\nFAIL\nCOMMIT\n'), /No chain\/target\/match by that name/);
  await session.write('*nat\n-A X-4 -j RETURN\nCOMMIT\n');
  t.equal(started.length, 2, 'a new process after the failure');
});

t.test('a command that cannot start rejects the write', async (t) => {
  const session = new RestoreSession(() => spawn('/nonexistent/stdbuf', [], { stdio: ['pipe', 'pipe', 'pipe'] }), []);
  await t.rejects(session.write('*nat\nCOMMIT\n'), { code: 'command-missing' });
});
