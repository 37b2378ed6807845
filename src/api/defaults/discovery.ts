// discovery.k8s.io/v1 defaults: EndpointSlice ports are unnamed TCP unless said otherwise.
import type { Defaulter } from '../registry/types.js';
import { items, setIfUnset } from './shape.js';

const endpointSlice: Defaulter = (obj) => {
  for (const port of items(obj, 'ports')) {
    setIfUnset(port, 'name', '');
    setIfUnset(port, 'protocol', 'TCP');
  }
};

export const discoveryDefaulters: Readonly<Record<string, Defaulter>> = {
  'endpointslices.discovery.k8s.io': endpointSlice,
};
