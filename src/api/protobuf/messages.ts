// Every protobuf table, compiled once: message specs by `<package>.<Name>`.
// Packages are named for their upstream group/version; `wellKnown` and
// `runtime` hold the well-known types and the envelope.
import { compileTables, type MessageSpec } from './schema.js';
import { appsV1 } from './tables/apps.js';
import { authenticationV1 } from './tables/authentication.js';
import { authorizationV1 } from './tables/authorization.js';
import { autoscalingV1, autoscalingV2 } from './tables/autoscaling.js';
import { batchV1 } from './tables/batch.js';
import { coreObjects } from './tables/core.js';
import { metaV1, runtime, wellKnown } from './tables/meta.js';
import { networkingV1 } from './tables/networking.js';
import { podMessages } from './tables/pod.js';
import { policyV1 } from './tables/policy.js';
import { rbacV1 } from './tables/rbac.js';
import { schedulingV1 } from './tables/scheduling.js';
import { volumeMessages } from './tables/volumes.js';

export const protobufPackages = {
  runtime,
  wellKnown,
  'meta/v1': metaV1,
  'core/v1': { ...coreObjects, ...podMessages, ...volumeMessages },
  'apps/v1': appsV1,
  'batch/v1': batchV1,
  'rbac/v1': rbacV1,
  'scheduling/v1': schedulingV1,
  'policy/v1': policyV1,
  'networking/v1': networkingV1,
  'autoscaling/v1': autoscalingV1,
  'autoscaling/v2': autoscalingV2,
  'authentication/v1': authenticationV1,
  'authorization/v1': authorizationV1,
} as const;

export const messages: ReadonlyMap<string, MessageSpec> = compileTables(protobufPackages);

/** The spec of a message id; the id must come from a compiled table. */
export function messageSpec(id: string): MessageSpec {
  const spec = messages.get(id);
  if (!spec) throw new Error(`no protobuf table for ${id}`);
  return spec;
}
