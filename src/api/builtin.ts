// The registry of every built-in resource, with its printer and defaulter.
import { defaulters } from './defaults/index.js';
import { printers } from './printers/index.js';
import { Registry } from './registry/registry.js';
import { builtinResources } from './resources/index.js';

/** A fresh registry of the built-in resources (no shared instance: callers own theirs). */
export function builtinRegistry(): Registry {
  return new Registry({ resources: builtinResources, printers, defaulters });
}
