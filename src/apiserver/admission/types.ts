// Admission: what a plugin is told about a write, and what a plugin is.
// Mutating plugins (`admit`) may change the object; validating plugins
// (`validate`) only accept or refuse it, after the object passed
// validation. A refusal is a thrown Status error (Forbidden, as upstream's
// admission.NewForbidden).
import type { StoredObject } from '../../api/types.js';
import type { ResourceContext } from '../rest/context.js';
import type { UserInfo } from '../rest/types.js';

export type Operation = 'CREATE' | 'UPDATE';

export interface Attributes {
  operation: Operation;
  /** `pods`, `priorityclasses.scheduling.k8s.io`: the resource written. */
  gr: string;
  /** '' for the main resource, `status` for status writes. */
  subresource: string;
  namespace: string;
  /** The object's name ('' for a create by generateName before naming). */
  name: string;
  /** The object about to be written; mutating plugins change it in place. */
  object: StoredObject;
  /** The stored object an update replaces. */
  oldObject?: StoredObject;
  user: UserInfo;
  /** A dry run must not change anything but the object itself. */
  dryRun: boolean;
}

export interface AdmissionPlugin {
  /** Upstream's plugin name (`LimitRanger`, `Priority`, ...). */
  readonly name: string;
  admit?(ctx: ResourceContext, a: Attributes): Promise<void>;
  validate?(ctx: ResourceContext, a: Attributes): Promise<void>;
}
