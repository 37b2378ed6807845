// Events, core (v1) and events.k8s.io/v1. Upstream prints both from one
// internal type; here the newer shape is mapped onto the fields the cells
// use. Columns: Last Seen, Type, Reason, Object, Message; wide Subobject,
// Source, First Seen, Count, Name.
import type { corev1, eventsv1 } from '../types.js';
import { age, parseTimestamp } from './age.js';
import { column, definePrinter } from './columns.js';
import { int, record, text } from './read.js';

/** The fields of an Event the printer reads, named as in core/v1. */
interface EventView {
  name: string;
  type: string;
  reason: string;
  message: string;
  involvedObject: { kind?: string; name?: string; fieldPath?: string } | undefined;
  source: { component?: string; host?: string } | undefined;
  reportingComponent: string;
  reportingInstance: string;
  firstTimestamp: unknown;
  lastTimestamp: unknown;
  eventTime: unknown;
  count: number;
  series: { count?: number; lastObservedTime?: string } | undefined;
}

function coreView(e: corev1.Event): EventView {
  return {
    name: text(e.metadata?.name),
    type: text(e.type),
    reason: text(e.reason),
    message: text(e.message),
    involvedObject: e.involvedObject,
    source: e.source,
    reportingComponent: text(e.reportingComponent),
    reportingInstance: text(e.reportingInstance),
    firstTimestamp: e.firstTimestamp,
    lastTimestamp: e.lastTimestamp,
    eventTime: e.eventTime,
    count: int(e.count),
    series: e.series,
  };
}

function eventsV1View(e: eventsv1.Event): EventView {
  return {
    name: text(e.metadata?.name),
    type: text(e.type),
    reason: text(e.reason),
    message: text(e.note),
    involvedObject: e.regarding,
    source: e.deprecatedSource,
    reportingComponent: text(e.reportingController),
    reportingInstance: text(e.reportingInstance),
    firstTimestamp: e.deprecatedFirstTimestamp,
    lastTimestamp: e.deprecatedLastTimestamp,
    eventTime: e.eventTime,
    count: int(e.deprecatedCount),
    series: e.series,
  };
}

/** Source: component (else reporting controller), then `, host` (else reporting instance) when known. */
function formatSource(e: EventView): string {
  const source = record(e.source);
  const component = text(source['component']) || e.reportingComponent;
  const instance = text(source['host']) || e.reportingInstance;
  return instance === '' ? component : `${component}, ${instance}`;
}

function eventCells(e: EventView, now: Date): unknown[] {
  const first = parseTimestamp(e.firstTimestamp) !== undefined ? age(e.firstTimestamp, now) : age(e.eventTime, now);
  let last = parseTimestamp(e.lastTimestamp) !== undefined ? age(e.lastTimestamp, now) : first;
  let count = e.count;
  if (e.series) {
    last = age(e.series.lastObservedTime, now);
    count = int(e.series.count);
  } else if (count === 0) {
    // Events created through the newer API carry no count: one occurrence.
    count = 1;
  }
  const involved = record(e.involvedObject);
  const kind = text(involved['kind']).toLowerCase();
  const name = text(involved['name']);
  return [
    last,
    e.type,
    e.reason,
    name === '' ? kind : `${kind}/${name}`,
    text(involved['fieldPath']),
    formatSource(e),
    e.message.trim(),
    first,
    count,
    e.name,
  ];
}

const columns = [
  column('Last Seen', 'string', 'The time at which the most recent occurrence of this event was recorded.'),
  column('Type', 'string', 'Type of this event (Normal, Warning).'),
  column('Reason', 'string', 'A short, machine understandable string that gives the reason for the transition into the object\'s current status.'),
  column('Object', 'string', 'The object that this event is about.'),
  column('Subobject', 'string', 'The part of the object this event is about, as a field path.', true),
  column('Source', 'string', 'The component reporting this event.', true),
  column('Message', 'string', 'A human-readable description of the status of this operation.'),
  column('First Seen', 'string', 'The time at which the event was first recorded.', true),
  column('Count', 'string', 'The number of times this event has occurred.', true),
  { ...column('Name', 'string', 'The name of the event.', true), format: 'name' },
];

export const eventPrinter = definePrinter<corev1.Event>(columns, (e, now) => eventCells(coreView(e), now));

export const eventsV1EventPrinter = definePrinter<eventsv1.Event>(columns, (e, now) => eventCells(eventsV1View(e), now));
