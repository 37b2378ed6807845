import t from 'tap';
import { fieldErrorMessage } from '../../machinery/index.js';
import type { JSONSchemaProps } from './types.js';
import { compileValidator } from './validator.js';

const schema: JSONSchemaProps = {
  type: 'object',
  properties: {
    metadata: { type: 'object', properties: { name: { type: 'string', maxLength: 3 } } },
    spec: {
      type: 'object',
      required: ['size'],
      properties: {
        size: { type: 'string', enum: ['small', 'large'] },
        replicas: { type: 'integer', minimum: 1, maximum: 5, default: 2 },
        ratio: { type: 'number', minimum: 0, exclusiveMinimum: true },
        name: { type: 'string', pattern: '^[a-z]+$', minLength: 2, maxLength: 4 },
        port: { 'x-kubernetes-int-or-string': true },
        note: { type: 'string', nullable: true },
        tags: { type: 'array', items: { type: 'string' }, maxItems: 2, uniqueItems: true },
        nested: { type: 'object', default: {}, properties: { mode: { type: 'string', default: 'auto' } } },
        parts: { type: 'array', items: { type: 'object', properties: { id: { type: 'integer' } }, required: ['id'] } },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
        child: { type: 'object', 'x-kubernetes-embedded-resource': true, 'x-kubernetes-preserve-unknown-fields': true },
      },
    },
  },
};
const validator = compileValidator(schema);

const messages = (spec: Record<string, unknown>): string[] =>
  validator.validate({ apiVersion: 'x.io/v1', kind: 'X', metadata: { name: 'a-long-name' }, spec }).map(fieldErrorMessage);

t.test('schema violations become field errors with upstream paths and messages', async (t) => {
  const cases: [string, Record<string, unknown>, string[]][] = [
    ['valid', { size: 'small' }, []],
    ['required', {}, ['spec.size: Required value']],
    ['type', { size: 'small', replicas: 'two' }, ['spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"']],
    ['enum', { size: 'huge' }, ['spec.size: Unsupported value: "huge": supported values: "small", "large"']],
    ['maximum', { size: 'small', replicas: 6 }, ['spec.replicas: Invalid value: 6: spec.replicas in body should be less than or equal to 5']],
    ['minimum', { size: 'small', replicas: 0 }, ['spec.replicas: Invalid value: 0: spec.replicas in body should be greater than or equal to 1']],
    ['exclusive minimum', { size: 'small', ratio: 0 }, ['spec.ratio: Invalid value: 0: spec.ratio in body should be greater than 0']],
    ['pattern', { size: 'small', name: 'A1' }, ['spec.name: Invalid value: "A1": spec.name in body should match \'^[a-z]+$\'']],
    ['minLength', { size: 'small', name: 'a' }, ['spec.name: Invalid value: "a": spec.name in body should be at least 2 chars long']],
    ['maxLength', { size: 'small', name: 'abcde' }, ['spec.name: Too long: may not be more than 4 bytes']],
    ['int-or-string takes an integer', { size: 'small', port: 80 }, []],
    ['int-or-string takes a string', { size: 'small', port: 'http' }, []],
    ['int-or-string refuses a boolean', { size: 'small', port: true }, ['spec.port: Invalid value: "boolean": spec.port in body must be of type integer,string: "boolean"']],
    ['nullable', { size: 'small', note: null }, []],
    ['not nullable', { size: 'small', name: null }, ['spec.name: Invalid value: "null": spec.name in body must be of type string: "null"']],
    ['maxItems', { size: 'small', tags: ['a', 'b', 'c'] }, ['spec.tags: Too many: 3: must have at most 2 items']],
    ['list items by index', { size: 'small', parts: [{ id: 1 }, {}] }, ['spec.parts[1].id: Required value']],
    ['map values', { size: 'small', labels: { a: 1 } }, ['spec.labels.a: Invalid value: "integer": spec.labels.a in body must be of type string: "integer"']],
    ['embedded resource needs apiVersion and kind', { size: 'small', child: { metadata: {} } }, ['spec.child.apiVersion: Required value', 'spec.child.kind: Required value']],
  ];
  for (const [name, spec, want] of cases) t.same(messages(spec), want, name);
});

t.test('metadata, apiVersion and kind are left to the generic rules', async (t) => {
  t.same(validator.validate({ apiVersion: 1, kind: 2, metadata: { name: 'much-too-long' }, spec: { size: 'small' } }), []);
});

t.test('absent fields with a default are filled in, at any depth, without touching set ones', async (t) => {
  const obj: Record<string, unknown> = { spec: { size: 'small', replicas: 4 } };
  validator.validate(obj);
  t.same(obj.spec, { size: 'small', replicas: 4, nested: { mode: 'auto' } });
  const other: Record<string, unknown> = { spec: { size: 'large', nested: { mode: 'manual' } } };
  validator.validate(other);
  t.same(other.spec, { size: 'large', nested: { mode: 'manual' }, replicas: 2 });
});

t.test('a schema ajv cannot compile throws', async (t) => {
  t.throws(() => compileValidator({ type: 'object', properties: { a: { type: 'string', pattern: '(' } } }));
});
