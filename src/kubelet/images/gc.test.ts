import t from 'tap';
import { tmpdir } from 'node:os';
import { ManualClock } from '../../machinery/clock.js';
import { silentLogger } from '../../log/logger.js';
import type { Container, Image } from '../cri/types.js';
import { ImageGC, type DiskUsage, type ImageGCOptions } from './gc.js';

function image(id: string, size: number, tags: string[] = [`example.com/${id}:1`], pinned = false): Image {
  return { id, repoTags: tags, repoDigests: [], size, uid: undefined, username: '', spec: undefined, pinned };
}

function container(imageRef: string): Container {
  return {
    id: `c-${imageRef}`,
    podSandboxId: 's',
    metadata: { name: 'c', attempt: 0 },
    image: { image: imageRef },
    imageRef,
    state: 'CONTAINER_EXITED',
    createdAt: 0n,
    labels: {},
    annotations: {},
  } as Container;
}

function setup(images: Image[], containers: Container[], disk: DiskUsage, extra: Partial<ImageGCOptions> = {}) {
  const clock = new ManualClock();
  const removed: string[] = [];
  const events: string[] = [];
  const failRemove = new Set<string>();
  const gc = new ImageGC({
    runtime: {
      listImages: async () => images.filter((i) => !removed.includes(i.id)),
      listContainers: async () => containers,
      removeImage: async (id) => {
        if (failRemove.has(id)) throw new Error('image is busy');
        removed.push(id);
        disk.availableBytes += images.find((i) => i.id === id)?.size ?? 0;
      },
      imageFsInfo: async () => ({ imageFilesystems: [], containerFilesystems: [] }),
    },
    event: (type, reason, message) => events.push(`${type} ${reason} ${message}`),
    clock,
    logger: silentLogger,
    pinned: () => new Set(['registry.local/pause:1']),
    diskUsage: async () => ({ ...disk }),
    ...extra,
  });
  return { gc, clock, removed, events, failRemove };
}

t.test('below the high threshold nothing is removed', async (t) => {
  const { gc, clock, removed } = setup([image('a', 100)], [], { capacityBytes: 1000, availableBytes: 160 });
  await gc.collect();
  clock.advance(10 * 60_000);
  t.equal(await gc.collect(), 0);
  t.same(removed, []);
});

t.test('over the threshold: unused, unpinned, old enough, least recently used first, down to the low threshold', async (t) => {
  const images = [
    image('used', 100),
    image('pause', 100, ['registry.local/pause:1']),
    image('criPinned', 100, ['x/y:1'], true),
    image('old', 60),
    image('lastused', 60),
  ];
  const containers = [container('used'), container('lastused')];
  const disk = { capacityBytes: 1000, availableBytes: 100 }; // 90 % used
  const { gc, clock, removed } = setup(images, containers, disk);
  await t.rejects(gc.collect(), 'nothing is old enough at first detection');
  // 'lastused' stops being used; 'recent' appears later and is too young.
  containers.pop();
  clock.advance(60_000);
  images.push(image('recent', 60));
  await t.rejects(gc.collect());
  clock.advance(60_000);
  await gc.collect(); // removes 'old' (never used) then 'lastused' (used before), not 'recent'
  t.same(removed, ['old', 'lastused']);
  t.equal(disk.availableBytes, 220);
});

t.test('images younger than the minimum age are kept and the shortfall is reported', async (t) => {
  const disk = { capacityBytes: 1000, availableBytes: 100 };
  const { gc, removed, events } = setup([image('fresh', 500)], [], disk);
  await t.rejects(gc.collect(), { message: 'Failed to garbage collect required amount of images. Attempted to free 100 bytes, but only found 0 bytes eligible to free.' });
  t.same(removed, []);
  t.same(events, ['Warning FreeDiskSpaceFailed Failed to garbage collect required amount of images. Attempted to free 100 bytes, but only found 0 bytes eligible to free.']);
});

t.test('a removal that fails is skipped and the next image is tried', async (t) => {
  const disk = { capacityBytes: 1000, availableBytes: 100 };
  const { gc, clock, removed, failRemove } = setup([image('busy', 200), image('other', 200)], [], disk);
  failRemove.add('busy');
  await gc.collect().catch(() => undefined);
  clock.advance(2 * 60_000);
  t.equal(await gc.collect(), 200);
  t.same(removed, ['other']);
});

t.test('ImageGCFailed only for failures in a row', async (t) => {
  let fail = true;
  const { gc, events } = setup([], [], { capacityBytes: 1000, availableBytes: 900 }, {
    diskUsage: async () => {
      if (fail) throw new Error('statfs /var/lib: no such file or directory');
      return { capacityBytes: 1000, availableBytes: 900 };
    },
  });
  await gc.collectOnce();
  t.same(events, []);
  await gc.collectOnce();
  t.same(events, ['Warning ImageGCFailed statfs /var/lib: no such file or directory']);
  fail = false;
  await gc.collectOnce();
  fail = true;
  await gc.collectOnce();
  t.equal(events.length, 1, 'a success resets the count');
});

t.test('run collects every period until aborted', async (t) => {
  const disk = { capacityBytes: 1000, availableBytes: 100 };
  const { gc, clock, removed } = setup([image('old', 200)], [], disk, { periodMs: 60_000, minAgeMs: 0 });
  const ac = new AbortController();
  const running = gc.run(ac.signal);
  t.same(removed, []);
  clock.advance(60_000);
  for (let i = 0; i < 20 && removed.length === 0; i++) await new Promise((r) => setImmediate(r));
  t.same(removed, ['old']);
  ac.abort();
  await running;
});

t.test('invalid capacity is an error', async (t) => {
  const { gc } = setup([], [], { capacityBytes: 0, availableBytes: 0 });
  await t.rejects(gc.collect(), { message: 'invalid capacity 0 on image filesystem' });
});

t.test('by default the disk usage is statfs of the image filesystem the runtime reports', async (t) => {
  const { gc } = setup([], [], { capacityBytes: 0, availableBytes: 0 }, {
    diskUsage: undefined,
    highThresholdPercent: 101,
    runtime: {
      listImages: async () => [],
      listContainers: async () => [],
      removeImage: async () => {},
      imageFsInfo: async () => ({ imageFilesystems: [{ timestamp: 0n, mountpoint: tmpdir(), usedBytes: 0, inodesUsed: 0 }], containerFilesystems: [] }),
    },
  });
  t.equal(await gc.collect(), 0, 'statfs works and nothing is over a 101 % threshold');
  const { gc: none } = setup([], [], { capacityBytes: 0, availableBytes: 0 }, { diskUsage: undefined });
  await t.rejects(none.collect(), { message: 'the runtime reports no image filesystem' });
});
