// The JSONPath subset printer columns and scale paths use: `.a.b`, `['a.b']`,
// `[0]`, `[*]` and filters `[?(@.type=="Ready")]`, optionally wrapped in
// `{}`. Evaluation returns every match, in document order.

export type Step =
  | { kind: 'field'; name: string }
  | { kind: 'index'; index: number }
  | { kind: 'all' }
  | { kind: 'filter'; path: string[]; value: string };

const fieldPattern = /^\.([A-Za-z0-9_$-]+)/;
const quotedPattern = /^\[['"]([^'"]*)['"]\]/;
const indexPattern = /^\[(-?\d+)\]/;
const filterPattern = /^\[\?\(@((?:\.[A-Za-z0-9_-]+)+)\s*==\s*(?:"([^"]*)"|'([^']*)'|([^)\s]+))\)\]/;

/** The steps of a path, or undefined when it is outside the subset. */
export function parseJsonPath(text: string): Step[] | undefined {
  let rest = text.trim();
  if (rest.startsWith('{') && rest.endsWith('}')) rest = rest.slice(1, -1).trim();
  if (rest === '' || rest === '.') return rest === '.' ? [] : undefined;
  const steps: Step[] = [];
  while (rest !== '') {
    let m: RegExpExecArray | null;
    if ((m = fieldPattern.exec(rest))) steps.push({ kind: 'field', name: m[1] ?? '' });
    else if ((m = quotedPattern.exec(rest))) steps.push({ kind: 'field', name: m[1] ?? '' });
    else if ((m = indexPattern.exec(rest))) steps.push({ kind: 'index', index: Number(m[1]) });
    else if ((m = /^\[\*\]/.exec(rest))) steps.push({ kind: 'all' });
    else if ((m = filterPattern.exec(rest))) steps.push({ kind: 'filter', path: (m[1] ?? '').slice(1).split('.'), value: m[2] ?? m[3] ?? m[4] ?? '' });
    else return undefined;
    rest = rest.slice(m[0].length);
  }
  return steps;
}

function child(value: unknown, name: string): unknown {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>)[name] : undefined;
}

function scalarText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Every value the steps select from `root`. */
export function evaluate(steps: readonly Step[], root: unknown): unknown[] {
  let current: unknown[] = [root];
  for (const step of steps) {
    const next: unknown[] = [];
    for (const value of current) {
      if (step.kind === 'field') {
        const v = child(value, step.name);
        if (v !== undefined) next.push(v);
      } else if (!Array.isArray(value)) {
        continue;
      } else if (step.kind === 'index') {
        const v = value[step.index < 0 ? value.length + step.index : step.index];
        if (v !== undefined) next.push(v);
      } else if (step.kind === 'all') {
        next.push(...value);
      } else {
        for (const item of value) {
          const probe = step.path.reduce<unknown>((v, name) => child(v, name), item);
          if (probe !== undefined && scalarText(probe) === step.value) next.push(item);
        }
      }
    }
    current = next;
  }
  return current;
}
