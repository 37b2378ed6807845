import t from 'tap';
import type { corev1, eventsv1 } from '../types.js';
import { ago, cellsOf, hour, minute, now } from './builders.fixture.js';
import { eventPrinter, eventsV1EventPrinter } from './event.js';

const involved = { kind: 'Pod', name: 'web-1', namespace: 'default', fieldPath: 'spec.containers{app}' };

t.test('event columns: five shown, five wide', async (t) => {
  t.same(
    eventPrinter.columns.map((c) => `${c.name}:${c.priority}`),
    ['Last Seen:0', 'Type:0', 'Reason:0', 'Object:0', 'Subobject:1', 'Source:1', 'Message:0', 'First Seen:1', 'Count:1', 'Name:1'],
  );
});

t.test('core event cells', async (t) => {
  const e: corev1.Event = {
    metadata: { name: 'web-1.17f' },
    involvedObject: involved,
    type: 'Warning',
    reason: 'BackOff',
    message: 'Back-off restarting failed container\n',
    source: { component: 'kubelet', host: 'node-a' },
    firstTimestamp: ago(hour),
    lastTimestamp: ago(2 * minute),
    count: 7,
  };
  t.same(cellsOf(eventPrinter, e), ['2m', 'Warning', 'BackOff', 'pod/web-1', 'spec.containers{app}', 'kubelet, node-a', 'Back-off restarting failed container', '60m', 7, 'web-1.17f']);
});

t.test('event timestamps and counts fall back as upstream', async (t) => {
  const base: corev1.Event = { metadata: { name: 'e' }, involvedObject: { kind: 'Node' }, reportingComponent: 'scheduler', eventTime: ago(5 * minute) };
  t.same(cellsOf(eventPrinter, base), ['5m', '', '', 'node', '', 'scheduler', '', '5m', 1, 'e'], 'eventTime only, no count');
  const series: corev1.Event = { ...base, series: { count: 12, lastObservedTime: ago(30 * 1000) } };
  const cells = cellsOf(eventPrinter, series);
  t.same([cells[0], cells[8]], ['30s', 12], 'series decides last seen and count');
  t.equal(cellsOf(eventPrinter, { metadata: { name: 'bare' }, involvedObject: {} })[0], '<unknown>');
});

t.test('events.k8s.io events print like core events', async (t) => {
  const e: eventsv1.Event = {
    metadata: { name: 'web-1.17f' },
    eventTime: ago(hour),
    regarding: involved,
    type: 'Normal',
    reason: 'Pulled',
    note: 'Container image pulled',
    reportingController: 'kubelet',
    reportingInstance: 'node-a',
    deprecatedCount: 2,
    deprecatedLastTimestamp: ago(minute),
  };
  t.same(cellsOf(eventsV1EventPrinter, e), ['60s', 'Normal', 'Pulled', 'pod/web-1', 'spec.containers{app}', 'kubelet, node-a', 'Container image pulled', '60m', 2, 'web-1.17f']);
});
