// Discovery lists names in byte order, as upstream's Go sort does
// (`pods` < `pods/log` < `podtemplates`); localeCompare would not.

export function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A sorted copy. */
export function sorted(values: readonly string[]): string[] {
  return [...values].sort(byteOrder);
}
