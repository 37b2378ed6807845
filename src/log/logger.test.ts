import t from 'tap';
import { createLogger } from './logger.js';

function capture() {
  const lines: string[] = [];
  return { lines, sink: { write: (line: string) => void lines.push(line) } };
}
const now = () => new Date('2026-01-02T03:04:05.678Z');

t.test('writes one line with time, level, component and fields', async (t) => {
  const { lines, sink } = capture();
  const log = createLogger('store', { sink, now });
  log.info('opened', { path: '/tmp/a b', rev: 3, lease: 2324035541763533864n, skipped: undefined });
  t.same(lines, ['2026-01-02T03:04:05.678Z info  store: opened path="/tmp/a b" rev=3 lease=2324035541763533864\n']);
});

t.test('drops lines below the level and reports it via enabled()', async (t) => {
  const { lines, sink } = capture();
  const log = createLogger('x', { sink, now, level: 'warn' });
  log.info('hidden');
  log.warn('shown');
  t.equal(log.enabled('debug'), false);
  t.equal(log.enabled('error'), true);
  t.equal(lines.length, 1);
  t.match(lines[0], /warn  x: shown/);
});

t.test('child loggers keep the options and change the component', async (t) => {
  const { lines, sink } = capture();
  createLogger('a', { sink, now }).child('b').error('boom');
  t.match(lines[0], / error b: boom\n$/);
});
