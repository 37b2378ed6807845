// The parameters of the API's operations, in OpenAPI v3 form. Each verb
// lists the query parameters the REST handlers read; kubectl looks for
// `fieldValidation` among a PATCH operation's own parameters to decide
// whether the server validates fields, so the write verbs carry it there.

export interface Parameter {
  name: string;
  in: 'path' | 'query';
  description: string;
  required?: boolean;
  schema: { type: 'string' | 'integer' | 'boolean' };
}

function query(name: string, type: Parameter['schema']['type'], description: string): Parameter {
  return { name, in: 'query', description, schema: { type } };
}

function pathParam(name: string, description: string): Parameter {
  return { name, in: 'path', description, required: true, schema: { type: 'string' } };
}

export const nameParam = pathParam('name', 'The name of the object.');
export const namespaceParam = pathParam('namespace', 'The namespace of the object; names are unique within a namespace.');
export const prettyParam = query('pretty', 'string', "When 'true', the response body is indented for reading.");

const dryRun = query('dryRun', 'string', "When present, the request is processed in full but nothing is stored. The only accepted value is 'All'.");
const fieldManager = query('fieldManager', 'string', 'The name of the actor making the change, recorded in managedFields. At most 128 printable characters.');
const fieldValidation = query(
  'fieldValidation',
  'string',
  "What to do with fields of the object that its schema does not declare: 'Ignore' drops them, 'Warn' (the default) drops them and names each in a Warning header, 'Strict' rejects the request.",
);
const force = query('force', 'boolean', 'Server-side apply only: take ownership of fields another manager owns instead of reporting a conflict.');
const continueParam = query('continue', 'string', 'The continue token of the previous page of a paged list.');
const fieldSelector = query('fieldSelector', 'string', 'Restricts the result to objects whose fields match (`spec.nodeName=n1`). Everything by default.');
const labelSelector = query('labelSelector', 'string', 'Restricts the result to objects whose labels match (`app=web,tier!=db`). Everything by default.');
const limit = query('limit', 'integer', 'The largest number of objects in one page; the response carries a continue token when more remain.');
const resourceVersion = query('resourceVersion', 'string', 'How fresh the result must be: unset for the latest, "0" for any, or a resourceVersion to start from.');
const resourceVersionMatch = query('resourceVersionMatch', 'string', "How resourceVersion is compared: 'Exact' or 'NotOlderThan'.");
const sendInitialEvents = query('sendInitialEvents', 'boolean', 'Watch only: start with synthetic ADDED events for the existing objects, ended by a bookmark.');
const timeoutSeconds = query('timeoutSeconds', 'integer', 'The longest a list or watch call may run, in seconds.');
const watch = query('watch', 'boolean', 'Stream changes of the described objects instead of listing them.');
const allowWatchBookmarks = query('allowWatchBookmarks', 'boolean', 'Watch only: allow BOOKMARK events, which carry only a resourceVersion.');
const gracePeriodSeconds = query('gracePeriodSeconds', 'integer', 'Seconds before the object is deleted; 0 deletes at once. Unset means the default of the kind.');
const orphanDependents = query('orphanDependents', 'boolean', "Deprecated in favour of propagationPolicy: whether dependents are orphaned.");
const propagationPolicy = query('propagationPolicy', 'string', "How dependents are garbage collected: 'Orphan', 'Background' or 'Foreground'.");
const ignoreStoreReadError = query(
  'ignoreStoreReadErrorWithClusterBreakingPotential',
  'boolean',
  'Deletes an object that cannot be read from storage. Unsafe: only for recovery.',
);

export const listParams: readonly Parameter[] = [
  allowWatchBookmarks,
  continueParam,
  fieldSelector,
  labelSelector,
  limit,
  resourceVersion,
  resourceVersionMatch,
  sendInitialEvents,
  timeoutSeconds,
  watch,
];
export const createParams: readonly Parameter[] = [dryRun, fieldManager, fieldValidation];
export const replaceParams: readonly Parameter[] = [dryRun, fieldManager, fieldValidation];
export const patchParams: readonly Parameter[] = [dryRun, fieldManager, fieldValidation, force];
export const deleteParams: readonly Parameter[] = [dryRun, gracePeriodSeconds, ignoreStoreReadError, orphanDependents, propagationPolicy];
export const deleteCollectionParams: readonly Parameter[] = [
  continueParam,
  dryRun,
  fieldSelector,
  gracePeriodSeconds,
  ignoreStoreReadError,
  labelSelector,
  limit,
  orphanDependents,
  propagationPolicy,
  resourceVersion,
  resourceVersionMatch,
  sendInitialEvents,
  timeoutSeconds,
];

const container = query('container', 'string', 'The container to address; may be omitted when the pod has one container.');
const stdio = [
  query('stderr', 'boolean', 'Stream the standard error of the process.'),
  query('stdin', 'boolean', 'Stream to the standard input of the process.'),
  query('stdout', 'boolean', 'Stream the standard output of the process.'),
  query('tty', 'boolean', 'Allocate a terminal for the process.'),
];

/** Query parameters of the subresources that are not plain objects. */
export const subresourceParams: Readonly<Record<string, readonly Parameter[]>> = {
  log: [
    container,
    query('follow', 'boolean', 'Keep streaming the log as it grows.'),
    query('insecureSkipTLSVerifyBackend', 'boolean', "Do not verify the kubelet's serving certificate when fetching the log."),
    query('limitBytes', 'integer', 'The most bytes of log to return.'),
    query('previous', 'boolean', 'Return the log of the previous, terminated container.'),
    query('sinceSeconds', 'integer', 'Only lines written in the last this many seconds.'),
    query('tailLines', 'integer', 'Only this many lines from the end of the log.'),
    query('timestamps', 'boolean', 'Prefix every line with its RFC 3339 timestamp.'),
  ],
  exec: [query('command', 'string', 'The command to run, one argument per parameter.'), container, ...stdio],
  attach: [container, ...stdio],
  portforward: [query('ports', 'integer', 'The pod ports to forward.')],
  proxy: [query('path', 'string', 'The path of the request to proxy.')],
};
