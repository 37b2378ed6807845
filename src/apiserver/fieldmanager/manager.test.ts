import t from 'tap';
import { fieldErrorMessage } from '../../machinery/index.js';
import { managerFor, managerFromUserAgent, validateFieldManager } from './manager.js';

t.test('the manager comes from fieldManager, else from the User-Agent', async (t) => {
  t.equal(managerFor('kubectl-client-side-apply', 'kubectl/v1.32.4 (linux/amd64) kubernetes/abc'), 'kubectl-client-side-apply');
  t.equal(managerFor(undefined, 'kubectl/v1.32.4 (linux/amd64) kubernetes/abc'), 'kubectl');
  t.equal(managerFor('', 'kubectl-edit/v1.32.4'), 'kubectl-edit');
  t.equal(managerFor(undefined, undefined), '');
  t.equal(managerFromUserAgent('a\tb/1'), 'ab', 'unprintable characters are left out');
  t.equal(Buffer.byteLength(managerFromUserAgent('é'.repeat(100))), 128, 'cut to 128 bytes on a character boundary');
});

t.test('fieldManager validation has upstream messages', async (t) => {
  t.same(validateFieldManager('kubectl', 'fieldManager'), []);
  t.same(validateFieldManager('x'.repeat(129), 'fieldManager').map(fieldErrorMessage), ['fieldManager: Too long: may not be more than 128 bytes']);
  t.same(validateFieldManager('a\u0007b', 'fieldManager').map(fieldErrorMessage), ['fieldManager: Invalid value: "a\\ab": invalid character U+0007 (at position 1)']);
});
