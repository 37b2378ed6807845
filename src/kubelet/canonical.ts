// Comparing API objects whatever order their fields came in: the kubelet
// writes status only when it changed, and the server may reorder keys.

/** JSON with object keys sorted at every level. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

export function sameJson(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}
