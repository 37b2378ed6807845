import t from 'tap';
import { ApiError } from './errors.js';
import { labelSelectorEverything, labelSelectorFromObject, labelSelectorFromSet, labelSelectorNothing, parseLabelSelector, type LabelSelectorObject, type Labels } from './labels.js';

const valueMsg =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const nameMsg =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

const web: Labels = { app: 'web', tier: 'front', env: '' };
const db: Labels = { app: 'db', tier: 'back', version: '12' };
const bare: Labels = undefined;
const objects: Record<string, Labels> = { web, db, bare };

t.test('parse and match: each selector against web, db and an unlabelled object', async (t) => {
  // selector, canonical text, names of the objects it selects
  const cases: [string, string, string[]][] = [
    ['', '', ['web', 'db', 'bare']],
    ['   ', '', ['web', 'db', 'bare']],
    ['app=web', 'app=web', ['web']],
    ['app==web', 'app==web', ['web']],
    ['app!=web', 'app!=web', ['db', 'bare']],
    ['app in (web,db)', 'app in (db,web)', ['web', 'db']],
    ['app notin (web)', 'app notin (web)', ['db', 'bare']],
    ['app', 'app', ['web', 'db']],
    ['!app', '!app', ['bare']],
    ['env', 'env', ['web']],
    ['env=', 'env=', ['web']],
    ['env in ()', 'env in ()', ['web']],
    ['env!=', 'env!=', ['db', 'bare']],
    ['app=web,tier=front', 'app=web,tier=front', ['web']],
    ['tier=front,app=db', 'app=db,tier=front', []],
    [' app = web , tier in ( front , back ) ', 'app=web,tier in (back,front)', ['web']],
    ['app,!version', 'app,!version', ['web']],
    ['version>11', 'version>11', ['db']],
    ['version<12', 'version<12', []],
    ['app<5', 'app<5', []],
    ['example.com/app=web', 'example.com/app=web', []],
    ['in in (in)', 'in in (in)', []],
    ['a in (x,,y)', 'a in (,x,y)', []],
    ['app in (web,web)', 'app in (web)', ['web']],
    ['app\tin\n(web)', 'app in (web)', ['web']],
  ];
  for (const [selector, text, selected] of cases) {
    const m = parseLabelSelector(selector);
    t.equal(m.toString(), text, `${JSON.stringify(selector)} text`);
    const got = Object.entries(objects)
      .filter(([, labels]) => m.matches(labels))
      .map(([name]) => name);
    t.same(got, selected, `${JSON.stringify(selector)} selects`);
  }
});

t.test('!= and notin select objects that lack the key; = and in do not', async (t) => {
  t.ok(parseLabelSelector('app!=web').matches({}));
  t.ok(parseLabelSelector('app notin (web)').matches(undefined));
  t.notOk(parseLabelSelector('app=web').matches({}));
  t.notOk(parseLabelSelector('app in (web)').matches({}));
  t.notOk(parseLabelSelector('app in ()').matches({}), 'in () requires the key with an empty value');
  t.ok(parseLabelSelector('app in ()').matches({ app: '' }));
  t.ok(parseLabelSelector('!app,app!=x').matches(null), 'null labels are no labels');
});

t.test('invalid selectors are 400s with upstream messages', async (t) => {
  const cases: [string, string][] = [
    ['x==a==b', "found '==', expected: ',' or 'end of string'"],
    ['!x=a', "found '=', expected: ',' or 'end of string'"],
    ['a=b c', "found 'c', expected: ',' or 'end of string'"],
    [',a', "found ',', expected: !, identifier, or 'end of string'"],
    ['a,', "found '', expected: identifier after ','"],
    ['a,,b', "found ',', expected: identifier after ','"],
    ['!', "unable to parse requirement: found '', expected: identifier"],
    ['a b', "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt"],
    ['a in', "unable to parse requirement: found '' expected: '('"],
    ['a in (', "unable to parse requirement: found '', expected: ',', ')' or identifier"],
    ['a in (x y)', "unable to parse requirement: found 'y', expected: ',' or ')'"],
    ['a in (x,,)', "unable to parse requirement: found ')', expected: ',', or identifier"],
    ['a in (x', "unable to parse requirement: found '', expected: ',' or ')'"],
    ['a!==b', "unable to parse requirement: found '=', expected: identifier"],
    ['x<a', 'unable to parse requirement: values[0]: Invalid value: "a": for \'Gt\', \'Lt\' operators, the value must be an integer'],
    ['-a=b', `unable to parse requirement: <nil>: Invalid value: "-a": ${nameMsg}`],
    ['/a', 'unable to parse requirement: <nil>: Invalid value: "/a": prefix part must be non-empty'],
    ['a=-b', `unable to parse requirement: values[0][a]: Invalid value: "-b": ${valueMsg}`],
    ['x=a||y=b', `unable to parse requirement: values[0][x]: Invalid value: "a||y": ${valueMsg}`],
    ['a=' + 'v'.repeat(64), `unable to parse requirement: values[0][a]: Invalid value: "${'v'.repeat(64)}": must be no more than 63 characters`],
    [
      'a in (z,-c,-b)',
      `unable to parse requirement: [values[0][a]: Invalid value: "-b": ${valueMsg}, values[1][a]: Invalid value: "-c": ${valueMsg}]`,
    ],
  ];
  for (const [selector, message] of cases) {
    t.throws(() => parseLabelSelector(selector), { name: 'ApiError', code: 400, reason: 'BadRequest', message }, JSON.stringify(selector));
  }
  try {
    parseLabelSelector('a in');
  } catch (err) {
    t.ok(err instanceof ApiError);
    t.equal((err as ApiError).status.message, "unable to parse requirement: found '' expected: '('");
  }
});

t.test('LabelSelector objects convert as upstream LabelSelectorAsSelector', async (t) => {
  t.equal(labelSelectorFromObject(null), labelSelectorNothing);
  t.equal(labelSelectorFromObject(undefined), labelSelectorNothing);
  t.notOk(labelSelectorNothing.matches({}), 'a null selector matches labelSelectorNothing');
  t.notOk(labelSelectorNothing.isEverything());
  t.equal(labelSelectorFromObject({}), labelSelectorEverything);
  t.equal(labelSelectorFromObject({ matchLabels: {}, matchExpressions: [] }), labelSelectorEverything);
  t.ok(labelSelectorEverything.matches(undefined));
  t.ok(labelSelectorEverything.isEverything());

  const sel: LabelSelectorObject = {
    matchLabels: { tier: 'front', app: 'web' },
    matchExpressions: [
      { key: 'env', operator: 'Exists' },
      { key: 'track', operator: 'NotIn', values: ['canary'] },
      { key: 'version', operator: 'DoesNotExist' },
      { key: 'app', operator: 'In', values: ['web', 'api'] },
    ],
  };
  const m = labelSelectorFromObject(sel);
  t.equal(m.toString(), 'app=web,app in (api,web),env,tier=front,track notin (canary),!version');
  t.ok(m.matches(web));
  t.notOk(m.matches({ ...web, track: 'canary' }));
  t.notOk(m.matches({ ...web, version: '1' }));
  t.notOk(m.matches(db));
});

t.test('invalid LabelSelector objects are 400s with upstream messages', async (t) => {
  const cases: [LabelSelectorObject, string][] = [
    [{ matchExpressions: [{ key: 'a', operator: 'Foo', values: ['x'] }] }, '"Foo" is not a valid label selector operator'],
    [{ matchExpressions: [{ key: 'a', operator: 'In' }] }, "values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty"],
    [{ matchExpressions: [{ key: 'a', operator: 'NotIn', values: [] }] }, "values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty"],
    [{ matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] }, 'values: Invalid value: []string{"x"}: values set must be empty for exists and does not exist'],
    [{ matchLabels: { '-a': 'b' } }, `key: Invalid value: "-a": ${nameMsg}`],
    [{ matchLabels: { a: '-b' } }, `values[0][a]: Invalid value: "-b": ${valueMsg}`],
    [
      { matchExpressions: [{ key: '-a', operator: 'In', values: ['-b'] }] },
      `[key: Invalid value: "-a": ${nameMsg}, values[0][-a]: Invalid value: "-b": ${valueMsg}]`,
    ],
  ];
  for (const [sel, message] of cases) {
    t.throws(() => labelSelectorFromObject(sel), { code: 400, reason: 'BadRequest', message }, message.slice(0, 60));
  }
});

t.test('labelSelectorFromSet selects exactly the given labels', async (t) => {
  const m = labelSelectorFromSet({ tier: 'front', app: 'web' });
  t.equal(m.toString(), 'app=web,tier=front');
  t.ok(m.matches(web));
  t.notOk(m.matches(db));
  t.equal(labelSelectorFromSet({}), labelSelectorEverything);
});
