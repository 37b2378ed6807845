// events.k8s.io/v1: the newer view of Events. Upstream accepts the same
// selectors as core Events under this version's field names (regarding for
// involvedObject, reportingController for reportingComponent).
import { defineGroupVersion, firstText, text } from './define.js';

export const eventsResources = defineGroupVersion('events.k8s.io', 'v1', [
  {
    resource: 'events',
    kind: 'Event',
    namespaced: true,
    shortNames: ['ev'],
    selectableFields: {
      'regarding.kind': text('regarding.kind'),
      'regarding.namespace': text('regarding.namespace'),
      'regarding.name': text('regarding.name'),
      'regarding.uid': text('regarding.uid'),
      'regarding.apiVersion': text('regarding.apiVersion'),
      'regarding.resourceVersion': text('regarding.resourceVersion'),
      'regarding.fieldPath': text('regarding.fieldPath'),
      reason: text('reason'),
      reportingController: text('reportingController'),
      source: firstText('deprecatedSource.component', 'reportingController'),
      type: text('type'),
    },
  },
]);
