// Reads registries.yaml (k3s's format) into an undecided document; the
// supervisor checks its shape. A missing file means no registry settings.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { ConfigError } from './errors.js';

export function readRegistriesFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ConfigError('bad-file', `${path} cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  try {
    return parse(text) as unknown;
  } catch (err) {
    throw new ConfigError('bad-file', `${path} is not valid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
}
