import t from 'tap';
import {
  aggregateMessages,
  fieldDuplicate,
  fieldErrorBody,
  fieldErrorCauses,
  fieldErrorMessage,
  fieldErrorsMessage,
  fieldForbidden,
  fieldInternal,
  fieldInvalid,
  fieldNotFound,
  fieldNotSupported,
  fieldRequired,
  fieldTooLong,
  fieldTooMany,
  fieldTypeInvalid,
  type FieldError,
} from './fielderrors.js';

t.test('field errors render upstream messages', async (t) => {
  const cases: [FieldError, string, string][] = [
    [fieldRequired('spec.containers[0].image'), 'FieldValueRequired', 'spec.containers[0].image: Required value'],
    [fieldRequired('metadata.name', 'name or generateName is required'), 'FieldValueRequired', 'metadata.name: Required value: name or generateName is required'],
    [fieldInvalid('metadata.name', 'Web', 'must be lower case'), 'FieldValueInvalid', 'metadata.name: Invalid value: "Web": must be lower case'],
    [fieldInvalid('spec.replicas', -1, 'must be greater than or equal to 0'), 'FieldValueInvalid', 'spec.replicas: Invalid value: -1: must be greater than or equal to 0'],
    [fieldInvalid('spec.x', null, 'must be set'), 'FieldValueInvalid', 'spec.x: Invalid value: "null": must be set'],
    [fieldInvalid('spec.x', true, ''), 'FieldValueInvalid', 'spec.x: Invalid value: true'],
    [
      fieldNotSupported('spec.restartPolicy', 'Sometimes', ['Always', 'OnFailure', 'Never']),
      'FieldValueNotSupported',
      'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
    ],
    [fieldNotSupported('spec.x', 'y', []), 'FieldValueNotSupported', 'spec.x: Unsupported value: "y"'],
    [fieldDuplicate('spec.containers[1].name', 'app'), 'FieldValueDuplicate', 'spec.containers[1].name: Duplicate value: "app"'],
    [fieldForbidden('spec', 'pod updates may not change fields other than `spec.containers[*].image`'), 'FieldValueForbidden', 'spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`'],
    [fieldTooLong('metadata.annotations', 262144), 'FieldValueTooLong', 'metadata.annotations: Too long: may not be more than 262144 bytes'],
    [fieldTooLong('x', -1), 'FieldValueTooLong', 'x: Too long: value is too long'],
    [fieldTooMany('spec.items', 5, 3), 'FieldValueTooMany', 'spec.items: Too many: 5: must have at most 3 items'],
    [fieldTooMany('spec.items', -1, 3), 'FieldValueTooMany', 'spec.items: Too many: must have at most 3 items'],
    [fieldTooMany('spec.items', 5, -1), 'FieldValueTooMany', 'spec.items: Too many: 5: has too many items'],
    [fieldNotFound('spec.volumeName', 'pv-1'), 'FieldValueNotFound', 'spec.volumeName: Not found: "pv-1"'],
    [fieldInternal('spec', new Error('db down')), 'InternalError', 'spec: Internal error: db down'],
    [fieldTypeInvalid('spec.replicas', 'three', 'must be of type integer'), 'FieldValueTypeInvalid', 'spec.replicas: Invalid value: "three": must be of type integer'],
  ];
  for (const [e, type, message] of cases) {
    t.equal(e.type, type, message);
    t.equal(fieldErrorMessage(e), message);
    t.equal(fieldErrorBody(e), message.slice(e.field.length + 2));
  }
});

t.test('aggregates: none, one bare, several bracketed, duplicates dropped', async (t) => {
  t.equal(aggregateMessages([]), undefined);
  t.equal(aggregateMessages(['a']), 'a');
  t.equal(aggregateMessages(['a', 'b', 'a']), '[a, b]');
  t.equal(aggregateMessages(['a', 'a']), 'a');
  t.equal(fieldErrorsMessage([fieldRequired('a'), fieldRequired('b')]), '[a: Required value, b: Required value]');
});

t.test('causes carry type, body and field for every error', async (t) => {
  t.same(fieldErrorCauses([fieldRequired('a'), fieldInvalid('b', 'x', 'bad')]), [
    { reason: 'FieldValueRequired', message: 'Required value', field: 'a' },
    { reason: 'FieldValueInvalid', message: 'Invalid value: "x": bad', field: 'b' },
  ]);
});
