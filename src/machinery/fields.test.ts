import t from 'tap';
import { escapeFieldValue, fieldSelectorFromSet, parseFieldSelector, selectorFields, unescapeFieldValue, unsupportedField } from './fields.js';

const running = { 'metadata.name': 'web-1', 'metadata.namespace': 'default', 'status.phase': 'Running', 'spec.nodeName': 'node-a' };
const pending = { 'metadata.name': 'web-2', 'metadata.namespace': 'default', 'status.phase': 'Pending', 'spec.nodeName': '' };
const odd = { 'metadata.name': 'a,b=c\\d', 'metadata.namespace': 'x' };
const objects: Record<string, Record<string, string>> = { running, pending, odd };

t.test('parse and match against flat field maps', async (t) => {
  // selector, canonical text, names of the objects it selects
  const cases: [string, string, string[]][] = [
    ['', '', ['running', 'pending', 'odd']],
    [',', '', ['running', 'pending', 'odd']],
    ['metadata.name=web-1', 'metadata.name=web-1', ['running']],
    ['metadata.name==web-1', 'metadata.name=web-1', ['running']],
    ['status.phase!=Running', 'status.phase!=Running', ['pending', 'odd']],
    ['spec.nodeName=', 'spec.nodeName=', ['pending', 'odd']],
    ['spec.nodeName!=', 'spec.nodeName!=', ['running']],
    ['metadata.namespace=default,status.phase=Pending', 'metadata.namespace=default,status.phase=Pending', ['pending']],
    ['status.phase=Pending,metadata.namespace=default', 'metadata.namespace=default,status.phase=Pending', ['pending']],
    ['metadata.name=a\\,b\\=c\\\\d', 'metadata.name=a\\,b\\=c\\\\d', ['odd']],
    ['metadata.name= web-1', 'metadata.name= web-1', []],
  ];
  for (const [selector, text, selected] of cases) {
    const m = parseFieldSelector(selector);
    t.equal(m.toString(), text, `${JSON.stringify(selector)} text`);
    const got = Object.entries(objects)
      .filter(([, fields]) => m.matches(fields))
      .map(([name]) => name);
    t.same(got, selected, `${JSON.stringify(selector)} selects`);
  }
});

t.test('terms split at the first operator; the field part takes no escapes', async (t) => {
  t.same(parseFieldSelector('a!=b').terms, [{ field: 'a', operator: '!=', value: 'b' }]);
  t.same(parseFieldSelector('a==b').terms, [{ field: 'a', operator: '=', value: 'b' }]);
  t.same(parseFieldSelector('=b').terms, [{ field: '', operator: '=', value: 'b' }]);
  t.same(parseFieldSelector('a=\\=b').terms, [{ field: 'a', operator: '=', value: '=b' }]);
});

t.test('invalid selectors are 400s with upstream messages', async (t) => {
  const cases: [string, string][] = [
    ['a', "invalid selector: 'a'; can't understand 'a'"],
    ['a=b,c', "invalid selector: 'a=b,c'; can't understand 'c'"],
    ['a=b=c', 'invalid field selector: unescaped character in value: 61'],
    ['a=b\\,c,d=e,f', "invalid selector: 'a=b\\,c,d=e,f'; can't understand 'f'"],
    ['a=b\\x', 'invalid field selector: invalid escape sequence: \\x'],
    ['a=b\\', 'invalid field selector: invalid escape sequence: \\'],
  ];
  for (const [selector, message] of cases) {
    t.throws(() => parseFieldSelector(selector), { code: 400, reason: 'BadRequest', message }, JSON.stringify(selector));
  }
});

t.test('unsupportedField is the 400 the apiserver returns for an unknown field', async (t) => {
  const err = unsupportedField('spec.foo');
  t.equal(err.code, 400);
  t.equal(err.reason, 'BadRequest');
  t.equal(err.message, 'field label not supported: spec.foo');
});

t.test('selectorFields lists the fields for the support check', async (t) => {
  t.same(selectorFields(parseFieldSelector('status.phase!=Failed,metadata.name=a,status.phase!=Succeeded')), ['metadata.name', 'status.phase']);
  t.same(selectorFields(parseFieldSelector('')), []);
});

t.test('requiresExactMatch finds the value of an equality term', async (t) => {
  const m = parseFieldSelector('metadata.name=web,status.phase!=Running');
  t.equal(m.requiresExactMatch('metadata.name'), 'web');
  t.equal(m.requiresExactMatch('status.phase'), undefined, 'inequality is not an exact match');
  t.equal(m.requiresExactMatch('spec.nodeName'), undefined);
  t.ok(parseFieldSelector('').isEverything());
  t.notOk(m.isEverything());
});

t.test('escape and unescape round-trip', async (t) => {
  for (const v of ['', 'plain', 'a,b', 'a=b', 'a\\b', '\\,=']) {
    t.equal(unescapeFieldValue(escapeFieldValue(v)), v, JSON.stringify(v));
  }
  t.equal(escapeFieldValue('a\\b,c=d'), 'a\\\\b\\,c\\=d');
});

t.test('fieldSelectorFromSet', async (t) => {
  const m = fieldSelectorFromSet({ 'status.phase': 'Running', 'metadata.name': 'web-1' });
  t.equal(m.toString(), 'metadata.name=web-1,status.phase=Running');
  t.ok(m.matches(running));
  t.notOk(m.matches(pending));
});
