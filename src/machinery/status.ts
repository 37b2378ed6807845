// The metav1 `Status` object: the body of every API error and of some
// successful deletes. Field names, JSON keys and their order follow upstream
// (apimachinery meta/v1 types.go), so JSON.stringify of a Status built here
// is byte-identical to what a real API server sends. Upstream omits empty
// fields (`omitempty`); builders here leave them out rather than set them to
// empty values.

/** metav1.StatusReason values. `''` is StatusReasonUnknown. */
export const StatusReason = {
  Unknown: '',
  Unauthorized: 'Unauthorized',
  Forbidden: 'Forbidden',
  NotFound: 'NotFound',
  AlreadyExists: 'AlreadyExists',
  Conflict: 'Conflict',
  Gone: 'Gone',
  Invalid: 'Invalid',
  ServerTimeout: 'ServerTimeout',
  StoreReadError: 'StorageReadError',
  Timeout: 'Timeout',
  TooManyRequests: 'TooManyRequests',
  BadRequest: 'BadRequest',
  MethodNotAllowed: 'MethodNotAllowed',
  NotAcceptable: 'NotAcceptable',
  RequestEntityTooLarge: 'RequestEntityTooLarge',
  UnsupportedMediaType: 'UnsupportedMediaType',
  InternalError: 'InternalError',
  Expired: 'Expired',
  ServiceUnavailable: 'ServiceUnavailable',
} as const;

export type StatusReason = (typeof StatusReason)[keyof typeof StatusReason];

/** metav1.CauseType values (the `reason` of a StatusCause). */
export const CauseType = {
  FieldValueNotFound: 'FieldValueNotFound',
  FieldValueRequired: 'FieldValueRequired',
  FieldValueDuplicate: 'FieldValueDuplicate',
  FieldValueInvalid: 'FieldValueInvalid',
  FieldValueNotSupported: 'FieldValueNotSupported',
  FieldValueForbidden: 'FieldValueForbidden',
  FieldValueTooLong: 'FieldValueTooLong',
  FieldValueTooMany: 'FieldValueTooMany',
  InternalError: 'InternalError',
  FieldValueTypeInvalid: 'FieldValueTypeInvalid',
  UnexpectedServerResponse: 'UnexpectedServerResponse',
  FieldManagerConflict: 'FieldManagerConflict',
  ResourceVersionTooLarge: 'ResourceVersionTooLarge',
  /** An eviction refused by a PodDisruptionBudget (policy's DisruptionBudgetCause). */
  DisruptionBudget: 'DisruptionBudget',
} as const;

export type CauseType = (typeof CauseType)[keyof typeof CauseType];

/**
 * One cause of a failure. On the wire the cause type is the JSON key
 * `reason` (Go field `Type`); every field is optional.
 */
export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  /** For errors about a resource this holds the resource (`pods`), as upstream does; for Invalid, the Kind. */
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

/** The ListMeta a Status carries: `continue` is set on an inconsistent-continue 410. */
export interface StatusListMeta {
  selfLink?: string;
  resourceVersion?: string;
  continue?: string;
  remainingItemCount?: number;
}

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: StatusListMeta;
  status?: 'Success' | 'Failure';
  message?: string;
  reason?: StatusReason;
  details?: StatusDetails;
  code?: number;
}

/** The parts of a failure Status a constructor chooses; empty strings are dropped. */
export interface FailureParts {
  code: number;
  reason: StatusReason;
  message: string;
  details?: StatusDetails;
  metadata?: StatusListMeta;
}

/** Builds a Failure Status, keys in upstream's order, empty fields left out. */
export function failureStatus(parts: FailureParts): Status {
  const status: Status = { kind: 'Status', apiVersion: 'v1', metadata: compactListMeta(parts.metadata), status: 'Failure' };
  if (parts.message !== '') status.message = parts.message;
  if (parts.reason !== '') status.reason = parts.reason;
  if (parts.details !== undefined) status.details = compactDetails(parts.details);
  if (parts.code !== 0) status.code = parts.code;
  return status;
}

/**
 * The Success Status a DELETE returns when the strategy does not return the
 * object: `details` names what was deleted (kind = the resource, as upstream).
 */
export function successStatus(details?: StatusDetails): Status {
  const status: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success' };
  if (details !== undefined) status.details = compactDetails(details);
  return status;
}

/** Drops empty fields from details and causes, keeping upstream's key order. */
export function compactDetails(d: StatusDetails): StatusDetails {
  const out: StatusDetails = {};
  if (d.name) out.name = d.name;
  if (d.group) out.group = d.group;
  if (d.kind) out.kind = d.kind;
  if (d.uid) out.uid = d.uid;
  if (d.causes !== undefined && d.causes.length > 0) out.causes = d.causes.map(compactCause);
  if (d.retryAfterSeconds) out.retryAfterSeconds = d.retryAfterSeconds;
  return out;
}

function compactCause(c: StatusCause): StatusCause {
  const out: StatusCause = {};
  if (c.reason) out.reason = c.reason;
  if (c.message) out.message = c.message;
  if (c.field) out.field = c.field;
  return out;
}

function compactListMeta(m: StatusListMeta | undefined): StatusListMeta {
  const out: StatusListMeta = {};
  if (m === undefined) return out;
  if (m.selfLink) out.selfLink = m.selfLink;
  if (m.resourceVersion) out.resourceVersion = m.resourceVersion;
  if (m.continue) out.continue = m.continue;
  if (m.remainingItemCount !== undefined) out.remainingItemCount = m.remainingItemCount;
  return out;
}

/**
 * Checks untrusted input (a response body, a watch ERROR event's object) for
 * the shape of a Status: kind Status, apiVersion v1 or meta.k8s.io/v1 (as
 * upstream's FromObject accepts), and correctly typed optional fields.
 */
export function isStatus(value: unknown): value is Status {
  if (!isRecord(value)) return false;
  if (value['kind'] !== 'Status') return false;
  if (value['apiVersion'] !== 'v1' && value['apiVersion'] !== 'meta.k8s.io/v1') return false;
  if (!optional(value['message'], 'string') || !optional(value['reason'], 'string') || !optional(value['code'], 'number')) return false;
  if (value['status'] !== undefined && value['status'] !== 'Success' && value['status'] !== 'Failure') return false;
  const details = value['details'];
  if (details !== undefined && !isDetails(details)) return false;
  const metadata = value['metadata'];
  return metadata === undefined || isRecord(metadata);
}

function isDetails(d: unknown): d is StatusDetails {
  if (!isRecord(d)) return false;
  for (const k of ['name', 'group', 'kind', 'uid'] as const) if (!optional(d[k], 'string')) return false;
  if (!optional(d['retryAfterSeconds'], 'number')) return false;
  const causes = d['causes'];
  if (causes === undefined) return true;
  return Array.isArray(causes) && causes.every((c) => isRecord(c) && optional(c['reason'], 'string') && optional(c['message'], 'string') && optional(c['field'], 'string'));
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function optional(v: unknown, type: 'string' | 'number'): boolean {
  return v === undefined || typeof v === type;
}
