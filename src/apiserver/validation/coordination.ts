// Leases (coordination.k8s.io/v1): node heartbeats and leader election.
import { fieldInvalid } from '../../machinery/index.js';
import type { Check } from './input.js';
import { kindValidator, type KindValidator } from './kind.js';

export const coordinationValidators: Readonly<Record<string, KindValidator>> = {
  'leases.coordination.k8s.io': kindValidator((c: Check, obj) => {
    const spec = c.obj(obj.spec, 'spec') ?? {};
    const duration = c.int(spec.leaseDurationSeconds, 'spec.leaseDurationSeconds');
    if (duration !== undefined && duration <= 0) c.add(fieldInvalid('spec.leaseDurationSeconds', duration, 'must be greater than 0'));
    const transitions = c.int(spec.leaseTransitions, 'spec.leaseTransitions');
    if (transitions !== undefined && transitions < 0) c.add(fieldInvalid('spec.leaseTransitions', transitions, 'must be greater than or equal to 0'));
    c.str(spec.holderIdentity, 'spec.holderIdentity');
    c.str(spec.acquireTime, 'spec.acquireTime');
    c.str(spec.renewTime, 'spec.renewTime');
  }),
};
