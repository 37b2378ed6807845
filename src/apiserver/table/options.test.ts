import t from 'tap';
import { ApiError, isBadRequest } from '../../machinery/index.js';
import { parseIncludeObject } from './options.js';

t.test('includeObject values', async (t) => {
  t.equal(parseIncludeObject(undefined), 'Metadata', 'absent is Metadata');
  t.equal(parseIncludeObject(null), 'Metadata');
  t.equal(parseIncludeObject(''), 'Metadata', 'empty is Metadata');
  t.equal(parseIncludeObject('None'), 'None');
  t.equal(parseIncludeObject('Metadata'), 'Metadata');
  t.equal(parseIncludeObject('Object'), 'Object');
});

t.test('anything else is a 400 with upstream message', async (t) => {
  for (const bad of ['object', 'All', ' None']) {
    const result = parseIncludeObject(bad);
    t.ok(result instanceof ApiError, bad);
    if (!(result instanceof ApiError)) continue;
    t.ok(isBadRequest(result));
    t.equal(result.code, 400);
    t.equal(result.message, `Unable to convert to Table as requested: includeObject: Invalid value: ${JSON.stringify(bad)}: must be 'Metadata', 'Object', 'None', or empty`);
  }
});
