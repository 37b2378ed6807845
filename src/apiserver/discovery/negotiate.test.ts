import t from 'tap';
import { discoveryContentTypes, negotiateDiscovery } from './negotiate.js';

const v2 = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';
const v2beta1 = 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList';

t.test('the form each client is answered with', async (t) => {
  const cases: [string, string | undefined, string][] = [
    ['kubectl 1.32', `${v2},${v2beta1},application/json`, 'v2'],
    ['kubectl 1.27 (v2beta1 only)', `${v2beta1},application/json`, 'v2beta1'],
    ['plain JSON', 'application/json, */*', 'legacy'],
    ['client-node', 'application/json, */*;q=0.8', 'legacy'],
    ['no Accept', undefined, 'legacy'],
    ['empty Accept', '', 'legacy'],
    ['anything', '*/*', 'legacy'],
    ['first offered wins', `${v2beta1},${v2}`, 'v2beta1'],
    ['parameter order does not matter', 'application/json;as=APIGroupDiscoveryList;v=v2;g=apidiscovery.k8s.io', 'v2'],
    ['spaces around parameters', 'application/json; g=apidiscovery.k8s.io; v=v2beta1; as=APIGroupDiscoveryList', 'v2beta1'],
    ['an unknown version is skipped', `application/json;g=apidiscovery.k8s.io;v=v3;as=APIGroupDiscoveryList,${v2beta1}`, 'v2beta1'],
    ['protobuf aggregated is not served', 'application/vnd.kubernetes.protobuf;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json', 'legacy'],
    ['wrong group', 'application/json;g=example.com;v=v2;as=APIGroupDiscoveryList', 'legacy'],
    ['missing as', 'application/json;g=apidiscovery.k8s.io;v=v2', 'legacy'],
    ['q=0 refuses', `${v2};q=0,${v2beta1}`, 'v2beta1'],
    ['higher q first', `${v2};q=0.5,${v2beta1};q=0.9`, 'v2beta1'],
  ];
  for (const [name, accept, want] of cases) t.equal(negotiateDiscovery(accept), want, name);
});

t.test('content types the client recognises', async (t) => {
  t.equal(discoveryContentTypes.v2, v2);
  t.equal(discoveryContentTypes.v2beta1, v2beta1);
  t.equal(discoveryContentTypes.legacy, 'application/json');
});
