// Events: core/v1 (involvedObject) and events.k8s.io/v1 (regarding).
import type { KubeObject } from '../../api/types.js';
import { fieldInvalid, fieldRequired, isDNS1123Subdomain } from '../../machinery/index.js';
import { qualifiedName } from './common.js';
import { isUnset, type Check } from './input.js';
import { kindValidator, type KindValidator } from './kind.js';

const reportingInstanceLimit = 128;
const actionLimit = 128;
const reasonLimit = 128;
const noteLimit = 1024;

/**
 * The object an Event is about lives in the Event's namespace; a
 * cluster-scoped one (no namespace) is recorded in `default` (or
 * `kube-system` for new-style events).
 */
function sameNamespace(c: Check, obj: KubeObject, refField: string, newStyle: boolean): void {
  const ref = c.obj(obj[refField], refField) ?? {};
  const refNamespace = c.str(ref.namespace, `${refField}.namespace`) ?? '';
  const namespace = obj.metadata?.namespace ?? '';
  const allowed = newStyle ? ['default', 'kube-system'] : ['', 'default'];
  const bad = refNamespace === '' ? !allowed.includes(namespace) : refNamespace !== namespace;
  if (bad) c.add(fieldInvalid(`${refField}.namespace`, refNamespace, 'does not match event.namespace'));
}

function lengthLimit(c: Check, v: unknown, path: string, limit: number): string {
  const s = c.str(v, path) ?? '';
  if (s.length > limit) c.add(fieldInvalid(path, '', `can have at most ${limit} characters`));
  return s;
}

/**
 * The fields a new-style event (one with an eventTime) must carry; core/v1
 * calls the reporter `reportingComponent` and the text `message`.
 */
function newStyleFields(c: Check, obj: KubeObject, reporterField: string, noteField: string): void {
  const controller = c.str(obj[reporterField], reporterField) ?? '';
  if (controller === '') c.add(fieldRequired(reporterField));
  qualifiedName(c, controller, reporterField);
  if (lengthLimit(c, obj.reportingInstance, 'reportingInstance', reportingInstanceLimit) === '') c.add(fieldRequired('reportingInstance'));
  if (lengthLimit(c, obj.action, 'action', actionLimit) === '') c.add(fieldRequired('action'));
  if (lengthLimit(c, obj.reason, 'reason', reasonLimit) === '') c.add(fieldRequired('reason'));
  lengthLimit(c, obj[noteField], noteField, noteLimit);
}

function namespaceFormat(c: Check, obj: KubeObject): void {
  const namespace = obj.metadata?.namespace ?? '';
  for (const msg of isDNS1123Subdomain(namespace)) c.add(fieldInvalid('namespace', namespace, msg));
}

const coreEvent = kindValidator((c, obj) => {
  const newStyle = !isUnset(obj.eventTime);
  sameNamespace(c, obj, 'involvedObject', newStyle);
  if (newStyle) newStyleFields(c, obj, 'reportingComponent', 'message');
  namespaceFormat(c, obj);
});

const event = kindValidator((c, obj) => {
  sameNamespace(c, obj, 'regarding', true);
  if (isUnset(obj.eventTime)) c.add(fieldRequired('eventTime'));
  newStyleFields(c, obj, 'reportingController', 'note');
  namespaceFormat(c, obj);
});

export const eventValidators: Readonly<Record<string, KindValidator>> = {
  events: coreEvent,
  'events.events.k8s.io': event,
};
