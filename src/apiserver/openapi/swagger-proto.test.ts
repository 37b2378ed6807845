import t from 'tap';
import { WireReader } from '../../api/protobuf/wire.js';
import { encodeSwaggerProtobuf } from './swagger-proto.js';
import type { SwaggerDocument } from './swagger.js';

/** Reads a message into field number → values (strings for length-delimited fields, numbers for varints, doubles for fixed64). */
function fields(r: WireReader): Map<number, (Buffer | number)[]> {
  const out = new Map<number, (Buffer | number)[]>();
  while (!r.done) {
    const { field, wireType } = r.tag();
    const list = out.get(field) ?? [];
    if (wireType === 0) list.push(r.uint());
    else if (wireType === 1) list.push(r.fixed64().readDoubleLE(0));
    else list.push(r.bytes());
    out.set(field, list);
  }
  return out;
}

const msg = (b: Buffer | number | undefined): Map<number, (Buffer | number)[]> => fields(new WireReader(b as Buffer));
const str = (b: Buffer | number | undefined): string => (b as Buffer).toString('utf8');

const doc: SwaggerDocument = {
  swagger: '2.0',
  info: { title: 'Kubernetes', version: 'v1.32.0' },
  paths: {},
  definitions: {
    'io.k8s.api.core.v1.Thing': {
      description: 'A thing.',
      type: 'object',
      required: ['spec'],
      properties: {
        spec: { $ref: '#/definitions/io.k8s.api.core.v1.ThingSpec', description: 'Its spec.' },
        count: { type: 'integer', format: 'int32', minimum: 1.5, maxLength: 7, uniqueItems: true },
        tags: { type: 'array', items: { type: 'string' } },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
        free: { type: 'object', additionalProperties: false, default: { a: 1 }, enum: ['x'] },
      },
      'x-kubernetes-group-version-kind': [{ group: '', kind: 'Thing', version: 'v1' }],
    },
  },
  securityDefinitions: {},
  security: [],
};

t.test('the document encodes as gnostic openapi.v2.Document', async (t) => {
  const top = msg(encodeSwaggerProtobuf(doc));
  t.equal(str(top.get(1)?.[0]), '2.0', 'swagger = 1');
  const info = msg(top.get(2)?.[0]);
  t.equal(str(info.get(1)?.[0]), 'Kubernetes', 'info.title = 1');
  t.equal(str(info.get(2)?.[0]), 'v1.32.0', 'info.version = 2');
  t.notOk(top.has(8), 'no paths');
  const named = msg(msg(top.get(9)?.[0]).get(1)?.[0]);
  t.equal(str(named.get(1)?.[0]), 'io.k8s.api.core.v1.Thing', 'NamedSchema.name = 1');
  const thing = msg(named.get(2)?.[0]);
  t.equal(str(thing.get(4)?.[0]), 'A thing.', 'description = 4');
  t.same(thing.get(19)?.map(str), ['spec'], 'required = 19');
  t.equal(str(msg(thing.get(22)?.[0]).get(1)?.[0]), 'object', 'type = 22 (TypeItem.value = 1)');
  const ext = msg(thing.get(31)?.[0]);
  t.equal(str(ext.get(1)?.[0]), 'x-kubernetes-group-version-kind', 'vendor_extension = 31');
  t.same(JSON.parse(str(msg(ext.get(2)?.[0]).get(2)?.[0])), [{ group: '', kind: 'Thing', version: 'v1' }], 'Any.yaml = 2');

  const props = new Map((msg(thing.get(25)?.[0]).get(1) ?? []).map((b) => {
    const p = msg(b);
    return [str(p.get(1)?.[0]), msg(p.get(2)?.[0])] as const;
  }));
  t.same([...props.keys()], ['spec', 'count', 'tags', 'labels', 'free'], 'properties = 25');
  t.equal(str(props.get('spec')?.get(1)?.[0]), '#/definitions/io.k8s.api.core.v1.ThingSpec', '_ref = 1');
  const count = props.get('count');
  t.equal(str(count?.get(2)?.[0]), 'int32', 'format = 2');
  t.equal(count?.get(9)?.[0], 1.5, 'minimum = 9 (double)');
  t.equal(count?.get(11)?.[0], 7, 'max_length = 11');
  t.equal(count?.get(16)?.[0], 1, 'unique_items = 16');
  const items = msg(msg(props.get('tags')?.get(23)?.[0]).get(1)?.[0]);
  t.equal(str(msg(items.get(22)?.[0]).get(1)?.[0]), 'string', 'items = 23 (ItemsItem.schema = 1)');
  const additional = msg(props.get('labels')?.get(21)?.[0]);
  t.equal(str(msg(msg(additional.get(1)?.[0]).get(22)?.[0]).get(1)?.[0]), 'string', 'additional_properties = 21 (schema = 1)');
  const free = props.get('free');
  t.equal(msg(free?.get(21)?.[0]).get(2)?.[0], 0, 'additional_properties boolean = 2, false written');
  t.equal(str(msg(free?.get(5)?.[0]).get(2)?.[0]), '{"a":1}', 'default = 5');
  t.equal(str(msg(free?.get(20)?.[0]).get(2)?.[0]), '"x"', 'enum = 20');
});
