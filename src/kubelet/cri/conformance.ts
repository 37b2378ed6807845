// The shared ContainerRuntime conformance suite. Every implementation runs
// it from its own test file:
//
//   import t from 'tap';
//   import { runtimeConformance } from './conformance.js';
//   void runtimeConformance(t, 'fake', async () => ({
//     runtime: new FakeRuntime({ images: ['busybox'] }),
//     image: 'busybox',
//     sandboxConfig: (c) => c,
//     cleanup: async () => {},
//   }));
//
// Each scenario opens a fresh runtime (a new client of the same runtime is
// fine), removes the sandboxes it ran, closes the runtime and calls cleanup.
// Assertions are the behaviour containerd 1.6 shows and the kubelet relies on.
import type { Test } from 'tap';
import { containerSuite } from './conformance/containers.js';
import type { OpenRuntime } from './conformance/harness.js';
import { imageSuite } from './conformance/images.js';
import { sandboxSuite } from './conformance/sandboxes.js';

export type { OpenRuntime, RuntimeUnderTest } from './conformance/harness.js';

/** Registers the suite as subtest `name` of `t`; resolves when it has run. */
export async function runtimeConformance(t: Test, name: string, open: OpenRuntime): Promise<void> {
  await t.test(name, async (t) => {
    t.test('images', async (t) => imageSuite(t, open));
    t.test('sandboxes', async (t) => sandboxSuite(t, open));
    t.test('containers', async (t) => containerSuite(t, open));
  });
}
