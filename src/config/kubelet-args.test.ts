import t from 'tap';
import { resolveAgentConfig } from './agent.js';
import { parseKubeletArgs } from './kubelet-args.js';
import { resolveServerConfig } from './server.js';

const mi = 1024 * 1024;

t.test('no --kubelet-arg: the kubelet keeps its eviction defaults, image GC at 85/80', async (t) => {
  t.same(parseKubeletArgs([]), { evictionHard: undefined, imageGcHighThresholdPercent: 85, imageGcLowThresholdPercent: 80 });
  t.same(resolveAgentConfig('/d', false, {}).kubelet, parseKubeletArgs([]));
});

t.test('eviction-hard as k3s users write it', async (t) => {
  t.same(parseKubeletArgs(['eviction-hard=memory.available<200Mi,nodefs.available<5%']).evictionHard, {
    'memory.available': { quantity: 200 * mi },
    'nodefs.available': { percentage: 0.05 },
  });
  t.same(
    parseKubeletArgs(['--eviction-hard=imagefs.available<2.5%, pid.available<500 ,nodefs.inodesFree<1k', 'eviction-hard=memory.available<1Gi,pid.available<0%']).evictionHard,
    { 'imagefs.available': { percentage: 0.025 }, 'nodefs.inodesFree': { quantity: 1000 }, 'memory.available': { quantity: 1024 * mi } },
    'a leading -- is allowed; a repeated eviction-hard adds signals; 0% turns one off',
  );
  t.same(resolveServerConfig({ kubeletArg: ['eviction-hard=memory.available<300Mi'] }).agent?.kubelet.evictionHard, { 'memory.available': { quantity: 300 * mi } });
});

t.test('bad eviction thresholds name the flag and what is wrong', async (t) => {
  t.throws(() => parseKubeletArgs(['eviction-hard=memory.free<1Gi']), { code: 'bad-flag', message: '--kubelet-arg eviction-hard: unsupported eviction signal "memory.free" (supported: memory.available, nodefs.available, nodefs.inodesFree, imagefs.available, imagefs.inodesFree, pid.available)' });
  t.throws(() => parseKubeletArgs(['eviction-hard=memory.available>1Gi']), { message: /must be signal<quantity/ });
  t.throws(() => parseKubeletArgs(['eviction-hard=memory.available<lots']), { message: /memory\.available must be a positive quantity .*"lots"/ });
  t.throws(() => parseKubeletArgs(['eviction-hard=memory.available<-1Gi']), { message: /positive quantity/ });
  t.throws(() => parseKubeletArgs(['eviction-hard=nodefs.available<120%']), { message: /from 0% to 100%/ });
});

t.test('image GC thresholds: whole percentages, low below high', async (t) => {
  t.match(parseKubeletArgs(['image-gc-high-threshold=90', 'image-gc-low-threshold=70']), { imageGcHighThresholdPercent: 90, imageGcLowThresholdPercent: 70 });
  t.throws(() => parseKubeletArgs(['image-gc-high-threshold=101']), { message: '--kubelet-arg image-gc-high-threshold must be a whole number from 0 to 100 (got "101")' });
  t.throws(() => parseKubeletArgs(['image-gc-high-threshold=75']), { message: '--kubelet-arg image-gc-low-threshold (80) must be less than image-gc-high-threshold (75)' });
});

t.test('an unknown key or no value is one clear error', async (t) => {
  t.throws(() => parseKubeletArgs(['max-pods=200']), { code: 'bad-flag', message: '--kubelet-arg "max-pods" is not a kubelet argument tsk8s supports (supported: eviction-hard, image-gc-high-threshold, image-gc-low-threshold)' });
  t.throws(() => parseKubeletArgs(['eviction-hard']), { message: '--kubelet-arg eviction-hard needs a value: eviction-hard=...' });
  t.throws(() => resolveServerConfig({ kubeletArg: ['feature-gates=X=true'] }), { message: /"feature-gates" is not a kubelet argument/ });
});
