import t from 'tap';
import {
  isDNS1035Label,
  isDNS1123Label,
  isDNS1123Subdomain,
  isQualifiedName,
  isValidLabelValue,
  isValidPathSegmentName,
  isValidPathSegmentPrefix,
  nameIsDNS1035Label,
  nameIsDNSLabel,
  nameIsDNSSubdomain,
  regexError,
} from './validation.js';

const subdomainMsg =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const labelMsg =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const dns1035Msg =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
const nameMsg =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const valueMsg =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

type Case = [string, string[]];

/** Runs a validator over a table: [label, got, wanted] for each case. */
function run(fn: (v: string) => string[], cases: Case[]): [string, string[], string[]][] {
  return cases.map(([value, want]) => [JSON.stringify(value.length > 70 ? `${value.slice(0, 20)}…(${value.length})` : value), fn(value), want]);
}

t.test('isDNS1123Subdomain', async (t) => {
  for (const [label, got, want] of run(isDNS1123Subdomain, [
    ['example.com', []],
    ['a', []],
    ['0', []],
    ['a-b.c-d', []],
    [`${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`, []],
    ['', [subdomainMsg]],
    ['Example.com', [subdomainMsg]],
    ['-a', [subdomainMsg]],
    ['a-', [subdomainMsg]],
    ['a..b', [subdomainMsg]],
    ['a_b', [subdomainMsg]],
    ['a.', [subdomainMsg]],
    ['a'.repeat(254), ['must be no more than 253 characters']],
    [`${'A'.repeat(254)}`, ['must be no more than 253 characters', subdomainMsg]],
  ])) t.same(got, want, label);
});

t.test('isDNS1123Label', async (t) => {
  for (const [label, got, want] of run(isDNS1123Label, [
    ['my-name', []],
    ['123-abc', []],
    ['a'.repeat(63), []],
    ['a'.repeat(64), ['must be no more than 63 characters']],
    ['a.b', ['must not contain dots']],
    ['A', [labelMsg]],
    ['-a', [labelMsg]],
    ['', [labelMsg]],
  ])) t.same(got, want, label);
});

t.test('isDNS1035Label', async (t) => {
  for (const [label, got, want] of run(isDNS1035Label, [
    ['my-name', []],
    ['abc-123', []],
    ['1abc', [dns1035Msg]],
    ['a.b', [dns1035Msg]],
    ['a'.repeat(64), ['must be no more than 63 characters']],
  ])) t.same(got, want, label);
});

t.test('isQualifiedName', async (t) => {
  for (const [label, got, want] of run(isQualifiedName, [
    ['app', []],
    ['My.Name_1-2', []],
    ['example.com/app', []],
    ['kubernetes.io/metadata.name', []],
    ['', ['name part must be non-empty', nameMsg]],
    ['-app', [nameMsg]],
    ['a'.repeat(64), ['name part must be no more than 63 characters']],
    ['/app', ['prefix part must be non-empty']],
    ['Example.com/app', [`prefix part ${subdomainMsg}`]],
    ['example.com/', ['name part must be non-empty', nameMsg]],
    [
      'a/b/c',
      [
        "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
      ],
    ],
  ])) t.same(got, want, label);
});

t.test('isValidLabelValue', async (t) => {
  for (const [label, got, want] of run(isValidLabelValue, [
    ['', []],
    ['MyValue', []],
    ['my_value', []],
    ['12345', []],
    ['a.b-c_d', []],
    ['a'.repeat(63), []],
    ['a'.repeat(64), ['must be no more than 63 characters']],
    ['-a', [valueMsg]],
    ['a b', [valueMsg]],
    ['a/b', [valueMsg]],
    ['é', [valueMsg]],
  ])) t.same(got, want, label);
});

t.test('lengths count UTF-8 bytes as upstream', async (t) => {
  t.same(isValidLabelValue('é'.repeat(32)), ['must be no more than 63 characters', valueMsg]);
});

t.test('path segment names', async (t) => {
  for (const [label, got, want] of run(isValidPathSegmentName, [
    ['web', []],
    ['.', ["may not be '.'"]],
    ['..', ["may not be '..'"]],
    ['...', []],
    ['a/b%c', ["may not contain '/'", "may not contain '%'"]],
  ])) t.same(got, want, label);
  for (const [label, got, want] of run(isValidPathSegmentPrefix, [
    ['.', []],
    ['a/', ["may not contain '/'"]],
  ])) t.same(got, want, label);
});

t.test('name validators mask a trailing dash on generateName prefixes, as upstream', async (t) => {
  t.same(nameIsDNSSubdomain('web-', true), []);
  t.same(nameIsDNSSubdomain('web-', false), [subdomainMsg]);
  t.same(nameIsDNSLabel('web-', true), []);
  t.same(nameIsDNS1035Label('web-', true), []);
  t.same(nameIsDNSSubdomain('-', true), [subdomainMsg], 'a lone dash is not masked');
  t.same(nameIsDNS1035Label('1-', true), [], 'upstream replaces the last two characters with "a", so the digit vanishes too');
  t.same(nameIsDNS1035Label('1a-', true), [dns1035Msg]);
});

t.test('regexError without examples', async (t) => {
  t.equal(regexError('Invalid path', '[a-z]+'), "Invalid path (regex used for validation is '[a-z]+')");
});
