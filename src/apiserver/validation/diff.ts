// A short, deterministic description of how two objects differ, appended
// to "may not change" messages in place of the Go struct diff upstream
// prints: one `-` and one `+` line per top-level field that changed.
import { semanticEqual } from './common.js';
import { isObj } from './input.js';

export function describeDiff(prev: unknown, next: unknown, typeName: string): string {
  const a = isObj(prev) ? prev : {};
  const b = isObj(next) ? next : {};
  const lines = [`  ${typeName}{`];
  for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
    if (semanticEqual(a[key], b[key])) continue;
    if (a[key] !== undefined) lines.push(`- \t${key}: ${JSON.stringify(a[key])},`);
    if (b[key] !== undefined) lines.push(`+ \t${key}: ${JSON.stringify(b[key])},`);
  }
  lines.push('  }');
  return lines.join('\n');
}
