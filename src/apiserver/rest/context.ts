// What a resource handler needs: the resource's definition, its names for
// messages, the object store, the registry and the clock.
import type { Registry } from '../../api/registry/registry.js';
import { groupResource } from '../../api/registry/registry.js';
import type { ResourceDefinition } from '../../api/registry/types.js';
import type { Logger } from '../../log/logger.js';
import type { QuotaCache } from '../admission/index.js';
import type { ObjectStore } from '../storage/store.js';
import type { ServiceAllocators } from './allocate.js';
import type { DecodedObjects } from './decoded.js';
import type { ServiceAccountTokens } from './token.js';

export interface ServerState {
  store: ObjectStore;
  registry: Registry;
  now: () => Date;
  logger: Logger;
  allocators: ServiceAllocators;
  decoded: DecodedObjects;
  /** ResourceQuotas for admission, from memory; without it admission reads them from the store. */
  quotas?: QuotaCache;
  /** Issues and checks service-account tokens; absent without a signing key. */
  serviceAccountTokens?: ServiceAccountTokens;
}

export interface ResourceContext extends ServerState {
  def: ResourceDefinition;
  /** `pods`, `deployments.apps`: how messages name the resource. */
  gr: string;
  /** `Pod`, `Deployment.apps`: how Invalid messages name the kind. */
  gk: string;
}

export function resourceContext(state: ServerState, def: ResourceDefinition): ResourceContext {
  return {
    ...state,
    def,
    gr: groupResource(def.group, def.resource),
    gk: def.group === '' ? def.kind : `${def.kind}.${def.group}`,
  };
}

/** True when the resource has a `status` subresource (status writes go only there). */
export function hasStatus(def: ResourceDefinition): boolean {
  return def.subresources.some((s) => s.name === 'status');
}
