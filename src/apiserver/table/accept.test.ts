import t from 'tap';
import { conversionContentType, negotiate, parseAccept, wantsPartialMetadata, wantsTable } from './accept.js';

const kubectlGet = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';
const gcList =
  'application/vnd.kubernetes.protobuf;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json';

t.test("parseAccept reads kubectl's Table header in order", async (t) => {
  t.same(parseAccept(kubectlGet), [
    { type: 'application', subtype: 'json', params: { as: 'Table', v: 'v1', g: 'meta.k8s.io' }, q: 1 },
    { type: 'application', subtype: 'json', params: { as: 'Table', v: 'v1beta1', g: 'meta.k8s.io' }, q: 1 },
    { type: 'application', subtype: 'json', params: {}, q: 1 },
  ]);
});

t.test('parseAccept orders by quality, then specificity, then header order', async (t) => {
  const order = (header: string): string[] => parseAccept(header).map((r) => `${r.type}/${r.subtype}${r.params['v'] ? `;v=${r.params['v']}` : ''}`);
  t.same(order('*/*, application/json'), ['application/json', '*/*']);
  t.same(order('application/*, application/yaml'), ['application/yaml', 'application/*']);
  t.same(order('application/json;q=0.5, application/yaml'), ['application/yaml', 'application/json']);
  t.same(order('application/json;v=a, application/json;v=b'), ['application/json;v=a', 'application/json;v=b']);
  t.same(order('text/html;q=0, application/json'), ['application/json'], 'q=0 refuses');
  t.same(order('application/json;q=abc'), [], 'an unparseable q is 0');
  t.same(order('*'), ['*/*']);
  t.same(order(' Application/JSON ; Pretty=1 '), ['application/json']);
  t.same(parseAccept(' Application/JSON ; Pretty="1" ')[0]?.params, { pretty: '1' }, 'keys lower-cased, quotes dropped');
  t.same(order('garbage, a/b/c, /json, application/json'), ['application/json'], 'malformed ranges dropped');
  t.same(parseAccept(''), []);
  t.same(parseAccept(undefined), []);
});

t.test('negotiate picks the representation', async (t) => {
  const cases: [string, string | undefined, unknown][] = [
    ['kubectl get', kubectlGet, { mediaType: 'application/json', convert: { kind: 'Table', version: 'v1' }, pretty: false }],
    ['no header', undefined, { mediaType: 'application/json', pretty: false }],
    ['empty header', '', { mediaType: 'application/json', pretty: false }],
    ['plain json', 'application/json', { mediaType: 'application/json', pretty: false }],
    ['anything', '*/*', { mediaType: 'application/json', pretty: false }],
    ['v1beta1 table', 'application/json;as=Table;v=v1beta1;g=meta.k8s.io', { mediaType: 'application/json', convert: { kind: 'Table', version: 'v1beta1' }, pretty: false }],
    ['table without group is skipped', 'application/json;as=Table;v=v1,application/json', { mediaType: 'application/json', pretty: false }],
    ['unknown version is skipped', 'application/json;as=Table;v=v2;g=meta.k8s.io,application/json', { mediaType: 'application/json', pretty: false }],
    ['unknown kind is skipped', 'application/json;as=Pod;v=v1;g=meta.k8s.io,application/json', { mediaType: 'application/json', pretty: false }],
    ['protobuf table is not served', 'application/vnd.kubernetes.protobuf;as=Table;v=v1;g=meta.k8s.io', undefined],
    ['only a table in protobuf or yaml', 'application/yaml;as=Table;v=v1;g=meta.k8s.io', undefined],
    ['protobuf only', 'application/vnd.kubernetes.protobuf', undefined],
    [
      'garbage collector list',
      gcList,
      { mediaType: 'application/json', convert: { kind: 'PartialObjectMetadataList', version: 'v1' }, pretty: false },
    ],
    ['pretty', 'application/json;pretty=1', { mediaType: 'application/json', pretty: true }],
    ['stream=watch allowed', 'application/json;stream=watch', { mediaType: 'application/json', pretty: false }],
    ['other stream refused', 'application/json;stream=other', undefined],
    ['unknown parameters ignored', 'application/json;charset=utf-8', { mediaType: 'application/json', pretty: false }],
  ];
  for (const [name, accept, want] of cases) t.same(negotiate(accept), want, name);
});

t.test('negotiate honours served types and endpoints without tables', async (t) => {
  const served = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'];
  t.same(negotiate('application/yaml;as=Table;v=v1;g=meta.k8s.io', { served }), { mediaType: 'application/yaml', convert: { kind: 'Table', version: 'v1' }, pretty: false });
  t.same(negotiate(gcList, { served })?.mediaType, 'application/vnd.kubernetes.protobuf', 'metadata forms come in any served type');
  t.same(negotiate('*/*;as=Table;v=v1;g=meta.k8s.io', { served })?.mediaType, 'application/json', 'a wildcard table takes the first table type');
  t.same(negotiate(kubectlGet, { table: false }), { mediaType: 'application/json', pretty: false }, 'falls back to the object');
  t.equal(negotiate('application/json;as=Table;v=v1;g=meta.k8s.io', { table: false }), undefined, 'only a table: not acceptable');
});

t.test('wantsTable reports the Table version and whether plain JSON would do', async (t) => {
  const cases: [string, string | undefined, unknown][] = [
    ['kubectl get', kubectlGet, { table: 'table-v1', plainAcceptable: true }],
    ['only v1beta1 table', 'application/json;as=Table;v=v1beta1;g=meta.k8s.io', { table: 'table-v1beta1', plainAcceptable: false }],
    ['only v1 table', 'application/json;as=Table;v=v1;g=meta.k8s.io', { table: 'table-v1', plainAcceptable: false }],
    ['plain', 'application/json', { table: undefined, plainAcceptable: true }],
    ['no header', undefined, { table: undefined, plainAcceptable: true }],
    ['metadata list then json', gcList, { table: undefined, plainAcceptable: true }],
    ['protobuf only', 'application/vnd.kubernetes.protobuf', { table: undefined, plainAcceptable: false }],
  ];
  for (const [name, accept, want] of cases) t.same(wantsTable(accept), want, name);
});

t.test('wantsPartialMetadata', async (t) => {
  t.same(wantsPartialMetadata(gcList), { version: 'v1', list: true });
  t.same(wantsPartialMetadata('application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1beta1'), { version: 'v1beta1', list: false });
  t.equal(wantsPartialMetadata(kubectlGet), undefined);
  t.equal(wantsPartialMetadata('application/json'), undefined);
  t.equal(wantsPartialMetadata('application/json;as=PartialObjectMetadata;g=example.com;v=v1'), undefined);
});

t.test('content types of converted answers', async (t) => {
  t.equal(conversionContentType('application/json', { kind: 'Table', version: 'v1' }), 'application/json;as=Table;v=v1;g=meta.k8s.io');
  t.equal(
    conversionContentType('application/json', { kind: 'PartialObjectMetadataList', version: 'v1' }),
    'application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io',
  );
});
