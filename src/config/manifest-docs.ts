// The documents of a manifest file: YAML with `---` separators, or JSON
// (a YAML subset). Used for the kubelet's static pod manifests.
import { parseAllDocuments } from 'yaml';
import { ConfigError } from './errors.js';

/** Every non-empty document of the text; throws ConfigError('bad-file') on a syntax error. */
export function parseManifestDocuments(text: string, source: string): unknown[] {
  const docs: unknown[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) throw new ConfigError('bad-file', `${source}: ${doc.errors[0]?.message ?? 'invalid YAML'}`);
    const value: unknown = doc.toJS();
    if (value !== null && value !== undefined) docs.push(value);
  }
  return docs;
}
