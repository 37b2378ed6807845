// `npm run bench`: every benchmark, each printing ratios against a peer
// measured in the same run. `npm run bench -- store` runs one suite.
import { benchApi } from './api.js';
import { benchDns } from './dns.js';
import { benchNode } from './node.js';
import { benchProxy } from './proxy.js';
import { benchScheduler } from './scheduler.js';
import { benchStore } from './store.js';
import { benchStreaming } from './streaming.js';
import { benchWorkloads } from './workloads.js';

const suites: Record<string, (log: (line: string) => void) => Promise<void>> = {
  store: benchStore,
  api: benchApi,
  node: benchNode,
  proxy: benchProxy,
  dns: benchDns,
  streaming: benchStreaming,
  scheduler: benchScheduler,
  workloads: benchWorkloads,
};

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !(name in suites));
if (unknown.length > 0) {
  console.error(`bench: unknown suite(s) ${unknown.join(', ')}; known: ${Object.keys(suites).join(', ')}`);
  process.exit(2);
}
for (const [name, suite] of Object.entries(suites)) {
  if (wanted.length > 0 && !wanted.includes(name)) continue;
  console.log(`bench ${name}:`);
  try {
    await suite((line) => console.log(line));
  } catch (err) {
    console.error(`bench ${name} failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  }
}
